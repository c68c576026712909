"""A team's public monthly update in "You said, we did" form, as data for the renderers.

The figures come from services.compliance (the same judgements `summary` prints); this
module only gathers what residents are told beside them: what was done, with whom, the
outcomes the team marked (`log --highlight`), and the next meeting. Every sentence is
built here once, so the Markdown, HTML and text forms say exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from pledgetrack.domain import rules
from pledgetrack.domain.models import Action, PledgeKind, Team
from pledgetrack.domain.national import KIND_MEETING, MEASURED, commitment
from pledgetrack.domain.periods import Period, Unit, unit_end, unit_start, units_ending_in
from pledgetrack.domain.plain_words import (
    closing_words,
    day_words,
    days_words,
    duration_words,
    kind_noun,
    per_unit_words,
    percent_words,
    period_words,
    plural,
    plural_noun,
    response_noun,
)
from pledgetrack.domain.rules import Judgement, Status, effective_closed_on
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    ResponseTarget,
    ShareTarget,
)
from pledgetrack.services.compliance import PledgeResult, summarise
from pledgetrack.services.national import national_ref, next_meeting
from pledgetrack.services.pledge_lifecycle import changes_for_residents
from pledgetrack.store.actions import ActionFilter, list_actions
from pledgetrack.store.connection import Store
from pledgetrack.store.national import meeting_details
from pledgetrack.store.pledges import get_pledge

STATUS_WORDS = {
    Status.GREEN: "on track",
    Status.AMBER: "nearly there",
    Status.RED: "behind",
    Status.NO_DATA: "nothing to judge yet",
    Status.PENDING: "in progress",
    Status.NOT_MEASURED: "recorded",
}
UNRECORDED_WORDS = "not counted as kept"

# Kinds of action named one by one in "We did"; the rest are counted together
KINDS_LISTED = 5

# The statuses that judged something: a closed pledge shows its figure "until it closed"
# only then (a withdrawn pledge with no whole week in force has nothing to tell)
JUDGED = (Status.GREEN, Status.AMBER, Status.RED)

# How each measured national commitment's figure reads: (noun counted, what was done,
# what to say when nothing fell due)
NATIONAL_NOUNS = {
    4: ("message", "answered within", "no messages came in"),
    5: ("emergency call", "attended within", "no emergency calls came in"),
    6: ("urgent call", "attended within", "no urgent calls came in"),
    9: ("victim update", "given within", "no victim update fell due"),
    7: ("public meeting", "held", ""),
    8: ("progress update", "published", ""),
}


@dataclass(frozen=True)
class Outcome:
    """A notable outcome (an action logged with --highlight), in the team's own words."""

    day: date
    text: str
    officer: str | None


@dataclass(frozen=True)
class PriorityUpdate:
    ref: str
    said: str  # the priority, as residents raised it
    agreed_on: date | None
    meeting: str | None
    done: tuple[str, ...]  # "9 patrols on 2, 9 and 16 October" (by kind, done_words)
    partners: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    officers: tuple[str, ...]  # empty with --no-names
    status: Status
    status_text: str  # "on track: 9 patrols in October 2008, 2 a week promised"
    # closed by the end of the period: "withdrawn on 1 December 2026: <the outcome>"; then
    # status_text is the figure until it closed, shown only if status is in JUDGED
    closed: str | None = None
    # the target changed since the period began: the figure is judged by the new one
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class NationalLine:
    number: int
    ref: str
    title: str
    text: str  # "12 of 12 messages answered within 24 hours"
    status: Status
    words: str  # the status for residents (status_words)
    closed: str | None = None  # as PriorityUpdate.closed
    changed: tuple[str, ...] = ()  # as PriorityUpdate.changed


@dataclass(frozen=True)
class Meeting:
    starts_at: datetime
    place: str | None
    note: str | None


@dataclass(frozen=True)
class HeldMeeting:
    """A public meeting held in the period (N7) and what residents set there, verbatim.

    Nothing in the data says which local pledge answers which priority (a pledge's
    `--meeting` is free text), so the update lists them and claims no link."""

    day: date
    attendance: int | None
    priorities: tuple[str, ...]


@dataclass(frozen=True)
class PublicUpdate:
    team: Team
    period: Period
    period_text: str  # "October 2008"
    as_of: datetime
    made: datetime  # when the update was made: its figures are the log as it stood then
    priorities: tuple[PriorityUpdate, ...]
    national: tuple[NationalLine, ...]
    next_meeting: Meeting | None
    names: bool  # officers' names shown (False with --no-names)
    held: tuple[HeldMeeting, ...] = ()  # the meetings held in the period, oldest first
    zone: tzinfo | None = None  # the database's: a stored time is shown in it


def build_update(
    store: Store, team: str, period: Period, as_of: datetime, *, names: bool = True
) -> PublicUpdate:
    (summary,) = summarise(store, period, as_of, [team])
    done = [
        a
        for a in list_actions(
            store, ActionFilter(team=summary.team.code, start=period.start, end=period.end)
        )
        if a.occurred_at is not None and a.occurred_at <= as_of
    ]
    done.sort(key=lambda a: (a.occurred_at, a.id))
    by_pledge: dict[str, list[Action]] = {}
    for action in done:
        by_pledge.setdefault(action.pledge, []).append(action)
    words = period_words(period)
    zone = store.clock().tzinfo
    assert zone is not None  # the store's clock is zoned
    changed = changes_for_residents(
        store, {r.pledge.ref: r.pledge.target for r in summary.results}, period, zone
    )
    priorities = tuple(
        _priority(
            r,
            by_pledge.get(r.pledge.ref, []),
            words,
            names,
            as_of,
            closure(store, r, as_of),
            changed.get(r.pledge.ref, ()),
        )
        for r in summary.results
        if r.pledge.kind is PledgeKind.LOCAL
    )
    national = tuple(
        NationalLine(
            r.pledge.seq,
            r.pledge.ref,
            commitment(r.pledge.seq).title,
            _national_text(r, by_pledge.get(r.pledge.ref, [])),
            r.judgement.status,
            status_words(r),
            closure(store, r, as_of),
            changed.get(r.pledge.ref, ()),
        )
        for r in summary.results
        if r.pledge.kind is PledgeKind.NATIONAL and r.pledge.seq in MEASURED
    )
    planned = next_meeting(store, summary.team.code, as_of)
    meeting = (
        None
        if planned is None
        else Meeting(planned["starts_at"], planned["place"], planned["note"])
    )
    return PublicUpdate(
        summary.team,
        period,
        words,
        as_of,
        store.clock(),
        priorities,
        national,
        meeting,
        names,
        _held(store, national_ref(summary.team.code, 7), done),
        store.clock().tzinfo,
    )


def _held(store: Store, n7: str, done: list[Action]) -> tuple[HeldMeeting, ...]:
    """The meetings N7 counts among what was done in the period (so one after --as-of or
    voided is not here), with the attendance and priorities `meeting` kept beside them."""
    held = [(a.id, a.occurred_at) for a in done if a.pledge == n7 and a.kind == KIND_MEETING]
    details = meeting_details(store, [i for i, _ in held if i is not None])
    meetings = []
    for action_id, at in held:
        if action_id is not None and at is not None:
            attendance, agreed = details.get(action_id, (None, []))
            meetings.append(HeldMeeting(at.date(), attendance, tuple(agreed)))
    return tuple(meetings)


def closure(store: Store, result: PledgeResult, as_of: datetime) -> str | None:
    """How a pledge closed by the end of the period reads for the public, with the outcome
    given to `pledge close` ("What happened, for the public") verbatim:
    `withdrawn on 1 December 2026: Residents chose a new priority`. The outcome is read
    only for such a pledge (a report's pledge records do not carry it)."""
    pledge = result.pledge
    day = rules.closed_in(pledge.status, pledge.closed_on, result.period, as_of)
    if day is None:
        return None
    return closing_words(pledge.status, day, get_pledge(store, pledge.ref).outcome)


def _priority(
    result: PledgeResult,
    actions: list[Action],
    period_text: str,
    names: bool,
    as_of: datetime,
    closed: str | None,
    changed: tuple[str, ...],
) -> PriorityUpdate:
    pledge = result.pledge
    # an item without a kind is what the pledge answers (a report), not an "action"
    unnamed = (
        response_noun(pledge.title, [None])
        if isinstance(pledge.target, ResponseTarget)
        else kind_noun(None)
    )
    return PriorityUpdate(
        ref=pledge.ref,
        said=pledge.title,
        agreed_on=pledge.agreed_on,
        meeting=pledge.meeting,
        done=done_words(actions, unnamed, isinstance(pledge.target, ResponseTarget)),
        partners=tuple(sorted({a.partner for a in actions if a.partner})),
        outcomes=tuple(
            Outcome(a.occurred_at.date(), a.description, a.officer if names else None)
            for a in actions
            if a.highlight and a.occurred_at is not None
        ),
        officers=tuple(sorted({a.officer for a in actions if a.officer})) if names else (),
        status=result.judgement.status,
        status_text=status_text(result, actions, period_text, as_of),
        closed=closed,
        changed=changed,
    )


def done_words(actions: list[Action], unnamed: str, answered: bool) -> tuple[str, ...]:
    """What was done, by kind, with the days: `11 patrols on 23 days from 1 to 29 October`,
    `2 leaflet drops on 4 and 11 October` (a response pledge's items `dealt with on ...`),
    most done first, past KINDS_LISTED kinds the rest as `and 7 other actions on ...`.
    Built from the kind and the day alone: an action's description, reference, officer
    and the items' received details are the team's record, not public (only an action
    marked --highlight is quoted, under Results)."""
    days: dict[str, list[date]] = {}
    for a in actions:
        if a.occurred_at is not None:
            days.setdefault(kind_noun(a.kind) if a.kind else unnamed, []).append(
                a.occurred_at.date()
            )
    verb = " dealt with" if answered else ""
    kinds = sorted(days.items(), key=lambda kind: (-len(kind[1]), kind[0]))
    said = [f"{plural(len(d), k)}{verb} {days_words(d)}" for k, d in kinds[:KINDS_LISTED]]
    rest = [day for _, d in kinds[KINDS_LISTED:] for day in d]
    if rest:
        said.append(f"{plural(len(rest), 'other action')} {days_words(rest)}")
    return tuple(said)


def _judged_span(result: PledgeResult, as_of: datetime) -> str | None:
    """The units a frequency figure counts, as summary judges them (rules.judged_units), in
    words that say which: `October 2008` for a monthly pledge; for a weekly one `the weeks
    ending in October 2008 (29 September to 26 October)`, so a resident sees why the
    figure is not the count of what was done in October (`the weeks from ... to ...` when
    some of them were not judged: agreed or closed within the month, or still to come)."""
    pledge, period = result.pledge, result.period
    target = pledge.target
    assert isinstance(target, FrequencyTarget) and pledge.agreed_on is not None
    units = rules.judged_units(target, period, as_of, pledge.agreed_on, pledge.closed_on)
    if not units:
        return None
    span = Period(units[0][0], units[-1][1], period.label)
    if span == Period(period.start, period.end, period.label):
        return period_words(period)
    noun = target.unit.value if len(units) == 1 else plural_noun(target.unit.value)
    if units == list(units_ending_in(target.unit, period)):
        days = period_words(span).removesuffix(f" {span.end.year}")
        return f"the {noun} ending in {period_words(period)} ({days})"
    return f"the {noun} from {period_words(span)}"


def _counted_later(result: PledgeResult, actions: list[Action], as_of: datetime) -> str:
    """The unit the figure does not count yet, which a resident reading "We did: 1 patrol"
    beside "0 patrols" must be told of. While the period runs, the unit in progress (`the
    week from 30 November is still running: 3 patrols so far`, rules.unit_in_progress and
    the judgement's count so far); once it has ended, the unit that began in it but ends
    after it, whose actions count in the figures of the month it ends in. Not said of a
    pledge that closes before that unit ends: no figure will count it."""
    target, period = result.pledge.target, result.period
    assert isinstance(target, FrequencyTarget)
    running = rules.unit_in_progress(target, period, as_of)
    if running is not None:
        return _running(result, running, as_of)
    first = unit_start(target.unit, period.end)
    last = unit_end(target.unit, first)
    if last <= period.end or first < period.start:
        return ""
    closed = effective_closed_on(result.pledge.closed_on, as_of)
    if closed is not None and closed < last:
        return ""
    counted = sum(
        a.occurred_at is not None
        and a.occurred_at.date() >= first
        and target.action_kind in (None, a.kind)
        for a in actions
    )
    unit = _unit_words(target.unit, first)
    if not counted:
        return f"; {unit} ends in {last:%B} and is counted in {last:%B}'s figures"
    noun = plural(counted, kind_noun(target.action_kind))
    verb = "counts" if counted == 1 else "count"
    return f"; {unit} ends in {last:%B}, so its {noun} {verb} in {last:%B}'s figures"


def _running(result: PledgeResult, unit: tuple[date, date], as_of: datetime) -> str:
    """`; the week from 30 November is still running: 3 patrols so far` (FRESH5 H8), and
    where it ends after the period, which month's figures count it. Nothing for a unit the
    pledge is not in force throughout (agreed in it, closing before its end): it is never
    judged, and the figure's span already says which units are."""
    target, pledge = result.pledge.target, result.pledge
    assert isinstance(target, FrequencyTarget)
    first, last = unit
    closed = effective_closed_on(pledge.closed_on, as_of)
    so_far = result.judgement.so_far
    agreed = pledge.agreed_on
    if so_far is None or agreed is None:
        return ""
    if not rules.in_force_throughout(first, last, agreed, closed):
        return ""
    done = plural(so_far, kind_noun(target.action_kind))
    if target.unit is Unit.DAY:
        return f"; so far today: {done}"
    later = f", counted in {last:%B}'s figures" if last > result.period.end else ""
    return f"; {_unit_words(target.unit, first)} is still running: {done} so far{later}"


def _unit_words(unit: Unit, first: date) -> str:
    """`the week from 30 November`: a unit by its first day, the year left to the period."""
    return f"the {unit.value} from {day_words(first).removesuffix(f' {first.year}')}"


def status_words(result: PledgeResult) -> str:
    """The status in residents' words. No duty hours logged is a record not kept, which the
    figures count as not green (rules.unrecorded), not "nothing to judge yet" (FRESH5 H10)."""
    status = result.judgement.status
    if rules.unrecorded(result.pledge.target.type, status):
        return UNRECORDED_WORDS
    return STATUS_WORDS[status]


def status_text(
    result: PledgeResult, actions: list[Action], period_text: str, as_of: datetime
) -> str:
    """The status in plain words: "on track: 9 patrols in October 2008, 2 a week promised"."""
    j, target = result.judgement, result.pledge.target
    words = status_words(result)
    if isinstance(target, FrequencyTarget):
        noun = kind_noun(target.action_kind)
        promise = per_unit_words(target.count, target.unit)
        span = _judged_span(result, as_of)
        later = _counted_later(result, actions, as_of)
        if target.threshold_pct < 100:  # the bar is part of the promise (FRESH4 G24)
            promise += f" in at least {target.threshold_pct:g}% of {plural_noun(target.unit.value)}"
        if span is None:
            return f"{words}: no whole {target.unit.value} to judge yet, {promise} promised{later}"
        judged, met = j.units_judged or 0, j.units_met or 0
        kept = f"{met} of {plural(judged, target.unit.value)} kept"
        done = plural(int(j.actual or 0), noun)
        return f"{words}: {kept}, {done} in {span}, {promise} promised{later}"
    if isinstance(target, ResponseTarget):
        noun = response_noun(result.pledge.title, [a.kind for a in actions])
        limit = duration_words(target.within_minutes)
        judged, met = int(j.expected or 0), int(j.actual or 0)
        if not judged:
            return f"{words}: none due for an answer in {period_text}"
        share = "" if target.threshold_pct == 100 else f", {target.threshold_pct:g}% promised"
        return f"{words}: {met} of {plural(judged, noun)} dealt with within {limit}{share}"
    if isinstance(target, ShareTarget):
        if j.compliance_pct is None:
            return f"{words}: no duty hours recorded in {period_text}"
        return (
            f"{words}: {percent_words(j.compliance_pct)} of duty hours in the "
            f"neighbourhood, at least {target.share_pct:g}% promised"
        )
    if isinstance(target, DeadlineTarget):
        due = day_words(target.due)
        if j.status is Status.GREEN:
            return f"done: delivered on time, promised by {due}"
        if j.status is Status.RED:
            late = "not delivered" if j.delivered_on is None else "delivered late"
            return f"{words}: {late}, promised by {due}"
        if j.delivered_on is not None:  # done before this period: not judged again (F1)
            on_time = "on time" if j.delivered_on <= target.due else "late"
            return f"done: delivered {on_time} on {day_words(j.delivered_on)}, promised by {due}"
        return _deadline_open(j, target, as_of)
    return f"{words}: {plural(len(actions), 'action')} in {period_text}"


def _deadline_open(j: Judgement, target: DeadlineTarget, as_of: datetime) -> str:
    """A deadline not delivered and not yet missed. Amber means due within the warning
    days (docs/compliance.md), not "nearly done": residents are told it is due soon and not
    yet delivered (FRESH5 H4), and a pledge with nothing logged is not "in progress"."""
    due = day_words(target.due)
    if j.status is Status.AMBER:
        when = "today" if as_of.date() == target.due else "soon"
        return f"due {when}, not yet delivered: promised by {due}"
    if not j.actions:
        return f"not yet due, nothing recorded so far: due by {due}"
    return f"{STATUS_WORDS[j.status]}: {plural(j.actions, 'action')} so far, due by {due}"


def _national_text(result: PledgeResult, actions: list[Action]) -> str:
    """A national commitment's figure for the period, in words."""
    j, target, number = result.judgement, result.pledge.target, result.pledge.seq
    if isinstance(target, ShareTarget):
        if j.compliance_pct is None:
            return "no duty hours recorded"
        return (
            f"{percent_words(j.compliance_pct)} of duty time spent in the neighbourhood "
            f"(promise: at least {target.share_pct:g}%)"
        )
    noun, verb, none_due = NATIONAL_NOUNS.get(number, ("item", "dealt with", ""))
    if isinstance(target, ResponseTarget):
        judged, met = int(j.expected or 0), int(j.actual or 0)
        if not judged:
            return none_due or f"no {plural_noun(noun)} fell due"
        return f"{met} of {plural(judged, noun)} {verb} {duration_words(target.within_minutes)}"
    if isinstance(target, FrequencyTarget):
        counted = sum(target.action_kind in (None, a.kind) for a in actions)
        promise = per_unit_words(target.count, target.unit)
        return f"{plural(counted, noun)} {verb} (promise: {promise})"
    return plural(len(actions), "action")
