"""The national commitments as data: numbers, the figures chosen, and how codes are read."""

from __future__ import annotations

import pytest

from pledgetrack.domain import national
from pledgetrack.domain.models import Setting
from pledgetrack.domain.targets import (
    FrequencyTarget,
    NoTarget,
    ResponseTarget,
    ShareTarget,
    Unit,
    describe,
)
from pledgetrack.errors import InputError

DAY = 24 * 60

# The figures docs/national-pledge.md promises, commitment by commitment (urban team)
FIGURES = {
    1: NoTarget(),
    2: NoTarget(),
    3: ShareTarget(share_pct=80),
    4: ResponseTarget(within_minutes=DAY),
    5: ResponseTarget(within_minutes=15),
    6: ResponseTarget(within_minutes=60),
    7: FrequencyTarget(count=1, unit=Unit.MONTH, action_kind="meeting"),
    8: FrequencyTarget(count=1, unit=Unit.MONTH, action_kind="update"),
    9: ResponseTarget(within_minutes=31 * DAY),
    10: NoTarget(),
}


def test_ten_commitments_numbered_in_order() -> None:
    assert [c.number for c in national.CATALOGUE] == list(range(1, 11))
    assert [c.code for c in national.CATALOGUE][:2] == ["N1", "N2"]
    assert tuple(range(1, 11)) == national.NUMBERS


def test_each_commitment_has_its_figure() -> None:
    assert {c.number: c.target for c in national.CATALOGUE} == FIGURES


def test_measured_are_those_with_a_figure() -> None:
    assert national.MEASURED == (3, 4, 5, 6, 7, 8, 9)


@pytest.mark.parametrize(("setting", "minutes"), [(Setting.URBAN, 15), (Setting.RURAL, 20)])
def test_emergency_attendance_follows_the_setting(setting: Setting, minutes: int) -> None:
    n5 = national.commitment("N5")
    assert n5.target_for(setting) == ResponseTarget(within_minutes=minutes)
    assert n5.target_text == "within 15m (urban), within 20m (rural)"


def test_only_emergency_attendance_depends_on_the_setting() -> None:
    for c in national.CATALOGUE:
        if c.number != 5:
            assert c.target_for(Setting.RURAL) == c.target_for(Setting.URBAN) == c.target
            assert c.target_text == describe(c.target)


def test_every_commitment_says_what_to_log_and_how_it_is_judged() -> None:
    for c in national.CATALOGUE:
        assert c.title and c.text and c.log and c.judged
        assert bool(c.log_with) == c.measured  # a shortcut for every measured one


def test_emergency_target_keeps_a_changed_threshold() -> None:
    edited = ResponseTarget(within_minutes=15, threshold_pct=90)
    assert national.emergency_target(edited, Setting.RURAL) == ResponseTarget(
        within_minutes=20, threshold_pct=90
    )
    assert national.emergency_target(NoTarget(), Setting.RURAL) == NoTarget()


@pytest.mark.parametrize("code", ["N4", "n4", "4", " N4 "])
def test_commitment_codes_are_forgiving(code: str) -> None:
    assert national.commitment(code).number == 4


@pytest.mark.parametrize("code", ["N11", "N0", "X", "", "N-1", "4.0"])
def test_unknown_commitment_is_refused_by_name(code: str) -> None:
    with pytest.raises(InputError) as err:
        national.commitment(code)
    assert str(err.value) == (
        f"unknown national commitment {code.strip()!r} "
        "(they are N1 to N10; see: pledgetrack national)"
    )


def test_parse_numbers_sorts_and_deduplicates() -> None:
    assert national.parse_numbers("--only", "n7, N4,,4 ") == (4, 7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (" , ", "--only needs commitments such as N4,N7"),
        (
            "N4,N12",
            "--only: unknown national commitment 'N12' "
            "(they are N1 to N10; see: pledgetrack national)",
        ),
    ],
)
def test_parse_numbers_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        national.parse_numbers("--only", text)
    assert str(err.value) == message


def test_codes_text() -> None:
    assert national.codes_text(national.NUMBERS) == "N1-N10"
    assert national.codes_text((4, 7)) == "N4, N7"


def test_split_priorities() -> None:
    assert national.split_priorities(" speeding ; litter;; ") == ["speeding", "litter"]
    with pytest.raises(InputError, match="separate the priorities with ';'"):
        national.split_priorities(" ; ")


def test_event_description() -> None:
    assert national.event_description("Public meeting", None) == "Public meeting"
    assert national.event_description("Public meeting", "  ") == "Public meeting"
    assert national.event_description("Public meeting", " at the library ") == (
        "Public meeting: at the library"
    )


def test_attendance_maps_to_commitments() -> None:
    assert {a.value: a.number for a in national.Attendance} == {
        "emergency": 5,
        "vulnerable": 6,
        "priority": 6,
    }
