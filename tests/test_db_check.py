"""`db check` finds what everyday commands do not look for, and `db info` says what a
database is (issue 8: "then prove it")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from helpers import Run, add_weekly_patrols, assert_error, ok
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store.migrations import LATEST_VERSION


@pytest.fixture
def logged(cli: Run, team: str) -> Run:
    add_weekly_patrols(cli, team)
    ok(cli("log", "CW01-L1", "Foot patrol", "--when", "03/10/2008 19:30"))
    ok(cli("log", "CW01-L1", "Bike patrol", "--when", "04/10/2008 19:30"))
    return cli


def _tamper(db: Path, *statements: str) -> None:
    """Change the file behind pledgetrack's back, as a broken tool or disk would."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


RESTORE = "restore it from a backup (pledgetrack backup) or report it"
# rows another program wrote with no insert entry: nothing is lost, only their history
HISTORY = (
    "every report reads these rows as they stand, only their history lacks the entry "
    "(another program wrote them?): nothing to restore; report it if pledgetrack wrote them"
)


def _found(result: object, db: Path, advice: str = RESTORE) -> list[str]:
    """The findings on stdout, after checking the one-line error and exit 3."""
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    assert result.exit_code == ExitCode.DATABASE, result.stderr  # type: ignore[attr-defined]
    n = len(lines)
    assert result.stderr == (  # type: ignore[attr-defined]
        f"error: {db}: {n} problem{'s' if n != 1 else ''} found; {advice}\n"
    )
    return lines


def test_a_sound_database_checks_clean(logged: Run, db: Path) -> None:
    result = ok(logged("db", "check"))
    assert (result.stdout, result.stderr) == (
        "",
        f"{db}: ok (integrity, foreign keys, change log)\n",
    )


def test_an_action_missing_from_the_change_log_is_found(logged: Run, db: Path) -> None:
    _tamper(db, "DELETE FROM changes WHERE entity = 'action' AND entity_key = '2'")
    assert _found(logged("db", "check"), db, HISTORY) == [
        "change log: action 2 has no insert entry"
    ]


def test_a_change_entry_for_a_row_that_is_gone_is_found(logged: Run, db: Path) -> None:
    _tamper(db, "DELETE FROM actions WHERE id = 1")
    entry = (
        sqlite3.connect(db)
        .execute("SELECT id FROM changes WHERE entity = 'action' AND entity_key = '1'")
        .fetchone()[0]
    )
    assert _found(logged("db", "check"), db) == [
        f"change log: entry {entry} records action 1, which is not in the actions table"
    ]


def test_a_broken_foreign_key_is_found(logged: Run, db: Path) -> None:
    _tamper(db, "UPDATE actions SET pledge_id = 999 WHERE id = 2")  # foreign keys off here
    assert _found(logged("db", "check"), db) == [
        "foreign key: actions row 2 refers to a pledges row that is missing"
    ]


def test_damage_that_log_does_not_notice_is_found(logged: Run, db: Path) -> None:
    """An index lost from the schema leaves its pages orphaned: every command still works,
    so only an integrity check can tell (that is what `db check` is for)."""
    _tamper(
        db,
        "PRAGMA writable_schema = ON",
        "DELETE FROM sqlite_master WHERE name = 'idx_actions_occurred_at'",
    )
    ok(logged("log", "CW01-L1", "Evening patrol", "--when", "05/10/2008 19:30"))
    found = _found(logged("db", "check"), db)
    assert found and all(line.startswith("integrity: ") for line in found)


def test_db_check_of_a_missing_file_is_a_database_error(cli: Run, db: Path) -> None:
    assert_error(cli("db", "check"), ExitCode.DATABASE)
    assert not db.exists()


def test_db_info_says_what_the_database_is(logged: Run, db: Path) -> None:
    db.chmod(0o640)
    lines = dict(line.split(": ", 1) for line in ok(logged("db", "info")).stdout.splitlines())
    assert lines == {
        "path": str(db.resolve()),
        "schema version": str(LATEST_VERSION),
        "time zone": "Europe/London",
        "actions": "2",
        "changes": lines["changes"],
        "pledges": lines["pledges"],
        "teams": "1",
        "size": lines["size"],
        "mode": "0640",
        "journal": "wal",
    }
    assert int(lines["changes"]) >= 4 and int(lines["pledges"]) == 11  # 10 national + L1
    # the file and whatever its -wal held while the command had it open
    assert int(lines["size"].removesuffix(" bytes")) >= db.stat().st_size
