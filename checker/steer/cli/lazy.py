"""The command line's one lazy import: a command's module, imported when it runs.

The command modules bring in YAML, jsonschema and the engine, which ``steer --help``
must not pay for (it is timed in ``benchmarks/run.py``)."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType


def command(name: str) -> ModuleType:
    """``steer.commands.<name>``, imported now that the command runs."""
    return import_module(f"steer.commands.{name}")
