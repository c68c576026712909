"""A planned meeting's time another tool wrote without a UTC offset (`sqlite3 db "update
planned_meetings set starts_at='2008-10-20T19:00:00'"`), or not a time at all: `report
update` and `next-meeting --cancel` refuse it naming the row, the column and the way to
mend it (exit 3, never 70), `db check` lists it, and the mend works (ATTACK4 A9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Run, another_tool, assert_error, nothing_written, ok
from pledgetrack.exitcodes import ExitCode

FIX = "write the cell as stored, like 2008-10-14T09:00:00+01:00; see: pledgetrack db check"
STARTS = "2008-10-20T19:00:00+01:00"


@pytest.fixture
def announced(cli: Run, team: str) -> Run:
    """CW01's next meeting, Monday 20 October 2008 at 7pm (row 1), announced today."""
    ok(cli("next-meeting", team, "--when", "20/10/2008 19:00", "--place", "Hall"))
    return cli


def _refusal(column: str, text: str) -> str:
    return (
        f"planned_meetings.{column} of row 1 is not a time pledgetrack can read ({text!r}); {FIX}"
    )


@pytest.mark.parametrize(
    ("column", "text"),
    [("starts_at", "2008-10-20T19:00:00"), ("starts_at", "20/10/2008 19:00"),
     ("starts_at", "2008-10-20T19:00:00+01:00 "), ("cancelled_at", "yesterday"),
     ("created_at", "now"), ("created_at", "2008-10-16T15:00:00")],
)  # fmt: skip
def test_a_meeting_time_it_cannot_read_is_refused_naming_the_row(
    announced: Run, db: Path, column: str, text: str
) -> None:
    another_tool(db, f"UPDATE planned_meetings SET {column} = ? WHERE id = 1", text)  # our names
    with nothing_written(db):
        for command in (("report", "update", "CW01", "-p", "2008-10"),
                        ("next-meeting", "CW01", "--cancel")):  # fmt: skip
            assert_error(announced(*command), ExitCode.DATABASE, _refusal(column, text))
    check = announced("db", "check")
    assert check.exit_code == ExitCode.DATABASE
    assert check.stdout == (
        f"stored time: planned_meetings.{column} of row 1 is not in the stored form: "
        f"{text!r}; write the cell as stored, like 2008-10-14T09:00:00+01:00\n"
    )


def test_the_stored_form_is_read_and_the_mend_works(announced: Run, db: Path) -> None:
    """The edge: the same time with its offset, as pledgetrack writes it, reads."""
    another_tool(db, "UPDATE planned_meetings SET starts_at = '2008-10-20T19:00:00' WHERE id = 1")
    assert_error(announced("report", "update", "CW01", "-p", "2008-10"), ExitCode.DATABASE)
    another_tool(db, "UPDATE planned_meetings SET starts_at = ?", STARTS)
    shown = ok(announced("report", "update", "CW01", "-p", "2008-10")).stdout
    assert "Monday 20 October 2008, 7pm, Hall." in shown
    sound = ok(announced("db", "check")).stderr
    assert sound.endswith(": ok (integrity, foreign keys, change log)\n")


def test_an_announcement_made_after_the_update_is_not_read(announced: Run, db: Path) -> None:
    """An update as of a day before the announcement does not show it, and so never
    reads its times (an earlier, sound one is shown)."""
    another_tool(db, "UPDATE planned_meetings SET created_at = '2008-10-01T09:00:00+01:00'")
    ok(announced("next-meeting", "CW01", "--when", "21/10/2008 19:00", "--place", "Library"))
    another_tool(db, "UPDATE planned_meetings SET starts_at = 'garbage' WHERE id = 2")
    shown = ok(announced("report", "update", "CW01", "-p", "2008-10", "--as-of", "15/10/2008"))
    assert "Monday 20 October 2008, 7pm, Hall." in shown.stdout
    refused = announced("report", "update", "CW01", "-p", "2008-10")
    assert "planned_meetings.starts_at of row 2" in assert_error(refused, ExitCode.DATABASE)
