"""`log --highlight` and `next-meeting`: what a team's public update shows beyond figures."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from conftest import fixed_clock
from helpers import NOW, USER, Run, fails, ok
from pledgetrack.errors import InputError
from pledgetrack.services.national import cancel_meeting, next_meeting
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
    # appended (then delivers, then the details): earlier columns keep their places
    assert list(rows[0])[15:17] == ["highlight", "delivers"]


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
    first = ok(cli("next-meeting", team, "--when", "12/11/2008 19:00", "--place", "Castle Hall"))
    # when it starts, as stored: not the row's id, which `history 1` or `void 1` would take
    # for action 1's
    assert first.stdout == "2008-11-12T19:00:00+00:00\n"
    assert first.stderr == (
        "announced the next meeting of CW01: 12/11 19:00, Castle Hall; it replaces any "
        "earlier one (call it off with: pledgetrack next-meeting CW01 --cancel)\n"
    )
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
        text="--when 16/10 15:00 is not in the future "
        "(log a meeting that was held with: pledgetrack meeting TEAM --when DT)",
    )
    fails(cli, db, "next-meeting", team, "--when", "1/11/2008", "--place", "  ")
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
    message = fails(cli, db, "next-meeting", "BL02", "--when", "1/11/2008")
    assert "has no national commitment N7" in message


def _next(db: Path, team: str, at: datetime) -> dict[str, object] | None:
    with open_store(db, create=False, actor=USER, clock=lambda: NOW) as store:
        return next_meeting(store, team, at)


def test_a_cancelled_meeting_is_no_longer_announced(
    cli: Run, cli_with: Callable[..., Run], team: str, db: Path
) -> None:
    # announced an hour before it is cancelled (the fixture clock, NOW)
    earlier_clock = fixed_clock(NOW - timedelta(hours=1))
    ok(
        cli_with(clock=earlier_clock)(
            "next-meeting", team, "--when", "12/11/2008 19:30", "--place", "Castle Hall"
        )
    )
    cancelled = ok(cli("next-meeting", team, "--cancel"))
    assert cancelled.stdout == "2008-11-12T19:30:00+00:00\n"  # the one called off
    assert "cancelled the meeting at 12/11 19:30" in cancelled.stderr
    md = ok(cli("report", "update", team, "--period", "2008-10")).stdout
    assert "12 November" not in md and "No date has been announced yet" in md
    # audited like every change: who, when, before and after
    changes = json.loads(ok(cli("history", "--format", "json")).stdout)
    cancel = next(c for c in changes if c["op"] == "cancel")
    assert (cancel["entity"], cancel["entity_key"]) == ("planned-meeting", "1")
    assert cancel["who"] == USER
    assert cancel["new"] == {"cancelled_at": NOW.isoformat()}
    # as things stood before it was cancelled (--as-of), the update still announced it
    assert _next(db, team, NOW) is None  # cancelled at NOW: gone from NOW on
    before = _next(db, team, NOW - timedelta(seconds=1))
    assert before is not None and before["place"] == "Castle Hall"
    earlier = ["report", "update", team, "--period", "2008-10", "--as-of", "16/10/2008 14:59"]
    assert "Wednesday 12 November 2008, 7:30pm, Castle Hall." in ok(cli(*earlier)).stdout
    # a new announcement after the cancellation is the next meeting again
    ok(cli("next-meeting", team, "--when", "26/11/2008 19:00"))
    found = _next(db, team, NOW)
    assert found is not None and found["starts_at"].day == 26  # type: ignore[attr-defined]


def test_an_update_as_of_before_an_announcement_does_not_show_it(
    cli_with: Callable[..., Run], team: str, db: Path
) -> None:
    """As things stood at as-of: the newest announcement made at or before then (F17)."""
    first_made = NOW - timedelta(days=2)
    cli_with(clock=fixed_clock(first_made))("next-meeting", team, "--when", "19/11/2008 19:00")
    cli_with(clock=fixed_clock(NOW))("next-meeting", team, "--when", "12/11/2008 19:00")
    assert _next(db, team, first_made - timedelta(seconds=1)) is None
    for at, day in ((first_made, 19), (NOW - timedelta(seconds=1), 19), (NOW, 12)):
        found = _next(db, team, at)
        assert found is not None and found["starts_at"].day == day  # type: ignore[attr-defined]

    def update(as_of: str) -> str:
        args = ["report", "update", team, "--period", "2008-10", "--as-of", as_of]
        return ok(cli_with()(*args, "--format", "txt")).stdout

    assert "No date has been announced yet" in update("14/10/2008 14:59")
    assert "Wednesday 19 November 2008, 7pm" in update("14/10/2008 15:00")
    assert "Wednesday 12 November 2008, 7pm" in update("16/10/2008 15:00")


def test_a_replaced_announcement_never_comes_back(cli: Run, team: str, db: Path) -> None:
    """Moved earlier, then held or cancelled: the one it replaced is not next again."""
    ok(cli("next-meeting", team, "--when", "19/11/2008 19:00"))
    ok(cli("next-meeting", team, "--when", "12/11/2008 19:00"))  # moved a week earlier
    moved = _next(db, team, NOW)
    assert moved is not None and moved["starts_at"].day == 12  # type: ignore[attr-defined]
    assert _next(db, team, datetime.fromisoformat("2008-11-12T19:00:00+00:00")) is None
    ok(cli("next-meeting", team, "--cancel"))
    assert _next(db, team, NOW) is None


def test_cancel_refuses_what_it_cannot_do_and_changes_nothing(
    cli: Run, team: str, db: Path
) -> None:
    nothing = ("team CW01 has no meeting announced to cancel (announce one with: "
               "pledgetrack next-meeting CW01 --when DT)")  # fmt: skip
    fails(cli, db, "next-meeting", team, "--cancel", text=nothing)
    ok(cli("next-meeting", team, "--when", "12/11/2008 19:30"))
    for extra in (["--when", "13/11/2008"], ["--place", "Hall"], ["--note", ""]):
        message = fails(cli, db, "next-meeting", team, "--cancel", *extra)
        assert message == f"--cancel takes no {extra[0]}: it calls off the meeting announced"
    fails(cli, db, "next-meeting", team,
          text="--when: give the meeting's start (or --cancel to call off the one announced)")
    fails(cli, db, "next-meeting", "NOPE", "--cancel", text="unknown team 'NOPE' (see: "
          "pledgetrack team list)")  # fmt: skip
    ok(cli("next-meeting", team, "--cancel"))
    fails(cli, db, "next-meeting", team, "--cancel", text=nothing)  # not twice
    # a meeting that has started cannot be called off: it is held, or logged as not held
    ok(cli("next-meeting", team, "--when", "16/10/2008 15:01"))
    started = datetime.fromisoformat("2008-10-16T15:01:00+01:00")
    with (
        open_store(db, create=False, actor=USER, clock=lambda: NOW) as store,
        pytest.raises(InputError, match="no meeting announced"),
    ):
        cancel_meeting(store, team, started)


def test_a_version_8_database_keeps_its_announcement_and_can_cancel_it(
    cli: Run, team: str, db: Path
) -> None:
    ok(cli("next-meeting", team, "--when", "12/11/2008 19:30"))
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE planned_meetings DROP COLUMN cancelled_at")
    conn.execute("DROP INDEX idx_actions_response_items")  # nor version 10's index
    conn.execute("DROP INDEX idx_actions_unsound_times")  # nor version 11's
    conn.execute("DROP INDEX idx_actions_team_ext_ref_nocase")  # nor version 12's
    conn.execute("DROP TABLE settings")  # nor version 13's
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    ok(cli("db", "upgrade"))  # a read does not upgrade (F7)
    assert _next(db, team, NOW) is not None  # upgraded: nothing cancelled
    ok(cli("next-meeting", team, "--cancel"))
    assert _next(db, team, NOW) is None
