"""The fields a pledge's target is given by, declared once for the five target types.

Each field is one option of `pledge add` and `pledge edit` (cli/pledges.py builds them from
this list), one column of `import pledges` (services/importer.py) and one column of the
pledges table (store/pledges.py); tests/test_target_fields.py checks the docs tables
against it. The target models and the rules that combine fields are in domain/targets.py;
this module stays free of pydantic so that `--help` can build the options cheaply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

from pledgetrack.domain.durations import parse_duration
from pledgetrack.domain.numbers import COUNT, DURATION_MINUTES, PERCENT, Range
from pledgetrack.domain.vocabulary import Unit, normalise_kind, word_of
from pledgetrack.errors import InputError, option

# the target types, in the order messages and docs list them
TARGET_TYPES = ("frequency", "response", "share", "deadline", "none")


class TargetField(NamedTuple):
    """One figure of a target: how it is given, checked, held and stored."""

    name: str  # keyword, CSV column and error field: `at_least` (option `--at-least`)
    kind: type  # what is given: int, float, str (text `read` turns into the value) or date
    types: tuple[str, ...]  # the target types it belongs to
    attribute: str  # the target model's attribute: `count` (column `target_count`)
    stored: type  # what its column holds: int, float or str (a unit's name, an ISO date)
    help: str  # the option's help text
    meaning: str  # what it means, for the docs tables
    example: str  # a CSV cell, for the docs
    range: Range | None = None  # checked on the given number, naming the option
    read: Callable[[Any], Any] | None = None  # the given value as the target holds it
    blank_is_none: bool = False  # an empty text means "not set" (and does not pick a type)
    # the range of the stored value when what is given is text (`24h`: minutes)
    stored_range: Range | None = None

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def column(self) -> str:
        """The pledges table's column."""
        return f"target_{self.attribute}"

    @property
    def held_range(self) -> Range | None:
        """The range the stored value keeps: the given number's, or that of what a text
        given (a duration) is held as. A stored value outside it was written by another
        tool, and no read takes it (store.pledges; `db check` lists it)."""
        return self.range or self.stored_range

    @property
    def column_type(self) -> str:
        return {int: "INTEGER", float: "REAL"}.get(self.stored, "TEXT")

    def value(self, given: Any) -> Any:
        """The given value as the target holds it; InputError naming the option if it is bad."""
        if self.range is not None:
            self.range.check(self.option, given)
        return given if self.read is None else self.read(given)

    def is_given(self, given: Any) -> bool:
        """Whether a value was given at all (None, or a blank that means none, is not)."""
        blank = isinstance(given, str) and not given.strip()
        return given is not None and not (self.blank_is_none and blank)


def parse_unit(text: str) -> Unit:
    """`--per` on the command line, `per` in a file's line: said as every closed set is."""
    return word_of(Unit, text, "per")


def _within(text: str) -> int:
    try:
        return parse_duration(text)
    except InputError as exc:
        raise InputError(f"{option('within')}: {exc}", field="within") from None


def _kind(text: str) -> str | None:
    """A kind as `log --kind` stores one, so that the two match (blank: every kind)."""
    return normalise_kind(text)


TARGET_FIELDS = (
    TargetField(
        "at_least", int, ("frequency",), "count", int, range=COUNT,
        help="Frequency target: at least N actions ...",
        meaning="at least N actions in each unit", example="2",
    ),
    TargetField(
        "per", str, ("frequency",), "unit", str, read=parse_unit,
        help="... per day|week|month|quarter.",
        meaning="the unit: day, week, month or quarter", example="week",
    ),
    TargetField(
        "action_kind", str, ("frequency",), "action_kind", str, read=_kind, blank_is_none=True,
        help="Frequency target: only actions of this --kind count.",
        meaning="only actions of this kind count (blank: every kind)", example="patrol",
    ),
    TargetField(
        "within", str, ("response",), "within_minutes", int, read=_within,
        stored_range=DURATION_MINUTES,
        help="Response target: deal with each item within e.g. 24h, 60m, 2d.",
        meaning="each item dealt with within this time, typed as 24h, 1h30m or 2d and stored "
        f"in minutes; 1 minute to {DURATION_MINUTES.high // (24 * 60):,} days",
        example="48h",
    ),
    TargetField(
        "threshold", float, ("response", "frequency"), "threshold_pct", float,
        range=PERCENT, read=float,
        help="Percentage of items/units that must meet it (default 100).",
        meaning="the percentage of items or units that must meet it (default 100)",
        example="90",
    ),
    TargetField(
        "share", float, ("share",), "share_pct", float, range=PERCENT, read=float,
        help="Share target: at least PCT% of logged hours in the neighbourhood.",
        meaning="at least this percentage of logged hours in the neighbourhood", example="80",
    ),
    TargetField(
        "by", date, ("deadline",), "due", str,
        help="Deadline target: deliver by this date; read forwards: 'friday', "
        "'next friday', 31/1 (the next such day).",
        meaning="deliver by this date", example="28/11/2008",
    ),
)  # fmt: skip
FIELD_NAMES = tuple(f.name for f in TARGET_FIELDS)


def fields_of(target_type: str) -> tuple[TargetField, ...]:
    """The fields of one target type, in declaration order (none for `none`)."""
    return tuple(f for f in TARGET_FIELDS if target_type in f.types)


def given_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every field by name, None where not given; TypeError for a name that is no field."""
    unknown = sorted(set(values) - set(FIELD_NAMES))
    if unknown:
        raise TypeError(f"not a target field: {', '.join(unknown)}")
    return {name: values.get(name) for name in FIELD_NAMES}


def any_given(values: Mapping[str, Any]) -> bool:
    """`pledge edit`: whether any target figure was given (an empty text is still given)."""
    return any(value is not None for value in values.values())
