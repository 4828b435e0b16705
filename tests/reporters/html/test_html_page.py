"""The HTML report without a browser: structure, what its tables say against the
JSON report, determinism, size, escaping, accessibility and legibility at scale."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import itertools
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import html_input
import pytest
from html_fixtures import EVIL, EVIL_ATTR, evil_input, parse

from steer.reporters.html import model, render_check, render_whatif
from steer.reporters.html.layout import COLLAPSE_ABOVE, rank_layers
from steer.reporters.html.planning import approval_verdict, confidence_level
from steer.reporters.html.style import CSS, SCRIPT, TEXT_PAIRS, script_hash

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
HERE = Path(__file__).resolve().parent


def _svg(page: str, ident: str) -> str:
    match = re.search(rf'<svg id="{ident}-svg".*?</svg>', page, re.S)
    assert match is not None, ident
    return match.group(0)


def test_check_page_has_the_section_ids_of_cli_md(check_page: str) -> None:
    ids = parse(check_page).ids
    for ident in SECTION_IDS:
        assert ids.count(ident) == 1, ident
    assert "scenarios" not in ids


def test_whatif_page_adds_scenarios_one_article_each(
    whatif_page: str, whatif_data: model.WhatifInput
) -> None:
    ids = parse(whatif_page).ids
    for ident in (*SECTION_IDS, "scenarios"):
        assert ids.count(ident) == 1, ident
    articles = re.findall(r'<article class="scenario" id="([^"]+)"', whatif_page)
    assert len(articles) == len(whatif_data.scenarios) == 5
    assert len(set(ids)) == len(ids), "element ids are unique"


def test_findings_table_says_what_the_json_report_says(
    check_data: model.CheckInput, check_page: str
) -> None:
    rows = [
        r["attrs"] for r in parse(check_page).rows["findings-table"] if "data-level" in r["attrs"]
    ]
    shown = [(r["data-rule"], r["data-target"], r["data-level"]) for r in rows]
    expected = [(f["rule"], f["target"], f["level"]) for f in check_data.report["findings"]]
    assert shown == expected and len(shown) == 28
    waived = [r["data-rule"] for r in rows if r["data-waived"] == "true"]
    assert waived == [f["rule"] for f in check_data.report["findings"] if f["waived"]]


def test_register_says_what_the_json_report_says(
    check_data: model.CheckInput, check_page: str
) -> None:
    rows = parse(check_page).rows["crossings-table"][1:]
    shown = [
        (r["attrs"]["data-flow"], r["attrs"]["data-requires"], r["attrs"]["data-covered"])
        for r in rows
    ]
    expected = [
        (c["flow"], c["requires"], "true" if c["covered"] else "false")
        for c in check_data.report["crossings"]
    ]
    assert shown == expected
    assert [r["cells"][-1] for r in rows] == [
        "covered" if c["covered"] else "NOT covered" for c in check_data.report["crossings"]
    ]
    # the data-flow diagram draws one box per crossing, named by its flow
    svg = _svg(check_page, "dataflow")
    for c in check_data.report["crossings"]:
        assert f">{c['flow']}</text>" in svg


def test_decision_layer_counts_requirements_by_status(
    check_data: model.CheckInput, check_page: str
) -> None:
    rules = check_data.rules
    confirmed = sum(r.status == "confirmed" for r in rules)
    assert (
        f"{len(rules)} requirements</strong>: {confirmed} confirmed, "
        f"{len(rules) - confirmed} pending" in check_page
    )
    passing = check_data.report["summary"]["passed_rules"]
    assert f"Now passing: {passing} of {len(rules)}" in check_page
    rows = parse(check_page).rows
    results = {
        r["attrs"]["data-rule"]: r["attrs"]["data-result"]
        for table in rows.values()
        for r in table
        if "data-result" in r["attrs"]
    }
    failing = {f["rule"] for f in check_data.report["findings"] if not f["waived"]}
    assert {k for k, v in results.items() if v in ("fails", "warns")} == failing & set(results)


def test_same_input_same_bytes_even_with_another_hash_seed(check_page: str) -> None:
    assert render_check(html_input.example_check()) == check_page
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import html_input; "
        "from steer.reporters.html import render_check; "
        "sys.stdout.buffer.write(render_check(html_input.example_check()).encode())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", script, str(HERE)], env=env, check=True, capture_output=True
    ).stdout
    assert out.decode() == check_page


def test_no_reference_leaves_the_page(check_page: str, whatif_page: str) -> None:
    for page in (check_page, whatif_page):
        assert not re.search(r"https?:|//[a-z]|\bsrc=|@import|url\((?!#)", page, re.I)
        assert page.count("<script>") == 1  # the filter script, allowed by its CSP hash
        csp = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', page)[1])  # type: ignore[index]
        assert f"script-src '{script_hash()}'" in csp and "default-src 'none'" in csp


def test_example_page_is_small(check_page: str, whatif_page: str) -> None:
    assert len(check_page.encode()) < 1_000_000
    assert len(whatif_page.encode()) < 1_000_000


def test_a_thousand_components_render_in_bounded_size_and_time() -> None:
    data = html_input.synthetic_check(1000)
    start = time.perf_counter()
    page = render_check(data)
    took = time.perf_counter() - start
    size = len(page.encode())
    # measured 4.3 MB and about 1 s; the findings table is most of it (one row each)
    assert size < 8_000_000, size
    assert took < 10, took
    assert page.count('data-level="') == len(data.report["findings"])


def test_every_string_is_escaped() -> None:
    page = render_check(evil_input())
    assert EVIL not in page and EVIL_ATTR not in page
    assert "<img" not in page and page.count("<script>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    # the page still parses into its sections with the hostile names in them
    assert all(parse(page).ids.count(i) == 1 for i in SECTION_IDS)


def test_one_h1_and_headings_never_skip_a_level(check_page: str, whatif_page: str) -> None:
    for page in (check_page, whatif_page):
        levels = parse(page).headings
        assert levels.count(1) == 1 and levels[0] == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_diagrams_are_named_images_with_descriptions(whatif_page: str) -> None:
    tables = parse(whatif_page)
    assert len(tables.svgs) >= 3
    for svg in tables.svgs:
        assert svg["role"] == "img"
        labels = str(svg["aria-labelledby"]).split()
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


def test_two_hundred_components_stay_legible(synthetic_200: model.CheckInput) -> None:
    page = render_check(synthetic_200)
    for ident, max_w, max_h, max_elements in (
        ("topology", 2000, 2600, 1500),
        ("dataflow", 1400, 2200, 600),
        ("timeline", 1300, 1000, 1500),
    ):
        svg = _svg(page, ident)
        width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())  # type: ignore[union-attr]
        elements = parse(svg).svg_elements
        assert width <= max_w and height <= max_h, (ident, width, height)
        assert elements <= max_elements, (ident, elements)
    topology = _svg(page, "topology")
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


def test_confidence_scale() -> None:
    assert confidence_level(0.1, 0) == "High"
    assert confidence_level(0.3, 2) == "Medium"
    assert confidence_level(0.6, 9) == "Low-Medium"
    assert confidence_level(0.7, 0) == "Low"


def test_example_confidence_matches_the_annex(check_page: str) -> None:
    assert "<strong>Low-Medium</strong>" in check_page


def test_approval_verdicts(check_data: model.CheckInput) -> None:
    span = model.ApprovalSpan(
        "a",
        "cac-security-assessment",
        "A",
        "in-review",
        submitted=dt.date(2026, 11, 9),
        window_end=dt.date(2027, 3, 10),
        earliest=dt.date(2027, 1, 20),
    )
    kind, words = approval_verdict(span, check_data)
    assert kind == "warning" and "2027-03-10" in words
    late = dataclasses.replace(span, earliest=dt.date(2027, 3, 5))
    assert approval_verdict(late, check_data)[0] == "error"
    on_time = dataclasses.replace(span, window_end=dt.date(2027, 2, 2))
    assert approval_verdict(on_time, check_data) == ("pass", "can land by 2027-03-01")
    missed = model.ApprovalSpan("b", "icp-filing", "B", "planned", submit_by=dt.date(2026, 10, 1))
    assert approval_verdict(missed, check_data)[0] == "error"


def test_q5_scenario_moves_the_cac_window_past_go_live(whatif_page: str) -> None:
    article = whatif_page[whatif_page.index('id="scenario-q5-cac-assessment-timeline"') :]
    article = article[: article.index("</article>")]
    assert "Timeline under this scenario" in article
    assert "blocks go-live" in article  # resubmitted 2026-12-28 it cannot land by 2027-03-01
    assert '<svg id="scenario-q5-cac-assessment-timeline-timeline-svg"' in article


def test_non_working_days_come_from_the_callable(check_data: model.CheckInput) -> None:
    holiday = dt.date(2027, 2, 10)  # a Wednesday of the 2027 Spring Festival
    assert not check_data.timeline.is_working_day(holiday)
    svg = _svg(render_check(check_data), "timeline")
    assert 'class="holiday"' in svg and "public holiday" in svg
    every_day = dataclasses.replace(check_data.timeline, is_working_day=lambda d: True)
    plain = _svg(render_check(dataclasses.replace(check_data, timeline=every_day)), "timeline")
    assert 'class="holiday"' not in plain and 'class="weekend"' not in plain


def test_whatif_rows_are_the_scenarios_resolved_and_introduced(
    whatif_data: model.WhatifInput, whatif_page: str
) -> None:
    rows = [
        r["attrs"]
        for table in parse(whatif_page).rows.values()
        for r in table
        if "data-change" in r["attrs"]
    ]
    expected = [
        (change, f["rule"], f["target"])
        for s in whatif_data.scenarios
        for change, items in (("resolved", s.resolved), ("introduced", s.introduced))
        for f in items
    ]
    assert [(r["data-change"], r["data-rule"], r["data-target"]) for r in rows] == expected
    assert render_whatif(whatif_data) == whatif_page
