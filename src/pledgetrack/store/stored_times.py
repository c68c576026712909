"""Stored times that do not read as times: a row another tool wrote (`sqlite3`, a script).

pledgetrack writes only `YYYY-MM-DDTHH:MM:SS+HH:MM` and `YYYY-MM-DD` (domain.dates); a read
that meets anything else stops with one line naming the row and pointing to `db check`,
which lists every such row, rather than counting it wrong or failing with a traceback.
A stored time is sound when both of its readers, Python and SQLite, read it as the same
instant (`readable_time`, the one definition); SQL only vouches for the plainly sound.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pledgetrack.domain.dates import FIRST_DAY, LAST_DAY, MAX_OFFSET
from pledgetrack.errors import SEE_DB_CHECK, DatabaseError
from pledgetrack.store.connection import Store
from pledgetrack.store.findings import Finding, finding, limited

# When an action belongs on the calendar: when it was done, or for an open item, received
CALENDAR_TIME_SQL = "COALESCE(a.occurred_at, a.received_at)"
# A listing's order, newest first: the instant (text order is wrong in the autumn's repeated
# hour), then the id. The key of the listings' indexes (schema 15, migrations: the same
# text), so `--limit 20` reads 20 rows from an index's end, not every row into a sort. Only
# a text beginning with a digit reaches julianday: SQLite refuses `now` (the clock) in an
# index, and would refuse another tool's write of it, or the upgrade of a file holding it.
# It is NULL for every action with neither time (stored_values.refuse_untimed seeks those).
LISTED_ORDER_SQL = (
    f"julianday(CASE WHEN {CALENDAR_TIME_SQL} GLOB '[0-9]*' THEN {CALENDAR_TIME_SQL} END)"
)

# the time columns a read turns into values, and the date columns
TIMES = (
    ("teams", "created_at"),
    ("pledges", "created_at"),
    ("actions", "occurred_at"),
    ("actions", "received_at"),
    ("actions", "voided_at"),
    ("actions", "created_at"),
    ("planned_meetings", "starts_at"),
    ("planned_meetings", "cancelled_at"),
    ("planned_meetings", "created_at"),
)
DATES = (
    ("pledges", "agreed_on"),
    ("pledges", "review_on"),
    ("pledges", "closed_on"),
    ("pledges", "target_due"),
)
# the dates every row has (pledge add and import set it): an empty one is not a date
# either (a pledge with no agreed date was in force in no period, and left every report)
REQUIRED_DATES = frozenset({("pledges", "agreed_on")})
# The first and the last text of the stored form on FIRST_DAY..LAST_DAY (domain.dates):
# every time pledgetrack writes sorts between them (tests/test_stored_times.py)
LOWEST = f"{FIRST_DAY.isoformat()}T00:00:00+00:00"
HIGHEST = f"{LAST_DAY.isoformat()}T23:59:59-{MAX_OFFSET.seconds // 3600:02d}:00"
# The stored form, as both readers read it: Python's datetime.fromisoformat and SQLite's
# date functions, which read a UTC offset of at most 14:59 (and Python reads `+01:60`).
_STORED_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-](?:0[0-9]|1[0-4]):[0-5][0-9]"
)
# What SQL passes as certainly readable (every other row is judged by readable_time, so
# this may only ever pass too little): text on the days pledgetrack records (a number
# sorts before any text, a blob after) of 25 bytes (no NUL, which ends the text for GLOB
# and julianday); julianday reads it, which, in the form's shape, leaves each field in
# SQLite's ranges (month 1-12, day 1-31, hour 0-24, minutes and seconds 0-59, an offset
# of 14:59 at most). What julianday lets by is hour 24 and a day past its month's end: a
# day to 28 and an hour other than x4 in the first pattern (most times), or else no hour
# 24 and a day its month has (29 February goes to Python, leap year or not). One scan of
# the table for all its time columns: a scan per column, each converting every time
# twice, was most of `db check` at ten million actions.
_TIME_PLAINLY_OK = (
    f"{{col}} BETWEEN '{LOWEST}' AND '{HIGHEST}' AND length(CAST({{col}} AS BLOB)) = 25 "
    "AND julianday({col}) IS NOT NULL "
    "AND ({col} GLOB '????-??-[0-2][0-8]T[0-2][0-35-9]:??:??[+-]??:??' "
    "OR ({col} GLOB '????-??-??T??:??:??[+-]??:??' AND substr({col}, 12, 2) < '24' "
    "AND (substr({col}, 9, 2) < '29' OR substr({col}, 6, 5) "
    "NOT IN ('02-29', '02-30', '02-31', '04-31', '06-31', '09-31', '11-31'))))"
)
# readable_time in SQL, exactly (tests/test_stored_times.py holds the two equal): the
# stored form on the days pledgetrack records, as text of 25 bytes (a number, a blob, a
# NUL, a character past ASCII is not), each field in its range, the day one its month has
# (through a julian day and back gives the same text; strftime of the text alone keeps
# 29 February 2007). Never NULL, so `NOT` of it
# holds for every unsound row; strftime sees only a text of the form (`now` would be
# refused in an index). Changing it needs a new migration: the partial index of the
# unsound rows (schema 11) is this text, and a query uses that index only when it
# repeats it exactly.
_SHAPE = (
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
    "[+-][01][0-9]:[0-5][0-9]"
)
SOUND_TIME_SQL = (
    "({col} IS NULL OR (typeof({col}) = 'text' AND length(CAST({col} AS BLOB)) = 25 "
    f"AND {{col}} GLOB '{_SHAPE}' "
    "AND substr({col}, 12, 2) < '24' AND substr({col}, 21, 2) <= '14' "
    f"AND {{col}} BETWEEN '{LOWEST}' AND '{HIGHEST}' "
    f"AND CASE WHEN {{col}} GLOB '{_SHAPE}' "
    "THEN strftime('%Y-%m-%d', julianday(substr({col}, 1, 10))) IS substr({col}, 1, 10) "
    "ELSE 0 END))"
)


def time_plainly_ok_sql(column: str) -> str:
    """SQL true where `column` holds a time certainly in the stored form (false may still
    be sound: readable_time judges those rows)."""
    return _TIME_PLAINLY_OK.format(col=column)


def unsound_sql(columns: Sequence[str]) -> str:
    """The rows where one of `columns` is not sound: the WHERE of a partial index."""
    return "NOT (" + " AND ".join(SOUND_TIME_SQL.format(col=c) for c in columns) + ")"


# the columns of actions whose stored form decides what a report counts: when it was done
# (its period, and a response item's wait from received_at, whose time zone both must
# carry) and whether an action counts at all (voided_at)
JUDGED = ("occurred_at", "received_at", "voided_at")
# the rows of actions where one of them is unsound: a partial index holds them (schema 14;
# schema 11's held received_at and voided_at only)
UNSOUND_JUDGED_SQL = unsound_sql(JUDGED)
# a real date in the stored form (through a julian day and back gives the same text: 30
# February moves to March, month 13 is NULL) on a day pledgetrack records (9999-12-31
# overflowed the agenda); the pledges' few dates are checked in SQL
_DATE_OK = (
    "strftime('%Y-%m-%d', julianday({col})) IS {col} "
    f"AND {{col}} BETWEEN '{FIRST_DAY.isoformat()}' AND '{LAST_DAY.isoformat()}'"
)


def readable_time(value: object) -> bool:
    """Whether a stored time reads as the same instant by both of its readers, on a day
    pledgetrack records: the stored form exactly (what domain.dates writes), a real local
    time, an offset SQLite reads. The one definition `db check` judges by."""
    if not isinstance(value, str) or _STORED_TIME.fullmatch(value) is None:
        return False
    if not LOWEST <= value <= HIGHEST:
        return False
    try:
        datetime.fromisoformat(value).astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


def unreadable(
    table: str,
    column: str,
    row: object,
    text: object,
    *,
    what: str = "time",
    voided: bool = False,
    pledge: str | None = None,
) -> DatabaseError:
    """The error for a read that meets a stored time (or date, or other `what`) it cannot
    read (exit 3), with the way out; `row` is the row's id, or words for it where an
    aggregate read knows no id; `voided`: an action voided already; `pledge`: the ref
    of a pledges row."""
    where = f"row {row}" if isinstance(row, int) else row
    return DatabaseError(
        f"{table}.{column} of {where} is not a {what} pledgetrack can read "
        f"({text!r}); {way_out(table, column, row, what, voided=voided, pledge=pledge)}"
        f"{SEE_DB_CHECK}"
    )


# the stored form, as a user may write it into a cell another tool got wrong
_STORED_FORMS = {"time": "2008-10-14T09:00:00+01:00", "date": "2008-10-14"}
# what an action's value may be, for a voided action's cell (a live one is voided)
_VALUE_FORMS = {"number of hours": "0, or 0.01 to 8784", "flag (0 or 1)": "0 or 1"}
# the pledges' dates `pledge edit` sets, and so repairs where another tool wrote them wrong
EDITED_DATES = {"agreed_on": "--agreed", "review_on": "--review"}


def way_out(
    table: str,
    column: str,
    row: object,
    what: str = "time",
    *,
    voided: bool = False,
    pledge: str | None = None,
) -> str:
    """How to mend a cell a read refuses, ending `; ` (or nothing): an action is voided,
    which reads none of its other values, and logged again (mistakes are voided, never
    edited); a pledge's agreed or review date is set again with `pledge edit`; a voided
    action's cell, or another row's time or date, is written in the stored form (never
    guessed from the text: `03/04` is two days)."""
    if table == "actions" and isinstance(row, int) and not voided:
        again = " if it should count" if column == "voided_at" else ""
        return f"to correct it: pledgetrack void {row} --reason '...', then log it again{again}; "
    if table == "pledges" and pledge is not None and column in EDITED_DATES:
        edit = f"pledgetrack pledge edit {pledge} {EDITED_DATES[column]} DD/MM/YYYY"
        return f"to correct it: {edit}; "
    void = f"action {row} is void and counts nowhere; to read it, " if voided else ""
    if what in _STORED_FORMS:
        return f"{void}write the cell as stored, like {stored_form(what)}; "
    if what in _VALUE_FORMS and voided:
        return f"{void}write the cell as {_VALUE_FORMS[what]}; "
    return ""


def refuse_unplaced(store: Store, teams: Sequence[str] | None) -> None:
    """Stop a report on `teams` (None: all) on an action it would count by text it does
    not read, naming the row and column (exit 3): not voided, one whose occurred_at is not
    in the stored form (`14/10/2008 19:30` fell in no period; `2008-10-30T21:00:00`, no
    offset, failed the wait's sum; `2008-10-28Tgarbage` counted by its day), or whose
    received_at is not (the item's period and wait); or one whose voided_at is not (is it
    void? `''` or `0` may mean not). The rows come from the partial index of unsound rows
    (schema 14), one seek, normally of none."""
    marks = ", ".join("?" * len(teams or ()))
    of_teams = (
        f"AND p.team_id IN (SELECT id FROM teams WHERE code IN ({marks}))"  # noqa: S608  # marks
        if teams
        else ""
    )
    sql = f"""
        SELECT a.id, a.occurred_at, a.received_at, a.voided_at
        FROM actions a JOIN pledges p ON p.id = a.pledge_id
        WHERE a.id IN (SELECT id FROM actions WHERE {UNSOUND_JUDGED_SQL}) {of_teams}
        ORDER BY a.id
    """  # noqa: S608  # our constants and placeholders only
    for row, occurred, received, voided in store.conn.execute(sql, tuple(teams or ())):
        if voided is not None:
            if not readable_time(voided):
                raise unreadable("actions", "voided_at", row, voided)
            continue
        for column, text in (("occurred_at", occurred), ("received_at", received)):
            if text is not None and not readable_time(text):
                raise unreadable("actions", column, row, text)


def problems(store: Store, limit: int | None, *, mend: bool = True) -> list[Finding]:
    """Every stored time or date that is not in the stored form, one Finding per column
    (and, for actions, voided or not: the way to correct it differs), each counting
    every such row and listing the first `limit` (None: all), each line saying how to
    correct it unless not `mend`."""
    present = {
        (table, column)
        for table in {t for t, _ in TIMES + DATES}
        for (column,) in store.conn.execute(
            "SELECT name FROM pragma_table_info(?)", (table,)
        )
    }
    # (table, column, voided): [count, [(row id, text)]]
    found: dict[tuple[str, str, bool], list[Any]] = {}

    def add(table: str, column: str, voided: bool, row_id: int, text: object) -> None:
        held = found.setdefault((table, column, voided), [0, []])
        held[0] += 1
        if limit is None or len(held[1]) < limit:
            held[1].append((row_id, text, None))

    # every fragment below is one of our own names or constants
    for table in dict.fromkeys(t for t, _ in TIMES):
        columns = [c for t, c in TIMES if t == table and (t, c) in present]
        if not columns:  # an older schema
            continue
        sound = " AND ".join(
            f"({c} IS NULL OR ({time_plainly_ok_sql(c)}))" for c in columns
        )
        rows = store.conn.execute(  # the rows SQL cannot vouch for; Python judges each
            f"SELECT id, {', '.join(columns)} FROM {table} WHERE NOT ({sound}) ORDER BY id"  # noqa: S608
        )
        void_at = columns.index("voided_at") if "voided_at" in columns else None
        for row_id, *values in rows:
            voided = void_at is not None and readable_time(values[void_at])
            for column, text in zip(columns, values, strict=True):
                if text is not None and not readable_time(text):
                    add(table, column, voided, row_id, text)
    for table, column in DATES:
        if (table, column) not in present:
            continue
        empty = "1" if (table, column) in REQUIRED_DATES else "0"
        unsound = (
            f"FROM {table} WHERE CASE WHEN {column} IS NULL THEN {empty} "  # our names
            f"ELSE NOT ({_DATE_OK.format(col=column)}) END"
        )
        n = store.conn.execute(f"SELECT COUNT(*) {unsound}").fetchone()[0]
        if n:
            ref = "ref" if table == "pledges" else "NULL"
            found[(table, column, False)] = [n, store.conn.execute(
                f"SELECT id, {column}, {ref} {unsound} ORDER BY id LIMIT ?",
                (limited(limit),),
            ).fetchall()]  # fmt: skip
    order = {key: i for i, key in enumerate(TIMES + DATES)}
    return [
        _finding(table, column, voided, count, held, mend)
        for (table, column, voided), (count, held) in sorted(
            found.items(), key=lambda item: (order[item[0][:2]], item[0][2])
        )
    ]


def _finding(
    table: str,
    column: str,
    voided: bool,
    count: int,
    held: Sequence[tuple[int, object, str | None]],
    mend: bool,
) -> Finding:
    what = "date" if (table, column) in DATES else "time"
    if table == "pledges" and column in EDITED_DATES:
        fix = f"to correct each: pledgetrack pledge edit REF {EDITED_DATES[column]} DD/MM/YYYY"
    elif table == "actions" and not voided:
        fix = (
            "to correct each: pledgetrack void ID --reason '...', then log it again (or "
            f"write the cell as stored, like {stored_form(what)})"
        )
    elif voided:
        fix = (
            "each is void and counts nowhere; to read it, write the cell as stored, like "
            f"{stored_form(what)}"
        )
    else:
        fix = f"write each cell as stored, like {stored_form(what)}"
    of = f"{'voided ' if voided else ''}rows"
    return finding(
        count,
        [_line(table, column, i, text, voided, mend, ref) for i, text, ref in held],
        f"stored time: {table}.{column} of {count:,} {of} is not in the stored form",
        [f"row {i} ({ref + ', ' if ref else ''}{text!r})" for i, text, ref in held],
        fix if mend else "",
        kind="void" if voided else "mend",
    )


def _line(
    table: str,
    column: str,
    row: int,
    text: object,
    voided: bool,
    mend: bool,
    pledge: str | None = None,
) -> str:
    line = f"stored time: {table}.{column} of row {row} is not in the stored form: {text!r}"
    if text is None:  # REQUIRED_DATES
        line = f"stored time: {table}.{column} of row {row} is empty, but every row has one"
    if not mend:
        return line
    what = "date" if (table, column) in DATES else "time"
    fix = way_out(table, column, row, what, voided=voided, pledge=pledge).removesuffix("; ")
    if table == "actions" and not voided:
        fix += f" (or write the cell as stored, like {stored_form(what)})"
    return f"{line}; {fix}"


def stored_form(what: str = "time") -> str:
    """An example of the stored form of a time (or a `date`), for a message."""
    return _STORED_FORMS[what]
