"""Every number pledgetrack accepts, with its range, declared once; and how CSV numbers read.

A number outside its range is a typing mistake (or an attack), and refusing it here means
nothing downstream (SQLite's 64-bit integers, `timedelta`, JSON) ever sees one it cannot
hold. The ranges are listed for users in docs/cli.md and docs/export-schema.md.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from pledgetrack.errors import InputError, field_name, option


class Range(NamedTuple):
    """An inclusive range (`above`: the low end itself is excluded, as for a percentage).

    A NamedTuple, as are the other small value classes `log` imports (TargetField, Value,
    store.actions.Column): defined at import in a fraction of a dataclass's time."""

    low: float
    high: float
    above: bool = False
    whole: bool = False
    noun: str = ""  # what the value is, in the error: "a percentage"; default "a number"
    # a value above `low` is at least this: finer is no real measure (1e-320 hours), only
    # noise a float stores inexactly (9.99988867182683e-321)
    smallest: float = 0.0
    # at most this many decimal places (None: any): a percentage is typed to 0.01, so it is
    # stored and shown as typed (90, 92.5, 33.33), never as 1e-07 or 9.99989e-321
    places: int | None = None

    @property
    def step(self) -> float:
        """The finest value apart from the low end: 10**-places, else `smallest`."""
        return 10.0**-self.places if self.places is not None else self.smallest

    def contains(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        low_ok = value > self.low if self.above else value >= self.low
        return low_ok and value <= self.high and not self.low < value < self.smallest

    def words(self, held: bool = False) -> str:
        low, high = _figure(self.low), _figure(self.high)
        ends = f"above {low} and at most {high}" if self.above else f"from {low} to {high}"
        return ends if self.places is None or held else f"{ends}, to {_places(self.places)}"

    def phrase(self, held: bool = False) -> str:
        """What a value must be, as errors and the docs say it: `a whole number from 1 to 10`
        (`held`: what a stored one must be, `holds`)."""
        kind = self.noun or ("a whole number" if self.whole else "a number")
        return f"{kind} {self.words(held)}"

    def holds(self, value: float) -> bool:
        """Whether a stored value is one of the range: its places are not asked, since an
        earlier release stored 33.333 as typed, and every read of it would be refused."""
        return self.contains(value) and not (self.whole and not float(value).is_integer())

    def accepts(self, value: float) -> bool:
        """Whether `check` lets the value through: what is typed or imported."""
        in_steps = self.places is None or round(value, self.places) == value
        return self.holds(value) and in_steps

    def check(self, name: str, value: float, text: str | None = None) -> None:
        """Refuse a value outside the range, naming the option or column; `text`: the
        value as the cell or option held it, quoted as it was (a float of
        99999999999999999999 is 100000000000000000000, another number than the file's)."""
        shown = option(name) if name.startswith("--") else name  # a flag, or a column
        given = _figure(value) if text is None else text.strip()
        if math.isfinite(value) and self.low < value < self.smallest:
            raise InputError(
                f"{shown} must be {_figure(self.low)} or at least {_figure(self.smallest)}, "
                f"not {given}",
                field=field_name(name),
            )
        if not self.accepts(value):
            raise InputError(
                f"{shown} must be {self.phrase()}, not {given}", field=field_name(name)
            )


def _places(places: int) -> str:
    return {0: "a whole number", 1: "1 decimal place"}.get(places, f"{places} decimal places")


def _figure(value: float) -> str:
    """1000000 as `1,000,000`; a huge or odd value short, so the message stays one line."""
    if isinstance(value, int) and abs(value) < 10**21:
        return f"{value:,}"
    if not math.isfinite(value) or abs(value) >= 10**21:
        return f"{value:.3g}" if isinstance(value, float) else f"{value:.3e}"
    # shortest exact form: 100.0000001 must not read as "100" beside "at most 100"
    return f"{int(value):,}" if float(value).is_integer() else repr(float(value))


# --at-least, CSV at_least: actions per day, week, month or quarter
COUNT = Range(1, 1_000_000, whole=True)
# --threshold, --share and their CSV columns: 0.01 to 100, to two decimal places (finer is
# no real measure of a share of hours or items, and :g would no longer show it as typed)
PERCENT = Range(0, 100, above=True, noun="a percentage", places=2)
# --hours, CSV hours: one action's hours, at most a (leap) year's; 0, or at least 0.01 (36 s)
HOURS = Range(0, 24 * 366, noun="a number of hours", smallest=0.01)
# --within, --warn, --stale, CSV within: durations in minutes, one minute to 3,660 days
DURATION_MINUTES = Range(1, 3_660 * 24 * 60, whole=True)
# victim-update --every, CSV every: how often a victim agreed to hear from us, in whole
# days (the Victims' Code agrees days: every 7, every 28), a day to a quarter's 90
CONTACT_EVERY_DAYS = Range(1, 90, whole=True, noun="a number of days")
# meeting --attendance
ATTENDANCE = Range(0, 1_000_000, whole=True)
# --limit, --recent: how many rows to show
ROWS = Range(0, 1_000_000_000, whole=True)
# action ids (respond, void, history --action): SQLite's positive 64-bit integers
ID = Range(1, 2**63 - 1, whole=True)
# the n of a pledge reference <TEAM>-L<n> given in a file (import pledges' ref)
PLEDGE_NUMBER = Range(1, 1_000_000_000, whole=True)
# rollup's actual and expected (counts or hours), and compliance_pct
FIGURE = Range(0, 1_000_000_000_000)
COMPLIANCE_PCT = Range(0, 100)

# A plain decimal number in ASCII digits: -2.5, 44, 1e3. Not `1_000`, `١٢`, `inf` or `0x10`,
# all of which float() would take, nor `1e400`, which it reads as infinity.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def read_number(text: str) -> float:
    """A number as a CSV cell or an option holds it (every number read from text: the CLI
    checks its options' text here too); ValueError naming the text when it is not one."""
    cleaned = text.strip()
    value = float(cleaned) if _DECIMAL.fullmatch(cleaned) else math.nan
    if not math.isfinite(value):  # `1e400` overflows to infinity: no number we can hold
        raise ValueError(f"not a number: {text!r}")
    if value == 0 and any(d in "123456789" for d in cleaned.lower().partition("e")[0]):
        # `1e-400` underflows to 0, which it is not: the least number above 0 instead, so
        # that a range refuses it as it refuses `1e-320` (ATTACK6 J4: hours of 1e-400 were 0)
        return math.copysign(math.ulp(0.0), value)
    return value
