"""`pledgetrack pledge ...`: record what a team promised, amend it, close it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from pledgetrack.cli.columns import ACTION_COLUMNS, PLEDGE_COLUMNS, action_row, pledge_record
from pledgetrack.cli.context import app_context
from pledgetrack.cli.options import (
    FormatOption,
    Listing,
    PledgeRefArgument,
    TeamCodeArgument,
    TeamOption,
    option_groups,
)
from pledgetrack.domain.vocabulary import PledgeStatus

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    pass
from pledgetrack.domain.numbers import ROWS
from pledgetrack.domain.target_fields import any_given
from pledgetrack.errors import InputError
from pledgetrack.render import Column, render, render_record

app = typer.Typer(help="Record, amend and close a team's pledges.", no_args_is_help=True)

AtLeast = Annotated[
    int | None, typer.Option("--at-least", help="Frequency target: at least N actions ...")
]
Per = Annotated[str | None, typer.Option("--per", help="... per day|week|month|quarter.")]
ActionKind = Annotated[
    str | None,
    typer.Option("--action-kind", help="Frequency target: only actions of this --kind count."),
]
Within = Annotated[
    str | None,
    typer.Option("--within", help="Response target: deal with each item within e.g. 24h, 60m, 2d."),
]
Threshold = Annotated[
    float | None,
    typer.Option("--threshold", help="Percentage of items/units that must meet it (default 100)."),
]
Share = Annotated[
    float | None,
    typer.Option(
        "--share", help="Share target: at least PCT% of logged hours in the neighbourhood."
    ),
]
By = Annotated[str | None, typer.Option("--by", help="Deadline target: deliver by this date.")]
Agreed = Annotated[
    str | None, typer.Option("--agreed", help="Date agreed with residents (default today).")
]
NewAgreed = Annotated[str | None, typer.Option("--agreed", help="A corrected agreed date.")]
Review = Annotated[str | None, typer.Option("--review", help="Date to review the pledge.")]
Meeting = Annotated[
    str | None, typer.Option("--meeting", help="Meeting where it was agreed, e.g. 'PACT 14 Oct'.")
]
Description = Annotated[str | None, typer.Option("--description", help="Longer description.")]

@app.command("add")
def add(
    ctx: typer.Context,
    team: TeamCodeArgument,
    title: Annotated[str, typer.Argument(help="What was promised, in residents' words.")],
    at_least: AtLeast = None,
    per: Per = None,
    action_kind: ActionKind = None,
    within: Within = None,
    threshold: Threshold = None,
    share: Share = None,
    by: By = None,
    agreed: Agreed = None,
    review: Review = None,
    meeting: Meeting = None,
    description: Description = None,
) -> None:
    """Record a local pledge; prints its reference (e.g. CW01-L3)."""
    from pledgetrack.domain.targets import build_target
    from pledgetrack.services import pledge_lifecycle
    actx = app_context(ctx)
    target = build_target(
        at_least=at_least,
        per=per,
        action_kind=action_kind,
        within=within,
        threshold=threshold,
        share=share,
        by=actx.day("--by", by),
    )
    agreed_on = actx.day("--agreed", agreed) or actx.env.now().date()
    with actx.open(create_if_missing=True) as store:
        pledge = pledge_lifecycle.new_local_pledge(
            store,
            team,
            title,
            target,
            agreed_on=agreed_on,
            review_on=actx.day("--review", review),
            meeting=meeting,
            description=description,
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
    rows = [pledge_record(p) for p in pledges]
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
        pledge = get_pledge(store, ref)
        actions = list_actions(store, ActionFilter(pledge=pledge.ref, limit=recent))
    record = pledge_record(pledge)
    if fmt is not None and fmt.value == "json":
        record["recent_actions"] = [action_row(a) for a in actions]
        render_record(record, fmt, actx.env)
        return
    render_record(record, fmt, actx.env, title=f"Pledge {pledge.ref}")
    if fmt is None or fmt.value in ("table", "plain"):
        render(
            [action_row(a) for a in actions],
            ACTION_COLUMNS,
            fmt,
            actx.env,
            title="Recent actions",
            empty="no actions logged yet",
        )


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: PledgeRefArgument,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    description: Description = None,
    agreed: NewAgreed = None,
    review: Review = None,
    meeting: Meeting = None,
    at_least: AtLeast = None,
    per: Per = None,
    action_kind: ActionKind = None,
    within: Within = None,
    threshold: Threshold = None,
    share: Share = None,
    by: By = None,
) -> None:
    """Amend a pledge's wording, dates or target figures (not its target type)."""
    from pledgetrack.services import pledge_lifecycle
    actx = app_context(ctx)
    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "title": title,
            "description": description,
            "meeting": meeting,
            "agreed_on": actx.day("--agreed", agreed),
            "review_on": actx.day("--review", review),
        }.items()
        if value is not None
    }
    target_options = {
        "at_least": at_least,
        "per": per,
        "action_kind": action_kind,
        "within": within,
        "threshold": threshold,
        "share": share,
        "by": actx.day("--by", by),
    }
    if not changes and not any_given(target_options):
        raise InputError("nothing to change: give at least one option (see --help)")
    with actx.open(create_if_missing=True) as store:
        pledge = pledge_lifecycle.edit_pledge(store, ref, changes, target_options)
    typer.echo(pledge.ref)


@app.command("close")
def close(
    ctx: typer.Context,
    ref: PledgeRefArgument,
    status: Annotated[str, typer.Option("--status", help="achieved, not-achieved or withdrawn.")],
    outcome: Annotated[str, typer.Option("--outcome", help="What happened, for the public.")],
    on: Annotated[str | None, typer.Option("--on", help="Date closed (default today).")] = None,
) -> None:
    """Close a pledge with its outcome. It stays on record."""
    from pledgetrack.services import pledge_lifecycle
    actx = app_context(ctx)
    try:
        closed_status = PledgeStatus(status.strip().lower())
    except ValueError:
        raise InputError(
            f"--status must be achieved, not-achieved or withdrawn, not {status!r}"
        ) from None
    closed_on = actx.day("--on", on) or actx.env.now().date()
    with actx.open(create_if_missing=True) as store:
        pledge = pledge_lifecycle.close_pledge(store, ref, closed_status, outcome, closed_on)
    typer.echo(f"{pledge.ref} {pledge.status.value}")


@app.command("reopen")
def reopen(ctx: typer.Context, ref: PledgeRefArgument) -> None:
    """Make a closed pledge active again."""
    from pledgetrack.services import pledge_lifecycle
    with app_context(ctx).open(create_if_missing=True) as store:
        pledge = pledge_lifecycle.reopen_pledge(store, ref)
    typer.echo(f"{pledge.ref} {pledge.status.value}")
