"""Everything pledgetrack reads from the outside world, in one object tests can replace.

Commands never call `datetime.now()`, `os.environ` or `isatty()` directly: they ask the
Environment, so a test can pin the clock, pretend to be a terminal or point the data
directory at a temporary folder without patching globals.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pledgetrack.config import FileConfig, Value, config_path, read_config, resolve
from pledgetrack.errors import InputError, PledgetrackError

DEFAULT_TZ = "Europe/London"


def _system_now(tz: tzinfo) -> datetime:
    return datetime.now(tz)


@dataclass
class Environment:
    tz: tzinfo
    stdout_isatty: bool
    stdin_isatty: bool
    no_color: bool
    user: str
    data_dir: Path
    vars: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[tzinfo], datetime] = _system_now
    # progress bars go to stderr: shown only when a person is watching it
    stderr_isatty: bool = False
    # the user's config.toml (pledgetrack.config); None: no file is consulted
    config: FileConfig | None = None
    # why the zone configured cannot be used (config.toml cannot be read, a zone this
    # system does not know): `tz` is then the default, and this is raised where the
    # configured zone is needed (a new database, a write, `rollup`), not before `--help`
    zone_problem: PledgetrackError | None = None

    def now(self) -> datetime:
        """The current moment, aware, in the configured zone."""
        return self.clock(self.tz).astimezone(self.tz)

    def setting(
        self, key: str, flag: str | None = None, default: str | None = None, flag_name: str = ""
    ) -> Value:
        """A default in force (team, db, timezone) and where it came from."""
        file = self.config or FileConfig(Path(), {})
        return resolve(key, flag, self.vars, file, default, flag_name)

    def without_config(self) -> Environment:
        """The same environment as if there were no config.toml (`demo`'s sandbox, when
        the user's file cannot be used)."""
        empty = FileConfig(self.config.path if self.config else Path(), {})
        tz, problem = configured_zone(self.vars, empty)
        return replace(self, config=empty, tz=tz, zone_problem=problem)

    @property
    def debug(self) -> bool:
        """PLEDGETRACK_DEBUG=1: let an unexpected exception out with its traceback."""
        return bool(self.vars.get("PLEDGETRACK_DEBUG"))

    @property
    def colour(self) -> bool:
        return self.stdout_isatty and not self.no_color

    @classmethod
    def from_os(cls, environ: Mapping[str, str] | None = None) -> Environment:
        env = dict(os.environ if environ is None else environ)
        config = read_config(config_path(env))
        tz, zone_problem = configured_zone(env, config)
        return cls(
            tz=tz,
            stdout_isatty=sys.stdout.isatty(),
            stdin_isatty=sys.stdin.isatty(),
            # https://no-color.org: any non-empty value disables colour
            no_color=bool(env.get("NO_COLOR")),
            user=_os_user(env),
            data_dir=_data_dir(env),
            vars=env,
            stderr_isatty=sys.stderr.isatty(),
            config=config,
            zone_problem=zone_problem,
        )


def configured_zone(
    environ: Mapping[str, str], config: FileConfig
) -> tuple[ZoneInfo, PledgetrackError | None]:
    """The zone configured, or the default and why the configured one cannot be used."""
    try:
        zone = resolve("timezone", None, environ, config, DEFAULT_TZ)
        return load_zone(zone.value or DEFAULT_TZ, zone.source), None
    except PledgetrackError as exc:
        return ZoneInfo(DEFAULT_TZ), exc


# Names tzdata gives to this machine's own setting, not to a place: a database records its
# zone by name, and another machine (or this one reset) would read `localtime` otherwise,
# moving every stored time's wall clock without a word. Refused where a zone is configured;
# a file that recorded one before is still read as this machine reads it.
MACHINE_ZONES = frozenset({"localtime", "posixrules"})


def load_zone(name: str, source: str = "environment PLEDGETRACK_TZ") -> ZoneInfo:
    if name in MACHINE_ZONES:
        where = source.removeprefix("file ").removeprefix("environment ")
        said = f"timezone = {name!r}" if source.startswith("file ") else repr(name)
        raise InputError(
            f"time zone in {where}: {said} is this machine's own setting, which another "
            "machine reads otherwise; give the zone's name, e.g. Europe/London",
            field="timezone" if source.startswith("file ") else None,
        )
    zone = known_zone(name)
    if zone is None:
        if source.startswith("file "):  # as the file spells it
            raise InputError(
                f"unknown time zone in {source.removeprefix('file ')}: timezone = {name!r}",
                field="timezone",
            )
        raise InputError(f"unknown time zone in {source.removeprefix('environment ')}: {name!r}")
    return zone


def known_zone(name: str) -> ZoneInfo | None:
    """The IANA zone of that name; None when this system has none (a name tzdata lacks, a
    path, a folder of zones such as `Europe`, which ZoneInfo fails on as an OSError)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _os_user(env: Mapping[str, str]) -> str:
    """The account the process runs as, from the user id: not $USER or $LOGNAME, which
    anyone can set (`USER="Chief Constable" pledgetrack log ...` would forge the audit)."""
    if sys.platform == "win32":  # pragma: no cover  # no pwd; the logon name is what we have
        import getpass

        return getpass.getuser()
    import pwd

    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # no passwd entry, e.g. in some containers: the number is still true
        return f"uid {uid}"


def _data_dir(env: Mapping[str, str]) -> Path:
    """Where the default database lives: XDG on Linux, the platform's usual place elsewhere."""
    if sys.platform == "win32":
        base = Path(env.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = env.get("XDG_DATA_HOME")
        base = Path(xdg) if xdg else Path(env.get("HOME") or Path.home()) / ".local" / "share"
    return base / "pledgetrack"
