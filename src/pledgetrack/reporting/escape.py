"""Free text made safe for each report format, without changing what it says.

Text is stored verbatim, so a pledge title may hold `<script>`, a Markdown `*`, or a
control character pasted from somewhere. Each format gets the text back literally: HTML
escapes it, Markdown backslash-escapes what would be markup, and every format shows a
control character as a visible `\\xNN` instead of passing it to a terminal or mail reader.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Inline markup (emphasis, code, links, raw HTML, table cells, entities: `&amp;` typed
# showed as `&`); parentheses are harmless once `[` and `]` are escaped, so they stay
# readable in the e-mail as typed. A `#` ending a heading's text would close it, unshown.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])|(#)(?=#*\s*$)")
# Markup that only counts at the start of a line: headings, lists, rules, quotes
_LINE_START = re.compile(r"^([-=+#>]|\d+(?=[.)]))")


def printable(text: str) -> str:
    """Control characters (other than none) as `\\xNN`; line breaks become spaces."""
    out = []
    for char in text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "):
        if unicodedata.category(char) in ("Cc", "Cf") and char != "\t":
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(" " if char == "\t" else char)
    return "".join(out)


def html_text(text: str) -> str:
    """For an HTML element or attribute: `<script>` shows as `<script>`, never runs."""
    return html.escape(printable(text), quote=True)


def md_text(text: str) -> str:
    """For Markdown inside a line (a heading, list item or table cell): characters that
    would become markup are backslash-escaped."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m[0], printable(text))


def md_line(text: str) -> str:
    """For Markdown that starts a line (a paragraph, a list item's text): also what would
    make it a heading, a list or a quote there (`1. `, `- `, `# `). Its leading spaces,
    which no reader of the page sees, are left out: four made it a code block."""

    def guard(m: re.Match[str]) -> str:
        mark = m.group(1)
        if mark[0].isdigit():  # `1.` starts a list; `1\.` does not (a digit takes no `\`)
            return f"{mark}\\"
        return f"\\{mark}"

    return _LINE_START.sub(guard, md_text(text).lstrip(" "))
