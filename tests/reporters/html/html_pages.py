"""The example's HTML pages as the command line writes them, the JSON reports they
must agree with, and the inputs they are rendered from, built by the production
builder (``steer.reporters.html.build`` over ``Report.architecture``): the same
code path as ``steer check --format html``, never a stand-in."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from steer import engine
from steer.analysis.workdays import is_working_day
from steer.commands.whatif import compare
from steer.manifest.load import load_manifest
from steer.manifest.scenario import load_base, load_scenario
from steer.reporters.html import model
from steer.reporters.html.build import check_input, whatif_input
from support import AS_OF, ROOT, cwd, run

EXAMPLE = "examples/china-platform.yaml"
SCENARIOS = tuple(
    p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))
)


def cli(*args: str) -> str:
    """``steer ARGS`` run in the repository (so paths show as in the README); its stdout."""
    with cwd(ROOT):
        code, out, err = run(list(args))
    assert code in (0, 1), err
    return out


def check_page(manifest: str = EXAMPLE, *extra: str) -> str:
    return cli("check", manifest, "--as-of", AS_OF, "--format", "html", *extra)


def check_json(manifest: str = EXAMPLE, *extra: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        cli("check", manifest, "--as-of", AS_OF, "--format", "json", *extra)
    )
    return doc


def whatif_page() -> str:
    return cli("whatif", EXAMPLE, *SCENARIOS, "--as-of", AS_OF, "--format", "html")


def whatif_json() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        cli("whatif", EXAMPLE, *SCENARIOS, "--as-of", AS_OF, "--format", "json")
    )
    return doc


SETTINGS = engine.Settings(as_of=AS_OF, architecture=True)


def check_data(manifest: str = EXAMPLE) -> model.CheckInput:
    """The input ``steer check MANIFEST --format html`` renders."""
    with cwd(ROOT):
        report, _ = engine.evaluate(load_manifest(Path(manifest), manifest), SETTINGS)
    return check_input(report, is_working_day)


def whatif_data() -> model.WhatifInput:
    """The input ``steer whatif EXAMPLE SCENARIO... --format html`` renders."""
    with cwd(ROOT):
        manifest, source = load_base(Path(EXAMPLE), EXAMPLE)
        scenarios = [load_scenario(Path(s), s) for s in SCENARIOS]
        comparison = compare(manifest, scenarios, SETTINGS, None, Path("examples"), source)
    return whatif_input(comparison, is_working_day)


def synthetic(n: int, folder: Path) -> Path:
    """benchmarks/generate.py's manifest of ``n`` components (in a child process, as the
    benchmark writes it)."""
    out = folder / f"synthetic-{n}.yaml"
    generate = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n), str(out)]
    subprocess.run(generate, check=True, stdout=subprocess.DEVNULL)
    return out
