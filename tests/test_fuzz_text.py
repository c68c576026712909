"""Any text a user can give, through the real CLI: stored exactly and read back the same
through the exports, or refused with exit 2 and the database untouched; never exit 70.

"Any text" includes whitespace of every kind, control characters, quotes, formula
characters and bytes that are not UTF-8 (as Python hands them over from argv, with
surrogate escapes, or as they sit in a CSV file). What should happen is predicted from
the rules (blank, NUL, undecodable), so a test passes only when the outcome is the right one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import invoke
from helpers import snapshot
from pledgetrack.csvcodec import restore
from pledgetrack.domain.text import text_problem
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode

FUZZ = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TRICKY = [" ", "\t", "\r", "\n", "\r\n", "\x1b[31m", "\x00", "\u202e", "\u00a0", "\u2028",
          "=", "+", "-", "@", "'", '"', ",", "\ufeff", "é", "☃"]  # fmt: skip
# Text as a shell passes it: any characters, or any bytes (invalid UTF-8 arrives as
# surrogate escapes, exactly as in sys.argv), with the awkward ones made likely
TEXT = st.one_of(
    st.text(max_size=20),
    st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), max_size=6).map("".join),
    st.binary(max_size=20).map(os.fsdecode),
)


def blank(text: str) -> bool:
    """Nothing shows: whitespace, or characters Unicode says print as nothing (format)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


@pytest.fixture
def template(tmp_path: Path, env: Environment) -> Path:
    """A database with team CW01 and pledge CW01-L1 (weekly patrols), built once per test."""
    path = tmp_path / "template.db"
    for args in (
        ["team", "add", "CW01", "--name", "Castle", "--no-national"],
        ["pledge", "add", "CW01", "Patrols", "--at-least", "1", "--per", "week",
         "--agreed", "01/09/2008"],
    ):  # fmt: skip
        assert invoke(["--db", str(path), *args], env).exit_code == 0
    return path


def fresh(template: Path) -> Path:
    """A copy of the template for one example (each starts from the same state)."""
    path = template.with_name("example.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, path)
    return path


def outcome(db: Path, env: Environment, args: list[str], should_work: bool) -> bool:
    """Run the command; exit 0 when it should work, else exit 2 with nothing changed."""
    before = snapshot(db)
    result = invoke(["--db", str(db), *args], env)
    assert "Traceback" not in result.stderr
    assert result.exit_code != ExitCode.INTERNAL, result.stderr
    if should_work:
        assert result.exit_code == ExitCode.OK, result.stderr
        return True
    assert result.exit_code == ExitCode.USAGE, (result.exit_code, result.stderr)
    # one error line (import lists each bad row first, `line N: column: problem`)
    *rows, last = result.stderr.splitlines()
    assert last.startswith("error: ") and all(r.startswith("line ") for r in rows), result.stderr
    assert snapshot(db) == before
    return False


def acceptable(*texts: str) -> bool:
    return all(text_problem(t) is None for t in texts)


def optional(text: str) -> str | None:
    return None if blank(text) else text


def exported_actions(db: Path, env: Environment) -> list[dict[str, object]]:
    result = invoke(["--db", str(db), "export", "actions", "-f", "json"], env)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


@FUZZ
@given(description=TEXT, officer=TEXT, partner=TEXT)
@example(description="\t=1+1", officer="0\r", partner=" ")
@example(description="ok", officer="\udcc3(", partner="x")
def test_log_stores_any_text_exactly_or_refuses_it(
    template: Path, env: Environment, description: str, officer: str, partner: str
) -> None:
    db = fresh(template)
    args = ["log", "--when=2008-10-01 10:00", f"--officer={officer}", f"--partner={partner}",
            "--", "CW01-L1", description]  # fmt: skip
    works = acceptable(description, officer, partner) and not blank(description)
    if outcome(db, env, args, works):
        (row,) = exported_actions(db, env)
        assert (row["description"], row["officer"], row["partner"]) == (
            description, optional(officer), optional(partner))  # fmt: skip


@FUZZ
@given(title=TEXT, meeting=TEXT)
@example(title="0\r", meeting=" PACT ")
def test_pledge_add_stores_any_title_exactly_or_refuses_it(
    template: Path, env: Environment, title: str, meeting: str
) -> None:
    db = fresh(template)
    args = ["pledge", "add", "--agreed=01/09/2008", f"--meeting={meeting}", "--", "CW01", title]
    works = acceptable(title, meeting) and not blank(title)
    if outcome(db, env, args, works):
        summary = invoke(["--db", str(db), "export", "summary", "--period", "2008-10",
                          "--as-of", "2008-10-16", "-f", "json"], env)  # fmt: skip
        titles = {r["pledge"]: r["pledge_title"] for r in json.loads(summary.stdout)}
        assert titles["CW01-L2"] == title
        shown = invoke(["--db", str(db), "pledge", "show", "CW01-L2", "-f", "json"], env)
        assert json.loads(shown.stdout)["meeting"] == optional(meeting)


CODES = TEXT | st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,33}", fullmatch=True)


@FUZZ
@given(code=CODES, name=TEXT, force=TEXT)
@example(code="straße", name="x", force="y")
@example(code="cw02", name="\tCastle ", force="  ")
def test_team_add_stores_any_name_exactly_or_refuses_it(
    template: Path, env: Environment, code: str, name: str, force: str
) -> None:
    db = fresh(template)
    args = ["team", "add", f"--name={name}", f"--force={force}", "--no-national", "--", code]
    wanted = code.strip().upper() if code.strip().isascii() else None
    # a valid, new code: ASCII letters, digits, '-', not a pledge reference, not CW01
    valid_code = (
        wanted is not None
        and bool(re.fullmatch(r"[A-Z0-9][A-Z0-9-]{0,31}", wanted))
        and not re.fullmatch(r".+-[LN][0-9]+", wanted)
        and wanted != "CW01"
    )
    works = valid_code and acceptable(code, name, force) and not blank(name)
    if outcome(db, env, args, works):
        listed = invoke(["--db", str(db), "team", "list", "-f", "json"], env)
        team = next(t for t in json.loads(listed.stdout) if t["code"] == wanted)
        assert (team["name"], team["force"]) == (name, optional(force))


CELL = st.one_of(
    st.binary(max_size=20),
    st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), max_size=6).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
    ),
)


@FUZZ
@given(description=CELL, officer=CELL)
@example(description=b"'=1+1", officer=b"\xc3\x28")
@example(description=b"two\r\nlines", officer=b"\t")
def test_import_actions_stores_any_cell_exactly_or_refuses_the_file(
    template: Path, env: Environment, description: bytes, officer: bytes
) -> None:
    db = fresh(template)

    def quoted(raw: bytes) -> bytes:
        return b'"' + raw.replace(b'"', b'""') + b'"'

    path = db.with_name("actions.csv")
    path.write_bytes(b"team,pledge,when,description,officer\n"
                     b"CW01,CW01-L1,2008-10-01T10:00:00+01:00," + quoted(description) + b","
                     + quoted(officer) + b"\n")  # fmt: skip
    try:
        texts = [restore(description.decode("utf-8")), restore(officer.decode("utf-8"))]
    except UnicodeDecodeError:
        texts = None
    works = texts is not None and acceptable(*texts) and not blank(texts[0])
    if outcome(db, env, ["import", "actions", str(path)], works):
        assert texts is not None
        (row,) = exported_actions(db, env)
        assert (row["description"], row["officer"]) == (texts[0], optional(texts[1]))
