"""Stored values pledgetrack never writes that `db check` passed (ATTACK4 A10, A11, A16):
each is listed naming table, row and column with its way out (exit 3), the reads that meet
one exit 3 naming it (never 70, never a traceback), an export never writes what import
refuses, and following the line's fix leaves a sound file. On the demo database, damaged
with sqlite3 as another tool would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from helpers import Run, assert_error, ok
from pledgetrack.domain.numbers import COUNT, DURATION_MINUTES
from pledgetrack.exitcodes import ExitCode
from test_db_health import CORRECT, check_lists, check_notes, demo, edit

__all__ = ["demo"]  # the fixture, used by name

OCTOBER = ("--period", "2008-10", "--as-of", "2008-11-01")
SEE = "see: pledgetrack db check"
# demo rows: CW01-L1 (frequency, patrols), CW01-L2 (response, 48h), MH03-L2 (frequency)
L1, L2 = 31, 32


@pytest.mark.parametrize(
    ("column", "row", "bad", "edge", "words"),
    [
        ("target_count", L1, COUNT.high + 1, COUNT.high, "a whole number from 1 to 1,000,000"),
        ("target_count", L1, 2**63 - 1, 1, "a whole number from 1 to 1,000,000"),
        ("target_threshold_pct", L2, 100.5, 100.0, "a percentage above 0 and at most 100"),
        ("target_within_minutes", L2, DURATION_MINUTES.high + 1, DURATION_MINUTES.high,
         "a whole number from 1 to 5,270,400"),
    ],
)  # fmt: skip
def test_a_target_figure_past_its_declared_range_is_listed_and_refused(
    cli: Run, demo: Path, tmp_path: Path, column: str, row: int, bad: float, edge: float,
    words: str,
) -> None:
    """A11: target_count 2**63-1 passed db check, reports judged 36893488147419103232
    expected, and its export was refused by import. The edge of the declared range reads;
    one past it is listed by db check and refused by every read, the export too."""
    edit(demo, f"UPDATE pledges SET {column} = ? WHERE id = ?", edge, row)
    ok(cli("db", "check"))
    ok(cli("summary", "--team", "CW01", *OCTOBER))
    edit(demo, f"UPDATE pledges SET {column} = ? WHERE id = ?", bad, row)
    said = (
        f"pledges.{column} of row {row} is not a target value pledgetrack can read "
        f"({bad!r}"
    )
    check_lists(cli, f"stored value: {said}; it must be {words})")
    assert_error(cli("summary", "--team", "CW01", *OCTOBER), ExitCode.DATABASE, f"{said}); {SEE}")
    out = tmp_path / "pledges.csv"
    assert_error(cli("export", "pledges", "--team", "CW01", "-o", str(out)), ExitCode.DATABASE)
    assert not out.exists()


def test_a_void_without_its_reason_is_listed_and_void_records_one(cli: Run, demo: Path) -> None:
    """A11: voided_at set and void_reason NULL (void --reason is required, import refuses
    it) passed db check. Its line's way out records the reason and keeps the void time."""
    edit(demo, "UPDATE actions SET voided_at = '2008-10-20T10:00:00+01:00', void_reason = NULL "
               "WHERE id = 339")  # fmt: skip
    edit(demo, "UPDATE actions SET voided_at = '2008-10-20T10:00:00+01:00', void_reason = ' ' "
               "WHERE id = 340")  # fmt: skip
    check_lists(
        cli,
        *(f"stored value: actions.void_reason of row {i} is {held}, but action {i} is void: "
          f"why is not recorded; to correct it: pledgetrack void {i} --reason '...' (records "
          "the reason, its void time kept)" for i, held in ((339, "NULL"), (340, "blank"))),
        remedy=CORRECT,
    )  # fmt: skip
    ok(cli("void", "339", "--reason", "entered twice"))
    ok(cli("void", "340", "--reason", "entered twice"))
    ok(cli("db", "check"))
    conn = sqlite3.connect(demo)
    assert conn.execute("SELECT voided_at, void_reason FROM actions WHERE id = 339").fetchone() \
        == ("2008-10-20T10:00:00+01:00", "entered twice")  # fmt: skip
    conn.close()
    refused = assert_error(cli("void", "339", "--reason", "again"), ExitCode.USAGE)
    assert refused == "action 339 is already void (entered twice)"


def test_values_log_never_writes_on_a_live_action_are_listed_with_their_fix(
    cli: Run, demo: Path
) -> None:
    """A reason without a void, a delivery on a frequency pledge (A16: `log --delivers`
    refuses it there) and a received time on one: listed; voiding each mends the file."""
    edit(demo, "UPDATE actions SET void_reason = 'dup' WHERE id = 339")
    edit(demo, "UPDATE actions SET delivers = 1 WHERE id = 341")
    edit(demo, "UPDATE actions SET received_at = '2008-09-13T09:00:00+01:00' WHERE id = 77")
    again = "to correct it: pledgetrack void {} --reason '...', then log it again"
    check_lists(
        cli,
        "stored value: actions.received_at of row 77 is set, but CW01-L1 is a frequency "
        f"pledge (log --received applies only to response pledges); {again.format(77)}",
        "stored value: actions.delivers of row 341 is 1, but MH03-L2 is a frequency pledge "
        f"(log --delivers applies only to deadline pledges); {again.format(341)}",
        "stored value: actions.void_reason of row 339 is set, but its voided_at is empty: it "
        "counts; to correct it: pledgetrack void 339 --reason '...' (if it was voided), or "
        "write the cell as NULL",
        remedy=CORRECT,
    )
    for i in (77, 339, 341):
        ok(cli("void", str(i), "--reason", "another tool's row"))
    ok(cli("db", "check"))


def test_text_that_is_not_utf8_is_listed_and_the_read_names_its_row(
    cli: Run, demo: Path
) -> None:
    """A16: an officer of bytes ff 41 passed db check, and every read of the row exited 3
    without naming it (`Could not decode to UTF-8 column 'officer'`)."""
    edit(demo, "UPDATE actions SET officer = CAST(x'ff41' AS TEXT) WHERE id = 77")
    said = "actions.officer of row 77 is not UTF-8 text (byte 0xFF at byte 1): '\\xffA'"
    way = "to correct it: pledgetrack void 77 --reason '...', then log it again"
    check_lists(cli, f"stored text: {said}; {way}", remedy=CORRECT)
    for read in (("actions", "--pledge", "CW01-L1", "-f", "csv"), ("history", "77")):
        assert_error(cli(*read), ExitCode.DATABASE, f"{said}; {way}; {SEE}")
    ok(cli("void", "77", "--reason", "unreadable officer"))
    void = "action 77 is void and counts nowhere; to read it, write the cell again as text"
    check_notes(cli, f"stored text: {said}; {void} (UTF-8, no NUL)")
    ok(cli("actions", "--pledge", "CW01-L1", "-f", "csv"))


def test_a_nul_in_text_is_listed_and_never_exported(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    """A16: a description `a NUL b` was exported raw, into a CSV import refuses. db check
    lists it; export refuses it (exit 3, nothing written) naming the row and column."""
    edit(demo, "UPDATE actions SET description = 'a' || char(0) || 'b' WHERE id = 77")
    edit(demo, "UPDATE teams SET area = 'x' || char(0) WHERE code = 'BL02'")
    check_lists(
        cli,
        "stored text: actions.description of row 77 contains a NUL character (at character "
        "2): 'a\\x00b'; to correct it: pledgetrack void 77 --reason '...', then log it again",
        "stored text: teams.area of row 2 contains a NUL character (at character 2): "
        "'x\\x00'; to correct it: write the cell again as text (UTF-8, no NUL)",
        remedy=CORRECT,
    )
    out = tmp_path / "actions.csv"
    assert_error(
        cli("export", "actions", "-o", str(out)),
        ExitCode.DATABASE,
        "the description of the row whose id is 77 holds a NUL character (at character 2), "
        f"which import refuses: not written; {SEE}",
    )
    assert not out.exists()


def test_a_team_name_left_empty_is_listed_refused_and_mended_by_team_edit(
    cli: Run, demo: Path
) -> None:
    """A10: name '' (team edit --name "" is refused) passed db check, and the public update
    began `# : You said, we did`."""
    edit(demo, "UPDATE teams SET name = '' WHERE code = 'CW01'")
    said = "teams.name of row 1 (team CW01) is not a name pledgetrack can read ('')"
    way = "to correct it: pledgetrack team edit CW01 --name '...'"
    check_lists(cli, f"stored value: {said}; {way}", remedy=CORRECT)
    assert_error(
        cli("report", "update", "CW01", *OCTOBER), ExitCode.DATABASE, f"{said}; {way}; {SEE}"
    )
    ok(cli("team", "edit", "CW01", "--name", "Castle Ward"))
    ok(cli("db", "check"))


@pytest.mark.parametrize(
    ("done", "refused"),
    [("2008-10-31T23:59:00+00:00", True), ("2008-11-01T00:00:00+00:00", False)],
)
def test_a_report_refuses_a_response_item_with_no_received_time_done_in_its_period(
    cli: Run, demo: Path, done: str, refused: bool
) -> None:
    """A8 for the reads: an item of CW01-L2 whose received time was cleared counted as no
    item (its breach gone). A report of the period it was done in refuses it, naming the
    row; the last minute of October is October's, midnight after it November's."""
    edit(demo, "UPDATE actions SET received_at = NULL, occurred_at = ? WHERE id = 91", done)
    result = cli("summary", "--team", "CW01", *OCTOBER)
    if not refused:
        ok(result)
        return
    assert_error(
        result,
        ExitCode.DATABASE,
        "actions.received_at of row 91 is empty, but CW01-L2 is a response pledge: the item "
        "cannot be judged; to correct it: pledgetrack void 91 --reason '...', then log it "
        f"again; {SEE}",
    )


def test_every_report_refuses_an_action_with_no_time(cli: Run, tmp_path: Path, demo: Path) -> None:
    """A7 for the reads: a patrol whose time was cleared counted nowhere and was listed as
    open. No period holds it, so every report of its team refuses it; voiding it, as the
    line says, lets them run again."""
    edit(demo, "UPDATE actions SET occurred_at = NULL WHERE id = 339")
    said = (
        "actions.occurred_at of row 339 is empty, but CW01-L1 is not a response pledge (only "
        "an open response item has no time): it counts nowhere; to correct it: pledgetrack "
        f"void 339 --reason '...', then log it again; {SEE}"
    )
    for report in (
        ("summary", "--team", "CW01", "--period", "2008-03", "--as-of", "2008-11-01"),
        ("overview", *OCTOBER),
        ("check", "--as-of", "2008-11-01"),
        ("report", "hq", *OCTOBER, "-o", str(tmp_path / "hq.html")),
    ):
        assert_error(cli(*report), ExitCode.DATABASE, said)
    ok(cli("summary", "--team", "BL02", *OCTOBER))  # another team's figures stand
    ok(cli("void", "339", "--reason", "its time was lost"))
    ok(cli("overview", *OCTOBER))


def test_an_action_with_no_kind_on_a_pledge_always_counting_one_is_listed(
    cli: Run, demo: Path
) -> None:
    """A10: a CW01-L1 patrol's kind cleared (log stores the pledge's `patrol` for an action
    given none) dropped out of the count and db check said ok. An action logged with no
    kind before its pledge was given one (pledge edit --action-kind) is let be."""
    edit(demo, "UPDATE actions SET kind = NULL WHERE id = 339")
    check_lists(
        cli,
        "stored value: actions.kind of row 339 is empty, but CW01-L1 counts only actions of "
        "its kind, and has since it was made (log stores that kind for an action given "
        "none): it counts nowhere; to correct it: pledgetrack void 339 --reason '...', then "
        "log it again",
        remedy=CORRECT,
    )
    ok(cli("void", "339", "--reason", "its kind was lost"))
    ref = ok(cli("pledge", "add", "CW01", "Litter picks", "--at-least", "1", "--per", "week",
                 "--agreed", "1/10/2008")).stdout.strip()  # fmt: skip
    ok(cli("log", ref, "Litter pick in the park", "--when", "2/10/2008 10:00"))
    ok(cli("pledge", "edit", ref, "--action-kind", "litter pick", "--yes"))
    ok(cli("db", "check"))
