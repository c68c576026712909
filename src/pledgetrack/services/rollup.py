"""Force-wide roll-up: many team databases and `export summary` CSVs into one table.

Headquarters receives a file or a database from each team. The same team, pledge and
period may arrive twice (a re-sent file, a database and its export): identical figures
are counted once, different figures are refused, naming both sources, because HQ must
not silently pick one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pledgetrack.csvcodec import read_csv
from pledgetrack.domain.dates import FIRST_DAY, LAST_DAY, SUPPORTED
from pledgetrack.domain.numbers import COMPLIANCE_PCT, FIGURE, read_number
from pledgetrack.domain.periods import Period
from pledgetrack.domain.rules import Status
from pledgetrack.errors import DatabaseError, InputError, of_database
from pledgetrack.services.compliance import summarise
from pledgetrack.services.exporter import SUMMARY_FIELDS
from pledgetrack.store.connection import Store

SQLITE_MAGIC = b"SQLite format 3\x00"
NUMERIC = ("actual", "expected", "compliance_pct")
DATES = ("period_start", "period_end", "last_action")
FREE_TEXT = ("force", "team_name", "pledge_title", "target")
# What must agree when the same team, pledge and period arrive from two sources
FIGURES = ("pledge_type", "target", "actual", "expected", "compliance_pct", "status", "last_action")
STATUSES = frozenset(s.value for s in Status)

OpenDatabase = Callable[[Path], AbstractContextManager[Store]]
Row = dict[str, Any]


@dataclass(frozen=True)
class _Sourced:
    row: Row
    source: str  # file name, with the line for a CSV
    exported: bool = False  # from a CSV: figures as judged at its export's --as-of


def is_database(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def rollup(
    inputs: Sequence[Path],
    periods: Sequence[Period] | None,
    default_period: Period,
    as_of: datetime,
    open_database: OpenDatabase,
) -> list[Row]:
    """One row per team x pledge x period across all inputs, in export order.

    Databases are summarised for `periods` (else `default_period`) as things stood at
    `as_of`; CSV rows are taken as exported, filtered to `periods` when given.
    """
    wanted = sorted(set(periods)) if periods else None
    merged: dict[tuple[str, str, str, str], _Sourced] = {}
    for path in inputs:
        if is_database(path):
            try:
                with open_database(path) as store:
                    found = list(_database_rows(store, path, wanted or [default_period], as_of))
            except DatabaseError as exc:  # which of the inputs, and its db check
                raise of_database(exc, path) from None
        else:
            found = list(_csv_rows(path, wanted))
        for item in found:
            row = item.row
            key = (row["team"], row["pledge"], row["period_start"], row["period_end"])
            earlier = merged.get(key)
            if earlier is None:
                merged[key] = item
            elif any(earlier.row[f] != row[f] for f in FIGURES):
                raise InputError(_conflict(key, earlier, item) + _judged_when(earlier, item, as_of))
    return [item.row for item in sorted(merged.values(), key=lambda i: _order(i.row))]


_REF = re.compile(r"^(?P<team>.+)-(?P<kind>[A-Z])(?P<seq>\d+)$")


def _order(row: Row) -> tuple[Any, ...]:
    """The order `summary` lists pledges in: period, team code, then national commitments
    (N) before local pledges (L), each by number (L2 before L10)."""
    match = _REF.match(row["pledge"])
    pledge = (-ord(match["kind"]), int(match["seq"]), "") if match else (0, 0, row["pledge"])
    return row["period_start"], row["period_end"], row["team"], pledge


def _conflict(key: tuple[str, str, str, str], first: _Sourced, second: _Sourced) -> str:
    team, pledge, start, end = key
    differ = [f for f in FIGURES if first.row[f] != second.row[f]]

    def said(item: _Sourced) -> str:
        return " ".join(f"{f}={_text(item.row[f])}" for f in differ)

    return (
        f"conflicting figures for team {team} pledge {pledge} {start}..{end}: "
        f"{first.source} has {said(first)} but {second.source} has {said(second)}"
    )


def _judged_when(first: _Sourced, second: _Sourced, as_of: datetime) -> str:
    """The likely cause when a CSV is one side: figures judged at another moment (an item
    pending then has fallen due since), which a CSV does not record."""
    if first.exported and second.exported:
        return "; the files may have been exported with different --as-of"
    if first.exported or second.exported:
        return (
            f"; the database is judged as of {as_of:%d/%m/%Y %H:%M}, the CSV as of its "
            "export's --as-of: give rollup the same --as-of, or export the CSV again"
        )
    return ""


def _text(value: Any) -> str:
    return "(empty)" if value is None else str(value)


def _database_rows(
    store: Store, path: Path, periods: Sequence[Period], as_of: datetime
) -> Iterator[_Sourced]:
    for period in periods:
        for summary in summarise(store, period, as_of):
            for result in summary.results:
                full = result.row()
                row = {key: _plain(full[key]) for key in SUMMARY_FIELDS}
                yield _Sourced(row, str(path))


def _plain(value: Any) -> Any:
    """Dates as ISO text, as a CSV holds them, so rows from both kinds of input compare."""
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_rows(path: Path, periods: Sequence[Period] | None) -> Iterator[_Sourced]:
    spans = {(p.start.isoformat(), p.end.isoformat()) for p in periods} if periods else None
    records = read_csv(path)
    _, header = next(records, (0, []))
    missing = [f for f in SUMMARY_FIELDS if f not in header]
    if missing:
        raise InputError(
            f"{path}: not an `export summary` CSV or database "
            f"(missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)})"
        )
    for line, cells in records:
        where = f"{path} line {line}"
        row = _parse(dict(zip(header, cells, strict=False)), where)
        if spans is None or (row["period_start"], row["period_end"]) in spans:
            yield _Sourced(row, where, exported=True)


def _parse(raw: dict[str | Any, str | Any], where: str) -> Row:
    row: Row = {}
    for key in SUMMARY_FIELDS:
        cell = raw.get(key) or ""
        # free text is kept exactly as exported; codes, numbers and dates may be padded
        text = cell if key in FREE_TEXT else cell.strip()
        value: Any = text or None
        if key in ("team", "pledge", "period_start", "period_end", "status") and value is None:
            raise InputError(f"{where}: {key}: required, but empty")
        if value is not None and key in NUMERIC:
            value = _number(text, key, where)
        elif value is not None and key in DATES:
            value = _day(text, key, where)
        row[key] = value
    if row["status"] not in STATUSES:
        raise InputError(f"{where}: status: unknown status {row['status']!r}")
    if row["period_end"] < row["period_start"]:
        raise InputError(
            f"{where}: period_end: {row['period_end']} is before "
            f"period_start {row['period_start']}",
            field="period_end",
        )
    return row


# What each figure may be: a count or hours (actual, expected), or a percentage
_RANGES = {"actual": FIGURE, "expected": FIGURE, "compliance_pct": COMPLIANCE_PCT}


def _number(text: str, key: str, where: str) -> int | float:
    """A figure as `export summary` writes it: a plain decimal inside its range (never NaN,
    infinity, 10**400 or negative, which no team database can produce)."""
    try:
        value = read_number(text)
        _RANGES[key].check(key, value)
    except ValueError as exc:
        raise InputError(f"{where}: {key}: {exc}", field=key) from None
    except InputError as exc:
        raise InputError(f"{where}: {exc}", field=key) from None
    return int(value) if value.is_integer() and key != "compliance_pct" else value


def _day(text: str, key: str, where: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: {key}: not an ISO date (YYYY-MM-DD): {text!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(f"{where}: {key}: {text} is out of range ({SUPPORTED})", field=key)
    return day.isoformat()
