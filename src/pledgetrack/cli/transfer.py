"""`export`, `import` and `rollup`: pledgetrack as one step of a headquarters pipeline.

Files for other programs stream (memory stays flat), keep their columns stable
(docs/export-schema.md) and, with -o, appear complete or not at all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pledgetrack.cli.columns import LATER_COUNT_COLUMNS, OVERVIEW_COLUMNS
from pledgetrack.cli.context import AppContext, app_context, bulk_report
from pledgetrack.cli.groups import (
    ExportFile,
    check_output,
    emit,
    option_groups,
    resolve_periods,
    rows_format,
)
from pledgetrack.cli.options import (
    AllTeamsOption,
    AsOfOption,
    BomOption,
    CountedFromOption,
    CountedToOption,
    OutputOption,
    PeriodsOption,
    format_option,
    include_void_option,
    resolve_days,
)
from pledgetrack.domain.vocabulary import OnDuplicate
from pledgetrack.environment import Environment
from pledgetrack.errors import InputError
from pledgetrack.records import DataFormat
from pledgetrack.render import Column, Format, message, render, resolve_format

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.services import importer

export_app = typer.Typer(
    help="Write stable CSV/JSON files for headquarters and other programs.",
    no_args_is_help=True,
)
import_app = typer.Typer(
    help="Load teams, pledges, actions or announced meetings from CSV: every row checked, "
    "all or nothing.",
    no_args_is_help=True,
)

# readable=False: the importer says why a file cannot be read (exit 74 for a permission
# refused), where click's own check is exit 2
CsvFile = Annotated[
    Path, typer.Argument(help="CSV file with a header row.", dir_okay=False, readable=False)
]
DryRun = Annotated[
    bool,
    typer.Option("--dry-run", help="Check every row and say what would be written; write nothing."),
]
OnDuplicateOpt = Annotated[
    OnDuplicate,
    typer.Option(
        "--on-duplicate",
        case_sensitive=False,
        help="A row already stored: skip it (default, so a re-run adds nothing) or error.",
    ),
]

# `rollup --league` as CSV or JSON: overview's columns, then the period of each line, then
# the columns added since (docs/export-schema.md)
LEAGUE_COLUMNS = [
    *(c for c in OVERVIEW_COLUMNS if c not in LATER_COUNT_COLUMNS),
    Column("period_start", "From"),
    Column("period_end", "To"),
    *LATER_COUNT_COLUMNS,
    Column("provisional", "Provisional", numeric=True),
]
# A progress bar is worth drawing only for files that take a noticeable time
PROGRESS_MIN_BYTES = 1_000_000


@export_app.command("summary")
@option_groups
def export_summary(
    ctx: typer.Context,
    period: PeriodsOption = None,
    team: AllTeamsOption = None,
    as_of: AsOfOption = None,
    out: ExportFile = ExportFile(),
) -> None:
    """Compliance per team x pledge x period, in the stable columns of docs/export-schema.md.

    Each row says whether its figures are final (the period had ended at --as-of and
    nothing in it was still pending) or provisional (they may still change), and when the
    database last recorded a change that may move a figure (last_change): of two final
    files, rollup keeps the later one's.
    """
    from pledgetrack.domain.periods import Period
    from pledgetrack.services import exporter
    from pledgetrack.services.pledge_lifecycle import target_change_notes
    actx = app_context(ctx)
    out.check([actx.db_path])
    moment = actx.as_of(as_of, said=True)  # sent to HQ
    periods = resolve_periods(actx, period, moment)
    with bulk_report(), actx.open(create_if_missing=False) as store:
        records = exporter.summary_records(store, periods, moment, team)
        out.emit(records, exporter.SUMMARY_FIELDS, [actx.db_path], "summary")
        span = Period(min(p.start for p in periods), max(p.end for p in periods), "")
        notes = target_change_notes(store, span, moment, actx.env.tz, team)
    for line in notes:  # `final` rows re-judged by a target edited since: HQ is told
        message(line)


@export_app.command("actions")
@option_groups
def export_actions(
    ctx: typer.Context,
    from_: CountedFromOption = None,
    to: CountedToOption = None,
    team: AllTeamsOption = None,
    include_void: Annotated[
        bool, include_void_option("Include voided actions (with the reason).")
    ] = False,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Leave description, officer, void_reason and meetings' priorities empty, "
            "for sharing outside the force (docs/data-protection.md). Such a file cannot be "
            "imported: "
            "import actions needs the description.",
        ),
    ] = False,
    out: ExportFile = ExportFile(),
) -> None:
    """The raw action log, every column, oldest first: what `import actions` reads back."""
    from pledgetrack.services import exporter
    actx = app_context(ctx)
    out.check([actx.db_path])
    start, end = resolve_days(actx, from_, to)
    with actx.open(create_if_missing=False) as store:
        records = exporter.action_records(
            store, start=start, end=end, teams=team, include_void=include_void, redact=redact
        )
        out.emit(records, exporter.ACTION_FIELDS, [actx.db_path], "actions")
    if redact:
        message(
            "note: redacted (no description, officer, void_reason or priorities): for "
            "reading, not for "
            "import actions, which needs the description; move a team with an export "
            "without --redact"
        )


@export_app.command("pledges")
@option_groups
def export_pledges(
    ctx: typer.Context,
    team: AllTeamsOption = None,
    out: ExportFile = ExportFile(),
) -> None:
    """Pledges, refs and closings included, in the columns `import pledges` reads back.

    Local pledges, and national commitments edited, closed or dated apart from the team's
    first; one as team add attached it is left out (import teams attaches it again).
    """
    from pledgetrack.services import exporter
    actx = app_context(ctx)
    out.check([actx.db_path])
    with actx.open(create_if_missing=False) as store:
        records = exporter.pledge_records(store, team, actx.env.tz)
        out.emit(records, exporter.PLEDGE_FIELDS, [actx.db_path], "pledges")


@export_app.command("next-meetings")
@option_groups
def export_next_meetings(
    ctx: typer.Context,
    team: AllTeamsOption = None,
    out: ExportFile = ExportFile(),
) -> None:
    """The meetings teams announced with next-meeting, cancelled ones too, in the columns
    `import next-meetings` reads back: a moved team's public update then announces the same."""
    from pledgetrack.services import exporter
    actx = app_context(ctx)
    out.check([actx.db_path])
    with actx.open(create_if_missing=False) as store:
        records = exporter.meeting_records(store, team)
        out.emit(records, exporter.MEETING_FIELDS, [actx.db_path], "next-meetings")


@export_app.command("teams")
@option_groups
def export_teams(
    ctx: typer.Context,
    team: AllTeamsOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include archived teams (import teams refuses them).")
    ] = False,
    out: ExportFile = ExportFile(),
) -> None:
    """Teams in the columns `import teams` reads back: the options of `team add`.

    Active teams unless --all or --team names them; national gives the commitments each
    carries and since the day they apply from.
    """
    from pledgetrack.services import exporter
    actx = app_context(ctx)
    out.check([actx.db_path])
    with actx.open(create_if_missing=False) as store:
        records, notes = exporter.team_records(store, team, include_archived=all_)
    out.emit(records, exporter.TEAM_FIELDS, [actx.db_path], "teams")
    for note in notes:
        message(note)


@import_app.command("teams")
def import_teams(
    ctx: typer.Context,
    file: CsvFile,
    dry_run: DryRun = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.SKIP,
) -> None:
    """Register teams from CSV as `team add` does, all or nothing; prints each new code.

    Columns: code,name[,force,area,sergeant,contact,setting,national,since,active], as
    `export teams` writes them (code and name required); creates the database if need be.
    A code stored with every column alike is a duplicate; with anything different, refused.
    """
    from pledgetrack.services import importer
    # a dry run creates no database: a new one appears only with a first committed write
    _import_printing(app_context(ctx), importer.import_teams, file, dry_run, on_duplicate,
                     "team", create=True)  # fmt: skip


@import_app.command("actions")
def import_actions(
    ctx: typer.Context,
    file: CsvFile,
    dry_run: DryRun = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.SKIP,
) -> None:
    """Load actions from CSV in the columns of `export actions`, all or nothing.

    team, pledge, when and description are required (when may be empty for an open
    response item that has a received time); id and created_at, which the export writes,
    are not read; any other column is refused with the nearest known name. Any invalid
    row: nothing is written, every bad row is listed as `line N: column: problem`, exit 2.
    """
    from pledgetrack.services import importer
    actx = app_context(ctx)
    needs = (
        "import actions needs an existing database with its teams and pledges "
        "(create them with team add, pledge add or import pledges)"
    )
    # a dry run is a read: it never upgrades an older schema (refused, naming db upgrade)
    with (
        actx.open(create_if_missing=False, writes=not dry_run, needs=needs) as store,
        _progress(actx.env, file) as progress,
    ):
        report = _checked(
            lambda: importer.import_actions(
                store,
                file,
                actx.env.now(),
                dry_run=dry_run,
                on_duplicate=on_duplicate,
                progress=progress,
            )
        )
    _close(report, "action", dry_run)


@import_app.command("pledges")
def import_pledges(
    ctx: typer.Context,
    file: CsvFile,
    dry_run: DryRun = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.SKIP,
) -> None:
    """Load pledges from CSV, all or nothing; prints each new reference.

    Columns: team,title,at_least,per,action_kind,within,threshold,share,by,agreed,review,
    meeting[,description,ref,status,outcome,closed,target_changed] (team, title and agreed
    required), as `export pledges` writes them; any other column is refused with the
    nearest known name. A row with a ref is that pledge: the same again is a duplicate, a
    different one is refused. Without one, the same title agreed by the same team on the
    same day is a duplicate, and the team's next ref is given. A national commitment's row
    (CW01-N4) brings one attached as the catalogue has it to the file's (edited, closed,
    dated). target_changed's changes of the target are recorded with their own days, so
    that the notes of a target changed since a period began say what they said there.
    """
    from pledgetrack.services import importer
    actx = app_context(ctx)
    needs = "import pledges needs an existing database with its teams (create them with team add)"
    _import_printing(actx, importer.import_pledges, file, dry_run, on_duplicate, "pledge",
                     create=False, needs=needs)  # fmt: skip


@import_app.command("next-meetings")
def import_next_meetings(
    ctx: typer.Context,
    file: CsvFile,
    dry_run: DryRun = False,
    on_duplicate: OnDuplicateOpt = OnDuplicate.SKIP,
) -> None:
    """Load the meetings teams announced, as `export next-meetings` writes them, all or
    nothing: team,starts[,place,note],announced[,cancelled]. The same team, start and
    announcement again is a duplicate; with anything different, refused.
    """
    from pledgetrack.services import importer
    actx = app_context(ctx)
    needs = (
        "import next-meetings needs an existing database with its teams (create them with "
        "team add or import teams)"
    )
    _import_printing(actx, importer.import_next_meetings, file, dry_run, on_duplicate,
                     "meeting announcement", create=False, needs=needs)  # fmt: skip


def _import_printing(
    actx: AppContext,
    load: Callable[..., importer.ImportReport],
    file: Path,
    dry_run: bool,
    on_duplicate: OnDuplicate,
    what: str,
    *,
    create: bool,
    needs: str | None = None,
) -> None:
    """An import that prints what it adds (refs, codes): a dry run writes nothing, so it
    takes no write lock; a real one prints inside its transaction (AppContext.recording),
    so a refused stdout records nothing."""
    opened = actx.open if dry_run else actx.recording
    with opened(create_if_missing=create, needs=needs) as store:
        report = _checked(
            lambda: load(store, file, actx.env.now(), dry_run=dry_run, on_duplicate=on_duplicate)
        )
        for added in report.refs:
            typer.echo(added)
    _close(report, what, dry_run)


def _checked(run: Callable[[], importer.ImportReport]) -> importer.ImportReport:
    """Every bad row on its own stderr line, then the one-line error (exit 2)."""
    from pledgetrack.services import importer
    try:
        return run()
    except importer.InvalidRowsError as exc:
        for problem in exc.problems:
            message(problem)
        raise


def _close(report: importer.ImportReport, what: str, dry_run: bool) -> None:
    from pledgetrack.services import importer
    message(importer.describe_report(report, what, dry_run=dry_run))
    for note in (
        importer.describe_completed(report, dry_run=dry_run),
        importer.describe_uncounted(report),
    ):
        if note is not None:
            message(note)


@contextmanager
def _progress(env: Environment, file: Path) -> Iterator[importer.Progress | None]:
    """A rich bar on stderr for a big file when a person is watching; nothing in cron."""
    from pledgetrack.services import importer
    try:
        big = file.stat().st_size >= PROGRESS_MIN_BYTES
    except OSError:
        big = False  # the importer reports the unreadable file
    if not (env.stderr_isatty and big):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    total = importer.count_lines(file)
    bar = Progress(
        TextColumn("importing {task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f} lines"),
        TimeRemainingColumn(),
        console=Console(stderr=True, no_color=env.no_color),
        transient=True,
    )
    with bar:
        task = bar.add_task(file.name, total=total)
        yield lambda line: bar.update(task, completed=line)


def rollup_command(
    ctx: typer.Context,
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="DB_OR_CSV...",
            help="Team databases and/or `export summary` CSV files.",
            dir_okay=False,
        ),
    ],
    period: PeriodsOption = None,
    as_of: AsOfOption = None,
    output: OutputOption = None,
    fmt: Annotated[
        DataFormat | None,
        format_option(
            "csv, json, jsonl or xlsx, a spreadsheet's own file (refs like 007 and accents "
            "kept; default: -o FILE's extension, else csv); with --league alone, the "
            "league's format."
        ),
    ] = None,
    league: Annotated[
        bool,
        typer.Option(
            "--league",
            help="Print the per-team league table, one per period "
            "(with -o, as well as writing the rows).",
        ),
    ] = False,
    bom: BomOption = False,
) -> None:
    """Combine team databases and summary CSVs into one force-wide table (same columns).

    Databases are summarised for --period (default this month); CSV rows are kept as
    exported (only those of --period when given), each row's figures column (final or
    provisional) with it. The same figures twice count once; final figures take the place of
    provisional ones for the same team, pledge and period (a note says so), and of two final
    ones that differ, those with the later last_change (a note says so); other different
    figures are refused, naming both files (a CSV holds its figures as of its export's
    --as-of: give the same --as-of). A pledge that one source for a team and period has and
    another has not is refused alike, naming both; final figures keep or leave it out in
    place of provisional ones, a note naming each such pledge (a file from before the
    figures column says neither: refused). A database covers each team it holds, with no
    pledge in force too. Sources of other teams or periods add up. A period whose rows are
    partly provisional gets a warning on stderr. A database's refusal names the file, and
    its db check as `pledgetrack --db FILE db check`. --league ranks the teams period by
    period: a table for each period, or as CSV/JSON one line per team and period, with
    period_start and period_end.
    """
    from pledgetrack.services import exporter, rollup
    from pledgetrack.services import league as force_league
    actx = app_context(ctx)
    actx.use_configured_zone()  # each input is summarised in the zone it records
    written = rows_format(output, fmt, bom)
    if bom and league and output is None:
        raise InputError(
            "--bom is for the rows' CSV: with --league alone no rows are written "
            "(give -o FILE.csv, or leave --bom out)",
            field="bom",
        )
    check_output(output, inputs)
    moment = actx.as_of(as_of, said=True)  # sent to HQ
    default = resolve_periods(actx, None, moment)[0]
    chosen = resolve_periods(actx, period, moment) if period else None

    rows = rollup.rollup(inputs, chosen, default, moment, actx.input_opener(), note=message)
    if output is not None or not league:
        records = ([row[k] for k in exporter.SUMMARY_FIELDS] for row in rows)
        emit(records, exporter.SUMMARY_FIELDS, written, output, inputs, bom=bom, sheet="rollup")
    if league:
        _print_league(
            force_league.league(rows), _table_format(fmt) if output is None else None, actx.env
        )


def _print_league(lines: list[dict[str, Any]], fmt: Format | None, env: Environment) -> None:
    """CSV or JSON: one document, each line with its period. Tables: one per period."""
    chosen = resolve_format(fmt, env)
    if chosen in (Format.CSV, Format.JSON) or not lines:
        render(lines, LEAGUE_COLUMNS, chosen, env, title="League", empty="no rows to rank")
        return
    for number, (span, group) in enumerate(groupby(lines, key=_period_of)):
        if number:
            sys.stdout.write("\n")
        own = list(group)
        title = f"League {_said(span)}{_provisional(own)}"
        render(own, OVERVIEW_COLUMNS, chosen, env, title=title)


def _provisional(lines: list[dict[str, Any]]) -> str:
    """A league table's title says whose figures may still change: ` (provisional: CW01)`."""
    from pledgetrack.domain.plain_words import plural  # pydantic: not on --help's path

    teams = [line["team"] for line in lines if line["provisional"]]
    if not teams:
        return ""
    return f" (provisional: {', '.join(teams) if len(teams) <= 3 else plural(len(teams), 'team')})"


def _period_of(line: Mapping[str, Any]) -> tuple[str, str]:
    return str(line["period_start"]), str(line["period_end"])


def _said(span: tuple[str, str]) -> str:
    """A league's period as people read it, as `overview`'s title says it: `October 2008`."""
    from datetime import date

    from pledgetrack.domain.periods import Period
    from pledgetrack.domain.plain_words import period_words

    start, end = (date.fromisoformat(day) for day in span)
    return period_words(Period(start, end, f"{span[0]}..{span[1]}"))


def _table_format(fmt: DataFormat | None) -> Format | None:
    """A data format asked of a table: CSV stays CSV, either JSON becomes JSON."""
    if fmt is None:
        return None
    return Format.CSV if fmt is DataFormat.CSV else Format.JSON


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
    app.command("rollup")(rollup_command)
