"""A sergeant who set a default team (PLEDGETRACK_TEAM, config.toml) gives a pledge by its
own part, `L1` or `n4`, as they say it; a whole reference is taken as typed (FRESH4 G18:
`log L1` said `unknown pledge 'L1'`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Run, fails, ok
from pledgetrack.domain.models import completed_ref


@pytest.fixture
def mine(ward: Run, cli_with: Callable[..., Run]) -> Run:
    ok(ward("team", "add", "MH03", "--name", "Market Harborough", "--since", "2008-09-01"))
    return cli_with(vars={"PLEDGETRACK_TEAM": "CW01"})


def test_log_and_pledge_commands_complete_a_ref_with_the_default_team(mine: Run) -> None:
    assert ok(mine("log", "L1", "Patrol", "--when", "16/10/2008 10:00")).stdout == "1\n"
    assert ok(mine("log", "n4", "Email", "--received", "16/10/2008 09:00", "--open"))
    assert ok(mine("pledge", "show", "l1")).stdout.startswith("Pledge CW01-L1")
    assert ok(mine("pledge", "edit", "L1", "--review", "01/12/2008")).stdout == "CW01-L1\n"
    assert ok(mine("actions", "--pledge", "L1", "-f", "csv")).stdout.count("CW01-L1") == 1
    assert "CW01-L1" in ok(mine("history", "--pledge", "L1", "-f", "csv")).stdout
    # a whole reference is as typed, another team's too
    assert ok(mine("log", "MH03-N4", "Call", "--received", "16/10/2008 09:00", "--open"))


def test_without_a_default_team_a_bare_ref_is_unknown(ward: Run, db: Path) -> None:
    unknown = "unknown pledge 'L1' (see: pledgetrack pledge list)"
    fails(ward, db, "log", "L1", "Patrol", text=unknown)


@pytest.mark.parametrize(
    ("typed", "completed"),
    [("L1", "CW01-L1"), ("n12", "CW01-n12"), (" L1 ", "CW01-L1"), ("L", "L"), ("X1", "X1"),
     ("L1a", "L1a"), ("CW01-L1", "CW01-L1"), ("1", "1")],
)  # fmt: skip
def test_only_a_pledge_s_own_part_is_completed(typed: str, completed: str) -> None:
    assert completed_ref(typed, "CW01") == completed
    assert completed_ref(typed, None) == typed
