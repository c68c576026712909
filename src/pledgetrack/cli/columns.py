"""Column lists that more than one command prints, declared once so their tables agree."""

from __future__ import annotations

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
