"""What the national shortcuts keep beside an action: a meeting's attendance and priorities,
the victim's case an N9 item belongs to, the next meeting announced. Written in the
caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from pledgetrack.domain.dates import format_datetime
from pledgetrack.domain.national import split_priorities
from pledgetrack.domain.numbers import ATTENDANCE
from pledgetrack.errors import SEE_DB_CHECK, DatabaseError, InputError
from pledgetrack.store.connection import Store
from pledgetrack.store.findings import Finding, Listed
from pledgetrack.store.teams import team_id


class Detail(NamedTuple):
    """A detail a national shortcut keeps beside an action, as `export actions` writes it
    after the action's own columns and `import actions` reads it back: declared once here
    (the export's SQL, the import's columns, the docs table follow)."""

    export: str  # its column in `export actions`
    number: int  # the national commitment whose actions have it (N9: a victim's case)
    doc_type: str  # docs/export-schema.md: type, meaning, example
    meaning: str
    example: str
    sql: str  # reads it for the action `a`
    redact: bool = False  # emptied by `export actions --redact`: free text, may name people


# How a meeting's priorities are written in one cell: as `meeting --priorities` takes them
# (the SQL of DETAILS writes it too)
PRIORITY_SEPARATOR = "; "

DETAILS: tuple[Detail, ...] = (
    Detail("case", 9, "text, may be empty",
           "N9 (`victim-update`): the victim's case the contact belongs to, so the next "
           "contact closes it; added after 0.1.0", "LE/1234/08",
           "(SELECT v.case_ref FROM victim_contacts v WHERE v.action_id = a.id)"),
    Detail("attendance", 7, "integer, may be empty",
           "N7 (`meeting`): how many residents came; added after 0.1.0", "23",
           "(SELECT m.attendance FROM meetings m WHERE m.action_id = a.id)"),
    Detail("priorities", 7, "text, may be empty",
           "N7 (`meeting`): the priorities agreed, in order, separated by `;` as `meeting "
           "--priorities` takes them; added after 0.1.0", "parking; Castle Park",
           "(SELECT group_concat(q.text, '; ') FROM (SELECT r.text "
           "FROM priorities r WHERE r.action_id = a.id ORDER BY r.position) q)", redact=True),
    Detail("every", 9, "text, may be empty",
           "N9 (`victim-update --every`): how often the victim agreed to hear from us, in "
           "whole days as `--every` takes them, in force from this contact (empty: none "
           "agreed, N9's own limit applies); added in schema 16", "7d",
           # national.every_words in SQL: the days, then `d`
           "(SELECT v.every_days || 'd' FROM victim_contacts v WHERE v.action_id = a.id)"),
)  # fmt: skip
DETAIL_COLUMNS = tuple(d.export for d in DETAILS)
# each read only for the actions of its commitment (a pledge `p` joined): no lookup for
# the rest of the log
DETAIL_SQL = tuple(
    f"CASE WHEN p.kind = 'national' AND p.seq = {d.number} THEN {d.sql} END" for d in DETAILS
)
DETAIL_SQL_REDACTED = tuple(
    "NULL" if d.redact else sql for d, sql in zip(DETAILS, DETAIL_SQL, strict=True)
)
REDACTED_DETAILS = tuple(d.export for d in DETAILS if d.redact)


# a meeting's attendance another tool wrote outside numbers.ATTENDANCE (NULL: not counted)
_BAD_ATTENDANCE_SQL = (
    "m.attendance IS NOT NULL AND NOT (typeof(m.attendance) = 'integer' AND m.attendance "
    f"BETWEEN {int(ATTENDANCE.low)} AND {int(ATTENDANCE.high)})"
)


def attendance_line(action_id: int, value: object) -> str:
    """What is wrong with a meeting's stored attendance, and how to mend it."""
    return (
        f"meetings.attendance of row {action_id} is not a number of residents pledgetrack "
        f"can read ({value!r}); it must be {ATTENDANCE.phrase(held=True)}, or empty (not "
        "counted); to correct it: write the cell as the number who came"
    )


def priority_wrong(text: object) -> bool:
    """Whether a stored priority is not one `meeting --priorities` stores: a priority is
    what split_priorities makes of its own text (not blank, no `;`, which would make it
    two when `export actions` joins a meeting's priorities and `import actions` splits
    them, no spaces at either end)."""
    if not isinstance(text, str):
        return True
    try:
        return split_priorities(text) != [text]
    except InputError:
        return True


def priority_line(row: int, action_id: int, text: object) -> str:
    return (
        f"priorities.text of row {row} (meeting {action_id}) is not a priority pledgetrack "
        f"can read ({text!r}); it must be one priority's words (not blank, no ';'); to "
        "correct it: write the cell as the priority agreed"
    )


def refuse_bad_details(
    store: Store, teams: Sequence[str] | None, *, live: bool = False
) -> None:
    """Stop a read of the details of `teams`' actions (None or empty: all; `live`: not
    voided) on an attendance, priority or case reference another tool wrote (exit 3,
    naming the row as `db check` lists it): the public update would print `-1 residents
    came`, an export what import refuses or reads otherwise."""
    codes = list(dict.fromkeys(teams or ()))
    marks = ", ".join("?" * len(codes))
    where = f"a.team_id IN (SELECT id FROM teams WHERE code IN ({marks}))" if codes else "1"  # noqa: S608  # marks
    if live:
        where += " AND a.voided_at IS NULL"
    params = codes
    row = store.conn.execute(
        "SELECT m.action_id, m.attendance FROM meetings m JOIN actions a ON a.id = m.action_id "  # noqa: S608  # ours
        f"WHERE ({where}) AND {_BAD_ATTENDANCE_SQL} ORDER BY m.action_id LIMIT 1",
        list(params),
    ).fetchone()
    if row is not None:
        raise DatabaseError(f"{attendance_line(*row)}; {SEE_DB_CHECK}")
    for row_id, action_id, text in store.conn.execute(
        "SELECT r.id, r.action_id, r.text FROM priorities r JOIN actions a ON a.id = r.action_id "  # noqa: S608  # ours
        f"WHERE ({where}) ORDER BY r.id",
        list(params),
    ):
        if priority_wrong(text):
            raise DatabaseError(f"{priority_line(row_id, action_id, text)}; {SEE_DB_CHECK}")
    from pledgetrack.store.case_chains import bad_ref_line, case_ref_wrong

    for action_id, case_ref in store.conn.execute(
        "SELECT v.action_id, v.case_ref FROM victim_contacts v "  # noqa: S608  # ours
        f"JOIN actions a ON a.id = v.action_id WHERE ({where}) ORDER BY v.action_id",
        list(params),
    ):
        if case_ref_wrong(case_ref):  # exported, import would read it as no case
            raise DatabaseError(f"{bad_ref_line(action_id, case_ref)}; {SEE_DB_CHECK}")


def detail_problems(store: Store, limit: int | None) -> list[Finding]:
    """`db check`: every meeting's attendance and every priority another tool wrote as
    `meeting` never does (both tables are small: a meeting a month a team)."""
    attendance, priorities = Listed(limit), Listed(limit)
    for action_id, value in store.conn.execute(
        "SELECT m.action_id, m.attendance FROM meetings m "  # noqa: S608  # ours
        f"WHERE {_BAD_ATTENDANCE_SQL} ORDER BY m.action_id"
    ):
        attendance.add(f"row {action_id}", f"stored value: {attendance_line(action_id, value)}")
    for row_id, action_id, text in store.conn.execute(
        "SELECT id, action_id, text FROM priorities ORDER BY id"
    ):
        if priority_wrong(text):
            priorities.add(
                f"row {row_id}", f"stored value: {priority_line(row_id, action_id, text)}"
            )
    return [
        *attendance.found(
            f"stored value: {attendance.count:,} meetings' attendance is not a number of "
            "residents pledgetrack can read (meetings.attendance)",
            "each line says how to correct it",
            kind="mend",
        ),
        *priorities.found(
            f"stored value: {priorities.count:,} priorities are not ones pledgetrack can read "
            "(priorities.text)",
            "each line says how to correct it",
            kind="mend",
        ),
    ]


class Details(NamedTuple):
    """An action's details, as DETAILS lists them: its victim's case, a meeting's
    attendance and priorities (None, and () for no priorities, when there are none), and
    the contact frequency agreed with the victim (days)."""

    case: str | None = None
    attendance: int | None = None
    priorities: tuple[str, ...] = ()
    every: int | None = None  # days: how often the victim agreed to hear from us

    @property
    def meeting(self) -> bool:
        return self.attendance is not None or bool(self.priorities)


def stored_details(
    store: Store, ids: Sequence[int]
) -> tuple[dict[int, Details], set[int]]:
    """The details stored beside these actions (those that have any), and which of them
    have a meeting's row (`meeting` without --attendance or --priorities has one too)."""
    found: dict[int, Details] = {}
    for start in range(0, len(ids), 500):
        part = list(ids[start : start + 500])
        marks = ", ".join("?" * len(part))
        cases = (
            "SELECT action_id, case_ref, every_days FROM victim_contacts "  # noqa: S608  # placeholders
            f"WHERE action_id IN ({marks})"
        )
        for action_id, case, every in store.conn.execute(cases, part):
            found[action_id] = Details(case=case, every=every)
    meetings = meeting_details(store, list(ids))
    for action_id, (attendance, agreed) in meetings.items():
        held = found.get(action_id, Details())
        found[action_id] = held._replace(attendance=attendance, priorities=tuple(agreed))
    return found, set(meetings)


def add_details(store: Store, action_id: int, details: Details, *, op: str) -> None:
    """Store an action's details as the shortcuts do, audited with `op` (an import's)."""
    with store.write():
        if details.case is not None:
            link_case(store, action_id, details.case, details.every, op=op)
        if details.meeting:
            add_meeting(store, action_id, details.attendance, list(details.priorities), op=op)


def add_meeting(
    store: Store,
    action_id: int,
    attendance: int | None,
    priorities: list[str],
    *,
    op: str = "insert",
) -> None:
    with store.write():
        store.db.table("meetings").insert({"action_id": action_id, "attendance": attendance})
        store.db.table("priorities").insert_all(
            {"action_id": action_id, "position": i, "text": text}
            for i, text in enumerate(priorities, start=1)
        )
        store.log_change(
            "meeting",
            str(action_id),
            op,
            None,
            {"attendance": attendance, "priorities": priorities},
        )


def list_priorities(store: Store, team: str) -> list[dict[str, Any]]:
    """Priorities agreed at the team's meetings (void meetings left out), newest meeting first."""
    sql = """
        SELECT p.id AS id, t.code AS team, a.id AS meeting, a.occurred_at AS held,
               m.attendance AS attendance, p.position AS position, p.text AS priority
        FROM priorities p
        JOIN meetings m ON m.action_id = p.action_id
        JOIN actions a ON a.id = p.action_id
        JOIN teams t ON t.id = a.team_id
        WHERE a.team_id = ? AND a.voided_at IS NULL
        ORDER BY julianday(a.occurred_at) DESC, a.id DESC, p.position
    """
    refuse_bad_details(store, [team], live=True)
    rows = list(store.query(sql, [team_id(store, team)]))
    return [{**row, "held": datetime.fromisoformat(row["held"])} for row in rows]


def meeting_details(store: Store, action_ids: list[int]) -> dict[int, tuple[int | None, list[str]]]:
    """(attendance, priorities in the order agreed) of those actions `meeting` recorded;
    an action without a meeting row (logged or imported as N7) is not in the answer."""
    found: dict[int, tuple[int | None, list[str]]] = {}
    for start in range(0, len(action_ids), 500):  # under SQLite's bound-variable limit
        chunk = action_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))  # placeholders only
        meetings = f"SELECT action_id, attendance FROM meetings WHERE action_id IN ({marks})"  # noqa: S608
        for row in store.conn.execute(meetings, chunk):
            if row[1] is not None and (
                not isinstance(row[1], int) or not ATTENDANCE.holds(row[1])
            ):
                raise DatabaseError(f"{attendance_line(int(row[0]), row[1])}; {SEE_DB_CHECK}")
            found[int(row[0])] = (None if row[1] is None else int(row[1]), [])
        agreed = (
            f"SELECT action_id, text, id FROM priorities WHERE action_id IN ({marks}) "  # noqa: S608
            "ORDER BY action_id, position"
        )
        for row in store.conn.execute(agreed, chunk):
            if priority_wrong(row[1]):
                raise DatabaseError(f"{priority_line(row[2], row[0], row[1])}; {SEE_DB_CHECK}")
            found.setdefault(int(row[0]), (None, []))[1].append(str(row[1]))
    return found


def link_case(
    store: Store, action_id: int, case_ref: str, every: int | None = None, *, op: str = "insert"
) -> None:
    """File an N9 item in its case, with the contact frequency in force from its contact
    (days; None: none agreed), audited as the contact's (`history ID` shows both)."""
    from pledgetrack.domain.national import every_words

    with store.write():
        store.db.table("victim_contacts").insert(
            {"action_id": action_id, "case_ref": case_ref, "every_days": every}
        )
        new: dict[str, Any] = {"case": case_ref}
        if every is not None:
            new["every"] = every_words(every)
        store.log_change("victim-contact", str(action_id), op, None, new)


def agreed_every(store: Store, ids: Sequence[int]) -> dict[int, int | None]:
    """The contact frequency in force for each of these N9 items (days; None: none agreed,
    N9's own limit applies); an item filed in no case is not in the answer."""
    found: dict[int, int | None] = {}
    for start in range(0, len(ids), 500):
        part = list(ids[start : start + 500])
        marks = ", ".join("?" * len(part))
        sql = f"SELECT action_id, every_days FROM victim_contacts WHERE action_id IN ({marks})"  # noqa: S608  # placeholders
        rows = store.conn.execute(sql, part)
        found.update((int(i), None if e is None else int(e)) for i, e in rows)
    return found


def set_every(store: Store, action_id: int, before: int | None, every: int | None) -> None:
    """The frequency in force for an item changed (a contact typed up late agreed another,
    or the contact that agreed it was voided), audited as the item's contact."""
    from pledgetrack.domain.national import every_words

    with store.write():
        store.conn.execute(
            "UPDATE victim_contacts SET every_days = ? WHERE action_id = ?", (every, action_id)
        )
        said = [None if e is None else every_words(e) for e in (before, every)]
        store.log_change(
            "victim-contact", str(action_id), "edit", {"every": said[0]}, {"every": said[1]}
        )


def uncased_victim_updates(store: Store, kind: str) -> list[tuple[int, str]]:
    """(id, description) of the actions of this kind no victim case is linked to: the
    demo's, imported from a file that has no case column."""
    sql = """
        SELECT a.id, a.description FROM actions a
        WHERE a.kind = ? AND NOT EXISTS (SELECT 1 FROM victim_contacts v WHERE v.action_id = a.id)
        ORDER BY a.id
    """
    return [(row[0], row[1]) for row in store.conn.execute(sql, [kind])]


def case_of(store: Store, action_id: int) -> tuple[str, str] | None:
    """(team code, case reference) of an N9 item linked to a victim's case, else None."""
    row = store.conn.execute(
        """
        SELECT t.code, v.case_ref FROM victim_contacts v
        JOIN actions a ON a.id = v.action_id JOIN teams t ON t.id = a.team_id
        WHERE v.action_id = ?
        """,
        [action_id],
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def case_item_ids(store: Store, team: str, case_ref: str) -> list[int]:
    """The case's live N9 items, first contact first: each runs from one contact (received)
    to the next (done), so the order of their contacts is the case's story."""
    rows = store.conn.execute(
        """
        SELECT a.id FROM victim_contacts v JOIN actions a ON a.id = v.action_id
        WHERE a.team_id = ? AND v.case_ref = ? AND a.voided_at IS NULL
        ORDER BY julianday(a.received_at), a.id
        """,
        [team_id(store, team), case_ref],
    )
    return [int(row[0]) for row in rows]


def contacts_on_record(
    store: Store, team_ids: Sequence[int], cases: Sequence[str], contacts: Sequence[Sequence[Any]]
) -> list[int | None]:
    """For each contact (received_at, description, officer as stored) of a victim's case,
    the live item of that case of that team already holding it, else None: the same
    moment, officer and words (the stored ones may go on with a final contact's words,
    moved there when a contact was typed up late between two)."""
    found: list[int | None] = []
    for team, case_ref, (received, description, officer) in zip(
        team_ids, cases, contacts, strict=True
    ):
        row = store.conn.execute(
            """
            SELECT a.id FROM victim_contacts v JOIN actions a ON a.id = v.action_id
            WHERE a.team_id = ? AND v.case_ref = ? AND a.voided_at IS NULL
              AND julianday(a.received_at) = julianday(?) AND a.officer IS ?
              AND substr(a.description, 1, length(?)) = ?
            ORDER BY a.id LIMIT 1
            """,
            [team, case_ref, received, officer, description, description],
        ).fetchone()
        found.append(None if row is None else int(row[0]))
    return found


def add_planned_meeting(
    store: Store,
    team: str,
    starts_at: datetime,
    place: str | None,
    note: str | None,
    announced_at: datetime | None = None,
    *,
    cancelled_at: datetime | None = None,
    op: str = "insert",
) -> int:
    """Announce the team's next public meeting; returns its id. `announced_at` (default
    now) is when it was made: an update as of earlier does not show it. `cancelled_at` and
    `op`: an announcement as it stands in another database (`import next-meetings`)."""
    row = {"starts_at": format_datetime(starts_at), "place": place, "note": note}
    if cancelled_at is not None:
        row["cancelled_at"] = format_datetime(cancelled_at)
    made = store.now_text() if announced_at is None else announced_at.isoformat()
    with store.write():
        table = store.db.table("planned_meetings")
        table.insert({**row, "team_id": team_id(store, team), "created_at": made})
        assert table.last_pk is not None
        new_id = int(table.last_pk)
        store.log_change("planned-meeting", str(new_id), op, None, row)
    return new_id


def planned_meetings(
    store: Store, teams: Sequence[str], columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    """Every announcement of these teams, cancelled or not, by team code and then in the
    order made (id): the team's code, then `columns` (planned_meetings') as stored."""
    ids = [team_id(store, code) for code in teams]
    if not ids:
        return []
    unknown = set(columns) - _PLANNED_COLUMNS
    assert not unknown, unknown  # our declaration's names, never a user's
    read = ", ".join(f"m.{name}" for name in columns)
    sql = (
        f"SELECT t.code, {read} FROM planned_meetings m JOIN teams t ON t.id = m.team_id "  # noqa: S608  # our names, placeholders
        f"WHERE m.team_id IN ({', '.join('?' * len(ids))}) ORDER BY t.code, m.id"
    )
    return [tuple(row) for row in store.conn.execute(sql, ids)]


_PLANNED_COLUMNS = frozenset({"starts_at", "place", "note", "created_at", "cancelled_at"})


def latest_planned_meeting(store: Store, team: str, made_by: datetime) -> dict[str, Any] | None:
    """The team's newest announcement made at or before `made_by`, cancelled or not: a
    later announcement replaces every earlier one (a meeting moved), so only this one can
    be the next meeting as things stood then. A time another tool wrote that is not in
    the stored form (`2008-10-20T19:00:00`, no offset, compared with nothing) is refused
    naming its row (exit 3): when it was made, or when it starts, is not known."""
    from pledgetrack.store.stored_times import readable_time, unreadable

    rows = store.conn.execute(  # newest first: a team announces a few a year
        "SELECT id, created_at, starts_at, place, note, cancelled_at FROM planned_meetings "
        "WHERE team_id = ? ORDER BY id DESC",
        [team_id(store, team)],
    )
    for row in rows:
        row_id, made, starts, cancelled = int(row[0]), row[1], row[2], row[5]
        if not readable_time(made):
            raise unreadable("planned_meetings", "created_at", row_id, made)
        if datetime.fromisoformat(made) > made_by:
            continue
        for column, text in (("starts_at", starts), ("cancelled_at", cancelled)):
            if text is not None and not readable_time(text):
                raise unreadable("planned_meetings", column, row_id, text)
        return {
            "id": row_id,
            "starts_at": datetime.fromisoformat(starts),
            "place": row[3],
            "note": row[4],
            "cancelled_at": None if cancelled is None else datetime.fromisoformat(cancelled),
        }
    return None


def cancel_planned_meeting(store: Store, meeting_id: int, at: datetime) -> None:
    """Call an announced meeting off: the row stays, marked, and the audit log says who."""
    with store.write():
        stamp = format_datetime(at)
        store.conn.execute(
            "UPDATE planned_meetings SET cancelled_at = ? WHERE id = ?", [stamp, meeting_id]
        )
        store.log_change(
            "planned-meeting", str(meeting_id), "cancel", {"cancelled_at": None},
            {"cancelled_at": stamp},
        )  # fmt: skip
