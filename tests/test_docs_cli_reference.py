"""docs/cli.md names every command and every option the CLI has, and the exit statuses."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from typer.main import get_command

from pledgetrack.cli.app import app
from pledgetrack.exitcodes import MEANING, ExitCode

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def commands(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if hasattr(cmd, "list_commands"):
        for name in cmd.list_commands(None):
            yield from commands(cmd.get_command(None, name), (*path, name))
    else:
        yield path, cmd


def test_every_command_and_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = {block.split("\n", 1)[0].strip(): block for block in text.split("\n### ")[1:]}
    missing = []
    for path, cmd in commands(get_command(app)):
        name = " ".join(path)
        if name not in sections:
            missing.append(name)
            continue
        for param in cmd.params:
            if param.param_type_name == "option" and param.name != "help":
                missing += [f"{name} {o}" for o in param.opts if f"`{o}`" not in sections[name]]
    assert missing == []


def test_the_exit_status_table_is_the_enum() -> None:
    """One row per ExitCode, in its order, with its MEANING: 129 (SIGHUP) was exited and
    in neither (ATTACK4 A12). On failure, the rows to paste are in the message."""
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("## Exit status") :].split("\n\n")[1].splitlines()[2:]
    documented = [tuple(cell.strip() for cell in row.split(" | ")[:2]) for row in table]
    declared = [(f"| {int(code)}", MEANING[code]) for code in ExitCode]
    assert documented == declared, "\n".join(f"{s} | {m} | |" for s, m in declared)


def test_every_signal_caught_exits_as_the_table_says() -> None:
    assert [ExitCode.signalled(n) for n in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM)] == [
        ExitCode.HANGUP, ExitCode.INTERRUPTED, ExitCode.TERMINATED,
    ]  # fmt: skip


def test_required_options_are_marked_and_only_they() -> None:
    """An option the app requires reads **Required.** in its row; no other option does."""
    text = DOC.read_text(encoding="utf-8")
    sections = {block.split("\n", 1)[0].strip(): block for block in text.split("\n### ")[1:]}
    wrong = []
    marked = 0
    for path, cmd in commands(get_command(app)):
        name = " ".join(path)
        for param in cmd.params:
            if param.param_type_name != "option" or param.name == "help":
                continue
            rows = [
                line
                for line in sections[name].splitlines()
                if line.startswith(f"| `{param.opts[0]}`")
            ]
            assert len(rows) == 1, (name, param.opts[0])
            marked += "**Required.**" in rows[0]
            if ("**Required.**" in rows[0]) != param.required:
                wrong.append(f"{name} {param.opts[0]} (required: {param.required})")
    assert wrong == []
    assert marked >= 10  # the positive control: pledge close --outcome, void --reason, ...
