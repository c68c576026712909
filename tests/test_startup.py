"""Start-up loads only what a command uses: `--help` never imports pydantic or sqlite-utils.

Every command pays for what is imported at module level (docs/performance.md); these
tests fail if a heavy import creeps back onto the `--help` path.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from pledgetrack.cli.app import main
sys.argv = ["pledgetrack", *{args!r}]
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in ("pydantic", "sqlite_utils", "rich", "tabulate", "dateutil",
                           "pledgetrack.domain.models", "pledgetrack.services.compliance")
               if m in sys.modules)
print("LOADED", *heavy, file=sys.stderr)
"""


def _loaded(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED"))
    return set(line.split()[1:])


def test_help_loads_no_models_and_no_database_library() -> None:
    assert _loaded("--help") == set()


def test_a_command_help_loads_no_models_either() -> None:
    """Typer itself loads pydantic to convert a command's parameters; our models stay out."""
    assert _loaded("log", "--help") <= {"pydantic"}
    assert _loaded("export", "summary", "--help") <= {"pydantic"}
