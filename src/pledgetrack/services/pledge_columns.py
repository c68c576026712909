"""The columns of a file of local pledges, declared once: what `export pledges` writes, in
this order, and what `import pledges` reads back, by name.

A file `export pledges` writes from one database and `import pledges` reads into another
gives the second the same pledges, refs and closings included, so that the actions of
`export actions` then find their pledges (docs/export-schema.md lists these columns from
here; tests/test_pledge_transfer.py holds the docs to it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from pledgetrack.domain.durations import format_duration
from pledgetrack.domain.models import Pledge
from pledgetrack.domain.target_fields import TARGET_FIELDS, TARGET_TYPES, TargetField


class PledgeColumn(NamedTuple):
    """One column of a pledges file."""

    name: str  # in the header; the option of `pledge add` (or `pledge close`) it stands for
    meaning: str  # for docs/export-schema.md
    example: str
    value: Callable[[Pledge], Any]  # the pledge's cell, as `import pledges` reads it back
    required: bool = False  # a file without it, or a row with it empty, is refused
    exact: bool = False  # free text, read exactly as written (else without spaces around)


def _figure(value: Any) -> Any:
    """A target's value as it is typed: a duration `48h`, a unit's name, `90` for 90.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | date | int | float) or value is None:
        return value
    return str(value)  # a unit: its name


def _target_column(spec: TargetField) -> PledgeColumn:
    def value(pledge: Pledge) -> Any:
        target = pledge.target
        if target.type not in spec.types:
            return None
        held = getattr(target, spec.attribute)
        return format_duration(held) if spec.name == "within" else _figure(held)

    types = "/".join(kind for kind in TARGET_TYPES if kind in spec.types)
    limit = "" if spec.range is None else "; " + spec.range.phrase()
    return PledgeColumn(spec.name, f"{types} target: {spec.meaning}{limit}", spec.example, value)


PLEDGE_COLUMNS: tuple[PledgeColumn, ...] = (
    PledgeColumn("team", "team code (required)", "CW01", lambda p: p.team, required=True),
    PledgeColumn("title", "what was promised (required)",
                 "Two high-visibility patrols a week in Castle Park", lambda p: p.title,
                 required=True, exact=True),
    *map(_target_column, TARGET_FIELDS),
    PledgeColumn("agreed", "date agreed with residents (required)", "10/09/2008",
                 lambda p: p.agreed_on, required=True),
    PledgeColumn("review", "date to review it", "10/12/2008", lambda p: p.review_on),
    PledgeColumn("meeting", "meeting where it was agreed",
                 "PACT meeting, Castle Ward, 10 Sep 2008", lambda p: p.meeting, exact=True),
    PledgeColumn("description", "longer description", "", lambda p: p.description, exact=True),
    PledgeColumn("ref", "the pledge's reference, `<TEAM>-L<n>` of the row's team; empty: the "
                 "team's next", "CW01-L3", lambda p: p.ref),
    PledgeColumn("status", "`active` (or empty), `achieved`, `not-achieved` or `withdrawn`",
                 "achieved", lambda p: p.status.value),
    PledgeColumn("outcome", "a closed pledge's outcome, as `pledge close --outcome` gives it",
                 "Lights repaired on 20 Nov", lambda p: p.outcome, exact=True),
    PledgeColumn("closed", "the day a closed pledge closed, as `pledge close --on` gives it",
                 "20/11/2008", lambda p: p.closed_on),
)  # fmt: skip

COLUMN_NAMES = tuple(c.name for c in PLEDGE_COLUMNS)
REQUIRED = tuple(c.name for c in PLEDGE_COLUMNS if c.required)
EXACT = tuple(c.name for c in PLEDGE_COLUMNS if c.exact)
_VALUES = tuple(c.value for c in PLEDGE_COLUMNS)


def pledge_cells(pledge: Pledge) -> tuple[Any, ...]:
    """A pledge's row, in PLEDGE_COLUMNS order: what the export writes and the import
    compares a stored pledge by."""
    return tuple(value(pledge) for value in _VALUES)
