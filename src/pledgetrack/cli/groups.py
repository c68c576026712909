"""Options several commands take together (`OptionGroup`), and what reads them.

`Listing` (--wide, --columns, --format), `JudgedPeriod` (--period or --from/--to, --as-of)
and `ExportFile` (-o FILE, --format); the period grammar behind --period, and -o FILE
checked before the work and written whole. Single options are declared in `cli/options.py`;
these need rendering, periods and data formats, which `log` and its like do not load.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, TypeVar, get_type_hints

from pledgetrack.cli.options import (
    AsOfOption,
    BomOption,
    ColumnsOption,
    FromOption,
    OutputOption,
    PeriodOption,
    ToOption,
    WideOption,
    format_option,
    resolve_days,
)
from pledgetrack.domain.periods import Period, parse_period, split_period
from pledgetrack.errors import InputError
from pledgetrack.records import DataFormat, write_records
from pledgetrack.render import Column, Format, View, message, render

if TYPE_CHECKING:
    from pledgetrack.cli.context import AppContext
    from pledgetrack.environment import Environment

T = TypeVar("T")

FormatOption = Annotated[
    Format | None,
    format_option("table (terminal default), plain (default when piped), csv or json."),
]
# files for other programs (exports): they stream, and CSV is the default
DataFormatOption = Annotated[
    DataFormat | None,
    format_option(
        "csv, json, jsonl or xlsx, a spreadsheet's own file (refs like 007 and accents kept; "
        "default: -o FILE's extension, else csv)."
    ),
]
F = TypeVar("F", bound=StrEnum)
_EXTENSIONS = {"htm": "html", "markdown": "md", "ndjson": "jsonl", "text": "txt"}  # aliases
# files other programs write, which we do not: refused, not filled with CSV or Markdown
# under a name that promises a spreadsheet or a PDF. Any other extension (.txt for an
# export, .dat) is written in --format, else the command's default (CSV, Markdown)
_SPREADSHEETS = ("xlsx", "xlsm", "xls", "ods", "numbers")
_DOCUMENTS = ("pdf", "docx", "doc", "odt", "rtf", "pages")


def output_format(output: Path | None, given: F | None, default: F) -> F:
    """--format, else the format `-o FILE`'s extension names (`u.html`), else `default`.
    Both given and disagreeing is refused, as is a spreadsheet's or a document's extension
    that `default`'s formats lack (`x.ods`, `u.pdf`): the file would not be what its name
    says."""
    suffix = output.suffix.lower().removeprefix(".") if output is not None else ""
    ours = {f.value for f in type(default)}
    if (suffix in _SPREADSHEETS or suffix in _DOCUMENTS) and suffix not in ours:
        names = [f".{f.value}" for f in type(default)]
        written = f"{', '.join(names[:-1])} or {names[-1]}"
        raise InputError(
            f"-o {output}: pledgetrack does not write .{suffix} files; it writes {written}"
            f"{_opens(suffix, names)}",
            field="output",
        )
    implied = next(
        (f for f in type(default) if f.value == _EXTENSIONS.get(suffix, suffix)), None
    )
    if given is None:
        return implied or default
    if implied is not None and implied is not given:
        raise InputError(
            f"-o {output} names a .{suffix} file but --format is {given.value}: "
            "give one, or make them agree",
            field="format",
        )
    return given


def _opens(suffix: str, names: list[str]) -> str:
    """How to get the file asked for from one we write."""
    if suffix in _SPREADSHEETS and ".xlsx" in names:
        return " (a spreadsheet opens .xlsx)"
    if suffix in _SPREADSHEETS and ".csv" in names:
        return " (a spreadsheet opens .csv)"
    if suffix == "pdf" and ".html" in names:
        return " (for a PDF, write .html and print it to PDF from a browser)"
    if suffix in _DOCUMENTS and ".html" in names:
        return " (a word processor opens .html)"
    return ""


def rows_format(output: Path | None, given: DataFormat | None, bom: bool) -> DataFormat:
    """The format of an export's or roll-up's rows (`output_format`), checked with --bom
    before any work: a byte-order mark is for CSV; an .xlsx is a file, never stdout."""
    fmt = output_format(output, given, DataFormat.CSV)
    if fmt is DataFormat.XLSX and output is None:
        raise InputError(
            "--format xlsx writes a file, not text for a terminal or a pipe: give -o FILE.xlsx",
            field="format",
        )
    if fmt is DataFormat.XLSX:
        try:
            import xlsxwriter  # noqa: F401  # an install from before it was a dependency
        except ImportError:
            raise InputError(
                "writing .xlsx needs the XlsxWriter package, which this installation lacks "
                "(reinstall pledgetrack, or pip install xlsxwriter); .csv needs nothing",
                field="format",
            ) from None
    if bom and fmt is not DataFormat.CSV:
        raise InputError(
            f"--bom is for CSV files; {fmt.value} is written without a byte-order mark",
            field="bom",
        )
    return fmt


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
    *,
    bom: bool = False,
    sheet: str = "rows",
) -> int:
    """Rows for other programs, streamed to stdout or `-o FILE`; says how many went to FILE.
    An .xlsx (`rows_format` has made sure it has a FILE) has them on a sheet named `sheet`."""
    if fmt is DataFormat.XLSX and output is not None:
        from pledgetrack.atomicfile import atomic_bytes_output
        from pledgetrack.spreadsheet import write_xlsx
        with atomic_bytes_output(output, reads) as fh:
            count = write_xlsx(records, keys, fh, sheet)
    else:
        count = write_output(
            output, reads, lambda out: write_records(records, keys, fmt, out, bom=bom)
        )
    if output is not None:
        message(f"wrote {count} row{'s' if count != 1 else ''} to {output}")
    return count


def view(wide: bool, columns: str | None) -> View:
    """`--wide` and `--columns a,b` as one View for `render`."""
    names = tuple(n.strip() for n in (columns or "").split(",") if n.strip())
    if columns is not None and not names:
        raise InputError("--columns needs at least one column name", field="columns")
    return View(wide, names)


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
    actx: AppContext,
    period: str | None,
    from_: str | None,
    to: str | None,
    as_of: str | None,
    *,
    said: bool = False,
) -> tuple[datetime, Period]:
    """The period group: --as-of (default now), then the period it places (resolve_period);
    `said` as for AppContext.as_of."""
    moment = actx.as_of(as_of, said=said)
    return moment, resolve_period(actx, period, from_, to, moment)


def resolve_periods(actx: AppContext, texts: list[str] | None, as_of: datetime) -> list[Period]:
    """Each --period as given, a range of whole units split into one period per unit; the
    same days given twice (`-p 2008-10 -p 2008-10-01..2008-10-31`) taken once, as first
    given, so that no row is written twice."""
    if not texts:
        return [resolve_period(actx, None, None, None, as_of)]
    found: dict[tuple[date, date], Period] = {}
    for text in texts:
        try:
            for period in split_period(text, as_of.date()):
                found.setdefault((period.start, period.end), period)
        except InputError as exc:
            raise InputError(f"--period: {exc}") from None
    return list(found.values())


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
    """Where an export's rows go and as what: -o FILE (else stdout), --format and --bom."""

    output: OutputOption = None
    fmt: DataFormatOption = None
    bom: BomOption = False

    @property
    def format(self) -> DataFormat:
        return rows_format(self.output, self.fmt, self.bom)

    def check(self, reads: Sequence[Path]) -> None:
        self.format  # noqa: B018  # -o s.json --format csv refused before any work
        check_output(self.output, reads)

    def emit(
        self,
        records: Iterable[Sequence[Any]],
        keys: Sequence[str],
        reads: Sequence[Path],
        sheet: str,
    ) -> int:
        return emit(records, keys, self.format, self.output, reads, bom=self.bom, sheet=sheet)
