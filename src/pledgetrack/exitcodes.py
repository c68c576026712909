"""Exit statuses: one enum, shared by the code that exits and the tests that check it, and
what each means, as docs/cli.md's table gives it (tests/test_docs_cli_reference.py)."""

from enum import IntEnum

# a command stopped by signal n exits 128 + n, as a shell reports a process the signal
# killed; the numbers are POSIX's (SIGHUP 1, SIGINT 2, SIGTERM 15) on every system
SIGNALLED = 128


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS_FOUND = 1
    USAGE = 2
    DATABASE = 3
    IO = 74  # EX_IOERR
    INTERNAL = 70  # EX_SOFTWARE
    HANGUP = SIGNALLED + 1
    INTERRUPTED = SIGNALLED + 2
    TERMINATED = SIGNALLED + 15

    @classmethod
    def signalled(cls, signum: int) -> "ExitCode":
        """The status of a command stopped by a signal it catches (ValueError for another)."""
        return cls(SIGNALLED + signum)


# the meaning column of docs/cli.md's exit-status table, in its order
MEANING: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.PROBLEMS_FOUND: "`check` found something to act on",
    ExitCode.USAGE: "usage or validation error: nothing was written",
    ExitCode.DATABASE: "database error",
    ExitCode.IO: "the system refused to read or write, whatever the target; the line names it",
    ExitCode.INTERNAL: "a bug in pledgetrack (`PLEDGETRACK_DEBUG=1` shows the traceback)",
    ExitCode.HANGUP: "hung up (SIGHUP: the terminal closed, an ssh session dropped); cleaned "
    "up as for Ctrl-C",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C, SIGINT)",
    ExitCode.TERMINATED: "terminated (SIGTERM); cleaned up as for Ctrl-C",
}
