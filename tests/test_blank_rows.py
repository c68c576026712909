"""Spreadsheet habits in an imported file (FRESH4 G12): a line cleared at the bottom of a
sheet is saved as a row of nothing but commas. It holds no data: it is skipped, and the
closing line says how many, where it used to fail the whole import as a row lacking its
team. A row with anything in any cell is read as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import Run, assert_error, nothing_written, ok
from pledgetrack.exitcodes import ExitCode

HEADER = "team,pledge,when,description,kind\r\n"
ROW = "CW01,CW01-L1,02/10/2008 10:00,Visit Oak Farm,visit\r\n"


@pytest.fixture
def ward(cli: Run, team: str) -> Run:
    ok(cli("pledge", "add", "CW01", "Farm visits", "--at-least", "1", "--per", "week",
           "--agreed", "01/09/2008"))  # fmt: skip
    return cli


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def descriptions(cli: Run) -> list[str]:
    return [a["description"] for a in json.loads(ok(cli("actions", "-f", "json")).stdout)]


def test_rows_of_nothing_but_commas_are_skipped_and_counted(
    ward: Run, tmp_path: Path
) -> None:
    # at the bottom, as a sheet saves its cleared lines; in the middle; of spaces; narrower
    # than the header; a cell that shows nothing (a zero-width space) is empty, as elsewhere
    blanks = ",,,,\r\n", " , ,,\t,\r\n", ",,\r\n", ",\u200b,,,\r\n"
    text = HEADER + ROW + blanks[0] + ROW.replace("Oak", "Elm") + "".join(blanks[1:])
    path = write(tmp_path, text)
    dry = ok(ward("import", "actions", str(path), "--dry-run"))
    assert dry.stderr.splitlines()[-1] == (
        "would import 2 actions from 2 rows; 4 blank rows skipped"
    )
    done = ok(ward("import", "actions", str(path)))
    assert done.stderr.splitlines()[-1] == "imported 2 actions from 2 rows; 4 blank rows skipped"
    assert sorted(descriptions(ward)) == ["Visit Elm Farm", "Visit Oak Farm"]
    # the same file again adds nothing
    again = ok(ward("import", "actions", str(path)))
    assert again.stderr.splitlines()[-1] == (
        "imported 0 actions from 2 rows; 2 duplicates skipped; 4 blank rows skipped"
    )


def test_no_word_when_there_is_none(ward: Run, tmp_path: Path) -> None:
    done = ok(ward("import", "actions", str(write(tmp_path, HEADER + ROW))))
    assert done.stderr.splitlines()[-1] == "imported 1 action from 1 row"


def test_a_row_with_one_value_anywhere_is_a_row(ward: Run, db: Path, tmp_path: Path) -> None:
    """The edge: one cell that shows anything, the last included, makes it a row, refused
    for what it lacks, naming its line as before."""
    path = write(tmp_path, HEADER + ROW + ",,,,visit\r\n,,,,\r\n")
    with nothing_written(db):
        result = ward("import", "actions", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0] == "line 3: team: required, but empty"


def test_a_file_of_blank_rows_imports_nothing_and_says_why(ward: Run, tmp_path: Path) -> None:
    done = ok(ward("import", "actions", str(write(tmp_path, HEADER + ",,,,\r\n,,,,\r\n"))))
    assert done.stderr.splitlines()[-1] == "imported 0 actions from 0 rows; 2 blank rows skipped"


def test_the_other_imports_skip_them_too(ward: Run, tmp_path: Path) -> None:
    pledges = write(tmp_path, "team,title,agreed\r\nCW01,Litter picks,1/9/2008\r\n,,\r\n", "p.csv")
    assert ok(ward("import", "pledges", str(pledges))).stderr.splitlines()[-1] == (
        "imported 1 pledge from 1 row; 1 blank row skipped"
    )
    teams = write(tmp_path, "code,name,national\r\nBL02,Belgrave,\r\n,,\r\n,\r\n", "t.csv")
    assert ok(ward("import", "teams", str(teams))).stderr.splitlines()[-1] == (
        "imported 1 team from 1 row; 2 blank rows skipped"
    )
    meetings = write(
        tmp_path,
        "team,starts,announced\r\nCW01,20/10/2008 19:00,01/10/2008 09:00\r\n,,\r\n",
        "m.csv",
    )
    done = ok(ward("import", "next-meetings", str(meetings)))
    assert done.stderr.splitlines()[-1].endswith("from 1 row; 1 blank row skipped")


def test_rollup_skips_and_counts_them_as_the_imports_do(ward: Run, tmp_path: Path) -> None:
    """ATTACK5: rollup of an export summary with a cleared line refused the whole file
    (`line 4: team: required, but empty`). A row of nothing is skipped and counted, as
    the imports do (domain.text.blank_row); the rollup is the one of the file without it,
    and a row with one value anywhere is still refused naming its line."""
    ok(ward("log", "CW01-L1", "Visit Oak Farm", "--when", "02/10/2008 10:00"))
    export = tmp_path / "cw01.csv"
    ok(ward("export", "summary", "--period", "2008-10", "--as-of", "2008-11-01", "-o",
            str(export)))  # fmt: skip
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    width = lines[0].count(",")
    blanked = write(tmp_path, "".join([lines[0], ","*width + "\r\n", *lines[1:], " ,\r\n"]),
                    "blanked.csv")  # fmt: skip
    plain = ok(ward("rollup", str(export)))
    done = ok(ward("rollup", str(blanked)))
    assert done.stdout == plain.stdout
    assert f"note: {blanked}: 2 blank rows skipped" in done.stderr.splitlines()
    assert "blank" not in plain.stderr
    one = write(tmp_path, "".join([*lines, ","*(width - 1) + "x\r\n"]), "one.csv")
    refused = ward("rollup", str(one))
    assert refused.exit_code == ExitCode.USAGE
    assert refused.stderr.startswith(f"error: {one} line {len(lines) + 1}: "), refused.stderr


def test_a_file_saved_in_the_spreadsheets_own_encoding_says_how_to_save_it(
    ward: Run, tmp_path: Path
) -> None:
    """Excel's "CSV (Comma delimited)" writes Windows-1252: a `é` is not UTF-8."""
    path = tmp_path / "cp1252.csv"
    path.write_bytes((HEADER + ROW.replace("Oak", "Caf\xe9")).encode("cp1252"))
    assert_error(
        ward("import", "actions", str(path)),
        ExitCode.USAGE,
        f"{path}: line 2: not UTF-8 text (in a spreadsheet, save as "
        "\"CSV UTF-8 (Comma delimited)\")",
    )
