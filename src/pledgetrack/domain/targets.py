"""What a pledge promises, as one of five measurable target types, and how to say it in words.

frequency  at least N actions per day/week/month/quarter (optionally of one kind)
response   each item received is dealt with within a duration, for T% of items
share      at least P% of logged hours are spent in the neighbourhood
deadline   a one-off deliverable by a date
none       recorded, not measured
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from pledgetrack.domain.numbers import COUNT, DURATION_MINUTES, PERCENT
from pledgetrack.domain.periods import Unit as Unit  # re-exported: targets count in units
from pledgetrack.errors import InputError, field_name


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
TARGET_TYPES = ("frequency", "response", "share", "deadline", "none")

_DURATION_PART = r"(\d+(?:\.\d+)?)\s*(weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m)"
_DURATION_RE = re.compile(rf"^(?:{_DURATION_PART}\s*)+$", re.IGNORECASE)
_MINUTES_PER = {"w": 7 * 24 * 60, "d": 24 * 60, "h": 60, "m": 1}


def parse_duration(text: str) -> int:
    """`24h`, `60m`, `2d`, `1h30m`, `90 minutes` -> whole minutes (at least one)."""
    cleaned = text.strip().lower()
    if not _DURATION_RE.match(cleaned):
        raise InputError(f"cannot read {text!r} as a duration (try 24h, 60m, 2d or 1h30m)")
    total = sum(
        float(amount) * _MINUTES_PER[unit[0]]
        for amount, unit in re.findall(_DURATION_PART, cleaned)
    )
    minutes = round(total) if math.isfinite(total) else total  # 9999...9h reads as inf
    if minutes < DURATION_MINUTES.low:
        raise InputError(f"duration {text!r} is shorter than a minute")
    if not DURATION_MINUTES.contains(minutes):
        days = DURATION_MINUTES.high / (24 * 60)
        raise InputError(f"duration {text!r} is longer than {days:,.0f} days")
    return int(minutes)


def format_duration(minutes: float) -> str:
    """Minutes as a short duration: 1440 -> `24h`, 90 -> `1h30m`, 2880 -> `48h`, 10080 -> `7d`,
    and from three days up in days: 30300 -> `21d1h`, so that `505h` never needs working out."""
    whole = round(minutes)
    if whole >= 72 * 60:
        days, rest = divmod(whole, 24 * 60)
        hours, mins = divmod(rest, 60)
        return f"{days}d" + (f"{hours}h" if hours else "") + (f"{mins:02d}m" if mins else "")
    hours, mins = divmod(whole, 60)
    if hours and mins:
        return f"{hours}h{mins:02d}m"
    if hours:
        return f"{hours}h"
    return f"{mins}m"


def _pct(value: float) -> str:
    return f"{value:g}%"


def describe(target: Target) -> str:
    """The target in words, as printed in tables and exports."""
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
            return f"by {due.isoformat()}"
        case _:
            return "not measured"


def build_target(
    *,
    at_least: int | None = None,
    per: str | None = None,
    action_kind: str | None = None,
    within: str | None = None,
    threshold: float | None = None,
    share: float | None = None,
    by: date | None = None,
) -> Target:
    """Turn `pledge add` options into exactly one target, refusing mixtures by name."""
    given = {
        "frequency": [n for n, v in (("--at-least", at_least), ("--per", per)) if v is not None]
        + (["--action-kind"] if action_kind else []),
        "response": ["--within"] if within is not None else [],
        "share": ["--share"] if share is not None else [],
        "deadline": ["--by"] if by is not None else [],
    }
    chosen = [kind for kind, options in given.items() if options]
    if len(chosen) > 1:
        first, second = given[chosen[0]][0], given[chosen[1]][0]
        raise InputError(
            f"{first} ({chosen[0]}) and {second} ({chosen[1]}) cannot be combined: "
            "a pledge has exactly one target",
            field="target",
        )
    if threshold is not None and chosen not in (["response"], ["frequency"]):
        raise InputError(
            "--threshold applies only to response and frequency targets", field="threshold"
        )
    kind = chosen[0] if chosen else "none"
    if kind == "frequency":
        if at_least is None or per is None:
            raise InputError(
                "a frequency target needs both --at-least N and --per UNIT",
                field="per" if per is None else "at_least",
            )
        COUNT.check("--at-least", at_least)
        return FrequencyTarget(
            count=at_least,
            unit=parse_unit(per),
            action_kind=action_kind or None,
            threshold_pct=_threshold(threshold),
        )
    if kind == "response":
        assert within is not None
        return ResponseTarget(
            within_minutes=_within(within), threshold_pct=_threshold(threshold)
        )
    if kind == "share":
        assert share is not None
        PERCENT.check("--share", share)
        return ShareTarget(share_pct=share)
    if kind == "deadline":
        assert by is not None
        return DeadlineTarget(due=by)
    return NoTarget()


def _within(text: str) -> int:
    try:
        return parse_duration(text)
    except InputError as exc:
        raise InputError(f"--within: {exc}", field="within") from None


def parse_unit(text: str) -> Unit:
    try:
        return Unit(text.strip().lower())
    except ValueError:
        choices = "|".join(u.value for u in Unit)
        raise InputError(f"--per must be one of {choices}, not {text!r}", field="per") from None


def _threshold(value: float | None) -> float:
    if value is None:
        return 100.0
    PERCENT.check("--threshold", value)
    return float(value)


def amend_target(
    target: Target,
    ref: str,
    *,
    at_least: int | None = None,
    per: str | None = None,
    action_kind: str | None = None,
    within: str | None = None,
    threshold: float | None = None,
    share: float | None = None,
    by: date | None = None,
) -> Target:
    """`pledge edit`: change figures within the pledge's target type, never its type."""
    belongs = {
        "--at-least": ("frequency", at_least),
        "--per": ("frequency", per),
        "--action-kind": ("frequency", action_kind),
        "--within": ("response", within),
        "--threshold": ("frequency/response", threshold),
        "--share": ("share", share),
        "--by": ("deadline", by),
    }
    for option, (kind, value) in belongs.items():
        if value is not None and target.type not in kind.split("/"):
            raise InputError(
                f"{option} applies to {kind} pledges; {ref} is a {target.type} pledge "
                "(close it and add a new pledge to change the type)",
                field=field_name(option),
            )
    match target:
        case FrequencyTarget():
            return build_target(
                at_least=target.count if at_least is None else at_least,
                per=per or target.unit.value,
                action_kind=target.action_kind if action_kind is None else action_kind,
                threshold=target.threshold_pct if threshold is None else threshold,
            )
        case ResponseTarget():
            return build_target(
                within=within or f"{target.within_minutes}m",
                threshold=target.threshold_pct if threshold is None else threshold,
            )
        case ShareTarget():
            return build_target(share=target.share_pct if share is None else share)
        case DeadlineTarget():
            return build_target(by=by or target.due)
    return target
