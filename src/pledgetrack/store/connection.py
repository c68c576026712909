"""Opening the database: pragmas, schema version checks, and write transactions.

Every connection has foreign keys on, WAL journalling (readers never block the writer)
and a busy timeout, so a second writer from cron waits instead of failing. Writes take
`BEGIN IMMEDIATE`: the lock is claimed up front, where the busy timeout applies, rather
than at the first write, where SQLite would give up at once to avoid a deadlock.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pledgetrack.errors import DatabaseError
from pledgetrack.store.migrations import LATEST_VERSION, migrate, user_version

if TYPE_CHECKING:
    import sqlite_utils

DEFAULT_BUSY_TIMEOUT_S = 10.0
OUR_TABLES = {"teams", "pledges", "actions", "changes"}


@dataclass
class Store:
    """An open pledgetrack database, who is using it, and what time it is."""

    db: sqlite_utils.Database
    path: Path
    actor: str
    clock: Callable[[], datetime]
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S
    # set when this open created the file: called with the path once the work succeeded
    created: Callable[[Path], None] | None = None

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One all-or-nothing write transaction (nested calls join the outer one)."""
        conn = self.db.conn
        if conn.in_transaction:
            yield self.db
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path, self.busy_timeout_s) from None
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate_error(exc, self.path, self.busy_timeout_s) from None

    def now_text(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def log_change(
        self,
        entity: str,
        key: str,
        op: str,
        old: dict[str, Any] | None = None,
        new: dict[str, Any] | None = None,
    ) -> None:
        """Append to the audit log; callers do this inside the same write transaction."""
        self.db.table("changes").insert(
            {
                "at": self.now_text(),
                "who": self.actor,
                "entity": entity,
                "entity_key": key,
                "op": op,
                "old": change_json(old),
                "new": change_json(new),
            }
        )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        """Close; name this file in any SQLite error; undo a creation that came to nothing.

        A database created by a command that then failed (`log NOPE-L1 x` on a new path)
        is removed again, so the only trace of the mistake is its one-line error.
        """
        self.close()
        if self.created is not None:
            if exc is None:
                self.created(self.path)
            else:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise translate_error(exc, self.path, self.busy_timeout_s) from None


# One encoder, built once: json.dumps builds a new one per call when given options
_CHANGE_ENCODER = json.JSONEncoder(default=str, ensure_ascii=False, sort_keys=True)


def change_json(value: dict[str, Any] | None) -> str | None:
    """How the audit log stores old and new values (shared with the bulk insert)."""
    if value is None:
        return None
    return _CHANGE_ENCODER.encode(value)


def open_store(
    path: Path,
    *,
    create: bool,
    actor: str,
    clock: Callable[[], datetime],
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    on_create: Callable[[Path], None] | None = None,
) -> Store:
    """Open (and if `create`, make) the database at `path`, upgrading an older schema.

    Read-only commands pass create=False: a missing file is an error rather than an
    empty database, so a typo in a cron job is not reported as "no data".
    """
    exists = path.exists()
    if not exists and not create:
        raise DatabaseError(
            f"database not found: {path} (check --db or PLEDGETRACK_DB; "
            "commands that record something create it)"
        )
    if exists and path.is_dir():
        raise DatabaseError(f"database path is a directory: {path}")
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"cannot create database folder {path.parent}: {exc.strerror}"
            ) from None
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate_error(exc, path, busy_timeout_s) from None
    import sqlite_utils  # here, not at the top: every command, --help too, would pay ~55 ms

    store = Store(sqlite_utils.Database(conn), path, actor, clock, busy_timeout_s)
    try:
        _prepare(store, fresh=not exists)
    except sqlite3.Error as exc:
        store.close()
        raise translate_error(exc, path, busy_timeout_s) from None
    except DatabaseError:
        store.close()
        raise
    if not exists:
        store.created = on_create or (lambda _path: None)
    return store


def _prepare(store: Store, *, fresh: bool) -> None:
    db = store.db
    db.execute("PRAGMA foreign_keys = ON")
    version = user_version(db)  # the first read: fails here if the file is not SQLite
    if version > LATEST_VERSION:
        raise DatabaseError(
            f"{store.path} has schema version {version}, newer than this pledgetrack "
            f"understands ({LATEST_VERSION}); upgrade pledgetrack"
        )
    if version == 0 and not fresh:
        foreign = set(db.table_names()) - OUR_TABLES
        if foreign:
            raise DatabaseError(
                f"{store.path} is an SQLite database but not a pledgetrack one "
                f"(it has tables such as {sorted(foreign)[0]!r})"
            )
    if db.journal_mode != "wal":
        db.enable_wal()
    if version < LATEST_VERSION:
        with store.write():
            migrate(db)


def translate_error(exc: sqlite3.Error, path: Path, timeout_s: float) -> DatabaseError:
    """One line that says what is wrong with the database file, for exit status 3."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"database {path} is locked by another process (waited {timeout_s:g}s); try again"
        )
    if "not a database" in text:
        return DatabaseError(f"{path} is not an SQLite database")
    if "malformed" in text or "corrupt" in text:
        return DatabaseError(f"database {path} is corrupt ({text}); restore it from a backup")
    if "readonly" in text or "read-only" in text:
        return DatabaseError(f"database {path} is read-only")
    if "unable to open" in text:
        return DatabaseError(f"cannot open database {path}")
    return DatabaseError(f"database error in {path}: {text}")
