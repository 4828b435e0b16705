"""``volume``: sum the yearly records of the crossings that carry home subjects'
personal information and decide, by the regime's thresholds, which transfer
mechanism every such crossing needs.

Parameters::

    categories: [personal]     # what is counted (sensitive-personal counts as personal,
                               # and also on its own against the sensitive threshold)

The regime's parameters decide: ``assessment_personal_threshold``,
``assessment_sensitive_threshold``, ``thresholds_inclusive`` (the annex's "100,000+"
versus cn-2024's "over 1,000,000"), ``handler_threshold`` (cn-2022: a handler of
1,000,000 individuals), ``contract_personal_threshold`` (cn-2024: a standard
contract or certification from 100,000, exempt below) and ``exemptions_apply``.
A CIIO always needs an assessment. Each personal-data crossing that lacks the
required mechanism is a finding whose message says which mechanism, and why
(the totals against the thresholds, the CIIO or handler trigger).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from steer.checks.context import Context
from steer.checks.kinds.common import with_defs
from steer.checks.template import render
from steer.packs.model import Guardrail, Parameter
from steer.results.findings import Hit

NAME = "volume"

SCHEMA = with_defs(
    {
        "type": "object",
        "properties": {
            "kind": {},
            "categories": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        },
        "additionalProperties": False,
    }
)


@dataclass(frozen=True)
class Compiled:
    categories: tuple[str, ...]


def compile(check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Compiled:
    return Compiled(tuple(check.get("categories", ["personal"])))


def check(compiled: Compiled, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]:
    transfers = ctx.transfers
    decision = transfers.decision
    types = decision.required_types
    if not types:
        return
    mechanism = (
        "a CAC security assessment"
        if decision.mechanism == "assessment"
        else "a standard contract or PI certification (or a CAC security assessment)"
    )
    for facts in transfers.personal:
        if facts.exemption is not None:
            continue
        ok, reasons = transfers.meet(facts.flow, types, facts.crossing.target, facts.personal)
        if ok:
            continue
        values = {
            "flow": facts.flow,
            "from": facts.crossing.source,
            "to": facts.crossing.target,
            "categories": ", ".join(facts.personal),
            "records": (
                f"{facts.records:,} individuals a year"
                if facts.records is not None
                else "an unknown number of individuals a year"
            )
            + facts.records_note,
            "mechanism": mechanism,
            "reasons": "; ".join(decision.reasons),
            "regime": ctx.manifest.regime or "default",
            "present": ("; " + "; ".join(reasons)) if reasons else "; no such approval covers it",
        }
        yield Hit(
            target=f"flows.{facts.flow}",
            message=render(guardrail.message, values, {}, ctx.params),
            at=("flows", facts.flow),
            path=facts.path_for(facts.personal),
        )
