"""Date and time entry: day-first numbers, ISO, relative words, and the one stored form."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from helpers import LONDON, NOW
from pledgetrack.domain import dates
from pledgetrack.domain.dates import (
    FIRST_DAY,
    LAST_DAY,
    WEEKDAYS,
    DateInputError,
    format_datetime,
    localise,
    parse_date,
    parse_datetime,
    short_datetime,
)
from pledgetrack.errors import InputError

HOUR = timedelta(hours=1)
BST = timezone(HOUR)
GMT = timezone(timedelta(0))

# the supported dates (FIRST_DAY..LAST_DAY); "today" a few years in, so "3000 days ago" is too
any_date = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
modern_date = st.dates(min_value=date(1910, 1, 1), max_value=date(2100, 12, 31))


def noon(day: date) -> datetime:
    return localise(day, time(12), LONDON)


# -- day-first numeric dates -------------------------------------------------------------


@given(any_date, st.booleans(), st.sampled_from(["/", ".", "-"]))
def test_numeric_dates_are_read_day_first(day: date, padded: bool, sep: str) -> None:
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if padded else (str(day.day), str(day.month))
    assert parse_date(f"{d}{sep}{m}{sep}{day.year:04d}", NOW) == day


@given(
    st.integers(min_value=1900, max_value=2100),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=12),
)
def test_ambiguous_numeric_dates_are_never_month_first(year: int, d: int, m: int) -> None:
    parsed = parse_date(f"{d}/{m}/{year}", NOW)
    assert (parsed.day, parsed.month, parsed.year) == (d, m, year)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/4/08", date(2008, 4, 3)),
        ("14/10/2008", date(2008, 10, 14)),
        ("1/2/2008", date(2008, 2, 1)),
        ("14 October 2008", date(2008, 10, 14)),
        ("29/02/2008", date(2008, 2, 29)),
    ],
)
def test_british_examples(text: str, expected: date) -> None:
    assert parse_date(text, NOW) == expected


def test_a_numeric_date_means_the_start_of_that_local_day() -> None:
    assert parse_datetime("14/10/2008", NOW) == datetime(2008, 10, 14, tzinfo=BST)
    assert parse_datetime("14/12/2008", NOW) == datetime(2008, 12, 14, tzinfo=GMT)


def test_numeric_date_with_time() -> None:
    got = parse_datetime("14/10/2008 19:30", NOW)
    assert got == datetime(2008, 10, 14, 19, 30, tzinfo=BST)
    assert got.utcoffset() == HOUR


# -- ISO ---------------------------------------------------------------------------------


@given(any_date)
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat(), NOW) == day


def test_iso_date_is_year_month_day_not_day_first() -> None:
    # dateutil with dayfirst=True would read this as 11 October
    assert parse_date("2008-11-10", NOW) == date(2008, 11, 10)
    assert parse_datetime("2008-11-10", NOW) == datetime(2008, 11, 10, tzinfo=GMT)


@given(modern_date, st.times(), st.sampled_from([" ", "T"]))
def test_iso_with_time_is_that_wall_time(day: date, at: time, sep: str) -> None:
    # in UTC there are no clock changes, so every wall time exists exactly once
    now = datetime(2008, 10, 16, 15, tzinfo=UTC)
    text = f"{day.isoformat()}{sep}{at.hour:02d}:{at.minute:02d}:{at.second:02d}"
    got = parse_datetime(text, now)
    assert got == datetime.combine(day, at.replace(microsecond=0), tzinfo=UTC)
    assert got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2008-10-14 19:30", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("2008-10-14T19:30", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("2008-10-14 7:30 pm", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        # 12 am is the midnight that starts the day, 12 pm is noon; 1 am and 1 pm bound them
        ("2008-10-14 12:00 am", datetime(2008, 10, 14, 0, 0, tzinfo=BST)),
        ("2008-10-14 12:30 am", datetime(2008, 10, 14, 0, 30, tzinfo=BST)),
        ("2008-10-14 12:00 pm", datetime(2008, 10, 14, 12, 0, tzinfo=BST)),
        ("2008-10-14 12:30 PM", datetime(2008, 10, 14, 12, 30, tzinfo=BST)),
        ("2008-10-14 1:00 am", datetime(2008, 10, 14, 1, 0, tzinfo=BST)),
        ("2008-10-14 1:15 pm", datetime(2008, 10, 14, 13, 15, tzinfo=BST)),
        ("2008-10-14 11:59 pm", datetime(2008, 10, 14, 23, 59, tzinfo=BST)),
        ("2008-12-14 19:30", datetime(2008, 12, 14, 19, 30, tzinfo=GMT)),
        # an explicit offset is honoured, then shown in the configured zone
        ("2008-10-14T19:30:00+02:00", datetime(2008, 10, 14, 18, 30, tzinfo=BST)),
        ("2008-10-14 19:30Z", datetime(2008, 10, 14, 20, 30, tzinfo=BST)),
    ],
)
def test_iso_with_time_examples(text: str, expected: datetime) -> None:
    got = parse_datetime(text, NOW)
    assert got == expected
    assert got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", ["2008-03-30 01:00", "2008-03-30 01:30", "30/03/2008 01:59"])
def test_wall_time_in_the_spring_forward_gap_is_refused(text: str) -> None:
    # 30 March 2008: London clocks jump from 01:00 GMT to 02:00 BST; 01:00..01:59 never was
    with pytest.raises(DateInputError) as caught:
        parse_datetime(text, NOW)
    assert str(caught.value) == (
        f"{text} did not happen in Europe/London (clocks went forward at 01:00); "
        "give 00:59 or 02:00, or an offset"
    )


def test_either_side_of_the_spring_forward_gap_is_accepted() -> None:
    assert parse_datetime("2008-03-30 00:59", NOW).utcoffset() == timedelta(0)
    assert parse_datetime("2008-03-30 02:00", NOW) == datetime(2008, 3, 30, 2, 0, tzinfo=BST)
    assert parse_datetime("30/03/2008", NOW).hour == 0  # a day alone is its start


@pytest.mark.parametrize("text", ["2008-10-26 01:00", "26/10/2008 01:30", "26/10/2008 1:59 am"])
def test_repeated_hour_after_autumn_change_is_refused_without_an_offset(text: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_datetime(text, NOW)
    assert str(caught.value) == (
        f"{text} happened twice in Europe/London (clocks went back at 02:00); "
        f"give {text} BST (the first) or {text} GMT (the second)"
    )


@pytest.mark.parametrize(
    ("text", "utc"),
    [("26/10/2008 01:00 BST", "00:00"), ("26/10/2008 01:00 GMT", "01:00"),  # the hour's start
     ("26/10/2008 01:59 bst", "00:59"), ("26/10/2008 1:59am GMT", "01:59"),  # its end, any case
     ("26/10/2008 00:59 BST", "23:59"), ("14/7/2008 12:00 BST", "11:00"),  # the name agrees
     ("26/10/2008 02:00 GMT", "02:00"), ("14/1/2008 12:00 GMT", "12:00")],
)  # fmt: skip
def test_the_zones_own_name_for_its_time_picks_that_reading(text: str, utc: str) -> None:
    """FRESH2 G26: the hour the clocks go back is shown `26/10 01:30 BST` / `GMT`
    (short_datetime), so what the screen shows can be typed back, and reads as shown."""
    moment = parse_datetime(text, NOW)
    assert f"{moment.astimezone(UTC):%H:%M}" == utc
    shown = short_datetime(moment, LONDON)
    assert parse_datetime(shown, NOW).astimezone(UTC) == moment.astimezone(UTC)
    if moment.date() == date(2008, 10, 26) and moment.hour == 1:
        assert shown.endswith(text.split()[-1].upper())


@pytest.mark.parametrize(
    ("text", "message"),
    [("26/10/2008 02:00 BST", "26/10/2008 02:00 BST: 26/10/2008 02:00 is GMT in Europe/London, "
      "not BST (give 26/10/2008 02:00 GMT, or an offset)"),  # the first minute after the hour
     ("14/1/2008 12:00 BST", "14/1/2008 12:00 BST: 14/1/2008 12:00 is GMT in Europe/London, "
      "not BST (give 14/1/2008 12:00 GMT, or an offset)"),
     # GMT for British time all year (ATTACK4 A2): as UTC it was an hour on, into October
     ("30/09/2008 23:30 GMT", "30/09/2008 23:30 GMT: 30/09/2008 23:30 is BST in "
      "Europe/London, not GMT (give 30/09/2008 23:30 BST; UTC itself is 30/09/2008 23:30 UTC)"),
     ("26/10/2008 00:59 GMT", "26/10/2008 00:59 GMT: 26/10/2008 00:59 is BST in "
      "Europe/London, not GMT (give 26/10/2008 00:59 BST; UTC itself is 26/10/2008 00:59 UTC)"),
     ("30/3/2008 02:00 GMT", "30/3/2008 02:00 GMT: 30/3/2008 02:00 is BST in Europe/London, "
      "not GMT (give 30/3/2008 02:00 BST; UTC itself is 30/3/2008 02:00 UTC)"),
     ("26/10/2008 01:30 CEST", "unknown time zone in '26/10/2008 01:30 CEST' (try 14/10/2008, "
      "2008-10-14 19:30, today, yesterday, tuesday or '2 days ago')")],
)  # fmt: skip
def test_a_name_the_zone_does_not_give_that_time_is_refused(text: str, message: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_datetime(text, NOW)
    assert str(caught.value) == message


def test_repeated_hour_with_an_offset_is_the_one_named() -> None:
    first = parse_datetime("26/10/2008 01:30+01:00", NOW)
    second = parse_datetime("26/10/2008 01:30+00:00", NOW)
    assert (first.utcoffset(), second.utcoffset()) == (HOUR, timedelta(0))
    assert second - first == HOUR
    # either side of the repeated hour needs no offset
    assert parse_datetime("2008-10-26 00:59", NOW).utcoffset() == HOUR
    assert parse_datetime("2008-10-26 02:00", NOW).utcoffset() == timedelta(0)


# -- relative words ----------------------------------------------------------------------


def test_now_and_today_are_the_current_moment() -> None:
    assert NOW.weekday() == 3  # the fixture clock is a Thursday
    for word in ("now", "today", "NOW", " Today "):
        got = parse_datetime(word, NOW)
        assert got == NOW
        assert got.utcoffset() == HOUR


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday", datetime(2008, 10, 15, tzinfo=BST)),
        ("yesterday 19:30", datetime(2008, 10, 15, 19, 30, tzinfo=BST)),
        ("today 09:00", datetime(2008, 10, 16, 9, 0, tzinfo=BST)),
        ("tomorrow", datetime(2008, 10, 17, tzinfo=BST)),
        ("thursday", datetime(2008, 10, 16, tzinfo=BST)),
        ("wednesday", datetime(2008, 10, 15, tzinfo=BST)),
        ("friday", datetime(2008, 10, 10, tzinfo=BST)),
        ("tues 18:00", datetime(2008, 10, 14, 18, 0, tzinfo=BST)),
        ("Tuesday 7:30 pm", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        # the hour alone before am/pm, as the public update writes times ("7pm")
        ("yesterday 7pm", datetime(2008, 10, 15, 19, 0, tzinfo=BST)),
        ("yesterday 7 PM", datetime(2008, 10, 15, 19, 0, tzinfo=BST)),
        ("yesterday 7.30pm", datetime(2008, 10, 15, 19, 30, tzinfo=BST)),
        ("yesterday 12am", datetime(2008, 10, 15, 0, 0, tzinfo=BST)),  # the midnight it starts
        ("yesterday 1am", datetime(2008, 10, 15, 1, 0, tzinfo=BST)),
        ("yesterday 12pm", datetime(2008, 10, 15, 12, 0, tzinfo=BST)),  # noon
        ("yesterday 11pm", datetime(2008, 10, 15, 23, 0, tzinfo=BST)),
        ("last tuesday 12 am", datetime(2008, 10, 14, 0, 0, tzinfo=BST)),
        ("2008-10-14 7pm", datetime(2008, 10, 14, 19, 0, tzinfo=BST)),
        ("14/10/2008 7pm", datetime(2008, 10, 14, 19, 0, tzinfo=BST)),
        ("14/10/2008 7.30pm", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("14/10/2008 12am", datetime(2008, 10, 14, 0, 0, tzinfo=BST)),
        ("14/10/2008 12pm", datetime(2008, 10, 14, 12, 0, tzinfo=BST)),
        # noon and midday are 12:00, as 12pm is, before or after the day, with `at` or `12`
        ("yesterday noon", datetime(2008, 10, 15, 12, 0, tzinfo=BST)),
        ("noon yesterday", datetime(2008, 10, 15, 12, 0, tzinfo=BST)),
        ("yesterday at noon", datetime(2008, 10, 15, 12, 0, tzinfo=BST)),
        ("14/10/2008 12 noon", datetime(2008, 10, 14, 12, 0, tzinfo=BST)),
        ("14/10/2008 Midday", datetime(2008, 10, 14, 12, 0, tzinfo=BST)),
        ("noon", datetime(2008, 10, 16, 12, 0, tzinfo=BST)),  # today's, as `7pm` alone is
        ("last thursday", datetime(2008, 10, 9, tzinfo=BST)),
        ("last wednesday", datetime(2008, 10, 15, tzinfo=BST)),
        ("2 days ago", datetime(2008, 10, 14, tzinfo=BST)),
        ("1 week ago", datetime(2008, 10, 9, tzinfo=BST)),
        ("3 hours ago", datetime(2008, 10, 16, 12, 0, tzinfo=BST)),
        ("90 minutes ago", datetime(2008, 10, 16, 13, 30, tzinfo=BST)),
    ],
)
def test_relative_examples(text: str, expected: datetime) -> None:
    assert parse_datetime(text, NOW) == expected


@pytest.mark.parametrize("text", ["midnight", "yesterday midnight", "14/10/2008 12 Midnight"])
def test_midnight_is_refused_saying_which_to_write(text: str) -> None:
    """The start of a day or its end (`midnight on Friday`): a day apart, so never guessed."""
    said = (
        f"{text!r}: midnight could be the start or the end of a day; write 00:00 for the "
        "start (12am), or 23:59 for the end"
    )
    with pytest.raises(DateInputError, match=f"^{re.escape(said)}$"):
        parse_datetime(text, NOW)


@pytest.mark.parametrize("text", ["noonish", "12 noonday"])  # `afternoon`: a part of the day
def test_a_word_only_containing_noon_is_no_time(text: str) -> None:
    with pytest.raises(DateInputError, match="cannot read"):
        parse_datetime(f"yesterday {text}", NOW)


@given(modern_date, st.sampled_from(sorted(WEEKDAYS)))
def test_weekday_name_is_the_most_recent_such_day_including_today(day: date, name: str) -> None:
    got = parse_date(name, noon(day))
    assert got.weekday() == WEEKDAYS[name]
    assert 0 <= (day - got).days <= 6


@given(modern_date, st.sampled_from(sorted(WEEKDAYS)))
def test_last_weekday_is_strictly_before_today(day: date, name: str) -> None:
    got = parse_date(f"last {name}", noon(day))
    assert got.weekday() == WEEKDAYS[name]
    assert 1 <= (day - got).days <= 7


@given(modern_date, st.integers(min_value=0, max_value=3000), st.sampled_from(["", " "]))
def test_n_days_ago_is_midnight_that_many_calendar_days_back(day: date, n: int, sp: str) -> None:
    now = noon(day)
    got = parse_datetime(f"{n}{sp}day{'s' if n != 1 else ''} ago", now)
    assert got.date() == day - timedelta(days=n)
    assert got.time() == time(0)


@given(st.integers(min_value=0, max_value=10_000))
def test_n_hours_ago_is_real_elapsed_time_across_the_clock_change(n: int) -> None:
    # noon on the Sunday the clocks went back: "25 hours ago" is 25 real hours
    now = datetime(2008, 10, 26, 12, 0, tzinfo=LONDON)
    assert now - parse_datetime(f"{n} hours ago", now) == timedelta(hours=n)


# -- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2008", "impossible date '31/02/2008': February 2008 has 29 days"),
        ("29/02/2009", "impossible date '29/02/2009': February 2009 has 28 days"),
        ("2008-02-30", "impossible date '2008-02-30': February 2008 has 29 days"),
        # the last day of each kind of month: one past it is refused, naming the month
        ("31/11/2008", "impossible date '31/11/2008': November has 30 days"),
        ("32/12/2008", "impossible date '32/12/2008': December has 31 days"),
        ("2008-04-31", "impossible date '2008-04-31': April has 30 days"),
        ("00/11/2008", "impossible date '00/11/2008': there is no day 0"),
        ("31/11", "impossible date '31/11': November has 30 days"),
        ("30/02", "impossible date '30/02': February has 28 days, 29 in a leap year"),
        ("2008-13-01", "impossible date '2008-13-01': month must be in 1..12"),
        # an American date is refused, never quietly read month-first
        (
            "12/25/2008",
            "impossible date '12/25/2008': dates are day-first, DD/MM/YYYY "
            "(month 25 does not exist)",
        ),
        (
            "1/13/08 19:00",
            "impossible date '1/13/08 19:00': dates are day-first, DD/MM/YYYY "
            "(month 13 does not exist)",
        ),
        ("yesterday 7:75", "impossible time in 'yesterday 7:75'"),
        ("2008-10-14 13:00 pm", "impossible time in '2008-10-14 13:00 pm'"),
        ("2008-10-14 0:30 am", "impossible time in '2008-10-14 0:30 am'"),
        ("yesterday 13pm", "impossible time in 'yesterday 13pm'"),
        ("yesterday 0am", "impossible time in 'yesterday 0am'"),
        ("14/10/2008 13pm", "impossible time in '14/10/2008 13pm'"),
    ],
)
def test_impossible_dates_are_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_datetime(text, NOW)
    assert str(caught.value) == message
    assert isinstance(caught.value, InputError)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "soon",
        "next week",
        "123",
        "2008",
        "14/10/2008 25:00",
        "32/1/2008",
        "0/1/2008",
        "99999999 days ago",
        "99999999999 hours ago",
        "0001-01-01 00:00 +01:00",
        "14/10/2008 19:30 EST",
    ],
)
def test_garbage_is_refused(text: str) -> None:
    with pytest.raises(DateInputError):
        parse_datetime(text, NOW)


def test_unknown_zone_name_is_refused_not_silently_dropped() -> None:
    with pytest.raises(DateInputError, match="unknown time zone in '14/10/2008 19:30 EST'"):
        parse_datetime("14/10/2008 19:30 EST", NOW)


def test_refusal_suggests_forms_that_work() -> None:
    with pytest.raises(DateInputError) as caught:
        parse_datetime("soon", NOW)
    assert str(caught.value) == (
        "cannot read 'soon' as a date "
        "(try 14/10/2008, 2008-10-14 19:30, today, yesterday, tuesday or '2 days ago')"
    )


@pytest.mark.parametrize("written", [False, True])
def test_every_form_a_refusal_suggests_is_read_there(written: bool) -> None:
    """A file's hint offers only what a file may hold; a typed option's, what may be typed."""
    with pytest.raises(DateInputError) as caught:
        parse_datetime("soon", NOW, written=written)
    suggested = re.fullmatch(r"cannot read 'soon' as a date \(try (.+)\)", str(caught.value))
    assert suggested is not None
    forms = [f.strip(" '") for f in re.split(r", | or ", suggested[1])]
    assert len(forms) == (3 if written else 6)
    for form in forms:
        parse_datetime(form, NOW, written=written)


_KNOWN_WORDS = {"now", "today", "yesterday", "tomorrow"} | set(WEEKDAYS)


@given(st.text(alphabet=st.characters(exclude_categories=("Nd",)), max_size=30))
def test_text_without_digits_is_only_ever_a_known_word(text: str) -> None:
    phrase = " ".join(text.split()).lower().removeprefix("last ")
    assume(phrase not in _KNOWN_WORDS)
    with pytest.raises(DateInputError):
        parse_datetime(text, NOW)


@given(st.text(max_size=40) | st.from_regex(r"[0-9/ :.\-TZ+apm]{1,25}", fullmatch=True))
@example("0A-30")  # dateutil reads a 30-hour offset, which Python's datetime cannot hold
@example("2008-10-01T10:00:00+23:99")
def test_any_text_gives_an_aware_datetime_or_a_date_input_error(text: str) -> None:
    # never another exception (a traceback) and never a warning (a second stderr line)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            got = parse_datetime(text, NOW)
        except DateInputError:
            return
    assert got.utcoffset() is not None


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_datetime("today", datetime(2008, 10, 16, 15))


def test_parse_date_accepts_a_plain_date_as_today() -> None:
    assert parse_date("yesterday", date(2008, 10, 16)) == date(2008, 10, 15)
    assert parse_date("2008-10-14 19:30", date(2008, 10, 16)) == date(2008, 10, 14)


# -- stored form and real elapsed time ---------------------------------------------------

whole_minute_offsets = st.integers(min_value=-14 * 60 + 1, max_value=14 * 60 - 1).map(
    lambda m: timezone(timedelta(minutes=m))
)


@given(st.datetimes(timezones=st.timezones() | whole_minute_offsets, allow_imaginary=False))
def test_stored_form_round_trips(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    text = format_datetime(moment)
    back = datetime.fromisoformat(text)  # as the store reads it back
    # compared in UTC: Python never calls a time in a repeated hour equal across zones
    assert back.astimezone(UTC) == moment.astimezone(UTC)
    assert back.utcoffset() == moment.utcoffset()
    assert format_datetime(back) == text


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2100, 12, 31),
        timezones=whole_minute_offsets,
    )
)
def test_stored_form_can_be_typed_back_in(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    assert parse_datetime(format_datetime(moment), NOW) == moment


def test_stored_form_is_iso_to_the_second_with_offset() -> None:
    got = parse_datetime("14/10/2008 19:30", NOW)
    assert format_datetime(got) == "2008-10-14T19:30:00+01:00"
    assert format_datetime(parse_datetime("14/12/2008 19:30", NOW)) == "2008-12-14T19:30:00+00:00"


def test_elapsed_time_across_the_clock_change_is_real_time() -> None:
    # 26 October 2008, 02:00 BST: London clocks go back to 01:00 GMT
    received = parse_datetime("2008-10-25 10:00", NOW)
    dealt_with = parse_datetime("2008-10-26 09:30", NOW)
    assert dealt_with - received == timedelta(hours=24, minutes=30)
    stored = datetime.fromisoformat  # as the store reads it back
    assert stored(format_datetime(dealt_with)) - stored(format_datetime(received)) == timedelta(
        hours=24, minutes=30
    )


def test_order_in_the_repeated_hour_is_real_order() -> None:
    first = parse_datetime("2008-10-26 01:40+01:00", NOW)  # BST, the first 01:40
    later = parse_datetime("2008-10-26 01:10 +00:00", NOW)  # GMT, half an hour afterwards
    assert first < later
    assert later - first == timedelta(minutes=30)


# -- the stored form's fast path ---------------------------------------------------------


def _read(text: str, now: datetime) -> tuple[object, ...]:
    """What parse_datetime gives: the time with its offset and fold, or its error."""
    try:
        got = parse_datetime(text, now)
    except InputError as exc:
        return (type(exc), str(exc))
    return (got, got.utcoffset(), got.fold, got.isoformat())


_ZONES = [LONDON, ZoneInfo("America/St_Johns"), timezone(timedelta(hours=5, minutes=30))]


@given(
    st.integers(1850, 2250),
    st.integers(1, 13),
    st.integers(1, 32),
    st.integers(0, 24),
    st.integers(0, 60),
    st.integers(0, 60),
    st.sampled_from("+-"),
    st.integers(0, 19),
    st.integers(0, 60),
    st.none() | st.integers(0, 60),
    st.sampled_from(_ZONES),
)
@example(2008, 10, 26, 1, 30, 0, "+", 1, 0, None, LONDON)  # the repeated hour, first time
@example(2008, 10, 26, 1, 30, 0, "+", 0, 0, None, LONDON)  # and second
@example(2008, 3, 30, 1, 30, 0, "+", 0, 0, None, LONDON)  # the hour the clocks skip
@example(1899, 12, 31, 23, 59, 59, "-", 1, 0, None, LONDON)  # 1900 in London
@example(2199, 12, 31, 23, 59, 59, "-", 18, 0, None, LONDON)  # 2200 in London
@example(1900, 1, 1, 0, 19, 32, "+", 0, 19, 32, ZoneInfo("Europe/Amsterdam"))
def test_the_stored_forms_fast_path_reads_what_the_forgiving_parser_reads(
    year: int,
    month: int,
    day: int,
    hour: int,
    minute: int,
    second: int,
    sign: str,
    offset_hours: int,
    offset_minutes: int,
    offset_seconds: int | None,
    zone: tzinfo,
) -> None:
    offset = f"{sign}{offset_hours:02d}:{offset_minutes:02d}"
    if offset_seconds is not None:
        offset += f":{offset_seconds:02d}"
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{offset}"
    now = NOW.astimezone(zone)
    first = _read(text, now)
    again = _read(text, now)  # its offset now read before
    with mock.patch.object(dates, "_stored", lambda text, now: None):  # the slow path only
        slow = _read(text, now)
    assert first == again == slow
    # the column form gives the same time, or leaves the cell to parse_datetime
    values, others = dates.parse_stored([None, text, text.lower()], now)
    assert values[0] is None and 0 not in others
    for position in (1, 2):
        got = values[position]
        if position in others:
            assert got is None
        else:
            assert got is not None and (got, got.utcoffset(), got.fold, got.isoformat()) == first


def test_the_column_form_reads_the_stored_form_in_the_zones_offset_at_once() -> None:
    """The export's own cells are read by the column form; anything else is left to the
    forgiving parser (whose value the importer then takes)."""
    texts = [
        "2008-10-03T19:30:00+01:00",  # BST, as stored
        "2008-12-03T19:30:00+00:00",  # GMT, as stored
        "2008-10-03T18:30:00+00:00",  # the same instant as the first, in another offset
        "03/10/2008 19:30",
        "2008-02-30T10:00:00+00:00",
        "1899-12-31T23:59:59+00:00",
        None,
    ]
    values, others = dates.parse_stored(texts, NOW)
    assert others == [2, 3, 4, 5]
    assert values[:2] == [parse_datetime(t, NOW) for t in texts[:2] if t is not None]
    assert values[2:] == [None] * 5


def test_written_dates_refuse_what_depends_on_the_day_read() -> None:
    from pledgetrack.domain.dates import DateInputError, parse_datetime

    now = datetime(2008, 10, 16, 15, 0, tzinfo=ZoneInfo("Europe/London"))
    for text in ("2008-10-14T19:30:00+01:00", "14/10/2008 19:30", "2008-10-14", "14/10/08 7pm"):
        assert parse_datetime(text, now, written=True) == parse_datetime(text, now)
    for text in ("now", "today", "yesterday 7pm", "tuesday", "2 days ago", "14/10", "19:30"):
        parse_datetime(text, now)  # typed: read
        with pytest.raises(DateInputError, match="depends on the day it is read"):
            parse_datetime(text, now, written=True)


# -- a typed date names its day: nothing taken from today but a year or, alone, the day ----

_RELATIVE = re.compile(r"now|today|yesterday|tomorrow|ago|" + "|".join(WEEKDAYS), re.IGNORECASE)
_TOKENS = st.sampled_from(
    ["-", "--", " ", "/", ".", "1", "01", "14", "10", "2008", "08", "1st", "3rd", "14th",
     "oct", "October", "Sept", "19:30", "7pm", "T", ",", "0", "31"]
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("-1", "month"),
        ("- 1", "month"),
        ("--1", "month"),
        ("1st", "month"),
        ("14th", "month"),
        ("-2008", "day"),
        ("Oct 2008", "day"),
        ("10/2008", "day"),
        ("2008-10", "day"),
    ],
)
def test_a_date_without_its_day_or_month_is_refused(text: str, missing: str) -> None:
    """dateutil takes what is missing from today: `-1` was the 1st of this month."""
    with pytest.raises(DateInputError, match=rf"^'{re.escape(text)}' does not name its {missing} "):
        parse_datetime(text, NOW)


# -- a time typed alone, and what dateutil may not fill in or drop -------------------------

ONLY_AFTER_A_DAY = "is read as a time only after a day"
TIME_HELP = "a time is 19:30, 19.30 or 7.30pm"


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("7.30am", 7, 30),
        ("7.30 am", 7, 30),
        ("9.15AM", 9, 15),
        ("3.20pm", 15, 20),
        ("8.50 am", 8, 50),
        # 12 am is the midnight that starts the day, 12 pm noon; 12.59am that hour's last minute
        ("12.00am", 0, 0),
        ("12.30am", 0, 30),
        ("12.59am", 0, 59),
        ("12.00pm", 12, 0),
        ("12.30pm", 12, 30),
        ("1.00am", 1, 0),
        ("11.59pm", 23, 59),
        ("7:30", 7, 30),
        ("0:59", 0, 59),
        ("19:30", 19, 30),
        ("7pm", 19, 0),
        ("7 pm", 19, 0),
        ("9:15am", 9, 15),
    ],
)
def test_a_time_alone_is_today_at_that_time(text: str, hour: int, minute: int) -> None:
    assert parse_datetime(text, NOW) == datetime(2008, 10, 16, hour, minute, tzinfo=BST)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13.00pm", "impossible time in '13.00pm'"),
        ("0.30am", "impossible time in '0.30am'"),
        ("12.60pm", "impossible time in '12.60pm'"),
        ("9.15", "'9.15' is read as a time only after a day (today 9.15); write 9:15 or 9.15am"),
        ("0.59", "'0.59' is read as a time only after a day (today 0.59); write 0:59 or 12.59am"),
        ("12.30", f"'12.30' {ONLY_AFTER_A_DAY} (today 12.30); write 12:30 or 12.30pm"),
        ("23.59", f"'23.59' {ONLY_AFTER_A_DAY} (today 23.59); write 23:59 or 11.59pm"),
        (
            "14.10",
            "'14.10' could be a time or a date; "
            "write 14:10 or 2.10pm for the time, 14/10 for the date",
        ),
        ("24.12", "'24.12' is not a time; write 24/12 for the date"),
        ("9.60", "'9.60' is neither a time nor a date (a time is 19:30, 19.30 or 7.30pm)"),
        # one-digit minutes: 7.5pm is neither 19:05 nor 19:50 nor 19:00
        ("1.5pm", "cannot read the time in '1.5pm' (a time is 19:30, 19.30 or 7.30pm)"),
        (
            "14/10/2008 7.5pm",
            "cannot read the time in '14/10/2008 7.5pm' (a time is 19:30, 19.30 or 7.30pm)",
        ),
        # what dateutil would read another way, or fill in from today
        ("19.30h", "cannot read the time in '19.30h' (a time is 19:30, 19.30 or 7.30pm)"),
        (
            "14/10/2008 0730",
            "cannot read the time in '14/10/2008 0730' (a time is 19:30, 19.30 or 7.30pm)",
        ),
        ("14/10/2008 19", f"cannot read the time in '14/10/2008 19' ({TIME_HELP})"),
        ("Oct 2008", f"'Oct 2008' does not name its day ({dates._HELP})"),
        ("10/2008", f"'10/2008' does not name its day ({dates._HELP})"),
        ("Oct '08", f"\"Oct '08\" does not name its day ({dates._HELP})"),
        ("14th", f"'14th' does not name its month ({dates._HELP})"),
        ("Mon 14/10/2008", "'Mon 14/10/2008': 14/10/2008 is a Tuesday"),
        ("14/10/2008 1 9:30", f"cannot read the time in '14/10/2008 1 9:30' ({TIME_HELP})"),
        ("1.1 1/0", f"cannot read the time in '1.1 1/0' ({TIME_HELP})"),
        # the time was read; the day was not (FRESH4 G6: it said `the time`)
        ("yday 19:30", f"cannot read the date in 'yday 19:30' ({dates._HELP})"),
        ("2008/10/14 19:30", f"cannot read the date in '2008/10/14 19:30' ({dates._HELP})"),
        ("19:30 on someday", f"cannot read the date in '19:30 on someday' ({dates._HELP})"),
    ],
)
def test_a_time_or_date_read_only_in_part_is_refused(text: str, message: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_datetime(text, NOW)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/10", datetime(2008, 10, 14, tzinfo=BST)),  # this year, as people write it
        ("1st oct", datetime(2008, 10, 1, tzinfo=BST)),
        ("19:30", datetime(2008, 10, 16, 19, 30, tzinfo=BST)),  # a time alone: today
        ("7pm", datetime(2008, 10, 16, 19, tzinfo=BST)),
        ("sept 5th 2008", datetime(2008, 9, 5, tzinfo=BST)),
    ],
)
def test_a_year_or_a_whole_day_left_out_is_still_read(text: str, expected: datetime) -> None:
    assert parse_datetime(text, NOW) == expected


@given(st.lists(_TOKENS, min_size=1, max_size=5).map("".join))
def test_every_accepted_typed_date_names_its_day(text: str) -> None:
    """Read on two days of one year (another day and month), an accepted text without a
    relative word gives the same day, unless it is a clock time alone (today's)."""
    assume(not _RELATIVE.search(text) and not dates._TIME_RE.match(text.strip()))
    one, other = datetime(2008, 3, 10, 12, tzinfo=GMT), datetime(2008, 8, 21, 12, tzinfo=BST)
    try:
        first = parse_datetime(text, one)
    except DateInputError:
        return
    assert parse_datetime(text, other).date() == first.date(), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today 9.15am", datetime(2008, 10, 16, 9, 15, tzinfo=BST)),
        ("today 9.15", datetime(2008, 10, 16, 9, 15, tzinfo=BST)),
        ("yesterday 7.30pm", datetime(2008, 10, 15, 19, 30, tzinfo=BST)),
        ("14/10 7.30pm", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("14/10/2008 at 7.30pm", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("14/10/2008 7:30 pm +01:00", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("14/10/2008 19:30 UTC", datetime(2008, 10, 14, 20, 30, tzinfo=BST)),
        ("14/11/2008 19:30 GMT", datetime(2008, 11, 14, 19, 30, tzinfo=GMT)),
        # + is ahead of UTC, as in ISO (dateutil read UTC+1 as an hour behind: 2 hours out)
        ("14/10/2008 10:00 UTC+1", datetime(2008, 10, 14, 10, 0, tzinfo=BST)),
        ("14/10/2008 10:00 UTC+01:00", datetime(2008, 10, 14, 10, 0, tzinfo=BST)),
        ("14/10/2008 10:00 GMT-5", datetime(2008, 10, 14, 16, 0, tzinfo=BST)),
        # a time before the day, as dateutil read `7:30pm 14/10` (but not `7.30pm 14/10`)
        ("7.30pm 14/10", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("7.30pm on 14/10/2008", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("19.30 14/10/2008", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        # a dotted day and month beside a time (dateutil read `14.10` as the 14th of this month)
        ("14.10 19:30", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("14 Oct '08", datetime(2008, 10, 14, tzinfo=BST)),
        ("Tue 14/10/2008", datetime(2008, 10, 14, tzinfo=BST)),
    ],
)
def test_a_time_beside_a_day(text: str, expected: datetime) -> None:
    assert parse_datetime(text, NOW) == expected


def test_a_dotted_day_and_month_is_that_day_in_any_month() -> None:
    december = datetime(2008, 12, 1, 12, tzinfo=LONDON)
    assert parse_datetime("14.10 19:30", december) == datetime(2008, 10, 14, 19, 30, tzinfo=BST)


def _clock_texts(hour: int, minute: int) -> list[str]:
    twelve, half = hour % 12 or 12, "am" if hour < 12 else "pm"
    return [
        f"{hour}:{minute:02d}",
        f"{hour:02d}:{minute:02d}",
        f"{twelve}.{minute:02d}{half}",
        f"{twelve}.{minute:02d} {half.upper()}",
        f"{twelve}:{minute:02d}{half}",
    ] + ([f"{twelve}{half}"] if minute == 0 else [])


_DAYS = ["", "today ", "yesterday ", "tuesday ", "14/10/2008 ", "14/10 ", "2008-10-14 "]
_DAYS += ["14 Oct 2008 ", "14.10.2008 "]


@given(
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(_DAYS),
    st.integers(0, 5),
    st.booleans(),
)
@example(0, 0, "", 2, False)  # 12.00am
@example(12, 30, "", 2, False)  # 12.30pm
@example(0, 59, "", 0, False)  # 0:59
def test_every_accepted_time_keeps_its_hour_and_minute(
    hour: int, minute: int, day: str, form: int, time_first: bool
) -> None:
    """The figures rest on this: a time is read as typed or refused, never shifted."""
    forms = _clock_texts(hour, minute)
    clock = forms[form % len(forms)]
    text = f"{clock} {day}".strip() if time_first and day and day[0].isdigit() else f"{day}{clock}"
    assume(not (hour == 1 and "2008" not in day))  # 01:xx is never skipped or repeated on 16/10
    got = parse_datetime(text, NOW)
    assert (got.hour, got.minute) == (hour, minute), text


@given(
    st.from_regex(r"(today |14/10/2008 |)?\d{1,2}[.:]\d{1,2} ?([ap]m)?", fullmatch=True)
    | st.from_regex(r"\d{1,2}[.:]\d{1,2} ?([ap]m)? \d{1,2}/\d{1,2}(/2008)?", fullmatch=True)
)
def test_a_typed_hour_and_minute_are_never_shifted(text: str) -> None:
    """Whatever is accepted holds the hour and minute as typed (12-hour read as such)."""
    try:
        got = parse_datetime(text, NOW)
    except DateInputError:
        return
    match = re.search(r"(?<![\d/])(\d{1,2})[.:](\d{1,2})(?![\d/])\s*([ap]m)?", text)
    assert match is not None, text
    hour, minute = int(match[1]), int(match[2])
    if match[3]:
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
    assert (got.hour, got.minute) == (hour, minute), text


@given(st.integers(min_value=0, max_value=366 * 24 * 60 - 1))
@example(minute=(299 * 24 + 0) * 60 + 30)  # 26/10/2008 00:30 UTC: 01:30 BST, the first
@example(minute=(299 * 24 + 1) * 60 + 30)  # 01:30 UTC: 01:30 GMT, the second
def test_every_time_a_screen_shows_reads_back_as_that_instant(minute: int) -> None:
    """What short_datetime prints for any minute of 2008 in London, the two 01:30s of
    26 October included, is a time parse_datetime reads as the same instant."""
    moment = (datetime(2008, 1, 1, tzinfo=UTC) + timedelta(minutes=minute)).astimezone(LONDON)
    shown = short_datetime(moment, LONDON, year=0)  # with its year: no yearless reading
    # in UTC: PEP 495 makes a time in the fold unequal to every time of another tzinfo
    assert parse_datetime(shown, NOW).astimezone(UTC) == moment.astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("01/10/2008 00:00", False),  # midnight is the day itself
        ("01/10/2008 00:01", True),  # the first time that is not
        ("01/10/2008 10:00", True),
        ("2008-10-01T10:00", True),
        ("7pm", True),  # a time alone, today
        ("01/10/2008", False),
        ("today", False),  # words whose time is the clock's, not typed
        ("yesterday", False),
        ("tuesday", False),
        ("3 days ago", False),
    ],
)
def test_a_day_only_input_refuses_a_typed_time(text: str, refused: bool) -> None:
    """ATTACK5 B8: `team national --since '01/10/2026 10:00'` dropped the time silently."""
    if refused:
        with pytest.raises(dates.TimeGiven):
            dates.parse_date(text, NOW, day_only=True)
    else:
        dates.parse_date(text, NOW, day_only=True)
    assert dates.parse_date(text, NOW) == dates.parse_date(text, NOW, tense="either")
