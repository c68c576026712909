"""The national commitments on teams, the `national` catalogue, and how reports show them."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from typer.testing import CliRunner

from conftest import fixed_clock
from helpers import LONDON, Prepared, Run, fails, nothing_written, ok
from pledgetrack.cli.app import app
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store.migrations import LATEST_VERSION, MIGRATIONS

# What `pledge list` says of each new team's commitments: ref -> (title, target, type)
URBAN = {
    "CW01-N1": ("Fair treatment", "not measured", "none"),
    "CW01-N2": ("Know your neighbourhood team", "not measured", "none"),
    "CW01-N3": (
        "Visible in the neighbourhood",
        "at least 80% of hours in the neighbourhood",
        "share",
    ),
    "CW01-N4": ("Messages answered within 24 hours", "within 24h", "response"),
    "CW01-N5": ("Emergencies attended quickly", "within 15m", "response"),
    "CW01-N6": ("Urgent calls attended within the hour", "within 1h", "response"),
    "CW01-N7": ("Monthly public meeting", "at least 1 per month (kind: meeting)", "frequency"),
    "CW01-N8": ("Monthly progress update", "at least 1 per month (kind: update)", "frequency"),
    "CW01-N9": ("Victims kept informed", "within 31d", "response"),
    "CW01-N10": ("Complaints dealt with fairly", "not measured", "none"),
}
UNKNOWN_N11 = "unknown national commitment 'N11' (they are N1 to N10; see: pledgetrack national)"
SUMMARY_CSV_HEADER = (
    "force,team,team_name,pledge,pledge_title,pledge_type,target,period_start,period_end,"
    "actual,expected,compliance_pct,status,last_action,detail,figures"
)


@pytest.fixture
def env(env: Environment) -> Environment:
    """A month of events is logged after it happened: "now" is the start of December."""
    return dataclasses.replace(env, clock=fixed_clock(datetime(2008, 12, 1, 9, tzinfo=LONDON)))


def pledges(cli: Run, team: str) -> dict[str, dict[str, Any]]:
    out = ok(cli("pledge", "list", "--team", team, "--status", "all", "--format", "json")).stdout
    return {p["ref"]: p for p in json.loads(out)}


def stored_pledges(db: Path) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {r["ref"]: dict(r) for r in conn.execute("SELECT * FROM pledges")}
    finally:
        conn.close()


def add_team(cli: Run, code: str, *extra: str) -> str:
    return ok(cli("team", "add", code, "--name", f"Team {code}", *extra)).stderr


# --- team add, team national, team edit --------------------------------------------------


def test_new_team_carries_the_ten_commitments_with_their_figures(cli: Run, db: Path) -> None:
    stderr = add_team(cli, "CW01")
    assert stderr.splitlines()[1:] == [
        "added team CW01 (Team CW01)",
        "national commitments N1-N10 apply to CW01 from 01/12/2008",
    ]
    found = pledges(cli, "CW01")
    assert {ref: (p["title"], p["target"]) for ref, p in found.items()} == {
        ref: (title, target) for ref, (title, target, _) in URBAN.items()
    }
    assert {p["agreed_on"] for p in found.values()} == {"2008-12-01"}  # today, by default
    assert {p["status"] for p in found.values()} == {"active"}
    stored = stored_pledges(db)
    assert {ref: row["target_type"] for ref, row in stored.items()} == {
        ref: kind for ref, (_, _, kind) in URBAN.items()
    }
    assert {(row["kind"], int(ref.split("-N")[1])) for ref, row in stored.items()} == {
        ("national", row["seq"]) for row in stored.values()
    }
    assert stored["CW01-N4"]["description"].startswith("Respond to every message")


def test_urban_and_rural_teams_get_15_and_20_minute_emergency_targets(cli: Run) -> None:
    add_team(cli, "CW01")
    add_team(cli, "MH03", "--setting", "rural")
    assert pledges(cli, "CW01")["CW01-N5"]["target"] == "within 15m"
    rural = pledges(cli, "MH03")
    assert rural["MH03-N5"]["target"] == "within 20m"
    # nothing else depends on the setting
    others = {ref.replace("MH03", "CW01"): p["target"] for ref, p in rural.items()}
    assert {ref: t for ref, t in others.items() if ref != "CW01-N5"} == {
        ref: target for ref, (_, target, _) in URBAN.items() if ref != "CW01-N5"
    }


def test_changing_the_setting_moves_the_emergency_target(cli: Run) -> None:
    add_team(cli, "CW01")
    ok(cli("pledge", "edit", "CW01-N5", "--threshold", "90"))
    result = ok(cli("team", "edit", "CW01", "--setting", "rural"))
    assert (
        result.stderr == "updated team CW01\nCW01-N5 now within 20m for 90% of items (rural team)\n"
    )
    assert pledges(cli, "CW01")["CW01-N5"]["target"] == "within 20m for 90% of items"
    changes = json.loads(ok(cli("history", "CW01-N5", "--format", "json")).stdout)
    assert changes[0]["op"] == "edit"
    assert changes[0]["new"] == {"target_within_minutes": 20}
    # any other edit leaves N5 alone, and says nothing of it
    assert ok(cli("team", "edit", "CW01", "--sergeant", "Sgt Owen")).stderr == "updated team CW01\n"
    assert ok(cli("team", "edit", "CW01", "--setting", "rural")).stderr == "updated team CW01\n"


def test_setting_change_without_n5_says_only_updated(cli: Run) -> None:
    add_team(cli, "CW01", "--no-national")
    assert ok(cli("team", "edit", "CW01", "--setting", "rural")).stderr == "updated team CW01\n"


def test_no_national_adds_only_the_team(cli: Run) -> None:
    stderr = add_team(cli, "CW01", "--no-national")
    assert stderr.splitlines()[1:] == ["added team CW01 (Team CW01)"]
    assert pledges(cli, "CW01") == {}


def test_national_only_picks_commitments(cli: Run) -> None:
    stderr = add_team(cli, "CW01", "--national-only", "n7, N4")
    assert stderr.splitlines()[-1] == "national commitments N4, N7 apply to CW01 from 01/12/2008"
    assert set(pledges(cli, "CW01")) == {"CW01-N4", "CW01-N7"}


def test_since_sets_the_agreed_date_and_notes_an_early_one(cli: Run) -> None:
    stderr = add_team(cli, "CW01", "--since", "01/09/2008")
    assert stderr.splitlines()[1:] == [
        "added team CW01 (Team CW01)",
        "national commitments N1-N10 apply to CW01 from 01/09/2008",
        "note: 01/09/2008 is before the Policing Pledge took effect (31/12/2008); "
        "recorded as asked",
    ]
    assert {p["agreed_on"] for p in pledges(cli, "CW01").values()} == {"2008-09-01"}
    stderr = add_team(cli, "BL02", "--since", "2009-01-05")
    assert stderr.splitlines() == [
        "added team BL02 (Team BL02)",
        "national commitments N1-N10 apply to BL02 from 05/01/2009",
    ]


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--no-national", "--since", "today"], "--no-national cannot be combined with --since"),
        (["--no-national", "--national-only", "N4"],
         "--no-national cannot be combined with --national-only"),
        (["--national-only", "N4,N11"], "--national-only: unknown national commitment 'N11' "
         "(they are N1 to N10; see: pledgetrack national)"),
        (["--national-only", ","], "--national-only needs commitments such as N4,N7"),
        (["--since", "31/02/2008"], "--since: impossible date '31/02/2008': February 2008 has "
         "29 days"),
    ],
)  # fmt: skip
def test_team_add_refuses_bad_national_options(
    cli: Run, db: Path, team: str, args: list[str], text: str
) -> None:
    fails(cli, db, "team", "add", "BL02", "--name", "Belgrave", *args, text=text)


def test_failed_team_add_writes_no_national_pledge(cli: Run, db: Path, team: str) -> None:
    fails(cli, db, "team", "add", "CW01", "--name", "Again", "--since", "2008-09-01",
          text="team 'CW01' already exists")  # fmt: skip


def test_team_national_attaches_to_an_existing_team_once(cli: Run) -> None:
    add_team(cli, "CW01", "--no-national")
    result = ok(cli("team", "national", "cw01", "--only", "N4,N7", "--since", "2009-01-01"))
    assert result.stderr == "national commitments N4, N7 apply to CW01 from 01/01/2009\n"
    result = ok(cli("team", "national", "CW01"))
    assert result.stderr == (
        "national commitments N1, N2, N3, N5, N6, N8, N9, N10 apply to CW01 from 01/12/2008\n"
        "already attached, left as they were: N4, N7\n"
    )
    found = pledges(cli, "CW01")
    assert len(found) == 10
    assert found["CW01-N4"]["agreed_on"] == "2009-01-01"  # untouched by the second run
    assert ok(cli("team", "national", "CW01")).stderr == (
        "team CW01 already has N1-N10; none attached\n"
    )


def test_team_national_uses_the_team_setting(cli: Run) -> None:
    add_team(cli, "MH03", "--no-national", "--setting", "rural")
    ok(cli("team", "national", "MH03", "--only", "N5"))
    assert pledges(cli, "MH03")["MH03-N5"]["target"] == "within 20m"


def test_team_national_unknown_team(cli: Run, db: Path, team: str) -> None:
    fails(cli, db, "team", "national", "XX9",
          text="unknown team 'XX9' (see: pledgetrack team list)")  # fmt: skip


# --- the catalogue ---------------------------------------------------------------------


def test_national_lists_the_catalogue_plain(cli: Run) -> None:
    out = ok(cli("national", "--format", "plain")).stdout
    lines = out.splitlines()
    assert lines[0] == "The national Policing Pledge"
    assert lines[1].split() == ["No.", "Commitment", "Type", "Target", "Log", "with"]
    assert len(lines) == 3 + 10
    assert "within 15m (urban), within 20m (rural)" in out
    assert "message TEAM --received DT [--when DT|--open]" in out


def test_national_as_a_table_on_a_terminal(cli_with: Callable[..., Run]) -> None:
    out = ok(cli_with(stdout_isatty=True, no_color=True)("national")).stdout
    assert out.startswith("The national Policing Pledge")
    lines = out.splitlines()
    assert lines[1].split()[:2] == ["No.", "Commitment"] and "─" * 20 in lines[2]
    # one row per commitment (the command to log with may wrap onto the lines below)
    rows = [line.split()[0] for line in lines[3:] if not line.startswith(" ")]
    assert rows[:10] == [f"N{n}" for n in range(1, 11)]
    assert rows[10:] in ([], ["1"])  # and perhaps a footer: `1 column hidden (type)`


def test_national_json_and_csv_carry_every_field(cli: Run) -> None:
    rows = json.loads(ok(cli("national", "--format", "json")).stdout)
    assert [r["number"] for r in rows] == [f"N{n}" for n in range(1, 11)]
    assert set(rows[0]) == {
        "number", "title", "commitment", "target_type", "target", "log_with", "what_to_log",
        "how_judged",
    }  # fmt: skip
    table = list(csv.DictReader(io.StringIO(ok(cli("national", "--format", "csv")).stdout)))
    assert [dict(r) for r in table] == rows


def test_national_needs_no_database(cli: Run, db: Path) -> None:
    ok(cli("national", "show", "N1"))
    assert not db.exists()


def test_national_show_explains_one(cli: Run) -> None:
    record = json.loads(ok(cli("national", "show", "n4", "--format", "json")).stdout)
    assert record["number"] == "N4"
    assert record["target"] == "within 24h"
    assert record["what_to_log"].startswith("Every message")
    assert "24 real hours" in record["how_judged"]
    plain = ok(cli("national", "show", "6", "--format", "plain")).stdout
    assert plain.startswith("N6 Urgent calls attended within the hour\n")
    assert "Appointments are not measured" in plain


def test_national_show_unknown(cli: Run, db: Path, team: str) -> None:
    fails(cli, db, "national", "show", "N11",
          text=UNKNOWN_N11)  # fmt: skip


# --- a month of shortcut-logged events, judged -----------------------------------------


def _october(cli: Run) -> None:
    """CW01 (urban, national from 1 Sep) through October 2008, logged with the shortcuts."""
    add_team(cli, "CW01", "--since", "2008-09-01")
    ok(cli("pledge", "add", "CW01", "Weekly surgery", "--at-least", "1", "--per", "week",
           "--agreed", "2008-09-01"))  # fmt: skip
    for day in range(1, 29, 7):  # N3: 4 x 7.5h in the neighbourhood ...
        ok(cli("duty", "CW01", "--hours", "7.5", "--when", f"2008-10-{day:02d} 17:00"))
    ok(cli("duty", "CW01", "--hours", "10", "--abstracted", "--when", "2008-10-20"))  # 30 of 40h
    for day in range(1, 11):  # N4: ten messages, eight answered within 24 hours (6h), two in 27h
        answered = f"2008-10-{day + 1:02d} 12:00" if day in (3, 7) else f"2008-10-{day:02d} 15:00"
        ok(cli("message", "CW01", "--received", f"2008-10-{day:02d} 09:00", "--when", answered))
    ok(cli("attend", "CW01", "--emergency", "--received", "2008-10-04 22:00",
           "--when", "2008-10-04 22:12"))  # fmt: skip
    ok(cli("attend", "CW01", "--emergency", "--received", "2008-10-25 23:50",
           "--when", "2008-10-26 00:04"))  # fmt: skip
    ok(cli("attend", "CW01", "--vulnerable", "--received", "2008-10-05 10:00",
           "--when", "2008-10-05 10:45"))  # fmt: skip
    ok(cli("attend", "CW01", "--priority", "--received", "2008-10-06 10:00",
           "--when", "2008-10-06 11:15"))  # fmt: skip
    ok(cli("meeting", "CW01", "--when", "2008-10-08 19:00", "--attendance", "23",
           "--priorities", "speeding on Main Street; litter in Castle Park"))  # fmt: skip
    # N8: no update published in October
    for when in ("2008-10-01 10:00", "2008-10-20 10:00", "2008-10-30 10:00"):  # N9: case A
        ok(cli("victim-update", "CW01", "--case", "CR/1/08", "--when", when))
    ok(cli("victim-update", "CW01", "--case", "CR/2/08", "--when", "2008-10-03 10:00"))


@pytest.fixture
def october(cli: Run, prepared: Prepared) -> str:
    prepared("national-october", lambda: _october(cli))
    return "CW01"


def test_a_month_of_shortcuts_gives_the_expected_status_per_commitment(
    cli: Run, october: str
) -> None:
    doc = json.loads(
        ok(
            cli("summary", "--period", "2008-10", "--as-of", "2008-11-01", "--format", "json")
        ).stdout
    )
    rows = {r["pledge"]: r for r in doc["teams"][0]["pledges"]}
    got = {ref: (r["status"], r["compliance_pct"]) for ref, r in rows.items()}
    assert got == {
        "CW01-N1": ("not-measured", None),
        "CW01-N2": ("not-measured", None),
        "CW01-N3": ("amber", 75.0),  # 30h of 40h in the neighbourhood
        "CW01-N4": ("red", 80.0),  # 8 of 10 messages within 24 hours
        "CW01-N5": ("green", 100.0),  # 12 and 14 minutes (across the clock change)
        "CW01-N6": ("red", 50.0),  # 45 minutes met, 75 minutes breached
        "CW01-N7": ("green", 100.0),  # a meeting on 8 October
        "CW01-N8": ("red", 0.0),  # no update
        "CW01-N9": ("green", 100.0),  # both gaps between contacts within 31 days
        "CW01-N10": ("not-measured", None),
        "CW01-L1": ("red", 0.0),
    }
    assert rows["CW01-N3"]["detail"] == "30h of 40h in the neighbourhood"
    assert rows["CW01-N4"]["detail"] == "median 6h, worst 27h, 2 breached"
    assert rows["CW01-N5"]["detail"] == "median 13m, worst 14m"
    # case A: 1 -> 20 Oct (19 days) and 20 -> 30 Oct (10 days) met; A from 30 Oct and B from
    # 3 Oct (29 days on 1 Nov) are waiting, not yet due; 20 Oct 10:00 BST to 30 Oct 10:00
    # GMT is 10 days on the calendar (rules.by_the_clock), 10 days 1 hour of real time
    assert rows["CW01-N9"]["detail"] == "median 14d12h, worst 19d, 2 pending"
    assert rows["CW01-N7"]["detail"] == "1 of 1 month met"


def test_summary_groups_national_before_local(cli: Run, october: str) -> None:
    out = ok(cli("summary", "--period", "2008-10", "--as-of", "2008-11-01", "--format", "plain"))
    lines = out.stdout.splitlines()
    assert lines[0].startswith("CW01 Team CW01, October 2008: ")
    assert lines[1] == "National Policing Pledge"
    local = lines.index("Local pledges")
    assert [line.split()[0] for line in lines[4:local]] == [f"CW01-N{n}" for n in range(1, 11)]
    assert lines[local + 3].startswith("CW01-L1 ")


def test_summary_as_a_table_has_both_groups(cli_with: Callable[..., Run], october: str) -> None:
    run = cli_with(stdout_isatty=True, no_color=True)
    out = ok(run("summary", "--period", "2008-10", "--as-of", "2008-11-01")).stdout
    assert out.index("National Policing Pledge") < out.index("Local pledges")
    assert out.count("National Policing Pledge") == out.count("Local pledges") == 1


def test_summary_csv_keeps_the_frozen_columns(cli: Run, october: str) -> None:
    out = ok(cli("summary", "--period", "2008-10", "--as-of", "2008-11-01", "--format", "csv"))
    lines = out.stdout.splitlines()
    assert lines[0] == SUMMARY_CSV_HEADER
    assert len(lines) == 1 + 11


def test_team_without_national_prints_as_before(cli: Run) -> None:
    add_team(cli, "BL02", "--no-national")
    ok(cli("pledge", "add", "BL02", "Patrols", "--at-least", "1", "--per", "week"))
    lines = ok(cli("summary", "--format", "plain")).stdout.splitlines()
    assert lines[0].startswith("BL02 Team BL02, December 2008: ")
    assert lines[1].split()[:2] == ["Ref", "Title"]


def test_overview_shows_each_measured_commitment(cli: Run, october: str) -> None:
    add_team(cli, "BL02", "--national-only", "N4", "--since", "16/10/2008")
    rows = json.loads(
        ok(
            cli("overview", "--period", "2008-10", "--as-of", "2008-11-01", "--format", "json")
        ).stdout
    )
    national = {
        r["team"]: {k: v for k, v in r.items() if k[0] == "n" and k[1:].isdigit()} for r in rows
    }
    assert national == {
        "CW01": {"n3": "amber", "n4": "red", "n5": "green", "n6": "red", "n7": "green",
                 "n8": "red", "n9": "green"},
        # BL02's N4 was adopted on 16 Oct: no message judged; the rest are not attached
        "BL02": {"n3": None, "n4": "no-data", "n5": None, "n6": None, "n7": None, "n8": None,
                 "n9": None},
    }  # fmt: skip
    plain = ok(cli("overview", "--period", "2008-10", "--as-of", "2008-11-01", "--format", "plain"))
    header = plain.stdout.splitlines()[1].split()
    assert header[-7:] == ["N3", "N4", "N5", "N6", "N7", "N8", "N9"]


def test_overview_does_not_sort_by_national_columns(cli: Run, db: Path, october: str) -> None:
    message = fails(cli, db, "overview", "--sort", "n4")
    assert message.startswith("--sort must be one of")


def test_check_does_not_call_unmeasured_commitments_stale(cli: Run, october: str) -> None:
    result = cli("check", "--as-of", "2008-10-31 12:00", "-f", "json")
    refs = {finding["ref"] for finding in json.loads(result.stdout)}
    assert not refs & {"CW01-N1", "CW01-N2", "CW01-N10"}
    assert "CW01-N8" in refs  # measured and nothing logged: stale


# --- the schema ------------------------------------------------------------------------


def test_a_version_1_database_gains_the_national_tables(cli: Run, db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    old = sqlite_utils.Database(conn)
    MIGRATIONS[0](old)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/10/2008"))
    ok(cli("meeting", "CW01", "--when", "2008-10-08", "--priorities", "litter"))
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"meetings", "priorities", "victim_contacts"} <= tables
    finally:
        conn.close()


def test_exit_codes_are_the_shared_ones() -> None:
    assert ExitCode.USAGE == 2


def test_demo_teams_carry_the_national_commitments(
    tmp_path: Path, cli: Run, env: Environment
) -> None:
    demo_db = tmp_path / "demo.db"
    ok(CliRunner().invoke(app, ["demo", "--out", str(demo_db), "--format", "csv"], obj=env))
    args = ["overview", "--period", "2008-10", "--as-of", "2008-11-01", "--format", "json"]
    out = CliRunner().invoke(app, ["--db", str(demo_db), *args], obj=env, catch_exceptions=False)
    rows = {r["team"]: r for r in json.loads(ok(out).stdout)}
    assert set(rows) == {"CW01", "BL02", "MH03"}
    for row in rows.values():
        assert all(row[f"n{n}"] in ("green", "amber", "red", "no-data") for n in range(3, 10))
    # each team has a weak spot for HQ to see
    assert rows["MH03"]["n8"] == "red"  # no progress update in October


def test_team_national_since_moves_the_start_of_commitments_the_team_has(
    cli: Run, db: Path
) -> None:
    """FRESH4 G14: a team registered without --since could not log last week's work but by
    ten `pledge edit`s; `team national CODE --since DATE` said `already has N1-N10; none
    attached`, exit 0, and changed nothing."""
    add_team(cli, "CW01")  # from today, 01/12/2008
    refused = fails(cli, db, "duty", "CW01", "--hours", "8", "--when", "30/11/2008 07:00")
    assert refused.endswith(
        "(to record history, first: pledgetrack team national CW01 --since DATE)"
    )
    # November's reports never held them: moved into it, it is added, and nothing asked
    result = ok(cli("team", "national", "CW01", "--since", "01/11/2008"))
    assert result.stderr == (
        "national commitments N1-N10 of CW01 now apply from 01/11/2008 (were from 01/12/2008)\n"
    )
    assert {p["agreed_on"] for p in pledges(cli, "CW01").values()} == {"2008-11-01"}
    ok(cli("duty", "CW01", "--hours", "8", "--when", "30/11/2008 07:00"))
    # the same day again: nothing to do; a later day than an action logged: refused whole
    again = ok(cli("team", "national", "CW01", "--since", "01/11/2008")).stderr
    assert again == "team CW01 already has N1-N10; already from that day\n"
    said = ("--since 01/12/2008 would leave 1 logged action of CW01-N3 before it was agreed, "
            "no longer counted (the first: action 1 on 30/11/2008); give --since 30/11/2008 "
            "or earlier, or void them first (pledgetrack void ID --reason ...)")  # fmt: skip
    fails(cli, db, "team", "national", "CW01", "--since", "01/12/2008", text=said)
    assert {p["agreed_on"] for p in pledges(cli, "CW01").values()} == {"2008-11-01"}
    # --only moves those named; without --since nothing moves
    # N4 is judged on its messages alone, none of which can lie before its start: moved
    # later, no figure changes, and nothing is asked
    result = ok(cli("team", "national", "CW01", "--only", "N4", "--since", "30/11/2008"))
    assert result.stderr == (
        "national commitments N4 of CW01 now apply from 30/11/2008 (were from 01/11/2008)\n"
    )
    assert ok(cli("team", "national", "CW01")).stderr == (
        "team CW01 already has N1-N10; none attached\n"
    )
    assert pledges(cli, "CW01")["CW01-N4"]["agreed_on"] == "2008-11-30"
    assert pledges(cli, "CW01")["CW01-N3"]["agreed_on"] == "2008-11-01"


def test_team_national_since_within_the_month_in_progress_asks_nothing(
    cli: Run, db: Path
) -> None:
    """Today is 01/12/2008: a commitment moved to start later in December changes no ended
    month, so a team set up wrongly this month is corrected without a question."""
    add_team(cli, "CW01")
    result = ok(cli("team", "national", "CW01", "--since", "02/12/2008"))
    assert result.stderr == (
        "national commitments N1-N10 of CW01 now apply from 02/12/2008 (were from 01/12/2008)\n"
    )


def test_on_a_terminal_team_national_since_asks_before_judging_ended_months_again(
    cli: Run, cli_with: Callable[..., Run], db: Path
) -> None:
    """FRESH5 H12: moved later, November's N7 and N8 went from green to no-data, % green
    50 -> 33.3, without a question. Today is 01/12/2008."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/10/2008"))
    person = cli_with(stdin_isatty=True)
    with nothing_written(db):
        declined = person("team", "national", "CW01", "--since", "15/11/2008", input="n\n")
    assert declined.exit_code == ExitCode.USAGE
    assert declined.stderr.splitlines() == [
        "moving CW01's national commitments N1-N10 to apply from 15/11/2008 changes their "
        "figures for October to November 2008, months already ended",
        "Move them? [y/N]:error: CW01's commitments not moved",
    ]
    fails(
        cli,
        db,
        "team", "national", "CW01", "--since", "15/11/2008",
        text="moving CW01's national commitments N1-N10 to apply from 15/11/2008 changes "
        "their figures for October to November 2008, months already ended; pass --yes to "
        "change them, or keep them: leave them as they are",
    )  # fmt: skip
    ok(person("team", "national", "CW01", "--since", "15/11/2008", input="y\n"))
    assert {p["agreed_on"] for p in pledges(cli, "CW01").values()} == {"2008-11-15"}
