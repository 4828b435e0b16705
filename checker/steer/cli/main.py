"""The entry point: runs the command line and turns every way it can end into an
exit code, in one place (pre-commit's ``error_handler`` does the same).

* 0 / 1: the command ran (1: a finding at or above the fail level);
* 2: the user's error (bad input, flag, pack or rule id): ``file:line:col: message``;
* 3: a bug in steer: a short message that asks for a bug report, never a traceback
  (``STEER_DEBUG=1`` shows it);
* 130: interrupted.
"""

from __future__ import annotations

import gc
import os
import sys

import typer

from steer import __version__
from steer.cli.app import app
from steer.errors import SteerError

try:  # typer >= 0.2x vendors click: its exceptions are not the click package's
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer runs on click itself
    from click import ClickException  # type: ignore[assignment]

BUG_EXIT = 3
"""A bug in steer, never the user's input (pre-commit exits 3 the same way)."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns (and, as a script, exits with) the exit code."""
    # A run builds one large, long-lived, acyclic structure (the YAML node tree and the
    # data); the collector would rescan it over and over for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = app(args=argv, prog_name="steer", standalone_mode=False)
    except SteerError as exc:
        sys.stderr.write(f"steer: {exc}\n" if exc.mark is None and not exc.file else f"{exc}\n")
        return 2
    except ClickException as exc:  # usage errors, and no arguments at all (help, exit 2)
        exc.show()
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("steer: aborted\n")
        return 130
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the one place a bug is turned into a message, not a traceback
        if os.environ.get("STEER_DEBUG"):
            raise
        sys.stderr.write(
            f"steer: internal error: {type(exc).__name__}: {exc}\n"
            f"This is a bug in steer {__version__}, not a problem with your input. Please "
            "report it with the command you ran and the traceback that STEER_DEBUG=1 "
            "prints.\n"
        )
        return BUG_EXIT
    finally:
        if collecting:
            gc.enable()
    return int(result) if isinstance(result, int) else 0


def entry() -> None:  # pragma: no cover - the console script and python -m steer
    code = main()
    # Exit without tearing the heap down object by object: after a large manifest that
    # takes longer than writing the report (mypy exits the same way). Everything steer
    # writes is flushed here, and reports written with --output are already on disk.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)
