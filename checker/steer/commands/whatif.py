"""``steer whatif``: the same manifest checked as it is and under named scenarios;
what the comparison means is in :mod:`steer.results.compare`.

Exit code: by the rules of ``steer check`` (``--fail-on``), applied to the baseline,
or to the scenarios that ``--fail-on-scenario`` names (see :class:`Gate`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from steer import engine
from steer.commands.common import display_path, emit, pack_flags, parse_date
from steer.commands.output import Inputs
from steer.engine import Settings
from steer.loading.document import Document
from steer.manifest.model import Manifest
from steer.manifest.scenario import Scenario, apply, check_unique, load_base, load_scenario
from steer.reporters import render_whatif
from steer.results.compare import (
    Comparison,
    Outcome,
    diff_findings,
    parse_gate,
    readiness,
)


def compare(
    manifest: Manifest,
    scenarios: Sequence[Scenario],
    settings: Settings,
    packs: list[str] | None = None,
    base: Path | None = None,
    source: Document | None = None,
) -> Comparison:
    """Run the baseline and each scenario; ``source`` as for :func:`steer.scenario.apply`."""
    baseline = engine.run(manifest, settings)
    outcomes = []
    for scenario in scenarios:
        patched = apply(manifest, scenario, (), packs, base, source)
        run_settings = dataclasses.replace(settings, as_of=scenario.as_of or settings.as_of)
        report = engine.run(patched, run_settings)
        resolved, introduced = diff_findings(baseline.findings, report.findings)
        outcomes.append(
            Outcome(
                name=scenario.name,
                file=scenario.file,
                question=scenario.question,
                description=scenario.description,
                report=report,
                resolved=resolved,
                introduced=introduced,
                readiness=readiness(patched, report),
            )
        )
    return Comparison(baseline, readiness(manifest, baseline), tuple(outcomes))


@dataclass(frozen=True)
class WhatifOptions:
    manifest: Path
    scenarios: tuple[Path, ...]
    packs: tuple[str, ...] = ()
    format: str = "table"
    output: Path | None = None
    fail_on: str = "error"
    fail_on_scenario: tuple[str, ...] = ()
    strict: bool = False
    as_of: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    color: bool = False


def run(options: WhatifOptions) -> int:
    """Load everything (any invalid input is exit 2 before anything runs), compare,
    write the report, and return the exit code."""
    as_of = parse_date(options.as_of)
    scenarios = [load_scenario(p, display_path(p)) for p in options.scenarios]
    check_unique(scenarios)
    gate = parse_gate(options.fail_on_scenario, [s.name for s in scenarios])
    pack_flags(options.packs, [options.manifest.parent])
    packs = list(options.packs) or None
    manifest, source = load_base(options.manifest, display_path(options.manifest), packs)
    settings = engine.Settings(
        as_of=as_of,
        strict=options.strict,
        select=options.select,
        ignore=options.ignore,
        architecture=options.format == "html",  # what the HTML report draws, only for it
    )
    comparison = compare(manifest, scenarios, settings, packs, options.manifest.parent, source)
    text = render_whatif(options.format, comparison, options.color and options.output is None)
    inputs = Inputs().add(options.manifest, "the manifest").add(options.scenarios, "a scenario")
    emit(text, options.output, inputs.add_packs(manifest.packs))
    return 1 if gate.failed(comparison, options.fail_on) else 0
