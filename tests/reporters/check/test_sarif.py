"""--format sarif: valid SARIF 2.1.0 (the official schema), read back by an independent
library (sarif-tools), with rules, locations, fingerprints, suppressions and the
cross-border paths as related locations and code flows."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from steer.errors import Mark
from steer.reporters import render
from steer.reporters.check.sarif import FINGERPRINT, SRCROOT
from steer.results.findings import Finding, Report
from support import AS_OF, EXAMPLE, check, clean, cwd, run, violating

# The official schema, in the shared folder beside the checkout (CI lays it there too).
SCHEMA_FILE = Path(__file__).resolve().parents[4] / "shared/reference/sarif-schema-2.1.0.json"
if not SCHEMA_FILE.is_file():
    SCHEMA_FILE = Path("/work/shared/reference/sarif-schema-2.1.0.json")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid(validator: jsonschema.Draft4Validator, doc: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, Report]:
    path = tmp_path / "demo.steer.yaml"
    path.write_text(violating(analytics=True, ops=False, waiver=True), encoding="utf-8")
    return path, check(path, "deploy/demo.steer.yaml")


def sarif(reports: list[Report]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(render("sarif", reports))
    return doc


def line_of(path: Path, text: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(text)
    )


def test_valid_against_the_official_schema(
    validator: jsonschema.Draft4Validator, demo: tuple[Path, Report], tmp_path: Path
) -> None:
    _, report = demo
    assert_valid(validator, sarif([report]))
    ok = tmp_path / "ok.steer.yaml"
    ok.write_text(clean(), encoding="utf-8")
    empty = sarif([check(ok)])
    assert_valid(validator, empty)
    assert empty["runs"][0]["results"] == []
    assert_valid(validator, sarif([report, check(ok)]))
    assert_valid(validator, sarif([]))


def test_example_manifest_is_valid_and_read_back(
    validator: jsonschema.Draft4Validator, tmp_path: Path
) -> None:
    if not EXAMPLE.is_file():
        pytest.skip("examples/china-platform.yaml not written yet")
    from sarif import loader

    with cwd(EXAMPLE.parent.parent):
        code, _, err = run(
            [
                "check",
                "examples/china-platform.yaml",
                "--as-of",
                AS_OF,
                "--format",
                f"sarif:{tmp_path / 'example.sarif'}",
                "--format",
                f"json:{tmp_path / 'r.json'}",
            ]
        )
    assert code in (0, 1), err
    doc = json.loads((tmp_path / "example.sarif").read_text(encoding="utf-8"))
    assert_valid(validator, doc)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    loaded = loader.load_sarif_file(str(tmp_path / "example.sarif"))
    assert loaded.get_result_count() == len(report["findings"])
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in doc["runs"][0]["results"]
    }
    assert uris == {"examples/china-platform.yaml"}
    flows = [r for r in doc["runs"][0]["results"] if "codeFlows" in r]
    assert flows, "the example has cross-border paths; SARIF must carry them"


def test_read_back_with_sarif_tools(demo: tuple[Path, Report], tmp_path: Path) -> None:
    from sarif import loader

    _, report = demo
    out = tmp_path / "steer.sarif"
    out.write_text(render("sarif", [report]), encoding="utf-8")
    loaded = loader.load_sarif_file(str(out))
    assert loaded.get_distinct_tool_names() == ["steer"]
    assert loaded.get_result_count() == len(report.findings)
    records = loaded.get_records()
    got = sorted((r["Code"], r["Line"], r["Severity"], r["Location"]) for r in records)
    want = sorted(
        (f.rule, f.location.line, f.level, "deploy/demo.steer.yaml") for f in report.findings
    )
    assert got == want


def test_one_rule_per_guardrail_with_help(demo: tuple[Path, Report]) -> None:
    _, report = demo
    run_ = sarif([report])["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(report.rules)
    by_id = {r["id"]: r for r in rules}
    for info in report.guardrails:
        rule = by_id[info.id]
        assert rule["shortDescription"]["text"] == info.title
        assert rule["fullDescription"]["text"] == info.rationale
        assert info.remediation in rule["help"]["text"]
        assert info.remediation.split()[0] in rule["help"]["markdown"]
        for source in info.sources:
            assert source in rule["help"]["text"]
        level = "error" if info.enforcement == "blocking" else "warning"
        assert rule["defaultConfiguration"]["level"] == level
        props = rule["properties"]
        assert (props["category"], props["severity"], props["status"]) == (
            info.category,
            info.severity,
            info.status,
        )
        assert {info.category, info.severity, info.status} <= set(props["tags"])
        assert 0 < float(props["security-severity"]) <= 10
        assert rule["name"].isidentifier()
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_point_at_the_manifest(demo: tuple[Path, Report]) -> None:
    _, report = demo
    run_ = sarif([report])["runs"][0]
    assert run_["artifacts"] == [
        {
            "location": {"uri": "deploy/demo.steer.yaml", "uriBaseId": SRCROOT},
            "roles": ["analysisTarget"],
        }
    ]
    for f, result in zip(report.findings, run_["results"], strict=True):
        assert result["ruleId"] == f.rule
        assert result["level"] == f.level
        assert result["message"]["text"].startswith(f.message)
        loc = result["locations"][0]
        assert loc["physicalLocation"]["artifactLocation"] == {
            "uri": "deploy/demo.steer.yaml",
            "uriBaseId": SRCROOT,
            "index": 0,
        }
        assert loc["physicalLocation"]["region"] == {
            "startLine": f.location.line,
            "startColumn": f.location.column,
        }
        assert loc["logicalLocations"][0]["fullyQualifiedName"] == f.target
        assert result["properties"]["target"] == f.target


def test_waived_findings_are_suppressed(demo: tuple[Path, Report]) -> None:
    _, report = demo
    results = sarif([report])["runs"][0]["results"]
    waived = [r for r in results if "suppressions" in r]
    assert [(r["ruleId"], r["properties"]["target"]) for r in waived] == [
        ("CN-XB-002", "flows.crm-sync")
    ]
    (suppression,) = waived[0]["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["status"] == "accepted"
    assert "Volume assessment filed with the CAC" in suppression["justification"]
    assert "regional-architect" in suppression["justification"]
    assert all("suppressions" not in r for r in results if r not in waived)


def test_paths_become_related_locations_and_code_flows(demo: tuple[Path, Report]) -> None:
    path, report = demo
    results = sarif([report])["runs"][0]["results"]
    crm = next(
        r
        for r in results
        if r["ruleId"] == "CN-XB-001" and r["properties"]["target"] == "flows.crm-sync"
    )
    assert crm["properties"]["path"] == ["owner-db", "crm-api", "global-crm"]
    lines = [line_of(path, f"  {c}:") for c in ("owner-db", "crm-api", "global-crm")]
    related = crm["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2, 3]
    assert [r["physicalLocation"]["region"]["startLine"] for r in related] == lines
    assert [r["message"]["text"].split()[0] for r in related] == [
        "owner-db",
        "crm-api",
        "global-crm",
    ]
    # the message links each step to its related location, as SARIF viewers render it
    assert crm["message"]["text"].endswith("Path: [owner-db](1) → [crm-api](2) → [global-crm](3)")
    (flow,) = crm["codeFlows"]
    (thread,) = flow["threadFlows"]
    steps = thread["locations"]
    assert [s["location"]["message"]["text"] for s in steps] == [
        "owner-db",
        "crm-api",
        "global-crm",
    ]
    assert [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps] == lines
    assert [s["executionOrder"] for s in steps] == [1, 2, 3]
    no_path = [r for r in results if "path" not in r["properties"]]
    assert no_path and all("codeFlows" not in r and "relatedLocations" not in r for r in no_path)


def fingerprints(report: Report) -> dict[tuple[str, str, int], str]:
    results = sarif([report])["runs"][0]["results"]
    out: dict[tuple[str, str, int], str] = {}
    for r in results:
        key = (r["ruleId"], r["properties"]["target"], 0)
        while key in out:
            key = (key[0], key[1], key[2] + 1)
        out[key] = r["partialFingerprints"][FINGERPRINT]
    return out


def test_fingerprints_survive_edits_but_not_other_flows(tmp_path: Path) -> None:
    path = tmp_path / "m.steer.yaml"
    path.write_text(violating(analytics=True), encoding="utf-8")
    before = fingerprints(check(path, "m.steer.yaml"))
    # unique within a run, even for two findings with the same rule and target
    assert len(set(before.values())) == len(before)
    assert ("CN-INT-001", "manifest", 1) in before
    # moved lines and reworded messages keep the fingerprint: alerts stay the same alerts
    shifted = "# moved down by a comment\n# and another\n" + violating(
        analytics=True, name="renamed"
    )
    path.write_text(shifted, encoding="utf-8")
    assert fingerprints(check(path, "m.steer.yaml")) == before
    # the same finding in another manifest is another alert
    other = fingerprints(check(path, "other.steer.yaml"))
    assert set(other.values()).isdisjoint(before.values())
    xb = {k: v for k, v in before.items() if k[0] == "CN-XB-001"}
    assert xb[("CN-XB-001", "flows.crm-sync", 0)] != xb[("CN-XB-001", "flows.analytics-export", 0)]


def test_several_manifests_one_run(tmp_path: Path, validator: jsonschema.Draft4Validator) -> None:
    a, b = tmp_path / "a.steer.yaml", tmp_path / "b.steer.yaml"
    a.write_text(violating(), encoding="utf-8")
    b.write_text(violating(analytics=True), encoding="utf-8")
    ra, rb = check(a, "a.steer.yaml"), check(b, "sub dir/b.steer.yaml")
    doc = sarif([ra, rb])
    assert_valid(validator, doc)
    (run_,) = doc["runs"]
    assert [x["location"]["uri"] for x in run_["artifacts"]] == [
        "a.steer.yaml",
        "sub%20dir/b.steer.yaml",
    ]
    assert len(run_["results"]) == len(ra.findings) + len(rb.findings)
    indices = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] for r in run_["results"]
    }
    assert indices == {0, 1}
    assert [m["manifest"] for m in run_["properties"]["manifests"]] == [
        "a.steer.yaml",
        "sub dir/b.steer.yaml",
    ]


def _finding(**changes: Any) -> Finding:
    base = Finding(
        rule="CN-XB-001",
        title="t",
        severity="critical",
        status="confirmed",
        level="error",
        category="data-sovereignty",
        target="flows.x",
        message="m",
        remediation="r",
        location=Mark("/abs/m.steer.yaml", 3, 5),
    )
    return dataclasses.replace(base, **changes)


def test_absolute_paths_and_literal_brackets(validator: jsonschema.Draft4Validator) -> None:
    finding = _finding(message="waivers[0] excuses [nothing](1) here", path=("a", "b"))
    report = Report("0.1.0", "/abs/m.steer.yaml", AS_OF, (finding,), ("CN-XB-001",))
    doc = sarif([report])
    assert_valid(validator, doc)
    result = doc["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///abs/m.steer.yaml",
        "index": 0,
    }
    # text that looks like a SARIF link is escaped; other brackets are left alone
    assert result["message"]["text"].startswith("waivers[0] excuses \\[nothing\\](1) here")
    # no component lines known: the path is named in the message but not linked
    assert result["message"]["text"].endswith("Path: a → b")
    assert "codeFlows" not in result
    # a rule the report has no metadata for (steer's own checks) still gets one
    assert doc["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "CN-XB-001"


def test_cli_writes_sarif_beside_the_table(tmp_path: Path) -> None:
    (tmp_path / "m.steer.yaml").write_text(violating(), encoding="utf-8")
    with cwd(tmp_path):
        code, out, err = run(
            [
                "check",
                "m.steer.yaml",
                "--as-of",
                AS_OF,
                "--format",
                "table",
                "--format",
                "sarif:out.sarif",
            ]
        )
    assert code == 1, err
    assert "CN-XB-001" in out and "rules passed" in out  # the table on stdout
    doc = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert doc["version"] == "2.1.0"
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} >= {
        "CN-XB-001",
        "CN-XB-002",
        "CN-INT-001",
    }
    again = tmp_path / "again.sarif"
    with cwd(tmp_path):
        run(
            ["check", "m.steer.yaml", "--as-of", AS_OF, "--format", "sarif", "--output", str(again)]
        )
    assert again.read_bytes() == (tmp_path / "out.sarif").read_bytes()  # byte-stable
