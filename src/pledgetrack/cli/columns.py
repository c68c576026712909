"""Column lists that more than one command prints, declared once so their tables agree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.domain.models import Action, Pledge
    from pledgetrack.domain.targets import Target
    from pledgetrack.environment import Environment
    from pledgetrack.store.actions import ActionFilter
    from pledgetrack.store.connection import Store
from pledgetrack.render import Column, Format, resolve_format

# Counts added after the exported league's first columns: its file keeps them at the end
LATER_COUNT_COLUMNS = [
    Column("pending", "Pending", numeric=True, priority=6),
    Column("not_measured", "Not measured", numeric=True, priority=6),
]

# The league table: `overview`, and `rollup --league` (which adds each line's period).
# What a reader compares at 80 columns: the team, its % green and its greens, ambers and
# reds (shown or hidden together: never green and red without amber), then (overview)
# each national commitment's status (NATIONAL_PRIORITY), N3 first, as many as fit; the
# name and the counts that only complete the sum give way first, and are named in the
# footer.
OVERVIEW_COLUMNS = [
    Column("team", "Team"),
    Column("team_name", "Name", priority=5, truncate=True, min_width=10),
    Column("pledges", "Pledges", numeric=True, priority=6),
    Column("green", "Green", numeric=True, priority=2, group="rag"),
    Column("amber", "Amber", numeric=True, priority=2, group="rag"),
    Column("red", "Red", numeric=True, priority=2, group="rag"),
    Column("no_data", "No data", numeric=True, priority=6),
    *LATER_COUNT_COLUMNS,
    Column("green_pct", "% green", numeric=True),
]
NATIONAL_PRIORITY = 3

# Actions: `actions`, `pledge show`, `demo`. A column one option already fixes (`--team`,
# a pledge's own actions) is left out by the command (`without`)
ACTION_COLUMNS = [
    Column("id", "ID", numeric=True, priority=1),
    Column("when", "When", priority=1),
    Column("team", "Team", priority=3),
    Column("pledge", "Pledge", priority=1),
    Column("kind", "Kind", priority=2),
    Column("description", "Description", truncate=True, min_width=16),
    Column("officer", "Officer", priority=3),
    Column("partner", "Partner", priority=4),
    Column("hours", "Hours", numeric=True, priority=3),
    Column("abstracted", "Abstracted", priority=5),
    Column("received", "Received", priority=4),
    Column("status", "Status", priority=2),
    Column("ref", "Ref", priority=5),
    Column("highlight", "Highlight", priority=5),
]


def without(columns: list[Column], *keys: str) -> list[Column]:
    """The columns less those an option fixed (`actions --team CW01` needs no Team)."""
    return [c for c in columns if c.key not in keys]


def _contact(action: Action) -> bool:
    """A victim's contact (N9): its item runs from the contact (received) to the next."""
    from pledgetrack.domain.national import KIND_VICTIM_UPDATE

    return action.kind == KIND_VICTIM_UPDATE and action.received_at is not None


def _shown_at(action: Action, *, shown: bool) -> float:
    """When a listing shows the action (`shown`: a victim's contact at the contact), else
    when the store orders it (when it was done; an open item when received)."""
    moment = action.received_at if shown and _contact(action) else action.occurred_at
    moment = moment or action.received_at
    return 0.0 if moment is None else moment.timestamp()


def people_order(actions: list[Action]) -> list[Action]:
    """Newest first by the time a listing for people shows (action_row's When): a victim's
    contact by the contact, not by the next contact that answered it (FRESH5 H3)."""
    return sorted(actions, key=lambda a: (_shown_at(a, shown=True), a.id or 0), reverse=True)


def newest_for_people(store: Store, flt: ActionFilter) -> list[Action]:
    """The actions a listing for people shows, in `people_order`: with `flt.limit`, that
    many, read in the store's order a batch at a time. A contact shows at its own time,
    at or before the one the store orders it by, so once the last one kept shows after the
    oldest read, no row still unread can come before it (FRESH6 I2: `--limit 4` showed 2
    rows when contacts were among the newest; CSV and JSON, in the store's order, 4)."""
    from pledgetrack.store.actions import list_actions

    if flt.limit is None:
        return people_order(list_actions(store, flt))
    wanted = read = flt.limit
    while True:
        found = list_actions(store, flt._replace(limit=read))
        ordered = people_order(found)
        if len(found) < read or (
            len(ordered) >= wanted
            and _shown_at(ordered[wanted - 1], shown=True)
            > min(_shown_at(a, shown=False) for a in found)
        ):
            return ordered[:wanted]
        read *= 2


def action_row(
    action: Action, people: Environment | None = None, every: int | None = None
) -> dict[str, Any]:
    """An action's row. For people (`people`: a table or plain text), an open item's When
    says when it was received, `rec'd 30/11 14:00`, which is where the listing sorts it (its
    Status says open); CSV and JSON leave it empty, as stored. A victim's contact is dated
    by the contact (`received`; its item's end is the next contact's row), and its
    description starts at the case, Kind saying the rest (FRESH5 H3: at 80 columns each
    contact was shown on the next one's date, and the fixed prefix took the column), then
    how often the victim agreed to hear from us, where they did (`every`, days: the next
    contact is due by it)."""
    when: Any = action.occurred_at
    description = action.description
    if people is not None and _contact(action):
        from pledgetrack.domain.national import CONTACT_PREFIX, every_words

        when = action.received_at
        description = description.removeprefix(CONTACT_PREFIX)
        if every is not None:
            description = f"{description} (every {every_words(every)})"
    elif people is not None and when is None and action.received_at is not None:
        from pledgetrack.render import people_text

        when = f"rec'd {people_text(action.received_at, people)}"
    return {
        "id": action.id,
        "when": when,
        "team": action.team,
        "pledge": action.pledge,
        "kind": action.kind,
        "description": description,
        "officer": action.officer,
        "partner": action.partner,
        "hours": action.hours,
        "abstracted": action.abstracted,
        "received": action.received_at,
        "status": action.state,
        "ref": action.ext_ref,
        "highlight": action.highlight,
        "void_reason": action.void_reason,
    }


# Pledges: `pledge list`, `pledge show`, `demo`
PLEDGE_COLUMNS = [
    Column("ref", "Ref"),
    # the target is what was promised: whole, in two lines where the room is short; the
    # title gives way first (two lines, then cut at a word)
    Column("title", "Title", truncate=True, min_width=16, max_lines=2, room_first=False),
    Column("target", "Target", priority=2, truncate=True, min_width=14, max_lines=2),
    Column("status", "Status"),
    Column("agreed_on", "Agreed", priority=3),
    Column("review_on", "Review", priority=3),
]


def pledge_record(pledge: Pledge, people_year: int | None = None) -> dict[str, Any]:
    """A pledge's fields; `people_year` as for `target_words`."""
    record = pledge.model_dump(exclude={"target", "seq"})  # dates stay dates: short in tables
    record["target_type"] = pledge.target.type
    record["target"] = target_words(pledge.target, people_year)
    return record


def target_words(target: Target, people_year: int | None = None) -> str:
    """A target in words. For people, in a table or plain text (`people_year`: the year its
    dates are short in), a deadline reads as the table's other dates, `by 18/12`; in CSV
    and JSON as exports and the docs have it, `by 2026-12-18`."""
    from pledgetrack.domain.dates import short_date
    from pledgetrack.domain.targets import describe
    if people_year is None:
        return describe(target)
    return describe(target, lambda day: short_date(day, people_year))


def people_year(fmt: Format | None, env: Environment) -> int | None:
    """This year when the output is for people (a table or plain text), else None: CSV
    and JSON keep ISO dates (`Format.for_people`)."""
    return env.now().year if resolve_format(fmt, env).for_people else None
