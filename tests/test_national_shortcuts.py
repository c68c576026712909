"""The logging shortcuts: each writes what the equivalent `log` writes, and refuses alike."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from helpers import Prepared, Run, assert_error, fails, nothing_written, ok
from pledgetrack.cli.app import app
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode

# Everything about an action except its id and when it was typed in
ACTION_FIELDS = (
    "team_id, pledge_id, occurred_at, received_at, description, kind, officer, partner, hours, "
    "abstracted, ext_ref, voided_at, void_reason"
)


def actions(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT {ACTION_FIELDS} FROM actions ORDER BY id").fetchall()
    finally:
        conn.close()


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _setup(run: Run) -> None:
    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))
    ok(run("team", "add", "BL02", "--name", "Belgrave", "--no-national"))


@pytest.fixture
def teams(cli: Run, prepared: Prepared) -> Run:
    """CW01 with the national commitments from 1 Sep 2008; BL02 without them."""
    prepared("national-teams", lambda: _setup(cli))
    return cli


@pytest.fixture
def twin(tmp_path: Path, env: Environment, teams: Run, db: Path) -> tuple[Run, Path]:
    """A second database, a copy of `teams`, written to only with `log`."""
    path = tmp_path / "twin.db"
    path.write_bytes(db.read_bytes())

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(
            app, ["--db", str(path), *args], obj=env, input=input, catch_exceptions=False
        )

    return run, path


SAME_AS_LOG = {
    "message answered": (
        ["message", "CW01", "--received", "14/10/2008 09:00", "--when", "14/10/2008 17:30",
         "--note", "from Mrs Patel", "--officer", "PCSO Begum", "--ref", "EM-1"],
        ["log", "CW01-N4", "Message to the team: from Mrs Patel", "--received", "14/10/2008 09:00",
         "--when", "14/10/2008 17:30", "--kind", "message", "--officer", "PCSO Begum",
         "--ref", "EM-1"],
    ),
    "message open": (
        ["message", "cw01", "--received", "yesterday 22:00", "--open"],
        ["log", "CW01-N4", "Message to the team", "--received", "yesterday 22:00", "--open",
         "--kind", "message"],
    ),
    "meeting": (
        ["meeting", "CW01", "--when", "8/10/2008 19:00", "--attendance", "23",
         "--priorities", "speeding; litter", "--officer", "Sgt Patel"],
        ["log", "CW01-N7", "Public meeting", "--when", "8/10/2008 19:00", "--kind", "meeting",
         "--officer", "Sgt Patel"],
    ),
    "update": (
        ["update", "CW01", "--when", "2008-10-10", "--channel", "Newsletter", "--note", "issue 4"],
        ["log", "CW01-N8", "Progress update published (newsletter): issue 4", "--when",
         "2008-10-10", "--kind", "update"],
    ),
    "update on social media": (
        ["update", "CW01", "--when", "2008-10-10", "--channel", "social", "--note", "Facebook"],
        ["log", "CW01-N8", "Progress update published (social): Facebook", "--when",
         "2008-10-10", "--kind", "update"],
    ),
    "update by e-mail alert": (
        ["update", "CW01", "--when", "2008-10-10", "--channel", "EMAIL"],
        ["log", "CW01-N8", "Progress update published (email)", "--when", "2008-10-10",
         "--kind", "update"],
    ),
    "duty now": (
        ["duty", "CW01", "--hours", "7.5"],
        ["log", "CW01-N3", "Duty in the neighbourhood", "--hours", "7.5", "--kind", "duty"],
    ),
    "duty abstracted": (
        ["duty", "CW01", "--hours", "10", "--abstracted", "--when", "2008-10-11"],
        ["log", "CW01-N3", "Duty abstracted from the neighbourhood", "--hours", "10",
         "--abstracted", "--when", "2008-10-11", "--kind", "duty"],
    ),
    "attend emergency": (
        ["attend", "CW01", "--emergency", "--received", "2008-10-12 23:50",
         "--when", "2008-10-13 00:04", "--ref", "INC-0042"],
        ["log", "CW01-N5", "Emergency attendance", "--received", "2008-10-12 23:50",
         "--when", "2008-10-13 00:04", "--kind", "emergency", "--ref", "INC-0042"],
    ),
    "attend vulnerable": (
        ["attend", "CW01", "--vulnerable", "--received", "2008-10-12 10:00",
         "--when", "2008-10-12 10:40"],
        ["log", "CW01-N6", "Attended a vulnerable caller", "--received", "2008-10-12 10:00",
         "--when", "2008-10-12 10:40", "--kind", "vulnerable"],
    ),
    "attend priority": (
        ["attend", "CW01", "--priority", "--received", "2008-10-12 10:00",
         "--when", "2008-10-12 11:40", "--note", "Castle Park"],
        ["log", "CW01-N6", "Attended a call about a neighbourhood priority: Castle Park",
         "--received", "2008-10-12 10:00", "--when", "2008-10-12 11:40", "--kind", "priority"],
    ),
}  # fmt: skip
# a victim's first contact is no `log --open` (refused: it would have no case, FRESH5 H23);
# it is the row an import of one contact with no case column writes
# (test_victim_updates_are_the_rows_of_an_import)


@pytest.mark.parametrize(("shortcut", "log"), SAME_AS_LOG.values(), ids=SAME_AS_LOG.keys())
def test_shortcut_writes_the_same_row_as_log(
    teams: Run, db: Path, twin: tuple[Run, Path], shortcut: list[str], log: list[str]
) -> None:
    run_log, twin_db = twin
    by_shortcut = ok(teams(*shortcut))
    by_log = ok(run_log(*log))
    assert by_shortcut.stdout == by_log.stdout == "1\n"
    assert actions(db) == actions(twin_db)
    assert len(actions(db)) == 1


def test_victim_updates_are_the_rows_of_an_import(
    teams: Run, db: Path, twin: tuple[Run, Path], tmp_path: Path
) -> None:
    """Each contact answers the item before and opens the next: the rows an import of
    the items, received and answered, writes (the case apart)."""
    run_log, twin_db = twin
    assert (
        ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--when", "1/10/2008")).stdout
        == "1\n"
    )
    assert (
        ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--when", "10/10/2008")).stdout
        == "2\n"
    )
    assert ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--when", "14/10/2008",
                    "--final")).stdout == "2\n"  # fmt: skip
    items = tmp_path / "items.csv"
    row = 'CW01,CW01-N9,{},{},"Victim update, case CR/1/08",victim-update\n'
    items.write_text("team,pledge,when,received,description,kind\n"
                     + row.format("10/10/2008", "1/10/2008")
                     + row.format("14/10/2008", "10/10/2008"))  # fmt: skip
    ok(run_log("import", "actions", str(items)))
    assert actions(db) == actions(twin_db)
    assert rows(db, "SELECT action_id, case_ref FROM victim_contacts") == [
        (1, "CR/1/08"),
        (2, "CR/1/08"),
    ]


def test_a_final_update_keeps_its_note_and_officer(teams: Run, db: Path) -> None:
    """The last contact ends the case's last gap, so it is kept on that item (FRESH3 F23);
    no gap of 0 is made up for it (N9's median stays the real gap between contacts)."""
    ok(teams("victim-update", "CW01", "--case", "le/9/08", "--when", "1/10/2008 10:00",
             "--officer", "PC Smith", "--note", "first call"))  # fmt: skip
    final = ok(teams("victim-update", "CW01", "--case", "LE/9/08", "--when", "11/10/2008 10:00",
                     "--officer", "PC Jones", "--note", "case closed, told by phone",
                     "--final"))  # fmt: skip
    assert final.stdout == "1\n"
    assert final.stderr == (
        "case LE/9/08 closed: no further update is due (if that was a mistake: pledgetrack "
        "victim-update CW01 --case LE/9/08 --reopen)\n"
    )
    assert rows(db, "SELECT description, officer, received_at, occurred_at FROM actions") == [
        (
            "Victim update, case LE/9/08: first call; last contact (PC Jones): case closed, "
            "told by phone",
            "PC Smith",
            "2008-10-01T10:00:00+01:00",
            "2008-10-11T10:00:00+01:00",
        )
    ]
    summary = ok(teams("summary", "--team", "CW01", "--period", "2008-10", "-f", "csv"))
    n9 = next(line for line in summary.stdout.splitlines() if ",CW01-N9," in line)
    assert ",1,1,100.0,green,2008-10-11,\"median 10d, worst 10d\"" in n9
    # the audit log says who wrote the last contact
    changed = rows(db, "SELECT officer, op FROM changes WHERE entity = 'action' ORDER BY id")
    assert changed == [("PC Smith", "insert"), ("PC Jones", "respond")]


@pytest.mark.parametrize(
    ("officer", "note", "kept"),
    [
        ("PC Jones", None, "Victim update, case A1: first call; last contact (PC Jones)"),
        ("PC Smith", "told", "Victim update, case A1: first call; last contact: told"),
        (None, "  told  ", "Victim update, case A1: first call; last contact: told"),
        ("PC Smith", None, None),  # the item's own officer, no note: nothing to add
        (None, "   ", None),
    ],
)
def test_what_a_last_contact_adds_to_its_item(
    officer: str | None, note: str | None, kept: str | None
) -> None:
    from pledgetrack.domain.national import last_contact

    assert last_contact("Victim update, case A1: first call", "PC Smith", note, officer) == kept


def test_victim_cases_are_kept_apart(teams: Run, db: Path) -> None:
    ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--when", "1/10/2008"))
    ok(teams("victim-update", "CW01", "--case", "CR/2/08", "--when", "2/10/2008"))
    ok(teams("victim-update", "CW01", "--case", "cr/1/08", "--when", "9/10/2008"))
    got = rows(
        db,
        "SELECT id, substr(received_at, 1, 10), substr(occurred_at, 1, 10) FROM actions "
        "ORDER BY id",
    )
    assert got == [
        (1, "2008-10-01", "2008-10-09"),
        (2, "2008-10-02", None),
        (3, "2008-10-09", None),
    ]


def test_a_first_contact_that_is_the_last_starts_no_clock(teams: Run, db: Path) -> None:
    """A victim who wants one call only: recorded, linked to its case, nothing left open."""
    assert ok(teams("victim-update", "CW01", "--case", "le/3/08", "--when", "1/9/2008 10:00",
                    "--final")).stdout == "1\n"  # fmt: skip
    assert rows(db, "SELECT received_at, occurred_at FROM actions") == [
        ("2008-09-01T10:00:00+01:00", "2008-09-01T10:00:00+01:00")
    ]
    assert rows(db, "SELECT action_id, case_ref FROM victim_contacts") == [(1, "LE/3/08")]
    result = teams("check", "--team", "CW01", "--as-of", "2008-10-16 15:00", "-f", "csv")
    assert "CW01-N9" not in result.stdout
    # a later contact on the same case (the victim changed their mind) is refused until
    # the case is opened again (FRESH5 H9: it started a new clock without a word)
    refused = teams("victim-update", "CW01", "--case", "LE/3/08", "--when", "1/10/2008 10:00")
    assert refused.exit_code == ExitCode.USAGE and "--reopen" in refused.stderr
    ok(teams("victim-update", "CW01", "--case", "LE/3/08", "--reopen"))
    assert ok(teams("victim-update", "CW01", "--case", "LE/3/08",
                    "--when", "1/10/2008 10:00")).stdout == "2\n"  # fmt: skip


def test_check_flags_a_victim_left_without_news(teams: Run) -> None:
    ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--when", "1/9/2008 10:00"))
    result = teams("check", "--team", "CW01", "--as-of", "2008-10-16 15:00", "-f", "csv")
    assert result.exit_code == ExitCode.PROBLEMS_FOUND
    assert (
        "CW01,CW01-N9,breached,item 1 received 2008-09-01T10:00:00+01:00 open 45d5h (limit 31d)"
        ",,,,,,2008-10-02T10:00:00+01:00,1,CR/1/08,2008-09-01T10:00:00+01:00,"  # its fields
        in result.stdout.splitlines()
    )


def test_meeting_keeps_attendance_and_priorities(teams: Run, db: Path) -> None:
    agreed = "speeding on Main Street; litter ;; drugs in Castle Park"
    ok(teams("meeting", "CW01", "--when", "8/10/2008 19:00", "--attendance", "23",
             "--priorities", agreed))  # fmt: skip
    ok(teams("meeting", "CW01", "--when", "10/9/2008 19:00"))
    listed = json.loads(ok(teams("priorities", "CW01", "--format", "json")).stdout)
    assert listed == [
        {"id": 1, "meeting": 1, "held": "2008-10-08T19:00:00+01:00", "attendance": 23,
         "position": 1, "priority": "speeding on Main Street"},
        {"id": 2, "meeting": 1, "held": "2008-10-08T19:00:00+01:00", "attendance": 23,
         "position": 2, "priority": "litter"},
        {"id": 3, "meeting": 1, "held": "2008-10-08T19:00:00+01:00", "attendance": 23,
         "position": 3, "priority": "drugs in Castle Park"},
    ]  # fmt: skip
    assert rows(db, "SELECT action_id, attendance FROM meetings") == [(1, 23), (2, None)]
    history = json.loads(ok(teams("history", "1", "--format", "json")).stdout)
    assert history[0]["entity"] == "meeting"
    assert history[0]["new"] == {
        "attendance": 23,
        "priorities": ["speeding on Main Street", "litter", "drugs in Castle Park"],
    }


@pytest.mark.parametrize(
    ("agreed", "noted"),
    [("speeding, litter, parking", True), ("speeding; litter, parking", False),
     ("Drug dealing around Queen's Park", False), ("speeding,", True)],
)  # fmt: skip
def test_priorities_given_with_commas_are_one_and_said_so(
    teams: Run, agreed: str, noted: bool
) -> None:
    """FRESH4 G12: `--priorities "speeding, litter, parking"`, as a list is written in an
    e-mail, was kept silently as one priority."""
    said = ok(teams("meeting", "CW01", "--when", "8/10/2008 19:00", "--priorities", agreed))
    one = agreed.split(";")[0].strip()
    note = (f"note: recorded as one priority, {one!r}: several are separated with ';' "
            "('speeding; litter'); to split it, void the meeting and log it again\n")  # fmt: skip
    assert said.stderr.endswith(note) is noted


def test_priorities_of_a_void_meeting_are_not_listed(teams: Run) -> None:
    ok(teams("meeting", "CW01", "--when", "8/10/2008", "--priorities", "litter"))
    plain = ok(teams("priorities", "CW01", "--format", "plain"))
    assert "litter" in plain.stdout
    assert plain.stderr == "make one a local pledge: pledgetrack pledge add CW01 'PRIORITY' ...\n"
    ok(teams("void", "1", "--reason", "wrong team"))
    result = ok(teams("priorities", "cw01", "--format", "plain"))
    assert result.stdout == ""
    assert result.stderr == (
        "no priorities recorded (record them: pledgetrack meeting CW01 --when DT "
        "--priorities 'a; b')\n"
    )


SHORTCUTS_BY_COMMITMENT = {
    "N3": ["duty", "BL02", "--hours", "8"],
    "N4": ["message", "BL02", "--received", "today 09:00"],
    "N5": ["attend", "BL02", "--emergency", "--received", "today 09:00", "--when", "today 09:10"],
    "N6": ["attend", "BL02", "--priority", "--received", "today 09:00", "--when", "today 09:10"],
    "N7": ["meeting", "BL02", "--when", "today", "--priorities", "litter"],
    "N8": ["update", "BL02", "--when", "today", "--channel", "web"],
    "N9": ["victim-update", "BL02", "--case", "CR/1/08", "--when", "today"],
}


@pytest.mark.parametrize(
    ("number", "args"), SHORTCUTS_BY_COMMITMENT.items(), ids=SHORTCUTS_BY_COMMITMENT.keys()
)
def test_shortcut_needs_the_national_commitment(
    teams: Run, db: Path, number: str, args: list[str]
) -> None:
    fails(teams, db, *args, text=f"team BL02 has no national commitment {number} "
          f"(attach it: pledgetrack team national BL02 --only {number})")  # fmt: skip
    assert rows(db, "SELECT * FROM priorities") == []


def test_shortcut_works_once_attached(teams: Run) -> None:
    ok(teams("team", "national", "BL02", "--only", "N3"))
    assert ok(teams("duty", "BL02", "--hours", "8")).stdout == "1\n"


def test_shortcut_unknown_team(teams: Run, db: Path) -> None:
    fails(teams, db, "duty", "XX9", "--hours", "8",
          text="unknown team 'XX9' (see: pledgetrack team list)")  # fmt: skip


# The same mistake, made through a shortcut and through `log`, gets the same words back
SAME_REFUSAL = {
    "answered before received": (
        ["message", "CW01", "--received", "14/10/2008 09:00", "--when", "13/10/2008 09:00"],
        ["log", "CW01-N4", "x", "--received", "14/10/2008 09:00", "--when", "13/10/2008 09:00"],
    ),
    "open and when": (
        ["message", "CW01", "--received", "today", "--open", "--when", "today"],
        ["log", "CW01-N4", "x", "--received", "today", "--open", "--when", "today"],
    ),
    "negative hours": (
        ["duty", "CW01", "--hours", "-1"],
        ["log", "CW01-N3", "x", "--hours", "-1"],
    ),
    "impossible date": (
        ["update", "CW01", "--when", "31/02/2008", "--channel", "web"],
        ["log", "CW01-N8", "x", "--when", "31/02/2008"],
    ),
    "arrived before the call": (
        ["attend", "CW01", "--emergency", "--received", "today 10:00", "--when", "today 09:00"],
        ["log", "CW01-N5", "x", "--received", "today 10:00", "--when", "today 09:00"],
    ),
}  # fmt: skip


@pytest.mark.parametrize(("shortcut", "log"), SAME_REFUSAL.values(), ids=SAME_REFUSAL.keys())
def test_shortcut_refuses_what_log_refuses(
    teams: Run, db: Path, shortcut: list[str], log: list[str]
) -> None:
    assert fails(teams, db, *shortcut) == fails(teams, db, *log)


def test_archived_team_cannot_log(teams: Run, db: Path) -> None:
    ok(teams("team", "archive", "CW01", "--yes"))
    fails(teams, db, "duty", "CW01", "--hours", "8",
          text="team CW01 is archived; nothing can be logged against it")  # fmt: skip


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["attend", "CW01", "--received", "today 09:00", "--when", "today 09:10"],
         "attend needs exactly one of --emergency (N5), --vulnerable or --priority (N6); "
         "appointments are not measured"),
        (["attend", "CW01", "--vulnerable", "--emergency", "--received", "today 09:00",
          "--when", "today 09:10"],
         "attend needs exactly one of --emergency (N5), --vulnerable or --priority (N6); "
         "appointments are not measured"),
        (["meeting", "CW01", "--when", "today", "--attendance", "-3"],
         "--attendance must be a whole number from 0 to 1,000,000, not -3"),
        (["meeting", "CW01", "--when", "today", "--priorities", " ; "],
         "--priorities: separate the priorities with ';', e.g. 'speeding; litter'"),
        (["victim-update", "CW01", "--case", "  ", "--when", "today"], "--case must not be empty"),
    ],
)  # fmt: skip
def test_shortcut_refusals(teams: Run, db: Path, args: list[str], text: str) -> None:
    fails(teams, db, *args, text=text)


@pytest.mark.parametrize(
    "args",
    [
        ["meeting", "CW01"],
        ["update", "CW01", "--when", "today", "--channel", "fax"],
        ["update", "CW01", "--when", "today"],
        ["attend", "CW01", "--emergency", "--received", "today"],
        ["duty", "CW01"],
        ["victim-update", "CW01", "--when", "today"],
    ],
)
def test_missing_or_bad_options_are_usage_errors(teams: Run, db: Path, args: list[str]) -> None:
    message = fails(teams, db, *args)  # one line, even where click lists the choices
    assert message.endswith(f"(see: pledgetrack {args[0]} --help)")


def test_missing_channel_names_the_choices_on_one_line(teams: Run, db: Path) -> None:
    fails(teams, db, "update", "CW01", "--when", "today",
          text="--channel is required: one of web, social, email, newsletter, leaflet, "
          "noticeboard, press, meeting (see: pledgetrack update --help)")  # fmt: skip


def test_every_shortcut_has_help(teams: Run) -> None:
    for name in ("message", "meeting", "update", "duty", "attend", "victim-update", "priorities"):
        result = ok(teams(name, "--help"))
        assert "Usage: pledgetrack " + name in result.stdout


def test_unknown_team_for_priorities(teams: Run, db: Path) -> None:
    result = teams("priorities", "XX9")
    assert_error(result, ExitCode.USAGE, "unknown team 'XX9' (see: pledgetrack team list)")


def _n9_last(run: Run, as_of: str) -> tuple[str | None, str | None]:
    """N9's last action in October's summary and its latest in the inspection, as of then."""
    summary = json.loads(ok(run("summary", "--team", "CW01", "-p", "2008-10", "--as-of", as_of,
                                "-f", "json")).stdout)  # fmt: skip
    (row,) = [p for t in summary["teams"] for p in t["pledges"] if p["pledge"] == "CW01-N9"]
    report = json.loads(ok(run("report", "inspect", "CW01", "--as-of", as_of, "-f", "json")).stdout)
    (n9,) = [c for c in report["commitments"] if c["commitment"] == "N9"]
    return row["last_action"], n9["latest"]


def test_a_first_victim_contact_is_n9_s_last_action(teams: Run, tmp_path: Path) -> None:
    """FRESH3 F16: the first contact opens the item its next contact closes; it is a
    contact made, so N9's last action is that day, not blank while the next is awaited."""
    ok(teams("victim-update", "CW01", "--case", "LE/1/08", "--when", "10/10/2008 10:00"))
    assert _n9_last(teams, "10/10/2008 09:59") == (None, None)  # before it: none
    assert _n9_last(teams, "10/10/2008 10:00") == ("2008-10-10", "2008-10-10")
    ok(teams("victim-update", "CW01", "--case", "LE/2/08", "--when", "12/10/2008 10:00"))
    ok(teams("victim-update", "CW01", "--case", "LE/1/08", "--when", "11/10/2008 10:00",
             "--final"))  # fmt: skip  # the last of case 1, done: an earlier contact
    assert _n9_last(teams, "16/10/2008 12:00") == ("2008-10-12", "2008-10-12")
    out = tmp_path / "oct.csv"
    ok(teams("export", "summary", "--team", "CW01", "-p", "2008-10", "--as-of", "16/10/2008 12:00",
             "-o", str(out)))  # fmt: skip
    (row,) = [r for r in csv.DictReader(out.open()) if r["pledge"] == "CW01-N9"]
    assert row["last_action"] == "2008-10-12"


N3_FLOOR = (
    "--hours must be more than 0: 0 hours count for nothing in CW01-N3's share of hours in "
    "the neighbourhood"
)


@pytest.mark.parametrize(
    "logged",
    [("duty", "CW01"), ("log", "CW01-N3", "Shift")],  # one floor, however N3 is logged
)
def test_a_duty_of_no_hours_is_refused(teams: Run, db: Path, logged: tuple[str, ...]) -> None:
    """FRESH3 F13, ATTACK5 B6: 0 hours on duty would count for nothing in N3's share."""
    fails(teams, db, *logged, "--hours", "0", "--when", "10/10/2008 08:00", text=N3_FLOOR)
    ok(teams(*logged, "--hours", "0.01", "--when", "10/10/2008 08:00"))


def test_an_imported_duty_of_no_hours_is_refused_naming_its_line(
    teams: Run, db: Path, tmp_path: Path
) -> None:
    duties = tmp_path / "duties.csv"
    duties.write_text(
        "team,pledge,when,description,hours\n"
        "CW01,CW01-N3,2008-10-10T10:00,duty,0.01\n"
        "CW01,CW01-N3,2008-10-10T11:00,duty,0\n"
    )
    with nothing_written(db):
        refused = teams("import", "actions", str(duties))
    assert refused.exit_code == ExitCode.USAGE
    assert refused.stderr.splitlines()[0] == "line 3: hours: " + N3_FLOOR.removeprefix(
        "--hours "
    ).replace("--hours", "hours")


@pytest.mark.parametrize(
    ("args", "noted"),
    [
        (["duty", "CW01", "--hours", "24"], False),  # a day: one officer's may be so long
        (["duty", "CW01", "--hours", "24.5"], True),
        (["duty", "CW01", "--hours", "400"], True),  # 4.00 typed as 400?
        (["log", "CW01-N3", "Shift", "--hours", "400"], True),
    ],
)
def test_more_than_a_day_in_one_entry_is_said_not_refused(
    teams: Run, args: list[str], noted: bool
) -> None:
    """More than 24 hours in one entry is several officers' together, or a slip: recorded,
    with a note on stderr naming the way back (FRESH3 F13)."""
    result = ok(teams(*args, "--when", "10/10/2008 08:00"))
    new = result.stdout.strip()
    note = (
        f"note: {args[-1]} hours in one entry, more than one day (24h): several officers' "
        f"hours together? If not: pledgetrack void {new} --reason 'hours wrong'\n"
    )
    assert (note in result.stderr) is noted
    assert noted or result.stderr == ""


def test_every_channel_is_taken_and_documented(teams: Run, db: Path) -> None:
    """The channels are declared once (vocabulary.CHANNEL_MEANING): each is taken by
    `update --channel`, and docs/national-pledge.md's table lists each with its meaning."""
    from pledgetrack.domain.vocabulary import CHANNEL_MEANING

    for channel in CHANNEL_MEANING:
        ok(teams("update", "CW01", "--when", "2008-10-10", "--channel", channel.value))
    assert [d for (d,) in rows(db, "SELECT description FROM actions ORDER BY id")] == [
        f"Progress update published ({c.value})" for c in CHANNEL_MEANING
    ]
    doc = (Path(__file__).parents[1] / "docs" / "national-pledge.md").read_text()
    table = doc.partition("\n### Channels\n")[2].partition("\n\n")[2].partition("\n\n")[0]
    expected = ["| channel | what it covers |", "|---|---|"] + [
        f"| `{c.value}` | {meaning} |" for c, meaning in CHANNEL_MEANING.items()
    ]
    assert table.splitlines() == expected, "\n".join(expected)
