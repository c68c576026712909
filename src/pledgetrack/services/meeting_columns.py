"""The columns of a file of announced meetings, declared once: what `export next-meetings`
writes, in this order, and what `import next-meetings` reads back, by name: each
announcement `next-meeting` made (and its cancelling), so that a team's public update in
its new database announces the meeting it announced here, as of any day.

docs/export-schema.md lists these columns from here (tests/test_team_move.py holds the
docs to it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class MeetingColumn(NamedTuple):
    name: str  # in the header
    meaning: str  # for docs/export-schema.md
    example: str
    stored: str  # the planned_meetings column it holds ("" : the team's code)
    required: bool = False
    exact: bool = False  # free text, read exactly as written (else without spaces around)
    time: bool = False  # a date-time, as the exports write them


MEETING_COLUMNS: tuple[MeetingColumn, ...] = (
    MeetingColumn("team", "team code (required)", "CW01", "", required=True),
    MeetingColumn("starts", "when the meeting starts, as `next-meeting --when` gives it "
                  "(required)", "2008-11-10T19:00:00+00:00", "starts_at", required=True,
                  time=True),
    MeetingColumn("place", "where, as `--place` gives it", "Castle Community Centre", "place",
                  exact=True),
    MeetingColumn("note", "anything residents should know, as `--note` gives it",
                  "Everyone is welcome", "note", exact=True),
    MeetingColumn("announced", "when it was announced (required): a public update as of "
                  "an earlier moment does not show it, and a later announcement replaces it",
                  "2008-10-14T21:00:00+01:00", "created_at", required=True, time=True),
    MeetingColumn("cancelled", "when `next-meeting --cancel` called it off; empty while it "
                  "stands", "2008-11-01T09:00:00+00:00", "cancelled_at", time=True),
)  # fmt: skip

COLUMN_NAMES = tuple(c.name for c in MEETING_COLUMNS)
REQUIRED = tuple(c.name for c in MEETING_COLUMNS if c.required)
EXACT = tuple(c.name for c in MEETING_COLUMNS if c.exact)
TIMES = tuple(c.name for c in MEETING_COLUMNS if c.time)
STORED = tuple(c.stored for c in MEETING_COLUMNS if c.stored)  # after the team's code
# what makes two rows the same announcement: its team, when it starts, when it was made
KEY = ("team", "starts", "announced")

Cells = Callable[[str], Any]
