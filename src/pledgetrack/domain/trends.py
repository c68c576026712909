"""Trends at a glance: the periods before a report's, and a sparkline of figures over them.

`summary --trend 6` shows each pledge's compliance over the six periods ending with the
report's, each of the same length: six months for a month, six quarters for a quarter,
six weeks for an ISO week, six spans of as many days for any other range. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pledgetrack.domain.periods import Period, Unit, unit_end, unit_start

BARS = "▁▂▃▄▅▆▇█"
NO_FIGURE = "·"  # a period with nothing to judge (no data, not measured, not yet in force)
MAX_TREND = 36


def _calendar_unit(period: Period) -> Unit | None:
    """The calendar unit the period is exactly one of (a month, a quarter, a week), if any."""
    for unit in (Unit.WEEK, Unit.MONTH, Unit.QUARTER):
        if unit_start(unit, period.start) == period.start and unit_end(unit, period.start) == (
            period.end
        ):
            return unit
    return None


def _is_year(period: Period) -> bool:
    return period.start == date(period.start.year, 1, 1) and period.end == date(
        period.start.year, 12, 31
    )


def periods_back(period: Period, count: int) -> list[Period]:
    """`count` periods of the same length ending with `period`, oldest first."""
    periods = [period]
    unit = _calendar_unit(period)
    while len(periods) < count:
        latest = periods[0]
        if _is_year(latest):
            year = latest.start.year - 1
            earlier = Period(date(year, 1, 1), date(year, 12, 31), str(year))
        elif unit is not None:
            start = unit_start(unit, latest.start - timedelta(days=1))
            earlier = Period(start, unit_end(unit, start), f"{start}")
        else:
            end = latest.start - timedelta(days=1)
            start = end - (latest.end - latest.start)
            earlier = Period(start, end, f"{start}..{end}")
        periods.insert(0, earlier)
    return periods


@dataclass(frozen=True)
class Trend:
    """A figure per period, oldest first (None: nothing to judge), with each one's status."""

    values: tuple[float | None, ...]
    statuses: tuple[str, ...]

    def spark(self) -> str:
        """`▁▃▅█`: one bar per period, 0% lowest, 100% highest; `·` where there is no figure."""
        return "".join(_bar(v) for v in self.values)

    def numbers(self) -> list[float | None]:
        return [None if v is None else round(v, 1) for v in self.values]

    def __str__(self) -> str:
        return self.spark()


def _bar(value: float | None) -> str:
    if value is None:
        return NO_FIGURE
    clamped = min(max(value, 0.0), 100.0)
    return BARS[round(clamped / 100 * (len(BARS) - 1))]
