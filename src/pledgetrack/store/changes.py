"""The append-only audit log: read side (writes happen in Store.log_change)."""

from __future__ import annotations

from typing import Any

from pledgetrack.domain.models import normalise_code
from pledgetrack.store.connection import Store


def list_changes(
    store: Store, *, key: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    clauses, tail = "", ""
    params: list[Any] = []
    if key is not None:
        clauses = " WHERE entity_key = ?"
        params.append(normalise_code(key))
    if limit is not None:
        tail = " LIMIT ?"
        params.append(limit)
    sql = f"SELECT * FROM changes{clauses} ORDER BY id DESC{tail}"  # noqa: S608  # placeholders only
    return list(store.db.query(sql, params))
