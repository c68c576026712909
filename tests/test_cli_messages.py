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
        (  # a command whose text goes in --note: quoting was not the problem
            ["message", "CW01", "Email about parking on Bede St", "--received", "today 09:00"],
            "unexpected extra argument(s): Email about parking on Bede St; pledgetrack message "
            "takes no text argument; put it in --note: --note 'Email about parking on Bede St' "
            "(see: pledgetrack message --help)",
        ),
        (  # a duration in two words
            ["pledge", "add", "CW01", "Replies", "--within", "24", "hours"],
            "unexpected extra argument(s): hours; a duration is one word, e.g. --within 24h "
            "(see: pledgetrack pledge add --help)",
        ),
        (
            ["pledge", "add", "CW01", "Replies", "--within", "2", "days"],
            "unexpected extra argument(s): days; a duration is one word, e.g. --within 2d "
            "(see: pledgetrack pledge add --help)",
        ),
        (  # a repeatable --team takes one code each time
            ["export", "summary", "--team", "CW01,BL02"],
            "--team takes one team code, not 'CW01,BL02'; repeat --team for each team: "
            "--team CW01 --team BL02",
        ),
        (  # the value given is checked before the option left out
            ["pledge", "close", "CW01-L1", "--status", "finished"],
            "--status must be achieved, not-achieved or withdrawn, not 'finished'",
        ),
        (  # no --team option and no --when: no date to quote
            ["team", "list", "CW01"],
            "unexpected extra argument(s): CW01; quote text of several words "
            "(see: pledgetrack team list --help)",
        ),
        (  # a team code typed as two words
            ["team", "add", "cw", "01", "--name", "X"],
            "unexpected extra argument(s): 01; a team code is one word, e.g. CW01; quote text "
            "of several words (see: pledgetrack team add --help)",
        ),
        (  # no free text to put after --: no -- hint
            ["summary", "-x"],
            "no such option: -x (see: pledgetrack summary --help)",
        ),
        (
            ["report", "inspect", "CW01", "-o", "x.html"],
            "no such option: -o; pledgetrack report inspect writes to stdout "
            "(redirect it: > FILE) (see: pledgetrack report inspect --help)",
        ),
        (
            ["log", "CW01-N7", "-x"],
            "no such option: -x; if that is text starting with '-', put -- before it: "
            "pledgetrack log ... -- '-x ...' (see: pledgetrack log --help)",
        ),
        (["team", "add", "CW02", "--name", "  "], "--name must not be empty"),
        (  # after --, options are text: say where they go
            ["pledge", "add", "CW01", "--", "-10% burglaries by March", "--agreed", "1/9/2008"],
            "unexpected extra argument(s): --agreed 1/9/2008; options go before --, after "
            "which every word is text: pledgetrack pledge add ... --agreed 1/9/2008 -- '...' "
            "(see: pledgetrack pledge add --help)",
        ),
        (  # before --, the usual hint
            ["pledge", "add", "CW01", "Patrols", "Park", "--", "-x"],
            "unexpected extra argument(s): Park -x; a team code is one word, e.g. CW01; quote "
            "text of several words (see: pledgetrack pledge add --help)",
        ),
        (["void", "4"], "--reason is required (see: pledgetrack void --help)"),
        (["log"], "REF is required (see: pledgetrack log --help)"),
        (["report", "hq", "--wide"],
         "no such option: --wide (see: pledgetrack report hq --help)"),
        (["summary", "--columns", "compliance"],
         "--columns: unknown column 'compliance' (did you mean 'compliance_pct'?)"),
    ],
)  # fmt: skip
def test_usage_errors_in_our_words(
    cli: Run, db: Path, since_october: str, args: list[str], text: str
) -> None:
    message = fails(cli, db, *args, text=text)
    for leak in ("Value error", "Input should be", "No such option", "Got unexpected", "String",
                 "Missing ", "Invalid value"):  # fmt: skip
        assert leak not in message


def test_a_folder_given_as_a_file_is_named_as_we_name_it(
    cli: Run, db: Path, since_october: str, tmp_path: Path
) -> None:
    folder = tmp_path / "it's here"
    folder.mkdir()
    fails(cli, db, "import", "actions", str(folder),
          text=f"cannot read {folder}: it is a directory "
          "(see: pledgetrack import actions --help)")  # fmt: skip


@pytest.mark.parametrize(
    ("command", "rest"),
    [
        (["message"], ["--team", "CW01", "--received", "2 hours ago"]),
        (["report", "update"], ["--team=CW01"]),
        (["pledge", "add"], ["--team", "CW01", "Patrols"]),
    ],
)
def test_team_as_an_option_where_it_is_the_argument(
    cli: Run, db: Path, since_october: str, command: list[str], rest: list[str]
) -> None:
    """The single-team commands take TEAM as their argument: say so, never suggest --note."""
    path = " ".join(["pledgetrack", *command])
    fails(cli, db, *command, *rest,
          text=f"no such option: --team; the team is the first argument: {path} CW01 ... "
          f"(see: {path} --help)")  # fmt: skip


def test_the_hint_works(cli: Run, since_october: str) -> None:
    ok(cli("pledge", "add", "CW01", "--", "-10% burglaries by March"))
    ok(cli("log", "CW01-N7", "Meeting", "--when", "last tuesday"))


@pytest.mark.parametrize(
    ("when", "note"),
    [
        ("2008-10-15 10:50", "late: 24h50m against 24h"),  # as summary and agenda say it
        ("2008-10-15 10:01", "late: 24h01m against 24h"),
        ("2008-10-15 10:00:01", "late: 24h01m against 24h"),  # a second late: never "24h"
        ("2008-10-15 10:00", "dealt with after 24h, within 24h"),  # the limit itself is met
        ("2008-10-15 09:59:59", "dealt with after 23h59m, within 24h"),  # never "24h" early
        ("2008-10-14 16:00", "dealt with after 6h, within 24h"),
        ("2008-10-16 12:20", "late: 50h20m against 24h"),
        ("2008-10-14 10:00", "dealt with after 0m, within 24h"),
    ],
)
def test_respond_says_whether_the_limit_was_met(
    cli: Run, since_october: str, when: str, note: str
) -> None:
    item = ok(cli("log", "CW01-N4", "Email", "--received", "2008-10-14 10:00", "--open")).stdout
    result = ok(cli("respond", item.strip(), "--when", when))
    assert result.stderr == f"action {item.strip()} {note}\n"


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("message", "who it was from"),
        ("meeting", "'joint meeting with the parish council'"),
        ("update", "'newsletter, issue 12'"),
        ("duty", "'football match'"),
        ("attend", "'burglary in progress'"),
        ("victim-update", "'victim asked for updates by email'"),
    ],
)
def test_each_shortcut_gives_its_own_note_example(cli: Run, command: str, example: str) -> None:
    """`duty --note` is not "who it was from": each command's help fits what it records."""
    text = " ".join(ok(cli(command, "--help")).stdout.split())
    assert f"--note NOTE Added to the description, e.g. {example}." in text


def _answered_now(item: str, verdict: str) -> str:
    return (
        f"note: recorded as answered now ({verdict}); if it was answered earlier or is not "
        f"answered yet: pledgetrack void {item} --reason 'answered at another time', and "
        "record it again with --when or --open\n"
    )


@pytest.mark.parametrize(
    ("received", "verdict"),
    [  # now is 16/10/2008 15:00
        ("15/10/2008 15:00", "dealt with after 24h, within 24h"),  # the limit itself is met
        ("15/10/2008 14:59", "late: 24h01m against 24h"),
        ("13/10/2008 09:00", "late: 3d6h against 24h"),
    ],
)
def test_a_message_without_when_or_open_says_it_was_recorded_as_answered_now(
    cli: Run, since_october: str, received: str, verdict: str
) -> None:
    """A sergeant logging a message answered earlier, or not yet, is told what they recorded
    (it is judged as dealt with now: perhaps late) and the way back (FRESH3 F7)."""
    result = ok(cli("message", "CW01", "--received", received))
    item = result.stdout.strip()
    assert result.stderr == _answered_now(item, verdict)
    # `log` alike, for any response pledge
    again = ok(cli("log", "CW01-N4", "Email", "--received", received))
    assert again.stderr.splitlines()[-1] + "\n" == _answered_now(again.stdout.strip(), verdict)


@pytest.mark.parametrize("given", [["--when", "16/10/2008 09:00"], ["--open"]])
def test_a_message_with_when_or_open_says_nothing_more(
    cli: Run, since_october: str, given: list[str]
) -> None:
    result = ok(cli("message", "CW01", "--received", "15/10/2008 10:00", *given))
    assert (result.stdout, result.stderr) == ("1\n", "")


@pytest.mark.parametrize(
    ("when", "said"),
    [("15/10/2008 10:00", ""),  # exactly 24 hours: in time, nothing more said
     ("15/10/2008 10:01", "note: recorded as answered late: 24h01m against 24h\n"),
     ("16/10/2008 08:00", "note: recorded as answered late: 46h against 24h\n")],
)  # fmt: skip
def test_a_message_given_when_it_was_answered_late_says_so(
    cli: Run, since_october: str, when: str, said: str
) -> None:
    """FRESH4 G5: typed up the next day, a message answered late was recorded without a
    word, as `respond` would have said `late: ...`; the sergeant learnt of the breach from
    summary."""
    result = ok(cli("message", "CW01", "--received", "14/10/2008 10:00", "--when", when))
    assert (result.stdout, result.stderr) == ("1\n", said)
    attended = ok(cli("attend", "CW01", "--emergency", "--received", "14/10/2008 10:00",
                      "--when", "14/10/2008 10:16"))  # fmt: skip
    assert attended.stderr == "note: recorded as answered late: 16m against 15m\n"
