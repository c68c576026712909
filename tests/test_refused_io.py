"""A file the system refuses to read is exit 74 naming it; a file named wrongly is exit 2."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, assert_error, nothing_written
from pledgetrack.errors import SystemRefusedError
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store import connection


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("team,pledge,when,description\nCW01,CW01-L1,2008-10-01,Patrol\n")
    return path


def test_an_import_file_this_user_may_not_read_is_exit_74(
    cli: Run, team: str, db: Path, csv_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root, who runs the tests, may read anything: the refusal is the system's own error,
    raised where opening the file would raise it (click's own check said exit 2)."""
    opened = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == csv_file:
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with nothing_written(db):
        assert_error(
            cli("import", "actions", str(csv_file)),
            ExitCode.IO,
            f"cannot read {csv_file}: Permission denied",
        )


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_an_import_file_whose_read_fails_is_exit_74_naming_it(cli: Run, team: str) -> None:
    """/proc/self/mem opens, and its first read is an I/O error."""
    assert_error(
        cli("import", "actions", "/proc/self/mem"),
        ExitCode.IO,
        "cannot read /proc/self/mem: Input/output error",
    )


def test_an_import_file_that_is_not_there_is_bad_input(
    cli: Run, team: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.csv"
    assert_error(
        cli("import", "actions", str(missing)),
        ExitCode.USAGE,
        f"cannot read {missing}: No such file or directory",
    )


def _io_error(code: int) -> sqlite3.Error:
    """The error SQLite raises for `code` (its extended result code), as the module sets it."""
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


class _Stats:
    def __init__(self, free_blocks: int, flags: int = 0) -> None:
        self.f_bavail, self.f_frsize, self.f_flag = free_blocks, 4096, flags


@pytest.mark.parametrize(
    ("free_blocks", "said"),
    [(3, "cannot write database {db}: the disk is full (12 KiB free in {folder})"),
     (255, "cannot write database {db}: the disk is full (1020 KiB free in {folder})"),
     (256, "cannot read or write database {db}: disk I/O error")],
)  # fmt: skip
def test_an_io_error_on_a_nearly_full_disk_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, free_blocks: int, said: str
) -> None:
    """SQLite meets some full disks (a quota, a network file system) as an I/O error: with
    under 1 MiB free the line says so (the edge: 1 MiB free is not taken for full), a
    write refused, exit 74 (ATTACK4 A5). A real full disk (tmpfs) said the same."""
    db = tmp_path / "pt.db"
    monkeypatch.setattr(connection.os, "statvfs", lambda folder: _Stats(free_blocks))
    error = connection.translate_error(_io_error(sqlite3.SQLITE_IOERR_WRITE), db, 10)
    assert isinstance(error, SystemRefusedError)
    assert str(error) == said.format(db=db, folder=tmp_path)
    # a read's error is no full disk's
    error = connection.translate_error(_io_error(sqlite3.SQLITE_IOERR_READ), db, 10)
    assert str(error) == f"cannot read database {db}: disk I/O error"


def test_a_read_only_file_system_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "pt.db"
    monkeypatch.setattr(connection.os, "statvfs", lambda folder: _Stats(1000, os.ST_RDONLY))
    readonly = sqlite3.OperationalError("attempt to write a readonly database")
    readonly.sqlite_errorcode = sqlite3.SQLITE_READONLY  # type: ignore[attr-defined]
    error = connection.translate_error(readonly, db, 10)
    said = f"the file system holding {tmp_path} is read-only"
    assert str(error) == f"cannot write database {db}: {said}"
