"""Property tests: the SQL-aggregated summary equals a naive Python recount of the same data."""

from __future__ import annotations

import statistics
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pledgetrack.domain.models import Action, Team
from pledgetrack.domain.periods import Period
from pledgetrack.domain.rules import judge_response
from pledgetrack.domain.targets import FrequencyTarget, ResponseTarget, ShareTarget, Unit
from pledgetrack.services.action_log import log_action, void
from pledgetrack.services.compliance import summarise
from pledgetrack.services.pledge_lifecycle import new_local_pledge
from pledgetrack.store.connection import Store, open_store
from pledgetrack.store.teams import add_team

LONDON = ZoneInfo("Europe/London")
BASE = date(2008, 9, 1)
LATER = datetime(2009, 6, 1, tzinfo=UTC)  # when the data is entered: after all of it


def local(day_offset: int, minute: int) -> datetime:
    """A wall-clock moment in London; the range spans the 26 Oct 2008 clock change."""
    naive = datetime.combine(BASE + timedelta(days=day_offset), time(0)) + timedelta(minutes=minute)
    return naive.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)


def after(moment: datetime, minutes: int) -> datetime:
    """`minutes` of real time later (aware arithmetic in one zone would add wall-clock time)."""
    return (moment.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(LONDON)


@dataclass
class Logged:
    when: datetime | None
    received: datetime | None = None
    hours: float | None = None
    abstracted: bool = False
    void: bool = False


moments = st.builds(local, st.integers(0, 90), st.integers(0, 24 * 60 - 1))
# mostly after the data, sometimes in the middle of it
as_of_moments = st.builds(local, st.integers(20, 130), st.integers(0, 24 * 60 - 1))
frequency_actions = st.lists(st.builds(Logged, when=moments, void=st.booleans()), max_size=25)
response_items = st.lists(
    st.tuples(
        moments,
        # delays in minutes: anything up to 3 days, and often right at the 24-hour limit
        st.one_of(st.none(), st.integers(0, 72 * 60), st.sampled_from([1439, 1440, 1441])),
        st.booleans(),
    ),
    max_size=15,
)
share_actions = st.lists(
    st.builds(
        Logged,
        when=moments,
        hours=st.sampled_from([0.5, 4.0, 7.5, 8.0, 10.0]),
        abstracted=st.booleans(),
        void=st.booleans(),
    ),
    max_size=15,
)
periods = st.builds(
    lambda start, length: Period(
        BASE + timedelta(days=start), BASE + timedelta(days=start + length), "p"
    ),
    st.integers(0, 60),
    st.integers(6, 60),
)


def naive_frequency(
    target: FrequencyTarget, agreed: date, actions: list[Logged], period: Period, as_of: datetime
) -> tuple[int, int, float | None]:
    def key(day: date) -> tuple[int, ...]:
        if target.unit is Unit.DAY:
            return (day.toordinal(),)
        if target.unit is Unit.WEEK:
            return day.isocalendar()[:2]
        if target.unit is Unit.MONTH:
            return (day.year, day.month)
        return (day.year, (day.month - 1) // 3)

    days_by_unit: dict[tuple[int, ...], list[date]] = {}
    day = BASE - timedelta(days=120)
    while day <= BASE + timedelta(days=300):
        days_by_unit.setdefault(key(day), []).append(day)
        day += timedelta(days=1)
    judged = [
        (min(days), max(days))
        for days in days_by_unit.values()
        if period.start <= max(days) <= period.end
        and max(days) < as_of.date()
        and agreed <= min(days)
    ]
    counted = [a for a in actions if not a.void and a.when is not None and a.when <= as_of]
    per_unit = [sum(first <= a.when.date() <= last for a in counted) for first, last in judged]  # type: ignore[union-attr]
    met = sum(n >= target.count for n in per_unit)
    pct = 100 * met / len(judged) if judged else None
    return sum(per_unit), target.count * len(judged), pct


def naive_response(
    limit_s: int,
    agreed: date,
    items: list[tuple[datetime, int | None, bool]],
    period: Period,
    as_of: datetime,
) -> tuple[int, int, int, list[float], list[float]]:
    """met, breached, pending, the elapsed seconds of the items dealt with by as-of, and
    the age at as-of of those still open past the limit."""
    met = breached = pending = 0
    elapsed: list[float] = []
    ages: list[float] = []
    for received, delay_min, voided in items:
        if (
            voided
            or not period.contains(received.date())
            or received.date() < agreed
            or received > as_of
        ):
            continue
        done = None if delay_min is None else after(received, delay_min)
        if done is not None and done > as_of:
            done = None
        if done is not None:
            took = (done.astimezone(UTC) - received.astimezone(UTC)).total_seconds()
            elapsed.append(took)
            if took <= limit_s:
                met += 1
            else:
                breached += 1
        else:
            age = (as_of.astimezone(UTC) - received.astimezone(UTC)).total_seconds()
            if age > limit_s:
                breached += 1
                ages.append(age)
            else:
                pending += 1
    return met, breached, pending, elapsed, ages


def build(store: Store, agreed: date, target: object, logged: list[Logged]) -> str:
    pledge = new_local_pledge(store, "T1", "p", target, agreed_on=agreed)  # type: ignore[arg-type]
    for entry in logged:
        action_id = log_action(
            store,
            Action(team="", pledge=pledge.ref, description="x", occurred_at=entry.when,
                   received_at=entry.received, hours=entry.hours, abstracted=entry.abstracted),
        )  # fmt: skip
        if entry.void:
            void(store, action_id, "test")
    return pledge.ref


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    unit=st.sampled_from(list(Unit)),
    count=st.integers(1, 3),
    agreed_offset=st.integers(0, 30),
    freq=frequency_actions,
    items=response_items,
    shares=share_actions,
    period=periods,
    as_of=as_of_moments,
)
# received 01:01 BST, dealt with 59 minutes later at 01:00 GMT, the night the clocks went back:
# one zone object compares them by wall clock, which once refused the item as done first
@example(
    unit=Unit.DAY,
    count=1,
    agreed_offset=0,
    freq=[],
    items=[(local(55, 61), 59, False)],
    shares=[],
    period=Period(date(2008, 9, 1), date(2008, 9, 7), "p"),
    as_of=local(20, 0),
)
def test_summary_equals_a_naive_recount(
    unit: Unit,
    count: int,
    agreed_offset: int,
    freq: list[Logged],
    items: list[tuple[datetime, int | None, bool]],
    shares: list[Logged],
    period: Period,
    as_of: datetime,
) -> None:
    agreed = BASE + timedelta(days=agreed_offset)
    # entries dated before the pledge was agreed are refused at entry; keep the rest
    freq = [a for a in freq if a.when is not None and a.when.date() >= agreed]
    items = [item for item in items if item[0].date() >= agreed]
    shares = [a for a in shares if a.when is not None and a.when.date() >= agreed]
    freq_target = FrequencyTarget(count=count, unit=unit)
    reply = ResponseTarget(within_minutes=24 * 60)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "p.db", create=True, actor="t", clock=lambda: LATER)
        with store:
            add_team(store, Team(code="T1", name="Team"))
            f_ref = build(store, agreed, freq_target, freq)
            r_logged = [
                Logged(
                    when=None if delay is None else after(received, delay),
                    received=received,
                    void=voided,
                )
                for received, delay, voided in items
            ]
            r_ref = build(store, agreed, reply, r_logged)
            s_ref = build(store, agreed, ShareTarget(share_pct=80), shares)
            results = {
                r.pledge.ref: r.judgement
                for s in summarise(store, period, as_of)
                for r in s.results
            }

    in_force = agreed <= period.end and agreed <= as_of.date()
    assert (f_ref in results) == in_force
    if not in_force:
        return
    actual, expected, pct = naive_frequency(freq_target, agreed, freq, period, as_of)
    got = results[f_ref]
    assert (got.actual, got.expected) == (actual, expected)
    assert got.compliance_pct == pct or abs((got.compliance_pct or 0) - (pct or 0)) < 1e-9

    met, breached, pending, elapsed, ages = naive_response(
        24 * 3600, agreed, items, period, as_of
    )
    assert (results[r_ref].actual, results[r_ref].expected) == (met, met + breached)
    median = statistics.median(elapsed) if elapsed else None
    expected_detail = judge_response(
        ResponseTarget(within_minutes=24 * 60), met, breached, pending, median,
        max(elapsed, default=None), max(ages, default=None),
    ).detail  # fmt: skip
    assert results[r_ref].detail == expected_detail

    counted = [
        s for s in shares
        if not s.void and s.when is not None and s.when <= as_of
        and period.contains(s.when.date()) and s.when.date() >= agreed
    ]  # fmt: skip
    inside = sum(s.hours or 0 for s in counted if not s.abstracted)
    total = sum(s.hours or 0 for s in counted)
    assert results[s_ref].actual == inside
    assert results[s_ref].expected == total
    pct_share = results[s_ref].compliance_pct
    assert pct_share is None or 0 <= pct_share <= 100
