"""What `db check` and `db info` read: SQLite's own checks, the change log held against
the tables it records (every team, pledge and action has its insert entry, and no insert
entry names a row that is not there: rows are never deleted), and the stored times."""

from __future__ import annotations

import sqlite3

from pledgetrack.store import stored_kinds, stored_times, stored_values, zones
from pledgetrack.store.connection import OUR_TABLES, Store
from pledgetrack.store.migrations import LATEST_VERSION, user_version, version_problem

# entity in the change log, its table, its key column, the key as entity_key holds it,
# and entity_key as that column's type (so that both directions use an index)
_LOGGED = (
    ("team", "teams", "code", "t.code", "c.entity_key"),
    ("pledge", "pledges", "ref", "t.ref", "c.entity_key"),
    ("action", "actions", "id", "CAST(t.id AS TEXT)", "CAST(c.entity_key AS INTEGER)"),
)
_CREATED = "('insert', 'import')"
MAX_FINDINGS = 100  # per check: enough to act on, without flooding a cron mail
# the findings whose line says how to correct them (a cell another tool wrote), not damage
MENDED_BY_LINE = ("stored time: ", "stored kind: ", "stored value: action", "stored value: teams.")
# (an action's value, its life: its line says void it; a pledge's value is no such line)
_DAMAGE = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)  # what a check's stop may mean


def damage(conn: sqlite3.Connection, check: str = "integrity_check") -> list[str]:
    """SQLite's own check of every page (`integrity_check`, or `quick_check`, which skips
    matching each index to its table): one line each, empty when sound. A page so damaged
    that the check itself stops is the last line, after what it had found."""
    found: list[str] = []
    try:
        for (text,) in conn.execute(f"PRAGMA {check}({MAX_FINDINGS})"):  # our constants
            # one row may hold several lines, under a "*** in database" head
            found.extend(
                line
                for line in str(text).splitlines()
                if line.strip() and not line.startswith("***")
            )
    except sqlite3.DatabaseError as exc:  # "database disk image is malformed"
        if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) not in _DAMAGE:
            raise  # a full disk, an I/O error, a lock: the caller's translate_error says it
        found.append(str(exc))
    return [] if found == ["ok"] else found


def problems(store: Store) -> list[str]:
    """Every problem found, one line each; empty when the database is sound."""
    conn = store.conn
    found = [f"integrity: {line}" for line in damage(conn)]
    if found:  # the checks below read the same pages: they would stop at the damage
        return found
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchmany(MAX_FINDINGS):
        found.append(f"foreign key: {table} row {rowid} refers to a {parent} row that is missing")
    # every fragment below is one of our own names; the values are bound
    for entity, table, column, as_key, as_column in _LOGGED:
        unlogged = conn.execute(
            f"SELECT {as_key} FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM changes c "  # noqa: S608
            f"WHERE c.entity = ? AND c.entity_key = {as_key} AND c.op IN {_CREATED}) LIMIT ?",
            (entity, MAX_FINDINGS),
        )
        found.extend(f"change log: {entity} {k} has no insert entry" for (k,) in unlogged)
        orphans = conn.execute(
            f"SELECT c.id, c.entity_key FROM changes c WHERE c.entity = ? AND c.op IN {_CREATED} "  # noqa: S608
            f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{column} = {as_column}) LIMIT ?",
            (entity, MAX_FINDINGS),
        )
        found.extend(
            f"change log: entry {i} records {entity} {k}, which is not in the {table} table"
            for i, k in orphans
        )
    found.extend(stored_times.problems(store, MAX_FINDINGS))
    found.extend(zones.problems(conn, store.path))
    version = user_version(conn)
    if version < LATEST_VERSION:  # an earlier release's columns: after db upgrade
        problem = version_problem(conn, version)
        if problem is not None:
            found.append(f"schema: {problem}; db upgrade cannot mend it")
        return found
    from pledgetrack.store import pledges, teams  # their models: not on `--help`'s imports

    found.extend(
        f"stored value: {table}.{column} of row {row} is not a {what} pledgetrack can read "
        f"({text!r})"
        for table, column, row, text, what in pledges.unreadable_values(store, limit=MAX_FINDINGS)
        if what != "date"  # stored_times lists the dates
    )
    found.extend(teams.problems(store, MAX_FINDINGS))
    found.extend(stored_values.problems(store, MAX_FINDINGS))
    found.extend(stored_values.outside_life(store, MAX_FINDINGS))
    found.extend(stored_kinds.problems(store, MAX_FINDINGS))
    return found


def counts(store: Store) -> dict[str, int]:
    """Rows in each of the core tables."""
    return {
        table: int(store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608  # our table names
        for table in sorted(OUR_TABLES)
    }


def journal_mode(store: Store) -> str:
    return str(store.conn.execute("PRAGMA journal_mode").fetchone()[0])
