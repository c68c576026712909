"""The time zone a database keeps its times in, recorded in it (schema 13).

A stored time carries its UTC offset, but its local day, a period's first day and what
`--when 10:00` means are the zone's: two sergeants whose configured zones differ would
put one evening's action in two periods without a word. So a database records the zone
it was created in (an upgrade records the zone of the command that upgrades it), and
every command on it reads, writes and shows times in that zone (cli.context).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

KEY = "timezone"  # its row in `settings`


def recorded_zone(conn: sqlite3.Connection) -> str | None:
    """The zone the database records; None before schema 13 (no `settings` table) or
    when no row says one."""
    if not _has_settings(conn):  # an older schema
        return None
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (KEY,)).fetchone()
    return None if row is None else str(row[0])


def record_zone(conn: sqlite3.Connection, name: str) -> None:
    """Record `name` unless a zone is recorded already (the caller holds the write
    transaction in which the database is created or upgraded)."""
    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (KEY, name))


def peek(path: Path) -> str | None:
    """The zone the file at `path` records, read before a command reads any time it was
    given; None when there is no such file, or none it can say (the command's own open
    says why, and checks the zone again: store.connection)."""
    if not path.is_file():
        return None
    uri = path.resolve().as_uri()
    for query in ("mode=ro", "mode=ro&immutable=1"):  # as store.connection reads a file
        try:
            conn = sqlite3.connect(f"{uri}?{query}", uri=True)
        except sqlite3.Error:
            continue
        try:
            return recorded_zone(conn)
        except sqlite3.Error:
            continue
        finally:
            conn.close()
    return None


def problems(conn: sqlite3.Connection, path: Path) -> list[str]:
    """What db check says of the recorded zone: none at schema 13 or later (another tool
    deleted it), or one this system does not know (another tool wrote it, or tzdata
    lacks it)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = recorded_zone(conn)
    if name is None:
        if not _has_settings(conn):
            return []
        example = "INSERT INTO settings VALUES ('timezone', 'Europe/London')"
        return [
            f"time zone: none recorded (settings.{KEY}), so each command uses its own "
            f'configured zone; record the one its times are in, e.g. sqlite3 {path} "{example}"'
        ]
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return [f"time zone: settings.{KEY} is not a zone this system knows: {name!r}"]
    return []


def _has_settings(conn: sqlite3.Connection) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'")
    return found.fetchone() is not None
