"""What the national shortcuts keep beside an action: a meeting's attendance and priorities,
the victim's case an N9 item belongs to, the next meeting announced. Written in the
caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pledgetrack.domain.dates import format_datetime
from pledgetrack.store.connection import Store
from pledgetrack.store.teams import team_id


def add_meeting(
    store: Store, action_id: int, attendance: int | None, priorities: list[str]
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
            "insert",
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
            found[int(row[0])] = (None if row[1] is None else int(row[1]), [])
        agreed = (
            f"SELECT action_id, text FROM priorities WHERE action_id IN ({marks}) "  # noqa: S608
            "ORDER BY action_id, position"
        )
        for row in store.conn.execute(agreed, chunk):
            found.setdefault(int(row[0]), (None, []))[1].append(str(row[1]))
    return found


def link_case(store: Store, action_id: int, case_ref: str) -> None:
    with store.write():
        store.db.table("victim_contacts").insert({"action_id": action_id, "case_ref": case_ref})
        store.log_change("victim-contact", str(action_id), "insert", None, {"case": case_ref})


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


def add_planned_meeting(
    store: Store,
    team: str,
    starts_at: datetime,
    place: str | None,
    note: str | None,
    announced_at: datetime | None = None,
) -> int:
    """Announce the team's next public meeting; returns its id. `announced_at` (default
    now) is when it was made: an update as of earlier does not show it."""
    row = {"starts_at": format_datetime(starts_at), "place": place, "note": note}
    made = store.now_text() if announced_at is None else announced_at.isoformat()
    with store.write():
        table = store.db.table("planned_meetings")
        table.insert({**row, "team_id": team_id(store, team), "created_at": made})
        assert table.last_pk is not None
        new_id = int(table.last_pk)
        store.log_change("planned-meeting", str(new_id), "insert", None, row)
    return new_id


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
