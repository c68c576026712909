"""A number out of its range in an imported file is refused quoting the cell as the file
holds it (ATTACK5 B6): `99999999999999999999` read as a float is 1e20, and the refusal
said `not 100,000,000,000,000,000,000`, a number the file does not hold; `1e30` said
`1.000e+30`. The line names line, column and the cell verbatim; exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Run, ok
from test_hostile_input import pledges, refused_import

__all__ = ["pledges"]  # the fixture, used by name

WHEN = "2008-10-16T10:00:00+01:00"  # the day the fixture team adopts N7
HUGE = ["99999999999999999999", "1e30", "1E+30", "9223372036854775808", "1e308"]


@pytest.mark.parametrize("cell", [*HUGE, "1000001", "0", "-3"])
def test_import_pledges_quotes_a_count_out_of_range_as_the_file_holds_it(
    cli: Run, db: Path, team: str, cell: str
) -> None:
    said = refused_import(
        cli, db, "pledges", f"team,title,at_least,per,agreed\nCW01,T,{cell},week,2008-10-01\n"
    )
    assert said.splitlines()[0] == (
        f"line 2: at_least: must be a whole number from 1 to 1,000,000, not {cell}"
    )


@pytest.mark.parametrize("cell", [*HUGE, "100.01", " 1e30 "])
def test_a_percentage_out_of_range_is_quoted_as_the_file_holds_it(
    cli: Run, db: Path, team: str, cell: str
) -> None:
    text = f"team,title,at_least,per,threshold,agreed\nCW01,T,1,week,{cell},2008-10-01\n"
    said = refused_import(cli, db, "pledges", text)
    rule = "must be a percentage above 0 and at most 100, to 2 decimal places"
    assert said.splitlines()[0] == f"line 2: threshold: {rule}, not {cell.strip()}"


def test_the_edge_of_the_range_imports(cli: Run, team: str, tmp_path: Path) -> None:
    path = tmp_path / "edge.csv"
    path.write_text("team,title,at_least,per,threshold,agreed\n"
                    "CW01,T,1000000,week,100,2008-10-01\n")  # fmt: skip
    ok(cli("import", "pledges", str(path)))


@pytest.mark.parametrize(("column", "rule"), [
    ("hours", "must be a number of hours from 0 to 8,784"),
    ("attendance", "must be a whole number from 0 to 1,000,000"),
])  # fmt: skip
@pytest.mark.parametrize("cell", HUGE)
def test_import_actions_quotes_hours_and_attendance_as_the_file_holds_them(
    cli: Run, db: Path, pledges: None, column: str, rule: str, cell: str
) -> None:
    pledge = "CW01-N7" if column == "attendance" else "CW01-L1"
    text = f"team,pledge,when,description,{column}\nCW01,{pledge},{WHEN},Meeting,{cell}\n"
    said = refused_import(cli, db, "actions", text)
    assert said.splitlines()[0] == f"line 2: {column}: {rule}, not {cell}"
