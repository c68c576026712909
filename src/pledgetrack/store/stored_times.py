"""Stored times that do not read as times: a row another tool wrote (`sqlite3`, a script).

pledgetrack writes only `YYYY-MM-DDTHH:MM:SS+HH:MM` and `YYYY-MM-DD` (domain.dates); a read
that meets anything else stops with one line naming the row and pointing to `db check`,
which lists every such row, rather than counting it wrong or failing with a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

from pledgetrack.domain.dates import FIRST_DAY, LAST_DAY, MAX_OFFSET
from pledgetrack.errors import DatabaseError
from pledgetrack.store.connection import Store

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
# The first and the last text of the stored form on FIRST_DAY..LAST_DAY (domain.dates):
# every time pledgetrack writes sorts between them (tests/test_stored_times.py), so a text
# outside (`14/10/2008 19:30`, `now`, `1224010200`) is in no period's range, and a report's
# aggregates, which select by range, would pass over it without a word
LOWEST = f"{FIRST_DAY.isoformat()}T00:00:00+00:00"
HIGHEST = f"{LAST_DAY.isoformat()}T23:59:59-{MAX_OFFSET.seconds // 3600:02d}:00"
_DIGITS = "[0-9][0-9]"
# the stored form exactly, a real local time (through a julian day and back gives the same
# text: 30 February moves to March, month 13 is NULL), an offset of at most 18 hours, on a
# day pledgetrack records
_TIME_OK = (
    "{col} GLOB '" + _DIGITS * 2 + f"-{_DIGITS}-{_DIGITS}T{_DIGITS}:{_DIGITS}:{_DIGITS}"
    "[+-]" + _DIGITS + ":[0-5][0-9]' "
    "AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr({col}, 1, 19))) IS substr({col}, 1, 19) "
    "AND substr({col}, 21, 2) <= '18' "
    f"AND {{col}} BETWEEN '{LOWEST}' AND '{HIGHEST}'"  # the days pledgetrack records
)
_DATE_OK = "strftime('%Y-%m-%d', julianday({col})) IS {col}"


def unreadable(table: str, column: str, row: object, text: object) -> DatabaseError:
    """The error for a read that meets a stored time it cannot read (exit 3); `row` is the
    row's id, or words for it where an aggregate read knows no id."""
    where = f"row {row}" if isinstance(row, int) else row
    return DatabaseError(
        f"{table}.{column} of {where} is not a time pledgetrack can read "
        f"({text!r}); see: pledgetrack db check"
    )


def refuse_unplaced(store: Store, teams: Sequence[str] | None) -> None:
    """Stop a report on `teams` (None: all) that would miss an action, naming the row (exit
    3): one not voided whose occurred_at sorts outside LOWEST..HIGHEST. Two seeks of the
    occurred_at index, whatever the size of the database."""
    marks = ", ".join("?" * len(teams or ()))
    of_teams = (
        f"AND p.team_id IN (SELECT id FROM teams WHERE code IN ({marks}))"  # noqa: S608  # marks
        if teams
        else ""
    )
    sql = f"""
        SELECT a.id, a.occurred_at FROM actions a JOIN pledges p ON p.id = a.pledge_id
        WHERE a.id IN (SELECT id FROM actions WHERE occurred_at < ?
                       UNION ALL SELECT id FROM actions WHERE occurred_at > ?)
          AND a.voided_at IS NULL {of_teams}
        ORDER BY a.id LIMIT 1
    """  # noqa: S608  # placeholders only
    found = store.conn.execute(sql, (LOWEST, HIGHEST, *(teams or ()))).fetchone()
    if found is not None:
        raise unreadable("actions", "occurred_at", *found)


def problems(store: Store, limit: int) -> list[str]:
    """Every stored time or date that is not in the stored form, one line each (up to
    `limit` per column)."""
    present = {
        (table, column)
        for table in {t for t, _ in TIMES + DATES}
        for (column,) in store.conn.execute(
            "SELECT name FROM pragma_table_info(?)", (table,)
        )
    }
    found: list[str] = []
    for checks, rule in ((TIMES, _TIME_OK), (DATES, _DATE_OK)):
        for table, column in checks:
            if (table, column) not in present:  # an older schema
                continue
            rows = store.conn.execute(
                f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL "  # noqa: S608  # our names
                f"AND NOT ({rule.format(col=column)}) ORDER BY id LIMIT ?",
                (limit,),
            )
            found.extend(
                f"stored time: {table}.{column} of row {i} is not in the stored form: {text!r}"
                for i, text in rows
            )
    return found
