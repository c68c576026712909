"""docs/reliability.md names, beside every promise, the test that proves it: each named
test must exist, so the document cannot point at a test that was renamed or removed."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reliability.md"


def named_tests() -> list[tuple[str, str]]:
    """(file, test) for every `file.py::test` and `::test` (the file before it) in the doc."""
    found: list[tuple[str, str]] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or "::" not in line:
            continue
        current = ""
        for file, test in re.findall(r"`([\w/]*\.py)?::(\w+)`", line):
            current = file or current
            found.append((current, test))
    return found


def test_every_test_the_reliability_doc_names_exists() -> None:
    named = named_tests()
    assert len(named) > 10
    for file, test in named:
        assert file, f"{test}: no file named before it"
        source = (ROOT / "tests" / file).read_text(encoding="utf-8")
        assert re.search(rf"^def {test}\(", source, re.M), f"{file}::{test} not found"
