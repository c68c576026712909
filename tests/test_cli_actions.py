"""`log`, `respond`, `void` and `actions` through the real CLI against a real database file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from conftest import fixed_clock
from helpers import Prepared, Run, fails, ok
from pledgetrack.exitcodes import ExitCode

HELP = "(try 14/10/2008, 2008-10-14 19:30, today, yesterday, tuesday or '2 days ago')"
ACTION_HEADER = (
    "id,when,team,pledge,kind,description,officer,partner,hours,abstracted,received,status,ref,"
    "highlight"
)


@pytest.fixture
def pledges(cli: Run, team: str, prepared: Prepared) -> None:
    """CW01-L1 frequency, CW01-L2 response within 48h, BL02-L1 frequency."""

    def build() -> None:
        ok(cli("team", "add", "BL02", "--name", "Belgrave"))
        ok(
            cli(
                "pledge",
                "add",
                "CW01",
                "Patrols",
                "--at-least",
                "2",
                "--per",
                "week",
                "--agreed",
                "01/01/2007",
            )
        )
        ok(cli("pledge", "add", "CW01", "Replies", "--within", "48h", "--agreed", "01/01/2007"))
        ok(
            cli(
                "pledge",
                "add",
                "BL02",
                "Patrols",
                "--at-least",
                "3",
                "--per",
                "week",
                "--agreed",
                "01/01/2007",
            )
        )

    prepared("actions.pledges", build)


def log(cli: Run, *args: str) -> int:
    result = ok(cli("log", *args))
    assert result.stderr == ""
    return int(result.stdout)


def actions(cli: Run, *args: str) -> list[dict[str, Any]]:
    return json.loads(ok(cli("actions", "--format", "json", *args)).stdout)


def only(cli: Run, *args: str) -> dict[str, Any]:
    (row,) = actions(cli, "--include-void", *args)
    return row


# -- log ---------------------------------------------------------------------------------


def test_log_prints_the_new_id_and_stores_every_field(cli: Run, pledges: None) -> None:
    first = log(
        cli,
        "cw01-l1",
        "Foot patrol, Castle Park",
        "--when",
        "14/10/2008 19:30",
        "--kind",
        "patrol",
        "--officer",
        "PCSO Ahmed",
        "--partner",
        "Street wardens",
        "--hours",
        "2.5",
        "--ref",
        "INC-1",
    )
    assert first == 1
    assert log(cli, "CW01-L1", "Second") == 2
    assert only(cli, "--limit", "1", "--from", "14/10/2008", "--to", "14/10/2008") == {
        "id": 1,
        "when": "2008-10-14T19:30:00+01:00",
        "team": "CW01",
        "pledge": "CW01-L1",
        "kind": "patrol",
        "description": "Foot patrol, Castle Park",
        "officer": "PCSO Ahmed",
        "partner": "Street wardens",
        "hours": 2.5,
        "abstracted": False,
        "received": None,
        "status": "done",
        "ref": "INC-1",
        "highlight": False,
        "void_reason": None,
    }


@pytest.mark.parametrize(
    ("when", "stored"),
    [
        (None, "2008-10-16T15:00:00+01:00"),  # default: now
        ("now", "2008-10-16T15:00:00+01:00"),
        ("yesterday 19:30", "2008-10-15T19:30:00+01:00"),
        ("14/10/2008 19:30", "2008-10-14T19:30:00+01:00"),
        ("2008-10-14T19:30", "2008-10-14T19:30:00+01:00"),
        ("tuesday 6:15 pm", "2008-10-14T18:15:00+01:00"),
        ("last thursday", "2008-10-09T00:00:00+01:00"),
        ("2 days ago", "2008-10-14T00:00:00+01:00"),
        ("3 hours ago", "2008-10-16T12:00:00+01:00"),
        ("1/11/2007 10:00", "2007-11-01T10:00:00+00:00"),  # after the clocks went back
        # a time alone, as UK officers write it: today, minutes kept
        ("7.30am", "2008-10-16T07:30:00+01:00"),
        ("9.15am", "2008-10-16T09:15:00+01:00"),
        ("8.50 am", "2008-10-16T08:50:00+01:00"),
        ("12.00am", "2008-10-16T00:00:00+01:00"),
        ("12.30pm", "2008-10-16T12:30:00+01:00"),
        ("7.30pm 14/10", "2008-10-14T19:30:00+01:00"),
    ],
)
def test_log_when_forms(cli: Run, pledges: None, when: str | None, stored: str) -> None:
    log(cli, "CW01-L1", "Patrol", *(["--when", when] if when else []))
    assert only(cli)["when"] == stored


def test_log_abstracted_hours(cli: Run, pledges: None) -> None:
    log(cli, "CW01-L1", "Court duty", "--hours", "3", "--abstracted", "--kind", "court")
    row = only(cli)
    assert (row["hours"], row["abstracted"], row["kind"]) == (3.0, True, "court")
    log(cli, "CW01-L1", "Leaflet drop", "--hours", "0")
    assert only(cli, "--limit", "1")["hours"] == 0.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["CW01-L1", "x", "--abstracted"],
            "--abstracted needs --hours (the hours taken away from the neighbourhood)",
        ),
        (
            ["CW01-L1", "x", "--hours", "-1"],
            "--hours must be a number of hours from 0 to 8,784, not -1",
        ),
        (
            ["CW01-L1", "x", "--hours", "-0.5", "--abstracted"],
            "--hours must be a number of hours from 0 to 8,784, not -0.5",
        ),
        (["CW01-L1", ""], "DESCRIPTION must not be empty"),
        (["CW01-L1", "   "], "DESCRIPTION must not be empty"),
        (["NOPE-L1", "x"], "unknown pledge 'NOPE-L1' (see: pledgetrack pledge list)"),
        (["cw01-l9", "x"], "unknown pledge 'CW01-L9' (see: pledgetrack pledge list)"),
        (["CW01-L1", "x", "--when", "soon"], f"--when: cannot read 'soon' as a date {HELP}"),
        (
            ["CW01-L1", "x", "--when", "31/02/2008"],
            "--when: impossible date '31/02/2008': February 2008 has 29 days",
        ),
        (
            ["CW01-L1", "x", "--when", "99999999 days ago"],
            "--when: '99999999 days ago' is out of range "
            "(supported dates are 1900-01-01 to 2199-12-31)",
        ),
        (
            ["CW01-L1", "x", "--when", "14/10/2008 19:30 EST"],
            f"--when: unknown time zone in '14/10/2008 19:30 EST' {HELP}",
        ),
        (
            ["CW01-L2", "Call about dealing"],
            "CW01-L2 is a response pledge: give --received (when the message or call came in)",
        ),
        (
            ["CW01-L1", "x", "--received", "today 09:00"],
            "--received applies only to response pledges; CW01-L1 is a frequency pledge",
        ),
        (
            ["CW01-L2", "x", "--received", "today 11:00", "--when", "today 10:00"],
            "--when 16/10 10:00 is before --received 16/10 11:00",
        ),
        (  # --when defaults to now: the option at fault is the one the user gave
            ["CW01-L2", "x", "--received", "tomorrow"],
            "--received 17/10 00:00 is in the future",
        ),
        (  # a time in a message reads as in a table: in the user's zone, not the offset typed
            ["CW01-L1", "x", "--when", "2008-10-17T00:00:00+05:00"],
            "--when 16/10 20:00 is in the future",
        ),
        (  # and with its year when it is not this one
            ["CW01-L1", "x", "--when", "01/01/2009 09:00"],
            "--when 01/01/2009 09:00 is in the future",
        ),
        (["CW01-L2", "x", "--open"], "--open needs --received (when the message or call came in)"),
        (
            ["CW01-L2", "x", "--open", "--received", "today 09:00", "--when", "now"],
            "--open and --when cannot be combined: an open item is not dealt with yet",
        ),
        (
            ["CW01-L1", "x", "--open", "--received", "today 09:00"],
            "--received applies only to response pledges; CW01-L1 is a frequency pledge",
        ),
        (
            ["CW01-L2", "x", "--received", "yesterday 25:00"],
            "--received: impossible time in 'yesterday 25:00'",
        ),
        (
            ["CW01-L1", "x", "--when", "9.15"],
            "--when: '9.15' is read as a time only after a day (today 9.15); write 9:15 or 9.15am",
        ),
        (["CW01-L1", "x", "--when", "13.00pm"], "--when: impossible time in '13.00pm'"),
        (
            ["CW01-L1", "x", "--when", "1.5pm"],
            "--when: cannot read the time in '1.5pm' (a time is 19:30, 19.30 or 7.30pm)",
        ),
    ],
)
def test_log_refusals(cli: Run, db: Path, pledges: None, args: list[str], message: str) -> None:
    log(cli, "CW01-L1", "Already there", "--ref", "INC-1")
    fails(cli, db, "log", *args, text=message)


def test_log_non_number_hours_is_a_usage_error(cli: Run, db: Path, pledges: None) -> None:
    message = fails(cli, db, "log", "CW01-L1", "x", "--hours", "two")
    assert message == "--hours must be a number, not 'two' (see: pledgetrack log --help)"


def test_refused_log_leaves_the_action_count_unchanged(cli: Run, db: Path, pledges: None) -> None:
    log(cli, "CW01-L1", "One")
    database = sqlite_utils.Database(db)
    count, changes = database["actions"].count, database["changes"].count
    result = cli("log", "CW01-L1", "Two", "--abstracted")
    assert result.exit_code == ExitCode.USAGE
    assert (database["actions"].count, database["changes"].count) == (count, changes)


def test_a_ref_shared_within_a_team_is_logged_with_a_note(
    cli: Run, db: Path, pledges: None
) -> None:
    """FRESH4 G16: a sergeant logs a patrol and later a message with the same incident
    number: both are kept, the second with a note naming the first (a ref typed wrong shows)."""
    log(cli, "CW01-L1", "Patrol after call", "--ref", "INC-7")
    reply = ok(cli("log", "CW01-L2", "Reply to call", "--received", "today 09:00", "--when",
                   "today 10:00", "--ref", "INC-7"))  # fmt: skip
    assert reply.stdout == "2\n"
    assert reply.stderr == "note: ref INC-7 is also on action 1\n"
    other = ok(cli("log", "BL02-L1", "Their own incident 7", "--ref", "INC-7"))
    assert other.stdout == "3\n" and "note" not in other.stderr  # another team's is its own
    # no --ref at all is never noted
    log(cli, "CW01-L1", "a")
    log(cli, "CW01-L1", "b")
    assert len(actions(cli, "--team", "CW01")) == 4


# -- response items: log, --open, respond --------------------------------------------------


def test_response_logged_with_received_and_when(cli: Run, pledges: None) -> None:
    log(cli, "CW01-L2", "Called back", "--received", "today 09:00", "--when", "today 11:00")
    row = only(cli)
    assert (row["received"], row["when"], row["status"]) == (
        "2008-10-16T09:00:00+01:00",
        "2008-10-16T11:00:00+01:00",
        "done",
    )


def test_open_item_then_respond(cli: Run, pledges: None) -> None:
    item = log(cli, "CW01-L2", "Email about dealing", "--open", "--received", "today 09:00")
    row = only(cli)
    assert (row["status"], row["when"], row["received"]) == (
        "open",
        None,
        "2008-10-16T09:00:00+01:00",
    )
    result = ok(cli("respond", str(item)))
    assert result.stdout == ""
    assert result.stderr == f"action {item} dealt with after 6h, within 48h\n"
    row = only(cli)
    assert (row["status"], row["when"]) == ("done", "2008-10-16T15:00:00+01:00")


def test_a_wait_typed_with_dotted_times_keeps_its_minutes(cli: Run, pledges: None) -> None:
    """`8.50am` was read as 08:00: a 15-minute wait became 65 and breached N5's limit."""
    log(cli, "CW01-L2", "Call back", "--received", "8.50am", "--when", "9.05am")
    row = only(cli)
    assert (row["received"], row["when"]) == (
        "2008-10-16T08:50:00+01:00",
        "2008-10-16T09:05:00+01:00",
    )


def test_respond_with_when(cli: Run, pledges: None) -> None:
    item = log(cli, "CW01-L2", "Call", "--open", "--received", "yesterday 09:00")
    assert ok(cli("respond", str(item), "--when", "yesterday 10:30")).stderr == (
        f"action {item} dealt with after 1h30m, within 48h\n"
    )
    assert only(cli)["when"] == "2008-10-15T10:30:00+01:00"


def test_respond_across_the_clock_change_counts_real_hours(cli: Run, pledges: None) -> None:
    # UK clocks went back at 02:00 on Sunday 28 October 2007
    item = log(cli, "CW01-L2", "Call", "--open", "--received", "2007-10-27 10:00")
    result = ok(cli("respond", str(item), "--when", "2007-10-28 09:30"))
    assert result.stderr == f"action {item} dealt with after 24h30m, within 48h\n"


def test_reply_in_the_repeated_hour_is_after_the_call(cli: Run, pledges: None) -> None:
    # the call at the first 01:40 (BST); the reply at 01:10 GMT, half an hour later
    log(
        cli,
        "CW01-L2",
        "Call",
        "--received",
        "2007-10-28 01:40+01:00",
        "--when",
        "2007-10-28 01:10 +00:00",
    )
    row = only(cli)
    assert (row["received"], row["when"]) == (
        "2007-10-28T01:40:00+01:00",
        "2007-10-28T01:10:00+00:00",
    )


def test_now_in_the_second_repeated_hour_is_not_in_the_future(
    cli_with: Callable[..., Run], db: Path, pledges: None
) -> None:
    """At 01:30 GMT (the second 01:30 of 26 October 2008) the five minutes' tolerance is
    added in real time: added to the wall clock it gave 01:35 BST, an hour earlier."""
    run = cli_with(clock=fixed_clock(datetime(2008, 10, 26, 1, 30, tzinfo=UTC)))
    assert log(run, "CW01-L1", "Patrol") == 1  # --when defaults to now
    assert log(run, "CW01-L1", "Patrol", "--when", "now") == 2
    assert log(run, "CW01-L1", "Patrol", "--when", "2008-10-26 01:35:00+00:00") == 3  # the edge
    fails(run, db, "log", "CW01-L1", "Patrol", "--when", "2008-10-26 01:35:01+00:00",
          text="--when 26/10 01:35:01 GMT is in the future")  # fmt: skip
    # import applies the same rule, row by row or in a batch
    rows = db.parent / "rows.csv"
    rows.write_text("team,pledge,when,description\nCW01,CW01-L1,2008-10-26T01:32:00+00:00,P\n")
    assert "imported 1" in ok(run("import", "actions", str(rows))).stderr
    rows.write_text("team,pledge,when,description\nCW01,CW01-L1,2008-10-26T01:36:00+00:00,P\n")
    refused = run("import", "actions", str(rows))
    assert refused.exit_code == ExitCode.USAGE
    assert refused.stderr.splitlines()[0] == "line 2: when: 26/10 01:36 GMT is in the future"


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (  # and how to correct a wrong time: void it, log it again
            "done",
            [],
            "action {id} was already dealt with at 16/10 11:00; to correct it: pledgetrack "
            "void {id} --reason '...', then pledgetrack log CW01-L2 ... --received ... --when ...",
        ),
        (
            "open",
            ["--when", "today 08:00"],
            "--when 16/10 08:00 is before the item was received (16/10 09:00)",
        ),
        ("void", [], "action {id} is void"),
        ("open", ["--when", "whenever"], f"--when: cannot read 'whenever' as a date {HELP}"),
    ],
)
def test_respond_refusals(
    cli: Run, db: Path, pledges: None, setup: str, args: list[str], message: str
) -> None:
    if setup == "done":
        item = log(cli, "CW01-L2", "Call", "--received", "today 09:00", "--when", "today 11:00")
    else:
        item = log(cli, "CW01-L2", "Call", "--open", "--received", "today 09:00")
    if setup == "void":
        ok(cli("void", str(item), "--reason", "Duplicate"))
    fails(cli, db, "respond", str(item), *args, text=message.format(id=item))


def test_respond_unknown(cli: Run, db: Path, pledges: None) -> None:
    fails(cli, db, "respond", "99", text="unknown action 99 (see: pledgetrack actions)")


def test_respond_to_a_done_frequency_action(cli: Run, db: Path, pledges: None) -> None:
    # a patrol was never waiting for an answer: not "already dealt with"
    item = log(cli, "CW01-L1", "Patrol", "--when", "today 10:00")
    fails(
        cli,
        db,
        "respond",
        str(item),
        text=f"action {item} is not a response item: it has no received time",
    )


# -- void --------------------------------------------------------------------------------


def test_voided_actions_are_kept_but_not_listed_unless_asked(cli: Run, pledges: None) -> None:
    keep = log(cli, "CW01-L1", "Real patrol", "--when", "yesterday 20:00")
    logged = ok(cli("log", "CW01-L1", "Logged twice", "--when", "yesterday 20:00"))
    wrong = int(logged.stdout)
    assert logged.stderr == (  # the way back, said as it was logged (test_logged_twice.py)
        f"note: same pledge, kind and time as action {keep}; if logged twice: "
        f"pledgetrack void {wrong} --reason 'logged twice'\n"
    )
    result = ok(cli("void", str(wrong), "--reason", "Logged twice by mistake"))
    assert (result.stdout, result.stderr) == ("", f"voided action {wrong}\n")
    assert [a["id"] for a in actions(cli)] == [keep]
    everything = actions(cli, "--include-void")
    assert [(a["id"], a["status"], a["void_reason"]) for a in everything] == [
        (wrong, "void", "Logged twice by mistake"),
        (keep, "done", None),
    ]
    header = ok(cli("actions", "--include-void", "--format", "csv")).stdout.splitlines()[0]
    assert header == f"{ACTION_HEADER},void_reason"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1", "--reason", "  "], "--reason must not be empty"),
        (["99", "--reason", "x"], "unknown action 99 (see: pledgetrack actions)"),
        (["2", "--reason", "again"], "action 2 is already void (first)"),
    ],
)
def test_void_refusals(cli: Run, db: Path, pledges: None, args: list[str], message: str) -> None:
    log(cli, "CW01-L1", "One")
    log(cli, "CW01-L1", "Two")
    ok(cli("void", "2", "--reason", "first"))
    fails(cli, db, "void", *args, text=message)


def test_void_needs_a_reason(cli: Run, db: Path, pledges: None) -> None:
    log(cli, "CW01-L1", "One")
    assert fails(cli, db, "void", "1") == "--reason is required (see: pledgetrack void --help)"


def test_void_id_must_be_a_number(cli: Run, db: Path, pledges: None) -> None:
    log(cli, "CW01-L1", "One")
    assert fails(cli, db, "void", "abc", "--reason", "x") == (
        "ID must be a whole number, not 'abc' (see: pledgetrack void --help)"
    )


# -- actions: filters and order ----------------------------------------------------------


@pytest.fixture
def history(cli: Run, pledges: None, prepared: Prepared) -> None:
    """Six actions over 13-16 October, out of order, one of them void."""

    def build() -> None:
        log(cli, "CW01-L1", "a", "--when", "14/10/2008 19:30", "--kind", "patrol")  # 1
        log(cli, "CW01-L1", "b", "--when", "13/10/2008 23:59", "--kind", "patrol")  # 2
        log(cli, "CW01-L2", "c", "--received", "15/10/2008 00:00", "--when", "16/10/2008 09:00")
        log(cli, "BL02-L1", "d", "--when", "15/10/2008 12:00", "--kind", "meeting")  # 4
        log(cli, "CW01-L2", "e", "--open", "--received", "15/10/2008 08:00")  # 5: open, the 15th
        log(cli, "CW01-L1", "f", "--when", "16/10/2008 00:00", "--kind", "patrol")  # 6
        ok(cli("void", "1", "--reason", "wrong pledge"))

    prepared("actions.history", build)


def ids(cli: Run, *args: str) -> list[int]:
    return [a["id"] for a in actions(cli, *args)]


def test_newest_first(cli: Run, history: None) -> None:
    assert ids(cli) == [3, 6, 4, 5, 2]
    assert ids(cli, "--include-void") == [3, 6, 4, 5, 1, 2]


def test_same_moment_newest_logged_first(cli: Run, pledges: None) -> None:
    for n in range(3):
        ok(cli("log", "CW01-L1", f"patrol {n}", "--when", "14/10/2008 19:30"))
    assert ids(cli) == [3, 2, 1]


def test_newest_first_through_the_repeated_hour(cli: Run, pledges: None) -> None:
    log(cli, "CW01-L1", "first 01:40 (BST)", "--when", "2007-10-28 01:40+01:00")
    log(cli, "CW01-L1", "01:10 GMT, half an hour later", "--when", "2007-10-28 01:10 +00:00")
    log(cli, "CW01-L1", "00:50 BST, earliest", "--when", "2007-10-28 00:50")
    assert ids(cli) == [2, 1, 3]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--team", "cw01"], [3, 6, 5, 2]),
        (["--team", "BL02"], [4]),
        (["--pledge", "cw01-l2"], [3, 5]),
        (["--kind", "patrol"], [6, 2]),
        (["--kind", "meeting"], [4]),
        (["--kind", " Patrol "], [6, 2]),  # as log stores a kind: case and spaces aside
        (["--team", "CW01", "--kind", "PATROL"], [6, 2]),
        (["--from", "15/10/2008"], [3, 6, 4, 5]),
        (["--to", "14/10/2008"], [2]),
        (["--from", "15/10/2008", "--to", "15/10/2008"], [4, 5]),
        (["--from", "2008-10-13", "--to", "2008-10-13"], [2]),
        (["--from", "yesterday", "--to", "today"], [3, 6, 4, 5]),
        (["--limit", "2"], [3, 6]),
        (["-n", "0"], []),
        (["--team", "CW01", "--kind", "patrol", "--limit", "1"], [6]),
        (["--team", "CW01", "--include-void", "--to", "14/10/2008"], [1, 2]),
    ],
)
def test_filters(cli: Run, history: None, args: list[str], expected: list[int]) -> None:
    assert ids(cli, *args) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--team", "NOPE"], "unknown team 'NOPE' (see: pledgetrack team list)"),
        (["--pledge", "NOPE-L1"], "unknown pledge 'NOPE-L1' (see: pledgetrack pledge list)"),
        (["--from", "soon"], f"--from: cannot read 'soon' as a date {HELP}"),
        (
            ["--to", "2008-02-30"],
            "--to: impossible date '2008-02-30': February 2008 has 29 days",
        ),
        (
            ["--from", "16/10/2008", "--to", "15/10/2008"],
            "--to 15/10 is before --from 16/10",
        ),
        (  # not this year: each day says its year
            ["--from", "01/01/2008", "--to", "31/12/2007"],
            "--to 31/12/2007 is before --from 01/01/2008",
        ),
        (["--limit", "-1"], "--limit must be a whole number from 0 to 1,000,000,000, not -1"),
    ],
)
def test_filter_refusals(cli: Run, db: Path, history: None, args: list[str], message: str) -> None:
    fails(cli, db, "actions", *args, text=message)


@pytest.mark.parametrize("limit", [[], ["--limit", "1"]], ids=["all", "limit"])
def test_a_day_is_the_stored_times_own_day_whatever_its_offset(
    cli: Run, db: Path, pledges: None, limit: list[str]
) -> None:
    """--from and --to judge the local day written in the stored time, offset aside. The
    listing indexes' key is the instant, so the range is sought that many hours wider
    (14:59 is the widest offset a sound time has): the two edge times here lie 14:59
    outside the day by the clock of UTC, and a narrower reach loses them."""
    for n in range(4):
        log(cli, "CW01-L1", f"edge {n}", "--when", f"14/10/2008 12:0{n}")
    edges = {  # each id's stored time, as another tool might write it
        1: "2008-10-15T00:00:00+14:59",  # the 15th's first second: 14 October 09:01 UTC
        2: "2008-10-14T23:59:59-14:59",  # the 14th's last second: 15 October 14:58:59 UTC
        3: "2008-10-16T00:00:00+14:59",  # the 16th: 15 October 09:01 UTC
        4: "2008-10-13T23:59:59-14:59",  # the 13th: 14 October 14:58:59 UTC
    }
    with sqlite_utils.Database(db) as conn:
        for action_id, stored in edges.items():
            conn.execute("UPDATE actions SET occurred_at = ? WHERE id = ?", [stored, action_id])
        conn.conn.commit()
    assert ids(cli, "--from", "15/10/2008", "--to", "15/10/2008", *limit) == [1]
    assert ids(cli, "--from", "14/10/2008", "--to", "14/10/2008", *limit) == [2]
    assert ids(cli, "--from", "15/10/2008", *limit) == [3, 1][: 1 if limit else 2]
    assert ids(cli, "--to", "14/10/2008", *limit) == [2, 4][: 1 if limit else 2]


def test_nothing_matches(cli: Run, history: None) -> None:
    result = ok(cli("actions", "--kind", "surgery"))
    assert (result.stdout, result.stderr) == ("", "no actions match\n")
    assert actions(cli, "--kind", "surgery") == []


# -- formats -----------------------------------------------------------------------------


def test_every_format(cli: Run, history: None) -> None:
    data = actions(cli)
    assert [a["description"] for a in data] == ["c", "f", "d", "e", "b"]
    text = ok(cli("actions", "--format", "csv")).stdout
    assert text.splitlines()[0] == ACTION_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["id"]) for r in rows] == [3, 6, 4, 5, 2]
    assert rows[0]["received"] == "2008-10-15T00:00:00+01:00"
    assert rows[3]["when"] == ""  # still open
    plain = ok(cli("actions", "--format", "plain")).stdout
    assert plain.splitlines()[0].split() == [
        "ID",
        "When",
        "Team",
        "Pledge",
        "Kind",
        "Description",
        "Officer",
        "Partner",
        "Hours",
        "Abstracted",
        "Received",
        "Status",
        "Ref",
        "Highlight",
    ]
    assert len(plain.splitlines()) == 2 + 5
    # plain text is for people (a cron mail): times as the table says them, ISO in CSV/JSON
    assert "16/10 09:00" in plain and "+01:00" not in plain
    # piped output (not a terminal) defaults to plain
    assert ok(cli("actions")).stdout == plain
    for fmt in ("plain", "csv", "json", "table"):
        assert "\x1b" not in ok(cli("actions", "--format", fmt)).stdout


def test_description_with_commas_quotes_and_newlines_survives_csv(cli: Run, pledges: None) -> None:
    text = 'Met "Friends of Castle Park", agreed:\nmore bins'
    log(cli, "CW01-L1", text)
    (row,) = csv.DictReader(io.StringIO(ok(cli("actions", "--format", "csv")).stdout))
    assert row["description"] == text
    assert only(cli)["description"] == text


@pytest.fixture
def colour_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make rich believe stdout is a colour terminal, as it would be for a person."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")


def test_tables_are_coloured_only_on_a_terminal_without_no_color(
    cli_with: Callable[..., Run], history: None, colour_terminal: None
) -> None:
    on_terminal = ok(cli_with(stdout_isatty=True)("actions")).stdout
    assert "\x1b[" in on_terminal  # the positive control: colour is possible here
    assert "\x1b" not in ok(cli_with(stdout_isatty=True, no_color=True)("actions")).stdout
    piped = cli_with(stdout_isatty=False)
    assert "\x1b" not in ok(piped("actions", "--format", "table")).stdout
    assert "\x1b" not in ok(piped("actions")).stdout


def test_terminal_default_is_a_table(
    cli_with: Callable[..., Run], history: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = ok(cli_with(stdout_isatty=True, no_color=True)("actions")).stdout
    assert "─" * 20 in out.splitlines()[1]  # the rule under the header row
    assert "Description" in out
    assert "\x1b" not in out


def test_messages_go_to_stderr_and_data_to_stdout(cli: Run, pledges: None) -> None:
    result = ok(cli("log", "CW01-L1", "x"))
    assert (result.stdout, result.stderr) == ("1\n", "")
    result = ok(cli("void", "1", "--reason", "test"))
    assert (result.stdout, result.stderr) == ("", "voided action 1\n")


def test_a_voided_actions_ref_can_be_logged_again_corrected(cli: Run, db: Path, team: str) -> None:
    ok(
        cli(
            "pledge",
            "add",
            team,
            "Patrols",
            "--at-least",
            "1",
            "--per",
            "week",
            "--agreed",
            "01/01/2007",
        )
    )
    first = ok(cli("log", "CW01-L1", "Patrol, wrong park", "--ref", "INC-7")).stdout.strip()
    ok(cli("void", first, "--reason", "wrong park"))
    second = ok(cli("log", "CW01-L1", "Patrol, Castle Park", "--ref", "INC-7")).stdout.strip()
    assert second != first
    again = ok(cli("log", "CW01-L1", "again", "--ref", "INC-7"))  # the voided one not named
    assert again.stderr == f"note: ref INC-7 is also on action {second}\n"


def test_csv_flags_are_1_and_0_as_in_export(cli: Run, pledges: None) -> None:
    log(cli, "CW01-L1", "Event cover", "--hours", "8", "--abstracted")
    log(cli, "CW01-L1", "Ward shift", "--hours", "8")
    rows = list(csv.DictReader(io.StringIO(ok(cli("actions", "--format", "csv")).stdout)))
    assert [(r["description"], r["hours"], r["abstracted"]) for r in rows] == [
        ("Ward shift", "8.0", "0"),
        ("Event cover", "8.0", "1"),
    ]


def test_an_action_against_a_kind_counting_pledge_takes_that_kind(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", team, "Patrols", "--at-least", "2", "--per", "week",
           "--action-kind", "patrol", "--agreed", "01/09/2008"))  # fmt: skip
    for at, kind in (("19:00", []), ("19:30", ["--kind", " "])):  # none, or blank: the pledge's
        result = ok(cli("log", "cw01-l1", "Evening patrol", "--when", f"7/10/2008 {at}", *kind))
        assert result.stdout.strip().isdigit()  # stdout: the id alone
        assert result.stderr == (
            "kind: patrol, the action kind of CW01-L1 (--kind to say otherwise)\n"
        )
    log(cli, "CW01-L1", "Morning patrol", "--when", "15/10/2008 09:00", "--kind", " Patrol ")
    # another kind is stored as typed, and said not to count: one line on stderr, exit 0
    result = ok(cli("log", "CW01-L1", "Leaflet drop", "--when", "15/10/2008 11:00",
                    "--kind", "leaflet"))  # fmt: skip
    assert result.stdout == "4\n"
    assert result.stderr == "note: CW01-L1 counts 'patrol' actions; this 'leaflet' will not count\n"
    result = ok(cli("log", "CW01-L1", "Patrol", "--when", "15/10/2008 12:00", "--kind", "patorl"))
    assert result.stderr == (
        "note: CW01-L1 counts 'patrol' actions; this 'patorl' will not count "
        "(did you mean 'patrol'?)\n"
    )
    assert [a["kind"] for a in actions(cli)] == ["patorl", "leaflet", "patrol", "patrol", "patrol"]
    doc = json.loads(ok(cli("summary", "-p", "2008-W41", "--format", "json")).stdout)
    (row,) = [r for t in doc["teams"] for r in t["pledges"] if r["pledge"] == "CW01-L1"]
    assert (row["actual"], row["status"]) == (2, "green")  # the two without a kind count


def test_hours_must_be_a_finite_number(cli: Run, db: Path, pledges: None) -> None:
    for value in ("inf", "nan"):
        fails(cli, db, "log", "CW01-L1", "Shift", "--hours", value,
              text=f"--hours must be a number, not {value!r} "
              "(see: pledgetrack log --help)")  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["duty", "CW01", "--hours", "1_0"],
         "--hours must be a number, not '1_0' (see: pledgetrack duty --help)"),
        (["duty", "CW01", "--hours", "\u0663"],
         "--hours must be a number, not '\u0663' (see: pledgetrack duty --help)"),
        (["log", "CW01-L1", "x", "--hours", "0x10"],
         "--hours must be a number, not '0x10' (see: pledgetrack log --help)"),
        (["pledge", "add", "CW01", "t", "--at-least", "1_0", "--per", "week"],
         "--at-least must be a whole number, not '1_0' (see: pledgetrack pledge add --help)"),
        (["void", "\u0663", "--reason", "x"],
         "ID must be a whole number, not '\u0663' (see: pledgetrack void --help)"),
        (["pledge", "add", "CW01", "t", "--within", "\u0663h"],
         "--within: cannot read '\u0663h' as a duration (try 24h, 60m, 2d or 1h30m)"),
        (["duty", "CW01", "--hours", "1e-320"], "--hours must be 0 or at least 0.01, not 1e-320"),
        (["duty", "CW01", "--hours", "0.00999"], "--hours must be 0 or at least 0.01, not 0.00999"),
        # underflows to 0, which it is not (ATTACK6 J4: stored as 0 hours)
        (["duty", "CW01", "--hours", "1e-400"],
         "--hours: 1e-400 is too close to 0 to be held as a number (give 0, or the value in full)"),
        (["duty", "CW01", "--hours", "-1e-400"],
         "--hours: -1e-400 is too close to 0 to be held as a number (give 0, or the value "
         "in full)"),
    ],
)  # fmt: skip
def test_a_number_is_plain_ascii_decimals_on_every_path(
    cli: Run, db: Path, pledges: None, args: list[str], message: str
) -> None:
    """Were: `1_0` read as 10, `\u0663h` (Arabic-Indic 3) as 3 hours, 1e-320 hours stored
    as 9.99988867182683e-321; a file refused the first and took the second."""
    fails(cli, db, *args, text=message)


def test_the_smallest_hours_are_accepted(cli: Run, pledges: None) -> None:
    for hours in ("0.01", " 2.5 ", "1e1"):
        ok(cli("duty", "CW01", "--hours", hours))
    ok(cli("log", "CW01-N3", "Shift", "--hours", "0.01"))  # 0 is refused: N3's one floor


def test_future_and_before_agreed_actions_are_refused(cli: Run, db: Path, team: str) -> None:
    ok(cli("pledge", "add", team, "Patrols", "--at-least", "1", "--per", "week",
           "--agreed", "10/10/2008"))  # fmt: skip
    fails(cli, db, "log", "CW01-L1", "Patrol", "--when", "tomorrow",
          text="--when 17/10 00:00 is in the future")  # fmt: skip
    fails(
        cli, db, "log", "CW01-L1", "Patrol", "--when", "09/10/2008",
        text="--when 09/10 is before CW01-L1 was agreed (10/10) and could never "
        "count (to record history, first: pledgetrack pledge edit CW01-L1 --agreed DATE)",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("option", "text", "message"),
    [
        (
            "--when",
            "29/03/2009 01:30",
            "--when: 29/03/2009 01:30 did not happen in Europe/London (clocks went forward at "
            "01:00); give 00:59 or 02:00, or an offset",
        ),
        (
            "--received",
            "28/10/2007 01:30",
            "--received: 28/10/2007 01:30 happened twice in Europe/London (clocks went back at "
            "02:00); give 28/10/2007 01:30 BST (the first) or 28/10/2007 01:30 GMT "
            "(the second)",
        ),
    ],
)
def test_a_clock_change_time_is_refused_naming_the_option(
    cli: Run, db: Path, pledges: None, option: str, text: str, message: str
) -> None:
    fails(cli, db, "log", "CW01-L2", "Call", option, text, text=message)


def test_the_repeated_hour_with_an_offset_is_stored_as_given(cli: Run, pledges: None) -> None:
    log(
        cli, "CW01-L2", "Call", "--received", "28/10/2007 01:30+00:00", "--when", "28/10/2007 02:10"
    )
    assert only(cli)["received"] == "2007-10-28T01:30:00+00:00"


def test_log_against_a_pledge_of_any_kind_says_nothing(cli: Run, pledges: None) -> None:
    log(cli, "CW01-L1", "Walk")  # log() asserts stderr is empty


@pytest.mark.parametrize(
    ("typed", "missing"),
    [("--when=-1", "month"), ("--when=- 1", "month"), ("--when=--1", "month"),
     ("--when=1st", "month"), ("--when=-2008", "day")],
)  # fmt: skip
def test_a_typed_date_without_its_day_is_refused(
    cli: Run, db: Path, team: str, typed: str, missing: str
) -> None:
    """Was stored as the 1st of this month (or today's day and month), exit 0."""
    value = typed.removeprefix("--when=")
    fails(
        cli,
        db,
        "log",
        "CW01-N3",
        "x",
        typed,
        text=f"--when: {value!r} does not name its {missing} (try 14/10/2008, 2008-10-14 "
        "19:30, today, yesterday, tuesday or '2 days ago')",
    )


def test_a_period_that_is_a_date_without_its_day_is_refused(cli: Run, db: Path, team: str) -> None:
    """Was read as the 1st of this month."""
    message = fails(cli, db, "summary", "-p", "-1")
    assert message.startswith("--period: cannot read period '-1' (accepted: 2008-10, "), message
