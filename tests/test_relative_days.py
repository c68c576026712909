"""What a sergeant types for a time in the last few days (FRESH5 H7): `2 days ago 19:00`,
`last night 23:00`, `last night 01:30` (after midnight: today), `this morning 08:00`,
`friday night 23:30`; a part of the day without its time, or at a time outside it, is
refused saying what to write."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import LONDON, NOW, Run, fails, ok
from pledgetrack.domain.dates import (
    DAY_PARTS,
    PART_PHRASES,
    DateInputError,
    DateOutOfRange,
    TimeGiven,
    parse_date,
    parse_datetime,
)

BST = timezone(timedelta(hours=1))
GMT = timezone(timedelta(0))
DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
# a day in the supported range with room for a few thousand days back
days = st.dates(min_value=date(1920, 1, 1), max_value=date(2150, 12, 31))
clock_times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


def at(text: str, now: datetime = NOW) -> datetime:
    return parse_datetime(text, now)


# NOW is Thursday 16 October 2008, 15:00 BST
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 days ago 19:00", datetime(2008, 10, 14, 19, 0, tzinfo=BST)),
        ("2 days ago 7.30pm", datetime(2008, 10, 14, 19, 30, tzinfo=BST)),
        ("19:00 2 days ago", datetime(2008, 10, 14, 19, 0, tzinfo=BST)),
        ("1 day ago 08:15", datetime(2008, 10, 15, 8, 15, tzinfo=BST)),
        ("2 weeks ago 10:00", datetime(2008, 10, 2, 10, 0, tzinfo=BST)),
        ("0 days ago 10:00", datetime(2008, 10, 16, 10, 0, tzinfo=BST)),  # today
        ("0 days ago", datetime(2008, 10, 16, tzinfo=BST)),
        ("2 days ago", datetime(2008, 10, 14, tzinfo=BST)),  # as before: that day's start
        ("last night 23:00", datetime(2008, 10, 15, 23, 0, tzinfo=BST)),
        ("Last Night 11pm", datetime(2008, 10, 15, 23, 0, tzinfo=BST)),
        ("23:00 last night", datetime(2008, 10, 15, 23, 0, tzinfo=BST)),
        ("last night 18:00", datetime(2008, 10, 15, 18, 0, tzinfo=BST)),  # the night's first
        ("last night 00:00", datetime(2008, 10, 16, 0, 0, tzinfo=BST)),  # past midnight: today
        ("last night 12am", datetime(2008, 10, 16, 0, 0, tzinfo=BST)),
        ("last night 01:30", datetime(2008, 10, 16, 1, 30, tzinfo=BST)),
        ("last night 06:59", datetime(2008, 10, 16, 6, 59, tzinfo=BST)),  # the night's last
        ("tonight 00:30", datetime(2008, 10, 17, 0, 30, tzinfo=BST)),
        ("tonight 19:00", datetime(2008, 10, 16, 19, 0, tzinfo=BST)),
        ("this morning 08:00", datetime(2008, 10, 16, 8, 0, tzinfo=BST)),
        ("this morning 12am", datetime(2008, 10, 16, 0, 0, tzinfo=BST)),
        ("this afternoon 2pm", datetime(2008, 10, 16, 14, 0, tzinfo=BST)),
        ("this evening 17:30", datetime(2008, 10, 16, 17, 30, tzinfo=BST)),
        ("yesterday evening 19:30", datetime(2008, 10, 15, 19, 30, tzinfo=BST)),
        ("yesterday morning 11:59", datetime(2008, 10, 15, 11, 59, tzinfo=BST)),
        ("yesterday afternoon 12:00", datetime(2008, 10, 15, 12, 0, tzinfo=BST)),
        ("friday night 23:30", datetime(2008, 10, 10, 23, 30, tzinfo=BST)),
        ("friday night 02:00", datetime(2008, 10, 11, 2, 0, tzinfo=BST)),
        ("last wednesday night 22:00", datetime(2008, 10, 15, 22, 0, tzinfo=BST)),
        ("14/10/2008 evening 19:00", datetime(2008, 10, 14, 19, 0, tzinfo=BST)),
        ("2008-10-14 night 01:00", datetime(2008, 10, 15, 1, 0, tzinfo=BST)),
    ],
)
def test_a_day_some_days_ago_or_a_part_of_a_day_with_its_time(
    text: str, expected: datetime
) -> None:
    assert at(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("last night", "'last night' needs its time, e.g. 'last night 23:00' "
                       "(night is 18:00 to 06:59)"),
        ("tonight", "'tonight' needs its time, e.g. 'tonight 23:00' (night is 18:00 to 06:59)"),
        ("this morning", "'this morning' needs its time, e.g. 'this morning 08:00' "
                         "(morning is 00:00 to 11:59)"),
        ("yesterday afternoon", "'yesterday afternoon' needs its time, e.g. 'yesterday "
                                "afternoon 14:30' (afternoon is 12:00 to 17:59)"),
        # the boundaries: one minute outside the night either side
        ("last night 17:59", "'last night 17:59': 17:59 is not in the night (18:00 to "
                             "06:59); write the day itself (15/10/2008 17:59)"),
        ("last night 07:00", "'last night 07:00': 07:00 is not in the night (18:00 to "
                             "06:59); write 'last night 19:00' or the day itself "
                             "(15/10/2008 07:00)"),
        ("last night 9:00", "'last night 9:00': 09:00 is not in the night (18:00 to 06:59); "
                            "write 'last night 21:00' or the day itself (15/10/2008 09:00)"),
        ("last night 12pm", "'last night 12pm': 12:00 is not in the night (18:00 to 06:59); "
                            "write the day itself (15/10/2008 12:00)"),
        ("this morning 12:00", "'this morning 12:00': 12:00 is not in the morning (00:00 to "
                               "11:59); write the day itself (16/10/2008 12:00)"),
        ("this afternoon 11:59", "'this afternoon 11:59': 11:59 is not in the afternoon "
                                 "(12:00 to 17:59); write the day itself (16/10/2008 11:59)"),
        ("this afternoon 18:00", "'this afternoon 18:00': 18:00 is not in the afternoon "
                                 "(12:00 to 17:59); write the day itself (16/10/2008 18:00)"),
        ("this evening 16:59", "'this evening 16:59': 16:59 is not in the evening (17:00 to "
                               "23:59); write the day itself (16/10/2008 16:59)"),
        ("this evening 7:00", "'this evening 7:00': 07:00 is not in the evening (17:00 to "
                              "23:59); write 'this evening 19:00' or the day itself "
                              "(16/10/2008 07:00)"),
        ("last night midnight", "'last night midnight': midnight could be the start or the "
                                "end of a day; write 00:00 for the start (12am), or 23:59 for "
                                "the end"),
        ("3 hours ago 19:00", "'3 hours ago 19:00': '3 hours ago' is already a time; give a "
                              "time of day after days, not hours ('2 days ago 19:30'), or the "
                              "time alone ('3 hours ago')"),
        ("2 days ago 25:00", "impossible time in '2 days ago 25:00'"),
        ("last night 19:75", "impossible time in 'last night 19:75'"),
    ],
)  # fmt: skip
def test_a_part_without_its_time_or_at_another_is_refused_saying_what_to_write(
    text: str, message: str
) -> None:
    with pytest.raises(DateInputError) as caught:
        at(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text",
    ["last night", "tonight", "this morning", "friday evening", "last night 9:00",
     "this evening 7:00", "last night 07:00"],
)  # fmt: skip
def test_every_form_a_refusal_offers_is_read(text: str) -> None:
    with pytest.raises(DateInputError) as caught:
        at(text)
    offered = re.findall(r"e\.g\. '([^']+)'|write '([^']+)'|the day itself \(([^)]+)\)",
                         str(caught.value))  # fmt: skip
    assert offered
    for form in (f for forms in offered for f in forms if f):
        at(form)


@pytest.mark.parametrize(
    "text",
    ["99999999 days ago 19:00", "3000000000 days ago", "3000000000 days ago 19:00",
     "99999999 weeks ago 10:00"],
)  # fmt: skip
def test_a_huge_number_of_days_is_out_of_range(text: str) -> None:
    with pytest.raises(DateOutOfRange, match="is out of range"):
        at(text)


def test_the_first_supported_day_is_reached_and_not_passed() -> None:
    now = datetime(1900, 1, 11, 12, tzinfo=UTC)
    assert at("10 days ago 10:00", now) == datetime(1900, 1, 1, 10, tzinfo=UTC)
    with pytest.raises(DateOutOfRange):
        at("11 days ago 10:00", now)


@given(days, st.integers(min_value=0, max_value=3000), clock_times)
def test_n_days_ago_at_a_time_is_that_calendar_day_at_that_wall_time(
    day: date, n: int, clock: time
) -> None:
    now = datetime.combine(day, time(12), tzinfo=UTC)
    got = at(f"{n} days ago {clock:%H:%M}", now)
    assert got == datetime.combine(day - timedelta(days=n), clock, tzinfo=UTC)
    assert got == at(f"{day - timedelta(days=n):%d/%m/%Y} {clock:%H:%M}", now)


@given(days, clock_times)
def test_last_night_is_yesterday_evening_or_today_before_seven(day: date, clock: time) -> None:
    now = datetime.combine(day, time(12), tzinfo=UTC)
    text = f"last night {clock:%H:%M}"
    if 7 <= clock.hour < 18:
        with pytest.raises(DateInputError, match="is not in the night"):
            at(text, now)
        return
    got = at(text, now)
    assert got.time() == clock
    assert got.date() == (day if clock.hour < 7 else day - timedelta(days=1))
    # never outside yesterday 18:00 .. today 06:59
    start = datetime.combine(day - timedelta(days=1), time(18), tzinfo=UTC)
    assert start <= got < start + timedelta(hours=13)


@given(st.sampled_from(sorted(DAY_PARTS)), clock_times)
def test_a_part_of_a_day_is_read_only_at_its_own_hours(name: str, clock: time) -> None:
    part = DAY_PARTS[name]
    text = f"yesterday {name} {clock:%H:%M}"
    if not part.covers(clock):
        with pytest.raises(DateInputError, match=f"is not in the {name}"):
            at(text)
        return
    got = at(text)
    assert got.time() == clock
    after_midnight = clock.hour < part.first
    assert got.date() == date(2008, 10, 16 if after_midnight else 15)


def test_across_the_year_end() -> None:
    now = datetime(2009, 1, 1, 10, tzinfo=LONDON)
    assert at("last night 23:00", now) == datetime(2008, 12, 31, 23, tzinfo=GMT)
    assert at("last night 01:00", now) == datetime(2009, 1, 1, 1, tzinfo=GMT)
    assert at("2 days ago 19:00", now) == datetime(2008, 12, 30, 19, tzinfo=GMT)


def test_the_autumn_repeated_hour_needs_its_name() -> None:
    now = datetime(2008, 10, 26, 12, tzinfo=LONDON)  # the clocks went back at 02:00
    with pytest.raises(DateInputError, match=r"happened twice .* give last night 01:30 BST"):
        at("last night 01:30", now)
    assert at("last night 01:30 BST", now) == datetime(2008, 10, 26, 0, 30, tzinfo=UTC)
    assert at("last night 01:30 GMT", now) == datetime(2008, 10, 26, 1, 30, tzinfo=UTC)
    later = datetime(2008, 10, 28, 12, tzinfo=LONDON)
    with pytest.raises(DateInputError, match="happened twice"):
        at("2 days ago 01:30", later)
    # either side of the repeated hour reads at once
    assert at("last night 00:59", now) == datetime(2008, 10, 26, 0, 59, tzinfo=BST)
    assert at("last night 02:00", now) == datetime(2008, 10, 26, 2, 0, tzinfo=GMT)


def test_the_spring_skipped_hour_is_refused() -> None:
    now = datetime(2009, 3, 29, 12, tzinfo=LONDON)  # the clocks went forward at 01:00
    with pytest.raises(DateInputError, match=r"did not happen .* give 00:59 or 02:00"):
        at("last night 01:30", now)
    with pytest.raises(DateInputError, match="did not happen"):
        at("1 day ago 01:30", datetime(2009, 3, 30, 12, tzinfo=LONDON))
    assert at("last night 02:00", now) == datetime(2009, 3, 29, 2, 0, tzinfo=BST)


@pytest.mark.parametrize("text", ["last night 23:00", "2 days ago 19:00", "this morning 8am"])
def test_a_file_may_not_hold_them(text: str) -> None:
    with pytest.raises(DateInputError, match="depends on the day it is read"):
        parse_datetime(text, NOW, written=True)


def test_where_the_time_must_be_ahead_a_weekdays_evening_is_the_next() -> None:
    thursday_afternoon = NOW
    got = parse_datetime("thursday evening 19:00", NOW, not_before=thursday_afternoon)
    assert got == datetime(2008, 10, 16, 19, tzinfo=BST)  # still to come today
    evening = datetime(2008, 10, 16, 20, tzinfo=LONDON)
    got = parse_datetime("thursday evening 19:00", evening, not_before=evening)
    assert got == datetime(2008, 10, 23, 19, tzinfo=BST)  # today's is past: a week on
    assert parse_datetime("tonight 19:30", NOW, not_before=NOW) == datetime(
        2008, 10, 16, 19, 30, tzinfo=BST
    )


def test_an_option_that_takes_a_day_refuses_the_time() -> None:
    with pytest.raises(TimeGiven):
        parse_date("2 days ago 19:00", NOW, day_only=True)
    assert parse_date("2 days ago", NOW, day_only=True) == date(2008, 10, 14)


def test_the_docs_give_every_part_of_the_day_with_its_hours() -> None:
    text = " ".join(DOCS.read_text(encoding="utf-8").split())
    for part in DAY_PARTS.values():
        assert f"{part.name} {part.hours}" in text, part
    for phrase in PART_PHRASES:
        assert f"`{phrase}" in text, phrase


# -- through the CLI -----------------------------------------------------------------------


@pytest.fixture
def replies(cli: Run, team: str) -> Run:
    ok(cli("pledge", "add", "CW01", "Replies", "--within", "24h", "--agreed", "01/01/2008"))
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week",
           "--agreed", "01/01/2008"))  # fmt: skip
    return cli


def stored(cli: Run, column: str) -> list[str]:
    import csv
    import io

    out = ok(cli("export", "actions")).stdout
    return [row[column] for row in csv.DictReader(io.StringIO(out))]


def test_log_and_respond_read_them(replies: Run) -> None:
    cli = replies
    ok(cli("log", "CW01-L2", "Patrol", "--when", "2 days ago 19:00"))
    ok(cli("log", "CW01-L1", "Call", "--received", "last night 23:00", "--when",
           "last night 01:30"))  # fmt: skip
    item = ok(cli("log", "CW01-L1", "Email", "--received", "this morning 08:00", "--open"))
    done = ok(cli("respond", item.stdout.strip(), "--when", "this afternoon 1pm"))
    assert done.stderr == f"action {item.stdout.strip()} dealt with after 5h, within 24h\n"
    assert stored(cli, "when") == [
        "2008-10-14T19:00:00+01:00",
        "2008-10-16T01:30:00+01:00",
        "2008-10-16T13:00:00+01:00",
    ]
    assert stored(cli, "received") == ["", "2008-10-15T23:00:00+01:00",
                                       "2008-10-16T08:00:00+01:00"]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--when", "last night"], "--when: 'last night' needs its time, e.g. 'last night "
                                   "23:00' (night is 18:00 to 06:59)"),
        (["--when", "last night 9:00"], "--when: 'last night 9:00': 09:00 is not in the night "
                                        "(18:00 to 06:59); write 'last night 21:00' or the "
                                        "day itself (15/10/2008 09:00)"),
        (["--received", "2 days ago 25:00", "--open"],
         "--received: impossible time in '2 days ago 25:00'"),
        (["--when", "tonight 19:00"], "--when 16/10 19:00 is in the future"),
        (["--when", "99999999 days ago 10:00"], "--when: '99999999 days ago 10:00' is out of "
                                                "range (supported dates are 1900-01-01 to "
                                                "2199-12-31)"),
    ],
)  # fmt: skip
def test_refusals_name_the_option_and_write_nothing(
    replies: Run, db: Path, args: list[str], message: str
) -> None:
    ref = "CW01-L1" if "--received" in args else "CW01-L2"
    fails(replies, db, "log", ref, "Call", *args, text=message)
