"""The JSON reporter writes each finding from shared, pre-encoded pieces; whatever the
strings (shared between fields, non-ASCII, quotes, control characters), every line
must be exactly the compact encoding of ``Finding.to_json()``."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from steer.errors import Mark
from steer.reporters import render
from steer.results.findings import Finding, Report

ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
# a small alphabet, so that rules, targets, files and remediations often coincide
WORDS = st.sampled_from(["CN-XB-001", "flows.a", "m.yaml", "fix it", 'say "no"', "数据", "\t"])
TEXT = WORDS | st.text(max_size=6)


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    return Finding(
        rule=draw(WORDS),
        title=draw(TEXT),
        severity=draw(st.sampled_from(["critical", "high", "low"])),
        status="confirmed",
        level=draw(st.sampled_from(["error", "warning"])),
        category="c",
        target=draw(TEXT),
        message=draw(TEXT),
        remediation=draw(TEXT),
        location=Mark(draw(WORDS), draw(st.integers(1, 99)), draw(st.integers(1, 9))),
        path=draw(st.none() | st.tuples(WORDS, TEXT)),
        waived=draw(st.booleans()),
        resource=draw(st.none() | TEXT),  # STEER-IAC findings name their resource
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(findings(), max_size=8))
def test_each_finding_line_is_its_to_json(items: list[Finding]) -> None:
    report = Report(
        steer_version="0",
        manifest="m.yaml",
        as_of="2026-11-26",
        findings=tuple(items),
        rules=(),
    )
    text = render("json", [report])
    assert json.loads(text)["findings"] == [f.to_json() for f in items]
    lines = [line.strip().rstrip(",") for line in text.split("\n") if line.startswith("    {")]
    assert lines == [ENCODE(f.to_json()) for f in items]
