"""The CSV writer's fast path writes exactly what the cell-by-cell path writes.

`write_csv` hands batches of plain cells straight to csv.writer and sends any batch that
might need a guard, a conversion or a quoted carriage return through the cell-by-cell
path; whichever way a row goes, the text must be the same.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pledgetrack import csvcodec

texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["=1+2", "+44", "-2.5", "-x", "@SUM(A1)", "'=x", "''-1", "\tx", "a\rb",
                     "a\nb", 'say "hi"', "a,b", "", " =x", "2008-10-01T10:00:00+01:00"]),
)  # fmt: skip
cells = st.one_of(
    texts, st.none(), st.integers(-10, 10**6), st.floats(allow_nan=False), st.booleans(),
    st.dates(), st.just(date(2008, 10, 1)), st.just(datetime(2008, 10, 1, 12, 30)),
    st.datetimes(),
)  # fmt: skip


def cell_by_cell(records: list[list[Any]], header: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(csvcodec._RowEnds(out), lineterminator="\r\n")
    writer.writerow(header)
    csvcodec._write_cells(writer, records)
    return out.getvalue()


@given(st.lists(st.lists(cells, min_size=3, max_size=3), max_size=30))
def test_fast_path_writes_what_the_cell_by_cell_path_writes(records: list[list[Any]]) -> None:
    header = ["a", "b", "c"]
    out = io.StringIO()
    assert csvcodec.write_csv(records, header, out) == len(records)
    assert out.getvalue() == cell_by_cell(records, header)


def test_a_guarded_cell_far_into_a_big_export_is_still_guarded() -> None:
    rows = [[n, "plain text", 1.5, None] for n in range(2_500)]
    rows[2_345][1] = "=HYPERLINK(1)"
    rows[1_200][1] = "line\ronly a carriage return"
    out = io.StringIO()
    csvcodec.write_csv(rows, ["id", "text", "hours", "none"], out)
    lines = out.getvalue().split("\n")
    assert lines[2_346] == "2345,'=HYPERLINK(1),1.5,"
    assert '"line\ronly a carriage return"' in lines[1_201]
    assert out.getvalue() == cell_by_cell(rows, ["id", "text", "hours", "none"])


stored = st.one_of(texts, st.none(), st.integers(-(2**63), 2**63 - 1),
                   st.floats(allow_nan=False), st.binary(max_size=4))  # fmt: skip


@given(st.lists(st.lists(stored, min_size=3, max_size=3), max_size=30))
def test_a_cursor_written_without_a_look_at_types_is_written_as_cell_by_cell(
    records: list[list[Any]],
) -> None:
    """A cursor's batches skip the type check: what SQLite hands back must still come out
    as the cell-by-cell path writes it (guards, carriage returns, blobs and all)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b, c)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", records)
    read = [list(r) for r in conn.execute("SELECT a, b, c FROM t ORDER BY rowid")]
    out = io.StringIO()
    cursor = conn.execute("SELECT a, b, c FROM t ORDER BY rowid")
    assert csvcodec.write_csv(cursor, ["a", "b", "c"], out) == len(records)
    assert out.getvalue() == cell_by_cell(read, ["a", "b", "c"])


def test_a_guarded_cell_far_into_a_cursor_is_still_guarded() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT, hours REAL)")
    conn.executemany("INSERT INTO t (text, hours) VALUES (?, ?)",
                     [("plain text", 1.5)] * 2_500)  # fmt: skip
    conn.execute("UPDATE t SET text = '=HYPERLINK(1)' WHERE id = 2346")
    conn.execute("UPDATE t SET text = '-1' || char(13) WHERE id = 1201")
    out = io.StringIO()
    csvcodec.write_csv(conn.execute("SELECT * FROM t ORDER BY id"), ["id", "text", "hours"], out)
    lines = out.getvalue().split("\n")
    assert lines[2_346] == "2346,'=HYPERLINK(1),1.5"
    assert lines[1_201] == '1201,"\'-1\r",1.5'
