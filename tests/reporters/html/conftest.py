"""Fixtures of the HTML report's tests: the example's pages as ``steer check`` and
``steer whatif`` write them with ``--format html`` (one run each per session), the
JSON reports of the same runs, the inputs the builder makes, and a headless
Chromium, when the machine has one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reporters.html import html_pages
from steer.reporters.html import model


@pytest.fixture(scope="session")
def check_page() -> str:
    return html_pages.check_page()


@pytest.fixture(scope="session")
def check_json() -> dict[str, Any]:
    return html_pages.check_json()


@pytest.fixture(scope="session")
def check_data() -> model.CheckInput:
    return html_pages.check_data()


@pytest.fixture(scope="session")
def whatif_page() -> str:
    return html_pages.whatif_page()


@pytest.fixture(scope="session")
def whatif_json() -> dict[str, Any]:
    return html_pages.whatif_json()


@pytest.fixture(scope="session")
def whatif_data() -> model.WhatifInput:
    return html_pages.whatif_data()


@pytest.fixture(scope="session")
def synthetic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("synthetic")


@pytest.fixture(scope="session")
def synthetic_200(synthetic_folder: Path) -> str:
    """The page of benchmarks/generate.py's manifest of 200 components."""
    return html_pages.check_page(str(html_pages.synthetic(200, synthetic_folder)))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (which never downloads a browser here)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("no chromium on PATH (CI installs Debian's chromium via .ci/run)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()
