"""How pledgetrack behaves as a process in a pipeline: closed pipes, full disks, misplaced --db."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import contents, unwritable_folder
from pledgetrack import stdio
from pledgetrack.cli.app import app
from pledgetrack.exitcodes import ExitCode


def pledgetrack(
    *args: str, stdout: Any = subprocess.PIPE, closed: int | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command in a new process; `closed`: a standard stream the shell closed
    (`>&-` is 1), as cron or a careless script may start it."""
    return subprocess.run(
        [sys.executable, "-m", "pledgetrack", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        preexec_fn=None if closed is None else partial(os.close, closed),
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


@pytest.mark.parametrize(
    "args", [("--help",), ("--version",), ("-h",), ("team", "--help"), ("team", "list", "--help")]
)
def test_help_and_version_for_a_reader_already_gone_are_no_failure(args: tuple[str, ...]) -> None:
    """As for every other command (`| true`): the root's --help and --version print while
    the command line is parsed, before any command runs, and were exit 1 there."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pledgetrack", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # gone before anything is written
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (ExitCode.OK, b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_line_and_exit_74(demo_db: Path) -> None:
    with Path("/dev/full").open("w") as full:
        result = pledgetrack("--db", str(demo_db), "export", "actions", stdout=full)
    assert result.returncode == ExitCode.IO
    assert result.stderr == "error: cannot write to stdout: No space left on device\n"


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
    before = contents(small_db)
    with Path("/dev/full").open("w") as full:
        result = pledgetrack("--db", str(small_db), *args, stdout=full)
    assert result.returncode == ExitCode.IO
    assert result.stderr == (
        "error: cannot write the result to stdout: No space left on device; "
        "nothing was recorded\n"
    )
    assert contents(small_db) == before
    assert in_process("--db", str(small_db), *args) == ExitCode.OK  # the same write, printed
    assert contents(small_db) != before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_an_import_whose_refs_cannot_be_printed_imports_nothing(small_db: Path) -> None:
    rows = small_db.parent / "pledges.csv"
    rows.write_text("team,title,agreed\nCW01,Litter picks,01/10/2008\n", encoding="utf-8")
    before = contents(small_db)
    with Path("/dev/full").open("w") as full:
        result = pledgetrack("--db", str(small_db), "import", "pledges", str(rows), stdout=full)
    assert result.returncode == ExitCode.IO
    assert contents(small_db) == before


def test_a_write_whose_reader_has_gone_records_nothing(small_db: Path) -> None:
    before = contents(small_db)
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
    assert contents(small_db) == before


def test_db_after_the_command_gets_a_hint(tmp_path: Path) -> None:
    result = pledgetrack("summary", "--db", str(tmp_path / "x.db"))
    assert result.returncode == ExitCode.USAGE
    assert result.stderr == (
        "error: no such option: --db "
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


# `team list` prints little: it meets the full disk only in the last flush, after the command
# has returned; `export actions` streams, and meets it while writing
REFUSED_STDOUT = [("team", "list"), ("export", "actions")]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", REFUSED_STDOUT, ids=" ".join)
def test_a_refused_stdout_is_named_whenever_it_is_met(small_db: Path, args: tuple[str]) -> None:
    with Path("/dev/full").open("w") as full:
        result = pledgetrack("--db", str(small_db), *args, stdout=full)
    assert (result.returncode, result.stderr) == (
        ExitCode.IO,
        "error: cannot write to stdout: No space left on device\n",  # no second try at exit
    )


@pytest.mark.parametrize("args", REFUSED_STDOUT, ids=" ".join)
def test_a_closed_stdout_is_named_not_a_traceback(small_db: Path, args: tuple[str]) -> None:
    """`pledgetrack team list >&-`: Python leaves sys.stdout None; it was exit 1 and a
    traceback."""
    result = pledgetrack("--db", str(small_db), *args, stdout=None, closed=1)
    assert (result.returncode, result.stderr) == (
        ExitCode.IO,
        "error: cannot write to stdout: Bad file descriptor\n",
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("--help",), ("--version",), ("log", "--help")], ids=" ".join)
def test_help_into_a_full_disk_is_exit_74_not_an_internal_error(args: tuple[str, ...]) -> None:
    """Printed while the command line is read, before any command: it was exit 70."""
    with Path("/dev/full").open("w") as full:
        result = pledgetrack(*args, stdout=full)
    assert (result.returncode, result.stderr) == (
        ExitCode.IO,
        "error: cannot write to stdout: No space left on device\n",
    )


def test_a_write_with_stdout_closed_records_nothing(small_db: Path) -> None:
    before = contents(small_db)
    result = pledgetrack("--db", str(small_db), "log", "CW01-L1", "x", stdout=None, closed=1)
    assert (result.returncode, result.stderr) == (
        ExitCode.IO,
        "error: cannot write the result to stdout: Bad file descriptor; nothing was recorded\n",
    )
    assert contents(small_db) == before


def test_a_closed_stdin_or_stderr_is_no_failure(small_db: Path) -> None:
    """Nothing reads stdin without a terminal; a message no one can be shown is dropped
    (Python would print it onto stdout: print(file=None)), and the exit status still tells."""
    listed = pledgetrack("--db", str(small_db), "team", "list", "-f", "csv", closed=0)
    assert (listed.returncode, listed.stdout.splitlines()[1][:5]) == (ExitCode.OK, "CW01,")
    added = pledgetrack("--db", str(small_db), "pledge", "add", "CW01", "Litter", closed=2)
    assert (added.returncode, added.stdout) == (ExitCode.OK, "CW01-L2\n")
    refused = pledgetrack("--db", str(small_db), "pledge", "add", "NOPE", "Litter", closed=2)
    assert (refused.returncode, refused.stdout) == (ExitCode.USAGE, "")


def test_an_output_folder_the_system_refuses_is_named(small_db: Path, tmp_path: Path) -> None:
    """`-o` into a folder we may not write."""
    target = unwritable_folder(tmp_path) / "out.csv"
    result = pledgetrack("--db", str(small_db), "export", "actions", "-o", str(target))
    assert (result.returncode, result.stderr) == (
        ExitCode.IO,
        f"error: cannot write {target}: Permission denied\n",
    )
    assert not target.exists()


@pytest.mark.parametrize(
    ("label", "text"),
    [
        (stdio.STDIN, "cannot read stdin: Input/output error"),  # a terminal hung up
        (stdio.STDOUT, "cannot write to stdout: Input/output error"),
        ("/data/out.csv", "cannot read or write /data/out.csv: Input/output error"),
    ],
)
def test_a_refusal_names_the_stream_or_file(label: str, text: str) -> None:
    assert stdio.refusal(OSError(errno.EIO, os.strerror(errno.EIO), label)) == text
