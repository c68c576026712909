"""A time another tool wrote wrong: the reports refuse it (tests/test_stored_times.py), and
the user is told the way out, which works: `void` the action (it reads nothing but its
void) and log it again, or write the cell in the stored form. Never a backup."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from helpers import Run, assert_error, ok
from pledgetrack.exitcodes import ExitCode

_SUMMARY = ("summary", "--team", "CW01", "--period", "2008-10", "--as-of", "2008-10-16")
_WAY_OUT = "to correct it: pledgetrack void 1 --reason '...', then log it again"
_STORED = "2008-10-14T09:00:00+01:00"  # the example the messages give
_SOUND = "2008-10-16T09:00:00+01:00"  # action 1's received time, as stored


def _write(db: Path, sql: str, *params: object) -> None:
    """What another tool (`sqlite3`, a script) does to the file."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql, params)
    conn.close()


def _cell(db: Path, column: str, row: int = 1) -> object:
    conn = sqlite3.connect(db)
    (value,) = conn.execute(f"SELECT {column} FROM actions WHERE id = ?", (row,)).fetchone()
    conn.close()
    return value


@pytest.fixture
def open_item(cli: Run, db: Path, team: str) -> None:
    """Action 1: a message to CW01, received 14 October 09:00 and still open, whose
    received_at another tool rewrote in its own form."""
    ok(cli("message", "CW01", "--received", "16/10/2008 09:00", "--open"))
    _write(db, "UPDATE actions SET received_at = '2008/10/16 09:00' WHERE id = 1")


def test_the_refusal_names_the_way_out_and_void_takes_it(
    cli: Run, db: Path, open_item: None
) -> None:
    refused = (
        "actions.received_at of row 1 is not a time pledgetrack can read "
        f"('2008/10/16 09:00'); {_WAY_OUT}; see: pledgetrack db check"
    )
    assert_error(cli(*_SUMMARY), ExitCode.DATABASE, refused)
    # respond must read the received time to judge the wait: it refuses, naming void
    assert_error(cli("respond", "1", "--when", "16/10/2008 10:00"), ExitCode.DATABASE, refused)
    assert _cell(db, "occurred_at") is None
    check = cli("db", "check")
    assert check.exit_code == ExitCode.DATABASE
    assert check.stdout == (
        "stored time: actions.received_at of row 1 is not in the stored form: "
        f"'2008/10/16 09:00'; {_WAY_OUT} (or write the cell as stored, like {_STORED})\n"
    )
    assert check.stderr == f"error: {db}: 1 problem found; each line says how to correct it\n"

    voided = ok(cli("void", "1", "--reason", "another tool wrote the time"))
    assert voided.stderr == "voided action 1\n"
    assert _cell(db, "received_at") == "2008/10/16 09:00"  # kept as it was: void edits nothing else
    assert _cell(db, "void_reason") == "another tool wrote the time"
    ok(cli(*_SUMMARY))  # a void counts nowhere: the team's reports go on
    ok(cli("message", "CW01", "--received", "16/10/2008 09:00", "--open"))  # logged again
    summary = ok(cli(*_SUMMARY, "-f", "csv")).stdout
    assert summary.count(",CW01-N4,") == 1

    # the void's own cell is what db check and a read of the row now name
    void_said = (
        "action 1 is void and counts nowhere; to read it, write the cell as stored, "
        f"like {_STORED}"
    )
    # a note, not a failure: it counts nowhere, and no command mends a voided row
    check = ok(cli("db", "check"))
    assert check.stdout == ""
    assert check.stderr == (
        "note: stored time: actions.received_at of row 1 is not in the stored form: "
        f"'2008/10/16 09:00'; {void_said}\n"
        f"{db}: ok (integrity, foreign keys, change log)\n"
    )
    assert_error(
        cli("history", "1"),
        ExitCode.DATABASE,
        "actions.received_at of row 1 is not a time pledgetrack can read "
        f"('2008/10/16 09:00'); {void_said}; see: pledgetrack db check",
    )
    assert_error(
        cli("void", "1", "--reason", "again"),
        ExitCode.USAGE,
        "action 1 is already void (another tool wrote the time)",
    )
    # and the cell written as stored: nothing left to say
    _write(db, f"UPDATE actions SET received_at = '{_SOUND}' WHERE id = 1")
    assert ok(cli("db", "check")).stderr == f"{db}: ok (integrity, foreign keys, change log)\n"


def test_a_time_written_as_stored_mends_the_row_without_a_void(
    cli: Run, db: Path, open_item: None
) -> None:
    _write(db, f"UPDATE actions SET received_at = '{_SOUND}' WHERE id = 1")
    ok(cli("respond", "1", "--when", "16/10/2008 10:00"))
    assert _cell(db, "voided_at") is None


def test_void_reaches_a_row_whose_occurred_at_another_tool_wrote(
    cli: Run, db: Path, team: str
) -> None:
    ok(cli("log", "CW01-N1", "Meeting", "--kind", "meeting", "--when", "16/10/2008 11:00"))
    _write(db, "UPDATE actions SET occurred_at = 'now' WHERE id = 1")
    assert_error(
        cli(*_SUMMARY),
        ExitCode.DATABASE,
        f"actions.occurred_at of row 1 is not a time pledgetrack can read ('now'); {_WAY_OUT}; "
        "see: pledgetrack db check",
    )
    ok(cli("void", "1", "--reason", "x"))
    ok(cli(*_SUMMARY))


@pytest.mark.parametrize("text", ["", 0, "2008/10/15 10:00"], ids=repr)
def test_a_voided_at_not_in_the_stored_form_is_no_void_and_void_writes_one(
    cli: Run, db: Path, open_item: None, text: object
) -> None:
    """`''` or `0` may have meant "not void": the reports refuse it; voiding writes a void
    in the stored form, the audit log keeping what was there."""
    _write(db, "UPDATE actions SET received_at = ?, voided_at = ? WHERE id = 1", _SOUND, text)
    stored = _cell(db, "voided_at")  # as the column's affinity keeps it: 0 is '0'
    assert_error(
        cli(*_SUMMARY),
        ExitCode.DATABASE,
        f"actions.voided_at of row 1 is not a time pledgetrack can read ({stored!r}); "
        f"{_WAY_OUT} if it should count; see: pledgetrack db check",
    )
    ok(cli("void", "1", "--reason", "another tool's void"))
    assert _cell(db, "voided_at") == "2008-10-16T15:00:00+01:00"  # the pinned clock, as stored
    conn = sqlite3.connect(db)
    (old,) = conn.execute("SELECT old FROM changes WHERE op = 'void'").fetchone()
    conn.close()
    assert json.loads(old) == {"void_reason": None, "voided_at": stored}
    ok(cli(*_SUMMARY))
    assert ok(cli("db", "check")).stdout == ""


def test_a_voided_at_in_the_stored_form_is_a_void(cli: Run, db: Path, open_item: None) -> None:
    """The edge of the rule above: the stored form, even the first day we record, is a void."""
    _write(
        db,
        "UPDATE actions SET received_at = ?, voided_at = '1900-01-01T00:00:00+00:00', "
        "void_reason = 'old' WHERE id = 1",
        _SOUND,
    )
    assert_error(
        cli("void", "1", "--reason", "x"), ExitCode.USAGE, "action 1 is already void (old)"
    )


def test_db_check_still_says_restore_when_something_else_is_wrong(
    cli: Run, db: Path, open_item: None
) -> None:
    """Only a cell another tool wrote is mended as its line says; a row the change log does
    not know is not."""
    _write(db, "DELETE FROM changes WHERE entity = 'action'")
    check = cli("db", "check")
    assert check.exit_code == ExitCode.DATABASE
    assert check.stdout.splitlines()[0] == "change log: action 1 has no insert entry"
    assert check.stderr == (  # the open item's time is mended: these rows lack history
        f"error: {db}: 2 problems found; each line says how to correct it (the rows with no "
        "insert entry only lack their history: nothing to restore)\n"
    )


def test_a_pledge_date_names_its_stored_form(cli: Run, db: Path, team: str) -> None:
    _write(db, "UPDATE pledges SET review_on = '31/12/2008' WHERE ref = 'CW01-N1'")
    conn = sqlite3.connect(db)
    (row,) = conn.execute("SELECT id FROM pledges WHERE ref = 'CW01-N1'").fetchone()
    conn.close()
    assert_error(
        cli("pledge", "show", "CW01-N1"),
        ExitCode.DATABASE,
        f"pledges.review_on of row {row} is not a date pledgetrack can read ('31/12/2008'); "
        "to correct it: pledgetrack pledge edit CW01-N1 --review DD/MM/YYYY; see: "
        "pledgetrack db check",
    )
    check = cli("db", "check")
    assert check.stdout == (
        f"stored time: pledges.review_on of row {row} is not in the stored form: "
        "'31/12/2008'; to correct it: pledgetrack pledge edit CW01-N1 --review DD/MM/YYYY\n"
    )
    assert check.stderr == f"error: {db}: 1 problem found; each line says how to correct it\n"
