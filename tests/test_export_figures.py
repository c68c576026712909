"""`export summary`'s `figures` column: final once the period had ended at --as-of and no
item of it was still pending, provisional otherwise; `rollup` carries it, lets final
figures take the place of provisional ones, and warns when a period mixes the two.

Everything runs through the real CLI on SQLite files in tmp_path; each edge here was
checked with a mutant (the edge moved, the test failed).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from conftest import fixed_clock, on_database
from helpers import LONDON, Run, assert_error, fails, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode


@pytest.fixture
def env(env: Environment) -> Environment:
    """Now is the start of December 2008: October and November are logged after the fact."""
    return dataclasses.replace(env, clock=fixed_clock(datetime(2008, 12, 1, 9, tzinfo=LONDON)))


@pytest.fixture
def cw01(cli: Run) -> Run:
    """CW01: patrols once a week (L1) and messages answered within 24 hours (L2), since
    September; a message came in at 22:00 on 31 October and was answered at 20:00 the
    next day."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
           "--agreed", "2008-09-01"))  # fmt: skip
    ok(cli("pledge", "add", "CW01", "Messages", "--within", "24h", "--agreed", "2008-09-01"))
    ok(cli("log", "CW01-L1", "Foot patrol", "--when", "2008-10-14 19:00"))
    ok(cli("log", "CW01-L2", "Email answered", "--received", "2008-10-31 22:00",
           "--when", "2008-11-01 20:00"))  # fmt: skip
    return cli


def figures(run: Run, *args: str) -> dict[tuple[str, str], str]:
    """(pledge, period_start) -> figures, from `export summary *args` as CSV."""
    out = ok(run("export", "summary", *args)).stdout
    rows = csv.DictReader(io.StringIO(out))
    return {(r["pledge"], r["period_start"]): r["figures"] for r in rows}


def october(run: Run, as_of: str) -> dict[str, str]:
    return {ref: f for (ref, _), f in figures(run, "--period", "2008-10", "--as-of", as_of).items()}


def test_the_column_is_the_last_and_says_final_or_provisional(cw01: Run) -> None:
    out = ok(cw01("export", "summary", "--period", "2008-10", "--as-of", "2008-12-01")).stdout
    header, first = out.splitlines()[:2]
    assert header.endswith(",status,last_action,figures,last_change")
    assert first.endswith(",final,2008-12-01T09:00:00+00:00")  # when the log last changed


def test_one_second_before_the_periods_end_is_provisional_and_its_end_final(cw01: Run) -> None:
    """The end is the first instant after the last day (midnight, the usual --as-of given
    as a date): as of 23:59:59 on the 31st the last week may still get its patrol."""
    assert october(cw01, "2008-10-31 23:59:59")["CW01-L1"] == "provisional"
    assert october(cw01, "2008-11-01 00:00:00")["CW01-L1"] == "final"
    assert october(cw01, "2008-11-01")["CW01-L1"] == "final"


def test_the_last_day_and_a_period_still_to_come_are_provisional(cw01: Run) -> None:
    assert october(cw01, "2008-10-31 12:00") == {"CW01-L1": "provisional", "CW01-L2": "provisional"}
    to_come = figures(cw01, "--period", "2008-12", "--as-of", "2008-11-15")
    assert set(to_come.values()) == {"provisional"}


def test_an_item_still_in_time_after_the_end_keeps_its_row_provisional(cw01: Run) -> None:
    """The message of 22:00 on the 31st is pending until answered (20:00 on the 1st) or
    until its 24 hours are up: only then is October's response figure settled."""
    assert october(cw01, "2008-11-01") == {"CW01-L1": "final", "CW01-L2": "provisional"}
    assert october(cw01, "2008-11-01 19:59:59")["CW01-L2"] == "provisional"
    assert october(cw01, "2008-11-01 20:00")["CW01-L2"] == "final"


def test_an_unanswered_item_settles_only_once_its_limit_has_passed(cli: Run) -> None:
    """At exactly 24 hours an item is still in time (compliance.md), so still pending."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Messages", "--within", "24h", "--agreed", "2008-09-01"))
    ok(cli("log", "CW01-L1", "Email", "--received", "2008-10-31 22:00"))
    assert october(cli, "2008-11-01 22:00:00") == {"CW01-L1": "provisional"}
    assert october(cli, "2008-11-01 22:00:01") == {"CW01-L1": "final"}


def test_the_end_is_midnight_in_the_teams_zone_across_the_clock_change(cw01: Run) -> None:
    """September ends at midnight BST, 23:00 UTC; the week of 20 to 26 October ends at
    midnight GMT, after the clocks went back that Sunday (an end taken from the start's
    offset, +01:00, would be 23:00 GMT on the 26th)."""
    september = ("--period", "2008-09", "--as-of")
    assert figures(cw01, *september, "2008-09-30T22:59:59+00:00")[("CW01-L1", "2008-09-01")] == (
        "provisional"
    )
    assert figures(cw01, *september, "2008-09-30T23:00:00+00:00")[("CW01-L1", "2008-09-01")] == (
        "final"
    )
    week = ("--period", "2008-W43", "--as-of")
    assert figures(cw01, *week, "2008-10-26 23:30")[("CW01-L1", "2008-10-20")] == "provisional"
    assert figures(cw01, *week, "2008-10-27 00:00")[("CW01-L1", "2008-10-20")] == "final"


def test_each_month_of_a_range_says_its_own(cw01: Run) -> None:
    got = figures(cw01, "--period", "2008-09..2008-11", "--as-of", "2008-11-01 12:00")
    assert got == {
        ("CW01-L1", "2008-09-01"): "final",
        ("CW01-L2", "2008-09-01"): "final",
        ("CW01-L1", "2008-10-01"): "final",
        ("CW01-L2", "2008-10-01"): "provisional",
        ("CW01-L1", "2008-11-01"): "provisional",
        ("CW01-L2", "2008-11-01"): "provisional",
    }


def test_json_export_and_summary_json_carry_it(cw01: Run) -> None:
    args = ("--period", "2008-10", "--as-of", "2008-11-01")
    rows = json.loads(ok(cw01("export", "summary", *args, "-f", "json")).stdout)
    assert [(r["pledge"], r["figures"]) for r in rows] == [
        ("CW01-L1", "final"),
        ("CW01-L2", "provisional"),
    ]
    assert list(rows[0])[-2:] == ["figures", "last_change"]
    shown = json.loads(ok(cw01("summary", *args, "-f", "json")).stdout)
    assert [p["figures"] for p in shown["teams"][0]["pledges"]] == ["final", "provisional"]


# -- rollup ------------------------------------------------------------------------------


def export(run: Run, path: Path, as_of: str, period: str = "2008-10") -> Path:
    ok(run("export", "summary", "--period", period, "--as-of", as_of, "-o", str(path)))
    return path


def rolled(result: object) -> dict[tuple[str, str], dict[str, str]]:
    rows = csv.DictReader(io.StringIO(ok(result).stdout))  # type: ignore[arg-type]
    return {(r["team"], r["pledge"]): r for r in rows}


@pytest.fixture
def bl02(tmp_path: Path, env: Environment) -> Run:
    """BL02 in a database of its own: a weekly youth session, every week of October."""
    run = on_database(tmp_path / "bl02.db", env)
    ok(run("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
    ok(run("pledge", "add", "BL02", "Youth session", "--at-least", "1", "--per", "week",
           "--agreed", "2008-09-01"))  # fmt: skip
    for day in ("2008-10-01", "2008-10-08", "2008-10-15", "2008-10-22", "2008-10-29"):
        ok(run("log", "BL02-L1", "Youth club", "--when", f"{day} 18:00"))
    return run


def test_rollup_carries_each_rows_figures_and_warns_of_a_mixed_period(
    cw01: Run, bl02: Run, tmp_path: Path
) -> None:
    files = [export(cw01, tmp_path / "cw01.csv", "2008-11-01"),
             export(bl02, tmp_path / "bl02.csv", "2008-11-01")]  # fmt: skip
    result = cw01("rollup", *map(str, files))
    rows = rolled(result)
    assert {key: r["figures"] for key, r in rows.items()} == {
        ("BL02", "BL02-L1"): "final",
        ("CW01", "CW01-L1"): "final",
        ("CW01", "CW01-L2"): "provisional",
    }
    assert result.stderr == (  # type: ignore[attr-defined]
        "warning: 2008-10-01..2008-10-31 mixes final and provisional figures: 1 of 3 rows "
        "are provisional (team CW01) and may still change; roll up again once they are final\n"
    )


def test_a_period_all_final_or_all_provisional_rolls_up_without_a_word(
    cw01: Run, bl02: Run, tmp_path: Path
) -> None:
    for as_of in ("2008-10-20", "2008-12-01"):
        files = [export(cw01, tmp_path / f"cw01-{as_of}.csv", as_of),
                 export(bl02, tmp_path / f"bl02-{as_of}.csv", as_of)]  # fmt: skip
        result = ok(cw01("rollup", *map(str, files)))
        assert result.stderr == ""
        assert len({r["figures"] for r in rolled(result).values()}) == 1


@pytest.mark.parametrize("final_first", [False, True])
def test_final_figures_take_the_place_of_provisional_ones_saying_so(
    cw01: Run, tmp_path: Path, final_first: bool
) -> None:
    """The month's file of the 1st and the final one of the 3rd of the month after next,
    given together (in either order): the final figures are the month's, not a conflict."""
    first = export(cw01, tmp_path / "summary-2008-10.csv", "2008-11-01 06:00")
    ok(cw01("log", "CW01-L2", "Call", "--received", "2008-10-31 23:00"))  # never answered
    final = export(cw01, tmp_path / "summary-2008-10-final.csv", "2008-12-01 06:00")
    files = [final, first] if final_first else [first, final]
    result = cw01("rollup", *map(str, files))
    rows = rolled(result)
    assert rows[("CW01", "CW01-L2")]["figures"] == "final"
    assert (rows[("CW01", "CW01-L2")]["actual"], rows[("CW01", "CW01-L2")]["expected"]) == (
        "1",
        "2",
    )
    assert result.stderr == (  # type: ignore[attr-defined]
        f"note: {final}'s final figures replace {first}'s provisional ones (1 row)\n"
    )


def later(cli_with: Callable[..., Run], moment: str) -> Run:
    """The CLI on the same database, its clock at `moment` (London)."""
    return cli_with(clock=fixed_clock(datetime.fromisoformat(moment).replace(tzinfo=LONDON)))


def test_last_change_is_the_newest_audit_entry_that_may_change_a_figure(
    cw01: Run, cli_with: Callable[..., Run], db: Path, tmp_path: Path
) -> None:
    """An announced meeting changes no figure, so the export stays byte-identical; a void
    does, and moves last_change (in the database's zone, GMT in December); a database
    given to rollup carries it too; a log with no entry says nothing."""
    ok(cw01("team", "national", "CW01", "--only", "N7", "--since", "2008-12-01"))
    before = export(cw01, tmp_path / "before.csv", "2008-12-01").read_bytes()
    ok(later(cli_with, "2008-12-02 10:00")("next-meeting", "CW01", "--when", "2008-12-10 19:00"))
    assert export(cw01, tmp_path / "same.csv", "2008-12-01").read_bytes() == before
    ok(later(cli_with, "2008-12-02 11:30")("void", "1", "--reason", "wrong pledge"))
    after = rolled(ok(cw01("rollup", str(export(cw01, tmp_path / "after.csv", "2008-12-01")))))
    assert {r["last_change"] for r in after.values()} == {"2008-12-02T11:30:00+00:00"}
    from_db = rolled(ok(cw01("rollup", str(db), "--period", "2008-10", "--as-of", "2008-12-01")))
    assert from_db == after
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM changes")
    conn.close()
    assert {r["last_change"] for r in rolled(ok(cw01("rollup", str(db), "--period", "2008-10",
                                                     "--as-of", "2008-12-01"))).values()} == {""}


def test_of_two_final_files_that_differ_the_newer_last_change_wins_saying_so(
    cw01: Run, cli_with: Callable[..., Run], tmp_path: Path
) -> None:
    """H18: the file of the 1st and the final one of the 3rd, a patrol written up late on the
    2nd in between: both final, and the later judgement (last_change 2 December) is kept, in
    either order, with one line naming the files."""
    first = export(cw01, tmp_path / "summary-2008-10.csv", "2008-12-01")
    ok(later(cli_with, "2008-12-02 10:15")(
        "log", "CW01-L1", "Foot patrol (written up late)", "--when", "2008-10-21 19:00"))
    third = later(cli_with, "2008-12-03 06:00")
    final = export(third, tmp_path / "summary-2008-10-final.csv", "2008-12-03")
    for order in ((first, final), (final, first)):
        result = ok(cw01("rollup", *map(str, order)))
        assert rolled(result) == rolled(ok(cw01("rollup", str(final))))
        row = rolled(result)[("CW01", "CW01-L1")]
        assert row["actual"] != rolled(ok(cw01("rollup", str(first))))[("CW01", "CW01-L1")][
            "actual"
        ]
        assert result.stderr == (
            f"note: {final}'s final figures replace {first}'s final ones (1 row): {final} was "
            "judged after a later change (last_change 2008-12-02T10:15:00+00:00, "
            f"{first}'s 2008-12-01T09:00:00+00:00)\n"
        )


def test_two_final_files_that_differ_with_the_same_last_change_are_refused_naming_both(
    cw01: Run, tmp_path: Path
) -> None:
    """F22: a 'final' month still moves when an action is logged into it afterwards; two
    files judged after the same last change (here: one clock for both) say neither is the
    newer, so HQ is not handed one at random."""
    before = export(cw01, tmp_path / "before.csv", "2008-12-01")
    ok(cw01("log", "CW01-L1", "Foot patrol (written up late)", "--when", "2008-10-21 19:00"))
    after = export(cw01, tmp_path / "after.csv", "2008-12-01")
    message = assert_error(cw01("rollup", str(before), str(after)), ExitCode.USAGE)
    assert message.startswith(
        f"conflicting figures for team CW01 pledge CW01-L1 2008-10-01..2008-10-31: {before} "
    )
    assert f" but {after} line " in message
    assert message.endswith(
        "; both are final, judged after the same last change (2008-12-01T09:00:00+00:00), so "
        "neither is the newer: they were judged with different --as-of, or from different "
        "databases: roll up the right one alone"
    )


def test_identical_final_rows_count_once_keeping_the_newer_last_change(
    cw01: Run, cli_with: Callable[..., Run], tmp_path: Path
) -> None:
    first = export(cw01, tmp_path / "first.csv", "2008-12-01")
    ok(later(cli_with, "2008-12-02 10:15")("log", "CW01-L1", "November patrol", "--when",
                                            "2008-11-05 19:00"))  # fmt: skip
    again = export(cw01, tmp_path / "again.csv", "2008-12-01")
    for order in ((first, again), (again, first)):
        result = ok(cw01("rollup", *map(str, order)))
        assert result.stderr == ""
        assert {r["last_change"] for r in rolled(result).values()} == {
            "2008-12-02T10:15:00+00:00"
        }


def test_a_final_row_stays_over_a_newer_provisional_one_with_a_warning(
    cw01: Run, cli_with: Callable[..., Run], tmp_path: Path
) -> None:
    """A final file, then a message of 31 October typed up late (still in time): the newer
    file's row is provisional. The final figures are kept (a provisional row may be judged
    as of a moment before the month ended), and HQ is told they miss a correction."""
    final = export(cw01, tmp_path / "final.csv", "2008-11-01 20:00")
    typed = later(cli_with, "2008-12-01 10:00")
    ok(typed("log", "CW01-L2", "Call", "--received", "2008-10-31 23:30"))
    newer = export(typed, tmp_path / "newer.csv", "2008-11-01 20:00")
    result = ok(cw01("rollup", str(final), str(newer)))
    assert rolled(result)[("CW01", "CW01-L2")]["figures"] == "final"
    assert result.stderr.splitlines() == [  # type: ignore[attr-defined]
        f"warning: {final}'s final figures are kept over {newer}'s provisional ones (1 row), "
        f"though {newer} was judged after a later change (last_change "
        f"2008-12-01T10:00:00+00:00, {final}'s 2008-12-01T09:00:00+00:00): a correction "
        f"logged since {final} was judged is not in them; ask for a final export again",
    ]


def test_two_final_files_one_without_last_change_are_refused_as_before(
    cw01: Run, cli_with: Callable[..., Run], tmp_path: Path
) -> None:
    """A file from before the column (figures last) says nothing of when: today's refusal,
    naming it."""
    new = export(cw01, tmp_path / "new.csv", "2008-12-01")
    old = tmp_path / "old.csv"
    lines = new.read_text(encoding="utf-8").splitlines()
    old.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    assert old.read_text(encoding="utf-8").splitlines()[0].endswith(",last_action,figures")
    ok(later(cli_with, "2008-12-02 10:15")(
        "log", "CW01-L1", "Foot patrol (written up late)", "--when", "2008-10-21 19:00"))
    newer = export(cw01, tmp_path / "newer.csv", "2008-12-01")
    message = assert_error(cw01("rollup", str(old), str(newer)), ExitCode.USAGE)
    assert message.endswith(
        "; both are final: an action back-dated into the period, or a void, was logged after "
        f"one of them was judged: roll up the newer one alone ({old} has no last_change, "
        "which says which is newer: export again)"
    )
    assert ok(cw01("rollup", str(old))).stderr == ""  # alone, it rolls up as it did


@pytest.mark.parametrize("value", ["2008-12-01", "yesterday", "2008-12-01T09:00:00"])
def test_a_last_change_cell_that_is_not_a_time_with_offset_is_refused(
    cli: Run, tmp_path: Path, value: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(OLD_HEADER.replace("\n", ",figures,last_change\n")
                   + OLD_ROW.replace("\n", f",final,{value}\n"))  # fmt: skip
    assert_error(
        cli("rollup", str(bad)),
        ExitCode.USAGE,
        f"{bad} line 2: last_change: not an ISO time with its offset (like "
        f"2008-11-02T10:15:00+00:00): {value!r}",
    )


def test_a_database_is_judged_final_or_not_at_rollups_as_of(cw01: Run, db: Path) -> None:
    early = rolled(cw01("rollup", str(db), "--period", "2008-10", "--as-of", "2008-10-31 23:59"))
    late = rolled(cw01("rollup", str(db), "--period", "2008-10", "--as-of", "2008-11-02"))
    assert {r["figures"] for r in early.values()} == {"provisional"}
    assert {r["figures"] for r in late.values()} == {"final"}


OLD_HEADER = (
    "force,team,team_name,pledge,pledge_title,pledge_type,target,period_start,period_end,"
    "actual,expected,compliance_pct,status,last_action\n"
)
OLD_ROW = "F,CW01,Castle,CW01-L1,Patrols,frequency,x,2008-10-01,2008-10-31,2,4,50.0,red,\n"


def test_an_export_from_before_the_column_rolls_up_with_it_empty_and_a_note(
    cli: Run, tmp_path: Path
) -> None:
    old = tmp_path / "old.csv"
    old.write_text(OLD_HEADER + OLD_ROW, encoding="utf-8")
    result = ok(cli("rollup", str(old)))
    assert result.stdout.splitlines()[1].endswith(",50.0,red,,,")
    assert result.stderr == (
        f"note: {old} has no figures column (exported before pledgetrack said whether figures "
        "are final): its rows are rolled up with figures empty, neither final nor provisional; "
        "export them again to know\n"
    )
    rows = json.loads(ok(cli("rollup", str(old), "-f", "json")).stdout)
    assert rows[0]["figures"] is None


def test_an_old_export_and_a_new_one_alike_keep_the_one_that_says(
    cw01: Run, tmp_path: Path
) -> None:
    new = export(cw01, tmp_path / "new.csv", "2008-12-01")
    old = tmp_path / "old.csv"
    lines = new.read_text(encoding="utf-8").splitlines()
    old.write_text(
        "\n".join(line.rsplit(",", 2)[0] for line in lines) + "\n", encoding="utf-8"
    )
    for order in ((old, new), (new, old)):
        rows = rolled(cw01("rollup", *map(str, order)))
        assert {r["figures"] for r in rows.values()} == {"final"}


@pytest.mark.parametrize("value", ["Final", "done", "1"])
def test_a_figures_cell_that_is_neither_is_refused_naming_its_line(
    cli: Run, tmp_path: Path, value: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(OLD_HEADER.replace("\n", ",figures\n") + OLD_ROW.replace("\n", f",{value}\n"))
    assert_error(
        cli("rollup", str(bad)),
        ExitCode.USAGE,
        f"{bad} line 2: figures: must be final or provisional (or empty: not said), "
        f"not {value!r}",
    )


def test_the_league_counts_each_teams_provisional_rows_and_its_title_names_them(
    cw01: Run, bl02: Run, tmp_path: Path
) -> None:
    files = [str(export(cw01, tmp_path / "cw01.csv", "2008-11-01")),
             str(export(bl02, tmp_path / "bl02.csv", "2008-11-01"))]  # fmt: skip
    lines = csv.DictReader(io.StringIO(ok(cw01("rollup", *files, "--league", "-f", "csv")).stdout))
    assert [(line["team"], line["provisional"]) for line in lines] == [("BL02", "0"), ("CW01", "1")]
    table = ok(cw01("rollup", *files, "--league")).stdout
    assert table.splitlines()[0] == "League October 2008 (provisional: CW01)"
    final = [str(export(cw01, tmp_path / "cw01.csv", "2008-12-01")), files[1]]
    assert ok(cw01("rollup", *final, "--league")).stdout.splitlines()[0] == "League October 2008"


# -- F22: what "as recorded" says of a report as of a moment before it was made ----------


def test_a_report_as_of_the_month_end_counts_what_was_logged_later_and_says_so(
    cw01: Run,
) -> None:
    """A patrol of 28 October written up on 1 December is in October's figures as of 1
    November: the footer said `as recorded up to the end of 31 October 2008`, as if the log
    of that night; it says the log read is the one of the day the report was made."""
    args = ("--period", "2008-10", "--as-of", "2008-11-01")
    before = ok(cw01("report", "update", "CW01", *args, "--refs")).stdout
    ok(cw01("log", "CW01-L1", "Foot patrol (written up late)", "--when", "2008-10-28 19:00"))
    after = ok(cw01("report", "update", "CW01", *args, "--refs")).stdout
    assert before != after  # the late entry counts
    footer = (
        "_Figures for what was done up to the end of 31 October 2008, as recorded by Monday 1 "
        "December 2008, 9am._"
    )
    assert after.splitlines()[-1] == footer
    hq = ok(cw01("report", "hq", *args, "-f", "md")).stdout
    assert hq.splitlines()[-1] == footer
    assert ok(cw01("report", "update", "CW01", "--period", "2008-11")).stdout.splitlines()[
        -1
    ] == "_Figures as recorded at Monday 1 December 2008, 9am._"


def test_the_hq_report_says_when_its_figures_are_provisional(cw01: Run) -> None:
    def said(as_of: str) -> list[str]:
        out = ok(cw01("report", "hq", "--period", "2008-10", "--as-of", as_of, "-f", "md"))
        return [line for line in out.stdout.splitlines() if line.startswith("Provisional")]

    assert said("2008-10-31 12:00") == [
        "Provisional: October 2008 had not ended when these figures were taken, so every "
        "figure may still change."
    ]
    assert said("2008-11-01") == [
        "Provisional: the figures of 1 of 2 pledges may still change (CW01 1): items received "
        "in October 2008 (messages, victims' next contacts) were still open and in time when "
        "they were taken. The report made again once every item is answered or late has the "
        "final figures."
    ]
    assert said("2008-11-01 20:00") == []


# -- a pledge only one source for a team and period has (FRESH4 G23) ----------------------


def streetlight(run: Run, agreed: str, title: str = "Streetlight fixed") -> None:
    """CW01-L3, agreed at a street briefing and typed up later."""
    ok(run("pledge", "add", "CW01", title, "--at-least", "1", "--per", "month",
           "--agreed", agreed))  # fmt: skip


def moved_out(run: Run, path: Path, as_of: str) -> Path:
    """CW01-L3 of October in the file exported at `as_of`, then its agreed date moved to
    November: the file has a row the database no longer has."""
    streetlight(run, "2008-10-06")
    export(run, path, as_of)
    ok(run("pledge", "edit", "CW01-L3", "--agreed", "2008-11-03", "--yes"))
    return path


def only_in(has: str, lacks: str, pledge: str = "CW01-L3") -> str:
    return (
        f"team CW01 2008-10-01..2008-10-31: pledge {pledge} is in {has} but not in {lacks}; "
        "the sources differ in the pledges the period held (a pledge added, or its agreed date "
        "moved, after one of them was judged): roll up the newer one alone"
    )


@pytest.mark.parametrize("db_first", [True, False])
def test_a_pledge_added_since_an_export_is_refused_naming_both_sources(
    cw01: Run, db: Path, tmp_path: Path, db_first: bool
) -> None:
    """G23: HQ's file of the 1st and the database, after a pledge agreed on 25 October was
    typed up: the union would move CW01's % green with neither source saying so."""
    sent = export(cw01, tmp_path / "sent.csv", "2008-12-01")
    assert ok(cw01("rollup", str(sent))).stderr == ""
    streetlight(cw01, "2008-10-25")
    inputs = [str(db), str(sent)] if db_first else [str(sent), str(db)]
    fails(cw01, db, "rollup", *inputs, "--period", "2008-10", "--as-of", "2008-12-01",
          "--league", text=only_in(str(db), str(sent)))  # fmt: skip


@pytest.mark.parametrize("as_of", ["2008-11-01", "2008-12-01"])
def test_a_file_with_a_provisional_row_still_settles_which_pledges_the_month_held(
    cw01: Run, db: Path, tmp_path: Path, as_of: str
) -> None:
    """FRESH5 H1: the file of the 1st has CW01-L2 provisional (the message of the 31st
    still in time), CW01-L1 final: October had ended, so L3's absence from it is as final
    as L1's figures. One provisional row let the database's L3 in with exit 0, the note
    calling the whole file provisional; an open victim case does it for any team."""
    sent = export(cw01, tmp_path / "sent.csv", "2008-11-01")
    assert october(cw01, "2008-11-01") == {"CW01-L1": "final", "CW01-L2": "provisional"}
    streetlight(cw01, "2008-10-25")
    fails(cw01, db, "rollup", str(sent), str(db), "--period", "2008-10", "--as-of", as_of,
          text=only_in(str(db), str(sent)))  # fmt: skip


def test_a_file_judged_before_the_months_end_leaves_its_pledges_to_the_final_figures(
    cw01: Run, db: Path, tmp_path: Path
) -> None:
    """The edge of the rule above: one second before October ended every row of the file
    is provisional, and the database's final figures keep L3, saying so."""
    sent = export(cw01, tmp_path / "sent.csv", "2008-10-31 23:59:59")
    streetlight(cw01, "2008-10-25")
    result = ok(cw01("rollup", str(sent), str(db), "--period", "2008-10", "--as-of",
                     "2008-12-01"))  # fmt: skip
    assert rolled(result)[("CW01", "CW01-L3")]["figures"] == "final"
    assert f"is only in {db}: kept" in result.stderr  # type: ignore[attr-defined]


def test_a_pledge_moved_out_of_the_month_since_is_refused_naming_the_csvs_line(
    cw01: Run, db: Path, tmp_path: Path
) -> None:
    """The other way: the file has a row the database no longer has for that month."""
    sent = moved_out(cw01, tmp_path / "sent.csv", "2008-12-01")
    fails(cw01, db, "rollup", str(db), str(sent), "--period", "2008-10", "--as-of",
          "2008-12-01", text=only_in(f"{sent} line 4", str(db)))  # fmt: skip


def test_two_databases_of_one_team_that_differ_in_pledges_are_refused_and_name_them_all(
    cw01: Run, db: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    streetlight(cw01, "2008-10-25")
    streetlight(cw01, "2008-10-26", "Alley gate locked")
    message = fails(cw01, db, "rollup", str(copy), str(db), "--period", "2008-10",
                    "--as-of", "2008-12-01")  # fmt: skip
    assert message.startswith(f"team CW01 2008-10-01..2008-10-31: pledge CW01-L3 is in {db} ")
    assert f"not in {copy} (and 1 more only one source has: CW01-L4); " in message


def test_other_teams_and_other_periods_still_add_up_without_a_word(
    cw01: Run, bl02: Run, db: Path, tmp_path: Path
) -> None:
    """A source covers only its own teams and periods: BL02's file says nothing of CW01,
    September's nothing of October."""
    september = export(cw01, tmp_path / "september.csv", "2008-12-01", period="2008-09")
    others = export(bl02, tmp_path / "bl02.csv", "2008-12-01")
    streetlight(cw01, "2008-10-25")
    result = ok(cw01("rollup", str(others), str(september), str(db), "--period",
                     "2008-09..2008-10", "--as-of", "2008-12-01"))  # fmt: skip
    assert result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["pledge"], r["period_start"]) for r in rows} == {
        ("CW01-L1", "2008-09-01"), ("CW01-L2", "2008-09-01"),
        ("CW01-L1", "2008-10-01"), ("CW01-L2", "2008-10-01"), ("CW01-L3", "2008-10-01"),
        ("BL02-L1", "2008-10-01"),
    }  # fmt: skip


def test_final_figures_keep_a_pledge_the_provisional_file_had_not_yet_saying_so(
    cw01: Run, db: Path, tmp_path: Path
) -> None:
    """Mid-month's file, then the month's final figures: a pledge agreed after the file was
    made is the later judgement's, as their different figures are; a note names it."""
    early = export(cw01, tmp_path / "mid-october.csv", "2008-10-16")
    streetlight(cw01, "2008-10-25")
    result = ok(cw01("rollup", str(early), str(db), "--period", "2008-10", "--as-of",
                     "2008-12-01"))  # fmt: skip
    assert rolled(result)[("CW01", "CW01-L3")]["figures"] == "final"
    assert (
        f"note: team CW01 pledge CW01-L3 2008-10-01..2008-10-31 is only in {db}: kept, since "
        f"{db}'s rows for the team and period include final ones (judged once the period had "
        f"ended), {early}'s are all provisional\n"
    ) in result.stderr  # type: ignore[attr-defined]


def test_a_pledge_the_final_figures_no_longer_have_is_left_out_saying_so(
    cw01: Run, db: Path, tmp_path: Path
) -> None:
    early = moved_out(cw01, tmp_path / "mid-october.csv", "2008-10-16")
    result = ok(cw01("rollup", str(early), str(db), "--period", "2008-10", "--as-of",
                     "2008-12-01"))  # fmt: skip
    assert ("CW01", "CW01-L3") not in rolled(result)
    assert (
        f"note: team CW01 pledge CW01-L3 2008-10-01..2008-10-31 is only in {early} line 4: "
        f"left out, since {early}'s rows for the team and period are all provisional, {db}'s "
        "include final ones (judged once the period had ended)\n"
    ) in result.stderr  # type: ignore[attr-defined]


def test_an_as_of_still_to_come_is_said_and_its_figures_are_provisional(
    cli: Run, team: str
) -> None:
    """FRESH4 G19: on 2 December, `--as-of 2027-01-01` judged December as over: a public
    update `as recorded up to the end of 31 December`, and HQ rows that read final for a
    month not yet lived, with nothing said. (This file's clock: 1 December 2008, 09:00.)"""
    result = ok(cli("export", "summary", "-p", "2008-12", "--as-of", "2009-01-01"))
    assert result.stderr.splitlines()[0] == (
        "note: --as-of 01/01/2009 00:00 is still to come (now: 01/12 09:00): the days to come "
        "are judged on what is recorded now, as if nothing more were done, and their figures "
        "are provisional"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["figures"] for r in rows} == {"provisional"}
    # five minutes ahead is a clock's disagreement, not the future; a past one says nothing
    soon = ok(cli("export", "summary", "-p", "2008-11", "--as-of", "01/12/2008 09:05"))
    assert "note" not in soon.stderr
    late = ok(cli("export", "summary", "-p", "2008-11", "--as-of", "01/12/2008 09:06")).stderr
    assert late.startswith("note: --as-of 01/12 09:06 is still to come (now: 01/12 09:00)")
    # what is published says it; a screen (summary, agenda's look ahead) shows what was asked
    update = ok(cli("report", "update", team, "-p", "2008-12", "--as-of", "2009-01-01"))
    assert update.stderr.startswith("note: --as-of 01/01/2009 00:00 is still to come")
    assert "note" not in ok(cli("summary", "-p", "2008-12", "--as-of", "2009-01-01")).stderr
    # the month just ended, as of its end: final, nothing said
    final = ok(cli("export", "summary", "-p", "2008-12", "--as-of", "2008-12-01 09:00"))
    assert "note" not in final.stderr
    assert {r["figures"] for r in csv.DictReader(io.StringIO(final.stdout))} == {"provisional"}


# -- rollup's remaining one-sided cases (hq5) ---------------------------------------------


def without_figures(new: Path, old: Path) -> Path:
    """`new` as an export from before the `figures` column (and `last_change`, after it)
    wrote it."""
    lines = new.read_text(encoding="utf-8").splitlines()
    old.write_text("\n".join(line.rsplit(",", 2)[0] for line in lines) + "\n", encoding="utf-8")
    return old


def test_an_old_files_pledge_the_final_figures_lack_is_refused_not_left_out(
    cw01: Run, db: Path, tmp_path: Path
) -> None:
    """A file from before the column says neither final nor provisional, so nothing
    decides between it and the database: refused, as its different figures would be
    (it was left out with a note, moving CW01's figures with exit 0)."""
    sent = moved_out(cw01, tmp_path / "sent.csv", "2008-12-01")
    old = without_figures(sent, tmp_path / "old.csv")
    fails(cw01, db, "rollup", str(old), str(db), "--period", "2008-10", "--as-of",
          "2008-12-01", text=only_in(f"{old} line 4", str(db)) + f" ({old} does not say "
          "whether its figures are final: export it again)")  # fmt: skip
    fails(cw01, db, "rollup", str(db), str(old), "--period", "2008-10", "--as-of",
          "2008-12-01", text=only_in(f"{old} line 4", str(db)) + f" ({old} does not say "
          "whether its figures are final: export it again)")  # fmt: skip


def test_an_old_files_rows_alike_with_the_final_ones_still_roll_up(
    cw01: Run, db: Path, tmp_path: Path
) -> None:
    old = without_figures(export(cw01, tmp_path / "new.csv", "2008-12-01"), tmp_path / "old.csv")
    rows = rolled(cw01("rollup", str(old), str(db), "--period", "2008-10", "--as-of",
                       "2008-12-01"))  # fmt: skip
    assert {r["figures"] for r in rows.values()} == {"final"}


@pytest.fixture
def zz01(tmp_path: Path, env: Environment) -> tuple[Run, Path]:
    """ZZ01 in a database of its own, one pledge (agreed 6 October, nothing logged)."""
    path = tmp_path / "zz01.db"
    run = on_database(path, env)
    ok(run("team", "add", "ZZ01", "--name", "Zed", "--no-national"))
    ok(run("pledge", "add", "ZZ01", "Leaflets", "--at-least", "1", "--per", "month",
           "--agreed", "2008-10-06"))  # fmt: skip
    return run, path


def test_a_database_holding_the_team_with_nothing_in_force_covers_it(
    zz01: tuple[Run, Path], tmp_path: Path
) -> None:
    """The pledge's agreed date moved into November after October's file was sent: the
    database holds ZZ01 with no pledge in October, the file one. The union kept the file's
    row with exit 0; the database says the month held nothing, so it is one-sided."""
    run, db = zz01
    sent = export(run, tmp_path / "sent.csv", "2008-12-01")
    ok(run("pledge", "edit", "ZZ01-L1", "--agreed", "2008-11-03", "--yes"))
    fails(run, db, "rollup", str(db), str(sent), "--period", "2008-10", "--as-of",
          "2008-12-01", text=(
              f"team ZZ01 2008-10-01..2008-10-31: pledge ZZ01-L1 is in {sent} line 2 but not "
              f"in {db}; the sources differ in the pledges the period held (a pledge added, "
              "or its agreed date moved, after one of them was judged): roll up the newer "
              "one alone"))  # fmt: skip


def test_a_provisional_file_of_a_team_the_final_database_holds_nothing_for_is_left_out(
    zz01: tuple[Run, Path], tmp_path: Path
) -> None:
    run, db = zz01
    early = export(run, tmp_path / "mid-october.csv", "2008-10-16")
    ok(run("pledge", "edit", "ZZ01-L1", "--agreed", "2008-11-03", "--yes"))
    result = run("rollup", str(early), str(db), "--period", "2008-10", "--as-of", "2008-12-01")
    assert ok(result).stdout.splitlines()[1:] == []  # type: ignore[attr-defined]
    assert (
        f"note: team ZZ01 pledge ZZ01-L1 2008-10-01..2008-10-31 is only in {early} line 2: "
        f"left out, since {early}'s rows for the team and period are all provisional, {db}'s "
        "include final ones (judged once the period had ended)\n"
    ) in result.stderr  # type: ignore[attr-defined]


def test_a_database_of_another_team_does_not_cover_this_one(
    zz01: tuple[Run, Path], cw01: Run, db: Path, tmp_path: Path
) -> None:
    """Coverage is per team: CW01's database says nothing of ZZ01."""
    run, _ = zz01
    sent = export(run, tmp_path / "zz01.csv", "2008-12-01")
    result = ok(cw01("rollup", str(db), str(sent), "--period", "2008-10", "--as-of",
                     "2008-12-01"))  # fmt: skip
    assert result.stderr == ""
    assert ("ZZ01", "ZZ01-L1") in rolled(result)
