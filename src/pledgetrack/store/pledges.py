"""Pledges table. A target is stored as plain `target_*` columns that other tools can read."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from pledgetrack.domain.dates import FIRST_DAY, LAST_DAY
from pledgetrack.domain.models import (
    Pledge,
    PledgeKind,
    PledgeRecord,
    PledgeStatus,
    next_pledge_ref,
    normalise_code,
    pledge_ref,
    shown_code,
)
from pledgetrack.domain.national import NUMBERS
from pledgetrack.domain.numbers import PLEDGE_NUMBER
from pledgetrack.domain.target_fields import TARGET_FIELDS, TARGET_TYPES, fields_of
from pledgetrack.domain.targets import OutOfRange, Target, target_of
from pledgetrack.errors import NotFoundError
from pledgetrack.store.connection import Store
from pledgetrack.store.findings import Finding, finding
from pledgetrack.store.stored_times import REQUIRED_DATES
from pledgetrack.store.teams import team_id

# target_type, then each declared field's column once (threshold serves two types)
_TARGET_COLUMNS = ("target_type", *dict.fromkeys(f.column for f in TARGET_FIELDS))
_FIELDS = (
    "ref",
    "kind",
    "seq",
    "title",
    "description",
    "agreed_on",
    "meeting",
    "review_on",
    "status",
    "outcome",
    "closed_on",
)
_SELECT = (
    f"SELECT {', '.join(f'p.{c}' for c in _FIELDS + _TARGET_COLUMNS)}, t.code "  # noqa: S608  # our constants
    "FROM pledges p JOIN teams t ON t.id = p.team_id"
)
_SELECT_WITH_ID = _SELECT.replace("SELECT ", "SELECT p.id, ", 1)  # pledges_by_refs
_KINDS = {k.value: k for k in PledgeKind}
_REQUIRED = {column for table, column in REQUIRED_DATES if table == "pledges"}
_STATUSES = {s.value: s for s in PledgeStatus}


def target_columns(target: Target) -> dict[str, Any]:
    """The target as its columns: its type's fields set, every other field's column NULL."""
    cols: dict[str, Any] = dict.fromkeys(_TARGET_COLUMNS)
    cols["target_type"] = target.type
    held = target.model_dump(mode="json")  # a unit as `week`, a date as `2008-11-28`
    for f in fields_of(target.type):
        cols[f.column] = held[f.attribute]
    return cols


def target_from_row(row: dict[str, Any]) -> Target:
    return _target(*(row[c] for c in _TARGET_COLUMNS))


@lru_cache(maxsize=4096)
def _target(kind: str, *stored: Any) -> Target:
    """Targets are frozen and few are distinct: pledges with the same columns share one."""
    by_column = dict(zip(_TARGET_COLUMNS[1:], stored, strict=True))
    if by_column["target_due"] is not None:  # the form and range every stored date keeps
        _stored_day(by_column["target_due"])
    return target_of(
        kind,
        {
            f.attribute: by_column[f.column]
            for f in fields_of(kind)
            if by_column[f.column] is not None  # NULL threshold: the model's default, 100
        },
    )


def _stored_day(text: str) -> date:
    """A stored date in the one form pledgetrack writes (`2008-10-09`) on a day it records
    (domain.dates FIRST_DAY..LAST_DAY: 9999-12-31 overflowed the agenda's day after);
    ValueError for any other (`10/09/2008`, and `20081009`, which fromisoformat reads)."""
    day = date.fromisoformat(text)
    if day.isoformat() != text or not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(text)
    return day


def _day(text: str | None) -> date | None:
    return _stored_day(text) if text else None


def _agreed(text: str | None) -> date:
    """The agreed date, which every pledge has (stored_times.REQUIRED_DATES): an empty
    one is a ValueError, so the read names its row."""
    if not text:
        raise ValueError("no agreed date")
    return _stored_day(text)


def _to_pledge(row: Sequence[Any]) -> Pledge:
    """A row of _SELECT (our own columns, validated when written) as a Pledge."""
    ref, kind, seq, title, description, agreed, meeting, review, status, outcome, closed = row[:11]
    if number_problem(ref, row[-1], kind, seq):  # the reports name a commitment by it
        raise ValueError(f"{ref}: number {seq!r}")
    return Pledge.from_trusted(
        ref=ref,
        team=row[-1],
        kind=_KINDS[kind],
        seq=seq,
        title=title,
        description=description,
        agreed_on=_agreed(agreed),
        meeting=meeting,
        review_on=_day(review),
        status=_STATUSES[status],
        outcome=outcome,
        closed_on=_day(closed),
        target=_target(*row[11:-1]),
    )


def pledge_row(pledge: Pledge) -> dict[str, Any]:
    """The columns as stored, minus ids and bookkeeping: also what the changes log records."""
    data = pledge.model_dump(mode="json", exclude={"target", "team"})
    return {**data, **target_columns(pledge.target)}


def pledge_id(store: Store, ref: str) -> int:
    row = store.conn.execute(
        "SELECT id FROM pledges WHERE ref = ?", [normalise_code(ref)]
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"unknown pledge {shown_code(ref)!r} (see: pledgetrack pledge list)"
        )
    found: int = row[0]
    return found


def get_pledge(store: Store, ref: str, replacing: Mapping[str, date] | None = None) -> Pledge:
    """The pledge `ref`; `replacing`: these stored dates read as the values given, not as
    stored (`pledge edit --review` replaces the cell, so a date another tool wrote wrong
    there is no reason to refuse it)."""
    sql = f"{_SELECT} WHERE p.ref = ?"  # fixed text
    row = store.conn.execute(sql, [normalise_code(ref)]).fetchone()
    if row is None:
        raise NotFoundError(
            f"unknown pledge {shown_code(ref)!r} (see: pledgetrack pledge list)"
        )
    replaced = _replaced(replacing)
    try:
        return _to_pledge([replaced.get(i, value) for i, value in enumerate(row)])
    except (ValueError, KeyError):
        _refuse_unreadable(store, "p.ref = ?", [normalise_code(ref)], replacing)
        raise


def pledges_by_refs(store: Store, refs: Iterable[str]) -> dict[str, tuple[Pledge, int]]:
    """get_pledge and pledge_id of many refs (as stored: normalise_code's form) in a query
    per 500, for a bulk import. A ref not found, or whose row get_pledge would refuse, is
    left out: the caller asks get_pledge for it, which says why."""
    wanted = list(dict.fromkeys(refs))
    found: dict[str, tuple[Pledge, int]] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        sql = f"{_SELECT_WITH_ID} WHERE p.ref IN ({', '.join('?' * len(part))})"  # placeholders
        for key, *row in store.conn.execute(sql, part):
            try:
                pledge = _to_pledge(row)
            except (ValueError, KeyError):
                continue
            found[pledge.ref] = (pledge, key)
    return found


def _replaced(replacing: Mapping[str, date] | None) -> dict[int, str]:
    """{position in a _SELECT row: the stored form of the date standing in there}."""
    return {_FIELDS.index(c): day.isoformat() for c, day in (replacing or {}).items()}


def stored_cells(store: Store, ref: str, columns: Sequence[str]) -> dict[str, Any]:
    """The pledge's `columns` exactly as stored (of our own names), whatever they hold."""
    if not columns:
        return {}
    row = store.conn.execute(
        f"SELECT {', '.join(columns)} FROM pledges WHERE ref = ?",  # noqa: S608  # our names
        [normalise_code(ref)],
    ).fetchone()
    return dict(zip(columns, row, strict=True))


def next_seq(store: Store, team: str, kind: PledgeKind) -> int:
    row = store.conn.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM pledges WHERE team_id = ? AND kind = ?",
        [team_id(store, team), kind.value],
    ).fetchone()
    seq: int = row[0]
    return seq


def add_pledge(store: Store, pledge: Pledge) -> Pledge:
    """Insert; a local pledge with seq 0 gets the team's next number (inside the lock)."""
    with store.write():
        if pledge.seq == 0:
            seq = next_seq(store, pledge.team, pledge.kind)
            pledge = pledge.model_copy(
                update={"seq": seq, "ref": next_pledge_ref(pledge.team, pledge.kind, seq)}
            )
        row = pledge_row(pledge)
        store.db.table("pledges").insert(
            {**row, "team_id": team_id(store, pledge.team), "created_at": store.now_text()}
        )
        store.log_change("pledge", pledge.ref, "insert", None, row)
    return pledge


def list_pledges(
    store: Store,
    *,
    team: str | None = None,
    statuses: list[PledgeStatus] | None = None,
    teams: Sequence[str] | None = None,
) -> list[Pledge]:
    """Pledges by team code, kind (national first) and number; `teams` loads only theirs."""
    clauses: list[str] = []
    params: list[Any] = []
    if team is not None:
        clauses.append("p.team_id = ?")
        params.append(team_id(store, team))
    if teams is not None:
        clauses.append(f"t.code IN ({', '.join('?' for _ in teams)})")
        params.extend(teams)
    if statuses:
        clauses.append(f"p.status IN ({', '.join('?' for _ in statuses)})")
        params.extend(s.value for s in statuses)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"{_SELECT}{where} ORDER BY t.code, p.kind DESC, p.seq"  # placeholders only
    try:
        return [_to_pledge(r) for r in store.conn.execute(sql, params)]
    except (ValueError, KeyError):
        _refuse_unreadable(store, " AND ".join(clauses) or "1", params)
        raise


def _refuse_unreadable(
    store: Store, where: str, params: Sequence[Any], replacing: Mapping[str, date] | None = None
) -> None:
    """After a read of the pledges `where` failed on a stored value: stop naming the first
    such row (exit 3), as `db check` lists them. Only on failure, so the read itself does
    no per-row checking (a national report reads 72,000 pledges)."""
    from pledgetrack.store.stored_times import unreadable  # only on failure

    for found in unreadable_values(store, where, params, limit=1, replacing=replacing):
        raise unreadable(*found[:4], what=found[4], pledge=found[5])


def unreadable_values(
    store: Store,
    where: str = "1",
    params: Sequence[Any] = (),
    *,
    limit: int | None,
    replacing: Mapping[str, date] | None = None,
) -> list[tuple[str, str, int, Any, str, str]]:
    """The pledges' stored values a read cannot turn into a pledge (another tool wrote
    them), first `limit` rows (None: all): (table, column, row id, text, what it should
    be, the pledge's ref), the dates in `replacing` read as given. The one judge of a
    pledge row, for reads that failed and for `db check`."""
    sql = (
        "SELECT p.id, p.ref, p.kind, p.status, t.code, p.seq, p.agreed_on, p.review_on, "  # noqa: S608  # our constants
        f"p.closed_on, {', '.join(f'p.{c}' for c in _TARGET_COLUMNS)} "
        f"FROM pledges p JOIN teams t ON t.id = p.team_id WHERE {where} ORDER BY p.id"
    )
    stand_in = {c: d.isoformat() for c, d in (replacing or {}).items()}
    found: list[tuple[str, str, int, Any, str, str]] = []
    for pid, ref, kind, status, team, seq, *values in store.conn.execute(sql, list(params)):
        if limit is not None and len(found) >= limit:
            break
        values[0] = stand_in.get("agreed_on", values[0])
        values[1] = stand_in.get("review_on", values[1])
        wrong = _unreadable_row(pid, ref, kind, status, values)
        if not wrong and kind in _KINDS and number_problem(ref, team, kind, seq):
            letter = "L" if _KINDS[kind] is PledgeKind.LOCAL else "N"
            if re.fullmatch(rf"{re.escape(str(team))}-{letter}[1-9][0-9]*", str(ref)):
                wrong = [("pledges", "seq", pid, seq, "pledge number", ref)]
            else:  # the ref is not its team's (another tool changed the one or the other)
                wrong = [("pledges", "ref", pid, ref, f"reference of team {team}", ref)]
        found.extend(wrong)
    return found


def number_problem(ref: object, team: str, kind: str, seq: object) -> bool:
    """Whether a pledge's stored number is not the n of its ref (`CW01-L<n>`,
    models.pledge_ref), in numbers.PLEDGE_NUMBER for a local pledge, one of the
    catalogue's for a national commitment. `next_seq` numbers the next pledge from it, so
    a number another tool wrote made `pledge add` collide with a ref already taken."""
    held = _KINDS[kind]
    fits = isinstance(seq, int) and not isinstance(seq, bool) and (
        PLEDGE_NUMBER.holds(seq) if held is PledgeKind.LOCAL else seq in NUMBERS
    )
    return not (fits and ref == pledge_ref(team, held, seq))  # type: ignore[arg-type]


def _unreadable_row(
    pid: int, ref: str, kind: Any, status: Any, values: list[Any]
) -> list[tuple[str, str, int, Any, str, str]]:
    """The first value of one pledge row a read cannot take, if any."""
    if kind not in _KINDS:
        return [("pledges", "kind", pid, kind, "kind", ref)]
    if status not in _STATUSES:
        return [("pledges", "status", pid, status, "status", ref)]
    dates = (*zip(("agreed_on", "review_on", "closed_on"), values, strict=False),
             ("target_due", values[3 + _TARGET_COLUMNS.index("target_due")]))  # fmt: skip
    bad_day = next(
        (d for d in dates if not _reads_as_day(d[1]) or (not d[1] and d[0] in _REQUIRED)), None
    )
    if bad_day is not None:
        return [("pledges", bad_day[0], pid, bad_day[1], "date", ref)]
    stored = values[3:]
    if stored[0] not in TARGET_TYPES:
        return [("pledges", "target_type", pid, stored[0], "target type", ref)]
    try:
        _target(*stored)
    except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        column = _failed_column(exc)
        text = stored[_TARGET_COLUMNS.index(column)] if column in _TARGET_COLUMNS else None
        return [("pledges", column, pid, text, "target value", ref)]
    return []


def value_problems(store: Store, limit: int | None) -> list[Finding]:
    """`db check`'s pledges whose kind, status, number or target another tool wrote as no
    value pledgetrack knows (their dates are stored_times'), one Finding per column."""
    held: dict[tuple[str, str], list[tuple[int, Any, str]]] = {}
    for _, column, pid, text, what, ref in unreadable_values(store, limit=None):
        if what != "date":
            held.setdefault((column, what), []).append((pid, text, ref))
    return [
        finding(
            len(found),
            [
                _seq_line(pid, text, ref) if column == "seq" else
                f"stored value: pledges.{column} of row {pid} is not a {what} "
                f"pledgetrack can read ({text!r}{_range_words(column)})"
                for pid, text, ref in found[: len(found) if limit is None else limit]
            ],
            f"stored value: pledges.{column} of {len(found):,} rows is not a {what} "
            "pledgetrack can read",
            [f"row {pid} ({ref}, {text!r})" for pid, text, ref in found[:limit]],
            "each line says how to correct it" if column == "seq" else "",
            kind="mend" if column == "seq" else "damage",
        )
        for (column, what), found in held.items()
    ]


def _seq_line(row: int, seq: object, ref: str) -> str:
    """db check's line for a pledge whose number is not its ref's, and how to mend it."""
    said = f"stored value: pledges.seq of row {row} is not the number of its ref {ref} ({seq!r})"
    number = re.search(r"-[LN]([1-9][0-9]*)\Z", ref)
    if number is None or number_problem(ref, ref[: number.start()], _kind_of(ref), int(number[1])):
        return f"{said}, and {ref} is not a ref pledgetrack can read (TEAM-L<n>, TEAM-N<n>)"
    return f"{said}; to correct it: write the cell as {number[1]}"


def _kind_of(ref: str) -> str:
    return "national" if re.search(r"-N[0-9]+\Z", ref) else "local"


def _range_words(column: str) -> str:
    """`: a whole number from 1 to 1,000,000`, the range target_fields declares for the
    column's field (empty for a column with none)."""
    held = next((f.held_range for f in TARGET_FIELDS if f.column == column), None)
    return "" if held is None else f"; it must be {held.phrase(held=True)}"


def _reads_as_day(text: object) -> bool:
    try:
        _day(text)  # type: ignore[arg-type]  # a stored value, of any type
    except (ValueError, TypeError):
        return False
    return True


def _failed_column(exc: Exception) -> str:
    """The target column a failed target names (pydantic's loc is the attribute, as is
    domain.targets.OutOfRange's)."""
    if isinstance(exc, OutOfRange):
        return f"target_{exc.attribute}"
    errors = getattr(exc, "errors", None)
    loc = errors()[0]["loc"] if callable(errors) and errors() else ()
    return f"target_{loc[0]}" if loc and f"target_{loc[0]}" in _TARGET_COLUMNS else "target_type"


# Teams in code order, each team's pledges from its unique index, which lists national
# before local (schema 10): the report order, with nothing to sort. The title and meeting
# come last, read only for a report that shows them.
_RECORD_SELECT = (
    "SELECT p.ref, t.code, p.kind, p.seq, p.agreed_on, p.review_on, "  # noqa: S608  # our constants
    f"p.status, p.closed_on, {', '.join(f'p.{c}' for c in _TARGET_COLUMNS)}{{words}} "
    "FROM teams t CROSS JOIN pledges p"
)
_WORDS = len(_TARGET_COLUMNS) + 8  # where the title and meeting begin in a row
_NO_WORDS = ("", None)


class _Days(dict[str | None, date | None]):
    """Stored dates as dates, each text converted once: pledges share few distinct days."""

    def __missing__(self, text: str | None) -> date | None:
        day = self[text] = _stored_day(text) if text else None
        return day


class _Agreed(dict[str | None, date]):
    """Agreed dates as dates (_agreed: every pledge has one), each text converted once."""

    def __missing__(self, text: str | None) -> date:
        day = self[text] = _agreed(text)
        return day


class _Targets(dict[tuple[Any, ...], Target]):
    """Targets by their stored columns, each built once (the pledges share them)."""

    def __missing__(self, stored: tuple[Any, ...]) -> Target:
        target = self[stored] = _target(*stored)
        return target


def list_pledge_records(
    store: Store, *, teams: Sequence[str] | None = None, words: bool = True
) -> list[PledgeRecord]:
    """list_pledges' pledges, in its order, as plain records for reports (no model each).

    A national report loads 72,000: reading their columns is most of the cost, so each
    row is made a record with lookups only (a date, a kind, a target converted once), and
    `words=False` (a report that shows no title: `overview`, `check`) reads neither title
    nor meeting, which are then "" and None (a fifth of the reading, national October).
    """
    where = f"t.code IN ({', '.join('?' for _ in teams)}) AND " if teams is not None else ""
    select = _RECORD_SELECT.format(words=", p.title, p.meeting" if words else "")
    sql = f"{select} WHERE {where}p.team_id = t.id ORDER BY t.code, p.kind DESC, p.seq"
    kinds, statuses, day, agreed, targets = _KINDS, _STATUSES, _Days(), _Agreed(), _Targets()
    record, at = PledgeRecord._make, _WORDS
    try:
        records = [
            record(
                (
                    r[0],
                    r[1],
                    kinds[r[2]],
                    r[3],
                    agreed[r[4]],
                    day[r[5]],
                    statuses[r[6]],
                    day[r[7]],
                    targets[r[8:at]],
                    *(r[at:] or _NO_WORDS),
                )
            )
            for r in store.conn.execute(sql, list(teams or ()))
        ]
        # a national commitment is named by its number (the HQ report's, the update's
        # lines): one another tool changed would print one's figures as another's
        if any(number_problem(p.ref, p.team, p.kind.value, p.seq) for p in records):
            raise ValueError("a pledge's number is not its ref's")
        return records
    except (ValueError, KeyError):  # another tool's value: name its row (exit 3)
        _refuse_unreadable(store, f"{where}p.team_id = t.id", list(teams or ()))
        raise


# The key of an audit entry's new values that says on which day a target change carried
# from another database (`import pledges`' target_changed) was made there: the entry's
# own time is when the import recorded it
CHANGED_ON = "target_changed_on"


def record_target_changes(
    store: Store, ref: str, changes: Sequence[tuple[date, Target]], now: Target
) -> None:
    """Audit entries (op `import`) of the target changes a pledge had in the database it
    came from, oldest first, each day in CHANGED_ON: the notes of a target changed since a
    period began (pledge_lifecycle.targets_changed_since) read them as that database's
    edits. `changes`: each day and the target it replaced; `now`: the target after them."""
    afters = [*(before for _, before in changes[1:]), now]
    entries = []
    for (on, before), after in zip(changes, afters, strict=True):
        old, new = target_columns(before), target_columns(after)
        diff = [k for k in new if new[k] != old[k]]
        entries.append(
            ("pledge", ref, "import", {k: old[k] for k in diff},
             {**{k: new[k] for k in diff}, CHANGED_ON: on.isoformat()})
        )  # fmt: skip
    store.log_changes(entries)


def update_pledge(
    store: Store, pledge: Pledge, *, op: str, stored: Mapping[str, Any] | None = None
) -> Pledge:
    """Write a changed pledge back, logging only the columns that differ; `stored`: those
    cells as stored, read in place of the pledge's (a date another tool wrote wrong, which
    this write repairs: the audit entry keeps the text it replaced)."""
    with store.write():
        replacing = {c: getattr(pledge, c) for c in stored or {}}
        before = {**pledge_row(get_pledge(store, pledge.ref, replacing)), **(stored or {})}
        after = pledge_row(pledge)
        diff = sorted(k for k in after if after[k] != before[k])
        if diff:
            store.db.table("pledges").update(
                pledge_id(store, pledge.ref), {k: after[k] for k in diff}
            )
            store.log_change(
                "pledge", pledge.ref, op, {k: before[k] for k in diff}, {k: after[k] for k in diff}
            )
    return pledge
