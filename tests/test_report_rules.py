"""Pure parts of the reports: plain words, escaping per format, and the inspection grades."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pledgetrack.domain.inspection import (
    Evidence,
    Grade,
    Measure,
    Overall,
    allowed_gap,
    grade,
    longest_gap,
    overall,
)
from pledgetrack.domain.periods import Period
from pledgetrack.domain.plain_words import (
    as_of_words,
    duration_words,
    moment_words,
    percent_words,
    period_words,
    plural,
    recorded_words,
    response_noun,
)
from pledgetrack.domain.rules import Status
from pledgetrack.domain.targets import Unit
from pledgetrack.reporting.escape import html_text, md_line, md_text, printable
from pledgetrack.services.hq_report import worst_teams

GMT = UTC


# -- plain words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "noun", "words"),
    [
        (1, "patrol", "1 patrol"),
        (0, "patrol", "0 patrols"),
        (9, "patrol", "9 patrols"),
        (2, "speed check", "2 speed checks"),
        (3, "emergency", "3 emergencies"),
        (2, "survey", "2 surveys"),
        (2, "box", "2 boxes"),
    ],
)
def test_plural(count: int, noun: str, words: str) -> None:
    assert plural(count, noun) == words


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (date(2008, 10, 1), date(2008, 10, 31), "October 2008"),
        (date(2008, 10, 1), date(2008, 12, 31), "October to December 2008"),
        (date(2008, 11, 1), date(2009, 1, 31), "November 2008 to January 2009"),
        (date(2008, 10, 6), date(2008, 10, 19), "6 to 19 October 2008"),
        (date(2008, 10, 1), date(2008, 10, 30), "1 to 30 October 2008"),  # not the whole month
        (date(2008, 10, 6), date(2008, 11, 2), "6 October to 2 November 2008"),
        (date(2008, 12, 29), date(2009, 1, 4), "29 December 2008 to 4 January 2009"),
        (date(2008, 10, 6), date(2008, 10, 6), "6 October 2008"),
    ],
)
def test_period_words(start: date, end: date, words: str) -> None:
    assert period_words(Period(start, end, "x")) == words


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (15, "15 minutes"),
        (60, "1 hour"),
        (99, "1 hour 39 minutes"),
        (24 * 60, "24 hours"),
        (72 * 60 - 1, "71 hours 59 minutes"),  # the edge: days from 72 hours
        (72 * 60, "3 days"),
        (31 * 24 * 60, "31 days"),
        (897 * 60, "37 days 9 hours"),
    ],
)
def test_duration_words(minutes: int, words: str) -> None:
    assert duration_words(minutes) == words


def test_moments_and_as_of_in_words() -> None:
    assert moment_words(datetime(2008, 11, 10, 19, 0, tzinfo=GMT)) == "Monday 10 November 2008, 7pm"
    assert moment_words(datetime(2008, 11, 10, 9, 30, tzinfo=GMT)) == (
        "Monday 10 November 2008, 9:30am"
    )
    assert moment_words(datetime(2008, 11, 10, 12, 0, tzinfo=GMT)).endswith(", 12pm")
    assert moment_words(datetime(2008, 11, 10, 0, 5, tzinfo=GMT)).endswith(", 12:05am")
    assert as_of_words(datetime(2008, 11, 1, tzinfo=GMT)) == "up to the end of 31 October 2008"
    assert as_of_words(datetime(2008, 11, 1, 0, 0, 1, tzinfo=GMT)) == (
        "at Saturday 1 November 2008, 12am"
    )


def test_what_figures_are_names_the_log_read_when_it_is_not_as_ofs() -> None:  # FRESH3 F22
    made = datetime(2008, 12, 2, 9, 0, tzinfo=GMT)
    assert recorded_words(datetime(2008, 11, 1, tzinfo=GMT), made) == (
        "for what was done up to the end of 31 October 2008",
        "as recorded by Tuesday 2 December 2008, 9am",
    )
    assert recorded_words(datetime(2008, 11, 3, 9, 30, tzinfo=GMT), made) == (
        "for what was done up to Monday 3 November 2008, 9:30am",
        "as recorded by Tuesday 2 December 2008, 9am",
    )
    # the default --as-of, now: one moment, in the same minute as the report
    assert recorded_words(made, made) == ("as recorded at Tuesday 2 December 2008, 9am",)
    assert recorded_words(made - timedelta(seconds=59), made) == recorded_words(made, made)
    assert recorded_words(made - timedelta(seconds=60), made)[1].startswith("as recorded by")
    assert recorded_words(made + timedelta(minutes=1), made)[0].startswith("for what was done")


def test_percentages_for_people_never_round_up_to_100() -> None:
    assert percent_words(85.71) == "86%"
    assert percent_words(99.6) == "99%"
    assert percent_words(100.0) == "100%"
    assert percent_words(0.4) == "0%"


# -- escaping ---------------------------------------------------------------------------


def test_html_text_shows_markup_literally() -> None:
    assert html_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert html_text("say \"hi\" & 'bye'") == "say &quot;hi&quot; &amp; &#x27;bye&#x27;"


def test_markdown_escapes_markup_and_keeps_parentheses() -> None:
    assert md_text("a*b_c `d` [x](y) <b> | ~") == r"a\*b\_c \`d\` \[x\](y) \<b\> \| \~"
    assert md_line("1. not a list") == r"1\. not a list"
    assert md_line("# not a heading") == r"\# not a heading"
    assert md_line("- not a bullet") == r"\- not a bullet"
    assert md_text("75.0") == "75.0"  # inside a table cell, a number stays a number
    assert md_text("Fish &amp; chips") == r"Fish \&amp; chips"  # not an entity: `&` shown
    assert md_text("Patrols #") == r"Patrols \#"  # would close a heading, unshown
    assert md_line("    four spaces") == "four spaces"  # would be a code block


_MD = MarkdownIt("commonmark").enable("table")
# each place a report's Markdown puts free text, and the only tags it may render to
_PLACES = [
    (md_line, "{}", {"p"}),  # a paragraph
    (md_line, "- {}", {"ul", "li"}),  # a list item
    (md_text, "# {}", {"h1"}),  # a heading
    (md_text, "**Outcome:** {}", {"p", "strong"}),  # a labelled paragraph
    (md_text, "| a |\n| --- |\n| {} |", {"table", "thead", "tbody", "tr", "th", "td"}),
]
_MARKUP = st.text(st.sampled_from(list("&;#*_`[]<>|~\\!-=+.)1 \tab:/")), max_size=14)
_ANY = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@settings(max_examples=300)
@given(st.one_of(_MARKUP, _ANY))
@example("Fish &amp; chips; &lt;b&gt; &copy; &#169;")
@example("    four spaces")
@example("#")
@example("Patrols ##  ")
@example("1) first")
def test_markdown_renders_the_text_as_typed_and_makes_no_markup(text: str) -> None:
    """Rendered by a CommonMark parser, escaped text is the text (its spaces aside, which
    HTML does not show) and no element the report did not write."""
    typed = " ".join(printable(text).split())
    for escape, place, tags in _PLACES:
        page = _MD.render(place.format(escape(text)))
        shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
        label = "Outcome: " if "Outcome" in place else "a " if "|" in place else ""
        assert shown == f"{label}{typed}".strip(), (place, page)
        assert set(re.findall(r"</?([a-z0-9]+)", page)) <= tags, (place, page)


def test_control_characters_are_shown_not_passed_on() -> None:
    assert printable("bell\x07 esc\x1b[31m") == "bell\\x07 esc\\x1b[31m"
    assert printable("two\nlines\r\nhere\ttab") == "two lines here tab"
    assert printable("rtl\u202eoverride") == "rtl\\u202eoverride"


# -- inspection grades ------------------------------------------------------------------


def evidence(**changes: object) -> Evidence:
    base: dict[str, object] = {
        "number": 7,
        "measure": Measure.FREQUENCY,
        "attached": True,
        "count": 3,
        "latest": date(2008, 10, 10),
        "months": (Status.GREEN,) * 3,
        "breaches": 0,
        "longest_gap_days": 31,
        "allowed_gap_days": 31,
    }
    base.update(changes)
    return Evidence(**base)  # type: ignore[arg-type]


def test_allowed_gap_is_the_longest_unit_over_the_count() -> None:
    assert allowed_gap(1, Unit.MONTH) == 31
    assert allowed_gap(2, Unit.WEEK) == 4
    assert allowed_gap(1, Unit.QUARTER) == 92
    assert allowed_gap(1, Unit.DAY) == 1


def test_longest_gap_counts_the_run_still_open_at_as_of() -> None:
    start, end = date(2008, 7, 1), date(2008, 10, 16)
    meetings = [date(2008, 7, 5), date(2008, 8, 4), date(2008, 9, 13)]
    assert longest_gap(meetings, start, end) == 40  # 4 Aug to 13 Sep
    assert longest_gap([date(2008, 7, 5)], start, end) == (end - date(2008, 7, 5)).days
    assert longest_gap([], start, end) == (end - start).days
    assert longest_gap([date(2008, 6, 1)], start, end) == (end - start).days  # before: ignored


def test_a_gap_of_exactly_what_is_allowed_is_good_one_day_more_is_not() -> None:
    assert grade(evidence(longest_gap_days=31))[0] is Grade.GOOD
    assert grade(evidence(longest_gap_days=32)) == (
        Grade.FAIR,
        "32 days without one; the commitment allows 31",
    )
    assert grade(evidence(longest_gap_days=62))[0] is Grade.FAIR
    assert grade(evidence(longest_gap_days=63))[0] is Grade.POOR


def test_month_statuses_grade_a_commitment() -> None:
    assert grade(evidence(months=(Status.GREEN, Status.RED, Status.GREEN))) == (
        Grade.POOR,
        "red in the month before",
    )
    assert grade(evidence(months=(Status.AMBER, Status.GREEN, Status.GREEN))) == (
        Grade.FAIR,
        "amber in 3 months ago",
    )
    assert grade(evidence(months=(Status.NO_DATA,) * 3))[0] is Grade.FAIR
    assert grade(evidence(count=0)) == (Grade.POOR, "nothing on record in the last 3 months")
    assert grade(evidence(attached=False))[0] is Grade.POOR


def test_response_commitments_grade_on_late_items() -> None:
    n4 = {"number": 4, "measure": Measure.RESPONSE, "longest_gap_days": None}
    assert grade(evidence(**n4, count=40)) == (Grade.GOOD, "all 40 on time in the last 3 months")
    assert grade(evidence(**n4, count=40, breaches=1)) == (
        Grade.FAIR,
        "1 of 40 late in the last 3 months",
    )
    nothing = grade(evidence(**n4, count=0, months=(Status.NO_DATA,) * 3))
    assert nothing[0] is Grade.FAIR  # no messages is no evidence, not a failure


def test_unmeasured_commitments_grade_on_what_is_on_record() -> None:
    none = {"measure": Measure.NONE, "longest_gap_days": None, "allowed_gap_days": None}
    assert grade(evidence(number=10, **none, count=2))[0] is Grade.GOOD
    assert grade(evidence(number=10, **none, count=0))[0] is Grade.FAIR
    assert grade(evidence(number=2, **none, count=0, contact_published=False))[0] is Grade.POOR
    assert grade(evidence(number=2, **none, count=0))[0] is Grade.FAIR


def grades(poor: tuple[int, ...] = (), fair: tuple[int, ...] = ()) -> dict[int, Grade]:
    return {
        n: Grade.POOR if n in poor else Grade.FAIR if n in fair else Grade.GOOD
        for n in range(1, 11)
    }


def test_overall_grade_rule() -> None:
    assert overall(grades())[0] is Overall.EXCELLENT
    assert overall(grades(fair=(1, 3)))[0] is Overall.GOOD
    assert overall(grades(fair=(1, 3, 5)))[0] is Overall.FAIR  # three fair: not Good
    assert overall(grades(fair=(4,)))[0] is Overall.FAIR  # a weak area of 2009 not good
    assert overall(grades(fair=(10,))) == (
        Overall.FAIR,
        "0 poor, 1 fair (N10); N10 not good (weak in 2009)",
    )
    assert overall(grades(poor=(1,)))[0] is Overall.FAIR
    assert overall(grades(poor=(1, 3)))[0] is Overall.FAIR
    assert overall(grades(poor=(1, 3, 5))) == (
        Overall.POOR,
        "3 poor (N1, N3, N5), 0 fair",
    )


def test_window_edges_in_words() -> None:
    # a sanity check on the constructed dates used elsewhere
    assert date(2008, 9, 13) - date(2008, 8, 4) == timedelta(days=40)


# -- the HQ report's worst team ---------------------------------------------------------


@pytest.mark.parametrize(
    ("figures", "worst"),
    [
        ([], None),
        ([(80.0, "CW01")], None),  # one team alone is no worse than anyone
        ([(100.0, "BL02"), (100.0, "CW01"), (100.0, "MH03")], None),  # all equal
        ([(50.0, "BL02"), (100.0, "CW01"), (100.0, "MH03")], "BL02"),
        ([(50.0, "MH03"), (50.0, "BL02"), (100.0, "CW01")], "BL02, MH03"),  # tied lowest
        # compared as shown, to 0.1: 66.67 and 66.66 both read 66.7
        ([(66.66, "BL02"), (66.67, "CW01")], None),
        ([(66.6, "BL02"), (66.7, "CW01")], "BL02"),
    ],
)
def test_the_worst_team_is_named_only_when_it_did_worse(
    figures: list[tuple[float, str]], worst: str | None
) -> None:
    assert worst_teams(figures) == worst


def test_a_pending_item_is_neither_on_time_nor_late() -> None:
    n9 = {"number": 9, "measure": Measure.RESPONSE, "longest_gap_days": None}
    assert grade(evidence(**n9, count=2, pending=1)) == (
        Grade.GOOD,
        "1 on time in the last 3 months; 1 pending, not yet due",
    )
    assert grade(evidence(**n9, count=3, breaches=1, pending=1)) == (
        Grade.FAIR,
        "1 of 2 late in the last 3 months; 1 pending, not yet due",
    )
    assert grade(evidence(**n9, count=1, pending=1, months=(Status.NO_DATA,) * 3)) == (
        Grade.FAIR,
        "nothing to judge yet in the last 3 months; 1 pending, not yet due",
    )


@pytest.mark.parametrize(
    ("title", "kinds", "noun"),
    [
        ("Report back on every resident report of drug dealing within 48 hours", [None], "report"),
        ("Answer every email within a day", [None, None], "email"),
        ("Call back every caller about parking", [], "call"),
        ("Keep residents informed within 2 days", [None], "message"),  # nothing named
        # the items' one kind, when every item has it
        ("Report back within 48 hours", ["message", "message"], "message"),
        ("Report back within 48 hours", ["message", None], "report"),
        ("Report back within 48 hours", ["message", "call"], "report"),
        ("Recalls of the reportage", [None], "message"),  # whole words only
    ],
)
def test_a_response_figure_counts_what_the_pledge_answers(
    title: str, kinds: list[str | None], noun: str
) -> None:
    assert response_noun(title, kinds) == noun
