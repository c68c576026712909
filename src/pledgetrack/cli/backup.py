"""`pledgetrack backup DEST`: a consistent copy of the live database, safe to run from cron."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pledgetrack.atomicfile import check_output_path, replaced_file
from pledgetrack.cli.context import app_context
from pledgetrack.cli.options import confirmed, yes_option
from pledgetrack.errors import InputError
from pledgetrack.render import message
from pledgetrack.store.backup import backup_to


def backup(
    ctx: typer.Context,
    dest: Annotated[
        Path,
        typer.Argument(help="Backup file to write, e.g. backups/pt-2008-10-31.db."),
    ],
    yes: Annotated[bool, yes_option("Replace DEST if it exists, without asking.")] = False,
) -> None:
    """Copy the database with SQLite's online backup (consistent while others write)."""
    actx = app_context(ctx)
    # a missing folder is a bad DEST (exit 2), not a database fault; nor the database itself
    check_output_path(dest, [actx.db_path], over_database=True, named="backup")  # an older one
    if dest.exists() and not dest.is_file():  # a FIFO, a device: renamed over, it was lost
        raise InputError(
            f"cannot write backup {dest}: not a regular file (a backup is a database file)"
        )
    replaced_file(dest)  # a file this user may not write is kept (exit 74), before asking
    if dest.exists() and not yes:
        if not actx.env.stdin_isatty:
            # cron has nobody to answer a question: fail, naming the flag that says yes
            raise InputError(f"{dest} exists; pass --yes to replace it")
        if not confirmed(f"{dest} exists. Replace it?"):
            raise InputError(f"{dest} exists; not replaced")
    # a copy of an earlier release's file keeps its schema: copying is not upgrading
    with actx.open(create_if_missing=False, reads_older=True) as store:
        backup_to(store, dest)
    message(f"backed up {actx.db_path} to {dest}")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
