"""`report inspect` laid out: one row per national commitment, and the JSON document."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from pledgetrack.domain.plain_words import duration_words, period_words, plural, recorded_words
from pledgetrack.services.inspection import BreachedItem, CommitmentGrade, Inspection


def inspect_title(report: Inspection) -> str:
    """Three or four short lines, broken between phrases: plain text is not wrapped to the terminal,
    and one line of 120 characters was broken mid-word by the terminal or pager. The months
    read as people say them (`September to November 2008`); JSON keeps ISO days. When
    the evidence runs to an as-of earlier than the report, the log it reads is said apart
    (`as recorded by ...`, recorded_words)."""
    team = report.team
    return (
        f"{team.code} {team.name}: inspection readiness, evidence of "
        f"{period_words(report.window)}\n"
        + "".join(f"{phrase}\n" for phrase in recorded_words(report.as_of, report.made))
        + f"Overall: {report.overall.value} ({report.overall_reason})"
    )


def _gap(c: CommitmentGrade) -> str:
    e = c.evidence
    if e.longest_gap_days is not None and e.allowed_gap_days is not None:
        # the same form as a wait: "38 days (31 days)", never "30 days (31)"
        return f"{plural(e.longest_gap_days, 'day')} ({plural(e.allowed_gap_days, 'day')})"
    if c.longest_wait_minutes is not None and c.allowed_minutes is not None:
        return f"{duration_words(c.longest_wait_minutes)} ({duration_words(c.allowed_minutes)})"
    return ""


def breaches_title(report: Inspection) -> str:
    """`--breaches`' title: whose items, of which months, as of when (inspect_title's)."""
    team = report.team
    return (
        f"{team.code} {team.name}: breached items, evidence of {period_words(report.window)}\n"
        + "\n".join(recorded_words(report.as_of, report.made))
    )


def breached(report: Inspection) -> list[BreachedItem]:
    """Every breached item, by commitment and then oldest first."""
    return [item for c in report.commitments for item in c.breached]


def _minutes(span: timedelta) -> int:
    """A breached item's wait or lateness in whole minutes, rounded up as `respond` says it
    (`24h01m against 24h`): an item seconds late is never `late by 0 minutes`."""
    return math.ceil(span.total_seconds() / 60)


def breach_rows(report: Inspection) -> list[dict[str, Any]]:
    """One row per breached item: which, when received and answered, how long it waited
    against its limit, and what identifies it to the team (officer, reference)."""
    return [
        {
            "commitment": f"N{b.number}",
            "id": b.item.id,
            "received": b.item.received_at,
            "answered": b.answered,
            "waited": duration_words(_minutes(b.waited)),
            "limit": duration_words(b.allowed_minutes),
            "late_by": duration_words(_minutes(b.late)),
            "officer": b.item.officer,
            "ref": b.item.ext_ref,
            "description": b.item.description,
        }
        for b in breached(report)
    ]


def _breach_json(b: BreachedItem) -> dict[str, Any]:
    return {
        "id": b.item.id,
        "pledge": b.pledge,
        "received": None if b.item.received_at is None else b.item.received_at.isoformat(),
        "answered": None if b.answered is None else b.answered.isoformat(),
        "waited_minutes": _minutes(b.waited),
        "allowed_minutes": b.allowed_minutes,
        "late_minutes": _minutes(b.late),
        "officer": b.item.officer,
        "ref": b.item.ext_ref,
        "description": b.item.description,
    }


def inspect_rows(report: Inspection) -> list[dict[str, Any]]:
    return [
        {
            "commitment": f"N{c.number} {c.title}",
            "evidence": c.evidence.count,
            "latest": c.evidence.latest,
            "gap": _gap(c),
            "breaches": c.evidence.breaches if c.evidence.measure.value != "none" else None,
            "grade": c.grade.value,
            "reason": c.reason,
        }
        for c in report.commitments
    ]


def inspect_json(report: Inspection) -> dict[str, Any]:
    return {
        "team": report.team.code,
        "team_name": report.team.name,
        "as_of": report.as_of.isoformat(timespec="seconds"),
        "window": {"start": report.window.start.isoformat(), "end": report.window.end.isoformat()},
        "overall": {"grade": report.overall.value, "reason": report.overall_reason},
        "commitments": [
            {
                "commitment": f"N{c.number}",
                "title": c.title,
                "measure": c.evidence.measure.value,
                "attached": c.evidence.attached,
                "evidence": c.evidence.count,
                "latest": None if c.evidence.latest is None else c.evidence.latest.isoformat(),
                "months": [s.value for s in c.evidence.months],
                "breaches": c.evidence.breaches,
                "pending": c.evidence.pending,
                "longest_gap_days": c.evidence.longest_gap_days,
                "allowed_gap_days": c.evidence.allowed_gap_days,
                "longest_wait_minutes": c.longest_wait_minutes,
                "allowed_minutes": c.allowed_minutes,
                "grade": c.grade.value,
                "reason": c.reason,
                "breached_items": [_breach_json(b) for b in c.breached],
            }
            for c in report.commitments
        ],
    }
