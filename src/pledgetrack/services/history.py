"""`history`: which record a key names, so a typo is refused rather than shown as "no changes"."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

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
    """The audit log of one record (all of it without a key), newest first.

    A key of unknown kind must name exactly one record: none is refused as unknown, two
    (team `1` and action 1) as ambiguous, with the options that say which.
    """
    if key is None:
        return list_changes(store, limit=limit)
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
    return list_changes(store, entities=ENTITIES[kind], key=_stored_key(kind, key), limit=limit)


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
