"""The root command: global options, error handling, and the command groups mounted on it."""

# No `from __future__ import annotations` in this module: Typer reads a command's signature
# with get_type_hints several times while it builds the command, and string annotations
# are evaluated again at each read (half of building `log`); objects cost nothing to read.

import atexit
import copy
import gc
import importlib
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, get_args

import typer

from pledgetrack import __version__, stdio
from pledgetrack.cli.context import AFTER_SUCCESS, CLOSED_PIPE_STATUS, AppContext
from pledgetrack.cli.help import HelpGroup, apply
from pledgetrack.cli.options import db_path
from pledgetrack.domain.numbers import read_number
from pledgetrack.domain.text import text_problem
from pledgetrack.environment import Environment
from pledgetrack.errors import (
    DatabaseError,
    InputError,
    NotFoundError,
    PledgetrackError,
    SystemRefusedError,
    field_name,
    from_validation_error,
)
from pledgetrack.exitcodes import ExitCode

try:  # Typer >= 0.29 vendors click; its usage errors are not exported under a public name
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover  # older Typer on real click
    from click import exceptions as click_errors  # type: ignore[no-redef]


class PledgetrackGroup(HelpGroup):
    """Turns every failure into one line on stderr and an exit status: no tracebacks, no boxes.

    Cron logs get `error: unknown team 'XX01'`, not a rich panel; the exit status comes from
    ExitCode, so scripts can tell bad input (2) from a database problem (3).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """The root's eager options (`--help`, `--version`) print while parsing, before
        `invoke`: a reader already gone is not a failure there either."""
        try:
            return list(super().parse_args(ctx, args))
        except BrokenPipeError:
            _discard_stdout()
            raise typer.Exit(ExitCode.OK) from None

    def invoke(self, ctx: Any) -> Any:
        """Inside Typer's own handler, which would turn a closed pipe into exit status 1."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # `pledgetrack export actions | head`: the reader left; that is not a failure,
            # but neither does it undo what the command found (`check`'s exit 1)
            _discard_stdout()
            raise typer.Exit(ctx.meta.get(CLOSED_PIPE_STATUS, ExitCode.OK)) from None
        except NotFoundError as exc:  # a default team the user did not type: say whose it is
            obj = ctx.find_object(AppContext)
            raise (exc if obj is None else obj.attributed(exc)) from None
        except (DatabaseError, SystemRefusedError) as exc:  # a database it did not type
            obj = ctx.find_object(AppContext)
            raise (exc if obj is None else obj.database_named(exc)) from None
        except OSError as exc:
            raise SystemRefusedError(stdio.refusal(exc)) from None

    def main(  # type: ignore[override]  # same call shape as click's, narrowed return
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        _guard_text_parameters(self)
        _terminate_as_exception()
        AFTER_SUCCESS.clear()
        try:
            result = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
            if result == ExitCode.INTERRUPTED:  # Typer's own word for Ctrl-C, said silently
                raise KeyboardInterrupt
            if AFTER_SUCCESS:  # render only when there is something to say (not on --help)
                from pledgetrack.render import message

                for note in AFTER_SUCCESS:
                    message(note)
        except PledgetrackError as exc:
            _fail(str(exc), exc.exit_code)
        except sqlite3.Error as exc:
            _fail(str(DatabaseError(f"database error: {exc}")), ExitCode.DATABASE)
        except click_errors.NoArgsIsHelpError as exc:
            # `pledgetrack team` alone: show the group's help, as the user evidently wants it
            typer.echo(exc.ctx.get_help() if exc.ctx else str(exc), err=True)
            sys.exit(ExitCode.USAGE)
        except click_errors.UsageError as exc:
            from pledgetrack.cli import usage  # the error paths' modules: loaded when needed
            hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
            text = usage.describe(exc, list(sys.argv[1:] if args is None else args))
            if isinstance(exc, click_errors.NoSuchOption) and exc.option_name in _ROOT_ONLY:
                hint = f" ({_ROOT_ONLY[exc.option_name]})"
                # click's guess at a similar option (--wide, --period) would only mislead here
                text = text.split(" (Possible options:")[0]
            _fail(f"{text}{hint}", ExitCode.USAGE)
        except typer.TyperException as exc:
            _fail(exc.format_message(), ExitCode.USAGE)
        except typer.Abort:
            _fail("aborted", ExitCode.INTERRUPTED)
        except KeyboardInterrupt:
            _fail("interrupted", ExitCode.INTERRUPTED)
        except _Terminated as stop:
            _fail(stop.words, ExitCode.signalled(stop.signum))
        except OSError as exc:  # met before any command runs: --help, --version into a full disk
            _fail(stdio.refusal(exc), ExitCode.IO)
        except Exception as exc:
            from pledgetrack.cli import usage
            if usage.is_validation_error(exc):
                _fail(str(from_validation_error(exc)), ExitCode.USAGE)
            env = extra.get("obj")
            if (env if isinstance(env, Environment) else Environment.from_os()).debug:
                raise
            _fail(
                f"internal error ({type(exc).__name__}: {exc}); please report it "
                "(PLEDGETRACK_DEBUG=1 shows the traceback)",
                ExitCode.INTERNAL,
            )
        try:  # output still buffered meets a closed pipe here, not at interpreter exit
            sys.stdout.flush()
        except BrokenPipeError:
            _discard_stdout()
        except OSError as exc:  # or a full disk, a closed stdout: the output is lost
            _fail(stdio.refusal(exc), ExitCode.IO)
        sys.exit(result if isinstance(result, int) else ExitCode.OK)


class _Terminated(BaseException):
    """SIGTERM or SIGHUP (the terminal closed, an ssh session dropped), raised where the
    process is, so that cleanup runs as for Ctrl-C: the write transaction rolls back and a
    half-written `.NAME.PID.XXXX.part` file is removed. Exit 128 + the signal's number
    (ExitCode.signalled)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def words(self) -> str:
        return "hung up" if self.signum == signal.SIGHUP else "terminated"


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated(signum)


def _terminate_as_exception() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_terminated)
        if hasattr(signal, "SIGHUP"):  # not on Windows
            signal.signal(signal.SIGHUP, _raise_terminated)


def _guard_text_parameters(command: Any) -> None:
    """Give every parameter of every command the text check, once per command tree.

    Done here, at the root, so that no option or argument can be missed: a value that
    cannot be stored (invalid UTF-8 from the shell, a NUL) is refused with its name
    before the command starts, rather than failing inside SQLite.
    """
    if getattr(command, "_text_guarded", False):
        return
    command._text_guarded = True
    for sub in getattr(command, "commands", {}).values():
        _guard_text_parameters(sub)
    for param in command.params:
        param.callback = _checked_text(param.callback)
        kind = _number_kind(param)
        if kind is not None:
            param.process_value = _checked_number(param, param.process_value, kind)


def _number_kind(param: Any) -> type | None:
    """int or float when the parameter is a number (`float | None` too), else None."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    kinds = {annotation} if annotation in (int, float) else set(get_args(annotation))
    kinds.discard(type(None))
    return kinds.pop() if len(kinds) == 1 and kinds <= {int, float} else None


def _checked_number(param: Any, then: Callable[..., Any], kind: type) -> Callable[..., Any]:
    """A number typed on the command line reads as one in a file does (numbers.read_number:
    plain ASCII decimals), before Typer's own conversion, which takes `1_0` as 10."""

    def process(ctx: Any, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else (value,):
            if not isinstance(item, str) or text_problem(item) is not None:
                continue  # not typed, or the text check says what is wrong
            try:
                read = read_number(item)
            except ValueError:
                name = _parameter_name(param)
                noun = "a whole number" if kind is int else "a number"
                raise InputError(
                    f"{name} must be {noun}, not {item!r} (see: {ctx.command_path} --help)",
                    field=field_name(name),
                ) from None
            if read != float(item):  # `1e-400`, which Typer would take as 0 (ATTACK6 J4)
                name = _parameter_name(param)
                raise InputError(
                    f"{name}: {item.strip()} is too close to 0 to be held as a number "
                    "(give 0, or the value in full)",
                    field=field_name(name),
                )
        return then(ctx, value)

    return process


def _checked_text(then: Callable[..., Any] | None) -> Callable[..., Any]:
    def check(ctx: Any, param: Any, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else (value,):
            problem = text_problem(item) if isinstance(item, str) else None
            if problem is not None:
                name = _parameter_name(param)
                raise InputError(f"{name} {problem}", field=field_name(name))
        return value if then is None else then(ctx, param, value)

    return check


def _parameter_name(param: Any) -> str:
    """How the user typed it: `--officer`, or an argument's metavar (`DESCRIPTION`)."""
    if param.param_type_name == "option":
        return str(max(param.opts, key=len))
    return str(param.metavar or param.name.upper())


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that no later flush can fail on the closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _fail(text: str, code: int) -> None:
    from pledgetrack.render import for_people
    typer.echo(f"error: {for_people(text, one_line=True)}", err=True)
    sys.exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pledgetrack {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            parser=db_path,  # the text as typed: "" is no path
            metavar="PATH",
            help="SQLite database file. Default: $PLEDGETRACK_DB, else db in config.toml, "
            "else pledgetrack.db in the user data directory.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Record neighbourhood policing pledges, log what was done, and report honestly on them."""
    env = ctx.obj if isinstance(ctx.obj, Environment) else Environment.from_os()
    for unknown in env.config.unknown if env.config is not None else ():
        typer.echo(f"warning: {unknown}", err=True)  # ignored, so a slip may go unseen
    actx = ctx.obj = AppContext(env=env, db_option=db)
    actx.adopt_database_zone()  # before any command reads a time it was given


# Every command word and the module that declares it, in the order `--help` lists them.
# Modules with a group of their own (`team add`, ...) are mounted under their word; the others
# register their commands themselves. `main` imports only the module the command line names,
# so `log` does not load or build the report commands (docs/performance.md).
_GROUPS = {"teams": "team", "pledges": "pledge", "national": "national", "config": "config",
           "database": "db"}  # fmt: skip
MOUNTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("teams", ("team",)),
    ("pledges", ("pledge",)),
    ("national", ("national",)),
    ("config", ("config",)),
    ("database", ("db",)),
    ("actions", ("log", "respond", "void")),
    ("history", ("actions", "history")),
    ("shortcuts", ("message", "meeting", "next-meeting", "update", "duty", "attend",
                   "victim-update", "priorities")),
    ("reports", ("summary", "overview", "check")),
    ("report", ("report",)),
    ("agenda", ("agenda",)),
    ("demo", ("demo",)),
    ("transfer", ("export", "import", "rollup")),
    ("backup", ("backup",)),
)  # fmt: skip
_ROOT_VALUE_OPTIONS = {"--db"}  # the root's options that take a value
# the root's options typed after a command word (`summary --version`): where they go
_ROOT_ONLY = {
    "--db": "--db goes before the command: pledgetrack --db FILE COMMAND ...",
    "--version": "the version is the program's: pledgetrack --version",
}
# `--version` answers while the root's options are read, before any command word: the root
# alone answers it as the whole tree does, without importing or building the 44 commands
ROOT_ALONE = ""


def build(word: str | None = None, sub: str | None = None) -> typer.Typer:
    """The command tree: whole, or (given a command word) the root and that one command, or
    (given ROOT_ALONE) the root alone. Given a group's word and `sub`, one of its commands
    (`pledge list`), the group holds that command alone."""
    root_app = typer.Typer(
        name="pledgetrack",
        cls=PledgetrackGroup,
        help="Record neighbourhood policing pledges, log what was done, and report honestly "
        "on them.",
        no_args_is_help=True,
        add_completion=True,  # --install-completion, --show-completion (bash, zsh, fish)
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        # help as wide as the terminal (click stops at 80 by default); children inherit it
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 160},
    )
    root_app.callback()(root)
    for name, words in MOUNTS:
        if word is None or word in words:
            mount(root_app, name)
    if word is not None:  # Typer converts every command it holds: hold only this one
        root_app.registered_commands[:] = [
            c for c in root_app.registered_commands if c.name == word
        ]
        root_app.registered_groups[:] = [
            _holding(g, sub) for g in root_app.registered_groups if g.name == word
        ]
    apply(root_app)
    return root_app


def _holding(group: Any, sub: str | None) -> Any:
    """The group `group` (a TyperInfo) holding only its command `sub`, if it has one of
    that name: Typer converts every command a group holds, and `pledge list` would build
    `pledge add`'s 20 options too. Otherwise (a misspelt word, none) the whole group, so
    that click can still suggest the nearest. The module's own Typer app is not changed."""
    whole = group.typer_instance
    kept = [c for c in whole.registered_commands if sub is not None and c.name == sub]
    if not kept:
        return group
    alone = copy.copy(whole)
    alone.registered_commands, alone.registered_groups = kept, []
    holding = copy.copy(group)
    holding.typer_instance = alone
    return holding


def mount(parent: typer.Typer, name: str) -> None:
    """Add the commands of the module `pledgetrack.cli.<name>` to `parent`."""
    module: Any = importlib.import_module(f"pledgetrack.cli.{name}")
    if name in _GROUPS:
        parent.add_typer(module.app, name=_GROUPS[name])
    else:
        module.register(parent)


def command_word(argv: Sequence[str]) -> str | None:
    """The command a command line names, when that is certain; None means "build it all",
    ROOT_ALONE the root without commands (`--version`)."""
    return command_words(argv)[0]


def command_words(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """The command word (as `command_word`) and the word right after it, if a word follows
    at once (`list` in `pledge list`; none in `pledge --help list`): `main` builds only
    that command of a group, when the group has one of that name.

    Only `--db FILE` may come before the command: any other root option (`--help`,
    completion) or an unknown word needs the whole tree, as does shell completion.
    """
    if any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ):
        return None, None
    args = iter(argv)
    for arg in args:
        if arg in _ROOT_VALUE_OPTIONS:
            next(args, None)
        elif arg.split("=", 1)[0] in _ROOT_VALUE_OPTIONS and "=" in arg:
            continue
        elif arg == "--version":
            return ROOT_ALONE, None
        elif arg.startswith("-"):
            return None, None
        elif any(arg in words for _, words in MOUNTS):
            following = next(args, None)
            return arg, None if following is None or following.startswith("-") else following
        else:
            return None, None
    return None, None


def __getattr__(name: str) -> Any:
    """`app`, the whole tree, built on first use (tests, completion): `main` builds less."""
    if name == "app":
        whole = build()
        globals()["app"] = whole
        return whole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _collect_no_more() -> None:
    """The process is ending: no cyclic garbage collection while the interpreter tears down.

    Its final collections walk every object left (tens of thousands: Typer's, pydantic's,
    ours) several times, about 40 ms of CPU at the end of every command, as much as `log`'s
    own work. Everything is still closed and freed as before, by reference counting, and
    every other exit handler runs first; only what is kept alive by a reference cycle is
    left to the operating system, which frees the whole process anyway (our files and
    connections are closed by `with`, not by the collector: tests/test_startup.py).
    """
    gc.disable()
    gc.freeze()


def main() -> None:
    atexit.register(_collect_no_more)  # registered first, so it runs after all the others
    # pledgetrack uses no pydantic plugins; looking for them reads every installed package's
    # entry points when the first model is built (~15 ms of each run). Typer does the same
    # while it builds its own adapters. A value the user has set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    stdio.name_standard_streams()  # so that exit 74 can say `cannot write to stdout`
    build(*command_words(sys.argv[1:]))()
