"""What every check kind module provides (a Protocol, met by each module itself)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from steer.checks.context import Context
from steer.packs.model import Guardrail, Parameter
from steer.results.findings import Hit


class CheckKind(Protocol):
    NAME: str
    SCHEMA: dict[str, Any]
    FACTS: frozenset[str]  # the facts its messages may name ({count}, {flow}, ...)
    VIEWS: bool  # whether messages may also name the element's fields ({id}, {location.region})

    def compile(self, check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Any: ...

    def check(self, compiled: Any, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]: ...
