"""Build the demo database from the CSVs in examples/demo: three teams, autumn 2008."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pledgetrack.domain.dates import parse_date, parse_datetime
from pledgetrack.domain.models import Action, Setting, Team
from pledgetrack.domain.targets import build_target
from pledgetrack.services.action_log import log_action
from pledgetrack.services.pledge_lifecycle import new_local_pledge
from pledgetrack.store.connection import Store
from pledgetrack.store.teams import add_team


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def load_demo(store: Store, folder: Path, now: datetime) -> dict[str, int]:
    """Load everything in one transaction; returns counts of what was written."""
    counts = {"teams": 0, "pledges": 0, "actions": 0}
    with store.write():
        for row in _rows(folder / "teams.csv"):
            add_team(
                store,
                Team(
                    code=row["code"],
                    name=row["name"],
                    force=_blank(row["force"]),
                    area=_blank(row["area"]),
                    sergeant=_blank(row["sergeant"]),
                    contact=_blank(row["contact"]),
                    setting=Setting(row["setting"]),
                ),
            )
            counts["teams"] += 1
        for row in _rows(folder / "pledges.csv"):
            target = build_target(
                at_least=int(row["at_least"]) if _blank(row["at_least"]) else None,
                per=_blank(row["per"]),
                action_kind=_blank(row["action_kind"]),
                within=_blank(row["within"]),
                threshold=float(row["threshold"]) if _blank(row["threshold"]) else None,
                share=float(row["share"]) if _blank(row["share"]) else None,
                by=parse_date(row["by"], now) if _blank(row["by"]) else None,
            )
            new_local_pledge(
                store,
                row["team"],
                row["title"],
                target,
                agreed_on=parse_date(row["agreed"], now),
                review_on=parse_date(row["review"], now) if _blank(row["review"]) else None,
                meeting=_blank(row["meeting"]),
            )
            counts["pledges"] += 1
        for row in _rows(folder / "actions.csv"):
            received = _blank(row["received"])
            log_action(
                store,
                Action(
                    team=row["team"],
                    pledge=row["pledge"],
                    description=row["description"],
                    occurred_at=parse_datetime(row["when"], now),
                    received_at=parse_datetime(received, now) if received else None,
                    kind=_blank(row["kind"]),
                    officer=_blank(row["officer"]),
                    partner=_blank(row["partner"]),
                    hours=float(row["hours"]) if _blank(row["hours"]) else None,
                    abstracted=bool(_blank(row["abstracted"])),
                    ext_ref=_blank(row["ref"]),
                ),
            )
            counts["actions"] += 1
    return counts
