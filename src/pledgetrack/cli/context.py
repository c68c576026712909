"""What every command needs from the root: the environment, the database, date parsing."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import typer

from pledgetrack.config import Value
from pledgetrack.domain.dates import DateInputError, parse_date, parse_datetime
from pledgetrack.domain.text import optional_text, text_problem
from pledgetrack.environment import Environment
from pledgetrack.errors import InputError, NotFoundError, SystemRefusedError, field_name
from pledgetrack.paths import database_path
from pledgetrack.stdio import STDOUT
from pledgetrack.store.connection import DEFAULT_BUSY_TIMEOUT_S, Store, open_store

# ctx.meta key: the exit status a command has earned if its reader closes the pipe early
CLOSED_PIPE_STATUS = "pledgetrack.closed_pipe_status"


OFFICER_VAR = "PLEDGETRACK_OFFICER"


@dataclass
class AppContext:
    env: Environment
    db_option: Path | None = None
    # the team this command took from PLEDGETRACK_TEAM or config.toml, not from a flag
    default_team: Value | None = None

    @property
    def db_path(self) -> Path:
        return database_path(self.db_option, self.env)

    def open(
        self,
        *,
        create_if_missing: bool,
        writes: bool = False,
        reads_older: bool = False,
        officer: str | None = None,
        needs: str | None = None,
    ) -> Store:
        """The database, created first when `create_if_missing` and it does not exist yet:
        only commands that can record a first team create it; the others require it
        (`needs` says what they need when it is missing).

        A command that `writes` (create_if_missing implies it) upgrades an older schema,
        saying so on stderr once the upgrade has committed with its first write; a read
        refuses one (exit 3, naming `db upgrade`) unless it `reads_older` as it stands.

        The audit log records the account (`env.user`) and, beside it, the officer named
        for this command: `officer` (a command's --officer), else PLEDGETRACK_OFFICER.
        """
        store = open_store(
            self.db_path,
            create=create_if_missing,
            actor=self.env.user,
            officer=officer if officer is not None else self.officer,
            clock=self.env.now,
            busy_timeout_s=_busy_timeout(self.env),
            on_create=lambda path: _message(f"created database {path}"),
            needs=needs,
            writes=writes,
            reads_older=reads_older,
            on_upgrade=lambda path, old, new: _message(
                f"upgraded {path} from schema {old} to {new}"
            ),
        )
        if store.note is not None:
            _message(f"note: {store.note}")
        return store

    @contextmanager
    def recording(
        self, *, officer: str | None = None, create_if_missing: bool = False,
        needs: str | None = None,
    ) -> Iterator[Store]:
        """The database inside one write transaction that commits only after what the block
        printed to stdout (the new id, the ref) has been written and flushed.

        The printed result is part of a write command's work: a script that gets exit 74
        retries, so a record saved whose id could not be delivered (`> /dev/full`, a reader
        already gone) would be saved twice. Services join this transaction
        (`Store.write` nests), so a refused stdout rolls back everything they wrote.
        """
        with self.open(
            create_if_missing=create_if_missing, writes=True, officer=officer, needs=needs
        ) as store, store.write():
            try:
                yield store
                sys.stdout.flush()
            except OSError as exc:
                if exc.filename not in (None, STDOUT):  # a file the command read or wrote
                    raise
                raise SystemRefusedError(
                    f"cannot write the result to stdout: {exc.strerror or exc}; "
                    "nothing was recorded"
                ) from None

    @property
    def officer(self) -> str | None:
        """PLEDGETRACK_OFFICER: the officer's name as the user gives it, unverified (the
        audit labels it so); None when unset or blank."""
        name = optional_text(self.env.vars.get(OFFICER_VAR))
        problem = None if name is None else text_problem(name)
        if problem is not None:
            raise InputError(f"{OFFICER_VAR} {problem}", field="officer")
        return name

    def team(self, flag: str | None) -> str | None:
        """The team a command works on: the flag or argument, else the user's default team
        (PLEDGETRACK_TEAM or `team` in config.toml), else None."""
        chosen = self.env.setting("team", flag)
        if chosen.value is None or flag is not None:  # a flag was checked on the way in
            return chosen.value
        problem = text_problem(chosen.value) or (None if chosen.value.strip() else "is blank")
        if problem is not None:
            raise InputError(f"{_setting_words(chosen)} {problem}", field="team")
        self.default_team = chosen
        return chosen.value

    def attributed(self, exc: NotFoundError) -> NotFoundError:
        """An unknown team that came from the user's default, not from the command line,
        says where it came from: they will not find it by reading what they typed."""
        from pledgetrack.domain.models import normalise_code  # pydantic: not for --help

        chosen = self.default_team
        if exc.field != "team" or chosen is None or chosen.value is None:
            return exc
        if normalise_code(chosen.value) != exc.value:
            return exc
        return NotFoundError(
            f"unknown team {exc.value!r} (from {_setting_words(chosen)}; see: pledgetrack "
            "team list, pledgetrack config show)",
            field="team",
            value=exc.value,
        )

    def teams(self, flags: list[str] | None) -> list[str] | None:
        """For a repeatable --team: the flags given, else the default team, else all (None)."""
        if flags:
            return flags
        default = self.team(None)
        return [default] if default else None

    def required_team(self, flag: str | None, where: str = "TEAM") -> str:
        """A team the command cannot do without: named, or the user's default."""
        chosen = self.team(flag)
        if chosen is None:
            raise InputError(
                f"{where}: name a team, or set a default (PLEDGETRACK_TEAM or team in "
                "config.toml; see: pledgetrack config show)"
            )
        return chosen

    def when(self, option: str, text: str | None, default_now: bool = True) -> datetime | None:
        """Parse a date-time option, naming the option in any error."""
        if text is None:
            return self.env.now().replace(microsecond=0) if default_now else None
        try:
            return parse_datetime(text, self.env.now())
        except DateInputError as exc:
            raise InputError(f"{option}: {exc}", field=field_name(option)) from None

    def moment(self, option: str, text: str | None) -> datetime:
        """A date-time option that means now when it is not given (`--as-of`, most `--when`)."""
        moment = self.when(option, text)
        assert moment is not None
        return moment

    def day(self, option: str, text: str | None) -> date | None:
        if text is None:
            return None
        try:
            return parse_date(text, self.env.now())
        except DateInputError as exc:
            raise InputError(f"{option}: {exc}", field=field_name(option)) from None


def _message(text: str) -> None:
    """render.message, loaded only when there is something to say (not on `log`'s path)."""
    from pledgetrack.render import message
    message(text)


@contextmanager
def bulk_report() -> Iterator[None]:
    """No cyclic garbage collection while a report judges and prints its pledges. The
    records, results and rows it builds hold no cycles (reference counting frees them),
    and each full collection walks every object alive: at national scale (72,000
    pledges) that was a tenth of `overview`, `check` or `export summary`."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _setting_words(chosen: Value) -> str:
    """Where a default came from, as the user would look for it: `PLEDGETRACK_TEAM`, or
    `team in /home/.../config.toml`."""
    if chosen.source.startswith("file "):
        return f"{chosen.key} in {chosen.source.removeprefix('file ')}"
    return chosen.source.removeprefix("environment ")


MAX_BUSY_TIMEOUT_S = 86_400  # a day: a cron job that waits longer than that has a problem


def _busy_timeout(env: Environment) -> float:
    raw = env.vars.get("PLEDGETRACK_BUSY_TIMEOUT")
    if not raw:
        return DEFAULT_BUSY_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"PLEDGETRACK_BUSY_TIMEOUT must be seconds, not {raw!r}") from None
    # inf and nan parse as floats, and SQLite would take either as "do not wait at all"
    if not 0 <= value <= MAX_BUSY_TIMEOUT_S:
        raise InputError(
            f"PLEDGETRACK_BUSY_TIMEOUT must be 0 to {MAX_BUSY_TIMEOUT_S} seconds, not {raw!r}",
            field="PLEDGETRACK_BUSY_TIMEOUT",
        )
    return value


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_object(AppContext)
    if obj is None:  # a command invoked without the root callback (only in odd test set-ups)
        obj = AppContext(Environment.from_os())
        ctx.obj = obj
    return obj
