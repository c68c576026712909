"""`check -f csv|json` for programs: beside the sentence, the facts a tasking system reads
(the item, its case, when it came in and when it is due, the period judged, the status
and the counts), declared once (services.check.FINDING_FIELDS), after the four columns
check always had so that nothing read by position moves (FRESH4 G21)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from conftest import fixed_clock
from helpers import LONDON, Run, ok
from pledgetrack.exitcodes import ExitCode
from pledgetrack.services.check import FINDING_FIELDS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def findings(cli: Run, *args: str) -> list[dict[str, object]]:
    result = cli("check", *args, "-f", "json")
    assert result.exit_code == ExitCode.PROBLEMS_FOUND, result.stderr
    return list(json.loads(result.stdout))


def test_the_first_four_columns_stay_where_they_were(ward: Run) -> None:
    ok(ward("log", "CW01-N4", "Email", "--received", "15/10/2008 09:00", "--open"))
    header = ward("check", "-f", "csv").stdout.splitlines()[0]
    assert header.split(",")[:4] == ["team", "ref", "kind", "message"]
    assert header.split(",") == [f.name for f in FINDING_FIELDS]


def test_an_open_item_s_id_case_received_and_due_time(ward: Run) -> None:
    """Received 15/10 09:00 with 24 hours to answer: due at 16/10 09:00, as stored."""
    ok(ward("log", "CW01-N4", "Email", "--received", "15/10/2008 09:00", "--open",
            "--ref", "EM-1"))  # fmt: skip
    breached = [f for f in findings(ward) if f["kind"] == "breached"]
    assert breached == [
        {
            "team": "CW01",
            "ref": "CW01-N4",
            "kind": "breached",
            "message": "item 1 received 2008-10-15T09:00:00+01:00 open 30h (limit 24h)",
            "period_start": None,
            "period_end": None,
            "status": None,
            "done": None,
            "needed": None,
            "due": "2008-10-16T09:00:00+01:00",
            "item": 1,
            "case": "EM-1",
            "received_at": "2008-10-15T09:00:00+01:00",
            "last_action": None,
        }
    ]
    # the red it makes of this month: the period, status and counts as export summary's
    red = [f for f in findings(ward) if f["kind"] == "red" and f["ref"] == "CW01-N4"]
    assert [(f["period_start"], f["period_end"], f["status"], f["done"], f["needed"])
            for f in red] == [("2008-10-01", "2008-10-31", "red", 0, 1)]  # fmt: skip


def test_due_is_24_real_hours_on_across_the_clock_change(
    ward: Run, cli_with: Callable[..., Run]
) -> None:
    """Received 10:00 BST on Saturday 25 October 2008: 24 hours later is 09:00 GMT on the
    Sunday, said with its own offset, not 10:00."""
    later = cli_with(clock=fixed_clock(datetime(2008, 10, 26, 12, 0, tzinfo=LONDON)))
    ok(later("log", "CW01-N4", "Email", "--received", "25/10/2008 10:00", "--open"))
    due = [f["due"] for f in findings(later) if f["kind"] == "breached"]
    assert due == ["2008-10-26T09:00:00+00:00"]


def test_falling_short_names_its_week_counts_and_last_day(ward: Run) -> None:
    """Two patrols a week, one done by Saturday 18 October: the week 13-19 October."""
    ok(ward("log", "CW01-L1", "Patrol", "--kind", "patrol", "--when", "14/10/2008 19:00"))
    short = [
        f for f in findings(ward, "--as-of", "18/10/2008 12:00") if f["kind"] == "falling-short"
    ]
    assert [
        (f["period_start"], f["period_end"], f["done"], f["needed"], f["due"]) for f in short
    ] == [("2008-10-13", "2008-10-19", 1, 2, "2008-10-19")]


def test_csv_leaves_a_field_that_does_not_apply_empty(ward: Run) -> None:
    ok(ward("log", "CW01-N4", "Email", "--received", "15/10/2008 09:00", "--open"))
    lines = ward("check", "-f", "csv").stdout.splitlines()
    breached = next(line for line in lines if ",breached," in line)
    assert breached.endswith(
        ",,,,,,2008-10-16T09:00:00+01:00,1,,2008-10-15T09:00:00+01:00,"
    )


def test_the_table_for_people_keeps_its_four_columns(ward: Run) -> None:
    ok(ward("log", "CW01-N4", "Email", "--received", "15/10/2008 09:00", "--open"))
    plain = ward("check", "-f", "plain").stdout.splitlines()
    assert plain[0].split() == ["Team", "Ref", "Kind", "Message"]
    picked = ward("check", "-f", "plain", "--columns", "ref,item,due").stdout.splitlines()
    assert picked[0].split() == ["Ref", "Item", "Due"]


def test_the_docs_table_is_the_declaration() -> None:
    rows = [
        f"| `{f.name}` | {f.meaning} | {f'`{f.example}` ' if f.example else ''}|"
        for f in FINDING_FIELDS
    ]
    table = "\n".join(["| field | meaning | example |", "| --- | --- | --- |", *rows])
    assert table in DOCS.read_text(encoding="utf-8"), f"docs/cli.md wants:\n{table}"
