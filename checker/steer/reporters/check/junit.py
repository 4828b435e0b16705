"""``--format junit``: JUnit XML for the test-report views of GitLab, Jenkins, Azure
DevOps and the like.

One test suite per manifest (its properties: as-of date, regime and why, packs,
fail level), one test case per guardrail evaluated (classname: the
manifest path; name: rule id and title). A test case *fails* when it has a finding
that fails the run at the chosen ``--fail-on`` level; its ``<failure>`` lists every
such finding (message, target, ``file:line:col``, path, fix). Findings below the
fail level (warnings under the default ``--fail-on error``) and waived findings do
not fail the case; they are listed in its ``<system-out>``, so the XML agrees with
steer's exit code: failures > 0 exactly when the run exits 1."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from steer.results.findings import Finding, Report
from steer.vocab import plural

# XML 1.0 forbids most control characters even when escaped
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(reports: Sequence[Report], color: bool = False) -> str:
    root = ET.Element("testsuites", {"name": "steer"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for report in reports:
        suite = _suite(report)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _suite(report: Report) -> ET.Element:
    suite = ET.Element("testsuite", {"name": report.manifest})
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("as_of", report.as_of),
        ("regime", report.regime or ""),
        ("regime_why", report.regime_why),
        ("packs", ",".join(report.packs)),
        ("fail_on", report.fail_on),
    ):
        ET.SubElement(props, "property", {"name": name, "value": value})
    rule_ids = list(report.rules)
    rule_ids += sorted({f.rule for f in report.findings} - set(rule_ids))  # steer's own checks
    failures = 0
    for rule_id in rule_ids:
        info = report.rule_info(rule_id)
        findings = [f for f in report.findings if f.rule == rule_id]
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": report.manifest,
                "name": f"{rule_id} {info.title}",
                "file": report.manifest,
            },
        )
        failing = [f for f in findings if report.fails(f)]
        other = [f for f in findings if not report.fails(f)]
        if failing:
            failures += 1
            worst = "error" if any(f.level == "error" for f in failing) else "warning"
            count = plural(len(failing), "finding")
            failure = ET.SubElement(
                case,
                "failure",
                {"message": _clean(f"{count}: {failing[0].message}"), "type": worst},
            )
            failure.text = _clean("\n\n".join(_describe(f) for f in failing))
        if other:
            out = ET.SubElement(case, "system-out")
            out.text = _clean("\n\n".join(_describe(f) for f in other))
    suite.set("tests", str(len(rule_ids)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite


def _describe(f: Finding) -> str:
    state = "waived" if f.waived else f.level
    lines = [
        f"{f.location}: {state} [{f.authority}, {f.severity}, {f.status}] {f.target}: {f.message}"
    ]
    if f.path:
        lines.append("path: " + " -> ".join(f.path))
    if f.waived:
        lines.append(f"waiver: {f.waiver}")
    else:
        lines.append(f"fix: {f.remediation}")
    return "\n".join(lines)


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)
