"""Actions table: logging, responding, voiding and listing. Rows are never deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pledgetrack.domain.dates import format_datetime
from pledgetrack.domain.models import Action, normalise_code
from pledgetrack.errors import InputError, NotFoundError
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import pledge_id
from pledgetrack.store.teams import team_id

_SELECT = (
    "SELECT a.*, t.code AS team_code, p.ref AS pledge_ref FROM actions a "
    "JOIN teams t ON t.id = a.team_id JOIN pledges p ON p.id = a.pledge_id"
)
# When an action belongs on the calendar: when it was done, or for an open item, received
_WHEN = "COALESCE(a.occurred_at, a.received_at)"


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _to_action(row: dict[str, Any]) -> Action:
    return Action(
        id=row["id"],
        team=row["team_code"],
        pledge=row["pledge_ref"],
        description=row["description"],
        occurred_at=_dt(row["occurred_at"]),
        received_at=_dt(row["received_at"]),
        kind=row["kind"],
        officer=row["officer"],
        partner=row["partner"],
        hours=row["hours"],
        abstracted=bool(row["abstracted"]),
        ext_ref=row["ext_ref"],
        voided_at=_dt(row["voided_at"]),
        void_reason=row["void_reason"],
    )


def _to_row(action: Action) -> dict[str, Any]:
    def text(value: datetime | None) -> str | None:
        return format_datetime(value) if value else None

    return {
        "occurred_at": text(action.occurred_at),
        "received_at": text(action.received_at),
        "description": action.description,
        "kind": action.kind,
        "officer": action.officer,
        "partner": action.partner,
        "hours": action.hours,
        "abstracted": int(action.abstracted),
        "ext_ref": action.ext_ref,
    }


def find_by_ext_ref(store: Store, team: str, ext_ref: str) -> int | None:
    row = store.db.execute(
        "SELECT id FROM actions WHERE team_id = ? AND ext_ref = ?", [team_id(store, team), ext_ref]
    ).fetchone()
    return None if row is None else int(row[0])


def add_action(store: Store, action: Action) -> int:
    """Insert one action and its audit entry; returns the new id."""
    with store.write():
        if action.ext_ref is not None:
            existing = find_by_ext_ref(store, action.team, action.ext_ref)
            if existing is not None:
                raise InputError(
                    f"duplicate --ref {action.ext_ref!r} for team {action.team} "
                    f"(already action {existing})"
                )
        row = _to_row(action)
        table = store.db.table("actions")
        table.insert(
            {
                **row,
                "team_id": team_id(store, action.team),
                "pledge_id": pledge_id(store, action.pledge),
                "created_at": store.now_text(),
            }
        )
        assert table.last_pk is not None
        new_id = int(table.last_pk)
        store.log_change("action", str(new_id), "insert", None, {"pledge": action.pledge, **row})
    return new_id


def get_action(store: Store, action_id: int) -> Action:
    rows = list(store.db.query(f"{_SELECT} WHERE a.id = ?", [action_id]))  # fixed text
    if not rows:
        raise NotFoundError(f"unknown action {action_id} (see: pledgetrack actions)")
    return _to_action(rows[0])


def set_fields(store: Store, action_id: int, fields: dict[str, Any], *, op: str) -> None:
    """Respond or void: the only two ways an action changes after it is logged."""
    with store.write():
        before = store.db.table("actions").get(action_id)
        store.db.table("actions").update(action_id, fields)
        store.log_change("action", str(action_id), op, {k: before[k] for k in fields}, dict(fields))


@dataclass(frozen=True)
class ActionFilter:
    team: str | None = None
    pledge: str | None = None
    start: date | None = None  # inclusive, local calendar date
    end: date | None = None  # inclusive
    kind: str | None = None
    include_void: bool = False
    limit: int | None = None


def list_actions(store: Store, flt: ActionFilter) -> list[Action]:
    """Newest first. Stored times are local with offset, so date prefixes compare as dates."""
    clauses: list[str] = []
    params: list[Any] = []
    if flt.team is not None:
        clauses.append("a.team_id = ?")
        params.append(team_id(store, flt.team))
    if flt.pledge is not None:
        clauses.append("a.pledge_id = ?")
        params.append(pledge_id(store, normalise_code(flt.pledge)))
    if flt.start is not None:
        clauses.append(f"{_WHEN} >= ?")
        params.append(flt.start.isoformat())
    if flt.end is not None:
        clauses.append(f"{_WHEN} < ?")
        params.append((flt.end + timedelta(days=1)).isoformat())
    if flt.kind is not None:
        clauses.append("a.kind = ?")
        params.append(flt.kind)
    if not flt.include_void:
        clauses.append("a.voided_at IS NULL")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    limit = ""
    if flt.limit is not None:
        limit = " LIMIT ?"
        params.append(flt.limit)
    sql = f"{_SELECT}{where} ORDER BY {_WHEN} DESC, a.id DESC{limit}"  # placeholders only
    return [_to_action(r) for r in store.db.query(sql, params)]
