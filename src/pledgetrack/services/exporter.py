"""Exports for headquarters and other programs: stable columns, rows streamed, never listed.

The column orders here are the promise of docs/export-schema.md: columns are only ever
added at the end, so a spreadsheet or script reading them by position keeps working.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, tzinfo
from itertools import chain
from typing import Any

from pledgetrack.domain import national
from pledgetrack.domain.models import PledgeKind
from pledgetrack.domain.periods import Period
from pledgetrack.services import meeting_columns, pledge_columns, team_columns
from pledgetrack.services.compliance import EXPORT_FIELDS, select_teams, summarise
from pledgetrack.services.pledge_lifecycle import target_history
from pledgetrack.store.actions import (
    EXPORT_COLUMNS,
    REDACTED_COLUMNS,
    ActionFilter,
    iter_export_rows,
)
from pledgetrack.store.changes import latest_change
from pledgetrack.store.connection import Store
from pledgetrack.store.national import (
    DETAIL_COLUMNS,
    DETAIL_SQL,
    DETAIL_SQL_REDACTED,
    REDACTED_DETAILS,
    planned_meetings,
    refuse_bad_details,
)
from pledgetrack.store.pledges import list_pledges
from pledgetrack.store.stored_times import refuse_unplaced
from pledgetrack.store.teams import list_teams

# One row per team x pledge x period: the first values of each PledgeResult, whose column
# order compliance.EXPORT_FIELDS declares, then when the database last changed a figure
# (store.changes.latest_change: which of two final files of a row is the newer judgement)
SUMMARY_FIELDS = (*EXPORT_FIELDS, "last_change")
_WIDTH = len(EXPORT_FIELDS)
_START, _END = SUMMARY_FIELDS.index("period_start"), SUMMARY_FIELDS.index("period_end")
_LAST = SUMMARY_FIELDS.index("last_action")
# the actions table's columns, then the details the national shortcuts keep beside an
# action (a victim's case, a meeting's attendance and priorities), so a moved team keeps them
ACTION_FIELDS = (*EXPORT_COLUMNS, *DETAIL_COLUMNS)


def summary_records(
    store: Store, periods: Sequence[Period], as_of: datetime, teams: list[str] | None
) -> Iterator[tuple[Any, ...]]:
    """Compliance rows in SUMMARY_FIELDS order, period by period (one period in memory).

    Unknown teams, an action no period would count, and a pledge whose stored values do
    not read (the first period reads every pledge) are refused now, before the header.
    """
    chosen = select_teams(store, teams)
    refuse_unplaced(store, [t.code for t in chosen] if teams else None)
    rows = _summary_rows(store, sorted(set(periods)), as_of, teams, latest_change(store))
    first = next(rows, None)
    return rows if first is None else chain((first,), rows)


def _summary_rows(
    store: Store,
    periods: list[Period],
    as_of: datetime,
    teams: list[str] | None,
    last_change: str | None,
) -> Iterator[tuple[Any, ...]]:
    for period in periods:
        # dates as the ISO text the file holds: plain cells go out through csv.writer in
        # bulk, where a date object sent every batch down the cell-by-cell path
        start, end = period.start.isoformat(), period.end.isoformat()
        for summary in summarise(store, period, as_of, teams):
            for result in summary.results:
                row = list(result.values()[:_WIDTH])
                row[_START], row[_END] = start, end
                if result.last_action is not None:
                    row[_LAST] = result.last_action.isoformat()
                row.append(last_change)
                yield tuple(row)


# What `export actions --redact` leaves empty, for a file shared outside the force: the
# officers' names and the free text, which may name residents, victims or suspects
REDACTED_FIELDS = (*REDACTED_COLUMNS, *REDACTED_DETAILS)


def action_records(
    store: Store,
    *,
    start: date | None,
    end: date | None,
    teams: list[str] | None,
    include_void: bool,
    redact: bool = False,
) -> Iterator[tuple[Any, ...]]:
    """The raw log in ACTION_FIELDS order, oldest first, straight off a database cursor;
    with `redact`, every column is kept but REDACTED_FIELDS are empty. `start`..`end`
    select the actions counted in those days' figures (entry_rules.counted_at: a response
    item by when it came in), so a monthly feed holds each item in the month that judges
    it, once (FRESH5 H22)."""
    flt = ActionFilter(start=start, end=end, include_void=include_void, counted=True)
    after = DETAIL_SQL_REDACTED if redact else DETAIL_SQL
    rows = iter_export_rows(store, flt, teams or (), redact=redact, after=after)
    refuse_bad_details(store, teams)  # written out, import would refuse the file
    return rows


# What `import pledges` reads back (services/pledge_columns.py declares them)
PLEDGE_FIELDS = pledge_columns.COLUMN_NAMES


def pledge_records(
    store: Store, teams: list[str] | None, zone: tzinfo
) -> Iterator[tuple[Any, ...]]:
    """Every pledge of the teams (all teams, archived ones too, if None) that `import
    teams` does not bring as it stands, in PLEDGE_FIELDS order, by team code and number,
    each with its target changes (the audit log's, their days in `zone`):
    the local pledges, and the national commitments edited, closed or applying from
    another day than the team's first (`export teams`' since), which `import pledges`
    brings the attached ones to. A national commitment as attached is left out: `team
    add` (or `import teams`) attaches it in the receiving database.

    Unknown teams are refused now, before any row is produced.
    """
    chosen = select_teams(store, teams)
    settings = {team.code: team.setting for team in chosen}
    pledges = list_pledges(store, teams=list(settings)) if settings else []
    since: dict[str, date] = {}
    for p in pledges:
        if p.kind is PledgeKind.NATIONAL and p.agreed_on is not None:
            since[p.team] = min(p.agreed_on, since.get(p.team, p.agreed_on))
    chosen_pledges = [
        p
        for p in pledges
        if p.kind is PledgeKind.LOCAL
        or not national.as_attached(p, settings[p.team])
        or p.agreed_on != since.get(p.team)
    ]
    history = target_history(store, chosen_pledges, zone) if chosen_pledges else {}
    return (pledge_columns.file_cells(p, history.get(p.ref, ())) for p in chosen_pledges)


# What `import next-meetings` reads back (services/meeting_columns.py declares them)
MEETING_FIELDS = meeting_columns.COLUMN_NAMES


def meeting_records(store: Store, teams: list[str] | None) -> list[tuple[Any, ...]]:
    """Every meeting the teams announced (all teams, archived ones too, if None), by team
    code and in the order announced, in MEETING_FIELDS order; unknown teams refused."""
    codes = [team.code for team in select_teams(store, teams)]
    return planned_meetings(store, codes, meeting_columns.STORED)


# What `import teams` reads back (services/team_columns.py declares them)
TEAM_FIELDS = team_columns.COLUMN_NAMES


def team_records(
    store: Store, teams: list[str] | None, *, include_archived: bool = False
) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The teams asked for (else every active one, or every one with `include_archived`),
    by code, in TEAM_FIELDS order; and a note for each whose national commitments apply
    from different days (the file gives the earliest)."""
    chosen = select_teams(store, teams) if teams else list_teams(
        store, include_archived=include_archived
    )
    codes = [team.code for team in chosen]
    by_team: dict[str, list[Any]] = {code: [] for code in codes}
    for pledge in list_pledges(store, teams=codes) if codes else []:
        if pledge.kind is PledgeKind.NATIONAL:
            by_team[pledge.team].append(pledge)
    rows, notes = [], []
    for team in chosen:
        held = team_columns.team_file(team, by_team[team.code])
        days = sorted({p.agreed_on.isoformat() for p in by_team[team.code] if p.agreed_on})
        if len(days) > 1:
            notes.append(
                f"note: {team.code}'s national commitments apply from {len(days)} different "
                f"days ({', '.join(days)}); the file gives the earliest, {days[0]}, and "
                "export pledges the others'"
            )
        rows.append(team_columns.team_cells(held))
    return rows, notes
