"""Reporting periods and calendar units (domain/periods.py)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgetrack.domain.periods import (
    Period,
    month_range,
    parse_period,
    unit_end,
    unit_start,
    units_ending_in,
)
from pledgetrack.domain.targets import Unit
from pledgetrack.errors import InputError

TODAY = date(2008, 10, 16)  # a Thursday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2008-10", date(2008, 10, 1), date(2008, 10, 31)),
        ("2008-02", date(2008, 2, 1), date(2008, 2, 29)),
        ("2008-Q4", date(2008, 10, 1), date(2008, 12, 31)),
        ("2008-q1", date(2008, 1, 1), date(2008, 3, 31)),
        ("2008-W42", date(2008, 10, 13), date(2008, 10, 19)),
        ("2009-W01", date(2008, 12, 29), date(2009, 1, 4)),
        ("2008", date(2008, 1, 1), date(2008, 12, 31)),
        ("2008-10-06..2008-10-19", date(2008, 10, 6), date(2008, 10, 19)),
        ("6/10/2008..19/10/2008", date(2008, 10, 6), date(2008, 10, 19)),
        ("this-week", date(2008, 10, 13), date(2008, 10, 19)),
        ("last-week", date(2008, 10, 6), date(2008, 10, 12)),
        ("this-month", date(2008, 10, 1), date(2008, 10, 31)),
        ("last-month", date(2008, 9, 1), date(2008, 9, 30)),
        ("this-quarter", date(2008, 10, 1), date(2008, 12, 31)),
        ("last-quarter", date(2008, 7, 1), date(2008, 9, 30)),
    ],
)
def test_period_forms(text: str, start: date, end: date) -> None:
    period = parse_period(text, TODAY)
    assert (period.start, period.end) == (start, end)


def test_last_month_in_january_is_december() -> None:
    period = parse_period("last-month", date(2009, 1, 10))
    assert (period.start, period.end) == (date(2008, 12, 1), date(2008, 12, 31))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2008-13", "impossible period '2008-13': month must be in 1..12"),
        ("nonsense", "cannot read period 'nonsense'"),
        ("2008-10-19..2008-10-06", "period '2008-10-19..2008-10-06' ends before it starts"),
        ("31/02/2008..2008-03-10", "period '31/02/2008..2008-03-10': impossible date"),
    ],
)
def test_bad_periods_are_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_period(text, TODAY)
    assert str(err.value).startswith(message)


def test_weeks_ending_in_october_2008_include_the_one_starting_in_september() -> None:
    weeks = list(units_ending_in(Unit.WEEK, parse_period("2008-10", TODAY)))
    assert weeks == [
        (date(2008, 9, 29), date(2008, 10, 5)),
        (date(2008, 10, 6), date(2008, 10, 12)),
        (date(2008, 10, 13), date(2008, 10, 19)),
        (date(2008, 10, 20), date(2008, 10, 26)),
    ]


def test_month_range_gives_one_period_per_month() -> None:
    months = month_range("2008-07..2008-12", TODAY)
    assert [m.label for m in months] == [f"2008-{m:02d}" for m in range(7, 13)]
    assert month_range("2008-10", TODAY) == [parse_period("2008-10", TODAY)]


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@given(days, st.sampled_from(list(Unit)))
def test_every_day_lies_in_exactly_its_unit(day: date, unit: Unit) -> None:
    first = unit_start(unit, day)
    last = unit_end(unit, first)
    assert first <= day <= last
    assert unit_start(unit, last) == first
    assert unit_start(unit, last + timedelta(days=1)) == last + timedelta(days=1)


@given(days, st.integers(min_value=0, max_value=400), st.sampled_from(list(Unit)))
def test_units_ending_in_a_period_tile_it_without_gaps(
    start: date, length: int, unit: Unit
) -> None:
    period = Period(start, start + timedelta(days=length), "p")
    units = list(units_ending_in(unit, period))
    for (_, last), (first, _) in itertools.pairwise(units):
        assert first == last + timedelta(days=1)
    for first, last in units:
        assert period.contains(last)
        assert unit_end(unit, first) == last
    # a unit ends in the period exactly when its last day is inside it
    expected_count = sum(
        1
        for n in range(period.days)
        if unit_end(unit, unit_start(unit, period.start + timedelta(days=n)))
        == period.start + timedelta(days=n)
    )
    assert len(units) == expected_count
