"""The bulk forms of `log`'s entry rules, which `import actions` applies to a batch at once,
are the per-action rules: the same actions refused, the same kinds stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from pledgetrack.domain import entry_rules
from pledgetrack.domain.models import Action, Pledge, PledgeStatus, Team
from pledgetrack.domain.periods import Unit
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    NoTarget,
    ResponseTarget,
    ShareTarget,
    Target,
)
from pledgetrack.errors import InputError

NOW = datetime(2008, 10, 16, 15, 0, tzinfo=timezone(timedelta(hours=1)))
# a zoned now in the second 01:00 of 26 October 2008 (GMT): the tolerance is real time
SECOND_HOUR = datetime(2008, 10, 26, 1, 0, tzinfo=UTC).astimezone(ZoneInfo("Europe/London"))
AGREED = date(2008, 9, 1)
CLOSED = date(2008, 10, 10)

TARGETS: list[Target] = [
    NoTarget(),
    FrequencyTarget(count=2, unit=Unit.WEEK, action_kind="patrol"),
    FrequencyTarget(count=2, unit=Unit.WEEK),
    ResponseTarget(within_minutes=2880),
    DeadlineTarget(due=date(2008, 12, 1)),
    ShareTarget(share_pct=80),  # N3: its hours floor (check_share_hours)
]
# the edges of every rule: agreed and closed days at either end of a local day, the
# future tolerance, before and after the received time, a clock change
_OFFSETS = st.sampled_from([timezone(timedelta(hours=1)), UTC, timezone(-timedelta(hours=5))])
_EDGES = [
    datetime(2008, 8, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=1))),
    datetime(2008, 9, 1, 0, 0, tzinfo=timezone(timedelta(hours=1))),
    datetime(2008, 8, 31, 23, 30, tzinfo=UTC),  # 1 September in London
    datetime(2008, 10, 10, 23, 59, 59, tzinfo=timezone(timedelta(hours=1))),
    datetime(2008, 10, 11, 0, 0, tzinfo=timezone(timedelta(hours=1))),
    NOW + entry_rules.FUTURE_TOLERANCE,
    NOW + entry_rules.FUTURE_TOLERANCE + timedelta(seconds=1),
    datetime(2008, 10, 26, 1, 30, tzinfo=timezone(timedelta(hours=1))),
    datetime(2008, 10, 26, 1, 0, tzinfo=UTC),
    SECOND_HOUR + entry_rules.FUTURE_TOLERANCE,
    SECOND_HOUR + entry_rules.FUTURE_TOLERANCE + timedelta(seconds=1),  # 01:05:01 BST: past
    datetime(2008, 10, 26, 1, 5, 1, tzinfo=UTC),
]
MOMENTS = (
    st.none()
    | st.sampled_from(_EDGES)
    | st.builds(
        lambda minutes, zone: (
            datetime(2008, 8, 25, tzinfo=UTC) + timedelta(minutes=minutes)
        ).astimezone(zone),
        st.integers(0, 60 * 24 * 60),
        _OFFSETS,
    )
)
TEXT = st.none() | st.sampled_from(["", " ", "\t\n", "Patrol", " x "])
HOURS = st.none() | st.sampled_from(
    [0.0, -0.0, -1.0, 0.5, 24 * 366.0, 24 * 366 + 0.001, float("inf"), float("nan")]
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Team, Pledge, Action]:
    team = Team.model_construct(code="CW01", name="Castle Ward", active=draw(st.booleans()))
    closed = draw(st.booleans())
    pledge = Pledge.model_construct(
        ref="CW01-L1",
        team="CW01",
        seq=1,
        title="P",
        target=draw(st.sampled_from(TARGETS)),
        agreed_on=draw(st.none() | st.just(AGREED)),
        status=PledgeStatus.ACHIEVED if closed else PledgeStatus.ACTIVE,
        closed_on=CLOSED if closed else None,
    )
    action = Action.model_construct(
        team="CW01",
        pledge="CW01-L1",
        description=draw(TEXT),
        occurred_at=draw(MOMENTS),
        received_at=draw(MOMENTS),
        hours=draw(HOURS),
        abstracted=draw(st.booleans()),
        delivers=draw(st.booleans()),
        voided_at=draw(MOMENTS),
        void_reason=draw(TEXT),
    )
    return team, pledge, action


def _refused_one_by_one(team: Team, pledge: Pledge, action: Action, now: datetime | None) -> bool:
    try:
        entry_rules.check_loggable(team, pledge, action, now)
    except InputError:
        return True
    return False


@given(st.lists(cases(), max_size=12), st.sampled_from([NOW, SECOND_HOUR, None]))
@example([], NOW)
@example(
    [
        (
            Team(code="CW01", name="Castle Ward"),
            Pledge.model_construct(ref="CW01-L1", team="CW01", seq=1, title="P",
                                   target=NoTarget(), agreed_on=AGREED),
            Action.model_construct(team="CW01", pledge="CW01-L1", description="Patrol",
                                   occurred_at=datetime(2008, 10, 26, 1, 5, tzinfo=UTC)),
        )
    ],
    SECOND_HOUR,
)  # fmt: skip
def test_the_bulk_rules_refuse_exactly_what_check_loggable_refuses(
    batch: list[tuple[Team, Pledge, Action]], now: datetime | None
) -> None:
    actions = [action for _, _, action in batch]
    refused = entry_rules.refused(
        [entry_rules.log_target(team, pledge) for team, pledge, _ in batch],
        description=[a.description for a in actions],
        occurred_at=[a.occurred_at for a in actions],
        received_at=[a.received_at for a in actions],
        hours=[a.hours for a in actions],
        abstracted=[a.abstracted for a in actions],
        delivers=[a.delivers for a in actions],
        voided_at=[a.voided_at for a in actions],
        void_reason=[a.void_reason for a in actions],
        now=now,
    )
    expected = [p for p, case in enumerate(batch) if _refused_one_by_one(*case, now)]
    assert refused == expected


def test_each_rule_refuses_on_its_own() -> None:
    """A mutant of one rule in the bulk form must fail a named case, not only a random one."""
    team = Team(code="CW01", name="Castle Ward")
    ok_at = datetime(2008, 10, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    base = {"team": "CW01", "pledge": "CW01-L1", "description": "Patrol", "occurred_at": ok_at}
    plain = Pledge.model_construct(ref="CW01-L1", team="CW01", seq=1, title="P",
                                   target=NoTarget(), agreed_on=AGREED)  # fmt: skip
    response = plain.model_copy(update={"target": ResponseTarget(within_minutes=60)})
    closed = plain.model_copy(update={"closed_on": CLOSED, "status": PledgeStatus.ACHIEVED})
    archived = team.model_copy(update={"active": False})
    late = NOW + entry_rules.FUTURE_TOLERANCE
    cases = [
        (team, plain, {}, False),
        (team, plain, {"description": " "}, True),
        (team, plain, {"hours": -1.0}, True),
        (team, plain, {"abstracted": True}, True),
        (team, plain, {"abstracted": True, "hours": 1.0}, False),
        (archived, plain, {}, True),
        (team, plain, {"delivers": True}, True),
        (team, plain, {"received_at": ok_at}, True),
        (team, plain, {"occurred_at": None}, True),
        (team, response, {}, True),
        (team, response, {"received_at": ok_at}, False),
        (team, response, {"received_at": ok_at + timedelta(seconds=1)}, True),
        (team, response, {"occurred_at": None, "received_at": late}, False),
        (team, response, {"occurred_at": None, "received_at": late + timedelta(seconds=1)}, True),
        (team, plain, {"occurred_at": late}, False),
        (team, plain, {"occurred_at": late + timedelta(seconds=1)}, True),
        (team, plain, {"void_reason": "typo"}, True),
        (team, plain, {"voided_at": ok_at}, True),
        (team, plain, {"voided_at": ok_at, "void_reason": "typo"}, False),
        (team, plain, {"voided_at": ok_at - timedelta(seconds=1), "void_reason": "typo"}, True),
        (team, plain, {"voided_at": late + timedelta(seconds=1), "void_reason": "typo"}, True),
        (team, plain, {"occurred_at": datetime(2008, 9, 1, tzinfo=ok_at.tzinfo)}, False),
        (team, plain, {"occurred_at": datetime(2008, 8, 31, 23, 59, tzinfo=ok_at.tzinfo)}, True),
        (team, closed, {"occurred_at": datetime(2008, 10, 10, 23, 59, tzinfo=ok_at.tzinfo)}, False),
        (team, closed, {"occurred_at": datetime(2008, 10, 11, tzinfo=ok_at.tzinfo)}, True),
    ]
    for team_, pledge, change, refused in cases:
        action = Action.model_construct(**{**base, **change})
        assert _refused_one_by_one(team_, pledge, action, NOW) is refused, change
        bulk = entry_rules.refused(
            [entry_rules.log_target(team_, pledge)],
            description=[action.description],
            occurred_at=[action.occurred_at],
            received_at=[action.received_at],
            hours=[action.hours],
            abstracted=[action.abstracted],
            delivers=[action.delivers],
            voided_at=[action.voided_at],
            void_reason=[action.void_reason],
            now=NOW,
        )
        assert bulk == ([0] if refused else []), change


@given(
    st.lists(
        st.tuples(
            st.sampled_from(TARGETS),
            st.none() | st.sampled_from(["", " ", "Patrol", " LEAFLET   drop ", "patrol"]),
        ),
        max_size=12,
    )
)
def test_the_bulk_kinds_are_stored_kind(rows: list[tuple[Target, str | None]]) -> None:
    pledges = [
        Pledge.model_construct(ref="CW01-L1", team="CW01", seq=1, title="P", target=target)
        for target, _ in rows
    ]
    kinds = [kind for _, kind in rows]
    defaults = [entry_rules.stored_kind(p, None) for p in pledges]
    assert entry_rules.stored_kinds(defaults, kinds) == [
        entry_rules.stored_kind(p, k) for p, k in zip(pledges, kinds, strict=True)
    ]
