"""The one declaration of target fields (domain/target_fields.py) and what is derived from it:
the store's columns and row mapping, the import columns and their reading, range checks."""

from __future__ import annotations

import math
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.main import get_command

from helpers import NOW, Run, ok
from pledgetrack.cli.app import app
from pledgetrack.csvcodec import write_csv
from pledgetrack.domain import targets as t
from pledgetrack.domain.dates import FIRST_DAY, LAST_DAY
from pledgetrack.domain.models import Team
from pledgetrack.domain.numbers import DURATION_MINUTES, PERCENT, Range
from pledgetrack.domain.target_fields import (
    FIELD_NAMES,
    TARGET_FIELDS,
    TARGET_TYPES,
    TargetField,
    fields_of,
    given_fields,
)
from pledgetrack.domain.targets import Target, amend_target, build_target, format_duration
from pledgetrack.domain.vocabulary import normalise_kind
from pledgetrack.errors import InputError
from pledgetrack.services.importer import PLEDGE_COLUMNS, import_pledges
from pledgetrack.store.connection import open_store
from pledgetrack.store.pledges import list_pledges, target_columns, target_from_row
from pledgetrack.store.teams import add_team

MODELS = get_args(get_args(Target)[0])
DOCS = Path(__file__).resolve().parents[1] / "docs"

# -- the declaration ------------------------------------------------------------------------


def test_each_target_type_has_its_fields_in_order() -> None:
    assert {kind: tuple(f.name for f in fields_of(kind)) for kind in TARGET_TYPES} == {
        "frequency": ("at_least", "per", "action_kind", "threshold"),
        "response": ("within", "threshold"),
        "share": ("share",),
        "deadline": ("by",),
        "none": (),
    }
    assert [f.option for f in TARGET_FIELDS] == [
        "--at-least", "--per", "--action-kind", "--within", "--threshold", "--share", "--by",
    ]  # fmt: skip


def test_the_declaration_and_the_models_name_the_same_attributes() -> None:
    """A field added to the declaration but not to its model (or the reverse) fails here."""
    assert sorted(m.model_fields["type"].default for m in MODELS) == sorted(TARGET_TYPES)
    for model in MODELS:
        kind = model.model_fields["type"].default
        assert {f.attribute for f in fields_of(kind)} == set(model.model_fields) - {"type"}


def test_every_field_is_a_column_of_the_pledges_table(tmp_path: Path) -> None:
    """The migrations created each declared column with its declared type (a new field
    needs its migration)."""
    path = tmp_path / "p.db"
    with open_store(path, create=True, actor="t", clock=lambda: NOW) as store:
        add_team(store, Team(code="T1", name="Team"))
    with sqlite3.connect(path) as conn:
        columns = {row[1]: row[2] for row in conn.execute("PRAGMA table_info(pledges)")}
    assert {f.column: columns.get(f.column) for f in TARGET_FIELDS} == {
        f.column: f.column_type for f in TARGET_FIELDS
    }


def test_an_unknown_field_name_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="not a target field: at_most"):
        build_target(at_most=3)
    with pytest.raises(TypeError, match="not a target field: count"):
        given_fields({"count": 3})


def test_the_import_reads_the_fields_as_columns_between_title_and_agreed() -> None:
    """The columns of examples/demo/pledges.csv and of docs/export-schema.md, in this order,
    then what `export pledges` adds: the ref, the closing and the target's changes."""
    assert PLEDGE_COLUMNS == (
        "team", "title", "at_least", "per", "action_kind", "within", "threshold", "share", "by",
        "agreed", "review", "meeting", "description", "ref", "status", "outcome", "closed",
        "target_changed",
    )  # fmt: skip


# -- ranges, at their edges -----------------------------------------------------------------

# the least each type needs besides the field under test
NEEDS: dict[str, dict[str, Any]] = {
    "frequency": {"at_least": 2, "per": "week"},
    "response": {"within": "24h"},
    "share": {"share": 50.0},
    "deadline": {"by": date(2008, 11, 28)},
}
RANGED = [f for f in TARGET_FIELDS if f.range is not None]


def _edges(spec: TargetField) -> tuple[list[float], list[float]]:
    """(accepted, refused) values at the two ends of the field's range."""
    assert spec.range is not None
    low, high = spec.range.low, spec.range.high
    if spec.kind is int:
        return [int(low), int(high)], [int(low) - 1, int(high) + 1]
    step = spec.range.step  # a percentage's 0.01: the least above the low end
    above_low = low + step if step else math.nextafter(low, math.inf)
    accepted = [above_low, high] if spec.range.above else [low, high]
    refused = [low] if spec.range.above else [math.nextafter(low, -math.inf)]
    if step:  # just under the least, and between two steps (0.015)
        refused += [math.nextafter(above_low, -math.inf), above_low + step / 2]
    return accepted, [*refused, math.nextafter(high, math.inf), math.inf, math.nan]


@pytest.mark.parametrize("spec", RANGED, ids=lambda f: f.name)
def test_each_range_holds_at_both_ends(spec: TargetField) -> None:
    accepted, refused = _edges(spec)
    for kind in spec.types:
        for value in accepted:
            target = build_target(**{**NEEDS[kind], spec.name: value})
            assert getattr(target, spec.attribute) == value
        for value in refused:
            with pytest.raises(InputError) as caught:
                build_target(**{**NEEDS[kind], spec.name: value})
            assert caught.value.field == spec.name
            assert str(caught.value).startswith(f"{spec.option} must be ")


@pytest.mark.parametrize("spec", RANGED, ids=lambda f: f.name)
def test_an_edit_is_held_to_the_same_range(spec: TargetField) -> None:
    accepted, refused = _edges(spec)
    for kind in spec.types:
        target = build_target(**NEEDS[kind])
        for value in accepted:
            assert getattr(amend_target(target, "X", **{spec.name: value}), spec.attribute) == value
        for value in refused:
            with pytest.raises(InputError, match=f"^{spec.option} must be "):
                amend_target(target, "X", **{spec.name: value})


def test_an_empty_text_keeps_the_figure_on_edit_but_an_empty_kind_drops_it() -> None:
    weekly = build_target(at_least=2, per="week", action_kind="patrol")
    assert amend_target(weekly, "X", per="", within=None) == weekly
    assert amend_target(weekly, "X", action_kind="") == weekly.model_copy(
        update={"action_kind": None}
    )
    reply = build_target(within="24h")
    assert amend_target(reply, "X", within="") == reply


def test_an_empty_kind_alone_picks_no_target_but_an_empty_unit_does() -> None:
    assert build_target(action_kind="") == t.NoTarget()
    with pytest.raises(InputError, match="needs both --at-least N and --per UNIT"):
        build_target(per="")


# -- round trips: store row -> target, CSV row -> target -----------------------------------



def in_range(limits: Range) -> st.SearchStrategy[float]:
    """Any value the declared range accepts: its steps when it has places (PERCENT's 0.01
    to 100), else any float between its ends."""
    if limits.places is None:
        return st.floats(limits.low, limits.high, exclude_min=limits.above, allow_nan=False)
    scale = 10**limits.places
    first = math.floor(limits.low * scale) + 1 if limits.above else math.ceil(limits.low * scale)
    return st.integers(first, math.floor(limits.high * scale)).map(lambda n: n / scale)


percent = in_range(PERCENT)
# a kind as it is stored: lower case, single spaces (vocabulary.normalise_kind)
kinds = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
    .map(normalise_kind)
    .filter(lambda kind: kind is not None and normalise_kind(kind) == kind)
)
targets: st.SearchStrategy[Target] = st.one_of(
    st.builds(
        t.FrequencyTarget,
        count=st.integers(1, 1_000_000),
        unit=st.sampled_from(t.Unit),
        action_kind=st.none() | kinds | st.sampled_from(["=1+1", "-2", "@sum(a1)", "+x"]),
        threshold_pct=percent,
    ),
    st.builds(
        t.ResponseTarget,
        within_minutes=st.integers(int(DURATION_MINUTES.low), int(DURATION_MINUTES.high)),
        threshold_pct=percent,
    ),
    st.builds(t.ShareTarget, share_pct=percent),
    st.builds(t.DeadlineTarget, due=st.dates(FIRST_DAY, LAST_DAY)),
    st.just(t.NoTarget()),
)


@given(targets)
def test_any_target_survives_its_store_columns(target: Target) -> None:
    columns = target_columns(target)
    assert set(columns) == {"target_type", *(f.column for f in TARGET_FIELDS)}
    assert columns["target_type"] == target.type
    used = {f.column for f in fields_of(target.type)}
    assert all(
        value is None for column, value in columns.items() if column not in used | {"target_type"}
    )
    assert target_from_row(columns) == target


def _as_typed(spec: TargetField, value: Any) -> str:
    """A target's value as a person types it in the CSV column."""
    if spec.name == "within":
        return format_duration(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return "" if value is None else str(value)


def _csv_row(n: int, target: Target) -> list[str]:
    cells = {f.name: _as_typed(f, getattr(target, f.attribute)) for f in fields_of(target.type)}
    fixed = {"team": "T1", "title": f"pledge {n}", "agreed": FIRST_DAY.isoformat()}
    return [{**fixed, **cells}.get(column, "") for column in PLEDGE_COLUMNS]


@settings(max_examples=25)
@given(st.lists(targets, min_size=1, max_size=12))
def test_any_target_survives_an_import_csv(found: list[Target]) -> None:
    """`import pledges` reads each target's columns back into the same target, as stored in
    and read from a real SQLite file (the formula guard on a kind like `=1+1` written and
    removed again)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pledges.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            write_csv((_csv_row(n, one) for n, one in enumerate(found)), PLEDGE_COLUMNS, out)
        with open_store(Path(folder) / "p.db", create=True, actor="t", clock=lambda: NOW) as s:
            add_team(s, Team(code="T1", name="Team"))
            report = import_pledges(s, path, NOW)
            stored = [p.target for p in list_pledges(s, team="T1")]
    assert report.written == len(found)
    assert stored == found


# -- the options and the docs, from the declaration ---------------------------------------


@pytest.mark.parametrize("command", ["add", "edit"])
def test_pledge_add_and_edit_take_one_option_per_field(command: str) -> None:
    """Each field's option: its spelling, help and type; optional, default None (unset)."""
    pledge = get_command(app).get_command(None, "pledge")  # type: ignore[attr-defined]
    params = {p.name: p for p in pledge.get_command(None, command).params}
    for spec in TARGET_FIELDS:
        option = params[spec.name]
        assert (option.opts, option.help, option.default, option.required) == (
            [spec.option],
            spec.help,
            None,
            False,
        )
        typed = spec.kind if spec.kind in (int, float) else str  # a date is read as typed
        assert option.type_descriptor.annotation is typed, spec.name


def test_the_target_options_stand_where_they_always_have() -> None:
    """`pledge add`: after TITLE, before --agreed; `pledge edit`: after --meeting, before
    --yes (which says yes to a new target's rewriting ended months)."""
    pledge = get_command(app).get_command(None, "pledge")  # type: ignore[attr-defined]
    names = {c: [p.name for p in pledge.get_command(None, c).params] for c in ("add", "edit")}
    fields = list(FIELD_NAMES)
    assert names["add"] == [
        "team", "title", *fields, "agreed", "review", "meeting", "description", "again"
    ]  # fmt: skip
    assert names["edit"] == [
        "ref", "title", "description", "agreed", "review", "meeting", *fields, "yes"
    ]  # fmt: skip


def _types(spec: TargetField) -> str:
    return "/".join(kind for kind in TARGET_TYPES if kind in spec.types)


def _import_rows() -> str:
    """docs/export-schema.md, `import pledges`: one row per field."""
    return "\n".join(
        f"| `{f.name}` | {_types(f)} target: {f.meaning}"
        f"{'' if f.range is None else '; ' + f.range.phrase()} | `{f.example}` |"
        for f in TARGET_FIELDS
    )


def _schema_rows() -> str:
    """docs/schema.md, the pledges table: one row per column."""
    return "\n".join(
        f"| {f.column} | {f.column_type}{' date' if f.kind is date else ''} | "
        f"{_types(f)}: {f.meaning} |"
        for f in TARGET_FIELDS
    )


def _option_rows() -> str:
    """docs/cli.md, `pledge add` and `pledge edit`: each option with its help."""
    pipe = "\\|"  # a | inside a Markdown table cell
    return "\n".join(f"| `{f.option}` | {f.help.replace('|', pipe)} |" for f in TARGET_FIELDS)


@pytest.mark.parametrize(
    ("doc", "rows", "times"),
    [
        ("export-schema.md", _import_rows, 1),
        ("schema.md", _schema_rows, 1),
        ("cli.md", _option_rows, 2),
    ],
)
def test_the_docs_tables_say_what_the_declaration_says(
    doc: str, rows: Callable[[], str], times: int
) -> None:
    """Change a field and this fails, printing the rows the doc should have."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    assert text.count(rows()) == times, f"docs/{doc} should have these rows:\n{rows()}"


def test_import_pledges_help_names_the_columns(cli: Run) -> None:
    shown = " ".join(ok(cli("import", "pledges", "--help")).stdout.split()).replace(", ", ",")
    optional = ",".join(PLEDGE_COLUMNS[PLEDGE_COLUMNS.index("description") :])
    assert ",".join(PLEDGE_COLUMNS[:12]) + f"[,{optional}]" in shown


def test_a_threshold_left_null_reads_as_100() -> None:
    """Rows written before thresholds were stored hold NULL: the model's default applies."""
    row = dict.fromkeys(target_columns(t.NoTarget()))
    row |= {"target_type": "frequency", "target_count": 2, "target_unit": "week"}
    assert target_from_row(row) == t.FrequencyTarget(count=2, unit=t.Unit.WEEK, threshold_pct=100)
    row |= {"target_type": "response", "target_within_minutes": 60}
    assert target_from_row(row) == t.ResponseTarget(within_minutes=60, threshold_pct=100)


def test_an_unknown_stored_type_is_refused() -> None:
    """Read as no target, another tool's `fortnightly` showed as "not measured", exit 0;
    the read's ValueError is what names the row (exit 3)."""
    row = dict.fromkeys(target_columns(t.NoTarget())) | {"target_type": "fortnightly"}
    with pytest.raises(ValueError, match="unknown target type 'fortnightly'"):
        target_from_row(row)
    assert target_from_row(row | {"target_type": "none"}) == t.NoTarget()


@pytest.mark.parametrize("spec", RANGED, ids=lambda f: f.name)
def test_the_cli_reference_limits_give_each_range(spec: TargetField) -> None:
    """docs/cli.md's Limits table: the row naming the option has both ends of its range."""
    assert spec.range is not None
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    table = text[text.index("**Limits.**") :].split("\n## ")[0]
    row = next(line for line in table.splitlines() if f"`{spec.option}`" in line)
    assert f"`{spec.name}`" in row  # the CSV column too
    for end in (spec.range.low, spec.range.high):
        assert f" {int(end):,}" in row, (row, end)
    assert ("above" in row) == spec.range.above


@given(targets)
def test_any_target_is_rebuilt_from_its_own_figures(target: Target) -> None:
    """The figures as `pledge add` takes them (text as typed) build the same target, and an
    edit to the same figures changes nothing."""
    figures = {
        f.name: _as_typed(f, getattr(target, f.attribute))
        if f.kind is str
        else getattr(target, f.attribute)
        for f in fields_of(target.type)
    }
    assert build_target(**figures) == target
    assert amend_target(target, "X", **figures) == target


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" Patrol ", "patrol"), ("Speed  check", "speed check"), ("\u00ad", None), (" ", None)],
)
def test_a_kind_that_shows_nothing_is_no_kind(typed: str, stored: str | None) -> None:
    """A lone soft hyphen was stored as a kind by `log`, then read back as none by the
    importer (a cell that shows nothing is empty): the log's round trip changed it."""
    assert normalise_kind(typed) == stored


@pytest.mark.parametrize(
    ("text", "positive"),
    [("1e-400", True), ("-1e-400", False), ("0e-400", None), ("0.000e-999", None)],
)
def test_a_number_that_underflows_is_not_read_as_0(text: str, positive: bool | None) -> None:
    """`1e-400` underflows to 0.0 in float(); it is no 0, so every range reads it as the
    least number on its side of 0 and refuses it as it refuses 1e-320 (ATTACK6 J4). A 0
    written with an exponent is 0."""
    from pledgetrack.domain.numbers import read_number

    value = read_number(text)
    if positive is None:
        assert value == 0
    else:
        assert value != 0 and (value > 0) == positive
