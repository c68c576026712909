"""`pledgetrack pledge ...`: record what a team promised, amend it, close it."""

from __future__ import annotations

import inspect
from contextlib import closing
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pledgetrack.cli.columns import (
    ACTION_COLUMNS,
    PLEDGE_COLUMNS,
    action_row,
    newest_for_people,
    people_year,
    pledge_record,
    without,
)
from pledgetrack.cli.context import AppContext, app_context
from pledgetrack.cli.groups import FormatOption, Listing, OptionGroup, option_groups
from pledgetrack.cli.options import (
    PledgeRefArgument,
    TeamCodeArgument,
    TeamOption,
    confirmed,
    yes_option,
)
from pledgetrack.domain.vocabulary import PledgeStatus

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    pass
from pledgetrack.domain.numbers import ROWS
from pledgetrack.domain.target_fields import TARGET_FIELDS, any_given
from pledgetrack.errors import InputError
from pledgetrack.render import EVERY_YEAR, Column, message, render, render_record

app = typer.Typer(help="Record, amend and close a team's pledges.", no_args_is_help=True)

Agreed = Annotated[
    str | None, typer.Option("--agreed", help="Date agreed with residents (default today).")
]
NewAgreed = Annotated[str | None, typer.Option("--agreed", help="A corrected agreed date.")]
Review = Annotated[
    str | None,
    typer.Option(
        "--review",
        help="Date to review the pledge; read forwards: 'friday', 'next friday', 31/1 "
        "(the next such day).",
    ),
]
Meeting = Annotated[
    str | None, typer.Option("--meeting", help="Meeting where it was agreed, e.g. 'PACT 14 Oct'.")
]
Description = Annotated[str | None, typer.Option("--description", help="Longer description.")]


class TargetFigures(OptionGroup):
    """The target options of `pledge add` and `pledge edit`: one per field that
    domain/target_fields.py declares, in its order, with its spelling and help."""

    def __init__(self, **given: Any) -> None:
        self.given = given  # by field name; None: not given

    @classmethod
    def options(cls) -> list[inspect.Parameter]:
        return [
            inspect.Parameter(
                spec.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=typer.Option(None, spec.option, help=spec.help),
                # a date is taken as typed and read by values(), as every date option is
                annotation=(spec.kind if spec.kind in (int, float) else str) | None,
            )
            for spec in TARGET_FIELDS
        ]

    def values(self, actx: AppContext) -> dict[str, Any]:
        """The figures by field name, as build_target and amend_target take them."""
        given = {f.name: self.given.get(f.name) for f in TARGET_FIELDS}
        return {  # a target's date is a deadline (`--by`): always ahead
            f.name: actx.day(f.option, given[f.name], tense="future")
            if f.kind is date
            else given[f.name]
            for f in TARGET_FIELDS
        }


@app.command("add")
@option_groups
def add(
    ctx: typer.Context,
    team: TeamCodeArgument,
    title: Annotated[str, typer.Argument(help="What was promised, in residents' words.")],
    target: TargetFigures = TargetFigures(),
    agreed: Agreed = None,
    review: Review = None,
    meeting: Meeting = None,
    description: Description = None,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Record it even though the team has an active pledge with the same title "
            "and target (refused otherwise: a command run twice).",
        ),
    ] = False,
) -> None:
    """Record a local pledge; prints its reference (e.g. CW01-L3)."""
    from pledgetrack.domain.targets import build_target
    from pledgetrack.services import pledge_lifecycle
    actx = app_context(ctx)
    figures = build_target(**target.values(actx))
    agreed_on = actx.day("--agreed", agreed, tense="either") or actx.env.now().date()
    with actx.recording() as store:
        pledge = pledge_lifecycle.new_local_pledge(
            store,
            team,
            title,
            figures,
            agreed_on=agreed_on,
            review_on=actx.day("--review", review, tense="future"),
            meeting=meeting,
            description=description,
            again=again,
        )
        typer.echo(pledge.ref)


@app.command("list")
@option_groups
def list_(
    ctx: typer.Context,
    team: TeamOption = None,
    status: Annotated[
        str, typer.Option("--status", help="active, achieved, not-achieved, withdrawn or all.")
    ] = "active",
    shown: Listing = Listing(),
) -> None:
    """List pledges (active ones unless --status says otherwise)."""
    from pledgetrack.store.pledges import list_pledges
    actx = app_context(ctx)
    statuses = _statuses(status)
    team = actx.team(team)
    with actx.open(create_if_missing=False) as store:
        pledges = list_pledges(store, team=team, statuses=statuses)
    year = people_year(shown.fmt, actx.env)
    rows = [pledge_record(p, year) for p in pledges]
    columns = PLEDGE_COLUMNS if team else [Column("team", "Team", priority=2), *PLEDGE_COLUMNS]
    shown.show(rows, columns, actx.env, empty="no pledges match")


def _statuses(text: str) -> list[PledgeStatus] | None:
    if text.lower() == "all":
        return None
    try:
        return [PledgeStatus(part.strip().lower()) for part in text.split(",")]
    except ValueError:
        choices = ", ".join(s.value for s in PledgeStatus)
        raise InputError(f"--status must be one of {choices} or all, not {text!r}") from None


@app.command("show")
def show(
    ctx: typer.Context,
    ref: PledgeRefArgument,
    recent: Annotated[int, typer.Option("--recent", help="How many recent actions to show.")] = 10,
    fmt: FormatOption = None,
) -> None:
    """Show a pledge and its most recent actions."""
    from pledgetrack.store.actions import ActionFilter, list_actions
    from pledgetrack.store.pledges import get_pledge
    actx = app_context(ctx)
    ROWS.check("--recent", recent)
    with actx.open(create_if_missing=False) as store:
        pledge = get_pledge(store, actx.pledge_ref(ref))
        latest = ActionFilter(pledge=pledge.ref, limit=recent)
        programs = fmt is not None and fmt.value == "json"
        actions = list_actions(store, latest) if programs else newest_for_people(store, latest)
    # a record says its dates with their year, its deadline too (`by 28/11/2008`)
    shown_year = None if people_year(fmt, actx.env) is None else EVERY_YEAR
    record = pledge_record(pledge, shown_year)
    if fmt is not None and fmt.value == "json":
        record["recent_actions"] = [action_row(a) for a in actions]
        render_record(record, fmt, actx.env)
        return
    render_record(record, fmt, actx.env, title=f"Pledge {pledge.ref}")
    if fmt is None or fmt.value in ("table", "plain"):
        render(
            [action_row(a, actx.env) for a in actions],
            without(ACTION_COLUMNS, "team", "pledge"),  # the pledge's own
            fmt,
            actx.env,
            title="Recent actions",
            empty="no actions logged yet",
        )


@app.command("edit")
@option_groups
def edit(
    ctx: typer.Context,
    ref: PledgeRefArgument,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    description: Description = None,
    agreed: NewAgreed = None,
    review: Review = None,
    meeting: Meeting = None,
    target: TargetFigures = TargetFigures(),
    yes: Annotated[
        bool,
        yes_option(
            "Change the target or agreed date even where months already ended are judged "
            "again, without asking (needed without a terminal)."
        ),
    ] = False,
) -> None:
    """Amend a pledge's wording, dates or target figures (not its target type).

    A pledge has one target, which judges every period from its agreed date: a new target
    or agreed date changes the figures of months already ended. The edit says which and
    asks first (without a terminal it needs --yes); `summary` of such a month then notes a
    target change. To keep the past figures,
    close the pledge and add the new target as a new pledge.
    """
    from pledgetrack.services import pledge_lifecycle
    actx = app_context(ctx)
    ref = actx.pledge_ref(ref)
    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "title": title,
            "description": description,
            "meeting": meeting,
            "agreed_on": actx.day("--agreed", agreed, tense="either"),
            "review_on": actx.day("--review", review, tense="future"),
        }.items()
        if value is not None
    }
    figures = target.values(actx)
    if not changes and not any_given(figures):
        raise InputError("nothing to change: give at least one option (see --help)")
    if not yes and (any_given(figures) or "agreed_on" in changes) and actx.env.stdin_isatty:
        # read in a transaction closed, never committed: declined, the file is as it was
        with closing(actx.open(create_if_missing=False, writes=True)) as store:
            planned = pledge_lifecycle.planned_rewrite(store, ref, changes, figures)
        if planned is not None:
            message(planned.words())
            if not confirmed(planned.question()):
                raise InputError(f"{planned.ref} not changed")
            yes = True
    with actx.recording() as store:
        pledge, rewrote = pledge_lifecycle.edit_pledge(
            store, ref, changes, figures, rewrite=yes
        )
        typer.echo(pledge.ref)
    if rewrote is not None:
        message(f"note: {rewrote.words(done=True)}")


def _closed_status(status: str | None) -> str | None:
    """--status read as it is given (a callback): a wrong value is said before a missing
    --outcome, which click would otherwise report first."""
    if status is None:
        return None
    try:
        return PledgeStatus(status.strip().lower()).value
    except ValueError:
        raise InputError(
            f"--status must be achieved, not-achieved or withdrawn, not {status!r}",
            field="status",
        ) from None


@app.command("close")
def close(
    ctx: typer.Context,
    ref: PledgeRefArgument,
    status: Annotated[
        str,
        typer.Option(
            "--status", help="achieved, not-achieved or withdrawn.", callback=_closed_status
        ),
    ],
    outcome: Annotated[str, typer.Option("--outcome", help="What happened, for the public.")],
    on: Annotated[str | None, typer.Option("--on", help="Date closed (default today).")] = None,
) -> None:
    """Close a pledge with its outcome. It stays on record."""
    from pledgetrack.services import pledge_lifecycle
    actx = app_context(ctx)
    closed_status = PledgeStatus(status)
    closed_on = actx.day("--on", on, tense="past") or actx.env.now().date()
    with actx.recording() as store:
        pledge = pledge_lifecycle.close_pledge(
            store, actx.pledge_ref(ref), closed_status, outcome, closed_on
        )
        typer.echo(f"{pledge.ref} {pledge.status.value}")


@app.command("reopen")
def reopen(ctx: typer.Context, ref: PledgeRefArgument) -> None:
    """Make a closed pledge active again."""
    from pledgetrack.services import pledge_lifecycle
    actx = app_context(ctx)
    with actx.recording() as store:
        pledge = pledge_lifecycle.reopen_pledge(store, actx.pledge_ref(ref))
        typer.echo(f"{pledge.ref} {pledge.status.value}")
