"""A disk cache of validated pack files.

Reading a pack is ~35 YAML files parsed and validated: a fifth of a pre-commit run on
a small manifest. Once a pack has loaded cleanly, its files' data and top-level key
positions are cached (JSON, in the user's cache folder), keyed on every file's path,
size and content (SHA-256 of its bytes) and on steer's version; any change means a
full read. What is read back is trusted only if its SHA-256 digest matches the one
stored with it and its shape is what :meth:`PackCache.store` writes; the loader then
validates each document against its schema again (cheap next to parsing), so a
truncated, edited or forged cache file is ignored and rebuilt, never believed. A
cache folder that cannot be read or written only makes a run slower.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from steer import __version__
from steer.loading.document import Document

PACK_FILES = ("pack.yaml", "parameters.yaml", "taxonomy.yaml")


def pack_files(root: Path) -> list[Path]:
    """Every file of a pack folder that the loader reads, in reading order."""
    files = [root / n for n in PACK_FILES if (root / n).is_file()]
    for sub in ("catalog", "rules"):
        if (root / sub).is_dir():
            files.extend(sorted((root / sub).glob("*.yaml")))
    return files


def cache_folder() -> Path | None:
    """steer's cache folder, for the packs and the mainland holidays (None: caching is
    off, by STEER_NO_CACHE or for want of a home). A relative XDG_CACHE_HOME is ignored
    (the XDG rule), and a HOME that is not an absolute path turns caching off: the
    cache never lands in the working folder."""
    if os.environ.get("STEER_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not Path(base).is_absolute():
        try:
            home = Path.home()
        except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry: no cache
            return None
        if not home.is_absolute():
            return None
        base = str(home / ".cache")
    return Path(base) / "steer"


def cache_file(root: Path) -> Path | None:
    """Where the cache of the pack at ``root`` lives (None: caching is off)."""
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return folder / f"pack-{digest}.json"


class PackCache:
    """One pack read's view of its cache: the documents it holds (``preloaded``), and
    the ones read afresh (``loaded``) to store once the whole pack proved valid."""

    def __init__(self, root: Path, display: Any) -> None:
        self.root = root
        self.display = display  # path -> the name that messages use
        self.preloaded: dict[Path, Document] = {}
        self.loaded: dict[Path, Document] = {}
        self.signature: list[Any] | None = None
        self.path = cache_file(root)
        if self.path is not None:
            self._open(self.path)

    def _open(self, path: Path) -> None:
        try:
            self.signature = self._signature()
        except OSError:  # a pack file cannot be read: the loader will say so
            return
        try:
            if not path.is_file():
                return
            stored = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(stored, dict) or stored.get("signature") != self.signature:
                return
            text = stored.get("files")
            if not isinstance(text, str) or stored.get("digest") != _digest(text):
                return  # corrupted or edited: read the pack itself
            files = json.loads(text)
            if not isinstance(files, dict):
                return
            preloaded = {}
            for rel, entry in files.items():
                if not (isinstance(entry, list) and len(entry) == 2):
                    return
                data, marks = entry
                if not isinstance(data, dict) or not isinstance(marks, list):
                    return
                file = self.root / rel
                key_marks = {tuple(k): (int(v[0]), int(v[1])) for k, v in marks}
                preloaded[file] = Document.restored(self.display(file), data, key_marks)
            self.preloaded = preloaded
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            self.preloaded = {}  # unreadable or corrupted: read the pack, then rewrite it

    def discard(self) -> None:
        """Forget what was read back (a document of it failed validation): the pack is
        read afresh, and the cache rewritten once it loads cleanly."""
        self.preloaded = {}
        self.loaded = {}

    def _signature(self) -> list[Any]:
        out: list[Any] = [__version__]
        for f in pack_files(self.root):
            content = f.read_bytes()
            digest = hashlib.sha256(content).hexdigest()
            out.append([f.relative_to(self.root).as_posix(), len(content), digest])
        return out

    def store(self) -> None:
        """Write the cache after a clean read (nothing to do if it was all cached)."""
        if self.path is None or self.signature is None or self.preloaded:
            return
        try:
            entries = {}
            for file in pack_files(self.root):
                doc = self.loaded.get(file)
                if doc is None:
                    return
                doc.compact(1)
                marks = [[list(k), list(v)] for k, v in doc.key_marks().items()]
                entries[file.relative_to(self.root).as_posix()] = [doc.data, marks]
            text = json.dumps(entries, ensure_ascii=False)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(
                    {"signature": self.signature, "digest": _digest(text), "files": text}, handle
                )
            Path(tmp).replace(self.path)
        except (OSError, ValueError, TypeError):
            return  # a cache that cannot be written is only a slower run


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
