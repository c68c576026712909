"""`report inspect`: the evidence on record for each national commitment, graded as an
inspector testing it would find it (rules in domain.inspection, docs/reports.md).

Month statuses come from services.compliance.summarise (what `summary` shows for each of
the three months); the gaps and waits come from the team's own action log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from pledgetrack.domain import inspection
from pledgetrack.domain.inspection import Evidence, Grade, Measure, Overall
from pledgetrack.domain.models import Action, Pledge, PledgeKind, PledgeRecord, Team
from pledgetrack.domain.national import CATALOGUE, CONTACT_OPENS_ITEM, commitment
from pledgetrack.domain.periods import Period, unit_start
from pledgetrack.domain.plain_words import closing_words
from pledgetrack.domain.rules import (
    Status,
    by_the_clock,
    clock_s,
    effective_closed_on,
    in_force_on,
    response_outcome,
    still_open,
)
from pledgetrack.domain.targets import FrequencyTarget, ResponseTarget, ShareTarget, Unit
from pledgetrack.domain.vocabulary import PledgeStatus
from pledgetrack.services.compliance import PledgeResult, summarise
from pledgetrack.services.hq_report import last_months
from pledgetrack.store.actions import ActionFilter, list_actions
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import list_pledges

LOOK_BACK_DAYS = 92  # actions before the window, to find where a gap began


@dataclass(frozen=True)
class BreachedItem:
    """A response item of the window judged breached (rules.response_outcome: answered
    late, or still open past its limit at as-of): one of its commitment's Breaches, named,
    the evidence an inspector asks for."""

    number: int  # the national commitment
    pledge: str
    item: Action
    answered: datetime | None  # None: still open at as-of
    waited: timedelta  # received to answered (still open: to as-of)
    allowed_minutes: int

    @property
    def late(self) -> timedelta:
        return self.waited - timedelta(minutes=self.allowed_minutes)


@dataclass(frozen=True)
class CommitmentGrade:
    number: int
    title: str
    evidence: Evidence
    grade: Grade
    reason: str
    longest_wait_minutes: int | None  # response: the longest wait for an answer
    allowed_minutes: int | None
    breached: tuple[BreachedItem, ...] = ()  # response: the items Breaches counts, oldest first


@dataclass(frozen=True)
class Inspection:
    team: Team
    as_of: datetime
    made: datetime  # when the report was made: its evidence is the log as it stood then
    window: Period  # the three whole months before as-of's month
    commitments: tuple[CommitmentGrade, ...]
    overall: Overall
    overall_reason: str


def build_inspection(store: Store, team: str, as_of: datetime) -> Inspection:
    before = unit_start(Unit.MONTH, as_of.date()) - timedelta(days=1)
    months = last_months(before, inspection.WINDOW_MONTHS)
    window = Period(months[0].start, months[-1].end, f"{months[0].label}..{months[-1].label}")
    monthly = [summarise(store, month, as_of, [team])[0] for month in months]
    owner = monthly[0].team
    results: dict[int, list[PledgeResult | None]] = {c.number: [] for c in CATALOGUE}
    for summary in monthly:
        national = {
            r.pledge.seq: r for r in summary.results if r.pledge.kind is PledgeKind.NATIONAL
        }
        for number, found in results.items():
            found.append(national.get(number))
    log = list_actions(
        store,
        ActionFilter(
            team=owner.code, start=window.start - timedelta(days=LOOK_BACK_DAYS), end=as_of.date()
        ),
    )
    by_pledge: dict[str, list[Action]] = {}
    for action in log:
        by_pledge.setdefault(action.pledge, []).append(action)
    carried = {
        p.seq: p for p in list_pledges(store, team=owner.code) if p.kind is PledgeKind.NATIONAL
    }
    graded = tuple(
        _closed(
            store,
            _grade(store, owner, number, found, by_pledge, window, as_of, carried.get(number)),
            carried.get(number),
            as_of,
        )
        for number, found in results.items()
    )
    mark, reason = inspection.overall({g.number: g.grade for g in graded})
    return Inspection(owner, as_of, store.clock(), window, graded, mark, reason)


def _grade(
    store: Store,
    team: Team,
    number: int,
    found: list[PledgeResult | None],
    by_pledge: dict[str, list[Action]],
    window: Period,
    as_of: datetime,
    carried: Pledge | None,
) -> CommitmentGrade:
    pledge = next((r.pledge for r in found if r is not None), None)
    title = commitment(number).title
    if pledge is None:  # not in force in the window: never carried, closed before it, or later
        adopted = (
            carried.agreed_on
            if carried is not None and still_open(carried.status, carried.closed_on, as_of)
            else None
        )
        later = adopted if adopted is not None and window.end < adopted <= as_of.date() else None
        evidence = Evidence(number, Measure.NONE, False, 0, None, (), 0, adopted_on=later)
        mark, reason = inspection.grade(evidence)
        return CommitmentGrade(number, title, evidence, mark, reason, None, None)
    # what counts is what was done while the commitment was in force: from the day it was
    # adopted to the day it closed (as things stood at as-of), the days summary counts
    closed = effective_closed_on(pledge.closed_on, as_of)
    actions = [
        a
        for a in by_pledge.get(pledge.ref, [])
        if _began(a) <= as_of
        and in_force_on(_when(a).date(), pledge.agreed_on, pledge.closed_on, as_of)
    ]
    statuses = tuple(r.judgement.status if r is not None else Status.NO_DATA for r in found)
    done = [a.occurred_at for a in actions]
    if number == CONTACT_OPENS_ITEM:  # N9: an item's received time is a contact made
        done += [a.received_at for a in actions]
    done_days = sorted(moment.date() for moment in done if moment is not None and moment <= as_of)
    latest = done_days[-1] if done_days else None
    target = pledge.target
    wait = allowed = gap = gap_allowed = None
    pending = 0
    breached: tuple[BreachedItem, ...] = ()
    if isinstance(target, ResponseTarget):
        measure = Measure.RESPONSE
        items = [
            a
            for a in actions
            if a.received_at is not None
            and window.contains(a.received_at.date())
            and in_force_on(a.received_at.date(), pledge.agreed_on, pledge.closed_on, as_of)
        ]
        limits = _limits(store, number, target, items)
        # a victim's contacts in calendar days, as summary counts them (rules.by_the_clock)
        clocks = [by_the_clock(number == CONTACT_OPENS_ITEM, limit * 60) for limit in limits]
        outcomes = [
            _outcome(a, limit, as_of, clock)
            for a, limit, clock in zip(items, limits, clocks, strict=True)
        ]
        count = len(items)
        breaches = outcomes.count("breached")
        pending = outcomes.count("pending")
        waits = [
            timedelta(seconds=clock_s(_answered(a, as_of), clock) - clock_s(a.received_at, clock))
            for a, clock in zip(items, clocks, strict=True)
            if a.received_at
        ]
        wait = int(max(waits).total_seconds() // 60) if waits else None
        allowed = target.within_minutes
        breached = tuple(
            sorted(
                (
                    BreachedItem(number, pledge.ref, a, _done(a, as_of), waited, limit)
                    for a, outcome, waited, limit in zip(
                        items, outcomes, waits, limits, strict=True
                    )
                    if outcome == "breached"
                ),
                key=lambda b: (b.item.received_at, b.item.id or 0),
            )
        )
    else:
        count = sum(window.contains(_when(a).date()) for a in actions)
        breaches = sum(s in (Status.AMBER, Status.RED) for s in statuses)
        if isinstance(target, FrequencyTarget):
            measure = Measure.FREQUENCY
            counted = sorted(
                {
                    a.occurred_at.date()
                    for a in actions
                    if a.occurred_at is not None
                    and a.occurred_at <= as_of
                    and target.action_kind in (None, a.kind)
                }
            )
            gap_allowed = inspection.allowed_gap(target.count, target.unit)
            # a gap ends on the day the commitment closed: nothing was due after it
            end = as_of.date() if closed is None else min(closed, as_of.date())
            gap = inspection.longest_gap(counted, _gap_start(pledge, counted, window), end)
        elif isinstance(target, ShareTarget):
            measure = Measure.SHARE
        else:
            measure = Measure.NONE
    evidence = Evidence(
        number,
        measure,
        True,
        count,
        latest,
        statuses,
        breaches,
        gap,
        gap_allowed,
        contact_published=bool(team.contact),
        pending=pending,
        adopted_on=(
            pledge.agreed_on
            if pledge.agreed_on is not None and window.contains(pledge.agreed_on)
            else None
        ),
    )
    mark, reason = inspection.grade(evidence)
    return CommitmentGrade(number, title, evidence, mark, reason, wait, allowed, breached)


def _closed(
    store: Store, graded: CommitmentGrade, pledge: Pledge | None, as_of: datetime
) -> CommitmentGrade:
    """A commitment closed by as-of says so after its reason, with the outcome given to
    `pledge close` (`; withdrawn on 10 November 2008: Meetings merged with BL02`): an
    inspector must know why the evidence stops there (its gap stops on that day), or
    why a team lacks a commitment it once carried (closed before the window)."""
    closed = None if pledge is None else effective_closed_on(pledge.closed_on, as_of)
    if pledge is None or closed is None or pledge.status is PledgeStatus.ACTIVE:
        return graded
    said = closing_words(pledge.status, closed, pledge.outcome)
    return replace(graded, reason=f"{graded.reason}; {said}")


def _when(action: Action) -> datetime:
    """When an action belongs on the calendar: done, or for an open item, received."""
    moment = action.occurred_at or action.received_at
    assert moment is not None  # an action has one or the other (store invariant)
    return moment


def _began(action: Action) -> datetime:
    """When an action entered the record's time line: received, else done."""
    moment = action.received_at or action.occurred_at
    assert moment is not None
    return moment


def _done(action: Action, as_of: datetime) -> datetime | None:
    """When an item was dealt with, as things stood at as-of (None: still open then)."""
    return action.occurred_at if action.occurred_at and action.occurred_at <= as_of else None


def _limits(
    store: Store, number: int, target: ResponseTarget, items: list[Action]
) -> list[int]:
    """Each item's limit in minutes, as store.queries.ITEM_LIMIT_SQL judges it: a victim's
    contact (N9) by the frequency agreed with the victim where one was, else the target's."""
    if number != CONTACT_OPENS_ITEM:
        return [target.within_minutes] * len(items)
    from pledgetrack.store.national import agreed_every

    agreed = agreed_every(store, [a.id for a in items if a.id is not None])
    return [
        target.within_minutes if (days := agreed.get(a.id or 0)) is None else days * 24 * 60
        for a in items
    ]


def _outcome(action: Action, limit_minutes: int, as_of: datetime, clock: bool) -> str:
    """met, breached or pending as `summary` judges the item (rules.response_outcome): an
    item still open within its limit is pending, neither on time nor late; `clock`: counted
    in calendar days (rules.by_the_clock)."""
    received = action.received_at
    assert received is not None
    done = _done(action, as_of)
    return response_outcome(
        clock_s(received, clock),
        None if done is None else clock_s(done, clock),
        limit_minutes * 60,
        clock_s(as_of, clock),
    )


def _answered(action: Action, as_of: datetime) -> datetime:
    """When an item was answered as things stood at as-of (still waiting: as-of)."""
    return _done(action, as_of) or as_of


def _gap_start(pledge: PledgeRecord, days: list[date], window: Period) -> date:
    """Where the first gap in the window began: the last action before it, else the
    window's start or the day the commitment was adopted, whichever is later."""
    earlier = [d for d in days if d < window.start]
    if earlier:
        return earlier[-1]
    return max(window.start, pledge.agreed_on or window.start)
