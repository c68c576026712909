"""domain.text.blank: a value is empty when nothing of it shows (ATTACK A2)."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from pledgetrack.domain.text import blank, optional_text

INVISIBLE = st.sampled_from([" ", "\t", "\n", "\u00a0", "\u3000", "\u200b", "\u200d", "\u2060",
                             "\ufeff", "\u00ad", "\u202e"])  # fmt: skip


@given(st.lists(INVISIBLE, max_size=8).map("".join))
def test_whitespace_and_format_characters_alone_are_blank(text: str) -> None:
    assert blank(text)
    assert optional_text(text) is None


@given(st.lists(INVISIBLE, max_size=4).map("".join), st.characters(), st.text(max_size=4))
def test_one_character_that_shows_is_not_blank(before: str, shown: str, after: str) -> None:
    assume(not shown.isspace() and unicodedata.category(shown) != "Cf")
    text = before + shown + after
    assert not blank(text)
    assert optional_text(text) == text  # kept exactly as given, the invisible included


def test_none_and_empty_are_blank() -> None:
    assert blank(None) and blank("")
