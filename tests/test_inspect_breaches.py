"""`report inspect TEAM --breaches`: which items the Breaches column counts (FRESH4 G9),
the evidence an inspector asks for: each response item of the three months answered late
or still open past its limit, when it came in and how late. Judged by
rules.response_outcome, as `summary` judges it. The clock is NOW, 16 October 2008."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from helpers import Run, ok
from pledgetrack.cli.report import BREACH_COLUMNS

AS_OF = "2008-10-16"  # evidence of July to September 2008


@pytest.fixture
def team(cli: Run) -> Run:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-06-01"))
    return cli


def message(cli: Run, received: str, answered: str | None, note: str = "Email") -> str:
    done = ("--when", answered) if answered else ("--open",)
    args = ("message", "CW01", "--note", note, "--received", received, *done)
    return ok(cli(*args, "--officer", "PC Jones", "--ref", f"REF-{note}")).stdout.strip()


def breaches(cli: Run, as_of: str = AS_OF) -> list[dict[str, str]]:
    out = ok(cli("report", "inspect", "CW01", "--as-of", as_of, "--breaches", "-f", "csv"))
    return list(csv.DictReader(io.StringIO(out.stdout)))


def ids(cli: Run, as_of: str = AS_OF) -> list[str]:
    return [row["id"] for row in breaches(cli, as_of)]


def test_an_item_answered_at_its_limit_is_not_listed_and_seconds_later_is(team: Run) -> None:
    message(team, "2008-09-01 09:00", "2008-09-02 09:00", "on-time")
    late = message(team, "2008-09-03 09:00", "2008-09-04 09:00:30", "late")
    (row,) = breaches(team)
    assert row == {
        "commitment": "N4",
        "id": late,
        "received": "2008-09-03T09:00:00+01:00",
        "answered": "2008-09-04T09:00:30+01:00",
        "waited": "24 hours 1 minute",
        "limit": "24 hours",
        "late_by": "1 minute",  # never "0 minutes": rounded up, as respond says it
        "officer": "PC Jones",
        "ref": "REF-late",
        "description": "Message to the team: late",
    }


def test_an_item_still_open_is_listed_once_past_its_limit_not_at_it(team: Run) -> None:
    """Open at as-of: pending up to and at the limit, breached after (rules.breached)."""
    still = message(team, "2008-09-30 20:00", None)
    assert ids(team, "2008-10-01 20:00") == []
    assert ids(team, "2008-10-01 20:01") == [still]
    (row,) = breaches(team, "2008-10-01 20:01")
    assert (row["answered"], row["late_by"]) == ("", "1 minute")


def test_only_items_received_in_the_window_are_listed(team: Run) -> None:
    """The window is the three whole months before as-of's month: July to September."""
    message(team, "2008-06-30 23:59", "2008-07-03 09:00", "june")
    first = message(team, "2008-07-01 00:00", "2008-07-03 09:00", "july")
    message(team, "2008-10-01 09:00", "2008-10-03 09:00", "october")
    assert ids(team) == [first]


def test_the_list_is_the_breaches_column_and_the_grades_say_where_to_find_it(
    team: Run,
) -> None:
    for day in ("2008-08-04", "2008-08-11", "2008-09-01"):
        message(team, f"{day} 09:00", f"{day[:-2]}{int(day[-2:]) + 2:02d} 09:00", day)
    result = ok(team("report", "inspect", "CW01", "--as-of", AS_OF))
    n4 = next(line for line in result.stdout.splitlines() if line.startswith("N4 "))
    assert re.search(r"\s3\s+poor\s", n4)
    assert result.stderr.endswith(
        "note: 3 items breached; `pledgetrack report inspect CW01 --breaches` lists them\n"
    )
    assert len(breaches(team)) == 3


def test_json_gives_each_commitments_items_in_minutes(team: Run) -> None:
    late = message(team, "2008-09-03 09:00", "2008-09-04 11:15")
    out = ok(team("report", "inspect", "CW01", "--as-of", AS_OF, "-f", "json")).stdout
    n4 = next(c for c in json.loads(out)["commitments"] if c["commitment"] == "N4")
    assert n4["breaches"] == 1
    assert n4["breached_items"] == [
        {
            "id": int(late),
            "pledge": "CW01-N4",
            "received": "2008-09-03T09:00:00+01:00",
            "answered": "2008-09-04T11:15:00+01:00",
            "waited_minutes": 26 * 60 + 15,
            "allowed_minutes": 24 * 60,
            "late_minutes": 2 * 60 + 15,
            "officer": "PC Jones",
            "ref": "REF-Email",
            "description": "Message to the team: Email",
        }
    ]


def test_none_breached_says_so(team: Run) -> None:
    message(team, "2008-09-01 09:00", "2008-09-01 10:00")
    result = ok(team("report", "inspect", "CW01", "--as-of", AS_OF, "--breaches"))
    assert "no item breached in these months" in result.stdout + result.stderr
    assert "note:" not in ok(team("report", "inspect", "CW01", "--as-of", AS_OF)).stderr


def test_docs_list_every_column() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "reports.md").read_text("utf-8")
    table = doc.split("`--breaches` lists", 1)[1].split("\n\n", 2)[1]
    assert [line.split("|")[1].strip(" `") for line in table.splitlines()[2:]] == [
        c.key for c in BREACH_COLUMNS
    ]
