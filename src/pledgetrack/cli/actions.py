"""`log`, `respond`, `void`, `actions`, `history`: the day-to-day record of what was done."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from pledgetrack.cli.columns import ACTION_COLUMNS, action_row
from pledgetrack.cli.completion import complete_pledge
from pledgetrack.cli.context import app_context
from pledgetrack.cli.entry import new_action
from pledgetrack.cli.options import (
    ExtRefOption,
    LimitOption,
    Listing,
    OfficerOption,
    OnOrAfterOption,
    OnOrBeforeOption,
    PledgeRefArgument,
    TeamOption,
    abstracted_option,
    check_limit,
    hours_option,
    include_void_option,
    kind_option,
    open_option,
    option_groups,
    received_option,
    resolve_days,
    when_option,
)

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.services import action_log
from pledgetrack.errors import InputError
from pledgetrack.render import Column, Format, message, resolve_format


def log(
    ctx: typer.Context,
    ref: PledgeRefArgument,
    description: Annotated[
        str,
        typer.Argument(
            metavar="DESCRIPTION",
            help="What was done. One starting with '-' goes after '--': log REF -- '-2 bins'.",
        ),
    ],
    when: Annotated[str | None, when_option("When it was done (default now).")] = None,
    kind: Annotated[str | None, kind_option("Kind of action, e.g. patrol, meeting.")] = None,
    officer: OfficerOption = None,
    partner: Annotated[
        str | None, typer.Option("--partner", help="Partner agency involved, e.g. council.")
    ] = None,
    hours: Annotated[float | None, hours_option("Hours spent.")] = None,
    abstracted: Annotated[
        bool, abstracted_option("The hours were taken away from the neighbourhood.")
    ] = False,
    received: Annotated[
        str | None, received_option("Response pledges: when the message or call came in.")
    ] = None,
    open_: Annotated[bool, open_option("Response pledges: received, not yet dealt with.")] = False,
    ext_ref: ExtRefOption = None,
    highlight: Annotated[
        bool,
        typer.Option(
            "--highlight",
            help="A notable outcome: quoted under 'We did' in the team's public update "
            "(report update).",
        ),
    ] = False,
    delivers: Annotated[
        bool,
        typer.Option(
            "--delivers",
            help="Deadline pledges: this action delivers what was promised (any other "
            "action is progress).",
        ),
    ] = False,
) -> None:
    """Log an action against a pledge; prints the new action id."""
    from pledgetrack.services import action_log
    actx = app_context(ctx)
    action = new_action(
        actx,
        ref,
        description,
        when=when,
        received=received,
        open_=open_,
        kind=kind,
        officer=officer,
        partner=partner,
        hours=hours,
        abstracted=abstracted,
        ext_ref=ext_ref,
        highlight=highlight,
        delivers=delivers,
    )
    with actx.recording(officer=action.officer) as store:
        typer.echo(action_log.log_action(store, action))


def respond(
    ctx: typer.Context,
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The open item's action id.")],
    when: Annotated[str | None, when_option("When it was dealt with (default now).")] = None,
) -> None:
    """Mark an open response item as dealt with."""
    from pledgetrack.services import action_log
    actx = app_context(ctx)
    moment = actx.moment("--when", when)
    with actx.open(create_if_missing=False, writes=True) as store:
        done = action_log.respond(store, action_id, moment)
    message(f"action {done.action.id} {_outcome(done)}")


def _outcome(done: action_log.Responded) -> str:
    """`late: 24.5h against 24h` or `dealt with after 6.0h, within 24h`."""
    from pledgetrack.domain.targets import format_duration
    elapsed = f"{done.elapsed_s / 3600:.1f}h"
    if done.limit_minutes is None:
        return f"dealt with after {elapsed}"
    limit = format_duration(done.limit_minutes)
    if elapsed.removesuffix(".0h") + "h" == limit or done.limit_minutes < 60:
        elapsed = format_duration(done.elapsed_s / 60)  # 24h01m, not a late "24.0h"
    if done.late:
        return f"late: {elapsed} against {limit}"
    return f"dealt with after {elapsed}, within {limit}"


def void(
    ctx: typer.Context,
    action_id: Annotated[int, typer.Argument(metavar="ID", help="Action id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is void (kept on record).")],
) -> None:
    """Void a wrong action: it stays on record but no longer counts."""
    from pledgetrack.services import action_log
    with app_context(ctx).open(create_if_missing=False, writes=True) as store:
        action = action_log.void(store, action_id, reason)
    message(f"voided action {action.id}")


@option_groups
def actions(
    ctx: typer.Context,
    team: TeamOption = None,
    pledge: Annotated[
        str | None,
        typer.Option(
            "--pledge",
            "-p",
            metavar="REF",
            help="Pledge reference.",
            autocompletion=complete_pledge,
        ),
    ] = None,
    from_: OnOrAfterOption = None,
    to: OnOrBeforeOption = None,
    kind: Annotated[str | None, kind_option("Only this kind.")] = None,
    include_void: Annotated[bool, include_void_option("Show voided actions too.")] = False,
    limit: LimitOption = None,
    shown: Listing = Listing(),
) -> None:
    """List logged actions, newest first (all that match unless --limit)."""
    from pledgetrack.store.actions import ActionFilter, list_actions
    actx = app_context(ctx)
    check_limit(limit)
    start, end = resolve_days(actx, from_, to)
    flt = ActionFilter(
        team=actx.team(team),
        pledge=pledge,
        start=start,
        end=end,
        kind=kind,
        include_void=include_void,
        limit=limit,
    )
    with actx.open(create_if_missing=False) as store:
        found = list_actions(store, flt)
    columns = (
        [*ACTION_COLUMNS, Column("void_reason", "Void reason", priority=2, truncate=True)]
        if include_void
        else ACTION_COLUMNS
    )
    shown.show([action_row(a) for a in found], columns, actx.env, empty="no actions match")


# At 80 columns a change still says when, by whom, to what and what it became: the change
# number (no command takes it), the old value and the account give way first.
CHANGE_COLUMNS = [
    Column("id", "#", numeric=True, priority=4),
    Column("at", "At", priority=1),
    Column("who", "Account", priority=3),  # the operating-system account: the user cannot choose it
    Column(
        "officer", "Officer (as given)", priority=2, truncate=True
    ),  # --officer or PLEDGETRACK_OFFICER, unverified
    Column("entity", "Entity", priority=2),
    Column("entity_key", "Key", priority=1),
    Column("op", "Op", priority=1),
    Column("old", "Old", priority=4, truncate=True),
    Column("new", "New", priority=1, truncate=True, min_width=16),
]


@option_groups
def history(
    ctx: typer.Context,
    key: Annotated[
        str | None,
        typer.Argument(help="A team code, pledge reference or action id (default: everything)."),
    ] = None,
    team: Annotated[
        str | None, typer.Option("--team", help="The team with this code (not a pledge/action).")
    ] = None,
    pledge: Annotated[
        str | None, typer.Option("--pledge", help="The pledge with this reference.")
    ] = None,
    action: Annotated[
        int | None, typer.Option("--action", help="The action with this id (not team 1).")
    ] = None,
    limit: LimitOption = None,
    shown: Listing = Listing(),
) -> None:
    """Show the audit log of every insert, edit, close and void (newest first).

    KEY may name a team, a pledge or an action; an unknown key is refused, and so is one
    that names two records (team 1 and action 1): say which with --team, --pledge or --action.
    """
    from pledgetrack.services import history as history_service
    actx = app_context(ctx)
    check_limit(limit)
    given = [
        (kind, text)
        for kind, text in (
            (None, key),
            (history_service.Kind.TEAM, team),
            (history_service.Kind.PLEDGE, pledge),
            (history_service.Kind.ACTION, None if action is None else str(action)),
        )
        if text is not None
    ]
    if len(given) > 1:
        raise InputError("give one of KEY, --team, --pledge or --action")
    kind, chosen = given[0] if given else (None, None)
    with actx.open(create_if_missing=False) as store:
        rows = history_service.changes(store, kind, chosen, limit)
    if shown.fmt is not None and shown.fmt.value == "json":
        for row in rows:
            row["old"] = json.loads(row["old"]) if row["old"] else None
            row["new"] = json.loads(row["new"]) if row["new"] else None
    if resolve_format(shown.fmt, actx.env) is Format.TABLE:  # `26/10 09:30` for people
        for row in rows:
            row["at"] = datetime.fromisoformat(row["at"])
    shown.show(rows, CHANGE_COLUMNS, actx.env, empty="no changes recorded")


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("respond")(respond)
    app.command("void")(void)
    app.command("actions")(actions)
    app.command("history")(history)
