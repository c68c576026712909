"""`export teams` -> `import teams`: teams registered in another database as `team add`
registers them, national commitments from the same day; with `export pledges` and
`export actions`, a whole team moves and reports the same there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import invoke
from helpers import KEPT_IN_LONDON, Run, assert_error, at_once, fails, nothing_written, ok, snapshot
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.services.team_columns import COLUMN_NAMES, TEAM_COLUMNS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "export-schema.md"
HEADER = ",".join(COLUMN_NAMES)
ALL = "N1,N2,N3,N4,N5,N6,N7,N8,N9,N10"


@pytest.fixture
def teams(cli: Run, team: str) -> Run:
    """CW01 with N1-N10 from today (16/10/2008); BL02 rural with N4 and N7 from 1 Sep; ZZ09
    with none, archived."""
    ok(cli("team", "add", "BL02", "--name", "Belgrave, \"North\"", "--setting", "rural",
           "--sergeant", "Sgt Ø", "--contact", "=0116 222 2222", "--national-only", "n7,N4",
           "--since", "01/09/2008"))  # fmt: skip
    ok(cli("team", "add", "ZZ09", "--name", "Quiet", "--no-national"))
    ok(cli("team", "archive", "ZZ09", "--yes"))
    return cli


@pytest.fixture
def fresh(env: Environment, tmp_path: Path) -> Run:
    """Another database, new.db, not created yet."""

    def run(*args: str, input: str | None = None) -> Result:
        return invoke(["--db", str(tmp_path / "new.db"), *args], env, input)

    return run


EXPORTED = (
    f"{HEADER}\n"
    "BL02,\"Belgrave, \"\"North\"\"\",,,Sgt Ø,'=0116 222 2222,rural,\"N4,N7\",2008-09-01,1\n"
    f"CW01,Castle Ward,Leicestershire Police,,,,urban,\"{ALL}\",2008-10-16,1\n"
)


def test_export_teams_writes_the_options_of_team_add(teams: Run) -> None:
    assert ok(teams("export", "teams")).stdout == EXPORTED
    archived = ok(teams("export", "teams", "--all")).stdout.splitlines()
    assert archived[-1] == "ZZ09,Quiet,,,,,urban,,,0"
    named = ok(teams("export", "teams", "--team", "zz09")).stdout.splitlines()
    assert named == [HEADER, "ZZ09,Quiet,,,,,urban,,,0"]
    rows = json.loads(ok(teams("export", "teams", "-f", "json")).stdout)
    assert rows[0]["contact"] == "=0116 222 2222" and rows[0]["national"] == "N4,N7"


def test_import_teams_creates_the_database_and_registers_them_as_team_add(
    teams: Run, fresh: Run, tmp_path: Path
) -> None:
    path = tmp_path / "t.csv"
    ok(teams("export", "teams", "-o", str(path)))
    dry = ok(fresh("import", "teams", str(path), "--dry-run"))
    assert (dry.stdout, dry.stderr) == ("", "would import 2 teams from 2 rows\n")
    assert not (tmp_path / "new.db").exists()
    done = ok(fresh("import", "teams", str(path)))
    assert done.stdout == "BL02\nCW01\n"
    assert ok(fresh("export", "teams")).stdout == EXPORTED
    n7 = json.loads(ok(fresh("pledge", "show", "BL02-N7", "-f", "json")).stdout)
    assert n7["agreed_on"] == "2008-09-01"
    with nothing_written(tmp_path / "new.db"):
        again = ok(fresh("import", "teams", str(path)))
    skipped = "imported 0 teams from 2 rows; 2 duplicates skipped\n"
    assert (again.stdout, again.stderr) == ("", skipped)
    refused = fresh("import", "teams", str(path), "--on-duplicate", "error")
    assert refused.exit_code == ExitCode.USAGE
    assert refused.stderr.splitlines()[:2] == [
        "line 2: code: duplicate team BL02 (already stored)",
        "line 3: code: duplicate team CW01 (already stored)",
    ]


def test_a_whole_team_moves_with_its_pledges_and_actions(
    teams: Run, fresh: Run, tmp_path: Path
) -> None:
    """The sequence of docs/export-schema.md: each database reports the same figures."""
    ok(teams("pledge", "add", "BL02", "Patrols", "--at-least", "1", "--per", "week",
             "--agreed", "01/10/2008"))  # fmt: skip
    ok(teams("log", "BL02-L1", "Foot patrol", "--when", "03/10/2008 19:30"))
    ok(teams("message", "BL02", "--received", "13/10/2008 10:00", "--when", "14/10/2008 09:00"))
    ok(teams("pledge", "close", "BL02-L1", "--status", "withdrawn", "--outcome", "Merged",
             "--on", "15/10/2008"))  # fmt: skip
    files = {what: tmp_path / f"{what}.csv" for what in ("teams", "pledges", "actions")}
    for what, path in files.items():
        ok(teams("export", what, "--team", "BL02", "-o", str(path)))
        ok(fresh("import", what, str(path)))
    summary = ("summary", "--period", "2008-10", "--team", "BL02", "-f", "csv")
    assert ok(fresh(*summary)).stdout == ok(teams(*summary)).stdout
    assert "BL02-N4" in ok(fresh(*summary)).stdout
    for what in files:
        again = ok(fresh("import", what, str(files[what])))
        assert again.stdout == "" and "imported 0 " in again.stderr


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("CW01,Castle Ward,Leicestershire Police,,,,urban,,,1", "line 2: national: CW01 is "
         "already stored, with a different national (an import never changes a team)"),
        ("CW01,Castle Wards,Leicestershire Police,,,,urban,,,1", "line 2: name: CW01 is "
         "already stored, with a different name (an import never changes a team)"),
        ("NEW1,New,,,,,suburban,,,1", "line 2: setting: must be urban or rural, not "
         "'suburban'"),
        ("NEW1,New,,,,,,N11,2008-09-01,1", "line 2: national: --national-only: unknown "
         "national commitment 'N11' (they are N1 to N10; see: pledgetrack national)"),
        ("NEW1,New,,,,,,N4,,1", "line 2: since: required with national commitments (the day "
         "they apply from)"),
        ("NEW1,New,,,,,,,2008-09-01,1", "line 2: since: given, but the team has no national "
         "commitments"),
        ("NEW1,New,,,,,,N4,tuesday,1", "line 2: since: 'tuesday' depends on the day it is "
         "read; a file needs the date itself, e.g. 14/10/2008 19:30"),
        ("NEW1,New,,,,,,,,0", "line 2: active: NEW1 is archived; import teams registers "
         "active teams (import it active, then run team archive NEW1 once its pledges and "
         "actions are in)"),
        ("NEW1, ,,,,,,,,1", "line 2: name: required, but empty"),
        ("CW01-L1,New,,,,,,,,1", "line 2: code: team code 'CW01-L1' looks like a pledge "
         "reference (TEAM-L<n>, TEAM-N<n>); choose another, e.g. CW01"),
    ],
)  # fmt: skip
def test_refused_rows_name_line_and_column_and_write_nothing(
    teams: Run, db: Path, tmp_path: Path, row: str, problem: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    with nothing_written(db):
        result = teams("import", "teams", str(path))
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    refused = f"error: {path}: 1 invalid row; nothing imported"
    assert result.stderr.splitlines() == [problem, refused]


@pytest.mark.parametrize("setting", ["suburban", "urbane", "rural-ish"])
def test_a_bad_setting_reads_alike_in_team_add_and_import_teams(
    teams: Run, db: Path, tmp_path: Path, setting: str
) -> None:
    """One rule (domain.vocabulary.word_of, Setting's words): the file's line says what
    `team add --setting` says, the column in place of the option (named once, FRESH2 G18)."""
    typed = fails(teams, db, "team", "add", "NEW1", "--name", "New", "--setting", setting)
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\nNEW1,New,,,,,{setting},,,1\n", encoding="utf-8")
    filed = teams("import", "teams", str(path)).stderr.splitlines()[0]
    said = typed.partition(" (see: ")[0]
    assert said == f"--setting must be urban or rural, not {setting!r}"
    assert filed == f"line 2: setting: {said.removeprefix('--setting ')}"  # named once


@pytest.mark.parametrize("setting", ["RURAL", "Rural", " rural "])
def test_a_setting_in_a_file_is_read_in_any_case(teams: Run, tmp_path: Path, setting: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f'{HEADER}\nNEW1,New,,,,,"{setting}",,,1\n', encoding="utf-8")
    ok(teams("import", "teams", str(path)))
    shown = json.loads(ok(teams("team", "show", "NEW1", "-f", "json")).stdout)
    assert shown["setting"] == "rural"


def test_a_hand_typed_list_of_teams_gets_n1_to_n10(cli: Run, db: Path, tmp_path: Path) -> None:
    """Without a national column, each team gets N1-N10 from since, as `team add` would."""
    path = tmp_path / "t.csv"
    path.write_text("code,name,since\ncw01,Castle Ward,01/09/2008\ncw01,Castle Ward,2008-09-01\n",
                    encoding="utf-8")  # fmt: skip
    result = ok(cli("import", "teams", str(path)))
    assert result.stdout == "CW01\n"
    assert result.stderr.splitlines() == [
        f"created database {db}{KEPT_IN_LONDON}",
        "imported 1 team from 2 rows; 1 duplicate skipped",
    ]
    assert len([p for p in snapshot(db)["pledges"] if "-N" in p[1]]) == 10


def test_a_code_twice_in_a_file_with_different_rows_is_refused(
    cli: Run, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\nA1,One,,,,,,,,1\nA1,One,,,,,rural,,,1\n", encoding="utf-8")
    result = cli("import", "teams", str(path))
    assert result.stderr.splitlines()[0] == (
        "line 3: setting: A1 is on line 2 too, with a different setting (an import never "
        "changes a team)"
    )
    assert not db.exists()  # a refused first import creates no database


def test_national_commitments_from_several_days_are_noted(teams: Run) -> None:
    ok(teams("team", "national", "BL02", "--only", "N1", "--since", "01/10/2008"))
    result = ok(teams("export", "teams", "--team", "BL02"))
    assert result.stdout.splitlines()[1].endswith(',"N1,N4,N7",2008-09-01,1')
    assert result.stderr == (
        "note: BL02's national commitments apply from 2 different days (2008-09-01, "
        "2008-10-01); the file gives the earliest, 2008-09-01, and export pledges the "
        "others'\n"
    )


def test_an_archived_team_stored_alike_is_a_duplicate(teams: Run, db: Path, tmp_path: Path) -> None:
    """`export teams --all` imported again into its own database adds nothing; only an
    archived team not stored yet is refused."""
    path = tmp_path / "t.csv"
    ok(teams("export", "teams", "--all", "-o", str(path)))
    with nothing_written(db):
        again = ok(teams("import", "teams", str(path)))
    assert again.stderr == "imported 0 teams from 3 rows; 3 duplicates skipped\n"


def test_export_teams_never_writes_over_its_database(teams: Run, db: Path) -> None:
    refusal = f"cannot write {db}: it is {db}, which this command reads; choose another file"
    fails(teams, db, "export", "teams", "-o", str(db), text=refusal)


def test_unknown_columns_are_refused(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("code,name,sargeant\nA1,One,Sgt\n", encoding="utf-8")
    unknown = f"{path}: line 1: unknown column 'sargeant' (did you mean 'sergeant'?)"
    assert_error(cli("import", "teams", str(path)), ExitCode.USAGE, unknown)


def test_two_processes_importing_one_file_register_each_team_once(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    lines = [f"T{n},Team {n},,,,,,N4,2008-09-01,1" for n in range(60)]
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "new.db"
    runs = at_once(db, "import", "teams", str(path))
    assert [code for code, _, _ in runs] == [0, 0], runs
    assert sorted(len(out.split()) for _, out, _ in runs) == [0, 60]
    tables = snapshot(db)
    assert (len(tables["teams"]), len(tables["pledges"])) == (60, 60)


def test_the_docs_table_is_the_declaration() -> None:
    rows = [f"| `{c.name}` | {c.meaning} | `{c.example}` |" for c in TEAM_COLUMNS]
    table = "\n".join(["| column | meaning | example |", "| --- | --- | --- |", *rows])
    assert table in DOCS.read_text(encoding="utf-8"), f"docs/export-schema.md wants:\n{table}"
