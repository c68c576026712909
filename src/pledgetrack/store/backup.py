"""A consistent copy of a live database, for the nightly backup."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

from pledgetrack.atomicfile import replaced_file, staging_file
from pledgetrack.errors import DatabaseError, InputError, SystemRefusedError
from pledgetrack.store import health
from pledgetrack.store.connection import Store, system_refusal, translate_error

# the system refusing to read: the source's (a backup reads nothing else)
_SOURCE_READS = (sqlite3.SQLITE_IOERR_READ, sqlite3.SQLITE_IOERR_SHORT_READ)


def backup_to(store: Store, dest: Path) -> None:
    """Copy with SQLite's online backup API, then rename into place.

    The backup API copies a consistent snapshot even while cron or a sergeant writes
    (copying the file with cp can catch it mid-transaction, and misses the -wal file).
    The copy is made beside `dest` and renamed when complete, so `dest` is never half a
    database, and an existing backup survives a failed run. A symlink is followed (the
    link stays, its target is replaced), as for `-o`.
    """
    replaced = replaced_file(dest)  # a symlink's target: the link stays
    try:
        fd, tmp = staging_file(replaced)  # a backup killed outright left its own: removed
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            # no such folder: the caller named a bad path (exit 2), the database is fine
            raise InputError(f"cannot write {dest}: {exc.strerror}") from None
        # permission, a read-only or full file system: the system refused (exit 74)
        raise SystemRefusedError(f"cannot write backup {dest}: {exc.strerror}") from None
    os.close(fd)  # SQLite opens the (empty) file itself
    try:
        with closing(sqlite3.connect(tmp)) as target:
            store.conn.backup(target)
            # a single self-contained file: the copy needs no -wal beside it
            target.execute("PRAGMA journal_mode = DELETE")
            _refuse_damaged(store, target)
        # as private as the original (mkstemp made it owner-only)
        tmp.chmod(stat.S_IMODE(store.path.stat().st_mode))
        tmp.replace(replaced)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        refused = system_refusal(exc, replaced)
        if refused is not None and exc.sqlite_errorcode not in _SOURCE_READS:
            # the source is only read: a full disk or a failed write is the copy's
            raise SystemRefusedError(f"cannot write backup {dest}: {refused}") from None
        raise translate_error(exc, store.path, store.busy_timeout_s) from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SystemRefusedError(f"cannot write backup {dest}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _refuse_damaged(store: Store, copy: sqlite3.Connection) -> None:
    """Refuse (exit 3) a copy whose pages do not check: the backup API copies a damaged
    page as it is, so the nightly copy of a damaged file was damaged too, said nothing,
    and replaced the last good one. `quick_check` reads every page of the copy (what is
    kept, as written), not matching each index to its table: national, 3.0 GB, 13 s of
    CPU (docs/cli.md); the full check, index by index, is `db check`'s."""
    found = health.damage(copy, "quick_check")
    if found:
        n = len(found)
        raise DatabaseError(
            f"{store.path} is damaged ({found[0]}{f'; {n - 1} more' if n > 1 else ''}): "
            "not backed up, any earlier backup kept; see: pledgetrack db check"
        )
