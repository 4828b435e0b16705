"""``--format json``: the report of cli.md, field for field, byte-stable.

The layout is indented at the top and one finding a line: readable, friendly to
``grep`` and ``diff``, and written with the C encoder (the pretty-printing encoder is
pure Python, and several times slower on a report with tens of thousands of findings).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ..findings import Report

_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def document(reports: Sequence[Report]) -> Any:
    if len(reports) == 1:
        return reports[0].to_json()
    return {
        "steer_version": __version__,
        "reports": [r.to_json() for r in reports],
    }


def _object(value: dict[str, Any], indent: str) -> list[str]:
    """An object with one member a line; lists of objects with one element a line."""
    inner = indent + "  "
    members = []
    for key, item in value.items():
        head = f"{inner}{_compact(key)}: "
        if (
            isinstance(item, list)
            and item
            and isinstance(item[0], dict)
            and "findings" not in item[0]
        ):
            rows = ",\n".join(inner + "  " + _compact(x) for x in item)
            members.append(f"{head}[\n{rows}\n{inner}]")
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            rows = ",\n".join(
                inner + "  " + "\n".join(_object(x, inner + "  ")).lstrip() for x in item
            )
            members.append(f"{head}[\n{rows}\n{inner}]")
        else:
            members.append(head + _compact(item))
    return ["{", ",\n".join(members), indent + "}"] if members else ["{}"]


def _report(report: Report, indent: str) -> str:
    """One report, its findings encoded one at a time (never all as dicts at once)."""
    head = report.to_json(findings=False)
    inner = indent + "  "
    rows = ",\n".join(inner + "  " + _compact(f.to_json()) for f in report.findings)
    members = []
    for key, value in head.items():
        members.append(f"{inner}{_compact(key)}: {_compact(value)}")
        if key == "summary":  # the findings follow the summary, as in cli.md
            members.append(
                f'{inner}"findings": [\n{rows}\n{inner}]' if rows else f'{inner}"findings": []'
            )
    return "{\n" + ",\n".join(members) + "\n" + indent + "}"


def render(reports: Sequence[Report], color: bool = False) -> str:
    if len(reports) == 1:
        return _report(reports[0], "") + "\n"
    body = ",\n".join("    " + _report(r, "    ").lstrip() for r in reports)
    head = f'  "steer_version": {_compact(__version__)},\n'
    return (
        "{\n" + head + '  "reports": [\n' + body + "\n  ]\n}\n"
        if reports
        else ("{\n" + head + '  "reports": []\n}\n')
    )
