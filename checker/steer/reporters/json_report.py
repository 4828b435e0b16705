"""``--format json``: the report of cli.md, field for field, byte-stable."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..findings import Report


def document(reports: Sequence[Report]) -> Any:
    if len(reports) == 1:
        return reports[0].to_json()
    return {
        "steer_version": reports[0].steer_version if reports else "",
        "reports": [r.to_json() for r in reports],
    }


def render(reports: Sequence[Report], color: bool = False) -> str:
    return json.dumps(document(reports), indent=2, ensure_ascii=False) + "\n"
