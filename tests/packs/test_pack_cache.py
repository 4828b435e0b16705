"""The pack cache (steer.packs.cache) is keyed on the packs' content and never
believed blindly: a truncated, bit-flipped or forged cache file (even one whose digest
was recomputed) is ignored and rebuilt, never a traceback or a wrong result; a cache
folder or HOME that cannot be used only makes a run slower."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from steer.packs import loader
from steer.packs.cache import PackCache, cache_file
from support import AS_OF, clean, cwd, run

CN = loader.builtin_root() / "cn"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("STEER_NO_CACHE", raising=False)
    return home


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "platform.yaml"
    path.write_text(clean(), encoding="utf-8")
    return path


def fresh_run(*argv: str) -> tuple[int, str, str]:
    """A run as a new process makes it: the packs read from disk (or the disk cache)."""
    loader._CACHE.clear()
    return run(list(argv))


def check(manifest: Path, *flags: str) -> tuple[int, str, str]:
    return fresh_run("check", str(manifest), "--as-of", AS_OF, "--format", "json", *flags)


def the_cache(root: Path = CN) -> Path:
    path = cache_file(root.resolve())
    assert path is not None and path.is_file(), path
    return path


def reads_back(root: Path = CN) -> bool:
    """Whether the cache of ``root`` is whole: the next read takes every file from it."""
    return bool(PackCache(root.resolve(), str).preloaded)


def forged(mutate: Callable[[dict[str, Any]], None]) -> Callable[[bytes], bytes]:
    """A cache whose files were changed and whose digest was recomputed to match."""

    def make(original: bytes) -> bytes:
        stored = json.loads(original)
        files = json.loads(stored["files"])
        mutate(files)
        text = json.dumps(files, ensure_ascii=False)
        stored.update(files=text, digest=hashlib.sha256(text.encode()).hexdigest())
        return json.dumps(stored).encode()

    return make


def rule(files: dict[str, Any]) -> list[Any]:
    entry: list[Any] = files[next(k for k in sorted(files) if k.startswith("rules/"))]
    return entry


def flip(at: float) -> Callable[[bytes], bytes]:
    def make(original: bytes) -> bytes:
        data = bytearray(original)
        data[int(len(data) * at)] ^= 0x10
        return bytes(data)

    return make


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda b: b"",
    "truncated-1": lambda b: b[:1],
    "truncated-half": lambda b: b[: len(b) // 2],
    "truncated-last-byte": lambda b: b[:-1],
    "bit-flip-early": flip(0.1),
    "bit-flip-middle": flip(0.5),
    "bit-flip-late": flip(0.97),
    "not-utf8": lambda b: b"\xff\xfe" + b,
    "json-null": lambda b: b"null",
    "json-list": lambda b: b"[1, 2]",
    "files-not-a-string": lambda b: json.dumps({**json.loads(b), "files": 5}).encode(),
    "forged-files-a-list": forged(lambda f: f.clear()),
    "forged-pack-a-list": forged(lambda f: f.__setitem__("pack.yaml", [[], []])),
    "forged-pack-without-id": forged(lambda f: f["pack.yaml"][0].pop("id")),
    "forged-categories-a-number": forged(lambda f: f["pack.yaml"][0].update(categories=5)),
    "forged-check-without-require": forged(lambda f: rule(f)[0].update(check={"kind": "each"})),
    "forged-rule-without-message": forged(lambda f: rule(f)[0].pop("message")),
    "forged-marks": forged(lambda f: rule(f).__setitem__(1, [[["x"], ["a", "b"]]])),
    "forged-entry-shape": forged(lambda f: f.__setitem__("pack.yaml", "x")),
    "forged-catalog": forged(lambda f: f["catalog/cdn.yaml"].__setitem__(0, {"providers": 3})),
}


@pytest.mark.parametrize("how", sorted(CORRUPTIONS))
def test_corrupted_cache_is_ignored_and_rebuilt(cache_home: Path, manifest: Path, how: str) -> None:
    want = check(manifest)
    assert want[0] == 0, want[2]
    path = the_cache()
    assert reads_back()
    path.write_bytes(CORRUPTIONS[how](path.read_bytes()))
    got = check(manifest)
    assert got == want  # the same report, no traceback, no internal error
    assert reads_back(), "the cache is rebuilt after a clean read"
    assert check(manifest) == want


def test_cache_is_keyed_on_content_not_on_mtime(cache_home: Path, tmp_path: Path) -> None:
    """An edit that keeps the file's size and modification time is still seen."""
    pack = tmp_path / "acme"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text(
        "id: acme\nname: ACME\nprefix: ACME\ncategories: [governance]\nuses: [cn]\n", "utf-8"
    )
    rule_file = pack / "rules" / "ACME-OWN-001.yaml"
    rule_file.write_text(
        "id: ACME-OWN-001\ntitle: Owners\ncategory: governance\nstatus: confirmed\n"
        "severity: medium\nsources: [ACME]\nrationale: R.\nremediation: R.\n"
        'message: "{id} has no owner, say AAA"\n'
        "check:\n  kind: each\n  target: components\n  require: {field: owner, exists: true}\n",
        "utf-8",
    )
    target = tmp_path / "platform.yaml"
    target.write_text(clean(), encoding="utf-8")
    code, out, _ = fresh_run("check", str(target), "--as-of", AS_OF, "--pack", str(pack))
    assert code == 1 and "say AAA" in out
    assert reads_back(pack)
    stat = rule_file.stat()
    rule_file.write_text(rule_file.read_text("utf-8").replace("AAA", "BBB"), "utf-8")
    os.utime(rule_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert rule_file.stat().st_size == stat.st_size
    code, out, _ = fresh_run("check", str(target), "--as-of", AS_OF, "--pack", str(pack))
    assert code == 1 and "say BBB" in out and "say AAA" not in out


def test_cache_folder_that_is_a_file(
    tmp_path: Path, manifest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "xdg"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    code, _, err = check(manifest)
    assert code == 0, err
    assert err == ""
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_cache_file_that_is_a_folder(cache_home: Path, manifest: Path) -> None:
    want = check(manifest)
    path = the_cache()
    path.unlink()
    path.mkdir()
    assert check(manifest) == want
    assert check(manifest) == want
    assert path.is_dir()


@pytest.mark.parametrize("home", [None, "", "relative/home", "/nonexistent/home"])
def test_unusable_home_never_breaks_a_run(
    tmp_path: Path, manifest: Path, monkeypatch: pytest.MonkeyPatch, home: str | None
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    if home is None:
        monkeypatch.delenv("HOME", raising=False)
    else:
        monkeypatch.setenv("HOME", home)
    work = tmp_path / "work"
    work.mkdir()
    with cwd(work):
        code, _, err = check(manifest)
    assert code == 0, err
    assert list(work.iterdir()) == []  # never a .cache in the working folder


def test_relative_xdg_cache_home_is_ignored(
    tmp_path: Path, manifest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "work"
    work.mkdir()
    with cwd(work):
        code, _, err = check(manifest)
    assert code == 0, err
    assert list(work.iterdir()) == []
    assert (tmp_path / "home" / ".cache" / "steer").is_dir()
