"""What a team must do to stay green, most urgent first: the sergeant's `task next`.

Nothing here judges compliance afresh: the figures come from `compliance.summarise` (the
frequency count so far in the unit in progress, deadline judgements) and the open items
from the same query `check` reads, with the breach rule from `domain.rules`. The agenda
only picks what is still to do and says by when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from pledgetrack.domain import rules
from pledgetrack.domain.dates import localise, short_datetime
from pledgetrack.domain.national import KIND_MEETING
from pledgetrack.domain.periods import parse_period
from pledgetrack.domain.plain_words import period_words
from pledgetrack.domain.rules import Status
from pledgetrack.domain.targets import DeadlineTarget, FrequencyTarget, format_duration
from pledgetrack.services.compliance import PledgeResult, summarise
from pledgetrack.services.national import next_meeting
from pledgetrack.store import queries
from pledgetrack.store.connection import Store


@dataclass(frozen=True)
class Item:
    team: str
    ref: str
    title: str
    kind: str  # frequency, open-item, deadline, review
    now: str  # where things stand: "1 of 2 this week", "item 12 open 20h"
    # what is still needed: "1 more by Sun", "3h left"; never the day and time `due` says
    todo: str
    due: datetime
    late: bool = False
    # an open item's own words and reference (a victim's case, a message's --ref): which
    # message or victim the line is about, where the pledge's title says only which pledge
    description: str | None = None
    case: str | None = None
    # a frequency pledge `check` warns of (falling-short): short, with the unit nearly over
    warned: bool = False

    def row(self) -> dict[str, object]:
        return {
            "team": self.team,
            "ref": self.ref,
            "title": self.title,
            # what the line is about: an open item's description, else the pledge's title
            "description": self.title if self.description is None else self.description,
            "case": self.case,
            "kind": self.kind,
            "now": self.now,
            "todo": self.todo,
            "due": self.due,
            "late": self.late,
        }


@dataclass(frozen=True)
class Agenda:
    """What is due, and the pledges already red in the month so far: an agenda with nothing
    due must not read as all on track while `check` reports them (FRESH5 H21)."""

    items: list[Item]
    red: list[str]  # refs, in the summaries' order
    month: str  # the month so far, in words (`October 2008`)


def agenda(
    store: Store, as_of: datetime, team_codes: list[str] | None, days: int, tz: tzinfo
) -> Agenda:
    """Everything due by the end of the day `days` ahead (and all that is late), soonest first.

    `tz` is the zone the team works in (a ZoneInfo, not as-of's fixed offset): the end of
    Sunday 26 October 2008 is 23:59 GMT although the week began in summer time.
    """
    # a window of whole days: `--days 7` on a Thursday reaches the end of next Thursday
    horizon = end_of_day(as_of.date() + timedelta(days=days), tz)
    month = parse_period("this-month", as_of.date())
    items: list[Item] = []
    titles: dict[str, str] = {}
    red: list[str] = []
    summaries = summarise(store, month, as_of, team_codes)
    for summary in summaries:
        for result in summary.results:
            pledge, judgement = result.pledge, result.judgement
            titles[pledge.ref] = pledge.title
            if not rules.still_open(pledge.status, pledge.closed_on, as_of):
                continue
            if judgement.status is Status.RED:
                red.append(pledge.ref)
            team, target = summary.team.code, pledge.target
            short = shortfall(result, as_of)
            if short is not None:
                assert isinstance(target, FrequencyTarget)
                now, todo, end = short_words(target, short, as_of, tz)
                if target.action_kind == KIND_MEETING:  # N7: a meeting already called
                    todo += _announced(store, team, as_of, end, tz)
                items.append(
                    Item(
                        team, pledge.ref, pledge.title, "frequency", now, todo, end,
                        warned=short.warned,
                    )
                )  # fmt: skip
            # delivered, on time or late: nothing is left to do
            if isinstance(target, DeadlineTarget) and judgement.delivered_on is None:
                due = end_of_day(target.due, tz)
                late = judgement.status is Status.RED
                items.append(
                    Item(
                        team,
                        pledge.ref,
                        pledge.title,
                        "deadline",
                        "not delivered",
                        "deliver now" if late else f"deliver {_by(due, as_of)}",
                        due,
                        late,
                    )
                )
            if pledge.review_on is not None:
                due = end_of_day(pledge.review_on, tz)
                late = pledge.review_on < as_of.date()
                items.append(
                    Item(
                        team,
                        pledge.ref,
                        pledge.title,
                        "review",
                        "review overdue" if late else "review due",
                        "review now" if late else f"review {_by(due, as_of)}",
                        due,
                        late,
                    )
                )
    scope = queries.Scope(tuple(s.team.code for s in summaries) if team_codes else None, as_of)
    for open_item in queries.open_items(store, scope):
        age, limit = open_item["age_s"], open_item["limit_s"]
        received = datetime.fromisoformat(open_item["received_at"])
        due = rules.due_by(received, limit, open_item["on_clock"], tz)
        late = rules.breached(age, limit)
        left = format_duration(abs(limit - age) / 60)
        items.append(
            Item(
                open_item["team"],
                open_item["ref"],
                titles.get(open_item["ref"], open_item["description"]),
                "open-item",
                f"item {open_item['id']} open {format_duration(age / 60)}",
                f"late by {left}" if late else f"{left} left",
                due,
                late,
                open_item["description"],
                open_item["case_ref"] or None,
            )
        )
    # what check warns of is listed whatever --days says (agenda and check agree)
    due_soon = [i for i in items if i.late or i.warned or i.due <= horizon]
    ordered = sorted(due_soon, key=lambda i: (i.due, i.team, i.ref, i.kind))
    return Agenda(ordered, red, period_words(month))


def _announced(store: Store, team: str, as_of: datetime, end: datetime, tz: tzinfo) -> str:
    """`; announced Tue 02/12 19:00`: the team's next meeting (next-meeting), when it falls
    in the unit still short, so a sergeant who has called it is not told only `0 of 1 this
    month` (FRESH4 G18); it counts once held and logged with `meeting`."""
    planned = next_meeting(store, team, as_of)
    if planned is None or planned["starts_at"] > end:
        return ""
    starts = planned["starts_at"].astimezone(tz)
    return f"; announced {starts:%a} {short_datetime(starts, tz, as_of.year)}"


def shortfall(result: PledgeResult, as_of: datetime) -> rules.Shortfall | None:
    """What a frequency pledge still needs in the unit in progress (rules.shortfall): the
    agenda lists it, and `check` the ones warned of (both only for pledges still open)."""
    pledge, so_far = result.pledge, result.judgement.so_far
    target = pledge.target
    if not isinstance(target, FrequencyTarget) or so_far is None:
        return None  # so_far: set for the unit in progress at as-of alone
    return rules.shortfall(target.unit, target.count, so_far, as_of.date(), pledge.agreed_on)


def short_words(
    target: FrequencyTarget, short: rules.Shortfall, as_of: datetime, tz: tzinfo
) -> tuple[str, str, datetime]:
    """`1 of 2 this week`, `1 more by tomorrow` and the unit's last second, as the agenda
    and check's falling-short finding both say them."""
    end = end_of_day(short.last, tz)
    now = f"{short.so_far} of {target.count} this {target.unit.value}"
    return now, f"{short.missing} more {_by(end, as_of)}", end


def end_of_day(day: date, tz: tzinfo) -> datetime:
    """The last second of a local day: something due on the 24th may be done on the 24th."""
    return localise(day + timedelta(days=1), time(0), tz) - timedelta(seconds=1)


def _by(moment: datetime, as_of: datetime) -> str:
    """`by Sun`: the weekday tells a sergeant more than the date, which the Due column says;
    but on the day itself `by Thu` reads as next week's (FRESH2 G18), so `today`, then
    `by tomorrow`, and beyond six days (`--days 21`), when a weekday would repeat, the date."""
    days = (moment.date() - as_of.astimezone(moment.tzinfo).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "by tomorrow"
    return f"by {moment:%a}" if days < 7 else f"by {moment:%d/%m}"
