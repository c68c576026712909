"""Where pledgetrack's files are: the database and the bundled example data."""

from __future__ import annotations

from pathlib import Path

from pledgetrack.environment import Environment
from pledgetrack.errors import InputError

DEFAULT_DB_NAME = "pledgetrack.db"


# SQLite's name for a database in memory, which no later command could read again: given
# as --db it was half a file (`./:memory:` written, an empty database read; ATTACK4 A4)
IN_MEMORY = ":memory:"


def expanded(path: Path, named: str | None = None) -> Path:
    """`path` with a leading `~` or `~user` expanded, as the shell expands it; one the shell
    left as typed because no such user exists (`~nosuchuser/x.csv`) is bad input naming
    the path (`named`: the option or setting that gave it), not an internal error (ATTACK6
    J10: pathlib raises RuntimeError)."""
    try:
        return path.expanduser()
    except RuntimeError:
        home = str(path).split("/", 1)[0]
        where = f"{named}: " if named else ""
        raise InputError(
            f"{where}{path}: {home} is no user's home folder on this system, so it cannot be "
            "expanded (write the folder out in full)",
            field=named.lstrip("-") if named and named.startswith("--") else None,
        ) from None


def database_path(option: Path | None, env: Environment) -> Path:
    """--db wins, then $PLEDGETRACK_DB, then `db` in config.toml, then the user's data directory."""
    if option is not None:  # `--db=~/x.db`, which no shell expands, as -o is (ATTACK6 J11)
        where = "--db"
        path = expanded(option, where)
    else:
        chosen = env.setting("db")
        if not chosen.value:
            return env.data_dir / DEFAULT_DB_NAME
        where = chosen.source.removeprefix("environment ")
        if chosen.source.startswith("file "):
            where = f"config file {chosen.source.removeprefix('file ')}: db"
        path = expanded(Path(chosen.value), where)
    if str(path) == IN_MEMORY:
        raise InputError(
            f"{where}: {IN_MEMORY!r} is SQLite's database in memory, where nothing is kept; "
            "give a file's path",
            field="db" if option is not None else None,
        )
    return path


def demo_data_dir() -> Path:
    """The demo CSVs: inside the installed wheel, or examples/demo in a source checkout."""
    from importlib import resources  # only `demo` needs it; ~2.5 ms of every other command

    packaged = resources.files("pledgetrack") / "examples" / "demo"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "examples" / "demo"
