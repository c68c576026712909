"""A config.toml that cannot be used (ATTACK2 A7) is refused only where one of its values
is needed: `--help`, `national`, `demo` and a command given all it needs still work.

Every case goes through the real CLI with the file on disk (XDG_CONFIG_HOME), the way a
sergeant's shell reads it; the database path a config gave is named in its refusals."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import invoke
from helpers import assert_error, ok
from pledgetrack.cli.app import app
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode


def config_file(tmp_path: Path) -> Path:
    folder = tmp_path / "xdg" / "pledgetrack"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "config.toml"


def run(*args: str, **variables: str) -> Result:
    """The CLI as a shell runs it: the environment (and so config.toml) read by the root."""
    return CliRunner().invoke(app, list(args), env=variables or None)


@pytest.fixture
def team_db(tmp_path: Path, env: Environment, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with team CW01, made before the broken file is in place."""
    path = tmp_path / "team.db"
    ok(invoke(["--db", str(path), "team", "add", "CW01", "--name", "Castle Ward"], env))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return path


# the file's bytes, and the one line a command that needs its values refuses with
BROKEN = {
    "bad TOML": (b"db = \n", "Invalid value (at line 1, column 6)"),
    "unquoted": (b"team = CW01\n", 'line 1, column 8); text is quoted: team = "CW01"'),
    "wrong type": (b"team = 3\n", 'line 1: team must be text in quotes (team = "..."), not 3'),
    "table": (b'db = "x.db"\n[team]\ncode = "CW01"\n',
              'line 2: team must be text in quotes (team = "..."), not a table'),
    "blank": (b'\n\nteam = "  "\n', "line 3: team is blank (leave it out for none)"),
    "not UTF-8": (b'# notes\nteam = "CW\xff01"\n', "line 2 is not UTF-8 text"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_blocks_only_what_needs_it(
    tmp_path: Path, team_db: Path, case: str
) -> None:
    content, says = BROKEN[case]
    path = config_file(tmp_path)
    path.write_bytes(content)
    # needs no value of the file: help, the national pledge, every setting given
    for args in (["summary", "--help"], ["config", "show", "--help"], ["log", "-h"],
                 ["national"], ["national", "show", "N4"]):  # fmt: skip
        assert ok(run(*args)).stdout
    given = ok(run("--db", str(team_db), "summary", "-t", "CW01", "-p", "2008-10", "-f", "csv"))
    assert given.stdout.count("CW01-N") == 10 and given.stderr == ""
    # the default team is the file's to say: one line naming the file and where in it
    line = assert_error(run("--db", str(team_db), "summary", "-p", "2008-10"), ExitCode.USAGE)
    assert line.startswith(f"config file {path}: ") and line.endswith(says)


def test_a_folder_for_a_file_is_bad_input_and_refused_only_where_needed(
    tmp_path: Path, team_db: Path
) -> None:
    config_file(tmp_path).mkdir()
    said = f"cannot read config file {config_file(tmp_path)}: Is a directory"
    assert_error(run("summary"), ExitCode.USAGE, said)
    ok(run("--db", str(team_db), "team", "show", "CW01"))
    ok(run("summary", "--help"))


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux /proc")
def test_a_file_the_system_will_not_read_is_74_where_needed(
    tmp_path: Path, team_db: Path
) -> None:
    """/proc/self/mem refuses a plain read (EIO) even to root, who reads a mode-000 file."""
    config_file(tmp_path).symlink_to("/proc/self/mem")
    said = f"cannot read config file {config_file(tmp_path)}: Input/output error"
    assert_error(run("summary"), ExitCode.IO, said)
    assert_error(run("--db", str(team_db), "log", "CW01-N7", "x"), ExitCode.IO, said)
    ok(run("--db", str(team_db), "summary", "-t", "CW01", "-p", "2008-10"))
    ok(run("national"))


def test_one_bad_setting_blocks_only_commands_that_need_that_one(
    tmp_path: Path, team_db: Path
) -> None:
    path = config_file(tmp_path)
    path.write_text(f'db = "{team_db}"\n\nteam = 3\n', encoding="utf-8")
    # the league needs no default team; the database comes from the file
    assert "CW01" in ok(run("overview", "-p", "2008-10", "-f", "csv")).stdout
    assert_error(run("summary", "-p", "2008-10"), ExitCode.USAGE,
                 f'config file {path}: line 3: team must be text in quotes (team = "..."), '
                 "not 3")  # fmt: skip
    assert ok(run("summary", "-t", "CW01", "-p", "2008-10", "-f", "csv")).stdout


def test_an_unknown_setting_is_a_warning_naming_the_nearest(
    tmp_path: Path, team_db: Path
) -> None:
    """A slip (`tema`) or a file for a newer release is said and ignored, not a refusal:
    the rest of the file works; the warning is on every command, since the setting the
    sergeant meant is not in force (here: the summary is of every team)."""
    path = config_file(tmp_path)
    path.write_text(
        f'# mine\ntema = "CW01"\ndb = "{team_db}"\ntz = "Europe/Paris"\ncolour = true\n'
        '[pledgetrack]\nteam = "CW01"\n',
        encoding="utf-8",
    )
    result = ok(run("summary", "-p", "2008-10", "-f", "csv"))
    assert result.stdout.count("CW01-N") == 10
    where = f"warning: config file {path}:"
    assert result.stderr.splitlines() == [
        f"{where} line 2: unknown setting 'tema' ignored (did you mean team?)",
        f"{where} line 4: unknown setting 'tz' ignored (did you mean timezone?)",
        f"{where} line 5: unknown setting 'colour' ignored (known: team, db, timezone)",
        f"{where} line 6: unknown setting 'pledgetrack' ignored; settings go at the top of "
        "the file, not under [pledgetrack]",
    ]
    shown = ok(run("config", "show", "-f", "csv"))
    assert f"db,{team_db},file {path}" in shown.stdout.splitlines()
    assert f"config file: {path} (read)" in shown.stderr


def test_an_unknown_zone_in_the_file_is_refused_where_the_zone_is_needed(
    tmp_path: Path, team_db: Path
) -> None:
    path = config_file(tmp_path)
    path.write_text('timezone = "Mars/Olympus"\n', encoding="utf-8")
    said = f"unknown time zone in {path}: timezone = 'Mars/Olympus'"
    # a read of a file that records its zone is in that zone, whatever is configured
    ok(run("--db", str(team_db), "summary", "-t", "CW01", "-p", "2008-10"))
    ok(run("national"))
    # a write: whether its times are meant in the file's zone cannot be told; nothing written
    before = team_db.read_bytes()
    assert_error(run("--db", str(team_db), "log", "CW01-N7", "x", "--when", "1/10/2008 10:00"),
                 ExitCode.USAGE, said)  # fmt: skip
    assert team_db.read_bytes() == before
    # a new database would record the zone configured: refused, no file made
    new = tmp_path / "new.db"
    assert_error(run("--db", str(new), "team", "add", "AB02", "--name", "Abbey"),
                 ExitCode.USAGE, said)  # fmt: skip
    assert not new.exists()
    assert_error(run("rollup", str(team_db), "-p", "2008-10"), ExitCode.USAGE, said)
    # the variable overrides the file's zone: the file's value is no longer needed
    ok(run("--db", str(new), "team", "add", "AB02", "--name", "Abbey",
           PLEDGETRACK_TZ="Europe/London"))  # fmt: skip


def test_an_unknown_zone_in_the_environment_does_not_block_help_either(tmp_path: Path) -> None:
    ok(run("summary", "--help", PLEDGETRACK_TZ="Mars/Olympus"))
    assert_error(run("--db", str(tmp_path / "n.db"), "team", "add", "AB02", "--name", "A",
                     PLEDGETRACK_TZ="Mars/Olympus"),
                 ExitCode.USAGE, "unknown time zone in PLEDGETRACK_TZ: 'Mars/Olympus'")  # fmt: skip


def test_demo_sets_a_broken_file_aside_and_says_so(tmp_path: Path, team_db: Path) -> None:
    path = config_file(tmp_path)
    path.write_bytes(b"db = \n")
    out = tmp_path / "demo.db"
    result = ok(run("demo", "--out", str(out), "-f", "csv"))
    assert result.stderr.splitlines()[0] == (
        f"note: config file {path}: Invalid value (at line 1, column 6); the demo does not "
        "use that file"
    )
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT count(*) FROM teams").fetchone() == (3,)


def test_config_show_prints_what_it_can_then_names_the_problem(
    tmp_path: Path, team_db: Path
) -> None:
    path = config_file(tmp_path)
    path.write_text(f'db = "{team_db}"\nteam = 3\n', encoding="utf-8")
    result = run("config", "show", "-f", "csv")
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout.splitlines()[1:] == [
        f'team,,"file {path}, which cannot be used"',
        f"db,{team_db},file {path}",
        f"timezone,Europe/London,database {team_db}",
    ]
    assert result.stderr.splitlines() == [
        f"config file: {path} (cannot be used)",
        f'error: config file {path}: line 2: team must be text in quotes (team = "..."), '
        "not 3",
    ]


def test_config_show_names_a_recorded_zone_this_system_does_not_know(
    tmp_path: Path, team_db: Path
) -> None:
    """FRESH2 G25: it said `Europe/London default` for a file every command refuses."""
    with sqlite3.connect(team_db) as conn:
        conn.execute("UPDATE settings SET value = 'Mars/Base' WHERE key = 'timezone'")
    result = ok(run("--db", str(team_db), "config", "show", "-f", "csv"))
    assert f"timezone,Mars/Base,\"database {team_db}, unknown here\"" in result.stdout
    assert "which this system does not know" in result.stderr


def test_config_show_says_the_database_zone_even_when_it_is_the_default(
    tmp_path: Path, team_db: Path
) -> None:
    """The zone every command on the file uses is the one it records (was `default`)."""
    shown = ok(run("--db", str(team_db), "config", "show", "-f", "csv")).stdout
    assert f"timezone,Europe/London,database {team_db}" in shown.splitlines()
    missing = ok(run("--db", str(tmp_path / "none.db"), "config", "show", "-f", "csv")).stdout
    assert "timezone,Europe/London,default" in missing.splitlines()


# -- the database path a setting gave, named in the database's refusals -------------------


def test_a_database_from_the_file_or_environment_says_where_it_came_from(
    tmp_path: Path, team_db: Path
) -> None:
    path = config_file(tmp_path)
    home = Path(os.environ["HOME"])
    path.write_text('db = "~/nowhere.db"\n', encoding="utf-8")
    assert_error(run("summary"), ExitCode.DATABASE,
                 f"database not found: {home / 'nowhere.db'} (from db in {path}); "
                 "team add creates a new one")  # fmt: skip
    assert_error(run("summary", PLEDGETRACK_DB=str(tmp_path / "e.db")), ExitCode.DATABASE,
                 f"database not found: {tmp_path / 'e.db'} (from PLEDGETRACK_DB); team add "
                 "creates a new one")  # fmt: skip
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all, just some text" * 100)
    path.write_text(f'db = "{junk}"\n', encoding="utf-8")
    assert_error(run("team", "list"), ExitCode.DATABASE,
                 f"{junk} (from db in {path}) is not an SQLite database")  # fmt: skip
    # typed with --db: the user knows where it came from
    assert_error(run("--db", str(junk), "team", "list"), ExitCode.DATABASE,
                 f"{junk} is not an SQLite database")  # fmt: skip
    assert_error(run("--db", str(tmp_path / "t.db"), "team", "list"), ExitCode.DATABASE,
                 f"database not found: {tmp_path / 't.db'} (check --db or PLEDGETRACK_DB); "
                 "team add creates a new one")  # fmt: skip


def test_a_database_the_system_will_not_write_names_the_file_that_named_it(
    tmp_path: Path, team_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file this user may read but not write (root, who runs the tests, writes any):
    opened read-only where the store opens it, as in test_upgrade's not_writable."""
    from pledgetrack.store import connection

    path = config_file(tmp_path)
    path.write_text(f'db = "{team_db}"\n', encoding="utf-8")
    before = team_db.read_bytes()

    def read_only(file: Path, busy_timeout_s: float) -> sqlite3.Connection:
        return sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True,
                               isolation_level=None)  # fmt: skip

    monkeypatch.setattr(connection, "_connect", read_only)
    monkeypatch.setattr(connection, "may_write", lambda file: False)
    line = assert_error(run("log", "CW01-N7", "x"), ExitCode.IO)
    assert line.startswith(f"cannot read or write database {team_db} (from db in {path}): ")
    assert team_db.read_bytes() == before
    assert ok(run("team", "list", "-f", "csv")).stdout  # reading it is still fine


def test_a_file_saved_by_notepad_is_read(tmp_path: Path, team_db: Path) -> None:
    """A byte-order mark and CRLF line ends: tomllib refused the mark at line 1, column 1."""
    config_file(tmp_path).write_bytes(f'\ufeffteam = "CW01"\r\ndb = "{team_db}"\r\n'.encode())
    shown = ok(run("config", "show", "-f", "csv")).stdout.splitlines()
    assert f"team,CW01,file {config_file(tmp_path)}" in shown
    assert ok(run("summary", "-p", "2008-10", "-f", "csv")).stdout.count("CW01-N") == 10


@pytest.mark.parametrize("name", ["localtime", "posixrules"])
def test_this_machines_own_zone_is_not_recorded(tmp_path: Path, team_db: Path, name: str) -> None:
    """`localtime` is a zone tzdata knows, but it is whatever this machine is set to: a
    database recording it read its times on another wall clock on another machine."""
    new = tmp_path / "new.db"
    said = (f"time zone in PLEDGETRACK_TZ: {name!r} is this machine's own setting, which "
            "another machine reads otherwise; give the zone's name, e.g. Europe/London")
    assert_error(run("--db", str(new), "team", "add", "AB02", "--name", "Abbey",
                     PLEDGETRACK_TZ=name), ExitCode.USAGE, said)  # fmt: skip
    assert not new.exists()
    path = config_file(tmp_path)
    path.write_text(f'timezone = "{name}"\n', encoding="utf-8")
    assert_error(run("--db", str(new), "team", "add", "AB02", "--name", "Abbey"),
                 ExitCode.USAGE, said.replace("PLEDGETRACK_TZ", str(path))
                 .replace(repr(name), f"timezone = {name!r}"))  # fmt: skip
    assert not new.exists()
    # a file that recorded it before is still read, as this machine reads it
    conn = sqlite3.connect(team_db)
    conn.execute("UPDATE settings SET value = ? WHERE key = 'timezone'", (name,))
    conn.commit()
    conn.close()
    path.unlink()
    ok(run("--db", str(team_db), "summary", "-p", "2008-10"))


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_config_file_that_is_a_pipe_or_a_device_is_not_read(
    tmp_path: Path, team_db: Path, kind: str
) -> None:
    """ATTACK4 A5: a link to /dev/zero was read until the kernel killed the process, and a
    named pipe with no writer hung every command, --db given or not."""
    path = config_file(tmp_path)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    said = (f"cannot read config file {path}: it is not a regular file (a device, a pipe or "
            "a socket)")  # fmt: skip
    assert_error(run("summary"), ExitCode.USAGE, said)
    ok(run("--db", str(team_db), "summary", "-t", "CW01", "-p", "2008-10"))


def test_a_config_file_past_a_mebibyte_is_not_one(tmp_path: Path, team_db: Path) -> None:
    path = config_file(tmp_path)
    comment = b"# " + b"x" * (1 << 20) + b"\n"
    path.write_bytes(comment[: (1 << 20) - 1] + b"\n")  # the most: read
    ok(run("--db", str(team_db), "summary", "-p", "2008-10", PLEDGETRACK_TEAM="CW01"))
    ok(run("config", "show"))
    path.write_bytes(comment[: 1 << 20] + b"\n")  # a byte more
    said = f"config file {path}: over 1 MiB, which no config file is"
    assert_error(run("--db", str(team_db), "summary", "-p", "2008-10"), ExitCode.USAGE, said)
