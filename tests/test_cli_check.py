"""`check` for cron: its exit status survives a closed pipe, its formats are every listing's,
and a pledge is stale only after its own unit (issue 9, items 4, 6 and 10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import Run, ok
from pledgetrack.exitcodes import ExitCode

AS_OF = "2008-11-15 09:00"  # the alley lighting is due in 5 days: a finding


@pytest.fixture
def due_soon(cli: Run, team: str) -> str:
    return ok(
        cli("pledge", "add", team, "Alley lighting", "--by", "20/11/2008", "--agreed", "01/10/2008")
    ).stdout.strip()


def closed_pipe_status(db: Path, *args: str) -> int:
    """Run pledgetrack with stdout a pipe whose reader has already gone (`| head -0`)."""
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pledgetrack", "--db", str(db), *args],
            stdout=write,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(write)
    assert proc.stderr == b""
    return proc.returncode


@pytest.mark.parametrize("fmt", [[], ["-f", "csv"], ["-f", "json"], ["-f", "plain"]])
def test_findings_exit_1_even_when_the_reader_leaves(
    db: Path, due_soon: str, fmt: list[str]
) -> None:
    assert closed_pipe_status(db, "check", "--as-of", AS_OF, *fmt) == ExitCode.PROBLEMS_FOUND


def test_a_listing_on_a_closed_pipe_still_exits_0(db: Path, due_soon: str) -> None:
    assert closed_pipe_status(db, "pledge", "list") == ExitCode.OK


def test_piped_check_prints_what_plain_prints(cli: Run, due_soon: str) -> None:
    piped = cli("check", "--as-of", AS_OF)
    plain = cli("check", "--as-of", AS_OF, "-f", "plain")
    assert piped.exit_code == plain.exit_code == ExitCode.PROBLEMS_FOUND
    assert piped.stdout == plain.stdout
    lines = piped.stdout.splitlines()
    assert lines[0].split() == ["Team", "Ref", "Kind", "Message"]
    finding = f"CW01    {due_soon}  deadline-due  no action yet, not yet delivered; 5 days left"
    assert finding in lines


def test_check_on_a_terminal_is_a_table(cli_with: Run, due_soon: str) -> None:
    result = cli_with(stdout_isatty=True, no_color=True)("check", "--as-of", AS_OF)
    assert result.exit_code == ExitCode.PROBLEMS_FOUND
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "Team" in line)
    assert lines[header].split()[:3] == ["Team", "Ref", "Kind"]
    assert "─" * 20 in lines[header + 1]  # a table's rule, not the bare cron lines


def test_nothing_to_act_on_is_silent_when_piped_and_said_on_a_terminal(
    cli: Run, cli_with: Run, team: str
) -> None:
    args = ("check", "--team", team, "--as-of", "2008-10-16 16:00", "--stale", "90d")
    quiet = cli(*args)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (ExitCode.OK, "", "")
    said = cli_with(stdout_isatty=True)(*args)
    assert (said.exit_code, said.stderr) == (ExitCode.OK, "nothing needs action\n")
    assert json.loads(ok(cli(*args, "-f", "json")).stdout) == []


def stale(cli: Run, as_of: str, *extra: str) -> dict[str, str]:
    result = cli("check", "--as-of", as_of, "-f", "json", *extra)
    return {f["ref"]: f["message"] for f in json.loads(result.stdout) if f["kind"] == "stale"}


@pytest.fixture
def monthly(cli: Run, team: str) -> tuple[str, str]:
    """Two monthly meetings: one held on 10 October, one last held on 20 September."""
    refs = []
    for title, day in (("Monthly PACT meeting", "10/10/2008"), ("Monthly surgery", "20/09/2008")):
        ref = ok(cli("pledge", "add", team, title, "--at-least", "1", "--per", "month",
                     "--agreed", "01/09/2008")).stdout.strip()  # fmt: skip
        ok(cli("log", ref, "Held", "--when", day))
        refs.append(ref)
    return refs[0], refs[1]


def test_a_monthly_pledge_met_this_month_is_not_stale(cli: Run, monthly: tuple[str, str]) -> None:
    held, _ = monthly
    assert held not in stale(cli, "2008-10-29 09:00")  # reported stale on the 29th before


def test_a_monthly_pledge_is_stale_after_a_month_not_14_days(
    cli: Run, monthly: tuple[str, str]
) -> None:
    _, surgery = monthly
    assert surgery not in stale(cli, "2008-10-21 09:00")  # 31 days after 20 September
    assert stale(cli, "2008-10-22 09:00")[surgery] == "last action 2008-09-20 (over 31 days)"
    # --stale longer than the unit wins
    assert surgery not in stale(cli, "2008-10-22 09:00", "--stale", "40d")


def test_a_weekly_pledge_is_stale_after_the_default_14_days(cli: Run, team: str) -> None:
    ref = ok(cli("pledge", "add", team, "Weekly patrol", "--at-least", "1", "--per", "week",
                 "--agreed", "01/09/2008")).stdout.strip()  # fmt: skip
    ok(cli("log", ref, "Patrol", "--when", "01/10/2008"))
    assert ref not in stale(cli, "2008-10-15 09:00")
    assert stale(cli, "2008-10-16 09:00")[ref] == "last action 2008-10-01 (over 14 days)"
    assert stale(cli, "2008-10-09 09:00", "--stale", "1d")[ref] == (
        "last action 2008-10-01 (over 7 days)"
    )


def reds(cli: Run, as_of: str) -> dict[str, str]:
    result = cli("check", "--as-of", as_of, "-f", "json")
    return {f["ref"]: f["message"] for f in json.loads(result.stdout) if f["kind"] == "red"}


def test_a_pledge_red_last_month_stays_flagged_for_the_grace_window(cli: Run, team: str) -> None:
    """Not only monthly pledges: a response pledge breached in September is still flagged from
    1 to 7 October (nothing of October is judged yet) and no longer on the 8th."""
    ref = ok(cli("pledge", "add", team, "Answer calls", "--within", "1h",
                 "--agreed", "01/09/2008")).stdout.strip()  # fmt: skip
    ok(cli("log", ref, "Call", "--received", "2008-09-20 10:00", "--when", "2008-09-20 12:00"))
    september = "0.0% in 2008-09 against 'within 1h' (median 2h, worst 2h, 1 breached)"
    # the month in progress named as the month just ended is (FRESH4 G18)
    assert reds(cli, "2008-09-30 23:00")[ref].startswith("0.0% in 2008-09 so far against 'w")
    assert reds(cli, "2008-10-01 00:00")[ref] == september
    assert reds(cli, "2008-10-07 23:59")[ref] == september
    assert ref not in reds(cli, "2008-10-08 00:00")


def test_a_pledge_red_last_month_and_missed_today_is_flagged_once(cli: Run, team: str) -> None:
    ref = ok(cli("pledge", "add", team, "Alley lighting", "--by", "28/09/2008",
                 "--agreed", "01/09/2008")).stdout.strip()  # fmt: skip
    findings = json.loads(cli("check", "--as-of", "2008-10-01 09:00", "-f", "json").stdout)
    assert [f["kind"] for f in findings if f["ref"] == ref] == ["deadline-missed"]


def test_a_quarterly_pledge_is_flagged_by_its_quarter_and_a_red_one_once(
    cli: Run, team: str
) -> None:
    """The quarterly pledge red in Q3 is reported for the quarter on 1-7 October; the weekly
    one red in September and again in October's first week is listed once, for October."""
    quarterly = ok(cli("pledge", "add", team, "Quarterly surgery", "--at-least", "3",
                       "--per", "quarter", "--agreed", "01/07/2008")).stdout.strip()  # fmt: skip
    weekly = ok(cli("pledge", "add", team, "Weekly patrol", "--at-least", "1", "--per", "week",
                    "--agreed", "01/09/2008")).stdout.strip()  # fmt: skip
    ok(cli("log", quarterly, "Surgery", "--when", "2008-08-10 10:00"))
    ok(cli("log", weekly, "Patrol", "--when", "2008-09-10 10:00"))
    q3 = "0.0% in 2008-07 quarter against 'at least 3 per quarter' (0 of 1 quarter met)"
    assert reds(cli, "2008-10-01 09:00") == {
        quarterly: q3,
        weekly: "25.0% in 2008-09 against 'at least 1 per week' (1 of 4 weeks met)",
    }
    findings = json.loads(cli("check", "--as-of", "2008-10-07 23:59", "-f", "json").stdout)
    assert [f["message"] for f in findings if f["ref"] == weekly and f["kind"] == "red"] == [
        "0.0% in 2008-10 so far against 'at least 1 per week' (0 of 1 week met; so far this "
        "week: 0 of 1)"
    ]
    assert reds(cli, "2008-10-07 23:59")[quarterly] == q3
    assert quarterly not in reds(cli, "2008-10-08 00:00")


def test_findings_say_days_as_people_read_them_and_programs_get_iso(cli: Run, team: str) -> None:
    """A table or plain text says `last action 01/10` as every other message does (the year
    only when it is not as-of's); CSV and JSON keep the ISO day, as stored."""
    weekly = ok(cli("pledge", "add", team, "Weekly patrol", "--at-least", "1", "--per", "week",
                    "--agreed", "01/09/2008", "--review", "31/12/2008")).stdout.strip()  # fmt: skip
    ok(cli("log", weekly, "Patrol", "--when", "01/10/2008"))
    missed = ok(cli("pledge", "add", team, "Alley lighting", "--by", "10/10/2008",
                    "--agreed", "01/09/2008")).stdout.strip()  # fmt: skip
    ok(cli("log", missed, "Chased the council", "--when", "05/10/2008"))
    late = ok(cli("pledge", "add", team, "Bench mended", "--by", "11/10/2008",
                  "--agreed", "01/09/2008")).stdout.strip()  # fmt: skip
    ok(cli("log", late, "Mended", "--when", "14/10/2008", "--delivers"))
    dated = ("stale", "review-overdue", "deadline-missed")

    def findings(as_of: str, fmt: str) -> list[str]:
        result = cli("check", "--team", team, "--as-of", as_of, "-f", fmt)
        assert result.exit_code == ExitCode.PROBLEMS_FOUND
        ours = (weekly, missed, late)
        return [
            _first_four(line, fmt)
            for line in result.stdout.splitlines()
            if any(k in line for k in dated) and any(ref in line for ref in ours)
        ]

    assert findings("2008-10-31 23:59", "plain")[-1] == (
        f"CW01    {late}  deadline-missed  due 11/10, delivered late, 14/10"
    )  # in the month it was due and delivered; from November, done with: no finding (F1)
    assert findings("2008-12-31 23:59", "plain") == [
        f"CW01    {weekly}  stale            last action 01/10 (over 14 days)",
        f"CW01    {missed}  deadline-missed  due 10/10, not delivered (1 action)",
    ]  # and as of the review day itself it is not yet overdue
    # the day after the review was due, in the next year: the year is said
    assert findings("2009-01-01 00:00", "plain") == [
        f"CW01    {weekly}  review-overdue   review was due 31/12/2008",
        f"CW01    {weekly}  stale            last action 01/10/2008 (over 14 days)",
        f"CW01    {missed}  deadline-missed  due 10/10/2008, not delivered (1 action)",
    ]
    assert findings("2009-01-01 00:00", "csv") == [
        f"CW01,{weekly},review-overdue,review was due 2008-12-31",
        f"CW01,{weekly},stale,last action 2008-10-01 (over 14 days)",
        f'CW01,{missed},deadline-missed,"due 2008-10-10, not delivered (1 action)"',
    ]
    result = cli("check", "--team", team, "--as-of", "2009-01-01 00:00", "-f", "json")
    messages = {(f["ref"], f["kind"]): f["message"] for f in json.loads(result.stdout)}
    assert messages[(weekly, "stale")] == "last action 2008-10-01 (over 14 days)"


def test_a_red_month_or_quarter_is_named_as_people_name_it_on_screen(cli: Run, team: str) -> None:
    """`in September 2008`, `in the quarter July to September 2008` in a table or plain
    text; CSV and JSON keep the fields they had (`in 2008-09`, `in 2008-07 quarter`)."""
    quarterly = ok(cli("pledge", "add", team, "Quarterly surgery", "--at-least", "3",
                       "--per", "quarter", "--agreed", "01/07/2008")).stdout.strip()  # fmt: skip
    weekly = ok(cli("pledge", "add", team, "Weekly patrol", "--at-least", "1", "--per", "week",
                    "--agreed", "01/09/2008")).stdout.strip()  # fmt: skip
    ok(cli("log", weekly, "Patrol", "--when", "2008-09-10 10:00"))

    def lines(as_of: str, fmt: str) -> list[str]:
        out = cli("check", "--team", team, "--as-of", as_of, "-f", fmt).stdout.splitlines()
        return [
            " ".join(_first_four(line, fmt).split())
            for line in out
            if " red " in line or ",red," in line
        ]

    assert lines("2008-10-01 09:00", "plain") == [
        f"CW01 {quarterly} red 0.0% in the quarter July to September 2008 against 'at least "
        "3 per quarter' (0 of 1 quarter met)",
        f"CW01 {weekly} red 25.0% in September 2008 against 'at least 1 per week' (1 of 4 "
        "weeks met)",
    ]
    assert lines("2008-10-01 09:00", "csv") == [
        f"CW01,{quarterly},red,0.0% in 2008-07 quarter against 'at least 3 per quarter' (0 of "
        "1 quarter met)",
        f"CW01,{weekly},red,25.0% in 2008-09 against 'at least 1 per week' (1 of 4 weeks met)",
    ]
    # across the year's end: December 2008, said from January 2009
    assert lines("2009-01-02 09:00", "plain")[:2] == [
        f"CW01 {quarterly} red 0.0% in the quarter October to December 2008 against 'at least "
        "3 per quarter' (0 of 1 quarter met)",
        f"CW01 {weekly} red 0.0% in December 2008 against 'at least 1 per week' (0 of 4 weeks "
        "met)",
    ]


def test_an_open_item_in_the_mail_says_what_it_is_when_it_came_and_how_late(cli: Run) -> None:
    """The cron mail (plain) names each open item by its kind, own words and case or
    reference, its pledge's title, and how late it is or how long is left (FRESH3 F15);
    CSV and JSON keep their form for programs."""
    team = "CW01"
    ok(cli("team", "add", team, "--name", "Castle Ward", "--since", "01/09/2008"))
    ok(cli("message", team, "--received", "14/10/2008 09:00", "--open", "--ref", "EM-1234",
           "--note", "parking on the verge"))  # fmt: skip
    ok(cli("victim-update", team, "--case", "le/99/26", "--when", "14/09/2008 10:00"))
    ok(cli("message", team, "--received", "15/10/2008 12:00", "--open"))
    as_of = ("--as-of", "16/10/2008 09:00")
    plain = cli("check", "--team", team, *as_of, "-f", "plain", "--warn", "4h")
    assert plain.exit_code == ExitCode.PROBLEMS_FOUND
    items = [line.split(None, 3)[3] for line in plain.stdout.splitlines()[2:] if "received" in line]
    assert items == [
        'message 1 "Message to the team: parking on the verge" (EM-1234) received 14/10 09:00: '
        "late by 24h, open 48h (limit 24h); Messages answered within 24 hours",
        'message 3 "Message to the team" received 15/10 12:00: breaches in 3h (limit 24h); '
        "Messages answered within 24 hours",
        # 31 days and 5 hours after the last contact (N9): the case said once
        'victim-update 2 "Victim update, case LE/99/26" received 14/09 10:00: late by 23h, '
        "open 31d23h (limit 31d); Victims kept informed",
    ]
    csv = cli("check", "--team", team, *as_of, "-f", "csv").stdout
    short = "item 1 received 2008-10-14T09:00:00+01:00 open 48h (limit 24h)"
    assert f"CW01,CW01-N4,breached,{short}" in csv


def _first_four(line: str, fmt: str) -> str:
    """A CSV line's first four columns, as check wrote them before its fields for programs
    (FRESH4 G21: added after them, none of which holds a comma here)."""
    return line.rsplit(",", 10)[0] if fmt == "csv" else line
