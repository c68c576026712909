"""Moving a team to another database by the sequence docs/export-schema.md gives: its
reports there are the same text as here (victims' cases, meetings' priorities, announced
meetings, national commitments edited or withdrawn included); a second run changes
nothing, also two at once; each refusal names its file, line and column and writes
nothing."""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import invoke
from helpers import Run, at_once, nothing_written, ok, snapshot
from pledgetrack.environment import Environment
from pledgetrack.services import exporter, meeting_columns
from pledgetrack.store import national as national_store

DOCS = Path(__file__).resolve().parents[1] / "docs" / "export-schema.md"
MOVE = DOCS.read_text(encoding="utf-8").split("## Moving a team to another database")[1]
# the sequence as the docs give it, each line's arguments after `pledgetrack`
STEPS = [
    shlex.split(line.split("#")[0])[1:]
    for line in MOVE.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
]

# What a moved team's readers see, as of moments through October and at NOW (16/10 15:00)
VIEWS: list[tuple[str, ...]] = [
    ("summary", "--team", "CW01", "--period", "2008-10", "-f", "csv"),
    ("summary", "--team", "CW01", "--period", "2008-10", "--as-of", "14/10/2008 20:00", "-f",
     "csv"),
    ("export", "summary", "--team", "CW01", "--period", "2008-09..2008-10"),
    ("priorities", "CW01", "-f", "plain"),
    ("agenda", "--team", "CW01", "-f", "csv"),
    ("agenda", "--team", "CW01", "--as-of", "10/10/2008 09:00", "-f", "csv"),
    ("check", "--team", "CW01"),
    ("pledge", "list", "--team", "CW01", "-f", "csv"),
    ("pledge", "list", "--team", "CW01", "--status", "withdrawn", "-f", "csv"),
    ("pledge", "show", "CW01-N4"),
    ("report", "update", "CW01", "--period", "2008-10", "-f", "html"),
    ("report", "update", "CW01", "--period", "2008-10", "--as-of", "14/10/2008 12:00"),
    ("report", "update", "CW01", "--period", "2008-10", "--as-of", "15/10/2008 09:00"),
]  # fmt: skip


def other_db(env: Environment, path: Path) -> Run:
    def run(*args: str, input: str | None = None) -> Result:
        return invoke(["--db", str(path), *args], env, input)

    return run


@pytest.fixture
def source(cli: Run) -> Run:
    """CW01 as a sergeant leaves it: a local pledge, two meetings with priorities, two
    victims' cases kept informed (one still waiting), two announcements of the next
    meeting, N4 edited, N7's meeting given, N10 withdrawn."""
    team = "CW01"
    ok(cli("team", "add", team, "--name", "Castle Ward", "--force", "Leicestershire Police",
           "--since", "01/09/2008"))  # fmt: skip
    ok(cli("pledge", "add", team, "Patrols in Castle Park", "--at-least", "2", "--per",
           "week", "--action-kind", "patrol", "--agreed", "01/09/2008"))  # fmt: skip
    ok(cli("log", "CW01-L1", "Foot patrol", "--when", "13/10/2008 19:30", "--kind", "patrol"))
    ok(cli("meeting", team, "--when", "09/09/2008 19:00", "--attendance", "12",
           "--priorities", "speeding on London Road; litter"))  # fmt: skip
    ok(cli("meeting", team, "--when", "14/10/2008 19:00", "--attendance", "23",
           "--priorities", "parking, Castle St; =drugs in the park; youths"))  # fmt: skip
    ok(cli("meeting", team, "--when", "15/10/2008 12:00"))  # neither attendance nor priorities
    for when in ("10/09/2008 10:00", "18/09/2008 11:00"):
        ok(cli("victim-update", team, "--case", "LE/1234/08", "--when", when))
    ok(cli("victim-update", team, "--case", "le/77/08", "--when", "20/09/2008 09:00",
           "--note", "asked for email"))  # fmt: skip
    ok(cli("next-meeting", team, "--when", "10/11/2008 19:00", "--place", "Library"))
    ok(cli("next-meeting", team, "--when", "11/11/2008 19:00", "--place", "Castle Hall",
           "--note", "step-free"))  # fmt: skip
    ok(cli("pledge", "edit", "CW01-N4", "--within", "48h", "--threshold", "90", "--yes"))
    ok(cli("pledge", "edit", "CW01-N7", "--meeting", "PACT, 14 Oct"))
    ok(cli("pledge", "close", "CW01-N10", "--status", "withdrawn", "--outcome",
           "The force's complaints unit took it over", "--on", "15/10/2008"))  # fmt: skip
    return cli


def move(source: Run, dest: Run, folder: Path) -> list[Result]:
    """The docs' sequence: its exports from `source`, its imports into `dest`."""
    results = []
    for args in STEPS:
        run = source if args[1] == "old.db" else dest
        files = [str(folder / a) if a.endswith(".csv") else a for a in args[2:]]
        results.append(ok(run(*files)))
    return results


def same_views(source: Run, dest: Run) -> None:
    for view in VIEWS:
        mine, theirs = source(*view), dest(*view)
        assert mine.exit_code in (0, 1) and mine.stdout, (view, mine.stderr)  # check: 1
        assert (theirs.exit_code, shown(view, theirs), theirs.stderr) == (
            mine.exit_code, shown(view, mine), mine.stderr
        ), view


def shown(view: tuple[str, ...], result: Result) -> str:
    """A view's output; export summary's without its last column, last_change: when each
    database's own log last changed (the imports', in the new one)."""
    if view[:2] != ("export", "summary"):
        return result.stdout
    return "\n".join(line.rsplit(",", 1)[0] for line in result.stdout.splitlines())


def test_the_docs_sequence_moves_everything_the_reports_read(
    source: Run, env: Environment, tmp_path: Path
) -> None:
    dest = other_db(env, tmp_path / "new.db")
    results = move(source, dest, tmp_path)
    same_views(source, dest)
    update = ok(dest("report", "update", "CW01", "--period", "2008-10")).stdout
    assert "Castle Hall" in update and "step-free" in update  # the later announcement
    withdrawn = ok(dest("pledge", "list", "--team", "CW01", "--status", "withdrawn", "-f", "csv"))
    assert "CW01-N10" in withdrawn.stdout
    priorities = ok(dest("priorities", "CW01", "-f", "plain")).stdout
    assert "=drugs in the park" in priorities and "parking, Castle St" in priorities
    said = [r.stderr for r in results[4:]]  # the four imports
    assert said[1] == (
        "imported 1 pledge from 4 rows; 3 national commitments updated from the file\n"
    )
    assert said[3] == "imported 2 meeting announcements from 2 rows\n"
    with_case = ok(dest("agenda", "--team", "CW01", "-f", "csv")).stdout
    assert "LE/1234/08" in with_case and "LE/77/08" in with_case


def test_a_second_move_changes_nothing(source: Run, env: Environment, tmp_path: Path) -> None:
    dest = other_db(env, tmp_path / "new.db")
    move(source, dest, tmp_path)
    with nothing_written(tmp_path / "new.db"):
        again = [r for r, args in zip(move(source, dest, tmp_path), STEPS, strict=True)
                 if args[2] == "import"]  # fmt: skip
    assert [r.stdout for r in again] == ["", "", "", ""]
    assert all(" 0 " in r.stderr and "duplicate" in r.stderr for r in again), again


def test_two_imports_at_once_store_the_details_once(
    source: Run, env: Environment, tmp_path: Path
) -> None:
    db = tmp_path / "new.db"
    dest = other_db(env, db)
    for args in STEPS:
        if args[1] == "old.db":
            ok(source(*[str(tmp_path / a) if a.endswith(".csv") else a for a in args[2:]]))
    ok(dest("import", "teams", str(tmp_path / "cw01-team.csv")))
    ok(dest("import", "pledges", str(tmp_path / "cw01-pledges.csv")))
    for what in ("actions", "meetings"):
        kind = "next-meetings" if what == "meetings" else what
        runs = at_once(db, "import", kind, str(tmp_path / f"cw01-{what}.csv"))
        assert [code for code, _, _ in runs] == [0, 0], runs
    tables = snapshot(db)
    src = snapshot(tmp_path / "pt.db")
    for table in ("actions", "priorities", "victim_contacts", "planned_meetings"):
        assert len(tables[table]) == len(src[table]), table
    # a meeting recorded with neither attendance nor priorities travels as its action
    assert len(tables["meetings"]) == len(src["meetings"]) - 1
    same_views(source, dest)


def _drop(path: Path, columns: tuple[str, ...]) -> Path:
    """The file as an older release wrote it: without these columns."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    keep = [i for i, name in enumerate(rows[0]) if name not in columns]
    older = path.with_name(f"older-{path.name}")
    with older.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    return older


def test_a_team_moved_by_an_older_release_is_completed(
    source: Run, env: Environment, tmp_path: Path
) -> None:
    """The move F25 reported: actions without their details, commitments as attached, no
    announcement. Running the sequence again gives the new database what it lacked."""
    db = tmp_path / "new.db"
    dest = other_db(env, db)
    move(source, dest, tmp_path)
    ok(source("export", "actions", "--team", "CW01", "--include-void", "-o",
              str(tmp_path / "a.csv")))  # fmt: skip
    older = _drop(tmp_path / "a.csv", national_store.DETAIL_COLUMNS)
    broken = other_db(env, tmp_path / "broken.db")
    ok(broken("import", "teams", str(tmp_path / "cw01-team.csv")))
    ok(broken("pledge", "add", "CW01", "Patrols in Castle Park", "--at-least", "2", "--per",
              "week", "--action-kind", "patrol", "--agreed", "01/09/2008"))  # fmt: skip
    ok(broken("import", "actions", str(older)))
    assert ok(broken("priorities", "CW01", "-f", "plain")).stdout != ok(
        source("priorities", "CW01", "-f", "plain")
    ).stdout
    result = move(source, broken, tmp_path)
    assert result[6].stderr == (
        "imported 0 actions from 7 rows; 7 duplicates skipped\n"
        "note: 5 actions stored before were given the file's case or meeting details\n"
    ), result[6].stderr
    same_views(source, broken)
    with nothing_written(tmp_path / "broken.db"):
        assert "given the file's" not in move(source, broken, tmp_path)[6].stderr


def _actions_file(source: Run, tmp_path: Path) -> tuple[Path, list[list[str]]]:
    path = tmp_path / "a.csv"
    ok(source("export", "actions", "-o", str(path)))
    with path.open(encoding="utf-8", newline="") as fh:
        return path, list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return path


def _column(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


@pytest.mark.parametrize(
    ("pick", "column", "cell", "problem"),
    [
        ("Foot patrol", "case", "LE/1/08", "case: only an action of a team's N9 has a case, "
         "and CW01-L1 is not one"),
        ("Foot patrol", "priorities", "x", "priorities: only an action of a team's N7 has a "
         "priorities, and CW01-L1 is not one"),
        ("Public meeting", "attendance", "-1", "attendance: must be a whole number from 0 to "
         "1,000,000, not -1"),
        ("Public meeting", "attendance", "2.5", "attendance: not a whole number: '2.5'"),
        ("Public meeting", "priorities", " ; ;", "priorities: separate the priorities with "
         "';', e.g. 'speeding; litter'"),
    ],
)  # fmt: skip
def test_a_bad_detail_is_refused_naming_file_line_and_column(
    source: Run, env: Environment, tmp_path: Path, pick: str, column: str, cell: str,
    problem: str,
) -> None:  # fmt: skip
    _, rows = _actions_file(source, tmp_path)
    dest = other_db(env, tmp_path / "new.db")
    ok(dest("import", "teams", str(_exported(source, tmp_path, "teams"))))
    ok(dest("import", "pledges", str(_exported(source, tmp_path, "pledges"))))
    line = next(n for n, row in enumerate(rows, start=1) if row[5].startswith(pick))
    rows[line - 1][_column(rows, column)] = cell
    bad = _write(tmp_path / "bad.csv", rows)
    with nothing_written(tmp_path / "new.db"):
        result = dest("import", "actions", str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"line {line}: {problem}",
        f"error: {bad}: 1 invalid row; nothing imported",
    ]


def _exported(source: Run, tmp_path: Path, what: str) -> Path:
    path = tmp_path / f"{what}.csv"
    ok(source("export", what, "--team", "CW01", "-o", str(path)))
    return path


def test_a_stored_case_is_never_changed_by_an_import(
    source: Run, env: Environment, tmp_path: Path
) -> None:
    dest = other_db(env, tmp_path / "new.db")
    move(source, dest, tmp_path)
    path, rows = _actions_file(source, tmp_path)
    case = _column(rows, "case")
    line = next(n for n, row in enumerate(rows, start=1) if row[case] == "LE/77/08")
    rows[line - 1][case] = "LE/78/08"
    with nothing_written(tmp_path / "new.db"):
        result = dest("import", "actions", str(_write(path, rows)))
    assert result.exit_code == 2
    assert re.fullmatch(
        rf"line {line}: case: action \d+ is already stored, with case 'LE/77/08' \(an import "
        r"never changes an action\)",
        result.stderr.splitlines()[0],
    ), result.stderr


def test_a_differing_detail_names_its_line_and_the_stored_value(
    source: Run, env: Environment, tmp_path: Path
) -> None:
    dest = other_db(env, tmp_path / "new.db")
    move(source, dest, tmp_path)
    path, rows = _actions_file(source, tmp_path)
    attendance = _column(rows, "attendance")
    line = next(n for n, row in enumerate(rows, start=1) if row[attendance] == "23")
    rows[line - 1][attendance] = "24"
    with nothing_written(tmp_path / "new.db"):
        result = dest("import", "actions", str(_write(path, rows)))
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert re.fullmatch(
        rf"line {line}: attendance: action \d+ is already stored, with attendance 23 \(an "
        r"import never changes an action\)",
        first,
    ), first


def test_export_pledges_leaves_out_a_commitment_as_attached(source: Run, tmp_path: Path) -> None:
    """The file keeps its shape for a team whose commitments are as `team add` gave them:
    only those edited, closed or dated apart are written."""
    refs = [row["ref"] for row in _rows(_exported(source, tmp_path, "pledges"))]
    assert refs == ["CW01-N4", "CW01-N7", "CW01-N10", "CW01-L1"]
    ok(source("pledge", "edit", "CW01-N4", "--within", "24h", "--threshold", "100", "--yes"))
    refs = [row["ref"] for row in _rows(_exported(source, tmp_path, "pledges"))]
    assert refs == ["CW01-N7", "CW01-N10", "CW01-L1"]  # back to the catalogue's: as attached


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_commitment_applying_from_a_later_day_moves_with_its_day(
    cli: Run, env: Environment, tmp_path: Path
) -> None:
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--since", "01/09/2008",
           "--national-only", "N4"))  # fmt: skip
    ok(cli("team", "national", "BL02", "--since", "01/10/2008", "--only", "N7"))
    dest = other_db(env, tmp_path / "new.db")
    for what in ("teams", "pledges"):
        path = tmp_path / f"{what}.csv"
        ok(cli("export", what, "--team", "BL02", "-o", str(path)))
        ok(dest("import", what, str(path)))
    listing = ("pledge", "list", "--team", "BL02", "-f", "csv")
    assert ok(dest(*listing)).stdout == ok(cli(*listing)).stdout
    assert ",2008-10-01," in ok(dest(*listing)).stdout


def test_a_commitment_edited_in_the_receiving_database_is_refused(
    source: Run, env: Environment, tmp_path: Path
) -> None:
    db = tmp_path / "new.db"
    dest = other_db(env, db)
    ok(dest("import", "teams", str(_exported(source, tmp_path, "teams"))))
    ok(dest("pledge", "edit", "CW01-N4", "--within", "36h", "--yes"))
    pledges = _exported(source, tmp_path, "pledges")
    with nothing_written(db):
        result = dest("import", "pledges", str(pledges))
    assert result.stderr.splitlines()[0] == (
        "line 2: within: CW01-N4 is already stored, with a different within (an import "
        "never changes a pledge)"
    )


def test_a_withdrawal_that_would_drop_actions_there_is_refused(
    source: Run, env: Environment, tmp_path: Path
) -> None:
    """N10 withdrawn on 15 October here; the receiving database logged on it later."""
    db = tmp_path / "new.db"
    dest = other_db(env, db)
    ok(dest("import", "teams", str(_exported(source, tmp_path, "teams"))))
    ok(dest("log", "CW01-N10", "Complaint answered", "--when", "16/10/2008 09:00"))
    pledges = str(_exported(source, tmp_path, "pledges"))
    for dry_run in ((), ("--dry-run",)):  # a dry run says so too
        with nothing_written(db):
            result = dest("import", "pledges", pledges, *dry_run)
        assert result.exit_code == 2
        assert result.stderr.startswith("line 4: ")
        assert "would leave 1 logged action of CW01-N10 after it closed" in result.stderr


def test_a_national_ref_outside_n1_to_n10_is_refused(cli: Run, team: str, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("team,title,agreed,ref\nCW01,X,01/09/2008,CW01-N11\n", encoding="utf-8")
    with nothing_written(tmp_path / "pt.db"):
        result = cli("import", "pledges", str(path))
    assert result.stderr.splitlines() == [
        "line 2: ref: CW01-N11: the national commitments are N1 to N10",
        f"error: {path}: 1 invalid row; nothing imported",
    ]


MEETINGS_HEADER = ",".join(meeting_columns.COLUMN_NAMES)


@pytest.mark.parametrize(
    ("announced", "cancelled", "problem"),
    [
        ("16/10/2008 15:05", "", None),  # five minutes ahead of our clock: theirs
        ("16/10/2008 15:05:01", "", "line 2: announced: 2008-10-16T15:05:01+01:00 is in the "
         "future"),
        ("14/10/2008 20:00", "14/10/2008 20:00", None),  # called off the moment it was made
        ("14/10/2008 20:00", "14/10/2008 19:59:59", "line 2: cancelled: "
         "2008-10-14T19:59:59+01:00 is before it was announced (2008-10-14T20:00:00+01:00)"),
        ("14/10/2008 20:00", "16/10/2008 15:05:01", "line 2: cancelled: "
         "2008-10-16T15:05:01+01:00 is in the future"),
        ("yesterday", "", "line 2: announced: 'yesterday' depends on the day it is read; a "
         "file needs the date itself, e.g. 14/10/2008 19:30"),
        ("", "", "line 2: announced: required, but empty"),
    ],
)  # fmt: skip
def test_announcement_edges(
    cli: Run, team: str, tmp_path: Path, announced: str, cancelled: str, problem: str | None
) -> None:
    path = tmp_path / "m.csv"
    path.write_text(f"{MEETINGS_HEADER}\nCW01,10/11/2008 19:00,Hall,,{announced},{cancelled}\n",
                    encoding="utf-8")  # fmt: skip
    if problem is None:
        assert ok(cli("import", "next-meetings", str(path))).stderr == (
            "imported 1 meeting announcement from 1 row\n"
        )
        return
    with nothing_written(tmp_path / "pt.db"):
        result = cli("import", "next-meetings", str(path))
    assert result.exit_code == 2
    refused = f"error: {path}: 1 invalid row; nothing imported"
    assert result.stderr.splitlines() == [problem, refused]


def test_an_announcement_stored_otherwise_is_refused(cli: Run, team: str, tmp_path: Path) -> None:
    ok(cli("next-meeting", team, "--when", "10/11/2008 19:00", "--place", "Library"))
    path = tmp_path / "m.csv"
    ok(cli("export", "next-meetings", "-o", str(path)))
    path.write_text(path.read_text(encoding="utf-8").replace("Library", "Hall"),
                    encoding="utf-8")  # fmt: skip
    with nothing_written(tmp_path / "pt.db"):
        result = cli("import", "next-meetings", str(path))
    assert result.stderr.splitlines()[0] == (
        "line 2: place: CW01's meeting of 2008-11-10T19:00:00+00:00 is already stored, with a "
        "different place (an import never changes a meeting announcement)"
    )


def test_a_cancelled_announcement_moves_cancelled(
    cli: Run, team: str, env: Environment, tmp_path: Path
) -> None:
    ok(cli("next-meeting", team, "--when", "10/11/2008 19:00"))
    ok(cli("next-meeting", team, "--cancel"))
    dest = other_db(env, tmp_path / "new.db")
    move(cli, dest, tmp_path)
    for as_of in ("16/10/2008 14:59", "16/10/2008 15:00"):
        view = ("report", "update", team, "--period", "2008-10", "--as-of", as_of)
        assert ok(dest(*view)).stdout == ok(cli(*view)).stdout


def test_import_next_meetings_needs_the_database(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(f"{MEETINGS_HEADER}\n", encoding="utf-8")
    missing = other_db(Environment.from_os({}), tmp_path / "none.db")
    result = missing("import", "next-meetings", str(path))
    assert result.exit_code == 3 and not (tmp_path / "none.db").exists()


def test_the_docs_tables_are_the_declarations() -> None:
    text = DOCS.read_text(encoding="utf-8")
    first = len(exporter.ACTION_FIELDS) - len(national_store.DETAILS) + 1
    rows = [f"| {n} | `{d.export}` | {d.doc_type} | {d.meaning} | `{d.example}` |"
            for n, d in enumerate(national_store.DETAILS, start=first)]  # fmt: skip
    assert "\n".join(rows) in text, "docs/export-schema.md wants:\n" + "\n".join(rows)
    meetings = [f"| `{c.name}` | {c.meaning} | `{c.example}` |"
                for c in meeting_columns.MEETING_COLUMNS]  # fmt: skip
    table = "\n".join(["| column | meaning | example |", "| --- | --- | --- |", *meetings])
    assert table in text, f"docs/export-schema.md wants:\n{table}"
    assert national_store.Details._fields == national_store.DETAIL_COLUMNS


def test_the_docs_sequence_is_four_exports_then_four_imports() -> None:
    assert [args[2:4] for args in STEPS] == [
        ["export", "teams"], ["export", "pledges"], ["export", "actions"],
        ["export", "next-meetings"], ["import", "teams"], ["import", "pledges"],
        ["import", "actions"], ["import", "next-meetings"],
    ]  # fmt: skip



def test_a_redacted_export_leaves_the_priorities_out_and_keeps_the_case(
    source: Run, tmp_path: Path
) -> None:
    """Residents' own words are free text, as a description is; a case is a reference."""
    full = _rows(_exported_actions(source, tmp_path, "full.csv"))
    shared = _rows(_exported_actions(source, tmp_path, "shared.csv", "--redact"))
    assert [r["priorities"] for r in shared] == [""] * len(shared)
    assert [r["case"] for r in shared] == [r["case"] for r in full]
    assert [r["attendance"] for r in shared] == [r["attendance"] for r in full]
    assert any(r["priorities"] for r in full) and "drugs" not in str(shared)


def _exported_actions(source: Run, tmp_path: Path, name: str, *options: str) -> Path:
    path = tmp_path / name
    ok(source("export", "actions", *options, "-o", str(path)))
    return path
