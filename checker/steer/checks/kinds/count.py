"""``count``: at least / at most N elements match a predicate.

Parameters::

    target: components | operations.team | ...
    assert:
      - target: ...               # optional: count other elements than the check's target
        where: PREDICATE          # which elements count
        for_each: {var: NAME, values: [a, b]}   # optional: one count per value;
                                  # predicates read it as {var: NAME}, messages as {NAME}
        sum: FIELD                # optional: add up this numeric field instead of counting
        at_least: N | {param: NAME}
        at_most: N | {param: NAME}
        report_at: operations | manifest | ...  # where an at_least shortfall is reported
        message: TEMPLATE         # facts: {count}, {at_least}, {at_most}, and the var

An ``at_least`` shortfall is one finding at ``report_at`` (default ``manifest``);
an ``at_most`` excess is one finding per matching element, so that each can be
fixed or waived on its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from steer.checks.context import Context
from steer.checks.kinds.common import (
    PREDICATE,
    TARGET_SCHEMA,
    predicate,
    resolve,
    value_or_param,
    with_defs,
)
from steer.checks.predicates import MISSING, Predicate, Scope, get
from steer.checks.template import render
from steer.packs.model import Guardrail, Parameter
from steer.results.findings import Hit

NAME = "count"
# what its messages may name: the facts it reports, and (VIEWS) the element's view too
FACTS = frozenset({"count", "at_least", "at_most", "target"})  # and each for_each var
VIEWS = True

_BOUND = {
    "oneOf": [
        {"type": "integer", "minimum": 0},
        {
            "type": "object",
            "required": ["param"],
            "properties": {"param": {"type": "string"}},
            "additionalProperties": False,
        },
    ]
}
SCHEMA = with_defs(
    {
        "type": "object",
        "properties": {
            "kind": {},
            "target": TARGET_SCHEMA,
            "assert": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "target": TARGET_SCHEMA,
                        "where": PREDICATE,
                        "for_each": {
                            "type": "object",
                            "properties": {
                                "var": {"type": "string"},
                                "values": {"type": "array", "minItems": 1},
                            },
                            "required": ["var", "values"],
                            "additionalProperties": False,
                        },
                        "sum": {"type": "string"},
                        "at_least": _BOUND,
                        "at_most": _BOUND,
                        "report_at": TARGET_SCHEMA,
                        "message": {"type": "string"},
                    },
                    "anyOf": [{"required": ["at_least"]}, {"required": ["at_most"]}],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["target", "assert"],
        "additionalProperties": False,
    }
)


@dataclass(frozen=True)
class Assertion:
    target: str | None
    where: Predicate
    var: str | None
    values: tuple[Any, ...]
    sum: str | None
    at_least: Any
    at_most: Any
    report_at: str
    message: str | None


@dataclass(frozen=True)
class Compiled:
    target: str
    assertions: tuple[Assertion, ...]


def compile(check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Compiled:
    out = []
    for i, a in enumerate(check["assert"]):
        each = a.get("for_each") or {}
        out.append(
            Assertion(
                target=a.get("target"),
                where=predicate(a.get("where"), parameters, "assert", i, "where"),
                var=each.get("var"),
                values=tuple(each.get("values", [None])),
                sum=a.get("sum"),
                at_least=value_or_param(a.get("at_least"), parameters, "assert", i, "at_least"),
                at_most=value_or_param(a.get("at_most"), parameters, "assert", i, "at_most"),
                report_at=a.get("report_at", "manifest"),
                message=a.get("message"),
            )
        )
    return Compiled(check["target"], tuple(out))


def check(compiled: Compiled, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]:
    for a in compiled.assertions:
        elements = list(ctx.elements(a.target or compiled.target))
        for value in a.values:
            scope = Scope(ctx, vars={a.var: value} if a.var else {})
            matching = [e for e in elements if a.where(e.view, scope)]
            if a.sum:
                total = sum(
                    n
                    for e in matching
                    if isinstance(n := get(e.view, a.sum), int) and n is not MISSING
                )
            else:
                total = len(matching)
            least, most = resolve(a.at_least, ctx.params), resolve(a.at_most, ctx.params)
            facts = {"count": total, "at_least": least, "at_most": most}
            if a.var:
                facts[a.var] = value
            template = a.message or guardrail.message
            if least is not None and total < least:
                report = next(ctx.elements(a.report_at), None)
                target = report.target if report else "manifest"
                at = report.at if report else ()
                yield Hit(
                    target, render(template, facts, report.view if report else {}, ctx.params), at
                )
            if most is not None and total > most:
                for e in matching:
                    yield Hit(
                        e.target,
                        render(template, {**facts, "target": e.target}, e.view, ctx.params),
                        e.at,
                    )
