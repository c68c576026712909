"""Exit statuses: one enum, shared by the code that exits and the tests that check it."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS_FOUND = 1  # `check` found something a sergeant should act on
    USAGE = 2  # bad input: unknown team, malformed date, broken CSV row, ...
    DATABASE = 3  # locked past the timeout, corrupt, not SQLite, newer schema
    IO = 74  # the system refused a read or write: disk full, permission (EX_IOERR)
    INTERNAL = 70  # a bug in pledgetrack (EX_SOFTWARE); PLEDGETRACK_DEBUG=1 shows the traceback
    INTERRUPTED = 130  # Ctrl-C (SIGINT)
    TERMINATED = 143  # SIGTERM (128 + 15), after the same cleanup as Ctrl-C
