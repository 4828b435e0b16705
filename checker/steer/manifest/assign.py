"""``--set PATH=VALUE``: one value of a manifest changed from the command line.

PATH is dot-separated keys into the manifest (``components.telematics-store.
location.region``). Ids may contain dots, so at a mapping the longest run of keys
that names an existing member wins; ``"quoted"`` keys are taken as written, and
``[0]`` or ``.0`` indexes a list (the list's length appends). VALUE is YAML, read
by steer's own loader, so it is typed exactly as in a manifest: numbers, booleans,
dates (kept as ``YYYY-MM-DD`` text), lists (``[a, b]``), mappings, and ``null``,
which removes the key or list item. A value replaces what is at PATH; a mapping is
not merged into the old one. Every problem is a :class:`~steer.errors.UsageError`
naming the flag.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from steer.errors import InputError, UsageError
from steer.loading.parse import load_text
from steer.loading.validate import dotted
from steer.manifest.mergepatch import diff_patch, fresh
from steer.vocab import plural

_MISSING = object()
KEYED = {"components": "component", "flows": "flow", "approvals": "approval"}
"""The manifest's maps keyed by id (manifest.md): a path through one of them must name
a member that exists; a member is added by setting it whole."""


def assignment_patch(data: Any, flag_value: str) -> dict[str, Any]:
    """The merge patch that makes ``PATH=VALUE`` true of ``data`` (minimal: it
    carries only what changes; a list item changes by carrying its whole list)."""
    flag = f"--set {flag_value}"
    raw_path, sep, raw_value = flag_value.partition("=")
    if not sep or not raw_path.strip():
        raise UsageError(f"{flag}: expected PATH=VALUE, e.g. --set policy.regime=cn-2024")
    path = _resolve(data, _tokens(raw_path.strip(), flag), flag)
    value = parse_value(raw_value, flag)
    patch = diff_patch(data, _assign(data, path, value))
    return patch if isinstance(patch, dict) else {}


_KEY = re.compile(r'"([^"]*)"|([^.\["]+)')
_INDEX = re.compile(r"\[(\d+)\]")


def _tokens(text: str, flag: str) -> list[tuple[str, bool]]:
    """``a.b[0]."c.d"`` -> [("a", False), ("b", False), ("0", True), ("c.d", False)]."""
    out: list[tuple[str, bool]] = []
    pos, need_key = 0, True  # a key is due at the start and after each '.'
    while pos < len(text):
        if text[pos] == "." and not need_key:
            pos, need_key = pos + 1, True
            continue
        index = _INDEX.match(text, pos)
        if index and out and not need_key:
            out.append((index.group(1), True))
            pos = index.end()
            continue
        key = _KEY.match(text, pos)
        if key is None or not need_key:
            raise UsageError(
                f"{flag}: cannot read the path at '{text[pos:]}'; write dot-separated keys, "
                'e.g. components.telematics-store.location.region (quote ids holding dots: "a.b")'
            )
        out.append((key.group(1) if key.group(1) is not None else key.group(2), False))
        pos, need_key = key.end(), False
    if need_key:
        raise UsageError(f"{flag}: the path is empty or ends with '.'; name a key")
    return out


def _resolve(data: Any, tokens: list[tuple[str, bool]], flag: str) -> list[str | int]:
    """Turn tokens into a JSON path against ``data``: ids may hold dots
    (``components.eu.db.kind``), so at a mapping the longest run of plain tokens
    that names an existing key wins; digits index a list."""
    path: list[str | int] = []
    node: Any = data
    i = 0
    while i < len(tokens):
        text, bracketed = tokens[i]
        where = _dotted(path)
        if isinstance(node, list):
            if not text.isdigit():
                raise UsageError(
                    f"{flag}: {where} is a list; index it with a number, e.g. {where}[0]"
                )
            index = int(text)
            if index > len(node):
                raise UsageError(
                    f"{flag}: {where} has {plural(len(node), 'item')}; "
                    f"index {index} is past the end (index {len(node)} appends)"
                )
            path.append(index)
            node = node[index] if index < len(node) else _MISSING
            i += 1
            continue
        if bracketed:
            raise UsageError(
                f"{flag}: {where or 'the manifest'} is not a list, so [{text}] cannot index it"
            )
        if node is not _MISSING and not isinstance(node, dict):
            raise UsageError(
                f"{flag}: {where} is {_kind(node)}, not a mapping, so it has no key '{text}'"
            )
        span = 1
        if isinstance(node, dict):
            for j in range(len(tokens), i + 1, -1):
                run = tokens[i:j]
                if all(not b for _, b in run) and ".".join(t for t, _ in run) in node:
                    span = j - i
                    break
        key = ".".join(t for t, _ in tokens[i : i + span])
        if (
            len(path) == 1
            and path[0] in KEYED
            and isinstance(node, dict)
            and key not in node
            and i + span < len(tokens)
        ):
            raise UsageError(_no_member(flag, str(path[0]), key, node, tokens[i + span :]))
        path.append(key)
        node = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
        i += span
    return path


def _no_member(
    flag: str, collection: str, key: str, members: dict[str, Any], rest: list[tuple[str, bool]]
) -> str:
    """There is no such component (flow, approval): say which are near, and how to add
    one. A typo in an id must never be read as a new, half-written member."""
    what = KEYED[collection]
    close = difflib.get_close_matches(key, [str(k) for k in members], n=1, cutoff=0.6)
    if close:
        field = ".".join(t for t, _ in rest)
        hint = f"; did you mean '{close[0]}' ({collection}.{close[0]}.{field})?"
    elif members:
        ids = sorted(map(str, members))
        more = f" and {len(ids) - 8} more" if len(ids) > 8 else ""
        hint = f"; the {collection} are: {', '.join(ids[:8])}{more}."
    else:
        hint = f"; the manifest has no {collection}."
    return (
        f"{flag}: there is no {what} '{key}' in {collection}{hint} To add one, set it "
        f"whole: --set {collection}.{key}='{{...}}'"
    )


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return f"a string ('{value}')"
    return "null"


def _dotted(path: Sequence[str | int]) -> str:

    return dotted(path) if path else ""


def parse_value(text: str, flag: str) -> Any:
    """A ``--set`` value, typed as the manifest loader types YAML (dates stay text)."""
    if not text.strip() or text.lstrip().startswith("#"):  # YAML would read nothing
        raise UsageError(
            f"{flag}: no value after '='; write null to remove, '' for an empty string"
        )
    try:
        return load_text(text, flag).data
    except InputError as exc:
        raise UsageError(f"{flag}: the value is not valid YAML: {exc.message}") from None


def _assign(data: Any, path: Sequence[str | int], value: Any) -> Any:
    """A new tree: ``data`` with ``value`` at ``path`` (``None`` removes the key or item)."""
    if not path:
        return fresh(value)
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(data)
        if not rest and value is None:
            if head < len(items):
                del items[head]
            return items
        current = items[head] if head < len(items) else None
        new = _assign(current, rest, value)
        if head < len(items):
            items[head] = new
        else:
            items.append(new)
        return items
    out = dict(data) if isinstance(data, dict) else {}
    if not rest and value is None:
        out.pop(head, None)
        return out
    out[head] = _assign(out.get(head), rest, value)
    return out
