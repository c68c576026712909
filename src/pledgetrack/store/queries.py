"""Aggregates for compliance reports: GROUP BY in SQLite, only summary rows reach Python.

Stored times are local ISO 8601 with their UTC offset, so:
- a local calendar day is `substr(occurred_at, 1, 10)`, and range tests on the text use
  the index on occurred_at;
- real elapsed time is `strftime('%s', ...)`, which SQLite converts to UTC seconds, so a
  24-hour limit across the October clock change is 24 real hours.
All values are bound parameters; the only SQL text chosen at run time comes from the
constant tables below, keyed by our own enums.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pledgetrack.domain.periods import Period
from pledgetrack.domain.targets import Unit
from pledgetrack.store.connection import Store

_DAY = "substr(a.occurred_at, 1, 10)"
UNIT_START_SQL = {
    Unit.DAY: _DAY,
    Unit.WEEK: (
        f"date({_DAY}, '-' || ((CAST(strftime('%w', {_DAY}) AS INTEGER) + 6) % 7) || ' days')"
    ),
    Unit.MONTH: f"substr({_DAY}, 1, 7) || '-01'",
    Unit.QUARTER: (
        f"substr({_DAY}, 1, 4) || '-' || "
        f"printf('%02d', ((CAST(substr({_DAY}, 6, 2) AS INTEGER) - 1) / 3) * 3 + 1) || '-01'"
    ),
}
_EPOCH = "CAST(strftime('%s', {}) AS INTEGER)"
# A pledge is in force for an item on a local day if agreed by then and not closed before it
# (a close recorded after as-of does not count yet).
_IN_FORCE = (
    "{day} >= p.agreed_on AND (p.closed_on IS NULL OR p.closed_on > :as_of_day "
    "OR {day} <= p.closed_on)"
)


@dataclass(frozen=True)
class Scope:
    """Which teams (None: all) and the as-of instant every aggregate is cut at."""

    teams: tuple[str, ...] | None
    as_of: datetime

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "as_of": int(self.as_of.timestamp()),
            "as_of_day": self.as_of.date().isoformat(),
        }
        for i, code in enumerate(self.teams or ()):
            params[f"team{i}"] = code
        return params

    def team_clause(self, table: str = "a") -> str:
        """Restrict `table` (alias of actions or pledges) to the scope's teams."""
        if self.teams is None:
            return ""
        marks = ", ".join(f":team{i}" for i in range(len(self.teams)))
        return f" AND {table}.team_id IN (SELECT id FROM teams WHERE code IN ({marks}))"  # noqa: S608  # placeholders only


def _day_after(day: date) -> str:
    return (day + timedelta(days=1)).isoformat()


def frequency_counts(
    store: Store, scope: Scope, ranges: dict[Unit, tuple[date, date]]
) -> dict[str, dict[date, int]]:
    """Non-void actions per frequency pledge (of its action kind) per unit, by unit's first day.

    One pass for every unit in use: each pledge seeks its own date range on the
    (pledge_id, occurred_at) index, the range chosen by the pledge's unit.
    """
    if not ranges:
        return {}
    units = list(ranges)
    case = " ".join(f"WHEN '{u.value}' THEN {{}}" for u in units)
    starts = case.format(*(f":start_{u.value}" for u in units))
    ends = case.format(*(f":end_{u.value}" for u in units))
    sql = f"""
        SELECT p.ref AS ref, CASE p.target_unit {case.format(*(UNIT_START_SQL[u] for u in units))}
               END AS unit_start, COUNT(*) AS n
        FROM pledges p JOIN actions a ON a.pledge_id = p.id
        WHERE p.target_type = 'frequency'
          AND p.target_unit IN ({", ".join(f"'{u.value}'" for u in units)})
          AND a.occurred_at >= CASE p.target_unit {starts} END
          AND a.occurred_at < CASE p.target_unit {ends} END
          AND a.voided_at IS NULL
          AND {_EPOCH.format("a.occurred_at")} <= :as_of
          AND (p.target_action_kind IS NULL OR a.kind = p.target_action_kind)
          {scope.team_clause()}
        GROUP BY a.pledge_id, unit_start
    """  # noqa: S608  # fragments are our constants and enum values; values are bound
    params = scope.params()
    for unit, (start, end) in ranges.items():
        params[f"start_{unit.value}"] = start.isoformat()
        params[f"end_{unit.value}"] = _day_after(end)
    counts: dict[str, dict[date, int]] = defaultdict(dict)
    for row in store.db.query(sql, params):
        counts[row["ref"]][date.fromisoformat(row["unit_start"])] = row["n"]
    return counts


@dataclass(frozen=True)
class ResponseStats:
    met: int = 0
    breached: int = 0
    pending: int = 0
    median_s: float | None = None
    worst_s: float | None = None


def response_stats(store: Store, scope: Scope, period: Period) -> dict[str, ResponseStats]:
    """Items received in the period, judged as things stood at as-of."""
    received_day = "substr(a.received_at, 1, 10)"
    sql = f"""
        WITH items AS (
            SELECT p.ref AS ref,
                   {_EPOCH.format("a.received_at")} AS recv,
                   CASE WHEN a.occurred_at IS NOT NULL
                             AND {_EPOCH.format("a.occurred_at")} <= :as_of
                        THEN {_EPOCH.format("a.occurred_at")} END AS done,
                   p.target_within_minutes * 60 AS lim
            FROM actions a JOIN pledges p ON p.id = a.pledge_id
            WHERE p.target_type = 'response' AND a.voided_at IS NULL
              AND a.received_at >= :start AND a.received_at < :end
              AND {_EPOCH.format("a.received_at")} <= :as_of
              AND {_IN_FORCE.format(day=received_day)}
              {scope.team_clause()}
        ),
        judged AS (
            SELECT ref, done - recv AS elapsed,
                   CASE WHEN done IS NOT NULL AND done - recv <= lim THEN 'met'
                        WHEN done IS NOT NULL OR :as_of - recv > lim THEN 'breached'
                        ELSE 'pending' END AS outcome
            FROM items
        ),
        ranked AS (
            SELECT ref, elapsed,
                   ROW_NUMBER() OVER (PARTITION BY ref ORDER BY elapsed) AS rn,
                   COUNT(*) OVER (PARTITION BY ref) AS n
            FROM judged WHERE elapsed IS NOT NULL
        ),
        medians AS (
            SELECT ref, AVG(elapsed) AS median FROM ranked
            WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY ref
        )
        SELECT j.ref AS ref,
               SUM(j.outcome = 'met') AS met,
               SUM(j.outcome = 'breached') AS breached,
               SUM(j.outcome = 'pending') AS pending,
               MAX(j.elapsed) AS worst,
               m.median AS median
        FROM judged j LEFT JOIN medians m ON m.ref = j.ref
        GROUP BY j.ref
    """  # noqa: S608  # fragments are our constants; values are bound
    params = {**scope.params(), "start": period.start.isoformat(), "end": _day_after(period.end)}
    return {
        row["ref"]: ResponseStats(
            row["met"], row["breached"], row["pending"], row["median"], row["worst"]
        )
        for row in store.db.query(sql, params)
    }


def share_hours(store: Store, scope: Scope, period: Period) -> dict[str, tuple[float, float]]:
    """(hours in the neighbourhood, all hours) per share pledge over actions carrying hours."""
    sql = f"""
        SELECT p.ref AS ref,
               TOTAL(CASE WHEN a.abstracted = 0 THEN a.hours ELSE 0 END) AS inside,
               TOTAL(a.hours) AS total
        FROM actions a JOIN pledges p ON p.id = a.pledge_id
        WHERE p.target_type = 'share' AND a.voided_at IS NULL AND a.hours IS NOT NULL
          AND a.occurred_at >= :start AND a.occurred_at < :end
          AND {_EPOCH.format("a.occurred_at")} <= :as_of
          AND {_IN_FORCE.format(day=_DAY)}
          {scope.team_clause()}
        GROUP BY a.pledge_id
    """  # noqa: S608  # fragments are our constants; values are bound
    params = {**scope.params(), "start": period.start.isoformat(), "end": _day_after(period.end)}
    return {row["ref"]: (row["inside"], row["total"]) for row in store.db.query(sql, params)}


def first_action_days(store: Store, scope: Scope) -> dict[str, date]:
    """Local day of the first non-void action of each deadline pledge, up to as-of."""
    # driven from the (few) deadline pledges, each a seek on (pledge_id, occurred_at)
    sql = f"""
        SELECT p.ref AS ref,
               (SELECT a.occurred_at FROM actions a
                 WHERE a.pledge_id = p.id AND a.voided_at IS NULL AND a.occurred_at IS NOT NULL
                   AND {_EPOCH.format("a.occurred_at")} <= :as_of
                 ORDER BY a.occurred_at LIMIT 1) AS first
        FROM pledges p
        WHERE p.target_type = 'deadline' {scope.team_clause("p")}
    """  # noqa: S608  # fragments are our constants; values are bound
    return {
        row["ref"]: date.fromisoformat(row["first"][:10])
        for row in store.db.query(sql, scope.params())
        if row["first"]
    }


def activity(store: Store, scope: Scope, period: Period) -> dict[str, tuple[int, str | None]]:
    """(non-void actions in the period, last non-void action up to the period's end) per pledge."""
    sql = f"""
        SELECT p.ref AS ref,
               (SELECT COUNT(*) FROM actions a
                 WHERE a.pledge_id = p.id AND a.voided_at IS NULL
                   AND a.occurred_at >= :start AND a.occurred_at < :end
                   AND {_EPOCH.format("a.occurred_at")} <= :as_of) AS n,
               (SELECT a.occurred_at FROM actions a
                 WHERE a.pledge_id = p.id AND a.voided_at IS NULL
                   AND a.occurred_at IS NOT NULL AND a.occurred_at < :end
                   AND {_EPOCH.format("a.occurred_at")} <= :as_of
                 ORDER BY a.occurred_at DESC LIMIT 1) AS last
        FROM pledges p
        WHERE 1 = 1 {scope.team_clause("p")}
    """  # noqa: S608  # fragments are our constants; values are bound
    params = {**scope.params(), "start": period.start.isoformat(), "end": _day_after(period.end)}
    return {row["ref"]: (row["n"], row["last"]) for row in store.db.query(sql, params)}


def open_items(store: Store, scope: Scope) -> list[dict[str, Any]]:
    """Response items not dealt with by as-of (few by nature): for `check` and near-breach lists."""
    sql = f"""
        SELECT a.id AS id, t.code AS team, p.ref AS ref, a.description AS description,
               a.received_at AS received_at,
               :as_of - {_EPOCH.format("a.received_at")} AS age_s,
               p.target_within_minutes * 60 AS limit_s
        FROM actions a JOIN pledges p ON p.id = a.pledge_id JOIN teams t ON t.id = a.team_id
        WHERE p.target_type = 'response' AND a.voided_at IS NULL
          AND a.received_at IS NOT NULL
          AND {_EPOCH.format("a.received_at")} <= :as_of
          AND (a.occurred_at IS NULL OR {_EPOCH.format("a.occurred_at")} > :as_of)
          AND (p.status = 'active' OR p.closed_on > :as_of_day)
          AND substr(a.received_at, 1, 10) >= p.agreed_on
          {scope.team_clause()}
        ORDER BY a.received_at
    """  # noqa: S608  # fragments are our constants; values are bound
    return list(store.db.query(sql, scope.params()))
