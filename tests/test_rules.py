"""The compliance rules of docs/compliance.md, on their own (domain/rules.py, no database)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgetrack.domain import rules
from pledgetrack.domain.periods import parse_period, unit_start
from pledgetrack.domain.rules import Status
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    ResponseTarget,
    ShareTarget,
    Unit,
)

LONDON = ZoneInfo("Europe/London")
OCTOBER = parse_period("2008-10", date(2008, 10, 16))
END_OF_OCTOBER = datetime(2008, 11, 1, tzinfo=LONDON)
TWO_A_WEEK = FrequencyTarget(count=2, unit=Unit.WEEK, action_kind="patrol")


def week_counts(*days: date) -> dict[date, int]:
    counts: dict[date, int] = {}
    for day in days:
        first = unit_start(Unit.WEEK, day)
        counts[first] = counts.get(first, 0) + 1
    return counts


# Worked example 1: patrols 30 Sep, 2 Oct | 7 Oct | 14, 15, 18 Oct | 21, 25 Oct | (28 Oct)
PATROLS = [date(2008, 9, 30), date(2008, 10, 2), date(2008, 10, 7), date(2008, 10, 14),
           date(2008, 10, 15), date(2008, 10, 18), date(2008, 10, 21), date(2008, 10, 25),
           date(2008, 10, 28)]  # fmt: skip


def test_example_1_week_straddling_two_months() -> None:
    units = rules.judged_units(TWO_A_WEEK, OCTOBER, END_OF_OCTOBER, date(2008, 9, 10), None)
    assert [first for first, _ in units] == [
        date(2008, 9, 29), date(2008, 10, 6), date(2008, 10, 13), date(2008, 10, 20)
    ]  # fmt: skip
    j = rules.judge_frequency(TWO_A_WEEK, units, week_counts(*PATROLS))
    assert (j.actual, j.expected, j.compliance_pct, j.status) == (8, 8, 75.0, Status.RED)
    assert j.detail == "3 of 4 weeks met"


def test_example_2_unit_in_progress_is_shown_not_failed() -> None:
    as_of = datetime(2008, 10, 29, 12, 0, tzinfo=LONDON)
    units = rules.judged_units(TWO_A_WEEK, OCTOBER, as_of, date(2008, 9, 10), None)
    assert len(units) == 4  # 27 Oct - 2 Nov has not ended
    current = rules.unit_in_progress(TWO_A_WEEK, OCTOBER, as_of)
    assert current == (date(2008, 10, 27), date(2008, 11, 2))
    counts = week_counts(*PATROLS)
    j = rules.judge_frequency(TWO_A_WEEK, units, counts, (current[0], counts[current[0]]))
    assert j.detail == "3 of 4 weeks met; so far this week: 1 of 2"
    assert j.compliance_pct == 75.0


@pytest.mark.parametrize(("so_far", "met"), [(0, False), (1, False), (2, True), (3, True)])
def test_the_unit_in_progress_is_met_at_the_target_count_not_above_it(
    so_far: int, met: bool
) -> None:
    # what agenda shows as "1 of 2 this week" and drops once the week's count is reached
    j = rules.judge_frequency(TWO_A_WEEK, [], {}, (date(2008, 10, 27), so_far))
    assert (j.so_far, j.unit_met) == (so_far, met)


def test_no_unit_in_progress_leaves_nothing_to_meet() -> None:
    j = rules.judge_frequency(TWO_A_WEEK, [], {})
    assert (j.so_far, j.unit_met) == (None, False)


def test_a_pledge_not_measured_still_counts_its_actions() -> None:
    j = rules.not_measured(3)
    assert (j.actual, j.expected, j.compliance_pct, j.status, j.detail) == (
        3.0, None, None, Status.NOT_MEASURED, ""
    )  # fmt: skip


def test_example_3_pledge_agreed_mid_week_skips_that_week() -> None:
    weekly = FrequencyTarget(count=1, unit=Unit.WEEK)
    units = rules.judged_units(weekly, OCTOBER, END_OF_OCTOBER, date(2008, 10, 15), None)
    assert units == [(date(2008, 10, 20), date(2008, 10, 26))]


def test_example_4_voided_action_no_longer_counts() -> None:
    units = rules.judged_units(TWO_A_WEEK, OCTOBER, END_OF_OCTOBER, date(2008, 9, 10), None)
    without_25th = [d for d in PATROLS if d != date(2008, 10, 25)]
    j = rules.judge_frequency(TWO_A_WEEK, units, week_counts(*without_25th))
    assert (j.actual, j.compliance_pct, j.status) == (7, 50.0, Status.RED)


def test_example_5_closed_pledge_judges_only_weeks_in_force() -> None:
    closed = date(2008, 10, 15)
    units = rules.judged_units(TWO_A_WEEK, OCTOBER, END_OF_OCTOBER, date(2008, 9, 10), closed)
    assert [first for first, _ in units] == [date(2008, 9, 29), date(2008, 10, 6)]
    j = rules.judge_frequency(TWO_A_WEEK, units, week_counts(*PATROLS))
    assert (j.compliance_pct, j.status) == (50.0, Status.RED)
    november = parse_period("2008-11", date(2008, 11, 1))
    assert not rules.active_during(date(2008, 9, 10), closed, november, END_OF_OCTOBER)
    assert rules.active_during(date(2008, 9, 10), closed, OCTOBER, END_OF_OCTOBER)


def test_a_close_recorded_after_as_of_does_not_count_yet() -> None:
    as_of = datetime(2008, 10, 10, tzinfo=LONDON)
    assert rules.effective_closed_on(date(2008, 10, 15), as_of) is None
    assert rules.effective_closed_on(date(2008, 10, 5), as_of) == date(2008, 10, 5)


def test_example_6_and_7_response_counts() -> None:
    day = ResponseTarget(within_minutes=24 * 60)
    j = rules.judge_response(day, met=1, breached=1, pending=0, median_s=87300, worst_s=88200)
    assert (j.actual, j.expected, j.compliance_pct, j.status) == (1, 2, 50.0, Status.RED)
    assert j.detail == "median 24h15m, worst 24h30m, 1 breached"
    nothing_judged = rules.judge_response(day, 0, 0, pending=1, median_s=None, worst_s=None)
    assert (nothing_judged.status, nothing_judged.detail) == (Status.NO_DATA, "1 pending")


def test_the_worst_wait_is_the_open_items_once_it_is_longer() -> None:
    """compliance.md: the worst counts an item still open past its limit by its age at
    as-of (FRESH5 H2: "worst 22d" while a victim had waited 40 days). Level, the item dealt
    with is named (its wait is over); a minute longer, the open one, said so."""
    day = ResponseTarget(within_minutes=24 * 60)
    dealt = 26 * 3600

    def worst(open_s: float | None) -> str:
        return rules.judge_response(day, 0, 2, 0, dealt, dealt, open_s).detail

    assert worst(None) == "median 26h, worst 26h, 2 breached"
    assert worst(dealt) == "median 26h, worst 26h, 2 breached"
    assert worst(dealt + 60) == "median 26h, worst 26h01m (open), 2 breached"
    assert rules.worst_wait(None, 25 * 3600) == "worst 25h (open)"
    assert rules.worst_wait(None, None) is None


@pytest.mark.parametrize(
    ("inside", "total", "pct", "status"),
    [(24, 32, 75.0, Status.AMBER), (16, 32, 50.0, Status.RED), (32, 40, 80.0, Status.GREEN)],
)
def test_example_8_share(inside: float, total: float, pct: float, status: Status) -> None:
    j = rules.judge_share(ShareTarget(share_pct=80), inside, total)
    assert (j.actual, j.expected, j.compliance_pct, j.status) == (inside, total, pct, status)


def test_share_with_no_hours_is_no_data() -> None:
    assert rules.judge_share(ShareTarget(share_pct=80), 0, 0).status is Status.NO_DATA


@pytest.mark.parametrize(
    ("delivered", "actions", "as_of", "status", "detail"),
    [
        (None, 0, date(2008, 11, 1), Status.PENDING,
         "no action yet, not yet delivered; 27 days left"),
        (None, 2, date(2008, 11, 20), Status.PENDING, "2 actions, not yet delivered; 8 days left"),
        (None, 2, date(2008, 11, 21), Status.AMBER, "2 actions, not yet delivered; 7 days left"),
        (None, 1, date(2008, 11, 27), Status.AMBER, "1 action, not yet delivered; 1 day left"),
        (None, 1, date(2008, 11, 28), Status.AMBER, "1 action, not yet delivered; due today"),
        (None, 0, date(2008, 11, 29), Status.RED, "due 2008-11-28, not delivered"),
        (None, 3, date(2008, 11, 29), Status.RED, "due 2008-11-28, not delivered (3 actions)"),
        (date(2008, 11, 20), 3, date(2008, 11, 29), Status.GREEN, "delivered 2008-11-20"),
        (date(2008, 11, 28), 1, date(2008, 11, 28), Status.GREEN, "delivered 2008-11-28"),
        (
            date(2008, 12, 2),
            1,
            date(2008, 12, 3),
            Status.RED,
            "due 2008-11-28, delivered late, 2008-12-02",
        ),
    ],
)  # fmt: skip
def test_example_9_deadline(
    delivered: date | None, actions: int, as_of: date, status: Status, detail: str
) -> None:
    delivery = rules.Delivery(delivered, actions)
    j = rules.judge_deadline(DeadlineTarget(due=date(2008, 11, 28)), delivery, as_of)
    assert (j.status, j.detail) == (status, detail)


@pytest.mark.parametrize(
    ("by_flag", "achieved", "expected"),
    [
        ({}, None, rules.Delivery(None, 0)),
        # progress only: actions without --delivers never deliver
        ({False: (2, date(2008, 11, 3))}, None, rules.Delivery(None, 2)),
        ({False: (2, date(2008, 11, 3)), True: (1, date(2008, 11, 20))}, None,
         rules.Delivery(date(2008, 11, 20), 3)),
        # closing as achieved delivers too; the earlier of the two counts
        ({False: (1, date(2008, 11, 3))}, date(2008, 11, 25),
         rules.Delivery(date(2008, 11, 25), 1)),
        ({True: (1, date(2008, 11, 20))}, date(2008, 11, 25),
         rules.Delivery(date(2008, 11, 20), 1)),
    ],
)  # fmt: skip
def test_only_a_delivering_action_or_achieved_delivers(
    by_flag: dict[bool, tuple[int, date]], achieved: date | None, expected: rules.Delivery
) -> None:
    assert rules.deadline_delivery(by_flag, achieved) == expected


@pytest.mark.parametrize(
    ("pct", "threshold", "status"),
    [
        (100.0, 100.0, Status.GREEN),
        (90.0, 100.0, Status.AMBER),
        (89.9, 100.0, Status.RED),
        (85.0, 90.0, Status.AMBER),
        (None, 100.0, Status.NO_DATA),
    ],
)
def test_rag_bands(pct: float | None, threshold: float, status: Status) -> None:
    assert rules.rag(pct, threshold) is status


def test_team_line_counts_only_judged_pledges() -> None:
    statuses = [Status.GREEN, Status.RED, Status.NO_DATA, Status.NOT_MEASURED, Status.PENDING]
    assert rules.share_green(statuses) == 50.0
    assert rules.share_green([Status.NO_DATA]) is None


counts_st = st.lists(st.integers(min_value=0, max_value=6), min_size=0, max_size=12)
targets_st = st.builds(
    FrequencyTarget,
    count=st.integers(min_value=1, max_value=5),
    unit=st.just(Unit.WEEK),
    threshold_pct=st.floats(min_value=1, max_value=100),
)


def _weeks(n: int) -> list[tuple[date, date]]:
    first = date(2008, 9, 1)
    return [(date.fromordinal(first.toordinal() + 7 * i),) * 2 for i in range(n)]


@given(targets_st, counts_st)
def test_frequency_compliance_stays_within_0_and_100(
    target: FrequencyTarget, per_week: list[int]
) -> None:
    units = _weeks(len(per_week))
    counts = {first: n for (first, _), n in zip(units, per_week, strict=True)}
    j = rules.judge_frequency(target, units, counts)
    assert j.compliance_pct is None or 0 <= j.compliance_pct <= 100
    assert (j.compliance_pct is None) == (not per_week)


@given(targets_st, counts_st, st.data())
def test_one_more_action_never_lowers_frequency_compliance(
    target: FrequencyTarget, per_week: list[int], data: st.DataObject
) -> None:
    units = _weeks(len(per_week))
    counts = {first: n for (first, _), n in zip(units, per_week, strict=True)}
    before = rules.judge_frequency(target, units, counts)
    if units:
        first = data.draw(st.sampled_from([u[0] for u in units]))
        counts[first] += 1
    after = rules.judge_frequency(target, units, counts)
    assert (after.compliance_pct or 0) >= (before.compliance_pct or 0)
    assert after.status is not Status.RED or before.status is Status.RED


@given(
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=0, max_value=500),
    st.floats(min_value=0, max_value=1000),
    st.floats(min_value=0, max_value=1000),
)
def test_response_and_share_compliance_stay_within_0_and_100(
    met: int, breached: int, a: float, b: float
) -> None:
    r = rules.judge_response(ResponseTarget(within_minutes=60), met, breached, 0, None, None)
    assert r.compliance_pct is None or 0 <= r.compliance_pct <= 100
    inside, total = min(a, b), max(a, b)
    s = rules.judge_share(ShareTarget(share_pct=80), inside, total)
    assert s.compliance_pct is None or 0 <= s.compliance_pct <= 100


@pytest.mark.parametrize(
    ("since", "stale_days", "unit", "unit_met", "expected"),
    [
        (date(2008, 9, 20), 14, Unit.MONTH, False, False),  # 31 days before 21 October
        (date(2008, 9, 19), 14, Unit.MONTH, False, True),  # 32 days
        (date(2008, 7, 1), 14, Unit.MONTH, True, False),  # met this month: never stale
        (date(2008, 10, 7), 14, Unit.WEEK, False, False),  # 14 days: --stale is the longer
        (date(2008, 10, 6), 14, Unit.WEEK, False, True),
        (date(2008, 10, 13), 1, Unit.WEEK, False, True),  # --stale 1d: a week is the longer
        (date(2008, 10, 14), 1, Unit.WEEK, False, False),
        (date(2008, 7, 21), 14, Unit.QUARTER, False, False),  # 92 days
        (date(2008, 7, 20), 14, Unit.QUARTER, False, True),
        (date(2008, 10, 6), 14, None, False, True),  # no unit: --stale alone
    ],
)
def test_stale_after_its_own_unit_or_stale_whichever_is_longer(
    since: date, stale_days: int, unit: Unit | None, unit_met: bool, expected: bool
) -> None:
    assert rules.is_stale(since, date(2008, 10, 21), stale_days, unit, unit_met) is expected


# --- the edges: each test fails if its boundary moves by one ----------------------------

DUE = date(2008, 11, 28)


@pytest.mark.parametrize(
    ("delivered", "as_of", "judged"),
    [
        # delivered on the due day is on time
        (DUE, DUE, (1.0, 1.0, 100.0, Status.GREEN, "delivered 2008-11-28")),
        (DUE, date(2008, 12, 5), (1.0, 1.0, 100.0, Status.GREEN, "delivered 2008-11-28")),
        # the day after is late
        (
            date(2008, 11, 29),
            date(2008, 11, 29),
            (0.0, 1.0, 0.0, Status.RED, "due 2008-11-28, delivered late, 2008-11-29"),
        ),
        # on the due day itself, nothing delivered yet: not late until the day is over
        (None, DUE, (0.0, 1.0, None, Status.AMBER, "no action yet, not yet delivered; due today")),
        (None, date(2008, 11, 29), (0.0, 1.0, 0.0, Status.RED, "due 2008-11-28, not delivered")),
        # amber from seven days before, pending before that
        (None, date(2008, 11, 21),
         (0.0, 1.0, None, Status.AMBER, "no action yet, not yet delivered; 7 days left")),
        (None, date(2008, 11, 20),
         (0.0, 1.0, None, Status.PENDING, "no action yet, not yet delivered; 8 days left")),
    ],
)
def test_deadline_edges_and_the_figures_export_summary_carries(
    delivered: date | None, as_of: date, judged: tuple[object, ...]
) -> None:
    j = rules.judge_deadline(DeadlineTarget(due=DUE), rules.Delivery(delivered, 0), as_of)
    assert (j.actual, j.expected, j.compliance_pct, j.status, j.detail) == judged


def test_a_unit_is_judged_only_once_it_has_ended() -> None:
    weekly = FrequencyTarget(count=1, unit=Unit.WEEK)
    agreed = date(2008, 9, 1)
    last_day = datetime(2008, 10, 26, 23, 59, tzinfo=LONDON)  # Sunday: the week 20-26 Oct
    judged = rules.judged_units(weekly, OCTOBER, last_day, agreed, None)
    assert judged[-1] == (date(2008, 10, 13), date(2008, 10, 19))
    assert rules.unit_in_progress(weekly, OCTOBER, last_day) == (
        date(2008, 10, 20),
        date(2008, 10, 26),
    )
    monday = datetime(2008, 10, 27, 0, 0, tzinfo=LONDON)
    assert rules.judged_units(weekly, OCTOBER, monday, agreed, None)[-1] == (
        date(2008, 10, 20),
        date(2008, 10, 26),
    )


def test_a_pledge_agreed_on_a_units_first_day_is_judged_for_that_unit() -> None:
    weekly = FrequencyTarget(count=1, unit=Unit.WEEK)
    monday, tuesday = date(2008, 10, 13), date(2008, 10, 14)
    assert rules.judged_units(weekly, OCTOBER, END_OF_OCTOBER, monday, None)[0][0] == monday
    assert rules.judged_units(weekly, OCTOBER, END_OF_OCTOBER, tuesday, None)[0][0] == date(
        2008, 10, 20
    )


def test_a_pledge_closed_on_a_units_last_day_is_judged_for_that_unit() -> None:
    weekly = FrequencyTarget(count=1, unit=Unit.WEEK)
    agreed = date(2008, 9, 1)
    sunday, saturday = date(2008, 10, 19), date(2008, 10, 18)
    assert rules.judged_units(weekly, OCTOBER, END_OF_OCTOBER, agreed, sunday)[-1][1] == sunday
    assert rules.judged_units(weekly, OCTOBER, END_OF_OCTOBER, agreed, saturday)[-1][1] == date(
        2008, 10, 12
    )


@pytest.mark.parametrize(
    ("agreed", "closed", "as_of", "in_force"),
    [
        (date(2008, 9, 1), date(2008, 10, 1), END_OF_OCTOBER, True),  # closed on the first day
        (date(2008, 9, 1), date(2008, 9, 30), END_OF_OCTOBER, False),  # closed the day before
        (date(2008, 10, 31), None, END_OF_OCTOBER, True),  # agreed on the last day
        (date(2008, 11, 1), None, END_OF_OCTOBER, False),  # agreed the day after
        (date(2008, 10, 16), None, datetime(2008, 10, 16, 9, tzinfo=LONDON), True),  # today
        (date(2008, 10, 17), None, datetime(2008, 10, 16, 9, tzinfo=LONDON), False),  # tomorrow
        (None, None, END_OF_OCTOBER, False),  # never agreed
    ],
)
def test_in_force_during_a_period_edges(
    agreed: date | None, closed: date | None, as_of: datetime, in_force: bool
) -> None:
    assert rules.active_during(agreed, closed, OCTOBER, as_of) is in_force


def test_a_close_recorded_on_the_as_of_day_counts() -> None:
    as_of = datetime(2008, 10, 15, 9, 0, tzinfo=LONDON)
    assert rules.effective_closed_on(date(2008, 10, 15), as_of) == date(2008, 10, 15)
    assert rules.effective_closed_on(date(2008, 10, 16), as_of) is None


def test_frequency_counts_weeks_with_nothing_logged_as_zero_and_words_one_unit() -> None:
    units = [(date(2008, 10, 6), date(2008, 10, 12))]
    j = rules.judge_frequency(TWO_A_WEEK, units, {})
    assert (j.actual, j.expected, j.compliance_pct, j.detail) == (0.0, 2.0, 0.0, "0 of 1 week met")
    two = [(date(2008, 10, 6), date(2008, 10, 12)), (date(2008, 10, 13), date(2008, 10, 19))]
    j = rules.judge_frequency(TWO_A_WEEK, two, {date(2008, 10, 13): 3})
    assert (j.actual, j.expected, j.detail) == (3.0, 4.0, "1 of 2 weeks met")


def test_frequency_with_nothing_judged_says_only_how_the_current_unit_stands() -> None:
    j = rules.judge_frequency(TWO_A_WEEK, [], {}, (date(2008, 10, 13), 1))
    assert (j.status, j.detail) == (Status.NO_DATA, "so far this week: 1 of 2")
    assert rules.judge_frequency(TWO_A_WEEK, [], {}).detail == ""


def test_share_detail_and_figures() -> None:
    j = rules.judge_share(ShareTarget(share_pct=80), 24, 32)
    assert j.detail == "24h of 32h in the neighbourhood"
    assert rules.judge_share(ShareTarget(share_pct=80), 0, 0).detail == "no hours logged"


def test_a_share_pledge_with_no_hours_counts_as_not_green_in_the_team_line() -> None:
    none = rules.judge_share(ShareTarget(share_pct=80), 0, 0).status
    assert none is Status.NO_DATA and rules.unrecorded("share", none)
    assert not rules.unrecorded("response", Status.NO_DATA)  # no message may have come
    assert not rules.unrecorded("share", Status.RED)
    assert rules.share_green([Status.GREEN, none], 1) == 50.0
    assert rules.share_green([none], 1) == 0.0  # judged: a team that logs nothing is at 0
    assert rules.share_green([Status.NO_DATA], 0) is None


def test_team_line_is_the_share_that_is_green() -> None:
    assert rules.share_green([Status.GREEN, Status.GREEN, Status.GREEN, Status.RED]) == 75.0


@pytest.mark.parametrize(
    ("delivered", "as_of", "delivered_on"),
    [
        (DUE, DUE, DUE),  # on time
        (date(2008, 11, 29), date(2008, 11, 29), date(2008, 11, 29)),  # late, still delivered
        (None, date(2008, 11, 29), None),  # missed: something is left to do
        (None, DUE, None),
    ],
)
def test_a_judgement_says_when_a_deadline_was_delivered_on_time_or_late(
    delivered: date | None, as_of: date, delivered_on: date | None
) -> None:
    """agenda and the public update read this, not the detail's words."""
    j = rules.judge_deadline(DeadlineTarget(due=DUE), rules.Delivery(delivered, 1), as_of)
    assert j.delivered_on == delivered_on


# FRESH3 F1: a deadline is judged in the periods up to the later of its day and its delivery
_F1_DUE = date(2008, 11, 28)


@pytest.mark.parametrize(
    ("delivered", "start", "status"),
    [
        (date(2008, 11, 20), date(2008, 11, 28), Status.GREEN),  # a period from its day: judged
        (date(2008, 11, 20), date(2008, 11, 29), Status.NO_DATA),  # the day after: not
        (date(2008, 12, 5), date(2008, 12, 5), Status.RED),  # late: judged up to the delivery
        (date(2008, 12, 5), date(2008, 12, 6), Status.NO_DATA),  # and not after it
        (None, date(2009, 6, 1), Status.RED),  # undelivered: outstanding, red while active
        (date(2008, 11, 28), date(2008, 11, 29), Status.NO_DATA),  # delivered on the day
    ],
)
def test_a_deadline_is_judged_until_it_was_both_due_and_delivered(
    delivered: date | None, start: date, status: Status
) -> None:
    as_of = max(start, date(2008, 12, 31))
    j = rules.judge_deadline(
        DeadlineTarget(due=_F1_DUE), rules.Delivery(delivered, 1), as_of, start
    )
    assert j.status is status
    if status is Status.NO_DATA:
        assert (j.actual, j.expected, j.compliance_pct) == (0.0, 0.0, None)
        assert j.detail == (
            f"not judged: due 2008-11-28, delivered {delivered}, before the period"
        )
        assert j.delivered_on == delivered


@given(
    st.dates(date(2008, 9, 1), date(2009, 3, 31)),
    st.one_of(st.none(), st.dates(date(2008, 9, 1), date(2009, 3, 31))),
)
def test_a_delivery_counts_in_no_month_after_it_was_due_and_done(
    due: date, delivered: date | None
) -> None:
    """Summed over consecutive months (what HQ does with `export summary`), a deadline is
    expected once per month only up to the month of the later of its day and delivery."""
    months = [date(2008, m, 1) for m in range(9, 13)] + [date(2009, m, 1) for m in range(1, 7)]
    judged = [
        m
        for m in months
        if rules.judge_deadline(
            DeadlineTarget(due=due), rules.Delivery(delivered, 1), date(2009, 7, 1), m
        ).expected
    ]
    last = max(due, delivered) if delivered is not None else None
    if last is None:
        assert judged == months  # outstanding: every month while active
    else:
        assert judged == [m for m in months if m <= last]


# check's falling-short (docs/compliance.md, `check`): warned while it can still be met,
# when fewer days are left after today than actions needed, or in the unit's last days
@pytest.mark.parametrize(
    ("unit", "need", "so_far", "today", "warned"),
    [
        (Unit.WEEK, 2, 0, date(2008, 10, 24), False),  # Friday: 2 days after it, 2 needed
        (Unit.WEEK, 2, 0, date(2008, 10, 25), True),  # Saturday: 1 day after it, 2 needed
        (Unit.WEEK, 2, 1, date(2008, 10, 24), False),  # Friday, 1 needed: not yet
        (Unit.WEEK, 2, 1, date(2008, 10, 25), True),  # the weekend: the week's last 2 days
        (Unit.WEEK, 2, 1, date(2008, 10, 26), True),  # Sunday, the week's last day
        (Unit.WEEK, 5, 0, date(2008, 10, 22), True),  # Wednesday: 4 days left, 5 needed
        (Unit.WEEK, 5, 1, date(2008, 10, 22), False),  # 4 days left, 4 needed: one a day
        (Unit.MONTH, 1, 0, date(2008, 10, 23), False),  # 8 days after it
        (Unit.MONTH, 1, 0, date(2008, 10, 24), True),  # 7 days: the month's last week
        (Unit.MONTH, 10, 0, date(2008, 10, 22), True),  # 9 days after it, 10 needed
        (Unit.QUARTER, 1, 0, date(2008, 12, 23), False),
        (Unit.QUARTER, 1, 0, date(2008, 12, 24), True),
        (Unit.DAY, 3, 0, date(2008, 10, 24), False),  # a day: never ahead (every morning)
    ],
)
def test_a_frequency_pledge_short_is_warned_of_while_it_can_still_be_met(
    unit: Unit, need: int, so_far: int, today: date, warned: bool
) -> None:
    short = rules.shortfall(unit, need, so_far, today, date(2008, 9, 1))
    assert short is not None and short.missing == need - so_far
    assert short.warned is warned


def test_a_met_unit_or_one_the_pledge_was_not_in_force_for_is_not_short() -> None:
    saturday = date(2008, 10, 25)
    assert rules.shortfall(Unit.WEEK, 2, 2, saturday, date(2008, 9, 1)) is None  # met
    assert rules.shortfall(Unit.WEEK, 2, 3, saturday, date(2008, 9, 1)) is None
    # agreed on the Monday the week began: judged, so warned; agreed the Tuesday: not judged
    assert rules.shortfall(Unit.WEEK, 2, 0, saturday, date(2008, 10, 20)) is not None
    assert rules.shortfall(Unit.WEEK, 2, 0, saturday, date(2008, 10, 21)) is None
    assert rules.shortfall(Unit.WEEK, 2, 0, saturday, None) is None
    short = rules.shortfall(Unit.WEEK, 2, 0, saturday, date(2008, 10, 20))
    assert short is not None
    assert (short.first, short.last, short.days_left) == (date(2008, 10, 20), date(2008, 10, 26), 1)


# -- which pledges a source held for a team and period (rollup, FRESH5 H1) ---------------


@given(st.lists(st.sampled_from(["provisional", None])))
def test_a_sources_pledges_are_settled_once_one_row_is_final(others: list[str | None]) -> None:
    """One final row means the period had ended when it was judged: rows an open item
    keeps provisional do not unsettle which pledges it held; without one, nothing does."""
    assert rules.held_figures([*others, "final", *others]) is rules.Figures.FINAL
    unsettled = rules.held_figures(others)
    assert unsettled is (rules.Figures.PROVISIONAL if "provisional" in others else None)
