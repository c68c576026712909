"""The closed sets of words the records use, apart from the models that hold them.

Command options are typed with these enums, and Typer needs them when it builds `--help`;
here they cost nothing to import, where domain.models would load pydantic for every
command.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from pledgetrack.errors import InputError, option

Word = TypeVar("Word", bound=StrEnum)


class Setting(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


def listed(words: Iterable[str], last: str = "or") -> str:
    """The choices a refusal names, `urban or rural`, `achieved, not-achieved or withdrawn`:
    how every closed set is said, on the command line (cli.usage) and in a file's line;
    `last="and"` for things named together (`1, 2 and 3`)."""
    names = list(words)
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def word_of(words: type[Word], text: str, field: str) -> Word:
    """`text` as one of `words` (any case, spaces either side ignored), or bad input naming
    `field` and the choices: what a file's cell says (`import teams`' setting); a command
    option typed with the enum says the same through cli.usage."""
    for word in words:
        if word.value == text.strip().lower():
            return word
    raise InputError(
        f"{option(field)} must be {listed(w.value for w in words)}, not {text!r}", field=field
    )


class PledgeStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not-achieved"
    WITHDRAWN = "withdrawn"


CLOSED_STATUSES = (PledgeStatus.ACHIEVED, PledgeStatus.NOT_ACHIEVED, PledgeStatus.WITHDRAWN)


class PledgeKind(StrEnum):
    LOCAL = "local"  # agreed with residents, referenced <TEAM>-L<n>
    NATIONAL = "national"  # one of the ten Policing Pledge commitments, <TEAM>-N<n>


class Unit(StrEnum):
    """The calendar units a frequency target counts in (domain.targets uses them, and
    domain.periods reckons in them). Here, not in periods, so that reading a target does
    not load the period grammar (`log`, docs/performance.md)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


class OnDuplicate(StrEnum):
    """What `import` does with a row already stored."""

    SKIP = "skip"
    ERROR = "error"


class Channel(StrEnum):
    """Where an N8 progress update was published, as `update --channel` takes it and its
    action's description keeps it (`Progress update published (social)`): the choices,
    their help, `national show N8` and docs/national-pledge.md's table derive from this
    and CHANNEL_MEANING. New channels only add: a description a file or an older version
    wrote keeps reading as it was written (FRESH4 G7: no place for social media)."""

    WEB = "web"
    SOCIAL = "social"
    EMAIL = "email"
    NEWSLETTER = "newsletter"
    LEAFLET = "leaflet"
    NOTICEBOARD = "noticeboard"
    PRESS = "press"
    MEETING = "meeting"


# What each channel covers, as a sergeant would look for it
CHANNEL_MEANING = {
    Channel.WEB: "the force website's page for the neighbourhood",
    Channel.SOCIAL: "Facebook, X, Instagram, Nextdoor and other social media",
    Channel.EMAIL: "an e-mail or text alert (Neighbourhood Alert, community messaging)",
    Channel.NEWSLETTER: "a newsletter, printed or by e-mail",
    Channel.LEAFLET: "leaflets door to door, a 'You said, we did' sheet",
    Channel.NOTICEBOARD: "a notice board in a library, community centre or station",
    Channel.PRESS: "the local paper or radio",
    Channel.MEETING: "said at a public meeting (PACT)",
}


def normalise_kind(kind: str | None) -> str | None:
    """Kinds match case- and space-insensitively: `Patrol ` is a patrol. An action's kind
    and the kind a frequency pledge counts are both stored so (blank: none; text that
    shows nothing, a lone soft hyphen, is blank as the importer reads it: text.blank)."""
    from pledgetrack.domain.text import blank

    cleaned = " ".join((kind or "").split()).lower()
    return None if blank(cleaned) else cleaned
