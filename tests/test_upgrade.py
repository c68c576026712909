"""A database made by the first release (schema version 1, real rows written by its own
CLI: tests/fixtures/make_schema_v1.sh) opens with this version with every row intact,
and a migration that fails leaves it as it was. Only a command that writes upgrades it,
in its own transaction; a read never does (F7)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import KEPT_IN_LONDON, NOW, USER, Run, ok
from pledgetrack.domain.models import Team
from pledgetrack.errors import InputError
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store import migrations
from pledgetrack.store.connection import open_store
from pledgetrack.store.migrations import LATEST_VERSION
from pledgetrack.store.teams import add_team
from test_db_health import demo

__all__ = ["demo"]  # the fixture, used by name

FIXTURE = Path(__file__).parent / "fixtures" / "schema-v1.db"
V1_TABLES = ("teams", "pledges", "actions", "changes")


def _read(db: Path) -> tuple[int, dict[str, list[dict[str, Any]]], list[str]]:
    """user_version, every row of the version-1 tables by column name, and the schema."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        rows = {
            t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY id")] for t in V1_TABLES
        }
        schema = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master ORDER BY name")]
    finally:
        conn.close()
    return version, rows, schema


@pytest.fixture
def old(db: Path) -> Path:
    shutil.copyfile(FIXTURE, db)
    return db


def test_the_fixture_is_a_version_1_database_with_real_rows() -> None:
    version, rows, _ = _read(FIXTURE)
    assert version == 1
    actions = rows["actions"]
    assert [a["ext_ref"] for a in actions if a["ext_ref"]] == ["INC-100", "INC-101", "INC-102"]
    assert [a["void_reason"] for a in actions if a["voided_at"]] == [
        "logged against the wrong pledge"
    ]
    assert [a["id"] for a in actions if a["occurred_at"] is None] == [4]  # the open item
    assert len(rows["changes"]) == 12


def test_a_version_1_database_opens_with_every_row_intact(cli: Run, old: Path) -> None:
    _, before, _ = _read(old)
    ok(cli("db", "upgrade"))  # reads do not upgrade (F7): an explicit upgrade, then a read
    exported = json.loads(ok(cli("export", "actions", "--include-void", "-f", "json")).stdout)
    version, after, _ = _read(old)
    assert version == LATEST_VERSION
    for table in V1_TABLES:  # every old column of every old row, unchanged
        assert [{k: row[k] for k in before[table][0]} for row in after[table]] == before[table]
    assert [(a["id"], a["ref"], a["description"]) for a in exported] == [
        (a["id"], a["ext_ref"], a["description"]) for a in before["actions"]
    ]
    assert [a["void_reason"] for a in exported if a["voided_at"]] == [
        "logged against the wrong pledge"
    ]
    # it works as a current database: the open item can be answered, the voided ref reused
    ok(cli("respond", "4", "--when", "06/10/2008 09:00"))
    ok(
        cli(
            "log",
            "CW01-L1",
            "Entered against the right pledge",
            "--when",
            "04/10/2008 10:00",
            "--ref",
            "INC-102",
        )
    )
    assert ok(cli("db", "check")).stdout == ""


def test_a_failed_migration_leaves_the_database_as_it_was(
    cli: Run, old: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(db: object) -> None:
        raise sqlite3.OperationalError("disk I/O wobble in the middle of an upgrade")

    steps = list(migrations.MIGRATIONS)
    steps[len(steps) // 2] = fails  # after some steps have run inside the transaction
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    version, rows, schema = _read(old)
    result = cli("db", "upgrade")
    assert result.exit_code in (ExitCode.DATABASE, ExitCode.IO), result.stderr
    assert "Traceback" not in result.stderr
    assert _read(old) == (version, rows, schema)
    monkeypatch.undo()
    ok(cli("db", "upgrade"))  # and a later upgrade succeeds
    assert "CW01" in ok(cli("team", "list")).stdout


def _bytes(db: Path) -> bytes:
    return db.read_bytes()


HINT = (
    f"has schema version 1, this release writes {LATEST_VERSION}: run `pledgetrack db "
    "upgrade` (its owner, once; a command that records something upgrades it too)"
)


@pytest.mark.parametrize(
    "command",
    [
        ("actions",),
        ("team", "list"),
        ("summary", "--period", "2008-10"),
        ("export", "actions"),
    ],
)
def test_a_read_refuses_an_older_schema_and_leaves_the_file_as_it_was(
    cli: Run, old: Path, command: tuple[str, ...]
) -> None:
    before = _bytes(old)
    result = cli(*command)
    assert result.exit_code == ExitCode.DATABASE, result.stderr
    assert result.stderr == f"error: {old} {HINT}\n"
    assert _bytes(old) == before


@pytest.mark.parametrize("command", [("db", "info"), ("db", "check")])
def test_db_info_and_check_read_an_older_schema_as_it_stands(
    cli: Run, old: Path, command: tuple[str, ...]
) -> None:
    before = _bytes(old)
    result = ok(cli(*command))
    assert result.stderr.splitlines()[0] == f"note: {old} {HINT}"
    assert _bytes(old) == before
    if command == ("db", "info"):
        assert "schema version: 1\n" in result.stdout


def test_a_backup_of_an_older_schema_is_a_copy_of_it_not_an_upgrade(
    cli: Run, old: Path, tmp_path: Path
) -> None:
    before = _bytes(old)
    ok(cli("backup", str(tmp_path / "copy.db")))
    assert _bytes(old) == before
    assert _read(tmp_path / "copy.db")[:2] == _read(old)[:2]  # version 1, the same rows


IMPORTS = {
    "actions": "team,pledge,when,description\nCW01,CW01-L1,2008-10-03 19:00,Patrol\n",
    "pledges": "team,title,agreed\nCW01,Litter picks,01/10/2008\n",
}


@pytest.mark.parametrize("what", list(IMPORTS))
def test_a_dry_run_import_is_a_read_and_never_upgrades(
    cli: Run, old: Path, tmp_path: Path, what: str
) -> None:
    """`import actions --dry-run` committed the upgrade of a write with nothing to do."""
    rows = tmp_path / f"{what}.csv"
    rows.write_text(IMPORTS[what], encoding="utf-8")
    before = _bytes(old)
    result = cli("import", what, str(rows), "--dry-run")
    assert (result.exit_code, result.stdout) == (ExitCode.DATABASE, "")
    assert result.stderr == f"error: {old} {HINT}\n"
    assert _bytes(old) == before
    real = ok(cli("import", what, str(rows)))  # the import itself upgrades, as a write does
    upgraded = f"upgraded {old} from schema 1 to {LATEST_VERSION}{KEPT_IN_LONDON}"
    assert real.stderr.splitlines()[0] == upgraded


@pytest.mark.parametrize("what", list(IMPORTS))
def test_a_refused_import_leaves_an_older_schema_as_it_was(
    cli: Run, old: Path, tmp_path: Path, what: str
) -> None:
    rows = tmp_path / f"{what}.csv"
    rows.write_text(IMPORTS[what].replace("team,", "teem,", 1), encoding="utf-8")
    before = _bytes(old)
    result = cli("import", what, str(rows))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == f"error: {rows}: line 1: unknown column 'teem' (did you mean 'team'?)\n"
    assert _bytes(old) == before


@pytest.mark.parametrize(("terminal", "answer"), [(False, None), (True, "n\n")])
def test_an_archive_not_agreed_to_leaves_an_older_schema_as_it_was(
    cli_with: Callable[..., Run], old: Path, terminal: bool, answer: str | None
) -> None:
    """Its plan is read on the upgraded schema; without --yes (or declined) nothing is kept."""
    before = _bytes(old)
    result = cli_with(stdin_isatty=terminal)("team", "archive", "CW01", input=answer)
    assert result.exit_code == ExitCode.USAGE
    assert "upgraded" not in result.stderr
    assert _bytes(old) == before


def test_a_failed_write_leaves_an_older_schema_as_it_was(cli: Run, old: Path) -> None:
    before = _bytes(old)
    result = cli("log", "NOPE-L1", "x")
    assert result.exit_code == ExitCode.USAGE
    assert "upgraded" not in result.stderr
    assert _bytes(old) == before  # not upgraded, not even switched to WAL


def test_a_write_upgrades_in_its_own_transaction_and_says_so(cli: Run, old: Path) -> None:
    result = ok(cli("log", "CW01-L1", "Patrol", "--when", "04/10/2008 10:00"))
    assert result.stderr.splitlines()[0] == (
        f"upgraded {old} from schema 1 to {LATEST_VERSION}{KEPT_IN_LONDON}"
    )
    version, rows, _ = _read(old)
    assert version == LATEST_VERSION
    assert rows["actions"][-1]["description"] == "Patrol"
    assert "upgraded" not in ok(cli("log", "CW01-L1", "Again")).stderr  # once


def test_db_upgrade_upgrades_once_and_is_idempotent(cli: Run, old: Path) -> None:
    _, before, _ = _read(old)
    first = ok(cli("db", "upgrade"))
    assert first.stderr == f"upgraded {old} from schema 1 to {LATEST_VERSION}{KEPT_IN_LONDON}\n"
    assert first.stdout == ""
    version, after, _ = _read(old)
    assert version == LATEST_VERSION
    assert [len(after[t]) for t in V1_TABLES] == [len(before[t]) for t in V1_TABLES]
    again = ok(cli("db", "upgrade"))
    assert again.stderr == f"{old} is already at schema {LATEST_VERSION}; nothing to do\n"
    assert "CW01" in ok(cli("team", "list")).stdout  # and reads now work


def test_db_upgrade_on_a_missing_database_creates_nothing(cli: Run, db: Path) -> None:
    result = cli("db", "upgrade")
    assert result.exit_code == ExitCode.DATABASE
    assert not db.exists()


def test_rollup_does_not_upgrade_its_inputs(cli: Run, old: Path) -> None:
    before = _bytes(old)
    result = cli("rollup", str(old), "--period", "2008-10")
    assert result.exit_code == ExitCode.DATABASE, result.stderr
    # one of several inputs: the upgrade it names runs on that file as shown
    assert HINT.replace("`pledgetrack db ", f"`pledgetrack --db {old} db ") in result.stderr
    assert _bytes(old) == before


def test_a_write_that_fails_after_its_insert_rolls_the_upgrade_back_with_it(old: Path) -> None:
    """The upgrade and the command's write are one transaction: a failure inside the write
    undoes both (a failed command changes nothing)."""
    before = _bytes(old)
    store = open_store(old, create=False, writes=True, actor=USER, clock=lambda: NOW)
    assert store.upgrade_from == 1
    with pytest.raises(InputError), store, store.write():
        add_team(store, Team(code="ZZ9", name="Refused"))
        raise InputError("refused after the insert")
    assert _bytes(old) == before


@pytest.fixture
def not_writable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file opens as for a user who may read it but not write it (another user's
    0644 file): root, who runs the tests, may write anything."""
    from pledgetrack.store import connection

    def read_only(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
        return sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
        )

    monkeypatch.setattr(connection, "_connect", read_only)
    monkeypatch.setattr(connection, "may_write", lambda path: False)  # as os.access says


COPY = "copy the file somewhere writable and upgrade the copy (`pledgetrack --db COPY db upgrade`)"


@pytest.fixture
def theirs(old: Path) -> str:
    """The older file is another account's (nobody's): root, running the tests, chowns it."""
    os.chown(old, 65534, -1)
    return "nobody"


@pytest.mark.parametrize("command", [("db", "upgrade"), ("log", "CW01-L1", "Patrol")])
@pytest.mark.usefixtures("not_writable")
def test_an_upgrade_this_user_cannot_make_is_the_system_refusing(
    cli: Run, old: Path, theirs: str, command: tuple[str, ...]
) -> None:
    """Exit 74 saying so, not 3 telling them to run the upgrade they cannot run."""
    before = old.read_bytes()
    result = cli(*command)
    assert result.exit_code == ExitCode.IO, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: cannot upgrade {old} from schema version 1 to {LATEST_VERSION}: the file is "
        f"read-only for this user; ask its owner ({theirs}) to run `pledgetrack db upgrade`, "
        f"or {COPY}"
    )
    assert old.read_bytes() == before


class _ReadOnlyFileSystem:
    f_flag = os.ST_RDONLY


@pytest.mark.parametrize("command", [("summary", "--period", "2008-10"), ("db", "upgrade")])
@pytest.mark.usefixtures("not_writable")
def test_an_older_file_on_a_read_only_file_system_says_so_not_ask_its_owner(
    cli: Run, old: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    """On a read-only mount its owner (root, or the user themself) cannot upgrade it either,
    and was told to (ATTACK4 A15): the file system is named, and a copy is the way."""
    from pledgetrack.store import connection

    monkeypatch.setattr(connection.os, "statvfs", lambda folder: _ReadOnlyFileSystem())
    before = _bytes(old)
    result = cli(*command)
    why = f"the file system holding {old.parent} is read-only; {COPY}"
    if command == ("db", "upgrade"):
        assert result.exit_code == ExitCode.IO, result.stderr
        assert result.stderr.splitlines()[-1] == (
            f"error: cannot upgrade {old} from schema version 1 to {LATEST_VERSION}: {why}"
        )
    else:
        assert (result.exit_code, result.stderr) == (ExitCode.DATABASE, (
            f"error: {old} has schema version 1, this release writes {LATEST_VERSION}: this "
            f"user cannot upgrade it: {why}\n"
        ))  # fmt: skip
    assert "owner" not in result.stderr
    assert _bytes(old) == before


@pytest.mark.usefixtures("not_writable")
def test_an_older_file_of_this_user_s_own_says_how_they_can_upgrade_it(
    cli: Run, old: Path
) -> None:
    """Not "ask its owner (you)": their own file, read-only (0444), they can make writable."""
    result = cli("actions")
    assert (result.exit_code, result.stderr) == (ExitCode.DATABASE, (
        f"error: {old} has schema version 1, this release writes {LATEST_VERSION}: this user "
        f"cannot upgrade it: the file is read-only for this user, who owns it: `chmod u+w "
        f"{old}` and upgrade it, or {COPY}\n"
    ))  # fmt: skip


def test_an_upgrade_that_meets_a_time_sqlite_will_not_index_names_the_row(
    cli: Run, old: Path
) -> None:
    """Schema 10 indexes the response items' times as epoch seconds; SQLite refuses `now`
    there (non-deterministic): the row is named, the file left as it was."""
    conn = sqlite3.connect(old)
    with conn:
        conn.execute("UPDATE actions SET received_at = 'now' WHERE id = 4")
    conn.close()
    before = old.read_bytes()
    result = cli("db", "upgrade")
    assert result.exit_code == ExitCode.DATABASE
    assert result.stderr == (
        f"error: cannot upgrade {old}: actions.received_at of row 4 is not in the stored "
        "form: 'now'; write the cell as stored, like 2008-10-14T09:00:00+01:00 "
        "(see: pledgetrack db check)\n"
    )
    assert old.read_bytes() == before


@pytest.mark.parametrize(
    "command", [("actions",), ("summary", "--period", "2008-10"), ("db", "info")]
)
@pytest.mark.usefixtures("not_writable")
def test_a_reader_who_may_not_write_an_older_schema_is_told_who_can_upgrade_it(
    cli: Run, old: Path, theirs: str, command: tuple[str, ...]
) -> None:
    """Not `run pledgetrack db upgrade`, which this user cannot: its owner, by name, can."""
    before = _bytes(old)
    result = cli(*command)
    why = (
        f"{old} has schema version 1, this release writes {LATEST_VERSION}: this user "
        f"cannot upgrade it: the file is read-only for this user; ask its owner ({theirs}) to "
        f"run `pledgetrack db upgrade`, or {COPY}"
    )
    if command == ("db", "info"):  # reads an older file as it stands, and says so
        assert result.exit_code == ExitCode.OK, result.stderr
        assert f"note: {why}" in result.stderr.splitlines()
    else:
        assert (result.exit_code, result.stderr) == (ExitCode.DATABASE, f"error: {why}\n")
    assert _bytes(old) == before


def test_a_file_this_user_could_upgrade_is_one_it_may_write_in_a_folder_it_may_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pledgetrack.store import connection

    path = tmp_path / "pt.db"
    path.write_bytes(b"")
    writable = {path: True, tmp_path: True}
    monkeypatch.setattr(connection.os, "access", lambda p, mode: writable[Path(p)])
    assert connection.may_write(path)
    for denied in (path, tmp_path):  # the file itself, or the folder its journal goes in
        writable[denied] = False
        assert not connection.may_write(path)
        writable[denied] = True


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        (-1414812757, "schema version -1414812757 is not one pledgetrack wrote"),
        (5, "schema version 5, but its tables are those of schema 13 or later"),
        (12, "schema version 12, but its tables are those of schema 13 or later"),
    ],
)
def test_a_schema_version_no_release_wrote_is_named_not_upgraded(
    cli: Run, db: Path, version: int, problem: str
) -> None:
    """`PRAGMA user_version` another tool set (or page 1 damaged): db check said ok, the
    reads said "run db upgrade", and db upgrade failed on raw SQL (`table "teams" already
    exists`). Now db check lists it, and no command recommends an upgrade that cannot
    work; nothing is changed."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward"))
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    said = (
        f"{db}: {problem} (another tool set it, or its first page is damaged); db upgrade "
        "cannot mend it: restore it from a backup"
    )
    before = _bytes(db)
    for command in (("team", "list"), ("db", "upgrade"), ("log", "CW01-N4", "x")):
        result = cli(*command)
        assert (result.exit_code, result.stdout) == (ExitCode.DATABASE, ""), result.stderr
        assert result.stderr == f"error: {said} (see: pledgetrack db check)\n"
    checked = cli("db", "check")
    assert checked.exit_code == ExitCode.DATABASE
    assert checked.stdout == f"schema: {problem}; db upgrade cannot mend it\n"
    assert _bytes(db) == before


def test_a_schema_version_the_tables_fit_is_upgraded() -> None:
    """The edge: schema 12's tables (no settings table yet) at version 12 are an earlier
    release's file, to upgrade, not a problem."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE teams (id INTEGER)")
    conn.execute("CREATE INDEX idx_actions_team_ext_ref_nocase ON teams (id)")
    assert migrations.version_problem(conn, 12) is None
    assert migrations.version_problem(conn, 11) is not None


_LISTED = ("idx_actions_listed", "idx_actions_team_listed", "idx_actions_kind_listed")


@pytest.mark.parametrize("stored", ["now", "NOW", "garbage", "2008-10-14T19:30:00+01:00"])
def test_schema_15s_listing_indexes_take_any_stored_time_another_tool_wrote(
    cli: Run, db: Path, stored: str
) -> None:
    """The listing indexes (schema 15) key on julianday of the stored time, and SQLite
    refuses `now` (the clock) in an index: a file holding one upgrades all the same, and
    another tool's later write of one is not refused by SQLite (a read then names the row)."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward"))
    ok(cli("log", "CW01-N1", "x", "--when", "16/10/2008 09:30"))
    conn = sqlite3.connect(db)
    with conn:
        for index in _LISTED:
            conn.execute(f"DROP INDEX {index}")
        conn.execute("UPDATE actions SET occurred_at = ? WHERE id = 1", [stored])
    conn.execute("PRAGMA user_version = 14")
    conn.close()
    ok(cli("db", "upgrade"))
    conn = sqlite3.connect(db)
    names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert set(_LISTED) <= names
    with conn:
        conn.execute("UPDATE actions SET occurred_at = ? WHERE id = 1", [stored])
    assert conn.execute("PRAGMA user_version").fetchone() == (LATEST_VERSION,)
    conn.close()


def test_schema_18_reads_a_response_actions_received_time_from_the_reports_index(
    cli: Run, demo: Path
) -> None:
    """A schema-17 file (its reports' index without received_at) upgrades to the wider
    index, rows intact, and its reports still refuse a response pledge's action of the
    month whose received time another tool cleared (ATTACK4 A8), now read from the index."""
    conn = sqlite3.connect(demo)
    with conn:
        conn.execute("DROP INDEX idx_actions_pledge_occurred")
        conn.execute(
            "CREATE INDEX idx_actions_pledge_occurred ON actions "
            "(pledge_id, occurred_at, voided_at, kind, hours, abstracted)"
        )
    conn.execute("PRAGMA user_version = 17")
    rows = conn.execute("SELECT * FROM actions ORDER BY id").fetchall()
    conn.close()
    ok(cli("db", "upgrade"))
    conn = sqlite3.connect(demo)
    columns = [r[2] for r in conn.execute("PRAGMA index_info(idx_actions_pledge_occurred)")]
    assert columns == [
        "pledge_id", "occurred_at", "voided_at", "kind", "hours", "abstracted", "received_at"
    ]
    assert conn.execute("SELECT * FROM actions ORDER BY id").fetchall() == rows
    assert conn.execute("PRAGMA user_version").fetchone() == (LATEST_VERSION,)
    with conn:
        # a CW01-L2 item (the demo's 48h response pledge), done in October
        conn.execute(
            "UPDATE actions SET received_at = NULL, occurred_at = '2008-10-31T23:59:00+00:00' "
            "WHERE id = 91"
        )
    conn.close()
    assert ok(cli("db", "upgrade")).stderr.endswith("nothing to do\n")
    refused = cli("overview", "--period", "2008-10", "--as-of", "2008-11-01T12:00")
    assert refused.exit_code == ExitCode.DATABASE
    assert "actions.received_at of row 91 is empty" in refused.stderr
