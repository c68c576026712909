"""Force-wide roll-up: many team databases and `export summary` CSVs into one table.

Headquarters receives a file or a database from each team. The same team, pledge and
period may arrive twice (a re-sent file, a database and its export): identical figures
are counted once, different figures are refused, naming both sources, because HQ must
not silently pick one. A pledge that only one of two sources for a team and period holds
is a figure that moved too (the team's % green is not either source's): refused alike,
unless one side's pledges for the team and period are settled (a final row: the period
had ended when it was judged) and the other's are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pledgetrack.atomicfile import is_database
from pledgetrack.csvcodec import read_csv
from pledgetrack.domain.dates import FIRST_DAY, LAST_DAY, SUPPORTED
from pledgetrack.domain.numbers import COMPLIANCE_PCT, FIGURE, read_number
from pledgetrack.domain.periods import Period
from pledgetrack.domain.plain_words import period_words
from pledgetrack.domain.rules import Figures, Status, held_figures, period_figures
from pledgetrack.domain.text import blank_row
from pledgetrack.errors import DatabaseError, InputError, of_database
from pledgetrack.services.compliance import EXPORT_FIELDS, summarise
from pledgetrack.services.exporter import SUMMARY_FIELDS
from pledgetrack.services.pledge_lifecycle import target_change_notes
from pledgetrack.store.changes import latest_change
from pledgetrack.store.connection import Store

NUMERIC = ("actual", "expected", "compliance_pct")
DATES = ("period_start", "period_end", "last_action")
FREE_TEXT = ("force", "team_name", "pledge_title", "target")
# What must agree when the same team, pledge and period arrive from two sources
FIGURES = ("pledge_type", "target", "actual", "expected", "compliance_pct", "status", "last_action")
STATUSES = frozenset(s.value for s in Status)
# Added to `export summary` after 0.1.0: a file exported before has none, and its rows are
# rolled up with it empty (not said), never guessed final or newer
LATER_FIELDS = ("figures", "last_change")
REQUIRED = tuple(f for f in SUMMARY_FIELDS if f not in LATER_FIELDS)
FINALITY = frozenset(f.value for f in Figures)
# Which of two rows alike in their figures to keep: the one saying most (final: they no
# longer change; provisional: they may; not said: a file from before the column)
_SAYS = {Figures.FINAL.value: 2, Figures.PROVISIONAL.value: 1, None: 0}

Key = tuple[str, str, str, str]  # team, pledge, period_start, period_end
_NEVER = datetime.min.replace(tzinfo=UTC)  # a row that does not say when it last changed
OpenDatabase = Callable[[Path], AbstractContextManager[Store]]
Row = dict[str, Any]


@dataclass(frozen=True)
class _Sourced:
    row: Row
    file: str
    line: int | None = None  # a CSV's: its figures as judged at its export's --as-of

    @property
    def source(self) -> str:
        """The file, and a CSV row's line."""
        return self.file if self.line is None else f"{self.file} line {self.line}"

    @property
    def exported(self) -> bool:
        return self.line is not None

    @property
    def changed(self) -> datetime | None:
        """When its database last changed a figure before it was judged (None: not said)."""
        text = self.row["last_change"]
        return None if text is None else datetime.fromisoformat(text)

    def newer_than(self, other: _Sourced) -> bool:
        """Judged after a change the other was not: both say when, and this one is later."""
        mine, theirs = self.changed, other.changed
        return mine is not None and theirs is not None and mine > theirs

    @property
    def says(self) -> tuple[int, datetime]:
        """Which of two rows alike in their figures to keep: the one saying most, then the
        newer (so the roll-up of the same inputs is the same in any order)."""
        return _SAYS[self.row["figures"]], self.changed or _NEVER


def rollup(
    inputs: Sequence[Path],
    periods: Sequence[Period] | None,
    default_period: Period,
    as_of: datetime,
    open_database: OpenDatabase,
    note: Callable[[str], None] | None = None,
) -> list[Row]:
    """One row per team x pledge x period across all inputs, in export order.

    Databases are summarised for `periods` (else `default_period`) as things stood at
    `as_of`; CSV rows are taken as exported, filtered to `periods` when given. Final
    figures take the place of provisional ones for the same row (the later judgement of
    the same thing); `note` is told so, and of every period whose rows are partly
    provisional and every file that does not say (exported before the `figures` column).
    """
    say = note or (lambda _: None)
    wanted = sorted(set(periods)) if periods else None
    merged: dict[Key, _Sourced] = {}
    holders: dict[Key, set[str]] = {}  # the files holding each row
    covers: dict[tuple[str, str, str], dict[str, set[str | None]]] = {}  # team x period
    replaced: dict[tuple[str, str], int] = {}
    # final rows giving way to newer final ones, and finals kept over newer provisional
    # ones: per pair of files (older, newer), the count and the first row's two times
    superseded: dict[tuple[str, str], list[Any]] = {}
    stale: dict[tuple[str, str], list[Any]] = {}
    unsaid: list[str] = []  # the files from before the figures column
    skipped: list[tuple[str, int]] = []  # the CSVs with blank rows, and how many
    changed: list[str] = []  # a database's targets changed since a period it judges began
    empty_files: list[tuple[str, set[tuple[str, str]]]] = []  # CSVs giving no row
    for path in inputs:
        if is_database(path):
            try:
                with open_database(path) as store:
                    found, empty = _database_rows(store, path, wanted or [default_period], as_of)
                    changed.extend(_target_notes(store, path, wanted or [default_period], as_of))
            except DatabaseError as exc:  # which of the inputs, and its db check
                raise of_database(exc, path) from None
            for team_period, figures in empty:  # it covers the team: nothing in force then
                covers.setdefault(team_period, {}).setdefault(str(path), set()).add(figures)
        else:
            held: set[tuple[str, str]] = set()  # every period the file holds rows of
            blanks: list[int] = []  # the lines of its rows of nothing (blank_row)
            found = list(_csv_rows(path, wanted, unsaid, held, blanks))
            if blanks:
                skipped.append((str(path), len(blanks)))
            if not found:
                empty_files.append((str(path), held))
        for item in found:
            row = item.row
            key = (row["team"], row["pledge"], row["period_start"], row["period_end"])
            holders.setdefault(key, set()).add(item.file)
            covered = covers.setdefault((row["team"], row["period_start"], row["period_end"]), {})
            covered.setdefault(item.file, set()).add(row["figures"])
            earlier = merged.get(key)
            if earlier is None:
                merged[key] = item
            elif all(earlier.row[f] == row[f] for f in FIGURES):
                kept, other = (item, earlier) if item.says > earlier.says else (earlier, item)
                merged[key] = kept
                if kept.row["figures"] == Figures.FINAL.value and (
                    other.row["figures"] == Figures.PROVISIONAL.value and other.newer_than(kept)
                ):  # the newer judgement has an item the final one does not know of
                    _count(stale, (kept, other))
            elif {earlier.row["figures"], row["figures"]} == set(FINALITY):
                final, provisional = (item, earlier) if row["figures"] == "final" else (
                    earlier, item
                )
                merged[key] = final
                pair = (provisional.file, final.file)
                replaced[pair] = replaced.get(pair, 0) + 1
                if provisional.newer_than(final):  # kept final; said, not hidden
                    _count(stale, (final, provisional))
            elif row["figures"] == earlier.row["figures"] == Figures.FINAL.value and (
                item.newer_than(earlier) or earlier.newer_than(item)
            ):  # both final: the later judgement of the same row
                newer, older = (item, earlier) if item.newer_than(earlier) else (earlier, item)
                merged[key] = newer
                _count(superseded, (older, newer))
            else:
                raise InputError(_conflict(key, earlier, item) + _judged_when(earlier, item, as_of))
    _refuse_or_warn_empty(empty_files, len(inputs), not merged, wanted, say)
    for line in list(_only_one_has(merged, holders, covers)):  # all, or refused before any
        say(line)
    for file, count in skipped:
        say(f"note: {file}: {count} blank row{'s' if count != 1 else ''} skipped")
    for old in unsaid:
        say(
            f"note: {old} has no figures column (exported before pledgetrack said whether "
            "figures are final): its rows are rolled up with figures empty, neither final "
            "nor provisional; export them again to know"
        )
    for (earlier_file, final_file), count in replaced.items():
        say(
            f"note: {final_file}'s final figures replace {earlier_file}'s provisional ones "
            f"({count} row{'s' if count != 1 else ''})"
        )
    for (old_file, new_file), (count, old_at, new_at) in superseded.items():
        say(
            f"note: {new_file}'s final figures replace {old_file}'s final ones ({_rows(count)}): "
            f"{new_file} was judged after a later change (last_change {new_at}, {old_file}'s "
            f"{old_at})"
        )
    for (final_file, later), (count, final_at, later_at) in stale.items():
        say(
            f"warning: {final_file}'s final figures are kept over {later}'s provisional "
            f"ones ({_rows(count)}), though {later} was judged after a later change "
            f"(last_change {later_at}, {final_file}'s {final_at}): a correction logged "
            f"since {final_file} was judged is not in them; ask for a final export again"
        )
    for line in dict.fromkeys(changed):
        say(line)
    rows = [item.row for item in sorted(merged.values(), key=lambda i: _order(i.row))]
    for warning in _mixed(rows):
        say(warning)
    return rows


def _count(pairs: dict[tuple[str, str], list[Any]], older_newer: tuple[_Sourced, _Sourced]) -> None:
    """One more row of a pair of files (older, newer), keeping the first row's times."""
    older, newer = older_newer
    held = pairs.setdefault(
        (older.file, newer.file), [0, older.row["last_change"], newer.row["last_change"]]
    )
    held[0] += 1


def _rows(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}"


def _only_one_has(
    merged: dict[Key, _Sourced],
    holders: dict[Key, set[str]],
    covers: dict[tuple[str, str, str], dict[str, set[str | None]]],
) -> Iterator[str]:
    """A note for each row that one source has and another for its team and period has not
    (a pledge added or moved out of the period since one was judged), where one side's
    pledges for it are settled (rules.held_figures) and the other's are not; otherwise a
    refusal naming them, because the union is what neither source says: `merged` loses
    the rows left out."""
    refused: list[tuple[Key, _Sourced, list[str]]] = []
    for key, item in list(merged.items()):
        team, pledge, start, end = key
        others = covers[(team, start, end)]
        absent = [f for f in others if f not in holders[key]]
        if not absent:
            continue
        where = f"team {team} pledge {pledge} {start}..{end}"
        lacking = " or ".join(absent)
        # which pledges the period held is settled by a source's final rows, not this
        # row's own figures: an open item keeps a row provisional, not the set
        mine = held_figures(others[item.file])
        theirs = {held_figures(others[f]) for f in absent}
        settled = "include final ones (judged once the period had ended)"
        if mine is Figures.FINAL and theirs == {Figures.PROVISIONAL}:
            yield (
                f"note: {where} is only in {item.source}: kept, since {item.file}'s rows "
                f"for the team and period {settled}, {lacking}'s are all provisional"
            )
        elif mine is Figures.PROVISIONAL and theirs == {Figures.FINAL}:
            del merged[key]
            yield (
                f"note: {where} is only in {item.source}: left out, since {item.file}'s "
                f"rows for the team and period are all provisional, {lacking}'s {settled}"
            )
        else:
            refused.append((key, item, absent))
    if refused:
        (team, pledge, start, end), item, absent = refused[0]
        more = [key[1] for key, _, _ in refused[1:]]
        also = f" (and {len(more)} more only one source has: {_some(more)})" if more else ""
        unsaid = [
            f for f in (item.file, *absent) if None in covers[(team, start, end)][f]
        ]  # an old file's rows are neither final nor provisional: nothing decides
        one = len(unsaid) == 1
        old = (
            f" ({' and '.join(unsaid)} {'does' if one else 'do'} not say whether "
            f"{'its' if one else 'their'} figures are final: export {'it' if one else 'them'}"
            " again)"
            if unsaid
            else ""
        )
        raise InputError(
            f"team {team} {start}..{end}: pledge {pledge} is in {item.source} but not in "
            f"{' or '.join(absent)}{also}; the sources differ in the pledges the period "
            "held (a pledge added, or its agreed date moved, after one of them was judged): "
            f"roll up the newer one alone{old}"
        )


def _some(names: Sequence[str]) -> str:
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _mixed(rows: Sequence[Row]) -> Iterator[str]:
    """A warning for each period whose rows are partly final, partly provisional: a force
    total of them would change without a word as the provisional ones settle."""
    by_period: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        by_period.setdefault((row["period_start"], row["period_end"]), []).append(row)
    for (start, end), own in by_period.items():
        provisional = [r for r in own if r["figures"] == Figures.PROVISIONAL.value]
        if provisional and any(r["figures"] == Figures.FINAL.value for r in own):
            teams = list(dict.fromkeys(r["team"] for r in provisional))
            whose = f"team{'s' if len(teams) > 1 else ''} {_some(teams)}"
            yield (
                f"warning: {start}..{end} mixes final and provisional figures: "
                f"{len(provisional)} of {len(own)} rows are provisional ({whose}) and may "
                "still change; roll up again once they are final"
            )


_REF = re.compile(r"^(?P<team>.+)-(?P<kind>[A-Z])(?P<seq>\d+)$")


def _order(row: Row) -> tuple[Any, ...]:
    """The order `summary` lists pledges in: period, team code, then national commitments
    (N) before local pledges (L), each by number (L2 before L10)."""
    match = _REF.match(row["pledge"])
    pledge = (-ord(match["kind"]), int(match["seq"]), "") if match else (0, 0, row["pledge"])
    return row["period_start"], row["period_end"], row["team"], pledge


def _conflict(key: Key, first: _Sourced, second: _Sourced) -> str:
    team, pledge, start, end = key
    differ = [f for f in FIGURES if first.row[f] != second.row[f]]

    def said(item: _Sourced) -> str:
        return " ".join(f"{f}={_text(item.row[f])}" for f in differ)

    return (
        f"conflicting figures for team {team} pledge {pledge} {start}..{end}: "
        f"{first.source} has {said(first)} but {second.source} has {said(second)}"
    )


def _judged_when(first: _Sourced, second: _Sourced, as_of: datetime) -> str:
    """The likely cause: a target changed (a row's `target` differs); when a CSV is one
    side, figures judged at another moment (an item pending then has fallen due since),
    or, both final, a correction logged in between."""
    if first.row["target"] != second.row["target"]:  # every figure is judged by it
        return (
            f"; {first.row['pledge']}'s target differs between them: it was changed "
            "after one of them was judged (its figures are judged by the target it has "
            "now): roll up the newer one alone"
        )
    if not (first.exported or second.exported):  # both judged here, at one as-of
        return ""
    if first.row["figures"] == second.row["figures"] == Figures.FINAL.value:
        if first.changed is not None and first.changed == second.changed:
            return (
                f"; both are final, judged after the same last change "
                f"({first.row['last_change']}), so neither is the newer: they were judged "
                "with different --as-of, or from different databases: roll up the right "
                "one alone"
            )
        unsaid = [i.file for i in (first, second) if i.changed is None]
        old = (
            f" ({' and '.join(dict.fromkeys(unsaid))} {'has' if len(unsaid) == 1 else 'have'}"
            " no last_change, which says which is newer: export again)"
            if unsaid and first.exported and second.exported
            else ""
        )
        return (
            "; both are final: an action back-dated into the period, or a void, was "
            f"logged after one of them was judged: roll up the newer one alone{old}"
        )
    if first.exported and second.exported:
        return "; the files may have been exported with different --as-of"
    return (
        f"; the database is judged as of {as_of:%d/%m/%Y %H:%M}, the CSV as of its "
        "export's --as-of: give rollup the same --as-of, or export the CSV again"
    )


def _text(value: Any) -> str:
    return "(empty)" if value is None else str(value)


def _database_rows(
    store: Store, path: Path, periods: Sequence[Period], as_of: datetime
) -> tuple[list[_Sourced], list[tuple[tuple[str, str, str], str]]]:
    """The rows, and each team and period summarised with none: a database holding a team
    (an active one, or one with pledges then) covers it even with no pledge in force, so
    that another source's rows for it are one-sided, not a union nobody said (its
    `figures` for nothing: final once the period had ended)."""
    rows: list[_Sourced] = []
    empty: list[tuple[tuple[str, str, str], str]] = []
    changed = latest_change(store)
    for period in periods:
        for summary in summarise(store, period, as_of):
            if not summary.results:
                span = (summary.team.code, period.start.isoformat(), period.end.isoformat())
                empty.append((span, period_figures(summary.ended).value))
            for result in summary.results:
                full = result.row()
                row = {key: _plain(full[key]) for key in EXPORT_FIELDS}
                row["last_change"] = changed
                row["detail"] = full["detail"]  # not compared, not written: the HQ report's
                rows.append(_Sourced(row, str(path)))
    return rows, empty


def _target_notes(
    store: Store, path: Path, periods: Sequence[Period], as_of: datetime
) -> Iterator[str]:
    """A database's notes of targets changed since the first period began, as `summary`
    says them (its rows are judged by the target each pledge has now), naming the file:
    once for all the periods (an HQ report's thirteen months), not once for each."""
    zone = ZoneInfo(store.zone) if store.zone else as_of.tzinfo or UTC
    span = Period(min(p.start for p in periods), max(p.end for p in periods), "")
    yield from target_change_notes(store, span, as_of, zone, source=str(path))


def _plain(value: Any) -> Any:
    """Dates as ISO text, as a CSV holds them, so rows from both kinds of input compare."""
    if isinstance(value, date):
        return value.isoformat()
    return value


def _refuse_or_warn_empty(
    empty: Sequence[tuple[str, set[tuple[str, str]]]],
    inputs: int,
    nothing: bool,
    periods: Sequence[Period] | None,
    say: Callable[[str], None],
) -> None:
    """Every input a CSV with no row for the periods asked: refused, naming what the files
    hold (a cron rolling up last month a day late, or a typo in --period, would publish an
    empty force table); a CSV giving no row to a rollup that has some: a warning (a team's
    export silently left out)."""
    if not empty:
        return
    asked = (
        ""
        if periods is None
        else " for " + period_words(Period(periods[0].start, periods[-1].end, ""))
    )
    def holding(held: set[tuple[str, str]], pronoun: str) -> str:
        spans = [f"{start}..{end}" for start, end in sorted(held)]
        return f" ({pronoun} {_some(spans)})" if spans else ""

    if nothing and len(empty) == inputs:
        held = set().union(*(own for _, own in empty))
        whose = (
            f"{empty[0][0]} has no"
            if len(empty) == 1
            else f"none of the {len(empty)} CSV files has"
        )
        pronoun = "it holds" if len(empty) == 1 else "they hold"
        raise InputError(f"{whose} rows{asked}{holding(held, pronoun)}", field="period")
    for name, own in empty:
        say(
            f"warning: {name} has no rows{asked}{holding(own, 'it holds')}: none of it is "
            "rolled up"
        )


def _csv_rows(
    path: Path,
    periods: Sequence[Period] | None,
    unsaid: list[str],
    held: set[tuple[str, str]],
    blanks: list[int],
) -> Iterator[_Sourced]:
    spans = {(p.start.isoformat(), p.end.isoformat()) for p in periods} if periods else None
    records = read_csv(path)
    _, header = next(records, (0, []))
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        raise InputError(
            f"{path}: not an `export summary` CSV or database "
            f"(missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)})"
        )
    if "figures" not in header:
        unsaid.append(str(path))
    for line, cells in records:
        if blank_row(cells):  # a spreadsheet's cleared line, as the imports skip it
            blanks.append(line)
            continue
        where = f"{path} line {line}"
        row = _parse(dict(zip(header, cells, strict=False)), where)
        held.add((row["period_start"], row["period_end"]))
        if spans is None or (row["period_start"], row["period_end"]) in spans:
            yield _Sourced(row, str(path), line)


def _parse(raw: dict[str | Any, str | Any], where: str) -> Row:
    row: Row = {}
    for key in SUMMARY_FIELDS:
        cell = raw.get(key) or ""
        # free text is kept exactly as exported; codes, numbers and dates may be padded
        text = cell if key in FREE_TEXT else cell.strip()
        value: Any = text or None
        if key in ("team", "pledge", "period_start", "period_end", "status") and value is None:
            raise InputError(f"{where}: {key}: required, but empty")
        if value is not None and key in NUMERIC:
            value = _number(text, key, where)
        elif value is not None and key in DATES:
            value = _day(text, key, where)
        elif value is not None and key == "last_change":
            value = _moment(text, key, where)
        row[key] = value
    if row["status"] not in STATUSES:
        raise InputError(f"{where}: status: unknown status {row['status']!r}")
    if row["figures"] is not None and row["figures"] not in FINALITY:
        raise InputError(
            f"{where}: figures: must be final or provisional (or empty: not said), "
            f"not {row['figures']!r}",
            field="figures",
        )
    if row["period_end"] < row["period_start"]:
        raise InputError(
            f"{where}: period_end: {row['period_end']} is before "
            f"period_start {row['period_start']}",
            field="period_end",
        )
    return row


# What each figure may be: a count or hours (actual, expected), or a percentage
_RANGES = {"actual": FIGURE, "expected": FIGURE, "compliance_pct": COMPLIANCE_PCT}


def _number(text: str, key: str, where: str) -> int | float:
    """A figure as `export summary` writes it: a plain decimal inside its range (never NaN,
    infinity, 10**400 or negative, which no team database can produce)."""
    try:
        value = read_number(text)
        _RANGES[key].check(key, value)
    except ValueError as exc:
        raise InputError(f"{where}: {key}: {exc}", field=key) from None
    except InputError as exc:
        raise InputError(f"{where}: {exc}", field=key) from None
    return int(value) if value.is_integer() and key != "compliance_pct" else value


def _moment(text: str, key: str, where: str) -> str:
    """A time as `export summary` writes it: ISO 8601 with its UTC offset (two compare as
    instants, whatever the zone)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError(
            f"{where}: {key}: not an ISO time with its offset "
            f"(like 2008-11-02T10:15:00+00:00): {text!r}",
            field=key,
        )
    if not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise InputError(f"{where}: {key}: {text} is out of range ({SUPPORTED})", field=key)
    return text


def _day(text: str, key: str, where: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: {key}: not an ISO date (YYYY-MM-DD): {text!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(f"{where}: {key}: {text} is out of range ({SUPPORTED})", field=key)
    return day.isoformat()
