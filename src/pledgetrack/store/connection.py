"""Opening the database: pragmas, schema version checks, and write transactions.

Every connection has foreign keys on, WAL journalling (readers never block the writer)
and a busy timeout, so a second writer from cron waits instead of failing. Writes take
`BEGIN IMMEDIATE`: the lock is claimed up front, where the busy timeout applies, rather
than at the first write, where SQLite would give up at once to avoid a deadlock.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pledgetrack.errors import DatabaseError, InputError, PledgetrackError, SystemRefusedError
from pledgetrack.store.migrations import LATEST_VERSION, migrate, user_version, version_problem
from pledgetrack.store.zones import misfit, record_zone, recorded_zone, unrecorded

if TYPE_CHECKING:
    import sqlite_utils

DEFAULT_BUSY_TIMEOUT_S = 10.0
OUR_TABLES = {"teams", "pledges", "actions", "changes"}


@dataclass
class Store:
    """An open pledgetrack database, who is using it, and what time it is.

    A store opened for writing on a path that does not exist yet is *pending*: it reads an
    empty database in memory, and the file appears only when the first write transaction
    commits (built beside the path, then linked into place). A command that fails creates
    nothing, so nothing ever has to be removed: removing a file another process may have
    written to meanwhile is how a failed command used to delete someone else's database.
    """

    conn: sqlite3.Connection
    path: Path
    actor: str
    clock: Callable[[], datetime]
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S
    pending: bool = False
    # called with the path once the command that created the file has succeeded
    on_create: Callable[[Path], None] | None = None
    created: bool = False
    read_only: bool = False  # opened by a user who may read the file but not write it
    # opened by a command that writes: only those upgrade an older schema (a read never writes)
    writes: bool = False
    # an older schema a reading command reads as it stands (`db info`, `backup`)
    reads_older: bool = False
    # the file's schema version before this command upgraded it, while the upgrade waits
    # for the command's first write to commit with it (None: nothing to upgrade)
    upgrade_from: int | None = None
    # called with the path and the old and new versions once an upgrade has committed
    on_upgrade: Callable[[Path, int, int], None] | None = None
    note: str | None = None  # what the command should tell the user about how it opened
    # the officer's name as the user gave it (--officer, PLEDGETRACK_OFFICER), unverified;
    # `actor` is the operating-system account, which the user cannot choose
    officer: str | None = None
    # the time zone this command reads, writes and shows times in (`Europe/London`): what a
    # new or upgraded file records, and what a file that records another is refused for
    # (store.zones); None: neither
    zone: str | None = None
    _utils: sqlite_utils.Database | None = field(default=None, init=False, repr=False)

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, built on first use: for what it adds
        (creating tables, migrations, table helpers). Its import costs about 50 ms, which a
        command that reads or writes a row or two (`log`) need not pay; those use `conn`."""
        if self._utils is None or self._utils.conn is not self.conn:
            import sqlite_utils

            self._utils = sqlite_utils.Database(self.conn)
        return self._utils

    def query(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> Iterator[dict[str, Any]]:
        """Rows as dicts keyed by column name (what sqlite-utils' `query` gives)."""
        cursor = self.conn.execute(sql, params)
        keys = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Insert one row into one of our tables; returns its rowid. Table and column names
        are ours (never user input); the values are bound."""
        columns = ", ".join(f"[{name}]" for name in row)
        marks = ", ".join("?" for _ in row)
        sql = f"INSERT INTO [{table}] ({columns}) VALUES ({marks})"  # noqa: S608  # our names
        cursor = self.conn.execute(sql, list(row.values()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    @contextmanager
    def write(self) -> Iterator[None]:
        """One all-or-nothing write transaction (nested calls join the outer one)."""
        if self.upgrade_from is not None:
            with self._upgrading():
                yield
        elif self.conn.in_transaction:
            yield
        elif not self.pending:
            with _transaction(self):
                yield
        else:
            with _creating(self.path.parent, self.busy_timeout_s):
                if self.path.exists():  # another process made it while we were reading
                    self._reopen()
                    with self._upgrading() if self.upgrade_from is not None else _transaction(self):
                        yield
                else:
                    with self._first_write():
                        yield

    @contextmanager
    def _upgrading(self) -> Iterator[None]:
        """The command's first write, in the transaction the upgrade began at open: the two
        commit together, so a command that fails leaves the file at its old version."""
        old = self.upgrade_from
        assert old is not None
        self.upgrade_from = None  # writes nested inside join this transaction
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        _commit(self)
        _enable_wal(self.conn)
        if self.on_upgrade is not None:
            self.on_upgrade(self.path, old, LATEST_VERSION)

    @contextmanager
    def _first_write(self) -> Iterator[None]:
        """Run the first transaction in a private file, then link it into place."""
        import tempfile  # only to create a file: not on the path of every other command

        memory = self.conn
        _sweep_abandoned(self.path)
        try:  # owner-only (0600), as the database stays: it names officers
            fd, name = tempfile.mkstemp(
                prefix=f"{_part_prefix(self.path)}{os.getpid()}.",
                suffix=".part",
                dir=self.path.parent,
            )
        except OSError as exc:
            raise SystemRefusedError(
                f"cannot create database {self.path}: {_folder_refusal(self.path.parent, exc)}"
            ) from None
        os.close(fd)
        staged = Path(name)
        try:
            conn = _connect(staged, self.busy_timeout_s)
            memory.backup(conn)  # the empty schema, user_version included
            self.conn = conn
            _enable_wal(conn)
            with _transaction(self):
                yield
            self.conn.close()  # checkpoints: the staged file is complete on its own
            try:
                os.link(staged, self.path)
            except FileExistsError:
                raise DatabaseError(
                    f"{self.path} was created by another program while this command ran; "
                    "nothing was written: run the command again"
                ) from None
            except OSError as exc:
                raise SystemRefusedError(
                    f"cannot create database {self.path}: {exc.strerror}"
                ) from None
        except BaseException:
            if self.conn is not memory:
                self.conn.close()
            self.conn = memory  # still pending: the command saw and changed nothing on disk
            raise
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):  # our own, never shared
                Path(f"{staged}{suffix}").unlink(missing_ok=True)
        memory.close()
        self._reopen()
        self.created = True

    def _reopen(self) -> None:
        """Switch from the in-memory stand-in to the file at `path`."""
        self.conn.close()
        try:
            self.conn = _connect(self.path, self.busy_timeout_s)
            self.pending = False
            _prepare(self)
        except sqlite3.Error as exc:
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
        self.log_changes([(entity, key, op, old, new)])

    def log_changes(self, changes: Iterable[Change]) -> None:
        """The one audit-log writer: (entity, key, op, old, new) rows, stamped now with this
        account and officer, in one executemany (a bulk import passes a batch at once)."""
        self.log_encoded(
            (entity, key, op, change_json(old), change_json(new))
            for entity, key, op, old, new in changes
        )

    def log_encoded(self, changes: Iterable[EncodedChange]) -> None:
        """log_changes for entries whose old and new are already in change_json's form (a
        bulk import encodes its own, faster, to the same text)."""
        at, who, officer = self.now_text(), self.actor, self.officer
        self.conn.executemany(
            _CHANGE_INSERT,
            ((at, who, officer, *change) for change in changes),
        )

    def close(self) -> None:
        """Close; an upgrade no write has committed yet is rolled back with the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        """Close, and name this file in any SQLite error. A command that succeeded without
        writing (`db upgrade`, or a write command with nothing to do) commits its upgrade."""
        if self.upgrade_from is not None and exc is None:
            try:
                with self.write():
                    pass
            except BaseException:
                self.close()
                raise
        named = None
        if isinstance(exc, sqlite3.Error) and "decode" in str(exc):
            from pledgetrack.store.stored_text import refuse_undecodable  # only on failure

            named = refuse_undecodable(self, exc)  # the row a read met: its row and column
        self.close()
        if self.created and exc is None and self.on_create is not None:
            self.on_create(self.path)
        if named is not None:
            raise named from None
        if isinstance(exc, sqlite3.Error):
            raise translate_error(exc, self.path, self.busy_timeout_s) from None


@contextmanager
def _transaction(store: Store) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
    conn = store.conn
    _begin(store)
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    _commit(store)


def _begin(store: Store) -> None:
    """BEGIN IMMEDIATE: the write lock claimed up front, where the busy timeout applies."""
    try:
        store.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise translate_error(exc, store.path, store.busy_timeout_s) from None


def _commit(store: Store) -> None:
    """COMMIT, rolled back and named as the database's fault if SQLite cannot."""
    conn = store.conn
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate_error(exc, store.path, store.busy_timeout_s) from None


@contextmanager
def _creating(folder: Path, timeout_s: float) -> Iterator[None]:
    """Make the folder (owner-only) and hold a lock on it while a database is created there.

    Two pledgetrack processes creating the same new database then take turns: the second
    finds the first one's file and writes into it, rather than failing. The folders made
    here go again if the write fails (those still empty): like the file, they appear only
    with the first committed write.
    """
    made = _make_folders(folder)
    try:
        with _folder_lock(folder, timeout_s):
            yield
    except BaseException:
        for candidate in made:  # deepest first; a folder someone else filled meanwhile stays
            try:
                candidate.rmdir()
            except OSError:
                break
        raise


@contextmanager
def _folder_lock(folder: Path, timeout_s: float) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover  # Windows: the link's EEXIST check still holds
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DatabaseError(
                        f"database folder {folder} is locked by another process creating a "
                        f"database (waited {timeout_s:g}s); try again"
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # releases the lock


def _make_folders(folder: Path) -> list[Path]:
    """Create the missing folders owner-only (0700): the database inside names officers.
    Returns those it made, deepest first."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    try:
        for candidate in reversed(missing):
            candidate.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        said = f"cannot create database folder {folder}: {_folder_refusal(candidate.parent, exc)}"
        if exc.errno in _REFUSALS:  # the system's refusal, exit 74 as for the file
            raise SystemRefusedError(said) from None
        raise DatabaseError(said) from None  # a file where a folder should be
    return missing


# what the system says when it will not let this user write in a folder
_REFUSALS = (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT)


def _folder_refusal(folder: Path, exc: OSError) -> str:
    """Why a file cannot be made in `folder`, naming the folder where it is its mode or
    its file system (`Permission denied` alone did not say whose permission)."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"the folder {folder} is not writable for this user ({exc.strerror})"
    if exc.errno == errno.EROFS:
        return f"the file system holding {folder} is read-only"
    return str(exc.strerror or exc)


def _part_prefix(path: Path) -> str:
    """How a new database's staged file is named: `.NAME.PID.random.part`, hidden, and
    naming the process that made it, so that a later creator can tell it was abandoned."""
    return f".{path.name}."


def _sweep_abandoned(path: Path) -> None:
    """Remove staged files (and their -journal, -wal, -shm) left by a creator of `path`
    that was killed: the caller holds the folder lock, so no creator here is mid-write, and
    a file is removed only when the process its name carries no longer exists (a live
    process of that id, even another program's, keeps it)."""
    if os.name != "posix":  # pragma: no cover  # os.kill(pid, 0) would kill on Windows
        return
    # mkstemp's random part is letters, digits and _: `.k.db.5.PID.x.part` (database
    # `k.db.5`) is not one of `k.db`'s
    staged = re.compile(rf"{re.escape(_part_prefix(path))}(\d+)\.\w+\.part(-journal|-wal|-shm)?")
    for candidate in path.parent.iterdir():
        found = staged.fullmatch(candidate.name)
        if found is not None and not _alive(int(found[1])):
            candidate.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (EPERM), or anything else: keep its files
        return True
    return True


# One encoder, built once: json.dumps builds a new one per call when given options
_CHANGE_ENCODER = json.JSONEncoder(default=str, ensure_ascii=False, sort_keys=True)


# One audit entry: (entity, entity_key, op, old values, new values)
Change = tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]
# The same with old and new as change_json wrote them
EncodedChange = tuple[str, str, str, str | None, str | None]
_CHANGE_INSERT = (
    "INSERT INTO changes (at, who, officer, entity, entity_key, op, old, new) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def change_json(value: dict[str, Any] | None) -> str | None:
    """How the audit log stores old and new values."""
    if value is None:
        return None
    return _CHANGE_ENCODER.encode(value)


NEW_DATABASE = "team add creates a new one"  # how a missing database comes to be
# where a missing database's path came from; the CLI names it when it knows (cli.context)
CHECK_DB = "(check --db or PLEDGETRACK_DB)"


def open_store(
    path: Path,
    *,
    create: bool,
    actor: str,
    clock: Callable[[], datetime],
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    on_create: Callable[[Path], None] | None = None,
    officer: str | None = None,
    needs: str | None = None,
    writes: bool = False,
    reads_older: bool = False,
    on_upgrade: Callable[[Path, int, int], None] | None = None,
    zone: str | None = None,
) -> Store:
    """Open the database at `path`; a command that `writes` upgrades an older schema.

    create=False: a missing file is an error rather than an empty database, so a typo in a
    cron job is not reported as "no data" (nor "unknown pledge"). With create=True (the
    commands that can record a first team) a missing file gives a pending store (see
    Store): the file is made by the first write. `needs` ends the missing-file error: what
    the command needs (by default, that `team add` makes a new database).

    A read (writes=False) never writes: an older schema is refused, exit 3 naming `db
    upgrade`, unless the command `reads_older` as it stands. A write begins the upgrade in
    a transaction that its first write commits (see Store.write).

    `zone`, the zone the command works in, is recorded in a new or upgraded file; a file
    that records another is refused, exit 3 (store.zones).
    """
    exists = path.exists()
    if not exists and not create:
        raise DatabaseError(
            f"database not found: {path} {CHECK_DB}; {needs or NEW_DATABASE}"
        )
    if exists and path.is_dir():
        raise DatabaseError(f"database path is a directory: {path}")
    if exists and not create and path.stat().st_size == 0:
        # SQLite would take it as an empty database and a read would write the schema
        raise DatabaseError(f"{path} is an empty file (0 bytes), not a pledgetrack database")
    try:
        conn = _connect(path if exists else Path(":memory:"), busy_timeout_s)
    except sqlite3.Error as exc:
        raise translate_error(exc, path, busy_timeout_s) from None
    store = Store(
        conn,
        path,
        actor,
        clock,
        busy_timeout_s,
        pending=not exists,
        on_create=on_create,
        officer=officer,
        writes=writes or create,
        reads_older=reads_older,
        on_upgrade=on_upgrade,
        zone=zone,
    )
    try:
        _prepare(store)
    except sqlite3.Error as exc:
        store.close()
        if create or not _refused_writing(exc):
            raise translate_error(exc, path, busy_timeout_s) from None
        return _read_only(store)
    except DatabaseError:
        store.close()
        raise
    return store


def _refused_writing(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)


# How a reader who may not write opens the file, in order, and what it tells them
_READ_ONLY_OPENS = (
    ("mode=ro", "opened read-only"),
    (
        "mode=ro&immutable=1",
        "opened read-only as the file stands (changes still in its -wal file are not seen)",
    ),
)


def _read_only(store: Store) -> Store:
    """Open for reading a database this user may read but not write (another user's 0644
    file in a folder they cannot write): WAL needs a -shm file beside it, which they cannot
    create, so `mode=ro` may fail too; `immutable=1` then reads the file as it stands.
    The store's `note` says which, for the command to show on stderr."""
    uri = store.path.resolve().as_uri()
    failure: sqlite3.Error | None = None
    for query, note in _READ_ONLY_OPENS:
        try:
            conn = sqlite3.connect(
                f"{uri}?{query}", uri=True, timeout=store.busy_timeout_s, isolation_level=None
            )
        except sqlite3.Error as exc:
            failure = exc
            continue
        reader = replace(store, conn=conn, read_only=True)
        reader.note = f"{store.path}: this user may not write to it; {note}"
        try:
            _prepare(reader)
        except sqlite3.Error as exc:
            reader.close()
            failure = exc
            continue
        except (DatabaseError, SystemRefusedError):
            reader.close()
            raise
        return reader
    assert failure is not None
    raise translate_error(failure, store.path, store.busy_timeout_s) from None


def _connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)


def _enable_wal(conn: sqlite3.Connection) -> None:
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = wal")


def _prepare(store: Store) -> None:
    """Pragmas and the schema version: three cheap statements on plain sqlite3 when the
    file is current; sqlite-utils is loaded only when there are migrations to run."""
    conn = store.conn
    conn.execute("PRAGMA foreign_keys = ON")
    version = user_version(conn)  # the first read: fails here if the file is not SQLite
    if version > LATEST_VERSION:
        raise DatabaseError(
            f"{store.path} has schema version {version}, newer than this pledgetrack "
            f"understands ({LATEST_VERSION}); upgrade pledgetrack"
        )
    if version == 0 and not store.pending:
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )}  # fmt: skip
        foreign = tables - OUR_TABLES
        # ours, whatever else it holds, once it has our tables: a version another tool
        # reset to 0 is version_problem's to name, not "not a pledgetrack database"
        if foreign and not tables >= OUR_TABLES:
            raise DatabaseError(
                f"{store.path} is an SQLite database but not a pledgetrack one "
                f"(it has tables such as {sorted(foreign)[0]!r})"
            )
    if version < LATEST_VERSION and not store.pending:
        problem = version_problem(conn, version)
        if problem is not None:  # db upgrade cannot help: it would replay what is there
            said = (
                f"{store.path}: {problem} (another tool set it, or its first page is "
                "damaged); db upgrade cannot mend it: restore it from a backup"
            )
            if not store.reads_older or store.writes:
                raise DatabaseError(f"{said} (see: pledgetrack db check)")
            store.note = said  # db check lists it, db info shows the version
            return
    if store.pending:  # the empty database in memory: its schema costs no file
        with _transaction(store):
            migrate(store.db)
            if store.zone is not None:
                record_zone(conn, store.zone)
        return
    _check_zone(store)
    if not store.writes or store.read_only:
        if version < LATEST_VERSION:
            if store.writes and not store.reads_older:  # an upgrade this user cannot make
                raise SystemRefusedError(
                    f"cannot upgrade {store.path} from schema version {version} to "
                    f"{LATEST_VERSION}: {_who_can_upgrade(store.path)}"
                )
            upgrades = not store.read_only and may_write(store.path)
            if not store.reads_older:
                raise DatabaseError(older_schema(store.path, version, upgrades=upgrades))
            store.note = older_schema(store.path, version, upgrades=upgrades)
        return
    if version < LATEST_VERSION or (store.zone is not None and unrecorded(conn)):
        _begin_upgrade(store)  # WAL once the upgrade commits: a failed command changes nothing
    else:
        _enable_wal(conn)


def _check_zone(store: Store) -> None:
    """Refuse a file that records a zone other than the one this command works in: its
    local days and typed times would be another zone's (another command created or
    upgraded it meanwhile, or a command reading several databases met one of another
    zone). The command's context chose its zone from the file's, so it does not meet one
    otherwise."""
    if store.zone is None:
        return
    recorded = recorded_zone(store.conn)
    if recorded is not None and recorded != store.zone:
        raise DatabaseError(
            f"{store.path} keeps its times in {recorded}, not {store.zone}, the zone this "
            f"command works in; nothing was written: run it again (a command reading "
            f"several databases: with PLEDGETRACK_TZ={recorded})"
        )


def older_schema(path: Path, version: int, *, upgrades: bool = True) -> str:
    """What a read says of a file an earlier release wrote: how to upgrade it, or, to a
    user who may not write it (`upgrades` False), who can, since they cannot."""
    said = f"{path} has schema version {version}, this release writes {LATEST_VERSION}: "
    if upgrades:
        return said + (
            "run `pledgetrack db upgrade` (its owner, once; a command that records "
            "something upgrades it too)"
        )
    return said + f"this user cannot upgrade it: {_who_can_upgrade(path)}"


# what a reader who cannot upgrade a file can always do, whoever owns it, wherever it is
_COPY = "copy the file somewhere writable and upgrade the copy (`pledgetrack --db COPY db upgrade`)"


def _who_can_upgrade(path: Path) -> str:
    """What stops this user upgrading the file, and who can: on a read-only file system no
    one (its owner, root or the user themself, was named); another account's file, its
    owner; this user's own, they, once they may write it. A copy always can."""
    why = unwritable(path) or "the file is read-only for this user"
    if why.startswith("the file system"):
        return f"{why}; {_COPY}"
    try:
        theirs = path.stat().st_uid != os.geteuid()
    except OSError:
        theirs = False
    if theirs:
        return (
            f"{why}; ask its owner ({owner(path)}) to run `pledgetrack db upgrade`, or "
            f"{_COPY}"
        )
    if why.startswith("the file "):
        return f"{why}, who owns it: `chmod u+w {path}` and upgrade it, or {_COPY}"
    return f"{why}; upgrade it where it can be written, or {_COPY}"


def may_write(path: Path) -> bool:
    """Whether this user could upgrade the file: write it, and create the journal beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def owner(path: Path) -> str:
    """The account that owns the file, by name (its number if it has none)."""
    import pwd

    uid = path.stat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user {uid}"


def _unindexable(store: Store) -> DatabaseError:
    """An index over the stored times (schema 10) cannot be built: SQLite refuses a text
    such as `now` there. Name the rows, which `db check` lists too."""
    from pledgetrack.store.stored_times import problems, stored_form  # only on this failure

    found = problems(store, 1, mend=False)
    first = found[0].lines[0] if found else "a stored time is not a time"
    what = first.removeprefix("stored time: ")
    return DatabaseError(  # no command can void it before the upgrade: the cell is mended
        f"cannot upgrade {store.path}: {what}; write the cell as stored, like "
        f"{stored_form()} (see: pledgetrack db check)"
    )


def _begin_upgrade(store: Store) -> None:
    """Take the write lock and migrate, leaving the transaction open for the command's
    first write to commit (or its failure to roll back). The version is read again under
    the lock: another process may have upgraded the file since."""
    conn = store.conn
    _begin(store)
    try:
        old = user_version(conn)
        migrate(store.db)
        records = store.zone is not None and recorded_zone(conn) is None
        if store.zone is not None and records:
            _refuse_misfit(store, store.zone)
            record_zone(conn, store.zone)
        _check_zone(store)  # another process may have upgraded it, in its own zone
    except sqlite3.OperationalError as exc:
        conn.execute("ROLLBACK")
        if "non-deterministic" not in str(exc):
            raise
        raise _unindexable(store) from None
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    if old < LATEST_VERSION or records:  # a file at schema 13 whose zone row was deleted
        store.upgrade_from = old
    else:
        conn.execute("ROLLBACK")  # upgraded by another process meanwhile: nothing to do
        _enable_wal(conn)


def _refuse_misfit(store: Store, zone: str) -> None:
    """Refuse to record `zone` for a file whose stored offsets say its times were written
    in another (exit 2, nothing written): whoever upgrades first would otherwise decide,
    from their own environment, the wall clock of every later command on it."""
    found = misfit(store.conn, zone)
    if found is None:
        return
    from pledgetrack.environment import DEFAULT_TZ  # the zone most files are in

    column, row, text, then = found
    fits = DEFAULT_TZ if misfit(store.conn, DEFAULT_TZ) is None else "ZONE"
    raise InputError(
        f"{store.path}'s times were not written in {zone}, the zone this command works in: "
        f"{column} of row {row} is {text}, and {zone} was {then} then; nothing was "
        f"written. Record the zone they were written in: PLEDGETRACK_TZ={fits} "
        f"pledgetrack --db {store.path} db upgrade",
        field="timezone",
    )


# SQLite's primary result codes for "the operating system refused": exit 74, not 3
_SYSTEM_REFUSED = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_IOERR: "disk I/O error",
    sqlite3.SQLITE_READONLY: "read-only for this user or file system",
    sqlite3.SQLITE_CANTOPEN: "the system refused to open it",
}
# the I/O errors met reading, not writing (a file-size limit or a full disk is a write's)
_READS = (sqlite3.SQLITE_IOERR_READ, sqlite3.SQLITE_IOERR_SHORT_READ)
# free space below which an I/O error is taken to be the disk filling up
_NEARLY_FULL = 1024 * 1024


def system_refusal(exc: sqlite3.Error, path: Path | None = None) -> str | None:
    """What the system refused, in words (`the disk is full`), or None: not the system.
    With the `path` SQLite was writing, why, where the system can tell: SQLite says only
    "disk I/O error" or "readonly database" (`_why`)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    words = _SYSTEM_REFUSED.get(code & 0xFF)
    if words is None or path is None:
        return words
    return _why(int(code), path) or words


def unwritable(path: Path) -> str | None:
    """Why this user cannot write the database at `path`, as they can act on it: its file
    system is read-only (no one can, its owner included), the file is read-only, or its
    folder is not writable (SQLite writes the -wal, -shm and journal beside it). None:
    none of these."""
    folder = path.parent
    try:
        read_only_fs = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only_fs = False
    if read_only_fs:
        return f"the file system holding {folder} is read-only"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only for this user"
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return (
            f"the folder {folder} is not writable for this user (SQLite writes the "
            "database's -wal and -shm files beside it)"
        )
    return None


def _why(code: int, path: Path) -> str | None:
    """The system's reason for refusing SQLite's I/O on `path`, as its user can act on it:
    a file-size limit (`ulimit -f`, which SQLite meets as an I/O error), a disk nearly
    full, a read-only file system, file or folder (SQLite writes its -wal and -shm beside
    the database). None: nothing the system says explains it."""
    import resource

    folder = path.parent
    primary = code & 0xFF
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
        return unwritable(path)
    if code in _READS:
        return None
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY:
        return (
            f"the system refused to write it: files may be at most {_bytes(limit)} here "
            "(ulimit -f)"
        )
    try:
        stats = os.statvfs(folder)
    except OSError:
        return None
    free = stats.f_bavail * stats.f_frsize
    if free < _NEARLY_FULL:
        return f"the disk is full ({_bytes(free)} free in {folder})"
    return None


def _bytes(n: int) -> str:
    """`100 KiB`, `2.5 MiB`: a size as `ls -lh` and ulimit speak of it."""
    size, unit = float(n), "bytes"
    for bigger in ("KiB", "MiB", "GiB", "TiB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    if unit == "bytes":
        return f"{n:,} bytes"
    return f"{size:.1f}".removesuffix(".0") + f" {unit}" if size < 10 else f"{size:.0f} {unit}"


def translate_error(exc: sqlite3.Error, path: Path, timeout_s: float) -> PledgetrackError:
    """One line that says what is wrong with the database file: exit 3, or 74 when the
    system refused the I/O (disk full, I/O error, permission), the rule for every target,
    saying why where the system can tell (`system_refusal`)."""
    text = str(exc)
    refused = system_refusal(exc, path)
    if refused is not None:
        code = getattr(exc, "sqlite_errorcode", 0)
        told = refused not in _SYSTEM_REFUSED.values()  # the system said why: a write's
        verb = "read" if code in _READS else "write" if told else "read or write"
        return SystemRefusedError(f"cannot {verb} database {path}: {refused}")
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"database {path} is locked by another process (waited {timeout_s:g}s); try again"
        )
    if "not a database" in text:
        return DatabaseError(f"{path} is not an SQLite database")
    if "malformed" in text or "corrupt" in text:
        return DatabaseError(f"database {path} is corrupt ({text}); restore it from a backup")
    return DatabaseError(f"database error in {path}: {text}")
