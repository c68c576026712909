"""The reports' output, byte for byte, from two versions of pledgetrack on one database.

    python benchmarks/same_output.py BEFORE_SRC DB [--after-db DB2] [--out DIR]

BEFORE_SRC is an older tree's `src` (`git archive REV src | tar -x -C /tmp/before`); the
other side is the pledgetrack this Python imports. Each report command below is run by
both on DB (read only: no report writes), and their stdout, stderr, exit status and any
file written compared. Prints one line per command; exits 1 if any differs. A change that
makes the reports faster is to change nothing they print (docs/performance.md). For a
change that adds a migration, the older tree cannot read an upgraded file: `--after-db`
gives a copy of DB upgraded by this one (`pledgetrack --db COPY db upgrade`), which the
newer side reads instead.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# October 2008 (the benchmarks' month) as things stood at several moments: the day after,
# mid-month, both 01:30s of the autumn clock change, its last second, the month's first
# instant and after the year
MOMENTS = (
    "2008-11-01T12:00",
    "2008-10-15T09:30",
    "2008-10-26T01:30+01:00",
    "2008-10-26T01:30+00:00",
    "2008-10-31T23:59:59",
    "2008-10-01T00:00",
    "2009-01-05T08:00",
)


def commands(moments: tuple[str, ...], team: str) -> list[tuple[str, ...]]:
    """Every report whose reads a faster store would change, in each of its forms."""
    found: list[tuple[str, ...]] = []
    for at in moments:
        month = ("--period", "2008-10", "--as-of", at)
        found += [
            ("overview", *month),
            ("overview", *month, "-f", "csv"),
            ("check", "--as-of", at, "-f", "csv"),
            ("check", "--as-of", at),
            ("export", "summary", *month, "-o", "{out}"),
            ("summary", *month, "-f", "csv"),
            ("summary", *month, "--team", team, "-f", "json"),
        ]
    return found


def run(src: Path | None, db: Path, argv: tuple[str, ...], work: Path) -> tuple[object, ...]:
    out = work / "written.csv"
    out.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEDGETRACK_")}
    env.update(PLEDGETRACK_TZ="Europe/London", XDG_CONFIG_HOME=str(work / "config"),
               NO_COLOR="1")  # fmt: skip
    env.pop("PYTHONPATH", None)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    args = [a.replace("{out}", str(out)) for a in argv]
    done = subprocess.run([sys.executable, "-m", "pledgetrack", "--db", str(db), *args],
                          env=env, capture_output=True, check=False)  # fmt: skip
    written = out.read_bytes() if out.exists() else None
    stderr = done.stderr.replace(bytes(out), b"OUT").replace(bytes(db), b"DB")
    return done.returncode, done.stdout, stderr, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="the older tree's src directory")
    parser.add_argument("db", type=Path)
    parser.add_argument("--after-db", type=Path,
                        help="a copy of DB upgraded by this pledgetrack, read by it")  # fmt: skip
    parser.add_argument("--team", default="T0042", help="the team of the one-team summary")
    parser.add_argument("--moments", type=int, default=len(MOMENTS),
                        help="how many of the as-of moments (the first N)")  # fmt: skip
    args = parser.parse_args()
    differ = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for argv in commands(MOMENTS[: args.moments], args.team):
            before = run(args.before.resolve(), args.db, argv, work)
            after = run(None, args.after_db or args.db, argv, work)
            same = before == after
            differ += not same
            size = len(before[1]) + len(before[3] or b"")
            print(f"{'same' if same else 'DIFFERENT'} (exit {before[0]}, {size:,} bytes): "
                  f"{' '.join(argv)}")  # fmt: skip
    print(f"{differ} of {len(commands(MOMENTS[: args.moments], args.team))} differ")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
