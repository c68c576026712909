"""Shared fixtures: a pinned environment, a database file in tmp_path, and the real CLI.

Every test runs with HOME and XDG_DATA_HOME inside its own tmp_path and without the
PLEDGETRACK_* / NO_COLOR variables, so nothing here can read or write a real user's files.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner, Result

from helpers import LONDON, NOW, USER, Prepared, Run, ok
from pledgetrack.cli.app import app
from pledgetrack.environment import Environment

# Hypothesis' per-example deadline turns a slow first call (a lazy import, a busy CI machine)
# into a flaky failure; the examples here are small, so timing says nothing about them.
settings.register_profile("pledgetrack", deadline=None)
# scripts/mutation.sh runs the unit tests once per mutant: fewer examples each keeps the
# whole run within its ten minutes (the worked examples still pin every boundary)
settings.register_profile("mutation", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("PLEDGETRACK_HYPOTHESIS_PROFILE", "pledgetrack"))


@pytest.fixture(autouse=True, scope="session")
def _build_the_command_tree_once() -> Iterator[None]:
    """CliRunner rebuilds the click command from the Typer app on every call (~40 ms);
    the tree does not change during a run, so build it once and hand the same one back."""
    built = typer.main.get_command(app)
    original = typer.testing._get_command
    typer.testing._get_command = lambda typer_app: (
        built if typer_app is app else original(typer_app)
    )
    yield
    typer.testing._get_command = original


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in (
        "PLEDGETRACK_DB",
        "PLEDGETRACK_TZ",
        "PLEDGETRACK_TEAM",
        "XDG_CONFIG_HOME",
        "PLEDGETRACK_BUSY_TIMEOUT",
        "PLEDGETRACK_DEBUG",
        "NO_COLOR",
        "FORCE_COLOR",
    ):
        monkeypatch.delenv(name, raising=False)


def fixed_clock(moment: datetime) -> Callable[[tzinfo], datetime]:
    return lambda tz: moment.astimezone(tz)


@pytest.fixture
def env(tmp_path: Path) -> Environment:
    return Environment(
        tz=LONDON,
        stdout_isatty=False,
        stdin_isatty=False,
        no_color=False,
        user=USER,
        data_dir=tmp_path / "data",
        vars={},
        clock=fixed_clock(NOW),
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "pt.db"


def invoke(args: list[str], env: Environment, input: str | None = None) -> Result:
    # catch_exceptions=False: an unexpected exception (a would-be traceback) fails the test
    return CliRunner().invoke(app, args, obj=env, input=input, catch_exceptions=False)


def on_database(path: Path, env: Environment) -> Run:
    """The CLI on another database than `db`'s: a second team's, HQ's inputs."""

    def run(*args: str, input: str | None = None) -> Result:
        return invoke(["--db", str(path), *args], env, input)

    return run  # type: ignore[return-value]


@pytest.fixture
def cli(db: Path, env: Environment) -> Run:
    """run(*args) is `pledgetrack --db <tmp>/pt.db *args` under the pinned environment."""

    def run(*args: str, input: str | None = None) -> Result:
        return invoke(["--db", str(db), *args], env, input)

    return run


@pytest.fixture
def cli_with(db: Path, env: Environment) -> Callable[..., Run]:
    """The CLI under a changed environment: cli_with(stdout_isatty=True)("team", "list")."""

    def make(**changes: Any) -> Run:
        changed = dataclasses.replace(env, **changes)

        def run(*args: str, input: str | None = None) -> Result:
            return invoke(["--db", str(db), *args], changed, input)

        return run

    return make


@pytest.fixture(scope="session")
def _templates() -> dict[str, bytes]:
    return {}


@pytest.fixture
def prepared(db: Path, env: Environment, _templates: dict[str, bytes]) -> Prepared:
    """prepared(name, build): leave `db` as `build()` does, running the CLI only once a session.

    The first test to ask builds the state through the CLI and keeps a copy of the file;
    later ones start from that copy. Set-up that writes through the CLI costs a commit per
    command, and some fixtures are used by dozens of tests.
    """

    def use(name: str, build: Callable[[], None]) -> None:
        name = f"{name}@{env.now().isoformat()}"  # a module may pin another clock
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        if name in _templates:
            db.write_bytes(_templates[name])
            return
        build()
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        assert not Path(f"{db}-wal").exists()
        _templates[name] = db.read_bytes()

    return use


@pytest.fixture
def team(cli: Run, prepared: Prepared) -> str:
    """A registered team, CW01 (this also creates the database)."""
    prepared(
        "team",
        lambda: ok(
            cli("team", "add", "CW01", "--name", "Castle Ward", "--force", "Leicestershire Police")
        ),
    )
    return "CW01"


@pytest.fixture
def ward(cli: Run, prepared: Prepared) -> Run:
    """CW01 with the national commitments from 1 Sep 2008 and CW01-L1, two patrols a week
    (the agenda's and check's warnings ahead: test_agenda.py, test_check_ahead.py)."""

    def build() -> None:
        ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))
        ok(
            cli(
                "pledge", "add", "CW01", "Castle Park patrols", "--at-least", "2", "--per",
                "week", "--action-kind", "patrol", "--agreed", "01/09/2008",
            )
        )  # fmt: skip

    prepared("ward", build)
    return cli
