"""The output modules on their own: the one CSV writer and reader, the formula guard,
numbers in cells, and rich tables that stay readable on an 80-column terminal."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import LONDON
from pledgetrack import csvcodec, records, render
from pledgetrack.environment import Environment
from pledgetrack.records import DataFormat
from pledgetrack.render import Column, Format

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


# --- the formula guard ---------------------------------------------------------------------


@given(ANY_TEXT)
def test_restore_undoes_neutralise_for_every_text(text: str) -> None:
    assert csvcodec.restore(csvcodec.neutralise(text)) == text


@given(ANY_TEXT)
def test_a_guarded_cell_never_starts_a_formula(text: str) -> None:
    cell = csvcodec.neutralise(text)
    assert not cell.startswith(csvcodec.FORMULA_PREFIXES) or re.fullmatch(r"[+-][\d.eE+-]+", cell)


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("'=apostrophe first", "''=apostrophe first"),
        ("''+two", "'''+two"),
        ("'quoted", "'quoted"),
        ("'", "'"),
        ("\rcr", "'\rcr"),
        ("-2.5", "-2.5"),
        ("+44", "+44"),
        ("-1e3", "-1e3"),
        ("+44 20", "'+44 20"),
        ("-inf", "'-inf"),
        ("plain", "plain"),
    ],
)
def test_neutralise_examples(text: str, cell: str) -> None:
    assert csvcodec.neutralise(text) == cell
    assert csvcodec.restore(cell) == text


def test_numbers_and_other_values_are_not_touched() -> None:
    assert csvcodec.neutralise(-2) == -2
    assert csvcodec.neutralise(None) is None


# --- one CSV writer -------------------------------------------------------------------------

FIELDS = st.lists(ANY_TEXT, min_size=1, max_size=4)


@given(st.lists(FIELDS, max_size=4))
def test_csv_reads_back_cell_for_cell_with_newline_row_ends(records: list[list[str]]) -> None:
    width = max((len(r) for r in records), default=1)
    rows = [r + [""] * (width - len(r)) for r in records]
    header = [f"c{i}" for i in range(width)]
    out = io.StringIO(newline="")
    assert csvcodec.write_csv(rows, header, out) == len(rows)
    text = out.getvalue()
    assert text.endswith("\n") and not text.endswith("\r\n")
    parsed = read_csv(text)
    assert parsed[0] == header
    assert [[csvcodec.restore(c) for c in r] for r in parsed[1:]] == rows


@given(st.lists(FIELDS, max_size=4))
def test_our_reader_gives_back_exactly_what_our_writer_was_given(records: list[list[str]]) -> None:
    """Every reader of our CSV (import, rollup, demo) goes through `read_csv`, which undoes
    the formula guard: text survives a round trip verbatim, '=SUM(A1)' included."""
    width = max((len(r) for r in records), default=1)
    rows = [r + [""] * (width - len(r)) for r in records]
    header = [f"c{i}" for i in range(width)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            csvcodec.write_csv(rows, header, fh)
        back = list(csvcodec.read_csv(path))
    assert [cells for _, cells in back] == [header, *rows]


def test_our_reader_numbers_records_by_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text('a,b\n\n"two\nlines",\'=1+1\nx,y\n', encoding="utf-8")
    assert list(csvcodec.read_csv(path)) == [
        (1, ["a", "b"]),
        (3, ["two\nlines", "=1+1"]),
        (5, ["x", "y"]),
    ]


def test_a_lone_carriage_return_is_quoted() -> None:
    out = io.StringIO(newline="")
    csvcodec.write_csv([["a\rb", "c\nd", "e\r\nf", 'say "hi", then', "x"]], "abcde", out)
    assert out.getvalue() == 'a,b,c,d,e\n"a\rb","c\nd","e\r\nf","say ""hi"", then",x\n'


def test_listings_and_exports_write_the_same_csv() -> None:
    moment = datetime(2008, 10, 3, 19, 30, tzinfo=LONDON)
    row: dict[str, Any] = {
        "id": 7,
        "when": moment,
        "day": date(2008, 10, 3),
        "text": "=1+1",
        "hours": 2.5,
        "flag": True,
        "none": None,
    }
    columns = [Column(k, k.title()) for k in row]
    listing, export = io.StringIO(newline=""), io.StringIO(newline="")
    render.write_listing_csv([row], columns, listing)
    records.write_records([tuple(row.values())], list(row), DataFormat.CSV, export)
    assert listing.getvalue() == export.getvalue()
    assert listing.getvalue().splitlines() == [
        "id,when,day,text,hours,flag,none",
        "7,2008-10-03T19:30:00+01:00,2008-10-03,'=1+1,2.5,1,",
    ]


# --- numbers in tables and plain text -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(7.25, "7.25"), (7.3, "7.3"), (8.0, "8"), (137.5, "137.5"), (0.125, "0.12"), (-0.001, "0")],
)
def test_cell_text_keeps_up_to_two_decimals(value: float, text: str) -> None:
    assert render.cell_text(value) == text


# any character, and those the patterns name (a stray surrogate is not drawn by default)
PEOPLE_TEXT = st.text(
    alphabet=st.characters(exclude_categories=())
    | st.sampled_from("\x1b\r\n\t\x7f\x9b\u2028\u202e\u2066\udcc3 a"),
    max_size=12,
)


@given(text=PEOPLE_TEXT, one_line=st.booleans())
def test_text_for_people_is_escaped_the_same_with_the_printable_shortcut(
    text: str, one_line: bool
) -> None:
    """`for_people` skips its patterns for printable text (checked in C): every character
    the patterns escape, a line feed, a control, a bidi override, a stray surrogate, makes
    the text unprintable, so the shortcut returns exactly what the patterns would."""
    pattern = render._UNSHOWABLE_IN_A_LINE if one_line else render._UNSHOWABLE
    assert render.for_people(text, one_line=one_line) == pattern.sub(render._escape, text)
    assert render.cell_text(text, one_line=one_line) == pattern.sub(render._escape, text)


# --- rich tables at 80 columns ---------------------------------------------------------------

REFS = [f"CW01-N{n}" for n in (1, 3, 10)]
TITLE = "Report back on every resident report of drug dealing within 48 hours of receiving it"
ROWS = [
    {
        "ref": ref,
        "title": TITLE,
        "status": "not-measured",
        "hours": 7.25,
        "last": date(2008, 10, 31),
    }
    for ref in REFS
]
COLUMNS = [
    Column("ref", "Ref"),
    Column("title", "Title", truncate=True),
    Column("status", "Status"),
    Column("hours", "Hours", numeric=True),
    Column("last", "Last action"),
]


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, env: Environment) -> Environment:
    """A colour terminal 80 columns wide, as rich sees one."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    return dataclasses.replace(env, stdout_isatty=True)


def table_lines(
    rows: list[dict[str, Any]],
    columns: list[Column],
    env: Environment,
    view: render.View | None = render.View(),
) -> list[str]:
    """The table as a colour terminal shows it; `view` as a command with --wide and
    --columns passes it (None: a command without them)."""
    out = io.StringIO()
    render.render(rows, columns, Format.TABLE, env, title="Pledges", out=out, view=view)
    text = out.getvalue()
    assert "\x1b[" in text  # the positive control: this is the colour terminal's table
    return ANSI.sub("", text).splitlines()


def test_short_values_stay_whole_and_long_text_is_cut_at_a_word(terminal: Environment) -> None:
    lines = table_lines(ROWS, COLUMNS, terminal)
    assert max(len(line.rstrip()) for line in lines) <= 80
    for ref in REFS:
        (line,) = [line for line in lines if line.startswith(f"{ref} ")]
        assert " 31/10" in line and "not-measured" in line and "7.25" in line
        kept = line[line.index("Report") :].split("…")[0]
        assert TITLE.startswith(kept) and TITLE[len(kept)] == " "  # cut where a word ends
    assert len([line for line in lines if line.startswith("CW01-")]) == len(ROWS)


def test_a_header_wraps_over_a_narrow_column(terminal: Environment) -> None:
    lines = table_lines(ROWS, COLUMNS, terminal)
    header = "\n".join(lines[:6])
    assert "Last" in header and "action" in header and "Last action" not in header


def test_too_many_columns_for_the_width_hide_the_rightmost_and_say_so(
    terminal: Environment,
) -> None:
    wide = [Column(f"c{n}", f"Column {n}") for n in range(10)]
    rows = [{**{f"c{n}": TITLE for n in range(10)}, "c0": ref, "c1": "2008-10-31"} for ref in REFS]
    lines = table_lines(rows, wide, terminal)
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert lines[0].rstrip() == "Pledges"
    assert [line.split()[0] for line in lines if line.startswith("CW01-")] == REFS
    footer = " ".join(line.strip() for line in lines[lines.index(lines[-1]) - 1 :])
    assert "columns hidden (column " in footer and "column 9); --wide or --columns" in footer


def test_refs_and_dates_are_unbroken_in_real_listings_at_80_columns(
    cli_with: Any, team: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pledge list` and `summary` fit as one table each: no ref or date split, one row a line."""
    monkeypatch.setenv("COLUMNS", "80")
    run = cli_with(stdout_isatty=True, no_color=True)
    listing = run("pledge", "list").stdout.splitlines()
    assert max(len(line.rstrip()) for line in listing) <= 80
    (n10,) = [line for line in listing if " CW01-N10 " in line]
    assert n10.startswith("CW01 ") and "16/10" in n10
    report = run("summary", "--period", "2008-10", "--as-of", "2008-10-31 12:00").stdout
    lines = report.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert len([line for line in lines if line.startswith("CW01-N10 ")]) == 1


def test_plain_text_shows_number_like_text_as_it_was_typed(env: Environment) -> None:
    """Plain output (piped) prints each cell's own text: a title `1e3` stays `1e3` (not
    1000), `007` stays `007`, `7.50` stays `7.50`; numeric columns still align right."""
    columns = [Column("title", "Title"), Column("ref", "Ref"), Column("n", "N", numeric=True)]
    rows = [{"title": "1e3", "ref": "007", "n": 5}, {"title": "7.50", "ref": "-0", "n": 12}]
    out = io.StringIO()
    render.render(rows, columns, Format.PLAIN, env, out=out)
    lines = out.getvalue().splitlines()
    assert lines[2].split() == ["1e3", "007", "5"]
    assert lines[3].split() == ["7.50", "-0", "12"]
    assert lines[2].endswith(" 5") and lines[3].endswith("12")


@pytest.mark.parametrize(
    ("value", "header"),
    [
        ("", ["aa bb", "cc"]),  # not aa / bb / cc: two lines at most
        ("x" * 7, ["aa bb", "cc"]),
        ("x" * 8, ["aa bb cc"]),  # values as wide as the header: one line
    ],
)
def test_a_header_over_whole_values_takes_two_lines_at_most(
    env: Environment, monkeypatch: pytest.MonkeyPatch, value: str, header: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    # an empty column is left out unless asked for: asked here, to see its header
    view = render.View(columns=("k",))
    render.render([{"k": value}], [Column("k", "aa bb cc")], Format.TABLE, env, out=out, view=view)
    lines = [line.rstrip() for line in out.getvalue().splitlines()]
    assert lines[: len(header)] == header and set(lines[len(header)]) == {"─"}


# Values of every type a listing's cell holds, text that looks like a number or an empty one
CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.sampled_from(["", " ", "0", "-0", "1e3", "007", "7.50", "True", "\x01", "a\tb", "\x1b[31m"]),
    st.dates(),
    ANY_TEXT,
)


# an environment for the pure tests of cells (hypothesis takes no function fixture)
ENV = Environment(
    tz=LONDON, stdout_isatty=False, stdin_isatty=False, no_color=False, user="t",
    data_dir=Path(tempfile.gettempdir()), vars={},
    clock=lambda tz: datetime(2008, 10, 16, tzinfo=LONDON),
)  # fmt: skip


@given(st.lists(st.tuples(CELL_VALUES, CELL_VALUES, CELL_VALUES), min_size=1, max_size=6))
def test_plain_cells_print_the_same_table_as_their_text(rows: list[tuple[Any, ...]]) -> None:
    """`plain_cell` passes a count as an int and an empty cell as None (cheaper for
    tabulate, which scans every text cell for ANSI codes): the table is the same, to the
    byte, as the one of every cell's text."""
    columns = [Column("a", "A"), Column("b", "B", numeric=True), Column("c", "C c")]
    as_text = [[render.people_text(v, ENV) for v in row] for row in rows]
    cheaper = [[render.plain_cell(v, ENV) for v in row] for row in rows]
    assert render.plain_table(cheaper, columns) == render.plain_table(as_text, columns)


def test_plain_cell_keeps_only_counts_and_empties_apart_from_their_text() -> None:
    assert render.plain_cell(12, ENV) == 12 and render.plain_cell(-3, ENV) == -3
    assert render.plain_cell(True, ENV) == "yes" and render.plain_cell(False, ENV) == "no"
    assert render.plain_cell(None, ENV) is None and render.plain_cell("", ENV) is None
    assert render.plain_cell(7.5, ENV) == "7.5" and render.plain_cell(" ", ENV) == " "
    # a day is for people, as in a table: the year only when it is not `year`
    assert render.plain_cell(date(2008, 10, 26), ENV, 2008) == "26/10"
    assert render.plain_cell(date(2008, 10, 26), ENV, 2009) == "26/10/2008"
