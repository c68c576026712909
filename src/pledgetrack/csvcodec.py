"""Our CSV, both ways: the one writer (with the spreadsheet formula guard) and the one
reader (which removes the guard again).

Every CSV we write (listings with `--format csv`, exports, roll-ups) goes through
`write_csv`, and every CSV we read (imports, roll-up inputs, the demo data) through
`read_csv`, so `read_csv` gives back exactly the text that was stored.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from pledgetrack.errors import SEE_DB_CHECK, DatabaseError, InputError, unreadable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
# U+FEFF first in a file: Excel's sign that a CSV is UTF-8 (else it reads Windows-1252)
BOM = "\ufeff"
# What a guarded cell may start with: a formula character, or apostrophes before one
_GUARDABLE = (*FORMULA_PREFIXES, GUARD)
# A plain decimal number (-2.5, +44, -1e3) starts like a formula but is left alone
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) and _NUMBER.fullmatch(text) is None


def neutralise(value: Any) -> Any:
    """Stop a spreadsheet from running a cell as a formula; numbers stay numbers.

    Text that starts with a formula character gets a leading `'`. So that `restore` can
    undo exactly this, text that already starts with apostrophes before a formula
    character gets one more (`'=x` is written `''=x`). Anything else is left alone.
    """
    if not isinstance(value, str) or not value.startswith(_GUARDABLE):
        return value
    return GUARD + value if _formula_like(value.lstrip(GUARD)) else value


def restore(text: str) -> str:
    """The text `neutralise` was given: restore(neutralise(t)) == t for every string t."""
    if text.startswith(GUARD) and _formula_like(text.lstrip(GUARD)):
        return text[1:]
    return text


def write_csv(
    records: Iterable[Sequence[Any]],
    header: Sequence[str],
    out: IO[str],
    *,
    bom: bool = False,
    for_import: bool = False,
) -> int:
    """The one CSV writer, for listings and exports alike; streams, returns the row count.

    RFC 4180: a field holding a comma, a double quote, a carriage return or a line feed is
    quoted, quotes doubled; rows end in `\\n`. Flags are written 1/0, dates and times ISO
    8601, text that a spreadsheet would run as a formula neutralised (`neutralise`). With
    `bom`, the file starts with a UTF-8 byte-order mark (`export --bom`: Excel then reads
    it as UTF-8 when it is double-clicked; `read_csv` reads either). `for_import`: a file
    `import` reads back (an export), which never holds a NUL, since import refuses one
    (exit 3 naming the cell, `_refuse_nul`: another tool wrote it into the database).
    """
    if bom:
        out.write(BOM)
    # csv.writer quotes a field only for the characters of its own line terminator, so a
    # lone \r would go out bare with "\n"; with "\r\n" it quotes both, and _RowEnds turns
    # each row's final "\r\n" (never one inside a quoted field) back into "\n".
    writer = csv.writer(_RowEnds(out), lineterminator="\r\n")
    writer.writerow(header)
    # The common case, a batch of plain cells with nothing to guard and no \r, is written
    # by csv.writer alone, in C: the same text, at the speed of `writerows(cursor)`
    # (docs/performance.md). Any batch that might need more takes the cell-by-cell path.
    buffer = io.StringIO()
    fast = csv.writer(buffer, lineterminator="\n")
    count = 0
    # A database cursor's cells are SQLite's own types (text, integer, real, NULL, blob),
    # which both paths write alike: its batches need no look at their types, which was a
    # tenth of `export actions` (docs/performance.md).
    typed = not isinstance(records, sqlite3.Cursor)
    records = iter(records)
    while batch := list(islice(records, _BATCH)):
        buffer.seek(0)
        buffer.truncate()
        fast.writerows(batch)
        text = buffer.getvalue()
        if for_import and "\x00" in text:  # another tool's cell (ATTACK4 A16)
            raise _refuse_nul(header, batch)
        if (
            "\r" in text
            or _FIELD_MAY_NEED_GUARD.search(text)
            or any(r and r[0].__class__ is str and r[0].startswith(_GUARDABLE) for r in batch)
            or (typed and not _SIMPLE.issuperset(map(type, chain.from_iterable(batch))))
        ):
            _write_cells(writer, batch)
        else:
            out.write(text)
        count += len(batch)
    return count


def _refuse_nul(header: Sequence[str], batch: Sequence[Sequence[Any]]) -> DatabaseError:
    """The first cell of `batch` holding a NUL, named by its column and the row's first
    cell (an export's `id`), exit 3: a CSV holding one is refused by every reader, ours
    refuses it, so an export does not write it."""
    for record in batch:
        for name, cell in zip(header, record, strict=False):
            if isinstance(cell, str) and "\x00" in cell:
                return DatabaseError(
                    f"the {name} of the row whose {header[0]} is {record[0]} holds a NUL "
                    f"character (at character {cell.index(chr(0)) + 1}), which import "
                    f"refuses: not written; {SEE_DB_CHECK}"
                )
    return DatabaseError(f"a cell holds a NUL character: not written; {SEE_DB_CHECK}")


_BATCH = 1_000
# csv.writer writes a date as str(date), its ISO form, which is what the cell-by-cell path
# writes (a datetime is not here: str() would put a space where ISO has T). `summary
# --format csv` has three dates a row: cell by cell, they cost three times the rest.
_SIMPLE = frozenset({str, int, float, type(None), date})
# A field after a comma (quoted or not) that starts with a character the guard looks at; a
# match inside a quoted field only sends its batch the slow way. A row's first field is
# looked at directly: a regex for line starts costs more than the writing. Spelled as an
# alternation after the comma, CPython's re ran it in 40% of the time of the same
# pattern written ',"?[...]' (measured on batches of an export of 1M actions).
_GUARDABLE_CLASS = "[" + re.escape("".join(_GUARDABLE)) + "]"
_FIELD_MAY_NEED_GUARD = re.compile(f',(?:{_GUARDABLE_CLASS}|"{_GUARDABLE_CLASS})')


def _write_cells(writer: Any, batch: Sequence[Sequence[Any]]) -> None:
    """Cell by cell: flags, dates and times converted, formulas neutralised."""
    for record in batch:
        # inline for the common cells: this runs once per cell of a big log
        writer.writerow(
            [
                (neutralise(v) if v.startswith(_GUARDABLE) else v)
                if v.__class__ is str
                else (v if v is None or v.__class__ in _PLAIN else _cell(v))
                for v in record
            ]
        )


_PLAIN = frozenset({int, float})


def _cell(value: Any) -> Any:
    """Flags as 1/0; dates and times ISO 8601; formulas neutralised."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


class _RowEnds:
    """The file csv.writer writes to: each row's closing "\\r\\n" becomes "\\n"."""

    __slots__ = ("_write",)

    def __init__(self, out: IO[str]) -> None:
        self._write = out.write

    def write(self, line: str) -> int:
        return self._write(line[:-2] + "\n")


_GUARD_AFTER_NUL = "\x00" + GUARD
# The longest cell read: what csv itself can hold (a C long everywhere), not its default
# 131,072 characters, which refused files our own export wrote (a meeting's note with the
# words `meeting` puts before it; ATTACK4 A6): any text we store is read back
CELL_MOST = 2**31 - 1


def read_csv(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV file, header first: (the line the record starts on, its cells
    with the formula guard removed). Blank lines are skipped; a BOM from Excel is fine.

    A file that cannot be read, is not UTF-8 or is not well-formed CSV is bad input: one
    line naming the file and the line.
    """
    try:
        fh = path.open(newline=_line_ends(path), encoding="utf-8-sig")
    except OSError as exc:
        raise unreadable(str(path), exc) from None
    with fh:
        csv.field_size_limit(CELL_MOST)  # the process's, set before each read: only ours read
        reader = csv.reader(fh, strict=True)
        previous = 0
        try:
            for row in reader:
                line, previous = previous + 1, reader.line_num
                if not row:
                    continue
                # only a cell that starts with the guard can carry it: the joined row shows
                # whether any does (a NUL inside a cell only sends its row the long way)
                if row[0].startswith(GUARD) or _GUARD_AFTER_NUL in "\x00".join(row):
                    row = [restore(c) if c.startswith(GUARD) else c for c in row]
                yield line, row
        except UnicodeDecodeError:
            if _is_workbook(path):
                raise InputError(
                    f"{path}: a spreadsheet workbook (.xlsx), not CSV: save it from the "
                    "spreadsheet as CSV UTF-8 (comma delimited), or read the CSV export"
                ) from None
            line = _first_undecodable_line(path)
            raise InputError(  # Excel's "CSV (Comma delimited)" is Windows-1252
                f'{path}: line {line}: not UTF-8 text (in a spreadsheet, save as "CSV UTF-8 '
                '(Comma delimited)")'
            ) from None
        except csv.Error as exc:
            if str(exc).startswith("new-line character seen in unquoted field"):
                raise InputError(
                    f"{path}: line {reader.line_num}: a carriage return inside a cell that is "
                    'not in quotes (put the cell in "double quotes", or remove it)'
                ) from None
            raise InputError(f"{path}: line {reader.line_num}: {exc}") from None
        except OSError as exc:  # a read refused part way (an I/O error)
            raise unreadable(str(path), exc) from None


def _line_ends(path: Path) -> str:
    """How the file's lines end, as `open(newline=...)` takes it: "\n" for LF and CRLF
    files, so that a bare CR inside a cell is not counted as a line (a two-line file with
    one said `line 3`); "" (any) for an old Mac file whose lines end in CR alone. A pipe
    or a device is read once, so it is not looked at first: it gets "" (any)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return ""
        with path.open("rb") as fh:
            start = fh.read(1 << 16)
    except OSError:
        return ""  # the open that follows says what is wrong
    return "\n" if b"\n" in start or b"\r" not in start else ""


def _is_workbook(path: Path) -> bool:
    """Whether the file is a ZIP archive, as an .xlsx or .ods is (`export -o x.xlsx`); a
    pipe, read once already, is not opened again."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _first_undecodable_line(path: Path) -> int:
    """Text is decoded in blocks, so find the culprit line again, byte line by line."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1
