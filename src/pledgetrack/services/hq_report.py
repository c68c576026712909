"""The force-wide report for headquarters, as data: the league, each team's pledges by
status, twelve months of each national commitment, and the teams that fell most.

Every figure comes from services.compliance.summarise and services.league, the same
judgements `summary` and `overview` print; nothing is recounted here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from statistics import fmean

from pledgetrack.atomicfile import is_database
from pledgetrack.domain.models import PledgeKind, national_number
from pledgetrack.domain.national import MEASURED, commitment
from pledgetrack.domain.periods import Period, month_period
from pledgetrack.domain.rules import RAG, Status, closed_in
from pledgetrack.domain.vocabulary import PledgeStatus
from pledgetrack.errors import DatabaseError, of_database
from pledgetrack.services.compliance import TeamSummary, period_ended, summarise
from pledgetrack.services.league import Line, from_summaries, league
from pledgetrack.services.rollup import OpenDatabase, Row, rollup
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import get_pledge, list_pledges

TREND_MONTHS = 12
FALLERS_SHOWN = 10
# Each measured commitment's figures in one month: number -> (compliance %, team code)
National = Mapping[int, Sequence[tuple[float, str]]]


@dataclass(frozen=True)
class Trend:
    """One national commitment month by month: the force average of teams' compliance and
    the worst team's, over the teams with a figure that month (None: no team had one)."""

    number: int
    title: str
    months: tuple[str, ...]  # `2008-10`
    average: tuple[float | None, ...]
    worst: tuple[float | None, ...]
    worst_team: tuple[str | None, ...]  # None: no team did worse than another
    teams_judged: tuple[int, ...]


@dataclass(frozen=True)
class Faller:
    team: str
    team_name: str
    before: float  # % of judged pledges green, the month before
    now: float

    @property
    def change(self) -> float:
        return round(self.now - self.before, 1)


@dataclass(frozen=True)
class Closed:
    """A pledge that closed during the period (rules.closed_in): how, and how the league
    counted it, so that a share of green moved by a withdrawal is seen, not guessed."""

    team: str
    ref: str
    title: str
    status: PledgeStatus  # achieved, not-achieved or withdrawn
    closed_on: date
    outcome: str | None  # as given to `pledge close`
    counted: Status  # its status in the period's league line
    detail: str  # why, as summary says it ("not judged: closed 25/11, before the month ended")
    last_judged: tuple[str, Status] | None  # (month label, status): latest month judged RAG


@dataclass(frozen=True)
class HqReport:
    period: Period
    as_of: datetime
    made: datetime  # when the report was made: its figures are the log as it stood then
    league: tuple[Line, ...]
    trends: tuple[Trend, ...]
    fallers: tuple[Faller, ...]
    compared: tuple[str, str]  # the two months the fallers compare
    closed: tuple[Closed, ...] = ()  # by team code, then closing day and ref
    ended: bool = True  # the period had ended at as-of (else every figure is provisional)
    sources: tuple[str, ...] = ()  # the databases and files rolled up (none: one database)
    # the `export summary` files among them, which do not say which of their pledges closed
    closings_unknown: tuple[str, ...] = ()
    # the teams whose closings are known, those a database given holds (None: every team,
    # a report of one database): the league's count of another team is not known, not 0
    closings_known: frozenset[str] | None = None


def last_months(end: date, count: int = TREND_MONTHS) -> list[Period]:
    """The `count` calendar months ending with the month holding `end`, oldest first."""
    months, year, month = [], end.year, end.month
    for _ in range(count):
        months.append(month_period(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def build_hq(store: Store, period: Period, as_of: datetime) -> HqReport:
    months = last_months(period.end)
    monthly = [summarise(store, month, as_of) for month in months]
    # a month's report (the usual case) is the last month of its own trend: judged once
    same = months[-1].start == period.start and months[-1].end == period.end
    judged = monthly[-1] if same else summarise(store, period, as_of)
    league = from_summaries(judged)
    national = [_national(summaries) for summaries in monthly]
    trends = tuple(_trend(n, months, national) for n in MEASURED)
    before, now = (from_summaries(monthly[-2]), from_summaries(monthly[-1]))
    return HqReport(
        period,
        as_of,
        store.clock(),
        tuple(league),
        trends,
        fallers(before, now),
        (months[-2].label, months[-1].label),
        closed_during(store, judged, months, monthly, as_of),
        all(r.ended for s in judged for r in s.results),
    )


def build_hq_from(
    inputs: Sequence[Path],
    period: Period,
    as_of: datetime,
    made: datetime,
    zone: tzinfo,
    open_database: OpenDatabase,
    note: Callable[[str], None] | None = None,
) -> HqReport:
    """The report of what HQ receives: team databases and `export summary` files, rolled
    up by services.rollup's rules (one home: the same figures once, final in place of
    provisional, conflicts and one-sided pledges refused or noted) for the period and the
    twelve months of its trends, then counted as `build_hq` counts a database. A file
    holds only the months it was exported for: the trends show what the sources hold."""
    months = last_months(period.end)
    same = months[-1].start == period.start and months[-1].end == period.end
    rows = rollup(inputs, months if same else [*months, period], period, as_of, open_database, note)
    spans: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        spans.setdefault((row["period_start"], row["period_end"]), []).append(row)

    def of(chosen: Period) -> list[Row]:
        return spans.get((chosen.start.isoformat(), chosen.end.isoformat()), [])

    monthly = [of(month) for month in months]
    judged = of(period)
    files = tuple(str(path) for path in inputs if not is_database(path))
    closings, known = _closings(
        [p for p in inputs if is_database(p)], period, as_of, open_database
    )
    return HqReport(
        period,
        as_of,
        made,
        tuple(league(judged)),
        tuple(_trend(n, months, [_national_rows(m) for m in monthly]) for n in MEASURED),
        fallers(league(monthly[-2]), league(monthly[-1])),
        (months[-2].label, months[-1].label),
        _closed_rows(judged, months, monthly, closings),
        period_ended(period, as_of, made, zone),
        tuple(str(path) for path in inputs),
        files,
        frozenset(known) if files else None,
    )


Closing = tuple[PledgeStatus, date, str | None]  # how, when, the outcome


def _closings(
    databases: Sequence[Path], period: Period, as_of: datetime, open_database: OpenDatabase
) -> tuple[dict[str, Closing], set[str]]:
    """The pledges of the databases that closed within the period (rules.closed_in), by
    ref, and the teams whose pledges the databases hold: an `export summary` row does not
    say, so only a database can."""
    found: dict[str, Closing] = {}
    teams: set[str] = set()
    for path in databases:
        try:
            with open_database(path) as store:
                for p in list_pledges(store):
                    teams.add(p.team)
                    day = closed_in(p.status, p.closed_on, period, as_of)
                    if day is not None:
                        found[p.ref] = (p.status, day, p.outcome)
        except DatabaseError as exc:  # which of the inputs, and its db check
            raise of_database(exc, path) from None
    return found, teams


def _closed_rows(
    judged: Sequence[Row],
    months: Sequence[Period],
    monthly: Sequence[Sequence[Row]],
    closings: Mapping[str, Closing],
) -> tuple[Closed, ...]:
    """`closed_during` for rolled-up rows: the period's rows whose pledge closed in it."""
    refs = {row["pledge"] for row in judged if row["pledge"] in closings}
    last = _last_judged(
        refs,
        (
            (month, r["pledge"], Status(r["status"]))
            for month, rows in zip(months, monthly, strict=True)
            for r in rows
        ),
    )
    closed = [
        Closed(
            row["team"],
            row["pledge"],
            row["pledge_title"] or "",
            closings[row["pledge"]][0],
            closings[row["pledge"]][1],
            closings[row["pledge"]][2],
            Status(row["status"]),
            row.get("detail") or "",
            last.get(row["pledge"]),
        )
        for row in judged
        if row["pledge"] in refs
    ]
    closed.sort(key=lambda c: (c.team, c.closed_on, c.ref))
    return tuple(closed)


def _last_judged(
    refs: set[str], judged: Iterable[tuple[Period, str, Status]]
) -> dict[str, tuple[str, Status]]:
    """Each ref's latest month judged green, amber or red, from (month, ref, status) in
    month order."""
    last: dict[str, tuple[str, Status]] = {}
    for month, ref, status in judged:
        if ref in refs and status in RAG:
            last[ref] = (month.label, status)
    return last


def closed_during(
    store: Store,
    judged: Sequence[TeamSummary],
    months: Sequence[Period],
    monthly: Sequence[Sequence[TeamSummary]],
    as_of: datetime,
) -> tuple[Closed, ...]:
    """The pledges of the period's league that closed within the period, by team, closing
    day and ref, each with its latest month judged green, amber or red (the trend months
    are already judged: nothing is recounted). Outcomes are read for these pledges only."""
    found = [
        (r, day)
        for s in judged
        for r in s.results
        if (day := closed_in(r.pledge.status, r.pledge.closed_on, r.period, as_of)) is not None
    ]
    if not found:
        return ()
    refs = {r.pledge.ref for r, _ in found}
    last = _last_judged(
        refs,
        (
            (month, r.pledge.ref, r.judgement.status)
            for month, summaries in zip(months, monthly, strict=True)
            for s in summaries
            for r in s.results
        ),
    )
    closed = [
        Closed(
            r.team.code,
            r.pledge.ref,
            r.pledge.title,
            r.pledge.status,
            day,
            get_pledge(store, r.pledge.ref).outcome,
            r.judgement.status,
            r.judgement.detail,
            last.get(r.pledge.ref),
        )
        for r, day in found
    ]
    closed.sort(key=lambda c: (c.team, c.closed_on, c.ref))
    return tuple(closed)


def worst_teams(figures: Sequence[tuple[float, str]]) -> str | None:
    """The team(s) with the lowest figure, as shown (to 0.1), joined by ", " when tied; None
    when no team did worse than another (all equal, or one team alone): naming a "worst"
    team at 100% beside two others at 100% would single it out for nothing."""
    shown = [(round(pct, 1), team) for pct, team in figures]
    low = min((pct for pct, _ in shown), default=None)
    if low is None or all(pct == low for pct, _ in shown):
        return None
    return ", ".join(sorted(team for pct, team in shown if pct == low))


def _national(summaries: Sequence[TeamSummary]) -> National:
    """A month's figures of each national commitment, from a database's summaries."""
    found: dict[int, list[tuple[float, str]]] = {}
    for s in summaries:
        for r in s.results:
            if r.pledge.kind is PledgeKind.NATIONAL and r.judgement.compliance_pct is not None:
                found.setdefault(r.pledge.seq, []).append((r.judgement.compliance_pct, s.team.code))
    return found


def _national_rows(rows: Sequence[Row]) -> National:
    """The same from rolled-up rows (`export summary`'s: the % to one decimal)."""
    found: dict[int, list[tuple[float, str]]] = {}
    for row in rows:
        number = national_number(row["pledge"], row["team"])
        if number is not None and row["compliance_pct"] is not None:
            found.setdefault(number, []).append((float(row["compliance_pct"]), row["team"]))
    return found


def _trend(number: int, months: Sequence[Period], monthly: Sequence[National]) -> Trend:
    average: list[float | None] = []
    worst: list[float | None] = []
    worst_team: list[str | None] = []
    judged: list[int] = []
    for national in monthly:
        figures = sorted(national.get(number, ()))
        judged.append(len(figures))
        average.append(round(fmean(f for f, _ in figures), 1) if figures else None)
        worst.append(round(figures[0][0], 1) if figures else None)
        worst_team.append(worst_teams(figures))
    return Trend(
        number,
        commitment(number).title,
        tuple(m.label for m in months),
        tuple(average),
        tuple(worst),
        tuple(worst_team),
        tuple(judged),
    )


def fallers(before: Sequence[Line], now: Sequence[Line]) -> tuple[Faller, ...]:
    """Teams whose share of green pledges fell, the biggest fall first (ties by team code);
    a team needs a figure in both months to be compared."""
    earlier = {line["team"]: line["green_pct"] for line in before}
    fell = [
        Faller(line["team"], line["team_name"], earlier[line["team"]], line["green_pct"])
        for line in now
        if line["green_pct"] is not None
        and earlier.get(line["team"]) is not None
        and line["green_pct"] < earlier[line["team"]]
    ]
    fell.sort(key=lambda f: (f.change, f.team))
    return tuple(fell[:FALLERS_SHOWN])
