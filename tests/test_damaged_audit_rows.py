"""An audit-log entry another tool wrote badly (`sqlite3 db "update changes set
old='{bad', at='yesterday' where id=1"`): `history` refuses it naming the row, the column
and the way to mend it (exit 3, never 70), shows every other record's history, `db check`
lists it, and the way out works (ATTACK4 A8)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from helpers import Run, add_weekly_patrols, another_tool, assert_error, nothing_written, ok
from pledgetrack.exitcodes import ExitCode

SEE = "see: pledgetrack db check"
AT_FIX = "write the cell as stored, like 2008-10-14T09:00:00+01:00"
RECORD_FIX = 'write the cell as a JSON object, like {"title": "Patrols"}, or NULL (no values)'


@pytest.fixture
def logged(cli: Run, team: str, db: Path) -> Run:
    """CW01's insert is change 1; CW01-L1's insert is the last."""
    add_weekly_patrols(cli, team)
    return cli


def _last(db: Path) -> int:
    conn = sqlite3.connect(db)
    (last,) = conn.execute("SELECT MAX(id) FROM changes").fetchone()
    conn.close()
    return int(last)


def test_history_refuses_an_entry_it_cannot_read_naming_row_column_and_fix(
    logged: Run, db: Path
) -> None:
    another_tool(db, "UPDATE changes SET old = '{bad', at = 'yesterday' WHERE id = 1")
    refused = (
        f"changes.at of row 1 is not a time pledgetrack can read ('yesterday'); {AT_FIX}; {SEE}"
    )
    with nothing_written(db):
        for shown in ((), ("-f", "json"), ("-f", "csv"), ("-f", "plain")):
            assert_error(logged("history", *shown), ExitCode.DATABASE, refused)
            assert_error(logged("history", "CW01", *shown), ExitCode.DATABASE, refused)
    # another record's history does not hold it
    assert "CW01-L1" in ok(logged("history", "CW01-L1")).stdout
    check = logged("db", "check")
    assert check.exit_code == ExitCode.DATABASE
    assert check.stdout == (
        "stored value: changes.at of row 1 is not a time pledgetrack can read: "
        f"'yesterday'; {AT_FIX}\n"
        "stored value: changes.old of row 1 is not a record pledgetrack can read: "
        f"'{{bad'; {RECORD_FIX}\n"
    )
    assert check.stderr.endswith("2 problems found; each line says how to correct it\n")
    # mended as the lines say: the time as stored, the values as a JSON object
    another_tool(db, "UPDATE changes SET at = '2008-10-16T15:00:00+01:00' WHERE id = 1")
    assert_error(
        logged("history", "CW01"),
        ExitCode.DATABASE,
        f"changes.old of row 1 is not a record pledgetrack can read ('{{bad'); {RECORD_FIX}; {SEE}",
    )
    another_tool(db, "UPDATE changes SET old = NULL WHERE id = 1")
    ok(logged("history", "CW01"))
    assert ok(logged("db", "check")).stderr.endswith(": ok (integrity, foreign keys, change log)\n")


# what another tool may write where a JSON object belongs; STRICT keeps 5 as the text '5'
@pytest.mark.parametrize(
    "stored",
    ["{bad", "[1]", "5", '"text"', "", "null", '{"a": NaN}', '{"a": -Infinity}',
     pytest.param("{" * 2000 + "}" * 2000, id="2000 deep, not JSON"),
     pytest.param('{"a": ' * 1000 + "1" + "}" * 1000, id="1000 deep, past Python's json"),
     pytest.param('{"a": ' + "[" * 995 + "]" * 995 + "}", id="996 deep in 2,000 bytes"),
     pytest.param('{"":' + "[" * 250 + "]" * 250 + "}", id="251 deep"),
     pytest.param('{"a": ' * 300 + "1" + "}" * 300, id="300 deep")],
)  # fmt: skip
def test_values_that_are_not_a_json_object_are_refused(logged: Run, db: Path, stored: str) -> None:
    last = _last(db)
    another_tool(db, "UPDATE changes SET new = ? WHERE id = ?", stored, last)
    refused = assert_error(logged("history", "-f", "json"), ExitCode.DATABASE)
    assert refused == (
        f"changes.new of row {last} is not a record pledgetrack can read ({stored!r}); "
        f"{RECORD_FIX}; {SEE}"
    )
    check = logged("db", "check")
    assert check.exit_code == ExitCode.DATABASE
    assert f"changes.new of row {last} is not a record" in check.stdout


@pytest.mark.parametrize(
    "stored",
    ['{"title":"x"}', ' {"a": [1, {"b": null}]} ',
     pytest.param('{"":' + "[" * 247 + "]" * 247 + "}" + " " * 1000, id="248 deep, long"),
     pytest.param('{"":' + "[" * 249 + "]" * 249 + "}", id="250 deep"),
     pytest.param('{"":' + "[" * 247 + "]" * 247 + "}", id="248 deep in 499 bytes"),
     pytest.param('{"a": "' + "[{" * 1000 + '"}', id="flat, brackets in its text")],
)  # fmt: skip
def test_any_json_object_is_read_as_stored(logged: Run, db: Path, stored: str) -> None:
    """The edge: any object nested up to 250 deep, however another tool spaced it, SQL
    vouching for it or not (flat, or under 500 bytes; the rest are judged)."""
    last = _last(db)
    another_tool(db, "UPDATE changes SET new = ? WHERE id = ?", stored, last)
    shown = json.loads(ok(logged("history", "CW01-L1", "-f", "json")).stdout)
    assert shown[0]["new"] == json.loads(stored)
    ok(logged("history"))
    ok(logged("db", "check"))


@pytest.mark.parametrize(
    ("at", "readable"),
    [("2008-10-14T09:00:00+01:00", True), ("2008-10-14T09:00:00", False),
     ("2008-10-14 09:00:00+01:00", False), ("2008-02-30T09:00:00+00:00", False)],
)  # fmt: skip
def test_an_entry_time_is_read_only_in_the_stored_form(
    logged: Run, db: Path, at: str, readable: bool
) -> None:
    another_tool(db, "UPDATE changes SET at = ? WHERE id = 1", at)
    result = logged("history", "CW01")
    if readable:
        assert "14/10 09:00" in ok(result).stdout
        return
    assert_error(
        result,
        ExitCode.DATABASE,
        f"changes.at of row 1 is not a time pledgetrack can read ({at!r}); {AT_FIX}; {SEE}",
    )


def test_team_restore_refuses_a_withdrawal_entry_it_cannot_read(logged: Run, db: Path) -> None:
    """Which pledges the archive withdrew is read from its close entries: one another tool
    damaged is named, never guessed (reopened or left withdrawn)."""
    ok(logged("team", "archive", "CW01", "--yes"))
    conn = sqlite3.connect(db)
    (first,) = conn.execute("SELECT MIN(id) FROM changes WHERE op = 'close'").fetchone()
    conn.close()
    another_tool(db, "UPDATE changes SET new = '{x' WHERE id = ?", first)
    with nothing_written(db):
        refused = assert_error(logged("team", "restore", "CW01", "--reopen"), ExitCode.DATABASE)
    assert refused == (
        f"changes.new of row {first} is not a record pledgetrack can read ('{{x'); "
        f"{RECORD_FIX}; {SEE}"
    )
