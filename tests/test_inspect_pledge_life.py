"""`report inspect` around a commitment's life: the evidence and its gaps run from the day
the commitment was adopted to the day it closed (as things stood at --as-of), never to
--as-of past a withdrawal; one adopted after the three months is not "not carried".

CW01 carries N7 (a public meeting a month, 31 days allowed between two) from 1 July 2008;
as of 16 October 2008 the evidence is July to September."""

from __future__ import annotations

import json
from typing import Any

import pytest

from helpers import Run, ok

AS_OF = "16/10/2008 12:00"
LATER = ", after the last 3 months: no evidence yet"


@pytest.fixture
def n7(cli: Run) -> str:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/07/2008"))
    ok(cli("meeting", "CW01", "--when", "10/07/2008 19:00"))
    return "CW01-N7"


def inspect(cli: Run, number: int, as_of: str = AS_OF) -> dict[str, Any]:
    rows = ok(cli("report", "inspect", "CW01", "--as-of", as_of, "-f", "json")).stdout
    (found,) = [c for c in json.loads(rows)["commitments"] if c["commitment"] == f"N{number}"]
    return found


def withdraw(cli: Run, ref: str, on: str) -> None:
    ok(cli("pledge", "close", ref, "--status", "withdrawn", "--on", on, "--outcome", "Merged"))


def test_the_gap_of_a_withdrawn_commitment_stops_on_its_closing_day(cli: Run, n7: str) -> None:
    withdraw(cli, n7, "11/08/2008")  # 32 days after the meeting of 10 July
    found = inspect(cli, 7)
    assert found["longest_gap_days"] == 32  # not 98, to 16 October
    assert (found["grade"], found["reason"]) == (
        "fair",
        "32 days without one; the commitment allows 31; withdrawn on 11 August 2008: Merged",
    )


def test_withdrawn_on_the_last_allowed_day_has_no_gap_too_long(cli: Run, n7: str) -> None:
    withdraw(cli, n7, "10/08/2008")  # the closing day is in force: 31 days, as allowed
    found = inspect(cli, 7)
    assert found["longest_gap_days"] == 31
    assert found["grade"] == "good"
    assert found["reason"] == (
        "met in every month judged (1 of 3); withdrawn on 10 August 2008: Merged"
    )


def test_a_closing_day_after_as_of_is_not_yet_a_closing(cli: Run, n7: str) -> None:
    withdraw(cli, n7, "14/10/2008")
    found = inspect(cli, 7, as_of="13/10/2008 23:59")
    assert found["longest_gap_days"] == 95  # 10 July to 13 October: still in force
    assert "withdrawn" not in found["reason"]
    closed = inspect(cli, 7, as_of="14/10/2008 00:00")  # closed from the start of its day
    assert closed["longest_gap_days"] == 96
    assert closed["reason"].endswith("; withdrawn on 14 October 2008: Merged")
    assert inspect(cli, 7)["longest_gap_days"] == 96  # as of 16 October: stops on the 14th


def test_a_reopened_commitment_reads_as_never_closed(cli: Run, n7: str) -> None:
    """Reopening clears the closing day (as summary counts it: in force throughout)."""
    withdraw(cli, n7, "11/08/2008")
    ok(cli("pledge", "reopen", n7))
    found = inspect(cli, 7)
    assert found["longest_gap_days"] == 98
    assert (found["grade"], found["reason"]) == ("poor", "red in the month before and last month")


def test_closed_before_the_window_names_the_closing(cli: Run) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/05/2008"))
    withdraw(cli, "CW01-N7", "30/06/2008")  # the day before the window
    found = inspect(cli, 7)
    assert not found["attached"]
    assert (found["grade"], found["reason"]) == (
        "poor",
        "the team does not carry this commitment; withdrawn on 30 June 2008: Merged",
    )
    ok(cli("pledge", "reopen", "CW01-N7"))
    withdraw(cli, "CW01-N7", "01/07/2008")  # in force on the window's first day
    found = inspect(cli, 7)
    assert found["attached"]
    assert found["reason"].endswith("; withdrawn on 1 July 2008: Merged")


def test_adopted_mid_window_the_first_gap_runs_from_adoption(cli: Run) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "20/08/2008"))
    ok(cli("meeting", "CW01", "--when", "20/09/2008 19:00"))  # 31 days after adoption
    assert inspect(cli, 7)["longest_gap_days"] == 31
    ok(cli("void", "1", "--reason", "wrong day"))
    ok(cli("meeting", "CW01", "--when", "21/09/2008 19:00"))  # 32
    found = inspect(cli, 7)
    assert found["longest_gap_days"] == 32
    assert found["reason"] == "32 days without one; the commitment allows 31"


@pytest.mark.parametrize(
    ("since", "attached", "grade", "reason"),
    [  # adopted on the window's last day: in force in it, no whole month to judge
        ("30/09/2008", True, "fair", "nothing to judge yet in the last 3 months"),
        ("01/10/2008", False, "fair", f"adopted on 1 October 2008{LATER}"),
        ("16/10/2008", False, "fair", f"adopted on 16 October 2008{LATER}"),
        ("17/10/2008", False, "poor", "the team does not carry this commitment"),  # not yet
    ],
)  # fmt: skip
def test_adopted_after_the_window_is_no_evidence_yet_not_uncarried(
    cli: Run, since: str, attached: bool, grade: str, reason: str
) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("team", "national", "CW01", "--since", since, "--only", "N7"))
    if attached:
        ok(cli("meeting", "CW01", "--when", "30/09/2008 19:00"))
    found = inspect(cli, 7)
    assert (found["attached"], found["grade"], found["reason"]) == (attached, grade, reason)


@pytest.mark.parametrize(
    ("since", "grade", "reason"),
    [
        # October was a whole month of it: a meeting was due and none is on record
        ("01/10/2008", "poor", "nothing on record in the last 3 months"),
        # adopted on the 2nd: no whole month of it ended by as-of; nothing was due yet
        ("02/10/2008", "fair", "nothing due yet in the last 3 months: adopted on 2 October 2008"),
    ],
)
def test_a_team_in_its_first_month_is_judged_on_what_could_have_been_due(
    cli: Run, since: str, grade: str, reason: str
) -> None:
    """FRESH3 F24: a new team was Poor for the meetings and updates no month had yet asked of
    it. As of 1 November the evidence is August to October."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", since))
    for number in (7, 8):  # the monthly meeting and progress update
        found = inspect(cli, number, "01/11/2008 00:00")
        assert (found["grade"], found["reason"]) == (grade, reason)
    doc = json.loads(
        ok(cli("report", "inspect", "CW01", "--as-of", "01/11/2008", "-f", "json")).stdout
    )
    # N3 (no duty hours logged) and N2 (no contact) stay poor: they were due from day one
    assert (doc["overall"]["grade"] == "Poor") is (grade == "poor")
