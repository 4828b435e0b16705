"""The HTML report's input: plain, typed data, built by the caller from a run.

Nothing here knows steer's engine. ``report`` is the JSON check report exactly as
cli.md's "JSON report" shows it (a dict, ``regime``, ``crossings`` and each
finding's ``authority`` included); everything else is the few facts the page needs
that the JSON report does not carry: the pack's requirements, the components and
flows the diagrams draw, and the dates the timeline shows. Working-day arithmetic
(statutory windows, extension windows, earliest landing dates) is done by the
caller, who owns the mainland calendar; the page only shades non-working days, for
which it asks ``Timeline.is_working_day``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

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


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    kind: str  # datastore, service, relay, channel, device, external, ...
    provider: str | None
    region: str | None
    jurisdiction: str | None  # effective jurisdiction; None when nothing says where it is
    categories: tuple[str, ...] = ()  # data categories it declares (held or collected)


@dataclass(frozen=True)
class Flow:
    id: str
    source: str  # component id (the manifest's `from`)
    target: str  # component id (`to`)
    categories: tuple[str, ...] = ()  # what it carries (declared, or what lineage found)
    mechanism: str | None = None
    is_crossing: bool = False  # a transfer register entry (home data leaves the home country)
    covered: bool | None = None  # for a crossing: whether its approvals meet every requirement


@dataclass(frozen=True)
class Dependency:
    source: str  # the component that calls (`depends_on` is declared on it)
    target: str


@dataclass(frozen=True)
class Topology:
    components: tuple[Component, ...]
    flows: tuple[Flow, ...] = ()
    depends_on: tuple[Dependency, ...] = ()
    home: str = "CN"


@dataclass(frozen=True)
class ApprovalSpan:
    """One approval on the timeline, with the dates the caller computed for it."""

    id: str
    type: str  # cac-security-assessment, standard-contract, icp-filing, ...
    name: str
    status: str  # planned, submitted, in-review, approved, rejected, expired, ...
    submitted: dt.date | None = None
    approved_on: dt.date | None = None
    expires: dt.date | None = None  # the effective expiry (given, or by the law in force)
    effective: dt.date | None = None  # e.g. when a standard contract took effect
    window_end: dt.date | None = None  # end of the statutory window (submitted + N working days)
    window_label: str = ""  # e.g. "60 working days (CAC Order 11 art. 7, 12)"
    extension_start: dt.date | None = None  # first day of the extension/renewal window
    earliest: dt.date | None = None  # earliest date it can be approved, if not yet approved
    submit_by: dt.date | None = None  # latest submission that still lands by go-live
    needed_by: dt.date | None = None  # when something depends on it (a launch, go-live)
    needed_for: tuple[str, ...] = ()  # component or flow ids that rely on it


@dataclass(frozen=True)
class Launch:
    component: str
    name: str
    on: dt.date


def _every_weekday(day: dt.date) -> bool:
    return day.weekday() < 5


@dataclass(frozen=True)
class Timeline:
    as_of: dt.date
    go_live: dt.date | None = None
    approvals: tuple[ApprovalSpan, ...] = ()
    launches: tuple[Launch, ...] = ()
    # The mainland calendar (steer.workdays.is_working_day): official holidays and the
    # adjusted working days. Monday to Friday is only the fallback for tests.
    is_working_day: Callable[[dt.date], bool] = field(default=_every_weekday, compare=False)
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
