"""Writing reports: atomically to a regular file, in place to a device or pipe, and
never over anything the run reads (:class:`Inputs`)."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from steer.errors import Mark, UsageError
from steer.loading.decode import STDIN
from steer.loading.discover import resolved
from steer.packs.loader import builtin_root
from steer.packs.model import Pack, PackSet

A_PACK_FILE = "a pack file"


def _same_file(a: Path, b: Path) -> bool:
    """Hard links to an input are the input too."""
    try:
        return a.samefile(b)
    except (OSError, ValueError):
        return False


@dataclass
class Inputs:
    """Every file a run reads, with what it is to the run ("the configuration", "a
    manifest"), and the pack folders it reads (anything inside one is an input).
    Every writer asks :meth:`what` before it writes."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    folders: list[tuple[Path, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folders.append((resolved(builtin_root()), A_PACK_FILE))  # the packs steer ships

    def add(self, paths: Path | Iterable[Path] | None, what: str) -> Inputs:
        for path in [paths] if isinstance(paths, Path) else paths or ():
            if str(path) != STDIN:  # stdin is no file to protect
                self.files.append((path, what))
        return self

    def add_folder(self, folder: Path, what: str = A_PACK_FILE) -> Inputs:
        self.folders.append((resolved(folder), what))
        return self

    def add_packs(self, packs: PackSet | Iterable[Pack]) -> Inputs:
        """The folders of these packs and of every pack they use."""
        todo = list(packs.packs if isinstance(packs, PackSet) else packs)
        while todo:
            pack = todo.pop()
            self.add_folder(pack.root)
            todo.extend(pack.uses)
        return self

    def without(self, path: Path) -> Inputs:
        """The same record less ``path`` (a baseline is updated by writing it)."""
        key = resolved(path)
        files = [(p, w) for p, w in self.files if resolved(p) != key]
        return Inputs(files, list(self.folders))

    def what(self, path: Path) -> str | None:
        """What ``path`` is to the run, or None if the run does not read it."""
        target = resolved(path)
        for source, what in self.files:
            if resolved(source) == target or _same_file(source, target):
                return what
        for folder, what in self.folders:
            if target == folder or folder in target.parents:
                return what
        return None

    def refuse(self, path: Path, name: str, mark: Mark | None = None) -> None:
        """Raise the usage error for writing ``path`` (``name`` says who writes it)
        if the run reads it."""
        what = self.what(path)
        if what is not None:
            raise UsageError(
                f"{name} is an input of this run ({what}); steer never writes to its inputs",
                mark,
            )


def write_atomic(
    path: Path,
    text: str,
    inputs: Inputs | None = None,
    label: str | None = None,
    mark: Mark | None = None,
) -> None:
    """Write ``text`` to ``path``, never over one of ``inputs``. ``label`` names the
    writer in messages (default: ``--output PATH``), ``mark`` where it is configured.

    A regular file (or a new one) is written via a temporary file and a rename, so a
    reader never sees half a report; through a symbolic link, the file it points to
    is replaced and the link kept. Anything else that exists (a device such as
    /dev/null, a pipe, /dev/stdout) is opened and written in place, never replaced."""
    name = label or f"--output {path}"
    if inputs is not None:
        inputs.refuse(path, name, mark)
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None  # a new file, or a link to where a new file goes
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(f"{name}: symbolic link loop; expected a file name", mark) from None
        raise UsageError(f"{name}: cannot write: {exc.strerror or exc}", mark) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{name} is a folder; expected a file name", mark)
    if info is not None and (not stat.S_ISREG(info.st_mode) or _through_proc(path)):
        _write_in_place(path, text, name, mark)
        return
    target = resolved(path)
    directory = target.parent
    if not directory.is_dir():
        raise UsageError(f"{name}: folder {directory} does not exist", mark)
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


def _through_proc(path: Path) -> bool:
    """A regular file named as /dev/stdout or /proc/self/fd/1 (stdout redirected to
    a file) belongs to whoever opened it: write to it, never replace it."""
    hop = Path(os.path.normpath(path.absolute()))
    for _ in range(40):
        if hop.parts[1:2] in (("dev",), ("proc",)):
            return True
        if not hop.is_symlink():
            return False
        hop = Path(os.path.normpath((hop.parent / hop.readlink()).absolute()))
    return False


def _write_in_place(path: Path, text: str, name: str, mark: Mark | None) -> None:
    """A device, a pipe or an open descriptor: written as a shell redirection would
    (a pipe waits for its reader)."""
    sys.stdout.flush()  # /dev/stdout: what steer printed before comes first
    try:
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"{name}: cannot write: {exc.strerror or exc}", mark) from None


def _mode(target: Path) -> int:
    """Keep the mode of the file replaced; a new file gets 0666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
