"""Pledges table. A target is stored as plain `target_*` columns that other tools can read."""

from __future__ import annotations

from datetime import date
from typing import Any

from pledgetrack.domain.models import (
    Pledge,
    PledgeKind,
    PledgeStatus,
    normalise_code,
    pledge_ref,
)
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    NoTarget,
    ResponseTarget,
    ShareTarget,
    Target,
    Unit,
)
from pledgetrack.errors import NotFoundError
from pledgetrack.store.connection import Store
from pledgetrack.store.teams import team_id

_TARGET_COLUMNS = (
    "target_type",
    "target_count",
    "target_unit",
    "target_action_kind",
    "target_within_minutes",
    "target_threshold_pct",
    "target_share_pct",
    "target_due",
)
_SELECT = "SELECT p.*, t.code AS team_code FROM pledges p JOIN teams t ON t.id = p.team_id"


def target_columns(target: Target) -> dict[str, Any]:
    cols: dict[str, Any] = dict.fromkeys(_TARGET_COLUMNS)
    cols["target_type"] = target.type
    match target:
        case FrequencyTarget():
            cols.update(
                target_count=target.count,
                target_unit=target.unit.value,
                target_action_kind=target.action_kind,
                target_threshold_pct=target.threshold_pct,
            )
        case ResponseTarget():
            cols.update(
                target_within_minutes=target.within_minutes,
                target_threshold_pct=target.threshold_pct,
            )
        case ShareTarget():
            cols.update(target_share_pct=target.share_pct)
        case DeadlineTarget():
            cols.update(target_due=target.due.isoformat())
    return cols


def target_from_row(row: dict[str, Any]) -> Target:
    kind = row["target_type"]
    if kind == "frequency":
        return FrequencyTarget(
            count=row["target_count"],
            unit=Unit(row["target_unit"]),
            action_kind=row["target_action_kind"],
            threshold_pct=row["target_threshold_pct"] or 100.0,
        )
    if kind == "response":
        return ResponseTarget(
            within_minutes=row["target_within_minutes"],
            threshold_pct=row["target_threshold_pct"] or 100.0,
        )
    if kind == "share":
        return ShareTarget(share_pct=row["target_share_pct"])
    if kind == "deadline":
        return DeadlineTarget(due=date.fromisoformat(row["target_due"]))
    return NoTarget()


def _to_pledge(row: dict[str, Any]) -> Pledge:
    def day(key: str) -> date | None:
        return date.fromisoformat(row[key]) if row[key] else None

    return Pledge(
        ref=row["ref"],
        team=row["team_code"],
        kind=PledgeKind(row["kind"]),
        seq=row["seq"],
        title=row["title"],
        description=row["description"],
        agreed_on=day("agreed_on"),
        meeting=row["meeting"],
        review_on=day("review_on"),
        status=PledgeStatus(row["status"]),
        outcome=row["outcome"],
        closed_on=day("closed_on"),
        target=target_from_row(row),
    )


def pledge_row(pledge: Pledge) -> dict[str, Any]:
    """The columns as stored, minus ids and bookkeeping: also what the changes log records."""
    data = pledge.model_dump(mode="json", exclude={"target", "team"})
    return {**data, **target_columns(pledge.target)}


def pledge_id(store: Store, ref: str) -> int:
    row = store.db.execute("SELECT id FROM pledges WHERE ref = ?", [normalise_code(ref)]).fetchone()
    if row is None:
        raise NotFoundError(
            f"unknown pledge {normalise_code(ref)!r} (see: pledgetrack pledge list)"
        )
    found: int = row[0]
    return found


def get_pledge(store: Store, ref: str) -> Pledge:
    rows = list(store.db.query(f"{_SELECT} WHERE p.ref = ?", [normalise_code(ref)]))  # fixed text
    if not rows:
        raise NotFoundError(
            f"unknown pledge {normalise_code(ref)!r} (see: pledgetrack pledge list)"
        )
    return _to_pledge(rows[0])


def next_seq(store: Store, team: str, kind: PledgeKind) -> int:
    row = store.db.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM pledges WHERE team_id = ? AND kind = ?",
        [team_id(store, team), kind.value],
    ).fetchone()
    seq: int = row[0]
    return seq


def add_pledge(store: Store, pledge: Pledge) -> Pledge:
    """Insert; a local pledge with seq 0 gets the team's next number (inside the lock)."""
    with store.write():
        if pledge.seq == 0:
            seq = next_seq(store, pledge.team, pledge.kind)
            pledge = pledge.model_copy(
                update={"seq": seq, "ref": pledge_ref(pledge.team, pledge.kind, seq)}
            )
        row = pledge_row(pledge)
        store.db.table("pledges").insert(
            {**row, "team_id": team_id(store, pledge.team), "created_at": store.now_text()}
        )
        store.log_change("pledge", pledge.ref, "insert", None, row)
    return pledge


def list_pledges(
    store: Store, *, team: str | None = None, statuses: list[PledgeStatus] | None = None
) -> list[Pledge]:
    clauses: list[str] = []
    params: list[Any] = []
    if team is not None:
        clauses.append("p.team_id = ?")
        params.append(team_id(store, team))
    if statuses:
        clauses.append(f"p.status IN ({', '.join('?' for _ in statuses)})")
        params.extend(s.value for s in statuses)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"{_SELECT}{where} ORDER BY t.code, p.kind DESC, p.seq"  # placeholders only
    return [_to_pledge(r) for r in store.db.query(sql, params)]


def update_pledge(store: Store, pledge: Pledge, *, op: str) -> Pledge:
    """Write a changed pledge back, logging only the columns that differ."""
    with store.write():
        before = pledge_row(get_pledge(store, pledge.ref))
        after = pledge_row(pledge)
        diff = sorted(k for k in after if after[k] != before[k])
        if diff:
            store.db.table("pledges").update(
                pledge_id(store, pledge.ref), {k: after[k] for k in diff}
            )
            store.log_change(
                "pledge", pledge.ref, op, {k: before[k] for k in diff}, {k: after[k] for k in diff}
            )
    return pledge
