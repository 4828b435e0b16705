"""What-if results: a scenario's run compared with the baseline run, its go-live
readiness, and the gate that decides ``steer whatif``'s exit code.

For each scenario (:mod:`steer.manifest.scenario`) the manifest is patched,
re-validated and checked (:mod:`steer.commands.whatif`), then compared here:

* **resolved** and **introduced** findings are matched on what identifies a finding
  across edits, ``Finding.key()``: rule, target and path, never line or wording (a
  moved component keeps its findings even though their messages now name another
  region). When one key has several findings (one rule asserting two things of the
  same target), those with the same message pair first and the rest pair in order;
  whatever is left over on either side is resolved or introduced.
* **ready_for_go_live** is true when both hold for the (patched) manifest:

  1. no blocking finding: no unwaived finding of level ``error``;
  2. every *required* CAC security assessment is approved by go-live. Required
     means an approval of type ``cac-security-assessment`` that a flow lists in its
     ``approvals``, or that a ``CN-XB-*`` finding names (as its target
     ``approvals.<id>`` or by its id in the message). Approved by go-live means
     ``status: approved``, ``approved_on`` (when given) on or before
     ``programme.go_live``, and ``expires`` (when given) not before it. Without a
     go-live date the run's as-of date stands in for it. A submitted assessment
     that could still finish in time is not ready: the CAC decides, not the
     calendar (the timeline guardrails judge whether it *can* finish in time).

Exit code: by the rules of ``steer check`` (``--fail-on``), applied to the baseline.
``--fail-on-scenario`` moves the gate to scenarios: a scenario NAME (repeatable,
comma-separated) fails the run if that scenario has a finding at or above
``--fail-on``; ``any`` if any scenario does; ``all`` only if every scenario does (no
option passes); ``baseline`` keeps the baseline in the gate as well.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from steer.errors import UsageError
from steer.manifest.model import Manifest
from steer.results.findings import Finding, Report
from steer.vocab import plural

CAC = "cac-security-assessment"
GATE_WORDS = ("baseline", "any", "all")


# -- results (what the reporters read) ------------------------------------------------
@dataclass(frozen=True)
class Assessment:
    """One required CAC security assessment, judged against go-live."""

    approval: str
    status: str
    approved_on: str | None
    ready: bool
    reason: str

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Readiness:
    go_live: str | None
    blocking: int  # unwaived error-level findings
    assessments: tuple[Assessment, ...]

    @property
    def ready(self) -> bool:
        return self.blocking == 0 and all(a.ready for a in self.assessments)

    def reasons(self) -> list[str]:
        """Why it is not ready, for people (empty when ready)."""
        out = []
        if self.blocking:
            out.append(plural(self.blocking, "blocking finding"))
        out.extend(f"{a.approval}: {a.reason}" for a in self.assessments if not a.ready)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "go_live": self.go_live,
            "blocking": self.blocking,
            "assessments": [a.to_json() for a in self.assessments],
        }


@dataclass(frozen=True)
class Outcome:
    """One scenario's run compared with the baseline."""

    name: str
    file: str
    question: str | None
    description: str | None
    report: Report
    resolved: tuple[Finding, ...]
    introduced: tuple[Finding, ...]
    readiness: Readiness

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "question": self.question,
            "description": self.description,
            "as_of": self.report.as_of,
            "regime": self.report.regime_json(),
            "summary": self.report.summary(),
            "resolved": [f.to_json() for f in self.resolved],
            "introduced": [f.to_json() for f in self.introduced],
            "ready_for_go_live": self.readiness.ready,
            "readiness": self.readiness.to_json(),
        }


@dataclass(frozen=True)
class Comparison:
    baseline: Report
    readiness: Readiness
    outcomes: tuple[Outcome, ...]

    def to_json(self) -> dict[str, Any]:
        """cli.md's shape; ``baseline`` is the baseline's summary, as in a check report."""
        return {
            "steer_version": self.baseline.steer_version,
            "manifest": self.baseline.manifest,
            "as_of": self.baseline.as_of,
            "regime": self.baseline.regime_json(),
            "baseline": self.baseline.summary(),
            "baseline_ready_for_go_live": self.readiness.ready,
            "baseline_readiness": self.readiness.to_json(),
            "scenarios": [o.to_json() for o in self.outcomes],
        }


# -- comparing ------------------------------------------------------------------------
def diff_findings(
    before: Sequence[Finding], after: Sequence[Finding]
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """(resolved, introduced): findings of ``before`` with no match in ``after`` and
    the reverse, matched on ``Finding.key()`` (see the module docstring)."""
    groups: dict[tuple[Any, ...], tuple[list[Finding], list[Finding]]] = defaultdict(
        lambda: ([], [])
    )
    for f in before:
        groups[f.key()][0].append(f)
    for f in after:
        groups[f.key()][1].append(f)
    resolved: list[Finding] = []
    introduced: list[Finding] = []
    for old, new in groups.values():
        old_left = list(old)
        new_left: list[Finding] = []
        for f in new:  # same message first, so a real change is what is left over
            twin = next((o for o in old_left if o.message == f.message), None)
            if twin is None:
                new_left.append(f)
            else:
                old_left.remove(twin)
        pairs = min(len(old_left), len(new_left))
        resolved.extend(old_left[pairs:])
        introduced.extend(new_left[pairs:])
    return (
        tuple(sorted(resolved, key=Finding.sort_key)),
        tuple(sorted(introduced, key=Finding.sort_key)),
    )


def readiness(manifest: Manifest, report: Report) -> Readiness:
    """Go-live readiness of a checked manifest (see the module docstring)."""
    approvals = manifest.approvals
    cac = {aid for aid, a in approvals.items() if a.get("type") == CAC}
    required: set[str] = set()
    for flow in manifest.flows.values():
        required.update(a for a in flow.get("approvals") or [] if a in cac)
    for f in report.findings:
        if not f.rule.startswith("CN-XB-"):
            continue
        for aid in cac:
            if f.target == f"approvals.{aid}" or _names(f.message, aid):
                required.add(aid)
    go_live = manifest.go_live
    when = go_live or report.as_of
    blocking = sum(1 for f in report.findings if f.level == "error" and not f.waived)
    return Readiness(
        go_live=go_live,
        blocking=blocking,
        assessments=tuple(_judge(aid, approvals[aid], when, go_live) for aid in sorted(required)),
    )


def _names(message: str, approval_id: str) -> bool:
    """Whether ``message`` names the approval as a word of its own. The substring test
    first: a large run has thousands of findings and the regex is needed only for
    the few that contain the id at all."""
    if approval_id not in message:
        return False
    return re.search(rf"(?<![\w.-]){re.escape(approval_id)}(?![\w-])", message) is not None


def _judge(aid: str, approval: dict[str, Any], when: str, go_live: str | None) -> Assessment:
    status = str(approval.get("status"))
    approved_on = approval.get("approved_on")
    expires = approval.get("expires")
    deadline = f"go-live {go_live}" if go_live else f"as of {when}"
    if status != "approved":
        since = approval.get("submitted")
        detail = f" (submitted {since})" if since else ""
        return Assessment(aid, status, approved_on, False, f"{status}{detail}, not approved")
    if approved_on and approved_on > when:
        return Assessment(
            aid, status, approved_on, False, f"approved on {approved_on}, after {deadline}"
        )
    if expires and expires < when:
        return Assessment(aid, status, approved_on, False, f"expires {expires}, before {deadline}")
    on = f" on {approved_on}" if approved_on else ""
    return Assessment(aid, status, approved_on, True, f"approved{on}")


# -- the exit code ----------------------------------------------------------------------
@dataclass(frozen=True)
class Gate:
    """Which runs decide the exit code (see the module docstring)."""

    baseline: bool = True
    names: tuple[str, ...] = ()
    any_: bool = False
    all_: bool = False

    def failed(self, comparison: Comparison, fail_on: str) -> bool:
        runs = {o.name: o.report.failed(fail_on) for o in comparison.outcomes}
        if self.baseline and comparison.baseline.failed(fail_on):
            return True
        if any(runs[name] for name in self.names):
            return True
        if self.any_ and any(runs.values()):
            return True
        return bool(self.all_ and runs and all(runs.values()))


def parse_gate(values: Sequence[str], names: Sequence[str]) -> Gate:
    """``--fail-on-scenario`` values (already split on commas) against the scenario names."""
    if not values:
        return Gate()
    for word in GATE_WORDS:
        if word in values and word in names:
            raise UsageError(
                f"--fail-on-scenario {word}: ambiguous, a scenario is named '{word}' too; "
                "rename the scenario"
            )
    chosen: list[str] = []
    for value in values:
        if value in GATE_WORDS:
            continue
        if value not in names:
            close = difflib.get_close_matches(value, list(names), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(names)
            raise UsageError(
                f"--fail-on-scenario {value}: no scenario named '{value}'{hint} "
                f"(expected baseline, any, all or one of: {known})"
            )
        if value not in chosen:
            chosen.append(value)
    return Gate(
        baseline="baseline" in values,
        names=tuple(chosen),
        any_="any" in values,
        all_="all" in values,
    )
