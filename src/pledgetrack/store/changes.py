"""The append-only audit log: read side (writes happen in Store.log_change)."""

from __future__ import annotations

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
    return list(store.db.query(sql, params))
