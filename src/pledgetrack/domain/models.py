"""The records pledgetrack keeps: teams, their pledges, and the actions logged against them."""

# No `from __future__ import annotations` here: pydantic evaluates a string annotation of
# every field as it defines each model, at import, on every command that loads the models
# (`log` among them); annotations as objects it reads as they are (docs/performance.md).

import re
from datetime import date, datetime
from typing import Annotated, Any, NamedTuple, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from pledgetrack.domain.numbers import PLEDGE_NUMBER
from pledgetrack.domain.targets import NoTarget, Target
from pledgetrack.domain.text import optional_text
from pledgetrack.domain.vocabulary import (  # re-exported: the records' words
    CLOSED_STATUSES as CLOSED_STATUSES,
)
from pledgetrack.domain.vocabulary import PledgeKind as PledgeKind
from pledgetrack.domain.vocabulary import PledgeStatus as PledgeStatus
from pledgetrack.domain.vocabulary import Setting as Setting
from pledgetrack.errors import InputError

TEAM_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
# What a pledge reference looks like: a team code, then -L or -N and a number
PLEDGE_REF_RE = re.compile(r"^.+-[LN][0-9]+$")
# A pledge's own part of its reference (`L1`, `n4`), which the default team completes
_OWN_PART_RE = re.compile(r"^[LN][0-9]+$", re.IGNORECASE)


def completed_ref(ref: str, team: str | None) -> str:
    """`L1` with the default team LE05 is `LE05-L1`, as a sergeant working on one team says
    it (FRESH4 G18); anything else as typed (a whole reference; no default team)."""
    if team is None or not _OWN_PART_RE.match(ref.strip()):
        return ref
    return f"{team.strip()}-{ref.strip()}"


def national_number(ref: str, team: str) -> int | None:
    """The N of team's `<TEAM>-N<n>` (a row of `export summary` names its pledge so);
    None for a local pledge or another team's ref."""
    prefix = f"{team}-N"
    tail = ref[len(prefix):]
    return int(tail) if ref.startswith(prefix) and tail.isdigit() and tail.isascii() else None


def normalise_code(code: str) -> str:
    """Team codes and pledge references are case-insensitive on entry, upper-case when stored.

    ASCII only: Unicode upper-casing turns `straße` into `STRASSE` and `ﬁ01` into `FI01`,
    a different code from the one typed; such a code is left as typed, and refused.
    """
    text = code.strip()
    return text.upper() if text.isascii() else text


def shown_code(code: str) -> str:
    """A code or reference as an error echoes it: upper-cased as stored when it could be
    one (letters, digits, hyphens), else exactly as typed, so that upper-casing never
    changes what is shown (`'\x1b[31mCW01'`, not `'\x1b[31MCW01'`)."""
    found = normalise_code(code)
    return found if re.fullmatch(r"[A-Z0-9-]+", found) else code.strip()


def _identifier(value: object) -> object:
    """An external reference: surrounding spaces dropped, as for codes; blank is none."""
    if isinstance(value, str):
        return value.strip() or None
    return value


# A-Z to a-z and nothing else: what SQLite's NOCASE collation folds (store.actions)
_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ref_key(ref: str) -> str:
    """What makes two external refs one id: the text with its letters A-Z in one case.

    An incident number's case means nothing (`INC123`, `inc123`), so a team's refs are
    unique and found whatever it; the ref is stored as typed. ASCII letters only, exactly
    as the store's `COLLATE NOCASE` compares them (tests/test_ext_ref_case.py holds the two
    alike): `É` and `é` stay two refs, as in SQLite.
    """
    return ref.translate(_ASCII_FOLD)


# Optional free text is kept exactly as given; nothing but spaces means not given
OptionalText = Annotated[str | None, BeforeValidator(optional_text)]
Identifier = Annotated[str | None, BeforeValidator(_identifier)]


# defer_build on every model: pydantic builds a model's validator when it first validates,
# not at import, so a command pays only for the models it checks (`log` checks an Action;
# its Team and Pledge are read back trusted). Building them all cost about a third of `log`.
class Team(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    code: str
    name: str = Field(min_length=1)
    force: OptionalText = None
    area: OptionalText = None
    sergeant: OptionalText = None
    contact: OptionalText = None
    setting: Setting = Setting.URBAN
    active: bool = True

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        code = normalise_code(value)
        if not TEAM_CODE_RE.fullmatch(code):
            raise ValueError(
                f"team code {value!r} must be ASCII letters, digits and '-' (up to 32), e.g. CW01"
            )
        if PLEDGE_REF_RE.match(code):  # `history CW01-L2` must not mean two things
            raise ValueError(
                f"team code {value!r} looks like a pledge reference (TEAM-L<n>, TEAM-N<n>); "
                "choose another, e.g. CW01"
            )
        return code

    @classmethod
    def from_trusted(cls, **fields: Any) -> Self:
        """A team read back from our own database, every field given, not validated again:
        its values were checked when written, and `log` then builds one validator fewer.
        The result equals the validated model (tests/test_store.py)."""
        return _trusted(cls, fields)


class Pledge(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    ref: str
    team: str
    kind: PledgeKind = PledgeKind.LOCAL
    seq: int
    title: str = Field(min_length=1)
    description: OptionalText = None
    agreed_on: date | None = None
    meeting: OptionalText = None
    review_on: date | None = None
    status: PledgeStatus = PledgeStatus.ACTIVE
    outcome: OptionalText = None
    closed_on: date | None = None
    target: Target = Field(default_factory=NoTarget)

    @property
    def is_open(self) -> bool:
        return self.status is PledgeStatus.ACTIVE

    @classmethod
    def from_trusted(cls, **fields: Any) -> Self:
        """A pledge read back from our own database, every field given, not validated again.

        Its values were validated when written; validating 72,000 of them again costs
        seconds in a national report. The result equals the validated model
        (tests/test_store.py).
        """
        return _trusted(cls, fields)


_M = TypeVar("_M", bound=BaseModel)


def _trusted(cls: type[_M], fields: dict[str, Any]) -> _M:
    """A model of `fields` as given, every field present, without running its validators."""
    record = cls.__new__(cls)
    object.__setattr__(record, "__dict__", fields)
    object.__setattr__(record, "__pydantic_fields_set__", set(fields))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


class PledgeRecord(NamedTuple):
    """A stored pledge as plain values, for reports: what judging and report rows read of
    a pledge. A national report loads 72,000 pledges, and a Pledge model each cost more
    than judging them (store.pledges.list_pledge_records)."""

    ref: str
    team: str
    kind: PledgeKind
    seq: int
    agreed_on: date | None
    review_on: date | None
    status: PledgeStatus
    closed_on: date | None
    target: Target
    # last, as list_pledge_records reads them: only for a report that shows them
    title: str
    meeting: str | None


def pledge_ref(team: str, kind: PledgeKind, seq: int) -> str:
    letter = "L" if kind is PledgeKind.LOCAL else "N"
    return f"{team}-{letter}{seq}"


def next_pledge_ref(team: str, kind: PledgeKind, seq: int) -> str:
    """The ref a new pledge is numbered with (`pledge add`, an import row without one):
    within PLEDGE_NUMBER, the range `import pledges` reads a ref's n in, so a team's own
    export always imports; past its end the team has no ref left, and nothing is added."""
    if kind is PledgeKind.LOCAL and not PLEDGE_NUMBER.contains(seq):
        raise InputError(
            f"team {team} has no pledge reference left: the next would be "
            f"{pledge_ref(team, kind, seq)}, and the number of a reference must be "
            f"{PLEDGE_NUMBER.phrase()} (an import of refs numbered that high used them up)",
            field="ref",
        )
    return pledge_ref(team, kind, seq)


class Action(BaseModel):
    """Something done against a pledge; for response pledges, an item received and dealt with.

    `occurred_at` is when it was done (None while a response item is still open);
    `received_at` is when the message or call came in (response pledges only).
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: int | None = None
    team: str
    pledge: str
    description: str = Field(min_length=1)
    occurred_at: datetime | None
    received_at: datetime | None = None
    kind: str | None = None
    officer: OptionalText = None
    partner: OptionalText = None
    hours: float | None = Field(default=None, ge=0)
    abstracted: bool = False
    ext_ref: Identifier = None
    highlight: bool = False  # a notable outcome, quoted in the team's public update
    delivers: bool = False  # deadline pledges: this action is the delivery, not progress
    voided_at: datetime | None = None
    void_reason: OptionalText = None

    @classmethod
    def from_trusted(cls, **fields: Any) -> Self:
        """An action whose every field has been read to this model's rules already (bulk
        import reads each cell so, and checks hours first), not validated again: the
        model's validation is about an eighth of an import's work. The result equals the
        validated model (tests/test_transfer_import.py, over generated rows)."""
        return _trusted(cls, fields)

    @property
    def state(self) -> str:
        if self.voided_at is not None:
            return "void"
        if self.occurred_at is None:
            return "open"
        return "done"
