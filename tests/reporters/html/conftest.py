"""Fixtures of the HTML report's tests: the example's inputs (one real run each per
session) and a headless Chromium, when the machine has one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import html_input
import pytest

from steer.reporters.html import model, render_check, render_whatif


@pytest.fixture(scope="session")
def check_data() -> model.CheckInput:
    return html_input.example_check()


@pytest.fixture(scope="session")
def whatif_data() -> model.WhatifInput:
    return html_input.example_whatif()


@pytest.fixture(scope="session")
def check_page(check_data: model.CheckInput) -> str:
    return render_check(check_data)


@pytest.fixture(scope="session")
def whatif_page(whatif_data: model.WhatifInput) -> str:
    return render_whatif(whatif_data)


@pytest.fixture(scope="session")
def synthetic_200() -> model.CheckInput:
    return html_input.synthetic_check(200)


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
