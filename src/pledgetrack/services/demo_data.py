"""Build the demo database from the CSVs in examples/demo: three teams, autumn 2008."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pledgetrack.csvcodec import read_csv
from pledgetrack.domain.dates import parse_date, parse_datetime
from pledgetrack.domain.models import Setting
from pledgetrack.domain.national import KIND_VICTIM_UPDATE, NUMBERS
from pledgetrack.services.importer import import_actions, import_pledges
from pledgetrack.services.team_lifecycle import new_team, register_team
from pledgetrack.store.connection import Store
from pledgetrack.store.national import add_planned_meeting, link_case, uncased_victim_updates

_CASE = re.compile(r"Victim update, case (\S+)$")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    records = read_csv(path)
    _, header = next(records)
    for _, cells in records:
        yield dict(zip(header, cells, strict=True))


def _blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def load_demo(store: Store, folder: Path, now: datetime) -> dict[str, int]:
    """Load everything in one transaction; returns counts of what was written."""
    counts = {"teams": 0, "pledges": 0, "actions": 0}
    with store.write():
        for row in _rows(folder / "teams.csv"):
            since = _blank(row.get("national_since"))
            attached = register_team(
                store,
                new_team(
                    row["code"],
                    row["name"],
                    force=_blank(row["force"]),
                    area=_blank(row["area"]),
                    sergeant=_blank(row["sergeant"]),
                    contact=_blank(row["contact"]),
                    setting=Setting(row["setting"]),
                ),
                parse_date(since, now) if since else now.date(),
                NUMBERS if since else (),
            )
            counts["teams"] += 1
            counts["pledges"] += len(attached.added)
        # pledges and actions take the same path as `import pledges` / `import actions`
        counts["pledges"] += import_pledges(store, folder / "pledges.csv", now).written
        counts["actions"] = import_actions(store, folder / "actions.csv", now).written
        # each victim update names its case as the `victim-update` command writes it
        # (`Victim update, case CR/CW01/001/08`): link it, as that command does, so the
        # agenda and check show the case in Case/ref
        for action_id, description in uncased_victim_updates(store, KIND_VICTIM_UPDATE):
            if found := _CASE.match(description):
                link_case(store, action_id, found[1])
        # the meetings each team had announced, and when (at the meeting before, so a
        # 2008 update as of then shows them): history, so not checked against `now`
        for row in _rows(folder / "planned_meetings.csv"):
            starts = parse_datetime(row["when"], now)
            announced = parse_datetime(row["announced"], now)
            add_planned_meeting(
                store, row["team"], starts, _blank(row["place"]), _blank(row["note"]), announced
            )
    return counts
