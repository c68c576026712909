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

# minutes may be left out before am/pm only (`7pm`, as reports write it); `19` alone is no time
_TIME = (
    r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"|(?=\s*(?:am|pm)))"
)
# seconds too: before the 1940s some zones' offsets had them (Amsterdam 1900: +00:19:32),
# and a time stored then must read back
_OFFSET = r"(?P<offset>Z|[+-]\d{2}:?\d{2}(?::\d{2})?)"
_TIME_RE = re.compile(rf"^{_TIME}\s*(?P<ampm>am|pm)?\s*{_OFFSET}?$", re.IGNORECASE)
_ISO_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ]\s*(?P<rest>.+))?$")
_STORED_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}(?::\d{2})?$")
_AGO_RE = re.compile(r"^(?P<n>\d+)\s*(?P<unit>minute|min|hour|hr|day|week)s?\s+ago$", re.IGNORECASE)
_NUMERIC_DATE_RE = re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})(?:[/.-]\d{2,4})?(?:\s|$)")
_HELP = "try 14/10/2008, 2008-10-14 19:30, today, yesterday, tuesday or '2 days ago'"
# what a file's cell may hold: never a date relative to the day it is read (`written`)
_FILE_HELP = "try 14/10/2008, 14/10/2008 19:30 or 2008-10-14 19:30"

# The dates pledgetrack records and reports on (docs/cli.md). Wide enough for any real
# pledge; narrow enough that a period, a unit or a week around any of them is a valid date.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
SUPPORTED = f"supported dates are {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
# UTC offsets in use anywhere are within -12:00..+14:00; ISO 8601 allows up to 18 hours
MAX_OFFSET = timedelta(hours=18)


class DateInputError(InputError):
    """A date or time the user typed that cannot be read; the caller adds which option."""


class DateOutOfRange(DateInputError):
    """A readable date outside FIRST_DAY..LAST_DAY."""


def parse_datetime(text: str, now: datetime, *, written: bool = False) -> datetime:
    """Read what a user typed as an aware datetime in `now`'s zone.

    The result carries the zone's UTC offset at that moment as a fixed offset, like a
    stored value: Python ignores offsets when both sides of `-` or `<` share one tzinfo,
    so two zone-aware times either side of a clock change would be an hour out.
    `written` (a file's cell, not a typed option): refuse what depends on the day it is
    read (`yesterday 7pm`, `tuesday`, `14/10` without its year), so a file imports the same
    times whenever it is imported.
    """
    moment = _read(text, now, written=written)
    offset = moment.utcoffset() or timedelta(0)
    if offset.seconds % 60:
        raise DateInputError(_not_whole_minute(text.strip(), offset))
    return moment


def _read(text: str, now: datetime, *, written: bool = False) -> datetime:
    """parse_datetime without the whole-minute rule, which a calendar date does not need."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    hint = _FILE_HELP if written else _HELP
    try:
        parsed = _stored(text, now)
        if parsed is None:
            parsed = _parse(text, now, hint)
            if written and _parse(text, now - _ANOTHER_DAY, hint) != parsed:
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


def _parse(text: str, now: datetime, hint: str) -> datetime:
    """Read one typed text; `hint` (what may be typed there) ends an unreadable one's error."""
    tz = now.tzinfo
    assert tz is not None
    raw = " ".join(text.strip().split())
    lowered = raw.lower()
    if not raw:
        raise DateInputError(f"empty date ({hint})")
    if lowered in ("now", "today"):
        return now.replace(microsecond=0)
    ago = _AGO_RE.match(lowered)
    if ago:
        n, unit = int(ago["n"]), ago["unit"].lower()
        if unit in ("minute", "min", "hour", "hr"):
            minutes = n if unit in ("minute", "min") else n * 60
            return (now.astimezone(UTC) - timedelta(minutes=minutes)).astimezone(tz)
        days = n if unit == "day" else 7 * n
        return localise(now.date() - timedelta(days=days), time(0), tz)

    day_part, time_part = _split_time(raw)
    day = _relative_day(day_part.lower(), now.date())
    if day is not None:
        return _combine(day, time_part, tz, raw, hint)
    iso = _ISO_RE.match(raw)
    if iso:
        try:
            day = date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
        except ValueError as exc:
            raise DateInputError(f"impossible date {text.strip()!r}: {exc}") from None
        return _combine(day, iso["rest"], tz, raw, hint)
    if time_part is not None:  # `14/10/2008 7.30pm`: our time rule, as after a day word
        try:
            start = _parse_day_first(day_part, now, hint)
        except DateInputError:
            start = None  # the whole text's own error says what is wrong
        if start is not None and start.time() == time(0):
            return _combine(start.date(), time_part, tz, raw, hint)
    return _parse_day_first(raw, now, hint)


def parse_date(text: str, today: date | datetime, *, written: bool = False) -> date:
    """Read a calendar date; a time, if typed, is accepted and dropped."""
    now = today if isinstance(today, datetime) else datetime.combine(today, time(12), tzinfo=UTC)
    return _read(text, now, written=written).date()


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
    raise DateInputError(
        f"{raw} happened twice in {zone} (clocks went back at {_clock(return_at)}); "
        f"give {raw}{_offset_text(before)} (the first) or {raw}{_offset_text(after)} (the second)"
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


def _split_time(raw: str) -> tuple[str, str | None]:
    """Split a trailing clock time (`yesterday 19:30`) from the day phrase."""
    parts = raw.rsplit(" ", 1)
    if len(parts) == 2 and _TIME_RE.match(parts[1]):
        return parts[0], parts[1]
    parts = raw.rsplit(" ", 2)
    if len(parts) == 3 and _TIME_RE.match(f"{parts[1]}{parts[2]}"):
        return parts[0], f"{parts[1]}{parts[2]}"  # "19:30 +01:00" or "7:30 pm"
    return raw, None


def _relative_day(phrase: str, today: date) -> date | None:
    if phrase == "today":
        return today
    if phrase == "yesterday":
        return today - timedelta(days=1)
    if phrase == "tomorrow":
        return today + timedelta(days=1)
    strictly_before = phrase.startswith("last ")
    name = phrase.removeprefix("last ").strip()
    if name in WEEKDAYS:
        back = (today.weekday() - WEEKDAYS[name]) % 7
        if back == 0 and strictly_before:
            back = 7
        return today - timedelta(days=back)
    return None


def _combine(day: date, time_text: str | None, tz: tzinfo, raw: str, hint: str) -> datetime:
    if time_text is None:
        return localise(day, time(0), tz)
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
        at = time(hour, minute, second)
    except ValueError:
        raise DateInputError(f"impossible time in {raw!r}") from None
    offset = match["offset"]
    if offset is None:
        return _typed_wall_time(datetime.combine(day, at), tz, raw)
    return datetime.combine(day, at, tzinfo=_fixed_offset(offset, raw)).astimezone(tz)


def _fixed_offset(offset: str, raw: str) -> timezone:
    """`Z`, `+01:00`, `-0530`, `+00:19:32`: a real offset, at most 18 hours."""
    if offset.upper() == "Z":
        return UTC
    digits = offset[1:].replace(":", "")
    hours, minutes, seconds = int(digits[:2]), int(digits[2:4]), int(digits[4:] or 0)
    size = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if minutes > 59 or seconds > 59 or size > MAX_OFFSET:
        raise DateInputError(f"impossible UTC offset {offset!r} in {raw!r} (at most ±18:00)")
    return timezone(-size if offset.startswith("-") else size)


def _check_named(raw: str, parsed: datetime, now: datetime, hint: str) -> None:
    """Refuse a text whose day or month dateutil took from today (`-1`, `1st`, `-2008`,
    `Oct 2008`): stored as the 1st or today's day, it would be a date nobody typed. It reads
    the text again from another day, month and year: what changes was not in it. A year
    left out is this year (`14/10`, as people write it); a time alone is today's."""
    from dateutil import parser

    other = datetime(2000 if now.year != 2000 else 2004, 1 if now.month != 1 else 2, 1)
    other = other.replace(day=2) if now.day == 1 else other
    try:
        again = parser.parse(raw, dayfirst=True, yearfirst=False, default=other)
    except (ValueError, OverflowError):  # a 29 February left without its year
        return
    day, month = again.day != parsed.day, again.month != parsed.month
    if day and month and again.year != parsed.year and _TIME_RE.search(raw):
        return  # `19:30`: today at 19:30
    if day or month:
        missing = "day" if day else "month"
        raise DateInputError(f"{raw!r} does not name its {missing} ({hint})")


def _parse_day_first(raw: str, now: datetime, hint: str) -> datetime:
    """Everything else goes to dateutil, day-first; bare numbers are too ambiguous to guess."""
    from dateutil import parser  # imported here: it costs start-up time for every command

    if raw.isdigit() or not any(ch.isdigit() for ch in raw):
        raise DateInputError(f"cannot read {raw!r} as a date ({hint})")
    default = datetime.combine(now.date(), time(0))
    try:
        with warnings.catch_warnings():
            # an unknown zone name (`19:30 EST`) would otherwise be dropped with a warning
            warnings.simplefilter("error", parser.UnknownTimezoneWarning)
            parsed = parser.parse(raw, dayfirst=True, yearfirst=False, default=default)
    except parser.UnknownTimezoneWarning:
        raise DateInputError(f"unknown time zone in {raw!r} ({hint})") from None
    except (ValueError, OverflowError) as exc:
        reason = str(exc).split(":")[0]
        if "out of range" in reason or "must be in" in reason:
            raise DateInputError(f"impossible date {raw!r}: {reason}") from None
        raise DateInputError(f"cannot read {raw!r} as a date ({hint})") from None
    _check_named(raw, parsed, now, hint)
    numeric = _NUMERIC_DATE_RE.match(raw)
    if numeric and (parsed.day, parsed.month) != (int(numeric["d"]), int(numeric["m"])):
        # dateutil swaps to month-first when the day-first reading is impossible (12/25/2008)
        raise DateInputError(
            f"impossible date {raw!r}: dates are day-first, DD/MM/YYYY "
            f"(month {int(numeric['m'])} does not exist)"
        )
    if parsed.tzinfo is not None:
        try:
            offset = parsed.utcoffset() or timedelta(0)
        except ValueError:  # dateutil keeps `0A-30` as 30 hours behind UTC, but Python will not
            offset = 2 * MAX_OFFSET
        if abs(offset) > MAX_OFFSET:
            raise DateInputError(f"impossible UTC offset in {raw!r} (at most ±18:00)")
        return parsed.astimezone(now.tzinfo)
    tz = now.tzinfo
    assert tz is not None
    if _split_time(raw)[1] is None and parsed.time() == time(0):
        return localise(parsed.date(), parsed.time(), tz)  # a day alone: its start
    return _typed_wall_time(parsed, tz, raw)
