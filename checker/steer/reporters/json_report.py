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
from ..findings import Finding, Report

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


def _report(report: Report, indent: str, parts: list[str]) -> None:
    """Append one report to ``parts``, its findings encoded one at a time: a large
    report is built as one list of pieces and joined once, never copied piece by piece."""
    head = report.to_json(findings=False)
    inner = indent + "  "
    parts.append("{\n")
    for i, (key, value) in enumerate(head.items()):
        parts.append(",\n" if i else "")
        parts.append(f"{inner}{_compact(key)}: {_compact(value)}")
        if key == "summary":  # the findings follow the summary, as in cli.md
            if not report.findings:
                parts.append(f',\n{inner}"findings": []')
                continue
            parts.append(f',\n{inner}"findings": [\n')
            row = inner + "  "
            cache: dict[tuple[str, ...], tuple[str, str]] = {}
            for j, finding in enumerate(report.findings):
                if j:
                    parts.append(",\n")
                parts.append(row)
                _finding(finding, cache, parts)
            parts.append(f"\n{inner}]")
    parts.append(f"\n{indent}}}")


def _finding(f: Finding, cache: dict[tuple[str, ...], tuple[str, str]], parts: list[str]) -> None:
    """``_compact(f.to_json())``, without encoding a rule's fixed fields (title, its long
    remediation) once per finding: tens of thousands of findings share a few rules.
    The tests hold the two equal, byte for byte."""
    key = (f.rule, f.title, f.severity, f.status, f.remediation)
    fixed = cache.get(key)
    if fixed is None:
        head = {"rule": f.rule, "title": f.title, "severity": f.severity, "status": f.status}
        fixed = cache[key] = (_compact(head)[:-1], _compact(f.remediation))
    parts.append(fixed[0])
    parts.append(f', "level": {_compact(f.level)}, "target": {_compact(f.target)}')
    if f.path is not None:
        parts.append(f', "path": {_compact(list(f.path))}')
    loc = f.location
    parts.append(f', "message": {_compact(f.message)}, "remediation": {fixed[1]}')
    parts.append(
        f', "location": {{"file": {_compact(loc.file)}, "line": {loc.line}, '
        f'"column": {loc.column}}}, "waived": {"true" if f.waived else "false"}}}'
    )


def render(reports: Sequence[Report], color: bool = False) -> str:
    parts: list[str] = []
    if len(reports) == 1:
        _report(reports[0], "", parts)
        parts.append("\n")
        return "".join(parts)
    parts.append(f'{{\n  "steer_version": {_compact(__version__)},\n  "reports": [')
    for i, report in enumerate(reports):
        parts.append(",\n    " if i else "\n    ")
        _report(report, "    ", parts)
    parts.append("\n  ]\n}\n" if reports else "]\n}\n")
    return "".join(parts)
