"""Processes writing at once (cron and a sergeant, say) all succeed and lose nothing; an
import killed half-way leaves none of it, and its re-run stores it exactly once."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from helpers import Run, add_weekly_patrols, ok

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
        with open_store(path, create=False, actor=name, clock=now, busy_timeout_s=60) as store:
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


def test_three_imports_of_one_file_at_once_store_it_once(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """Each import's duplicate check runs inside its own write transaction (issue 8, item 2):
    three at once used to fail on the unique ref (without refs they stored every row three
    times: test_four_loggers_and_two_importers_at_once covers that case)."""
    add_weekly_patrols(cli, team)
    file = _actions_file(tmp_path, 5_000, refs=True)
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


def test_four_loggers_and_two_importers_at_once(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """The guarantee as a whole (issue 8): 4 processes logging 200 actions each while 2
    import the same 5,000-row file: exactly 800 + 5,000 rows, one change-log row each."""
    add_weekly_patrols(cli, team)
    file = _actions_file(tmp_path, 5_000, refs=False)
    loggers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), f"officer{n}", "200"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    importers = [_pledgetrack(db, "import", "actions", str(file)) for _ in range(2)]
    _all_succeed([*loggers, *importers])
    assert _count(db, "SELECT COUNT(*) FROM actions") == 5_800
    assert _count(db, "SELECT COUNT(DISTINCT ext_ref) FROM actions") == 800
    assert _count(db, "SELECT COUNT(*) FROM changes WHERE entity = 'action'") == 5_800
    assert (
        _count(db, "SELECT COUNT(DISTINCT entity_key) FROM changes WHERE entity = 'action'")
        == 5_800
    )


def _read_position(pid: int, path: Path) -> int:
    """How far process `pid` has read the file at `path` (Linux: /proc/PID/fdinfo)."""
    fds = Path(f"/proc/{pid}/fd")
    for fd in fds.iterdir():
        try:
            if fd.readlink() == path:
                info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
                return int(info.split("pos:")[1].split()[0])
        except OSError:  # the fd closed while we looked
            continue
    return 0


@pytest.mark.skipif(not Path("/proc/self/fdinfo").exists(), reason="needs Linux /proc")
def test_an_import_killed_half_way_leaves_none_of_it_and_reruns_once(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """SIGKILL (no cleanup possible) once the import has read 60% of its file (it is
    still validating; test_import_lock.py kills one while it writes). The database is
    intact and holds none of the file; a re-run stores it exactly once."""
    add_weekly_patrols(cli, team)
    n = 12_000
    file = _actions_file(tmp_path, n, refs=False).resolve()
    size = file.stat().st_size
    proc = _pledgetrack(db, "import", "actions", str(file))
    deadline = time.monotonic() + 120
    while _read_position(proc.pid, file) < size * 0.6:
        assert proc.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT COUNT(*) FROM actions").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM changes WHERE op = 'import'").fetchone()[0] == 0
    finally:
        conn.close()
    _all_succeed([_pledgetrack(db, "import", "actions", str(file))])
    assert _count(db, "SELECT COUNT(*) FROM actions") == n
    assert _count(db, "SELECT COUNT(*) FROM changes WHERE op = 'import'") == n
