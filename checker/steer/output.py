"""Writing reports: atomically, and never over an input."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError


def write_atomic(path: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename, so a reader
    never sees half a report; refuse to overwrite any of ``inputs``."""
    target = path.resolve()
    for source in inputs:
        if source.exists() and source.resolve() == target:
            raise UsageError(f"--output {path} is an input of this run; steer never writes to its inputs")
    directory = target.parent
    if not directory.is_dir():
        raise UsageError(f"--output {path}: folder {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
