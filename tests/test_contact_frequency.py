"""N9 judged against the contact frequency agreed with each victim (FRESH4 G17): `victim-update
--every 7d` is in force from that contact until another is agreed; a case with no agreement
is judged against the team's N9 limit (31 days). In calendar days of the team's zone, as
N9's own limit is (rules.by_the_clock): the clock change included. Schema 16 keeps it on
victim_contacts."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from conftest import fixed_clock, on_database
from helpers import LONDON, Run, fails, ok, snapshot
from pledgetrack.environment import Environment
from pledgetrack.store.migrations import LATEST_VERSION, MIGRATIONS


@pytest.fixture
def env(env: Environment) -> Environment:
    """Now is after every contact of these examples (1 December 2008)."""
    return dataclasses.replace(env, clock=fixed_clock(datetime(2008, 12, 1, 12, tzinfo=LONDON)))


@pytest.fixture
def team(cli: Run) -> Run:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))
    return cli


def contact(run: Run, when: str, *more: str, case: str = "CR/1/08") -> int:
    return int(ok(run("victim-update", "CW01", "--case", case, "--when", when, *more)).stdout)


def n9(run: Run, period: str, as_of: str) -> dict[str, Any]:
    """N9's row of the summary: met of judged (actual of expected) and the detail."""
    asked = ("--team", "CW01", "--period", period, "--as-of", as_of, "-f", "json")
    result = ok(run("summary", *asked))
    pledges = json.loads(result.stdout)["teams"][0]["pledges"]
    row: dict[str, Any] = next(p for p in pledges if p["pledge"] == "CW01-N9")
    return row


def n9_findings(run: Run, as_of: str) -> list[dict[str, str]]:
    result = run("check", "--team", "CW01", "--as-of", as_of, "-f", "csv")
    return [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["ref"] == "CW01-N9"]


def agreed(db: Path) -> list[tuple[Any, ...]]:
    """(item, received to the minute, every_days) of each live contact, in case order."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT a.id, substr(a.received_at, 1, 16), v.every_days FROM victim_contacts v "
            "JOIN actions a ON a.id = v.action_id WHERE a.voided_at IS NULL "
            "ORDER BY v.case_ref, a.received_at"
        ).fetchall()
    finally:
        conn.close()


# -- the boundary: exactly the agreed interval is on time, a minute more is late --


@pytest.mark.parametrize(
    ("first", "second", "as_of", "met"),
    [
        ("01/10/2008 10:00", "08/10/2008 10:00", "2008-10-09 12:00", 1),
        ("01/10/2008 10:00", "08/10/2008 10:01", "2008-10-09 12:00", 0),
        # in calendar days of the team's zone, as N9's 31 (rules.by_the_clock): 7 days from
        # 20/10 10:00 BST is 27/10 10:00 GMT, the clocks having gone back on the 26th
        ("20/10/2008 10:00", "27/10/2008 09:00", "2008-10-28 12:00", 1),
        ("20/10/2008 10:00", "27/10/2008 10:00", "2008-10-28 12:00", 1),
        ("20/10/2008 10:00", "27/10/2008 10:01", "2008-10-28 12:00", 0),
    ],
)
def test_a_next_contact_exactly_at_the_agreed_interval_is_on_time_a_minute_later_late(
    team: Run, first: str, second: str, as_of: str, met: int
) -> None:
    """Counted in calendar days, as N9's own limit is: across the October clock change too."""
    contact(team, first, "--every", "7d")
    contact(team, second)
    row = n9(team, "2008-10", as_of)
    assert (row["actual"], row["expected"]) == (met, 1)  # the second contact's item: pending
    assert ("1 breached" in row["detail"]) is (met == 0)


def test_check_and_agenda_give_the_next_contact_due_by_the_agreement(team: Run) -> None:
    contact(team, "20/10/2008 10:00", "--every", "7d")
    assert n9_findings(team, "2008-10-27 10:00")[0]["kind"] == "due-soon"
    soon = n9_findings(team, "2008-10-27 10:00")[0]
    assert soon["due"] == "2008-10-27T10:00:00+00:00"  # 7 calendar days on
    assert soon["message"].endswith("breaches in 0m")
    late = n9_findings(team, "2008-10-27 10:01")[0]
    assert late["kind"] == "breached"
    assert late["message"].endswith("(limit 7d, as agreed)")
    agenda = ok(team("agenda", "--team", "CW01", "--as-of", "2008-10-22 12:00", "-f", "json"))
    items = [i for i in json.loads(agenda.stdout) if i["ref"] == "CW01-N9"]
    assert [i["due"] for i in items] == ["2008-10-27T10:00:00+00:00"]


def test_a_case_with_no_agreement_is_judged_against_the_teams_n9_limit(team: Run) -> None:
    contact(team, "01/09/2008 10:00", case="CR/2/08")  # none agreed: 31 days
    contact(team, "02/10/2008 10:00", case="CR/2/08")  # 31 days exactly: on time
    contact(team, "01/09/2008 10:00", "--every", "28d", case="CR/3/08")
    contact(team, "29/09/2008 10:01", case="CR/3/08")  # a minute past 28 days: late
    row = n9(team, "2008-09", "2008-10-03 12:00")
    assert (row["actual"], row["expected"]) == (1, 2)
    # the team's N9 limit judges the cases that agreed nothing, and only those
    ok(team("pledge", "edit", "CW01-N9", "--within", "30d", "--yes"))
    row = n9(team, "2008-09", "2008-10-03 12:00")
    assert (row["actual"], row["expected"]) == (0, 2)


# -- changing it --


def test_a_later_contact_keeps_the_agreement_and_a_later_every_replaces_it(
    team: Run, db: Path
) -> None:
    first = contact(team, "01/10/2008 10:00", "--every", "7d")
    second = contact(team, "08/10/2008 10:00")
    third = contact(team, "15/10/2008 10:00", "--every", "14d")
    fourth = contact(team, "29/10/2008 10:00")  # 14 calendar days, the clocks gone back
    assert [row[2] for row in agreed(db)] == [7, 7, 14, 14]
    row = n9(team, "2008-10", "2008-10-30 12:00")
    assert (row["actual"], row["expected"]) == (3, 3)  # 14 days from the third: on time
    listed = ok(team("actions", "--pledge", "CW01-N9", "-f", "plain")).stdout
    assert "CR/1/08 (every 14d)" in listed and "CR/1/08 (every 7d)" in listed
    history = ok(team("history", str(third), "-f", "json")).stdout
    assert {"case": "CR/1/08", "every": "14d"} in [c["new"] for c in json.loads(history)]
    assert (first, second, fourth) == (1, 2, 4)


def test_a_contact_typed_up_late_with_every_applies_from_it_on_and_a_void_takes_it_back(
    team: Run, db: Path
) -> None:
    contact(team, "01/10/2008 10:00")
    contact(team, "20/10/2008 10:00")
    contact(team, "25/10/2008 10:00")
    late = contact(team, "10/10/2008 10:00", "--every", "14d")
    assert [(row[1][:10], row[2]) for row in agreed(db)] == [
        ("2008-10-01", None), ("2008-10-10", 14), ("2008-10-20", 14), ("2008-10-25", 14)
    ]  # fmt: skip
    ok(team("void", str(late), "--reason", "wrong case"))
    assert [(row[1][:10], row[2]) for row in agreed(db)] == [
        ("2008-10-01", None), ("2008-10-20", None), ("2008-10-25", None)
    ]  # fmt: skip


# -- what is refused --


@pytest.mark.parametrize(
    ("every", "text"),
    [
        ("91d", "--every must be whole days from 1d to 90d (how often the victim agreed to "
         "hear from us), not '91d'"),
        ("36h", "--every must be whole days from 1d to 90d (how often the victim agreed to "
         "hear from us), not '36h'"),
        ("0d", "--every: duration '0d' is shorter than a minute"),
        ("weekly", "--every: cannot read 'weekly' as a duration (try 24h, 60m, 2d or 1h30m)"),
    ],
)  # fmt: skip
def test_an_every_outside_a_day_to_ninety_days_is_refused(
    team: Run, db: Path, every: str, text: str
) -> None:
    fails(team, db, "victim-update", "CW01", "--case", "CR/1/08", "--when", "01/10/2008 10:00",
          "--every", every, text=text)  # fmt: skip


@pytest.mark.parametrize("every", ["1d", "90d", "24h", "2w"])
def test_the_ends_of_the_range_are_taken(team: Run, db: Path, every: str) -> None:
    contact(team, "01/10/2008 10:00", "--every", every)
    assert agreed(db)[0][2] == {"1d": 1, "90d": 90, "24h": 1, "2w": 14}[every]


def test_every_on_a_final_contact_or_with_reopen_is_refused(team: Run, db: Path) -> None:
    contact(team, "01/10/2008 10:00")
    fails(team, db, "victim-update", "CW01", "--case", "CR/1/08", "--when", "08/10/2008 10:00",
          "--final", "--every", "7d",
          text="--every: a final contact starts no further wait, so no frequency applies "
          "after it (give --every on the contact that agrees it)")  # fmt: skip
    contact(team, "08/10/2008 10:00", "--final")
    fails(team, db, "victim-update", "CW01", "--case", "CR/1/08", "--reopen", "--every", "7d",
          text="--reopen takes no --every (it keeps the final contact as an ordinary "
          "one)")  # fmt: skip


# -- moving it: export actions and import actions --


def test_export_carries_the_agreement_and_import_reads_it_back(
    team: Run, db: Path, tmp_path: Path, env: Environment
) -> None:
    contact(team, "01/10/2008 10:00", "--every", "7d")
    contact(team, "08/10/2008 10:00")
    contact(team, "01/10/2008 11:00", case="CR/2/08")
    out = tmp_path / "actions.csv"
    ok(team("export", "actions", "-o", str(out)))
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0])[-1] == "every"
    assert [r["every"] for r in rows] == ["7d", "7d", ""]
    other = on_database(tmp_path / "other.db", env)
    ok(other("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))
    ok(other("import", "actions", str(out)))
    assert [row[2] for row in agreed(tmp_path / "other.db")] == [7, 7, None]
    again = ok(other("import", "actions", str(out)))
    assert "3 duplicates skipped" in again.stderr


def test_an_imported_contact_without_every_keeps_the_one_in_force_before_it(
    team: Run, db: Path, tmp_path: Path
) -> None:
    contact(team, "01/10/2008 10:00", "--every", "7d")
    path = tmp_path / "older.csv"
    path.write_text(
        "team,pledge,when,received,description,kind,case\n"
        "CW01,CW01-N9,,2008-10-08T10:00:00+01:00,\"Victim update, case CR/1/08\","
        "victim-update,CR/1/08\n"
    )
    ok(team("import", "actions", str(path)))
    assert [row[2] for row in agreed(db)] == [7, 7]


def test_an_imported_every_is_read_as_the_option_and_needs_a_case(
    team: Run, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "team,pledge,when,received,description,kind,case,every\n"
        "CW01,CW01-N9,,2008-10-08T10:00:00+01:00,x,victim-update,CR/1/08,91d\n"
        "CW01,CW01-N9,,2008-10-08T10:00:00+01:00,x,victim-update,,7d\n"
        "CW01,CW01-N4,2008-10-08T11:00:00+01:00,2008-10-08T10:00:00+01:00,x,message,,7d\n"
    )
    result = team("import", "actions", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:3] == [
        "line 2: every: must be whole days from 1d to 90d (how often the victim agreed "
        "to hear from us), not '91d'",
        "line 3: every: a contact frequency is agreed on a victim's contact: give its case too",
        "line 4: every: only an action of a team's N9 has a every, and CW01-N4 is not one",
    ]
    assert agreed(db) == []


# -- schema 16: a schema-15 database upgrades with every row kept --


def test_a_schema_15_database_upgrades_with_its_cases_kept_and_none_agreed(
    team: Run, db: Path, tmp_path: Path
) -> None:
    contact(team, "01/09/2008 10:00")
    contact(team, "20/09/2008 10:00")
    ok(team("message", "CW01", "--received", "01/10/2008 09:00", "--when", "01/10/2008 10:00"))
    # as the previous release left it: victim_contacts as MIGRATIONS[:15] make it
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("ALTER TABLE victim_contacts DROP COLUMN every_days")
        conn.execute("PRAGMA user_version = 15")
    conn.close()
    built = sqlite_utils.Database(tmp_path / "v15.db")
    for step in MIGRATIONS[:15]:
        step(built)

    def table_sql(conn: Any) -> str:
        sql = "SELECT sql FROM sqlite_master WHERE name = 'victim_contacts'"
        return str(conn.execute(sql).fetchone()[0])

    conn = sqlite3.connect(db)
    try:
        assert table_sql(conn) == table_sql(built.conn)
    finally:
        conn.close()
    before = snapshot(db)
    upgraded = ok(team("db", "upgrade"))
    assert upgraded.stderr == f"upgraded {db} from schema 15 to {LATEST_VERSION}\n"
    after = snapshot(db)
    assert after["user_version"] != before["user_version"]
    for name in before:
        if name in ("user_version", "victim_contacts"):
            continue
        assert after[name] == before[name], name
    assert after["victim_contacts"] == [(*row, None) for row in before["victim_contacts"]]
    assert ok(team("db", "check")).stdout == ""
    # judged as before (31 days), and an agreement can now be made
    row = n9(team, "2008-09", "2008-10-03 12:00")
    assert (row["actual"], row["expected"]) == (1, 1)
    contact(team, "01/10/2008 10:00", "--every", "7d")
    assert [r[2] for r in agreed(db)] == [None, None, 7]


def test_report_inspect_names_a_contact_late_by_its_agreement(team: Run) -> None:
    """`report inspect --breaches` judges each contact as summary does (inspection._limits)."""
    contact(team, "01/10/2008 10:00", "--every", "7d")
    contact(team, "08/10/2008 10:01")  # a minute late by the agreement, on time by 31 days
    contact(team, "01/10/2008 10:00", case="CR/2/08")
    contact(team, "08/10/2008 10:01", "--final", case="CR/2/08")
    result = ok(team("report", "inspect", "CW01", "--as-of", "2008-11-05 12:00", "--breaches",
                     "-f", "json"))  # fmt: skip
    assert [(b["id"], b["limit"], b["late_by"]) for b in json.loads(result.stdout)] == [
        (1, "7 days", "1 minute"), (2, "7 days", "21 days 1 hour")  # 2: still waiting
    ]  # CR/2/08's gap of the same length, judged against 31 days: none
