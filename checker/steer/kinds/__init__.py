"""The check kinds: the engine's primitives, one module each, in an explicit registry.

Each kind module declares ``NAME``, ``SCHEMA`` (the JSON Schema of its parameters,
part of ``steer schema guardrail``), ``compile(check, parameters)`` (validate and
precompile a guardrail's ``check`` once, at pack load) and
``check(compiled, guardrail, context)`` (yield :class:`~steer.findings.Hit` objects).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from . import count, each, reach, timeline, transfer, volume

if TYPE_CHECKING:
    from ..context import Context
    from ..findings import Hit
    from ..pack import Guardrail, Parameter


class CheckKind(Protocol):
    NAME: str
    SCHEMA: dict[str, Any]

    def compile(self, check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Any: ...

    def check(self, compiled: Any, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]: ...


def _registry(*kinds: CheckKind) -> dict[str, CheckKind]:
    return {k.NAME: k for k in kinds}


REGISTRY: dict[str, CheckKind] = _registry(each, count, timeline, transfer, volume, reach)
