"""One self-contained HTML page: inline CSS, no scripts, no remote references.

A report is opened from a file or an e-mail attachment, on a phone or printed on A4, by
people with no network access to anything of ours. So the page carries its own styles,
uses the reader's own fonts, and every piece of free text goes through `html_text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pledgetrack.reporting.escape import html_text

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  line-height: 1.45; color: #1a1a1a; background: #fff; margin: 0 auto; padding: 1rem;
  max-width: 60rem; font-size: 16px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 1.75rem 0 .5rem; border-bottom: 2px solid #1d3c6e;
  padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .35rem; }
p, ul { margin: .35rem 0; }
ul { padding-left: 1.25rem; }
.meta { color: #555; margin: 0 0 1rem; }
.said { font-weight: 600; }
.status { display: inline-block; padding: .05rem .45rem; border-radius: .25rem;
  font-weight: 600; border: 1px solid currentColor; }
.green { color: #1b5e20; } .amber { color: #8a5a00; } .red { color: #b71c1c; }
.no-data, .pending, .not-measured { color: #444; }
.trend { break-inside: avoid; page-break-inside: avoid; }
.priority { border-left: 4px solid #1d3c6e; padding: .1rem 0 .1rem .75rem; margin: 1rem 0;
  break-inside: avoid; page-break-inside: avoid; }
.meeting { margin: .75rem 0; break-inside: avoid; page-break-inside: avoid; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
.caption { font-weight: 600; margin: .75rem 0 .1rem; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef2f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: .5rem 0 1rem; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: .9rem; color: #444; }
svg { display: block; width: 100%; max-width: 42rem; height: auto; }
td:first-child { white-space: nowrap; }
footer { margin-top: 2rem; font-size: .85rem; color: #555; }
@media (max-width: 40rem) {
  body { padding: .6rem; font-size: 15px; }
  h1 { font-size: 1.35rem; }
  table { font-size: .8rem; }
  th, td { padding: .2rem .25rem; }
  svg.lines text { font-size: 16px; }  /* line charts' labels have room to grow here */
}
@media print {
  @page { size: A4; margin: 15mm 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2, h3, .caption { break-after: avoid; page-break-after: avoid; }
  svg { max-width: 12.5cm; }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .status { border: 1px solid #000; }
  ul { break-inside: avoid; page-break-inside: avoid; }
}
""".strip()


GENERATOR = "pledgetrack"  # marks a page as ours: `demo` may replace its own earlier files


@dataclass(frozen=True)
class Cell:
    """A table cell: text (escaped when rendered) or a number shown right-aligned."""

    text: str
    numeric: bool = False
    css: str = ""


def cell(value: object, *, numeric: bool = False, css: str = "") -> Cell:
    return Cell("" if value is None else str(value), numeric, css)


def table(caption: str, headers: Sequence[str | Cell], rows: Sequence[Sequence[Cell]]) -> str:
    def head(h: str | Cell) -> str:
        c = h if isinstance(h, Cell) else Cell(h)
        return f'<th scope="col"{_class(c, "")}>{html_text(c.text)}</th>'

    def data(c: Cell) -> str:
        return f"<td{_class(c, '')}>{html_text(c.text)}</td>"

    body = "\n".join(f"<tr>{''.join(data(c) for c in row)}</tr>" for row in rows)
    # the caption sits above the scrolling box, so a wide table on a phone scrolls
    # sideways under a caption that stays readable
    return (
        f'<p class="caption">{html_text(caption)}</p>\n'
        f'<div class="table-wrap"><table aria-label="{html_text(caption)}">\n'
        f"<thead><tr>{''.join(head(h) for h in headers)}</tr></thead>\n"
        f"<tbody>\n{body}\n</tbody>\n</table></div>"
    )


def _class(c: Cell, extra: str) -> str:
    names = " ".join(n for n in ("num" if c.numeric else "", c.css, extra) if n)
    return f' class="{names}"' if names else ""


def status_badge(status: str, words: str) -> str:
    """A status shown in words and colour (never colour alone)."""
    return f'<span class="status {html_text(status)}">{html_text(words)}</span>'


def page(title: str, body: Sequence[str], *, footer: str = "") -> str:
    """The whole document. `body` parts are HTML already built from escaped text."""
    foot = f"\n<footer>{footer}</footer>" if footer else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{html_text(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + f"{foot}\n</body>\n</html>\n"
    )
