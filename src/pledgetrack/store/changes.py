"""The append-only audit log: read side (writes happen in Store.log_change)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from pledgetrack.store.connection import Store


def list_changes(
    store: Store,
    *,
    entities: Sequence[str] = (),
    key: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Newest first; with `key`, only the entries of that key among `entities`."""
    clauses, tail = "", ""
    params: list[Any] = []
    if key is not None:
        marks = ", ".join("?" for _ in entities)
        clauses = f" WHERE entity IN ({marks}) AND entity_key = ?"
        params.extend([*entities, key])
    if limit is not None:
        tail = " LIMIT ?"
        params.append(limit)
    sql = f"SELECT * FROM changes{clauses} ORDER BY id DESC{tail}"  # noqa: S608  # placeholders only
    return list(store.query(sql, params))


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
        SELECT c.entity_key FROM changes c, archived, run_start
        WHERE c.id > run_start.id AND c.id < archived.id
          AND c.entity = 'pledge' AND c.op = 'close'
          AND json_extract(c.new, '$.outcome') = :outcome
          AND c.entity_key IN (
              SELECT p.ref FROM pledges p JOIN teams t ON t.id = p.team_id WHERE t.code = :team
          )
        ORDER BY c.id
    """
    return [row[0] for row in store.conn.execute(sql, {"team": team_code, "outcome": outcome})]


def target_changes(
    store: Store, refs: Sequence[str] | None = None
) -> list[dict[str, Any]] | None:
    """The audit entries that changed a pledge's target (`pledge edit`, a team's setting
    moving N5, ...), newest first: entity_key, at, old, new as stored. `refs`: only those
    pledges' (None: every pledge's). None: the log cannot be read (a damaged page, which
    `db check` names): a report that reads no more of it still gives its figures."""
    clauses, params = "", list(refs or ())
    if refs is not None:
        if not refs:
            return []
        clauses = f" AND entity_key IN ({', '.join('?' for _ in refs)})"
    sql = (
        "SELECT entity_key, at, old, new FROM changes "  # noqa: S608  # placeholders only
        "WHERE entity = 'pledge' AND old IS NOT NULL AND instr(old, '\"target_') > 0"
        f"{clauses} ORDER BY id DESC"
    )
    try:
        found = store.conn.execute(sql, params).fetchall()
    except sqlite3.DatabaseError:
        return None
    return [dict(zip(("entity_key", "at", "old", "new"), r, strict=True)) for r in found]


def description_before_final(store: Store, action_id: int) -> str | None:
    """An N9 item's description before a final contact added its words to it (the latest
    `respond` that changed it, national.last_contact), or None: none did."""
    row = store.conn.execute(
        "SELECT json_extract(old, '$.description') FROM changes "
        "WHERE entity = 'action' AND entity_key = ? AND op = 'respond' "
        "AND json_type(old, '$.description') = 'text' ORDER BY id DESC LIMIT 1",
        [str(action_id)],
    ).fetchone()
    return None if row is None else str(row[0])
