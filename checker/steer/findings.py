"""Findings and reports: immutable results. Reporters read only these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Mark
from .source import JsonPath

LEVEL_ORDER = {"error": 0, "warning": 1}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True)
class Hit:
    """What a check kind yields: one failed expectation, before guardrail metadata."""

    target: str
    message: str
    at: JsonPath = ()
    path: tuple[str, ...] | None = None
    level: str | None = None  # a kind may lower a finding to a warning (a risk, not a breach)
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
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

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.waived,
            LEVEL_ORDER.get(self.level, 9),
            SEVERITY_ORDER.get(self.severity, 9),
            self.rule,
            self.target,
            self.path or (),
            self.location.line,
            self.location.column,
            self.message,
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
        out["message"] = self.message
        out["remediation"] = self.remediation
        out["location"] = {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
        }
        out["waived"] = self.waived
        return out


@dataclass(frozen=True)
class Report:
    """The result of checking one manifest."""

    steer_version: str
    manifest: str
    as_of: str
    findings: tuple[Finding, ...]
    rules: tuple[str, ...]  # ids of the guardrails evaluated
    regime: str | None = None
    packs: tuple[str, ...] = ()

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

    def to_json(self) -> dict[str, Any]:
        return {
            "steer_version": self.steer_version,
            "manifest": self.manifest,
            "as_of": self.as_of,
            "summary": self.summary(),
            "findings": [f.to_json() for f in self.findings],
        }
