"""Files we write for `-o FILE`: checked before work starts, and replaced atomically."""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Any

from pledgetrack.errors import InputError, PledgetrackError, SystemRefusedError, unreadable
from pledgetrack.paths import expanded

# The files SQLite keeps beside a database: overwriting one of them corrupts it
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


# The first 16 bytes of every SQLite database file
SQLITE_HEADER = b"SQLite format 3\x00"


def check_output_path(
    path: Path, reads: Sequence[Path] = (), *, over_database: bool = False, named: str = "-o"
) -> None:
    """Refuse, as bad input (exit 2), a file to write that cannot be one: its folder does not
    exist or is not a folder, it is a folder itself, or it is one of the files the command
    `reads` (a database with its -wal/-shm, an input file), or, unless `over_database`
    (`backup`, which writes one), any SQLite database: nothing `-o` writes is one, so
    `-o cw01.db` typed for `--db cw01.db` would replace a team's file with CSV. One line
    naming the path.

    The same file is recognised by device and inode (a hard link, a symlink, `./v.db`), or
    by name for a companion that does not exist yet. Commands call this before they start
    work; problems found only while writing (a full disk, a permission) are reported when
    they happen. A name too long for the folder (its staging file's included) is bad
    input too, said naming the option or argument (`named`), not the system refusing.
    """
    target = expanded(path, named)
    _check_name_length(path, target, named)
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
    for source in reads:
        clash = _same_file(target, source)
        if clash is not None:
            raise InputError(
                f"cannot write {path}: it is {clash}, which this command reads; choose another file"
            )
    if not over_database and target.is_file() and _readable_database(target):
        raise InputError(
            f"cannot write {path}: it is an SQLite database (a team's file, a backup?), and "
            "-o writes a report or an export; choose another file"
        )


# what staging_file adds to a name: `.NAME.PID.XXXXXXXX.part`, and SQLite's `-journal`
# beside it (backup); a process id has at most 7 digits on Linux (pid_max 4,194,304)
STAGING_EXTRA = len(".." + "1234567" + ".xxxxxxxx" + ".part-journal")


def _check_name_length(path: Path, target: Path, named: str) -> None:
    """ENAMETOOLONG, met while writing, was exit 74 ("the system refusing"): the user typed
    the name, so it is exit 2, before any work, naming the option and the limit."""
    try:
        limit = os.pathconf(target.parent if str(target.parent) else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255  # the folder is missing (said below) or does not say: the common limit
    longest = limit - STAGING_EXTRA
    size = len(os.fsencode(target.name))
    if size > longest:
        raise InputError(
            f"{named} {path}: the file name is too long, {size:,} bytes: at most {longest} "
            f"here ({limit} less {STAGING_EXTRA} for the temporary file written beside it)",
            field="output",
        )
    try:
        target.stat()
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:  # a folder's name, or the whole path (PATH_MAX)
            raise InputError(f"{named} {path}: the path is too long for this system "
                             f"({exc.strerror})", field="output") from None  # fmt: skip


def _readable_database(target: Path) -> bool:
    """Whether `target` starts as a database does; one we may not read is left to the
    write to report (it is replaced, not read)."""
    try:
        return is_database(target)
    except PledgetrackError:
        return False


def is_database(path: Path) -> bool:
    """Whether `path` starts as an SQLite database does (its first 16 bytes): the one
    reader of the header, for `-o` (never onto a database) and `rollup` (a database or a
    CSV). A device or FIFO is none and is not opened (a FIFO would wait for its writer,
    and the bytes read would be lost to the CSV reader). A file that cannot be read is
    said as errors.unreadable says it: not there or a folder, exit 2; refused by the
    system (a permission, an I/O error), exit 74."""
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            return False
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError as exc:
        raise unreadable(str(path), exc) from None


def _same_file(target: Path, source: Path) -> str | None:
    """How `target` names `source` or one of its SQLite companions, if it does."""
    try:
        target_id = _identity(target.stat())
    except OSError:
        target_id = None
    resolved = _resolved(target)
    for suffix in SQLITE_COMPANIONS:
        companion = Path(f"{expanded(source)}{suffix}")
        what = str(source) if not suffix else f"the {suffix[1:]} file of {source}"
        if resolved == _resolved(companion):
            return what
        try:
            if target_id is not None and target_id == _identity(companion.stat()):
                return what
        except OSError:
            continue
    return None


def _identity(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def replaced_file(path: Path) -> Path:
    """The file a write to `path` replaces, renamed over: a symlink's target, so the link
    stays (`latest.db -> pt-2008-10-31.db`). An existing file this user may not write
    (0444, another account's) is refused, exit 74: the rename needs only the folder, but
    whoever made it read-only expects it kept, as the shell's `>` and cp keep it."""
    target = Path(os.path.realpath(expanded(path)))
    if target.exists() and not os.access(target, os.W_OK):
        raise SystemRefusedError(
            f"cannot write {path}: {os.strerror(errno.EACCES)} (the file is read-only for "
            "this user)"
        )
    return target


def staging_file(target: Path) -> tuple[int, Path]:
    """A new owner-only file beside `target` to write it in, `.NAME.PID.XXXXXXXX.part`,
    open for writing (its fd). A writer killed outright (kill -9, a power cut) cannot
    remove its own; the name carries its process id, so this first removes those of ours
    for the same target whose writer is gone (and an SQLite `-journal` beside one). One
    whose process id is alive again is left. OSError as mkstemp raises it."""
    remove_stale_staging(target)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=".part", dir=target.parent
    )
    return fd, Path(name)


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove the staging files of `target` (staging_file) whose writer has gone; the ones
    removed. Nothing is said when none can be: the folder unreadable, a file not ours."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.([0-9]+)\.[a-z0-9_]{{8}}\.part(-journal)?")
    removed: list[Path] = []
    try:
        names = [entry.name for entry in target.parent.iterdir()]
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or _alive(int(match[1])):
            continue
        stale = target.parent / name
        try:
            stale.unlink()
        except OSError:
            continue
        removed.append(stale)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process with this id exists (ours included): signal 0 only asks."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or an id no process has: leave the file
    return True


def atomic_output(path: Path, reads: Sequence[Path] = ()) -> AbstractContextManager[IO[str]]:
    """`path` written as UTF-8 text, whole or not at all (`_atomic`)."""
    return _atomic(path, reads, {"mode": "w", "encoding": "utf-8", "newline": ""})


def atomic_bytes_output(
    path: Path, reads: Sequence[Path] = ()
) -> AbstractContextManager[IO[bytes]]:
    """`path` written as bytes (an .xlsx), whole or not at all (`_atomic`)."""
    return _atomic(path, reads, {"mode": "wb"})


@contextmanager
def _atomic(path: Path, reads: Sequence[Path], how: dict[str, Any]) -> Iterator[Any]:
    """Write beside `path` and rename into place only when complete (os.replace), the
    file opened as `how` says (open's mode, encoding and newline).

    A consumer polling for the file (a cron job at HQ) never reads half of it; on an error
    or Ctrl-C the temporary file is removed and any earlier `path` is left untouched.
    A new file is owner-only (0600: exports name officers); an existing one keeps its
    mode. A device or FIFO (`-o /dev/stdout`, a named pipe) is written to directly, never
    renamed over; a symlink is followed, so the link stays and its target is replaced.
    The system refusing a write (disk full, permission) is exit 74, whatever the target.
    """
    check_output_path(path, reads)
    given = expanded(path)
    try:
        existing: os.stat_result | None = given.stat()
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # opened by the name given: /dev/stdout resolves to /proc/self/fd/1 and then to
        # `pipe:[123]`, which is no file anyone can open
        with _system_refusal(path), given.open(**how) as fh:
            yield fh
        return
    target = replaced_file(path)
    try:
        fd, tmp = staging_file(target)
    except OSError as exc:
        if existing is None:  # a new file: the folder's refusal is the file's
            raise SystemRefusedError(f"cannot write {path}: {exc.strerror or exc}") from None
        # an existing file (/proc/version): the errno is the staging file's, so say so
        raise SystemRefusedError(
            f"cannot write {path}: cannot create a file beside it in {target.parent} "
            f"({exc.strerror or exc})"
        ) from None
    try:
        with _system_refusal(path):
            if existing is not None:
                os.fchmod(fd, stat.S_IMODE(existing.st_mode))
            with os.fdopen(fd, **how) as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(target)  # os.replace: atomic on POSIX and Windows
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def _system_refusal(path: Path) -> Iterator[None]:
    """An OSError while writing `path` is the system refusing I/O: one line, exit 74."""
    try:
        yield
    except BrokenPipeError:
        raise  # `-o /dev/stdout | head`: the reader left, as on stdout itself (not a failure)
    except OSError as exc:
        raise SystemRefusedError(f"cannot write {path}: {exc.strerror or exc}") from None
