"""Findings for cron: what a sergeant should act on today, one line each."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from pledgetrack.domain.dates import short_datetime
from pledgetrack.domain.models import PledgeKind
from pledgetrack.domain.periods import parse_period
from pledgetrack.domain.rules import Status, breached, is_stale, stale_after_days, still_open
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    NoTarget,
    ResponseTarget,
    Target,
    Unit,
    format_duration,
)
from pledgetrack.services.compliance import summarise
from pledgetrack.store import queries
from pledgetrack.store.connection import Store


class Finding(NamedTuple):
    """One line for the sergeant (a tuple: a national `check` finds 34,000)."""

    team: str
    ref: str
    kind: str  # red, breached, due-soon, deadline-missed, deadline-due, review-overdue, stale
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"team": self.team, "ref": self.ref, "kind": self.kind, "message": self.message}


# Findings are listed by team, pledge and kind; those alike stay in the order found
_ORDER = itemgetter(0, 1, 2)


RECENT_DAYS = 7  # the grace window: days 1-7 after a month or quarter ends
# The type names of the targets check tells apart (each model's `type`)
_DEADLINE = DeadlineTarget.model_fields["type"].default
_NONE = NoTarget.model_fields["type"].default
# never stale: a response pledge waits for messages, a deadline has its own findings
_WAIT = frozenset({ResponseTarget.model_fields["type"].default, _DEADLINE})


def _reporting_unit(target: object) -> Unit:
    """The unit a pledge is reported by: a quarterly pledge its quarter, any other its month."""
    if isinstance(target, FrequencyTarget) and target.unit is Unit.QUARTER:
        return Unit.QUARTER
    return Unit.MONTH


def _reported_by(unit: Unit, target: Target) -> bool:
    return _reporting_unit(target) is unit


def _recently_ended_units(
    store: Store, as_of: datetime, team_codes: list[str] | None, flagged: set[tuple[str, str]]
) -> list[Finding]:
    """Every pledge red in the reporting unit just ended stays flagged for the first
    RECENT_DAYS days after it: "this month so far" judges little on the 1st (a monthly
    pledge nothing), so without this the month's reds would vanish overnight. A pledge in
    `flagged` (red or missed today already) is reported once."""
    findings = []
    for unit, label in ((Unit.MONTH, "last-month"), (Unit.QUARTER, "last-quarter")):
        period = parse_period(label, as_of.date())
        if (as_of.date() - period.end).days > RECENT_DAYS:
            continue
        # only the pledges reported by this unit, and no last actions: each aggregate of
        # the unit just ended is read for the pledges it concerns, once
        reported = summarise(
            store,
            period,
            as_of,
            team_codes,
            last_action=False,
            only=partial(_reported_by, unit),
        )
        for summary in reported:
            for result in summary.results:
                j = result.judgement
                key = (summary.team.code, result.pledge.ref)
                if j.status != Status.RED or key in flagged:
                    continue
                pct = f"{j.compliance_pct:.1f}% " if j.compliance_pct is not None else ""
                findings.append(
                    Finding(
                        *key,
                        "red",
                        f"{pct}in {period.start:%Y-%m}"
                        f"{'' if unit is Unit.MONTH else ' quarter'} against "
                        f"'{result.target_text}' ({j.detail})",
                    )
                )
    return findings


def find_problems(
    store: Store,
    as_of: datetime,
    team_codes: list[str] | None,
    *,
    warn_minutes: int,
    stale_days: int,
    tz: tzinfo | None = None,
) -> list[Finding]:
    """What needs action at `as_of`; times in the messages read as tables print them, in
    `tz` (the user's zone; `as_of`'s offset if not given)."""
    zone = tz or as_of.tzinfo
    assert zone is not None  # as-of is aware
    today = as_of.date()
    period = parse_period("this-month", today)
    findings: list[Finding] = []
    summaries = summarise(store, period, as_of, team_codes)
    for summary in summaries:
        code = summary.team.code
        for result in summary.results:
            pledge, j = result.pledge, result.judgement
            if not still_open(pledge.status, pledge.closed_on, as_of):
                continue
            # by the target's type name: a class test that fails costs ten times as much
            # on a pydantic model, over 68,000 pledges
            target, ref, status = pledge.target, pledge.ref, j.status
            if target.type == _DEADLINE:
                if status is Status.RED:
                    findings.append(Finding(code, ref, "deadline-missed", j.detail))
                elif status is Status.AMBER:
                    findings.append(Finding(code, ref, "deadline-due", j.detail))
            elif status is Status.RED:
                pct = f"{j.compliance_pct:.1f}%" if j.compliance_pct is not None else ""
                findings.append(
                    Finding(code, ref, "red", f"{pct} against '{result.target_text}' ({j.detail})")
                )
            if pledge.review_on is not None and pledge.review_on < today:
                findings.append(
                    Finding(code, ref, "review-overdue", f"review was due {pledge.review_on}")
                )
            # nor is a national commitment with no figure (N1, N2, N10): it asks for no log
            unlogged = pledge.kind is PledgeKind.NATIONAL and target.type == _NONE
            if target.type not in _WAIT and not unlogged:
                since = result.last_action or pledge.agreed_on
                unit = target.unit if isinstance(target, FrequencyTarget) else None
                if since is not None and is_stale(since, today, stale_days, unit, j.unit_met):
                    what = (
                        f"last action {result.last_action}"
                        if result.last_action
                        else "no action yet"
                    )
                    days = stale_after_days(stale_days, unit)
                    findings.append(Finding(code, ref, "stale", f"{what} (over {days} days)"))
    flagged = {(f.team, f.ref) for f in findings if f.kind in ("red", "deadline-missed")}
    findings.extend(_recently_ended_units(store, as_of, team_codes, flagged))
    scope = queries.Scope(tuple(s.team.code for s in summaries) if team_codes else None, as_of)
    for item in queries.open_items(store, scope):
        age, limit = item["age_s"], item["limit_s"]
        late = breached(age, limit)
        if not late and age <= limit - warn_minutes * 60:
            continue  # neither late nor near it: nothing to say
        received = short_datetime(datetime.fromisoformat(item["received_at"]), zone, as_of.year)
        if late:
            findings.append(
                Finding(
                    item["team"],
                    item["ref"],
                    "breached",
                    f"item {item['id']} received {received} open {format_duration(age / 60)} "
                    f"(limit {format_duration(limit / 60)})",
                )
            )
        else:
            findings.append(
                Finding(
                    item["team"],
                    item["ref"],
                    "due-soon",
                    f"item {item['id']} received {received} breaches in "
                    f"{format_duration((limit - age) / 60)}",
                )
            )
    return sorted(findings, key=_ORDER)
