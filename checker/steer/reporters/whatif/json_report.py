"""``steer whatif --format json``: cli.md's shape, byte-stable.

``{"baseline": {summary}, "scenarios": [{"name", "summary", "resolved",
"introduced", "ready_for_go_live", ...}]}``, findings with the fields of the check
report, plus context (manifest, as-of dates, questions, go-live readiness detail)."""

from __future__ import annotations

import json

from steer.results.compare import Comparison


def render(comparison: Comparison, color: bool = False) -> str:
    return json.dumps(comparison.to_json(), indent=2, ensure_ascii=False) + "\n"
