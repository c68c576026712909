"""Column lists that more than one command prints, declared once so their tables agree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.domain.models import Action, Pledge
    from pledgetrack.domain.targets import Target
    from pledgetrack.environment import Environment
from pledgetrack.render import Column, Format, resolve_format

# Counts added after the exported league's first columns: its file keeps them at the end
LATER_COUNT_COLUMNS = [
    Column("pending", "Pending", numeric=True, priority=6),
    Column("not_measured", "Not measured", numeric=True, priority=6),
]

# The league table: `overview`, and `rollup --league` (which adds each line's period).
# What a reader compares at 80 columns: the team, its % green and (overview) each national
# commitment's status (NATIONAL_PRIORITY), then its greens, ambers and reds, which are shown
# or hidden together (never green and red without amber); the name and the counts that only
# complete the sum give way first, and are named in the footer.
OVERVIEW_COLUMNS = [
    Column("team", "Team"),
    Column("team_name", "Name", priority=5, truncate=True, min_width=10),
    Column("pledges", "Pledges", numeric=True, priority=6),
    Column("green", "Green", numeric=True, priority=4, group="rag"),
    Column("amber", "Amber", numeric=True, priority=4, group="rag"),
    Column("red", "Red", numeric=True, priority=4, group="rag"),
    Column("no_data", "No data", numeric=True, priority=6),
    *LATER_COUNT_COLUMNS,
    Column("green_pct", "% green", numeric=True),
]
NATIONAL_PRIORITY = 2

# Actions: `actions`, `pledge show`, `demo`
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


def action_row(action: Action) -> dict[str, Any]:
    return {
        "id": action.id,
        "when": action.occurred_at,
        "team": action.team,
        "pledge": action.pledge,
        "kind": action.kind,
        "description": action.description,
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
    Column("title", "Title", truncate=True, min_width=16),
    Column("target", "Target", priority=2, truncate=True, min_width=14),
    Column("status", "Status"),
    Column("agreed_on", "Agreed", priority=3),
    Column("review_on", "Review", priority=3),
]


def pledge_record(pledge: Pledge, table_year: int | None = None) -> dict[str, Any]:
    """A pledge's fields; `table_year` as for `target_words`."""
    record = pledge.model_dump(exclude={"target", "seq"})  # dates stay dates: short in tables
    record["target_type"] = pledge.target.type
    record["target"] = target_words(pledge.target, table_year)
    return record


def target_words(target: Target, table_year: int | None = None) -> str:
    """A target in words. In a table on a terminal (`table_year`: the year its dates are
    short in) a deadline reads as the table's other dates, `by 18/12`; elsewhere as exports
    and the docs have it, `by 2026-12-18`."""
    from pledgetrack.domain.dates import short_date
    from pledgetrack.domain.targets import describe
    if table_year is None:
        return describe(target)
    return describe(target, lambda day: short_date(day, table_year))


def table_year(fmt: Format | None, env: Environment) -> int | None:
    """This year when the output is a table on a terminal, else None: plain text, CSV and
    JSON keep ISO dates."""
    return env.now().year if resolve_format(fmt, env) is Format.TABLE else None
