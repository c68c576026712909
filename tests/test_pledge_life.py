"""An action lies within its pledge's life (agreed .. closed): `log` and import refuse one
outside it, and so do the edits that would move a pledge's life past actions already
logged (`pledge close --on`, `pledge edit --agreed`, `respond`), so no figure loses an
action without a word and a team's move (export, import) takes every state they leave."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import invoke
from helpers import Run, add_weekly_patrols, fails, ok
from pledgetrack.domain import entry_rules
from pledgetrack.domain.models import Action, Pledge, PledgeStatus
from pledgetrack.domain.targets import NoTarget
from pledgetrack.environment import Environment
from pledgetrack.errors import InputError

CLOSE = ("pledge", "close", "CW01-L1", "--status", "achieved", "--outcome", "Done", "--on")


@pytest.fixture
def logged(cli: Run, team: str) -> str:
    """CW01-L1 agreed 1/9/08, with patrols on 3 and 12 October and one voided on 14 October."""
    add_weekly_patrols(cli, team)
    for when in ("3/10/2008 10:00", "12/10/2008 23:59", "14/10/2008 09:00"):
        ok(cli("log", "CW01-L1", "Patrol", "--when", when))
    ok(cli("void", "3", "--reason", "logged twice"))
    return "CW01-L1"


def test_close_before_a_logged_action_is_refused(cli: Run, db: Path, logged: str) -> None:
    fails(
        cli,
        db,
        *CLOSE,
        "11/10/2008",
        text="--on 11/10/2008 would leave 1 logged action of CW01-L1 after it closed, no "
        "longer counted (the first: action 2 on 12/10/2008); give --on 12/10/2008 or later, "
        "or void them first (pledgetrack void ID --reason ...)",
    )
    fails(cli, db, *CLOSE, "2/10/2008", text=None)


def test_close_on_the_last_actions_day_keeps_it(cli: Run, logged: str) -> None:
    """The day of the last unvoided action is the earliest close; a voided one after it
    does not hold the close back."""
    assert ok(cli(*CLOSE, "12/10/2008")).stdout == "CW01-L1 achieved\n"


def test_agreed_after_a_logged_action_is_refused(cli: Run, db: Path, logged: str) -> None:
    fails(
        cli,
        db,
        "pledge",
        "edit",
        "CW01-L1",
        "--agreed",
        "13/10/2008",
        text="--agreed 13/10/2008 would leave 2 logged actions of CW01-L1 before it was "
        "agreed, no longer counted (the first: action 1 on 03/10/2008); give --agreed "
        "03/10/2008 or earlier, or void them first (pledgetrack void ID --reason ...)",
    )


def test_agreed_on_the_first_actions_day_keeps_it(cli: Run, logged: str) -> None:
    ok(cli("pledge", "edit", "CW01-L1", "--agreed", "3/10/2008", "--yes"))  # September changes
    ok(cli("pledge", "edit", "CW01-L1", "--title", "Patrols in the park"))


def test_respond_after_the_pledge_closed_is_refused(cli: Run, db: Path, team: str) -> None:
    ok(cli("pledge", "add", team, "Calls", "--within", "24h", "--agreed", "1/9/08"))
    ok(cli("log", "CW01-L1", "Call", "--received", "10/10/2008 09:00", "--open"))
    ok(cli(*CLOSE, "10/10/2008"))
    fails(
        cli,
        db,
        "respond",
        "1",
        "--when",
        "11/10/2008 09:00",
        text="CW01-L1 was closed (achieved) on 10/10; an action on 11/10 cannot "
        "count (reopen it first)",
    )
    ok(cli("respond", "1", "--when", "10/10/2008 23:00"))


def test_a_team_moves_after_voiding_what_a_close_would_drop(
    cli: Run, logged: str, tmp_path: Path, env: Environment
) -> None:
    """The documented move (docs/export-schema.md) with a voided action after the close."""
    ok(cli("void", "2", "--reason", "after it was delivered"))
    ok(cli(*CLOSE, "5/10/2008"))
    pledges, actions = tmp_path / "p.csv", tmp_path / "a.csv"
    ok(cli("export", "pledges", "--team", "CW01", "-o", str(pledges)))
    ok(cli("export", "actions", "--team", "CW01", "--include-void", "-o", str(actions)))
    new = tmp_path / "new.db"

    def other(*args: str) -> str:
        return ok(invoke(["--db", str(new), *args], env)).stdout

    other("team", "add", "CW01", "--name", "Castle Ward", "--force", "Leicestershire Police")
    other("import", "pledges", str(pledges))
    other("import", "actions", str(actions))
    listed = other("actions", "--include-void", "-f", "csv")
    assert len(listed.splitlines()) == 4  # header and the three actions


# -- the rule, pure -----------------------------------------------------------------------

BST = timezone(timedelta(hours=1))
DAYS = st.dates(date(2008, 9, 1), date(2008, 10, 31))


def _action(day: date, voided: bool, received: bool) -> Action:
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=BST)
    return Action.model_construct(
        id=day.toordinal(),
        team="CW01",
        pledge="CW01-L1",
        description="x",
        occurred_at=None if received else moment,
        received_at=moment if received else None,
        voided_at=moment if voided else None,
    )


@given(
    agreed=DAYS,
    closed=st.none() | DAYS,
    actions=st.lists(st.builds(_action, DAYS, st.booleans(), st.booleans()), max_size=6),
)
def test_an_edit_keeps_the_actions_log_would_take(
    agreed: date, closed: date | None, actions: list[Action]
) -> None:
    """check_keeps_actions refuses a day exactly when some action would then be refused by
    check_within_life (log's rule), on the side the edit moves."""
    status = PledgeStatus.ACTIVE if closed is None else PledgeStatus.ACHIEVED
    pledge = Pledge.model_construct(
        ref="CW01-L1", team="CW01", title="P", target=NoTarget(), agreed_on=agreed,
        closed_on=closed, status=status,
    )  # fmt: skip

    def refused(pledge: Pledge) -> bool:
        return any(_refused_by_log(pledge, action) for action in actions)

    for option, alone in (
        ("--agreed", pledge.model_copy(update={"closed_on": None})),
        ("--on", pledge.model_copy(update={"agreed_on": None})),
    ):
        try:
            entry_rules.check_keeps_actions(alone, actions, option)
        except InputError as error:
            assert refused(alone), error
            assert error.field == option.removeprefix("--")
        else:
            assert not refused(alone)


def _refused_by_log(pledge: Pledge, action: Action) -> bool:
    try:
        entry_rules.check_within_life(pledge, action)
    except InputError:
        return True
    return False
