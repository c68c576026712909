"""Per-team, per-pledge compliance for a period, as things stood at an as-of moment.

The store aggregates (a handful of GROUP BY queries, whatever the number of actions);
domain.rules turns the aggregates into figures and RAG statuses. A national report judges
72,000 pledges, so the loop here does per pledge only what that pledge needs: a lookup of
its aggregates and one rule call, with the shared work (a unit's judged days, a target's
words) done once per report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import NamedTuple

from pledgetrack.domain import rules
from pledgetrack.domain.dates import localise
from pledgetrack.domain.models import PledgeRecord, PledgeStatus, Team
from pledgetrack.domain.periods import Period, unit_end, unit_start
from pledgetrack.domain.rules import Judgement, Status
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    NoTarget,
    ResponseTarget,
    ShareTarget,
    Target,
    Unit,
    describe,
)
from pledgetrack.store import queries
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import list_pledge_records
from pledgetrack.store.stored_times import refuse_unplaced, unreadable
from pledgetrack.store.stored_values import refuse_untimed
from pledgetrack.store.teams import get_team, list_teams

# The columns of `export summary`, in order: the promise of docs/export-schema.md, so
# columns are only ever added at the end (a spreadsheet reading them by position keeps
# working). A PledgeResult's values are these, then detail.
EXPORT_FIELDS = (
    "force",
    "team",
    "team_name",
    "pledge",
    "pledge_title",
    "pledge_type",
    "target",
    "period_start",
    "period_end",
    "actual",
    "expected",
    "compliance_pct",
    "status",
    "last_action",
    "figures",
)
ROW_FIELDS = (*EXPORT_FIELDS, "detail")

# A target in words, worked out once per target object: a report's pledges share their
# targets (store.pledges gives equal targets one object) and few are distinct. Looked up
# by identity (a frozen pydantic model hashes its fields in Python, a cost per row of
# `export summary`), each entry holding its target so that no other object can take its id.
_TARGET_TEXTS: dict[int, tuple[Target, str]] = {}


def target_text(target: Target) -> str:
    known = _TARGET_TEXTS.get(id(target))
    if known is None:
        if len(_TARGET_TEXTS) >= 4096:
            _TARGET_TEXTS.clear()
        known = _TARGET_TEXTS[id(target)] = (target, describe(target))
    return known[1]


class PledgeResult(NamedTuple):
    """One pledge judged for one period (a tuple: 72,000 of them make a national report)."""

    team: Team
    pledge: PledgeRecord
    period: Period
    judgement: Judgement
    last_action: date | None
    ended: bool  # the period had ended at as-of (its figures final but for pending items)

    @property
    def figures(self) -> rules.Figures:
        return rules.figures(self.ended, self.judgement)

    @property
    def target_text(self) -> str:
        return target_text(self.pledge.target)

    def values(self) -> tuple[object, ...]:
        """The ROW_FIELDS, in order: what `export summary` writes, without a dict per row."""
        j, pledge, team = self.judgement, self.pledge, self.team
        return (
            team.force,
            team.code,
            team.name,
            pledge.ref,
            pledge.title,
            pledge.target.type,
            target_text(pledge.target),
            self.period.start,
            self.period.end,
            figure_number(j.actual),
            figure_number(j.expected),
            None if j.compliance_pct is None else round(j.compliance_pct, 1),
            j.status.value,
            self.last_action,
            self.figures.value,
            j.detail,
        )

    def row(self) -> dict[str, object]:
        """One flat row: the columns of `export summary` (docs/export-schema.md), then detail."""
        return dict(zip(ROW_FIELDS, self.values(), strict=True))


@dataclass
class TeamSummary:
    team: Team
    period: Period
    results: list[PledgeResult] = field(default_factory=list)
    ended: bool = False  # the period had ended at as-of (PledgeResult.ended, for no result)

    def count_status(self, status: Status | str) -> int:
        return sum(r.judgement.status == status for r in self.results)

    @property
    def unrecorded(self) -> int:
        """Pledges with no record where one was due (rules.unrecorded: no hours logged)."""
        return sum(rules.unrecorded(r.pledge.target.type, r.judgement.status) for r in self.results)

    @property
    def green_share_pct(self) -> float | None:
        return rules.share_green([r.judgement.status for r in self.results], self.unrecorded)


def figure_number(value: float | None) -> float | int | None:
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
    store: Store,
    period: Period,
    as_of: datetime,
    team_codes: list[str] | None = None,
    *,
    last_action: bool = True,
    words: bool = True,
    only: Callable[[Target], bool] | None = None,
) -> list[TeamSummary]:
    """Every pledge in force during `period`, judged as things stood at `as_of`, by team.

    `last_action=False` leaves each result's last_action None and saves a seek per pledge
    (`overview` shows no dates); `words=False` leaves each pledge's title "" and meeting
    None, unread (`overview` and `check` show neither); `only` judges only the pledges
    whose target it accepts (check's last-quarter pass wants quarterly pledges alone),
    and runs only their aggregates.
    """
    teams = select_teams(store, team_codes)
    scope = queries.Scope(tuple(t.code for t in teams) if team_codes else None, as_of)
    pledges_by_team: dict[str, list[PledgeRecord]] = {t.code: [] for t in teams}
    # in force during the period: decided once for each agreed and closing day, which
    # thousands of pledges share
    active = lru_cache(maxsize=None)(
        lambda agreed, closed: rules.active_during(agreed, closed, period, as_of)
    )
    for pledge in list_pledge_records(store, teams=scope.teams, words=words):
        own = pledges_by_team.get(pledge.team)
        if (
            own is not None
            and active(pledge.agreed_on, pledge.closed_on)
            and (only is None or only(pledge.target))
        ):
            own.append(pledge)
    in_scope = [p for ps in pledges_by_team.values() for p in ps]
    judge = _Judge(store, scope, period, in_scope, last_action)
    last, ended = judge.last_action, judge.ended

    summaries = []
    for team in teams:
        summary = TeamSummary(team, period, ended=ended)
        own = pledges_by_team[team.code]
        summary.results = (
            [PledgeResult(team, p, period, judge(p), last(p.ref), ended) for p in own]
            if last_action
            else [PledgeResult(team, p, period, judge(p), None, ended) for p in own]
        )
        if summary.results or team.active or team_codes:
            summaries.append(summary)
    return summaries


def end_of_period(period: Period, zone: tzinfo) -> datetime:
    """The first instant after the period's last local day in `zone` (the zone the teams
    work in, not as-of's fixed offset, which is an hour out across a clock change). A
    period that has ended judges its deadlines at this moment, so one due on its last day
    and not delivered by then is missed in that period's report, not "due today"."""
    return localise(period.end + timedelta(days=1), time(0), zone)


def period_ended(period: Period, as_of: datetime, now: datetime, zone: tzinfo) -> bool:
    """Whether the period had ended at as-of: at that instant as-of exactly midnight after
    its last day (the usual --as-of, a date) is after it; and it has ended now, too: an
    --as-of still to come (FRESH4 G19) judges days not yet lived, whose figures are to come."""
    end = end_of_period(period, zone)
    return as_of >= end and now >= end


class _Judge:
    """The period's aggregates, read once, and the rule each pledge is judged by."""

    def __init__(
        self,
        store: Store,
        scope: queries.Scope,
        period: Period,
        pledges: list[PledgeRecord],
        last_action: bool,
    ) -> None:
        as_of = scope.as_of
        self.period, self.as_of = period, as_of
        types = {p.target.type for p in pledges}
        zone = store.clock().tzinfo or as_of.tzinfo
        assert zone is not None
        # deadlines: judged at as-of or at the period's end, the earlier, on what was
        # recorded before that end (an action at midnight belongs to the next period)
        end = end_of_period(period, zone)
        self.ended = period_ended(period, as_of, store.clock(), zone)
        self.deadline_day = min(as_of, end).date()
        self.deadline_cut = min(as_of, end - timedelta(seconds=1))
        # an action whose time sorts outside every period would be passed over: refused
        refuse_unplaced(store, scope.teams)
        # nor may one lack the time its pledge is judged by (db check lists it too)
        refuse_untimed(store, scope.teams, period.start, period.end)
        self.counts = _frequency_counts(store, scope, period, as_of, pledges)
        self.responses = (
            queries.response_stats(store, scope, period) if "response" in types else {}
        )
        self.shares = queries.share_hours(store, scope, period) if "share" in types else {}
        self.deadlines = (
            queries.deadline_actions(store, queries.Scope(scope.teams, self.deadline_cut))
            if "deadline" in types
            else {}
        )
        # only a pledge judged by no target shows its count (rules.not_measured)
        none = NoTarget().type
        counted = (none,) if none in types else ()
        self.activity = (
            queries.activity(store, scope, period, counted, last=last_action)
            if last_action or counted
            else {}
        )
        self.with_last_action = last_action
        # pledges with the same target and tally share one judgement (rules.judge_frequency)
        self._frequency_memo: rules.FrequencyMemo = {}
        # per unit and agreed and closing day: the judged units, the unit in progress' first day
        self._units: dict[
            tuple[Unit, date, date | None], tuple[list[tuple[date, date]], date | None, str]
        ] = {}
        self._by_type: dict[str, Callable[[PledgeRecord], Judgement]] = {
            "frequency": self._frequency,
            "response": self._response,
            "share": self._share,
            "deadline": self._deadline,
        }

    def __call__(self, pledge: PledgeRecord) -> Judgement:
        return self._by_type.get(pledge.target.type, self._none)(pledge)

    def last_action(self, ref: str) -> date | None:
        if not self.with_last_action:
            return None
        last = self.activity.get(ref, (0, None))[1]
        try:
            return date.fromisoformat(last[:10]) if last else None
        except ValueError:  # a time another tool wrote
            raise unreadable("actions", "occurred_at", f"an action of {ref}", last) from None

    def _frequency(self, pledge: PledgeRecord) -> Judgement:
        target = pledge.target
        assert isinstance(target, FrequencyTarget) and pledge.agreed_on is not None
        # the judged units and the unit in progress depend on the unit and the pledge's
        # agreed and closing days only: worked out once for each, not per pledge
        key = (target.unit, pledge.agreed_on, pledge.closed_on)
        shared = self._units.get(key)
        if shared is None:
            units = rules.judged_units(
                target, self.period, self.as_of, pledge.agreed_on, pledge.closed_on
            )
            current = rules.unit_in_progress(target, self.period, self.as_of)
            why = "" if units else rules.not_judged(
                target.unit, self.period, self.as_of, pledge.agreed_on, pledge.closed_on
            )
            shared = self._units[key] = (units, None if current is None else current[0], why)
        units, first, why = shared
        per_unit = self.counts.get(pledge.ref, _NO_COUNTS)
        progress = None if first is None else (first, per_unit.get(first, 0))
        return rules.judge_frequency(
            target, units, per_unit, progress, why, memo=self._frequency_memo
        )

    def _response(self, pledge: PledgeRecord) -> Judgement:
        target = pledge.target
        assert isinstance(target, ResponseTarget)
        stats = self.responses.get(pledge.ref, _NO_RESPONSES)
        return rules.judge_response(
            target, stats.met, stats.breached, stats.pending, stats.median_s, stats.worst_s,
            stats.open_s,
        )  # fmt: skip

    def _share(self, pledge: PledgeRecord) -> Judgement:
        target = pledge.target
        assert isinstance(target, ShareTarget)
        inside, total = self.shares.get(pledge.ref, (0.0, 0.0))
        return rules.judge_share(target, inside, total)

    def _deadline(self, pledge: PledgeRecord) -> Judgement:
        target = pledge.target
        assert isinstance(target, DeadlineTarget)
        closed = rules.effective_closed_on(pledge.closed_on, self.deadline_cut)
        achieved = closed if pledge.status is PledgeStatus.ACHIEVED else None
        delivery = rules.deadline_delivery(self.deadlines.get(pledge.ref, {}), achieved)
        return rules.judge_deadline(target, delivery, self.deadline_day, self.period.start)

    def _none(self, pledge: PledgeRecord) -> Judgement:
        return rules.not_measured(self.activity.get(pledge.ref, (0, None))[0])


_NO_RESPONSES = queries.ResponseStats()
_NO_COUNTS: dict[date, int] = {}


def _frequency_counts(
    store: Store, scope: queries.Scope, period: Period, as_of: datetime, pledges: list[PledgeRecord]
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
