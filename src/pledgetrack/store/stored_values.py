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
from pledgetrack.store.findings import Finding, Listed, finding, limited

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
# what a cell may hold, as a user writes it into one another tool got wrong
_FORM = {"hours": "0, or 0.01 to 8784", **dict.fromkeys(_FLAGS, "0 or 1")}


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
    store: Store, where: str, params: tuple[Any, ...], limit: int, *, voided: bool = False
) -> list[tuple[str, Any, str, int]]:
    """(column, value, what it should be, row id) of the live actions `where` (`voided`:
    of the voided ones), the first `limit` rows (-1: all)."""
    columns = ("hours", *_FLAGS)
    life = "a.voided_at IS NOT NULL" if voided else "a.voided_at IS NULL"
    rows = store.conn.execute(
        f"SELECT a.id, {', '.join(f'a.{c}' for c in columns)} FROM actions a "  # noqa: S608  # our constants
        f"WHERE {where} AND {life} AND {_bad_value_sql()} ORDER BY a.id LIMIT ?",
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


def problems(store: Store, limit: int | None) -> list[Finding]:
    """Every action value out of its range, one Finding per column, live or voided (a live
    one is voided and logged again: mistakes are voided, never edited; a voided one counts
    nowhere, and its cell is written in range for `history` and `actions --include-void`
    to read it), and every item dealt with before it came in."""
    found = []
    fix = "to correct it: pledgetrack void {id} --reason '...', then log it again"
    for voided in (False, True):
        held: dict[str, list[tuple[Any, str, int]]] = {}
        for column, value, what, row in _bad_values(store, "1", (), -1, voided=voided):
            held.setdefault(column, []).append((value, what, row))
        for column, rows in held.items():
            what = rows[0][1]
            shown = rows if limit is None else rows[:limit]
            if voided:
                mend = f"write the cell as {_FORM[column]}"
                lines = [
                    f"stored value: actions.{column} of row {row} is not a {what} pledgetrack "
                    f"can read ({value!r}); action {row} is void and counts nowhere; to read "
                    f"it, {mend}"
                    for value, what, row in shown
                ]
                each = f"each is void and counts nowhere; to read it, {mend}"
            else:
                lines = [
                    f"stored value: actions.{column} of row {row} is not a {what} pledgetrack "
                    f"can read ({value!r}); {fix.format(id=row)}"
                    for value, what, row in shown
                ]
                each = "to correct each: pledgetrack void ID --reason '...', then log it again"
            found.append(
                finding(
                    len(rows),
                    lines,
                    f"stored value: actions.{column} of {len(rows):,} {'voided ' * voided}rows "
                    f"is not a {what} pledgetrack can read",
                    [f"row {row} ({value!r})" for value, _, row in shown],
                    each,
                    kind="void" if voided else "mend",
                )
            )
    answered = (
        "FROM actions a WHERE a.received_at IS NOT NULL AND a.occurred_at IS NOT NULL "
        f"AND a.voided_at IS NULL AND {ANSWERED_FIRST_SQL}"
    )
    n = store.conn.execute(f"SELECT COUNT(*) {answered}").fetchone()[0]  # our constant
    if n:
        first = store.conn.execute(
            f"SELECT a.id, a.received_at, a.occurred_at {answered} ORDER BY a.id LIMIT ?",
            (limited(limit),),
        ).fetchall()
        found.append(
            finding(
                n,
                [
                    f"stored value: {_answered_first(row, received, occurred)}; "
                    f"{fix.format(id=row)}"
                    for row, received, occurred in first
                ],
                f"stored value: {n:,} response items were dealt with before they came in "
                "(actions.occurred_at before received_at)",
                [str(row) for row, _, _ in first],
                "to correct each: pledgetrack void ID --reason '...', then log it again",
                kind="mend",
            )
        )
    return found


def outside_life(store: Store, limit: int | None) -> list[Finding]:
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
    listed = Listed(limit)
    pledges: dict[str, Any] = {}
    for action in readable_actions(store, ids):
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
        listed.add(
            f"{action.id} ({ref}, {day:%d/%m/%Y})",
            f"stored value: action {action.id} of {ref} on {day:%d/%m/%Y} is {why}: it "
            f"never counts, and import actions refuses it; {fix}",
        )
    return listed.found(
        f"stored value: {listed.count:,} live actions lie outside their pledge's life "
        "(before it was agreed, or after it was closed): they never count, and import "
        "actions refuses them",
        "to correct each: void it, or move the pledge's dates (each action's line says how)",
        kind="mend",
    )


def other_team(store: Store, limit: int | None) -> list[Finding]:
    """Every live action whose `team_id` is not its pledge's team (another tool wrote it;
    `log` and `import` take the team from the pledge). The reports count it for the
    pledge's team, `actions --team` lists it under the other, and `--ref` is unique per
    the other team: two answers to "whose action is it", so db check lists each (a team
    that is missing is the foreign key check's). A scan of the actions: 0.33 s CPU at a
    million."""
    sql = (
        "SELECT a.id, p.ref, tp.code, ta.code FROM actions a JOIN pledges p ON p.id = "
        "a.pledge_id JOIN teams tp ON tp.id = p.team_id JOIN teams ta ON ta.id = "
        "a.team_id WHERE a.voided_at IS NULL AND a.team_id IS NOT p.team_id ORDER BY a.id"
    )
    listed = Listed(limit)
    for action, ref, owner, other in store.conn.execute(sql):
        listed.add(
            f"{action} ({ref})",
            f"stored value: action {action} of {ref} names team {other} (actions.team_id), "
            f"not {owner}, whose pledge it is: the reports count it for {owner}, `actions "
            f"--team {other}` lists it; to correct it: pledgetrack void {action} --reason "
            f"'...', and log it again against {ref}",
        )
    return listed.found(
        f"stored value: {listed.count:,} live actions name a team that is not their "
        "pledge's (actions.team_id): the reports count them for the pledge's team, the "
        "listings under the other",
        "to correct each: void it and log it again (each action's line says how)",
        kind="mend",
    )


def missing_times(store: Store, limit: int | None) -> list[Finding]:
    """Every live action without the time its pledge is judged by (another tool cleared
    it; `log` never writes one): a response pledge's item with no `received_at` is no item
    at all to the figures (a breach gone, red read green; ATTACK4 A8), and any other
    pledge's action with no `occurred_at` is counted nowhere and listed as open (only an
    open response item has no time; A7). One scan of the actions."""
    sql = (
        "SELECT a.id, p.ref, p.target_type = 'response' FROM actions a JOIN pledges p ON "
        "p.id = a.pledge_id WHERE a.voided_at IS NULL AND (CASE WHEN p.target_type = "
        "'response' THEN a.received_at IS NULL ELSE a.occurred_at IS NULL END) ORDER BY a.id"
    )
    listed = Listed(limit)
    for action, ref, response in store.conn.execute(sql):
        column, why = (
            ("received_at", f"{ref} is a response pledge: the item cannot be judged")
            if response
            else ("occurred_at", f"{ref} is not a response pledge (only an open response "
                  "item has no time): it counts nowhere")
        )
        listed.add(
            f"{action} ({ref}, {column})",
            f"stored value: actions.{column} of row {action} is empty, but {why}; to correct "
            f"it: pledgetrack void {action} --reason '...', then log it again",
        )
    return listed.found(
        f"stored value: {listed.count:,} live actions lack the time their pledge is judged "
        "by (another tool cleared it): their figures are wrong",
        "to correct each: void it and log it again (each action's line says how)",
        kind="mend",
    )
