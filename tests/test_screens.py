# ruff: noqa: E501  (screens of 120 columns, exactly as shown)
"""What a person sees at 80 and 120 columns (COLUMNS) on a terminal, exactly, through the
real CLI on a real database: the screens a fresh user's tour found wanting.

The database is the tour's: team CW01, three open messages (one late by days), a weekly
speed-check pledge; the clock is Thursday 23 October 2008, 10:07.
"""

from __future__ import annotations

import dataclasses
import re
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
# agenda --team CW01 with one --ref: the narrowest terminal that keeps Case/ref beside the
# essentials (Ref, What at its least, Now, To do, Due)
EDGE = 73


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
    """What is due reads whole: what, to do and due stay at 80 columns, What in up to three
    lines; the due time is said once, in Due (To do said `late by 1h07m, was due 23/10
    09:00` beside it, wrapped); an empty Case/ref is not shown, nor the keys for programs
    (kind, the pledge's title): nothing is hidden at 80 or 120."""
    assert screen(80, "agenda", "--team", "CW01", *AS_OF) == AGENDA_80
    assert screen(120, "agenda", "--team", "CW01", *AS_OF) == AGENDA_120


def test_summary_keeps_the_detail_that_explains_a_red(screen: Screen) -> None:
    """The title in up to two lines beside the detail, which is read whole (FRESH4 G11: one
    line each cut `Monthly public…` and `Monthly…` for N7 and N8, alike at 80 columns)."""
    local = screen(80, "summary", "-p", "2008-10", *AS_OF)
    assert local[local.index("Local pledges") :] == SUMMARY_LOCAL_80
    local = screen(120, "summary", "-p", "2008-10", *AS_OF)
    assert local[local.index("Local pledges") :] == SUMMARY_LOCAL_120


def test_check_wraps_its_message_and_says_times_as_tables_do(screen: Screen) -> None:
    assert screen(80, "check", "--team", "CW01", *AS_OF) == CHECK_80
    wide = screen(120, "check", "--team", "CW01", *AS_OF)
    first = next(i for i, line in enumerate(wide) if "message 1" in line)
    assert wide[first : first + 2] == [
        'CW01  CW01-N4  breached  message 1 "Message to the team" received 20/10 14:00: late '
        "by 44h07m, open 68h07m (limit 24h);",
        "                         Messages answered within 24 hours",
    ]


def test_check_csv_and_json_keep_the_stored_time(screen: Screen) -> None:
    """Programs read the message as data: the time as stored, whatever the terminal."""
    csv = screen(80, "check", "--team", "CW01", *AS_OF, "--format", "csv")
    assert (
        "CW01,CW01-N4,breached,item 3 received 2008-10-10T14:00:00+01:00 open 12d20h07m (limit 24h)"
        ",,,,,,2008-10-11T14:00:00+01:00,3,,2008-10-10T14:00:00+01:00,"  # the fields after it
        in csv
    )
    text = "\n".join(screen(80, "check", "--team", "CW01", *AS_OF, "--format", "json"))
    assert '"message": "item 1 received 2008-10-20T14:00:00+01:00 open 68h07m (limit 24h)"' in text
    plain = screen(200, "check", "--team", "CW01", *AS_OF, "--format", "plain")
    assert any(
        line.endswith(
            'message 1 "Message to the team" received 20/10 14:00: late by 44h07m, open '
            "68h07m (limit 24h); Messages answered within 24 hours"
        )
        for line in plain
    )


@pytest.mark.parametrize("width", [80, 120])
def test_national_never_breaks_a_word(screen: Screen, width: int) -> None:
    lines = screen(width, "national")
    words = {w for line in lines for w in line.split()}
    assert "--vulnerable|--priority" in words and "victim-update" in words
    whole = {w for line in screen(80, "national", "--format", "plain") for w in line.split()}
    # cut after a word (its trailing `:` or `,` dropped), never inside one
    cut = [w[:-1] for w in words if w.endswith("…")]
    assert cut and [w for w in cut if w not in whole and f"{w}:" not in whole] == []
    if width == 80:
        assert lines == NATIONAL_80


AGENDA_80 = [
    "Agenda CW01, next 7 days from Thu 23/10 10:07",
    "Ref      What                         Now             To do          Due",
    "────────────────────────────────────────────────────────────────────────────────",
    "CW01-N4  Message to the team          item 3 open     late by        11/10 14:00",
    "                                      12d20h07m       11d20h07m",
    "CW01-N4  Message to the team          item 1 open     late by        21/10 14:00",
    "                                      68h07m          44h07m",
    "CW01-N4  Message to the team          item 2 open     late by 1h07m  23/10 09:00",
    "                                      25h07m",
    "CW01-L1  Speeding on Saffron Lane:    0 of 2 this     2 more by Sun  26/10 23:59",
    "         two speed checks a week      week",
    "         with Community Speedwatch",
]

AGENDA_120 = [
    "Agenda CW01, next 7 days from Thu 23/10 10:07",
    "Ref      What                                                      Now                    To do              Due",
    "────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
    "CW01-N4  Message to the team                                       item 3 open 12d20h07m  late by 11d20h07m  11/10 14:00",
    "CW01-N4  Message to the team                                       item 1 open 68h07m     late by 44h07m     21/10 14:00",
    "CW01-N4  Message to the team                                       item 2 open 25h07m     late by 1h07m      23/10 09:00",
    "CW01-L1  Speeding on Saffron Lane: two speed checks a week with    0 of 2 this week       2 more by Sun      26/10 23:59",
    "         Community Speedwatch",
]

SUMMARY_LOCAL_80 = [
    "Local pledges",
    "                                 Compliance",
    "Ref       Title                           %  Status        Detail",
    "────────────────────────────────────────────────────────────────────────────────",
    "CW01-L1   Speeding on Saffron             0  red           0 of 3 weeks met; so",
    "          Lane: two speed…                                 far this week: 0 of 2",
    "3 columns hidden (target, actual, expected); --wide or --columns",
]

SUMMARY_LOCAL_120 = [
    "Local pledges",
    "                                                              Compliance",
    "Ref       Title                             Actual  Expected           %  Status        Detail",
    "────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
    "CW01-L1   Speeding on Saffron Lane: two          0         6           0  red           0 of 3 weeks met; so far this",
    "          speed checks a week with…                                                     week: 0 of 2",
    "1 column hidden (target); --wide or --columns",
]

CHECK_80 = [
    "Team  Ref      Kind      Message",
    "────────────────────────────────────────────────────────────────────────────────",
    "CW01  CW01-L1  red       0.0% in October 2008 so far against 'at least 2 per",
    "                         week' (0 of 3 weeks met; so far this week: 0 of 2)",
    "CW01  CW01-L1  stale     no action yet (over 14 days)",
    "CW01  CW01-N3  stale     no action yet (over 14 days)",
    # what the item is, when it came in, how late, which pledge: a cron mail (FRESH3 F15)
    'CW01  CW01-N4  breached  message 3 "Message to the team" received 10/10 14:00:',
    "                         late by 11d20h07m, open 12d20h07m (limit 24h); Messages",
    "                         answered within 24 hours",
    'CW01  CW01-N4  breached  message 1 "Message to the team" received 20/10 14:00:',
    "                         late by 44h07m, open 68h07m (limit 24h); Messages",
    "                         answered within 24 hours",
    'CW01  CW01-N4  breached  message 2 "Message to the team" received 22/10 09:00:',
    "                         late by 1h07m, open 25h07m (limit 24h); Messages",
    "                         answered within 24 hours",
    # the worst wait is the open message's: 12 days, not one answered (FRESH5 H2)
    "CW01  CW01-N4  red       0.0% in October 2008 so far against 'within 24h' (worst",
    "                         12d20h07m (open), 3 breached)",
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
    "                                                  --channel WHERE",
    "N9   Victims kept informed          within 31d    victim-update TEAM --case REF",
    "                                                  --when DT [--final]",
    "N10  Complaints dealt with fairly   not measured  log TEAM-N10 'what was done'",
    "1 column hidden (type); -f plain shows every column",  # no --wide here (G18)
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
    plain text is for people alike; CSV and JSON keep the target's words as exported (`by
    2008-11-28`)."""
    screen.run("pledge", "add", "CW01", "New CCTV camera on Aylestone Road", "--by",  # type: ignore[attr-defined]
               "28/11/2008", "--agreed", "3/10/2008")  # fmt: skip
    screen.run("pledge", "add", "CW01", "Skate park lights", "--by", "31/03/2009")  # type: ignore[attr-defined]
    for width in (80, 120):
        listed = screen(width, "pledge", "list", "--team", "CW01")
        rows = {line.split()[0]: line for line in listed[2:]}
        assert "by 28/11 " in rows["CW01-L2"] + " " and " 03/10" in rows["CW01-L2"]
        assert "by 31/03/2009" in rows["CW01-L3"]
    plain = screen(200, "pledge", "list", "--format", "plain")
    (row,) = [line for line in plain if " CW01-L2 " in line]
    assert "by 28/11 " in row and " 03/10" in row and "2008-" not in row
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


def test_agenda_at_80_columns_shows_the_words_that_tell_two_messages_apart(
    screen: Screen,
) -> None:
    """Every message reads `Message to the team`: the note after it (who it was from) and
    the reference are what tell them apart, so they are read at 80 columns, not cut."""
    screen.run("message", "CW01", "--received", "23/10/2008 08:15", "--note",  # type: ignore[attr-defined]
               "from Mrs Patel, parking", "--open")  # fmt: skip
    screen.run("message", "CW01", "--received", "23/10/2008 08:30", "--open", "--ref", "ABC-123")  # type: ignore[attr-defined]
    lines = screen(80, "agenda", "--team", "CW01", *AS_OF)
    text = " ".join(" ".join(line.split()) for line in lines)
    rows = [i for i, line in enumerate(lines) if line.startswith("CW01-N4 ")]
    patel = next(i for i in rows if "Message to the team:" in lines[i])
    # the note, whole, in What under its first line (nothing else is in What's place)
    start, end = lines[1].index("What"), lines[1].index("Now")
    after = next(i for i in range(patel + 1, len(lines)) if not lines[i].startswith(" "))
    what = [lines[i][start:end].strip() for i in range(patel, after)]
    assert " ".join(what) == "Message to the team: from Mrs Patel, parking", what
    assert "ABC-123" in text and "Case/ref" in lines[1]
    assert "hidden" not in text
    assert not any("…" in lines[i] for i in rows)  # a long pledge title may be cut; no message
    # no internal words: Now and To do say the kind
    assert "open-item" not in text and "frequency" not in text
    picked = screen(80, "agenda", "--team", "CW01", *AS_OF, "--columns", "ref,kind")
    assert "open-item" in " ".join(picked)  # the key, when asked for


def test_a_column_with_nothing_in_it_is_not_shown_and_not_named(screen: Screen) -> None:
    """The tour's messages carry no case or reference: Case/ref would be an empty column
    holding its width, so it is left out, at 120 as at 80, and no footer names it;
    `--columns` still shows it when asked."""
    for width in (80, 120):
        lines = screen(width, "agenda", "--team", "CW01", *AS_OF)
        assert "Case/ref" not in lines[1] and not any("hidden" in line for line in lines)
    asked = screen(80, "agenda", "--team", "CW01", *AS_OF, "--columns", "ref,case,due")
    assert ["Ref", "Case/ref", "Due"] in [line.split() for line in asked]


def test_agenda_case_ref_gives_way_at_a_width_and_the_footer_says_so(screen: Screen) -> None:
    """The edge where a column starts to hide: Case/ref (priority 2) is kept while the
    essentials fit beside it, hidden and named one column narrower."""
    screen.run("message", "CW01", "--received", "23/10/2008 08:30", "--open", "--ref", "ABC-123")  # type: ignore[attr-defined]
    shown = screen(EDGE, "agenda", "--team", "CW01", *AS_OF)
    assert "Case/ref" in shown[1] and "ABC-123" in " ".join(shown)
    narrower = screen(EDGE - 1, "agenda", "--team", "CW01", *AS_OF)
    assert "Case/ref" not in narrower[1]
    assert narrower[-1] == "1 column hidden (case/ref); --wide or --columns"


def test_plain_text_and_tables_say_dates_as_people_do_and_carry_no_ansi(
    screen: Screen, env: Environment, tmp_path: Path
) -> None:
    """One rule for every listing: a table and plain text (piped, a cron mail) are for
    people, so no ISO date and no offset in any cell; CSV and JSON keep ISO."""
    screen.run("pledge", "add", "CW01", "New CCTV camera", "--by", "28/11/2008", "--agreed",  # type: ignore[attr-defined]
               "3/10/2008", "--review", "01/12/2008")  # fmt: skip
    screen.run("log", "CW01-L1", "Speed check", "--when", "22/10/2008 19:30", "--kind", "patrol")  # type: ignore[attr-defined]
    iso = re.compile(r"\d{4}-\d\d-\d\d|[+-]\d\d:\d\d\b")
    for args in (
        ("agenda", *AS_OF),
        ("summary", "-p", "2008-10", *AS_OF),
        ("pledge", "list"),
        ("pledge", "show", "CW01-L2"),
        ("actions",),
        ("history", "--limit", "5"),
        ("check", *AS_OF),
        ("team", "show", "CW01"),
    ):
        plain = "\n".join(screen(300, *args, "--format", "plain"))
        assert not iso.search(plain), (args, iso.search(plain))
        assert "\x1b" not in plain
        if args[0] != "team":  # a team's record holds no date
            assert iso.search("\n".join(screen(300, *args, "--format", "csv"))), args


def test_priorities_at_80_columns_read_whole_with_the_meeting_said_once(screen: Screen) -> None:
    """What residents asked for is the point of the list: whole, wrapped at 80 columns; the
    meeting's day and attendance on its first priority only; the ids are for programs."""
    screen.run("meeting", "CW01", "--when", "22/10/2008 19:00", "--attendance", "23",  # type: ignore[attr-defined]
               "--priorities", "Speeding on Saffron Lane; ASB in Castle Park near the "
               "bandstand on Friday nights and at weekends; Drug dealing behind the Co-op")  # fmt: skip
    assert screen(80, "priorities", "CW01") == [
        "Held         Attendance  #  Priority",
        "─" * 80,
        "22/10 19:00          23  1  Speeding on Saffron Lane",
        "                         2  ASB in Castle Park near the bandstand on Friday",
        "                            nights and at weekends",
        "                         3  Drug dealing behind the Co-op",
    ]
    csv = screen(80, "priorities", "CW01", "--format", "csv")
    assert csv[0] == "id,meeting,held,attendance,position,priority"
    assert [line.split(",")[3] for line in csv[1:]] == ["23", "23", "23"]  # every row
    wide = screen(80, "priorities", "CW01", "--columns", "id,meeting,priority")
    assert wide[0].split() == ["ID", "Meeting", "Priority"]
