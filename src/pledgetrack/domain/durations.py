"""How a duration is typed (`24h`, `1h30m`, `2d`) and printed, in whole minutes.

Apart from the target models so that the declaration of target fields, which the CLI
reads at start-up, can read `--within` without loading pydantic.
"""

from __future__ import annotations

import math
import re

from pledgetrack.domain.numbers import DURATION_MINUTES
from pledgetrack.errors import InputError

# ASCII digits only, as every number (numbers.read_number): `\d` would take `٣h` as 3h
_DURATION_PART = r"([0-9]+(?:\.[0-9]+)?)\s*(weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m)"
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
