"""A sergeant who logs one thing twice (the meeting typed again, a patrol entered by both
officers) is told on stderr, with the way back; nothing is refused, since two patrols may
start at the same minute, and stdout stays the new id alone for scripts."""

from __future__ import annotations

import pytest

from helpers import Prepared, Run, add_weekly_patrols, ok


def _setup(run: Run) -> None:
    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))
    add_weekly_patrols(run, "CW01")  # CW01-L1, kind patrol


@pytest.fixture
def teams(cli: Run, prepared: Prepared) -> Run:
    prepared("twice-teams", lambda: _setup(cli))
    return cli


def _twice(first: int, second: int) -> str:
    return (
        f"note: same pledge, kind and time as action {first}; if logged twice: "
        f"pledgetrack void {second} --reason 'logged twice'\n"
    )


def _log(run: Run, *args: str) -> tuple[int, str]:
    done = ok(run("log", "CW01-L1", *args))
    return int(done.stdout), done.stderr


def test_the_same_meeting_twice_is_noted_with_the_way_back(teams: Run) -> None:
    first = ok(teams("meeting", "CW01", "--when", "14/10/2008 19:00", "--attendance", "5"))
    assert first.stderr == ""
    again = ok(teams("meeting", "CW01", "--when", "14/10/2008 19:00", "--attendance", "6"))
    assert again.stdout == f"{int(first.stdout) + 1}\n"  # recorded all the same
    assert again.stderr == _twice(int(first.stdout), int(again.stdout))
    voided = ok(teams("void", again.stdout.strip(), "--reason", "logged twice"))
    assert voided.exit_code == 0
    third = ok(teams("meeting", "CW01", "--when", "14/10/2008 19:01"))
    assert third.stderr == ""  # a minute apart: another meeting


def test_a_patrol_at_the_same_second_is_noted_and_one_a_second_apart_is_not(teams: Run) -> None:
    first, _ = _log(teams, "Patrol", "--when", "14/10/2008 19:00", "--kind", "patrol")
    second, said = _log(teams, "Patrol by PC Khan", "--when", "14/10/2008 19:00:00",
                        "--kind", "patrol")  # fmt: skip
    assert said == _twice(first, second)
    _, said = _log(teams, "Patrol", "--when", "14/10/2008 19:00:01", "--kind", "patrol")
    assert said == ""
    _, said = _log(teams, "Leaflets", "--when", "14/10/2008 19:00", "--kind", "leaflets")
    assert "same pledge, kind and time" not in said  # another kind: another action


def test_the_first_entry_voided_leaves_nothing_to_note(teams: Run) -> None:
    first, _ = _log(teams, "Patrol", "--when", "14/10/2008 19:00", "--kind", "patrol")
    ok(teams("void", str(first), "--reason", "wrong pledge"))
    _, said = _log(teams, "Patrol", "--when", "14/10/2008 19:00", "--kind", "patrol")
    assert said == ""


def test_open_messages_are_the_same_only_when_received_at_the_same_moment(teams: Run) -> None:
    args = ("message", "CW01", "--open", "--received")
    first = ok(teams(*args, "14/10/2008 09:00"))
    assert first.stderr == ""
    other = ok(teams(*args, "14/10/2008 09:05"))
    assert other.stderr == ""
    again = ok(teams(*args, "14/10/2008 09:00"))
    assert again.stderr == _twice(int(first.stdout), int(again.stdout))


def test_actions_logged_now_in_the_same_second_are_not_noted(teams: Run) -> None:
    """A script logging two things `now` (the clock is pinned in tests) is not told it
    typed one twice: only a time typed is compared."""
    first = ok(teams("log", "CW01-L1", "Patrol", "--kind", "patrol"))
    again = ok(teams("log", "CW01-L1", "Patrol", "--kind", "patrol"))
    assert (first.stderr, again.stderr) == ("", "")
    assert int(again.stdout) == int(first.stdout) + 1
