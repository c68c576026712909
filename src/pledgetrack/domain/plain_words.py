"""Figures in the words a resident reads: "9 patrols", "24 hours", "October 2008". Pure.

The public update and the inspection report are read by people who never see a terminal,
so they say "within 24 hours", never `24h`, and "Monday 10 November 2008, 7pm", never ISO.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from pledgetrack.domain.periods import Period, unit_end
from pledgetrack.domain.targets import Unit
from pledgetrack.domain.vocabulary import PledgeStatus

_ES = ("s", "x", "z", "ch", "sh")


def plural_noun(noun: str) -> str:
    """`patrol` -> "patrols", `speed check` -> "speed checks", `emergency` -> "emergencies"."""
    if noun.endswith(_ES):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return noun[:-1] + "ies"
    return noun + "s"


def plural(count: int, noun: str) -> str:
    """`plural(1, "patrol")` -> "1 patrol"; 9 -> "9 patrols"."""
    return f"1 {noun}" if count == 1 else f"{count} {plural_noun(noun)}"


def kind_noun(kind: str | None) -> str:
    """An action kind as a noun: `speed-check` -> "speed check"; no kind -> "action"."""
    return kind.replace("-", " ").replace("_", " ") if kind else "action"


# What a response pledge answers, as its title names it ("every resident report of drug
# dealing"): residents are told of reports, messages and calls, never of "actions"
_ANSWERED = ("report", "message", "call", "email", "letter", "complaint", "request", "enquiry")


def response_noun(title: str, kinds: list[str | None]) -> str:
    """The thing a response pledge's figure counts, for residents: the items' one kind if
    they share one (`report`), else what the pledge's title names, else "message"."""
    named = {k for k in kinds if k}
    if len(named) == 1 and not any(k is None for k in kinds):
        return kind_noun(named.pop())
    words = re.findall(r"[a-z]+", title.lower())
    for noun in _ANSWERED:
        if noun in words or plural_noun(noun) in words:
            return noun
    return "message"


def day_words(day: date) -> str:
    """`10 November 2008`."""
    return f"{day.day} {day:%B %Y}"


# Past this many different days, `days_words` gives how many and from when to when
DAYS_LISTED = 8


def days_words(days: Sequence[date]) -> str:
    """The days something was done, short: `on 4 and 11 October`, `on 30 September and on
    2, 9 and 16 October` (each year named only when they span two), and past DAYS_LISTED
    days `on 23 days from 1 to 31 October`: a pledge with hundreds of actions stays one
    line. The caller's sentence names the period and its year."""
    distinct = sorted(set(days))
    if not distinct:
        return ""
    years = len({d.year for d in distinct}) > 1
    if len(distinct) > DAYS_LISTED:
        span = period_words(Period(distinct[0], distinct[-1], ""))
        span = span if years else span.removesuffix(f" {distinct[-1].year}")
        return f"on {len(distinct)} days from {span}"
    months: dict[tuple[int, int], list[date]] = {}
    for day in distinct:
        months.setdefault((day.year, day.month), []).append(day)
    year = " %Y" if years else ""
    groups = [f"{_and([str(d.day) for d in days])} {days[0]:%B{year}}" for days in months.values()]
    return _and([f"on {group}" for group in groups])


def _and(items: Sequence[str]) -> str:
    """`1`, `1 and 4`, `1, 4 and 11`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def mentions_day(text: str, day: date) -> bool:
    """Whether `text` already names `day` (`10 Sep 2008`, `10 September 2008`, `10/09/2008`,
    `10/9/08`, `2008-09-10`), so a sentence need not say the date twice."""
    lowered = " ".join(text.lower().split())
    spellings = {
        f"{day.day} {day:%b %Y}",
        f"{day.day} {day:%B %Y}",
        f"{day:%d %b %Y}",
        f"{day:%d %B %Y}",
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day:%Y}",
        f"{day.day}/{day.month}/{day:%y}",
        f"{day:%d/%m/%y}",
        day.isoformat(),
    }
    return any(s.lower() in lowered for s in spellings)


def moment_words(moment: datetime, zone: tzinfo | None = None) -> str:
    """`Monday 10 November 2008, 7pm` (7:30pm with minutes), in `zone`: a stored time
    keeps the offset it was written with (`19:00+00:00` on a summer day is 8pm in London),
    so every one shown in words is given the zone (None: a time already in it)."""
    if zone is not None:
        moment = moment.astimezone(zone)
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    half = "am" if moment.hour < 12 else "pm"
    return f"{moment:%A} {day_words(moment.date())}, {hour}{minutes}{half}"


# Two moments in one minute read as one: a report as of now (the default --as-of) was made
# then too
SAME_MOMENT = timedelta(minutes=1)


def recorded_words(as_of: datetime, made: datetime) -> tuple[str, ...]:
    """What a report's figures are, in phrases its layout joins: what was done up to as-of,
    as the log stood when the report was `made` (FRESH3 F22). An action logged after as-of
    with an earlier time (written up late, imported) is in them, so `as recorded up to the
    end of 31 October 2008` said of a report made in December, as if the log of that
    night, was untrue: `('for what was done up to the end of 31 October 2008', 'as
    recorded by Tuesday 2 December 2008, 9am')`. A report as of the moment it was made:
    `('as recorded at Thursday 16 October 2008, 3pm',)`."""
    if abs(made - as_of) < SAME_MOMENT:
        return (f"as recorded at {moment_words(made)}",)
    done = as_of_words(as_of)  # `up to the end of 31 October 2008`, `at Monday ...`
    done = f"up to {done.removeprefix('at ')}" if done.startswith("at ") else done
    return (f"for what was done {done}", f"as recorded by {moment_words(made)}")


def as_of_words(moment: datetime) -> str:
    """When figures were taken: `up to the end of 31 October 2008` for midnight (the usual
    --as-of, a date), else `at Monday 3 November 2008, 9:30am`."""
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return f"up to the end of {day_words(moment.date() - timedelta(days=1))}"
    return f"at {moment_words(moment)}"


def period_words(period: Period) -> str:
    """`October 2008` for a month; `October to December 2008`; `6 to 19 October 2008`."""
    start, end = period.start, period.end
    whole_months = start.day == 1 and end == unit_end(Unit.MONTH, end.replace(day=1))
    if whole_months and (start.year, start.month) == (end.year, end.month):
        return f"{start:%B %Y}"
    if whole_months:
        first = f"{start:%B}" if start.year == end.year else f"{start:%B %Y}"
        return f"{first} to {end:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {day_words(end)}" if start != end else day_words(end)
    if start.year == end.year:
        return f"{start.day} {start:%B} to {day_words(end)}"
    return f"{day_words(start)} to {day_words(end)}"


def duration_words(minutes: int) -> str:
    """`15 minutes`, `1 hour`, `24 hours`, `1 hour 39 minutes`; from 3 days up in days and
    hours (`37 days 9 hours`), so that nobody has to work out what 897 hours is."""
    if minutes >= 72 * 60:
        days, rest = divmod(minutes, 24 * 60)
        hours = rest // 60
        return plural(days, "day") + (f" {plural(hours, 'hour')}" if hours else "")
    hours, rest = divmod(minutes, 60)
    if not hours:
        return plural(rest, "minute")
    return plural(hours, "hour") + (f" {plural(rest, 'minute')}" if rest else "")


def per_unit_words(count: int, unit: Unit) -> str:
    """`2 a week`, `1 a month`, `4 a quarter`."""
    return f"{count} a {unit.value}"


def percent_words(value: float) -> str:
    """Whole percentages for people: 85.71 -> `86%`; 99.6 -> `99%`, never a rounded-up 100%."""
    whole = int(value) if value < 100 and round(value) == 100 else round(value)
    return f"{whole}%"


# How a closed pledge's status reads for people
_CLOSED = {
    PledgeStatus.ACHIEVED: "achieved",
    PledgeStatus.NOT_ACHIEVED: "not achieved",
    PledgeStatus.WITHDRAWN: "withdrawn",
}


def closing_words(status: PledgeStatus, day: date, outcome: str | None) -> str:
    """`withdrawn on 1 December 2026: Residents chose a new priority` (the outcome as
    given to `pledge close`, if any): the public update's and the inspection's words."""
    said = f"{_CLOSED.get(status, status.value)} on {day_words(day)}"
    return f"{said}: {outcome}" if outcome else said
