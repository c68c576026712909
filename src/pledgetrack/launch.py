"""The console script's entry point, which loads nothing before it can handle Ctrl-C.

Importing the command line (typer, click, rich) takes a good part of a second, most of a
second on a loaded machine; a Ctrl-C pressed then ended in a Python traceback. It now ends
as an interrupt does once the app is running: `error: interrupted`, exit 130 (ATTACK6 J6).
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from pledgetrack.cli.app import main as run

        run()
    except KeyboardInterrupt:  # only before the app's own handler is in place
        from pledgetrack.exitcodes import ExitCode

        sys.stderr.write("error: interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
