"""Pieces the check kinds share: targets and predicate compilation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from steer.checks.predicates import PREDICATE_SCHEMA, Predicate, PredicateError, compile_predicate
from steer.vocab import TARGETS

TARGET_SCHEMA = {
    "enum": list(TARGETS),
    "x-vocabulary": "target",
}
PREDICATE = {"$ref": "#/$defs/predicate"}
DEFS = PREDICATE_SCHEMA["$defs"]


def with_defs(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "$defs": DEFS}


def predicate(
    spec: Any, params: Mapping[str, Any], *path: str | int, default: bool = True
) -> Predicate:
    """Compile an optional predicate; absent means ``default``."""
    if spec is None:
        return (lambda _i, _s: True) if default else (lambda _i, _s: False)
    return compile_predicate(spec, params.keys(), path)


def value_or_param(spec: Any, params: Mapping[str, Any], *path: str | int) -> Any:
    if isinstance(spec, Mapping) and "param" in spec and spec["param"] not in params:
        raise PredicateError(f"unknown parameter '{spec['param']}'", (*path, "param"))
    return spec


def resolve(spec: Any, ctx_params: Mapping[str, Any]) -> Any:
    if isinstance(spec, Mapping) and "param" in spec:
        return ctx_params[spec["param"]]
    return spec
