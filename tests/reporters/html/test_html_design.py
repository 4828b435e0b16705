"""The HTML report's design without a browser: accessibility (headings, named
diagrams, contrast), print, legibility at scale, networkx's layout, the dates the
timeline shows (the engine's, on the mainland calendar), the verdict on each open
approval, and the confidence scale."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from reporters.html import html_pages
from reporters.html.html_fixtures import parse, weekday
from steer.analysis.timelines import TimelineRules, contract_filing_deadline
from steer.analysis.workdays import is_working_day
from steer.checks.context import Context
from steer.manifest.load import load_manifest
from steer.reporters.html import model, render_check
from steer.reporters.html.layout import COLLAPSE_ABOVE, rank_layers
from steer.reporters.html.planning import approval_verdict, confidence_level
from steer.reporters.html.style import CSS, SCRIPT, TEXT_PAIRS
from support import ROOT, cwd


def svg(page: str, ident: str) -> str:
    match = re.search(rf'<svg id="{ident}-svg".*?</svg>', page, re.S)
    assert match is not None, ident
    return match.group(0)


def test_one_h1_and_headings_never_skip_a_level(check_page: str, whatif_page: str) -> None:
    for page in (check_page, whatif_page):
        levels = parse(page).headings
        assert levels.count(1) == 1 and levels[0] == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_diagrams_are_named_images_with_descriptions(whatif_page: str) -> None:
    tables = parse(whatif_page)
    assert len(tables.svgs) >= 3
    for drawing in tables.svgs:
        assert drawing["role"] == "img"
        labels = str(drawing["aria-labelledby"]).split()
        assert len(labels) == 2 and all(label in tables.ids for label in labels)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("name", sorted(TEXT_PAIRS))
def test_text_contrast_meets_wcag_aa(name: str) -> None:
    fg, bg = TEXT_PAIRS[name]
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 4.5
    assert fg in CSS or name.startswith("muted-on") or name == "holiday-label"


def test_print_stylesheet_is_a4_without_filters() -> None:
    assert "@page{size:A4" in CSS
    print_css = CSS[CSS.index("@media print") :]
    assert ".filters" in print_css and "display:none" in print_css
    assert "break-inside:avoid" in print_css
    assert "box.hidden=false" in SCRIPT  # the filters appear only when the script runs


def test_two_hundred_components_stay_legible(synthetic_200: str) -> None:
    for ident, max_w, max_h, max_elements in (
        ("topology", 2000, 2600, 1500),
        ("dataflow", 1400, 2200, 600),
        ("timeline", 1300, 1000, 1500),
    ):
        drawing = svg(synthetic_200, ident)
        found = re.search(r'viewBox="0 0 (\d+) (\d+)"', drawing)
        assert found is not None
        width, height = int(found[1]), int(found[2])
        elements = parse(drawing).svg_elements
        assert width <= max_w and height <= max_h, (ident, width, height)
        assert elements <= max_elements, (ident, elements)
    topology = svg(synthetic_200, "topology")
    assert "(collapsed)" in topology  # big clusters became boxes with counts
    assert topology.count('<g class="node') <= COLLAPSE_ABOVE * 12


def test_layout_comes_from_networkx_in_the_order_given() -> None:
    ranked = rank_layers([["a"], ["b", "c", "d"], [], ["e", "f"]])
    assert ranked == {
        "a": (0, 0.0),
        "b": (1, -1.0),
        "c": (1, 0.0),
        "d": (1, 1.0),
        "e": (3, -0.5),
        "f": (3, 0.5),
    }


def _row(page: str, table: str, approval: str) -> dict[str, Any]:
    rows = parse(page).rows[table]
    return next(r for r in rows if r["attrs"].get("data-approval") == approval)


def test_timeline_shows_the_engines_dates(check_page: str) -> None:
    """cac-assessment: submitted 2026-11-09, its 5 + 7 + 45 working days end 2027-01-28
    on the mainland calendar; the HK contract took effect 2026-05-28, so it was to be
    filed by 2026-06-11 (10 working days; the Dragon Boat holiday, 2026-06-19, is
    after); the website's PSB filing is due 30 days after its 2026-09-15 launch."""
    cac = _row(check_page, "timeline-table", "cac-assessment")["cells"]
    assert cac[3:6] == ["2026-11-09", "2027-01-28", "—"]
    scc = _row(check_page, "timeline-table", "scc-hk-support")["cells"]
    filing = contract_filing_deadline(dt.date(2026, 5, 28), is_working_day, _rules())
    assert scc[6] == filing.isoformat() == "2026-06-11"
    psb = _row(check_page, "approvals-table", "psb-website")["cells"]
    assert psb[7] == "2026-10-15"
    assert psb[8].startswith("needed since 2026-10-15")
    drawing = svg(check_page, "timeline")
    assert "cac-assessment: completeness checked (CAC Order 11 art. 7) 2026-11-16" in drawing
    assert "Dates beyond the official calendar are estimated." in drawing  # 2027 is estimated


def _rules() -> TimelineRules:
    with cwd(ROOT):
        manifest = load_manifest(Path(html_pages.EXAMPLE), html_pages.EXAMPLE)
    return Context(manifest, "2026-11-26").timeline_rules


def test_non_working_days_come_from_the_calendar(check_data: model.CheckInput) -> None:
    holiday = dt.date(2027, 2, 10)  # a Wednesday of the 2027 Spring Festival
    assert not check_data.timeline.is_working_day(holiday)
    drawing = svg(render_check(check_data), "timeline")
    assert 'class="holiday"' in drawing and "public holiday" in drawing
    every_day = dataclasses.replace(check_data.timeline, is_working_day=lambda d: True)
    plain = svg(render_check(dataclasses.replace(check_data, timeline=every_day)), "timeline")
    assert 'class="holiday"' not in plain and 'class="weekend"' not in plain


def _data(*spans: model.ApprovalSpan) -> model.CheckInput:
    timeline = model.Timeline(dt.date(2026, 11, 26), weekday, dt.date(2027, 3, 1), spans)
    return model.CheckInput(
        {}, (), model.Topology(()), timeline, model.Readiness(False, dt.date(2027, 3, 1))
    )


def test_approval_verdicts_treat_statutory_windows_as_maxima() -> None:
    span = model.ApprovalSpan(
        "a",
        "cac-security-assessment",
        "A",
        "in-review",
        submitted=dt.date(2026, 11, 9),
        window_end=dt.date(2027, 3, 10),
    )
    kind, words = approval_verdict(span, _data(span))
    assert kind == "warning" and "may land after 2027-03-01" in words and "2027-03-10" in words
    on_time = dataclasses.replace(span, window_end=dt.date(2027, 2, 2))
    assert approval_verdict(on_time, _data(on_time))[0] == "pass"
    planned = model.ApprovalSpan(
        "b",
        "icp-filing",
        "B",
        "planned",
        submit_by=dt.date(2026, 10, 1),
        projected_end=dt.date(2027, 3, 20),
    )
    kind, words = approval_verdict(planned, _data(planned))
    assert kind == "warning" and "sent today" in words and "2027-03-20" in words
    late = dataclasses.replace(span, status="approved", approved_on=dt.date(2027, 3, 5))
    assert approval_verdict(late, _data(late)) == ("error", "approved 2027-03-05, after 2027-03-01")
    past = dataclasses.replace(planned, needed_by=dt.date(2026, 10, 15))
    assert approval_verdict(past, _data(past))[0] == "error"
    refused = dataclasses.replace(span, status="rejected")
    assert approval_verdict(refused, _data(refused))[0] == "error"


def test_confidence_scale() -> None:
    assert confidence_level(0.1, 0) == "High"
    assert confidence_level(0.3, 2) == "Medium"
    assert confidence_level(0.6, 9) == "Low-Medium"
    assert confidence_level(0.7, 0) == "Low"


def test_example_confidence(check_page: str, check_data: model.CheckInput) -> None:
    """12 of the 23 requirements are pending (52%): Low-Medium, as the annex rates it."""
    pending = sum(r.status != "confirmed" for r in check_data.rules)
    assert (pending, len(check_data.rules)) == (12, 23)
    assert "<strong>Low-Medium</strong>" in check_page
