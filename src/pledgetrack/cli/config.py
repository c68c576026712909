"""`config show`: the defaults in force (team, database, time zone) and where each came from."""

from __future__ import annotations

import typer

from pledgetrack.cli.context import AppContext, app_context, zone_name
from pledgetrack.cli.groups import FormatOption
from pledgetrack.config import KEYS, Value
from pledgetrack.environment import DEFAULT_TZ
from pledgetrack.errors import PledgetrackError
from pledgetrack.paths import DEFAULT_DB_NAME
from pledgetrack.render import Column, message, render

app = typer.Typer(
    help="The defaults in force: PLEDGETRACK_TEAM, PLEDGETRACK_DB, PLEDGETRACK_TZ, config.toml.",
    no_args_is_help=True,
)

COLUMNS = [Column("setting", "Setting"), Column("value", "Value"), Column("source", "Source")]


@app.command("show")
def show(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Print each default in force and where it came from: flag, environment, file, default
    (the time zone: the database's, when it records one). A config file that cannot be
    used is named after the table, exit 2 (74 if the system refused to read it)."""
    actx = app_context(ctx)
    env = actx.configured or actx.env  # as configured, before the database's zone
    flag = str(actx.db_option) if actx.db_option is not None else None
    defaults = {"team": None, "db": str(env.data_dir / DEFAULT_DB_NAME), "timezone": DEFAULT_TZ}
    rows, problems = [], []
    for key in KEYS:
        try:
            value = env.setting(key, flag if key == "db" else None, defaults[key], "--db")
        except PledgetrackError as exc:
            problems.append(exc)
            path = env.config.path if env.config is not None else "config.toml"
            value = Value(key, None, f"file {path}, which cannot be used")
        if key == "timezone":
            value = _zone_in_force(actx, value, problems)
        if value.value is None and value.source == "default":  # no team: every team
            value = Value(key, None, "not set")
        rows.append({"setting": key, "value": value.value or "", "source": value.source})
    render(rows, COLUMNS, fmt, env)
    if env.config is not None:
        state = "not present" if not env.config.exists else "read"
        state = "cannot be used" if env.config.unusable is not None else state
        message(f"config file: {env.config.path} ({state})")
    if problems:  # the table said what it could; the file is this command's subject
        raise problems[0]


def _zone_in_force(actx: AppContext, configured: Value, problems: list[PledgetrackError]) -> Value:
    """The zone commands on the database use: the one it records, whatever is configured
    (said on stderr when that differs), else the zone configured."""
    env = actx.configured or actx.env
    if env.zone_problem is not None and env.zone_problem not in problems:
        problems.append(env.zone_problem)  # an unknown zone configured: refused when needed
        configured = configured._replace(source=f"{configured.source}, unknown here")
    recorded = actx.recorded
    if recorded is None:
        return configured
    if configured.value not in (None, recorded) and configured.source != "default":
        message(
            f"note: {configured.value} ({configured.source}) is not used for {actx.db_path}: "
            f"every command on it uses the zone it records"
        )
    if actx.zone_problem is not None:  # every other command on the file: exit 3
        message(f"note: {actx.zone_problem}")
        return Value("timezone", recorded, f"database {actx.db_path}, unknown here")
    return Value("timezone", zone_name(actx.env.tz), f"database {actx.db_path}")
