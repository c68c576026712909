"""The league's columns add up: every pledge counted is in exactly one status column."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_a_team_that_logs_no_duty_hours_does_not_top_one_that_logged_and_missed(
    cli: Run, tmp_path: Path
) -> None:
    """N3 with no hours logged is no data in the summary (`no hours logged`), but in % green
    it is judged and not green: recording nothing must not rank above recording a miss
    (FRESH3 F14), in overview, in the summary's team line and in rollup --league alike."""
    for code in ("AA01", "BB02"):  # AA01 first on a tie: the tie must not be broken by luck
        ok(cli("team", "add", code, "--name", code, "--no-national"))
        ok(cli("pledge", "add", code, "Duty", "--share", "80", "--agreed", "01/09/2008"))
        ok(cli("pledge", "add", code, "Surgery", "--at-least", "1", "--per", "month",
               "--agreed", "01/09/2008"))  # fmt: skip
        ok(cli("log", f"{code}-L2", "Surgery", "--when", "01/10/2008 10:00"))
    ok(cli("log", "BB02-L1", "Shift", "--when", "02/10/2008 08:00", "--hours", "8"))
    ok(cli("log", "BB02-L1", "Event", "--when", "03/10/2008 08:00", "--hours", "8",
           "--abstracted"))  # fmt: skip  # 50%: red
    args = ("--period", "2008-10", "--as-of", "2008-11-01")
    lines = json.loads(ok(cli("overview", *args, "-f", "json")).stdout)
    assert [(x["team"], x["green"], x["red"], x["no_data"], x["green_pct"]) for x in lines] == [
        ("AA01", 1, 0, 1, 50.0),  # the unlogged hours: not green, as BB02's red
        ("BB02", 1, 1, 0, 50.0),
    ]
    summary = ok(cli("summary", "--team", "AA01", *args, "-f", "plain")).stdout.splitlines()
    assert summary[0] == (
        "AA01 AA01, October 2008: 1 green, 0 amber, 0 red, 1 with no hours logged "
        "(not green); 50% of judged pledges green"
    )
    (row,) = [line for line in summary if line.startswith("AA01-L1")]
    assert row.split()[-4:] == ["no-data", "no", "hours", "logged"]  # the detail says why
    files = []
    for code in ("AA01", "BB02"):
        files.append(tmp_path / f"{code}.csv")
        ok(cli("export", "summary", "--team", code, *args, "-o", str(files[-1])))
    rolled = json.loads(ok(cli("rollup", *map(str, files), "--league", "-f", "json")).stdout)
    assert [(x["team"], x["green_pct"]) for x in rolled] == [("AA01", 50.0), ("BB02", 50.0)]
