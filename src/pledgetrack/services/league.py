"""The force league: one line per team and period, counted from summary rows.

`overview` ranks the teams of one database, `rollup --league` the rows gathered from many
databases and `export summary` files; both count and rank here, so a team's line and its
place are the same whichever way the figures arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from pledgetrack.domain.rules import Figures, Status, share_green, unrecorded
from pledgetrack.services.compliance import TeamSummary

Line = dict[str, Any]

# The keys of every line, in this order (periods as ISO dates, `2008-10-01`). Every pledge
# counted in `pledges` is in exactly one of the six status counts; `pending` and
# `not_measured` came later, so they follow the period (exported columns only ever grow at
# the end), and `provisional` after them: how many of the pledges' figures may still
# change (export summary's `figures`), so that a line is no more final than its rows.
LINE_FIELDS = (
    "team",
    "team_name",
    "force",
    "pledges",
    "green",
    "amber",
    "red",
    "no_data",
    "green_pct",
    "period_start",
    "period_end",
    "pending",
    "not_measured",
    "provisional",
)

# The status each count of a line holds, one key per status
COUNTS = {
    "green": Status.GREEN,
    "amber": Status.AMBER,
    "red": Status.RED,
    "no_data": Status.NO_DATA,
    "pending": Status.PENDING,
    "not_measured": Status.NOT_MEASURED,
}


def league(rows: Iterable[Mapping[str, Any]]) -> list[Line]:
    """One line per period and team over summary rows, in league order (`rank`).

    `rows` are summary rows, as `PledgeResult.row()` gives them or `export summary` and
    `rollup` write them: each needs team, team_name, period_start, period_end and status
    (force is carried when present). Rows of different periods are never added together:
    a team has one line per period, and the lines of one period are ranked among
    themselves.
    """
    groups: dict[tuple[Any, Any, Any], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["period_start"], row["period_end"], row["team"]), []).append(row)
    lines = [
        _line(
            own[0],
            [Status(r["status"]) for r in own],
            sum(r.get("figures") == Figures.PROVISIONAL for r in own),  # an old file: none
            sum(unrecorded(r.get("pledge_type") or "", r["status"]) for r in own),
        )
        for own in groups.values()
    ]
    return sorted(lines, key=rank)


def team_line(summary: TeamSummary) -> Line:
    """A team's line for one summarised period (a team with no pledge in force too)."""
    first = {
        "team": summary.team.code,
        "team_name": summary.team.name,
        "force": summary.team.force,
        "period_start": summary.period.start,
        "period_end": summary.period.end,
    }
    provisional = sum(r.figures is Figures.PROVISIONAL for r in summary.results)
    statuses = [r.judgement.status for r in summary.results]
    return _line(first, statuses, provisional, summary.unrecorded)


def from_summaries(summaries: Iterable[TeamSummary]) -> list[Line]:
    """`team_line` of each summary, in league order: what `overview` lists."""
    return sorted((team_line(s) for s in summaries), key=rank)


def rank(line: Mapping[str, Any]) -> tuple[Any, ...]:
    """League order: by period, then the best share of judged pledges green first (a share
    pledge with no hours logged judged not green), teams with nothing judged last, ties by
    team code."""
    pct = line["green_pct"]
    return (line["period_start"], line["period_end"], pct is None, -(pct or 0), line["team"])


def _line(
    first: Mapping[str, Any], statuses: Sequence[Status], provisional: int, missing: int
) -> Line:
    """`missing`: how many of the no-data pledges were not recorded (rules.unrecorded),
    counted in % green as judged and not green."""
    share = share_green(statuses, missing)
    counts = {key: statuses.count(status) for key, status in COUNTS.items()}
    line = {
        "team": first["team"],
        "team_name": first["team_name"],
        "force": first.get("force"),
        "pledges": len(statuses),
        **counts,
        "green_pct": None if share is None else round(share, 1),
        "period_start": _iso(first["period_start"]),
        "period_end": _iso(first["period_end"]),
        "provisional": provisional,
    }
    return {key: line[key] for key in LINE_FIELDS}


def _iso(day: date | str) -> str:
    """Periods as ISO text, as an `export summary` file holds them (and JSON can carry)."""
    return day if isinstance(day, str) else day.isoformat()


def sort_by(rows: list[dict[str, Any]], key: str, *, reverse: bool = False) -> None:
    """`overview --sort KEY`, in place: numbers biggest first (the best % green at the
    top), text A to Z, missing values last, ties by team code; `reverse` turns it round."""

    def order(row: Mapping[str, Any]) -> tuple[Any, ...]:
        value = row[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return (False, -value, row["team"])
        return (value is None, "" if value is None else value, row["team"])

    rows.sort(key=order, reverse=reverse)
