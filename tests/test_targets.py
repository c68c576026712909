"""Targets: durations, building exactly one target from options, amending, describing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pledgetrack.domain.numbers import DURATION_MINUTES
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    NoTarget,
    ResponseTarget,
    ShareTarget,
    Target,
    Unit,
    amend_target,
    build_target,
    describe,
    format_duration,
    parse_duration,
)
from pledgetrack.errors import InputError

# how a percentage out of range is refused (numbers.PERCENT)
_PERCENT = "a percentage above 0 and at most 100, to 2 decimal places"
MINUTES = {"w": 7 * 24 * 60, "d": 24 * 60, "h": 60, "m": 1}
SPELLINGS = {
    "w": ["w", "week", "weeks", "W", "Weeks"],
    "d": ["d", "day", "days", "D"],
    "h": ["h", "hr", "hrs", "hour", "hours", "H"],
    "m": ["m", "min", "mins", "minute", "minutes", "M"],
}

part = st.sampled_from(sorted(MINUTES)).flatmap(
    lambda unit: st.tuples(
        st.integers(min_value=0, max_value=999),
        st.just(unit),
        st.sampled_from(SPELLINGS[unit]),
        st.sampled_from(["", " "]),
    )
)


# -- parse_duration ----------------------------------------------------------------------


@given(st.lists(part, min_size=1, max_size=5), st.sampled_from(["", " "]))
def test_duration_minutes_are_the_sum_of_its_parts(parts: list, joiner: str) -> None:
    expected = sum(n * MINUTES[unit] for n, unit, _, _ in parts)
    assume(1 <= expected <= DURATION_MINUTES.high)
    text = joiner.join(f"{n}{gap}{spelling}" for n, _, spelling, gap in parts)
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("24h", 1440),
        ("60m", 60),
        ("2d", 2880),
        ("1h30m", 90),
        ("90 minutes", 90),
        ("1.5h", 90),
        ("0.5d", 720),
        ("1 week", 10080),
        ("  48 hours ", 2880),
    ],
)
def test_duration_examples(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    "text",
    ["", "24", "h", "soon", "24x", "-1h", "1h-30m", "1.h", "h24", "1 fortnight", "1y", "1,5h"],
)
def test_duration_garbage_is_refused_naming_the_value(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_duration(text)
    assert str(caught.value) == f"cannot read {text!r} as a duration (try 24h, 60m, 2d or 1h30m)"


@given(st.text(alphabet=st.characters(exclude_categories=("Nd",)), max_size=20))
def test_duration_without_a_number_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_duration(text)


@pytest.mark.parametrize("text", ["0m", "0h0m", "0 days", "0.2m"])
def test_zero_duration_is_refused(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_duration(text)
    assert str(caught.value) == f"duration {text!r} is shorter than a minute"


# -- format_duration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (1440, "24h"),
        (90, "1h30m"),
        (2880, "48h"),
        (10080, "7d"),
        (45, "45m"),
        (65, "1h05m"),
        (20160, "14d"),
        (10140, "7d1h"),
        (30300, "21d1h"),
        (4321, "3d01m"),
        (4260, "71h"),
    ],
)
def test_format_duration_examples(minutes: int, text: str) -> None:
    assert format_duration(minutes) == text


@given(st.integers(min_value=1, max_value=int(DURATION_MINUTES.high)))
def test_format_duration_round_trips_through_parse(minutes: int) -> None:
    assert parse_duration(format_duration(minutes)) == minutes


# -- build_target ------------------------------------------------------------------------


def test_each_target_type_is_built_from_its_options() -> None:
    assert build_target(at_least=2, per="week") == FrequencyTarget(count=2, unit=Unit.WEEK)
    assert build_target(at_least=3, per="Month", action_kind="patrol", threshold=80) == (
        FrequencyTarget(count=3, unit=Unit.MONTH, action_kind="patrol", threshold_pct=80)
    )
    assert build_target(within="48h") == ResponseTarget(within_minutes=2880, threshold_pct=100)
    assert build_target(within="1h30m", threshold=90) == ResponseTarget(
        within_minutes=90, threshold_pct=90
    )
    assert build_target(share=62.5) == ShareTarget(share_pct=62.5)
    assert build_target(by=date(2008, 11, 28)) == DeadlineTarget(due=date(2008, 11, 28))
    assert build_target() == NoTarget()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"at_least": 2, "per": "week", "within": "24h"},
            "--at-least (frequency) and --within (response) cannot be combined: "
            "a pledge has exactly one target",
        ),
        (
            {"within": "24h", "share": 50.0},
            "--within (response) and --share (share) cannot be combined: "
            "a pledge has exactly one target",
        ),
        (
            {"share": 50.0, "by": date(2008, 12, 1)},
            "--share (share) and --by (deadline) cannot be combined: "
            "a pledge has exactly one target",
        ),
        (
            {"per": "week", "by": date(2008, 12, 1)},
            "--per (frequency) and --by (deadline) cannot be combined: "
            "a pledge has exactly one target",
        ),
        (
            {"action_kind": "patrol", "share": 20.0},
            "--action-kind (frequency) and --share (share) cannot be combined: "
            "a pledge has exactly one target",
        ),
        ({"at_least": 2}, "a frequency target needs both --at-least N and --per UNIT"),
        ({"per": "week"}, "a frequency target needs both --at-least N and --per UNIT"),
        ({"action_kind": "patrol"}, "a frequency target needs both --at-least N and --per UNIT"),
        (
            {"at_least": 0, "per": "week"},
            "--at-least must be a whole number from 1 to 1,000,000, not 0",
        ),
        (
            {"at_least": -3, "per": "week"},
            "--at-least must be a whole number from 1 to 1,000,000, not -3",
        ),
        (
            {"at_least": 2, "per": "fortnight"},
            "--per must be day, week, month or quarter, not 'fortnight'",
        ),
        (
            {"share": 50.0, "threshold": 90.0},
            "--threshold applies only to response and frequency targets",
        ),
        ({"threshold": 90.0}, "--threshold applies only to response and frequency targets"),
        (
            {"within": "24h", "threshold": 0.0},
            "--threshold must be a percentage above 0 and at most 100, to 2 decimal places, not 0",
        ),
        (
            {"at_least": 1, "per": "day", "threshold": 100.5},
            "--threshold must be a percentage above 0 and at most 100, to 2 decimal places, "
            "not 100.5",
        ),
        ({"share": 0.0}, f"--share must be {_PERCENT}, not 0"),
        ({"share": 150.0}, f"--share must be {_PERCENT}, not 150"),
        # just over the top must not be shown rounded to the top itself
        (
            {"share": 100.0000001},
            f"--share must be {_PERCENT}, not 100.0000001",
        ),
        (
            {"within": "soon"},
            "--within: cannot read 'soon' as a duration (try 24h, 60m, 2d or 1h30m)",
        ),
    ],
)
def test_build_target_refusals(options: dict, message: str) -> None:
    with pytest.raises(InputError) as caught:
        build_target(**options)
    assert str(caught.value) == message
    # the field the importer reports as the column: the option the message names first,
    # or the whole target when two targets were mixed
    field = caught.value.field
    assert field is not None
    assert field == "target" or f"--{field.replace('_', '-')}" in message
    if field == "target":
        assert "cannot be combined" in message


# -- amend_target ------------------------------------------------------------------------

FREQ = FrequencyTarget(count=2, unit=Unit.WEEK, action_kind="patrol", threshold_pct=80)
RESP = ResponseTarget(within_minutes=2880, threshold_pct=90)
SHARE = ShareTarget(share_pct=80)
DEADLINE = DeadlineTarget(due=date(2008, 11, 28))


@pytest.mark.parametrize(
    ("target", "option", "value", "belongs"),
    [
        (FREQ, "within", "24h", "response"),
        (FREQ, "share", 50.0, "share"),
        (FREQ, "by", date(2008, 12, 1), "deadline"),
        (RESP, "at_least", 3, "frequency"),
        (RESP, "per", "day", "frequency"),
        (RESP, "action_kind", "patrol", "frequency"),
        (SHARE, "threshold", 50.0, "frequency/response"),
        (SHARE, "within", "2h", "response"),
        (DEADLINE, "share", 10.0, "share"),
        (NoTarget(), "by", date(2008, 12, 1), "deadline"),
    ],
)
def test_amend_refuses_options_of_another_target_type(
    target: Target, option: str, value: object, belongs: str
) -> None:
    with pytest.raises(InputError) as caught:
        amend_target(target, "CW01-L1", **{option: value})
    flag = "--" + option.replace("_", "-")
    assert str(caught.value) == (
        f"{flag} applies to {belongs} pledges; CW01-L1 is a {target.type} pledge "
        "(close it and add a new pledge to change the type)"
    )


def test_amend_changes_only_the_figures_given() -> None:
    assert amend_target(FREQ, "X", at_least=3) == FREQ.model_copy(update={"count": 3})
    assert amend_target(FREQ, "X", per="month") == FREQ.model_copy(update={"unit": Unit.MONTH})
    assert amend_target(FREQ, "X", threshold=50) == FREQ.model_copy(update={"threshold_pct": 50})
    assert amend_target(RESP, "X", within="24h") == RESP.model_copy(update={"within_minutes": 1440})
    assert amend_target(RESP, "X", threshold=75) == RESP.model_copy(update={"threshold_pct": 75})
    assert amend_target(SHARE, "X", share=60) == ShareTarget(share_pct=60)
    assert amend_target(DEADLINE, "X", by=date(2009, 1, 31)) == DeadlineTarget(
        due=date(2009, 1, 31)
    )
    assert amend_target(NoTarget(), "X") == NoTarget()


def test_amend_can_drop_the_action_kind() -> None:
    assert amend_target(FREQ, "X", action_kind="").action_kind is None  # type: ignore[union-attr]


def test_amend_applies_the_same_checks_as_add() -> None:
    with pytest.raises(
        InputError, match=r"^--at-least must be a whole number from 1 to 1,000,000, not 0$"
    ):
        amend_target(FREQ, "X", at_least=0)
    with pytest.raises(InputError, match=r"^--share must be a percentage"):
        amend_target(SHARE, "X", share=101)


# -- describe ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "text"),
    [
        (FrequencyTarget(count=2, unit=Unit.WEEK), "at least 2 per week"),
        (
            FrequencyTarget(count=1, unit=Unit.QUARTER, action_kind="meeting"),
            "at least 1 per quarter (kind: meeting)",
        ),
        (
            FrequencyTarget(count=2, unit=Unit.WEEK, threshold_pct=80),
            "at least 2 per week in 80% of weeks",
        ),
        (ResponseTarget(within_minutes=2880), "within 48h"),
        (ResponseTarget(within_minutes=90, threshold_pct=90), "within 1h30m for 90% of items"),
        (ResponseTarget(within_minutes=10080, threshold_pct=87.5), "within 7d for 87.5% of items"),
        (ShareTarget(share_pct=80), "at least 80% of hours in the neighbourhood"),
        (ShareTarget(share_pct=62.5), "at least 62.5% of hours in the neighbourhood"),
        (DeadlineTarget(due=date(2008, 11, 28)), "by 2008-11-28"),
        (NoTarget(), "not measured"),
    ],
)
def test_describe(target: Target, text: str) -> None:
    assert describe(target) == text
