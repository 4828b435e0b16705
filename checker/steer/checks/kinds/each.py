"""``each``: every element that matches ``where`` must satisfy ``require``.

Parameters::

    target: components | flows | crossings | approvals | operations | operations.team | ...
                                # (crossings: the flows that leave the home jurisdiction)
    where: PREDICATE            # which elements the guardrail applies to (default: all)
    items: PATH                 # optional: judge each item of this list field instead
    item_where: PREDICATE       # with items: which items apply
    require: PREDICATE          # must hold (for each element, or each item)
    path: FIELD                 # optional: a list field used as the finding's path
    assert:                     # instead of require: several requirements, each with its
      - {target, where, items, item_where, require, message, path}   # own message
                                # (an assertion's own target skips the check's where)

A finding targets the element (``components.<id>``) and points at the element's
key (manifest.md: "Locations in findings"); with ``items`` there is one finding per
failing item. Messages may use the
element's fields (``{id}``, ``{location.region}``) and, with ``items``, ``{item}``
and ``{item.FIELD}``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from steer.checks.context import Context
from steer.checks.kinds.common import PREDICATE, TARGET_SCHEMA, predicate, with_defs
from steer.checks.predicates import MISSING, Predicate, Scope, get
from steer.checks.template import render
from steer.packs.model import Guardrail, Parameter
from steer.results.findings import Hit

NAME = "each"
# what its messages may name: the facts it reports, and (VIEWS) the element's view too
FACTS = frozenset({"target", "item", "index"})
VIEWS = True

_ASSERTION = {
    "target": TARGET_SCHEMA,
    "path": {"type": "string"},
    "where": PREDICATE,
    "items": {"type": "string"},
    "item_where": PREDICATE,
    "require": PREDICATE,
    "message": {"type": "string"},
}
SCHEMA = with_defs(
    {
        "type": "object",
        "properties": {
            "kind": {},
            "target": TARGET_SCHEMA,
            **_ASSERTION,
            "assert": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": _ASSERTION,
                    "required": ["require"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["target"],
        "oneOf": [{"required": ["require"]}, {"required": ["assert"]}],
        "additionalProperties": False,
    }
)


@dataclass(frozen=True)
class Assertion:
    target: str | None
    where: Predicate
    items: str | None
    item_where: Predicate
    require: Predicate
    message: str | None
    path: str | None


@dataclass(frozen=True)
class Compiled:
    target: str
    where: Predicate
    assertions: tuple[Assertion, ...]


def _assertion(
    spec: Mapping[str, Any], params: Mapping[str, Parameter], *path: str | int
) -> Assertion:
    return Assertion(
        target=spec.get("target") if path else None,
        where=predicate(spec.get("where"), params, *path, "where"),
        items=spec.get("items"),
        item_where=predicate(spec.get("item_where"), params, *path, "item_where"),
        require=predicate(spec["require"], params, *path, "require"),
        message=spec.get("message"),
        path=spec.get("path"),
    )


def compile(check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Compiled:
    if "assert" in check:
        assertions = tuple(
            _assertion(a, parameters, "assert", i) for i, a in enumerate(check["assert"])
        )
    else:
        assertions = (_assertion(check, parameters),)
    return Compiled(
        target=check["target"],
        where=predicate(check.get("where"), parameters, "where")
        if "assert" in check
        else (lambda _i, _s: True),
        assertions=assertions,
    )


def check(compiled: Compiled, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]:
    scope = Scope(ctx)  # one for the run: ``outer`` is reset per element
    for a in compiled.assertions:
        own_target = a.target is not None and a.target != compiled.target
        for element in ctx.elements(a.target or compiled.target):
            view = element.view
            scope.outer = None
            if not own_target and not compiled.where(view, scope):
                continue
            if not a.where(view, scope):
                continue
            template = a.message or guardrail.message
            witness = get(view, a.path) if a.path else MISSING
            path = tuple(witness) if isinstance(witness, list) else None
            if a.items is None:
                if a.require(view, scope):
                    continue
                facts: dict[str, Any] = {"target": element.target}
                yield Hit(
                    element.target, render(template, facts, view, ctx.params), element.at, path
                )
                continue
            items = get(view, a.items)
            if items is MISSING or not isinstance(items, list):
                continue
            scope.outer = view
            for i, item in enumerate(items):
                if not a.item_where(item, scope) or a.require(item, scope):
                    continue
                facts = {"item": item, "target": element.target, "index": i}
                yield Hit(
                    element.target, render(template, facts, view, ctx.params), element.at, path
                )
            scope.outer = None
