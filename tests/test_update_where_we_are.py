"""The public update's "Where we are" in words residents read right (FRESH5 H4, H8, H10).

Through the real CLI on a real database: the `ward` fixture is CW01 with the national
commitments from 1 September 2008 and CW01-L1, two patrols a week agreed then. October
2008 begins on a Wednesday; its last week runs from Monday 27 October to Sunday 2 November.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from conftest import fixed_clock
from helpers import LONDON, Run, ok
from pledgetrack.environment import Environment


@pytest.fixture
def env(env: Environment) -> Environment:
    """Now is after October 2008, so that its actions may be logged."""
    return dataclasses.replace(env, clock=fixed_clock(datetime(2008, 12, 1, 12, tzinfo=LONDON)))


def where(cli: Run, *args: str) -> str:
    """The text update's lines joined, so wrapped sentences read whole."""
    out = ok(cli("report", "update", "CW01", "--format", "txt", *args)).stdout
    return " ".join(out.split())


@pytest.mark.parametrize(
    ("as_of", "said"),
    [
        ("12/10/2008 10:00", "not yet due, nothing recorded so far: due by 20 October 2008"),
        ("13/10/2008 10:00", "due soon, not yet delivered: promised by 20 October 2008"),
        ("19/10/2008 23:59", "due soon, not yet delivered: promised by 20 October 2008"),
        ("20/10/2008 10:00", "due today, not yet delivered: promised by 20 October 2008"),
    ],
)
def test_a_deadline_in_its_last_week_is_due_not_nearly_there(
    ward: Run, as_of: str, said: str
) -> None:
    """Amber means due within 7 days (docs/compliance.md), not nearly done: a closure order
    with nothing logged was "nearly there" on its due day. 8 days before is not amber."""
    ok(ward("pledge", "add", "CW01", "Closure order", "--by", "20/10/2008", "--agreed", "1/9/2008"))
    text = where(ward, "--period", "2008-10", "--as-of", as_of)
    assert f"Where we are: {said}" in text
    assert "nearly there" not in text


def test_a_deadline_with_work_logged_is_in_progress(ward: Run) -> None:
    ref = ok(ward("pledge", "add", "CW01", "Closure order", "--by", "20/10/2008",
                  "--agreed", "1/9/2008")).stdout.strip()  # fmt: skip
    ok(ward("log", ref, "evidence file opened", "--when", "2/10/2008 10:00"))
    text = where(ward, "--period", "2008-10", "--as-of", "5/10/2008 10:00")
    assert "Where we are: in progress: 1 action so far, due by 20 October 2008" in text


@pytest.mark.parametrize(
    ("as_of", "said"),
    [
        # the last day of October: the week from 27 October is still running
        (
            "31/10/2008 23:59",
            "; the week from 27 October is still running: 2 patrols so far, "
            "counted in November's figures",
        ),
        # October over: the week goes to November's figures (the period has ended)
        (
            "01/11/2008 00:00",
            "; the week from 27 October ends in November, so its 2 patrols count in "
            "November's figures",
        ),
    ],
)
def test_the_week_in_progress_is_told_while_the_period_runs(
    ward: Run, as_of: str, said: str
) -> None:
    """FRESH5 H8: on 2 December the Q4 update explained the week from 28 December (in
    January's figures) and not the week in progress, whose patrols "We did" listed."""
    for day in ("27/10/2008 19:00", "28/10/2008 19:00"):
        ok(ward("log", "CW01-L1", "patrol", "--when", day, "--kind", "patrol"))
    text = where(ward, "--period", "2008-10", "--as-of", as_of)
    assert said in text


@pytest.mark.parametrize(
    ("period", "logged", "as_of", "week"),
    [
        # mid-quarter: the quarter's last week (from 29 December) is months ahead
        ("2008-Q4", "13/10/2008 19:00", "15/10/2008 12:00", "13 October"),
        # November 2008 ends on a Sunday: its last week is November's, whole
        ("2008-11", "24/11/2008 19:00", "30/11/2008 12:00", "24 November"),
    ],
)
def test_a_running_week_inside_the_period_names_no_later_month(
    ward: Run, period: str, logged: str, as_of: str, week: str
) -> None:
    ok(ward("log", "CW01-L1", "patrol", "--when", logged, "--kind", "patrol"))
    text = where(ward, "--period", period, "--as-of", as_of)
    assert f"the week from {week} is still running: 1 patrol so far 2 a week" not in text
    assert f"the week from {week} is still running: 1 patrol so far" in text
    assert "counted in" not in text
    assert "29 December" not in text


def test_a_daily_pledge_says_so_far_today(ward: Run) -> None:
    ref = ok(ward("pledge", "add", "CW01", "School gates", "--at-least", "1", "--per", "day",
                  "--agreed", "1/9/2008")).stdout.strip()  # fmt: skip
    ok(ward("log", ref, "gates", "--when", "15/10/2008 08:30"))
    text = where(ward, "--period", "2008-10", "--as-of", "15/10/2008 12:00")
    assert "1 a day promised; so far today: 1 action" in text


def test_no_duty_hours_in_an_ended_month_is_not_kept(ward: Run) -> None:
    """FRESH5 H10: N3 with no hours read "nothing to judge yet" for a month long over,
    which summary and the league count as not green (rules.unrecorded)."""
    ok(ward("pledge", "add", "CW01", "Visible", "--share", "80", "--agreed", "1/9/2008"))
    text = where(ward, "--period", "2008-10", "--as-of", "01/11/2008 00:00")
    assert "Where we are: not counted as kept: no duty hours recorded in October 2008" in text
    assert "Visible in the neighbourhood: no duty hours recorded (not counted as kept)" in text
    ok(ward("duty", "CW01", "--hours", "8", "--when", "3/10/2008 08:00"))
    text = where(ward, "--period", "2008-10", "--as-of", "01/11/2008 00:00")
    assert "Visible in the neighbourhood: 100% of duty time spent" in text
    assert "(not counted as kept)" not in text


def test_a_deadline_after_the_period_is_due_soon_as_the_figures_judged_it(ward: Run) -> None:
    """October's update asked for on 5 November, of a deadline due 3 November: October's
    figure judged it at 31 October, three days before it was due."""
    ok(ward("pledge", "add", "CW01", "Closure order", "--by", "3/11/2008", "--agreed", "1/9/2008"))
    text = where(ward, "--period", "2008-10", "--as-of", "5/11/2008 10:00")
    assert "Where we are: due soon, not yet delivered: promised by 3 November 2008" in text
