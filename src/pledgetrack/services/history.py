"""`history`: which record a key names, so a typo is refused rather than shown as "no
changes"; and of a pledge, the changes of its actions that moved its figures."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pledgetrack.domain.entry_rules import logged_late
from pledgetrack.domain.models import normalise_code
from pledgetrack.domain.numbers import ID
from pledgetrack.errors import InputError, NotFoundError
from pledgetrack.store.actions import get_action
from pledgetrack.store.changes import list_changes
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import get_pledge
from pledgetrack.store.teams import get_team


class Kind(StrEnum):
    TEAM = "team"
    PLEDGE = "pledge"
    ACTION = "action"


# The audit entries that belong to each kind of record: the details the national shortcuts
# store beside an action (a meeting's attendance, a victim's case) are part of its history
ENTITIES = {
    Kind.TEAM: ("team",),
    Kind.PLEDGE: ("pledge",),
    Kind.ACTION: ("action", "meeting", "victim-contact"),
}


def changes(
    store: Store, kind: Kind | None, key: str | None, limit: int | None
) -> list[dict[str, Any]]:
    """The audit log of one record (all of it without a key), newest first, each entry
    with `late_by`: how long after the time it records an action's entry was logged, when
    that was late (entry_rules.logged_late), else None.

    A key of unknown kind must name exactly one record: none is refused as unknown, two
    (team `1` and action 1) as ambiguous, with the options that say which. A pledge's
    includes its actions' entries that moved its figures (`moved_figures`).
    """
    if key is None:
        return _with_lateness(list_changes(store, limit=limit))
    if kind is None:
        found = [k for k in Kind if _exists(store, k, key)]
        if not found:
            raise NotFoundError(
                f"no team, pledge or action {key.strip()!r} (see: pledgetrack team list, "
                "pledge list, actions)",
                field="key",
            )
        if len(found) > 1:
            choices = " or ".join(f"history --{k.value} {key.strip()}" for k in found)
            raise InputError(
                f"{key.strip()!r} is both a {' and an '.join(k.value for k in found)}; "
                f"say which: {choices}",
                field="key",
            )
        kind = found[0]
    else:
        _check(store, kind, key)
    stored = _stored_key(kind, key)
    if kind is not Kind.PLEDGE:
        return _with_lateness(
            list_changes(store, entities=ENTITIES[kind], key=stored, limit=limit)
        )
    rows = _with_lateness(
        list_changes(
            store,
            entities=ENTITIES[kind],
            key=stored,
            actions_of=stored,
            action_entities=ENTITIES[Kind.ACTION],
        )
    )
    return moved_figures(rows)[:limit]


# An action's entries that record a time (its logging, its response): routine when logged
# in time, shown in its pledge's history only when late; every other (a void, a kind
# normalised) changed a figure already counted, and is shown.
_RECORDING = ("insert", "import", "respond")
# the times an entry records, the earliest the one whose period it moved
_TIMES = ("received_at", "occurred_at")


def moved_figures(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of a pledge's history (newest first), its own entries and those of its actions that
    moved its figures: a void (with the action's logging, to say what was voided), an
    entry logged late (a patrol written up days after, an import, a back-dated response),
    any other change; not the routine logging and answering in time, which `actions
    --pledge REF` lists. A meeting's or victim's details go with their action's logging."""
    voided = {r["entity_key"] for r in rows if r["entity"] == "action" and r["op"] == "void"}
    shown_logging = {
        r["entity_key"]
        for r in rows
        if r["entity"] == "action"
        and r["op"] in _RECORDING[:2]
        and (r["late_by"] is not None or r["entity_key"] in voided)
    }
    return [
        r
        for r in rows
        if r["entity"] == "pledge"
        or r["op"] not in _RECORDING
        or r["late_by"] is not None
        or (r["op"] != "respond" and r["entity_key"] in shown_logging)
    ]


def _with_lateness(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["late_by"] = _late_by(row)
    return rows


def _late_by(row: dict[str, Any]) -> timedelta | None:
    """How late an action's logging or response was written, from the times its entry
    records; None for other entries, and for a time another tool wrote unreadably."""
    if row["entity"] != "action" or row["op"] not in _RECORDING or not row["new"]:
        return None
    new = json.loads(row["new"])
    try:
        logged = datetime.fromisoformat(row["at"])
        times = [datetime.fromisoformat(new[k]) for k in _TIMES if isinstance(new.get(k), str)]
        return logged_late(min(times), logged) if times else None
    except (ValueError, TypeError):  # naive or unreadable: not judged
        return None


def _stored_key(kind: Kind, key: str) -> str:
    return str(int(key)) if kind is Kind.ACTION else normalise_code(key)


def _check(store: Store, kind: Kind, key: str) -> None:
    """Refuse an unknown record of a named kind, as every other command does."""
    if kind is Kind.TEAM:
        get_team(store, key)
    elif kind is Kind.PLEDGE:
        get_pledge(store, key)
    else:
        try:
            number = int(key)
        except ValueError:
            raise InputError(f"--action must be an action id (a number), not {key!r}") from None
        ID.check("--action", number)  # SQLite's integers end at 2**63 - 1
        get_action(store, number)


def _exists(store: Store, kind: Kind, key: str) -> bool:
    if kind is Kind.ACTION and not (key.strip().isdigit() and ID.accepts(int(key))):
        return False
    try:
        _check(store, kind, key)
    except NotFoundError:
        return False
    return True
