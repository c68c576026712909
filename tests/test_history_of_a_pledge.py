"""`history REF` of a pledge answers "why did this figure move?" in one command: beside
the pledge's own entries, its actions' voids (with their reasons and what was voided),
the entries logged more than a day after the time they record (written up late,
imported, a back-dated response), not the routine logging in time (FRESH4 G22). The
tests' clock is Thursday 16 October 2008 15:00, so every entry is logged then."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from helpers import NOW, Run, ok
from pledgetrack.domain.entry_rules import LATE_ENTRY, logged_late


def entries(cli: Run, *args: str) -> list[dict[str, object]]:
    rows = json.loads(ok(cli("history", *args, "-f", "json")).stdout)
    return [
        {k: r[k] for k in ("entity", "entity_key", "op", "logged_after_hours")} for r in rows
    ]


def keys(cli: Run, *args: str) -> list[tuple[object, object]]:
    return [(r["entity_key"], r["op"]) for r in entries(cli, *args)]


@pytest.fixture
def patrols(ward: Run) -> Run:
    """CW01 with its national commitments from 1 September 2008 and CW01-L1, patrols."""
    return ward


def test_an_entry_logged_more_than_a_day_after_its_time_is_shown_one_a_day_after_is_not(
    patrols: Run,
) -> None:
    """The edge: a day exactly (last night's patrol typed up this afternoon) is in time;
    a minute more is late, and says by how much."""
    ok(patrols("log", "CW01-L1", "Patrol", "--when", "15/10/2008 15:00"))  # 1: 24h
    ok(patrols("log", "CW01-L1", "Patrol", "--when", "15/10/2008 14:59"))  # 2: 24h01m
    ok(patrols("log", "CW01-L1", "Patrol", "--when", "16/10/2008 09:00"))  # 3: today
    assert entries(patrols, "CW01-L1") == [
        {"entity": "action", "entity_key": "2", "op": "insert", "logged_after_hours": 24.02},
        {"entity": "pledge", "entity_key": "CW01-L1", "op": "insert", "logged_after_hours": None},
    ]
    plain = ok(patrols("history", "CW01-L1", "-f", "plain")).stdout
    said = "logged 24h01m after its time; description: 'Patrol'; kind: 'patrol'; when: 15/10 14:59"
    assert said in plain
    # every action is still listed by actions, and its own history has its logging
    assert keys(patrols, "--action", "1") == [("1", "insert")]


def test_the_rule_s_edge(patrols: Run) -> None:
    """The domain's rule alone: more than LATE_ENTRY, never exactly it."""
    logged = datetime(2008, 10, 16, 15, 0, tzinfo=NOW.tzinfo)
    assert logged_late(logged - LATE_ENTRY, logged) is None
    assert logged_late(logged - LATE_ENTRY - timedelta(seconds=1), logged) == LATE_ENTRY + (
        timedelta(seconds=1)
    )


def test_a_void_is_shown_with_its_reason_and_what_it_voided(patrols: Run) -> None:
    ok(patrols("log", "CW01-L1", "Patrol in the wrong park", "--when", "16/10/2008 10:00"))
    ok(patrols("log", "CW01-L1", "Patrol", "--when", "16/10/2008 11:00"))
    ok(patrols("void", "1", "--reason", "wrong park"))
    assert keys(patrols, "CW01-L1") == [("1", "void"), ("1", "insert"), ("CW01-L1", "insert")]
    plain = ok(patrols("history", "CW01-L1", "-f", "plain")).stdout
    assert "void reason: (none) -> 'wrong park'" in plain
    assert "description: 'Patrol in the wrong park'" in plain
    assert "logged" not in plain  # nothing was late


def test_a_response_back_dated_is_shown_one_in_time_is_not(patrols: Run) -> None:
    """An item received last week and recorded today moved last week's figure; so did a
    response dated two days before it was recorded; answering today's item did not."""
    ok(patrols("log", "CW01-N4", "Email", "--received", "09/10/2008 09:00", "--open"))  # 1
    ok(patrols("log", "CW01-N4", "Call", "--received", "16/10/2008 09:00", "--open"))  # 2
    ok(patrols("respond", "2", "--when", "16/10/2008 10:00"))
    ok(patrols("respond", "1", "--when", "14/10/2008 10:00"))
    found = entries(patrols, "CW01-N4")
    assert [(r["entity_key"], r["op"], r["logged_after_hours"]) for r in found] == [
        ("1", "respond", 53.0),
        ("1", "insert", 174.0),
        ("CW01-N4", "insert", None),
    ]


def test_another_pledge_s_actions_and_the_team_s_history_are_left_as_they_were(
    patrols: Run,
) -> None:
    ok(patrols("log", "CW01-L1", "Patrol", "--when", "01/10/2008 19:00"))  # late, L1's
    ok(patrols("log", "CW01-N4", "Email", "--received", "01/10/2008 09:00", "--open"))
    ok(patrols("void", "2", "--reason", "sent twice"))
    assert keys(patrols, "CW01-L1") == [("1", "insert"), ("CW01-L1", "insert")]
    assert keys(patrols, "CW01") == [("CW01", "insert")]
    # an action's entries outside a pledge's history say how late they were too
    assert entries(patrols, "--action", "2")[-1]["logged_after_hours"] == 366.0


def test_limit_counts_the_entries_shown(patrols: Run) -> None:
    for day in ("01/10/2008", "02/10/2008", "16/10/2008 09:00"):
        ok(patrols("log", "CW01-L1", "Patrol", "--when", day))
    assert keys(patrols, "CW01-L1", "--limit", "2") == [("2", "insert"), ("1", "insert")]


def test_csv_has_the_history_columns_and_how_late_at_the_end(patrols: Run) -> None:
    ok(patrols("log", "CW01-L1", "Patrol", "--when", "01/10/2008 19:00"))
    lines = ok(patrols("history", "CW01-L1", "-f", "csv")).stdout.splitlines()
    assert lines[0] == "id,at,who,officer,entity,entity_key,op,old,new,logged_after_hours"
    assert lines[1].endswith(",356.0") and lines[2].endswith(",")


def table_at(cli: Run, width: int, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    return [line.rstrip() for line in ok(cli(*args, "-f", "table")).stdout.splitlines()]


def test_at_80_columns_each_row_names_its_record(
    cli_with: Callable[..., Run], patrols: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an officer named and a planned meeting among the rows, Entity still shows, so
    planned meeting 1 does not read as action 1 (FRESH4 G18); the officer gives way."""
    officer = cli_with(vars={"PLEDGETRACK_OFFICER": "PC 3310 Hughes"})
    ok(officer("log", "CW01-L1", "Patrol", "--when", "01/10/2008 19:00"))
    ok(officer("next-meeting", "CW01", "--when", "30/10/2008 19:00", "--place", "Hall"))
    ok(officer("pledge", "edit", "CW01-L1", "--review", "01/12/2008"))
    lines = table_at(patrols, 80, monkeypatch, "history", "--limit", "3")
    assert lines[0].split() == ["At", "Entity", "Key", "Op", "Change"]
    assert [line.split()[2:4] for line in lines if line.startswith("16/10")] == [
        ["pledge", "CW01-L1"],
        ["planned-meeting", "1"],
        ["action", "1"],
    ]
    assert lines[-1] == "3 columns hidden (#, account, officer (as given)); --wide or --columns"
    pledge = table_at(patrols, 80, monkeypatch, "history", "CW01-L1")
    assert all(len(line) <= 80 for line in pledge)
    assert any("  action  1        insert  logged 14d after its" in line for line in pledge)
