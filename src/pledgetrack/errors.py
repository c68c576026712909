"""Errors the CLI turns into one line on stderr and an exit status, never a traceback."""

from pledgetrack.exitcodes import ExitCode


class PledgetrackError(Exception):
    """Base for errors a user can act on; the message is the whole story."""

    exit_code: ExitCode = ExitCode.USAGE


class InputError(PledgetrackError):
    """Bad input: the user typed or supplied something we cannot accept (exit 2)."""

    exit_code = ExitCode.USAGE


class NotFoundError(InputError):
    """An unknown team, pledge or action (exit 2: the input named something absent)."""


class DatabaseError(PledgetrackError):
    """The database cannot be used: missing, locked, corrupt, not SQLite, newer schema (exit 3)."""

    exit_code = ExitCode.DATABASE


def from_validation_error(exc: Exception) -> InputError:
    """pydantic's first complaint as one line naming the field."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return InputError(str(exc))
    first = errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return InputError(f"{where}: {first['msg'].removeprefix('Value error, ')}")
