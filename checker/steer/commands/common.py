"""What several commands share: dates from flags, paths as reports show them,
writing a report to stdout or a file, and pack text re-flowed for the terminal."""

from __future__ import annotations

import datetime as dt
import os
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from steer.commands.output import Inputs, write_atomic
from steer.errors import Mark, PackError, UsageError
from steer.packs.loader import resolve_pack
from steer.vocab import DATE_RANGE_EXPECTED, in_date_range


def parse_date(value: str | None, flag: str = "--as-of") -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        day = dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"{flag} {value!r}: expected a date as YYYY-MM-DD") from None
    if not in_date_range(day):
        raise UsageError(f"{flag} {value!r}: {DATE_RANGE_EXPECTED}")
    return day


def pack_flags(
    names: Sequence[str],
    bases: Iterable[Path],
    origin: Mark | None = None,
    inputs: Inputs | None = None,
) -> None:
    """Every --pack (or configured ``packs`` entry, set at ``origin``) names a pack,
    built in or found from each of ``bases`` (a manifest's folder) or from here: a
    missing one is the flag's or the file's error, never a manifest's. The folders
    found are added to ``inputs``."""
    for i, name in enumerate(names):
        for base in bases:
            try:
                folder = resolve_pack(name, base)
            except PackError as exc:
                where = f"packs[{i}]" if origin is not None else f"--pack {name}"
                raise UsageError(f"{where}: {exc.message}", origin) from None
            if inputs is not None:
                inputs.add_folder(folder)


def display_path(path: Path) -> str:
    """Paths in reports as the user wrote them, relative where possible."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def project_path(path: Path, root: Path | None) -> str:
    """A manifest as reports name it: relative to the project root (the folder of the
    configuration file) when inside it, so that baselines and SARIF URIs do not depend
    on the folder steer runs in; else as :func:`display_path` shows it."""
    if root is not None:
        try:
            # absolute() and normpath, not resolve(): a symlinked manifest keeps its name
            here = Path(os.path.normpath(path.absolute()))
            return here.relative_to(os.path.normpath(root.absolute())).as_posix()
        except ValueError:
            pass
    return display_path(path)


def emit(
    text: str,
    output: Path | None,
    inputs: Inputs | None = None,
    label: str | None = None,
    mark: Mark | None = None,
) -> None:
    """The report to stdout, or to ``output`` (never over one of ``inputs``)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(output, text, inputs, label, mark)


def wrap(text: str, indent: int = 2) -> str:
    """A paragraph of pack text, re-flowed; ids such as cn-shanghai are never split."""
    pad = " " * indent
    return textwrap.fill(
        " ".join(text.split()),
        width=88,
        initial_indent=pad,
        subsequent_indent=pad,
        break_on_hyphens=False,
        break_long_words=False,
    )
