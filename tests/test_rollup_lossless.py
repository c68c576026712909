"""Roll-up is lossless: the formula guard is added once, only when writing CSV for people,
and removed on every read of our own CSV (issue 9, item 1)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import NOW, Run, ok
from pledgetrack.domain.periods import parse_period
from pledgetrack.records import DataFormat, write_records
from pledgetrack.services import exporter, rollup

PERIOD = ("-p", "2008-10", "--as-of", "2008-11-01")
TITLE = "-10% burglaries by March"
TEAM_NAME = "=cmd|'/C calc'!A0"


def build(run: Run, name: str, force: str, title: str) -> None:
    ok(run("team", "add", "CW01", f"--name={name}", f"--force={force}", "--no-national"))
    ok(run("pledge", "add", "CW01", "--agreed", "2008-09-01", "--", title))


def texts(rows: list[dict[str, Any]]) -> list[tuple[Any, Any, Any]]:
    return [(r["force"], r["team_name"], r["pledge_title"]) for r in rows]


def round_trip(run: Run, folder: Path) -> dict[str, Any]:
    """export summary -> rollup -> rollup, as CSV, JSON and the cells of each CSV."""
    first, second = folder / "export.csv", folder / "rolled.csv"
    ok(run("export", "summary", *PERIOD, "-o", str(first)))
    ok(run("rollup", str(first), "-o", str(second)))
    return {
        "export_json": json.loads(ok(run("export", "summary", *PERIOD, "-f", "json")).stdout),
        "rollup_json": json.loads(ok(run("rollup", str(second), "-f", "json")).stdout),
        "export_csv": first.read_text(encoding="utf-8"),
        "rollup_csv": second.read_text(encoding="utf-8"),
        "again_csv": ok(run("rollup", str(second))).stdout,
    }


def test_export_rollup_rollup_is_a_fixed_point(cli: Run, tmp_path: Path) -> None:
    build(cli, TEAM_NAME, "+44 Force", TITLE)
    got = round_trip(cli, tmp_path)
    # the guard once in every CSV, never twice (it was '' then ''' on each roll-up)
    assert got["export_csv"] == got["rollup_csv"] == got["again_csv"]
    row = next(csv.DictReader(io.StringIO(got["export_csv"])))
    assert (row["team_name"], row["pledge_title"], row["force"]) == (
        "'" + TEAM_NAME,
        "'" + TITLE,
        "'+44 Force",
    )
    # and never in JSON, from a database or from a CSV
    expected = [("+44 Force", TEAM_NAME, TITLE)]
    assert texts(got["export_json"]) == texts(got["rollup_json"]) == expected


free_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
spreadsheet_text = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["", "=", "+", "-", "@", "'", "''=", "'-", "-1", "\t", "'\t", "\r", " "]),
    free_text,
).filter(lambda t: t != "")
FREE_TEXT_COLUMNS = ("force", "team_name", "pledge_title", "target")


def export_row(texts: dict[str, str]) -> dict[str, Any]:
    return {
        "force": texts["force"], "team": "CW01", "team_name": texts["team_name"],
        "pledge": "CW01-L1", "pledge_title": texts["pledge_title"], "pledge_type": "none",
        "target": texts["target"], "period_start": "2008-10-01", "period_end": "2008-10-31",
        "actual": 0, "expected": None, "compliance_pct": None, "status": "not-measured",
        "last_action": None, "figures": "final", "last_change": "2008-11-01T06:00:00+00:00",
    }  # fmt: skip


@settings(max_examples=300)
@given(st.fixed_dictionaries(dict.fromkeys(FREE_TEXT_COLUMNS, spreadsheet_text)))
def test_rolled_up_text_is_the_original_text_exactly(texts: dict[str, str]) -> None:
    """Any text in any free-text column: export CSV -> rollup -> rollup (CSV, JSON) gives
    back exactly the text exported, and the CSV is a fixed point."""
    original = export_row(texts)
    keys = exporter.SUMMARY_FIELDS
    october = parse_period("2008-10", date(2008, 11, 1))
    with tempfile.TemporaryDirectory() as folder:
        exported = Path(folder) / "export.csv"
        with exported.open("w", encoding="utf-8", newline="") as fh:
            write_records([[original[k] for k in keys]], keys, DataFormat.CSV, fh)
        rows = rollup.rollup([exported], None, october, NOW, _no_database)
        again = Path(folder) / "rolled.csv"
        with again.open("w", encoding="utf-8", newline="") as fh:
            write_records([[rows[0][k] for k in keys]], keys, DataFormat.CSV, fh)
        twice = rollup.rollup([again], None, october, NOW, _no_database)
        as_json = io.StringIO()
        write_records([[twice[0][k] for k in keys]], keys, DataFormat.JSON, as_json)
        assert again.read_bytes() == exported.read_bytes()
    assert [{k: row[k] for k in FREE_TEXT_COLUMNS} for row in (*rows, *twice)] == [texts] * 2
    assert {k: json.loads(as_json.getvalue())[0][k] for k in FREE_TEXT_COLUMNS} == texts


def _no_database(path: Path) -> Any:
    raise AssertionError(f"{path} is CSV")
