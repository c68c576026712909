"""`agenda`: what the team must do to stay green, most urgent first (a view, always exit 0)."""

from __future__ import annotations

from typing import Annotated

import typer

from pledgetrack.cli.context import app_context
from pledgetrack.cli.options import FormatOption, TeamOption
from pledgetrack.errors import InputError
from pledgetrack.render import Column, render
from pledgetrack.services.agenda import agenda as build_agenda

AGENDA_COLUMNS = [
    Column("team", "Team"),
    Column("ref", "Ref"),
    Column("title", "Title"),
    Column("now", "Now"),
    Column("todo", "To do"),
    Column("due", "Due"),
    Column("kind", "Kind"),
]


def agenda(
    ctx: typer.Context,
    team: TeamOption = None,
    days: Annotated[
        int, typer.Option("--days", "-d", metavar="N", help="Look this many days ahead.")
    ] = 7,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="DATE", help="As things stood at this moment (default now)."
        ),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """What to do next to stay green: progress this week or month, open messages, deadlines."""
    actx = app_context(ctx)
    if days < 0:
        raise InputError(f"--days must be 0 or more, not {days}")
    moment = actx.when("--as-of", as_of)
    assert moment is not None
    chosen = actx.team(team)
    with actx.open(write=False) as store:
        items = build_agenda(store, moment, [chosen] if chosen else None, days)
    columns = AGENDA_COLUMNS[1:] if chosen else AGENDA_COLUMNS
    render(
        [i.row() for i in items],
        columns,
        fmt,
        actx.env,
        title=f"Agenda {chosen or 'all teams'}, next {days} days from {moment:%a %d/%m %H:%M}",
        empty="nothing due: every pledge is on track",
    )


def register(app: typer.Typer) -> None:
    app.command("agenda")(agenda)
