"""How pledgetrack behaves as a process in a pipeline: closed pipes, full disks, misplaced --db."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

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


def test_db_after_the_command_gets_a_hint(tmp_path: Path) -> None:
    result = pledgetrack("summary", "--db", str(tmp_path / "x.db"))
    assert result.returncode == ExitCode.USAGE
    assert result.stderr == (
        "error: No such option: --db "
        "(--db goes before the command: pledgetrack --db FILE COMMAND ...)\n"
    )


def test_a_directory_as_database_is_a_database_problem(tmp_path: Path) -> None:
    result = pledgetrack("--db", str(tmp_path), "summary")
    assert result.returncode == ExitCode.DATABASE
    assert result.stderr == f"error: database path is a directory: {tmp_path}\n"
