"""Hostile input at the command line: bytes that are not UTF-8, numbers too big for any
column, dates and offsets outside the supported range. Each is one line and exit 2, with
nothing written; never an internal error (exit 70)."""

from __future__ import annotations

import dataclasses
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from conftest import invoke
from helpers import Run, assert_error, fails, nothing_written, ok
from pledgetrack.cli.app import app
from pledgetrack.config import ENV_VARS, PATHS, FileConfig, resolve
from pledgetrack.environment import Environment
from pledgetrack.errors import InputError
from pledgetrack.exitcodes import ExitCode

BIG = str(10**30)
SUPPORTED = "(supported dates are 1900-01-01 to 2199-12-31)"


@pytest.fixture
def pledges(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", team, "Patrols", "--at-least", "2", "--per", "week",
           "--agreed", "01/09/2008"))  # fmt: skip
    ok(cli("pledge", "add", team, "Calls", "--within", "24h", "--agreed", "01/09/2008"))


def refused_import(cli: Run, db: Path, what: str, text: str) -> str:
    """`import WHAT` of a CSV holding `text`: refused, exit 2, nothing written; its stderr."""
    path = db.parent / f"{what}.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with nothing_written(db):
        result = cli("import", what, str(path))
    assert result.exit_code == ExitCode.USAGE, (result.exit_code, result.stderr)
    return result.stderr


# -- invalid UTF-8 and NUL (issue 8 item 4) -----------------------------------------------


def _leaves(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    subs = getattr(command, "commands", None)
    if subs:
        for name, sub in subs.items():
            yield from _leaves(sub, [*path, name])
    else:
        yield path, command


def _text_parameters() -> Iterator[tuple[list[str], str, str]]:
    """(args before the bad value, how the error names it) for every text parameter."""
    root = typer.main.get_command(app)
    for path, command in _leaves(root, []):
        positional = 0
        for param in command.params:
            if param.param_type_name == "argument":
                if param.type_descriptor.annotation is str:
                    name = param.metavar or param.name.upper()
                    yield [*path, *["1"] * positional], name, " ".join(path)
                positional += 1
            elif param.type_descriptor.annotation is str and not param.is_flag:
                name = max(param.opts, key=len)
                yield [*path, name], name, " ".join(path)


TEXT_PARAMETERS = list(_text_parameters())


def test_every_text_parameter_is_found() -> None:
    # the walk above must see the options the issue names, or the next test proves little
    named = {(cmd, name) for _, name, cmd in TEXT_PARAMETERS}
    assert {("log", "--officer"), ("log", "DESCRIPTION"), ("team add", "CODE"),
            ("team add", "--name"), ("pledge add", "TITLE"), ("void", "--reason")} <= named
    assert len(TEXT_PARAMETERS) > 80


@pytest.mark.parametrize(("args", "name", "command"), TEXT_PARAMETERS)
def test_invalid_utf8_in_any_text_parameter_is_refused_by_name(
    cli: Run, db: Path, team: str, args: list[str], name: str, command: str
) -> None:
    # what Python makes of the bytes b"a\xff" in argv (surrogateescape)
    fails(cli, db, *args, "a\udcff",
          text=f"{name} is not valid UTF-8 (byte 0xFF at character 2)")  # fmt: skip


def _typed_options() -> Iterator[tuple[list[str], str, str]]:
    """Options read as something other than text or a path (a choice, a number, a date
    kind): their type refuses the value before the text check would see it."""
    root = typer.main.get_command(app)
    for path, command in _leaves(root, []):
        for param in command.params:
            kind = getattr(param.type_descriptor.annotation, "__name__", "")
            if param.param_type_name == "option" and not param.is_flag and kind not in (
                "str", "Path", "bool", ""
            ):
                yield [*path, max(param.opts, key=len)], max(param.opts, key=len), " ".join(path)


TYPED_OPTIONS = list(_typed_options())


def test_typed_options_are_found() -> None:
    named = {(cmd, name) for _, name, cmd in TYPED_OPTIONS}
    assert {("actions", "--format"), ("pledge add", "--at-least")} <= named


@pytest.mark.parametrize(("args", "name", "command"), TYPED_OPTIONS)
def test_invalid_utf8_in_a_typed_option_is_named_as_such(
    cli: Run, db: Path, team: str, args: list[str], name: str, command: str
) -> None:
    # `--format c<0xFF>sv` said: must be table, plain, csv or json, not 'c\udcffsv'
    result = cli(*args, "a\udcff")
    line = assert_error(result, ExitCode.USAGE)
    assert line.startswith(f"{name} is not valid UTF-8 (byte 0xFF at character 2)"), line


def test_a_database_path_from_the_environment_may_be_any_bytes(tmp_path: Path,
                                                               env: Environment) -> None:
    odd = str(tmp_path / b"caf\xe9.db".decode("utf-8", "surrogateescape"))
    odd_env = dataclasses.replace(env, vars={**env.vars, "PLEDGETRACK_DB": odd})
    ok(invoke(["team", "add", "CW01", "--name", "Castle", "--no-national"], odd_env))
    assert Path(odd).exists()


def test_invalid_utf8_in_the_default_team_is_named(cli: Run, db: Path, team: str,
                                                    env: Environment) -> None:
    bad = dataclasses.replace(env, vars={**env.vars, "PLEDGETRACK_TEAM": "CW\udcff1"})
    line = assert_error(invoke(["--db", str(db), "summary"], bad), ExitCode.USAGE)
    assert line == "PLEDGETRACK_TEAM is not valid UTF-8 (byte 0xFF at character 3)"


@pytest.mark.parametrize("var", sorted(v for k, v in ENV_VARS.items() if k not in PATHS))
def test_every_setting_from_the_environment_is_checked_as_text(var: str) -> None:
    # PLEDGETRACK_TZ said: unknown time zone in PLEDGETRACK_TZ: 'Europe/Lon\udcffdon'
    key = next(k for k, v in ENV_VARS.items() if v == var)
    with pytest.raises(InputError) as caught:
        resolve(key, None, {var: "Europe/Lon\udcffdon"}, FileConfig(Path("none"), {}), None)
    assert str(caught.value) == f"{var} is not valid UTF-8 (byte 0xFF at character 11)"


def test_the_issue_s_officer_example(cli: Run, db: Path, pledges: None) -> None:
    bad = b"\xc3\x28".decode("utf-8", "surrogateescape")
    fails(cli, db, "log", "CW01-L1", "Patrol", "--officer", bad,
          text="--officer is not valid UTF-8 (byte 0xC3 at character 1)")  # fmt: skip
    fails(cli, db, "log", "CW01-L1", "Patrol", f"--officer=PC {bad}",
          text="--officer is not valid UTF-8 (byte 0xC3 at character 4)")  # fmt: skip


def test_a_nul_character_is_refused(cli: Run, db: Path, pledges: None) -> None:
    fails(cli, db, "log", "CW01-L1", "Pat\x00rol",
          text="DESCRIPTION contains a NUL character (at character 4)")  # fmt: skip


def test_valid_non_ascii_text_is_accepted(cli: Run, db: Path, pledges: None) -> None:
    ok(cli("log", "CW01-L1", "Patrouille à Noël ☃", "--officer", "PC Müller"))


def test_a_database_path_that_is_not_utf8_is_still_a_path(tmp_path: Path, env: Environment) -> None:
    odd = tmp_path / b"caf\xe9.db".decode("utf-8", "surrogateescape")
    ok(invoke(["--db", str(odd), "team", "add", "CW01", "--name", "Castle", "--no-national"], env))
    assert odd.exists()


def test_a_path_that_is_not_utf8_is_printed_with_its_bytes(
    tmp_path: Path, env: Environment
) -> None:
    odd = tmp_path / b"\xc3(.db".decode("utf-8", "surrogateescape")
    line = assert_error(invoke(["--db", str(odd), "summary"], env), ExitCode.DATABASE)
    assert line.startswith(f"database not found: {tmp_path}/\\xc3(.db ")


# -- numbers (item 5) -----------------------------------------------------------------------


NUMBERS = [
        (["pledge", "add", "CW01", "t", "--at-least", BIG, "--per", "week"],
         "--at-least must be a whole number from 1 to 1,000,000, not 1.000e+30"),
        (["pledge", "add", "CW01", "t", "--at-least", str(2**63), "--per", "week"],
         "--at-least must be a whole number from 1 to 1,000,000, not 9,223,372,036,854,775,808"),
        (["pledge", "add", "CW01", "t", "--at-least", "1000001", "--per", "week"],
         "--at-least must be a whole number from 1 to 1,000,000, not 1,000,001"),
        (["pledge", "add", "CW01", "t", "--within", f"{BIG}h"],
         f"--within: duration '{BIG}h' is longer than 3,660 days"),
        (["pledge", "add", "CW01", "t", "--within", "3660d1m"],
         "--within: duration '3660d1m' is longer than 3,660 days"),
        (["pledge", "add", "CW01", "t", "--within", "9" * 400 + "h"],
         f"--within: duration '{'9' * 400}h' is longer than 3,660 days"),
        (["pledge", "add", "CW01", "t", "--share", "1e400"],
         "--share must be a number, not '1e400' (see: pledgetrack pledge add --help)"),
        (["respond", BIG],
         "ID must be a whole number from 1 to 9,223,372,036,854,775,807, not 1.000e+30"),
        (["respond", str(2**63)], "ID must be a whole number from 1 to "
         "9,223,372,036,854,775,807, not 9,223,372,036,854,775,808"),
        (["void", "0", "--reason", "x"],
         "ID must be a whole number from 1 to 9,223,372,036,854,775,807, not 0"),
        (["actions", "--limit", BIG],
         "--limit must be a whole number from 0 to 1,000,000,000, not 1.000e+30"),
        (["history", "--limit", "1000000001"],
         "--limit must be a whole number from 0 to 1,000,000,000, not 1,000,000,001"),
        (["pledge", "show", "CW01-L1", "--recent", BIG],
         "--recent must be a whole number from 0 to 1,000,000,000, not 1.000e+30"),
        (["pledge", "show", "CW01-L1", "--recent", "-1"],
         "--recent must be a whole number from 0 to 1,000,000,000, not -1"),
        (["check", "--stale", f"{BIG}d"], f"--stale: duration '{BIG}d' is longer than 3,660 days"),
        (["check", "--warn", f"{BIG}h"], f"--warn: duration '{BIG}h' is longer than 3,660 days"),
        (["log", "CW01-L1", "x", "--hours", "8784.01"],
         "--hours must be a number of hours from 0 to 8,784, not 8784.01"),
        (["log", "CW01-L1", "x", "--hours", "1e400"],
         "--hours must be a number, not '1e400' (see: pledgetrack log --help)"),
        (["duty", "CW01", "--hours", BIG],
         "--hours must be a number of hours from 0 to 8,784, not 1e+30"),
        (["meeting", "CW01", "--when", "today", "--attendance", BIG],
         "--attendance must be a whole number from 0 to 1,000,000, not 1.000e+30"),
]  # fmt: skip


def test_the_top_of_each_range_is_accepted(cli: Run, db: Path, pledges: None) -> None:
    ok(cli("pledge", "add", "CW01", "Many", "--at-least", "1000000", "--per", "day"))
    ok(cli("pledge", "add", "CW01", "Slow", "--within", "3660d"))
    ok(cli("log", "CW01-L1", "Long shift", "--hours", "8784", "--when", "2008-10-01"))
    ok(cli("actions", "--limit", "1000000000"))
    ok(cli("pledge", "show", "CW01-L1", "--recent", "1000000000"))
    result = cli("check", "--stale", "3660d", "--warn", "3660d")
    assert result.exit_code in (ExitCode.OK, ExitCode.PROBLEMS_FOUND), result.stderr
    # the largest id SQLite can hold is a well-formed id that is not there
    fails(cli, db, "respond", str(2**63 - 1),
          text="unknown action 9223372036854775807 (see: pledgetrack actions)")  # fmt: skip


def test_import_pledges_applies_the_same_ranges(cli: Run, db: Path, team: str) -> None:
    stderr = refused_import(
        cli,
        db,
        "pledges",
        "team,title,at_least,per,within,agreed\n"
        f"CW01,Huge,{BIG},week,,2008-09-01\n"
        f"CW01,Slow,,,{BIG}h,2008-09-01\n"
        "CW01,Fine,1000000,day,,2008-09-01\n",
    )
    assert "line 2: at_least: must be a whole number from 1 to 1,000,000," in stderr
    assert f"line 3: within: duration '{BIG}h' is longer than 3,660 days" in stderr
    assert "line 4" not in stderr


# -- percentages: 0.01 to 100, to two decimal places (ATTACK4 A3) ---------------------------


@pytest.mark.parametrize("typed", ["1e-320", "0.0000001", "0.009", "33.333", "0.015"])
@pytest.mark.parametrize("option", ["--share", "--threshold"])
def test_a_percentage_finer_than_two_places_is_refused(
    cli: Run, db: Path, team: str, option: str, typed: str
) -> None:
    """1e-320 was stored as 9.99988867182683e-321 and listed as `9.99989e-321%`."""
    target = ["--within", "24h"] if option == "--threshold" else []
    message = fails(cli, db, "pledge", "add", team, "t", *target, option, typed)
    assert message.startswith(f"{option} must be a percentage above 0 and at most 100, "
                              "to 2 decimal places, not "), message  # fmt: skip


def test_a_percentage_to_two_places_is_stored_and_shown_as_typed(
    cli: Run, db: Path, team: str
) -> None:
    ok(cli("pledge", "add", team, "Least", "--share", "0.01"))
    ok(cli("pledge", "add", team, "Thirds", "--within", "24h", "--threshold", "33.33"))
    ok(cli("pledge", "add", team, "All", "--share", "100"))
    ok(cli("pledge", "edit", "CW01-L1", "--share", "99.99"))
    listed = ok(cli("pledge", "list", "--team", team, "-f", "json")).stdout
    targets = {p["ref"]: p["target"] for p in json.loads(listed)}
    assert targets["CW01-L1"] == "at least 99.99% of hours in the neighbourhood"
    assert targets["CW01-L2"] == "within 24h for 33.33% of items"
    assert targets["CW01-L3"] == "at least 100% of hours in the neighbourhood"
    exported = ok(cli("export", "pledges", "--team", team, "-f", "json")).stdout
    assert [(p["share"], p["threshold"]) for p in json.loads(exported)] == [
        (99.99, None), (None, 33.33), (100, None),
    ]  # fmt: skip


def test_a_percentage_stored_finer_by_an_earlier_release_still_reads(
    cli: Run, db: Path, team: str
) -> None:
    """The places are for what is typed: 33.333, stored as typed before, is read and
    judged as before (a read refusing it would stop every report), and db check passes it."""
    ok(cli("pledge", "add", team, "Thirds", "--within", "24h", "--threshold", "33.33"))
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE pledges SET target_threshold_pct = 33.333 WHERE ref = 'CW01-L1'")
    conn.close()
    listed = ok(cli("pledge", "list", "--team", team, "-f", "json")).stdout
    targets = {p["ref"]: p["target"] for p in json.loads(listed)}
    assert targets["CW01-L1"] == "within 24h for 33.333% of items"
    ok(cli("db", "check"))


def test_import_pledges_applies_the_same_places(cli: Run, db: Path, team: str) -> None:
    stderr = refused_import(
        cli,
        db,
        "pledges",
        "team,title,within,threshold,share,agreed\n"
        "CW01,Tiny,,,1e-320,2008-09-01\n"
        "CW01,Fine,24h,0.01,,2008-09-01\n"
        "CW01,Thirds,24h,33.333,,2008-09-01\n",
    )
    rule = "must be a percentage above 0 and at most 100, to 2 decimal places, not"
    assert f"line 2: share: {rule} 1e-320" in stderr
    assert "line 3" not in stderr
    assert f"line 4: threshold: {rule} 33.333" in stderr


# -- dates and offsets (item 6) -------------------------------------------------------------


DATES = [
        # Python's own fromisoformat reads this as +02:39
        (["log", "CW01-L1", "x", "--when", "2008-10-01T10:00:00+01:99"],
         "--when: impossible UTC offset '+01:99' in '2008-10-01T10:00:00+01:99' (at most ±18:00)"),
        (["log", "CW01-L1", "x", "--when", "2008-10-01T10:00:00+01:00:60"], "--when: impossible "
         "UTC offset '+01:00:60' in '2008-10-01T10:00:00+01:00:60' (at most ±18:00)"),
        (["log", "CW01-L1", "x", "--when", "2008-10-01T10:00:00+25:00"],
         "--when: impossible UTC offset '+25:00' in '2008-10-01T10:00:00+25:00' (at most ±18:00)"),
        (["log", "CW01-L1", "x", "--when", "2008-10-01T10:00:00+23:99"],
         "--when: impossible UTC offset '+23:99' in '2008-10-01T10:00:00+23:99' (at most ±18:00)"),
        (["log", "CW01-L1", "x", "--when", "2008-10-01T10:00:00-18:01"],
         "--when: impossible UTC offset '-18:01' in '2008-10-01T10:00:00-18:01' (at most ±18:00)"),
        (["log", "CW01-L1", "x", "--when", "1 oct 2008 10:00 UTC+19"],
         "--when: impossible UTC offset 'UTC+19' in '1 oct 2008 10:00 UTC+19' (at most ±18:00)"),
        (["summary", "--period", "9999"],
         "--period: period '9999' is outside the supported years 1900..2199"),
        (["summary", "--period", "9999-W52"],
         "--period: period '9999-W52' is outside the supported years 1900..2199"),
        (["summary", "--period", "9999-12"],  # not "year 10000 is out of range"
         "--period: period '9999-12' is outside the supported years 1900..2199"),
        (["summary", "--period", "9999-Q4"],
         "--period: period '9999-Q4' is outside the supported years 1900..2199"),
        (["summary", "--period", "2200-01"],
         "--period: period '2200-01' is outside the supported years 1900..2199"),
        (["summary", "--period", "1899-Q4"],
         "--period: period '1899-Q4' is outside the supported years 1900..2199"),
        (["summary", "--period", "2008-01-01..2200-01-01"],
         f"--period: period '2008-01-01..2200-01-01': '2200-01-01' is out of range {SUPPORTED}"),
        (["summary", "--from", "01/01/0001", "--to", "31/12/9999"],
         f"--from: '01/01/0001' is out of range {SUPPORTED}"),
        (["summary", "--from", "31/12/1899", "--to", "31/12/1900"],
         f"--from: '31/12/1899' is out of range {SUPPORTED}"),
        (["summary", "--as-of", "31/12/9999 23:59"],
         f"--as-of: '31/12/9999 23:59' is out of range {SUPPORTED}"),
        (["check", "--as-of", "01/01/0001"], f"--as-of: '01/01/0001' is out of range {SUPPORTED}"),
        (["check", "--as-of", "2200-01-01"], f"--as-of: '2200-01-01' is out of range {SUPPORTED}"),
        (["export", "summary", "--period", "2199-12..2200-01"],
         "--period: period '2199-12..2200-01' is outside the supported years 1900..2199"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), NUMBERS + DATES)
def test_numbers_and_dates_outside_their_range_are_refused(
    cli: Run, db: Path, pledges: None, args: list[str], message: str
) -> None:
    fails(cli, db, *args, text=message)


def test_the_ends_of_the_supported_range_work(cli: Run, db: Path, pledges: None) -> None:
    ok(cli("summary", "--period", "1900-01", "--as-of", "01/01/1900"))
    ok(cli("summary", "--period", "2199-12", "--as-of", "31/12/2199 23:59"))
    ok(cli("summary", "--from", "01/01/1900", "--to", "31/12/2199", "--as-of", "2199-12-31"))
    ok(cli("export", "summary", "--period", "2199-W52", "--as-of", "2199-12-31"))
    result = cli("check", "--as-of", "2199-12-31 23:59", "--stale", "3660d")
    assert result.exit_code in (ExitCode.OK, ExitCode.PROBLEMS_FOUND), result.stderr
    # +18:00 is the largest offset accepted; it is stored as the London time it names
    ok(cli("log", "CW01-L1", "Patrol", "--when", "2008-10-02T06:00:00+18:00"))
    ok(cli("log", "CW01-L1", "Patrol", "--when", "2008-10-01 01:00 -18:00"))
    exported = ok(cli("export", "actions")).stdout
    assert "2008-10-01T13:00:00+01:00" in exported and "2008-10-01T20:00:00+01:00" in exported


def test_an_import_with_an_impossible_offset_names_its_line(
    cli: Run, db: Path, pledges: None
) -> None:
    stderr = refused_import(
        cli,
        db,
        "actions",
        "team,pledge,when,description\n"
        "CW01,CW01-L1,2008-10-01T10:00:00+01:00,fine\n"
        "CW01,CW01-L1,2008-10-01T10:00:00+23:99,odd\n",
    )
    assert "line 3: when: --when: impossible UTC offset '+23:99'" not in stderr
    assert "line 3: when: impossible UTC offset '+23:99'" in stderr


# -- import actions row checks (item 9) -----------------------------------------------------

HEADER = "team,pledge,when,description,hours,voided_at,void_reason\n"
WHEN = "2008-10-01T10:00:00+01:00"


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (f"CW01,CW01-L1,{WHEN},Patrol,,,typo",
         "void_reason: given, but voided_at is empty"),
        (f"CW01,CW01-L1,{WHEN},Patrol,,2099-01-01T00:00:00+00:00,typo",
         "voided_at: 01/01/2099 00:00 is in the future"),
        (f"CW01,CW01-L1,{WHEN},Patrol,,2008-10-16T15:05:01+01:00,typo",
         "voided_at: 16/10 15:05:01 is in the future"),
        (f"CW01,CW01-L1,{WHEN},Patrol,,2008-10-01T09:59:59+01:00,typo",
         "voided_at: 01/10 09:59 is before the action "
         "(01/10 10:00)"),
        (f"CW01,CW01-L1,{WHEN},Patrol,,{WHEN},   ",
         "void_reason: required when voided_at is given"),
        (f"CW01,CW01-L1,{WHEN},Patrol,1_000,,", "hours: not a number: '1_000'"),
        (f"CW01,CW01-L1,{WHEN},Patrol,١٢,,", "hours: not a number: '١٢'"),
        (f"CW01,CW01-L1,{WHEN},Patrol,inf,,", "hours: not a number: 'inf'"),
        (f"CW01,CW01-L1,{WHEN},Patrol,0x10,,", "hours: not a number: '0x10'"),
        (f"CW01,CW01-L1,{WHEN},Patrol,1e400,,",
         "hours: not a number: '1e400'"),
        (f"CW01,CW01-L1,{WHEN},Patrol,1e-320,,",
         "hours: must be 0 or at least 0.01, not 1e-320"),
        (f"CW01,CW01-L1,{WHEN},Pa\x00trol,,,",
         "description: contains a NUL character (at character 3)"),
        (f"CW01\x00,CW01-L1,{WHEN},Patrol,,,", "team: contains a NUL character (at character 5)"),
    ],
)  # fmt: skip
def test_import_refuses_a_bad_row_naming_its_line_and_column(
    cli: Run, db: Path, pledges: None, row: str, problem: str
) -> None:
    fine = f"CW01,CW01-L1,{WHEN},Fine,1.5,,\n"
    stderr = refused_import(cli, db, "actions", HEADER + fine + row + "\n")
    assert stderr.splitlines()[0] == f"line 3: {problem}"


def test_import_accepts_the_edges_of_those_rules(cli: Run, db: Path, pledges: None) -> None:
    # voided the moment it happened, and voided as late as the clock allows (5 minutes ahead)
    path = db.parent / "edges.csv"
    path.write_text(
        HEADER
        + f"CW01,CW01-L1,{WHEN},Patrol,8784,{WHEN},typo\n"
        + f"CW01,CW01-L1,{WHEN},Patrol 2,-0,2008-10-16T15:05:00+01:00,typo\n"
        + f"CW01,CW01-L1,{WHEN},Patrol 3,+1.5e0,,\n",
        encoding="utf-8",
    )
    ok(cli("import", "actions", str(path)))
    rows = ok(cli("export", "actions", "--include-void", "-f", "json")).stdout
    assert '"hours": 8784.0' in rows and '"hours": 1.5' in rows


# -- rollup figures (item 8) ----------------------------------------------------------------

SUMMARY_HEADER = (
    "force,team,team_name,pledge,pledge_title,pledge_type,target,period_start,period_end,"
    "actual,expected,compliance_pct,status,last_action\n"
)


def summary_row(actual: str = "6", start: str = "2008-10-01", end: str = "2008-10-31") -> str:
    return f"F,CW01,Castle,CW01-L1,Patrols,frequency,x,{start},{end},{actual},9,66.7,red,\n"


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (summary_row("nan"), "actual: not a number: 'nan'"),
        (summary_row("NaN"), "actual: not a number: 'NaN'"),
        (summary_row("inf"), "actual: not a number: 'inf'"),
        (summary_row("-Infinity"), "actual: not a number: '-Infinity'"),
        (summary_row("1" + "0" * 400), f"actual: not a number: '1{'0' * 400}'"),
        (summary_row("1e400"), "actual: not a number: '1e400'"),
        (summary_row("-1"), "actual must be a number from 0 to 1,000,000,000,000, not -1"),
        (summary_row("1_000"), "actual: not a number: '1_000'"),
        (summary_row(start="2008-10-31", end="2008-10-01"),
         "period_end: 2008-10-01 is before period_start 2008-10-31"),
        (summary_row(start="0001-01-01"),
         "period_start: 0001-01-01 is out of range (supported dates are 1900-01-01 to 2199-12-31)"),
        (summary_row().replace(",66.7,", ",100.1,"),
         "compliance_pct must be a number from 0 to 100, not 100.1"),
    ],
)  # fmt: skip
def test_rollup_refuses_impossible_figures_naming_file_and_line(
    cli: Run, tmp_path: Path, row: str, problem: str
) -> None:
    path = tmp_path / "team.csv"
    path.write_text(SUMMARY_HEADER + summary_row(actual="5") + row, encoding="utf-8")
    for fmt in ("csv", "json"):
        result = cli("rollup", str(path), "-f", fmt)
        assert_error(result, ExitCode.USAGE, f"{path} line 3: {problem}")


def test_rollup_keeps_the_edges_of_each_range(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    top = summary_row("1000000000000").replace(",66.7,", ",100,")
    path.write_text(SUMMARY_HEADER + top + summary_row("0", start="2008-11-01", end="2008-11-01"))
    rows = json.loads(ok(cli("rollup", str(path), "-f", "json")).stdout)
    assert [(r["actual"], r["compliance_pct"]) for r in rows] == [(10**12, 100.0), (0, 66.7)]


def test_json_output_never_holds_nan() -> None:
    from pledgetrack.records import DataFormat, write_records

    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        write_records([(float("nan"),)], ["x"], DataFormat.JSON, io.StringIO())


# -- text kept verbatim, codes ASCII, controls escaped for people (item 7) ------------------

ESC = "\x1b[31mred\x1b[0m"


def test_free_text_is_stored_exactly_as_typed(cli: Run, team: str, tmp_path: Path) -> None:
    ok(cli("team", "edit", team, "--name", "\tCastle Ward "))
    ok(cli("pledge", "add", team, "0\r", "--at-least", "1", "--per", "week",
           "--agreed", "01/09/2008", "--meeting", " PACT ", "--description", " d\n"))  # fmt: skip
    ok(cli("log", "CW01-L1", "\t=1+1", "--when", "2008-10-01", "--officer", " PC Jones",
           "--partner", "council\t"))  # fmt: skip
    (action,) = json.loads(ok(cli("export", "actions", "-f", "json")).stdout)
    assert (action["description"], action["officer"], action["partner"]) == (
        "\t=1+1", " PC Jones", "council\t")  # fmt: skip
    summary = json.loads(ok(cli("export", "summary", "-f", "json", "--period", "2008-10")).stdout)
    local = next(r for r in summary if r["pledge"] == "CW01-L1")
    assert (local["team_name"], local["pledge_title"]) == ("\tCastle Ward ", "0\r")
    pledge = json.loads(ok(cli("pledge", "show", "CW01-L1", "-f", "json")).stdout)
    assert (pledge["meeting"], pledge["description"]) == (" PACT ", " d\n")


def test_import_pledges_keeps_text_as_pledge_add_does(cli: Run, team: str, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('team,title,agreed,meeting\nCW01," Padded title\t",2008-09-01, PACT \n')
    ok(cli("import", "pledges", str(path)))
    pledge = json.loads(ok(cli("pledge", "show", "CW01-L1", "-f", "json")).stdout)
    assert (pledge["title"], pledge["meeting"]) == (" Padded title\t", " PACT ")


def test_blank_optional_text_means_not_given(cli: Run, db: Path, pledges: None) -> None:
    ok(cli("log", "CW01-L1", "Patrol", "--officer", "   ", "--ref", " INC-1 "))
    (action,) = json.loads(ok(cli("export", "actions", "-f", "json")).stdout)
    # an export read back gives the same: a blank cell is empty, a ref is an identifier
    assert (action["officer"], action["ref"]) == (None, "INC-1")


@pytest.mark.parametrize("code", ["straße", "ﬁ01", "ÇW01", "CW\u0660\u0661", "CW\t01", "CW 01"])
def test_team_codes_are_ascii(cli: Run, db: Path, team: str, code: str) -> None:
    fails(cli, db, "team", "add", code, "--name", "x", "--no-national",
          text=f"code: team code {code.strip()!r} must be ASCII letters, digits and '-' "
          "(up to 32), e.g. CW01")  # fmt: skip


def test_ascii_codes_are_still_case_insensitive(cli: Run, db: Path, team: str) -> None:
    ok(cli("team", "add", "bl02", "--name", "Belgrave", "--no-national"))
    assert "BL02" in ok(cli("team", "show", "Bl02", "-f", "json")).stdout


def test_control_characters_are_escaped_for_people_and_kept_for_programs(
    cli: Run, cli_with: Any, pledges: None
) -> None:
    stored = f"{ESC} \u202eabc\rX\tY"
    ok(cli("log", "CW01-L1", stored, "--when", "2008-10-01"))
    plain = ok(cli("actions")).stdout  # piped: plain text
    terminal = ok(cli_with(stdout_isatty=True, no_color=True)("actions")).stdout
    record = ok(cli("pledge", "show", "CW01-L1")).stdout
    for text in (plain, terminal, record):
        assert not {"\x1b", "\u202e", "\r", "\t"} & set(text)
        assert "\\x1b[31mred" in text
    assert "\\x1b[31mred\\x1b[0m \\u202eabc\\rX\\tY" in plain
    # programs get the text exactly as stored
    assert stored in ok(cli("export", "actions")).stdout.replace("\r\n", "\n")
    (row,) = json.loads(ok(cli("actions", "-f", "json")).stdout)
    assert row["description"] == stored


def test_messages_and_errors_are_escaped_too(
    cli: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    result = ok(cli("team", "add", "CW01", "--name", f"Castle{ESC}", "--no-national"))
    assert "\x1b" not in result.stderr
    assert "added team CW01 (Castle\\x1b[31mred\\x1b[0m)" in result.stderr
    # an error naming a path with a line break in it is still one line
    line = assert_error(invoke(["--db", str(tmp_path / "two\nlines.db"), "summary"], env),
                        ExitCode.DATABASE)  # fmt: skip
    assert "two\\nlines.db" in line


def test_a_default_team_that_cannot_be_text_is_refused_by_its_source(
    cli_with: Any, env: Environment, db: Path, team: str
) -> None:
    bad = cli_with(vars={**env.vars, "PLEDGETRACK_TEAM": "CW\udcff"})
    fails(bad, db, "team", "show",
          text="PLEDGETRACK_TEAM is not valid UTF-8 (byte 0xFF at character 3)")  # fmt: skip
    officer = cli_with(vars={**env.vars, "PLEDGETRACK_OFFICER": "PC \x00"})
    fails(officer, db, "team", "edit", "CW01", "--name", "Castle",
          text="PLEDGETRACK_OFFICER contains a NUL character (at character 4)")  # fmt: skip


def test_a_line_break_in_a_cell_keeps_one_row_on_one_line(
    cli: Run, cli_with: Any, pledges: None
) -> None:
    stored = "line1\nline2\ttab\r\nend"
    ok(cli("log", "CW01-L1", stored, "--when", "2008-10-01"))
    ok(cli("log", "CW01-L1", "Patrol", "--when", "2008-10-02"))
    plain = ok(cli("actions", "-f", "plain")).stdout
    terminal = ok(cli_with(stdout_isatty=True, no_color=True)("actions", "-f", "table")).stdout
    for text in (plain, terminal):
        (row,) = [line for line in text.splitlines() if "line1" in line]
        assert "line1\\nline2\\ttab\\r\\nend" in row
    assert len(plain.splitlines()) == 4  # header, rule, two rows
    # programs get the text exactly as stored
    rows = json.loads(ok(cli("actions", "-f", "json")).stdout)
    assert stored in [row["description"] for row in rows]
    assert '"line1\nline2\ttab' in ok(cli("actions", "-f", "csv")).stdout


def test_a_records_line_breaks_are_kept_in_plain_text_and_in_a_table(
    cli: Run, cli_with: Any, pledges: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pledge show`'s description as stored, readably: each line after the first under
    the first, in plain text as in a table (was `\\n`, two characters, in plain text);
    other characters a terminal acts on are still escaped; its recent actions, a listing,
    keep one row a line; CSV and JSON carry the text exactly."""
    stored = "Patrols at dusk.\nMeet at the gate\r\n  then the park\t(kept)"
    ok(cli("pledge", "edit", "CW01-L1", "--description", stored))
    ok(cli("log", "CW01-L1", "one\ntwo", "--when", "2008-10-01"))
    monkeypatch.setenv("COLUMNS", "80")
    plain = ok(cli("pledge", "show", "CW01-L1")).stdout.splitlines()
    table = ok(cli_with(stdout_isatty=True, no_color=True)("pledge", "show", "CW01-L1"))
    for lines in (plain, table.stdout.splitlines()):
        at = next(i for i, line in enumerate(lines) if line.startswith("Description"))
        assert [line.rstrip() for line in lines[at : at + 3]] == [
            "Description  Patrols at dusk.",
            "             Meet at the gate\\r",
            "               then the park\\t(kept)",
        ]
        assert lines[at + 3].startswith("Agreed on")
        assert any("one\\ntwo" in line for line in lines)  # the action: one row, one line
    assert json.loads(ok(cli("pledge", "show", "CW01-L1", "-f", "json")).stdout)[
        "description"
    ] == stored
    assert '"Patrols at dusk.\nMeet at the gate' in ok(
        cli("pledge", "show", "CW01-L1", "-f", "csv")
    ).stdout


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_bare_carriage_return_in_a_cell_is_named_on_its_own_line(
    cli: Run, db: Path, pledges: None, end: str
) -> None:
    """Was `line 3` in a two-line file (the CR counted as a line end), the row misread."""
    path = db.parent / "actions.csv"
    stderr = refused_import(cli, db, "actions", f"{HEADER}CW01,CW01-L1,{WHEN},Pat\rrol,,,{end}")
    assert stderr == (
        f"error: {path}: line 2: a carriage return inside a cell that is not in quotes (put "
        'the cell in "double quotes", or remove it)\n'
    )


def test_a_file_whose_lines_end_in_a_carriage_return_alone_still_reads(
    cli: Run, db: Path, pledges: None
) -> None:
    path = db.parent / "mac.csv"
    path.write_text(f"{HEADER}CW01,CW01-L1,{WHEN},Patrol,,,\r".replace("\n", "\r"), newline="")
    assert ok(cli("import", "actions", str(path))).stderr.endswith("1 action from 1 row\n")


def test_an_unknown_code_is_echoed_as_typed_unless_it_could_be_one(cli: Run, db: Path) -> None:
    """Was `'\\x1b[31MCW01'`: the escape upper-cased, a different text from the one typed."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward"))
    fails(cli, db, "team", "show", "\x1b[31mCW01",
          text="unknown team '\\x1b[31mCW01' (see: pledgetrack team list)")  # fmt: skip
    fails(cli, db, "team", "show", "xx01", text="unknown team 'XX01' (see: pledgetrack team list)")
    fails(cli, db, "pledge", "show", "cw01-l\x1b",
          text="unknown pledge 'cw01-l\\x1b' (see: pledgetrack pledge list)")  # fmt: skip
