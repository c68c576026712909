"""What text pledgetrack accepts: any Unicode, kept exactly as given, with two exceptions.

A NUL character cannot come through a command line and truncates text in C tools, and
bytes that are not UTF-8 reach Python as lone surrogates (`\\udcc3`), which SQLite
cannot store. Both are refused wherever text enters: options, arguments, CSV cells and
environment variables; so is a text longer than MOST_CHARACTERS.
"""

from __future__ import annotations

# The longest text kept: some fifty pages. A stray quote in a spreadsheet swallows the
# file's lines into one cell: 200 MB was imported, and every listing of its pledge then
# took minutes and gigabytes, plain text padding each row to it (ATTACK6 J7)
MOST_CHARACTERS = 100_000


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored, in words, or None when it can."""
    if len(text) > MOST_CHARACTERS:
        return (
            f"is {len(text):,} characters long; a text may be at most {MOST_CHARACTERS:,} "
            "(in a spreadsheet, a quote left open joins the lines after it into one cell)"
        )
    if "\x00" in text:
        return f"contains a NUL character (at character {text.index(chr(0)) + 1})"
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        # surrogateescape maps an undecodable byte 0xNN to U+DCNN
        byte = f"byte 0x{ord(bad) - 0xDC00:02X}" if "\udc80" <= bad <= "\udcff" else "a surrogate"
        return f"is not valid UTF-8 ({byte} at character {exc.start + 1})"
    return None


def blank(text: str | None) -> bool:
    """Nothing visible: nothing at all, whitespace, or characters that print as nothing (a
    zero-width space, a byte-order mark, a word joiner: Unicode's format characters), an
    empty value however it is spaced. A title of `\u200b` printed as an empty cell."""
    if text is None:
        return True
    shown = text.strip()
    if shown.isascii():  # nearly every value: no lookup
        return not shown
    import unicodedata  # only for text beyond ASCII

    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in shown)


def optional_text(text: str | None) -> str | None:
    """An optional free-text value: None when blank, otherwise exactly as given."""
    return None if blank(text) else text


def shows(stripped: str) -> bool:
    """Whether a stripped cell holds text: one that shows nothing (`\u200b`, a soft hyphen)
    is empty, as `blank` says, read row by row or column by column alike (a batch kept a
    lone soft hyphen the row path dropped; the property test found it)."""
    return bool(stripped) and (stripped.isascii() or not blank(stripped))


def blank_row(row: list[str]) -> bool:
    """A CSV row with nothing in any cell (`,,,,`, or spaces): what Excel and LibreOffice
    write for a line cleared at the bottom of a sheet (FRESH4 G12). It holds no data, so
    every reader of a file (the imports, rollup) skips and counts it rather than refusing
    it as a row lacking its team; whatever its width, as a cleared line may be narrower
    than the header. A row of data stops at its first cell (1.4 µs a row measured on a
    loaded machine, where a generator took 3.9). A row of ASCII text is judged at once: it
    shows nothing when it is all white space."""
    joined = "".join(row)
    if joined.isascii():
        return joined.isspace() or not joined
    return not any(map(shows, map(str.strip, row)))
