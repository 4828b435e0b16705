"""`steer check --terraform` end to end: the STEER-IAC findings in every output format,
at their lines in the manifest, with the resource address and plan file in the
message and as SARIF related locations; keyed by their resource for baselines and
fingerprints; waived, selected, ignored and made strict like any finding; several
plans and manifests in one run. (Inputs, bad plans, configuration and catalogs:
test_check_terraform_inputs.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import JUnitXml

from iacsupport import AS_OF
from iacworkspace import (
    MANIFEST,
    PLAN,
    SCHEMA_FILE,
    check,
    findings,
    line_of,
    manifest_text,
    plan_of,
    workspace,
    write_plan,
)
from steer.checks import infrastructure
from support import cwd, run


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return workspace(tmp_path)


# -- the findings ---------------------------------------------------------------------
def test_a_plan_in_agreement_gives_no_finding_and_the_report_says_what_was_compared(
    ws: Path,
) -> None:
    code, out, err = check(ws, "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["findings"] == []
    assert report["infrastructure"] == {"files": [PLAN], "resources": 2}
    # the four rules ran and passed, as guardrails do
    assert (
        report["summary"]["passed_rules"]
        == 4
        + json.loads(run(["check", str(ws / MANIFEST), "--as-of", AS_OF, "--format", "json"])[1])[
            "summary"
        ]["passed_rules"]
    )
    # without --terraform nothing changes: no key, no rule
    with cwd(ws):
        plain = json.loads(run(["check", MANIFEST, "--as-of", AS_OF, "--format", "json"])[1])
    assert "infrastructure" not in plain


def test_drift_is_an_error_at_the_entry_naming_the_address_and_the_plan(ws: Path) -> None:
    write_plan(ws, plan_of(region="cn-hongkong"))
    code, found = findings(ws)
    assert code == 1
    iac = [f for f in found if f["rule"].startswith("STEER-IAC")]
    assert [(f["rule"], f["level"], f["target"], f["resource"]) for f in iac] == [
        ("STEER-IAC-001", "error", "components.api", "alicloud_instance.api"),
        ("STEER-IAC-001", "error", "components.customer-db", "alicloud_db_instance.customers"),
    ]
    db = iac[1]
    assert db["severity"] == "high" and db["authority"] == "policy" and db["status"] == "confirmed"
    assert "alicloud_db_instance.customers (infra/plan.json) runs in" in db["message"]
    assert "cn-hongkong (HK)" in db["message"]
    path = ws / MANIFEST
    assert db["location"] == {
        "file": MANIFEST,
        "line": line_of(path, "resources: [alicloud_db_instance.customers]"),
        "column": len("    resources: [") + 1,
    }
    assert iac[0]["location"]["line"] == line_of(path, "- alicloud_instance.api")


def test_unnamed_data_and_unmatched_entries(ws: Path) -> None:
    (ws / MANIFEST).write_text(manifest_text(legacy=True), encoding="utf-8")
    write_plan(ws, plan_of(unnamed=("logs", "export", "archive")))
    code, found = findings(ws)
    assert code == 1
    got = [(f["rule"], f["level"], f["severity"], f["target"], f.get("resource")) for f in found]
    assert got == [
        ("STEER-IAC-002", "error", "high", "manifest", "aws_s3_bucket.archive"),
        ("STEER-IAC-002", "error", "high", "manifest", "aws_s3_bucket.export"),
        ("STEER-IAC-002", "warning", "medium", "manifest", "alicloud_oss_bucket.logs"),
        ("STEER-IAC-003", "warning", "low", "components.api", "module.legacy.*"),
    ]
    path = ws / MANIFEST
    components = line_of(path, "components:")
    assert {f["location"]["line"] for f in found[:3]} == {components}  # where to name them
    assert found[3]["location"]["line"] == line_of(path, "- module.legacy.*")
    assert "module.legacy.*" in found[3]["message"] and PLAN in found[3]["message"]


@pytest.mark.parametrize("fmt", ["table", "json", "sarif", "junit", "markdown", "github"])
def test_every_format_shows_them(ws: Path, fmt: str) -> None:
    write_plan(ws, plan_of(unnamed=("export",)))
    code, out, err = check(ws, "--format", fmt)
    assert code == 1, err
    assert "STEER-IAC-002" in out
    assert "aws_s3_bucket.export" in out and PLAN in out


def test_junit_lists_the_four_rules(ws: Path) -> None:
    write_plan(ws, plan_of(unnamed=("export",)))
    code, out, _ = check(ws, "--format", "junit")
    assert code == 1
    (ws / "j.xml").write_text(out, encoding="utf-8")
    (suite,) = list(JUnitXml.fromfile(str(ws / "j.xml")))
    names = {case.name.split(" ", 1)[0]: case for case in suite}
    assert {"STEER-IAC-001", "STEER-IAC-002", "STEER-IAC-003", "STEER-IAC-004"} <= set(names)
    assert not names["STEER-IAC-002"].is_passed and names["STEER-IAC-001"].is_passed


def test_sarif_related_locations_point_into_the_plan(ws: Path) -> None:
    write_plan(ws, plan_of(region="cn-hongkong", unnamed=("export", "archive")))
    code, out, _ = check(ws, "--format", "sarif")
    assert code == 1
    doc = json.loads(out)
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
    assert not errors, [e.message for e in errors[:3]]
    run_ = doc["runs"][0]
    uris = [a["location"]["uri"] for a in run_["artifacts"]]
    assert uris == [MANIFEST, PLAN]
    assert {a["location"]["uriBaseId"] for a in run_["artifacts"]} == {"%SRCROOT%"}
    results = [r for r in run_["results"] if r["ruleId"].startswith("STEER-IAC")]
    assert len(results) == 4
    plan_lines = (ws / PLAN).read_text().splitlines()
    for result in results:
        (related,) = result["relatedLocations"]
        where = related["physicalLocation"]
        assert where["artifactLocation"] == {"uri": PLAN, "uriBaseId": "%SRCROOT%", "index": 1}
        address = result["properties"]["resource"]
        assert related["message"]["text"] == f"{address} in {PLAN}"
        line = plan_lines[where["region"]["startLine"] - 1]
        assert "{" in line or '"address"' in line  # the resource's object in the plan
        assert "codeFlows" not in result  # no data path: no flow to step along
    fingerprints = [r["partialFingerprints"]["steerFindingKey/v1"] for r in results]
    assert len(set(fingerprints)) == 4  # two unnamed buckets on one target stay apart
    rules = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {"STEER-IAC-001", "STEER-IAC-002", "STEER-IAC-003", "STEER-IAC-004"} <= rules


def test_sarif_fingerprints_of_other_findings_do_not_change(ws: Path) -> None:
    """A finding without a resource hashes as before (manifest, rule, target, path)."""
    (ws / MANIFEST).write_text(manifest_text().replace("records: 50000", "records: 5"), "utf-8")
    with cwd(ws):
        plain = json.loads(run(["check", MANIFEST, "--as-of", AS_OF, "--format", "sarif"])[1])
    _, out, _ = check(ws, "--format", "sarif")
    with_tf = json.loads(out)

    def keys(doc: dict[str, Any]) -> set[str]:
        return {r["partialFingerprints"]["steerFindingKey/v1"] for r in doc["runs"][0]["results"]}

    assert keys(plain) == keys(with_tf)


# -- waivers, baselines, selection ------------------------------------------------------
WAIVE_ALL = """\
waivers:
  - rule: STEER-IAC-002
    reason: The export buckets are described in the data lake's own manifest
    owner: platform-team
    expires: 2099-01-01
"""
WAIVE_ONE = WAIVE_ALL.replace("    reason:", "    target: aws_s3_bucket.export\n    reason:")


def test_a_waiver_excuses_every_finding_of_the_rule_or_one_resource(ws: Path) -> None:
    write_plan(ws, plan_of(unnamed=("export", "archive")))
    (ws / MANIFEST).write_text(manifest_text(waivers=WAIVE_ALL), encoding="utf-8")
    code, found = findings(ws)
    assert code == 0
    assert [(f["resource"], f["waived"]) for f in found] == [
        ("aws_s3_bucket.archive", True),
        ("aws_s3_bucket.export", True),
    ]
    (ws / MANIFEST).write_text(manifest_text(waivers=WAIVE_ONE), encoding="utf-8")
    code, found = findings(ws)
    assert code == 1
    assert {f["resource"]: f["waived"] for f in found} == {
        "aws_s3_bucket.archive": False,
        "aws_s3_bucket.export": True,
    }


def test_an_iac_waiver_without_terraform_is_not_unused(ws: Path) -> None:
    """The manifest loads with it; a run without --terraform did not judge the rule,
    so the waiver is neither applied nor reported as excusing nothing."""
    (ws / MANIFEST).write_text(manifest_text(waivers=WAIVE_ALL), encoding="utf-8")
    with cwd(ws):
        code, out, err = run(["check", MANIFEST, "--as-of", AS_OF, "--format", "json"])
    assert (code, err) == (0, "")
    assert json.loads(out)["findings"] == []
    # with --terraform and nothing to excuse, it is reported like any unused waiver
    code, found = findings(ws)
    assert [f["rule"] for f in found] == ["STEER-WAIVER"]
    assert "excuses no finding" in found[0]["message"]


def test_a_waiver_of_an_unknown_steer_rule_is_a_located_error(ws: Path) -> None:
    bad = WAIVE_ALL.replace("STEER-IAC-002", "STEER-IAK-002")
    (ws / MANIFEST).write_text(manifest_text(waivers=bad), encoding="utf-8")
    code, _, err = check(ws)
    assert code == 2
    line = line_of(ws / MANIFEST, "STEER-IAK-002")
    assert err.startswith(f"{MANIFEST}:{line}:")
    assert "did you mean 'STEER-IAC-002'?" in err


def test_the_baseline_knows_each_resource(ws: Path) -> None:
    write_plan(ws, plan_of(unnamed=("export",)))
    code, _, err = check(ws, "--write-baseline", "base.json")
    assert code == 0, err
    entry = json.loads((ws / "base.json").read_text())["findings"][0]
    assert entry["resource"] == "aws_s3_bucket.export"
    assert check(ws, "--baseline", "base.json")[0] == 0  # known
    write_plan(ws, plan_of(unnamed=("export", "archive")))  # a second one, same target
    code, found = findings(ws, "--baseline", "base.json")
    assert code == 1
    assert [f["resource"] for f in found] == ["aws_s3_bucket.archive"]
    write_plan(ws, plan_of(unnamed=("archive",)))  # the known one is gone: fixed
    _, out, _ = check(ws, "--baseline", "base.json", "--format", "json")
    fixed = json.loads(out)["baseline"]["fixed"]
    assert [(e["rule"], e["resource"]) for e in fixed] == [
        ("STEER-IAC-002", "aws_s3_bucket.export")
    ]
    _, table, _ = check(ws, "--baseline", "base.json")
    assert "fixed: STEER-IAC-002 manifest (aws_s3_bucket.export)" in table


def test_a_baseline_with_a_bad_resource_is_refused(ws: Path) -> None:
    base = {"manifest": MANIFEST, "findings": [{"rule": "STEER-IAC-002", "target": "m"}]}
    base["findings"][0]["resource"] = ["not", "a", "string"]  # type: ignore[index]
    (ws / "base.json").write_text(json.dumps(base), encoding="utf-8")
    code, _, err = check(ws, "--baseline", "base.json")
    assert code == 2
    assert "base.json:1:91: findings[0].resource: expected a resource address" in err


def test_select_ignore_and_strict(ws: Path) -> None:
    (ws / MANIFEST).write_text(manifest_text(legacy=True), encoding="utf-8")
    write_plan(ws, plan_of(unnamed=("logs",)))
    _, found = findings(ws, "--ignore", "STEER-IAC-002")
    assert [f["rule"] for f in found] == ["STEER-IAC-003"]
    _, found = findings(ws, "--select", "STEER-IAC-*")
    assert [f["rule"] for f in found] == ["STEER-IAC-002", "STEER-IAC-003"]
    _, found = findings(ws, "--select", "CN-*")
    assert found == []
    code, found = findings(ws, "--strict")
    assert code == 1 and {f["level"] for f in found} == {"error"}
    code, _, err = check(ws, "--select", "STEER-IAC-02")
    assert code == 2 and "did you mean STEER-IAC-002?" in err


def test_several_plans_and_several_manifests(ws: Path) -> None:
    write_plan(ws, plan_of(unnamed=("export",)), "infra/global.json")
    (ws / "other.steer.yaml").write_text(manifest_text(), encoding="utf-8")
    with cwd(ws):
        code, out, err = run(
            [
                "check",
                MANIFEST,
                "other.steer.yaml",
                "--as-of",
                AS_OF,
                "--format",
                "json",
                "--terraform",
                PLAN,
                "--terraform",
                "infra/global.json",
                "--terraform",
                PLAN,  # named twice: read once
            ]
        )
    assert code == 1, err
    reports = json.loads(out)["reports"]
    for report in reports:
        assert report["infrastructure"] == {"files": [PLAN, "infra/global.json"], "resources": 5}
        # the database and API are in both plans: judged in each, named in each
        assert [(f["rule"], f["resource"]) for f in report["findings"]] == [
            ("STEER-IAC-002", "aws_s3_bucket.export")
        ]
        assert "infra/global.json" in report["findings"][0]["message"]


def test_explain_a_steer_iac_rule() -> None:
    code, out, _ = run(["explain", "steer-iac-004"])
    assert code == 0
    assert out.startswith("STEER-IAC-004: The region of every named or data-holding resource")
    assert "steer check --terraform" in out and "How to fix" in out


def test_a_plan_is_located_once_for_the_manifests_that_share_their_packs(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = infrastructure.resources_of

    def counting(doc: Any, *args: Any) -> Any:
        calls.append(doc.file)
        return original(doc, *args)

    monkeypatch.setattr(infrastructure, "resources_of", counting)
    for name in ("a.steer.yaml", "b.steer.yaml", "c.steer.yaml"):
        (ws / name).write_text(manifest_text(), encoding="utf-8")
    with cwd(ws):
        argv = ["check", "a.steer.yaml", "b.steer.yaml", "c.steer.yaml", "--terraform", PLAN]
        code, _, err = run([*argv, "--as-of", AS_OF])
    assert (code, err) == (0, "")
    assert calls == [PLAN]
