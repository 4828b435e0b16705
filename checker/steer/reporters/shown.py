"""What the text reporters (table, markdown, github) show of a finished result: every
string in it, from the manifest, a pack or a file name, with its control characters
written out (:func:`steer.vocab.visible`), so that ``"\\e[31m"`` in a reference or a CR
in a name is displayed, never obeyed by the terminal, the CI log or the page.

The document formats need none of this: JSON and SARIF escape every control
character, JUnit replaces those XML forbids, the HTML page escapes through
:func:`steer.reporters.html.markup.esc`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from steer.results.findings import Finding
from steer.vocab import visible

T = TypeVar("T")

_SKIP = frozenset({"architecture"})  # what only the HTML page draws (and escapes itself)


def shown(data: T, keep: str = "\n") -> T:
    """``data`` (a report, a comparison, a diagram, or lists and mappings of them) with
    every string made visible; the very same objects where nothing needed it, so that a
    clean report costs one scan and no copy."""
    memo: dict[str, str] = {}
    result: T = _walk(data, keep, memo)
    return result


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(
            f.name for f in dataclasses.fields(cls) if f.init and f.name not in _SKIP
        )
    return names


def _walk(value: Any, keep: str, memo: dict[str, str]) -> Any:
    if isinstance(value, str):
        out = memo.get(value)
        if out is None:
            out = memo[value] = visible(value, keep)
        return value if out == value else out  # unchanged: this very object, not an equal one
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, tuple):
        items = tuple(_walk(v, keep, memo) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, list):
        items_l = [_walk(v, keep, memo) for v in value]
        return value if all(a is b for a, b in zip(items_l, value, strict=True)) else items_l
    if isinstance(value, Mapping):
        pairs = [(_walk(k, keep, memo), _walk(v, keep, memo)) for k, v in value.items()]
        same = all(a is k and b is v for (a, b), (k, v) in zip(pairs, value.items(), strict=True))
        return value if same else dict(pairs)
    if isinstance(value, Finding) and _clean(value, keep):
        return value  # the common case, tens of thousands of times: one scan, no walk
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for name in _fields(type(value)):
            old = getattr(value, name)
            new = _walk(old, keep, memo)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def _clean(f: Finding, keep: str) -> bool:
    """Whether no string of the finding needs showing differently: one scan of them all."""
    parts = [f.rule, f.title, f.severity, f.status, f.level, f.category, f.target]
    parts += (f.message, f.remediation, f.location.file, f.waiver or "", f.resource or "")
    parts += f.path or ()
    parts += (m.file for m in f.path_locations)
    for what, mark in f.related:
        parts += (what, mark.file)
    text = " ".join(parts)
    return visible(text, keep) is text
