"""`db check` lists every stored value another tool wrote that would break a command or
shift a figure, and the commands that meet one exit 3 naming its row (never 70): on the
demo database, edited with sqlite3 as another tool would."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from conftest import invoke
from helpers import LONDON, Prepared, Run, assert_error, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store.health import damage

AS_OF = ("--as-of", "2008-11-01")
OCTOBER = ("--period", "2008-10", *AS_OF)
# CW01-L3, the demo's deadline pledge (no actions): rows are the demo's ids
L3 = 33


@pytest.fixture
def demo(env: Environment, db: Path, prepared: Prepared) -> Path:
    """The demo database at `db` (built once a session)."""
    prepared("health-demo", lambda: ok(invoke(["demo", "--out", str(db), "-f", "plain"], env)))
    return db


def edit(db: Path, sql: str, *params: object) -> None:
    """A change another tool makes (sqlite3, a script): no pledgetrack rule sees it."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql, params)
    conn.close()


RESTORE = "restore it from a backup (pledgetrack backup) or report it"
CORRECT = "each line says how to correct it"  # every line does: no backup is needed


def check_lists(cli: Run, *lines: str, remedy: str = RESTORE, count: int | None = None) -> None:
    """`db check` prints exactly these lines and exits 3, saying what to do on stderr and
    counting `count` problems (by default one a line)."""
    result = cli("db", "check")
    assert result.exit_code == ExitCode.DATABASE, result.stderr
    assert result.stdout.splitlines() == list(lines)
    n = len(lines) if count is None else count
    assert result.stderr.endswith(f": {n} problem{'s' if n != 1 else ''} found; {remedy}\n")


def check_notes(cli: Run, *lines: str) -> None:
    """`db check` finds no problem (exit 0) and notes exactly these lines on stderr: the
    cells of voided actions, which count nowhere."""
    result = ok(cli("db", "check"))
    assert result.stdout == ""
    *notes, sound = result.stderr.splitlines()
    assert notes == [f"note: {line}" for line in lines]
    assert sound.endswith(": ok (integrity, foreign keys, change log)")


# the pledge dates `pledge edit` repairs, and its option for each
EDITED = {"agreed_on": "--agreed", "review_on": "--review"}


def mend(column: str, ref: str = "CW01-L3") -> str:
    """How db check and a read say a pledge's date is corrected."""
    if column in EDITED:
        return f"to correct it: pledgetrack pledge edit {ref} {EDITED[column]} DD/MM/YYYY"
    return "write the cell as stored, like 2008-10-14"


def unreadable(table: str, column: str, row: int, text: object, what: str) -> str:
    """A read's refusal, with the way out: an action is voided and logged again, a pledge's
    agreed or review date set again with `pledge edit`, another date written as stored; a
    pledge's other values have none but `db check`."""
    way = (
        f"to correct it: pledgetrack void {row} --reason '...', then log it again; "
        if table == "actions"
        else f"{mend(column)}; " if what == "date" else ""
    )
    return (
        f"{table}.{column} of row {row} is not a {what} pledgetrack can read ({text!r}); "
        f"{way}see: pledgetrack db check"
    )


@pytest.mark.parametrize("column", ["review_on", "agreed_on", "target_due"])
@pytest.mark.parametrize("text", ["9999-12-31", "2200-01-01", "1899-12-31"])
def test_a_pledge_date_past_the_supported_days_is_listed_and_refused(
    cli: Run, demo: Path, column: str, text: str
) -> None:
    """review_on 9999-12-31 passed `db check` and `agenda` exited 70 (a day after it
    overflows); every date a read meets is on a day pledgetrack records, 1900-2199."""
    edit(demo, f"UPDATE pledges SET {column} = ? WHERE id = ?", text, L3)
    check_lists(
        cli,
        f"stored time: pledges.{column} of row {L3} is not in the stored form: {text!r}; "
        + mend(column),
        remedy=CORRECT,
    )
    why = unreadable("pledges", column, L3, text, "date")
    for command in (
        ("agenda", "--team", "CW01", *AS_OF),
        ("summary", "--team", "CW01", *OCTOBER),
        ("check", *AS_OF),
        ("pledge", "show", "CW01-L3"),
        ("export", "pledges"),
    ):
        assert_error(cli(*command), ExitCode.DATABASE, why)


@pytest.mark.parametrize(
    ("column", "text"),
    [("review_on", "2199-12-31"), ("target_due", "2199-12-31"), ("agreed_on", "1900-01-01"),
     ("review_on", "1900-01-01"), ("target_due", "1900-01-01")],
)  # fmt: skip
@pytest.mark.parametrize("as_of", ["31/12/2199 23:59", "01/01/1900 00:00", "01/11/2008"])
def test_the_first_and_last_supported_days_work_in_every_report(
    cli: Run, demo: Path, column: str, text: str, as_of: str
) -> None:
    """The edge: 2199-12-31 and 1900-01-01 pass `db check` and every report reads them,
    as of the last minute and the first supported (the agenda's day after is 2200)."""
    edit(demo, f"UPDATE pledges SET {column} = ? WHERE id = ?", text, L3)
    ok(cli("db", "check"))
    at = ("--as-of", as_of)
    period = ("--period", {"3": "2199-12", "0": "1900-01"}.get(as_of[1], "2008-10"), *at)
    for command in (
        ("agenda", "--team", "CW01", "--days", "366", *at),
        ("summary", "--team", "CW01", *period),
        ("overview", *period),
        ("export", "summary", *period),
        ("team", "show", "CW01", *at),
        ("pledge", "show", "CW01-L3"),
    ):
        ok(cli(*command))


def test_a_closed_on_past_the_supported_days_is_refused(cli: Run, demo: Path) -> None:
    edit(
        demo,
        "UPDATE pledges SET status = 'achieved', outcome = 'done', closed_on = ? WHERE id = ?",
        "9999-12-31",
        L3,
    )
    check_lists(
        cli,
        f"stored time: pledges.closed_on of row {L3} is not in the stored form: '9999-12-31'; "
        "write the cell as stored, like 2008-10-14",
        remedy=CORRECT,
    )
    why = unreadable("pledges", "closed_on", L3, "9999-12-31", "date")
    assert_error(cli("agenda", "--team", "CW01", *AS_OF), ExitCode.DATABASE, why)


@pytest.mark.parametrize("kind", ["weird", "Frequency", "", "none "])
def test_an_unknown_target_type_is_listed_and_refused(cli: Run, demo: Path, kind: str) -> None:
    """Read as no target, `weird` showed as "not measured", exit 0: its figures were lost
    without a word."""
    edit(demo, "UPDATE pledges SET target_type = ? WHERE id = ?", kind, L3)
    check_lists(
        cli,
        f"stored value: pledges.target_type of row {L3} is not a target type pledgetrack "
        f"can read ({kind!r})",
    )
    why = unreadable("pledges", "target_type", L3, kind, "target type")
    for command in (
        ("summary", "--team", "CW01", *OCTOBER),
        ("overview", "--period", "2008-10", *AS_OF),
        ("pledge", "list", "--team", "CW01"),
        ("pledge", "show", "CW01-L3"),
    ):
        assert_error(cli(*command), ExitCode.DATABASE, why)
    ok(cli("summary", "--team", "BL02", *OCTOBER))  # another team's reports are unharmed


def test_a_target_value_out_of_its_range_is_listed(cli: Run, demo: Path) -> None:
    """A frequency of 0 a week: reads refused it (exit 3), `db check` said ok."""
    edit(demo, "UPDATE pledges SET target_count = 0 WHERE ref = 'CW01-L1'")
    check_lists(
        cli, "stored value: pledges.target_count of row 31 is not a target value pledgetrack "
        "can read (0; it must be a whole number from 1 to 1,000,000)",
    )
    assert_error(
        cli("summary", "--team", "CW01", *OCTOBER),
        ExitCode.DATABASE,
        unreadable("pledges", "target_count", 31, 0, "target value"),
    )


def damage_a_page(db: Path, table: str = "changes") -> int:
    """Overwrite the cell pointers of the table's first leaf page (of the change log: the
    oldest entries, which no report and no `history --limit` reads), as a failing disk
    would; its number."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page,) = conn.execute(
        "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path LIMIT 1",
        (table,),
    ).fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with db.open("r+b") as file:
        file.seek((page - 1) * size + 8)  # past a leaf page's 8-byte header
        file.write(b"\xff" * 8)
    return int(page)


@pytest.mark.parametrize("table", ["changes", "actions"])
def test_db_check_lists_a_damaged_page(cli: Run, demo: Path, table: str) -> None:
    """Reports that do not reach the page exit 0; `db check` lists SQLite's findings (was
    one line, `database ... is corrupt`, when the check itself stopped at the page)."""
    page = damage_a_page(demo, table)
    if table == "changes":
        ok(cli("summary", "--team", "CW01", *OCTOBER))  # the damage is out of its way
        ok(cli("history", "--limit", "3"))
    result = cli("db", "check")
    assert result.exit_code == ExitCode.DATABASE
    # SQLite's words: what it found on the page (where it gets that far), then its stop
    # SQLite's words, as far as its check gets: the page's cells, the rows it held
    # (`NULL value in changes.at`, `row 4 missing from index ...`), its stop (`malformed`)
    found = result.stdout.splitlines()
    assert found
    assert all(line.startswith("integrity: ") for line in found), found
    assert any(f"page {page} " in line or "malformed" in line for line in found), found
    # how many findings SQLite makes of the page depends on its layout, which the demo's
    # change times (now) shift, and may differ from one check to the next (seen: 1, then
    # 42): each run's closing line counts what that run found; a cause found on more than
    # 20 rows is said as one line, with --all to list them (it failed at random with 28)
    restore = "restore it from a backup (pledgetrack backup) or report it\n"
    said = re.fullmatch(
        rf"error: {re.escape(str(demo))}: ([0-9,]+) problems? found( \((\d+) lines?; every "
        rf"row: pledgetrack --db {re.escape(str(demo))} db check --all\))?; {re.escape(restore)}",
        result.stderr,
    )
    assert said is not None, result.stderr
    if said[2] is None:
        assert int(said[1].replace(",", "")) == len(found)
    else:
        assert int(said[3]) == len(found) < int(said[1].replace(",", "")) and len(found) <= 20
    every = cli("db", "check", "--all")
    assert every.exit_code == ExitCode.DATABASE
    listed = every.stdout.splitlines()
    total = f"error: {demo}: {len(listed):,} problem{'s' if len(listed) > 1 else ''} found"
    assert every.stderr == f"{total}; {restore}"


def test_backup_refuses_a_damaged_database_and_keeps_the_last_good_backup(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    """The backup API copies a damaged page as it is: the nightly copy of a damaged file
    said `backed up` and replaced the last good one."""
    good = tmp_path / "backups" / "pt.db"
    good.parent.mkdir()
    ok(cli("backup", str(good)))
    kept = good.read_bytes()
    damage_a_page(demo)
    # SQLite's first words on it: `On tree page 9 cell 3: ...; 4 more` or `database disk
    # image is malformed`, as its check gets that far
    why = re.compile(
        rf"{re.escape(str(demo))} is damaged \((On tree page|database disk image).+\): not "
        "backed up, any earlier backup kept; see: pledgetrack db check"
    )
    assert why.fullmatch(assert_error(cli("backup", str(good), "--yes"), ExitCode.DATABASE))
    assert good.read_bytes() == kept
    new = str(good.parent / "new.db")
    assert why.fullmatch(assert_error(cli("backup", new), ExitCode.DATABASE))
    assert sorted(p.name for p in good.parent.iterdir()) == ["pt.db"]  # no half file


def test_backup_of_a_sound_database_checks_and_writes_it(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    assert ok(cli("backup", str(copy))).stderr == f"backed up {demo} to {copy}\n"
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


# CW01-N3's first October duty (hours 24, in the neighbourhood), and CW01-N4's first
# October message dealt with, in the demo database
DUTY = 249
MESSAGE = 252


def value_line(column: str, row: int, value: object, what: str) -> str:
    return (
        f"stored value: actions.{column} of row {row} is not a {what} pledgetrack can read "
        f"({value!r}); to correct it: pledgetrack void {row} --reason '...', then log it again"
    )


@pytest.mark.parametrize(
    ("column", "value", "what"),
    [("hours", -5.0, "number of hours"), ("hours", 1e9, "number of hours"),
     ("hours", 0.005, "number of hours"), ("hours", 8784.01, "number of hours"),
     ("hours", -0.0001, "number of hours"), ("abstracted", 7, "flag (0 or 1)"),
     ("abstracted", -1, "flag (0 or 1)")],
)  # fmt: skip
def test_hours_or_a_flag_out_of_range_is_listed_and_refused(
    cli: Run, demo: Path, column: str, value: object, what: str
) -> None:
    """Negative or huge hours, or abstracted=7: `db check` said ok and the share of time in
    the neighbourhood came out as nonsense (past 100%, or below 0). Each report that sums
    them now stops naming the row; voiding it, as the line says, clears it."""
    edit(demo, f"UPDATE actions SET {column} = ? WHERE id = ?", value, DUTY)
    check_lists(cli, value_line(column, DUTY, value, what), remedy=CORRECT)
    why = unreadable("actions", column, DUTY, value, what)
    for command in (
        ("summary", "--team", "CW01", *OCTOBER),
        ("overview", "--period", "2008-10", *AS_OF),
        ("export", "summary", "--period", "2008-10", *AS_OF),
    ):
        assert_error(cli(*command), ExitCode.DATABASE, why)
    ok(cli("summary", "--team", "BL02", *OCTOBER))
    ok(cli("void", str(DUTY), "--reason", "hours written by a script"))
    ok(cli("summary", "--team", "CW01", *OCTOBER))  # void: it counts nowhere
    # and its cell is noted, for history and actions --include-void to read it: no
    # failing exit, since it counts nowhere and no command mends a voided row (ATTACK4 F12)
    form = "0, or 0.01 to 8784" if column == "hours" else "0 or 1"
    check_notes(
        cli,
        f"stored value: actions.{column} of row {DUTY} is not a {what} pledgetrack can read "
        f"({value!r}); action {DUTY} is void and counts nowhere; to read it, write the cell "
        f"as {form}",
    )
    edit(demo, f"UPDATE actions SET {column} = 0 WHERE id = ?", DUTY)
    ok(cli("db", "check"))
    ok(cli("history", str(DUTY)))


@pytest.mark.parametrize("hours", [0.0, 0.01, 8784.0])
def test_the_hours_a_user_may_enter_pass(cli: Run, demo: Path, hours: float) -> None:
    """The edges of domain.numbers.HOURS: 0, the smallest (0.01), a leap year's."""
    edit(demo, "UPDATE actions SET hours = ? WHERE id = ?", hours, DUTY)
    ok(cli("db", "check"))
    ok(cli("summary", "--team", "CW01", *OCTOBER))


def test_a_highlight_or_delivers_flag_out_of_range_is_listed(cli: Run, demo: Path) -> None:
    edit(demo, "UPDATE actions SET highlight = 2, delivers = 9 WHERE id = ?", DUTY)
    check_lists(
        cli,
        value_line("highlight", DUTY, 2, "flag (0 or 1)"),
        value_line("delivers", DUTY, 9, "flag (0 or 1)"),
        remedy=CORRECT,
    )


@pytest.mark.parametrize(
    ("occurred", "listed"),
    [("2008-10-01T09:59:59+01:00", True), ("2008-10-01T10:00:00+01:00", False),
     ("2008-10-01T09:30:00+00:00", False), ("2008-10-01T08:59:59+00:00", True)],
)  # fmt: skip
def test_a_response_before_its_item_came_in_is_listed_and_refused(
    cli: Run, demo: Path, occurred: str, listed: bool
) -> None:
    """Received 10:00 BST: dealt with a second before is listed (it counted as met, a wait
    below zero), at the same instant is not; by the instant, not the text (09:30 GMT is
    10:30 BST)."""
    received = "2008-10-01T10:00:00+01:00"
    edit(
        demo,
        "UPDATE actions SET received_at = ?, occurred_at = ? WHERE id = ?",
        received,
        occurred,
        MESSAGE,
    )
    same = datetime.fromisoformat(occurred).astimezone(LONDON).isoformat()
    # a GMT time on a BST day is written in an offset London did not have then: listed too
    zone_line = [] if occurred.endswith("+01:00") else [
        f"time zone: actions.occurred_at of row {MESSAGE} is {occurred}, not a time "
        "Europe/London had (Europe/London was +01:00 then): a report counts it on the day "
        f"its text says; to correct it: pledgetrack void {MESSAGE} --reason '...', then log "
        f"it again, or write the cell as the same instant in Europe/London: {same!r}"
    ]  # fmt: skip
    if not listed:
        if zone_line:
            check_lists(cli, *zone_line, remedy=CORRECT)
        else:
            ok(cli("db", "check"))
        ok(cli("summary", "--team", "CW01", *OCTOBER))
        return
    why = (
        f"actions.occurred_at of row {MESSAGE} is before its received_at ({occurred!r} < "
        f"{received!r}): the item was dealt with before it came in"
    )
    check_lists(
        cli,
        *zone_line,
        f"stored value: {why}; to correct it: pledgetrack void {MESSAGE} --reason '...', "
        "then log it again",
        remedy=CORRECT,
    )
    for command in (
        ("summary", "--team", "CW01", *OCTOBER),
        ("overview", "--period", "2008-10", *AS_OF),
    ):
        assert_error(
            cli(*command),
            ExitCode.DATABASE,
            f"{why}; to correct it: pledgetrack void {MESSAGE} --reason '...', then log it "
            "again; see: pledgetrack db check",
        )
    ok(cli("void", str(MESSAGE), "--reason", "times written by a script"))
    ok(cli("summary", "--team", "CW01", *OCTOBER))
    if not zone_line:
        ok(cli("db", "check"))
        return
    check_notes(  # void, it counts nowhere: its cell is mended, never voided again
        cli,
        f"time zone: actions.occurred_at of row {MESSAGE} is {occurred}, not a time "
        "Europe/London had (Europe/London was +01:00 then): a report counts it on the day "
        f"its text says; action {MESSAGE} is void and counts nowhere; to read it, write "
        f"the cell as the same instant in Europe/London: {same!r}",
    )
    edit(demo, "UPDATE actions SET occurred_at = ? WHERE id = ?", same, MESSAGE)
    ok(cli("db", "check"))


def test_actions_outside_a_closed_pledges_life_are_listed_with_the_fix(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    """CW01-L1's actions run from 13/09/2008 to 19/11/2008; closing it on 18/11 and moving
    its agreed day to 14/09 by hand (as the old close and edit did) left actions outside
    its life: they never count, and `import actions` of an export refused them."""
    edit(
        demo,
        "UPDATE pledges SET agreed_on = '2008-09-14', review_on = NULL, status = 'achieved', "
        "outcome = 'done', closed_on = '2008-11-18' WHERE ref = 'CW01-L1'",
    )
    before = (
        "before CW01-L1 was agreed (14/09/2008): it never counts, and import actions "
        "refuses it; to correct it: pledgetrack void {id} --reason '...', or pledgetrack "
        "pledge edit CW01-L1 --agreed 13/09/2008"
    )
    after = (
        "after CW01-L1 was closed (18/11/2008): it never counts, and import actions refuses "
        "it; to correct it: pledgetrack void 683 --reason '...', or pledgetrack pledge "
        "reopen CW01-L1, then pledgetrack pledge close CW01-L1 --on 19/11/2008 ..."
    )
    check_lists(
        cli,
        *(f"stored value: action {i} of CW01-L1 on 13/09/2008 is {before.format(id=i)}"
          for i in (77, 78, 79)),
        f"stored value: action 683 of CW01-L1 on 19/11/2008 is {after}",
        remedy=CORRECT,
    )  # fmt: skip
    ok(cli("pledge", "edit", "CW01-L1", "--agreed", "13/09/2008"))
    ok(cli("void", "683", "--reason", "after the pledge closed"))
    ok(cli("db", "check"))
    export = tmp_path / "actions.csv"
    ok(cli("export", "actions", "--team", "CW01", "-o", str(export)))


def test_an_action_naming_another_team_than_its_pledges_is_listed_with_the_fix(
    cli: Run, demo: Path
) -> None:
    """Action 77 is CW01-L1's; another tool wrote BL02 into its team_id: the reports counted
    it for CW01, `actions --team BL02` listed it, and db check said the file was sound."""
    edit(demo, "UPDATE actions SET team_id = (SELECT id FROM teams WHERE code = 'BL02') "
               "WHERE id IN (77, 78)")  # fmt: skip
    ok(cli("void", "78", "--reason", "a voided row counts nowhere: not listed"))
    listed = ok(cli("actions", "--team", "BL02", "-f", "csv")).stdout
    assert "\n77," in listed
    check_lists(
        cli,
        "stored value: action 77 of CW01-L1 names team BL02 (actions.team_id), not CW01, "
        "whose pledge it is: the reports count it for CW01, `actions --team BL02` lists it; "
        "to correct it: pledgetrack void 77 --reason '...', and log it again against "
        "CW01-L1",
        remedy=CORRECT,
    )
    ok(cli("void", "77", "--reason", "written under the wrong team"))
    ok(cli("db", "check"))


def test_an_action_without_the_time_its_pledge_is_judged_by_is_listed(
    cli: Run, demo: Path
) -> None:
    """ATTACK4 A8, A7: another tool cleared the received time of CW01-L2's breached item (91;
    September's red read green) and the time of a CW01-L1 patrol (339; counted nowhere,
    listed as open): db check said the file was sound."""
    edit(demo, "UPDATE actions SET received_at = NULL WHERE id = 91")
    edit(demo, "UPDATE actions SET occurred_at = NULL WHERE id = 339")
    edit(demo, "UPDATE actions SET occurred_at = NULL WHERE id = 340")
    ok(cli("void", "340", "--reason", "a voided row counts nowhere: not listed"))
    fix = "to correct it: pledgetrack void {} --reason '...', then log it again"
    check_lists(
        cli,
        "stored value: actions.received_at of row 91 is empty, but CW01-L2 is a response "
        f"pledge: the item cannot be judged; {fix.format(91)}",
        "stored value: actions.occurred_at of row 339 is empty, but CW01-L1 is not a "
        "response pledge (only an open response item has no time): it counts nowhere; "
        f"{fix.format(339)}",
        remedy=CORRECT,
    )
    ok(cli("void", "91", "--reason", "its received time was lost"))
    ok(cli("void", "339", "--reason", "its time was lost"))
    ok(cli("db", "check"))


def test_kinds_stored_before_normalisation_are_listed_and_db_upgrade_normalises_them(
    cli: Run, demo: Path
) -> None:
    """A pledge counting `Foot  Patrol` while `log` stores `foot patrol`, and actions of kind
    `Speed-Check `: each silently matched nothing. `db check` names them and the command
    that repairs them; `db upgrade` normalises them, logs each row, and says loudly which
    pledges' figures change (they never shift silently)."""
    edit(demo, "UPDATE pledges SET target_action_kind = 'Foot  Patrol' WHERE ref = 'CW01-L1'")
    edit(demo, "UPDATE actions SET kind = 'foot patrol' WHERE pledge_id = 31 AND id < 200")
    edit(demo, "UPDATE actions SET kind = 'Speed-Check ' WHERE id IN (127, 149, 177)")
    repair = "to correct it: pledgetrack db upgrade (normalises every kind and says which " \
        "figures change)"  # fmt: skip
    check_lists(
        cli,
        "stored kind: pledges.target_action_kind of row 31 (CW01-L1) is 'Foot  Patrol', not "
        "as pledgetrack stores kinds ('foot patrol'): it counts no action logged with that "
        f"kind since; {repair}",
        "stored kind: actions.kind of 3 rows (127, 149, 177) is 'Speed-Check ', not as "
        "pledgetrack stores kinds ('speed-check'): no pledge counting that kind counts "
        f"them; {repair}",
        remedy=CORRECT,
        count=4,  # the pledge, and the three actions
    )
    before = ok(cli("export", "summary", *OCTOBER)).stdout
    result = ok(cli("db", "upgrade"))
    assert result.stderr.splitlines() == [
        "normalised pledges.target_action_kind 'Foot  Patrol' -> 'foot patrol' (1 row)",
        "normalised actions.kind 'Speed-Check ' -> 'speed-check' (3 rows)",
        "FIGURES CHANGE: CW01-L1 counts 'foot patrol' actions: 0 of its actions matched, "
        "12 now (every period's figures for it may change)",
        "FIGURES CHANGE: MH03-L2 counts 'speed-check' actions: 29 of its actions matched, "
        "32 now (every period's figures for it may change)",
    ]
    ok(cli("db", "check"))
    after = ok(cli("export", "summary", *OCTOBER)).stdout
    changed = {line.split(",")[3] for line in set(after.splitlines()) ^ set(before.splitlines())}
    # only pledges it named (MH03-L2's three were in September: its October is as it was)
    assert changed == {"CW01-L1"}
    history = ok(cli("history", "127", "-f", "json")).stdout
    assert '"op": "normalise"' in history and '"Speed-Check "' in history
    assert ok(cli("db", "upgrade")).stderr.endswith("nothing to do\n")


def test_a_blank_kind_normalises_to_every_kind_and_says_so(cli: Run, demo: Path) -> None:
    """A pledge counting `  ` counted nothing; normalised it counts every kind (NULL)."""
    edit(demo, "UPDATE pledges SET target_action_kind = '  ' WHERE ref = 'CW01-L1'")
    lines = ok(cli("db", "upgrade")).stderr.splitlines()
    assert lines == [
        "normalised pledges.target_action_kind '  ' -> None (1 row)",
        "FIGURES CHANGE: CW01-L1 counts every kind: 0 of its actions matched, 34 now "
        "(every period's figures for it may change)",
    ]


@pytest.mark.parametrize(
    "as_of",
    ["01/01/1900 00:00", "31/01/1900", "31/03/1900 23:59", "01/02/1900", "31/12/2199 23:59"],
)
def test_check_on_the_first_and_last_supported_days(cli: Run, demo: Path, as_of: str) -> None:
    """`check --as-of 01/01/1900` exited 2 (`period 'last-month' is outside the supported
    years`, a period nobody typed): no month or quarter ended before 1900 to look back on.
    It lists what it finds (exit 1) or nothing (0), as on any other day."""
    edit(demo, "UPDATE pledges SET agreed_on = '1900-01-01' WHERE ref = 'CW01-L1'")
    result = cli("check", "--as-of", as_of)
    assert result.exit_code in (ExitCode.OK, ExitCode.PROBLEMS_FOUND), result.stderr
    assert result.stderr == ""


class _Stops:
    """A connection whose check stops with SQLite's error `code` (a unit test: a full disk
    mid-check cannot be made on demand)."""

    def __init__(self, code: int) -> None:
        self.code = code

    def execute(self, sql: str) -> list[tuple[str]]:
        exc = sqlite3.DatabaseError("stopped")
        exc.sqlite_errorcode = self.code  # type: ignore[attr-defined]
        raise exc


@pytest.mark.parametrize("code", [sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB])
def test_a_check_that_stops_on_damage_lists_it(code: int) -> None:
    assert damage(_Stops(code)) == ["stopped"]  # type: ignore[arg-type]


@pytest.mark.parametrize("code", [sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY])
def test_a_check_that_the_system_stops_is_no_damage(code: int) -> None:
    """A full disk or an I/O error is the system refusing (exit 74), a lock is busy: none
    is a damaged page, so none is listed as one."""
    with pytest.raises(sqlite3.DatabaseError):
        damage(_Stops(code))  # type: ignore[arg-type]
