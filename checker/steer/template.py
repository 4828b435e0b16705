"""Finding messages from guardrail templates: ``{field.path}`` placeholders are
filled from the facts a kind reports and the element's view. Nothing is evaluated:
a placeholder is a lookup, never an expression."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .predicates import MISSING, get

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.\-]*)\}")


def show(value: Any) -> str:
    if value is MISSING or value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}"
    if isinstance(value, list | tuple | set | frozenset):
        items = [show(v) for v in value]
        return ", ".join(items) if items else "(none)"
    if isinstance(value, Mapping):
        return str(value.get("id", "(mapping)"))
    return str(value)


def render(
    template: str,
    facts: Mapping[str, Any],
    view: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
) -> str:
    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key.startswith("param.") and params is not None:
            return show(params.get(key[6:], MISSING))
        value = get(facts, key)
        if value is MISSING:
            value = get(view, key)
        return show(value)

    return " ".join(_PLACEHOLDER.sub(fill, template).split())


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)
