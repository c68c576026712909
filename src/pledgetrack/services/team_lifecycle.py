"""A team's life: registering it with its national commitments, editing it (N5 follows
its setting), archiving it and bringing it back. Archived, its pledges end with it, so
reports keep its past and stop there; restoring can reopen exactly the pledges archiving
withdrew."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict, Unpack

from pydantic import ValidationError

from pledgetrack.domain import national, rules
from pledgetrack.domain.entry_rules import TargetRewrite, check_text, target_rewrite
from pledgetrack.domain.models import Pledge, PledgeStatus, Team
from pledgetrack.domain.vocabulary import Setting
from pledgetrack.errors import InputError, NotFoundError, from_validation_error
from pledgetrack.services import national as national_service
from pledgetrack.services.pledge_lifecycle import close_pledge, reopen_pledge
from pledgetrack.store import teams as team_store
from pledgetrack.store.changes import withdrawn_by_last_archive
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import get_pledge, list_pledges, update_pledge
from pledgetrack.store.teams import get_team, update_team

ARCHIVE_OUTCOME = "team archived"


class TeamDetails(TypedDict, total=False):
    """A team's fields besides its code and name, as registering and editing take them."""

    force: str | None
    area: str | None
    sergeant: str | None
    contact: str | None
    setting: Setting | None


def new_team(code: str, name: str, **details: Unpack[TeamDetails]) -> Team:
    """A team as it may be registered: the code's rules (`models.Team`: ASCII letters,
    digits and '-', not a pledge reference), a name that is not blank, urban unless said.
    Each error names its field (`code`, `name`), for `team add` and any other way in."""
    try:
        return Team(
            code=code,
            name=check_text("--name", name),
            **{**details, "setting": details.get("setting") or Setting.URBAN},
        )
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def commitments_asked(
    only: str | None, *, none: bool = False, since_given: bool = False, option: str
) -> tuple[int, ...]:
    """The national commitments to attach: all, those `only` names (`N4,N7`), or `none`;
    none together with a choice of which, or from when, contradicts itself and is refused."""
    if none and (only is not None or since_given):
        other = option if only is not None else "--since"
        raise InputError(f"--no-national cannot be combined with {other}", field="no_national")
    if none:
        return ()
    return national.NUMBERS if only is None else national.parse_numbers(option, only)


def team_changes(name: str | None = None, **details: Unpack[TeamDetails]) -> dict[str, Any]:
    """The fields an edit gives (None: left as it is), a new name not blank; an edit that
    changes nothing is refused."""
    if name is not None:
        check_text("--name", name)
    changes = {key: value for key, value in {"name": name, **details}.items() if value is not None}
    if not changes:
        raise InputError("nothing to change: give at least one option (see --help)")
    return changes


def register_team(
    store: Store, team: Team, since: date, numbers: tuple[int, ...]
) -> national_service.Attached:
    """`team add`: the team and its national commitments in one transaction."""
    with store.write():
        team_store.add_team(store, team)
        return national_service.attach(store, team.code, since, numbers)


def edit_team(
    store: Store, code: str, changes: dict[str, Any], *, op: str
) -> tuple[Team, Pledge | None, TargetRewrite | None]:
    """`team edit`/`archive`/`restore`; a new setting moves N5's emergency target with it
    (the moved pledge is returned, and the ended months its figures change for, so the
    user is told, as `pledge edit` tells of a new target)."""
    with store.write():
        mended = team_store.unreadable_columns(store, code) & set(changes)
        before = get_team(store, code, mend=team_store.EVERY_COLUMN)
        try:
            after = team_store.update_team(store, code, changes, op=op)
        except ValidationError as exc:
            raise from_validation_error(exc) from None
        if after.setting is before.setting and "setting" not in mended:
            return after, None, None
        try:
            n5 = get_pledge(store, national_service.national_ref(after.code, 5))
        except NotFoundError:
            return after, None, None
        target = national.emergency_target(n5.target, after.setting)
        moved = n5.model_copy(update={"target": target})
        if moved.target == n5.target:
            return after, None, None
        rewrite = target_rewrite(moved, n5.target, store.clock().date())
        return after, update_pledge(store, moved, op="edit"), rewrite


def pledge_counts(store: Store, code: str, as_of: datetime) -> tuple[int, int]:
    """(active, closed) pledges as things stood at as-of, for `team show`: a pledge agreed
    later was not held yet, and one closed later was still active (rules.still_open)."""
    held = [
        p
        for p in list_pledges(store, team=code)
        if p.agreed_on is not None and p.agreed_on <= as_of.date()
    ]
    active = sum(rules.still_open(p.status, p.closed_on, as_of) for p in held)
    return active, len(held) - active


def archive_plan(store: Store, code: str) -> tuple[Team, list[Pledge]]:
    """What `team archive` would do: the team, and the active pledges it would withdraw.
    An active flag another tool wrote (`7`) is read as active: archiving replaces it."""
    team = get_team(store, code, mend=team_store.EVERY_COLUMN)
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
    team = get_team(store, code, mend=team_store.EVERY_COLUMN)  # its code alone is read
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
        # an active flag another tool wrote (`7`) is restored, as an archived team's is
        unread = "active" in team_store.unreadable_columns(store, code)
        team = get_team(store, code, mend=team_store.EVERY_COLUMN)
        was_archived = not team.active or unread
        if not was_archived and not reopen:
            raise InputError(f"team {team.code} is not archived", field="code")
        if was_archived:
            team, _, _ = edit_team(store, team.code, {"active": True}, op="restore")
        withdrawn = withdrawn_by_archive(store, team.code)
        if not reopen:
            return Restored(team, was_archived, [], withdrawn)
        for ref in withdrawn:
            reopen_pledge(store, ref)
        return Restored(team, was_archived, withdrawn, [])
