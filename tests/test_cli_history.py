"""`history KEY`: an unknown key is refused like everywhere else, and a key never means two
records at once (issue 9, item 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import Run, fails, ok
from pledgetrack.exitcodes import ExitCode


def entries(cli: Run, *args: str) -> list[tuple[str, str, str]]:
    rows = json.loads(ok(cli("history", *args, "-f", "json")).stdout)
    return [(r["entity"], r["entity_key"], r["op"]) for r in rows]


@pytest.fixture
def team_one(cli: Run, team: str) -> None:
    """Team CW01 with action 1 logged on CW01-N4, and a team whose code is `1`."""
    ok(cli("log", f"{team}-N4", "Email about parking", "--received", "16/10/2008 09:00"))
    ok(cli("team", "add", "1", "--name", "Team One", "--no-national"))


@pytest.mark.parametrize("key", ["NOPE", "9999", "CW01-L99"])
def test_an_unknown_key_is_refused(cli: Run, db: Path, team_one: None, key: str) -> None:
    message = fails(cli, db, "history", key)
    assert message.startswith(f"no team, pledge or action {key!r}")


def test_a_key_naming_two_records_is_refused_with_the_choices(
    cli: Run, db: Path, team_one: None
) -> None:
    fails(
        cli,
        db,
        "history",
        "1",
        text="'1' is both a team and an action; say which: history --team 1 or history --action 1",
    )


def test_the_kind_made_explicit(cli: Run, team_one: None) -> None:
    assert entries(cli, "--action", "1") == [("action", "1", "insert")]
    assert entries(cli, "--team", "1") == [("team", "1", "insert")]
    assert entries(cli, "--pledge", "cw01-n4") == [("pledge", "CW01-N4", "insert")]
    assert entries(cli, "CW01") == [("team", "CW01", "insert")]  # not the team's pledges


def test_an_explicit_kind_that_does_not_exist_is_refused(
    cli: Run, db: Path, team_one: None
) -> None:
    fails(cli, db, "history", "--action", "2", text="unknown action 2 (see: pledgetrack actions)")
    fails(cli, db, "history", "--team", "CW02", code=ExitCode.USAGE)
    both = ("history", "1", "--team", "1")
    fails(cli, db, *both, text="give one of KEY, --team, --pledge or --action")


@pytest.mark.parametrize("code", ["CW01-L2", "cw01-n10", "X-L1"])
def test_a_team_code_that_looks_like_a_pledge_ref_is_refused(
    cli: Run, db: Path, team: str, code: str
) -> None:
    message = fails(cli, db, "team", "add", code, "--name", "Confusing")
    assert "looks like a pledge reference" in message


def test_team_codes_with_a_hyphen_are_still_fine(cli: Run, team: str) -> None:
    ok(cli("team", "add", "CW-L", "--name", "Castle West", "--no-national"))
    ok(cli("team", "add", "NW-2", "--name", "North West 2", "--no-national"))


@pytest.mark.parametrize(
    ("given", "shown"),
    [("9223372036854775808", "9,223,372,036,854,775,808"), ("0", "0"), ("-5", "-5")],
)
def test_an_action_id_past_sqlite_s_integers_is_refused_naming_the_option(
    cli: Run, db: Path, team_one: None, given: str, shown: str
) -> None:
    """`--action 2**63` reached SQLite unchecked (exit 70, OverflowError): now the bound
    respond and void use, exit 2; the largest id is looked up (unknown, not out of range)."""
    fails(
        cli, db, "history", "--action", given,
        text=f"--action must be a whole number from 1 to 9,223,372,036,854,775,807, not {shown}",
    )  # fmt: skip
    largest = str(2**63 - 1)
    fails(cli, db, "history", "--action", largest,
          text=f"unknown action {largest} (see: pledgetrack actions)")  # fmt: skip
