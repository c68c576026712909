"""The database records its time zone (schema 13): every command on it reads, writes,
judges and shows times in that zone, whatever the zone its user configured.

Two sergeants sharing one file with different zones stored and judged times against
different wall clocks: an action logged at 23:30 UTC on 31 October counted in October for
one and in November for the other, and nobody was told.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import Result

from conftest import fixed_clock, invoke
from helpers import assert_error, nothing_written, ok
from pledgetrack.environment import Environment
from pledgetrack.errors import DatabaseError
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store.connection import open_store
from pledgetrack.store.migrations import LATEST_VERSION, ZONE_RECORDED_SINCE

Runner = Callable[..., Result]
# 23:30 UTC on 31 October 2008: 31 October in London, 1 November in Paris
HALLOWEEN_NIGHT = datetime(2008, 10, 31, 23, 30, tzinfo=UTC)


def runner(tmp_path: Path, db: Path, zone: str | None, at: datetime = HALLOWEEN_NIGHT) -> Runner:
    """The CLI on `db` as a user whose PLEDGETRACK_TZ is `zone` (None: not set)."""
    variables = {"HOME": str(tmp_path)}
    if zone is not None:
        variables["PLEDGETRACK_TZ"] = zone
    env = dataclasses.replace(
        Environment.from_os(variables), stdout_isatty=False, clock=fixed_clock(at)
    )

    def run(*args: str) -> Result:
        return invoke(["--db", str(db), *args], env)

    return run


def _paris_file(tmp_path: Path) -> Path:
    """A file created by a sergeant in Paris: team T1, a weekly patrol pledge T1-L1."""
    db = tmp_path / "paris.db"
    created = _team_with_patrols(runner(tmp_path, db, "Europe/Paris"), "T1")
    assert created.stderr.splitlines()[0] == (
        f"created database {db}; its times are kept in Europe/Paris, for every command on it"
    )
    return db


def _team_with_patrols(run: Runner, code: str) -> Result:
    """Team `code` (N4 only) and its monthly patrol pledge, `code`-L1; team add's result."""
    added = ok(run("team", "add", code, "--name", code, "--national-only", "N4",
                   "--since", "2008-01-01"))  # fmt: skip
    ok(run("pledge", "add", code, "Patrols", "--at-least", "1", "--per", "month",
           "--agreed", "2008-01-01"))  # fmt: skip
    return added


def _stored(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _actual(csv_text: str) -> dict[str, str]:
    """Each pledge's `actual` in a summary CSV."""
    return {row["pledge"]: row["actual"] for row in csv.DictReader(io.StringIO(csv_text))}


def _monthly_count(run: Runner, month: str) -> str:
    out = ok(run("summary", "--team", "T1", "--period", month, "--as-of", "2008-12-01",
                 "-f", "csv")).stdout  # fmt: skip
    return _actual(out)["T1-L1"]


def test_a_new_database_records_the_zone_it_was_created_in(tmp_path: Path) -> None:
    db = _paris_file(tmp_path)
    assert _stored(db, "SELECT key, value FROM settings") == [("timezone", "Europe/Paris")]
    info = ok(runner(tmp_path, db, None)("db", "info")).stdout
    assert "time zone: Europe/Paris\n" in info


def test_a_user_who_configured_no_zone_works_in_the_database_s(tmp_path: Path) -> None:
    """A second sergeant with no zone set (the default, London) logs on the Paris file:
    the action at 23:30 UTC on 31 October is Paris's 1 November, as for the first
    sergeant; a typed time is Paris's; nothing is said (the file's zone is the only one)."""
    db = _paris_file(tmp_path)
    london_default = runner(tmp_path, db, None)
    logged = ok(london_default("log", "T1-L1", "Patrol"))
    assert logged.stderr == ""
    ok(london_default("log", "T1-L1", "Patrol", "--when", "14/10/2008 10:00"))
    assert _stored(db, "SELECT occurred_at FROM actions ORDER BY id") == [
        ("2008-11-01T00:30:00+01:00",),
        ("2008-10-14T10:00:00+02:00",),
    ]
    for run in (london_default, runner(tmp_path, db, "Europe/Paris")):
        assert _monthly_count(run, "2008-10") == "1"
        assert _monthly_count(run, "2008-11") == "1"


def test_a_write_under_another_configured_zone_is_refused(tmp_path: Path) -> None:
    """PLEDGETRACK_TZ=Europe/London on the Paris file: `--when 10:00` would be taken as
    Paris's 10:00, an hour from what the sergeant meant: refused, exit 2, naming both zones
    and the fix; nothing written."""
    db = _paris_file(tmp_path)
    london = runner(tmp_path, db, "Europe/London")
    why = (
        f"{db} keeps its times in Europe/Paris, but PLEDGETRACK_TZ is Europe/London: times "
        "given here would be taken as Europe/Paris's; unset PLEDGETRACK_TZ, or set it to "
        "Europe/Paris, to record in this database"
    )
    with nothing_written(db):
        for command in (
            ("log", "T1-L1", "Patrol", "--when", "14/10/2008 10:00"),
            ("team", "add", "T2", "--name", "T2"),
            ("db", "upgrade"),
            ("import", "teams", str(tmp_path / "none.csv")),
        ):
            assert_error(london(*command), ExitCode.USAGE, why)


def test_a_read_under_another_configured_zone_says_it_is_the_database_s(tmp_path: Path) -> None:
    """The figures are the file's, the same for every reader: stderr says which zone."""
    db = _paris_file(tmp_path)
    ok(runner(tmp_path, db, "Europe/Paris")("log", "T1-L1", "Patrol"))  # Paris's 1 November
    london = runner(tmp_path, db, "Europe/London")
    result = ok(london("summary", "--team", "T1", "--period", "2008-10", "--as-of", "2008-12-01"))
    assert result.stderr == (
        f"note: {db} keeps its times in Europe/Paris: read and shown in Europe/Paris, not in "
        "Europe/London (PLEDGETRACK_TZ)\n"
    )
    assert _monthly_count(london, "2008-10") == "0"
    assert _monthly_count(london, "2008-11") == "1"
    shown = ok(london("actions", "-f", "csv")).stdout
    assert "2008-11-01T00:30:00+01:00" in shown


def test_config_show_names_the_zone_in_force(tmp_path: Path) -> None:
    db = _paris_file(tmp_path)
    result = ok(runner(tmp_path, db, "Europe/London")("config", "show", "-f", "csv"))
    assert f"timezone,Europe/Paris,database {db}\n" in result.stdout
    assert (
        f"note: Europe/London (environment PLEDGETRACK_TZ) is not used for {db}: every "
        "command on it uses the zone it records"
    ) in result.stderr
    nowhere = runner(tmp_path, tmp_path / "none.db", "Europe/London")
    alone = ok(nowhere("config", "show", "-f", "csv"))
    assert "timezone,Europe/London,environment PLEDGETRACK_TZ\n" in alone.stdout


def _as_schema_before_zones(db: Path) -> None:
    """The file as the release before schema 13 left it: no settings table."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE settings")
    conn.execute(f"PRAGMA user_version = {ZONE_RECORDED_SINCE - 1}")
    conn.commit()
    conn.close()


def test_an_upgrade_records_the_zone_of_the_command_that_upgrades(tmp_path: Path) -> None:
    """An older file records no zone: its upgrade records the upgrader's and says so;
    from then on the file's zone wins. A read of the older file is refused as before
    (`db upgrade`); `db info` says no zone is recorded."""
    db = _paris_file(tmp_path)
    _as_schema_before_zones(db)
    london = runner(tmp_path, db, None)
    assert "time zone: not recorded\n" in ok(london("db", "info")).stdout
    assert london("summary").exit_code == ExitCode.DATABASE
    upgraded = ok(runner(tmp_path, db, "Europe/Paris")("db", "upgrade"))
    assert upgraded.stderr == (
        f"upgraded {db} from schema {ZONE_RECORDED_SINCE - 1} to "
        f"{LATEST_VERSION}; its times are kept in Europe/Paris, for every command on it\n"
    )
    assert _stored(db, "SELECT value FROM settings") == [("Europe/Paris",)]
    ok(london("log", "T1-L1", "Patrol"))
    assert _stored(db, "SELECT occurred_at FROM actions") == [("2008-11-01T00:30:00+01:00",)]


def test_a_file_recording_another_zone_than_the_command_s_is_refused(tmp_path: Path) -> None:
    """The file's zone is read before the command parses its times; one that changed by
    the time the file is opened (another process created or upgraded it meanwhile, in its
    zone) is refused, exit 3, rather than mixed."""
    db = _paris_file(tmp_path)
    with pytest.raises(DatabaseError) as refused:
        open_store(db, create=False, actor="x", clock=lambda: HALLOWEEN_NIGHT,
                   writes=True, zone="Europe/London")  # fmt: skip
    assert str(refused.value) == (
        f"{db} keeps its times in Europe/Paris, not Europe/London, the zone this command "
        "works in; nothing was written: run it again (a command reading several databases: "
        "with PLEDGETRACK_TZ=Europe/Paris)"
    )


def test_a_second_creator_in_another_zone_writes_nothing(tmp_path: Path) -> None:
    """Two sergeants create the same new file at once, one in Paris and one in London: the
    second finds the first's file under the folder lock; its times were read as London's,
    so it writes nothing, exit 3."""
    db = tmp_path / "new.db"
    second = open_store(db, create=True, actor="x", clock=lambda: HALLOWEEN_NIGHT,
                        zone="Europe/London")  # fmt: skip
    _paris_file_at(tmp_path, db)
    mixed = "keeps its times in Europe/Paris, not Europe/London"
    with pytest.raises(DatabaseError, match=mixed), second.write():
        second.insert("settings", {"key": "x", "value": "y"})
    second.close()
    assert _stored(db, "SELECT key FROM settings") == [("timezone",)]


def _paris_file_at(tmp_path: Path, db: Path) -> None:
    ok(runner(tmp_path, db, "Europe/Paris")("team", "add", "T1", "--name", "T1"))


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("UPDATE settings SET value = 'Mars/Olympus'",
         "time zone: settings.timezone is not a zone this system knows: 'Mars/Olympus'"),
        ("UPDATE settings SET value = 'Europe'",  # a folder of tzdata
         "time zone: settings.timezone is not a zone this system knows: 'Europe'"),
        ("DELETE FROM settings", "time zone: none recorded (settings.timezone)"),
    ],
)  # fmt: skip
def test_db_check_lists_a_recorded_zone_that_cannot_be_used(
    tmp_path: Path, sql: str, found: str
) -> None:
    db = _paris_file(tmp_path)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql)
    conn.close()
    run = runner(tmp_path, db, None)
    check = run("db", "check")
    assert check.exit_code == ExitCode.DATABASE
    assert check.stdout.startswith(found)
    if "UPDATE" in sql:
        (name,) = re.findall(r"'(.*)'", sql)
        assert_error(
            run("summary"),
            ExitCode.DATABASE,
            f"{db} records the time zone {name!r}, which this system does not know; "
            "see: pledgetrack db check",
        )
        assert f"time zone: {name}\n" in ok(run("db", "info")).stdout
        assert f"records the time zone {name!r}" in ok(run("config", "show")).stderr


def test_a_backup_keeps_the_zone(tmp_path: Path) -> None:
    db = _paris_file(tmp_path)
    copy = tmp_path / "copy.db"
    ok(runner(tmp_path, db, None)("backup", str(copy)))
    assert "time zone: Europe/Paris\n" in ok(runner(tmp_path, copy, None)("db", "info")).stdout


def test_an_import_of_another_zone_s_export_is_kept_in_the_database_s(tmp_path: Path) -> None:
    """Actions exported from the Paris file, imported into a London one: each time is the
    same instant, written in London's offset, so it falls in London's day."""
    paris_db = _paris_file(tmp_path)
    paris = runner(tmp_path, paris_db, None)
    ok(paris("log", "T1-L1", "Patrol"))  # 1 November 00:30 in Paris
    exported = tmp_path / "actions.csv"
    ok(paris("export", "actions", "-o", str(exported)))
    london_db = tmp_path / "london.db"
    london = runner(tmp_path, london_db, "Europe/London")
    _team_with_patrols(london, "T1")
    ok(runner(tmp_path, london_db, None)("import", "actions", str(exported)))
    assert _stored(london_db, "SELECT occurred_at FROM actions") == [("2008-10-31T23:30:00+00:00",)]
    assert _monthly_count(london, "2008-10") == "1"


def test_a_rollup_summarises_each_database_in_its_own_zone(tmp_path: Path) -> None:
    """The same instant logged in a Paris and in a London file counts in November for the
    one and October for the other, as each team's own summary says."""
    paris_db = _paris_file(tmp_path)
    ok(runner(tmp_path, paris_db, None)("log", "T1-L1", "Patrol"))
    london_db = tmp_path / "london.db"
    london = runner(tmp_path, london_db, "Europe/London")
    _team_with_patrols(london, "T2")
    ok(london("log", "T2-L1", "Patrol"))
    out = ok(runner(tmp_path, tmp_path / "none.db", None)(
        "rollup", str(paris_db), str(london_db), "--period", "2008-10", "--as-of", "2008-12-01"
    )).stdout  # fmt: skip
    actual = _actual(out)
    assert (actual["T1-L1"], actual["T2-L1"]) == ("0", "1")


def test_the_demo_is_built_in_the_zone_configured(tmp_path: Path) -> None:
    """Not in the zone of the default database, which demo does not use."""
    paris_db = _paris_file(tmp_path)
    out = tmp_path / "demo.db"
    variables = {"HOME": str(tmp_path), "PLEDGETRACK_DB": str(paris_db)}
    env = dataclasses.replace(Environment.from_os(variables), stdout_isatty=False)
    ok(invoke(["demo", "--out", str(out)], env))
    assert _stored(out, "SELECT value FROM settings") == [("Europe/London",)]


def test_the_zone_recorded_is_an_iana_name(tmp_path: Path) -> None:
    """What ZoneInfo loads again on every later command."""
    db = _paris_file(tmp_path)
    ((name,),) = _stored(db, "SELECT value FROM settings")
    assert ZoneInfo(str(name)).key == "Europe/Paris"
