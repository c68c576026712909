"""Shell completion: team codes and pledge references from the database, one query, no noise."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from helpers import Prepared, Run, ok
from pledgetrack.cli.app import app
from pledgetrack.environment import Environment
from pledgetrack.store import completion


def complete(env: Environment, db: Path, *words: str) -> Result:
    """What bash gets on Tab after `pledgetrack --db DB words...` (the last word incomplete)."""
    line = ["pledgetrack", "--db", str(db), *words]
    return CliRunner().invoke(
        app,
        [],
        obj=env,
        env={
            "_PLEDGETRACK_COMPLETE": "complete_bash",
            "COMP_WORDS": " ".join(line),
            "COMP_CWORD": str(len(line) - 1),
        },
        prog_name="pledgetrack",
        catch_exceptions=False,
    )


def offered(result: Result) -> list[str]:
    assert result.exit_code == 0 and result.stderr == ""
    return [line.split(",", 1)[-1] for line in result.stdout.splitlines() if line]


@pytest.fixture
def teams(cli: Run, prepared: Prepared) -> None:
    def build() -> None:
        ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
        ok(cli("team", "add", "CX02", "--name", "Cox", "--no-national"))
        ok(cli("team", "add", "BL02", "--name", "Belgrave", "--no-national"))
        for title in ("Patrols", "Lights"):
            ok(cli("pledge", "add", "CW01", title, "--agreed", "01/09/2008"))

    prepared("completion-teams", build)


def test_team_codes_and_pledge_refs_complete(teams: None, env: Environment, db: Path) -> None:
    assert offered(complete(env, db, "summary", "--team", "C")) == ["CW01", "CX02"]
    assert offered(complete(env, db, "team", "show", "b")) == ["bL02"]  # the case typed kept
    assert offered(complete(env, db, "pledge", "show", "CW01-")) == ["CW01-L1", "CW01-L2"]
    assert offered(complete(env, db, "log", "cw01-l")) == ["cw01-l1", "cw01-l2"]
    assert offered(complete(env, db, "actions", "--pledge", "X")) == []


def test_one_small_query(
    teams: None, env: Environment, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    real_connect = sqlite3.connect

    def counting(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(completion.sqlite3, "connect", counting)
    assert offered(complete(env, db, "summary", "--team", "")) == ["BL02", "CW01", "CX02"]
    assert len(statements) == 1 and "LIMIT" in statements[0]


@pytest.mark.parametrize("content", [None, b"not a database at all", b""])
def test_silent_on_errors(tmp_path: Path, env: Environment, content: bytes | None) -> None:
    db = tmp_path / "broken.db"
    if content is not None:
        db.write_bytes(content)
    assert offered(complete(env, db, "summary", "--team", "C")) == []
    assert content is not None or not db.exists()  # completing never creates a database


def test_wildcards_typed_are_not_patterns(teams: None, env: Environment, db: Path) -> None:
    assert offered(complete(env, db, "summary", "--team", "*")) == []
