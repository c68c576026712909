"""A time alone for when an item was dealt with is read after the time it came in
(FRESH5 H14): `log ... --received '25/10/2008 10:00' --when 11:30` is 25/10 11:30, not
today's 11:30 (thirty years late); `respond ID --when 09:30` likewise after the item's
received time. The rule has one home, domain.dates.after_day."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import LONDON, NOW, Run, fails, ok
from pledgetrack.domain.dates import DateInputError, parse_datetime

BST = timezone(timedelta(hours=1))
GMT = timezone(timedelta(0))


D14_10 = datetime(2008, 10, 14, 10, tzinfo=BST)  # received at 10:00 and at 22:00
D14_22 = datetime(2008, 10, 14, 22, tzinfo=BST)


def after(text: str, received: datetime, now: datetime = NOW) -> datetime:
    return parse_datetime(text, now, after=received, not_after=now)


@pytest.mark.parametrize(
    ("received", "text", "expected"),
    [
        # the received day when the time is at or after it; the next day's when before it
        (D14_10, "11:30", datetime(2008, 10, 14, 11, 30, tzinfo=BST)),
        (D14_10, "10:00", datetime(2008, 10, 14, 10, 0, tzinfo=BST)),
        (D14_10, "9:59am", datetime(2008, 10, 15, 9, 59, tzinfo=BST)),
        (D14_22, "08:00", datetime(2008, 10, 15, 8, 0, tzinfo=BST)),
        (D14_22, "noon", datetime(2008, 10, 15, 12, 0, tzinfo=BST)),
        (D14_22, "12am", datetime(2008, 10, 15, 0, 0, tzinfo=BST)),
        (D14_22, "23:59", datetime(2008, 10, 14, 23, 59, tzinfo=BST)),
        # the next day would be still to come: the received day's, refused as before it
        (datetime(2008, 10, 16, 10, tzinfo=BST), "09:00", datetime(2008, 10, 16, 9, 0, tzinfo=BST)),
        # across the year end
        (datetime(2008, 12, 31, 23, tzinfo=GMT), "00:30", datetime(2009, 1, 1, 0, 30, tzinfo=GMT)),
        # a day named is read as typed
        (D14_22, "today 08:00", datetime(2008, 10, 16, 8, tzinfo=BST)),
        (D14_22, "2 days ago 23:00", datetime(2008, 10, 14, 23, tzinfo=BST)),
        (D14_22, "11:30 today", datetime(2008, 10, 16, 11, 30, tzinfo=BST)),
        (D14_22, "9am yesterday", datetime(2008, 10, 15, 9, tzinfo=BST)),
        # an offset, or the zone's name, with the time alone: on the same day
        (D14_10, "11:30 +00:00", datetime(2008, 10, 14, 11, 30, tzinfo=GMT)),
        (D14_10, "11:30 BST", datetime(2008, 10, 14, 11, 30, tzinfo=BST)),
    ],
)  # fmt: skip
def test_a_time_alone_is_the_first_such_time_at_or_after_received(
    received: datetime, text: str, expected: datetime
) -> None:
    now = NOW if received < NOW else datetime(2009, 1, 2, 12, tzinfo=LONDON)
    assert after(text, received, now) == expected


def test_the_edge_of_still_to_come_keeps_the_next_day() -> None:
    """The next day's reading is taken up to not_after itself, not a minute past it."""
    received = datetime(2008, 10, 15, 15, 30, tzinfo=BST)
    edge = datetime(2008, 10, 16, 15, 0, tzinfo=BST)
    assert parse_datetime("15:00", NOW, after=received, not_after=edge) == edge
    earlier = edge - timedelta(minutes=1)
    assert parse_datetime("15:00", NOW, after=received, not_after=earlier) == datetime(
        2008, 10, 15, 15, 0, tzinfo=BST
    )


def test_the_repeated_hour_is_refused_naming_the_day_it_was_read_on() -> None:
    received = datetime(2008, 10, 26, 0, 30, tzinfo=BST)
    now = datetime(2008, 10, 27, 12, tzinfo=LONDON)
    with pytest.raises(DateInputError, match=r"26/10/2008 01:30 happened twice .* give "
                                             r"26/10/2008 01:30 BST"):  # fmt: skip
        after("01:30", received, now)
    assert after("01:30 GMT", received, now) == datetime(2008, 10, 26, 1, 30, tzinfo=GMT)


@given(
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 1, 1)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_it_is_within_a_day_after_received_at_that_time(received: datetime, clock: time) -> None:
    received = received.replace(second=0, microsecond=0, tzinfo=UTC)
    now = received + timedelta(days=3)
    got = parse_datetime(f"{clock:%H:%M}", now, after=received, not_after=now)
    assert got.time() == clock
    assert received <= got < received + timedelta(days=1)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 1, 1)))
def test_without_a_received_time_a_time_alone_is_still_today(day: date) -> None:
    now = datetime.combine(day, time(15), tzinfo=UTC)
    assert parse_datetime("11:30", now) == datetime.combine(day, time(11, 30), tzinfo=UTC)


# -- through the CLI -----------------------------------------------------------------------


@pytest.fixture
def replies(cli: Run, team: str) -> Run:
    ok(cli("pledge", "add", "CW01", "Replies", "--within", "24h", "--agreed", "01/01/2008"))
    return cli


def times(cli: Run) -> list[tuple[str, str]]:
    rows = csv.DictReader(io.StringIO(ok(cli("export", "actions")).stdout))
    return [(row["received"], row["when"]) for row in rows]


def test_log_reads_the_time_alone_on_the_received_day(replies: Run) -> None:
    cli = replies
    ok(cli("log", "CW01-L1", "Email", "--received", "11/10/2008 10:00", "--when", "11:30"))
    ok(cli("log", "CW01-L1", "Call", "--received", "11/10/2008 22:00", "--when", "08:00"))
    ok(cli("team", "national", "CW01", "--since", "01/09/2008"))
    ok(cli("message", "CW01", "--received", "12/10/2008 09:00", "--when", "9.45am"))
    assert times(cli)[0:2] == [
        ("2008-10-11T10:00:00+01:00", "2008-10-11T11:30:00+01:00"),
        ("2008-10-11T22:00:00+01:00", "2008-10-12T08:00:00+01:00"),  # the next morning
    ]
    assert times(cli)[2] == ("2008-10-12T09:00:00+01:00", "2008-10-12T09:45:00+01:00")


def test_respond_reads_the_time_alone_after_the_item_came_in(replies: Run) -> None:
    cli = replies
    first = ok(cli("log", "CW01-L1", "Email", "--received", "11/10/2008 10:00", "--open"))
    item = first.stdout.strip()
    said = ok(cli("respond", item, "--when", "09:30"))  # the next morning, in time
    assert said.stderr == f"action {item} dealt with after 23h30m, within 24h\n"
    assert times(cli) == [("2008-10-11T10:00:00+01:00", "2008-10-12T09:30:00+01:00")]


def test_a_time_before_an_item_received_today_is_refused_as_before_it(
    replies: Run, db: Path
) -> None:
    cli = replies
    item = ok(cli("log", "CW01-L1", "Email", "--received", "today 10:00", "--open"))
    fails(cli, db, "respond", item.stdout.strip(), "--when", "09:30",
          text="--when 16/10 09:30 is before the item was received (16/10 10:00)")  # fmt: skip
    fails(cli, db, "log", "CW01-L1", "Call", "--received", "today 10:00", "--when", "09:30",
          text="--when 16/10 09:30 is before --received 16/10 10:00")  # fmt: skip
    fails(cli, db, "respond", item.stdout.strip(), "--when", "16:00",
          text="--when 16/10 16:00 is in the future")  # fmt: skip
