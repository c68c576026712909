"""Logging shortcuts for the events the national commitments are measured on.

Each is `log` against the team's `<TEAM>-N<n>` with the description and kind filled in:
the same checks (cli.entry.new_action, services.action_log.log_action), the same rows.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pledgetrack.cli.context import app_context
from pledgetrack.cli.entry import answered_now, new_action, typed_time
from pledgetrack.cli.groups import Listing, option_groups
from pledgetrack.cli.options import (
    ExtRefOption,
    OfficerOption,
    TeamArgument,
    abstracted_option,
    hours_option,
    note_option,
    open_option,
    received_option,
    when_option,
)

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.domain.models import Action
    from pledgetrack.store.connection import Store
from pledgetrack.domain.dates import format_datetime, short_datetime
from pledgetrack.domain.vocabulary import CHANNEL_MEANING, Channel
from pledgetrack.errors import InputError
from pledgetrack.render import Column, message

# the options every shortcut words alike
Happened = Annotated[str, when_option("When it happened.")]
Received = Annotated[str, received_option("When the message or call came in.")]


def note_help(example: str) -> Any:
    """`--note`, worded alike on every shortcut, with an example that fits the command."""
    return note_option(f"Added to the description, e.g. {example}.")



def message_(
    ctx: typer.Context,
    received: Received,
    when: Annotated[
        str | None,
        when_option(
            "When it was answered (default now, which it says, with whether that is late)."
        ),
    ] = None,
    open_: Annotated[
        bool, open_option("Not answered yet (answer later with: respond ID).")
    ] = False,
    officer: OfficerOption = None,
    note: Annotated[str | None, note_help("who it was from")] = None,
    ext_ref: ExtRefOption = None,
    team: TeamArgument = None,
) -> None:
    """N4: a message to the team, answered within 24 hours; prints the action id."""
    from pledgetrack.domain import national
    _log(
        ctx,
        team,
        4,
        "Message to the team",
        note,
        when=when,
        received=received,
        open_=open_,
        kind=national.KIND_MESSAGE,
        officer=officer,
        ext_ref=ext_ref,
    )


def meeting(
    ctx: typer.Context,
    when: Happened,
    attendance: Annotated[
        int | None, typer.Option("--attendance", help="How many residents came.")
    ] = None,
    priorities: Annotated[
        str | None,
        typer.Option("--priorities", help="Priorities agreed, separated by ';'."),
    ] = None,
    officer: OfficerOption = None,
    note: Annotated[str | None, note_help("'joint meeting with the parish council'")] = None,
    team: TeamArgument = None,
) -> None:
    """N7: a public meeting, with the priorities agreed; prints the action id."""
    from pledgetrack.domain import national
    from pledgetrack.services import national as national_service
    agreed = national.split_priorities(priorities) if priorities is not None else []
    _log(
        ctx,
        team,
        7,
        "Public meeting",
        note,
        when=when,
        kind=national.KIND_MEETING,
        officer=officer,
        record=lambda store, code, action: national_service.log_meeting(
            store, code, action, attendance, agreed
        ),
    )
    if len(agreed) == 1 and "," in agreed[0]:  # as a spreadsheet or an e-mail lists them
        message(
            f"note: recorded as one priority, {agreed[0]!r}: several are separated with ';' "
            "('speeding; litter'); to split it, void the meeting and log it again"
        )


def next_meeting(
    ctx: typer.Context,
    when: Annotated[
        str | None, when_option(
            "When the meeting starts (required unless --cancel); read forwards: "
            "'thursday 7pm' or 'next thursday 7pm' is the coming Thursday, '31/1 19:00' "
            "the next 31 January."
        )
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Where, e.g. 'Castle Community Centre'.")
    ] = None,
    note: Annotated[str | None, note_option("Anything residents should know.")] = None,
    cancel: Annotated[
        bool,
        typer.Option(
            "--cancel", help="Call off the meeting announced (no --when); prints when it was."
        ),
    ] = False,
    team: TeamArgument = None,
) -> None:
    """N7: announce the next public meeting, for the public update; prints when it starts.

    A later announcement replaces an earlier one (a meeting moved); --cancel calls it off.
    Once held, log it with `meeting`.
    """
    from pledgetrack.domain import entry_rules
    from pledgetrack.services import national as national_service
    actx = app_context(ctx)
    team = actx.required_team(team)
    if cancel:
        for option, value in (("--when", when), ("--place", place), ("--note", note)):
            if value is not None:
                raise InputError(
                    f"--cancel takes no {option}: it calls off the meeting announced",
                    field="cancel",
                )
        with actx.recording(create_if_missing=False) as store:
            called_off = national_service.cancel_meeting(store, team, actx.env.now())
            typer.echo(format_datetime(called_off["starts_at"]))
        now = actx.env.now()
        starts = short_datetime(called_off["starts_at"], actx.env.tz, now.year)
        message(f"cancelled the meeting at {starts}; the public update no longer announces it")
        return
    if when is None:
        raise InputError(
            "--when: give the meeting's start (or --cancel to call off the one announced)",
            field="when",
        )
    starts_at = actx.moment("--when", when, tense="future")  # an announcement: ahead
    for option, text in (("--place", place), ("--note", note)):
        if text is not None:
            entry_rules.check_text(option, text)  # refused when blank; stored as typed
    with actx.recording() as store:
        national_service.plan_meeting(store, team, starts_at, actx.env.now(), place, note)
        typer.echo(format_datetime(starts_at))  # not the row's id: it would read as an action's
    from pledgetrack.domain.models import normalise_code  # models: not loaded for --help
    now = actx.env.now()
    where = f", {place}" if place is not None else ""
    message(
        f"announced the next meeting of {normalise_code(team)}: "
        f"{short_datetime(starts_at, actx.env.tz, now.year)}{where}; it replaces any earlier "
        f"one (call it off with: pledgetrack next-meeting {normalise_code(team)} --cancel)"
    )


CHANNEL_HELP = "Where it was published. " + "; ".join(
    f"{channel.value}: {meaning}" for channel, meaning in CHANNEL_MEANING.items()
) + "."


def update(
    ctx: typer.Context,
    when: Happened,
    channel: Annotated[
        Channel, typer.Option("--channel", case_sensitive=False, help=CHANNEL_HELP)
    ],
    officer: OfficerOption = None,
    note: Annotated[str | None, note_help("'newsletter, issue 12'")] = None,
    team: TeamArgument = None,
) -> None:
    """N8: a progress update published; prints the action id."""
    from pledgetrack.domain import national
    _log(
        ctx,
        team,
        8,
        f"Progress update published ({channel.value})",
        note,
        when=when,
        kind=national.KIND_UPDATE,
        officer=officer,
    )


def duty(
    ctx: typer.Context,
    hours: Annotated[
        float,
        hours_option(
            "Hours on duty: the entry's total, several officers' together if need be "
            "(four 8-hour shifts: 32)."
        ),
    ],
    abstracted: Annotated[
        bool, abstracted_option("The hours were spent away from the neighbourhood.")
    ] = False,
    when: Annotated[str | None, when_option("When it happened (default now).")] = None,
    officer: OfficerOption = None,
    note: Annotated[str | None, note_help("'football match'")] = None,
    team: TeamArgument = None,
) -> None:
    """N3: hours on duty, in the neighbourhood or abstracted; prints the action id."""
    from pledgetrack.domain import national
    where = "abstracted from" if abstracted else "in"
    _log(
        ctx,
        team,
        3,
        f"Duty {where} the neighbourhood",
        note,
        when=when,
        kind=national.KIND_DUTY,
        officer=officer,
        hours=hours,
        abstracted=abstracted,
    )


def attend(
    ctx: typer.Context,
    received: Received,
    when: Annotated[str, when_option("When the team arrived.")],
    emergency: Annotated[bool, typer.Option("--emergency", help="N5: an emergency.")] = False,
    vulnerable: Annotated[
        bool, typer.Option("--vulnerable", help="N6: a vulnerable or upset caller.")
    ] = False,
    priority: Annotated[
        bool, typer.Option("--priority", help="N6: a call about a neighbourhood priority.")
    ] = False,
    officer: OfficerOption = None,
    note: Annotated[str | None, note_help("'burglary in progress'")] = None,
    ext_ref: ExtRefOption = None,
    team: TeamArgument = None,
) -> None:
    """N5/N6: a call attended, from call to arrival; prints the action id."""
    from pledgetrack.domain.national import Attendance
    flags = {
        Attendance.EMERGENCY: emergency,
        Attendance.VULNERABLE: vulnerable,
        Attendance.PRIORITY: priority,
    }
    chosen = [kind for kind, given in flags.items() if given]
    if len(chosen) != 1:
        raise InputError(
            "attend needs exactly one of --emergency (N5), --vulnerable or --priority (N6); "
            "appointments are not measured"
        )
    (call,) = chosen
    _log(
        ctx,
        team,
        call.number,
        call.description,
        note,
        when=when,
        received=received,
        kind=call.value,
        officer=officer,
        ext_ref=ext_ref,
    )


def victim_update(
    ctx: typer.Context,
    case: Annotated[str, typer.Option("--case", help="Crime or case reference.")],
    when: Annotated[
        str | None, when_option("When the victim was updated (needed but with --reopen).")
    ] = None,
    final: Annotated[
        bool,
        typer.Option(
            "--final",
            help="The last contact: the case needs no further update (a first contact may "
            "be the last: no 31-day clock starts).",
        ),
    ] = False,
    reopen: Annotated[
        bool,
        typer.Option(
            "--reopen",
            help="Undo --final typed by mistake: the final contact is kept as an ordinary "
            "one, and the next contact is due from it (no --when).",
        ),
    ] = False,
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            metavar="DAYS",
            help="How often the victim agreed to hear from us, e.g. 7d, 2w or 28d (1d to "
            "90d): the next contact is due by it, from this contact on, until another is "
            "agreed (default: N9's 31 days).",
        ),
    ] = None,
    officer: OfficerOption = None,
    note: Annotated[str | None, note_help("'victim asked for updates by email'")] = None,
    team: TeamArgument = None,
) -> None:
    """N9: a victim kept informed; the next contact is then due within 31 days, or as
    often as agreed with the victim (--every). A contact typed up late goes between the
    case's contacts either side."""
    from pledgetrack.domain import national
    from pledgetrack.services import national as national_service
    if reopen:
        _reopen_case(ctx, team, case, officer, when=when, final=final, note=note, every=every)
        return
    if when is None:
        raise InputError("--when is needed: when the victim was updated", field="when")
    days = None if every is None else national.contact_every(every)
    _log(
        ctx,
        team,
        9,
        f"{national.CONTACT_PREFIX}{case.strip().upper()}",
        note,
        when=when,
        kind=national.KIND_VICTIM_UPDATE,
        officer=officer,
        record=lambda store, code, action: national_service.victim_update(
            store, code, case, action, final=final, note=note, every=days
        ),
    )
    if final:  # the id printed is the item this contact closed: not the way to undo it
        ref = shlex.quote(case.strip().upper())
        code = app_context(ctx).required_team(team)
        message(f"case {ref} closed: no further update is due (if that was a mistake: "
                f"pledgetrack victim-update {code} --case {ref} --reopen)")  # fmt: skip


def _reopen_case(
    ctx: typer.Context,
    team: str | None,
    case: str,
    officer: str | None,
    **others: Any,
) -> None:
    """`victim-update --reopen`: the final contact undone, and what is due now, said."""
    from pledgetrack.services import national as national_service
    given = [f"--{name}" for name, value in others.items() if value]
    if given:
        raise InputError(f"--reopen takes no {given[0]} (it keeps the final contact as an "
                         "ordinary one)", field=given[0][2:])  # fmt: skip
    actx = app_context(ctx)
    code = actx.required_team(team)
    with actx.recording(officer=officer) as store:
        done = national_service.reopen_case(store, code, case)
    now = actx.env.now()
    assert now.tzinfo is not None
    said = short_datetime(done.final, now.tzinfo, now.year)
    due = "" if done.due is None else f" by {short_datetime(done.due, now.tzinfo, now.year)}"
    message(
        f"case {done.case} reopened: its contact of {said} is kept as an ordinary contact "
        f"(action {done.item.id}); the next is due{due} (if that contact was not made: "
        f"pledgetrack void {done.item.id} --reason '...')"
    )


def _log(
    ctx: typer.Context,
    team: str | None,
    number: int,
    event: str,
    note: str | None,
    *,
    record: Callable[[Store, str, Action], int] | None = None,
    **options: Any,
) -> None:
    """Store what `log <TEAM>-N<number> "<event>: <note>" [options]` would, and print the
    new id as `log` does; `record` stores it where the commitment keeps more than the
    action (a meeting's priorities, a victim's case), else it is logged as `log` logs it."""
    from pledgetrack.domain.national import event_description
    from pledgetrack.services import national as national_service
    actx = app_context(ctx)
    code = actx.required_team(team)
    ref = national_service.national_ref(code, number)
    action = new_action(actx, ref, event_description(event, note), **options)
    from pledgetrack.services import action_log
    with actx.recording(officer=action.officer) as store:
        if record is None:
            new_id = national_service.log_event(store, code, number, action)
        else:
            new_id = record(store, code, action)
        typed = typed_time(options.get("when"), options.get("received"))
        twice = action_log.logged_twice(store, new_id) if typed else None
        shared = action_log.ref_shared(store, new_id) if options.get("ext_ref") else None
        now = answered_now(
            store,
            new_id,
            options.get("when"),
            options.get("received"),
            bool(options.get("open_")),
        )
        typer.echo(new_id)
    from pledgetrack.domain.entry_rules import hours_note
    for note_ in (hours_note(action.hours, new_id), twice, shared, now):
        if note_ is not None:
            message(f"note: {note_}")


# What residents asked for, read whole (wrapped) at 80 columns; the meeting's day and
# attendance once, on its first priority; the ids (a priority's, its meeting's action)
# are keys for programs (CSV, JSON, --wide, --columns)
PRIORITY_COLUMNS = [
    Column("id", "ID", numeric=True, programs=True),
    Column("meeting", "Meeting", numeric=True, programs=True),
    Column("held", "Held", once_per="meeting"),
    Column("attendance", "Attendance", numeric=True, priority=4, once_per="meeting"),
    Column("position", "#", numeric=True),
    Column("priority", "Priority", wrap=True, min_width=16),
]


@option_groups
def priorities(
    ctx: typer.Context,
    team: TeamArgument = None,
    shown: Listing = Listing(),
) -> None:
    """The priorities agreed at the team's public meetings (N7), newest meeting first."""
    from pledgetrack.services import national as national_service
    actx = app_context(ctx)
    team = actx.required_team(team)
    with actx.open(create_if_missing=False) as store:
        rows = national_service.priorities(store, team)
    shown.show(
        rows,
        PRIORITY_COLUMNS,
        actx.env,
        empty=f"no priorities recorded (record them: pledgetrack meeting {team.upper()} "
        "--when DT --priorities 'a; b')",
    )
    if rows:
        message(f"make one a local pledge: pledgetrack pledge add {rows[0]['team']} 'PRIORITY' ...")


def register(app: typer.Typer) -> None:
    app.command("message")(message_)
    app.command("meeting")(meeting)
    app.command("next-meeting")(next_meeting)
    app.command("update")(update)
    app.command("duty")(duty)
    app.command("attend")(attend)
    app.command("victim-update")(victim_update)
    app.command("priorities")(priorities)
