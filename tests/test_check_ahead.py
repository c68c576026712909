"""`check` warns of a frequency pledge still short while the unit can still be met
(falling-short), and `agenda` lists what it warns of (rules.shortfall; FRESH3 F11).

CW01-L1 is two patrols a week, agreed Monday 1 September 2008. The week of 20-26 October
2008 is the week the clocks go back (Sunday 26th, 02:00 BST): it ends at 23:59 GMT.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

import pytest

from conftest import fixed_clock
from helpers import LONDON, Run, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode


@pytest.fixture
def env(env: Environment) -> Environment:
    """Now is after every moment asked about, so that actions in them may be logged."""
    return dataclasses.replace(env, clock=fixed_clock(datetime(2008, 12, 1, 12, tzinfo=LONDON)))


def findings(run: Run, as_of: str, among: str = "CW01-L") -> list[dict[str, Any]]:
    """check's falling-short findings for the pledges whose ref starts with `among` (the
    local ones: in October's last week the monthly meeting and update are short too)."""
    result = run("check", "--team", "CW01", "--as-of", as_of, "-f", "json")
    assert result.exit_code in (ExitCode.OK, ExitCode.PROBLEMS_FOUND), result.stderr
    return [
        f
        for f in json.loads(result.stdout)
        if f["kind"] == "falling-short" and f["ref"].startswith(among)
    ]


def listed_today(run: Run, as_of: str, among: str = "CW01-L") -> set[str]:
    """The frequency pledges `agenda --days 0` lists: due today, or warned of by check."""
    result = ok(run("agenda", "--team", "CW01", "--as-of", as_of, "--days", "0", "-f", "json"))
    items = json.loads(result.stdout)
    return {i["ref"] for i in items if i["kind"] == "frequency" and i["ref"].startswith(among)}


@pytest.mark.parametrize(
    ("as_of", "warned"),
    [
        ("24/10/2008 23:59", False),  # Friday: two days left for two patrols
        ("25/10/2008 00:00", True),  # Saturday: the weekend, the week's last two days
        ("26/10/2008 23:59 GMT", True),  # the last minute of the week, after the clocks went back
        ("27/10/2008 00:00", False),  # a new week, 0 of 2 on its Monday
    ],
)
def test_the_weekend_of_a_week_short_is_warned_and_agenda_agrees(
    ward: Run, as_of: str, warned: bool
) -> None:
    ok(ward("log", "CW01-L1", "Patrol", "--when", "21/10/2008 19:00", "--kind", "patrol"))
    found = findings(ward, as_of)
    refs = {f["ref"] for f in found}
    assert refs == ({"CW01-L1"} if warned else set())
    assert listed_today(ward, as_of) & {"CW01-L1"} == refs  # agenda and check agree


def test_zero_of_two_on_saturday_names_the_count_and_the_day(ward: Run) -> None:
    (found,) = findings(ward, "25/10/2008 10:00")
    assert found["message"] == "0 of 2 this week; 2 more by 2008-10-26"
    plain = ward("check", "--team", "CW01", "--as-of", "25/10/2008 10:00", "-f", "plain")
    assert plain.exit_code == ExitCode.PROBLEMS_FOUND  # the cron mail
    assert "CW01-L1  falling-short  0 of 2 this week; 2 more by Sun 26/10" in plain.stdout
    (item,) = [i for i in json.loads(ok(ward(
        "agenda", "--team", "CW01", "--as-of", "25/10/2008 10:00", "-f", "json"
    )).stdout) if i["ref"] == "CW01-L1"]  # fmt: skip
    assert (item["now"], item["todo"]) == ("0 of 2 this week", "2 more by tomorrow")
    assert item["due"] == "2008-10-26T23:59:59+00:00"  # midnight GMT, the clocks gone back


def test_a_unit_met_is_not_warned(ward: Run) -> None:
    for day in ("21/10/2008 19:00", "25/10/2008 09:00"):
        ok(ward("log", "CW01-L1", "Patrol", "--when", day, "--kind", "patrol"))
    assert findings(ward, "25/10/2008 10:00") == []
    assert listed_today(ward, "25/10/2008 10:00") == set()


def test_a_week_the_pledge_was_not_in_force_for_is_neither_warned_nor_on_the_agenda(
    ward: Run,
) -> None:
    ok(ward("pledge", "add", "CW01", "Leafleting", "--at-least", "2", "--per", "week",
            "--agreed", "21/10/2008"))  # fmt: skip  # a Tuesday: first judged from 27 Oct
    assert {f["ref"] for f in findings(ward, "25/10/2008 10:00")} == {"CW01-L1"}
    agenda = json.loads(ok(ward("agenda", "--team", "CW01", "--as-of", "25/10/2008 10:00",
                                "-f", "json")).stdout)  # fmt: skip
    assert "CW01-L2" not in {i["ref"] for i in agenda}
    # the next week is its first: warned on its Saturday
    assert {f["ref"] for f in findings(ward, "01/11/2008 10:00")} == {"CW01-L1", "CW01-L2"}


def test_a_pledge_agreed_on_the_week_s_monday_is_warned_that_week(ward: Run) -> None:
    ok(ward("pledge", "add", "CW01", "Leafleting", "--at-least", "2", "--per", "week",
            "--agreed", "20/10/2008"))  # fmt: skip
    assert {f["ref"] for f in findings(ward, "25/10/2008 10:00")} == {"CW01-L1", "CW01-L2"}


def test_a_closed_pledge_is_not_warned(ward: Run) -> None:
    ok(ward("pledge", "close", "CW01-L1", "--status", "withdrawn", "--outcome", "park closed",
            "--on", "26/10/2008"))  # fmt: skip
    # as things stood on the Saturday it was open and short; from its closing day, nothing
    assert [f["ref"] for f in findings(ward, "25/10/2008 10:00")] == ["CW01-L1"]
    assert findings(ward, "26/10/2008 00:00") == []
    assert listed_today(ward, "26/10/2008 00:00") == set()


@pytest.mark.parametrize(
    ("as_of", "warned"),
    [("23/10/2008 23:59", False), ("24/10/2008 00:00", True), ("31/10/2008 23:59 GMT", True)],
)
def test_the_month_s_meeting_is_warned_in_its_last_week(
    ward: Run, as_of: str, warned: bool
) -> None:
    found = {f["ref"]: f["message"] for f in findings(ward, as_of, "CW01-N")}
    assert ("CW01-N7" in found) is warned  # a month: 7 days ahead, as a deadline is
    if warned:
        assert found["CW01-N7"] == "0 of 1 this month; 1 more by 2008-10-31"
    assert ("CW01-N7" in listed_today(ward, as_of, "CW01-N")) is warned
