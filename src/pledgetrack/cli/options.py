"""Options shared by many commands, defined once so they read and behave the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

from pledgetrack.errors import InputError
from pledgetrack.render import Format

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table (terminal default), plain (default when piped), csv or json.",
    ),
]
TeamOption = Annotated[
    str | None,
    typer.Option(
        "--team", "-t", metavar="TEAM", help="Team code, e.g. CW01 (default: your default team)."
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", help="At most N, newest first."),
]


def check_limit(limit: int | None) -> None:
    if limit is not None and limit < 0:
        raise InputError(f"--limit must be 0 or more, not {limit}")
