"""``transfer``: every crossing that carries regulated data out of the home
jurisdiction is covered by approvals of the required types.

Parameters::

    categories: [personal]        # regulated categories (a carried category that is, or
                                  # implies, one of these is regulated)
    subjects: CN | any            # whose data (default: the home subjects, the pack's home)
    mechanisms: [replication, backup]   # optional: only crossings by these flow mechanisms
    require:                      # each must be met by an approval covering the crossing
      - mechanism: regime         # the mechanism the regime requires (see ``volume``):
                                  # an assessment, or a standard contract / certification
                                  # (an assessment also satisfies), or none
      - types: [separate-consent]
        label: separate consent (PIPL art. 39)   # optional, for messages

An approval covers a crossing when the flow lists it or it names the flow's target
in ``recipients``; it meets a requirement when it is of a required type, approved,
unexpired, and (when it declares them) covers the recipient and every regulated
category carried. A crossing whose flow declares an exemption the regime honours
needs no mechanism. One finding per crossing that misses anything: its target is
the crossing flow, its path the components from the data's origin to the far side,
and its message names the categories, the yearly volume, what is missing and why
the approvals present do not count.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from steer.analysis.transfers import label
from steer.checks.context import Context
from steer.checks.kinds.common import with_defs
from steer.checks.template import render
from steer.packs.model import Guardrail, Parameter
from steer.results.findings import Hit

NAME = "transfer"

SCHEMA = with_defs(
    {
        "type": "object",
        "properties": {
            "kind": {},
            "categories": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "subjects": {"type": "string"},
            "mechanisms": {"type": "array", "items": {"type": "string"}},
            "require": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "oneOf": [
                        {
                            "type": "object",
                            "properties": {"mechanism": {"const": "regime"}},
                            "required": ["mechanism"],
                            "additionalProperties": False,
                        },
                        {
                            "type": "object",
                            "properties": {
                                "types": {
                                    "type": "array",
                                    "items": {"type": "string"},
                                    "minItems": 1,
                                },
                                "label": {"type": "string"},
                            },
                            "required": ["types"],
                            "additionalProperties": False,
                        },
                    ]
                },
            },
        },
        "required": ["categories", "require"],
        "additionalProperties": False,
    }
)


@dataclass(frozen=True)
class Compiled:
    categories: tuple[str, ...]
    subjects: str | None
    mechanisms: frozenset[str] | None
    require: tuple[Mapping[str, Any], ...]


def compile(check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Compiled:
    subjects = check.get("subjects", "")  # "": the home jurisdiction's, known per run
    mechanisms = check.get("mechanisms")
    return Compiled(
        categories=tuple(check["categories"]),
        subjects=None if subjects == "any" else subjects,
        mechanisms=frozenset(mechanisms) if mechanisms else None,
        require=tuple(check["require"]),
    )


def check(compiled: Compiled, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]:
    transfers = ctx.transfers
    flows = ctx.manifest.flows
    wanted = frozenset(compiled.categories)
    implications = ctx.implications
    subjects = ctx.home if compiled.subjects == "" else compiled.subjects
    for crossing in transfers.crossings:
        flow = flows[crossing.flow]
        if compiled.mechanisms is not None and flow.get("mechanism") not in compiled.mechanisms:
            continue
        facts = transfers.facts(crossing, subjects)
        regulated = [
            c for c in facts.categories if not wanted.isdisjoint(implications.get(c, (c,)))
        ]
        if not regulated:
            continue
        missing: list[str] = []
        why: list[str] = []
        for req in compiled.require:
            if "mechanism" in req:
                if facts.exemption is not None:
                    continue
                decision = transfers.decision
                types = decision.required_types
                if not types:
                    continue
                name = (
                    label(types[0])
                    if decision.mechanism == "assessment"
                    else "standard contract or PI certification"
                )
            else:
                types = tuple(req["types"])
                name = req.get("label") or " or ".join(label(t) for t in types)
            ok, reasons = transfers.meet(crossing.flow, types, crossing.target, regulated)
            if not ok:
                missing.append(name)
                why.extend(reasons)
        if not missing:
            continue
        records = (
            f"{facts.records:,} individuals a year"
            if facts.records is not None
            else "an unknown number of individuals a year"
        )
        values = {
            "flow": crossing.flow,
            "from": crossing.source,
            "to": crossing.target,
            "to_jurisdiction": ctx.graph.jurisdiction(crossing.target) or "unknown jurisdiction",
            "categories": ", ".join(regulated),
            "subjects": subjects or "any",
            "records": records + facts.records_note,
            "missing": "; ".join(missing),
            "why": ("; " + "; ".join(why)) if why else "",
            "required": transfers.decision.short(),
            "regime": ctx.manifest.regime or "default",
        }
        yield Hit(
            target=f"flows.{crossing.flow}",
            message=render(guardrail.message, values, {}, ctx.params),
            at=("flows", crossing.flow),
            path=facts.path_for(regulated),
        )
