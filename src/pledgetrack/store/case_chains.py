"""Victims' cases another tool damaged (ATTACK5 B4), for `db check` and for the commands
that read a case as its chain (`victim-update`, `void`, `--reopen`): each item of a case
ends at the next one's contact (domain.national.chain_break), so a contact moved to
another case, or a time changed, leaves a chain those commands would mend wrongly (a
case said to be closed by a final contact that is another case's). One read of the
victims' contacts (not of the actions: each is looked up by its key) finds every case's
items; the change log says which case each contact was filed in.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from pledgetrack.domain.models import normalise_code
from pledgetrack.domain.national import CaseItem, chain_break
from pledgetrack.errors import SEE_DB_CHECK, DatabaseError
from pledgetrack.store.connection import Store
from pledgetrack.store.findings import Finding, Listed
from pledgetrack.store.stored_times import readable_time

_ITEMS = """
    SELECT t.code, v.case_ref, a.id, a.received_at, a.occurred_at
    FROM victim_contacts v JOIN actions a ON a.id = v.action_id
    JOIN teams t ON t.id = a.team_id
    WHERE a.voided_at IS NULL AND {where}
    ORDER BY a.team_id, v.case_ref, julianday(a.received_at), a.id
"""
# the case each live contact was filed in, as its insert (or import) entry recorded it
_FILED = """
    SELECT v.action_id, v.case_ref, c.id, c.new FROM victim_contacts v
    JOIN actions a ON a.id = v.action_id
    JOIN changes c ON c.entity = 'victim-contact' AND c.entity_key = CAST(v.action_id AS TEXT)
    WHERE a.voided_at IS NULL AND c.op IN ('insert', 'import') AND {where}
    ORDER BY v.action_id
"""


class _Case(NamedTuple):
    team: str
    case_ref: str
    items: list[CaseItem]  # first contact first
    stored: dict[int, tuple[str, str | None]]  # each item's received_at, occurred_at


def case_ref_wrong(case_ref: object) -> bool:
    """Whether a stored case reference is not one victim-update stores (case_reference:
    not empty, upper case, no spaces at either end)."""
    return not isinstance(case_ref, str) or not case_ref or normalise_code(case_ref) != case_ref


def _cases(store: Store, where: str = "1", params: Sequence[Any] = ()) -> Iterator[_Case]:
    """Every case of the live contacts `where`, its items as the chain reads them: an item
    whose time does not read (stored_times lists it) or with no contact time (the
    actions' check lists it) is left out."""
    held: _Case | None = None
    for team, case_ref, item, received, occurred in store.conn.execute(
        _ITEMS.format(where=where), list(params)
    ):
        if held is None or (held.team, held.case_ref) != (team, case_ref):
            if held is not None:
                yield held
            held = _Case(str(team), str(case_ref), [], {})
        if not readable_time(received) or not (occurred is None or readable_time(occurred)):
            continue
        done = None if occurred is None else datetime.fromisoformat(occurred)
        held.items.append(CaseItem(int(item), datetime.fromisoformat(received), done))
        held.stored[int(item)] = (received, occurred)
    if held is not None:
        yield held


def _moved(
    store: Store, where: str = "1", params: Sequence[Any] = ()
) -> dict[int, tuple[str, str, int]]:
    """{contact: (its case now, the case its entry filed it in, the entry)} of the live
    contacts `where` whose case another tool changed (no command changes it)."""
    found: dict[int, tuple[str, str, int]] = {}
    for item, case_ref, entry, new in store.conn.execute(_FILED.format(where=where), list(params)):
        try:
            filed = json.loads(new).get("case")
        except (ValueError, TypeError, AttributeError):  # a damaged entry: changes' finding
            continue
        if isinstance(filed, str) and filed != case_ref:
            found[int(item)] = (str(case_ref), filed, int(entry))
    return found


def _said(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y %H:%M}"


def _open_twice(case: _Case) -> str | None:
    """The line for a case with more than one item waiting (an older release's import)."""
    waiting = [item for item in case.items if item.occurred is None]
    if len(waiting) < 2:
        return None
    items = sorted((item.received, item.id) for item in waiting)
    said = ", ".join(f"{i} received {_said(at)}" for at, i in items)
    later_at, later = items[1]
    again = shlex.join(
        ["pledgetrack", "victim-update", case.team, "--case", case.case_ref, "--when",
         _said(later_at)]
    )  # fmt: skip
    more = " (then each later one the same way)" if len(items) > 2 else ""
    return (
        f"victim case: {case.team} case {case.case_ref} has {len(items)} open items ({said}); "
        f"only its latest contact waits for the next: pledgetrack void {later} --reason "
        f"'not in its case chain', then {again}, which answers {items[0][1]} with it{more}"
    )


def _broken(case: _Case) -> str | None:
    """The line for a case whose chain is broken at its first unlinked pair, and the cells
    that mend it (which of the two times is wrong the file cannot say)."""
    pair = chain_break(case.items)
    if pair is None:
        return None
    earlier, later = pair
    of = f"victim case: {case.team} case {case.case_ref}"
    received = case.stored[later.id][0]
    if earlier.occurred is None:
        return (
            f"{of}: item {earlier.id} (received {_said(earlier.received)}) waits for its next "
            f"contact, but item {later.id}'s contact came after it ({_said(later.received)}): "
            f"the chain is broken; to correct it: write actions.occurred_at of row "
            f"{earlier.id} as {received!r}"
        )
    return (
        f"{of}: item {earlier.id} was answered at {_said(earlier.occurred)}, but the case's "
        f"next contact, item {later.id}'s, came in at {_said(later.received)}: the chain is "
        f"broken (another tool changed a time); to correct it: write actions.occurred_at of "
        f"row {earlier.id} as {received!r}, or actions.received_at of row {later.id} as "
        f"{case.stored[earlier.id][1]!r}, whichever the contact was"
    )


def _moved_line(item: int, now: str, filed: str, entry: int) -> str:
    return (
        f"victim case: victim_contacts.case_ref of row {item} is {now!r}, but change log "
        f"entry {entry} filed the contact in case {filed!r}: another tool moved it, which "
        f"breaks both cases' chains; to correct it: write the cell as {filed!r}"
    )


def bad_ref_line(item: int, case_ref: object) -> str:
    return (
        f"stored value: victim_contacts.case_ref of row {item} is not a case reference "
        f"pledgetrack can read ({case_ref!r}); to correct it: write the cell as the case's "
        "reference, as victim-update --case stores it (upper case, like CR/CW01/001/08)"
    )


def problems(store: Store, limit: int | None) -> list[Finding]:
    """`db check`'s victims' cases: a case with more than one item waiting for a next
    contact; a contact filed in another case than its entry says; a case reference
    victim-update never stores; a chain broken (an item that does not end at the next
    one's contact). A case holding a moved contact is named by the move alone."""
    moved = _moved(store)
    touched = {(now, filed) for now, filed, _ in moved.values()}
    cases_hit = {ref for pair in touched for ref in pair}
    twice, broken, refs, moves = Listed(limit), Listed(limit), Listed(limit), Listed(limit)
    for item, (now, filed, entry) in moved.items():
        moves.add(f"row {item}", _moved_line(item, now, filed, entry))
    for case in _cases(store):
        if case_ref_wrong(case.case_ref):
            for item in case.stored:
                if item not in moved:
                    refs.add(f"row {item}", bad_ref_line(item, case.case_ref))
            continue
        if (line := _open_twice(case)) is not None:
            twice.add(f"{case.team} case {case.case_ref}", line)
        elif case.case_ref not in cases_hit and (line := _broken(case)) is not None:
            broken.add(f"{case.team} case {case.case_ref}", line)
    each = "each line says how to correct it"
    return [
        *twice.found(
            f"victim case: {twice.count:,} case(s) with more than one open item",
            "void each later one and record it again with victim-update, earliest first",
            kind="mend",
        ),
        *moves.found(
            f"victim case: {moves.count:,} contacts filed in another case than their "
            "change log entry says", each, kind="mend",
        ),
        *refs.found(
            f"stored value: {refs.count:,} contacts hold a case reference pledgetrack "
            "never stores (victim_contacts.case_ref)", each, kind="mend",
        ),
        *broken.found(
            f"victim case: {broken.count:,} case(s) whose chain of contacts is broken "
            "(an item that does not end at the next one's contact)", each, kind="mend",
        ),
    ]  # fmt: skip


def refuse_broken(store: Store, team: str, case_ref: str) -> None:
    """Stop a command that reads the case as its chain (to put a contact in it, void one,
    undo a final one) on damage it would mend wrongly: a contact another tool moved into
    or out of it, or a broken link (exit 3, naming the row as db check lists it)."""
    from pledgetrack.store.teams import team_id

    key = team_id(store, team)
    of_case = "a.team_id = ? AND v.case_ref = ?"
    for item, (now, filed, entry) in _moved(store, of_case, (key, case_ref)).items():
        raise DatabaseError(f"{_moved_line(item, now, filed, entry)}; {SEE_DB_CHECK}")
    into = "a.team_id = ? AND v.case_ref <> ?"
    for item, (now, filed, entry) in _moved(store, into, (key, case_ref)).items():
        if filed == case_ref:
            raise DatabaseError(f"{_moved_line(item, now, filed, entry)}; {SEE_DB_CHECK}")
    for case in _cases(store, of_case, (key, case_ref)):
        if (line := _broken(case)) is not None:
            raise DatabaseError(f"{line.removeprefix('victim case: ')}; {SEE_DB_CHECK}")
