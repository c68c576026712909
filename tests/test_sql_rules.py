"""The SQL forms of compliance rules agree with their one Python definition, row for row.

store.queries applies some rules in SQL for speed (in force on a day, still open, a response
item's outcome, a unit's first day, a stored time's local day). Each test here evaluates the
SQL text the store runs and the Python rule over the same constructed rows, including every
edge (the agreed day, the closing day, a close after as-of, exactly the time limit).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgetrack.domain import rules
from pledgetrack.domain.dates import format_datetime
from pledgetrack.domain.periods import unit_start
from pledgetrack.domain.targets import Unit
from pledgetrack.store import queries
from pledgetrack.store.connection import Store, open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import generate

LONDON = ZoneInfo("Europe/London")
BASE = date(2008, 9, 20)
days = st.builds(lambda n: BASE + timedelta(days=n), st.integers(0, 60))
maybe_days = st.one_of(st.none(), days)
as_of_moments = st.builds(
    lambda d, m: datetime.combine(d, time(0), LONDON) + timedelta(minutes=m),
    days,
    st.integers(0, 24 * 60 - 1),
)
STATUSES = ("active", "achieved", "not-achieved", "withdrawn")


def _sql(expression: str, pledge: dict[str, object], **params: object) -> object:
    """Evaluate `expression` with `p` one pledge row and `a` one action row."""
    conn = sqlite3.connect(":memory:")
    columns = ", ".join(f":{k} AS {k}" for k in pledge)
    action = "(SELECT :occurred_at AS occurred_at) a"
    sql = f"SELECT {expression} FROM (SELECT {columns}) p, {action}"
    row = conn.execute(sql, {"occurred_at": None, **pledge, **params}).fetchone()
    conn.close()
    return row[0]


@given(days, maybe_days, maybe_days, as_of_moments)
def test_in_force_sql_is_in_force_on(day: date, agreed: date | None, closed: date | None,
                                     as_of: datetime) -> None:  # fmt: skip
    pledge = {
        "agreed_on": agreed.isoformat() if agreed else None,
        "closed_on": closed.isoformat() if closed else None,
    }
    sql = queries.IN_FORCE_SQL.format(day=":day")
    got = _sql(sql, pledge, day=day.isoformat(), as_of_day=as_of.date().isoformat())
    assert bool(got) is rules.in_force_on(day, agreed, closed, as_of)


def test_in_force_edges() -> None:
    as_of = datetime(2008, 10, 31, 12, tzinfo=LONDON)
    agreed, closed = date(2008, 10, 1), date(2008, 10, 15)
    assert rules.in_force_on(agreed, agreed, closed, as_of)  # the agreed day counts
    assert not rules.in_force_on(agreed - timedelta(days=1), agreed, closed, as_of)
    assert rules.in_force_on(closed, agreed, closed, as_of)  # so does the closing day
    assert not rules.in_force_on(closed + timedelta(days=1), agreed, closed, as_of)
    # a close recorded after as-of does not count yet
    early = datetime(2008, 10, 14, 23, 59, tzinfo=LONDON)
    assert rules.in_force_on(date(2008, 10, 20), agreed, closed, early)


@given(st.sampled_from(STATUSES), maybe_days, as_of_moments)
def test_still_open_sql_is_still_open(status: str, closed: date | None, as_of: datetime) -> None:
    pledge = {"status": status, "closed_on": closed.isoformat() if closed else None}
    got = _sql(queries.STILL_OPEN_SQL, pledge, as_of_day=as_of.date().isoformat())
    assert bool(got) is rules.still_open(status, closed, as_of)


limits = st.sampled_from([60, 1440 * 60, 2880 * 60])


@given(
    st.integers(0, 10_000_000),
    st.one_of(st.none(), st.integers(0, 400_000)),
    limits,
    st.integers(-100_000, 400_000),
)
def test_outcome_sql_is_response_outcome(recv: int, delay: int | None, limit: int,
                                         as_of_after: int) -> None:  # fmt: skip
    done = None if delay is None else recv + delay
    as_of = recv + as_of_after
    sql = queries.OUTCOME_SQL.format(done=":done", recv=":recv", lim=":lim", now=":as_of")
    got = _sql(sql, {"x": 1}, done=done, recv=recv, lim=limit, as_of=as_of)
    assert got == rules.response_outcome(recv, done, limit, as_of)


@given(st.lists(st.tuples(st.integers(0, 400_000), st.one_of(st.none(), st.integers(0, 400_000)),
                          limits), max_size=30), st.integers(-100_000, 800_000))  # fmt: skip
def test_outcome_counts_are_response_outcomes(items: list[tuple[int, int | None, int]],
                                              as_of: int) -> None:  # fmt: skip
    """response_stats counts each item's outcome once, in one sum: split as the store
    splits it, the sum is the number met and the number breached by rules.response_outcome."""
    outcome = queries.OUTCOME_SQL.format(done="i.done", recv="i.recv", lim="i.lim", now=":as_of")
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE i (recv INTEGER, done INTEGER, lim INTEGER)")
    conn.executemany("INSERT INTO i VALUES (?, ?, ?)",
                     [(recv, None if delay is None else recv + delay, lim)
                      for recv, delay, lim in items])  # fmt: skip
    counted = f"SELECT coalesce(SUM({queries.OUTCOME_COUNTS.format(outcome=outcome)}), 0) FROM i"
    (total,) = conn.execute(counted, {"as_of": as_of}).fetchone()
    conn.close()
    got = queries.split_outcome_counts(total)
    outcomes = [rules.response_outcome(recv, None if delay is None else recv + delay, lim, as_of)
                for recv, delay, lim in items]  # fmt: skip
    assert got == (outcomes.count("met"), outcomes.count("breached"))


def test_outcome_at_the_limit() -> None:
    assert rules.response_outcome(0, 1440 * 60, 1440 * 60, 10**9) == "met"
    assert rules.response_outcome(0, 1440 * 60 + 1, 1440 * 60, 10**9) == "breached"
    assert rules.response_outcome(0, None, 60, 60) == "pending"
    assert rules.response_outcome(0, None, 60, 61) == "breached"


stored_moments = st.builds(
    lambda d, m: (datetime.combine(d, time(0), UTC) + timedelta(minutes=m)).astimezone(LONDON),
    st.builds(lambda n: date(2007, 12, 20) + timedelta(days=n), st.integers(0, 800)),
    st.integers(0, 24 * 60 - 1),
)


@given(stored_moments)
def test_local_day_sql_is_the_local_date(moment: datetime) -> None:
    """Frequency counts take each action's local day from its text (and then its unit from
    domain.periods.unit_start): the day the clock on the wall showed, across clock changes."""
    text = format_datetime(moment)
    got = _sql(queries.LOCAL_DAY_SQL.format(col="a.occurred_at"), {"x": 1}, occurred_at=text)
    assert date.fromisoformat(str(got)) == moment.date()


by_as_of_moments = st.builds(
    lambda d, m, zone: (datetime.combine(d, time(0), UTC) + timedelta(minutes=m)).astimezone(zone),
    st.builds(lambda n: date(2008, 10, 20) + timedelta(days=n), st.integers(0, 12)),
    st.integers(0, 24 * 60 - 1),
    st.sampled_from([LONDON, UTC, ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Etc/GMT+12")]),
)


@given(by_as_of_moments, as_of_moments)
def test_by_as_of_sql_is_at_or_before_as_of(moment: datetime, as_of: datetime) -> None:
    """Whatever a stored time's offset, the shortcut on its text never changes the answer."""
    scope = queries.Scope(None, as_of)
    sql = queries.BY_AS_OF_SQL.format(col="a.occurred_at")
    got = _sql(sql, {"x": 1}, occurred_at=format_datetime(moment), **scope.params())
    assert bool(got) is (moment <= as_of)


def test_by_as_of_far_west_offset() -> None:
    """12 hours behind UTC, a time on the day before as-of's local date can still be later."""
    as_of = datetime(2008, 10, 21, 0, 30, tzinfo=LONDON)
    later = datetime(2008, 10, 20, 23, 0, tzinfo=ZoneInfo("Etc/GMT+12"))
    assert later > as_of
    sql = queries.BY_AS_OF_SQL.format(col="a.occurred_at")
    params = queries.Scope(None, as_of).params()
    assert not _sql(sql, {"x": 1}, occurred_at=format_datetime(later), **params)


@given(stored_moments)
def test_epoch_sql_is_the_instant(moment: datetime) -> None:
    """A stored time as epoch seconds (the form the response items' index holds) is the
    real instant, whatever the offset it was written with; unixepoch() agrees."""
    text = format_datetime(moment)
    conn = sqlite3.connect(":memory:")
    seconds = conn.execute(f"SELECT {queries.EPOCH_SQL.format('?')}", [text]).fetchone()[0]
    if sqlite3.sqlite_version_info >= (3, 38):
        assert conn.execute("SELECT unixepoch(?)", [text]).fetchone()[0] == seconds
    conn.close()
    assert seconds == int(moment.timestamp())


@given(by_as_of_moments, days)
def test_from_day_sql_is_on_or_after_the_local_day(moment: datetime, day: date) -> None:
    """A frequency count's unit boundaries compare the stored text with a day's ISO text:
    the same as comparing the local day the time was written in, whatever its offset."""
    sql = queries.FROM_DAY_SQL.format(col="a.occurred_at", day=":day")
    got = _sql(sql, {"x": 1}, occurred_at=format_datetime(moment), day=day.isoformat())
    assert bool(got) is (moment.date() >= day)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Four teams' pledges of every unit, September to November 2008 (a clock change)."""
    path = tmp_path_factory.mktemp("units") / "units.db"
    generate.generate(
        path, teams=4, pledges_per_team=10, start=date(2008, 9, 1), months=3,
        actions_per_team_month=80,
    )  # fmt: skip
    as_of = datetime(2008, 12, 1, tzinfo=LONDON)
    with open_store(path, create=False, actor="test", clock=lambda: as_of) as opened:
        yield opened


def _counted_by_unit_start(
    store: Store, as_of: datetime, ranges: dict[Unit, tuple[date, date]]
) -> dict[str, dict[date, int]]:
    """The frequency counts by their Python definitions: each live action of the pledge's
    kind, done by as-of on a local day in its unit's range, under periods.unit_start."""
    rows = store.conn.execute(
        "SELECT p.ref, p.target_unit, p.target_action_kind, a.occurred_at, a.kind "
        "FROM pledges p JOIN actions a ON a.pledge_id = p.id "
        "WHERE p.target_type = 'frequency' AND a.voided_at IS NULL AND a.occurred_at IS NOT NULL"
    )
    counts: dict[str, dict[date, int]] = {}
    for ref, unit_text, kind, occurred, action_kind in rows:
        unit, moment = Unit(unit_text), datetime.fromisoformat(occurred)
        first, last = ranges.get(unit, (date.max, date.min))
        if first <= moment.date() <= last and moment <= as_of and kind in (None, action_kind):
            per_unit = counts.setdefault(ref, {})
            start = unit_start(unit, moment.date())
            per_unit[start] = per_unit.get(start, 0) + 1
    return counts


@pytest.mark.parametrize("most_counted", [0, 1, queries.MOST_UNITS_COUNTED, 100])
@pytest.mark.parametrize(
    ("first", "last", "as_of"),
    [
        (date(2008, 10, 1), date(2008, 10, 31), datetime(2008, 11, 1, 12, tzinfo=LONDON)),
        (date(2008, 10, 20), date(2008, 10, 26), datetime(2008, 10, 26, 1, 30, tzinfo=UTC)),
        (date(2008, 10, 1), date(2008, 12, 31), datetime(2008, 10, 27, 0, 30, tzinfo=LONDON)),
        (date(2008, 1, 1), date(2008, 12, 31), datetime(2008, 12, 1, tzinfo=LONDON)),
        (date(2008, 9, 3), date(2008, 11, 5), datetime(2008, 11, 5, 23, 59, tzinfo=LONDON)),
    ],
    ids=["october", "clock-change-week", "quarter-in-progress", "year", "odd-days"],
)
def test_frequency_counts_are_per_unit_start(
    generated: Store, monkeypatch: pytest.MonkeyPatch, most_counted: int,
    first: date, last: date, as_of: datetime,
) -> None:  # fmt: skip
    """Counted between units' first days in SQL or listed by day and counted here, every
    range gives the counts of the Python rules, at every edge of a unit and of the range."""
    monkeypatch.setattr(queries, "MOST_UNITS_COUNTED", most_counted)
    ranges = {unit: (unit_start(unit, first), last) for unit in Unit}
    got = queries.frequency_counts(generated, queries.Scope(None, as_of), ranges)
    assert got == _counted_by_unit_start(generated, as_of, ranges)
    assert sum(len(per_unit) for per_unit in got.values()) > len(got)  # several units each
