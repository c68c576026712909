"""Rendering rows for people and for programs: rich table, plain text, CSV or JSON.

Every listing command takes the same `--format` option and calls `render`. A rich table is
the default only on a terminal; piped output defaults to plain text, and nothing but a
table on a colour terminal ever carries ANSI codes. Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from pledgetrack.environment import Environment
from pledgetrack.errors import InputError


class Format(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    CSV = "csv"
    JSON = "json"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = False


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
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


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _decimal(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes").replace("T", " ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _decimal(value: float) -> str:
    """Up to two decimals, no trailing zeros: 7.25, 7.3, 8 (hours are kept to the quarter)."""
    text = f"{value:.2f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):  # nested records, e.g. `pledge show`'s recent actions
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def resolve_format(fmt: Format | None, env: Environment) -> Format:
    if fmt is not None:
        return fmt
    return Format.TABLE if env.stdout_isatty else Format.PLAIN


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], out: IO[str]) -> int:
    """Listing rows (`--format csv`) as CSV: a header of the column keys, then one line per
    row, through the same writer as exports (`write_csv_records`); returns the row count."""
    keys = [c.key for c in columns]
    return write_csv_records(([row.get(k) for k in keys] for row in rows), keys, out)


def write_csv_records(records: Iterable[Sequence[Any]], header: Sequence[str], out: IO[str]) -> int:
    """The one CSV writer, for listings and exports alike; streams, returns the row count.

    RFC 4180: a field holding a comma, a double quote, a carriage return or a line feed is
    quoted, quotes doubled; rows end in `\\n`. Flags are written 1/0, dates and times ISO
    8601, text that a spreadsheet would run as a formula neutralised (`neutralise`).
    """
    # csv.writer quotes a field only for the characters of its own line terminator, so a
    # lone \r would go out bare with "\n"; with "\r\n" it quotes both, and _RowEnds turns
    # each row's final "\r\n" (never one inside a quoted field) back into "\n".
    writer = csv.writer(_RowEnds(out), lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for record in records:
        # inline for the common cells: this runs once per cell of a big log
        writer.writerow(
            [
                (neutralise(v) if v.startswith(_GUARDABLE) else v)
                if v.__class__ is str
                else (v if v is None or v.__class__ in _PLAIN else _csv_cell(v))
                for v in record
            ]
        )
        count += 1
    return count


_PLAIN = frozenset({int, float})


def _csv_cell(value: Any) -> Any:
    """Flags as 1/0; dates ISO; formulas neutralised."""
    if isinstance(value, bool):
        return int(value)
    return neutralise(json_value(value))


class _RowEnds:
    """The file csv.writer writes to: each row's closing "\\r\\n" becomes "\\n"."""

    __slots__ = ("_write",)

    def __init__(self, out: IO[str]) -> None:
        self._write = out.write

    def write(self, line: str) -> int:
        return self._write(line[:-2] + "\n")


def render(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: Format | None,
    env: Environment,
    *,
    title: str | None = None,
    empty: str = "nothing to show",
    out: IO[str] | None = None,
) -> None:
    stream = out if out is not None else sys.stdout
    chosen = resolve_format(fmt, env)
    if chosen is Format.JSON:
        data = [{c.key: json_value(row.get(c.key)) for c in columns} for row in rows]
        stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if chosen is Format.CSV:
        write_csv(rows, columns, stream)
        return
    if not rows:
        print(empty, file=sys.stderr)
        return
    if chosen is Format.PLAIN:
        from tabulate import tabulate  # imported here: costs ~100 ms at start-up

        if title:
            stream.write(f"{title}\n")
        table = [[cell_text(row.get(c.key)) for c in columns] for row in rows]
        align = ["right" if c.numeric else "left" for c in columns]
        stream.write(
            tabulate(table, headers=[c.header for c in columns], tablefmt="simple", colalign=align)
            + "\n"
        )
        return
    _rich_table(rows, columns, env, title, stream)


# A column whose every value is at most this wide (a ref, a code, a date, a status), or a
# numeric one, never wraps: CW01-N10 split over two lines reads as two things. Only long
# text (titles, descriptions, targets, names) wraps, and it is given at least LONG_CELL.
SHORT_CELL = 12
LONG_CELL = 12


@dataclass(frozen=True)
class _Layout:
    header: str
    short: bool
    width: int  # the fewest character cells it needs: short, its widest; long, LONG_CELL


def _layout(col: Column, texts: Iterable[str]) -> _Layout:
    from rich.cells import cell_len

    widest = max((cell_len(line) for text in texts for line in text.splitlines()), default=0)
    if col.numeric or widest <= SHORT_CELL:
        header = _wrap_header(col.header, widest)
        return _Layout(header, True, max(widest, *(cell_len(h) for h in header.split("\n"))))
    natural = max(widest, cell_len(col.header))
    return _Layout(col.header, False, min(natural, LONG_CELL))


def _wrap_header(header: str, width: int) -> str:
    """A header over a column that does not wrap, broken at spaces so that it is no wider
    than the values under it (`Compliance %` over `95.3` takes two lines, not 12 columns)."""
    lines: list[str] = []
    for word in header.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _rich_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    env: Environment,
    title: str | None,
    stream: IO[str],
) -> None:
    """A boxed table on a terminal; when even that cannot fit the terminal's width without
    breaking a short value or squeezing text below LONG_CELL, one record per block instead
    (field, value), as psql's expanded display does."""
    from rich.console import Console
    from rich.table import Table

    console = Console(
        file=stream,
        no_color=env.no_color,
        color_system="auto" if env.colour else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    bold = "bold" if env.colour else ""
    cells = [[_styled(c.key, row.get(c.key), env) for c in columns] for row in rows]
    layouts = [_layout(c, (str(row[i]) for row in cells)) for i, c in enumerate(columns)]
    # a box line between and around columns, one space of padding either side of each
    chrome = len(columns) + 1 + 2 * len(columns)
    if sum(lay.width for lay in layouts) + chrome <= console.width:
        table = Table(title=title, title_justify="left", header_style=bold)
        for col, lay in zip(columns, layouts, strict=True):
            table.add_column(
                lay.header,
                justify="right" if col.numeric else "left",
                no_wrap=lay.short,
                overflow="fold",
            )
        for row in cells:
            table.add_row(*row)
        console.print(table)
        return
    if title:
        console.print(title, overflow="fold")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style=bold, no_wrap=True)
    grid.add_column(overflow="fold")
    for number, row in enumerate(cells):
        if number:
            grid.add_row("", "")
        for col, cell in zip(columns, row, strict=True):
            grid.add_row(col.header, cell)
    console.print(grid)


_STATUS_STYLES = {"green": "green", "amber": "yellow", "red": "bold red", "void": "dim"}


def _styled(key: str, value: Any, env: Environment) -> Any:
    text = cell_text(value)
    if env.colour and key == "status" and text in _STATUS_STYLES:
        from rich.text import Text

        return Text(text, style=_STATUS_STYLES[text])
    return text


def message(text: str) -> None:
    """A note for the person at the terminal (or the cron log): stderr, never stdout."""
    print(text, file=sys.stderr)


def render_record(
    record: Mapping[str, Any], fmt: Format | None, env: Environment, *, title: str | None = None
) -> None:
    """One record (`team show`, `pledge show`): field/value rows, or one JSON object."""
    chosen = resolve_format(fmt, env)
    if chosen is Format.JSON:
        data = {k: json_value(v) for k, v in record.items()}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if chosen is Format.CSV:
        write_csv([record], [Column(k, k) for k in record], sys.stdout)
        return
    rows = [{"field": k, "value": v} for k, v in record.items()]
    render(rows, [Column("field", "Field"), Column("value", "Value")], chosen, env, title=title)


class DataFormat(StrEnum):
    """Formats for files other programs read (exports, roll-ups): all of them stream."""

    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


def write_records(
    records: Iterable[Sequence[Any]], keys: Sequence[str], fmt: DataFormat, out: IO[str]
) -> int:
    """Stream tuples (in `keys` order) as CSV, a JSON array or JSON lines; returns the count.

    CSV goes through `write_csv_records`, as every listing's does. Nothing is held in
    memory beyond the current row.
    """
    if fmt is DataFormat.CSV:
        return write_csv_records(records, keys, out)
    count = 0
    jsonl = fmt is DataFormat.JSONL
    out.write("" if jsonl else "[")
    for record in records:
        data = {k: json_value(v) for k, v in zip(keys, record, strict=True)}
        if jsonl:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            out.write(("\n" if not count else ",\n") + json.dumps(data, ensure_ascii=False))
        count += 1
    if not jsonl:
        out.write("\n]\n" if count else "]\n")
    return count


def check_output_path(path: Path) -> None:
    """Refuse, as bad input (exit 2), a file to write that cannot be one: its folder does not
    exist or is not a folder, or it is a folder itself. One line naming the path.

    Commands call this before they start work; problems found only while writing (a full
    disk, a permission) are reported when they happen.
    """
    target = path.expanduser()
    if target.is_dir():
        raise InputError(f"cannot write {path}: {os.strerror(errno.EISDIR)}")
    try:
        folder = target.parent.stat()
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise InputError(f"cannot write {path}: {exc.strerror}") from None
        return  # e.g. a permission problem: the write itself will say
    if not stat.S_ISDIR(folder.st_mode):
        raise InputError(f"cannot write {path}: {os.strerror(errno.ENOTDIR)}")


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """Write beside `path` and rename into place only when complete (os.replace).

    A consumer polling for the file (a cron job at HQ) never reads half of it; on an error
    or Ctrl-C the temporary file is removed and any earlier `path` is left untouched.
    """
    check_output_path(path)
    target = path.expanduser()
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)  # os.replace: atomic on POSIX and Windows
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
