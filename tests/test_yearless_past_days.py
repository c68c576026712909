"""A day and month typed without its year where the time must be past (`--when`,
`--received`, `respond --when`, `pledge close --on`): the latest such day, up to half a
year back, so `30/12` typed on 2 January is three days ago, not next December "in the
future". Dates that may be in the future (a review date, the next meeting) keep this
year's reading."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import Result

from conftest import fixed_clock, invoke
from helpers import LONDON, Run, assert_error, ok
from pledgetrack.domain.dates import (
    YEARLESS_PAST,
    DateInputError,
    localise,
    parse_date,
    parse_datetime,
)
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode


def _at(day: date, hour: int = 10) -> datetime:
    return localise(day, time(hour), LONDON)


def _typed(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}"


# --- the rule, pure -------------------------------------------------------------------


@given(
    st.dates(min_value=date(1911, 1, 1), max_value=date(2190, 12, 31)),
    st.dates(min_value=date(1910, 1, 1), max_value=date(2191, 12, 31)),
)
@example(date(2027, 1, 2), date(2026, 12, 30))
@example(date(2027, 1, 1), date(2026, 12, 31))
@example(date(2028, 3, 1), date(2028, 2, 29))
def test_a_yearless_past_day_is_the_latest_such_day_within_half_a_year(
    today: date, day: date
) -> None:
    """Whatever the day: this year's when it is not after today; else last year's when
    that is at most YEARLESS_PAST back; else refused."""
    now = _at(today)
    this, last = _on(today.year, day), _on(today.year - 1, day)
    if this is not None and this <= today:
        expected: date | None = this
    elif last is not None and today - last <= YEARLESS_PAST:
        expected = last
    else:
        expected = None
    try:
        read = parse_date(_typed(day), now, tense="past")
    except DateInputError:
        assert expected is None
        return
    assert read == expected
    # the same reading for a time of that day, where it is not after now
    moment = parse_datetime(f"{_typed(day)} 09:00", now, not_after=now)
    assert moment.date() == read


def _on(year: int, day: date) -> date | None:
    """That day and month in `year`, if the year has it (29 February)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return None


@given(st.dates(min_value=date(1911, 1, 1), max_value=date(2190, 12, 31)), st.integers(0, 400))
def test_a_day_that_may_be_in_the_future_keeps_this_year(today: date, ahead: int) -> None:
    day = today + timedelta(days=ahead)
    if day.year != today.year or (day.month, day.day) == (2, 29):
        return
    assert parse_date(_typed(day), _at(today)) == day


@pytest.mark.parametrize(
    ("today", "typed", "expected"),
    [
        (date(2027, 1, 1), "31/12", date(2026, 12, 31)),  # yesterday
        (date(2027, 1, 1), "01/01", date(2027, 1, 1)),  # today is this year's
        (date(2026, 12, 31), "31/12", date(2026, 12, 31)),
        (date(2026, 12, 31), "01/01", date(2026, 1, 1)),  # no year turned: this year's
        (date(2027, 1, 2), "30 Dec", date(2026, 12, 30)),  # a month named
        (date(2027, 1, 2), "Wed 30/12", date(2026, 12, 30)),  # its weekday then, not next's
        (date(2028, 3, 1), "29/02", date(2028, 2, 29)),  # a leap day, yesterday
        (date(2027, 7, 2), "01/01", date(2027, 1, 1)),  # 182 days back, this year's anyway
        (date(2027, 7, 2), "02/07", date(2027, 7, 2)),
    ],
)
def test_yearless_past_days(today: date, typed: str, expected: date) -> None:
    assert parse_date(typed, _at(today), tense="past") == expected


def test_the_window_is_half_a_year_to_the_day() -> None:
    """183 days back is taken; 184 is refused, naming the year read and last year's."""
    today = date(2027, 6, 1)
    assert today - YEARLESS_PAST == date(2026, 11, 30)
    assert parse_date("30/11", _at(today), tense="past") == date(2026, 11, 30)
    with pytest.raises(DateInputError) as refused:
        parse_date("29/11", _at(today), tense="past")
    assert str(refused.value) == (
        "'29/11' has no year: this year's, 29/11/2027, is still to come, and last year's, "
        "29/11/2026, is more than six months back; write the one you mean with its year "
        "(DD/MM/YYYY)"
    )


def test_a_leap_day_last_year_never_had_is_refused_naming_this_year() -> None:
    with pytest.raises(DateInputError) as refused:
        parse_date("29/02", _at(date(2028, 2, 28)), tense="past")
    assert str(refused.value) == (
        "'29/02' has no year: this year's, 29/02/2028, is still to come, and 2027 had no "
        "29/02; write the one you mean with its year (DD/MM/YYYY)"
    )


def test_the_exact_moment_now() -> None:
    """A time today is this year's whatever its hour (a later one is refused as in the
    future by the caller, never moved a year back)."""
    now = _at(date(2027, 1, 2))
    assert parse_datetime("02/01 10:00", now, not_after=now) == now
    assert parse_datetime("02/01 10:01", now, not_after=now).date() == date(2027, 1, 2)


# --- through the CLI, the clock pinned at 2 January 2027, 10:00 ------------------------------

_NOW = datetime(2027, 1, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def january(env: Environment) -> Run:
    pinned = dataclasses.replace(env, clock=fixed_clock(_NOW))
    db = str(env.data_dir.parent / "jan.db")

    def run(*args: str, input: str | None = None) -> Result:
        return invoke(["--db", db, *args], pinned, input)

    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/09/2026"))
    ok(run("pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
           "--agreed", "01/09/2026"))  # fmt: skip
    return run


def _stored(run: Run, column: str) -> list[str]:
    rows = ok(run("actions", "-f", "csv", "--include-void")).stdout.splitlines()
    header = rows[0].split(",")
    return [row.split(",")[header.index(column)] for row in rows[1:]]


def test_the_christmas_backlog_is_last_year_s(january: Run) -> None:
    run = january
    ok(run("log", "CW01-L1", "Patrol", "--kind", "patrol", "--when", "30/12 19:30"))
    ok(run("log", "CW01-L1", "Patrol", "--kind", "patrol", "--when", "30 Dec 19:30"))
    ok(run("message", "CW01", "--received", "31/12 16:00", "--open"))
    ok(run("respond", "3", "--when", "01/01 09:00"))
    assert sorted(_stored(run, "when")) == [
        "2026-12-30T19:30:00+00:00", "2026-12-30T19:30:00+00:00", "2027-01-01T09:00:00+00:00",
    ]  # fmt: skip
    assert _stored(run, "received")[0] == "2026-12-31T16:00:00+00:00"


def test_a_yearless_day_ahead_is_refused_naming_the_year(january: Run) -> None:
    assert_error(
        january("log", "CW01-L1", "Patrol", "--when", "03/01 19:30"),
        ExitCode.USAGE,
        "--when: '03/01 19:30' has no year: this year's, 03/01/2027, is still to come, and "
        "last year's, 03/01/2026, is more than six months back; write the one you mean with "
        "its year (DD/MM/YYYY)",
    )
    # today, a few minutes on: in the future, as any time is (never moved a year back)
    assert_error(
        january("message", "CW01", "--received", "02/01 10:06", "--open"),
        ExitCode.USAGE,
        "--received 02/01 10:06 is in the future",
    )
    ok(january("message", "CW01", "--received", "02/01 10:00", "--open"))


def test_pledge_close_on_a_yearless_day_is_last_year_s(january: Run) -> None:
    ok(january("pledge", "close", "CW01-L1", "--status", "achieved", "--outcome", "done",
               "--on", "31/12"))  # fmt: skip
    shown = ok(january("pledge", "show", "CW01-L1", "-f", "json")).stdout
    assert '"closed_on": "2026-12-31"' in shown


def test_days_that_may_be_ahead_keep_this_year(january: Run) -> None:
    """A review date and the next meeting are in the future: 30/12 is this December."""
    ok(january("pledge", "add", "CW01", "Lights", "--at-least", "1", "--per", "month",
               "--review", "30/12"))  # fmt: skip
    shown = ok(january("pledge", "show", "CW01-L2", "-f", "json")).stdout
    assert '"review_on": "2027-12-30"' in shown
    said = ok(january("next-meeting", "CW01", "--when", "30/12 19:00", "--place", "Hall"))
    assert said.stdout == "2027-12-30T19:00:00+00:00\n"
