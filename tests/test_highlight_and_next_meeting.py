"""`log --highlight` and `next-meeting`: what a team's public update shows beyond figures."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime
from pathlib import Path

import sqlite_utils

from helpers import NOW, USER, Run, fails, ok
from pledgetrack.services.national import next_meeting
from pledgetrack.store.connection import open_store
from pledgetrack.store.migrations import MIGRATIONS


def _pledge(cli: Run, team: str) -> str:
    ref = ok(cli("pledge", "add", team, "Castle Park patrols", "--agreed", "1/9/2008")).stdout
    return ref.strip()


def test_highlight_is_stored_listed_and_exported(cli: Run, team: str, db: Path) -> None:
    ref = _pledge(cli, team)
    plain = ok(cli("log", ref, "Patrol", "--when", "1/10/2008 19:00")).stdout.strip()
    marked = ok(
        cli("log", ref, "Two arrests for dealing", "--when", "2/10/2008 20:00", "--highlight")
    ).stdout.strip()
    listed = json.loads(ok(cli("actions", "--format", "json")).stdout)
    assert {r["id"]: r["highlight"] for r in listed} == {int(plain): False, int(marked): True}
    rows = list(csv.DictReader(io.StringIO(ok(cli("export", "actions")).stdout)))
    assert [r["highlight"] for r in rows] == ["0", "1"]
    # appended (then delivers): earlier columns keep their places
    assert list(rows[0])[-2:] == ["highlight", "delivers"]


def test_import_reads_highlight_and_old_files_without_it(
    cli: Run, team: str, tmp_path: Path
) -> None:
    ref = _pledge(cli, team)
    new = tmp_path / "new.csv"
    new.write_text(
        "team,pledge,when,description,highlight\n"
        f"CW01,{ref},2008-10-01 19:00,Arrest,yes\n"
        f"CW01,{ref},2008-10-02 19:00,Patrol,\n"
    )
    old = tmp_path / "old.csv"
    old.write_text(f"team,pledge,when,description\nCW01,{ref},2008-10-03 19:00,Patrol\n")
    ok(cli("import", "actions", str(new)))
    ok(cli("import", "actions", str(old)))
    listed = json.loads(ok(cli("actions", "--format", "json")).stdout)
    assert {r["description"]: r["highlight"] for r in listed} == {
        "Arrest": True,
        "Patrol": False,
    }
    bad = tmp_path / "bad.csv"
    bad.write_text(f"team,pledge,when,description,highlight\nCW01,{ref},2008-10-04,x,maybe\n")
    result = cli("import", "actions", str(bad))
    assert result.exit_code == 2
    assert "line 2: highlight: expected yes or no (or 1/0, true/false), not 'maybe'" in (
        result.stderr
    )


def test_a_version_3_database_is_upgraded_with_nothing_highlighted(
    cli: Run, db: Path, tmp_path: Path
) -> None:
    built = sqlite_utils.Database(db)
    for step in MIGRATIONS[:3]:
        step(built)
    built.execute("PRAGMA user_version = 3")
    built.close()
    ok(cli("team", "add", "CW01", "--name", "Castle Ward"))
    ref = _pledge(cli, "CW01")
    ok(cli("log", ref, "Patrol", "--when", "1/10/2008 19:00"))
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("SELECT highlight FROM actions").fetchall() == [(0,)]
    finally:
        conn.close()


def test_next_meeting_latest_announcement_of_a_future_meeting_wins(
    cli: Run, team: str, db: Path
) -> None:
    # the fixture clock: Thursday 16 October 2008, 15:00 BST
    first = ok(
        cli("next-meeting", team, "--when", "12/11/2008 19:00", "--place", "Castle Hall")
    ).stdout.strip()
    assert first == "1"
    with open_store(db, create=False, actor=USER, clock=lambda: NOW) as store:
        found = next_meeting(store, team, NOW)
        assert found is not None and found["place"] == "Castle Hall"
        assert found["starts_at"].isoformat() == "2008-11-12T19:00:00+00:00"
    # moved a week later: the newer announcement replaces it
    ok(cli("next-meeting", team, "--when", "19/11/2008 19:00", "--note", "  bring a neighbour "))
    with open_store(db, create=False, actor=USER, clock=lambda: NOW) as store:
        found = next_meeting(store, team, NOW)
        assert found is not None
        assert found["starts_at"].day == 19 and found["note"] == "  bring a neighbour "
        after = datetime.fromisoformat("2008-11-19T19:00:00+00:00")
        assert next_meeting(store, team, after) is None  # starting now is not "next"
    history = ok(cli("history", "--format", "json")).stdout
    assert '"planned-meeting"' in history


def test_next_meeting_refuses_the_past_a_blank_place_and_no_n7(
    cli: Run, team: str, db: Path
) -> None:
    fails(
        cli,
        db,
        "next-meeting",
        team,
        "--when",
        "16/10/2008 15:00",
        text="--when 2008-10-16T15:00+01:00 is not in the future "
        "(log a meeting that was held with: pledgetrack meeting TEAM --when DT)",
    )
    fails(cli, db, "next-meeting", team, "--when", "1/11/2008", "--place", "  ")
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
    message = fails(cli, db, "next-meeting", "BL02", "--when", "1/11/2008")
    assert "has no national commitment N7" in message
