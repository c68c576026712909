"""Usage errors in our own words: what click and pydantic say, said as pledgetrack says it.

A sergeant typing `--setting suburban` should read `--setting must be urban or rural, not
'suburban'`, not pydantic's "Value error, ..."; a title starting with `-` or an unquoted
`--when last tuesday` gets told what to type instead.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from pledgetrack.domain.text import text_problem
from pledgetrack.domain.vocabulary import listed

try:  # Typer >= 0.29 vendors click; its usage errors are not exported under a public name
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover  # older Typer on real click
    from click import exceptions as click_errors  # type: ignore[no-redef]

# pydantic error types, as what the value must be
_MUST_BE = {
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "bool_parsing": "yes or no",
    "string_too_short": "not empty",
}
_CHOICES = re.compile(r"is not one of (?P<choices>.+?)\.?$")
# a word that looks like a team code (CW01, bl02): letters, then digits
_TEAM_LIKE = re.compile(r"[A-Za-z]{1,8}-?[0-9]{1,8}")
_EXTRA = re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<extra>.*)\)$")
# the arguments that take free text, which may start with '-' (`log REF -- '-5 on the A6'`)
_TEXT_ARGUMENTS = {"description", "title"}


def describe(exc: Any, args: list[str] | None = None) -> str:
    """One line for a click UsageError, in our words where we know better; `args` is the
    command line, for the value of a misplaced option (`message --team CW01`)."""
    text = " ".join(exc.format_message().split())  # a missing choice lists one per line
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        # click: "Missing option '--reason'.", "... Choose from: web, newsletter, ..."
        choices = text.partition(" Choose from: ")[2].rstrip(".")
        return f"{_name(exc.param)} is required" + (f": one of {choices}" if choices else "")
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        return _bad_value(exc) or _bad_path(exc) or text
    if isinstance(exc, click_errors.NoSuchOption):
        return _no_such_option(exc, args or []) or _lower(text)
    unknown = _NO_SUCH_COMMAND.match(text)
    if unknown:
        return _no_such_command(exc, unknown["word"], unknown["near"])
    extra = _EXTRA.match(text)
    if extra:
        teams = _as_team_options(exc, extra["extra"].split())
        if teams:
            return f"unexpected extra argument(s): {extra['extra']}; did you mean {teams}?"
        if _after_separator(extra["extra"].split(), args or []):
            return (
                f"unexpected extra argument(s): {extra['extra']}; options go before --, "
                f"after which every word is text: {_path(exc)} ... {extra['extra']} -- '...'"
            )
        hint = _quoting_hint(exc, extra["extra"], args or [])
        return f"unexpected extra argument(s): {extra['extra']}; {hint}"
    return text


# click: "No such command 'lst'. Did you mean 'list'?", "No such command 'list'."
_NO_SUCH_COMMAND = re.compile(
    r"^No such command (?P<word>'.*?')\.(?: Did you mean (?P<near>'.*?')\?)?$"
)


def _no_such_command(exc: Any, word: str, near: str | None) -> str:
    """As we write errors (lower case, no full stop), with the nearest command, else the
    group's commands: `national list` is not one, and `national` alone lists."""
    if near:
        return f"no such command {word} (did you mean {near}?)"
    group: Any = exc.ctx.command if exc.ctx is not None else None
    names = ", ".join(group.list_commands(exc.ctx)) if hasattr(group, "list_commands") else ""
    if not names or len(names) > 60:  # the root's 28: its --help lists them
        return f"no such command {word}"
    alone = f"; or {exc.ctx.command_path} alone" if group.invoke_without_command else ""
    return f"no such command {word} ({exc.ctx.command_path} has: {names}{alone})"


def _lower(text: str) -> str:
    """click's `No such option: --wid Did you mean --wide?` as we write errors."""
    first, _, rest = text.partition(" Did you mean ")
    first = first[:1].lower() + first[1:]
    return f"{first} (did you mean {rest.rstrip('?')}?)" if rest else first


# click.Path's refusals: "file '/tmp/d' is a directory.", "File 'x' does not exist."
_PATH_PROBLEM = re.compile(
    r"^(?:file|directory|path) (?P<path>'.*'|\".*\") (?P<problem>.+?)\.?$",
    re.DOTALL | re.IGNORECASE,
)


def _bad_path(exc: Any) -> str | None:
    """`cannot read /tmp/d: it is a directory`, as a file we cannot open is reported."""
    found = _PATH_PROBLEM.match(str(exc.message))
    if found is None:
        return None
    path = found["path"][1:-1]
    return f"cannot read {path}: it {found['problem']}"


def _after_separator(extra: list[str], args: list[str]) -> bool:
    """Whether the extra words were typed after `--` (`pledge add CW01 -- '-10%' --agreed
    1/9`): options there are text, and the hint is where options go."""
    if "--" not in args or not extra:
        return False
    tail = args[args.index("--") + 1 :]
    return any(word.startswith("-") for word in extra) and extra[0] in tail


def _no_such_option(exc: Any, args: list[str]) -> str | None:
    """The hint that fits this command: the team is its argument, it writes to stdout, or
    (only where it takes free text) the text starts with '-'."""
    name, path = exc.option_name, _path(exc)
    params = getattr(exc.ctx.command if exc.ctx else None, "params", [])
    arguments = [p for p in params if p.param_type_name == "argument"]
    if name == "--team" and arguments and _name(arguments[0]) == "TEAM":
        given = _value_after(name, args) or "TEAM"
        return f"no such option: --team; the team is the first argument: {path} {given} ..."
    if name in ("-o", "--output"):
        return f"no such option: {name}; {path} writes to stdout (redirect it: > FILE)"
    if name.startswith("--") or exc.possibilities:
        return None
    if any(p.name in _TEXT_ARGUMENTS for p in arguments):
        return (
            f"no such option: {name}; if that is text starting with '-', put -- before "
            f"it: {path} ... -- '{name} ...'"
        )
    return f"no such option: {name}"


def _value_after(option: str, args: list[str]) -> str | None:
    for i, word in enumerate(args):
        if word.startswith(f"{option}="):
            return word.split("=", 1)[1] or None
        if word == option and i + 1 < len(args) and not args[i + 1].startswith("-"):
            return args[i + 1]
    return None


_DURATIONS = ("--within", "--warn", "--stale")
_DURATION_UNITS = {"m": ("minute", "minutes", "min", "mins"), "h": ("hour", "hours", "hr", "hrs"),
                   "d": ("day", "days")}  # fmt: skip


def _quoting_hint(exc: Any, extra: str, args: list[str]) -> str:
    """What to do instead, from what this command takes and where the extra word was: a
    duration in one word (`--within 24h`), text in --note where the command takes no text
    argument, a date quoted for --when, else a team code in one word."""
    params = getattr(exc.ctx.command if exc.ctx else None, "params", [])
    words = extra.split()
    after = next((args[i - 2] for i, a in enumerate(args) if a == words[0] and i >= 2), None)
    if after in _DURATIONS:
        unit = next((u for u, names in _DURATION_UNITS.items() if words[0].lower() in names), "")
        number = args[args.index(words[0]) - 1]
        example = f"{after} {number}{unit}" if unit and number.isdigit() else f"{after} 24h"
        return f"a duration is one word, e.g. {example}"
    has_text = any(p.param_type_name == "argument" and p.name in _TEXT_ARGUMENTS for p in params)
    if (
        any("--note" in p.opts for p in params)
        and not has_text
        and not (after or "").startswith("-")
    ):
        return f"{_path(exc)} takes no text argument; put it in --note: --note '{extra}'"
    if any("--when" in p.opts for p in params):
        return "quote a date or text of several words, e.g. --when 'last tuesday'"
    if any(p.param_type_name == "argument" and p.name in ("team", "code") for p in params):
        return "a team code is one word, e.g. CW01; quote text of several words"
    return "quote text of several words"


def is_validation_error(exc: BaseException | None) -> bool:
    """pydantic's ValidationError, without importing pydantic: `--help` and the commands
    that use no model never load it, and only a loaded pydantic can have raised one."""
    core = sys.modules.get("pydantic_core")
    return core is not None and isinstance(exc, core.ValidationError)


def _as_team_options(exc: Any, words: list[str]) -> str | None:
    """`summary CW01` means `summary --team CW01`: the hint, when the command has --team and
    every extra word looks like a team code (letters and digits, as CW01; not `tuesday`)."""
    command = exc.ctx.command if exc.ctx else None
    options = {opt for param in getattr(command, "params", []) for opt in param.opts}
    if "--team" not in options or not all(_TEAM_LIKE.fullmatch(w) for w in words):
        return None
    return " ".join(f"--team {w}" for w in words)


def _bad_value(exc: Any) -> str | None:
    cause = exc.__cause__
    if not is_validation_error(cause) or not cause.errors():
        return None
    first = cause.errors()[0]
    name = _name(exc.param)
    given = first.get("input")
    if isinstance(given, str) and (problem := text_problem(given)) is not None:
        # refused by its type (a --format choice) before the text check saw it
        return f"{name} {problem}"
    if first["type"] in _MUST_BE:
        return f"{name} must be {_MUST_BE[first['type']]}, not {given!r}"
    choices = _CHOICES.search(str(first.get("msg", "")))
    if choices:
        options = [c.strip().strip("'") for c in choices["choices"].split(",")]
        return f"{name} must be {listed(options)}, not {given!r}"
    return f"{name}: {str(first.get('msg', '')).removeprefix('Value error, ')}"


def _name(param: Any) -> str:
    """How the user typed it: `--setting`, or an argument's metavar (`ID`)."""
    if param.param_type_name == "option":
        return str(max(param.opts, key=len))
    return str(param.metavar or param.name.upper())


def _path(exc: Any) -> str:
    return str(exc.ctx.command_path) if exc.ctx else "pledgetrack COMMAND"
