"""Options that take a day (`--since`, `--agreed`, `--on`, `--from`, ...) refuse a typed
time rather than drop it without a word: they are read in one place (AppContext.day)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Run, fails, ok


@pytest.mark.parametrize(
    "args",
    [
        ("team", "national", "CW01", "--since", "01/09/2008 10:00"),
        ("pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
         "--agreed", "01/09/2008 10:00"),
        ("actions", "--from", "01/09/2008 10:00"),
    ],
)  # fmt: skip
def test_an_option_taking_a_day_refuses_a_time_naming_it(
    cli: Run, db: Path, args: tuple[str, ...]
) -> None:
    """ATTACK5 B8: the time was dropped without a word; every day option is read alike."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward"))
    option = args[-2]
    fails(cli, db, *args, text=f"{option} takes a day, not a time: 01/09/2008")
