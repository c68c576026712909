"""A victim's contacts brought in by `import actions` join their case's chain as
`victim-update --when` puts them there (FRESH5 H5): the earlier item ends at the contact,
the contact's item at the next one; read again, the file adds nothing; `db check` names a
case an older release left with two open items. The clock is pinned at 16/10/2008 15:00."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Prepared, Run, nothing_written, ok
from pledgetrack.services import victim_cases
from test_victim_cases import chain, contact, n9_check

HEAD = "team,pledge,when,received,description,officer,case\n"


def _setup(run: Run) -> None:
    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))
    contact(run, "1/9/2008 10:00", "--note", "first", "--officer", "PC A")
    contact(run, "20/9/2008 10:00", "--note", "second", "--officer", "PC B")


@pytest.fixture
def case(cli: Run, prepared: Prepared) -> Run:
    """Case CR/1/08: contacts on 1 and 20 September, items 1 (1/9 -> 20/9) and 2 (open)."""
    prepared("victim-import", lambda: _setup(cli))
    return cli


def _import(run: Run, tmp_path: Path, rows: str, name: str = "contacts.csv") -> str:
    path = tmp_path / name
    path.write_text(HEAD + rows, encoding="utf-8")
    return ok(run("import", "actions", str(path))).stderr


@pytest.mark.parametrize(
    "done", ["", "20/09/2008 10:00"], ids=["one row per contact", "export's shape"]
)
def test_an_imported_contact_goes_between_the_two_either_side(
    case: Run, db: Path, tmp_path: Path, done: str
) -> None:
    """A spreadsheet's row (no `when`) and an export's (`when` the next contact) alike:
    item 1 now ends at the 10/9 contact, whose item ends at the 20/9 one; one item open."""
    said = _import(case, tmp_path, f"CW01,CW01-N9,{done},10/09/2008 10:00,mid,PC C,CR/1/08\n")
    assert "imported 1 action from 1 row" in said
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-10T10:00"),
        (3, "2008-09-10T10:00", "2008-09-20T10:00"),
        (2, "2008-09-20T10:00", None),
    ]
    # the victim was contacted within 31 days every time: nothing breached, one waiting
    assert n9_check(case, "2008-10-16 15:00") == []
    again = _import(case, tmp_path, f"CW01,CW01-N9,{done},10/09/2008 10:00,mid,PC C,CR/1/08\n")
    assert "imported 0 actions from 1 row; 1 duplicate skipped" in again
    assert len(chain(db)) == 3


def test_a_new_cases_contacts_one_row_each_answer_one_another(cli: Run, db: Path,
                                                              tmp_path: Path) -> None:  # fmt: skip
    """The plainest file a sergeant writes: the first contact is answered by the second,
    which waits; the first's 31 days never run out."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))
    rows = (
        "CW01,CW01-N9,,05/09/2008 10:00,first call,,C5\n"
        "CW01,CW01-N9,,20/09/2008 10:00,second call,,C5\n"
    )
    _import(cli, tmp_path, rows)
    assert chain(db) == [
        (1, "2008-09-05T10:00", "2008-09-20T10:00"),
        (2, "2008-09-20T10:00", None),
    ]
    assert n9_check(cli, "2008-10-16 15:00") == []
    assert "2 duplicates skipped" in _import(cli, tmp_path, rows)
    assert len(chain(db)) == 2


def test_the_same_moment_words_and_officer_are_the_same_contact(
    case: Run, db: Path, tmp_path: Path
) -> None:
    """The edge of "already on record": the stored contact's moment, words and officer.
    The same words a minute later are one more contact, not the stored one."""
    words = '"Victim update, case CR/1/08: second"'
    assert "1 duplicate skipped" in _import(
        case, tmp_path, f"CW01,CW01-N9,,20/09/2008 10:00,{words},PC B,CR/1/08\n"
    )
    assert len(chain(db)) == 2
    _import(case, tmp_path, f"CW01,CW01-N9,,20/09/2008 10:01,{words},PC B,CR/1/08\n", "b.csv")
    assert chain(db)[-2:] == [
        (2, "2008-09-20T10:00", "2008-09-20T10:01"),
        (3, "2008-09-20T10:01", None),
    ]
    _import(case, tmp_path, f"CW01,CW01-N9,,20/09/2008 10:01,{words},PC D,CR/1/08\n", "c.csv")
    assert len(chain(db)) == 4


def test_an_imported_contact_before_a_final_one_takes_its_words_along(
    case: Run, db: Path, tmp_path: Path
) -> None:
    """As victim-update typed up late does: the final contact's words stay on the item it
    closes, which is now the imported contact's."""
    contact(case, "10/10/2008 10:00", "--final", "--note", "no more calls")
    _import(case, tmp_path, "CW01,CW01-N9,,01/10/2008 10:00,mid,PC C,CR/1/08\n")
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-20T10:00"),
        (2, "2008-09-20T10:00", "2008-10-01T10:00"),
        (3, "2008-10-01T10:00", "2008-10-10T10:00"),
    ]
    listing = ok(case("actions", "--pledge", "CW01-N9", "-f", "csv", "--columns", "id,description"))
    lines = listing.stdout.splitlines()
    assert next(x for x in lines if x.startswith("3,")).endswith("no more calls")
    assert "no more calls" not in next(x for x in lines if x.startswith("2,"))


def test_db_check_names_a_case_left_with_two_open_items(
    case: Run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older release's import left the earlier contact open beside the latest: breached
    for ever. db check lists the case, with the void and the victim-update that mend it."""
    ok(case("db", "check"))
    monkeypatch.setattr(victim_cases, "join_imported", lambda store, ids: None)
    _import(case, tmp_path, "CW01,CW01-N9,,25/09/2008 10:00,late,PC C,CR/1/08\n")
    result = case("db", "check")
    assert result.exit_code == 3, result.stdout + result.stderr
    assert (
        "victim case: CW01 case CR/1/08 has 2 open items (2 received 20/09/2008 10:00, 3 received "
        "25/09/2008 10:00); only its latest contact waits for the next: pledgetrack void 3 "
        "--reason 'not in its case chain', then pledgetrack victim-update CW01 --case CR/1/08 "
        "--when '25/09/2008 10:00', which answers 2 with it"
    ) in result.stdout
    # the mend it gives works: one open item, the chain whole, db check sound
    ok(case("void", "3", "--reason", "not in its case chain"))
    contact(case, "25/09/2008 10:00")
    assert chain(db) == [
        (1, "2008-09-01T10:00", "2008-09-20T10:00"),
        (2, "2008-09-20T10:00", "2008-09-25T10:00"),
        (4, "2008-09-25T10:00", None),
    ]
    assert ok(case("db", "check")).exit_code == 0


def test_an_imported_contact_after_the_final_one_is_refused_naming_its_line(
    case: Run, db: Path, tmp_path: Path
) -> None:
    """The rule victim-update keeps (FRESH5 H9), for a file too: nothing imported."""
    contact(case, "10/10/2008 10:00", "--final")
    path = tmp_path / "late.csv"
    path.write_text(HEAD + "CW01,CW01-N9,,12/10/2008 10:00,rang back,,CR/1/08\n", encoding="utf-8")
    with nothing_written(db):
        result = case("import", "actions", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "line 2: received: case CR/1/08 was closed by its final contact of 10/10 10:00 (no "
        "further update due): to contact the victim after it, first open it again with: "
        "pledgetrack victim-update CW01 --case CR/1/08 --reopen"
    )
