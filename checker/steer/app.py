"""What the commands do, apart from parsing arguments (see :mod:`steer.cli`).
Each function takes typed options and returns an exit code."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SteerError, UsageError


@dataclass(frozen=True)
class CheckOptions:
    manifests: tuple[Path, ...]
    packs: tuple[str, ...] = ()
    format: str = "table"
    output: Path | None = None
    fail_on: str = "error"
    strict: bool = False
    as_of: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    color: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def parse_date(value: str | None, flag: str = "--as-of") -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"{flag} {value!r}: expected a date as YYYY-MM-DD") from None


def split_ids(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


def display_path(path: Path) -> str:
    """Paths in reports as the user wrote them, relative where possible."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def check(options: CheckOptions) -> int:
    from . import engine
    from .manifest import load_manifest
    from .reporters import render

    as_of = parse_date(options.as_of)
    settings = engine.Settings(
        as_of=as_of, strict=options.strict, select=options.select, ignore=options.ignore
    )
    reports = []
    for path in options.manifests:
        manifest = load_manifest(path, display_path(path), list(options.packs) or None)
        reports.append(engine.run(manifest, settings))
    text = render(options.format, reports, options.color and options.output is None)
    emit(text, options.output, options.manifests)
    return 1 if any(r.failed(options.fail_on) for r in reports) else 0


def emit(text: str, output: Path | None, inputs: tuple[Path, ...] = ()) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .output import write_atomic

    write_atomic(output, text, inputs)


def load_packset(packs: tuple[str, ...]) -> object:
    from .pack import load_packs

    return load_packs(list(packs) or ["cn"])


def fail(error: SteerError) -> int:
    sys.stderr.write(f"{error}\n")
    return 2
