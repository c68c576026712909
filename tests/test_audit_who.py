"""The audit log says which account made each change, and cannot be told otherwise; the
officer's name the user gives is recorded beside it, labelled as given (issue 8 item 11)."""

from __future__ import annotations

import json
import os
import pwd
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Run, fails, ok
from pledgetrack.environment import Environment

ACCOUNT = pwd.getpwuid(os.getuid()).pw_name
FORGED = {"USER": "Chief Constable", "LOGNAME": "Chief Constable", "USERNAME": "Chief Constable"}


def audit(db: Path) -> list[tuple[str, str | None, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT who, officer, entity, op FROM changes ORDER BY id").fetchall()
    finally:
        conn.close()


def test_the_account_comes_from_the_user_id_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in FORGED.items():
        monkeypatch.setenv(name, value)
    assert Environment.from_os().user == ACCOUNT


def test_a_forged_user_variable_does_not_reach_the_audit_log(tmp_path: Path) -> None:
    db = tmp_path / "pt.db"
    run = subprocess.run(
        [sys.executable, "-m", "pledgetrack", "--db", str(db), "team", "add", "CW01",
         "--name", "Castle", "--no-national"],
        env={**os.environ, **FORGED, "PLEDGETRACK_OFFICER": "PC 4521 Jones"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert audit(db) == [(ACCOUNT, "PC 4521 Jones", "team", "insert")]


@pytest.fixture
def officer_cli(cli_with: Callable[..., Run], env: Environment) -> Run:
    """The CLI with PLEDGETRACK_OFFICER set, as in a shared account's profile."""
    return cli_with(vars={**env.vars, "PLEDGETRACK_OFFICER": "PCSO Begum"})


@pytest.fixture
def patrols(cli: Run) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
           "--agreed", "01/09/2008"))  # fmt: skip


def test_the_officer_given_is_recorded_beside_the_account(
    cli: Run, officer_cli: Run, db: Path, patrols: None, env: Environment
) -> None:
    ok(officer_cli("log", "CW01-L1", "Patrol", "--when", "2008-10-01 19:00"))
    ok(officer_cli("log", "CW01-L1", "Patrol", "--when", "2008-10-02 19:00",
                   "--officer", "PC Ahmed"))  # fmt: skip
    ok(cli("void", "1", "--reason", "typo"))
    assert audit(db)[-3:] == [
        (env.user, "PCSO Begum", "action", "insert"),  # PLEDGETRACK_OFFICER
        (env.user, "PC Ahmed", "action", "insert"),  # --officer wins over the variable
        (env.user, None, "action", "void"),  # neither given: nothing claimed
    ]
    # the variable is also the default "who did it" of the action itself
    rows = json.loads(ok(cli("actions", "-f", "json", "--include-void")).stdout)
    assert sorted((r["id"], r["officer"]) for r in rows) == [(1, "PCSO Begum"), (2, "PC Ahmed")]


def test_history_shows_both_and_says_which_is_which(
    officer_cli: Run, patrols: None, env: Environment
) -> None:
    ok(officer_cli("log", "CW01-L1", "Patrol", "--when", "2008-10-01 19:00"))
    plain = ok(officer_cli("history", "1", "-f", "plain")).stdout
    header = plain.splitlines()[0]
    assert "Account" in header and "Officer (as given)" in header
    assert env.user in plain and "PCSO Begum" in plain
    (row,) = json.loads(ok(officer_cli("history", "1", "-f", "json")).stdout)
    assert (row["who"], row["officer"]) == (env.user, "PCSO Begum")


def test_import_records_the_officer_given(
    officer_cli: Run, db: Path, patrols: None, tmp_path: Path, env: Environment
) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("team,pledge,when,description\nCW01,CW01-L1,2008-10-01T10:00:00+01:00,P\n")
    ok(officer_cli("import", "actions", str(csv)))
    assert audit(db)[-1] == (env.user, "PCSO Begum", "action", "import")


def test_an_officer_variable_that_is_not_utf8_is_refused(
    cli_with: Callable[..., Run], env: Environment, db: Path, patrols: None
) -> None:
    bad = cli_with(vars={**env.vars, "PLEDGETRACK_OFFICER": "PC \udce9"})
    fails(bad, db, "log", "CW01-L1", "Patrol",
          text="PLEDGETRACK_OFFICER is not valid UTF-8 (byte 0xE9 at character 4)")  # fmt: skip


def test_a_blank_officer_variable_claims_nothing(
    cli_with: Callable[..., Run], env: Environment, db: Path, patrols: None
) -> None:
    ok(cli_with(vars={**env.vars, "PLEDGETRACK_OFFICER": "  "})("log", "CW01-L1", "Patrol"))
    assert audit(db)[-1][1] is None


def test_an_upgraded_database_keeps_its_audit_rows(
    cli: Run, db: Path, patrols: None, env: Environment
) -> None:
    # a database from before the officer column: drop it again, as version 5 had none
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE changes DROP COLUMN officer")
    conn.execute("ALTER TABLE actions DROP COLUMN delivers")  # nor version 7's column
    conn.execute("DROP INDEX idx_actions_open_items")  # nor version 8's index
    conn.execute("ALTER TABLE planned_meetings DROP COLUMN cancelled_at")  # nor version 9's
    conn.execute("DROP INDEX idx_actions_response_items")  # nor version 10's
    conn.execute("DROP INDEX idx_actions_unsound_times")  # nor version 11's
    conn.execute("DROP INDEX idx_actions_team_ext_ref_nocase")  # nor version 12's
    conn.execute("DROP TABLE settings")  # nor version 13's
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    before = conn.execute("SELECT id, who FROM changes").fetchall()
    conn.close()
    ok(cli("log", "CW01-L1", "Patrol"))
    rows = audit(db)
    assert [(r[0], r[1]) for r in rows[: len(before)]] == [(env.user, None)] * len(before)
    assert len(rows) == len(before) + 1


@pytest.fixture
def changed(officer_cli: Run, cli: Run, patrols: None) -> None:
    """An action logged by a named officer, then voided with no name given."""
    ok(officer_cli("log", "CW01-L1", "Patrol", "--when", "2008-10-01 19:00"))
    ok(cli("void", "1", "--reason", "typo"))


def table_at(cli: Run, width: int, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    return [line.rstrip() for line in ok(cli(*args, "-f", "table")).stdout.splitlines()]


def test_history_at_80_columns_says_when_who_what_and_to_what(
    cli: Run, changed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header reads in two lines, not `Officer` / `(as` / `given)`; the change number and
    the account give way to the change, read whole, field by field, by the names people
    know (`when`, not `occurred_at`), the flags not set left out, its times as the At
    column says them."""
    assert table_at(cli, 80, monkeypatch, "history", "--action", "1") == [
        "             Officer",
        "At           (as given)  Entity  Key  Op      Change",
        "─" * 80,
        "16/10 15:00              action  1    void    void reason: (none) -> 'typo';",
        "                                              voided at: (none) -> 16/10 15:00",
        "16/10 15:00  PCSO Begum  action  1    insert  logged 14d after its time;",
        "                                              description: 'Patrol'; when: 01/10",
        "                                              19:00; officer: 'PCSO Begum';",
        "                                              pledge: 'CW01-L1'",
        "2 columns hidden (#, account); --wide or --columns",
    ]
    # no officer given on any row: the empty column is not shown, and the room it left
    # shows the account and the change number
    nobody = table_at(cli, 80, monkeypatch, "history", "CW01")
    assert nobody[0] == "#  At           Account   Entity  Key   Op      Change"


def test_an_edit_shows_its_old_and_new_values_at_80_columns(
    cli: Run, patrols: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sergeant sees what an edit changed on an ordinary terminal (the old value was the
    first column hidden); a field no longer set reads `(none)`."""
    ok(cli("pledge", "edit", "CW01-L1", "--title", "Three patrols a week", "--at-least", "3",
           "--review", "01/12/2008", "--yes"))  # fmt: skip
    lines = table_at(cli, 80, monkeypatch, "history", "CW01-L1", "--limit", "1")
    assert lines[0] == "At           Account   Entity  Key      Op    Change"
    assert lines[2:] == [
        "16/10 15:00  sgt.test  pledge  CW01-L1  edit  review on: (none) -> 01/12; target",
        "                                              count: 1 -> 3; title: 'Patrols' ->",
        "                                              'Three patrols a week'",
        "1 column hidden (#); --wide or --columns",
    ]
    # the records themselves: with --wide or --columns, and whole in plain text
    wide = table_at(cli, 80, monkeypatch, "history", "CW01-L1", "--limit", "1", "--wide")
    assert {"Change", "Old", "New"} <= set(" ".join(wide[:2]).split())
    picked = table_at(cli, 80, monkeypatch, "history", "CW01-L1", "--columns", "op,old,new")
    assert picked[0].split() == ["Op", "Old", "New"]
    # plain text (a cron mail) says the change as the table does, in one line; the
    # records are JSON in CSV and JSON, for programs
    plain = ok(cli("history", "CW01-L1", "--limit", "1", "-f", "plain")).stdout.splitlines()
    assert plain[0].split()[-1] == "Change" and "Old" not in plain[0]
    assert plain[2].endswith(
        "edit  review on: (none) -> 01/12; target count: 1 -> 3; title: 'Patrols' -> 'Three "
        "patrols a week'"
    )
    assert "{" not in "".join(plain)
    csv = ok(cli("history", "CW01-L1", "--limit", "1", "-f", "csv")).stdout
    assert '""review_on"": ""2008-12-01""' in csv


def test_history_at_120_columns_shows_every_column(
    cli: Run, changed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = table_at(cli, 120, monkeypatch, "history", "--action", "1")
    assert lines[:2] == [
        "                          Officer",
        "#  At           Account   (as given)  Entity  Key  Op      Change",
    ]
    assert lines[3:] == [
        "4  16/10 15:00  sgt.test              action  1    void    void reason: (none) -> "
        "'typo'; voided at: (none) -> 16/10",
        "                                                           15:00",
        "3  16/10 15:00  sgt.test  PCSO Begum  action  1    insert  logged 14d after its time; "
        "description: 'Patrol'; when: 01/10",
        "                                                           19:00; officer: 'PCSO Begum'; "
        "pledge: 'CW01-L1'",
    ]  # nothing hidden


def test_history_prints_its_times_as_every_listing_does(cli: Run, changed: None) -> None:
    """Plain text as `actions` prints a time, for people; CSV keeps the stored form, to the
    second."""
    plain = ok(cli("history", "--action", "1", "-f", "plain")).stdout.splitlines()
    assert plain[2].split()[:3] == ["4", "16/10", "15:00"]
    when = ok(cli("actions", "-f", "plain", "--include-void")).stdout.splitlines()[2]
    assert " 01/10 19:00 " in when
    csv = ok(cli("history", "--action", "1", "-f", "csv")).stdout.splitlines()
    assert csv[1].startswith("4,2008-10-16T15:00:00+01:00,")


def test_a_change_shows_control_characters_and_line_breaks_escaped(
    cli: Run, patrols: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("pledge", "edit", "CW01-L1", "--title", "Two\npatrols\x1b[31m"))
    lines = table_at(cli, 120, monkeypatch, "history", "CW01-L1", "--limit", "1")
    assert lines[2].endswith("edit  title: 'Patrols' -> 'Two\\npatrols\\x1b[31m'")
    assert len(lines) == 3
