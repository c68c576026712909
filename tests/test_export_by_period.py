"""`export actions --from/--to` selects the actions those days' figures count (FRESH5 H22):
a response item by when it came in, as compliance puts it in a period, any other action by
when it was done. A message received in October and answered in November was in
November's export and not October's, so a monthly HQ feed of October missed it while
October's summary counted it. One rule, entry_rules.counted_at, held here to the SQL."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from helpers import Run, ok
from pledgetrack.domain.entry_rules import counted_at
from pledgetrack.domain.models import Action

# (pledge, description, --received, --when); the figures' months are October, November
LOGGED = [
    ("CW01-L1", "received and answered in October", "30/10/2007 10:00", "30/10/2007 11:00"),
    ("CW01-L1", "received 31/10, answered 1/11", "31/10/2007 22:00", "01/11/2007 09:00"),
    ("CW01-L1", "received at the last minute", "31/10/2007 23:59", "01/11/2007 00:30"),
    ("CW01-L1", "received at the first minute", "01/11/2007 00:00", "01/11/2007 00:10"),
    ("CW01-L1", "received 31/10, still open", "31/10/2007 20:00", None),
    ("CW01-L2", "patrol at the last minute", None, "31/10/2007 23:59"),
    ("CW01-L2", "patrol at the first minute", None, "01/11/2007 00:00"),
    ("CW01-L1", "received 30/9, answered 1/10", "30/09/2007 23:00", "01/10/2007 08:00"),
]
OCTOBER = {
    "received and answered in October",
    "received 31/10, answered 1/11",
    "received at the last minute",
    "received 31/10, still open",
    "patrol at the last minute",
}


@pytest.fixture
def logged(cli: Run, team: str) -> Run:
    ok(cli("pledge", "add", "CW01", "Replies", "--within", "24h", "--agreed", "01/09/2007"))
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week",
           "--agreed", "01/09/2007"))  # fmt: skip
    for pledge, description, received, when in LOGGED:
        args = ["--received", received] if received else []
        args += ["--when", when] if when else ["--open"]
        ok(cli("log", pledge, description, *args))
    return cli


def exported(cli: Run, *days: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(ok(cli("export", "actions", *days)).stdout)))


def test_a_month_holds_the_items_received_in_it(logged: Run) -> None:
    october = exported(logged, "--from", "01/10/2007", "--to", "31/10/2007")
    assert {row["description"] for row in october} == OCTOBER
    november = exported(logged, "--from", "01/11/2007", "--to", "30/11/2007")
    assert {row["description"] for row in november} == {
        "received at the first minute",
        "patrol at the first minute",
    }


def test_consecutive_months_hold_every_action_once(logged: Run) -> None:
    months = [("01/09/2007", "30/09/2007"), ("01/10/2007", "31/10/2007"),
              ("01/11/2007", "30/11/2007")]  # fmt: skip
    ids = [row["id"] for start, end in months for row in exported(logged, "--from", start,
                                                                    "--to", end)]  # fmt: skip
    assert sorted(ids, key=int) == [row["id"] for row in exported(logged)]


def test_the_export_holds_the_items_the_summary_counts(logged: Run) -> None:
    summary = csv.DictReader(io.StringIO(ok(logged("export", "summary", "--team", "CW01",
                                                   "--period", "2007-10")).stdout))  # fmt: skip
    (replies,) = [row for row in summary if row["pledge"] == "CW01-L1"]
    october = exported(logged, "--from", "01/10/2007", "--to", "31/10/2007")
    judged = [r for r in october if r["pledge"] == "CW01-L1"]
    # the open item is a year past its limit at as-of (16/10/2008): breached, judged too
    assert int(replies["expected"]) == len(judged) == 4


def _action(row: dict[str, str]) -> Action:
    from datetime import datetime

    def at(text: str) -> datetime | None:
        return datetime.fromisoformat(text) if text else None

    return Action(team=row["team"], pledge=row["pledge"], description=row["description"],
                  occurred_at=at(row["when"]), received_at=at(row["received"]))  # fmt: skip


@pytest.mark.parametrize("start", [date(2007, 9, 30), date(2007, 10, 1), date(2007, 10, 31),
                                   date(2007, 11, 1)])  # fmt: skip
@pytest.mark.parametrize("length", [0, 1, 30])
def test_the_sql_selects_by_the_python_rule(logged: Run, start: date, length: int) -> None:
    """Every window's export is the actions whose counted_at falls on its days (local)."""
    end = start + timedelta(days=length)
    everything = exported(logged)
    expected = []
    for row in everything:
        moment = counted_at(_action(row))
        assert moment is not None
        if start <= moment.date() <= end:
            expected.append(row["id"])
    window = exported(logged, "--from", f"{start:%d/%m/%Y}", "--to", f"{end:%d/%m/%Y}")
    assert [row["id"] for row in window] == expected


def test_a_listing_for_people_still_lists_by_its_when(logged: Run) -> None:
    listed = csv.DictReader(io.StringIO(ok(logged("actions", "--from", "01/11/2007", "--to",
                                                  "30/11/2007", "-f", "csv")).stdout))  # fmt: skip
    assert "received 31/10, answered 1/11" in {row["description"] for row in listed}
