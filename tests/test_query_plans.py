"""The report queries read only the rows in scope: no SCAN of `actions`, ever.

Every statement `summarise` and `check` run is recorded and explained (EXPLAIN QUERY PLAN)
on a database from benchmarks/generate.py. Without ANALYZE (the project never runs it;
docs/performance.md says why), SQLite's plans do not depend on the table sizes, so the
plans here are the plans of the national database.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from helpers import LONDON
from pledgetrack.domain.periods import month_period
from pledgetrack.services import check, compliance
from pledgetrack.store import queries
from pledgetrack.store.connection import Store, open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import generate

AS_OF = datetime(2008, 11, 1, 12, tzinfo=LONDON)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("plans") / "plans.db"
    generate.generate(
        path,
        teams=4,
        pledges_per_team=10,
        start=date(2008, 9, 1),
        months=3,
        actions_per_team_month=30,
    )
    with open_store(path, create=False, actor="test", clock=lambda: AS_OF) as opened:
        yield opened


def _statements(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    real = queries._execute

    def recording(store: Store, sql: str, params: dict[str, Any]) -> Any:
        seen.append((sql, params))
        return real(store, sql, params)

    monkeypatch.setattr(queries, "_execute", recording)
    return seen


def _plan(store: Store, sql: str, params: dict[str, Any]) -> list[str]:
    return [row[3] for row in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def _scans_of_actions(plan: list[str]) -> list[str]:
    return [step for step in plan if re.match(r"SCAN (a|actions)\b", step)]


@pytest.mark.parametrize("teams", [["T0002"], None], ids=["one-team", "all-teams"])
def test_month_report_seeks_actions_per_pledge(
    store: Store, monkeypatch: pytest.MonkeyPatch, teams: list[str] | None
) -> None:
    seen = _statements(monkeypatch)
    summaries = compliance.summarise(store, month_period(2008, 10), AS_OF, teams)
    assert summaries and seen
    for sql, params in seen:
        plan = _plan(store, sql, params)
        assert not _scans_of_actions(plan), "\n".join(plan)
        assert any("SEARCH a USING" in step for step in plan), "\n".join(plan)


def test_one_team_reads_its_own_pledges_only(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _statements(monkeypatch)
    compliance.summarise(store, month_period(2008, 10), AS_OF, ["T0002"])
    for sql, params in seen:
        plan = _plan(store, sql, params)
        assert not any(step.startswith("SCAN p") for step in plan), "\n".join(plan)


def test_check_reads_open_items_by_index(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _statements(monkeypatch)
    check.find_problems(store, AS_OF, None, warn_minutes=240, stale_days=14)
    open_items = [(sql, p) for sql, p in seen if "open_floor" in p]
    assert open_items
    for sql, params in seen:
        plan = _plan(store, sql, params)
        assert not _scans_of_actions(plan), "\n".join(plan)
    (sql, params) = open_items[0]
    plan = _plan(store, sql, params)
    # the items still open and those dealt with after as-of, from the response items' own
    # index alone: not every action logged since (no table lookup before the item is known)
    index_steps = [step for step in plan if "USING" in step and "actions" in step]
    assert len(index_steps) == 2, "\n".join(plan)
    assert all("COVERING INDEX idx_actions_open_items" in step for step in index_steps), (
        "\n".join(plan)
    )


@pytest.mark.parametrize("day", [1, 2, 8], ids=["1st", "2nd", "8th"])
def test_check_reads_each_aggregate_once(
    store: Store, monkeypatch: pytest.MonkeyPatch, day: int
) -> None:
    """On the first days of a quarter `check` judges the month just ended and the quarter
    just ended as well as this month: no statement runs twice with the same values, and the
    quarter's pass reads only what quarterly pledges need (their frequency counts)."""
    seen = _statements(monkeypatch)
    as_of = datetime(2008, 10, day, 9, tzinfo=LONDON)
    check.find_problems(store, as_of, None, warn_minutes=240, stale_days=14)
    keys = [(sql, tuple(sorted(params.items()))) for sql, params in seen]
    assert len(keys) == len(set(keys))
    quarter = [p for _, p in seen if p.get("start_quarter") == "2008-07-01"]
    assert len(quarter) == (1 if day <= 7 else 0)
    for sql, params in seen:
        assert not _scans_of_actions(_plan(store, sql, params))


def test_a_one_team_report_loads_only_its_pledges_by_index(store: Store) -> None:
    """Every statement of a one-team summary, the pledges' load included (it is not one of
    store.queries' aggregates), seeks that team's pledges: no SCAN of pledges or actions."""
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    try:
        compliance.summarise(store, month_period(2008, 10), AS_OF, ["T0002"])
    finally:
        store.conn.set_trace_callback(None)
    selects = [sql for sql in traced if sql.lstrip().upper().startswith("SELECT")]
    assert any("FROM pledges p JOIN teams t" in sql for sql in selects)  # the load was seen
    for sql in selects:
        plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert not any(re.match(r"SCAN (p|a|actions|pledges)\b", step) for step in plan), (
            sql + "\n" + "\n".join(plan)
        )
