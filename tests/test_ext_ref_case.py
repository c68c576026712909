"""An external ref is one id whatever its case (`INC123`, `inc123`), found so by `log
--ref` (which notes the team's other actions holding it: one incident's patrol and message
may share it, schema 17) and by `import actions`' duplicate check, against what is stored
and within the file; stored as typed. A database an earlier release let two cases into
keeps both (schema 12)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import (
    KEPT_IN_LONDON,
    TABLES,
    Run,
    add_weekly_patrols,
    nothing_written,
    ok,
    snapshot,
)
from pledgetrack.domain.models import ref_key
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store.migrations import LATEST_VERSION


@pytest.fixture
def teams(cli: Run, team: str) -> Run:
    """CW01 and BL02, each with a weekly patrol pledge (-L1) agreed 1/9/08."""
    add_weekly_patrols(cli, team)
    ok(cli("team", "add", "BL02", "--name", "Belgrave"))
    add_weekly_patrols(cli, "BL02")
    return cli


def log(cli: Run, pledge: str, ref: str, when: str = "14/10/2008 19:00") -> int:
    return int(ok(cli("log", pledge, "Patrol", "--when", when, "--ref", ref)).stdout)


def refs(cli: Run) -> list[tuple[int, str, str | None]]:
    rows = json.loads(ok(cli("actions", "--include-void", "-f", "json")).stdout)
    return sorted((r["id"], r["ref"], r["status"]) for r in rows)


def test_log_notes_a_ref_the_team_holds_in_any_case_and_logs_it(teams: Run) -> None:
    first = log(teams, "CW01-L1", "INC123")
    second = ok(teams("log", "CW01-L1", "Again", "--when", "15/10/2008 19:00", "--ref", "inc123"))
    assert second.stderr == f"note: ref inc123 is also on action {first}\n"
    third = ok(teams("log", "CW01-L1", "Again", "--when", "16/10/2008 09:00", "--ref", "INC123"))
    assert third.stderr == f"note: ref INC123 is also on actions {first} and {first + 1}\n"
    # another team's incident numbers are its own; a ref differing by more than case is new
    assert ok(teams("log", "BL02-L1", "x", "--when", "14/10/2008 19:00", "--ref", "inc123")
              ).stderr == ""  # fmt: skip
    assert ok(teams("log", "CW01-L1", "x", "--when", "14/10/2008 20:00", "--ref", "INC1234")
              ).stderr == ""  # fmt: skip
    assert [ref for _, ref, _ in refs(teams)] == ["INC123", "inc123", "INC123", "inc123",
                                                  "INC1234"]  # as typed  # fmt: skip


def test_a_voided_action_gives_its_ref_up_in_any_case(teams: Run) -> None:
    first = log(teams, "CW01-L1", "INC-7")
    ok(teams("void", str(first), "--reason", "wrong pledge"))
    second = log(teams, "CW01-L1", "inc-7")
    assert refs(teams) == [(first, "INC-7", "void"), (second, "inc-7", "done")]


HEADER = "team,pledge,when,description,ref\n"


def _file(tmp_path: Path, *rows: str, name: str = "a.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_import_refuses_a_row_of_a_stored_action_in_another_case_with_other_values(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """A row is the stored action of its team, ref (whatever its case), pledge and times:
    CW01's with the same time and other words is refused (an import never changes an
    action), with or without --on-duplicate error; another team's is its own."""
    stored = log(teams, "CW01-L1", "INC123")
    path = _file(
        tmp_path,
        "CW01,CW01-L1,2008-10-14 19:00,Patrol again,Inc123",
        "BL02,BL02-L1,2008-10-14 19:00,Their own,inc123",
    )
    with nothing_written(db):
        refused = teams("import", "actions", str(path), "--on-duplicate", "error")
    assert refused.exit_code == ExitCode.USAGE
    assert refused.stderr.splitlines() == [
        f"line 2: description: ref 'Inc123' is already stored as action {stored} ('INC123'), "
        "with the same pledge and times but a different description (an import never changes "
        f"an action; to replace it: pledgetrack void {stored} --reason '...', then import "
        "again)",
        f"error: {path}: 1 invalid row; nothing imported",
    ]
    with nothing_written(db):
        again = teams("import", "actions", str(path))
    assert again.stderr == refused.stderr
    assert [ref for _, ref, _ in refs(teams)] == ["INC123"]  # nothing imported


def test_import_keeps_another_action_under_a_stored_ref(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """FRESH4 G16: the same incident number on a later action (another time) is another
    action, imported; the same file again adds nothing."""
    log(teams, "CW01-L1", "INC123")
    path = _file(tmp_path, "CW01,CW01-L1,2008-10-15 19:00,Patrol again,Inc123")
    assert ok(teams("import", "actions", str(path))).stderr == (
        "imported 1 action from 1 row\n"
    )
    assert ok(teams("import", "actions", str(path))).stderr == (
        "imported 0 actions from 1 row; 1 duplicate skipped\n"
    )
    assert [ref for _, ref, _ in refs(teams)] == ["INC123", "Inc123"]


def test_import_takes_one_ref_once_within_the_file_whatever_its_case(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    rows = (
        "CW01,CW01-L1,2008-10-14 19:00,First,NEW9",
        "CW01,CW01-L1,2008-10-14 19:00,First,new9",  # the same action again, its ref's case apart
        "BL02,BL02-L1,2008-10-15 19:00,Theirs,New9",
    )
    with nothing_written(db):
        refused = teams("import", "actions", str(_file(tmp_path, *rows)), "--on-duplicate", "error")
    assert refused.stderr.splitlines()[0] == (
        "line 3: ref: duplicate ref 'new9' for team CW01 (same action as line 2)"
    )
    done = ok(teams("import", "actions", str(_file(tmp_path, *rows, name="b.csv"))))
    assert done.stderr == "imported 2 actions from 3 rows; 1 duplicate skipped\n"
    assert [ref for _, ref, _ in refs(teams)] == ["NEW9", "New9"]


def test_import_refuses_one_action_on_two_different_rows_of_the_file(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """FRESH2 G16: two rows of one action (its ref, pledge and times) with other words: one
    answer changed, which skipping would lose without a word, so the file is refused,
    whatever --on-duplicate says. Another time or pledge under the ref is another action
    (FRESH4 G16), and both are kept."""
    # CW01-L2: the same pledge again (pledge add refuses it without --again)
    ok(teams("pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
             "--agreed", "1/9/08", "--again"))  # fmt: skip
    first = "CW01,CW01-L1,2008-10-14 19:00,First,NEW9"
    second = "CW01,CW01-L1,2008-10-14 19:00,Second,new9"  # another description
    path = _file(tmp_path, first, second)
    for mode in ("skip", "error"):
        with nothing_written(db):
            refused = teams("import", "actions", str(path), "--on-duplicate", mode)
        assert refused.exit_code == 2, refused.stderr
        assert refused.stderr.splitlines() == [
            "line 3: ref: 'new9' is also on line 2, with the same pledge and times but other "
            "values (one action read twice, changed: make the two rows the same, or keep one)",
            f"error: {path}: 1 invalid row; nothing imported",
        ]
    others = ("CW01,CW01-L1,2008-10-15 19:00,First,new9",  # another when
              "CW01,CW01-L2,2008-10-14 19:00,First,NEW9")  # another pledge  # fmt: skip
    done = ok(teams("import", "actions", str(_file(tmp_path, first, *others, name="b.csv"))))
    assert done.stderr == "imported 3 actions from 3 rows\n"


def _as_an_earlier_release_left_it(db: Path) -> None:
    """Schema 11, whose refs' case told them apart: action 2's ref made `inc1` beside
    action 1's `INC1` (both logged through the CLI, so the change log is whole)."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DROP INDEX idx_actions_team_ext_ref_nocase")
        conn.execute("UPDATE actions SET ext_ref = 'inc1' WHERE id = 2")
        conn.execute("DROP TABLE settings")  # nor schema 13's
        conn.execute("PRAGMA user_version = 11")
    conn.close()


def test_an_earlier_databases_two_cases_of_one_ref_are_kept(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    """Schema 11 told `INC1` and `inc1` apart; the upgrade keeps both as they are, and
    since schema 17 several actions may share a ref, so db check has nothing to say of
    them, and a third is logged with a note naming the others."""
    log(teams, "CW01-L1", "INC1")
    log(teams, "CW01-L1", "OTHER", "15/10/2008 19:00")
    log(teams, "BL02-L1", "inc1")  # another team's: no clash
    _as_an_earlier_release_left_it(db)
    before = snapshot(db, tuple(t for t in TABLES if t != "settings"))
    assert ok(teams("db", "check")).stdout == ""
    upgraded = ok(teams("db", "upgrade"))
    assert upgraded.stderr == f"upgraded {db} from schema 11 to {LATEST_VERSION}{KEPT_IN_LONDON}\n"
    after = snapshot(db)
    assert {t: rows for t, rows in after.items() if t not in ("user_version", "settings")} == {
        t: rows for t, rows in before.items() if t != "user_version"
    }  # every row as it was: both refs kept, verbatim
    assert ok(teams("db", "check")).stderr == f"{db}: ok (integrity, foreign keys, change log)\n"
    third = ok(teams("log", "CW01-L1", "Again", "--when", "16/10/2008 09:00", "--ref", "Inc1"))
    assert third.stderr == "note: ref Inc1 is also on actions 1 and 2\n"


def test_the_upgrade_of_an_earlier_database_with_clashes_fails_nothing(
    teams: Run, db: Path
) -> None:
    """A write command upgrades the file in its own transaction: with `INC1` and `inc1`
    stored the index is still built (not unique), and the command's write goes in."""
    log(teams, "CW01-L1", "INC1")
    log(teams, "CW01-L1", "OTHER", "15/10/2008 19:00")
    _as_an_earlier_release_left_it(db)
    assert log(teams, "CW01-L1", "INC2", "16/10/2008 09:00") == 3
    assert [ref for _, ref, _ in refs(teams)] == ["INC1", "inc1", "INC2"]


# SQLite's NOCASE folds A-Z alone; ref_key must say "the same ref" exactly where it does:
# a ref beside itself with some letters' case swapped (Python's, which folds far more)
_REFS = st.text(alphabet=st.sampled_from("aAzZ09-/ éÉßẞıİǅ\u212a"), min_size=1, max_size=6)


@given(_REFS, st.lists(st.booleans(), min_size=6, max_size=6), _REFS)
def test_ref_key_folds_as_sqlite_nocase_compares(ref: str, swaps: list[bool], other: str) -> None:
    swapped = "".join(c.swapcase() if s else c for c, s in zip(ref, swaps, strict=False))
    conn = sqlite3.connect(":memory:")
    for first, second in ((ref, swapped), (ref, other), (ref.upper(), ref.lower())):
        same = conn.execute("SELECT ? = ? COLLATE NOCASE", (first, second)).fetchone()[0]
        assert (ref_key(first) == ref_key(second)) == bool(same), (first, second)
    conn.close()
