"""`config show`: the defaults in force (team, database, time zone) and where each came from."""

from __future__ import annotations

import typer

from pledgetrack.cli.context import app_context, zone_name
from pledgetrack.cli.groups import FormatOption
from pledgetrack.config import KEYS, Value
from pledgetrack.environment import DEFAULT_TZ
from pledgetrack.render import Column, message, render

app = typer.Typer(
    help="The defaults in force: PLEDGETRACK_TEAM, PLEDGETRACK_DB, PLEDGETRACK_TZ, config.toml.",
    no_args_is_help=True,
)

COLUMNS = [Column("setting", "Setting"), Column("value", "Value"), Column("source", "Source")]


@app.command("show")
def show(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Print each default in force and where it came from: flag, environment, file, default
    (the time zone: the database's, when it records another)."""
    actx = app_context(ctx)
    env = actx.env
    flag = str(actx.db_option) if actx.db_option is not None else None
    defaults = {"team": None, "db": str(actx.db_path), "timezone": DEFAULT_TZ}
    rows = []
    for key in KEYS:
        value = env.setting(key, flag if key == "db" else None, defaults[key], "--db")
        if key == "timezone" and actx.configured is not None:  # the database's zone wins
            message(
                f"note: {value.value} ({value.source}) is not used for {actx.db_path}: "
                f"every command on it uses the zone it records"
            )
            value = Value(key, zone_name(env.tz), f"database {actx.db_path}")
        if key == "timezone" and actx.zone_problem is not None:  # every other command: exit 3
            message(f"note: {actx.zone_problem}")
        rows.append({"setting": key, "value": value.value or "", "source": value.source})
    render(rows, COLUMNS, fmt, env)
    if env.config is not None:
        state = "read" if env.config.exists else "not present"
        message(f"config file: {env.config.path} ({state})")
