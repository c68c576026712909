"""Help for every command, the version, and how the real program behaves as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from conftest import invoke
from helpers import assert_error, ok
from pledgetrack import __version__
from pledgetrack.cli.app import app
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode

Command = Any  # click's Command, vendored by Typer under a private name


def walk(command: Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    """Every command in the tree, groups included, with the words that reach it."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, (*path, name))


COMMANDS = list(walk(typer.main.get_command(app)))
IDS = [" ".join(path) or "pledgetrack" for path, _ in COMMANDS]


def test_the_tree_holds_the_foundation_commands() -> None:
    paths = {path for path, _ in COMMANDS}
    expected = (
        {("team", name) for name in ("add", "list", "show", "edit", "archive", "restore")}
        | {("pledge", name) for name in ("add", "list", "show", "edit", "close", "reopen")}
        | {("log",), ("respond",), ("void",), ("actions",), ("history",)}
    )
    assert expected <= paths


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_has_help_text(path: tuple[str, ...], command: Command) -> None:
    assert (command.help or "").strip(), path
    assert command.get_short_help_str().strip(), path


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_option_and_argument_is_explained(path: tuple[str, ...], command: Command) -> None:
    for param in command.params:
        assert (getattr(param, "help", None) or "").strip(), (path, param.name)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_flag_works_everywhere(
    path: tuple[str, ...], command: Command, env: Environment, db: Path
) -> None:
    for flag in ("--help", "-h"):
        result = invoke(["--db", str(db), *path, flag], env)
        assert result.exit_code == ExitCode.OK, result.stderr
        assert result.stdout.startswith(f"Usage: pledgetrack {' '.join(path)}".rstrip())
        assert (command.help or "").split("\n")[0].strip()[:40] in " ".join(result.stdout.split())
        assert result.stderr == ""
    assert not db.exists()  # asking for help touches no database


def test_version(env: Environment) -> None:
    result = ok(invoke(["--version"], env))
    assert result.stdout == f"pledgetrack {__version__}\n"


def test_no_arguments_shows_help_on_stderr(env: Environment) -> None:
    result = invoke([], env)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert "Usage: pledgetrack" in result.stderr
    assert "team" in result.stderr and "pledge" in result.stderr


def test_unknown_command_is_one_line(env: Environment) -> None:
    message = assert_error(invoke(["frobnicate"], env), ExitCode.USAGE)
    assert "No such command 'frobnicate'" in message
    assert message.endswith("(see: pledgetrack --help)")


def test_unknown_option_is_one_line(env: Environment, db: Path) -> None:
    message = assert_error(
        invoke(["--db", str(db), "team", "list", "--colour"], env), ExitCode.USAGE
    )
    assert "No such option: --colour" in message
    assert message.endswith("(see: pledgetrack team list --help)")


# -- as a real process ---------------------------------------------------------------------


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("PLEDGETRACK_", "NO_COLOR"))
    }
    return subprocess.run(
        [sys.executable, "-m", "pledgetrack", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_python_dash_m_version(tmp_path: Path) -> None:
    done = run_module("--version", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"pledgetrack {__version__}\n", "")


def test_process_error_is_one_line_without_traceback(
    tmp_path: Path, db: Path, env: Environment
) -> None:
    ok(invoke(["--db", str(db), "team", "add", "CW01", "--name", "Castle Ward"], env))
    done = run_module("--db", str(db), "log", "NOPE-L1", "x", cwd=tmp_path)
    assert done.returncode == ExitCode.USAGE
    assert done.stdout == ""
    assert done.stderr == "error: unknown pledge 'NOPE-L1' (see: pledgetrack pledge list)\n"


def test_process_database_error_is_exit_3_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    done = run_module("--db", str(missing), "actions", cwd=tmp_path)
    assert done.returncode == ExitCode.DATABASE
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"error: database not found: {missing}")
    assert "Traceback" not in done.stderr
    assert not missing.exists()


def test_process_piped_output_is_plain(tmp_path: Path, db: Path, env: Environment) -> None:
    for step in (
        ("team", "add", "CW01", "--name", "Castle Ward"),
        (
            "pledge",
            "add",
            "CW01",
            "Patrols",
            "--at-least",
            "2",
            "--per",
            "week",
            "--agreed",
            "01/09/2008",
        ),
        ("log", "CW01-L1", "Evening patrol", "--when", "14/10/2008 19:30", "--kind", "patrol"),
    ):
        ok(invoke(["--db", str(db), *step], env))
    done = run_module("--db", str(db), "actions", "--kind", "patrol", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert done.stdout.splitlines()[0].split()[:3] == ["ID", "When", "Team"]
    assert "2008-10-14 19:30+01:00" in done.stdout
    assert "Evening patrol" in done.stdout
    assert done.stderr == ""
