"""A seeded synthetic force or nation, written straight into pledgetrack's schema.

    python benchmarks/generate.py DB [--teams 3600] [--pledges-per-team 20] \
        [--start 2008-01] [--months 12] [--actions-per-team-month 231] [--seed 2008]

The database is created by pledgetrack's own `open_store` (so by its migrations); the rows
are then written with plain `executemany`, which is what makes ten million of them take
minutes rather than hours. Every row is one that `log` would accept
(tests/test_benchmarks.py checks each with `entry_rules.check_loggable`):

- every time is drawn as a UTC instant and only then converted to Europe/London, so there
  is no wall-clock arithmetic and no row in the hour that does not exist in spring;
- an action falls between its pledge's agreed day and its closing day; a response item is
  received before it is dealt with; nothing is later than the generation's `now`;
- kinds are normalised as `log` stores them, and an action of a frequency pledge that
  counts one kind is of that kind.

Each team's pledges and each team-month's actions come from their own seeded generator,
so `--only-month 2008-10` writes exactly the October rows of the full run: the twin
without history that benchmarks/run.py compares against.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
FORCE = "Synthetic Constabulary"

# (target_type, count, unit, action_kind, within_minutes, threshold_pct, share_pct)
TEMPLATES: tuple[tuple[str, int | None, str | None, str | None, int | None, float | None,
                       float | None], ...] = (
    ("frequency", 2, "week", "patrol", None, 100.0, None),
    ("response", None, None, None, 24 * 60, 100.0, None),
    ("frequency", 1, "day", None, None, 90.0, None),
    ("share", None, None, None, None, None, 80.0),
    ("frequency", 4, "month", "meeting", None, 100.0, None),
    ("response", None, None, None, 48 * 60, 90.0, None),
    ("frequency", 10, "quarter", "visit", None, 100.0, None),
    ("deadline", None, None, None, None, None, None),
    ("none", None, None, None, None, None, None),
    ("frequency", 3, "week", None, None, 80.0, None),
)  # fmt: skip
KINDS = ("patrol", "visit", "meeting", "leaflet drop", None)
OFFICERS = ("PC Jones", "PCSO Begum", "PCSO Clarke", "PC Okafor", "Sgt Patel", None)
DESCRIPTIONS = {
    "frequency": ("High-visibility foot patrol", "Visited the shops on the parade",
                  "Surgery at the library", "Patrol of the park after school"),
    "response": ("Email answered", "Call returned", "Letter answered"),
    "share": ("Shift in the neighbourhood", "Abstracted to the town centre",
              "Neighbourhood shift, late turn"),
    "deadline": ("Report delivered to the panel",),
    "none": ("Attended the residents' meeting", "Walked the estate with the council"),
}  # fmt: skip


@dataclass(frozen=True)
class PledgeRow:
    id: int
    team_id: int
    ref: str
    seq: int
    template: int
    agreed_on: date
    closed_on: date | None
    status: str
    lo: int  # first UTC second an action may fall in (local midnight of agreed_on)
    hi: int  # first UTC second after the last allowed local day


def month_add(first: date, months: int) -> date:
    year, month = divmod(first.month - 1 + months, 12)
    return date(first.year + year, month + 1, 1)


def local_midnight(day: date) -> int:
    """The UTC second at which `day` begins in London."""
    return int(datetime.combine(day, time(0), LONDON).timestamp())


def stamp(epoch: int) -> str:
    """A UTC instant as pledgetrack stores it: London local time with its offset."""
    return datetime.fromtimestamp(epoch, UTC).astimezone(LONDON).isoformat(timespec="seconds")


def make_pledges(
    team_id: int, code: str, per_team: int, start: date, end: date, seed: int, first_id: int
) -> list[PledgeRow]:
    rng = random.Random(f"{seed}:pledges:{code}")
    rows = []
    span = (end - start).days
    for seq in range(1, per_team + 1):
        template = (seq - 1) % len(TEMPLATES)
        # most were agreed before the data starts; one in ten during it
        if rng.random() < 0.1:
            agreed = start + timedelta(days=rng.randrange(max(span, 1)))
        else:
            agreed = start - timedelta(days=rng.randrange(1, 400))
        closed, status = None, "active"
        if rng.random() < 0.05 and (end - agreed).days > 1:
            closed = agreed + timedelta(days=rng.randrange(1, (end - agreed).days))
            status = rng.choice(("achieved", "not-achieved", "withdrawn"))
        hi_day = (closed or end) + timedelta(days=1)
        rows.append(
            PledgeRow(first_id + seq - 1, team_id, f"{code}-L{seq}", seq, template, agreed,
                      closed, status, local_midnight(agreed), local_midnight(hi_day))
        )  # fmt: skip
    return rows


def pledge_values(p: PledgeRow, rng: random.Random, now: str) -> tuple[object, ...]:
    kind, count, unit, action_kind, within, threshold, share = TEMPLATES[p.template]
    due = (p.agreed_on + timedelta(days=rng.randrange(30, 400))).isoformat()
    return (
        p.id, p.ref, p.team_id, "local", p.seq, f"Pledge {p.seq} ({kind})",
        p.agreed_on.isoformat(), p.status, p.closed_on.isoformat() if p.closed_on else None,
        kind, count, unit, action_kind, within, threshold, share,
        due if kind == "deadline" else None, now,
    )  # fmt: skip


def team_month_actions(
    code: str, pledges: list[PledgeRow], month: date, n: int, seed: int
) -> Iterator[tuple[object, ...]]:
    """One team's actions in one month, without ids: (pledge_id, ..., created_at-less)."""
    rng = random.Random(f"{seed}:actions:{code}:{month.isoformat()}")
    m_lo, m_hi = local_midnight(month), local_midnight(month_add(month, 1))
    windows = [(p, max(p.lo, m_lo), min(p.hi, m_hi)) for p in pledges]
    windows = [w for w in windows if w[1] < w[2]]
    if not windows:
        return
    tag = month.strftime("%Y%m")
    for i in range(n):
        pledge, lo, hi = windows[rng.randrange(len(windows))]
        while TEMPLATES[pledge.template][0] == "deadline" and rng.random() < 0.98:
            pledge, lo, hi = windows[rng.randrange(len(windows))]  # deliverables are rare
        kind_name, _, _, action_kind, within, _, _ = TEMPLATES[pledge.template]
        at = rng.randrange(lo, hi)
        received: int | None = None
        occurred: int | None = at
        hours: float | None = None
        abstracted = 0
        kind = action_kind or rng.choice(KINDS)
        if kind_name == "response":
            assert within is not None
            received, kind = at, rng.choice(("email", "call", None))
            limit = within * 60
            delay = rng.randrange(limit) if rng.random() < 0.85 else rng.randrange(limit, 3 * limit)
            occurred = at + delay if rng.random() > 0.002 else None  # a few stay open
            if occurred is not None and occurred >= pledge.hi:
                occurred = at + (pledge.hi - at) // 2
        elif kind_name == "share" or rng.random() < 0.2:
            hours = rng.choice((0.5, 1.0, 2.0, 4.0, 7.5, 8.0))
            abstracted = int(rng.random() < 0.25)
        ext_ref = f"{tag}-{i:05d}" if rng.random() < 0.3 else None
        voided = rng.random() < 0.01
        last = occurred if occurred is not None else at
        yield (
            pledge.team_id, pledge.id,
            None if occurred is None else stamp(occurred),
            None if received is None else stamp(received),
            rng.choice(DESCRIPTIONS[kind_name]), kind, rng.choice(OFFICERS),
            "Council" if rng.random() < 0.1 else None, hours, abstracted, ext_ref,
            stamp(last + 3600) if voided else None, "entered twice" if voided else None,
        )  # fmt: skip


def generate(
    path: Path,
    *,
    teams: int,
    pledges_per_team: int,
    start: date,
    months: int,
    actions_per_team_month: int,
    seed: int = 2008,
    only_month: date | None = None,
    progress: bool = False,
) -> int:
    """Create `path` (which must not exist) and fill it; returns the number of actions."""
    from pledgetrack.store.connection import open_store

    end = month_add(start, months) - timedelta(days=1)
    now_dt = datetime.combine(end + timedelta(days=1), time(12), UTC).astimezone(LONDON)
    now = now_dt.isoformat(timespec="seconds")
    if path.exists():
        raise SystemExit(f"{path} exists; generate writes a new database")
    store = open_store(path, create=True, actor="generate", clock=lambda: now_dt)
    codes = [f"T{t:04d}" for t in range(1, teams + 1)]
    with store.write():  # the first write is what makes the file appear
        store.db.conn.executemany(
            "INSERT INTO teams (id, code, name, force, setting, active, created_at)"
            " VALUES (?, ?, ?, ?, ?, 1, ?)",
            [(t, code, f"Team {t}", FORCE, "rural" if t % 5 == 0 else "urban", now)
             for t, code in enumerate(codes, start=1)],
        )  # fmt: skip
    conn: sqlite3.Connection = store.db.conn
    conn.execute("PRAGMA cache_size = -1000000")  # the indexes of 10M rows stay in memory
    conn.execute("PRAGMA synchronous = OFF")
    with store.write():
        written = _fill(conn, codes, pledges_per_team, start, months, end, seed, now,
                        actions_per_team_month, only_month, progress)  # fmt: skip
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return written


def _fill(
    conn: sqlite3.Connection,
    codes: list[str],
    pledges_per_team: int,
    start: date,
    months: int,
    end: date,
    seed: int,
    now: str,
    actions_per_team_month: int,
    only_month: date | None,
    progress: bool,
) -> int:
    by_team: list[list[PledgeRow]] = []
    for t, code in enumerate(codes, start=1):
        own = make_pledges(t, code, pledges_per_team, start, end, seed,
                           (t - 1) * pledges_per_team + 1)  # fmt: skip
        by_team.append(own)
        rng = random.Random(f"{seed}:targets:{code}")
        conn.executemany(
            "INSERT INTO pledges (id, ref, team_id, kind, seq, title, agreed_on, status, "
            "closed_on, target_type, target_count, target_unit, target_action_kind, "
            "target_within_minutes, target_threshold_pct, target_share_pct, target_due, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [pledge_values(p, rng, now) for p in own],
        )
    written = 0
    for m in range(months):
        month = month_add(start, m)
        if only_month is not None and month != only_month:
            continue
        rows = [
            (*row, now)
            for code, own in zip(codes, by_team, strict=True)
            for row in team_month_actions(code, own, month, actions_per_team_month, seed)
        ]
        conn.executemany(
            "INSERT INTO actions (team_id, pledge_id, occurred_at, received_at, description, "
            "kind, officer, partner, hours, abstracted, ext_ref, voided_at, void_reason, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        written += len(rows)
        if progress:
            print(f"{month:%Y-%m}: {written:,} actions", file=sys.stderr, flush=True)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="database file to create")
    parser.add_argument("--teams", type=int, default=60)
    parser.add_argument("--pledges-per-team", type=int, default=20)
    parser.add_argument("--start", default="2008-01", help="first month, YYYY-MM")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--actions-per-team-month", type=int, default=231)
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("--only-month", help="write only this month's actions (YYYY-MM)")
    args = parser.parse_args(argv)
    start = date.fromisoformat(f"{args.start}-01")
    only = date.fromisoformat(f"{args.only_month}-01") if args.only_month else None
    n = generate(
        args.db,
        teams=args.teams,
        pledges_per_team=args.pledges_per_team,
        start=start,
        months=args.months,
        actions_per_team_month=args.actions_per_team_month,
        seed=args.seed,
        only_month=only,
        progress=True,
    )
    print(f"{args.db}: {args.teams:,} teams, {args.teams * args.pledges_per_team:,} pledges, "
          f"{n:,} actions")  # fmt: skip


if __name__ == "__main__":
    main()
