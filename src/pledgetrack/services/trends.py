"""Compliance over the periods before a report's: `summary --trend N`, `team show`.

Each period is summarised by `compliance.summarise`, exactly as `summary --period` would
report it then (as things stood at as-of), so a bar is never a figure of its own making.
"""

from __future__ import annotations

from datetime import datetime

from pledgetrack.domain.periods import Period, parse_period
from pledgetrack.domain.trends import Trend, periods_back
from pledgetrack.services.compliance import summarise
from pledgetrack.services.league import team_line
from pledgetrack.store.connection import Store


def pledge_trends(
    store: Store, period: Period, as_of: datetime, team_codes: list[str] | None, count: int
) -> dict[str, Trend]:
    """Per pledge ref, its compliance % in each of `count` periods ending with `period`."""
    periods = periods_back(period, count)
    values: dict[str, list[float | None]] = {}
    statuses: dict[str, list[str]] = {}
    for index, earlier in enumerate(periods):
        for summary in summarise(store, earlier, as_of, team_codes):
            for result in summary.results:
                ref = result.pledge.ref
                values.setdefault(ref, [None] * len(periods))[index] = (
                    result.judgement.compliance_pct
                )
                statuses.setdefault(ref, [""] * len(periods))[index] = result.judgement.status
    return {ref: Trend(tuple(v), tuple(statuses[ref])) for ref, v in values.items()}


def team_months(store: Store, team_code: str, as_of: datetime, count: int = 6) -> Trend:
    """The team's share of judged pledges green in each of the last `count` months."""
    months = periods_back(parse_period("this-month", as_of.date()), count)
    values: list[float | None] = []
    for month in months:
        (summary,) = summarise(store, month, as_of, [team_code])
        values.append(team_line(summary)["green_pct"])
    return Trend(tuple(values), tuple("" for _ in values))
