"""``transfer``: every crossing that carries regulated data out of the home
jurisdiction is covered by approvals of the required types.

Parameters::

    categories: [personal]        # regulated categories (a carried category that is, or
                                  # implies, one of these is regulated)
    subjects: CN | any            # whose data (default: the home subjects, the pack's home)
    mechanisms: [replication, backup]   # optional: only crossings by these flow mechanisms
    require:                      # each must be met by an approval covering the crossing
      - mechanism: regime         # the mechanism the crossing's decision requires (see
                                  # ``volume``): an assessment, or a standard contract /
                                  # certification (an assessment also satisfies), or none
      - types: [separate-consent]
        label: separate consent (PIPL art. 39)   # optional, for messages
        when: consent_required    # optional: only if the crossing's decision requires it
                                  # (consent_required, pipia_required)

An approval covers a crossing when the flow lists it or it names the flow's target
in ``recipients``; it meets a requirement when it is of a required type, approved,
unexpired, and (when it declares them) covers the recipient and every regulated
category carried. A crossing whose flow declares an exemption the regime honours
needs no mechanism. One finding per crossing that misses anything: its target is
the crossing flow, its path the components from the data's origin to the far side,
and its message names the categories, the yearly volume, what is missing and why
the approvals present do not count.

The law, or the organisation's policy: a crossing whose regulated categories are
regulated only through what the policy implies (``implies_when`` of the taxonomy:
the annex's telematics as important data) is judged all the same, but its finding's
authority is ``policy`` and the message says so (``{authority_note}``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from steer.analysis.transfers import MECHANISM_TEXT, MEETS, label
from steer.checks.context import Context
from steer.checks.kinds.common import with_defs
from steer.checks.template import render
from steer.packs.model import Guardrail, Parameter
from steer.results.findings import Hit

NAME = "transfer"
# what its messages may name: the facts it reports, and (VIEWS) the facts alone (no element view)
FACTS = frozenset(
    {
        "flow",
        "from",
        "to",
        "to_jurisdiction",
        "categories",
        "subjects",
        "records",
        "missing",
        "why",
        "required",
        "regime",
        "authority_note",
    }
)
VIEWS = False

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
                                "when": {"enum": ["consent_required", "pipia_required"]},
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
    law = ctx.law_implications
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
        by_law = [c for c in regulated if not wanted.isdisjoint(law.get(c, (c,)))]
        decision = transfers.decisions.get(crossing.flow)
        missing: list[str] = []
        why: list[str] = []
        for req in compiled.require:
            if "mechanism" in req:
                if decision is None or decision.requires == "none":
                    continue
                types = MEETS[decision.requires]
                name = (
                    label(types[0])
                    if decision.requires == "cac-security-assessment"
                    else "standard contract or PI certification"
                )
            else:
                when = req.get("when")
                if when and not (decision is not None and getattr(decision, when)):
                    continue
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
            "required": MECHANISM_TEXT[decision.requires] if decision else "no mechanism",
            "regime": decision.regime if decision else ctx.resolved.name,
            "authority_note": "" if by_law else _policy_note(ctx, regulated, wanted),
        }
        yield Hit(
            target=f"flows.{crossing.flow}",
            message=render(guardrail.message, values, {}, ctx.params),
            at=("flows", crossing.flow),
            path=facts.path_for(regulated),
            authority=None if by_law else "policy",
        )


def _policy_note(ctx: Context, regulated: list[str], wanted: frozenset[str]) -> str:
    """Why a finding is the organisation's policy: the parameters that make it so."""
    params = sorted(
        {p for c in regulated for target in wanted for p in ctx.policy_parameters(c, target)}
    )
    which = ", ".join(params) or "a pack parameter"
    return (
        f" (the organisation's policy, not the law: {', '.join(regulated)} is regulated here "
        f"only because the pack parameter {which}, the annex's decision, makes it so; by law "
        "only data an authority has identified is important data, CAC Order 16 art. 2)"
    )
