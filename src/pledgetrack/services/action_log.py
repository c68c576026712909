"""Logging what was done against a pledge, answering open items, voiding mistakes."""

from __future__ import annotations

import shlex
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from pledgetrack.domain import entry_rules
from pledgetrack.domain.dates import format_datetime
from pledgetrack.domain.models import Action, PledgeKind
from pledgetrack.domain.numbers import ID
from pledgetrack.domain.targets import ResponseTarget
from pledgetrack.errors import DatabaseError, InputError
from pledgetrack.store import actions as action_store
from pledgetrack.store import national as national_store
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import get_pledge
from pledgetrack.store.teams import get_team

if TYPE_CHECKING:
    from pledgetrack.services.victim_cases import CaseAfterVoid


def log_action(store: Store, action: Action) -> int:
    """Validate against the pledge as it stands, then store; returns the new action id.

    `action.team` may be empty: it is taken from the pledge.
    """
    return record_action(store, action)[0]


class Recorded(NamedTuple):
    """A logged action's id, and what `log` says of its kind on stderr."""

    id: int
    defaulted: str | None  # the kind given to an action logged without one (--action-kind)
    pledge: str
    uncounted: str | None  # why its kind will not count for the pledge (entry_rules)


def record_logged(store: Store, action: Action) -> Recorded:
    """`log`: record_action, except a victim's contact left open, which only
    `victim-update` records (entry_rules.check_not_caseless_contact)."""
    with store.write():
        entry_rules.check_not_caseless_contact(get_pledge(store, action.pledge), action)
        return record_action(store, action)


def record_action(store: Store, action: Action) -> Recorded:
    """`log_action`, also returning the kind it gave an action logged without one (its
    pledge's `--action-kind`, entry_rules.stored_kind), the pledge's ref, and why the kind
    given will not count, for `log` to say."""
    with store.write():
        pledge = get_pledge(store, action.pledge)
        team = get_team(store, pledge.team)
        ready = entry_rules.prepare(team, pledge, action, store.clock())
        given = entry_rules.normalise_kind(action.kind)
        defaulted = ready.kind if given is None else None
        uncounted = entry_rules.uncounted_kind(pledge, ready.kind)
        return Recorded(action_store.add_action(store, ready), defaulted, pledge.ref, uncounted)


def logged_twice(store: Store, action_id: int) -> str | None:
    """What `log` and the shortcuts say on stderr when an action just logged has the same
    pledge, kind and moment as one already live (the same meeting typed twice, a patrol
    logged by two officers): a note, not a refusal, since two patrols may start together;
    the way back is `void`. A victim's contact is the same as the case's contact before it
    at that moment (victim_cases.same_contact), not as another case's. The CLI asks only
    for a time typed: actions logged `now` by a script in the same second are not the
    same one typed twice."""
    if national_store.case_of(store, action_id) is not None:
        from pledgetrack.services import victim_cases

        first = victim_cases.same_contact(store, action_id)
    else:
        first = action_store.same_moment(store, action_id)
    if first is None:
        return None
    return (
        f"same pledge, kind and time as action {first}; if logged twice: "
        f"pledgetrack void {action_id} --reason 'logged twice'"
    )


def ref_shared(store: Store, action_id: int) -> str | None:
    """What `log` and the shortcuts say on stderr when an action just logged carries a ref
    the team's other live actions hold (an incident's patrol, then a message about it): a
    note, not a refusal (FRESH4 G16), naming them, so a ref typed wrong can be seen."""
    from pledgetrack.domain.vocabulary import listed

    found = action_store.others_with_ref(store, action_id)
    if found is None:
        return None
    ref, ids = found
    which = f"action {ids[0]}" if len(ids) == 1 else f"actions {listed(map(str, ids), 'and')}"
    return f"ref {ref} is also on {which}"


class Responded(NamedTuple):
    """An item just dealt with, and the limit of its pledge (None: not a response pledge)."""

    action: Action
    limit_minutes: int | None
    clock: bool = False  # a victim's contact, counted in calendar days (rules.by_the_clock)

    @property
    def elapsed_s(self) -> float:
        assert self.action.occurred_at is not None and self.action.received_at is not None
        if self.clock:
            from pledgetrack.domain.rules import clock_s

            return float(
                clock_s(self.action.occurred_at, True) - clock_s(self.action.received_at, True)
            )
        return (self.action.occurred_at - self.action.received_at).total_seconds()

    @property
    def late(self) -> bool:
        from pledgetrack.domain import rules  # judging: `respond` only, not `log`

        if self.limit_minutes is None:
            return False
        return not rules.response_in_time(self.elapsed_s, self.limit_minutes * 60)


def respond(
    store: Store,
    action_id: int,
    when: datetime,
    *,
    description: str | None = None,
    officer: str | None = None,
) -> Responded:
    """Deal with an open item at `when`; `description`: its new one, where what dealt with
    it is kept on it (a final victim-update's note, national.last_contact; `respond
    --note`); `officer`: its officer, for an item that had none."""
    ID.check("ID", action_id)
    with store.write():
        action = action_store.get_action(store, action_id)
        entry_rules.check_response(action, when, store.clock())
        pledge = get_pledge(store, action.pledge)
        answered = action.model_copy(update={"occurred_at": when})
        entry_rules.check_within_life(pledge, answered, store.clock())
        fields = {"occurred_at": format_datetime(when)}
        if description is not None:
            fields["description"] = entry_rules.check_text("--note", description)
        if officer is not None:
            fields["officer"] = officer
        action_store.set_fields(store, action_id, fields, op="respond")
        return dealt_with(store, action_id)


def dealt_with(store: Store, action_id: int) -> Responded:
    """An item dealt with, as stored, with its pledge's limit: what `respond` says, and
    what `log`/`message` say of one they recorded as answered now (no --when)."""
    action = action_store.get_action(store, action_id)
    from pledgetrack.domain.national import CONTACT_OPENS_ITEM  # as entry_rules: lazily

    pledge = get_pledge(store, action.pledge)
    target = pledge.target
    limit = target.within_minutes if isinstance(target, ResponseTarget) else None
    clock = False
    if (
        limit is not None
        and pledge.kind is PledgeKind.NATIONAL
        and pledge.seq == CONTACT_OPENS_ITEM
    ):
        from pledgetrack.domain.rules import by_the_clock

        clock = by_the_clock(True, limit * 60)
    return Responded(action, limit, clock)


def received_at(store: Store, action_id: int) -> datetime | None:
    """When the item `respond` is to deal with came in (None: not an item), which its
    --when is read after."""
    ID.check("ID", action_id)
    return action_store.get_action(store, action_id).received_at


def respond_item(
    store: Store,
    action_id: int,
    when: datetime,
    *,
    note: str | None = None,
    officer: str | None = None,
) -> Responded:
    """`respond`: an open item dealt with, except a victim's contact (N9), which
    `victim-update` records: answering it here would close the case's chain with no next
    contact due, and the victim would never be chased again (FRESH4 G10).

    The answer's `note` and `officer` are kept as `log` keeps an action's: the officer in
    its officer column when the item has none (logged by a call handler, or a script),
    else beside the note in its description (national.answered_words), so that neither
    who logged it nor who answered it is lost; `export actions` carries both columns."""
    ID.check("ID", action_id)
    with store.write():
        case = national_store.case_of(store, action_id)
        if case is not None:
            team, case_ref = case
            zone = store.clock().tzinfo
            at = when.astimezone(zone).strftime("%d/%m/%Y %H:%M")  # as it may be typed
            raise InputError(
                f"action {action_id} is a contact with the victim of case {case_ref}: record "
                f"the next contact with: pledgetrack victim-update {team} --case "
                f"{shlex.quote(case_ref)} --when {shlex.quote(at)} (with --final if the "
                "case needs no more)"
            )
        from pledgetrack.domain.national import answered_words
        from pledgetrack.domain.text import optional_text

        item = action_store.get_action(store, action_id)
        by = optional_text(officer)
        takes = by if item.officer is None else None
        words = answered_words(item.description, item.officer or by, note, by)
        return respond(store, action_id, when, description=words, officer=takes)


def void(store: Store, action_id: int, reason: str) -> CaseAfterVoid | None:
    """Void an action, reading only whether it is void already: the way out `db check`
    names for a row another tool wrote wrong, whatever else it holds. A victim's contact
    is taken out of its case's chain (victim_cases.after_void), which is returned; one
    whose case holds a row that cannot be read is voided all the same, its case left as
    it is (None), so that void stays the way out for that row too."""
    from pledgetrack.services import victim_cases

    ID.check("ID", action_id)
    with store.write():
        if entry_rules.check_voidable(action_id, action_store.void_of(store, action_id)):
            reason = entry_rules.check_text("--reason", reason)
            action_store.set_fields(store, action_id, {"void_reason": reason}, op="void")
            return None  # void already: its case was mended then
        try:
            victim_cases.check_voidable(store, action_id)
            mend = national_store.case_of(store, action_id) is not None
        except DatabaseError:  # a time another tool wrote wrong, in this row or its case's
            mend = False
        action_store.set_fields(
            store,
            action_id,
            {
                "voided_at": store.now_text(),
                "void_reason": entry_rules.check_text("--reason", reason),
            },
            op="void",
        )
        if not mend:
            return None
        return victim_cases.after_void(store, action_store.get_action(store, action_id))
