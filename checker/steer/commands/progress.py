"""A progress bar on stderr while many manifests are checked (only on a terminal,
so CI logs and pipes stay clean). Errors printed meanwhile go above the bar."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

# Fewer files than this finish before a bar would be worth drawing.
THRESHOLD = 5


class Ticker(Protocol):
    def advance(self, name: str) -> None: ...

    def error(self, text: str) -> None: ...


class _Plain:
    def advance(self, name: str) -> None:
        pass

    def error(self, text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


class _Bar:
    def __init__(self, progress: Any, task: Any) -> None:
        self.progress = progress
        self.task = task

    def advance(self, name: str) -> None:
        self.progress.update(self.task, advance=1, description=name)

    def error(self, text: str) -> None:
        self.progress.console.print(text, markup=False, highlight=False, soft_wrap=True)


def wanted(total: int) -> bool:
    return total >= THRESHOLD and sys.stderr.isatty()


@contextmanager
def progress(total: int, enabled: bool | None = None) -> Iterator[Ticker]:
    """Yield a ticker: ``advance`` after each manifest, ``error`` to report one."""
    if not (wanted(total) if enabled is None else enabled):
        yield _Plain()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr, force_terminal=enabled or None)
    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", style="dim"),
        console=console,
        transient=True,
    ) as bar:
        yield _Bar(bar, bar.add_task("", total=total))
