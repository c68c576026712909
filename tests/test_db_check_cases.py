"""Victims' cases another tool damaged, which `db check` passed (ATTACK5 B4): a contact
moved to another case, a blank case reference, a chain whose received time is not the
time the item before it was answered. Each item of a case ends at the next one's contact
(domain.national.chain_break); `victim-update`, `--reopen` and `void` read the case so,
and would mend it wrongly (`case ... was closed by its final contact of 20/09`, a contact
that is another case's). db check lists each naming the row and the cell that mends it;
those commands exit 3 naming it, and `void` voids the row leaving its case as it is. On
real files damaged with sqlite3; the clock is pinned at 16/10/2008 15:00."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from helpers import Prepared, Run, assert_error, nothing_written, ok
from pledgetrack.exitcodes import ExitCode
from test_db_health import CORRECT, check_lists, edit
from test_victim_cases import contact

SEE = "see: pledgetrack db check"
CASE, OTHER = "CR/1/08", "CR/2/08"


def _setup(run: Run) -> None:
    ok(run("team", "add", "CW01", "--name", "Castle Ward", "--since", "2008-09-01"))
    contact(run, "1/9/2008 10:00")  # item 1: 1/9 -> 20/9
    contact(run, "20/9/2008 10:00")  # item 2: 20/9 -> 5/10
    contact(run, "5/10/2008 10:00")  # item 3: 5/10, open
    contact(run, "2/9/2008 11:00", case=OTHER)  # item 4: 2/9 -> 25/9
    contact(run, "25/9/2008 11:00", case=OTHER)  # item 5: 25/9, open


@pytest.fixture
def cases(cli: Run, prepared: Prepared) -> Run:
    prepared("db-check-cases", lambda: _setup(cli))
    return cli


def refused_case_commands(run: Run, db: Path, said: str, case: str = CASE) -> None:
    """victim-update into the case and --reopen of it exit 3 with `said`, writing nothing."""
    for args in (("--when", "10/10/2008 10:00"), ("--reopen",)):
        with nothing_written(db):
            assert_error(run("victim-update", "CW01", "--case", case, *args), ExitCode.DATABASE,
                         f"{said}; {SEE}")  # fmt: skip


def test_a_sound_set_of_cases_checks_clean(cases: Run) -> None:
    ok(cases("db", "check"))


def test_a_contact_moved_to_another_case_is_named_by_its_change_log_entry(
    cases: Run, db: Path
) -> None:
    edit(db, "UPDATE victim_contacts SET case_ref = ? WHERE action_id = 2", OTHER)
    conn = sqlite3.connect(db)
    (entry,) = conn.execute(
        "SELECT id FROM changes WHERE entity = 'victim-contact' AND entity_key = '2'"
    ).fetchone()
    conn.close()
    line = (
        f"victim case: victim_contacts.case_ref of row 2 is '{OTHER}', but change log entry "
        f"{entry} filed the contact in case '{CASE}': another tool moved it, which breaks "
        f"both cases' chains; to correct it: write the cell as '{CASE}'"
    )
    check_lists(cases, line, remedy=CORRECT)
    refused_case_commands(cases, db, line)  # the case it left
    refused_case_commands(cases, db, line, OTHER)  # the case it went to
    # the line's mend: both cases read again
    edit(db, "UPDATE victim_contacts SET case_ref = ? WHERE action_id = 2", CASE)
    ok(cases("db", "check"))
    contact(cases, "10/10/2008 10:00")


@pytest.mark.parametrize("blank", ["", " ", "cr/1/08"])
def test_a_case_reference_victim_update_never_stores_is_listed_and_never_exported(
    cases: Run, db: Path, tmp_path: Path, blank: str
) -> None:
    """Without a change log entry to say the case (another tool wrote the row too); an
    export would write it, and import read a blank one as no case at all."""
    edit(db, "UPDATE victim_contacts SET case_ref = ? WHERE action_id = 5", blank)
    edit(db, "DELETE FROM changes WHERE entity = 'victim-contact' AND entity_key = '5'")
    line = (
        f"stored value: victim_contacts.case_ref of row 5 is not a case reference pledgetrack "
        f"can read ({blank!r}); to correct it: write the cell as the case's reference, as "
        "victim-update --case stores it (upper case, like CR/CW01/001/08)"
    )
    result = cases("db", "check")
    assert result.exit_code == ExitCode.DATABASE
    assert line in result.stdout.splitlines()
    out = tmp_path / "actions.csv"
    assert_error(cases("export", "actions", "-o", str(out)), ExitCode.DATABASE, f"{line}; {SEE}")
    assert not out.exists()


def test_a_received_time_that_is_not_the_answer_before_it_breaks_the_chain(
    cases: Run, db: Path
) -> None:
    """Item 2's contact moved from 20/9 10:00 to 21/9: item 1 was answered at 20/9 by a
    contact the case no longer holds. A contact typed into the gap was refused as after
    a final one; one second off is broken too."""
    edit(db, "UPDATE actions SET received_at = '2008-09-20T10:00:01+01:00' WHERE id = 2")
    assert cases("db", "check").exit_code == ExitCode.DATABASE
    edit(db, "UPDATE actions SET received_at = '2008-09-21T10:00:00+01:00' WHERE id = 2")
    line = (
        "CW01 case CR/1/08: item 1 was answered at 20/09/2008 10:00, but the case's next "
        "contact, item 2's, came in at 21/09/2008 10:00: the chain is broken (another tool "
        "changed a time); to correct it: write actions.occurred_at of row 1 as "
        "'2008-09-21T10:00:00+01:00', or actions.received_at of row 2 as "
        "'2008-09-20T10:00:00+01:00', whichever the contact was"
    )
    check_lists(cases, f"victim case: {line}", remedy=CORRECT)
    refused_case_commands(cases, db, line)
    ok(cases("victim-update", "CW01", "--case", OTHER, "--when", "10/10/2008 10:00"))
    edit(db, "UPDATE actions SET occurred_at = '2008-09-21T10:00:00+01:00' WHERE id = 1")
    ok(cases("db", "check"))


def test_an_item_left_waiting_before_a_later_contact_breaks_the_chain(
    cases: Run, db: Path
) -> None:
    """With the case closed by its final contact, item 1 alone waits (two waiting is an
    older release's import: test_victim_import.py)."""
    contact(cases, "10/10/2008 10:00", "--final")
    edit(db, "UPDATE actions SET occurred_at = NULL WHERE id = 1")
    line = (
        "CW01 case CR/1/08: item 1 (received 01/09/2008 10:00) waits for its next contact, "
        "but item 2's contact came after it (20/09/2008 10:00): the chain is broken; to "
        "correct it: write actions.occurred_at of row 1 as '2008-09-20T10:00:00+01:00'"
    )
    check_lists(cases, f"victim case: {line}", remedy=CORRECT)
    refused_case_commands(cases, db, line)
    # void is still the way out of the row: voided, its case left as it is
    ok(cases("void", "1", "--reason", "another tool's row"))
    ok(cases("db", "check"))
