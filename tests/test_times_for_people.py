"""Times as people read them, in messages and tables: `26/10 09:30`, short, in their zone.

The night the clocks go back shows 01:00-01:59 twice; a time in that hour carries the
zone's name (`26/10 01:30 BST`, `26/10 01:30 GMT`) so that two instants never read alike,
and only there, so every other time stays short (`domain.dates.short_datetime`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import fixed_clock, invoke
from helpers import LONDON, Run, fails, ok
from pledgetrack.domain.dates import short_datetime, short_datetimes
from pledgetrack.environment import Environment

# Sunday 26 October 2008: 02:00 BST became 01:00 GMT (01:00 UTC)
CHANGE = datetime(2008, 10, 26, 1, 0, tzinfo=UTC)
AFTER = datetime(2008, 10, 27, 12, 0, tzinfo=LONDON)  # the Monday after


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (CHANGE - timedelta(hours=1, seconds=1), "26/10 00:59"),  # the last second before
        (CHANGE - timedelta(hours=1), "26/10 01:00 BST"),  # the first 01:00
        (CHANGE - timedelta(minutes=30), "26/10 01:30 BST"),
        (CHANGE - timedelta(seconds=1), "26/10 01:59 BST"),
        (CHANGE, "26/10 01:00 GMT"),  # the second 01:00
        (CHANGE + timedelta(minutes=30), "26/10 01:30 GMT"),
        (CHANGE + timedelta(minutes=59, seconds=59), "26/10 01:59 GMT"),
        (CHANGE + timedelta(hours=1), "26/10 02:00"),  # once again
        (datetime(2008, 3, 30, 1, 0, tzinfo=UTC), "30/03 02:00"),  # spring: no hour twice
        (datetime(2008, 10, 16, 14, 0, tzinfo=UTC), "16/10 15:00"),
    ],
)
def test_only_the_repeated_hour_names_its_zone(utc: datetime, shown: str) -> None:
    assert short_datetime(utc, LONDON, 2008) == shown
    # whatever offset the time was stored with
    assert short_datetime(utc.astimezone(timezone(timedelta(hours=5))), LONDON, 2008) == shown


def test_the_zone_named_is_the_reader_s() -> None:
    new_york = ZoneInfo("America/New_York")  # 2 November 2008: 02:00 EDT became 01:00 EST
    assert short_datetime(datetime(2008, 11, 2, 5, 30, tzinfo=UTC), new_york) == "02/11 01:30 EDT"
    assert short_datetime(datetime(2008, 11, 2, 6, 30, tzinfo=UTC), new_york) == "02/11 01:30 EST"
    # London's repeated hour is an ordinary one in New York, and the other way round
    assert short_datetime(CHANGE, new_york) == "25/10 21:00"
    assert short_datetime(datetime(2008, 11, 2, 5, 30, tzinfo=UTC), LONDON) == "02/11 05:30"
    # a fixed offset never repeats an hour
    assert short_datetime(CHANGE, timezone(timedelta(hours=1))) == "26/10 02:00"


def test_a_repeated_hour_whose_names_are_the_same_shows_the_offsets() -> None:
    """Moscow, 26 October 2014: 02:00 MSK (+04) became 01:00 MSK (+03); `MSK` twice would
    not tell them apart."""
    moscow = ZoneInfo("Europe/Moscow")
    first = datetime(2014, 10, 25, 21, 30, tzinfo=UTC)
    second = first + timedelta(hours=1)
    assert short_datetime(first, moscow, 2014) == "26/10 01:30 +04:00"
    assert short_datetime(second, moscow, 2014) == "26/10 01:30 +03:00"


@pytest.fixture
def after(cli_with: Callable[..., Run]) -> Run:
    """A team with a weekly pledge and a 48-hour one, the Monday after the change."""
    run = cli_with(clock=fixed_clock(AFTER))
    ok(run("team", "add", "CW01", "--name", "Castle", "--no-national"))
    ok(run("pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
           "--agreed", "01/01/2008"))  # fmt: skip
    ok(run("pledge", "add", "CW01", "Replies", "--within", "48h", "--agreed", "01/01/2008"))
    return run


def table(run: Run, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", "100")
    return [line.rstrip() for line in ok(run(*args, "-f", "table")).stdout.splitlines()]


def test_actions_either_side_of_the_change_read_apart(
    after: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    for when in ("26/10/2008 00:59", "26/10/2008 01:30+01:00", "26/10/2008 01:30+00:00",
                 "26/10/2008 02:00"):  # fmt: skip
        ok(after("log", "CW01-L1", "Patrol", "--when", when))
    rows = table(after, monkeypatch, "actions", "--columns", "id,when")
    assert rows == [
        "ID  When",
        "─" * 19,
        " 4  26/10 02:00",
        " 3  26/10 01:30 GMT",
        " 2  26/10 01:30 BST",
        " 1  26/10 00:59",
    ]


def test_messages_in_the_repeated_hour_name_the_zone(after: Run, db: Path) -> None:
    fails(after, db, "log", "CW01-L2", "Reply", "--received", "26/10/2008 01:30+00:00",
          "--when", "26/10/2008 01:45+01:00",
          text="--when 26/10 01:45 BST is before --received 26/10 01:30 GMT")  # fmt: skip
    item = ok(after("log", "CW01-L2", "Call", "--received", "26/10/2008 01:30+00:00", "--open"))
    fails(
        after, db, "respond", item.stdout.strip(), "--when", "26/10/2008 01:10+01:00",
        text="--when 26/10 01:10 BST is before the item was received (26/10 01:30 GMT)",
    )  # fmt: skip


def test_check_findings_name_the_zone_in_the_repeated_hour(after: Run) -> None:
    ok(after("log", "CW01-L2", "Call", "--received", "26/10/2008 01:30+01:00", "--open"))
    ok(after("log", "CW01-L2", "Call", "--received", "26/10/2008 01:30+00:00", "--open"))
    ok(after("log", "CW01-L2", "Call", "--received", "26/10/2008 02:00", "--open"))
    found = after("check", "--as-of", "28/10/2008 01:00", "-f", "plain").stdout.splitlines()
    assert [line.split(None, 3)[3] for line in found if "item" in line] == [
        'item 1 "Call" received 26/10 01:30 BST: late by 30m, open 48h30m (limit 48h); Replies',
        'item 2 "Call" received 26/10 01:30 GMT: breaches in 30m (limit 48h); Replies',
        'item 3 "Call" received 26/10 02:00: breaches in 1h (limit 48h); Replies',
    ]
    # programs get the time as stored (and exported), its offset saying which hour
    data = after("check", "--as-of", "28/10/2008 01:00", "-f", "csv").stdout.splitlines()
    # (the first four columns: the fields after them, test_check_fields.py)
    assert [line.rsplit(",", 10)[0] for line in data if ",item " in line] == [
        "CW01,CW01-L2,breached,item 1 received 2008-10-26T01:30:00+01:00 open 48h30m (limit 48h)",
        "CW01,CW01-L2,due-soon,item 2 received 2008-10-26T01:30:00+00:00 breaches in 30m",
        "CW01,CW01-L2,due-soon,item 3 received 2008-10-26T02:00:00+00:00 breaches in 1h",
    ]


def test_history_tells_the_two_hours_apart(
    cli_with: Callable[..., Run], after: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = [CHANGE - timedelta(minutes=30), CHANGE + timedelta(minutes=30)]
    for moment in at:
        run = cli_with(clock=fixed_clock(moment))
        ok(run("log", "CW01-L1", "Patrol", "--when", "25/10/2008 12:00"))
    rows = table(after, monkeypatch, "history", "-n", "2", "--columns", "at,key")
    assert rows[2:] == ["26/10 01:30 GMT  2", "26/10 01:30 BST  1"]


def test_another_zone_from_the_environment(
    tmp_path: Path, env: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PLEDGETRACK_TZ=America/New_York: New York's repeated hour is named, London's is not."""
    zoned = Environment.from_os({"PLEDGETRACK_TZ": "America/New_York", "HOME": str(tmp_path)})
    run_env = dataclasses.replace(
        zoned, stdout_isatty=False, clock=fixed_clock(datetime(2008, 11, 3, 12, tzinfo=UTC))
    )
    db = str(tmp_path / "ny.db")

    def run(*args: str) -> str:
        return ok(invoke(["--db", db, *args], run_env)).stdout

    run("team", "add", "CW01", "--name", "Castle", "--no-national")
    run("pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
        "--agreed", "01/01/2008")  # fmt: skip
    for when in ("2008-11-02 01:30-04:00", "2008-11-02 01:30-05:00", "2008-10-26 01:30+00:00"):
        run("log", "CW01-L1", "Patrol", "--when", when)
    monkeypatch.setenv("COLUMNS", "100")
    rows = run("actions", "--columns", "id,when", "-f", "table").splitlines()
    assert [r.rstrip() for r in rows[2:]] == [
        " 2  02/11 01:30 EST",
        " 1  02/11 01:30 EDT",
        " 3  25/10 21:30",
    ]


# -- seconds: two times said to differ never read alike ----------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (  # the same minute: to the second
            ["CW01-L2", "R", "--received", "27/10/2008 11:00:30", "--when", "27/10/2008 11:00:10"],
            "--when 27/10 11:00:10 is before --received 27/10 11:00:30",
        ),
        (  # a minute apart by one second: the minutes tell them apart
            ["CW01-L2", "R", "--received", "27/10/2008 11:01:00", "--when", "27/10/2008 11:00:59"],
            "--when 27/10 11:00 is before --received 27/10 11:01",
        ),
        (  # now is 12:00: more than five minutes on, by one second
            ["CW01-L1", "P", "--when", "27/10/2008 12:05:01"],
            "--when 27/10 12:05:01 is in the future",
        ),
        (["CW01-L1", "P", "--when", "27/10/2008 12:06"], "--when 27/10 12:06 is in the future"),
    ],
)
def test_times_said_to_differ_show_seconds_where_the_minutes_read_alike(
    after: Run, db: Path, args: list[str], message: str
) -> None:
    fails(after, db, "log", *args, text=message)


def test_five_minutes_on_to_the_second_is_not_the_future(after: Run) -> None:
    ok(after("log", "CW01-L1", "P", "--when", "27/10/2008 12:05:00"))


def test_a_reply_and_a_void_in_the_same_minute_show_seconds(
    after: Run, db: Path, tmp_path: Path
) -> None:
    item = ok(after("log", "CW01-L2", "Call", "--received", "27/10/2008 11:00:30", "--open"))
    fails(
        after, db, "respond", item.stdout.strip(), "--when", "27/10/2008 11:00:10",
        text="--when 27/10 11:00:10 is before the item was received (27/10 11:00:30)",
    )  # fmt: skip
    rows = tmp_path / "void.csv"
    rows.write_text(
        "team,pledge,when,description,voided_at,void_reason\n"
        "CW01,CW01-L1,2008-10-27T10:00:30+00:00,P,2008-10-27T10:00:10+00:00,typo\n"
    )
    refused = after("import", "actions", str(rows))
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[0] == (
        "line 2: voided_at: 27/10 10:00:10 is before the action (27/10 10:00:30)"
    )


def test_two_times_compared_are_shown_to_the_second_only_when_it_tells_them_apart() -> None:
    base = datetime(2008, 10, 16, 14, 5, 10, tzinfo=UTC)
    pairs = [
        (base + timedelta(seconds=20), base, ("16/10 15:05:30", "16/10 15:05:10")),
        (base + timedelta(seconds=50), base, ("16/10 15:06", "16/10 15:05")),  # 15:06:00
        (base, base, ("16/10 15:05", "16/10 15:05")),  # the same instant: nothing to tell
        (base + timedelta(microseconds=5), base, ("16/10 15:05", "16/10 15:05")),
        (CHANGE - timedelta(minutes=30), CHANGE + timedelta(minutes=30),
         ("26/10 01:30 BST", "26/10 01:30 GMT")),  # the zones tell them apart
        (CHANGE - timedelta(minutes=30, seconds=-40), CHANGE - timedelta(minutes=30, seconds=-10),
         ("26/10 01:30:40 BST", "26/10 01:30:10 BST")),
    ]  # fmt: skip
    for first, second, shown in pairs:
        assert short_datetimes(first, second, LONDON, 2008) == shown


def test_a_meeting_planned_seconds_ago_shows_its_seconds(
    cli_with: Callable[..., Run], db: Path
) -> None:
    run = cli_with(clock=fixed_clock(datetime(2008, 10, 27, 12, 0, 40, tzinfo=UTC)))
    ok(run("team", "add", "CW01", "--name", "Castle"))
    fails(run, db, "next-meeting", "CW01", "--when", "27/10/2008 12:00:20",
          text="--when 27/10 12:00:20 is not in the future "
          "(log a meeting that was held with: pledgetrack meeting TEAM --when DT)")  # fmt: skip
