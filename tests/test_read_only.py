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
