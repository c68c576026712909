"""The text of `report update` and `report hq` in the format asked for: what `report`
prints or writes with -o, and what `demo` writes beside its database, from one place."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: --help and other commands never load them
    from pledgetrack.domain.periods import Period
    from pledgetrack.services.hq_report import HqReport
    from pledgetrack.store.connection import Store


class UpdateFormat(StrEnum):
    MD = "md"
    HTML = "html"
    TXT = "txt"


class HqFormat(StrEnum):
    HTML = "html"
    MD = "md"


def update_text(
    store: Store,
    team: str,
    period: Period,
    as_of: datetime,
    fmt: UpdateFormat,
    *,
    names: bool = True,
    refs: bool = False,
) -> str:
    """`report update` as text in the format asked for."""
    from pledgetrack.reporting.document import to_html, to_markdown, to_text
    from pledgetrack.reporting.update import update_document
    from pledgetrack.services.public_update import build_update

    doc = update_document(build_update(store, team, period, as_of, names=names), refs=refs)
    writer = {UpdateFormat.MD: to_markdown, UpdateFormat.HTML: to_html, UpdateFormat.TXT: to_text}
    return writer[fmt](doc)


def hq_text(store: Store, period: Period, as_of: datetime, fmt: HqFormat) -> str:
    """`report hq` as HTML or Markdown."""
    from pledgetrack.services.hq_report import build_hq

    return hq_report_text(build_hq(store, period, as_of), fmt)


def hq_report_text(report: HqReport, fmt: HqFormat) -> str:
    """An HQ report's data (of one database, or rolled up from several) as text."""
    from pledgetrack.reporting.document import to_html, to_markdown
    from pledgetrack.reporting.hq import hq_document

    doc = hq_document(report)
    return to_html(doc) if fmt is HqFormat.HTML else to_markdown(doc)
