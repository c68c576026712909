"""The database file: where it is, its schema and pragmas, refusals, locking, the audit log."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from conftest import invoke
from helpers import (
    KEPT_IN_LONDON,
    NOW,
    USER,
    Prepared,
    Run,
    assert_error,
    fails,
    local,
    ok,
    snapshot,
)
from pledgetrack.environment import Environment
from pledgetrack.errors import DatabaseError, InputError
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store.connection import open_store
from pledgetrack.store.migrations import LATEST_VERSION

COLUMNS = {
    "teams": [
        "id",
        "code",
        "name",
        "force",
        "area",
        "sergeant",
        "contact",
        "setting",
        "active",
        "created_at",
    ],
    "pledges": [
        "id",
        "ref",
        "team_id",
        "kind",
        "seq",
        "title",
        "description",
        "agreed_on",
        "meeting",
        "review_on",
        "status",
        "outcome",
        "closed_on",
        "target_type",
        "target_count",
        "target_unit",
        "target_action_kind",
        "target_within_minutes",
        "target_threshold_pct",
        "target_share_pct",
        "target_due",
        "created_at",
    ],
    "actions": [
        "id",
        "team_id",
        "pledge_id",
        "occurred_at",
        "received_at",
        "description",
        "kind",
        "officer",
        "partner",
        "hours",
        "abstracted",
        "ext_ref",
        "voided_at",
        "void_reason",
        "created_at",
    ],
    "changes": ["id", "at", "who", "entity", "entity_key", "op", "old", "new"],
}
READ_COMMANDS = [
    ["team", "list"],
    ["team", "show", "CW01"],
    ["pledge", "list"],
    ["pledge", "show", "CW01-L1"],
    ["actions"],
    ["history"],
]


@pytest.fixture
def populated(cli: Run, team: str, prepared: Prepared) -> None:
    """Three kinds of team record, every target type, every kind of action change."""

    def build() -> None:
        ok(
            cli(
                "team",
                "add",
                "MH03",
                "--name",
                "Market Harborough Rural",
                "--setting",
                "rural",
                "--sergeant",
                "Sgt Ruth Owen",
            )
        )
        ok(
            cli(
                "pledge",
                "add",
                "CW01",
                "Patrols in Castle Park",
                "--at-least",
                "2",
                "--per",
                "week",
                "--action-kind",
                "patrol",
                "--agreed",
                "10/9/2008",
                "--review",
                "10/12/2008",
            )
        )
        ok(cli("pledge", "add", "CW01", "Replies", "--within", "48h", "--threshold", "90",
               "--agreed", "1/10/2008"))  # fmt: skip
        ok(cli("pledge", "add", "MH03", "Visible in the villages", "--share", "62.5",
               "--agreed", "1/10/2008"))  # fmt: skip
        ok(cli("pledge", "add", "MH03", "Speed checks report", "--by", "28/11/2008"))
        ok(
            cli(
                "log",
                "CW01-L1",
                'Patrol with "wardens", café \u2013 Ōwen\nsecond line',
                "--when",
                "14/10/2008 19:30",
                "--kind",
                "patrol",
                "--hours",
                "2.5",
                "--officer",
                "PCSO Ahmed",
                "--ref",
                "INC-1",
            )
        )
        ok(cli("log", "CW01-L2", "Call", "--open", "--received", "yesterday 09:00"))
        ok(cli("respond", "2", "--when", "today 10:00"))
        ok(cli("log", "MH03-L1", "Court", "--hours", "7.5", "--abstracted"))
        ok(cli("void", "3", "--reason", "wrong team"))
        ok(cli("pledge", "close", "MH03-L2", "--status", "achieved", "--outcome", "Published"))

    prepared("store.populated", build)


# -- schema and pragmas ------------------------------------------------------------------


def test_schema_has_the_documented_tables_and_columns(db: Path, populated: None) -> None:
    database = sqlite_utils.Database(db)
    assert set(COLUMNS) <= set(database.table_names())
    for table, columns in COLUMNS.items():
        # later migrations may add columns; these are the ones other tools rely on
        assert [c.name for c in database[table].columns][: len(columns)] == columns, table


def test_unique_indexes(db: Path, populated: None) -> None:
    database = sqlite_utils.Database(db)
    unique = {
        (table, tuple(index.columns))
        for table in COLUMNS
        for index in database[table].indexes
        if index.unique
    }
    assert {
        ("teams", ("code",)),
        ("pledges", ("ref",)),
        ("pledges", ("team_id", "kind", "seq")),
    } <= unique
    # several actions may share an external ref (schema 17: FRESH4 G16)
    assert not [columns for table, columns in unique if table == "actions"]


def test_pragmas_persisted_in_the_file(db: Path, team: str) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    finally:
        conn.close()


@pytest.fixture
def store_of(db: Path) -> Iterator:
    opened = []

    def make(*, busy: float = 10.0, create: bool = True):
        store = open_store(db, create=create, actor=USER, clock=lambda: NOW, busy_timeout_s=busy)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def test_every_connection_has_foreign_keys_and_a_busy_timeout(store_of, team: str) -> None:
    store = store_of(busy=2.5)
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.db.execute(
            "INSERT INTO pledges (ref, team_id, kind, seq, title, status, target_type, created_at)"
            " VALUES ('XX-L1', 999, 'local', 1, 't', 'active', 'none', 'now')"
        )


def test_writes_are_all_or_nothing(store_of, db: Path, team: str) -> None:
    store = store_of()
    before = snapshot(db)
    with pytest.raises(RuntimeError), store.write():
        store.db["teams"].insert({"code": "ZZ01", "name": "Z", "created_at": "now"})
        store.log_change("team", "ZZ01", "insert", None, {"code": "ZZ01"})
        raise RuntimeError("half way")
    assert snapshot(db) == before


# -- one run writes, the next reads it back -------------------------------------------------


def test_what_one_run_writes_the_next_reads_back_unchanged(
    cli: Run, db: Path, populated: None
) -> None:
    rows = snapshot(db)
    first = [ok(cli(*args, "--format", "json")).stdout for args in READ_COMMANDS]
    second = [ok(cli(*args, "--format", "json")).stdout for args in READ_COMMANDS]
    assert first == second
    assert snapshot(db) == rows  # reading writes nothing
    logged = json.loads(ok(cli("actions", "--include-void", "--format", "json")).stdout)
    patrol = next(a for a in logged if a["id"] == 1)
    assert patrol["description"] == 'Patrol with "wardens", café \u2013 Ōwen\nsecond line'
    assert (patrol["hours"], patrol["when"], patrol["ref"]) == (
        2.5,
        "2008-10-14T19:30:00+01:00",
        "INC-1",
    )
    pledges = local(
        json.loads(ok(cli("pledge", "list", "--status", "all", "--format", "json")).stdout)
    )
    assert [(p["ref"], p["target"], p["status"]) for p in pledges] == [
        ("CW01-L1", "at least 2 per week (kind: patrol)", "active"),
        ("CW01-L2", "within 48h for 90% of items", "active"),
        ("MH03-L1", "at least 62.5% of hours in the neighbourhood", "active"),
        ("MH03-L2", "by 2008-11-28", "achieved"),
    ]


def test_stored_target_columns_are_plain_values(db: Path, populated: None) -> None:
    rows = {r["ref"]: r for r in sqlite_utils.Database(db)["pledges"].rows}
    assert (
        rows["CW01-L1"]["target_type"],
        rows["CW01-L1"]["target_count"],
        rows["CW01-L1"]["target_unit"],
        rows["CW01-L1"]["target_action_kind"],
    ) == ("frequency", 2, "week", "patrol")
    assert (rows["CW01-L2"]["target_within_minutes"], rows["CW01-L2"]["target_threshold_pct"]) == (
        2880,
        90.0,
    )
    assert rows["MH03-L1"]["target_share_pct"] == 62.5
    assert rows["MH03-L2"]["target_due"] == "2008-11-28"
    assert rows["CW01-L1"]["agreed_on"] == "2008-09-10"


# -- where the database is -----------------------------------------------------------------


def test_db_option_wins_over_the_environment_variable(env: Environment, tmp_path: Path) -> None:
    chosen, from_var = tmp_path / "chosen.db", tmp_path / "var.db"
    with_var = dataclasses.replace(env, vars={"PLEDGETRACK_DB": str(from_var)})
    ok(invoke(["--db", str(chosen), "team", "add", "CW01", "--name", "x"], with_var))
    assert chosen.exists() and not from_var.exists()


def test_environment_variable_used_without_the_option(env: Environment, tmp_path: Path) -> None:
    from_var = tmp_path / "sub" / "var.db"
    with_var = dataclasses.replace(env, vars={"PLEDGETRACK_DB": str(from_var)})
    result = ok(invoke(["team", "add", "CW01", "--name", "x"], with_var))
    assert result.stderr.splitlines()[0] == f"created database {from_var}{KEPT_IN_LONDON}"
    assert from_var.exists()
    assert not (env.data_dir / "pledgetrack.db").exists()


def test_default_is_the_user_data_directory(env: Environment) -> None:
    default = env.data_dir / "pledgetrack.db"
    result = ok(invoke(["team", "add", "CW01", "--name", "x"], env))
    assert result.stderr.splitlines()[0] == f"created database {default}{KEPT_IN_LONDON}"
    assert default.exists()
    assert "CW01" in ok(invoke(["team", "list"], env)).stdout


def test_environment_from_os(tmp_path: Path) -> None:
    made = Environment.from_os(
        {"XDG_DATA_HOME": str(tmp_path), "PLEDGETRACK_TZ": "Europe/Paris", "NO_COLOR": "1"}
    )
    assert made.data_dir == tmp_path / "pledgetrack"
    assert made.now().utcoffset() == made.tz.utcoffset(made.now().replace(tzinfo=None))
    assert str(made.tz) == "Europe/Paris"
    assert made.no_color and not made.colour
    assert not Environment.from_os({"XDG_DATA_HOME": str(tmp_path), "NO_COLOR": ""}).no_color
    # an unknown zone is kept to be said where the zone is needed (not before `--help`)
    problem = Environment.from_os({"PLEDGETRACK_TZ": "Mars/Olympus"}).zone_problem
    assert isinstance(problem, InputError)
    assert str(problem) == "unknown time zone in PLEDGETRACK_TZ: 'Mars/Olympus'"


# -- refusals: exit 3 ------------------------------------------------------------------


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a))
def test_read_only_command_on_a_missing_file_creates_nothing(
    env: Environment, tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "not-here" / "pt.db"
    result = invoke(["--db", str(missing), *args], env)
    assert_error(
        result,
        ExitCode.DATABASE,
        f"database not found: {missing} (check --db or PLEDGETRACK_DB); "
        "team add creates a new one",
    )
    assert not missing.parent.exists()


def test_a_text_file_is_not_a_database(cli: Run, db: Path) -> None:
    db.write_text("code,name\nCW01,Castle Ward\n")
    for args in (["team", "list"], ["team", "add", "CW01", "--name", "x"]):
        assert_error(cli(*args), ExitCode.DATABASE, f"{db} is not an SQLite database")
    assert db.read_text() == "code,name\nCW01,Castle Ward\n"


def test_a_newer_schema_is_refused(cli: Run, db: Path, team: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    for args in (["team", "list"], ["team", "add", "BL02", "--name", "x"]):
        message = fails(cli, db, *args, code=ExitCode.DATABASE)
        assert message == (
            f"{db} has schema version 99, newer than this pledgetrack understands "
            f"({LATEST_VERSION}); upgrade pledgetrack"
        )


def test_someone_elses_sqlite_database_is_refused(cli: Run, db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices (amount) VALUES (9.99)")
    conn.commit()
    conn.close()
    for args in (["team", "list"], ["team", "add", "CW01", "--name", "x"]):
        assert_error(
            cli(*args),
            ExitCode.DATABASE,
            f"{db} is an SQLite database but not a pledgetrack one "
            "(it has tables such as 'invoices')",
        )
    assert sqlite_utils.Database(db).table_names() == ["invoices"]


def test_a_corrupt_database_is_exit_3(cli: Run, db: Path, team: str) -> None:
    for n in range(40):
        ok(cli("team", "add", f"T{n}", "--name", "x" * 400))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    data[8192:] = b"Z" * (len(data) - 8192)
    db.write_bytes(bytes(data))
    message = assert_error(cli("team", "list"), ExitCode.DATABASE)
    assert message == (
        f"database {db} is corrupt (database disk image is malformed); restore it from a backup"
    )


def test_a_failed_first_write_leaves_no_database_behind(cli: Run, db: Path) -> None:
    assert_error(  # only team add creates a database: log needs its pledge (F8)
        cli("log", "NOPE-L1", "patrol"),
        ExitCode.DATABASE,
        f"database not found: {db} (check --db or PLEDGETRACK_DB); team add creates a new one",
    )
    assert not db.exists()
    result = ok(cli("team", "add", "CW01", "--name", "Castle Ward"))
    assert result.stderr.splitlines()[0] == f"created database {db}{KEPT_IN_LONDON}"


def test_a_directory_is_not_a_database(env: Environment, tmp_path: Path) -> None:
    message = assert_error(invoke(["--db", str(tmp_path), "team", "list"], env), ExitCode.DATABASE)
    assert message == f"database path is a directory: {tmp_path}"


def test_locked_database_waits_then_gives_up_writing_nothing(
    cli: Run, env: Environment, db: Path, team: str
) -> None:
    impatient = dataclasses.replace(env, vars={"PLEDGETRACK_BUSY_TIMEOUT": "0.2"})
    before = snapshot(db)
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        result = invoke(["--db", str(db), "team", "add", "BL02", "--name", "Belgrave"], impatient)
        assert_error(
            result,
            ExitCode.DATABASE,
            f"database {db} is locked by another process (waited 0.2s); try again",
        )
        # readers are not blocked by a writer (WAL)
        assert "CW01" in ok(cli("team", "list")).stdout
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert snapshot(db) == before
    ok(invoke(["--db", str(db), "team", "add", "BL02", "--name", "Belgrave"], impatient))


@pytest.mark.parametrize(
    "value", ["soon", "-1", "-0.001", "inf", "nan", "-inf", "86400.001", "1e400"]
)
def test_bad_busy_timeout_is_a_usage_error(
    env: Environment, db: Path, team: str, value: str
) -> None:
    odd = dataclasses.replace(env, vars={"PLEDGETRACK_BUSY_TIMEOUT": value})
    message = assert_error(invoke(["--db", str(db), "team", "list"], odd), ExitCode.USAGE)
    assert message.startswith("PLEDGETRACK_BUSY_TIMEOUT must be")
    assert repr(value) in message


def test_open_store_raises_database_error_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as caught:
        open_store(tmp_path / "none.db", create=False, actor=USER, clock=lambda: NOW)
    assert caught.value.exit_code == ExitCode.DATABASE
    assert not (tmp_path / "none.db").exists()


# -- upgrades --------------------------------------------------------------------------


def test_an_older_empty_database_is_upgraded(cli: Run, db: Path) -> None:
    """An SQLite file at version 0 (a zero-byte file is refused by reads: test_read_only)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 0")
    conn.execute("VACUUM")
    conn.close()
    before = db.read_bytes()
    assert_error(cli("team", "list"), ExitCode.DATABASE)  # a read never upgrades (F7)
    assert db.read_bytes() == before
    result = ok(cli("db", "upgrade"))
    # not "created"
    assert result.stderr == f"upgraded {db} from schema 0 to {LATEST_VERSION}{KEPT_IN_LONDON}\n"
    assert "no teams yet" in ok(cli("team", "list")).stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    assert set(COLUMNS) <= set(sqlite_utils.Database(db).table_names())
    ok(cli("team", "add", "CW01", "--name", "Castle Ward"))


def test_a_failed_upgrade_leaves_the_tables_as_they_were(cli: Run, db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE teams (x)")  # our name, not our shape
    conn.close()
    message = assert_error(cli("db", "upgrade"), ExitCode.DATABASE)
    assert message.startswith(f"database error in {db}: ")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("teams",)]
    finally:
        conn.close()


# -- the audit log ---------------------------------------------------------------------


def changes(db: Path) -> list[dict]:
    rows = list(sqlite_utils.Database(db).query("SELECT * FROM changes ORDER BY id"))
    for row in rows:
        row["old"] = json.loads(row["old"]) if row["old"] else None
        row["new"] = json.loads(row["new"]) if row["new"] else None
    return rows


def test_changes_log_has_one_row_per_change_with_who_and_when(
    cli: Run, db: Path, populated: None
) -> None:
    ok(cli("team", "edit", "CW01", "--sergeant", "Sgt Asha Patel"))
    ok(cli("team", "edit", "CW01", "--sergeant", "Sgt Asha Patel"))  # no change: no row
    ok(cli("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    ok(cli("team", "archive", "MH03", "--yes"))
    ok(cli("pledge", "reopen", "MH03-L2"))
    # national commitments (<TEAM>-N<n>) a new team may be given are not this test's subject
    log = [c for c in changes(db) if not re.fullmatch(r".+-N\d+", c["entity_key"])]
    assert [(c["entity"], c["entity_key"], c["op"]) for c in log] == [
        ("team", "CW01", "insert"),
        ("team", "MH03", "insert"),
        ("pledge", "CW01-L1", "insert"),
        ("pledge", "CW01-L2", "insert"),
        ("pledge", "MH03-L1", "insert"),
        ("pledge", "MH03-L2", "insert"),
        ("action", "1", "insert"),
        ("action", "2", "insert"),
        ("action", "2", "respond"),
        ("action", "3", "insert"),
        ("action", "3", "void"),
        ("pledge", "MH03-L2", "close"),
        ("team", "CW01", "edit"),
        ("pledge", "CW01-L1", "edit"),
        ("pledge", "MH03-L1", "close"),  # archiving withdraws the team's active pledges
        ("team", "MH03", "archive"),
        ("pledge", "MH03-L2", "reopen"),
    ]
    assert {c["who"] for c in log} == {USER}
    assert {c["at"] for c in log} == {"2008-10-16T15:00:00+01:00"}
    by_op = {(c["entity_key"], c["op"]): c for c in log}
    assert by_op[("CW01", "edit")]["old"] == {"sergeant": None}
    assert by_op[("CW01", "edit")]["new"] == {"sergeant": "Sgt Asha Patel"}
    assert by_op[("CW01-L1", "edit")]["old"] == {"target_count": 2}
    assert by_op[("CW01-L1", "edit")]["new"] == {"target_count": 3}
    assert by_op[("2", "respond")]["old"] == {"occurred_at": None}
    assert by_op[("2", "respond")]["new"] == {"occurred_at": "2008-10-16T10:00:00+01:00"}
    assert by_op[("3", "void")]["new"] == {
        "voided_at": "2008-10-16T15:00:00+01:00",
        "void_reason": "wrong team",
    }
    closed = by_op[("MH03-L2", "close")]
    assert closed["old"] == {"closed_on": None, "outcome": None, "status": "active"}
    assert closed["new"] == {
        "closed_on": "2008-10-16",
        "outcome": "Published",
        "status": "achieved",
    }
    assert by_op[("MH03", "archive")]["new"] == {"active": 0}
    inserted = by_op[("1", "insert")]
    assert inserted["old"] is None
    assert inserted["new"]["pledge"] == "CW01-L1"
    assert inserted["new"]["hours"] == 2.5
    assert by_op[("CW01", "insert")]["new"]["name"] == "Castle Ward"


def test_history_command_shows_the_log_newest_first(cli: Run, db: Path, populated: None) -> None:
    rows = json.loads(ok(cli("history", "CW01-L1", "--format", "json")).stdout)
    # beside the pledge's own entry, its action 1 logged on 1 October, late
    assert [(r["entity"], r["op"], r["who"]) for r in rows] == [
        ("action", "insert", USER),
        ("pledge", "insert", USER),
    ]
    rows = rows[1:]
    assert rows[0]["new"]["title"] == "Patrols in Castle Park"
    ok(cli("pledge", "edit", "cw01-l1", "--title", "Patrols"))
    rows = json.loads(ok(cli("history", "cw01-l1", "--format", "json")).stdout)
    rows = [r for r in rows if r["entity"] == "pledge"]
    assert [r["op"] for r in rows] == ["edit", "insert"]
    assert rows[0]["old"] == {"title": "Patrols in Castle Park"}
    everything = json.loads(ok(cli("history", "--limit", "2", "--format", "json")).stdout)
    assert [(r["entity_key"], r["op"]) for r in everything] == [
        ("CW01-L1", "edit"),
        ("MH03-L2", "close"),
    ]
    assert [r["id"] for r in everything] == sorted((r["id"] for r in everything), reverse=True)


def test_the_audit_log_is_never_rewritten(cli: Run, db: Path, populated: None) -> None:
    before = snapshot(db)["changes"]
    ok(cli("pledge", "edit", "CW01-L1", "--title", "New"))
    after = snapshot(db)["changes"]
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1


def test_pledges_read_back_equal_validated_ones(db: Path, populated: None) -> None:
    """Reports read pledges without validating them again: they must be the same objects."""
    from pledgetrack.domain.models import Pledge
    from pledgetrack.store.pledges import list_pledges

    with open_store(db, create=False, actor=USER, clock=lambda: NOW) as store:
        pledges = list_pledges(store)
    assert pledges
    for pledge in pledges:
        validated = Pledge.model_validate(pledge.model_dump())
        assert pledge == validated
        assert repr(pledge) == repr(validated)
        assert pledge.model_dump(mode="json") == validated.model_dump(mode="json")
        assert pledge.model_copy(update={"title": "x"}).title == "x"


def test_teams_read_back_equal_validated_ones(db: Path, populated: None) -> None:
    """`log` reads its team without validating it again: it must be the same object."""
    from pledgetrack.domain.models import Team
    from pledgetrack.store.teams import get_team, list_teams

    with open_store(db, create=False, actor=USER, clock=lambda: NOW) as store:
        teams = list_teams(store, include_archived=True)
        assert teams
        assert [get_team(store, t.code.lower()) for t in teams] == teams
    for team in teams:
        validated = Team.model_validate(team.model_dump())
        assert team == validated
        assert repr(team) == repr(validated)
        assert team.model_dump(mode="json") == validated.model_dump(mode="json")
        assert type(team.setting) is type(validated.setting)
        assert team.model_copy(update={"name": "x"}).name == "x"


def test_pledge_records_come_in_report_order(db: Path, populated: None, cli: Run) -> None:
    """By team code (not the order teams were added), each team's national commitments
    before its local pledges, each kind by number: the order every report lists them in."""
    from pledgetrack.domain.models import PledgeKind
    from pledgetrack.store.pledges import list_pledge_records

    ok(cli("team", "add", "AA01", "--name", "Added last, listed first"))
    with open_store(db, create=False, actor=USER, clock=lambda: NOW) as store:
        records = list_pledge_records(store)
    order = [(r.team, r.kind is not PledgeKind.NATIONAL, r.seq) for r in records]
    assert order == sorted(order)
    assert records[0].team == "AA01" and records[0].ref == "AA01-N1"
    assert {r.kind for r in records if r.team == "CW01"} == set(PledgeKind)


def test_pledge_records_are_the_pledges_as_plain_values(db: Path, populated: None) -> None:
    """Reports judge plain records: the same pledges, in the same order, field for field,
    for every team and for a chosen few."""
    from pledgetrack.domain.models import PledgeRecord
    from pledgetrack.store.pledges import list_pledge_records, list_pledges

    with open_store(db, create=False, actor=USER, clock=lambda: NOW) as store:
        for teams in (None, ["MH03"], ["MH03", "CW01"], []):
            pledges = list_pledges(store, teams=teams)
            records = list_pledge_records(store, teams=teams)
            assert [r.ref for r in records] == [p.ref for p in pledges]
            assert records == [
                PledgeRecord(**{f: getattr(p, f) for f in PledgeRecord._fields}) for p in pledges
            ]
            # a report that shows no title reads neither title nor meeting: "" and None
            wordless = list_pledge_records(store, teams=teams, words=False)
            assert wordless == [r._replace(title="", meeting=None) for r in records]
            if teams is None:  # closed ones too, with their day and status
                assert any(r.closed_on is not None for r in records)
                assert all(r.title for r in records)
