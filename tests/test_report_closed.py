"""A pledge closed by the end of the period, in the public update (`report update`): its
status and the outcome given to `pledge close` ("What happened, for the public") are
what residents read, never a running figure or a promise about next month's figures
(FRESH2 G9). The clock is NOW, Thursday 16 October 2008."""

from __future__ import annotations

import json

import pytest

from helpers import Run, ok

WITHDRAWN = "Residents at the October meeting chose a new priority: speeding on Saffron Lane"


@pytest.fixture
def weekly(cli: Run) -> str:
    """CW01-L1: two patrols a week from 1 September 2008, patrolled twice in each week
    from 1 to 28 September, and once on Tuesday 30 September (the week from Monday 29
    September ends in October)."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Two patrols a week in Castle Park", "--at-least", "2",
           "--per", "week", "--action-kind", "patrol", "--agreed", "01/09/2008"))  # fmt: skip
    for day in (1, 3, 8, 10, 15, 17, 22, 24, 30):
        ok(cli("log", "CW01-L1", "Patrol", "--kind", "patrol", "--when", f"{day}/09/2008 19:00"))
    return "CW01-L1"


def update(cli: Run, period: str, *, as_of: str = "16/10/2008 12:00", fmt: str = "txt") -> str:
    args = ("report", "update", "CW01", "--period", period, "--as-of", as_of, "--format", fmt)
    return " ".join(ok(cli(*args)).stdout.split())


def close(cli: Run, ref: str, status: str, on: str, outcome: str = WITHDRAWN) -> None:
    ok(cli("pledge", "close", ref, "--status", status, "--on", on, "--outcome", outcome))


def test_withdrawn_on_the_periods_last_day_says_so_with_its_outcome(cli: Run, weekly: str) -> None:
    close(cli, weekly, "withdrawn", "30/09/2008")
    text = update(cli, "2008-09")
    assert (
        f"Where we are: withdrawn on 30 September 2008: {WITHDRAWN} Until it closed: on track: "
        "4 of 4 weeks kept, 8 patrols in the weeks ending in September 2008 (1 to 28 "
        "September), 2 a week promised"
    ) in text
    assert "October's figures" not in text  # the week from 29 September is never judged
    assert "We did: 9 patrols" in text


def test_closed_the_day_after_the_period_it_was_running_throughout(cli: Run, weekly: str) -> None:
    close(cli, weekly, "withdrawn", "01/10/2008")
    text = update(cli, "2008-09")
    assert "withdrawn" not in text and WITHDRAWN not in text
    assert (
        "Where we are: on track: 4 of 4 weeks kept, 8 patrols in the weeks ending in "
        "September 2008 (1 to 28 "
        "September), 2 a week promised"
    ) in text
    # the week from 29 September closed on its Wednesday: no later figure counts it
    assert "October's figures" not in text
    assert f"Where we are: withdrawn on 1 October 2008: {WITHDRAWN}" in update(cli, "2008-10")


def test_closed_on_the_periods_first_day_is_shown_and_the_day_before_is_not_listed(
    cli: Run, weekly: str
) -> None:
    close(cli, weekly, "withdrawn", "01/10/2008")
    october = update(cli, "2008-10")
    assert "You said: Two patrols a week in Castle Park" in october
    assert "Until it closed" not in october  # no week of October was judged
    ok(cli("pledge", "reopen", weekly))
    close(cli, weekly, "withdrawn", "30/09/2008")
    october = update(cli, "2008-10")
    assert "Castle Park" not in october
    assert "No local pledges were in force in October 2008." in october


def test_as_of_before_the_closing_day_it_was_still_running(cli: Run, weekly: str) -> None:
    close(cli, weekly, "withdrawn", "30/09/2008")
    """A pledge is closed from the start of its closing day (rules.effective_closed_on)."""
    assert "withdrawn" not in update(cli, "2008-09", as_of="29/09/2008 23:59")
    assert update(cli, "2008-09", as_of="30/09/2008 00:00").count("withdrawn on 30 Sept") == 1


def test_achieved_deadline_gives_the_outcome_then_the_figure(cli: Run) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Alley lights fixed with the council",
           "--by", "28/11/2008", "--agreed", "01/09/2008"))  # fmt: skip
    ok(cli("log", "CW01-L1", "Council confirmed repair", "--delivers", "--when", "14/10/2008"))
    close(cli, "CW01-L1", "achieved", "14/10/2008", "Lights repaired by the city council")
    text = update(cli, "2008-10")
    assert (
        "Where we are: achieved on 14 October 2008: Lights repaired by the city council "
        "Until it closed: done: delivered on time, promised by 28 November 2008"
    ) in text


def test_a_closed_national_commitment_says_so(cli: Run) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/09/2008"))
    ok(cli("meeting", "CW01", "--when", "10/09/2008 19:00"))
    close(cli, "CW01-N7", "withdrawn", "15/09/2008", "Meetings now held with BL02")
    text = update(cli, "2008-09", as_of="01/10/2008 00:00")
    assert (
        "Monthly public meeting: withdrawn on 15 September 2008: Meetings now held with "
        "BL02 (until then: 1 public meeting held (promise: 1 a month))"
    ) in text


def test_an_outcome_is_shown_verbatim_and_escaped_in_every_format(cli: Run, weekly: str) -> None:
    close(cli, weekly, "withdrawn", "30/09/2008", "Chose <script>x</script> & speeding\nLane")
    assert "withdrawn on 30 September 2008: Chose <script>x</script> & speeding Lane" in (
        update(cli, "2008-09")
    )
    html = update(cli, "2008-09", fmt="html")
    assert (
        "withdrawn on 30 September 2008: Chose &lt;script&gt;x&lt;/script&gt; &amp; speeding Lane"
        in html
    )
    assert "<script>" not in html
    md = update(cli, "2008-09", fmt="md")
    assert r"withdrawn on 30 September 2008: Chose \<script\>x\</script\> \& speeding Lane" in md
    stored = ok(cli("export", "pledges", "--format", "json")).stdout
    assert r"Chose <script>x</script> & speeding\nLane" in stored


def test_inspect_says_a_commitment_closed_in_its_window_closed(cli: Run) -> None:
    """The evidence per commitment: a gap after the commitment closed is read knowing it."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/07/2008"))
    ok(cli("meeting", "CW01", "--when", "10/07/2008 19:00"))
    close(cli, "CW01-N7", "withdrawn", "15/08/2008", "Meetings now held with <BL02> & co")
    rows = ok(cli("report", "inspect", "CW01", "--as-of", "16/10/2008", "-f", "json")).stdout
    (n7,) = [c for c in json.loads(rows)["commitments"] if c["commitment"] == "N7"]
    said = "; withdrawn on 15 August 2008: Meetings now held with <BL02> & co"
    assert n7["reason"].endswith(said)
    (n8,) = [c for c in json.loads(rows)["commitments"] if c["commitment"] == "N8"]
    assert "withdrawn" not in n8["reason"]


def test_a_deadline_done_before_the_period_says_when_it_was_delivered(cli: Run) -> None:
    """FRESH3 F1: not judged again after the month it was due and delivered, and the
    residents' update says it is done, on time or late, never "due by" a day gone."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    for title in ("Lighting repaired", "Bench mended"):
        ok(cli("pledge", "add", "CW01", title, "--by", "28/09/2008", "--agreed", "01/09/2008"))
    ok(cli("log", "CW01-L1", "Lamps replaced", "--when", "20/09/2008 10:00", "--delivers"))
    ok(cli("log", "CW01-L2", "Bench fixed", "--when", "02/10/2008 10:00", "--delivers"))
    later = update(cli, "2008-11", as_of="01/12/2008 00:00")
    assert ("Where we are: done: delivered on time on 20 September 2008, promised by 28 "
            "September 2008") in later  # fmt: skip
    assert ("Where we are: done: delivered late on 2 October 2008, promised by 28 September "
            "2008") in later  # fmt: skip
    october = update(cli, "2008-10", as_of="01/11/2008 00:00")
    assert "Where we are: behind: delivered late, promised by 28 September 2008" in october
