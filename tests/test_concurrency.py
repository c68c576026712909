"""Two processes writing at once (cron and a sergeant, say): both succeed, nothing is lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

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
