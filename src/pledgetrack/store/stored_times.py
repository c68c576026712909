"""Stored times that do not read as times: a row another tool wrote (`sqlite3`, a script).

pledgetrack writes only `YYYY-MM-DDTHH:MM:SS+HH:MM` (domain.dates); a read that meets
anything else stops with one line naming the row and pointing to `db check`, which lists
every such row, rather than counting it wrong or failing with a traceback.
"""

from __future__ import annotations

from pledgetrack.errors import DatabaseError


def unreadable(table: str, column: str, row_id: object, text: object) -> DatabaseError:
    """The error for a read that meets a stored time it cannot read (exit 3)."""
    return DatabaseError(
        f"{table}.{column} of row {row_id} is not a time pledgetrack can read "
        f"({text!r}); see: pledgetrack db check"
    )
