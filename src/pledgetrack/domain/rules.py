"""Compliance arithmetic: from aggregated counts to a figure and a RAG status. Pure, no I/O.

The rules are written out with worked examples in docs/compliance.md; the tests follow
those examples. Everything here receives numbers the database has already aggregated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from pledgetrack.domain.dates import short_date
from pledgetrack.domain.periods import Period, unit_end, unit_start, units_ending_in
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    ResponseTarget,
    ShareTarget,
    Unit,
    format_duration,
)

AMBER_BAND_PCT = 10.0  # amber: within this many percentage points below the threshold
DEADLINE_WARNING_DAYS = 7


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no-data"
    PENDING = "pending"
    NOT_MEASURED = "not-measured"


RAG = (Status.GREEN, Status.AMBER, Status.RED)


class Figures(StrEnum):
    """Whether a pledge's figures for a period can still change (export summary's `figures`)."""

    FINAL = "final"
    PROVISIONAL = "provisional"


class Judgement(NamedTuple):
    """A pledge's figure and status for a period (a tuple: a national report makes 72,000)."""

    actual: float | None
    expected: float | None
    compliance_pct: float | None
    status: Status
    detail: str = ""
    unit_met: bool = False  # frequency pledges: the unit in progress already has its count
    # frequency targets: actions so far in the unit in progress (for `agenda`)
    so_far: int | None = None
    # deadline targets: the day it was delivered, on time or late (nothing left to do)
    delivered_on: date | None = None
    # deadline targets: the actions logged against it (delivering or progress)
    actions: int | None = None
    # response targets: items still open and in time at as-of, whose outcome is to come
    pending: int = 0
    # frequency targets: the units judged and how many met their count (what residents are
    # told was kept: `21 of 29 days`)
    units_judged: int | None = None
    units_met: int | None = None


def figures(ended: bool, judgement: Judgement) -> Figures:
    """Final once the period had ended at as-of (as-of at or after the first instant after
    its last day, in the team's zone) and none of its items was still pending: then time
    passing changes nothing, and only a correction logged later (an action back-dated into
    the period, a void) would. Provisional otherwise: a period not ended (or not begun)
    has units and days to come, and an item received near its end (a message on the 31st,
    a victim's next contact due within 31 days) is decided only once answered or late.
    Every other target is fixed at the period's end: frequency units ending in it have
    ended, a deadline is judged at that end, hours and actions were logged by then."""
    return period_figures(ended, judgement.pending > 0)


def period_figures(ended: bool, pending: bool = False) -> Figures:
    """`figures` of a period's judgement, or of a team with no pledge in force in it (no
    item pending): final once the period had ended, provisional before."""
    return Figures.FINAL if ended and not pending else Figures.PROVISIONAL


def held_figures(figures: Iterable[str | None]) -> Figures | None:
    """Whether a source's set of pledges for a team and period is settled, from its rows'
    `figures`: one row final means the period had ended when it was judged, so which
    pledges it held no longer changes with time, whatever items (an open victim case) keep
    other rows provisional. All provisional: it was judged before the end, or may have
    been. None: a file from before the `figures` column says neither."""
    said = set(figures)
    if Figures.FINAL in said:
        return Figures.FINAL
    return Figures.PROVISIONAL if Figures.PROVISIONAL in said else None


def percentage(part: float, whole: float) -> float | None:
    """part/whole as a percentage; dividing first keeps x/x at exactly 100."""
    if whole <= 0:
        return None
    return 100.0 * (part / whole)


def rag(compliance_pct: float | None, threshold_pct: float) -> Status:
    if compliance_pct is None:
        return Status.NO_DATA
    if compliance_pct >= threshold_pct:
        return Status.GREEN
    if compliance_pct >= threshold_pct - AMBER_BAND_PCT:
        return Status.AMBER
    return Status.RED


def effective_closed_on(closed_on: date | None, as_of: datetime) -> date | None:
    """A pledge closed after as-of was still open as things stood then."""
    if closed_on is not None and closed_on <= as_of.date():
        return closed_on
    return None


def active_during(
    agreed_on: date | None, closed_on: date | None, period: Period, as_of: datetime
) -> bool:
    """Whether the pledge was in force at some point of the period, as things stood at as-of."""
    if agreed_on is None or agreed_on > period.end or agreed_on > as_of.date():
        return False
    closed = effective_closed_on(closed_on, as_of)
    return closed is None or closed >= period.start


def closed_in(
    status: str, closed_on: date | None, period: Period, as_of: datetime
) -> date | None:
    """The day a pledge in force during `period` closed, if that day is in the period (as
    things stood at as-of), else None. A pledge is in force on its closing day, so one
    closed on the period's last day closed in it, one closed the next day was running at
    its end; one closed before the period began is not in force in it (active_during).
    The public update and the HQ report's list of closed pledges both ask this."""
    closed = effective_closed_on(closed_on, as_of)
    if status == "active" or closed is None or not period.start <= closed <= period.end:
        return None
    return closed


def in_force_on(
    day: date, agreed_on: date | None, closed_on: date | None, as_of: datetime
) -> bool:
    """Whether an item on local `day` counts for the pledge: agreed by then and not closed
    before it, as things stood at as-of (store.queries applies this in SQL)."""
    if agreed_on is None or day < agreed_on:
        return False
    closed = effective_closed_on(closed_on, as_of)
    return closed is None or day <= closed


def still_open(status: str, closed_on: date | None, as_of: datetime) -> bool:
    """Whether the pledge was still open at as-of: active, or closed only later."""
    return status == "active" or effective_closed_on(closed_on, as_of) is None


def breached(age_s: float, limit_s: float) -> bool:
    """An open item is breached once it has waited longer than its limit (at the limit: not yet)."""
    return age_s > limit_s


DAY_S = 24 * 60 * 60


def by_the_clock(contact: bool, limit_s: int) -> bool:
    """Whether an item's wait is counted on the team's clock, in calendar days, rather than
    in real time: a victim's contact (`contact`: N9's items) whose limit is whole days,
    N9's 31 days or a frequency agreed with the victim. "At least monthly" is a promise of
    the calendar: a victim rung on 20 October and again on 20 November at the same time
    was rung 31 days on, though the clocks going back made it 31 days and an hour of real
    time (FRESH6 I1). Every other limit is real elapsed time, as the Pledge counts it (N4's
    24 hours, N5's 15 minutes, N6's hour, a local `--within 48h`), and so is a victim's
    limit that is not whole days (N9 edited to 36h). docs/compliance.md, example 7b."""
    return contact and limit_s % DAY_S == 0


def clock_s(moment: datetime, by_clock: bool) -> int:
    """An instant as the response rules count it (response_outcome, the waits): epoch
    seconds; on the clock (by_the_clock), the seconds of its wall-clock time as stored:
    with its own UTC offset added, which is the database zone's then for every time
    pledgetrack writes (store.queries.CLOCK_SQL reads the same from the stored text). So
    a difference of two is their wall clocks' difference: 31 days from 10:00 BST to 10:00
    GMT, and a whole day is 23 or 25 real hours across a clock change."""
    seconds = int(moment.timestamp())
    if by_clock:
        offset = moment.utcoffset()
        seconds += 0 if offset is None else int(offset.total_seconds())
    return seconds


def due_by(received: datetime, limit_s: int, by_clock: bool, tz: tzinfo) -> datetime:
    """When an item received at `received` must be dealt with (at that instant: in time,
    a minute later: late): `limit_s` later in real time, or on the clock the same wall-clock
    time whole days on (a contact at 10:00 BST on 1 October is due by 10:00 GMT on 1
    November), in `tz`, the earlier reading where the clocks change in that hour."""
    if not by_clock:
        return received + timedelta(seconds=limit_s)
    wall = received.replace(tzinfo=None) + timedelta(seconds=limit_s)
    readings = [wall.replace(tzinfo=tz, fold=fold) for fold in (0, 1)]
    first = min(readings, key=lambda reading: reading.timestamp())
    offset = first.utcoffset()
    return first.astimezone(timezone(offset if offset is not None else timedelta(0)))


def response_outcome(received_s: int, done_s: int | None, limit_s: int, as_of_s: int) -> str:
    """An item (seconds as clock_s counts them; `done_s` None if not dealt with by as-of):
    met within the limit, breached (late, or still open past it), or pending (open, still
    in time)."""
    if done_s is not None and done_s - received_s <= limit_s:
        return "met"
    if done_s is not None or breached(as_of_s - received_s, limit_s):
        return "breached"
    return "pending"


def judged_units(
    target: FrequencyTarget,
    period: Period,
    as_of: datetime,
    agreed_on: date,
    closed_on: date | None,
) -> list[tuple[date, date]]:
    """Units ending inside the period, ended by as-of, with the pledge in force throughout."""
    closed = effective_closed_on(closed_on, as_of)
    today = as_of.date()
    return [
        (first, last)
        for first, last in _units(target.unit, period)
        if last < today and in_force_throughout(first, last, agreed_on, closed)
    ]


def in_force_throughout(first: date, last: date, agreed_on: date, closed: date | None) -> bool:
    """Whether a unit can be judged: the pledge agreed by its first day, not closed before
    its last (a pledge agreed on a Wednesday is first judged the next Monday)."""
    return agreed_on <= first and (closed is None or closed >= last)


def not_judged(
    unit: Unit, period: Period, as_of: datetime, agreed_on: date, closed_on: date | None
) -> str:
    """Why `judged_units` judged no unit of the period, for the detail (a pledge agreed on
    the 3rd reads `no-data` all month: the user must see it is the in-force rule)."""
    units = _units(unit, period)
    if not units:
        return f"not judged: no {unit.value} ends in {period.label}"
    today = as_of.date()
    ended = [(first, last) for first, last in units if last < today]
    begins = unit_start(unit, agreed_on)
    if begins < agreed_on:
        begins = unit_end(unit, begins) + timedelta(days=1)
    if begins > (ended or units[:1])[-1][0]:
        return (
            f"not judged: agreed {agreed_on.isoformat()}, "
            f"the first whole {unit.value} starts {begins.isoformat()}"
        )
    if not ended:  # the unit in progress says "so far"; a period still to come says when
        if period.contains(today):
            return ""
        return f"not judged yet: the first {unit.value} ends {units[0][1].isoformat()}"
    closed = effective_closed_on(closed_on, as_of)
    if closed is None:  # not reached: a unit begun in force and not closed is judged
        return ""
    return f"not judged: closed {closed.isoformat()}, before the {unit.value} ended"


@lru_cache(maxsize=64)
def _units(unit: Unit, period: Period) -> tuple[tuple[date, date], ...]:
    """The units of a period, worked out once per report rather than once per pledge."""
    return tuple(units_ending_in(unit, period))


def unit_in_progress(
    target: FrequencyTarget, period: Period, as_of: datetime
) -> tuple[date, date] | None:
    """The unit containing as-of, if inside the period: shown as "so far", never failed."""
    today = as_of.date()
    if not period.contains(today):
        return None
    first = unit_start(target.unit, today)
    return first, unit_end(target.unit, first)


# How many days before a unit's last day `check` starts to warn of a frequency pledge
# still short in it, whatever the count: the weekend of a week; the last week of a month
# or a quarter, as a deadline (DEADLINE_WARNING_DAYS). A daily pledge is not warned ahead:
# its unit is today, so the warning would be every morning's; a day missed is red.
SHORT_WARNING_DAYS = {
    Unit.WEEK: 1,
    Unit.MONTH: DEADLINE_WARNING_DAYS,
    Unit.QUARTER: DEADLINE_WARNING_DAYS,
}


class Shortfall(NamedTuple):
    """What a frequency pledge still needs in the unit in progress, for `agenda` and `check`."""

    first: date  # the unit's first and last day
    last: date
    so_far: int
    missing: int  # actions still needed (more than 0)
    days_left: int  # days after today before the unit ends: 0 on its last day
    warned: bool  # `check` lists it (falling-short), while it can still be met


def shortfall(
    unit: Unit, need: int, so_far: int, today: date, agreed_on: date | None
) -> Shortfall | None:
    """The unit in progress at `today` still short of `need`, if it will be judged (an open
    pledge agreed by its first day: in_force_throughout), else None. It is warned of when
    fewer days are left after today than actions are needed (0 of 2 on a Saturday), or in
    the unit's last SHORT_WARNING_DAYS days (1 of 2 on the Saturday, the last week of a
    month). docs/compliance.md, `check`."""
    first = unit_start(unit, today)
    last = unit_end(unit, first)
    missing = need - so_far
    if missing <= 0 or agreed_on is None or not in_force_throughout(first, last, agreed_on, None):
        return None
    days_left = (last - today).days
    lead = SHORT_WARNING_DAYS.get(unit)
    warned = lead is not None and (days_left < missing or days_left <= lead)
    return Shortfall(first, last, so_far, missing, days_left, warned)


# Judgements already made in one report, by target and tally (see judge_frequency)
FrequencyMemo = dict[tuple[int, int, int, int, int | None, str], tuple[FrequencyTarget, Judgement]]


def judge_frequency(
    target: FrequencyTarget,
    units: Sequence[tuple[date, date]],
    counts: Mapping[date, int],
    in_progress: tuple[date, int] | None = None,
    unjudged: str = "",
    *,
    memo: FrequencyMemo | None = None,
) -> Judgement:
    """`counts` maps each unit's first day to the non-void actions counted in it;
    `unjudged` is the detail when no unit is judged (`not_judged`); `in_progress` is the
    unit in progress' first day and its count so far.

    A report judges 34,000 frequency pledges at national scale, and a judgement depends
    on the target and the tally alone, which pledges share: on the national October
    34,034 pledges have 529 distinct (target, tally) pairs. With a `memo` (one per report)
    each pair is judged once and its (immutable) Judgement given to every pledge that has
    it (tests/test_rules_memo.py). Keyed by the target's identity (hashing a frozen
    pydantic model runs in Python), each entry holding its target so that no other object
    can take its id while the memo lives."""
    met, actual = _tally(target.count, units, counts)
    so_far = None if in_progress is None else in_progress[1]
    if memo is None:
        return _frequency_figures(target, len(units), met, actual, so_far, unjudged)
    key = (id(target), len(units), met, actual, so_far, unjudged)
    known = memo.get(key)
    if known is None:
        judged = _frequency_figures(target, len(units), met, actual, so_far, unjudged)
        known = memo[key] = (target, judged)
    return known[1]


def _tally(
    need: int, units: Sequence[tuple[date, date]], counts: Mapping[date, int]
) -> tuple[int, int]:
    """(units met, actions counted) over the judged units: all a judgement reads of the
    counts. A pledge with no actions skips the units' look-ups."""
    if not counts:
        return 0, 0
    get = counts.get
    per_unit = [get(first, 0) for first, _ in units]
    return len([n for n in per_unit if n >= need]), sum(per_unit)  # a list: faster


def _frequency_figures(
    target: FrequencyTarget, judged: int, met: int, actual: int, so_far: int | None, unjudged: str
) -> Judgement:
    """A frequency pledge's judgement from its tally: `judged` units, `met` of them, `actual`
    actions in them, `so_far` in the unit in progress (None: none in the period)."""
    need = target.count
    pct = percentage(met, judged)
    unit = target.unit.value
    detail = f"{met} of {judged} {unit if judged == 1 else unit + 's'} met" if judged else unjudged
    if so_far is not None:
        note = f"so far this {unit}: {so_far} of {need}"
        detail = f"{detail}; {note}" if detail else note
    return Judgement(
        float(actual),
        float(need * judged),
        pct,
        rag(pct, target.threshold_pct),
        detail,
        so_far is not None and so_far >= need,
        so_far,
        units_judged=judged,
        units_met=met,
    )


def response_in_time(elapsed_s: float, limit_s: float) -> bool:
    """An item dealt with exactly at its limit (24h00m against 24h) is in time."""
    return elapsed_s <= limit_s


def worst_wait(dealt_s: float | None, open_s: float | None) -> str | None:
    """A response pledge's worst wait in words, over the items judged: the longest of those
    dealt with, and the age at as-of of the oldest still open past its limit (breached
    already; `open_s`), `(open)` when that is the one (FRESH5 H2: "worst 22d, 1 breached"
    while a victim had waited 40 days). An open item within its limit is pending, not
    judged, so not in it. A tie is the item dealt with: its wait is over."""
    if open_s is not None and (dealt_s is None or open_s > dealt_s):
        return f"worst {format_duration(open_s / 60)} (open)"
    return None if dealt_s is None else f"worst {format_duration(dealt_s / 60)}"


def judge_response(
    target: ResponseTarget,
    met: int,
    breached: int,
    pending: int,
    median_s: float | None,
    worst_s: float | None,
    open_s: float | None = None,
) -> Judgement:
    """The items' figures: the median of those dealt with, the worst judged (worst_wait)."""
    judged = met + breached
    pct = percentage(met, judged)
    parts = []
    if median_s is not None:
        parts.append(f"median {format_duration(median_s / 60)}")
    if (worst := worst_wait(worst_s, open_s)) is not None:
        parts.append(worst)
    if breached:
        parts.append(f"{breached} breached")
    if pending:
        parts.append(f"{pending} pending")
    return Judgement(
        actual=float(met),
        expected=float(judged),
        compliance_pct=pct,
        status=rag(pct, target.threshold_pct),
        detail=", ".join(parts),
        pending=pending,
    )


# A share pledge's detail when the period has no hours logged against it (unrecorded)
NO_HOURS = "no hours logged"


def judge_share(target: ShareTarget, neighbourhood_hours: float, all_hours: float) -> Judgement:
    pct = percentage(neighbourhood_hours, all_hours)
    detail = NO_HOURS
    if all_hours:
        detail = f"{neighbourhood_hours:g}h of {all_hours:g}h in the neighbourhood"
    return Judgement(
        actual=neighbourhood_hours,
        expected=all_hours,
        compliance_pct=pct,
        status=rag(pct, target.share_pct),
        detail=detail,
    )


class Delivery(NamedTuple):
    """Where a deadline pledge stands: the day it was delivered (if it was), and how many
    actions were logged against it (a tuple: one per deadline pledge of a report)."""

    delivered_on: date | None
    actions: int


def deadline_delivery(
    by_flag: Mapping[bool, tuple[int, date]], achieved_on: date | None
) -> Delivery:
    """A deadline is delivered by an action logged with --delivers, or by closing the pledge
    as achieved, whichever came first; any other action is progress towards it.

    `by_flag`: the non-void actions by their delivers flag, as (count, first day).
    """
    days = [d for d in (by_flag.get(True, (0, None))[1], achieved_on) if d is not None]
    return Delivery(min(days, default=None), sum(count for count, _ in by_flag.values()))


def judge_deadline(
    target: DeadlineTarget, delivery: Delivery, as_of: date, period_start: date | None = None
) -> Judgement:
    """A one-off deliverable, judged at `as_of` (the earlier of as-of and the period's end).

    A period that starts after the deliverable was both due and delivered (`period_start`
    later than each) does not judge it: nothing about it happened or was outstanding then,
    and a delivery judged again every later month would count once a month in HQ's sums
    (FRESH3 F1). One still undelivered after its day stays red while the pledge is
    active: the promise is outstanding until it is delivered or closed."""
    delivered_on = delivery.delivered_on
    if (
        delivered_on is not None
        and period_start is not None
        and period_start > max(delivered_on, target.due)
    ):
        detail = (
            f"not judged: due {target.due.isoformat()}, delivered "
            f"{delivered_on.isoformat()}, before the period"
        )
        return Judgement(
            0.0, 0.0, None, Status.NO_DATA, detail, delivered_on=delivered_on,
            actions=delivery.actions,
        )  # fmt: skip
    if delivered_on is not None and delivered_on <= target.due:
        detail = f"delivered {delivered_on.isoformat()}"
        return Judgement(
            1.0, 1.0, 100.0, Status.GREEN, detail, delivered_on=delivered_on,
            actions=delivery.actions,
        )
    if as_of > target.due:
        detail = missed_deadline(target.due, delivered_on, delivery.actions)
        return Judgement(
            0.0, 1.0, 0.0, Status.RED, detail, delivered_on=delivered_on, actions=delivery.actions
        )
    days_left = (target.due - as_of).days
    status = Status.AMBER if days_left <= DEADLINE_WARNING_DAYS else Status.PENDING
    left = {0: "due today", 1: "1 day left"}.get(days_left, f"{days_left} days left")
    progress = _actions(delivery.actions) if delivery.actions else "no action yet"
    detail = f"{progress}, not yet delivered; {left}"
    return Judgement(0.0, 1.0, None, status, detail, actions=delivery.actions)


def missed_deadline(due: date, delivered_on: date | None, actions: int) -> str:
    """Why a deadline is red, `due 2008-11-28, not delivered (1 action)` (detail_for_people
    says its days as people read them)."""
    if delivered_on:
        late = f"delivered late, {delivered_on.isoformat()}"
    else:
        late = "not delivered"
        if actions:
            late += f" ({_actions(actions)})"
    return f"due {due.isoformat()}, {late}"


# A day as a detail names it: ISO, `2008-11-28` (every day a detail says is written so, and
# nothing else in a detail looks like one: it holds no title or other free text)
_DETAIL_DAY = re.compile(r"\b([0-9]{4})-([0-9]{2})-([0-9]{2})\b")


def detail_for_people(detail: str, year: int | None) -> str:
    """A judgement's detail as a screen says it (`due 28/11, not delivered`, `not judged:
    agreed 07/10, the first whole week starts 13/10`): each day as tables write days, the
    year only when not `year` (the report's). The detail itself keeps ISO days, for
    programs (CSV, JSON)."""
    if "-" not in detail:  # most details name no day: a count, a median
        return detail

    def said(found: re.Match[str]) -> str:
        return short_date(date(int(found[1]), int(found[2]), int(found[3])), year)

    return _DETAIL_DAY.sub(said, detail)


def _actions(count: int) -> str:
    return f"{count} action{'s' if count != 1 else ''}"


# The longest each unit can be: a monthly pledge is not stale because February is short
UNIT_DAYS = {Unit.DAY: 1, Unit.WEEK: 7, Unit.MONTH: 31, Unit.QUARTER: 92}


def stale_after_days(stale_days: int, unit: Unit | None) -> int:
    """How long a pledge may go without an action: its own unit or `--stale`, the longer."""
    return max(stale_days, UNIT_DAYS[unit] if unit is not None else 0)


def is_stale(since: date, today: date, stale_days: int, unit: Unit | None, unit_met: bool) -> bool:
    """More than `stale_after_days` since the last action (or since it was agreed), and
    never while the unit in progress is already met: a monthly meeting held on the 10th
    is not stale on the 29th."""
    if unit_met:
        return False
    return since < today - timedelta(days=stale_after_days(stale_days, unit))


def not_measured(action_count: int) -> Judgement:
    return Judgement(float(action_count), None, None, Status.NOT_MEASURED, "")


def unrecorded(target_type: str, status: Status | str) -> bool:
    """A share pledge with no hours logged in the period (N3): a team is on duty every
    month, so no hours is a record not kept, not a month with nothing to judge. Its status
    stays no-data (`no hours logged`), but a team line counts it as judged and not green
    (share_green): a team that logs nothing must not top the league above one that logged
    and missed (FRESH3 F14). A response pledge with no items is not: none may have come."""
    return target_type == "share" and status == Status.NO_DATA


def share_green(statuses: Sequence[Status], unrecorded: int = 0) -> float | None:
    """Team line: the share of judged (green/amber/red) pledges that are green, counting
    the `unrecorded` ones (no-data among `statuses`) as judged and not green."""
    judged = [s for s in statuses if s in RAG]
    if not judged and not unrecorded:
        return None
    return percentage(sum(s is Status.GREEN for s in judged), len(judged) + unrecorded)
