"""`export summary` and `export actions`: exact columns, one row per month, inert formulas,
atomic -o. Everything runs through the real CLI on SQLite files in tmp_path."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, assert_error, fails, ok
from pledgetrack.exitcodes import ExitCode
from pledgetrack.services import exporter
from pledgetrack.services.compliance import EXPORT_FIELDS

SUMMARY_HEADER = (
    "force,team,team_name,pledge,pledge_title,pledge_type,target,period_start,period_end,"
    "actual,expected,compliance_pct,status,last_action,figures,last_change"
)
ACTIONS_HEADER = (
    "id,team,pledge,when,received,description,kind,officer,partner,hours,abstracted,ref,"
    "voided_at,void_reason,created_at,highlight,delivers,case,attendance,priorities,every"
)
AS_OF = "2008-10-16 15:00"
# every command runs at the tests' now (helpers.NOW): when the log last changed
CHANGED = "2008-10-16T15:00:00+01:00"


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def two_teams(cli: Run) -> Run:
    """CW01 (patrols, weekly; reports within 48h) and BL02 (youth sessions), since July."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--force", "Leicestershire Police"))
    ok(cli("team", "add", "BL02", "--name", "Belgrave", "--force", "Leicestershire Police"))
    ok(
        cli(
            "pledge",
            "add",
            "CW01",
            "Two patrols a week",
            "--at-least",
            "2",
            "--per",
            "week",
            "--agreed",
            "2008-07-01",
        )
    )
    ok(
        cli(
            "pledge",
            "add",
            "CW01",
            "Reports answered in 48h",
            "--within",
            "48h",
            "--agreed",
            "2008-07-01",
        )
    )
    ok(
        cli(
            "pledge",
            "add",
            "BL02",
            "Youth session every week",
            "--at-least",
            "1",
            "--per",
            "week",
            "--agreed",
            "2008-07-01",
        )
    )
    for day in ("2008-07-02", "2008-07-03", "2008-08-05", "2008-09-09", "2008-09-10"):
        ok(cli("log", "CW01-L1", "Foot patrol", "--when", f"{day} 19:00", "--kind", "patrol"))
    ok(
        cli(
            "log",
            "CW01-L2",
            "Email answered",
            "--received",
            "2008-09-01 09:00",
            "--when",
            "2008-09-01 17:00",
        )
    )
    ok(cli("log", "BL02-L1", "Youth club", "--when", "2008-08-14 18:00", "--hours", "2.5"))
    return cli


def test_export_summary_header_is_exactly_the_documented_columns(two_teams: Run) -> None:
    out = ok(two_teams("export", "summary", "--period", "2008-09", "--as-of", AS_OF)).stdout
    assert out.split("\n", 1)[0] == SUMMARY_HEADER
    assert ",".join(exporter.SUMMARY_FIELDS) == SUMMARY_HEADER


def test_export_header_is_written_even_with_no_rows(cli: Run, team: str) -> None:
    out = ok(cli("export", "summary", "--period", "2008-09", "--as-of", AS_OF)).stdout
    assert out == SUMMARY_HEADER + "\n"


def test_summary_columns_match_the_summary_commands_flat_columns(two_teams: Run) -> None:
    """export summary is the stable subset of `summary -f csv` (which adds `detail`), and
    when the database last changed a figure (`last_change`, the same on every row)."""
    exported = rows_of(
        ok(two_teams("export", "summary", "--period", "2008-09", "--as-of", AS_OF)).stdout
    )
    shown = rows_of(
        ok(two_teams("summary", "--period", "2008-09", "--as-of", AS_OF, "-f", "csv")).stdout
    )
    assert [r.pop("last_change") for r in exported] == [CHANGED] * len(exported)
    assert exported == [{k: r[k] for k in EXPORT_FIELDS} for r in shown]


def test_month_range_gives_one_row_per_team_pledge_and_month(two_teams: Run) -> None:
    out = ok(two_teams("export", "summary", "--period", "2008-07..2008-09", "--as-of", AS_OF))
    rows = rows_of(out.stdout)
    months = [
        ("2008-07-01", "2008-07-31"),
        ("2008-08-01", "2008-08-31"),
        ("2008-09-01", "2008-09-30"),
    ]
    assert sorted({(r["period_start"], r["period_end"]) for r in rows}) == months
    keys = [(r["team"], r["pledge"], r["period_start"]) for r in rows]
    assert len(keys) == len(set(keys))
    for start, _ in months:
        monthly = rows_of(
            ok(two_teams("summary", "--period", start[:7], "--as-of", AS_OF, "-f", "csv")).stdout
        )
        got = [r for r in rows if r["period_start"] == start]
        assert [(r["team"], r["pledge"]) for r in got] == [
            (r["team"], r["pledge"]) for r in monthly
        ]
        assert {"CW01-L1", "CW01-L2", "BL02-L1"} <= {r["pledge"] for r in got}
    # repeated --period gives the same rows as the range, in period order
    repeated = ok(
        two_teams(
            "export",
            "summary",
            "--period",
            "2008-09",
            "--period",
            "2008-07",
            "--period",
            "2008-08",
            "--as-of",
            AS_OF,
        )
    )
    assert repeated.stdout == out.stdout


def test_values_are_iso_dates_and_one_decimal_percentages(two_teams: Run) -> None:
    rows = rows_of(
        ok(
            two_teams(
                "export", "summary", "--period", "2008-09", "--as-of", AS_OF, "--team", "CW01"
            )
        ).stdout
    )
    by_ref = {r["pledge"]: r for r in rows}
    patrols = by_ref["CW01-L1"]
    assert patrols["period_start"] == "2008-09-01" and patrols["period_end"] == "2008-09-30"
    assert patrols["last_action"] == "2008-09-10"
    assert patrols["compliance_pct"] == "25.0"  # 1 of the 4 weeks ending in September met
    assert (patrols["actual"], patrols["expected"], patrols["status"]) == ("2", "8", "red")
    assert by_ref["CW01-L2"]["compliance_pct"] == "100.0"
    assert {r["team"] for r in rows} == {"CW01"}
    # nothing judged: empty, not 0
    none = rows_of(
        ok(
            two_teams(
                "export", "summary", "--period", "2008-07", "--as-of", AS_OF, "--team", "CW01"
            )
        ).stdout
    )
    assert {r["pledge"]: r["compliance_pct"] for r in none}["CW01-L2"] == ""


def test_formula_looking_text_is_exported_inert_and_numbers_stay_numbers(cli: Run) -> None:
    ok(cli("team", "add", "CW01", "--name", '=HYPERLINK("http://x")', "--force", "@Police"))
    ok(
        cli(
            "pledge",
            "add",
            "CW01",
            "+Patrols",
            "--at-least",
            "1",
            "--per",
            "week",
            "--agreed",
            "2008-09-01",
        )
    )
    ok(
        cli(
            "log",
            "--when",
            "2008-10-01 10:00",
            "--officer",
            "=1+1",
            "--partner",
            "\tTabbed",
            "--hours",
            "2.5",
            "--",
            "CW01-L1",
            "-2+3 cmd|' /C calc'!A0",
        )
    )
    actions = rows_of(ok(cli("export", "actions")).stdout)
    assert actions[0]["description"] == "'-2+3 cmd|' /C calc'!A0"
    assert actions[0]["officer"] == "'=1+1"
    assert actions[0]["partner"] == "'\tTabbed"
    assert actions[0]["hours"] == "2.5"
    summary = rows_of(ok(cli("export", "summary", "--period", "2008-09", "--as-of", AS_OF)).stdout)
    assert summary[0]["team_name"] == '\'=HYPERLINK("http://x")'
    assert summary[0]["force"] == "'@Police"
    assert summary[0]["pledge_title"] == "'+Patrols"
    # JSON is not a spreadsheet: text stays as typed
    data = json.loads(ok(cli("export", "actions", "-f", "json")).stdout)
    assert data[0]["officer"] == "=1+1"


def test_export_actions_every_column_in_stable_order(two_teams: Run) -> None:
    out = ok(two_teams("export", "actions")).stdout
    assert out.split("\n", 1)[0] == ACTIONS_HEADER
    rows = rows_of(out)
    assert [int(r["id"]) for r in rows] == list(range(1, 8))
    first = rows[0]
    assert first["team"] == "CW01" and first["pledge"] == "CW01-L1"
    assert first["when"] == "2008-07-02T19:00:00+01:00"
    assert first["kind"] == "patrol" and first["abstracted"] == "0"
    response = next(r for r in rows if r["pledge"] == "CW01-L2")
    assert response["received"] == "2008-09-01T09:00:00+01:00"
    assert out.endswith("\n") and "\r" not in out


def test_export_actions_filters_and_void(two_teams: Run) -> None:
    ok(two_teams("void", "1", "--reason", "Logged twice"))
    kept = rows_of(ok(two_teams("export", "actions")).stdout)
    assert "1" not in {r["id"] for r in kept}
    everything = rows_of(ok(two_teams("export", "actions", "--include-void")).stdout)
    voided = everything[0]
    assert voided["id"] == "1" and voided["void_reason"] == "Logged twice"
    assert voided["voided_at"].startswith("2008-10-16T15:00:00")
    bl02 = rows_of(ok(two_teams("export", "actions", "--team", "BL02")).stdout)
    assert [r["team"] for r in bl02] == ["BL02"]
    august = rows_of(
        ok(two_teams("export", "actions", "--from", "1/8/2008", "--to", "31/08/2008")).stdout
    )
    assert [r["when"][:10] for r in august] == ["2008-08-05", "2008-08-14"]


def test_json_and_jsonl_formats(two_teams: Run) -> None:
    data = json.loads(ok(two_teams("export", "actions", "--format", "json")).stdout)
    assert list(data[0]) == ACTIONS_HEADER.split(",")
    assert data[0]["id"] == 1 and data[6]["hours"] == 2.5
    lines = ok(
        two_teams("export", "summary", "--period", "2008-09", "--as-of", AS_OF, "-f", "jsonl")
    ).stdout.splitlines()
    first = json.loads(lines[0])
    assert list(first) == SUMMARY_HEADER.split(",")
    assert first["period_start"] == "2008-09-01"
    empty = ok(
        two_teams("export", "actions", "-f", "json", "--team", "BL02", "--from", "2009-01-01")
    )
    assert json.loads(empty.stdout) == []


def test_output_file_is_written_whole(two_teams: Run, tmp_path: Path) -> None:
    target = tmp_path / "out" / "summary.csv"
    target.parent.mkdir()
    result = ok(
        two_teams("export", "summary", "--period", "2008-09", "--as-of", AS_OF, "-o", str(target))
    )
    assert result.stdout == ""
    assert result.stderr == f"wrote 3 rows to {target}\n"
    again = ok(two_teams("export", "summary", "--period", "2008-09", "--as-of", AS_OF))
    assert target.read_text(encoding="utf-8") == again.stdout
    assert [p.name for p in target.parent.iterdir()] == ["summary.csv"]


def test_output_to_a_missing_folder_is_one_line(two_teams: Run, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "x.csv"
    result = two_teams("export", "actions", "-o", str(target))
    assert_error(result, ExitCode.USAGE, f"cannot write {target}: No such file or directory")


@pytest.mark.parametrize(
    ("failure", "code"), [(KeyboardInterrupt, ExitCode.INTERRUPTED), (OSError, ExitCode.IO)]
)
def test_interrupted_export_leaves_no_partial_file(
    two_teams: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: type[BaseException],
    code: ExitCode,
) -> None:
    out_dir = tmp_path / "hq"
    out_dir.mkdir()
    target = out_dir / "actions.csv"
    target.write_text("last month's complete file\n", encoding="utf-8")
    real = exporter.action_records

    def breaks_midway(*args: Any, **kwargs: Any) -> Iterator[tuple[Any, ...]]:
        rows = real(*args, **kwargs)
        yield next(rows)
        yield next(rows)
        raise failure("disk full" if failure is OSError else "")

    monkeypatch.setattr(exporter, "action_records", breaks_midway)
    result = two_teams("export", "actions", "-o", str(target))
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr
    # the earlier file is untouched and no temporary file is left beside it
    assert target.read_text(encoding="utf-8") == "last month's complete file\n"
    assert [p.name for p in out_dir.iterdir()] == ["actions.csv"]


def test_bad_period_and_unknown_team_fail_before_any_output(two_teams: Run) -> None:
    assert_error(
        two_teams("export", "summary", "--period", "2008-13"),
        ExitCode.USAGE,
        "--period: impossible period '2008-13': month must be in 1..12, not 13",
    )
    assert_error(
        two_teams("export", "actions", "--team", "ZZ99"),
        ExitCode.USAGE,
        "unknown team 'ZZ99' (see: pledgetrack team list)",
    )
    assert_error(
        two_teams("export", "actions", "--from", "2008-10-02", "--to", "2008-10-01"),
        ExitCode.USAGE,
        "--to 01/10 is before --from 02/10",
    )


@pytest.mark.parametrize("command", [("export", "summary"), ("export", "actions"), ("rollup",)])
def test_a_bad_output_path_is_a_usage_error_naming_it(
    two_teams: Run, db: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    args = (*command, str(db)) if command == ("rollup",) else command
    missing = tmp_path / "nonexist" / "x.csv"
    fails(
        two_teams,
        db,
        *args,
        "-o",
        str(missing),
        text=f"cannot write {missing}: No such file or directory",
    )
    under_a_file = db / "x.csv"
    fails(
        two_teams,
        db,
        *args,
        "-o",
        str(under_a_file),
        text=f"cannot write {under_a_file}: Not a directory",
    )
    fails(
        two_teams, db, *args, "-o", str(tmp_path), text=f"cannot write {tmp_path}: Is a directory"
    )


def test_the_same_period_twice_is_exported_once(two_teams: Run) -> None:
    """Was every row twice (79 lines for one month's 39 rows and its header)."""
    once = ok(two_teams("export", "summary", "-p", "2008-10")).stdout
    for again in (["-p", "2008-10"], ["-p", "2008-10-01..2008-10-31"], ["-p", "Oct 2008"]):
        assert ok(two_teams("export", "summary", "-p", "2008-10", *again)).stdout == once
    both = ok(two_teams("export", "summary", "-p", "2008-09..2008-10", "-p", "2008-10")).stdout
    assert both == ok(two_teams("export", "summary", "-p", "2008-09..2008-10")).stdout


def test_a_redacted_export_says_it_is_not_for_import(two_teams: Run) -> None:
    result = ok(two_teams("export", "actions", "--redact"))
    assert result.stderr.splitlines()[-1] == (
        "note: redacted (no description, officer, void_reason or priorities): for reading, "
        "not for "
        "import actions, which needs the description; move a team with an export without "
        "--redact"
    )
    assert "note:" not in ok(two_teams("export", "actions")).stderr
