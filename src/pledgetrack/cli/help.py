"""How `--help` reads: placeholders people know, whole descriptions, examples on every command.

Typer's own help prints Python types (`<str>`, `<list[str]>`) and wraps required arguments
in braces (`{code}`). Here every value is shown by what it is (`TEAM`, `REF`, `PERIOD`,
`DATE`, `N`, `FILE`), the command list shows each description whole (wrapped, never cut),
and each command ends with examples from `cli.examples`. `apply` puts these classes on
every command of the tree, so a new command gets them without asking.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # Typer >= 0.29 vendors click
    from typer._click import formatting as click_formatting
except ImportError:  # pragma: no cover  # older Typer on real click
    from click import formatting as click_formatting  # type: ignore[no-redef]

from pledgetrack.cli.examples import EXAMPLES

# What a value is, by parameter name, where the type alone says only "text"
_PLACEHOLDERS = {
    "team": "TEAM",
    "code": "TEAM",
    "pledge": "REF",
    "ref": "REF",
    "period": "PERIOD",
    "from_": "DATE",
    "to": "DATE",
    "as_of": "DATE",
    "when": "DATE",
    "received": "DATE",
    "agreed": "DATE",
    "review": "DATE",
    "since": "DATE",
    "by": "DATE",
    "on": "DATE",
    "within": "DURATION",
    "warn": "DURATION",
    "stale": "DURATION",
    "ext_ref": "ID",
    "only": "N4,N7",
    "national_only": "N4,N7",
    "per": "day|week|month|quarter",
}
# Typer's help names these Python types; people read them as these words
_BY_TYPE = {int: "N", float: "N", bool: "", str: "TEXT"}


def placeholder(param: Any) -> str:
    """The word that stands for a parameter's value: its metavar, else by name, else by type."""
    if param.metavar:
        return str(param.metavar)
    if param.name in _PLACEHOLDERS:
        return _PLACEHOLDERS[param.name]
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and descriptor.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in descriptor.choices or ())
    if descriptor is not None and descriptor.is_path:
        return "FILE"
    annotation = descriptor.annotation if descriptor is not None else str
    if param.param_type_name == "argument" or annotation is str:
        return str(param.name).rstrip("_").upper().replace("_", "-")
    return _BY_TYPE.get(annotation, "VALUE")


class _Help:
    """The help layout shared by commands and groups (a mixin over Typer's classes)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        command: Any = self
        pieces = [command.options_metavar] if command.options_metavar else []
        for param in command.get_params(ctx):
            if param.param_type_name != "argument":
                continue
            word = placeholder(param)
            if param.nargs != 1 and not word.endswith("..."):
                word += "..."
            pieces.append(word if param.required else f"[{word}]")
        if isinstance(self, TyperGroup):
            pieces.append(self.subcommand_metavar)
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        command: Any = self
        arguments, options = [], []
        for param in command.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            _, text = record
            if param.param_type_name == "argument":
                arguments.append((placeholder(param), text))
                continue
            names = click_formatting.join_options(param.opts)[0]
            if param.secondary_opts:
                names += " / " + click_formatting.join_options(param.secondary_opts)[0]
            if not param.is_flag and not param.count:
                names += f" {placeholder(param)}"
            options.append((names, text))
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)
        if isinstance(self, TyperGroup):
            self.format_commands(ctx, formatter)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        words = ctx.command_path.split()[1:]
        examples = EXAMPLES.get(" ".join(words))
        if not examples:
            return
        with formatter.section("Examples"):
            for example in examples:  # a long one over lines (` \\` at the end of each)
                for line in example.split("\n"):
                    formatter.write(f"{'':>{formatter.current_indent}}{line}\n")


class HelpCommand(_Help, TyperCommand):
    """A command whose help uses pledgetrack's layout."""


class HelpGroup(_Help, TyperGroup):
    """A group whose help lists each command's description whole."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, summary(command)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def summary(command: Any) -> str:
    """A command's line in its group's list: its `short_help` if it has one, else the first
    paragraph of its help, whole. Click's own stops at the first ". ", which cut `add` at
    `(e.g.`."""
    if command.short_help:
        return str(command.short_help)
    first = (command.help or "").split("\f", 1)[0].strip().split("\n\n", 1)[0]
    return " ".join(first.split())


def apply(app: typer.Typer, group: type[HelpGroup] = HelpGroup) -> None:
    """Give every command and group under `app` the help classes (the root keeps its own)."""
    for info in app.registered_commands:
        info.cls = info.cls if info.cls not in (None, TyperCommand) else HelpCommand
    for sub in app.registered_groups:
        assert sub.typer_instance is not None
        sub.typer_instance.info.cls = group
        apply(sub.typer_instance, group)
