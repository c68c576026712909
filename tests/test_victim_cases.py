"""N9's victim cases as a sergeant corrects them (FRESH4 G10, G13, G15, G2, G3): a contact
is recorded by `victim-update` only, voiding one puts the case back as it was without it,
a contact typed up late goes between the two either side, and the "logged twice" note
tells two victims (or two officers' shifts) apart. The clock is pinned at 16/10/2008 15:00."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from random import Random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from conftest import invoke
from helpers import Prepared, Run, fails, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode


def _setup(run: Run) -> None:
    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))


@pytest.fixture
def teams(cli: Run, prepared: Prepared) -> Run:
    prepared("victim-cases", lambda: _setup(cli))
    return cli


def chain(db: Path) -> list[tuple[Any, ...]]:
    """Each live item: id, received (the contact), done (the next contact), to the minute."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT id, substr(received_at, 1, 16), substr(occurred_at, 1, 16) FROM actions "
            "WHERE voided_at IS NULL ORDER BY received_at, id"
        ).fetchall()
    finally:
        conn.close()


def contact(run: Run, when: str, *more: str, case: str = "CR/1/08") -> int:
    return int(ok(run("victim-update", "CW01", "--case", case, "--when", when, *more)).stdout)


def n9_check(run: Run, as_of: str) -> list[str]:
    """N9's findings, their first four columns (the fields after: test_check_fields.py)."""
    result = run("check", "--team", "CW01", "--as-of", as_of, "-f", "csv")
    return [line.rsplit(",", 10)[0] for line in result.stdout.splitlines() if ",CW01-N9," in line]


def n9_summary(run: Run, period: str) -> str:
    result = ok(run("summary", "--team", "CW01", "--period", period, "-f", "csv"))
    return next(line for line in result.stdout.splitlines() if ",CW01-N9," in line)


# -- G10: respond is not how a contact is recorded --


def test_respond_on_a_victim_contact_is_refused_with_the_command_that_records_it(
    teams: Run, db: Path
) -> None:
    """Answering the item with respond would close the case with no next contact due: the
    victim would never be chased again. The error gives the command, filled in."""
    contact(teams, "1/9/2008 10:00", case="le/4502/08")
    fails(teams, db, "respond", "1", "--when", "1/10/2008 10:00",
          text="action 1 is a contact with the victim of case LE/4502/08: record the next "
          "contact with: pledgetrack victim-update CW01 --case LE/4502/08 --when "
          "'01/10/2008 10:00' (with --final if the case needs no more)")  # fmt: skip
    assert n9_check(teams, "2008-10-16 15:00") == [
        "CW01,CW01-N9,breached,item 1 received 2008-09-01T10:00:00+01:00 open 45d5h (limit 31d)"
    ]


def test_respond_still_answers_an_n9_item_no_case_is_linked_to(
    teams: Run, tmp_path: Path
) -> None:
    """An item no case is linked to (an import of a file with no case column, the demo's)
    has no chain: respond closes it."""
    file = tmp_path / "n9.csv"
    file.write_text("team,pledge,when,received,description,kind\n"
                    "CW01,CW01-N9,,1/9/2008 10:00,Victim update,victim-update\n")  # fmt: skip
    ok(teams("import", "actions", str(file)))
    done = ok(teams("respond", "1", "--when", "2/10/2008 10:00"))
    assert done.stderr == "action 1 dealt with after 31d, within 31d\n"


# -- G13: voiding a contact --


def test_voiding_the_latest_contact_reopens_the_one_it_answered(teams: Run, db: Path) -> None:
    contact(teams, "1/9/2008 10:00", case="CR/7/08")
    contact(teams, "20/9/2008 10:00", case="CR/7/08")  # typed against the wrong case
    voided = ok(teams("void", "2", "--reason", "wrong case, meant CR/8/08"))
    assert voided.stderr == (
        "voided action 2; case CR/7/08's contact of 20/09 10:00 is taken out; its contact of "
        "01/09 10:00 (action 1) waits again for the next contact, due by 02/10 10:00\n"
    )
    assert chain(db) == [(1, "2008-09-01T10:00", None)]
    # the victim really last heard on 1 September: breached, and September has no gap
    assert n9_check(teams, "2008-10-16 15:00") == [
        "CW01,CW01-N9,breached,item 1 received 2008-09-01T10:00:00+01:00 open 45d5h (limit 31d)"
    ]
    # logged again, on the right day, it answers the first contact as if typed right at once
    assert contact(teams, "25/9/2008 10:00", case="CR/7/08") == 3
    assert chain(db) == [(1, "2008-09-01T10:00", "2008-09-25T10:00"), (3, "2008-09-25T10:00", None)]


def test_voiding_a_contact_in_the_middle_joins_the_gaps_either_side(teams: Run, db: Path) -> None:
    contact(teams, "1/9/2008 10:00")
    contact(teams, "20/9/2008 10:00")
    contact(teams, "10/10/2008 10:00")
    voided = ok(teams("void", "2", "--reason", "never made"))
    assert voided.stderr.endswith(
        "its contact of 01/09 10:00 (action 1) is now answered by the one of 10/10 10:00\n"
    )
    assert chain(db) == [(1, "2008-09-01T10:00", "2008-10-10T10:00"), (3, "2008-10-10T10:00", None)]
    assert ",0,1,0.0,red," in n9_summary(teams, "2008-09")  # 39 days, not 19 and 20


def test_voiding_the_only_contact_leaves_nothing_to_chase(teams: Run, db: Path) -> None:
    contact(teams, "1/9/2008 10:00")
    voided = ok(teams("void", "1", "--reason", "wrong team"))
    assert voided.stderr == (
        "voided action 1; case CR/1/08's contact of 01/09 10:00 is taken out; the case has "
        "no contact left\n"
    )
    assert chain(db) == []
    assert n9_check(teams, "2008-10-16 15:00") == []


def test_voiding_the_first_contact_starts_the_case_at_the_next(teams: Run, db: Path) -> None:
    contact(teams, "1/9/2008 10:00")
    contact(teams, "20/9/2008 10:00")
    voided = ok(teams("void", "1", "--reason", "another victim"))
    assert voided.stderr.endswith("the case now starts at its contact of 20/09 10:00\n")
    assert chain(db) == [(2, "2008-09-20T10:00", None)]


def test_a_final_contact_typed_by_mistake_is_undone_by_reopen_not_by_void(
    teams: Run, db: Path
) -> None:
    """--final prints the item it closed, which also holds the contact before: void of it
    is refused, naming --reopen, which keeps the contact (the mistake was "final", not
    the call: FRESH6 I8) as an ordinary one with an item of its own, due from it."""
    contact(teams, "1/9/2008 10:00", case="CR/5/08")
    contact(teams, "20/9/2008 10:00", case="CR/5/08")
    final = ok(teams("victim-update", "CW01", "--case", "CR/5/08", "--when", "10/10/2008 10:00",
                     "--final"))  # fmt: skip
    assert final.stdout == "2\n"
    assert "pledgetrack victim-update CW01 --case CR/5/08 --reopen" in final.stderr
    fails(teams, db, "void", "2", "--reason", "--final was a mistake",
          text="action 2 holds two contacts of case CR/5/08: its own of 20/09 10:00 and the "
          "final one of 10/10 10:00. To undo --final: pledgetrack victim-update CW01 --case "
          "CR/5/08 --reopen, which keeps the final contact as an ordinary one with an id of "
          "its own (void that id if the contact was not made, or 2 if its own contact is "
          "wrong)")  # fmt: skip
    reopened = ok(teams("victim-update", "CW01", "--case", "cr/5/08", "--reopen"))
    assert reopened.stderr == (
        "case CR/5/08 reopened: its contact of 10/10 10:00 is kept as an ordinary contact "
        "(action 3); the next is due by 10/11 10:00 (if that contact was not made: "
        "pledgetrack void 3 --reason '...')\n"
    )
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-20T10:00"),
        (2, "2008-09-20T10:00", "2008-10-10T10:00"),
        (3, "2008-10-10T10:00", None),
    ]
    fails(teams, db, "victim-update", "CW01", "--case", "CR/5/08", "--reopen",
          text="case CR/5/08 is open, not closed: its next contact is due by "
          "10/11 10:00")  # fmt: skip
    # the case goes on from the kept contact; voiding it puts the case back as without it
    assert contact(teams, "15/10/2008 10:00", case="CR/5/08") == 4
    ok(teams("void", "3", "--reason", "that call was never made"))
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-20T10:00"),
        (2, "2008-09-20T10:00", "2008-10-15T10:00"),
        (4, "2008-10-15T10:00", None),
    ]


def test_reopen_keeps_the_contact_in_actions_summary_and_history(teams: Run, db: Path) -> None:
    """FRESH6 I8: after --reopen the call made is still a contact: listed by `actions`
    with its note and officer, judged as a gap of its own (no breach from the contact
    before it), and the audit log says what changed."""
    contact(teams, "1/9/2008 10:00", "--officer", "PC Smith")
    contact(teams, "1/10/2008 10:00", "--officer", "PC Jones", "--note", "no more calls",
            "--final")  # fmt: skip
    ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--reopen"))
    listed = ok(teams("actions", "--team", "CW01", "--pledge", "CW01-N9", "--format", "csv",
                      "--columns", "id,when,received,status,officer,description"))  # fmt: skip
    assert listed.stdout.splitlines()[1:] == [
        "2,,2008-10-01T10:00:00+01:00,open,PC Jones,"
        '"Victim update, case CR/1/08: no more calls"',
        '1,2008-10-01T10:00:00+01:00,2008-09-01T10:00:00+01:00,done,PC Smith,'
        '"Victim update, case CR/1/08"',
    ]
    # the kept contact's month has not run out: nothing breached, one pending
    shown = ok(teams("summary", "--team", "CW01", "--period", "2008-09..2008-10",
                     "--format", "csv", "--columns", "ref,status,detail"))  # fmt: skip
    assert "CW01-N9,green,\"median 30d, worst 30d, 1 pending\"" in shown.stdout
    history = ok(teams("history", "1", "--format", "csv")).stdout
    assert "reopen" in history and "no more calls" in history
    assert "insert" in ok(teams("history", "2", "--format", "csv")).stdout


def test_a_first_contact_that_was_the_last_is_voided_whole(teams: Run, db: Path) -> None:
    """One contact, not two: nothing to tell apart, so void does it."""
    contact(teams, "1/9/2008 10:00", "--final")
    voided = ok(teams("void", "1", "--reason", "wrong case"))
    assert voided.stderr.endswith("the case has no contact left\n")
    assert chain(db) == []


_KEEPS = "(it keeps the final contact as an ordinary one)"


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--reopen", "--when", "today"], f"--reopen takes no --when {_KEEPS}"),
        (["--reopen", "--final"], f"--reopen takes no --final {_KEEPS}"),
        ([], "--when is needed: when the victim was updated"),
    ],
)
def test_reopen_and_when_refusals(teams: Run, db: Path, args: list[str], text: str) -> None:
    fails(teams, db, "victim-update", "CW01", "--case", "CR/1/08", *args, text=text)


def test_reopen_of_a_case_never_recorded(teams: Run, db: Path) -> None:
    fails(teams, db, "victim-update", "CW01", "--case", "CR/404", "--reopen",
          text="team CW01 has no victim case CR/404 (see: pledgetrack actions --pledge "
          "CW01-N9)")  # fmt: skip


def test_a_contact_another_tool_wrote_wrong_is_still_voided(teams: Run, db: Path) -> None:
    """void is the way out db check names for a row whose time cannot be read; a victim's
    contact is no exception (its case is left as it is: the row's times say nothing of
    where it stood; the contact before it is then read as closed by a final contact, which
    --reopen undoes)."""
    contact(teams, "1/9/2008 10:00")
    contact(teams, "20/9/2008 10:00")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE actions SET received_at = 'garbage' WHERE id = 2")
    conn.close()
    assert ok(teams("void", "2", "--reason", "garbled")).stderr == "voided action 2\n"
    assert chain(db) == [(1, "2008-09-01T10:00", "2008-09-20T10:00")]


def test_an_action_another_tool_filed_in_a_case_is_voided_leaving_the_case(
    teams: Run, db: Path
) -> None:
    """ATTACK5 B3: a patrol (no received time) that another tool put in a victim's case
    made `void` of it an internal error, exit 70. It is voided; the case is as it was."""
    contact(teams, "1/9/2008 10:00")
    patrol = ok(teams("log", "CW01-N1", "patrol", "--when", "2/9/2008 19:00")).stdout.strip()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO victim_contacts (action_id, case_ref) VALUES (?, 'CR/1/08')",
            [int(patrol)],
        )
    conn.close()
    voided = ok(teams("void", patrol, "--reason", "not a contact"))
    assert voided.stderr == f"voided action {patrol}\n"
    assert chain(db) == [(1, "2008-09-01T10:00", None)]


# -- G15: a contact typed up late --


def test_a_contact_typed_up_late_splits_the_gap_it_fell_in(teams: Run, db: Path) -> None:
    """Exactly 31 days either side is in time (the rule's edge), so the false breach of
    the 62-day gap goes once the notebook's call is typed up."""
    contact(teams, "1/9/2008 10:00")
    contact(teams, "3/10/2008 10:00")
    assert ",0,1,0.0,red," in n9_summary(teams, "2008-09")  # 32 days
    late = ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--when", "2/9/2008 10:00",
                    "--note", "from PC's notebook"))  # fmt: skip
    assert late.stdout == "3\n"
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-02T10:00"),
        (3, "2008-09-02T10:00", "2008-10-03T10:00"),  # 31 days: in time
        (2, "2008-10-03T10:00", None),
    ]
    assert ",2,2,100.0,green," in n9_summary(teams, "2008-09")


def test_a_contact_a_minute_past_31_days_either_side_is_still_late(teams: Run) -> None:
    contact(teams, "1/9/2008 10:00")
    contact(teams, "3/10/2008 10:02")
    contact(teams, "2/9/2008 10:01")  # 1 day then 31 days and a minute
    assert ",1,2,50.0,red," in n9_summary(teams, "2008-09")


def test_a_contact_before_the_first_starts_the_case(teams: Run, db: Path) -> None:
    contact(teams, "20/9/2008 10:00")
    assert contact(teams, "5/9/2008 10:00") == 2
    assert chain(db) == [(2, "2008-09-05T10:00", "2008-09-20T10:00"), (1, "2008-09-20T10:00", None)]


def test_a_final_contact_before_a_later_one_is_refused(teams: Run, db: Path) -> None:
    contact(teams, "1/9/2008 10:00")
    contact(teams, "1/10/2008 10:00")
    fails(teams, db, "victim-update", "CW01", "--case", "CR/1/08", "--when", "20/9/2008 10:00",
          "--final", text="--final: case CR/1/08 has a later contact (01/10 10:00), so this one "
          "is not its last (record it without --final)")  # fmt: skip


def test_a_contact_typed_late_before_a_final_one_keeps_the_case_closed(
    teams: Run, db: Path
) -> None:
    contact(teams, "1/9/2008 10:00")
    contact(teams, "10/10/2008 10:00", "--final")
    contact(teams, "20/9/2008 10:00")
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-20T10:00"),
        (2, "2008-09-20T10:00", "2008-10-10T10:00"),
    ]
    assert n9_check(teams, "2008-12-01") == []


# -- G2, G3 --


def test_a_first_contact_before_n9_was_agreed_names_when(teams: Run, db: Path) -> None:
    fails(teams, db, "victim-update", "CW01", "--case", "C9", "--when", "28/8/2008 10:00",
          text="--when 28/08 is before CW01-N9 was agreed (01/09) and could never count "
          "(to record history, first: pledgetrack team national CW01 --since DATE)")  # fmt: skip


def test_two_victims_contacted_at_the_same_minute_are_not_logged_twice(teams: Run) -> None:
    contact(teams, "1/9/2008 10:00", case="C1")
    other = ok(teams("victim-update", "CW01", "--case", "C2", "--when", "1/9/2008 10:00"))
    assert other.stderr == ""
    again = ok(teams("victim-update", "CW01", "--case", "c1", "--when", "1/9/2008 10:00"))
    assert "same pledge, kind and time as action 1" in again.stderr


def test_each_officers_shift_is_not_logged_twice(teams: Run) -> None:
    """One shift per officer starting together is the commonest duty entry; the same
    officer's twice (or one with no officer named) is still noted."""
    shift = ("duty", "CW01", "--hours", "8", "--when", "1/10/2008 07:00")
    said = [
        ok(teams(*shift, "--officer", o)).stderr
        for o in ("PC Hughes", "PCSO Green", "pc hughes ")
    ]
    assert said[:2] == ["", ""]
    assert "as action 1;" in said[2]
    unnamed = ok(teams("duty", "CW01", "--hours", "8", "--when", "1/10/2008 07:00"))
    assert unnamed.stderr.startswith("note: same pledge, kind and time as action 1;")


def descriptions(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT description FROM actions ORDER BY id")]
    finally:
        conn.close()


def test_the_final_contacts_words_go_with_it(teams: Run, db: Path) -> None:
    """A final contact's --note and --officer are kept on the item it closes: undone by
    --reopen, they go back to the contact itself, kept as an ordinary one; a contact typed
    up late before a final one passes them to the new item, which the final contact now
    closes."""
    contact(teams, "1/9/2008 10:00", "--officer", "PC Smith")
    contact(teams, "1/10/2008 10:00", "--officer", "PC Jones", "--note", "no more calls",
            "--final")  # fmt: skip
    words = "Victim update, case CR/1/08; last contact (PC Jones): no more calls"
    assert descriptions(db) == [words]
    ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--reopen"))
    assert descriptions(db) == ["Victim update, case CR/1/08",
                                "Victim update, case CR/1/08: no more calls"]  # fmt: skip
    ok(teams("void", "2", "--reason", "typed as final, then kept: start again"))
    contact(teams, "1/10/2008 10:00", "--officer", "PC Jones", "--note", "no more calls",
            "--final")  # fmt: skip
    contact(teams, "20/9/2008 10:00", "--officer", "PC Smith", "--note", "notebook")
    assert descriptions(db)[::2] == [
        "Victim update, case CR/1/08",
        "Victim update, case CR/1/08: notebook; last contact (PC Jones): no more calls",
    ]
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-20T10:00"),
        (3, "2008-09-20T10:00", "2008-10-01T10:00"),
    ]


# -- the order contacts are typed in is no part of the case --

_DAYS = st.lists(st.integers(min_value=0, max_value=44), min_size=1, max_size=5, unique=True)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(days=_DAYS, order=st.randoms(use_true_random=False), voided=st.integers(0, 4))
def test_a_case_is_its_contacts_whatever_order_they_were_typed_in(
    tmp_path: Path, env: Environment, days: list[int], order: Random, voided: int
) -> None:
    """Typed in any order, or with one voided, a case reads as its live contacts typed
    in order: the same gaps, the same open item."""

    def case(typed: list[int], void: int | None = None) -> list[tuple[Any, ...]]:
        db = tmp_path / f"{uuid.uuid4().hex}.db"

        def run(*args: str) -> Result:
            return invoke(["--db", str(db), *args], env)

        _setup(run)
        ids = {day: contact(run, f"{1 + day % 30}/{9 + day // 30}/2008 10:00") for day in typed}
        if void is not None:
            ok(run("void", str(ids[void]), "--reason", "never made"))
        return [(received, done) for _, received, done in chain(db)]

    shuffled = order.sample(days, len(days))
    assert case(shuffled) == case(sorted(days))
    gone = shuffled[voided % len(shuffled)]
    assert case(shuffled, gone) == case(sorted(d for d in days if d != gone))


def test_reopen_refuses_a_respond_entry_another_tool_damaged(teams: Run, db: Path) -> None:
    """The words before the final contact are read from its `respond` entry: one another
    tool wrote badly is named (exit 3, was `corrupt (malformed JSON); restore it from a
    backup`), nothing changed (ATTACK4 A8, the audit log's one judge)."""
    contact(teams, "1/9/2008 10:00", case="CR/5/08")
    contact(teams, "20/9/2008 10:00", case="CR/5/08")
    ok(teams("victim-update", "CW01", "--case", "CR/5/08", "--when", "10/10/2008 10:00",
             "--final"))  # fmt: skip
    conn = sqlite3.connect(db)
    with conn:
        (entry,) = conn.execute(
            "SELECT MAX(id) FROM changes WHERE entity = 'action' AND op = 'respond'"
        ).fetchone()
        conn.execute("UPDATE changes SET old = '{bad' WHERE id = ?", (entry,))
    conn.close()
    fails(teams, db, "victim-update", "CW01", "--case", "CR/5/08", "--reopen",
          code=ExitCode.DATABASE,
          text=f"changes.old of row {entry} is not a record pledgetrack can read ('{{bad'); "
          'write the cell as a JSON object, like {"title": "Patrols"}, or NULL (no values); '
          "see: pledgetrack db check")  # fmt: skip


# -- FRESH5 H9: a contact after the final one; H23: log --open on N9 --


def test_a_contact_after_the_final_one_is_refused_naming_reopen(teams: Run, db: Path) -> None:
    """docs/cli.md: a --final contact is the case's last. A contact after it (or at its very
    moment) would start a 31-day clock the victim asked not to have, without a word; one a
    minute before goes between, as any contact typed up late."""
    contact(teams, "1/9/2008 10:00")
    ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--when", "20/9/2008 10:00",
             "--final", "--note", "no more calls"))  # fmt: skip
    closed = ("case CR/1/08 was closed by its final contact of 20/09 10:00 (no further update "
              "due): to contact the victim after it, first open it again with: pledgetrack "
              "victim-update CW01 --case CR/1/08 --reopen")  # fmt: skip
    for when in ("1/10/2008 10:00", "20/9/2008 10:01", "20/9/2008 10:00"):
        fails(teams, db, "victim-update", "CW01", "--case", "CR/1/08", "--when", when, text=closed)
    contact(teams, "20/9/2008 09:59")
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-20T09:59"),
        (2, "2008-09-20T09:59", "2008-09-20T10:00"),
    ]


def test_reopen_then_the_contact_after_the_final_one(teams: Run, db: Path) -> None:
    """The way the refusal names works: the final contact is kept as an ordinary one,
    waiting, and the next contact answers it (no second open item)."""
    contact(teams, "1/9/2008 10:00")
    contact(teams, "20/9/2008 10:00", "--final")
    ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--reopen"))
    assert contact(teams, "1/10/2008 10:00", "--note", "victim rang back") == 3
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-20T10:00"),
        (2, "2008-09-20T10:00", "2008-10-01T10:00"),
        (3, "2008-10-01T10:00", None),
    ]


def test_reopen_of_a_first_contact_that_was_the_last(teams: Run, db: Path) -> None:
    """One contact, first and final: --reopen keeps it, its item waiting from it."""
    contact(teams, "1/10/2008 10:00", "--final")
    reopened = ok(teams("victim-update", "CW01", "--case", "CR/1/08", "--reopen"))
    assert "its contact of 01/10 10:00 is kept as an ordinary contact (action 1)" in (
        reopened.stderr
    )
    assert chain(db) == [(1, "2008-10-01T10:00", None)]


def test_log_open_on_n9_is_refused_naming_victim_update(teams: Run, db: Path) -> None:
    """A contact with no case: no later contact could answer it, so it would breach a
    month on whatever the team did (FRESH5 H23). An item received and answered is logged."""
    fails(teams, db, "log", "CW01-N9", "rang victim", "--received", "1/10/2008 10:00", "--open",
          text="--open: CW01-N9 is kept by each victim's case, and a contact logged here has "
          "none, so no later contact could answer it; record it with: pledgetrack "
          "victim-update CW01 --case REF --when '01/10/2008 10:00'")  # fmt: skip
    ok(teams("log", "CW01-N4", "email", "--received", "1/10/2008 10:00", "--open"))
    ok(teams("log", "CW01-N9", "rang victim", "--received", "1/10/2008 10:00",
             "--when", "2/10/2008 10:00"))  # fmt: skip


# -- FRESH5 H3: a case's contacts listed for people --


def _listed(run: Run, *more: str) -> list[list[str]]:
    result = ok(run("actions", "--pledge", "CW01-N9", "-f", "plain",
                    "--columns", "id,when,description,status", *more))  # fmt: skip
    return [line.split(maxsplit=3) for line in result.stdout.splitlines()[2:]]


def test_a_contact_is_listed_on_its_own_date_with_its_case_first(teams: Run) -> None:
    """Each row is dated by its contact (it was shown on the next contact's date, and the
    first contact of a case nowhere), its description from the case on; CSV as stored."""
    contact(teams, "1/9/2008 10:00", "--note", "first")
    contact(teams, "20/9/2008 10:00", "--note", "second")
    assert _listed(teams) == [
        ["2", "20/09", "10:00", "CR/1/08: second  open"],
        ["1", "01/09", "10:00", "CR/1/08: first   done"],
    ]
    csv = ok(teams("actions", "--pledge", "CW01-N9", "-f", "csv", "--columns", "id,when"))
    assert csv.stdout.splitlines()[1:] == ["2,", "1,2008-09-20T10:00:00+01:00"]


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5])
def test_a_limited_listing_shows_that_many_newest_by_the_date_shown(
    teams: Run, limit: int
) -> None:
    """--limit N shows N rows, the first N of the whole listing as people read it (by each
    contact's own date): the store orders a contact by the next contact, which answered
    it, so `--limit 4` showed 2 rows, the two contacts it read first being left out as
    older than what it showed (FRESH6 I2). JSON, in the store's order, gives N too."""
    for day, case in (("1/9", "A/1"), ("5/9", "B/2"), ("20/9", "A/1"), ("25/9", "B/2")):
        contact(teams, f"{day}/2008 10:00", case=case)
    ok(teams("log", "CW01-N9", "rang victim", "--received", "10/9/2008 10:00",
             "--when", "11/9/2008 10:00"))  # fmt: skip
    whole = [row[0] for row in _listed(teams)]
    assert whole == ["4", "3", "5", "2", "1"]  # 25/9, 20/9, 10/9 (received), 5/9, 1/9
    assert [row[0] for row in _listed(teams, "--limit", str(limit))] == whole[:limit]
    json_rows = ok(teams("actions", "--pledge", "CW01-N9", "-f", "json", "--limit", str(limit)))
    assert len(json.loads(json_rows.stdout)) == limit
