"""A default team, database and time zone: flag, environment, config.toml, default."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import invoke
from helpers import assert_error, ok
from pledgetrack.cli.app import app
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode


def write_config(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "xdg" / "pledgetrack"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def os_env(env: Environment, tmp_path: Path, **variables: str) -> Environment:
    """The environment as `from_os` builds it (reading config.toml), with the test's clock."""
    real = Environment.from_os({"XDG_CONFIG_HOME": str(tmp_path / "xdg"), **variables})
    return dataclasses.replace(
        env,
        vars=real.vars,
        config=real.config,
        tz=real.tz,
        zone_problem=real.zone_problem,
        data_dir=env.data_dir,
    )


def settings(result_stdout: str) -> dict[str, tuple[str, str]]:
    rows = [line.split(",") for line in result_stdout.splitlines()[1:]]
    return {key: (value, source) for key, value, source in rows}


def test_config_show_names_the_source_of_every_value(tmp_path: Path, env: Environment) -> None:
    path = write_config(tmp_path, 'team = "CW01"\ntimezone = "Europe/Paris"\n')
    shown = settings(ok(invoke(["config", "show", "-f", "csv"], os_env(env, tmp_path))).stdout)
    assert shown["team"] == ("CW01", f"file {path}")
    assert shown["timezone"] == ("Europe/Paris", f"file {path}")
    assert shown["db"] == (str(env.data_dir / "pledgetrack.db"), "default")

    # the environment beats the file; a flag beats both
    changed = os_env(env, tmp_path, PLEDGETRACK_TEAM="AB02", PLEDGETRACK_DB="/tmp/e.db")
    shown = settings(ok(invoke(["--db", "f.db", "config", "show", "-f", "csv"], changed)).stdout)
    assert shown["team"] == ("AB02", "environment PLEDGETRACK_TEAM")
    assert shown["db"] == ("f.db", "flag --db")


def test_without_a_file_everything_is_default(tmp_path: Path, env: Environment) -> None:
    result = ok(invoke(["config", "show", "-f", "csv"], os_env(env, tmp_path)))
    shown = settings(result.stdout)
    assert shown["team"] == ("", "not set")  # there is no default team: every team
    assert shown["timezone"] == ("Europe/London", "default")
    assert "not present" in result.stderr


@pytest.fixture
def two_teams(db: Path, env: Environment) -> Path:
    for code, name in (("CW01", "Castle Ward"), ("AB02", "Abbey")):
        ok(invoke(["--db", str(db), "team", "add", code, "--name", name], env))
    return db


def test_default_team_applies_and_a_flag_wins(
    tmp_path: Path, env: Environment, two_teams: Path
) -> None:
    write_config(tmp_path, f'team = "CW01"\ndb = "{two_teams}"\n')
    mine = os_env(env, tmp_path)
    # no --db and no --team: both from the file
    listed = ok(invoke(["pledge", "list", "-f", "csv"], mine)).stdout
    assert {line.split(",")[0] for line in listed.splitlines()[1:]} == {
        f"CW01-N{n}" for n in range(1, 11)
    }
    flagged = ok(invoke(["pledge", "list", "--team", "AB02", "-f", "csv"], mine)).stdout
    assert all(line.startswith("AB02-") for line in flagged.splitlines()[1:])
    shown = ok(invoke(["team", "show", "-f", "json"], mine)).stdout
    assert '"code": "CW01"' in shown
    ok(invoke(["duty", "--hours", "8", "--when", "16/10/2008 08:00"], mine))
    actions = ok(invoke(["actions", "-f", "csv"], mine)).stdout.splitlines()
    assert len(actions) == 2 and ",CW01," in actions[1]
    summary = ok(invoke(["summary", "--period", "2008-10", "-f", "csv"], mine)).stdout
    assert {line.split(",")[1] for line in summary.splitlines()[1:]} == {"CW01"}
    # the league compares teams: a default team does not narrow it
    league = ok(invoke(["overview", "--period", "2008-10", "-f", "csv"], mine)).stdout
    assert len(league.splitlines()) == 3
    # nor the exports, which feed HQ pipelines; and their --help says so
    exported = ok(invoke(["export", "summary", "-p", "2008-10"], mine)).stdout
    assert {line.split(",")[1] for line in exported.splitlines()[1:]} == {"CW01", "AB02"}
    ok(invoke(["duty", "AB02", "--hours", "8", "--when", "16/10/2008 08:00"], mine))
    logged = ok(invoke(["export", "actions"], mine)).stdout.splitlines()
    assert {line.split(",")[2] for line in logged[1:]} == {"CW01-N3", "AB02-N3"}
    for command in ("summary", "actions"):
        shown = ok(invoke(["export", command, "--help"], mine)).stdout
        (line,) = [row for row in shown.splitlines() if "--team" in row]
        assert line.split("TEAM", 1)[1].strip() == "Team code; repeat for several (default all)."


def test_no_default_team_and_none_named_is_one_line(
    tmp_path: Path, env: Environment, two_teams: Path
) -> None:
    message = assert_error(
        invoke(["--db", str(two_teams), "duty", "--hours", "8"], env), ExitCode.USAGE
    )
    assert message.startswith("TEAM: name a team, or set a default")


@pytest.mark.parametrize(
    "command",
    [["summary"], ["pledge", "list"], ["team", "show"], ["duty", "--hours", "8"], ["agenda"]],
)
def test_an_unknown_default_team_says_where_it_came_from(
    tmp_path: Path, env: Environment, two_teams: Path, command: list[str]
) -> None:
    """The user did not type T9, so the error must say where to look for it."""
    args = ["--db", str(two_teams), *command]
    from_env = os_env(env, tmp_path, PLEDGETRACK_TEAM="t9")
    assert_error(invoke(args, from_env), ExitCode.USAGE,
                 "unknown team 'T9' (from PLEDGETRACK_TEAM; see: pledgetrack team list, "
                 "pledgetrack config show)")  # fmt: skip
    path = write_config(tmp_path, 'team = "ZZ1"\n')
    assert_error(invoke(args, os_env(env, tmp_path)), ExitCode.USAGE,
                 f"unknown team 'ZZ1' (from team in {path}; see: pledgetrack team list, "
                 "pledgetrack config show)")  # fmt: skip


def test_an_unknown_team_typed_is_not_blamed_on_the_default(
    tmp_path: Path, env: Environment, two_teams: Path
) -> None:
    mine = os_env(env, tmp_path, PLEDGETRACK_TEAM="T9")
    for args in (["summary", "--team", "T9"], ["summary", "--team", "T8"], ["team", "show", "T8"]):
        assert_error(invoke(["--db", str(two_teams), *args], mine), ExitCode.USAGE,
                     f"unknown team '{args[-1]}' (see: pledgetrack team list)")  # fmt: skip


def test_a_blank_default_team_is_named_not_looked_up(
    tmp_path: Path, env: Environment, two_teams: Path
) -> None:
    blank = os_env(env, tmp_path, PLEDGETRACK_TEAM="  ")
    assert_error(invoke(["--db", str(two_teams), "summary"], blank), ExitCode.USAGE,
                 "PLEDGETRACK_TEAM is blank")  # fmt: skip
    # empty is unset, as a shell means it: every team
    empty = os_env(env, tmp_path, PLEDGETRACK_TEAM="")
    assert ok(invoke(["--db", str(two_teams), "summary", "-f", "csv"], empty)).stdout


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (PermissionError(13, "Permission denied"), ExitCode.IO),
        (OSError(5, "Input/output error"), ExitCode.IO),
        (IsADirectoryError(21, "Is a directory"), ExitCode.USAGE),
    ],
)
def test_a_config_file_the_system_will_not_read_is_exit_74(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: OSError,
    code: ExitCode,
    two_teams: Path,
) -> None:
    """Root, who runs the tests, may read a mode-000 file: the refusal is raised where
    reading it would raise it. Was exit 2, as if the file were wrong."""
    path = write_config(tmp_path, 'team = "CW01"\n')
    opener = os.open

    def refuse(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(file) == path:
            raise error
        return opener(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)  # the config file is opened so (config.py)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    result = CliRunner().invoke(app, ["team", "list"])  # the database is the file's to say
    assert_error(result, code, f"cannot read config file {path}: {error.strerror}")
    # a command given all it needs on the command line does not need the file's values
    listed = ok(CliRunner().invoke(app, ["--db", str(two_teams), "team", "list", "-f", "csv"]))
    assert "CW01" in listed.stdout
