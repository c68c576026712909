"""`actions`, `history`: what was logged, and every change made to the records."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pledgetrack.cli.columns import ACTION_COLUMNS, action_row, newest_for_people, without
from pledgetrack.cli.completion import complete_pledge
from pledgetrack.cli.context import app_context
from pledgetrack.cli.groups import Listing, option_groups
from pledgetrack.cli.options import (
    LimitOption,
    OnOrAfterOption,
    OnOrBeforeOption,
    TeamOption,
    check_limit,
    include_void_option,
    kind_option,
    resolve_days,
)
from pledgetrack.environment import Environment
from pledgetrack.errors import InputError
from pledgetrack.render import Column, Format, cell_text, people_text, resolve_format

if TYPE_CHECKING:
    from pledgetrack.domain.models import Action
    from pledgetrack.store.connection import Store


@option_groups
def actions(
    ctx: typer.Context,
    team: TeamOption = None,
    pledge: Annotated[
        str | None,
        typer.Option(
            "--pledge",
            "-p",
            metavar="REF",
            help="Pledge reference.",
            autocompletion=complete_pledge,
        ),
    ] = None,
    from_: OnOrAfterOption = None,
    to: OnOrBeforeOption = None,
    kind: Annotated[str | None, kind_option("Only this kind (case and spaces aside).")] = None,
    include_void: Annotated[bool, include_void_option("Show voided actions too.")] = False,
    limit: LimitOption = None,
    shown: Listing = Listing(),
) -> None:
    """List logged actions, newest first (all that match unless --limit)."""
    from pledgetrack.store.actions import ActionFilter, list_actions
    actx = app_context(ctx)
    check_limit(limit)
    start, end = resolve_days(actx, from_, to)
    flt = ActionFilter(
        team=actx.team(team),
        pledge=None if pledge is None else actx.pledge_ref(pledge),
        start=start,
        end=end,
        kind=kind,
        include_void=include_void,
        limit=limit,
    )
    people = actx.env if resolve_format(shown.fmt, actx.env).for_people else None
    with actx.open(create_if_missing=False) as store:
        found = list_actions(store, flt) if people is None else newest_for_people(store, flt)
        agreed = _agreed(store, found) if people is not None else {}
    columns = (
        [*ACTION_COLUMNS, Column("void_reason", "Void reason", truncate=True, asked=True)]
        if include_void
        else ACTION_COLUMNS
    )
    if flt.team and people:  # every row's team, which --team said (CSV keeps its columns)
        columns = without(columns, "team")
    shown.show(
        [action_row(a, people, agreed.get(a.id or 0)) for a in found],
        columns,
        actx.env,
        empty="no actions match",
    )


def _agreed(store: Store, found: list[Action]) -> dict[int, int | None]:
    """How often each victim of the contacts listed agreed to hear from us (days)."""
    from pledgetrack.domain.national import KIND_VICTIM_UPDATE
    from pledgetrack.store.national import agreed_every

    return agreed_every(store, [a.id for a in found if a.kind == KIND_VICTIM_UPDATE and a.id])


# At 80 columns a change still says when, by whom, to what and what it became: the change
# number (no command takes it), the old value and the account give way first.
CHANGE_COLUMNS = [
    Column("id", "#", numeric=True, priority=4),
    Column("at", "At", priority=1),
    Column("who", "Account", priority=3),  # the operating-system account: the user cannot choose it
    Column(
        "officer", "Officer (as given)", priority=2, truncate=True
    ),  # --officer or PLEDGETRACK_OFFICER, unverified
    Column("entity", "Entity", priority=1),  # without it, planned meeting 1 reads as action 1
    Column("entity_key", "Key", priority=1),
    Column("op", "Op", priority=1),
    Column("old", "Old", priority=4, truncate=True),
    Column("new", "New", priority=1, truncate=True, min_width=16),
    # an action's logging or response written more than a day after the time it records
    # (entry_rules.logged_late): how long after, in hours; empty when in time
    Column("logged_after_hours", "Logged after (h)", numeric=True, priority=4),
]
# For people (a table, plain text) the change is read whole, field by field (`title: 'old'
# -> 'new'`), wrapped in a table, in place of Old and New: the two records cut to a column
# each showed no edit at 80 columns, and plain text showed their JSON. They come back with
# --wide or --columns; CSV and JSON keep them alone, whole.
_OLD_NEW = [c for c in CHANGE_COLUMNS if c.key in ("old", "new", "logged_after_hours")]
TABLE_CHANGE_COLUMNS = [
    *(c for c in CHANGE_COLUMNS if c not in _OLD_NEW),
    Column("change", "Change", wrap=True, min_width=20),
]


def describe_change(
    old: dict[str, Any] | None, new: dict[str, Any] | None, env: Environment
) -> str:
    """`target count: 2 -> 3; title: 'Two patrols' -> 'Three patrols'`; a record written
    whole (an insert, an import) by its values, `ref: 'CW01-L1'; title: ...`, leaving out
    the empty ones and the flags not set (`abstracted: 0`). Fields by the names people
    know them by (`when`, `received`, `ref`: an action's columns as `export actions` and
    the tables call them); times and days read as in the table's At column (`voided at:
    01/12 16:12`)."""
    old, new = old or {}, new or {}
    if not old:
        return "; ".join(
            f"{_name(k)}: {_said(k, v, env)}"
            for k, v in new.items()
            if v is not None and not (_is_flag(k) and not v)
        )
    keys = [*new, *(k for k in old if k not in new)]
    return "; ".join(
        f"{_name(k)}: {_said(k, old.get(k), env)} -> {_said(k, new.get(k), env)}" for k in keys
    )


@cache
def _action_fields() -> tuple[dict[str, str], frozenset[str]]:
    """An action's stored names as people know them (`occurred_at` -> `when`: its export
    column) and its flags, from store.actions.COLUMNS, the one declaration of them."""
    from pledgetrack.store.actions import COLUMNS, Kind

    names = {c.name: c.export for c in COLUMNS if c.export != c.name}
    return names, frozenset(c.name for c in COLUMNS if c.kind is Kind.FLAG)


def _is_flag(key: str) -> bool:
    """Stored as 0 or 1: an action's flags, a team's `active`."""
    return key == "active" or key in _action_fields()[1]


def _name(key: str) -> str:
    """A stored field as people read it: `occurred_at` -> `when`, `target_count` -> `target
    count`."""
    return _action_fields()[0].get(key, key).replace("_", " ")


def _said(key: str, value: Any, env: Environment) -> str:
    if value is None:
        return "(none)"
    if _is_flag(key) and value in (0, 1):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return cell_text(value)  # a number as tables print one (100, not 100.0)
    try:  # a stored time (`voided_at`) or day (`closed_on`), as the At column says one
        if key.endswith("_at") and (moment := datetime.fromisoformat(value)).tzinfo:
            return people_text(moment, env)
        if key.endswith(("_on", "_due")):  # a pledge's agreed_on, its target_due
            return people_text(date.fromisoformat(value), env)
    except ValueError:
        pass  # not in the stored form (another tool wrote it): as stored
    return f"'{cell_text(value)}'"  # a line break as `\n`: one row, however it wraps


@option_groups
def history(
    ctx: typer.Context,
    key: Annotated[
        str | None,
        typer.Argument(help="A team code, pledge reference or action id (default: everything)."),
    ] = None,
    team: Annotated[
        str | None, typer.Option("--team", help="The team with this code (not a pledge/action).")
    ] = None,
    pledge: Annotated[
        str | None, typer.Option("--pledge", help="The pledge with this reference.")
    ] = None,
    action: Annotated[
        int | None, typer.Option("--action", help="The action with this id (not team 1).")
    ] = None,
    limit: LimitOption = None,
    shown: Listing = Listing(),
) -> None:
    """Show the audit log of every insert, edit, close and void (newest first).

    KEY may name a team, a pledge or an action; an unknown key is refused, and so is one
    that names two records (team 1 and action 1): say which with --team, --pledge or --action.
    """
    from pledgetrack.services import history as history_service
    actx = app_context(ctx)
    check_limit(limit)
    given = [
        (kind, text)
        for kind, text in (
            (None, key),
            (history_service.Kind.TEAM, team),
            (history_service.Kind.PLEDGE, None if pledge is None else actx.pledge_ref(pledge)),
            (history_service.Kind.ACTION, None if action is None else str(action)),
        )
        if text is not None
    ]
    if len(given) > 1:
        raise InputError("give one of KEY, --team, --pledge or --action")
    kind, chosen = given[0] if given else (None, None)
    with actx.open(create_if_missing=False) as store:
        rows = history_service.changes(store, kind, chosen, limit)
    chosen_format = resolve_format(shown.fmt, actx.env)
    for row in rows:
        late = row.pop("late_by")
        row["logged_after_hours"] = None if late is None else round(late / timedelta(hours=1), 2)
    if chosen_format is Format.JSON:
        for row in rows:
            row["old"] = json.loads(row["old"]) if row["old"] else None
            row["new"] = json.loads(row["new"]) if row["new"] else None
    columns = CHANGE_COLUMNS
    # for people the change in words and the time as every listing prints one (`26/10
    # 09:30`); CSV and JSON keep the stored records and time, to the second
    if chosen_format.for_people:
        for row in rows:
            row["change"] = _late(row) + describe_change(
                json.loads(row["old"]) if row["old"] else None,
                json.loads(row["new"]) if row["new"] else None,
                actx.env,
            )
            row["at"] = datetime.fromisoformat(row["at"])
        asked = shown.wide or shown.pick
        columns = [*TABLE_CHANGE_COLUMNS, *(_OLD_NEW if asked else ())]
    shown.show(rows, columns, actx.env, empty="no changes recorded")


def _late(row: dict[str, Any]) -> str:
    """`logged 30h after its time; `, `logged 12d after ...`: why a pledge's history shows
    an action's entry that is no void, said first, to the minute (past three days, the day)."""
    from pledgetrack.domain.durations import format_duration

    hours = row["logged_after_hours"]
    if hours is None:
        return ""
    minutes = hours // 24 * 24 * 60 if hours >= 72 else hours * 60
    return f"logged {format_duration(minutes)} after its time; "


def register(app: typer.Typer) -> None:
    app.command("actions")(actions)
    app.command("history")(history)
