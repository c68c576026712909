"""What every command needs from the root: the environment, the database, date parsing."""

from __future__ import annotations

import copy
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from pathlib import Path

import typer

from pledgetrack.config import Value
from pledgetrack.domain.dates import (
    DateInputError,
    Tense,
    TimeGiven,
    parse_date,
    parse_datetime,
    yesterday_instead,
)
from pledgetrack.domain.text import optional_text, text_problem
from pledgetrack.environment import DEFAULT_TZ, Environment, known_zone
from pledgetrack.errors import (
    SEE_DB_CHECK,
    DatabaseError,
    InputError,
    NotFoundError,
    PledgetrackError,
    SystemRefusedError,
    field_name,
)
from pledgetrack.paths import database_path
from pledgetrack.stdio import STDOUT
from pledgetrack.store.connection import CHECK_DB, DEFAULT_BUSY_TIMEOUT_S, Store, open_store
from pledgetrack.store.migrations import ZONE_RECORDED_SINCE
from pledgetrack.store.zones import peek

# ctx.meta key: the exit status a command has earned if its reader closes the pipe early
CLOSED_PIPE_STATUS = "pledgetrack.closed_pipe_status"


OFFICER_VAR = "PLEDGETRACK_OFFICER"


@dataclass
class AppContext:
    env: Environment
    db_option: Path | None = None
    # the team this command took from PLEDGETRACK_TEAM or config.toml, not from a flag
    default_team: Value | None = None
    # the environment as configured, when the database's zone replaced its own (`env` is
    # then the same with the database's zone)
    configured: Environment | None = None
    # why the zone the database records cannot be used (this system does not know it)
    zone_problem: str | None = None
    # the zone the database records, as recorded (None: no file, or it records none)
    recorded: str | None = None

    def adopt_database_zone(self) -> None:
        """Work in the zone the database records, when it records one: called before the
        command reads any time it was given, so what it parses, stores, judges and shows
        is in the zone every other command on the file uses (store.zones). Whether a zone
        configured otherwise may be used is `open`'s to say."""
        try:
            path = self.db_path
        except PledgetrackError:  # a bad PLEDGETRACK_DB or config.toml: said if needed
            return
        recorded = self.recorded = peek(path)
        if recorded is None:
            return
        if recorded == zone_name(self.env.tz) and self.env.zone_problem is None:
            return
        tz = known_zone(recorded)
        if tz is None:
            self.zone_problem = (
                f"{path} records the time zone {recorded!r}, which this system does not "
                f"know; {SEE_DB_CHECK}"
            )
            return
        self.configured = self.env
        self.env = replace(self.env, tz=tz, zone_problem=None)

    @classmethod
    def on(cls, env: Environment, path: Path) -> AppContext:
        """A context for another database than the command's (`rollup`'s inputs, the file
        `demo` replaces), in the zone that one records."""
        other = cls(env=env, db_option=path)
        other.adopt_database_zone()
        return other

    def input_opener(self) -> Callable[[Path], AbstractContextManager[Store]]:
        """How `rollup` and `report hq` open each database they are given: read only as
        need be, never created, each in the zone it records."""

        def open_input(path: Path) -> AbstractContextManager[Store]:
            return AppContext.on(self.env, path).open(create_if_missing=False)

        return open_input

    def set_aside_unusable_config(self) -> PledgetrackError | None:
        """Work as if there were no config.toml when the file cannot be used (`demo`,
        whose data are its own); returns why it was set aside, None if it was not."""
        config = (self.configured or self.env).config
        problem = None if config is None else config.unusable
        if problem is not None:
            self.env = (self.configured or self.env).without_config()
            self.configured, self.zone_problem = None, None
        return problem

    def use_configured_zone(self) -> None:
        """For a command that works on no `--db` (`demo`, `rollup`): the zone configured,
        whatever the default database records; refused if it cannot be used."""
        self.env, self.configured, self.zone_problem = self.configured or self.env, None, None
        if self.env.zone_problem is not None:
            raise self.env.zone_problem

    def _zone_in_force(self, writes: bool, reads_older: bool, quiet: bool) -> str | None:
        """The zone the store is opened for; a zone configured otherwise than the file's:
        named on stderr for a read, refused for a write (exit 2, nothing written), since a
        time typed here would be taken as the file's zone's."""
        if self.zone_problem is not None:
            if not reads_older:
                raise DatabaseError(self.zone_problem)
            return None  # db check, db info, backup: read it as it stands
        if self.env.zone_problem is not None:  # a new file, or one recording no zone
            raise self.env.zone_problem
        zone = zone_name(self.env.tz)
        if self.configured is None:
            return zone
        if self.configured.zone_problem is not None:
            if writes:  # whether times typed here are meant in the file's zone is unknown
                raise self.configured.zone_problem
            return zone  # a read is in the file's zone, whatever is configured
        chosen = self.configured.setting("timezone", default=DEFAULT_TZ)
        if chosen.source == "default":  # nothing configured: the file's zone, unsaid
            return zone
        where = _setting_words(chosen)
        if writes:
            raise InputError(
                f"{self.db_path} keeps its times in {zone}, but {where} is {chosen.value}: "
                f"times given here would be taken as {zone}'s; unset {where}, or set it "
                f"to {zone}, to record in this database",
                field="timezone",
            )
        if not quiet:  # `check -q` under cron: the figures are right, nothing to mail
            _message(
                f"note: {self.db_path} keeps its times in {zone}: read and shown in "
                f"{zone}, not in {chosen.value} ({where})"
            )
        return zone

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
        quiet: bool = False,
        named: Path | None = None,
        held: list[str] | None = None,
    ) -> Store:
        """The database, created first when `create_if_missing` and it does not exist yet:
        only commands that can record a first team create it; the others require it
        (`needs` says what they need when it is missing).

        A command that `writes` (create_if_missing implies it) upgrades an older schema,
        saying so on stderr once the upgrade has committed with its first write; a read
        refuses one (exit 3, naming `db upgrade`) unless it `reads_older` as it stands.

        The audit log records the account (`env.user`) and, beside it, the officer named
        for this command: `officer` (a command's --officer), else PLEDGETRACK_OFFICER.
        `quiet`: no note that the file's zone is not the one configured (`check -q`).
        `named`: the path the note of a new file names, and `held` where that note waits
        (`demo` builds beside its file, and says it created it only once it is in place).
        """
        zone = self._zone_in_force(writes or create_if_missing, reads_older, quiet)
        store = open_store(
            self.db_path,
            create=create_if_missing,
            actor=self.env.user,
            officer=officer if officer is not None else self.officer,
            clock=self.env.now,
            busy_timeout_s=_busy_timeout(self.env),
            on_create=lambda path: (_message if held is None else held.append)(
                f"created database {named or path}{_zone_words(0, zone)}"
            ),
            needs=needs,
            writes=writes,
            reads_older=reads_older,
            on_upgrade=lambda path, old, new: _message(_upgraded(path, old, new, zone)),
            zone=zone,
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

    def pledge_ref(self, ref: str) -> str:
        """A pledge reference as typed, `L1` completed with the default team (LE05-L1)."""
        from pledgetrack.domain.models import completed_ref  # pydantic: not for --help

        return completed_ref(ref, self.team(None))

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

    def database_named(self, exc: PledgetrackError) -> PledgetrackError:
        """A refusal of the database, when its path came from PLEDGETRACK_DB or config.toml,
        not from --db, saying so: the sergeant knows what to edit (`... (from db in
        ~/.config/pledgetrack/config.toml)`)."""
        if self.db_option is not None:
            return exc
        try:
            chosen, path = self.env.setting("db"), str(self.db_path)
        except PledgetrackError:
            return exc
        text = str(exc)
        if chosen.value is None or path not in text or "(from " in text:
            return exc
        where = f"(from {_setting_words(chosen)})"
        at = text.find(path) + len(path)  # beside the path, unless that is in a command
        if CHECK_DB in text:
            text = text.replace(CHECK_DB, where)
        elif text[: at - len(path)].endswith(("--db ", "sqlite3 ", "'")):
            text = f"{text} {where}"
        else:
            text = f"{text[:at]} {where}{text[at:]}"
        named = copy.copy(exc)
        named.args = (text,)
        return named

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

    def when(
        self,
        option: str,
        text: str | None,
        default_now: bool = True,
        *,
        tense: Tense,
        after: datetime | None = None,
    ) -> datetime | None:
        """Parse a date-time option, naming the option in any error. `tense`, declared by
        each option where it is read: `past` (`log --when`, `--received`: not in the future,
        so `30/12` typed on 2 January is last year's), `future` (`next-meeting --when`:
        `thursday` is the next one, `31/1` typed in December next January), `either`
        (`--as-of`: read as typed; domain.dates.yearless_day). `after`: when the item
        this time deals with came in, which a time alone is read after (dates.after_day)."""
        if text is None:
            return self.env.now().replace(microsecond=0) if default_now else None
        now = self.env.now()
        not_after = None
        if tense == "past":
            from pledgetrack.domain.entry_rules import latest_allowed  # pydantic: log's path

            not_after = latest_allowed(now)
        try:
            moment = parse_datetime(
                text,
                now,
                not_after=not_after,
                not_before=now if tense == "future" else None,
                after=after,
            )
        except DateInputError as exc:
            raise InputError(f"{option}: {exc}", field=field_name(option)) from None
        if not_after is not None and moment > not_after and after is None:
            _refuse_future(option, text, moment, now)  # a time alone beside `after` is its day's
        return moment

    def moment(
        self, option: str, text: str | None, *, tense: Tense, after: datetime | None = None
    ) -> datetime:
        """A date-time option that means now when it is not given (`--as-of`, most `--when`)."""
        moment = self.when(option, text, tense=tense, after=after)
        assert moment is not None
        return moment

    def as_of(self, text: str | None, *, said: bool = False) -> datetime:
        """`--as-of`, the moment a report judges at (now when not given). One still to come
        is read as typed: its days not yet lived count what is recorded now, as if nothing
        more were done, and no period that has not ended is final (services.compliance).
        With `said` (what is published: the public update, the HQ report, the inspection,
        export summary, rollup) it is said too (FRESH4 G19: a December update made on the
        2nd called the month's meeting missed, without a word); on a screen, or for
        `agenda`'s look ahead, it is what was asked for."""
        moment = self.moment("--as-of", text, tense="either")
        if text is None or not said:
            return moment
        from pledgetrack.domain.dates import short_datetimes
        from pledgetrack.domain.entry_rules import FUTURE_TOLERANCE

        now = self.env.now()
        if moment > now + FUTURE_TOLERANCE:
            given, then = short_datetimes(moment, now, self.env.tz, now.year)
            AFTER_SUCCESS.append(  # a command that fails says its one line, nothing more
                f"note: --as-of {given} is still to come (now: {then}): the days to come are "
                "judged on what is recorded now, as if nothing more were done, and their "
                "figures are provisional"
            )
        return moment

    def day(self, option: str, text: str | None, *, tense: Tense) -> date | None:
        """Parse a date option; `tense` as for `when` (`pledge close --on` past, `--by` and
        `--review` future, `--agreed` either)."""
        if text is None:
            return None
        try:
            return parse_date(text, self.env.now(), tense=tense, day_only=True)
        except TimeGiven as exc:  # `--since takes a day, not a time: 01/10/2026`
            raise InputError(f"{option} {exc}", field=field_name(option)) from None
        except DateInputError as exc:
            raise InputError(f"{option}: {exc}", field=field_name(option)) from None


def _refuse_future(option: str, text: str, moment: datetime, now: datetime) -> None:
    """A past time typed still to come, refused here rather than by entry_rules as it is
    logged, when it may be a time meant for last night: the refusal says how to type that
    (`--when 02/12 23:30 is in the future (did you mean --when 'yesterday 23:30'?)`).
    Only on the command line: an imported file's line is refused without it."""
    from pledgetrack.domain.entry_rules import check_not_future  # pydantic: log's path

    instead = yesterday_instead(text, now)
    if instead is None:
        return  # entry_rules refuses it, in its own words
    try:
        check_not_future(option, moment, now)
    except InputError as exc:
        raise InputError(
            f"{exc} (did you mean {option} {instead!r}?)", field=exc.field
        ) from None


def zone_name(tz: tzinfo) -> str:
    """The name a zone is recorded by: its IANA key (`Europe/London`)."""
    return str(getattr(tz, "key", None) or tz)


def _upgraded(path: Path, old: int, new: int, zone: str | None) -> str:
    """What an upgrade says; at the latest schema it only recorded the zone its row lacked."""
    if old == new:
        return f"{path} recorded no time zone; its times are kept in {zone} from now on"
    return f"upgraded {path} from schema {old} to {new}{_zone_words(old, zone)}"


def _zone_words(old_version: int, zone: str | None) -> str:
    """What a new or upgraded file now records: the zone every command on it will use."""
    if zone is None or old_version >= ZONE_RECORDED_SINCE:
        return ""
    return f"; its times are kept in {zone}, for every command on it"


# Notes a command says once it has done its work (cli.app says them, or drops them when the
# command fails: an error is one line on stderr)
AFTER_SUCCESS: list[str] = []


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
