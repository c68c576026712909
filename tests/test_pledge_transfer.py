"""`export pledges` -> `import pledges`: a team's local pledges moved to another database
under the same refs, closings included, so that its actions follow; re-runs add nothing;
a ref stored with other content is refused, naming the line and column."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from conftest import fixed_clock, invoke
from helpers import (
    LONDON,
    NOW,
    Run,
    assert_error,
    at_once,
    fails,
    nothing_written,
    ok,
    snapshot,
    unwritable_folder,
)
from pledgetrack.csvcodec import write_csv
from pledgetrack.domain.dates import FIRST_DAY
from pledgetrack.domain.targets import DeadlineTarget, Target, format_duration
from pledgetrack.domain.text import blank
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.services.importer import PLEDGE_COLUMNS
from pledgetrack.services.pledge_columns import PLEDGE_COLUMNS as DECLARED
from test_target_fields import targets

DOCS = Path(__file__).resolve().parents[1] / "docs" / "export-schema.md"
HEADER = ",".join(PLEDGE_COLUMNS)
TODAY = NOW.date()


def _row(**cells: object) -> str:
    """One CSV line in PLEDGE_COLUMNS order (cells by column name, the rest empty)."""
    out = io.StringIO()
    write_csv([[cells.get(c) for c in PLEDGE_COLUMNS]], PLEDGE_COLUMNS, out)
    return out.getvalue().split("\n", 1)[1]


def _file(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "\n" + "".join(rows), encoding="utf-8")
    return path


@pytest.fixture
def source(cli: Run, team: str) -> Run:
    """CW01 with three local pledges, one of them closed; BL02 with one."""
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--since", "01/09/2008"))
    ok(cli("pledge", "add", team, "Patrols, \"two\" a week", "--at-least", "2", "--per",
           "week", "--action-kind", "patrol", "--agreed", "10/09/2008", "--meeting",
           "PACT, 10 Sep", "--description", "Castle Park\nand the café"))  # fmt: skip
    ok(cli("pledge", "add", team, "--within", "48h", "--threshold", "90", "--agreed",
           "10/09/2008", "--", "=HYPERLINK(\"x\")"))  # fmt: skip
    ok(cli("pledge", "add", team, "Lights", "--by", "28/11/2008", "--agreed", "10/09/2008"))
    ok(cli("pledge", "close", "CW01-L3", "--status", "achieved", "--outcome", "Fixed",
           "--on", "01/10/2008"))  # fmt: skip
    ok(cli("pledge", "add", "BL02", "Litter", "--share", "33.5", "--agreed", "2008-09-12"))
    return cli


@pytest.fixture
def other(env: Environment, tmp_path: Path) -> Run:
    """A second database, b.db, holding the same two teams and nothing else."""
    path = tmp_path / "b.db"

    def run(*args: str, input: str | None = None) -> Result:
        return invoke(["--db", str(path), *args], env, input)

    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--force", "Leicestershire Police"))
    ok(run("team", "add", "BL02", "--name", "Belgrave", "--since", "01/09/2008"))
    return run


EXPORTED = (
    HEADER + "\n"
    "BL02,Litter,,,,,,33.5,,2008-09-12,,,,BL02-L1,active,,,\n"
    'CW01,"Patrols, ""two"" a week",2,week,patrol,,100,,,2008-09-10,,"PACT, 10 Sep",'
    '"Castle Park\nand the café",CW01-L1,active,,,\n'
    'CW01,"\'=HYPERLINK(""x"")",,,,48h,90,,,2008-09-10,,,,CW01-L2,active,,,\n'
    "CW01,Lights,,,,,,,2008-11-28,2008-09-10,,,,CW01-L3,achieved,Fixed,2008-10-01,\n"
)


def test_export_pledges_writes_the_import_columns_and_leaves_national_out(source: Run) -> None:
    result = ok(source("export", "pledges"))
    assert result.stdout == EXPORTED
    assert "-N" not in result.stdout  # team add attaches N1-N10 in the receiving database
    one = ok(source("export", "pledges", "--team", "bl02")).stdout
    assert one.splitlines() == [HEADER, "BL02,Litter,,,,,,33.5,,2008-09-12,,,,BL02-L1,active,,,"]


def test_export_pledges_as_json_carries_text_without_the_guard(source: Run) -> None:
    rows = json.loads(ok(source("export", "pledges", "-f", "json")).stdout)
    assert [list(r) for r in rows] == [list(PLEDGE_COLUMNS)] * 4
    assert rows[2]["title"] == '=HYPERLINK("x")'
    assert (rows[2]["within"], rows[2]["threshold"]) == ("48h", 90)
    assert (rows[3]["status"], rows[3]["closed"], rows[3]["by"]) == ("achieved", "2008-10-01",
                                                                     "2008-11-28")  # fmt: skip
    lines = ok(source("export", "pledges", "-f", "jsonl")).stdout.splitlines()
    assert [json.loads(line) for line in lines] == rows


def test_export_then_import_gives_the_same_pledges_and_the_actions_follow(
    source: Run, other: Run, tmp_path: Path
) -> None:
    ok(source("log", "CW01-L1", "Foot patrol", "--when", "03/10/2008 19:30", "--kind", "patrol"))
    ok(source("log", "CW01-L3", "Lamp fixed", "--when", "30/09/2008 10:00", "--delivers"))
    pledges, actions = tmp_path / "p.csv", tmp_path / "a.csv"
    ok(source("export", "pledges", "-o", str(pledges)))
    ok(source("export", "actions", "-o", str(actions)))
    imported = ok(other("import", "pledges", str(pledges)))
    assert imported.stdout.split() == ["BL02-L1", "CW01-L1", "CW01-L2", "CW01-L3"]
    assert imported.stderr == "imported 4 pledges from 4 rows\n"
    assert ok(other("export", "pledges")).stdout == EXPORTED
    assert ok(other("import", "actions", str(actions))).stderr == "imported 2 actions from 2 rows\n"
    summary = ("export", "summary", "--period", "2008-10", "--as-of", "16/10/2008 15:00")
    assert ok(other(*summary)).stdout == ok(source(*summary)).stdout


def test_importing_the_same_export_again_adds_nothing(
    source: Run, other: Run, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    ok(source("export", "pledges", "-o", str(path)))
    ok(other("import", "pledges", str(path)))
    b = tmp_path / "b.db"
    with nothing_written(b):
        again = ok(other("import", "pledges", str(path)))
    skipped = "imported 0 pledges from 4 rows; 4 duplicates skipped\n"
    assert (again.stdout, again.stderr) == ("", skipped)
    # and into the database it came from
    db = tmp_path / "pt.db"
    with nothing_written(db):
        ok(source("import", "pledges", str(path)))
    refused = other("import", "pledges", str(path), "--on-duplicate", "error")
    assert refused.exit_code == ExitCode.USAGE
    first = refused.stderr.splitlines()[0]
    assert first == "line 2: ref: duplicate pledge BL02-L1 (already stored)"


def test_a_ref_stored_with_other_content_is_refused_naming_line_and_column(
    source: Run, other: Run, tmp_path: Path, db: Path
) -> None:
    path = tmp_path / "p.csv"
    ok(source("export", "pledges", "-o", str(path)))
    changed = tmp_path / "changed.csv"
    changed.write_text(path.read_text(encoding="utf-8").replace(",Fixed,", ",Fixed!,"),
                       encoding="utf-8")  # fmt: skip
    with nothing_written(db):
        result = source("import", "pledges", str(changed))
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr.splitlines() == [  # line 6: CW01-L1's description is two lines
        "line 6: outcome: CW01-L3 is already stored, with a different outcome (an import "
        "never changes a pledge)",
        f"error: {changed}: 1 invalid row; nothing imported",
    ]
    # the first column that differs is named: a title differs before its target
    retitled = _file(tmp_path / "t.csv", _row(team="CW01", title="Lights!", by="2008-12-01",
                                              agreed="2008-09-10", ref="cw01-l3",
                                              status="achieved", outcome="Fixed",
                                              closed="2008-10-01"))  # fmt: skip
    result = source("import", "pledges", str(retitled))
    assert result.stderr.splitlines()[0] == (
        "line 2: title: CW01-L3 is already stored, with a different title (an import never "
        "changes a pledge)"
    )


def test_a_ref_given_twice_in_a_file(team: str, cli: Run, db: Path, tmp_path: Path) -> None:
    same = _row(team="CW01", title="Litter", agreed="2008-09-10", ref="CW01-L4")
    path = _file(tmp_path / "p.csv", same, same)
    result = ok(cli("import", "pledges", str(path)))
    assert (result.stdout, result.stderr) == (
        "CW01-L4\n",
        "imported 1 pledge from 2 rows; 1 duplicate skipped\n",
    )
    other = _row(team="CW01", title="Litter", agreed="2008-09-11", ref="CW01-L5")
    path = _file(tmp_path / "q.csv", other, other.replace("09-11", "09-12"))
    result = cli("import", "pledges", str(path))
    assert result.stderr.splitlines()[0] == (
        "line 3: agreed: CW01-L5 is on line 2 too, with a different agreed (an import never "
        "changes a pledge)"
    )


def test_rows_without_refs_follow_the_refs_the_file_gives(
    team: str, cli: Run, tmp_path: Path
) -> None:
    """A row typed by hand gets the team's next number, after every ref in the file, so it
    never takes one a later row names; refs are printed in file order."""
    path = _file(
        tmp_path / "p.csv",
        _row(team="CW01", title="Typed", agreed="2008-09-10"),
        _row(team="CW01", title="Moved", agreed="2008-09-10", ref="CW01-L1"),
        _row(team="CW01", title="Moved later", agreed="2008-09-10", ref="CW01-L7"),
        _row(team="CW01", title="moved", agreed="2008-09-10"),  # the same as CW01-L1
    )
    result = ok(cli("import", "pledges", str(path)))
    assert result.stdout.split() == ["CW01-L8", "CW01-L1", "CW01-L7"]
    assert result.stderr == "imported 3 pledges from 4 rows; 1 duplicate skipped\n"
    added = ok(cli("pledge", "add", team, "Next", "--agreed", "2008-09-10")).stdout
    assert added == "CW01-L9\n"


def test_the_last_ref_is_given_and_then_none(
    team: str, cli: Run, db: Path, tmp_path: Path, other: Run
) -> None:
    """`pledge add` numbered CW01-L1000000001 after an import of the last ref, and its own
    export was refused by import (ATTACK4 A9): one limit, where refs are read and made."""
    path = _file(tmp_path / "p.csv",
                 _row(team="CW01", title="Last but one", agreed="2008-09-10",
                      ref="CW01-L999999999"))  # fmt: skip
    ok(cli("import", "pledges", str(path)))
    last = ok(cli("pledge", "add", team, "Last", "--agreed", "2008-09-10")).stdout
    assert last == "CW01-L1000000000\n"
    fails(cli, db, "pledge", "add", team, "One more", "--agreed", "2008-09-10",
          text="team CW01 has no pledge reference left: the next would be CW01-L1000000001, "
          "and the number of a reference must be a whole number from 1 to 1,000,000,000 (an "
          "import of refs numbered that high used them up)")  # fmt: skip
    typed = _file(tmp_path / "typed.csv", _row(team="CW01", title="Typed", agreed="2008-09-10"))
    with nothing_written(db):
        result = cli("import", "pledges", str(typed))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0].startswith(
        "line 2: ref: team CW01 has no pledge reference left: the next would be CW01-L1000000001"
    )
    exported = tmp_path / "out.csv"
    ok(cli("export", "pledges", "--team", team, "-o", str(exported)))
    moved = ok(other("import", "pledges", str(exported))).stdout
    assert moved.split() == ["CW01-L999999999", "CW01-L1000000000"]


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"ref": "BL02-L1"}, "ref: 'BL02-L1' is not a pledge reference of team CW01 (CW01-L<n>, "
                             "or CW01-N<n> for a national commitment)"),
        ({"ref": "CW01-N4"}, "target: CW01-N4 has a response target (the national "
                             "catalogue's), not none"),
        ({"ref": "CW01-N11"}, "ref: CW01-N11: the national commitments are N1 to N10"),
        ({"ref": "CW01-L0"}, "ref: CW01-L0: the number of a reference must be a whole number "
                             "from 1 to 1,000,000,000"),
        ({"ref": "CW01-L1000000001"}, "ref: CW01-L1000000001: the number of a reference must "
                                      "be a whole number from 1 to 1,000,000,000"),
        ({"ref": "CW01-L\u0661"},  # an Arabic-Indic one is no digit of a reference
         "ref: 'CW01-L\u0661' is not a pledge reference of team CW01 (CW01-L<n>, or CW01-N<n> "
         "for a national commitment)"),
        ({"status": "done"}, "status: must be active, achieved, not-achieved or "
                             "withdrawn, not 'done'"),
        ({"status": "achieved", "outcome": "Done"},
         "closed: required for a achieved pledge (the day it closed)"),
        ({"closed": "2008-10-01"}, "closed: given, but the status is active (an active pledge "
                                   "is not closed)"),
        ({"outcome": "Done"}, "outcome: given, but the status is active (an active pledge is "
                              "not closed)"),
        ({"status": "achieved", "outcome": "Done", "closed": "2008-09-09"},
         "closed: 09/09 is before the pledge was agreed (10/09)"),
        ({"status": "achieved", "outcome": "Done", "closed": "2008-10-17"},
         "closed: 17/10 is in the future"),
        ({"status": "achieved", "outcome": "Done", "closed": "yesterday"},
         "closed: 'yesterday' depends on the day it is read; a file needs the date itself, "
         "e.g. 14/10/2008 19:30"),
    ],
)  # fmt: skip
def test_refused_refs_and_closings_name_line_and_column(
    team: str, cli: Run, db: Path, tmp_path: Path, cells: dict[str, str], problem: str
) -> None:
    path = _file(tmp_path / "p.csv", _row(team="CW01", title="Litter", agreed="2008-09-10",
                                          **cells))  # fmt: skip
    with nothing_written(db):
        result = cli("import", "pledges", str(path))
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr.splitlines() == [
        f"line 2: {problem}",
        f"error: {path}: 1 invalid row; nothing imported",
    ]


def test_closing_edges_today_and_the_agreed_day_are_accepted(
    team: str, cli: Run, tmp_path: Path
) -> None:
    path = _file(
        tmp_path / "p.csv",
        _row(team="CW01", title="A", agreed="2008-09-10", status="Withdrawn", outcome=" x ",
             closed="10/09/2008"),
        _row(team="CW01", title="B", agreed="2008-09-10", status="not-achieved", outcome="y",
             closed=TODAY.isoformat()),
    )  # fmt: skip
    ok(cli("import", "pledges", str(path)))
    shown = json.loads(ok(cli("pledge", "list", "--status", "all", "-f", "json")).stdout)
    local = {r["ref"]: r for r in shown if "-L" in r["ref"]}
    assert {ref: r["status"] for ref, r in local.items()} == {
        "CW01-L1": "withdrawn",
        "CW01-L2": "not-achieved",
    }
    exported = ok(cli("export", "pledges")).stdout.splitlines()
    assert exported[1].endswith(",CW01-L1,withdrawn, x ,2008-09-10,")  # no target change
    assert exported[2].endswith(f",CW01-L2,not-achieved,y,{TODAY.isoformat()},")


def test_an_unknown_column_is_still_refused(team: str, cli: Run, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("team,title,agreed,refs\nCW01,A,2008-09-10,CW01-L1\n", encoding="utf-8")
    fails(cli, db, "import", "pledges", str(path),
          text=f"{path}: line 1: unknown column 'refs' (did you mean 'ref'?)")  # fmt: skip


def test_an_old_file_without_the_new_columns_imports_as_before(
    team: str, cli: Run, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    path.write_text("team,title,agreed\nCW01,A,2008-09-10\n", encoding="utf-8")
    assert ok(cli("import", "pledges", str(path))).stdout == "CW01-L1\n"


def test_export_pledges_refuses_an_unknown_team_and_a_missing_database(
    source: Run, db: Path, env: Environment, tmp_path: Path
) -> None:
    fails(source, db, "export", "pledges", "--team", "ZZ99",
          text="unknown team 'ZZ99' (see: pledgetrack team list)")  # fmt: skip
    missing = tmp_path / "missing.db"
    result = invoke(["--db", str(missing), "export", "pledges"], env)
    assert_error(result, ExitCode.DATABASE)
    assert not missing.exists()


def test_export_pledges_never_writes_over_its_database(source: Run, db: Path) -> None:
    before = db.read_bytes()
    refusal = f"cannot write {db}: it is {db}, which this command reads; choose another file"
    fails(source, db, "export", "pledges", "-o", str(db), text=refusal)
    assert db.read_bytes() == before


def test_export_pledges_replaces_an_unrelated_file_whole(
    source: Run, tmp_path: Path
) -> None:
    """As every export: -o onto an existing file replaces it, complete, and says so."""
    target = tmp_path / "notes.csv"
    target.write_text("something else\n" * 1000, encoding="utf-8")
    result = ok(source("export", "pledges", "-o", str(target)))
    assert result.stderr == f"wrote 4 rows to {target}\n"
    assert target.read_text(encoding="utf-8") == EXPORTED
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_pledges_into_a_folder_the_system_refuses_is_exit_74(
    source: Run, tmp_path: Path
) -> None:
    target = unwritable_folder(tmp_path) / "pledges.csv"
    assert_error(source("export", "pledges", "-o", str(target)), ExitCode.IO,
                 f"cannot write {target}: Permission denied")  # fmt: skip
    assert not target.exists()


def test_two_processes_importing_one_export_add_each_pledge_once(
    source: Run, other: Run, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    rows = [_row(team="CW01", title=f"Pledge {n}", agreed="2008-09-10", ref=f"CW01-L{n}")
            for n in range(1, 301)]  # fmt: skip
    _file(path, *rows)
    b = tmp_path / "b.db"
    runs = at_once(b, "import", "pledges", str(path))
    assert [code for code, _, _ in runs] == [0, 0], runs
    printed = sorted(len(out.split()) for _, out, _ in runs)
    assert printed == [0, 300]  # one wrote them all, the other found them stored
    stored = snapshot(b)["pledges"]
    assert len([p for p in stored if "-L" in p[1]]) == 300


# -- the property: any texts and targets survive export -> import -> export ----------------

texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
formulas = st.sampled_from(["=1+1", "'=x", "''+y", "-10% burglaries", "@SUM(A1)", "\tx", "\r"])
free_text = st.one_of(texts, formulas, st.builds(lambda a, b: a + b, formulas, texts))


@st.composite
def pledges(draw: st.DrawFn) -> dict[str, object]:
    """A pledge as `import pledges` reads one: any text, any target, open or closed."""
    target: Target = draw(targets)
    agreed = draw(st.dates(FIRST_DAY, TODAY))
    if isinstance(target, DeadlineTarget) and target.due < agreed:
        target = DeadlineTarget(due=agreed + timedelta(days=draw(st.integers(0, 400))))
    cells: dict[str, object] = {
        "title": draw(free_text.filter(lambda t: not blank(t))),  # required: shows something
        "agreed": agreed,
        "review": draw(st.none() | st.dates(agreed, date(2199, 12, 31))),
        "meeting": draw(free_text),
        "description": draw(free_text),
    }
    for name, value in target.model_dump(exclude={"type"}).items():
        column = {"count": "at_least", "unit": "per", "action_kind": "action_kind",
                  "within_minutes": "within", "threshold_pct": "threshold",
                  "share_pct": "share", "due": "by"}[name]  # fmt: skip
        cells[column] = format_duration(value) if column == "within" else value
    if draw(st.booleans()):
        cells["status"] = draw(st.sampled_from(["achieved", "not-achieved", "withdrawn"]))
        cells["outcome"] = draw(free_text.filter(lambda t: not blank(t)))
        cells["closed"] = draw(st.dates(agreed, TODAY))
    return cells


@pytest.fixture(scope="module")
def two_teams(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A database holding CW01 and nothing else, as bytes to start each example from."""
    folder = tmp_path_factory.mktemp("template")
    env = Environment(tz=LONDON, stdout_isatty=False, stdin_isatty=False, no_color=False,
                      user="t", data_dir=folder, vars={}, clock=fixed_clock(NOW))  # fmt: skip
    path = folder / "t.db"
    ok(invoke(["--db", str(path), "team", "add", "CW01", "--name", "Castle Ward"], env))
    return path.read_bytes()


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(pledges(), min_size=1, max_size=6))
def test_any_pledges_survive_export_and_import_byte_for_byte(
    rows: list[dict[str, object]], two_teams: bytes, env: Environment
) -> None:
    """Database A's export, imported into B, exported from B, is the same file byte for
    byte; and every text comes back as it was typed (JSON, which carries no guard)."""
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        a, b = here / "a.db", here / "b.db"
        a.write_bytes(two_teams)
        b.write_bytes(two_teams)
        typed = here / "typed.csv"
        with typed.open("w", encoding="utf-8", newline="") as out:
            write_csv(([{"team": "CW01", **r}.get(c) for c in PLEDGE_COLUMNS] for r in rows),
                      PLEDGE_COLUMNS, out)  # fmt: skip
        ok(invoke(["--db", str(a), "import", "pledges", str(typed)], env))
        exported = here / "a.csv"
        ok(invoke(["--db", str(a), "export", "pledges", "-o", str(exported)], env))
        ok(invoke(["--db", str(b), "import", "pledges", str(exported)], env))
        again = ok(invoke(["--db", str(b), "export", "pledges"], env)).stdout_bytes
        assert again == exported.read_bytes()  # (click's .stdout reads \r\n as \n)
        as_json = json.loads(ok(invoke(["--db", str(b), "export", "pledges", "-f", "json"],
                                       env)).stdout)  # fmt: skip
    # a row of the same title (in any case) and agreed day as an earlier one is a duplicate
    first: dict[tuple[str, object], dict[str, object]] = {}
    for row in rows:
        first.setdefault((str(row["title"]).casefold(), row["agreed"]), row)
    assert len(as_json) == len(first)
    for got, want in zip(as_json, first.values(), strict=True):
        for column in ("title", "meeting", "description", "outcome"):
            given_text = want.get(column)
            # a text that shows nothing (U+E0020, a zero-width space) is empty (domain.text)
            expected = given_text if isinstance(given_text, str) and not blank(given_text) else None
            assert got[column] == expected, column


# -- the declaration and the docs -----------------------------------------------------------


def test_the_docs_table_is_the_declaration() -> None:
    rows = [
        f"| `{c.name}` | {c.meaning} | {f'`{c.example}` ' if c.example else ''}|" for c in DECLARED
    ]
    table = "\n".join(["| column | meaning | example |", "| --- | --- | --- |", *rows])
    assert table in DOCS.read_text(encoding="utf-8"), f"docs/export-schema.md wants:\n{table}"


def test_the_export_header_is_the_import_columns(source: Run) -> None:
    header = next(csv.reader(io.StringIO(ok(source("export", "pledges")).stdout)))
    assert tuple(header) == PLEDGE_COLUMNS == tuple(c.name for c in DECLARED)
