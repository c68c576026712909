"""The ten national Policing Pledge commitments as data: wording, target, what to log.

Every team is measured against the same commitments (pledges `<TEAM>-N1` .. `<TEAM>-N10`),
so HQ can compare teams on the same footing. A pledge has exactly one target; where a
commitment states several figures, the one a team can be judged on is chosen here and the
choice is explained in `judged` (and in docs/national-pledge.md). Pure data, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple

from pledgetrack.domain.models import Pledge, PledgeKind, PledgeStatus, Setting
from pledgetrack.domain.targets import (
    FrequencyTarget,
    NoTarget,
    ResponseTarget,
    ShareTarget,
    Target,
    Unit,
    describe,
)
from pledgetrack.domain.vocabulary import Channel as Channel  # re-exported
from pledgetrack.domain.vocabulary import listed
from pledgetrack.errors import InputError, field_name, option

PLEDGE_IN_FORCE = date(2008, 12, 31)  # the Policing Pledge applied from this day
EMERGENCY_MINUTES = {Setting.URBAN: 15, Setting.RURAL: 20}
VICTIM_UPDATE_DAYS = 31  # "at least monthly": no gap between contacts longer than a month

# The action kinds the shortcuts write; the frequency targets count only their own kind
KIND_DUTY = "duty"
KIND_MESSAGE = "message"
KIND_MEETING = "meeting"
KIND_UPDATE = "update"
KIND_VICTIM_UPDATE = "victim-update"
# how a contact's description begins (`victim-update`): listings for people show the case
# and note after it, the Kind column saying the rest
CONTACT_PREFIX = "Victim update, case "
# N9's items run from one contact with the victim to the next (services.national
# .victim_update): an item's received time is itself a contact the team made, so the
# commitment's last action is its latest contact, received or done (FRESH3 F16: a first
# contact, still waiting for the next, left the last action blank)
CONTACT_OPENS_ITEM = 9


class Attendance(StrEnum):
    """The calls `attend` records, each measured by one commitment."""

    EMERGENCY = "emergency"
    VULNERABLE = "vulnerable"
    PRIORITY = "priority"

    @property
    def number(self) -> int:
        return 5 if self is Attendance.EMERGENCY else 6

    @property
    def description(self) -> str:
        return {
            Attendance.EMERGENCY: "Emergency attendance",
            Attendance.VULNERABLE: "Attended a vulnerable caller",
            Attendance.PRIORITY: "Attended a call about a neighbourhood priority",
        }[self]


@dataclass(frozen=True)
class Commitment:
    number: int
    title: str
    text: str  # the commitment, in our own words
    target: Target  # for an urban team where the setting matters
    log: str  # what a sergeant logs, and with which command
    judged: str  # how the log is judged, and which figure was chosen
    log_with: str = ""  # the shortcut, in one line
    rural_target: Target | None = None  # when a rural team's figure differs

    @property
    def code(self) -> str:
        return f"N{self.number}"

    @property
    def measured(self) -> bool:
        return not isinstance(self.target, NoTarget)

    def target_for(self, setting: Setting) -> Target:
        if setting is Setting.RURAL and self.rural_target is not None:
            return self.rural_target
        return self.target

    @property
    def target_text(self) -> str:
        if self.rural_target is None:
            return describe(self.target)
        return f"{describe(self.target)} (urban), {describe(self.rural_target)} (rural)"


CATALOGUE: tuple[Commitment, ...] = (
    Commitment(
        1,
        "Fair treatment",
        "Treat everyone fairly, with dignity and respect, and give fair access to our "
        "services at reasonable times.",
        NoTarget(),
        log="Nothing is required. Anything worth keeping on record: log TEAM-N1 'what happened'.",
        judged="Not measured: the commitment states no figure a team can be judged on.",
    ),
    Commitment(
        2,
        "Know your neighbourhood team",
        "Tell people who their neighbourhood team is, where it is based, how to contact it "
        "and how to work with it.",
        NoTarget(),
        log="Keep the team's published contact current (team edit CODE --contact ...); "
        "note checks of the website, posters or leaflets with log TEAM-N2 'checked website'.",
        judged="Not measured: the commitment states no figure. Inspectors found out-of-date "
        "websites, so check the published details whenever anything changes.",
    ),
    Commitment(
        3,
        "Visible in the neighbourhood",
        "Keep the team in its neighbourhood when it is most needed: at least 80% of duty "
        "time there, working on its priorities, and taken away as little as possible.",
        ShareTarget(share_pct=80),
        log="The hours of every shift: duty TEAM --hours 8. Hours spent away from the "
        "neighbourhood (abstracted to other duties): duty TEAM --hours 8 --abstracted.",
        judged="Hours not abstracted as a share of all duty hours logged in the period: green "
        "at 80% or more, amber from 70%, red below.",
        log_with="duty TEAM --hours H [--abstracted] [--when DT]",
    ),
    Commitment(
        4,
        "Messages answered within 24 hours",
        "Respond to every message sent to the neighbourhood team within 24 hours, with a "
        "fuller answer as soon as possible after that.",
        ResponseTarget(within_minutes=24 * 60),
        log="Every message (email, voicemail, note left at the station): message TEAM "
        "--received DT --when DT once answered, or --open until it is, then respond ID.",
        judged="Each message received in the period: met if answered within 24 real hours "
        "(nights, weekends and clock changes included), breached if answered later or still "
        "open after 24 hours. Green only when every message was met.",
        log_with="message TEAM --received DT [--when DT|--open]",
    ),
    Commitment(
        5,
        "Emergencies attended quickly",
        "Answer 999 calls quickly, send someone at once with an estimated arrival time, and "
        "aim to arrive within 15 minutes in urban areas and 20 minutes in rural areas.",
        ResponseTarget(within_minutes=EMERGENCY_MINUTES[Setting.URBAN]),
        rural_target=ResponseTarget(within_minutes=EMERGENCY_MINUTES[Setting.RURAL]),
        log="Each emergency the team attends: attend TEAM --emergency --received DT --when DT "
        "(--received: when the call came in; --when: when the team arrived).",
        judged="Each emergency: met if attended within 15 minutes for an urban team, 20 for a "
        "rural one (the team's --setting; team edit --setting moves the figure). The "
        "10-second 999 answer time belongs to the force control room and is not tracked here.",
        log_with="attend TEAM --emergency --received DT --when DT",
    ),
    Commitment(
        6,
        "Urgent calls attended within the hour",
        "Answer non-emergency calls promptly. When someone must attend: within 60 minutes if "
        "the caller is vulnerable or upset, or the call is about an agreed neighbourhood "
        "priority; otherwise an appointment within 48 hours at a time that suits the caller, "
        "or advice when nobody needs to attend.",
        ResponseTarget(within_minutes=60),
        log="Each vulnerable caller attended: attend TEAM --vulnerable --received DT --when DT; "
        "each call about a neighbourhood priority: attend TEAM --priority ... the same way.",
        judged="Each vulnerable or priority call: met if attended within 60 minutes. "
        "Appointments are not measured: their time is the caller's choice, and one pledge "
        "has one target, so attend refuses a call without --vulnerable, --priority or "
        "--emergency rather than judge it against 60 minutes.",
        log_with="attend TEAM --vulnerable|--priority --received DT --when DT",
    ),
    Commitment(
        7,
        "Monthly public meeting",
        "Hold a public meeting at least once a month to agree priorities with the community "
        "(a surgery, street briefing or mobile police station counts too).",
        FrequencyTarget(count=1, unit=Unit.MONTH, action_kind=KIND_MEETING),
        log="Each meeting: meeting TEAM --when DT --attendance N --priorities 'a; b; c'. The "
        "priorities agreed are kept (see: priorities TEAM), ready to become local pledges "
        "with pledge add.",
        judged="Each whole calendar month with the commitment in force: met if at least one "
        "meeting was logged (only actions of kind 'meeting' count). Green when every month "
        "is met; the month in progress is shown as 'so far', never failed.",
        log_with="meeting TEAM --when DT [--attendance N] [--priorities 'a; b; c']",
    ),
    Commitment(
        8,
        "Monthly progress update",
        "Publish regular updates (taken as monthly) on local crime and policing: crime maps, "
        "what happened to offenders brought to justice, and what the team and its partners "
        "are doing.",
        FrequencyTarget(count=1, unit=Unit.MONTH, action_kind=KIND_UPDATE),
        log="Each update published: update TEAM --when DT --channel WHERE, "
        f"WHERE one of {listed(Channel)} (a 'You said, we did' sheet counts).",
        judged="Each whole calendar month: met if at least one update was logged (only "
        "actions of kind 'update' count). Green when every month is met.",
        log_with="update TEAM --when DT --channel WHERE",
    ),
    Commitment(
        9,
        "Victims kept informed",
        "Agree with each victim of crime how often they want to hear from us, and keep them "
        "informed at least monthly if they wish.",
        ResponseTarget(within_minutes=VICTIM_UPDATE_DAYS * 24 * 60),
        log="Every contact with a victim: victim-update TEAM --case REF --when DT. The first "
        "starts the case's clock; each later one answers the one before and starts the next "
        "month; --final for the last contact (or when the victim wants no more).",
        judged=f"Each gap between contacts with a victim: met if the next contact came within "
        f"{VICTIM_UPDATE_DAYS} days, breached if later or still waiting after "
        f"{VICTIM_UPDATE_DAYS} days; check lists cases about to go over.",
        log_with="victim-update TEAM --case REF --when DT [--final]",
    ),
    Commitment(
        10,
        "Complaints dealt with fairly",
        "Deal with complaints and dissatisfaction promptly and fairly.",
        NoTarget(),
        log="Note each complaint and how it was handled: log TEAM-N10 'what was done'. If "
        "your force promises a time (one leaflet said 24 hours), add a local response pledge.",
        judged="Not measured: no national figure was set for teams.",
    ),
)
NUMBERS = tuple(c.number for c in CATALOGUE)
MEASURED = tuple(c.number for c in CATALOGUE if c.measured)


def commitment(code: str | int) -> Commitment:
    """`N4`, `n4` or `4` -> the commitment; anything else is refused by name."""
    text = str(code).strip().upper().removeprefix("N")
    if text.isdigit() and int(text) in NUMBERS:
        return CATALOGUE[int(text) - 1]
    raise InputError(
        f"unknown national commitment {str(code).strip()!r} "
        f"(they are N1 to N{len(CATALOGUE)}; see: pledgetrack national)"
    )


def parse_numbers(option: str, text: str) -> tuple[int, ...]:
    """`N4,N7` (any case, spaces allowed) -> (4, 7), in catalogue order, each once."""
    parts = [part for part in (p.strip() for p in text.split(",")) if part]
    if not parts:
        raise InputError(f"{option} needs commitments such as N4,N7", field=field_name(option))
    try:
        chosen = {commitment(part).number for part in parts}
    except InputError as exc:
        raise InputError(f"{option}: {exc}", field=field_name(option)) from None
    return tuple(sorted(chosen))


def codes_text(numbers: tuple[int, ...]) -> str:
    """(1, ..., 10) -> `N1-N10`; (4, 7) -> `N4, N7`."""
    if numbers == NUMBERS:
        return f"N1-N{len(NUMBERS)}"
    return ", ".join(f"N{n}" for n in numbers)


def emergency_target(current: Target, setting: Setting) -> Target:
    """N5 after a change of setting: the setting's minutes, any threshold kept."""
    if isinstance(current, ResponseTarget):
        return current.model_copy(update={"within_minutes": EMERGENCY_MINUTES[setting]})
    return current


def as_attached(pledge: Pledge, setting: Setting) -> bool:
    """A national commitment as `team add` (or `import teams`) attaches it to a team of
    this setting: the catalogue's words and target, open, nothing else said of it (its
    agreed day is the `--since` it was given). `export pledges` writes the others, and
    `import pledges` brings only such a one to what a file says it is."""
    if pledge.kind is not PledgeKind.NATIONAL:
        return False
    c = commitment(pledge.seq)
    return (
        (pledge.title, pledge.description, pledge.target)
        == (c.title, c.text, c.target_for(setting))
        and pledge.status is PledgeStatus.ACTIVE
        and pledge.review_on is None
        and pledge.meeting is None
        and pledge.outcome is None
        and pledge.closed_on is None
    )


def event_description(base: str, note: str | None) -> str:
    """What a shortcut writes as the action's description: its event, then the user's note."""
    extra = (note or "").strip()
    return f"{base}: {extra}" if extra else base


def last_contact(
    item: str, item_officer: str | None, note: str | None, officer: str | None
) -> str | None:
    """The description of a case's waiting item (`item`) once a final victim-update answers
    it. The item is the gap that contact ends (no new gap opens), so the contact's note and
    officer are kept on it, `...; last contact (PC Jones): case closed`, as any other update
    keeps its own on the item it opens. None: the contact adds nothing (no note, and the
    item's own officer or none)."""
    return answered_words(item, item_officer, (note or "").strip(), officer, "last contact")


def answered_words(
    item: str,
    item_officer: str | None,
    note: str | None,
    officer: str | None,
    said: str = "answered",
) -> str | None:
    """The description of an item once answered, keeping what its answer said (`respond
    --note --officer`, a final victim-update): `Email about parking; answered (PC Jones):
    rang back`, the officer named where it is not the item's own. None: the answer adds
    nothing (no note, and the item's own officer or none)."""
    extra = note if note is not None and note.strip() else ""
    by = officer if officer and officer != item_officer else None
    if not extra and by is None:
        return None
    return f"{item}; {said}{f' ({by})' if by else ''}{f': {extra}' if extra else ''}"


def final_note(kept: str, before: str, item_officer: str | None, officer: str | None) -> str | None:
    """The note a final contact added to its item's words (`kept`, last_contact of `before`
    and the contact's `officer`), for `victim-update --reopen` to keep on that contact as an
    ordinary one; None: it added none."""
    rest = kept[len(before) :] if kept.startswith(before) else ""
    rest = rest.removeprefix("; last contact")
    if officer and officer != item_officer:
        rest = rest.removeprefix(f" ({officer})")
    extra = rest.removeprefix(": ").strip() if rest.startswith(": ") else ""
    return extra or None
def contact_every(text: str) -> int:
    """How often a victim agreed to hear from us (`victim-update --every 7d`, CSV `every`),
    in the duration grammar (`7d`, `2w`, `28 days`), as whole days within CONTACT_EVERY_DAYS:
    the agreement judges that case's gaps from this contact on, in place of N9's own limit."""
    from pledgetrack.domain.durations import parse_duration
    from pledgetrack.domain.numbers import CONTACT_EVERY_DAYS

    shown = option("every")  # `--every` as typed, `every` in a file's line
    try:
        minutes = parse_duration(text)
    except InputError as exc:
        raise InputError(f"{shown}: {exc}", field="every") from None
    days, rest = divmod(minutes, 24 * 60)
    low, high = (every_words(int(end)) for end in (CONTACT_EVERY_DAYS.low, CONTACT_EVERY_DAYS.high))
    if rest or not CONTACT_EVERY_DAYS.contains(days):
        raise InputError(
            f"{shown} must be whole days from {low} to {high} (how often the victim agreed to "
            f"hear from us), not {text.strip()!r}",
            field="every",
        )
    return days


def every_words(days: int) -> str:
    """An agreed frequency as typed and exported: 7 -> `7d`."""
    return f"{days}d"


def split_priorities(text: str) -> list[str]:
    """`"speeding; litter ;"` -> ["speeding", "litter"]."""
    items = [item.strip() for item in text.split(";")]
    found = [item for item in items if item]
    if not found:
        raise InputError(
            "--priorities: separate the priorities with ';', e.g. 'speeding; litter'",
            field="priorities",
        )
    return found


class CaseItem(NamedTuple):
    """One item of a victim's case as its chain reads it: from its contact (received) to
    the next contact (occurred; None: waiting for it)."""

    id: int
    received: datetime
    occurred: datetime | None


def answered_by(occurred: datetime | None, received: datetime | None) -> bool:
    """Whether an item done at `occurred` was answered by the contact received at
    `received` (the chain's link), as instants: two zones' wall clocks may differ."""
    return (
        occurred is not None
        and received is not None
        and occurred.timestamp() == received.timestamp()
    )


def chain_break(items: Sequence[CaseItem]) -> tuple[CaseItem, CaseItem] | None:
    """The first two successive items of a case (first contact first) that are not
    linked: each item but the last ends at the next one's contact (victim_cases keeps
    them so). None: the chain is whole, or more than one item waits (that case's own
    finding: an older release's import left it so)."""
    if sum(item.occurred is None for item in items) > 1:
        return None
    for earlier, later in pairwise(items):
        if not answered_by(earlier.occurred, later.received):
            return earlier, later
    return None
