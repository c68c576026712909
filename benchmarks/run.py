"""Every figure of docs/performance.md, each beside the least the same work can cost, in one run.

    python benchmarks/run.py --quick      # a 1M-action force; under a minute once built
    python benchmarks/run.py              # the national database (10M actions) and the rest
    python benchmarks/run.py --tiny       # seconds; what tests/test_benchmarks.py runs
    python benchmarks/run.py --startup    # the start-up rows only, up to 21 interleaved rounds
    python benchmarks/run.py --reports    # the national reports and their history twin only
    python benchmarks/run.py --floors     # the national October reports and their floors only
    python benchmarks/run.py --transfer   # export and import of the 1M force's whole log
    python benchmarks/run.py --listings   # the national database's listings (actions --limit 20)

Databases are built once by benchmarks/generate.py into --dir (default
/tmp/pledgetrack-bench, never the repository) and reused. Every pledgetrack figure is a real
`pledgetrack` process; its CPU seconds (user + system, from wait4) are the median of
--repeat runs, start-up included, because that is what a user waits for. The limits:

- reports: the bare SQL aggregate over the same rows on the indexes the project ships, run
  in this process (the better of a pass over the month by `occurred_at` and one driven
  from the pledges); and the same reads by raw sqlite3: a fresh Python process executing
  exactly the statements the report executes (captured from a real run of it), with the
  same parameters, fetchall() each, nothing else; beside them `python -c "import sqlite3"`
  and `pledgetrack --version`, all in the same interleaved rounds as the reports, and a
  second table of where each report's time goes (the SQL part, the Python part); and each
  judged in SQL by benchmarks/sql_judged_overview.py, a fresh process (a prototype: how
  near the bare aggregate a report could come with its rules inside one statement);
- import: csv.reader and `executemany` of the same rows and their audit rows, unvalidated;
- export: csv.writer(...).writerows(cursor) over the same join;
- start-up: `python -c pass`, `import typer`, a minimal Typer app and a minimal click app;
  for `log`, also the same insert by plain sqlite3 behind a command with log's options
  under Typer, under click, and under click with the row validated by a pydantic model.
  These are run interleaved: each of --repeat rounds runs every one of them once.

The machine is shared and noisy: compare the ratios within one run, not across runs.

A command is run again only while its figure could still move (`settled`: more than half of
--repeat runs made and within 4% of each other; the footer says how many stopped so).
What a run does once: databases are built once and kept; each capture of a command's
statements is kept beside it in --dir/out and reused while the code, the database file, the
command line, the settings and the day are the same (`capture_key`); a floor that reads no
database (`python -c "import sqlite3"`, `pledgetrack --version`, one team's summary on the
start-up database) is measured once a run however many sections show it. `--quick` leaves
out the prototype judged in SQL (`--floors` and the full run have it). The table's last line
gives the run's total wall time and the load average at its start and end; stderr's last
line, the total and each section's wall time, and the CPU seconds of the run and all it ran.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import hashlib
import importlib.util
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pledgetrack.store.migrations import LATEST_VERSION

AS_OF = "2008-11-01T12:00"  # reports on October 2008, judged the day after it
CHECK_AS_OF = "2008-10-31T12:00"  # check looks at "this month": October
MONTH = ("2008-10-01", "2008-11-01")


@dataclass(frozen=True)
class Size:
    name: str
    teams: int
    per_team_month: int
    import_rows: int
    export_all: bool  # export the whole database (else October only)


TINY = Size("tiny", 3, 28, 300, True)  # about 1,000 actions
FORCE_1M = Size("1m", 360, 231, 20_000, False)
FORCE_3M = Size("3m", 1080, 231, 0, False)
NATIONAL = Size("national", 3600, 231, 1_000_000, False)
WHOLE_1M = Size("1m", 360, 231, 1_000_000, True)  # the 1M force's whole log, out and in


@dataclass
class Measure:
    cpu_s: float
    wall_s: float
    peak_kb: int


def cli_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEDGETRACK_")}
    env.update(PLEDGETRACK_TZ="Europe/London", XDG_CONFIG_HOME=str(work / "config"))
    env.pop("NO_COLOR", None)
    return env


def run_process(argv: list[str], env: dict[str, str], repeat: int) -> Measure:
    """Median CPU (user + system) and wall time, largest peak RSS, of `repeat` runs."""
    cpu, wall, peak = [], [], 0
    for _ in range(repeat):
        began = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall.append(time.perf_counter() - began)
        if proc.returncode not in (0, 1):  # check exits 1 when it has findings
            raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
        cpu.append(usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss)
    return Measure(statistics.median(cpu), statistics.median(wall), peak)


def pledgetrack(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pledgetrack", "--db", str(db), *args]


def in_process(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.process_time()
        fn()
        times.append(time.process_time() - began)
    return statistics.median(times)


def database(work: Path, size: Size, only_month: date | None = None) -> Path:
    suffix = "-oct" if only_month else ""
    path = work / f"{size.name}{suffix}.db"
    if not path.exists():
        began = time.perf_counter()
        partial = path.with_suffix(".partial")
        for stale in work.glob(f"{partial.name}*"):
            stale.unlink()
        n = build(partial, size.teams, size.per_team_month, only_month)
        partial.rename(path)
        print(f"built {path} ({n:,} actions) in {time.perf_counter() - began:.0f} s",
              file=sys.stderr)  # fmt: skip
    return path


GENERATE = Path(__file__).resolve().parent / "generate.py"


def build(path: Path, teams: int, per_team_month: int, only_month: date | None = None) -> int:
    """generate.py's database of `teams` teams (20 pledges each, 2008), in a process of its
    own: a child's peak memory as the kernel counts it is at least this process's size when
    it was started, which building 1M actions here grew to 478 MB (every `export actions`
    and `import actions` after it then read 478 MB). Gives the actions written."""
    month = ["--only-month", f"{only_month:%Y-%m}"] if only_month else []
    done = subprocess.run([sys.executable, str(GENERATE), str(path),
                           "--teams", str(teams), "--pledges-per-team", "20", "--start",
                           "2008-01", "--months", "12", "--actions-per-team-month",
                           str(per_team_month), *month], check=True, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
    return int(done.stdout.split()[-2].replace(",", ""))


def upgrade(db: Path, env: dict[str, str]) -> None:
    """Bring a database built by an older version up to the schema under test (a read
    refuses an older schema). A current one is only read (`--dir` may hold databases that
    must not be written to)."""
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        if conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION:
            return
    subprocess.run(pledgetrack(db, "db", "upgrade"), env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


# The least any correct report must read: each in-scope pledge's rows of the month, from
# the best index shipped. Two forms; the cheaper one counts.
BARE_BY_MONTH = (
    "SELECT a.pledge_id, COUNT(*), TOTAL(a.hours) FROM actions a "
    "WHERE a.occurred_at >= ? AND a.occurred_at < ? AND a.voided_at IS NULL{team} "
    "GROUP BY a.pledge_id"
)
BARE_BY_PLEDGE = (
    "SELECT p.id, COUNT(*), TOTAL(a.hours) FROM pledges p CROSS JOIN actions a "
    "WHERE a.pledge_id = p.id AND a.occurred_at >= ? AND a.occurred_at < ? "
    "AND a.voided_at IS NULL{team} GROUP BY p.id"
)
BARE_OPEN_ITEMS = (
    "SELECT a.id FROM actions a JOIN pledges p ON p.id = a.pledge_id "
    "WHERE a.occurred_at IS NULL AND a.received_at IS NOT NULL AND a.voided_at IS NULL"
)


def bare_month(db: Path, repeat: int, team: str | None = None) -> float:
    conn = sqlite3.connect(db)
    params: tuple[object, ...] = MONTH
    clause = {"month": "", "pledge": ""}
    if team is not None:
        tid = conn.execute("SELECT id FROM teams WHERE code = ?", [team]).fetchone()[0]
        clause = {"month": " AND a.team_id = ?", "pledge": " AND p.team_id = ?"}
        params = (*MONTH, tid)
    forms = [BARE_BY_MONTH.format(team=clause["month"]),
             BARE_BY_PLEDGE.format(team=clause["pledge"])]  # fmt: skip

    def form(sql: str) -> Callable[[], object]:
        return lambda: conn.execute(sql, params).fetchall()

    # one run of each form first; a form at more than twice the other's time cannot be the
    # cheaper one, so only the forms near the best are run `repeat` times (medians)
    once = {sql: in_process(form(sql), 1) for sql in forms}
    best = min(in_process(form(sql), repeat) for sql, took in once.items()
               if took <= 2 * min(once.values()))  # fmt: skip
    conn.close()
    return best


def bare_open_items(db: Path, repeat: int) -> float:
    conn = sqlite3.connect(db)
    took = in_process(lambda: conn.execute(BARE_OPEN_ITEMS).fetchall(), repeat)
    conn.close()
    return took


WALLS: list[tuple[str, float]] = []  # each section's wall seconds, printed at the end


@contextmanager
def timed(section: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        WALLS.append((section, time.perf_counter() - began))


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []
        self.floors: list[tuple[str, ...]] = []  # where each report's time goes

    def add(self, work: str, ours: float, limit: float, what: str, target: str = "") -> None:
        ratio = f"{ours / limit:.1f}x" if limit > 0 else "-"
        self.rows.append((work, f"{ours:.3f} s", f"{limit:.3f} s ({what})", ratio, target))
        print(f"  {work}: {ours:.3f} s vs {limit:.3f} s", file=sys.stderr, flush=True)

    def note(self, work: str, ours: str, limit: str, ratio: str, target: str = "") -> None:
        self.rows.append((work, ours, limit, ratio, target))
        print(f"  {work}: {ours} vs {limit}", file=sys.stderr, flush=True)

    def floor(self, work: str, ours: float, bare: float, floor: float, python: float,
              started: float, reads: Reads) -> None:  # fmt: skip
        """Where a report's time goes, against the same reads by raw sqlite3: the SQL part is
        the floor less Python's and sqlite3's start-up; the Python part is what pledgetrack
        spends above the floor, of which its start-up above Python's is the same command
        on a database with no actions (`started`) less `python -c "import sqlite3"`. (Not
        `--version`: that builds no command and imports none of a report's modules.)"""
        sql, ours_python, startup = floor - python, ours - floor, started - python
        self.floors.append((
            work, f"{ours:.3f} s", f"{bare:.3f} s", f"{floor:.3f} s ({floor / bare:.1f}x bare)"
            if bare > 0 else f"{floor:.3f} s", f"{sql:.3f} s", f"{ours_python:.3f} s",
            f"{startup:.3f} s", f"{ours_python - startup:.3f} s",
            f"{reads.statements} / {reads.fetched:,}" + (
                f" ({reads.taken:,} taken)" if reads.taken != reads.fetched else "")))  # fmt: skip

    def markdown(self) -> str:
        head = ("work", "pledgetrack", "limit, same run", "ratio", "target")
        lines = [f"| {' | '.join(head)} |", f"|{'---|' * len(head)}"]
        lines += [f"| {' | '.join(row)} |" for row in self.rows]
        if self.floors:
            head = ("report", "pledgetrack", "bare aggregate", "same reads (raw sqlite3)",
                    "SQL part", "Python part", "of which start-up", "the rest",
                    "statements / rows fetched")  # fmt: skip
            lines += ["", f"| {' | '.join(head)} |", f"|{'---|' * len(head)}"]
            lines += [f"| {' | '.join(row)} |" for row in self.floors]
        return "\n".join(lines)


STARTUP_TEAM = "T0001"  # the one team of startup_database


def _schema(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def startup_database(work: Path) -> Path:
    """One team, T0001, with 20 pledges and no actions: a report on it pays its start-up
    (imports, building the command, opening the file) and little else."""
    path = work / "startup.db"
    if path.exists() and _schema(path) != LATEST_VERSION:  # an earlier release's: built again
        path.unlink()
    if not path.exists():
        partial = path.with_suffix(".partial")
        for stale in work.glob(f"{partial.name}*"):
            stale.unlink()
        build(partial, 1, 0)
        partial.rename(path)
    return path


def report_commands(db: Path, team: str) -> dict[str, tuple[str, ...]]:
    """One team's summary, overview, check and export summary for October 2008."""
    out = db.parent / "out"
    out.mkdir(exist_ok=True)
    return {
        "summary": ("summary", "--period", "2008-10", "--team", team, "--as-of", AS_OF),
        "overview": ("overview", "--period", "2008-10", "--as-of", AS_OF),
        "check": ("check", "--as-of", CHECK_AS_OF),
        "export summary": ("export", "summary", "--period", "2008-10", "--as-of", AS_OF,
                           "-o", str(out / "summary.csv")),
    }  # fmt: skip


def reports(table: Table, db: Path, label: str, env: dict[str, str], repeat: int,
            team: str, judged: bool = True,
            alone: Path | None = None) -> tuple[dict[str, float], dict[str, float]]:  # fmt: skip
    """The reports of `report_commands`, run interleaved, each beside its bare aggregate and
    the same reads by raw sqlite3 in a fresh process, with the start-up floors in the same
    rounds; with `judged`, overview, check and export summary also beside the prototype
    judged in SQL. With `alone` (the month without the rest of the history), those three
    are also run on it in the same rounds. Gives their CPU seconds on `db` and on `alone`
    (for `history`)."""
    commands = report_commands(db, team)
    month_bare = bare_month(db, repeat)
    out = db.parent / "out"
    argvs = {name: pledgetrack(db, *args) for name, args in commands.items()}
    if alone is not None:
        argvs |= {f"{name} alone": pledgetrack(alone, *args)
                  for name, args in commands.items() if name != "summary"}  # fmt: skip
    reads = {name: capture_reads(db, args, env, out / f"{name.replace(' ', '-')}.reads")
             for name, args in commands.items()}  # fmt: skip
    argvs |= {f"{name} floor": [sys.executable, str(db.parent / "same_reads.py"),
                                str(read.path)] for name, read in reads.items()}  # fmt: skip
    argvs |= {"import sqlite3": IMPORT_SQLITE3, "--version": VERSION}
    if judged:
        argvs |= {f"{name} judged": [sys.executable, str(JUDGED_IN_SQL), str(db), "2008-10",
                                     *args] for name, args in JUDGED.items()}  # fmt: skip
    # each report's start-up: the same command where there is next to nothing to read
    started = startup_database(db.parent)
    argvs |= {f"{name} start-up": pledgetrack(
                  started, *(STARTUP_TEAM if arg == team else arg for arg in args))
              for name, args in commands.items()}  # fmt: skip
    took = interleaved(argvs, env, repeat)
    figures = {}
    for name in commands:
        work = f"`{name}` ({label})" if name != "summary" else (
            f"`summary --period 2008-10 --team {team}` ({label})")  # fmt: skip
        ours = took[name]
        if name == "summary":
            bare, what, target = bare_month(db, repeat, team), "that team's rows", "< 0.5 s"
        else:
            bare = month_bare + (bare_open_items(db, repeat) if name == "check" else 0.0)
            what = "month aggregate" + (" + open items" if name == "check" else "")
            target = "<= 2x"
            figures[name] = ours
        table.add(work, ours, bare, what, target)
        floor = took[f"{name} floor"]
        table.add(work, ours, floor, "the same reads by raw sqlite3, a fresh process")
        table.floor(work, ours, bare, floor, took["import sqlite3"],
                    took[f"{name} start-up"], reads[name])  # fmt: skip
        if judged and name in JUDGED:
            table.add(f"{work}, judged in SQL: `sql_judged_overview.py` "
                      f"{' '.join(JUDGED[name])}", took[f"{name} judged"], bare,
                      what, target)  # fmt: skip
    table.note("`python -c \"import sqlite3\"` / `pledgetrack --version`",
               f"{took['import sqlite3']:.3f} s", f"{took['--version']:.3f} s",
               "-")  # fmt: skip
    return figures, {name: took[f"{name} alone"] for name in figures if alone is not None}


# Judged in SQL: a prototype that judges every pledge inside one statement, in a fresh
# Python process with nothing of pledgetrack loaded (docs/performance.md, "Judged in SQL").
# Its overview prints exactly what `overview -f csv` prints; --export and --check are lower
# bounds for `export summary` and `check` (they work out less than those print).
JUDGED_IN_SQL = Path(__file__).resolve().parent / "sql_judged_overview.py"
JUDGED = {
    "overview": (AS_OF,),
    "check": (CHECK_AS_OF, "--check"),
    "export summary": (AS_OF, "--export"),
}


# The same reads by raw sqlite3: what a report's own SQL costs with nothing of pledgetrack
# around it. CAPTURE runs the command once, in its own process, with every connection the
# store opens recording each statement it executes, its parameters and how many rows the
# command took from it; the trace callback counts every statement SQLite runs, so one run
# any other way (a cursor of its own) fails the capture instead of going missing from the
# floor. SAME_READS, a fresh process like pledgetrack's, opens the file as the store did and
# executes those statements in order with the same parameters, fetchall() each, nothing
# else: Python's and sqlite3's start-up, the reads, and the rows made Python tuples.
# `same_reads.py FILE --each` prints each statement's CPU time and rows instead.
CAPTURE = """
import marshal, sqlite3, sys
connections, statements, traced = [], [], []
class Rows:
    def __init__(self, cursor, entry):
        self._cursor, self._entry = cursor, entry
    def __iter__(self):
        return self
    def __next__(self):
        row = next(self._cursor)
        self._entry[4] += 1
        return row
    def fetchone(self):
        row = self._cursor.fetchone()
        self._entry[4] += row is not None
        return row
    def fetchmany(self, *size):
        rows = self._cursor.fetchmany(*size)
        self._entry[4] += len(rows)
        return rows
    def fetchall(self):
        rows = self._cursor.fetchall()
        self._entry[4] += len(rows)
        return rows
    def __getattr__(self, name):
        return getattr(self._cursor, name)
class Recording(sqlite3.Connection):
    def execute(self, sql, params=()):
        entry = [self.index, False, sql, params, 0]
        statements.append(entry)
        return Rows(super().execute(sql, params), entry)
    def executemany(self, sql, rows):
        rows = list(rows)
        entry = [self.index, True, sql, rows, 0]
        statements.append(entry)
        return Rows(super().executemany(sql, rows), entry)
connect = sqlite3.connect
def recording(database, **options):
    conn = connect(database, factory=Recording, **options)
    conn.index = len(connections)
    connections.append((str(database), options))
    conn.set_trace_callback(traced.append)
    return conn
sqlite3.connect = recording
out = sys.argv.pop(1)
sys.argv[0] = "pledgetrack"
from pledgetrack.cli.app import main
try:
    main()
except SystemExit as exc:
    if exc.code not in (None, 0, 1):
        raise
run = sum(len(params) if many else 1 for _, many, _, params, _ in statements)
if not statements or run != len(traced):
    raise SystemExit(f"recorded {run} statements, SQLite ran {len(traced)}")
with open(out, "wb") as fh:
    marshal.dump((connections, [tuple(e[:4]) for e in statements]), fh)
print(len(statements), sum(e[4] for e in statements))
"""
SAME_READS = """
import marshal, sqlite3, sys
with open(sys.argv[1], "rb") as fh:
    connections, statements = marshal.load(fh)
conns = [sqlite3.connect(database, **options) for database, options in connections]
if "--each" not in sys.argv:
    for which, many, sql, params in statements:
        (conns[which].executemany if many else conns[which].execute)(sql, params).fetchall()
else:
    import time
    total = 0
    for which, many, sql, params in statements:
        began = time.process_time()
        run = conns[which].executemany if many else conns[which].execute
        rows = len(run(sql, params).fetchall())
        took, total = time.process_time() - began, total + rows
        print(f"{took:.3f} s {rows:>8} rows  {' '.join(sql.split())[:80]}")
    print(total, "rows")
for conn in conns:
    conn.close()
"""


@dataclass(frozen=True)
class Reads:
    path: Path  # the statements, for same_reads.py
    statements: int
    taken: int  # the rows the command took from them
    fetched: int  # the rows same_reads.py fetches from them


def code_digest() -> str:
    """A digest of the pledgetrack package imported (every file of it, bytecode aside): the
    code whose statements a capture holds."""
    if not CODE_DIGEST:
        spec = importlib.util.find_spec("pledgetrack")
        assert spec is not None and spec.submodule_search_locations is not None
        root = Path(spec.submodule_search_locations[0])
        digest = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root)}\0".encode())
                digest.update(path.read_bytes())
        CODE_DIGEST.append(digest.hexdigest())
    return CODE_DIGEST[0]


CODE_DIGEST: list[str] = []


def capture_key(db: Path, args: tuple[str, ...], env: dict[str, str]) -> str:
    """What a capture's statements and parameters can depend on: the code (`code_digest`,
    and the scripts), Python and SQLite, the database file as it is (path, inode, size and
    modification time, and of a write-ahead log holding frames), the command line, the
    settings (PLEDGETRACK_*, TZ, the config file) and the day (a command may read the
    clock)."""
    files = [db, db.with_name(db.name + "-wal")]
    stats = [(str(f.resolve()), st.st_ino, st.st_size, st.st_mtime_ns)
             for f in files if f.exists() and (st := f.stat()).st_size]  # fmt: skip
    config = Path(env.get("XDG_CONFIG_HOME", "")) / "pledgetrack" / "config.toml"
    named = ("PLEDGETRACK_", "TZ", "XDG_CONFIG", "PYTHONPATH")
    settings = sorted((k, v) for k, v in env.items() if k.startswith(named))
    parts = [code_digest(), CAPTURE, SAME_READS, sys.executable, sys.version,
             sqlite3.sqlite_version, stats, list(args), settings,
             config.read_text(encoding="utf-8", errors="replace") if config.is_file() else "",
             date.today().isoformat()]  # fmt: skip
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def capture_reads(db: Path, args: tuple[str, ...], env: dict[str, str], path: Path) -> Reads:
    """The statements a real run of `pledgetrack --db DB ARGS` executes (see CAPTURE), and
    how many rows same_reads.py then fetches from them (one run, not measured). Kept
    beside PATH (PATH.json, with `capture_key`) and reused while the key is the same, so a
    run on databases already built does not capture again."""
    for name, text in (("capture_reads.py", CAPTURE), ("same_reads.py", SAME_READS)):
        (db.parent / name).write_text(text, encoding="utf-8")
    key, kept = capture_key(db, args, env), path.with_name(f"{path.name}.json")
    try:
        known = json.loads(kept.read_text(encoding="utf-8"))
        if known["key"] == key and path.is_file():
            return Reads(path, known["statements"], known["taken"], known["fetched"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    kept.unlink(missing_ok=True)  # a capture cut short leaves nothing to reuse
    done = subprocess.run([sys.executable, str(db.parent / "capture_reads.py"), str(path),
                           "--db", str(db), *args], env=env, check=True, text=True,
                          stdout=subprocess.PIPE)  # fmt: skip
    statements, taken = map(int, done.stdout.split()[-2:])
    again = subprocess.run([sys.executable, str(db.parent / "same_reads.py"), str(path),
                            "--each"], env=env, check=True, text=True,
                           stdout=subprocess.PIPE)  # fmt: skip
    reads = Reads(path, statements, taken, int(again.stdout.split()[-2]))
    if capture_key(db, args, env) != key:  # the command wrote to the file: capture each run
        return reads
    kept.write_text(json.dumps({"key": key, "statements": statements, "taken": taken,
                                "fetched": reads.fetched}), encoding="utf-8")  # fmt: skip
    return reads


def listings(table: Table, db: Path, label: str, env: dict[str, str], repeat: int,
             team: str) -> None:  # fmt: skip
    """`actions --limit 20` and its filters, `pledge show` and `history --limit 20`, each
    beside the same reads by raw sqlite3 in a fresh process (the listing's own statements,
    fetchall() each: a SELECT ... LIMIT 20 off the listing's index, and the look for rows
    another tool wrote), run interleaved with `python -c "import sqlite3"`."""
    out = db.parent / "out"
    out.mkdir(exist_ok=True)
    listed = ("--limit", "20", "--format", "csv")
    commands = {
        "actions --limit 20": ("actions", *listed),
        f"actions --team {team} --limit 20": ("actions", "--team", team, *listed),
        f"actions --pledge {team}-L1 --limit 20": ("actions", "--pledge", f"{team}-L1", *listed),
        "actions --kind patrol --limit 20": ("actions", "--kind", "patrol", *listed),
        "actions --kind surgery --limit 20 (no such kind)": ("actions", "--kind", "surgery",
                                                              *listed),
        "actions --from 2008-10-01 --limit 20": ("actions", "--from", "2008-10-01", *listed),
        "actions --to 2008-10-01 --limit 20": ("actions", "--to", "2008-10-01", *listed),
        f"actions --team {team} --kind patrol --from 2008-10-01 --limit 20": (
            "actions", "--team", team, "--kind", "patrol", "--from", "2008-10-01", *listed),
        f"pledge show {team}-L1 (10 recent actions)": ("pledge", "show", f"{team}-L1",
                                                       "--format", "json"),
        "history --limit 20": ("history", *listed),
    }  # fmt: skip
    argvs = {name: pledgetrack(db, *args) for name, args in commands.items()}
    reads = {name: capture_reads(db, args, env, out / f"listing-{n}.reads")
             for n, (name, args) in enumerate(commands.items())}  # fmt: skip
    argvs |= {f"{name} floor": [sys.executable, str(db.parent / "same_reads.py"),
                                str(read.path)] for name, read in reads.items()}  # fmt: skip
    argvs["import sqlite3"] = IMPORT_SQLITE3
    took = interleaved(argvs, env, repeat)
    for name in commands:
        table.add(f"`{name}` ({label})", took[name], took[f"{name} floor"],
                  f"the same reads by raw sqlite3, a fresh process: {reads[name].statements} "
                  f"statements, {reads[name].fetched:,} rows")  # fmt: skip
    table.note("`python -c \"import sqlite3\"`", f"{took['import sqlite3']:.3f} s", "", "-")


def history(table: Table, with_history: dict[str, float], without: dict[str, float],
            label: str) -> None:  # fmt: skip
    for name, ours in with_history.items():
        table.note(f"`{name}` with the rest of 2008 / October alone ({label})",
                   f"{ours:.3f} s", f"{without[name]:.3f} s", f"{ours / without[name]:.2f}x",
                   "<= 1.2x")  # fmt: skip


RAW_INSERT = (
    "INSERT INTO actions (team_id, pledge_id, occurred_at, received_at, description, kind, "
    "officer, partner, hours, abstracted, ext_ref, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
RAW_CHANGE = (
    "INSERT INTO changes (at, who, entity, entity_key, op, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
COLUMNS = ("id", "team", "pledge", "when", "received", "description", "kind", "officer",
           "partner", "hours", "abstracted", "ref")  # fmt: skip


def raw_import(db: Path, source: Path) -> float:
    """The floor: csv.reader, executemany of the actions and their audit rows, no checks."""
    began = time.process_time()
    conn = sqlite3.connect(db, isolation_level=None)
    teams = dict(conn.execute("SELECT code, id FROM teams").fetchall())
    pledges = dict(conn.execute("SELECT ref, id FROM pledges").fetchall())
    now = "2009-01-01T12:00:00+00:00"
    with source.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        at = {name: header.index(name) for name in COLUMNS}
        rows = [
            (teams[r[at["team"]]], pledges[r[at["pledge"]]], r[at["when"]] or None,
             r[at["received"]] or None, r[at["description"]], r[at["kind"]] or None,
             r[at["officer"]] or None, r[at["partner"]] or None,
             float(r[at["hours"]]) if r[at["hours"]] else None, int(r[at["abstracted"]] or 0),
             r[at["ref"]] or None, now)
            for r in reader
        ]  # fmt: skip
    conn.execute("BEGIN IMMEDIATE")
    next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM actions").fetchone()[0]
    conn.executemany(RAW_INSERT, rows)
    conn.executemany(
        RAW_CHANGE,
        ((now, "bench", "action", str(next_id + i), "import", None, repr(row))
         for i, row in enumerate(rows)),
    )  # fmt: skip
    conn.execute("COMMIT")
    conn.close()
    return time.process_time() - began


RAW_SELECT = (
    "SELECT a.id, t.code, p.ref, a.occurred_at, a.received_at, a.description, a.kind, "
    "a.officer, a.partner, a.hours, a.abstracted, a.ext_ref, a.voided_at, a.void_reason, "
    "a.created_at, a.highlight, a.delivers FROM actions a JOIN teams t ON t.id = a.team_id "
    "JOIN pledges p ON p.id = a.pledge_id WHERE a.voided_at IS NULL{where} ORDER BY a.id"
)


def raw_export(db: Path, target: Path, month_only: bool) -> float:
    began = time.process_time()
    conn = sqlite3.connect(db)
    where, params = ("", ()) if not month_only else (
        " AND a.occurred_at >= ? AND a.occurred_at < ?", MONTH)  # fmt: skip
    with target.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(
            conn.execute(RAW_SELECT.format(where=where), params)
        )
    conn.close()
    return time.process_time() - began


def transfer(table: Table, source_db: Path, size: Size, small_db: Path, env: dict[str, str],
             work: Path, repeat: int) -> None:  # fmt: skip
    """export actions (CPU, memory) and import actions against their raw floors; the
    export and its floor interleaved, up to `repeat` rounds of one each, until both are
    `settled` (medians)."""
    out = work / "out"
    out.mkdir(exist_ok=True)
    period = [] if size.export_all else ["--from", "2008-10-01", "--to", "2008-10-31"]
    ours_csv = out / "actions.csv"
    argv = pledgetrack(source_db, "export", "actions", *period, "-o", str(ours_csv))
    runs: list[Measure] = []
    floors: list[float] = []
    while not (settled([m.cpu_s for m in runs], repeat) and settled(floors, repeat)):
        runs.append(run_process(argv, env, 1))
        floors.append(raw_export(source_db, out / "raw.csv", not size.export_all))
    RUNS.append(len(runs))
    cpu = statistics.median(m.cpu_s for m in runs)
    export = Measure(cpu, statistics.median(m.wall_s for m in runs), max(m.peak_kb for m in runs))
    rows = sum(1 for _ in ours_csv.open(encoding="utf-8")) - 1
    table.add(f"`export actions`, {rows:,} rows", export.cpu_s, statistics.median(floors),
              "csv.writer over a cursor", ">= 0.8x speed (ratio <= 1.25x)")  # fmt: skip
    small, small_rows = export, rows
    if small_db != source_db:
        small = run_process(pledgetrack(small_db, "export", "actions", "-o",
                                        str(out / "small.csv")), env, 1)  # fmt: skip
        small_rows = sum(1 for _ in (out / "small.csv").open(encoding="utf-8")) - 1
    table.note(f"`export actions` peak memory, {rows:,} / {small_rows:,} rows",
               f"{export.peak_kb / 1024:.0f} MB", f"{small.peak_kb / 1024:.0f} MB",
               f"+{(export.peak_kb - small.peak_kb) / 1024:.0f} MB", "within +50 MB")  # fmt: skip

    if not size.import_rows:
        return
    source = out / "import.csv"
    with ours_csv.open(encoding="utf-8") as fh, source.open("w", encoding="utf-8") as dest:
        for n, line in enumerate(fh):
            if n > size.import_rows:
                break
            dest.write(line)
    imported = min(rows, size.import_rows)
    template = work / f"{size.name}-empty.db"
    if not template.exists():
        build(template, size.teams, 0)
    upgrade(template, env)
    ours_db, raw_db = out / "import-ours.db", out / "import-raw.db"
    for copy in (ours_db, raw_db):
        for stale in out.glob(f"{copy.name}*"):
            stale.unlink()
        shutil.copy(template, copy)
    # the generator records no time zone, which every database pledgetrack writes has:
    # recorded first (unmeasured), so that the import is not also the file's first write
    subprocess.run(pledgetrack(ours_db, "db", "upgrade"), env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    ours = run_process(pledgetrack(ours_db, "import", "actions", str(source)), env, 1)
    floor = raw_import(raw_db, source)
    table.add(f"`import actions`, {imported:,} rows", ours.cpu_s, floor,
              "executemany with audit rows", ">= 1/3 speed (ratio <= 3x)")  # fmt: skip
    table.note(f"`import actions` peak memory, {imported:,} rows",
               f"{ours.peak_kb / 1024:.0f} MB", "", "")  # fmt: skip


MINIMAL_TYPER = """
import typer
app = typer.Typer(add_completion=False)
@app.command()
def hello(name: str = typer.Option("x", help="Who.")) -> None:
    \"\"\"Say hello.\"\"\"
    typer.echo(name)
@app.command()
def bye() -> None:
    \"\"\"Say bye.\"\"\"
app()
"""
# The same app ending as pledgetrack does (cli/app.py): no garbage collection at exit, which
# is about 40 ms of any process that has loaded Typer and pydantic. Beside it, `log` and
# `--help` show what our own code costs, like for like.
MINIMAL_TYPER_QUICK_EXIT = """
import atexit, gc
atexit.register(lambda: (gc.disable(), gc.freeze()))
""" + MINIMAL_TYPER
MINIMAL_CLICK = """
try:
    import click
except ImportError:
    from typer import _click as click
@click.group()
def cli() -> None:
    pass
@cli.command()
@click.option("--name", default="x", help="Who.")
def hello(name: str) -> None:
    \"\"\"Say hello.\"\"\"
    click.echo(name)
cli()
"""


# `log`'s work without pledgetrack: a command with log's thirteen parameters, under Typer or
# under click, that opens the file as the store does (busy timeout, foreign keys, the schema
# version, WAL), reads the pledge and inserts the action and its audit row in one
# BEGIN IMMEDIATE transaction. What a click-only or a leaner command path could reach;
# "click+model" also validates the row through one pydantic model, as log's path does.
# Each ends as pledgetrack does, without the garbage collections at exit.
SAME_INSERT = """
import atexit, gc
atexit.register(lambda: (gc.disable(), gc.freeze()))
import json, sqlite3, sys
from datetime import datetime
from zoneinfo import ZoneInfo
def insert(db, ref, description, when, **options):
    if MODEL:  # the row through one pydantic model shaped like pledgetrack's Action
        from pydantic import BaseModel, ConfigDict, Field
        class Action(BaseModel):
            model_config = ConfigDict(extra="forbid")
            pledge: str
            description: str = Field(min_length=1)
            occurred_at: datetime | None
            received_at: datetime | None = None
            kind: str | None = None
            officer: str | None = None
            partner: str | None = None
            hours: float | None = Field(default=None, ge=0)
            abstracted: bool = False
            ext_ref: str | None = None
            highlight: bool = False
            delivers: bool = False
        Action(pledge=ref, description=description, occurred_at=datetime.fromisoformat(when))
    conn = sqlite3.connect(db, timeout=10, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    assert conn.execute("PRAGMA user_version").fetchone()[0] > 0
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = wal")
    at = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Europe/London")).isoformat()
    conn.execute("BEGIN IMMEDIATE")
    pledge, team = conn.execute("SELECT id, team_id FROM pledges WHERE ref = ?", [ref]).fetchone()
    row = {"occurred_at": at, "description": description, "kind": options["kind"],
           "officer": options["officer"], "partner": options["partner"],
           "hours": options["hours"], "abstracted": int(options["abstracted"]),
           "received_at": options["received"], "ext_ref": options["ext_ref"],
           "highlight": int(options["highlight"]), "delivers": int(options["delivers"])}
    cols = {**row, "team_id": team, "pledge_id": pledge, "created_at": at}
    sql = f"INSERT INTO actions ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    new = conn.execute(sql, list(cols.values())).lastrowid
    conn.execute("INSERT INTO changes (at, who, officer, entity, entity_key, op, old, new) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (at, "bench", None, "action", str(new),
                 "insert", None, json.dumps({"pledge": ref, **row}, sort_keys=True)))
    conn.execute("COMMIT")
    print(new)
KIND = sys.argv.pop(1)
MODEL = KIND == "click+model"
if KIND == "typer":
    import typer
    app = typer.Typer(add_completion=False)
    O = typer.Option
    @app.callback()
    def root(ctx: typer.Context, db: str = O(..., "--db")) -> None:
        ctx.obj = db
    @app.command()
    def log(ctx: typer.Context, ref: str, description: str, when: str = O(..., "--when"),
            kind: str = O(None), officer: str = O(None), partner: str = O(None),
            hours: float = O(None), abstracted: bool = O(False), received: str = O(None),
            open_: bool = O(False, "--open"), ext_ref: str = O(None, "--ref"),
            highlight: bool = O(False), delivers: bool = O(False)) -> None:
        insert(ctx.obj, ref, description, when, kind=kind, officer=officer, partner=partner,
               hours=hours, abstracted=abstracted, received=received, open_=open_,
               ext_ref=ext_ref, highlight=highlight, delivers=delivers)
    app()
else:
    try:
        import click
    except ImportError:
        from typer import _click as click
    @click.group()
    @click.option("--db", required=True)
    @click.pass_context
    def cli(ctx, db):
        ctx.obj = db
    @cli.command()
    @click.argument("ref")
    @click.argument("description")
    @click.option("--when", required=True)
    @click.option("--kind")
    @click.option("--officer")
    @click.option("--partner")
    @click.option("--hours", type=float)
    @click.option("--abstracted", is_flag=True)
    @click.option("--received")
    @click.option("--open", "open_", is_flag=True)
    @click.option("--ref", "ext_ref")
    @click.option("--highlight", is_flag=True)
    @click.option("--delivers", is_flag=True)
    @click.pass_obj
    def log(db, ref, description, when, **options):
        insert(db, ref, description, when, **options)
    cli()
"""


# The floors that read no database, shown by several sections: each is measured once a run.
IMPORT_SQLITE3 = [sys.executable, "-c", "import sqlite3"]
VERSION = [sys.executable, "-m", "pledgetrack", "--version"]
MEASURED: dict[tuple[tuple[str, ...], int], float] = {}  # (argv, repeat) -> median CPU s


# Runs of one command this close (the spread within this share of their median) settle it.
SETTLED = 0.04


def settled(times: list[float], repeat: int) -> bool:
    """Whether the median of `repeat` runs is known well enough from `times`, the runs so
    far: all of them made, or more than half made and within SETTLED of each other. Once
    more than half are in, the median of all `repeat` lies between the least and the
    greatest of them (the runs still to come are too few to move it outside), so the median
    of these is within SETTLED of it: the runs left could not change the figure more."""
    if len(times) >= repeat:
        return True
    return len(times) > repeat // 2 and (
        max(times) - min(times) <= SETTLED * statistics.median(times))  # fmt: skip


Argv = list[str] | Callable[[int], list[str]]  # a command line, or one for each round


def interleaved(commands: dict[str, Argv], env: dict[str, str],
                repeat: int) -> dict[str, float]:  # fmt: skip
    """Median CPU seconds of each command over up to `repeat` rounds, each round running
    every command not yet `settled` once in turn: a busy spell on a shared machine then
    falls on all of them alike, not on whichever command was being repeated at the time.
    A command line already measured in this run (`MEASURED`, the same `repeat`; every
    section runs with the same environment) is not run again: its median is given again.
    A command given as a function of the round is run as it gives for each round."""
    fixed = {name: tuple(argv) for name, argv in commands.items() if not callable(argv)}
    took = {name: MEASURED[argv, repeat] for name, argv in fixed.items()
            if (argv, repeat) in MEASURED}  # fmt: skip
    cpu: dict[str, list[float]] = {name: [] for name in commands if name not in took}
    for round_ in range(repeat):
        for name, times in cpu.items():
            if not settled(times, repeat):
                argv = commands[name]
                times.append(run_process(argv(round_) if callable(argv) else argv, env,
                                         1).cpu_s)  # fmt: skip
    for name, times in cpu.items():
        took[name] = statistics.median(times)
        RUNS.append(len(times))
        if name in fixed:
            MEASURED[fixed[name], repeat] = took[name]
    return {name: took[name] for name in commands}


RUNS: list[int] = []  # how many runs each interleaved figure took (the footer says)


def startup(table: Table, small_db: Path, env: dict[str, str], work: Path,
            repeat: int) -> None:  # fmt: skip
    py = sys.executable
    (work / "minimal_typer.py").write_text(MINIMAL_TYPER, encoding="utf-8")
    (work / "minimal_click.py").write_text(MINIMAL_CLICK, encoding="utf-8")
    (work / "minimal_typer_quick_exit.py").write_text(MINIMAL_TYPER_QUICK_EXIT, encoding="utf-8")
    (work / "same_insert.py").write_text(SAME_INSERT, encoding="utf-8")
    typer_app, click_app = str(work / "minimal_typer.py"), str(work / "minimal_click.py")
    quick_exit = str(work / "minimal_typer_quick_exit.py")
    log_db = work / "out" / "log.db"
    (work / "out").mkdir(exist_ok=True)
    for stale in (work / "out").glob("log.db*"):
        stale.unlink()
    shutil.copy(small_db, log_db)
    conn = sqlite3.connect(log_db)
    ref = conn.execute("SELECT ref FROM pledges WHERE target_type = 'frequency' "
                       "AND status = 'active' ORDER BY id LIMIT 1").fetchone()[0]  # fmt: skip
    conn.close()
    log = (ref, "Foot patrol", "--when", "2008-12-31 10:00")

    def log_new(round_: int) -> list[str]:
        """`log` of a new action each round, a minute apart: the same one again is noted as
        perhaps logged twice (a further query and the note), which a sergeant logging the
        day's work seldom meets."""
        return pledgetrack(log_db, "log", ref, "Foot patrol", "--when",
                           f"2008-12-31 {11 + round_ // 60:02d}:{round_ % 60:02d}")  # fmt: skip

    # the first write to a file from another tool records its time zone: done before
    subprocess.run(log_new(60 * 12), env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    same_insert = [py, str(work / "same_insert.py")]
    started = startup_database(work)
    took = interleaved({
        "pass": [py, "-c", "pass"],
        "import typer": [py, "-c", "import typer"],
        "typer --help": [py, typer_app, "--help"],
        "typer run": [py, typer_app, "hello", "--name", "y"],
        "typer --help, quick exit": [py, quick_exit, "--help"],
        "typer run, quick exit": [py, quick_exit, "hello", "--name", "y"],
        "click --help": [py, click_app, "--help"],
        "click run": [py, click_app, "hello", "--name", "y"],
        "--help": [py, "-m", "pledgetrack", "--help"],
        "--version": VERSION,
        "log": log_new,
        # one team's report where there is next to nothing to read: its start-up, as the
        # national one pays it (the reports' own start-up floor, measured once a run)
        "summary": pledgetrack(started, *report_commands(started, STARTUP_TEAM)["summary"]),
        **{kind: [*same_insert, kind, "--db", str(log_db), "log", *log]
           for kind in ("typer", "click", "click+model")},
    }, env, repeat)  # fmt: skip
    table.note("`python -c pass` / `import typer`", f"{took['pass']:.3f} s",
               f"{took['import typer']:.3f} s", "-")  # fmt: skip
    table.note("minimal click app `--help` / run", f"{took['click --help']:.3f} s",
               f"{took['click run']:.3f} s", "-")  # fmt: skip
    table.add("`pledgetrack --help`", took["--help"], took["typer --help"],
              "minimal Typer app --help", "<= 1.5x")  # fmt: skip
    table.add("`pledgetrack --help`", took["--help"], took["typer --help, quick exit"],
              "minimal Typer app --help, ending as pledgetrack does")  # fmt: skip
    table.add("`pledgetrack --version`", took["--version"], took["import typer"],
              "import typer")  # fmt: skip
    table.add("`summary --team` on a team with no actions", took["summary"],
              took["typer run, quick exit"],
              "minimal Typer app run, ending as pledgetrack does")  # fmt: skip
    table.add("`summary --team` on a team with no actions", took["summary"], took["click run"],
              "minimal click app run")  # fmt: skip
    table.add("`log` on a small database", took["log"], took["typer run"],
              "minimal Typer app run", "<= 1.25x")  # fmt: skip
    table.add("`log` on a small database", took["log"], took["typer run, quick exit"],
              "minimal Typer app run, ending as pledgetrack does")  # fmt: skip
    table.add("`log` on a small database", took["log"], took["typer"],
              "the same insert by plain sqlite3 with log's options, Typer")  # fmt: skip
    table.add("`log` on a small database", took["log"], took["click"],
              "the same insert by plain sqlite3 with log's options, click")  # fmt: skip
    table.add("`log` on a small database", took["log"], took["click+model"],
              "the same insert, click, the row validated by a pydantic model")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="a 1M-action force only")
    mode.add_argument("--tiny", action="store_true", help="about 1,000 actions (for tests)")
    mode.add_argument("--startup", action="store_true",
                      help="the start-up rows only, interleaved (default up to 21 rounds)")
    mode.add_argument("--reports", action="store_true",
                      help="the national reports and their history twin only")  # fmt: skip
    mode.add_argument("--floors", action="store_true",
                      help="the national October reports and their floors only")  # fmt: skip
    mode.add_argument("--listings", action="store_true",
                      help="the national database's listings (actions --limit 20, ...) only")
    mode.add_argument("--transfer", action="store_true",
                      help="export and import of the 1M force's whole log only")  # fmt: skip
    parser.add_argument("--dir", type=Path, help="where the databases are built and kept",
                        default=Path(tempfile.gettempdir()) / "pledgetrack-bench")  # fmt: skip
    parser.add_argument("--repeat", type=int, help="runs per figure (median)")
    args = parser.parse_args(argv)
    began, load = time.perf_counter(), os.getloadavg()[0]
    work: Path = args.dir
    work.mkdir(parents=True, exist_ok=True)
    env = cli_env(work)
    # An installed pledgetrack has its bytecode; a checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise compile every module of ours from source in every process measured.
    spec = importlib.util.find_spec("pledgetrack")
    assert spec is not None and spec.submodule_search_locations is not None
    compileall.compile_dir(spec.submodule_search_locations[0], quiet=1)
    repeat = args.repeat or (1 if args.tiny else 21 if args.startup else 3)
    table = Table()
    october = date(2008, 10, 1)
    tiny = database(work, TINY)
    if not (args.reports or args.floors or args.listings):
        upgrade(tiny, env)
    if args.listings:
        national = database(work, NATIONAL)
        upgrade(national, env)
        with timed("listings"):
            listings(table, national, "national", env, repeat, "T0042")
    elif args.floors:
        twin = database(work, NATIONAL, october)
        upgrade(twin, env)
        with timed("reports"):
            reports(table, twin, "national October", env, repeat, "T0042")
    elif args.tiny:  # every section once, as fast as it goes: the history twin is left out
        with timed("reports"):
            reports(table, tiny, "tiny", env, repeat, "T0002")
        with timed("listings"):
            listings(table, tiny, "tiny", env, repeat, "T0002")
        with timed("transfer"):
            transfer(table, tiny, TINY, tiny, env, work, repeat)
    elif args.transfer:
        force = database(work, FORCE_1M)
        upgrade(force, env)
        with timed("transfer"):
            transfer(table, force, WHOLE_1M, tiny, env, work, repeat)
    elif not args.startup:
        size = FORCE_1M if args.quick else NATIONAL
        main_db, twin = database(work, size), database(work, size, october)
        for db in (main_db, twin):
            upgrade(db, env)
        team = "T0042"
        # --quick leaves out the prototype judged in SQL (--floors and the full run have it)
        with timed("reports, and the month alone"):
            full, alone = reports(table, main_db, size.name, env, repeat, team,
                                  not args.quick, twin)  # fmt: skip
        with timed("listings"):
            listings(table, main_db, size.name, env, repeat, team)
        history(table, full, alone, size.name)
        if args.reports:
            pass
        elif not args.quick:
            for other in (FORCE_1M, FORCE_3M):
                db = database(work, other)
                upgrade(db, env)
                ours = run_process(pledgetrack(db, "overview", "--period", "2008-10",
                                               "--as-of", AS_OF), env, repeat).cpu_s  # fmt: skip
                table.add(f"`overview` ({other.name})", ours, bare_month(db, repeat),
                          "month aggregate", "<= 2x")  # fmt: skip
            with timed("transfer"):
                transfer(table, database(work, FORCE_1M), WHOLE_1M, tiny, env, work, repeat)
        else:
            with timed("transfer"):
                transfer(table, main_db, size, tiny, env, work, repeat)
    if not (args.reports or args.floors or args.transfer or args.listings):
        with timed("start-up"):
            startup(table, tiny, env, work, repeat)
    print(table.markdown())
    kind = ("tiny" if args.tiny else "quick" if args.quick else "reports" if args.reports
            else "floors" if args.floors else "startup" if args.startup
            else "listings" if args.listings
            else "transfer" if args.transfer else "full")  # fmt: skip
    wall = time.perf_counter() - began
    fewer = sum(1 for runs in RUNS if runs < repeat)
    print(f"\n{kind} run, "
          f"{wall:.0f} s wall, CPU seconds (user + system), "
          f"median of {repeat}" + (f" ({fewer} of {len(RUNS)} figures of fewer runs, "
          f"more than half, that agreed within {SETTLED:.0%})" if fewer else "") +
          f"; Python {sys.version.split()[0]}, "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores, "
          f"load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end")  # fmt: skip
    parts = ", ".join(f"{name} {took:.1f} s" for name, took in WALLS)
    cpu = sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
              for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))  # fmt: skip
    print(f"total wall time {wall:.1f} s" + (f" ({parts})" if parts else "") +
          f"; CPU {cpu:.1f} s, this process and every one it ran (on a quiet machine the "
          f"wall time is about that)", file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
