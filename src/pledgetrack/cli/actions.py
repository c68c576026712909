"""`log`, `respond`, `void`: recording what was done, day to day.

The listings of what was recorded (`actions`, `history`) are in `cli/history.py`, so that
`log` loads no rendering (docs/performance.md, Start-up)."""

# No `from __future__ import annotations` in this module: Typer reads a command's signature
# with get_type_hints several times while it builds the command, and string annotations
# are evaluated again at each read (half of building `log`); objects cost nothing to read.

from typing import TYPE_CHECKING, Annotated

import typer

from pledgetrack.cli.context import app_context
from pledgetrack.cli.entry import answered_now, new_action, outcome_words, typed_time
from pledgetrack.cli.options import (
    ExtRefOption,
    OfficerOption,
    PledgeRefArgument,
    abstracted_option,
    hours_option,
    kind_option,
    note_option,
    officer_option,
    open_option,
    received_option,
    when_option,
)

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from datetime import datetime

    from pledgetrack.services.victim_cases import CaseAfterVoid


def log(
    ctx: typer.Context,
    ref: PledgeRefArgument,
    description: Annotated[
        str,
        typer.Argument(
            metavar="DESCRIPTION",
            help="What was done. One starting with '-' goes after '--': log REF -- '-2 bins'.",
        ),
    ],
    when: Annotated[str | None, when_option("When it was done (default now).")] = None,
    kind: Annotated[
        str | None,
        kind_option("Kind of action, e.g. patrol, meeting (default: the pledge's action kind)."),
    ] = None,
    officer: OfficerOption = None,
    partner: Annotated[
        str | None, typer.Option("--partner", help="Partner agency involved, e.g. council.")
    ] = None,
    hours: Annotated[float | None, hours_option("Hours spent.")] = None,
    abstracted: Annotated[
        bool, abstracted_option("The hours were taken away from the neighbourhood.")
    ] = False,
    received: Annotated[
        str | None, received_option("Response pledges: when the message or call came in.")
    ] = None,
    open_: Annotated[bool, open_option("Response pledges: received, not yet dealt with.")] = False,
    ext_ref: ExtRefOption = None,
    highlight: Annotated[
        bool,
        typer.Option(
            "--highlight",
            help="A notable outcome: quoted word for word, with the officer's name, under "
            "'We did' in the team's public update (report update).",
        ),
    ] = False,
    delivers: Annotated[
        bool,
        typer.Option(
            "--delivers",
            help="Deadline pledges: this action delivers what was promised (any other "
            "action is progress).",
        ),
    ] = False,
) -> None:
    """Log an action against a pledge; prints the new action id."""
    from pledgetrack.services import action_log
    actx = app_context(ctx)
    action = new_action(
        actx,
        actx.pledge_ref(ref),
        description,
        when=when,
        received=received,
        open_=open_,
        kind=kind,
        officer=officer,
        partner=partner,
        hours=hours,
        abstracted=abstracted,
        ext_ref=ext_ref,
        highlight=highlight,
        delivers=delivers,
    )
    with actx.recording(officer=action.officer) as store:
        recorded = action_log.record_logged(store, action)
        twice = action_log.logged_twice(store, recorded.id) if typed_time(when, received) else None
        shared = action_log.ref_shared(store, recorded.id) if ext_ref is not None else None
        now = answered_now(store, recorded.id, when, received, open_)
        typer.echo(recorded.id)
    if recorded.defaulted is not None:  # on stderr: stdout is the id alone, for scripts
        typer.echo(f"kind: {recorded.defaulted}, the action kind of {recorded.pledge} "
                   "(--kind to say otherwise)", err=True)  # fmt: skip
    if recorded.uncounted is not None:  # the kind is free text: printed for people
        from pledgetrack.render import message

        message(f"note: {recorded.uncounted}")
    from pledgetrack.domain.entry_rules import hours_note

    for note in (hours_note(action.hours, recorded.id), twice, shared, now):
        if note is not None:
            from pledgetrack.render import message

            message(f"note: {note}")


def respond(
    ctx: typer.Context,
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The open item's action id.")],
    when: Annotated[str | None, when_option("When it was dealt with (default now).")] = None,
    officer: Annotated[
        str | None,
        officer_option(
            "Who dealt with it (default: $PLEDGETRACK_OFFICER): the item's officer if it has "
            "none, else named in its description."
        ),
    ] = None,
    note: Annotated[
        str | None,
        note_option(
            "What was done, added to the item's description: '...; answered: rang back'."
        ),
    ] = None,
) -> None:
    """Mark an open response item as dealt with."""
    from pledgetrack.render import message
    from pledgetrack.services import action_log
    actx = app_context(ctx)
    by = officer if officer is not None else actx.officer
    with actx.open(create_if_missing=False, writes=True, officer=by) as store:
        # a time alone is the first such time after the item came in (dates.after_day)
        received = action_log.received_at(store, action_id)
        moment = actx.moment("--when", when, tense="past", after=received)
        done = action_log.respond_item(store, action_id, moment, note=note, officer=by)
    message(f"action {done.action.id} {outcome_words(done)}")


def void(
    ctx: typer.Context,
    action_id: Annotated[int, typer.Argument(metavar="ID", help="Action id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is void (kept on record).")],
) -> None:
    """Void a wrong action: it stays on record but no longer counts."""
    from pledgetrack.render import message
    from pledgetrack.services import action_log
    actx = app_context(ctx)
    with actx.open(create_if_missing=False, writes=True) as store:
        case = action_log.void(store, action_id, reason)
    said = "" if case is None else f"; {_case_after(case, actx.env.now())}"
    message(f"voided action {action_id}{said}")


def _case_after(case: "CaseAfterVoid", now: "datetime") -> str:
    """What voiding a victim's contact did to its case, in a sergeant's words: the earlier
    contact waits again (and by when), or is answered by the next, or nothing is left."""
    from pledgetrack.domain.dates import short_datetime

    zone = now.tzinfo
    assert zone is not None

    def at(moment: "datetime") -> str:
        return short_datetime(moment, zone, now.year)

    voided = f"case {case.case}'s contact of {at(case.contact)} is taken out"
    item = case.answered
    if item is None or item.received_at is None:
        if case.first is None:
            return f"{voided}; the case has no contact left"
        return f"{voided}; the case now starts at its contact of {at(case.first)}"
    earlier = f"its contact of {at(item.received_at)} (action {item.id})"
    if item.occurred_at is None:
        due = "" if case.due is None else f", due by {at(case.due)}"
        return f"{voided}; {earlier} waits again for the next contact{due}"
    return f"{voided}; {earlier} is now answered by the one of {at(item.occurred_at)}"


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("respond")(respond)
    app.command("void")(void)
