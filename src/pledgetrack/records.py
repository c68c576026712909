"""Records for other programs (exports, roll-ups): streamed as CSV, a JSON array or JSON
lines, never held in memory beyond the current row."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import IO, Any

from pledgetrack.csvcodec import write_csv


class DataFormat(StrEnum):
    """Formats of exports and roll-ups: all of them stream. XLSX is for people, a file
    only, written by `spreadsheet.write_xlsx` (it is bytes, not text)."""

    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    XLSX = "xlsx"


def json_value(value: Any) -> Any:
    """A value as JSON holds it: dates and times ISO 8601, nested records converted too."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):  # nested records, e.g. `pledge show`'s recent actions
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def write_records(
    records: Iterable[Sequence[Any]],
    keys: Sequence[str],
    fmt: DataFormat,
    out: IO[str],
    *,
    bom: bool = False,
) -> int:
    """Stream tuples (in `keys` order) as CSV, a JSON array or JSON lines; returns the count.

    CSV goes through the one CSV writer (`csvcodec.write_csv`), as every listing's does,
    with a byte-order mark if `bom`, never holding what import refuses (a NUL); JSON never
    has a mark (RFC 8259 forbids it).
    """
    if fmt is DataFormat.CSV:
        return write_csv(records, keys, out, bom=bom, for_import=True)  # exports
    count = 0
    jsonl = fmt is DataFormat.JSONL
    out.write("" if jsonl else "[")
    for record in records:
        data = {k: json_value(v) for k, v in zip(keys, record, strict=True)}
        if jsonl:
            out.write(json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n")
        else:
            text = json.dumps(data, ensure_ascii=False, allow_nan=False)
            out.write(("\n" if not count else ",\n") + text)
        count += 1
    if not jsonl:
        out.write("\n]\n" if count else "]\n")
    return count
