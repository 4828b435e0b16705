"""The registry of check kinds, the full guardrail schema they make, and the compiled
form of a pack's guardrails.

The pack loader checks a guardrail's own fields; the kind named in ``check`` is
looked up here, its parameters validated against the kind's schema, and the check
compiled once per guardrail (cached: a run and its what-if scenarios share packs).
An unknown kind, or parameters the kind does not take, is a pack error at the line
of the guardrail file."""

from __future__ import annotations

from functools import cache
from typing import Any

from steer.checks.kinds import count, each, reach, timeline, transfer, volume
from steer.checks.kinds.base import CheckKind
from steer.checks.predicates import PREDICATE_SCHEMA, PredicateError
from steer.errors import Mark, PackError, SteerError
from steer.loading.parse import load_file
from steer.loading.validate import DIALECT, Schema, is_valid, validate
from steer.packs.model import Guardrail, Pack, PackSet
from steer.packs.schemas import guardrail_fields


def _registry(*kinds: CheckKind) -> dict[str, CheckKind]:
    return {k.NAME: k for k in kinds}


REGISTRY: dict[str, CheckKind] = _registry(each, count, timeline, transfer, volume, reach)


@cache
def guardrail_schema() -> Schema:
    """The schema of one guardrail file, with each check kind's parameters."""
    checks = []
    for name, kind in sorted(REGISTRY.items()):
        params = dict(kind.SCHEMA)
        props = dict(params.get("properties", {}))
        props["kind"] = {"const": name}
        params["properties"] = props
        params["required"] = ["kind", *params.get("required", [])]
        checks.append({"if": {"properties": {"kind": {"const": name}}}, "then": params})
    return {
        "$schema": DIALECT,
        "$id": "https://steer.dev/schema/guardrail-1.json",
        "$defs": PREDICATE_SCHEMA["$defs"],
        "title": "steer guardrail",
        **guardrail_fields(
            {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"enum": sorted(REGISTRY), "x-vocabulary": "check kind"}},
                "allOf": checks,
            }
        ),
    }


def _err(message: str, mark: Mark | None) -> PackError:
    return PackError(message, mark)


@cache
def compiled(guardrail: Guardrail, pack: Pack) -> Any:
    """A guardrail's check, validated against its kind's schema and compiled."""
    if not is_valid(guardrail_schema(), guardrail.doc.data, "guardrail"):
        # Validated again from the file itself: a cached document keeps only the
        # positions of its top-level keys, and the error deserves its exact line.
        doc = load_file(guardrail.file, guardrail.doc.file)
        validate(doc, guardrail_schema(), "guardrail", _err)
    try:
        return REGISTRY[guardrail.kind].compile(guardrail.check, PackSet([pack]).parameters)
    except PredicateError as exc:
        raise PackError(exc.message, _exact(guardrail, ("check", *exc.path))) from None


def _exact(guardrail: Guardrail, path: tuple[str | int, ...]) -> Mark:
    """Where ``path`` is written in the guardrail's file, read afresh: a cached document
    keeps only the positions of its top-level keys, and an error deserves its value's."""
    try:
        return load_file(guardrail.file, guardrail.doc.file).value_mark(path)
    except SteerError:  # the file changed under the run: the cached position will do
        return guardrail.mark(*path)


def compile_all(packs: PackSet) -> dict[str, Any]:
    """Every guardrail of the packs compiled, by id (a broken one: a PackError)."""
    return {g.id: compiled(g, pack) for pack in packs.packs for g in pack.guardrails}
