"""Options more than one command takes, declared once so they read and behave the same.

An option's names, short flag, metavar, completion and parsing live here. Where every
command describes it in the same words the declaration is an alias (`TeamOption`); where
each command says what the value means for it (`--when`: "When the team arrived."), a
function takes that help text (`when_option(help)`) and the command writes
`Annotated[str, when_option("...")]`. Options only one command group takes (`--sergeant`)
are declared once at the top of that group's module.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Annotated, Any, TypeVar, get_type_hints

import typer

from pledgetrack.cli.completion import complete_pledge, complete_team
from pledgetrack.cli.context import AppContext
from pledgetrack.domain.numbers import ROWS
from pledgetrack.domain.periods import Period, parse_period, split_period
from pledgetrack.environment import Environment
from pledgetrack.errors import InputError
from pledgetrack.records import DataFormat, write_records
from pledgetrack.render import Column, Format, View, message, render

T = TypeVar("T")


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
# go ahead without asking (without a terminal nobody can be asked)
yes_option = _option("--yes", "-y")
include_void_option = _option("--include-void")
# dates: a period's bounds, or a listing's (what happened on or between them)
from_option = _option("--from")
to_option = _option("--to")
as_of_option = _option("--as-of", metavar="DATE")  # read by AppContext.moment


def team_argument(help: str) -> Any:
    """A command's one team, as its argument, completing team codes."""
    return typer.Argument(metavar="TEAM", help=help, autocompletion=complete_team)


FormatOption = Annotated[
    Format | None,
    format_option("table (terminal default), plain (default when piped), csv or json."),
]
# files for other programs (exports): they stream, and CSV is the default
DataFormatOption = Annotated[DataFormat, format_option("csv (default), json or jsonl.")]

_DEFAULT_TEAM = "Team code, e.g. CW01 (default: your default team)."
TeamOption = Annotated[str | None, team_option(_DEFAULT_TEAM)]
TeamsOption = Annotated[
    list[str] | None,
    team_option("Team code; repeat for several (default: your default team, else all)."),
]
# the league table compares teams: a default team does not narrow it
LeagueTeamsOption = Annotated[
    list[str] | None, team_option("Team code; repeat for several (default all).")
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
OfficerOption = Annotated[
    str | None,
    typer.Option("--officer", help="Who did it (default: $PLEDGETRACK_OFFICER)."),
]
ExtRefOption = Annotated[
    str | None,
    typer.Option("--ref", help="External id (e.g. incident number); unique per team."),
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


def check_output(output: Path | None, reads: Sequence[Path]) -> None:
    """`-o FILE` checked before any work: its folder exists and it is none of `reads` (the
    database, an input file), so a command never fails after the work for want of it."""
    if output is not None:
        from pledgetrack.atomicfile import check_output_path
        check_output_path(output, reads)


def write_output(output: Path | None, reads: Sequence[Path], write: Callable[[IO[str]], T]) -> T:
    """`write` to stdout, or to FILE through a temporary file renamed into place (never
    onto one of `reads`), so that FILE appears complete or not at all."""
    if output is None:
        return write(sys.stdout)
    from pledgetrack.atomicfile import atomic_output
    with atomic_output(output, reads) as fh:
        return write(fh)


def emit(
    records: Iterable[Sequence[Any]],
    keys: Sequence[str],
    fmt: DataFormat,
    output: Path | None,
    reads: Sequence[Path],
) -> int:
    """Rows for other programs, streamed to stdout or `-o FILE`; says how many went to FILE."""
    count = write_output(output, reads, lambda out: write_records(records, keys, fmt, out))
    if output is not None:
        message(f"wrote {count} row{'s' if count != 1 else ''} to {output}")
    return count


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


FromOption = Annotated[str | None, from_option("Period start date (with --to).")]
ToOption = Annotated[str | None, to_option("Period end date (with --from).")]
AsOfOption = Annotated[
    str | None, as_of_option("Judge as things stood at this moment (default now).")
]
# a listing's dates: what happened on or between them (actions, export actions)
OnOrAfterOption = Annotated[str | None, from_option("On or after this date.")]
OnOrBeforeOption = Annotated[str | None, to_option("On or before this date.")]


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


def resolve_days(
    actx: AppContext, from_: str | None, to: str | None
) -> tuple[date | None, date | None]:
    """--from and --to as days, either left open; --to before --from is refused."""
    start, end = actx.day("--from", from_), actx.day("--to", to)
    if start is not None and end is not None and end < start:
        raise InputError(f"--to {end} is before --from {start}")
    return start, end


def resolve_period(
    actx: AppContext, period: str | None, from_: str | None, to: str | None, as_of: datetime
) -> Period:
    """--period, or --from/--to, read by the one period grammar (default this month)."""
    if period is not None and (from_ is not None or to is not None):
        raise InputError("give --period or --from/--to, not both")
    if from_ is not None or to is not None:
        if from_ is None or to is None:
            raise InputError("--from and --to go together")
        start, end = resolve_days(actx, from_, to)
        assert start is not None and end is not None
        return Period(start, end, f"{start}..{end}")
    try:
        return parse_period(period or "this month", as_of.date())
    except InputError as exc:
        raise InputError(f"--period: {exc}") from None


def judged_period(
    actx: AppContext, period: str | None, from_: str | None, to: str | None, as_of: str | None
) -> tuple[datetime, Period]:
    """The period group: --as-of (default now), then the period it places (resolve_period)."""
    moment = actx.moment("--as-of", as_of)
    return moment, resolve_period(actx, period, from_, to, moment)


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


class OptionGroup:
    """Options several commands take together, declared once as a frozen dataclass whose
    fields are the options (annotated and defaulted as a command's parameters would be).

    A command takes the group as one parameter (`shown: Listing = Listing()`) and is
    decorated with `@option_groups`, which gives Typer the group's fields in that place, in
    their order, and hands the command the group built from what was typed. Help, defaults,
    completion and errors are those of the fields, so every command shows them alike.
    A group whose options come from elsewhere (a declaration) overrides `options`.
    """

    @classmethod
    def options(cls) -> list[inspect.Parameter]:
        """The group's options as a command's parameters: its dataclass fields."""
        hints = get_type_hints(cls, include_extras=True)
        return [
            inspect.Parameter(
                f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=hints[f.name]
            )
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        ]


def option_groups(command: Callable[..., None]) -> Callable[..., None]:
    """Spread each OptionGroup parameter of `command` into its options, for Typer."""
    signature = inspect.signature(command, eval_str=True)
    parameters: list[inspect.Parameter] = []
    groups: dict[str, tuple[type[OptionGroup], list[str]]] = {}
    for parameter in signature.parameters.values():
        group = parameter.annotation
        if not (isinstance(group, type) and issubclass(group, OptionGroup)):
            parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY))
            continue
        options = group.options()
        groups[parameter.name] = (group, [o.name for o in options])
        parameters += options

    @functools.wraps(command)
    def run(**given: Any) -> None:
        for name, (group, fields) in groups.items():
            given[name] = group(**{field: given.pop(field) for field in fields})
        command(**given)

    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run


@dataclasses.dataclass(frozen=True)
class Listing(OptionGroup):
    """How a listing is shown, the last options of every listing: --wide, --columns, --format."""

    wide: WideOption = False
    pick: ColumnsOption = None
    fmt: FormatOption = None

    @property
    def view(self) -> View:
        return view(self.wide, self.pick)

    def show(
        self,
        rows: Sequence[Mapping[str, Any]],
        columns: Sequence[Column],
        env: Environment,
        *,
        title: str | None = None,
        empty: str = "nothing to show",
        year: int | None = None,
    ) -> None:
        """The rows as `render` shows them, in the format and columns asked for."""
        render(rows, columns, self.fmt, env, title=title, empty=empty, view=self.view, year=year)


@dataclasses.dataclass(frozen=True)
class JudgedPeriod(OptionGroup):
    """The period a report judges and the moment it judges it as at: --period or
    --from/--to, and --as-of (summary, overview)."""

    period: PeriodOption = None
    from_: FromOption = None
    to: ToOption = None
    as_of: AsOfOption = None

    def resolve(self, actx: AppContext) -> tuple[datetime, Period]:
        return judged_period(actx, self.period, self.from_, self.to, self.as_of)


@dataclasses.dataclass(frozen=True)
class ExportFile(OptionGroup):
    """Where an export's rows go and as what: -o FILE (else stdout) and --format."""

    output: OutputOption = None
    fmt: DataFormatOption = DataFormat.CSV

    def check(self, reads: Sequence[Path]) -> None:
        check_output(self.output, reads)

    def emit(
        self, records: Iterable[Sequence[Any]], keys: Sequence[str], reads: Sequence[Path]
    ) -> int:
        return emit(records, keys, self.fmt, self.output, reads)
