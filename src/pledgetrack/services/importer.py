"""Bulk import from CSV: every row is checked by the rules `log` and `pledge add` apply,
and the file goes in whole or not at all.

The whole file is read and validated first, with no write lock, so that every problem
is reported and other writers (a sergeant's `log`) are not held up; then one write
transaction re-checks what can have changed meanwhile (the pledges the rows name; the
duplicates against what is stored) and inserts. The valid rows wait between the two as
stored values, past the first HELD_IN_MEMORY in a temporary file (services/spool.py), so
memory does not grow with the file. Actions are read a few thousand rows at a time,
column by column (see _ActionRows).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from itertools import compress
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pledgetrack.csvcodec import read_csv
from pledgetrack.domain import entry_rules, national
from pledgetrack.domain.dates import DateInputError, parse_date, parse_datetime, parse_stored
from pledgetrack.domain.models import (
    Action,
    Pledge,
    PledgeKind,
    PledgeStatus,
    Team,
    normalise_code,
)
from pledgetrack.domain.numbers import ATTENDANCE, PLEDGE_NUMBER, Range, read_number
from pledgetrack.domain.target_fields import TARGET_FIELDS, TargetField
from pledgetrack.domain.targets import Target, build_target
from pledgetrack.domain.text import MOST_CHARACTERS, blank, blank_row, shows, text_problem
from pledgetrack.domain.vocabulary import OnDuplicate, Setting, word_of
from pledgetrack.errors import InputError
from pledgetrack.services import meeting_columns, pledge_columns, team_columns, victim_cases
from pledgetrack.services.pledge_lifecycle import local_pledge
from pledgetrack.services.spool import Spool
from pledgetrack.services.team_columns import TeamFile
from pledgetrack.services.team_lifecycle import new_team, register_team
from pledgetrack.store import actions as action_store
from pledgetrack.store import national as national_store
from pledgetrack.store.actions import Kind, NewAction, NewActions, live_actions_outside
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import (
    add_pledge,
    get_pledge,
    list_pledges,
    pledge_id,
    pledges_by_refs,
    record_target_changes,
    update_pledge,
)
from pledgetrack.store.teams import get_team, list_teams, team_id, teams_by_codes

_T = TypeVar("_T")

BATCH = 5_000
PROGRESS_EVERY = 2_000
# checked rows held in memory until the write (about 435 bytes each); the rest of a bigger
# file waits in a temporary file (services/spool.py)
HELD_IN_MEMORY = 50_000

# The columns of `export actions` an import reads (store.actions.COLUMNS); `id` and
# `created_at` are exported for the record only (the receiving database numbers and dates
# its own rows).
ACTION_IGNORED = tuple(c.export for c in action_store.COLUMNS if not c.imported)
ACTION_COLUMNS = tuple(c.export for c in action_store.IMPORTED_COLUMNS)
ACTION_REQUIRED = ("team", "pledge", "when", "description")
# Free text is taken exactly as written, leading and trailing spaces too, as `log` stores
# it, so that an export read back in is the same log; every other cell is stripped.
ACTION_EXACT = tuple(c.export for c in action_store.IMPORTED_COLUMNS if c.verbatim)
# After them, the details the national shortcuts keep beside an action (store.national
# declares them): a victim's case (N9), a meeting's attendance and priorities (N7)
DETAIL_COLUMNS = national_store.DETAIL_COLUMNS
IMPORT_COLUMNS = (*ACTION_COLUMNS, *DETAIL_COLUMNS)
_OWN = len(ACTION_COLUMNS)  # a row's cells up to here are the action's own

# examples/demo/pledges.csv, and what `export pledges` writes: the options of `pledge add`
# (the target's fields as domain/target_fields.py declares them), then the ref and closing
# a pledge has elsewhere (services/pledge_columns.py declares them all)
PLEDGE_COLUMNS = pledge_columns.COLUMN_NAMES
PLEDGE_REQUIRED = pledge_columns.REQUIRED
# as `pledge add` stores them: exactly as written
PLEDGE_EXACT = pledge_columns.EXACT

TRUE_WORDS = frozenset({"1", "yes", "y", "true", "t"})
FALSE_WORDS = frozenset({"", "0", "no", "n", "false", "f"})


class InvalidRowsError(InputError):
    """The file was refused; `problems` holds one `line N: column: problem` per invalid row.

    The column is the refused error's `field`: the rules the importer shares with the
    commands (dates, targets, entry rules) name their field, so nothing is parsed back out
    of a message.
    """

    def __init__(self, path: Path, problems: list[str]) -> None:
        n = len(problems)
        super().__init__(f"{path}: {n} invalid row{'s' if n != 1 else ''}; nothing imported")
        self.problems = problems


@dataclass
class ImportReport:
    rows: int = 0  # data rows read
    blank: int = 0  # rows of nothing but commas (a spreadsheet's cleared lines), skipped
    written: int = 0  # written, or that would be on a dry run
    duplicates: int = 0  # skipped as already stored (or repeated in the file)
    refs: list[str] = field(default_factory=list)  # pledges: the references allocated
    # pledges: national commitments attached as the catalogue has them, brought to the file's
    settled: int = 0
    # actions: stored before (a move made by an older release), given the file's details
    completed: int = 0
    # actions: rows by (pledge, the kind it counts, the row's kind) that the pledge will not
    # count (entry_rules.uncounted_kind), said in one line, not one per row
    uncounted: Counter[tuple[str, str, str | None]] = field(default_factory=Counter)


Progress = Callable[[int], None]  # called with the file line reached


def count_lines(path: Path) -> int:
    """Lines in the file (for a progress bar's total): a quick binary scan."""
    with path.open("rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


class _Csv:
    """A CSV file's header and rows, with the file line each row starts on."""

    def __init__(
        self,
        path: Path,
        columns: Sequence[str],
        required: Sequence[str],
        ignored: Sequence[str],
        exact: Sequence[str] = (),
    ) -> None:
        self.path = path
        self.columns = columns
        self.required = required
        self.ignored = ignored
        self.exact = frozenset(exact)
        self.exacts = [name in self.exact for name in columns]
        self.positions: list[int] = []
        self.lacking = False
        self.index: dict[str, int] = {}
        self.width = 0
        self.nameless: list[int] = []  # columns with no name: accepted while they are empty
        self.named_width = 0  # a row's fewest fields: up to the last named column
        self.blank = 0  # rows with no cell that shows anything, skipped (domain.text.blank_row)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows with their line numbers, after reading the header from the first."""
        for line, row in read_csv(self.path):
            if not self.index:
                self._header(row)
                continue
            if blank_row(row):
                self.blank += 1
                continue
            if self.nameless:
                self._empty_nameless(line, row)
            yield line, row
        if not self.index:
            raise InputError(f"{self.path}: empty file (expected a header row)")

    def _header(self, row: list[str]) -> None:
        names = [name.strip().lower() for name in row]
        self.width = len(names)
        seen: set[str] = set()
        for position, name in enumerate(names):
            if not name:  # a spreadsheet's empty columns past the last (`...,description,,`)
                self.nameless.append(position)
                continue
            if name in seen:
                raise InputError(f"{self.path}: line 1: column {name!r} appears twice")
            seen.add(name)
            if name in self.columns:
                self.index[name] = position
            elif name not in self.ignored:
                self._unknown(row[position].strip(), position)
        self.named_width = max(self.index.values(), default=-1) + 1
        # where each of `columns` is in a row; a column the file lacks reads the padding
        self.positions = [self.index.get(name, self.width) for name in self.columns]
        self.lacking = len(self.index) < len(self.columns)
        missing = [c for c in self.required if c not in self.index]
        if missing:
            raise InputError(
                f"{self.path}: line 1: missing column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} (expected {','.join(self.columns)})"
            )

    def _unknown(self, name: str, position: int) -> None:
        """A column the importer does not read is refused, not skipped: a misspelt `witihn`
        would leave a pledge unmeasured, and a figure changed without a word."""
        import difflib  # only on this error path

        where = f"{self.path}: line 1: "
        if name.startswith(("[", "{")):  # `export ... -f json` or jsonl, given back
            raise InputError(
                f"{where}this looks like JSON; imports read CSV only "
                "(export with --format csv, the default)"
            )
        known = [*self.columns, *self.ignored]
        for separator, called in ((";", "';'"), ("\t", "tabs")):
            # a spreadsheet saved with its locale's separator: the header is one cell
            parts = [part.strip().strip('"').lower() for part in name.split(separator)]
            if self.width == 1 and len(parts) > 1 and any(part in known for part in parts):
                raise InputError(
                    f"{where}columns are separated by {called}, not commas "
                    "(save as CSV with commas)"
                )
        near = difflib.get_close_matches(name.lower(), known, n=1)
        hint = f"did you mean {near[0]!r}?" if near else f"expected {','.join(self.columns)}"
        raise InputError(f"{where}unknown column {name!r} ({hint})")

    def _empty_nameless(self, line: int, row: list[str]) -> None:
        """A column with no name is read as nothing, so a value in it would be lost."""
        for position in self.nameless:
            if position < len(row) and row[position].strip():
                raise InputError(
                    f"{self.path}: line {line}: column {position + 1} has a value, but no "
                    "name in the header (line 1)"
                )

    def cells(self, row: list[str]) -> tuple[str | None, ...]:
        """The row's cells in `columns` order: None when blank (nothing but spaces) or
        absent; else the text (the reader has undone the export's formula guard), stripped
        unless the column is one of `exact`."""
        if not self.named_width <= len(row) <= self.width:
            # short too: which cell is missing cannot be known (only the nameless columns
            # past the last named one may be left off)
            raise InputError(f"{len(row)} fields, but the header has {self.width}", field="row")
        joined = "".join(row)  # strict UTF-8 leaves NUL, and length, the checks to make
        if "\x00" in joined or len(joined) > MOST_CHARACTERS:
            self._refuse_text(row)
        if len(row) < self.width or self.lacking:  # the padding: nameless cells left off,
            row = [*row, *[""] * (self.width + 1 - len(row))]  # and columns the file lacks
        texts = map(row.__getitem__, self.positions)
        return tuple(
            [
                (text if exact else stripped) if shows(stripped := text.strip()) else None
                for text, exact in zip(texts, self.exacts, strict=True)
            ]
        )

    def _refuse_text(self, row: list[str]) -> None:
        """The first cell whose text cannot be stored (a NUL, too long), by its column;
        a row long only in all, each cell within the bound, is read as any other."""
        for name, position in self.index.items():
            text = row[position] if position < len(row) else ""
            if (problem := text_problem(text)) is not None:
                raise InputError(problem, field=name)

    def getter(self, row: list[str]) -> Callable[[str], str | None]:
        """Cell by column name, as `cells` reads it."""
        return dict(zip(self.columns, self.cells(row), strict=True)).get

    def chunks(self, size: int) -> Iterator[tuple[list[int], list[list[str]]]]:
        """Data rows `size` at a time, with the lines they start on."""
        lines: list[int] = []
        rows: list[list[str]] = []
        for line, row in self.rows():
            lines.append(line)
            rows.append(row)
            if len(rows) == size:
                yield lines, rows
                lines, rows = [], []
        if rows:
            yield lines, rows

    def by_column(self, rows: Sequence[list[str]]) -> tuple[list[list[str | None]], set[int]]:
        """Rows' cells column by column, in `columns` order, as `cells` reads each row; and
        the positions of rows that only `cells` can read (wider or narrower than the header,
        or with a NUL or a text too long in a column read), whose cells here are blank."""
        width = self.width
        odd = {position for position, row in enumerate(rows) if len(row) != width}
        if odd:
            padding = [""] * width
            rows = [padding if position in odd else row for position, row in enumerate(rows)]
        by_position = list(zip(*rows, strict=True))
        columns: list[list[str | None]] = []
        for position, exact in zip(self.positions, self.exacts, strict=True):
            if position == width:  # a column the file lacks
                columns.append([None] * len(rows))
                continue
            texts = by_position[position]
            joined = "".join(texts)
            if "\x00" in joined or len(joined) > MOST_CHARACTERS:  # `cells` says why
                odd.update(row for row, text in enumerate(texts) if text_problem(text))
            stripped = list(map(str.strip, texts))
            if joined.isascii():  # every stripped ASCII text but "" shows (text.shows)
                if exact:
                    columns.append([t if v else None for t, v in zip(texts, stripped, strict=True)])
                else:
                    columns.append([v or None for v in stripped])
                continue
            held = list(map(shows, stripped))
            if exact:
                columns.append([t if v else None for t, v in zip(texts, held, strict=True)])
            else:
                columns.append([s if v else None for s, v in zip(stripped, held, strict=True)])
        return columns, odd


class _Owner(NamedTuple):
    """A row's team and pledge, with their row ids, and what `log`'s rules read of them."""

    team: Team
    team_key: int
    pledge: Pledge
    pledge_key: int
    target: entry_rules.LogTarget
    kind: str | None  # an action's kind when its cell is empty (entry_rules.stored_kind)


class _Lookup:
    """Teams and pledges by code, read once each and remembered for the whole file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.teams: dict[str, tuple[Team, int] | InputError] = {}
        self.pledges: dict[str, tuple[Pledge, int] | InputError] = {}
        self.owners: dict[tuple[str | None, str | None], _Owner | InputError] = {}
        self.known: dict[tuple[str | None, str | None], _Owner] = {}  # the owners found

    def team(self, code: str) -> tuple[Team, int]:
        return _remembered(
            self.teams, "team", code, lambda k: (get_team(self.store, k), team_id(self.store, k))
        )

    def pledge(self, ref: str) -> tuple[Pledge, int]:
        return _remembered(
            self.pledges,
            "pledge",
            ref,
            lambda k: (get_pledge(self.store, k), pledge_id(self.store, k)),
        )

    def prefetch(self, teams: Sequence[str | None], refs: Sequence[str | None]) -> None:
        """The teams and pledges a batch names that are not known yet, read in bulk (a query
        per 500, not four per pledge): what `team` and `pledge` would load for each. A code
        the bulk reads leave out (unknown, or a row they will not read) is left to them,
        which say why, in file order."""
        self.teams.update(teams_by_codes(self.store, _unread(self.teams, teams)))
        self.pledges.update(pledges_by_refs(self.store, _unread(self.pledges, refs)))

    def fresh(self, team: str, ref: str) -> tuple[int, int, entry_rules.LogTarget, str | None]:
        """A team and pledge as stored now (not remembered): row ids, what the rules read."""
        found_team, found_pledge = get_team(self.store, team), get_pledge(self.store, ref)
        return (
            team_id(self.store, team),
            pledge_id(self.store, ref),
            entry_rules.log_target(found_team, found_pledge),
            entry_rules.stored_kind(found_pledge, None),
        )

    def fresh_all(
        self, owners: Sequence[_Owner]
    ) -> Iterator[tuple[int, int, entry_rules.LogTarget, str | None] | InputError]:
        """`fresh` of each owner in turn, from two bulk reads; a team or pledge they leave
        out is read by `fresh` when its turn comes (its InputError given, or what else it
        raises raised)."""
        teams = teams_by_codes(self.store, {o.team.code for o in owners})
        pledges = pledges_by_refs(self.store, {o.pledge.ref for o in owners})
        for owner in owners:
            team, pledge = teams.get(owner.team.code), pledges.get(owner.pledge.ref)
            if team is None or pledge is None:
                try:
                    yield self.fresh(owner.team.code, owner.pledge.ref)
                except InputError as exc:
                    yield exc
                continue
            target = entry_rules.log_target(team[0], pledge[0])
            yield team[1], pledge[1], target, entry_rules.stored_kind(pledge[0], None)

    def owner(self, team: str | None, pledge: str | None) -> _Owner:
        """A row's team and pledge, required and belonging together; each pair of cells is
        looked at once (a big file names the same few thousand pairs again and again)."""
        found = self.owners.get((team, pledge))
        if found is None:
            try:
                found = self._owner(team, pledge)
            except InputError as exc:
                found = exc
            self.owners[(team, pledge)] = found
        if isinstance(found, InputError):
            raise InputError(str(found), field=found.field)
        return found

    def _owner(self, team_code: str | None, ref: str | None) -> _Owner:
        team, team_key = self.team(_required(lambda _: team_code, "team"))
        pledge, pledge_key = self.pledge(_required(lambda _: ref, "pledge"))
        if pledge.team != team.code:
            raise InputError(
                f"{pledge.ref} is a pledge of team {pledge.team}, not {team.code}", field="pledge"
            )
        target = entry_rules.log_target(team, pledge)
        kind = entry_rules.stored_kind(pledge, None)
        return _Owner(team, team_key, pledge, pledge_key, target, kind)

    def owners_of(
        self, teams: Sequence[str | None], pledges: Sequence[str | None]
    ) -> list[_Owner | None]:
        """`owner` for a batch of rows: None where it refuses the row's cells."""
        pairs = list(zip(teams, pledges, strict=True))
        found = list(map(self.known.get, pairs))
        if None not in found:
            return found
        met = zip(pairs, found, strict=True)
        unknown = list(dict.fromkeys(pair for pair, owner in met if owner is None))
        self.prefetch([team for team, _ in unknown], [pledge for _, pledge in unknown])
        for pair in unknown:  # in file order, as row by row
            try:
                self.known[pair] = self.owner(*pair)
            except InputError:
                continue
        return list(map(self.known.get, pairs))


def _unread(cache: dict[str, Any], codes: Sequence[str | None]) -> list[str]:
    """The codes given (as `_remembered` keys them) that `cache` holds nothing for."""
    wanted = {c for c in codes if c is not None and c not in cache}
    return sorted({normalise_code(c) for c in wanted} - cache.keys())


def _remembered(
    cache: dict[str, _T | InputError], column: str, code: str, load: Callable[[str], _T]
) -> _T:
    """Look a code up once; an unknown one is a problem of every row that names it.

    The code is remembered as written too: a big file spells it the same way every time.
    """
    found = cache.get(code)
    if found is None:
        key = normalise_code(code)
        if key not in cache:
            try:
                cache[key] = load(key)
            except InputError as exc:
                cache[key] = exc
        found = cache[code] = cache[key]
    if isinstance(found, InputError):
        raise InputError(str(found), field=column)
    return found


def _required(get: Callable[[str], str | None], column: str) -> str:
    value = get(column)
    if blank(value):  # a zero-width space too, as the command line refuses it
        raise InputError("required, but empty", field=column)
    assert value is not None
    return value


def _moment(column: str, text: str | None, now: datetime) -> datetime | None:
    """A time cell as the commands read one; a problem is the column's."""
    if text is None:
        return None
    try:
        return parse_datetime(text, now, written=True)  # never `yesterday 7pm` in a file
    except DateInputError as exc:
        raise InputError(str(exc), field=column) from None


def _day(column: str, text: str | None, now: datetime) -> date | None:
    return _parsed(column, text, lambda t: parse_date(t, now, written=True))


def _parsed(column: str, text: str | None, parse: Callable[[str], _T]) -> _T | None:
    """A date or time cell as the commands read one; a problem is the column's."""
    if text is None:
        return None
    try:
        return parse(text)
    except DateInputError as exc:
        raise InputError(str(exc), field=column) from None


def _number(column: str, text: str | None, within: Range | None = None) -> float | None:
    """A number cell; `within`: its range, checked here, where the message can quote the
    cell as the file holds it (1e30 as `1e30`, not as the float it reads as)."""
    if text is None:
        return None
    try:
        value = read_number(text)
    except ValueError as exc:
        raise InputError(str(exc), field=column) from None
    if within is not None:
        within.check(column, value, text)
    return value


def _whole(column: str, text: str | None, within: Range | None = None) -> int | None:
    value = _number(column, text)
    if value is None:
        return None
    if not value.is_integer():
        raise InputError(f"not a whole number: {text!r}", field=column)
    if within is not None:
        within.check(column, value, text)
    return int(value)


def _flag(column: str, text: str | None) -> bool:
    word = (text or "").lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InputError(f"expected yes or no (or 1/0, true/false), not {text!r}", field=column)


class _ActionRows:
    """Rows of `export actions` as validated actions, by the rules `log` applies.

    A batch of rows is read column by column (`batch`): each column at once, then `log`'s
    rules over the batch (entry_rules.refused), which is several times faster than row by
    row. A row that does not plainly pass there is read on its own (`action`), which gives
    its first problem as `log` would, or accepts it after all; so every error, and the
    order in which a row's errors are found, are those of the one-by-one reading.
    """

    def __init__(self, lookup: _Lookup, now: datetime) -> None:
        self.lookup = lookup
        self.now = now
        self.uncounted: Counter[tuple[str, str, str | None]] = Counter()
        # how a cell is read, by the kind of its column (store.actions.Kind): text as it is,
        # the rest as `log` reads its options, a problem being the column's; and what an
        # empty cell means
        readers: dict[Kind, tuple[Callable[[str, str], Any], object]] = {
            Kind.TIME: (partial(_moment, now=now), None),
            Kind.NUMBER: (_number, None),
            Kind.FLAG: (_flag, False),
        }
        self.typed = [
            (c.field, c.export, *readers[c.kind])
            for c in action_store.IMPORTED_COLUMNS
            if c.kind in readers
        ]
        self.column_readers: dict[Kind, _ColumnReader] = {
            Kind.TIME: self._times,
            Kind.NUMBER: _numbers,
            Kind.FLAG: _flags,
        }
        self.typed_columns = [
            (c.field, c.export, self.column_readers[c.kind])
            for c in action_store.IMPORTED_COLUMNS
            if c.kind in self.column_readers
        ]

    def action(self, cells: Sequence[str | None]) -> NewAction:
        """One row (its cells in ACTION_COLUMNS order) as a validated action, or InputError
        naming the first bad column. The rules are `log`'s (entry_rules.prepare's two
        steps), applied to the action as it is built: nothing is copied."""
        fields: dict[str, Any] = dict(zip(_ACTION_FIELDS, cells, strict=True))
        owner = self.lookup.owner(fields["team"], fields["pledge"])
        hours = fields["hours"]  # the cell, for a refusal to quote as the file holds it
        for name, column, read, empty in self.typed:
            text = fields[name]
            fields[name] = empty if text is None else read(column, text)
        if fields["occurred_at"] is None and fields["received_at"] is None:
            # an open response item (received, not yet dealt with) is the one row without `when`
            raise InputError("required, but empty", field="when")
        if blank(fields["description"]):
            raise InputError("required, but empty", field="description")
        # before the model refuses -1
        entry_rules.check_hours(fields["hours"], abstracted=False, text=hours)
        fields["team"], fields["pledge"], fields["id"] = owner.team.code, owner.pledge.ref, None
        fields["kind"] = entry_rules.stored_kind(owner.pledge, fields["kind"])
        if owner.kind is not None and fields["kind"] != owner.kind:
            self.uncounted[(owner.pledge.ref, owner.kind, fields["kind"])] += 1
        # every field is now what the model would make of it: blank text None, free text
        # as written, the rest stripped (`cells`), numbers and times parsed, hours in range
        action = Action.from_trusted(**fields)
        entry_rules.check_loggable(owner.team, owner.pledge, action, self.now)
        return NewAction.of(owner.team_key, owner.pledge_key, action)

    def batch(self, source: _Csv, lines: list[int], rows: list[list[str]]) -> _Read:
        """Rows of the file as validated actions, in file order, and the problems of those
        refused: what `action` makes of each row, read column by column."""
        columns, others = source.by_column(rows)
        columns, given = columns[:_OWN], columns[_OWN:]
        fields: dict[str, list[Any]] = dict(zip(_ACTION_FIELDS, columns, strict=True))
        owners = self.lookup.owners_of(fields["team"], fields["pledge"])
        others.update(p for p, owner in enumerate(owners) if owner is None)
        for name, column, read_column in self.typed_columns:
            fields[name] = read_column(column, fields[name], others)
        known = [_NOBODY if owner is None else owner for owner in owners]
        # the rules refuse a row without a description, or without `when` or `received`
        fields["kind"] = entry_rules.stored_kinds([o.kind for o in known], fields["kind"])
        others.update(
            entry_rules.refused(
                [o.target for o in known],
                description=fields["description"],
                occurred_at=fields["occurred_at"],
                received_at=fields["received_at"],
                hours=fields["hours"],
                abstracted=fields["abstracted"],
                delivers=fields["delivers"],
                voided_at=fields["voided_at"],
                void_reason=fields["void_reason"],
                now=self.now,
            )
        )
        kinds = fields["kind"]
        for position, owner in enumerate(known):
            if owner.kind is not None and kinds[position] != owner.kind and position not in others:
                self.uncounted[(owner.pledge.ref, owner.kind, kinds[position])] += 1
        read = _Read(lines=list(lines), teams=[o.team.code for o in known])
        batch = read.actions
        batch.team_ids = [o.team_key for o in known]
        batch.pledge_ids = [o.pledge_key for o in known]
        batch.pledges = [o.pledge.ref for o in known]
        batch.values = action_store.stored_rows(fields)
        read.details = [None] * len(rows)
        for position in [p for p, cells in enumerate(zip(*given, strict=True)) if any(cells)]:
            if position not in others:
                try:
                    read.details[position] = _details(known[position], [c[position] for c in given])
                except InputError:
                    others.add(position)
        if others:
            self._one_by_one(source, rows, sorted(others), read)
        return read

    def _one_by_one(
        self, source: _Csv, rows: list[list[str]], positions: list[int], read: _Read
    ) -> None:
        """The rows `batch` did not pass, read on their own: accepted after all, or refused
        with their first problem (and dropped)."""
        refused: set[int] = set()
        batch = read.actions
        for position in positions:
            try:
                cells = source.cells(rows[position])
                item = self.action(cells[:_OWN])
                owner = self.lookup.owner(item.action.team, item.action.pledge)
                read.details[position] = _details(owner, cells[_OWN:])
            except InputError as exc:
                line = read.lines[position]
                read.problems.append((line, _problem(line, exc, "row")))
                refused.add(position)
                continue
            batch.team_ids[position], batch.pledge_ids[position] = item.team_id, item.pledge_id
            batch.pledges[position], read.teams[position] = item.action.pledge, item.action.team
            batch.values[position] = item.values
        if refused:
            read.keep([position not in refused for position in range(len(read.lines))])

    def _times(
        self, column: str, texts: list[str | None], others: set[int]
    ) -> list[datetime | None]:
        """A time column as `_moment` reads each cell: the stored form at once, the rest one
        by one; a cell it refuses sends its row to `action`."""
        values, unread = parse_stored(texts, self.now)
        for position in unread:
            try:
                values[position] = _moment(column, texts[position], self.now)
            except InputError:
                others.add(position)
        return values


# A column of cells read as `action` reads each one (with its column's name): the
# positions of cells it refuses are added to the set; their items are then blank.
_ColumnReader = Callable[[str, list[str | None], set[int]], list[Any]]
# the flag words (`_flag`), and an empty cell's meaning
_FLAG_WORDS: dict[str | None, bool] = {
    None: False,
    **dict.fromkeys(TRUE_WORDS, True),
    **dict.fromkeys(FALSE_WORDS, False),
}


def _flags(column: str, texts: list[str | None], others: set[int]) -> list[bool | None]:
    """A flag column as `_flag` reads each cell."""
    values = list(map(_FLAG_WORDS.get, texts))
    for position in [p for p, value in enumerate(values) if value is None]:
        try:
            values[position] = _flag(column, texts[position])
        except InputError:
            others.add(position)
    return values


def _numbers(column: str, texts: list[str | None], others: set[int]) -> list[float | None]:
    """A number column as `_number` reads each cell."""
    values: list[float | None] = [None] * len(texts)
    for position, text in enumerate(texts):
        if text is not None:
            try:
                values[position] = _number(column, text)
            except InputError:
                others.add(position)
    return values


@dataclass
class _Read:
    """A batch of rows as read: the valid actions with the lines they are on and their
    team codes, and the problems of the rows refused."""

    lines: list[int]
    teams: list[str]
    actions: NewActions = field(default_factory=NewActions)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, problem)
    # each row's details (_details), None for none: plain tuples, which the spool keeps
    details: list[tuple[Any, ...] | None] = field(default_factory=list)

    # the valid actions as parallel lists, in this order (`columns`, `of_columns`)
    COLUMNS = ("lines", "teams", "team_ids", "pledge_ids", "pledges", "values", "details")

    def columns(self) -> tuple[list[Any], ...]:
        """The valid actions as the spool keeps them (COLUMNS)."""
        batch = self.actions
        return (self.lines, self.teams, batch.team_ids, batch.pledge_ids, batch.pledges,
                batch.values, self.details)  # fmt: skip

    @classmethod
    def of_columns(cls, columns: Sequence[list[Any]]) -> _Read:
        """Valid actions given as `columns` gives them."""
        lines, teams, team_ids, pledge_ids, pledges, values, details = columns
        return cls(lines, teams, NewActions(team_ids, pledge_ids, pledges, values), details=details)

    def keep(self, kept: Sequence[bool]) -> None:
        """Only the actions marked True, in order."""
        batch = self.actions
        self.lines, self.teams = list(compress(self.lines, kept)), list(compress(self.teams, kept))
        batch.team_ids = list(compress(batch.team_ids, kept))
        batch.pledge_ids = list(compress(batch.pledge_ids, kept))
        batch.pledges = list(compress(batch.pledges, kept))
        batch.values = list(compress(batch.values, kept))
        self.details = list(compress(self.details, kept))


def _details(owner: _Owner, cells: Sequence[str | None]) -> tuple[Any, ...] | None:
    """A row's detail cells (DETAIL_COLUMNS) as the shortcut that keeps them reads its
    options (`victim-update --case`, `meeting --attendance --priorities`), each on an action
    of its own commitment only; None when the row gives none."""
    given = dict(zip(DETAIL_COLUMNS, cells, strict=False))  # a file may lack them all
    if not any(given.values()):
        return None
    pledge = owner.pledge
    for detail in national_store.DETAILS:
        if given[detail.export] is not None and not (
            pledge.kind is PledgeKind.NATIONAL and pledge.seq == detail.number
        ):
            raise InputError(
                f"only an action of a team's N{detail.number} has a {detail.export}, and "
                f"{pledge.ref} is not one",
                field=detail.export,
            )
    case, text = given["case"], given["priorities"]
    every = None if given["every"] is None else national.contact_every(given["every"])
    if every is not None and case is None:
        raise InputError(
            "a contact frequency is agreed on a victim's contact: give its case too",
            field="every",
        )
    attendance = _whole("attendance", given["attendance"], ATTENDANCE)
    try:
        agreed = () if text is None else tuple(national.split_priorities(text))
    except InputError as exc:
        raise InputError(
            "separate the priorities with ';', e.g. 'speeding; litter'", field=exc.field
        ) from None
    return tuple(national_store.Details(None if case is None else normalise_code(case),
                                        attendance, agreed, every))  # fmt: skip


# who a row whose team or pledge is refused stands for while its batch is read: the row
# is then read on its own (`_ActionRows.action`), which refuses it
_NOBODY = _Owner(
    Team.model_construct(code="", name="-", active=False),
    0,
    Pledge.model_construct(ref="", team="", seq=0, title="-"),
    0,
    entry_rules.LogTarget(False, False, False, False, None, None),
    None,
)

_ACTION_FIELDS = tuple(c.field for c in action_store.IMPORTED_COLUMNS)  # ACTION_COLUMNS order


def import_actions(
    store: Store,
    path: Path,
    now: datetime,
    *,
    dry_run: bool = False,
    on_duplicate: OnDuplicate = OnDuplicate.SKIP,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row of an `export actions`-shaped CSV, then write all or nothing.

    The whole file is read and validated first, without the write lock, so that `log` and
    other writers go on meanwhile; the lock is taken only for the writing (`_write`).
    Raises InvalidRowsError listing every bad row; nothing is written in that case.
    """
    source = _Csv(path, IMPORT_COLUMNS, ACTION_REQUIRED, ACTION_IGNORED, ACTION_EXACT)
    lookup = _Lookup(store)
    reader = _ActionRows(lookup, now)
    refs: dict[tuple[Any, ...], tuple[int, int]] = {}  # ref_identity -> first line, content
    report = ImportReport()
    problems: list[tuple[int, str]] = []  # (line, problem)
    # every valid row, in file order
    with Spool(len(_Read.COLUMNS), BATCH, HELD_IN_MEMORY) as valid:
        for lines, rows in source.chunks(PROGRESS_EVERY):
            report.rows += len(rows)
            if progress is not None and len(rows) == PROGRESS_EVERY:
                progress(lines[-1])
            read = reader.batch(source, lines, rows)
            problems.extend(read.problems)
            _repeated_refs(read, refs, on_duplicate, report, problems)
            valid.add(read.columns())
        report.uncounted, report.blank = reader.uncounted, source.blank
        write = not dry_run and not problems
        with store.write() if write else nullcontext():
            _unchanged(lookup)
            _write(store, valid, on_duplicate, report, problems, write=write)
            if problems:  # raised inside the transaction: everything rolls back
                raise InvalidRowsError(path, [text for _, text in sorted(problems)])
    return report


def _unchanged(lookup: _Lookup) -> None:
    """Inside the write: the teams and pledges the rows were validated against are still
    there and still read as they did (ids, active, type, agreed and closed days), one
    look per pledge; else the import is refused, to be run again against what is stored
    now (`pledge close` while a file was being read would otherwise let rows after the
    closing day in)."""
    found = [o for o in lookup.owners.values() if isinstance(o, _Owner)]
    owners = list({(o.team_key, o.pledge_key): o for o in found}.values())
    for owner, now in zip(owners, lookup.fresh_all(owners), strict=True):
        then = (owner.team_key, owner.pledge_key, owner.target, owner.kind)
        if now != then:  # an InputError: deleted, or renamed
            raise InputError(
                f"pledge {owner.pledge.ref} of team {owner.team.code} changed while the file "
                "was being checked; nothing imported (run the import again)",
                field="pledge",
            )


def _repeated_refs(
    read: _Read,
    refs: dict[tuple[Any, ...], tuple[int, int]],
    on_duplicate: OnDuplicate,
    report: ImportReport,
    problems: list[tuple[int, str]],
) -> None:
    """Rows with a ref repeated within the file as one action (store.actions.ref_identity:
    the same team, ref whatever its case, pledge and times): the first row holds it; a
    later one with the same content is a duplicate (skipped, or a problem), one with other
    values is refused, as against a stored action. Rows sharing a ref with other times or
    pledges are several actions (a patrol, then a message about one incident), all kept.
    `refs` keeps each identity's first line and a hash of its content, not the content, so
    that a file of a million refs stays small in memory."""
    batch = read.actions
    repeated: set[int] = set()
    for position in range(len(read.lines)):
        identity = action_store.ref_identity(batch, position)
        if identity is None:
            continue  # no ref, or voided: a voided action gives its ref up
        line = read.lines[position]
        content = hash(action_store.content_key(batch, position))
        earlier, first = refs.setdefault(identity, (line, content))
        if earlier == line:
            continue
        repeated.add(position)
        ref = action_store.live_ref(batch.values[position])
        if first != content:
            error = InputError(
                f"ref {ref!r} is also on line {earlier}, with the same pledge and times but "
                "other values (one action read twice, changed: make the two rows the same, "
                "or keep one)",
                field="ref",
            )
            problems.append((line, _problem(line, error, "ref")))
        elif on_duplicate is OnDuplicate.ERROR:
            error = InputError(
                f"duplicate ref {ref!r} for team {read.teams[position]} "
                f"(same action as line {earlier})",
                field="ref",
            )
            problems.append((line, _problem(line, error, "row")))
        else:
            report.duplicates += 1
    if repeated:
        read.keep([position not in repeated for position in range(len(read.lines))])


def _write(
    store: Store,
    valid: Spool,
    on_duplicate: OnDuplicate,
    report: ImportReport,
    problems: list[tuple[int, str]],
    *,
    write: bool,
) -> None:
    """The valid rows (the spool's chunks of BATCH, _Read.COLUMNS) checked against what
    is stored (store.actions.stored_duplicates), a chunk at a time, and written unless
    `write` is False (a dry run, or problems found).

    A row whose ref is stored with other values is refused, naming the column and the
    action. Inside one BEGIN IMMEDIATE transaction the check and the insert see every
    import that committed before, and none that commits during: two imports of the same
    file at once store it once. Only actions stored before this import count
    (`up_to_id`), and copies of an identical row are counted (`seen`): k copies in the
    file against m stored write max(0, k - m).
    """
    up_to_id = action_store.last_id(store)
    seen: dict[tuple[Any, ...], int] = {}
    for columns in valid.chunks():
        chunk = _Read.of_columns(columns)
        batch = chunk.actions
        differing: dict[int, action_store.Differing] = {}
        stored = action_store.stored_duplicates(store, batch, up_to_id, seen, differing)
        for position, other in differing.items():
            line, ref = chunk.lines[position], action_store.live_ref(batch.values[position])
            differs = (
                "received at the same time and still open there"
                if other.column == "when"
                else f"with the same pledge and times but a different {other.column}"
            )
            error = InputError(
                f"ref {ref!r} is already stored as action {other.stored} "
                f"({other.held_ref!r}), {differs} (an import never "
                f"changes an action; to replace it: pledgetrack void {other.stored} "
                "--reason '...', then import again)",
                field=other.column,
            )
            problems.append((line, _problem(line, error, "ref")))
        stored.update(_contacts_on_record(store, chunk, stored))
        completing: list[tuple[int, int, national_store.Details]] = []
        if stored:
            lines, teams = chunk.lines, chunk.teams
            for position, stored_id in stored.items():
                if on_duplicate is OnDuplicate.ERROR:
                    problem = _duplicate_problem(
                        lines[position], teams[position], batch.values[position], stored_id
                    )
                    problems.append((lines[position], problem))
                else:
                    report.duplicates += 1
                    if (given := chunk.details[position]) is not None:
                        completing.append(
                            (lines[position], stored_id, national_store.Details(*given))
                        )
            kept = [position not in stored for position in range(len(lines))]
            chunk.keep(kept)
            batch = chunk.actions
        report.written += len(batch)
        missing = _missing_details(store, completing, problems)
        report.completed += len(missing)
        if write and not problems:
            ids = action_store.insert_many(store, batch)
            contacts: dict[int, int] = {}  # new id: line
            for new_id, given, values, line in zip(
                ids, chunk.details, batch.values, chunk.lines, strict=True
            ):
                if given is not None:
                    missing.append((new_id, national_store.Details(*given)))
                    if _contact(given, values):
                        contacts[new_id] = line
            for action_id, details in missing:
                national_store.add_details(store, action_id, details, op="import")
            try:
                victim_cases.join_imported(store, list(contacts))
            except victim_cases.ContactRefused as exc:  # the whole import rolls back
                problems.append((contacts[exc.item], _problem(contacts[exc.item], exc, "received")))


def _contact(given: tuple[Any, ...], values: Sequence[Any]) -> bool:
    """Whether a row is a live contact of a victim's case (it has a case, not voided)."""
    return national_store.Details(*given).case is not None and (
        action_store.contact_values(values)[3] is None
    )


def _contacts_on_record(store: Store, chunk: _Read, stored: dict[int, int]) -> dict[int, int]:
    """The chunk's contacts of victims' cases that their case already holds, {position:
    item}: read again, a contact is no new one, though joining its case gave its item an
    end since (victim_cases.join_imported), so it no longer reads as the row did."""
    batch = chunk.actions
    cases = {
        p: national_store.Details(*given).case or ""
        for p, given in enumerate(chunk.details)
        if p not in stored and given is not None and _contact(given, batch.values[p])
    }
    if not cases:
        return {}
    positions = list(cases)
    found = national_store.contacts_on_record(
        store,
        [batch.team_ids[p] for p in positions],
        list(cases.values()),
        [action_store.contact_values(batch.values[p])[:3] for p in positions],
    )
    return {p: f for p, f in zip(positions, found, strict=True) if f is not None}


def _missing_details(
    store: Store,
    rows: list[tuple[int, int, national_store.Details]],
    problems: list[tuple[int, str]],
) -> list[tuple[int, national_store.Details]]:
    """Of rows skipped as duplicates, with details: the stored actions that lack those
    details (a move made before `export actions` carried them), with what to add. Details
    stored otherwise are refused, as a changed action is: an import never changes one."""
    if not rows:
        return []
    held, meetings = national_store.stored_details(store, [stored for _, stored, _ in rows])
    missing: list[tuple[int, national_store.Details]] = []
    for line, stored_id, given in rows:
        have = held.get(stored_id, national_store.Details())
        add = national_store.Details()
        if given.case is not None:
            if have.case is None:
                add = add._replace(case=given.case, every=given.every)
            elif have.case != given.case:
                problems.append((line, _details_differ(line, stored_id, "case", have.case)))
            elif given.every is not None and have.every != given.every:
                agreed = "" if have.every is None else national.every_words(have.every)
                problems.append((line, _details_differ(line, stored_id, "every", agreed)))
        if given.meeting:
            if stored_id not in meetings:
                add = add._replace(attendance=given.attendance, priorities=given.priorities)
            else:
                for column, theirs, mine in (
                    ("attendance", have.attendance, given.attendance),
                    ("priorities", have.priorities, given.priorities),
                ):
                    if theirs != mine:
                        problems.append((line, _details_differ(line, stored_id, column, theirs)))
                        break
        if add != national_store.Details():
            missing.append((stored_id, add))
    return missing


def _details_differ(line: int, stored_id: int, column: str, theirs: object) -> str:
    if isinstance(theirs, tuple):
        theirs = national_store.PRIORITY_SEPARATOR.join(theirs)
    error = InputError(
        f"action {stored_id} is already stored, with {column} {theirs!r} (an import never "
        "changes an action)",
        field=column,
    )
    return _problem(line, error, column)


def _duplicate_problem(line: int, team: str, values: Sequence[Any], stored: int) -> str:
    where = f"already stored as action {stored}"
    ref = action_store.live_ref(values)
    if ref is not None:
        error = InputError(f"duplicate ref {ref!r} for team {team} ({where})", field="ref")
    else:
        error = InputError(f"duplicate action ({where})", field="row")
    return _problem(line, error, "row")


def _pledge(get: Callable[[str], str | None], lookup: _Lookup, now: datetime) -> Pledge:
    """A row as the pledge it records, by `pledge add`'s rules (and `pledge close`'s for
    one recorded closed): not stored yet, its ref empty unless the row gives it. A row
    whose ref is a national commitment's (`CW01-N4`) records that commitment as it
    stands in the exporting database: its target of the catalogue's type."""
    team, _ = lookup.team(_required(get, "team"))
    title = _required(get, "title")
    agreed = _day("agreed", _required(get, "agreed"), now)
    review = _day("review", get("review"), now)
    target = build_target(**{f.name: _target_cell(f, get(f.name), now) for f in TARGET_FIELDS})
    kind, seq = _pledge_number(get("ref"), team.code)
    if kind is PledgeKind.NATIONAL:
        _national_target(team, seq, target)
    return local_pledge(
        team.code,
        title,
        target,
        agreed_on=agreed,
        review_on=review,
        meeting=get("meeting"),
        description=get("description"),
        seq=seq,
        kind=kind,
        status=_status(get("status")),
        outcome=get("outcome"),
        closed_on=_day("closed", get("closed"), now),
        today=now.date(),
    )


def _pledge_number(text: str | None, team: str) -> tuple[PledgeKind, int]:
    """The kind and n of a `ref` cell `<TEAM>-L<n>` (or `<TEAM>-N<n>`, a national
    commitment) of the row's team; local 0 (the team's next) if empty."""
    if text is None:
        return PledgeKind.LOCAL, 0
    ref = normalise_code(text)
    found = re.fullmatch(rf"{re.escape(team)}-([LN])([0-9]+)", ref)
    if found is None:
        raise InputError(
            f"{ref!r} is not a pledge reference of team {team} ({team}-L<n>, or {team}-N<n> "
            "for a national commitment)",
            field="ref",
        )
    seq = int(found[2])
    if found[1] == "N":
        if seq not in national.NUMBERS:
            raise InputError(
                f"{ref}: the national commitments are N1 to N{national.NUMBERS[-1]}", field="ref"
            )
        return PledgeKind.NATIONAL, seq
    if not PLEDGE_NUMBER.contains(seq):
        raise InputError(
            f"{ref}: the number of a reference must be {PLEDGE_NUMBER.phrase()}", field="ref"
        )
    return PledgeKind.LOCAL, seq


def _national_target(team: Team, number: int, target: Target) -> None:
    """A national commitment's target keeps the catalogue's type (`pledge edit` changes
    its figures, never its type)."""
    expected = national.commitment(number).target_for(team.setting).type
    if target.type != expected:
        raise InputError(
            f"{team.code}-N{number} has a {expected} target (the national catalogue's), "
            f"not {target.type}",
            field="target",
        )


def _status(text: str | None) -> PledgeStatus:
    return word_of(PledgeStatus, text, "status") if text else PledgeStatus.ACTIVE


def _target_cell(spec: TargetField, text: str | None, now: datetime) -> object:
    """A target column's cell as `pledge add` takes the option: a number, a date or text."""
    if spec.kind is int:
        return _whole(spec.name, text, spec.range)
    if spec.kind is float:
        return _number(spec.name, text, spec.range)
    if spec.kind is date:
        return _day(spec.name, text, now)
    return text


class _PledgeRow(NamedTuple):
    line: int
    pledge: Pledge  # as it would be stored; ref "" (seq 0): the team's next
    cells: tuple[Any, ...]  # pledge_cells(pledge): what an equal pledge has
    # its target changes where it comes from (target_changed): each day, the target replaced
    changes: tuple[tuple[date, Target], ...] = ()

    @property
    def key(self) -> tuple[str, str, date | None]:
        """What makes a pledge without a ref the same as another: the same title (in any
        case) agreed by the same team on the same day."""
        return _pledge_key(self.pledge)


def _pledge_key(pledge: Pledge) -> tuple[str, str, date | None]:
    return (pledge.team, pledge.title.casefold(), pledge.agreed_on)


def import_pledges(
    store: Store,
    path: Path,
    now: datetime,
    *,
    dry_run: bool = False,
    on_duplicate: OnDuplicate = OnDuplicate.SKIP,
) -> ImportReport:
    """Local pledges from a spreadsheet or `export pledges`, all or nothing, re-runs adding
    nothing: a row with a ref is the same pledge as one stored (or earlier in the file)
    under that ref, and refused if it differs from it; a row without one is the same as a
    pledge of the same title agreed by the same team on the same day.

    Rows are validated first; the check against stored pledges and the inserts then share
    one write transaction, so imports of the same file at once store it once.
    """
    source = _Csv(path, PLEDGE_COLUMNS, PLEDGE_REQUIRED, (), PLEDGE_EXACT)
    lookup = _Lookup(store)
    report = ImportReport()
    problems: list[tuple[int, str]] = []
    rows: list[_PledgeRow] = []
    for line, row in source.rows():
        report.rows += 1
        get = source.getter(row)
        try:
            pledge = _pledge(get, lookup, now)
            changes = _target_changes(get(pledge_columns.TARGET_CHANGED), now)
        except InputError as exc:
            problems.append((line, _problem(line, exc, "target")))
            continue
        rows.append(_PledgeRow(line, pledge, pledge_columns.pledge_cells(pledge), changes))
    report.blank = source.blank
    valid = _once_in_file(rows, on_duplicate, report, problems)
    with nullcontext() if dry_run or problems else store.write():
        fresh, settled = _unstored_pledges(store, valid, on_duplicate, report, problems)
        if problems:
            raise InvalidRowsError(path, [text for _, text in sorted(problems)])
        report.written, report.settled = len(fresh), len(settled)
        if dry_run:
            return report
        for item in settled:  # one audit entry each (op import), of the columns it changes
            update_pledge(store, item.pledge, op="import")
            # then its target's changes there, after the entry (which a note passes over
            # when it only replaces the first target replaced with itself)
            if item.changes:
                record_target_changes(store, item.pledge.ref, item.changes, item.pledge.target)
        # the refs the file gives first, so that one allocated (the team's next) is none
        # of them; then printed in file order
        stored: dict[int, str] = {}
        for item in sorted(fresh, key=lambda item: item.pledge.seq == 0):
            try:
                stored[item.line] = add_pledge(store, item.pledge).ref
            except InputError as exc:  # a rule the checks above missed: still name the line
                raise InvalidRowsError(path, [_problem(item.line, exc, "row")]) from None
        report.refs.extend(stored[item.line] for item in fresh)
        for item in fresh:
            if item.changes:
                record_target_changes(store, stored[item.line], item.changes, item.pledge.target)
    return report


def _target_changes(text: str | None, now: datetime) -> tuple[tuple[date, Target], ...]:
    """A target_changed cell as the changes it carries: each day (as `agreed` is read) and
    the target it replaced (as a row's target columns are read)."""
    if text is None:
        return ()
    changes = []
    for n, (on, cells) in enumerate(pledge_columns.changes_in_cell(text), 1):
        column = pledge_columns.TARGET_CHANGED
        try:
            day = _day(column, on, now)
            before = build_target(
                **{f.name: _target_cell(f, cells.get(f.name), now) for f in TARGET_FIELDS}
            )
        except InputError as exc:
            raise InputError(f"change {n}: {exc.in_file()}", field=column) from None
        if day is not None:
            changes.append((day, before))
    return tuple(changes)


def _once_in_file(
    rows: list[_PledgeRow],
    on_duplicate: OnDuplicate,
    report: ImportReport,
    problems: list[tuple[int, str]],
) -> list[_PledgeRow]:
    """Each pledge once: a ref given again is a duplicate if the rows are alike, refused if
    they differ; a row without a ref, if a row before it (or any with a ref) has its title
    and agreed day."""
    by_ref: dict[str, _PledgeRow] = {}
    keys: dict[tuple[str, str, date | None], int] = {}
    for item in rows:
        if item.pledge.ref:
            first = by_ref.setdefault(item.pledge.ref, item)
            keys.setdefault(item.key, first.line)
    kept: list[_PledgeRow] = []
    for item in rows:
        ref = item.pledge.ref
        try:
            if ref:
                first = by_ref[ref]
                if first is not item:
                    _same_pledge(item, first.cells, f"on line {first.line} too", on_duplicate)
                    report.duplicates += 1
                    continue
            else:
                earlier = keys.setdefault(item.key, item.line)
                if earlier != item.line:
                    _pledge_duplicate(
                        item.pledge,
                        f"line {earlier} has the same title and agreed date",
                        on_duplicate,
                    )
                    report.duplicates += 1
                    continue
        except InputError as exc:
            problems.append((item.line, _problem(item.line, exc, "title")))
            continue
        kept.append(item)
    return kept


def _same_record(
    what: str,
    key: str,
    key_column: str,
    columns: Sequence[str],
    cells: tuple[tuple[Any, ...], tuple[Any, ...]],
    where: str,
    on_duplicate: OnDuplicate,
) -> None:
    """A row naming a record already there (stored, or earlier in the file), `key` its ref
    or code: a duplicate if every column reads alike (refused under --on-duplicate error),
    else refused, naming the first column that differs: an import never changes a record."""
    for column, mine, theirs in zip(columns, *cells, strict=True):
        if mine != theirs:
            raise InputError(
                f"{key} is {where}, with a different {column} (an import never changes a "
                f"{what})",
                field=column,
            )
    if on_duplicate is OnDuplicate.ERROR:
        raise InputError(f"duplicate {what} {key} ({where})", field=key_column)


def _same_pledge(
    item: _PledgeRow, other: tuple[Any, ...], where: str, on_duplicate: OnDuplicate
) -> None:
    cells = (item.cells, other)
    _same_record(
        "pledge", item.pledge.ref, "ref", pledge_columns.COMPARED, cells, where, on_duplicate
    )


def _pledge_duplicate(pledge: Pledge, where: str, on_duplicate: OnDuplicate) -> None:
    if on_duplicate is OnDuplicate.ERROR:
        raise InputError(f"duplicate pledge for team {pledge.team} ({where})", field="title")


def _unstored_pledges(
    store: Store,
    valid: list[_PledgeRow],
    on_duplicate: OnDuplicate,
    report: ImportReport,
    problems: list[tuple[int, str]],
) -> tuple[list[_PledgeRow], list[_PledgeRow]]:
    """The rows not already stored, reading each team's pledges once (inside the write);
    and the national commitments stored as attached (`national.as_attached`) that the file
    records otherwise: edited, closed, or applying from another day."""
    by_ref: dict[str, Pledge] = {}
    by_key: dict[tuple[str, str, date | None], str] = {}
    teams: dict[str, Team] = {}
    for code in dict.fromkeys(item.pledge.team for item in valid):
        teams[code] = get_team(store, code)
        for p in list_pledges(store, team=code):
            by_ref[p.ref] = p
            if p.agreed_on is not None:
                by_key[_pledge_key(p)] = p.ref
    fresh: list[_PledgeRow] = []
    settled: list[_PledgeRow] = []
    for item in valid:
        try:
            if item.pledge.ref:
                stored = by_ref.get(item.pledge.ref)
                if stored is None:
                    fresh.append(item)
                    continue
                cells = pledge_columns.pledge_cells(stored)
                if cells != item.cells and national.as_attached(stored, teams[stored.team].setting):
                    _keeps_its_actions(store, item.pledge)
                    settled.append(item)
                    continue
                _same_pledge(item, cells, "already stored", on_duplicate)
            else:
                where = by_key.get(item.key)
                if where is None:
                    fresh.append(item)
                    continue
                _pledge_duplicate(item.pledge, f"already stored as {where}", on_duplicate)
        except InputError as exc:
            problems.append((item.line, _problem(item.line, exc, "title")))
            continue
        report.duplicates += 1
    return fresh, settled


def _keeps_its_actions(store: Store, pledge: Pledge) -> None:
    """A national commitment brought to a file's keeps every action logged on it here
    within its agreed and closing days, as `pledge edit --agreed` and `pledge close --on`
    keep them."""
    for option, logged in (
        ("--agreed", live_actions_outside(store, pledge.ref, pledge.agreed_on, None)),
        ("--on", live_actions_outside(store, pledge.ref, None, pledge.closed_on)),
    ):
        entry_rules.check_keeps_actions(pledge, logged, option)


# What `export teams` writes: the options of `team add` (services/team_columns.py)
TEAM_COLUMNS = team_columns.COLUMN_NAMES


def _team(get: Callable[[str], str | None], now: datetime, national_given: bool) -> TeamFile:
    """A row as the team `team add` would register, with the commitments it attaches."""
    team = new_team(
        _required(get, "code"),
        _required(get, "name"),
        force=get("force"),
        area=get("area"),
        sergeant=get("sergeant"),
        contact=get("contact"),
        setting=_setting(get("setting")),
    )
    numbers = national.NUMBERS  # a file without the column: all, as `team add` gives them
    if national_given:
        text = get("national")
        try:
            numbers = () if text is None else national.parse_numbers("--national-only", text)
        except InputError as exc:
            raise InputError(str(exc), field="national") from None
    since = _day("since", get("since"), now)
    if numbers and since is None:
        raise InputError(
            "required with national commitments (the day they apply from)", field="since"
        )
    if not numbers and since is not None:
        raise InputError("given, but the team has no national commitments", field="since")
    if not _flag("active", get("active") or "1"):  # refused unless stored so (import_teams)
        team = team.model_copy(update={"active": False})
    return TeamFile(team, numbers, since)


def _archived(code: str) -> InputError:
    """An archived team is not registered: archiving withdraws its active pledges as of
    the day it is done, which the file does not say."""
    return InputError(
        f"{code} is archived; import teams registers active teams (import it active, then "
        f"run team archive {code} once its pledges and actions are in)",
        field="active",
    )


def _setting(text: str | None) -> Setting | None:
    return None if text is None else word_of(Setting, text, "setting")


def import_teams(
    store: Store,
    path: Path,
    now: datetime,
    *,
    dry_run: bool = False,
    on_duplicate: OnDuplicate = OnDuplicate.SKIP,
) -> ImportReport:
    """Teams, as `team add` registers them, all or nothing; a code stored (or earlier in
    the file) with every column alike is a duplicate, with anything different refused,
    naming the first column that differs: an import never changes a team.

    Runs inside the caller's write transaction (the codes are printed in it)."""
    source = _Csv(path, TEAM_COLUMNS, team_columns.REQUIRED, (), team_columns.EXACT)
    report = ImportReport()
    problems: list[tuple[int, str]] = []
    rows: list[tuple[int, TeamFile, tuple[Any, ...]]] = []
    for line, row in source.rows():
        report.rows += 1
        try:
            held = _team(source.getter(row), now, "national" in source.index)
        except InputError as exc:
            problems.append((line, _problem(line, exc, "row")))
            continue
        rows.append((line, held, team_columns.team_cells(held)))
    report.blank = source.blank
    codes = sorted({held.team.code for _, held, _ in rows})
    wanted = set(codes)
    pledges: dict[str, list[Pledge]] = {}
    for pledge in list_pledges(store, teams=codes) if codes else []:
        pledges.setdefault(pledge.team, []).append(pledge)
    stored = {
        team.code: team_columns.team_cells(team_columns.team_file(team, pledges.get(team.code, [])))
        for team in list_teams(store, include_archived=True)
        if team.code in wanted
    }
    seen: dict[str, tuple[int, tuple[Any, ...]]] = {}
    fresh: list[TeamFile] = []
    for line, held, cells in rows:
        code = held.team.code
        if code in seen:
            where, other = f"on line {seen[code][0]} too", seen[code][1]
        elif code in stored:
            where, other = "already stored", stored[code]
        else:
            seen[code] = (line, cells)
            if held.team.active:
                fresh.append(held)
            else:
                problems.append((line, _problem(line, _archived(code), "active")))
            continue
        try:
            _same_record("team", code, "code", TEAM_COLUMNS, (cells, other), where, on_duplicate)
        except InputError as exc:
            problems.append((line, _problem(line, exc, "code")))
            continue
        report.duplicates += 1
    if problems:
        raise InvalidRowsError(path, [text for _, text in sorted(problems)])
    report.written = len(fresh)
    if not dry_run:
        for held in fresh:
            register_team(store, held.team, held.since or now.date(), held.national)
            report.refs.append(held.team.code)
    return report


# What `export next-meetings` writes: each announcement of `next-meeting`
# (services/meeting_columns.py)
MEETING_COLUMNS = meeting_columns.COLUMN_NAMES


class _Announcement(NamedTuple):
    line: int
    team: str
    starts: datetime
    place: str | None
    note: str | None
    announced: datetime
    cancelled: datetime | None

    @property
    def cells(self) -> tuple[Any, ...]:
        """In MEETING_COLUMNS order, times as instants (two spellings of one compare equal)."""
        return self[1:]

    @property
    def key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in meeting_columns.KEY)


def _announcement(line: int, get: Callable[[str], str | None], lookup: _Lookup,
                  now: datetime) -> _Announcement:  # fmt: skip
    """A row as the announcement `next-meeting` made: its team stored, its times read as a
    file's are (never relative to the day), made and called off no later than now, and
    called off no earlier than made."""
    team, _ = lookup.team(_required(get, "team"))
    times = {name: _moment(name, get(name), now) for name in meeting_columns.TIMES}
    for name in meeting_columns.REQUIRED:
        if name in times and times[name] is None:
            raise InputError("required, but empty", field=name)
    announced, cancelled = times["announced"], times["cancelled"]
    assert announced is not None
    # a time a file says was already so may be ahead of our clock by what two clocks
    # disagree by, as `voided_at` in import actions: entry_rules' one tolerance
    for name, moment in (("announced", announced), ("cancelled", cancelled)):
        if moment is not None and moment > entry_rules.latest_allowed(now):
            raise InputError(f"{moment.isoformat()} is in the future", field=name)
    if cancelled is not None and cancelled < announced:
        raise InputError(
            f"{cancelled.isoformat()} is before it was announced ({announced.isoformat()})",
            field="cancelled",
        )
    starts = times["starts"]
    assert starts is not None
    return _Announcement(line, team.code, starts, get("place"), get("note"), announced, cancelled)


def import_next_meetings(
    store: Store,
    path: Path,
    now: datetime,
    *,
    dry_run: bool = False,
    on_duplicate: OnDuplicate = OnDuplicate.SKIP,
) -> ImportReport:
    """The meetings teams announced (`export next-meetings`), all or nothing, in file order:
    a row whose team, start and announcement a stored one (or an earlier row) has is a
    duplicate when every column reads alike, else refused, naming the first that differs.

    Runs inside the caller's write transaction (the check and the inserts), so imports of
    one file at once store it once."""
    source = _Csv(path, MEETING_COLUMNS, meeting_columns.REQUIRED, (), meeting_columns.EXACT)
    lookup = _Lookup(store)
    report = ImportReport()
    problems: list[tuple[int, str]] = []
    rows: list[_Announcement] = []
    for line, row in source.rows():
        report.rows += 1
        try:
            rows.append(_announcement(line, source.getter(row), lookup, now))
        except InputError as exc:
            problems.append((line, _problem(line, exc, "row")))
    report.blank = source.blank
    stored: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    teams = sorted({item.team for item in rows})
    for cells in national_store.planned_meetings(store, teams, meeting_columns.STORED):
        held = dict(zip(MEETING_COLUMNS, cells, strict=True))
        for name in meeting_columns.TIMES:
            held[name] = None if held[name] is None else datetime.fromisoformat(held[name])
        stored[tuple(held[name] for name in meeting_columns.KEY)] = tuple(held.values())
    seen: dict[tuple[Any, ...], _Announcement] = {}
    fresh: list[_Announcement] = []
    for item in rows:
        if item.key in seen:
            where, other = f"on line {seen[item.key].line} too", seen[item.key].cells
        elif item.key in stored:
            where, other = "already stored", stored[item.key]
        else:
            seen[item.key] = item
            fresh.append(item)
            continue
        what = f"{item.team}'s meeting of {item.starts.isoformat()}"
        try:
            _same_record("meeting announcement", what, "starts", MEETING_COLUMNS,
                         (item.cells, other), where, on_duplicate)  # fmt: skip
        except InputError as exc:
            problems.append((item.line, _problem(item.line, exc, "row")))
            continue
        report.duplicates += 1
    if problems:
        raise InvalidRowsError(path, [text for _, text in sorted(problems)])
    report.written = len(fresh)
    if not dry_run:
        with store.write():
            for item in fresh:
                national_store.add_planned_meeting(
                    store, item.team, item.starts, item.place, item.note, item.announced,
                    cancelled_at=item.cancelled, op="import",
                )  # fmt: skip
    return report


def _problem(line: int, exc: InputError, column: str) -> str:
    """`line N: column: message`, the column being the field the error names (once: a
    model's error already begins with it, `code: team code ...`, and a refusal worded for
    the command line, `setting must be urban or rural`, says `setting: must be ...` once), and
    the inputs the message names shown as columns (`review`, not the flag `--review`)."""
    field = exc.field or column
    text = exc.in_file().removeprefix(f"{field}: ")
    if text.startswith(f"{field} "):
        text = text.removeprefix(f"{field} ")
    return f"line {line}: {field}: {text}"


def describe_report(report: ImportReport, what: str, *, dry_run: bool) -> str:
    """The closing line for the person or the cron log."""
    verb = "would import" if dry_run else "imported"
    text = f"{verb} {_count(report.written, what)} from {_count(report.rows, 'row')}"
    if report.settled:
        verb = "would be updated" if dry_run else "updated"
        text += f"; {_count(report.settled, 'national commitment')} {verb} from the file"
    if report.duplicates:
        text += f"; {_count(report.duplicates, 'duplicate')} skipped"
    if report.blank:
        text += f"; {_count(report.blank, 'blank row')} skipped"
    return text


def describe_completed(report: ImportReport, *, dry_run: bool) -> str | None:
    """A note for the actions stored before (a move by an older release) that the file
    gave the case or meeting details they lacked, or None."""
    if not report.completed:
        return None
    verb = "would be given" if dry_run else "were given"
    return (
        f"note: {_count(report.completed, 'action')} stored before {verb} the file's case "
        "or meeting details"
    )


def describe_uncounted(report: ImportReport) -> str | None:
    """One line for the rows whose kind their pledge does not count (a typo, `patorl`,
    stored as typed, would otherwise never count without a word), or None."""
    if not report.uncounted:
        return None
    by_pledge: dict[tuple[str, str], list[str]] = {}
    for (pledge, counted, kind), n in report.uncounted.most_common():
        by_pledge.setdefault((pledge, counted), []).append(f"{kind!r} ({n})")
    said = [
        f"{pledge} counts {counted!r} actions, not {', '.join(kinds)}"
        for (pledge, counted), kinds in by_pledge.items()
    ]
    shown = "; ".join(said[:3]) + (f"; and {len(said) - 3} more pledges" if len(said) > 3 else "")
    rows = _count(sum(report.uncounted.values()), "row")
    return f"note: {rows} will not count: {shown}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
