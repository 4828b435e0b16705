"""The entry point: runs the command line and turns every way it can end into an
exit code, in one place (pre-commit's ``error_handler`` does the same).

* 0 / 1: the command ran (1: a finding at or above the fail level);
* 2: the user's error (bad input, flag, pack or rule id): ``file:line:col: message``;
* 3: a bug in steer: a short message that asks for a bug report, never a traceback
  (``STEER_DEBUG=1`` shows it);
* 130: interrupted.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
from pathlib import Path

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


class NoStdout(OSError):
    """Standard output was closed (``>&-``) and a command tried to write to it."""


class _Closed(io.TextIOBase):
    """Stands in for a closed standard output: a command that writes to it stops with
    exit 2; one that writes only files (``--output``) runs as usual. A closed standard
    error discards what is written (there is nowhere left to say it)."""

    encoding = "utf-8"

    def __init__(self, fail: bool) -> None:
        super().__init__()
        self._fail = fail

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not text or not self._fail:
            return len(text)
        raise NoStdout("cannot write to standard output: it is closed")

    def flush(self) -> None:
        return None


def _prepare_streams() -> None:
    """Output that cannot fail for the terminal's sake: a closed standard output is
    told apart from a broken pipe (and its file descriptor is not reused for a file
    steer opens), and text the console's encoding (``PYTHONIOENCODING=ascii``,
    ``latin-1``) cannot show is written as backslash escapes, not a crash."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            try:
                os.fstat(fd)
            except OSError:  # closed: hold the descriptor so that no file opened gets it
                with contextlib.suppress(OSError):
                    os.open(os.devnull, os.O_WRONLY)
            setattr(sys, name, _Closed(fail=fd == 1))
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            with contextlib.suppress(ValueError, OSError):  # a detached or closed stream
                stream.reconfigure(errors="backslashreplace")


def _current_folder_missing() -> bool:
    try:
        Path.cwd()
    except OSError:
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns (and, as a script, exits with) the exit code."""
    _prepare_streams()
    if _current_folder_missing():
        sys.stderr.write(
            "steer: the current folder no longer exists (it was deleted or moved); "
            "expected to run in an existing folder: cd into one and run steer again\n"
        )
        return 2
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
    except NoStdout:
        sys.stderr.write("steer: cannot write to standard output: it is closed\n")
        return 2
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
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)
