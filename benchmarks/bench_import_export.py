"""How fast are `import actions` and `export actions`, next to raw sqlite3 and csv?

    python benchmarks/bench_import_export.py [--rows N] [--keep DIR]

Generates N actions (default 200,000) as an `export actions`-shaped CSV for two teams,
then times, each on a fresh copy of the same database:

- `pledgetrack import actions` (a real subprocess: start-up, validation of every row with
  the rules `log` applies, duplicate checks, audit rows, one transaction), against
  csv.reader + sqlite3 executemany of the same rows in one transaction, unvalidated;
- `pledgetrack export actions -o FILE`, against csv.writer(...).writerows(cursor).

Prints rows/s and the ratio to raw. The machines are noisy: compare ratios in one run.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pledgetrack.domain.models import Team
from pledgetrack.domain.targets import FrequencyTarget, ResponseTarget, Unit
from pledgetrack.services.pledge_lifecycle import new_local_pledge
from pledgetrack.store.connection import open_store
from pledgetrack.store.teams import add_team

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2009, 1, 1, 12, 0, tzinfo=LONDON)
HEADER = ["team", "pledge", "when", "received", "description", "kind", "officer", "partner",
          "hours", "abstracted", "ref"]  # fmt: skip


def build_database(path: Path) -> None:
    with open_store(path, create=True, actor="bench", clock=lambda: NOW) as store:
        for code, name in (("CW01", "Castle Ward"), ("BL02", "Belgrave")):
            add_team(store, Team(code=code, name=name, force="Leicestershire Police"))
            new_local_pledge(store, code, "Patrols", FrequencyTarget(count=2, unit=Unit.WEEK),
                             agreed_on=datetime(2008, 1, 1).date())  # fmt: skip
            new_local_pledge(store, code, "Messages", ResponseTarget(within_minutes=24 * 60),
                             agreed_on=datetime(2008, 1, 1).date())  # fmt: skip


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(2008)
    start = datetime(2008, 1, 1, tzinfo=UTC)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(HEADER)
        for n in range(rows):
            team = "CW01" if n % 2 else "BL02"
            done = (start + timedelta(seconds=rng.randrange(365 * 86400))).astimezone(LONDON)
            response = n % 5 == 0
            received = done - timedelta(minutes=rng.randrange(2880)) if response else None
            out.writerow([
                team,
                f"{team}-L2" if response else f"{team}-L1",
                done.isoformat(timespec="seconds"),
                received.isoformat(timespec="seconds") if received else "",
                "Email answered" if response else "High-visibility foot patrol",
                "" if response else "patrol",
                rng.choice(["PC Jones", "PCSO Begum", "PCSO Clarke"]),
                "",
                "" if response else f"{rng.randrange(1, 9)}.5",
                "",
                f"INC-{n:07d}",
            ])  # fmt: skip


def run_cli(db: Path, *args: str) -> float:
    env = {**os.environ, "PLEDGETRACK_TZ": "Europe/London"}
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pledgetrack", "--db", str(db), *args],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


RAW_INSERT = (
    "INSERT INTO actions (team_id, pledge_id, occurred_at, received_at, description, kind, "
    "officer, partner, hours, abstracted, ext_ref, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def raw_import(db: Path, source: Path) -> float:
    """The floor: read the CSV and executemany in one transaction, with no checks at all."""
    began = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    teams = dict(conn.execute("SELECT code, id FROM teams").fetchall())
    pledges = dict(conn.execute("SELECT ref, id FROM pledges").fetchall())
    now = NOW.isoformat()
    with source.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows = (
            (teams[r[0]], pledges[r[1]], r[2], r[3] or None, r[4], r[5] or None, r[6] or None,
             r[7] or None, float(r[8]) if r[8] else None, 0, r[10] or None, now)
            for r in reader
        )  # fmt: skip
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(RAW_INSERT, rows)
        conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - began


RAW_SELECT = (
    "SELECT a.id, t.code, p.ref, a.occurred_at, a.received_at, a.description, a.kind, "
    "a.officer, a.partner, a.hours, a.abstracted, a.ext_ref, a.voided_at, a.void_reason, "
    "a.created_at FROM actions a JOIN teams t ON t.id = a.team_id "
    "JOIN pledges p ON p.id = a.pledge_id WHERE a.voided_at IS NULL ORDER BY a.id"
)


def raw_export(db: Path, target: Path) -> float:
    began = time.perf_counter()
    conn = sqlite3.connect(db)
    with target.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(conn.execute(RAW_SELECT))
    conn.close()
    return time.perf_counter() - began


def report(label: str, rows: int, ours: float, raw: float) -> None:
    print(
        f"{label:<16} pledgetrack {rows / ours:>9,.0f} rows/s ({ours:6.2f} s)   "
        f"raw {rows / raw:>9,.0f} rows/s ({raw:6.2f} s)   ours/raw speed {raw / ours:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="actions to generate")
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="pt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        template, source = work / "template.db", work / "actions.csv"
        for stale in work.glob("*.db*"):
            stale.unlink()
        build_database(template)
        write_csv(source, args.rows)
        ours_db, raw_db = work / "ours.db", work / "raw.db"
        shutil.copy(template, ours_db)
        shutil.copy(template, raw_db)
        print(f"{args.rows:,} actions, {source.stat().st_size / 1e6:.1f} MB of CSV, in {work}")
        report("import actions", args.rows, run_cli(ours_db, "import", "actions", str(source)),
               raw_import(raw_db, source))  # fmt: skip
        report("export actions", args.rows,
               run_cli(ours_db, "export", "actions", "-o", str(work / "ours.csv")),
               raw_export(raw_db, work / "raw.csv"))  # fmt: skip
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
