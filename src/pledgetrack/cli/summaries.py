"""How a compliance summary prints: `summary`, and the table `demo` ends with, in one place
so the two cannot drift (per team, national commitments first; CSV flat; JSON one document)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from pledgetrack.cli.columns import target_words
from pledgetrack.cli.context import AppContext
from pledgetrack.cli.groups import Listing
from pledgetrack.domain.vocabulary import PledgeKind
from pledgetrack.records import json_value
from pledgetrack.render import (
    Column,
    Format,
    message,
    render_tables,
    resolve_format,
    trend_cell,
    write_listing_csv,
)

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.domain.periods import Period
    from pledgetrack.domain.trends import Trend
    from pledgetrack.services.compliance import PledgeResult, TeamSummary

# The detail says why a pledge is red (`0 of 3 weeks met`): read whole, wrapped, at 80
# columns beside the title; actual and expected (which the detail mostly says again) give
# way before either is cramped
SUMMARY_COLUMNS = [
    Column("pledge", "Ref"),
    Column("pledge_title", "Title", truncate=True, max_lines=2, room_first=False),
    Column("target", "Target", priority=4, truncate=True, min_width=14),
    Column("actual", "Actual", numeric=True, priority=3),
    Column("expected", "Expected", numeric=True, priority=3),
    Column("compliance_pct", "Compliance %", numeric=True),
    Column("status", "Status"),
    Column("last_action", "Last action", priority=5),
    Column("detail", "Detail", wrap=True),
]
# `--trend N`: in a table a sparkline (coloured by each period's status), else the numbers
TREND_COLUMN = Column("trend", "Trend", asked=True)
# The order of `export summary` (docs/export-schema.md) up to last_action, the
# human-readable detail, then the columns the export added later (kept after the detail, so
# that no column of this CSV moves either)
FLAT_COLUMNS = [
    Column("force", "Force"),
    Column("team", "Team", priority=2),
    Column("team_name", "Team name"),
    Column("pledge", "Ref"),
    Column("pledge_title", "Title", truncate=True, min_width=16),
    Column("pledge_type", "Type"),
    Column("target", "Target", priority=3, truncate=True, min_width=14),
    Column("period_start", "From"),
    Column("period_end", "To"),
    *SUMMARY_COLUMNS[3:],
    Column("figures", "Figures"),
]


def show_summary(
    actx: AppContext,
    chosen: Period,
    moment: datetime,
    teams: list[str] | None,
    shown: Listing,
    *,
    trend: int | None = None,
) -> None:
    """Judge the teams' pledges over `chosen` as at `moment` and print them as `shown`;
    then note on stderr each target changed since the period began (figures that shifted)."""
    from pledgetrack.services.compliance import summarise
    from pledgetrack.services.pledge_lifecycle import changes_noted, targets_changed_since
    from pledgetrack.services.trends import pledge_trends
    with actx.open(create_if_missing=False) as store:
        summaries = summarise(store, chosen, moment, teams)
        trends = pledge_trends(store, chosen, moment, teams, trend) if trend else None
        targets = {r.pledge.ref: r.pledge.target for s in summaries for r in s.results}
        # with --trend the periods before it are judged too: noted from the first of them
        judged = _judged_span(chosen, trend)
        changed = targets_changed_since(store, targets, judged.start, actx.env.tz)
    out = resolve_format(shown.fmt, actx.env)
    _show(actx, chosen, moment, summaries, trends, shown, out)
    for line in changes_noted(changed, judged):  # on stderr, after the figures
        message(line)


def _judged_span(chosen: Period, trend: int | None) -> Period:
    """The days a summary judges: its period, and with --trend the periods before it."""
    from pledgetrack.domain.periods import Period
    from pledgetrack.domain.trends import periods_back

    if not trend:
        return chosen
    first = periods_back(chosen, trend)[0]
    return Period(first.start, chosen.end, f"{first.label}..{chosen.label}")


def _show(
    actx: AppContext,
    chosen: Period,
    moment: datetime,
    summaries: list[TeamSummary],
    trends: dict[str, Trend] | None,
    shown: Listing,
    out: Format,
) -> None:
    from pledgetrack.domain.rules import detail_for_people
    from pledgetrack.services.league import team_line

    for_people = out.for_people

    def row(result: PledgeResult) -> dict[str, object]:
        line = result.row()
        if for_people:
            # the days in words as people read them, as the table's dates and check's
            # findings say them: `by 28/11`, `due 28/11, not delivered`, the year when not
            # the report's; CSV and JSON keep ISO
            if result.pledge.target.type == "deadline":
                line["target"] = target_words(result.pledge.target, chosen.start.year)
            line["detail"] = detail_for_people(result.judgement.detail, chosen.start.year)
        if trends is not None:
            line["trend"] = trend_cell(trends[result.pledge.ref], out)
        return line

    summary_columns = [*SUMMARY_COLUMNS, TREND_COLUMN] if trends else SUMMARY_COLUMNS
    flat_columns = [*FLAT_COLUMNS, TREND_COLUMN] if trends else FLAT_COLUMNS
    if out is Format.JSON:
        doc = {
            "period": {
                "label": chosen.label,
                "start": chosen.start.isoformat(),
                "end": chosen.end.isoformat(),
            },
            "as_of": moment.isoformat(timespec="seconds"),
            "teams": [
                {
                    **team_line(s),
                    "pledges": [{k: json_value(v) for k, v in row(r).items()} for r in s.results],
                }
                for s in summaries
            ],
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
        return
    if out is Format.CSV:
        write_listing_csv(
            (row(r) for s in summaries for r in s.results),
            shown.view.choose(flat_columns),
            sys.stdout,
        )
        return
    if not summaries:
        typer.echo("no teams to report on", err=True)
    # every team's tables laid out together: the same columns hidden in each
    tables: list[tuple[str | None, list[dict[str, object]], str]] = []
    for s in summaries:
        groups = _groups(s) or [("", [])]
        for i, (label, results) in enumerate(groups):
            heading = "\n".join(part for part in (_heading(s) if i == 0 else "", label) if part)
            empty = f"{heading}\n  no pledges in force during {chosen.label}"
            tables.append((heading, [row(r) for r in results], empty))
    render_tables(
        tables, summary_columns, out, actx.env, view=shown.view, year=chosen.start.year
    )


def _heading(summary: TeamSummary) -> str:
    """`CW01 Castle Ward, October 2008: 6 green, ...`: the period as people name it (`13 to
    19 October 2008` for a week)."""
    from pledgetrack.domain.plain_words import period_words
    from pledgetrack.services.league import team_line
    line = team_line(summary)
    share = (
        "no measured pledge judged"
        if line["green_pct"] is None
        else f"{line['green_pct']:g}% of judged pledges green"
    )
    missing = summary.unrecorded
    unlogged = f", {missing} with no hours logged (not green)" if missing else ""
    return (
        f"{summary.team.code} {summary.team.name}, {period_words(summary.period)}: "
        f"{line['green']} green, "
        f"{line['amber']} amber, {line['red']} red{unlogged}; {share}"
    )


def _groups(summary: TeamSummary) -> list[tuple[str, list[PledgeResult]]]:
    """National commitments first under their own sub-heading, then local pledges.

    A team without national pledges in the period prints as it always did, with no sub-heading.
    """
    national = [r for r in summary.results if r.pledge.kind is PledgeKind.NATIONAL]
    local = [r for r in summary.results if r.pledge.kind is not PledgeKind.NATIONAL]
    if not national:
        return [("", local)] if local else []
    return [("National Policing Pledge", national)] + ([("Local pledges", local)] if local else [])
