"""Writing reports: atomically, and never over an input."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from steer.errors import UsageError


def write_atomic(
    path: Path, text: str, inputs: Iterable[Path] = (), label: str | None = None
) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename, so a reader
    never sees half a report; refuse to overwrite any of ``inputs``. ``label`` names
    the file in messages (default: ``--output PATH``)."""
    name = label or f"--output {path}"
    target = path.resolve()
    for source in inputs:
        if source.exists() and (source.resolve() == target or _same_file(source, target)):
            raise UsageError(f"{name} is an input of this run; steer never writes to its inputs")
    directory = target.parent
    if not directory.is_dir():
        raise UsageError(f"{name}: folder {directory} does not exist")
    if target.is_dir():
        raise UsageError(f"{name} is a folder; expected a file name")
    mode = _mode(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            # Atomic for readers (the rename), not forced to disk: a report is rebuilt by
            # running steer again, and syncing tens of megabytes costs more than writing.
            handle.write(text)
        Path(tmp).chmod(mode)  # mkstemp makes 0600; a report is as readable as any new file
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _same_file(a: Path, b: Path) -> bool:
    """Hard links to an input are the input too."""
    try:
        return b.exists() and a.samefile(b)
    except OSError:
        return False


def _mode(target: Path) -> int:
    """Keep the mode of the file replaced; a new file gets 0666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
