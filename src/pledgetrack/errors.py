"""Errors the CLI turns into one line on stderr and an exit status, never a traceback."""

import errno
import re
import shlex

from pledgetrack.exitcodes import ExitCode

# an input named in a message, between two unit separators: `option("review")`
_NAMED = re.compile("\x1f([a-z_]+)\x1f")


def option(name: str) -> str:
    """An input named in a message (`--review`, `review`), shown as the command line spells
    it (`--review`) where it was typed, or as its column (`review`) in a file's line: one
    message, rendered per context by PledgetrackError (str, in_file)."""
    return f"\x1f{name.lstrip('-').lower().replace('-', '_')}\x1f"


class PledgetrackError(Exception):
    """Base for errors a user can act on; the message is the whole story.

    `field` names the input the error concerns, spelt as in code and in our CSV columns
    (`at_least`, `by`, `review`; see `field_name`), or None when it concerns no one input.
    The message is worded as the command line says it (`--by 2008-09-01 is before ...`);
    the importer reports the same message under column `field` on the line at fault, so
    nobody has to recover the field from the text.
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def __str__(self) -> str:
        """The message as the command line reads it: an `option(...)` is its flag."""
        return _NAMED.sub(lambda m: "--" + m[1].replace("_", "-"), super().__str__())

    def in_file(self) -> str:
        """The message as a file's line reads it: an `option(...)` is its column."""
        return _NAMED.sub(lambda m: m[1], super().__str__())


class InputError(PledgetrackError):
    """Bad input: the user typed or supplied something we cannot accept (exit 2)."""

    exit_code = ExitCode.USAGE


class NotFoundError(InputError):
    """An unknown team, pledge or action (exit 2: the input named something absent).

    `value` is the code that was looked up, so the CLI can say where a value it did not
    type came from (`PLEDGETRACK_TEAM`, config.toml)."""

    def __init__(self, message: str, *, field: str | None = None, value: str = "") -> None:
        super().__init__(message, field=field)
        self.value = value


class SystemRefusedError(PledgetrackError):
    """The operating system refused I/O: disk full, permission, a read-only file system
    (exit 74, whatever the target: stdout, `-o FILE` or the database)."""

    exit_code = ExitCode.IO


class DatabaseError(PledgetrackError):
    """The database cannot be used: missing, locked, corrupt, not SQLite, newer schema (exit 3)."""

    exit_code = ExitCode.DATABASE


# where a refusal of a database's content sends the user (of_database gives it --db FILE)
SEE_DB_CHECK = "see: pledgetrack db check"
# a command a refusal names, to be run on the database refused
_COMMAND = re.compile(r"\bpledgetrack (?=(?:db|void|backup|pledge|team|respond)\b)")


def of_database(exc: DatabaseError, path: object) -> DatabaseError:
    """The refusal of one of several databases a command reads (`rollup A.db B.db`): the
    file named first, unless the message names it, and each command it gives to run
    given that file (`see: pledgetrack --db A.db db check`, `pledgetrack --db A.db void
    4 ...`), so it runs as shown: "row 2" is in every one of them."""
    text, name = str(exc), str(path)
    if name not in text:
        text = f"{name}: {text}"
    text = _COMMAND.sub(lambda _: f"pledgetrack --db {shlex.quote(name)} ", text)
    return DatabaseError(text, field=exc.field)


def field_name(option: str) -> str:
    """The field an option or argument stands for: `--at-least` is `at_least`, `TITLE` is
    `title`, `when` is `when`."""
    return option.lstrip("-").lower().replace("-", "_")


def from_validation_error(exc: Exception) -> InputError:
    """pydantic's first complaint as one line naming the field."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return InputError(str(exc))
    first = errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    field = str(first["loc"][0]) if first["loc"] else None
    return InputError(f"{where}: {first['msg'].removeprefix('Value error, ')}", field=field)


def unreadable(what: str, exc: OSError) -> PledgetrackError:
    """A file we cannot read: named wrongly (not there, a folder) is bad input, exit 2;
    refused by the system (a permission, an I/O error) is exit 74, as for every target.
    `what` names it: `config file /home/x/.config/pledgetrack/config.toml`."""
    if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR):
        return InputError(f"cannot read {what}: {exc.strerror}")
    return SystemRefusedError(f"cannot read {what}: {exc.strerror or exc}")
