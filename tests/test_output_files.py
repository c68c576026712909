"""`-o FILE` and `backup DEST`: never onto what the command reads, devices written through,
private by default, and the system refusing a write is exit 74 (issue 8, items 3, 10, 13)."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import invoke
from helpers import Run, add_weekly_patrols, assert_error, contents, fails, ok
from pledgetrack.atomicfile import STAGING_EXTRA
from pledgetrack.environment import Environment
from pledgetrack.exitcodes import ExitCode
from pledgetrack.store import connection

READ = "which this command reads; choose another file"


@pytest.fixture
def logged(cli: Run, team: str) -> Run:
    add_weekly_patrols(cli, team)
    ok(cli("log", "CW01-L1", "Foot patrol", "--when", "03/10/2008 19:30"))
    return cli


@pytest.mark.parametrize("companion", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("command", [("export", "actions"), ("export", "summary")])
def test_export_never_writes_over_its_own_database(
    logged: Run, db: Path, companion: str, command: tuple[str, ...]
) -> None:
    target = Path(f"{db}{companion}")
    before = target.read_bytes() if target.exists() else None
    message = fails(logged, db, *command, "-o", str(target))
    what = str(db) if not companion else f"the {companion[1:]} file of {db}"
    assert message == f"cannot write {target}: it is {what}, {READ}"
    assert (target.read_bytes() if target.exists() else None) == before


def test_the_database_is_recognised_by_inode_not_by_name(
    logged: Run, db: Path, tmp_path: Path
) -> None:
    link = tmp_path / "elsewhere" / "alias.db"
    link.parent.mkdir()
    os.link(db, link)
    symlink = tmp_path / "sym.db"
    symlink.symlink_to(db)
    dotted = db.parent / "." / db.name
    for name in (link, symlink, dotted):
        message = fails(logged, db, "export", "actions", "-o", str(name))
        assert message.endswith(f"it is {db}, {READ}")
    assert db.stat().st_nlink == 2  # still the database, not a CSV


def test_rollup_never_writes_over_one_of_its_inputs(logged: Run, db: Path, tmp_path: Path) -> None:
    exported = tmp_path / "summary.csv"
    ok(logged("export", "summary", "--period", "2008-10", "-o", str(exported)))
    for target in (db, exported):
        before = target.read_bytes()
        message = fails(
            logged, db, "rollup", str(db), str(exported), "--period", "2008-10", "-o", str(target)
        )
        assert message == f"cannot write {target}: it is {target}, {READ}"
        assert target.read_bytes() == before


def test_backup_never_writes_over_the_database(logged: Run, db: Path, tmp_path: Path) -> None:
    symlink = tmp_path / "sym.db"
    symlink.symlink_to(db)
    message = fails(logged, db, "backup", str(symlink), "--yes")
    assert message == f"cannot write {symlink}: it is {db}, {READ}"


@pytest.mark.parametrize(
    "command",
    [("export", "actions"), ("export", "summary", "-p", "2008-10"), ("report", "hq"),
     ("report", "update", "CW01", "-f", "html"), ("rollup", "{db}", "-p", "2008-10")],
)
def test_o_never_replaces_another_database(
    logged: Run, db: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """`-o cw01.db` typed for `--db cw01.db`, a backup or another team's file: each was
    replaced by CSV or HTML without a word. Nothing -o writes is a database; backup,
    which writes one, still replaces an older backup with --yes."""
    other = tmp_path / "other.db"
    ok(logged("backup", str(other)))
    before = other.read_bytes()
    args = [a.format(db=db) for a in command]
    message = fails(logged, db, *args, "-o", str(other))
    assert message == (
        f"cannot write {other}: it is an SQLite database (a team's file, a backup?), and -o "
        "writes a report or an export; choose another file"
    )
    assert other.read_bytes() == before
    text = tmp_path / "not-a-db.db"  # the name alone is no database: written
    text.write_bytes(b"SQLite format 3")  # 15 bytes: the header is 16
    ok(logged(*args, "-o", str(text)))
    ok(logged("backup", str(other), "--yes"))


def _teams_in(path: Path) -> list[tuple[str]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT code FROM teams").fetchall()
    finally:
        conn.close()


def test_a_backup_onto_a_symlink_replaces_its_target_and_keeps_the_link(
    logged: Run, db: Path, tmp_path: Path
) -> None:
    """`latest.db -> pt-2008-10-31.db`, as for `-o`: the link stays (ATTACK4 A4: it was
    replaced by a file, and its target left as it was); only with --yes, as any file."""
    real = tmp_path / "pt-2008-10-31.db"
    real.write_bytes(b"the earlier backup")
    link = tmp_path / "latest.db"
    link.symlink_to(real.name)
    message = fails(logged, db, "backup", str(link))
    assert message == f"{link} exists; pass --yes to replace it"
    assert ok(logged("backup", str(link), "--yes")).stderr == f"backed up {db} to {link}\n"
    assert link.is_symlink() and link.readlink() == Path(real.name)
    assert _teams_in(real) == [("CW01",)]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    # a link to a file not there yet makes it, in the link's target folder
    fresh = tmp_path / "fresh.db"
    fresh.symlink_to("made.db")
    ok(logged("backup", str(fresh)))
    assert fresh.is_symlink() and _teams_in(tmp_path / "made.db") == [("CW01",)]


def test_a_backup_onto_what_is_not_a_file_is_refused(
    logged: Run, db: Path, tmp_path: Path
) -> None:
    """A folder, a FIFO (renamed over, it was gone), a link to a folder that is not
    there: exit 2, nothing written, nothing replaced."""
    folder = tmp_path / "backups"
    folder.mkdir()
    message = fails(logged, db, "backup", str(folder), "--yes")
    assert message == f"cannot write {folder}: Is a directory"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    message = fails(logged, db, "backup", str(fifo), "--yes")
    said = "not a regular file (a backup is a database file)"
    assert message == f"cannot write backup {fifo}: {said}"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    dangling = tmp_path / "gone.db"
    dangling.symlink_to(tmp_path / "no-such-folder" / "x.db")
    message = fails(logged, db, "backup", str(dangling))
    assert message == f"cannot write {dangling}: No such file or directory"
    assert dangling.is_symlink()


def test_an_export_is_private_unless_the_file_already_exists(logged: Run, tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    ok(logged("export", "actions", "-o", str(new)))
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    shared = tmp_path / "shared.csv"
    shared.write_text("old\n")
    shared.chmod(0o644)
    ok(logged("export", "actions", "-o", str(shared)))
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644
    assert shared.read_text().startswith("id,team,pledge")


def test_a_symlinked_output_keeps_its_link(logged: Run, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    ok(logged("export", "actions", "-o", str(link)))
    assert link.is_symlink()
    assert real.read_text().startswith("id,team,pledge")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_written_through_not_replaced(logged: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    result = ok(logged("export", "actions", "-o", str(fifo)))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith("id,team,pledge")
    assert result.stderr == f"wrote 1 row to {fifo}\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_character_device_is_written_through(logged: Run) -> None:
    devnull = Path(os.devnull)
    before = devnull.stat()
    ok(logged("export", "actions", "-o", os.devnull))
    after = devnull.stat()
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_under_o_is_exit_74(logged: Run, db: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pledgetrack",
            "--db",
            str(db),
            "export",
            "actions",
            "-o",
            "/dev/full",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (ExitCode.IO, "")
    assert result.stderr == "error: cannot write /dev/full: No space left on device\n"


def test_the_database_disk_full_is_exit_74_and_writes_nothing(
    logged: Run, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's max_page_count gives the error a full disk gives (SQLITE_FULL)."""
    real = connection._connect

    def no_room(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
        conn = real(path, busy_timeout_s)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {int(pages)}")
        return conn

    monkeypatch.setattr(connection, "_connect", no_room)
    message = fails(logged, db, "log", "CW01-L1", "x" * 100_000, code=ExitCode.IO)
    assert message == f"cannot read or write database {db}: the disk is full"


def test_a_backup_onto_a_full_disk_names_the_backup_not_the_database(
    logged: Run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy's disk was full, and the message blamed the live database ("cannot read
    or write database ..."), inviting a restore of a healthy file. SQLite's max_page_count
    on the copy gives the error a full disk gives; the earlier backup is kept."""
    from pledgetrack.store import backup

    dest = tmp_path / "nightly.db"
    dest.write_bytes(b"the earlier backup")
    real = sqlite3.connect

    def no_room(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real(path, *args, **kwargs)  # type: ignore[arg-type]
        if Path(str(path)).parent == tmp_path:
            conn.execute("PRAGMA max_page_count = 1")
        return conn

    monkeypatch.setattr(backup.sqlite3, "connect", no_room)
    message = fails(logged, db, "backup", str(dest), "--yes", code=ExitCode.IO)
    assert message == f"cannot write backup {dest}: the disk is full"
    assert dest.read_bytes() == b"the earlier backup"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("nightly")) == [
        "nightly.db"
    ]


def _with_small_files(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command on `db` in a process whose files may be at most 64 KiB."""
    return subprocess.run(
        [sys.executable, "-m", "pledgetrack", "--db", str(db), *args],
        capture_output=True, text=True, check=False, preexec_fn=_small_files,
    )  # fmt: skip


def _small_files() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_backup_past_the_file_size_limit_names_the_backup(
    logged: Run, db: Path, tmp_path: Path
) -> None:
    """`ulimit -f`: the copy's write fails (SQLITE_IOERR_WRITE), not the database's."""
    _big_database(db, 1_000)
    dest = tmp_path / "ul.db"
    result = _with_small_files(db, "backup", str(dest))
    assert (result.returncode, result.stdout) == (ExitCode.IO, "")
    assert result.stderr == (
        f"error: cannot write backup {dest}: the system refused to write it: files may be "
        "at most 64 KiB here (ulimit -f)\n"
    )
    assert not dest.exists()


def test_an_import_past_the_file_size_limit_says_so_and_changes_nothing(
    logged: Run, db: Path, tmp_path: Path
) -> None:
    """`ulimit -f` (or a quota) under an import: SQLite says only "disk I/O error"; the
    line says the system refused the write and why, exit 74, and the file is as it was
    (ATTACK4 A5)."""
    rows = tmp_path / "big.csv"
    lines = ["team,pledge,when,description,kind"] + [
        f"CW01,CW01-L1,2008-10-{i % 15 + 1:02d}T10:{i % 60:02d}:00+01:00,Patrol {i} of many,patrol"
        for i in range(5_000)
    ]
    rows.write_text("\n".join(lines) + "\n")
    before = contents(db)
    result = _with_small_files(db, "import", "actions", str(rows))
    assert (result.returncode, result.stdout) == (ExitCode.IO, "")
    assert result.stderr == (
        f"error: cannot write database {db}: the system refused to write it: files may be "
        "at most 64 KiB here (ulimit -f)\n"
    )
    assert contents(db) == before
    ok(logged("import", "actions", str(rows)))  # the limit gone, the same file goes in


def _big_database(db: Path, rows: int) -> None:
    """A database with `rows` actions, inserted directly: set-up, not the thing tested."""
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO actions (team_id, pledge_id, occurred_at, description, abstracted, "
            "created_at) VALUES (1, 1, '2008-10-03T19:30:00+01:00', ?, 0, '2008-10-16')",
            ((f"patrol {i} " + "x" * 200,) for i in range(rows)),
        )
    conn.close()


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("signum", "says"),
    [
        (signal.SIGTERM, "error: terminated\n"),
        (signal.SIGINT, "error: interrupted\n"),  # was nothing: Typer's silent 130
        (signal.SIGHUP, "error: hung up\n"),  # was 129, its .part file left behind
        (signal.SIGKILL, ""),  # cannot be caught: the next write removes the staging file
    ],
)
def test_a_signal_mid_export_leaves_no_part_file(
    logged: Run, db: Path, tmp_path: Path, signum: int, says: str
) -> None:
    _big_database(db, 60_000)
    out = tmp_path / "hq"
    out.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pledgetrack",
            "--db",
            str(db),
            "export",
            "actions",
            "-o",
            str(out / "actions.csv"),
        ],
        stderr=subprocess.PIPE,
        text=True,
        # a suite started as a background job (CI, nohup) hands SIGINT on ignored, and an
        # ignored SIGINT is rightly left ignored by Python: give the child a terminal's Ctrl-C
        preexec_fn=_interruptible,
    )
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 10_000 for p in out.iterdir() if p.is_file()):
        assert proc.poll() is None and time.monotonic() < deadline, "export ended too soon"
        time.sleep(0.01)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (-signum if signum == signal.SIGKILL else 128 + signum), err
    assert err == says
    if signum == signal.SIGKILL:
        (left,) = out.iterdir()
        assert re.fullmatch(rf"\.actions\.csv\.{proc.pid}\.[a-z0-9_]{{8}}\.part", left.name)
        # one whose writer is alive (this test's process) is not touched
        alive = out / f".actions.csv.{os.getpid()}.abcd1234.part"
        alive.write_text("")
        ok(logged("export", "actions", "-o", str(out / "actions.csv")))
        assert sorted(p.name for p in out.iterdir()) == sorted(["actions.csv", alive.name])
        return
    assert list(out.iterdir()) == []


def test_a_redacted_export_drops_names_and_free_text_and_keeps_the_rest(
    logged: Run, tmp_path: Path
) -> None:
    ok(logged("log", "CW01-L1", "Spoke to Mrs Smith at 4 Elm Rd", "--officer", "PC Jones"))
    ok(logged("void", "1", "--reason", "Mr Brown's address was wrong"))
    full = rows_of(ok(logged("export", "actions", "--include-void")).stdout)
    redacted = rows_of(ok(logged("export", "actions", "--include-void", "--redact")).stdout)
    assert len(redacted) == len(full) == 2
    for whole, shared in zip(full, redacted, strict=True):
        for column, value in whole.items():
            expected = "" if column in ("description", "officer", "void_reason") else value
            assert shared[column] == expected, column
    assert full[0]["void_reason"] == "Mr Brown's address was wrong"
    for name in ("Smith", "Jones", "Brown"):
        assert name not in str(redacted)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_dash_means_stdout(logged: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = ok(logged("export", "actions", "-o", "-"))
    assert result.stdout.startswith("id,team,pledge")
    assert result.stderr == ""  # no "wrote 1 row to -"
    assert not (tmp_path / "-").exists()


def test_an_empty_output_path_is_refused_as_empty(logged: Run, db: Path) -> None:
    fails(
        logged,
        db,
        "export",
        "actions",
        "-o",
        "",
        text="--output: the path is empty (give a file name, or - for stdout)",
    )


@pytest.mark.parametrize(
    "command", [("team", "list"), ("log", "CW01-L1", "Patrol"), ("db", "check")]
)
def test_an_empty_database_path_is_refused_as_empty(
    env: Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    """`--db ""` is a mistake, not the current folder: exit 2 before anything is opened."""
    monkeypatch.chdir(tmp_path)
    result = invoke(["--db", "", *command], env)
    assert_error(result, ExitCode.USAGE, "--db: the path is empty (give a file name)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


@pytest.mark.parametrize(
    "command", [("team", "add", "ZZ01", "--name", "Z"), ("team", "list"), ("backup", "b.db")]
)
def test_sqlites_in_memory_name_is_no_database_path(
    env: Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    """ATTACK4 A4: `--db :memory:` wrote a file `./:memory:` (`team add` said created) while
    every read opened an empty database in memory, and backup copied that, exit 0."""
    monkeypatch.chdir(tmp_path)
    said = ("':memory:' is SQLite's database in memory, where nothing is kept; give a "
            "file's path")  # fmt: skip
    assert_error(invoke(["--db", ":memory:", *command], env), ExitCode.USAGE, f"--db: {said}")
    variable = dataclasses.replace(env, vars={"PLEDGETRACK_DB": ":memory:"})
    assert_error(invoke(list(command), variable), ExitCode.USAGE, f"PLEDGETRACK_DB: {said}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


PLEDGETRACK = [sys.executable, "-m", "pledgetrack"]


def _export_to_dev_stdout(db: Path, close_after_one_line: bool) -> tuple[int, str, str]:
    proc = subprocess.Popen(
        [*PLEDGETRACK, "--db", str(db), "export", "actions", "-o", "/dev/stdout"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    if close_after_one_line:
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        return proc.wait(timeout=60), first, err
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_dev_stdout_is_written_through_when_stdout_is_a_pipe(logged: Run, db: Path) -> None:
    # /dev/stdout resolves to /proc/self/fd/1 and on to `pipe:[N]`, which cannot be opened
    code, out, err = _export_to_dev_stdout(db, close_after_one_line=False)
    assert (code, out.splitlines()[0][:15]) == (0, "id,team,pledge,"), err
    assert err == "wrote 1 row to /dev/stdout\n"


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_dev_stdout_closed_by_its_reader_is_not_a_failure(logged: Run, db: Path) -> None:
    _big_database(db, 20_000)  # more than a pipe holds, so the writer meets the closed end
    code, first, err = _export_to_dev_stdout(db, close_after_one_line=True)
    assert (code, err, first[:15]) == (0, "", "id,team,pledge,")


# -- the format from -o FILE's extension (cli/groups.output_format) ----------------------


@pytest.mark.parametrize(
    ("args", "name", "starts"),
    [
        (("export", "summary", "-p", "2008-10"), "s.json", "[\n{"),
        (("export", "summary", "-p", "2008-10"), "s.JSONL", '{"force"'),
        (("export", "summary", "-p", "2008-10"), "s.txt", "force,team,"),  # unknown: csv
        (("export", "actions"), "a.ndjson", '{"id"'),
        (("report", "update", "CW01", "-p", "2008-10", "--as-of", "2008-11-01"), "u.html",
         "<!DOCTYPE html>"),
        (("report", "update", "CW01", "-p", "2008-10", "--as-of", "2008-11-01"), "u.txt",
         "Castle Ward"),
        (("report", "hq", "-p", "2008-10"), "hq.md", "# Policing Pledge"),
        (("report", "hq", "-p", "2008-10"), "hq.htm", "<!DOCTYPE html>"),
        (("rollup", "{db}", "-p", "2008-10"), "r.json", "[\n{"),
    ],
)  # fmt: skip
def test_o_files_extension_gives_the_format(
    logged: Run, db: Path, tmp_path: Path, args: tuple[str, ...], name: str, starts: str
) -> None:
    out = tmp_path / name
    ok(logged(*(a.replace("{db}", str(db)) for a in args), "-o", str(out)))
    assert out.read_text(encoding="utf-8").startswith(starts)


def test_o_and_format_that_disagree_are_refused(logged: Run, db: Path, tmp_path: Path) -> None:
    for args, name, fmt in [
        (("export", "summary", "-p", "2008-10"), "s.json", "csv"),
        (("report", "update", "CW01"), "u.html", "md"),
        (("report", "hq"), "hq.md", "html"),
    ]:
        out = tmp_path / name
        fails(logged, db, *args, "-o", str(out), "--format", fmt,
              text=f"-o {out} names a .{out.suffix[1:]} file but --format is {fmt}: give one, "
              "or make them agree")  # fmt: skip
        assert not out.exists()
    agreed = tmp_path / "s.json"  # both given and agreeing: as asked
    ok(logged("export", "summary", "-p", "2008-10", "-o", str(agreed), "--format", "json"))
    assert agreed.read_text(encoding="utf-8").startswith("[")


def test_a_spreadsheet_extension_we_do_not_write_is_refused(
    logged: Run, db: Path, tmp_path: Path
) -> None:
    """`-o x.xlsm` wrote CSV into a file named so, which the spreadsheet then refused to
    open: refused before any work, naming what is written, and the workbook we do write;
    with --format too. (Exports write .xlsx: tests/test_spreadsheet_files.py.)"""
    written = ".csv, .json, .jsonl or .xlsx"
    for args, name, extra in [
        (("export", "summary", "-p", "2008-10"), "s.xlsm", ()),
        (("export", "actions"), "a.XLS", ("--format", "csv")),
        (("rollup", str(db)), "r.ods", ()),
    ]:
        out = tmp_path / name
        suffix = out.suffix[1:].lower()
        fails(logged, db, *args, "-o", str(out), *extra,
              text=f"-o {out}: pledgetrack does not write .{suffix} files; it writes {written} "
              "(a spreadsheet opens .xlsx)")  # fmt: skip
        assert not out.exists()
    out = tmp_path / "u.xlsx"
    fails(logged, db, "report", "update", "CW01", "-o", str(out),
          text=f"-o {out}: pledgetrack does not write .xlsx files; it writes .md, .html "
          "or .txt")  # fmt: skip


def test_a_document_extension_we_do_not_write_is_refused(
    logged: Run, db: Path, tmp_path: Path
) -> None:
    """`report update -o update.pdf` wrote Markdown under a PDF's name, exit 0 (FRESH2
    G20): refused before any work with what is written and how to get a PDF; `.text` is
    plain text, as its name says."""
    for args, name, extra, written, opens in [
        (("report", "update", "CW01"), "u.pdf", (), ".md, .html or .txt",
         " (for a PDF, write .html and print it to PDF from a browser)"),
        (("report", "hq"), "h.PDF", ("--format", "html"), ".html or .md",
         " (for a PDF, write .html and print it to PDF from a browser)"),
        (("report", "update", "CW01"), "u.docx", (), ".md, .html or .txt",
         " (a word processor opens .html)"),
        (("report", "hq"), "h.rtf", (), ".html or .md", " (a word processor opens .html)"),
        (("export", "summary", "-p", "2008-10"), "s.pdf", (), ".csv, .json, .jsonl or .xlsx", ""),
    ]:  # fmt: skip
        out = tmp_path / name
        suffix = out.suffix[1:].lower()
        fails(logged, db, *args, "-o", str(out), *extra,
              text=f"-o {out}: pledgetrack does not write .{suffix} files; it writes {written}"
              f"{opens}")  # fmt: skip
        assert not out.exists()
    text = tmp_path / "u.text"
    ok(logged("report", "update", "CW01", "-o", str(text)))
    assert text.read_text(encoding="utf-8").startswith("Castle Ward: You said, we did")
    assert "#" not in text.read_text(encoding="utf-8")  # not Markdown
    fails(logged, db, "report", "update", "CW01", "-o", str(text), "--format", "md",
          text=f"-o {text} names a .text file but --format is md: give one, or make them "
          "agree")  # fmt: skip


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs /proc")
def test_an_existing_file_whose_folder_takes_no_new_file_is_named(logged: Run) -> None:
    """The errno is the staging file's (beside it), not the target's: the message says so."""
    result = logged("export", "summary", "-p", "2008-10", "-o", "/proc/version")
    assert result.exit_code == ExitCode.IO
    assert result.stderr == (
        "error: cannot write /proc/version: cannot create a file beside it in /proc "
        "(No such file or directory)\n"
    )


# -- -o names that are slips: white space at an end, a folder's /, too long (ATTACK4 A14) ---


@pytest.mark.parametrize("name", ["x.json ", " x.json", "x.json\t"])
def test_o_with_white_space_at_an_end_is_refused(
    logged: Run, db: Path, tmp_path: Path, name: str
) -> None:
    """`-o "x.json "` wrote CSV into a file named `x.json `, exit 0."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / name
    message = fails(logged, db, "export", "teams", "-o", str(out))
    assert message == (f"-o {str(out)!r}: the file name starts or ends with white space; give "
                       f"it without ('x.json')")  # fmt: skip
    assert list(folder.iterdir()) == []


def test_o_ending_in_a_slash_names_a_folder_and_is_refused(
    logged: Run, db: Path, tmp_path: Path
) -> None:
    """`-o x.csv/` wrote the file x.csv: a trailing / means a folder."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = f"{folder}/x.csv/"
    fails(logged, db, "export", "teams", "-o", out,
          text=f"-o {out}: ends with /, which names a folder; give a file's name "
          f"(e.g. {folder}/x.csv/summary.csv)")  # fmt: skip
    assert list(folder.iterdir()) == []


def test_the_longest_o_name_is_written_and_one_byte_more_refused(
    logged: Run, db: Path, tmp_path: Path
) -> None:
    """A name too long was exit 74, "the system refusing"; the user typed it (exit 2). The
    longest is what leaves room for the staging file beside it (`.NAME.PID.XXXX.part`)."""
    folder = tmp_path / "out"
    folder.mkdir()
    longest = os.pathconf(folder, "PC_NAME_MAX") - STAGING_EXTRA
    fits = folder / ("a" * (longest - 4) + ".csv")
    ok(logged("export", "teams", "-o", str(fits)))
    assert fits.read_text(encoding="utf-8").startswith("code,name")
    fits.unlink()
    for size in (longest + 1, 300):
        out = folder / ("a" * (size - 4) + ".csv")
        fails(logged, db, "export", "teams", "-o", str(out),
              text=f"-o {out}: the file name is too long, {size} bytes: at most {longest} here "
              f"({longest + STAGING_EXTRA} less {STAGING_EXTRA} for the temporary file written "
              "beside it)")  # fmt: skip
    deep = folder / "/".join(["a" * 200] * 30) / "x.csv"  # past PATH_MAX
    message = fails(logged, db, "export", "teams", "-o", str(deep))
    assert message == f"-o {deep}: the path is too long for this system (File name too long)"
    backup = folder / ("b" * (longest - 2) + ".db")
    message = fails(logged, db, "backup", str(backup))
    assert message.startswith(f"backup {backup}: the file name is too long, {longest + 1} bytes")
    assert list(folder.iterdir()) == []


UNKNOWN_HOME = "~pledgetrack-no-such-user"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("export", "actions", "-o", f"{UNKNOWN_HOME}/x.csv"), "-o"),
        (("backup", f"{UNKNOWN_HOME}/x.db"), "backup"),
        (("actions",), "--db"),
    ],
)
def test_a_home_of_no_user_is_bad_input_naming_the_path(
    cli: Run, db: Path, env: Environment, args: tuple[str, ...], named: str
) -> None:
    """Bash leaves `~nosuchuser/x.csv` as typed; pathlib could not expand it and the
    command ended in an internal error, exit 70 (ATTACK6 J10)."""
    ok(cli("team", "add", "CW01", "--name", "Castle Ward"))
    before = contents(db)
    path = f"{UNKNOWN_HOME}/x.db" if named == "--db" else args[-1]
    database = path if named == "--db" else str(db)
    assert_error(
        invoke(["--db", database, *args], env),
        ExitCode.USAGE,
        f"{named}: {path}: {UNKNOWN_HOME} is no user's home folder on this system, so it "
        "cannot be expanded (write the folder out in full)",
    )
    assert contents(db) == before


def test_a_db_given_with_an_equals_sign_is_expanded_as_o_is(
    env: Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--db=~/x.db` reaches us unexpanded (no shell expands after `=`): it made a folder
    named `~` in the working folder, where -o and PLEDGETRACK_DB expand it (ATTACK6 J11)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "home").mkdir(exist_ok=True)
    ok(invoke(["--db=~/t.db", "team", "add", "CW01", "--name", "Castle Ward"], env))
    assert (tmp_path / "home" / "t.db").exists()
    assert not (tmp_path / "~").exists()
