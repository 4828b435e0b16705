"""Which manifests a run checks: files as given, folders expanded with globs.

Globs are matched against a file's path relative to the project root (the folder
of the configuration file, else the current folder), with ``**`` spanning any
number of folders (zero included: ``**/steer.yaml`` matches ``steer.yaml``).
Files named on the command line are always checked, whatever their name, as in
ruff and pre-commit; folders contribute the files that match ``manifests`` and no
``exclude`` glob. Hidden folders (``.git``, ``.venv`` ...) and ``node_modules`` are
not entered unless named."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from steer.errors import UsageError

DEFAULT_GLOBS = ("**/*.steer.yaml", "**/*.steer.yml", "**/steer.yaml", "**/steer.yml")
_SKIP_DIRS = {"node_modules", "__pycache__"}


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(translate(pattern))


def translate(pattern: str) -> str:
    """A glob as a regular expression over ``/``-separated relative paths."""
    out = []
    pattern = pattern.removeprefix("./")
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                out.append(re.escape("["))
                i += 1
                continue
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "(?s:" + "".join(out) + r")\Z"


def matches(relative: str, globs: Iterable[str]) -> bool:
    return any(_compile(g).match(relative) for g in globs)


def _relative(path: Path, root: Path, folder: Path) -> str:
    for base in (root, folder):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _walk(folder: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS)
        found += [Path(dirpath) / name for name in sorted(filenames)]
    return found


def resolved(path: Path) -> Path:
    """The file a path names, symbolic links followed; a link loop or an unreadable
    folder leaves it absolute and normalised instead (whoever opens it says why)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop before Python 3.13
        return Path(os.path.normpath(path.absolute()))


def discover(
    args: Sequence[Path],
    globs: Sequence[str] = DEFAULT_GLOBS,
    exclude: Sequence[str] = (),
    root: Path | None = None,
) -> tuple[list[Path], list[str]]:
    """The manifests to check, in order and without repeats, and notes for stderr
    (a folder that held none). No arguments means the project root."""
    root = root or Path.cwd()
    notes: list[str] = []
    out: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = resolved(path)  # a link loop: the loader reports it, with the rest
        if key not in seen:
            seen.add(key)
            out.append(path)

    targets = list(args)
    if not targets:
        targets = [root if root.resolve() != Path.cwd().resolve() else Path()]
    for arg in targets:
        if not arg.is_dir():
            add(arg)  # a missing file is that manifest's error, reported with the rest
            continue
        found = [
            p
            for p in _walk(arg)
            if matches(_relative(p, root, arg), globs)
            and not matches(_relative(p, root, arg), exclude)
        ]
        if not found:
            notes.append(f"{arg.as_posix()}: no manifests matching {', '.join(globs)}")
        for path in found:
            add(path)
    if not out:
        where = ", ".join(a.as_posix() for a in targets)
        raise UsageError(
            f"no manifests to check in {where} (looked for {', '.join(globs)}); "
            "name the files, or set manifests = [...] in [tool.steer] or .steer.toml"
        )
    return out, notes
