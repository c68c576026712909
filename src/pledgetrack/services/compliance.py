"""Per-team, per-pledge compliance for a period, as things stood at an as-of moment.

The store aggregates (a handful of GROUP BY queries, whatever the number of actions);
domain.rules turns the aggregates into figures and RAG statuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from pledgetrack.domain import rules
from pledgetrack.domain.dates import localise
from pledgetrack.domain.models import Pledge, PledgeStatus, Team
from pledgetrack.domain.periods import Period, unit_end, unit_start
from pledgetrack.domain.rules import Judgement, Status
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    NoTarget,
    ResponseTarget,
    ShareTarget,
    Unit,
    describe,
)
from pledgetrack.store import queries
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import list_pledges
from pledgetrack.store.teams import get_team, list_teams


@dataclass(frozen=True)
class PledgeResult:
    team: Team
    pledge: Pledge
    period: Period
    judgement: Judgement
    last_action: date | None

    @property
    def target_text(self) -> str:
        return describe(self.pledge.target)

    def row(self) -> dict[str, object]:
        """One flat row: the columns of `export summary` (docs/export-schema.md), then detail."""
        j = self.judgement
        return {
            "force": self.team.force,
            "team": self.team.code,
            "team_name": self.team.name,
            "pledge": self.pledge.ref,
            "pledge_title": self.pledge.title,
            "pledge_type": self.pledge.target.type,
            "target": self.target_text,
            "period_start": self.period.start,
            "period_end": self.period.end,
            "actual": _number(j.actual),
            "expected": _number(j.expected),
            "compliance_pct": None if j.compliance_pct is None else round(j.compliance_pct, 1),
            "status": j.status.value,
            "last_action": self.last_action,
            "detail": j.detail,
        }


@dataclass
class TeamSummary:
    team: Team
    period: Period
    results: list[PledgeResult] = field(default_factory=list)

    def count_status(self, status: Status | str) -> int:
        return sum(r.judgement.status == status for r in self.results)

    @property
    def green_share_pct(self) -> float | None:
        return rules.share_green([r.judgement.status for r in self.results])


def _number(value: float | None) -> float | int | None:
    """Counts print as counts (8, not 8.0); hours keep their fraction."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def select_teams(store: Store, codes: list[str] | None) -> list[Team]:
    """The teams asked for, else every team: an archived one still has its past to report."""
    if codes:
        return [get_team(store, code) for code in dict.fromkeys(codes)]
    return list_teams(store, include_archived=True)


def summarise(
    store: Store, period: Period, as_of: datetime, team_codes: list[str] | None = None
) -> list[TeamSummary]:
    teams = select_teams(store, team_codes)
    scope = queries.Scope(tuple(t.code for t in teams) if team_codes else None, as_of)
    pledges_by_team: dict[str, list[Pledge]] = {t.code: [] for t in teams}
    for pledge in list_pledges(store, teams=scope.teams):
        if pledge.team in pledges_by_team and rules.active_during(
            pledge.agreed_on, pledge.closed_on, period, as_of
        ):
            pledges_by_team[pledge.team].append(pledge)
    in_scope = [p for ps in pledges_by_team.values() for p in ps]

    counts = _frequency_counts(store, scope, period, as_of, in_scope)
    responses = queries.response_stats(store, scope, period)
    shares = queries.share_hours(store, scope, period)
    deadline_cut = min(as_of, end_of_period(period, as_of))
    deadlines = queries.deadline_actions(store, queries.Scope(scope.teams, deadline_cut))
    # only a pledge judged by no target shows its count (rules.not_measured)
    activity = queries.activity(store, scope, period, counted=(NoTarget().type,))

    summaries = []
    for team in teams:
        summary = TeamSummary(team, period)
        for pledge in pledges_by_team[team.code]:
            n_actions, last = activity.get(pledge.ref, (0, None))
            judgement = _judge(
                pledge, period, as_of, deadline_cut, counts, responses, shares, deadlines, n_actions
            )
            summary.results.append(
                PledgeResult(
                    team, pledge, period, judgement, date.fromisoformat(last[:10]) if last else None
                )
            )
        if summary.results or team.active or team_codes:
            summaries.append(summary)
    return summaries


def end_of_period(period: Period, as_of: datetime) -> datetime:
    """The last second of the period, in as-of's zone: deadlines are judged at the earlier."""
    assert as_of.tzinfo is not None
    midnight = localise(period.end + timedelta(days=1), time(0), as_of.tzinfo)
    return midnight - timedelta(seconds=1)


def _frequency_counts(
    store: Store, scope: queries.Scope, period: Period, as_of: datetime, pledges: list[Pledge]
) -> dict[str, dict[date, int]]:
    """Date ranges per unit in use, covering units that straddle the period's edges."""
    ranges: dict[Unit, tuple[date, date]] = {}
    units = {p.target.unit for p in pledges if isinstance(p.target, FrequencyTarget)}
    for unit in sorted(units, key=list(Unit).index):
        start, end = unit_start(unit, period.start), period.end
        if period.contains(as_of.date()):  # the unit in progress may run past the period
            end = max(end, unit_end(unit, unit_start(unit, as_of.date())))
        ranges[unit] = (start, end)
    return queries.frequency_counts(store, scope, ranges)


def _judge(
    pledge: Pledge,
    period: Period,
    as_of: datetime,
    deadline_cut: datetime,
    counts: dict[str, dict[date, int]],
    responses: dict[str, queries.ResponseStats],
    shares: dict[str, tuple[float, float]],
    deadlines: dict[str, dict[bool, tuple[int, date]]],
    n_actions: int,
) -> Judgement:
    target = pledge.target
    if isinstance(target, FrequencyTarget):
        assert pledge.agreed_on is not None  # active_during() checked it
        units = rules.judged_units(target, period, as_of, pledge.agreed_on, pledge.closed_on)
        per_unit = counts.get(pledge.ref, {})
        current = rules.unit_in_progress(target, period, as_of)
        progress = (current[0], per_unit.get(current[0], 0)) if current else None
        return rules.judge_frequency(target, units, per_unit, progress)
    if isinstance(target, ResponseTarget):
        stats = responses.get(pledge.ref, queries.ResponseStats())
        return rules.judge_response(
            target, stats.met, stats.breached, stats.pending, stats.median_s, stats.worst_s
        )
    if isinstance(target, ShareTarget):
        inside, total = shares.get(pledge.ref, (0.0, 0.0))
        return rules.judge_share(target, inside, total)
    if isinstance(target, DeadlineTarget):
        closed = rules.effective_closed_on(pledge.closed_on, deadline_cut)
        achieved = closed if pledge.status is PledgeStatus.ACHIEVED else None
        delivery = rules.deadline_delivery(deadlines.get(pledge.ref, {}), achieved)
        return rules.judge_deadline(target, delivery, deadline_cut.date())
    return rules.not_measured(n_actions)
