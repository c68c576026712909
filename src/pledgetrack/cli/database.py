"""`pledgetrack db check`, `db info` and `db upgrade`: is the database sound, what is it,
and bring an earlier release's file up to this one's schema."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Annotated

import typer

from pledgetrack.cli.context import app_context
from pledgetrack.errors import DatabaseError
from pledgetrack.render import message
from pledgetrack.store import health, stored_kinds
from pledgetrack.store.migrations import LATEST_VERSION, user_version
from pledgetrack.store.zones import recorded_zone

LISTED = 20  # services.health.LISTED, without its imports on --help's path

app = typer.Typer(
    help="Check the database, say what it is, or upgrade its schema.", no_args_is_help=True
)


@app.command("check")
def check(
    ctx: typer.Context,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help=f"List every row of each problem (by default a problem found on more "
            f"than {LISTED} rows is one line, counting them and naming the first {LISTED}).",
        ),
    ] = False,
) -> None:
    """Integrity, foreign keys, the change log against the tables, and every stored time;
    exit 3 with what was found (one line each on stdout), every problem counted.

    Everyday commands do not read every page, so a damaged page can go unnoticed until
    this check (or a read that reaches it): run it from cron, before the nightly backup.
    """
    from pledgetrack.services import health  # the checks' models: not for --help

    actx = app_context(ctx)
    with actx.open(create_if_missing=False, reads_older=True) as store:
        report = health.check(store, every=every)
    for note in report.notes:  # a voided action's cell: it counts nowhere, fails nothing
        message(f"note: {note}")
    for line in report.lines:
        typer.echo(line)
    if report.closing is not None:
        raise DatabaseError(report.closing)
    message(f"{actx.db_path}: ok (integrity, foreign keys, change log)")


@app.command("info")
def info(ctx: typer.Context) -> None:
    """Path, schema version, the time zone it keeps its times in, rows per table, size on
    disk and file mode."""
    actx = app_context(ctx)
    path = actx.db_path
    with actx.open(create_if_missing=False, reads_older=True) as store:
        version = user_version(store.conn)
        counts = health.counts(store)
        journal = health.journal_mode(store)
        read_only = store.read_only
        zone = recorded_zone(store.conn)
    lines = [
        ("path", str(path.resolve())),
        ("schema version", str(version)),
        ("time zone", zone or "not recorded"),
        *((table, str(n)) for table, n in counts.items()),
        ("size", f"{_size(path)} bytes"),
        ("mode", oct(stat.S_IMODE(path.stat().st_mode))[2:].rjust(4, "0")),
        ("journal", journal),
    ]
    if read_only:
        lines.append(("access", "read-only for this user"))
    for key, value in lines:
        typer.echo(f"{key}: {value}")


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring a database an earlier release wrote up to this release's schema, in one
    transaction; exit 0 and say so when it is already current. Reads never upgrade.

    It also normalises kinds stored before kinds were normalised (`Foot  Patrol`), saying
    each, and each pledge whose figures that changes; no other command does.

    From before schema 13 it records the zone it runs in (PLEDGETRACK_TZ, else
    Europe/London) for every later command, once it has checked that the times stored
    carry that zone's offsets (refused, exit 2, naming the first that does not).
    """
    actx = app_context(ctx)
    with actx.open(create_if_missing=False, writes=True) as store:
        current = store.upgrade_from is None
        normalised = stored_kinds.normalise(store)  # in the upgrade's transaction
    for line in normalised:
        message(line)
    if current and not normalised:
        message(f"{actx.db_path} is already at schema {LATEST_VERSION}; nothing to do")


def _size(path: Path) -> int:
    """The file and its -wal: what a copy of the database would take."""
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += Path(f"{path}{suffix}").stat().st_size
        except OSError:
            continue
    return total
