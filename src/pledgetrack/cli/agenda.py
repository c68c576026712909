"""`agenda`: what the team must do to stay green, most urgent first (a view, always exit 0)."""

from __future__ import annotations

from typing import Annotated

import typer

from pledgetrack.cli.context import app_context
from pledgetrack.cli.groups import Listing, option_groups
from pledgetrack.cli.options import TeamOption, as_of_option
from pledgetrack.domain.dates import short_datetime
from pledgetrack.errors import InputError
from pledgetrack.render import Column

MAX_DAYS = 366  # a year ahead: further than that is not an agenda

# What is due: what the line is about and what to do by when are read at 80 columns.
# What is an open item's description (the message, the victim update: the words that tell
# two messages apart), else the pledge's title (the ref says which pledge); it takes up to
# two lines, cut at a word after that, and is given room before Now and To do, which wrap;
# an open item's case or reference is kept beside it while it fits (a column with nothing
# in it is not shown); listing several teams, the team stays (a sergeant with several teams
# reads by it). Kind and the pledge's title are for programs: Now and To do say the kind in
# words, and What or the ref the pledge (`--columns` or `--wide` shows them)
AGENDA_COLUMNS = [
    Column("team", "Team"),
    Column("ref", "Ref"),
    Column("description", "What", truncate=True, max_lines=3, min_width=16),
    Column("now", "Now", wrap=True, min_width=11),
    Column("todo", "To do", wrap=True, min_width=10),
    Column("due", "Due"),
    Column("case", "Case/ref", priority=2),
    Column("kind", "Kind", programs=True),
    Column("title", "Pledge title", truncate=True, programs=True),
]


@option_groups
def agenda(
    ctx: typer.Context,
    team: TeamOption = None,
    days: Annotated[
        int, typer.Option("--days", "-d", metavar="N", help="Look this many days ahead.")
    ] = 7,
    as_of: Annotated[
        str | None, as_of_option("As things stood at this moment (default now).")
    ] = None,
    shown: Listing = Listing(),
) -> None:
    """What to do next to stay green: progress this week or month, open messages, deadlines."""
    from pledgetrack.domain.models import normalise_code
    from pledgetrack.services.agenda import agenda as build_agenda
    actx = app_context(ctx)
    if not 0 <= days <= MAX_DAYS:
        raise InputError(f"--days must be 0 to {MAX_DAYS}, not {days}", field="days")
    moment = actx.as_of(as_of)
    chosen = actx.team(team)
    with actx.open(create_if_missing=False) as store:
        due = build_agenda(store, moment, [chosen] if chosen else None, days, actx.env.tz)
    columns = AGENDA_COLUMNS[1:] if chosen else AGENDA_COLUMNS
    # nothing due is not all well: a pledge red this month is named, as `check` names it
    ahead = f"next {days} day{'' if days == 1 else 's'}"
    empty = f"nothing due in the {ahead}"
    if due.red:
        empty += f"; red in {due.month} so far: {', '.join(due.red)} (pledgetrack check says why)"
    else:
        empty += f"; no pledge is red in {due.month} so far"
    shown.show(
        [i.row() for i in due.items],
        columns,
        actx.env,
        # the team as stored (`CW01`), not as typed (`cw01`): the agenda found it so
        title=f"Agenda {normalise_code(chosen) if chosen else 'all teams'}, {ahead} "
        f"from {moment:%a} {short_datetime(moment, actx.env.tz, moment.year)}",
        empty=empty,
        year=moment.year,
    )


def register(app: typer.Typer) -> None:
    app.command("agenda")(agenda)
