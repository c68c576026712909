"""Options shared by many commands, defined once so they read and behave the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

from pledgetrack.output import Format

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table (terminal default), plain (default when piped), csv or json.",
    ),
]
TeamOption = Annotated[str | None, typer.Option("--team", "-t", help="Team code, e.g. CW01.")]
