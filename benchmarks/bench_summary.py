"""How fast is a monthly compliance summary over a large log, against raw SQLite?

    python benchmarks/bench_summary.py                 # 1,000,000 actions, 600 teams
    python benchmarks/bench_summary.py --actions 200000 --teams 100

Builds a database with pledgetrack's own schema (rows generated with plain executemany, so
set-up is quick), then times, in the same run:

- `summarise()` for one month over every team (what `summary`, `overview` and
  `export summary` run), median of several runs;
- the physical limit: raw `sqlite3` doing one pass over the same month's actions, grouped
  by pledge and day, with the hour sums (the least any correct summary must read);
- the whole `pledgetrack overview` command in a subprocess, start-up included.

It prints the figures and the ratio to raw SQLite, plus SQLite's query plan for the
frequency aggregate. Nothing here is asserted: compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pledgetrack.domain.periods import parse_period
from pledgetrack.domain.targets import Unit
from pledgetrack.services.compliance import summarise
from pledgetrack.store.connection import open_store
from pledgetrack.store.queries import UNIT_START_SQL

LONDON = ZoneInfo("Europe/London")
AS_OF = datetime(2008, 11, 1, tzinfo=LONDON)
PLEDGES_PER_TEAM = [
    ("frequency", 2, "week", None, None),
    ("frequency", 4, "month", None, None),
    ("frequency", 1, "day", None, None),
    ("response", None, None, 24 * 60, None),
    ("share", None, None, None, 80.0),
]


def build(path: Path, n_teams: int, n_actions: int, seed: int = 2008) -> None:
    store = open_store(path, create=True, actor="bench", clock=lambda: AS_OF)
    conn = store.db.conn
    rng = random.Random(seed)
    now = AS_OF.isoformat()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO teams (id, code, name, setting, active, created_at)"
        " VALUES (?, ?, ?, 'urban', 1, ?)",
        [(t, f"T{t:04d}", f"Team {t}", now) for t in range(1, n_teams + 1)],
    )
    pledges = []
    for t in range(1, n_teams + 1):
        for seq, (kind, count, unit, within, share) in enumerate(PLEDGES_PER_TEAM, start=1):
            pledges.append(
                (len(pledges) + 1, f"T{t:04d}-L{seq}", t, seq, f"pledge {seq}", "2008-01-01",
                 kind, count, unit, within, share, now)
            )  # fmt: skip
    conn.executemany(
        "INSERT INTO pledges (id, ref, team_id, kind, seq, title, agreed_on, status, target_type,"
        " target_count, target_unit, target_within_minutes, target_share_pct, created_at)"
        " VALUES (?, ?, ?, 'local', ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)",
        pledges,
    )
    start = datetime(2008, 1, 1, tzinfo=LONDON)
    span_s = 365 * 24 * 3600

    def rows():  # type: ignore[no-untyped-def]
        for _ in range(n_actions):
            pledge = rng.randrange(len(pledges))
            team = pledge // len(PLEDGES_PER_TEAM) + 1
            kind = PLEDGES_PER_TEAM[pledge % len(PLEDGES_PER_TEAM)][0]
            when = (start + timedelta(seconds=rng.randrange(span_s))).astimezone(LONDON)
            received = hours = None
            if kind == "response":
                received = (when - timedelta(minutes=rng.randrange(48 * 60))).isoformat()
            if kind == "share":
                hours = 8.0
            yield (team, pledge + 1, when.isoformat(timespec="seconds"), received, "x", hours,
                   int(rng.random() < 0.2), now)  # fmt: skip

    conn.executemany(
        "INSERT INTO actions (team_id, pledge_id, occurred_at, received_at, description, hours,"
        " abstracted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    store.close()


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=1_000_000)
    parser.add_argument("--teams", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--keep", type=Path, help="build the database here and reuse it on the next run"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.db"
        if not path.exists():
            t0 = time.perf_counter()
            build(path, args.teams, args.actions)
            took = time.perf_counter() - t0
            print(f"built {args.actions:,} actions, {args.teams} teams: {took:.1f}s")
        period = parse_period("2008-10", date(2008, 10, 1))
        store = open_store(path, create=False, actor="bench", clock=lambda: AS_OF)
        month_rows = store.db.execute(
            "SELECT COUNT(*) FROM actions"
            " WHERE occurred_at >= '2008-10-01' AND occurred_at < '2008-11-01'"
        ).fetchone()[0]

        ours = timed(lambda: summarise(store, period, AS_OF), args.repeat)
        results = sum(len(s.results) for s in summarise(store, period, AS_OF))

        raw = sqlite3.connect(path)

        def raw_pass() -> None:
            # the best plan SQLite offers: per pledge, a seek on (pledge_id, occurred_at)
            raw.execute(
                "SELECT a.pledge_id, substr(a.occurred_at, 1, 10) AS d, COUNT(*),"
                " TOTAL(CASE WHEN a.abstracted = 0 THEN a.hours END), TOTAL(a.hours)"
                " FROM pledges p JOIN actions a ON a.pledge_id = p.id"
                " AND a.occurred_at >= ? AND a.occurred_at < ?"
                " WHERE a.voided_at IS NULL GROUP BY a.pledge_id, d",
                ("2008-09-29", "2008-11-01"),
            ).fetchall()

        limit = timed(raw_pass, args.repeat)
        cli = timed(
            lambda: subprocess.run(
                [sys.executable, "-m", "pledgetrack", "--db", str(path), "overview",
                 "--period", "2008-10", "--as-of", "2008-11-01", "--format", "csv"],
                check=True, capture_output=True,
            ),
            args.repeat,
        )  # fmt: skip
        print(f"month of October 2008: {month_rows:,} actions, {results:,} pledge results")
        print(f"summarise()                  {ours * 1000:8.0f} ms")
        print(f"raw sqlite3, one pass        {limit * 1000:8.0f} ms   (physical limit)")
        print(f"ratio to raw                 {ours / limit:8.1f}x")
        print(f"`pledgetrack overview` CLI   {cli * 1000:8.0f} ms   (start-up included)")
        plan = store.db.execute(
            "EXPLAIN QUERY PLAN SELECT p.ref, " + UNIT_START_SQL[Unit.WEEK] + ", COUNT(*) "
            "FROM actions a JOIN pledges p ON p.id = a.pledge_id "
            "WHERE p.target_type = 'frequency' AND p.target_unit = 'week' AND a.voided_at IS NULL "
            "AND a.occurred_at >= '2008-09-29' AND a.occurred_at < '2008-11-01' "
            "GROUP BY a.pledge_id, 2"
        ).fetchall()
        print("plan of the weekly frequency aggregate:")
        for row in plan:
            print("   ", row[-1])
        store.close()
        raw.close()


if __name__ == "__main__":
    main()
