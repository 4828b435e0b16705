"""The HTML report as ``steer check`` and ``steer whatif`` write it (``--format html``),
without a browser: its sections, what its tables say against the JSON reports of the
same runs, determinism, size, escaping, and nothing that leaves the page."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from reporters.html import html_pages
from reporters.html.html_fixtures import EVIL, EVIL_ATTR, evil_input, evil_whatif, parse
from steer.reporters.html import model, render_check, render_whatif
from steer.reporters.html.style import script_hash
from support import ROOT, clean

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


def svg(page: str, ident: str) -> str:
    match = re.search(rf'<svg id="{ident}-svg".*?</svg>', page, re.S)
    assert match is not None, ident
    return match.group(0)


def article(page: str, name: str) -> str:
    text = page[page.index(f'id="scenario-{name}"') :]
    return text[: text.index("</article>")]


def test_check_page_has_the_section_ids_of_cli_md(check_page: str) -> None:
    ids = parse(check_page).ids
    for ident in SECTION_IDS:
        assert ids.count(ident) == 1, ident
    assert "scenarios" not in ids
    assert len(set(ids)) == len(ids), "element ids are unique"


def test_whatif_page_adds_scenarios_one_article_each(
    whatif_page: str, whatif_json: dict[str, Any]
) -> None:
    ids = parse(whatif_page).ids
    for ident in (*SECTION_IDS, "scenarios"):
        assert ids.count(ident) == 1, ident
    articles = re.findall(r'<article class="scenario" id="([^"]+)"', whatif_page)
    assert articles == [f"scenario-{s['name']}" for s in whatif_json["scenarios"]]
    assert len(articles) == 6
    assert len(set(ids)) == len(ids), "element ids are unique"


def test_the_command_line_renders_the_builders_input(
    check_page: str, check_data: model.CheckInput, whatif_page: str, whatif_data: model.WhatifInput
) -> None:
    """One way in: the page of ``--format html`` is the builder's input rendered."""
    assert render_check(check_data) == check_page
    assert render_whatif(whatif_data) == whatif_page


def test_findings_table_says_what_the_json_report_says(
    check_page: str, check_json: dict[str, Any]
) -> None:
    rows = [
        r["attrs"] for r in parse(check_page).rows["findings-table"] if "data-level" in r["attrs"]
    ]
    shown = [
        (r["data-rule"], r["data-target"], r["data-level"], r["data-authority"], r["data-waived"])
        for r in rows
    ]
    expected = [
        (f["rule"], f["target"], f["level"], f["authority"], "true" if f["waived"] else "false")
        for f in check_json["findings"]
    ]
    assert shown == expected
    assert len(shown) == 30
    # the real authority of every finding, law and policy both present
    assert {r[3] for r in shown} == {"law", "policy"}


def test_register_says_what_the_json_report_says(
    check_page: str, check_json: dict[str, Any]
) -> None:
    rows = [r for r in parse(check_page).rows["crossings-table"] if "data-flow" in r["attrs"]]
    shown = [
        (r["attrs"]["data-flow"], r["attrs"]["data-requires"], r["attrs"]["data-covered"])
        for r in rows
    ]
    crossings = check_json["crossings"]
    expected = [(c["flow"], c["requires"], "true" if c["covered"] else "false") for c in crossings]
    assert shown == expected and len(shown) == 4
    for row, c in zip(rows, crossings, strict=True):
        covered = row["cells"][-1]
        assert covered.startswith("covered" if c["covered"] else "NOT covered")
        for what in c["missing"]:
            assert what in covered
        assert row["cells"][4] == f"{c['individuals']:,}"
    # and under each, its path, the whole basis of the decision and its approvals
    details = {
        r["attrs"]["data-detail"]: r["cells"][0]
        for r in parse(check_page).rows["crossings-table"]
        if "data-detail" in r["attrs"]
    }
    assert list(details) == [c["flow"] for c in crossings]
    for c in crossings:
        text = html.unescape(details[c["flow"]])
        assert " → ".join(c["path"]) in text
        assert all(basis in text for basis in c["basis"])
        assert all(a["why"] in text for a in c["approvals"])
    # the data-flow diagram draws one box per crossing, named by its flow
    drawing = svg(check_page, "dataflow")
    for c in crossings:
        assert f">{c['flow']}</text>" in drawing


def test_summary_says_what_the_json_report_says(
    check_page: str, check_json: dict[str, Any]
) -> None:
    summary = check_page[check_page.index('id="summary"') : check_page.index('id="requirements"')]
    regime = check_json["regime"]
    assert f"<strong>{regime['name']}</strong>" in summary
    assert html.escape(regime["why"]) in summary
    counts = check_json["summary"]
    for value, label in ((counts["error"], "errors"), (counts["warning"], "warnings")):
        assert f'<span class="n">{value}</span>{label}' in summary
    uncovered = sum(not c["covered"] for c in check_json["crossings"])
    assert f"{uncovered} of {len(check_json['crossings'])}</span>crossings not covered" in summary
    assert "Not ready for go-live on 2027-03-01." in summary


def test_whatif_page_says_what_the_whatif_json_says(
    whatif_page: str, whatif_json: dict[str, Any]
) -> None:
    rows = [
        r["attrs"]
        for table in parse(whatif_page).rows.values()
        for r in table
        if "data-change" in r["attrs"]
    ]
    shown = [(r["data-change"], r["data-rule"], r["data-target"], r["data-level"]) for r in rows]
    expected = [
        (change, f["rule"], f["target"], f["level"])
        for s in whatif_json["scenarios"]
        for change in ("resolved", "introduced")
        for f in s[change]
    ]
    assert shown == expected and shown
    table = {r["cells"][0]: r["cells"][1:] for r in parse(whatif_page).rows["scenarios-table"]}
    scenarios = whatif_json["scenarios"]
    assert table["errors"] == [str(whatif_json["baseline"]["error"])] + [
        str(s["summary"]["error"]) for s in scenarios
    ]
    assert table["regime"][1:] == [s["regime"]["name"] for s in scenarios]
    ready = ["ready" if s["ready_for_go_live"] else "not ready" for s in scenarios]
    assert table["ready for go-live"][1:] == ready


def test_not_evaluated_requirements_are_listed_as_such() -> None:
    page = html_pages.check_page(html_pages.EXAMPLE, "--select", "CN-XB-*")
    results = {
        r["attrs"]["data-rule"]: r["attrs"]["data-result"]
        for table in parse(page).rows.values()
        for r in table
        if "data-result" in r["attrs"]
    }
    evaluated = {rule for rule, result in results.items() if result != "not-evaluated"}
    assert evaluated == {f"CN-XB-00{i}" for i in range(1, 7)}
    assert len(results) == 23  # every requirement of the pack, evaluated or not
    assert "evaluated (17 not evaluated: --select/--ignore)" in page


def test_a_baseline_says_what_it_hid(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(html_pages.check_json()))
    page = html_pages.check_page(html_pages.EXAMPLE, "--baseline", str(baseline))
    assert "29 known findings not shown" in page  # all but the waived one
    rows = [r["attrs"] for r in parse(page).rows["findings-table"] if "data-level" in r["attrs"]]
    assert [r["data-waived"] for r in rows] == ["true"]
    assert '<span class="n">0</span>errors' in page
    assert "Not ready for go-live" in page  # known findings still block go-live


def test_same_bytes_twice_and_under_another_hash_seed(check_page: str, whatif_page: str) -> None:
    assert html_pages.check_page() == check_page
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    for page, args in (
        (check_page, ["check", html_pages.EXAMPLE]),
        (whatif_page, ["whatif", html_pages.EXAMPLE, *html_pages.SCENARIOS]),
    ):
        argv = [sys.executable, "-m", "steer", *args, "--as-of", "2026-11-26", "--format", "html"]
        out = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, check=False)
        assert out.returncode == 1, out.stderr
        assert out.stdout.decode() == page


_EMBEDDED = re.compile(r"<(style|script)\b[^>]*>.*?</\1>", re.S | re.I)


def _markup(page: str) -> str:
    """What a browser could fetch from: the tags, the styles and the script. Text is
    only shown (a guardrail's sources give the law's official address as text)."""
    embedded = [m.group(0) for m in _EMBEDDED.finditer(page)]
    return "".join(embedded + re.findall(r"<[^>]*>", _EMBEDDED.sub("", page)))


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


def test_no_reference_leaves_the_page(check_page: str, whatif_page: str) -> None:
    for page in (check_page, whatif_page):
        assert "https://www.cac.gov.cn/" in page  # sources cite the law's text, as text
        assert not re.search(r"https?:|//[a-z]|\bsrc=|@import|url\((?!#)", _markup(page), re.I)
        assert set(re.findall(r'href="([^"]*)"', page)) <= {f"#{i}" for i in _ids(page)}
        assert page.count("<script>") == 1  # the filter script, allowed by its CSP hash
        found = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
        assert found is not None
        csp = html.unescape(found[1])
        assert f"script-src '{script_hash()}'" in csp and "default-src 'none'" in csp


def test_example_pages_are_small(check_page: str, whatif_page: str) -> None:
    assert len(check_page.encode()) < 1_000_000
    assert len(whatif_page.encode()) < 1_000_000


def test_a_thousand_components_in_bounded_size_and_time(synthetic_folder: Path) -> None:
    manifest = str(html_pages.synthetic(1000, synthetic_folder))
    start = time.perf_counter()
    page = html_pages.check_page(manifest)
    took = time.perf_counter() - start
    findings = html_pages.check_json(manifest)["findings"]
    size = len(page.encode())
    # measured 5.8 MB (5,200 findings, 838 crossings) and about 1 s for the whole check
    assert size < 8_000_000, size
    assert took < 20, took
    assert page.count('data-level="') == len(findings)


def test_every_string_is_escaped() -> None:
    for page in (render_check(evil_input()), render_whatif(evil_whatif())):
        assert EVIL not in page and EVIL_ATTR not in page
        assert "<img" not in page and page.count("<script>") == 1
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
        # the page still parses into its sections with the hostile names in them
        assert all(parse(page).ids.count(i) == 1 for i in SECTION_IDS)


def test_q5_scenario_moves_the_cac_window_past_go_live(whatif_page: str) -> None:
    """Resubmitted on 2026-12-28, the statutory maximum ends after go-live: a risk
    (the law gives maxima), so the page says it may block, with the day it ends."""
    text = article(whatif_page, "q5-cac-assessment-timeline")
    assert "Timeline under this scenario" in text
    assert "<code>cac-assessment</code> may block go-live" in text
    assert "its statutory maximum ends 2027-03-24" in text
    assert '<svg id="scenario-q5-cac-assessment-timeline-timeline-svg"' in text
    baseline = whatif_page[whatif_page.index('id="timeline"') :]
    assert "<code>cac-assessment</code> does not block go-live" in baseline


def test_q3_scenario_redraws_the_data_flows(whatif_page: str) -> None:
    text = article(whatif_page, "q3-telematics-local-aggregation")
    assert "No longer crossing: <code>telematics-export</code>" in text
    assert "Data flows under this scenario (3 crossings)" in text


def test_a_scenario_shows_what_it_changes_and_only_that(whatif_page: str) -> None:
    q5 = html.unescape(article(whatif_page, "q5-cac-assessment-timeline"))
    assert (
        "cac-assessment: ✗ cac-assessment is in-review, not approved → "
        "✗ cac-assessment is submitted, not approved"
    ) in q5
    assert "Data flows under this scenario" not in q5  # nothing the diagram shows moved
    assert "Topology under this scenario" not in q5
    q4 = article(whatif_page, "q4-alibaba-vs-tencent")
    assert '<svg id="scenario-q4-alibaba-vs-tencent-topology-svg"' in q4
    assert "tencent-cloud · ap-shanghai" in q4


def test_a_clean_manifest_is_ready_with_nothing_to_do(tmp_path: Path) -> None:
    manifest = tmp_path / "clean.yaml"
    manifest.write_text(clean(), encoding="utf-8")
    page = html_pages.check_page(str(manifest))
    assert "Ready for go-live on 2099-01-01." in page
    assert "No findings: every evaluated requirement passes." in page
    assert "None: nothing blocks go-live and every approval can land in time." in page
    assert "No data of mainland subjects leaves the mainland." in page
    assert all(parse(page).ids.count(i) == 1 for i in SECTION_IDS)
