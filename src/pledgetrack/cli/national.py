"""`pledgetrack national [show N4]`: the ten national commitments, read from the catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from pledgetrack.cli.context import app_context
from pledgetrack.cli.groups import FormatOption

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.domain.national import Commitment
from pledgetrack.render import Column, render, render_record, resolve_format

app = typer.Typer(
    help="The national Policing Pledge: list the ten commitments every team is measured "
    "against; `national show N4` explains one.",
)

CATALOGUE_COLUMNS = [
    Column("number", "No."),
    Column("title", "Commitment", truncate=True),
    Column("target_type", "Type", priority=3),
    Column("target", "Target", priority=2, truncate=True),
    # a command: whole or not at all, its lines wide enough for an option and its value
    Column("log_with", "Log with", priority=2, wrap=True, min_width=30),
]


def commitment_record(c: Commitment) -> dict[str, Any]:
    return {
        "number": c.code,
        "title": c.title,
        "commitment": c.text,
        "target_type": c.target.type,
        "target": c.target_text,
        "log_with": c.log_with or f"log TEAM-{c.code} 'what was done'",
        "what_to_log": c.log,
        "how_judged": c.judged,
    }


@app.callback(invoke_without_command=True)
def catalogue(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List the ten commitments: target, and the command that logs what each is judged on."""
    from pledgetrack.domain.national import CATALOGUE
    if ctx.invoked_subcommand is not None:
        return
    actx = app_context(ctx)
    rows = [commitment_record(c) for c in CATALOGUE]
    # a table shows what fits on a screen; programs get every field
    wide = not resolve_format(fmt, actx.env).for_people
    columns = [Column(key, key) for key in rows[0]] if wide else CATALOGUE_COLUMNS
    render(rows, columns, fmt, actx.env, title="The national Policing Pledge")


@app.command("show")
def show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(metavar="N", help="Commitment, e.g. N4.")],
    fmt: FormatOption = None,
) -> None:
    """Explain one commitment: what it promises, its target, what to log, how it is judged."""
    from pledgetrack.domain.national import commitment
    c = commitment(number)
    render_record(commitment_record(c), fmt, app_context(ctx).env, title=f"{c.code} {c.title}")
