"""Inline SVG charts for the HQ report: horizontal stacked bars and month-by-month lines.

Pure functions from numbers to SVG text: no JavaScript, no fonts or files fetched, and the
same input always gives the same bytes (coordinates are rounded to one decimal), so a
report can be diffed. Every chart carries a `<title>` and a `<desc>` that say in words
what it shows; the report puts a table of the same numbers beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pledgetrack.reporting.escape import html_text as escape

# The viewBox is narrow so that, scaled to a phone's width (about 360 CSS px), 13-unit text
# still reads at about 10 px; on a desktop the page caps the chart's width (see html.CSS).
WIDTH = 480
FONT = 13
CHAR_WIDTH = 7.6  # average width of a 13-unit sans-serif character, for laying out labels
ROW = 20  # height of one bar's row
BAR = 14
LABEL_CHARS = 20  # longer bar labels are cut with an ellipsis (the full text is in <title>)
TOP = 30
SCALE_ON_TOP_FROM = 25  # bars: more than this and the scale is also drawn along the top
BOTTOM = 36
LINE_HEIGHT = 230


@dataclass(frozen=True)
class Category:
    """One part of every stacked bar (green, amber, red) and its colour."""

    name: str
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[float, ...]  # one per category, in the categories' order


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per x label; None leaves a gap in the line
    colour: str
    dashed: bool = False


def _n(value: float) -> str:
    """A coordinate: one decimal, no `-0.0`, no trailing `.0`, so output is stable."""
    text = f"{round(value, 1) + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _label(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def nice_ticks(top: float, count: int = 5, *, whole: bool = False) -> list[float]:
    """0 and evenly spaced round steps (1, 2, 2.5 or 5 times a power of ten) reaching `top`;
    `whole` for counts (pledges): every step a whole number, never a tick at 0.5."""
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    steps_allowed = [m * power for m in (1, 2, 2.5, 5, 10)]
    if whole:  # a tenth of a pledge is no step: 1 at least
        steps_allowed = [max(1.0, m) for m in steps_allowed if float(m).is_integer() or m < 1]
    step = next(m for m in steps_allowed if m >= raw)
    steps = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(steps + 1)]


def _open(ident: str, title: str, desc: str, height: float, kind: str = "") -> list[str]:
    css = f' class="{kind}"' if kind else ""
    return [
        f'<svg{css} viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="sans-serif" font-size="{FONT}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def _empty(ident: str, title: str, desc: str, note: str) -> str:
    parts = _open(ident, title, desc, 60)
    parts.append(f'<text x="{WIDTH // 2}" y="34" text-anchor="middle">{escape(note)}</text>')
    return "\n".join([*parts, "</svg>"])


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "\u2026"


def stacked_bars(
    ident: str,
    title: str,
    desc: str,
    categories: Sequence[Category],
    bars: Sequence[Bar],
    *,
    empty_note: str = "no data",
) -> str:
    """One horizontal bar per item, its parts side by side, on a shared count axis.

    `ident` must be unique in the page (it names the title and desc elements).
    """
    if any(len(b.values) != len(categories) for b in bars):
        raise ValueError("every bar needs one value per category")
    if any(v < 0 or not math.isfinite(v) for b in bars for v in b.values):
        raise ValueError("bar values must be finite and not negative")
    if not bars:
        return _empty(ident, title, desc, empty_note)
    label_width = CHAR_WIDTH * max(len(_cut(b.label)) for b in bars) + 8
    left, right = label_width, WIDTH - 20
    # the bars count things (pledges): the axis says whole numbers
    ticks = nice_ticks(max(sum(b.values) for b in bars), whole=True)
    scale = (right - left) / ticks[-1]
    # a long chart repeats the scale along its top, so it can be read without scrolling down
    scale_on_top = len(bars) > SCALE_ON_TOP_FROM
    top = TOP + (16 if scale_on_top else 0)
    height = top + ROW * len(bars) + BOTTOM
    parts = _open(ident, title, desc, height)
    x_legend = left
    for cat in categories:  # the legend, across the top
        parts.append(
            f'<rect x="{_n(x_legend)}" y="8" width="11" height="11" fill="{cat.colour}"/>'
            f'<text x="{_n(x_legend + 15)}" y="18">{escape(cat.name)}</text>'
        )
        x_legend += 14 + CHAR_WIDTH * len(cat.name) + 14
    axis_y = top + ROW * len(bars)
    for tick in ticks:
        x = left + tick * scale
        parts.append(
            f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{_n(axis_y)}" stroke="#ccc"/>'
            f'<text x="{_n(x)}" y="{_n(axis_y + 14)}" text-anchor="middle">{_label(tick)}</text>'
        )
        if scale_on_top:
            parts.append(
                f'<text x="{_n(x)}" y="{_n(top - 5)}" text-anchor="middle">{_label(tick)}</text>'
            )
    for row, bar in enumerate(bars):
        y = top + row * ROW + (ROW - BAR) / 2
        total = sum(bar.values)
        counts = ", ".join(
            f"{_label(v)} {c.name}" for c, v in zip(categories, bar.values, strict=True)
        )
        parts.append(f"<g><title>{escape(bar.label)}: {escape(counts)}</title>")
        parts.append(
            f'<text x="{_n(left - 6)}" y="{_n(y + BAR - 2)}" text-anchor="end">'
            f"{escape(_cut(bar.label))}</text>"
        )
        x = left
        for cat, value in zip(categories, bar.values, strict=True):
            if value > 0:
                w = value * scale
                parts.append(
                    f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{BAR}" '
                    f'fill="{cat.colour}"/>'
                )
                x += w
        if total == 0:
            parts.append(f'<text x="{_n(left + 4)}" y="{_n(y + BAR - 2)}">none judged</text>')
        parts.append("</g>")
    parts.append(
        f'<line x1="{_n(left)}" y1="{top}" x2="{_n(left)}" y2="{_n(axis_y)}" stroke="#333"/>'
    )
    return "\n".join([*parts, "</svg>"])


def line_chart(
    ident: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float | None = None,
    y_unit: str = "",
    empty_note: str = "no data",
) -> str:
    """Lines over shared x labels (months); a None value breaks the line rather than
    pretending a figure. The y axis starts at 0 and reaches `y_max` (default: the data)."""
    if any(len(s.values) != len(x_labels) for s in series):
        raise ValueError("every series needs one value per x label")
    known = [v for s in series for v in s.values if v is not None]
    if any(not math.isfinite(v) for v in known):
        raise ValueError("line values must be finite")
    if not x_labels or not known:
        return _empty(ident, title, desc, empty_note)
    ticks = nice_ticks(y_max if y_max is not None else max(max(known), 0.0))
    low = min(0.0, min(known))
    left, right, top, bottom = 46.0, WIDTH - 36.0, 32.0, LINE_HEIGHT - 40.0
    span = ticks[-1] - low or 1.0
    # the latest month's label is centred under its point: the points stop half a label
    # short of the axis' end, so that label ends within the plot, not past its edge
    last = right - CHAR_WIDTH * len(x_labels[-1]) / 2
    step = (last - left) / max(len(x_labels) - 1, 1)

    def x_at(i: int) -> float:
        return left + i * step if len(x_labels) > 1 else (left + right) / 2

    def y_at(value: float) -> float:
        return bottom - (value - low) * (bottom - top) / span

    parts = _open(ident, title, desc, LINE_HEIGHT, "lines")
    x_legend = left
    for s in series:
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        parts.append(
            f'<line x1="{_n(x_legend)}" y1="13" x2="{_n(x_legend + 18)}" y2="13" '
            f'stroke="{s.colour}" stroke-width="2"{dash}/>'
            f'<text x="{_n(x_legend + 22)}" y="17">{escape(s.name)}</text>'
        )
        x_legend += 22 + CHAR_WIDTH * len(s.name) + 16
    for tick in ticks:
        y = y_at(tick)
        parts.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="#ddd"/>'
            f'<text x="{_n(left - 4)}" y="{_n(y + 4)}" text-anchor="end">'
            f"{_label(tick)}{escape(y_unit)}</text>"
        )
    # as many x labels as fit side by side, evenly spaced back from the last one
    widest = CHAR_WIDTH * max(len(t) for t in x_labels) + 10
    every = max(1, math.ceil(len(x_labels) / max(1, int((right - left + step) / widest))))
    for i, text in enumerate(x_labels):
        if (len(x_labels) - 1 - i) % every == 0:  # counted back from the latest month
            parts.append(
                f'<text x="{_n(x_at(i))}" y="{_n(bottom + 16)}" text-anchor="middle">'
                f"{escape(text)}</text>"
            )
    for s in series:
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x_at(i), y_at(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{s.colour}" '
                    f'stroke-width="2"{dash}/>'
                )
        for i, value in enumerate(s.values):
            if value is not None:
                parts.append(
                    f'<circle cx="{_n(x_at(i))}" cy="{_n(y_at(value))}" r="3" '
                    f'fill="{s.colour}"><title>{escape(s.name)}, {escape(x_labels[i])}: '
                    f"{_label(value)}{escape(y_unit)}</title></circle>"
                )
    parts.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" '
        'stroke="#333"/>'
    )
    return "\n".join([*parts, "</svg>"])
