"""`pledgetrack team ...` through the real CLI against a real database file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from helpers import KEPT_IN_LONDON, Run, assert_error, fails, ok, snapshot
from pledgetrack.exitcodes import ExitCode


def teams_json(cli: Run, *extra: str) -> list[dict]:
    return json.loads(ok(cli("team", "list", "--format", "json", *extra)).stdout)


def test_add_creates_the_database_and_says_so(cli: Run, db: Path) -> None:
    result = ok(cli("team", "add", "CW01", "--name", "Castle Ward"))
    assert result.stderr.splitlines()[:2] == [
        f"created database {db}{KEPT_IN_LONDON}",
        "added team CW01 (Castle Ward)",
    ]
    assert result.stdout == ""
    assert db.is_file()
    # the second write to an existing database does not claim to create it
    result = ok(cli("team", "add", "BL02", "--name", "Belgrave"))
    assert result.stderr.splitlines()[0] == "added team BL02 (Belgrave)"
    assert "created database" not in result.stderr


def test_add_stores_every_field_and_upper_cases_the_code(cli: Run) -> None:
    ok(
        cli(
            "team",
            "add",
            "bl02",
            "--name",
            " Belgrave ",
            "--force",
            "Leicestershire Police",
            "--area",
            "Belgrave and Rushey Mead",
            "--sergeant",
            "Sgt Tom Hughes",
            "--contact",
            "belgrave.npt@example.police.uk",
            "--setting",
            "RURAL",
        )
    )
    assert teams_json(cli) == [
        {
            "code": "BL02",
            "name": " Belgrave ",  # text as typed (issue 8 item 7); only the code is normalised
            "force": "Leicestershire Police",
            "area": "Belgrave and Rushey Mead",
            "sergeant": "Sgt Tom Hughes",
            "contact": "belgrave.npt@example.police.uk",
            "setting": "rural",
            "active": True,
        }
    ]


def test_setting_defaults_to_urban(cli: Run, team: str) -> None:
    assert teams_json(cli)[0]["setting"] == "urban"


def test_list_is_sorted_by_code(cli: Run) -> None:
    for code in ("MH03", "BL02", "CW01"):
        ok(cli("team", "add", code, "--name", code.lower()))
    assert [t["code"] for t in teams_json(cli)] == ["BL02", "CW01", "MH03"]


@pytest.mark.parametrize("code", ["CW01", "cw01", " Cw01 "])
def test_duplicate_code_is_refused_whatever_the_case(
    cli: Run, db: Path, team: str, code: str
) -> None:
    fails(cli, db, "team", "add", code, "--name", "Other", text="team 'CW01' already exists")


@pytest.mark.parametrize("code", ["c w", "CW_01", "-CW01", "", "A" * 33, "CW01!", "ÇW01"])
def test_invalid_code_is_refused_naming_it(cli: Run, db: Path, team: str, code: str) -> None:
    fails(
        cli,
        db,
        "team",
        "add",
        "--name",
        "X",
        "--",
        code,
        text=f"code: team code {code!r} must be ASCII letters, digits and '-' (up to 32), "
        "e.g. CW01",
    )


def test_longest_code_is_accepted(cli: Run) -> None:
    ok(cli("team", "add", "A-" + "9" * 30, "--name", "Long"))
    assert teams_json(cli)[0]["code"] == "A-" + "9" * 30


def test_blank_name_is_refused(cli: Run, db: Path, team: str) -> None:
    fails(
        cli,
        db,
        "team",
        "add",
        "BL02",
        "--name",
        "   ",
        text="--name must not be empty",
    )


def test_missing_name_is_a_usage_error(cli: Run, db: Path, team: str) -> None:
    message = fails(cli, db, "team", "add", "BL02")
    assert "--name is required" in message


def test_unknown_setting_is_refused(cli: Run, db: Path, team: str) -> None:
    message = fails(cli, db, "team", "add", "BL02", "--name", "B", "--setting", "suburban")
    assert message.startswith("--setting must be urban or rural, not 'suburban'")


def test_show_gives_details_and_pledge_counts(cli: Run, team: str) -> None:
    def shown() -> dict:
        return json.loads(ok(cli("team", "show", "cw01", "--format", "json")).stdout)

    # a new team may already hold the national commitments: count from there
    active, closed = shown()["active_pledges"], shown()["closed_pledges"]
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week"))
    ok(cli("pledge", "add", "CW01", "Lights", "--by", "28/11/2008"))
    ok(cli("pledge", "close", "CW01-L2", "--status", "achieved", "--outcome", "Fixed"))
    record = shown()
    assert record == {
        "code": "CW01",
        "name": "Castle Ward",
        "force": "Leicestershire Police",
        "area": None,
        "sergeant": None,
        "contact": None,
        "setting": "urban",
        "active": True,
        "active_pledges": active + 1,
        "closed_pledges": closed + 1,
        # May..October: only this month has a pledge in force, and its one judged is green;
        # N3, no duty hours logged, is not (rules.unrecorded)
        "last_6_months": [None, None, None, None, None, 50.0],
    }


def test_show_counts_pledges_as_things_stood_at_as_of(cli: Run) -> None:
    """A pledge agreed after as-of was not held yet; one closed after it was still active."""
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
    ok(cli("pledge", "add", "BL02", "Surgery", "--agreed", "1/9/2008"))
    ok(cli("pledge", "add", "BL02", "Lights", "--by", "28/11/2008", "--agreed", "8/10/2008"))
    ok(cli("pledge", "close", "BL02-L1", "--status", "achieved", "--outcome", "Held",
           "--on", "12/10/2008"))  # fmt: skip

    def counts(as_of: str) -> tuple[int, int]:
        shown = ok(cli("team", "show", "BL02", "--as-of", as_of, "--format", "json")).stdout
        record = json.loads(shown)
        return record["active_pledges"], record["closed_pledges"]

    assert counts("31/08/2008 23:59") == (0, 0)  # before anything was agreed
    assert counts("1/9/2008") == (1, 0)
    assert counts("7/10/2008 23:59") == (1, 0)
    assert counts("8/10/2008") == (2, 0)
    assert counts("11/10/2008 23:59") == (2, 0)
    assert counts("12/10/2008") == (1, 1)  # closed on the 12th
    assert counts("16/10/2008") == (1, 1)


def test_show_plain_lists_fields(cli: Run, team: str) -> None:
    out = ok(cli("team", "show", "CW01", "--format", "plain")).stdout
    assert out.startswith("Team CW01\n")
    assert "Name " in out and "Castle Ward" in out


def test_show_unknown_team(cli: Run, db: Path, team: str) -> None:
    fails(cli, db, "team", "show", "NOPE", text="unknown team 'NOPE' (see: pledgetrack team list)")


def test_edit_changes_only_the_options_given(cli: Run, team: str) -> None:
    result = ok(cli("team", "edit", "cw01", "--sergeant", "Sgt Asha Patel", "--setting", "rural"))
    assert result.stderr.splitlines()[0] == "updated team CW01"
    (row,) = teams_json(cli)
    assert row["sergeant"] == "Sgt Asha Patel"
    assert row["setting"] == "rural"
    assert row["name"] == "Castle Ward"
    assert row["force"] == "Leicestershire Police"


def test_edit_name_is_kept_as_typed_like_add(cli: Run, team: str) -> None:
    ok(cli("team", "edit", "CW01", "--name", "  Castle  "))
    assert teams_json(cli)[0]["name"] == "  Castle  "


def test_edit_to_a_blank_detail_clears_it(cli: Run, team: str) -> None:
    ok(cli("team", "edit", "CW01", "--force", "  "))
    assert teams_json(cli)[0]["force"] is None


@pytest.mark.parametrize("name", ["", "   "])
def test_edit_to_a_blank_name_is_refused(cli: Run, db: Path, team: str, name: str) -> None:
    fails(
        cli,
        db,
        "team",
        "edit",
        "CW01",
        "--name",
        name,
        text="--name must not be empty",
    )


def test_edit_with_nothing_to_change(cli: Run, db: Path, team: str) -> None:
    fails(
        cli,
        db,
        "team",
        "edit",
        "CW01",
        text="nothing to change: give at least one option (see --help)",
    )


def test_edit_unknown_team(cli: Run, db: Path, team: str) -> None:
    fails(
        cli,
        db,
        "team",
        "edit",
        "NOPE",
        "--name",
        "X",
        text="unknown team 'NOPE' (see: pledgetrack team list)",
    )


def test_edit_to_the_same_value_writes_nothing(cli: Run, db: Path, team: str) -> None:
    before = snapshot(db)
    ok(cli("team", "edit", "CW01", "--name", "Castle Ward"))
    assert snapshot(db) == before


def test_archive_hides_the_team_and_restore_brings_it_back(cli: Run, team: str) -> None:
    ok(cli("team", "add", "BL02", "--name", "Belgrave"))
    archived = ok(cli("team", "archive", "CW01", "--yes")).stderr
    assert archived == (
        "archived team CW01; 10 active pledges withdrawn "
        "(team restore CW01 --reopen reopens them)\n"
    )
    assert [t["code"] for t in teams_json(cli)] == ["BL02"]
    everything = teams_json(cli, "--all")
    assert [(t["code"], t["active"]) for t in everything] == [("BL02", True), ("CW01", False)]
    # kept with its details
    assert everything[1]["name"] == "Castle Ward"
    assert ok(cli("team", "restore", "cw01")).stderr.startswith("restored team CW01\n")
    assert [t["code"] for t in teams_json(cli)] == ["BL02", "CW01"]


def test_archived_team_takes_no_new_actions(cli: Run, db: Path, team: str) -> None:
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week"))
    ok(cli("team", "archive", "CW01", "--yes"))
    fails(
        cli,
        db,
        "log",
        "CW01-L1",
        "Patrol",
        text="team CW01 is archived; nothing can be logged against it",
    )
    ok(cli("team", "restore", "CW01"))
    ok(cli("log", "CW01-L1", "Patrol"))


@pytest.mark.parametrize("command", ["archive", "restore"])
def test_archive_or_restore_unknown_team(cli: Run, db: Path, team: str, command: str) -> None:
    fails(cli, db, "team", command, "NOPE", text="unknown team 'NOPE' (see: pledgetrack team list)")


def test_list_formats(cli: Run, team: str) -> None:
    ok(cli("team", "add", "BL02", "--name", "Belgrave, Rushey Mead"))
    plain = ok(cli("team", "list", "--format", "plain")).stdout
    assert "\x1b" not in plain
    assert plain.splitlines()[0].split() == [
        "Code",
        "Name",
        "Force",
        "Area",
        "Sergeant",
        "Contact",
        "Setting",
        "Active",
    ]
    assert "Castle Ward" in plain
    rows = list(csv.DictReader(io.StringIO(ok(cli("team", "list", "--format", "csv")).stdout)))
    assert [r["code"] for r in rows] == ["BL02", "CW01"]
    assert rows[0]["name"] == "Belgrave, Rushey Mead"
    assert list(rows[0]) == [
        "code",
        "name",
        "force",
        "area",
        "sergeant",
        "contact",
        "setting",
        "active",
    ]
    assert [t["code"] for t in teams_json(cli)] == ["BL02", "CW01"]
    assert (
        ok(cli("team", "list", "-f", "JSON")).stdout
        == ok(cli("team", "list", "--format", "json")).stdout
    )


def test_empty_list_says_so_on_stderr(cli: Run, team: str) -> None:
    ok(cli("team", "archive", "CW01", "--yes"))
    result = ok(cli("team", "list"))
    assert result.stdout == ""
    assert result.stderr == "no teams yet (add one: pledgetrack team add)\n"
    # machine formats still give well-formed, empty output
    assert json.loads(ok(cli("team", "list", "--format", "json")).stdout) == []
    assert ok(cli("team", "list", "--format", "csv")).stdout.splitlines() == [
        "code,name,force,area,sergeant,contact,setting,active"
    ]


def test_unknown_format_is_a_usage_error(cli: Run, db: Path, team: str) -> None:
    message = fails(cli, db, "team", "list", "--format", "xml")
    assert message.startswith("--format must be table, plain, csv or json, not 'xml'")


def test_team_alone_shows_help_and_exits_2(cli: Run, team: str) -> None:
    result = cli("team")
    assert result.exit_code == ExitCode.USAGE
    assert "Register and maintain neighbourhood policing teams." in result.stderr
    assert "Traceback" not in result.stderr


def test_csv_cells_cannot_run_as_spreadsheet_formulas(cli: Run, team: str) -> None:
    ok(cli("team", "edit", "CW01", "--contact", '=HYPERLINK("http://x")', "--area", "-5"))
    rows = list(csv.DictReader(io.StringIO(ok(cli("team", "list", "--format", "csv")).stdout)))
    assert rows[0]["contact"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["area"] == "-5"  # a number stays a number


def test_listing_without_a_database_is_exit_3_and_creates_nothing(cli: Run, db: Path) -> None:
    result = cli("team", "list")
    assert_error(result, ExitCode.DATABASE)
    assert not db.exists()


def test_show_last_six_months_end_at_as_of(cli: Run, db: Path) -> None:
    """The six months are those up to --as-of's month, judged as things stood then, as
    summary's --as-of: the 2008 demo reads as it did; the default is the clock's month."""
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
    ok(cli("pledge", "add", "BL02", "Surgery", "--at-least", "1", "--per", "month",
           "--agreed", "1/9/2008"))  # fmt: skip
    ok(cli("log", "BL02-L1", "Street surgery", "--when", "10/9/2008 18:00"))

    def months(*as_of: str) -> list[float | None]:
        shown = ok(cli("team", "show", "BL02", *as_of, "--format", "json")).stdout
        return json.loads(shown)["last_6_months"]

    # a month is judged once it is over: November counts from 1 December 00:00
    assert months() == [None, None, None, None, 100.0, None]  # May..October (the clock's)
    assert months("--as-of", "30/11/2008 23:59") == [None, None, None, 100.0, 0.0, None]
    assert months("--as-of", "1/12/2008") == [None, None, 100.0, 0.0, 0.0, None]  # Jul..Dec
    fails(cli, db, "team", "show", "BL02", "--as-of", "31/02/2008")
