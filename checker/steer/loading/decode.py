"""Bytes to text: a file read as UTF-8, with the position of any byte that is not."""

from __future__ import annotations

import errno
import stat
import sys
from pathlib import Path

from steer.errors import InputError, Mark, SteerError

STDIN = "-"  # the path that means standard input
STDIN_NAME = "<stdin>"  # how positions and reports name it


def refuse_special(
    path: Path, name: str, expected: str, error: type[SteerError] = InputError
) -> None:
    """Raise ``error`` if ``path`` exists but is no regular file (a pipe would block
    the run, a device never ends) or is a symbolic link loop, before anything opens
    it; ``expected`` is what was expected instead ("a YAML file"). A missing file or
    a folder is left to the caller, which names what it wanted there."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error(f"symbolic link loop; expected {expected}", file=name) from None
        return
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise error(f"not a regular file; expected {expected}", file=name)


def read_text(path: Path, display: str | None = None) -> str:
    """Read a file as UTF-8, with a located error for any byte that is not;
    ``-`` is standard input."""
    name = display or str(path)
    if str(path) == STDIN:
        return decode(sys.stdin.buffer.read(), name)
    refuse_special(path, name, "a YAML file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file; expected the path of a YAML file", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory; expected the path of a YAML file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from exc
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "file is UTF-16 encoded; expected UTF-8 (save it as UTF-8)", Mark(name, 1, 1)
        )
    if b"\x00" in raw:  # UTF-16 or UTF-32 without a byte order mark, or not text at all
        line, column = _position(raw, raw.index(b"\x00"))
        raise InputError(
            "NUL byte: the file is not UTF-8 text (UTF-16 without a byte order mark?); "
            "expected a UTF-8 YAML file",
            Mark(name, line, column),
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError(
            f"invalid UTF-8 (byte 0x{bad}); expected a UTF-8 text file (steer reads YAML as UTF-8)",
            Mark(name, line, column),
        ) from None


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as editors count) of a byte offset."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return line, column
