# ruff: noqa: E501  (screens of 120 columns, exactly as shown)
"""What a person sees at 80 and 120 columns (COLUMNS) on a terminal, exactly, through the
real CLI on a real database: the screens a fresh user's tour found wanting.

The database is the tour's: team CW01, three open messages (one late by days), a weekly
speed-check pledge; the clock is Thursday 23 October 2008, 10:07.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from conftest import fixed_clock, invoke
from helpers import LONDON, ok
from pledgetrack.environment import Environment

MOMENT = datetime(2008, 10, 23, 10, 7, tzinfo=LONDON)
AS_OF = ("--as-of", "23/10/2008 10:07")
SPEEDING = "Speeding on Saffron Lane: two speed checks a week with Community Speedwatch"

Screen = Callable[..., list[str]]


@pytest.fixture
def screen(tmp_path: Path, env: Environment, monkeypatch: pytest.MonkeyPatch) -> Screen:
    """screen(width, *args): the command's stdout as a terminal `width` columns wide shows it."""
    db = tmp_path / "tour.db"
    setup = dataclasses.replace(env, clock=fixed_clock(MOMENT))

    def run(*args: str) -> None:
        ok(invoke(["--db", str(db), *args], setup))

    run("team", "add", "CW01", "--name", "Castle Ward", "--force", "Leicestershire Police",
        "--since", "01/09/2008")  # fmt: skip
    for received in ("20/10/2008 14:00", "22/10/2008 09:00", "10/10/2008 14:00"):
        run("message", "CW01", "--received", received, "--open")
    run("pledge", "add", "CW01", SPEEDING, "--at-least", "2", "--per", "week",
        "--agreed", "1/9/2008")  # fmt: skip
    terminal = dataclasses.replace(setup, stdout_isatty=True, no_color=True)

    def show(width: int, *args: str) -> list[str]:
        monkeypatch.setenv("COLUMNS", str(width))
        result = invoke(["--db", str(db), *args], terminal)
        assert result.exit_code in (0, 1), result.stderr  # check: 1 when it finds something
        lines = [line.rstrip() for line in result.stdout.splitlines()]
        if "--format" not in args:
            assert all(len(line) <= width for line in lines), lines
        return lines

    show.run = run  # type: ignore[attr-defined]  # more set-up for one test
    return show


def test_agenda_shows_what_to_do_and_when_at_80_columns(screen: Screen) -> None:
    """What is due reads whole: to do and due stay at 80 columns, the title gives way; the
    due time is said once, in Due (To do said `late by 1h07m, was due 23/10 09:00` beside
    it, wrapped); at 120 nothing is left out."""
    assert screen(80, "agenda", "--team", "CW01", *AS_OF) == AGENDA_80
    assert screen(120, "agenda", "--team", "CW01", *AS_OF) == AGENDA_120


def test_summary_keeps_the_detail_that_explains_a_red(screen: Screen) -> None:
    local = screen(80, "summary", "-p", "2008-10", *AS_OF)
    assert local[local.index("Local pledges") :] == SUMMARY_LOCAL_80
    local = screen(120, "summary", "-p", "2008-10", *AS_OF)
    assert local[local.index("Local pledges") :] == SUMMARY_LOCAL_120


def test_check_wraps_its_message_and_says_times_as_tables_do(screen: Screen) -> None:
    assert screen(80, "check", "--team", "CW01", *AS_OF) == CHECK_80
    assert screen(120, "check", "--team", "CW01", *AS_OF)[6] == (
        "CW01  CW01-N4  breached  item 1 received 20/10 14:00 open 68h07m (limit 24h)"
    )


def test_check_csv_and_json_keep_the_stored_time(screen: Screen) -> None:
    """Programs read the message as data: the time as stored, whatever the terminal."""
    csv = screen(80, "check", "--team", "CW01", *AS_OF, "--format", "csv")
    assert (
        "CW01,CW01-N4,breached,item 3 received 2008-10-10T14:00:00+01:00 open 12d20h07m (limit 24h)"
        in csv
    )
    text = "\n".join(screen(80, "check", "--team", "CW01", *AS_OF, "--format", "json"))
    assert '"message": "item 1 received 2008-10-20T14:00:00+01:00 open 68h07m (limit 24h)"' in text
    plain = screen(200, "check", "--team", "CW01", *AS_OF, "--format", "plain")
    assert any(
        line.endswith("item 1 received 20/10 14:00 open 68h07m (limit 24h)") for line in plain
    )


@pytest.mark.parametrize("width", [80, 120])
def test_national_never_breaks_a_word(screen: Screen, width: int) -> None:
    lines = screen(width, "national")
    words = {w for line in lines for w in line.split()}
    assert "web|newsletter|leaflet|meeting" in words and "victim-update" in words
    whole = {w for line in screen(80, "national", "--format", "plain") for w in line.split()}
    # cut after a word (its trailing `:` or `,` dropped), never inside one
    cut = [w[:-1] for w in words if w.endswith("…")]
    assert cut and [w for w in cut if w not in whole and f"{w}:" not in whole] == []
    if width == 80:
        assert lines == NATIONAL_80


AGENDA_80 = [
    "Agenda CW01, next 7 days from Thu 23/10 10:07",
    "Ref      What                 Now                 To do              Due",
    "────────────────────────────────────────────────────────────────────────────────",
    "CW01-N4  Message to the team  item 3 open         late by 11d20h07m  11/10 14:00",
    "                              12d20h07m",
    "CW01-N4  Message to the team  item 1 open 68h07m  late by 44h07m     21/10 14:00",
    "CW01-N4  Message to the team  item 2 open 25h07m  late by 1h07m      23/10 09:00",
    "CW01-L1  Speeding on…         0 of 2 this week    2 more by Sun      26/10 23:59",
    "3 columns hidden (case/ref, kind, pledge title); --wide or --columns",
]

AGENDA_120 = [
    "Agenda CW01, next 7 days from Thu 23/10 10:07",
    "Ref      What                                 Now                    To do              Due          Case/ref  Kind",
    "────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
    "CW01-N4  Message to the team                  item 3 open 12d20h07m  late by 11d20h07m  11/10 14:00            open-item",
    "CW01-N4  Message to the team                  item 1 open 68h07m     late by 44h07m     21/10 14:00            open-item",
    "CW01-N4  Message to the team                  item 2 open 25h07m     late by 1h07m      23/10 09:00            open-item",
    "CW01-L1  Speeding on Saffron Lane: two…       0 of 2 this week       2 more by Sun      26/10 23:59            frequency",
    "1 column hidden (pledge title); --wide or --columns",
]

SUMMARY_LOCAL_80 = [
    "Local pledges",
    "                                 Compliance",
    "Ref       Title                           %  Status        Detail",
    "────────────────────────────────────────────────────────────────────────────────",
    "CW01-L1   Speeding on Saffron…            0  red           0 of 3 weeks met; so",
    "                                                           far this week: 0 of 2",
    "4 columns hidden (target, actual, expected, last action); --wide or --columns",
]

SUMMARY_LOCAL_120 = [
    "Local pledges",
    "                                                              Compliance",
    "Ref       Title                             Actual  Expected           %  Status        Detail",
    "────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
    "CW01-L1   Speeding on Saffron Lane: two…         0         6           0  red           0 of 3 weeks met; so far this",
    "                                                                                        week: 0 of 2",
    "2 columns hidden (target, last action); --wide or --columns",
]

CHECK_80 = [
    "Team  Ref      Kind      Message",
    "────────────────────────────────────────────────────────────────────────────────",
    "CW01  CW01-L1  red       0.0% against 'at least 2 per week' (0 of 3 weeks met;",
    "                         so far this week: 0 of 2)",
    "CW01  CW01-L1  stale     no action yet (over 14 days)",
    "CW01  CW01-N3  stale     no action yet (over 14 days)",
    "CW01  CW01-N4  breached  item 3 received 10/10 14:00 open 12d20h07m (limit 24h)",
    "CW01  CW01-N4  breached  item 1 received 20/10 14:00 open 68h07m (limit 24h)",
    "CW01  CW01-N4  breached  item 2 received 22/10 09:00 open 25h07m (limit 24h)",
    "CW01  CW01-N4  red       0.0% against 'within 24h' (3 breached)",
    "CW01  CW01-N7  stale     no action yet (over 31 days)",
    "CW01  CW01-N8  stale     no action yet (over 31 days)",
]

NATIONAL_80 = [
    "The national Policing Pledge",
    "No.  Commitment                     Target        Log with",
    "────────────────────────────────────────────────────────────────────────────────",
    "N1   Fair treatment                 not measured  log TEAM-N1 'what was done'",
    "N2   Know your neighbourhood team   not measured  log TEAM-N2 'what was done'",
    "N3   Visible in the neighbourhood   at least…     duty TEAM --hours H",
    "                                                  [--abstracted] [--when DT]",
    "N4   Messages answered within 24…   within 24h    message TEAM --received DT",
    "                                                  [--when DT|--open]",
    "N5   Emergencies attended quickly   within 15m…   attend TEAM --emergency",
    "                                                  --received DT --when DT",
    "N6   Urgent calls attended within…  within 1h     attend TEAM",
    "                                                  --vulnerable|--priority",
    "                                                  --received DT --when DT",
    "N7   Monthly public meeting         at least 1…   meeting TEAM --when DT",
    "                                                  [--attendance N] [--priorities",
    "                                                  'a; b; c']",
    "N8   Monthly progress update        at least 1…   update TEAM --when DT",
    "                                                  --channel",
    "                                                  web|newsletter|leaflet|meeting",
    "N9   Victims kept informed          within 31d    victim-update TEAM --case REF",
    "                                                  --when DT [--final]",
    "N10  Complaints dealt with fairly   not measured  log TEAM-N10 'what was done'",
    "1 column hidden (type)",
]


# every command that prints a table, at a width that hides columns
TABLES = [
    ("agenda", "--team", "CW01", *AS_OF),
    ("summary", "-p", "2008-10", *AS_OF),
    ("overview", "-p", "2008-10", *AS_OF),
    ("check", "--team", "CW01", *AS_OF),
    ("actions",),
    ("history",),
    ("pledge", "list"),
    ("pledge", "show", "CW01-L1"),
    ("team", "list"),
    ("team", "show", "CW01"),
    ("priorities", "CW01"),
    ("national",),
    ("national", "show", "N4"),
    ("report", "inspect", "CW01", *AS_OF),
    ("config", "show"),
]


@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_a_footer_advises_only_options_the_command_has(
    screen: Screen, args: tuple[str, ...]
) -> None:
    import typer.main

    from pledgetrack.cli.app import app

    command = typer.main.get_command(app)
    words = [a for a in args if a.islower() and not a.startswith("-")]
    for word in words:
        sub = getattr(command, "commands", {}).get(word)
        command = sub if sub is not None else command
    options = {o for p in command.params for o in getattr(p, "opts", [])}
    has_them = {"--wide", "--columns"} <= options
    for width in (40, 80):
        text = " ".join(screen(width, *args))  # a footer may wrap at 40 columns
        if " hidden (" in text:  # and then it advises --wide/--columns exactly when it has them
            assert ("--wide or --columns" in text) == has_them, (args, width, text)


def test_pledge_list_says_a_deadline_as_it_says_its_other_dates(screen: Screen) -> None:
    """In a list on a terminal `by 28/11` beside Agreed `03/10`, the year only when not this one;
    plain text, CSV and JSON keep the target's words as exported (`by 2008-11-28`)."""
    screen.run("pledge", "add", "CW01", "New CCTV camera on Aylestone Road", "--by",  # type: ignore[attr-defined]
               "28/11/2008", "--agreed", "3/10/2008")  # fmt: skip
    screen.run("pledge", "add", "CW01", "Skate park lights", "--by", "31/03/2009")  # type: ignore[attr-defined]
    for width in (80, 120):
        listed = screen(width, "pledge", "list", "--team", "CW01")
        rows = {line.split()[0]: line for line in listed[2:]}
        assert "by 28/11 " in rows["CW01-L2"] + " " and " 03/10" in rows["CW01-L2"]
        assert "by 31/03/2009" in rows["CW01-L3"]
    plain = screen(200, "pledge", "list", "--format", "plain")
    assert any("by 2008-11-28" in line for line in plain)
    csv = screen(200, "pledge", "list", "--format", "csv")
    assert any(",by 2008-11-28," in line or line.endswith(",by 2008-11-28") for line in csv)
    # a record, read alone, says every date with its year, and names its fields as people
    # read them (the machine keys stay in CSV and JSON)
    shown = screen(80, "pledge", "show", "CW01-L2")
    fields = {line[:13].strip(): line[13:].strip() for line in shown[3:17]}
    assert fields["Target"] == "by 28/11/2008" and fields["Agreed on"] == "03/10/2008"
    assert fields["Target type"] == "deadline"
    assert not any(line.startswith(("agreed_on", "target_type")) for line in shown)
    csv = screen(80, "pledge", "show", "CW01-L2", "--format", "csv")
    assert "agreed_on" in csv[0].split(",") and "target_type" in csv[0].split(",")
    assert "2008-10-03" in csv[1] and "by 2008-11-28" in csv[1]



def test_the_txt_update_wraps_a_long_you_said_heading(screen: Screen) -> None:
    """`You said: <the pledge's title>` is wrapped at 78 as the body is, not left at 87."""
    text = screen(200, "report", "update", "CW01", "-p", "2008-10", *AS_OF, "--format", "txt")
    assert [line for line in text if len(line) > 78] == []
    start = text.index("You said: Speeding on Saffron Lane: two speed checks a week with Community")
    assert text[start + 1 : start + 3] == ["Speedwatch", ""]
