"""What `log` and the national shortcuts share: the action their options describe, so a
shortcut refuses what `log` refuses, in the same words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pledgetrack.cli.context import AppContext

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.domain.models import Action


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
    return Action(
        team="",
        pledge=ref,
        description=entry_rules.check_text("DESCRIPTION", description),
        occurred_at=None if open_ else actx.when("--when", when, tense="past"),
        received_at=actx.when("--received", received, default_now=False, tense="past"),
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
