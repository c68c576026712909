"""`summary`, `overview` and `check`: compliance for people, for HQ and for cron."""

from __future__ import annotations

from typing import Annotated

import typer

from pledgetrack.cli.columns import NATIONAL_PRIORITY, OVERVIEW_COLUMNS
from pledgetrack.cli.context import CLOSED_PIPE_STATUS, app_context, bulk_report
from pledgetrack.cli.groups import JudgedPeriod, Listing, option_groups
from pledgetrack.cli.options import AllTeamsOption, AsOfOption, TeamsOption
from pledgetrack.cli.summaries import show_summary
from pledgetrack.domain.trends import MAX_TREND
from pledgetrack.errors import InputError
from pledgetrack.exitcodes import ExitCode
from pledgetrack.render import Column, Format, resolve_format


@option_groups
def summary(
    ctx: typer.Context,
    team: TeamsOption = None,
    judged: JudgedPeriod = JudgedPeriod(),
    trend: Annotated[
        int | None,
        typer.Option(
            "--trend",
            metavar="N",
            help="Add each pledge's compliance over the last N periods of the same length.",
        ),
    ] = None,
    shown: Listing = Listing(),
) -> None:
    """Compliance per team and pledge for a period: actual, expected, %, RAG status."""
    actx = app_context(ctx)
    moment, chosen = judged.resolve(actx)
    if trend is not None and not 2 <= trend <= MAX_TREND:
        raise InputError(f"--trend must be 2 to {MAX_TREND} periods, not {trend}", field="trend")
    with bulk_report():
        show_summary(actx, chosen, moment, actx.teams(team), shown, trend=trend)


SORT_KEYS = {c.key for c in OVERVIEW_COLUMNS}
# HQ's side-by-side view: each team's status on every measured national commitment
def _national_columns() -> list[Column]:
    from pledgetrack.domain.national import MEASURED
    from pledgetrack.domain.rules import Status

    # `no-data` as a dash: the seven measured commitments fit 80 columns beside the counts
    no_data = ((Status.NO_DATA.value, "\N{EN DASH}", "no data: nothing to judge in the period"),)
    return [
        Column(f"n{n}", f"N{n}", priority=NATIONAL_PRIORITY, short=no_data) for n in MEASURED
    ]


@option_groups
def overview(
    ctx: typer.Context,
    team: AllTeamsOption = None,
    judged: JudgedPeriod = JudgedPeriod(),
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="Column to sort by: green_pct (default, best first), red, team, ... "
            "Prefix with - to reverse.",
        ),
    ] = "green_pct",
    shown: Listing = Listing(),
) -> None:
    """One row per team: the force league table for a period."""
    from pledgetrack.services.compliance import summarise
    from pledgetrack.services.league import sort_by, team_line
    from pledgetrack.services.national import statuses as national_statuses
    actx = app_context(ctx)
    moment, chosen = judged.resolve(actx)
    key, reverse = sort.lstrip("-"), sort.startswith("-")
    if key not in SORT_KEYS:
        raise InputError(f"--sort must be one of {', '.join(sorted(SORT_KEYS))}, not {sort!r}")
    from pledgetrack.domain.plain_words import period_words
    with bulk_report():
        with actx.open(create_if_missing=False) as store:
            rows = [
                {**team_line(s), **{f"n{n}": v for n, v in national_statuses(s).items()}}
                for s in summarise(store, chosen, moment, team, last_action=False, words=False)
            ]
        sort_by(rows, key, reverse=reverse)
        shown.show(
            rows,
            [*OVERVIEW_COLUMNS, *_national_columns()],
            actx.env,
            title=f"Overview {period_words(chosen)}",  # `September to November 2008`
            empty="no teams to report on",
        )


@option_groups
def check(
    ctx: typer.Context,
    team: TeamsOption = None,
    as_of: AsOfOption = None,
    warn: Annotated[
        str, typer.Option("--warn", help="Warn about open items this close to breach.")
    ] = "4h",
    stale: Annotated[
        str, typer.Option(
            "--stale",
            help="Flag active pledges with no action for this long, or for their own unit "
            "(a month for a monthly pledge) if that is longer.",
        )
    ] = "14d",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing; the exit status says it all.")
    ] = False,
    shown: Listing = Listing(),
) -> None:
    """For cron: list what needs action. Exit 0 when nothing, 1 when there are findings.

    --format as for every listing: a table on a terminal, plain text (a headed table) when
    piped, or csv/json. With findings the exit status is 1 even if the reader of the output
    closes the pipe early (`check | head -1`). Nothing is printed when nothing needs action,
    except on a terminal.
    """
    from pledgetrack.services.check import find_problems
    actx = app_context(ctx)
    moment = actx.as_of(as_of)
    warn_minutes = _duration("--warn", warn)
    stale_minutes = _duration("--stale", stale)
    if stale_minutes < 24 * 60:
        raise InputError(f"--stale must be at least a day (1d), not {stale!r}")
    stale_days = stale_minutes // (24 * 60)
    with bulk_report():
        with actx.open(create_if_missing=False, quiet=quiet) as store:
            findings = find_problems(
                store,
                moment,
                actx.teams(team),
                warn_minutes=warn_minutes,
                stale_days=stale_days,
                tz=actx.env.tz,
            )
        status = ExitCode.PROBLEMS_FOUND if findings else ExitCode.OK
        ctx.meta[CLOSED_PIPE_STATUS] = status  # `check | head -1` still found something
        if not quiet and (
            findings or shown.fmt in (Format.CSV, Format.JSON) or actx.env.stdout_isatty
        ):
            # people read times as tables show them; CSV and JSON carry the stored form
            people = resolve_format(shown.fmt, actx.env).for_people
            shown.show(
                [f.as_dict(for_people=people) for f in findings],
                _finding_columns(),
                actx.env,
                empty="nothing needs action",
            )
    if status:
        raise typer.Exit(status)


def _finding_columns() -> list[Column]:
    """check's columns: the four people read (the message read whole), then the fields for
    programs (services.check.FINDING_FIELDS), in CSV and JSON and with --wide/--columns."""
    from pledgetrack.services.check import FINDING_FIELDS

    shown = [
        Column("team", "Team", priority=2),
        Column("ref", "Ref"),
        Column("kind", "Kind"),
        Column("message", "Message", wrap=True, min_width=20),  # the finding: read whole
    ]
    assert [c.key for c in shown] == [f.name for f in FINDING_FIELDS[: len(shown)]]
    return shown + [
        Column(f.name, f.name.replace("_", " ").capitalize(), programs=True)
        for f in FINDING_FIELDS[len(shown) :]
    ]


def _duration(option: str, text: str) -> int:
    from pledgetrack.domain.targets import parse_duration
    try:
        return parse_duration(text)
    except InputError as exc:
        raise InputError(f"{option}: {exc}") from None


def register(app: typer.Typer) -> None:
    app.command("summary")(summary)
    app.command("overview")(overview)
    app.command("check")(check)
