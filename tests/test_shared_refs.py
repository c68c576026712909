"""One incident or crime number on several actions (FRESH4 G16, schema 17): a sergeant logs a
patrol and later a message with the same `--ref`; both are kept, the second with a note.
An import identifies a row by its team, ref, pledge and times, so the same file again (or
twice at once) adds nothing, while two actions sharing a ref are both kept."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from helpers import Run, add_weekly_patrols, at_once, ok, snapshot
from pledgetrack.store.migrations import LATEST_VERSION

_UNIQUE_REFS = "idx_actions_team_id_ext_ref_live"


def _indexes(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        conn.close()


def test_a_patrol_and_a_message_share_an_incident_number(cli: Run, team: str) -> None:
    add_weekly_patrols(cli, team)
    ok(cli("log", "CW01-L1", "Patrol", "--when", "16/10/2008 09:00", "--ref", "24/1234/08"))
    message = ok(cli("message", "CW01", "--received", "16/10/2008 10:00", "--when",
                     "16/10/2008 11:00", "--ref", "24/1234/08"))  # fmt: skip
    assert message.stdout == "2\n"
    assert message.stderr == "note: ref 24/1234/08 is also on action 1\n"
    listed = ok(cli("actions", "-f", "csv")).stdout
    assert [row["ref"] for row in csv.DictReader(listed.splitlines())] == ["24/1234/08"] * 2


def test_an_export_of_shared_refs_imports_once_even_twice_at_once(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """The identity check runs inside each import's BEGIN IMMEDIATE transaction: with no
    unique index left, two imports of one file started together still store it once."""
    add_weekly_patrols(cli, team)
    path = tmp_path / "shared.csv"
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["team", "pledge", "when", "description", "ref"])
        for i in range(300):  # each ref on two actions, a day apart
            for day in (1, 2):
                when = f"2008-10-{day + 2 * (i % 7):02d}T{i % 24:02d}:{i % 60:02d}:00+01:00"
                out.writerow(["CW01", "CW01-L1", when, f"patrol {i}", f"R{i}"])
    runs = at_once(db, "import", "actions", str(path))
    assert sorted(code for code, _, _ in runs) == [0, 0], runs
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT ext_ref) FROM actions").fetchone() == (
            600, 300
        )
    finally:
        conn.close()
    assert "600 duplicates skipped" in ok(cli("import", "actions", str(path))).stderr


def test_a_schema_16_database_upgrades_with_its_refs_kept_and_may_share_them(
    cli: Run, db: Path, team: str
) -> None:
    """As the previous release left it: schema 3's unique index on a team's live refs,
    user_version 16. The upgrade drops the index and changes no row."""
    add_weekly_patrols(cli, team)
    ok(cli("log", "CW01-L1", "Patrol", "--when", "14/10/2008 19:00", "--ref", "INC1"))
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            f"CREATE UNIQUE INDEX {_UNIQUE_REFS} ON actions (team_id, ext_ref) "
            "WHERE ext_ref IS NOT NULL AND voided_at IS NULL"
        )
        conn.execute("PRAGMA user_version = 16")
    conn.close()
    assert _UNIQUE_REFS in _indexes(db)
    before = snapshot(db)
    upgraded = ok(cli("db", "upgrade"))
    assert upgraded.stderr == f"upgraded {db} from schema 16 to {LATEST_VERSION}\n"
    after = snapshot(db)
    assert {k: v for k, v in after.items() if k != "user_version"} == {
        k: v for k, v in before.items() if k != "user_version"
    }
    assert _UNIQUE_REFS not in _indexes(db)
    again = ok(cli("log", "CW01-L1", "Patrol", "--when", "15/10/2008 19:00", "--ref", "inc1"))
    assert again.stderr == "note: ref inc1 is also on action 1\n"
    assert ok(cli("db", "check")).stdout == ""
