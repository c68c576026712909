"""`report update|hq|inspect`: what residents, headquarters and inspectors are shown.

Thin: read the options, ask a service for the report's data, hand it to a renderer, write
the text to stdout or (`-o`) to a file that appears complete or not at all.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pledgetrack.cli.context import AppContext, app_context
from pledgetrack.cli.documents import HqFormat, UpdateFormat, hq_text, update_text
from pledgetrack.cli.groups import (
    check_output,
    judged_period,
    output_format,
    view,
    write_output,
)
from pledgetrack.cli.options import (
    AsOfOption,
    ColumnsOption,
    OutputOption,
    PeriodOption,
    TeamArgument,
    WideOption,
    format_option,
)
from pledgetrack.domain.periods import Period
from pledgetrack.render import Column, Format, message, render

app = typer.Typer(
    help="Reports for residents (update), headquarters (hq) and inspection readiness (inspect).",
    no_args_is_help=True,
)


class InspectFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def _when_and_period(
    actx: AppContext, period: str | None, as_of: str | None, output: Path | None
) -> tuple[datetime, Period]:
    """Every option checked before the database is opened: -o's folder, --as-of, --period."""
    check_output(output, [actx.db_path])  # never over the database we read
    return judged_period(actx, period, None, None, as_of, said=True)  # published


def _write(text: str, output: Path | None, what: str, database: Path) -> None:
    write_output(output, [database], lambda out: out.write(text))
    if output is not None:
        message(f"wrote {what} to {output}")


@app.command("update")
def update(
    ctx: typer.Context,
    team: TeamArgument = None,
    period: PeriodOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[
        UpdateFormat | None,
        format_option("md (for e-mail), html or txt (default: -o FILE's extension, else md)."),
    ] = None,
    output: OutputOption = None,
    no_names: Annotated[
        bool, typer.Option("--no-names", help="Leave officers' names out (the sergeant's too).")
    ] = False,
    refs: Annotated[
        bool, typer.Option("--refs", help="Show internal references (CW01-L1) beside the text.")
    ] = False,
) -> None:
    """The team's public update in "You said, we did" form, for residents."""
    from pledgetrack.domain.models import normalise_code
    from pledgetrack.services.pledge_lifecycle import target_change_notes
    actx = app_context(ctx)
    code = actx.required_team(team)
    written = output_format(output, fmt, UpdateFormat.MD)
    moment, chosen = _when_and_period(actx, period, as_of, output)
    with actx.open(create_if_missing=False) as store:
        text = update_text(store, code, chosen, moment, written, names=not no_names, refs=refs)
        notes = target_change_notes(store, chosen, moment, actx.env.tz, [code])
    _write(text, output, f"the update of team {normalise_code(code)}", actx.db_path)
    for line in notes:  # residents' figures judged by a target they were not promised
        message(line)
    if period is None:
        _month_just_begun(moment, chosen)


def _month_just_begun(moment: datetime, chosen: Period) -> None:
    """An update of the month by default, in its first days (`check`'s grace window, when
    PACT meetings and newsletters happen): most likely last month's was meant."""
    from pledgetrack.domain.plain_words import period_words
    from pledgetrack.services.check import RECENT_DAYS

    days = (moment.date() - chosen.start).days + 1
    if chosen.contains(moment.date()) and days <= RECENT_DAYS:
        message(
            f"note: {period_words(chosen)} has run {days} day{'s' if days > 1 else ''} so far; "
            "for last month's update give --period last-month"
        )


@app.command("hq")
def hq(
    ctx: typer.Context,
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="DB_OR_CSV...",
            help="Team databases and/or `export summary` CSV files, as rollup takes them "
            "(default: the one --db).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    period: PeriodOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[
        HqFormat | None,
        format_option("html or md (for e-mail) (default: -o FILE's extension, else html)."),
    ] = None,
    output: OutputOption = None,
) -> None:
    """The force report for headquarters: league, charts of every team and commitment.

    Of the one database (--db), or of what the teams send: their databases and `export
    summary` files, rolled up as `rollup` rolls them up (the same figures once, final in
    place of provisional, conflicts refused naming both), for the period and the twelve
    months before it that the charts show.
    """
    actx = app_context(ctx)
    written = output_format(output, fmt, HqFormat.HTML)
    if not inputs:
        from pledgetrack.services.pledge_lifecycle import target_change_notes

        moment, chosen = _when_and_period(actx, period, as_of, output)
        with actx.open(create_if_missing=False) as store:
            text = hq_text(store, chosen, moment, written)
            notes = target_change_notes(store, chosen, moment, actx.env.tz)
        _write(text, output, "the HQ report", actx.db_path)
        for line in notes:  # a league place moved by a target edited since the month
            message(line)
        return
    from pledgetrack.cli.documents import hq_report_text
    from pledgetrack.domain.plain_words import plural
    from pledgetrack.services.hq_report import build_hq_from

    actx.use_configured_zone()  # each input is judged in the zone it records
    check_output(output, inputs)  # never over a database or file it reads
    moment, chosen = judged_period(actx, period, None, None, as_of, said=True)
    report = build_hq_from(
        inputs, chosen, moment, actx.env.now(), actx.env.tz, actx.input_opener(), note=message
    )
    text = hq_report_text(report, written)
    write_output(output, inputs, lambda out: out.write(text))
    if output is not None:
        message(f"wrote the HQ report of {plural(len(inputs), 'source')} to {output}")


INSPECT_COLUMNS = [
    Column("commitment", "Commitment", truncate=True, min_width=16),
    Column("evidence", "Evidence", numeric=True, priority=3),
    Column("latest", "Latest", priority=3),
    Column("gap", "Longest gap or wait (allowed)", priority=4, wrap=True),
    Column("breaches", "Breaches", numeric=True, priority=2),
    Column("grade", "Grade"),
    Column("reason", "Reason", priority=2, wrap=True, min_width=20),
]


# `--breaches`: one row per breached item, declared once (docs/reports.md lists them)
BREACH_COLUMNS = [
    Column("commitment", "Commitment", min_width=4),
    Column("id", "Id", numeric=True),
    Column("received", "Received"),
    Column("answered", "Answered"),
    Column("waited", "Waited", priority=3),
    Column("limit", "Limit", priority=4),
    Column("late_by", "Late by"),
    Column("officer", "Officer", priority=3, truncate=True, min_width=8),
    Column("ref", "Ref", priority=2),
    Column("description", "Description", priority=2, truncate=True, min_width=12),
]
_FORMATS = {
    InspectFormat.TABLE: Format.TABLE,
    InspectFormat.CSV: Format.CSV,
    InspectFormat.JSON: Format.JSON,
}


@app.command("inspect")
def inspect(
    ctx: typer.Context,
    team: TeamArgument = None,
    as_of: AsOfOption = None,
    breaches: Annotated[
        bool,
        typer.Option(
            "--breaches",
            help="List the breached items instead: each message, call or contact answered "
            "late or still open past its limit, with when it came in and how late.",
        ),
    ] = False,
    wide: WideOption = False,
    pick: ColumnsOption = None,
    fmt: Annotated[InspectFormat | None, format_option("table (default), csv or json.")] = None,
) -> None:
    """Inspection readiness: each national commitment graded good/fair/poor, and overall.

    Graded as the 2009 inspection graded forces (docs/reports.md); exit 0 whatever the
    grades, since the report was produced. --breaches names the items behind the
    Breaches column, the evidence an inspector asks for.
    """
    from pledgetrack.reporting.inspect import (
        breach_rows,
        breached,
        breaches_title,
        inspect_json,
        inspect_rows,
        inspect_title,
    )
    from pledgetrack.services.inspection import build_inspection

    actx = app_context(ctx)
    code = actx.required_team(team)
    moment = actx.as_of(as_of, said=True)  # published
    shown = view(wide, pick)
    with actx.open(create_if_missing=False) as store:
        report = build_inspection(store, code, moment)
    chosen = None if fmt is None else _FORMATS[fmt]
    if breaches:
        rows, columns, title = breach_rows(report), BREACH_COLUMNS, breaches_title(report)
    elif fmt is InspectFormat.JSON:
        sys.stdout.write(json.dumps(inspect_json(report), indent=2, ensure_ascii=False) + "\n")
        return
    else:
        rows, columns, title = inspect_rows(report), INSPECT_COLUMNS, inspect_title(report)
    empty = "no item breached in these months"
    render(rows, columns, chosen, actx.env, title=title, view=shown, empty=empty)
    late = len(breached(report))
    if breaches:
        return
    if late and fmt is not InspectFormat.CSV:
        message(
            f"note: {late} item{'s' if late > 1 else ''} breached; "
            f"`pledgetrack report inspect {report.team.code} --breaches` lists "
            f"{'them' if late > 1 else 'it'}"
        )


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="report")
