"""`report hq` lists, per team, the pledges that closed in the period: how each closed, how
the league counted it and its last monthly figure, so that a % green lifted by a
withdrawn red pledge says so. A pledge is in force on its closing day (rules.closed_in):
closed on the period's last day it closed in the period; closed the next day it was
running at the period's end. The clock is NOW, Thursday 16 October 2008.

CW01-L1: four visits a month from 1 August 2008, one visit in August (red); CW01-L2:
one patrol a month, patrolled in August and September (green)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Run, ok

OUTCOME = "Residents chose <speeding> & parking instead"


@pytest.fixture
def teams(cli: Run) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Farm Watch: four visits a month", "--at-least", "4",
           "--per", "month", "--action-kind", "visit", "--agreed", "01/08/2008"))  # fmt: skip
    ok(cli("pledge", "add", "CW01", "A patrol a month", "--at-least", "1",
           "--per", "month", "--action-kind", "patrol", "--agreed", "01/08/2008"))  # fmt: skip
    ok(cli("log", "CW01-L1", "Visit", "--kind", "visit", "--when", "05/08/2008 10:00"))
    for day in ("06/08/2008", "06/09/2008", "06/10/2008"):
        ok(cli("log", "CW01-L2", "Patrol", "--kind", "patrol", "--when", f"{day} 19:00"))


HQ = Callable[[Run, str, str], str]


@pytest.fixture(params=["--db", "DB_OR_CSV"])
def hq(request: pytest.FixtureRequest, db: Path) -> HQ:
    """The report of the one --db, and of the same database given as what HQ received
    (rollup's rules, rows in place of summaries): every closing edge holds for both."""
    sources = (str(db),) if request.param == "DB_OR_CSV" else ()

    def made(cli: Run, period: str, as_of: str) -> str:
        args = ("report", "hq", *sources, "--period", period, "--as-of", as_of, "--format", "md")
        return ok(cli(*args)).stdout

    return made


def section(md: str, heading: str) -> list[list[str]]:
    """The rows of the first table after `## heading`, as cells."""
    after = md.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in after.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[2:]]


def nothing_closed(md: str, words: str) -> bool:
    heading = f"Pledges closed in {words}"
    said = md.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return section(md, heading) == [] and f"\nno pledge closed in {words}\n" in said


def league(md: str) -> dict[str, list[str]]:
    return {row[1]: row for row in section(md, "League table")}


def close(cli: Run, on: str, status: str = "withdrawn") -> None:
    ok(cli("pledge", "close", "CW01-L1", "--status", status, "--on", on, "--outcome", OUTCOME))


def test_a_red_pledge_withdrawn_mid_month_is_listed_with_its_last_figure(
    cli: Run, teams: None, hq: HQ
) -> None:
    assert league(hq(cli, "2008-09", "01/10/2008 00:00"))["CW01"][3] == "50.0"  # L1 red
    close(cli, "29/09/2008")
    md = hq(cli, "2008-09", "01/10/2008 00:00")
    line = league(md)["CW01"]
    assert (line[3], line[8], line[11]) == ("100.0", "1", "1")  # % green, no data, closed
    assert section(md, "Pledges closed in September 2008") == [
        [
            "CW01",
            "CW01-L1",
            "Farm Watch: four visits a month",
            "withdrawn on 29 September 2008",
            "no data (not judged: closed 2008-09-29, before the month ended)",
            "red in August 2008",
            r"Residents chose \<speeding\> \& parking instead",
        ]
    ]
    assert md.count("% green counts every pledge in force on any day of the period") == 1


def test_closed_on_the_periods_last_day_closed_in_it_and_not_in_the_next(
    cli: Run, teams: None, hq: HQ
) -> None:
    close(cli, "30/09/2008", "not-achieved")
    september = hq(cli, "2008-09", "01/10/2008 00:00")
    ((_, _, _, how, counted, last, _),) = section(september, "Pledges closed in September 2008")
    assert (how, counted, last) == (
        "not achieved on 30 September 2008",
        "red (0 of 1 month met)",
        "red in September 2008",
    )
    assert league(september)["CW01"][3] == "50.0"  # the whole month judged: still red
    october = hq(cli, "2008-10", "16/10/2008 12:00")
    assert "CW01-L1" not in october  # not in force in October at all
    assert nothing_closed(october, "October 2008")


def test_closed_on_the_next_periods_first_day_was_running_at_the_end(
    cli: Run, teams: None, hq: HQ
) -> None:
    close(cli, "01/10/2008")
    september = hq(cli, "2008-09", "16/10/2008 12:00")
    assert nothing_closed(september, "September 2008")
    assert league(september)["CW01"][11] == "0"
    october = hq(cli, "2008-10", "16/10/2008 12:00")
    (row,) = section(october, "Pledges closed in October 2008")
    assert row[1:4] == ["CW01-L1", "Farm Watch: four visits a month", "withdrawn on 1 October 2008"]
    assert row[5] == "red in September 2008"


def test_closed_from_midnight_of_its_closing_day(cli: Run, teams: None, hq: HQ) -> None:
    close(cli, "30/09/2008")
    before = hq(cli, "2008-09", "29/09/2008 23:59")
    assert nothing_closed(before, "September 2008")
    at = hq(cli, "2008-09", "30/09/2008 00:00")
    (row,) = section(at, "Pledges closed in September 2008")
    assert row[3] == "withdrawn on 30 September 2008"


def test_a_reopened_pledge_is_not_listed(cli: Run, teams: None, hq: HQ) -> None:
    close(cli, "29/09/2008")
    ok(cli("pledge", "reopen", "CW01-L1"))
    md = hq(cli, "2008-09", "01/10/2008 00:00")
    assert nothing_closed(md, "September 2008")
    assert league(md)["CW01"][3] == "50.0"


def test_the_outcome_is_escaped_in_html(cli: Run, teams: None) -> None:
    close(cli, "29/09/2008")
    html = ok(cli("report", "hq", "--period", "2008-09", "--as-of", "01/10/2008 00:00")).stdout
    assert "Residents chose &lt;speeding&gt; &amp; parking instead" in html
    assert "<speeding>" not in html
