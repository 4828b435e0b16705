"""``volume``: every crossing that carries the home subjects' personal information
has the transfer mechanism that the law's decision for it requires.

Parameters::

    categories: [personal]     # what is counted (sensitive-personal counts as personal,
                               # and on its own against the sensitive threshold)

The decision is made once per run (:mod:`steer.analysis.decision`), under the regime
in force on the as-of date (``policy.regime: auto``) or the one the manifest pins:
individuals counted (not flows; sensitive and non-sensitive apart; the regime's
counting window; at most what a holding holds), inclusive thresholds, the
exemptions the regime honours, the CIIO trigger. Each crossing that lacks the
mechanism its decision requires is a finding whose message names the mechanism, the
individuals counted and the articles (the decision's ``basis``). Data that is
important only by the organisation's policy is CN-XB-003's, not this guardrail's:
here the law decides.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from steer.analysis.transfers import MECHANISM_TEXT, MEETS
from steer.checks.context import Context
from steer.checks.kinds.common import with_defs
from steer.checks.template import render
from steer.packs.model import Guardrail, Parameter
from steer.results.findings import Hit

NAME = "volume"
# what its messages may name: the facts it reports, and (VIEWS) the facts alone (no element view)
FACTS = frozenset(
    {"flow", "from", "to", "categories", "records", "mechanism", "reasons", "regime", "present"}
)
VIEWS = False

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
    decisions = transfers.decisions
    for facts in transfers.personal:
        decision = decisions.get(facts.flow)
        if decision is None or decision.requires_by_law == "none":
            continue
        types = MEETS[decision.requires_by_law]
        ok, reasons = transfers.meet(facts.flow, types, facts.crossing.target, facts.personal)
        if ok:
            continue
        counted = decision.individuals
        values = {
            "flow": facts.flow,
            "from": facts.crossing.source,
            "to": facts.crossing.target,
            "categories": ", ".join(facts.personal),
            "records": (
                f"{counted:,} individuals counted"
                if counted is not None
                else "an unknown number of individuals"
            ),
            "mechanism": MECHANISM_TEXT[decision.requires_by_law],
            "reasons": "; ".join(decision.basis),
            "regime": decision.regime,
            "present": ("; " + "; ".join(reasons)) if reasons else "; no such approval covers it",
        }
        yield Hit(
            target=f"flows.{facts.flow}",
            message=render(guardrail.message, values, {}, ctx.params),
            at=("flows", facts.flow),
            path=facts.path_for(facts.personal),
        )
