"""Files people open in a spreadsheet (FRESH2 G27, G13): `--bom` CSV that Excel opens by
double-click with accents right, and that every reader of ours takes back verbatim, with or
without the mark, the formula guard removed again."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import invoke
from helpers import Run, nothing_written, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode

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
