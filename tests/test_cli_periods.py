"""One period grammar with one meaning in every command (issue 9, items 2 and 3).

`A..B` runs from the first day of A to the last day of B, whichever command reads it, and
whatever the as-of date; the friendly spellings give the same periods as the ISO ones.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from helpers import Run, assert_error, ok
from pledgetrack.exitcodes import ExitCode


@pytest.fixture
def weekly(cli: Run, team: str) -> str:
    args = ("Two patrols a week", "--at-least", "2", "--per", "week", "--agreed", "01/07/2008")
    return ok(cli("pledge", "add", team, *args)).stdout.strip()


def summary_span(cli: Run, *args: str) -> tuple[str, str]:
    doc = json.loads(ok(cli("summary", "-f", "json", *args)).stdout)
    return doc["period"]["start"], doc["period"]["end"]


def export_spans(cli: Run, *args: str) -> list[tuple[str, str]]:
    rows = csv.DictReader(io.StringIO(ok(cli("export", "summary", *args)).stdout))
    return sorted({(r["period_start"], r["period_end"]) for r in rows})


@pytest.mark.parametrize("as_of", ["2008-12-20", "10/12/2008", "2009-03-01"])
def test_a_month_range_runs_to_the_end_of_its_last_month(cli: Run, team: str, as_of: str) -> None:
    # was 1 Sep..1 Nov (one day of November), or 10 Sep..10 Nov with --as-of 10/12/2008
    assert summary_span(cli, "-p", "2008-09..2008-11", "--as-of", as_of) == (
        "2008-09-01",
        "2008-11-30",
    )


def test_a_range_of_one_month_is_the_whole_month(cli: Run, team: str) -> None:
    assert summary_span(cli, "-p", "2008-10..2008-10") == ("2008-10-01", "2008-10-31")


def test_a_range_of_weeks_is_whole_weeks(cli: Run, team: str) -> None:
    assert summary_span(cli, "-p", "2008-W40..2008-W42") == ("2008-09-29", "2008-10-19")


def test_every_command_reads_a_range_as_the_same_days(
    cli: Run, weekly: str, tmp_path: Path
) -> None:
    args = ("-p", "2008-09..2008-11", "--as-of", "2008-12-20")
    overview = ok(cli("overview", *args, "-f", "plain")).stdout.splitlines()[0]
    assert overview == "Overview September to November 2008"
    months = [("2008-09-01", "2008-09-30"), ("2008-10-01", "2008-10-31"),
              ("2008-11-01", "2008-11-30")]  # fmt: skip
    assert export_spans(cli, *args) == months
    exported = tmp_path / "summary.csv"
    ok(cli("export", "summary", *args, "-o", str(exported)))
    db = str(tmp_path / "pt.db")
    for source in (db, str(exported)):
        rolled = ok(cli("rollup", source, *args)).stdout
        assert sorted({(r["period_start"], r["period_end"])
                       for r in csv.DictReader(io.StringIO(rolled))}) == months  # fmt: skip


def test_each_side_of_the_range_difference_says_so_in_its_help(cli: Run, weekly: str) -> None:
    """FRESH2 G15: one two-month row on screen, one row per month in the HQ file; the
    figures differ by design, so both helps say it."""
    args = ("-p", "2008-09..2008-10", "--as-of", "01/11/2008")
    assert summary_span(cli, *args) == ("2008-09-01", "2008-10-31")
    assert len(export_spans(cli, *args)) == 2
    one = ("judged as one period (export summary and rollup give a range of whole units "
           "one row each)")  # fmt: skip
    split = ("gives one row per unit, covering the same days (summary judges it as one "
             "period)")  # fmt: skip
    for command, said in ((("summary",), one), (("overview",), one), (("export", "summary"),
                          split), (("rollup",), split)):  # fmt: skip
        assert said in " ".join(ok(cli(*command, "--help")).stdout.split())


def test_export_splits_weeks_into_weeks(cli: Run, weekly: str) -> None:
    assert export_spans(cli, "-p", "2008-W40..2008-W42", "--as-of", "2008-12-20") == [
        ("2008-09-29", "2008-10-05"),
        ("2008-10-06", "2008-10-12"),
        ("2008-10-13", "2008-10-19"),
    ]


def test_export_keeps_a_mixed_range_whole(cli: Run, weekly: str) -> None:
    assert export_spans(cli, "-p", "2008-09..2008-Q4", "--as-of", "2009-01-20") == [
        ("2008-09-01", "2008-12-31")
    ]


@pytest.mark.parametrize(
    ("spelling", "span"),
    [
        ("last month", ("2008-09-01", "2008-09-30")),
        ("october", ("2008-10-01", "2008-10-31")),
        ("Oct 2008", ("2008-10-01", "2008-10-31")),
        ("10/2008", ("2008-10-01", "2008-10-31")),
        ("2008 Q4", ("2008-10-01", "2008-12-31")),
        ("this week", ("2008-10-13", "2008-10-19")),
        ("last-week", ("2008-10-06", "2008-10-12")),
        ("2008-10-14", ("2008-10-14", "2008-10-14")),
    ],
)
def test_friendly_spellings(cli: Run, team: str, spelling: str, span: tuple[str, str]) -> None:
    assert summary_span(cli, "-p", spelling) == span  # today is Thursday 16 October 2008
    assert export_spans(cli, "-p", spelling) in ([span], [])


def test_nonsense_is_refused_with_the_accepted_forms(cli: Run, team: str) -> None:
    message = assert_error(cli("summary", "-p", "fortnight"), ExitCode.USAGE)
    assert message.startswith("--period: cannot read period 'fortnight' (accepted: 2008-10, ")
    for form in ("10/2008", "Oct 2008", "october", "2008 Q4", "this/last week", "A..B"):
        assert form in message
