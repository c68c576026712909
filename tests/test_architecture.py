"""The layering docs/architecture.md promises, checked on the source: a change that makes a
service print, or the domain reach for the database, fails here rather than in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "pledgetrack"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("pledgetrack")}


def _modules(package: str) -> list[Path]:
    return sorted((SRC / package).glob("*.py"))


@pytest.mark.parametrize("path", _modules("services") + _modules("store"), ids=str)
def test_services_and_store_never_render_or_reach_up(path: Path) -> None:
    wrong = {
        n
        for n in _imports(path)
        if n.startswith(("pledgetrack.cli", "pledgetrack.render"))
        or (path.parent.name == "store" and n.startswith("pledgetrack.services"))
    }
    assert not wrong, f"{path.name} imports {sorted(wrong)}"


@pytest.mark.parametrize("path", _modules("domain"), ids=str)
def test_the_domain_imports_only_the_domain_and_errors(path: Path) -> None:
    wrong = {
        n
        for n in _imports(path)
        if not n.startswith("pledgetrack.domain") and n != "pledgetrack.errors"
    }
    assert not wrong, f"{path.name} imports {sorted(wrong)}"


SHARED_CLI = {
    "__init__",
    "app",
    "context",
    "options",
    "groups",  # options taken together (Listing, JudgedPeriod, ExportFile)
    "columns",
    "entry",
    "usage",
    "help",  # how --help reads, applied by app to every command
    "examples",  # the examples help shows
    "completion",  # completing team codes and refs, used by options
    "documents",  # the report texts `report` prints and `demo` writes
    "summaries",  # the compliance summary `summary` and `demo` print
}


def test_no_command_module_imports_another() -> None:
    found = set()
    for path in _modules("cli"):
        for name in _imports(path):
            other = name.removeprefix("pledgetrack.cli.")
            if name.startswith("pledgetrack.cli.") and other not in SHARED_CLI:
                found.add((path.stem, other))
    assert found == set()
