"""`pledgetrack team ...`: register and maintain neighbourhood policing teams."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pledgetrack.cli.context import AppContext, app_context
from pledgetrack.cli.groups import FormatOption, Listing, option_groups
from pledgetrack.cli.options import (
    AsOfOption,
    TeamArgument,
    TeamCodeArgument,
    confirmed,
    yes_option,
)
from pledgetrack.domain.vocabulary import Setting
from pledgetrack.errors import InputError
from pledgetrack.render import Column, message, render_record, resolve_format, trend_cell

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.services import national as national_service

app = typer.Typer(help="Register and maintain neighbourhood policing teams.", no_args_is_help=True)

Force = Annotated[str | None, typer.Option("--force", help="Police force, e.g. Leicestershire.")]
Area = Annotated[str | None, typer.Option("--area", help="Area or ward covered.")]
Sergeant = Annotated[str | None, typer.Option("--sergeant", help="Sergeant leading the team.")]
Contact = Annotated[str | None, typer.Option("--contact", help="Published contact details.")]
SettingOpt = Annotated[
    Setting | None,
    typer.Option(
        "--setting", case_sensitive=False, help="urban or rural (sets attendance targets)."
    ),
]
Since = Annotated[
    str | None,
    typer.Option("--since", help="Date the national commitments apply from (default today)."),
]

TEAM_COLUMNS = [
    Column("code", "Code"),
    Column("name", "Name", truncate=True),
    Column("force", "Force", priority=3, truncate=True),
    Column("area", "Area", priority=4, truncate=True),
    Column("sergeant", "Sergeant", priority=3, truncate=True),
    Column("contact", "Contact", priority=5, truncate=True),
    Column("setting", "Setting", priority=4),
    Column("active", "Active", priority=2),
]


@app.command("add")
def add(
    ctx: typer.Context,
    code: Annotated[
        str,
        typer.Argument(
            help="Unique team code: ASCII letters, digits and '-', up to 32, "
            "case-insensitive (e.g. CW01)."
        ),
    ],
    name: Annotated[str, typer.Option("--name", help="Team name, e.g. 'Castle Ward'.")],
    force: Force = None,
    area: Area = None,
    sergeant: Sergeant = None,
    contact: Contact = None,
    setting: SettingOpt = None,
    no_national: Annotated[
        bool, typer.Option("--no-national", help="Do not attach the national commitments.")
    ] = False,
    national_only: Annotated[
        str | None,
        typer.Option("--national-only", help="Attach only these commitments, e.g. N4,N7."),
    ] = None,
    since: Since = None,
) -> None:
    """Register a team, with the national commitments N1-N10 unless --no-national."""
    from pledgetrack.services import team_lifecycle
    actx = app_context(ctx)
    team = team_lifecycle.new_team(
        code, name, force=force, area=area, sergeant=sergeant, contact=contact, setting=setting
    )
    numbers = team_lifecycle.commitments_asked(
        national_only, none=no_national, since_given=since is not None, option="--national-only"
    )
    since_day = _since_day(actx, since)
    with actx.open(create_if_missing=True) as store:
        attached = team_lifecycle.register_team(store, team, since_day, numbers)
    message(f"added team {team.code} ({team.name})")
    _report_national(attached, since)


@app.command("list")
@option_groups
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include archived teams.")] = False,
    shown: Listing = Listing(),
) -> None:
    """List teams (active ones unless --all)."""
    from pledgetrack.store import teams as team_store
    actx = app_context(ctx)
    with actx.open(create_if_missing=False) as store:
        teams = team_store.list_teams(store, include_archived=all_)
    rows = [t.model_dump(mode="json") for t in teams]
    shown.show(rows, TEAM_COLUMNS, actx.env, empty="no teams yet (add one: pledgetrack team add)")


@app.command("show")
def show(
    ctx: typer.Context,
    code: TeamArgument = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = None,
) -> None:
    """Show a team, how many pledges it holds and how its last six months went."""
    from pledgetrack.services.team_lifecycle import pledge_counts
    from pledgetrack.services.trends import team_months
    from pledgetrack.store import teams as team_store
    actx = app_context(ctx)
    moment = actx.as_of(as_of)  # checked before the database is opened
    with actx.open(create_if_missing=False) as store:
        team = team_store.get_team(store, actx.required_team(code))
        active, closed = pledge_counts(store, team.code, moment)
        months = team_months(store, team.code, moment)
    record: dict[str, Any] = team.model_dump(mode="json")
    record["active_pledges"], record["closed_pledges"] = active, closed
    # the share of judged pledges green in each of the six months to --as-of's, that one last
    record["last_6_months"] = trend_cell(months, resolve_format(fmt, actx.env))
    render_record(
        record,
        fmt,
        actx.env,
        title=f"Team {team.code}",
        labels={"last_6_months": "Last 6 months (% green)"},
    )


@app.command("edit")
def edit(
    ctx: typer.Context,
    code: TeamCodeArgument,
    name: Annotated[str | None, typer.Option("--name", help="New team name.")] = None,
    force: Force = None,
    area: Area = None,
    sergeant: Sergeant = None,
    contact: Contact = None,
    setting: SettingOpt = None,
) -> None:
    """Change a team's details (only the options given)."""
    from pledgetrack.domain.targets import describe
    from pledgetrack.services import team_lifecycle
    changes = team_lifecycle.team_changes(
        name=name, force=force, area=area, sergeant=sergeant, contact=contact, setting=setting
    )
    with app_context(ctx).open(create_if_missing=False, writes=True) as store:
        team, moved, rewrote = team_lifecycle.edit_team(store, code, changes, op="edit")
    message(f"updated team {team.code}")
    if moved is not None:
        message(f"{moved.ref} now {describe(moved.target)} ({team.setting.value} team)")
    if rewrote is not None:
        message(f"note: {rewrote.words(done=True)}")


@app.command("archive")
def archive(
    ctx: typer.Context,
    code: TeamCodeArgument,
    yes: Annotated[bool, yes_option("Archive without asking (needed without a terminal).")] = False,
) -> None:
    """Archive a team: kept with its history, its active pledges withdrawn as of today.

    Says first which pledges it will withdraw; asks on a terminal, and without one needs
    --yes. `team restore CODE --reopen` reopens exactly those pledges.
    """
    from pledgetrack.services import team_lifecycle
    actx = app_context(ctx)
    today = actx.env.now().date()
    # the plan is read on this release's schema, so an older file is upgraded for it, but in
    # a transaction closed, never committed: refused or declined below, the file is as it was
    with closing(actx.open(create_if_missing=False, writes=True)) as store:
        team, active = team_lifecycle.archive_plan(store, code)
    what = _withdrawing(team.code, [p.ref for p in active], today)
    if not yes:
        if not actx.env.stdin_isatty:
            # cron has nobody to answer a question: fail, naming the flag that says yes
            raise InputError(f"{what}; pass --yes to archive it", field="yes")
        message(what)
        if not confirmed(f"Archive team {team.code}?"):
            raise InputError(f"team {team.code} not archived")
    with actx.open(create_if_missing=False, writes=True) as store:
        team, withdrawn = team_lifecycle.archive_team(
            store, team.code, today, expected=[p.ref for p in active]
        )
    message(
        f"archived team {team.code}; {_count(withdrawn)} withdrawn"
        + (f" (team restore {team.code} --reopen reopens them)" if withdrawn else "")
    )


def _withdrawing(code: str, refs: list[str], on: date) -> str:
    if not refs:
        return f"archiving team {code} withdraws no pledges (none is active)"
    return f"archiving team {code} withdraws its {_count(refs)} as of {on}: {', '.join(refs)}"


def _count(refs: list[str]) -> str:
    return f"{len(refs)} active pledge{'s' if len(refs) != 1 else ''}"


@app.command("restore")
def restore(
    ctx: typer.Context,
    code: TeamCodeArgument,
    reopen: Annotated[
        bool,
        typer.Option(
            "--reopen", help="Also reopen the pledges that archiving withdrew (as the log shows)."
        ),
    ] = False,
) -> None:
    """Bring an archived team back; with --reopen, reopen the pledges archiving withdrew.

    Without --reopen they stay withdrawn, and it says which; `team restore CODE --reopen`
    on a team already restored reopens them then.
    """
    from pledgetrack.services import team_lifecycle
    with app_context(ctx).open(create_if_missing=False, writes=True) as store:
        done = team_lifecycle.restore_team(store, code, reopen=reopen)
    code = done.team.code
    message(f"restored team {code}" if done.was_archived else f"team {code} is active")
    if done.reopened:
        message(f"reopened {', '.join(done.reopened)}")
    elif reopen:
        message("no pledge withdrawn by archiving is left to reopen")
    if done.still_withdrawn:
        message(
            f"{', '.join(done.still_withdrawn)} (withdrawn when {code} was archived) stay "
            f"withdrawn; reopen them with: pledgetrack team restore {code} --reopen"
        )


@app.command("national")
def national_(
    ctx: typer.Context,
    code: TeamCodeArgument,
    since: Since = None,
    only: Annotated[
        str | None, typer.Option("--only", help="Attach only these commitments, e.g. N4,N7.")
    ] = None,
    yes: Annotated[
        bool,
        yes_option(
            "Move the commitments it has even where months already ended are judged again, "
            "without asking (needed without a terminal)."
        ),
    ] = False,
) -> None:
    """Attach the national commitments to an existing team (ones it has are left alone).

    With --since, the ones it has apply from that day too, as `pledge edit REF --agreed`
    would move each (refused, all or none, where it would leave a logged action before it).
    A move that judges months already ended again names them and asks first (without a
    terminal it needs --yes).
    """
    from pledgetrack.domain.national import codes_text
    from pledgetrack.services import national as national_service
    from pledgetrack.services import team_lifecycle
    actx = app_context(ctx)
    numbers = team_lifecycle.commitments_asked(only, option="--only")
    since_day = _since_day(actx, since)
    if since is not None and not yes and actx.env.stdin_isatty:
        with closing(actx.open(create_if_missing=False, writes=True)) as store:
            planned = national_service.planned_moves(store, code, since_day, numbers)
        if planned is not None:
            message(planned)
            if not confirmed("Move them?"):
                raise InputError(f"{code.strip().upper()}'s commitments not moved")
            yes = True
    with actx.open(create_if_missing=False, writes=True) as store:
        attached = national_service.attach(
            store, code, since_day, numbers, move=since is not None, rewrite=yes
        )
    if attached.moved:
        from pledgetrack.domain.dates import message_days

        was = sorted({w for _, w in attached.moved if w is not None})
        day, *earlier = message_days(attached.since, *was)
        before = f" (were from {', '.join(earlier)})" if earlier else ""
        codes = codes_text(tuple(n for n, _ in attached.moved))
        message(f"national commitments {codes} of {attached.team} now apply from {day}{before}")
        note = national_service.moved_note(attached)
        if note is not None:
            message(note)
    if not attached.added:
        if attached.skipped or not attached.moved:
            said = "already from that day" if since is not None else "none attached"
            message(f"team {attached.team} already has {codes_text(attached.skipped)}; {said}")
        return
    _report_national(attached, since)
    if attached.skipped:
        message(f"already attached, left as they were: {codes_text(attached.skipped)}")


def _since_day(actx: AppContext, since: str | None) -> date:
    return actx.day("--since", since, tense="either") or actx.env.now().date()


def _report_national(attached: national_service.Attached, since: str | None) -> None:
    """What was attached; and a note when --since asks for a date before the Pledge began."""
    from pledgetrack.domain import national
    from pledgetrack.domain.dates import message_days
    from pledgetrack.domain.national import codes_text
    if not attached.added:
        return
    # with its year: the day a team's record starts from, read again months later
    (day,) = message_days(attached.since)
    codes = codes_text(attached.added)
    message(f"national commitments {codes} apply to {attached.team} from {day}")
    if since is not None and attached.since < national.PLEDGE_IN_FORCE:
        day, began = message_days(attached.since, national.PLEDGE_IN_FORCE)
        message(
            f"note: {day} is before the Policing Pledge took effect ({began}); recorded as asked"
        )
