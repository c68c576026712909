"""`import actions` / `import pledges`: every row checked first, all or nothing, re-runs add
nothing, and an export read back in gives the same log."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import invoke
from helpers import LONDON, NOW, Run, assert_error, fails, nothing_written, ok, snapshot
from pledgetrack.cli import transfer
from pledgetrack.domain.entry_rules import normalise_kind
from pledgetrack.domain.models import Action
from pledgetrack.domain.text import blank
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.paths import demo_data_dir
from pledgetrack.services import importer
from pledgetrack.store import actions as action_store
from pledgetrack.store.connection import open_store

HEADER = "team,pledge,when,received,description,kind,officer,partner,hours,abstracted,ref\n"


@pytest.fixture
def teams(cli: Run) -> Run:
    """CW01 with a weekly patrol pledge (L1) and a 48-hour response pledge (L2); BL02 with L1."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward"))
    ok(cli("team", "add", "BL02", "--name", "Belgrave"))
    ok(
        cli(
            "pledge",
            "add",
            "CW01",
            "Patrols",
            "--at-least",
            "2",
            "--per",
            "week",
            "--agreed",
            "2008-09-01",
        )
    )
    ok(cli("pledge", "add", "CW01", "Reports", "--within", "48h", "--agreed", "2008-09-01"))
    ok(
        cli(
            "pledge",
            "add",
            "BL02",
            "Youth",
            "--at-least",
            "1",
            "--per",
            "week",
            "--agreed",
            "2008-09-01",
        )
    )
    return cli


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def action_count(db: Path) -> int:
    return len(snapshot(db)["actions"])


GOOD = (
    HEADER
    + "CW01,CW01-L1,03/10/2008 19:30,,Foot patrol,patrol,PC Jones,,,,\n"
    + "CW01,CW01-L2,2008-10-04 10:00,2008-10-03 09:00,Email answered,,,,,,INC-1\n"
    + "BL02,BL02-L1,4/10/08 18:00,,Youth club,youth,,Youth services,2.5,,\n"
)


def test_import_writes_every_row_with_day_first_dates(teams: Run, db: Path, tmp_path: Path) -> None:
    result = ok(teams("import", "actions", str(write(tmp_path, GOOD))))
    assert result.stdout == ""
    assert result.stderr == "imported 3 actions from 3 rows\n"
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT occurred_at, received_at, description, hours, ext_ref FROM actions ORDER BY id"
    ).fetchall()
    assert rows == [
        ("2008-10-03T19:30:00+01:00", None, "Foot patrol", None, None),
        ("2008-10-04T10:00:00+01:00", "2008-10-03T09:00:00+01:00", "Email answered", None, "INC-1"),
        ("2008-10-04T18:00:00+01:00", None, "Youth club", 2.5, None),
    ]
    audit = conn.execute("SELECT entity, entity_key, op, who FROM changes WHERE entity = 'action'")
    assert audit.fetchall() == [("action", str(n), "import", "sgt.test") for n in (1, 2, 3)]


def test_one_bad_row_writes_nothing_and_names_the_line(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, GOOD + "CW01,CW01-L1,not a date,,Patrol,,,,,,\n")
    with nothing_written(db):
        result = teams("import", "actions", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "line 5: when: cannot read 'not a date' as a date "
        "(try 14/10/2008, 14/10/2008 19:30 or 2008-10-14 19:30)",
        f"error: {path}: 1 invalid row; nothing imported",
    ]


def test_every_invalid_row_is_reported_with_the_rule_log_applies(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        HEADER
        + "CW01,CW01-L1,2008-10-03,,Patrol,,,,,,\n"
        + "XX01,CW01-L1,2008-10-03,,Patrol,,,,,,\n"
        + "BL02,CW01-L1,2008-10-03,,Patrol,,,,,,\n"
        + "CW01,CW01-L2,2008-10-03,,No received time,,,,,,\n"
        + "CW01,CW01-L1,2008-10-03,2008-10-02,Received on a frequency pledge,,,,,,\n"
        + "CW01,CW01-L1,2008-10-03,,   ,,,,,,\n"
        + "CW01,CW01-L1,2008-10-03,,Patrol,,,,-1,,\n"
        + "CW01,CW01-L1,2008-10-03,,Patrol,,,,,yes,\n"
        + 'CW01,CW01-L1,2008-10-03,,"A note\nover two lines",,,,lots,,\n'
        + "CW01,CW01-L1,,,Patrol,,,,,,\n"
        + "CW01,CW01-L1,2008-10-03,,Patrol,,,,,maybe,\n",
    )
    with nothing_written(db):
        result = teams("import", "actions", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines() == [
        "line 3: team: unknown team 'XX01' (see: pledgetrack team list)",
        "line 4: pledge: CW01-L1 is a pledge of team CW01, not BL02",
        "line 5: received: CW01-L2 is a response pledge: give received "
        "(when the message or call came in)",
        "line 6: received: applies only to response pledges; "
        "CW01-L1 is a frequency pledge",
        "line 7: description: required, but empty",
        "line 8: hours: must be a number of hours from 0 to 8,784, not -1",
        "line 9: abstracted: needs hours "
        "(the hours taken away from the neighbourhood)",
        "line 10: hours: not a number: 'lots'",
        "line 12: when: required, but empty",
        "line 13: abstracted: expected yes or no (or 1/0, true/false), not 'maybe'",
        f"error: {path}: 10 invalid rows; nothing imported",
    ]


def test_same_import_twice_adds_nothing(teams: Run, db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    ok(teams("import", "actions", str(path)))
    with nothing_written(db):
        again = ok(teams("import", "actions", str(path)))
    assert again.stderr == "imported 0 actions from 3 rows; 3 duplicates skipped\n"
    assert action_count(db) == 3


@pytest.mark.parametrize("held", [0, 10**6])
@pytest.mark.parametrize("batch", [1, 2, 3, 4])
def test_identical_rows_of_one_file_are_all_kept_across_batches(
    teams: Run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, held: int
) -> None:
    """Duplicates are looked up a batch at a time; the batch edge must not change the answer,
    nor whether the batches waited in memory or on disk."""
    monkeypatch.setattr(importer, "BATCH", batch)
    monkeypatch.setattr(importer, "HELD_IN_MEMORY", held)
    ok(teams("log", "CW01-L1", "Stored before", "--when", "02/10/2008 10:00"))
    row = "CW01,CW01-L1,03/10/2008 19:30,,Foot patrol,patrol,PC Jones,,,,\n"
    path = write(tmp_path, HEADER + row * 3 + GOOD.split("\n", 1)[1])
    assert ok(teams("import", "actions", str(path))).stderr == "imported 6 actions from 6 rows\n"
    with nothing_written(db):
        again = ok(teams("import", "actions", str(path)))
    assert again.stderr == "imported 0 actions from 6 rows; 6 duplicates skipped\n"


def test_a_voided_row_gives_its_ref_up_to_the_corrected_one(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    header = HEADER.rstrip("\n") + ",voided_at,void_reason\n"
    voided = (
        "CW01,CW01-L2,2008-10-04 10:00,2008-10-03 09:00,Emial,,,,,,INC-1,2008-10-05 09:00,typo\n"
    )
    fixed = "CW01,CW01-L2,2008-10-04 10:00,2008-10-03 09:00,Email,,,,,,INC-1,,\n"
    path = write(tmp_path, header + voided + fixed)
    assert ok(teams("import", "actions", str(path))).stderr == "imported 2 actions from 2 rows\n"
    with nothing_written(db):
        again = ok(teams("import", "actions", str(path)))
    assert again.stderr == "imported 0 actions from 2 rows; 2 duplicates skipped\n"


def test_duplicates_can_be_errors(teams: Run, db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    ok(teams("import", "actions", str(path)))
    with nothing_written(db):
        result = teams("import", "actions", str(path), "--on-duplicate", "error")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines() == [
        "line 2: row: duplicate action (already stored as action 1)",
        "line 3: ref: duplicate ref 'INC-1' for team CW01 (already stored as action 2)",
        "line 4: row: duplicate action (already stored as action 3)",
        f"error: {path}: 3 invalid rows; nothing imported",
    ]


def test_a_ref_repeated_in_the_file_is_a_duplicate(teams: Run, db: Path, tmp_path: Path) -> None:
    again = GOOD.splitlines()[2]  # the row holding INC-1 (line 3), once more
    assert again.endswith(",INC-1")
    twice = GOOD + again + "\n"
    result = ok(teams("import", "actions", str(write(tmp_path, twice))))
    assert result.stderr == "imported 3 actions from 4 rows; 1 duplicate skipped\n"
    failed = teams(
        "import", "actions", str(write(tmp_path, twice, "b.csv")), "--on-duplicate", "error"
    )
    assert "line 5: ref: duplicate ref 'INC-1' for team CW01 (same action as line 3)" in (
        failed.stderr.splitlines()
    )


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("CW01,CW01-L2,2008-10-04 10:00,2008-10-03 09:00,Email sent,,,,,,inc-1", "description"),
        ("CW01,CW01-L2,2008-10-04 10:00,2008-10-03 09:00,Email answered,,PC Ali,,,,INC-1",
         "officer"),
        ("CW01,CW01-L2,2008-10-04 10:00,2008-10-03 09:00,Email answered,,,,0.5,,INC-1", "hours"),
    ],
)
def test_a_stored_ref_with_other_values_is_refused_naming_the_column_and_action(
    teams: Run, db: Path, tmp_path: Path, row: str, column: str
) -> None:
    """A row of a stored action (its ref, pledge and times) whose values differ was
    "skipped as a duplicate": the sergeant's answer silently dropped. As for pledges and
    teams: refused, nothing imported, naming the line, the first column that differs and
    the stored action."""
    ok(teams("import", "actions", str(write(tmp_path, GOOD))))
    path = write(tmp_path, HEADER + row + "\n", "again.csv")
    ref = row.rsplit(",", 1)[1]
    with nothing_written(db):
        result = teams("import", "actions", str(path))
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr.splitlines() == [
        f"line 2: {column}: ref {ref!r} is already stored as action 2 ('INC-1'), with the "
        "same pledge and times but a different " + column + " (an import never changes an "
        "action; to replace it: "
        "pledgetrack void 2 --reason '...', then import again)",
        f"error: {path}: 1 invalid row; nothing imported",
    ]


def test_a_ref_on_another_time_is_another_action_but_an_open_item_answered_is_refused(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """FRESH4 G16: a row under a stored ref at another time is another action (a second
    email about one incident), imported. The same item received at the same time, open
    when stored and answered in the file, is the stored item answered since, not another:
    refused, as a changed action is."""
    ok(teams("import", "actions", str(write(tmp_path, GOOD))))
    later = "CW01,CW01-L2,2008-10-05 10:00,2008-10-05 09:00,Second email,,,,,,INC-1\n"
    done = ok(teams("import", "actions", str(write(tmp_path, HEADER + later, "later.csv"))))
    assert done.stderr == "imported 1 action from 1 row\n"
    opened = "CW01,CW01-L2,,2008-10-06 09:00,Third email,,,,,,INC-9\n"
    ok(teams("import", "actions", str(write(tmp_path, HEADER + opened, "open.csv"))))
    answered = opened.replace(",,2008-10-06 09:00", ",2008-10-06 12:00,2008-10-06 09:00")
    path = write(tmp_path, HEADER + answered, "answered.csv")
    with nothing_written(db):
        result = teams("import", "actions", str(path))
    assert result.stderr.splitlines()[0] == (
        "line 2: when: ref 'INC-9' is already stored as action 5 ('INC-9'), received at the "
        "same time and still open there (an import never changes an action; to replace it: "
        "pledgetrack void 5 --reason '...', then import again)"
    )


def test_a_stored_ref_with_the_same_values_in_another_case_is_a_duplicate(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """The edge of the rule above: every value alike (2.50 hours is 2.5), the ref in
    another case: the same action, skipped."""
    ok(teams("import", "actions", str(write(tmp_path, GOOD))))
    again = GOOD.replace("INC-1", "inc-1").replace(",2.5,", ",2.50,")
    with nothing_written(db):
        result = ok(teams("import", "actions", str(write(tmp_path, again, "again.csv"))))
    assert result.stderr == "imported 0 actions from 3 rows; 3 duplicates skipped\n"


def test_dry_run_writes_nothing_and_says_what_would_be_written(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    with nothing_written(db):
        result = ok(teams("import", "actions", str(write(tmp_path, GOOD)), "--dry-run"))
    assert result.stderr == "would import 3 actions from 3 rows\n"
    bad = write(tmp_path, GOOD + "CW01,NOPE-L1,2008-10-03,,x,,,,,,\n", "bad.csv")
    with nothing_written(db):
        failed = teams("import", "actions", str(bad), "--dry-run")
    assert failed.exit_code == ExitCode.USAGE
    assert failed.stderr.splitlines()[0] == (
        "line 5: pledge: unknown pledge 'NOPE-L1' (see: pledgetrack pledge list)"
    )


def test_header_problems_are_one_line(teams: Run, db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "team,pledge,description\nCW01,CW01-L1,x\n")
    assert_error(
        teams("import", "actions", str(path)),
        ExitCode.USAGE,
        f"{path}: line 1: missing column when (expected team,pledge,when,received,description,"
        "kind,officer,partner,hours,abstracted,ref,voided_at,void_reason,highlight,delivers,"
        "case,attendance,priorities,every)",
    )
    missing = tmp_path / "absent.csv"
    assert_error(
        teams("import", "actions", str(missing)),
        ExitCode.USAGE,
        f"cannot read {missing}: No such file or directory",
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        HEADER.encode() + "CW01,CW01-L1,2008-10-03,,Caf\xe9,,,,,,\n".encode("latin-1")
    )
    assert_error(
        teams("import", "actions", str(latin)),
        ExitCode.USAGE,
        f'{latin}: line 2: not UTF-8 text (in a spreadsheet, save as "CSV UTF-8 (Comma '
        'delimited)")',
    )


ACTION_EXPECTED = (
    "expected team,pledge,when,received,description,kind,officer,partner,hours,abstracted,ref,"
    "voided_at,void_reason,highlight,delivers,case,attendance,priorities,every"
)


@pytest.mark.parametrize(
    ("column", "hint"),
    [
        ("Descripton", "did you mean 'description'?"),  # as written; matched in any case
        ("officers", "did you mean 'officer'?"),
        ("created", "did you mean 'created_at'?"),  # an exported column read back is known
        ("colour", ACTION_EXPECTED),  # nothing near it: the columns read
    ],
)
def test_an_unknown_action_column_is_refused_with_the_nearest(
    teams: Run, db: Path, tmp_path: Path, column: str, hint: str
) -> None:
    """A column the importer does not read would be dropped without a word: a misspelt
    `hours` or `kind` silently changes the figures. The header is refused, nothing written."""
    path = write(
        tmp_path, f"\ufeffteam,pledge,when,description,{column}\nCW01,CW01-L1,2008-10-03,P,x\n"
    )
    for dry_run in ((), ("--dry-run",)):
        fails(teams, db, "import", "actions", str(path), *dry_run,
              text=f"{path}: line 1: unknown column {column!r} ({hint})")  # fmt: skip


def test_an_unknown_pledge_column_is_refused_with_the_nearest(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """`witihn` for `within` imported a pledge that was "not measured", exit 0."""
    path = write(tmp_path, "team,title,witihn,agreed\nCW01,Reports answered,48h,2008-09-10\n")
    for dry_run in ((), ("--dry-run",)):
        fails(teams, db, "import", "pledges", str(path), *dry_run,
              text=f"{path}: line 1: unknown column 'witihn' (did you mean 'within'?)")  # fmt: skip


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("team;pledge;when;description", "';'"),  # a European-locale spreadsheet's CSV
        ("\ufeffTeam;Pledge;When;Description;;", "';'"),  # its BOM, capitals, empty columns
        ('"team";"pledge";"when";"description"', None),  # quoted: the CSV reader refuses it
        ("team\tpledge\twhen\tdescription", "tabs"),
        ("team;colour", "';'"),  # one known name is enough to tell
    ],
)
def test_a_header_separated_by_semicolons_or_tabs_says_so(
    teams: Run, db: Path, tmp_path: Path, header: str, said: str | None
) -> None:
    """Not `unknown column 'team;pledge;when;description'`; and never read as if it were
    comma-separated: nothing written, dry run or not."""
    separator = "\t" if said == "tabs" else ";"
    path = write(tmp_path, f"{header}\nCW01{separator}CW01-L1{separator}2008-10-03{separator}P\n")
    for dry_run in ((), ("--dry-run",)):
        error = fails(teams, db, "import", "actions", str(path), *dry_run)
        if said is None:
            assert error == f"{path}: line 1: ',' expected after '\"'"
        else:
            assert error == (
                f"{path}: line 1: columns are separated by {said}, not commas "
                "(save as CSV with commas)"
            )


def test_pledges_separated_by_semicolons_are_refused_alike(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "team;title;within;agreed\nCW01;Reports;48h;2008-09-10\n")
    fails(teams, db, "import", "pledges", str(path),
          text=f"{path}: line 1: columns are separated by ';', not commas "
          "(save as CSV with commas)")  # fmt: skip


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("tema;plegde", "tema;plegde"),  # no known name: the separator is a guess too far
        ("team,pledge,when,description,kind;officer", "kind;officer"),  # commas: it is CSV
    ],
)
def test_a_semicolon_without_a_known_name_or_in_a_comma_header_is_an_unknown_column(
    teams: Run, db: Path, tmp_path: Path, header: str, column: str
) -> None:
    path = write(tmp_path, f"{header}\n")
    error = fails(teams, db, "import", "actions", str(path))
    assert error.startswith(f"{path}: line 1: unknown column {column!r} (")


def test_empty_columns_with_no_name_are_read_as_nothing(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """A spreadsheet's trailing empty columns (`...,description,,`, every row ending `,,`),
    one left empty in the middle, a row without them, a cell of spaces: all imported as
    without them."""
    path = write(
        tmp_path,
        "team,,pledge,when,description,,\n"
        "CW01,,CW01-L1,2008-10-03 10:00,Patrol,,\n"
        "CW01,,CW01-L1,2008-10-04 10:00,Patrol\n"
        "CW01,,CW01-L1,2008-10-05 10:00,Patrol, ,\n",
    )
    result = ok(teams("import", "actions", str(path)))
    assert result.stderr == "imported 3 actions from 3 rows\n"
    plain = write(
        tmp_path,
        "team,pledge,when,description\n"
        "CW01,CW01-L1,2008-10-03 10:00,Patrol\n"
        "CW01,CW01-L1,2008-10-04 10:00,Patrol\n"
        "CW01,CW01-L1,2008-10-05 10:00,Patrol\n",
        "plain.csv",
    )  # the same actions: every one a duplicate
    again = ok(teams("import", "actions", str(plain)))
    assert again.stderr == "imported 0 actions from 3 rows; 3 duplicates skipped\n"
    pledges = write(tmp_path, "team,title,within,agreed,,\nCW01,Reports,48h,2008-09-10,,\n", "p")
    assert ok(teams("import", "pledges", str(pledges))).stdout == "CW01-L3\n"


@pytest.mark.parametrize(
    ("rows", "line", "column"),
    [
        (["P,,", "P,,x"], 3, 6),  # the last column, the second row
        (["P,x,", "P,,y"], 2, 5),  # the first line with a value is named
        (["P,,", "P,,", "P,,", "P,0,"], 5, 5),  # in the second batch (2 rows a batch)
    ],
)
def test_a_value_in_a_column_with_no_name_is_refused(
    teams: Run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    rows: list[str], line: int, column: int,
) -> None:  # fmt: skip
    """It would be read as nothing: a value lost without a word."""
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)
    body = "".join(f"CW01,CW01-L1,2008-10-0{n + 1} 10:00,{row}\n" for n, row in enumerate(rows))
    path = write(tmp_path, f"team,pledge,when,description,,\n{body}")
    for dry_run in ((), ("--dry-run",)):
        fails(teams, db, "import", "actions", str(path), *dry_run,
              text=f"{path}: line {line}: column {column} has a value, but no name in the "
              "header (line 1)")  # fmt: skip


def test_a_header_with_no_names_at_all_lacks_the_columns(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, ",,,\nCW01,CW01-L1,2008-10-03,P\n")
    fails(teams, db, "import", "actions", str(path),
          text=f"{path}: line 1: missing columns team, pledge, when, description "
          f"({ACTION_EXPECTED})")  # fmt: skip


def test_every_column_an_export_writes_is_read_back(teams: Run, db: Path, tmp_path: Path) -> None:
    """`id` and `created_at` are the exporting database's own: accepted, and not read."""
    ok(teams("import", "actions", str(write(tmp_path, GOOD))))
    exported = tmp_path / "out.csv"
    ok(teams("export", "actions", "--include-void", "-o", str(exported)))
    header = exported.read_text().splitlines()[0]
    assert header.split(",") == [*action_store.EXPORT_COLUMNS, *importer.DETAIL_COLUMNS]
    assert {"id", "created_at"} <= set(header.split(","))
    again = ok(teams("import", "actions", str(exported)))
    assert again.stderr == "imported 0 actions from 3 rows; 3 duplicates skipped\n"


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    teams: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer, "PROGRESS_MIN_BYTES", 0)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 1)
    result = ok(teams("import", "actions", str(write(tmp_path, GOOD))))
    assert result.stderr == "imported 3 actions from 3 rows\n"


def test_progress_bar_follows_a_big_import_on_a_terminal(
    db: Path, env: Environment, teams: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    monkeypatch.setattr(transfer, "PROGRESS_MIN_BYTES", 0)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 1)
    real = importer.import_actions

    def spy(*args: object, **kwargs: importer.Progress) -> importer.ImportReport:
        progress = kwargs["progress"]
        assert progress is not None
        kwargs["progress"] = lambda line: (seen.append(line), progress(line))[-1]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "import_actions", spy)
    terminal = dataclasses.replace(env, stderr_isatty=True)
    path = write(tmp_path, GOOD)
    ok(invoke(["--db", str(db), "import", "actions", str(path)], terminal))
    assert seen == [2, 3, 4]


PLEDGES = (
    "team,title,at_least,per,action_kind,within,threshold,share,by,agreed,review,meeting\n"
    "CW01,Two patrols a week,2,week,patrol,,,,,10/09/2008,10/12/2008,PACT 10 Sep\n"
    "CW01,Reports within 48 hours,,,,48h,90,,,2008-09-10,,\n"
    "BL02,Lighting fixed,,,,,,,28/11/2008,2008-10-08,,\n"
)


def test_import_pledges_prints_refs_and_reruns_add_nothing(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, PLEDGES)
    result = ok(teams("import", "pledges", str(path)))
    assert result.stdout.split() == ["CW01-L3", "CW01-L4", "BL02-L2"]
    assert result.stderr == "imported 3 pledges from 3 rows\n"
    shown = ok(teams("pledge", "show", "CW01-L3", "-f", "json")).stdout
    assert '"agreed_on": "2008-09-10"' in shown and '"review_on": "2008-12-10"' in shown
    with nothing_written(db):
        again = ok(teams("import", "pledges", str(path)))
    assert again.stderr == "imported 0 pledges from 3 rows; 3 duplicates skipped\n"


def test_bad_pledge_rows_write_nothing(teams: Run, db: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        PLEDGES
        + "CW01,Too vague,two,week,,,,,,2008-09-10,,\n"
        + "CW01,Mixed,2,week,,24h,,,,2008-09-10,,\n"
        + "CW01,No date,2,week,,,,,,,,\n"
        + "CW01,Backwards,,,,,,,,2008-09-10,2008-09-01,\n",
    )
    with nothing_written(db):
        result = teams("import", "pledges", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "line 5: at_least: not a number: 'two'",
        "line 6: target: --at-least (frequency) and --within (response) cannot be combined: "
        "a pledge has exactly one target",
        "line 7: agreed: required, but empty",
        "line 8: review: 01/09/2008 is before agreed 10/09/2008",
        f"error: {path}: 4 invalid rows; nothing imported",
    ]


def test_demo_loads_through_the_importer(env: Environment, tmp_path: Path) -> None:
    """`demo` and `import` share one CSV path: the demo files import cleanly by hand too."""
    demo_db = tmp_path / "demo.db"
    ok(invoke(["demo", "--out", str(demo_db), "-f", "csv"], env))
    folder = demo_data_dir()
    conn = sqlite3.connect(demo_db)
    stored = conn.execute("SELECT COUNT(*) FROM actions").fetchone()[0]
    lines = (folder / "actions.csv").read_text(encoding="utf-8").count("\n") - 1
    assert stored == lines
    ops = {op for (op,) in conn.execute("SELECT DISTINCT op FROM changes WHERE entity='action'")}
    assert ops == {"import"}


# --- property: export then import into an empty copy gives the same log ---------------------

TEXT = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(lambda text: not blank(text))  # `\xad` alone is no text: log refuses it
)
FORMULAS = st.sampled_from(["=SUM(A1)", "+44 20", "-x", "@me", "'quoted", 'say "hi", then'])
START = datetime(2008, 9, 6, tzinfo=UTC)  # received up to 4 days earlier: after agreed


@st.composite
def actions(draw: st.DrawFn) -> list[Action]:
    out = []
    for n in range(draw(st.integers(min_value=1, max_value=8))):
        when = START + timedelta(seconds=draw(st.integers(0, 39 * 24 * 3600)))  # not after NOW
        response = draw(st.booleans())
        received = when - timedelta(seconds=draw(st.integers(0, 4 * 24 * 3600)))
        hours = draw(st.none() | st.floats(0, 24, allow_nan=False).map(lambda h: round(h, 2)))
        out.append(
            Action(
                team="CW01",
                pledge="CW01-L2" if response else "CW01-L1",
                description=draw(TEXT | FORMULAS),
                occurred_at=when.astimezone(LONDON),
                received_at=received.astimezone(LONDON) if response else None,
                kind=normalise_kind(draw(st.none() | TEXT)),  # as `log` stores kinds
                officer=draw(st.none() | TEXT | FORMULAS),
                partner=draw(st.none() | TEXT),
                hours=hours,
                abstracted=hours is not None and draw(st.booleans()),
                ext_ref=draw(st.none() | st.just(f"REF-{n}")),
            )
        )
    return out


COMPARED = (
    "SELECT t.code, p.ref, a.occurred_at, a.received_at, a.description, a.kind, a.officer, "
    "a.partner, a.hours, a.abstracted, a.ext_ref, a.voided_at, a.void_reason FROM actions a "
    "JOIN teams t ON t.id = a.team_id JOIN pledges p ON p.id = a.pledge_id ORDER BY a.id"
)


def log_rows(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(COMPARED).fetchall()
    finally:
        conn.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=actions(), void_first=st.booleans())
def test_export_then_import_round_trips_the_log(
    teams: Run, db: Path, env: Environment, tmp_path: Path, batch: list[Action], void_first: bool
) -> None:
    work = tmp_path / "round"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    source, target = work / "source.db", work / "target.db"
    shutil.copy(db, source)
    shutil.copy(db, target)  # same teams and pledges, no actions
    with open_store(source, create=False, actor="x", clock=lambda: NOW) as store:
        for action in batch:
            action_store.add_action(store, action)
    if void_first:
        ok(invoke(["--db", str(source), "void", "1", "--reason", "=wrong pledge"], env))
        with open_store(source, create=False, actor="x", clock=lambda: NOW) as store:
            # the corrected entry takes over the voided one's ref, if it had one
            action_store.add_action(store, batch[0].model_copy(update={"description": "Fixed"}))
    exported = work / "actions.csv"
    ok(
        invoke(
            ["--db", str(source), "export", "actions", "--include-void", "-o", str(exported)], env
        )
    )
    ok(invoke(["--db", str(target), "import", "actions", str(exported)], env))
    assert log_rows(target) == log_rows(source)


def test_a_deadline_before_the_agreed_date_is_refused_by_the_dry_run_too(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """The dry run applies every rule the real run does, and both name the line and the
    column: a `by` before `agreed` once passed `--dry-run` and failed the real run bare."""
    path = write(
        tmp_path,
        PLEDGES + "CW01,Graffiti gone,,,,,,,01/09/2008,2008-09-10,,\n",
    )
    expected = [
        "line 5: by: 01/09/2008 is before agreed 10/09/2008",
        f"error: {path}: 1 invalid row; nothing imported",
    ]
    for dry_run in (["--dry-run"], []):
        with nothing_written(db):
            result = teams("import", "pledges", str(path), *dry_run)
        assert result.exit_code == ExitCode.USAGE, dry_run
        assert result.stderr.splitlines() == expected, dry_run


def _patrol_rows(count: int) -> str:
    start = datetime(2008, 9, 2, 8, 0)
    return "".join(
        f"CW01,CW01-L1,{(start + timedelta(minutes=3 * n)):%Y-%m-%d %H:%M},,Patrol {n},,,,,,\n"
        for n in range(count)
    )


ROWS_PAST_TWO_BATCHES = 2 * importer.BATCH + 2_000  # 12,000: three batches, the last short


def test_an_import_past_several_batches_is_all_or_nothing(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """One bad row at the very end, after two full batches were inserted: nothing stays."""
    bad_line = ROWS_PAST_TWO_BATCHES + 2  # after the header and the good rows
    path = write(
        tmp_path,
        HEADER + _patrol_rows(ROWS_PAST_TWO_BATCHES) + "CW01,CW01-L1,not a date,,Patrol,,,,,,\n",
    )
    with nothing_written(db):
        result = teams("import", "actions", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0].startswith(f"line {bad_line}: when: cannot read")
    assert result.stderr.splitlines()[-1] == f"error: {path}: 1 invalid row; nothing imported"
    # without the bad row, every row of every batch is written, once
    path.write_text(HEADER + _patrol_rows(ROWS_PAST_TWO_BATCHES), encoding="utf-8")
    imported = ok(teams("import", "actions", str(path))).stderr
    n = ROWS_PAST_TWO_BATCHES
    assert imported == f"imported {n} actions from {n} rows\n"
    assert action_count(db) == ROWS_PAST_TWO_BATCHES


def _voided_and_refs(count: int) -> str:
    """Rows with every kind of value a stored action holds: voided, refs, hours, flags."""
    return "".join(
        f"CW01,CW01-L2,2008-09-{2 + n % 20:02d} 10:{n % 60:02d},2008-09-{2 + n % 20:02d} 09:00,"
        f"Café call {n},,PC Jones,,{n % 7 / 2 or ''},{n % 2 if n % 7 else 0},INC-{n},"
        + ("2008-09-30 10:00,wrong pledge" if n % 5 == 0 else ",")
        + "\n"
        for n in range(count)
    )


@pytest.mark.parametrize("held", [0, 6, 7, 8, 21])
def test_rows_that_wait_on_disk_are_stored_as_rows_held_in_memory(
    teams: Run, db: Path, tmp_path: Path, env: Environment, monkeypatch: pytest.MonkeyPatch,
    held: int,
) -> None:  # fmt: skip
    """Past HELD_IN_MEMORY rows the checked rows wait in a temporary file for the write, in
    chunks of BATCH (7 here; 23 rows read 5 at a time): the same actions and the same audit
    entries, byte for byte, as when all are held."""
    monkeypatch.setattr(importer, "BATCH", 7)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 5)
    n = 3 * 7 + 2
    header = HEADER.rstrip("\n") + ",voided_at,void_reason\n"
    rows = header + _voided_and_refs(n)
    path = write(tmp_path, rows)
    held_db = tmp_path / "held.db"
    with sqlite3.connect(db) as source, sqlite3.connect(held_db) as copy:
        source.backup(copy)
    monkeypatch.setattr(importer, "HELD_IN_MEMORY", 10**9)
    everything_held = invoke(["--db", str(held_db), "import", "actions", str(path)], env)
    monkeypatch.setattr(importer, "HELD_IN_MEMORY", held)
    spooled = ok(teams("import", "actions", str(path)))
    assert spooled.stderr == everything_held.stderr == f"imported {n} actions from {n} rows\n"
    assert snapshot(db) == snapshot(held_db)
    # and read again from the disk, every row is found stored
    with nothing_written(db):
        again = ok(teams("import", "actions", str(path)))
    assert again.stderr == f"imported 0 actions from {n} rows; {n} duplicates skipped\n"


def test_a_disk_without_room_for_the_checked_rows_refuses_the_import(
    teams: Run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def full(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer, "HELD_IN_MEMORY", 0)
    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    with nothing_written(db):
        result = teams("import", "actions", str(write(tmp_path, GOOD)))
    assert_error(
        result,
        ExitCode.IO,
        f"cannot keep the checked rows in a temporary file in {tempfile.gettempdir()}: "
        "No space left on device (set TMPDIR to a folder with room)",
    )


@pytest.mark.parametrize(
    ("kind", "needs"),
    [
        (
            "actions",
            "import actions needs an existing database with its teams and pledges "
            "(create them with team add, pledge add or import pledges)",
        ),
        ("pledges", "import pledges needs an existing database with its teams (create them "
                    "with team add)"),
    ],
)  # fmt: skip
def test_import_into_a_missing_database_says_what_it_needs(
    cli: Run, db: Path, tmp_path: Path, kind: str, needs: str
) -> None:
    """An import records, yet does not create the database: the message must not say it would."""
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("team,pledge,when,description\n", encoding="utf-8")
    assert_error(
        cli("import", kind, str(csv_file)),
        ExitCode.DATABASE,
        f"database not found: {db} (check --db or PLEDGETRACK_DB); {needs}",
    )
    assert not db.exists()


def test_a_clock_change_time_is_refused_by_column_and_line(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    rows = (
        "CW01,CW01-L2,2008-03-30 03:00,30/03/2008 01:30,Call,,,,,,\n"
        "CW01,CW01-L2,2007-10-28 01:30,2007-10-28 00:30,Call,,,,,,\n"
    )
    with nothing_written(db):
        result = teams("import", "actions", str(write(tmp_path, HEADER + rows)))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[:-1] == [
        "line 2: received: 30/03/2008 01:30 did not happen in Europe/London (clocks went "
        "forward at 01:00); give 00:59 or 02:00, or an offset",
        "line 3: when: 2007-10-28 01:30 happened twice in Europe/London (clocks went back at "
        "02:00); give 2007-10-28 01:30 BST (the first) or 2007-10-28 01:30 GMT (the second)",
    ]


# Cells as people and spreadsheets write them: spaces either side, blanks, other cases
PADDED = st.sampled_from(["", " ", "\t"])
WORDS = st.builds(lambda a, t, b: a + t + b, PADDED, TEXT, PADDED)
CELL_TEXT = WORDS | PADDED
TIMES = st.sampled_from(
    ["2008-10-03T19:30:00+01:00", "03/10/2008 19:30", " 2008-10-04 08:00 ", "2008-10-02T09:00Z"]
)


@st.composite
def import_cells(draw: st.DrawFn) -> list[str]:
    """A row of `export actions`, in ACTION_COLUMNS order, that `log` would mostly accept."""
    response = draw(st.booleans())
    hours = draw(st.sampled_from(["", " 1.5", "2 ", "0"]))
    voided = draw(st.booleans())
    return [
        draw(st.sampled_from(["CW01", " cw01 "])),
        "cw01-l2 " if response else "CW01-L1",
        draw(st.sampled_from(["2008-10-05T10:00:00+01:00", ""])) if response else draw(TIMES),
        draw(TIMES) if response else "",
        draw(WORDS),
        draw(CELL_TEXT),
        draw(CELL_TEXT),
        draw(CELL_TEXT),
        hours,
        draw(st.sampled_from(["", "0"] if hours.strip() == "" else ["", "0", "1", " Yes "])),
        draw(CELL_TEXT),
        "2008-10-06T10:00:00+01:00" if voided else "",
        draw(WORDS) if voided else "",
        draw(st.sampled_from(["", "0", "1", "TRUE"])),
        draw(st.sampled_from(["", "0", "no"])),
    ]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=import_cells())
def test_an_imported_action_is_what_the_model_makes_of_it(
    teams: Run, db: Path, cells: list[str]
) -> None:
    """Import builds each action without running the model's validators again
    (Action.from_trusted): an accepted row must give exactly the validated model."""
    source = importer._Csv(Path("x.csv"), importer.ACTION_COLUMNS, (), (), importer.ACTION_EXACT)
    source._header(list(importer.ACTION_COLUMNS))
    with open_store(db, create=False, actor="t", clock=lambda: NOW) as store:
        rows = importer._ActionRows(importer._Lookup(store), NOW)
        try:
            item = rows.action(source.cells(cells))
        except importer.InputError:
            return  # refused, as `log` would refuse it
    assert Action.model_validate(item.action.model_dump()) == item.action


@pytest.fixture
def every_kind(teams: Run) -> Run:
    """teams, with a deadline pledge (CW01-L3), a pledge closed on 10 October (BL02-L2) and
    an archived team (AR03, its pledge withdrawn)."""
    ok(teams("pledge", "add", "CW01", "Lights", "--by", "2008-12-01", "--agreed", "2008-09-01"))
    ok(teams("pledge", "add", "BL02", "Park", "--agreed", "2008-09-01"))
    ok(teams("pledge", "close", "BL02-L2", "--status", "achieved", "--outcome", "x",
             "--on", "2008-10-10"))  # fmt: skip
    ok(teams("team", "add", "AR03", "--name", "Archived"))
    ok(teams("pledge", "add", "AR03", "Old", "--agreed", "2008-09-01"))
    ok(teams("team", "archive", "AR03", "--yes"))
    return teams


# Cells at the edges of every rule (now is 16 October 2008 15:00 BST): the stored form in
# the zone's offset and in another, the future tolerance, the agreed and closed days, forms
# only the forgiving parser reads, and cells no rule lets through
_TIMES = st.sampled_from(
    [
        "",
        "2008-10-03T19:30:00+01:00",
        "2008-10-03T18:30:00+00:00",
        "2008-10-16T15:05:00+01:00",
        "2008-10-16T15:05:01+01:00",
        "2008-09-01T00:00:00+01:00",
        "2008-08-31T23:59:59+01:00",
        "2008-08-31T23:30:00+00:00",
        "2008-10-10T23:59:59+01:00",
        "2008-10-11T00:00:00+01:00",
        "03/10/2008 19:30",
        " 2008-10-04 08:00 ",
        "not a date",
        "2008-10-01T10:00:00+23:99",
        "2008-02-30T10:00:00+00:00",
    ]
)
_BATCH_COLUMNS = [  # ACTION_COLUMNS order
    st.sampled_from(["CW01", " cw01 ", "BL02", "AR03", "NOPE", ""]),
    st.sampled_from(
        ["CW01-L1", "cw01-l2 ", "CW01-L3", "BL02-L1", "BL02-L2", "AR03-L1", "NOPE-L1", ""]
    ),
    _TIMES,
    _TIMES,
    WORDS | st.sampled_from(["", " ", "a\x00b", "'=1+1"]),
    st.sampled_from(["", "patrol", " Patrol ", "leaflet  drop"]),
    CELL_TEXT,
    CELL_TEXT,
    st.sampled_from(["", "1.5", " 2 ", "0", "-1", "1e999", "nan", "lots", "8784", "8784.5"]),
    st.sampled_from(["", "0", "1", " Yes ", "maybe"]),
    st.sampled_from(["", "INC-1", " INC-2 "]),
    st.sampled_from(["", "2008-10-06T10:00:00+01:00", "2008-10-03T19:29:59+01:00"]),
    st.sampled_from(["", "typo", " "]),
    st.sampled_from(["", "0", "1", "TRUE", "x"]),
    st.sampled_from(["", "0", "1", "no"]),
]
_VALID_TIMES = st.sampled_from(
    [
        "2008-10-03T19:30:00+01:00",
        "2008-10-16T15:05:00+01:00",
        "2008-09-01T00:00:00+01:00",
        "2008-10-10T23:59:59+01:00",
        "2008-10-03T18:30:00+00:00",
        "03/10/2008 19:30",
    ]
)


@st.composite
def _batch_row(draw: st.DrawFn) -> list[str]:
    """A row `log` would accept, with none, one or two of its cells from _BATCH_COLUMNS
    (often refused), and sometimes one cell too many or too few."""
    pledge = draw(st.sampled_from(["CW01-L1", "cw01-l2 ", "CW01-L3", "BL02-L1", "BL02-L2"]))
    team = pledge.strip()[:4]
    when, received = draw(_VALID_TIMES), ""
    if pledge.strip().upper() == "CW01-L2":
        received = draw(st.sampled_from(["2008-10-02T09:00:00+01:00", "2/10/2008 09:00"]))
        when = draw(st.sampled_from(["", "2008-10-02T09:00:00+01:00", "2008-10-02T08:00:00+00:00",
                                     "2008-10-03T19:30:00+01:00"]))  # fmt: skip
    elif pledge == "BL02-L2":
        when = draw(st.sampled_from(["2008-10-10T23:59:59+01:00", "2008-10-01T10:00:00+01:00"]))
    voided = draw(st.booleans())
    row = [
        draw(st.sampled_from([team, f" {team.lower()} "])),
        pledge,
        when,
        received,
        draw(WORDS),
        draw(st.sampled_from(["", "patrol", " Patrol ", "leaflet  drop"])),
        draw(CELL_TEXT),
        draw(CELL_TEXT),
        draw(st.sampled_from(["", "1.5", " 2 ", "0", "8784"])),
        draw(st.sampled_from(["", "0", "1", " Yes "])),
        draw(st.sampled_from(["", "INC-1", " INC-2 "])),
        "2008-10-06T10:00:00+01:00" if voided else "",
        draw(WORDS) if voided else "",
        draw(st.sampled_from(["", "0", "1", "TRUE"])),
        draw(st.sampled_from(["1", "0"])) if pledge == "CW01-L3" else "",
    ]
    if row[9].strip() in ("1", "Yes") and not row[8].strip():
        row[8] = "2"
    for column in draw(st.lists(st.integers(0, len(row) - 1), max_size=2)):
        row[column] = draw(_BATCH_COLUMNS[column])
    width = draw(st.sampled_from([0, 0, 0, 0, 0, 0, 1, -1]))
    return [*row, "extra"] if width > 0 else row[:-1] if width < 0 else row


_BATCH_ROWS = st.lists(_batch_row(), min_size=1, max_size=8)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_BATCH_ROWS)
def test_a_batch_is_read_as_each_of_its_rows_is(
    every_kind: Run, db: Path, rows: list[list[str]]
) -> None:
    """Column by column, a batch gives what reading each row on its own gives: the same
    actions with the same stored values, the same problems in the same words."""
    source = importer._Csv(Path("x.csv"), importer.ACTION_COLUMNS, (), (), importer.ACTION_EXACT)
    source._header(list(importer.ACTION_COLUMNS))
    lines = list(range(2, 2 + len(rows)))
    with open_store(db, create=False, actor="t", clock=lambda: NOW) as store:
        read = importer._ActionRows(importer._Lookup(store), NOW).batch(source, lines, rows)
        one = importer._ActionRows(importer._Lookup(store), NOW)
        accepted, problems = [], []
        for line, row in zip(lines, rows, strict=True):
            try:
                item = one.action(source.cells(row))
            except importer.InputError as exc:
                problems.append((line, importer._problem(line, exc, "row")))
                continue
            accepted.append(
                (line, item.team_id, item.pledge_id, item.action.pledge, item.action.team,
                 item.values)
            )  # fmt: skip
    batch = read.actions
    assert read.problems == problems
    assert accepted == list(
        zip(read.lines, batch.team_ids, batch.pledge_ids, batch.pledges, read.teams,
            batch.values, strict=True)
    )  # fmt: skip


def test_the_bulk_reads_of_teams_and_pledges_give_what_the_one_by_one_reads_do(
    every_kind: Run, db: Path
) -> None:
    """The import reads the teams and pledges it meets in bulk (a query per 500), and those
    left out, unknown or stored with a value no read takes, one by one, which say why: the
    bulk reads give what get_team, team_id, get_pledge and pledge_id give, and leave out
    every code those refuse."""
    from pledgetrack.errors import DatabaseError
    from pledgetrack.store import pledges as pledge_store
    from pledgetrack.store import teams as team_store

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE teams SET setting = 'Rural' WHERE code = 'BL02'")
        conn.execute("UPDATE pledges SET status = 'weird' WHERE ref = 'CW01-L3'")
    with open_store(db, create=False, actor="t", clock=lambda: NOW) as store:
        codes = [*(f"ZZ{n:03d}" for n in range(499)), "CW01", "BL02", "AR03", "XX99", "CW01"]
        teams = team_store.teams_by_codes(store, codes)
        assert teams == {
            code: (team_store.get_team(store, code), team_store.team_id(store, code))
            for code in ("CW01", "AR03")
        }
        with pytest.raises(DatabaseError):
            team_store.get_team(store, "BL02")
        refs = ["CW01-L1", "CW01-L2", "CW01-L3", "BL02-L1", "BL02-L2", "AR03-L1", "XX99-L1"]
        unknown = [f"ZZ{n:03d}-L1" for n in range(497)]  # the refs then cross a 500 query
        pledges = pledge_store.pledges_by_refs(store, [*unknown, *refs, *refs])
        readable = [r for r in refs if r not in ("CW01-L3", "XX99-L1")]
        assert pledges == {
            ref: (pledge_store.get_pledge(store, ref), pledge_store.pledge_id(store, ref))
            for ref in readable
        }
        with pytest.raises(DatabaseError):
            pledge_store.get_pledge(store, "CW01-L3")


def test_an_exports_own_rows_are_read_column_by_column(
    every_kind: Run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows `export actions` writes need no reading one by one (the slow path), in
    either offset of the year, with every column filled."""
    rows = (
        "CW01,CW01-L1,03/10/2008 19:30,,Foot patrol,,PC Jones,,1.5,1,,,,1,0\n"
        "CW01,CW01-L2,2008-10-04 10:00,2008-10-03 09:00,Email answered,,,,,,INC-1,,,0,0\n"
        "CW01,CW01-L3,2008-10-05 10:00,,Lights fixed,,,Council,,,,,,0,1\n"
        "BL02,BL02-L1,4/10/08 18:00,,'=1+1,youth,,Youth services,2.5,,,2008-10-05 09:00,"
        "typo,0,0\n"
        "BL02,BL02-L1,2008-09-30 18:00,,Youth club,,,,,,,,,0,0\n"
    )
    header = "team,pledge,when,received,description,kind,officer,partner,hours,abstracted,ref,"
    source = write(tmp_path, header + "voided_at,void_reason,highlight,delivers\n" + rows)
    ok(every_kind("import", "actions", str(source)))
    exported = tmp_path / "out.csv"
    ok(every_kind("export", "actions", "--include-void", "-o", str(exported)))

    def one_by_one(self: object, cells: object) -> None:
        raise AssertionError(f"read one by one: {cells}")

    monkeypatch.setattr(importer._ActionRows, "action", one_by_one)
    csv_file = importer._Csv(
        exported, importer.IMPORT_COLUMNS, (), importer.ACTION_IGNORED, importer.ACTION_EXACT
    )
    lines, data = zip(*csv_file.rows(), strict=True)
    with open_store(db, create=False, actor="t", clock=lambda: NOW) as store:
        read = importer._ActionRows(importer._Lookup(store), NOW).batch(
            csv_file, list(lines), list(data)
        )
    assert read.problems == []
    assert read.lines == [2, 3, 4, 5, 6]
    assert read.actions.values[3][2] == "=1+1"  # the guard removed, the text as stored


def test_a_file_names_its_own_dates_not_relative_ones(teams: Run, db: Path, tmp_path: Path) -> None:
    """A file imports the same times whichever day it is imported: `yesterday 7pm`, a
    weekday or a date without its year is refused there, kept for typed options."""
    path = write(tmp_path, HEADER
                 + "CW01,CW01-L1,14/10/2008 19:30,,Patrol,,,,,,\n"
                 + "CW01,CW01-L1,yesterday 7pm,,Patrol,,,,,,\n"
                 + "CW01,CW01-L1,tuesday,,Patrol,,,,,,\n"
                 + "CW01,CW01-L1,14/10 19:30,,Patrol,,,,,,\n"
                 + "CW01,CW01-L2,2008-10-14 10:00,2 hours ago,Email,,,,,,\n"
                 + "CW01,CW01-L1,today,,Patrol,,,,,,\n")  # fmt: skip
    with nothing_written(db):
        result = teams("import", "actions", str(path))
    assert result.exit_code == ExitCode.USAGE
    tail = "depends on the day it is read; a file needs the date itself, e.g. 14/10/2008 19:30"
    assert result.stderr.splitlines() == [
        f"line 3: when: 'yesterday 7pm' {tail}",
        f"line 4: when: 'tuesday' {tail}",
        f"line 5: when: '14/10 19:30' {tail}",
        f"line 6: received: '2 hours ago' {tail}",
        f"line 7: when: 'today' {tail}",
        f"error: {path}: 5 invalid rows; nothing imported",
    ]
    ok(teams("log", "CW01-L1", "Patrol", "--when", "yesterday 7pm"))  # typed: still read


def test_an_unreadable_date_in_a_file_suggests_only_what_a_file_may_hold(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """The hint of a typed option offers `today, yesterday`, which a file refuses; a file's
    unreadable date, time or zone suggests dates that name their day."""
    path = write(tmp_path, HEADER
                 + "CW01,CW01-L1,soon,,Patrol,,,,,,\n"
                 + "CW01,CW01-L1,2008-10-14 7 o'clock,,Patrol,,,,,,\n"
                 + "CW01,CW01-L2,2008-10-14 10:00,14/10/2008 09:00 EST,Email,,,,,,\n")  # fmt: skip
    with nothing_written(db):
        result = teams("import", "actions", str(path))
    assert result.exit_code == ExitCode.USAGE
    hint = "(try 14/10/2008, 14/10/2008 19:30 or 2008-10-14 19:30)"
    assert result.stderr.splitlines() == [
        f"line 2: when: cannot read 'soon' as a date {hint}",
        f'line 3: when: cannot read the time in "2008-10-14 7 o\'clock" {hint}',
        f"line 4: received: unknown time zone in '14/10/2008 09:00 EST' {hint}",
        f"error: {path}: 3 invalid rows; nothing imported",
    ]
    pledges = write(tmp_path, PLEDGES + "CW01,Litter,1,week,,,,,,soon,,\n", "p.csv")
    with nothing_written(db):
        result = teams("import", "pledges", str(pledges))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0] == f"line 5: agreed: cannot read 'soon' as a date {hint}"
    assert_error(
        teams("log", "CW01-L1", "Patrol", "--when", "soon"),
        ExitCode.USAGE,
        "--when: cannot read 'soon' as a date "
        "(try 14/10/2008, 2008-10-14 19:30, today, yesterday, tuesday or '2 days ago')",
    )


def test_a_pledges_file_names_its_own_dates(teams: Run, db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, PLEDGES + "CW01,Litter,1,week,,,,,,today,,\n")
    with nothing_written(db):
        result = teams("import", "pledges", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0] == (
        "line 5: agreed: 'today' depends on the day it is read; a file needs the date itself, "
        "e.g. 14/10/2008 19:30"
    )


def test_rows_whose_kind_their_pledge_does_not_count_are_said_in_one_line(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """A typo in a kind is stored as written (the vocabulary is free), and the file's closing
    lines say how many rows will not count, per pledge and kind, not one line per row."""
    ok(teams("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week",
             "--action-kind", "patrol", "--agreed", "01/09/2008"))  # fmt: skip
    ref = "CW01-L3"
    rows = [
        f"CW01,{ref},2008-10-0{n} 10:00,,Patrol,{kind},,,,,\n"
        for n, kind in enumerate(["patorl", "patorl", "Patrol", "", "leaflet"], start=1)
    ]
    path = write(tmp_path, HEADER + "".join(rows) + "CW01,CW01-L1,2008-10-06 10:00,,P,x,,,,,\n")
    result = ok(teams("import", "actions", str(path)))
    assert result.stderr.splitlines() == [
        "imported 6 actions from 6 rows",
        f"note: 3 rows will not count: {ref} counts 'patrol' actions, not 'patorl' (2), "
        "'leaflet' (1)",
    ]
    kinds = [r["kind"] for r in json.loads(ok(teams("actions", "-f", "json", "--team", "CW01",
                                                    "--pledge", ref)).stdout)]  # fmt: skip
    assert sorted(kinds) == ["leaflet", "patorl", "patorl", "patrol", "patrol"]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_json_export_given_back_is_said_to_be_json(
    teams: Run, db: Path, tmp_path: Path, fmt: str
) -> None:
    """`export pledges -f json` into `import pledges`: imports read CSV, and say so (was:
    `line 1: unknown column '['`)."""
    path = tmp_path / f"pledges.{fmt}"
    ok(teams("export", "pledges", "-f", fmt, "-o", str(path)))
    with nothing_written(db):
        assert_error(
            teams("import", "pledges", str(path)),
            ExitCode.USAGE,
            f"{path}: line 1: this looks like JSON; imports read CSV only "
            "(export with --format csv, the default)",
        )
