"""Stored text another tool wrote that pledgetrack never writes (domain.text refuses it
wherever text enters): a NUL, which the export wrote raw into a CSV that import then
refused, and bytes that are not UTF-8, which every read of the row failed on without
naming it (`Could not decode to UTF-8 column 'officer'`). `db check` lists each cell;
a read that meets one is refused naming its row (`refuse_undecodable`).

SQL picks the candidates: a NUL by `instr`, and any byte past ASCII by GLOB (SQLite
reads each such byte as a character past U+007F, valid UTF-8 or not); Python judges
those few by domain.text's one rule. About 1 CPU s a million actions (docs/cli.md).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence

from pledgetrack.domain.text import text_problem
from pledgetrack.errors import SEE_DB_CHECK, DatabaseError
from pledgetrack.store.connection import Store
from pledgetrack.store.findings import Finding, Listed

# a text holding any byte past ASCII, or a NUL (GLOB stops at one: instr finds it)
_PAST_ASCII = "*[^" + chr(1) + "-" + chr(127) + "]*"
_CANDIDATE_SQL = "(instr({col}, char(0)) > 0 OR {col} GLOB '" + _PAST_ASCII + "')"
# how sqlite3 says a text it could not decode (the column as the query named it)
_UNDECODABLE = re.compile(r"Could not decode to UTF-8 column '([^']*)'")


def candidate_sql(column: str) -> str:
    """SQL true where `column` may hold text pledgetrack never writes (false: it does not)."""
    return _CANDIDATE_SQL.format(col=column)


def problem(value: object) -> str | None:
    """What is wrong with a stored text cell, in words (None: nothing); `value` as read
    with bytes for text, so that bytes not UTF-8 can be judged."""
    if not isinstance(value, bytes):
        return None
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"is not UTF-8 text (byte 0x{value[exc.start]:02X} at byte {exc.start + 1})"
    return text_problem(text)


def shown(value: bytes) -> str:
    """The cell as a line can hold it: its text, a byte not UTF-8 as `\\xff`, a NUL `\\x00`."""
    text = value.decode("utf-8", "backslashreplace").replace("\x00", "\\x00")
    return f"'{text}'"


def _tables(store: Store) -> list[str]:
    """The file's tables (ours: the migrations make every one), by name."""
    return [
        str(name)
        for (name,) in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]


def text_columns(store: Store, table: str) -> list[str]:
    """The table's columns declared TEXT."""
    return [
        str(name)
        for _, name, kind, *_ in store.conn.execute(f"PRAGMA table_info({table})")  # our names
        if str(kind).upper() == "TEXT"
    ]


def bad_cells(
    store: Store,
    table: str,
    columns: Sequence[str],
    where: str = "1",
    params: Sequence[object] = (),
) -> Iterator[tuple[int, str, bytes, str]]:
    """(row id, column, the cell's bytes, what is wrong) of each cell of `columns` in the
    rows `where` that pledgetrack never writes, by row id."""
    if not columns:
        return
    any_bad = " OR ".join(candidate_sql(c) for c in columns)
    cells = ", ".join(f"CAST({c} AS BLOB)" for c in columns)
    sql = (
        f"SELECT rowid, {cells} FROM {table} WHERE ({where}) AND ({any_bad}) ORDER BY rowid"  # noqa: S608  # our names
    )
    for row_id, *values in store.conn.execute(sql, list(params)):
        for column, value in zip(columns, values, strict=True):
            if (wrong := problem(value)) is not None:
                yield int(row_id), column, value, wrong


def refuse_undecodable(store: Store, exc: sqlite3.Error) -> DatabaseError | None:
    """A read that failed decoding a text (`exc`), as the row it met: the first cell of a
    column of that name, in any of our tables, that is not UTF-8 (exit 3, naming its row
    and column and pointing at db check). None: not such a failure, or no cell found."""
    found = _UNDECODABLE.search(str(exc))
    if found is None:
        return None
    name = found.group(1)
    for table in _tables(store):
        try:
            columns = [c for c in text_columns(store, table) if c == name]
            for row, column, value, wrong in bad_cells(store, table, columns):
                if wrong.startswith("is not UTF-8"):
                    return DatabaseError(
                        f"{table}.{column} of row {row} {wrong}: {shown(value)}; "
                        f"{way_out(table, column, row, voided=_voided(store, table, row))}; "
                        f"{SEE_DB_CHECK}"
                    )
        except sqlite3.Error:  # the read's own error stands
            return None
    return None


def _voided(store: Store, table: str, row: int) -> bool:
    if table != "actions":
        return False
    found = store.conn.execute("SELECT voided_at IS NOT NULL FROM actions WHERE id = ?", (row,))
    return bool((found.fetchone() or (0,))[0])


REWRITE = "write the cell again as text (UTF-8, no NUL)"


def way_out(table: str, column: str, row: int, *, voided: bool = False) -> str:
    """How a user mends such a cell: a live action is voided and logged again (mistakes
    are never edited); a voided one counts nowhere, and any other cell is written again."""
    if voided:
        return f"action {row} is void and counts nowhere; to read it, {REWRITE}"
    if table == "actions" and column != "void_reason":
        return f"to correct it: pledgetrack void {row} --reason '...', then log it again"
    return f"to correct it: {REWRITE}"


def problems(store: Store, limit: int | None) -> list[Finding]:
    """`db check`'s text cells pledgetrack never writes in every table but the actions
    (whose one scan finds theirs: stored_values.action_problems), one Finding per table
    and column: every one counted, the first `limit` (None: every one) listed."""
    held: dict[tuple[str, str], Listed] = {}
    for table in _tables(store):
        if table == "actions":
            continue
        for row, column, value, wrong in bad_cells(store, table, text_columns(store, table)):
            listed = held.setdefault((table, column), Listed(limit))
            listed.add(
                f"row {row}",
                f"stored text: {table}.{column} of row {row} {wrong}: {shown(value)}; "
                f"{way_out(table, column, row)}",
            )
    return [
        finding
        for (table, column), listed in held.items()
        for finding in listed.found(
            f"stored text: {listed.count:,} cells of {table}.{column} hold text pledgetrack "
            "never writes (a NUL, or bytes not UTF-8)",
            f"to correct each: {REWRITE}",
            kind="mend",
        )
    ]
