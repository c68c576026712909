"""The standard streams, named when the system refuses them.

Python's own OSError from a full or closed stdout names no file, so the one-line error
could only say `cannot read or write: No space left on device`. `name_standard_streams`
(run once by the console entry point) gives the process the same three streams, each
naming itself in its errors (`<stdout>`, as Python names them), and stands in for a stream
the shell closed (`>&-`): Python would leave it None, and the first print a traceback.
A message to a stderr that cannot take it is dropped: the exit status still tells. Once
stdout has refused (and the command failed on it), what is left in its buffer is dropped,
so that Python's last flush at exit does not fail again (a traceback, exit 120).
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import IO, Any

STDIN, STDOUT, STDERR = "<stdin>", "<stdout>", "<stderr>"
_DOING = {STDIN: "read stdin", STDOUT: "write to stdout", STDERR: "write to stderr"}


def refusal(exc: OSError) -> str:
    """An OSError no command caught, as one line: what was refused (a stream or a file)
    and why."""
    reason = exc.strerror or str(exc)
    if exc.filename in _DOING:
        return f"cannot {_DOING[exc.filename]}: {reason}"
    if exc.filename is not None:
        return f"cannot read or write {exc.filename}: {reason}"
    return f"cannot read or write: {reason}"  # a stream not named (the tests' CliRunner)


def name_standard_streams() -> None:
    """Replace sys.stdin/stdout/stderr, when they are still Python's own, by the same file
    descriptors whose errors name them."""
    for attr, fd, label, writes in (
        ("stdin", 0, STDIN, False),
        ("stdout", 1, STDOUT, True),
        ("stderr", 2, STDERR, True),
    ):
        old: Any = getattr(sys, attr)
        if old is not None and old is not getattr(sys, f"__{attr}__"):
            continue  # someone else's stream (a test harness): theirs to report
        if old is not None:
            old.flush()
        setattr(sys, attr, _stream(fd, label, writes, old))


def _stream(fd: int, label: str, writes: bool, old: IO[str] | None) -> IO[str]:
    raw: io.RawIOBase
    try:
        raw = _Named(fd, writes, label)
    except OSError:  # closed before we started
        raw = _Closed(writes, label)
    buffered = io.BufferedWriter(raw) if writes else io.BufferedReader(raw)
    return io.TextIOWrapper(
        buffered,
        encoding=getattr(old, "encoding", None) or "utf-8",
        errors=getattr(old, "errors", None) or "strict",
        newline="\n",
        line_buffering=getattr(old, "line_buffering", False),
        write_through=getattr(old, "write_through", False),
    )


def _named(exc: OSError, label: str) -> OSError:
    """The same error (a BrokenPipeError stays one), naming the stream."""
    return type(exc)(exc.errno, exc.strerror, label)


class _Named(io.FileIO):
    """A standard stream's descriptor, as Python opens it, but naming itself in errors;
    stderr's are dropped (a message no one can be shown is not the command failing)."""

    def __init__(self, fd: int, writes: bool, label: str) -> None:
        super().__init__(fd, "w" if writes else "r", closefd=False)
        self.label = label
        self.refused = False

    def write(self, data: Any) -> int:
        if self.refused:
            return len(data)
        try:
            return super().write(data)
        except OSError as exc:
            if self.label == STDERR:
                return len(data)
            self.refused = True
            raise _named(exc, self.label) from None

    def readinto(self, buffer: Any) -> int:
        try:
            return super().readinto(buffer)
        except OSError as exc:
            raise _named(exc, self.label) from None


class _Closed(io.RawIOBase):
    """A stream the shell closed (`>&-`): every use is EBADF, naming it."""

    def __init__(self, writes: bool, label: str) -> None:
        super().__init__()
        self.writes = writes
        self.label = label
        self.refused = False

    def readable(self) -> bool:
        return not self.writes

    def writable(self) -> bool:
        return self.writes

    def readinto(self, buffer: Any) -> int:
        raise self._refused()

    def write(self, data: Any) -> int:
        if self.label == STDERR or self.refused:
            return len(data)
        self.refused = True
        raise self._refused()

    def _refused(self) -> OSError:
        return OSError(errno.EBADF, os.strerror(errno.EBADF), self.label)
