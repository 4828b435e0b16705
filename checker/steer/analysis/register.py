"""The transfer register (cli.md): one entry per crossing that carries the home
subjects' personal information or anyone's important data, with the decision the law
makes for it (:mod:`steer.analysis.transfers`), each covering approval and whether it
counts, and what is still missing. The annex's "cross-border data flow model", in
words: what crosses, through which channel, under which approvals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from steer.analysis.decision import NONE as REQUIRES_NONE
from steer.analysis.decision import CrossingDecision
from steer.analysis.lineage import Crossing
from steer.analysis.transfers import (
    CONSENT,
    MECHANISM_TEXT,
    MEETS,
    PIPIA,
    Transfers,
    a_or_an,
    label,
)


@dataclass(frozen=True)
class RegisterApproval:
    """An approval that covers a crossing, and whether it counts for it."""

    id: str
    type: str
    counts: bool
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "counts": self.counts, "why": self.why}


@dataclass(frozen=True)
class RegisterEntry:
    """One crossing of the transfer register (cli.md): the decision and its coverage."""

    flow: str
    source: str
    target: str
    destination: str | None
    path: tuple[str, ...]
    categories: tuple[str, ...]
    individuals: int | None
    requires: str  # the law's mechanism
    requires_by_policy: str | None  # the organisation's stricter one, if any
    consent_required: bool
    pipia_required: bool
    exemption: str | None
    exemption_refused: str | None
    basis: tuple[str, ...]
    approvals: tuple[RegisterApproval, ...]
    covered: bool
    missing: tuple[str, ...]  # what the approvals present do not meet

    def to_json(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "from": self.source,
            "to": self.target,
            "destination": self.destination,
            "path": list(self.path),
            "categories": list(self.categories),
            "individuals": self.individuals,
            "requires": self.requires,
            "requires_by_policy": self.requires_by_policy,
            "consent_required": self.consent_required,
            "pipia_required": self.pipia_required,
            "exemption": self.exemption,
            "exemption_refused": self.exemption_refused,
            "basis": list(self.basis),
            "approvals": [a.to_json() for a in self.approvals],
            "covered": self.covered,
            "missing": list(self.missing),
        }


def build_register(transfers: Transfers) -> list[RegisterEntry]:
    """Every regulated crossing with its decision and coverage, sorted by flow."""
    out = []
    for crossing in sorted(transfers.crossings, key=lambda c: c.flow):
        decision = transfers.decisions.get(crossing.flow)
        if decision is None:
            continue
        out.append(_entry(transfers, crossing, decision))
    return out


def _entry(self: Transfers, crossing: Crossing, d: CrossingDecision) -> RegisterEntry:
    home = self.facts(crossing)
    anyone = self.facts(crossing, None)
    categories = tuple(sorted({*home.personal, *anyone.important}))
    needs: list[tuple[str, tuple[str, ...]]] = []  # (what, approval types that meet it)
    if d.requires != REQUIRES_NONE:
        needs.append((MECHANISM_TEXT[d.requires], MEETS[d.requires]))
    if d.consent_required:
        needs.append((label(CONSENT), (CONSENT,)))
    if d.pipia_required:
        needs.append((label(PIPIA), (PIPIA,)))
    useful = {t for _, types in needs for t in types}
    rows = []
    for approval in self.covering(crossing.flow):
        kind = str(approval.get("type"))
        if kind not in useful:
            why = f"{a_or_an(label(kind))} is not something this crossing needs"
            rows.append(RegisterApproval(approval["id"], kind, False, why))
            continue
        reason = self.why_not(approval, (kind,), crossing.target, categories)
        approved = approval.get("approved_on")
        ok = f"approved {approved}" if approved else "approved"
        rows.append(RegisterApproval(approval["id"], kind, reason is None, reason or ok))
    missing = tuple(
        what
        for what, types in needs
        if not self.meet(crossing.flow, types, crossing.target, categories)[0]
    )
    return RegisterEntry(
        flow=crossing.flow,
        source=crossing.source,
        target=crossing.target,
        destination=self.lineage.graph.jurisdiction(crossing.target),
        path=home.path_for(categories),
        categories=categories,
        individuals=d.individuals,
        requires=d.requires_by_law,
        requires_by_policy=d.requires if d.requires != d.requires_by_law else None,
        consent_required=d.consent_required,
        pipia_required=d.pipia_required,
        exemption=d.exemption,
        exemption_refused=d.exemption_refused,
        basis=tuple(b for b in (*d.basis, d.consent_basis, d.pipia_basis) if b is not None),
        approvals=tuple(rows),
        covered=not missing,
        missing=missing,
    )
