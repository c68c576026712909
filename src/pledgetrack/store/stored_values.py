"""Stored action values another tool wrote that pledgetrack never writes: hours outside
their range (`-5`, `1e9`), a flag other than 0 or 1 (`abstracted = 7`), a response item
dealt with before it came in. Each shifts a figure without a word (a share of time past
100%, a wait below zero counted as met), so `db check` lists every one, and the report
whose aggregate meets one stops naming its row (exit 3). The aggregates find them at no
extra reading: the same index rows, one more expression, the row looked up only then.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from pledgetrack.domain.numbers import HOURS
from pledgetrack.errors import DatabaseError
from pledgetrack.store.connection import Store
from pledgetrack.store.findings import Finding, Listed, finding, limited
from pledgetrack.store.stored_times import LISTED_ORDER_SQL

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


# One scan of the actions finds each live action another tool wrote in a way `log` never
# does, and each voided one without its reason: (cause, the SQL that picks its rows). A
# row may hold several. tests/test_db_check_values.py damages each and follows its fix.
_CAUSES = (
    # its team_id not its pledge's (a team that is missing is the foreign key check's)
    ("other_team", "a.voided_at IS NULL AND a.team_id IS NOT p.team_id AND ta.code IS NOT NULL"),
    # without the time its pledge is judged by (ATTACK4 A7, A8)
    ("no_time", "a.voided_at IS NULL AND CASE WHEN p.target_type = 'response' "
     "THEN a.received_at IS NULL ELSE a.occurred_at IS NULL END"),
    # a received time on a pledge that judges none (log: --received applies only to ...)
    ("received", "a.voided_at IS NULL AND p.target_type <> 'response' "
     "AND a.received_at IS NOT NULL"),
    # a delivery on a pledge that is no deadline (log: --delivers applies only to ...)
    ("delivers", "a.voided_at IS NULL AND a.delivers = 1 AND p.target_type <> 'deadline'"),
    # entry_rules.check_voided: a reason without a void, a void without a reason
    ("reason", "a.voided_at IS NULL AND a.void_reason IS NOT NULL"),
    ("no_reason", "a.voided_at IS NOT NULL AND (a.void_reason IS NULL OR "
     "trim(a.void_reason) = '')"),
    # no kind on a pledge counting one kind: log and import store the pledge's for an
    # action given none (entry_rules.stored_kind), so only a pledge given its kind since
    # (pledge edit --action-kind; _kind_given_since) may hold one
    ("no_kind", "a.voided_at IS NULL AND a.kind IS NULL AND p.target_type = 'frequency' "
     "AND p.target_action_kind IS NOT NULL"),
)  # fmt: skip


def _text_columns() -> tuple[str, ...]:
    """The actions' free text, as store.actions declares its columns."""
    from pledgetrack.store.actions import COLUMNS, Kind

    return tuple(c.name for c in COLUMNS if c.kind is Kind.TEXT)


def action_problems(store: Store, limit: int | None) -> list[Finding]:
    """Every action another tool wrote as `log` never does, from one scan of the actions
    (0.49 CPU s a million for the values, where the team and missing-time checks' two
    scans took 0.75; looking at every text cell adds about 1.2): a live one naming a team
    that is not its pledge's (the reports count it for the pledge's team, `actions --team`
    lists it under the other); one without the time its pledge is judged by (a response
    item with no received time is no item: a breach gone, red read green, ATTACK4 A8; any
    other with no time counts nowhere and is listed as open, A7); a received time or a delivery its
    pledge's target has no use for; a void reason without a void, or a void without its
    reason; and a text cell holding a NUL or bytes that are not UTF-8 (store.stored_text),
    a live one a problem, a voided one a note."""
    from pledgetrack.store import stored_text

    texts = _text_columns()
    flags = ", ".join(f"({sql})" for _, sql in _CAUSES)
    any_text = " OR ".join(stored_text.candidate_sql(f"a.{c}") for c in texts)
    sql = (
        f"SELECT a.id, p.ref, p.target_type, tp.code, ta.code, a.void_reason IS NULL, "  # noqa: S608  # our constants
        f"a.voided_at IS NOT NULL, {flags}, {any_text} FROM actions a "
        "JOIN pledges p ON p.id = a.pledge_id JOIN teams tp ON tp.id = p.team_id "
        "LEFT JOIN teams ta ON ta.id = a.team_id "
        f"WHERE {' OR '.join(f'({sql})' for _, sql in _CAUSES)} OR {any_text} ORDER BY a.id"
    )
    listed = {cause: Listed(limit) for cause, _ in (*_CAUSES, ("text", ""), ("void_text", ""))}
    text_rows: dict[int, bool] = {}  # the actions whose text SQL doubts: voided or not
    edited: dict[str, bool] = {}
    for action, ref, target, owner, other, reasonless, voided, *held in store.conn.execute(sql):
        *causes, text = held
        for (cause, _), hit in zip(_CAUSES, causes, strict=True):
            if hit and cause == "no_kind":
                if ref not in edited:
                    edited[ref] = _kind_given_since(store, ref)
                hit = not edited[ref]
            if hit:
                name, line = _action_line(cause, action, ref, target, owner, other, reasonless)
                listed[cause].add(name, f"stored value: {line}")
        if text:
            text_rows[action] = bool(voided)
    ids = list(text_rows)
    for i in range(0, len(ids), 500):  # far below SQLite's limit of placeholders
        chunk = ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        for row, column, value, wrong in stored_text.bad_cells(
            store, "actions", texts, f"id IN ({marks})", chunk
        ):
            said = f"actions.{column} of row {row} {wrong}: {stored_text.shown(value)}"
            way = stored_text.way_out("actions", column, row, voided=text_rows[row])
            listed["void_text" if text_rows[row] else "text"].add(
                f"row {row} ({column})", f"stored text: {said}; {way}"
            )
    each = "to correct each: void it and log it again (each action's line says how)"
    heads = {
        "other_team": "live actions name a team that is not their pledge's (actions.team_id): "
        "the reports count them for the pledge's team, the listings under the other",
        "no_time": "live actions lack the time their pledge is judged by (another tool "
        "cleared it): their figures are wrong",
        "received": "live actions hold a received time their pledge does not judge "
        "(actions.received_at)",
        "delivers": "live actions deliver a pledge that has no deadline (actions.delivers)",
        "reason": "live actions hold a void reason but were never voided (actions.void_reason)",
        "no_reason": "voided actions have no reason (actions.void_reason)",
        "no_kind": "live actions have no kind, on a pledge that counts only one kind and "
        "always has (actions.kind): they count nowhere",
        "text": "live actions hold text pledgetrack never writes (a NUL, or bytes not UTF-8)",
        "void_text": "voided actions hold text pledgetrack never writes (a NUL, or bytes not "
        "UTF-8)",
    }
    fixes = {
        "reason": "each line says how to correct it",
        "no_reason": "to correct each: pledgetrack void ID --reason '...' (records the reason)",
        "void_text": "each is void and counts nowhere; to read it, write the cell again as text",
    }
    findings: list[Finding] = []
    for cause, rows in listed.items():
        findings.extend(
            rows.found(
                f"stored value: {rows.count:,} {heads[cause]}",
                fixes.get(cause, each),
                kind="void" if cause == "void_text" else "mend",
            )
        )
    return findings


def _kind_given_since(store: Store, ref: str) -> bool:
    """Whether the audit log says the pledge's counted kind was set or changed after it
    was made (its actions logged before may have none), or cannot say (no log to read)."""
    try:
        found = store.conn.execute(
            "SELECT 1 FROM changes WHERE entity = 'pledge' AND entity_key = ? AND op NOT IN "
            "('insert', 'import') AND instr(old, '\"target_action_kind\"') > 0 LIMIT 1",
            (ref,),
        ).fetchone()
    except sqlite3.DatabaseError:  # a damaged log: db check names it
        return True
    return found is not None


def _action_line(
    cause: str, action: int, ref: str, target: str, owner: str, other: str | None,
    reasonless: bool,
) -> tuple[str, str]:
    """(the row's name in a cut line, its own line) for one action and cause."""
    void = f"pledgetrack void {action} --reason '...'"
    again = f"to correct it: {void}, then log it again"
    if cause == "other_team":
        return f"{action} ({ref})", (
            f"action {action} of {ref} names team {other} (actions.team_id), not {owner}, "
            f"whose pledge it is: the reports count it for {owner}, `actions --team {other}` "
            f"lists it; to correct it: {void}, and log it again against {ref}"
        )
    if cause == "no_time":
        column, why = (
            ("received_at", f"{ref} is a response pledge: the item cannot be judged")
            if target == "response"
            else ("occurred_at", f"{ref} is not a response pledge (only an open response "
                  "item has no time): it counts nowhere")
        )  # fmt: skip
        return f"{action} ({ref}, {column})", (
            f"actions.{column} of row {action} is empty, but {why}; {again}"
        )
    if cause == "received":
        return f"{action} ({ref})", (
            f"actions.received_at of row {action} is set, but {ref} is a {target} pledge "
            f"(log --received applies only to response pledges); {again}"
        )
    if cause == "delivers":
        return f"{action} ({ref})", (
            f"actions.delivers of row {action} is 1, but {ref} is a {target} pledge (log "
            f"--delivers applies only to deadline pledges); {again}"
        )
    if cause == "no_kind":
        return f"{action} ({ref})", (
            f"actions.kind of row {action} is empty, but {ref} counts only actions of its "
            f"kind, and has since it was made (log stores that kind for an action given "
            f"none): it counts nowhere; {again}"
        )
    if cause == "reason":
        return f"{action} ({ref})", (
            f"actions.void_reason of row {action} is set, but its voided_at is empty: it "
            f"counts; to correct it: {void} (if it was voided), or write the cell as NULL"
        )
    return f"{action} ({ref})", (
        f"actions.void_reason of row {action} is {'NULL' if reasonless else 'blank'}, but "
        f"action {action} is void: why is not recorded; to correct it: {void} (records "
        "the reason, its void time kept)"
    )


def refuse_untimed(
    store: Store, teams: Sequence[str] | None, start: date, end: date
) -> None:
    """Stop a report on `teams` (None: all) over `start`..`end` on a live action without
    the time its pledge is judged by (exit 3 naming the row, as db check lists it), rather
    than count it as something else: an action with no time at all (no period holds it:
    a patrol counted nowhere, ATTACK4 A7), or a response pledge's action done in the
    period with no received time (no item: its breach gone, A8).

    The first are found by one seek, not one per pledge: an action with neither time has
    no listing key (LISTED_ORDER_SQL is NULL), so they lie at the start of idx_actions_listed
    with the rows whose time is not one (normally none), each looked up. The second by
    each response pledge's own rows of the period in idx_actions_pledge_occurred. National
    October: 0.36 CPU s before (a seek a pledge, and every response action looked up for
    its received time), docs/performance.md."""
    marks = ", ".join("?" * len(teams or ()))
    of_teams = (
        f"p.team_id IN (SELECT id FROM teams WHERE code IN ({marks})) AND "  # noqa: S608  # marks
        if teams
        else ""
    )
    live = "a.voided_at IS NULL AND a.received_at IS NULL"
    untimed = (
        "SELECT a.id, p.ref, p.target_type FROM actions a JOIN pledges p ON p.id = a.pledge_id "  # noqa: S608  # marks
        f"WHERE {of_teams}{LISTED_ORDER_SQL} IS NULL AND a.occurred_at IS NULL AND {live}"
    )
    unreceived = (
        "SELECT a.id, p.ref, p.target_type FROM pledges p CROSS JOIN actions a "  # noqa: S608  # marks
        f"WHERE {of_teams}p.target_type = 'response' AND a.pledge_id = p.id "
        f"AND a.occurred_at >= ? AND a.occurred_at < ? AND {live}"
    )
    sql = f"SELECT * FROM ({untimed} UNION ALL {unreceived}) ORDER BY 1 LIMIT 1"  # noqa: S608  # ours
    after = (end + timedelta(days=1)).isoformat()
    params = (*(teams or ()), *(teams or ()), start.isoformat(), after)
    row = store.conn.execute(sql, params).fetchone()
    if row is not None:
        action, ref, target = row
        _, line = _action_line("no_time", action, ref, target, "", None, False)
        raise DatabaseError(f"{line}; see: pledgetrack db check")
