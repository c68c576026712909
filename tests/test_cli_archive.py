"""`team archive` says what it will do and asks (or needs --yes); `team restore --reopen`
reopens exactly the pledges archiving withdrew (issue 9, item 8)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from helpers import Run, fails, nothing_written, ok
from pledgetrack.cli.context import AppContext
from pledgetrack.environment import Environment
from pledgetrack.errors import InputError
from pledgetrack.exitcodes import ExitCode
from pledgetrack.services import team_lifecycle


@pytest.fixture
def small_team(cli: Run) -> list[str]:
    """CW01 with three local pledges, one of them closed as achieved before the archive."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    refs = [
        ok(cli("pledge", "add", "CW01", title, "--agreed", "01/10/2008")).stdout.strip()
        for title in ("Patrols in Castle Park", "Litter picks", "CCTV installed")
    ]
    ok(cli("pledge", "close", refs[2], "--status", "achieved", "--outcome", "Up", "--on",
           "10/10/2008"))  # fmt: skip
    return refs


def statuses(cli: Run) -> dict[str, str]:
    rows = json.loads(ok(cli("pledge", "list", "--status", "all", "-f", "json")).stdout)
    return {r["ref"]: r["status"] for r in rows}


def test_without_a_terminal_archive_needs_yes_and_changes_nothing(
    cli: Run, db: Path, small_team: list[str]
) -> None:
    fails(
        cli,
        db,
        "team",
        "archive",
        "CW01",
        text="archiving team CW01 withdraws its 2 active pledges as of 2008-10-16: "
        "CW01-L1, CW01-L2; pass --yes to archive it",
    )


def test_on_a_terminal_archive_says_what_and_asks(
    cli: Run, cli_with: Callable[..., Run], db: Path, small_team: list[str]
) -> None:
    person = cli_with(stdin_isatty=True)
    declined = person("team", "archive", "CW01", input="n\n")
    assert declined.exit_code == ExitCode.USAGE
    assert declined.stderr.splitlines()[0] == (
        "archiving team CW01 withdraws its 2 active pledges as of 2008-10-16: CW01-L1, CW01-L2"
    )
    assert "Archive team CW01? [y/N]" in declined.stderr
    assert declined.stderr.endswith("error: team CW01 not archived\n")
    assert statuses(cli) == {"CW01-L1": "active", "CW01-L2": "active", "CW01-L3": "achieved"}
    agreed = ok(person("team", "archive", "CW01", input="y\n"))
    assert agreed.stderr.endswith(
        "archived team CW01; 2 active pledges withdrawn (team restore CW01 --reopen reopens them)\n"
    )
    assert statuses(cli) == {"CW01-L1": "withdrawn", "CW01-L2": "withdrawn", "CW01-L3": "achieved"}


def test_restore_reopen_reopens_what_archiving_withdrew_and_nothing_else(
    cli: Run, small_team: list[str]
) -> None:
    # withdrawn by hand before the archive: not archiving's doing, so it stays withdrawn
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
    ok(cli("pledge", "close", "CW01-L2", "--status", "withdrawn", "--outcome", "Dropped",
           "--on", "12/10/2008"))  # fmt: skip
    ok(cli("team", "archive", "CW01", "--yes"))
    kept = ok(cli("team", "restore", "CW01"))
    assert kept.stderr.splitlines() == [
        "restored team CW01",
        "CW01-L1 (withdrawn when CW01 was archived) stay withdrawn; "
        "reopen them with: pledgetrack team restore CW01 --reopen",
    ]
    assert statuses(cli)["CW01-L1"] == "withdrawn"
    reopened = ok(cli("team", "restore", "CW01", "--reopen"))  # already restored: reopens only
    assert reopened.stderr.splitlines() == ["team CW01 is active", "reopened CW01-L1"]
    assert statuses(cli) == {"CW01-L1": "active", "CW01-L2": "withdrawn", "CW01-L3": "achieved"}


def test_a_second_archive_is_what_restore_reopens(cli: Run, small_team: list[str]) -> None:
    ok(cli("team", "archive", "CW01", "--yes"))
    ok(cli("team", "restore", "CW01", "--reopen"))
    ok(cli("pledge", "close", "CW01-L1", "--status", "not-achieved", "--outcome", "No",
           "--on", "16/10/2008"))  # fmt: skip
    ok(cli("team", "archive", "CW01", "--yes"))  # withdraws CW01-L2 only
    assert ok(cli("team", "restore", "CW01", "--reopen")).stderr.splitlines()[-1] == (
        "reopened CW01-L2"
    )
    assert statuses(cli) == {"CW01-L1": "not-achieved", "CW01-L2": "active",
                             "CW01-L3": "achieved"}  # fmt: skip


def test_restore_of_a_team_that_is_not_archived_is_refused(
    cli: Run, db: Path, small_team: list[str]
) -> None:
    fails(cli, db, "team", "restore", "CW01", text="team CW01 is not archived")


def test_pledges_that_changed_while_asking_are_not_withdrawn(
    cli: Run, db: Path, env: Environment, small_team: list[str]
) -> None:
    """What the user agreed to is what is withdrawn: a pledge added meanwhile stops it."""
    changed = pytest.raises(InputError, match="active pledges changed while asking")
    actx = AppContext(env=env, db_option=db)
    with nothing_written(db), actx.open(create_if_missing=True) as store, changed:
        team_lifecycle.archive_team(store, "CW01", date(2008, 10, 16), expected=["CW01-L1"])


@pytest.mark.parametrize("answer", ["", "n\n"])  # end of input (Ctrl-D) is the default, No
def test_end_of_input_at_the_question_is_no_as_typing_n_is(
    cli: Run, cli_with: Callable[..., Run], db: Path, small_team: list[str], answer: str
) -> None:
    """ATTACK5 B7: it exited 130 "aborted", the status of an interrupt."""
    with nothing_written(db):
        declined = cli_with(stdin_isatty=True)("team", "archive", "CW01", input=answer)
    assert declined.exit_code == ExitCode.USAGE
    assert declined.stderr.splitlines()[-1].endswith("error: team CW01 not archived")
    assert statuses(cli)["CW01-L1"] == "active"


def test_every_question_is_asked_through_the_one_place_that_reads_end_of_input() -> None:
    cli = Path(__file__).parents[1] / "src" / "pledgetrack" / "cli"
    asking = [p.name for p in cli.glob("*.py") if "typer.confirm(" in p.read_text()]
    assert asking == ["options.py"]
