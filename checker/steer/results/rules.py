"""A guardrail as reports see it: its metadata, without its check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleInfo:
    """What reporters may say about a guardrail (SARIF rules, JUnit test cases)."""

    id: str
    title: str
    severity: str
    status: str
    enforcement: str
    category: str
    sources: tuple[str, ...] = ()
    rationale: str = ""
    remediation: str = ""
    authority: str = "policy"

    @property
    def default_level(self) -> str:
        return "error" if self.enforcement == "blocking" else "warning"
