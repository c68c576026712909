"""`pledgetrack demo`: build a database from the bundled example data and show what it holds."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from pledgetrack.atomicfile import atomic_output
from pledgetrack.cli.columns import (
    ACTION_COLUMNS,
    PLEDGE_COLUMNS,
    action_row,
    newest_for_people,
    people_year,
    pledge_record,
    without,
)
from pledgetrack.cli.context import AppContext, app_context
from pledgetrack.cli.documents import HqFormat, UpdateFormat, hq_text, update_text
from pledgetrack.cli.groups import FormatOption, Listing
from pledgetrack.cli.summaries import show_summary
from pledgetrack.domain.periods import parse_period
from pledgetrack.errors import InputError
from pledgetrack.paths import demo_data_dir
from pledgetrack.render import message, render, resolve_format
from pledgetrack.reporting.html import GENERATOR

DEMO_TEAM = "CW01"
DEMO_PERIOD = "2008-10"
DEMO_AS_OF = "2008-11-01"
DEMO_END = date(2008, 10, 31)  # the latest actions shown are those the report can see
DEMO_TEAMS = {"CW01", "BL02", "MH03"}
DEMO_ENTERED = datetime(2009, 1, 1, tzinfo=UTC)
GENERATOR_MARK = f'<meta name="generator" content="{GENERATOR}">'.encode()


def _earlier_demo(path: Path) -> int | None:
    """A file holding just the demo teams is an earlier demo, safe to replace, whatever
    release wrote it (an older schema, or a newer): a new schema must not turn the README's
    first command into a refusal. A real database at any schema has its own teams. Returns
    how many actions were logged in it after it was built (None: not a demo)."""
    from pledgetrack.store.teams import codes_in_file
    try:
        codes, later = codes_in_file(path)
    except sqlite3.Error:  # not SQLite, or no teams or actions table: not a demo
        return None
    return later if codes == DEMO_TEAMS else None


def _is_our_report(path: Path) -> bool:
    """A page that `report` wrote (an earlier demo's, say) is safe to replace."""
    try:
        with path.open("rb") as fh:
            head = fh.read(400)
    except OSError:
        return False
    return head.startswith(b"<!DOCTYPE html>") and GENERATOR_MARK in head


def report_paths(database: Path) -> dict[str, Path]:
    """Where the demo writes its reports: beside its database."""
    return {
        "update": database.with_name(f"demo-update-{DEMO_TEAM}.html"),
        "hq": database.with_name("demo-hq.html"),
    }


def demo(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where to write the demo database. Default: demo.db in the user data "
            "directory. An earlier demo there is replaced (one with actions logged in it "
            "since it was built needs --yes); any other file needs --yes.",
            dir_okay=False,
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace --out even if it is not a demo database.")
    ] = False,
    fmt: FormatOption = None,
) -> None:
    """Build a demo database from the bundled examples (three teams, autumn 2008) and report."""
    from pledgetrack.services.demo_data import load_demo
    from pledgetrack.store.actions import ActionFilter
    from pledgetrack.store.pledges import list_pledges
    actx = app_context(ctx)
    if actx.db_option is not None:
        raise InputError("demo builds a database of its own: give --out PATH, not --db")
    set_aside = actx.set_aside_unusable_config()  # the demo's data are its own
    if set_aside is not None:
        message(f"note: {set_aside}; the demo does not use that file")
    actx.use_configured_zone()  # a new database, in the zone configured
    path = out or actx.env.data_dir / "demo.db"
    earlier = _earlier_demo(path) if path.exists() else None
    if path.exists() and not yes and earlier is None:
        raise InputError(
            f"--out {path} exists and is not a demo database; pass --yes to replace it"
        )
    if earlier and not yes:  # someone tried `log` on it, as the README invites (FRESH6 I10)
        raise InputError(
            f"--out {path} is an earlier demo with {earlier} action"
            f"{'' if earlier == 1 else 's'} logged in it since it was built; pass --yes to "
            "replace it, or give another --out"
        )
    reports = report_paths(path)
    if path.expanduser().resolve() in {t.expanduser().resolve() for t in reports.values()}:
        raise InputError(
            f"--out {path}: the demo writes its reports under that name; choose another"
        )
    for target in reports.values():  # beside the database: its folder is made with it
        if target.exists() and not yes and not _is_our_report(target):
            raise InputError(
                f"{target} exists and is not a pledgetrack report; pass --yes to replace it"
            )
    # the first thing a newcomer reads: where this writes (by default, their data directory)
    message(f"writing the demo database to {path}{'' if out else ' (choose with --out PATH)'}")
    # built beside it, then put in its place: a failed build leaves the earlier file as it
    # was, and an earlier demo someone recorded in since is not replaced without --yes
    building = path.with_name(f".{path.name}.{os.getpid()}.building")
    try:
        building_ctx = AppContext(env=actx.env, db_option=building)
        created: list[str] = []
        with building_ctx.open(create_if_missing=True, named=path, held=created) as store:
            # the examples are history: load them as if entered once the year was out
            # (in the database's zone: DEMO_ENTERED's UTC would read every example's time
            # as UTC, a summer evening an hour out, whenever the clock is before it)
            entered = max(actx.env.now(), DEMO_ENTERED).astimezone(actx.env.tz)
            counts = load_demo(store, demo_data_dir(), entered)
        for suffix in ("-wal", "-shm"):  # the earlier file's, which SQLite would pair
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        building.replace(path)
        for line in created:
            message(line)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
    demo_ctx = AppContext(env=actx.env, db_option=path)
    with demo_ctx.open(create_if_missing=False) as store:
        pledges = list_pledges(store, team=DEMO_TEAM)
        recent = newest_for_people(store, ActionFilter(team=DEMO_TEAM, end=DEMO_END, limit=5))
    message(
        f"demo database {path}: {counts['teams']} teams, {counts['pledges']} pledges, "
        f"{counts['actions']} actions"
    )
    render(
        [pledge_record(p, people_year(fmt, actx.env)) for p in pledges],
        PLEDGE_COLUMNS,
        fmt,
        actx.env,
        title=f"Pledges of team {DEMO_TEAM}",
    )
    render(
        [action_row(a, actx.env if resolve_format(fmt, actx.env).for_people else None)
         for a in recent],
        without(ACTION_COLUMNS, "team"),  # the demo team's
        fmt,
        actx.env,
        title=f"Latest actions of team {DEMO_TEAM}",
    )
    # The main job: every team's compliance for October 2008, as things stood on 1 November
    moment = demo_ctx.moment("--as-of", DEMO_AS_OF, tense="either")
    month = parse_period(DEMO_PERIOD, moment.date())
    # every team: the demo's data are its own, not the default team's (FRESH4 G20)
    show_summary(demo_ctx, month, moment, None, Listing(fmt=fmt))
    # the public update residents would get, and the report HQ would read
    with demo_ctx.open(create_if_missing=False) as store:
        texts = {
            "update": update_text(store, DEMO_TEAM, month, moment, UpdateFormat.HTML),
            "hq": hq_text(store, month, moment, HqFormat.HTML),
        }
    for key, target in reports.items():
        with atomic_output(target) as fh:
            fh.write(texts[key])
    from pledgetrack.domain.plain_words import period_words
    named = period_words(month)  # `October 2008`; the command to explore it says 2008-10
    message(f"team {DEMO_TEAM}'s public update for {named}: {reports['update']}")
    message(f"the HQ report for {named}: {reports['hq']}")
    message(
        f"explore it: pledgetrack --db {path} summary --period {DEMO_PERIOD} --as-of {DEMO_AS_OF}"
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
