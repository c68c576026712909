"""Files people open in a spreadsheet (FRESH2 G27, G13): `--bom` CSV that Excel opens by
double-click with accents right, and that every reader of ours takes back verbatim, with or
without the mark, the formula guard removed again."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import invoke
from helpers import Run, nothing_written, ok
from pledgetrack import csvcodec, spreadsheet
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.services import exporter

BOM = b"\xef\xbb\xbf"
DASH = "\N{EN DASH}"  # as Word types it between words
HEADER = b"id,team,pledge,when,received,description,kind,officer,partner,hours,abstracted,ref,"
# What people type that a spreadsheet (or our guard) looks at twice
TEXTS = [
    (f"Patrol at Café {DASH} Castle Park", "PC Stéphane Dubois", "Siobhán, Zoë & Łukasz", "007"),
    ("=1+1", "@SUM(A1)", "+44 7700 900123", "1E5"),
    ("-2 youths moved on", "'quoted", "'=apostrophe first", "0123"),
    ("\ufeffa mark inside", "-2", "+44", "12/10"),
]
STORED = "SELECT description, officer, partner, ext_ref FROM actions ORDER BY id"


def stored(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(STORED).fetchall()
    finally:
        conn.close()


@pytest.fixture
def logged(cli: Run, db: Path, tmp_path: Path) -> Path:
    """CW01 with one weekly patrol pledge and the actions of TEXTS; returns an empty copy
    (the team and pledge, no actions) to import into."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
           "--agreed", "2008-09-01"))  # fmt: skip
    empty = tmp_path / "empty.db"
    shutil.copy(db, empty)
    for day, (description, officer, partner, ref) in enumerate(TEXTS, start=1):
        ok(cli("log", "CW01-L1", f"--officer={officer}", f"--partner={partner}", "--ref", ref,
               "--when", f"2008-10-0{day} 10:00", "--", description))  # fmt: skip
    return empty


def test_bom_file_starts_with_the_mark_once_and_imports_back_verbatim(
    logged: Path, cli: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    out = tmp_path / "acts.csv"
    ok(cli("export", "actions", "--bom", "-o", str(out)))
    raw = out.read_bytes()
    assert raw.startswith(BOM + HEADER)
    assert raw.count(BOM) == 2  # the mark, and the U+FEFF inside a description
    text = raw.decode("utf-8")
    assert f"Café {DASH} Castle Park" in text and ",007," in text and ",1E5," in text
    assert "'=1+1" in text and "'@SUM(A1)" in text and "'-2 youths" in text  # guarded
    target = tmp_path / "target.db"
    shutil.copy(logged, target)
    ok(invoke(["--db", str(target), "import", "actions", str(out)], env))
    assert stored(target) == stored(db) == [
        (d, o, p, r) for d, o, p, r in TEXTS
    ]


def test_without_bom_the_file_is_as_before_and_imports_alike(
    logged: Path, cli: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    ok(cli("export", "actions", "-o", str(plain)))
    ok(cli("export", "actions", "--bom", "-o", str(marked)))
    assert plain.read_bytes().startswith(HEADER)
    assert marked.read_bytes() == BOM + plain.read_bytes()
    for name, source in (("a.db", plain), ("b.db", marked)):
        target = tmp_path / name
        shutil.copy(logged, target)
        ok(invoke(["--db", str(target), "import", "actions", str(source)], env))
        assert stored(target) == stored(db)
    # the marked file again adds nothing: its rows are the same rows
    result = ok(invoke(["--db", str(tmp_path / "a.db"), "import", "actions", str(marked)], env))
    assert stored(tmp_path / "a.db") == stored(db)
    assert "imported 0 actions from 4 rows; 4 duplicates skipped" in result.stderr


def test_bom_on_stdout_too_when_asked_never_unasked(logged: Path, cli: Run) -> None:
    assert ok(cli("export", "actions", "--bom")).stdout_bytes.startswith(BOM + HEADER)
    assert ok(cli("export", "actions")).stdout_bytes.startswith(HEADER)


def test_an_empty_export_with_bom_is_the_mark_and_the_header(
    cli: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    out = tmp_path / "none.csv"
    result = ok(cli("export", "actions", "--bom", "-o", str(out)))
    assert "wrote 0 rows" in result.stderr
    raw = out.read_bytes()
    assert raw.startswith(BOM + HEADER) and raw.count(b"\n") == 1
    with nothing_written(db):
        result = ok(invoke(["--db", str(db), "import", "actions", str(out)], env))
    assert "imported 0 actions from 0 rows" in result.stderr


@pytest.mark.parametrize("command", [["export", "summary", "--period", "2008-10"],
                                     ["export", "pledges"], ["export", "teams"]])  # fmt: skip
def test_every_export_takes_bom(logged: Path, cli: Run, command: list[str]) -> None:
    plain = ok(cli(*command)).stdout_bytes
    assert ok(cli(*command, "--bom")).stdout_bytes == BOM + plain


def test_pledges_and_teams_with_bom_import_back(
    cli: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    ok(cli("team", "add", "CW01", "--name", f"Café Ward {DASH} Stéphane's", "--no-national"))
    ok(cli("pledge", "add", "CW01", "=Zoë's 007 pledge", "--agreed", "2008-09-01",
           "--meeting", "+44 PACT, Siobhán"))  # fmt: skip
    teams, pledges = tmp_path / "t.csv", tmp_path / "p.csv"
    ok(cli("export", "teams", "--bom", "-o", str(teams)))
    ok(cli("export", "pledges", "--bom", "-o", str(pledges)))
    other = tmp_path / "other.db"
    ok(invoke(["--db", str(other), "import", "teams", str(teams)], env))
    ok(invoke(["--db", str(other), "import", "pledges", str(pledges)], env))
    again = ok(invoke(["--db", str(other), "export", "pledges"], env)).stdout
    assert again == ok(cli("export", "pledges")).stdout
    assert "'=Zoë's 007 pledge" in again and "'+44 PACT, Siobhán" in again
    assert ok(invoke(["--db", str(other), "export", "teams"], env)).stdout == ok(
        cli("export", "teams")
    ).stdout


def test_rollup_reads_bom_summaries_and_writes_one_when_asked(
    logged: Path, cli: Run, env: Environment, tmp_path: Path
) -> None:
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    args = ("export", "summary", "--period", "2008-10", "--as-of", "2008-11-01")
    ok(cli(*args, "-o", str(plain)))
    ok(cli(*args, "--bom", "-o", str(marked)))
    rolled = ["rollup", "--period", "2008-10", "--as-of", "2008-11-01"]
    from_plain = ok(invoke([*rolled, str(plain)], env)).stdout_bytes
    assert ok(invoke([*rolled, str(marked)], env)).stdout_bytes == from_plain == plain.read_bytes()
    assert ok(invoke([*rolled, str(marked), "--bom"], env)).stdout_bytes == marked.read_bytes()
    # the same figures from a marked and an unmarked file count once
    assert ok(invoke([*rolled, str(plain), str(marked)], env)).stdout_bytes == from_plain


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["export", "actions", "--bom", "--format", "json"], "--bom is for CSV files; json"),
        (["export", "actions", "--bom", "-o", "x.jsonl"], "--bom is for CSV files; jsonl"),
        (["rollup", "pt.db", "--league", "--bom"], "--bom is for the rows' CSV: with --league"),
    ],
)
def test_bom_where_no_csv_is_written_is_refused_before_any_work(
    logged: Path, cli: Run, tmp_path: Path, args: list[str], says: str
) -> None:
    args = [str(tmp_path / a) if a in ("x.jsonl", "pt.db") else a for a in args]
    result = cli(*args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(f"error: {says}") and result.stderr.count("\n") == 1
    assert not (tmp_path / "x.jsonl").exists()


# .xlsx (G13): typed cells, so a spreadsheet shows refs as written


def workbook(path: Path | io.BytesIO) -> list[list[tuple[str, str]]]:
    """The first sheet's rows as (type, text) cells: "s" text, "n" number, "" empty; the
    XML read as a spreadsheet reads it, with Excel's _xHHHH_ escapes decoded."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml  # not one formula, whatever the text
    rows: list[list[tuple[str, str]]] = []
    for row in ET.fromstring(xml).iter(f"{NS}row"):
        rows += [[]] * (int(row.get("r", "0")) - 1 - len(rows))  # an empty row has no XML
        cells: list[tuple[str, str]] = []
        for cell in row.iter(f"{NS}c"):
            col = _column(cell.get("r", ""))
            cells += [("", "")] * (col - len(cells))
            if cell.get("t") == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{NS}t"))
                cells.append(("s", _unescape(text)))
            else:
                cells.append(("n", cell.findtext(f"{NS}v") or ""))
        rows.append(cells)
    return rows


NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters
    number = 0
    for ch in letters[0]:
        number = number * 26 + ord(ch) - 64
    return number - 1


def _unescape(text: str) -> str:
    return re.sub(
        r"_x([0-9A-F]{4})_", lambda m: chr(int(m[1], 16)), text.replace("_x005F_", "\0")
    ).replace("\0", "_")


def test_xlsx_has_every_text_as_written_and_numbers_as_numbers(
    logged: Path, cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "acts.xlsx"
    result = ok(cli("export", "actions", "-o", str(out)))
    assert result.stderr == f"wrote 4 rows to {out}\n"
    rows = workbook(out)
    header = [text for _, text in rows[0]]
    assert header == list(exporter.ACTION_FIELDS)
    col = {name: i for i, name in enumerate(header)}
    for row, (description, officer, partner, ref) in zip(rows[1:], TEXTS, strict=True):
        assert row[col["description"]] == ("s", description)  # =1+1 too: no guard
        assert row[col["officer"]] == ("s", officer)
        assert row[col["partner"]] == ("s", partner)
        assert row[col["ref"]] == ("s", ref)  # 007, 1E5, 0123, 12/10 as typed
        assert row[col["id"]][0] == row[col["abstracted"]][0] == "n"
        assert row[col["when"]][0] == "s"
    # the same values as the CSV, which carries the guard for people
    csv_file = tmp_path / "acts.csv"
    ok(cli("export", "actions", "-o", str(csv_file)))
    for (_, cells), row in zip(csvcodec.read_csv(csv_file), rows, strict=True):
        texts = [text for _, text in row] + [""] * (len(cells) - len(row))
        assert texts == cells


def test_xlsx_text_shaped_like_its_own_xml_is_escaped(
    cli: Run, tmp_path: Path
) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
           "--agreed", "2008-09-01"))  # fmt: skip
    hostile = [
        '<r><t>x</t></r></is></c><c r="Z1"><f>HYPERLINK("http://x.example","y")</f></c>'
        '<c r="Z2" t="inlineStr"><is><r><t>y</t></r>',
        "<r></r>",
        " <r>a</r> ",
        "_x0041_ stays",
        "\x01 control\r\nand lines\t",
    ]
    for day, text in enumerate(hostile, start=1):
        ok(cli("log", "CW01-L1", "--when", f"2008-10-0{day} 10:00", "--", text))
    out = tmp_path / "h.xlsx"
    ok(cli("export", "actions", "-o", str(out)))
    rows = workbook(out)
    assert [row[5] for row in rows[1:]] == [("s", text) for text in hostile]
    assert all(len(row) <= len(exporter.ACTION_FIELDS) for row in rows)


def test_an_empty_xlsx_export_is_its_header(cli: Run, tmp_path: Path) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    out = tmp_path / "none.xlsx"
    assert ok(cli("export", "pledges", "-o", str(out))).stderr == f"wrote 0 rows to {out}\n"
    (header,) = workbook(out)
    assert [t for _, t in header][:3] == ["team", "title", "at_least"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--format", "xlsx"], "--format xlsx writes a file, not text for a terminal or a pipe"),
        (["-o", "-", "--format", "xlsx"], "--format xlsx writes a file"),
        (["-o", "x.xlsx", "--bom"], "--bom is for CSV files; xlsx is written without"),
        (["-o", "x.xlsx", "--format", "csv"], "-o x.xlsx names a .xlsx file but --format is csv"),
        (["-o", "x.ods"], "-o x.ods: pledgetrack does not write .ods files; it writes .csv, "
                          ".json, .jsonl or .xlsx (a spreadsheet opens .xlsx)"),
    ],
)  # fmt: skip
def test_xlsx_refusals_come_before_any_work(
    logged: Path, cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    args: list[str], says: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = cli("export", "actions", *args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(f"error: {says}") and result.stderr.count("\n") == 1
    assert not list(tmp_path.glob("x.*")) and result.stdout == ""


@pytest.mark.parametrize(("limit", "fits"), [(5, True), (4, False)])
def test_a_sheet_holds_its_rows_and_no_more(
    logged: Path, cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    limit: int, fits: bool,
) -> None:  # fmt: skip
    """A sheet's limit counts the header: 4 actions need 5 rows."""
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", limit)
    out = tmp_path / "acts.xlsx"
    out.write_bytes(b"the earlier file")
    result = cli("export", "actions", "-o", str(out))
    if fits:
        ok(result)
        assert len(workbook(out)) == 5
        return
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "error: 4 rows or more do not fit in a spreadsheet's sheet (at most 3 below the "
        "header): write .csv, or fewer rows (--from/--to, --team, --period)\n"
    )
    assert out.read_bytes() == b"the earlier file"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(("text", "fits"), [("a" * 30, True), ("a" * 31, False),
                                            ("\N{POLICE CAR}" * 15, True),
                                            ("\N{POLICE CAR}" * 15 + "a", False)])  # fmt: skip
def test_a_cell_holds_its_characters_as_a_spreadsheet_counts_them(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, fits: bool
) -> None:
    """A cell's limit is in UTF-16 units: an emoji is two."""
    monkeypatch.setattr(spreadsheet, "MAX_TEXT", 30)
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", text, "--agreed", "2008-09-01"))
    out = tmp_path / "p.xlsx"
    result = cli("export", "pledges", "-o", str(out))
    if fits:
        ok(result)
        assert workbook(out)[1][1] == ("s", text)
        return
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "error: row 1, title: 31 characters do not fit in a spreadsheet's cell (at most 30): "
        "write .csv\n"
    )
    assert not out.exists()


def test_rollup_writes_xlsx_and_import_refuses_one_by_name(
    logged: Path, cli: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    out = tmp_path / "r.xlsx"
    ok(invoke(["rollup", str(db), "--period", "2008-10", "--as-of", "2008-11-01",
               "-o", str(out)], env))  # fmt: skip
    rows = workbook(out)
    assert [t for _, t in rows[0]][:2] == ["force", "team"] and len(rows) == 2
    with zipfile.ZipFile(out) as z:
        assert 'name="rollup"' in z.read("xl/workbook.xml").decode()
    acts = tmp_path / "acts.xlsx"
    ok(cli("export", "actions", "-o", str(acts)))
    for args in (["--db", str(db), "import", "actions", str(acts)],
                 ["rollup", str(acts), "--period", "2008-10"]):  # fmt: skip
        with nothing_written(db):
            result = invoke(args, env)
        assert result.exit_code == ExitCode.USAGE
        assert result.stderr == (
            f"error: {acts}: a spreadsheet workbook (.xlsx), not CSV: save it from the "
            "spreadsheet as CSV UTF-8 (comma delimited), or read the CSV export\n"
        )


class _Sheet:
    def __init__(self) -> None:
        self.cells: list[tuple[str, Any]] = []

    def write_number(self, row: int, col: int, value: Any) -> None:
        self.cells.append(("n", value))

    def write_string(self, row: int, col: int, value: Any) -> None:
        self.cells.append(("s", value))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (True, ("n", 1)), (0, ("n", 0)), (7.5, ("n", 7.5)), (2**53 - 1, ("n", 2**53 - 1)),
        (2**53, ("s", "9007199254740992")), (-(2**53), ("s", "-9007199254740992")),
        (date(2008, 10, 1), ("s", "2008-10-01")), ("007", ("s", "007")),
    ],
)  # fmt: skip
def test_each_value_is_written_as_its_type(value: object, cell: tuple[str, Any]) -> None:
    """Numbers a spreadsheet holds exactly are numbers; a larger integer would lose its
    last digits, so it is text, as are dates (ISO, as in the CSV)."""
    sheet = _Sheet()
    spreadsheet._write(sheet, 1, 0, value)
    assert sheet.cells == [cell]


# Text as our rules allow it (no NUL, no lone surrogate: domain.text refuses both before
# anything is stored), leaning to what XlsxWriter and Excel treat specially
_SPECIAL = ["<r>", "</r>", "<", ">", "&", "_x0041_", "_x005F_", "_x", "\r", "\n", "\t",
            "\x01", "\x1f", "\ufffe", "\uffff", " ", "=", "'", "\N{POLICE CAR}", "é"]  # fmt: skip
_STORABLE = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
_TEXT = st.lists(
    st.sampled_from(_SPECIAL) | st.text(_STORABLE, max_size=4),
    max_size=8,
).map("".join)
_CELL = _TEXT | _TEXT.map(lambda t: f"<r>{t}</r>")  # the shape XlsxWriter took for its XML


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=2, max_size=2), min_size=1, max_size=4))
def test_any_text_comes_back_from_the_workbook_as_written(rows: list[list[str]]) -> None:
    out = io.BytesIO()
    assert spreadsheet.write_xlsx(rows, ["a", "b"], out, "rows") == len(rows)
    back = workbook(out)[1:]
    back += [[]] * (len(rows) - len(back))  # trailing empty rows have no XML either
    assert [[t for _, t in row] + [""] * (2 - len(row)) for row in back] == rows
    assert all(kind in ("s", "") for row in back for kind, _ in row)


def test_text_shaped_like_markup_that_would_be_cut_is_refused(
    cli: Run, tmp_path: Path
) -> None:
    """A text written as <r>...</r> is escaped in the XML: 10,007 characters of `&` take
    50,000 there, more than a cell holds; refused, not cut into a broken file."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "<r>" + "&" * 10_000 + "</r>", "--agreed", "2008-09-01"))
    out = tmp_path / "p.xlsx"
    result = cli("export", "pledges", "-o", str(out))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "error: row 1, title: text written as <r>...</r> takes more than a spreadsheet's "
        "cell holds (32,767 characters): write .csv\n"
    )
    assert not out.exists()


def test_an_install_without_xlsxwriter_says_so_before_any_work(
    logged: Path, cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editable install upgraded without reinstalling lacks the new dependency."""
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)  # import then raises ImportError
    out = tmp_path / "acts.xlsx"
    result = cli("export", "actions", "-o", str(out))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "error: writing .xlsx needs the XlsxWriter package, which this installation lacks "
        "(reinstall pledgetrack, or pip install xlsxwriter); .csv needs nothing\n"
    )
    assert not out.exists()
