"""Actions table: logging, responding, voiding and listing. Rows are never deleted.

Its columns are declared once, in COLUMNS: the SQL that reads and writes them, the
mapping to and from `Action`, what makes two actions the same, what `export actions`
writes (and `--redact` empties) and the table in docs/export-schema.md all follow from it
(tests/test_action_columns.py holds the SQL, the schema and the docs to it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from json.encoder import encode_basestring
from math import isfinite
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from pledgetrack.domain.dates import format_datetime
from pledgetrack.domain.models import Action, normalise_code, ref_key
from pledgetrack.domain.vocabulary import normalise_kind
from pledgetrack.errors import DatabaseError, NotFoundError
from pledgetrack.store.connection import Store, change_json
from pledgetrack.store.pledges import pledge_id
from pledgetrack.store.stored_times import CALENDAR_TIME_SQL, LISTED_ORDER_SQL
from pledgetrack.store.teams import team_id


class Kind(Enum):
    """What a column holds, which says how a model value is stored and read back."""

    ID = "id"  # a number the database gives
    CODE = "code"  # a team code or pledge ref, stored as that row's id, read by a join
    TIME = "time"  # an aware datetime, stored as ISO 8601 text with its offset
    TEXT = "text"
    NUMBER = "number"
    FLAG = "flag"  # a bool, stored as 0 or 1


class Column(NamedTuple):
    """One column of the actions table, as every use of it sees it.

    A NamedTuple, like ActionFilter: defined in a fraction of a frozen dataclass's time at
    import, which every `log` pays (docs/performance.md, Start-up)."""

    name: str  # in the actions table
    sql_type: str  # as the schema declares it
    export: str  # its column in `export actions`, which `import actions` reads back
    field: str  # the Action field it holds; "" for the bookkeeping created_at
    kind: Kind
    doc_type: str  # docs/export-schema.md: type, meaning, example
    meaning: str
    example: str
    joined: str = ""  # the SQL that reads it, when that is not a.<name>
    entry: bool = False  # given when an action is logged: what `log` writes and audits
    content: bool = False  # part of what makes two actions the same one (duplicates)
    redact: bool = False  # emptied by `export actions --redact`: may name people
    verbatim: bool = False  # free text, kept exactly as given, spaces at either end too
    imported: bool = True  # read by `import actions` (else the receiving database's own)

    @property
    def sql(self) -> str:
        return self.joined or f"a.{self.name}"


COLUMNS: tuple[Column, ...] = (
    Column("id", "INTEGER", "id", "id", Kind.ID, "integer",
           "action id in the exporting database (ignored by import)", "17", imported=False),
    Column("team_id", "INTEGER", "team", "team", Kind.CODE, "text", "team code", "CW01",
           joined="t.code"),
    Column("pledge_id", "INTEGER", "pledge", "pledge", Kind.CODE, "text", "pledge reference",
           "CW01-L2", joined="p.ref"),
    Column("occurred_at", "TEXT", "when", "occurred_at", Kind.TIME, "time, may be empty",
           "when it was done; empty for an open response item", "2008-10-03T19:30:00+01:00",
           entry=True, content=True),
    Column("received_at", "TEXT", "received", "received_at", Kind.TIME, "time, may be empty",
           "response pledges: when the message or call came in", "2008-10-02T09:00:00+01:00",
           entry=True, content=True),
    Column("description", "TEXT", "description", "description", Kind.TEXT, "text", "what was done",
           "Resident report by email", entry=True, content=True, redact=True, verbatim=True),
    Column("kind", "TEXT", "kind", "kind", Kind.TEXT, "text, may be empty",
           "kind of action, e.g. `patrol`; frequency targets may count only one kind",
           "patrol", entry=True, content=True),
    Column("officer", "TEXT", "officer", "officer", Kind.TEXT, "text, may be empty", "who did it",
           "PCSO Begum", entry=True, content=True, redact=True, verbatim=True),
    Column("partner", "TEXT", "partner", "partner", Kind.TEXT, "text, may be empty",
           "partner agency involved", "Leicester City Council", entry=True, content=True,
           verbatim=True),
    Column("hours", "REAL", "hours", "hours", Kind.NUMBER, "number, may be empty",
           "hours spent", "7.5", entry=True, content=True),
    Column("abstracted", "INTEGER", "abstracted", "abstracted", Kind.FLAG, "integer 0 or 1",
           "1: the hours were taken away from the neighbourhood", "0", entry=True, content=True),
    Column("ext_ref", "TEXT", "ref", "ext_ref", Kind.TEXT, "text, may be empty",
           "external id (incident or message number), whatever its case (`INC1` is `inc1`); "
           "several actions may share one (schema 17)", "INC-20081003-0042",
           entry=True),
    Column("voided_at", "TEXT", "voided_at", "voided_at", Kind.TIME, "time, may be empty",
           "when the action was voided; it no longer counts", "2008-10-16T15:00:00+01:00"),
    Column("void_reason", "TEXT", "void_reason", "void_reason", Kind.TEXT, "text, may be empty",
           "why it was voided", "Logged against the wrong pledge", redact=True, verbatim=True),
    Column("created_at", "TEXT", "created_at", "", Kind.TIME, "time",
           "when it was recorded in the exporting database (ignored by import)",
           "2008-10-03T19:42:10+01:00", imported=False),
    Column("highlight", "INTEGER", "highlight", "highlight", Kind.FLAG, "integer 0 or 1",
           "1: a notable outcome (`log --highlight`), quoted in the team's public update; "
           "added after 0.1.0", "1", entry=True),
    Column("delivers", "INTEGER", "delivers", "delivers", Kind.FLAG, "integer 0 or 1",
           "1: this action delivers a deadline pledge (`log --delivers`); any other action "
           "is progress; added after 0.1.0", "1", entry=True),
)  # fmt: skip

# The raw log as `export actions` writes it (docs/export-schema.md): append, never reorder.
EXPORT_COLUMNS = tuple(c.export for c in COLUMNS)
REDACTED_COLUMNS = tuple(c.export for c in COLUMNS if c.redact)
IMPORTED_COLUMNS = tuple(c for c in COLUMNS if c.imported)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# How a model value other than None is stored (None: as it is), and how a stored value is
# read back
_DUMP: dict[Kind, Callable[[Any], Any] | None] = {Kind.TIME: format_datetime, Kind.FLAG: int}
_LOAD: dict[Kind, Callable[[Any], Any] | None] = {Kind.TIME: _time, Kind.FLAG: bool}

_FROM = " FROM actions a JOIN teams t ON t.id = a.team_id JOIN pledges p ON p.id = a.pledge_id"
# Every column in COLUMNS order, for listing and export alike (our own names, no values)
_SELECT = f"SELECT {', '.join(c.sql for c in COLUMNS)}{_FROM}"
_SELECT_REDACTED = f"SELECT {', '.join('NULL' if c.redact else c.sql for c in COLUMNS)}{_FROM}"
# When an action belongs on the calendar, and a listing's order (stored_times: the reports'
# check for actions with no time seeks the same index)
_WHEN = CALENDAR_TIME_SQL
# Which period's figures an action counts in (entry_rules.counted_at, the same rule in
# Python; tests/test_export_by_period.py holds the two equal): a response item by when it
# came in, as compliance judges it (queries.response_stats), any other by when it was done
COUNTED_SQL = "COALESCE(a.received_at, a.occurred_at)"
# How far a sound stored time's instant lies from its local wall-clock time: its offset is
# at most 14:59 (stored_times; a listing refuses any other row first). A listing's days
# bound the instant this much wider, so the index gives the range; the day itself is
# still judged by the stored text's date.
_WIDEST_OFFSET = timedelta(hours=15)

_VOIDED_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.name == "voided_at")
_READ = tuple((i, c.field, _LOAD.get(c.kind)) for i, c in enumerate(COLUMNS) if c.field)
# The columns stored from the model's own values (not the id, team, pledge or created_at)
_VALUED = tuple(c for c in COLUMNS if c.kind not in (Kind.ID, Kind.CODE) and c.field)
_VALUES = attrgetter(*(c.field for c in _VALUED))
_DUMPS = tuple(_DUMP.get(c.kind) for c in _VALUED)
_ENTRY = tuple(i for i, c in enumerate(_VALUED) if c.entry)
_VOID = tuple(i for i, c in enumerate(_VALUED) if not c.entry)
# What makes two actions the same one, as stored (ext_ref and bookkeeping aside)
_CONTENT = tuple(c.name for c in _VALUED if c.content)
_CONTENT_AT = tuple(i for i, c in enumerate(_VALUED) if c.content)


def _to_action(row: Sequence[Any], *, as_stored: bool = False) -> Action:
    """An action from a row read by _SELECT; `as_stored`: its values not checked again
    (db check, which judges a row another tool may have written)."""
    try:
        fields = {field: row[i] if load is None else load(row[i]) for i, field, load in _READ}
        return Action.from_trusted(**fields) if as_stored else Action(**fields)
    except ValueError:  # a value another tool wrote: name it (exit 3), not a traceback
        from pledgetrack.store.stored_times import readable_time, unreadable  # not on log's path
        from pledgetrack.store.stored_values import out_of_range

        voided = readable_time(row[_VOIDED_COLUMN])  # then voiding it is no way out
        for i, _, load in _READ:
            if load is _time:
                try:
                    _time(row[i])
                except ValueError:
                    raise unreadable(
                        "actions", COLUMNS[i].name, row[0], row[i], voided=voided
                    ) from None
        for i, column in enumerate(COLUMNS):
            if (what := out_of_range(column.name, row[i])) is not None:
                raise unreadable(
                    "actions", column.name, row[0], row[i], what=what, voided=voided
                ) from None
        raise


def stored_values(action: Action) -> tuple[Any, ...]:
    """The action's own values as the _VALUED columns store them."""
    values = _VALUES(action)
    return tuple(
        [
            value if dump is None or value is None else dump(value)
            for dump, value in zip(_DUMPS, values, strict=True)
        ]
    )


def _to_row(action: Action) -> dict[str, Any]:
    """What `log` writes: the entry columns by name."""
    values = stored_values(action)
    return {_VALUED[i].name: values[i] for i in _ENTRY}


# A team's other live actions holding a ref, whatever its case (`INC1` finds `inc1`:
# domain.models.ref_key), oldest first: one seek on the NOCASE index (schema 12)
_BY_REF = (
    "SELECT id FROM actions "
    "WHERE team_id = ? AND ext_ref = ? COLLATE NOCASE AND voided_at IS NULL AND id != ? "
    "ORDER BY id LIMIT ?"
)


def others_with_ref(store: Store, action_id: int, limit: int = 3) -> tuple[str, list[int]] | None:
    """(its ref, the team's other live actions holding it) of an action that has one, at
    most `limit` of them: one incident or crime number is often on several actions (a
    patrol, then a message about it: FRESH4 G16), so `log` says so rather than refusing.
    A voided action gives its ref up. None: no ref, or no other action holds it."""
    row = store.conn.execute(
        "SELECT team_id, ext_ref FROM actions WHERE id = ? AND voided_at IS NULL", (action_id,)
    ).fetchone()
    if row is None or row[1] is None:
        return None
    ids = [int(r[0]) for r in store.conn.execute(_BY_REF, (row[0], row[1], action_id, limit))]
    return (str(row[1]), ids) if ids else None


def add_action(store: Store, action: Action) -> int:
    """Insert one action and its audit entry; returns the new id."""
    with store.write():
        row = _to_row(action)
        new_id = store.insert(
            "actions",
            {
                **row,
                "team_id": team_id(store, action.team),
                "pledge_id": pledge_id(store, action.pledge),
                "created_at": store.now_text(),
            },
        )
        store.log_change("action", str(new_id), "insert", None, {"pledge": action.pledge, **row})
    return new_id


# Which rows of an import batch repeat a stored action: the batch goes into a temporary
# table and meets the actions table in one join per rule (placeholders and our own names).
_BATCH_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS import_batch "
    f"(pos INTEGER PRIMARY KEY, team_id, pledge_id, ref, {', '.join(_CONTENT)})"
)
_BATCH_MARKS = ", ".join("?" for _ in range(4 + len(_CONTENT)))
_BATCH_INSERT = f"INSERT INTO temp.import_batch VALUES ({_BATCH_MARKS})"  # noqa: S608  # placeholders
# An imported row with a ref is the stored live action of its identity (ref_identity):
# its team, ref whatever its case (domain.models.ref_key), pledge, and times done and
# received (several actions may share a ref: FRESH4 G16); the oldest
_STORED_BY_REF = (
    "SELECT b.pos, min(a.id) FROM temp.import_batch b JOIN actions a "
    "ON a.team_id = b.team_id AND a.ext_ref = b.ref COLLATE NOCASE AND a.voided_at IS NULL "
    "AND +a.pledge_id = b.pledge_id AND +a.occurred_at IS b.occurred_at "
    "AND +a.received_at IS b.received_at "
    "AND a.id <= ? WHERE b.ref IS NOT NULL GROUP BY b.pos"
)
# A row with a ref, done, whose identity but its `when` is a stored item still open: the
# item answered since it was exported, not another action (an import never changes one)
_ANSWERED_SINCE = (
    "SELECT b.pos, min(a.id), a.ext_ref FROM temp.import_batch b JOIN actions a "
    "ON a.team_id = b.team_id AND a.ext_ref = b.ref COLLATE NOCASE AND a.voided_at IS NULL "
    "AND +a.pledge_id = b.pledge_id AND +a.received_at IS b.received_at "
    "AND +a.occurred_at IS NULL AND a.id <= ? "
    "WHERE b.ref IS NOT NULL AND b.received_at IS NOT NULL AND b.occurred_at IS NOT NULL "
    "GROUP BY b.pos"
)
# the planner would pick the received_at index (NULL on most rows, so a scan): a unary +
# keeps every column but occurred_at off the index, leaving (pledge_id, occurred_at)
_SAME_FIELDS = "".join(
    f"AND {'' if column == 'occurred_at' else '+'}a.{column} IS b.{column} " for column in _CONTENT
)
_STORED_BY_CONTENT = (
    "SELECT b.pos, MIN(a.id), COUNT(*) FROM temp.import_batch b JOIN actions a "  # noqa: S608
    f"ON a.pledge_id = b.pledge_id {_SAME_FIELDS}AND a.id <= ? WHERE b.ref IS NULL GROUP BY b.pos"
)


def last_id(store: Store) -> int:
    return int(store.conn.execute("SELECT COALESCE(MAX(id), 0) FROM actions").fetchone()[0])


def same_moment(store: Store, action_id: int) -> int | None:
    """The oldest other live action of the same pledge and kind at the same moment as
    action `action_id` (its time done, or for an open item its time received), if any:
    the likely first entry when a sergeant logs one thing twice. Two officers named, and
    not the same, are two entries (each officer's shift starting at 07:00), as are
    contacts with two victims' cases (FRESH4 G3). A seek on idx_actions_pledge_occurred,
    the covering index the reports read (tests/test_query_plans.py)."""
    conn = store.conn
    row = conn.execute(
        "SELECT pledge_id, occurred_at, received_at, kind, officer FROM actions WHERE id = ?",
        (action_id,),
    ).fetchone()
    if row is None:
        return None
    pledge, occurred, received, kind, officer = row
    args = (pledge, occurred, kind, occurred, received, action_id, officer, officer, action_id)
    found = conn.execute(SAME_MOMENT, args).fetchone()
    return None if found is None else int(found[0])


# an officer's name compared as people read it (`pc hughes` is PC Hughes); the case of a
# victim's contact by its key (the same case, or none on either)
SAME_MOMENT = (
    "SELECT id FROM actions INDEXED BY idx_actions_pledge_occurred "
    "WHERE pledge_id = ? AND occurred_at IS ? AND kind IS ? "
    "AND (? IS NOT NULL OR received_at IS ?) AND id != ? AND voided_at IS NULL "
    "AND (? IS NULL OR officer IS NULL OR lower(trim(officer)) = lower(trim(?))) "
    "AND (SELECT case_ref FROM victim_contacts WHERE action_id = actions.id) "
    "IS (SELECT case_ref FROM victim_contacts WHERE action_id = ?) "
    "ORDER BY id LIMIT 1"
)


def get_action(store: Store, action_id: int) -> Action:
    row = store.conn.execute(f"{_SELECT} WHERE a.id = ?", [action_id]).fetchone()  # our text
    if row is None:
        raise NotFoundError(f"unknown action {action_id} (see: pledgetrack actions)")
    return _to_action(row)


def void_of(store: Store, action_id: int) -> str | None:
    """The reason an action was voided, or None while it counts: its void alone is read,
    so that `void` reaches a row whose other values another tool wrote wrong (which is how
    `db check` says to mend one). A voided_at not in the stored form (`''`, `0`: void or
    not?) is no void: voiding it again writes one in the stored form."""
    from pledgetrack.store.stored_times import readable_time  # not on log's path

    row = store.conn.execute(
        "SELECT voided_at, void_reason FROM actions WHERE id = ?", (action_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"unknown action {action_id} (see: pledgetrack actions)")
    voided_at, reason = row
    if voided_at is None or not readable_time(voided_at):
        return None
    return "" if reason is None else str(reason)


def set_fields(store: Store, action_id: int, fields: dict[str, Any], *, op: str) -> None:
    """Respond or void: the only two ways an action changes after it is logged (a respond
    may also keep what dealt with the item in its description: a final victim-update)."""
    with store.write():
        # only the cells it changes: another of the row's cells may be text no read
        # decodes (voiding is how such a row is mended)
        names = ", ".join(fields)
        row = store.conn.execute(
            f"SELECT {names} FROM actions WHERE id = ?", (action_id,)  # noqa: S608  # our names
        ).fetchone()
        before = dict(zip(fields, row, strict=True))
        store.conn.execute(
            f"UPDATE actions SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",  # noqa: S608  # our names
            (*fields.values(), action_id),
        )
        store.log_change("action", str(action_id), op, {k: before[k] for k in fields}, dict(fields))


def live_actions_outside(
    store: Store, ref: str, before: date | None, after: date | None
) -> list[Action]:
    """The unvoided actions of pledge `ref` with a stored day on or before `before`, or on
    or after `after` (None: no bound): those a new agreed or closing day may leave outside
    the pledge's life, a day either side included so that entry_rules.check_keeps_actions
    alone judges the boundary. Oldest first."""
    bounds: list[str] = []
    params: list[Any] = [pledge_id(store, normalise_code(ref))]
    for bound, test in ((before, "<="), (after, ">=")):
        if bound is not None:
            days = ("substr(a.received_at, 1, 10)", "substr(a.occurred_at, 1, 10)")
            bounds.extend(f"{day} {test} ?" for day in days)
            params.extend([bound.isoformat()] * 2)
    if not bounds:
        return []
    where = f"a.pledge_id = ? AND a.voided_at IS NULL AND ({' OR '.join(bounds)})"
    sql = f"{_SELECT} WHERE {where} ORDER BY julianday({_WHEN}), a.id"  # placeholders only
    return [_to_action(r) for r in store.conn.execute(sql, params)]


def readable_actions(store: Store, ids: Sequence[int]) -> Iterator[Action]:
    """The actions with these ids, in id order, as stored (not checked again), leaving out
    any whose times do not read: `db check` lists those as stored times."""
    for start in range(0, len(ids), 500):  # within SQLite's bound variables
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        sql = f"{_SELECT} WHERE a.id IN ({marks}) ORDER BY a.id"  # placeholders only
        for row in store.conn.execute(sql, chunk):
            try:
                yield _to_action(row, as_stored=True)
            except DatabaseError:
                continue


class ActionFilter(NamedTuple):
    team: str | None = None
    pledge: str | None = None
    start: date | None = None  # inclusive, local calendar date
    end: date | None = None  # inclusive
    kind: str | None = None
    include_void: bool = False
    limit: int | None = None
    # start/end select by the period an action counts in (COUNTED_SQL: export actions, a
    # period's feed), not by when it is listed (a listing's When)
    counted: bool = False


def _conditions(store: Store, flt: ActionFilter) -> tuple[list[str], list[Any]]:
    """WHERE clauses (our constant text) and their bound values for a filter."""
    clauses: list[str] = []
    params: list[Any] = []
    # SQLite has no statistics (docs/performance.md, ANALYZE): the narrower scope's index
    # is named by keeping the wider one's term off the indexes (a unary `+`): a pledge's
    # rows before its team's, a team's before a kind's (72,000 rows of a kind for 20 of
    # one team's, at ten million)
    if flt.team is not None:
        clauses.append("+a.team_id = ?" if flt.pledge is not None else "a.team_id = ?")
        params.append(team_id(store, flt.team))
    if flt.pledge is not None:
        clauses.append("a.pledge_id = ?")
        params.append(pledge_id(store, normalise_code(flt.pledge)))
    day = COUNTED_SQL if flt.counted else _WHEN
    if flt.start is not None:
        clauses.append(f"{day} >= ?")
        params.append(flt.start.isoformat())
    if flt.end is not None:
        clauses.append(f"{day} < ?")
        params.append((flt.end + timedelta(days=1)).isoformat())
    if flt.kind is not None:
        scoped = flt.team is not None or flt.pledge is not None
        clauses.append("+a.kind = ?" if scoped else "a.kind = ?")
        params.append(normalise_kind(flt.kind))  # as log stores it: `Patrol ` is a patrol
    if not flt.include_void:
        clauses.append("a.voided_at IS NULL")
    return clauses, params


def _instant(day: date, beyond: timedelta) -> str:
    """The UTC instant `beyond` past the day's midnight, for julianday()."""
    return (datetime.combine(day, time(), tzinfo=UTC) + beyond).isoformat()


def _refuse_unread(store: Store, flt: ActionFilter, teams: Sequence[str] = ()) -> None:
    """A listing stops where a report would (stored_times.refuse_unplaced, exit 3 naming
    the row): an action of its teams whose voided_at is not in the stored form was hidden
    as void by the SQL and shown as done by the model, one row two answers; a received_at
    or occurred_at not in it was shown raw, or failed, depending on the text."""
    from pledgetrack.store.stored_times import refuse_unplaced  # not on log's path

    if flt.team is not None:
        teams = (*teams, flt.team)
    elif flt.pledge is not None:  # a pledge's ref begins with its team's code
        teams = (*teams, normalise_code(flt.pledge).rsplit("-", 1)[0])
    refuse_unplaced(store, list(teams) or None)


def list_actions(store: Store, flt: ActionFilter) -> list[Action]:
    """Newest first. Stored times are local with offset, so date prefixes compare as dates."""
    clauses, params = _conditions(store, flt)
    # the days as a range of the listing indexes' key too (the text above judges the day)
    if flt.start is not None:
        clauses.append(f"{LISTED_ORDER_SQL} >= julianday(?)")
        params.append(_instant(flt.start, -_WIDEST_OFFSET))
    if flt.end is not None:
        clauses.append(f"{LISTED_ORDER_SQL} < julianday(?)")
        params.append(_instant(flt.end + timedelta(days=1), _WIDEST_OFFSET))
    _refuse_unread(store, flt)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    limit = ""
    if flt.limit is not None:
        limit = " LIMIT ?"
        params.append(flt.limit)
    # from an index's end (schema 15): the whole log by LISTED_ORDER_SQL, a team's or a
    # kind's by theirs; a pledge's own rows (idx_actions_pledge_occurred) are sorted
    sql = f"{_SELECT}{where} ORDER BY {LISTED_ORDER_SQL} DESC, a.id DESC{limit}"  # placeholders
    return [_to_action(r) for r in store.conn.execute(sql, params)]


def iter_export_rows(
    store: Store,
    flt: ActionFilter,
    teams: Sequence[str] = (),
    redact: bool = False,
    after: Sequence[str] = (),
) -> Iterator[tuple[Any, ...]]:
    """Stored rows in EXPORT_COLUMNS order, oldest id first, straight off a cursor; with
    `redact`, REDACTED_COLUMNS are read as NULL (still a cursor: the CSV writer's fast path).
    `after`: SQL expressions of `a` and `p` read after those columns (store.national's
    details).

    Unknown teams are refused here, before the first row, so nothing half-written follows.
    """
    clauses, params = _conditions(store, flt)
    if teams:
        ids = [team_id(store, code) for code in dict.fromkeys(teams)]
        clauses.append(f"a.team_id IN ({', '.join('?' for _ in ids)})")
        params.extend(ids)
    _refuse_unread(store, flt, teams)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    select = _SELECT_REDACTED if redact else _SELECT
    if after:
        head = select.removesuffix(_FROM)
        select = f"{head}, {', '.join(after)}{_FROM}"
    # placeholders only: the clause text is ours, every value is bound
    return store.conn.execute(f"{select}{where} ORDER BY a.id", params)


class NewAction(NamedTuple):
    """A validated action with its row ids resolved and its values as stored, ready for
    the bulk insert (`of` computes them once, for the duplicate check and the insert)."""

    team_id: int
    pledge_id: int
    action: Action
    values: tuple[Any, ...]

    @classmethod
    def of(cls, team_key: int, pledge_key: int, action: Action) -> NewAction:
        return cls(team_key, pledge_key, action, stored_values(action))


class NewActions:
    """Validated actions on their way in, as parallel lists: their row ids, their pledge's
    ref (for the audit entry) and their values as stored (stored_values' form). A plain
    class: `log` imports this module, and a dataclass costs its definition at import."""

    __slots__ = ("pledge_ids", "pledges", "team_ids", "values")

    def __init__(
        self,
        team_ids: list[int] | None = None,
        pledge_ids: list[int] | None = None,
        pledges: list[str] | None = None,
        values: list[tuple[Any, ...]] | None = None,
    ) -> None:
        self.team_ids: list[int] = team_ids or []
        self.pledge_ids: list[int] = pledge_ids or []
        self.pledges: list[str] = pledges or []
        self.values: list[tuple[Any, ...]] = values or []

    def __len__(self) -> int:
        return len(self.values)

    def take(self, count: int) -> NewActions:
        """The first `count`, removed from these."""
        taken = NewActions(self.team_ids[:count], self.pledge_ids[:count], self.pledges[:count])
        taken.values = self.values[:count]
        del self.team_ids[:count], self.pledge_ids[:count], self.pledges[:count]
        del self.values[:count]
        return taken


def stored_rows(fields: Mapping[str, Sequence[Any]]) -> list[tuple[Any, ...]]:
    """stored_values for a batch of actions given field by field (every _VALUED field, the
    same length): each column dumped at once (tests/test_action_columns.py holds the two
    equal)."""
    columns = [
        values if dump is None else [None if v is None else dump(v) for v in values]
        for values, dump in zip((fields[c.field] for c in _VALUED), _DUMPS, strict=True)
    ]
    return list(zip(*columns, strict=True))


_EXT_REF = next(i for i, c in enumerate(_VALUED) if c.field == "ext_ref")
_VOIDED_AT = next(i for i, c in enumerate(_VALUED) if c.field == "voided_at")


def live_ref(values: Sequence[Any]) -> str | None:
    """The external ref an action holds, from its stored values: none once voided (a voided
    action gives its ref up to the corrected entry)."""
    ref: str | None = values[_EXT_REF]
    return ref if values[_VOIDED_AT] is None else None


_CONTACT_AT = tuple(
    next(i for i, c in enumerate(_VALUED) if c.field == name)
    for name in ("received_at", "description", "officer", "voided_at")
)


def contact_values(values: Sequence[Any]) -> tuple[Any, ...]:
    """(received_at, description, officer, voided_at) of a batch row's stored values: what
    a victim's contact is (store.national.contacts_on_record)."""
    return tuple(values[i] for i in _CONTACT_AT)


def live_refs(rows: Sequence[Sequence[Any]]) -> list[str | None]:
    """live_ref of each of a batch's stored values."""
    return [values[_EXT_REF] if values[_VOIDED_AT] is None else None for values in rows]


_IDENTITY_AT = tuple(
    next(i for i, c in enumerate(_VALUED) if c.field == name)
    for name in ("occurred_at", "received_at")
)


def ref_identity(batch: NewActions, position: int) -> tuple[Any, ...] | None:
    """Which action a live row with a ref is: its team, ref (ref_key: whatever its case),
    pledge, and times done and received, as _STORED_BY_REF matches a stored one. Two
    actions sharing a ref (a patrol and a message about one incident) are two; the same
    row read again is one, so an import run twice adds nothing. None: no live ref."""
    values = batch.values[position]
    ref = live_ref(values)
    if ref is None:
        return None
    return (
        batch.team_ids[position], ref_key(ref), batch.pledge_ids[position],
        *(values[i] for i in _IDENTITY_AT),
    )  # fmt: skip


def content_key(batch: NewActions, position: int) -> tuple[Any, ...]:
    """What makes a row of the batch the same action as another: its pledge and content
    (a ref apart), as stored_duplicates and the importer's repeats within a file compare."""
    return (batch.pledge_ids[position], *_content_of(batch.values[position]))


_content_of = itemgetter(*_CONTENT_AT)  # content_key's values, at C speed (a tuple: several)
assert len(_CONTENT_AT) > 1


def stored_duplicates(
    store: Store,
    batch: NewActions,
    up_to_id: int,
    seen: dict[tuple[Any, ...], int],
    differing: dict[int, Differing],
) -> dict[int, int]:
    """Which actions of the batch are already stored: {position in batch: stored id}.

    A live action with a ref repeats the team's live action holding that ref with the
    same pledge and content; one whose ref is held by an action with other values goes
    into `differing` instead (an import never changes an action: the caller refuses it,
    not skips it as a duplicate). Any other
    (no ref, or voided: a voided action gives its ref up) repeats an action of the same
    pledge stored with every field equal, copy for copy: the file's first m copies of a
    row stored m times are duplicates, further copies are new. `seen` counts the copies
    met so far (the caller keeps it for the whole file, batch after batch, in file order);
    only rows that match a stored one enter it. Only actions with id <= up_to_id count, so
    that the import's own earlier batches are not counted. Called inside the import's
    write transaction, this sees every import that committed before it.
    """
    if up_to_id == 0 or not batch:
        return {}
    conn = store.conn
    conn.execute(_BATCH_TABLE)
    conn.execute("DELETE FROM temp.import_batch")
    columns = list(zip(*batch.values, strict=True))
    refs = [
        r if v is None else None
        for r, v in zip(columns[_EXT_REF], columns[_VOIDED_AT], strict=True)
    ]
    conn.executemany(
        _BATCH_INSERT,
        zip(
            range(len(batch)),
            batch.team_ids,
            batch.pledge_ids,
            refs,
            *(columns[i] for i in _CONTENT_AT),
            strict=True,
        ),
    )
    found = {int(p): int(i) for p, i in conn.execute(_STORED_BY_REF, (up_to_id,))}
    differing.update(_other_values(store, batch, found))
    for position in differing:
        del found[position]
    for position, stored_id, held in conn.execute(_ANSWERED_SINCE, (up_to_id,)):
        if int(position) not in found:
            differing[int(position)] = Differing(int(stored_id), str(held), "when")
    same = sorted(conn.execute(_STORED_BY_CONTENT, (up_to_id,)))
    for position, stored_id, copies in same:
        key = content_key(batch, position)
        seen[key] = met = seen.get(key, 0) + 1
        if met <= copies:
            found[int(position)] = int(stored_id)
    return found


class Differing(NamedTuple):
    """A row whose ref a stored action holds with other values: which, as what, and the
    first column (as `export actions` names it) that differs."""

    stored: int
    held_ref: str
    column: str


# the columns compared, as the file names them: the pledge, then the content
_COMPARED = ("pledge", *(c.export for c in _VALUED if c.content))


def _other_values(
    store: Store, batch: NewActions, found: dict[int, int]
) -> dict[int, Differing]:
    """Of the batch's rows matched by ref (`found`), those whose stored action has another
    pledge or content (one seek per row matched)."""
    if not found:
        return {}
    ids = sorted(set(found.values()))
    stored: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        for row in store.conn.execute(
            f"SELECT id, ext_ref, pledge_id, {', '.join(_CONTENT)} FROM actions "  # noqa: S608  # our names
            f"WHERE id IN ({', '.join('?' * len(part))})",
            part,
        ):
            stored[row[0]] = row[1:]
    differing: dict[int, Differing] = {}
    for position, stored_id in found.items():
        held_ref, *theirs = stored[stored_id]
        values = batch.values[position]
        mine = (batch.pledge_ids[position], *(values[i] for i in _CONTENT_AT))
        for column, a, b in zip(_COMPARED, mine, theirs, strict=True):
            if a != b:
                differing[position] = Differing(stored_id, held_ref, column)
                break
    return differing


BULK_CACHE_KIB = 65_536
_INSERTED = ("id", "team_id", "pledge_id", "created_at", *(c.name for c in _VALUED))
_BULK_INSERT = (
    f"INSERT INTO actions ({', '.join(_INSERTED)}) "  # noqa: S608  # our names, placeholders
    f"VALUES ({', '.join('?' for _ in _INSERTED)})"
)


def _audit_encoder(names: Sequence[str]) -> Callable[[Sequence[Sequence[Any]]], list[str]]:
    """For entries with one fixed set of names (one or more), given name by name (a column of values
    each): [change_json(dict(zip(names, row))) for row in zip(*columns)]. The keys are
    sorted and quoted once, and each column is encoded at once: text, whole numbers and
    None, nearly every value of an action row, directly (anything else by the one
    encoder). Several times faster on a big import; tests/test_action_columns.py holds it
    equal to change_json."""
    order = sorted(range(len(names)), key=names.__getitem__)
    keys = [f"{encode_basestring(names[i])}: " for i in order]

    def encode(columns: Sequence[Sequence[Any]]) -> list[str]:
        cells = [
            [
                key
                + (
                    "null"
                    if value is None
                    else encode_basestring(value)
                    if value.__class__ is str
                    else repr(value)
                    if value.__class__ is int
                    else _value_json(value)
                )
                for value in columns[i]
            ]
            for key, i in zip(keys, order, strict=True)
        ]
        return list(map("{%s}".__mod__, map(", ".join, zip(*cells, strict=True))))

    return encode


def _value_json(value: Any) -> str:
    """A value's JSON as change_json writes it inside an object."""
    if value.__class__ is float and isfinite(value):
        return repr(value)  # what json writes for a finite float
    encoded = change_json({"": value})
    assert encoded is not None
    return encoded[len('{"": ') : -1]


# An imported action's audit entry: the pledge and what `log` writes, and the void if any
_AUDIT_NAMES = ("pledge", *(_VALUED[i].name for i in _ENTRY))
_AUDIT = _audit_encoder(_AUDIT_NAMES)
_AUDIT_VOIDED = _audit_encoder((*_AUDIT_NAMES, *(_VALUED[i].name for i in _VOID)))


def _audit_entries(pledges: list[str], columns: Sequence[Sequence[Any]]) -> list[str]:
    """Each action's audit entry (its pledge, and its values column by column), as
    change_json would write it."""
    entries = _AUDIT([pledges, *(columns[i] for i in _ENTRY)])
    voided = [p for p, v in enumerate(columns[_VOIDED_AT]) if v is not None]
    if voided:
        logged = [pledges, *(columns[i] for i in (*_ENTRY, *_VOID))]
        picked = [[column[p] for p in voided] for column in logged]
        for position, entry in zip(voided, _AUDIT_VOIDED(picked), strict=True):
            entries[position] = entry
    return entries


def insert_many(store: Store, batch: NewActions, *, op: str = "import") -> range:
    """Insert actions and their audit rows with plain executemany, for bulk import.

    sqlite-utils' insert_all manages ~31k rows/s, executemany ~275k (engineering notes).
    Ids are allocated here under the write lock so each audit row can name its action.
    Returns the ids given, in the batch's order.
    """
    if not batch:
        return range(0)
    with store.write():
        conn = store.conn
        # the inserts land all over four indexes; a 64 MB page cache (default 2 MB) keeps
        # them in memory for the length of a big import: measured ~20% faster at 200k rows
        conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        first = last_id(store) + 1
        ids = range(first, first + len(batch))
        columns = list(zip(*batch.values, strict=True))
        stamps = [store.now_text()] * len(batch)
        rows = zip(ids, batch.team_ids, batch.pledge_ids, stamps, *columns, strict=True)
        conn.executemany(_BULK_INSERT, rows)
        store.log_encoded(
            ("action", str(new_id), op, None, new)
            for new_id, new in zip(ids, _audit_entries(batch.pledges, columns), strict=True)
        )
    return ids
