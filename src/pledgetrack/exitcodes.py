"""Exit statuses: one enum, shared by the code that exits and the tests that check it."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS_FOUND = 1  # `check` found something a sergeant should act on
    USAGE = 2  # bad input: unknown team, malformed date, broken CSV row, ...
    DATABASE = 3  # locked past the timeout, corrupt, not SQLite, newer schema
    INTERRUPTED = 130
