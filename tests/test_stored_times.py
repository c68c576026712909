"""Times whose stored form SQLite could not read: refused at entry (a UTC offset with
seconds), and rows another tool wrote found by `db check` and named by any read."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from conftest import fixed_clock, invoke
from helpers import assert_error, ok
from pledgetrack.domain.dates import format_datetime
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store import stored_times

LONDON = ZoneInfo("Europe/London")

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
        '1972-01-31,1,2,50.0,red,1972-01-08,"median 24h, worst 21d14h (open), 1 breached",final'
    )
    check = run("check", "--team", "T1", "--as-of", "1972-02-01", "-f", "csv")
    assert check.exit_code == ExitCode.PROBLEMS_FOUND, check.stderr
    late = "T1,T1-N4,breached,item 2 received 1972-01-10T10:00:00+00:00 open 21d14h (limit 24h)"
    assert late in [line.rsplit(",", 10)[0] for line in check.stdout.splitlines()]


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
        "('2008-10-01T10:00:00-00:44:30'); to correct it: pledgetrack void 1 --reason '...', "
        "then log it again; see: pledgetrack db check"
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
        "'2008-13-45T99:00:00+00:00'; to correct it: pledgetrack void 3 --reason '...', then "
        "log it again (or write the cell as stored, like 2008-10-14T09:00:00+01:00)",
        "stored time: actions.received_at of row 4 is not in the stored form: 'garbage'; to "
        "correct it: pledgetrack void 4 --reason '...', then log it again (or write the cell "
        "as stored, like 2008-10-14T09:00:00+01:00)",
    ]
    assert result.stderr == (
        f"error: {tmp_path / 'z.db'}: 2 problems found; each line says how to correct it\n"
    )


@pytest.mark.parametrize(
    ("text", "sound"),
    [
        ("2008-10-01T10:00:00+01:00", True),
        ("2008-10-01T10:00:00-14:59", True),
        ("2008-10-01T10:00:00+14:59", True),
        ("2008-10-01T10:00:00-15:00", False),  # SQLite reads no offset past 14:59
        ("2008-10-01T10:00:00-18:00", False),
        ("2008-10-01T10:00:00+19:00", False),
        ("2008-10-01T10:00:00+01:60", False),  # Python reads it as +02:00, SQLite not at all
        ("2008-02-30T10:00:00+00:00", False),  # SQLite moves it to 1 March
        ("2008-02-29T10:00:00+00:00", True),  # a leap year
        ("2007-02-29T10:00:00+00:00", False),
        ("2008-04-30T10:00:00+01:00", True),
        ("2008-04-31T10:00:00+01:00", False),
        ("2008-10-31T23:59:59+01:00", True),
        ("2008-10-32T10:00:00+01:00", False),
        ("2008-10-00T10:00:00+01:00", False),
        ("2008-10-01T23:59:59+00:00", True),
        ("2008-10-01T24:00:00+00:00", False),  # SQLite reads it as midnight after
        ("2008-10-01T10:00:60+00:00", False),
        ("0000-06-01T10:00:00+00:00", False),  # SQLite's year 0, not Python's
        ("9999-12-31T23:59:59+00:00", False),
        ("2008-10-01T10:00:00+01:00\x00x", False),  # NUL ends it for SQLite, not Python
        ("\uff12008-10-01T10:00:00+01:00", False),  # a full-width digit two
        ("2008-10-01T10:00:00-00:44:30", False),
        ("2008-10-01 10:00:00+01:00", False),
        ("2008-10-01t10:00:00+01:00", False),
        ("2008-10-01T10:00:00", False),
        ("2008-10-01T10:00:00.5+01:00", False),
        ("2008-10-01T10:00:00Z", False),
        ("1900-01-01T00:00:00+00:00", True),  # the first and last days pledgetrack records
        ("2199-12-31T23:59:59-14:59", True),
        ("2199-12-31T23:59:59-18:00", False),  # on the last day, but SQLite reads no -18:00
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
    result = run("db", "check")
    if not sound:
        assert result.exit_code == ExitCode.DATABASE
    # a sound time in an offset London never had is the zone's finding, not a stored time's
    listed = [line for line in result.stdout.splitlines() if line.startswith("stored time:")]
    assert bool(listed) == (not sound), result.stdout


def test_a_read_meeting_a_stored_time_that_does_not_read_names_it(tmp_path: Path) -> None:
    run = _garbled(tmp_path)
    # the listing refuses what the reports refuse, the first row first (row 4's
    # received_at is 'garbage' too)
    for command in (("actions",), ("team", "show", "T1"), ("report", "inspect", "T1"), ("check",)):
        assert_error(
            run(*command),
            ExitCode.DATABASE,
            "actions.occurred_at of row 3 is not a time pledgetrack can read "
            "('2008-13-45T99:00:00+00:00'); to correct it: pledgetrack void 3 --reason "
            "'...', then log it again; see: pledgetrack db check",
        )


def _overwrite(tmp_path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(tmp_path / "z.db")
    with conn:
        conn.execute(sql, params)
    conn.close()


# every report, each on team T1 or on every team
_REPORTS = (
    ("summary", "--team", "T1", "--period", "2008-10"),
    ("overview", "--period", "2008-10"),
    ("check",),
    ("agenda", "--team", "T1"),
    ("export", "summary", "--period", "2008-10"),
    ("team", "show", "T1"),
    ("report", "update", "T1", "--period", "2008-10"),
    ("report", "hq", "--period", "2008-10"),
)


@pytest.mark.parametrize(
    "text",
    ["14/10/2008 19:30", "now", "1224010200", " 2008-10-14T19:30:00+01:00", "",
     "1899-12-31T23:59:59+00:00", "2200-01-01T00:00:00+00:00", "Tue 14 Oct 2008",
     "2008/10/14 19:30", "2008-1-14T19:30:00+01:00", "2008-10-14 19:30", "2008-10-14",
     "2008-02-30T10:00:00+00:00"],
)  # fmt: skip
def test_a_report_refuses_an_action_its_periods_would_pass_over(tmp_path: Path, text: str) -> None:
    """A time that does not begin with its day as stored is in no period's range, or in the
    wrong one (`2008/10/14` sorts after December): the report said 2 patrols, not 3, exit 0
    (`2008-1-14T...` in a yearly report: exit 70). Now every report on the team stops,
    naming the row; another team's report, and one whose bad row was voided, go on."""
    run = zoned(tmp_path, "Europe/London")
    ok(run("team", "add", "T2", "--name", "T2", "--national-only", "N4", "--since", "1900-01-01"))
    for day in ("13", "14", "15"):
        ok(run("log", "T1-L1", "Patrol", "--when", f"2008-10-{day} 10:00"))
    _overwrite(tmp_path, "UPDATE actions SET occurred_at = ? WHERE id = 2", text)
    why = (
        f"actions.occurred_at of row 2 is not a time pledgetrack can read ({text!r}); "
        "to correct it: pledgetrack void 2 --reason '...', then log it again; "
        "see: pledgetrack db check"
    )
    as_of = ("--as-of", "2008-10-20")
    for command in _REPORTS:
        assert_error(run(*command, *as_of), ExitCode.DATABASE, why)
    assert run("db", "check").exit_code == ExitCode.DATABASE
    ok(run("summary", "--team", "T2", "--period", "2008-10", *as_of))
    _overwrite(tmp_path, "UPDATE actions SET voided_at = created_at WHERE id = 2")
    summary = ok(run("summary", "--team", "T1", "--period", "2008-10", *as_of, "-f", "csv"))
    (row,) = [line for line in summary.stdout.splitlines() if ",T1-L1," in line]
    assert ",2008-10-01,2008-10-31,2,3," in row  # the two patrols not voided


@pytest.mark.parametrize(
    "text", ["1900-01-01T00:00:00+00:00", "2199-12-31T23:59:59-14:59", "2008-10-14T19:30:00+01:00"]
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


# --- the SQL pre-filter held to the one Python definition ------------------------------

_SQLITE = sqlite3.connect(":memory:")


def _plainly_ok(text: str) -> bool:
    """What db check's SQL passes without asking Python."""
    sql = f"SELECT {stored_times._TIME_PLAINLY_OK.format(col=':v')}"  # our rule
    return bool(_SQLITE.execute(sql, {"v": text}).fetchone()[0])


def _both_readers(text: str) -> bool:
    """What readable_time stands for: the stored shape on the days pledgetrack records, and
    SQLite's and Python's readings the same instant."""
    shape = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}"
    if re.fullmatch(shape, text) is None:
        return False
    if not stored_times.LOWEST <= text <= stored_times.HIGHEST:
        return False
    (sqlite_s,) = _SQLITE.execute("SELECT CAST(strftime('%s', ?) AS INTEGER)", (text,)).fetchone()
    try:
        python_s = int(datetime.fromisoformat(text).astimezone(UTC).timestamp())
    except (ValueError, OverflowError):
        return False
    return sqlite_s == python_s


# where each field of the stored form sits, and values at and past its limits
_EDGES = {
    (0, 4): ["0000", "1899", "1900", "2007", "2008", "2100", "2199", "2200", "9999"],
    (5, 10): ["01-31", "02-28", "02-29", "02-30", "02-31", "04-30", "04-31", "06-31",
                   "09-31", "11-30", "11-31", "12-31", "00-10", "13-01", "01-00", "01-32"],
    (11, 13): ["00", "23", "24", "25"],
    (14, 16): ["00", "59", "60"],
    (17, 19): ["00", "59", "60"],
    (19, 20): ["+", "-", "Z", " ", "."],
    (20, 22): ["00", "14", "15", "18", "19", "24"],
    (23, 25): ["00", "59", "60"],
    (10, 11): ["T", " ", "t"],
    (0, 10): ["1900-01-01", "2199-12-31", "1899-12-31", "2200-01-01", "2008-02-29",
              "2007-02-29", "2100-02-29"],
    (11, 19): ["00:00:00", "23:59:59", "24:00:00"],
}  # fmt: skip
_CHARS = "09 Tt-+:.Z\x00x\uff12\u0660"


@st.composite
def _near_misses(draw: st.DrawFn) -> str:
    """A time in the stored form with a field or two set at or past one of its limits (30
    April at 24:00, +15:00, year 0) and now and then a character changed, added or taken
    away: the texts at the rule's edges, alone and together."""
    moment = draw(st.datetimes(min_value=datetime(1899, 12, 30), max_value=datetime(2200, 1, 2)))
    offset = timedelta(minutes=draw(st.sampled_from([0, 60, -60, 899, -899, 1]))
                       if draw(st.booleans()) else draw(st.integers(-899, 899)))  # fmt: skip
    text = moment.replace(microsecond=0, tzinfo=timezone(offset)).isoformat()
    for start, stop in draw(st.lists(st.sampled_from(list(_EDGES)), max_size=2)):
        text = text[:start] + draw(st.sampled_from(_EDGES[start, stop])) + text[stop:]
    text += draw(st.sampled_from(["", "", "", "", "", "", " ", "\x00", "\x00x", "Z", ":00"]))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        at = draw(st.integers(0, len(text)))
        char = draw(st.sampled_from(_CHARS))
        text = draw(st.sampled_from([text[:at] + char + text[at + 1 :],
                                     text[:at] + char + text[at:],
                                     text[:at] + text[at + 1 :], text + char]))  # fmt: skip
    return text


_TEXTS = st.one_of(_near_misses(), st.text(max_size=30))


@settings(max_examples=300)
@given(_TEXTS)
@example("2008-10-01T24:00:00+00:00")
@example("2007-02-29T10:00:00+00:00")
@example("2008-04-31T10:00:00+00:00")
@example("2008-10-01T10:00:00+15:00")
@example("1899-12-31T23:59:59+00:00")
@example("0000-01-01T00:00:00+00:00")
@example("2199-12-31T23:59:59-15:00")
@example("2008-10-01T10:00:00+01:00\x00")
@example("2008-10-01T10:00:00+01:60")
def test_what_sql_passes_unasked_python_reads_too(text: str) -> None:
    """No stored time a reader cannot read slips past db check: whatever its SQL pre-filter
    passes, the Python definition accepts (the rest is judged by that definition)."""
    assert not _plainly_ok(text) or stored_times.readable_time(text)


@settings(max_examples=300)
@given(_TEXTS)
@example("2008-10-01T10:00:00+01:60")
@example("2008-10-01T10:00:00-15:00")
@example("2008-02-29T10:00:00+00:00")
def test_readable_means_both_readers_read_the_same_instant(text: str) -> None:
    assert stored_times.readable_time(text) == _both_readers(text)


def test_nearly_every_stored_time_is_passed_in_sql() -> None:
    """The pre-filter is what makes db check fast: every time a real month holds passes it
    but 29 February's, which Python judges."""
    day = datetime(2008, 1, 1, tzinfo=UTC)
    texts = [format_datetime((day + timedelta(minutes=37 * n)).astimezone(LONDON))
             for n in range(0, 366 * 24 * 60 // 37)]  # fmt: skip
    asked = [t for t in texts if not _plainly_ok(t)]
    assert asked and all(t[5:10] == "02-29" for t in asked)
    assert all(stored_times.readable_time(t) for t in texts)


@pytest.mark.parametrize(
    ("column", "text", "what"),
    [("agreed_on", "10/09/2008", "date"), ("review_on", "10/12/2008", "date"),
     ("agreed_on", "20081009", "date"), ("target_due", "28/11/2008", "date")],
)  # fmt: skip
def test_a_read_refuses_a_pledge_date_another_tool_wrote(
    tmp_path: Path, column: str, text: str, what: str
) -> None:
    """A pledge's date in another form failed every report with exit 70 (a traceback's
    text; a target's due date: pydantic's words, exit 2), `export summary` after writing its
    header. Now each read stops, exit 3, naming the row as `db check` does, stdout empty."""
    run = zoned(tmp_path, "Europe/London")
    ok(run("pledge", "add", "T1", "Lights", "--by", "28/11/2008", "--agreed", "01/10/2008"))
    _overwrite(tmp_path, f"UPDATE pledges SET {column} = ? WHERE ref = 'T1-L2'", text)
    conn = sqlite3.connect(tmp_path / "z.db")
    (row,) = conn.execute("SELECT id FROM pledges WHERE ref = 'T1-L2'").fetchone()
    conn.close()
    edit = {"agreed_on": "--agreed", "review_on": "--review"}.get(column)
    why = (
        f"pledges.{column} of row {row} is not a {what} pledgetrack can read ({text!r}); "
        + (
            f"to correct it: pledgetrack pledge edit T1-L2 {edit} DD/MM/YYYY; "
            if edit
            else "write the cell as stored, like 2008-10-14; "
        )
        + "see: pledgetrack db check"
    )
    as_of = ("--as-of", "2008-10-20")
    for command in (
        ("summary", "--team", "T1", "--period", "2008-10", *as_of),
        ("overview", "--period", "2008-10", *as_of),
        ("check", *as_of),
        ("export", "summary", "--period", "2008-10", *as_of),
        ("export", "pledges"),
        ("pledge", "list"),
        ("pledge", "show", "T1-L2"),
        ("team", "show", "T1"),
    ):
        assert_error(run(*command), ExitCode.DATABASE, why)
    assert run("db", "check").exit_code == ExitCode.DATABASE
    ok(run("pledge", "show", "T1-L1"))


def test_a_report_refuses_a_meeting_time_another_tool_wrote(tmp_path: Path) -> None:
    """`report update` read the next meeting's time with fromisoformat: exit 70."""
    run = zoned(tmp_path, "Europe/London")
    ok(run("team", "national", "T1", "--only", "N4,N7"))
    ok(run("next-meeting", "T1", "--when", "12/12/2026 19:00"))
    _overwrite(tmp_path, "UPDATE planned_meetings SET starts_at = '23/10/2008 19:00'")
    assert_error(
        run("report", "update", "T1", "--period", "2026-11"),
        ExitCode.DATABASE,
        "planned_meetings.starts_at of row 1 is not a time pledgetrack can read "
        "('23/10/2008 19:00'); write the cell as stored, like 2008-10-14T09:00:00+01:00; "
        "see: pledgetrack db check",
    )


# --- received_at and voided_at another tool wrote: every report refuses them -------------

_AS_OF = ("--as-of", "2008-10-20")
# another tool's forms of 14 October 2008, 09:00 in London, and near misses of ours
_OTHER_FORMS: list[object] = [
    "2008/10/14 09:00", "2008-10-14T09:00:00", "2008-10-14t09:00:00+01:00",
    "2008-10-14T09:00:00+01:00  ", "2008-10-14T09:00:00+01:00\x00", "2008-10-14T09:00:00+01:60",
    "", "2008-10-14 09:00:00+01:00", "2008-10-14T09:00:00Z", "2008-02-30T09:00:00+00:00",
    "2007-02-29T09:00:00+00:00", 1223971200, 0,
]  # fmt: skip


def _refused_by_every_report_on_t1(tmp_path: Path, run: Runner, column: str, row: int) -> None:
    """Every report on T1 exits 3 naming the row, its column and text as stored, and db
    check; T2's summary goes on."""
    conn = sqlite3.connect(tmp_path / "z.db")
    (text,) = conn.execute(f"SELECT {column} FROM actions WHERE id = ?", (row,)).fetchone()
    conn.close()
    again = " if it should count" if column == "voided_at" else ""
    why = (
        f"actions.{column} of row {row} is not a time pledgetrack can read ({text!r}); "
        f"to correct it: pledgetrack void {row} --reason '...', then log it again{again}; "
        "see: pledgetrack db check"
    )
    for command in _REPORTS:
        assert_error(run(*command, *_AS_OF), ExitCode.DATABASE, why)
    ok(run("summary", "--team", "T2", "--period", "2008-10", *_AS_OF))


def _message_item(tmp_path: Path) -> Runner:
    """T1 with one message, received 14 October 09:00, answered at 10:00 (action 1); T2 as
    T1 with nothing logged."""
    run = zoned(tmp_path, "Europe/London")
    ok(run("team", "add", "T2", "--name", "T2", "--national-only", "N4", "--since", "1900-01-01"))
    ok(run("log", "T1-N4", "Email", "--received", "2008-10-14 09:00", "--when", "2008-10-14 10:00"))
    return run


@pytest.mark.parametrize("text", _OTHER_FORMS, ids=repr)
def test_a_report_refuses_a_received_at_another_tool_wrote(tmp_path: Path, text: object) -> None:
    """A message received `2008/10/14 09:00` sorted after October: the summary said no
    message, exit 0; with no offset, or `+01:60`, the wait was an hour out or none. Now every
    report on the team stops naming the row and column; another team's report goes on, and
    so does the team's once the item is voided (a void counts nowhere)."""
    run = _message_item(tmp_path)
    _overwrite(tmp_path, "UPDATE actions SET received_at = ? WHERE id = 1", text)
    _refused_by_every_report_on_t1(tmp_path, run, "received_at", 1)
    _overwrite(tmp_path, "UPDATE actions SET voided_at = created_at, void_reason = 'x'")
    ok(run("summary", "--team", "T1", "--period", "2008-10", *_AS_OF))


@pytest.mark.parametrize("text", _OTHER_FORMS, ids=repr)
def test_a_report_refuses_a_voided_at_another_tool_wrote(tmp_path: Path, text: object) -> None:
    """Any voided_at at all made an action count nowhere: one another tool wrote as `''` or
    `0` (meaning, perhaps, "not voided") took it out of the figures, exit 0. Now every report
    on the team stops, naming it, whatever its other times; as the stored form, it is a void."""
    run = _message_item(tmp_path)
    ok(run("log", "T1-L1", "Patrol", "--when", "2008-10-14 10:00"))
    _overwrite(tmp_path, "UPDATE actions SET voided_at = ?, void_reason = 'x' WHERE id = 2", text)
    _refused_by_every_report_on_t1(tmp_path, run, "voided_at", 2)
    _overwrite(tmp_path, "UPDATE actions SET voided_at = '2008-10-15T10:00:00+01:00' WHERE id = 2")
    summary = ok(run("summary", "--team", "T1", "--period", "2008-10", *_AS_OF, "-f", "csv"))
    (row,) = [line for line in summary.stdout.splitlines() if ",T1-L1," in line]
    assert ",2008-10-01,2008-10-31,0," in row  # the void counts nowhere


@pytest.mark.parametrize(
    "text",
    [*[t for t in _OTHER_FORMS if t != ""], "2008-10-14Tgarbage", "2008-10-14T25:00:00+01:00",
     "2008-10-14T10:00:00-15:00"],
    ids=repr,
)  # fmt: skip
def test_a_report_refuses_an_occurred_at_with_a_good_day_another_tool_wrote(
    tmp_path: Path, text: object
) -> None:
    """An answer's occurred_at with its day but no offset failed `report update` and
    `report inspect` with a traceback (exit 70: naive against aware); `2008-10-14Tgarbage`,
    hour 25 or `Z` were counted by the day, exit 0. Now held to the full stored form, as
    received_at is; the report of the item voided goes on."""
    run = _message_item(tmp_path)
    _overwrite(tmp_path, "UPDATE actions SET occurred_at = ? WHERE id = 1", text)
    _refused_by_every_report_on_t1(tmp_path, run, "occurred_at", 1)
    conn = sqlite3.connect(tmp_path / "z.db")
    (stored,) = conn.execute("SELECT occurred_at FROM actions WHERE id = 1").fetchone()
    conn.close()
    assert_error(
        run("report", "inspect", "T1", "--as-of", "2008-11-01"),
        ExitCode.DATABASE,
        f"actions.occurred_at of row 1 is not a time pledgetrack can read ({stored!r}); "
        "to correct it: pledgetrack void 1 --reason '...', then log it again; "
        "see: pledgetrack db check",
    )
    _overwrite(tmp_path, "UPDATE actions SET voided_at = created_at, void_reason = 'x'")
    ok(run("report", "inspect", "T1", "--as-of", "2008-11-01"))


@pytest.mark.parametrize(
    ("text", "wait"),
    [("2008-10-14T22:59:00+14:59", "median 0m,"), ("2008-10-14T10:00:00-14:59", "median 16h59m,")],
)
def test_an_answer_at_the_furthest_offset_is_judged(tmp_path: Path, text: str, wait: str) -> None:
    """The edge of the offsets both readers read (14:59; 15:00 is refused above): the wait
    is judged from the answer's instant (received 08:00 UTC)."""
    run = _message_item(tmp_path)
    _overwrite(tmp_path, "UPDATE actions SET occurred_at = ? WHERE id = 1", text)
    summary = ok(run("summary", "--team", "T1", "--period", "2008-10", *_AS_OF, "-f", "csv"))
    (row,) = [line for line in summary.stdout.splitlines() if ",T1-N4," in line]
    assert wait in row, row


_LISTINGS = (
    ("actions", "--team", "T1"),
    ("actions", "--pledge", "T1-L1", "--include-void"),
    ("actions",),
    ("pledge", "show", "T1-L1"),
    ("export", "actions"),
    ("export", "actions", "--team", "T1", "--include-void"),
)


@pytest.mark.parametrize(("column", "text"), [("voided_at", ""), ("voided_at", "0"),
                         ("voided_at", "2008-10-15T10:00:00"), ("received_at", "")])  # fmt: skip
def test_a_listing_refuses_what_a_report_refuses(tmp_path: Path, column: str, text: str) -> None:
    """A voided_at of `''` was hidden by `actions`, `pledge show` and `export actions` as
    void, and shown "done" with --include-void (one row, two answers), exit 0, where every
    report refused it. Now they refuse it the same way; another team's listing goes on,
    and so does T1's once `void` has mended it."""
    run = _message_item(tmp_path)
    ok(run("log", "T1-L1", "Patrol", "--when", "2008-10-14 10:00"))
    row = 2 if column == "voided_at" else 1
    _overwrite(tmp_path, f"UPDATE actions SET {column} = ? WHERE id = ?", text, row)
    again = " if it should count" if column == "voided_at" else ""
    why = (
        f"actions.{column} of row {row} is not a time pledgetrack can read ({text!r}); "
        f"to correct it: pledgetrack void {row} --reason '...', then log it again{again}; "
        "see: pledgetrack db check"
    )
    for command in _LISTINGS:
        assert_error(run(*command), ExitCode.DATABASE, why)
    ok(run("actions", "--team", "T2"))
    ok(run("void", str(row), "--reason", "mended"))
    listed = ok(run("actions", "--team", "T1", "--include-void", "-f", "csv")).stdout
    assert f"\n{row}," in listed and ",void," in listed


@pytest.mark.parametrize(
    "text", ["1900-01-01T00:00:00+00:00", "2199-12-31T23:59:59-14:59", "2008-02-29T09:00:00+00:00"]
)
def test_the_edges_of_the_stored_form_are_judged_not_refused(tmp_path: Path, text: str) -> None:
    """The first and last texts a report reads, and 29 February of a leap year."""
    run = _message_item(tmp_path)
    _overwrite(tmp_path, "UPDATE actions SET received_at = ?, voided_at = ?", text, text)
    ok(run("summary", "--team", "T1", "--period", "2008-10", "--as-of", "2199-12-31 23:00"))


def test_an_older_file_s_received_at_is_found_by_its_upgrade(tmp_path: Path) -> None:
    """A schema-10 file holding a row another tool wrote: `db upgrade` builds the index of
    such rows with them in it, and the reports then name the row."""
    run = _message_item(tmp_path)
    _overwrite(tmp_path, "UPDATE actions SET received_at = '2008-10-14 09:00' WHERE id = 1")
    _overwrite(tmp_path, "DROP INDEX idx_actions_unsound_times")
    _overwrite(tmp_path, "DROP INDEX idx_actions_team_ext_ref_nocase")  # nor schema 12's
    _overwrite(tmp_path, "DROP TABLE settings")  # nor version 13's
    _overwrite(tmp_path, "PRAGMA user_version = 10")
    ok(run("db", "upgrade"))
    assert_error(
        run("summary", "--team", "T1", "--period", "2008-10", *_AS_OF),
        ExitCode.DATABASE,
        "actions.received_at of row 1 is not a time pledgetrack can read "
        "('2008-10-14 09:00'); to correct it: pledgetrack void 1 --reason '...', then log it "
        "again; see: pledgetrack db check",
    )


def _sound_in_sql(value: object) -> bool:
    (sound,) = _SQLITE.execute(
        f"SELECT {stored_times.SOUND_TIME_SQL.format(col=':v')}", {"v": value}
    ).fetchone()  # our rule
    assert sound in (0, 1)  # never NULL: the partial index holds NOT of it
    return bool(sound)


@settings(max_examples=500)
@given(
    st.one_of(
        _TEXTS,
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False),  # NaN is bound as NULL: no time, which SQL lets be
        st.binary(max_size=30),
    )
)
@example("2008-02-29T10:00:00+00:00")
@example("2007-02-29T10:00:00+00:00")
@example("2008-10-01T24:00:00+00:00")
@example("2008-10-01T10:00:00+14:59")
@example("2008-10-01T10:00:00+15:00")
@example("2008-10-01T10:00:00+01:60")
@example("2008-10-01T10:00:00+01:00\x00")
@example("now")
@example(b"2008-10-01T10:00:00+01:00")
def test_the_index_of_unsound_times_holds_what_readable_time_refuses(value: object) -> None:
    """SOUND_TIME_SQL (the reports' partial index) is readable_time, exactly: a row it
    passed that Python refuses would be judged wrong without a word; one it held that
    Python reads, a report refused for nothing."""
    assert _sound_in_sql(value) == stored_times.readable_time(value)
