"""The time zone a database keeps its times in, recorded in it (schema 13).

A stored time carries its UTC offset, but its local day, a period's first day and what
`--when 10:00` means are the zone's: two sergeants whose configured zones differ would
put one evening's action in two periods without a word. So a database records the zone
it was created in (an upgrade records the zone of the command that upgrades it), and
every command on it reads, writes and shows times in that zone (cli.context).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from itertools import pairwise
from pathlib import Path

from pledgetrack.environment import known_zone

KEY = "timezone"  # its row in `settings`


def recorded_zone(conn: sqlite3.Connection) -> str | None:
    """The zone the database records; None before schema 13 (no `settings` table) or
    when no row says one."""
    if not _has_settings(conn):  # an older schema
        return None
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (KEY,)).fetchone()
    return None if row is None else str(row[0])


def unrecorded(conn: sqlite3.Connection) -> bool:
    """A file at schema 13 or later whose zone row another tool deleted: the next command
    that records records its zone (store.connection), as an upgrade does."""
    return _has_settings(conn) and recorded_zone(conn) is None


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
    name = recorded_zone(conn)
    if name is None:
        if not _has_settings(conn):
            return []
        example = "INSERT INTO settings VALUES ('timezone', 'Europe/London')"
        return [
            f"time zone: none recorded (settings.{KEY}), so each command uses its own "
            f'configured zone; record the one its times are in, e.g. sqlite3 {path} "{example}"'
        ]
    if known_zone(name) is None:
        return [f"time zone: settings.{KEY} is not a zone this system knows: {name!r}"]
    return []


def _has_settings(conn: sqlite3.Connection) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'")
    return found.fetchone() is not None


# The stored times whose offsets show the zone a file's times were written in, and which
# rows of each: every action's time, through its index, an open response item's receipt
# (no occurred_at yet), through its partial index, and the few of teams, pledges and
# planned meetings. (A closed item's receipt, created_at and voided_at would each cost a
# scan of actions, 2 s at ten million, for no more evidence than occurred_at gives.)
EVIDENCE = (
    ("actions", "occurred_at", ""),
    ("actions", "received_at", "occurred_at IS NULL"),
    ("teams", "created_at", ""),
    ("pledges", "created_at", ""),
    ("planned_meetings", "starts_at", ""),
)
# a range of local stored text, `2008-03-30T02:00:00` up to `2008-10-26T01:00:00`, and the
# offsets a time in it may carry
Span = tuple[str, str, tuple[str, ...]]
_STEP = 6 * 3600  # seconds between the samples that find a zone's clock changes


def misfit(conn: sqlite3.Connection, name: str) -> tuple[str, int, str, str] | None:
    """The first stored time whose UTC offset is not the zone `name`'s at that instant,
    as (table.column, row id, text, the zone's offset then); None when every one fits
    (a file with no stored times fits every zone). Such a file was not written in `name`:
    recording it would put every later time, typed or judged, on another wall clock.

    The zone's offsets are laid out as spans of local text (`2008-03-30T02:00:00` to
    `2008-10-26T01:00:00` takes `+01:00`; the hour after the clocks go back takes either;
    the hour they skip, none), and each column's index is read once, range by range,
    comparing the offset's text: about 3 s CPU at ten million actions, once."""
    from zoneinfo import ZoneInfo

    from pledgetrack.domain.dates import FIRST_DAY, LAST_DAY

    tz = ZoneInfo(name)
    present = [
        (t, c, rows) for t, c, rows in EVIDENCE
        if conn.execute("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", (t, c)).fetchone()
    ]
    days = []
    for table, column, _ in present:  # every fragment is one of our own names
        for extreme in ("min", "max"):  # apart: SQLite seeks an index only for one alone
            days += conn.execute(
                f"SELECT {extreme}({column}) FROM {table} WHERE {column} IS NOT NULL"  # noqa: S608
            ).fetchone()
    stored = [d for d in days if d is not None]
    if not stored:
        return None

    def day(text: object, fallback: object) -> datetime:
        try:
            found = datetime.fromisoformat(str(text)[:10])
        except ValueError:
            found = datetime.combine(fallback, datetime.min.time())  # type: ignore[arg-type]
        return found.replace(tzinfo=UTC)

    start = min(day(d, FIRST_DAY) for d in stored) - timedelta(days=2)
    end = max(day(d, LAST_DAY) for d in stored) + timedelta(days=2)
    spans = _local_spans(tz, start, end)
    for table, column, rows in present:
        for row in _misfits(conn, table, column, rows, spans):
            try:
                then = datetime.fromisoformat(row[1]).astimezone(tz).isoformat()[19:]
            except ValueError:  # not a time at all: db check's to say
                continue
            return f"{table}.{column}", int(row[0]), str(row[1]), then
    return None


def _misfits(
    conn: sqlite3.Connection, table: str, column: str, rows: str, spans: list[Span]
) -> Iterator[tuple[int, str]]:
    """The `rows` (SQL, or all) of `column` whose offset is none its span allows:
    occurred_at span by span through its index (the first found is the earliest), any
    other in one scan."""
    fits = f"{column} >= ? AND {column} < ? AND substr({column}, 20) IN (%s)"
    shaped = f"SELECT id, {column} FROM {table} WHERE length({column}) = 25 AND "  # noqa: S608
    if rows:
        shaped += f"{rows} AND "
    if (table, column) == ("actions", "occurred_at"):
        for span in spans:
            sql = shaped + fits.replace(" IN ", " NOT IN ") % ", ".join("?" * len(span[2]))
            yield from conn.execute(sql + " LIMIT 1", (span[0], span[1], *span[2]))
        return
    held = " OR ".join(f"({fits % ', '.join('?' * len(offsets))})" for *_, offsets in spans)
    values = [value for low, high, offsets in spans for value in (low, high, *offsets)]
    yield from conn.execute(f"{shaped} NOT ({held}) ORDER BY {column}", values)


def _local_spans(
    tz: tzinfo, start: datetime, end: datetime
) -> list[Span]:
    """From `start` to `end` (UTC), the zone's local times as ranges of stored text, each
    with the offsets a time in it may carry: one, two in the hour the clocks go back, none
    in the hour they skip."""
    def offset(at: int) -> timedelta:
        found = datetime.fromtimestamp(at, UTC).astimezone(tz).utcoffset()
        assert found is not None
        return found

    first, last = int(start.timestamp()), int(end.timestamp())
    changes = [first]  # the instants from which the offset holds
    at = first
    while at < last:
        step = min(at + _STEP, last)
        if offset(step) != offset(at):
            low, high = at, step  # the change lies in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset(middle) == offset(at) else (low, middle)
            changes.append(high)
        at = step
    changes.append(last)
    ranges = []  # (local start, local end, offset) of each stretch of one offset
    for begin, stop in pairwise(changes):
        held = offset(begin)
        shift = int(held.total_seconds())
        ranges.append((begin + shift, stop + shift, held))
    edges = sorted({edge for low, high, _ in ranges for edge in (low, high)})
    spans = []
    for a_edge, b_edge in pairwise(edges):
        offsets = tuple(
            _offset_text(held) for a, b, held in ranges if a <= a_edge and b_edge <= b
        )
        spans.append((_local_text(a_edge), _local_text(b_edge), offsets))
    return spans


def _local_text(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _offset_text(held: timedelta) -> str:
    return datetime(2000, 1, 1, tzinfo=timezone(held)).isoformat()[19:]
