"""What may be logged against a pledge, and how a pledge may change. Pure checks, no I/O.

Each check raises InputError with one line naming the option and the value, so the
same rules serve `log`, its shortcuts and bulk import alike.
"""

from __future__ import annotations

from datetime import date, datetime

from pledgetrack.domain.models import Action, Pledge, PledgeStatus, Team
from pledgetrack.domain.targets import ResponseTarget
from pledgetrack.errors import InputError


class RuleError(InputError):
    """A refused entry that names the field at fault, so bulk import can say which column."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_hours(hours: float | None, abstracted: bool) -> None:
    if hours is not None and hours < 0:
        raise RuleError("hours", f"--hours must be 0 or more, not {hours:g}")
    if abstracted and hours is None:
        raise RuleError(
            "abstracted",
            "--abstracted needs --hours (the hours taken away from the neighbourhood)",
        )


def check_text(option: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise InputError(f"{option} must not be empty")
    return text


def check_loggable(team: Team, pledge: Pledge, action: Action) -> None:
    """Refuse an action that cannot belong to this pledge as it stands."""
    check_text("description", action.description)
    check_hours(action.hours, action.abstracted)
    if not team.active:
        raise RuleError("team", f"team {team.code} is archived; nothing can be logged against it")
    is_response = isinstance(pledge.target, ResponseTarget)
    if is_response:
        if action.received_at is None:
            raise RuleError(
                "received",
                f"{pledge.ref} is a response pledge: give --received "
                "(when the message or call came in)",
            )
        if action.occurred_at is not None and action.occurred_at < action.received_at:
            raise RuleError(
                "when",
                f"--when {action.occurred_at.isoformat(timespec='minutes')} is before "
                f"--received {action.received_at.isoformat(timespec='minutes')}",
            )
    elif action.received_at is not None:
        raise RuleError(
            "received",
            f"--received applies only to response pledges; {pledge.ref} is a "
            f"{pledge.target.type} pledge",
        )
    elif action.occurred_at is None:
        raise RuleError("when", f"--open applies only to response pledges; {pledge.ref} is not one")
    moment = action.occurred_at or action.received_at
    if pledge.closed_on is not None and moment is not None and moment.date() > pledge.closed_on:
        raise RuleError(
            "when",
            f"{pledge.ref} was closed ({pledge.status.value}) on {pledge.closed_on.isoformat()}; "
            f"an action on {moment.date().isoformat()} cannot count (reopen it first)",
        )


def check_response(action: Action, when: datetime) -> None:
    if action.voided_at is not None:
        raise InputError(f"action {action.id} is void")
    if action.occurred_at is not None:
        raise InputError(
            f"action {action.id} was already dealt with at "
            f"{action.occurred_at.isoformat(timespec='minutes')}"
        )
    if action.received_at is not None and when < action.received_at:
        raise InputError(
            f"--when {when.isoformat(timespec='minutes')} is before the item was received "
            f"({action.received_at.isoformat(timespec='minutes')})"
        )


def check_voidable(action: Action) -> None:
    if action.voided_at is not None:
        raise InputError(f"action {action.id} is already void ({action.void_reason})")


def check_close(pledge: Pledge, status: PledgeStatus, on: date) -> None:
    if not pledge.is_open:
        raise InputError(f"{pledge.ref} is already closed ({pledge.status.value})")
    if status is PledgeStatus.ACTIVE:
        raise InputError("--status must be achieved, not-achieved or withdrawn")
    if pledge.agreed_on is not None and on < pledge.agreed_on:
        raise InputError(
            f"--on {on.isoformat()} is before {pledge.ref} was agreed "
            f"({pledge.agreed_on.isoformat()})"
        )


def check_dates(agreed_on: date | None, review_on: date | None) -> None:
    if agreed_on is not None and review_on is not None and review_on < agreed_on:
        raise InputError(
            f"--review {review_on.isoformat()} is before --agreed {agreed_on.isoformat()}"
        )
