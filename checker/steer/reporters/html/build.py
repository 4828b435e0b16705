"""The page's input, made from a finished run: a check :class:`~steer.results.findings.Report`
(with its ``architecture``, which the engine adds when ``--format html`` is asked
for) or a what-if :class:`~steer.results.compare.Comparison`, whose outcomes carry
each scenario's report.

This is the one place the input is built, for the command line and the tests
alike. What the page says about findings and crossings is the JSON report itself
(``Report.to_json()``, as ``--format json`` prints it); the requirements are the
run's guardrails (``Report.guardrails``) and those ``--select``/``--ignore`` left
out; topology, timeline and readiness are ``Report.architecture``. The mainland
calendar is passed in (``is_working_day``): the renderer knows no calendar of its
own.
"""

from __future__ import annotations

from steer.results.architecture import Architecture
from steer.results.compare import Comparison
from steer.results.findings import Report
from steer.results.rules import RuleInfo

from .model import CheckInput, Readiness, Rule, ScenarioInput, Timeline, WhatifInput, WorkingDay


def architecture_of(report: Report) -> Architecture:
    """The report's architecture; a report without one was run without
    ``Settings(architecture=True)``, which is the caller's mistake, not the input's."""
    if report.architecture is None:
        raise ValueError(
            f"{report.manifest}: the report has no architecture; run the engine with "
            "Settings(architecture=True) to render it as HTML"
        )
    return report.architecture


def rule(info: RuleInfo, evaluated: bool = True) -> Rule:
    return Rule(
        id=info.id,
        title=info.title,
        category=info.category,
        status=info.status,
        authority=info.authority,
        enforcement=info.enforcement,
        severity=info.severity,
        sources=tuple(info.sources),
        evaluated=evaluated,
    )


def check_input(report: Report, is_working_day: WorkingDay) -> CheckInput:
    """One check page's input from one manifest's report."""
    arch = architecture_of(report)
    rules = [rule(info) for info in report.guardrails]
    rules += [rule(info, evaluated=False) for info in arch.not_evaluated]
    timeline = Timeline(
        as_of=arch.as_of,
        is_working_day=is_working_day,
        go_live=arch.go_live,
        approvals=arch.approvals,
        launches=arch.launches,
        approximate_calendar=arch.approximate_calendar,
    )
    return CheckInput(
        report=report.to_json(),
        rules=tuple(sorted(rules, key=lambda r: r.id)),
        topology=arch.topology,
        timeline=timeline,
        readiness=Readiness(arch.ready, arch.go_live, arch.not_ready_because),
        title=arch.title,
    )


def whatif_input(comparison: Comparison, is_working_day: WorkingDay) -> WhatifInput:
    """A what-if page's input: the baseline's check input and one per scenario, with
    its resolved and introduced findings as the what-if JSON report gives them."""
    scenarios = tuple(
        ScenarioInput(
            name=outcome.name,
            check=check_input(outcome.report, is_working_day),
            resolved=tuple(f.to_json() for f in outcome.resolved),
            introduced=tuple(f.to_json() for f in outcome.introduced),
            question=outcome.question,
            description=outcome.description,
            file=outcome.file,
        )
        for outcome in comparison.outcomes
    )
    return WhatifInput(check_input(comparison.baseline, is_working_day), scenarios)
