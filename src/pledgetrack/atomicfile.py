"""Files we write for `-o FILE`: checked before work starts, and replaced atomically."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pledgetrack.errors import InputError


def check_output_path(path: Path) -> None:
    """Refuse, as bad input (exit 2), a file to write that cannot be one: its folder does not
    exist or is not a folder, or it is a folder itself. One line naming the path.

    Commands call this before they start work; problems found only while writing (a full
    disk, a permission) are reported when they happen.
    """
    target = path.expanduser()
    if target.is_dir():
        raise InputError(f"cannot write {path}: {os.strerror(errno.EISDIR)}")
    try:
        folder = target.parent.stat()
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise InputError(f"cannot write {path}: {exc.strerror}") from None
        return  # e.g. a permission problem: the write itself will say
    if not stat.S_ISDIR(folder.st_mode):
        raise InputError(f"cannot write {path}: {os.strerror(errno.ENOTDIR)}")


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """Write beside `path` and rename into place only when complete (os.replace).

    A consumer polling for the file (a cron job at HQ) never reads half of it; on an error
    or Ctrl-C the temporary file is removed and any earlier `path` is left untouched.
    """
    check_output_path(path)
    target = path.expanduser()
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)  # os.replace: atomic on POSIX and Windows
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
