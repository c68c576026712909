"""A team's life: registering it with its national commitments, editing it (N5 follows
its setting), archiving it and bringing it back. Archived, its pledges end with it, so
reports keep its past and stop there; restoring can reopen exactly the pledges archiving
withdrew."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pledgetrack.domain import national
from pledgetrack.domain.models import Pledge, PledgeStatus, Team
from pledgetrack.errors import InputError, NotFoundError
from pledgetrack.services import national as national_service
from pledgetrack.services.pledge_lifecycle import close_pledge, reopen_pledge
from pledgetrack.store import teams as team_store
from pledgetrack.store.changes import withdrawn_by_last_archive
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import get_pledge, list_pledges, update_pledge
from pledgetrack.store.teams import get_team, update_team

ARCHIVE_OUTCOME = "team archived"


def register_team(
    store: Store, team: Team, since: date, numbers: tuple[int, ...]
) -> national_service.Attached:
    """`team add`: the team and its national commitments in one transaction."""
    with store.write():
        team_store.add_team(store, team)
        return national_service.attach(store, team.code, since, numbers)


def edit_team(
    store: Store, code: str, changes: dict[str, Any], *, op: str
) -> tuple[Team, Pledge | None]:
    """`team edit`/`archive`/`restore`; a new setting moves N5's emergency target with it
    (the moved pledge is returned, so the user is told)."""
    with store.write():
        before = get_team(store, code)
        after = team_store.update_team(store, code, changes, op=op)
        if after.setting is before.setting:
            return after, None
        try:
            n5 = get_pledge(store, national_service.national_ref(after.code, 5))
        except NotFoundError:
            return after, None
        moved = national.emergency_target(n5.target, after.setting)
        if moved == n5.target:
            return after, None
        return after, update_pledge(store, n5.model_copy(update={"target": moved}), op="edit")


def archive_plan(store: Store, code: str) -> tuple[Team, list[Pledge]]:
    """What `team archive` would do: the team, and the active pledges it would withdraw."""
    team = get_team(store, code)
    if not team.active:
        raise InputError(f"team {team.code} is already archived", field="code")
    return team, list_pledges(store, team=team.code, statuses=[PledgeStatus.ACTIVE])


def archive_team(
    store: Store, code: str, on: date, expected: list[str] | None = None
) -> tuple[Team, list[str]]:
    """Archive the team and withdraw its active pledges as of `on`; returns (team, refs).

    Withdrawing them, rather than leaving them active, is what lets `summary` and `overview`
    show an archived team for the periods it worked and for no later one. With `expected`
    (the refs the user was shown and agreed to), a different set is refused, not withdrawn.
    """
    with store.write():
        team, active = archive_plan(store, code)
        if expected is not None and [p.ref for p in active] != expected:
            raise InputError(
                f"team {team.code}'s active pledges changed while asking; nothing archived, "
                "run it again"
            )
        for pledge in active:
            close_pledge(store, pledge.ref, PledgeStatus.WITHDRAWN, ARCHIVE_OUTCOME, on)
        archived = update_team(store, team.code, {"active": False}, op="archive")
        return archived, [p.ref for p in active]


def withdrawn_by_archive(store: Store, code: str) -> list[str]:
    """The pledges the team's latest archiving withdrew that are still withdrawn."""
    team = get_team(store, code)
    refs = withdrawn_by_last_archive(store, team.code, ARCHIVE_OUTCOME)
    return [ref for ref in refs if get_pledge(store, ref).status is PledgeStatus.WITHDRAWN]


@dataclass(frozen=True)
class Restored:
    team: Team
    was_archived: bool  # False: `--reopen` on a team restored before
    reopened: list[str]
    still_withdrawn: list[str]


def restore_team(store: Store, code: str, *, reopen: bool) -> Restored:
    """Bring an archived team back; with `reopen`, reopen the pledges archiving withdrew.

    With `reopen`, a team already restored is fine: the pledges are reopened all the same.
    """
    with store.write():
        team = get_team(store, code)
        was_archived = not team.active
        if not was_archived and not reopen:
            raise InputError(f"team {team.code} is not archived", field="code")
        if was_archived:
            team, _ = edit_team(store, team.code, {"active": True}, op="restore")
        withdrawn = withdrawn_by_archive(store, team.code)
        if not reopen:
            return Restored(team, was_archived, [], withdrawn)
        for ref in withdrawn:
            reopen_pledge(store, ref)
        return Restored(team, was_archived, withdrawn, [])
