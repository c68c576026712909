"""The SVG chart module: scales, empty data, one bar, 600 bars, escaping, stable output."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgetrack.reporting.svg import (
    BAR,
    WIDTH,
    Bar,
    Category,
    Series,
    line_chart,
    nice_ticks,
    stacked_bars,
)

RAG = (Category("green", "#2e7d32"), Category("amber", "#f9a825"), Category("red", "#c62828"))


class Elements(HTMLParser):
    """Every element with its attributes, and the text of title/desc/text elements."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {"title": [], "desc": [], "text": []}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self._open and self._open[-1] == tag, (self._open, tag)
        self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] in self.texts:
            self.texts[self._open[-1]].append(data)

    def of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.found if t == tag]


def parse(svg: str) -> Elements:
    parser = Elements()
    parser.feed(svg)
    parser.close()
    assert not parser._open, "every element is closed"
    return parser


def test_nice_ticks_reach_the_top_in_round_steps() -> None:
    assert nice_ticks(10) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(12) == [0, 2.5, 5, 7.5, 10, 12.5]
    assert nice_ticks(0) == [0, 1]  # nothing to show still has an axis
    assert nice_ticks(float("nan")) == [0, 1]


def test_ticks_of_a_count_are_whole_numbers() -> None:
    """Two pledges' bars are not measured in halves (the axis read 0, 0.5, 1, 1.5, 2)."""
    assert nice_ticks(2, whole=True) == [0, 1, 2]
    assert nice_ticks(1, whole=True) == [0, 1]
    assert nice_ticks(12, whole=True) == [0, 5, 10, 15]
    assert nice_ticks(13, whole=True) == [0, 5, 10, 15]
    assert nice_ticks(10, whole=True) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0.05, whole=True) == [0, 1]


@given(st.floats(min_value=1e-6, max_value=1e9), st.booleans())
def test_whole_ticks_cover_the_top_in_whole_steps(top: float, whole: bool) -> None:
    ticks = nice_ticks(top, whole=whole)
    assert ticks[0] == 0 and ticks[-1] >= top * (1 - 1e-9)
    assert 2 <= len(ticks) <= 11 or (whole and top < 1)
    if whole:
        assert all(float(t).is_integer() for t in ticks)


@given(st.floats(min_value=1e-6, max_value=1e9))
def test_nice_ticks_always_cover_the_top_with_at_most_a_few_steps(top: float) -> None:
    ticks = nice_ticks(top)
    assert ticks[0] == 0 and ticks[-1] >= top * (1 - 1e-9)
    assert 2 <= len(ticks) <= 11
    steps = [b - a for a, b in itertools.pairwise(ticks)]
    assert steps == pytest.approx([steps[0]] * len(steps), rel=1e-6)


def test_stacked_bar_widths_are_proportional_to_the_counts() -> None:
    svg = stacked_bars(
        "rag",
        "Pledges by status",
        "Two teams",
        RAG,
        [Bar("CW01", (4, 2, 2)), Bar("BL02", (8, 0, 0))],
    )
    rects = [r for r in parse(svg).of("rect") if r.get("height") == str(BAR)]
    widths = [float(r["width"] or 0) for r in rects]
    # CW01: 4, 2 and 2 of a shared axis to 8; BL02: 8 green, no empty amber or red rects
    assert len(widths) == 4
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[1] == pytest.approx(widths[2])
    assert widths[3] == pytest.approx(sum(widths[:3]))
    assert [r["fill"] for r in rects] == ["#2e7d32", "#f9a825", "#c62828", "#2e7d32"]
    # the bars start at the axis, together
    assert rects[0]["x"] == rects[3]["x"]


def test_every_chart_says_what_it_shows_in_words() -> None:
    svg = stacked_bars("rag", "Pledges by status", "CW01: 4 green", RAG, [Bar("CW01", (4, 0, 1))])
    found = parse(svg)
    (root,) = found.of("svg")
    assert root["role"] == "img"
    assert root["aria-labelledby"] == "rag-title rag-desc"
    assert found.texts["title"][0] == "Pledges by status"
    assert found.texts["desc"] == ["CW01: 4 green"]
    assert "CW01: 4 green, 0 amber, 1 red" in found.texts["title"]
    assert "http" not in svg and "<script" not in svg


def test_one_bar_and_a_bar_with_nothing_judged() -> None:
    one = parse(stacked_bars("a", "t", "d", RAG, [Bar("CW01", (0, 0, 0))]))
    assert "none judged" in one.texts["text"]
    assert [r for r in one.of("rect") if r.get("height") == str(BAR)] == []


def test_no_bars_gives_a_small_chart_saying_so() -> None:
    svg = stacked_bars("a", "Pledges", "No team", RAG, [], empty_note="no teams to show")
    found = parse(svg)
    assert found.texts["text"] == ["no teams to show"]
    assert found.texts["title"] == ["Pledges"]


def test_six_hundred_teams_each_get_a_row_and_the_chart_grows_to_fit() -> None:
    bars = [
        Bar(f"T{i:03d} A team with a rather long name", (i % 7, i % 3, i % 2)) for i in range(600)
    ]
    svg = stacked_bars("rag", "t", "d", RAG, bars)
    found = parse(svg)
    assert len(found.of("g")) == 600
    (root,) = found.of("svg")
    height = float((root["viewbox"] or "").split()[3])
    assert height >= 600 * 20
    labels = [t for t in found.texts["text"] if t.startswith("T")]
    assert len(labels) == 600
    assert all(len(t) <= 20 for t in labels)  # cut, with the full name in the row's title
    assert labels[0].endswith("\u2026")
    assert svg == stacked_bars("rag", "t", "d", RAG, bars)  # deterministic


def test_bar_labels_and_titles_are_escaped() -> None:
    svg = stacked_bars("a", "<script>alert(1)</script>", "&", RAG, [Bar("<b>x</b>", (1, 0, 0))])
    assert "<script>" not in svg and "<b>" not in svg
    found = parse(svg)
    assert found.texts["title"][0] == "<script>alert(1)</script>"
    assert "<b>x</b>" in found.texts["text"]


def test_bad_bar_values_are_refused() -> None:
    with pytest.raises(ValueError):
        stacked_bars("a", "t", "d", RAG, [Bar("x", (1, 2))])
    with pytest.raises(ValueError):
        stacked_bars("a", "t", "d", RAG, [Bar("x", (1, -1, 0))])


MONTHS = ("2008-01", "2008-02", "2008-03", "2008-04")


def _points(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, p.split(","))) for p in (attrs["points"] or "").split()]  # type: ignore[misc]
        for attrs in parse(svg).of("polyline")
    ]


def test_line_scale_puts_zero_at_the_bottom_and_the_top_tick_at_the_top() -> None:
    svg = line_chart(
        "n4", "N4", "d", MONTHS, [Series("force", (0, 50, 100, 100), "#000")], y_max=100, y_unit="%"
    )
    (line,) = _points(svg)
    ys = [y for _, y in line]
    assert ys[2] == ys[3] < ys[1] < ys[0]
    assert ys[1] == pytest.approx((ys[0] + ys[2]) / 2)
    xs = [x for x, _ in line]
    assert xs == sorted(xs) and xs[1] - xs[0] == pytest.approx(xs[3] - xs[2])
    assert "100%" in parse(svg).texts["text"] and "0%" in parse(svg).texts["text"]


def test_a_missing_month_breaks_the_line_instead_of_inventing_a_figure() -> None:
    svg = line_chart("n4", "t", "d", MONTHS, [Series("worst", (80, 90, None, 70), "#c00")])
    runs = _points(svg)
    assert len(runs) == 1 and len(runs[0]) == 2  # Jan-Feb joined; Apr alone is a dot
    assert len(parse(svg).of("circle")) == 3


def test_one_month_is_a_dot_in_the_middle() -> None:
    svg = line_chart("n4", "t", "d", ("2008-10",), [Series("force", (75,), "#000")])
    assert _points(svg) == []
    (dot,) = parse(svg).of("circle")
    assert float(dot["cx"] or 0) == pytest.approx((46 + WIDTH - 36) / 2)


def test_empty_lines_say_so() -> None:
    assert "no figures yet" in line_chart("a", "t", "d", MONTHS, [], empty_note="no figures yet")
    none = line_chart("a", "t", "d", MONTHS, [Series("force", (None,) * 4, "#000")])
    assert parse(none).texts["text"] == ["no data"]
    assert parse(line_chart("a", "t", "d", (), [])).texts["text"] == ["no data"]


def test_line_values_must_match_the_labels() -> None:
    with pytest.raises(ValueError):
        line_chart("a", "t", "d", MONTHS, [Series("x", (1, 2), "#000")])
    with pytest.raises(ValueError):
        line_chart("a", "t", "d", MONTHS, [Series("x", (1, 2, float("inf"), 3), "#000")])


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50)),
        min_size=0,
        max_size=40,
    )
)
def test_bars_never_leave_the_chart(rows: list[tuple[int, int, int]]) -> None:
    svg = stacked_bars("a", "t", "d", RAG, [Bar(f"T{i}", r) for i, r in enumerate(rows)])
    for rect in parse(svg).of("rect"):
        right = float(rect["x"] or 0) + float(rect["width"] or 0)
        assert right <= WIDTH - 20 + 0.2
    assert not re.search(r"-0(?:\.0)?\b", svg)  # no negative zero coordinates


def test_twelve_month_labels_fit_side_by_side_and_the_latest_shows() -> None:
    months = tuple(f"2008-{m:02d}" for m in range(1, 13))
    svg = line_chart("a", "t", "d", months, [Series("force", (50.0,) * 12, "#000")], y_max=100)
    found = parse(svg)
    shown = [t for t in found.texts["text"] if t.startswith("2008-")]
    assert shown[-1] == "2008-12"
    xs = [
        float(a["x"] or 0)
        for a in found.of("text")
        if a.get("text-anchor") == "middle" and a.get("y") == found.of("text")[-1].get("y")
    ]
    gaps = [b - a for a, b in itertools.pairwise(xs)]
    assert gaps and min(gaps) >= 7.6 * 7  # no two labels overlap at 13-unit text


def test_a_long_chart_repeats_its_scale_along_the_top() -> None:
    def tick_labels(n: int) -> list[str]:
        svg = stacked_bars("a", "t", "d", RAG, [Bar(f"T{i}", (1, 1, 1)) for i in range(n)])
        return [t for t in parse(svg).texts["text"] if t.isdigit()]

    assert tick_labels(25).count("3") == 1  # short: the scale once, at the bottom
    assert tick_labels(26).count("3") == 2  # long: at the top as well


def test_control_characters_in_labels_are_shown_not_embedded() -> None:
    svg = stacked_bars("a", "t\x1b[31m", "d", RAG, [Bar("CW01\x07", (1, 0, 0))])
    assert "\x1b" not in svg and "\x07" not in svg
    assert "CW01\\x07" in parse(svg).texts["text"]


def test_the_latest_month_label_ends_within_the_plot() -> None:
    """The last label is centred under the latest point, and the axis runs on past it by
    at least half the label: `2026-11` no longer hangs over the plot's right edge."""
    months = tuple(f"2026-{m:02d}" for m in range(1, 12))
    svg = line_chart("a", "t", "d", months, [Series("force", (50.0,) * 11, "#000")], y_max=100)
    found = parse(svg)
    label = [a for a in found.of("text") if a.get("text-anchor") == "middle"][-1]
    axis_end = float(found.of("line")[-1]["x2"] or 0)
    half = 7.6 * len("2026-11") / 2
    assert float(label["x"] or 0) + half <= axis_end
    dots = [float(a["cx"] or 0) for a in found.of("circle")]
    assert dots[-1] == float(label["x"] or 0)  # still under its point
