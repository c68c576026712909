"""The national commitments on a team: attaching them, and logging the events they are
measured on through the ordinary `log` path (a team's own life, N5 following its setting
included, is `team_lifecycle`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pledgetrack.domain import national
from pledgetrack.domain.dates import short_datetimes
from pledgetrack.domain.models import Action, Pledge, PledgeKind, normalise_code, pledge_ref
from pledgetrack.domain.numbers import ATTENDANCE
from pledgetrack.errors import InputError, NotFoundError, option
from pledgetrack.services.compliance import TeamSummary
from pledgetrack.store import national as national_store
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import add_pledge, get_pledge, list_pledges
from pledgetrack.store.teams import get_team

if TYPE_CHECKING:  # imported where used: `overview` reads this module and logs nothing
    from pledgetrack.domain.periods import Period
    from pledgetrack.services.victim_cases import Reopened


def national_ref(team: str, number: int) -> str:
    return pledge_ref(normalise_code(team), PledgeKind.NATIONAL, number)


@dataclass(frozen=True)
class Attached:
    team: str
    since: date
    added: tuple[int, ...]
    skipped: tuple[int, ...]  # already on the team
    moved: tuple[tuple[int, date | None], ...] = ()  # already on it, now from `since` (was)
    rewrote: Period | None = None  # the ended months the move judged again (planned_moves)


def attach(
    store: Store,
    code: str,
    since: date,
    numbers: tuple[int, ...] = national.NUMBERS,
    *,
    move: bool = False,
    rewrite: bool = False,
) -> Attached:
    """Give a team the chosen commitments from `since`; ones it already has are left alone,
    or, with `move` (`team national CODE --since DATE` on a team that has them: one
    registered without --since, whose last week could not be logged), apply from `since`
    as `pledge edit REF --agreed` would make them (which refuses a day that would leave
    logged actions before it), all or none. A move that judges ended months again is
    refused unless `rewrite`, naming them (planned_moves), as `pledge edit` refuses one."""
    from pledgetrack.domain.entry_rules import check_keeps_actions  # only when moving
    from pledgetrack.services.pledge_lifecycle import edit_pledge
    from pledgetrack.store.actions import live_actions_outside

    with store.write():
        team = get_team(store, code)
        national_pledges = [
            p for p in list_pledges(store, team=team.code) if p.kind is PledgeKind.NATIONAL
        ]
        held = {p.seq for p in national_pledges}
        added = tuple(n for n in numbers if n not in held)
        moved: list[tuple[int, date | None]] = []
        rewrote = None
        if move:
            moving = [p for p in national_pledges if p.seq in numbers and p.agreed_on != since]
            for pledge in moving:
                logged = live_actions_outside(store, pledge.ref, since, None)
                check_keeps_actions(
                    pledge.model_copy(update={"agreed_on": since}), logged, "--since"
                )  # as typed, not --agreed
            rewrote = _rewritten(store, team.code, moving, since)
            if rewrote is not None and not rewrite:
                raise InputError(_moved_words(team.code, moving, since, rewrote, refused=True),
                                 field="yes")  # fmt: skip
            for pledge in moving:
                edit_pledge(store, pledge.ref, {"agreed_on": since}, rewrite=True)
                moved.append((pledge.seq, pledge.agreed_on))
        for number in added:
            c = national.commitment(number)
            add_pledge(
                store,
                Pledge(
                    ref=national_ref(team.code, number),
                    team=team.code,
                    kind=PledgeKind.NATIONAL,
                    seq=number,
                    title=c.title,
                    description=c.text,
                    agreed_on=since,
                    target=c.target_for(team.setting),
                ),
            )
    skipped = tuple(n for n in numbers if n in held and n not in dict(moved))
    return Attached(team.code, since, added, skipped, tuple(moved), rewrote)


def planned_moves(
    store: Store, code: str, since: date, numbers: tuple[int, ...] = national.NUMBERS
) -> str | None:
    """What `attach(..., move=True)` would judge again, in words, read only (the CLI asks
    first at a terminal); None if nothing ended changes."""
    team = get_team(store, code)
    moving = [
        p
        for p in list_pledges(store, team=team.code)
        if p.kind is PledgeKind.NATIONAL and p.seq in numbers and p.agreed_on != since
    ]
    rewrote = _rewritten(store, team.code, moving, since)
    return None if rewrote is None else _moved_words(team.code, moving, since, rewrote)


def _rewritten(store: Store, team: str, moving: list[Pledge], since: date) -> Period | None:
    """The ended months the move judges again: every commitment's, as `pledge edit
    --agreed` would judge each (entry_rules.target_rewrite), together."""
    from pledgetrack.domain.entry_rules import months_span
    from pledgetrack.services.pledge_lifecycle import planned_rewrite

    plans = [planned_rewrite(store, p.ref, {"agreed_on": since}) for p in moving]
    months = [p.months for p in plans if p is not None]
    if not months:
        return None
    return months_span(min(m.start for m in months), max(m.end for m in months))


def moved_note(attached: Attached) -> str | None:
    """The note after a move that judged ended months again."""
    from pledgetrack.domain.entry_rules import ended_months_words

    if attached.rewrote is None:
        return None
    return f"note: their figures for {ended_months_words(attached.rewrote)}, are judged again"


def _moved_words(
    team: str, moving: list[Pledge], since: date, months: Period, *, refused: bool = False
) -> str:
    """What a move would rewrite, for the question and (`refused`) the refusal."""
    from pledgetrack.domain.dates import message_days
    from pledgetrack.domain.entry_rules import ended_months_words
    from pledgetrack.domain.national import codes_text

    (day,) = message_days(since)
    codes = codes_text(tuple(p.seq for p in moving))
    said = (
        f"moving {team}'s national commitments {codes} to apply from {day} changes "
        f"their figures for {ended_months_words(months)}"
    )
    if refused:
        said += f"; pass {option('yes')} to change them, or keep them: leave them as they are"
    return said


def require(store: Store, team: str, number: int) -> Pledge:
    """The team's national pledge N<number>, or one line saying how to attach it."""
    owner = get_team(store, team)
    try:
        return get_pledge(store, national_ref(owner.code, number))
    except NotFoundError:
        raise InputError(
            f"team {owner.code} has no national commitment N{number} "
            f"(attach it: pledgetrack team national {owner.code} --only N{number})"
        ) from None


def log_event(store: Store, team: str, number: int, action: Action) -> int:
    """A shortcut's action, logged against the team's N<number> exactly as `log` would."""
    # imported here: `overview` reads this module's statuses and logs nothing
    from pledgetrack.services import action_log

    with store.write():
        pledge = require(store, team, number)
        return action_log.log_action(store, action.model_copy(update={"pledge": pledge.ref}))


def log_meeting(
    store: Store, team: str, action: Action, attendance: int | None, priorities: list[str]
) -> int:
    """N7: the meeting as an action, its attendance and agreed priorities beside it."""
    if attendance is not None:
        ATTENDANCE.check("--attendance", attendance)
    with store.write():
        new_id = log_event(store, team, 7, action)
        national_store.add_meeting(store, new_id, attendance, priorities)
        return new_id


def plan_meeting(
    store: Store, team: str, starts_at: datetime, now: datetime, place: str | None, note: str | None
) -> int:
    """N7 ahead of time: the next public meeting, which the team's public update announces.

    A meeting already past is refused: once held, it is logged with `meeting`.
    """
    if starts_at <= now:
        zone = now.tzinfo
        assert zone is not None  # the user's clock: aware
        raise InputError(
            f"--when {short_datetimes(starts_at, now, zone, now.year)[0]} is not in the future "
            "(log a meeting that was held with: pledgetrack meeting TEAM --when DT)"
        )
    with store.write():
        code = require(store, team, 7).team
        return national_store.add_planned_meeting(store, code, starts_at, place, note)


def next_meeting(store: Store, team: str, after: datetime) -> dict[str, Any] | None:
    """The meeting the team had announced as its next at `after`, if any: its newest
    announcement made by then (which replaces every earlier one), still to come and not
    cancelled by then. An earlier announcement never comes back when the newer is past or
    cancelled."""
    planned = national_store.latest_planned_meeting(store, team, after)
    if planned is None or planned["starts_at"] <= after:
        return None
    cancelled = planned["cancelled_at"]
    return planned if cancelled is None or cancelled > after else None


def cancel_meeting(store: Store, team: str, now: datetime) -> dict[str, Any]:
    """Call off the meeting announced as next (`next-meeting --cancel`); returns it.
    Nothing announced, or the meeting already started, is bad input: it cannot be undone."""
    with store.write():
        code = get_team(store, team).code
        planned = next_meeting(store, code, now)
        if planned is None:
            raise InputError(
                f"team {code} has no meeting announced to cancel (announce one with: "
                f"pledgetrack next-meeting {code} --when DT)",
                field="cancel",
            )
        national_store.cancel_planned_meeting(store, planned["id"], now)
        return planned


def victim_update(
    store: Store,
    team: str,
    case: str,
    action: Action,
    *,
    final: bool,
    note: str | None = None,
    every: int | None = None,
) -> int:
    """N9: a contact answers the case's waiting item and, unless final, opens the next one;
    typed up late, it goes between the contacts either side (victim_cases.record_contact).

    Each item runs from one contact (received) to the next (done), so an item open for more
    than a month is a victim left uninformed, and `check` shows it before it breaches.
    Returns the new item's id, or with `final` the id of the item closed, which keeps the
    last contact's `note` and officer (national.last_contact): no gap of 0 is made up for
    it, which would pull the median gap down. A first contact that is also the last (the
    victim asked for one call, the case was filed) is kept as an item answered at once: the
    contact is on record and no 31-day clock starts. `every` (days): how often the victim
    agreed to hear from us, in force from this contact on (victim_cases.record_contact).
    """
    from pledgetrack.domain import entry_rules
    from pledgetrack.services import victim_cases

    case_ref = victim_cases.case_reference(case)
    with store.write():
        pledge = require(store, team, 9)
        # judged as typed (the contact's --when), before it becomes an item received then
        entry_rules.check_within_life(pledge, action, store.clock())
        return victim_cases.record_contact(
            store, pledge, case_ref, action, final=final, note=note, every=every
        )[0]


def reopen_case(store: Store, team: str, case: str) -> Reopened:
    """`victim-update --reopen`: the case's final contact undone (victim_cases.reopen)."""
    from pledgetrack.services import victim_cases

    case_ref = victim_cases.case_reference(case)
    with store.write():
        return victim_cases.reopen(store, require(store, team, 9), case_ref)


def priorities(store: Store, team: str) -> list[dict[str, Any]]:
    return national_store.list_priorities(store, get_team(store, team).code)


def statuses(summary: TeamSummary) -> dict[int, str]:
    """The team's status on each measured national commitment in the summary (`overview`)."""
    return {
        r.pledge.seq: r.judgement.status.value
        for r in summary.results
        if r.pledge.kind is PledgeKind.NATIONAL and r.pledge.seq in national.MEASURED
    }
