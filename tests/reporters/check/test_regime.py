"""Every report names the regime it judged by and why: the table's second line, the
Markdown heading (test_markdown), SARIF run properties (still valid SARIF 2.1.0),
JUnit suite properties, the GitHub job summary (annotations stay one a finding), and
the what-if JSON for the baseline and each scenario."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from register_support import AS_OF, FILE, report, write
from steer.reporters import render, step_summary
from steer.results.findings import Report
from support import cwd, run

SCHEMA_FILE = Path(__file__).resolve().parents[4] / "shared/reference/sarif-schema-2.1.0.json"
if not SCHEMA_FILE.is_file():
    SCHEMA_FILE = Path("/work/shared/reference/sarif-schema-2.1.0.json")


@pytest.fixture
def demo(tmp_path: Path) -> Report:
    return report(tmp_path)


def test_table_says_why_on_its_second_line(demo: Report) -> None:
    lines = render("table", [demo]).splitlines()
    assert lines[0] == f"{FILE} as of {AS_OF}, regime cn-2024"
    assert lines[1].startswith("policy.regime is auto: cn-2024 (CAC Order 16, in force from")
    assert " ".join(lines[1:4]).startswith(demo.regime_why[:200])


def test_sarif_run_properties(demo: Report) -> None:
    doc = json.loads(render("sarif", [demo]))
    props = doc["runs"][0]["properties"]
    assert props["regime"] == {"name": "cn-2024", "why": demo.regime_why}
    assert props["manifests"][0]["regime"] == "cn-2024"
    assert props["manifests"][0]["regime_why"] == demo.regime_why
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert not errors, errors[:5]


def test_junit_suite_properties(demo: Report) -> None:
    root = ET.fromstring(render("junit", [demo]))
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["regime"] == "cn-2024"
    assert props["regime_why"] == demo.regime_why


def test_github_job_summary_names_the_regime(
    demo: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    step_summary([demo])
    text = summary.read_text(encoding="utf-8")
    assert "**Regime `cn-2024`:** policy.regime is auto" in text
    # the annotations stay one a finding: no notice about the regime among them
    assert "regime" not in render("github", [demo])


def test_whatif_json_names_regime_and_why(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "pin.yaml").write_text(
        "name: pin-2022\npatch:\n  policy: {regime: cn-2022}\n", encoding="utf-8"
    )
    with cwd(tmp_path):
        _, out, err = run(["whatif", FILE, "pin.yaml", "--format", "json", "--as-of", AS_OF])
    assert err == ""
    data = json.loads(out)
    assert data["regime"]["name"] == "cn-2024"
    assert data["regime"]["why"].startswith("policy.regime is auto: cn-2024")
    (scenario,) = data["scenarios"]
    assert scenario["regime"]["name"] == "cn-2022"
    assert "which is not the law in force on 2026-12-02" in scenario["regime"]["why"]
