"""Column lists that more than one command prints, declared once so their tables agree."""

from __future__ import annotations

from typing import Any

from pledgetrack.domain.models import Action, Pledge
from pledgetrack.domain.targets import describe
from pledgetrack.render import Column

# The league table: `overview`, and `rollup --league` (which adds each line's period)
OVERVIEW_COLUMNS = [
    Column("team", "Team"),
    Column("team_name", "Name"),
    Column("pledges", "Pledges", numeric=True),
    Column("green", "Green", numeric=True),
    Column("amber", "Amber", numeric=True),
    Column("red", "Red", numeric=True),
    Column("no_data", "No data", numeric=True),
    Column("green_pct", "% green", numeric=True),
]

# Actions: `actions`, `pledge show`, `demo`
ACTION_COLUMNS = [
    Column("id", "ID", numeric=True),
    Column("when", "When"),
    Column("team", "Team"),
    Column("pledge", "Pledge"),
    Column("kind", "Kind"),
    Column("description", "Description"),
    Column("officer", "Officer"),
    Column("partner", "Partner"),
    Column("hours", "Hours", numeric=True),
    Column("abstracted", "Abstracted"),
    Column("received", "Received"),
    Column("status", "Status"),
    Column("ref", "Ref"),
    Column("highlight", "Highlight"),
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
    Column("title", "Title"),
    Column("target", "Target"),
    Column("status", "Status"),
    Column("agreed_on", "Agreed"),
    Column("review_on", "Review"),
]


def pledge_record(pledge: Pledge) -> dict[str, Any]:
    record = pledge.model_dump(mode="json", exclude={"target", "seq"})
    record["target_type"] = pledge.target.type
    record["target"] = describe(pledge.target)
    return record
