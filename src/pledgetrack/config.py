"""A sergeant's defaults: the team, database and time zone, from the environment or a file.

A sergeant works on one team, so typing `--team CW01` on every command is noise. The
defaults come, in this order, from a flag, a `PLEDGETRACK_*` variable, the user's
`$XDG_CONFIG_HOME/pledgetrack/config.toml` (read with tomllib), or the built-in default.
Only this module knows the order; `config show` prints it with the source of each value.
A cron job running as a user without the file is unaffected.

A file that cannot be used is refused only where one of its values is needed: `--help`,
`national`, or a command whose every setting is on the command line still works, and the
sergeant sent to `--help` to find out what went wrong can read it.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from pledgetrack.domain.text import text_problem
from pledgetrack.errors import InputError, PledgetrackError, unreadable

# key in config.toml -> the environment variable that overrides it
ENV_VARS = {"team": "PLEDGETRACK_TEAM", "db": "PLEDGETRACK_DB", "timezone": "PLEDGETRACK_TZ"}
KEYS = tuple(ENV_VARS)
# names a sergeant may reach for that no spelling distance finds (`tz` is not near `timezone`)
ALIASES = {"tz": "timezone", "zone": "timezone", "database": "db", "path": "db"}
# a file name may be any bytes, as with --db; the other settings are text we store or show
PATHS = frozenset({"db"})


class FileConfig(NamedTuple):
    """What the config file says (empty when there is no file), and what is wrong with it.

    `broken`: the file as a whole cannot be read (not there as a file, refused by the
    system, not UTF-8, not TOML): every value it might give is refused with it. `bad`: a
    setting present but unusable (`team = 3`), refused where that setting is needed.
    `unknown`: the warnings for settings this release does not know; they are ignored, as
    a file written for a newer release or with a slip (`tema`) should not stop the work."""

    path: Path
    values: Mapping[str, str]
    broken: PledgetrackError | None = None
    bad: Mapping[str, InputError] = {}
    unknown: tuple[str, ...] = ()

    @property
    def exists(self) -> bool:
        return bool(self.values) or self.path.is_file()

    @property
    def unusable(self) -> PledgetrackError | None:
        """The file's first problem, whole or in one setting; None when it can be used."""
        return self.broken or next(iter(self.bad.values()), None)

    def problem(self, key: str) -> PledgetrackError | None:
        """Why the file cannot give `key` (None: it gives it, or it does not set it)."""
        return self.broken or self.bad.get(key)


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


# A config file is a few lines: past this it is not one. Read whole, a link to /dev/zero
# filled memory until the kernel killed the process (ATTACK4 A5)
MOST_BYTES = 1 << 20


def read_config(path: Path) -> FileConfig:
    """The file's settings and its problems; no file is no settings. Never raises: a
    problem is raised by `resolve` where a value from the file is needed."""
    try:
        raw = _read_regular(path)
    except FileNotFoundError:
        return FileConfig(path, {})
    except OSError as exc:
        return FileConfig(path, {}, broken=unreadable(f"config file {path}", exc))
    except InputError as exc:
        return FileConfig(path, {}, broken=exc)
    import tomllib  # only when there is a file: its import is ~5 ms of every command

    try:
        text = raw.decode("utf-8-sig")  # Notepad's byte-order mark is not a setting
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return FileConfig(
            path, {}, broken=InputError(f"config file {path}: line {line} is not UTF-8 text")
        )
    except tomllib.TOMLDecodeError as exc:
        said = f"config file {path}: {exc}{_quoting(str(exc), text)}"
        return FileConfig(path, {}, broken=InputError(said))
    values: dict[str, str] = {}
    bad: dict[str, InputError] = {}
    unknown: list[str] = []
    for key, value in data.items():
        where = f"config file {path}: {_line_of(key, text)}"
        if key not in ENV_VARS:
            unknown.append(f"{where}unknown setting {key!r} ignored{_nearest(key, value)}")
        elif isinstance(value, str) and not value.strip():
            bad[key] = InputError(f"{where}{key} is blank (leave it out for none)", field=key)
        elif not isinstance(value, str):
            bad[key] = InputError(
                f"{where}{key} must be text in quotes ({key} = \"...\"), not {_shown(value)}",
                field=key,
            )
        else:
            values[key] = value.strip()
    return FileConfig(path, values, bad=bad, unknown=tuple(unknown))


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file of at most MOST_BYTES. Opened without waiting (a named
    pipe with no writer would hang every command, `--db` given or not) and looked at
    before it is read: a device, a pipe or a socket is no config file (InputError)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):  # as the read itself says it
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if not stat.S_ISREG(mode):
            raise InputError(
                f"cannot read config file {path}: it is not a regular file (a device, a "
                "pipe or a socket)"
            )
        chunks: list[bytes] = []
        size = 0
        while size <= MOST_BYTES and (chunk := os.read(fd, MOST_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        if size > MOST_BYTES:
            raise InputError(
                f"config file {path}: over {MOST_BYTES // (1 << 20)} MiB, which no config "
                "file is"
            )
        return b"".join(chunks)
    finally:
        os.close(fd)


def _line_of(key: str, text: str) -> str:
    """`line 3: `, where the file sets `key` (or opens the table `[key]`); "" if not found."""
    import re  # only for a file with something to say

    name = re.escape(key)
    pattern = re.compile(rf"^\s*(?:\[+\s*)?([\"']?){name}\1\s*(?:=|\]|\.)")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return f"line {number}: "
    return ""


def _nearest(key: str, value: object) -> str:
    """The setting meant: the nearest known name, or the known ones; a table holding known
    settings (`[pledgetrack]`) is told they go at the top of the file."""
    if isinstance(value, dict) and set(value) & set(KEYS):
        return f"; settings go at the top of the file, not under [{key}]"
    import difflib  # only on this warning's path

    near = [ALIASES[key.lower()]] if key.lower() in ALIASES else difflib.get_close_matches(
        key.lower(), KEYS, n=1, cutoff=0.5
    )
    return f" (did you mean {near[0]}?)" if near else f" (known: {', '.join(KEYS)})"


def _shown(value: object) -> str:
    """A TOML value as the file spells it, near enough: `3`, `true`, a table."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _quoting(problem: str, text: str) -> str:
    """The fix for the usual mistake, a value not in quotes (`team = CW01`): TOML reads
    only quoted text, and its own message names neither the value nor quotes."""
    import re  # only on this error path
    found = re.search(r"at line (\d+)", problem)
    lines = text.splitlines()
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
    """The one precedence rule: flag, then environment variable, then file, then default.
    The file's problem is raised here, where its value would be the one in force."""
    if flag is not None:
        return Value(key, flag, f"flag {flag_name}".strip())
    var = ENV_VARS[key]
    if environ.get(var):
        problem = None if key in PATHS else text_problem(environ[var])
        if problem is not None:
            raise InputError(f"{var} {problem}", field=var)
        return Value(key, environ[var], f"environment {var}")
    refused = file.problem(key)
    if refused is not None:
        raise refused
    if key in file.values:
        return Value(key, file.values[key], f"file {file.path}")
    return Value(key, default, "default")
