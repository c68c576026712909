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
from pledgetrack.domain.models import PledgeKind
from pledgetrack.domain.periods import month_period
from pledgetrack.services import check, compliance
from pledgetrack.store import queries
from pledgetrack.store.connection import Store, open_store
from pledgetrack.store.pledges import list_pledge_records

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


# the partial index of the rows another tool wrote wrong (schema 11): empty but for them
_UNSOUND_ROWS = "USING INDEX idx_actions_unsound_times"


def _scans_of_actions(plan: list[str]) -> list[str]:
    return [
        step
        for step in plan
        if re.match(r"SCAN (a|actions)\b", step) and not step.endswith(_UNSOUND_ROWS)
    ]


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
    assert any("FROM teams t CROSS JOIN pledges p" in sql for sql in selects)  # the load was seen
    for sql in selects:
        plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        scans = [s for s in plan if re.match(r"SCAN (p|pledges)\b", s)] + _scans_of_actions(plan)
        assert not scans, sql + "\n" + "\n".join(plan)


def _functions_called(store: Store, sql: str, params: dict[str, Any]) -> list[str]:
    """The SQL functions a statement's bytecode calls (EXPLAIN's Function opcodes)."""
    program = store.conn.execute(f"EXPLAIN {sql}", params).fetchall()
    return [str(row[5]).split("(")[0] for row in program if "Function" in str(row[1])]


@pytest.mark.parametrize("teams", [["T0002"], None], ids=["one-team", "all-teams"])
def test_response_times_are_read_from_the_index(
    store: Store, monkeypatch: pytest.MonkeyPatch, teams: list[str] | None
) -> None:
    """Response compliance converts no stored time: the response items' index holds both
    times as epoch seconds (schema 10) in queries.EPOCH_SQL's form, and the statement reads
    them from there. Fails if the index and the query's form of a time ever differ."""
    seen = _statements(monkeypatch)
    compliance.summarise(store, month_period(2008, 10), AS_OF, teams)
    response = [(sql, p) for sql, p in seen if "p.target_type = 'response'" in sql]
    assert len(response) == 1
    sql, params = response[0]
    assert "COVERING INDEX idx_actions_response_items" in "\n".join(_plan(store, sql, params))
    called = _functions_called(store, sql, params)
    assert "substr" in called  # the bytecode's calls are seen at all
    assert not {"strftime", "unixepoch", "julianday", "datetime"} & set(called), called


@pytest.mark.parametrize("teams", [["T0003", "T0001"], None], ids=["two-teams", "all-teams"])
def test_pledges_load_in_report_order_with_nothing_to_sort(
    store: Store, teams: list[str] | None
) -> None:
    """The pledges come off the teams' and pledges' indexes in report order (by team code,
    national first, then by number): no temporary sort of 72,000 rows."""
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    try:
        records = list_pledge_records(store, teams=teams)
    finally:
        store.conn.set_trace_callback(None)
    (sql,) = traced
    plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert not any("TEMP B-TREE" in step or step.startswith("SCAN p") for step in plan), plan
    order = [(r.team, r.kind is not PledgeKind.NATIONAL, r.seq) for r in records]
    assert records and order == sorted(order)


@pytest.mark.parametrize("teams", [["T0002"], None], ids=["one-team", "all-teams"])
def test_an_action_no_period_counts_is_found_by_seeks_not_a_scan(
    store: Store, teams: list[str] | None
) -> None:
    """Every report asks (stored_times.refuse_unplaced): the partial index of the rows
    whose occurred_at, received_at or voided_at is unsound answers, one seek, no scan."""
    from pledgetrack.store.stored_times import refuse_unplaced

    (judged,) = _traced(store, lambda: refuse_unplaced(store, teams))
    plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {judged}")]
    assert not _scans_of_actions(plan), "\n".join(plan)
    assert any(step.endswith(_UNSOUND_ROWS) for step in plan), "\n".join(plan)


@pytest.mark.parametrize("teams", [["T0002"], None], ids=["one-team", "all-teams"])
def test_an_action_with_no_time_is_found_by_one_seek_not_one_per_pledge(
    store: Store, teams: list[str] | None
) -> None:
    """Every report asks (stored_values.refuse_untimed): the actions with neither time are
    the start of the listings' index (their key is NULL), one seek; a response pledge's
    actions of the period with no received time, each response pledge's own rows of the
    period from the index alone (received_at in it since schema 18). No scan of actions,
    and a one-team report reads only that team's pledges."""
    from pledgetrack.store.stored_values import refuse_untimed

    (judged,) = _traced(
        store, lambda: refuse_untimed(store, teams, date(2008, 10, 1), date(2008, 10, 31))
    )
    plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {judged}")]
    assert not _scans_of_actions(plan), "\n".join(plan)
    assert "SEARCH a USING INDEX idx_actions_listed (<expr>=?)" in plan, "\n".join(plan)
    assert "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)" in plan, "\n".join(plan)
    assert any(
        step.startswith("SEARCH a USING COVERING INDEX idx_actions_pledge_occurred (pledge_id=? "
                        "AND occurred_at>? AND occurred_at<?)")
        for step in plan
    ), "\n".join(plan)  # fmt: skip
    if teams:
        assert not any(step.startswith("SCAN p") for step in plan), "\n".join(plan)


def test_a_ref_is_found_whatever_its_case_by_one_seek_of_its_index(store: Store) -> None:
    """`log --ref`'s note and the import's duplicate check find a team's ref as NOCASE compares
    it, through the index built so (schema 12): a seek, not a scan of the team's actions."""
    from pledgetrack.store import actions

    explain = "EXPLAIN QUERY PLAN "
    plan = " ".join(
        r[3] for r in store.conn.execute(explain + actions._BY_REF, (1, "inc1", 1, 3))
    )
    assert "USING INDEX idx_actions_team_ext_ref_nocase (team_id=? AND ext_ref=?)" in plan
    store.conn.execute(actions._BATCH_TABLE)
    for sql in (actions._STORED_BY_REF, actions._ANSWERED_SINCE):  # the import's identity
        plan = " ".join(r[3] for r in store.conn.execute(explain + sql, (10,)))
        assert "SEARCH a USING INDEX idx_actions_team_ext_ref_nocase (team_id=? AND ext_ref=?" in (
            plan
        ), plan


def test_an_action_logged_twice_is_found_by_one_seek_of_the_reports_index(store: Store) -> None:
    """`log`'s "logged twice?" note (actions.same_moment) seeks the pledge's actions at that
    moment, done or (for an open item) not yet, in the covering index: no scan of the
    history, none of every open item in the database."""
    from pledgetrack.store import actions

    explain = "EXPLAIN QUERY PLAN "
    for occurred in ("2008-10-14T19:00:00+01:00", None):
        args = (1, occurred, "patrol", occurred, "2008-10-14T18:00:00+01:00", 5, "PC A", "PC A", 5)
        plan = " ".join(r[3] for r in store.conn.execute(explain + actions.SAME_MOMENT, args))
        assert "SEARCH actions USING INDEX idx_actions_pledge_occurred (pledge_id=? AND " \
            "occurred_at=? AND voided_at=? AND kind=?)" in plan, plan  # fmt: skip
        assert not _scans_of_actions(plan.split("  ")), plan


# -- listings: what `actions`, `pledge show` and `history` show, read from an index's end --


OCT_1, OCT_31 = date(2008, 10, 1), date(2008, 10, 31)


def _traced(store: Store, run: Any) -> list[str]:
    """Every statement `run()` has SQLite execute on the store's connection."""
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    try:
        run()
    finally:
        store.conn.set_trace_callback(None)
    return traced


def _listing_plan(store: Store, flt: Any) -> list[str]:
    from pledgetrack.store.actions import list_actions

    traced = _traced(store, lambda: list_actions(store, flt))
    (listing,) = [sql for sql in traced if "ORDER BY julianday(CASE" in sql]
    return [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {listing}")]


@pytest.mark.parametrize(
    ("given", "index"),
    [
        ({}, "idx_actions_listed"),
        ({"include_void": True}, "idx_actions_listed"),
        ({"start": OCT_1}, "idx_actions_listed (<expr>>?)"),
        ({"end": OCT_1}, "idx_actions_listed (<expr><?)"),
        ({"start": OCT_1, "end": OCT_31}, "idx_actions_listed (<expr>>? AND <expr><?)"),
        ({"team": "T0002"}, "idx_actions_team_listed (team_id=?)"),
        ({"team": "T0002", "kind": "patrol"}, "idx_actions_team_listed (team_id=?)"),
        ({"team": "T0002", "start": OCT_1}, "idx_actions_team_listed (team_id=? AND <expr>>?)"),
        ({"team": "T0002", "end": OCT_1}, "idx_actions_team_listed (team_id=? AND <expr><?)"),
        ({"kind": "patrol"}, "idx_actions_kind_listed (kind=?)"),
        ({"kind": "Patrol "}, "idx_actions_kind_listed (kind=?)"),
        ({"kind": "patrol", "start": OCT_1}, "idx_actions_kind_listed (kind=? AND <expr>>?)"),
    ],
)
def test_a_limited_listing_reads_the_newest_rows_from_its_index_and_sorts_nothing(
    store: Store, given: dict[str, Any], index: str
) -> None:
    """`actions --limit 20` (FRESH2 G28) and its filters: the rows come off the end of an
    index whose key is the listing's order (schema 15), so SQLite reads the rows it shows
    (and, with --from or --to, those within a day's offsets of the range) and sorts none:
    no SCAN of actions, no temporary B-tree. Before, every action was read and sorted."""
    from pledgetrack.store.actions import ActionFilter

    plan = _listing_plan(store, ActionFilter(**given, limit=20))
    # a SCAN of a listing index is its walk from the newest end, which the limit stops
    walk = f"SCAN a USING INDEX {index}"
    assert [s for s in _scans_of_actions(plan) if s != walk] == [], "\n".join(plan)
    assert not any("TEMP B-TREE" in step for step in plan), "\n".join(plan)
    assert f"SEARCH a USING INDEX {index}" in plan or walk in plan, "\n".join(plan)


@pytest.mark.parametrize(
    "given", [{}, {"team": "T0002"}, {"kind": "patrol"}, {"start": OCT_1}],
    ids=["pledge", "and-team", "and-kind", "and-from"],
)
def test_a_pledges_listing_reads_that_pledges_rows_only(
    store: Store, given: dict[str, Any]
) -> None:
    """`pledge show` (--recent 10) and `actions --pledge`: the pledge's own rows by its
    index, sorted (at most a pledge's history, 250 rows on the national database: a fourth
    listing index measured ~200 MB and 9% of import time for that)."""
    from pledgetrack.store.actions import ActionFilter

    plan = _listing_plan(store, ActionFilter(pledge="T0002-L1", **given, limit=10))
    assert not _scans_of_actions(plan), "\n".join(plan)
    assert "SEARCH a USING INDEX idx_actions_pledge_occurred (pledge_id=?)" in plan, plan


@pytest.mark.parametrize(
    ("entities", "key"),
    [((), None), (("team",), "T0002"), (("pledge",), "T0002-L1")],
    ids=["everything", "team", "pledge"],
)
def test_history_reads_the_newest_changes_by_id_and_sorts_nothing(
    store: Store, entities: tuple[str, ...], key: str | None
) -> None:
    """`history --limit N`, whole or of a team or pledge: the changes newest first off the
    row ids, or the record's own entries off idx_changes_entity_entity_key in id order."""
    from pledgetrack.store.changes import list_changes

    (sql,) = _traced(store, lambda: list_changes(store, entities=entities, key=key, limit=20))
    plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert not any("TEMP B-TREE" in step for step in plan), plan
    if key is not None:
        assert plan == ["SEARCH changes USING INDEX idx_changes_entity_entity_key "
                        "(entity=? AND entity_key=?)"], plan  # fmt: skip
