"""Names for shell completion: one small read-only query, plain sqlite3 (no sqlite-utils).

A Tab press runs the whole program, so this must be quick and must never complain: no
file, a locked file, an old schema or any other problem is simply no suggestions.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

MAX_SUGGESTIONS = 200

_QUERIES = {
    # GLOB is case-sensitive and uses the unique indexes on code and ref as a prefix range
    "team": "SELECT code, name FROM teams WHERE code GLOB ? || '*' ORDER BY code LIMIT ?",
    "pledge": "SELECT ref, title FROM pledges WHERE ref GLOB ? || '*' ORDER BY ref LIMIT ?",
}


def suggestions(path: Path, what: str, prefix: str) -> list[tuple[str, str]]:
    """(value, description) pairs of teams or pledges starting with `prefix`; [] on any error."""
    if not path.is_file() or any(c in prefix for c in "*?[]"):
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            rows = conn.execute(_QUERIES[what], (prefix.upper(), MAX_SUGGESTIONS)).fetchall()
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError):
        return []
    return [(str(value), str(text or "")) for value, text in rows]
