"""A report judges its frequency pledges with one memo (`rules.judge_frequency(...,
memo=)`), which judges each distinct (target, tally) once and shares the judgement: it
must give every pledge exactly what judging that pledge alone gives, in any order."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pledgetrack.domain import rules
from pledgetrack.domain.targets import FrequencyTarget, Unit

MONDAYS = [date(2008, 9, 29) + timedelta(weeks=n) for n in range(6)]
WEEKS = [(first, first + timedelta(days=6)) for first in MONDAYS]

# Few targets, some equal in every field but one (so that a key without the target's
# identity, or reading one field of it only, gives a pledge another target's judgement),
# one equal to another in every field and a different object
TARGETS = [
    FrequencyTarget(count=2, unit=Unit.WEEK),
    FrequencyTarget(count=2, unit=Unit.WEEK, threshold_pct=75),
    FrequencyTarget(count=3, unit=Unit.WEEK),
    FrequencyTarget(count=2, unit=Unit.MONTH),
    FrequencyTarget(count=2, unit=Unit.WEEK, action_kind="patrol"),
    FrequencyTarget(count=2, unit=Unit.WEEK),
]

# One pledge's inputs: its target, the judged units, its counts per unit's first day, the
# unit in progress (its first day and count so far) and the detail when no unit is judged;
# each drawn from a few values, so that pledges often share all but one of them
FIELDS = (
    st.sampled_from(range(len(TARGETS))),
    st.sampled_from([(), (1, 2), (1, 2, 3, 4), (0, 1, 2, 3, 4)]),
    st.dictionaries(st.sampled_from(MONDAYS[:4]), st.integers(0, 3), max_size=4),
    st.one_of(st.none(), st.tuples(st.sampled_from(MONDAYS[4:]), st.integers(0, 3))),
    st.sampled_from(["", "not judged: no week ends in 2008-10", "not judged yet"]),
)
Inputs = tuple[int, tuple[int, ...], dict[date, int], tuple[date, int] | None, str]


@st.composite
def neighbours(draw: st.DrawFn) -> list[Inputs]:
    """A pledge and another that differs from it in one input only."""
    first = [draw(field) for field in FIELDS]
    changed = draw(st.sampled_from(range(len(FIELDS))))
    second = [*first[:changed], draw(FIELDS[changed]), *first[changed + 1 :]]
    return [tuple(first), tuple(second)]  # type: ignore[list-item]


@given(st.lists(neighbours(), min_size=1, max_size=12).map(lambda two: [p for t in two for p in t]))
def test_a_shared_judge_gives_each_pledge_its_own_judgement(pledges: list[Inputs]) -> None:
    memo: rules.FrequencyMemo = {}
    for target_at, unit_at, counts, progress, unjudged in pledges:
        target, units = TARGETS[target_at], [WEEKS[i] for i in unit_at]
        alone = rules.judge_frequency(target, units, counts, progress, unjudged)
        shared = rules.judge_frequency(target, units, counts, progress, unjudged, memo=memo)
        assert shared == alone


def test_pledges_with_the_same_target_and_tally_share_one_judgement() -> None:
    """What the judge saves: two pledges counted alike (not the same counts: the same
    units met and actions counted) get the one Judgement object; another tally its own."""
    memo: rules.FrequencyMemo = {}
    target, units = TARGETS[0], WEEKS[1:3]
    first = rules.judge_frequency(target, units, {MONDAYS[1]: 2, MONDAYS[2]: 1}, memo=memo)
    again = rules.judge_frequency(target, units, {MONDAYS[1]: 1, MONDAYS[2]: 2}, memo=memo)
    other = rules.judge_frequency(target, units, {MONDAYS[1]: 2, MONDAYS[2]: 2}, memo=memo)
    assert again is first and other is not first
    assert first.detail == "1 of 2 weeks met" and other.detail == "2 of 2 weeks met"
