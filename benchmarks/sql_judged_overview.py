"""Prototype: `overview` judged inside SQL, to settle by measurement whether it can come
within 2x of the bare month aggregate (issue 13, docs/performance.md).

    python benchmarks/sql_judged_overview.py DB 2008-10 "2008-11-01T12:00" > overview.csv

Prints what `pledgetrack overview --period YYYY-MM --as-of AS_OF -f csv` prints (as-of in
the zone the database records, else PLEDGETRACK_TZ, default Europe/London, unless it
carries its offset), with plain sqlite3
and the standard library only: one statement judges every pledge in scope (units met, RAG
bands, for every target type) and counts the statuses per team, so Python handles one row
per team. A prototype: the rules here are copies of domain.rules', not a second home for
them; it takes a month only, and writes no formula guard (no benchmark team's name needs
one).
"""

from __future__ import annotations

import csv
import os
import sqlite3
import sys
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MEASURED = (3, 4, 5, 6, 7, 8, 9)  # domain.national.MEASURED
AMBER_BAND_PCT = 10.0  # domain.rules
DEADLINE_WARNING_DAYS = 7  # domain.rules
EPOCH = "CAST(strftime('%s', {}) AS INTEGER)"  # store.queries.EPOCH_SQL


def by_as_of(col: str, p: str = "") -> str:
    """store.queries.BY_AS_OF_SQL, with the parameters' prefix `p` (deadlines' own cut)."""
    return f"({col} < :{p}settled OR {EPOCH.format(col)} <= :{p}as_of)"


def rag(pct: str, threshold: str) -> str:
    """rules.rag over an SQL percentage (NULL: no data)."""
    return (
        f"CASE WHEN {pct} IS NULL THEN 'no-data' WHEN {pct} >= {threshold} THEN 'green' "
        f"WHEN {pct} >= {threshold} - {AMBER_BAND_PCT} THEN 'amber' ELSE 'red' END"
    )


def percentage(part: str, whole: str) -> str:
    """rules.percentage: dividing first keeps x/x at exactly 100."""
    return f"CASE WHEN ({whole}) > 0 THEN 100.0 * (CAST(({part}) AS REAL) / ({whole})) END"


# ---- units: copies of domain.periods' (a build would take them from there) ----


def unit_start(unit: str, day: date) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def unit_end(unit: str, start: date) -> date:
    if unit == "day":
        return start
    if unit == "week":
        return start + timedelta(days=6)
    months = 1 if unit == "month" else 3
    year, month = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month + 1, 1) - timedelta(days=1)


def units_ending_in(unit: str, start: date, end: date) -> list[tuple[date, date]]:
    units, first = [], unit_start(unit, start)
    while (last := unit_end(unit, first)) <= end:
        if last >= start:
            units.append((first, last))
        first = last + timedelta(days=1)
    return units


# ---- the SQL ----

THRESHOLD = "coalesce(p.target_threshold_pct, 100.0)"
# rules.effective_closed_on(...) is None or the day is on or before it
NOT_CLOSED_BEFORE = "(p.closed_on IS NULL OR p.closed_on > :{p}as_of_day OR p.closed_on >= {day})"


def frequency_sql(
    unit: str, ended: list[tuple[date, date]], params: dict[str, object]
) -> tuple[str, str]:
    """A frequency pledge's units met and units judged, from its units ended by as-of: each
    unit judged if the pledge was in force throughout it (rules.judged_units), met if it
    counted the target's actions in it; counted as in store.queries._counted_by_unit
    (differences of counts from each unit's first day on), days grouped by day."""
    if not ended:
        return "0", "0"
    judged_terms, met_terms, names = [], [], []
    for i, (first, last) in enumerate(ended):
        f, lst = f"{unit}_f{i}", f"{unit}_l{i}"
        params[f], params[lst] = first.isoformat(), last.isoformat()
        names.append(f)
        judged_terms.append(
            f"(p.agreed_on <= :{f} AND {NOT_CLOSED_BEFORE.format(p='', day=':' + lst)})"
        )
    params[f"{unit}_end"] = (ended[-1][1] + timedelta(days=1)).isoformat()
    judged = " + ".join(judged_terms)
    counted = f"""FROM actions a
        WHERE a.pledge_id = p.id
          AND a.occurred_at >= :{names[0]} AND a.occurred_at < :{unit}_end
          AND a.voided_at IS NULL AND {by_as_of("a.occurred_at")}
          AND (p.target_action_kind IS NULL OR a.kind = p.target_action_kind)"""
    if unit == "day":
        # a day is its own unit, the local day of the stored time (LOCAL_DAY_SQL): the
        # days judged (in force that day, ended by as-of) that have the count; one action
        # a day (most daily pledges) is the number of distinct days
        day = "substr(a.occurred_at, 1, 10)"
        counted = counted.replace(
            f"a.occurred_at >= :{names[0]}", f"a.occurred_at >= max(:{names[0]}, p.agreed_on)"
        ) + f" AND {NOT_CLOSED_BEFORE.format(p='', day=day)}"
        met = f"""CASE WHEN p.target_count = 1 THEN (SELECT COUNT(DISTINCT {day}) {counted})
            ELSE (SELECT COUNT(*) FROM (SELECT 1 {counted}
                  GROUP BY {day} HAVING COUNT(*) >= p.target_count)) END"""  # noqa: S608
        return met, judged
    froms = ["COUNT(*)"] + [f"TOTAL(a.occurred_at >= :{n})" for n in names[1:]] + ["0"]
    for i, judged_i in enumerate(judged_terms):
        met_terms.append(f"({judged_i} AND ({froms[i]} - {froms[i + 1]}) >= p.target_count)")
    return f"(SELECT {' + '.join(met_terms)} {counted})", judged


# Response outcomes counted in one sum: each item judged adds 1, each met 2**32 more, so
# the sum is met * 2**32 + judged (exact while a pledge has fewer than 2**31 items in the
# period). One aggregate per row instead of two cost a third less.
MET_UNIT = 2**32


def response_sql() -> str:
    """store.queries.response_stats' outcomes (rules.response_outcome), counted and judged
    (rules.judge_response). In force from the day agreed: a stored time is on or after a
    day when its text sorts at or after the day's (FROM_DAY_SQL), so that is the seek's
    lower bound."""
    recv = EPOCH.format("a.received_at")
    done = f"(a.occurred_at IS NOT NULL AND {by_as_of('a.occurred_at')})"
    lim = "p.target_within_minutes * 60"
    outcomes = (
        f"SUM(CASE WHEN {done} THEN CASE WHEN {EPOCH.format('a.occurred_at')} - {recv} <= {lim} "
        f"THEN {MET_UNIT + 1} ELSE 1 END WHEN :as_of - {recv} > {lim} THEN 1 ELSE 0 END)"
    )
    met, judged = f"({outcomes}) >> 32", f"({outcomes}) & {MET_UNIT - 1}"
    return f"""(SELECT {rag(percentage(met, judged), THRESHOLD)}
        FROM actions a
        WHERE a.pledge_id = p.id
          AND a.received_at >= max(:start, p.agreed_on) AND a.received_at < :end
          AND a.voided_at IS NULL
          AND {by_as_of("a.received_at")}
          AND {NOT_CLOSED_BEFORE.format(p="", day="substr(a.received_at, 1, 10)")})"""  # noqa: S608


def share_sql() -> str:
    """store.queries.share_hours, judged (rules.judge_share)."""
    inside = "TOTAL(CASE WHEN a.abstracted = 0 THEN a.hours ELSE 0 END)"
    return f"""(SELECT {rag(percentage(inside, "TOTAL(a.hours)"), "p.target_share_pct")}
        FROM actions a
        WHERE a.pledge_id = p.id
          AND a.occurred_at >= max(:start, p.agreed_on) AND a.occurred_at < :end
          AND a.voided_at IS NULL AND a.hours IS NOT NULL
          AND {by_as_of("a.occurred_at")}
          AND {NOT_CLOSED_BEFORE.format(p="", day="substr(a.occurred_at, 1, 10)")})"""  # noqa: S608


def deadline_sql() -> str:
    """rules.deadline_delivery and rules.judge_deadline's status: delivered by the first
    delivering action or by closing as achieved (by the deadlines' cut), whichever first."""
    achieved = (
        "CASE WHEN p.status = 'achieved' AND p.closed_on <= :d_as_of_day THEN p.closed_on END"
    )
    first = "MIN(CASE WHEN a.delivers THEN substr(a.occurred_at, 1, 10) END)"
    delivered = (
        f"CASE WHEN {first} IS NULL THEN {achieved} WHEN ({achieved}) IS NULL THEN {first} "
        f"ELSE min({first}, {achieved}) END"
    )
    return f"""(SELECT CASE
            WHEN {delivered} <= p.target_due THEN 'green'
            WHEN :deadline_day > p.target_due THEN 'red'
            WHEN p.target_due <= :warn_day THEN 'amber'
            ELSE 'pending' END
        FROM actions a
        WHERE a.pledge_id = p.id
          AND a.occurred_at IS NOT NULL AND a.voided_at IS NULL
          AND {by_as_of("a.occurred_at", "d_")})"""  # noqa: S608


STATUSES = ("green", "amber", "red", "no-data", "pending", "not-measured")


def judged_sql(period: tuple[date, date], today: date, params: dict[str, object]) -> str:
    units = ("day", "week", "month", "quarter")
    met, judged = [], []
    for u in units:
        ended = [(f, lst) for f, lst in units_ending_in(u, *period) if lst < today]
        m, j = frequency_sql(u, ended, params)
        met.append(f"WHEN '{u}' THEN {m}")
        judged.append(f"WHEN '{u}' THEN {j}")
    # Each stage a subquery SQLite may not flatten into the next (OFFSET): a column that
    # the next stage reads several times (a frequency pledge's units met, in its RAG band)
    # is then computed once per pledge, and the stages stream into the grouping without a
    # table in between.
    return f"""
      SELECT team_id, kind, seq, ref, met, judged,
        coalesce(status, {rag(percentage("met", "judged"), "threshold")}) AS status, type
      FROM (
        SELECT p.team_id AS team_id, p.kind AS kind, p.seq AS seq, p.ref AS ref,
          p.target_type AS type,
          {THRESHOLD} AS threshold,
          CASE p.target_type WHEN 'frequency' THEN CASE p.target_unit {" ".join(met)} END
            END AS met,
          CASE p.target_type WHEN 'frequency' THEN CASE p.target_unit {" ".join(judged)} END
            END AS judged,
          CASE p.target_type
            WHEN 'frequency' THEN NULL
            WHEN 'response' THEN {response_sql()}
            WHEN 'share' THEN {share_sql()}
            WHEN 'deadline' THEN {deadline_sql()}
            ELSE 'not-measured' END AS status
        FROM pledges p
        WHERE p.agreed_on IS NOT NULL AND p.agreed_on <= :period_end
          AND p.agreed_on <= :as_of_day
          AND {NOT_CLOSED_BEFORE.format(p="", day=":period_start")}
        LIMIT -1 OFFSET 0)
    """  # noqa: S608  # our constants; values are bound


def league_sql(judged: str) -> str:
    """One row per team with a pledge in scope: how many, and how many of each status."""
    measured = ", ".join(map(str, MEASURED))
    counts = ", ".join(f"COUNT(CASE status WHEN '{s}' THEN 1 END)" for s in STATUSES)
    return f"""
    SELECT team_id, COUNT(*), {counts},
      COUNT(CASE WHEN type = 'share' AND status = 'no-data' THEN 1 END),
      group_concat(CASE WHEN kind = 'national' AND seq IN ({measured})
                   THEN seq || ' ' || status END)
    FROM ({judged} LIMIT -1 OFFSET 0)
    GROUP BY team_id
    """  # noqa: S608  # our constants; values are bound

# store.stored_times._DAY_OK
DAY_OK = (
    "{t} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*' "
    "AND strftime('%Y-%m-%d', julianday(substr({t}, 1, 10))) IS substr({t}, 1, 10) "
    "AND substr({t}, 1, 10) BETWEEN '1900-01-01' AND '2199-12-31'"
)
UNPLACED = """
    WITH RECURSIVE walk(t) AS (
      SELECT MIN(occurred_at) FROM actions
      UNION ALL
      SELECT (SELECT MIN(occurred_at) FROM actions WHERE occurred_at >
                CASE WHEN {ok} THEN substr(walk.t, 1, 10) || 'U' ELSE walk.t END)
      FROM walk WHERE walk.t IS NOT NULL
    )
    SELECT a.id FROM walk JOIN actions a ON a.occurred_at = walk.t
    WHERE walk.t IS NOT NULL AND NOT ({ok}) AND a.voided_at IS NULL LIMIT 1
"""


def scope_params(as_of: datetime, prefix: str = "") -> dict[str, object]:
    """store.queries.Scope.params."""
    settled = as_of.astimezone(UTC).date() - timedelta(days=1)
    return {
        f"{prefix}as_of": int(as_of.timestamp()),
        f"{prefix}as_of_day": as_of.date().isoformat(),
        f"{prefix}settled": settled.isoformat(),
    }


def main(argv: list[str]) -> None:
    db, month, moment, *modes = argv
    mode = modes[0] if modes else ""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    # the zone the database records (store.zones, schema 13), else the configured one
    recorded = conn.execute(
        "SELECT value FROM settings WHERE key = 'timezone'"
    ).fetchone() if conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'settings'"
    ).fetchone() else None
    zone = ZoneInfo(recorded[0] if recorded else os.environ.get("PLEDGETRACK_TZ", "Europe/London"))
    as_of = datetime.fromisoformat(moment)
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=zone)
    year, mon = map(int, month.split("-"))
    start = date(year, mon, 1)
    end = unit_end("month", start)
    # services.compliance.end_of_period: deadlines are judged at as-of or the period's end
    period_end = datetime.combine(end + timedelta(days=1), time(0), zone)
    cut = min(as_of, period_end - timedelta(seconds=1))
    params: dict[str, object] = {
        **scope_params(as_of),
        **scope_params(cut, "d_"),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "start": start.isoformat(),
        "end": (end + timedelta(days=1)).isoformat(),
    }
    deadline_day = min(as_of, period_end).date()
    params["deadline_day"] = deadline_day.isoformat()
    params["warn_day"] = (deadline_day + timedelta(days=DEADLINE_WARNING_DAYS)).isoformat()
    if conn.execute(UNPLACED.format(ok=DAY_OK.format(t="walk.t"))).fetchone() is not None:
        raise SystemExit(3)
    sql = judged_sql((start, end), as_of.date(), params)
    if mode == "--export":
        export(conn, sql, params, start, end)
        return
    if mode == "--check":
        check_reads(conn, sql, params, as_of)
        return
    judged = {team: counts for team, *counts in conn.execute(league_sql(sql), params)}
    lines = []
    none = (0, 0, 0, 0, 0, 0, 0, 0, None)
    for team_id, code, name, active in conn.execute(
        "SELECT id, code, name, active FROM teams ORDER BY code"
    ):
        pledges, g, a, r, *others, unrecorded, national = judged.get(team_id, none)
        if not (pledges or active):
            continue
        rated = g + a + r + unrecorded  # rules.unrecorded: no hours logged, not green
        pct = round(100.0 * (g / rated), 1) if rated else None
        # a national commitment's status: "4 green"
        statuses = dict(s.split(" ") for s in national.split(",")) if national else {}
        lines.append((code, name, pledges, g, a, r, *others, pct,
                      *(statuses.get(str(n)) for n in MEASURED)))
    # services.league.sort_by("green_pct"): best first, none last, ties by team code
    lines.sort(key=lambda x: (x[9] is None, -(x[9] or 0), x[0]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(("team", "team_name", "pledges", "green", "amber", "red", "no_data",
                  "pending", "not_measured", "green_pct", *(f"n{n}" for n in MEASURED)))
    out.writerows(lines)


# store.queries.activity's last action, per pledge (export summary and check show it; N9's
# latest contact received, which it also reads, left out of this lower bound)
LAST_ACTIONS = f"""
    SELECT p.ref, (SELECT a.occurred_at FROM actions a
                 WHERE a.pledge_id = p.id
                   AND a.occurred_at IS NOT NULL AND a.occurred_at < :end
                   AND a.voided_at IS NULL
                   AND {by_as_of("a.occurred_at")}
                 ORDER BY a.occurred_at DESC LIMIT 1)
    FROM pledges p
"""  # noqa: S608  # our constants


def export(conn: sqlite3.Connection, sql: str, params: dict[str, object], start: date,
           end: date) -> None:
    """A lower bound for `export summary` judged in SQL: every pledge's status judged as
    above and its last action, one CSV row each with the export's 15 columns, of which
    only the status, the units met and judged and the last action are worked out (no
    target text, figures for the other types, percentage or detail: those cost more)."""
    teams = {i: (f, c, n) for i, f, c, n in conn.execute("SELECT id, force, code, name FROM teams")}
    titles = dict(conn.execute("SELECT ref, title || ' ' || target_type FROM pledges"))
    last = dict(conn.execute(LAST_ACTIONS, params))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(("force", "team", "team_name", "pledge", "pledge_title", "pledge_type",
                  "target", "period_start", "period_end", "actual", "expected",
                  "compliance_pct", "status", "last_action", "detail"))
    out.writerows(
        (*teams[team][:3], ref, *titles[ref].rsplit(" ", 1), "", start, end, met, judged,
         None, status, (last[ref] or "")[:10], "")
        for team, _, _, ref, met, judged, status, _ in conn.execute(sql, params)
    )


# store.queries.open_items, as `check` reads it
OPEN_ITEMS = f"""
    SELECT a.id, t.code, p.ref, a.description, a.received_at,
           coalesce((SELECT v.case_ref FROM victim_contacts v WHERE v.action_id = a.id),
                    a.ext_ref),
           :as_of - {EPOCH.format("a.received_at")}, p.target_within_minutes * 60
    FROM actions a JOIN pledges p ON p.id = a.pledge_id JOIN teams t ON t.id = p.team_id
    WHERE a.id IN (SELECT id FROM actions
                    WHERE occurred_at IS NULL AND received_at IS NOT NULL
                      AND received_at < :received_bound
                   UNION ALL
                   SELECT id FROM actions
                    WHERE occurred_at >= :open_floor AND received_at IS NOT NULL
                      AND received_at < :received_bound)
      AND (a.occurred_at IS NULL OR {EPOCH.format("a.occurred_at")} > :as_of)
      AND a.received_at IS NOT NULL AND a.voided_at IS NULL
      AND {by_as_of("a.received_at")}
      AND p.target_type = 'response'
      AND (p.status = 'active' OR p.closed_on IS NULL OR p.closed_on > :as_of_day)
      AND substr(a.received_at, 1, 10) >= p.agreed_on
    ORDER BY a.received_at
"""  # noqa: S608  # our constants


def check_reads(conn: sqlite3.Connection, sql: str, params: dict[str, object],
                as_of: datetime) -> None:
    """A lower bound for `check` judged in SQL: the month's statuses judged as above, each
    pledge's last action (for stale pledges) and the open items, read and nothing printed
    (check also judges the unit in progress, the month just ended in its first week, and
    prints its findings)."""
    utc_day = as_of.astimezone(UTC).date()
    bounds = {"open_floor": (utc_day - timedelta(days=2)).isoformat(),
              "received_bound": (utc_day + timedelta(days=2)).isoformat()}
    conn.execute(sql, params).fetchall()
    conn.execute(LAST_ACTIONS, params).fetchall()
    conn.execute(OPEN_ITEMS, {**params, **bounds}).fetchall()


if __name__ == "__main__":
    main(sys.argv[1:])
