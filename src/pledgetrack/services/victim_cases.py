"""N9's victim cases, each a chain of contacts: where a contact goes (after the last, or
typed up late between two), what voiding one does to the case, and undoing a final
contact recorded by mistake.

Each of a case's items runs from one contact (received) to the next (done): the last is
open until the next contact, or closed by the final one (`--final`), which has no item of
its own. So a contact lies in two rows, and every change here keeps both in step: a case
reads as the contacts that are live, whatever order they were typed in.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pledgetrack.domain import national, rules
from pledgetrack.domain.dates import format_datetime, short_datetime
from pledgetrack.domain.models import Action, Pledge, normalise_code
from pledgetrack.domain.targets import ResponseTarget
from pledgetrack.errors import InputError
from pledgetrack.store import actions as action_store
from pledgetrack.store import case_chains, changes
from pledgetrack.store import national as national_store
from pledgetrack.store.connection import Store

_EPOCH = datetime.fromtimestamp(0, UTC)


def _items(store: Store, team: str, case_ref: str) -> list[Action]:
    ids = national_store.case_item_ids(store, team, case_ref)
    return [action_store.get_action(store, i) for i in ids]


def _at(moment: datetime) -> float:
    """An instant, compared as such: two zone objects' wall clocks may differ."""
    return moment.timestamp()


def _end(store: Store, item: Action, at: datetime | None) -> None:
    """Move the end of an item (the contact that answers it) to `at`; None reopens it."""
    assert item.id is not None
    stored = None if at is None else format_datetime(at)
    op = "reopen" if at is None else "respond"
    action_store.set_fields(store, item.id, {"occurred_at": stored}, op=op)


def _holds_final(items: list[Action], i: int) -> bool:
    """Whether items[i] is closed by a final contact of its own, not by the next item's
    contact: answered, not at the moment it was received (a first contact that was also
    the last is one contact, not two), and no item starting where it ends."""
    item = items[i]
    if item.occurred_at is None or item.received_at is None:
        return False
    if _at(item.occurred_at) == _at(item.received_at):
        return False
    following = items[i + 1] if i + 1 < len(items) else None
    return following is None or not _answered_by(item, following)


def _answered_by(earlier: Action, item: Action) -> bool:
    """Whether `item`'s contact is the one that answered `earlier` (the chain's link)."""
    return national.answered_by(earlier.occurred_at, item.received_at)


def record_contact(
    store: Store,
    pledge: Pledge,
    case_ref: str,
    action: Action,
    *,
    final: bool,
    note: str | None = None,
    every: int | None = None,
) -> tuple[int, int | None]:
    """Put a contact at `action.occurred_at` into the case's chain; returns (id, waiting):
    the item the contact opened (with `final` after an open item, the one it closed), and
    the item it answered, if any, for the caller to keep what the contact says on it.

    After the last contact it answers the waiting item and opens the next (as ever); typed
    up late, between two contacts, it splits their gap: the earlier item now ends at it,
    and its own item ends at the later contact. A final contact must be the case's last;
    after an open item its `note` and officer are kept on the item it closes
    (national.last_contact), and move with the final contact if a late one splits its gap.

    `every` (days) is the contact frequency agreed with the victim at this contact: its
    item, and each later one until another is agreed, is judged against it; without it
    the contact keeps the one in force before it (_agree).
    """
    from pledgetrack.services import action_log  # action_log.void calls back here

    when = action.occurred_at
    assert when is not None
    if final and every is not None:
        raise InputError(
            "--every: a final contact starts no further wait, so no frequency applies after "
            "it (give --every on the contact that agrees it)",
            field="every",
        )
    case_chains.refuse_broken(store, pledge.team, case_ref)
    items = _items(store, pledge.team, case_ref)
    room = _make_room(store, items, case_ref, when, action, final=final, note=note)
    if room.closed is not None:
        return room.closed, room.closed
    opened = action.model_copy(
        update={
            "pledge": pledge.ref,
            "received_at": when,
            "occurred_at": room.end if room.end is not None else (when if final else None),
            "description": room.description,
        }
    )
    new_id = action_log.log_action(store, opened)
    _agree(store, items, case_ref, new_id, when, room.waiting, every)
    return new_id, room.waiting


def _agree(
    store: Store,
    items: list[Action],
    case_ref: str,
    new_id: int,
    when: datetime,
    before: int | None,
    every: int | None,
) -> None:
    """File a new contact's item in its case with the frequency in force from it: `every`
    as agreed at it, else the one in force at the contact before (`before`; none at a
    case's first). An agreement typed up late applies from its contact on: the later items
    that kept the earlier one take it, up to the next agreement."""
    agreed = national_store.agreed_every(store, [i.id for i in items if i.id is not None])
    earlier = None if before is None else agreed.get(before)
    national_store.link_case(store, new_id, case_ref, earlier if every is None else every)
    if every is not None and every != earlier:
        later = [i for i in items if i.received_at is not None and _at(i.received_at) > _at(when)]
        _carry(store, later, agreed, earlier, every)


def _carry(
    store: Store, later: list[Action], agreed: dict[int, int | None], old: int | None,
    new: int | None,
) -> None:
    """The items after a contact whose agreement changed, first first, that kept the one
    it replaced (`old`), take `new`, up to the first agreed otherwise."""
    for item in later:
        assert item.id is not None
        if agreed.get(item.id) != old:
            break
        national_store.set_every(store, item.id, old, new)


@dataclass(frozen=True)
class _Room:
    """Where a contact goes in its case's chain, the item before it already made to end
    at it: the end of the contact's own item (None: open, the case's latest), its
    description (a final contact's words moved onto it), the item it answered, and the
    item a final contact closed (it has no item of its own then)."""

    end: datetime | None
    description: str
    waiting: int | None
    closed: int | None = None


def _make_room(
    store: Store,
    items: list[Action],
    case_ref: str,
    when: datetime,
    action: Action,
    *,
    final: bool,
    note: str | None,
    joining: bool = False,
) -> _Room:
    """The one rule of where a contact at `when` joins a case (its other items `items`,
    first contact first), for `victim-update` and `import actions` alike: after the last
    contact it answers the waiting item; between two, the earlier item now ends at it and
    its own ends at the later contact. None after a final contact (the case was closed
    as the victim asked; `--reopen` first): `joining` (an imported contact, stored
    already), the item ending at this very contact is the one it answers."""
    from pledgetrack.services import action_log  # action_log.void calls back here

    before = [i for i, item in enumerate(items) if _at(item.received_at or when) <= _at(when)]
    waiting = items[before[-1]] if before else None
    if waiting is not None and waiting.occurred_at is not None and _at(
        waiting.occurred_at
    ) <= _at(when):
        if not joining or _at(waiting.occurred_at) < _at(when):
            raise _closed(store, waiting, case_ref)
        waiting = None  # imported: the item this contact's row already answers
    later = items[before[-1] + 1] if before and before[-1] + 1 < len(items) else None
    if not before and items:
        later = items[0]
    # what ends the new item: the contact after it, if any
    end = None if waiting is None else waiting.occurred_at
    if waiting is None and later is not None:
        end = later.received_at
    if final and end is not None:
        raise InputError(
            f"--final: case {case_ref} has a later contact "
            f"({_said(end, store.clock())}), so this one is not its last "
            "(record it without --final)",
            field="final",
        )
    description = action.description
    if waiting is None:
        return _Room(end, description, None)
    assert waiting.id is not None
    if waiting.occurred_at is None and final:
        kept = national.last_contact(waiting.description, waiting.officer, note, action.officer)
        action_log.respond(store, waiting.id, when, description=kept)
        return _Room(None, description, waiting.id, closed=waiting.id)
    if waiting.occurred_at is None:
        action_log.respond(store, waiting.id, when)
    else:
        if _holds_final(items, items.index(waiting)):  # its last contact's words move on
            before_final = changes.description_before_final(store, waiting.id)
            if before_final is not None and waiting.description.startswith(before_final):
                description += waiting.description[len(before_final) :]
                action_store.set_fields(
                    store, waiting.id, {"description": before_final}, op="edit"
                )
        _end(store, waiting, when)
    return _Room(end, description, waiting.id)


def _closed(store: Store, item: Action, case_ref: str) -> InputError:
    """A contact after the case's final one: refused, naming the way to open it again
    (docs/cli.md: a --final contact is the case's last)."""
    assert item.occurred_at is not None
    at = _said(item.occurred_at, store.clock())
    again = shlex.join(["pledgetrack", "victim-update", item.team, "--case", case_ref, "--reopen"])
    return InputError(
        f"case {case_ref} was closed by its final contact of {at} (no further update due): "
        f"to contact the victim after it, first open it again with: {again}",
        field="when",
    )


class ContactRefused(InputError):
    """An imported contact its case cannot take (one after the case's final contact): the
    item, for the importer to name its line."""

    def __init__(self, item: int, message: str) -> None:
        super().__init__(message, field="received")
        self.item = item


def join_imported(store: Store, item_ids: Sequence[int]) -> None:
    """Imported contacts, stored and linked to their cases, joined to their chains as
    `victim-update --when` joins one (_make_room): the earlier item ends at the contact,
    the contact's item at the next one. An item whose contact has nothing after it keeps
    the end its row gave (a final contact, or a next one the file does not hold); an
    export read back in is a chain already, and stays as it was. Raises ContactRefused
    (the transaction is the caller's, rolled back)."""
    imported = [action_store.get_action(store, i) for i in item_ids]
    for item in sorted(imported, key=lambda a: (_at(a.received_at or _EPOCH), a.id or 0)):
        assert item.id is not None and item.received_at is not None  # N9 rows give it
        case = national_store.case_of(store, item.id)
        if case is None:
            continue
        others = [other for other in _items(store, *case) if other.id != item.id]
        try:
            room = _make_room(
                store, others, case[1], item.received_at, item, final=False, note=None,
                joining=True,
            )  # fmt: skip
        except InputError as exc:
            raise ContactRefused(item.id, str(exc)) from None
        _inherit(store, others, item)
        end = room.end if room.end is not None else item.occurred_at
        if room.description != item.description:
            action_store.set_fields(store, item.id, {"description": room.description}, op="edit")
        same = end is None if item.occurred_at is None else (
            end is not None and _at(end) == _at(item.occurred_at)
        )
        if not same:
            _end(store, item, end)


def _inherit(store: Store, others: list[Action], item: Action) -> None:
    """An imported contact whose row agreed no frequency (a file from before schema 16, or
    an empty `every`) keeps the one in force at its case's contact before it, as a
    `victim-update` without --every does."""
    assert item.id is not None and item.received_at is not None
    agreed = national_store.agreed_every(store, [item.id])
    if agreed.get(item.id) is not None:
        return
    at = _at(item.received_at)
    before = [o for o in others if o.received_at is not None and _at(o.received_at) < at]
    if not before or before[-1].id is None:
        return
    earlier = national_store.agreed_every(store, [before[-1].id]).get(before[-1].id)
    if earlier is not None:
        national_store.set_every(store, item.id, None, earlier)


def same_contact(store: Store, action_id: int) -> int | None:
    """The item of the same case whose contact is at the same moment as this item's, and
    which this one answered (a gap of 0): the one contact typed twice, for `log`'s note."""
    case = national_store.case_of(store, action_id)
    if case is None:
        return None
    items = _items(store, *case)
    i = next((k for k, item in enumerate(items) if item.id == action_id), None)
    if not i:
        return None
    earlier, item = items[i - 1], items[i]
    same = earlier.received_at is not None and item.received_at is not None and (
        _at(earlier.received_at) == _at(item.received_at)
    )
    return earlier.id if same and _answered_by(earlier, item) else None


@dataclass(frozen=True)
class CaseAfterVoid:
    """What voiding one of a case's contacts did to the case, for `void` to say."""

    case: str
    contact: datetime  # the contact voided
    answered: Action | None  # the item it had answered, as it now stands (None: none)
    first: datetime | None  # the case's first contact left (None: no contact left)
    due: datetime | None  # the answered item's next contact, due by, when now open again


def check_voidable(store: Store, action_id: int) -> None:
    """Refuse to void the item that also holds its case's final contact: which of its two
    contacts is wrong cannot be told from the id, and `victim-update --final` prints that
    id. `victim-update --reopen` makes the final contact an ordinary one, with its own item,
    which can then be voided alone."""
    case = national_store.case_of(store, action_id)
    if case is None:
        return
    team, case_ref = case
    case_chains.refuse_broken(store, team, case_ref)
    items = _items(store, team, case_ref)
    i = next((k for k, item in enumerate(items) if item.id == action_id), None)
    if i is None or not _holds_final(items, i):
        return
    item = items[i]
    assert item.occurred_at is not None and item.received_at is not None
    now = store.clock()
    raise InputError(
        f"action {action_id} holds two contacts of case {case_ref}: its own of "
        f"{_said(item.received_at, now)} and the final one of "
        f"{_said(item.occurred_at, now)}. To undo --final: pledgetrack victim-update "
        f"{team} --case {shlex.quote(case_ref)} --reopen, which keeps the final contact as an "
        f"ordinary one with an id of its own (void that id if the contact was not made, or "
        f"{action_id} if its own contact is wrong)"
    )


def after_void(store: Store, voided: Action) -> CaseAfterVoid | None:
    """Mend the case of a contact just voided: the item it answered takes over its end,
    so the case reads as if the contact had never been logged (the earlier contact now
    waits for the next one, or is answered by the one after). None: not a case's item,
    or an action with no contact time that another tool filed in a case (ATTACK5 B3):
    voided all the same, its case left as it is."""
    if voided.id is None or voided.received_at is None:
        return None
    case = national_store.case_of(store, voided.id)
    if case is None:
        return None
    team, case_ref = case
    items = _items(store, team, case_ref)  # the voided one is no longer among them
    earlier = [item for item in items if _answered_by(item, voided)]
    answered = earlier[-1] if earlier else None
    _unagree(store, items, voided, answered)
    due = None
    if answered is not None:
        assert answered.id is not None
        _end(store, answered, voided.occurred_at)
        answered = action_store.get_action(store, answered.id)
        if answered.occurred_at is None:
            due = _due(store, answered)
    first = items[0].received_at if items else None
    return CaseAfterVoid(case_ref, voided.received_at, answered, first, due)


def _unagree(
    store: Store, items: list[Action], voided: Action, answered: Action | None
) -> None:
    """A voided contact's agreement goes with it: the later items that took it from that
    contact go back to the one in force before (_carry, the other way)."""
    assert voided.id is not None and voided.received_at is not None
    ids = [i.id for i in items if i.id is not None]
    agreed = national_store.agreed_every(store, [voided.id, *ids])
    old = agreed.get(voided.id)
    earlier = None if answered is None or answered.id is None else agreed.get(answered.id)
    if old != earlier:
        at = _at(voided.received_at)
        later = [i for i in items if i.received_at is not None and _at(i.received_at) > at]
        _carry(store, later, agreed, old, earlier)


def _due(store: Store, item: Action) -> datetime | None:
    """When the item's next contact is due (rules.due_by: in calendar days), by the
    frequency agreed with the victim, else N9's own limit."""
    from pledgetrack.store.pledges import get_pledge

    target = get_pledge(store, item.pledge).target
    if not isinstance(target, ResponseTarget) or item.received_at is None or item.id is None:
        return None
    every = national_store.agreed_every(store, [item.id]).get(item.id)
    limit = (target.within_minutes if every is None else every * 24 * 60) * 60
    zone = store.clock().tzinfo
    assert zone is not None
    return rules.due_by(item.received_at, limit, rules.by_the_clock(True, limit), zone)


@dataclass(frozen=True)
class Reopened:
    case: str
    item: Action  # the item the final contact now opens, waiting for the next contact
    final: datetime  # the final contact, kept as an ordinary one
    due: datetime | None


def reopen(store: Store, pledge: Pledge, case_ref: str) -> Reopened:
    """Undo `--final` typed by mistake: the contact stays, as an ordinary one (FRESH6 I8:
    the mistake is "final", not the call). The item it closed keeps its end at it, back in
    its own words; the contact opens the next item, with its note and officer, waiting for
    the next contact, as if it had been typed without --final. A first contact that was
    also the last is one item answered at once: it waits again from that contact. The
    audit log records each change (`history ID`)."""
    from pledgetrack.services import action_log  # action_log.void calls back here

    with store.write():
        case_chains.refuse_broken(store, pledge.team, case_ref)
        items = _items(store, pledge.team, case_ref)
        if not items:
            raise InputError(
                f"team {pledge.team} has no victim case {case_ref} (see: pledgetrack "
                f"actions --pledge {pledge.ref})",
                field="case",
            )
        last = items[-1]
        if last.occurred_at is None:
            due = _due(store, last)
            by = "" if due is None else f": its next contact is due by {_said(due, store.clock())}"
            raise InputError(f"case {case_ref} is open, not closed{by}", field="reopen")
        assert last.id is not None and last.received_at is not None
        final = last.occurred_at
        if _at(final) == _at(last.received_at):  # one contact, first and last: it waits again
            _end(store, last, None)
            item = action_store.get_action(store, last.id)
            return Reopened(case_ref, item, final, _due(store, item))
        entry = changes.final_contact_entry(store, last.id)
        said, officer = entry if entry is not None else (None, last.officer)
        before = last.description if said is None else said
        note = national.final_note(last.description, before, last.officer, officer)
        if before != last.description:
            action_store.set_fields(store, last.id, {"description": before}, op="reopen")
        contact = Action(
            team=pledge.team,
            pledge=pledge.ref,
            description=national.event_description(f"{national.CONTACT_PREFIX}{case_ref}", note),
            occurred_at=None,
            received_at=final,
            kind=national.KIND_VICTIM_UPDATE,
            officer=officer,
        )
        new_id = action_log.log_action(store, contact)
        national_store.link_case(store, new_id, case_ref)
        item = action_store.get_action(store, new_id)
        return Reopened(case_ref, item, final, _due(store, item))


def case_reference(case: str) -> str:
    """A case reference as stored (upper case, like a team code); an empty one is refused."""
    case_ref = normalise_code(case)
    if not case_ref:
        raise InputError("--case must not be empty", field="case")
    return case_ref


def _said(moment: datetime, now: datetime) -> str:
    """A time as a message says it (`16/10 19:30`, the year when not this one)."""
    assert now.tzinfo is not None
    return short_datetime(moment, now.tzinfo, now.year)
