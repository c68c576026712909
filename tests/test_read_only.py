"""Reading a database this user may read but not write (issue 8, item 12): a root-owned
0644 file read by another account, in a folder they cannot write (so no -shm beside it)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import pledgetrack
from helpers import Run, assert_error, ok
from pledgetrack.exitcodes import ExitCode

SRC = Path(pledgetrack.__file__).resolve().parent.parent
NOBODY = 65534


def _other_python() -> str | None:
    """As root, a Python the `nobody` account may run (ours may live under /root)."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.access(candidate, os.X_OK):
            found = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=False,
            )
            if found.stdout.strip() == str(sys.version_info[:2]):
                return candidate
    return None


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder outside pytest's private tmp, so another account can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="pledgetrack-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in (folder, *folder.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def _as_reader(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pledgetrack as someone who may read `folder` but not write in it."""
    command = ["-m", "pledgetrack", *args]
    paths = os.pathsep.join([str(SRC), *sys.path[1:]])
    env = {"PYTHONPATH": paths, "HOME": str(folder), "PATH": os.environ.get("PATH", "")}
    if os.geteuid() == 0:
        python = _other_python()
        if python is None:
            pytest.skip("running as root with no Python another account may run")
        return subprocess.run(
            [python, *command], user=NOBODY, env=env, capture_output=True, text=True, check=False
        )
    folder.chmod(0o555)
    for path in folder.iterdir():
        path.chmod(0o444)
    return subprocess.run(
        [sys.executable, *command], env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("state", ["checkpointed", "open by its owner"])
def test_a_reader_who_may_not_write_can_still_read(
    env: object, shared_folder: Path, state: str
) -> None:
    db = shared_folder / "team.db"
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "pledgetrack",
            "--db",
            str(db),
            "team",
            "add",
            "CW01",
            "--name",
            "Castle Ward",
            "--no-national",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    db.chmod(0o644)
    owner = None
    if state == "open by its owner":
        owner = sqlite3.connect(db)
        owner.execute("SELECT 1 FROM teams").fetchall()  # -wal and -shm now exist
        for companion in ("-wal", "-shm"):
            Path(f"{db}{companion}").chmod(0o644)
    try:
        result = _as_reader(shared_folder, "--db", str(db), "team", "list", "--format", "csv")
    finally:
        if owner is not None:
            owner.close()
    assert result.returncode == 0, result.stderr
    assert "CW01,Castle Ward" in result.stdout
    if state == "checkpointed":  # no -shm beside it, and none can be made: say how it opened
        assert result.stderr == (
            f"note: {db}: this user may not write to it; opened read-only as the file stands "
            "(changes still in its -wal file are not seen)\n"
        )
    else:  # SQLite reads through the owner's -shm
        assert result.stderr == ""
    written = _as_reader(shared_folder, "--db", str(db), "team", "add", "BL02", "--name", "B")
    assert written.returncode == ExitCode.IO, written.stderr


def test_an_empty_file_is_refused_by_a_read_command(cli: Run, db: Path) -> None:
    db.touch()
    assert_error(
        cli("team", "list"),
        ExitCode.DATABASE,
        f"{db} is an empty file (0 bytes), not a pledgetrack database",
    )
    assert db.stat().st_size == 0
    assert stat.S_ISREG(db.stat().st_mode)
    ok(cli("team", "add", "CW01", "--name", "Castle Ward"))  # a write initialises it


@pytest.mark.parametrize("command", [("backup", "--yes"), ("export", "actions", "-o")])
def test_a_file_this_user_may_not_write_is_not_replaced(
    shared_folder: Path, command: tuple[str, ...]
) -> None:
    """A file made read-only (0444, or another account's) in a folder the user may write
    is kept, exit 74, as the shell's `>` keeps it (ATTACK4 A4: the rename beside it, which
    needs only the folder, replaced it)."""
    db = _team_db(shared_folder)
    kept = shared_folder / "kept.db"
    kept.write_bytes(b"keep me")
    kept.chmod(0o444)
    args = (*command, str(kept)) if command[0] == "export" else (command[0], str(kept), "--yes")
    result = _as_other(shared_folder, "--db", str(db), *args)
    assert result.returncode == ExitCode.IO, result.stderr
    assert result.stderr == (
        f"error: cannot write {kept}: Permission denied (the file is read-only for this user)\n"
    )
    assert kept.read_bytes() == b"keep me"
    assert sorted(p.name for p in shared_folder.iterdir()) == ["kept.db", "team.db"] + [
        f"team.db{s}" for s in ("-shm", "-wal") if Path(f"{db}{s}").exists()
    ]


def _team_db(folder: Path) -> Path:
    """`folder`/team.db with CW01, made by this account."""
    db = folder / "team.db"
    made = subprocess.run(
        [sys.executable, "-m", "pledgetrack", "--db", str(db), "team", "add", "CW01",
         "--name", "Castle Ward", "--no-national"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return db


def _as_other(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pledgetrack as someone who may write `folder` but not the 0444 files in it (as
    root, whom no mode stops, the `nobody` account)."""
    folder.chmod(0o777)
    for path in folder.iterdir():
        if path.suffix != ".db" or path.name == "team.db":
            path.chmod(0o666)
    return _as_other_account(folder, *args)


def _in_locked_folder(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pledgetrack as someone who may write the files in `folder` but not in the
    folder itself (as root, whom no mode stops, the `nobody` account)."""
    for path in folder.iterdir():
        path.chmod(0o666)
    folder.chmod(0o755 if os.geteuid() == 0 else 0o555)
    return _as_other_account(folder, *args)


def _as_other_account(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pledgetrack as this user, or as root as the `nobody` account, at home in `folder`."""
    command = ["-m", "pledgetrack", *args]
    paths = os.pathsep.join([str(SRC), *sys.path[1:]])
    env = {"PYTHONPATH": paths, "HOME": str(folder), "PATH": os.environ.get("PATH", "")}
    if os.geteuid() != 0:
        return subprocess.run(
            [sys.executable, *command], env=env, capture_output=True, text=True, check=False
        )
    python = _other_python()
    if python is None:
        pytest.skip("running as root with no Python another account may run")
    return subprocess.run(
        [python, *command], user=NOBODY, env=env, capture_output=True, text=True, check=False
    )


def test_a_database_in_a_folder_this_user_may_not_write_says_so(shared_folder: Path) -> None:
    """A write needs the folder too (SQLite's -wal and -shm go beside the file): the line
    names the folder, exit 74, and the file is as it was; a new database there, or in a
    folder to be made there, the same (ATTACK4 A6: `read-only for this user or file
    system`, `Permission denied`, and exit 3 for the folder)."""
    db = _team_db(shared_folder)
    before = db.read_bytes()
    result = _in_locked_folder(shared_folder, "--db", str(db), "team", "add", "BL02", "--name", "B")
    assert (result.returncode, result.stdout) == (ExitCode.IO, "")
    assert result.stderr == (
        f"error: cannot write database {db}: the folder {shared_folder} is not writable for "
        "this user (SQLite writes the database's -wal and -shm files beside it)\n"
    )
    assert db.read_bytes() == before
    for new, folder in ((shared_folder / "new.db", ""), (shared_folder / "a" / "b.db", " folder")):
        made_here = new if not folder else new.parent
        result = _as_other_account(shared_folder, "--db", str(new), "team", "add", "CW01",
                                   "--name", "Castle Ward")  # fmt: skip
        assert (result.returncode, result.stdout) == (ExitCode.IO, "")
        assert result.stderr == (
            f"error: cannot create database{folder} {made_here}: the folder {shared_folder} "
            "is not writable for this user (Permission denied)\n"
        )
        assert sorted(p.name for p in shared_folder.iterdir()) == ["team.db"]
