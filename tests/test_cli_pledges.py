"""`pledgetrack pledge ...` through the real CLI against a real database file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from helpers import Prepared, Run, fails, local, ok

NOT_FOUND = "unknown pledge 'CW01-L9' (see: pledgetrack pledge list)"


def show(cli: Run, ref: str) -> dict[str, Any]:
    return json.loads(ok(cli("pledge", "show", ref, "--format", "json")).stdout)


def listed(cli: Run, *extra: str) -> list[dict[str, Any]]:
    return local(json.loads(ok(cli("pledge", "list", "--format", "json", *extra)).stdout))


@pytest.fixture
def two_teams(cli: Run, team: str, prepared: Prepared) -> None:
    prepared("pledges.two_teams", lambda: ok(cli("team", "add", "BL02", "--name", "Belgrave")))


# -- add ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "target_type", "described"),
    [
        (["--at-least", "2", "--per", "week"], "frequency", "at least 2 per week"),
        (
            ["--at-least", "1", "--per", "Quarter", "--action-kind", "meeting"],
            "frequency",
            "at least 1 per quarter (kind: meeting)",
        ),
        (["--within", "48h", "--threshold", "90"], "response", "within 48h for 90% of items"),
        (["--within", "1h30m"], "response", "within 1h30m"),
        (["--share", "80"], "share", "at least 80% of hours in the neighbourhood"),
        (["--by", "28/11/2008"], "deadline", "by 2008-11-28"),
        ([], "none", "not measured"),
    ],
)
def test_add_each_target_type(
    cli: Run, team: str, options: list[str], target_type: str, described: str
) -> None:
    result = ok(cli("pledge", "add", "CW01", "Castle Park", *options))
    assert result.stdout == "CW01-L1\n"
    record = show(cli, "CW01-L1")
    assert record["target_type"] == target_type
    assert record["target"] == described
    assert record["status"] == "active"
    assert record["team"] == "CW01"


def test_references_count_per_team(cli: Run, two_teams: None) -> None:
    refs = [
        ok(cli("pledge", "add", code, title)).stdout.strip()
        for code, title in [
            ("CW01", "one"),
            ("cw01", "two"),
            ("BL02", "three"),
            ("CW01", "four"),
            ("bl02", "five"),
        ]
    ]
    assert refs == ["CW01-L1", "CW01-L2", "BL02-L1", "CW01-L3", "BL02-L2"]
    assert show(cli, "cw01-l3")["title"] == "four"


def test_closed_pledge_references_are_not_reused(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", "CW01", "one"))
    ok(cli("pledge", "close", "CW01-L1", "--status", "withdrawn", "--outcome", "Merged"))
    assert ok(cli("pledge", "add", "CW01", "two")).stdout == "CW01-L2\n"


PATROLS = ("--at-least", "2", "--per", "week", "--agreed", "01/10/2008")
TWICE = (
    "CW01 already has this pledge: CW01-L1 'Patrols in Castle Park' (at least 2 per week), "
    "active; pass --again to record a second one"
)


@pytest.mark.parametrize(
    "title", ["Patrols in Castle Park", "patrols in castle park", "  Patrols in  Castle Park "]
)
def test_the_same_pledge_added_twice_is_refused(
    cli: Run, db: Path, team: str, title: str
) -> None:
    """A sergeant who runs the command again (did it work?) gets no second pledge that
    would split one promise's actions (FRESH3 F3); the ref is named."""
    ok(cli("pledge", "add", "CW01", "Patrols in Castle Park", *PATROLS))
    fails(cli, db, "pledge", "add", "CW01", title, *PATROLS, text=TWICE)
    # meant: --again records a second one
    assert ok(cli("pledge", "add", "CW01", title, *PATROLS, "--again")).stdout == "CW01-L2\n"


@pytest.mark.parametrize(
    "other",
    [
        ("pledge", "add", "CW01", "Patrols in Castle Park", "--at-least", "3", "--per", "week"),
        ("pledge", "add", "CW01", "Patrols in Castle Park.", *PATROLS),
        ("pledge", "add", "BL02", "Patrols in Castle Park", *PATROLS),
    ],
    ids=["another target", "another title", "another team"],
)
def test_a_pledge_like_another_is_not_a_duplicate(
    cli: Run, two_teams: None, other: tuple[str, ...]
) -> None:
    ok(cli("pledge", "add", "CW01", "Patrols in Castle Park", *PATROLS))
    assert ok(cli(*other)).stderr == ""


def test_a_pledge_closed_before_may_be_agreed_again(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", "CW01", "Patrols in Castle Park", *PATROLS))
    ok(cli("pledge", "close", "CW01-L1", "--status", "achieved", "--outcome", "Calmer"))
    assert ok(cli("pledge", "add", "CW01", "Patrols in Castle Park", *PATROLS)).stdout == (
        "CW01-L2\n"
    )


def test_add_records_dates_meeting_and_description(cli: Run, team: str) -> None:
    ok(
        cli(
            "pledge",
            "add",
            "CW01",
            "Two patrols a week in Castle Park",
            "--at-least",
            "2",
            "--per",
            "week",
            "--agreed",
            "10/9/2008",
            "--review",
            "10/12/2008",
            "--meeting",
            "PACT meeting, 10 Sep 2008",
            "--description",
            "Drinking and noise",
        )
    )
    record = show(cli, "CW01-L1")
    assert record["agreed_on"] == "2008-09-10"
    assert record["review_on"] == "2008-12-10"
    assert record["meeting"] == "PACT meeting, 10 Sep 2008"
    assert record["description"] == "Drinking and noise"
    assert record["title"] == "Two patrols a week in Castle Park"


def test_agreed_defaults_to_today(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", "CW01", "x"))
    assert show(cli, "CW01-L1")["agreed_on"] == "2008-10-16"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE", "x"], "unknown team 'NOPE' (see: pledgetrack team list)"),
        (["CW01", "  "], "TITLE must not be empty"),
        (
            ["CW01", "x", "--review", "1/10/2008"],
            "--review 01/10/2008 is before --agreed 16/10/2008",
        ),
        (
            ["CW01", "x", "--by", "soon"],
            "--by: cannot read 'soon' as a date (try 14/10/2008, 2008-10-14 19:30, tomorrow, "
            "thursday 7pm, 'next thursday' or 31/1)",  # a deadline: examples ahead
        ),
        (
            ["CW01", "x", "--agreed", "31/02/2008"],
            "--agreed: impossible date '31/02/2008': February 2008 has 29 days",
        ),
        (
            ["CW01", "x", "--at-least", "2"],
            "a frequency target needs both --at-least N and --per UNIT",
        ),
        (
            ["CW01", "x", "--at-least", "0", "--per", "week"],
            "--at-least must be a whole number from 1 to 1,000,000, not 0",
        ),
        (
            ["CW01", "x", "--at-least", "2", "--per", "fortnight"],
            "--per must be day, week, month or quarter, not 'fortnight'",
        ),
        (
            ["CW01", "x", "--within", "2h", "--share", "30"],
            "--within (response) and --share (share) cannot be combined: "
            "a pledge has exactly one target",
        ),
        (
            ["CW01", "x", "--at-least", "2", "--per", "week", "--by", "1/12/2008"],
            "--at-least (frequency) and --by (deadline) cannot be combined: "
            "a pledge has exactly one target",
        ),
        (
            ["CW01", "x", "--threshold", "90"],
            "--threshold applies only to response and frequency targets",
        ),
        (
            ["CW01", "x", "--within", "2h", "--threshold", "0"],
            "--threshold must be a percentage above 0 and at most 100, to 2 decimal places, not 0",
        ),
        (
            ["CW01", "x", "--within", "soon"],
            "--within: cannot read 'soon' as a duration (try 24h, 60m, 2d or 1h30m)",
        ),
        (
            ["CW01", "x", "--share", "120"],
            "--share must be a percentage above 0 and at most 100, to 2 decimal places, not 120",
        ),
    ],
)
def test_add_refusals(cli: Run, db: Path, team: str, args: list[str], message: str) -> None:
    ok(cli("pledge", "add", "CW01", "existing"))
    fails(cli, db, "pledge", "add", *args, text=message)


def test_add_with_a_non_number_is_a_usage_error(cli: Run, db: Path, team: str) -> None:
    message = fails(cli, db, "pledge", "add", "CW01", "x", "--at-least", "two", "--per", "week")
    assert message.startswith("--at-least must be a whole number, not 'two'")


# -- list --------------------------------------------------------------------------------


@pytest.fixture
def mixed(cli: Run, two_teams: None, prepared: Prepared) -> None:
    """CW01-L1 active, CW01-L2 achieved, CW01-L3 withdrawn, BL02-L1 active."""

    def build() -> None:
        ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week"))
        ok(cli("pledge", "add", "CW01", "Lights", "--by", "28/11/2008"))
        ok(cli("pledge", "add", "CW01", "Leaflets"))
        ok(cli("pledge", "add", "BL02", "Replies", "--within", "48h"))
        ok(cli("pledge", "close", "CW01-L2", "--status", "achieved", "--outcome", "Lights fixed"))
        ok(cli("pledge", "close", "CW01-L3", "--status", "withdrawn", "--outcome", "Not wanted"))

    prepared("pledges.mixed", build)


def test_list_shows_active_pledges_by_default(cli: Run, mixed: None) -> None:
    assert [(p["team"], p["ref"]) for p in listed(cli)] == [
        ("BL02", "BL02-L1"),
        ("CW01", "CW01-L1"),
    ]


@pytest.mark.parametrize(
    ("status", "refs"),
    [
        ("active", ["BL02-L1", "CW01-L1"]),
        ("achieved", ["CW01-L2"]),
        ("withdrawn", ["CW01-L3"]),
        ("not-achieved", []),
        ("ACHIEVED,withdrawn", ["CW01-L2", "CW01-L3"]),
        ("all", ["BL02-L1", "CW01-L1", "CW01-L2", "CW01-L3"]),
    ],
)
def test_list_by_status(cli: Run, mixed: None, status: str, refs: list[str]) -> None:
    assert [p["ref"] for p in listed(cli, "--status", status)] == refs


def test_list_by_team_drops_the_team_column(cli: Run, mixed: None) -> None:
    rows = listed(cli, "--team", "cw01", "--status", "all")
    assert [p["ref"] for p in rows] == ["CW01-L1", "CW01-L2", "CW01-L3"]
    assert "team" not in rows[0]
    assert rows[1] == {
        "ref": "CW01-L2",
        "title": "Lights",
        "target": "by 2008-11-28",
        "status": "achieved",
        "agreed_on": "2008-10-16",
        "review_on": None,
    }


def test_list_refusals(cli: Run, db: Path, mixed: None) -> None:
    fails(
        cli,
        db,
        "pledge",
        "list",
        "--status",
        "bogus",
        text="--status must be one of active, achieved, not-achieved, withdrawn or all, "
        "not 'bogus'",
    )
    fails(
        cli,
        db,
        "pledge",
        "list",
        "--team",
        "NOPE",
        text="unknown team 'NOPE' (see: pledgetrack team list)",
    )


def test_list_formats(cli: Run, mixed: None) -> None:
    plain = ok(cli("pledge", "list", "--format", "plain")).stdout
    assert "\x1b" not in plain
    assert plain.splitlines()[0].split() == [
        "Team",
        "Ref",
        "Title",
        "Target",
        "Status",
        "Agreed",
        "Review",
    ]
    assert "at least 2 per week" in plain
    text = ok(cli("pledge", "list", "--format", "csv", "--status", "all")).stdout
    assert text.splitlines()[0] == "team,ref,title,target,status,agreed_on,review_on"
    rows = local(list(csv.DictReader(io.StringIO(text))))
    assert [r["ref"] for r in rows] == ["BL02-L1", "CW01-L1", "CW01-L2", "CW01-L3"]
    table = ok(cli("pledge", "list", "--format", "table")).stdout
    assert "CW01-L1" in table and "\x1b" not in table


def test_nothing_to_list(cli: Run, team: str) -> None:
    result = ok(cli("pledge", "list", "--status", "not-achieved"))
    assert (result.stdout, result.stderr) == ("", "no pledges match\n")


# -- show --------------------------------------------------------------------------------


def test_show_includes_recent_actions_newest_first(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week",
           "--agreed", "1/10/2008"))  # fmt: skip
    for when in ("13/10/2008 20:00", "15/10/2008 20:00", "14/10/2008 20:00"):
        ok(cli("log", "CW01-L1", f"Patrol {when}", "--when", when, "--kind", "patrol"))
    record = show(cli, "cw01-l1")
    assert record["ref"] == "CW01-L1"
    assert [a["when"] for a in record["recent_actions"]] == [
        "2008-10-15T20:00:00+01:00",
        "2008-10-14T20:00:00+01:00",
        "2008-10-13T20:00:00+01:00",
    ]
    limited = json.loads(
        ok(cli("pledge", "show", "CW01-L1", "--recent", "1", "--format", "json")).stdout
    )
    assert [a["id"] for a in limited["recent_actions"]] == [2]


def test_show_plain(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week"))
    result = ok(cli("pledge", "show", "CW01-L1"))
    assert result.stdout.startswith("Pledge CW01-L1\n")
    assert "at least 2 per week" in result.stdout
    assert "\x1b" not in result.stdout
    assert result.stderr == "no actions logged yet\n"
    ok(cli("log", "CW01-L1", "Evening patrol"))
    out = ok(cli("pledge", "show", "CW01-L1")).stdout
    assert "Recent actions" in out and "Evening patrol" in out


def test_show_csv_is_one_record(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week"))
    rows = list(
        csv.DictReader(io.StringIO(ok(cli("pledge", "show", "CW01-L1", "-f", "csv")).stdout))
    )
    assert len(rows) == 1
    assert rows[0]["ref"] == "CW01-L1"
    assert rows[0]["target"] == "at least 2 per week"


def test_show_unknown(cli: Run, db: Path, team: str) -> None:
    fails(cli, db, "pledge", "show", "CW01-L9", text=NOT_FOUND)


# -- edit --------------------------------------------------------------------------------


@pytest.fixture
def patrols(cli: Run, team: str, prepared: Prepared) -> str:
    prepared(
        "pledges.patrols",
        lambda: ok(
            cli(
                "pledge",
                "add",
                "CW01",
                "Patrols",
                "--at-least",
                "2",
                "--per",
                "week",
                "--action-kind",
                "patrol",
                "--agreed",
                "10/9/2008",
            )
        ),
    )
    return "CW01-L1"


def test_edit_wording_and_dates(cli: Run, patrols: str) -> None:
    result = ok(
        cli(
            "pledge",
            "edit",
            "cw01-l1",
            "--title",
            "Three patrols",
            "--description",
            "Park",
            "--meeting",
            "PACT Oct",
            "--review",
            "10/12/2008",
        )
    )
    assert result.stdout == "CW01-L1\n"
    record = show(cli, patrols)
    assert (record["title"], record["description"], record["meeting"], record["review_on"]) == (
        "Three patrols",
        "Park",
        "PACT Oct",
        "2008-12-10",
    )
    assert record["agreed_on"] == "2008-09-10"
    assert record["target"] == "at least 2 per week (kind: patrol)"


def test_edit_target_figures_within_its_type(cli: Run, patrols: str) -> None:
    # agreed in September: October's clock has ended a month, so --yes (test_target_edit.py)
    ok(cli("pledge", "edit", patrols, "--at-least", "3", "--yes"))
    assert show(cli, patrols)["target"] == "at least 3 per week (kind: patrol)"
    ok(cli("pledge", "edit", patrols, "--per", "month", "--action-kind", "visit", "--yes"))
    assert show(cli, patrols)["target"] == "at least 3 per month (kind: visit)"


def test_edit_response_target(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", "CW01", "Replies", "--within", "48h", "--threshold", "90"))
    ok(cli("pledge", "edit", "CW01-L1", "--within", "24h"))
    assert show(cli, "CW01-L1")["target"] == "within 24h for 90% of items"
    ok(cli("pledge", "edit", "CW01-L1", "--threshold", "100"))
    assert show(cli, "CW01-L1")["target"] == "within 24h"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--within", "2h"],
            "--within applies to response pledges; CW01-L1 is a frequency pledge "
            "(close it and add a new pledge to change the type)",
        ),
        (
            ["--title", "New", "--share", "50"],
            "--share applies to share pledges; CW01-L1 is a frequency pledge "
            "(close it and add a new pledge to change the type)",
        ),
        (
            ["--by", "1/12/2008"],
            "--by applies to deadline pledges; CW01-L1 is a frequency pledge "
            "(close it and add a new pledge to change the type)",
        ),
        ([], "nothing to change: give at least one option (see --help)"),
        (["--title", "  "], "--title must not be empty"),
        (["--review", "1/9/2008"], "--review 01/09/2008 is before --agreed 10/09/2008"),
        (
            ["--agreed", "1/1/2009", "--review", "1/12/2008"],
            "--review 01/12/2008 is before --agreed 01/01/2009",
        ),
        (["--at-least", "0"], "--at-least must be a whole number from 1 to 1,000,000, not 0"),
        (["--per", "fortnight"], "--per must be day, week, month or quarter, not 'fortnight'"),
    ],
)
def test_edit_refusals(cli: Run, db: Path, patrols: str, args: list[str], message: str) -> None:
    fails(cli, db, "pledge", "edit", patrols, *args, text=message)


def test_edit_unknown(cli: Run, db: Path, patrols: str) -> None:
    fails(cli, db, "pledge", "edit", "CW01-L9", "--title", "x", text=NOT_FOUND)


def test_edit_threshold_on_a_share_pledge_is_refused(cli: Run, db: Path, team: str) -> None:
    ok(cli("pledge", "add", "CW01", "Visible", "--share", "80"))
    fails(
        cli,
        db,
        "pledge",
        "edit",
        "CW01-L1",
        "--threshold",
        "50",
        text="--threshold applies to frequency/response pledges; CW01-L1 is a share pledge "
        "(close it and add a new pledge to change the type)",
    )


# -- close and reopen --------------------------------------------------------------------


@pytest.mark.parametrize("status", ["achieved", "not-achieved", "withdrawn", "Achieved"])
def test_close_with_each_outcome(cli: Run, patrols: str, status: str) -> None:
    result = ok(cli("pledge", "close", patrols, "--status", status, "--outcome", "As reported"))
    assert result.stdout == f"CW01-L1 {status.lower()}\n"
    record = show(cli, patrols)
    assert (record["status"], record["outcome"], record["closed_on"]) == (
        status.lower(),
        "As reported",
        "2008-10-16",
    )
    assert listed(cli) == []


def test_close_on_a_given_date(cli: Run, patrols: str) -> None:
    ok(
        cli(
            "pledge",
            "close",
            patrols,
            "--status",
            "achieved",
            "--outcome",
            "Done",
            "--on",
            "1/10/2008",
        )
    )
    assert show(cli, patrols)["closed_on"] == "2008-10-01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--status", "done", "--outcome", "x"],
            "--status must be achieved, not-achieved or withdrawn, not 'done'",
        ),
        (
            ["--status", "active", "--outcome", "x"],
            "--status must be achieved, not-achieved or withdrawn",
        ),
        (["--status", "achieved", "--outcome", "  "], "--outcome must not be empty"),
        (
            ["--status", "achieved", "--outcome", "x", "--on", "1/9/2008"],
            "--on 01/09 is before CW01-L1 was agreed (10/09)",
        ),
        (
            ["--status", "achieved", "--outcome", "x", "--on", "someday"],
            "--on: cannot read 'someday' as a date (try 14/10/2008, 2008-10-14 19:30, today, "
            "yesterday, tuesday or '2 days ago')",
        ),
    ],
)
def test_close_refusals(cli: Run, db: Path, patrols: str, args: list[str], message: str) -> None:
    fails(cli, db, "pledge", "close", patrols, *args, text=message)


def test_close_needs_an_outcome(cli: Run, db: Path, patrols: str) -> None:
    assert "--outcome is required" in fails(
        cli, db, "pledge", "close", patrols, "--status", "achieved"
    )


def test_close_twice_is_refused(cli: Run, db: Path, patrols: str) -> None:
    ok(cli("pledge", "close", patrols, "--status", "achieved", "--outcome", "Done"))
    fails(
        cli,
        db,
        "pledge",
        "close",
        patrols,
        "--status",
        "withdrawn",
        "--outcome",
        "x",
        text="CW01-L1 is already closed (achieved)",
    )


def test_close_unknown(cli: Run, db: Path, patrols: str) -> None:
    fails(
        cli,
        db,
        "pledge",
        "close",
        "CW01-L9",
        "--status",
        "achieved",
        "--outcome",
        "x",
        text=NOT_FOUND,
    )


def test_closed_pledge_takes_no_actions_after_its_closing_date(
    cli: Run, db: Path, patrols: str
) -> None:
    ok(
        cli(
            "pledge",
            "close",
            patrols,
            "--status",
            "achieved",
            "--outcome",
            "Done",
            "--on",
            "14/10/2008",
        )
    )
    # a late entry for something done before it closed still counts
    ok(cli("log", patrols, "Patrol", "--when", "14/10/2008 20:00"))
    fails(
        cli,
        db,
        "log",
        patrols,
        "Patrol",
        "--when",
        "15/10/2008 09:00",
        text="CW01-L1 was closed (achieved) on 14/10; an action on 15/10 cannot count "
        "(reopen it first)",
    )


def test_reopen_makes_it_active_again(cli: Run, db: Path, patrols: str) -> None:
    ok(cli("pledge", "close", patrols, "--status", "not-achieved", "--outcome", "Too few officers"))
    assert ok(cli("pledge", "reopen", "cw01-l1")).stdout == "CW01-L1 active\n"
    record = show(cli, patrols)
    assert (record["status"], record["outcome"], record["closed_on"]) == ("active", None, None)
    assert [p["ref"] for p in listed(cli)] == ["CW01-L1"]
    ok(cli("log", patrols, "Patrol", "--when", "now"))
    fails(cli, db, "log", patrols, "Patrol", "--when", "tomorrow",
          text="--when 17/10 00:00 is in the future")  # fmt: skip


def test_reopen_refusals(cli: Run, db: Path, patrols: str) -> None:
    fails(cli, db, "pledge", "reopen", patrols, text="CW01-L1 is not closed")
    fails(cli, db, "pledge", "reopen", "CW01-L9", text=NOT_FOUND)


def test_a_pledges_action_kind_is_stored_as_an_actions_kind_is(cli: Run, team: str) -> None:
    """`--action-kind ' Foot  Patrol '` is stored `foot patrol`, as `log --kind` stores a
    kind, so that the actions it counts match it (a kind kept as typed matched none)."""
    ok(cli("pledge", "add", team, "Walks", "--at-least", "1", "--per", "week",
           "--action-kind", " Foot  Patrol ", "--agreed", "01/09/2008"))  # fmt: skip
    shown = json.loads(ok(cli("pledge", "show", "CW01-L1", "-f", "json")).stdout)
    assert "kind: foot patrol" in shown["target"]
    ok(cli("log", "CW01-L1", "Walk", "--kind", "FOOT patrol", "--when", "02/09/2008 10:00"))
    summary = ok(cli("summary", "--team", team, "--period", "2008-W36", "-f", "json")).stdout
    rows = json.loads(summary)["teams"][0]["pledges"]
    row = next(r for r in rows if r["pledge"] == "CW01-L1")
    assert (row["actual"], row["status"]) == (1, "green")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pledge", "add", "CW01", "\u200b"], "TITLE must not be empty: '\\u200b' has no visible "
         "character"),
        (["pledge", "add", "CW01", " \ufeff\u2060 "], "TITLE must not be empty: ' \\ufeff\\u2060 ' "
         "has no visible character"),
        (["pledge", "edit", "CW01-L1", "--title", "\u200d"], "--title must not be empty: "
         "'\\u200d' has no visible character"),
        (["log", "CW01-L1", "\u200b", "--when", "15/10/2008"], "DESCRIPTION must not be empty: "
         "'\\u200b' has no visible character"),
        (["team", "add", "BL02", "--name", "\u00ad"], "--name must not be empty: '\\xad' has no "
         "visible character"),
    ],
)  # fmt: skip
def test_text_that_shows_nothing_is_empty(
    cli: Run, db: Path, team: str, args: list[str], message: str
) -> None:
    """A zero-width space, a byte-order mark, a soft hyphen: an empty cell on every report,
    so refused where text is required, as spaces are (ATTACK A2)."""
    ok(cli("pledge", "add", "CW01", "Patrols", "--agreed", "01/10/2008"))
    fails(cli, db, *args, text=message)


def test_text_with_something_visible_beside_the_invisible_is_kept_exactly(
    cli: Run, team: str
) -> None:
    assert ok(cli("pledge", "add", "CW01", "\u200bLitter\u200b")).stdout == "CW01-L1\n"
    assert show(cli, "CW01-L1")["title"] == "\u200bLitter\u200b"
    # optional text that shows nothing is no text, as spaces are
    ok(cli("pledge", "add", "CW01", "Graffiti", "--description", "\ufeff"))
    assert show(cli, "CW01-L2")["description"] is None
