"""Inspection readiness, modelled on the HMIC inspection of the Policing Pledge (2009). Pure.

Inspectors acted as members of the public and tested every commitment; forces were graded
Excellent, Good, Fair or Poor, and the weakest areas nationally were following up messages
(N4), contact with victims (N9) and dealing with dissatisfaction (N10). Here each national
commitment gets `good`, `fair` or `poor` from the evidence on record over the last three
whole months, and the team an overall grade. The rules are written out in docs/reports.md;
the tests follow them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pledgetrack.domain.plain_words import day_words
from pledgetrack.domain.rules import RAG, Status
from pledgetrack.domain.targets import Unit

WINDOW_MONTHS = 3
WEAK_AREAS = (4, 9, 10)  # weakest nationally in 2009: must be good for an overall Good
POOR_FOR_OVERALL_POOR = 3
FAIR_ALLOWED_FOR_GOOD = 2
# The longest a unit can be, in days: a month of 31 days, a quarter of 92
UNIT_DAYS = {Unit.DAY: 1, Unit.WEEK: 7, Unit.MONTH: 31, Unit.QUARTER: 92}


class Grade(StrEnum):
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


class Overall(StrEnum):
    EXCELLENT = "Excellent"
    GOOD = "Good"
    FAIR = "Fair"
    POOR = "Poor"


class Measure(StrEnum):
    FREQUENCY = "frequency"  # counted per unit: a gap between actions is what an inspector sees
    RESPONSE = "response"  # items answered within a limit: late items are breaches
    SHARE = "share"  # a share of hours: months below the figure are breaches
    NONE = "none"  # no figure: only whether anything is on record


@dataclass(frozen=True)
class Evidence:
    """What the record shows for one commitment over the window (and up to as-of)."""

    number: int
    measure: Measure
    attached: bool  # the team carries the commitment at all
    count: int  # non-void actions (response: items received) in the window
    latest: date | None  # the latest action done, up to as-of
    months: tuple[Status, ...]  # the status of each month of the window, oldest first
    breaches: int  # response: items late or still waiting too long; else months short
    longest_gap_days: int | None = None  # frequency: the longest stretch without one
    allowed_gap_days: int | None = None  # frequency: what the commitment allows
    contact_published: bool = True  # N2: the team's contact details are on record
    pending: int = 0  # response: items still open within their limit (not yet judged)
    # not attached: adopted after the window, by as-of (nothing could be on record yet);
    # attached: adopted during the window (less of it could be judged)
    adopted_on: date | None = None


def allowed_gap(count: int, unit: Unit) -> int:
    """Days a frequency commitment allows between actions: once a month -> 31 days."""
    return math.ceil(UNIT_DAYS[unit] / count)


def longest_gap(days: Sequence[date], start: date, end: date) -> int:
    """The longest run of days from `start` to `end` between consecutive action days.

    `days` are the days actions were done, sorted; the run before the first counts from
    `start` (the last action before the window, or when the commitment began), the run
    after the last one up to `end` (as-of): a gap still open counts as it stands.
    """
    points = [start, *(d for d in days if start < d <= end), end]
    return max((b - a).days for a, b in itertools.pairwise(points))


def grade(e: Evidence) -> tuple[Grade, str]:
    """The commitment's grade and the reason, in one line."""
    if not e.attached and e.adopted_on is not None:
        adopted = day_words(e.adopted_on)
        return Grade.FAIR, f"adopted on {adopted}, after the last 3 months: no evidence yet"
    if not e.attached:
        return Grade.POOR, "the team does not carry this commitment"
    if e.measure is Measure.NONE:
        return _unmeasured(e)
    red = [i for i, s in enumerate(e.months) if s is Status.RED]
    amber = [i for i, s in enumerate(e.months) if s is Status.AMBER]
    judged = [s for s in e.months if s in RAG]
    if e.count == 0 and e.measure is Measure.FREQUENCY and not judged and not _gap_over(e):
        # adopted in the window after a month began: no whole month of it ended, nor has a
        # gap run past what it allows; nothing was due, so nothing is missing (FRESH3 F24)
        adopted = f": adopted on {day_words(e.adopted_on)}" if e.adopted_on else ""
        return Grade.FAIR, f"nothing due yet in the last 3 months{adopted}"
    if e.count == 0 and e.measure is not Measure.RESPONSE:
        return Grade.POOR, "nothing on record in the last 3 months"
    if e.count == 0:
        return Grade.FAIR, "nothing received in the last 3 months: no evidence to show"
    if red:
        return Grade.POOR, f"red in {_months_text(red, len(e.months))}"
    gap, allowed = e.longest_gap_days, e.allowed_gap_days
    if gap is not None and allowed is not None and _gap_over(e):
        worse = gap > 2 * allowed
        return (
            Grade.POOR if worse else Grade.FAIR,
            f"{gap} days without one; the commitment allows {allowed}",
        )
    if e.measure is Measure.RESPONSE:
        return _response(e)
    if amber:
        return Grade.FAIR, f"amber in {_months_text(amber, len(e.months))}"
    if not judged:
        return Grade.FAIR, "nothing to judge yet in the last 3 months"
    return Grade.GOOD, f"met in every month judged ({len(judged)} of {len(e.months)})"


def _gap_over(e: Evidence) -> bool:
    """Whether the longest gap is longer than the commitment allows."""
    gap, allowed = e.longest_gap_days, e.allowed_gap_days
    return gap is not None and allowed is not None and gap > allowed


def _response(e: Evidence) -> tuple[Grade, str]:
    """Items judged as `summary` judges them: met or breached; one still open within its
    limit is pending, counted neither way (a victim whose next contact is due tomorrow)."""
    judged = e.count - e.pending
    still = f"; {e.pending} pending, not yet due" if e.pending else ""
    if e.breaches:
        return Grade.FAIR, f"{e.breaches} of {judged} late in the last 3 months{still}"
    if not judged:
        return Grade.FAIR, f"nothing to judge yet in the last 3 months{still}"
    every = "all " if judged > 1 else ""
    return Grade.GOOD, f"{every}{judged} on time in the last 3 months{still}"


def _unmeasured(e: Evidence) -> tuple[Grade, str]:
    if e.number == 2 and not e.contact_published:
        return Grade.POOR, "no contact details on record for the team"
    if e.count:
        return Grade.GOOD, f"{e.count} on record in the last 3 months"
    if e.number == 2:
        return Grade.FAIR, "contact details on record, but no check of them logged in 3 months"
    return Grade.FAIR, "nothing on record in the last 3 months"


def _months_text(indexes: list[int], total: int) -> str:
    names = {total - 1: "last month", total - 2: "the month before"}
    parts = [names.get(i, f"{total - i} months ago") for i in indexes]
    return " and ".join(parts)


def overall(grades: Mapping[int, Grade]) -> tuple[Overall, str]:
    """The team's grade: Excellent when every commitment is good; Poor with three or more
    poor; Good with none poor, at most two fair, and the weak areas of 2009 (N4, N9,
    N10) all good; Fair otherwise."""
    poor = [n for n, g in sorted(grades.items()) if g is Grade.POOR]
    fair = [n for n, g in sorted(grades.items()) if g is Grade.FAIR]
    weak = [n for n in WEAK_AREAS if grades.get(n) is not Grade.GOOD]
    counts = f"{len(poor)} poor{_codes(poor)}, {len(fair)} fair{_codes(fair)}"
    if not poor and not fair:
        return Overall.EXCELLENT, "every commitment good"
    if len(poor) >= POOR_FOR_OVERALL_POOR:
        return Overall.POOR, counts
    if not poor and len(fair) <= FAIR_ALLOWED_FOR_GOOD and not weak:
        return Overall.GOOD, counts
    if not poor and len(fair) <= FAIR_ALLOWED_FOR_GOOD:
        return Overall.FAIR, f"{counts}; {_codes(weak).strip(' ()')} not good (weak in 2009)"
    return Overall.FAIR, counts


def _codes(numbers: list[int]) -> str:
    return f" ({', '.join(f'N{n}' for n in numbers)})" if numbers else ""
