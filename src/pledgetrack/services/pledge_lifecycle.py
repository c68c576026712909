"""Adding, editing, closing and reopening pledges, with the domain rules applied first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pledgetrack.domain import entry_rules
from pledgetrack.domain.models import Pledge, PledgeKind, PledgeStatus
from pledgetrack.domain.target_fields import any_given
from pledgetrack.domain.targets import Target, amend_target
from pledgetrack.errors import InputError
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import add_pledge, get_pledge, update_pledge
from pledgetrack.store.teams import get_team


def new_local_pledge(
    store: Store,
    team: str,
    title: str,
    target: Target,
    *,
    agreed_on: date | None,
    review_on: date | None = None,
    meeting: str | None = None,
    description: str | None = None,
) -> Pledge:
    """Record a local pledge; its reference `<TEAM>-L<n>` is allocated under the write lock."""
    owner = get_team(store, team)
    entry_rules.check_dates(agreed_on, review_on, target)
    pledge = Pledge(
        ref="",
        team=owner.code,
        kind=PledgeKind.LOCAL,
        seq=0,
        title=entry_rules.check_text("TITLE", title),
        description=description,
        agreed_on=agreed_on,
        meeting=meeting,
        review_on=review_on,
        target=target,
    )
    return add_pledge(store, pledge)


def edit_pledge(
    store: Store, ref: str, changes: dict[str, Any], target: Mapping[str, Any] | None = None
) -> Pledge:
    """`target`: the figures given by field name (domain/target_fields.py), None unchanged."""
    with store.write():
        pledge = get_pledge(store, ref)
        if target is not None and any_given(target):
            changes["target"] = amend_target(pledge.target, pledge.ref, **target)
        if "title" in changes:
            changes["title"] = entry_rules.check_text("--title", changes["title"])
        updated = pledge.model_copy(update=changes)
        entry_rules.check_dates(updated.agreed_on, updated.review_on, updated.target)
        return update_pledge(store, Pledge.model_validate(updated.model_dump()), op="edit")


def close_pledge(store: Store, ref: str, status: PledgeStatus, outcome: str, on: date) -> Pledge:
    with store.write():
        pledge = get_pledge(store, ref)
        entry_rules.check_close(pledge, status, on, store.clock().date())
        closed = pledge.model_copy(
            update={
                "status": status,
                "outcome": entry_rules.check_text("--outcome", outcome),
                "closed_on": on,
            }
        )
        return update_pledge(store, closed, op="close")


def reopen_pledge(store: Store, ref: str) -> Pledge:
    with store.write():
        pledge = get_pledge(store, ref)
        if pledge.is_open:
            raise InputError(f"{pledge.ref} is not closed", field="ref")
        reopened = pledge.model_copy(
            update={"status": PledgeStatus.ACTIVE, "closed_on": None, "outcome": None}
        )
        return update_pledge(store, reopened, op="reopen")
