"""`agenda`: what is still to do, by when, most urgent first, on constructed histories.

The clock is Thursday 16 October 2008, 15:00 BST (helpers.NOW).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from helpers import Run, assert_error, ok
from pledgetrack.exitcodes import ExitCode


def agenda(run: Run, *args: str) -> list[dict[str, Any]]:
    result = ok(run("agenda", "--team", "CW01", "--format", "json", *args))
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def by_ref(items: list[dict[str, Any]], ref: str) -> list[dict[str, Any]]:
    return [i for i in items if i["ref"] == ref]


def test_a_weekly_pledge_one_short_on_thursday(ward: Run) -> None:
    # Sunday 23:59 is last week; Monday 00:00 is this week's first minute
    ok(ward("log", "CW01-L1", "Patrol", "--when", "12/10/2008 23:59", "--kind", "patrol"))
    ok(ward("log", "CW01-L1", "Patrol", "--when", "13/10/2008 00:00", "--kind", "patrol"))
    # another kind does not count: the agenda counts as summary does
    ok(ward("log", "CW01-L1", "Leaflets", "--when", "14/10/2008 10:00", "--kind", "leaflet"))
    (item,) = by_ref(agenda(ward), "CW01-L1")
    assert item["now"] == "1 of 2 this week"
    assert item["todo"] == "1 more by Sun"  # the day and time are Due's, said once
    assert item["due"] == "2008-10-19T23:59:59+01:00"

    table = ok(ward("agenda", "--team", "CW01")).stdout
    line = next(line for line in table.splitlines() if "CW01-L1" in line)
    assert "Castle Park patrols" in line and "1 of 2 this week" in line
    # plain text (piped, a cron mail) is for people: the due time as the table says it, the
    # pledge's title once (What), no key for programs (kind: Now and To do say it)
    assert line == "CW01-L1  Castle Park patrols  1 of 2 this week  1 more by Sun  19/10 23:59"


def test_a_pledge_met_this_week_is_not_on_the_agenda(ward: Run) -> None:
    for day in ("13/10/2008 09:00", "16/10/2008 14:59"):
        ok(ward("log", "CW01-L1", "Patrol", "--when", day, "--kind", "patrol"))
    assert by_ref(agenda(ward), "CW01-L1") == []


def test_a_message_20_hours_old_has_4_hours_left(ward: Run) -> None:
    ok(ward("message", "CW01", "--received", "15/10/2008 19:00", "--open"))
    (item,) = by_ref(agenda(ward), "CW01-N4")
    assert item["now"].endswith("open 20h")
    assert item["todo"] == "4h left"


@pytest.mark.parametrize(
    ("received", "todo"),
    [
        ("15/10/2008 15:00", "0m left"),  # exactly 24 hours
        ("15/10/2008 14:59", "late by 1m"),
    ],
)
def test_a_message_is_late_only_after_24_hours(ward: Run, received: str, todo: str) -> None:
    ok(ward("message", "CW01", "--received", received, "--open"))
    (item,) = by_ref(agenda(ward), "CW01-N4")
    assert item["todo"] == todo


def test_late_items_come_first(ward: Run) -> None:
    ok(ward("message", "CW01", "--received", "14/10/2008 09:00", "--open"))
    ok(ward("message", "CW01", "--received", "16/10/2008 09:00", "--open"))
    items = agenda(ward)
    assert items[0]["todo"].startswith("late by") and items[0]["ref"] == "CW01-N4"
    assert [i["due"] for i in items] == sorted(i["due"] for i in items)


def test_a_monthly_meeting_not_yet_held_on_the_25th(ward: Run) -> None:
    items = agenda(ward, "--as-of", "25/10/2008 12:00")
    (meeting,) = by_ref(items, "CW01-N7")
    assert meeting["now"] == "0 of 1 this month"
    assert meeting["todo"] == "1 more by Fri"
    (update,) = by_ref(items, "CW01-N8")  # the monthly progress update likewise
    assert update["now"] == "0 of 1 this month"
    # on the 10th the month's end is beyond the 7-day window; --days reaches it
    assert by_ref(agenda(ward, "--as-of", "10/10/2008 12:00"), "CW01-N7") == []
    assert len(by_ref(agenda(ward, "--as-of", "10/10/2008 12:00", "--days", "21"), "CW01-N7")) == 1


def test_a_meeting_held_this_month_takes_it_off(ward: Run) -> None:
    ok(ward("meeting", "CW01", "--when", "02/10/2008 19:00"))
    assert by_ref(agenda(ward, "--as-of", "25/10/2008 12:00"), "CW01-N7") == []


def test_deadlines_and_reviews_within_the_window(ward: Run) -> None:
    ok(ward("pledge", "add", "CW01", "Lights", "--by", "23/10/2008", "--agreed", "01/10/2008"))
    ok(ward("pledge", "add", "CW01", "Bins", "--by", "24/10/2008", "--agreed", "01/10/2008"))
    ok(ward("pledge", "edit", "CW01-L1", "--review", "20/10/2008"))
    items = agenda(ward)
    # a week ahead on a Thursday: "by Thu" would read as today's; the date cannot
    assert [i["todo"] for i in by_ref(items, "CW01-L2")] == ["deliver by 23/10"]
    assert by_ref(items, "CW01-L3") == []  # the 24th is 8 days ahead
    assert [i["todo"] for i in by_ref(items, "CW01-L1") if i["kind"] == "review"] == [
        "review by Mon"
    ]
    late = agenda(ward, "--as-of", "21/10/2008 00:00")  # the day after the review was due
    assert [(i["now"], i["todo"]) for i in by_ref(late, "CW01-L1") if i["kind"] == "review"] == [
        ("review overdue", "review now")
    ]
    # delivered: off the agenda
    ok(ward("log", "CW01-L2", "Lights ordered", "--when", "16/10/2008 09:00"))  # progress only
    assert len(by_ref(agenda(ward), "CW01-L2")) == 1
    ok(ward("log", "CW01-L2", "Lights fixed", "--when", "16/10/2008 10:00", "--delivers"))
    assert by_ref(agenda(ward), "CW01-L2") == []


def test_a_deadline_delivered_late_is_off_the_agenda(ward: Run) -> None:
    """Delivered after its day is red in summary ("delivered late"), but nothing is left
    to do: the agenda uses the same delivered rule and drops it."""
    ok(ward("pledge", "add", "CW01", "Lights", "--by", "11/10/2008", "--agreed", "01/10/2008"))
    ok(ward("log", "CW01-L2", "Lights fixed", "--when", "15/10/2008 10:00", "--delivers"))
    before = agenda(ward, "--as-of", "15/10/2008 09:59")
    assert [(i["now"], i["todo"]) for i in by_ref(before, "CW01-L2")] == [
        ("not delivered", "deliver now")
    ]
    assert by_ref(agenda(ward, "--as-of", "15/10/2008 10:00"), "CW01-L2") == []
    summary = ok(ward("summary", "--team", "CW01", "--format", "csv", "--as-of", "16/10/2008",
                      "--columns", "ref,status,detail"))  # fmt: skip
    assert 'CW01-L2,red,"due 2008-10-11, delivered late, 2008-10-15"' in summary.stdout


def test_every_line_names_its_pledge_and_the_view_exits_0(ward: Run) -> None:
    ok(ward("message", "CW01", "--received", "14/10/2008 09:00", "--open"))
    result = ok(ward("agenda", "--format", "csv", "--as-of", "25/10/2008 12:00"))
    lines = result.stdout.splitlines()
    assert lines[0] == "team,ref,description,now,todo,due,case,kind,title"
    assert len(lines) > 2 and all(",CW01-" in line for line in lines[1:])


def test_an_open_item_says_which_message_or_victim_it_is(ward: Run) -> None:
    """The sergeant sees which victim to call and which message to answer: the item's own
    description, and its case or reference, not only the pledge's title."""
    ok(ward("victim-update", "CW01", "--case", "le/99/26", "--when", "01/10/2008 10:00"))
    ok(ward("message", "CW01", "--received", "16/10/2008 09:00", "--open", "--ref", "EM-1234",
            "--note", "parking on the verge"))  # fmt: skip
    items = agenda(ward, "--as-of", "16/10/2008 10:00", "--days", "20")
    victim = next(i for i in items if i["ref"] == "CW01-N9")
    assert victim["description"] == "Victim update, case LE/99/26"
    assert victim["case"] == "LE/99/26" and victim["title"] == "Victims kept informed"
    message = next(i for i in items if i["case"] == "EM-1234")
    assert message["description"] == "Message to the team: parking on the verge"
    # a pledge's own line: its title, no case
    weekly = next(i for i in items if i["ref"] == "CW01-L1")
    assert weekly["description"] == "Castle Park patrols" and weekly["case"] is None
    chosen = ok(ward("agenda", "--as-of", "16/10/2008 10:00", "--days", "20", "-f", "plain",
                     "--columns", "ref,description,case"))  # fmt: skip
    line = next(line for line in chosen.stdout.splitlines() if line.startswith("CW01-N9"))
    assert line.split() == ["CW01-N9", "Victim", "update,", "case", "LE/99/26", "LE/99/26"]


def test_nothing_due_says_so_on_stderr(cli: Run) -> None:
    ok(cli("team", "add", "QU01", "--name", "Quiet", "--no-national"))
    result = ok(cli("agenda", "--team", "QU01"))
    assert result.stdout == ""
    assert "nothing due" in result.stderr


@pytest.mark.parametrize(
    ("answered", "said"),
    [
        # within the limit: nothing to do, and nothing behind
        ("11/10/2008 09:00", "no pledge is red in October 2008 so far"),
        # a minute late, the one reply, so 0%: red, though nothing is left to do
        ("11/10/2008 09:01", "red in October 2008 so far: QU01-L1 (pledgetrack check says why)"),
    ],
)
def test_nothing_due_is_not_all_on_track(cli: Run, answered: str, said: str) -> None:
    """An agenda with nothing due named no pledge behind while `check` reported it red
    (FRESH5 H21: `nothing due: every pledge is on track`)."""
    ok(cli("team", "add", "QU01", "--name", "Quiet", "--no-national"))
    ok(cli("pledge", "add", "QU01", "Replies", "--within", "24h", "--agreed", "01/09/2008"))
    received = ("--received", "10/10/2008 09:00", "--when", answered)
    ok(cli("log", "QU01-L1", "Reply to a resident", *received))
    result = ok(cli("agenda", "--team", "QU01", "--days", "1"))
    assert result.stdout == ""
    assert result.stderr == f"nothing due in the next 1 day; {said}\n"
    check = cli("check", "--team", "QU01")
    assert (check.exit_code == ExitCode.PROBLEMS_FOUND) == ("QU01-L1 (" in said), check.stdout


@pytest.mark.parametrize("days", ["-1", "367", "1000000000"])
def test_days_out_of_range_is_bad_input(ward: Run, days: str) -> None:
    assert_error(
        ward("agenda", "--days", days), ExitCode.USAGE, f"--days must be 0 to 366, not {days}"
    )


def test_a_year_ahead_is_allowed(ward: Run) -> None:
    assert by_ref(agenda(ward, "--days", "366"), "CW01-N7")  # the month's meeting is due


def test_the_week_ends_at_midnight_gmt_after_the_clocks_go_back(ward: Run) -> None:
    # the week of 20 October 2008 began in summer time; it ends on Sunday 26th, in GMT
    (item,) = by_ref(agenda(ward, "--as-of", "23/10/2008 10:00"), "CW01-L1")
    assert item["due"] == "2008-10-26T23:59:59+00:00"
    assert item["todo"] == "2 more by Sun"


@pytest.mark.parametrize("typed", ["cw01", " Cw01 "])
def test_the_title_names_the_team_as_stored_not_as_typed(ward: Run, typed: str) -> None:
    plain = ok(ward("agenda", "--team", typed, "--format", "plain")).stdout
    assert plain.splitlines()[0] == "Agenda CW01, next 7 days from Thu 16/10 15:00"
    default = ok(ward("agenda", "--format", "plain")).stdout
    assert default.splitlines()[0] == "Agenda all teams, next 7 days from Thu 16/10 15:00"


@pytest.mark.parametrize(
    ("as_of", "todo"),
    [
        ("31/10/2008 23:00", "1 more today"),  # the due day's evening: not "by Fri" (G18)
        ("31/10/2008 00:00", "1 more today"),
        ("30/10/2008 23:59", "1 more by tomorrow"),
        ("25/10/2008 12:00", "1 more by Fri"),  # six days ahead: the weekday is one
        ("24/10/2008 12:00", "1 more by 31/10"),  # seven: a weekday would be next week's too
    ],
)
def test_the_monthly_meeting_s_day_is_said_so_it_cannot_be_misread(
    ward: Run, as_of: str, todo: str
) -> None:
    (meeting,) = by_ref(agenda(ward, "--as-of", as_of, "--days", "21"), "CW01-N7")
    assert meeting["todo"] == todo


def test_a_deadline_and_a_review_due_today_say_today(ward: Run) -> None:
    ok(ward("pledge", "add", "CW01", "Lights", "--by", "16/10/2008", "--agreed", "01/10/2008"))
    ok(ward("pledge", "edit", "CW01-L1", "--review", "17/10/2008"))
    items = agenda(ward, "--as-of", "16/10/2008 20:00")
    assert [i["todo"] for i in by_ref(items, "CW01-L2")] == ["deliver today"]
    assert [i["todo"] for i in by_ref(items, "CW01-L1") if i["kind"] == "review"] == [
        "review by tomorrow"
    ]


@pytest.mark.parametrize(
    ("starts", "todo"),
    [
        ("31/10/2008 23:59", "1 more by 31/10; announced Fri 31/10 23:59"),  # in the month
        ("01/11/2008 00:00", "1 more by 31/10"),  # November's: not this month's meeting
    ],
)
def test_an_announced_meeting_is_said_beside_the_month_s_meeting_still_to_hold(
    ward: Run, starts: str, todo: str
) -> None:
    """`0 of 1 this month` alone told a sergeant who had called the meeting nothing of it
    (FRESH4 G18): the announcement is said while it falls in the month; held and logged
    with `meeting`, it counts."""
    ok(ward("next-meeting", "CW01", "--when", starts, "--place", "Castle Community Centre"))
    (item,) = by_ref(agenda(ward, "--days", "31"), "CW01-N7")
    assert (item["now"], item["todo"]) == ("0 of 1 this month", todo)
