"""The columns of a file of teams, declared once: what `export teams` writes, in this order,
and what `import teams` reads back, by name: the options of `team add`, one column each.

A team moved so has the same details and the same national commitments from the same day
in its new database; its local pledges and actions follow with `export pledges` and
`export actions` (docs/export-schema.md lists these columns from here;
tests/test_team_transfer.py holds the docs to it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NamedTuple

from pledgetrack.domain.models import Pledge, PledgeKind, Team


class TeamFile(NamedTuple):
    """A team as a file holds it: its record, and the national commitments it carries."""

    team: Team
    national: tuple[int, ...]  # their numbers, in catalogue order
    since: date | None  # the day they apply from (the earliest, if they differ)


class TeamColumn(NamedTuple):
    name: str  # in the header; the option of `team add` it stands for
    meaning: str  # for docs/export-schema.md
    example: str
    value: Callable[[TeamFile], Any]
    required: bool = False
    exact: bool = False  # free text, read exactly as written (else without spaces around)


def national_text(numbers: Sequence[int]) -> str | None:
    """(4, 7) -> `N4,N7`, as `team add --national-only` takes them; none -> empty."""
    return ",".join(f"N{n}" for n in numbers) or None


TEAM_COLUMNS: tuple[TeamColumn, ...] = (
    TeamColumn("code", "team code (required)", "CW01", lambda t: t.team.code, required=True),
    TeamColumn("name", "team name (required)", "Castle Ward", lambda t: t.team.name,
               required=True, exact=True),
    TeamColumn("force", "police force", "Leicestershire Police", lambda t: t.team.force,
               exact=True),
    TeamColumn("area", "area or ward covered", "Castle", lambda t: t.team.area, exact=True),
    TeamColumn("sergeant", "sergeant leading the team", "Sgt Patel",
               lambda t: t.team.sergeant, exact=True),
    TeamColumn("contact", "published contact details", "castle.npt@example.org",
               lambda t: t.team.contact, exact=True),
    TeamColumn("setting", "`urban` (or empty) or `rural`", "urban",
               lambda t: t.team.setting.value),
    TeamColumn("national", "the national commitments it carries, as `--national-only` takes "
               "them; empty: none (`--no-national`); a file without the column: N1-N10",
               "N1,N2,N3,N4,N5,N6,N7,N8,N9,N10", lambda t: national_text(t.national)),
    TeamColumn("since", "the day they apply from, as `--since` gives it (required with "
               "national commitments)", "01/09/2008", lambda t: t.since),
    TeamColumn("active", "1, or 0 for an archived team (written with `--all`; `import "
               "teams` registers active teams only)", "1", lambda t: int(t.team.active)),
)  # fmt: skip

COLUMN_NAMES = tuple(c.name for c in TEAM_COLUMNS)
REQUIRED = tuple(c.name for c in TEAM_COLUMNS if c.required)
EXACT = tuple(c.name for c in TEAM_COLUMNS if c.exact)
_VALUES = tuple(c.value for c in TEAM_COLUMNS)


def team_file(team: Team, pledges: Sequence[Pledge]) -> TeamFile:
    """A stored team with its pledges (the national ones are read) as a file holds it."""
    national = [p for p in pledges if p.kind is PledgeKind.NATIONAL]
    days = [p.agreed_on for p in national if p.agreed_on is not None]
    return TeamFile(team, tuple(sorted(p.seq for p in national)), min(days, default=None))


def team_cells(team: TeamFile) -> tuple[Any, ...]:
    """A team's row, in TEAM_COLUMNS order: what the export writes and the import compares
    a stored team by."""
    return tuple(value(team) for value in _VALUES)
