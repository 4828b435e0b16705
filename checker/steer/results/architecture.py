"""The architecture as one run saw it, in plain data: what the HTML report draws.

Every other reporter reads only the findings and the transfer register; the HTML
report also draws the deployment (components by jurisdiction and provider, the
flows and calls between them) and its approvals on the calendar (statutory
windows, extension windows, filing deadlines, launches, go-live). The engine puts
those facts here, into ``Report.architecture``, when a run asks for them
(``Settings(architecture=True)``, which the commands set for ``--format html``), so
that the HTML reporter, like the others, reads only the finished report.

Dates are ``datetime.date``; the working-day arithmetic behind them (the mainland
calendar, official holidays and adjusted working days) is done by the builder,
:mod:`steer.checks.architecture`. Nothing here computes anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from steer.results.rules import RuleInfo


@dataclass(frozen=True, slots=True)
class Component:
    id: str
    name: str
    kind: str  # datastore, service, relay, channel, device, external, cdn
    provider: str | None
    region: str | None
    jurisdiction: str | None  # effective jurisdiction; None when nothing says where it is
    categories: tuple[str, ...] = ()  # data categories it declares (held or collected)


@dataclass(frozen=True, slots=True)
class Flow:
    id: str
    source: str  # component id (the manifest's `from`)
    target: str  # component id (`to`)
    categories: tuple[str, ...] = ()  # what it declares it carries
    mechanism: str | None = None
    is_crossing: bool = False  # a transfer register entry (home data leaves the home country)
    covered: bool | None = None  # for a crossing: whether its approvals meet every requirement


@dataclass(frozen=True, slots=True)
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
class Milestone:
    """A step on an approval's statutory path (the CAC's completeness check, its acceptance)."""

    on: dt.date
    label: str


@dataclass(frozen=True)
class ApprovalSpan:
    """One approval on the timeline, with the dates the law and the pack give it."""

    id: str
    type: str  # cac-security-assessment, standard-contract, icp-filing, ...
    name: str
    status: str  # planned, submitted, in-review, approved, rejected, withdrawn
    submitted: dt.date | None = None
    approved_on: dt.date | None = None
    expires: dt.date | None = None  # the effective expiry (stated, or by the law on its issue)
    effective: dt.date | None = None  # when a standard contract took effect
    window_end: dt.date | None = None  # the statutory maximum from its submission
    window_label: str = ""  # e.g. "at most 57 working days: 5 + 7 + 45 (CAC Order 11 art. 7)"
    milestones: tuple[Milestone, ...] = ()  # the steps of that window, each with its date
    projected_end: dt.date | None = None  # not yet submitted: the window's end if sent on as-of
    submit_by: dt.date | None = None  # not yet submitted: the latest that still ends by need
    extension_start: dt.date | None = None  # first day of the extension (renewal) window
    filing_deadline: dt.date | None = None  # a standard contract's last day to be filed
    validity_basis: str = ""  # why it expires when it does
    needed_by: dt.date | None = None  # the earliest date something relies on it
    needed_for: tuple[str, ...] = ()  # component and flow ids that rely on it


@dataclass(frozen=True)
class Launch:
    component: str
    name: str
    on: dt.date


@dataclass(frozen=True)
class Architecture:
    """What the HTML report shows beyond the findings and the register, for one run."""

    title: str  # the manifest's `name` ("" when it has none)
    as_of: dt.date
    go_live: dt.date | None
    topology: Topology
    approvals: tuple[ApprovalSpan, ...] = ()
    launches: tuple[Launch, ...] = ()
    approximate_calendar: bool = False  # some dates lie beyond the official holiday calendar
    ready: bool = False  # go-live readiness (steer.results.compare.readiness)
    not_ready_because: tuple[str, ...] = ()
    not_evaluated: tuple[RuleInfo, ...] = ()  # the packs' guardrails --select/--ignore left out
