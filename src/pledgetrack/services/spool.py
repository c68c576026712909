"""Rows an import has checked, waiting for the write: past the first few, on disk.

`import actions` reads and checks the whole file before it takes the write lock, so that
other writers go on meanwhile; holding every checked row in memory until then cost about
435 bytes a row (623 MB at 987,975 rows). A `Spool` holds the first `held` rows in memory
and writes the rest to an anonymous temporary file, a chunk at a time, and gives them all
back in the same order in chunks of the size the writer asks for: memory stays within
`held` rows and a chunk whatever the file's length (docs/performance.md).

The chunks are our own plain values (text, numbers, None, flags, tuples of them) written
and read back by this process alone, so `marshal` serves: the fastest of the standard
serialisers for them, about 1.8 s for a million action rows both ways, with nothing to
trust from outside. A file of `held` rows or fewer never touches the disk.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, TypeVar

from pledgetrack.errors import SystemRefusedError

Columns = tuple[list[Any], ...]  # parallel lists: one item of each per row
_T = TypeVar("_T")


class Spool:
    """Rows given as parallel columns (`add`), read back in order `size` rows at a time
    (`chunks`), the last chunk shorter; the temporary file goes when the spool closes."""

    def __init__(self, width: int, size: int, held: int) -> None:
        self.size = size
        self.held = held  # rows kept in memory before the disk is used
        self._pending: Columns = tuple([] for _ in range(width))
        self._kept: list[Columns] = []  # the first chunks, in memory
        self._file: IO[bytes] | None = None
        self._sizes: list[int] = []  # each chunk's length in the file, in order

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def add(self, columns: Sequence[list[Any]]) -> None:
        """More rows after those added before (the columns of equal length)."""
        for pending, more in zip(self._pending, columns, strict=True):
            pending += more
        while len(self._pending[0]) >= self.size:
            self._chunk(self.size)

    def chunks(self) -> Iterator[Columns]:
        """Every row added, in order, `size` rows a chunk (the last may be shorter)."""
        if self._pending[0]:
            self._chunk(len(self._pending[0]))
        yield from self._kept
        if self._file is None:
            return
        file = self._file
        self._refused(lambda: file.seek(0))
        for length in self._sizes:
            # one read and one loads a chunk: marshal.load on a file reads value by value
            data = self._refused(lambda: file.read(length))  # noqa: B023 (called at once)
            yield marshal.loads(data)

    def _chunk(self, n: int) -> None:
        """The first n pending rows as one chunk: kept, or written to the file."""
        chunk = tuple(column[:n] for column in self._pending)
        for column in self._pending:
            del column[:n]
        if len(self._kept) * self.size + n <= self.held and self._file is None:
            self._kept.append(chunk)
            return
        if self._file is None:
            # closed by close(), once the import is done with the rows
            self._file = self._refused(lambda: tempfile.TemporaryFile(prefix="pledgetrack-"))  # noqa: SIM115
        data, file = marshal.dumps(chunk), self._file
        self._refused(lambda: file.write(data))
        self._sizes.append(len(data))

    @staticmethod
    def _refused(act: Callable[[], _T]) -> _T:
        """The file's I/O; the system refusing it (a full disk) is exit 74, naming where."""
        try:
            return act()
        except OSError as exc:
            try:
                where = f"in {tempfile.gettempdir()}"
            except OSError:  # no folder at all where one can be made
                where = "anywhere (TMPDIR, /tmp, /var/tmp, the current folder)"
            raise SystemRefusedError(
                f"cannot keep the checked rows in a temporary file {where}: "
                f"{exc.strerror or exc} (set TMPDIR to a folder with room)"
            ) from None
