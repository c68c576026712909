"""A time typed after midnight for last night's shift (FRESH4 G6): `--when 23:30` at 00:40
is today's 23:30, still to come, and is refused; the refusal says how to type last night's.
An imported file's line is refused without the hint: a file names its dates."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import fixed_clock
from helpers import LONDON, Run, assert_error, nothing_written, ok
from pledgetrack.domain.dates import LAST_SHIFT, parse_datetime, yesterday_instead
from pledgetrack.exitcodes import ExitCode

# Friday 17 October 2008 (BST): just after midnight, the shift of the 16th just ended
MIDNIGHT = datetime(2008, 10, 17, 0, 0, tzinfo=LONDON)
TWENTY_TO_ONE = datetime(2008, 10, 17, 0, 40, tzinfo=LONDON)


@pytest.fixture
def at(cli_with: Callable[..., Run], cli: Run, team: str) -> Callable[[datetime], Run]:
    """The CLI with its clock at a given moment, on CW01 (national commitments, N1: patrols)."""
    ok(cli("team", "national", "CW01", "--since", "01/09/2008"))
    return lambda moment: cli_with(clock=fixed_clock(moment))


def refused(run: Run, db: Path, *args: str) -> str:
    with nothing_written(db):
        return assert_error(run(*args), ExitCode.USAGE)


@pytest.mark.parametrize("clock", [MIDNIGHT, TWENTY_TO_ONE], ids=["00:00", "00:40"])
def test_last_nights_time_typed_alone_is_refused_with_yesterday_suggested(
    at: Callable[[datetime], Run], db: Path, clock: datetime
) -> None:
    run = at(clock)
    assert refused(run, db, "log", "CW01-N1", "Foot patrol", "--when", "23:30") == (
        "--when 17/10 23:30 is in the future (did you mean --when 'yesterday 23:30'?)"
    )
    # as typed: 11.30pm stays 11.30pm
    assert refused(run, db, "log", "CW01-N1", "Foot patrol", "--when", "11.30pm").endswith(
        "(did you mean --when 'yesterday 11.30pm'?)"
    )
    # and the suggestion, typed, is recorded at last night's 23:30
    ok(run("log", "CW01-N1", "Foot patrol", "--when", "yesterday 23:30"))
    (row,) = json.loads(ok(run("actions", "--format", "json")).stdout)
    assert row["when"] == "2008-10-16T23:30:00+01:00"


def test_received_too_and_in_the_shortcuts(at: Callable[[datetime], Run], db: Path) -> None:
    run = at(TWENTY_TO_ONE)
    assert refused(run, db, "message", "CW01", "--received", "22:15", "--when", "now") == (
        "--received 17/10 22:15 is in the future (did you mean --received 'yesterday 22:15'?)"
    )


def test_no_suggestion_where_yesterday_is_no_plausible_last_night(
    at: Callable[[datetime], Run], db: Path
) -> None:
    """At 00:40, `09:00` yesterday was more than LAST_SHIFT (12 hours) ago: more likely a
    slip (00:09?) than the shift just ended. 12:40 is the edge, 12:39 past it."""
    run = at(TWENTY_TO_ONE)
    assert refused(run, db, "log", "CW01-N1", "Patrol", "--when", "09:00") == (
        "--when 17/10 09:00 is in the future"
    )
    assert refused(run, db, "log", "CW01-N1", "Patrol", "--when", "12:39") == (
        "--when 17/10 12:39 is in the future"
    )
    assert refused(run, db, "log", "CW01-N1", "Patrol", "--when", "12:40").endswith(
        "(did you mean --when 'yesterday 12:40'?)"
    )
    # a date typed with the time is what was meant: no guess at another day
    assert refused(run, db, "log", "CW01-N1", "Patrol", "--when", "17/10 23:30") == (
        "--when 17/10 23:30 is in the future"
    )


def test_an_imported_line_is_refused_without_the_hint(
    at: Callable[[datetime], Run], db: Path, tmp_path: Path
) -> None:
    """The future check is shared with import; a file's line has no `yesterday`."""
    rows = tmp_path / "rows.csv"
    rows.write_text("team,pledge,when,description\nCW01,CW01-N1,17/10/2008 23:30,Patrol\n")
    with nothing_written(db):
        result = at(TWENTY_TO_ONE)("import", "actions", str(rows))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0] == "line 2: when: 17/10 23:30 is in the future"
    assert "yesterday" not in result.stderr


def test_yesterday_instead_window() -> None:
    """Pure: a time alone whose yesterday is 0 to LAST_SHIFT ago, else nothing."""
    now = TWENTY_TO_ONE
    edge = (now - LAST_SHIFT).strftime("%H:%M")
    assert yesterday_instead(edge, now) == f"yesterday {edge}"
    past_edge = (now - LAST_SHIFT - timedelta(minutes=1)).strftime("%H:%M")
    assert yesterday_instead(past_edge, now) is None
    assert yesterday_instead("  23:30 ", now) == "yesterday 23:30"
    assert yesterday_instead("yesterday 23:30", now) is None
    assert yesterday_instead("16/10 23:30", now) is None
    assert yesterday_instead("now", now) is None
    suggested = yesterday_instead("23:30", now)
    assert suggested is not None
    assert parse_datetime(suggested, now) < now
