"""Reporting periods and calendar units, as inclusive ranges of local dates.

One grammar, parsed here and nowhere else, with one meaning in every command. A period is
a calendar unit, spelled as people type it:

- a month: `2008-10`, `10/2008`, `Oct 2008`, `october 2008`, `2008 oct`, `october` (the
  most recent October that has begun);
- a quarter: `2008-Q4`, `2008 Q4`, `Q4 2008`, `Q4` (the most recent);
- an ISO week (Monday to Sunday): `2008-W42`, `2008 W42`;
- a year: `2008`;
- a day: any date `log` accepts (`14/10/2008`, `2008-10-14`, `yesterday`, `tuesday`);
- relative: `this week`, `last month`, `this-quarter`, `last year`, ...

or a range `A..B` of any two of them, which runs from the first day of A to the last day
of B, each read at its own granularity: `2008-09..2008-11` is 1 September to 30 November,
`2008-W40..2008-W42` three whole weeks. Only years SUPPORTED_YEARS are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

from pledgetrack.domain.dates import (
    FIRST_DAY,
    LAST_DAY,
    MONTHS,
    DateInputError,
    DateOutOfRange,
    parse_date,
)
from pledgetrack.domain.vocabulary import Unit as Unit  # re-exported: periods are in units
from pledgetrack.errors import InputError

SUPPORTED_YEARS = range(FIRST_DAY.year, LAST_DAY.year + 1)  # the supported dates' years
ACCEPTED = (
    "accepted: 2008-10, 10/2008, Oct 2008, october, 2008-Q4, 2008 Q4, 2008-W42, 2008, "
    "a date (14/10/2008, yesterday), this/last week, month, quarter or year, "
    "or a range A..B (2008-09..2008-11)"
)


class Grain(StrEnum):
    """How finely a period was written: what `split_period` divides a range into."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class Period:
    start: date  # first day, inclusive
    end: date  # last day, inclusive
    label: str
    # the granularity both ends were written at (None: a mixed range); not part of equality
    grain: Grain | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError(f"period {self.label!r} ends before it starts")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


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


_MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEP = r"[-/ ]?"


@cache
def _forms() -> tuple[tuple[Grain, re.Pattern[str]], ...]:
    """The written-out forms, compiled when a period is first read, not at import: `log`
    loads this module for its units and reads no period (docs/performance.md)."""
    return (
        (Grain.YEAR, re.compile(r"^(?P<y>\d{4})$")),
        (Grain.MONTH, re.compile(r"^(?P<y>\d{4})[-/ ](?P<m>\d{1,2})$")),
        (Grain.MONTH, re.compile(r"^(?P<m>\d{1,2})[-/ ](?P<y>\d{4})$")),
        (Grain.MONTH, re.compile(rf"^(?P<name>{_MONTH_NAME}){_SEP}(?P<y>\d{{4}})?$")),
        # `Nov '26`, as a UK user writes a month: the year in two digits after an apostrophe
        (Grain.MONTH, re.compile(rf"^(?P<name>{_MONTH_NAME}){_SEP}['\u2019](?P<yy>\d{{2}})$")),
        (Grain.MONTH, re.compile(rf"^(?P<y>\d{{4}}){_SEP}(?P<name>{_MONTH_NAME})$")),
        (Grain.QUARTER, re.compile(rf"^(?P<y>\d{{4}}){_SEP}q(?P<q>\d)$")),
        (Grain.QUARTER, re.compile(rf"^q(?P<q>\d)(?:{_SEP}(?P<y>\d{{4}}))?$")),
        (Grain.WEEK, re.compile(rf"^(?P<y>\d{{4}}){_SEP}w(?P<w>\d{{1,2}})$")),
        (Grain.WEEK, re.compile(rf"^w(?P<w>\d{{1,2}}){_SEP}(?P<y>\d{{4}})$")),
    )


@cache
def _relative_form() -> re.Pattern[str]:
    return re.compile(r"^(?P<which>this|last)[- ](?P<unit>week|month|quarter|year)$")


_UNITS = {Grain.WEEK: Unit.WEEK, Grain.MONTH: Unit.MONTH, Grain.QUARTER: Unit.QUARTER}


def unit_period(grain: Grain, start: date) -> Period:
    """The whole unit of `grain` that begins on `start`, labelled canonically."""
    if grain is Grain.DAY:
        return Period(start, start, start.isoformat(), grain)
    if grain is Grain.YEAR:
        return Period(start, date(start.year, 12, 31), f"{start.year:04d}", grain)
    end = unit_end(_UNITS[grain], start)
    if grain is Grain.MONTH:
        label = f"{start.year:04d}-{start.month:02d}"
    elif grain is Grain.QUARTER:
        label = f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    else:
        year, week, _ = start.isocalendar()
        label = f"{year:04d}-W{week:02d}"
    return Period(start, end, label, grain)


def month_period(year: int, month: int) -> Period:
    return unit_period(Grain.MONTH, date(year, month, 1))


def parse_period(text: str, today: date) -> Period:
    """Read a period in any accepted spelling; a refusal names the text and lists the forms."""
    raw = " ".join(text.split())
    if ".." in raw:
        left, _, right = raw.partition("..")
        first, last = _single(left, today, raw), _single(right, today, raw)
        if last.end < first.start:
            raise InputError(f"period {raw!r} ends before it starts")
        grain = first.grain if first.grain is last.grain else None
        return Period(first.start, last.end, f"{first.label}..{last.label}", grain)
    return _single(raw, today, raw)


def split_period(text: str, today: date) -> list[Period]:
    """A range whose ends are written at the same granularity of a week or longer, as one
    period per unit (`2008-07..2008-12`: six months); anything else as the one period.

    The pieces cover exactly the days `parse_period` gives, no more and no fewer.
    """
    whole = parse_period(text, today)
    if ".." not in text or whole.grain in (None, Grain.DAY):
        return [whole]
    grain = whole.grain
    pieces, day = [], whole.start
    while day <= whole.end:
        piece = unit_period(grain, day)
        pieces.append(piece)
        day = piece.end + timedelta(days=1)
    return pieces


def _single(text: str, today: date, whole: str) -> Period:
    key = text.strip().lower()
    if not key:
        raise InputError(f"cannot read period {whole!r}: one side of '..' is empty ({ACCEPTED})")
    try:
        found = _relative(key, today) or _calendar(key, today)
    except OverflowError:  # a year outside SUPPORTED_YEARS, or 9999-W52 ending in 10000
        raise _outside(whole) from None
    except ValueError as exc:
        raise InputError(f"impossible period {whole!r}: {exc}") from None
    if found is None and (ambiguous := _ambiguous(text.strip(), today, whole)) is not None:
        raise ambiguous
    if found is None:
        try:
            day = parse_date(text, today)
        except DateInputError as exc:
            if isinstance(exc, DateOutOfRange) or str(exc).startswith("impossible"):
                # a real date, impossible (31/02/2008) or outside the supported range
                raise InputError(f"period {whole!r}: {exc}") from None
            raise InputError(f"cannot read period {whole!r} ({ACCEPTED})") from None
        found = unit_period(Grain.DAY, day)
    for edge in (found.start, found.end):
        if edge.year not in SUPPORTED_YEARS:
            raise _outside(whole, None if found.label.lower() == key else found)
    return found


def _outside(whole: str, found: Period | None = None) -> InputError:
    """`found`: what a word (`this-week`) or another spelling was read as, said, since the
    user never typed the year that falls outside (31/12/2199's week is 2200-W01)."""
    read = (
        ""
        if found is None
        else f" ({found.label}, {found.start:%d/%m/%Y} to {found.end:%d/%m/%Y})"
    )
    return InputError(
        f"period {whole!r}{read} is outside the supported years "
        f"{SUPPORTED_YEARS.start}..{SUPPORTED_YEARS.stop - 1}"
    )


def _relative(key: str, today: date) -> Period | None:
    match = _relative_form().match(key)
    if match is None:
        return None
    grain, last = Grain(match["unit"]), match["which"] == "last"
    if grain is Grain.YEAR:
        return unit_period(grain, date(today.year - last, 1, 1))
    unit = _UNITS[grain]
    start = unit_start(unit, today)
    if last:
        start = unit_start(unit, start - timedelta(days=1))
    return unit_period(grain, start)


def _nearest_year(two_digits: int, today: date) -> int:
    """`'26`: the year so ending nearest today's, the earlier at 50 years either way (read in
    2008, '26 is 2026 and '98 is 1998)."""
    century = today.year // 100 * 100
    candidates = (century - 100 + two_digits, century + two_digits, century + 100 + two_digits)
    return min(candidates, key=lambda y: (abs(y - today.year), y))


def _ambiguous(text: str, today: date, whole: str) -> InputError | None:
    """`Nov 26` could be 26 November or November 2026: refused, naming both (a report of
    the wrong one would look like a real figure)."""
    found = re.fullmatch(rf"(?P<name>{_MONTH_NAME})[-/ ](?P<n>\d{{2}})", text, re.IGNORECASE)
    if found is None or not 1 <= int(found["n"]) <= 31:
        return None
    name, n = found["name"], found["n"]
    return InputError(
        f"period {whole!r} is ambiguous: write '{int(n)} {name}' for the day, or "
        f"'{name} {_nearest_year(int(n), today)}' or \"{name} '{n}\" for the month"
    )


def _calendar(key: str, today: date) -> Period | None:
    """A year, month, quarter or week written out; a year left off means the most recent."""
    for grain, pattern in _forms():
        match = pattern.match(key)
        if match is None:
            continue
        parts = match.groupdict()
        year = int(parts["y"]) if parts.get("y") else None
        if parts.get("yy"):
            year = _nearest_year(int(parts["yy"]), today)
        if year is not None and year not in SUPPORTED_YEARS:
            # refused as outside the years, before 9999-12's end (year 10000) is computed
            raise OverflowError(f"year {year}")
        if grain is Grain.YEAR:
            assert year is not None
            return unit_period(grain, date(year, 1, 1))
        if grain is Grain.WEEK:
            assert year is not None
            week, weeks = int(parts["w"]), date(year, 12, 28).isocalendar().week
            if not 1 <= week <= weeks:  # 28 December is always in a year's last ISO week
                raise ValueError(f"{year} has ISO weeks 1..{weeks}, not {week}")
            return unit_period(grain, date.fromisocalendar(year, week, 1))
        if grain is Grain.QUARTER:
            quarter = int(parts["q"])
            if not 1 <= quarter <= 4:
                raise ValueError(f"quarter must be in 1..4, not {quarter}")
            month = 3 * (quarter - 1) + 1
        else:
            month = MONTHS[parts["name"]] if parts.get("name") else int(parts["m"])
            if not 1 <= month <= 12:
                raise ValueError(f"month must be in 1..12, not {month}")
        if year is None:  # `october`, `Q4`: the most recent one that has begun
            year = today.year if today.month >= month else today.year - 1
        return unit_period(grain, date(year, month, 1))
    return None
