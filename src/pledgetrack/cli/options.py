"""Options more than one command takes, declared once so they read and behave the same.

An option's names, short flag, metavar, completion and parsing live here. Where every
command describes it in the same words the declaration is an alias (`TeamOption`); where
each command says what the value means for it (`--when`: "When the team arrived."), a
function takes that help text (`when_option(help)`) and the command writes
`Annotated[str, when_option("...")]`. Options only one command group takes (`--sergeant`)
are declared once at the top of that group's module. Options taken together (`Listing`,
`JudgedPeriod`, `ExportFile`) are groups, in `cli/groups.py`.

Nothing here renders, reads a period or writes a file: `log` imports these declarations,
and nothing it does not use comes with them (docs/performance.md, Start-up).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pledgetrack.cli.completion import complete_pledge, complete_team
from pledgetrack.domain.numbers import ROWS
from pledgetrack.errors import InputError, field_name

if TYPE_CHECKING:
    from pledgetrack.cli.context import AppContext


def _option(*names: str, **settings: Any) -> Callable[[str], Any]:
    """An option declared once by its names and settings; each command gives its own help."""

    def with_help(help: str) -> Any:
        return typer.Option(*names, help=help, **settings)

    return with_help


format_option = _option("--format", "-f", case_sensitive=False)  # help: the formats written
team_option = _option("--team", "-t", metavar="TEAM", autocompletion=complete_team)
# what an action's options say (log, the national shortcuts; cli/entry.new_action reads them)
when_option = _option("--when", "-w")  # read by AppContext.when
received_option = _option("--received")  # when a message or call came in
open_option = _option("--open")  # received, not dealt with yet (`respond ID` later)
kind_option = _option("--kind", "-k")
hours_option = _option("--hours")
abstracted_option = _option("--abstracted")  # hours away from the neighbourhood (N3)
note_option = _option("--note")
# go ahead without asking (without a terminal nobody can be asked; else see `confirmed`)
yes_option = _option("--yes", "-y")


def confirmed(question: str) -> bool:
    """A [y/N] question on stderr, for what --yes skips: every command asks through here.
    End of input (Ctrl-D) is the default, No, as typing n is (click calls it an abort,
    which would exit 130 as an interrupt does); Ctrl-C stays an interrupt."""
    try:
        return typer.confirm(question, default=False, err=True)
    except typer.Abort as exc:
        if not isinstance(exc.__context__, EOFError):
            raise
        typer.echo(err=True)  # the answer's line break, which end of input did not type
        return False
include_void_option = _option("--include-void")
# dates: a period's bounds, or a listing's (what happened on or between them)
from_option = _option("--from")
to_option = _option("--to")
as_of_option = _option("--as-of", metavar="DATE")  # read by AppContext.moment


def team_argument(help: str) -> Any:
    """A command's one team, as its argument, completing team codes."""
    return typer.Argument(metavar="TEAM", help=help, autocompletion=complete_team)


_DEFAULT_TEAM = "Team code, e.g. CW01 (default: your default team)."
TeamOption = Annotated[str | None, team_option(_DEFAULT_TEAM)]


def _one_team_each(values: list[str] | None) -> list[str] | None:
    """A repeatable --team takes one code each time (a code has no comma), as --pledge and
    every other repeatable option do: `--team CW01,BL02` says so, not `unknown team`."""
    for value in values or ():
        if "," in value:
            codes = [c.strip() for c in value.split(",") if c.strip()]
            repeated = " ".join(f"--team {c}" for c in codes)
            raise InputError(
                f"--team takes one team code, not {value!r}; repeat --team for each team: "
                f"{repeated}",
                field="team",
            )
    return values


_teams_option = _option(
    "--team", "-t", metavar="TEAM", autocompletion=complete_team, callback=_one_team_each
)
TeamsOption = Annotated[
    list[str] | None,
    _teams_option("Team code; repeat for several (default: your default team, else all)."),
]
# the league table compares teams and the exports feed HQ pipelines: a default team
# narrows neither (docs/cli.md, "Default team")
AllTeamsOption = Annotated[
    list[str] | None, _teams_option("Team code; repeat for several (default all).")
]
TeamArgument = Annotated[str | None, team_argument(_DEFAULT_TEAM)]
# a team that must exist and be named: no default team stands in for it
TeamCodeArgument = Annotated[str, team_argument("Team code, e.g. CW01.")]
PledgeRefArgument = Annotated[
    str,
    typer.Argument(
        metavar="REF", help="Pledge reference, e.g. CW01-L1.", autocompletion=complete_pledge
    ),
]
officer_option = _option("--officer")  # read by new_action and respond, default the env's
OfficerOption = Annotated[
    str | None, officer_option("Who did it (default: $PLEDGETRACK_OFFICER).")
]
ExtRefOption = Annotated[
    str | None,
    typer.Option(
        "--ref", help="External id (e.g. incident or crime number); several actions may share one."
    ),
]


def typed_path(option: str, value: str, hint: str) -> Path:
    """A file path as typed: `""` is a mistake, not the current folder (which is what
    `Path("")` would quietly make of it)."""
    if value == "":
        raise InputError(f"{option}: the path is empty ({hint})", field=field_name(option))
    return Path(value)


def _output_path(value: str) -> Path | None:
    """`-o -` is stdout, as for most tools. A name with a space at either end (`"x.json "`,
    a slip in a quoted name) or ending in `/` (a folder, which Path drops) is refused: its
    extension chose no format, and CSV went into `x.json ` without a word."""
    if value == "-":
        return None
    if value.endswith(("/", os.sep)):
        raise InputError(
            f"-o {value}: ends with {value[-1]}, which names a folder; give a file's name "
            f"(e.g. {value.rstrip('/' + os.sep) or '.'}/summary.csv)",
            field="output",
        )
    name = Path(value).name
    if name != name.strip():
        raise InputError(
            f"-o {value!r}: the file name starts or ends with white space; give it without "
            f"({name.strip()!r})",
            field="output",
        )
    return typed_path("--output", value, "give a file name, or - for stdout")


def db_path(value: str) -> Path:
    return typed_path("--db", value, "give a file name")


BomOption = Annotated[
    bool,
    typer.Option(
        "--bom",
        help="Start the CSV with a UTF-8 byte-order mark, for Excel: double-clicked, it then "
        "shows accented names right (imports read either; docs/export-schema.md).",
    ),
]
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
    typer.Option(
        "--period",
        "-p",
        help=f"{_PERIOD_FORMS}, judged as one period (export summary and rollup give a "
        "range of whole units one row each) (default this month).",
    ),
]
PeriodsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--period",
        "-p",
        help=f"{_PERIOD_FORMS}; repeat it. A range of whole months, weeks, quarters or years "
        "(2008-07..2008-12) gives one row per unit, covering the same days (summary judges "
        "it as one period) (default this month).",
    ),
]


FromOption = Annotated[str | None, from_option("Period start date (with --to).")]
ToOption = Annotated[str | None, to_option("Period end date (with --from).")]
# what as-of cuts is when things were done, not when they were logged (FRESH3 F22)
AsOfOption = Annotated[
    str | None,
    as_of_option("Judge what was done up to this moment, from the log as it is now (default now)."),
]
# a listing's dates: what happened on or between them (actions, export actions)
OnOrAfterOption = Annotated[str | None, from_option("On or after this date.")]
OnOrBeforeOption = Annotated[str | None, to_option("On or before this date.")]
# an export's days: the actions those days' figures count (a response item by when it came
# in: entry_rules.counted_at), so a monthly feed holds each once, in the month judging it
CountedFromOption = Annotated[
    str | None,
    from_option(
        "Actions counted on or after this date: a response item by when it was received, "
        "any other by when it was done."
    ),
]
CountedToOption = Annotated[
    str | None, to_option("Actions counted on or before this date (as for --from).")
]


WideOption = Annotated[
    bool, typer.Option("--wide", help="In a table, show every column whatever the width.")
]
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="A,B",
        help=(
            "Show only these columns, in this order, by key (as in CSV) or header; "
            "an unknown one is refused, naming the nearest key or the list."
        ),
    ),
]


def check_limit(limit: int | None) -> None:
    if limit is not None:
        ROWS.check("--limit", limit)


def resolve_days(
    actx: AppContext, from_: str | None, to: str | None
) -> tuple[date | None, date | None]:
    """--from and --to as days, either left open; --to before --from is refused."""
    start, end = actx.day("--from", from_, tense="either"), actx.day("--to", to, tense="either")
    if start is not None and end is not None and end < start:
        from pledgetrack.domain.dates import message_days

        said_end, said_start = message_days(end, start, today=actx.env.now())
        raise InputError(f"--to {said_end} is before --from {said_start}", field="to")
    return start, end


