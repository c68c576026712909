"""Where a date must be ahead (`next-meeting --when`, `pledge add/edit --by`, `--review`),
forgiving dates read forwards: `thursday` and `next thursday` are the coming Thursday,
`31/1` typed in December is next January's (up to half a year ahead), the mirror of
the past-only options' reading (test_yearless_past_days.py). Options that may be either
way (`--as-of`, `--agreed`, `--since`) keep reading a weekday backwards, and refuse
`next`."""

from __future__ import annotations

import calendar
import dataclasses
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import Result

from conftest import fixed_clock, invoke
from helpers import Run, assert_error, ok
from pledgetrack.domain.dates import (
    WEEKDAYS,
    YEARLESS_AHEAD,
    DateInputError,
    _leap,
    parse_date,
    parse_datetime,
)
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from test_yearless_past_days import _at, _on, _typed  # the mirror rule's own helpers

_NAMES = sorted(WEEKDAYS)


# --- the rule, pure -------------------------------------------------------------------


@given(
    st.dates(min_value=date(1910, 1, 1), max_value=date(2190, 12, 31)),
    st.dates(min_value=date(1910, 1, 1), max_value=date(2191, 12, 31)),
)
@example(date(2026, 12, 31), date(2027, 1, 1))
@example(date(2027, 12, 1), date(2028, 2, 29))
@example(date(2028, 3, 1), date(2028, 2, 29))
@example(date(2026, 12, 1), date(2027, 6, 2))
@example(date(2026, 12, 1), date(2027, 6, 3))
def test_a_yearless_day_ahead_is_the_next_such_day_within_half_a_year(
    today: date, day: date
) -> None:
    """This year's when it is not before today; else next year's when that is at most
    YEARLESS_AHEAD ahead; else refused."""
    now = _at(today)
    this, later = _on(today.year, day), _on(today.year + 1, day)
    if this is not None and this >= today:
        expected: date | None = this
    elif later is not None and later - today <= YEARLESS_AHEAD:
        expected = later
    else:
        expected = None
    try:
        read = parse_date(_typed(day), now, tense="future")
    except DateInputError:
        assert expected is None
        return
    assert read == expected
    # the same day for a time of it, and for its month named
    assert parse_datetime(f"{_typed(day)} 19:00", now, not_before=now).date() == read
    assert parse_date(f"{day.day} {day:%b}", now, tense="future") == read


@given(
    st.dates(min_value=date(1910, 1, 1), max_value=date(2190, 12, 31)),
    st.sampled_from(_NAMES),
    st.integers(0, 23),
    st.integers(0, 23),
)
@example(today=date(2000, 10, 22), name="sun", hour=0, at=1)  # 29 Oct 2000 1:00 came twice
def test_a_weekday_ahead_is_the_next_one(today: date, name: str, hour: int, at: int) -> None:
    """`thursday`: the first Thursday after today; today's only at a time still to come.
    `next thursday`: the first after today, whatever the time."""
    now = _at(today, hour)
    for typed, timed in ((name, False), (f"{name} {at}:00", True)):
        read = _unless_the_clocks_changed(typed, now, timed)
        if read is None:
            continue
        ahead = (read.date() - today).days
        assert read.weekday() == WEEKDAYS[name]
        if timed and read.date() == today:
            assert at > hour
        else:
            assert 1 <= ahead <= 7
            assert ahead < 7 or not timed or at <= hour
        following = _unless_the_clocks_changed(f"next {typed}", now, timed)
        assert following is None or following.date() == today + timedelta(
            days=(WEEKDAYS[name] - today.weekday() - 1) % 7 + 1
        )
    # as a date option too: a day without its time is never today
    assert 1 <= (parse_date(name, now, tense="future") - today).days <= 7


def _unless_the_clocks_changed(typed: str, now: datetime, timed: bool) -> datetime | None:
    """The moment read, or None for a time the clocks skipped or showed twice that day
    (refused, naming the readings to give: test_dates covers that)."""
    try:
        return parse_datetime(typed, now, not_before=now)
    except DateInputError as refused:
        assert timed and ("happened twice" in str(refused) or "did not happen" in str(refused))
        return None


@given(st.integers(1, 9999))
def test_leap_years_are_calendar_s(year: int) -> None:
    assert _leap(year) == calendar.isleap(year)


# Tuesday 1 December 2026, 10:00 (the tester's day)
_TUESDAY = _at(date(2026, 12, 1))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("thursday 7pm", datetime(2026, 12, 3, 19)),
        ("thu 19:00", datetime(2026, 12, 3, 19)),
        ("next thursday 7pm", datetime(2026, 12, 3, 19)),
        ("7pm next thursday", datetime(2026, 12, 3, 19)),
        ("next thursday at 19:30", datetime(2026, 12, 3, 19, 30)),
        ("tuesday 7pm", datetime(2026, 12, 1, 19)),  # today, still to come
        ("tuesday 10:01", datetime(2026, 12, 1, 10, 1)),
        ("tuesday 10:00", datetime(2026, 12, 8, 10)),  # now itself is not ahead: a week on
        ("tuesday 9am", datetime(2026, 12, 8, 9)),  # past today: a week on
        ("next tuesday 7pm", datetime(2026, 12, 8, 19)),  # `next` is never today
        ("monday 7pm", datetime(2026, 12, 7, 19)),  # yesterday's weekday: six days on
        ("last thursday 7pm", datetime(2026, 11, 26, 19)),  # as said (refused by the caller)
        ("31/1 19:00", datetime(2027, 1, 31, 19)),
        ("31 Jan 19:00", datetime(2027, 1, 31, 19)),
        ("01/12 09:00", datetime(2026, 12, 1, 9)),  # today is this year's, whatever the hour
        ("tomorrow 7pm", datetime(2026, 12, 2, 19)),
    ],
)
def test_the_next_meeting_reads_forwards(typed: str, expected: datetime) -> None:
    read = parse_datetime(typed, _TUESDAY, not_before=_TUESDAY)
    assert read == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("today", "typed", "expected"),
    [
        (date(2026, 12, 31), "01/01", date(2027, 1, 1)),  # tomorrow, over the year's end
        (date(2026, 12, 31), "31/12", date(2026, 12, 31)),  # today
        (date(2026, 12, 31), "1 Jan", date(2027, 1, 1)),
        (date(2026, 12, 31), "friday", date(2027, 1, 1)),
        (date(2027, 1, 1), "31/12", date(2027, 12, 31)),  # this year's, however far
        (date(2027, 12, 1), "29/02", date(2028, 2, 29)),  # a leap day this common year lacks
        (date(2027, 12, 1), "29 Feb", date(2028, 2, 29)),
        (date(2028, 2, 28), "29/02", date(2028, 2, 29)),
        (date(2026, 12, 1), "friday", date(2026, 12, 4)),
        (date(2026, 12, 1), "next friday", date(2026, 12, 4)),
        (date(2026, 12, 1), "tuesday", date(2026, 12, 8)),  # today's weekday, no time: a week on
        (date(2026, 12, 1), "Sun 31/1", date(2027, 1, 31)),  # its weekday then
    ],
)
def test_days_ahead(today: date, typed: str, expected: date) -> None:
    assert parse_date(typed, _at(today), tense="future") == expected


def test_the_window_is_half_a_year_to_the_day() -> None:
    """183 days ahead is taken; 184 is refused, naming the year read and next year's."""
    today = date(2026, 12, 1)
    assert today + YEARLESS_AHEAD == date(2027, 6, 2)
    assert parse_date("02/06", _at(today), tense="future") == date(2027, 6, 2)
    with pytest.raises(DateInputError) as refused:
        parse_date("30/11", _at(today), tense="future")
    assert str(refused.value) == (
        "'30/11' has no year: this year's, 30/11/2026, has passed, and next year's, "
        "30/11/2027, is more than six months ahead; write the one you mean with its year "
        "(DD/MM/YYYY)"
    )
    # the day after the window's edge, in its own year, is this year's: never refused
    assert parse_date("03/06", _at(date(2027, 1, 1)), tense="future") == date(2027, 6, 3)


def test_a_leap_day_next_year_never_has_is_refused_naming_this_year() -> None:
    with pytest.raises(DateInputError) as refused:
        parse_date("29/02", _at(date(2028, 3, 1)), tense="future")
    assert str(refused.value) == (
        "'29/02' has no year: this year's, 29/02/2028, has passed, and 2029 has no 29/02; "
        "write the one you mean with its year (DD/MM/YYYY)"
    )
    with pytest.raises(DateInputError, match="2026 has no 29 February"):
        parse_date("29/02", _at(date(2026, 12, 1)), tense="future")  # neither year has one


def test_either_way_keeps_reading_backwards_and_refuses_next() -> None:
    assert parse_date("thursday", _TUESDAY) == date(2026, 11, 26)
    assert parse_date("31/1", _TUESDAY) == date(2026, 1, 31)
    assert parse_date("thursday", _TUESDAY, tense="past") == date(2026, 11, 26)
    for tense in ("either", "past"):
        with pytest.raises(DateInputError) as refused:
            parse_date("next thursday", _TUESDAY, tense=tense)  # type: ignore[arg-type]
        assert str(refused.value) == (
            "'next thursday': 'next' is read only where the date must be ahead (a meeting "
            "to come, a deadline); write the day itself (03/12/2026 for the coming Thursday)"
        )
    # a file's cell never reads a day relative to the day it is read
    with pytest.raises(DateInputError, match="cannot read 'next thursday' as a date"):
        parse_date("next thursday", _TUESDAY, written=True)


def test_the_hint_where_a_date_must_be_ahead_reads_forwards() -> None:
    with pytest.raises(DateInputError) as ahead:
        parse_datetime("soon", _TUESDAY, not_before=_TUESDAY)
    assert str(ahead.value) == (
        "cannot read 'soon' as a date (try 14/10/2008, 2008-10-14 19:30, tomorrow, "
        "thursday 7pm, 'next thursday' or 31/1)"
    )
    with pytest.raises(DateInputError) as either:
        parse_datetime("soon", _TUESDAY)
    assert "yesterday, tuesday or '2 days ago'" in str(either.value)


# --- through the CLI, the clock pinned at Tuesday 1 December 2026, 10:00 -------------------


@pytest.fixture
def tuesday(env: Environment) -> Run:
    pinned = dataclasses.replace(env, clock=fixed_clock(datetime(2026, 12, 1, 10, tzinfo=UTC)))
    db = str(env.data_dir.parent / "tue.db")

    def run(*args: str, input: str | None = None) -> Result:
        return invoke(["--db", db, *args], pinned, input)

    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/09/2026"))
    return run


def _pledge(run: Run, ref: str) -> dict[str, object]:
    shown = json.loads(ok(run("pledge", "show", ref, "-f", "json")).stdout)
    assert isinstance(shown, dict)
    return shown


def test_the_next_meeting_is_the_coming_thursday(tuesday: Run) -> None:
    for typed in ("thursday 7pm", "next thursday 7pm", "Thu 19:00"):
        said = ok(tuesday("next-meeting", "CW01", "--when", typed, "--place", "Hall"))
        assert said.stdout == "2026-12-03T19:00:00+00:00\n"
        assert "announced the next meeting of CW01: 03/12 19:00, Hall" in said.stderr
    said = ok(tuesday("next-meeting", "CW01", "--when", "tuesday 9am"))
    assert said.stdout == "2026-12-08T09:00:00+00:00\n"
    said = ok(tuesday("next-meeting", "CW01", "--when", "31/1 19:00"))
    assert said.stdout == "2027-01-31T19:00:00+00:00\n"


def test_a_deadline_and_a_review_are_ahead(tuesday: Run) -> None:
    ok(tuesday("pledge", "add", "CW01", "Lights", "--by", "friday"))
    assert _pledge(tuesday, "CW01-L1")["target"] == "by 2026-12-04"
    ok(tuesday("pledge", "add", "CW01", "Lights", "--by", "31/1", "--review", "next tuesday"))
    shown = _pledge(tuesday, "CW01-L2")
    assert (shown["target"], shown["review_on"]) == ("by 2027-01-31", "2026-12-08")
    # the same pledge as CW01-L1 (the same friday): --again, as this test means it
    ok(tuesday("pledge", "add", "CW01", "Lights", "--by", "next friday", "--again"))
    assert _pledge(tuesday, "CW01-L3")["target"] == "by 2026-12-04"
    ok(tuesday("pledge", "edit", "CW01-L3", "--by", "monday", "--review", "2/6"))
    shown = _pledge(tuesday, "CW01-L3")
    assert (shown["target"], shown["review_on"]) == ("by 2026-12-07", "2027-06-02")


def test_a_day_ahead_already_past_is_refused_naming_both_years(tuesday: Run) -> None:
    assert_error(
        tuesday("pledge", "add", "CW01", "Lights", "--by", "30/11"),
        ExitCode.USAGE,
        "--by: '30/11' has no year: this year's, 30/11/2026, has passed, and next year's, "
        "30/11/2027, is more than six months ahead; write the one you mean with its year "
        "(DD/MM/YYYY)",
    )
    assert_error(
        tuesday("next-meeting", "CW01", "--when", "3/6 19:00"),
        ExitCode.USAGE,
        "--when: '3/6 19:00' has no year: this year's, 03/06/2026, has passed, and next "
        "year's, 03/06/2027, is more than six months ahead; write the one you mean with its "
        "year (DD/MM/YYYY)",
    )
    assert "CW01-L1" not in ok(tuesday("pledge", "list", "-f", "csv")).stdout


def test_options_either_way_keep_their_reading(tuesday: Run) -> None:
    """--agreed reads a weekday backwards; `next` where the date need not be ahead is
    refused saying what to write (it was 'cannot read the time')."""
    ok(tuesday("pledge", "add", "CW01", "Lights", "--by", "friday", "--agreed", "thursday"))
    assert _pledge(tuesday, "CW01-L1")["agreed_on"] == "2026-11-26"
    assert_error(
        tuesday("agenda", "--as-of", "next thursday"),
        ExitCode.USAGE,
        "--as-of: 'next thursday': 'next' is read only where the date must be ahead (a "
        "meeting to come, a deadline); write the day itself (03/12/2026 for the coming "
        "Thursday)",
    )
    refused = assert_error(
        tuesday("message", "CW01", "--received", "next thursday 7pm", "--open"), ExitCode.USAGE
    )
    assert refused.startswith("--received: 'next thursday 7pm': 'next' is read only")
    # a past option's weekday is still the last one
    ok(tuesday("message", "CW01", "--received", "sunday 16:00", "--open"))
    rows = ok(tuesday("actions", "-f", "csv")).stdout.splitlines()
    assert "2026-11-29T16:00:00+00:00" in rows[1]
