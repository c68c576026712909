"""Shell completion of team codes and pledge references from the database in use.

Typer's `--install-completion` / `--show-completion` set up bash, zsh or fish; these
functions answer the Tab presses. They run before any command callback, so the database
is found here from `--db`, the environment and config.toml, exactly as a command finds it.
"""

from __future__ import annotations

import typer

from pledgetrack.environment import Environment
from pledgetrack.errors import PledgetrackError
from pledgetrack.paths import database_path
from pledgetrack.store.completion import suggestions


def _complete(ctx: typer.Context, what: str, incomplete: str) -> list[tuple[str, str]]:
    try:
        env = Environment.from_os()
        path = database_path(ctx.find_root().params.get("db"), env)
    except (PledgetrackError, OSError):
        return []
    # codes and refs are case-insensitive on entry: keep the case typed so far, because the
    # shell (and Typer) keep only suggestions that start with exactly what was typed
    return [
        (incomplete + value[len(incomplete) :], text)
        for value, text in suggestions(path, what, incomplete)
    ]


def complete_team(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Team codes starting with what was typed (case does not matter), with their names."""
    return _complete(ctx, "team", incomplete)


def complete_pledge(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Pledge references starting with what was typed, with their titles."""
    return _complete(ctx, "pledge", incomplete)
