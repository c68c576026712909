"""Times whose stored form SQLite could not read: refused at entry (a UTC offset with
seconds), and rows another tool wrote found by `db check` and named by any read."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from conftest import fixed_clock, invoke
from helpers import assert_error, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode

Runner = Callable[..., Result]


def zoned(tmp_path: Path, zone: str) -> Runner:
    """The CLI on a fresh file under PLEDGETRACK_TZ=zone, with a team T1 (national N4, the
    24-hour response pledge, from 1900) and a local frequency pledge T1-L1."""
    env = dataclasses.replace(
        Environment.from_os({"PLEDGETRACK_TZ": zone, "HOME": str(tmp_path)}),
        stdout_isatty=False,
        clock=fixed_clock(datetime(2026, 12, 1, 12, tzinfo=UTC)),
    )
    db = str(tmp_path / "z.db")

    def run(*args: str, input: str | None = None) -> Result:
        return invoke(["--db", db, *args], env, input)

    ok(run("team", "add", "T1", "--name", "T1", "--national-only", "N4", "--since", "1900-01-01"))
    ok(run("pledge", "add", "T1", "Patrols", "--at-least", "1", "--per", "week",
           "--agreed", "1900-01-01"))  # fmt: skip
    return run


# zones we accept whose offset had seconds then, as Python writes it
SECONDS_OFFSETS = [
    ("Africa/Monrovia", "1971-06-01 10:00", "-00:44:30"),
    ("Europe/Dublin", "1915-06-01 10:00", "-00:25:21"),
    ("Europe/Amsterdam", "1936-01-15 10:00", "+00:19:32"),
    ("Asia/Kolkata", "1900-06-01 10:00", "+05:21:10"),
]


def _refusal(text: str, offset: str) -> str:
    return (
        f"'{text}': the zone's UTC offset then ({offset}) was not a whole minute, and "
        "pledgetrack records times only at whole-minute offsets"
    )


@pytest.mark.parametrize(("zone", "text", "offset"), SECONDS_OFFSETS)
def test_a_time_at_an_offset_with_seconds_is_refused_at_entry(
    tmp_path: Path, zone: str, text: str, offset: str
) -> None:
    run = zoned(tmp_path, zone)
    why = _refusal(text, offset)
    assert_error(run("log", "T1-L1", "Patrol", "--when", text), ExitCode.USAGE, f"--when: {why}")
    assert_error(
        run("message", "T1", "--received", text, "--open"), ExitCode.USAGE, f"--received: {why}"
    )
    csv = tmp_path / "in.csv"
    csv.write_text(f"team,pledge,when,description\nT1,T1-L1,{text},Patrol\n")
    result = run("import", "actions", str(csv))
    assert result.exit_code == ExitCode.USAGE
    assert f"line 2: when: {why}" in result.stderr
    # the stored form itself, as another program might write it
    stored = f"{text.replace(' ', 'T')}:00{offset}"
    csv.write_text(f"team,pledge,when,description\nT1,T1-L1,{stored},Patrol\n")
    result = run("import", "actions", str(csv))
    assert result.exit_code == ExitCode.USAGE
    assert f"line 2: when: {_refusal(stored, offset)}" in result.stderr
    assert ok(run("actions", "-f", "csv")).stdout.count("\n") == 1  # the header: nothing written


def test_monrovia_after_its_offset_became_whole_minutes(tmp_path: Path) -> None:
    """Monrovia moved from -00:44:30 to +00:00 on 7 January 1972 (its clocks went from 00:00
    to 00:44:30): the last minute before is refused, the first after is recorded and counted."""
    run = zoned(tmp_path, "Africa/Monrovia")
    assert_error(
        run("message", "T1", "--received", "1972-01-06 23:59", "--open"),
        ExitCode.USAGE,
        f"--received: {_refusal('1972-01-06 23:59', '-00:44:30')}",
    )
    ok(run("message", "T1", "--received", "1972-01-07 00:45", "--when", "1972-01-08 00:45"))
    ok(run("message", "T1", "--received", "1972-01-10 10:00", "--open"))
    summary = ok(run("summary", "--team", "T1", "--period", "1972-01", "--as-of", "1972-02-01",
                     "-f", "csv")).stdout  # fmt: skip
    # the first answered in exactly 24 hours (met, at the limit); the second still open
    assert summary.splitlines()[1] == (
        ",T1,T1,T1-N4,Messages answered within 24 hours,response,within 24h,1972-01-01,"
        '1972-01-31,1,2,50.0,red,1972-01-08,"median 24h, worst 24h, 1 breached"'
    )
    check = run("check", "--team", "T1", "--as-of", "1972-02-01", "-f", "csv")
    assert check.exit_code == ExitCode.PROBLEMS_FOUND, check.stderr
    late = "T1,T1-N4,breached,item 2 received 1972-01-10T10:00:00+00:00 open 21d14h (limit 24h)"
    assert late in check.stdout.splitlines()


def test_check_and_agenda_name_an_open_item_sqlite_cannot_read(tmp_path: Path) -> None:
    """A row another tool wrote with an offset SQLite does not read: exit 3 naming the row,
    not a crash."""
    run = zoned(tmp_path, "Europe/London")
    ok(run("message", "T1", "--received", "2008-10-01 10:00", "--open"))
    conn = sqlite3.connect(tmp_path / "z.db")
    with conn:
        conn.execute("UPDATE actions SET received_at = '2008-10-01T10:00:00-00:44:30'")
    conn.close()
    why = (
        "actions.received_at of row 1 is not a time pledgetrack can read "
        "('2008-10-01T10:00:00-00:44:30'); see: pledgetrack db check"
    )
    for command in ("check", "agenda"):
        assert_error(run(command, "--team", "T1", "--as-of", "2008-10-20"), ExitCode.DATABASE, why)


def _garbled(tmp_path: Path) -> Runner:
    """Four actions on T1-L1/T1-N4 (schema 10), two of whose times another tool overwrote."""
    run = zoned(tmp_path, "Europe/London")
    for day in ("01", "02", "03"):
        ok(run("log", "T1-L1", "Patrol", "--when", f"2008-10-{day} 10:00"))
    ok(run("message", "T1", "--received", "2008-10-04 10:00", "--open"))
    conn = sqlite3.connect(tmp_path / "z.db")
    with conn:
        conn.execute("UPDATE actions SET received_at = 'garbage' WHERE id = 4")
        conn.execute("UPDATE actions SET occurred_at = '2008-13-45T99:00:00+00:00' WHERE id = 3")
    conn.close()
    return run


def test_db_check_lists_stored_times_that_do_not_read(tmp_path: Path) -> None:
    run = _garbled(tmp_path)
    result = run("db", "check")
    assert result.exit_code == ExitCode.DATABASE
    assert result.stdout.splitlines() == [
        "stored time: actions.occurred_at of row 3 is not in the stored form: "
        "'2008-13-45T99:00:00+00:00'",
        "stored time: actions.received_at of row 4 is not in the stored form: 'garbage'",
    ]


@pytest.mark.parametrize(
    ("text", "sound"),
    [
        ("2008-10-01T10:00:00+01:00", True),
        ("2008-10-01T10:00:00-18:00", True),
        ("2008-10-01T10:00:00+19:00", False),
        ("2008-10-01T10:00:00+01:60", False),
        ("2008-02-30T10:00:00+00:00", False),  # SQLite moves it to 1 March
        ("2008-10-01T24:00:00+00:00", False),
        ("2008-10-01T10:00:00-00:44:30", False),
        ("2008-10-01 10:00:00+01:00", False),
        ("2008-10-01T10:00:00", False),
        ("1900-01-01T00:00:00+00:00", True),  # the first and last days pledgetrack records
        ("2199-12-31T23:59:59-18:00", True),
        ("1899-12-31T23:59:59+00:00", False),
        ("2200-01-01T00:00:00+00:00", False),
    ],
)
def test_the_stored_form_is_checked_exactly(tmp_path: Path, text: str, sound: bool) -> None:
    run = zoned(tmp_path, "Europe/London")
    ok(run("log", "T1-L1", "Patrol", "--when", "2008-10-01 10:00"))
    conn = sqlite3.connect(tmp_path / "z.db")
    with conn:
        conn.execute("UPDATE actions SET occurred_at = ?", (text,))
    conn.close()
    assert run("db", "check").exit_code == (ExitCode.OK if sound else ExitCode.DATABASE)


def test_a_read_meeting_a_stored_time_that_does_not_read_names_it(tmp_path: Path) -> None:
    run = _garbled(tmp_path)
    assert_error(
        run("actions"),
        ExitCode.DATABASE,
        "actions.received_at of row 4 is not a time pledgetrack can read "
        "('garbage'); see: pledgetrack db check",
    )
    for command in (("team", "show", "T1"), ("report", "inspect", "T1"), ("check",)):
        assert_error(
            run(*command),
            ExitCode.DATABASE,
            "actions.occurred_at of an action of T1-L1 is not a time pledgetrack can read "
            "('2008-13-45T99:00:00+00:00'); see: pledgetrack db check",
        )


def _overwrite(tmp_path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(tmp_path / "z.db")
    with conn:
        conn.execute(sql, params)
    conn.close()


@pytest.mark.parametrize(
    "text",
    ["14/10/2008 19:30", "now", "1224010200", " 2008-10-14T19:30:00+01:00", "",
     "1899-12-31T23:59:59+00:00", "2200-01-01T00:00:00+00:00", "Tue 14 Oct 2008"],
)  # fmt: skip
def test_a_report_refuses_an_action_its_periods_would_pass_over(tmp_path: Path, text: str) -> None:
    """A time sorting outside every stored time is in no period's range: the report said 2
    patrols, not 3, exit 0. Now every report on the team stops, naming the row; another
    team's report, and one whose bad row was voided, go on."""
    run = zoned(tmp_path, "Europe/London")
    ok(run("team", "add", "T2", "--name", "T2", "--national-only", "N4", "--since", "1900-01-01"))
    for day in ("13", "14", "15"):
        ok(run("log", "T1-L1", "Patrol", "--when", f"2008-10-{day} 10:00"))
    _overwrite(tmp_path, "UPDATE actions SET occurred_at = ? WHERE id = 2", text)
    why = (
        f"actions.occurred_at of row 2 is not a time pledgetrack can read ({text!r}); "
        "see: pledgetrack db check"
    )
    as_of = ("--as-of", "2008-10-20")
    for command in (
        ("summary", "--team", "T1", "--period", "2008-10"),
        ("overview", "--period", "2008-10"),
        ("check",),
        ("agenda", "--team", "T1"),
        ("export", "summary", "--period", "2008-10"),
        ("team", "show", "T1"),
        ("report", "hq", "--period", "2008-10"),
    ):
        assert_error(run(*command, *as_of), ExitCode.DATABASE, why)
    assert run("db", "check").exit_code == ExitCode.DATABASE
    ok(run("summary", "--team", "T2", "--period", "2008-10", *as_of))
    _overwrite(tmp_path, "UPDATE actions SET voided_at = created_at WHERE id = 2")
    summary = ok(run("summary", "--team", "T1", "--period", "2008-10", *as_of, "-f", "csv"))
    (row,) = [line for line in summary.stdout.splitlines() if ",T1-L1," in line]
    assert ",2008-10-01,2008-10-31,2,3," in row  # the two patrols not voided


@pytest.mark.parametrize(
    "text", ["1900-01-01T00:00:00+00:00", "2199-12-31T23:59:59-18:00", "2008-10-14T19:30:00+01:00"]
)
def test_the_first_and_last_stored_times_are_reported_on(tmp_path: Path, text: str) -> None:
    """The edges: the first and last texts of the stored form are read, not refused."""
    run = zoned(tmp_path, "Europe/London")
    ok(run("log", "T1-L1", "Patrol", "--when", "2008-10-14 10:00"))
    _overwrite(tmp_path, "UPDATE actions SET occurred_at = ?", text)
    day = text[:10]
    ok(run("summary", "--team", "T1", "--period", day, "--as-of", "2199-12-31 23:00"))


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 12, 31, 23, 59, 59)),
    st.integers(min_value=-18 * 60, max_value=18 * 60),
)
def test_every_time_pledgetrack_stores_sorts_between_the_first_and_last(
    local: datetime, minutes: int
) -> None:
    """Held to domain.dates: its days (FIRST_DAY..LAST_DAY), offsets (MAX_OFFSET) and stored
    form (format_datetime)."""
    from pledgetrack.domain.dates import format_datetime
    from pledgetrack.store.stored_times import HIGHEST, LOWEST

    stored = format_datetime(local.replace(tzinfo=timezone(timedelta(minutes=minutes))))
    assert LOWEST <= stored <= HIGHEST
