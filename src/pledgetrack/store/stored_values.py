"""Stored action values another tool wrote that pledgetrack never writes: hours outside
their range (`-5`, `1e9`), a flag other than 0 or 1 (`abstracted = 7`), a response item
dealt with before it came in. Each shifts a figure without a word (a share of time past
100%, a wait below zero counted as met), so `db check` lists every one, and the report
whose aggregate meets one stops naming its row (exit 3). The aggregates find them at no
extra reading: the same index rows, one more expression, the row looked up only then.
"""

from __future__ import annotations

from typing import Any

from pledgetrack.domain.numbers import HOURS
from pledgetrack.errors import DatabaseError
from pledgetrack.store.connection import Store

# domain.numbers.HOURS as SQL: 0, or from its smallest to its highest (NULL: no hours)
HOURS_OK_SQL = f"({{col}} = 0 OR {{col}} BETWEEN {HOURS.smallest!r} AND {HOURS.high!r})"
FLAG_OK_SQL = "{col} IN (0, 1)"
# an item dealt with (both times read: an unreadable time is stored_times') before it
# came in, by the instant (a response in another offset may sort before its receipt)
_EPOCH = "CAST(strftime('%s', {}) AS INTEGER)"
ANSWERED_FIRST_SQL = (
    f"{_EPOCH.format('a.occurred_at')} < {_EPOCH.format('a.received_at')}"
)
_FLAGS = ("abstracted", "highlight", "delivers")  # store.actions.COLUMNS' Kind.FLAG
_WHAT = {"hours": "number of hours", **dict.fromkeys(_FLAGS, "flag (0 or 1)")}


def _bad_value_sql() -> str:
    hours = HOURS_OK_SQL.format(col="a.hours")
    flags = " AND ".join(FLAG_OK_SQL.format(col=f"a.{c}") for c in _FLAGS)
    return f"NOT ((a.hours IS NULL OR {hours}) AND {flags})"


def refuse_value(store: Store, action_id: int) -> DatabaseError:
    """The error for a report whose aggregate met action `action_id`'s hours or flag out
    of its range (exit 3), naming the column as `db check` lists it."""
    from pledgetrack.store.stored_times import unreadable  # only on failure

    ((column, value, what, _),) = _bad_values(store, "a.id = ?", (action_id,), 1)[:1]
    return unreadable("actions", column, action_id, value, what=what)


def refuse_answered_first(store: Store, pledge_id: int, start: str, end: str) -> DatabaseError:
    """The error for a response report that met an item of the pledge received in
    [start, end) and dealt with before that (exit 3), naming the first."""
    row = store.conn.execute(
        "SELECT a.id, a.received_at, a.occurred_at FROM actions a WHERE a.pledge_id = ? "  # noqa: S608  # our constant
        f"AND a.received_at >= ? AND a.received_at < ? AND {ANSWERED_FIRST_SQL} "
        "ORDER BY a.id LIMIT 1",
        (pledge_id, start, end),
    ).fetchone()
    from pledgetrack.store.stored_times import way_out  # only on failure

    way = way_out("actions", "occurred_at", row[0])
    return DatabaseError(f"{_answered_first(*row)}; {way}see: pledgetrack db check")


def _answered_first(row: int, received: str, occurred: str) -> str:
    return (
        f"actions.occurred_at of row {row} is before its received_at ({occurred!r} < "
        f"{received!r}): the item was dealt with before it came in"
    )


def _bad_values(
    store: Store, where: str, params: tuple[Any, ...], limit: int
) -> list[tuple[str, Any, str, int]]:
    """(column, value, what it should be, row id) of the live actions `where`."""
    columns = ("hours", *_FLAGS)
    rows = store.conn.execute(
        f"SELECT a.id, {', '.join(f'a.{c}' for c in columns)} FROM actions a "  # noqa: S608  # our constants
        f"WHERE {where} AND a.voided_at IS NULL AND {_bad_value_sql()} ORDER BY a.id LIMIT ?",
        (*params, limit),
    )
    found: list[tuple[str, Any, str, int]] = []
    for row_id, hours, *flags in rows:
        found.extend(
            (column, value, what, row_id)
            for column, value in zip(columns, (hours, *flags), strict=True)
            if (what := out_of_range(column, value)) is not None
        )
    return found


def _hours_ok(value: object) -> bool:
    return isinstance(value, int | float) and HOURS.accepts(value)


def out_of_range(column: str, value: object) -> str | None:
    """What an action's stored `column` should be, when `value` is not that (else None)."""
    if column == "hours":
        return None if value is None or _hours_ok(value) else _WHAT[column]
    if column in _FLAGS:
        return None if value in (0, 1) else _WHAT[column]
    return None


def problems(store: Store, limit: int) -> list[str]:
    """Every action value out of its range, and every item dealt with before it came in,
    one line each with the way to correct it (mistakes are voided, never edited)."""
    fix = "to correct it: pledgetrack void {id} --reason '...', then log it again"
    found = [
        f"stored value: actions.{column} of row {row} is not a {what} pledgetrack can read "
        f"({value!r}); {fix.format(id=row)}"
        for column, value, what, row in _bad_values(store, "1", (), limit)
    ][:limit]
    answered = store.conn.execute(
        "SELECT a.id, a.received_at, a.occurred_at FROM actions a "  # noqa: S608  # our constant
        "WHERE a.received_at IS NOT NULL AND a.occurred_at IS NOT NULL "
        f"AND a.voided_at IS NULL AND {ANSWERED_FIRST_SQL} ORDER BY a.id LIMIT ?",
        (limit,),
    )
    found.extend(
        f"stored value: {_answered_first(row, received, occurred)}; {fix.format(id=row)}"
        for row, received, occurred in answered
    )
    return found


def outside_life(store: Store, limit: int) -> list[str]:
    """Every live action outside its pledge's life (before it was agreed, after it was
    closed), left by a close or edit before entry_rules refused them: it never counts, and
    `import actions` of an export refuses it. entry_rules judges each (the one home of the
    rule); SQL picks the candidates, each a seek on a pledge's index (day-text ranges)."""
    from pledgetrack.domain.entry_rules import after_closed, before_agreed  # db check only
    from pledgetrack.store.actions import readable_actions
    from pledgetrack.store.pledges import get_pledge

    candidates = " UNION ".join(
        "SELECT a.id FROM pledges p CROSS JOIN actions a WHERE a.pledge_id = p.id "  # noqa: S608  # our names
        f"AND a.voided_at IS NULL AND a.{column} {test}"
        for column in ("occurred_at", "received_at")
        for test in ("< p.agreed_on", ">= date(p.closed_on, '+1 day')")
    )
    ids = [i for (i,) in store.conn.execute(f"{candidates} ORDER BY 1")]
    found: list[str] = []
    pledges: dict[str, Any] = {}
    for action in readable_actions(store, ids):
        if len(found) >= limit:
            break
        ref = action.pledge
        if ref not in pledges:
            try:
                pledges[ref] = get_pledge(store, ref)
            except DatabaseError:  # a date that does not read: listed as such
                pledges[ref] = None
        if (pledge := pledges[ref]) is None:
            continue
        fix = f"to correct it: pledgetrack void {action.id} --reason '...', or "
        if (day := before_agreed(pledge.agreed_on, action)) is not None:
            why = f"before {ref} was agreed ({pledge.agreed_on:%d/%m/%Y})"
            fix += f"pledgetrack pledge edit {ref} --agreed {day:%d/%m/%Y}"
        elif (day := after_closed(pledge.closed_on, action)) is not None:
            why = f"after {ref} was closed ({pledge.closed_on:%d/%m/%Y})"
            fix += (
                f"pledgetrack pledge reopen {ref}, then pledgetrack pledge close {ref} "
                f"--on {day:%d/%m/%Y} ..."
            )
        else:
            continue
        found.append(
            f"stored value: action {action.id} of {ref} on {day:%d/%m/%Y} is {why}: it never "
            f"counts, and import actions refuses it; {fix}"
        )
    return found
