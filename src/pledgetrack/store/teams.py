"""Teams table: insert, look up, list, edit."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pledgetrack.domain.models import Setting, Team, normalise_code, shown_code
from pledgetrack.domain.text import blank
from pledgetrack.errors import SEE_DB_CHECK, DatabaseError, InputError, NotFoundError
from pledgetrack.store.connection import Store

_COLUMNS = ("code", "name", "force", "area", "sergeant", "contact", "setting", "active")
_SETTINGS = tuple(s.value for s in Setting)
# what an edit may read past: it writes only the columns it changes
EVERY_COLUMN = frozenset(_COLUMNS)
# a team row another tool wrote with a setting or an active flag pledgetrack never writes
_UNREADABLE_SQL = (
    f"setting IS NULL OR setting NOT IN ({', '.join('?' * len(_SETTINGS))}) "
    "OR active IS NULL OR active NOT IN (0, 1) "
    # a name blank (team edit refuses one): SQL passes the plainly named, blank() judges
    "OR name IS NULL OR trim(name) = '' OR name GLOB '*[^ -~]*'"
)


def _to_team(row: dict[str, Any], mend: frozenset[str] = frozenset()) -> Team:
    """A row of our own (validated when written) as a Team, not validated again; a value
    another tool wrote (`Rural`, `active = 7`) is refused naming the row (exit 3), unless
    its column is in `mend`: an edit reads past it (it writes only what it changes, and
    one of its changes replaces the value)."""
    setting, active = row["setting"], row["active"]
    for column in _unreadable_columns(row):
        if column not in mend:
            raise _unreadable(row["id"], row["code"], column, row[column])
        if column == "setting":
            setting = Setting.URBAN  # never written: the edit replaces it or leaves it
        elif column == "active":
            active = 1
    return Team.from_trusted(
        code=row["code"],
        name=row["name"],
        force=row["force"],
        area=row["area"],
        sergeant=row["sergeant"],
        contact=row["contact"],
        setting=Setting(setting),
        active=bool(active),
    )


def _problem(row: int, code: str, column: str, value: Any) -> str:
    """One unreadable team cell, and how to correct it: `team edit` for a setting (it
    replaces the value unread); the flag written as stored."""
    what = {"setting": "setting", "name": "name"}.get(column, "flag (1 active, 0 archived)")
    if column == "name":  # blank: team edit --name refuses one, as does import teams
        way = f"to correct it: pledgetrack team edit {code} --name '...'"
    elif column == "setting":
        near = str(value).strip().lower() if isinstance(value, str) else ""
        choice = near if near in _SETTINGS else " or ".join(_SETTINGS)
        way = f"to correct it: pledgetrack team edit {code} --setting {choice}"
    else:
        way = f"to correct it: pledgetrack team restore {code} (or team archive {code})"
    return (
        f"teams.{column} of row {row} (team {code}) is not a {what} pledgetrack can read "
        f"({value!r}); {way}"
    )


def _unreadable(row: int, code: str, column: str, value: Any) -> DatabaseError:
    return DatabaseError(f"{_problem(row, code, column, value)}; {SEE_DB_CHECK}")


def problems(store: Store, limit: int) -> list[str]:
    """`db check`'s lines for team rows another tool wrote with a setting or flag no read
    takes, first `limit` rows."""
    rows = store.conn.execute(
        f"SELECT id, code, name, setting, active FROM teams WHERE {_UNREADABLE_SQL} "  # noqa: S608  # our constant
        "ORDER BY id LIMIT ?",
        (*_SETTINGS, limit),
    )
    found: list[str] = []
    for row, code, name, setting, active in rows:
        stored = {"name": name, "setting": setting, "active": active}
        found.extend(
            f"stored value: {_problem(row, code, column, stored[column])}"
            for column in _unreadable_columns(stored)
        )
    return found


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


def get_team(store: Store, code: str, *, mend: frozenset[str] = frozenset()) -> Team:
    """The team; `mend`: columns an edit will replace, which may hold another tool's value."""
    return _to_team(_stored_row(store, code), mend)


def teams_by_codes(store: Store, codes: Iterable[str]) -> dict[str, tuple[Team, int]]:
    """get_team and team_id of many codes (as stored: normalise_code's form) in a query per
    500, for a bulk import. A code not found, or whose row get_team would refuse, is left
    out: the caller asks get_team for it, which says why."""
    wanted = list(dict.fromkeys(codes))
    found: dict[str, tuple[Team, int]] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        sql = f"SELECT * FROM teams WHERE code IN ({', '.join('?' * len(part))})"  # noqa: S608  # placeholders
        for row in store.query(sql, part):
            try:
                team = _to_team(row)
            except (DatabaseError, ValueError, KeyError):
                continue
            found[team.code] = (team, int(row["id"]))
    return found


def _stored_row(store: Store, code: str) -> dict[str, Any]:
    rows = list(store.query("SELECT * FROM teams WHERE code = ?", [normalise_code(code)]))
    if not rows:
        raise unknown_team(code)
    return rows[0]


def _as_stored(row: dict[str, Any]) -> dict[str, Any]:
    """The setting and flag as stored, where another tool wrote what no read takes: what
    the audit entry of their correction says they were."""
    return {column: row[column] for column in _unreadable_columns(row)}


def _unreadable_columns(row: dict[str, Any]) -> list[str]:
    """The columns of a team row holding a value no read takes, name first: the one
    judge of a row, for reads, edits and db check (_UNREADABLE_SQL finds the rows)."""
    found = ["name"] if not isinstance(row["name"], str) or blank(row["name"]) else []
    found += ["setting"] if row["setting"] not in _SETTINGS else []
    return found + (["active"] if row["active"] not in (0, 1) else [])


def unreadable_columns(store: Store, code: str) -> set[str]:
    """The team's columns holding a value another tool wrote that no read takes."""
    return set(_unreadable_columns(_stored_row(store, code)))


def add_team(store: Store, team: Team) -> None:
    with store.write():
        exists = store.conn.execute("SELECT 1 FROM teams WHERE code = ?", [team.code]).fetchone()
        if exists:
            raise InputError(f"team {team.code!r} already exists")
        store.insert("teams", {**_to_row(team), "created_at": store.now_text()})
        store.log_change("team", team.code, "insert", None, _to_row(team))


def codes_in_file(path: Path) -> tuple[set[str], int]:
    """Every team's code in the database at `path`, archived too, and how many actions
    were recorded at another moment than most (a demo's all are at one), read as the
    file stands (read-only: never upgraded, nothing written), from what every schema has
    had: what `demo` reads of a file another release wrote (an earlier demo, and whether
    someone logged in it since). Raises sqlite3.Error."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        codes = {str(code) for (code,) in conn.execute("SELECT code FROM teams")}
        (later,) = conn.execute(
            "SELECT coalesce(sum(n) - max(n), 0) FROM "
            "(SELECT count(*) AS n FROM actions GROUP BY created_at)"
        ).fetchone()
        return codes, int(later)
    finally:
        conn.close()


def list_teams(store: Store, *, include_archived: bool = False) -> list[Team]:
    where = "" if include_archived else "WHERE active IS NOT 0"  # 7 (another tool's) is refused
    return [_to_team(r) for r in store.query(f"SELECT * FROM teams {where} ORDER BY code")]  # noqa: S608  # fixed text, no user input


def update_team(store: Store, code: str, changes: dict[str, Any], *, op: str = "edit") -> Team:
    """Apply field changes; only fields whose value differs are written and logged. A
    value another tool wrote in a column the edit replaces is no obstacle, and the audit
    entry keeps it as it was stored."""
    with store.write():
        stored = _stored_row(store, code)
        before = _to_team(stored, mend=EVERY_COLUMN)
        after = before.model_copy(update=changes)
        after = Team.model_validate(after.model_dump())
        old_row, new_row = {**_to_row(before), **_as_stored(stored)}, _to_row(after)
        unread = set(_unreadable_columns(stored)) - set(changes)  # left as stored, not guessed
        diff = {k for k in _COLUMNS if old_row[k] != new_row[k] and k not in unread}
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
