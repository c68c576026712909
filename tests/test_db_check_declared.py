"""Values another tool wrote outside the rule pledgetrack declares for them, which `db
check` passed (ATTACK5): a pledge with no agreed date (in force in no period: it left
every report without a word), a pledge number that is not its ref's (the reports name a
national commitment by it; `pledge add` numbered the next pledge into a ref taken), a
meeting's attendance outside numbers.ATTENDANCE, a priority `meeting --priorities` never
stores. Each is listed naming table, row and column with its mend, and every read that
meets it exits 3 naming it, never 70, never a figure without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Run, assert_error, ok
from pledgetrack.domain.numbers import ATTENDANCE
from pledgetrack.exitcodes import ExitCode
from test_db_health import CORRECT, check_lists, demo, edit

__all__ = ["demo"]  # the fixture, used by name

OCTOBER = ("--period", "2008-10", "--as-of", "2008-11-01")
SEE = "see: pledgetrack db check"
# demo rows: CW01-N1 (1), CW01-L1 (31), CW01-L3 (33)
N1, L1, L3 = 1, 31, 33


def reads(tmp_path: Path) -> list[tuple[str, ...]]:
    """Every read that meets all of CW01's pledges."""
    return [
        ("summary", *OCTOBER), ("check", "--as-of", "2008-11-01"), ("agenda",),
        ("overview", *OCTOBER), ("pledge", "list"), ("export", "pledges"),
        ("export", "summary", *OCTOBER), ("report", "hq", *OCTOBER, "-o",
        str(tmp_path / "hq.html")), ("report", "update", "CW01", *OCTOBER, "-o",
        str(tmp_path / "u.html")),
    ]  # fmt: skip


def test_a_pledge_with_no_agreed_date_is_listed_refused_and_mended_by_pledge_edit(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    """It was in force in no period: export summary left its row out (38 rows of 39)."""
    edit(demo, "UPDATE pledges SET agreed_on = NULL WHERE id = ?", L1)
    mend = "to correct it: pledgetrack pledge edit CW01-L1 --agreed DD/MM/YYYY"
    check_lists(
        cli,
        f"stored time: pledges.agreed_on of row {L1} is empty, but every row has one; {mend}",
        remedy=CORRECT,
    )
    said = f"pledges.agreed_on of row {L1} is not a date pledgetrack can read (None); {mend}; {SEE}"
    for read in [*reads(tmp_path), ("pledge", "show", "CW01-L1")]:
        assert_error(cli(*read), ExitCode.DATABASE, said)
    ok(cli("pledge", "edit", "CW01-L1", "--agreed", "10/09/2008"))
    ok(cli("db", "check"))
    ok(cli("summary", *OCTOBER))


@pytest.mark.parametrize(("row", "ref", "bad"), [
    (L3, "CW01-L3", -1), (L3, "CW01-L3", 0), (L1, "CW01-L1", 4), (N1, "CW01-N1", 11),
    (N1, "CW01-N1", 2**31),
])  # fmt: skip
def test_a_pledge_number_not_its_refs_is_listed_and_refused(
    cli: Run, demo: Path, tmp_path: Path, row: int, ref: str, bad: int
) -> None:
    edit(demo, "UPDATE pledges SET seq = ? WHERE id = ?", bad, row)
    right = ref.rsplit("-", 1)[1][1:]
    check_lists(
        cli,
        f"stored value: pledges.seq of row {row} is not the number of its ref {ref} ({bad}); "
        f"to correct it: write the cell as {right}",
        remedy=CORRECT,
    )
    said = f"pledges.seq of row {row} is not a pledge number pledgetrack can read ({bad}); {SEE}"
    for read in [*reads(tmp_path), ("pledge", "add", "CW01", "Litter picks")]:
        assert_error(cli(*read), ExitCode.DATABASE, said)
    edit(demo, "UPDATE pledges SET seq = ? WHERE id = ?", int(right), row)
    ok(cli("db", "check"))


@pytest.fixture
def meeting(cli: Run, demo: Path) -> int:
    """A CW01 meeting with its attendance and two priorities: its action id."""
    held = ok(cli("meeting", "CW01", "--when", "14/10/2008 19:00", "--attendance", "12",
                  "--priorities", "parking; litter"))  # fmt: skip
    return int(held.stdout)


@pytest.mark.parametrize(
    ("sql", "edge"),
    [(f"attendance = {ATTENDANCE.high + 1}", f"attendance = {ATTENDANCE.high}"),
     ("attendance = -1", "attendance = 0")],
)  # fmt: skip
def test_an_attendance_out_of_its_declared_range_is_listed_and_refused(
    cli: Run, demo: Path, meeting: int, tmp_path: Path, sql: str, edge: str
) -> None:
    edit(demo, f"UPDATE meetings SET {edge} WHERE action_id = ?", meeting)
    ok(cli("db", "check"))
    ok(cli("report", "update", "CW01", *OCTOBER, "-o", str(tmp_path / "edge.html")))
    edit(demo, f"UPDATE meetings SET {sql} WHERE action_id = ?", meeting)
    bad = sql.split(" = ")[1]
    said = (
        f"meetings.attendance of row {meeting} is not a number of residents pledgetrack can "
        f"read ({bad}); it must be a whole number from 0 to 1,000,000, or empty (not "
        "counted); to correct it: write the cell as the number who came"
    )
    check_lists(cli, f"stored value: {said}", remedy=CORRECT)
    out = tmp_path / "actions.csv"
    for read in (("report", "update", "CW01", *OCTOBER, "-o", str(tmp_path / "u.html")),
                 ("priorities", "CW01"), ("export", "actions", "-o", str(out))):  # fmt: skip
        assert_error(cli(*read), ExitCode.DATABASE, f"{said}; {SEE}")
    assert not out.exists()
    edit(demo, "UPDATE meetings SET attendance = NULL WHERE action_id = ?", meeting)
    ok(cli("db", "check"))


@pytest.mark.parametrize("text", ["", "   ", "parking; litter", " parking"])
def test_a_priority_meeting_never_stores_is_listed_and_refused(
    cli: Run, demo: Path, meeting: int, tmp_path: Path, text: str
) -> None:
    """A blank one printed as an empty line; one holding `;` became two through export
    and import."""
    edit(demo, "UPDATE priorities SET text = ? WHERE action_id = ? AND position = 1",
         text, meeting)  # fmt: skip
    said = (
        f"priorities.text of row 1 (meeting {meeting}) is not a priority pledgetrack can read "
        f"({text!r}); it must be one priority's words (not blank, no ';'); to correct it: "
        "write the cell as the priority agreed"
    )
    check_lists(cli, f"stored value: {said}", remedy=CORRECT)
    for read in (("report", "update", "CW01", *OCTOBER, "-o", str(tmp_path / "u.html")),
                 ("priorities", "CW01"), ("export", "actions")):  # fmt: skip
        assert_error(cli(*read), ExitCode.DATABASE, f"{said}; {SEE}")
    edit(demo, "UPDATE priorities SET text = 'parking' WHERE action_id = ? AND position = 1",
         meeting)  # fmt: skip
    ok(cli("db", "check"))
    ok(cli("priorities", "CW01"))
