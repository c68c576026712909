"""A team's setting or active flag another tool wrote (`Rural` from a spreadsheet, `''`,
`active = 7`): every read refuses it naming the row and the way out (exit 3, never 70),
`db check` lists it, and the way out works: `team edit --setting` or `team restore` reads
past the value it replaces, and writes nothing it was not asked to (ATTACK3 A1)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from helpers import Run, assert_error, ok
from pledgetrack.exitcodes import ExitCode


def _write(db: Path, sql: str) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql)
    conn.close()


def _teams(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT code, name, setting, active FROM teams ORDER BY id").fetchall()
    conn.close()
    return rows


@pytest.fixture
def two(cli: Run, team: str) -> Run:
    """CW01 (urban, with N1-N10) and BL02 (urban, none)."""
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
    return cli


def _refusal(row: int, code: str, column: str, value: object, way: str) -> str:
    what = "setting" if column == "setting" else "flag (1 active, 0 archived)"
    return (
        f"teams.{column} of row {row} (team {code}) is not a {what} pledgetrack can read "
        f"({value!r}); to correct it: {way}"
    )


@pytest.mark.parametrize(
    ("stored", "choice"),
    [("'Rural'", "rural"), ("' urban'", "urban"), ("''", "urban or rural"),
     ("'suburban'", "urban or rural"), ("5", "urban or rural")],
)  # fmt: skip
def test_every_read_refuses_a_setting_it_cannot_read_naming_the_fix(
    two: Run, db: Path, stored: str, choice: str
) -> None:
    _write(db, f"UPDATE teams SET setting = {stored} WHERE code = 'CW01'")
    value = stored.strip("'")  # a STRICT TEXT column keeps 5 as "5"
    way = f"pledgetrack team edit CW01 --setting {choice}"
    refused = f"{_refusal(1, 'CW01', 'setting', value, way)}; see: pledgetrack db check"
    for command in (("team", "list"), ("team", "show", "CW01"), ("overview", "-p", "2008-10"),
                    ("summary", "-p", "2008-10"), ("check",), ("agenda", "--team", "CW01"),
                    ("export", "teams"), ("log", "CW01-N3", "Shift", "--hours", "8",
                                          "--when", "14/10/2008 09:00")):  # fmt: skip
        assert_error(two(*command), ExitCode.DATABASE, refused)
    check = two("db", "check")
    assert check.exit_code == ExitCode.DATABASE
    assert check.stdout == f"stored value: {_refusal(1, 'CW01', 'setting', value, way)}\n"
    assert check.stderr.endswith("1 problem found; each line says how to correct it\n")
    # another team's reports go on
    ok(two("summary", "-p", "2008-10", "--team", "BL02"))


def test_team_edit_mends_the_setting_and_moves_n5_as_a_new_setting_would(
    two: Run, db: Path
) -> None:
    _write(db, "UPDATE teams SET setting = 'Rural' WHERE code = 'CW01'")
    done = ok(two("team", "edit", "CW01", "--setting", "rural"))
    assert done.stderr == "updated team CW01\nCW01-N5 now within 20m (rural team)\n"
    assert _teams(db)[0] == ("CW01", "Castle Ward", "rural", 1)
    history = json.loads(ok(two("history", "--limit", "2", "-f", "json")).stdout)
    team_entry = next(h for h in history if h["entity"] == "team")
    assert (team_entry["old"], team_entry["new"]) == ({"setting": "Rural"}, {"setting": "rural"})
    assert ok(two("db", "check")).stderr.endswith(": ok (integrity, foreign keys, change log)\n")


def test_two_bad_cells_each_mended_by_its_own_command_and_nothing_guessed(
    two: Run, db: Path
) -> None:
    """Each fix reads past the other cell, and leaves it as stored (never the guess it
    read it as): an edit of the name writes the name alone."""
    _write(db, "UPDATE teams SET setting = '', active = 7 WHERE code = 'CW01'")
    ok(two("team", "edit", "CW01", "--name", "Castle"))
    assert _teams(db)[0] == ("CW01", "Castle", "", 7)
    refused = two("team", "list")
    assert refused.exit_code == ExitCode.DATABASE
    assert "teams.setting of row 1 (team CW01)" in refused.stderr
    assert ok(two("team", "restore", "CW01")).stderr.startswith("restored team CW01")
    assert _teams(db)[0] == ("CW01", "Castle", "", 1)
    ok(two("team", "edit", "CW01", "--setting", "urban"))
    assert _teams(db)[0] == ("CW01", "Castle", "urban", 1)
    ok(two("team", "list"))


@pytest.mark.parametrize("flag", ["7", "-1", "2"])  # STRICT: text is refused by SQLite
def test_an_active_flag_it_cannot_read_is_refused_and_archive_or_restore_mends_it(
    two: Run, db: Path, flag: str
) -> None:
    _write(db, f"UPDATE teams SET active = {flag} WHERE code = 'BL02'")
    value = int(flag)
    way = "pledgetrack team restore BL02 (or team archive BL02)"
    refused = f"{_refusal(2, 'BL02', 'active', value, way)}; see: pledgetrack db check"
    assert_error(two("team", "list"), ExitCode.DATABASE, refused)
    ok(two("team", "archive", "BL02", "--yes"))
    assert _teams(db)[1] == ("BL02", "Belgrave", "urban", 0)
    ok(two("team", "list", "--all"))


def test_the_stored_values_pledgetrack_writes_are_read(two: Run, db: Path) -> None:
    """The edge: `urban`, `rural`, 0 and 1 are ours, read without a word."""
    _write(db, "UPDATE teams SET setting = 'rural', active = 0 WHERE code = 'BL02'")
    ok(two("team", "list", "--all"))
    assert ok(two("db", "check")).exit_code == 0
