"""How pledgetrack behaves as a process in a pipeline: closed pipes, full disks, misplaced --db."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pledgetrack.cli.app import app
from pledgetrack.exitcodes import ExitCode


def pledgetrack(*args: str, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pledgetrack", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert pledgetrack("demo", "--out", str(path)).returncode == 0
    return path


def test_a_reader_that_leaves_early_is_not_a_failure(demo_db: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pledgetrack", "--db", str(demo_db), "export", "actions"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (ExitCode.OK, b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_line_and_exit_74(demo_db: Path) -> None:
    with Path("/dev/full").open("w") as full:
        result = pledgetrack("--db", str(demo_db), "export", "actions", stdout=full)
    assert result.returncode == ExitCode.IO
    assert result.stderr == "error: cannot read or write: No space left on device\n"


def _contents(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.db"
    for args in (
        ("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/09/2008"),
        ("pledge", "add", "CW01", "Weekly patrols", "--at-least", "1", "--per", "week"),
    ):
        assert in_process("--db", str(path), *args) == 0
    return path


def in_process(*args: str) -> int:
    """The same CLI without a new interpreter (about 2 s each here), for set-up and checks."""
    return CliRunner().invoke(app, list(args)).exit_code


WRITES_THAT_PRINT = [
    ("log", "CW01-L1", "full disk test"),
    ("message", "CW01", "--received", "1 hour ago"),
    ("pledge", "add", "CW01", "full test pledge"),
    ("next-meeting", "CW01", "--when", "tomorrow 19:00", "--place", "Hall"),
]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", WRITES_THAT_PRINT, ids=lambda args: args[0])
def test_a_write_whose_result_cannot_be_printed_records_nothing(
    small_db: Path, args: tuple[str, ...]
) -> None:
    """A retry after exit 74 must not record the message twice: the id is part of the work."""
    before = _contents(small_db)
    with Path("/dev/full").open("w") as full:
        result = pledgetrack("--db", str(small_db), *args, stdout=full)
    assert result.returncode == ExitCode.IO
    assert result.stderr == (
        "error: cannot write the result to stdout: No space left on device; "
        "nothing was recorded\n"
    )
    assert _contents(small_db) == before
    assert in_process("--db", str(small_db), *args) == ExitCode.OK  # the same write, printed
    assert _contents(small_db) != before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_an_import_whose_refs_cannot_be_printed_imports_nothing(small_db: Path) -> None:
    rows = small_db.parent / "pledges.csv"
    rows.write_text("team,title,agreed\nCW01,Litter picks,01/10/2008\n", encoding="utf-8")
    before = _contents(small_db)
    with Path("/dev/full").open("w") as full:
        result = pledgetrack("--db", str(small_db), "import", "pledges", str(rows), stdout=full)
    assert result.returncode == ExitCode.IO
    assert _contents(small_db) == before


def test_a_write_whose_reader_has_gone_records_nothing(small_db: Path) -> None:
    before = _contents(small_db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pledgetrack", "--db", str(small_db), "log", "CW01-L1", "x"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # gone before the id is written, like `| true` that has exited
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (
        ExitCode.IO,
        b"error: cannot write the result to stdout: Broken pipe; nothing was recorded\n",
    )
    assert _contents(small_db) == before


def test_db_after_the_command_gets_a_hint(tmp_path: Path) -> None:
    result = pledgetrack("summary", "--db", str(tmp_path / "x.db"))
    assert result.returncode == ExitCode.USAGE
    assert result.stderr == (
        "error: No such option: --db "
        "(--db goes before the command: pledgetrack --db FILE COMMAND ...)\n"
    )


def test_db_before_the_command_without_a_value_gets_no_placement_hint() -> None:
    result = pledgetrack("--db")
    assert result.returncode == ExitCode.USAGE
    assert "goes before the command" not in result.stderr
    assert result.stderr.startswith("error: Option '--db' requires an argument.")


def test_a_directory_as_database_is_a_database_problem(tmp_path: Path) -> None:
    result = pledgetrack("--db", str(tmp_path), "summary")
    assert result.returncode == ExitCode.DATABASE
    assert result.stderr == f"error: database path is a directory: {tmp_path}\n"
