"""What `log` and the national shortcuts share: the action their options describe, so a
shortcut refuses what `log` refuses, in the same words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pledgetrack.cli.context import AppContext

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.domain.models import Action
    from pledgetrack.services.action_log import Responded
    from pledgetrack.store.connection import Store


def new_action(
    actx: AppContext,
    ref: str,
    description: str,
    *,
    when: str | None,
    received: str | None = None,
    open_: bool = False,
    kind: str | None = None,
    officer: str | None = None,
    partner: str | None = None,
    hours: float | None = None,
    abstracted: bool = False,
    ext_ref: str | None = None,
    highlight: bool = False,
    delivers: bool = False,
) -> Action:
    """The action `log` would store from these options: shared by the national shortcuts,
    so they refuse what `log` refuses, with the same words."""
    from pledgetrack.domain import entry_rules
    from pledgetrack.domain.models import Action
    entry_rules.check_item_options(open_, when, received)
    entry_rules.check_hours(hours, abstracted)
    received_at = actx.when("--received", received, default_now=False, tense="past")
    return Action(
        team="",
        pledge=ref,
        description=entry_rules.check_text("DESCRIPTION", description),
        # a time alone is the first such time after the item came in (dates.after_day)
        occurred_at=None if open_ else actx.when("--when", when, tense="past", after=received_at),
        received_at=received_at,
        kind=kind,
        officer=officer if officer is not None else actx.officer,
        partner=partner,
        hours=hours,
        abstracted=abstracted,
        ext_ref=ext_ref,
        highlight=highlight,
        delivers=delivers,
    )


def typed_time(when: str | None, received: str | None) -> bool:
    """Whether an action's time was typed (from notes: perhaps a second time), so that
    `log` and the shortcuts look for the same one logged before; never `now`, which a
    script's actions logged in one second share."""
    return (when or "now").strip().lower() != "now" or received is not None


def outcome_words(done: Responded) -> str:
    """`late: 24h30m against 24h` or `dealt with after 6h, within 24h`, in the words
    summary, agenda and check say a duration in (domain.durations); a late wait is rounded
    up to the minute and one in time down, so that they never contradict the verdict
    (24h00m30s is late: `24h01m`, not `24h`)."""
    import math

    from pledgetrack.domain.durations import format_duration
    minutes = done.elapsed_s / 60
    elapsed = format_duration(math.ceil(minutes) if done.late else math.floor(minutes))
    if done.limit_minutes is None:
        return f"dealt with after {elapsed}"
    limit = format_duration(done.limit_minutes)
    if done.late:
        return f"late: {elapsed} against {limit}"
    return f"dealt with after {elapsed}, within {limit}"


def answered_now(
    store: Store, action_id: int, when: str | None, received: str | None, open_: bool
) -> str | None:
    """What `log`, `message` and `attend` say of an item given --received but neither
    --when nor --open: recorded as dealt with now, which may be late (FRESH3 F7), so it is
    said with the verdict, and the way back; of one given both and dealt with late, that it
    was late, as `respond` says (FRESH4 G5: typed up the next day, the breach was learnt
    from `summary`); None for any other action."""
    if received is None or open_:
        return None
    from pledgetrack.services.action_log import dealt_with

    if when is not None:
        done = dealt_with(store, action_id)
        return f"recorded as answered {outcome_words(done)}" if done.late else None
    return (
        f"recorded as answered now ({outcome_words(dealt_with(store, action_id))}); if it was "
        f"answered earlier or is not answered yet: pledgetrack void {action_id} --reason "
        "'answered at another time', and record it again with --when or --open"
    )
