"""Tables that fit: every listing, through the real CLI, at 80 and 120 columns (COLUMNS).

The demo database (three teams, autumn 2008) is built once for the module.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import fixed_clock, invoke
from helpers import LONDON, NOW, USER, assert_error, ok
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode

AS_OF = ("--as-of", "2008-11-01")
# (command, headers that must be there at 80 columns)
LISTINGS = {
    "summary": (("summary", "--team", "CW01", "--period", "2008-10", *AS_OF), ("Ref", "Status")),
    "overview": (("overview", "--period", "2008-10", *AS_OF), ("Team", "green")),
    "actions": (("actions", "--limit", "30"), ("ID", "When", "Pledge", "Description")),
    "pledge list": (("pledge", "list"), ("Ref", "Title", "Status")),
    "team list": (("team", "list"), ("Code", "Name")),
    "check": (("check", "--format", "table", *AS_OF), ("Ref", "Kind", "Message")),
    "history": (("history", "--limit", "20"), ("At", "Key", "Op")),
    "priorities": (("priorities", "CW01"), ("Held", "Priority")),
    "agenda": (("agenda", "--as-of", "23/10/2008 10:00"), ("Team", "Ref", "Now", "To do")),
    "national": (("national",), ("No.", "Commitment")),
    "report inspect": (("report", "inspect", "CW01", *AS_OF), ("Commitment", "Grade")),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Environment]]:
    folder = tmp_path_factory.mktemp("widths")
    env = Environment(
        tz=LONDON,
        stdout_isatty=False,
        stdin_isatty=False,
        no_color=True,
        user=USER,
        data_dir=folder / "data",
        vars={},
        clock=fixed_clock(NOW),
    )
    path = folder / "demo.db"
    ok(invoke(["demo", "--out", str(path)], env))
    priorities = (
        "Parking on the pavement outside Castle Primary School at the start and end of the day; "
        "Drug dealing reported in the alley behind the Rose and Crown"
    )
    meeting = ["meeting", "CW01", "--when", "14/10/2008 19:00", "--priorities", priorities]
    ok(invoke(["--db", str(path), *meeting], env))
    yield path, env


def table(demo: tuple[Path, Environment], width: int, *args: str) -> list[str]:
    """The command's output as a table on a terminal `width` columns wide."""
    path, env = demo
    mp = pytest.MonkeyPatch()
    mp.setenv("COLUMNS", str(width))
    try:
        words = list(args)
        if "--format" not in words:
            words += ["--format", "table"]
        result = invoke(["--db", str(path), *words], env)
    finally:
        mp.undo()
    assert result.exit_code in (0, 1), result.stderr  # check exits 1 when it finds something
    assert "\x1b" not in result.stdout
    return result.stdout.splitlines()


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", list(LISTINGS))
def test_every_listing_fits_the_terminal(
    demo: tuple[Path, Environment], width: int, name: str
) -> None:
    args, headers = LISTINGS[name]
    lines = table(demo, width, *args)
    assert lines, name
    too_wide = [line for line in lines if cell_len(line.rstrip()) > width]
    assert too_wide == []
    # no padding after a line's last cell: it is kept by a file, a pager or a copy
    assert [line for line in lines if line != line.rstrip()] == []
    text = "\n".join(lines)
    for header in headers:
        assert header in text, (name, header)


@pytest.mark.parametrize("width", [80, 120])
def test_a_long_title_is_truncated_at_a_word_not_split(
    demo: tuple[Path, Environment], width: int
) -> None:
    """summary's title in up to two lines (FRESH4 G11), cut at a word after them."""
    lines = table(demo, width, *LISTINGS["summary"][0])
    full = "Anti-social behaviour in Castle Park: two high-visibility patrols a week"
    first = next(i for i, line in enumerate(lines) if line.startswith("CW01-L1 "))
    start = lines[first].index("Anti-social")
    following = next(i for i in range(first, len(lines)) if lines[i].startswith("CW01-L2 "))
    parts = [line[start:].split("  ")[0] for line in lines[first:following]]
    title = [part for part in parts if part]
    assert len(title) == 2  # the rest of the title, on the pledge's own lines
    assert all(not line[:start].strip() for line in lines[first + 1 : following])
    shown = " ".join(title)
    assert full not in shown and shown.endswith("…")
    kept = shown.removesuffix("…")
    assert full.startswith(kept) and full[len(kept)] == " "  # cut where a word ends


def test_a_short_column_keeps_its_meaning_beside_a_long_title(
    demo: tuple[Path, Environment],
) -> None:
    """At 120 columns the room is shared: a frequency target keeps its number and unit rather
    than the title taking every spare column (`at least 2…` said nothing)."""
    lines = table(demo, 120, "pledge", "list", "--team", "CW01")
    row = next(line for line in lines if line.startswith("CW01-L1 "))
    assert "at least 2 per week" in row
    assert "Anti-social behaviour in Castle Park" in row  # the title still leads


@pytest.mark.parametrize("width", [80, 120])
def test_every_target_is_read_whole(demo: tuple[Path, Environment], width: int) -> None:
    """`pledge list`'s Target is what the pledge promises: shown whole (FRESH5 H16: `at least
    2 per…` at 80 columns), in two lines where the room is short and in one at 120, where
    the title beside it is still comfortable; the title gives way (two lines, then cut)."""
    plain = table(demo, 400, "pledge", "list", "--team", "CW01", "--format", "plain")
    targets = {cells[0]: cells[2] for cells in (re.split(r" {2,}", row) for row in plain[2:])}
    lines = table(demo, width, "pledge", "list", "--team", "CW01")
    start = lines[0].index("Target")
    starts = [i for i, line in enumerate(lines) if line.startswith("CW01-")]
    ends = [*starts[1:], next((i for i, line in enumerate(lines) if "hidden" in line), len(lines))]
    for first, end in zip(starts, ends, strict=True):
        ref = lines[first].split()[0]
        parts = [line[start:].split("  ")[0] for line in lines[first:end]]
        shown = " ".join(part for part in parts if part)
        assert shown == targets[ref], (width, ref)
        if width == 120:
            assert parts[0] == targets[ref], ref  # on the pledge's own line
    assert any(len(targets[ref]) > 30 for ref in targets)  # one that needs the room


def test_hidden_columns_are_named_in_a_footer(demo: tuple[Path, Environment]) -> None:
    lines = table(demo, 80, *LISTINGS["summary"][0])
    footers = [line for line in lines if "hidden" in line]
    assert footers and all(line.endswith("; --wide or --columns") for line in footers)
    # one footer for the national and the local table, which hide the same columns
    assert footers == [
        "4 columns hidden (target, actual, expected, last action); --wide or --columns"
    ]
    assert not [line for line in table(demo, 200, *LISTINGS["summary"][0]) if "hidden" in line]


def _header(lines: list[str], after: str) -> str:
    return next(line for line in lines[lines.index(after) :] if line.startswith("Ref "))


@pytest.mark.parametrize("width", [80, 100, 120])
def test_the_tables_of_one_summary_show_the_same_columns(
    demo: tuple[Path, Environment], width: int
) -> None:
    """National and local tables are laid out together: same columns, same widths (at 80
    columns `Expected` was hidden in one and shown in the other)."""
    for extra in ((), ("--trend", "6")):
        lines = table(demo, width, *LISTINGS["summary"][0], *extra)
        national = _header(lines, "National Policing Pledge")
        assert national == _header(lines, "Local pledges")


@pytest.mark.parametrize("width", [80, 120])
def test_a_trend_asked_for_is_kept_before_optional_columns(
    demo: tuple[Path, Environment], width: int
) -> None:
    lines = table(demo, width, *LISTINGS["summary"][0], "--trend", "6")
    assert _header(lines, "Local pledges").endswith("Trend")
    footer = next(line for line in lines if "hidden" in line)
    assert "trend" not in footer and "target" in footer


def test_at_80_columns_a_title_and_its_detail_share_the_room(
    demo: tuple[Path, Environment],
) -> None:
    """Neither `Fair…` nor a detail one word a line: the optional figures give way first."""
    for extra in ((), ("--trend", "6")):
        lines = table(demo, 80, *LISTINGS["summary"][0], *extra)
        assert any(line.startswith("CW01-N1   Fair treatment ") for line in lines)
        n6 = lines.index(next(line for line in lines if line.startswith("CW01-N6 ")))
        detail = [line for line in lines[n6 : n6 + 4] if "breached" in line or "median" in line]
        assert len(detail) <= 2, lines[n6 : n6 + 4]


def test_include_void_keeps_the_reason_it_asked_for(tmp_path: Path) -> None:
    env = Environment(
        tz=LONDON, stdout_isatty=False, stdin_isatty=False, no_color=True, user=USER,
        data_dir=tmp_path / "data", vars={}, clock=fixed_clock(NOW),
    )  # fmt: skip
    path = tmp_path / "v.db"
    ok(invoke(["--db", str(path), "team", "add", "CW01", "--name", "Castle Ward",
               "--since", "01/09/2008"], env))  # fmt: skip
    ok(invoke(["--db", str(path), "meeting", "CW01", "--when", "10/10/2008 19:00",
               "--officer", "PC 1234 Smith", "--note", "a long note " * 4], env))  # fmt: skip
    ok(invoke(["--db", str(path), "void", "1", "--reason", "logged twice"], env))
    for width in (80, 120):
        lines = table((path, env), width, "actions", "--include-void")
        assert lines[0].rstrip().endswith("Void reason"), lines
        assert lines[2].rstrip().endswith("logged twice")
        assert not any("void reason" in line for line in lines if "hidden" in line)


def test_tables_show_short_british_dates_and_machine_formats_keep_iso(
    demo: tuple[Path, Environment],
) -> None:
    path, env = demo
    lines = table(demo, 120, "actions", "--limit", "1")
    assert "30/11 21:28" in lines[2]  # 2008, the year the clock says it is: left out
    # plain text (piped: a cron mail) is for people too; CSV and JSON are for programs
    plain = ok(invoke(["--db", str(path), "actions", "--limit", "1"], env)).stdout
    assert " 30/11 21:28 " in plain and "2008-11-30" not in plain
    csv = ok(invoke(["--db", str(path), "actions", "--limit", "1", "-f", "csv"], env)).stdout
    assert "2008-11-30T21:28:" in csv


def test_the_year_is_left_out_within_the_reports_year(demo: tuple[Path, Environment]) -> None:
    lines = table(demo, 200, *LISTINGS["summary"][0])
    row = next(line for line in lines if line.startswith("CW01-L1 "))
    assert " 29/10 " in row and "2008" not in row


def test_wide_shows_every_column(demo: tuple[Path, Environment]) -> None:
    lines = table(demo, 80, *LISTINGS["summary"][0], "--wide")
    text = "\n".join(lines)
    assert "hidden" not in text
    assert "Anti-social behaviour in Castle Park: two high-visibility patrols a week" in text
    assert "Detail" in text and "action" in text


def test_columns_chooses_them_in_order(demo: tuple[Path, Environment]) -> None:
    path, env = demo
    args = LISTINGS["summary"][0]
    header = next(
        line for line in table(demo, 80, *args, "--columns", "status,ref,actual") if "Ref" in line
    )
    assert header.split() == ["Status", "Ref", "Actual"]
    csv = ok(invoke(["--db", str(path), *args, "--columns", "ref,status", "-f", "csv"], env))
    assert csv.stdout.splitlines()[0] == "pledge,status"


def test_an_unknown_column_is_exit_2_with_the_list(demo: tuple[Path, Environment]) -> None:
    path, env = demo
    message = assert_error(
        invoke(["--db", str(path), "pledge", "list", "--columns", "ref,colour"], env),
        ExitCode.USAGE,
    )
    assert message == (
        "--columns: unknown column 'colour' "
        "(choose from: team, ref, title, target, status, agreed_on, review_on)"
    )


def test_a_narrow_terminal_drops_columns_not_the_table(demo: tuple[Path, Environment]) -> None:
    lines = table(demo, 50, *LISTINGS["actions"][0])
    assert all(cell_len(line.rstrip()) <= 50 for line in lines)
    assert lines[0].split()[:3] == ["ID", "When", "Pledge"]


@pytest.mark.parametrize("name", ["actions", "summary", "check"])
def test_a_width_of_0_is_no_width_not_an_empty_table(
    demo: tuple[Path, Environment], name: str
) -> None:
    """COLUMNS=0 (a wrapper's) printed nothing, exit 0: no rows read as none (ATTACK6 J5).
    It is no width at all, so the terminal's is used (80 where there is none)."""
    args, headers = LISTINGS[name]
    lines = table(demo, 0, *args)
    assert lines == table(demo, 80, *args)
    assert all(header in "\n".join(lines) for header in headers)


def test_control_characters_in_text_are_shown_not_obeyed(
    demo: tuple[Path, Environment],
) -> None:
    path, env = demo
    title = "Clear \x1b[2Jthe\nalley"
    ok(invoke(["--db", str(path), "pledge", "add", "BL02", title, "--agreed", "01/10/2008"], env))
    lines = table(demo, 200, "pledge", "list", "--team", "BL02")
    (row,) = [line for line in lines if "Clear" in line]
    assert "Clear \\x1b[2Jthe\\nalley" in row  # one line, the escapes visible and inert
    plain = ok(invoke(["--db", str(path), "pledge", "list", "--team", "BL02", "-f", "csv"], env))
    assert "Clear \x1b[2Jthe\nalley" in plain.stdout  # CSV for programs keeps the text verbatim


@pytest.mark.parametrize("width", [80, 120])
def test_overview_keeps_the_counts_in_view_then_the_national_commitments(
    demo: tuple[Path, Environment], width: int
) -> None:
    """A reader compares teams on their % green and their greens, ambers and reds: those
    stay at 80 columns (they were hidden for the national columns); then each national
    commitment's status, all seven at 80 too (FRESH5 H6: N9 was hidden there); the name
    and the counts that only complete the sum give way first, named in the footer. Green,
    amber and red are shown together or hidden together."""
    lines = table(demo, width, *LISTINGS["overview"][0])
    head = " ".join(lines[1:3]).split()
    assert {"Team", "green", "Green", "Amber", "Red"} <= set(head)
    nationals = [f"N{n}" for n in range(3, 10) if f"N{n}" in head]
    assert nationals == [f"N{n}" for n in range(3, 10)]
    row = next(line for line in lines if line.startswith("MH03 "))
    shown = ["green", "amber", "green", "green", "green", "red", "green"][: len(nationals)]
    assert row.split()[-len(nationals) :] == shown
    if width == 80:  # green, amber, red, % green, beside the team
        assert row.split()[:5] == ["MH03", "7", "1", "2", "70"]
    footer = " ".join(lines[lines.index(row) + 2 :])  # wrapped at a space, which ends no line
    assert footer.endswith("--wide or --columns") and "not measured" in footer
    if width == 80:
        assert "(name, pledges, no data, pending, not measured)" in footer


@pytest.mark.parametrize("width", range(70, 131, 3))
def test_overview_never_shows_part_of_the_rag_counts(
    demo: tuple[Path, Environment], width: int
) -> None:
    lines = table(demo, width, *LISTINGS["overview"][0])
    head = set(" ".join(lines[1:3]).split())
    assert len({"Green", "Amber", "Red"} & head) in (0, 3)


def test_overview_at_80_columns_keeps_the_counts_beside_the_widest_statuses(
    tmp_path: Path,
) -> None:
    """The widest statuses (`no-data` under every commitment) and a ten-letter code: the
    counts and % green stay, and so do all seven national columns, `no-data` shown as a
    dash in a table and said once under it (FRESH5 H6); plain text keeps the word."""
    env = Environment(
        tz=LONDON, stdout_isatty=False, stdin_isatty=False, no_color=True, user=USER,
        data_dir=tmp_path / "data", vars={}, clock=fixed_clock(NOW),
    )  # fmt: skip
    path = tmp_path / "t.db"
    ok(invoke(["--db", str(path), "team", "add", "QUIETTEAM1", "--name", "Quiet",
               "--since", "01/09/2008"], env))  # fmt: skip
    lines = table((path, env), 80, "overview", "--period", "2008-10", *AS_OF)
    head = " ".join(lines[1:3]).split()
    assert {"Green", "Amber", "Red", "green"} <= set(head)
    nationals = [f"N{n}" for n in range(3, 10) if f"N{n}" in head]
    assert nationals == [f"N{n}" for n in range(3, 10)]
    row = next(line for line in lines if line.startswith("QUIETTEAM1 "))
    # N7 and N8 are red (no meeting, no update in the month); every other says no-data
    assert row.split()[-7:] == ["\N{EN DASH}"] * 4 + ["red", "red", "\N{EN DASH}"]
    assert lines[lines.index(row) + 1] == "\N{EN DASH} no data: nothing to judge in the period"
    assert all(cell_len(line) <= 80 for line in lines)
    plain = table((path, env), 80, "overview", "--period", "2008-10", *AS_OF, "--format", "plain")
    assert "\N{EN DASH}" not in "\n".join(plain)
    assert plain[-1].split()[-7:] == ["no-data"] * 4 + ["red", "red", "no-data"]


def _last_column(lines: list[str], header: str) -> list[str]:
    """The text of a table's last column, one entry per row, its wrapped lines joined."""
    head = next(i for i, line in enumerate(lines) if line.rstrip().endswith(header))
    start = lines[head].rindex(header)
    rows: list[str] = []
    for line in lines[head + 2 :]:
        if "hidden (" in line:
            break
        if line[:1] != " ":
            rows.append("")
        rows[-1] = f"{rows[-1]} {line[start:].strip()}".strip()
    return rows


@pytest.mark.parametrize("width", [80, 120])
def test_inspect_reasons_are_whole_at_any_width(
    demo: tuple[Path, Environment], width: int
) -> None:
    """The reason is why a commitment got its grade: wrapped over lines, never cut."""
    path, env = demo
    args = LISTINGS["report inspect"][0]
    data = json.loads(ok(invoke(["--db", str(path), *args, "-f", "json"], env)).stdout)
    lines = table(demo, width, *args)
    assert _last_column(lines, "Reason") == [c["reason"] for c in data["commitments"]]
    assert all(cell_len(line) <= width for line in lines)


def test_a_table_piped_or_in_colour_ends_its_lines_with_text(
    demo: tuple[Path, Environment], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`actions -f table | less` showed the header and every row padded with spaces to the
    last column's width; in colour the padding sat before the closing code."""
    lines = table(demo, 60, "actions", "--limit", "2")
    assert lines[0] == " ID  When         Pledge   Kind     Description       Status"
    path, env = demo
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = dataclasses.replace(env, stdout_isatty=True, no_color=False)
    result = invoke(["--db", str(path), "check", "--as-of", "2008-10-20 09:00"], coloured)
    assert "\x1b[" in result.stdout
    padded = re.compile(r" (\x1b\[[0-9;]*m)*$")
    assert [line for line in result.stdout.splitlines() if padded.search(line)] == []
