"""``steer init``: write the commented starter manifest (``-``: to stdout)."""

from __future__ import annotations

import sys
from pathlib import Path

from steer.commands.output import Inputs, write_atomic
from steer.errors import UsageError
from steer.manifest.starter import starter_text

STDOUT = "-"


def write_starter(path: Path, force: bool) -> None:
    if str(path) == STDOUT:
        sys.stdout.write(starter_text())
        sys.stdout.flush()
        return
    label = f"steer init {path}"
    Inputs().refuse(path, label)  # never into the packs steer ships, even with --force
    if path.exists() and not force:
        raise UsageError(f"{path} exists; pass --force to overwrite it")
    write_atomic(path, starter_text(path.name), label=label)
