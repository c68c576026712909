"""Errors and notes in our own words, not click's or pydantic's (issue 9, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Run, fails, ok


@pytest.fixture
def since_october(cli: Run) -> str:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/10/2008"))
    return "CW01"


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (
            ["team", "add", "CW02", "--name", "X", "--setting", "suburban"],
            "--setting must be urban or rural, not 'suburban' (see: pledgetrack team add --help)",
        ),
        (
            ["log", "CW01-N7", "Meeting", "--hours", "abc"],
            "--hours must be a number, not 'abc' (see: pledgetrack log --help)",
        ),
        (
            ["pledge", "add", "CW01", "Patrols", "--at-least", "two", "--per", "week"],
            "--at-least must be a whole number, not 'two' (see: pledgetrack pledge add --help)",
        ),
        (
            ["summary", "-f", "xml"],
            "--format must be table, plain, csv or json, not 'xml' "
            "(see: pledgetrack summary --help)",
        ),
        (
            ["pledge", "add", "CW01", "-10% burglaries by March"],
            "no such option: -1; if that is text starting with '-', put -- before it: "
            "pledgetrack pledge add ... -- '-1 ...' (see: pledgetrack pledge add --help)",
        ),
        (
            ["log", "CW01-N7", "Meeting", "--when", "last", "tuesday"],
            "unexpected extra argument(s): tuesday; quote a date or text of several words, "
            "e.g. --when 'last tuesday' (see: pledgetrack log --help)",
        ),
        (
            ["summary", "CW01"],
            "unexpected extra argument(s): CW01; did you mean --team CW01? "
            "(see: pledgetrack summary --help)",
        ),
        (
            ["pledge", "list", "cw01", "BL02"],
            "unexpected extra argument(s): cw01 BL02; did you mean --team cw01 --team BL02? "
            "(see: pledgetrack pledge list --help)",
        ),
        (  # no --team option: the general hint
            ["team", "list", "CW01"],
            "unexpected extra argument(s): CW01; quote a date or text of several words, "
            "e.g. --when 'last tuesday' (see: pledgetrack team list --help)",
        ),
        (["team", "add", "CW02", "--name", "  "], "--name must not be empty"),
    ],
)
def test_usage_errors_in_our_words(
    cli: Run, db: Path, since_october: str, args: list[str], text: str
) -> None:
    message = fails(cli, db, *args, text=text)
    for leak in ("Value error", "Input should be", "No such option", "Got unexpected", "String"):
        assert leak not in message


def test_the_hint_works(cli: Run, since_october: str) -> None:
    ok(cli("pledge", "add", "CW01", "--", "-10% burglaries by March"))
    ok(cli("log", "CW01-N7", "Meeting", "--when", "last tuesday"))


@pytest.mark.parametrize(
    ("when", "note"),
    [
        ("2008-10-15 10:30", "late: 24.5h against 24h"),
        ("2008-10-15 10:01", "late: 24h01m against 24h"),  # not a late "24.0h"
        ("2008-10-15 10:00", "dealt with after 24h, within 24h"),  # the limit itself is met
        ("2008-10-14 16:00", "dealt with after 6.0h, within 24h"),
    ],
)
def test_respond_says_whether_the_limit_was_met(
    cli: Run, since_october: str, when: str, note: str
) -> None:
    item = ok(cli("log", "CW01-N4", "Email", "--received", "2008-10-14 10:00", "--open")).stdout
    result = ok(cli("respond", item.strip(), "--when", when))
    assert result.stderr == f"action {item.strip()} {note}\n"
