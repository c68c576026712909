"""The append-only audit log: read side (writes happen in Store.log_change).

pledgetrack writes each entry's `at` in the stored form and its `old` and `new` values as
a JSON object (or NULL); another tool (`sqlite3`, a script) may write anything. A read
that meets such a cell stops with one line naming the row and column and how to mend it,
and `db check` lists every one (`problems`): one judge, `_unreadable_columns`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pledgetrack.errors import SEE_DB_CHECK, DatabaseError
from pledgetrack.store.connection import Store
from pledgetrack.store.findings import Finding, finding
from pledgetrack.store.stored_times import (
    readable_time,
    stored_form,
    time_plainly_ok_sql,
    unreadable,
)

# the values before and after a change, as change_json writes them
RECORDS = ("old", "new")
# an example of a record, for the way to mend one
_RECORD_FORM = '{"title": "Patrols"}'
# How deep a record may nest: pledgetrack writes flat ones (depth 1); history reads one
# to this depth (each level costs Python's json a frame or two of its thousand)
MAX_DEPTH = 250
# What SQL passes as certainly readable (Python judges the rest, so this may only pass
# too little): a time SQL vouches for, and records that are NULL or JSON text of an
# object that is flat (no bracket after its first) or under 500 bytes, so nested less
# than MAX_DEPTH. CASE, since a value's AND and OR evaluate both sides in SQLite:
# json_type raises on what json_valid refuses, and the bracket scans cost. 0.7 CPU s a million
# entries (the time 0.4 of it).
_RECORD_PLAINLY_OK = (
    "({col} IS NULL OR CASE WHEN typeof({col}) = 'text' AND json_valid({col}) "
    "AND json_type({col}) = 'object' "
    f"THEN CASE WHEN length(CAST({{col}} AS BLOB)) < 2 * {MAX_DEPTH} THEN 1 "
    "ELSE instr({col}, '[') = 0 AND instr(substr({col}, 2), '{{') = 0 END ELSE 0 END)"
)
_PLAINLY_OK = " AND ".join(
    [f"({time_plainly_ok_sql('at')})", *(_RECORD_PLAINLY_OK.format(col=c) for c in RECORDS)]
)


def _readable_record(value: object) -> bool:
    """Whether an entry's old or new value reads as what history shows: NULL, or the
    text of a JSON object (RFC 8259, as SQLite's json_valid reads it) nested at most
    MAX_DEPTH deep."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    try:  # NaN and Infinity are not JSON: JSON output cannot hold them
        record = json.loads(value, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return False
    return isinstance(record, dict) and _depth(record) <= MAX_DEPTH


def _depth(value: object) -> int:
    """How deep a JSON value nests (a flat object: 1), without recursing."""
    deepest, level = 0, [(value, 1)]
    while level:
        item, depth = level.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            inside = item.values() if isinstance(item, dict) else item
            level.extend((v, depth + 1) for v in inside)
    return deepest


def _not_json(constant: str) -> None:
    raise ValueError(constant)


def _unreadable_columns(row: Mapping[str, Any]) -> list[str]:
    """The columns of an entry no read takes, in the table's order: the one judge, for
    history and db check (_PLAINLY_OK passes the plainly sound)."""
    found = [] if readable_time(row["at"]) else ["at"]
    return found + [c for c in RECORDS if not _readable_record(row[c])]


def _way_out(column: str) -> str:
    """How to mend an entry's cell: its time, or its values, written as pledgetrack writes
    them (never guessed from the text: the entry is evidence)."""
    if column == "at":
        return f"write the cell as stored, like {stored_form()}"
    return f"write the cell as a JSON object, like {_RECORD_FORM}, or NULL (no values)"


def _refusal(row: Mapping[str, Any], column: str) -> DatabaseError:
    if column == "at":
        return unreadable("changes", "at", row["id"], row["at"])
    return DatabaseError(
        f"changes.{column} of row {row['id']} is not a record pledgetrack can read "
        f"({row[column]!r}); {_way_out(column)}; {SEE_DB_CHECK}"
    )


def list_changes(
    store: Store,
    *,
    entities: Sequence[str] = (),
    key: str | None = None,
    limit: int | None = None,
    actions_of: str | None = None,
    action_entities: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Newest first; with `key`, only the entries of that key among `entities`, and with
    `actions_of` (a pledge's ref) those of its actions among `action_entities` too. An
    entry another tool wrote with a time or values no read takes is refused naming its
    row (exit 3): history would show it wrong or not at all."""
    clauses, tail = "", ""
    params: list[Any] = []
    if key is not None:
        marks = ", ".join("?" for _ in entities)
        clauses = f" WHERE (entity IN ({marks}) AND entity_key = ?)"
        params.extend([*entities, key])
        if actions_of is not None:  # its actions' entries, by the index on (entity, key)
            marks = ", ".join("?" for _ in action_entities)
            clauses += (
                f" OR (entity IN ({marks}) AND entity_key IN (SELECT CAST(a.id AS TEXT) "  # noqa: S608  # placeholders only
                "FROM actions a JOIN pledges p ON p.id = a.pledge_id WHERE p.ref = ?))"
            )
            params.extend([*action_entities, actions_of])
    if limit is not None:
        tail = " LIMIT ?"
        params.append(limit)
    sql = (
        f"SELECT *, NOT ({_PLAINLY_OK}) AS doubtful FROM changes{clauses} "  # noqa: S608  # placeholders only
        f"ORDER BY id DESC{tail}"
    )
    found = []
    for row in store.query(sql, params):
        if row.pop("doubtful"):
            for column in _unreadable_columns(row):
                raise _refusal(row, column)
        found.append(row)
    return found


def problems(store: Store, limit: int | None) -> list[Finding]:
    """`db check`'s findings for entries another tool wrote with a time or values no read
    takes, one per column, each counting every row and listing the first `limit` (None:
    all). One scan: SQL passes the plainly sound, the judge reads the rest."""
    held: dict[str, list[Any]] = {}  # column: [count, [(row id, text)]]
    rows = store.query(
        f"SELECT id, at, old, new FROM changes WHERE NOT ({_PLAINLY_OK}) ORDER BY id"  # noqa: S608  # our constant
    )
    for row in rows:
        for column in _unreadable_columns(row):
            count_and_rows = held.setdefault(column, [0, []])
            count_and_rows[0] += 1
            if limit is None or len(count_and_rows[1]) < limit:
                count_and_rows[1].append((row["id"], row[column]))
    return [
        _finding(column, *held[column]) for column in ("at", *RECORDS) if column in held
    ]


def _finding(column: str, count: int, shown: list[tuple[int, object]]) -> Finding:
    what = "time" if column == "at" else "record"
    return finding(
        count,
        [
            f"stored value: changes.{column} of row {i} is not a {what} pledgetrack can read: "
            f"{text!r}; {_way_out(column)}"
            for i, text in shown
        ],
        f"stored value: changes.{column} of {count:,} rows is not a {what} pledgetrack can read",
        [f"row {i} ({text!r})" for i, text in shown],
        f"{_way_out(column).replace('the cell', 'each cell')}",
        kind="mend",
    )


def withdrawn_by_last_archive(store: Store, team_code: str, outcome: str) -> list[str]:
    """The pledges the team's latest `team archive` withdrew, as the audit log recorded it.

    Archiving closes each active pledge with `outcome` and then archives the team, all in
    one write transaction, so its closes are the run of pledge closes just before the
    team's latest `archive` entry.
    """
    sql = """
        WITH archived AS (
            SELECT MAX(id) AS id FROM changes
            WHERE entity = 'team' AND entity_key = :team AND op = 'archive'
        ),
        run_start AS (
            SELECT COALESCE(MAX(c.id), 0) AS id FROM changes c, archived
            WHERE c.id < archived.id AND NOT (c.entity = 'pledge' AND c.op = 'close')
        )
        SELECT c.id, c.entity_key, c.new FROM changes c, archived, run_start
        WHERE c.id > run_start.id AND c.id < archived.id
          AND c.entity = 'pledge' AND c.op = 'close'
          AND c.entity_key IN (
              SELECT p.ref FROM pledges p JOIN teams t ON t.id = p.team_id WHERE t.code = :team
          )
        ORDER BY c.id
    """
    withdrawn = []
    for row in store.query(sql, {"team": team_code}):
        if not _readable_record(row["new"]):  # which outcome? never guessed
            raise _refusal(row, "new")
        if row["new"] is not None and json.loads(row["new"]).get("outcome") == outcome:
            withdrawn.append(str(row["entity_key"]))
    return withdrawn


def target_changes(
    store: Store, refs: Sequence[str] | None = None
) -> list[dict[str, Any]] | None:
    """The audit entries that changed a pledge's target (`pledge edit`, a team's setting
    moving N5, ...), newest first: id, entity_key, at, old, new as stored, and
    `unreadable`, the columns the one judge of an entry refuses (another tool wrote them;
    `db check` lists each), empty for every entry pledgetrack wrote. `refs`: only those
    pledges' (None: every pledge's). None: the log cannot be read (a damaged page, which
    `db check` names): a report that reads no more of it still gives its figures."""
    clauses, params = "", list(refs or ())
    if refs is not None:
        if not refs:
            return []
        clauses = f" AND entity_key IN ({', '.join('?' for _ in refs)})"
    sql = (
        "SELECT id, entity_key, at, old, new FROM changes "  # noqa: S608  # placeholders only
        "WHERE entity = 'pledge' AND old IS NOT NULL AND instr(old, '\"target_') > 0"
        f"{clauses} ORDER BY id DESC"
    )
    try:
        found = store.conn.execute(sql, params).fetchall()
    except sqlite3.DatabaseError:
        return None
    entries = [dict(zip(("id", "entity_key", "at", "old", "new"), r, strict=True)) for r in found]
    for entry in entries:  # the one judge: `at` a stored time, old and new JSON objects
        entry["unreadable"] = _unreadable_columns(entry)
    return entries


def description_before_final(store: Store, action_id: int) -> str | None:
    """An N9 item's description before a final contact added its words to it (the latest
    `respond` that changed it, national.last_contact), or None: none did. An entry another
    tool damaged is refused naming its row (exit 3): it may be the one."""
    rows = store.query(
        "SELECT id, old FROM changes WHERE entity = 'action' AND entity_key = ? "
        "AND op = 'respond' ORDER BY id DESC",
        [str(action_id)],
    )
    for row in rows:
        if not _readable_record(row["old"]):
            raise _refusal(row, "old")
        described = json.loads(row["old"]).get("description") if row["old"] else None
        if isinstance(described, str):
            return described
    return None


def final_contact_entry(store: Store, action_id: int) -> tuple[str | None, str | None] | None:
    """The latest `respond` of an N9 item closed by a final contact (that contact's entry):
    the item's words before it, if it changed them (national.last_contact), and the
    officer as given, whose name those words may hold; None: no such entry."""
    row = store.conn.execute(
        "SELECT id, old, officer FROM changes WHERE entity = 'action' AND entity_key = ? "
        "AND op = 'respond' ORDER BY id DESC LIMIT 1",
        [str(action_id)],
    ).fetchone()
    if row is None:
        return None
    entry = {"id": row[0], "old": row[1]}
    if not _readable_record(entry["old"]):
        raise _refusal(entry, "old")
    described = json.loads(row[1]).get("description") if row[1] else None
    return (
        described if isinstance(described, str) else None,
        row[2] if isinstance(row[2], str) else None,
    )


# Entries that never change a figure: an announced meeting (`next-meeting`) is shown in the
# public update, never counted. Every other entity (an action, a pledge, a team, a victim's
# case, a meeting's details, and anything another tool wrote) may.
_NO_FIGURES = "planned-meeting"


def latest_change(store: Store) -> str | None:
    """When the audit log's newest entry that may change a figure was written, in the
    database's zone with its offset (`2008-11-02T10:15:00+00:00`): nothing recorded
    later is in a report judged now. None: the log holds none, or its newest such entry's
    time does not read (db check names it), or the log cannot be read. One seek from the
    newest row (`+entity` keeps SQLite off the entity index, which would sort)."""
    try:
        found = store.conn.execute(
            f"SELECT at FROM changes WHERE +entity <> '{_NO_FIGURES}' ORDER BY id DESC LIMIT 1"  # noqa: S608  # our constant
        ).fetchone()
    except sqlite3.DatabaseError:
        return None
    if found is None or not readable_time(found[0]):
        return None
    at = datetime.fromisoformat(found[0])
    if store.zone is not None:
        at = at.astimezone(ZoneInfo(store.zone))
    return at.isoformat(timespec="seconds")
