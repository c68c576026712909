"""What a pledge promises, as one of five measurable target types, and how to say it in words.

The fields each type is given by are declared in domain/target_fields.py; here are the
models that hold them and the rules that combine them (`build_target`, `amend_target`).

frequency  at least N actions per day/week/month/quarter (optionally of one kind)
response   each item received is dealt with within a duration, for T% of items
share      at least P% of logged hours are spent in the neighbourhood
deadline   a one-off deliverable by a date
none       recorded, not measured
"""

# No `from __future__ import annotations` here: pydantic evaluates a string annotation of
# every field as it defines each model, at import, on every command that loads the models
# (`log` among them); annotations as objects it reads as they are (docs/performance.md).

from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# re-exported: durations and units are how targets are typed
from pledgetrack.domain.durations import format_duration as format_duration
from pledgetrack.domain.durations import parse_duration as parse_duration
from pledgetrack.domain.target_fields import (
    TARGET_FIELDS,
    fields_of,
    given_fields,
)
from pledgetrack.domain.target_fields import TARGET_TYPES as TARGET_TYPES
from pledgetrack.domain.target_fields import parse_unit as parse_unit
from pledgetrack.domain.vocabulary import Unit as Unit
from pledgetrack.errors import InputError


class _Target(BaseModel):
    # built on first validation, not at import (see domain.models)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class FrequencyTarget(_Target):
    type: Literal["frequency"] = "frequency"
    count: int = Field(ge=1)
    unit: Unit
    action_kind: str | None = None
    threshold_pct: float = Field(default=100.0, gt=0, le=100)


class ResponseTarget(_Target):
    type: Literal["response"] = "response"
    within_minutes: int = Field(ge=1)
    threshold_pct: float = Field(default=100.0, gt=0, le=100)


class ShareTarget(_Target):
    type: Literal["share"] = "share"
    share_pct: float = Field(gt=0, le=100)


class DeadlineTarget(_Target):
    type: Literal["deadline"] = "deadline"
    due: date


class NoTarget(_Target):
    type: Literal["none"] = "none"


Target = Annotated[
    FrequencyTarget | ResponseTarget | ShareTarget | DeadlineTarget | NoTarget,
    Field(discriminator="type"),
]
_Model = (
    type[FrequencyTarget]
    | type[ResponseTarget]
    | type[ShareTarget]
    | type[DeadlineTarget]
    | type[NoTarget]
)
_MODELS: dict[str, _Model] = {
    model.model_fields["type"].default: model
    for model in (FrequencyTarget, ResponseTarget, ShareTarget, DeadlineTarget, NoTarget)
}


def _pct(value: float) -> str:
    return f"{value:g}%"


def describe(target: Target, day: Callable[[date], str] = date.isoformat) -> str:
    """The target in words, as exports and plain text print it (`by 2008-11-28`); a table
    on a terminal passes `day` to write a deadline's date as its other dates (`by 28/11`)."""
    match target:
        case FrequencyTarget(count=n, unit=unit, action_kind=kind, threshold_pct=pct):
            what = f" (kind: {kind})" if kind else ""
            share = "" if pct == 100 else f" in {_pct(pct)} of {unit.value}s"
            return f"at least {n} per {unit.value}{what}{share}"
        case ResponseTarget(within_minutes=mins, threshold_pct=pct):
            suffix = "" if pct == 100 else f" for {_pct(pct)} of items"
            return f"within {format_duration(mins)}{suffix}"
        case ShareTarget(share_pct=pct):
            return f"at least {_pct(pct)} of hours in the neighbourhood"
        case DeadlineTarget(due=due):
            return f"by {day(due)}"
        case _:
            return "not measured"


def build_target(**given: Any) -> Target:
    """Turn `pledge add` options (or an import row, by column) into exactly one target,
    refusing mixtures by name. Keywords: the fields of domain/target_fields.py."""
    values = given_fields(given)
    chosen = {  # the options given of each type, by the fields only that type has
        kind: [
            f.option for f in fields_of(kind) if f.types == (kind,) and f.is_given(values[f.name])
        ]
        for kind in TARGET_TYPES
    }
    picked = [kind for kind, options in chosen.items() if options]
    if len(picked) > 1:
        first, second = chosen[picked[0]][0], chosen[picked[1]][0]
        raise InputError(
            f"{first} ({picked[0]}) and {second} ({picked[1]}) cannot be combined: "
            "a pledge has exactly one target",
            field="target",
        )
    kind = picked[0] if picked else "none"
    for shared in (f for f in TARGET_FIELDS if len(f.types) > 1):
        if values[shared.name] is not None and kind not in shared.types:
            raise InputError(
                f"{shared.option} applies only to {' and '.join(shared.types)} targets",
                field=shared.name,
            )
    _RULES.get(kind, _no_rule)(values)
    figures = {
        f.attribute: f.value(values[f.name]) for f in fields_of(kind) if values[f.name] is not None
    }
    return _target(kind, figures)


def amend_target(target: Target, ref: str, **given: Any) -> Target:
    """`pledge edit`: change figures within the pledge's target type, never its type.

    An empty text leaves a figure as it was, except where empty means "none" (`--action-kind
    ""` drops the kind)."""
    values = given_fields(given)
    for f in TARGET_FIELDS:
        if values[f.name] is not None and target.type not in f.types:
            belongs = "/".join(kind for kind in TARGET_TYPES if kind in f.types)
            raise InputError(
                f"{f.option} applies to {belongs} pledges; {ref} is a {target.type} pledge "
                "(close it and add a new pledge to change the type)",
                field=f.name,
            )
    changed = {
        f.attribute: f.value(values[f.name])
        for f in fields_of(target.type)
        if values[f.name] is not None and (values[f.name] != "" or f.blank_is_none)
    }
    if not changed:
        return target
    return _target(target.type, {**target.model_dump(exclude={"type"}), **changed})


def target_of(kind: str, attributes: Mapping[str, Any]) -> Target:
    """A target of the named type from its attributes as stored (validated, so `week`
    becomes Unit.WEEK and `2008-11-28` a date). ValueError for an unknown type (another
    tool's `weird`): read as no target, it showed as "not measured" without a word."""
    if kind not in _MODELS:
        raise ValueError(f"unknown target type {kind!r}")
    for f in fields_of(kind):
        value, held = attributes.get(f.attribute), f.held_range
        if held is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue  # not a number: the model says what it should be
        if not held.holds(value):
            raise OutOfRange(f.attribute, value)
    return _target(kind, attributes)


class OutOfRange(ValueError):
    """A stored target figure outside the range its field declares (`target_count` of
    2**63 - 1, judged as 36893488147419103232 expected): `pledge add` refuses it, so
    another tool wrote it. `attribute` names the field (its column is `target_<it>`)."""

    def __init__(self, attribute: str, value: float) -> None:
        super().__init__(f"{attribute} out of range: {value!r}")
        self.attribute = attribute


def _target(kind: str, attributes: Mapping[str, Any]) -> Target:
    return _MODELS[kind].model_validate(attributes)


def _frequency(values: Mapping[str, Any]) -> None:
    if values["at_least"] is None or values["per"] is None:
        raise InputError(
            "a frequency target needs both --at-least N and --per UNIT",
            field="per" if values["per"] is None else "at_least",
        )


def _no_rule(values: Mapping[str, Any]) -> None:
    """Types whose one field picks them need nothing more."""


# what a target type needs beyond its fields' own checks
_RULES: dict[str, Callable[[Mapping[str, Any]], None]] = {"frequency": _frequency}
