"""Finding messages from guardrail templates: ``{field.path}`` placeholders are
filled from the facts a kind reports and the element's view. Nothing is evaluated:
a placeholder is a lookup, never an expression."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from functools import lru_cache
from typing import Any

from steer.checks.predicates import MISSING, getter

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.\-]*)\}")


def show(value: Any) -> str:
    if type(value) is str:  # by far the most common: no further checks
        return value
    if value is MISSING or value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}"
    if isinstance(value, list | tuple | set | frozenset):
        items = [show(v) for v in value]
        return ", ".join(items) if items else "(none)"
    if isinstance(value, dict | Mapping):
        return str(value.get("id", "(mapping)"))
    return str(value)


# (literal text, placeholder's getter, the parameter it names if it is ``param.NAME``)
Piece = tuple[str, Callable[[Any], Any] | None, str | None]


@lru_cache(maxsize=1024)
def _compiled(template: str) -> tuple[Piece, ...]:
    """A template split once into pieces (see ``Piece``)."""
    template = " ".join(template.split())
    pieces: list[Piece] = []
    last = 0
    for match in _PLACEHOLDER.finditer(template):
        key = match.group(1)
        param = key[6:] if key.startswith("param.") else None
        pieces.append((template[last : match.start()], getter(key), param))
        last = match.end()
    pieces.append((template[last:], None, None))
    return tuple(pieces)


def render(
    template: str,
    facts: Mapping[str, Any],
    view: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
) -> str:
    out: list[str] = []
    for text, fetch, param in _compiled(template):
        out.append(text)
        if fetch is None:
            continue
        if param is not None and params is not None:
            out.append(show(params.get(param, MISSING)))
            continue
        value = fetch(facts)
        if value is MISSING:
            value = fetch(view)
        out.append(show(value))
    return "".join(out).strip()


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


_BRACED = re.compile(r"\{([^{}]*)\}")


def unknown_placeholder(
    template: str, roots: frozenset[str] | None, params: Collection[str]
) -> tuple[str, str] | None:
    """The first placeholder of ``template`` that names nothing, and what was expected
    ("" for a name not in ``roots``); None if every one names something. ``roots``: the
    names a placeholder may start with (None: any field); ``{param.NAME}`` must name a
    parameter of the packs."""
    for match in _BRACED.finditer(template):
        text = match.group(0)
        inner = match.group(1)
        if not _PLACEHOLDER.fullmatch(text):
            return text, "a placeholder is {NAME} or {NAME.FIELD} (letters, digits, _ . -)"
        parts = inner.split(".")
        if any(not p or p.startswith("_") for p in parts):
            return text, "a placeholder names a fact or a field, never one starting with _"
        if parts[0] == "param":
            if len(parts) != 2 or parts[1] not in params:
                known = ", ".join(sorted(params)) or "none"
                return text, f"{{param.NAME}} with NAME a parameter of the packs ({known})"
            continue
        if roots is not None and parts[0] not in roots:
            return text, ""  # the caller says what its kind provides
    return None
