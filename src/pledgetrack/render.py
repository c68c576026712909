"""Rendering rows for people: rich table, plain text, CSV or JSON (`--format`).

Every listing command takes the same `--format` option and calls `render`. A rich table is
the default only on a terminal; piped output defaults to plain text, and nothing but a
table on a colour terminal ever carries ANSI codes. Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import IO, Any

from pledgetrack.csvcodec import write_csv
from pledgetrack.environment import Environment
from pledgetrack.records import json_value


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


# What a terminal acts on instead of showing: C0 controls (ESC starts an ANSI sequence, CR
# returns to the start of the line, BS rubs out), DEL, C1 controls (0x9B is a one-byte
# CSI to some terminals), the line and paragraph separators, and the bidirectional
# embeddings, overrides and isolates that make text show in another order than it reads.
_ACTED_ON = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSHOWABLE = re.compile(f"[{_ACTED_ON}]")
_UNSHOWABLE_IN_A_LINE = re.compile(f"[{_ACTED_ON}\n]")


def _escape(match: re.Match[str]) -> str:
    return ascii(match[0])[1:-1]  # '\x1b', '\r', '\t', '\u202e'


def for_people(text: str, *, one_line: bool = False) -> str:
    """Text as it may safely reach a person's terminal: every character the terminal would
    act on is shown as its escape (`\x1b[31m` prints as the seven characters
    `\x1b[31m`). The one place this is done, for tables, plain text, titles, messages and
    errors; CSV and JSON carry the text exactly as stored. A line feed stays a line break
    (a description of two lines shows as two), unless `one_line` (an error line)."""
    pattern = _UNSHOWABLE_IN_A_LINE if one_line else _UNSHOWABLE
    return pattern.sub(_escape, text) if pattern.search(text) else text


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
    return for_people(str(value))


def _decimal(value: float) -> str:
    """Up to two decimals, no trailing zeros: 7.25, 7.3, 8 (hours are kept to the quarter)."""
    text = f"{value:.2f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def resolve_format(fmt: Format | None, env: Environment) -> Format:
    if fmt is not None:
        return fmt
    return Format.TABLE if env.stdout_isatty else Format.PLAIN


def write_listing_csv(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], out: IO[str]
) -> int:
    """Listing rows (`--format csv`) as CSV: a header of the column keys, then one line per
    row, through the same writer as exports (`csvcodec.write_csv`); returns the row count."""
    keys = [c.key for c in columns]
    return write_csv(([row.get(k) for k in keys] for row in rows), keys, out)


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
        stream.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
        return
    if chosen is Format.CSV:
        write_listing_csv(rows, columns, stream)
        return
    if not rows:
        message(empty)
        return
    if chosen is Format.PLAIN:
        from tabulate import tabulate  # imported here: costs ~100 ms at start-up

        if title:
            stream.write(f"{for_people(title)}\n")
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
    title = None if title is None else for_people(title)
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
    print(for_people(text), file=sys.stderr)


def render_record(
    record: Mapping[str, Any], fmt: Format | None, env: Environment, *, title: str | None = None
) -> None:
    """One record (`team show`, `pledge show`): field/value rows, or one JSON object."""
    chosen = resolve_format(fmt, env)
    if chosen is Format.JSON:
        data = {k: json_value(v) for k, v in record.items()}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
        return
    if chosen is Format.CSV:
        write_listing_csv([record], [Column(k, k) for k in record], sys.stdout)
        return
    rows = [{"field": k, "value": v} for k, v in record.items()]
    render(rows, [Column("field", "Field"), Column("value", "Value")], chosen, env, title=title)
