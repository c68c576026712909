"""`pledgetrack team ...`: register and maintain neighbourhood policing teams."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from pydantic import ValidationError

from pledgetrack.cli.context import app_context
from pledgetrack.cli.options import FormatOption
from pledgetrack.domain.models import PledgeStatus, Setting, Team
from pledgetrack.errors import InputError, from_validation_error
from pledgetrack.output import Column, message, render, render_record
from pledgetrack.store import teams as team_store
from pledgetrack.store.pledges import list_pledges

app = typer.Typer(help="Register and maintain neighbourhood policing teams.", no_args_is_help=True)

Code = Annotated[str, typer.Argument(help="Team code, e.g. CW01.")]
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

TEAM_COLUMNS = [
    Column("code", "Code"),
    Column("name", "Name"),
    Column("force", "Force"),
    Column("area", "Area"),
    Column("sergeant", "Sergeant"),
    Column("contact", "Contact"),
    Column("setting", "Setting"),
    Column("active", "Active"),
]


@app.command("add")
def add(
    ctx: typer.Context,
    code: Annotated[
        str, typer.Argument(help="Unique team code: letters, digits and '-' (e.g. CW01).")
    ],
    name: Annotated[str, typer.Option("--name", help="Team name, e.g. 'Castle Ward'.")],
    force: Force = None,
    area: Area = None,
    sergeant: Sergeant = None,
    contact: Contact = None,
    setting: SettingOpt = None,
) -> None:
    """Register a team."""
    try:
        team = Team(
            code=code,
            name=name.strip(),
            force=force,
            area=area,
            sergeant=sergeant,
            contact=contact,
            setting=setting or Setting.URBAN,
        )
    except ValidationError as exc:
        raise from_validation_error(exc) from None
    with app_context(ctx).open(write=True) as store:
        team_store.add_team(store, team)
    message(f"added team {team.code} ({team.name})")


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include archived teams.")] = False,
    fmt: FormatOption = None,
) -> None:
    """List teams (active ones unless --all)."""
    actx = app_context(ctx)
    with actx.open(write=False) as store:
        teams = team_store.list_teams(store, include_archived=all_)
    rows = [t.model_dump(mode="json") for t in teams]
    render(rows, TEAM_COLUMNS, fmt, actx.env, empty="no teams yet (add one: pledgetrack team add)")


@app.command("show")
def show(ctx: typer.Context, code: Code, fmt: FormatOption = None) -> None:
    """Show a team and how many pledges it holds."""
    actx = app_context(ctx)
    with actx.open(write=False) as store:
        team = team_store.get_team(store, code)
        pledges = list_pledges(store, team=team.code)
    record: dict[str, Any] = team.model_dump(mode="json")
    record["active_pledges"] = sum(p.status is PledgeStatus.ACTIVE for p in pledges)
    record["closed_pledges"] = len(pledges) - record["active_pledges"]
    render_record(record, fmt, actx.env, title=f"Team {team.code}")


@app.command("edit")
def edit(
    ctx: typer.Context,
    code: Code,
    name: Annotated[str | None, typer.Option("--name", help="New team name.")] = None,
    force: Force = None,
    area: Area = None,
    sergeant: Sergeant = None,
    contact: Contact = None,
    setting: SettingOpt = None,
) -> None:
    """Change a team's details (only the options given)."""
    changes = {
        key: value
        for key, value in {
            "name": name,
            "force": force,
            "area": area,
            "sergeant": sergeant,
            "contact": contact,
            "setting": setting,
        }.items()
        if value is not None
    }
    if not changes:
        raise InputError("nothing to change: give at least one option (see --help)")
    _update(ctx, code, changes, op="edit", done="updated")


@app.command("archive")
def archive(ctx: typer.Context, code: Code) -> None:
    """Archive a team: kept with its history, hidden from lists, closed to new actions."""
    _update(ctx, code, {"active": False}, op="archive", done="archived")


@app.command("restore")
def restore(ctx: typer.Context, code: Code) -> None:
    """Bring an archived team back."""
    _update(ctx, code, {"active": True}, op="restore", done="restored")


def _update(ctx: typer.Context, code: str, changes: dict[str, Any], *, op: str, done: str) -> None:
    with app_context(ctx).open(write=True) as store:
        try:
            team = team_store.update_team(store, code, changes, op=op)
        except ValidationError as exc:
            raise from_validation_error(exc) from None
    message(f"{done} team {team.code}")
