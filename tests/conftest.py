"""Shared fixtures. The tests mirror the package: one folder per layer
(``loading/`` ... ``cli/``), plus ``architecture/`` for the layering rules. Plain
helpers (small manifests, the in-process runner) live in ``support.py``, importable
from every folder (``pythonpath`` in pyproject.toml)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support import AS_OF, EXAMPLE, ROOT, run


@pytest.fixture
def steer_cli() -> Callable[[list[str]], tuple[int, str, str]]:
    """``steer ARGS`` in this process: (exit code, stdout, stderr)."""
    return run


@pytest.fixture
def example() -> Path:
    """The shipped example platform manifest."""
    return EXAMPLE


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def as_of() -> str:
    """The date the tests judge on, so that timelines do not move with the calendar."""
    return AS_OF


@pytest.fixture(autouse=True)
def _no_pack_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Each test session gets a cache folder of its own: tests never read or write the
    user's ~/.cache/steer."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    yield
