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
from pledgetrack.domain.dates import short_date, short_datetime
from pledgetrack.domain.trends import Trend
from pledgetrack.environment import Environment
from pledgetrack.errors import InputError
from pledgetrack.records import json_value


class Format(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    CSV = "csv"
    JSON = "json"

    @property
    def for_people(self) -> bool:
        """The one rule of who reads a format: a table and plain text (a terminal, a cron
        mail) are read by people, so their dates and times are as people write them
        (`26/10 09:30`, `by 28/11`) and their free text is made safe; CSV and JSON are read
        by programs and keep ISO dates and stored text."""
        return self is Format.TABLE or self is Format.PLAIN


@dataclass(frozen=True)
class Column:
    """One column of a listing, declared once and used by every format.

    In a table on a terminal, `priority` decides what stays when the width runs out (1: always
    shown; higher numbers are hidden first), and `truncate` marks long text (titles,
    descriptions) that may be cut at a word with an ellipsis, down to `min_width`. Other
    values (refs, dates, statuses, numbers) are shown whole or not at all.
    """

    key: str
    header: str
    numeric: bool = False
    priority: int = 1
    truncate: bool = False
    min_width: int = 12
    wrap: bool = False  # the value of a record (`team show`): shown whole, over several lines
    # a record's value, in plain text too: its line breaks kept, each line after the first
    # under the first (`pledge show`'s description); a listing's row stays one line
    lines: bool = False
    asked: bool = False
    # columns read only together (green, amber and red counts): hidden together
    group: str | None = None
    # long text cut at a word after this many lines, in a table (`agenda`'s What: the words
    # that tell two open messages apart come after the words every message has)
    max_lines: int = 1
    # with max_lines: given the room to show every cell whole first (`agenda`'s What); else
    # it shares the room as other text does, wrapped into its lines (`summary`'s Title
    # beside the Detail, which is read whole)
    room_first: bool = True
    # for people (a table, plain text) said once, on the first of the rows alike in this
    # key (`priorities`: a meeting's day on its first priority, not on each)
    once_per: str | None = None
    # a key for programs (CSV, JSON) that people read elsewhere in the row (`agenda`'s kind,
    # which its Now and To do say in words): a table and plain text show it only when
    # `--columns` names it, or with `--wide`
    programs: bool = False
    # in a table on a terminal, these values shown in fewer cells, each explained once in a
    # line under the table when it appears (`overview`'s `no-data` as a dash: seven commitments
    # side by side fit 80 columns); plain text, CSV and JSON keep the value
    short: tuple[tuple[str, str, str], ...] = ()  # (value, shown as, meaning)

    @property
    def rank(self) -> int:
        """How soon a narrow terminal hides it (higher first): the one rule of column priority,
        under which a column the person asked for by an option outranks every optional one."""
        return 1 if self.asked else self.priority


@dataclass(frozen=True)
class View:
    """How a person asked to see a table: every column (`--wide`) or these (`--columns`)."""

    wide: bool = False
    columns: tuple[str, ...] = ()

    def choose(self, columns: Sequence[Column]) -> list[Column]:
        """The columns named by `--columns` (by key or header), in the order given."""
        if not self.columns:
            return list(columns)
        by_name = {c.key: c for c in columns} | {c.header.lower(): c for c in columns}
        unknown = [name for name in self.columns if name.lower() not in by_name]
        if unknown:
            import difflib  # only on this error path, as import's header check

            keys = [c.key for c in columns]
            near = difflib.get_close_matches(unknown[0].lower(), keys, n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"choose from: {', '.join(keys)}"
            raise InputError(
                f"--columns: unknown column {unknown[0]!r} ({hint})", field="columns"
            )
        return list(dict.fromkeys(by_name[name.lower()] for name in self.columns))

    def for_people(self, columns: Sequence[Column]) -> list[Column]:
        """The columns a table or plain text shows: those chosen, less the keys for programs
        unless they were asked for (`--columns`, `--wide`)."""
        chosen = self.choose(columns)
        if self.columns or self.wide:
            return chosen
        return [c for c in chosen if not c.programs]


# What a terminal acts on instead of showing: C0 controls (ESC starts an ANSI sequence, CR
# returns to the start of the line, BS rubs out), DEL, C1 controls (0x9B is a one-byte
# CSI to some terminals), the line and paragraph separators, and the bidirectional
# embeddings, overrides and isolates that make text show in another order than it reads.
_ACTED_ON = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
# and a byte that was not UTF-8 in a path or argument (Python's surrogateescape keeps it as
# U+DC80..U+DCFF): shown as the byte, `\xc3`, not as `\udcc3`
_NOT_UTF8 = "\udc80-\udcff"
_UNSHOWABLE = re.compile(f"[{_ACTED_ON}{_NOT_UTF8}]")
_UNSHOWABLE_IN_A_LINE = re.compile(f"[{_ACTED_ON}{_NOT_UTF8}\n]")


def _escape(match: re.Match[str]) -> str:
    if "\udc80" <= match[0] <= "\udcff":
        return f"\\x{ord(match[0]) - 0xDC00:02x}"  # the byte surrogateescape kept
    return ascii(match[0])[1:-1]  # '\x1b', '\r', '\t', '\u202e'


def for_people(text: str, *, one_line: bool = False) -> str:
    """Text as it may safely reach a person's terminal: every character the terminal would
    act on is shown as its escape (`\x1b[31m` prints as the seven characters
    `\x1b[31m`). The one place this is done, for tables, plain text, titles, messages and
    errors; CSV and JSON carry the text exactly as stored. A line feed stays a line break
    (a description of two lines shows as two), unless `one_line` (an error line)."""
    if text.isprintable():  # no character either pattern matches is printable: checked in C
        return text
    pattern = _UNSHOWABLE_IN_A_LINE if one_line else _UNSHOWABLE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def cell_text(value: Any, *, one_line: bool = True) -> str:
    """A value's text for people (plain text, tables): a line break or CR in free text shows
    as `\\n` / `\\r`, so that one row is one line for `grep` and `cut`; only a record's value
    (`one_line=False`, `team show`) keeps its line breaks. CSV and JSON never come here. A
    date here is ISO: a cell's dates are made short for people by `people_text`."""
    if type(value) is str:  # most cells of a long listing: no type to tell apart
        return for_people(value, one_line=one_line)
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
    return for_people(str(value), one_line=one_line)


def plain_cell(
    value: Any, env: Environment, year: int | None = None, *, one_line: bool = True
) -> str | int | None:
    """A cell for the plain table writer: `people_text`, except that a count stays an int
    and an empty cell is None, which tabulate prints as the same text ("12", "") without
    scanning it for ANSI codes (its type inference does that for every text cell, and
    cannot be turned off: half of `overview`'s plain table, 61,200 cells at national
    scale). tests/test_output.py holds the table equal to one of `people_text`'s. A
    record's value (`one_line=False`) keeps its line breaks: tabulate sets each line
    under the first."""
    if type(value) is int:  # not a bool: that is `yes`/`no`
        return value
    if type(value) is str:  # most cells of a long listing
        return for_people(value, one_line=one_line) or None
    return people_text(value, env, year, one_line=one_line) or None


def _decimal(value: float) -> str:
    """Up to two decimals, no trailing zeros: 7.25, 7.3, 8 (hours are kept to the quarter)."""
    text = f"{value:.2f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def trend_cell(trend: Trend, fmt: Format) -> Any:
    """A trend as each format carries it: a sparkline for people (coloured in a table),
    the numbers for programs (a JSON list; in CSV `75;100;;66.7`, empty where none)."""
    if fmt is Format.TABLE:
        return trend
    if fmt is Format.PLAIN:
        return trend.spark()
    numbers = trend.numbers()
    if fmt is Format.JSON:
        return numbers
    return ";".join("" if n is None else cell_text(n) for n in numbers)


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
    view: View | None = None,
    year: int | None = None,
) -> None:
    """The rows in the format asked for. `view` is the command's `--wide` and `--columns`:
    only a command that has them (and so passes one) is told of them by a table's footer."""
    stream = out if out is not None else sys.stdout
    chosen = resolve_format(fmt, env)
    offers_view = view is not None
    view = view or View()
    columns = view.for_people(columns) if chosen.for_people else view.choose(columns)
    if chosen.for_people:
        rows = said_once(rows, columns)
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
        if title:
            stream.write(f"{for_people(title)}\n")
        year = env.now().year if year is None else year
        if any(c.lines for c in columns):  # a record (pledge show, team show)
            cells = [
                [plain_cell(row.get(c.key), env, year, one_line=not c.lines) for c in columns]
                for row in rows
            ]
        else:
            cells = [[plain_cell(row.get(c.key), env, year) for c in columns] for row in rows]
        stream.write(plain_table(cells, columns) + "\n")
        return
    _rich_tables([(title, rows)], columns, env, stream, view, year, offers_view)


def said_once(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]
) -> list[Mapping[str, Any]]:
    """The rows with each `once_per` column's cell emptied where the row's key equals the
    row before's: the meeting's day said on its first priority only."""
    once = [(c.key, c.once_per) for c in columns if c.once_per is not None]
    if not once:
        return list(rows)
    shown: list[Mapping[str, Any]] = []
    for before, row in zip([None, *rows], rows, strict=False):
        repeated = [
            key for key, by in once if before is not None and before.get(by) == row.get(by)
        ]
        shown.append({**row, **dict.fromkeys(repeated)} if repeated else row)
    return shown


def render_tables(
    tables: Sequence[tuple[str | None, Sequence[Mapping[str, Any]], str]],
    columns: Sequence[Column],
    fmt: Format | None,
    env: Environment,
    *,
    view: View | None = None,
    year: int | None = None,
) -> None:
    """Several tables of one command, each (title, rows, what to say when it is empty): on a
    terminal they are laid out together, so every one shows the same columns at the same
    widths and one footer names what they all hide; other formats print them one by one."""
    chosen = resolve_format(fmt, env)
    if chosen is not Format.TABLE:
        for title, rows, empty in tables:
            render(rows, columns, chosen, env, title=title, empty=empty, view=view, year=year)
        return
    for _title, rows, empty in tables:
        if not rows:
            message(empty)
    chosen_view = view or View()
    people_columns = chosen_view.for_people(columns)
    shown = [(title, said_once(rows, people_columns)) for title, rows, _ in tables if rows]
    if shown:
        _rich_tables(
            shown,
            people_columns,
            env,
            sys.stdout,
            chosen_view,
            year,
            view is not None,
        )


def plain_table(cells: Sequence[Sequence[Any]], columns: Sequence[Column]) -> str:
    """The plain (piped) table of these cells, under the columns' headers, by tabulate."""
    from tabulate import tabulate  # imported here: costs ~100 ms at start-up

    return tabulate(
        cells,
        headers=[c.header for c in columns],
        tablefmt="simple",
        colalign=["right" if c.numeric else "left" for c in columns],
        # the cells are our text already: tabulate reading them as numbers again would
        # print `7.50` as 7.5 and a reference `1e3` as 1000, and costs most of the time of
        # a long listing (34,000 national findings from `check`)
        disable_numparse=True,
    )


ELLIPSIS = "…"
# between two columns: one space of padding and the (invisible) divider
GAP = 2


def people_text(
    value: Any, env: Environment, year: int | None = None, *, one_line: bool = True
) -> str:
    """A cell as a person reads it, in a table or plain text (`Format.for_people`): short
    British dates (`26/10 09:30`, the year only when it is not `year`: this year, or the
    year of the report's period); CSV and JSON keep ISO and never come here."""
    year = env.now().year if year is None else year
    if isinstance(value, datetime):
        return short_datetime(value, env.tz, year)
    if isinstance(value, date):
        return short_date(value, year)
    # free text shown, never obeyed (`cell_text` -> `for_people`); one line per row, but
    # a record's value (`pledge show`) keeps its line breaks
    return cell_text(value, one_line=one_line)


def truncate(text: str, width: int) -> str:
    """`text` in at most `width` cells: cut at a word boundary with an ellipsis, never mid-word
    (unless a single word is wider than the column)."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    cut = set_cell_size(text, width - 1).rstrip()
    if cut and not text[len(cut)].isspace() and " " in cut:
        cut = cut[: cut.rindex(" ")].rstrip(" ,;:-")
    return cut + ELLIPSIS


@dataclass
class _Fit:
    column: Column
    cells: list[str]
    header: str
    need: int  # the narrowest it may be
    natural: int  # its widest value or header
    width: int = 0


def _fit(column: Column, cells: list[str]) -> _Fit:
    from rich.cells import cell_len

    widest = max((cell_len(c) for c in cells), default=0)
    longest_word = max((cell_len(w) for w in column.header.split()), default=0)
    if (column.truncate or column.wrap) and widest > column.min_width:
        # never broken mid-word: wide enough for the first word of every cell (cut after
        # it) or, wrapped, for every word; a freak word longer than WORD is cut even so
        words = (w for c in cells for w in (c.split() if column.wrap else c.split()[:1]))
        word = min(max((cell_len(w) for w in words), default=0), WORD)
        need = max(column.min_width, longest_word, word)
        return _Fit(column, cells, column.header, need, max(widest, cell_len(column.header)))
    # whole values: the header wraps at spaces to be no wider than them, in two lines at most
    # (`Officer (as given)` over an empty column: `Officer` / `(as given)`, not three)
    room = max(widest, longest_word)
    while (header := _wrap_header(column.header, room)).count("\n") > 1:
        room += 1
    width = max(widest, *(cell_len(line) for line in header.split("\n")))
    return _Fit(column, cells, header, width, width)


# Text of rank 1 (a title, a description, a wrapped detail) narrower than this is
# cramped: columns of rank OPTIONAL or more are hidden to give it room
COMFORTABLE = 32
OPTIONAL = 3
WORD = COMFORTABLE  # the longest word a column of text is widened for


def _cramped(shown: list[_Fit], width: int) -> bool:
    room = width - sum(f.need for f in shown) - GAP * (len(shown) - 1)
    short = [
        min(f.natural, COMFORTABLE) - f.need
        for f in shown
        if f.column.rank == 1 and (f.column.truncate or f.column.wrap) and f.natural > f.need
    ]
    return sum(s for s in short if s > 0) > room


def _importance(fit: _Fit) -> tuple[int, bool, bool]:
    """Least important last: by rank; of equal rank, a column with nothing in it, then text
    that may be cut before text read whole (wrapped)."""
    return fit.column.rank, not any(fit.cells), not fit.column.wrap


def _hide(drop: _Fit, shown: list[_Fit], hidden: list[_Fit]) -> None:
    """Hide `drop`, and with it the rest of its group (a RAG set is never shown in part)."""
    group = drop.column.group
    for fit in [f for f in shown if f is drop or (group is not None and f.column.group == group)]:
        shown.remove(fit)
        hidden.append(fit)


def fit_columns(fits: list[_Fit], width: int, wide: bool) -> tuple[list[_Fit], list[_Fit]]:
    """Choose the columns that fit `width` and their widths: drop the least important (the
    highest rank, rightmost first) until the narrowest layout fits, then share the room left
    among the columns of text, most important first. Returns (shown, hidden)."""
    shown = list(fits)
    hidden: list[_Fit] = []
    if not wide:
        while len(shown) > 1 and sum(f.need for f in shown) + GAP * (len(shown) - 1) > width:
            # the least important goes first; when only essentials are left, the rightmost
            _hide(max(reversed(shown), key=_importance), shown, hidden)
        # then the least important go too while the main text would be cramped
        # (of any rank, a column with nothing in it)
        while _cramped(shown, width) and (
            optional := [f for f in shown if f.column.rank >= OPTIONAL or not any(f.cells)]
        ):
            _hide(max(reversed(optional), key=_importance), shown, hidden)
    room = width - sum(f.need for f in shown) - GAP * (len(shown) - 1)
    for fit in shown:
        fit.width = fit.need
    if wide:
        for fit in shown:
            fit.width = fit.natural
        return shown, [f for f in fits if f in hidden]
    # every column up to a comfortable width (so a target keeps its unit beside a long
    # title), then the rest to whole values, most important first. Columns of one rank
    # share the room a cell at a time, so a title and the detail beside it both stay
    # readable (neither `Fair…` nor a detail of one word a line)
    ranks = sorted({f.column.rank for f in shown})
    # text cut after several lines (`agenda`'s What, `pledge list`'s Target) is first given
    # the room to show every cell whole in those lines, where it can, in as few of them as
    # leave the other text comfortable (a target on one line at 120 columns, on two at 80);
    # then it shares what is left as any text does
    for fit in shown:
        if fit.column.max_lines > 1 and fit.column.room_first and room > 0:
            most = min(fit.natural, fit.width + room)
            others = sum(
                max(0, min(f.natural, COMFORTABLE) - f.width)
                for f in shown
                if f is not fit and (f.column.truncate or f.column.wrap)
            )
            grown = next(
                (
                    width
                    for lines in range(1, fit.column.max_lines)
                    if (width := _whole_in_lines(fit, most, lines)) < most
                    or not _cut_in(fit, width, lines)
                    if room - (width - fit.width) >= others
                ),
                _whole_in_lines(fit, most),
            )
            room -= grown - fit.width
            fit.width = grown
    for cap in (COMFORTABLE, None):
        for rank in ranks:
            group = sorted((f for f in shown if f.column.rank == rank), key=_importance)
            goals = {
                id(f): f.natural if cap is None else min(f.natural, max(cap, f.need))
                for f in group
            }
            while room > 0 and (wanting := [f for f in group if f.width < goals[id(f)]]):
                for fit in wanting[:room]:
                    fit.width += 1
                    room -= 1
    return shown, [f for f in fits if f in hidden]


def _whole_in_lines(fit: _Fit, most: int, lines: int | None = None) -> int:
    """The narrowest width, from the column's least up to `most`, at which every cell of
    `fit` shows whole in `lines` lines, its `max_lines` unless given (else `most`: as much
    of them as fits)."""
    for width in range(fit.need, most):
        if not _cut_in(fit, width, lines):
            return width
    return max(most, fit.need)


def _cut_in(fit: _Fit, width: int, lines: int | None = None) -> bool:
    """Whether some cell of `fit` is cut at `width` in `lines` lines (its `max_lines`)."""
    most = fit.column.max_lines if lines is None else lines
    return any(wrap_lines(c, width, most)[-1].endswith(ELLIPSIS) for c in fit.cells)


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


def _rich_tables(
    tables: Sequence[tuple[str | None, Sequence[Mapping[str, Any]]]],
    columns: Sequence[Column],
    env: Environment,
    stream: IO[str],
    view: View,
    year: int | None = None,
    offers_view: bool = False,
) -> None:
    """Tables that fit the terminal, laid out as one: a column with nothing in any row left
    out (there is nothing to read in it), low-priority columns hidden (and named in a dim
    footer, which advises --wide and --columns where the command has them), long text
    truncated at a word; `--wide` shows every column at full width, `--columns` those
    named, empty or not."""
    wide = view.wide
    from rich import box
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
    if console.width < 1:  # COLUMNS=0 (a wrapper's) drew nothing: the terminal's own width
        import shutil

        console.width = shutil.get_terminal_size().columns
    rows = [row for _, part in tables for row in part]
    fits = [
        _fit(
            c,
            [
                _short(c, people_text(row.get(c.key), env, year, one_line=not c.wrap))
                for row in rows
            ],
        )
        for c in columns
    ]
    if not (wide or view.columns):
        fits = [f for f in fits if f.column.asked or any(f.cells)]
    shown, hidden = fit_columns(fits, console.width, wide)
    if wide:
        console.width = max(console.width, sum(f.width for f in shown) + GAP * len(shown))
    bold = "bold" if env.colour else ""
    first = 0
    tables_shown: list[Table] = []
    for title, part in tables:
        table = Table(
            title=None if title is None else for_people(title),
            title_justify="left",
            header_style=bold,
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
        )
        for fit in shown:
            table.add_column(
                fit.header,
                justify="right" if fit.column.numeric else "left",
                no_wrap=not fit.column.wrap,
                width=fit.width,
                overflow="fold" if fit.column.wrap else "ellipsis",
            )
        for index in range(first, first + len(part)):
            table.add_row(
                *(
                    _styled(f.column.key, _cell(f, index), env, rows[index].get(f.column.key))
                    for f in shown
                )
            )
        first += len(part)
        tables_shown.append(table)
    with console.capture() as captured:
        for table in tables_shown:
            console.print(table, overflow="fold" if wide else "ellipsis", crop=not wide)
        legend = {
            f"{form} {meaning}": None
            for fit in shown
            for value, form, meaning in fit.column.short
            if form in fit.cells
        }
        if legend:
            console.print("; ".join(legend), style="dim" if env.colour else "", overflow="fold")
        if hidden:
            names = ", ".join(f.column.header.lower() for f in hidden)
            # a command without --wide (national) still shows every column in plain text
            advice = "; --wide or --columns" if offers_view else "; -f plain shows every column"
            console.print(
                f"{len(hidden)} column{'s' if len(hidden) > 1 else ''} hidden ({names}){advice}",
                style="dim" if env.colour else "",
                overflow="fold",
            )
    stream.write(_PADDING.sub("", captured.get()))


# The spaces rich pads a line's last cell (and a wrapped footer) with, before any closing
# colour codes: unseen on a terminal, but kept by a file, a pager or a copy (`-f table`)
_PADDING = re.compile(r" +(?=(?:\x1b\[[0-9;]*m)*$)", re.MULTILINE)


_STATUS_STYLES = {"green": "green", "amber": "yellow", "red": "bold red", "void": "dim"}


def _short(column: Column, text: str) -> str:
    """A value in a table, in its short form if the column declares one."""
    return next((form for value, form, _ in column.short if value == text), text)


def _cell(fit: _Fit, index: int) -> str:
    text = fit.cells[index]
    if fit.column.wrap:
        return text
    if fit.column.max_lines > 1:
        return "\n".join(wrap_lines(text, fit.width, fit.column.max_lines))
    return truncate(text, fit.width)


def wrap_lines(text: str, width: int, most: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces, and at most `most` of
    them: the last cut at a word with an ellipsis when the text goes on (`truncate`)."""
    from rich.cells import cell_len

    lines: list[str] = []
    words = text.split(" ")
    while len(lines) < most - 1 and cell_len(" ".join(words)) > width:
        line, taken = "", 0
        for word in words:
            joined = f"{line} {word}" if taken else word
            if cell_len(joined) > width:
                break
            line, taken = joined, taken + 1
        if not taken:  # one word wider than the column: cut on the last line
            break
        lines.append(line)
        words = words[taken:]
    lines.append(truncate(" ".join(words), width))
    return lines


def _styled(key: str, text: str, env: Environment, raw: Any = None) -> Any:
    if env.colour and isinstance(raw, Trend) and text == raw.spark():
        from rich.text import Text

        bars = Text()
        for bar, status in zip(text, raw.statuses, strict=True):
            bars.append(bar, style=_STATUS_STYLES.get(status, "dim"))
        return bars
    if env.colour and key == "status" and text in _STATUS_STYLES:
        from rich.text import Text

        return Text(text, style=_STATUS_STYLES[text])
    return text


def message(text: str) -> None:
    """A note for the person at the terminal (or the cron log): stderr, never stdout."""
    print(for_people(text), file=sys.stderr)


# A year no date has: every date in a record says its year (`agreed 10/09/2026`), as one
# read alone is not set against a column of this year's dates
EVERY_YEAR = 0


def field_label(key: str) -> str:
    """A record's field as people read it: `agreed_on` -> `Agreed on`."""
    return key.replace("_", " ").capitalize()


def render_record(
    record: Mapping[str, Any],
    fmt: Format | None,
    env: Environment,
    *,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """One record (`team show`, `pledge show`): field/value rows, or one JSON object. A
    table or plain text names each field as people read it (`labels`, else `field_label`)
    and says every date with its year; CSV and JSON keep the machine keys and ISO dates."""
    chosen = resolve_format(fmt, env)
    if chosen is Format.JSON:
        data = {k: json_value(v) for k, v in record.items()}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
        return
    if chosen is Format.CSV:
        write_listing_csv([record], [Column(k, k) for k in record], sys.stdout)
        return
    named = labels or {}
    rows = [{"field": named.get(k) or field_label(k), "value": v} for k, v in record.items()]
    columns = [
        Column("field", "Field"),
        Column("value", "Value", wrap=True, min_width=20, lines=True),
    ]
    render(rows, columns, chosen, env, title=title, year=EVERY_YEAR)
