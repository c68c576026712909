"""Teams table: insert, look up, list, edit."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from pledgetrack.domain.models import Setting, Team, normalise_code, shown_code
from pledgetrack.errors import InputError, NotFoundError
from pledgetrack.store.connection import Store

_COLUMNS = ("code", "name", "force", "area", "sergeant", "contact", "setting", "active")


def _to_team(row: dict[str, Any]) -> Team:
    """A row of our own (validated when written) as a Team, not validated again."""
    return Team.from_trusted(
        code=row["code"],
        name=row["name"],
        force=row["force"],
        area=row["area"],
        sergeant=row["sergeant"],
        contact=row["contact"],
        setting=Setting(row["setting"]),
        active=bool(row["active"]),
    )


def _to_row(team: Team) -> dict[str, Any]:
    row = team.model_dump(mode="json")
    row["active"] = int(team.active)
    return row


def unknown_team(code: str) -> NotFoundError:
    found = normalise_code(code)
    return NotFoundError(
        f"unknown team {shown_code(code)!r} (see: pledgetrack team list)", field="team", value=found
    )


def team_id(store: Store, code: str) -> int:
    row = store.conn.execute(
        "SELECT id FROM teams WHERE code = ?", [normalise_code(code)]
    ).fetchone()
    if row is None:
        raise unknown_team(code)
    found: int = row[0]
    return found


def get_team(store: Store, code: str) -> Team:
    rows = list(store.query("SELECT * FROM teams WHERE code = ?", [normalise_code(code)]))
    if not rows:
        raise unknown_team(code)
    return _to_team(rows[0])


def add_team(store: Store, team: Team) -> None:
    with store.write():
        exists = store.conn.execute("SELECT 1 FROM teams WHERE code = ?", [team.code]).fetchone()
        if exists:
            raise InputError(f"team {team.code!r} already exists")
        store.insert("teams", {**_to_row(team), "created_at": store.now_text()})
        store.log_change("team", team.code, "insert", None, _to_row(team))


def codes_in_file(path: Path) -> set[str]:
    """Every team's code in the database at `path`, archived too, read as the file stands
    (read-only: never upgraded, nothing written), from the one column every schema has
    had: what `demo` reads of a file another release wrote. Raises sqlite3.Error."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {str(code) for (code,) in conn.execute("SELECT code FROM teams")}
    finally:
        conn.close()


def list_teams(store: Store, *, include_archived: bool = False) -> list[Team]:
    where = "" if include_archived else "WHERE active = 1"
    return [_to_team(r) for r in store.query(f"SELECT * FROM teams {where} ORDER BY code")]  # noqa: S608  # fixed text, no user input


def update_team(store: Store, code: str, changes: dict[str, Any], *, op: str = "edit") -> Team:
    """Apply field changes; only fields whose value differs are written and logged."""
    with store.write():
        before = get_team(store, code)
        after = before.model_copy(update=changes)
        after = Team.model_validate(after.model_dump())
        old_row, new_row = _to_row(before), _to_row(after)
        diff = {k for k in _COLUMNS if old_row[k] != new_row[k]}
        if diff:
            store.db.table("teams").update(team_id(store, code), {k: new_row[k] for k in diff})
            store.log_change(
                "team",
                before.code,
                op,
                {k: old_row[k] for k in sorted(diff)},
                {k: new_row[k] for k in sorted(diff)},
            )
        return after
