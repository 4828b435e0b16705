"""Findings and reports: immutable results. Reporters read only these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from steer.errors import Mark
from steer.loading.document import JsonPath
from steer.results.rules import RuleInfo

if TYPE_CHECKING:  # a type only: a run that draws nothing never imports it
    from steer.results.architecture import Architecture

LEVEL_ORDER = {"error": 0, "warning": 1}
Key = tuple[str, str, tuple[str, ...] | None, str | None]
"""What identifies a finding: rule, target, path, resource (see :meth:`Finding.key`)."""
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check kind yields: one failed expectation, before guardrail metadata."""

    target: str
    message: str
    at: JsonPath = ()
    path: tuple[str, ...] | None = None
    level: str | None = None  # a kind may lower a finding to a warning (a risk, not a breach)
    facts: Mapping[str, Any] = field(default_factory=dict)
    # a kind may say that this finding rests on the organisation's policy, not the law
    # (important data only because the annex calls telematics important)
    authority: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    title: str
    severity: str
    status: str
    level: str
    category: str
    target: str
    message: str
    remediation: str
    location: Mark
    path: tuple[str, ...] | None = None
    waived: bool = False
    waiver: str | None = None
    # where each component of ``path`` is declared (same order), for SARIF code flows
    path_locations: tuple[Mark, ...] = ()
    authority: str = "policy"  # law | policy (vocab.AUTHORITIES)
    # the infrastructure a STEER-IAC finding is about: a resource address of a plan or
    # state, or (STEER-IAC-003) the `resources` entry that matches none
    resource: str | None = None
    # other places the finding concerns, outside the manifest: (what, where), such as
    # the resource in its plan file (SARIF related locations)
    related: tuple[tuple[str, Mark], ...] = ()

    def key(self) -> Key:
        """What identifies a finding across edits of its manifest (not its line or wording):
        baselines match on it and SARIF fingerprints hash it, together with the manifest.
        The resource tells apart the findings of one rule about one target (several
        resources no component names are all findings about the ``manifest``)."""
        return (self.rule, self.target, self.path, self.resource)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            LEVEL_ORDER.get(self.level, 9),
            SEVERITY_ORDER.get(self.severity, 9),
            self.rule,
            self.target,
            self.path or (),
            self.resource or "",
            self.location.line,
            self.location.column,
            self.message,
            self.waived,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "title": self.title,
            "severity": self.severity,
            "status": self.status,
            "level": self.level,
            "target": self.target,
        }
        if self.path is not None:
            out["path"] = list(self.path)
        if self.resource is not None:  # STEER-IAC findings only
            out["resource"] = self.resource
        out["message"] = self.message
        out["remediation"] = self.remediation
        out["location"] = {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
        }
        out["waived"] = self.waived
        out["authority"] = self.authority
        return out


def note(
    rule: str, title: str, category: str, target: str, location: Mark, message: str, fix: str
) -> Finding:
    """A finding of steer's own about the manifest (STEER-*): low severity, a warning."""
    return Finding(
        rule=rule,
        title=title,
        severity="low",
        status="confirmed",
        level="warning",
        category=category,
        target=target,
        message=message,
        remediation=fix,
        location=location,
    )


@dataclass(frozen=True)
class FixedEntry:
    """A baseline entry that no current finding matches any more."""

    rule: str
    title: str
    target: str
    path: tuple[str, ...] | None
    message: str
    line: int
    resource: str | None = None


@dataclass(frozen=True)
class BaselineResult:
    """How ``--baseline`` changed one report: findings it hid and entries now fixed."""

    file: str
    known: int  # findings matched by a baseline entry, so not reported
    fixed: tuple[FixedEntry, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "known": self.known,
            "fixed": [
                {
                    "rule": e.rule,
                    "title": e.title,
                    "target": e.target,
                    **({"path": list(e.path)} if e.path is not None else {}),
                    **({"resource": e.resource} if e.resource is not None else {}),
                    "message": e.message,
                    "line": e.line,
                }
                for e in self.fixed
            ],
        }


@dataclass(frozen=True)
class Infrastructure:
    """What ``--terraform`` compared a manifest with: the plan and state files (as
    reports name them) and how many resources they hold."""

    files: tuple[str, ...]
    resources: int

    def to_json(self) -> dict[str, Any]:
        return {"files": list(self.files), "resources": self.resources}


@dataclass(frozen=True)
class Report:
    """The result of checking one manifest."""

    steer_version: str
    manifest: str
    as_of: str
    findings: tuple[Finding, ...]
    rules: tuple[str, ...]  # ids of the guardrails evaluated
    regime: str | None = None  # the regime judged by (its name)
    packs: tuple[str, ...] = ()
    guardrails: tuple[RuleInfo, ...] = ()  # metadata of the evaluated guardrails
    fail_on: str = "error"  # the run's fail level, so reporters can say what fails
    baseline: BaselineResult | None = None
    regime_why: str = ""  # why that regime: auto (the law in force) or pinned
    # the transfer register (cli.md): one entry per crossing, as JSON-ready mappings
    crossings: tuple[Mapping[str, Any], ...] = ()
    # with --terraform: the plans and states the manifest was compared with
    infrastructure: Infrastructure | None = None
    # what the HTML report draws (components, flows, approvals on the calendar): built
    # only when the run asks for it (engine.Settings.architecture); never in the JSON
    architecture: Architecture | None = None

    def rule_info(self, rule_id: str) -> RuleInfo:
        """The guardrail's metadata; for steer's own checks (waivers) built from a finding."""
        for info in self.guardrails:
            if info.id == rule_id:
                return info
        sample = next((f for f in self.findings if f.rule == rule_id), None)
        if sample is None:
            return RuleInfo(rule_id, rule_id, "low", "confirmed", "advisory", "compliance")
        return RuleInfo(
            id=rule_id,
            title=sample.title,
            severity=sample.severity,
            status=sample.status,
            enforcement="blocking" if sample.level == "error" else "advisory",
            category=sample.category,
            remediation=sample.remediation,
            authority=sample.authority,
        )

    def fails(self, finding: Finding) -> bool:
        """Whether this finding alone makes the run fail at the report's fail level."""
        if finding.waived or self.fail_on == "never":
            return False
        return LEVEL_ORDER.get(finding.level, 9) <= LEVEL_ORDER[self.fail_on]

    @property
    def passed_rules(self) -> tuple[str, ...]:
        failing = {f.rule for f in self.findings if not f.waived}
        return tuple(r for r in self.rules if r not in failing)

    def summary(self) -> dict[str, int]:
        active = [f for f in self.findings if not f.waived]
        return {
            "error": sum(f.level == "error" for f in active),
            "warning": sum(f.level == "warning" for f in active),
            "waived": sum(f.waived for f in self.findings),
            "passed_rules": len(self.passed_rules),
        }

    def failed(self, fail_on: str) -> bool:
        """Whether any unwaived finding is at or above ``fail_on`` (error|warning|never)."""
        if fail_on == "never":
            return False
        worst = LEVEL_ORDER[fail_on]
        return any(not f.waived and LEVEL_ORDER[f.level] <= worst for f in self.findings)

    def regime_json(self) -> dict[str, Any]:
        """``{"name", "why"}``: the regime judged by and why, as every JSON report says it."""
        return {"name": self.regime, "why": self.regime_why}

    def to_json(self, findings: bool = True) -> dict[str, Any]:
        """The report of cli.md (without the findings list when ``findings`` is false,
        for writers that encode findings one at a time)."""
        out: dict[str, Any] = {
            "steer_version": self.steer_version,
            "manifest": self.manifest,
            "as_of": self.as_of,
            "summary": self.summary(),
        }
        if findings:
            out["findings"] = [f.to_json() for f in self.findings]
        out["regime"] = self.regime_json()
        out["crossings"] = [dict(c) for c in self.crossings]
        if self.infrastructure is not None:  # only with --terraform, as baseline below
            out["infrastructure"] = self.infrastructure.to_json()
        if self.baseline is not None:  # only with --baseline: the fields of cli.md stay as they are
            out["baseline"] = self.baseline.to_json()
        return out
