"""What `db check` and `db info` read: SQLite's own checks, the change log held against
the tables it records (every team, pledge and action has its insert entry, and no insert
entry names a row that is not there: rows are never deleted), and the stored times."""

from __future__ import annotations

import sqlite3

from pledgetrack.store import stored_kinds, stored_text, stored_times, stored_values, zones
from pledgetrack.store.connection import OUR_TABLES, Store
from pledgetrack.store.findings import Finding, finding, limited, rows, single
from pledgetrack.store.migrations import LATEST_VERSION, user_version, version_problem

# entity in the change log, its table, its key column, the key as entity_key holds it,
# and entity_key as that column's type (so that both directions use an index)
_LOGGED = (
    ("team", "teams", "code", "t.code", "c.entity_key"),
    ("pledge", "pledges", "ref", "t.ref", "c.entity_key"),
    ("action", "actions", "id", "CAST(t.id AS TEXT)", "CAST(c.entity_key AS INTEGER)"),
)
_CREATED = "('insert', 'import')"
# the lines SQLite's own check gives, when not told otherwise (`backup`'s quick_check)
MAX_DAMAGE = 100
# SQLite's check stops after this many lines: db check counts them all
_EVERY = 2**31 - 1
_DAMAGE = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)  # what a check's stop may mean


def damage(
    conn: sqlite3.Connection, check: str = "integrity_check", limit: int | None = MAX_DAMAGE
) -> list[str]:
    """SQLite's own check of every page (`integrity_check`, or `quick_check`, which skips
    matching each index to its table): one line each (the first `limit`, None: every
    one), empty when sound. A page so damaged that the check itself stops is the last
    line, after what it had found."""
    found: list[str] = []
    try:
        most = _EVERY if limit is None else int(limit)
        for (text,) in conn.execute(f"PRAGMA {check}({most})"):  # our constants
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


def problems(store: Store, limit: int | None) -> list[Finding]:
    """Every problem found, one Finding per cause, each counting every row it holds and
    listing the first `limit` (None: every one); empty when the database is sound."""
    conn = store.conn
    damaged = damage(conn, limit=None)
    if damaged:  # the checks below read the same pages: they would stop at the damage
        shown = damaged[: len(damaged) if limit is None else limit]
        return [
            finding(
                len(damaged),
                [f"integrity: {line}" for line in shown],
                f"integrity: SQLite's check found {rows(len(damaged), 'problem')}",
                [repr(line) for line in shown],
            )
        ]
    found = _foreign_keys(conn, limit)
    for logged in _LOGGED:
        found.extend(_change_log(conn, logged, limit))
    found.extend(stored_times.problems(store, limit))
    found.extend(zones.problems(conn, store.path))
    version = user_version(conn)
    if version < LATEST_VERSION:  # an earlier release's columns: after db upgrade
        problem = version_problem(conn, version)
        if problem is not None:
            found.append(single(f"schema: {problem}; db upgrade cannot mend it"))
        return found
    found.extend(zones.misfits(conn, store.path, limit))
    # their models: not on `--help`'s imports
    from pledgetrack.store import case_chains, changes, national, pledges, teams

    found.extend(pledges.value_problems(store, limit))
    found.extend(_teams(teams.problems(store, -1), limit))
    found.extend(stored_values.problems(store, limit))
    found.extend(stored_values.outside_life(store, limit))
    found.extend(stored_values.action_problems(store, limit))
    found.extend(stored_text.problems(store, limit))
    found.extend(stored_kinds.problems(store))
    found.extend(changes.problems(store, limit))
    found.extend(case_chains.problems(store, limit))
    found.extend(national.detail_problems(store, limit))
    return found


def _teams(lines: list[str], limit: int | None) -> list[Finding]:
    """store.teams' lines (every one: teams are few), counted, the first `limit` listed."""
    if not lines:
        return []
    shown = lines if limit is None else lines[:limit]
    return [
        finding(
            len(lines),
            shown,
            f"stored value: {rows(len(lines), 'team value')} another tool wrote are not ones "
            "pledgetrack can read",
            [line.removeprefix("stored value: ").split(" is not")[0] for line in shown],
            "each line says how to mend it (pledgetrack db check --all)",
            kind="mend",
        )
    ]


def _foreign_keys(conn: sqlite3.Connection, limit: int | None) -> list[Finding]:
    """The rows that name a parent row that is missing, one Finding per table and parent."""
    held: dict[tuple[str, str], list[int]] = {}
    counts: dict[tuple[str, str], int] = {}
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        key = (str(table), str(parent))
        counts[key] = counts.get(key, 0) + 1
        if limit is None or len(held.setdefault(key, [])) < limit:
            held.setdefault(key, []).append(int(rowid))
    return [
        finding(
            counts[key],
            [f"foreign key: {table} row {i} refers to a {parent} row that is missing" for i in ids],
            f"foreign key: {rows(counts[key], f'{table} row')} refer to a {parent} row that "
            "is missing",
            [str(i) for i in ids],
        )
        for key, ids in held.items()
        for table, parent in (key,)
    ]


def _change_log(
    conn: sqlite3.Connection, logged: tuple[str, str, str, str, str], limit: int | None
) -> list[Finding]:
    """The rows of one table with no insert entry, and the insert entries naming a row the
    table lacks: each counted in SQL, then the first `limit` listed."""
    entity, table, column, as_key, as_column = logged
    found = []
    # every fragment below is one of our own names; the values are bound
    unlogged = (
        f"FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM changes c "  # noqa: S608
        f"WHERE c.entity = ? AND c.entity_key = {as_key} AND c.op IN {_CREATED})"
    )
    n = conn.execute(f"SELECT COUNT(*) {unlogged}", (entity,)).fetchone()[0]
    if n:
        keys = [
            str(k)
            for (k,) in conn.execute(
                f"SELECT {as_key} {unlogged} ORDER BY t.{column} LIMIT ?", (entity, limited(limit))
            )
        ]
        found.append(
            finding(
                n,
                [f"change log: {entity} {k} has no insert entry" for k in keys],
                f"change log: {rows(n, entity)} have no insert entry",
                keys,
                kind="history",
            )
        )
    orphans = (
        f"FROM changes c WHERE c.entity = ? AND c.op IN {_CREATED} "  # noqa: S608
        f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{column} = {as_column})"
    )
    n = conn.execute(f"SELECT COUNT(*) {orphans}", (entity,)).fetchone()[0]
    if n:
        entries = conn.execute(
            f"SELECT c.id, c.entity_key {orphans} ORDER BY c.id LIMIT ?", (entity, limited(limit))
        ).fetchall()
        found.append(
            finding(
                n,
                [
                    f"change log: entry {i} records {entity} {k}, which is not in the {table} table"
                    for i, k in entries
                ],
                f"change log: {rows(n, 'insert entry', 'insert entries')} record "
                f"{entity}s not in the {table} table",
                [f"entry {i} ({entity} {k})" for i, k in entries],
            )
        )
    return found


def counts(store: Store) -> dict[str, int]:
    """Rows in each of the core tables."""
    return {
        table: int(store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608  # our table names
        for table in sorted(OUR_TABLES)
    }


def journal_mode(store: Store) -> str:
    return str(store.conn.execute("PRAGMA journal_mode").fetchone()[0])
