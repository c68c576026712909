"""Actions table: logging, responding, voiding and listing. Rows are never deleted."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pledgetrack.domain.dates import format_datetime
from pledgetrack.domain.models import Action, normalise_code
from pledgetrack.errors import InputError, NotFoundError
from pledgetrack.store.connection import Change, Store
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
        highlight=bool(row["highlight"]),
        delivers=bool(row["delivers"]),
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
        "highlight": int(action.highlight),
        "delivers": int(action.delivers),
    }


def find_by_ext_ref(store: Store, team: str, ext_ref: str) -> int | None:
    return id_by_ext_ref(store, team_id(store, team), ext_ref)


def id_by_ext_ref(store: Store, team_key: int, ext_ref: str) -> int | None:
    """The live action holding this external ref for the team, if any: uses the index.

    A voided action gives its ref up, so that the corrected entry can be logged under it.
    """
    row = store.conn.execute(
        "SELECT id FROM actions WHERE team_id = ? AND ext_ref = ? AND voided_at IS NULL",
        (team_key, ext_ref),
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
                    f"(already action {existing})",
                    field="ref",
                )
        row = _to_row(action)
        new_id = store.insert(
            "actions",
            {
                **row,
                "team_id": team_id(store, action.team),
                "pledge_id": pledge_id(store, action.pledge),
                "created_at": store.now_text(),
            },
        )
        store.log_change("action", str(new_id), "insert", None, {"pledge": action.pledge, **row})
    return new_id


# What makes two actions the same one, as stored (ext_ref and bookkeeping aside)
_CONTENT = (
    "occurred_at",
    "received_at",
    "description",
    "kind",
    "officer",
    "partner",
    "hours",
    "abstracted",
)
# Which rows of an import batch repeat a stored action: the batch goes into a temporary
# table and meets the actions table in one join per rule (placeholders and our own names).
_BATCH_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS import_batch "
    f"(pos INTEGER PRIMARY KEY, team_id, pledge_id, ref, {', '.join(_CONTENT)})"
)
_BATCH_MARKS = ", ".join("?" for _ in range(4 + len(_CONTENT)))
_BATCH_INSERT = f"INSERT INTO temp.import_batch VALUES ({_BATCH_MARKS})"  # noqa: S608  # placeholders
_STORED_BY_REF = (
    "SELECT b.pos, a.id FROM temp.import_batch b JOIN actions a "
    "ON a.team_id = b.team_id AND a.ext_ref = b.ref AND a.voided_at IS NULL AND a.id <= ? "
    "WHERE b.ref IS NOT NULL"
)
# the planner would pick the received_at index (NULL on most rows, so a scan): a unary +
# keeps every column but occurred_at off the index, leaving (pledge_id, occurred_at)
_SAME_FIELDS = "".join(
    f"AND {'' if column == 'occurred_at' else '+'}a.{column} IS b.{column} " for column in _CONTENT
)
_STORED_BY_CONTENT = (
    "SELECT b.pos, MIN(a.id) FROM temp.import_batch b JOIN actions a "  # noqa: S608  # our names
    f"ON a.pledge_id = b.pledge_id {_SAME_FIELDS}AND a.id <= ? WHERE b.ref IS NULL GROUP BY b.pos"
)


def last_id(store: Store) -> int:
    return int(store.conn.execute("SELECT COALESCE(MAX(id), 0) FROM actions").fetchone()[0])


def stored_duplicates(store: Store, batch: Sequence[NewAction], up_to_id: int) -> dict[int, int]:
    """Which actions of the batch are already stored: {position in batch: stored id}.

    A live action with a ref repeats the team's live action holding that ref; any other
    (no ref, or voided: a voided action gives its ref up) repeats an action of the same
    pledge stored with every field equal. Only actions with id <= up_to_id count, so that
    identical rows within one import are all kept. Called inside the import's write
    transaction, this sees every import that committed before it.
    """
    if up_to_id == 0 or not batch:
        return {}
    conn = store.conn
    conn.execute(_BATCH_TABLE)
    conn.execute("DELETE FROM temp.import_batch")
    rows = []
    for position, item in enumerate(batch):
        row = _to_row(item.action)
        ref = item.action.ext_ref if item.action.voided_at is None else None
        rows.append((position, item.team_id, item.pledge_id, ref, *(row[k] for k in _CONTENT)))
    conn.executemany(_BATCH_INSERT, rows)
    found = {int(p): int(i) for p, i in conn.execute(_STORED_BY_REF, (up_to_id,))}
    found.update((int(p), int(i)) for p, i in conn.execute(_STORED_BY_CONTENT, (up_to_id,)))
    return found


def get_action(store: Store, action_id: int) -> Action:
    rows = list(store.query(f"{_SELECT} WHERE a.id = ?", [action_id]))  # fixed text
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


def _conditions(store: Store, flt: ActionFilter) -> tuple[list[str], list[Any]]:
    """WHERE clauses (our constant text) and their bound values for a filter."""
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
    return clauses, params


def list_actions(store: Store, flt: ActionFilter) -> list[Action]:
    """Newest first. Stored times are local with offset, so date prefixes compare as dates."""
    clauses, params = _conditions(store, flt)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    limit = ""
    if flt.limit is not None:
        limit = " LIMIT ?"
        params.append(flt.limit)
    # julianday: real order, even through the repeated hour when the clocks go back
    sql = f"{_SELECT}{where} ORDER BY julianday({_WHEN}) DESC, a.id DESC{limit}"  # placeholders
    return [_to_action(r) for r in store.query(sql, params)]


# The raw log as `export actions` writes it (docs/export-schema.md): append, never reorder.
EXPORT_COLUMNS = (
    "id",
    "team",
    "pledge",
    "when",
    "received",
    "description",
    "kind",
    "officer",
    "partner",
    "hours",
    "abstracted",
    "ref",
    "voided_at",
    "void_reason",
    "created_at",
    "highlight",
    "delivers",
)
_EXPORT_SELECT = (
    "SELECT a.id, t.code, p.ref, a.occurred_at, a.received_at, a.description, a.kind, "
    "a.officer, a.partner, a.hours, a.abstracted, a.ext_ref, a.voided_at, a.void_reason, "
    "a.created_at, a.highlight, a.delivers FROM actions a "
    "JOIN teams t ON t.id = a.team_id JOIN pledges p ON p.id = a.pledge_id"
)


def iter_export_rows(
    store: Store, flt: ActionFilter, teams: Sequence[str] = ()
) -> Iterator[tuple[Any, ...]]:
    """Stored rows in EXPORT_COLUMNS order, oldest id first, straight off a cursor.

    Unknown teams are refused here, before the first row, so nothing half-written follows.
    """
    clauses, params = _conditions(store, flt)
    if teams:
        ids = [team_id(store, code) for code in dict.fromkeys(teams)]
        clauses.append(f"a.team_id IN ({', '.join('?' for _ in ids)})")
        params.extend(ids)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    # placeholders only: the clause text is ours, every value is bound
    return store.conn.execute(f"{_EXPORT_SELECT}{where} ORDER BY a.id", params)


@dataclass(frozen=True)
class NewAction:
    """A validated action with its row ids resolved, ready for the bulk insert."""

    team_id: int
    pledge_id: int
    action: Action


BULK_CACHE_KIB = 65_536
_BULK_INSERT = (
    "INSERT INTO actions (id, team_id, pledge_id, occurred_at, received_at, description, kind, "
    "officer, partner, hours, abstracted, ext_ref, voided_at, void_reason, created_at, "
    "highlight, delivers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def insert_many(store: Store, batch: Sequence[NewAction], *, op: str = "import") -> int:
    """Insert actions and their audit rows with plain executemany, for bulk import.

    sqlite-utils' insert_all manages ~31k rows/s, executemany ~275k (engineering notes).
    Ids are allocated here under the write lock so each audit row can name its action.
    Returns the number inserted.
    """
    if not batch:
        return 0
    with store.write():
        conn = store.conn
        # the inserts land all over four indexes; a 64 MB page cache (default 2 MB) keeps
        # them in memory for the length of a big import: measured ~20% faster at 200k rows
        conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        next_id = last_id(store) + 1
        now = store.now_text()
        actions: list[tuple[Any, ...]] = []
        changes: list[Change] = []
        for offset, item in enumerate(batch):
            row = _to_row(item.action)
            voided = item.action.voided_at
            if voided is not None:
                row["voided_at"] = format_datetime(voided)
                row["void_reason"] = item.action.void_reason
            new_id = next_id + offset
            actions.append(
                (
                    new_id,
                    item.team_id,
                    item.pledge_id,
                    *(row[k] for k in _CONTENT),
                    row["ext_ref"],
                    row.get("voided_at"),
                    row.get("void_reason"),
                    now,
                    row["highlight"],
                    row["delivers"],
                )
            )
            changes.append(("action", str(new_id), op, None, {"pledge": item.action.pledge, **row}))
        conn.executemany(_BULK_INSERT, actions)
        store.log_changes(changes)
    return len(batch)
