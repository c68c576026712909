"""`pledgetrack demo`: the README's first command, and the files it must never clobber."""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import fixed_clock, invoke
from helpers import NOW, Run, assert_error, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store.migrations import LATEST_VERSION


def test_demo_builds_its_database_and_reports_october(env: Environment) -> None:
    result = ok(invoke(["demo"], env))
    path = env.data_dir / "demo.db"
    assert path.exists()
    # its first line says where it writes, in the user's data directory unless --out says
    assert result.stderr.splitlines()[0] == (
        f"writing the demo database to {path} (choose with --out PATH)"
    )
    assert f"demo database {path}: 3 teams, 39 pledges" in result.stderr
    assert "CW01 Castle Ward, October 2008:" in result.stdout
    # run again: an earlier demo is simply replaced
    ok(invoke(["demo"], env))


@pytest.mark.parametrize("team", ["LE05", "BL02"])
def test_demo_reports_every_team_whatever_the_default_team(
    env: Environment, tmp_path: Path, team: str
) -> None:
    """FRESH4 G20: with PLEDGETRACK_TEAM set (as the README tells a sergeant), the demo built
    its database, then refused `unknown team 'LE05'` (exit 2, no reports), or showed only
    that team: its data are its own."""
    out = tmp_path / "demo.db"
    result = ok(invoke(["demo", "--out", str(out)], replace(env, vars={"PLEDGETRACK_TEAM": team})))
    for name in ("CW01 Castle Ward", "BL02 Belgrave", "MH03 Market Harborough Rural"):
        assert f"{name}, October 2008:" in result.stdout
    assert (tmp_path / "demo-hq.html").exists() and (tmp_path / "demo-update-CW01.html").exists()


def test_demo_latest_actions_are_those_the_report_can_see(env: Environment) -> None:
    out = ok(invoke(["demo", "--format", "plain"], env)).stdout
    lines = out.splitlines()
    start = lines.index("Latest actions of team CW01")
    rows = lines[start + 3 : start + 8]  # title, header, rule, then the five latest
    days = [row.split()[1] for row in rows]  # as people read them: 30/10, in the demo's 2008
    assert len(days) == 5
    assert all(re.fullmatch(r"\d\d/10(/2008)?", day) for day in days), days


def test_the_demos_open_victim_update_carries_its_case_as_the_command_records_it(
    env: Environment,
) -> None:
    """docs/cli.md: Case/ref is an open item's victim case. The demo's victim updates come
    from a file with no case column; each is linked to the case its description names, as
    `victim-update --case` links one, so the agenda shows it (it was empty)."""
    ok(invoke(["demo"], env))
    path = str(env.data_dir / "demo.db")
    out = ok(invoke(["--db", path, "agenda", "--as-of", "23/10/2008 10:00", "-f", "csv",
                     "--columns", "ref,case"], env)).stdout  # fmt: skip
    assert "MH03-N9,CR/MH03/002/08" in out.splitlines()


def test_demo_never_replaces_a_file_that_is_not_a_demo(env: Environment, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me\n")
    assert_error(
        invoke(["demo", "--out", str(notes)], env),
        ExitCode.USAGE,
        f"--out {notes} exists and is not a demo database; pass --yes to replace it",
    )
    assert notes.read_text() == "keep me\n"
    ok(invoke(["demo", "--out", str(notes), "--yes"], env))


def test_demo_refuses_db_so_a_live_database_is_safe(cli: Run, db: Path, team: str) -> None:
    before = db.read_bytes()
    assert_error(
        cli("demo"), ExitCode.USAGE, "demo builds a database of its own: give --out PATH, not --db"
    )
    assert db.read_bytes() == before


def test_demo_writes_the_public_update_and_the_hq_report(env: Environment) -> None:
    result = ok(invoke(["demo"], env))
    update = env.data_dir / "demo-update-CW01.html"
    hq = env.data_dir / "demo-hq.html"
    assert f"team CW01's public update for October 2008: {update}" in result.stderr
    assert f"the HQ report for October 2008: {hq}" in result.stderr
    assert "You said: Anti-social behaviour in Castle Park" in update.read_text(encoding="utf-8")
    assert hq.read_text(encoding="utf-8").count("<svg") == 8
    ok(invoke(["demo"], env))  # its own earlier reports are replaced without asking


def test_demo_never_replaces_a_report_file_that_is_not_ours(
    env: Environment, tmp_path: Path
) -> None:
    out = tmp_path / "demo.db"
    mine = tmp_path / "demo-hq.html"
    mine.write_text("<p>my own notes</p>\n")
    assert_error(
        invoke(["demo", "--out", str(out)], env),
        ExitCode.USAGE,
        f"{mine} exists and is not a pledgetrack report; pass --yes to replace it",
    )
    assert mine.read_text() == "<p>my own notes</p>\n"
    assert not out.exists()  # refused before anything was written
    ok(invoke(["demo", "--out", str(out), "--yes"], env))
    assert mine.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_demo_database_never_named_as_one_of_its_reports(env: Environment, tmp_path: Path) -> None:
    clash = tmp_path / "demo-hq.html"
    assert_error(
        invoke(["demo", "--out", str(clash)], env),
        ExitCode.USAGE,
        f"--out {clash}: the demo writes its reports under that name; choose another",
    )
    assert not clash.exists()


_V1 = Path(__file__).parent / "fixtures" / "schema-v1.db"  # real rows, the first release's


def _demo_at_schema(env: Environment, tmp_path: Path, version: int) -> Path:
    """A demo database as a release at schema `version` left it (the version alone differs:
    this release reads only the team codes)."""
    path = tmp_path / "old-demo.db"
    ok(invoke(["demo", "--out", str(path)], env))
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    return path


@pytest.mark.parametrize("version", [1, LATEST_VERSION - 1, LATEST_VERSION + 1])
def test_an_earlier_demo_at_another_schema_is_replaced(
    env: Environment, tmp_path: Path, version: int
) -> None:
    """It was `exists and is not a demo database` after every schema change: the normal
    open refused the older schema, and the refusal read as "not a demo"."""
    path = _demo_at_schema(env, tmp_path, version)
    result = ok(invoke(["demo", "--out", str(path)], env))
    assert result.stderr.splitlines()[0] == f"writing the demo database to {path}"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    conn.close()


def test_the_default_demo_left_by_an_earlier_release_is_replaced(env: Environment) -> None:
    """The README's first command, run again after an upgrade."""
    ok(invoke(["demo"], env))
    conn = sqlite3.connect(env.data_dir / "demo.db")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION - 2}")
    conn.close()
    ok(invoke(["demo"], env))


def test_a_real_database_at_an_older_schema_is_kept_and_never_upgraded(
    env: Environment, tmp_path: Path
) -> None:
    """The first release's file (teams CW01 and BL02) is no demo: refused, byte for byte as
    it was (looking never upgrades it); with the demo's teams exactly, it is one."""
    path = tmp_path / "v1.db"
    shutil.copyfile(_V1, path)
    before = path.read_bytes()
    assert_error(
        invoke(["demo", "--out", str(path)], env),
        ExitCode.USAGE,
        f"--out {path} exists and is not a demo database; pass --yes to replace it",
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "v1.db"]
    # one team more, or one less, than the demo's: still not a demo
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO teams (code, name, created_at) VALUES ('MH03', 'M', '2008-09-01')"
        )
        conn.execute(
            "INSERT INTO teams (code, name, created_at) VALUES ('ZZ99', 'Z', '2008-09-01')"
        )
    conn.close()
    assert invoke(["demo", "--out", str(path)], env).exit_code == ExitCode.USAGE
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM teams WHERE code = 'ZZ99'")
    conn.close()
    # CW01, BL02 and MH03: the demo's teams, but actions logged at several moments (a
    # demo's are all recorded at one): kept without --yes (FRESH6 I10)
    refused = invoke(["demo", "--out", str(path)], env)
    assert refused.exit_code == ExitCode.USAGE
    assert "is an earlier demo with 5 actions logged in it since it was built" in refused.stderr
    ok(invoke(["demo", "--out", str(path), "--yes"], env))


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00 but not really", b"keep me\n"])
def test_a_file_that_is_not_a_pledgetrack_database_is_kept(
    env: Environment, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "other.db"
    path.write_bytes(content)
    assert invoke(["demo", "--out", str(path)], env).exit_code == ExitCode.USAGE
    assert path.read_bytes() == content


def test_an_earlier_demo_someone_logged_in_is_kept_without_yes(env: Environment) -> None:
    """The README invites trying commands on demo.db; running `demo` again replaced it and
    what was logged there without a word (FRESH6 I10). Without --yes it is kept as it was;
    a demo nobody logged in is replaced as before, and no file of the build is left."""
    ok(invoke(["demo"], env))
    path = env.data_dir / "demo.db"
    ok(invoke(["demo"], env))  # nothing logged since: replaced
    logged = ["--db", str(path), "log", "CW01-L1", "my own patrol", "--when", "15/10/2008 19:00"]
    ok(invoke(logged, replace(env, clock=fixed_clock(NOW + timedelta(minutes=5)))))
    before = path.read_bytes()
    assert_error(
        invoke(["demo"], env),
        ExitCode.USAGE,
        f"--out {path} is an earlier demo with 1 action logged in it since it was built; "
        "pass --yes to replace it, or give another --out",
    )
    assert path.read_bytes() == before
    ok(invoke(["demo", "--yes"], env))
    listed = ok(invoke(["--db", str(path), "actions", "-f", "csv"], env)).stdout
    assert "my own patrol" not in listed
    assert sorted(p.name for p in env.data_dir.iterdir()) == [
        "demo-hq.html", "demo-update-CW01.html", "demo.db",
    ]  # fmt: skip
