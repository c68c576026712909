"""The HQ report as a document: league, pledges by status per team (stacked bars), each
national commitment over twelve months (lines), and the biggest falls since last month.

Every chart has its numbers in a table beside it, so Markdown (e-mail) loses nothing
but the picture.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from pledgetrack.domain.plain_words import closing_words, period_words, plural, recorded_words
from pledgetrack.domain.rules import Status
from pledgetrack.reporting.document import Block, Chart, Document, Group, Heading, Para, Table
from pledgetrack.reporting.svg import Bar, Category, Series, line_chart, stacked_bars
from pledgetrack.services.hq_report import Closed, HqReport, Trend

# The rule behind every % green, declared once (docs/reports.md says the same)
COUNTED = (
    "% green counts every pledge in force on any day of the period, judged as summary "
    "judges it: a pledge closed during the period is judged on its days up to the day it "
    "closed; closed before a whole week or month of its target had ended, it has nothing "
    "to judge and is counted under No data, out of the % green. So a closing can move a "
    "team's % green: every pledge closed in the period is listed below, with how it closed, "
    "how it was counted and its last monthly figure. A pledge closed before the period "
    "began is not counted; one closed after it ended was running throughout."
)

RAG = (Category("green", "#2e7d32"), Category("amber", "#f0a30a"), Category("red", "#c62828"))
AVERAGE_COLOUR = "#1d3c6e"
WORST_COLOUR = "#c62828"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def hq_document(report: HqReport) -> Document:
    words = period_words(report.period)
    league = report.league
    closed = Counter(c.team for c in report.closed)
    blocks: list[Block] = [
        Para(
            f"{plural(len(league), 'team')}, {words}. "
            "Each pledge is judged as the summary command judges it: green, amber or red; "
            "pledges with nothing to judge yet (no data, a deadline pending) and those not "
            "measured are counted in their own columns and left out of the % green.",
            css="meta",
        ),
        Para(COUNTED, css="meta"),
        *_sources(report),
        *_provisional(report, words),
        Heading(2, "League table"),
        Table(
            f"Teams by share of judged pledges green, {words}",
            (
                "#",
                "Team",
                "Name",
                "% green",
                "Pledges",
                "Green",
                "Amber",
                "Red",
                "No data",
                "Pending",
                "Not measured",
                "Closed in period",
            ),
            tuple(
                (
                    i,
                    line["team"],
                    line["team_name"],
                    _pct(line["green_pct"]),
                    line["pledges"],
                    line["green"],
                    line["amber"],
                    line["red"],
                    line["no_data"],
                    line["pending"],
                    line["not_measured"],
                    _closed_count(report, closed, line["team"]),
                )
                for i, line in enumerate(league, start=1)
            ),
            numeric=(True, False, False, True, True, True, True, True, True, True, True, True),
            empty="no teams to report on",
        ),
        Heading(2, f"Pledges closed in {words}"),
        *_closings_unknown(report),
        _closed_table(report, words),
        Heading(2, "Pledges by status, per team"),
        _status_chart(report, words),
        Heading(2, "National commitments over twelve months"),
    ]
    trends = _from_first_figure(report.trends)
    if trends:
        blocks.append(
            Para(
                "Each team's compliance % on the commitment, month by month: the force "
                "average of the teams with a figure, and the worst team's figure (dashed). "
                "Teams: how many had a figure that month; months with none are left out of "
                "the tables.",
            )
        )
    if trends and len(trends[0].months) < len(report.trends[0].months):
        blocks.append(
            Para(
                f"No team had a figure before {_month_words(trends[0].months[0])}: the charts "
                "start there."
            )
        )
    for trend in trends:  # heading, chart and table kept on one printed page
        heading = Heading(3, f"N{trend.number} {trend.title}")
        blocks.append(Group((heading, _trend_chart(trend)), css="trend"))
    unjudged = [t for t in report.trends if not any(t.teams_judged)]
    if unjudged:  # said once, not a section each (a team added with --no-national)
        names = ", ".join(f"N{t.number} {t.title}" for t in unjudged)
        blocks.append(Para(f"No team had a figure in these twelve months for {names}."))
    before, now = (_month_words(m) for m in report.compared)
    blocks.append(Heading(2, f"Biggest falls since last month ({before} to {now})"))
    blocks.append(
        Table(
            f"Share of judged pledges green, {before} and {now}",
            ("Team", "Name", f"{before} %", f"{now} %", "Change"),
            tuple(
                (f.team, f.team_name, _pct(f.before), _pct(f.now), f"{f.change:+.1f}")
                for f in report.fallers
            ),
            numeric=(False, False, True, True, True),
            empty="no team's share of green pledges fell",
        )
    )
    return Document(
        title=f"Policing Pledge: force report, {words}",
        blocks=tuple(blocks),
        footer=f"Figures {', '.join(recorded_words(report.as_of, report.made))}.",
    )


SOURCES_NAMED = 10


def _some(names: Sequence[str]) -> str:
    shown = ", ".join(names[:SOURCES_NAMED])
    more = len(names) - SOURCES_NAMED
    return shown if more <= 0 else f"{shown} and {more} more"


def _sources(report: HqReport) -> list[Block]:
    """What a report of several databases and files was made from, and by which rules."""
    if not report.sources:
        return []
    return [
        Para(
            f"Rolled up from {plural(len(report.sources), 'source')} as the rollup command "
            "combines them (the same figures counted once, final figures in place of "
            "provisional ones, sources that disagree refused): "
            f"{_some(report.sources)}.",
            css="meta",
        )
    ]


def _closed_count(report: HqReport, closed: Counter[str], team: str) -> int | str:
    """A team's pledges closed in the period; `not known` for a team only an `export
    summary` file sent, which does not say (FRESH6 I6: it read 0)."""
    known = report.closings_known
    return closed.get(team, 0) if known is None or team in known else "not known"


def _closings_unknown(report: HqReport) -> list[Block]:
    """An `export summary` file does not say which of its pledges closed: said, not hidden."""
    files = report.closings_unknown
    if not files:
        return []
    said = (
        f"an export summary file ({files[0]}) does not say which of its pledges closed"
        if len(files) == 1
        else f"export summary files ({_some(files)}) do not say which of their pledges closed"
    )
    return [
        Para(
            f"Listed from the databases given only: {said}, and the league counts each "
            "of them as the file judged it."
        )
    ]


def _provisional(report: HqReport, words: str) -> list[Block]:
    """Whether the figures may still change (export summary's `figures`), said before the
    league: a league of the 1st, with the month's last messages still open, is not final."""
    lines = [line for line in report.league if line["provisional"]]
    if not lines:
        return []
    if not report.ended:
        return [Para(f"Provisional: {words} had not ended when these figures were taken, so "
                     "every figure may still change.")]  # fmt: skip
    count = sum(line["provisional"] for line in report.league)
    total = sum(line["pledges"] for line in report.league)
    teams = ", ".join(f"{line['team']} {line['provisional']}" for line in lines)
    return [
        Para(
            f"Provisional: the figures of {count} of {plural(total, 'pledge')} may still "
            f"change ({teams}): items received in {words} (messages, victims' next "
            "contacts) were still open and in time when they were taken. The report made again "
            "once every item is answered or late has the final figures."
        )
    ]


def _closed_table(report: HqReport, words: str) -> Table:
    """Each pledge closed in the period: how, as what the league counted it, and its
    latest monthly figure, so a % green lifted by a withdrawn red pledge says so."""

    def last(closed: Closed) -> str:
        if closed.last_judged is None:
            return "none in twelve months"
        month, status = closed.last_judged
        return f"{_status_words(status)} in {_month_words(month)}"

    def counted(closed: Closed) -> str:
        said = _status_words(closed.counted)
        return f"{said} ({closed.detail})" if closed.detail else said

    return Table(
        f"Pledges closed in {words}, by team",
        ("Team", "Pledge", "Title", "Closed", "Counted this period as", "Last figure", "Outcome"),
        tuple(
            (
                c.team,
                c.ref,
                c.title,
                closing_words(c.status, c.closed_on, None),
                counted(c),
                last(c),
                c.outcome or "",
            )
            for c in report.closed
        ),
        empty=_none_closed(report, words),
    )


def _none_closed(report: HqReport, words: str) -> str:
    """No closing known: of every source, of the databases given, or none could say."""
    if not report.closings_unknown:
        return f"no pledge closed in {words}"
    if len(report.closings_unknown) < len(report.sources):
        return f"no pledge of the databases given closed in {words}"
    return "not known: no database was given"


def _status_words(status: Status) -> str:
    """`no data`, not `no-data`: the league's column headings."""
    return status.value.replace("-", " ")


def _month_words(label: str, *, short: bool = False) -> str:
    """A trend's month (`2008-09`) as people say it: `September 2008` (`Sep 2008` on a
    chart's axis, where twelve of them share the width)."""
    year, month = label.split("-")
    return f"{date(int(year), int(month), 1):{'%b %Y' if short else '%B %Y'}}"


def _from_first_figure(trends: Sequence[Trend]) -> list[Trend]:
    """The commitments some team had a figure for, from the first month any of them had one
    (the demo's autumn, not ten empty months), every chart over the same months."""
    judged = [t for t in trends if any(t.teams_judged)]
    if not judged:
        return []
    first = min(next(i for i, n in enumerate(t.teams_judged) if n) for t in judged)
    return [
        replace(
            t,
            months=t.months[first:],
            average=t.average[first:],
            worst=t.worst[first:],
            worst_team=t.worst_team[first:],
            teams_judged=t.teams_judged[first:],
        )
        for t in judged
    ]


def _status_chart(report: HqReport, words: str) -> Chart:
    league = report.league
    bars = [
        Bar(f"{line['team']} {line['team_name']}", (line["green"], line["amber"], line["red"]))
        for line in league
    ]
    counts = "; ".join(
        f"{line['team']}: {line['green']} green, {line['amber']} amber, {line['red']} red"
        for line in league[:20]
    )
    more = f"; and {len(league) - 20} more teams in the table" if len(league) > 20 else ""
    svg = stacked_bars(
        "status",
        f"Pledges by status per team, {words}",
        f"{counts}{more}." if league else "No teams.",
        RAG,
        bars,
        empty_note="no teams to report on",
    )
    table = Table(
        f"Pledges by status per team, {words}",
        ("Team", "Name", "Green", "Amber", "Red"),
        tuple(
            (line["team"], line["team_name"], line["green"], line["amber"], line["red"])
            for line in league
        ),
        numeric=(False, False, True, True, True),
        empty="no teams to report on",
    )
    return Chart(svg, "Green, amber and red pledges of each team, in league order.", table)


def _trend_chart(trend: Trend) -> Chart:
    ident = f"n{trend.number}"
    points = [
        f"{_month_words(month)}: average {_pct(avg) or 'none'}, worst {_pct(low) or 'none'}"
        for month, avg, low in zip(trend.months, trend.average, trend.worst, strict=True)
        if avg is not None
    ]
    desc = (
        f"N{trend.number} compliance % by month. " + "; ".join(points) + "."
        if points
        else f"No team had an N{trend.number} figure in these months."
    )
    svg = line_chart(
        ident,
        f"N{trend.number} {trend.title}: compliance % by month",
        desc,
        [_month_words(m, short=True) for m in trend.months],
        [
            Series("force average", trend.average, AVERAGE_COLOUR),
            Series("worst team", trend.worst, WORST_COLOUR, dashed=True),
        ],
        y_max=100,
        y_unit="%",
        empty_note="no team had a figure in these months",
    )
    table = Table(
        f"N{trend.number} {trend.title}, compliance % by month",
        ("Month", "Average %", "Worst %", "Worst team", "Teams"),
        tuple(
            (_month_words(month), _pct(avg), _pct(low), who or ("all equal" if n > 1 else ""), n)
            for month, avg, low, who, n in zip(
                trend.months,
                trend.average,
                trend.worst,
                trend.worst_team,
                trend.teams_judged,
                strict=True,
            )
            if n  # a month no team had a figure for is a gap in the chart, not a row
        ),
        numeric=(False, True, True, False, True),
        empty="no team had a figure in these months",
    )
    return Chart(svg, f"N{trend.number}: force average and worst team.", table)
