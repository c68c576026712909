"""Where pledgetrack's files are: the database and the bundled example data."""

from __future__ import annotations

from pathlib import Path

from pledgetrack.environment import Environment

DEFAULT_DB_NAME = "pledgetrack.db"


def database_path(option: Path | None, env: Environment) -> Path:
    """--db wins, then $PLEDGETRACK_DB, then `db` in config.toml, then the user's data directory."""
    if option is not None:
        return option
    chosen = env.setting("db").value
    return Path(chosen).expanduser() if chosen else env.data_dir / DEFAULT_DB_NAME


def demo_data_dir() -> Path:
    """The demo CSVs: inside the installed wheel, or examples/demo in a source checkout."""
    from importlib import resources  # only `demo` needs it; ~2.5 ms of every other command

    packaged = resources.files("pledgetrack") / "examples" / "demo"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "examples" / "demo"
