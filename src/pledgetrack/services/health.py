"""`db check`'s report: each cause found once, counted in full, its first rows named.

A file another tool filled can hold one problem on a million rows (every action with no
insert entry): the owner deciding between a restore and a report needs the count and the
cause, so a cause found on more rows than are listed is one line, and the closing line
counts every problem, not the lines printed. `--all` lists each row (for a script).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pledgetrack.store import health
from pledgetrack.store.connection import Store
from pledgetrack.store.findings import Finding, rows

LISTED = 20  # rows named for each cause, unless --all


@dataclass(frozen=True)
class CheckReport:
    """What db check prints: its lines (stdout), the closing line of a file with problems
    (None: sound), and its notes (stderr): the cells of voided actions, which count
    nowhere and fail nothing."""

    lines: list[str]
    total: int
    closing: str | None
    notes: list[str] = field(default_factory=list)


def check(store: Store, *, every: bool = False) -> CheckReport:
    """Run every check; each cause's rows one line each while they fit LISTED (every one
    with `every`), else one line for the cause."""
    found = health.problems(store, None if every else LISTED)
    notes = _lines(store, [f for f in found if f.kind == "void"])
    found = [f for f in found if f.kind != "void"]
    lines = _lines(store, found)
    total = sum(f.count for f in found)
    if not found:
        return CheckReport(lines, 0, None, notes)
    cut = any(f.cut for f in found)
    said = f"{store.path}: {total:,} problem{'s' if total != 1 else ''} found"
    if cut:
        said += f" ({rows(len(lines), 'line')}; every row: {_again(store.path)} --all)"
    return CheckReport(lines, total, f"{said}; {_advice(found)}", notes)


def _lines(store: Store, found: Sequence[Finding]) -> list[str]:
    """Each finding's lines, or its one line when it holds more rows than it lists."""
    lines: list[str] = []
    for f in found:
        if f.cut:
            lines.append(f"{f.summary} (every one: {_again(store.path)} --all)")
        else:
            lines.extend(f.lines)
    return lines


def _again(path: Path) -> str:
    return f"pledgetrack --db {shlex.quote(str(path))} db check"


def _advice(found: Sequence[Finding]) -> str:
    """What the owner does next: restore damage (a backup loses what came since, so only
    for damage), mend each cell as its line says, or nothing for rows another program
    wrote with no insert entry (every report reads them; only their history is missing)."""
    kinds = {f.kind for f in found}
    if "damage" in kinds:
        return "restore it from a backup (pledgetrack backup) or report it"
    if kinds == {"history"}:
        return (
            "every report reads these rows as they stand, only their history lacks the "
            "entry (another program wrote them?): nothing to restore; report it if "
            "pledgetrack wrote them"
        )
    if "history" in kinds:
        return (
            "each line says how to correct it (the rows with no insert entry only lack "
            "their history: nothing to restore)"
        )
    return "each line says how to correct it"
