"""`rollup`: team databases and summary CSVs into one force-wide table; `backup` for cron."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import on_database
from helpers import NOW, Run, assert_error, fails, ok
from pledgetrack.domain.periods import parse_period
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.services import league as force_league
from pledgetrack.services.compliance import summarise
from pledgetrack.store.connection import open_store

AS_OF = "2008-10-16 15:00"
# October brings in the national commitments, attached on 16 October (the pinned today)
PERIODS = ("--period", "2008-08..2008-10", "--as-of", AS_OF)


def _team(run: Run, code: str, name: str, patrol_days: list[str]) -> None:
    ok(run("team", "add", code, "--name", name, "--force", "Leicestershire Police"))
    ok(
        run(
            "pledge",
            "add",
            code,
            "Patrols",
            "--at-least",
            "2",
            "--per",
            "week",
            "--agreed",
            "2008-08-01",
        )
    )
    ok(
        run(
            "pledge",
            "add",
            code,
            "Messages within 24h",
            "--within",
            "24h",
            "--agreed",
            "2008-08-01",
        )
    )
    for day in patrol_days:
        ok(run("log", f"{code}-L1", "Foot patrol", "--when", f"{day} 19:00"))
    ok(
        run(
            "log",
            f"{code}-L2",
            "Email",
            "--received",
            f"{patrol_days[0]} 09:00",
            "--when",
            f"{patrol_days[0]} 11:00",
        )
    )


CW01 = ["2008-08-04", "2008-08-06", "2008-09-09"]
BL02 = ["2008-08-12", "2008-09-02", "2008-09-03", "2008-09-30"]


@pytest.fixture
def runner(env: Environment) -> Callable[[Path], Run]:
    return lambda path: on_database(path, env)


@pytest.fixture
def dbs(tmp_path: Path, runner: Callable[[Path], Run]) -> dict[str, Path]:
    """cw01.db and bl02.db, one team each, and both.db holding the same two teams."""
    paths = {name: tmp_path / f"{name}.db" for name in ("cw01", "bl02", "both")}
    _team(runner(paths["cw01"]), "CW01", "Castle Ward", CW01)
    _team(runner(paths["bl02"]), "BL02", "Belgrave", BL02)
    _team(runner(paths["both"]), "CW01", "Castle Ward", CW01)
    _team(runner(paths["both"]), "BL02", "Belgrave", BL02)
    return paths


def test_rollup_of_two_team_databases_equals_the_summary_of_one_holding_both(
    cli: Run, dbs: dict[str, Path], runner: Callable[[Path], Run]
) -> None:
    combined = ok(cli("rollup", str(dbs["cw01"]), str(dbs["bl02"]), *PERIODS)).stdout
    single = ok(runner(dbs["both"])("export", "summary", *PERIODS)).stdout
    assert combined == single
    rows = list(csv.DictReader(io.StringIO(single)))
    assert {r["pledge"] for r in rows} >= {"CW01-L1", "CW01-L2", "BL02-L1", "CW01-N4"}
    assert len({(r["team"], r["pledge"], r["period_start"]) for r in rows}) == len(rows)


def test_rollup_of_exported_csvs_equals_rollup_of_databases(
    cli: Run, dbs: dict[str, Path], runner: Callable[[Path], Run], tmp_path: Path
) -> None:
    files = []
    for name in ("bl02", "cw01"):
        out = tmp_path / f"{name}.csv"
        ok(runner(dbs[name])("export", "summary", *PERIODS, "-o", str(out)))
        files.append(str(out))
    from_csv = ok(cli("rollup", *files, "--period", "2008-08..2008-10")).stdout
    from_db = ok(cli("rollup", str(dbs["cw01"]), str(dbs["bl02"]), *PERIODS)).stdout
    assert from_csv == from_db
    # only the asked-for month is kept from CSVs
    september = ok(cli("rollup", *files, "--period", "2008-09")).stdout
    assert {r["period_start"] for r in csv.DictReader(io.StringIO(september))} == {"2008-09-01"}


def test_a_team_in_two_inputs_with_identical_figures_counts_once(
    cli: Run, dbs: dict[str, Path], runner: Callable[[Path], Run], tmp_path: Path
) -> None:
    exported = tmp_path / "cw01.csv"
    ok(runner(dbs["cw01"])("export", "summary", *PERIODS, "-o", str(exported)))
    twice = ok(cli("rollup", str(exported), str(dbs["cw01"]), str(dbs["both"]), *PERIODS))
    once = ok(runner(dbs["both"])("export", "summary", *PERIODS))
    assert twice.stdout == once.stdout


def test_conflicting_figures_are_refused_naming_both_sources(
    cli: Run, dbs: dict[str, Path], runner: Callable[[Path], Run], tmp_path: Path
) -> None:
    exported = tmp_path / "cw01.csv"
    ok(runner(dbs["cw01"])("export", "summary", *PERIODS, "-o", str(exported)))
    ok(runner(dbs["cw01"])("log", "CW01-L1", "Late entry", "--when", "2008-09-10 19:00"))
    result = cli("rollup", str(exported), str(dbs["cw01"]), *PERIODS)
    assert_error(
        result,
        ExitCode.USAGE,
        f"conflicting figures for team CW01 pledge CW01-L1 2008-09-01..2008-09-30: "
        f"{exported} line 4 has actual=1 compliance_pct=0.0 last_action=2008-09-09 "
        f"but {dbs['cw01']} has actual=2 compliance_pct=25.0 last_action=2008-09-10; both "
        "are final, judged after the same last change (2008-10-16T15:00:00+01:00), so "
        "neither is the newer: they were judged with different --as-of, or from different "
        "databases: roll up the right one alone",
    )


def test_two_csvs_in_conflict_say_they_may_be_of_different_moments(
    cli: Run, dbs: dict[str, Path], runner: Callable[[Path], Run], tmp_path: Path
) -> None:
    """FRESH2 G10: the usual cause is an --as-of; two databases in conflict get no such
    hint (each is judged at rollup's own --as-of)."""
    early, late = tmp_path / "early.csv", tmp_path / "late.csv"
    # both provisional (September not ended): a final file would take their place
    ok(runner(dbs["cw01"])("export", "summary", "--period", "2008-09", "--as-of",
                           "05/09/2008", "-o", str(early)))  # fmt: skip
    ok(runner(dbs["cw01"])("export", "summary", "--period", "2008-09", "--as-of",
                           "10/09/2008", "-o", str(late)))  # fmt: skip
    message = fails(cli, dbs["cw01"], "rollup", str(early), str(late), "--period", "2008-09")
    assert message.startswith("conflicting figures for team CW01 pledge CW01-L1 ")
    assert message.endswith("; the files may have been exported with different --as-of")
    ok(runner(dbs["both"])("log", "CW01-L1", "Late entry", "--when", "2008-09-10 19:00"))
    message = fails(cli, dbs["cw01"], "rollup", str(dbs["cw01"]), str(dbs["both"]), *PERIODS)
    assert message.endswith("last_action=2008-09-10")


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        (
            "UPDATE actions SET received_at = '2008-08-04 09:00' WHERE id = 4",
            "actions.received_at of row 4 is not a time pledgetrack can read "
            "('2008-08-04 09:00'); to correct it: pledgetrack --db {q} void 4 --reason '...', "
            "then log it again; see: pledgetrack --db {q} db check",
        ),
        (
            "UPDATE pledges SET target_unit = 'fortnight' WHERE ref = 'CW01-L1'",
            "pledges.target_unit of row 11 is not a target value pledgetrack can read "
            "('fortnight'); see: pledgetrack --db {q} db check",
        ),
    ],
)
def test_a_refused_stored_value_names_its_database_and_a_runnable_db_check(
    cli: Run, dbs: dict[str, Path], runner: Callable[[Path], Run], tmp_path: Path,
    sql: str, refusal: str,
) -> None:  # fmt: skip
    """FRESH2 G14: "row 4" is in every team's file; the one refused is named, and each
    command the refusal gives runs on it as shown (quoted for the shell)."""
    bad = tmp_path / "castle ward.db"
    bad.write_bytes(dbs["cw01"].read_bytes())
    with sqlite3.connect(bad) as conn:
        conn.execute(sql)
    conn.close()
    out = tmp_path / "r.csv"
    message = fails(cli, bad, "rollup", str(dbs["bl02"]), str(bad), *PERIODS, "-o", str(out),
                    code=ExitCode.DATABASE)  # fmt: skip
    quoted = f"'{bad}'"
    assert message == f"{bad}: " + refusal.format(q=quoted)
    assert not out.exists()
    check = runner(bad)("db", "check")  # the db check given, on that file, names the cell
    assert check.exit_code == ExitCode.DATABASE
    assert refusal.split(" is not")[0] in check.stdout


def test_league_table_ranks_teams(cli: Run, dbs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "force.csv"
    result = ok(
        cli(
            "rollup",
            str(dbs["cw01"]),
            str(dbs["bl02"]),
            "--period",
            "2008-09",
            "--as-of",
            AS_OF,
            "--league",
            "-o",
            str(out),
        )
    )
    assert out.read_text(encoding="utf-8").startswith("force,team,team_name,")
    lines = result.stdout.splitlines()
    assert lines[0] == "League September 2008"  # as overview says a period, for people
    assert [line.split()[0] for line in lines[3:]] == ["BL02", "CW01"]
    as_csv = ok(
        cli(
            "rollup",
            str(dbs["cw01"]),
            str(dbs["bl02"]),
            "--period",
            "2008-09",
            "--as-of",
            AS_OF,
            "--league",
            "-f",
            "csv",
        )
    ).stdout
    assert as_csv.splitlines() == [
        "team,team_name,pledges,green,amber,red,no_data,green_pct,period_start,period_end,"
        "pending,not_measured,provisional",
        # September: one week in four met (red); no messages received (no data); final
        "BL02,Belgrave,2,0,0,1,1,0.0,2008-09-01,2008-09-30,0,0,0",
        "CW01,Castle Ward,2,0,0,1,1,0.0,2008-09-01,2008-09-30,0,0,0",
    ]


def test_inputs_that_are_not_summaries_are_refused(cli: Run, tmp_path: Path) -> None:
    other = tmp_path / "actions.csv"
    other.write_text("team,pledge,when,description\n", encoding="utf-8")
    assert_error(
        cli("rollup", str(other)),
        ExitCode.USAGE,
        f"{other}: not an `export summary` CSV or database (missing columns force, team_name, "
        "pledge_title, pledge_type, target, period_start, period_end, actual, expected, "
        "compliance_pct, status, last_action)",
    )
    assert_error(
        cli("rollup", str(tmp_path / "gone.db")),
        ExitCode.USAGE,
        f"cannot read {tmp_path / 'gone.db'}: No such file or directory",
    )


def test_backup_copies_the_database_and_never_prompts_without_a_terminal(
    cli: Run, team: str, tmp_path: Path, env: Environment, db: Path
) -> None:
    dest = tmp_path / "backup.db"
    result = ok(cli("backup", str(dest)))
    assert result.stderr == f"backed up {db} to {dest}\n"
    copy = sqlite3.connect(dest)
    assert copy.execute("SELECT code FROM teams").fetchall() == [("CW01",)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    assert_error(
        cli("backup", str(dest)), ExitCode.USAGE, f"{dest} exists; pass --yes to replace it"
    )
    ok(cli("team", "add", "BL02", "--name", "Belgrave"))
    ok(cli("backup", str(dest), "--yes"))
    copy = sqlite3.connect(dest)
    assert len(copy.execute("SELECT code FROM teams").fetchall()) == 2
    copy.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")] == []


def test_league_over_several_periods_ranks_each_period_on_its_own(
    cli: Run, dbs: dict[str, Path]
) -> None:
    args = ("rollup", str(dbs["cw01"]), str(dbs["bl02"]), *PERIODS, "--league")
    # for people, as overview; October, still running on the 16th, may change
    months = ["August 2008", "September 2008", "October 2008 (provisional: BL02, CW01)"]
    plain = ok(cli(*args)).stdout
    blocks = plain.split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [f"League {m}" for m in months]
    for block in blocks:
        assert sorted(line.split()[0] for line in block.splitlines()[3:]) == ["BL02", "CW01"]
    rows = list(csv.DictReader(io.StringIO(ok(cli(*args[:-1])).stdout)))
    lines = list(csv.DictReader(io.StringIO(ok(cli(*args, "-f", "csv")).stdout)))
    spans = ["2008-08-01..2008-08-31", "2008-09-01..2008-09-30", "2008-10-01..2008-10-31"]
    assert [f"{r['period_start']}..{r['period_end']}" for r in lines] == [
        m for m in spans for _ in range(2)
    ]  # ISO in CSV, for programs
    for line in lines:
        own = [
            r
            for r in rows
            if (r["team"], r["period_start"]) == (line["team"], line["period_start"])
        ]
        assert int(line["pledges"]) == len(own)
        assert int(line["red"]) == sum(r["status"] == "red" for r in own)
    data = json.loads(ok(cli(*args, "-f", "json")).stdout)
    assert [(d["team"], d["period_start"]) for d in data] == [
        (line["team"], line["period_start"]) for line in lines
    ]


def test_the_league_of_rolled_up_rows_is_overviews_league(
    cli: Run, dbs: dict[str, Path], runner: Callable[[Path], Run]
) -> None:
    """One implementation: the league counted from rows is what `overview` shows."""
    both = runner(dbs["both"])
    shown = json.loads(
        ok(both("overview", "--period", "2008-09", "--as-of", AS_OF, "-f", "json")).stdout
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                ok(cli("rollup", str(dbs["both"]), "--period", "2008-09", "--as-of", AS_OF)).stdout
            )
        )
    )
    lines = force_league.league(rows)
    keys = ("team", "team_name", "pledges", *force_league.COUNTS, "green_pct")
    assert [{k: line[k] for k in keys} for line in lines] == [
        {k: s[k] for k in keys} for s in shown
    ]
    with open_store(dbs["both"], create=False, actor="x", clock=lambda: NOW) as store:
        summaries = summarise(store, parse_period("2008-09", date(2008, 10, 16)), NOW)
        assert force_league.from_summaries(summaries) == force_league.league(
            r.row() for s in summaries for r in s.results
        )


def test_backup_to_a_folder_that_does_not_exist_is_a_usage_error(
    cli: Run, team: str, tmp_path: Path, db: Path
) -> None:
    missing = tmp_path / "nowhere" / "dir" / "b.db"
    fails(
        cli, db, "backup", str(missing), text=f"cannot write {missing}: No such file or directory"
    )
    under_a_file = db / "b.db"
    fails(
        cli, db, "backup", str(under_a_file), text=f"cannot write {under_a_file}: Not a directory"
    )
    # named as the file to write, as `-o` names it (was click's `cannot read ...`)
    fails(cli, db, "backup", str(tmp_path), text=f"cannot write {tmp_path}: Is a directory")
    assert not missing.parent.exists()


@pytest.mark.parametrize(
    ("error", "reason"),
    [(PermissionError(13, "Permission denied"), "Permission denied"),
     (OSError(30, "Read-only file system"), "Read-only file system")],
)  # fmt: skip
def test_backup_the_system_refuses_to_write_is_exit_74(
    cli: Run, team: str, tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch,
    error: OSError, reason: str,
) -> None:  # fmt: skip
    """Another user's folder, a read-only mount (root, who runs the tests, may write
    anything, so the refusal is the system's own error, raised where it would be)."""
    import tempfile

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise error

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    dest = tmp_path / "b.db"
    assert_error(
        cli("backup", str(dest)), ExitCode.IO, f"cannot write backup {dest}: {reason}"
    )
    assert not dest.exists()


def test_a_team_with_no_pledge_in_force_still_has_a_line(cli: Run, db: Path) -> None:
    ok(cli("team", "add", "ZZ09", "--name", "Quiet", "--no-national"))
    with open_store(db, create=False, actor="x", clock=lambda: NOW) as store:
        summaries = summarise(store, parse_period("2008-09", date(2008, 10, 16)), NOW)
    lines = force_league.from_summaries(summaries)
    assert lines == [
        {
            "team": "ZZ09",
            "team_name": "Quiet",
            "force": None,
            "pledges": 0,
            "green": 0,
            "amber": 0,
            "red": 0,
            "no_data": 0,
            "green_pct": None,
            "period_start": "2008-09-01",
            "period_end": "2008-09-30",
            "pending": 0,
            "not_measured": 0,
            "provisional": 0,
        }
    ]
    assert list(lines[0]) == list(force_league.LINE_FIELDS)
    json.dumps(lines)  # plain values only: ready for `overview -f json` and `summary -f json`


def _exports(runner: Callable[[Path], Run], dbs: dict[str, Path], tmp_path: Path) -> list[str]:
    """cw01.csv and bl02.csv, each its team's August to October 2008."""
    files = []
    for name in ("cw01", "bl02"):
        out = tmp_path / f"{name}.csv"
        ok(runner(dbs[name])("export", "summary", *PERIODS, "-o", str(out)))
        files.append(str(out))
    return files


@pytest.mark.parametrize("league", [False, True])
def test_csvs_none_of_which_holds_the_period_are_refused_naming_what_they_hold(
    cli: Run,
    dbs: dict[str, Path],
    runner: Callable[[Path], Run],
    tmp_path: Path,
    league: bool,
) -> None:
    files = _exports(runner, dbs, tmp_path)
    out = tmp_path / "force.csv"
    asked = ("--period", "2008-11", "-o", str(out), *(["--league"] if league else []))
    fails(
        cli,
        dbs["cw01"],
        "rollup",
        *files,
        *asked,
        text="none of the 2 CSV files has rows for November 2008 (they hold "
        "2008-08-01..2008-08-31, 2008-09-01..2008-09-30, 2008-10-01..2008-10-31)",
    )
    assert not out.exists()  # no empty force table published
    # the last month they hold is rolled up: the edge is the period, not the files
    ok(cli("rollup", *files, "--period", "2008-10"))


def test_a_csv_giving_no_rows_to_a_rollup_that_has_some_is_warned_of(
    cli: Run, dbs: dict[str, Path], runner: Callable[[Path], Run], tmp_path: Path
) -> None:
    cw01, _ = _exports(runner, dbs, tmp_path)
    november = tmp_path / "bl02-nov.csv"
    ok(runner(dbs["bl02"])("export", "summary", "--period", "2008-11", "-o", str(november)))
    result = ok(cli("rollup", cw01, str(november), "--period", "2008-10"))
    assert (
        f"warning: {november} has no rows for October 2008 (it holds 2008-11-01..2008-11-30): "
        "none of it is rolled up"
    ) in result.stderr.splitlines()
    assert {r["team"] for r in csv.DictReader(io.StringIO(result.stdout))} == {"CW01"}
    assert "warning" not in ok(cli("rollup", cw01, "--period", "2008-10")).stderr
