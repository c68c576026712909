"""The columns of a file of local pledges, declared once: what `export pledges` writes, in
this order, and what `import pledges` reads back, by name.

A file `export pledges` writes from one database and `import pledges` reads into another
gives the second the same pledges, refs and closings included, so that the actions of
`export actions` then find their pledges (docs/export-schema.md lists these columns from
here; tests/test_pledge_transfer.py holds the docs to it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NamedTuple

from pledgetrack.domain.durations import format_duration
from pledgetrack.domain.models import Pledge
from pledgetrack.domain.target_fields import TARGET_FIELDS, TARGET_TYPES, TargetField
from pledgetrack.domain.targets import Target
from pledgetrack.errors import InputError


class PledgeColumn(NamedTuple):
    """One column of a pledges file."""

    name: str  # in the header; the option of `pledge add` (or `pledge close`) it stands for
    meaning: str  # for docs/export-schema.md
    example: str
    value: Callable[[Pledge], Any]  # the pledge's cell, as `import pledges` reads it back
    required: bool = False  # a file without it, or a row with it empty, is refused
    exact: bool = False  # free text, read exactly as written (else without spaces around)
    # read from the audit log, not the pledge (target_changed): written by the export,
    # recorded by the import, not compared with a stored pledge (the last column)
    audited: bool = False


def _figure(value: Any) -> Any:
    """A target's value as it is typed: a duration `48h`, a unit's name, `90` for 90.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | date | int | float) or value is None:
        return value
    return str(value)  # a unit: its name


def _target_cell(spec: TargetField, target: Target) -> Any:
    """A target's cell in the column of `spec`, as typed (None: not its type's)."""
    if target.type not in spec.types:
        return None
    held = getattr(target, spec.attribute)
    return format_duration(held) if spec.name == "within" else _figure(held)


def _target_column(spec: TargetField) -> PledgeColumn:
    def value(pledge: Pledge) -> Any:
        return _target_cell(spec, pledge.target)

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
    PledgeColumn("target_changed", "each change of its target, oldest first, as a JSON "
                 "array: the local day of the change (`on`) and the target it replaced "
                 "(`from`, by the target columns above); empty: never changed (below); "
                 "added after 0.1.0",
                 '[{"on": "2008-10-16", "from": {"within": "24h", "threshold": 100}}]',
                 lambda p: None, audited=True),
)  # fmt: skip

COLUMN_NAMES = tuple(c.name for c in PLEDGE_COLUMNS)
REQUIRED = tuple(c.name for c in PLEDGE_COLUMNS if c.required)
EXACT = tuple(c.name for c in PLEDGE_COLUMNS if c.exact)
# what a row is compared with a stored pledge by: every column but the audited one
COMPARED = tuple(c.name for c in PLEDGE_COLUMNS if not c.audited)
TARGET_CHANGED = next(c.name for c in PLEDGE_COLUMNS if c.audited)
assert COLUMN_NAMES[-1] == TARGET_CHANGED  # pledge_cells' order depends on it
_VALUES = tuple(c.value for c in PLEDGE_COLUMNS if not c.audited)


def pledge_cells(pledge: Pledge) -> tuple[Any, ...]:
    """A pledge's row in COMPARED order: what the import compares a stored pledge by
    (the export writes it, then the target changes: file_cells)."""
    return tuple(value(pledge) for value in _VALUES)


def file_cells(pledge: Pledge, changes: Sequence[tuple[date, Target]]) -> tuple[Any, ...]:
    """A pledge's row in COLUMN_NAMES order, `changes` its target changes, oldest first:
    each day and the target it replaced."""
    return (*pledge_cells(pledge), changes_cell(changes))


def target_cells(target: Target) -> dict[str, Any]:
    """A target by the target columns, as a JSON object holds them (a day as ISO text)."""
    cells = {spec.name: _target_cell(spec, target) for spec in TARGET_FIELDS}
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in cells.items()
        if value is not None
    }


def changes_cell(changes: Sequence[tuple[date, Target]]) -> str | None:
    """The target_changed cell: `[{"on": "2008-10-16", "from": {...}}, ...]`, None if none."""
    if not changes:
        return None
    return json.dumps(
        [{"on": on.isoformat(), "from": target_cells(before)} for on, before in changes],
        ensure_ascii=False,
    )


def changes_in_cell(text: str) -> list[tuple[str, dict[str, str]]]:
    """A target_changed cell as (day, the target's cells as text by column) per change,
    oldest first, for the import to read as it reads a row's (refused, naming the
    column, unless it is the JSON the export writes)."""
    where = TARGET_CHANGED
    try:
        changes = json.loads(text)
    except ValueError:
        raise InputError(
            f"not a JSON array of changes like {PLEDGE_COLUMNS[-1].example}", field=where
        ) from None
    if not isinstance(changes, list) or not changes:
        raise InputError(f"not a JSON array of changes like {PLEDGE_COLUMNS[-1].example}",
                         field=where)  # fmt: skip
    read: list[tuple[str, dict[str, str]]] = []
    names = {spec.name for spec in TARGET_FIELDS}
    for n, change in enumerate(changes, 1):
        before = change.get("from") if isinstance(change, dict) else None
        on = change.get("on") if isinstance(change, dict) else None
        if not isinstance(on, str) or not isinstance(before, dict) or set(change) != {
            "on", "from"
        }:
            raise InputError(
                f"change {n}: needs exactly \"on\" (a day) and \"from\" (the target it "
                "replaced)",
                field=where,
            )
        unknown = sorted(set(before) - names)
        if unknown:
            raise InputError(f"change {n}: unknown target column {unknown[0]!r}", field=where)
        if any(isinstance(v, bool) or not isinstance(v, str | int | float) for v in
               before.values()):  # fmt: skip
            raise InputError(f"change {n}: a target's value is a number or text", field=where)
        read.append((on, {name: str(value) for name, value in before.items()}))
    return read
