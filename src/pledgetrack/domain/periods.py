"""Reporting periods and calendar units, as inclusive ranges of local dates.

`--period` accepts `2008-10`, `2008-Q4`, `2008-W42` (ISO week), `2008`,
`2008-10-06..2008-10-19` (any accepted date form on each side), `this-week`,
`last-week`, `this-month`, `last-month`, `this-quarter`, `last-quarter`.
Weeks run Monday to Sunday; quarters are calendar quarters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from pledgetrack.domain.dates import DateInputError, parse_date
from pledgetrack.domain.targets import Unit
from pledgetrack.errors import InputError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_HELP = "try 2008-10, 2008-Q4, 2008-W42, 2008, 2008-10-06..2008-10-19 or last-month"


@dataclass(frozen=True, order=True)
class Period:
    start: date  # first day, inclusive
    end: date  # last day, inclusive
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError(f"period {self.label!r} ends before it starts")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def unit_start(unit: Unit, day: date) -> date:
    if unit is Unit.DAY:
        return day
    if unit is Unit.WEEK:
        return day - timedelta(days=day.weekday())
    if unit is Unit.MONTH:
        return day.replace(day=1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def unit_end(unit: Unit, start: date) -> date:
    """Last day of the unit that begins on `start`."""
    if unit is Unit.DAY:
        return start
    if unit is Unit.WEEK:
        return start + timedelta(days=6)
    months = 1 if unit is Unit.MONTH else 3
    year, month = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month + 1, 1) - timedelta(days=1)


def units_ending_in(unit: Unit, period: Period) -> Iterator[tuple[date, date]]:
    """(first, last) day of every unit whose last day falls inside the period, in order."""
    first = unit_start(unit, period.start)
    while True:
        last = unit_end(unit, first)
        if last > period.end:
            return
        if last >= period.start:
            yield first, last
        first = last + timedelta(days=1)


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period(start, unit_end(Unit.MONTH, start), f"{year:04d}-{month:02d}")


def parse_period(text: str, today: date) -> Period:
    raw = text.strip()
    key = raw.lower()
    relative = _relative(key, today)
    if relative is not None:
        return relative
    if ".." in raw:
        left, _, right = raw.partition("..")
        try:
            start, end = parse_date(left, today), parse_date(right, today)
        except DateInputError as exc:
            raise InputError(f"period {raw!r}: {exc}") from None
        if end < start:
            raise InputError(f"period {raw!r} ends before it starts")
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    try:
        if m := _MONTH.match(raw):
            return month_period(int(m[1]), int(m[2]))
        if m := _QUARTER.match(raw):
            start = date(int(m[1]), 3 * (int(m[2]) - 1) + 1, 1)
            return Period(start, unit_end(Unit.QUARTER, start), f"{m[1]}-Q{m[2]}")
        if m := _WEEK.match(raw):
            start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return Period(start, start + timedelta(days=6), f"{m[1]}-W{int(m[2]):02d}")
        if m := _YEAR.match(raw):
            year = int(m[1])
            return Period(date(year, 1, 1), date(year, 12, 31), m[1])
    except ValueError as exc:
        raise InputError(f"impossible period {raw!r}: {exc}") from None
    raise InputError(f"cannot read period {raw!r} ({_HELP})")


def _relative(key: str, today: date) -> Period | None:
    names = {"week": Unit.WEEK, "month": Unit.MONTH, "quarter": Unit.QUARTER}
    which, _, unit_name = key.partition("-")
    if which not in ("this", "last") or unit_name not in names:
        return None
    unit = names[unit_name]
    start = unit_start(unit, today)
    if which == "last":
        start = unit_start(unit, start - timedelta(days=1))
    return Period(start, unit_end(unit, start), key)


def month_range(text: str, today: date) -> list[Period]:
    """`2008-07..2008-12` as one period per month (for exports that need a row per month)."""
    left, sep, right = text.strip().partition("..")
    if not sep or not _MONTH.match(left.strip()) or not _MONTH.match(right.strip()):
        return [parse_period(text, today)]
    first, last = parse_period(left, today), parse_period(right, today)
    if last.start < first.start:
        raise InputError(f"period {text.strip()!r} ends before it starts")
    months, day = [], first.start
    while day <= last.start:
        months.append(month_period(day.year, day.month))
        day = unit_end(Unit.MONTH, day) + timedelta(days=1)
    return months
