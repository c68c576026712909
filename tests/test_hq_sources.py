"""`report hq DB_OR_CSV...`: headquarters' report of what the teams send (FRESH4 G8), one
database or `export summary` file per team, rolled up by rollup's rules. The clock is
NOW, Thursday 16 October 2008; the report is of September, as of 1 October."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import on_database
from helpers import Run, assert_error, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode

SEPTEMBER = ("--period", "2008-09", "--as-of", "2008-10-01", "--format", "md")


def _team(run: Run, code: str, name: str, patrols: list[str]) -> None:
    """A team with the national commitments from 1 August, a weekly patrol pledge, and a
    message answered in time on the first patrol day."""
    ok(run("team", "add", code, "--name", name, "--since", "2008-08-01"))
    ok(run("pledge", "add", code, "Patrols", "--at-least", "1", "--per", "week",
           "--agreed", "2008-08-01"))  # fmt: skip
    for day in patrols:
        ok(run("log", f"{code}-L1", "Foot patrol", "--when", f"{day} 19:00"))
    ok(run("message", code, "--note", "Email", "--received", f"{patrols[0]} 09:00",
           "--when", f"{patrols[0]} 11:00"))  # fmt: skip


CW01 = ["2008-08-04", "2008-08-11", "2008-09-01", "2008-09-08", "2008-09-15", "2008-09-22"]
BL02 = ["2008-08-12", "2008-09-02", "2008-09-30"]


@pytest.fixture
def on(env: Environment) -> Callable[[Path], Run]:
    return lambda path: on_database(path, env)


TEAMS = (("cw01", "CW01", "Castle Ward", CW01), ("bl02", "BL02", "Belgrave", BL02))


@pytest.fixture
def dbs(tmp_path: Path, on: Callable[[Path], Run]) -> dict[str, Path]:
    """What two teams send HQ (cw01.db, bl02.db), and both teams in one (both.db)."""
    both = tmp_path / "both.db"
    paths = {"both": both}
    for name, code, team, days in TEAMS:
        paths[name] = tmp_path / f"{name}.db"
        for path in (paths[name], both):
            _team(on(path), code, team, days)
    return paths


def without_sources(md: str) -> str:
    """The report less the one paragraph naming what it was rolled up from."""
    kept = [p for p in md.split("\n\n") if not p.startswith("Rolled up from ")]
    return "\n\n".join(kept)


def test_the_report_of_two_team_databases_is_the_report_of_one_holding_both(
    cli: Run, dbs: dict[str, Path], on: Callable[[Path], Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    one = ok(on(dbs["both"])("report", "hq", *SEPTEMBER)).stdout
    monkeypatch.chdir(dbs["both"].parent)  # the incoming folder
    result = ok(cli("report", "hq", "cw01.db", "bl02.db", *SEPTEMBER))
    assert without_sources(result.stdout) == one
    assert "| 1 | CW01 | Castle Ward |" in one and "| 2 | BL02 | Belgrave |" in one
    assert (
        "Rolled up from 2 sources as the rollup command combines them (the same figures "
        "counted once, final figures in place of provisional ones, sources that disagree "
        "refused): cw01.db, bl02.db."
    ) in result.stdout
    assert "Listed from the databases given only" not in result.stdout


def test_the_report_of_each_teams_twelve_months_of_files_is_the_databases(
    cli: Run, dbs: dict[str, Path], on: Callable[[Path], Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What cron.md's teams send: `export summary` files; the charts' twelve months come
    from the months the files hold."""
    monkeypatch.chdir(dbs["both"].parent)
    files = []
    for name in ("cw01", "bl02"):
        ok(on(dbs[name])("export", "summary", "--period", "2007-10..2008-09", "--as-of",
                         "2008-10-01", "-o", f"{name}.csv"))  # fmt: skip
        files.append(f"{name}.csv")
    one = ok(on(dbs["both"])("report", "hq", *SEPTEMBER)).stdout
    md = ok(cli("report", "hq", *files, *SEPTEMBER)).stdout
    closings = (
        "Listed from the databases given only: export summary files "
        f"({files[0]}, {files[1]}) do not say which of their pledges closed, and the "
        "league counts each of them as the file judged it."
    )
    assert closings in md
    unknown = "not known: no database was given"
    # the league's closed count of a team only a file sent is not known, not 0 (FRESH6 I6)
    assert md.count(" | not known |") == 2
    assert without_sources(md).replace(f"{closings}\n\n", "").replace(
        unknown, "no pledge closed in September 2008"
    ).replace(" | not known |", " | 0 |") == one
    assert f"**Pledges closed in September 2008, by team**\n\n{unknown}\n" in md
    assert "| August 2008 | 100.0 |" in one  # N4 of August: the trends have both months


def test_final_figures_take_the_place_of_the_first_files_provisional_ones(
    cli: Run, dbs: dict[str, Path], on: Callable[[Path], Run], tmp_path: Path
) -> None:
    """The file of the 1st (a message of the 30th still open and in time) and the database
    later: the report counts the final figures and says so on stderr, as rollup does."""
    bl02 = on(dbs["bl02"])
    said = ok(bl02("message", "BL02", "--note", "Voicemail", "--received", "2008-09-30 22:00",
                   "--open"))  # fmt: skip
    first = tmp_path / "bl02-first.csv"
    ok(bl02("export", "summary", "--period", "2008-09", "--as-of", "2008-10-01 06:00",
            "-o", str(first)))  # fmt: skip
    ok(bl02("respond", said.stdout.strip(), "--when", "2008-10-01 20:00"))  # in time: 22 hours
    args = ("report", "hq", str(first), str(dbs["bl02"]), "--period", "2008-09", "--format", "md")
    result = ok(cli(*args, "--as-of", "2008-10-03"))
    assert (
        f"note: {dbs['bl02']}'s final figures replace {first}'s provisional ones (1 row)\n"
    ) in result.stderr
    assert "Provisional:" not in result.stdout


def test_two_sources_that_disagree_are_refused_naming_both_and_no_report_is_written(
    cli: Run, dbs: dict[str, Path], on: Callable[[Path], Run], tmp_path: Path
) -> None:
    copy = tmp_path / "cw01-copy.db"
    copy.write_bytes(dbs["cw01"].read_bytes())
    ok(on(dbs["cw01"])("log", "CW01-L1", "Foot patrol", "--when", "2008-09-29 19:00"))
    out = tmp_path / "hq.html"
    result = cli("report", "hq", str(copy), str(dbs["cw01"]), "--period", "2008-09",
                 "--as-of", "2008-10-01", "-o", str(out))  # fmt: skip
    message = assert_error(result, ExitCode.USAGE)
    assert message.startswith(
        f"conflicting figures for team CW01 pledge CW01-L1 2008-09-01..2008-09-30: {copy} has "
    )
    assert f" but {dbs['cw01']} has " in message
    assert not out.exists()


def test_the_report_is_never_written_over_what_it_reads(
    cli: Run, dbs: dict[str, Path]
) -> None:
    before = dbs["bl02"].read_bytes()
    result = cli("report", "hq", str(dbs["cw01"]), str(dbs["bl02"]), "-o", str(dbs["bl02"]))
    assert_error(result, ExitCode.USAGE)
    assert dbs["bl02"].read_bytes() == before


def test_a_file_written_says_how_many_sources(
    cli: Run, dbs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "hq.html"
    result = ok(cli("report", "hq", str(dbs["cw01"]), str(dbs["bl02"]), "--period", "2008-09",
                    "--as-of", "2008-10-01", "-o", str(out)))  # fmt: skip
    assert result.stderr == f"wrote the HQ report of 2 sources to {out}\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("ref", "team", "number"),
    [
        ("CW01-N4", "CW01", 4),
        ("CW01-N10", "CW01", 10),
        ("CW01-L4", "CW01", None),
        ("A-B-N3", "A-B", 3),
        ("A-B-N3", "B", None),
        ("CW01-N", "CW01", None),
        ("CW01-N\u0663", "CW01", None),  # an Arabic-Indic three: a digit, not ours
    ],
)
def test_a_rows_national_commitment_is_read_from_its_teams_ref(
    ref: str, team: str, number: int | None
) -> None:
    from pledgetrack.domain.models import national_number

    assert national_number(ref, team) == number


def test_a_team_a_database_sent_has_its_closings_counted_beside_one_a_file_sent(
    cli: Run, dbs: dict[str, Path], on: Callable[[Path], Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(dbs["both"].parent)
    ok(on(dbs["cw01"])("pledge", "close", "CW01-L1", "--status", "withdrawn", "--outcome",
                       "Residents chose another priority", "--on", "2008-09-30"))  # fmt: skip
    ok(on(dbs["bl02"])("export", "summary", "--period", "2007-10..2008-09", "--as-of",
                       "2008-10-01", "-o", "bl02.csv"))  # fmt: skip
    md = ok(cli("report", "hq", "cw01.db", "bl02.csv", *SEPTEMBER)).stdout
    head = next(line for line in md.splitlines() if line.startswith("| \\# | Team |"))
    assert head.endswith(" | Closed in period |")
    rows = [line.split(" | ") for line in md.splitlines() if line[:4] in ("| 1 ", "| 2 ")]
    assert {cells[1]: cells[-1] for cells in rows} == {"CW01": "1 |", "BL02": "not known |"}
