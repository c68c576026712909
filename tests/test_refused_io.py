"""A file the system refuses to read is exit 74 naming it; a file named wrongly is exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import Run, assert_error, nothing_written
from pledgetrack.exitcodes import ExitCode


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("team,pledge,when,description\nCW01,CW01-L1,2008-10-01,Patrol\n")
    return path


def test_an_import_file_this_user_may_not_read_is_exit_74(
    cli: Run, team: str, db: Path, csv_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root, who runs the tests, may read anything: the refusal is the system's own error,
    raised where opening the file would raise it (click's own check said exit 2)."""
    opened = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == csv_file:
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with nothing_written(db):
        assert_error(
            cli("import", "actions", str(csv_file)),
            ExitCode.IO,
            f"cannot read {csv_file}: Permission denied",
        )


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_an_import_file_whose_read_fails_is_exit_74_naming_it(cli: Run, team: str) -> None:
    """/proc/self/mem opens, and its first read is an I/O error."""
    assert_error(
        cli("import", "actions", "/proc/self/mem"),
        ExitCode.IO,
        "cannot read /proc/self/mem: Input/output error",
    )


def test_an_import_file_that_is_not_there_is_bad_input(
    cli: Run, team: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.csv"
    assert_error(
        cli("import", "actions", str(missing)),
        ExitCode.USAGE,
        f"cannot read {missing}: No such file or directory",
    )
