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


GROUPS = [(path, command) for path, command in COMMANDS if hasattr(command, "commands")]


@pytest.mark.parametrize(
    ("path", "group"), GROUPS, ids=[" ".join(p) or "pledgetrack" for p, _ in GROUPS]
)
def test_a_group_lists_each_command_by_its_first_paragraph_whole(
    path: tuple[str, ...], group: Command, env: Environment
) -> None:
    """Click's short help stops at the first ". ": `pledge add` was listed as `Record a
    local pledge; prints its reference (e.g.`, `check` without its exit statuses."""
    text = ok(invoke([*path, "--help"], env)).stdout
    listing = " ".join(text.split("Commands:\n", 1)[1].split("\n\n", 1)[0].split())
    listing = listing.replace("- ", "-")  # wrapped at 80 columns after a hyphen
    for name, command in group.commands.items():
        if command.hidden:
            continue
        paragraph = " ".join((command.help or "").split("\n\n", 1)[0].split())
        assert paragraph.endswith("."), (path, name, paragraph)
        assert f"{name} {paragraph}" in listing, (path, name)


def test_pledge_add_is_listed_with_its_example_ref(env: Environment) -> None:
    text = ok(invoke(["pledge", "--help"], env)).stdout
    assert "  add     Record a local pledge; prints its reference (e.g. CW01-L3).\n" in text


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
    assert "no such command 'frobnicate'" in message
    assert message.endswith("(see: pledgetrack --help)")


def test_unknown_option_is_one_line(env: Environment, db: Path) -> None:
    message = assert_error(
        invoke(["--db", str(db), "team", "list", "--colour"], env), ExitCode.USAGE
    )
    assert "no such option: --colour" in message
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
    assert "14/10/2008 19:30" in done.stdout  # for people: the year, as it is not this one
    assert "Evening patrol" in done.stdout
    assert done.stderr == ""


# -- what help says ---------------------------------------------------------------------------

PYTHON_TYPES = ("<str>", "<int>", "<float>", "<bool>", "<path>", "list[", "<datetime>", "{")


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_help_has_an_example_and_no_python_type_names(
    path: tuple[str, ...], command: Command, env: Environment
) -> None:
    text = ok(invoke([*path, "--help"], env)).stdout
    assert not [t for t in PYTHON_TYPES if t in text], text
    _, examples = text.split("\nExamples:\n")
    examples = examples.replace(" \\\n", " ")  # an example over lines is one example
    lines = [line.strip() for line in examples.splitlines() if line.strip()]
    assert lines and all("pledgetrack " in line for line in lines), examples
    if path:  # each example runs the command it documents
        assert all(f"pledgetrack {' '.join(path)}" in line for line in lines), lines


def test_usage_shows_placeholders(env: Environment) -> None:
    assert ok(invoke(["team", "show", "--help"], env)).stdout.startswith(
        "Usage: pledgetrack team show [OPTIONS] [TEAM]\n"
    )
    assert (
        "Usage: pledgetrack pledge show [OPTIONS] REF\n"
        in ok(invoke(["pledge", "show", "--help"], env)).stdout
    )
    summary = ok(invoke(["summary", "--help"], env)).stdout
    for row in ("-t, --team TEAM", "-p, --period PERIOD", "--as-of DATE", "table|plain|csv|json"):
        assert row in summary


def _example_args(line: str) -> list[str]:
    """The words of an example after `pledgetrack`, up to any shell pipe or redirection."""
    import shlex

    words = shlex.split(line.replace("\\\n", " "))  # a shell's line continuation
    words = words[words.index("pledgetrack") + 1 :]
    for stop in ("|", "||", ">", "&&"):
        if stop in words:
            words = words[: words.index(stop)]
    return words


def test_every_example_parses(env: Environment) -> None:
    """An example naming an option that does not exist (or missing a required one) fails."""
    from pledgetrack.cli.examples import EXAMPLES

    tree = dict(COMMANDS)
    for key, lines in EXAMPLES.items():
        assert tuple(key.split()) in tree, key
        for line in lines:
            words = _example_args(line)
            path: tuple[str, ...] = ()
            while (*path, words[0]) in tree if words else False:
                path, words = (*path, words[0]), words[1:]
            command = tree[path]
            if hasattr(command, "commands"):
                assert path == tuple(key.split()), line  # a group's example may show it bare
                continue
            command.make_context(path[-1], words)  # raises on an unknown or missing option


def test_wide_terminal_shows_whole_descriptions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a real process: click's test runner pins help to 80 columns."""
    monkeypatch.setenv("COLUMNS", "200")
    text = run_module("--help", cwd=tmp_path).stdout
    for path, command in COMMANDS:
        if len(path) == 1:
            line = next(line for line in text.splitlines() if line.split()[:1] == [path[0]])
            assert command.get_short_help_str(10_000) in line
            assert not line.endswith("...")


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_help_fits_80_columns(
    path: tuple[str, ...], command: Command, env: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an 80-column terminal no line of help is wider than the screen: a terminal would
    break it anywhere, mid-option (`--at-least 2 -` / `-per week`)."""
    monkeypatch.setenv("COLUMNS", "80")
    lines = ok(invoke([*path, "--help"], env)).stdout.splitlines()
    assert [line for line in lines if len(line) > 80] == []


def test_duty_says_an_entry_may_total_several_officers_hours(env: Environment) -> None:
    """The demo logs 32-hour duty entries (a team's shifts together): --help and the
    reference say so, so it does not read as a mistake."""
    said = "Hours on duty: the entry's total, several officers' together if need be"
    shown = " ".join(ok(invoke(["duty", "--help"], env)).stdout.split())
    assert said in shown
    reference = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text()
    assert f"| `--hours` | **Required.** {said} (four 8-hour shifts: 32). |" in reference


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # FRESH2 G18: "No such command 'list'." (capital, full stop) unlike every other error;
        # `national` alone lists the commitments, which the top-level help invites as "list"
        (["national", "list"], "no such command 'list' (pledgetrack national has: show; or "
                               "pledgetrack national alone) (see: pledgetrack national --help)"),
        (["pledge", "lst"], "no such command 'lst' (did you mean 'list'?) "
                            "(see: pledgetrack pledge --help)"),
        (["db", "qq"], "no such command 'qq' (pledgetrack db has: check, info, upgrade) "
                       "(see: pledgetrack db --help)"),
        # the version is the program's: click's guess (--period) sent the user astray
        (["summary", "--version"], "no such option: --version (the version is the "
                                   "program's: pledgetrack --version)"),
    ],
)  # fmt: skip
def test_a_command_or_option_in_the_wrong_place_says_where_it_is(
    env: Environment, args: list[str], said: str
) -> None:
    assert_error(invoke(args, env), ExitCode.USAGE, said)
