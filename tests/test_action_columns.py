"""The actions table's one declaration (store.actions.COLUMNS) against what follows from it:
the schema, the SQL text, the audit entries and the export's documentation."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

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


@given(st.dictionaries(_TEXT, _VALUE, max_size=8))
def test_the_audit_encoder_writes_what_change_json_writes(entry: dict[str, Any]) -> None:
    encode = actions._audit_encoder(tuple(entry))
    assert encode(tuple(entry.values())) == change_json(entry)


def test_an_imported_actions_audit_entry_names_what_log_records() -> None:
    logged = tuple(c.name for c in actions.COLUMNS if c.entry)
    assert actions._AUDIT_NAMES[0] == "pledge"
    assert actions._AUDIT_NAMES[1:] == logged
