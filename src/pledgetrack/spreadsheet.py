"""Rows as an .xlsx workbook, for people who open an export in a spreadsheet.

A CSV cannot say what a cell is, so a spreadsheet guesses: `007` becomes 7, `1E5` 100000,
`12/10` a date in Excel, and accents are garbled unless it is told the file is UTF-8
(docs/export-schema.md). In an .xlsx every cell is typed: text is text, shown as written
(`007`, `=1+1` too: a text cell is never run, so no formula guard is needed), numbers are
numbers. The columns and values are the CSV's. Written by XlsxWriter row by row
(constant_memory), so memory stays flat whatever the export's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, Any
from xml.sax.saxutils import escape

from pledgetrack.errors import InputError
from pledgetrack.records import json_value

# A sheet's rows, the header's included, and a cell's characters (in UTF-16 units): the
# limits of the format, which Excel and LibreOffice hold to
MAX_ROWS = 1_048_576
MAX_TEXT = 32_767
# Integers a spreadsheet's numbers (doubles) hold exactly; a larger one is written as text
_EXACT = 2**53
# Widths are judged on the first rows, since the file is written as it streams
_SAMPLE = 200
_WIDEST = 60


def write_xlsx(
    records: Iterable[Sequence[Any]], header: Sequence[str], out: IO[bytes], sheet: str
) -> int:
    """Write the rows under `header` on one sheet named `sheet`; returns the row count.

    Refused (InputError) when they do not fit a sheet, or a text is longer than a cell
    holds: a spreadsheet would cut it, and a file that looks whole but is not is worse than
    none (the caller's -o FILE is then not written).
    """
    import xlsxwriter  # only for an .xlsx: not at start-up

    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            # every cell is written by its own type below; these only make sure XlsxWriter
            # never turns text into a formula, a number or a link behind our back
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    ws = book.add_worksheet(sheet)
    bold = book.add_format({"bold": True})
    widths = [len(name) for name in header]
    for col, name in enumerate(header):
        ws.write_string(0, col, name, bold)
    count = 0
    for count, record in enumerate(records, start=1):
        if count >= MAX_ROWS:
            raise InputError(
                f"{count:,} rows or more do not fit in a spreadsheet's sheet "
                f"(at most {MAX_ROWS - 1:,} below the header): write .csv, or fewer rows "
                "(--from/--to, --team, --period)",
                field="output",
            )
        for col, value in enumerate(record):
            try:
                shown = _write(ws, count, col, value)
            except _CellFull:
                raise InputError(
                    f"row {count}, {header[col]}: text written as <r>...</r> takes more than "
                    f"a spreadsheet's cell holds ({MAX_TEXT:,} characters): write .csv",
                    field=header[col],
                ) from None
            if shown is not None and count <= _SAMPLE:
                widths[col] = max(widths[col], len(shown))
            if shown is not None and len(shown) > MAX_TEXT // 2 and _units(shown) > MAX_TEXT:
                raise InputError(
                    f"row {count}, {header[col]}: {_units(shown):,} characters do not fit in "
                    f"a spreadsheet's cell (at most {MAX_TEXT:,}): write .csv",
                    field=header[col],
                )
    for col, width in enumerate(widths):
        ws.set_column(col, col, min(width, _WIDEST) + 2)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, count, max(len(header) - 1, 0))
    book.close()
    return count


def _write(ws: Any, row: int, col: int, value: Any) -> str | None:
    """One cell, typed as what it holds; the text it shows (None: empty)."""
    if value is None:
        return None
    if value.__class__ is str:  # most cells: no conversion to look for
        text: str = value
    else:
        if isinstance(value, bool):
            value = int(value)  # a flag is 1/0, as in the CSV
        if isinstance(value, int | float) and abs(value) < _EXACT:
            ws.write_number(row, col, value)
            return str(value)
        text = str(json_value(value))  # dates and times ISO 8601, as in the CSV
    if text.startswith("<r>") and text.endswith("</r>"):
        # XlsxWriter takes text shaped so for rich-text XML it made itself and writes it
        # unescaped (a description could add a formula cell): give it that XML, the text
        # escaped in one run. (Its own rich strings escape _xHHHH_ twice: `_x0041_` came
        # back `_x005F_x0041_`.) The XML is longer than the text: one cut short is refused.
        run = f'<r><t xml:space="preserve">{escape(text)}</t></r>'
        if ws.write_string(row, col, run) == _CUT:
            raise _CellFull
    elif text:
        ws.write_string(row, col, text)
    return text


_CUT = -2  # XlsxWriter's answer for a string it cut to fit a cell


class _CellFull(Exception):
    """A text, as the workbook's XML holds it, longer than a cell takes."""


def _units(text: str) -> int:
    """The length of `text` as a spreadsheet counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2
