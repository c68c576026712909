"""Forgiving British date and time entry, and the one stored form.

Sergeants type `14/10/2008`, `3/4/08`, `2008-10-14 19:30`, `yesterday`, `tuesday 18:00`
or `2 days ago`. Numeric dates are day-first, always. ISO forms are recognised *before*
dateutil sees the text, because `dateutil.parser.parse("2008-11-10", dayfirst=True)`
reads 11 October. Times are interpreted in the configured zone and stored as ISO 8601
with their UTC offset, so elapsed time across a clock change is real time.

A date given without a time means the start of that day (00:00); `now` and `today`
mean the current moment.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal, NamedTuple

from pledgetrack.errors import InputError

WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# minutes may be left out before am/pm only (`7pm`, as reports write it); `19` alone is no time
_TIME = (
    r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"|(?=\s*(?:am|pm)))"
)
# seconds too: before the 1940s some zones' offsets had them (Amsterdam 1900: +00:19:32),
# and a time stored then must read back
# and `UTC`, `GMT+1`, `UTC-05:30` as people write them: + is ahead of UTC, as in ISO 8601
# (dateutil reads `UTC+1` the POSIX way, an hour behind: two hours out without a word)
_OFFSET = (
    r"(?P<offset>Z|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}(?::\d{2})?)"
)
_TIME_RE = re.compile(rf"^{_TIME}\s*(?P<ampm>am|pm)?\s*{_OFFSET}?$", re.IGNORECASE)
# `9.15` alone: a time only after a day (`today 9.15`), since `14.10` could be 14 October
_BARE_DOTTED_RE = re.compile(r"^(?P<a>\d{1,2})\.(?P<b>\d{1,2})$")
# a day-first date read here, not by dateutil (which reads `14.10` as the 14th of this month)
_DAY_MONTH_RE = re.compile(r"^(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}))?$")
_TIME_HELP = "a time is 19:30, 19.30 or 7.30pm"
_ISO_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ]\s*(?P<rest>.+))?$")
_STORED_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}(?::\d{2})?$")
_AGO_RE = re.compile(r"^(?P<n>\d+)\s*(?P<unit>minute|min|hour|hr|day|week)s?\s+ago$", re.IGNORECASE)
_CLOCK_UNITS = ("minute", "min", "hour", "hr")  # `N ... ago` in real elapsed time
_NUMERIC_DATE_RE = re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})(?:[/.-]\d{2,4})?(?:\s|$)")
_HELP = "try 14/10/2008, 2008-10-14 19:30, today, yesterday, tuesday or '2 days ago'"
# where the date must be ahead (a meeting to come, a deadline): examples that read forwards
_AHEAD_HELP = "try 14/10/2008, 2008-10-14 19:30, tomorrow, thursday 7pm, 'next thursday' or 31/1"
# what a file's cell may hold: never a date relative to the day it is read (`written`)
_FILE_HELP = "try 14/10/2008, 14/10/2008 19:30 or 2008-10-14 19:30"

# The dates pledgetrack records and reports on (docs/cli.md). Wide enough for any real
# pledge; narrow enough that a period, a unit or a week around any of them is a valid date.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
SUPPORTED = f"supported dates are {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
# UTC offsets in use anywhere are within -12:00..+14:00; ISO 8601 allows up to 18 hours
MAX_OFFSET = timedelta(hours=18)


# Which way an option's date may lie from today, declared where the option is read
# (cli/context.py): `past` (an action's time, when a pledge closed), `future` (the next
# meeting, a deadline, a review date), `either` (--as-of, --agreed, --since, periods)
Tense = Literal["past", "future", "either"]


class _Side(NamedTuple):
    """The side of `edge` a typed time must be on: not after it (`ahead` False: an
    option that must be past), or not before it (an option that must be ahead)."""

    edge: datetime
    ahead: bool


def _side(not_after: datetime | None, not_before: datetime | None) -> _Side | None:
    if not_after is not None and not_before is not None:
        raise ValueError("a time is either past or ahead, not both")
    if not_after is not None:
        return _Side(not_after, ahead=False)
    return None if not_before is None else _Side(not_before, ahead=True)


class DateInputError(InputError):
    """A date or time the user typed that cannot be read; the caller adds which option."""


class DateOutOfRange(DateInputError):
    """A readable date outside FIRST_DAY..LAST_DAY."""


def parse_datetime(
    text: str,
    now: datetime,
    *,
    written: bool = False,
    not_after: datetime | None = None,
    not_before: datetime | None = None,
    after: datetime | None = None,
) -> datetime:
    """Read what a user typed as an aware datetime in `now`'s zone.

    The result carries the zone's UTC offset at that moment as a fixed offset, like a
    stored value: Python ignores offsets when both sides of `-` or `<` share one tzinfo,
    so two zone-aware times either side of a clock change would be an hour out.
    `written` (a file's cell, not a typed option): refuse what depends on the day it is
    read (`yesterday 7pm`, `tuesday`, `14/10` without its year), so a file imports the same
    times whenever it is imported.
    `not_after` (an option that must be past: `--when`, `--received`): a day and month
    without its year is the latest such day not after it, within YEARLESS_PAST (past_day).
    `not_before` (an option that must be ahead: `next-meeting --when`): a weekday is the
    next one (today only if its time is still ahead), `next thursday` the first after today,
    a day and month without its year the first such day not before it, within
    YEARLESS_AHEAD (ahead_day).
    `after` (the time an item came in, for the time it was dealt with): a time alone is
    the first such time at or after it (after_day).
    """
    side = _side(not_after, not_before)
    moment = None if after is None else after_day(text, now, after, not_after, side)
    if moment is None:
        moment = _read(text, now, written=written, side=side)
    offset = moment.utcoffset() or timedelta(0)
    if offset.seconds % 60:
        raise DateInputError(_not_whole_minute(text.strip(), offset))
    return moment


def after_day(
    text: str, now: datetime, after: datetime, not_after: datetime | None, side: _Side | None
) -> datetime | None:
    """A time alone (`11:30`, `01:30 BST`) typed for when an item received at `after` was
    dealt with (FRESH5 H14: `--received '25/10/2008 10:00' --when 11:30` was read as
    today's 11:30, thirty years late): the first such time at or after `after`, on its day
    (in `now`'s zone) or, when that time of its day came before it, the next day's
    (`--received '25/10 22:00' --when 08:00`: the 26th's); but the received day's when the
    next day's is after `not_after` (still to come), so a slip is refused as before the
    item rather than as in the future. None for any other text (it names its day)."""
    raw = " ".join(text.strip().split())
    zoned = _ZONE_WORD_RE.match(raw)  # `01:30 BST`; not `11:30 today`, which names its day
    tz = now.tzinfo
    assert tz is not None
    named = zoned is not None and zoned["name"].upper() in {"UTC", "GMT"} | _zone_names(
        tz, after.year
    )
    bare = zoned["rest"].strip() if zoned is not None and named else raw
    day_part, time_part = _split_time(_NOON_RE.sub("12:00", bare))
    if day_part or time_part is None:
        return None
    day = after.astimezone(now.tzinfo).date()
    moment = _read(f"{day:%d/%m/%Y} {raw}", now, side=side)
    if moment >= after:
        return moment
    following = _read(f"{day + timedelta(days=1):%d/%m/%Y} {raw}", now, side=side)
    return following if not_after is None or following <= not_after else moment


# How long ago yesterday's same time may be for a time alone, refused as still to come
# today, to be read as meant for the shift just ended (yesterday_instead)
LAST_SHIFT = timedelta(hours=12)


def yesterday_instead(text: str, now: datetime) -> str | None:
    """What a time alone that is still to come today most likely meant: the same time
    yesterday, when that was at most LAST_SHIFT ago (FRESH4 G6: at 00:40, `--when 23:30`
    for the patrol before midnight). None for any other text, and for a time yesterday
    longer ago (at 00:40, `09:00`: more likely a slip than last night). Only for what
    was typed: a file's cell names its date, and has no `yesterday`."""
    day_part, time_part = _split_time(" ".join(text.strip().split()))
    if day_part or time_part is None:
        return None
    instead = f"yesterday {time_part}"
    try:
        then = parse_datetime(instead, now)
    except DateInputError:  # yesterday at that time was skipped or repeated by the clocks
        return None
    ago = now.astimezone(UTC) - then.astimezone(UTC)
    return instead if timedelta(0) <= ago <= LAST_SHIFT else None


def _read(
    text: str, now: datetime, *, written: bool = False, side: _Side | None = None
) -> datetime:
    """parse_datetime without the whole-minute rule, which a calendar date does not need."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    hint = _FILE_HELP if written else _AHEAD_HELP if side is not None and side.ahead else _HELP
    try:
        parsed = _stored(text, now)
        if parsed is None:
            parsed = _parse(text, now, hint, side)
            if written and _parse(text, now - _ANOTHER_DAY, hint, side) != parsed:
                raise DateInputError(
                    f"{text.strip()!r} depends on the day it is read; a file needs the date "
                    "itself, e.g. 14/10/2008 19:30"
                )
    except OverflowError:
        raise DateOutOfRange(f"{text.strip()!r} is out of range ({SUPPORTED})") from None
    if not FIRST_DAY <= parsed.date() <= LAST_DAY:
        raise DateOutOfRange(f"{text.strip()!r} is out of range ({SUPPORTED})")
    offset = parsed.utcoffset() or timedelta(0)
    return parsed.astimezone(_FIXED.get(offset) or _fixed(offset))


def _not_whole_minute(text: str, offset: timedelta) -> str:
    """Why a time whose UTC offset has seconds is refused.

    A time is stored as `YYYY-MM-DDTHH:MM:SS+HH:MM`, which SQLite's date functions (every
    report's epoch and local day) read; they read nothing with seconds in the offset, and
    no whole-minute offset gives both the instant and the local day of such a time.
    """
    seconds = int(offset.total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    shown = f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return (
        f"{text!r}: the zone's UTC offset then ({shown}) was not a whole minute, and "
        "pledgetrack records times only at whole-minute offsets"
    )


# Another year and weekday: a text read the same then and now names its own date
_ANOTHER_DAY = timedelta(days=370)

# Offsets as read, and as fixed zones: a big import meets a handful (+00:00 and +01:00 for
# a British force), so each is read once; a file of odd ones only fills the caches so far
_OFFSETS: dict[str, timezone] = {}
_FIXED: dict[timedelta, timezone] = {}
_CACHED = 256


def _fixed(offset: timedelta) -> timezone:
    """timezone(offset), made once per offset."""
    zone = timezone(offset)
    if len(_FIXED) < _CACHED:
        _FIXED[offset] = zone
    return zone


def _stored(text: str, now: datetime) -> datetime | None:
    """The stored (and exported) form, read directly: bulk import sees little else.

    Gives what `_parse` would (an ISO date, a time, an offset), about 20 times faster
    (tests/test_dates.py holds the two equal).
    """
    if not _STORED_RE.match(text):
        return None
    try:
        if text[19:] in _OFFSETS:  # an offset already read by our rule, which Python's agrees with
            return datetime.fromisoformat(text).astimezone(now.tzinfo)
        local = datetime.fromisoformat(text[:19])
    except ValueError:
        return None  # e.g. 30 February: let _parse say what is wrong
    # the offset read by our rule: Python's own reads `+01:99` as +02:39
    offset = _fixed_offset(text[19:], text)
    if len(_OFFSETS) < _CACHED:
        _OFFSETS[text[19:]] = offset
    return local.replace(tzinfo=offset).astimezone(now.tzinfo)


def parse_stored(
    texts: Sequence[str | None], now: datetime
) -> tuple[list[datetime | None], list[int]]:
    """parse_datetime over a column of cells (None: blank), for bulk import: what it gives
    for every cell in the stored form with the zone's own offset at that instant, which is
    nearly every cell of an export; and the positions of the others, to be read one by one
    by parse_datetime (for the value, or the error). Their items are None.

    Such a cell already is what parse_datetime returns (the same instant and offset), so
    it costs one C parse and one zone look-up (tests/test_dates.py holds the two equal).
    """
    tz = now.tzinfo
    read = datetime.fromisoformat
    values: list[datetime | None] = []
    others: list[int] = []
    for position, text in enumerate(texts):
        if text is None:
            values.append(None)
            continue
        moment = None
        try:
            # an offset read by our rule (now, or for an earlier cell)
            if text[19:] in _OFFSETS or _stored(text, now) is not None:
                parsed = read(text) if _STORED_RE.match(text) else None
                if (
                    parsed is not None
                    and parsed.astimezone(tz).utcoffset() == parsed.utcoffset()
                    and len(text) == 25  # no seconds in the offset: parse_datetime refuses those
                    and FIRST_DAY <= parsed.date() <= LAST_DAY
                ):
                    moment = parsed
        except (DateInputError, ValueError, OverflowError):
            pass  # parse_datetime says what is wrong
        if moment is None:
            others.append(position)
        values.append(moment)
    return values, others


def _parse(text: str, now: datetime, hint: str, side: _Side | None = None) -> datetime:
    """Read one typed text; `hint` (what may be typed there) ends an unreadable one's error."""
    tz = now.tzinfo
    assert tz is not None
    raw = " ".join(text.strip().split())
    lowered = raw.lower()
    if not raw:
        raise DateInputError(f"empty date ({hint})")
    raw = _noon(raw)
    named = _zone_named(raw, now, hint, side)
    if named is not None:
        return named
    if lowered in ("now", "today"):
        return now.replace(microsecond=0)
    ago = _AGO_RE.match(lowered)
    if ago and ago["unit"].lower() in _CLOCK_UNITS:  # real elapsed time; days: _relative_day
        n, unit = int(ago["n"]), ago["unit"].lower()
        minutes = n if unit in ("minute", "min") else n * 60
        return (now.astimezone(UTC) - timedelta(minutes=minutes)).astimezone(tz)

    day_part, time_part = _split_time(raw)
    _refuse_bare_dotted(raw)
    if time_part is not None and not day_part:  # a time alone: today at that time
        return _combine(now.date(), time_part, tz, raw, hint)
    said = day_part
    day_part, part = _day_part(day_part)

    def combine(day: date, time_text: str | None) -> datetime:
        """The day at the time typed, in the part of the day named (`last night 01:30`)."""
        if part is not None:
            day = part.day_of(day, _clock_time(time_text, raw, hint), raw, said)
        return _combine(day, time_text, tz, raw, hint)

    ahead = side is not None and side.ahead
    day = _relative_day(day_part.lower(), now.date(), ahead=ahead, raw=raw)
    if day is not None:
        moment = combine(day, time_part)
        if ahead and day == now.date() and day_part.lower() in WEEKDAYS:
            # today's weekday, where the date must be ahead: today only at a time still to
            # come (`thursday 7pm` typed on Thursday at 10:00); else, and without a time
            # (today's midnight, never ahead), a week on
            assert side is not None
            if moment <= side.edge:
                moment = combine(day + timedelta(days=7), time_part)
        return moment
    if day_part.lower().startswith("next ") and day_part.lower()[5:] in WEEKDAYS:
        if hint == _FILE_HELP:
            raise DateInputError(f"cannot read {raw!r} as a date ({hint})")
        coming = _relative_day(day_part.lower(), now.date(), ahead=True)
        assert coming is not None
        raise DateInputError(
            f"{raw!r}: 'next' is read only where the date must be ahead (a meeting to come, "
            f"a deadline); write the day itself ({coming:%d/%m/%Y} for the coming {coming:%A})"
        )
    iso = _ISO_RE.match(raw) if part is None else None
    rest = iso["rest"] if iso else None
    if iso is None and time_part is not None:  # `19:30 2008-10-14`
        iso, rest = _ISO_RE.match(day_part), time_part
    if iso:
        try:
            day = date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
        except ValueError as exc:
            why = _no_such_day(int(iso["d"]), int(iso["m"]), int(iso["y"])) or str(exc)
            raise DateInputError(f"impossible date {text.strip()!r}: {why}") from None
        return combine(day, rest)
    # the time is ours (`14/10/2008 7.30pm`, `7.30pm 14/10`); dateutil reads only the day
    day = _day_first(day_part, now, raw, hint, side)
    return combine(day, time_part)


class DayPart(NamedTuple):
    """A part of the day named with a time (`last night 23:30`, `this morning 08:00`): the
    hours it covers, `first` to `last` o'clock (to :59). A part that runs past midnight
    (night) has its small hours on the next day: `last night 01:30` is today's 01:30."""

    name: str
    first: int
    last: int

    @property
    def hours(self) -> str:
        """`18:00 to 06:59`, as docs/cli.md gives each part."""
        return f"{self.first:02d}:00 to {self.last:02d}:59"

    def covers(self, at: time) -> bool:
        if self.last < self.first:  # past midnight
            return self.first <= at.hour or at.hour <= self.last
        return self.first <= at.hour <= self.last

    def day_of(self, day: date, at: time | None, raw: str, said: str) -> date:
        """The day a time in this part of `day` (`said`: the phrase as typed, `last night`)
        falls on; refused without a time (it would be made up) or at a time outside the
        part, saying what to write: the time twelve hours on where that fits (`last night
        9:00`, meaning 21:00), and the day itself."""
        if at is None:
            raise DateInputError(
                f"{raw!r} needs its time, e.g. '{said} {_PART_TIMES[self.name]}' "
                f"({self.name} is {self.hours})"
            )
        if not self.covers(at):
            later = at.replace(hour=at.hour + 12) if at.hour < 12 else None
            fits = f"'{said} {later:%H:%M}' or " if later is not None and self.covers(later) else ""
            raise DateInputError(
                f"{raw!r}: {at:%H:%M} is not in the {self.name} ({self.hours}); write "
                f"{fits}the day itself ({day:%d/%m/%Y} {at:%H:%M})"
            )
        return day + timedelta(days=1) if at.hour < self.first else day


# The parts of a day that may follow a day (`yesterday evening 19:30`, `friday night
# 23:00`, `14/10/2008 morning 09:00`), declared once: docs/cli.md lists them from here
DAY_PARTS = {
    part.name: part
    for part in (
        DayPart("morning", 0, 11),
        DayPart("afternoon", 12, 17),
        DayPart("evening", 17, 23),
        DayPart("night", 18, 6),  # a night shift's small hours are still last night
    )
}
# the phrases that name a day and its part at once
PART_PHRASES = {
    "last night": ("yesterday", "night"),
    "tonight": ("today", "night"),
    "this morning": ("today", "morning"),
    "this afternoon": ("today", "afternoon"),
    "this evening": ("today", "evening"),
}
# a time each part holds, for the refusal of a part given none
_PART_TIMES = {"morning": "08:00", "afternoon": "14:30", "evening": "19:30", "night": "23:00"}
_PART_RE = re.compile(rf"^(?P<day>.+?)\s+(?P<part>{'|'.join(DAY_PARTS)})$", re.IGNORECASE)


def _day_part(day_part: str) -> tuple[str, DayPart | None]:
    """The day phrase without a part of the day it names (`last night`: `yesterday`,
    night), and that part; (day_part, None) when it names none."""
    lowered = day_part.lower()
    if lowered in PART_PHRASES:
        day, name = PART_PHRASES[lowered]
        return day, DAY_PARTS[name]
    named = _PART_RE.match(day_part)
    if named is None:
        return day_part, None
    day = named["day"]
    return ("today" if day.lower() == "this" else day), DAY_PARTS[named["part"].lower()]


class TimeGiven(DateInputError):
    """A day-only input given a time (`--since '01/10/2026 10:00'`): the time would be
    dropped without a word, so it is refused, naming the day that was read."""

    def __init__(self, day: date) -> None:
        super().__init__(f"takes a day, not a time: {day:%d/%m/%Y}")
        self.day = day


def parse_date(
    text: str,
    today: date | datetime,
    *,
    written: bool = False,
    tense: Tense = "either",
    day_only: bool = False,
) -> date:
    """Read a calendar date; a time, if typed, is dropped, or with `day_only` (an option
    that takes a day) refused (TimeGiven; midnight, and a word's time from the clock,
    `today`, read as the day itself). `tense` `past`
    (a day that cannot be in the future, `pledge close --on`): a day and month without its
    year is the latest such day up to today (past_day); `future` (a deadline, a review
    date): a weekday is the next one, a day and month the next such day (ahead_day)."""
    now = today if isinstance(today, datetime) else datetime.combine(today, time(12), tzinfo=UTC)
    side = None if tense == "either" else _Side(now, ahead=tense == "future")
    moment = _read(text, now, written=written, side=side)
    if day_only and moment.time() != time(0) and _time_typed(text, now, moment, written, side):
        raise TimeGiven(moment.date())
    return moment.date()


def _time_typed(
    text: str, now: datetime, moment: datetime, written: bool, side: _Side | None
) -> bool:
    """Whether the time of day read comes from the text (`01/10/2026 10:00`, `7pm`), not
    from the clock (`today`, `tuesday`, `3 days ago` keep now's time): read a minute
    earlier, a typed time stays where it was."""
    earlier = _read(text, now - timedelta(minutes=1), written=written, side=side)
    return earlier.time() == moment.time()


# a time followed by a word that may be the reader's zone's own name for its time (`BST`)
_ZONE_WORD_RE = re.compile(
    r"^(?P<rest>.*\d(?:\s*[ap]m)?)\s*(?P<name>[A-Za-z]{3,5})$", re.IGNORECASE
)


def _zone_named(raw: str, now: datetime, hint: str, side: _Side | None) -> datetime | None:
    """A time with the name the reader's zone gives its time then (`26/10 01:30 BST`, as
    short_datetime shows the hour the clocks go back): that reading; the other name of the
    zone's is refused naming the right one, both ways (`14/1 12:00 BST` in London's winter,
    `30/9 23:30 GMT` in its summer, which as UTC was an hour on, past midnight into
    October: "GMT" for British time all year is common). None when the text ends in no
    name of the zone's (`UTC`, and `GMT` outside such a zone, are offsets: _fixed_offset)."""
    match = _ZONE_WORD_RE.match(raw)
    if match is None:
        return None
    name = match["name"].upper()
    tz = now.tzinfo
    assert tz is not None
    if name == "UTC" or name not in _zone_names(tz, now.year):
        return None
    rest = match["rest"].strip()
    try:  # the wall time typed, read as if at +00:00 (no clock change to refuse it)
        wall = _parse(f"{rest} +00:00", now, hint, side).astimezone(UTC).replace(tzinfo=None)
    except DateInputError:
        return None  # not a time we read: the usual error for the whole text
    readings = [wall.replace(tzinfo=tz, fold=fold) for fold in (0, 1)]
    for reading in readings:
        if (reading.tzname() or "").upper() == name:
            offset = reading.utcoffset() or timedelta(0)
            return wall.replace(tzinfo=timezone(offset)).astimezone(tz)
    zone = getattr(tz, "key", None) or str(tz)
    shown = readings[0].tzname() or _offset_text(readings[0].utcoffset() or timedelta(0))
    other = f"; UTC itself is {rest} UTC" if name == "GMT" else ", or an offset"
    raise DateInputError(
        f"{raw}: {rest} is {shown} in {zone}, not {match['name']} (give {rest} {shown}{other})"
    )


def _zone_names(tz: tzinfo, year: int) -> set[str]:
    """The names a zone gives its time in the years around `year` (`GMT`, `BST`), upper case;
    a few dozen lookups, made only for a time that ends in a word."""
    names = set()
    for y in (year - 1, year, year + 1):
        for month in range(1, 13):
            name = datetime(y, month, 15, 12, tzinfo=tz).tzname()
            if name and name.isalpha():
                names.add(name.upper())
    return names


def localise(day: date, at: time, tz: tzinfo) -> datetime:
    """Attach the zone; a wall time inside a spring-forward gap moves forward to a real one."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC).astimezone(tz)


def _typed_wall_time(wall: datetime, tz: tzinfo, raw: str) -> datetime:
    """A clock time the user typed, refused if the zone skipped it or showed it twice.

    Moving a skipped time on, or picking one of two readings, would store an hour's error
    without a word (for a 24-hour pledge, the difference between met and missed).
    """
    first, second = wall.replace(tzinfo=tz, fold=0), wall.replace(tzinfo=tz, fold=1)
    before, after = first.utcoffset(), second.utcoffset()
    if before is None or after is None or before == after:
        return localise(wall.date(), wall.time(), tz)
    zone = getattr(tz, "key", None) or str(tz)
    # the change happened at the UTC instant between the two readings of this wall time
    change = _change_instant(wall - max(before, after), wall - min(before, after), tz)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall:
        went, last, next_ = change + before, change + before - timedelta(minutes=1), change + after
        raise DateInputError(
            f"{raw} did not happen in {zone} (clocks went forward at {_clock(went)}); "
            f"give {_clock(last)} or {_clock(next_)}, or an offset"
        )
    return_at = change + before
    names = first.tzname(), second.tzname()
    if all(n and n.isalpha() for n in names) and names[0] != names[1]:  # `01:30 BST`
        give = f"give {raw} {names[0]} (the first) or {raw} {names[1]} (the second)"
    else:
        give = (
            f"give {raw}{_offset_text(before)} (the first) or {raw}{_offset_text(after)} "
            "(the second)"
        )
    raise DateInputError(
        f"{raw} happened twice in {zone} (clocks went back at {_clock(return_at)}); {give}"
    )


def _change_instant(low: datetime, high: datetime, tz: tzinfo) -> datetime:
    """The first UTC second (naive) in low..high with the later offset, by halving."""

    def offset(second: int) -> timedelta | None:
        return datetime.fromtimestamp(second, UTC).astimezone(tz).utcoffset()

    start = low.replace(tzinfo=UTC).timestamp()
    first, last = int(start), int(high.replace(tzinfo=UTC).timestamp())
    before = offset(first)
    while last - first > 1:
        middle = (first + last) // 2
        first, last = (middle, last) if offset(middle) == before else (first, middle)
    return datetime.fromtimestamp(last, UTC).replace(tzinfo=None)


def _clock(value: datetime) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _offset_text(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_datetime(value: datetime) -> str:
    """The stored form: ISO 8601 to the second, with the UTC offset."""
    return value.isoformat(timespec="seconds")


def short_date(value: date, year: int | None = None, *, weekday: bool = False) -> str:
    """A date as people write it in a table: `26/10`, `Sun 26/10`; `26/10/2007` when the year
    is not `year` (the current year, or the year of the row's period)."""
    text = f"{value.day:02d}/{value.month:02d}"
    if year is not None and value.year != year:
        text += f"/{value.year}"
    return f"{value:%a} {text}" if weekday else text


def message_days(*days: date, today: date | datetime | None = None) -> list[str]:
    """Days a message names, as people write them: `10/09` when every one is in this year
    (`today`'s), else each with its year, `01/09/2026` (so two days never read in two
    styles); ISO is for the stored form. Every day a message says goes here (the entry
    rules' refusals, `team add`'s commitments)."""
    if today is not None and all(day.year == today.year for day in days):
        return [short_date(day) for day in days]
    return [f"{day.day:02d}/{day.month:02d}/{day.year:04d}" for day in days]


def short_datetime(
    value: datetime, tz: tzinfo, year: int | None = None, *, seconds: bool = False
) -> str:
    """`26/10 09:30` (`26/10 09:30:10` with `seconds`), in the reader's zone; ISO stays for
    machine formats.

    A wall time the zone shows twice (the hour the clocks go back) carries the zone's name,
    `26/10 01:30 BST` and `26/10 01:30 GMT`, or its offset where both names are the same:
    two instants must not read alike. Every other time stays short.
    """
    local = value.astimezone(tz)
    # by field, not strftime: a long table formats one per row, and this is twice as fast
    text = f"{short_date(local.date(), year)} {local.hour:02d}:{local.minute:02d}"
    if seconds:
        text += f":{local.second:02d}"
    other = local.replace(fold=1 - local.fold)
    if other.utcoffset() == local.utcoffset():
        return text
    name = local.tzname()
    if not name or name == other.tzname():
        name = _offset_text(local.utcoffset() or timedelta(0))
    return f"{text} {name}"


def short_datetimes(
    first: datetime, second: datetime, tz: tzinfo, year: int | None = None
) -> tuple[str, str]:
    """Two times a message sets against each other (`X is before Y`, `X is in the future`),
    as short_datetime prints them: to the second when the minutes read alike, so that two
    times never read equal where one is said to be after the other (`15:05:30 is in the
    future`, not `15:05` beside a clock reading 15:05)."""
    shown = short_datetime(first, tz, year), short_datetime(second, tz, year)
    if shown[0] != shown[1]:
        return shown
    exact = tuple(short_datetime(t, tz, year, seconds=True) for t in (first, second))
    return shown if exact[0] == exact[1] else (exact[0], exact[1])


_NOON_RE = re.compile(r"\b(?:12\s*)?(?:noon|midday)\b", re.IGNORECASE)
_MIDNIGHT_RE = re.compile(r"\b(?:12\s*)?midnight\b", re.IGNORECASE)


def _noon(raw: str) -> str:
    """`noon` and `midday` (`12 noon`) are 12:00, as 12pm is; `midnight` is refused: people
    mean by it the start of a day (00:00) or its end (the night of the 14th), a day apart."""
    if _MIDNIGHT_RE.search(raw):
        raise DateInputError(
            f"{raw!r}: midnight could be the start or the end of a day; write 00:00 for "
            "the start (12am), or 23:59 for the end"
        )
    return _NOON_RE.sub("12:00", raw)


def _split_time(raw: str) -> tuple[str, str | None]:
    """Split a clock time from the day phrase: after it (`yesterday 19:30`, `14/10 7.30 pm`),
    before it (`7.30pm 14/10`, `19:30 on 14/10`), or the whole text (`7.30am`: day '').

    Words are joined with their space, so `1 9:30` is never read as 19:30.
    """
    words = raw.split(" ")
    for n in range(min(3, len(words)), 0, -1):  # the longest time first: `7:30 pm +01:00`
        if _TIME_RE.match(" ".join(words[-n:])):
            return " ".join(words[:-n]).removesuffix(" at"), " ".join(words[-n:])
    for n in range(min(3, len(words) - 1), 0, -1):
        if _TIME_RE.match(" ".join(words[:n])):
            rest = words[n:]
            if rest[0].lower() == "on" and len(rest) > 1:
                rest = rest[1:]
            return " ".join(rest), " ".join(words[:n])
    return raw, None


def _refuse_bare_dotted(raw: str) -> None:
    """`9.15` alone is refused, saying how to write it: `14.10` could be 14 October too, and a
    time or date shifted without a word is the one mistake a report cannot show."""
    dotted = _BARE_DOTTED_RE.match(raw)
    if not dotted:
        return
    a, b = dotted["a"], dotted["b"]
    hour, minute, day, month = int(a), int(b), int(a), int(b)
    as_time = None
    if len(b) == 2 and hour <= 23 and minute <= 59:
        twelve = f"{hour % 12 or 12}.{b}{'am' if hour < 12 else 'pm'}"
        as_time = f"{a}:{b} or {twelve}"
    as_date = f"{day}/{month}" if _exists(day, month) else None
    if as_time and as_date:
        raise DateInputError(
            f"{raw!r} could be a time or a date; write {as_time} for the time, "
            f"{as_date} for the date"
        )
    if as_time:
        raise DateInputError(
            f"{raw!r} is read as a time only after a day (today {raw}); write {as_time}"
        )
    if as_date:
        raise DateInputError(f"{raw!r} is not a time; write {as_date} for the date")
    raise DateInputError(f"{raw!r} is neither a time nor a date ({_TIME_HELP})")


def _exists(day: int, month: int) -> bool:
    """Whether day/month is a date in some year (29/02 is)."""
    try:
        date(2008, month, day)
    except ValueError:
        return False
    return True


def _relative_day(phrase: str, today: date, *, ahead: bool = False, raw: str = "") -> date | None:
    """`today`, `yesterday`, `tomorrow`, a weekday: the last such day up to today (`last`:
    before today); where the date must be `ahead`, the next from today (`next`: after it;
    _parse moves today's a week on when its time is past). `N days ago`, `N weeks ago`:
    that many calendar days back (0: today); `N hours ago` is real elapsed time, read
    whole by _parse, and takes no time of day (`raw`: the whole text, for the refusal)."""
    ago = _AGO_RE.match(phrase)
    if ago:
        n, unit = int(ago["n"]), ago["unit"].lower()
        if unit in _CLOCK_UNITS:  # `3 hours ago 19:00`: which of the two?
            raise DateInputError(
                f"{raw!r}: '{n} {unit}s ago' is already a time; give a time of day after "
                f"days, not {unit}s ('2 days ago 19:30'), or the time alone ('{n} {unit}s ago')"
            )
        return today - timedelta(days=n if unit == "day" else 7 * n)
    if phrase == "today":
        return today
    if phrase == "yesterday":
        return today - timedelta(days=1)
    if phrase == "tomorrow":
        return today + timedelta(days=1)
    if ahead and not phrase.startswith("last "):
        name = phrase.removeprefix("next ").strip()
        if name not in WEEKDAYS:
            return None
        on = (WEEKDAYS[name] - today.weekday()) % 7
        if on == 0 and phrase.startswith("next "):
            on = 7
        return today + timedelta(days=on)
    strictly_before = phrase.startswith("last ")
    name = phrase.removeprefix("last ").strip()
    if name in WEEKDAYS:
        back = (today.weekday() - WEEKDAYS[name]) % 7
        if back == 0 and strictly_before:
            back = 7
        return today - timedelta(days=back)
    return None


def _clock_time(time_text: str | None, raw: str, hint: str) -> time | None:
    """The time of day typed (`7.30pm`: 19:30), without its offset; None: no time."""
    if time_text is None:
        return None
    match = _TIME_RE.match(time_text.strip())
    if not match:
        raise DateInputError(f"cannot read the time in {raw!r} ({hint})")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    second = int(match["second"] or 0)
    ampm = (match["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise DateInputError(f"impossible time in {raw!r}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise DateInputError(f"impossible time in {raw!r}") from None


def _combine(day: date, time_text: str | None, tz: tzinfo, raw: str, hint: str) -> datetime:
    at = _clock_time(time_text, raw, hint)
    if time_text is None or at is None:
        return localise(day, time(0), tz)
    match = _TIME_RE.match(time_text.strip())
    assert match is not None
    offset = match["offset"]
    if offset is None:
        return _typed_wall_time(datetime.combine(day, at), tz, raw)
    return datetime.combine(day, at, tzinfo=_fixed_offset(offset, raw)).astimezone(tz)


def _fixed_offset(offset: str, raw: str) -> timezone:
    """`Z`, `+01:00`, `-0530`, `+00:19:32`: a real offset, at most 18 hours."""
    if offset.upper() in ("Z", "UTC", "GMT"):
        return UTC
    typed = offset
    named = re.fullmatch(r"(?:UTC|GMT)([+-])(\d{1,2}):?(\d{2})?", offset, re.IGNORECASE)
    if named:  # `UTC+1`: as `+01:00`
        sign, hours_text, minutes_text = named.groups()
        offset = f"{sign}{int(hours_text):02d}{minutes_text or '00'}"
    digits = offset[1:].replace(":", "")
    hours, minutes, seconds = int(digits[:2]), int(digits[2:4]), int(digits[4:] or 0)
    size = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if minutes > 59 or seconds > 59 or size > MAX_OFFSET:
        raise DateInputError(f"impossible UTC offset {typed!r} in {raw!r} (at most ±18:00)")
    return timezone(-size if offset.startswith("-") else size)


def _day_first(raw: str, now: datetime, whole: str, hint: str, side: _Side | None = None) -> date:
    """The day of a text whose time, if any, was split off: read here when numeric
    (`14/10/2008`, `14.10`), else by dateutil, day-first; errors name the `whole` text.

    dateutil fills what a text leaves out from its default and drops what it cannot place
    (`7.30am` is 07:00 to it, `Oct 2008` the 16th if read on the 16th, `Oct '08` the 8th), so
    its reading is taken only when the text gave the day and the month, no time (that is
    ours: `_split_time`), and any weekday named is that date's.
    """
    named = raw.split(" ", 1)
    weekday = WEEKDAYS.get(named[0].lower().rstrip(",")) if len(named) == 2 else None
    day = _numbers_or_dateutil(named[1] if weekday is not None else raw, now, whole, hint, side)
    for word in re.findall(r"[a-z]+", raw.lower()):
        if word in WEEKDAYS and WEEKDAYS[word] != day.weekday():
            raise DateInputError(f"{whole!r}: {day:%d/%m/%Y} is a {day:%A}")
    return day


def _numbers_or_dateutil(
    raw: str, now: datetime, whole: str, hint: str, side: _Side | None = None
) -> date:
    numeric = _DAY_MONTH_RE.match(raw)
    if numeric:
        d, m = int(numeric["d"]), int(numeric["m"])
        if not 1 <= m <= 12:
            raise DateInputError(
                f"impossible date {whole!r}: dates are day-first, DD/MM/YYYY "
                f"(month {m} does not exist)"
            )
        if not numeric["y"]:
            return yearless_day(d, m, now, side, whole)
        try:
            return date(int(numeric["y"]), m, d)
        except ValueError as exc:
            why = _no_such_day(d, m, int(numeric["y"])) or str(exc)
            raise DateInputError(f"impossible date {whole!r}: {why}") from None
    if re.fullmatch(r"\d{1,2}[/.-]\d{4}|\d{4}[/.-]\d{1,2}|[-\s]*\d{4}", raw):  # `10/2008`, `-2008`
        raise DateInputError(f"{whole!r} does not name its day ({hint})")
    if re.fullmatch(r"[-\s]*\d{1,2}(?:st|nd|rd|th)?", raw, re.IGNORECASE):  # `-1`, `1st`
        raise DateInputError(f"{whole!r} does not name its month ({hint})")
    first, second = _dateutil(raw, now, whole, hint)
    if (
        first.tzinfo is not None
        or second.tzinfo is not None
        or (
            (first.hour, first.minute, first.second) != (0, 0, 0)
            or any(getattr(first, f) == getattr(second, f) for f in ("hour", "minute", "second"))
        )
    ):
        raise DateInputError(f"cannot read the time in {whole!r} ({_TIME_HELP})")
    if first.day != second.day or first.month != second.month:
        missing = "day" if first.day != second.day else "month"
        raise DateInputError(f"{whole!r} does not name its {missing} ({hint})")
    year = re.search(r"'(\d{2})\b", raw)
    if year and (first.year != second.year or first.year % 100 != int(year[1])):
        raise DateInputError(f"{whole!r} does not name its day ({hint})")
    if first.year != second.year:  # the year was filled in: `30 Dec`
        return yearless_day(first.day, first.month, now, side, whole)
    return first.date()


# How far back a day and month typed without its year may be, where the time must be past:
# half a year, so the reading is the nearer of this year's and last year's (30/12 typed on
# 2 January is three days ago; 20/08 typed on 15 August, five days ahead, is refused, not
# taken as a year ago)
YEARLESS_PAST = timedelta(days=183)
# and how far ahead, where the time must be ahead (a meeting to come, a deadline): the
# same half year, so `31/1` typed on 1 December is next January's, `30/11` refused
YEARLESS_AHEAD = YEARLESS_PAST


def yearless_day(day: int, month: int, now: datetime, side: _Side | None, whole: str) -> date:
    """A day and month typed without its year: this year's where it may be either way;
    where the time must be past, past_day; where it must be ahead, ahead_day."""
    try:
        this: date | None = date(now.year, month, day)
        impossible = ""
    except ValueError as exc:
        why = _no_such_day(day, month, None) or (
            f"{now.year} has no 29 February; write the year of the one you mean (DD/MM/YYYY)"
            if (day, month) == (29, 2)
            else str(exc)
        )
        this, impossible = None, f"impossible date {whole!r}: {why}"
    read = this
    if side is not None and side.ahead:
        read = ahead_day(this, day, month, now, side.edge, whole)
    elif this is not None:
        read = past_day(this, now, None if side is None else side.edge, whole)
    if read is None:  # 29 February, in a common year (and the next, where ahead)
        raise DateInputError(impossible)
    return read


def past_day(day: date, now: datetime, not_after: datetime | None, whole: str) -> date:
    """A day typed without its year, read in `now`'s year (`day`), where the time must not
    be after `not_after` (None: it may be in the future, as a review date or a meeting):
    this year's when it is not after it, else last year's when that is YEARLESS_PAST
    back at most; else refused, naming the year read (and last year's, to type)."""
    if not_after is None or day <= not_after.astimezone(now.tzinfo).date():
        return day
    try:
        earlier: date | None = day.replace(year=day.year - 1)
    except ValueError:  # 29 February: last year had none
        earlier = None
    if earlier is not None and now.date() - earlier <= YEARLESS_PAST:
        return earlier
    other = (
        f", and last year's, {earlier:%d/%m/%Y}, is more than six months back"
        if earlier is not None
        else f", and {day.year - 1} had no {day:%d/%m}"
    )
    raise DateInputError(
        f"{whole!r} has no year: this year's, {day:%d/%m/%Y}, is still to come{other}; "
        "write the one you mean with its year (DD/MM/YYYY)"
    )


def ahead_day(
    this: date | None, day: int, month: int, now: datetime, not_before: datetime, whole: str
) -> date | None:
    """The mirror of past_day, where the time must not be before `not_before` (the next
    meeting, a deadline): this year's (`this`, None on 29 February of a common year) when
    it is not before it, else next year's when that is YEARLESS_AHEAD ahead at most; else
    refused, naming the year read and next year's. None: neither year has the day."""
    if this is not None and this >= not_before.astimezone(now.tzinfo).date():
        return this
    try:
        later: date | None = date(now.year + 1, month, day)
    except ValueError:  # 29 February: next year has none
        later = None
    if later is not None and later - now.date() <= YEARLESS_AHEAD:
        return later
    if this is None:
        return None
    other = (
        f", and next year's, {later:%d/%m/%Y}, is more than six months ahead"
        if later is not None
        else f", and {this.year + 1} has no {this:%d/%m}"
    )
    raise DateInputError(
        f"{whole!r} has no year: this year's, {this:%d/%m/%Y}, has passed{other}; "
        "write the one you mean with its year (DD/MM/YYYY)"
    )


def _no_such_day(day: int, month: int, year: int | None) -> str | None:
    """Why day/month (of `year`; None: any year) does not exist, as people say it:
    `November has 30 days`, `February 2009 has 28 days`; None for a month that does not
    exist (said elsewhere) or a day that does."""
    if not 1 <= month <= 12:
        return None
    if day < 1:
        return f"there is no day {day}"
    name = date(2008, month, 1).strftime("%B")
    if month == 2:
        if year is None:
            return None if day <= 29 else "February has 28 days, 29 in a leap year"
        days = 29 if _leap(year) else 28
        return None if day <= days else f"February {year} has {days} days"
    days = 30 if month in (4, 6, 9, 11) else 31
    return None if day <= days else f"{name} has {days} days"


def _leap(year: int) -> bool:
    """calendar.isleap, without importing calendar (and locale) on every command's path."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _dateutil(raw: str, now: datetime, whole: str, hint: str) -> tuple[datetime, datetime]:
    """dateutil's day-first reading of `raw` over two defaults that differ in every field:
    a field alike in both came from the text, one that differs was filled in."""
    from dateutil import parser  # imported here: it costs start-up time for every command

    words = re.findall(r"[a-z]+", raw.lower())
    two_digit_year = re.fullmatch(r"\d{1,2}([/.-])\d{1,2}\1\d{2}", raw)
    named = any(word in MONTHS for word in words) and len(re.findall(r"\d+", raw)) <= 2
    if not (two_digit_year or named):  # numbers alone are read by _DAY_MONTH_RE or not at all
        if re.search(r"\d[:.]\d{2}(?:\s*[ap]m)?\s+[a-z]+$", whole, re.IGNORECASE):
            # `19:30 EST`: a zone name we do not read, never dropped
            raise DateInputError(f"unknown time zone in {whole!r} ({hint})")
        if re.search(r"\d\s*[ap]m\b|\d[:.]\d|^\S*\d\S*\s+\d+$", raw, re.IGNORECASE):
            # `7.5pm`, `7:5:5`, `14/10/2008 0730`
            raise DateInputError(f"cannot read the time in {whole!r} ({_TIME_HELP})")
        if raw != whole:  # its time was read (`yday 19:30`, `2026/11/27 19:30`): the day not
            raise DateInputError(f"cannot read the date in {whole!r} ({hint})")
        raise DateInputError(f"cannot read {whole!r} as a date ({hint})")
    # a leap year's today (never 29 February of another), so that `29 Feb` reads, and
    # yearless_day says whether this year has it
    today = now.date()
    today = today.replace(year=next(y for y in range(today.year, 10000) if _leap(y)))
    defaults = (
        datetime.combine(today, time(0)),
        # another day, month and year (400 years on: leap days alike), and another time
        datetime(
            today.year + 400, 1 if today.month != 1 else 2, 1 if today.day != 1 else 2, 12, 34, 56
        ),
    )
    readings = []
    for default in defaults:
        try:
            with warnings.catch_warnings():
                # an unknown zone name (`19:30 EST`) would otherwise be dropped with a warning
                warnings.simplefilter("error", parser.UnknownTimezoneWarning)
                readings.append(parser.parse(raw, dayfirst=True, yearfirst=False, default=default))
        except parser.UnknownTimezoneWarning:
            raise DateInputError(f"unknown time zone in {whole!r} ({hint})") from None
        except (ValueError, OverflowError) as exc:
            reason = str(exc).split(":")[0]
            if "out of range" in reason or "must be in" in reason:
                raise DateInputError(f"impossible date {whole!r}: {reason}") from None
            raise DateInputError(f"cannot read {whole!r} as a date ({hint})") from None
    first, second = readings
    numeric = _NUMERIC_DATE_RE.match(raw)
    if numeric and (first.day, first.month) != (int(numeric["d"]), int(numeric["m"])):
        # dateutil swaps to month-first when the day-first reading is impossible (12/25/2008)
        raise DateInputError(
            f"impossible date {whole!r}: dates are day-first, DD/MM/YYYY "
            f"(month {int(numeric['m'])} does not exist)"
        )
    return first, second
