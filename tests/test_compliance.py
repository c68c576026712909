"""The worked examples of docs/compliance.md, through the real CLI on a real database."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import fixed_clock
from helpers import LONDON, Run, assert_error, fails, nothing_written, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode

PATROL_DAYS = ["30/09/2008", "02/10/2008", "07/10/2008", "14/10/2008", "15/10/2008",
               "18/10/2008", "21/10/2008", "25/10/2008", "28/10/2008"]  # fmt: skip


def summary(cli: Run, *args: str) -> dict[str, dict[str, Any]]:
    """`summary --format json`, as {pledge ref: row}."""
    doc = json.loads(ok(cli("summary", "--format", "json", *args)).stdout)
    return {row["pledge"]: row for team in doc["teams"] for row in team["pledges"]}


def add(cli: Run, *args: str) -> str:
    return ok(cli("pledge", "add", *args)).stdout.strip()


def log(cli: Run, *args: str) -> int:
    return int(ok(cli("log", *args)).stdout)


@pytest.fixture
def env(env: Environment) -> Environment:
    """Reports look back: here "now" is after every example, so no action is in the future."""
    return dataclasses.replace(env, clock=fixed_clock(datetime(2009, 1, 15, 12, tzinfo=LONDON)))


@pytest.fixture
def team(cli: Run) -> str:
    """CW01 with local pledges only: these examples are about the rules, not the national set."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--force", "Leicestershire Police",
           "--no-national"))  # fmt: skip
    return "CW01"


@pytest.fixture
def patrols(cli: Run, team: str) -> str:
    """Worked example 1: two patrols a week, agreed 10 Sep 2008, patrols as in the doc."""
    ref = add(cli, team, "Two patrols a week in Castle Park", "--at-least", "2", "--per", "week",
              "--action-kind", "patrol", "--agreed", "10/09/2008")  # fmt: skip
    for day in PATROL_DAYS:
        log(cli, ref, "High-visibility patrol", "--when", f"{day} 19:00", "--kind", "patrol")
    return ref


def test_example_1_week_straddling_two_months(cli: Run, patrols: str) -> None:
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[patrols]
    assert row["actual"] == 8
    assert row["expected"] == 8
    assert row["compliance_pct"] == 75.0
    assert row["status"] == "red"
    assert row["last_action"] == "2008-10-28"
    assert row["detail"] == "3 of 4 weeks met"
    assert row["target"] == "at least 2 per week (kind: patrol)"


def test_example_2_week_in_progress_is_so_far(cli: Run, patrols: str) -> None:
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-10-29 12:00")[patrols]
    assert row["detail"] == "3 of 4 weeks met; so far this week: 1 of 2"
    assert row["compliance_pct"] == 75.0


def test_actions_after_as_of_are_ignored(cli: Run, patrols: str) -> None:
    row = summary(cli, "--period", "2008-W42", "--as-of", "2008-10-20 00:00")[patrols]
    assert (row["actual"], row["status"]) == (3, "green")
    # as things stood at 18:00 on the 18th, the 19:00 patrol had not happened and the week ran on
    row = summary(cli, "--period", "2008-W42", "--as-of", "2008-10-18 18:00")[patrols]
    assert (row["expected"], row["status"], row["detail"]) == (
        0,
        "no-data",
        "so far this week: 2 of 2",
    )


def test_actions_of_another_kind_do_not_count(cli: Run, patrols: str) -> None:
    log(cli, patrols, "Leaflet drop", "--when", "08/10/2008", "--kind", "leaflet")
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[patrols]
    assert (row["actual"], row["compliance_pct"]) == (8, 75.0)


def test_example_3_pledge_agreed_mid_week(cli: Run, team: str) -> None:
    ref = add(
        cli, team, "Weekly surgery", "--at-least", "1", "--per", "week", "--agreed", "15/10/2008"
    )
    log(cli, ref, "Surgery", "--when", "16/10/2008")
    log(cli, ref, "Surgery", "--when", "22/10/2008")
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[ref]
    assert (row["expected"], row["actual"], row["compliance_pct"]) == (1, 1, 100.0)


def test_example_4_voided_action_no_longer_counts(cli: Run, patrols: str) -> None:
    ids = json.loads(
        ok(cli("actions", "--from", "25/10/2008", "--to", "25/10/2008", "-f", "json")).stdout
    )
    ok(cli("void", str(ids[0]["id"]), "--reason", "logged against the wrong park"))
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[patrols]
    assert (row["actual"], row["compliance_pct"], row["status"]) == (7, 50.0, "red")


def test_example_5_closed_pledge(cli: Run, patrols: str) -> None:
    # what was logged after the 15th is voided first: pledge close keeps every counted action
    later = json.loads(ok(cli("actions", "--from", "16/10/2008", "-f", "json")).stdout)
    for action in later:
        ok(cli("void", str(action["id"]), "--reason", "logged after the park works began"))
    ok(cli("pledge", "close", patrols, "--status", "withdrawn", "--outcome", "Park works",
           "--on", "15/10/2008"))  # fmt: skip
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[patrols]
    assert (row["expected"], row["compliance_pct"], row["detail"]) == (4, 50.0, "1 of 2 weeks met")
    assert patrols not in summary(cli, "--period", "2008-11", "--as-of", "2008-12-01")
    # before the close was recorded (as of 10 Oct) it was still in force
    early = summary(cli, "--period", "2008-10", "--as-of", "2008-10-10")[patrols]
    assert early["detail"].startswith("1 of 1 week met")


@pytest.fixture
def replies(cli: Run, team: str) -> str:
    return add(
        cli, team, "Reply to messages within 24 hours", "--within", "24h", "--agreed", "01/10/2008"
    )


def test_example_6_response_across_the_clock_change(cli: Run, replies: str) -> None:
    log(
        cli,
        replies,
        "Email about parking",
        "--received",
        "2008-10-25 10:00",
        "--when",
        "2008-10-26 09:30",
    )
    log(
        cli,
        replies,
        "Call about noise",
        "--received",
        "2008-10-25 10:00",
        "--when",
        "2008-10-26 09:00",
    )
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[replies]
    assert (row["actual"], row["expected"], row["compliance_pct"]) == (1, 2, 50.0)
    assert row["detail"] == "median 24h15m, worst 24h30m, 1 breached"


def test_example_7_open_item_pending_then_breached(cli: Run, replies: str) -> None:
    item = log(cli, replies, "Letter about graffiti", "--received", "30/10/2008 09:00", "--open")
    row = summary(cli, "--period", "2008-10", "--as-of", "30/10/2008 20:00")[replies]
    assert (row["status"], row["detail"]) == ("no-data", "1 pending")
    # exactly 24 hours in it is not yet late: pending, so in no worst (FRESH5 H2)
    row = summary(cli, "--period", "2008-10", "--as-of", "31/10/2008 09:00")[replies]
    assert (row["status"], row["detail"]) == ("no-data", "1 pending")
    # past its limit the open item is the worst wait, by its age, said open
    row = summary(cli, "--period", "2008-10", "--as-of", "31/10/2008 10:00")[replies]
    assert (row["status"], row["compliance_pct"], row["detail"]) == (
        "red", 0.0, "worst 25h (open), 1 breached"
    )  # fmt: skip
    result = cli("check", "--as-of", "31/10/2008 10:00", "--stale", "60d", "-f", "csv")
    assert result.exit_code == ExitCode.PROBLEMS_FOUND
    # then the fields for programs (FRESH4 G21): due 24 hours after it came in, the item
    facts = f",,,,,,2008-10-31T09:00:00+00:00,{item},,2008-10-30T09:00:00+00:00,"
    assert (
        f"CW01,{replies},breached,item {item} received 2008-10-30T09:00:00+00:00 open 25h "
        f"(limit 24h){facts}"
        in result.stdout.splitlines()
    )
    soon = cli("check", "--as-of", "31/10/2008 06:00", "--warn", "4h", "--stale", "60d", "-fcsv")
    assert (
        f"CW01,{replies},due-soon,item {item} received 2008-10-30T09:00:00+00:00 breaches in 3h"
        f"{facts}"
        in soon.stdout.splitlines()
    )


def test_items_received_before_the_pledge_was_agreed_are_refused_then_not_judged(
    cli: Run, db: Path, replies: str
) -> None:
    assert_error(
        cli("log", replies, "Old email", "--received", "2008-09-30 10:00", "--when", "2008-10-03"),
        ExitCode.USAGE,
        "--received 30/09/2008 is before CW01-L1 was agreed (01/10/2008) and could never count "
        "(to record history, first: pledgetrack pledge edit CW01-L1 --agreed DATE)",
    )
    # an agreed date moved past a logged item is refused (it would silently stop counting);
    # voided, the item stays on record, not judged
    log(cli, replies, "Email", "--received", "2008-10-02 10:00", "--when", "2008-10-03 10:00")
    fails(cli, db, "pledge", "edit", replies, "--agreed", "03/10/2008")
    ok(cli("void", "1", "--reason", "before the pledge"))
    ok(cli("pledge", "edit", replies, "--agreed", "05/10/2008"))
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[replies]
    assert row["status"] == "no-data"


def test_example_8_share_of_hours(cli: Run, team: str) -> None:
    ref = add(cli, team, "80% of duty in the ward", "--share", "80", "--agreed", "01/10/2008")
    for day in ("06/10/2008", "07/10/2008", "08/10/2008"):
        log(cli, ref, "Ward shift", "--when", day, "--hours", "8")
    log(cli, ref, "City centre event", "--when", "09/10/2008", "--hours", "8", "--abstracted")
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[ref]
    assert (row["actual"], row["expected"], row["compliance_pct"], row["status"]) == (
        24,
        32,
        75.0,
        "amber",
    )


def test_example_9_deadline(cli: Run, team: str) -> None:
    ref = add(cli, team, "Alley lighting fixed", "--by", "28/11/2008", "--agreed", "08/10/2008")
    states = {
        as_of: (row["status"], row["detail"])
        for as_of in ("2008-11-01", "2008-11-25", "2008-11-29")
        for row in [summary(cli, "--period", "2008-11", "--as-of", as_of)[ref]]
    }
    assert states == {
        "2008-11-01": ("pending", "no action yet, not yet delivered; 27 days left"),
        "2008-11-25": ("amber", "no action yet, not yet delivered; 3 days left"),
        "2008-11-29": ("red", "due 2008-11-28, not delivered"),
    }
    log(cli, ref, "Council engineer replaced the lamps", "--when", "20/11/2008", "--delivers")
    row = summary(cli, "--period", "2008-11", "--as-of", "2008-11-29")[ref]
    assert (row["status"], row["compliance_pct"], row["detail"]) == (
        "green",
        100.0,
        "delivered 2008-11-20",
    )


@pytest.mark.parametrize(
    ("month", "due", "as_of", "last_minute", "just_after"),
    [
        # September ends in summer time, judged in November (winter time): the period's
        # last second is 23:59:59 BST, not an hour later
        ("2008-09", "30/09/2008", "2008-11-15", "30/09/2008 23:59", "01/10/2008 00:30"),
        # February ends in winter time, judged in October (summer time): 23:30 GMT on the
        # last day is inside the period, not an hour past its end
        ("2008-02", "29/02/2008", "2008-10-20", "29/02/2008 23:30", "01/03/2008 00:00"),
    ],
    ids=["summer-period-judged-in-winter", "winter-period-judged-in-summer"],
)
def test_a_deadline_period_ends_at_local_midnight_across_a_clock_change(
    cli: Run, team: str, month: str, due: str, as_of: str, last_minute: str, just_after: str
) -> None:
    """A past period's deadlines are judged at the end of its last local day, in the zone
    the team works in, whatever the as-of's own UTC offset: delivered within the day is
    met, delivered after it is missed in that period's report."""
    early = add(cli, team, "Delivered on the day", "--by", due, "--agreed", "01/01/2008")
    late = add(cli, team, "Delivered the next day", "--by", due, "--agreed", "01/01/2008")
    log(cli, early, "Done", "--when", last_minute, "--delivers")
    log(cli, late, "Done", "--when", just_after, "--delivers")
    rows = summary(cli, "--period", month, "--as-of", as_of)
    day = f"{due[6:]}-{due[3:5]}-{due[:2]}"
    assert (rows[early]["status"], rows[early]["detail"]) == ("green", f"delivered {day}")
    assert (rows[late]["status"], rows[late]["detail"]) == ("red", f"due {day}, not delivered")


@pytest.mark.parametrize(
    ("as_of", "status", "detail"),
    [
        # the period is still running on the due day: amber, due today
        ("31/10/2008 23:59", "amber", "no action yet, not yet delivered; due today"),
        # the first instant after the period's last day: it has ended, the deadline missed
        ("01/11/2008 00:00", "red", "due 2008-10-31, not delivered"),
        ("01/01/2009", "red", "due 2008-10-31, not delivered"),
    ],
)
def test_a_deadline_due_on_a_periods_last_day_is_missed_once_the_period_ends(
    cli: Run, team: str, as_of: str, status: str, detail: str
) -> None:
    ref = add(cli, team, "Never delivered", "--by", "31/10/2008", "--agreed", "01/10/2008")
    row = summary(cli, "--period", "2008-10", "--as-of", as_of)[ref]
    assert (row["status"], row["detail"]) == (status, detail)


def test_a_delivery_after_the_period_is_late_in_the_next_period_not_in_this_one(
    cli: Run, team: str
) -> None:
    ref = add(cli, team, "Delivered at midnight", "--by", "31/10/2008", "--agreed", "01/10/2008")
    log(cli, ref, "Done", "--when", "01/11/2008 00:00", "--delivers")
    october = summary(cli, "--period", "2008-10", "--as-of", "2009-01-01")[ref]
    november = summary(cli, "--period", "2008-11", "--as-of", "2009-01-01")[ref]
    assert (october["status"], october["detail"]) == ("red", "due 2008-10-31, not delivered")
    assert (november["status"], november["detail"]) == (
        "red",
        "due 2008-10-31, delivered late, 2008-11-01",
    )


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("31/12/2008 23:59", "amber"), ("01/01/2009 00:00", "red"), ("2009-03-01", "red")],
)
def test_a_yearly_report_misses_a_deadline_due_on_31_december(
    cli: Run, team: str, as_of: str, status: str
) -> None:
    ref = add(cli, team, "Year-end survey", "--by", "31/12/2008", "--agreed", "01/10/2008")
    assert summary(cli, "--period", "2008", "--as-of", as_of)[ref]["status"] == status


def test_an_ordinary_action_is_progress_not_delivery(cli: Run, team: str) -> None:
    ref = add(cli, team, "Abandoned car removed", "--by", "28/11/2008", "--agreed", "01/11/2008")
    log(cli, ref, "Reported car to council, sticker put on", "--when", "20/11/2008")
    log(cli, ref, "Chased the council", "--when", "22/11/2008")
    row = summary(cli, "--period", "2008-11", "--as-of", "2008-11-23")[ref]
    assert (row["status"], row["detail"]) == ("amber", "2 actions, not yet delivered; 5 days left")
    row = summary(cli, "--period", "2008-11", "--as-of", "2008-11-29")[ref]
    assert (row["status"], row["detail"]) == ("red", "due 2008-11-28, not delivered (2 actions)")
    log(cli, ref, "Car lifted by the council", "--when", "28/11/2008 16:00", "--delivers")
    row = summary(cli, "--period", "2008-11", "--as-of", "2008-11-29")[ref]
    assert (row["status"], row["detail"]) == ("green", "delivered 2008-11-28")


def test_delivers_travels_through_export_and_import(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    ref = add(cli, team, "Abandoned car removed", "--by", "28/11/2008", "--agreed", "01/11/2008")
    rows = tmp_path / "actions.csv"
    rows.write_text(
        "team,pledge,when,description,delivers\n"
        f"CW01,{ref},2008-11-20 10:00,Reported car to council,0\n"
        f"CW01,{ref},2008-11-27 16:00,Car lifted by the council,1\n",
        encoding="utf-8",
    )
    ok(cli("import", "actions", str(rows)))
    exported = list(csv.DictReader(io.StringIO(ok(cli("export", "actions")).stdout)))
    assert [row["delivers"] for row in exported] == ["0", "1"]
    row = summary(cli, "--period", "2008-11", "--as-of", "2008-11-29")[ref]
    assert (row["status"], row["detail"]) == ("green", "delivered 2008-11-27")
    patrols = add(cli, team, "Patrols", "--at-least", "1", "--per", "week",
                  "--agreed", "01/11/2008")  # fmt: skip
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(
        f"team,pledge,when,description,delivers\nCW01,{patrols},2008-11-21,Patrol,1\n",
        encoding="utf-8",
    )
    with nothing_written(db):
        result = cli("import", "actions", str(wrong))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0] == (
        f"line 2: delivers: applies only to deadline pledges; {patrols} is a "
        "frequency pledge"
    )


def test_delivers_is_for_deadline_pledges_only(cli: Run, db: Path, patrols: str) -> None:
    refused = f"--delivers applies only to deadline pledges; {patrols} is a frequency pledge"
    fails(cli, db, "log", patrols, "Patrol", "--delivers", text=refused)


def test_closing_a_deadline_as_achieved_delivers_it(cli: Run, team: str) -> None:
    ref = add(cli, team, "CCTV installed", "--by", "28/11/2008", "--agreed", "08/10/2008")
    ok(
        cli(
            "pledge",
            "close",
            ref,
            "--status",
            "achieved",
            "--outcome",
            "Installed",
            "--on",
            "10/11/2008",
        )
    )
    assert summary(cli, "--period", "2008-11", "--as-of", "2008-12-01")[ref]["status"] == "green"


def test_not_measured_pledge_shows_its_action_count(cli: Run, team: str) -> None:
    ref = add(cli, team, "Work with youth services", "--agreed", "01/10/2008")
    log(cli, ref, "Met youth workers", "--when", "10/10/2008")
    row = summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[ref]
    assert (row["status"], row["actual"], row["expected"]) == ("not-measured", 1, None)


def test_summary_team_line_and_table(cli: Run, patrols: str, replies: str) -> None:
    doc = json.loads(
        ok(cli("summary", "-p", "2008-10", "--as-of", "2008-11-01", "-f", "json")).stdout
    )
    (team,) = doc["teams"]
    assert (team["team"], team["green"], team["red"], team["no_data"]) == ("CW01", 0, 1, 1)
    assert doc["period"] == {"label": "2008-10", "start": "2008-10-01", "end": "2008-10-31"}
    plain = ok(cli("summary", "-p", "2008-10", "--as-of", "2008-11-01")).stdout
    assert plain.splitlines()[0] == (
        "CW01 Castle Ward, October 2008: 0 green, 0 amber, 1 red; "
        "0% of judged pledges green"
    )
    assert "\x1b" not in plain


def test_summary_csv_has_the_export_columns_first(cli: Run, patrols: str) -> None:
    out = ok(cli("summary", "-p", "2008-10", "--as-of", "2008-11-01", "-f", "csv")).stdout
    header, row = out.splitlines()
    assert header == (
        "force,team,team_name,pledge,pledge_title,pledge_type,target,period_start,period_end,"
        "actual,expected,compliance_pct,status,last_action,detail,figures"
    )
    assert row.startswith("Leicestershire Police,CW01,Castle Ward,CW01-L1,")


def test_overview_is_a_league_table(cli: Run, patrols: str) -> None:
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
    ref = add(
        cli, "BL02", "Weekly surgery", "--at-least", "1", "--per", "week", "--agreed", "01/09/2008"
    )
    for day in ("01/10/2008", "08/10/2008", "15/10/2008", "22/10/2008"):
        log(cli, ref, "Surgery", "--when", day)
    rows = json.loads(
        ok(cli("overview", "-p", "2008-10", "--as-of", "2008-11-01", "-f", "json")).stdout
    )
    assert [(r["team"], r["green_pct"]) for r in rows] == [("BL02", 100.0), ("CW01", 0.0)]
    by_red = json.loads(
        ok(
            cli("overview", "-p", "2008-10", "--as-of", "2008-11-01", "--sort", "red", "-f", "json")
        ).stdout
    )
    assert [r["team"] for r in by_red] == ["CW01", "BL02"]


def test_check_exits_0_when_nothing_needs_action(cli: Run, team: str) -> None:
    ref = add(
        cli, team, "Weekly surgery", "--at-least", "1", "--per", "week", "--agreed", "01/10/2008"
    )
    log(cli, ref, "Surgery", "--when", "08/10/2008")  # the week of 6-12 Oct, the only one ended
    result = cli("check", "--as-of", "16/10/2008 12:00")
    assert (result.exit_code, result.stdout) == (ExitCode.OK, "")


def test_check_reports_red_stale_review_and_deadline(cli: Run, patrols: str) -> None:
    deadline = add(cli, "CW01", "Alley lighting", "--by", "20/11/2008", "--agreed", "01/10/2008",
                   "--review", "10/11/2008")  # fmt: skip
    result = cli("check", "--as-of", "2008-11-15 09:00", "-f", "json")
    assert result.exit_code == ExitCode.PROBLEMS_FOUND
    found = {(f["ref"], f["kind"]) for f in json.loads(result.stdout)}
    assert found == {
        (patrols, "red"),  # November: week of 3-9 Nov had no patrol
        (patrols, "stale"),  # last patrol 28 Oct, over 14 days before 15 Nov
        (patrols, "falling-short"),  # Saturday 15 Nov: 0 of 1 this week, the weekend left
        (deadline, "deadline-due"),
        (deadline, "review-overdue"),
        # no "stale" for the deadline: deadline-due says it better
    }
    quiet = cli("check", "--as-of", "2008-11-15 09:00", "--quiet")
    assert (quiet.exit_code, quiet.stdout) == (ExitCode.PROBLEMS_FOUND, "")


# check's four columns, then its fields for programs added after them (FRESH4 G21)
CHECK_HEADER = (
    "team,ref,kind,message,period_start,period_end,status,done,needed,due,item,case,"
    "received_at,last_action"
)


def test_check_reports_a_month_just_ended_red_for_a_week(cli: Run, team: str) -> None:
    ref = add(cli, team, "Monthly surgery", "--at-least", "1", "--per", "month",
              "--agreed", "01/09/2008")  # fmt: skip
    log(cli, ref, "Surgery", "--when", "10/09/2008")  # none in October
    expected = (
        f"CW01,{ref},red,0.0% in 2008-10 against 'at least 1 per month' (0 of 1 month met)"
        ",2008-10-01,2008-10-31,red,0,1,,,,,"  # October's figures, for programs
    )
    result = cli("check", "--as-of", "2008-11-03 07:30", "--stale", "90d", "-f", "csv")
    assert (result.exit_code, result.stdout.splitlines()) == (
        ExitCode.PROBLEMS_FOUND,
        [CHECK_HEADER, expected],
    )
    later = cli("check", "--as-of", "2008-11-12 07:30", "--stale", "90d")
    assert (later.exit_code, later.stdout) == (ExitCode.OK, "")


def test_check_formats(cli: Run, team: str) -> None:
    add(cli, team, "Alley lighting", "--by", "20/11/2008", "--agreed", "01/10/2008")
    out = cli("check", "--as-of", "2008-11-15 09:00", "--format", "csv").stdout
    assert out.splitlines() == [
        CHECK_HEADER,
        'CW01,CW01-L1,deadline-due,"no action yet, not yet delivered; 5 days left"'
        ",2008-11-01,2008-11-30,amber,0,1,2008-11-20,,,,",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["summary", "--period", "2008-13"],
            "--period: impossible period '2008-13': month must be in 1..12, not 13",
        ),
        (["summary", "--team", "XX99"], "unknown team 'XX99' (see: pledgetrack team list)"),
        (
            ["summary", "--as-of", "31/02/2008"],
            "--as-of: impossible date '31/02/2008': February 2008 has 29 days",
        ),
        (
            ["summary", "--period", "2008-10", "--from", "01/10/2008"],
            "give --period or --from/--to, not both",
        ),
        (["summary", "--from", "01/10/2008"], "--from and --to go together"),
        (
            ["overview", "--sort", "colour"],
            "--sort must be one of amber, green, green_pct, no_data, not_measured, pending, "
            "pledges, red, team, team_name, not 'colour'",
        ),
        (
            ["check", "--warn", "soon"],
            "--warn: cannot read 'soon' as a duration (try 24h, 60m, 2d or 1h30m)",
        ),
    ],
)
def test_report_usage_errors(cli: Run, team: str, args: list[str], message: str) -> None:
    assert_error(cli(*args), ExitCode.USAGE, message)


def test_reports_on_a_missing_database_exit_3_and_create_nothing(cli: Run, db: Path) -> None:
    for command in ("summary", "overview", "check"):
        result = cli(command)
        assert_error(result, ExitCode.DATABASE)
        assert not db.exists()


def test_reports_leave_garbage_collection_as_they_found_it(
    cli: Run, db: Path, patrols: str, tmp_path: Path
) -> None:
    """The reports pause the cyclic collector while they build their rows: a report that
    fails inside the pause (a file that is not a database) and one that succeeds hand it
    back on, and one run with it off leaves it off."""
    import gc

    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("not a database\n", encoding="utf-8")
    runs = [
        ("summary", "--period", "2008-10"),
        ("overview", "--period", "2008-10"),
        ("check", "--as-of", "2008-10-31 12:00"),
        ("export", "summary", "--period", "2008-10", "-o", str(tmp_path / "out.csv")),
    ]
    for args in runs:
        cli(*args)
        assert gc.isenabled(), args
        assert_error(cli("--db", str(not_a_database), *args), ExitCode.DATABASE)
        assert gc.isenabled(), args
    gc.disable()
    try:
        cli("overview", "--period", "2008-10")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_from_to_period(cli: Run, patrols: str) -> None:
    row = summary(cli, "--from", "06/10/2008", "--to", "19/10/2008", "--as-of", "2008-11-01")[
        patrols
    ]
    assert (row["period_start"], row["period_end"], row["detail"]) == (
        "2008-10-06",
        "2008-10-19",
        "1 of 2 weeks met",
    )


def test_an_archived_team_keeps_its_past_in_reports_and_no_more(cli: Run, patrols: str) -> None:
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
    ok(cli("team", "archive", "CW01", "--yes"))  # "today" is 15 January 2009
    october = json.loads(
        ok(cli("overview", "-p", "2008-10", "--as-of", "2008-11-01", "-f", "json")).stdout
    )
    assert {r["team"] for r in october} == {"BL02", "CW01"}
    assert (
        summary(cli, "--period", "2008-10", "--as-of", "2008-11-01")[patrols]["compliance_pct"]
        == 75.0
    )
    february = json.loads(
        ok(cli("overview", "-p", "2009-02", "--as-of", "2009-03-01", "-f", "json")).stdout
    )
    assert {r["team"] for r in february} == {"BL02"}


def test_a_target_in_words_is_its_own_even_where_a_freed_one_lived() -> None:
    """Report rows look a target's words up by the target object: a target made where a
    freed one lived (the same id) must not get the freed one's words."""
    from pledgetrack.domain.periods import Unit
    from pledgetrack.domain.targets import FrequencyTarget, describe
    from pledgetrack.services.compliance import target_text

    for count in range(1, 40):
        target = FrequencyTarget(count=count, unit=Unit.DAY)
        assert target_text(target) == describe(target)
        assert target_text(target) == describe(target)  # and again, from the look-up
        del target


def plain_detail(cli: Run, *args: str) -> str:
    """The pledge's row of `summary --format plain --columns ref,status,detail`."""
    out = ok(cli("summary", "--format", "plain", "--columns", "ref,status,detail", *args)).stdout
    return " ".join(next(line for line in out.splitlines() if line.startswith("CW01-L1")).split())


@pytest.mark.parametrize(
    ("per", "agreed", "done", "period", "detail"),
    [
        ("month", "01/09/2008", "14/09/2008", "2008-09", "CW01-L1 green 1 of 1 month met"),
        ("month", "02/09/2008", "14/09/2008", "2008-09", "CW01-L1 no-data not judged: "
         "agreed 02/09, the first whole month starts 01/10"),
        ("week", "06/10/2008", "08/10/2008", "2008-W41",  # a Monday
         "CW01-L1 green 1 of 1 week met"),
        ("week", "07/10/2008", "08/10/2008", "2008-W41",  # a Tuesday
         "CW01-L1 no-data not judged: agreed 07/10, the first whole week starts 13/10"),
        ("quarter", "01/10/2008", "08/10/2008", "2008-10",
         "CW01-L1 no-data not judged: no quarter ends in 2008-10"),
    ],
)  # fmt: skip
def test_a_pledge_not_judged_says_why(
    cli: Run, team: str, per: str, agreed: str, done: str, period: str, detail: str
) -> None:
    ref = add(cli, team, "Monthly surgery at the library", "--at-least", "1", "--per", per,
              "--agreed", agreed)  # fmt: skip
    log(cli, ref, "Surgery", "--when", f"{done} 10:00")
    assert plain_detail(cli, "-p", period) == detail


def test_agreed_mid_month_says_why_while_the_month_runs(
    cli: Run, team: str, env: Environment
) -> None:
    ref = add(cli, team, "Surgery", "--at-least", "1", "--per", "month", "--agreed", "03/01/2009")
    log(cli, ref, "Surgery", "--when", "14/01/2009 10:00")
    assert plain_detail(cli, "-p", "2009-01") == (
        "CW01-L1 no-data not judged: agreed 03/01, the first whole month starts "
        "01/02; so far this month: 1 of 1"
    )
    assert plain_detail(cli, "-p", "2009-02") == (  # a month still to come says when
        "CW01-L1 no-data not judged yet: the first month ends 28/02"
    )


def test_closed_before_its_first_unit_ended_says_so(cli: Run, team: str) -> None:
    ref = add(cli, team, "Patrols", "--at-least", "1", "--per", "week", "--agreed", "06/10/2008")
    log(cli, ref, "Patrol", "--when", "08/10/2008 10:00")
    ok(cli("pledge", "close", ref, "--status", "withdrawn", "--outcome", "moved",
           "--on", "10/10/2008"))  # fmt: skip
    assert plain_detail(cli, "-p", "2008-W41") == (
        "CW01-L1 no-data not judged: closed 10/10, before the week ended"
    )
