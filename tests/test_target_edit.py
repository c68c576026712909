"""`pledge edit` of a target: figures already reported never shift without a word.

A pledge has one stored target, which judges every period; so a new target judges its
ended months again. The edit names them and asks first (cron: needs --yes), and `summary`
of a period that began on or before the change says the target was changed, and when.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import fixed_clock
from helpers import LONDON, Run, fails, nothing_written, ok
from pledgetrack.domain.entry_rules import target_rewrite
from pledgetrack.domain.models import Pledge, PledgeKind
from pledgetrack.domain.targets import FrequencyTarget, ResponseTarget, Target
from pledgetrack.domain.vocabulary import Unit
from pledgetrack.exitcodes import ExitCode

TWO = FrequencyTarget(count=2, unit=Unit.WEEK)
THREE = FrequencyTarget(count=3, unit=Unit.WEEK)
REWRITE = (
    "changing CW01-L1's target from at least 2 per week to at least 3 per week changes "
    "its figures for September 2008, a month already ended"
)


def pledge(agreed: date, closed: date | None = None, target: Target = THREE) -> Pledge:
    """CW01-L1 as an edit leaves it: the new target (THREE), its dates."""
    status = "active" if closed is None else "achieved"
    return Pledge.model_validate(
        {
            "ref": "CW01-L1",
            "team": "CW01",
            "kind": PledgeKind.LOCAL,
            "seq": 1,
            "title": "Patrols",
            "agreed_on": agreed,
            "target": target,
            "status": status,
            "outcome": None if closed is None else "Done",
            "closed_on": closed,
        }
    )


# --- the rule: which ended months a new target rewrites -----------------------------------


@pytest.mark.parametrize(
    ("agreed", "today", "months"),
    [
        (date(2008, 9, 30), date(2008, 10, 16), "2008-09..2008-09"),  # its last day counts
        (date(2008, 10, 1), date(2008, 10, 16), None),  # agreed this month: free to correct
        (date(2008, 9, 15), date(2008, 10, 1), "2008-09..2008-09"),  # ended yesterday
        (date(2008, 9, 15), date(2008, 9, 30), None),  # September not ended yet
        (date(2008, 9, 1), date(2008, 12, 1), "2008-09..2008-11"),
        (date(2008, 10, 20), date(2008, 10, 16), None),  # agreed ahead
    ],
)
def test_the_months_rewritten_are_the_ended_ones_it_was_in_force_in(
    agreed: date, today: date, months: str | None
) -> None:
    found = target_rewrite(pledge(agreed), TWO, today)
    assert (None if found is None else found.months.label) == months


def test_a_closed_pledge_rewrites_only_up_to_the_month_it_closed() -> None:
    december = date(2008, 12, 5)
    found = target_rewrite(pledge(date(2008, 9, 1), closed=date(2008, 9, 30)), TWO, december)
    assert found is not None and found.months.label == "2008-09..2008-09"
    found = target_rewrite(pledge(date(2008, 9, 1), closed=date(2008, 10, 1)), TWO, december)
    assert found is not None and found.months.label == "2008-09..2008-10"


def test_the_same_target_rewrites_nothing() -> None:
    assert target_rewrite(pledge(date(2008, 1, 1), target=TWO), TWO, date(2008, 12, 5)) is None


@given(
    agreed=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    ahead=st.integers(-400, 4000),
)
def test_the_months_rewritten_are_whole_ended_and_start_with_the_agreed_one(
    agreed: date, ahead: int
) -> None:
    today = agreed + timedelta(days=ahead)
    found = target_rewrite(pledge(agreed), TWO, today)
    ended_one = (today.year, today.month) > (agreed.year, agreed.month)
    assert (found is not None) == ended_one
    if found is not None:
        assert found.months.start == agreed.replace(day=1)
        assert found.months.end < today.replace(day=1)
        assert found.months.end + timedelta(days=1) == today.replace(day=1)


# --- the command ------------------------------------------------------------------------


@pytest.fixture
def weekly(cli: Run) -> None:
    """CW01-L1, two patrols a week since 1 September 2008, one patrol logged each week."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week",
           "--agreed", "01/09/2008"))  # fmt: skip
    for day in ("02/09/2008", "09/09/2008", "16/09/2008", "23/09/2008", "07/10/2008"):
        ok(cli("log", "CW01-L1", "Patrol", "--when", f"{day} 19:00"))


def september(cli: Run) -> dict[str, object]:
    doc = json.loads(ok(cli("summary", "--period", "2008-09", "-f", "json")).stdout)
    row: dict[str, object] = doc["teams"][0]["pledges"][0]
    return row


def test_without_a_terminal_a_target_rewriting_september_needs_yes(
    cli: Run, db: Path, weekly: None
) -> None:
    before = september(cli)
    edit = ("pledge", "edit", "CW01-L1", "--at-least", "3")
    fails(
        cli,
        db,
        *edit,
        text=f"{REWRITE}; pass --yes to change them, or keep them: close CW01-L1 and add the "
        "new target as a new pledge",
    )
    assert september(cli) == before  # nothing changed


def test_with_yes_the_edit_says_what_it_rewrote_and_summary_says_so(
    cli: Run, weekly: None
) -> None:
    assert september(cli)["expected"] == 8  # 2 a week over 4 whole weeks and a part
    result = ok(cli("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    assert result.stdout == "CW01-L1\n"
    assert result.stderr == (
        "note: CW01-L1's target changed from at least 2 per week to at least 3 per week, and "
        "with it its figures for September 2008, a month already ended; summary of those "
        "months notes the change\n"
    )
    shown = cli("summary", "--period", "2008-09", "-f", "plain")
    assert ok(shown).stderr == (
        "note: CW01-L1's target was changed on 16/10/2008 from at least 2 per week to at "
        "least 3 per week; September 2008 is judged by the target it has now\n"
    )
    assert september(cli)["expected"] == 12


def test_on_a_terminal_the_edit_asks_and_a_no_changes_nothing(
    cli_with: Callable[..., Run], db: Path, weekly: None
) -> None:
    person = cli_with(stdin_isatty=True)
    with nothing_written(db):
        declined = person("pledge", "edit", "CW01-L1", "--at-least", "3", input="n\n")
    assert declined.exit_code == ExitCode.USAGE
    assert declined.stdout.strip() == "n"  # the answer, as the test runner echoes it
    assert declined.stderr.splitlines() == [
        REWRITE,
        # the runner echoes the answer to stdout, and so the space before it
        "Change CW01-L1's target? [y/N]:error: CW01-L1 not changed",
    ]
    accepted = ok(person("pledge", "edit", "CW01-L1", "--at-least", "3", input="y\n"))
    assert accepted.stdout.splitlines()[-1] == "CW01-L1"
    assert accepted.stderr.splitlines()[-1].startswith(
        "Change CW01-L1's target? [y/N]:note: CW01-L1's target changed from"
    )


def test_wording_dates_and_an_unchanged_target_ask_nothing(cli: Run, weekly: None) -> None:
    assert ok(cli("pledge", "edit", "CW01-L1", "--title", "Castle Park patrols")).stderr == ""
    assert ok(cli("pledge", "edit", "CW01-L1", "--at-least", "2")).stderr == ""
    assert ok(cli("summary", "--period", "2008-09")).stderr == ""


def test_a_pledge_agreed_this_month_is_corrected_without_a_question(cli: Run) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--no-national"))
    ok(cli("pledge", "add", "CW01", "Patrols", "--at-least", "2", "--per", "week",
           "--agreed", "01/10/2008"))  # fmt: skip
    result = ok(cli("pledge", "edit", "CW01-L1", "--at-least", "3"))
    assert (result.stdout, result.stderr) == ("CW01-L1\n", "")
    # October began before the change: its summary still says so
    assert ok(cli("summary", "--period", "2008-10")).stderr.startswith(
        "note: CW01-L1's target was changed on 16/10/2008"
    )


@pytest.mark.parametrize(
    ("changed_at", "noted"),
    [
        # 00:30 on 1 October in London is 23:30 on 30 September in UTC: the local day counts
        (datetime(2008, 10, 1, 0, 30, tzinfo=LONDON), True),
        (datetime(2008, 9, 30, 23, 59, tzinfo=LONDON), False),
    ],
)
def test_a_period_is_noted_when_it_began_on_or_before_the_day_of_the_change(
    cli_with: Callable[..., Run], weekly: None, changed_at: datetime, noted: bool
) -> None:
    then = cli_with(clock=fixed_clock(changed_at))
    ok(then("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    now = cli_with()
    october = ok(now("summary", "--period", "2008-10", "-f", "csv")).stderr
    assert (october != "") == noted
    day = f"{changed_at:%d/%m/%Y}"
    assert ok(now("summary", "--period", "2008-09", "-f", "csv")).stderr == (
        f"note: CW01-L1's target was changed on {day} from at least 2 per week to at least 3 "
        "per week; September 2008 is judged by the target it has now\n"
    )


def test_each_change_is_noted_with_the_target_it_replaced(cli: Run, weekly: None) -> None:
    ok(cli("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    ok(cli("pledge", "edit", "CW01-L1", "--action-kind", "patrol", "--yes"))
    assert ok(cli("summary", "--period", "2008-09")).stderr.splitlines() == [
        "note: CW01-L1's target was changed on 16/10/2008 from at least 2 per week to at "
        "least 3 per week; September 2008 is judged by the target it has now",
        "note: CW01-L1's target was changed on 16/10/2008 from at least 3 per week to at "
        "least 3 per week (kind: patrol); September 2008 is judged by the target it has now",
    ]


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--at-least", "10000000000000"],
         "--at-least must be a whole number from 1 to 1,000,000, not 10,000,000,000,000"),
        (["--at-least", "1000001", "--yes"],
         "--at-least must be a whole number from 1 to 1,000,000, not 1,000,001"),
        (["--at-least", "0"], "--at-least must be a whole number from 1 to 1,000,000, not 0"),
    ],
)  # fmt: skip
def test_a_new_figure_out_of_range_is_refused_before_any_question(
    cli_with: Callable[..., Run], db: Path, weekly: None, args: list[str], text: str
) -> None:
    """The field is named, exit 2, on a terminal too: nobody is asked to confirm a target
    that could never be saved (ATTACK A3)."""
    fails(cli_with(stdin_isatty=True), db, "pledge", "edit", "CW01-L1", *args, text=text)


def test_the_top_of_the_range_is_a_new_target(cli: Run, weekly: None) -> None:
    ok(cli("pledge", "edit", "CW01-L1", "--at-least", "1000000", "--yes"))
    assert september(cli)["target"] == "at least 1000000 per week"


def test_with_a_trend_the_note_names_every_period_judged(cli: Run, weekly: None) -> None:
    ok(cli("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    shown = ok(cli("summary", "--period", "2008-10", "--trend", "3", "-f", "csv"))
    assert shown.stderr.endswith("; August to October 2008 is judged by the target it has now\n")


def test_a_new_setting_says_the_ended_months_n5_is_judged_again_for(cli: Run) -> None:
    """`team edit --setting` moves N5's target (15 minutes urban, 20 rural): a target
    change like any other, said as `pledge edit` says one, and noted by `summary`."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/09/2008"))
    result = ok(cli("team", "edit", "CW01", "--setting", "rural"))
    assert result.stderr.splitlines() == [
        "updated team CW01",
        "CW01-N5 now within 20m (rural team)",
        "note: CW01-N5's target changed from within 15m to within 20m, and with it its "
        "figures for September 2008, a month already ended; summary of those months notes "
        "the change",
    ]
    assert ok(cli("summary", "--period", "2008-09", "-f", "csv")).stderr == (
        "note: CW01-N5's target was changed on 16/10/2008 from within 15m to within 20m; "
        "September 2008 is judged by the target it has now\n"
    )


# --- every published figure of a re-judged month says so, as summary does ---------------

SEPTEMBER_NOTE = (
    "note: CW01-L1's target was changed on {day} from at least 2 per week to at least 3 "
    "per week; {month} is judged by the target it has now"
)
PUBLISHED = {
    "report update": ("report", "update", "CW01", "-f", "txt"),
    "report hq": ("report", "hq", "-f", "md"),
    "export summary": ("export", "summary"),
}


@pytest.mark.parametrize("command", list(PUBLISHED))
@pytest.mark.parametrize(
    ("changed_at", "october_noted"),
    [
        (datetime(2008, 10, 1, 0, 30, tzinfo=LONDON), True),  # on October's first day
        (datetime(2008, 9, 30, 23, 59, tzinfo=LONDON), False),  # the day before
    ],
)
def test_a_published_report_of_a_month_judged_by_a_changed_target_says_so(
    cli_with: Callable[..., Run],
    weekly: None,
    command: str,
    changed_at: datetime,
    october_noted: bool,
) -> None:
    ok(cli_with(clock=fixed_clock(changed_at))("pledge", "edit", "CW01-L1", "--at-least", "3",
                                               "--yes"))  # fmt: skip
    now = cli_with()
    day = f"{changed_at:%d/%m/%Y}"
    september = ok(now(*PUBLISHED[command], "--period", "2008-09")).stderr.splitlines()
    assert SEPTEMBER_NOTE.format(day=day, month="September 2008") in september
    october = ok(now(*PUBLISHED[command], "--period", "2008-10")).stderr
    assert ("judged by the target it has now" in october) == october_noted


def test_another_teams_update_says_nothing_of_this_teams_target(cli: Run, weekly: None) -> None:
    ok(cli("team", "add", "MH03", "--name", "Market Harborough", "--no-national"))
    ok(cli("pledge", "add", "MH03", "Stalls", "--at-least", "1", "--per", "month",
           "--agreed", "01/09/2008"))  # fmt: skip
    ok(cli("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    shown = ok(cli("report", "update", "MH03", "--period", "2008-09", "-f", "txt"))
    assert "target" not in shown.stderr


def test_rollup_of_a_database_notes_the_change_and_of_two_exports_names_it_as_the_cause(
    cli: Run, db: Path, tmp_path: Path, weekly: None
) -> None:
    before, after = tmp_path / "before.csv", tmp_path / "after.csv"
    ok(cli("export", "summary", "--period", "2008-09", "-o", str(before)))
    ok(cli("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    ok(cli("export", "summary", "--period", "2008-09", "-o", str(after)))
    rolled = ok(cli("rollup", str(db), "--period", "2008-09"))
    noted = SEPTEMBER_NOTE.format(day="16/10/2008", month="September 2008")
    assert noted.replace("note: ", f"note: {db}: ") in rolled.stderr.splitlines()
    refused = cli("rollup", str(before), str(after), "--period", "2008-09")
    assert refused.exit_code == ExitCode.USAGE
    assert refused.stderr.strip().endswith(
        "CW01-L1's target differs between them: it was changed after one of them was "
        "judged (its figures are judged by the target it has now): roll up the newer one "
        "alone"
    )
    assert "back-dated" not in refused.stderr


def test_end_of_input_at_the_question_changes_nothing_and_exits_as_a_no(
    cli_with: Callable[..., Run], db: Path, weekly: None
) -> None:
    """ATTACK5 B7: Ctrl-D at [y/N] is the default, No (not exit 130, an interrupt's)."""
    person = cli_with(stdin_isatty=True)
    with nothing_written(db):
        declined = person("pledge", "edit", "CW01-L1", "--at-least", "3", input="")
    assert declined.exit_code == ExitCode.USAGE
    assert declined.stderr.splitlines()[-1] == "error: CW01-L1 not changed"


# --- an agreed date moved (FRESH5 H12) ------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "today", "months"),
    [
        # later, inside September: the weeks from 1 to 15 September no longer count
        (date(2008, 9, 1), date(2008, 9, 20), date(2008, 10, 16), "2008-09..2008-09"),
        # the week from 29 September (a Monday) still counts: agreed by its first day
        (date(2008, 9, 1), date(2008, 9, 29), date(2008, 11, 5), "2008-09..2008-09"),
        # a day later it does not, and it ends on 5 October: October too, once ended
        (date(2008, 9, 1), date(2008, 9, 30), date(2008, 11, 5), "2008-09..2008-10"),
        (date(2008, 9, 1), date(2008, 9, 30), date(2008, 10, 16), "2008-09..2008-09"),
        # to the next Monday: only the week from 1 September changes
        (date(2008, 9, 1), date(2008, 9, 2), date(2008, 10, 16), "2008-09..2008-09"),
        # earlier: August is added, not rewritten (its reports never held the pledge)
        (date(2008, 9, 1), date(2008, 8, 1), date(2008, 10, 16), None),
        # earlier, from inside October: the week from 29 September, ending in October
        (date(2008, 10, 6), date(2008, 9, 29), date(2008, 11, 5), "2008-10..2008-10"),
        (date(2008, 10, 6), date(2008, 9, 29), date(2008, 10, 16), None),
        # within the month in progress: free to correct
        (date(2008, 10, 1), date(2008, 10, 8), date(2008, 10, 16), None),
        (date(2008, 9, 1), date(2008, 9, 1), date(2008, 10, 16), None),
    ],
)
def test_a_moved_agreed_date_rewrites_the_ended_months_between(
    before: date, after: date, today: date, months: str | None
) -> None:
    found = target_rewrite(pledge(after, target=TWO), TWO, today, agreed_before=before)
    assert (None if found is None else found.months.label) == months


MOVED = (
    "changing CW01-L1's agreed date from 01/09/2008 to 02/09/2008 changes its figures "
    "for September 2008, a month already ended"
)


def test_without_a_terminal_an_agreed_date_rewriting_ended_months_needs_yes(
    cli: Run, db: Path, weekly: None
) -> None:
    before = september(cli)
    fails(
        cli,
        db,
        "pledge", "edit", "CW01-L1", "--agreed", "02/09/2008",
        text=f"{MOVED}; pass --yes to change them, or keep them: leave the agreed date as it is",
    )  # fmt: skip
    assert september(cli) == before
    result = ok(cli("pledge", "edit", "CW01-L1", "--agreed", "02/09/2008", "--yes"))
    assert result.stderr == (
        "note: CW01-L1's agreed date changed from 01/09/2008 to 02/09/2008, and with it its "
        "figures for September 2008, a month already ended\n"
    )
    # back a day: the week from 1 September counts again, and September changes again;
    # a month before it is added, as pledge add with a past date adds it, and asks nothing
    ok(cli("pledge", "edit", "CW01-L1", "--agreed", "01/09/2008", "--yes"))
    assert ok(cli("pledge", "edit", "CW01-L1", "--agreed", "01/08/2008")).stderr == ""


def test_on_a_terminal_a_moved_agreed_date_asks(
    cli_with: Callable[..., Run], db: Path, weekly: None
) -> None:
    person = cli_with(stdin_isatty=True)
    with nothing_written(db):
        declined = person("pledge", "edit", "CW01-L1", "--agreed", "02/09/2008", input="n\n")
    assert declined.stderr.splitlines() == [
        MOVED,
        "Change CW01-L1's agreed date? [y/N]:error: CW01-L1 not changed",
    ]
    both = person("pledge", "edit", "CW01-L1", "--agreed", "02/09/2008", "--at-least", "3",
                  input="n\n")  # fmt: skip
    assert "Change CW01-L1's target and agreed date? [y/N]" in both.stderr


def test_a_moved_agreed_date_of_a_pledge_judged_on_its_items_rewrites_nothing() -> None:
    """Its items cannot lie between the two dates (the move and the log refuse them)."""
    replies = pledge(date(2008, 9, 20), target=ResponseTarget(within_minutes=1440))
    assert target_rewrite(replies, replies.target, date(2008, 12, 5), date(2008, 9, 1)) is None


def test_a_new_target_with_a_moved_agreed_date_rewrites_every_ended_month() -> None:
    found = target_rewrite(pledge(date(2008, 9, 20)), TWO, date(2008, 12, 5), date(2008, 9, 1))
    assert found is not None and found.months.label == "2008-09..2008-11"
    assert found.question() == "Change CW01-L1's target and agreed date?"


def test_the_public_update_tells_residents_the_promise_was_changed(
    cli: Run, weekly: None
) -> None:
    """Residents read September's figures judged by a target they were not promised: the
    update says so under the pledge, in every format (ATTACK5: only stderr said it)."""
    said = (
        "This promise was changed on 16 October 2008, from at least 2 per week to at least 3 "
        "per week; September 2008 is judged by the promise as it is now."
    )
    before = ok(cli("report", "update", "CW01", "--period", "2008-09", "-f", "txt")).stdout
    assert "changed" not in before  # nothing to tell before the edit
    ok(cli("pledge", "edit", "CW01-L1", "--at-least", "3", "--yes"))
    for fmt in ("txt", "md", "html"):
        text = ok(cli("report", "update", "CW01", "--period", "2008-09", "-f", fmt)).stdout
        assert " ".join(text.split()).count(said) == 1, fmt
    # October began on or before the change: told too; November began after it: not
    october = ok(cli("report", "update", "CW01", "--period", "2008-10", "-f", "txt")).stdout
    assert "October 2008 is judged by the promise as it is now" in " ".join(october.split())
    november = cli_text(cli, "2008-11")
    assert "changed" not in november


def cli_text(cli: Run, period: str) -> str:
    return ok(cli("report", "update", "CW01", "--period", period, "-f", "txt")).stdout


def test_a_national_commitment_s_changed_promise_follows_its_figure(cli: Run) -> None:
    ok(cli("team", "add", "CW01", "--name", "Castle Ward", "--since", "01/09/2008"))
    ok(cli("pledge", "edit", "CW01-N7", "--at-least", "2", "--yes"))
    text = " ".join(cli_text(cli, "2008-09").split())
    assert (
        "Monthly public meeting: 0 public meetings held (promise: 2 a month) (behind). "
        "This promise was changed on 16 October 2008, from at least 1 per month (kind: "
        "meeting) to at least 2 per month (kind: meeting); September 2008 is judged by the "
        "promise as it is now."
    ) in text
