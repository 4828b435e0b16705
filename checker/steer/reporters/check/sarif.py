"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

One run for the whole invocation. Each guardrail is a rule (title, rationale, help
with remediation and sources, default level, GitHub's ``security-severity``); each
finding a result pointing at its manifest (repo-relative URI under ``%SRCROOT%``)
with line and column. ``partialFingerprints`` hash what identifies a finding
(manifest, rule, target, path), never its line or wording, so editing a manifest
does not reopen alerts; it is the same key ``--baseline`` uses. Waived findings are
``suppressions``; a finding about a data path carries the path's components as
related locations and as a code flow, so viewers can step along it. A STEER-IAC
finding carries its resource in the plan or state file as a related location (the
file an artifact of its own, also under ``%SRCROOT%``). The run's properties name the
regime judged by and why (``regime: {name, why}``)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from steer import __version__
from steer.errors import Mark
from steer.results.findings import Finding, Report
from steer.results.rules import RuleInfo

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT = "steerFindingKey/v1"

# GitHub sorts and labels alerts by these numbers: critical > 9.0, high 7.0-8.9 ...
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
_LINK = re.compile(r"\[([^\]]*)\]\((\d+)\)")


_AUTHORITY = {
    "law": "a duty the law imposes: the sources cite it",
    "policy": "the organisation's own guardrail, stricter than the law",
}


def render(reports: Sequence[Report], color: bool = False) -> str:
    return json.dumps(document(reports), indent=2, ensure_ascii=False) + "\n"


def finding_key(manifest: str, finding: Finding) -> str:
    """What identifies a finding across edits: shared with baselines. The resource
    (STEER-IAC findings) is hashed only when there is one, so the fingerprints of
    every other finding are those of earlier versions."""
    rule, target, path, resource = finding.key()
    parts = [manifest, rule, target, "\x1f".join(path) if path is not None else ""]
    if resource is not None:
        parts.append(resource)
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:32]


def artifact_uri(path: str) -> tuple[str, str | None]:
    """A report's manifest path as a SARIF URI: relative ones under %SRCROOT%."""
    if path.startswith("/"):
        return "file://" + quote(path, safe="/"), None
    return quote(path.removeprefix("./"), safe="/"), SRCROOT


def document(reports: Sequence[Report]) -> dict[str, Any]:
    rules = _rules(reports)
    index = {rule.id: i for i, rule in enumerate(rules)}
    artifacts: list[dict[str, Any]] = []
    artifact_index: dict[str, int] = {}
    for report in reports:
        if report.manifest not in artifact_index:
            artifact_index[report.manifest] = len(artifacts)
            uri, base = artifact_uri(report.manifest)
            location: dict[str, Any] = {"uri": uri}
            if base:
                location["uriBaseId"] = base
            artifacts.append({"location": location, "roles": ["analysisTarget"]})
    for report in reports:  # the plans and states of --terraform, after the manifests
        for file in report.infrastructure.files if report.infrastructure else ():
            if file not in artifact_index:
                artifact_index[file] = len(artifacts)
                uri, base = artifact_uri(file)
                location = {"uri": uri}
                if base:
                    location["uriBaseId"] = base
                artifacts.append({"location": location, "roles": ["analysisTarget"]})
    results = []
    for report in reports:
        seen: Counter[str] = Counter()
        for finding in report.findings:
            results.append(_result(report, finding, index, artifact_index, seen))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "steer",
                "fullName": "steer policy-as-code compliance checker",
                "version": reports[0].steer_version if reports else __version__,
                "semanticVersion": reports[0].steer_version if reports else __version__,
                "rules": [_rule(r) for r in rules],
            }
        },
        "invocations": [{"executionSuccessful": True}],
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The folder steer ran in (the repository root)."}}
        },
        "artifacts": artifacts,
        "results": results,
        "columnKind": "unicodeCodePoints",  # YAML marks count characters, not UTF-16 units
        "properties": {
            "as_of": reports[0].as_of if reports else None,
            "regime": _regime(reports),
            "manifests": [
                {
                    "manifest": r.manifest,
                    "regime": r.regime,
                    "regime_why": r.regime_why,
                    "packs": list(r.packs),
                    **r.summary(),
                }
                for r in reports
            ],
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _regime(reports: Sequence[Report]) -> dict[str, Any] | None:
    """The run's regime and why: the first manifest's, as ``as_of`` is (each manifest's
    own is in ``manifests``: several manifests may be judged under different ones)."""
    if not reports:
        return None
    return reports[0].regime_json()


def _rules(reports: Sequence[Report]) -> list[RuleInfo]:
    """One rule per guardrail evaluated in any report, plus steer's own (waiver) checks."""
    out: dict[str, RuleInfo] = {}
    for report in reports:
        for info in report.guardrails:
            out.setdefault(info.id, info)
        for finding in report.findings:
            if finding.rule not in out:
                out[finding.rule] = report.rule_info(finding.rule)
    return [out[k] for k in sorted(out)]


def _rule(info: RuleInfo) -> dict[str, Any]:
    level = info.default_level
    sources = "".join(f"\n- {s}" for s in info.sources)
    text = f"{info.title}\n\nRemediation: {info.remediation}"
    markdown = f"**{_md(info.title)}**\n\n"
    if info.rationale:
        text += f"\n\nRationale: {info.rationale}"
        markdown += f"{_md(info.rationale)}\n\n"
    markdown += f"#### Remediation\n\n{_md(info.remediation)}\n"
    if info.sources:
        text += f"\n\nSources:{sources}"
        markdown += "\n#### Sources\n\n" + "".join(f"- {_md(s)}\n" for s in info.sources)
    markdown += (
        f"\nAuthority `{info.authority}` ({_AUTHORITY[info.authority]}). Status "
        f"`{info.status}`, enforcement `{info.enforcement}`, severity "
        f"`{info.severity}`. Run `steer explain {info.id}` for parameters and examples.\n"
    )
    return {
        "id": info.id,
        "name": _pascal(info.title) or info.id,
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.rationale or info.title},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": list(
                dict.fromkeys(
                    (
                        "security",
                        "compliance",
                        "steer",
                        info.authority,
                        info.category,
                        info.severity,
                        info.status,
                    )
                )
            ),
            "category": info.category,
            "severity": info.severity,
            "status": info.status,
            "authority": info.authority,
            "enforcement": info.enforcement,
            "security-severity": _SECURITY_SEVERITY.get(info.severity, "5.5"),
            "problem.severity": "error" if level == "error" else "warning",
            "precision": "very-high",
        },
    }


def _result(
    report: Report,
    f: Finding,
    index: dict[str, int],
    artifacts: dict[str, int],
    seen: Counter[str],
) -> dict[str, Any]:
    key = finding_key(report.manifest, f)
    seen[key] += 1
    if seen[key] > 1:  # two findings with one key: keep the first stable, number the rest
        key = hashlib.sha256(f"{key}#{seen[key]}".encode()).hexdigest()[:32]
    message = _escape_links(f.message)
    related: list[dict[str, Any]] = []
    if f.path:
        steps = []
        for i, component in enumerate(f.path):
            mark = f.path_locations[i] if i < len(f.path_locations) else None
            if mark is not None:
                related.append(
                    {
                        "id": i + 1,
                        "physicalLocation": _physical(mark, report.manifest, artifacts),
                        "message": {"text": f"{component} (step {i + 1} of {len(f.path)})"},
                    }
                )
                steps.append(f"[{_escape_text(component)}]({i + 1})")
            else:
                steps.append(_escape_text(component))
        message += "\nPath: " + " → ".join(steps)
    for what, mark in f.related:  # outside the manifest: the resource in its plan
        related.append(
            {
                "id": (related[-1]["id"] if related else 0) + 1,  # after the path's ids
                "physicalLocation": _physical(mark, report.manifest, artifacts),
                "message": {"text": what},
            }
        )
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "kind": "fail",
        "level": f.level if f.level in ("error", "warning") else "note",
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": _physical(f.location, report.manifest, artifacts),
                "logicalLocations": [{"fullyQualifiedName": f.target, "kind": "object"}],
            }
        ],
        "partialFingerprints": {FINGERPRINT: key},
    }
    if related:
        result["relatedLocations"] = related
    if related and f.path:
        result["codeFlows"] = [
            {
                "message": {"text": " → ".join(f.path or ())},
                "threadFlows": [
                    {
                        "locations": [
                            {
                                "location": {
                                    "physicalLocation": loc["physicalLocation"],
                                    "message": {"text": component},
                                },
                                "executionOrder": i + 1,
                            }
                            for i, (component, loc) in enumerate(
                                zip(f.path or (), related, strict=False)
                            )
                        ]
                    }
                ],
            }
        ]
    if f.waived:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f.waiver or "waived in the manifest",
            }
        ]
    props: dict[str, Any] = {
        "target": f.target,
        "severity": f.severity,
        "status": f.status,
        "authority": f.authority,
        "category": f.category,
        "remediation": f.remediation,
    }
    if f.path is not None:
        props["path"] = list(f.path)
    if f.resource is not None:
        props["resource"] = f.resource
    result["properties"] = props
    return result


def _physical(mark: Mark, manifest: str, artifacts: dict[str, int]) -> dict[str, Any]:
    # A mark names the file it points into; findings point into their own manifest.
    uri, base = artifact_uri(mark.file or manifest)
    location: dict[str, Any] = {"uri": uri}
    if base:
        location["uriBaseId"] = base
    if mark.file in artifacts:
        location["index"] = artifacts[mark.file]
    return {
        "artifactLocation": location,
        "region": {"startLine": max(mark.line, 1), "startColumn": max(mark.column, 1)},
    }


def _escape_text(text: str) -> str:
    """Brackets in plain text that would read as SARIF message links are escaped."""
    return text.replace("[", "\\[").replace("]", "\\]")


def _escape_links(text: str) -> str:
    return _LINK.sub(lambda m: _escape_text(m.group(0)), text)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def _pascal(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title)
    return "".join(w[:1].upper() + w[1:] for w in words)[:100]
