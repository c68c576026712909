"""`db check` counts every problem, names a cause found on many rows once (its first rows,
and how to see every one), and each line's way out works when followed (FRESH2 G21)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Run, add_weekly_patrols, assert_error, ok
from pledgetrack.exitcodes import ExitCode
from test_db_check import _tamper as _sql  # another tool's write, behind our back

HISTORY = (
    "every report reads these rows as they stand, only their history lacks the entry "
    "(another program wrote them?): nothing to restore; report it if pledgetrack wrote them"
)
CORRECT = "each line says how to correct it"


def _actions(cli: Run, tmp_path: Path, n: int) -> None:
    """CW01-L1 and `n` patrols on it, imported in one go."""
    add_weekly_patrols(cli, "CW01")
    rows = "".join(
        f"CW01,CW01-L1,{1 + i % 15:02d}/10/2008 {i % 24:02d}:10,Patrol {i}\n" for i in range(n)
    )
    csv = tmp_path / "a.csv"
    csv.write_text("team,pledge,when,description\n" + rows)
    ok(cli("import", "actions", str(csv)))


@pytest.mark.parametrize("n", [20, 21])
def test_a_cause_on_more_rows_than_are_listed_is_one_counted_line(
    cli: Run, db: Path, team: str, tmp_path: Path, n: int
) -> None:
    """Twenty rows are twenty lines; the twenty-first makes the cause one line, counting
    every row and naming the first twenty; the closing line counts rows, not lines."""
    _actions(cli, tmp_path, n)
    _sql(db, "DELETE FROM changes WHERE entity = 'action'")
    result = cli("db", "check")
    assert result.exit_code == ExitCode.DATABASE
    lines = result.stdout.splitlines()
    if n == 20:
        assert lines == [f"change log: action {i} has no insert entry" for i in range(1, 21)]
        assert result.stderr == f"error: {db}: 20 problems found; {HISTORY}\n"
        return
    ids = ", ".join(str(i) for i in range(1, 21))
    every = f"pledgetrack --db {db} db check --all"
    assert lines == [
        f"change log: 21 actions have no insert entry; the first 20: {ids} (every one: {every})"
    ]
    assert result.stderr == (
        f"error: {db}: 21 problems found (1 line; every row: {every}); {HISTORY}\n"
    )
    everything = cli("db", "check", "--all")
    assert everything.stdout.splitlines() == [
        f"change log: action {i} has no insert entry" for i in range(1, 22)
    ]
    assert everything.stderr == f"error: {db}: 21 problems found; {HISTORY}\n"


def test_the_count_is_of_every_cause_together(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """Two causes, one cut and one not: the total is every row of both."""
    _actions(cli, tmp_path, 30)
    _sql(
        db,
        "DELETE FROM changes WHERE entity = 'action'",
        "UPDATE actions SET abstracted = 7 WHERE id IN (3, 5)",
    )
    result = cli("db", "check")
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("change log: 30 actions have no insert entry; the first 20: 1, 2,")
    assert [line.split(";")[0] for line in lines[1:]] == [
        f"stored value: actions.abstracted of row {i} is not a flag (0 or 1) pledgetrack "
        "can read (7)"
        for i in (3, 5)
    ]
    assert result.stderr.startswith(f"error: {db}: 32 problems found (3 lines; ")
    # the change log lacks history, the flags are mended as their lines say
    assert result.stderr.endswith(
        "each line says how to correct it (the rows with no insert entry only lack their "
        "history: nothing to restore)\n"
    )


def test_the_fix_for_a_deleted_zone_row_is_db_upgrade_and_it_works(
    cli: Run, db: Path, team: str
) -> None:
    _sql(db, "DELETE FROM settings WHERE key = 'timezone'")
    result = cli("db", "check")
    assert result.stdout == (
        "time zone: none recorded (settings.timezone), so each command uses its own "
        f"configured zone; to record the zone its times are in: pledgetrack --db {db} db "
        "upgrade (it records PLEDGETRACK_TZ, else Europe/London, once the stored times fit "
        "that zone)\n"
    )
    assert result.stderr == f"error: {db}: 1 problem found; {CORRECT}\n"
    ok(cli("db", "upgrade"))
    ok(cli("db", "check"))
    assert ok(cli("db", "info")).stdout.count("time zone: Europe/London") == 1


@pytest.mark.parametrize(
    ("stored", "fits"),
    [
        ("2008-10-02T04:30:00+09:00", False),  # 20:30 BST the evening before, in +09:00
        ("2008-10-01T19:30:00+00:00", False),  # GMT on a summer-time day
        ("2008-10-01T19:30:00+01:00", True),
        ("2008-10-26T01:30:00+00:00", True),  # the hour the clocks go back: both fit
        ("2008-10-26T01:30:00+01:00", True),
        ("2008-10-26T02:30:00+01:00", False),  # after it: GMT only
    ],
)
def test_an_offset_the_recorded_zone_did_not_have_is_listed_with_its_instant(
    cli: Run, db: Path, team: str, stored: str, fits: bool
) -> None:
    add_weekly_patrols(cli, "CW01")
    ok(cli("log", "CW01-L1", "Patrol", "--when", "01/10/2008 19:30"))
    _sql(db, f"UPDATE actions SET occurred_at = '{stored}' WHERE id = 1")
    if fits:
        ok(cli("db", "check"))
        return
    from datetime import datetime

    from helpers import LONDON

    same = datetime.fromisoformat(stored).astimezone(LONDON).isoformat()
    result = cli("db", "check")
    assert result.stdout == (
        f"time zone: actions.occurred_at of row 1 is {stored}, not a time Europe/London had "
        f"(Europe/London was {same[19:]} then): a report counts it on the day its text "
        "says; to correct it: pledgetrack void 1 --reason '...', then log it again, or "
        f"write the cell as the same instant in Europe/London: {same!r}\n"
    )
    assert result.stderr == f"error: {db}: 1 problem found; {CORRECT}\n"
    _sql(db, f"UPDATE actions SET occurred_at = '{same}' WHERE id = 1")  # as the line says
    ok(cli("db", "check"))


def test_a_misfit_on_a_voided_action_is_mended_in_its_cell(cli: Run, db: Path, team: str) -> None:
    add_weekly_patrols(cli, "CW01")
    ok(cli("log", "CW01-L1", "Patrol", "--when", "01/10/2008 19:30"))
    _sql(db, "UPDATE actions SET occurred_at = '2008-10-02T04:30:00+09:00' WHERE id = 1")
    ok(cli("void", "1", "--reason", "written by a script"))  # the first line's way out
    result = ok(cli("db", "check"))  # a note: it counts nowhere
    assert "note: time zone: actions.occurred_at of row 1" in result.stderr
    assert "action 1 is void and counts nowhere; to read it, write the cell as the same " \
        "instant in Europe/London: '2008-10-01T20:30:00+01:00'" in result.stderr  # fmt: skip
    assert "pledgetrack void" not in result.stderr


def test_schema_version_0_on_a_file_with_our_tables_is_named_not_foreign(
    cli: Run, db: Path, team: str
) -> None:
    """A version another tool reset to 0 was "an SQLite database but not a pledgetrack one
    (it has tables such as 'meetings')" (ATTACK2 A4): it is ours, at no release's version."""
    _sql(db, "PRAGMA user_version = 0")
    said = "schema version 0, but its tables are those of schema 13 or later"
    error = assert_error(cli("team", "list"), ExitCode.DATABASE)
    assert error.startswith(f"{db}: {said} (another tool set it")
    assert "not a pledgetrack one" not in error
    result = cli("db", "check")
    assert result.stdout == f"schema: {said}; db upgrade cannot mend it\n"
    assert result.exit_code == ExitCode.DATABASE
    assert_error(cli("db", "upgrade"), ExitCode.DATABASE)
    _sql(db, "PRAGMA user_version = 14")
    ok(cli("db", "check"))


def test_an_sqlite_file_of_someone_elses_is_still_not_ours(cli: Run, db: Path) -> None:
    _sql(db, "CREATE TABLE meetings (id INTEGER)", "CREATE TABLE teams (id INTEGER)")
    assert_error(
        cli("team", "list"),
        ExitCode.DATABASE,
        f"{db} is an SQLite database but not a pledgetrack one (it has tables such as 'meetings')",
    )


@pytest.mark.parametrize(
    ("column", "option", "text"),
    [("review_on", "--review", "9999-12-31"), ("review_on", "--review", "garbage"),
     ("agreed_on", "--agreed", "10/09/2008")],
)  # fmt: skip
def test_pledge_edit_repairs_the_date_another_tool_wrote(
    cli: Run, db: Path, team: str, column: str, option: str, text: str
) -> None:
    """`pledge edit` read the pledge first and exited 3: no command could repair it. It
    replaces exactly the damaged cell, with an audit entry keeping the text it replaced;
    a date it is not given still refuses."""
    add_weekly_patrols(cli, "CW01")
    _sql(db, f"UPDATE pledges SET {column} = '{text}' WHERE ref = 'CW01-L1'")
    way = f"to correct it: pledgetrack pledge edit CW01-L1 {option} DD/MM/YYYY"
    assert way in cli("db", "check").stdout
    other = "--agreed" if option == "--review" else "--review"
    assert way in assert_error(cli("pledge", "edit", "CW01-L1", other, "01/01/2009"), 3)
    ok(
        cli(
            "pledge",
            "edit",
            "CW01-L1",
            option,
            "01/09/2008" if column == "agreed_on" else "01/03/2009",
        )
    )
    ok(cli("db", "check"))
    ok(cli("agenda", "--team", "CW01"))
    history = ok(cli("history", "CW01-L1", "--format", "csv")).stdout
    assert f'{{""{column}"": ""{text}""}}' in history
