"""``--format json``: the report of cli.md, field for field, byte-stable.

The layout is indented at the top and one finding a line: readable, friendly to
``grep`` and ``diff``, and written with the C encoder (the pretty-printing encoder is
pure Python, and several times slower on a report with tens of thousands of findings).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
from typing import Any

from steer import __version__
from steer.results.findings import Finding, Report

_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
_text: Callable[[str], str] = encode_basestring  # what _compact does with a str, minus a call


def document(reports: Sequence[Report]) -> Any:
    """What :func:`render` writes, as data (without unchecked manifests)."""
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
            known = _Encoded()
            for j, finding in enumerate(report.findings):
                if j:
                    parts.append(",\n")
                parts.append(row)
                _finding(finding, known, parts)
            parts.append(f"\n{inner}]")
    parts.append(f"\n{indent}}}")


class _Encoded:
    """What findings share, encoded once per report, by kind."""

    def __init__(self) -> None:
        self.heads: dict[tuple[str, ...], str] = {}  # a rule's fixed leading members
        self.targets: dict[str, str] = {}
        self.paths: dict[tuple[str, ...], str] = {}
        self.text: dict[str, str] = {}  # levels, file names, remediations


def _finding(f: Finding, known: _Encoded, parts: list[str]) -> None:
    """``_compact(f.to_json())``, without encoding what findings share (a rule's title
    and long remediation, a target several rules judge, a path, the file) more than
    once: tens of thousands of findings share a few rules. The tests hold the two
    equal, byte for byte."""
    key = (f.rule, f.title, f.severity, f.status)
    head = known.heads.get(key)
    if head is None:
        fixed = {"rule": f.rule, "title": f.title, "severity": f.severity, "status": f.status}
        head = known.heads[key] = _compact(fixed)[:-1]
    remediation = known.text.get(f.remediation)
    if remediation is None:
        remediation = known.text[f.remediation] = _text(f.remediation)
    target = known.targets.get(f.target)
    if target is None:
        target = known.targets[f.target] = _text(f.target)
    text = known.text
    level = text.get(f.level) or text.setdefault(f.level, _text(f.level))
    loc = f.location
    file = text.get(loc.file) or text.setdefault(loc.file, _text(loc.file))
    parts += (head, ', "level": ', level, ', "target": ', target)
    if f.path is not None:
        path = known.paths.get(f.path)
        if path is None:
            path = known.paths[f.path] = _compact(list(f.path))
        parts += (', "path": ', path)
    if f.resource is not None:
        parts += (', "resource": ', _text(f.resource))
    parts += (
        ', "message": ',
        _text(f.message),
        ', "remediation": ',
        remediation,
        f', "location": {{"file": {file}, "line": {loc.line}, "column": {loc.column}}}, '
        f'"waived": {"true" if f.waived else "false"}, "authority": "{f.authority}"}}',
    )


Unchecked = tuple[int, str, str]
"""A manifest named but not checked: its place among those named, its name, the error."""


def render(
    reports: Sequence[Report],
    color: bool = False,
    unchecked: Sequence[Unchecked] | None = None,
) -> str:
    """One report as it is; several as ``{"steer_version", "reports": [...]}``.

    ``unchecked`` says that several manifests were named (cli.md): the output is then
    always the ``reports`` document, however many of them could be checked, with each
    manifest that could not be an entry ``{"manifest", "error"}`` in its place."""
    parts: list[str] = []
    if len(reports) == 1 and unchecked is None:
        _report(reports[0], "", parts)
        parts.append("\n")
        return "".join(parts)
    failed = {i: (name, error) for i, name, error in unchecked or ()}
    checked = iter(reports)
    parts.append(f'{{\n  "steer_version": {_compact(__version__)},\n  "reports": [')
    for i in range(len(reports) + len(failed)):
        parts.append(",\n    " if i else "\n    ")
        if i in failed:
            name, error = failed[i]
            parts.append(
                f"{{{_compact('manifest')}: {_text(name)}, {_compact('error')}: {_text(error)}}}"
            )
        else:
            _report(next(checked), "    ", parts)
    parts.append("\n  ]\n}\n" if reports or failed else "]\n}\n")
    return "".join(parts)
