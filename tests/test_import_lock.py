"""`import actions` holds the write lock only while it writes: the file is read and
validated first, so a sergeant's `log` from another process goes in meanwhile. The rows
are fed through a named pipe, which holds the importer in the middle of its reading for
as long as the test likes: a synchronisation point, not a timing."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import Run, add_weekly_patrols, ok
from pledgetrack.services import importer
from pledgetrack.store.connection import open_store

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")

HEADER = ["team", "pledge", "when", "description"]
# past two batches: the importer used to take the lock with its first and hold it
ROWS = 2 * importer.BATCH + 2_000


def _rows(fh: IO[str], start: int, stop: int) -> None:
    out = csv.writer(fh)
    for i in range(start, stop):
        when = f"2008-10-{1 + i % 15:02d}T{i % 24:02d}:{i % 60:02d}:00+01:00"
        out.writerow(["CW01", "CW01-L1", when, f"patrol {i}"])


def _command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pledgetrack", "--db", str(db), *args]


def _env(wait: str) -> dict[str, str]:
    return {**os.environ, "PLEDGETRACK_BUSY_TIMEOUT": wait}


class _Import:
    """A real `import actions` in its own process, reading from a named pipe."""

    def __init__(self, proc: subprocess.Popen[str], fh: IO[str]) -> None:
        self.proc, self.fh = proc, fh
        self.returncode: int | None = None
        self.stderr = ""

    def poll(self) -> int | None:
        return self.proc.poll()


@contextmanager
def _importing(db: Path, pipe: Path) -> Iterator[tuple[_Import, IO[str]]]:
    """A real `import actions` reading from `pipe`, and the pipe's writing end (header
    written): the importer reads what is written and waits for more until it is closed;
    its exit status and stderr are there once the block ends."""
    os.mkfifo(pipe)
    proc = subprocess.Popen(
        _command(db, "import", "actions", str(pipe)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_env("60"),
    )
    try:
        with pipe.open("w", newline="") as fh:
            csv.writer(fh).writerow(HEADER)
            done = _Import(proc, fh)
            yield done, fh
    finally:
        _, err = proc.communicate(timeout=120)
    done.returncode, done.stderr = proc.returncode, err


def _count(db: Path, sql: str = "SELECT COUNT(*) FROM actions") -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_log_goes_in_while_an_import_is_validating(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """The tester's case: `log` with no wait at all (busy timeout 0) succeeds while the
    importer has read 12,000 rows and waits for the rest; the import then stores all."""
    add_weekly_patrols(cli, team)
    with _importing(db, tmp_path / "big.csv") as (proc, fh):
        _rows(fh, 0, ROWS)
        fh.flush()  # returns once the importer has taken all but a pipe's buffer of it
        assert proc.poll() is None
        logged = subprocess.run(
            _command(db, "log", "CW01-L1", "beat patrol", "--when", "2008-10-20 10:00"),
            capture_output=True,
            text=True,
            env=_env("0"),
            check=False,
        )
        assert logged.returncode == 0, logged.stderr
        conn = sqlite3.connect(db, timeout=0)  # nor is any lock held: another writer begins
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.rollback()
        finally:
            conn.close()
        _rows(fh, ROWS, ROWS + 10)
    assert proc.returncode == 0, proc.stderr
    assert _count(db) == ROWS + 10 + 1
    assert _count(db, "SELECT COUNT(*) FROM changes WHERE op = 'import'") == ROWS + 10


def test_a_pledge_closed_while_the_file_is_read_refuses_the_import(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """Rows up to 15 October were valid when read; the pledge is then closed on 5 October
    by another process, before the importer writes: it re-checks, refuses, stores none."""
    add_weekly_patrols(cli, team)
    with _importing(db, tmp_path / "rows.csv") as (proc, fh):
        _rows(fh, 0, 3_000)
        fh.flush()
        closed = subprocess.run(
            _command(db, "pledge", "close", "CW01-L1", "--status", "withdrawn",
                     "--outcome", "merged", "--on", "2008-10-05"),
            capture_output=True, text=True, env=_env("0"), check=False,
        )  # fmt: skip
        assert closed.returncode == 0, closed.stderr
    assert proc.returncode == 2
    assert proc.stderr == (
        "error: pledge CW01-L1 of team CW01 changed while the file was being checked; "
        "nothing imported (run the import again)\n"
    )
    assert _count(db) == 0


def test_a_pledge_changed_in_nothing_the_rules_read_lets_the_import_in(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """The re-check compares what the rules read, not everything: a second pledge added
    meanwhile (another process's write) does not refuse the file."""
    add_weekly_patrols(cli, team)
    with _importing(db, tmp_path / "rows.csv") as (proc, fh):
        _rows(fh, 0, 3_000)
        fh.flush()
        added = subprocess.run(
            _command(db, "pledge", "add", "CW01", "Litter", "--at-least", "1", "--per", "week"),
            capture_output=True, text=True, env=_env("0"), check=False,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    assert proc.returncode == 0, proc.stderr
    assert _count(db) == 3_000


def test_two_imports_validated_at_once_store_identical_rows_once(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """Both have read and validated the whole file before either writes (their pipes are
    closed only then): the duplicate check inside each write still stores the file once,
    its three identical rows three times."""
    add_weekly_patrols(cli, team)
    with (
        _importing(db, tmp_path / "a.csv") as (first, a),
        _importing(db, tmp_path / "b.csv") as (second, b),
    ):
        for fh in (a, b):
            _rows(fh, 0, 2_000)
            _rows(fh, 7, 8)
            _rows(fh, 7, 8)
            fh.flush()
    for proc in (first, second):
        assert proc.returncode == 0, proc.stderr
    assert _count(db) == 2_002
    assert _count(db, "SELECT COUNT(*) FROM actions WHERE description = 'patrol 7'") == 3
    outcomes = sorted(p.stderr for p in (first, second))
    assert outcomes == [
        "imported 0 actions from 2002 rows; 2002 duplicates skipped\n",
        "imported 2002 actions from 2002 rows\n",
    ]


def test_a_short_row_is_refused_for_its_field_count(cli: Run, team: str, tmp_path: Path) -> None:
    """Like a long one, even when the missing cell is an optional column's: which cell is
    missing cannot be known, and a shifted row would put text in the wrong column."""
    add_weekly_patrols(cli, team)
    file = tmp_path / "short.csv"
    file.write_text(
        "team,pledge,when,description,officer\n"
        "CW01,CW01-L1,2008-10-05 10:00,patrol,PC Ames\n"
        "CW01,CW01-L1,2008-10-05 10:00\n"
        "CW01,CW01-L1,2008-10-06 10:00,patrol\n"
        "CW01,CW01-L1,2008-10-07 10:00,patrol,PC Ames,x\n"
    )
    result = cli("import", "actions", str(file), "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:3] == [
        "line 3: row: 3 fields, but the header has 5",
        "line 4: row: 4 fields, but the header has 5",
        "line 5: row: 6 fields, but the header has 5",
    ]


# -- identical rows without a ref are counted copy for copy --------------------------

CLOCK = datetime(2008, 10, 16, 12, tzinfo=UTC)


def _file(path: Path, copies: list[int]) -> Path:
    """copies[i] rows of the i-th distinct action, the copies spread through the file."""
    order = sorted(
        ((c, i) for i, n in enumerate(copies) for c in range(n)), key=lambda t: (t[0], -t[1])
    )
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for _, i in order:
            out.writerow(["CW01", "CW01-L1", f"2008-10-{1 + i:02d}T10:00:00+01:00", f"patrol {i}"])
    return path


def _import(db: Path, file: Path) -> importer.ImportReport:
    with open_store(db, create=False, actor="test", clock=lambda: CLOCK, writes=True) as store:
        return importer.import_actions(store, file, CLOCK)


def _stored(db: Path, kinds: int) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [
            conn.execute(
                "SELECT COUNT(*) FROM actions WHERE description = ?", (f"patrol {i}",)
            ).fetchone()[0]
            for i in range(kinds)
        ]
    finally:
        conn.close()


@pytest.fixture
def patrols_db(cli: Run, db: Path, team: str) -> Path:
    add_weekly_patrols(cli, team)
    return db


# the fixture is a template: each example imports into its own copy of it
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(copies=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=5))
def test_copies_already_stored_are_completed_not_repeated(
    patrols_db: Path, tmp_path_factory: pytest.TempPathFactory, copies: list[tuple[int, int]]
) -> None:
    """m copies stored, k in the file: max(0, k - m) written, so the stored count becomes
    max(m, k); importing the same file again writes nothing."""
    db = tmp_path_factory.mktemp("multiset") / "pt.db"
    db.write_bytes(patrols_db.read_bytes())
    stored, filed = [m for m, _ in copies], [k for _, k in copies]
    folder = db.parent
    _import(db, _file(folder / "first.csv", stored))
    report = _import(db, _file(folder / "second.csv", filed))
    assert report.written == sum(max(0, k - m) for m, k in copies)
    assert report.duplicates == sum(min(k, m) for m, k in copies)
    assert _stored(db, len(copies)) == [max(m, k) for m, k in copies]
    again = _import(db, _file(folder / "second.csv", filed))
    assert again.written == 0


def test_a_partial_earlier_import_is_completed(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """The tester's case: two identical rows into a database holding one such row add one."""
    add_weekly_patrols(cli, team)
    one = tmp_path / "one.csv"
    one.write_text("team,pledge,when,description\nCW01,CW01-L1,2008-10-05 10:00,patrol\n")
    two = tmp_path / "two.csv"
    two.write_text(one.read_text() + "CW01,CW01-L1,2008-10-05 10:00,patrol\n")
    ok(cli("import", "actions", str(one)))
    result = ok(cli("import", "actions", str(two)))
    assert result.stderr == "imported 1 action from 2 rows; 1 duplicate skipped\n"
    assert ok(cli("import", "actions", str(two))).stderr == (
        "imported 0 actions from 2 rows; 2 duplicates skipped\n"
    )
    assert _count(db) == 2


def _locked(db: Path) -> bool:
    """Whether another connection holds the write lock (a probe that takes it for an
    instant when free; the importer's busy handler waits that instant out)."""
    conn = sqlite3.connect(db, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return False
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return True
    finally:
        conn.close()


def test_an_import_killed_while_it_writes_leaves_none_of_it(
    cli: Run, db: Path, team: str, tmp_path: Path
) -> None:
    """SIGKILL once the importer holds the write lock (its file all read and validated):
    the database is intact and holds none of the file; a re-run stores it once."""
    add_weekly_patrols(cli, team)
    n = 30_000
    pipe = tmp_path / "rows.csv"
    os.mkfifo(pipe)
    proc = subprocess.Popen(
        _command(db, "import", "actions", str(pipe)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env("60"),
    )  # fmt: skip
    with pipe.open("w", newline="") as fh:
        csv.writer(fh).writerow(HEADER)
        _rows(fh, 0, n)
    while not _locked(db):
        assert proc.poll() is None, "the import ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    assert _count(db) == 0
    assert _count(db, "SELECT COUNT(*) FROM changes WHERE op = 'import'") == 0
    rows = tmp_path / "again.csv"
    with rows.open("w", newline="") as fh:
        csv.writer(fh).writerow(HEADER)
        _rows(fh, 0, n)
    ok(cli("import", "actions", str(rows)))
    assert _count(db) == n


def test_only_nameless_trailing_cells_may_be_left_off(
    cli: Run, team: str, tmp_path: Path
) -> None:
    """A spreadsheet's empty columns past the last named one (`description,,`) may be
    missing from a row; a named column's cell may not."""
    add_weekly_patrols(cli, team)
    file = tmp_path / "nameless.csv"
    file.write_text(
        "team,pledge,when,description,,\n"
        "CW01,CW01-L1,2008-10-05 10:00,patrol\n"
        "CW01,CW01-L1,2008-10-06 10:00,patrol,\n"
    )
    assert ok(cli("import", "actions", str(file), "--dry-run")).stderr == (
        "would import 2 actions from 2 rows\n"
    )
    with file.open("a") as fh:
        fh.write("CW01,CW01-L1,2008-10-07 10:00\n")
    result = cli("import", "actions", str(file), "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "line 4: row: 3 fields, but the header has 6"
