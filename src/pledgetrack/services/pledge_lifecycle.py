"""Adding, editing, closing and reopening pledges, with the domain rules applied first."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple, TypedDict, Unpack

from pledgetrack.domain import entry_rules, rules
from pledgetrack.domain.entry_rules import TargetRewrite
from pledgetrack.domain.models import (
    Pledge,
    PledgeKind,
    PledgeStatus,
    normalise_code,
    pledge_ref,
)
from pledgetrack.domain.periods import Period
from pledgetrack.domain.plain_words import day_words, period_words
from pledgetrack.domain.target_fields import any_given
from pledgetrack.domain.targets import Target, amend_target, describe
from pledgetrack.errors import DatabaseError, InputError
from pledgetrack.store.actions import live_actions_outside
from pledgetrack.store.changes import target_changes
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import (
    CHANGED_ON,
    add_pledge,
    get_pledge,
    list_pledges,
    stored_cells,
    target_columns,
    target_from_row,
    update_pledge,
)
from pledgetrack.store.stored_times import EDITED_DATES
from pledgetrack.store.teams import get_team


class PledgeDetails(TypedDict, total=False):
    """A local pledge's fields besides its team, title and target, as `pledge add` and
    `import pledges` give them."""

    agreed_on: date | None
    review_on: date | None
    meeting: str | None
    description: str | None


def new_local_pledge(
    store: Store,
    team: str,
    title: str,
    target: Target,
    *,
    again: bool = False,
    **details: Unpack[PledgeDetails],
) -> Pledge:
    """Record a local pledge; its reference `<TEAM>-L<n>` is allocated under the write lock.
    One the team already has, active, is refused unless `again` (entry_rules.check_not_twice)."""
    with store.write():
        owner = get_team(store, team)
        pledge = local_pledge(owner.code, title, target, **details)
        if not again:
            entry_rules.check_not_twice(pledge, list_pledges(store, team=owner.code))
        return add_pledge(store, pledge)


def local_pledge(
    team: str,
    title: str,
    target: Target,
    *,
    seq: int = 0,
    kind: PledgeKind = PledgeKind.LOCAL,
    status: PledgeStatus = PledgeStatus.ACTIVE,
    outcome: str | None = None,
    closed_on: date | None = None,
    today: date | None = None,
    **details: Unpack[PledgeDetails],
) -> Pledge:
    """A local pledge of `team` (a stored team's code) as it may be recorded, not yet
    stored: `pledge add`'s rules, and for one recorded as it stands elsewhere (`import
    pledges`), its number (`seq`, 0: the next) and its closing as `pledge close` gives it;
    `kind` national for a national commitment as it stands there (its number given)."""
    agreed_on, review_on = details.get("agreed_on"), details.get("review_on")
    entry_rules.check_dates(agreed_on, review_on, target)
    pledge = Pledge(
        ref=pledge_ref(team, kind, seq) if seq else "",
        team=team,
        kind=kind,
        seq=seq,
        title=entry_rules.check_text("TITLE", title),
        description=details.get("description"),
        agreed_on=agreed_on,
        meeting=details.get("meeting"),
        review_on=review_on,
        target=target,
    )
    entry_rules.check_recorded_closing(status, outcome, closed_on)
    if closed_on is None:
        return pledge
    entry_rules.check_close(pledge, status, closed_on, today, option="closed")
    return pledge.model_copy(update={"status": status, "outcome": outcome, "closed_on": closed_on})


def edit_pledge(
    store: Store,
    ref: str,
    changes: dict[str, Any],
    target: Mapping[str, Any] | None = None,
    *,
    rewrite: bool = False,
) -> tuple[Pledge, TargetRewrite | None]:
    """`target`: the figures given by field name (domain/target_fields.py), None unchanged.

    A new target that would judge ended months again (entry_rules.target_rewrite) is
    refused unless `rewrite`: figures already reported never shift without a word. Returns
    the pledge saved and what its change rewrote, for the CLI to say."""
    with store.write():
        updated, stored, planned = _edited(store, ref, changes, target)
        if planned is not None and not rewrite:
            raise InputError(planned.refusal(), field="yes")
        saved = update_pledge(
            store, Pledge.model_validate(updated.model_dump()), op="edit", stored=stored
        )
        return saved, planned


def planned_rewrite(
    store: Store, ref: str, changes: dict[str, Any], target: Mapping[str, Any] | None = None
) -> TargetRewrite | None:
    """What `edit_pledge` with these changes would rewrite, read only: the CLI asks first."""
    return _edited(store, ref, dict(changes), target)[2]


def _edited(
    store: Store, ref: str, changes: dict[str, Any], target: Mapping[str, Any] | None
) -> tuple[Pledge, dict[str, Any], TargetRewrite | None]:
    """The pledge as the edit leaves it (every rule applied), the stored cells it replaces,
    and the ended months a new target rewrites."""
    # the dates given replace the stored cells: one another tool wrote wrong there
    # (`9999-12-31`) is repaired, not a reason to refuse (any other still is)
    given = {c: changes[c] for c in EDITED_DATES if changes.get(c) is not None}
    pledge = get_pledge(store, ref, replacing=given)
    stored = stored_cells(store, pledge.ref, list(given))
    if target is not None and any_given(target):
        changes["target"] = amend_target(pledge.target, pledge.ref, **target)
    if "title" in changes:
        changes["title"] = entry_rules.check_text("--title", changes["title"])
    updated = pledge.model_copy(update=changes)
    entry_rules.check_dates(updated.agreed_on, updated.review_on, updated.target)
    if "agreed_on" in given and stored["agreed_on"] != given["agreed_on"].isoformat():
        logged = live_actions_outside(store, ref, updated.agreed_on, None)
        entry_rules.check_keeps_actions(updated, logged, "--agreed")
    planned = entry_rules.target_rewrite(
        updated, pledge.target, store.clock().date(), _stored_day(stored.get("agreed_on"))
    )
    return updated, stored, planned


def _stored_day(cell: object) -> date | None:
    """The agreed date an edit replaces, None if not edited or unreadable (a damaged cell
    repaired by the edit judged nothing that could be rewritten)."""
    try:
        return date.fromisoformat(cell) if isinstance(cell, str) else None
    except ValueError:
        return None


def close_pledge(store: Store, ref: str, status: PledgeStatus, outcome: str, on: date) -> Pledge:
    with store.write():
        pledge = get_pledge(store, ref)
        entry_rules.check_close(pledge, status, on, store.clock().date())
        closed = pledge.model_copy(
            update={
                "status": status,
                "outcome": entry_rules.check_text("--outcome", outcome),
                "closed_on": on,
            }
        )
        logged = live_actions_outside(store, ref, None, on)
        entry_rules.check_keeps_actions(closed, logged, "--on")
        return update_pledge(store, closed, op="close")


def reopen_pledge(store: Store, ref: str) -> Pledge:
    with store.write():
        pledge = get_pledge(store, ref)
        if pledge.is_open:
            raise InputError(f"{pledge.ref} is not closed", field="ref")
        reopened = pledge.model_copy(
            update={"status": PledgeStatus.ACTIVE, "closed_on": None, "outcome": None}
        )
        return update_pledge(store, reopened, op="reopen")


class TargetChanged(NamedTuple):
    """A pledge's target changed on a day (local), from one target to the next (None: a
    value the audit log holds that is no target: another tool's)."""

    ref: str
    on: date | None  # None: the entry cannot be read (`unread`)
    before: Target | None
    after: Target | None
    # the audit log's row of an entry another tool wrote that its judge refuses (db check
    # lists it): a change that may be there, not named
    unread: int | None = None

    def note(self, judged: Period, source: str | None = None) -> str:
        """`CW01-L1's target was changed on 02/12/2026 from ... to ...; October 2008 is
        judged by the target it has now`: the figures shown are not those reported before
        (every report, export and rollup of `judged` says it alike; `source`: the file)."""
        where = "" if source is None else f"{source}: "
        if self.on is None:  # an entry the audit log's judge refuses: said, not guessed
            return (
                f"note: {where}{self.ref}'s audit entry {self.unread} (the changes table's "
                "row) cannot be read, so a target change it may record is not named (see: "
                "pledgetrack db check)"
            )

        def words(target: Target | None) -> str:
            return "an unreadable target" if target is None else describe(target)

        return (
            f"note: {where}{self.ref}'s target was changed on {self.on:%d/%m/%Y} from "
            f"{words(self.before)} to {words(self.after)}; {period_words(judged)} is "
            "judged by the target it has now"
        )


    def for_residents(self, judged: Period) -> str | None:
        """The change as the public update says it under the pledge (None: an entry that
        cannot be read, which stderr's note names): residents told a figure judged by a
        promise they were not made are told so, as summary tells the sergeant."""
        if self.on is None or self.before is None or self.after is None:
            return None
        return (
            f"This promise was changed on {day_words(self.on)}, from {describe(self.before)} "
            f"to {describe(self.after)}; {period_words(judged)} is judged by the promise as "
            "it is now."
        )


# what is said when the audit log cannot be read: the figures stand, the notes are unknown
UNREAD_CHANGES = (
    "note: the audit log cannot be read, so a target changed since this period "
    "began is not named (see: pledgetrack db check)"
)


# a team's summary names its pledges to the audit log's index; a wider one reads every
# pledge's entries (the placeholders stay far below SQLite's limit)
_NAMED_REFS = 500


def targets_changed_since(
    store: Store, targets: Mapping[str, Target], since: date, zone: tzinfo
) -> list[TargetChanged] | None:
    """The changes of these pledges' targets (`targets`: each ref's target now) made on
    or after `since`, oldest first: a period starting on or before that day was judged,
    or is judged again, by a target it did not start with, since every figure is judged
    by the pledge's one stored target (`summary` notes each). None: the audit log cannot
    be read."""
    refs = list(targets) if len(targets) <= _NAMED_REFS else None
    entries = target_changes(store, refs)
    if entries is None:
        return None
    found: list[TargetChanged] = []
    later: dict[str, dict[str, Any]] = {}  # each pledge's target columns after the entry
    for entry in entries:
        ref = entry["entity_key"]
        if ref not in targets:
            continue
        after = later.setdefault(ref, target_columns(targets[ref]))
        if entry["unreadable"]:  # the audit log's judge refused it: named, not guessed
            found.append(TargetChanged(ref, None, None, None, entry["id"]))
            continue
        old = json.loads(entry["old"])  # a JSON object: the judge read it
        on = _changed_on(entry, zone)
        before = {**after, **{k: v for k, v in old.items() if k in after}}
        later[ref] = before
        was, now = _target_or_none(before), _target_or_none(after)
        if was is not None and was == now:  # columns rewritten alike (an import's)
            continue
        if on >= since:
            found.append(TargetChanged(ref, on, was, now))
    # by day, then pledge (each pledge's own in the order made): a team moved to another
    # database (import pledges) notes them in the same order, whatever order it wrote them
    oldest_first = found[::-1]
    return sorted(oldest_first, key=lambda c: (c.on or date.max, c.ref))


def _changed_on(entry: Mapping[str, Any], zone: tzinfo) -> date:
    """The local day of a target change: the entry's, or for one `import pledges`
    carried from another database, the day it was made there (store.pledges.CHANGED_ON)."""
    new = json.loads(entry["new"]) if entry["new"] else {}  # NULL or an object: judged
    carried = new.get(CHANGED_ON)
    if isinstance(carried, str):
        try:
            return date.fromisoformat(carried)
        except ValueError:
            pass  # another tool's text: the entry's own time
    return datetime.fromisoformat(entry["at"]).astimezone(zone).date()


def target_history(
    store: Store, pledges: Sequence[Pledge], zone: tzinfo
) -> dict[str, list[tuple[date, Target]]]:
    """Each pledge's target changes the audit log names, oldest first: the day and the
    target it replaced (what `export pledges` carries to another database, so that its
    notes say the same). A change the log cannot say (an unreadable entry or target) is
    left out; a log that cannot be read is refused (exit 3), never exported as none."""
    changed = targets_changed_since(store, {p.ref: p.target for p in pledges}, date.min, zone)
    if changed is None:
        raise DatabaseError(
            "the audit log cannot be read, so the pledges' target changes cannot be "
            "exported (see: pledgetrack db check)"
        )
    history: dict[str, list[tuple[date, Target]]] = {}
    for change in changed:  # oldest first, as targets_changed_since gives them
        if change.on is not None and change.before is not None:
            history.setdefault(change.ref, []).append((change.on, change.before))
    return history


def target_change_notes(
    store: Store,
    judged: Period,
    as_of: datetime,
    zone: tzinfo,
    teams: Sequence[str] | None = None,
    *,
    source: str | None = None,
) -> list[str]:
    """The notes of every target changed since `judged` began among the pledges (of
    `teams`, else all) in force during it, as `summary` notes them: a published report,
    export or rollup of an ended month re-judged by a new target says so. A log with no
    target change (the usual case) is one indexed read: the pledges (72,000 nationally,
    0.3 s a 7,200) are read only when there is a change to name."""
    if target_changes(store, None) == []:
        return []
    codes = [normalise_code(t) for t in teams] if teams else None
    pledges = list_pledges(store, teams=codes) if codes else list_pledges(store)
    targets = {
        p.ref: p.target
        for p in pledges
        if rules.active_during(p.agreed_on, p.closed_on, judged, as_of)
    }
    changed = targets_changed_since(store, targets, judged.start, zone)
    return changes_noted(changed, judged, source)


def changes_for_residents(
    store: Store, targets: Mapping[str, Target], judged: Period, zone: tzinfo
) -> dict[str, tuple[str, ...]]:
    """Each pledge's target changes since `judged` began, in the public update's words,
    oldest first (`targets`: each ref's target now); one indexed read when none was made."""
    if target_changes(store, None) == []:
        return {}
    found: dict[str, list[str]] = {}
    for change in targets_changed_since(store, targets, judged.start, zone) or []:
        if (words := change.for_residents(judged)) is not None:
            found.setdefault(change.ref, []).append(words)
    return {ref: tuple(said[::-1]) for ref, said in found.items()}


def changes_noted(
    changed: list[TargetChanged] | None, judged: Period, source: str | None = None
) -> list[str]:
    """Each change's note, or the one saying the audit log could not be read."""
    if changed is None:
        return [UNREAD_CHANGES if source is None else f"{UNREAD_CHANGES} ({source})"]
    return [c.note(judged, source) for c in changed]


def _target_or_none(columns: Mapping[str, Any]) -> Target | None:
    try:
        return target_from_row(dict(columns))
    except (ValueError, TypeError, KeyError):
        return None
