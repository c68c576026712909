"""`report update`, `report hq`, `report inspect` through the real CLI on real databases.

The Markdown update of the demo's October 2008 is a snapshot (tests/snapshots): a change of
wording shows up as a diff in review. Regenerate it with UPDATE_SNAPSHOTS=1 and read the diff.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import invoke
from helpers import Run, assert_error, fails, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode

SNAPSHOTS = Path(__file__).parent / "snapshots"
DEMO_MONTH = ("--period", "2008-10", "--as-of", "2008-11-01")
XSS = "<script>alert(1)</script>"


@pytest.fixture
def demo(env: Environment, tmp_path: Path) -> Callable[..., str]:
    """run(*args) -> stdout of `pledgetrack --db <demo db> *args`, the demo built once here."""
    path = tmp_path / "demo" / "demo.db"
    path.parent.mkdir()
    ok(invoke(["demo", "--out", str(path)], env))

    def run(*args: str) -> str:
        return ok(invoke(["--db", str(path), *args], env)).stdout

    return run


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: UPDATE_SNAPSHOTS=1"


def test_markdown_update_of_the_demo_month_is_the_snapshot(demo: Callable[..., str]) -> None:
    check_snapshot("update-CW01-2008-10.md", demo("report", "update", "CW01", *DEMO_MONTH))


def test_text_update_says_the_same_as_markdown(demo: Callable[..., str]) -> None:
    text = demo("report", "update", "CW01", *DEMO_MONTH, "--format", "txt")
    assert (
        "on track: 4 of 4 weeks kept, 12 patrols in the weeks ending in\n"
        "October 2008 (29 September to 26 October), 2 a week promised; the week from 27\n"
        "October ends in November, so its 1 patrol counts in November's figures"
    ) in text
    assert "Monday 10 November 2008, 7pm, Castle Community Centre, Castle Street." in text
    assert max(len(line) for line in text.splitlines()) <= 82  # wrapped for e-mail
    assert "\\" not in text and "**" not in text


def test_public_text_has_no_internal_codes_unless_refs(demo: Callable[..., str]) -> None:
    plain = demo("report", "update", "CW01", *DEMO_MONTH)
    assert not re.search(r"CW01|-[LN]\d", plain)
    with_refs = demo("report", "update", "CW01", *DEMO_MONTH, "--refs")
    assert "Castle Ward (CW01)" in with_refs
    assert "(CW01-L1)" in with_refs and "(CW01-N4)" in with_refs


def test_no_names_leaves_every_officer_and_the_sergeant_out(demo: Callable[..., str]) -> None:
    named = demo("report", "update", "CW01", *DEMO_MONTH)
    assert "PCSO Clarke" in named and "Sgt Asha Patel" in named
    for fmt in ("md", "html", "txt"):
        anon = demo("report", "update", "CW01", *DEMO_MONTH, "--no-names", "-f", fmt)
        assert not re.search(r"\b(PC|PCSO|Sgt) [A-Z]", anon), fmt
        assert "Officers" not in anon
        assert "group drinking in Castle Park moved on" in anon  # the outcome stays


class Page(HTMLParser):
    """Tags, attributes and text of a page, checked for well-nested elements."""

    VOID: ClassVar[set[str]] = {"meta", "br", "img", "input", "link", "hr", "rect", "line"}
    VOID |= {"polyline"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack[-3:], tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str) -> int:
        return sum(t == tag for t, _ in self.tags)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == []
    return page


def assert_self_contained(html: str) -> Page:
    page = parse(html)
    assert page.count("script") == 0
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)  # no event handlers
            if name in ("href", "src", "xlink:href", "action"):
                raise AssertionError(f"{tag} {name}={value}")
    assert not re.search(r"https?:|//[a-z]|url\(|@import", html, re.IGNORECASE)
    assert "<style>" in html and "@media print" in html and "size: A4" in html
    assert 'name="viewport"' in html
    return page


def test_html_update_is_one_self_contained_page(demo: Callable[..., str]) -> None:
    html = demo("report", "update", "CW01", *DEMO_MONTH, "-f", "html")
    page = assert_self_contained(html)
    text = " ".join(page.text)
    assert "You said: Anti-social behaviour in Castle Park" in text
    assert page.count("section") == 4  # one per local priority, one per meeting held
    assert page.count("h1") == 1


def test_hq_report_has_every_table_and_chart(demo: Callable[..., str]) -> None:
    html = demo("report", "hq", *DEMO_MONTH)
    page = assert_self_contained(html)
    # league, pledges by status, and one per measured national commitment (N3-N9)
    assert page.count("svg") == 1 + 7
    assert page.count("table") == 1 + 1 + 7 + 1  # and the falls since last month
    assert page.count("title") == 1 + 8 + page.count("g") + page.count("circle")
    assert page.count("desc") == 8
    labelled = [a for t, a in page.tags if t == "svg"]
    assert all(a["role"] == "img" and a["aria-labelledby"] for a in labelled)
    text = " ".join(page.text)
    assert "CW01" in text and "Market Harborough Rural" in text
    # the same twelve months, drawn and tabled: October's figures in both
    assert html == demo("report", "hq", *DEMO_MONTH)  # deterministic: the file can be diffed


def test_hq_markdown_carries_the_same_numbers(demo: Callable[..., str]) -> None:
    md = demo("report", "hq", *DEMO_MONTH, "--format", "md")
    assert "<svg" not in md
    assert "| 1 | CW01 | Castle Ward | 75.0 | 13 | 6 | 0 | 2 | 1 |" in md
    assert md.count("### N") == 7
    # N4: force average, worst team; months as people say them, not 2008-10
    assert "| October 2008 | 89.9 | 72.7 | BL02 | 3 |" in md
    # N5 in September: every team at 100%, so no team is named the worst
    assert "| September 2008 | 100.0 | 100.0 | all equal | 3 |" in md
    assert "3 teams, October 2008. Each pledge" in md  # no 2008-10-01..2008-10-31
    assert "## Biggest falls since last month (September 2008 to October 2008)" in md
    assert "| Team | Name | September 2008 % | October 2008 % | Change |" in md
    assert not re.search(r"\b2008-(0[89]|1[0-2])\b", md.split("## Pledges closed")[1])


def test_user_text_is_escaped_in_every_format(cli: Run, team: str, tmp_path: Path) -> None:
    ok(cli("team", "edit", team, "--name", f"Castle {XSS}", "--area", "A & B <i>"))
    ref = ok(cli("pledge", "add", team, XSS, "--agreed", "1/9/2008", "--meeting", "<b>")).stdout
    ok(cli("log", ref.strip(), f"**bold** {XSS}", "--when", "10/10/2008", "--highlight"))
    html = ok(cli("report", "update", team, "--period", "2008-10", "-f", "html")).stdout
    page = assert_self_contained(html)
    text = "".join(page.text)
    assert f"You said: {XSS}" in text  # shown literally, as typed
    assert f"**bold** {XSS}" in text
    assert "<i>" not in html.replace("&lt;i&gt;", "") and "<b>" not in html
    md = ok(cli("report", "update", team, "--period", "2008-10")).stdout
    assert r"\<script\>alert(1)\</script\>" in md and r"\*\*bold\*\*" in md
    hq = ok(cli("report", "hq", "--period", "2008-10")).stdout
    hq_page = assert_self_contained(hq)
    assert f"Castle {XSS}" in "".join(hq_page.text)


def test_output_file_and_its_refusals(cli: Run, team: str, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "update.html"
    result = ok(cli("report", "update", team, "-f", "html", "-o", str(out)))
    assert result.stdout == "" and f"wrote the update of team {team} to {out}" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    fails(
        cli,
        db,
        "report",
        "hq",
        "-o",
        str(tmp_path / "missing" / "hq.html"),
        text=f"cannot write {tmp_path / 'missing' / 'hq.html'}: No such file or directory",
    )
    for target in (db, Path(f"{db}-wal")):  # never over the database it reads
        message = fails(cli, db, "report", "hq", "-o", str(target))
        assert message.startswith(f"cannot write {target}: it is ")
    assert_error(cli("report", "update", "NOPE"), ExitCode.USAGE)
    assert_error(cli("report", "update", team, "--period", "2008-13"), ExitCode.USAGE)
    assert_error(cli("report", "inspect", team, "--as-of", "31/02/2008"), ExitCode.USAGE)


@pytest.mark.parametrize(("days", "status"), [(21, "on track"), (20, "nearly there")])
def test_the_update_says_how_many_units_were_kept_and_the_bar(
    cli: Run, team: str, days: int, status: str
) -> None:
    """FRESH4 G24: `on track: 21 actions in the days from ..., 1 a day promised` for a daily
    pledge kept on 21 of 30 days: the 70% bar, which makes it on track, was left out."""
    ref = ok(cli("pledge", "add", team, "School gates", "--at-least", "1", "--per", "day",
                 "--threshold", "70", "--agreed", "1/9/2008")).stdout.strip()  # fmt: skip
    for day in range(1, days + 1):
        ok(cli("log", ref, "gates", "--when", f"{day}/9/2008 15:15"))
    period = ("--period", "2008-09", "--as-of", "01/10/2008 00:00", "--format", "txt")
    text = " ".join(ok(cli("report", "update", team, *period)).stdout.split())
    assert (
        f"Where we are: {status}: {days} of 30 days kept, {days} actions in September 2008, "
        "1 a day in at least 70% of days promised"
    ) in text


def test_a_team_with_nothing_yet_gets_an_honest_update(cli: Run, team: str) -> None:
    md = ok(cli("report", "update", team, "--period", "2008-10")).stdout
    assert "No local pledges were in force in October 2008." in md
    assert "No date has been announced yet" in md
    ok(cli("next-meeting", team, "--when", "12/11/2008 19:30", "--place", "Castle Hall"))
    md = ok(cli("report", "update", team, "--period", "2008-10")).stdout
    assert "Wednesday 12 November 2008, 7:30pm, Castle Hall." in md


def test_hq_with_no_teams_and_with_one(cli: Run, db: Path, team: str) -> None:
    html = ok(cli("report", "hq", "--period", "2008-10")).stdout
    page = assert_self_contained(html)
    # no commitment has a figure yet (nothing logged, October still running): said once,
    # not seven empty charts
    assert page.count("svg") == 1
    md = ok(cli("report", "hq", "--period", "2008-10", "--format", "md")).stdout
    assert "1 team, October 2008" in md  # not "1 teams"
    assert md.count("No team had a figure in these twelve months for N3 Visible") == 1
    assert "### N3" not in md and "no team had a figure in these months" not in md


def test_hq_charts_start_at_the_first_month_with_a_figure(demo: Callable[..., str]) -> None:
    """The demo's autumn, not ten empty months: every chart over the same months, said."""
    md = demo("report", "hq", "--period", "2008-10", "--as-of", "2008-11-01", "--format", "md")
    assert "No team had a figure before September 2008: the charts start there." in md
    for n in range(3, 10):
        assert f"### N{n} " in md
    assert "2008-08" not in md and "2007-11" not in md
    html = demo("report", "hq", "--period", "2008-10", "--as-of", "2008-11-01")
    assert ">Sep 2008<" in html and ">Aug 2008<" not in html and ">Dec 2007<" not in html
    # the status bars count pledges: whole ticks only
    status = html[html.index("<svg") : html.index("</svg>")]
    assert "Pledges by status per team" in status
    assert re.findall(r">(\d+(?:\.\d+)?)</text>", status) == ["0", "2", "4", "6", "8", "10"]


def test_the_agreed_date_is_not_said_twice(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", team, "Parking", "--agreed", "10/9/2008",
           "--meeting", "PACT meeting, Castle Hall, 10 Sep 2008"))  # fmt: skip
    ok(cli("pledge", "add", team, "Litter", "--agreed", "8/10/2008", "--meeting", "PACT"))
    md = ok(cli("report", "update", team, "--period", "2008-10")).stdout
    assert "Agreed at PACT meeting, Castle Hall, 10 Sep 2008." in md
    assert "Agreed on 8 October 2008 at PACT." in md


def test_inspect_gaps_and_waits_are_written_alike(cli: Run, since_june: str) -> None:
    for day in ("2/7/2008", "1/8/2008", "20/9/2008"):
        ok(cli("meeting", since_june, "--when", f"{day} 19:00"))
    table = ok(cli("report", "inspect", since_june)).stdout
    assert "50 days (31 days)" in table  # the gap, as a wait is written: not "50 days (31)"


# -- inspection on constructed histories ------------------------------------------------
# The fixture clock is Thursday 16 October 2008: the window is July to September.


@pytest.fixture
def since_june(cli: Run, prepared: Callable[[str, Callable[[], None]], None]) -> str:
    prepared(
        "since-june",
        lambda: ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "1/6/2008")),
    )
    return "CW01"


def inspect(cli: Run, *args: str) -> dict[int, dict[str, object]]:
    data = json.loads(ok(cli("report", "inspect", "CW01", "-f", "json", *args)).stdout)
    return {int(c["commitment"][1:]): c for c in data["commitments"]}


def test_no_meeting_for_40_days_is_not_good_on_n7(cli: Run, since_june: str) -> None:
    for day in ("5/7/2008 19:00", "4/8/2008 19:00", "13/9/2008 19:00"):
        ok(cli("meeting", since_june, "--when", day))
    n7 = inspect(cli)[7]
    assert n7["months"] == ["green", "green", "green"]  # every month met on paper...
    assert n7["longest_gap_days"] == 40 and n7["allowed_gap_days"] == 31
    assert n7["grade"] == "fair"  # ...but 40 days without a meeting is not good
    assert n7["reason"] == "40 days without one; the commitment allows 31"


def test_a_meeting_every_month_within_31_days_is_good_on_n7(cli: Run, since_june: str) -> None:
    for day in ("1/7/2008", "31/7/2008", "31/8/2008", "30/9/2008"):
        ok(cli("meeting", since_june, "--when", f"{day} 19:00"))
    n7 = inspect(cli)[7]
    assert n7["longest_gap_days"] == 31  # 31 July to 31 August: exactly what is allowed
    assert n7["grade"] == "good"


def test_every_message_within_24_hours_for_three_months_is_good_on_n4(
    cli: Run, since_june: str
) -> None:
    for month in (7, 8, 9):
        for day in (3, 17):
            received = f"{day}/{month}/2008 10:00"
            answered = f"{day + 1}/{month}/2008 10:00"  # exactly 24 hours: in time
            ok(cli("message", since_june, "--received", received, "--when", answered))
    result = ok(cli("report", "inspect", since_june))
    n4 = inspect(cli)[4]
    assert (n4["grade"], n4["evidence"], n4["breaches"]) == ("good", 6, 0)
    assert n4["longest_wait_minutes"] == 24 * 60
    assert "N4 Messages answered within 24 hours" in result.stdout
    # one more message, a minute late, and it is no longer good
    ok(cli("message", since_june, "--received", "20/9/2008 10:00", "--when", "21/9/2008 10:01"))
    late = inspect(cli)[4]
    assert late["grade"] != "good" and late["breaches"] == 1


def test_inspect_exits_0_whatever_the_grades(cli: Run, since_june: str) -> None:
    result = ok(cli("report", "inspect", since_june, "--format", "table"))
    assert "Overall: Poor" in result.stdout  # nothing logged at all
    data = json.loads(ok(cli("report", "inspect", since_june, "-f", "json")).stdout)
    assert data["overall"]["grade"] == "Poor"
    assert data["window"] == {"start": "2008-07-01", "end": "2008-09-30"}
    assert len(data["commitments"]) == 10


def test_demo_inspection_as_of_november(demo: Callable[..., str]) -> None:
    data = json.loads(demo("report", "inspect", "MH03", "--as-of", "2008-11-01", "-f", "json"))
    n8 = next(c for c in data["commitments"] if c["commitment"] == "N8")
    assert n8["grade"] == "poor" and n8["longest_gap_days"] == 42
    assert data["overall"]["grade"] == "Poor"


@pytest.mark.parametrize(
    ("per", "patrols", "words"),
    [
        # the weeks ending in September, 1-28/09: 29/09 and 30/09 are in a week ending in
        # October, so September's figure leaves them out, as summary does
        ("week", 1, "1 patrol in the weeks ending in September 2008 (1 to 28 September), 1 a week"),
        ("month", 3, "3 patrols in September 2008, 1 a month"),
    ],
)
def test_the_update_gives_summarys_figure_and_says_which_units_it_counts(
    cli: Run, team: str, per: str, patrols: int, words: str
) -> None:
    ok(cli("pledge", "add", team, "Patrols", "--at-least", "1", "--per", per,
           "--action-kind", "patrol", "--agreed", "01/09/2008"))  # fmt: skip
    for day in ("10/09/2008", "29/09/2008", "30/09/2008"):
        ok(cli("log", f"{team}-L1", "Patrol", "--kind", "patrol", "--when", day))
    period = ("--period", "2008-09", "--as-of", "2008-10-01")
    row = ok(cli("summary", "--team", team, *period, "--format", "csv", "--columns", "ref,actual"))
    assert f"{team}-L1,{patrols}" in row.stdout.splitlines()
    update = ok(cli("report", "update", team, *period, "--format", "md")).stdout
    assert f"{words} promised" in update
    if per == "week":  # the 2 patrols of 29 and 30 September: said where they count
        assert (
            "promised; the week from 29 September ends in October, so its 2 patrols count in "
            "October's figures" in " ".join(update.split())
        )


def test_the_update_says_a_week_still_running_is_counted_next_month(cli: Run) -> None:
    """A fresh user's November 2026, in September 2008: "We did: 1 patrol" (on Tuesday the
    30th) beside "0 patrols" is true only if the resident is told the week from Monday 29
    September ends in October; a response item logged without a kind is what the pledge
    answers (a report), not an "action"."""
    ok(cli("team", "add", "CW09", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW09", "Two patrols a week", "--at-least", "2", "--per", "week",
           "--action-kind", "patrol", "--agreed", "01/08/2008"))  # fmt: skip
    ok(cli("pledge", "add", "CW09", "Report back on every resident report within 48 hours",
           "--within", "48h", "--agreed", "01/08/2008"))  # fmt: skip
    ok(cli("log", "CW09-L1", "Patrol", "--kind", "patrol", "--when", "30/09/2008 19:00"))
    ok(cli("log", "CW09-L2", "Dealing reported", "--received", "10/09/2008 10:00",
           "--when", "14/09/2008 10:00"))  # fmt: skip
    period = ("--period", "2008-09", "--as-of", "01/10/2008 12:00", "--format", "txt")
    text = " ".join(ok(cli("report", "update", "CW09", *period)).stdout.split())
    assert "We did: 1 patrol " in text
    assert (
        "behind: 0 of 4 weeks kept, 0 patrols in the weeks ending in September 2008 (1 to 28 "
        "September), "
        "2 a week promised; the week from 29 September ends in October, so its 1 patrol "
        "counts in October's figures"
    ) in text
    assert "We did: 1 report " in text
    assert "behind: 0 of 1 report dealt with within 48 hours" in text
    assert " action" not in text


def test_the_demos_announcements_were_made_in_2008(demo: Callable[..., str]) -> None:
    """Stamped at the October meeting, not when the demo was built: a 2008 update shows
    them from then on, and not before (F17)."""
    shown = "Monday 10 November 2008, 7pm, Castle Community Centre"
    args = ("report", "update", "CW01", "--period", "2008-10", "--format", "txt", "--as-of")
    assert shown not in demo(*args, "10/10/2008 20:29")
    assert shown in demo(*args, "10/10/2008 20:30")


# -- N9 judged alike by summary and inspect (one rule: rules.response_outcome) -----------


def n9_both(cli: Run, as_of: str) -> tuple[str, str]:
    """N9's detail in `summary` over the inspection window, and `report inspect`'s reason."""
    plain = ok(cli("summary", "-p", "2008-07..2008-09", "--as-of", as_of, "--format", "plain",
                   "--columns", "ref,status,detail")).stdout  # fmt: skip
    line = next(row for row in plain.splitlines() if row.startswith("CW01-N9 "))
    return " ".join(line.split()[1:]), str(inspect(cli, "--as-of", as_of)[9]["reason"])


def test_a_victim_contact_not_yet_due_is_pending_in_both(cli: Run, since_june: str) -> None:
    ok(cli("victim-update", since_june, "--case", "A1", "--when", "1/7/2008 10:00"))
    ok(cli("victim-update", since_june, "--case", "A1", "--when", "23/7/2008 10:00", "--final"))
    ok(cli("victim-update", since_june, "--case", "B2", "--when", "20/9/2008 10:00"))
    summary, reason = n9_both(cli, "16/10/2008 15:00")
    assert summary == "green median 22d, worst 22d, 1 pending"
    assert reason == "1 on time in the last 3 months; 1 pending, not yet due"  # not "all 2"
    n9 = inspect(cli)[9]
    assert (n9["grade"], n9["evidence"], n9["breaches"], n9["pending"]) == ("good", 2, 0, 1)


@pytest.mark.parametrize(
    ("as_of", "summary", "reason"),
    [  # B2's next contact is due 16/10/2008 10:00, 31 days after the contact of 15/9
        ("15/10/2008 10:00", "green median 24h, worst 24h, 1 pending",  # due tomorrow
         "1 on time in the last 3 months; 1 pending, not yet due"),
        ("16/10/2008 09:59", "green median 24h, worst 24h, 1 pending",  # due today
         "1 on time in the last 3 months; 1 pending, not yet due"),
        ("16/10/2008 10:00", "green median 24h, worst 24h, 1 pending",  # at the limit
         "1 on time in the last 3 months; 1 pending, not yet due"),
        ("16/10/2008 10:01", "red median 24h, worst 31d01m (open), 1 breached",  # a minute past
         "red in last month"),
    ],
)  # fmt: skip
def test_n9_due_tomorrow_today_and_past_alike(
    cli: Run, since_june: str, as_of: str, summary: str, reason: str
) -> None:
    ok(cli("victim-update", since_june, "--case", "A1", "--when", "2/7/2008 10:00"))
    ok(cli("victim-update", since_june, "--case", "A1", "--when", "3/7/2008 10:00", "--final"))
    ok(cli("victim-update", since_june, "--case", "B2", "--when", "15/9/2008 10:00"))
    assert n9_both(cli, as_of) == (summary, reason)


@pytest.mark.parametrize(
    ("answered", "summary", "reason"),
    [
        ("16/10/2008 10:00", "green median 31d, worst 31d",  # exactly 31 days: in time
         "1 on time in the last 3 months"),
        ("16/10/2008 10:01", "red median 31d01m, worst 31d01m, 1 breached",
         "red in last month"),
    ],
)  # fmt: skip
def test_n9_a_contact_exactly_31_days_on_is_in_time_in_both(
    cli: Run, since_june: str, answered: str, summary: str, reason: str
) -> None:
    ok(cli("victim-update", since_june, "--case", "B2", "--when", "15/9/2008 10:00"))
    ok(cli("victim-update", since_june, "--case", "B2", "--when", answered, "--final"))
    assert n9_both(cli, "16/10/2008 15:00") == (summary, reason)


def test_inspect_title_piped_is_short_lines_broken_between_phrases(
    cli: Run, since_june: str
) -> None:
    """Plain text is not wrapped to the terminal: the title was one line of 119 characters,
    which a terminal or pager broke mid-word at 80."""
    lines = ok(cli("report", "inspect", since_june, "--as-of", "2008-10-22 09:30")).stdout
    # as of another moment than now (16 October, 3pm): the log read is now's (F22)
    assert lines.splitlines()[:4] == [
        "CW01 Castle Ward: inspection readiness, evidence of July to September 2008",
        "for what was done up to Wednesday 22 October 2008, 9:30am",
        "as recorded by Thursday 16 October 2008, 3pm",
        "Overall: Poor (4 poor (N2, N3, N7, N8), 6 fair (N1, N4, N5, N6, N9, N10))",
    ]
    assert all(len(line) <= 80 for line in lines.splitlines()[:4])
    now = ok(cli("report", "inspect", since_june)).stdout
    assert now.splitlines()[1:3] == [
        "as recorded at Thursday 16 October 2008, 3pm",
        "Overall: Poor (4 poor (N2, N3, N7, N8), 6 fair (N1, N4, N5, N6, N9, N10))",
    ]
