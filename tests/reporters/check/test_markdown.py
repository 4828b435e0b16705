"""--format markdown: a pull-request comment with a summary table by level and
category, findings grouped by rule, and a Mermaid diagram of the failing paths."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from steer.errors import Mark
from steer.reporters import render, render_transfers
from steer.reporters.check.markdown import LIMIT
from steer.results.findings import BaselineResult, Finding, FixedEntry, Report
from support import AS_OF, EXAMPLE, check, clean, cwd, run, violating

NODE = re.compile(r'^    (n_[A-Za-z0-9_]+)\["([^"]*)"\]$')
EDGE = re.compile(r"^    (n_[A-Za-z0-9_]+) -->\|([^|]+)\| (n_[A-Za-z0-9_]+)$")


def mermaid(text: str) -> list[str]:
    found = re.search(r"```mermaid\n(.*?)\n```", text, re.DOTALL)
    assert found, text
    return found.group(1).splitlines()


def graph(text: str) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    """Nodes (id -> label) and edges (label, rules, label) of the diagram, each line
    checked against the Mermaid grammar this reporter writes."""
    lines = mermaid(text)
    assert lines[0] == "flowchart LR"
    nodes: dict[str, str] = {}
    edges: set[tuple[str, str, str]] = set()
    for line in lines[1:]:
        if m := NODE.match(line):
            nodes[m.group(1)] = m.group(2)
        elif m := EDGE.match(line):
            edges.add((nodes[m.group(1)], m.group(2), nodes[m.group(3)]))
        else:
            assert re.match(r"^    (classDef|class|linkStyle) ", line), line
    return nodes, edges


@pytest.fixture
def demo(tmp_path: Path) -> Report:
    path = tmp_path / "demo.steer.yaml"
    path.write_text(violating(analytics=True, ops=False, waiver=True), encoding="utf-8")
    return check(path, "deploy/demo.steer.yaml")


def test_title_and_summary_table(demo: Report) -> None:
    text = render("markdown", [demo])
    lines = text.splitlines()
    assert lines[0] == (
        "## steer: `deploy/demo.steer.yaml` fails: 5 errors, 3 warnings, 1 waived, "
        f"{demo.summary()['passed_rules']} of {len(demo.rules)} rules passed"
    )
    assert lines[2] == f"As of {AS_OF} · regime `cn-2024` · packs `cn` · fail level `error`"
    assert lines[4].startswith("**Regime `cn-2024`:** policy.regime is auto: cn-2024")
    table = lines[6:11]
    assert table == [
        "| Category | Errors | Warnings | Waived |",
        "|---|---:|---:|---:|",
        "| data-sovereignty | 3 | 0 | 1 |",
        "| integration | 2 | 0 | 0 |",
        "| operations | 0 | 3 | 0 |",
    ]
    assert lines[11] == "| **Total** | **5** | **3** | **1** |"


def test_findings_grouped_by_level_and_rule(demo: Report) -> None:
    text = render("markdown", [demo])
    errors = text.index("### Errors (blocking): 5")
    warnings = text.index("### Warnings (advisory): 3")
    waived = text.index("### Waived: 1")
    assert errors < warnings < waived
    xb = text.index("**CN-XB-001** ", errors)
    assert xb < warnings
    block = text[xb : text.index("**", xb + 15)]
    assert "| `flows.crm-sync` | 23 |" in block
    assert "<br>path: `owner-db` → `crm-api` → `global-crm`" in block
    assert "| `flows.analytics-export` | 24 |" in block
    assert block.count("Fix: ") == 1  # the remediation once per rule
    waived_part = text[waived:]
    assert "waived: Volume assessment filed with the CAC" in waived_part
    assert "Fix:" not in waived_part  # a waived finding needs no fix today


def test_mermaid_diagram_of_failing_paths(demo: Report) -> None:
    nodes, edges = graph(render("markdown", [demo]))
    assert sorted(nodes.values()) == ["analytics", "crm-api", "global-crm", "owner-db"]
    assert all(re.fullmatch(r"n_[A-Za-z0-9_]+", n) for n in nodes)
    # the waived CN-XB-002 on crm-sync is not drawn; CN-XB-002 on analytics-export is
    assert edges == {
        ("owner-db", "CN-XB-001", "crm-api"),
        ("crm-api", "CN-XB-001", "global-crm"),
        ("owner-db", "CN-XB-001, CN-XB-002", "analytics"),
    }
    lines = mermaid(render("markdown", [demo]))
    assert "    class n_analytics,n_global_crm reached" in lines


def test_no_diagram_without_paths(tmp_path: Path) -> None:
    path = tmp_path / "m.steer.yaml"
    path.write_text(violating(crm=False), encoding="utf-8")
    text = render("markdown", [check(path)])
    assert "```mermaid" not in text and "CN-INT-001" in text
    ok = tmp_path / "ok.steer.yaml"
    ok.write_text(clean(), encoding="utf-8")
    text = render("markdown", [check(ok, "ok.steer.yaml")])
    assert text.startswith("## steer: `ok.steer.yaml` passes: 0 errors, 0 warnings, 0 waived")
    assert "| Category |" not in text


def _finding(target: str, path: tuple[str, ...], message: str = "m") -> Finding:
    return Finding(
        rule="CN-XB-001",
        title="T",
        severity="critical",
        status="confirmed",
        level="error",
        category="data-sovereignty",
        target=target,
        message=message,
        remediation="r",
        location=Mark("m.yaml", 4, 3),
        path=path,
    )


def test_ids_are_sanitised_and_kept_apart() -> None:
    findings = (
        _finding("flows.a", ("owner-db", "owner_db", "end")),
        _finding("flows.b", ('we"ird|id', "owner-db")),
    )
    report = Report("0.1.0", "m.yaml", AS_OF, findings, ("CN-XB-001",))
    nodes, edges = graph(render("markdown", [report]))
    labels = {label: node for node, label in nodes.items()}
    assert labels["owner-db"] != labels["owner_db"]  # same sanitised id, two nodes
    assert labels["end"] == "n_end"  # Mermaid's keyword is never a bare id
    assert "we#quot;ird#124;id" in labels
    assert ("owner-db", "CN-XB-001", "owner_db") in edges


def test_cells_are_escaped() -> None:
    finding = _finding("flows.a|b", ("a", "b"), message="pipes | and <b>html</b>\nand lines")
    report = Report("0.1.0", "m.yaml", AS_OF, (finding,), ("CN-XB-001",))
    text = render("markdown", [report])
    row = next(line for line in text.splitlines() if line.startswith("| `flows.a"))
    assert row == (
        "| `flows.a\\|b` | 4 | pipes \\| and &lt;b>html&lt;/b> and lines<br>path: `a` → `b` |"
    )


def test_several_manifests_and_baseline(tmp_path: Path) -> None:
    a, b = tmp_path / "a.steer.yaml", tmp_path / "b.steer.yaml"
    a.write_text(violating(), encoding="utf-8")
    b.write_text(clean(), encoding="utf-8")
    fixed = FixedEntry("CN-XB-001", "T", "flows.old", None, "old crossing", 30)
    ra = dataclasses.replace(
        check(a, "a.steer.yaml"), baseline=BaselineResult("base.json", 2, (fixed,))
    )
    text = render("markdown", [ra, check(b, "b.steer.yaml")])
    assert text.startswith("## steer check: 2 manifests, 1 failing\n")
    assert "| `a.steer.yaml` | 4 | 0 | 0 |" in text
    assert "### steer: `a.steer.yaml` fails" in text and "### steer: `b.steer.yaml` passes" in text
    assert "Baseline `base.json`: 2 known findings not shown." in text
    assert "- **CN-XB-001** `flows.old` (was line 30): old crossing" in text


def test_long_reports_fit_a_comment() -> None:
    findings = tuple(
        _finding(f"flows.f{i:04}", (f"src-{i}", "abroad"), message="x" * 200) for i in range(600)
    )
    report = Report("0.1.0", "m.yaml", AS_OF, findings, ("CN-XB-001",))
    text = render("markdown", [report])
    assert len(text) < LIMIT
    assert text.rstrip().endswith("see the full report (`--format json` or `sarif`).*")
    assert text.count("```") % 2 == 0  # never a half-open code block


def test_cli_and_example(tmp_path: Path) -> None:
    (tmp_path / "m.steer.yaml").write_text(violating(), encoding="utf-8")
    with cwd(tmp_path):
        code, out, _ = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--format", "markdown"])
    assert code == 1 and out.startswith("## steer: `m.steer.yaml` fails")
    if not EXAMPLE.is_file():
        return
    with cwd(EXAMPLE.parent.parent):
        code, out, _ = run(
            ["check", "examples/china-platform.yaml", "--as-of", AS_OF, "--format", "markdown"]
        )
    assert code == 1
    nodes, edges = graph(out)
    assert len(nodes) >= 2 and edges
    assert "| **Total** |" in out


# -- the regime and the transfer register ----------------------------------------------
def test_the_regime_and_why_under_the_title(demo: Report) -> None:
    lines = render("markdown", [demo]).splitlines()
    assert lines[4] == f"**Regime `cn-2024`:** {demo.regime_why}"
    assert "is the law in force on 2026-11-26" in lines[4]


def test_transfer_register_section(demo: Report) -> None:
    text = render("markdown", [demo])
    section = text.index("### Transfer register\n")
    assert text.index("| **Total** |") < section < text.index("### Errors (blocking)")
    body = text[section:]
    lines = body.splitlines()
    assert lines[2] == "2 crossings: 0 covered, 2 not covered."
    assert lines[4].startswith("| Flow | From → to | Categories | Individuals | Requires |")
    rows = lines[6:8]
    assert rows[0].startswith("| `analytics-export` | `owner-db` → `analytics` (DE) | `personal` |")
    assert rows[1].startswith(
        "| `crm-sync` | `crm-api` → `global-crm` (US) | `personal` | 120,000 |"
    )
    assert "standard contract or certification" in rows[1] and "❌ missing: " in rows[1]
    assert "Basis of each decision:" in body
    for entry in demo.crossings:
        for line in entry["basis"]:
            assert f"  - {line}" in lines


def test_transfer_register_is_the_transfers_markdown(demo: Report) -> None:
    register = render_transfers("markdown", demo)
    # the same table and basis, drawn by the same code
    body = register[register.index("2 crossings:") :].rstrip("\n")
    assert body in render("markdown", [demo])


def test_no_crossings_says_so(tmp_path: Path) -> None:
    ok = tmp_path / "ok.steer.yaml"
    ok.write_text(clean(), encoding="utf-8")
    text = render("markdown", [check(ok, "ok.steer.yaml")])
    section = text[text.index("### Transfer register") :]
    assert section.splitlines()[2].startswith("0 crossings: no flow takes personal information")
    assert "| Flow |" not in text


def test_each_manifest_has_its_register(tmp_path: Path) -> None:
    a, b = tmp_path / "a.steer.yaml", tmp_path / "b.steer.yaml"
    a.write_text(violating(), encoding="utf-8")
    b.write_text(violating(analytics=True), encoding="utf-8")
    text = render("markdown", [check(a, "a.steer.yaml"), check(b, "b.steer.yaml")])
    assert text.count("#### Transfer register") == 2
    assert "1 crossing: 0 covered, 1 not covered." in text
    assert "2 crossings: 0 covered, 2 not covered." in text
