"""Aggregates for compliance reports: GROUP BY in SQLite, only summary rows reach Python.

Stored times are local ISO 8601 with their UTC offset, so:
- a local calendar day is `substr(occurred_at, 1, 10)`, and range tests on the text use
  the index on occurred_at;
- real elapsed time is `unixepoch(...)`, which SQLite converts to UTC seconds, so a
  24-hour limit across the October clock change is 24 real hours.
All values are bound parameters; the only SQL text chosen at run time comes from the
constant tables below, keyed by our own enums.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from pledgetrack.domain.national import CONTACT_OPENS_ITEM
from pledgetrack.domain.periods import Period, unit_end, unit_start
from pledgetrack.domain.rules import DAY_S
from pledgetrack.domain.targets import Unit
from pledgetrack.store import stored_values
from pledgetrack.store.connection import Store
from pledgetrack.store.stored_times import unreadable
from pledgetrack.store.stored_values import FLAG_OK_SQL, HOURS_OK_SQL

# A stored time's local calendar day, as ISO text (tests/test_sql_rules.py)
LOCAL_DAY_SQL = "substr({col}, 1, 10)"
_DAY = LOCAL_DAY_SQL.format(col="a.occurred_at")


# A stored time as UTC epoch seconds. The response items' index holds their two times in
# exactly this form (schema 10), so a query that writes it reads the value from the index
# instead of converting the text (tests/test_query_plans.py). strftime, not unixepoch():
# an index over unixepoch() could not be read by an SQLite older than 3.38.
EPOCH_SQL = "CAST(strftime('%s', {}) AS INTEGER)"
# A stored time at or before as-of. Converting text to an instant costs more than the rest
# of a row's work, so a local day before `:settled` (two days before as-of's UTC date,
# which no UTC offset can bring up to as-of) is taken as settled without converting.
BY_AS_OF_SQL = "({col} < :settled OR " + EPOCH_SQL.format("{col}") + " <= :as_of)"
# SQL forms of rules whose one definition is in domain.rules; tests/test_sql_rules.py
# evaluates each beside its Python definition over the same constructed rows.
# rules.in_force_on: agreed by the local day, and not closed before it (a close recorded
# after as-of does not count yet)
IN_FORCE_SQL = (
    "{day} >= p.agreed_on AND (p.closed_on IS NULL OR p.closed_on > :as_of_day "
    "OR {day} <= p.closed_on)"
)
# rules.still_open: the pledge had not been closed as things stood at as-of
STILL_OPEN_SQL = "(p.status = 'active' OR p.closed_on IS NULL OR p.closed_on > :as_of_day)"
# rules.response_outcome, over seconds as rules.clock_s counts them: recv, done (NULL: not
# dealt with by as-of), lim, now (as-of)
OUTCOME_SQL = (
    "CASE WHEN {done} IS NOT NULL AND {done} - {recv} <= {lim} THEN 'met' "
    "WHEN {done} IS NOT NULL OR {now} - {recv} > {lim} THEN 'breached' "
    "ELSE 'pending' END"
)
# rules.by_the_clock: a victim's contact (N9's item) whose limit ({lim}, seconds) is whole
# days is counted in calendar days of the team's clock
ON_CLOCK_SQL = (
    f"(p.kind = 'national' AND p.seq = {CONTACT_OPENS_ITEM} AND ({{lim}}) % {DAY_S} = 0)"
)
# A stored time's UTC offset in seconds, read from its text (`+01:00` is 3600): with it
# the epoch seconds become rules.clock_s's wall-clock seconds. Every stored time carries
# the database zone's offset then (stored_times, zones.misfits lists any other; such a
# row is counted by its own wall clock, as its local day is by its own text); the text
# is in the response items' index, so nothing is looked up in the table
OFFSET_SQL = (
    "((CASE substr({col}, 20, 1) WHEN '-' THEN -1 ELSE 1 END) "
    "* (substr({col}, 21, 2) * 3600 + substr({col}, 24, 2) * 60))"
)


def clock_sql(epoch: str, col: str, on_clock: str) -> str:
    """rules.clock_s in SQL: `epoch` (the time's epoch seconds), its wall clock's seconds
    where `on_clock` holds."""
    return f"({epoch} + CASE WHEN {on_clock} THEN {OFFSET_SQL.format(col=col)} ELSE 0 END)"


def clock_now_sql(on_clock: str) -> str:
    """As-of as clock_sql counts it (:as_of and its offset, :as_of_offset)."""
    return f"(:as_of + CASE WHEN {on_clock} THEN :as_of_offset ELSE 0 END)"

# An item's limit in seconds (the {lim} of OUTCOME_SQL): its pledge's, but a victim's
# contact (N9) by the frequency agreed with the victim where one was (schema 16:
# victim_contacts.every_days, in force from that contact), looked up for N9's items alone
ITEM_LIMIT_SQL = (
    f"(CASE WHEN p.kind = 'national' AND p.seq = {CONTACT_OPENS_ITEM} THEN "  # noqa: S608  # our constants
    "coalesce((SELECT v.every_days * 1440 FROM victim_contacts v WHERE v.action_id = a.id), "
    "p.target_within_minutes) ELSE p.target_within_minutes END * 60)"
)
# The pledges in scope drive every aggregate: CROSS JOIN keeps `pledges` the outer loop, so
# each pledge seeks its own rows on an (pledge_id, ...) index and a one-team report reads
# that team's rows only (tests/test_query_plans.py asserts the plans).
_PLEDGES = "pledges p CROSS JOIN actions a"


@dataclass(frozen=True)
class Scope:
    """Which teams (None: all) and the as-of instant every aggregate is cut at."""

    teams: tuple[str, ...] | None
    as_of: datetime

    def params(self) -> dict[str, Any]:
        settled = self.as_of.astimezone(UTC).date() - timedelta(days=1)
        offset = self.as_of.utcoffset()
        params: dict[str, Any] = {
            "as_of": int(self.as_of.timestamp()),
            "as_of_offset": 0 if offset is None else int(offset.total_seconds()),
            "as_of_day": self.as_of.date().isoformat(),
            "settled": settled.isoformat(),
        }
        for i, code in enumerate(self.teams or ()):
            params[f"team{i}"] = code
        return params

    def team_clause(self) -> str:
        """Restrict the pledges (`p`) to the scope's teams: the filter that drives the query."""
        if self.teams is None:
            return ""
        marks = ", ".join(f":team{i}" for i in range(len(self.teams)))
        return f" AND p.team_id IN (SELECT id FROM teams WHERE code IN ({marks}))"  # noqa: S608  # placeholders only


def _day_after(day: date) -> str:
    return (day + timedelta(days=1)).isoformat()


def _execute(store: Store, sql: str, params: dict[str, Any]) -> sqlite3.Cursor:
    """Every report statement runs here (tests/test_query_plans.py explains each one)."""
    return store.conn.execute(sql, params)


def _rows(store: Store, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Plain tuples off the cursor: a dict per row (sqlite-utils' `query`) costs more than
    the aggregate itself at national scale."""
    return _execute(store, sql, params).fetchall()


# A range of at most this many units is counted in SQL between the units' first days; a
# longer one (the days of a month) lists each action's local day instead. A comparison per
# row per boundary costs far less than listing a day, up to about this many.
MOST_UNITS_COUNTED = 12
# A stored time is on or after a local day: its text sorts at or after the day's ISO text
# (the day is its first ten characters; tests/test_sql_rules.py)
FROM_DAY_SQL = "{col} >= {day}"


def frequency_counts(
    store: Store, scope: Scope, ranges: dict[Unit, tuple[date, date]]
) -> dict[str, dict[date, int]]:
    """Non-void actions per frequency pledge (of its action kind) per unit, by unit's first day.

    Each pledge seeks its own date range on the (pledge_id, occurred_at) index, the range
    chosen by the pledge's unit. The units are domain.periods' (the one definition of a
    unit): a range of a few units (a month's weeks, a month in its quarter) is counted per
    unit in SQL, between the first days periods.unit_start gives; the actions of a longer
    one come back as their local days, each counted by its unit_start here. Grouping by a
    unit computed in SQL cost twice the rest of the query, listing every day half of it.
    """
    counts: dict[str, dict[date, int]] = {}
    listed: dict[Unit, tuple[date, date]] = {}
    for unit, (start, end) in ranges.items():
        firsts = _unit_firsts(unit, start, end)
        if len(firsts) <= MOST_UNITS_COUNTED:
            counts.update(_counted_by_unit(store, scope, unit, (start, end), firsts))
        else:
            listed[unit] = (start, end)
    if listed:
        counts.update(_counted_by_day(store, scope, listed))
    return counts


def _unit_firsts(unit: Unit, start: date, end: date) -> list[date]:
    """The first day of every unit that has a day in start..end, in order."""
    firsts = [unit_start(unit, start)]
    while (following := unit_end(unit, firsts[-1]) + timedelta(days=1)) <= end:
        firsts.append(following)
    return firsts


def _frequency_sql(select: str, where: str, scope: Scope) -> str:
    """A frequency pledge's counted actions in its unit's range: `where` chooses the units
    and their range."""
    return f"""
        SELECT p.ref, {select}
        FROM {_PLEDGES}
        WHERE p.target_type = 'frequency' AND {where}
          {scope.team_clause()}
          AND a.pledge_id = p.id
          AND a.voided_at IS NULL
          AND {BY_AS_OF_SQL.format(col="a.occurred_at")}
          AND (p.target_action_kind IS NULL OR a.kind = p.target_action_kind)
        GROUP BY p.id
    """  # noqa: S608  # fragments are our constants and enum values; values are bound


def _counted_by_unit(
    store: Store, scope: Scope, unit: Unit, span: tuple[date, date], firsts: list[date]
) -> dict[str, dict[date, int]]:
    """One unit's pledges: all their actions in the range, and how many from each later
    unit's first day on, so each unit's count is a difference."""
    u = unit.value
    later = "".join(
        f", SUM({FROM_DAY_SQL.format(col='a.occurred_at', day=f':from_{u}_{i}')})"
        for i in range(1, len(firsts))
    )
    where = (
        f"p.target_unit = :unit_{u} AND a.occurred_at >= :start_{u} AND a.occurred_at < :end_{u}"
    )
    params = {
        **scope.params(),
        f"unit_{u}": u,
        f"start_{u}": span[0].isoformat(),
        f"end_{u}": _day_after(span[1]),
    }
    params.update((f"from_{u}_{i}", first.isoformat()) for i, first in enumerate(firsts) if i)
    counts: dict[str, dict[date, int]] = {}
    sql = _frequency_sql(f"COUNT(*){later}", where, scope)
    for ref, total, *from_later in _rows(store, sql, params):
        if not from_later:  # the range is one unit
            counts[ref] = {firsts[0]: total}
            continue
        ends = [total, *from_later, 0]
        counts[ref] = {
            first: ends[i] - ends[i + 1] for i, first in enumerate(firsts) if ends[i] > ends[i + 1]
        }
    return counts


def _counted_by_day(
    store: Store, scope: Scope, ranges: dict[Unit, tuple[date, date]]
) -> dict[str, dict[date, int]]:
    """The units of long ranges: each pledge's actions as one text of their local days,
    counted per unit by periods.unit_start."""
    units = list(ranges)
    case = " ".join(f"WHEN '{u.value}' THEN {{}}" for u in units)
    starts = case.format(*(f":start_{u.value}" for u in units))
    ends = case.format(*(f":end_{u.value}" for u in units))
    named = ", ".join(f"'{u.value}'" for u in units)
    where = (
        f"p.target_unit IN ({named}) "
        f"AND a.occurred_at >= CASE p.target_unit {starts} END "
        f"AND a.occurred_at < CASE p.target_unit {ends} END"
    )
    params = scope.params()
    for unit, (start, end) in ranges.items():
        params[f"start_{unit.value}"] = start.isoformat()
        params[f"end_{unit.value}"] = _day_after(end)
    firsts: dict[str, dict[str, date]] = {u.value: {} for u in units}  # day -> unit's first
    counts: dict[str, dict[date, int]] = {}
    sql = _frequency_sql(f"p.target_unit, group_concat({_DAY})", where, scope)
    for ref, unit, days in _rows(store, sql, params):
        first_of, per_unit = firsts[unit], dict[date, int]()
        for day in days.split(","):
            first = first_of.get(day)
            if first is None:
                first = first_of[day] = unit_start(Unit(unit), date.fromisoformat(day))
            per_unit[first] = per_unit.get(first, 0) + 1
        counts[ref] = per_unit
    return counts


# Each item's outcome worked out once and counted in one sum: met counts 1, breached
# 2**32 (exact below 2**32 items a pledge in a period). Two sums, one per outcome, each
# worked the outcome out again: national October's response aggregate 0.24 -> 0.19 s.
_BREACHED_SHIFT = 32
_MET_MASK = (1 << _BREACHED_SHIFT) - 1
OUTCOME_COUNTS = (
    f"CASE ({{outcome}}) WHEN 'met' THEN 1 WHEN 'breached' THEN {1 << _BREACHED_SHIFT} ELSE 0 END"
)


def split_outcome_counts(total: int) -> tuple[int, int]:
    """(met, breached) from a SUM of OUTCOME_COUNTS."""
    return total & _MET_MASK, total >> _BREACHED_SHIFT


class ResponseStats(NamedTuple):
    """A response pledge's items in the period (a tuple: a nation has 14,000 of them)."""

    met: int = 0
    breached: int = 0
    pending: int = 0
    median_s: float | None = None
    worst_s: float | None = None
    # the age at as-of of the oldest item still open past its limit (None: none), a breach
    # already: rules.worst_wait
    open_s: float | None = None


def response_stats(store: Store, scope: Scope, period: Period) -> dict[str, ResponseStats]:
    """Items received in the period, judged as things stood at as-of.

    SQL judges each item once (OUTCOME_SQL) and counts the outcomes per pledge in one sum
    (OUTCOME_COUNTS); the waits of the items dealt with come back as one text per pledge,
    for the median here, and the age of the oldest still open past its limit, for the
    worst. Every time is read from the response items' index as epoch seconds, none
    converted (schema 10). Returning a
    row per item cost more than the aggregate (national October: 183,000 items).
    """
    lim = ITEM_LIMIT_SQL  # a victim's contact by the frequency agreed, where one was
    on_clock = ON_CLOCK_SQL.format(lim=lim)
    recv = clock_sql(EPOCH_SQL.format("a.received_at"), "a.received_at", on_clock)
    stamp = clock_sql(EPOCH_SQL.format("a.occurred_at"), "a.occurred_at", on_clock)
    done = (
        f"CASE WHEN a.occurred_at IS NOT NULL AND {BY_AS_OF_SQL.format(col='a.occurred_at')} "
        f"THEN {stamp} END"
    )
    now = clock_now_sql(on_clock)
    outcome = OUTCOME_SQL.format(done=done, recv=recv, lim=lim, now=now)
    sql = f"""
        SELECT p.ref, SUM({OUTCOME_COUNTS.format(outcome=outcome)}), COUNT(*),
               group_concat({done} - {recv}), p.id,
               MAX(CASE WHEN ({done}) IS NULL AND ({outcome}) = 'breached'
                   THEN {now} - {recv} END)
        FROM {_PLEDGES}
        WHERE p.target_type = 'response' {scope.team_clause()}
          AND a.pledge_id = p.id
          AND a.received_at >= :start AND a.received_at < :end
          AND a.voided_at IS NULL
          AND {BY_AS_OF_SQL.format(col="a.received_at")}
          AND {IN_FORCE_SQL.format(day="substr(a.received_at, 1, 10)")}
        GROUP BY p.team_id, p.kind, p.seq
    """  # noqa: S608  # fragments are our constants; values are bound
    # grouped in the pledges' index order, which drives the loop for all teams and for a
    # few: grouping through a sort would convert the times again (SQLite 3.40 reads an
    # indexed expression from the index only where no sorter copies the row)
    params = {**scope.params(), "start": period.start.isoformat(), "end": _day_after(period.end)}
    stats: dict[str, ResponseStats] = {}
    for ref, outcomes, items, waits, pledge, oldest_open in _rows(store, sql, params):
        met, breached = split_outcome_counts(outcomes)
        # group_concat skips the NULL waits of items not dealt with by as-of
        elapsed = sorted(map(int, waits.split(","))) if waits else []
        if elapsed and elapsed[0] < 0:  # dealt with before it came in: counted as met
            raise stored_values.refuse_answered_first(store, pledge, params["start"], params["end"])
        stats[ref] = ResponseStats(
            met,
            breached,
            items - met - breached,
            _median(elapsed),
            elapsed[-1] if elapsed else None,
            None if oldest_open is None else float(oldest_open),
        )
    return stats


def _median(ordered: list[int]) -> float | None:
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def share_hours(store: Store, scope: Scope, period: Period) -> dict[str, tuple[float, float]]:
    """(hours in the neighbourhood, all hours) per share pledge over actions carrying hours."""
    # and the first action whose hours or flag another tool wrote out of range (exit 3)
    bad = f"NOT ({HOURS_OK_SQL.format(col='a.hours')} AND {FLAG_OK_SQL.format(col='a.abstracted')})"
    sql = f"""
        SELECT p.ref,
               TOTAL(CASE WHEN a.abstracted = 0 THEN a.hours ELSE 0 END),
               TOTAL(a.hours), MIN(CASE WHEN {bad} THEN a.id END)
        FROM {_PLEDGES}
        WHERE p.target_type = 'share' {scope.team_clause()}
          AND a.pledge_id = p.id
          AND a.occurred_at >= :start AND a.occurred_at < :end
          AND a.voided_at IS NULL AND a.hours IS NOT NULL
          AND {BY_AS_OF_SQL.format(col="a.occurred_at")}
          AND {IN_FORCE_SQL.format(day=_DAY)}
        GROUP BY p.id
    """  # noqa: S608  # fragments are our constants; values are bound
    params = {**scope.params(), "start": period.start.isoformat(), "end": _day_after(period.end)}
    shares = {}
    for ref, inside, total, wrong in _rows(store, sql, params):
        if wrong is not None:
            raise stored_values.refuse_value(store, wrong)
        shares[ref] = (inside, total)
    return shares


def deadline_actions(store: Store, scope: Scope) -> dict[str, dict[bool, tuple[int, date]]]:
    """Non-void actions of each deadline pledge up to as-of, by their `delivers` flag:
    {ref: {flag: (how many, local day of the first)}}. Which of them delivers the deadline
    is rules.deadline_delivery's to say; the SQL only counts."""
    # driven from the (few) deadline pledges, each a seek on (pledge_id, occurred_at)
    sql = f"""
        SELECT p.ref, a.delivers, COUNT(*), MIN(a.occurred_at)
        FROM {_PLEDGES}
        WHERE p.target_type = 'deadline' AND a.pledge_id = p.id
          AND a.occurred_at IS NOT NULL AND a.voided_at IS NULL
          AND {BY_AS_OF_SQL.format(col="a.occurred_at")}
          {scope.team_clause()}
        GROUP BY p.id, a.delivers
    """  # noqa: S608  # fragments are our constants; values are bound
    found: dict[str, dict[bool, tuple[int, date]]] = defaultdict(dict)
    for ref, delivers, count, first in _rows(store, sql, scope.params()):
        found[ref][bool(delivers)] = (count, date.fromisoformat(first[:10]))
    return found


def activity(
    store: Store, scope: Scope, period: Period, counted: Sequence[str], *, last: bool = True
) -> dict[str, tuple[int, str | None]]:
    """(non-void actions in the period, last non-void action up to the period's end) per
    pledge; the actions are counted only for pledges of the `counted` target types (0 for
    the rest), which saves reading every row of the month again. With `last=False`, only
    the pledges of the `counted` types, and no last action (None): a seek per pledge saved."""
    types = ", ".join(f":counted{i}" for i in range(len(counted))) or "NULL"
    last_sql = _LAST_SQL.format(col="a.occurred_at")
    # N9: its latest contact, received (an item it opened) or done (national.CONTACT_OPENS_ITEM)
    contact = f"""max(coalesce({last_sql}, {_LAST_SQL.format(col="a.received_at")}),
                      coalesce({_LAST_SQL.format(col="a.received_at")}, {last_sql}))"""
    last_sql = f"""CASE WHEN p.kind = 'national' AND p.seq = :contact_opens_item
                   THEN {contact} ELSE {last_sql} END"""
    sql = f"""
        SELECT p.ref,
               CASE WHEN p.target_type IN ({types}) THEN
               (SELECT COUNT(*) FROM actions a
                 WHERE a.pledge_id = p.id
                   AND a.occurred_at >= :start AND a.occurred_at < :end
                   AND a.voided_at IS NULL
                   AND {BY_AS_OF_SQL.format(col="a.occurred_at")}) ELSE 0 END AS n,
               {last_sql if last else "NULL"} AS last
        FROM pledges p
        WHERE {"1 = 1" if last else f"p.target_type IN ({types})"} {scope.team_clause()}
    """  # noqa: S608  # fragments are our constants; values are bound
    params = {**scope.params(), "start": period.start.isoformat(), "end": _day_after(period.end)}
    params.update((f"counted{i}", kind) for i, kind in enumerate(counted))
    params["contact_opens_item"] = CONTACT_OPENS_ITEM
    return {ref: (n, last_at) for ref, n, last_at in _rows(store, sql, params)}


# A pledge's last non-void action up to the period's end and as-of, by one of its times
# (`{col}`): a seek on idx_actions_pledge_occurred or idx_actions_pledge_received
_LAST_SQL = f"""(SELECT {{col}} FROM actions a
                 WHERE a.pledge_id = p.id
                   AND {{col}} IS NOT NULL AND {{col}} < :end
                   AND a.voided_at IS NULL
                   AND {BY_AS_OF_SQL.format(col="{col}")}
                 ORDER BY {{col}} DESC LIMIT 1)"""  # noqa: S608  # our constants


def open_items(store: Store, scope: Scope) -> list[dict[str, Any]]:
    """Response items not dealt with by as-of: for `check` and near-breach lists.

    An item open at as-of has no `occurred_at`, or one after as-of. Both are ranges of the
    response items' (occurred_at, received_at) index (schema 8): the second from the day
    before as-of (no real instant after as-of can precede it, whatever its offset), and
    only items received by the day after as-of (no instant up to as-of can follow it), so
    `check` reads the items still open, not every item ever received nor, for an as-of in
    the past, every action logged since. Each item's age is counted as rules.clock_s
    counts it (`on_clock`: a victim's contact, in calendar days), so `age_s - limit_s` is
    how late it is, or how long is left.
    """
    lim = ITEM_LIMIT_SQL  # a victim's contact by the frequency agreed, where one was
    on_clock = ON_CLOCK_SQL.format(lim=lim)
    recv = clock_sql(EPOCH_SQL.format("a.received_at"), "a.received_at", on_clock)
    sql = f"""
        SELECT a.id AS id, t.code AS team, p.ref AS ref, a.description AS description,
               a.kind AS kind, p.title AS title, a.received_at AS received_at,
               coalesce((SELECT v.case_ref FROM victim_contacts v WHERE v.action_id = a.id),
                        a.ext_ref) AS case_ref,
               {clock_now_sql(on_clock)} - {recv} AS age_s,
               {lim} AS limit_s, {on_clock} AS on_clock,
               (SELECT v.every_days FROM victim_contacts v WHERE v.action_id = a.id) AS every_days
        FROM actions a JOIN pledges p ON p.id = a.pledge_id JOIN teams t ON t.id = p.team_id
        WHERE a.id IN (SELECT id FROM actions
                        WHERE occurred_at IS NULL AND received_at IS NOT NULL
                          AND received_at < :received_bound
                       UNION ALL
                       SELECT id FROM actions
                        WHERE occurred_at >= :open_floor AND received_at IS NOT NULL
                          AND received_at < :received_bound)
          AND (a.occurred_at IS NULL OR {EPOCH_SQL.format("a.occurred_at")} > :as_of)
          AND a.received_at IS NOT NULL AND a.voided_at IS NULL
          AND {BY_AS_OF_SQL.format(col="a.received_at")}
          AND p.target_type = 'response'
          AND {STILL_OPEN_SQL}
          AND substr(a.received_at, 1, 10) >= p.agreed_on
          {scope.team_clause()}
        ORDER BY a.received_at
    """  # noqa: S608  # fragments are our constants; values are bound
    utc_day = scope.as_of.astimezone(UTC).date()
    bounds = {
        "open_floor": (utc_day - timedelta(days=2)).isoformat(),
        "received_bound": (utc_day + timedelta(days=2)).isoformat(),
    }
    cursor = _execute(store, sql, {**scope.params(), **bounds})
    names = [d[0] for d in cursor.description]
    items = [dict(zip(names, row, strict=True)) for row in cursor]
    for item in items:
        item["on_clock"] = bool(item["on_clock"])
        if item["age_s"] is None:  # SQLite cannot read the text (a row another tool wrote)
            raise unreadable("actions", "received_at", item["id"], item["received_at"])
    return items
