"""The HTML report in a real browser: headless Chromium (Debian's, driven by
Playwright), on the pages ``steer check`` and ``steer whatif`` write with ``--format
html``. The page must show its sections, send no request anywhere, raise no script
error, keep hostile names as text, filter findings, and print to A4. Skipped, with
the reason, where Chromium or Playwright is missing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reporters.html.html_fixtures import EVIL, EVIL_ATTR, evil_input, evil_whatif
from steer.reporters.html import render_check, render_whatif

SECTION_IDS = (
    "summary",
    "requirements",
    "findings",
    "crossings",
    "topology",
    "dataflow",
    "timeline",
    "actions",
    "confidence",
)


class Visit:
    """A page opened from a file, with every request, console error, page error and
    dialog it caused recorded."""

    def __init__(self, browser: Any, html: str, folder: Path, name: str) -> None:
        self.file = folder / f"{name}.html"
        self.file.write_text(html, encoding="utf-8")
        self.url = self.file.as_uri()
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url, wait_until="load")

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url == self.url or url.startswith("data:"):
            route.continue_()
        else:  # anything else would leave the page: refuse it, and the test fails on it
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def outside(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, tmp_path: Path) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_(html: str, name: str = "page") -> Visit:
        v = Visit(browser, html, tmp_path, name)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


def test_check_page_in_chromium(visit: Any, check_page: str, tmp_path: Path) -> None:
    v = visit(check_page, "check")
    for ident in SECTION_IDS:
        assert v.page.locator(f"#{ident}").count() == 1, ident
    assert v.outside() == [] and v.requests == [v.url]
    assert v.errors == [] and v.dialogs == []
    # the diagrams are drawn, not blank: they have a size on screen
    for ident in ("topology", "dataflow", "timeline"):
        box = v.page.locator(f"#{ident}-svg").bounding_box()
        assert box is not None and box["width"] > 600 and box["height"] > 200, ident
    shot = tmp_path / "check.png"
    v.page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_whatif_page_in_chromium(visit: Any, whatif_page: str, tmp_path: Path) -> None:
    v = visit(whatif_page, "whatif")
    for ident in (*SECTION_IDS, "scenarios"):
        assert v.page.locator(f"#{ident}").count() == 1, ident
    assert v.page.locator("article.scenario").count() == 6
    assert v.outside() == [] and v.errors == [] and v.dialogs == []
    shot = tmp_path / "whatif.png"
    v.page.locator("#scenarios").screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_filters_appear_with_the_script_and_hide_rows(visit: Any, check_page: str) -> None:
    v = visit(check_page)
    page = v.page
    assert page.locator("#finding-filters").is_visible()
    rows = page.locator("#findings-table tbody tr[data-level]")
    total = rows.count()
    warnings = page.locator('#findings-table tbody tr[data-level="warning"]').count()
    assert 0 < warnings < total
    page.select_option('select[aria-label="Filter findings by level"]', "warning")
    assert page.locator("#findings-table tbody tr[data-level]:visible").count() == warnings
    assert f"{warnings} of {total} findings shown" in page.inner_text("#finding-filters")
    page.select_option('select[aria-label="Filter findings by authority"]', "policy")
    visible = page.locator("#findings-table tbody tr[data-level]:visible")
    assert all(
        visible.nth(i).get_attribute("data-authority") == "policy" for i in range(visible.count())
    )
    assert v.errors == []


def test_page_without_script_shows_every_finding(
    browser: Any, tmp_path: Path, check_page: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        file = tmp_path / "noscript.html"
        file.write_text(check_page, encoding="utf-8")
        page.goto(file.as_uri())
        assert not page.locator("#finding-filters").is_visible()
        rows = page.locator("#findings-table tbody tr[data-level]")
        assert rows.count() > 0
        assert page.locator("#findings-table tbody tr[data-level]:visible").count() == rows.count()
    finally:
        context.close()


def test_hostile_names_are_shown_never_run(visit: Any) -> None:
    for name, page in (
        ("evil", render_check(evil_input())),
        ("evil-whatif", render_whatif(evil_whatif())),
    ):
        v = visit(page, name)
        assert v.dialogs == [] and v.errors == [] and v.outside() == []
        assert v.page.locator("img").count() == 0
        assert v.page.locator("script").count() == 1
        text = v.page.inner_text("body")
        assert EVIL in text and EVIL_ATTR in text
        svg_text = v.page.locator("#topology-svg").text_content() or ""
        assert "<script>" in svg_text


def test_prints_to_a4(visit: Any, check_page: str, tmp_path: Path) -> None:
    v = visit(check_page)
    pdf = v.page.pdf(format="A4", print_background=True)
    assert pdf[:5] == b"%PDF-"
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)
    assert len(boxes) >= 4  # several A4 pages, not one long one
    v.page.emulate_media(media="print")
    assert not v.page.locator("#finding-filters").is_visible()
    assert v.page.locator("nav.toc").is_hidden()


def test_a_request_leaving_the_page_would_be_seen(visit: Any) -> None:
    """The control for the tests above: the recorder does see a request that leaves."""
    v = visit('<!DOCTYPE html><title>t</title><img src="https://example.invalid/x.png" alt="">')
    assert v.outside() == ["https://example.invalid/x.png"]
