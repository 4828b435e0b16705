"""Finding messages from guardrail templates: ``{field.path}`` placeholders are
filled from the facts a kind reports and the element's view. Nothing is evaluated:
a placeholder is a lookup, never an expression."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .predicates import MISSING, get

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


@lru_cache(maxsize=1024)
def _compiled(template: str) -> tuple[tuple[str, str | None], ...]:
    """A template split once into (literal text, placeholder or None) pieces."""
    template = " ".join(template.split())
    pieces: list[tuple[str, str | None]] = []
    last = 0
    for match in _PLACEHOLDER.finditer(template):
        pieces.append((template[last : match.start()], match.group(1)))
        last = match.end()
    pieces.append((template[last:], None))
    return tuple(pieces)


def render(
    template: str,
    facts: Mapping[str, Any],
    view: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
) -> str:
    out: list[str] = []
    for text, key in _compiled(template):
        out.append(text)
        if key is None:
            continue
        if key.startswith("param.") and params is not None:
            out.append(show(params.get(key[6:], MISSING)))
            continue
        value = get(facts, key)
        if value is MISSING:
            value = get(view, key)
        out.append(show(value))
    return "".join(out).strip()


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)
