"""The league's columns add up: every pledge counted is in exactly one status column."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from helpers import Run, ok
from pledgetrack.domain.rules import Status
from pledgetrack.services import league as force_league

ROW = st.fixed_dictionaries(
    {
        "team": st.sampled_from(["BL02", "CW01", "MH03"]),
        "team_name": st.just("Name"),
        "period_start": st.sampled_from(["2008-09-01", "2008-10-01"]),
        "period_end": st.just("2008-10-31"),
        "status": st.sampled_from([s.value for s in Status]),
    }
)


@given(st.lists(ROW, max_size=40))
def test_the_status_columns_sum_to_the_pledges(rows: list[dict[str, str]]) -> None:
    lines = force_league.league(rows)
    assert sum(line["pledges"] for line in lines) == len(rows)
    for line in lines:
        assert sum(line[key] for key in force_league.COUNTS) == line["pledges"]
    assert set(force_league.COUNTS.values()) == set(Status)  # a new status needs a column


def test_a_pending_deadline_and_unmeasured_pledges_have_their_columns(
    cli: Run, team: str
) -> None:
    ok(cli("pledge", "add", team, "Alley lighting", "--by", "20/11/2008", "--agreed", "01/10/2008"))
    args = ("--period", "2008-10", "--as-of", "2008-11-01")
    (line,) = json.loads(ok(cli("overview", *args, "-f", "json")).stdout)
    counts = {k: line[k] for k in ("pledges", *force_league.COUNTS)}
    # N1, N2 and N10 are not measured; the lighting is due in 19 days: pending
    assert counts["pending"] == 1 and counts["not_measured"] == 3
    assert sum(counts.values()) == 2 * counts["pledges"]
    hq = ok(cli("report", "hq", *args, "--format", "md")).stdout
    assert "| No data | Pending | Not measured | Closed in period |" in hq
    row = next(r for r in hq.splitlines() if r.startswith(f"| 1 | {team} |"))
    assert row.endswith(f"| {counts['no_data']} | 1 | 3 | 0 |")
