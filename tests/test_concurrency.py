"""Two processes writing at once (cron and a sergeant, say): both succeed, nothing is lost."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import Run, ok

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from pledgetrack.domain.models import Action
    from pledgetrack.services.action_log import log_action
    from pledgetrack.store.connection import open_store

    path, name, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    now = lambda: datetime(2008, 10, 16, 12, tzinfo=timezone.utc)
    for i in range(n):
        # a fresh connection each time, as separate CLI runs would have
        with open_store(path, create=False, actor=name, clock=now) as store:
            log_action(store, Action(team="", pledge="CW01-L1", description=f"{name} {i}",
                                     occurred_at=now(), ext_ref=f"{name}-{i}"))
    """
)


def test_two_writers_at_once_lose_nothing(cli: Run, db: Path, team: str) -> None:
    ok(cli("pledge", "add", team, "Patrols", "--at-least", "1", "--per", "week"))
    n = 60
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), name, str(n)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("cron", "sergeant")
    ]
    for proc in writers:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    conn = sqlite3.connect(db)
    try:
        refs = {r[0] for r in conn.execute("SELECT ext_ref FROM actions")}
        logged = conn.execute(
            "SELECT COUNT(*) FROM changes WHERE op = 'insert' AND entity = 'action'"
        )
        assert refs == {f"{who}-{i}" for who in ("cron", "sergeant") for i in range(n)}
        assert logged.fetchone()[0] == 2 * n
    finally:
        conn.close()


def _pledgetrack(db: Path, *args: str) -> subprocess.Popen[str]:
    """The real command in its own process; a generous busy timeout for a loaded machine."""
    return subprocess.Popen(
        [sys.executable, "-m", "pledgetrack", "--db", str(db), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PLEDGETRACK_BUSY_TIMEOUT": "60"},
    )


def _all_succeed(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _actions_file(tmp_path: Path, n: int, *, refs: bool) -> Path:
    path = tmp_path / f"actions-{n}-{refs}.csv"
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["team", "pledge", "when", "description", *(["ref"] if refs else [])])
        for i in range(n):
            when = f"2008-10-{1 + i % 15:02d}T{i % 24:02d}:{i % 60:02d}:00+01:00"
            out.writerow(["CW01", "CW01-L1", when, f"patrol {i}", *([f"R{i}"] if refs else [])])
    return path


@pytest.mark.parametrize("refs", [False, True], ids=["by content", "by ref"])
def test_three_imports_of_one_file_at_once_store_it_once(
    cli: Run, db: Path, team: str, tmp_path: Path, refs: bool
) -> None:
    """Each import's duplicate check runs inside its own write transaction (issue 8, item 2):
    three at once used to store every row three times, or fail on the unique ref."""
    ok(
        cli(
            "pledge",
            "add",
            team,
            "Patrols",
            "--at-least",
            "1",
            "--per",
            "week",
            "--agreed",
            "1/9/08",
        )
    )
    file = _actions_file(tmp_path, 5_000, refs=refs)
    _all_succeed([_pledgetrack(db, "import", "actions", str(file)) for _ in range(3)])
    assert _count(db, "SELECT COUNT(*) FROM actions") == 5_000
    assert _count(db, "SELECT COUNT(*) FROM changes WHERE op = 'import'") == 5_000


def test_three_pledge_imports_of_one_file_at_once_store_it_once(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    file = tmp_path / "pledges.csv"
    lines = [f"CW01,Pledge {i},01/09/2008" for i in range(2_000)]
    file.write_text("team,title,agreed\n" + "\n".join(lines) + "\n")
    before = _count(db, "SELECT COUNT(*) FROM pledges")
    _all_succeed([_pledgetrack(db, "import", "pledges", str(file)) for _ in range(3)])
    assert _count(db, "SELECT COUNT(*) FROM pledges") == before + 2_000
