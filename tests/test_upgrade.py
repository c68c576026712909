"""A database made by the first release (schema version 1, real rows written by its own
CLI: tests/fixtures/make_schema_v1.sh) opens with this version with every row intact,
and a migration that fails leaves it as it was."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, ok
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store import migrations
from pledgetrack.store.migrations import LATEST_VERSION

FIXTURE = Path(__file__).parent / "fixtures" / "schema-v1.db"
V1_TABLES = ("teams", "pledges", "actions", "changes")


def _read(db: Path) -> tuple[int, dict[str, list[dict[str, Any]]], list[str]]:
    """user_version, every row of the version-1 tables by column name, and the schema."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        rows = {
            t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY id")] for t in V1_TABLES
        }
        schema = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master ORDER BY name")]
    finally:
        conn.close()
    return version, rows, schema


@pytest.fixture
def old(db: Path) -> Path:
    shutil.copyfile(FIXTURE, db)
    return db


def test_the_fixture_is_a_version_1_database_with_real_rows() -> None:
    version, rows, _ = _read(FIXTURE)
    assert version == 1
    actions = rows["actions"]
    assert [a["ext_ref"] for a in actions if a["ext_ref"]] == ["INC-100", "INC-101", "INC-102"]
    assert [a["void_reason"] for a in actions if a["voided_at"]] == [
        "logged against the wrong pledge"
    ]
    assert [a["id"] for a in actions if a["occurred_at"] is None] == [4]  # the open item
    assert len(rows["changes"]) == 12


def test_a_version_1_database_opens_with_every_row_intact(cli: Run, old: Path) -> None:
    _, before, _ = _read(old)
    exported = json.loads(ok(cli("export", "actions", "--include-void", "-f", "json")).stdout)
    version, after, _ = _read(old)
    assert version == LATEST_VERSION
    for table in V1_TABLES:  # every old column of every old row, unchanged
        assert [{k: row[k] for k in before[table][0]} for row in after[table]] == before[table]
    assert [(a["id"], a["ref"], a["description"]) for a in exported] == [
        (a["id"], a["ext_ref"], a["description"]) for a in before["actions"]
    ]
    assert [a["void_reason"] for a in exported if a["voided_at"]] == [
        "logged against the wrong pledge"
    ]
    # it works as a current database: the open item can be answered, the voided ref reused
    ok(cli("respond", "4", "--when", "06/10/2008 09:00"))
    ok(
        cli(
            "log",
            "CW01-L1",
            "Entered against the right pledge",
            "--when",
            "04/10/2008 10:00",
            "--ref",
            "INC-102",
        )
    )
    assert ok(cli("db", "check")).stdout == ""


def test_a_failed_migration_leaves_the_database_as_it_was(
    cli: Run, old: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(db: object) -> None:
        raise sqlite3.OperationalError("disk I/O wobble in the middle of an upgrade")

    steps = list(migrations.MIGRATIONS)
    steps[len(steps) // 2] = fails  # after some steps have run inside the transaction
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    version, rows, schema = _read(old)
    result = cli("team", "list")
    assert result.exit_code in (ExitCode.DATABASE, ExitCode.IO), result.stderr
    assert "Traceback" not in result.stderr
    assert _read(old) == (version, rows, schema)
    monkeypatch.undo()
    assert "CW01" in ok(cli("team", "list")).stdout  # and a later upgrade succeeds
