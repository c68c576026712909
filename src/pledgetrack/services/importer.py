"""Bulk import from CSV: every row is checked by the rules `log` and `pledge add` apply,
and the file goes in whole or not at all.

One pass reads, validates and (unless it is a dry run) writes in batches inside a single
write transaction; the first invalid row stops the writing, the rest are still checked so
that every problem is reported, and the transaction is rolled back. Memory stays flat:
only the refs seen in the file are remembered, to catch duplicates within it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from pledgetrack.csvcodec import read_csv
from pledgetrack.domain import entry_rules
from pledgetrack.domain.dates import DateInputError, parse_date, parse_datetime
from pledgetrack.domain.models import Action, Pledge, Team, normalise_code
from pledgetrack.domain.numbers import read_number
from pledgetrack.domain.targets import Target, build_target
from pledgetrack.domain.text import text_problem
from pledgetrack.errors import InputError
from pledgetrack.services.pledge_lifecycle import new_local_pledge
from pledgetrack.store import actions as action_store
from pledgetrack.store.actions import NewAction
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import get_pledge, list_pledges, pledge_id
from pledgetrack.store.teams import get_team, team_id

_T = TypeVar("_T")

BATCH = 5_000
PROGRESS_EVERY = 2_000

# The columns of `export actions` an import reads; `id` and `created_at` are exported for the
# record only (the receiving database numbers and dates its own rows).
ACTION_IGNORED = ("id", "created_at")
ACTION_COLUMNS = tuple(c for c in action_store.EXPORT_COLUMNS if c not in ACTION_IGNORED)
ACTION_REQUIRED = ("team", "pledge", "when", "description")
# Free text is taken exactly as written, leading and trailing spaces too, as `log` stores
# it, so that an export read back in is the same log; every other cell is stripped.
ACTION_EXACT = ("description", "officer", "partner", "void_reason")

# examples/demo/pledges.csv: the options of `pledge add`, one column each
PLEDGE_COLUMNS = (
    "team",
    "title",
    "at_least",
    "per",
    "action_kind",
    "within",
    "threshold",
    "share",
    "by",
    "agreed",
    "review",
    "meeting",
    "description",
)
PLEDGE_REQUIRED = ("team", "title", "agreed")

TRUE_WORDS = frozenset({"1", "yes", "y", "true", "t"})
FALSE_WORDS = frozenset({"", "0", "no", "n", "false", "f"})


class OnDuplicate(StrEnum):
    SKIP = "skip"
    ERROR = "error"


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
    written: int = 0  # written, or that would be on a dry run
    duplicates: int = 0  # skipped as already stored (or repeated in the file)
    ignored_columns: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # pledges: the references allocated


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
        self.index: dict[str, int] = {}
        self.unknown: list[str] = []
        self.width = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows with their line numbers, after reading the header from the first."""
        for line, row in read_csv(self.path):
            if not self.index:
                self._header(row)
                continue
            yield line, row
        if not self.index:
            raise InputError(f"{self.path}: empty file (expected a header row)")

    def _header(self, row: list[str]) -> None:
        names = [name.strip().lower() for name in row]
        self.width = len(names)
        seen: set[str] = set()
        for position, name in enumerate(names):
            if name in seen:
                raise InputError(f"{self.path}: line 1: column {name!r} appears twice")
            seen.add(name)
            if name in self.columns:
                self.index[name] = position
            elif name not in self.ignored:
                self.unknown.append(name)
        missing = [c for c in self.required if c not in self.index]
        if missing:
            raise InputError(
                f"{self.path}: line 1: missing column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} (expected {','.join(self.columns)})"
            )

    def getter(self, row: list[str]) -> Callable[[str], str | None]:
        """Cell by column name: None when blank (nothing but spaces) or absent; else the
        text (the reader has undone the export's formula guard), stripped unless the
        column is one of `exact`."""
        if len(row) > self.width:
            raise InputError(f"{len(row)} fields, but the header has {self.width}", field="row")
        cells: dict[str, str | None] = {}
        for name, position in self.index.items():
            text = row[position] if position < len(row) else ""
            if "\x00" in text:  # the file is strict UTF-8, so NUL is the one character to catch
                raise InputError(text_problem(text) or "contains a NUL character", field=name)
            stripped = text.strip()
            cells[name] = (text if name in self.exact else stripped) if stripped else None
        return cells.get


class _Lookup:
    """Teams and pledges by code, read once each and remembered for the whole file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.teams: dict[str, tuple[Team, int] | InputError] = {}
        self.pledges: dict[str, tuple[Pledge, int] | InputError] = {}

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


def _remembered(
    cache: dict[str, _T | InputError], column: str, code: str, load: Callable[[str], _T]
) -> _T:
    """Look a code up once; an unknown one is a problem of every row that names it."""
    key = normalise_code(code)
    if key not in cache:
        try:
            cache[key] = load(key)
        except InputError as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, InputError):
        raise InputError(str(found), field=column)
    return found


def _required(get: Callable[[str], str | None], column: str) -> str:
    value = get(column)
    if value is None:
        raise InputError("required, but empty", field=column)
    return value


def _moment(column: str, text: str | None, now: datetime) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_datetime(text, now)
    except DateInputError as exc:
        raise InputError(str(exc), field=column) from None


def _day(column: str, text: str | None, now: datetime) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text, now)
    except DateInputError as exc:
        raise InputError(str(exc), field=column) from None


def _number(column: str, text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = read_number(text)
    except ValueError as exc:
        raise InputError(str(exc), field=column) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(f"not a number: {text!r}", field=column)
    return value


def _whole(column: str, text: str | None) -> int | None:
    value = _number(column, text)
    if value is None:
        return None
    if not value.is_integer():
        raise InputError(f"not a whole number: {text!r}", field=column)
    return int(value)


def _flag(column: str, text: str | None) -> bool:
    word = (text or "").lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InputError(f"expected yes or no (or 1/0, true/false), not {text!r}", field=column)


def _action(get: Callable[[str], str | None], lookup: _Lookup, now: datetime) -> NewAction:
    """One row as a validated action, or InputError naming the first bad column."""
    team, team_key = lookup.team(_required(get, "team"))
    pledge, pledge_key = lookup.pledge(_required(get, "pledge"))
    if pledge.team != team.code:
        raise InputError(
            f"{pledge.ref} is a pledge of team {pledge.team}, not {team.code}", field="pledge"
        )
    received = _moment("received", get("received"), now)
    when_text = get("when")
    if when_text is None and received is None:
        # an open response item (received, not yet dealt with) is the one row without `when`
        raise InputError("required, but empty", field="when")
    occurred = _moment("when", when_text, now)
    description = _required(get, "description")
    hours = _number("hours", get("hours"))
    entry_rules.check_hours(hours, abstracted=False)  # before the model, which refuses -1 too
    voided = _moment("voided_at", get("voided_at"), now)
    reason = get("void_reason")
    action = Action(
        team=team.code,
        pledge=pledge.ref,
        description=description,
        occurred_at=occurred,
        received_at=received,
        kind=get("kind"),
        officer=get("officer"),
        partner=get("partner"),
        hours=hours,
        abstracted=_flag("abstracted", get("abstracted")),
        ext_ref=get("ref"),
        highlight=_flag("highlight", get("highlight")),
        voided_at=voided,
        void_reason=reason,
    )
    action = entry_rules.prepare(team, pledge, action, now)  # exactly what `log` applies
    return NewAction(team_key, pledge_key, action)


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

    Raises InvalidRowsError listing every bad row; nothing is written in that case.
    """
    source = _Csv(path, ACTION_COLUMNS, ACTION_REQUIRED, ACTION_IGNORED, ACTION_EXACT)
    lookup = _Lookup(store)
    report = ImportReport()
    problems: list[str] = []
    seen = _Seen(action_store.last_id(store))
    batch: list[NewAction] = []
    with nullcontext() if dry_run else store.write():
        for line, row in source.rows():
            report.rows += 1
            if progress is not None and report.rows % PROGRESS_EVERY == 0:
                progress(line)
            try:
                item = _action(source.getter(row), lookup, now)
                if _duplicate(store, item, line, seen, on_duplicate):
                    report.duplicates += 1
                    continue
            except InputError as exc:
                problems.append(_problem(line, exc, "row"))
                continue
            report.written += 1
            if problems or dry_run:
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                action_store.insert_many(store, batch)
                batch.clear()
        report.ignored_columns = source.unknown
        if problems:
            raise InvalidRowsError(path, problems)
        if not dry_run:
            action_store.insert_many(store, batch)
    return report


def _duplicate(
    store: Store,
    item: NewAction,
    line: int,
    seen: _Seen,
    on_duplicate: OnDuplicate,
) -> bool:
    """True when the row is already stored, so a re-run of the same file adds nothing.

    With a ref, the ref decides (unique among a team's live actions; a ref repeated in the
    file is caught too). Without one, or on a voided row (a voided action gives its ref up
    to the corrected entry), a row identical in every field to an action stored before
    this import began is the same action again; identical rows within one file are kept,
    as the log they were exported from held them both.
    """
    action = item.action
    ref = action.ext_ref if action.voided_at is None else None
    stored: int | None = None
    if ref is None:
        if seen.had_actions(store, item.pledge_id):
            stored = action_store.id_by_content(store, item.pledge_id, action, seen.up_to_id)
        where = None if stored is None else f"already stored as action {stored}"
    else:
        earlier = seen.refs.setdefault((item.team_id, ref), line)
        if earlier != line:
            where = f"same ref as line {earlier}"
        else:
            if seen.had_refs(store, item.team_id):
                stored = action_store.id_by_ext_ref(store, item.team_id, ref)
            where = None if stored is None else f"already stored as action {stored}"
    if where is None:
        return False
    if on_duplicate is OnDuplicate.ERROR:
        if ref is not None:
            raise InputError(f"duplicate ref {ref!r} for team {action.team} ({where})", field="ref")
        raise InputError(f"duplicate action ({where})", field="row")
    return True


@dataclass
class _Seen:
    """What duplicate checks remember: refs met in the file, and which teams and pledges
    had anything stored before the import began (a first import looks nothing up)."""

    up_to_id: int  # the last action stored before the import began
    refs: dict[tuple[int, str], int] = field(default_factory=dict)  # (team, ref) -> line
    teams_with_refs: dict[int, bool] = field(default_factory=dict)
    pledges_with_actions: dict[int, bool] = field(default_factory=dict)

    def had_refs(self, store: Store, team_key: int) -> bool:
        if team_key not in self.teams_with_refs:
            self.teams_with_refs[team_key] = action_store.any_before(
                store, self.up_to_id, team_key=team_key, with_ref=True
            )
        return self.teams_with_refs[team_key]

    def had_actions(self, store: Store, pledge_key: int) -> bool:
        if pledge_key not in self.pledges_with_actions:
            self.pledges_with_actions[pledge_key] = action_store.any_before(
                store, self.up_to_id, pledge_key=pledge_key
            )
        return self.pledges_with_actions[pledge_key]


@dataclass(frozen=True)
class _NewPledge:
    team: str
    title: str
    target: Target
    agreed_on: date
    review_on: date | None
    meeting: str | None
    description: str | None


def _pledge(get: Callable[[str], str | None], lookup: _Lookup, now: datetime) -> _NewPledge:
    team, _ = lookup.team(_required(get, "team"))
    title = _required(get, "title")
    agreed = _day("agreed", _required(get, "agreed"), now)
    assert agreed is not None
    review = _day("review", get("review"), now)
    target = build_target(
        at_least=_whole("at_least", get("at_least")),
        per=get("per"),
        action_kind=get("action_kind"),
        within=get("within"),
        threshold=_number("threshold", get("threshold")),
        share=_number("share", get("share")),
        by=_day("by", get("by"), now),
    )
    entry_rules.check_dates(agreed, review, target)  # as `pledge add` does, before writing
    return _NewPledge(team.code, title, target, agreed, review, get("meeting"), get("description"))


def import_pledges(
    store: Store,
    path: Path,
    now: datetime,
    *,
    dry_run: bool = False,
    on_duplicate: OnDuplicate = OnDuplicate.SKIP,
) -> ImportReport:
    """Local pledges from a spreadsheet, all or nothing; the same title agreed by the same
    team on the same day is a duplicate (so a re-run adds nothing)."""
    source = _Csv(path, PLEDGE_COLUMNS, PLEDGE_REQUIRED, ())
    lookup = _Lookup(store)
    report = ImportReport()
    problems: list[str] = []
    known: dict[str, dict[tuple[str, date | None], str]] = {}  # team -> (title, agreed) -> where
    valid: list[tuple[int, _NewPledge]] = []
    for line, row in source.rows():
        report.rows += 1
        try:
            new = _pledge(source.getter(row), lookup, now)
            stored = known.get(new.team)
            if stored is None:
                stored = known[new.team] = {
                    (p.title.casefold(), p.agreed_on): f"already stored as {p.ref}"
                    for p in list_pledges(store, team=new.team)
                }
            key = (new.title.casefold(), new.agreed_on)
            if key in stored:
                if on_duplicate is OnDuplicate.ERROR:
                    raise InputError(
                        f"duplicate pledge for team {new.team} ({stored[key]})", field="title"
                    )
                report.duplicates += 1
                continue
            stored[key] = f"line {line} has the same title and agreed date"
        except InputError as exc:
            problems.append(_problem(line, exc, "target"))
            continue
        valid.append((line, new))
    report.ignored_columns = source.unknown
    if problems:
        raise InvalidRowsError(path, problems)
    report.written = len(valid)
    if dry_run:
        return report
    with store.write():
        for line, new in valid:
            try:
                pledge = new_local_pledge(
                    store,
                    new.team,
                    new.title,
                    new.target,
                    agreed_on=new.agreed_on,
                    review_on=new.review_on,
                    meeting=new.meeting,
                    description=new.description,
                )
            except InputError as exc:  # a rule the checks above missed: still name the line
                raise InvalidRowsError(path, [_problem(line, exc, "row")]) from None
            report.refs.append(pledge.ref)
    return report


def _problem(line: int, exc: InputError, column: str) -> str:
    """`line N: column: message`, the column being the field the error names."""
    return f"line {line}: {exc.field or column}: {exc}"


def describe_report(report: ImportReport, what: str, *, dry_run: bool) -> str:
    """The closing line for the person or the cron log."""
    verb = "would import" if dry_run else "imported"
    text = f"{verb} {_count(report.written, what)} from {_count(report.rows, 'row')}"
    if report.duplicates:
        text += f"; {_count(report.duplicates, 'duplicate')} skipped"
    return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
