"""Trends: the periods before a report's, sparklines, and `summary --trend` / `team show`."""

from __future__ import annotations

import json
from datetime import date

import pytest

from helpers import Run, assert_error, ok
from pledgetrack.domain.periods import Period, parse_period
from pledgetrack.domain.trends import Trend, periods_back
from pledgetrack.exitcodes import ExitCode


def labels(period: str, count: int) -> list[tuple[date, date]]:
    return [(p.start, p.end) for p in periods_back(parse_period(period, date(2008, 10, 16)), count)]


def test_months_quarters_weeks_years_and_ranges_step_back_by_their_own_length() -> None:
    assert labels("2008-03", 3) == [
        (date(2008, 1, 1), date(2008, 1, 31)),
        (date(2008, 2, 1), date(2008, 2, 29)),  # a leap year
        (date(2008, 3, 1), date(2008, 3, 31)),
    ]
    assert labels("2008-Q1", 2) == [
        (date(2007, 10, 1), date(2007, 12, 31)),
        (date(2008, 1, 1), date(2008, 3, 31)),
    ]
    assert labels("2008-W01", 2)[0] == (date(2007, 12, 24), date(2007, 12, 30))
    assert labels("2008", 2)[0] == (date(2007, 1, 1), date(2007, 12, 31))
    # ten days from the 6th: the ten days before it
    ten = Period(date(2008, 10, 6), date(2008, 10, 15), "x")
    earlier = periods_back(ten, 2)[0]
    assert (earlier.start, earlier.end) == (date(2008, 9, 26), date(2008, 10, 5))


def test_sparkline_bars() -> None:
    trend = Trend((0.0, 100.0, None, 50.0, 120.0), ("red", "green", "no-data", "red", "green"))
    assert trend.spark() == "▁█·▅█"
    assert trend.numbers() == [0.0, 100.0, None, 50.0, 120.0]


def _ward(run: Run) -> None:
    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))
    ok(run("meeting", "CW01", "--when", "16/09/2008 19:00"))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_summary_trend_gives_the_numbers_to_programs(cli: Run, fmt: str) -> None:
    _ward(cli)
    args = ("summary", "--period", "2008-10", "--as-of", "2008-11-01", "--trend", "3")
    out = ok(cli(*args, "--format", fmt)).stdout
    if fmt == "json":
        (team,) = json.loads(out)["teams"]
        n7 = next(p for p in team["pledges"] if p["pledge"] == "CW01-N7")
        # August: not yet in force; September: met; October: no meeting
        assert n7["trend"] == [None, 100.0, 0.0]
    else:
        header, *rows = out.splitlines()
        assert header.endswith(",trend")
        assert next(r for r in rows if ",CW01-N7," in r).endswith(",;100;0")


def test_summary_trend_is_a_sparkline_for_people(cli: Run) -> None:
    _ward(cli)
    out = ok(cli("summary", "--period", "2008-10", "--as-of", "2008-11-01", "--trend", "3"))
    line = next(line for line in out.stdout.splitlines() if line.startswith("CW01-N7 "))
    assert line.rstrip().endswith("·█▁")


@pytest.mark.parametrize("count", ["1", "37"])
def test_trend_length_is_checked(cli: Run, count: str) -> None:
    _ward(cli)
    assert_error(
        cli("summary", "--trend", count),
        ExitCode.USAGE,
        f"--trend must be 2 to 36 periods, not {count}",
    )


def test_team_show_has_the_last_six_months(cli: Run) -> None:
    _ward(cli)
    shown = json.loads(ok(cli("team", "show", "CW01", "--format", "json")).stdout)
    months = shown["last_6_months"]
    # May..October 2008 (the clock says 16 October): in force from September
    assert len(months) == 6 and months[:4] == [None] * 4
    table = ok(cli("team", "show", "CW01", "--format", "table")).stdout
    assert "Last 6 months (% green)" in table and "····" in table
