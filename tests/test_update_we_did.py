"""`report update`'s "We did": what was done, by kind, with the days, in plain words; never
an action's description (unless marked --highlight, under Results), its reference or the
received details of an item; short for a pledge with many actions. The clock is NOW,
Thursday 16 October 2008."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import fixed_clock
from helpers import LONDON, Run, ok
from pledgetrack.domain.plain_words import DAYS_LISTED, days_words

PRIVATE = "Spoke to the victim, Mrs Ann Smith of 12 Acacia Avenue"


@pytest.fixture
def team(cli: Run) -> str:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Anti-social behaviour in Castle Park", "--at-least", "2",
           "--per", "week", "--agreed", "01/09/2008"))  # fmt: skip
    return "CW01-L1"


def log(cli: Run, when: str, kind: str = "patrol", *more: str) -> None:
    ok(cli("log", "CW01-L1", PRIVATE, "--kind", kind, "--when", when, *more))


def update(cli: Run, period: str = "2008-10", *more: str, fmt: str = "txt") -> str:
    args = ("report", "update", "CW01", "--period", period, "--as-of", "16/10/2008 12:00")
    return " ".join(ok(cli(*args, "--format", fmt, *more)).stdout.split())


def we_did(text: str) -> str:
    found = re.search(r"We did: (.*?) (Working with|Results|Officers|Where we are):", text)
    assert found, text
    return found.group(1)


def test_the_kinds_and_days_done_in_plain_words(cli: Run, team: str) -> None:
    log(cli, "04/10/2008 19:00")
    log(cli, "11/10/2008 19:00")
    log(cli, "11/10/2008 21:00")
    log(cli, "07/10/2008 10:00", "leaflet-drop")
    assert we_did(update(cli)) == "3 patrols on 4 and 11 October; 1 leaflet drop on 7 October"


def test_an_action_at_midnight_belongs_to_its_new_day(cli: Run, team: str) -> None:
    log(cli, "30/09/2008 23:59")
    log(cli, "01/10/2008 00:00")
    assert we_did(update(cli)) == "1 patrol on 1 October"
    assert we_did(update(cli, "2008-09")) == "1 patrol on 30 September"


def test_days_are_listed_up_to_the_limit_then_counted(cli: Run, team: str) -> None:
    for day in range(1, DAYS_LISTED + 1):
        log(cli, f"{day}/10/2008 19:00")
    assert we_did(update(cli)) == "8 patrols on 1, 2, 3, 4, 5, 6, 7 and 8 October"
    log(cli, "15/10/2008 19:00")
    assert we_did(update(cli)) == "9 patrols on 9 days from 1 to 15 October"


def test_many_actions_of_many_kinds_stay_one_short_line(cli: Run, team: str) -> None:
    kinds = ("patrol", "visit", "leaflet", "letter", "meeting", "stop", "speed-check")
    for n, kind in enumerate(kinds):
        for day in range(1, 15 - n):
            log(cli, f"{day}/10/2008 {9 + n}:00", kind)
    did = we_did(update(cli))
    assert did == (
        "14 patrols on 14 days from 1 to 14 October; 13 visits on 13 days from 1 to 13 "
        "October; 12 leaflets on 12 days from 1 to 12 October; 11 letters on 11 days from "
        "1 to 11 October; 10 meetings on 10 days from 1 to 10 October; 17 other actions on "
        "9 days from 1 to 9 October"
    )


def test_nothing_private_reaches_the_public(cli: Run, team: str) -> None:
    log(cli, "04/10/2008 19:00", "patrol", "--ref", "INC-0042", "--officer", "PC Jones")
    ok(cli("pledge", "add", "CW01", "Report back on every report within 48 hours",
           "--within", "48h", "--agreed", "01/09/2008"))  # fmt: skip
    ok(cli("log", "CW01-L2", PRIVATE, "--received", "09/10/2008 08:15", "--when",
           "10/10/2008 09:00", "--ref", "CR/CW01/7/08"))  # fmt: skip
    for fmt in ("txt", "md", "html"):
        text = update(cli, fmt=fmt)
        assert "Mrs Ann Smith" not in text and "Acacia" not in text
        assert "INC-0042" not in text and "CR/CW01" not in text
        assert "8:15" not in text and "08:15" not in text
    text = update(cli)
    assert "We did: 1 patrol on 4 October Officers: PC Jones" in text
    assert "We did: 1 report dealt with on 10 October" in text
    assert "PC Jones" not in update(cli, "2008-10", "--no-names")


def test_a_highlighted_action_is_quoted_as_the_team_wrote_it(cli: Run, team: str) -> None:
    log(cli, "04/10/2008 19:00", "patrol", "--highlight")
    text = update(cli)
    assert we_did(text) == "1 patrol on 4 October"
    assert f"Results: - 4 October 2008: {PRIVATE}" in text


def test_a_highlight_renders_in_markdown_as_the_team_wrote_it(
    cli: Run, team: str, tmp_path: Path
) -> None:
    """Through a CommonMark parser (markdown-it, which rich brings): an entity typed stays
    the text typed, not its character (`&amp;` showed as `&`, ATTACK4 A13)."""
    typed = ["Fish &amp; chips; &lt;b&gt; not bold &copy; &#169;", "A&B's *own* <i>", "#"]
    for n, text in enumerate(typed):
        ok(cli("log", "CW01-L1", "--when", f"0{n + 4}/10/2008 19:00", "--highlight", "--", text))
    out = tmp_path / "update.md"
    ok(cli("report", "update", "CW01", "--period", "2008-10", "--as-of", "16/10/2008 12:00",
           "-o", str(out)))  # fmt: skip
    page = MarkdownIt("commonmark").render(out.read_text(encoding="utf-8"))
    results = page[page.index("Results") :]
    items = re.findall(r"<li>(.*?)</li>", results, flags=re.S)[: len(typed)]
    days = ["4 October 2008", "5 October 2008", "6 October 2008"]
    assert [html.unescape(item) for item in items] == [
        f"{day}: {text}" for day, text in zip(days, typed, strict=True)
    ]


@pytest.mark.parametrize(
    ("days", "said"),
    [
        ([date(2008, 10, 4)], "on 4 October"),
        ([date(2008, 10, 11), date(2008, 10, 4), date(2008, 10, 4)], "on 4 and 11 October"),
        (
            [date(2008, 9, 30), date(2008, 10, 2), date(2008, 10, 9)],
            "on 30 September and on 2 and 9 October",
        ),
        ([date(2008, 12, 30), date(2009, 1, 2)], "on 30 December 2008 and on 2 January 2009"),
        (
            [date(2008, 12, d) for d in range(1, 9)] + [date(2009, 1, 3)],
            "on 9 days from 1 December 2008 to 3 January 2009",
        ),
    ],
)
def test_days_words(days: list[date], said: str) -> None:
    assert days_words(days) == said


@pytest.mark.parametrize(
    ("now", "note"),
    [
        (datetime(2008, 10, 1, 0, 0, tzinfo=LONDON), "October 2008 has run 1 day so far"),
        (datetime(2008, 10, 7, 23, 59, tzinfo=LONDON), "October 2008 has run 7 days so far"),
        (datetime(2008, 10, 8, 0, 0, tzinfo=LONDON), None),  # check's grace window is over
    ],
)
def test_the_default_month_in_its_first_days_points_at_last_month(
    cli_with: Callable[..., Run], now: datetime, note: str | None
) -> None:
    """FRESH3 F17: run on the 1st, the update of "this month" is nearly empty."""
    cli = cli_with(clock=fixed_clock(now))
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    said = ok(cli("report", "update", "CW01")).stderr
    expected = f"note: {note}; for last month's update give --period last-month\n" if note else ""
    assert said == expected
    assert ok(cli("report", "update", "CW01", "--period", "this-month")).stderr == ""
