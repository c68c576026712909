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
from pledgetrack.store.findings import Finding, Kind, finding, single

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


def problems(conn: sqlite3.Connection, path: Path) -> list[Finding]:
    """What db check says of the recorded zone: none at schema 13 or later (another tool
    deleted it), or one this system does not know (another tool wrote it, or tzdata
    lacks it)."""
    name = recorded_zone(conn)
    if name is None:
        if not _has_settings(conn):
            return []
        return [
            single(
                f"time zone: none recorded (settings.{KEY}), so each command uses its own "
                "configured zone; to record the zone its times are in: pledgetrack --db "
                f"{path} db upgrade (it records PLEDGETRACK_TZ, else Europe/London, once "
                "the stored times fit that zone)",
                "mend",
            )
        ]
    if known_zone(name) is None:
        return [single(f"time zone: settings.{KEY} is not a zone this system knows: {name!r}")]
    return []


# The times db check holds against the recorded zone: every one a report judges by its
# text (an action's period, an item's receipt, a void), and the few of teams, pledges and
# planned meetings
CHECKED = (
    ("actions", "occurred_at"),
    ("actions", "received_at"),
    ("actions", "voided_at"),
    ("teams", "created_at"),
    ("pledges", "created_at"),
    ("planned_meetings", "starts_at"),
    ("planned_meetings", "cancelled_at"),
)


def misfits(conn: sqlite3.Connection, path: Path, limit: int | None) -> list[Finding]:
    """The stored times, in the stored form, whose UTC offset is not the recorded zone's
    at that instant (`+09:00` in a Europe/London file: another tool wrote it), one Finding
    per column, every one counted. A report selects by the stored text, so such a time falls
    on the day its own offset says; the same instant in the zone is the cell's correction
    (the instant is known: nothing is guessed)."""
    from zoneinfo import ZoneInfo

    from pledgetrack.store.stored_times import readable_time  # imports store.connection

    name = recorded_zone(conn)
    if name is None or known_zone(name) is None:  # problems() says so
        return []
    tz = ZoneInfo(name)
    present = [
        (t, c) for t, c in CHECKED
        if conn.execute("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", (t, c)).fetchone()
    ]
    spans = _spans_of(conn, tz, [(t, c, "") for t, c in present])
    if not spans:
        return []
    found = []
    void = _voided(conn) if any(t == "actions" for t, _ in present) else set()
    for table, column in present:
        wrong = sorted(
            (int(row), str(text))
            for row, text in _misfits(conn, table, column, "", spans, every=True)
            if readable_time(text)  # any other is stored_times' to list
        )
        of_void = [table == "actions" and row in void for row, _ in wrong]
        for kind in ("mend", "void"):
            rows = [w for w, v in zip(wrong, of_void, strict=True) if v == (kind == "void")]
            if rows:
                first = rows if limit is None else rows[:limit]
                found.append(
                    _misfit_finding(conn, path, name, tz, table, column, len(rows), first, kind)
                )
    return found


def _voided(conn: sqlite3.Connection) -> set[int]:
    """The voided actions (a voided_at that reads as a time: any other is live, for all we
    know), whose cells count nowhere: db check's notes, not its problems."""
    from pledgetrack.store.stored_times import readable_time  # imports store.connection

    return {
        int(row)
        for row, at in conn.execute("SELECT id, voided_at FROM actions WHERE voided_at IS NOT NULL")
        if readable_time(at)
    }


# A stored time fits when the span its local text lies in (spans are contiguous: the first
# that ends after it) allows its offset; the spans are a temporary table, one seek a row
# (an OR of every span's range is too deep an expression for a century of clock changes)
_FITS = (
    "EXISTS (SELECT 1 FROM (SELECT low, offsets FROM temp.zone_spans "
    "WHERE high > substr({col}, 1, 19) ORDER BY high LIMIT 1) s "
    "WHERE s.low <= substr({col}, 1, 19) AND instr(s.offsets, substr({col}, 20)) > 0)"
)


def _load_spans(conn: sqlite3.Connection, spans: list[Span]) -> None:
    """The spans as temp.zone_spans (the temporary database: a read-only file is not
    written), for _FITS."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS zone_spans (high TEXT PRIMARY KEY, low TEXT, offsets TEXT)"
    )
    conn.execute("DELETE FROM temp.zone_spans")
    conn.executemany(
        "INSERT INTO temp.zone_spans VALUES (?, ?, ?)",
        ((high, low, " ".join(offsets)) for low, high, offsets in spans),
    )


def _misfit_finding(
    conn: sqlite3.Connection, path: Path, name: str, tz: tzinfo, table: str, column: str,
    n: int, first: list[tuple[int, str]], kind: Kind = "mend",
) -> Finding:
    from pledgetrack.store.stored_times import way_out  # imports store.connection

    voided: set[int] = set()
    if table == "actions":  # a voided action is mended in its cell, never voided again
        marks = ", ".join("?" * len(first))
        voided = {
            i
            for (i,) in conn.execute(
                f"SELECT id FROM actions WHERE id IN ({marks}) AND voided_at IS NOT NULL",  # noqa: S608  # placeholders
                [row for row, _ in first],
            )
        }
    lines = []
    for row, text in first:
        then = datetime.fromisoformat(text).astimezone(tz).isoformat()
        if row in voided:
            way = f"action {row} is void and counts nowhere; to read it, "
        else:
            way = way_out(table, column, row).removesuffix("; ")
            way = f"{way}, or " if way else ""
        lines.append(
            f"time zone: {table}.{column} of row {row} is {text}, not a time {name} had "
            f"({name} was {then[19:]} then): a report counts it on the day its text says; "
            f"{way}write the cell as the same instant in {name}: {then!r}"
        )
    return finding(
        n,
        lines,
        f"time zone: {table}.{column} of {n:,} rows carries an offset {name} did not have "
        "then",
        [f"row {row} ({text!r})" for row, text in first],
        f"write each cell as the same instant in {name} (each row's line: pledgetrack "
        f"--db {path} db check --all)",
        kind=kind,
    )


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

    tz = ZoneInfo(name)
    present = [
        (t, c, rows) for t, c, rows in EVIDENCE
        if conn.execute("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", (t, c)).fetchone()
    ]
    spans = _spans_of(conn, tz, present)
    if not spans:
        return None
    for table, column, rows in present:
        for row in _misfits(conn, table, column, rows, spans):
            try:
                then = datetime.fromisoformat(row[1]).astimezone(tz).isoformat()[19:]
            except ValueError:  # not a time at all: db check's to say
                continue
            return f"{table}.{column}", int(row[0]), str(row[1]), then
    return None


def _spans_of(
    conn: sqlite3.Connection, tz: tzinfo, present: list[tuple[str, str, str]]
) -> list[Span]:
    """The zone's spans over the days the `present` columns' times lie on (none: no
    stored time at all)."""
    from pledgetrack.domain.dates import FIRST_DAY, LAST_DAY

    days = []
    for table, column, _ in present:  # every fragment is one of our own names
        for extreme in ("min", "max"):  # apart: SQLite seeks an index only for one alone
            days += conn.execute(
                f"SELECT {extreme}({column}) FROM {table} WHERE {column} IS NOT NULL"  # noqa: S608
            ).fetchone()
    stored = [d for d in days if d is not None]
    if not stored:
        return []

    def day(text: object, fallback: object) -> datetime:
        try:
            found = datetime.fromisoformat(str(text)[:10])
        except ValueError:
            found = datetime.combine(fallback, datetime.min.time())  # type: ignore[arg-type]
        return found.replace(tzinfo=UTC)

    first, last = (datetime.combine(d, datetime.min.time(), UTC) for d in (FIRST_DAY, LAST_DAY))
    # a day outside the days pledgetrack records is stored_times' to list (9999-12-31)
    start = max(min(day(d, FIRST_DAY) for d in stored), first) - timedelta(days=2)
    end = min(max(day(d, LAST_DAY) for d in stored), last) + timedelta(days=2)
    return _local_spans(tz, start, end)


def _misfits(
    conn: sqlite3.Connection,
    table: str,
    column: str,
    rows: str,
    spans: list[Span],
    *,
    every: bool = False,
) -> Iterator[tuple[int, str]]:
    """The `rows` (SQL, or all) of `column` whose offset is none its span allows (the
    first of each span of occurred_at, unless `every`): occurred_at span by span through
    its index (the first found is the earliest), any other in one scan (received_at
    through the response items' index)."""
    fits = f"{column} >= ? AND {column} < ? AND substr({column}, 20) IN (%s)"
    shaped = (
        f"SELECT id, {column} FROM {table} "  # noqa: S608
        f"WHERE {column} IS NOT NULL AND length({column}) = 25 AND "
    )
    if rows:
        shaped += f"{rows} AND "
    if (table, column) == ("actions", "occurred_at"):
        for span in spans:
            sql = shaped + fits.replace(" IN ", " NOT IN ") % ", ".join("?" * len(span[2]))
            sql += "" if every else " LIMIT 1"
            yield from conn.execute(sql, (span[0], span[1], *span[2]))
        return
    _load_spans(conn, spans)
    yield from conn.execute(f"{shaped} NOT {_FITS.format(col=column)} ORDER BY {column}")


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
