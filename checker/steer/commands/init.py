"""``steer init``: write the commented starter manifest."""

from __future__ import annotations

from pathlib import Path

from steer.commands.output import write_atomic
from steer.errors import UsageError
from steer.manifest.starter import starter_text


def write_starter(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise UsageError(f"{path} exists; pass --force to overwrite it")
    write_atomic(path, starter_text(path.name), label=f"steer init {path}")
