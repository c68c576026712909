"""`summary` says a deadline's days as every other screen says days (`by 28/11`, `due 28/11,
not delivered`, `not judged: agreed 07/10, ...`), the year only when it is not the report's,
in a table and in plain text; CSV and JSON keep ISO (docs/export-schema.md)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from io import StringIO

import pytest

from helpers import Run, ok
from pledgetrack.domain.rules import detail_for_people

COLUMNS = ("--columns", "ref,target,status,detail")


@pytest.fixture
def lighting(cli: Run, team: str) -> str:
    """CW01-L1, due 20/12/2007, with one action of progress (5 December) and the one that
    delivers it late (2 January 2008)."""
    ref = ok(cli("pledge", "add", team, "Alley lighting", "--by", "20/12/2007",
                 "--agreed", "01/12/2007")).stdout.strip()  # fmt: skip
    ok(cli("log", ref, "Chased the council", "--when", "05/12/2007 10:00"))
    ok(cli("log", ref, "Lamps replaced", "--when", "02/01/2008 10:00", "--delivers"))
    return ref


def row(cli: Run, ref: str, *args: str) -> str:
    out = ok(cli("summary", "-f", "plain", *COLUMNS, *args)).stdout
    return " ".join(next(line for line in out.splitlines() if line.startswith(ref)).split())


def test_plain_text_says_the_days_as_people_read_them(cli: Run, lighting: str) -> None:
    """The year only where it is not the report's: December 2007's report, January
    2008's, and December's as it stood before the day was due."""
    assert row(cli, lighting, "-p", "2007-12", "--as-of", "2008-01-05") == (
        f"{lighting} by 20/12 red due 20/12, not delivered (1 action)"
    )  # delivered after the period: late in January's
    assert row(cli, lighting, "-p", "2008-01", "--as-of", "2008-01-05") == (
        f"{lighting} by 20/12/2007 red due 20/12/2007, delivered late, 02/01"
    )
    assert row(cli, lighting, "-p", "2007-12", "--as-of", "2007-12-15") == (
        f"{lighting} by 20/12 amber 1 action, not yet delivered; 5 days left"
    )


def test_csv_and_json_keep_iso_days(cli: Run, lighting: str) -> None:
    args = ("summary", "-p", "2007-12", "--as-of", "2008-01-05")
    rows = list(csv.DictReader(StringIO(ok(cli(*args, "-f", "csv")).stdout)))
    mine = next(r for r in rows if r["pledge"] == lighting)
    assert (mine["target"], mine["detail"]) == (
        "by 2007-12-20",
        "due 2007-12-20, not delivered (1 action)",
    )
    doc = json.loads(ok(cli(*args, "-f", "json")).stdout)
    pledge = next(p for p in doc["teams"][0]["pledges"] if p["pledge"] == lighting)
    assert (pledge["target"], pledge["detail"]) == (mine["target"], mine["detail"])


def test_a_table_on_a_terminal_says_them_alike(
    cli_with: Callable[..., Run], lighting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    terminal = cli_with(stdout_isatty=True, no_color=True)
    out = ok(terminal("summary", "-p", "2008-01", "--as-of", "2008-01-05", *COLUMNS)).stdout
    line = next(line for line in out.splitlines() if line.startswith(lighting))
    assert line.split() == [lighting, "by", "20/12/2007", "red", "due", "20/12/2007,",
                            "delivered", "late,", "02/01"]  # fmt: skip


@pytest.mark.parametrize(
    ("detail", "year", "said"),
    [
        ("due 2008-11-28, not delivered", 2008, "due 28/11, not delivered"),
        ("due 2008-11-28, not delivered", 2009, "due 28/11/2008, not delivered"),
        ("due 2008-12-31, delivered late, 2009-01-01", 2009,
         "due 31/12/2008, delivered late, 01/01"),
        ("not judged: no week ends in 2008-10", 2008, "not judged: no week ends in 2008-10"),
        ("median 10h22m, worst 18h23m, 2 pending", 2008, "median 10h22m, worst 18h23m, 2 pending"),
        ("delivered 2008-10-31", 2008, "delivered 31/10"),
    ],
)  # fmt: skip
def test_detail_for_people_rewrites_each_iso_day_and_nothing_else(
    detail: str, year: int | None, said: str
) -> None:
    assert detail_for_people(detail, year) == said
