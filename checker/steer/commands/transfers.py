"""``steer transfers``: the cross-border transfer register of one manifest (cli.md):
every crossing with the decision the law makes for it and whether the approvals
present cover it. The manifest is loaded (with ``--scenario`` and ``--set`` applied
as ``steer check`` applies them) and judged by the engine; the register is the
report's ``crossings``. The register is information: the exit code is 0 whatever
the findings, 2 for bad input."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from steer import engine
from steer.commands.common import display_path, emit, pack_flags, parse_date
from steer.commands.output import Inputs
from steer.manifest.load import load_manifest
from steer.manifest.model import Manifest
from steer.manifest.scenario import Scenario, apply, load_base, load_scenario
from steer.reporters import render_transfers


@dataclass(frozen=True)
class TransfersOptions:
    manifest: Path
    format: str = "table"
    as_of: str | None = None
    scenario: Path | None = None  # --scenario FILE: the register with this what-if applied
    sets: tuple[str, ...] = ()  # --set PATH=VALUE, applied after the scenario
    packs: tuple[str, ...] = ()
    output: Path | None = None
    color: bool = False


def transfers(options: TransfersOptions) -> int:
    """Print (or write) the register; 0 when it ran, whatever the findings."""
    as_of = parse_date(options.as_of)
    scenario = None
    if options.scenario is not None:
        scenario = load_scenario(options.scenario, display_path(options.scenario))
        as_of = scenario.as_of or as_of  # the scenario's date wins over --as-of, as in check
    manifest = _load(options, scenario)
    report = engine.register(manifest, as_of)
    text = render_transfers(options.format, report, options.color and options.output is None)
    inputs = Inputs().add(options.manifest, "the manifest").add(options.scenario, "the scenario")
    emit(text, options.output, inputs.add_packs(manifest.packs))
    return 0


def _load(options: TransfersOptions, scenario: Scenario | None) -> Manifest:
    path = options.manifest
    shown = display_path(path)
    pack_flags(options.packs, [path.parent])
    packs = list(options.packs) or None
    if scenario is None and not options.sets:
        return load_manifest(path, shown, packs)
    manifest, source = load_base(path, shown, packs)
    return apply(manifest, scenario, options.sets, packs, path.parent, source)
