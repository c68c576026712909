"""`respond ID --officer NAME --note TEXT` (FRESH5 H20): who dealt with an item and what
was done, kept as `log` keeps an action's (the officer column, the description), shown by
`actions` and `history`, carried by `export actions` and back in by `import actions`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import on_database
from helpers import Run, fails, ok
from pledgetrack.domain.national import answered_words, last_contact
from pledgetrack.environment import Environment


@pytest.fixture
def replies(cli: Run, team: str) -> Run:
    ok(cli("pledge", "add", "CW01", "Replies", "--within", "24h", "--agreed", "01/01/2008"))
    return cli


def open_item(cli: Run, *officer: str) -> str:
    args = ("--received", "today 09:00", "--open", *officer)
    return str(ok(cli("log", "CW01-L1", "Email about parking", *args)).stdout.strip())


def row(cli: Run, item: str) -> dict[str, Any]:
    rows = json.loads(ok(cli("actions", "--format", "json")).stdout)
    (found,) = [r for r in rows if str(r["id"]) == item]
    return found


def test_an_item_without_an_officer_takes_the_one_who_answered_it(replies: Run) -> None:
    item = open_item(replies)
    done = ok(replies("respond", item, "--when", "10:00", "--officer", "PC Jones",
                      "--note", "rang back, advice given"))  # fmt: skip
    assert done.stderr == f"action {item} dealt with after 1h, within 24h\n"
    got = row(replies, item)
    assert (got["officer"], got["description"]) == (
        "PC Jones",
        "Email about parking; answered: rang back, advice given",
    )
    history = ok(replies("history", item, "--format", "json")).stdout
    (answer,) = [e for e in json.loads(history) if e["op"] == "respond"]
    assert answer["officer"] == "PC Jones"


def test_an_item_logged_by_another_officer_names_the_one_who_answered(replies: Run) -> None:
    item = open_item(replies, "--officer", "PC Smith")
    ok(replies("respond", item, "--when", "10:00", "--officer", "PC Jones", "--note", "rang"))
    got = row(replies, item)
    assert (got["officer"], got["description"]) == (
        "PC Smith",
        "Email about parking; answered (PC Jones): rang",
    )
    table = ok(replies("actions", "--format", "plain", "--wide")).stdout
    assert "Email about parking; answered (PC Jones): rang" in table


@pytest.mark.parametrize(
    ("officer", "note", "description"),
    [
        (["--officer", "PC Smith"], [], "Email about parking"),  # its own officer: nothing
        (["--officer", "PC Smith"], ["--note", "done"], "Email about parking; answered: done"),
        ([], ["--note", "  "], "Email about parking"),  # a blank note is no note
        ([], ["--note", " kept  as typed "], "Email about parking; answered:  kept  as typed "),
        (["--officer", "  "], [], "Email about parking"),  # a blank officer is none
    ],
)
def test_what_an_answer_adds_to_an_item_with_an_officer(
    replies: Run, officer: list[str], note: list[str], description: str
) -> None:
    item = open_item(replies, "--officer", "PC Smith")
    ok(replies("respond", item, "--when", "10:00", *officer, *note))
    assert (row(replies, item)["officer"], row(replies, item)["description"]) == (
        "PC Smith",
        description,
    )


def test_the_default_officer_is_the_environments_as_for_log(
    replies: Run, cli_with: Callable[..., Run], env: Environment
) -> None:
    item = open_item(replies)
    as_begum = cli_with(vars={**env.vars, "PLEDGETRACK_OFFICER": "PCSO Begum"})
    ok(as_begum("respond", item, "--when", "10:00"))
    got = row(replies, item)
    assert (got["officer"], got["description"]) == ("PCSO Begum", "Email about parking")


def test_a_refused_answer_writes_neither(replies: Run, db: Path) -> None:
    item = open_item(replies)
    fails(replies, db, "respond", item, "--when", "08:00", "--officer", "PC Jones",
          "--note", "rang", text="--when 16/10 08:00 is before the item was received "
          "(16/10 09:00)")  # fmt: skip
    got = row(replies, item)
    assert (got["officer"], got["description"], got["status"]) == (
        None,
        "Email about parking",
        "open",
    )


def test_export_and_import_carry_both(
    replies: Run, tmp_path: Path, env: Environment
) -> None:
    first = open_item(replies)
    second = open_item(replies, "--officer", "PC Smith")
    ok(replies("respond", first, "--when", "10:00", "--officer", "PC Jones", "--note", "rang"))
    ok(replies("respond", second, "--when", "11:00", "--officer", "PC Jones", "--note", "met"))
    exported = tmp_path / "actions.csv"
    ok(replies("export", "actions", "-o", str(exported)))
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    assert [(r["officer"], r["description"]) for r in rows] == [
        ("PC Jones", "Email about parking; answered: rang"),
        ("PC Smith", "Email about parking; answered (PC Jones): met"),
    ]
    other = on_database(tmp_path / "other.db", env)
    ok(other("team", "add", "CW01", "--name", "Castle Ward"))
    ok(other("pledge", "add", "CW01", "Replies", "--within", "24h", "--agreed", "01/01/2008"))
    ok(other("import", "actions", str(exported)))
    again = io.StringIO(ok(other("export", "actions")).stdout)
    assert [(r["officer"], r["description"], r["when"]) for r in csv.DictReader(again)] == [
        (r["officer"], r["description"], r["when"]) for r in rows
    ]


# -- the words, in one place ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_officer", "note", "officer", "words"),
    [
        (None, None, None, None),
        ("PC Smith", None, "PC Smith", None),  # the item's own officer adds nothing
        ("PC Smith", None, "PC Jones", "Call; answered (PC Jones)"),
        ("PC Smith", "rang", "PC Smith", "Call; answered: rang"),
        (None, "rang", "PC Jones", "Call; answered (PC Jones): rang"),
        ("PC Smith", " ", None, None),
    ],
)
def test_answered_words(
    item_officer: str | None, note: str | None, officer: str | None, words: str | None
) -> None:
    assert answered_words("Call", item_officer, note, officer) == words


def test_a_final_victim_update_keeps_its_words() -> None:
    assert last_contact("Victim update", None, " no more calls ", "PC Jones") == (
        "Victim update; last contact (PC Jones): no more calls"
    )
