"""What may be logged against a pledge, and how a pledge may change. Pure checks, no I/O.

Each check raises InputError with one line naming the option and the value, and with
the field at fault, so the same rules serve `log`, its shortcuts and bulk import alike
(the importer reports the field as the column).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from pledgetrack.domain.dates import message_days as _days
from pledgetrack.domain.dates import short_datetime, short_datetimes
from pledgetrack.domain.models import Action, Pledge, PledgeKind, PledgeStatus, Team
from pledgetrack.domain.numbers import HOURS
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    ResponseTarget,
    ShareTarget,
    Target,
)
from pledgetrack.domain.text import blank
from pledgetrack.domain.vocabulary import normalise_kind as normalise_kind  # its home
from pledgetrack.errors import InputError, field_name, option

if TYPE_CHECKING:  # imported where used: `log` loads no periods (docs/performance.md)
    from pledgetrack.domain.periods import Period

# Clocks on two machines disagree a little; anything later than this is a typing mistake.
FUTURE_TOLERANCE = timedelta(minutes=5)


def _when(moment: datetime, now: datetime | None) -> str:
    """A time in a message, as people read one (`16/10 19:30`, the year when not this one):
    in the user's zone (`now`'s), else as given; ISO with its offset is for the stored form."""
    zone = (now or moment).tzinfo
    assert zone is not None  # every time here is aware
    return short_datetime(moment, zone, None if now is None else now.year)


def _compared(first: datetime, second: datetime, now: datetime | None) -> tuple[str, str]:
    """Two times a message compares, as `_when` prints each: to the second where the
    minutes read alike (dates.short_datetimes). Every message that says one time is
    before or after another prints its times through here."""
    zone = (now or first).tzinfo
    assert zone is not None  # every time here is aware
    return short_datetimes(first, second, zone, None if now is None else now.year)


# One officer's day: an entry of more hours is several officers' together (the help's
# four 8-hour shifts: 32), or a slip (400 for 4.00); said, not refused (FRESH3 F13)
DAY_HOURS = 24


# An entry logged more than a day after the time it records (a patrol written up days
# later, an item received last week, a response back-dated, an import) moved figures
# someone may already have read, in a check, an export or a report: `history REF` of a
# pledge shows it (FRESH4 G22). Last night's patrol typed up this morning does not.
LATE_ENTRY = timedelta(hours=DAY_HOURS)


def logged_late(recorded: datetime, logged: datetime) -> timedelta | None:
    """How long after the time it records an entry was logged, when more than LATE_ENTRY
    (exactly a day is in time)."""
    gap = logged - recorded
    return gap if gap > LATE_ENTRY else None


def hours_note(hours: float | None, action_id: int) -> str | None:
    """What `log` and `duty` say on stderr of an entry holding more than a day's hours."""
    if hours is None or hours <= DAY_HOURS:
        return None
    return (
        f"{hours:g} hours in one entry, more than one day ({DAY_HOURS}h): several officers' "
        f"hours together? If not: pledgetrack void {action_id} --reason 'hours wrong'"
    )


def check_share_hours(pledge: Pledge, hours: float | None) -> None:
    """The hours floor of a share pledge (N3): an entry of 0 hours counts for nothing in its
    share, so it is refused wherever one is logged (`log`, `duty`, `import actions`)."""
    if hours == 0 and isinstance(pledge.target, ShareTarget):
        raise InputError(
            f"{option('hours')} must be more than 0: 0 hours count for nothing in "
            f"{pledge.ref}'s share of hours in the neighbourhood",
            field="hours",
        )


def check_hours(hours: float | None, abstracted: bool, text: str | None = None) -> None:
    """`text`: the hours as a file's cell held them, quoted so in the refusal."""
    if hours is not None:
        HOURS.check("--hours", hours, text)
    if abstracted and hours is None:
        raise InputError(
            f"{option('abstracted')} needs {option('hours')} (the hours taken away from the "
            "neighbourhood)",
            field="abstracted",
        )


def check_text(option: str, value: str | None) -> str:
    """Required free text: refused when blank, otherwise kept exactly as given (spaces,
    tabs and line breaks at either end included: `\t=1+1` is not `=1+1`)."""
    if value is None or blank(value):
        unseen = f": {value!r} has no visible character" if value and value.strip() else ""
        raise InputError(f"{option} must not be empty{unseen}", field=field_name(option))
    return value


def check_item_options(open_: bool, when: object | None, received: object | None) -> None:
    """`--open` records a response item not yet dealt with: it has a receipt and no --when."""
    if open_ and when is not None:
        raise InputError(
            "--open and --when cannot be combined: an open item is not dealt with yet",
            field="when",
        )
    if open_ and received is None:
        raise InputError(
            "--open needs --received (when the message or call came in)", field="received"
        )


def stored_kind(pledge: Pledge, kind: str | None) -> str | None:
    """An action's kind as stored: normalised, and defaulted to the one kind a frequency
    pledge counts (an action logged against "2 patrols a week" is a patrol)."""
    cleaned = normalise_kind(kind)
    if cleaned is None and isinstance(pledge.target, FrequencyTarget):
        return pledge.target.action_kind
    return cleaned


def uncounted_kind(pledge: Pledge, kind: str | None) -> str | None:
    """Why an action of `kind` will not count for its pledge, or None (it counts, or the pledge
    counts any kind). The vocabulary is free, so the kind is stored; but a typo (`patorl`)
    would never count, and nothing else would say so."""
    target = pledge.target
    counted = target.action_kind if isinstance(target, FrequencyTarget) else None
    stored = stored_kind(pledge, kind)
    if counted is None or stored is None or stored == counted:
        return None
    from difflib import get_close_matches  # only for a kind that will not count
    close = get_close_matches(stored, [counted], n=1, cutoff=0.6)
    hint = f" (did you mean {counted!r}?)" if close else ""
    return f"{pledge.ref} counts {counted!r} actions; this {stored!r} will not count{hint}"


def stored_kinds(defaults: Sequence[str | None], kinds: Sequence[str | None]) -> list[str | None]:
    """stored_kind for a batch: each row's kind, beside its pledge's `stored_kind(pledge,
    None)`. A batch names a handful of kinds, so each is normalised once."""
    cleaned = {kind: normalise_kind(kind) for kind in set(kinds)}
    return [
        default if (kind := cleaned[text]) is None else kind
        for text, default in zip(kinds, defaults, strict=True)
    ]


def prepare(team: Team, pledge: Pledge, action: Action, now: datetime | None = None) -> Action:
    """The action as it will be stored: its `stored_kind`, team and pledge; then every rule
    of `check_loggable`. (Import builds each action with these already, and checks it.)"""
    update = {"kind": stored_kind(pledge, action.kind), "team": team.code, "pledge": pledge.ref}
    ready = action.model_copy(update=update)
    check_loggable(team, pledge, ready, now)
    return ready


def latest_allowed(now: datetime) -> datetime:
    """The latest time that is not in the future: FUTURE_TOLERANCE after now, added in real
    time. Added to a zoned now in the second 01:xx of the night the clocks go back, it
    would land in the first (an hour earlier), and `--when now` would be in the future."""
    return now.astimezone(UTC) + FUTURE_TOLERANCE


def check_not_future(name: str, moment: datetime | None, now: datetime | None) -> None:
    if moment is not None and now is not None and moment > latest_allowed(now):
        raise InputError(
            f"{option(name)} {_compared(moment, latest_allowed(now), now)[0]} is in the future",
            field=field_name(name),
        )


def check_loggable(
    team: Team, pledge: Pledge, action: Action, now: datetime | None = None
) -> None:
    """Refuse an action that cannot belong to this pledge as it stands (or, with `now`,
    that has not happened yet)."""
    check_text("description", action.description)
    check_hours(action.hours, action.abstracted)
    check_share_hours(pledge, action.hours)
    if not team.active:
        raise InputError(
            f"team {team.code} is archived; nothing can be logged against it", field="team"
        )
    if action.delivers and not isinstance(pledge.target, DeadlineTarget):
        raise InputError(
            f"{option('delivers')} applies only to deadline pledges; {pledge.ref} is a "
            f"{pledge.target.type} pledge",
            field="delivers",
        )
    is_response = isinstance(pledge.target, ResponseTarget)
    if is_response:
        if action.received_at is None:
            raise InputError(
                f"{pledge.ref} is a response pledge: give {option('received')} "
                "(when the message or call came in)",
                field="received",
            )
        # before the order check: a future --received is that, not a --when (often
        # defaulted to now) before it
        check_not_future("--received", action.received_at, now)
        # compared as instants: two times in one zone object compare by wall clock, which
        # puts 01:00 GMT before 01:01 BST (a minute earlier) on the night the clocks go back
        if (
            action.occurred_at is not None
            and action.occurred_at.timestamp() < action.received_at.timestamp()
        ):
            raise InputError(
                "{} {} is before {} {}".format(
                    option("when"),
                    _compared(action.occurred_at, action.received_at, now)[0],
                    option("received"),
                    _compared(action.occurred_at, action.received_at, now)[1],
                ),
                field="when",
            )
    elif action.received_at is not None:
        raise InputError(
            f"{option('received')} applies only to response pledges; {pledge.ref} is a "
            f"{pledge.target.type} pledge",
            field="received",
        )
    elif action.occurred_at is None:
        raise InputError(
            f"--open applies only to response pledges; {pledge.ref} is not one", field="when"
        )
    check_not_future("--when", action.occurred_at, now)
    check_not_future("--received", action.received_at, now)
    check_voided(action, now)
    check_within_life(pledge, action, now)


def counted_at(action: Action) -> datetime | None:
    """The moment that places an action in a period's figures: a response item by when it
    came in (docs/compliance.md: items belong to a period by their received time), open
    or answered, any other action by when it was done. `export actions --from/--to`
    selects by it (store.actions.COUNTED_SQL)."""
    return action.received_at or action.occurred_at


def before_agreed(agreed_on: date | None, action: Action) -> date | None:
    """The day an action happened when that is before its pledge was agreed, else None.
    A voided action never counts, so it may lie anywhere. With after_closed, the one home
    of "an action lies within its pledge's life": `log`, import and `pledge edit --agreed`,
    `pledge close --on` and `respond` all judge it here."""
    moment = counted_at(action)
    if action.voided_at is not None or agreed_on is None or moment is None:
        return None
    return moment.date() if moment.date() < agreed_on else None


def after_closed(closed_on: date | None, action: Action) -> date | None:
    """The day an action was done (or received, while open) when that is after its pledge
    closed, else None; see before_agreed."""
    moment = action.occurred_at or action.received_at
    if action.voided_at is not None or closed_on is None or moment is None:
        return None
    return moment.date() if moment.date() > closed_on else None


def _earlier_start(pledge: Pledge) -> str:
    """How a pledge is made to start earlier: a national commitment with the team's others
    (one `team national`, not ten `pledge edit`s), a local pledge by itself."""
    if pledge.kind is PledgeKind.NATIONAL:
        return f"pledgetrack team national {pledge.team} --since DATE"
    return f"pledgetrack pledge edit {pledge.ref} --agreed DATE"


def check_within_life(pledge: Pledge, action: Action, now: datetime | None = None) -> None:
    """Refuse an action outside its pledge's life (before_agreed, after_closed); `now`'s
    year is left out of the days named when they are all in it."""
    if (day := before_agreed(pledge.agreed_on, action)) is not None:
        assert pledge.agreed_on is not None
        name = "received" if action.received_at is not None else "when"
        given, agreed = _days(day, pledge.agreed_on, today=now)
        raise InputError(
            f"{option(name)} {given} is before {pledge.ref} was agreed "
            f"({agreed}) and could never count "
            f"(to record history, first: {_earlier_start(pledge)})",
            field=name,
        )
    if (day := after_closed(pledge.closed_on, action)) is not None:
        assert pledge.closed_on is not None
        closed, given = _days(pledge.closed_on, day, today=now)
        raise InputError(
            f"{pledge.ref} was closed ({pledge.status.value}) on {closed}; "
            f"an action on {given} cannot count (reopen it first)",
            field="when",
        )


def check_keeps_actions(pledge: Pledge, actions: Sequence[Action], option: str) -> None:
    """A pledge's new `--agreed` or closing day (`option`) must keep every one of its
    logged, unvoided `actions` within its life: otherwise they would drop out of the
    figures without a word, and a move of the team (export, import) would refuse them.
    Says how many, the first, and the ways out."""
    closing = option == "--on"
    days = [
        (day, action)
        for action in actions
        if (
            day := after_closed(pledge.closed_on, action)
            if closing
            else before_agreed(pledge.agreed_on, action)
        )
        is not None
    ]
    if not days:
        return
    days.sort(key=lambda pair: (pair[0], pair[1].id or 0))
    first_day, first = days[0]
    keep_day = days[-1][0] if closing else first_day
    given = pledge.closed_on if closing else pledge.agreed_on
    assert given is not None
    count = f"{len(days)} logged action{'s' if len(days) != 1 else ''}"
    side, way = ("after", "or later") if closing else ("before", "or earlier")
    given_day, first_text, keep_text = _days(given, first_day, keep_day)
    raise InputError(
        f"{option} {given_day} would leave {count} of {pledge.ref} {side} "
        f"{'it closed' if closing else 'it was agreed'}, no longer counted (the first: "
        f"action {first.id} on {first_text}); give {option} "
        f"{keep_text} {way}, or void them first (pledgetrack void ID --reason ...)",
        field=field_name(option),
    )


class LogTarget(NamedTuple):
    """What check_loggable reads of a team and a pledge, read once for a batch of actions."""

    active: bool
    deadline: bool
    response: bool
    share: bool
    agreed_on: date | None
    closed_on: date | None


def log_target(team: Team, pledge: Pledge) -> LogTarget:
    return LogTarget(
        team.active,
        isinstance(pledge.target, DeadlineTarget),
        isinstance(pledge.target, ResponseTarget),
        isinstance(pledge.target, ShareTarget),
        pledge.agreed_on,
        pledge.closed_on,
    )


def refused(
    targets: Sequence[LogTarget],
    description: Sequence[str | None],
    occurred_at: Sequence[datetime | None],
    received_at: Sequence[datetime | None],
    hours: Sequence[float | None],
    abstracted: Sequence[bool],
    delivers: Sequence[bool],
    voided_at: Sequence[datetime | None],
    void_reason: Sequence[str | None],
    now: datetime | None = None,
) -> list[int]:
    """check_loggable for a batch, given field by field: the positions of the actions it
    refuses (for the one-by-one check to say why). The same rules, in one expression per
    action instead of a dozen calls; tests/test_entry_rules_bulk.py holds the two equal."""
    limit = None if now is None else latest_allowed(now)
    rows = zip(
        targets,
        description,
        occurred_at,
        received_at,
        hours,
        abstracted,
        delivers,
        voided_at,
        void_reason,
        strict=True,
    )
    positions: list[int] = []
    for position, row in enumerate(rows):
        target, text, when, received, spent, away, delivery, voided, reason = row
        if not (
            not blank(text)  # check_text
            and (HOURS.accepts(spent) if spent is not None else not away)  # check_hours
            and not (target.share and spent == 0)  # check_share_hours
            and target.active
            and (target.deadline or not delivery)
            and (
                received is not None
                and (limit is None or received <= limit)
                and (when is None or when.timestamp() >= received.timestamp())
                if target.response
                else received is None and when is not None
            )
            and (when is None or limit is None or when <= limit)
            and (  # check_voided
                reason is None
                if voided is None
                else not blank(reason)
                and (limit is None or voided <= limit)
                and ((happened := when or received) is None or voided >= happened)
            )
            and (  # check_within_life: a voided action may lie anywhere
                voided is not None
                or (
                    (
                        target.agreed_on is None
                        or (moment := received or when) is None
                        or moment.date() >= target.agreed_on
                    )
                    and (
                        target.closed_on is None
                        or (moment := when or received) is None
                        or moment.date() <= target.closed_on
                    )
                )
            )
        ):
            positions.append(position)
    return positions


def check_voided(action: Action, now: datetime | None = None) -> None:
    """A voided action (as import brings one) was voided, with a reason, after it happened
    and not in the future; a reason without a void is a mistake, not something to drop."""
    voided, reason = action.voided_at, action.void_reason
    if voided is None:
        if reason is not None:
            raise InputError("void_reason given, but voided_at is empty", field="void_reason")
        return
    if reason is None or not reason.strip():
        raise InputError("required when voided_at is given", field="void_reason")
    check_not_future("voided_at", voided, now)
    happened = action.occurred_at or action.received_at
    if happened is not None and voided < happened:
        raise InputError(
            "voided_at {} is before the action ({})".format(*_compared(voided, happened, now)),
            field="voided_at",
        )


def check_not_caseless_contact(pledge: Pledge, action: Action) -> None:
    """`log --open` on N9 is refused (FRESH5 H23): the item would be a victim's contact
    with no case, which no later contact can answer (victim-update answers its case's
    item), so it breaches a month on whatever the team does. victim-update records it."""
    if pledge.kind is not PledgeKind.NATIONAL or action.occurred_at is not None:
        return
    from pledgetrack.domain.national import CONTACT_OPENS_ITEM

    if pledge.seq != CONTACT_OPENS_ITEM or action.received_at is None:
        return
    at = action.received_at.strftime("%d/%m/%Y %H:%M")
    raise InputError(
        f"{option('open')}: {pledge.ref} is kept by each victim's case, and a contact "
        "logged here has none, so no later contact could answer it; record it with: "
        f"pledgetrack victim-update {pledge.team} --case REF --when '{at}'",
        field="open",
    )


def check_response(action: Action, when: datetime, now: datetime | None = None) -> None:
    check_not_future("--when", when, now)
    if action.voided_at is not None:
        raise InputError(f"action {action.id} is void")
    if action.received_at is None:  # a patrol, a meeting: nothing was waiting for an answer
        raise InputError(f"action {action.id} is not a response item: it has no received time")
    if action.occurred_at is not None:
        raise InputError(  # mistakes are voided, never edited (README, Concepts)
            f"action {action.id} was already dealt with at {_when(action.occurred_at, now)}; "
            f"to correct it: pledgetrack void {action.id} --reason '...', then pledgetrack "
            f"log {action.pledge} ... --received ... --when ..."
        )
    if action.received_at is not None and when < action.received_at:
        raise InputError(
            "--when {} is before the item was received ({})".format(
                *_compared(when, action.received_at, now)
            ),
            field="when",
        )


def check_voidable(action_id: int, void_reason: str | None) -> bool:
    """`void_reason`: why the action was voided, None while it counts. True: it is void
    already, but another tool left it without its reason (`void --reason` records one,
    the void's time kept): `db check` names that way out."""
    if void_reason is None:
        return False
    if blank(void_reason):
        return True
    raise InputError(f"action {action_id} is already void ({void_reason})")


def check_close(
    pledge: Pledge, status: PledgeStatus, on: date, today: date | None = None, option: str = "--on"
) -> None:
    """`pledge close`, and a pledge imported closed (`option`: the column of its day)."""
    field = field_name(option)
    if today is not None and on > today:
        raise InputError(f"{option} {_days(on, today=today)[0]} is in the future", field=field)
    if not pledge.is_open:
        raise InputError(f"{pledge.ref} is already closed ({pledge.status.value})")
    if status is PledgeStatus.ACTIVE:
        raise InputError("--status must be achieved, not-achieved or withdrawn", field="status")
    if pledge.agreed_on is not None and on < pledge.agreed_on:
        given, agreed = _days(on, pledge.agreed_on, today=today)
        raise InputError(
            f"{option} {given} is before {pledge.ref or 'the pledge'} was agreed ({agreed})",
            field=field,
        )


def check_recorded_closing(status: PledgeStatus, outcome: str | None, on: date | None) -> None:
    """A pledge recorded as it stands elsewhere (`import pledges`' status, outcome and
    closed): an active one has neither outcome nor closing day; a closed one has its day
    (then checked by check_close). Its outcome may be empty: a database written by another
    tool holds such pledges, and its export must import."""
    if status is PledgeStatus.ACTIVE:
        for given, column in ((on, "closed"), (outcome, "outcome")):
            if given is not None:
                raise InputError(
                    "given, but the status is active (an active pledge is not closed)",
                    field=column,
                )
        return
    if on is None:
        raise InputError(
            f"required for a {status.value} pledge (the day it closed)", field="closed"
        )


def check_dates(agreed_on: date | None, review_on: date | None, target: Target) -> None:
    """A pledge's own dates: neither its review nor its deadline before it was agreed."""
    if agreed_on is not None and review_on is not None and review_on < agreed_on:
        review, agreed = _days(review_on, agreed_on)
        raise InputError(
            f"{option('review')} {review} is before {option('agreed')} {agreed}", field="review"
        )
    due = target.due if isinstance(target, DeadlineTarget) else None
    if agreed_on is not None and due is not None and due < agreed_on:
        by, agreed = _days(due, agreed_on)
        raise InputError(f"{option('by')} {by} is before {option('agreed')} {agreed}", field="by")


class TargetRewrite(NamedTuple):
    """A change of a pledge's target or agreed date that rewrites figures already reported:
    every figure is judged by the pledge's one stored target from its one agreed date, so
    its ended months are judged again (`pledge edit` says so and asks first; `summary`
    notes a target change)."""

    ref: str
    before: Target
    after: Target
    months: Period  # the whole months ended, in force, whose figures change
    # an agreed date moved: (from, to); it adds or drops the units between them
    agreed: tuple[date, date] | None = None

    def _changes(self) -> list[tuple[str, str]]:
        """(what changed, from what to what): the target, the agreed date, or both."""
        from pledgetrack.domain.targets import describe

        said = []
        if self.before != self.after:
            said.append(("target", f"from {describe(self.before)} to {describe(self.after)}"))
        if self.agreed is not None:
            before, after = _days(*self.agreed)
            said.append(("agreed date", f"from {before} to {after}"))
        return said

    def words(self, done: bool = False) -> str:
        """What the change does (`done`: did), for the refusal, the question, the note after."""
        months = ended_months_words(self.months)
        if done:  # "target changed from ... and its agreed date from ..."
            (name, change), *rest = self._changes()
            said = " and ".join([f"{name} changed {change}", *(f"its {n} {c}" for n, c in rest)])
            noted = "; summary of those months notes the change" * (self.before != self.after)
            return f"{self.ref}'s {said}, and with it its figures for {months}{noted}"
        said = " and ".join(f"{name} {change}" for name, change in self._changes())
        return f"changing {self.ref}'s {said} changes its figures for {months}"

    def question(self) -> str:
        """`Change CW01-L1's target?` (or agreed date, or both), asked at a terminal."""
        return f"Change {self.ref}'s {' and '.join(name for name, _ in self._changes())}?"

    def refusal(self) -> str:
        """Refused without a yes: how to go on, changing the figures or keeping them."""
        keep = (
            f"close {self.ref} and add the new target as a new pledge"
            if self.before != self.after
            else "leave the agreed date as it is"
        )
        return f"{self.words()}; pass {option('yes')} to change them, or keep them: {keep}"


def target_rewrite(
    pledge: Pledge, before: Target, today: date, agreed_before: date | None = None
) -> TargetRewrite | None:
    """Whether `pledge` (as edited: its new target and dates), whose target was `before`
    and agreed date `agreed_before` (None: not edited), rewrites ended months when saved on
    `today`: months its reports already held (from the month it was agreed before the
    edit) that were judged otherwise, up to the last one ended before today or the month
    it closed. A new target rewrites all of them; a moved agreed date those in which a
    unit changes sides (FRESH5 H12). A
    month before the old agreed date is not rewritten but added, as `pledge add` with a
    past date adds it. None: nothing reported changes, or no month has ended yet (a pledge
    agreed this month may be corrected freely)."""
    from pledgetrack.domain.periods import unit_end
    from pledgetrack.domain.vocabulary import Unit

    after = pledge.agreed_on
    if after is None:
        return None
    was = after if agreed_before is None else agreed_before
    if pledge.target == before and was == after:
        return None
    first = was.replace(day=1)  # the first month whose reports held the pledge
    last_ended = today.replace(day=1) - timedelta(days=1)  # the end of last month
    if pledge.target == before:  # only the agreed date: the months whose units flip
        flipped = _flipped_months(pledge.target, was, after)
        if flipped is None:
            return None
        first, last_ended = max(first, flipped[0]), min(last_ended, flipped[1])
    if pledge.closed_on is not None:
        last_ended = min(last_ended, unit_end(Unit.MONTH, pledge.closed_on.replace(day=1)))
    if last_ended < first:
        return None
    agreed = None if was == after else (was, after)
    return TargetRewrite(pledge.ref, before, pledge.target, months_span(first, last_ended), agreed)


def months_span(first: date, last: date) -> Period:
    """The whole months from `first`'s to `last`'s, labelled `2008-09..2008-11`."""
    from pledgetrack.domain.periods import Period

    return Period(first, last, f"{first:%Y-%m}..{last:%Y-%m}")


def ended_months_words(months: Period) -> str:
    """`September 2008, a month already ended` (`..., months already ended`): what an edit
    that rewrites figures names, for a pledge or for a team's commitments together."""
    from pledgetrack.domain.plain_words import period_words

    one = months.start == months.end.replace(day=1)
    return f"{period_words(months)}, {'a month' if one else 'months'} already ended"


def _flipped_months(target: Target, one: date, other: date) -> tuple[date, date] | None:
    """The months (first day of the first, last day of the last) holding the units an
    agreed date moved between `one` and `other` judges differently: those starting on or
    after the earlier date and before the later one (a unit counts when the pledge was
    agreed by its first day: rules.in_force_throughout), each in the month it ends in.
    None: no unit starts between them, or the pledge is not counted in units: a response,
    share or deadline pledge is judged on its items alone, and none can lie between the
    two dates (check_keeps_actions refuses the move, logging refuses the item)."""
    from pledgetrack.domain.periods import unit_end, unit_start
    from pledgetrack.domain.vocabulary import Unit

    if not isinstance(target, FrequencyTarget):
        return None
    low, high = sorted((one, other))
    unit = target.unit
    first_start = unit_start(unit, low)
    if first_start < low:
        first_start = unit_end(unit, first_start) + timedelta(days=1)
    last_start = unit_start(unit, high - timedelta(days=1))
    if last_start < first_start:
        return None
    first, last = unit_end(unit, first_start), unit_end(unit, last_start)
    return first.replace(day=1), unit_end(Unit.MONTH, last.replace(day=1))


def _same_words(text: str) -> str:
    """A title as people would say it again: case and spacing aside."""
    return " ".join(text.casefold().split())


def check_not_twice(new: Pledge, others: Sequence[Pledge]) -> None:
    """A new local pledge the team already has, active, with the same title (case and
    spacing aside) and the same target, is refused: a command run twice (did it work?)
    must not leave two pledges splitting one promise's actions. A pledge closed before
    may be agreed again; `again` is how a team says it means a second one."""
    title = _same_words(new.title)
    for other in others:
        if other.is_open and other.target == new.target and _same_words(other.title) == title:
            from pledgetrack.domain.targets import describe

            raise InputError(
                f"{other.team} already has this pledge: {other.ref} {other.title!r} "
                f"({describe(other.target)}), active; pass {option('again')} to record a "
                "second one",
                field="again",
            )
