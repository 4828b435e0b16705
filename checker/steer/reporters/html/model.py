"""The HTML report's input: plain, typed data (built from a finished run by
:mod:`.build`).

Nothing here knows steer's engine. ``report`` is the JSON check report exactly as
cli.md's "JSON report" shows it (a dict, ``regime``, ``crossings`` and each
finding's ``authority`` included); everything else is the few facts the page needs
that the JSON report does not carry: the pack's requirements, the components and
flows the diagrams draw, and the dates the timeline shows. Those are the types of
:mod:`steer.results.architecture` (re-exported here), which the engine fills in.
Working-day arithmetic (statutory windows, extension windows, submission
deadlines) is the engine's, on the mainland calendar; the page only shades
non-working days and counts working days to go-live, for which it asks
``Timeline.is_working_day``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from steer.results.architecture import (
    ApprovalSpan,
    Component,
    Dependency,
    Flow,
    Launch,
    Milestone,
    Topology,
)

__all__ = [
    "ApprovalSpan",
    "CheckInput",
    "Component",
    "Dependency",
    "Finding",
    "Flow",
    "Launch",
    "Milestone",
    "Readiness",
    "Report",
    "Rule",
    "ScenarioInput",
    "Timeline",
    "Topology",
    "WhatifInput",
    "WorkingDay",
]

Report = Mapping[str, Any]
"""A check report as ``--format json`` prints it (one manifest, not ``{"reports": ...}``)."""

Finding = Mapping[str, Any]
"""One entry of ``report["findings"]`` (the same fields in whatif's resolved/introduced)."""


@dataclass(frozen=True)
class Rule:
    """One requirement of the pack (a guardrail), as the decision layer shows it."""

    id: str
    title: str
    category: str  # data-sovereignty, infrastructure, integration, compliance, operations
    status: str  # confirmed, decision-needed, in-progress, draft
    authority: str  # law or policy
    enforcement: str  # blocking or advisory
    severity: str  # critical, high, medium, low
    sources: tuple[str, ...] = ()
    evaluated: bool = True  # False when --select/--ignore left it out of the run


WorkingDay = Callable[[dt.date], bool]
"""The mainland calendar (``steer.analysis.workdays.is_working_day``: official holidays
and adjusted working days), which the timeline shades and counts by."""


@dataclass(frozen=True)
class Timeline:
    as_of: dt.date
    is_working_day: WorkingDay = field(compare=False)
    go_live: dt.date | None = None
    approvals: tuple[ApprovalSpan, ...] = ()
    launches: tuple[Launch, ...] = ()
    approximate_calendar: bool = False  # some shown dates lie beyond the exact calendar


@dataclass(frozen=True)
class Readiness:
    ready: bool
    go_live: dt.date | None = None
    reasons: tuple[str, ...] = ()  # why not (empty when ready)


@dataclass(frozen=True)
class CheckInput:
    """Everything one check page shows."""

    report: Report
    rules: tuple[Rule, ...]
    topology: Topology
    timeline: Timeline
    readiness: Readiness
    title: str = ""  # the manifest's `name`; the page falls back to the file name


@dataclass(frozen=True)
class ScenarioInput:
    """One what-if scenario: the same data under the scenario, and how it differs."""

    name: str
    check: CheckInput  # ``check.readiness.ready`` is whatif's ``ready_for_go_live``
    resolved: tuple[Finding, ...] = ()
    introduced: tuple[Finding, ...] = ()
    question: str | None = None
    description: str | None = None
    file: str | None = None


@dataclass(frozen=True)
class WhatifInput:
    baseline: CheckInput
    scenarios: tuple[ScenarioInput, ...]
