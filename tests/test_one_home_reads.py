"""One home each: the SQLite header read once (`-o` and rollup), the audit log's one
judge for the target changes summary notes, and a stored time shown in the zone."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from helpers import Run, assert_error, ok
from pledgetrack.atomicfile import SQLITE_HEADER, is_database
from pledgetrack.errors import InputError
from pledgetrack.exitcodes import ExitCode
from test_db_health import demo, edit

__all__ = ["demo"]  # the fixture, used by name

OCTOBER = ("--period", "2008-10", "--as-of", "2008-11-01")


def test_the_header_is_read_once_and_a_fifo_is_never_opened(tmp_path: Path) -> None:
    """A database, a CSV, a FIFO (opened, it would wait for a writer, and its first bytes
    would be lost to the CSV reader), a missing file and a folder (said as bad input)."""
    db, csv, fifo = tmp_path / "a.db", tmp_path / "a.csv", tmp_path / "pipe"
    db.write_bytes(SQLITE_HEADER + b"\0" * 84)
    csv.write_text("team,pledge\n")
    os.mkfifo(fifo)
    assert is_database(db)
    assert not is_database(csv)
    assert not is_database(fifo)
    for wrong, why in ((tmp_path / "missing.db", "No such file"), (tmp_path, "Is a directory")):
        with pytest.raises(InputError, match=f"cannot read {wrong}: {why}"):
            is_database(wrong)


def test_rollup_says_an_input_it_cannot_read(cli: Run, demo: Path, tmp_path: Path) -> None:
    assert_error(
        cli("rollup", str(tmp_path), "--period", "2008-10"),
        ExitCode.USAGE,
        f"cannot read {tmp_path}: it is a directory (see: pledgetrack rollup --help)",
    )


def test_a_target_change_the_audit_log_cannot_read_is_named_not_skipped(
    cli: Run, demo: Path
) -> None:
    """summary notes each target changed since the period began; an entry another tool
    damaged was skipped without a word. The audit log's one judge refuses it, and the
    note names its row."""
    ok(cli("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    conn = sqlite3.connect(demo)
    (row,) = conn.execute(
        "SELECT MAX(id) FROM changes WHERE entity = 'pledge' AND entity_key = 'CW01-L1'"
    ).fetchone()
    conn.close()
    result = ok(cli("summary", "--team", "CW01", *OCTOBER))
    assert "note: CW01-L1's target was changed on" in result.stderr
    edit(demo, "UPDATE changes SET old = '{\"target_count\": 2' WHERE id = ?", row)
    result = ok(cli("summary", "--team", "CW01", *OCTOBER))
    assert result.stderr.splitlines() == [
        f"note: CW01-L1's audit entry {row} (the changes table's row) cannot be read, so a "
        "target change it may record is not named (see: pledgetrack db check)"
    ]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2009-06-10T18:00:00+00:00", "Wednesday 10 June 2009, 7pm"),  # BST: 19:00 in London
        ("2009-06-10T19:00:00+01:00", "Wednesday 10 June 2009, 7pm"),
        ("2008-11-10T19:00:00+00:00", "Monday 10 November 2008, 7pm"),  # GMT
    ],
)
def test_the_next_meeting_is_shown_in_london_time_whatever_its_stored_offset(
    cli: Run, demo: Path, stored: str, shown: str
) -> None:
    """A meeting another tool stored at +00:00 on a summer day showed its stored clock
    time, an hour early for residents."""
    edit(demo, "UPDATE planned_meetings SET starts_at = ? WHERE team_id = 1", stored)
    update = ok(cli("report", "update", "CW01", *OCTOBER)).stdout
    assert f"{shown}, Castle Community Centre" in update


def test_rollup_reads_a_csv_from_a_pipe_whole(cli: Run, demo: Path, tmp_path: Path) -> None:
    """`rollup <(ssh hq cat oct.csv)`: the header reader opened the pipe to look for a
    database, and the CSV reader then lacked its first 16 bytes (`missing columns force,
    team, ...`). A pipe is no database: read once, as a CSV."""
    exported = ok(cli("export", "summary", *OCTOBER)).stdout
    plain = tmp_path / "oct.csv"
    plain.write_text(exported)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_text, args=(exported,), daemon=True)
    writer.start()
    piped = ok(cli("rollup", str(fifo), "--period", "2008-10", "-f", "csv"))
    writer.join(timeout=10)
    assert piped.stdout == ok(cli("rollup", str(plain), "--period", "2008-10", "-f", "csv")).stdout
