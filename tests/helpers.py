"""Assertions shared by the CLI tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from typer.testing import Result

from pledgetrack.exitcodes import ExitCode

LONDON = ZoneInfo("Europe/London")
# Thursday 16 October 2008, mid-afternoon, British Summer Time (+01:00)
NOW = datetime(2008, 10, 16, 15, 0, tzinfo=LONDON)
USER = "sgt.test"
# what the first line of a command that creates or upgrades a database ends with, in the
# tests' zone (store.zones)
KEPT_IN_LONDON = "; its times are kept in Europe/London, for every command on it"

# Every table the migrations create: a write to any of them is a write. `snapshot` checks
# the database has exactly these, so a new table cannot be missed by `nothing_written`.
TABLES = (
    "teams",
    "pledges",
    "actions",
    "changes",
    "meetings",
    "priorities",
    "victim_contacts",
    "planned_meetings",
    "settings",
)


def local(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the local pledges (<TEAM>-L<n>): teams may also carry national ones (-N<n>)."""
    return [r for r in rows if re.fullmatch(r"[A-Z0-9-]+-L\d+", r["ref"])]


class Run(Protocol):
    def __call__(self, *args: str, input: str | None = None) -> Result: ...


Prepared = Callable[[str, Callable[[], None]], None]


def ok(result: Result) -> Result:
    """Assert success, showing stderr on failure; returns the result for chaining."""
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Traceback" not in result.stderr
    return result


def assert_error(result: Result, code: ExitCode, text: str | None = None) -> str:
    """One line on stderr, `error: ...`, the given exit status, no traceback, nothing on stdout.

    With `text`, the line must be exactly `error: {text}`. Returns the message after `error: `.
    """
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    if text is not None:
        assert lines[0] == f"error: {text}"
    return lines[0].removeprefix("error: ")


def snapshot(path: Path, tables: tuple[str, ...] = TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every pledgetrack table (`tables`: those of an older schema)."""
    conn = sqlite3.connect(path)
    try:
        names = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        assert names == set(tables), f"tests/helpers.py TABLES is not {sorted(names)}"
        rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
        rows["user_version"] = conn.execute("PRAGMA user_version").fetchall()
        return rows
    finally:
        conn.close()


def another_tool(db: Path, sql: str, *params: object) -> None:
    """One statement on the file as `sqlite3 db "..."` would run it: outside pledgetrack."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql, params)
    conn.close()


def contents(path: Path) -> list[str]:
    """The database as SQL text, every row and the schema: equal means unchanged."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@contextmanager
def nothing_written(path: Path) -> Iterator[None]:
    """The block must leave every table exactly as it found it."""
    before = snapshot(path)
    yield
    assert snapshot(path) == before


def fails(
    run: Run, db: Path, *args: str, code: ExitCode = ExitCode.USAGE, text: str | None = None
) -> str:
    """Run a command that must be refused: one error line, the exit status, no write."""
    with nothing_written(db):
        result = run(*args)
    return assert_error(result, code, text)


def add_weekly_patrols(cli: Run, team: str, agreed: str = "1/9/08") -> Result:
    """The local pledge most tests log against: CW01-L1, one patrol a week."""
    args = ("--at-least", "1", "--per", "week", "--agreed", agreed)
    return ok(cli("pledge", "add", team, "Patrols", *args))


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this user may not write: as root a chmod would not stop us; /sys does."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o555)
        return folder
    import pytest

    if not Path("/sys").is_dir():
        pytest.skip("needs a folder root may not write")
    return Path("/sys")


def at_once(db: Path, *args: str, processes: int = 2) -> list[tuple[int, str, str]]:
    """The real command run by several processes started together: (exit, stdout, stderr)
    of each; a generous busy timeout for a loaded machine."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pledgetrack", "--db", str(db), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PLEDGETRACK_BUSY_TIMEOUT": "60"},
        )
        for _ in range(processes)
    ]
    done = [(proc, *proc.communicate(timeout=120)) for proc in procs]
    return [(proc.returncode, out, err) for proc, out, err in done]
