"""A sergeant's defaults: the team, database and time zone, from the environment or a file.

A sergeant works on one team, so typing `--team CW01` on every command is noise. The
defaults come, in this order, from a flag, a `PLEDGETRACK_*` variable, the user's
`$XDG_CONFIG_HOME/pledgetrack/config.toml` (read with tomllib), or the built-in default.
Only this module knows the order; `config show` prints it with the source of each value.
A cron job running as a user without the file is unaffected.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from pledgetrack.domain.text import text_problem
from pledgetrack.errors import InputError, unreadable

# key in config.toml -> the environment variable that overrides it
ENV_VARS = {"team": "PLEDGETRACK_TEAM", "db": "PLEDGETRACK_DB", "timezone": "PLEDGETRACK_TZ"}
KEYS = tuple(ENV_VARS)
# a file name may be any bytes, as with --db; the other settings are text we store or show
PATHS = frozenset({"db"})


class FileConfig(NamedTuple):
    """What the config file says (empty when there is no file)."""

    path: Path
    values: Mapping[str, str]

    @property
    def exists(self) -> bool:
        return bool(self.values) or self.path.is_file()


class Value(NamedTuple):
    """A setting in force and where it came from: flag, environment, file or default."""

    key: str
    value: str | None
    source: str


def config_path(environ: Mapping[str, str]) -> Path:
    """`$XDG_CONFIG_HOME/pledgetrack/config.toml`, else `~/.config/pledgetrack/config.toml`."""
    xdg = environ.get("XDG_CONFIG_HOME")
    if xdg:
        base = Path(xdg)
    elif sys.platform == "win32":
        base = Path(environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(environ.get("HOME") or Path.home()) / ".config"
    return base / "pledgetrack" / "config.toml"


def read_config(path: Path) -> FileConfig:
    """The file's settings; no file is no settings. A broken file is bad input naming it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return FileConfig(path, {})
    except OSError as exc:
        raise unreadable(f"config file {path}", exc) from None
    import tomllib  # only when there is a file: its import is ~5 ms of every command

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"config file {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config file {path}: {exc}{_quoting(str(exc), raw)}") from None
    values: dict[str, str] = {}
    for key, value in data.items():
        if key not in ENV_VARS:
            raise InputError(
                f"config file {path}: unknown setting {key!r} (known: {', '.join(KEYS)})"
            )
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"config file {path}: {key} must be a non-empty string")
        values[key] = value.strip()
    return FileConfig(path, values)


def _quoting(problem: str, raw: bytes) -> str:
    """The fix for the usual mistake, a value not in quotes (`team = CW01`): TOML reads
    only quoted text, and its own message names neither the value nor quotes."""
    import re  # only on this error path
    found = re.search(r"at line (\d+)", problem)
    lines = raw.decode("utf-8").splitlines()
    if found is None or not 0 < int(found[1]) <= len(lines):
        return ""
    key, equals, value = lines[int(found[1]) - 1].partition("=")
    value = value.strip()
    if not equals or not value or value[0] in "\"'":
        return ""
    return f"; text is quoted: {key.strip()} = \"{value}\""


def resolve(
    key: str,
    flag: str | None,
    environ: Mapping[str, str],
    file: FileConfig,
    default: str | None,
    flag_name: str = "",
) -> Value:
    """The one precedence rule: flag, then environment variable, then file, then default."""
    if flag is not None:
        return Value(key, flag, f"flag {flag_name}".strip())
    var = ENV_VARS[key]
    if environ.get(var):
        problem = None if key in PATHS else text_problem(environ[var])
        if problem is not None:
            raise InputError(f"{var} {problem}", field=var)
        return Value(key, environ[var], f"environment {var}")
    if key in file.values:
        return Value(key, file.values[key], f"file {file.path}")
    return Value(key, default, "default")
