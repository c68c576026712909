"""The benchmarks run, on a tiny size, so that they cannot rot again.

benchmarks/generate.py must write only rows that `log` would accept (checked row by row
with the same rules), and benchmarks/run.py must produce its whole table.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import ok
from pledgetrack.domain.entry_rules import check_loggable, normalise_kind
from pledgetrack.domain.targets import FrequencyTarget
from pledgetrack.environment import Environment
from pledgetrack.store.actions import get_action
from pledgetrack.store.connection import open_store
from pledgetrack.store.pledges import list_pledges
from pledgetrack.store.teams import list_teams

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import generate  # noqa: E402
import run  # noqa: E402

from conftest import invoke  # noqa: E402


def test_generated_rows_are_all_loggable(tmp_path: Path) -> None:
    path = tmp_path / "force.db"
    n = generate.generate(
        path, teams=4, pledges_per_team=12, start=date(2008, 1, 1), months=12,
        actions_per_team_month=25,
    )  # fmt: skip
    assert n > 1000
    with open_store(path, create=False, actor="test", clock=datetime.now) as store:
        teams = {t.code: t for t in list_teams(store, include_archived=True)}
        pledges = {p.ref: p for p in list_pledges(store)}
        now = datetime.fromisoformat(
            store.db.execute("SELECT MAX(created_at) FROM actions").fetchone()[0]
        )
        ids = [row[0] for row in store.db.execute("SELECT id FROM actions")]
        assert len(ids) == n
        kinds = {p.target.type for p in pledges.values()}
        assert kinds == {"frequency", "response", "share", "deadline", "none"}
        assert any(p.closed_on for p in pledges.values())
        spring = store.db.execute(
            "SELECT COUNT(*) FROM actions WHERE occurred_at LIKE '2008-03-30T01:%'"
        ).fetchone()[0]
        assert spring == 0  # the hour the clocks skip holds nothing
        for action_id in ids:
            action = get_action(store, action_id)
            pledge = pledges[action.pledge]
            check_loggable(teams[action.team], pledge, action, now)
            assert action.kind == normalise_kind(action.kind)
            if isinstance(pledge.target, FrequencyTarget) and pledge.target.action_kind:
                assert action.kind == pledge.target.action_kind


def test_a_month_alone_is_the_same_month(tmp_path: Path) -> None:
    """--only-month writes exactly that month's rows of the full run (the history twin)."""
    sizes = {"teams": 3, "pledges_per_team": 10, "start": date(2008, 1, 1), "months": 12,
             "actions_per_team_month": 20}  # fmt: skip
    generate.generate(tmp_path / "full.db", **sizes)  # type: ignore[arg-type]
    generate.generate(tmp_path / "oct.db", only_month=date(2008, 10, 1), **sizes)  # type: ignore[arg-type]
    query = ("SELECT pledge_id, occurred_at, received_at, description, kind, hours "
             "FROM actions WHERE COALESCE(received_at, occurred_at) >= '2008-10-01' "
             "AND COALESCE(received_at, occurred_at) < '2008-11-01' ORDER BY 1, 2, 3")  # fmt: skip
    rows = []
    for name in ("full.db", "oct.db"):
        with open_store(tmp_path / name, create=False, actor="t", clock=datetime.now) as s:
            rows.append(s.db.execute(query).fetchall())
    assert rows[0] and rows[0] == rows[1]


def test_run_prints_every_figure(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--tiny", "--dir", str(tmp_path)],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    table = done.stdout
    for work in ("`summary --period 2008-10 --team T0002`", "`overview`", "`check`",
                 "`export summary`", "`export actions`", "peak memory", "`import actions`",
                 "`pledgetrack --help`", "`log` on a small database", "minimal click app",
                 "the same insert by plain sqlite3 with log's options, click",
                 '`python -c "import sqlite3"` / `pledgetrack --version`'):
        assert work in table, work
    assert "x |" in table  # ratios printed
    # each report beside the same reads by raw sqlite3, and where its time goes
    floors = [line for line in table.splitlines()
              if "the same reads by raw sqlite3, a fresh process)" in line]  # fmt: skip
    assert len(floors) == 4, floors
    # each listing (actions --limit 20 filtered every way, pledge show, history) beside
    # the same reads, with their statements and rows
    listed = [line for line in table.splitlines()
              if "the same reads by raw sqlite3, a fresh process: " in line]  # fmt: skip
    assert len(listed) == 10 and "`actions --limit 20` (tiny)" in listed[0], listed
    # and overview, check and export summary beside the prototype judged in SQL
    judged = [line for line in table.splitlines() if "judged in SQL" in line]
    assert [line.split(",")[0] for line in judged] == [
        "| `overview` (tiny)", "| `check` (tiny)", "| `export summary` (tiny)"], judged  # fmt: skip
    split = table[table.index("| report | pledgetrack | bare aggregate |"):].splitlines()[2:]
    assert [row.split(" | ")[0] for row in split if row.startswith("| `")] == [
        "| `summary --period 2008-10 --team T0002` (tiny)", "| `overview` (tiny)",
        "| `check` (tiny)", "| `export summary` (tiny)"]  # fmt: skip
    for row in split:
        if row.startswith("| `"):
            statements, fetched = row.split(" | ")[-1].rstrip(" |").split(" / ")
            assert int(statements) > 3 and int(fetched.split()[0]) > 0, row


@given(st.lists(st.floats(0.01, 10.0), min_size=1, max_size=9), st.integers(1, 9))
def test_a_settled_figure_is_the_median_all_runs_would_give(runs: list[float], repeat: int) -> None:
    """run.py stops repeating a command once more than half its runs are in and agree
    within SETTLED: whatever the runs it skips would have been, the median of all of them
    is within SETTLED of the one it gives."""
    import statistics

    runs = (runs * repeat)[:repeat] if len(runs) < repeat else runs[:repeat]
    for made in range(1, repeat + 1):
        if run.settled(runs[:made], repeat):
            given_ = statistics.median(runs[:made])
            assert abs(statistics.median(runs) - given_) <= run.SETTLED * given_ + 1e-12
            assert made == repeat or made > repeat // 2
            break
    else:
        pytest.fail("never settled")


def test_settled_needs_more_than_half_the_runs_and_their_agreement() -> None:
    assert not run.settled([50.0], 3)
    assert run.settled([49.0, 51.0], 3)  # 2 apart, 4% of their median 50: settled
    assert not run.settled([49.0, 51.001], 3)  # just over: a third run is made
    assert run.settled([1.0, 2.0, 3.0], 3) and run.settled([5.0], 1)
    assert not run.settled([1.0] * 10, 21) and run.settled([1.0] * 11, 21)
    assert not run.settled([1.0, 1.0], 4) and run.settled([1.0, 1.0, 1.0], 4)


def test_a_capture_is_reused_until_the_database_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run.py keeps each command's captured statements beside them and reuses them while
    the key (code, database file, command line, settings, day) is the same; a database
    written to since is captured again."""
    db = tmp_path / "force.db"
    generate.generate(db, teams=2, pledges_per_team=10, start=date(2008, 1, 1), months=12,
                      actions_per_team_month=10)  # fmt: skip
    env = run.cli_env(tmp_path)
    args = ("overview", "--period", "2008-10", "--as-of", run.AS_OF)
    path = tmp_path / "overview.reads"
    first = run.capture_reads(db, args, env, path)
    assert first.statements > 3 and first.fetched > 0 and path.with_suffix(".reads.json").exists()
    spawned: list[object] = []
    real = subprocess.run

    def counting(*a: object, **k: object) -> object:
        spawned.append(a)
        return real(*a, **k)  # type: ignore[call-overload]

    monkeypatch.setattr(run.subprocess, "run", counting)
    assert run.capture_reads(db, args, env, path) == first and spawned == []
    assert run.capture_reads(db, (*args, "--format", "csv"), env, path).statements
    assert len(spawned) == 2  # another command line: captured, and its rows counted
    spawned.clear()
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE teams SET name = name || ' (renamed)'")
    run.capture_reads(db, args, env, path)
    assert len(spawned) == 2  # the file changed: captured again
    spawned.clear()
    run.capture_reads(db, args, env, path)
    assert spawned == []


# The moments the prototype must agree at: the day after, mid-month, a week's first
# instant and its last second, both 01:30s of the night the clocks go back, the month's last
# minute, its first instant, and after the next month
JUDGED_MOMENTS = (
    "2008-11-01T12:00", "2008-10-15T09:00", "2008-10-06T00:00", "2008-10-05T23:59:59",
    "2008-10-26T01:30+01:00", "2008-10-26T01:30+00:00", "2008-10-31T23:59",
    "2008-10-01T00:00", "2008-12-05T12:00",
)  # fmt: skip


def _judged_in_sql(db: Path, *args: str) -> str:
    import sql_judged_overview

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        sql_judged_overview.main([str(db), *args])
    return out.getvalue()


def test_the_sql_judged_prototype_prints_what_overview_prints(
    tmp_path: Path, env: Environment
) -> None:
    """benchmarks/sql_judged_overview.py's figures (docs/performance.md) are only worth
    what its output is: `overview -f csv`'s, byte for byte, on a generated force (every
    target type, closed pledges) and on the demo (national commitments), at each moment."""
    force = tmp_path / "force.db"
    generate.generate(
        force, teams=4, pledges_per_team=20, start=date(2008, 1, 1), months=12,
        actions_per_team_month=40,
    )  # fmt: skip
    demo = tmp_path / "demo.db"
    ok(invoke(["demo", "--out", str(demo)], env))
    for db in (force, demo):
        for moment in JUDGED_MOMENTS:
            for period in ("2008-10", "2008-09"):
                expected = ok(invoke(["--db", str(db), "overview", "--period", period,
                                      "--as-of", moment, "-f", "csv"], env)).stdout  # fmt: skip
                assert _judged_in_sql(db, period, moment) == expected, (db.name, period, moment)
    # the lower bounds for export summary and check run too
    assert _judged_in_sql(force, "2008-10", JUDGED_MOMENTS[0], "--export").count("\n") > 40
    assert _judged_in_sql(force, "2008-10", "2008-10-31T12:00", "--check") == ""


@pytest.mark.parametrize("zone", ["Europe/London", "Australia/Sydney"])
def test_the_sql_judged_prototype_agrees_at_every_edge(
    tmp_path: Path, env: Environment, zone: str
) -> None:
    """The edges a generated force seldom reaches, each in a team of its own (so that no
    two changes can cancel in a team's counts): a week whose last day is the day the
    pledge closed, an item dealt with exactly at its limit and one open exactly that long,
    a deadline 7 days away, one due today, one achieved on the day judged, a share and a
    response exactly at their threshold and exactly at the amber band's floor, two a day;
    in a database that records London and in one that records Sydney (its clocks went
    forward on 5 October 2008), which the prototype reads as pledgetrack does."""
    env = dataclasses.replace(
        env, tz=ZoneInfo(zone), clock=lambda tz: datetime(2009, 1, 15, 12, tzinfo=tz)
    )
    db = tmp_path / "edges.db"

    def cli(*args: str) -> str:
        return ok(invoke(["--db", str(db), *args], env)).stdout.strip()

    def team(code: str, *target: str, agreed: str = "01/09/2008") -> str:
        cli("team", "add", code, "--name", code, "--no-national")
        return cli("pledge", "add", code, f"{code}'s pledge", *target, "--agreed", agreed)

    closed = team("WK01", "--at-least", "1", "--per", "week")
    cli("log", closed, "Patrol", "--when", "30/09/2008 10:00")  # none 6..12 October
    cli("pledge", "close", closed, "--status", "withdrawn", "--outcome", "x", "--on", "12/10/2008")
    limit = team("RS01", "--within", "24h")
    cli("log", limit, "Call", "--received", "10/10/2008 09:00", "--when", "11/10/2008 09:00")
    cli("log", limit, "Call", "--received", "31/10/2008 12:00", "--open")
    amber = team("RS02", "--within", "24h", "--threshold", "90")  # 8 of 10: 80%, the floor
    for day in range(1, 11):
        done = f"{day + 1:02d}/10/2008 {'08:00' if day <= 8 else '11:00'}"
        cli("log", amber, "Call", "--received", f"{day:02d}/10/2008 09:00", "--when", done)
    share = team("SH01", "--share", "80")
    cli("log", share, "Patrol", "--when", "10/10/2008 10:00", "--hours", "8")
    cli("log", share, "Court", "--when", "11/10/2008 10:00", "--hours", "2", "--abstracted")
    team("DL01", "--by", "31/10/2008")  # 7 days after 24 October
    team("DL02", "--by", "24/10/2008")  # due on the day judged
    achieved = team("DL03", "--by", "30/10/2008")
    cli("pledge", "close", achieved, "--status", "achieved", "--outcome", "x", "--on", "24/10/2008")
    twice = team("DY01", "--at-least", "2", "--per", "day", "--threshold", "10")
    for day, times in ((1, 2), (2, 1), (3, 3), (4, 2)):
        for n in range(times):
            cli("log", twice, "Patrol", "--when", f"{day:02d}/10/2008 1{n}:00")
    for moment in ("2008-11-01T12:00", "2008-10-24T12:00", "2008-10-05T12:00"):
        expected = cli("overview", "--period", "2008-10", "--as-of", moment, "-f", "csv")
        assert _judged_in_sql(db, "2008-10", moment).strip() == expected, moment


def test_same_output_compares_what_two_trees_print(tmp_path: Path) -> None:
    """benchmarks/same_output.py (a faster store's before and after, docs/performance.md)
    compares every part of a run: the same tree twice gives the same, a report's file
    included; another database prints something else."""
    import same_output

    db, other = tmp_path / "force.db", tmp_path / "other.db"
    sizes = {"teams": 2, "pledges_per_team": 10, "start": date(2008, 9, 1), "months": 2,
             "actions_per_team_month": 20}  # fmt: skip
    generate.generate(db, **sizes)  # type: ignore[arg-type]
    generate.generate(other, seed=7, **sizes)  # type: ignore[arg-type]
    src = Path(__file__).resolve().parents[1] / "src"
    export = next(c for c in same_output.commands(same_output.MOMENTS[:1], "T0001")
                  if c[0] == "export")  # fmt: skip
    before = same_output.run(src, db, export, tmp_path)
    assert before[0] == 0 and before[3] and before[3].count(b"\n") > 10
    assert same_output.run(None, db, export, tmp_path) == before
    assert same_output.run(None, other, export, tmp_path) != before


def test_run_builds_its_start_up_database_again_after_a_schema_change(tmp_path: Path) -> None:
    """A `--dir` kept from an earlier release held a start-up database at its schema, which
    a report refuses: `run.py --quick` stopped at the start-up rows (exit 3)."""
    import run  # benchmarks/run.py

    from pledgetrack.store.migrations import LATEST_VERSION

    path = run.startup_database(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION - 3}")
    conn.close()
    again = run.startup_database(tmp_path)
    conn = sqlite3.connect(again)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert conn.execute("SELECT code FROM teams").fetchall() == [(run.STARTUP_TEAM,)]
    finally:
        conn.close()
