"""Kinds stored before kinds were normalised: a pledge counting `Foot  Patrol` while `log`
now stores `foot patrol` (vocabulary.normalise_kind: case and spaces), or an action of
kind `Patrol ` under a pledge counting `patrol`. The frequency count matches the text
exactly, so such a kind silently matches nothing. `db check` lists each; `db upgrade`
normalises them all, in its one transaction, with an audit entry per row and a line per
pledge whose figures change (figures never shift silently).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pledgetrack.domain.vocabulary import normalise_kind
from pledgetrack.store.connection import Store
from pledgetrack.store.findings import Finding

_OP = "normalise"  # the audit entry's op: not an edit a user made


class Stored(NamedTuple):
    """One stored kind that is not in the normal form, and the rows holding it."""

    table: str  # actions or pledges
    column: str
    stored: str
    normal: str | None
    rows: tuple[int, ...]  # ids, ascending
    refs: tuple[str, ...]  # the pledges: the row's own (pledges), or the actions' pledges


def unnormalised(store: Store) -> list[Stored]:
    """Every kind stored otherwise than normalise_kind writes it. The actions' distinct
    kinds come from one pass over the actions index that holds them; only the few not
    normal are then looked up row by row."""
    found: list[Stored] = []
    pledges = store.conn.execute(
        "SELECT p.id, p.ref, p.target_action_kind FROM pledges p "
        "WHERE p.target_action_kind IS NOT NULL ORDER BY p.id"
    )
    for pid, ref, kind in pledges:
        if isinstance(kind, str) and normalise_kind(kind) != kind:
            found.append(Stored("pledges", "target_action_kind", kind, normalise_kind(kind),
                                (pid,), (ref,)))  # fmt: skip
    kinds = [
        kind
        for (kind,) in store.conn.execute(
            "SELECT DISTINCT kind FROM actions WHERE kind IS NOT NULL"
        )
        if isinstance(kind, str) and normalise_kind(kind) != kind
    ]
    for kind in sorted(kinds):
        rows = store.conn.execute(
            "SELECT a.id, p.ref FROM actions a JOIN pledges p ON p.id = a.pledge_id "
            "WHERE a.kind = ? ORDER BY a.id",
            (kind,),
        ).fetchall()
        ids, refs = tuple(i for i, _ in rows), tuple(dict.fromkeys(r for _, r in rows))
        found.append(Stored("actions", "kind", kind, normalise_kind(kind), ids, refs))
    return found


def problems(store: Store) -> list[Finding]:
    """`db check`'s findings, one per kind stored (its rows counted, the first three
    named): what each matches (nothing), and the command that repairs it."""
    found = []
    for s in unnormalised(store):
        if s.table == "pledges":
            where = f"pledges.target_action_kind of row {s.rows[0]} ({s.refs[0]})"
            effect = "it counts no action logged with that kind since"
        else:
            n = len(s.rows)
            shown = ", ".join(map(str, s.rows[:3])) + (", ..." if n > 3 else "")
            where = f"actions.kind of {n} row{'s' if n != 1 else ''} ({shown})"
            effect = "no pledge counting that kind counts them"
        line = (
            f"stored kind: {where} is {s.stored!r}, not as pledgetrack stores kinds "
            f"({s.normal!r}): {effect}; to correct it: pledgetrack db upgrade (normalises "
            "every kind and says which figures change)"
        )
        found.append(Finding(len(s.rows), (line,), line, "mend", whole=True))
    return found


def normalise(store: Store) -> list[str]:
    """Normalise every kind, in one write (joining a schema upgrade's), logging each row
    changed; the lines to say: each kind, and each pledge whose count of matching actions
    changes, before and after. No write at all when every kind is normal."""
    found = unnormalised(store)
    if not found:
        return []
    with store.write():
        return _normalise(store, found)


def _normalise(store: Store, found: Sequence[Stored]) -> list[str]:
    involved = sorted({ref for s in found for ref in s.refs})
    before = _matching(store, involved)
    for s in found:  # the actions by their text (a kind may be on a million rows)
        key = "id" if s.table == "pledges" else s.column
        store.conn.execute(
            f"UPDATE {s.table} SET {s.column} = ? WHERE {key} = ?",  # noqa: S608  # our names
            (s.normal, s.rows[0] if s.table == "pledges" else s.stored),
        )
        entity = "pledge" if s.table == "pledges" else "action"
        keys: Sequence[str] = s.refs if s.table == "pledges" else [str(i) for i in s.rows]
        store.log_changes(
            (entity, key, _OP, {s.column: s.stored}, {s.column: s.normal}) for key in keys
        )
    after = _matching(store, involved)
    lines = [
        f"normalised {s.table}.{s.column} {s.stored!r} -> {s.normal!r} "
        f"({len(s.rows)} row{'s' if len(s.rows) != 1 else ''})"
        for s in found
    ]
    lines.extend(
        f"FIGURES CHANGE: {ref} counts {_counted(kind)}: {before[ref][1]} of its actions "
        f"matched, {count} now (every period's figures for it may change)"
        for ref, (kind, count) in after.items()
        if before[ref][1] != count
    )
    return lines


def _counted(kind: str | None) -> str:
    return "every kind" if kind is None else f"{kind!r} actions"


def _matching(store: Store, refs: Sequence[str]) -> dict[str, tuple[str | None, int]]:
    """{ref: (kind counted, live actions it counts)} for the frequency pledges among
    `refs` (NULL: every kind; a blank kind normalises to that)."""
    out: dict[str, tuple[str | None, int]] = {}
    for ref in refs:
        row = store.conn.execute(
            "SELECT p.target_action_kind, (SELECT COUNT(*) FROM actions a WHERE a.pledge_id = "
            "p.id AND a.voided_at IS NULL AND (p.target_action_kind IS NULL "
            "OR a.kind = p.target_action_kind)) FROM pledges p "
            "WHERE p.ref = ? AND p.target_type = 'frequency'",
            (ref,),
        ).fetchone()
        if row is not None:
            out[ref] = (row[0], int(row[1]))
    return out
