"""A team moved to another database keeps its target-change notes (ATTACK5 B1): `export
pledges` carries each change of a target (`target_changed`: its day and the target it
replaced), `import pledges` records them, and `summary`, `report update` and `export
summary` of the new database note the same changes, on the same days, from and to the
same targets, as the old one. Through the real CLI, each database on its own clock."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import fixed_clock, invoke
from helpers import LONDON, Run, nothing_written, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.services.importer import PLEDGE_COLUMNS

OCTOBER = ("--period", "2008-10")
# what a moved team's readers see of October 2008, the notes on stderr with them
VIEWS = [
    ("summary", "--team", "CW01", *OCTOBER),
    ("summary", "--team", "CW01", "--period", "2008-09..2008-11", "-f", "csv"),
    ("report", "update", "CW01", *OCTOBER),
    ("export", "summary", "--team", "CW01", *OCTOBER),
]


def at(env: Environment, db: Path, moment: str) -> Run:
    """The CLI on `db` with its clock at `moment` (London)."""
    clock = fixed_clock(datetime.fromisoformat(moment).replace(tzinfo=LONDON))
    changed = dataclasses.replace(env, clock=clock)

    def run(*args: str, input: str | None = None) -> Result:
        return invoke(["--db", str(db), *args], changed, input)

    return run  # type: ignore[return-value]


@pytest.fixture
def old(env: Environment, tmp_path: Path) -> Path:
    """CW01 in September 2008: patrols (L1, twice a week), then after October ended its
    target raised twice (5 and 20 November) and N4's limit widened (5 November)."""
    db = tmp_path / "old.db"
    run = at(env, db, "2008-09-01 09:00")
    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/09/2008"))
    ok(run("pledge", "add", "CW01", "Patrols in Castle Park", "--at-least", "2", "--per",
           "week", "--action-kind", "patrol", "--agreed", "01/09/2008"))  # fmt: skip
    ok(at(env, db, "2008-10-14 20:00")("log", "CW01-L1", "Foot patrol", "--when",
                                       "13/10/2008 19:30", "--kind", "patrol"))  # fmt: skip
    ok(at(env, db, "2008-11-05 10:00")("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    ok(at(env, db, "2008-11-05 10:05")("pledge", "edit", "CW01-N4", "--within", "48h", "--yes"))
    ok(at(env, db, "2008-11-20 16:00")("pledge", "edit", "CW01-L1", "--at-least", "4", "--yes"))
    return db


def move(env: Environment, old: Path, new: Path, folder: Path, moment: str) -> list[Result]:
    """The docs' sequence (teams, pledges, actions), the imports run at `moment`."""
    source, dest = at(env, old, moment), at(env, new, moment)
    results = []
    for what in ("teams", "pledges", "actions"):
        file = str(folder / f"cw01-{what}.csv")
        extra = ("--include-void",) if what == "actions" else ()
        results.append(ok(source("export", what, "--team", "CW01", *extra, "-o", file)))
    for what in ("teams", "pledges", "actions"):
        results.append(ok(dest("import", what, str(folder / f"cw01-{what}.csv"))))
    return results


def figures(out: str) -> str:
    """A view's output, an export's last_change left out: each database's own log's."""
    if not out.startswith("force,"):
        return out
    return "\n".join(line.rsplit(",", 1)[0] for line in out.splitlines())


def pledges_file(folder: Path) -> list[dict[str, str]]:
    text = (folder / "cw01-pledges.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_moved_team_notes_the_same_target_changes_on_the_same_days(
    env: Environment, old: Path, tmp_path: Path
) -> None:
    new = tmp_path / "new.db"
    move(env, old, new, tmp_path, "2008-12-02 09:00")
    before, after = at(env, old, "2008-12-03 09:00"), at(env, new, "2008-12-03 09:00")
    for view in VIEWS:
        mine, theirs = ok(before(*view)), ok(after(*view))
        assert (figures(theirs.stdout), theirs.stderr) == (figures(mine.stdout), mine.stderr)
    notes = ok(after("summary", "--team", "CW01", *OCTOBER)).stderr.splitlines()
    assert notes == [  # oldest first, each from the target it replaced; none on 02/12
        "note: CW01-L1's target was changed on 05/11/2008 from at least 2 per week (kind: "
        "patrol) to at least 3 per week (kind: patrol); October 2008 is judged by the target "
        "it has now",
        "note: CW01-N4's target was changed on 05/11/2008 from within 24h to within 48h; "
        "October 2008 is judged by the target it has now",
        "note: CW01-L1's target was changed on 20/11/2008 from at least 3 per week (kind: "
        "patrol) to at least 4 per week (kind: patrol); October 2008 is judged by the target "
        "it has now",
    ]
    # the period starting between the two changes notes the latest only, in both
    december = ("summary", "--team", "CW01", "--period", "2008-11-10..2008-11-30")
    assert ok(after(*december)).stderr == ok(before(*december)).stderr
    assert ok(after(*december)).stderr.count("note:") == 1


def test_the_column_is_last_and_holds_each_change_oldest_first(
    env: Environment, old: Path, tmp_path: Path
) -> None:
    move(env, old, tmp_path / "new.db", tmp_path, "2008-12-02 09:00")
    assert PLEDGE_COLUMNS[-1] == "target_changed"
    header = (tmp_path / "cw01-pledges.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",closed,target_changed")
    rows = {r["ref"]: r for r in pledges_file(tmp_path)}
    assert json.loads(rows["CW01-L1"]["target_changed"]) == [
        {"on": "2008-11-05", "from": {"at_least": 2, "per": "week", "action_kind": "patrol",
                                      "threshold": 100}},
        {"on": "2008-11-20", "from": {"at_least": 3, "per": "week", "action_kind": "patrol",
                                      "threshold": 100}},
    ]  # fmt: skip
    assert json.loads(rows["CW01-N4"]["target_changed"]) == [
        {"on": "2008-11-05", "from": {"within": "24h", "threshold": 100}}
    ]


def test_the_new_database_exports_the_same_file_and_a_second_import_adds_nothing(
    env: Environment, old: Path, tmp_path: Path
) -> None:
    new = tmp_path / "new.db"
    move(env, old, new, tmp_path, "2008-12-02 09:00")
    again = tmp_path / "again.csv"
    ok(at(env, new, "2008-12-04 09:00")("export", "pledges", "--team", "CW01", "-o", str(again)))
    assert again.read_bytes() == (tmp_path / "cw01-pledges.csv").read_bytes()
    with nothing_written(new):
        result = ok(at(env, new, "2008-12-05 09:00")("import", "pledges", str(again)))
    assert result.stderr.startswith("imported 0 pledges from 2 rows; 2 duplicates skipped")


def test_a_file_without_the_column_still_imports_with_no_change_noted(
    env: Environment, old: Path, tmp_path: Path
) -> None:
    """An export from before the column: the local pledge comes with no note (as before);
    N4 is brought to the file's target on the day of the import, which is what the new
    database knows of it."""
    new = tmp_path / "new.db"
    run = at(env, new, "2008-12-02 09:00")
    source = at(env, old, "2008-12-02 09:00")
    teams, pledges = tmp_path / "teams.csv", tmp_path / "pledges.csv"
    ok(source("export", "teams", "--team", "CW01", "-o", str(teams)))
    ok(source("export", "pledges", "--team", "CW01", "-o", str(pledges)))
    lines = pledges.read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines))
    with pledges.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(r[:-1] for r in rows)
    assert "target_changed" not in pledges.read_text(encoding="utf-8")
    ok(run("import", "teams", str(teams)))
    ok(run("import", "pledges", str(pledges)))
    notes = ok(run("summary", "--team", "CW01", *OCTOBER)).stderr.splitlines()
    assert notes == [
        "note: CW01-N4's target was changed on 02/12/2008 from within 24h to within 48h; "
        "October 2008 is judged by the target it has now"
    ]


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("yes", 'not a JSON array of changes like [{"on": "2008-10-16", "from": {"within": '
                '"24h", "threshold": 100}}]'),
        ('[{"on": "2008-11-05"}]', 'change 1: needs exactly "on" (a day) and "from" (the '
                                   "target it replaced)"),
        ('[{"on": "yesterday", "from": {}}]', "change 1: 'yesterday' depends on the day it is "
                                              "read; a file needs the date itself, e.g. "
                                              "14/10/2008 19:30"),
        ('[{"on": "2008-11-05", "from": {"at_least": 0, "per": "week"}}]',
         "change 1: at_least must be a whole number from 1 to 1,000,000, not 0"),
        ('[{"on": "2008-11-05", "from": {"witihn": "24h"}}]',
         "change 1: unknown target column 'witihn'"),
    ],
)  # fmt: skip
def test_a_bad_cell_is_refused_naming_the_line_and_change_and_nothing_is_written(
    env: Environment, tmp_path: Path, cell: str, said: str
) -> None:
    db = tmp_path / "pt.db"
    run = at(env, db, "2008-12-02 09:00")
    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["team", "title", "at_least", "per", "agreed", "target_changed"])
        writer.writerow(["CW01", "Patrols", "2", "week", "01/09/2008", cell])
    with nothing_written(db):
        result = run("import", "pledges", str(bad))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines() == [
        f"line 2: target_changed: {said}",
        f"error: {bad}: 1 invalid row; nothing imported",
    ]
