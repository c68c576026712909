"""Findings for cron: what a sergeant should act on today, one line each."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from functools import partial
from operator import itemgetter
from typing import Any, NamedTuple

from pledgetrack.domain.dates import FIRST_DAY, format_datetime, short_date, short_datetime
from pledgetrack.domain.models import PledgeKind
from pledgetrack.domain.periods import Period, parse_period, unit_start
from pledgetrack.domain.plain_words import period_words
from pledgetrack.domain.rules import (
    Judgement,
    Shortfall,
    Status,
    breached,
    detail_for_people,
    due_by,
    is_stale,
    stale_after_days,
    still_open,
)
from pledgetrack.domain.targets import (
    DeadlineTarget,
    FrequencyTarget,
    NoTarget,
    ResponseTarget,
    Target,
    Unit,
    format_duration,
)
from pledgetrack.services.agenda import short_words, shortfall
from pledgetrack.services.compliance import PledgeResult, figure_number, summarise
from pledgetrack.store import queries
from pledgetrack.store.connection import Store


class FindingField(NamedTuple):
    """One field of a finding for programs (`check -f csv|json`), declared once: the CSV
    header and JSON keys follow this order, and docs/cli.md's table is this (the test)."""

    name: str
    meaning: str
    example: str = ""


# The first four are check's columns since the start; the rest were added after them
# (FRESH4 G21), so a program reading columns by position reads what it always did.
FINDING_FIELDS = (
    FindingField("team", "team code", "CW01"),
    FindingField("ref", "pledge reference", "CW01-N4"),
    FindingField(
        "kind",
        "red, falling-short, breached, due-soon, deadline-missed, deadline-due, "
        "review-overdue or stale",
        "breached",
    ),
    FindingField(
        "message",
        "the finding in words (its wording may change; read the fields below)",
        "item 3 received 2008-10-15T09:00:00+01:00 open 30h (limit 24h)",
    ),
    FindingField(
        "period_start",
        "first day of the period judged (red: this month, or the month or quarter just "
        "ended; falling-short: the unit in progress); empty for the other kinds",
        "2008-10-01",
    ),
    FindingField("period_end", "last day of that period", "2008-10-31"),
    FindingField(
        "status",
        "the pledge's status in that period, as `summary` says it (red; a deadline missed "
        "red, due amber)",
        "red",
    ),
    FindingField(
        "done",
        "red and deadlines: export summary's `actual` for the period; falling-short: "
        "actions so far in the unit",
        "1",
    ),
    FindingField(
        "needed",
        "red and deadlines: export summary's `expected`; falling-short: actions the unit needs",
        "2",
    ),
    FindingField(
        "due",
        "when it is or was due, stored form: an open item's breach time (received plus the "
        "limit), the unit's last day (falling-short), the deadline's day, the review day",
        "2008-10-16T09:00:00+01:00",
    ),
    FindingField("item", "breached, due-soon: the open item's action id", "3"),
    FindingField("case", "breached, due-soon: its victim case, else its --ref", "LE/99/26"),
    FindingField(
        "received_at", "breached, due-soon: when the item came in", "2008-10-15T09:00:00+01:00"
    ),
    FindingField(
        "last_action", "stale: the day of the pledge's last action; empty: none yet", "2008-09-30"
    ),
)


class Facts(NamedTuple):
    """A finding's fields after `message` (FINDING_FIELDS), None where they do not apply."""

    period_start: date | None = None
    period_end: date | None = None
    status: str | None = None
    done: float | None = None
    needed: float | None = None
    due: date | str | None = None
    item: int | None = None
    case: str | None = None
    received_at: str | None = None
    last_action: date | None = None


class Finding(NamedTuple):
    """One line for the sergeant (a tuple: a national `check` finds 34,000)."""

    team: str
    ref: str
    kind: str  # red, falling-short, breached, due-soon, deadline-missed, deadline-due,
    # review-overdue, stale
    message: str  # as programs read it (CSV, JSON): times as stored, `2008-10-10T14:00:00+01:00`,
    # days as ISO, `2008-10-10`
    people: str | None = None  # as a table shows it, when not the same: `10/10 14:00`, `10/10`
    facts: Facts | None = None  # the fields after `message`, for programs

    def as_dict(self, *, for_people: bool = False) -> dict[str, Any]:
        said = self.people if for_people and self.people is not None else self.message
        facts = (self.facts or Facts())._asdict()
        return {"team": self.team, "ref": self.ref, "kind": self.kind, "message": said, **facts}


def _judged(period: Period, j: Judgement) -> Facts:
    """A judged finding's facts: its period, status and export summary's figures."""
    actual, expected = figure_number(j.actual), figure_number(j.expected)
    return Facts(period.start, period.end, j.status.value, actual, expected)


# Findings are listed by team, pledge and kind; those alike stay in the order found
_ORDER = itemgetter(0, 1, 2)


RECENT_DAYS = 7  # the grace window: days 1-7 after a month or quarter ends
# The type names of the targets check tells apart (each model's `type`)
_DEADLINE = DeadlineTarget.model_fields["type"].default
_NONE = NoTarget.model_fields["type"].default
# never stale: a response pledge waits for messages, a deadline has its own findings
_WAIT = frozenset({ResponseTarget.model_fields["type"].default, _DEADLINE})


def _reporting_unit(target: object) -> Unit:
    """The unit a pledge is reported by: a quarterly pledge its quarter, any other its month."""
    if isinstance(target, FrequencyTarget) and target.unit is Unit.QUARTER:
        return Unit.QUARTER
    return Unit.MONTH


def _reported_by(unit: Unit, target: Target) -> bool:
    return _reporting_unit(target) is unit


def _recently_ended_units(
    store: Store, as_of: datetime, team_codes: list[str] | None, flagged: set[tuple[str, str]]
) -> list[Finding]:
    """Every pledge red in the reporting unit just ended stays flagged for the first
    RECENT_DAYS days after it: "this month so far" judges little on the 1st (a monthly
    pledge nothing), so without this the month's reds would vanish overnight. A pledge in
    `flagged` (red or missed today already) is reported once."""
    findings = []
    for unit, label in ((Unit.MONTH, "last-month"), (Unit.QUARTER, "last-quarter")):
        if unit_start(unit, as_of.date()) <= FIRST_DAY:  # none ended before the first day
            continue  # (`check --as-of 01/01/1900` exited 2 on a 'last-month' never typed)
        period = parse_period(label, as_of.date())
        if (as_of.date() - period.end).days > RECENT_DAYS:
            continue
        # only the pledges reported by this unit, and no last actions: each aggregate of
        # the unit just ended is read for the pledges it concerns, once
        reported = summarise(
            store,
            period,
            as_of,
            team_codes,
            last_action=False,
            words=False,
            only=partial(_reported_by, unit),
        )
        for summary in reported:
            for result in summary.results:
                j = result.judgement
                key = (summary.team.code, result.pledge.ref)
                if j.status != Status.RED or key in flagged:
                    continue
                pct = f"{j.compliance_pct:.1f}% " if j.compliance_pct is not None else ""
                quarter = "" if unit is Unit.MONTH else " quarter"
                said = _red_against(result, as_of.year)
                findings.append(
                    Finding(
                        *key,
                        "red",
                        f"{pct}in {period.start:%Y-%m}{quarter} against "
                        f"'{result.target_text}' ({j.detail})",
                        # `in September 2008`, `in the quarter July to September 2008`
                        f"{pct}in {'the quarter ' if quarter else ''}{period_words(period)} "
                        f"against {said}",
                        _judged(period, j),
                    )
                )
    return findings


def find_problems(
    store: Store,
    as_of: datetime,
    team_codes: list[str] | None,
    *,
    warn_minutes: int,
    stale_days: int,
    tz: tzinfo | None = None,
) -> list[Finding]:
    """What needs action at `as_of`; an open item's time is said for people as tables print
    it, in `tz` (the user's zone; `as_of`'s offset if not given), and for programs as stored."""
    zone = tz or as_of.tzinfo
    assert zone is not None  # as-of is aware
    today = as_of.date()
    said = partial(short_date, year=as_of.year)  # a day as people read it: 10/10, 10/10/2007
    period = parse_period("this-month", today)
    findings: list[Finding] = []
    summaries = summarise(store, period, as_of, team_codes, words=False)  # shows no title
    for summary in summaries:
        code = summary.team.code
        for result in summary.results:
            pledge, j = result.pledge, result.judgement
            if not still_open(pledge.status, pledge.closed_on, as_of):
                continue
            # by the target's type name: a class test that fails costs ten times as much
            # on a pydantic model, over 68,000 pledges
            target, ref, status = pledge.target, pledge.ref, j.status
            if target.type == _DEADLINE:
                assert isinstance(target, DeadlineTarget)  # its type: only deadlines here
                if status is Status.RED:
                    people = detail_for_people(j.detail, as_of.year)
                    facts = _judged(period, j)._replace(due=target.due)
                    findings.append(
                        Finding(code, ref, "deadline-missed", j.detail, people, facts)
                    )
                elif status is Status.AMBER:
                    facts = _judged(period, j)._replace(due=target.due)
                    findings.append(Finding(code, ref, "deadline-due", j.detail, None, facts))
            elif status is Status.RED:
                pct = f"{j.compliance_pct:.1f}%" if j.compliance_pct is not None else ""
                findings.append(
                    Finding(
                        code,
                        ref,
                        "red",
                        # `in 2008-10 so far`, `in October 2008 so far`: as the month
                        # just ended's rows name theirs (FRESH4 G18)
                        f"{pct} in {period.start:%Y-%m} so far against "
                        f"'{result.target_text}' ({j.detail})",
                        f"{pct} in {period_words(period)} so far against "
                        f"{_red_against(result, as_of.year)}",
                        _judged(period, j),
                    )
                )
            short = shortfall(result, as_of)
            if short is not None and short.warned:
                assert isinstance(target, FrequencyTarget)  # shortfall: frequency alone
                findings.append(_short_finding(code, ref, target, short, as_of, zone))
            if pledge.review_on is not None and pledge.review_on < today:
                findings.append(
                    _dated(code, ref, "review-overdue", "review was due {}", pledge.review_on, said)
                    ._replace(facts=Facts(due=pledge.review_on))
                )
            # nor is a national commitment with no figure (N1, N2, N10): it asks for no log
            unlogged = pledge.kind is PledgeKind.NATIONAL and target.type == _NONE
            if target.type not in _WAIT and not unlogged:
                since = result.last_action or pledge.agreed_on
                unit = target.unit if isinstance(target, FrequencyTarget) else None
                if since is not None and is_stale(since, today, stale_days, unit, j.unit_met):
                    over = f"(over {stale_after_days(stale_days, unit)} days)"
                    last = result.last_action
                    findings.append(
                        _dated(code, ref, "stale", f"last action {{}} {over}", last, said)
                        ._replace(facts=Facts(last_action=last))
                        if last
                        else Finding(code, ref, "stale", f"no action yet {over}")
                    )
    flagged = {(f.team, f.ref) for f in findings if f.kind in ("red", "deadline-missed")}
    findings.extend(_recently_ended_units(store, as_of, team_codes, flagged))
    scope = queries.Scope(tuple(s.team.code for s in summaries) if team_codes else None, as_of)
    for item in queries.open_items(store, scope):
        age, limit = item["age_s"], item["limit_s"]
        # a victim's contact due as often as agreed with the victim (victim-update --every)
        agreed = "" if item["every_days"] is None else ", as agreed"
        within = f"(limit {format_duration(limit / 60)}{agreed})"
        if breached(age, limit):
            state = f"open {format_duration(age / 60)} {within}"
            late = f"late by {format_duration((age - limit) / 60)}, {state}"
            findings.append(_item_finding(item, "breached", state, late, zone, as_of.year))
        elif age > limit - warn_minutes * 60:
            state = f"breaches in {format_duration((limit - age) / 60)}"
            soon = f"{state} {within}"
            findings.append(_item_finding(item, "due-soon", state, soon, zone, as_of.year))
    return sorted(findings, key=_ORDER)


def _short_finding(
    team: str, ref: str, target: FrequencyTarget, short: Shortfall, as_of: datetime, zone: tzinfo
) -> Finding:
    """A frequency pledge short in the unit in progress with its end near (rules.shortfall),
    as the agenda counts it: `1 of 2 this week; 1 more by Sun 02/11` for people (the day
    named, not `tomorrow`: a mail is read later), the day in ISO for programs."""
    now = short_words(target, short, as_of, zone)[0]
    by = f"{now}; {short.missing} more by {{}}"
    day = f"{short.last:%a} {short_date(short.last, as_of.year)}"
    facts = Facts(
        short.first, short.last, done=short.so_far, needed=short.so_far + short.missing,
        due=short.last,
    )  # fmt: skip
    return Finding(
        team, ref, "falling-short", by.format(short.last.isoformat()), by.format(day), facts
    )


def _red_against(result: PledgeResult, year: int) -> str:
    """`'within 1h' (median 36m, ...)`: a red finding's target and detail as people read
    their days (`not judged: agreed 07/10, ...`, the year only when not `year`); programs
    read them in ISO. (A deadline, the one target naming a day, is never `red` here: a
    missed one is its own finding.)"""
    return f"'{result.target_text}' ({detail_for_people(result.judgement.detail, year)})"


def _dated(
    team: str, ref: str, kind: str, template: str, day: date, said: Callable[[date], str]
) -> Finding:
    """A finding naming a day: ISO for programs (`last action 2008-10-10`), and as tables say
    it for people (`last action 10/10`, the year only when not as-of's)."""
    return Finding(team, ref, kind, template.format(day.isoformat()), template.format(said(day)))


def _item_finding(
    item: Mapping[str, Any], kind: str, state: str, said: str, tz: tzinfo, year: int
) -> Finding:
    """`item 3 received 10/10 14:00 open 25h (limit 24h)` for programs (CSV, JSON: the time
    as stored and exported, `2008-10-10T14:00:00+01:00`, whole and unambiguous in the hour
    the clocks go back; their form unchanged). For people, the cron mail (FRESH3 F15), what
    the item is, which pledge, how late (`said`) and the time as tables print it
    (short_datetime): `message 3 "parking on the verge" (EM-1234) received 10/10 14:00:
    late by 1h, open 25h (limit 24h); Messages answered within 24 hours`."""
    stored = item["received_at"]
    received = datetime.fromisoformat(stored)
    people = short_datetime(received, tz, year)
    due = due_by(received, item["limit_s"], item["on_clock"], tz).astimezone(tz)
    return Finding(
        item["team"],
        item["ref"],
        kind,
        f"item {item['id']} received {stored} {state}",
        f"{_what(item)} received {people}: {said}; {item['title']}",
        Facts(due=format_datetime(due), item=item["id"], case=item["case_ref"], received_at=stored),
    )


def _what(item: Mapping[str, Any]) -> str:
    """An open item as a sergeant tells it from the others: its kind, id, own words and case
    or reference (`victim-update 7 "Victim update, case LE/99/26"`, the case said once)."""
    what = f"{item['kind'] or 'item'} {item['id']}"
    words = item["description"] or ""
    if words and words != item["title"]:
        what += f' "{words}"'
    case = item["case_ref"]
    if case and case.casefold() not in words.casefold():
        what += f" ({case})"
    return what
