"""``steer transfers --format json``: the transfer register of cli.md, byte-stable.

``{"steer_version", "manifest", "as_of", "regime": {"name", "why"}, "crossings":
[...]}``, each crossing the entry of the check report's ``crossings``, keys in the
entry's order; indented by 2, UTF-8 kept as written. Several reports give
``{"steer_version", "reports": [...]}``, as ``steer check --format json`` does."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from steer import __version__
from steer.reporters.transfers.register import as_reports
from steer.results.findings import Report


def register(report: Report) -> dict[str, Any]:
    """One manifest's register, as the JSON format writes it."""
    return {
        "steer_version": report.steer_version,
        "manifest": report.manifest,
        "as_of": report.as_of,
        "regime": report.regime_json(),
        "crossings": [dict(c) for c in report.crossings],
    }


def document(data: Report | Sequence[Report]) -> dict[str, Any]:
    reports = as_reports(data)
    if len(reports) == 1:
        return register(reports[0])
    return {"steer_version": __version__, "reports": [register(r) for r in reports]}


def render(data: Report | Sequence[Report], color: bool = False) -> str:
    return json.dumps(document(data), indent=2, ensure_ascii=False) + "\n"
