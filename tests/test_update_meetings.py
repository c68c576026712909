"""`report update`'s "Public meetings in <month>" (FRESH4 G4): the meetings held in the
period, how many came and the priorities residents set there, verbatim, in every format.
Nothing links a priority to a local pledge, so none is said to be answered. The clock is
NOW, Thursday 16 October 2008."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from helpers import Run, ok

XSS = "<script>alert(1)</script>"
QUEENS = "Drug dealing around Queen's Park"


@pytest.fixture
def team(cli: Run) -> str:
    ok(cli("team", "add", "ZZ01", "--name", "Zed Ward", "--since", "01/09/2008"))
    return "ZZ01"


def meeting(cli: Run, when: str, *more: str) -> str:
    return ok(cli("meeting", "ZZ01", "--when", when, *more)).stdout.strip()


def update(cli: Run, *more: str, fmt: str = "md", as_of: str = "16/10/2008 12:00") -> str:
    args = ("report", "update", "ZZ01", "--period", "2008-10", "--as-of", as_of)
    return ok(cli(*args, "--format", fmt, *more)).stdout


def section(md: str) -> str:
    """The meetings section of a Markdown update, to the next heading of its level."""
    start = md.index("## Public meetings in October 2008")
    return md[start : md.index("\n## ", start + 1)]


def test_the_meetings_held_in_the_month_with_their_priorities(cli: Run, team: str) -> None:
    meeting(cli, "10/9/2008 19:00", "--attendance", "40", "--priorities", "Parking at the school")
    agreed = f"{QUEENS}; Speeding on Forest Road; Dog fouling on the rec"
    meeting(cli, "8/10/2008 19:00", "--attendance", "23", "--priorities", agreed)
    meeting(cli, "14/10/2008 19:00")  # no attendance, no priorities
    md = update(cli)
    assert (
        "No local pledges were in force in October 2008. The priorities you set at a "
        "meeting are below."
    ) in md
    assert "No local priorities" not in md
    assert section(md) == (
        "## Public meetings in October 2008\n\n"
        "### Meeting on 8 October 2008: 23 residents came\n\n"
        "**Priorities you set:**\n\n"
        "- Drug dealing around Queen's Park\n"
        "- Speeding on Forest Road\n"
        "- Dog fouling on the rec\n\n"
        "### Meeting on 14 October 2008\n\n"
        "No priorities were recorded at this meeting.\n"
    )
    assert "Parking at the school" not in md and "40 residents" not in md  # September's
    text = " ".join(update(cli, fmt="txt").split())
    assert (
        "Meeting on 8 October 2008: 23 residents came Priorities you set: - Drug dealing "
        "around Queen's Park - Speeding on Forest Road - Dog fouling on the rec Meeting on "
        "14 October 2008 No priorities were recorded at this meeting."
    ) in text


def test_the_months_edges_and_as_of_decide_which_meetings(cli: Run, team: str) -> None:
    meeting(cli, "30/9/2008 23:59", "--priorities", "September's last minute")
    meeting(cli, "1/10/2008 00:00", "--attendance", "1", "--priorities", "October's first")
    meeting(cli, "13/10/2008 19:00", "--priorities", "After the as-of")
    md = update(cli, as_of="13/10/2008 18:59")
    assert "### Meeting on 1 October 2008: 1 resident came" in md and "October's first" in md
    assert "September's last minute" not in md and "After the as-of" not in md
    assert "After the as-of" in update(cli, as_of="13/10/2008 19:00")
    # the September update has the one at 23:59 only
    september = ok(cli("report", "update", "ZZ01", "--period", "2008-09")).stdout
    assert "September's last minute" in september and "October's first" not in september


def test_a_void_meeting_and_none_at_all_leave_the_section_out(cli: Run, team: str) -> None:
    md = update(cli)
    assert "Public meetings" not in md
    assert "No local pledges were in force in October 2008.\n" in md  # no pointer to nothing
    held = meeting(cli, "8/10/2008 19:00", "--priorities", "Speeding")
    ok(cli("void", held, "--reason", "typed against the wrong team"))
    assert "Public meetings" not in update(cli) and "Speeding" not in update(cli)


def test_with_local_pledges_no_pledge_is_said_to_answer_a_priority(cli: Run, team: str) -> None:
    ok(cli("pledge", "add", "ZZ01", "Speeding on Forest Road: speed checks", "--at-least", "1",
           "--per", "week", "--agreed", "8/10/2008", "--meeting", "PACT 8 Oct"))  # fmt: skip
    meeting(cli, "8/10/2008 19:00", "--priorities", "Speeding on Forest Road; Litter")
    md = update(cli)
    assert "No local pledges" not in md
    assert section(md).startswith(
        "## Public meetings in October 2008\n\n"
        "In your words, as agreed. What we did about those we have made a local pledge is "
        'under "You said, we did" above.\n\n'
        "### Meeting on 8 October 2008\n\n"
        "**Priorities you set:**\n\n- Speeding on Forest Road\n- Litter\n"
    )  # listed alike: nothing in the data says which one the pledge answers


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_residents_words_are_escaped_in_every_format(cli: Run, team: str) -> None:
    meeting(cli, "8/10/2008 19:00", "--priorities", f"**Cars** {XSS}; A & B <i>")
    html = update(cli, fmt="html")
    page = Text()
    page.feed(html)
    assert "script" not in page.tags and "i" not in page.tags
    assert f"**Cars** {XSS}" in page.text and "A & B <i>" in page.text  # shown as typed
    md = update(cli)
    assert r"- \*\*Cars\*\* \<script\>alert(1)\</script\>" in md
    assert "A \\& B \\<i\\>" in md
    assert f"- **Cars** {XSS}" in update(cli, fmt="txt")  # plain text: verbatim
