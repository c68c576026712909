"""Recording a zone checks it against the offsets stored (A9, G24): `db upgrade` (or the
first write that upgrades, or the first write to a file whose zone row was deleted) in
another zone than the one the times were written in is refused, exit 2, naming the row;
`check -q` says nothing of a zone configured otherwise (G23)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from helpers import TABLES, assert_error, nothing_written, ok, snapshot
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store.migrations import LATEST_VERSION
from test_database_zone import _stored, _team_with_patrols, runner


def _older(tmp_path: Path, *times: str, name: str = "old.db") -> Path:
    """A London file as schema 12 left it (no settings): team T1, pledge T1-L1, and an
    action at each stored text of `times`."""
    db = tmp_path / name
    run = runner(tmp_path, db, None)
    _team_with_patrols(run, "T1")
    for _ in times:
        ok(run("log", "T1-L1", "patrol", "--kind", "patrol", "--when", "01/10/2008 10:00"))
    conn = sqlite3.connect(db)
    with conn:
        for i, text in enumerate(times, start=1):
            conn.execute("UPDATE actions SET occurred_at = ? WHERE id = ?", (text, i))
        conn.execute("DROP TABLE settings")
    conn.execute("PRAGMA user_version = 12")
    conn.close()
    return db


def _refusal(db: Path, zone: str, row: int, text: str, then: str, fits: str) -> str:
    return (
        f"{db}'s times were not written in {zone}, the zone this command works in: "
        f"actions.occurred_at of row {row} is {text}, and {zone} was {then} then; nothing "
        f"was written. Record the zone they were written in: PLEDGETRACK_TZ={fits} "
        f"pledgetrack --db {db} db upgrade"
    )


def test_an_upgrade_in_another_zone_than_the_times_is_refused(tmp_path: Path) -> None:
    db = _older(tmp_path, "2008-07-01T10:00:00+01:00")
    older = tuple(t for t in TABLES if t != "settings")
    before = snapshot(db, older)
    tokyo = runner(tmp_path, db, "Asia/Tokyo")("db", "upgrade")
    assert_error(tokyo, ExitCode.USAGE, _refusal(
        db, "Asia/Tokyo", 1, "2008-07-01T10:00:00+01:00", "+09:00", "Europe/London"))
    logged = runner(tmp_path, db, "UTC")("log", "T1-L1", "x", "--when", "01/11/2008 10:00")
    assert_error(logged, ExitCode.USAGE, _refusal(
        db, "UTC", 1, "2008-07-01T10:00:00+01:00", "+00:00", "Europe/London"))
    assert snapshot(db, older) == before
    assert _stored(db, "PRAGMA user_version") == [(12,)]
    upgraded = ok(runner(tmp_path, db, "Europe/London")("db", "upgrade"))
    assert upgraded.stderr == (
        f"upgraded {db} from schema 12 to {LATEST_VERSION}; its times are kept in Europe/London, "
        "for every command on it\n"
    )


def test_the_hour_the_clocks_go_back_fits_either_offset(tmp_path: Path) -> None:
    # 01:30 happened twice on 26 October 2008; 01:59:59+01:00 is the last second before
    # the change, and 02:00:00+01:00 the instant London writes as 01:00:00+00:00
    twice = _older(tmp_path, "2008-10-26T01:30:00+01:00", "2008-10-26T01:30:00+00:00",
                   "2008-10-26T01:59:59+01:00", "2008-10-26T00:59:59+01:00")  # fmt: skip
    ok(runner(tmp_path, twice, "Europe/London")("db", "upgrade"))
    late = _older(tmp_path, "2008-10-26T01:59:59+01:00", "2008-10-26T02:00:00+01:00",
                  name="late.db")  # fmt: skip
    assert_error(runner(tmp_path, late, "Europe/London")("db", "upgrade"), ExitCode.USAGE,
                 _refusal(late, "Europe/London", 2, "2008-10-26T02:00:00+01:00", "+00:00",
                          "ZONE"))  # fmt: skip


def test_a_zone_whose_offsets_agree_but_across_a_clock_change(tmp_path: Path) -> None:
    # UTC is London's offset in winter, and at the second 01:30 of 26 October
    winter = _older(tmp_path, "2008-10-26T01:30:00+00:00", "2008-12-01T10:00:00+00:00")
    ok(runner(tmp_path, winter, "UTC")("db", "upgrade"))
    assert _stored(winter, "SELECT value FROM settings") == [("UTC",)]
    first = _older(tmp_path, "2008-12-01T10:00:00+00:00", "2008-10-26T01:30:00+01:00",
                   name="first.db")  # fmt: skip
    assert_error(runner(tmp_path, first, "UTC")("db", "upgrade"), ExitCode.USAGE, _refusal(
        first, "UTC", 2, "2008-10-26T01:30:00+01:00", "+00:00", "Europe/London"))


def test_a_file_with_no_stored_times_records_the_zone_configured(tmp_path: Path) -> None:
    db = _older(tmp_path)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM pledges")
        conn.execute("DELETE FROM team_commitments") if _has(conn, "team_commitments") else None
        conn.execute("DELETE FROM teams")
    conn.close()
    ok(runner(tmp_path, db, "Asia/Tokyo")("db", "upgrade"))
    assert _stored(db, "SELECT value FROM settings") == [("Asia/Tokyo",)]


def _has(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone() is not None


def test_a_file_whose_zone_row_was_deleted_records_one_on_its_next_write(
    tmp_path: Path,
) -> None:
    db = _older(tmp_path, "2008-07-01T10:00:00+01:00")
    ok(runner(tmp_path, db, None)("db", "upgrade"))
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM settings")
    with nothing_written(db):
        refused = runner(tmp_path, db, "Asia/Tokyo")("log", "T1-L1", "x", "--when", "today")
        assert_error(refused, ExitCode.USAGE, _refusal(
            db, "Asia/Tokyo", 1, "2008-07-01T10:00:00+01:00", "+09:00", "Europe/London"))
    logged = ok(runner(tmp_path, db, None)("log", "T1-L1", "x", "--when", "today 10:00"))
    assert logged.stderr == (
        f"{db} recorded no time zone; its times are kept in Europe/London from now on\n"
    )
    assert _stored(db, "SELECT value FROM settings") == [("Europe/London",)]
    again = ok(runner(tmp_path, db, None)("db", "upgrade"))
    assert again.stderr == f"{db} is already at schema {LATEST_VERSION}; nothing to do\n"


def test_check_quiet_says_nothing_of_the_zone(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _team_with_patrols(runner(tmp_path, db, None), "T1")
    quiet = runner(tmp_path, db, "UTC")("check", "--as-of", "01/11/2008", "-q")
    assert (quiet.stdout, quiet.stderr) == ("", "")
    loud = runner(tmp_path, db, "UTC")("check", "--as-of", "01/11/2008")
    assert loud.stderr.startswith(f"note: {db} keeps its times in Europe/London")
