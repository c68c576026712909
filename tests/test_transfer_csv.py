"""CSV that survives the trip: export actions -> import actions gives back every text exactly,
carriage returns and leading apostrophes included, and the closing line counts in English."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import invoke
from helpers import LONDON, NOW, Run, assert_error, ok
from pledgetrack.domain.models import Action
from pledgetrack.domain.text import MOST_CHARACTERS, blank
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.services import importer
from pledgetrack.store import actions as action_store
from pledgetrack.store.connection import open_store

LOGGED = "SELECT a.description, a.officer, a.partner, a.void_reason FROM actions a ORDER BY a.id"


def texts(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(LOGGED).fetchall()
    finally:
        conn.close()


@pytest.fixture
def patrols(cli: Run) -> Run:
    """CW01 with one weekly patrol pledge (L1), agreed on 1 September 2008."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(
        cli(
            "pledge",
            "add",
            "CW01",
            "Patrols",
            "--at-least",
            "1",
            "--per",
            "week",
            "--agreed",
            "2008-09-01",
        )
    )
    return cli


def round_trip(source: Path, empty: Path, work: Path, env: Environment) -> Path:
    """Export `source`'s whole log, import it into a copy of `empty`; the new database."""
    target = work / "target.db"
    shutil.copy(empty, target)
    exported = work / "actions.csv"
    ok(
        invoke(
            ["--db", str(source), "export", "actions", "--include-void", "-o", str(exported)], env
        )
    )
    ok(invoke(["--db", str(target), "import", "actions", str(exported)], env))
    return target


def test_a_lone_carriage_return_is_quoted_and_imports_back(
    patrols: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"
    shutil.copy(db, empty)
    ok(patrols("log", "CW01-L1", "x", "--partner", "\rcr", "--when", "2008-10-01 10:00"))
    ok(patrols("log", "CW01-L1", "two\rlines", "--officer", "PC\r\nJones", "--when", "2008-10-02"))
    exported = tmp_path / "actions.csv"
    ok(patrols("export", "actions", "-o", str(exported)))
    out = exported.read_bytes().decode("utf-8")  # as written: CliRunner's stdout folds \r\n
    assert '"\'\rcr"' in out  # guarded (it starts with \r) and quoted
    assert '"two\rlines"' in out and '"PC\r\nJones"' in out
    assert len(list(csv.DictReader(io.StringIO(out, newline="")))) == 2
    # every row ends in a bare \n; a \r only ever appears inside a quoted field
    assert out.count("\n") - out.count("\r\n") == 3
    listing = ok(patrols("actions", "-f", "csv")).stdout
    assert '"\'\rcr"' in listing
    target = round_trip(db, empty, tmp_path, env)
    assert (
        texts(target)
        == texts(db)
        == [
            ("x", None, "\rcr", None),
            ("two\rlines", "PC\r\nJones", None, None),
        ]
    )


def test_the_longest_text_imports_back(
    patrols: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    """ATTACK4 A6: Python's csv refuses a cell past 131,072 characters by default, and a
    shortcut's words before a long --note make one: our own export did not import back
    (`field larger than field limit (131072)`, naming no column). The longest text kept
    (MOST_CHARACTERS) imports back whole, beside a shortcut's words."""
    empty = tmp_path / "empty.db"
    shutil.copy(db, empty)
    for size in (MOST_CHARACTERS - 1, MOST_CHARACTERS):
        ok(patrols("log", "CW01-L1", "z" * size, "--when", "2008-10-01 10:00"))
    target = round_trip(db, empty, tmp_path, env)
    assert texts(target) == texts(db)
    assert [len(str(d)) for d, *_ in texts(target)] == [MOST_CHARACTERS - 1, MOST_CHARACTERS]


# a row as wide as the header, read column by column; and one short of its nameless last
# column (a spreadsheet's trailing comma in the header), read row by row
@pytest.mark.parametrize("extra", ["", ","])
def test_a_text_longer_than_the_longest_is_refused_naming_its_line_and_column(
    patrols: Run, db: Path, tmp_path: Path, extra: str
) -> None:
    """One 200 MB cell (a quote left open in a spreadsheet) was imported, and every listing
    of its pledge then took minutes and gigabytes (ATTACK6 J7). Nothing is imported."""
    assert_error(
        patrols("log", "CW01-L1", "z" * (MOST_CHARACTERS + 1), "--when", "2008-10-01 10:00"),
        ExitCode.USAGE,
        f"DESCRIPTION is {MOST_CHARACTERS + 1:,} characters long; a text may be at most "
        f"{MOST_CHARACTERS:,} (in a spreadsheet, a quote left open joins the lines after it "
        "into one cell)",
    )
    header = "team,pledge,when,description,kind" + extra
    cells = ",patrol"
    path = tmp_path / "long.csv"
    path.write_text(
        f"{header}\nCW01,CW01-L1,2008-10-01T10:00:00+01:00,ok{cells}\n"
        f"CW01,CW01-L1,2008-10-02T10:00:00+01:00,{'z' * (MOST_CHARACTERS + 1)}{cells}\n"
    )
    before = texts(db)
    result = patrols("import", "actions", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0] == (
        f"line 3: description: is {MOST_CHARACTERS + 1:,} characters long; a text may be at "
        f"most {MOST_CHARACTERS:,} (in a spreadsheet, a quote left open joins the lines after "
        "it into one cell)"
    )
    assert texts(db) == before


def test_an_apostrophe_before_a_formula_character_survives(
    patrols: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"
    shutil.copy(db, empty)
    for text in ("'=apostrophe first", "=formula", "'quoted", "''@twice"):
        ok(patrols("log", "CW01-L1", text, "--when", "2008-10-01 10:00"))
    rows = list(csv.DictReader(io.StringIO(ok(patrols("export", "actions")).stdout)))
    assert [r["description"] for r in rows] == [
        "''=apostrophe first",
        "'=formula",
        "'quoted",
        "'''@twice",
    ]
    target = round_trip(db, empty, tmp_path, env)
    assert [t[0] for t in texts(target)] == [
        "'=apostrophe first",
        "=formula",
        "'quoted",
        "''@twice",
    ]


# --- property: any text in description, officer and partner comes back exactly ---------------

# Any characters but surrogates (not UTF-8) and NUL (refused wherever text enters); a value
# must hold something that shows, as a cell of nothing but spaces, or of characters that
# print as nothing (a lone soft hyphen), is empty (and `log` refuses such a description)
ANY_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
).filter(lambda text: not blank(text))
TRICKY = st.sampled_from(
    ["\rcr", "'=apostrophe first", "''+x", "'", "=1+1", " padded ", "-2.5", "a\r\nb", '"q",']
)
TEXTS = ANY_TEXT | TRICKY
START = datetime(2008, 9, 2, tzinfo=UTC)


@st.composite
def logs(draw: st.DrawFn) -> list[Action]:
    return [
        Action(
            team="CW01",
            pledge="CW01-L1",
            description=draw(TEXTS),
            occurred_at=(START + timedelta(hours=n)).astimezone(LONDON),
            officer=draw(st.none() | TEXTS),
            partner=draw(st.none() | TEXTS),
        )
        for n in range(draw(st.integers(min_value=1, max_value=5)))
    ]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=logs())
def test_any_text_survives_export_then_import(
    patrols: Run, db: Path, env: Environment, tmp_path: Path, batch: list[Action]
) -> None:
    work = tmp_path / "round"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    source = work / "source.db"
    shutil.copy(db, source)
    with open_store(source, create=False, actor="x", clock=lambda: NOW) as store:
        for action in batch:
            action_store.add_action(store, action)
    target = round_trip(source, db, work, env)
    expected = [(a.description, a.officer, a.partner, None) for a in batch]
    assert texts(source) == expected
    assert texts(target) == expected


# --- the closing line ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "rows", "duplicates", "dry_run", "line"),
    [
        (1, 1, 0, False, "imported 1 action from 1 row"),
        (1, 1, 0, True, "would import 1 action from 1 row"),
        (0, 1, 1, False, "imported 0 actions from 1 row; 1 duplicate skipped"),
        (2, 5, 3, False, "imported 2 actions from 5 rows; 3 duplicates skipped"),
        (0, 0, 0, True, "would import 0 actions from 0 rows"),
    ],
)
def test_the_closing_line_counts_in_english(
    written: int, rows: int, duplicates: int, dry_run: bool, line: str
) -> None:
    report = importer.ImportReport(rows=rows, written=written, duplicates=duplicates)
    assert importer.describe_report(report, "action", dry_run=dry_run) == line


def test_one_row_says_row(patrols: Run, tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("team,pledge,when,description\nCW01,CW01-L1,2008-10-03,Patrol\n")
    assert ok(patrols("import", "actions", str(path), "--dry-run")).stderr == (
        "would import 1 action from 1 row\n"
    )
    assert ok(patrols("import", "actions", str(path))).stderr == "imported 1 action from 1 row\n"
