"""The rules a team must meet, in `services/team_lifecycle`, without the CLI: every way in
(`team add`, `team edit`, the demo data) gets the same refusal, naming the field at fault."""

from __future__ import annotations

import pytest

from pledgetrack.domain.national import NUMBERS
from pledgetrack.domain.vocabulary import Setting
from pledgetrack.errors import InputError
from pledgetrack.services.team_lifecycle import commitments_asked, new_team, team_changes


def refused(field: str | None, text: str, call: object) -> None:
    with pytest.raises(InputError) as caught:
        assert callable(call)
        call()
    assert (caught.value.field, str(caught.value)) == (field, text)


def test_a_new_team_is_upper_cased_and_urban_unless_said() -> None:
    team = new_team("cw01", "Castle Ward", force="Leicestershire")
    assert (team.code, team.name, team.force, team.setting) == (
        "CW01",
        "Castle Ward",
        "Leicestershire",
        Setting.URBAN,
    )
    assert new_team("mh03", "Market", setting=Setting.RURAL).setting is Setting.RURAL


def test_a_team_code_is_up_to_32_characters() -> None:
    assert new_team("A" * 32, "Long").code == "A" * 32
    refused(
        "code",
        f"code: team code {'A' * 33!r} must be ASCII letters, digits and '-' (up to 32), e.g. CW01",
        lambda: new_team("A" * 33, "Too long"),
    )


def test_a_team_code_may_not_look_like_a_pledge_reference() -> None:
    with pytest.raises(InputError) as caught:
        new_team("CW01-L1", "Castle")
    assert caught.value.field == "code"
    assert "looks like a pledge reference" in str(caught.value)
    assert new_team("CW01-X1", "Castle").code == "CW01-X1"


def test_a_blank_name_is_refused_on_the_way_in_and_on_edit() -> None:
    refused("name", "--name must not be empty", lambda: new_team("CW01", " \t"))
    refused("name", "--name must not be empty", lambda: team_changes(name=""))
    # stored as typed: spaces around a real name are kept
    assert new_team("CW01", " Castle ").name == " Castle "


def test_an_edit_keeps_only_what_was_given_and_must_give_something() -> None:
    assert team_changes(area="Castle", setting=Setting.RURAL) == {
        "area": "Castle",
        "setting": Setting.RURAL,
    }
    assert team_changes(force="") == {"force": ""}  # given, even if empty: not "left alone"
    refused(None, "nothing to change: give at least one option (see --help)", team_changes)


def test_which_commitments_a_team_gets() -> None:
    assert commitments_asked(None, option="--only") == NUMBERS
    assert commitments_asked(" n7, N4 ,N4", option="--only") == (4, 7)
    assert commitments_asked(None, none=True, option="--national-only") == ()
    refused(
        "no_national",
        "--no-national cannot be combined with --national-only",
        lambda: commitments_asked("N4", none=True, option="--national-only"),
    )
    refused(
        "no_national",
        "--no-national cannot be combined with --since",
        lambda: commitments_asked(None, none=True, since_given=True, option="--national-only"),
    )
    with pytest.raises(InputError) as caught:
        commitments_asked("N11", option="--only")
    assert caught.value.field == "only"
