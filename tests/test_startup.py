"""Start-up loads only what a command uses: `--help` never imports pydantic or sqlite-utils,
and `log` loads its own command module, not the other commands, reports or sqlite-utils.

Every command pays for what it imports (docs/performance.md); these tests fail if a heavy
import creeps back onto the `--help` or `log` path. They look at `sys.modules` in a real
process, never at timings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from helpers import Run, add_weekly_patrols, ok
from pledgetrack.cli.app import (
    MOUNTS,
    ROOT_ALONE,
    app,
    build,
    command_word,
    command_words,
    mount,
)

PROBE = """
import sys
from pledgetrack.cli.app import main
sys.argv = ["pledgetrack", *{args!r}]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
print("EXIT", code, file=sys.stderr)
loader = sys.modules.get("pydantic.plugin._loader")
if loader is not None and loader._plugins is not None:  # it searched the installed packages
    print("PLUGINS", *loader._plugins, file=sys.stderr)
print("LOADED", *sorted(sys.modules), file=sys.stderr)
"""
HEAVY = {"pydantic", "sqlite_utils", "rich", "tabulate", "dateutil", "click", "pluggy",
         "pledgetrack.domain.models", "pledgetrack.services.compliance"}  # fmt: skip
COMMAND_MODULES = {name for name, _ in MOUNTS}


def _loaded(*args: str, status: int = 0) -> set[str]:
    """Every module a real process has loaded when the command line `args` has run."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    lines = done.stderr.splitlines()
    assert f"EXIT {status}" in lines, done.stderr
    line = next(x for x in lines if x.startswith("LOADED"))
    searched = {"pydantic plugin search"} if any(x.startswith("PLUGINS") for x in lines) else set()
    return set(line.split()[1:]) | searched


def test_help_loads_no_models_and_no_database_library() -> None:
    assert _loaded("--help") & HEAVY == set()


# What creating a database file and naming the user for the audit need: not for the version
FILE_AND_USER = {"tempfile", "getpass"}


def test_version_loads_no_command_module() -> None:
    """`--version` is answered by the root alone: no command module imported or built."""
    loaded = _loaded("--version")
    ours = {m.removeprefix("pledgetrack.cli.") for m in loaded}
    assert ours & COMMAND_MODULES == set()
    assert loaded & (HEAVY | FILE_AND_USER) == set()
    assert "pledgetrack.render" not in ours


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["--version", "log"], ["--version", "lgo"], ["--version", "--help"],
     ["--version", "--bogus"], ["--version", "--db"],
     ["--db", "x.db", "--version", "-h"]],
)  # fmt: skip
def test_the_root_alone_answers_version_as_the_whole_tree(argv: list[str]) -> None:
    assert command_word(argv) == ROOT_ALONE
    runner = CliRunner()
    here = runner.invoke(build(ROOT_ALONE), argv, prog_name="pledgetrack")
    there = runner.invoke(app, argv, prog_name="pledgetrack")
    assert (here.output, here.exit_code) == (there.output, there.exit_code)


def test_a_command_help_loads_no_models_either() -> None:
    """Typer itself loads pydantic to convert a command's parameters; our models stay out."""
    assert _loaded("log", "--help") & HEAVY <= {"pydantic"}
    assert _loaded("export", "summary", "--help") & HEAVY <= {"pydantic"}


# What `log` needs: its command module and what that imports, the rules it applies, the rows
# it reads and writes. Not the other commands, not sqlite-utils (plain sqlite3 reads a pledge
# and inserts a row), not rich or tabulate (it prints an id), not the reports. (An ISO time:
# a day-first one such as 2/10/08 is read by dateutil, which `log` then does use.)
# Nor tomllib when there is no config file, nor pydantic's search of every installed package
# for plugins (pledgetrack uses none).
LOG_NEEDS_NOT = {"sqlite_utils", "dateutil", "click", "pluggy", "rich", "tabulate", "tomllib",
                 "pydantic plugin search"}  # fmt: skip
# Nor any of our modules for showing rows (it prints an id), judging, periods as a report
# reads them, option groups, or for explaining a usage error (there is none).
LOG_NEEDS_NOT_OURS = {"render", "records", "csvcodec", "domain.rules", "domain.trends",
                      "cli.groups", "cli.columns", "cli.usage"}  # fmt: skip


def test_log_loads_only_what_logging_uses(cli: Run, team: str, db: Path) -> None:
    add_weekly_patrols(cli, team)
    when = "2008-10-02 10:00"
    loaded = _loaded("--db", str(db), "log", "CW01-L1", "Foot patrol", "--when", when)
    assert loaded & LOG_NEEDS_NOT == set()
    ours = {m for m in loaded if m.startswith("pledgetrack.")}
    assert {m.removeprefix("pledgetrack.") for m in ours} & LOG_NEEDS_NOT_OURS == set()
    assert {m.removeprefix("pledgetrack.cli.") for m in ours} & COMMAND_MODULES == {"actions"}
    elsewhere = {m for m in ours if m.startswith(("pledgetrack.reporting", "pledgetrack.services"))}
    assert elsewhere == {"pledgetrack.services", "pledgetrack.services.action_log"}
    assert "pledgetrack.store.queries" not in ours
    assert ok(cli("actions", "--format", "csv")).stdout.count("Foot patrol") == 1


def test_log_and_the_root_have_their_annotations_as_objects() -> None:
    """Typer reads these signatures several times while it builds `log`: string annotations
    (`from __future__ import annotations`) would be evaluated again at every read."""
    from pledgetrack.cli.actions import log
    from pledgetrack.cli.app import root

    for command in (log, root):
        assert command.__annotations__
        assert not [a for a in command.__annotations__.values() if isinstance(a, str)]


def test_the_models_have_their_annotations_as_objects() -> None:
    """pydantic evaluates string annotations as it defines each model, at every import."""
    from pledgetrack.domain import models, targets

    classes = [models.Team, models.Pledge, models.Action, *targets._MODELS.values()]
    for model in classes:
        assert not [a for a in vars(model)["__annotations__"].values() if isinstance(a, str)]


def test_a_real_process_closes_what_it_opened_itself(
    cli: Run, team: str, db: Path, tmp_path: Path
) -> None:
    """A process leaves its reference cycles to the operating system at exit (no last
    garbage collection, cli.app): the database must be closed by the command, so that its
    write-ahead log is checkpointed and removed, and a file it writes must be whole."""
    add_weekly_patrols(cli, team)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "actions.csv"
    for args in (["log", "CW01-L1", "Foot patrol", "--when", "2008-10-02 10:00"],
                 ["export", "actions", "-o", str(out)]):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "pledgetrack", "--db", str(db), *args],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert [p.name for p in db.parent.glob(f"{db.name}*")] == [db.name], done.stderr
    assert done.stderr == f"wrote 1 row to {out}\n"
    assert out.read_text(encoding="utf-8").count("Foot patrol") == 1
    assert [p.name for p in out.parent.iterdir()] == ["actions.csv"]


# The report and listing commands read and print: none needs sqlite-utils (plain sqlite3
# reads), dateutil (no typed date is read forgivingly: `--period 2008-10` is not), rich
# (piped output is plain text), pluggy or pydantic's plugin search, nor `log`'s service.
# Written as CSV or JSON, not tabulate either. (Typer itself still loads pydantic.)
REPORT_NEEDS_NOT = {"sqlite_utils", "dateutil", "click", "pluggy", "rich", "tomllib",
                    "pydantic plugin search", "pledgetrack.services.action_log",
                    "pledgetrack.cli.usage"}  # fmt: skip
REPORTS = [
    (["summary", "--team", "CW01", "--period", "2008-10"], "reports", 0),
    (["overview", "--period", "2008-10"], "reports", 0),
    (["check", "--as-of", "2008-10-20"], "reports", 1),
    (["export", "summary", "--period", "2008-10"], "transfer", 0),
    (["agenda", "--team", "CW01", "--as-of", "2008-10-20"], "agenda", 0),
    (["pledge", "list", "--team", "CW01"], "pledges", 0),
]


@pytest.mark.parametrize(
    ("args", "module", "status"), REPORTS, ids=[" ".join(r[0][:2]) for r in REPORTS]
)
def test_a_report_loads_only_what_reading_and_printing_use(
    cli: Run, team: str, db: Path, args: list[str], module: str, status: int
) -> None:
    add_weekly_patrols(cli, team)
    ok(cli("log", "CW01-L1", "Foot patrol", "--when", "2008-10-02 10:00"))
    formats = [[], ["--format", "csv"], ["--format", "json"]]
    if args[0] == "export":
        formats = [[], ["--format", "json"]]  # CSV is its default
    for fmt in formats:
        loaded = _loaded("--db", str(db), *args, *fmt, status=status)
        assert loaded & REPORT_NEEDS_NOT == set(), fmt
        if fmt or args[0] == "export":
            assert "tabulate" not in loaded, fmt
        ours = {m.removeprefix("pledgetrack.cli.") for m in loaded}
        assert ours & COMMAND_MODULES == {module}


@pytest.mark.parametrize(("name", "words"), MOUNTS, ids=[name for name, _ in MOUNTS])
def test_each_module_mounts_exactly_the_words_the_table_gives_it(
    name: str, words: tuple[str, ...]
) -> None:
    """`main` mounts only the named word's module: a command the table misses would vanish."""
    holder = typer.Typer()
    mount(holder, name)
    mounted = [c.name for c in holder.registered_commands]
    assert {*mounted, *(g.name for g in holder.registered_groups)} == set(words)


@pytest.mark.parametrize("word", [w for _, words in MOUNTS for w in words])
def test_a_named_command_is_built_alone(word: str) -> None:
    alone = typer.main.get_command(build(word))
    assert set(alone.commands) == {word}  # type: ignore[attr-defined]


WHOLE = typer.main.get_command(app)


@pytest.mark.parametrize("word", [w for _, words in MOUNTS for w in words])
def test_a_command_built_alone_answers_as_in_the_whole_tree(word: str) -> None:
    """Help, a bad option and no arguments read the same whichever tree `main` built."""
    runner = CliRunner()
    alone = build(word)
    subs = getattr(WHOLE.commands[word], "commands", {})  # type: ignore[attr-defined]
    for args in ([word], *([word, sub] for sub in subs)):
        for extra in (["--help"], ["--no-such-option"], []):
            here = runner.invoke(alone, [*args, *extra], prog_name="pledgetrack")
            there = runner.invoke(app, [*args, *extra], prog_name="pledgetrack")
            assert (here.output, here.exit_code) == (there.output, there.exit_code), args


GROUPED = [
    (word, sub)
    for word, command in WHOLE.commands.items()  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {})
]


@pytest.mark.parametrize(("word", "sub"), GROUPED, ids=[" ".join(g) for g in GROUPED])
def test_a_group_command_built_alone_answers_as_in_the_whole_tree(word: str, sub: str) -> None:
    """`pledge list` builds the pledge group holding `list` alone; it reads the same."""
    alone = build(word, sub)
    group = typer.main.get_command(alone).commands[word]  # type: ignore[attr-defined]
    assert set(group.commands) == {sub}
    runner = CliRunner()
    for extra in (["--help"], ["--no-such-option"], []):
        here = runner.invoke(alone, [word, sub, *extra], prog_name="pledgetrack")
        there = runner.invoke(app, [word, sub, *extra], prog_name="pledgetrack")
        assert (here.output, here.exit_code) == (there.output, there.exit_code), extra


def test_a_group_built_for_one_command_leaves_the_others_in_place() -> None:
    """The group's own Typer app keeps every command (tests, `--help`, the next build)."""
    typer.main.get_command(build("pledge", "list"))
    whole = typer.main.get_command(build("pledge")).commands["pledge"]  # type: ignore[attr-defined]
    assert {"add", "list", "show", "edit", "close", "reopen"} <= set(whole.commands)
    misspelt = typer.main.get_command(build("pledge", "lst")).commands["pledge"]  # type: ignore[attr-defined]
    assert set(misspelt.commands) == set(whole.commands)  # for click's "did you mean"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["pledge", "list", "--team", "CW01"], ("pledge", "list")),
        (["--db", "pledge", "pledge", "list"], ("pledge", "list")),  # a file named pledge
        (["pledge", "--help", "list"], ("pledge", None)),
        (["pledge"], ("pledge", None)),
        (["log", "CW01-L1", "patrol"], ("log", "CW01-L1")),  # not a group: built whole
        (["--version", "log"], (ROOT_ALONE, None)),
        (["lgo", "list"], (None, None)),
    ],
)
def test_the_word_after_the_command_is_found_only_when_certain(
    argv: list[str], words: tuple[str | None, str | None]
) -> None:
    assert command_words(argv) == words


def test_the_whole_tree_is_the_table() -> None:
    whole = typer.main.get_command(build())
    assert set(whole.commands) == {w for _, words in MOUNTS for w in words}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["log", "CW01-L1", "patrol"], "log"),
        (["--db", "x.db", "log", "CW01-L1"], "log"),
        (["--db=x.db", "summary"], "summary"),
        (["--db", "log", "team", "list"], "team"),  # a database file named log
        (["team", "--help"], "team"),
        ([], None),
        (["--help"], None),
        (["-h", "log"], None),
        (["--version", "log"], ROOT_ALONE),
        (["--db", "x.db", "--version"], ROOT_ALONE),
        (["-h", "--version"], None),  # help first: it lists the commands
        (["--install-completion"], None),
        (["lgo", "CW01-L1"], None),  # misspelt: the whole tree, for click's suggestion
        (["--db"], None),
    ],
)
def test_the_command_word_is_found_only_when_certain(argv: list[str], word: str | None) -> None:
    assert command_word(argv) == word


def test_completion_builds_the_whole_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_PLEDGETRACK_COMPLETE", "complete_bash")
    assert command_word(["log"]) is None


INTERRUPTED_WHILE_LOADING = """
import sys

class Interrupted:  # Ctrl-C as the command line's modules load
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupted())
sys.argv = ["pledgetrack", "--help"]
from pledgetrack.launch import main
main()
"""


@pytest.mark.parametrize("module", ["typer", "pledgetrack.cli.app", "pledgetrack.cli.options"])
def test_ctrl_c_while_the_command_line_loads_is_an_interrupt_not_a_traceback(
    module: str,
) -> None:
    """Loading typer and click takes most of a second on a loaded machine: a Ctrl-C
    then printed a Python traceback (ATTACK6 J6). The console script's entry (launch.py)
    loads nothing before it can say it as the app says an interrupt."""
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WHILE_LOADING.format(module=module)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (130, "error: interrupted\n")


def test_the_console_script_is_the_entry_that_handles_ctrl_c() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "pledgetrack"]
    assert script.value == "pledgetrack.launch:main"
