"""docs/cli.md names every command and every option the CLI has, and the exit statuses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from typer.main import get_command

from pledgetrack.cli.app import app
from pledgetrack.exitcodes import ExitCode

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


def test_exit_statuses_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for code in (ExitCode.OK, ExitCode.PROBLEMS_FOUND, ExitCode.USAGE, ExitCode.DATABASE):
        assert f"\n| {int(code)} | " in text


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
