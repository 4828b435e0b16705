"""--format junit: one test case per guardrail per manifest, read back with junitparser;
failures agree with the exit code at every --fail-on level."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml, TestCase, TestSuite

from steer.errors import Mark
from steer.reporters import render
from steer.results.findings import Finding, Report
from support import AS_OF, EXAMPLE, check, clean, cwd, run, violating


def parse(text: str) -> JUnitXml:
    xml = JUnitXml.fromstring(text.encode("utf-8"))  # as a file is read: bytes
    assert isinstance(xml, JUnitXml)
    return xml


def cases(suite: TestSuite) -> dict[str, TestCase]:
    return {case.name.split()[0]: case for case in suite}


@pytest.fixture
def demo(tmp_path: Path) -> Report:
    path = tmp_path / "demo.steer.yaml"
    path.write_text(violating(analytics=True, ops=False, waiver=True), encoding="utf-8")
    return check(path, "deploy/demo.steer.yaml")


def test_one_case_per_guardrail_failures_carry_findings(demo: Report) -> None:
    xml = parse(render("junit", [demo]))
    (suite,) = list(xml)
    assert suite.name == "deploy/demo.steer.yaml"
    by_rule = cases(suite)
    assert sorted(by_rule) == sorted(demo.rules)
    assert suite.tests == len(demo.rules)
    for rule_id, case in by_rule.items():
        assert case.classname == "deploy/demo.steer.yaml"
        assert case.name == f"{rule_id} {demo.rule_info(rule_id).title}"
    errors = [f for f in demo.findings if f.level == "error" and not f.waived]
    failing = {f.rule for f in errors}
    assert {r for r, c in by_rule.items() if not c.is_passed} == failing
    assert suite.failures == len(failing) == xml.failures
    for rule_id in failing:
        (failure,) = by_rule[rule_id].result
        assert isinstance(failure, Failure)
        assert failure.type == "error"
        mine = [f for f in errors if f.rule == rule_id]
        assert failure.message.startswith(f"{len(mine)} finding")
        for f in mine:
            assert f"{f.location}: error" in failure.text
            assert f.target in failure.text and f.message in failure.text
            assert f"fix: {f.remediation}" in failure.text
    xb = by_rule["CN-XB-001"].result[0].text
    assert "path: owner-db -> crm-api -> global-crm" in xb
    assert "path: owner-db -> analytics" in xb


def test_warnings_and_waivers_go_to_system_out(demo: Report) -> None:
    by_rule = cases(next(iter(parse(render("junit", [demo])))))
    ops = by_rule["CN-OPS-001"]
    assert ops.is_passed  # advisory findings do not fail under --fail-on error
    warnings = [f for f in demo.findings if f.rule == "CN-OPS-001"]
    assert len(warnings) == 3
    for f in warnings:
        assert f"{f.location}: warning" in ops.system_out
    # CN-XB-002: one error (analytics-export) fails the case; the waived one is output
    xb2 = by_rule["CN-XB-002"]
    assert not xb2.is_passed
    assert "flows.analytics-export" in xb2.result[0].text
    assert "flows.crm-sync" not in xb2.result[0].text
    assert "waived" in xb2.system_out and "flows.crm-sync" in xb2.system_out
    assert "waiver: Volume assessment filed with the CAC" in xb2.system_out


@pytest.mark.parametrize(("fail_on", "failing_rules"), [("warning", 4), ("never", 0), ("error", 3)])
def test_failures_follow_the_fail_level(demo: Report, fail_on: str, failing_rules: int) -> None:
    report = dataclasses.replace(demo, fail_on=fail_on)
    (suite,) = list(parse(render("junit", [report])))
    assert suite.failures == failing_rules
    ops = cases(suite)["CN-OPS-001"]
    if fail_on == "warning":
        (failure,) = ops.result
        assert failure.type == "warning"
    else:
        assert ops.is_passed


def test_failures_agree_with_the_exit_code(tmp_path: Path) -> None:
    (tmp_path / "bad.steer.yaml").write_text(violating(crm=False, ops=False), encoding="utf-8")
    (tmp_path / "ok.steer.yaml").write_text(clean(), encoding="utf-8")
    with cwd(tmp_path):
        for fail_on, expected in (("error", 1), ("warning", 1), ("never", 0)):
            code, out, err = run(
                [
                    "check",
                    "bad.steer.yaml",
                    "ok.steer.yaml",
                    "--as-of",
                    AS_OF,
                    "--format",
                    "junit",
                    "--fail-on",
                    fail_on,
                ]
            )
            assert code == expected, err
            xml = parse(out)
            assert (xml.failures > 0) == (code == 1)
            assert [s.name for s in xml] == ["bad.steer.yaml", "ok.steer.yaml"]
            ok = list(xml)[1]
            assert ok.failures == 0 and ok.tests == len(check(tmp_path / "ok.steer.yaml").rules)


def test_example_manifest(tmp_path: Path) -> None:
    if not EXAMPLE.is_file():
        pytest.skip("examples/china-platform.yaml not written yet")
    out = tmp_path / "junit.xml"
    with cwd(EXAMPLE.parent.parent):
        code, _, err = run(
            ["check", "examples/china-platform.yaml", "--as-of", AS_OF, "--format", f"junit:{out}"]
        )
    assert code == 1, err
    xml = JUnitXml.fromfile(str(out))
    (suite,) = list(xml)
    assert suite.name == "examples/china-platform.yaml"
    assert suite.failures > 0
    assert all(case.classname == "examples/china-platform.yaml" for case in suite)


def test_text_is_clean_xml() -> None:
    finding = Finding(
        rule="CN-X-001",
        title="A <title> & more",
        severity="low",
        status="draft",
        level="error",
        category="c",
        target="components.a",
        message="bad \x01 byte & <tag>",
        remediation="r",
        location=Mark("m.yaml", 2, 3),
    )
    report = Report("0.1.0", "m.yaml", AS_OF, (finding,), ("CN-X-001",))
    text = render("junit", [report])
    assert text.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="steer" tests="1"'
    )
    (suite,) = list(parse(text))
    (case,) = list(suite)
    assert case.name == "CN-X-001 A <title> & more"  # the title comes from the finding
    assert "bad \ufffd byte & <tag>" in case.result[0].text
