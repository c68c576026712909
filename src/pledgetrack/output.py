"""Rendering rows for people and for programs: rich table, plain text, CSV or JSON.

Every listing command takes the same `--format` option and calls `render`. A rich table is
the default only on a terminal; piped output defaults to plain text, and nothing but a
table on a colour terminal ever carries ANSI codes. Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from pledgetrack.environment import Environment
from pledgetrack.errors import InputError


class Format(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    CSV = "csv"
    JSON = "json"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = False


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Stop a spreadsheet from running a cell as a formula; numbers stay numbers."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}" if value != int(value) else f"{int(value)}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes").replace("T", " ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):  # nested records, e.g. `pledge show`'s recent actions
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def resolve_format(fmt: Format | None, env: Environment) -> Format:
    if fmt is not None:
        return fmt
    return Format.TABLE if env.stdout_isatty else Format.PLAIN


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], out: IO[str]) -> int:
    """RFC 4180 CSV with `\\n` line ends, formula cells neutralised; streams, returns row count."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(row.get(c.key)) for c in columns])
        count += 1
    return count


def _csv_cell(value: Any) -> Any:
    """Flags as 1/0, as `export actions` writes them; dates ISO; formulas neutralised."""
    if isinstance(value, bool):
        return int(value)
    return neutralise(json_value(value))


def render(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: Format | None,
    env: Environment,
    *,
    title: str | None = None,
    empty: str = "nothing to show",
    out: IO[str] | None = None,
) -> None:
    stream = out if out is not None else sys.stdout
    chosen = resolve_format(fmt, env)
    if chosen is Format.JSON:
        data = [{c.key: json_value(row.get(c.key)) for c in columns} for row in rows]
        stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if chosen is Format.CSV:
        write_csv(rows, columns, stream)
        return
    if not rows:
        print(empty, file=sys.stderr)
        return
    if chosen is Format.PLAIN:
        from tabulate import tabulate  # imported here: costs ~100 ms at start-up

        if title:
            stream.write(f"{title}\n")
        table = [[cell_text(row.get(c.key)) for c in columns] for row in rows]
        align = ["right" if c.numeric else "left" for c in columns]
        stream.write(
            tabulate(table, headers=[c.header for c in columns], tablefmt="simple", colalign=align)
            + "\n"
        )
        return
    _rich_table(rows, columns, env, title, stream)


def _rich_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    env: Environment,
    title: str | None,
    stream: IO[str],
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(
        file=stream,
        no_color=env.no_color,
        color_system="auto" if env.colour else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    table = Table(title=title, title_justify="left", header_style="bold" if env.colour else "")
    for col in columns:
        table.add_column(col.header, justify="right" if col.numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_styled(c.key, row.get(c.key), env) for c in columns))
    console.print(table)


_STATUS_STYLES = {"green": "green", "amber": "yellow", "red": "bold red", "void": "dim"}


def _styled(key: str, value: Any, env: Environment) -> Any:
    text = cell_text(value)
    if env.colour and key == "status" and text in _STATUS_STYLES:
        from rich.text import Text

        return Text(text, style=_STATUS_STYLES[text])
    return text


def message(text: str) -> None:
    """A note for the person at the terminal (or the cron log): stderr, never stdout."""
    print(text, file=sys.stderr)


def render_record(
    record: Mapping[str, Any], fmt: Format | None, env: Environment, *, title: str | None = None
) -> None:
    """One record (`team show`, `pledge show`): field/value rows, or one JSON object."""
    chosen = resolve_format(fmt, env)
    if chosen is Format.JSON:
        data = {k: json_value(v) for k, v in record.items()}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if chosen is Format.CSV:
        write_csv([record], [Column(k, k) for k in record], sys.stdout)
        return
    rows = [{"field": k, "value": v} for k, v in record.items()]
    render(rows, [Column("field", "Field"), Column("value", "Value")], chosen, env, title=title)


class DataFormat(StrEnum):
    """Formats for files other programs read (exports, roll-ups): all of them stream."""

    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


def write_records(
    records: Iterable[Sequence[Any]], keys: Sequence[str], fmt: DataFormat, out: IO[str]
) -> int:
    """Stream tuples (in `keys` order) as CSV, a JSON array or JSON lines; returns the count.

    CSV is RFC 4180 with a header and `\\n` line ends, formula-looking text neutralised.
    Nothing is held in memory beyond the current row.
    """
    count = 0
    if fmt is DataFormat.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        for record in records:
            # inline, not neutralise(json_value(v)): this loop runs once per cell of a big log
            writer.writerow(
                [
                    (neutralise(v) if v.startswith(FORMULA_PREFIXES) else v)
                    if v.__class__ is str
                    else (json_value(v) if isinstance(v, date) else v)
                    for v in record
                ]
            )
            count += 1
        return count
    jsonl = fmt is DataFormat.JSONL
    out.write("" if jsonl else "[")
    for record in records:
        data = {k: json_value(v) for k, v in zip(keys, record, strict=True)}
        if jsonl:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            out.write(("\n" if not count else ",\n") + json.dumps(data, ensure_ascii=False))
        count += 1
    if not jsonl:
        out.write("\n]\n" if count else "]\n")
    return count


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """Write beside `path` and rename into place only when complete (os.replace).

    A consumer polling for the file (a cron job at HQ) never reads half of it; on an error
    or Ctrl-C the temporary file is removed and any earlier `path` is left untouched.
    """
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
