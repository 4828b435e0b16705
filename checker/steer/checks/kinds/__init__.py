"""The check kinds: the engine's primitives, one module each, in an explicit registry.

Each kind module declares ``NAME``, ``SCHEMA`` (the JSON Schema of its parameters,
part of ``steer schema guardrail``), ``compile(check, parameters)`` (validate and
precompile a guardrail's ``check`` once, at pack load) and
``check(compiled, guardrail, context)`` (yield :class:`~steer.findings.Hit` objects).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from steer.checks.kinds import count
from steer.checks.kinds import each
from steer.checks.kinds import reach
from steer.checks.kinds import timeline
from steer.checks.kinds import transfer
from steer.checks.kinds import volume

if TYPE_CHECKING:
    from steer.checks.context import Context
    from steer.results.findings import Hit
    from steer.packs.loader import Guardrail, Parameter


class CheckKind(Protocol):
    NAME: str
    SCHEMA: dict[str, Any]

    def compile(self, check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Any: ...

    def check(self, compiled: Any, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]: ...


def _registry(*kinds: CheckKind) -> dict[str, CheckKind]:
    return {k.NAME: k for k in kinds}


REGISTRY: dict[str, CheckKind] = _registry(each, count, timeline, transfer, volume, reach)
