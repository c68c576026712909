"""Options shared by many commands, defined once so they read and behave the same everywhere."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from pledgetrack.cli.completion import complete_team
from pledgetrack.cli.context import AppContext
from pledgetrack.domain.numbers import ROWS
from pledgetrack.domain.periods import Period, parse_period, split_period
from pledgetrack.errors import InputError
from pledgetrack.render import Format, View

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table (terminal default), plain (default when piped), csv or json.",
    ),
]
TeamOption = Annotated[
    str | None,
    typer.Option(
        "--team",
        "-t",
        metavar="TEAM",
        help="Team code, e.g. CW01 (default: your default team).",
        autocompletion=complete_team,
    ),
]
TeamsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--team",
        "-t",
        metavar="TEAM",
        help="Team code; repeat for several (default: your default team, else all).",
        autocompletion=complete_team,
    ),
]
# the league table compares teams: a default team does not narrow it
LeagueTeamsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--team",
        "-t",
        metavar="TEAM",
        help="Team code; repeat for several (default all).",
        autocompletion=complete_team,
    ),
]
OfficerOption = Annotated[
    str | None,
    typer.Option("--officer", help="Who did it (default: $PLEDGETRACK_OFFICER)."),
]
# a command's one team, as its argument
TeamArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="TEAM",
        help="Team code, e.g. CW01 (default: your default team).",
        autocompletion=complete_team,
    ),
]


def _output_path(value: str) -> Path | None:
    """`-o -` is stdout, as for most tools; `-o ""` is a mistake, not the current folder
    (which is what `Path("")` would quietly make of it)."""
    if value == "-":
        return None
    if value == "":
        raise InputError(
            "--output: the path is empty (give a file name, or - for stdout)", field="output"
        )
    return Path(value)


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        parser=_output_path,  # the text as typed: "" and "-" mean what they say
        metavar="FILE",
        help="Write to FILE instead of stdout (- is stdout); it appears complete or not at all.",
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", help="At most N, newest first."),
]

_PERIOD_FORMS = (
    "2008-10, 'Oct 2008', 10/2008, october, 2008-Q4, 2008-W42, 2008, 'last month', "
    "'this week', a date, or A..B from the start of A to the end of B (2008-09..2008-11)"
)
PeriodOption = Annotated[
    str | None,
    typer.Option("--period", "-p", help=f"{_PERIOD_FORMS} (default this month)."),
]
PeriodsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--period",
        "-p",
        help=f"{_PERIOD_FORMS}; repeat it. A range of whole months, weeks, quarters or years "
        "(2008-07..2008-12) gives one row per unit, covering the same days (default this month).",
    ),
]
FromOption = Annotated[str | None, typer.Option("--from", help="Period start date (with --to).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Period end date (with --from).")]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Judge as things stood at this moment (default now)."),
]


WideOption = Annotated[
    bool, typer.Option("--wide", help="In a table, show every column whatever the width.")
]
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="A,B",
        help="Show only these columns, in this order (e.g. ref,status,actual).",
    ),
]


def view(wide: bool, columns: str | None) -> View:
    """`--wide` and `--columns a,b` as one View for `render`."""
    names = tuple(n.strip() for n in (columns or "").split(",") if n.strip())
    if columns is not None and not names:
        raise InputError("--columns needs at least one column name", field="columns")
    return View(wide, names)


def check_limit(limit: int | None) -> None:
    if limit is not None:
        ROWS.check("--limit", limit)


def resolve_period(
    actx: AppContext, period: str | None, from_: str | None, to: str | None, as_of: datetime
) -> Period:
    """--period, or --from/--to, read by the one period grammar (default this month)."""
    if period is not None and (from_ is not None or to is not None):
        raise InputError("give --period or --from/--to, not both")
    if from_ is not None or to is not None:
        if from_ is None or to is None:
            raise InputError("--from and --to go together")
        start, end = actx.day("--from", from_), actx.day("--to", to)
        assert start is not None and end is not None
        if end < start:
            raise InputError(f"--to {end} is before --from {start}")
        return Period(start, end, f"{start}..{end}")
    try:
        return parse_period(period or "this month", as_of.date())
    except InputError as exc:
        raise InputError(f"--period: {exc}") from None


def resolve_periods(actx: AppContext, texts: list[str] | None, as_of: datetime) -> list[Period]:
    """Each --period as given, a range of whole units split into one period per unit."""
    if not texts:
        return [resolve_period(actx, None, None, None, as_of)]
    found: list[Period] = []
    for text in texts:
        try:
            found.extend(split_period(text, as_of.date()))
        except InputError as exc:
            raise InputError(f"--period: {exc}") from None
    return found
