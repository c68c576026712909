"""The actions table's one declaration (store.actions.COLUMNS) against what follows from it:
the schema, the SQL text, the audit entries and the export's documentation."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from helpers import LONDON
from pledgetrack.domain.models import Action
from pledgetrack.store import actions
from pledgetrack.store.connection import change_json

DOCS = Path(__file__).resolve().parent.parent / "docs" / "export-schema.md"


def test_the_declaration_is_the_schema(db: Path, team: str) -> None:
    with sqlite3.connect(db) as conn:
        schema = [(r[1], r[2]) for r in conn.execute("PRAGMA table_info(actions)")]
    assert schema == [(c.name, c.sql_type) for c in actions.COLUMNS]


def test_select_reads_every_column_in_order() -> None:
    listed = actions._SELECT.removeprefix("SELECT ").split(" FROM ")[0].split(", ")
    assert listed == [c.sql for c in actions.COLUMNS]
    assert listed[:3] == ["a.id", "t.code", "p.ref"]  # the join gives the codes, not ids


def _columns_and_values(sql: str) -> tuple[list[str], str]:
    match = re.fullmatch(r"INSERT INTO actions \(([a-z_, ]+)\) VALUES \(([?, ]+)\)", sql)
    assert match, sql
    return match[1].split(", "), match[2]


def test_bulk_insert_writes_every_column_and_binds_every_value() -> None:
    columns, values = _columns_and_values(actions._BULK_INSERT)
    assert sorted(columns) == sorted(c.name for c in actions.COLUMNS)
    assert values == ", ".join("?" for _ in columns)  # nothing but placeholders


def test_duplicate_check_compares_the_content_columns() -> None:
    content = [c.name for c in actions.COLUMNS if c.content]  # the docs name them (below)
    assert actions._BATCH_TABLE.endswith(f"ref, {', '.join(content)})")
    compared = re.findall(r"\+?a\.(\w+) IS b\.(\w+)", actions._STORED_BY_CONTENT)
    assert [a for a, b in compared if a == b] == content
    assert actions._BATCH_INSERT.count("?") == 4 + len(content)


def _docs_section(title: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_the_export_columns_table_in_the_docs_is_the_declaration() -> None:
    rows = [
        f"| {n} | `{c.export}` | {c.doc_type} | {c.meaning} | `{c.example}` |"
        for n, c in enumerate(actions.COLUMNS, start=1)
    ]
    table = "\n".join(["| # | column | type | meaning | example |", "| --- " * 5 + "|", *rows])
    assert table in _docs_section("`export actions`"), f"docs/export-schema.md wants:\n{table}"


def test_the_docs_name_the_content_columns_for_duplicates() -> None:
    named = [c.export for c in actions.COLUMNS if c.content]
    words = ", ".join(f"`{n}`" for n in named[:-1]) + f" and `{named[-1]}`"
    section = " ".join(_docs_section("Reading it back: `import actions`").split())
    assert f"identical in team, pledge, {words} was stored" in section


def test_redacted_and_verbatim_columns() -> None:
    assert actions.REDACTED_COLUMNS == ("description", "officer", "void_reason")
    verbatim = [c.export for c in actions.COLUMNS if c.verbatim]
    assert verbatim == ["description", "officer", "partner", "void_reason"]
    assert [c.export for c in actions.COLUMNS if not c.imported] == ["id", "created_at"]


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
_VALUE = st.one_of(
    st.none(),
    _TEXT,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


@given(
    st.lists(_TEXT, min_size=1, max_size=8, unique=True).flatmap(
        lambda names: st.lists(
            st.lists(_VALUE, min_size=len(names), max_size=len(names)), max_size=4
        ).map(lambda rows: (names, rows))
    )
)
def test_the_audit_encoder_writes_what_change_json_writes(
    entries: tuple[list[str], list[list[Any]]],
) -> None:
    """Column by column, each entry is the text change_json writes for it."""
    names, rows = entries
    encode = actions._audit_encoder(names)
    columns = [[row[i] for row in rows] for i in range(len(names))]
    assert encode(columns) == [change_json(dict(zip(names, row, strict=True))) for row in rows]


def test_an_imported_actions_audit_entry_names_what_log_records() -> None:
    logged = tuple(c.name for c in actions.COLUMNS if c.entry)
    assert actions._AUDIT_NAMES[0] == "pledge"
    assert actions._AUDIT_NAMES[1:] == logged


_MOMENT = st.none() | st.datetimes(
    min_value=datetime(1900, 1, 2), max_value=datetime(2199, 12, 30), timezones=st.just(LONDON)
)
_ACTIONS = st.builds(
    Action,
    team=st.just("CW01"),
    pledge=st.just("CW01-L1"),
    description=_TEXT.filter(str.strip),
    occurred_at=_MOMENT,
    received_at=_MOMENT,
    kind=st.none() | _TEXT,
    officer=st.none() | _TEXT,
    hours=st.none() | st.floats(0, 8784),
    abstracted=st.booleans(),
    ext_ref=st.none() | _TEXT,
    highlight=st.booleans(),
    delivers=st.booleans(),
    voided_at=_MOMENT,
    void_reason=st.none() | _TEXT,
)


@given(st.lists(_ACTIONS, max_size=5))
def test_a_batch_is_stored_field_by_field_as_each_action_is(batch: list[Action]) -> None:
    fields = {c.field: [getattr(a, c.field) for a in batch] for c in actions._VALUED}
    assert actions.stored_rows(fields) == [actions.stored_values(a) for a in batch]


def test_an_imported_batchs_audit_entries_are_what_log_would_write() -> None:
    """Live and voided actions alike: the pledge and the entry's columns, and the void."""
    at = datetime(2008, 10, 3, 19, 30, tzinfo=LONDON)
    live = Action(team="CW01", pledge="CW01-L1", description="Patrol", occurred_at=at, hours=1.5)
    voided = live.model_copy(update={"voided_at": at, "void_reason": "typo", "ext_ref": "X"})
    batch = [live, voided, live]
    values = [actions.stored_values(a) for a in batch]
    entries = actions._audit_entries([a.pledge for a in batch], list(zip(*values, strict=True)))
    logged = actions._to_row(live)
    assert entries[0] == entries[2] == change_json({"pledge": "CW01-L1", **logged})
    assert entries[1] == change_json(
        {
            "pledge": "CW01-L1",
            **actions._to_row(voided),
            "voided_at": actions.stored_values(voided)[actions._VOIDED_AT],
            "void_reason": "typo",
        }
    )
