"""A report as a short list of blocks, written out as Markdown, HTML or plain text.

A report module says once what a report contains (headings, labelled lines, lists,
tables, charts); this module says how each format writes a block. So the e-mail
(Markdown), the web page (HTML) and the text version can never say different things.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from pledgetrack.reporting import html as h
from pledgetrack.reporting.escape import html_text, md_line, md_text, printable

TEXT_WIDTH = 78  # plain text is read in e-mail and terminals: wrapped to fit both


@dataclass(frozen=True)
class Heading:
    level: int  # 1 to 3
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    label: str = ""  # shown bold before the text: "We did: ..."
    status: str = ""  # a Status value: HTML shows the text as a coloured badge
    css: str = ""


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    numeric: tuple[bool, ...] = ()  # per column; right-aligned
    empty: str = "nothing to show"

    def is_numeric(self, column: int) -> bool:
        return column < len(self.numeric) and self.numeric[column]


@dataclass(frozen=True)
class Chart:
    """An SVG chart (HTML only) with the table of the same numbers (every format)."""

    svg: str
    caption: str
    table: Table


@dataclass(frozen=True)
class Group:
    """Blocks that belong together (one priority): kept on one printed page if they fit."""

    blocks: tuple[Block, ...]
    css: str = ""


Block = Heading | Para | Bullets | Table | Chart | Group


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    footer: str = ""


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


# -- Markdown ---------------------------------------------------------------------------


def to_markdown(doc: Document) -> str:
    lines: list[str] = [f"# {md_text(doc.title)}", ""]
    for block in doc.blocks:
        lines.extend(_md(block))
    if doc.footer:
        lines.extend([f"_{md_text(doc.footer)}_", ""])
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * block.level} {md_text(block.text)}", ""]
    if isinstance(block, Para):
        label = f"**{md_text(block.label)}:** " if block.label else ""
        return [f"{label}{md_text(block.text)}" if label else md_line(block.text), ""]
    if isinstance(block, Bullets):
        head = [f"**{md_text(block.label)}:**", ""] if block.label else []
        return [*head, *(f"- {md_line(item)}" for item in block.items), ""]
    if isinstance(block, Table):
        return _md_table(block)
    if isinstance(block, Chart):
        return _md_table(block.table)
    return [line for inner in block.blocks for line in _md(inner)]


def _md_table(table: Table) -> list[str]:
    out = [f"**{md_text(table.caption)}**", ""]
    if not table.rows:
        return [*out, md_text(table.empty), ""]
    align = ["---:" if table.is_numeric(i) else "---" for i in range(len(table.headers))]
    out.append("| " + " | ".join(md_text(x) for x in table.headers) + " |")
    out.append("| " + " | ".join(align) + " |")
    for row in table.rows:
        out.append("| " + " | ".join(md_text(_cell_text(v)) for v in row) + " |")
    return [*out, ""]


# -- plain text -------------------------------------------------------------------------


def to_text(doc: Document) -> str:
    title = printable(doc.title)
    lines: list[str] = [title, "=" * len(title), ""]
    for block in doc.blocks:
        lines.extend(_txt(block))
    if doc.footer:
        lines.extend([*_wrap(printable(doc.footer)), ""])
    return "\n".join(lines).rstrip("\n") + "\n"


def _txt(block: Block) -> list[str]:
    if isinstance(block, Heading):
        # wrapped as the body is (`You said: ...` quotes residents at any length); a rule
        # runs under its longest line
        lines = _wrap(printable(block.text))
        rule = {1: "=", 2: "-"}.get(block.level)
        under = [rule * max(len(line) for line in lines)] if rule else []
        return [*lines, *under, ""]
    if isinstance(block, Para):
        label = f"{printable(block.label)}: " if block.label else ""
        return [*_wrap(f"{label}{printable(block.text)}"), ""]
    if isinstance(block, Bullets):
        head = [f"{printable(block.label)}:"] if block.label else []
        items = [line for item in block.items for line in _wrap(printable(item), "  - ")]
        return [*head, *items, ""]
    if isinstance(block, Table):
        return _txt_table(block)
    if isinstance(block, Chart):
        return _txt_table(block.table)
    return [line for inner in block.blocks for line in _txt(inner)]


def _wrap(text: str, first: str = "") -> list[str]:
    """Lines of at most TEXT_WIDTH characters, a bullet's lines indented under its text."""
    return textwrap.wrap(
        text,
        TEXT_WIDTH,
        initial_indent=first,
        subsequent_indent=" " * len(first),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _txt_table(table: Table) -> list[str]:
    if not table.rows:
        return [printable(table.caption), f"  {printable(table.empty)}", ""]
    cells = [[printable(x) for x in table.headers]]
    cells += [[printable(_cell_text(v)) for v in row] for row in table.rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(table.headers))]

    def line(row: list[str]) -> str:
        parts = [
            c.rjust(w) if table.is_numeric(i) else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [printable(table.caption), line(cells[0]), rule, *(line(r) for r in cells[1:]), ""]


# -- HTML -------------------------------------------------------------------------------


def to_html(doc: Document) -> str:
    body = [f"<h1>{html_text(doc.title)}</h1>", *(_html(b) for b in doc.blocks)]
    return h.page(doc.title, body, footer=html_text(doc.footer))


def _html(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{html_text(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        label = f"<strong>{html_text(block.label)}:</strong> " if block.label else ""
        text = h.status_badge(block.status, block.text) if block.status else html_text(block.text)
        css = f' class="{html_text(block.css)}"' if block.css else ""
        return f"<p{css}>{label}{text}</p>"
    if isinstance(block, Bullets):
        head = f"<p><strong>{html_text(block.label)}:</strong></p>\n" if block.label else ""
        items = "\n".join(f"<li>{html_text(item)}</li>" for item in block.items)
        return f"{head}<ul>\n{items}\n</ul>"
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Chart):
        return (
            f"<figure>\n{block.svg}\n<figcaption>{html_text(block.caption)}</figcaption>\n"
            f"</figure>\n{_html_table(block.table)}"
        )
    css = f' class="{html_text(block.css)}"' if block.css else ""
    return f"<section{css}>\n" + "\n".join(_html(b) for b in block.blocks) + "\n</section>"


def _html_table(table: Table) -> str:
    if not table.rows:
        return f"<p><strong>{html_text(table.caption)}:</strong> {html_text(table.empty)}</p>"
    headers = [h.Cell(x, table.is_numeric(i)) for i, x in enumerate(table.headers)]
    rows: Sequence[Sequence[h.Cell]] = [
        [
            h.cell(_cell_text(v), numeric=table.is_numeric(i), css=_status_css(v))
            for i, v in enumerate(row)
        ]
        for row in table.rows
    ]
    return h.table(table.caption, headers, rows)


_STATUS_CSS = frozenset({"green", "amber", "red", "no-data", "pending", "not-measured"})


def _status_css(value: object) -> str:
    """A cell holding a status word is coloured like it (the word stays: never colour alone)."""
    return str(value) if isinstance(value, str) and value in _STATUS_CSS else ""
