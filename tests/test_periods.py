"""Reporting periods and calendar units (domain/periods.py)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgetrack.domain.periods import (
    Period,
    parse_period,
    split_period,
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
        # A..B: from the first day of A to the last day of B, each at its own granularity
        ("2008-09..2008-11", date(2008, 9, 1), date(2008, 11, 30)),
        ("2008-10..2008-10", date(2008, 10, 1), date(2008, 10, 31)),
        ("2008-W40..2008-W42", date(2008, 9, 29), date(2008, 10, 19)),
        ("2008-Q3..2008-Q4", date(2008, 7, 1), date(2008, 12, 31)),
        ("2007..2008", date(2007, 1, 1), date(2008, 12, 31)),
        ("2008-09..2008-Q4", date(2008, 9, 1), date(2008, 12, 31)),
        ("2008-09-15..2008-10", date(2008, 9, 15), date(2008, 10, 31)),
        # friendly spellings, as hledger users type them
        ("last month", date(2008, 9, 1), date(2008, 9, 30)),
        ("This Week", date(2008, 10, 13), date(2008, 10, 19)),
        ("this year", date(2008, 1, 1), date(2008, 12, 31)),
        ("last-year", date(2007, 1, 1), date(2007, 12, 31)),
        ("october", date(2008, 10, 1), date(2008, 10, 31)),
        ("november", date(2007, 11, 1), date(2007, 11, 30)),  # the most recent November
        ("Oct 2008", date(2008, 10, 1), date(2008, 10, 31)),
        ("10/2008", date(2008, 10, 1), date(2008, 10, 31)),
        ("2008 Q4", date(2008, 10, 1), date(2008, 12, 31)),
        ("Q4 2008", date(2008, 10, 1), date(2008, 12, 31)),
        ("q3", date(2008, 7, 1), date(2008, 9, 30)),
        ("q4", date(2008, 10, 1), date(2008, 12, 31)),  # begun on 1 October: the current one
        ("2008 W42", date(2008, 10, 13), date(2008, 10, 19)),
        ("14/10/2008", date(2008, 10, 14), date(2008, 10, 14)),
        ("yesterday", date(2008, 10, 15), date(2008, 10, 15)),
        ("september..october", date(2008, 9, 1), date(2008, 10, 31)),
        # a month with its year in two digits after an apostrophe, as a UK user writes it
        ("Nov '26", date(2026, 11, 1), date(2026, 11, 30)),
        ("Nov'08", date(2008, 11, 1), date(2008, 11, 30)),
        ("november \u201926", date(2026, 11, 1), date(2026, 11, 30)),
        ("Oct '57", date(2057, 10, 1), date(2057, 10, 31)),  # the nearest year: 49 on
        ("Oct '58", date(1958, 10, 1), date(1958, 10, 31)),  # 50 either way: the past
        ("Sep '08..Nov '08", date(2008, 9, 1), date(2008, 11, 30)),
        ("26 Nov", date(2008, 11, 26), date(2008, 11, 26)),  # the day first: a day
        ("Nov 5", date(2008, 11, 5), date(2008, 11, 5)),
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
        ("nonsense", "cannot read period 'nonsense' (accepted: 2008-10, 10/2008, Oct 2008"),
        ("2008-Q5", "impossible period '2008-Q5': quarter must be in 1..4, not 5"),
        ("2008-W54", "impossible period '2008-W54'"),
        # 2008 has 52 ISO weeks, 2009 has 53: the message says so, not "Invalid week: 53"
        ("2008-W53", "impossible period '2008-W53': 2008 has ISO weeks 1..52, not 53"),
        ("2008-W00", "impossible period '2008-W00': 2008 has ISO weeks 1..52, not 0"),
        ("2008-09..", "cannot read period '2008-09..': one side of '..' is empty"),
        ("1899", "period '1899' is outside the supported years 1900..2199"),
        ("2200-01", "period '2200-01' is outside the supported years 1900..2199"),
        ("2008-10-19..2008-10-06", "period '2008-10-19..2008-10-06' ends before it starts"),
        ("31/02/2008..2008-03-10", "period '31/02/2008..2008-03-10': impossible date"),
        # a month name and two digits: 26 November, or November 2026?
        ("Nov 26", "period 'Nov 26' is ambiguous: write '26 Nov' for the day, or 'Nov 2026' "
         "or \"Nov '26\" for the month"),
        ("oct-08", "period 'oct-08' is ambiguous: write '8 oct' for the day, or 'oct 2008' "
         "or \"oct '08\" for the month"),
    ],
)
def test_bad_periods_are_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_period(text, TODAY)
    assert str(err.value).startswith(message)


def test_a_year_s_last_iso_week_is_a_period() -> None:
    period = parse_period("2009-W53", TODAY)
    assert (period.start, period.end) == (date(2009, 12, 28), date(2010, 1, 3))


def test_weeks_ending_in_october_2008_include_the_one_starting_in_september() -> None:
    weeks = list(units_ending_in(Unit.WEEK, parse_period("2008-10", TODAY)))
    assert weeks == [
        (date(2008, 9, 29), date(2008, 10, 5)),
        (date(2008, 10, 6), date(2008, 10, 12)),
        (date(2008, 10, 13), date(2008, 10, 19)),
        (date(2008, 10, 20), date(2008, 10, 26)),
    ]


def test_split_period_gives_one_period_per_month() -> None:
    months = split_period("2008-07..2008-12", TODAY)
    assert [m.label for m in months] == [f"2008-{m:02d}" for m in range(7, 13)]
    assert split_period("2008-10", TODAY) == [parse_period("2008-10", TODAY)]


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
        for n in range((period.end - period.start).days + 1)
        if unit_end(unit, unit_start(unit, period.start + timedelta(days=n)))
        == period.start + timedelta(days=n)
    )
    assert len(units) == expected_count
@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("2008-W40..2008-W42", ["2008-W40", "2008-W41", "2008-W42"]),
        ("2008-Q3..2008-Q4", ["2008-Q3", "2008-Q4"]),
        ("2007..2008", ["2007", "2008"]),
        ("Sep 2008..11/2008", ["2008-09", "2008-10", "2008-11"]),
        # mixed granularity or days: one period, the same days
        ("2008-09..2008-Q4", ["2008-09..2008-Q4"]),
        ("2008-10-01..2008-10-03", ["2008-10-01..2008-10-03"]),
    ],
)
def test_split_covers_exactly_the_days_of_the_range(text: str, labels: list[str]) -> None:
    whole = parse_period(text, TODAY)
    pieces = split_period(text, TODAY)
    assert [p.label for p in pieces] == labels
    assert pieces[0].start == whole.start and pieces[-1].end == whole.end
    for before, after in itertools.pairwise(pieces):
        assert after.start == before.end + timedelta(days=1)


MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
]  # fmt: skip


@st.composite
def month_spellings(draw: st.DrawFn) -> tuple[int, int, str]:
    """(year, month, a spelling of that month) in every form the grammar accepts."""
    year = draw(st.integers(min_value=1900, max_value=2199))
    month = draw(st.integers(min_value=1, max_value=12))
    name = MONTH_NAMES[month - 1]
    short = "sept" if month == 9 and draw(st.booleans()) else name[:3]
    word = draw(st.sampled_from([name, short]))
    word = draw(st.sampled_from([word, word.upper(), word.title()]))
    sep = draw(st.sampled_from(["-", "/", " "]))
    last_day = parse_period(f"{year}-{month}", TODAY).end.day
    spelling = draw(
        st.sampled_from(
            [
                f"{year}-{month:02d}",
                f"{year}-{month}",
                f"{year}/{month:02d}",
                f"{month:02d}/{year}",
                f"{month}/{year}",
                f"{word} {year}",
                f"{word}{sep}{year}",
                f"{year} {word}",
                f"  {word}   {year} ",
                f"{year}-{month:02d}..{word} {year}",
                f"1/{month}/{year}..{last_day}/{month}/{year}",
                f"{year}-{month:02d}-01..{year}-{month:02d}-{last_day:02d}",
            ]
        )
    )
    return year, month, spelling


@given(month_spellings())
def test_every_spelling_of_a_month_gives_the_same_period(case: tuple[int, int, str]) -> None:
    year, month, spelling = case
    canonical = parse_period(f"{year}-{month:02d}", TODAY)
    got = parse_period(spelling, TODAY)
    assert (got.start, got.end) == (canonical.start, canonical.end)
    assert got == canonical or ".." in spelling  # a range keeps the label it was given


@given(st.integers(min_value=1, max_value=12), st.dates(date(1901, 1, 1), date(2199, 12, 31)))
def test_a_month_name_alone_is_the_most_recent_one_begun(month: int, today: date) -> None:
    got = parse_period(MONTH_NAMES[month - 1], today)
    assert got.start.month == month
    assert got.start <= today < got.start.replace(year=got.start.year + 1)


@pytest.mark.parametrize(
    ("text", "today", "message"),
    [
        ("this-week", date(2199, 12, 30), "period 'this-week' (2200-W01, 30/12/2199 to "
         "05/01/2200) is outside the supported years 1900..2199"),
        ("last-month", date(1900, 1, 31), "period 'last-month' (1899-12, 01/12/1899 to "
         "31/12/1899) is outside the supported years 1900..2199"),
    ],
)  # fmt: skip
def test_a_word_read_outside_the_years_says_what_it_was_read_as(
    text: str, today: date, message: str
) -> None:
    """31/12/2199's week is ISO week 2200-W01: the user never typed 2200, so the
    refusal says what the word was read as."""
    with pytest.raises(InputError) as err:
        parse_period(text, today)
    assert str(err.value) == message


def test_the_last_week_inside_the_years_is_read() -> None:
    """The edge: on Sunday 29/12/2199 this week is 2199-W52, inside."""
    assert parse_period("this-week", date(2199, 12, 29)).label == "2199-W52"
