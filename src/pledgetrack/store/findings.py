"""What `db check` found, one cause at a time: every row it holds counted, and the first
ones named. A file another tool filled may hold the same problem on a million rows; the
owner deciding what to do needs the count and one line for the cause, not a million."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

# what the problem asks of the owner: damage is restored or reported; a cell another tool
# wrote is mended as its line says; a row with no insert entry only lacks its history; a
# voided action's cell counts nowhere: a note (the way out of a live one was to void it,
# and no command mends a voided row, so db check would stay failed for good)
Kind = Literal["damage", "mend", "history", "void"]


@dataclass(frozen=True)
class Finding:
    """One cause: how many rows hold it, one line for each of the first of them, and the
    cause on one line naming those first rows (for when the lines are cut)."""

    count: int
    lines: tuple[str, ...]
    summary: str
    kind: Kind = "damage"
    whole: bool = False  # its lines speak for every row (a kind stored on 3,000 rows)

    @property
    def cut(self) -> bool:
        """Whether rows beyond the lines were counted but not listed."""
        return not self.whole and self.count > len(self.lines)


def finding(
    count: int,
    lines: Sequence[str],
    head: str,
    names: Sequence[str],
    fix: str = "",
    kind: Kind = "damage",
) -> Finding:
    """A Finding whose summary is `head` (the cause, counted), the rows `names` gives, and
    how to correct each (`fix`, may be empty)."""
    summary = f"{head}; the first {len(names):,}: {', '.join(names)}"
    return Finding(count, tuple(lines), f"{summary}; {fix}" if fix else summary, kind)


@dataclass
class Listed:
    """One cause's rows as a check meets them: every one counted, the first `limit` (None:
    every one) named and given their line."""

    limit: int | None
    count: int = 0
    lines: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def add(self, name: str, line: str) -> None:
        self.count += 1
        if self.limit is None or len(self.lines) < self.limit:
            self.names.append(name)
            self.lines.append(line)

    def found(self, head: str, fix: str = "", kind: Kind = "damage") -> list[Finding]:
        """The cause's Finding (none when no row was met)."""
        if not self.count:
            return []
        return [finding(self.count, self.lines, head, self.names, fix, kind)]


def single(line: str, kind: Kind = "damage") -> Finding:
    """A problem that is one row, or the file itself (its zone, its version)."""
    return Finding(1, (line,), line, kind)


def limited(limit: int | None) -> int:
    """`limit` as SQLite's LIMIT takes it (-1: no limit)."""
    return -1 if limit is None else limit


def rows(n: int, noun: str = "row", plural: str | None = None) -> str:
    """`1 row`, `2,000 rows`."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
