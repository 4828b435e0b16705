"""The law of a run's crossings: what regulated data each crossing carries, the one
decision the law makes for it (:mod:`steer.analysis.decision`), and whether the
approvals that cover it meet that decision (or, if not, why each present one does
not count). Every guardrail, report and the transfer register read the same
decisions, made once per run.

A crossing's facts come from the lineage: the categories of the home jurisdiction's
subjects it carries (personal, sensitive, important by law, important only by the
organisation's policy), its ``records_per_year``, and the holdings its regulated
data starts from. A holding is the largest origin with a stated count whose data
reaches the flow (a channel that collects without a count feeds a holding
downstream); its individuals are the most ``records`` the component declares for
regulated data, or unknown when no origin states one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from steer.analysis.counting import CrossingInput, Handler, Holding
from steer.analysis.decision import ASSESSMENT as REQUIRES_ASSESSMENT
from steer.analysis.decision import CONTRACT as REQUIRES_CONTRACT
from steer.analysis.decision import NONE as REQUIRES_NONE
from steer.analysis.decision import CrossingDecision, decide
from steer.analysis.lineage import Crossing, Lineage, Token
from steer.analysis.regimes import Regime

ASSESSMENT = "cac-security-assessment"
CONTRACT_TYPES = ("standard-contract", "pi-certification")
CONSENT = "separate-consent"
PIPIA = "pipia"
# Transfer mechanisms (and the assessment most often taken for one): an approval of one
# of these covering a flow that needs another is explained ("a standard contract, not a
# CAC security assessment"), where an unrelated approval (consent, ICP) is not.
MECHANISM_TYPES = frozenset({ASSESSMENT, *CONTRACT_TYPES, "important-data-assessment"})
LABELS = {
    "cac-security-assessment": "CAC security assessment",
    "standard-contract": "standard contract",
    "pi-certification": "PI protection certification",
    "separate-consent": "separate consent (PIPL art. 39)",
    "pipia": "PIPIA (PIPL art. 55)",
    "important-data-assessment": "important-data assessment",
}
# The approval types that meet each decision (a security assessment also satisfies a
# crossing that needs only a standard contract or certification: guardrails.md).
MEETS = {
    REQUIRES_ASSESSMENT: (ASSESSMENT,),
    REQUIRES_CONTRACT: (*CONTRACT_TYPES, ASSESSMENT),
    REQUIRES_NONE: (),
}
_UNSET: Any = object()
# The classes the law speaks of; every other category is a kind or a part of data.
LEGAL_CLASSES = frozenset({"personal", "sensitive-personal", "important"})
MECHANISM_TEXT = {
    REQUIRES_ASSESSMENT: "a CAC security assessment",
    REQUIRES_CONTRACT: "a standard contract or PI certification (or a CAC security assessment)",
    REQUIRES_NONE: "no transfer mechanism",
}


def label(kind: str) -> str:
    return LABELS.get(kind, kind)


def fmt(n: int) -> str:
    return f"{n:,}"


def a_or_an(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


@dataclass(frozen=True)
class CrossingFacts:
    """One crossing seen through the law: the regulated categories it carries."""

    crossing: Crossing
    categories: tuple[str, ...]  # carried categories of the judged subjects, as declared
    personal: tuple[str, ...]
    sensitive: tuple[str, ...]
    important: tuple[str, ...]  # important by law or by the organisation's policy
    important_by_law: tuple[str, ...]
    records: int | None
    records_note: str
    exemption: str | None  # the exemption the decision honours
    _path_for: dict[tuple[str, ...], tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def flow(self) -> str:
        return self.crossing.flow

    def path_for(self, wanted: Iterable[str]) -> tuple[str, ...]:
        """The shortest witness path of the carried tokens in ``wanted`` (ties: the
        first token in sorted order), so the path does not depend on which category
        happens to be named first."""
        key = wanted if type(wanted) is tuple else tuple(wanted)
        hit = self._path_for.get(key)
        if hit is None:
            want = set(key)
            path = self.crossing.path
            tokens = [t for t in self.crossing.tokens if t[0] in want] or list(self.crossing.tokens)
            hit = self._path_for[key] = path(min(tokens, key=lambda t: (len(path(t)), t)))
        return hit


class Transfers:
    """Cross-border analysis for one run: facts, decisions, coverage, the register."""

    def __init__(
        self,
        lineage: Lineage,
        *,
        flows: Mapping[str, Mapping[str, Any]],
        components: Mapping[str, Mapping[str, Any]],
        organisation: Mapping[str, Any],
        regime: Regime,
        params: Mapping[str, Any],
        implications: Mapping[str, frozenset[str]],
        law_implications: Mapping[str, frozenset[str]],
        umbrellas: frozenset[str],
        approvals: Mapping[str, dict[str, Any]],
        as_of: str,
        go_live: str | None,
    ) -> None:
        """``regime`` is the one in force for the run, with the manifest's parameter
        overrides; ``approvals`` the run's approval views (with ``expired``);
        ``implications`` each category's closure, ``law_implications`` the same without
        what only the organisation's policy implies (telematics as important data)."""
        self.lineage = lineage
        self.home = lineage.graph.home
        self.crossings = lineage.crossings()
        self.flows = flows
        self.components = components
        self.organisation = organisation
        self.regime = regime
        self.params = params
        self.implications = implications
        self.law_implications = law_implications
        self.umbrellas = umbrellas
        self.approvals = approvals
        self.as_of = as_of
        self.go_live = go_live
        self._covering: dict[str, list[dict[str, Any]]] = {}
        self._facts: dict[tuple[str, str | None], CrossingFacts] = {}
        self._kinds: dict[str, tuple[bool, bool, bool, bool]] = {}
        self._sizes: dict[str, Any] = {}

    def cats(self, category: str) -> frozenset[str]:
        return self.implications.get(category, frozenset((category,)))

    def covers(self, covered: Iterable[str], category: str) -> bool:
        """Whether an approval naming ``covered`` covers a carried ``category``: it names
        it; or it names a legal class the category belongs to (personal covers
        sensitive personal information and location tracks); or it names a category
        of which this one is a part (telematics covers its location tracks). A class
        does not cover an umbrella (telematics is more than personal information), and
        a part or an umbrella does not cover a class (an assessment of telematics does
        not cover the CRM's personal information)."""
        named = set(covered)
        if category in named:
            return True
        for k in named:
            if k in LEGAL_CLASSES:
                if category not in self.umbrellas and k in self.cats(category):
                    return True
            elif category not in LEGAL_CLASSES and category in self.cats(k):
                return True
        return False

    def kind(self, category: str) -> tuple[bool, bool, bool, bool]:
        """Whether a category is personal, sensitive, important, important by law."""
        hit = self._kinds.get(category)
        if hit is None:
            cats = self.cats(category)
            law = self.law_implications.get(category, frozenset((category,)))
            hit = (
                "personal" in cats,
                "sensitive-personal" in cats,
                "important" in cats,
                "important" in law,
            )
            self._kinds[category] = hit
        return hit

    def facts(self, crossing: Crossing, subjects: str | None = "") -> CrossingFacts:
        """The crossing seen through the law for ``subjects`` (default: the home
        jurisdiction's data subjects; None: everyone's)."""
        if subjects == "":
            subjects = self.home
        key = (crossing.flow, subjects)
        hit = self._facts.get(key)
        if hit is None:
            hit = self._facts[key] = self._make_facts(crossing, subjects)
        return hit

    def _make_facts(self, crossing: Crossing, subjects: str | None) -> CrossingFacts:
        flow = self.flows[crossing.flow]
        tokens = [t for t in crossing.tokens if subjects is None or t[1] == subjects]
        cats = sorted({t[0] for t in tokens})
        kinds = [(c, self.kind(c)) for c in cats]
        records, note = self._records(crossing, flow, tokens)
        decision = self.decisions.get(crossing.flow)
        return CrossingFacts(
            crossing,
            tuple(cats),
            tuple(c for c, k in kinds if k[0]),
            tuple(c for c, k in kinds if k[1]),
            tuple(c for c, k in kinds if k[2]),
            tuple(c for c, k in kinds if k[3]),
            records,
            note,
            decision.exemption if decision is not None else None,
        )

    def _records(
        self, crossing: Crossing, flow: Mapping[str, Any], tokens: list[Token]
    ) -> tuple[int | None, str]:
        if isinstance(flow.get("records_per_year"), int):
            return flow["records_per_year"], ""
        # The most records held at any origin of the regulated data carried (of all
        # of it, if none is regulated); unknown if any of those origins states none,
        # so that removing a flow never raises the volume.
        volumes = self.lineage.volume_of(crossing.flow)
        regulated = [t for t in tokens if self.kind(t[0])[0] or self.kind(t[0])[2]] or tokens
        values = [volumes.get(t) for t in regulated]
        if values and None not in values:
            best = max(v for v in values if v is not None)
            return best, f" (no records_per_year; the {fmt(best)} records held at the origin)"
        return None, (
            " (volume unknown: no records_per_year, and an origin of the data states no records)"
        )

    # -- the decisions ---------------------------------------------------------------
    def _input(self, crossing: Crossing) -> CrossingInput | None:
        """What the decision needs of a crossing that carries the home subjects'
        personal information or anyone's important data (else None: not regulated)."""
        flow = self.flows[crossing.flow]
        home = self.home
        non_sensitive = sensitive = by_law = by_policy = False
        regulated: list[Token] = []
        for token in crossing.tokens:
            personal, is_sensitive, important, important_law = self.kind(token[0])
            if personal and token[1] == home:
                regulated.append(token)
                if is_sensitive:
                    sensitive = True
                if not is_sensitive or self.has_non_sensitive_part(token[0]):
                    non_sensitive = True
            if important:
                regulated.append(token)
                by_law = by_law or important_law
                by_policy = by_policy or not important_law
        if not regulated:
            return None
        # the holding each regulated category is counted from: the largest origin with a
        # stated count whose data reaches the flow (a collecting channel without one
        # feeds a holding downstream, which bounds the individuals)
        counted = self.lineage.holding_origins_of(crossing.flow)
        # reached by no origin that states a count: its witness origin, of unknown size
        origins = sorted({counted.get(t) or crossing.path(t)[0] for t in regulated})
        holdings = tuple(Holding(o, self.holding_size(o)) for o in origins)
        since = flow.get("since") or self.go_live or self.as_of
        return CrossingInput(
            flow=crossing.flow,
            since=dt.date.fromisoformat(since),
            holdings=holdings,
            records_per_year=flow.get("records_per_year"),
            carries_non_sensitive_personal=non_sensitive,
            carries_sensitive=sensitive,
            carries_important_by_law=by_law,
            carries_important_by_policy=by_policy and not by_law,
            exemption=flow.get("exemption"),
        )

    def has_non_sensitive_part(self, category: str) -> bool:
        """An umbrella (telematics) carries each of its parts: driving behaviour is
        personal information that is not sensitive, location tracks are sensitive."""
        if category not in self.umbrellas:
            return False
        for part in self.cats(category) - {category}:
            personal, sensitive, _, _ = self.kind(part)
            if personal and not sensitive and part not in LEGAL_CLASSES:
                return True
        return False

    def holding_size(self, component: str) -> int | None:
        """The individuals a holding holds: the most ``records`` among the regulated
        data the component declares (the same people hold several categories); None
        when one of them states none, or it declares none (a collecting channel)."""
        hit = self._sizes.get(component, _UNSET)
        if hit is _UNSET:
            sizes = []
            for item in self.components[component].get("data") or []:
                personal, _, important, _ = self.kind(item["category"])
                if not (personal or important):
                    continue
                sizes.append(item.get("records"))
            hit = max(sizes) if sizes and None not in sizes else None
            self._sizes[component] = hit
        return hit

    @cached_property
    def inputs(self) -> list[CrossingInput]:
        """What the decision reads of each regulated crossing."""
        return [i for i in map(self._input, self.crossings) if i is not None]

    @cached_property
    def decisions(self) -> dict[str, CrossingDecision]:
        """One decision per regulated crossing, by flow, made once for the run."""
        return self.decisions_under(self.regime)

    def decisions_under(self, regime: Regime) -> dict[str, CrossingDecision]:
        """The decisions another regime would make (what pinning a regime changes)."""
        org = self.organisation
        subjects = org.get("pi_subjects")
        handler = Handler(
            ciio=bool(org.get("ciio")), pi_subjects=subjects if isinstance(subjects, int) else None
        )
        return decide(self.inputs, handler, regime, dt.date.fromisoformat(self.as_of))

    def required_types(self, flow: str, by_law: bool = True) -> tuple[str, ...]:
        """The approval types that meet the mechanism a crossing needs (empty: none)."""
        decision = self.decisions.get(flow)
        if decision is None:
            return ()
        return MEETS[decision.requires_by_law if by_law else decision.requires]

    @cached_property
    def personal(self) -> list[CrossingFacts]:
        """Crossings that carry personal information of home subjects."""
        out = [self.facts(c) for c in self.crossings]
        return [f for f in out if f.personal]

    # -- approvals -------------------------------------------------------------------
    @cached_property
    def _by_recipient(self) -> dict[str, list[dict[str, Any]]]:
        """Recipient -> the approvals naming it, by id: a report never follows the order
        of the manifest's keys."""
        index: dict[str, list[dict[str, Any]]] = {}
        for _, view in sorted(self.approvals.items()):
            for recipient in view.get("recipients") or []:
                index.setdefault(recipient, []).append(view)
        return index

    def covering(self, flow_id: str) -> list[dict[str, Any]]:
        """Approvals that cover a flow: its own, and those naming its recipient."""
        hit = self._covering.get(flow_id)
        if hit is None:
            flow = self.flows[flow_id]
            approvals = self.approvals
            own = list(flow.get("approvals") or [])
            hit = [approvals[a] for a in own]
            hit.extend(v for v in self._by_recipient.get(flow["to"], ()) if v["id"] not in own)
            self._covering[flow_id] = hit
        return hit

    def why_not(
        self,
        approval: Mapping[str, Any],
        types: Iterable[str],
        target: str,
        categories: Iterable[str],
    ) -> str | None:
        """None if ``approval`` meets the requirement, else why it does not count."""
        aid = approval["id"]
        types = tuple(types)
        if approval.get("type") not in types:
            wanted = " or ".join(a_or_an(label(t)) for t in types)
            return f"{aid} is {a_or_an(label(approval['type']))}, not {wanted}"
        status = approval.get("status")
        if status != "approved":
            return f"{aid} is {status}, not approved"
        approved_on = approval.get("approved_on")
        if approved_on and approved_on > self.as_of:
            return f"{aid} is approved only from {approved_on}"
        if approval.get("expired"):
            return f"{aid} expired on {approval.get('expires_effective')}"
        recipients = approval.get("recipients")
        if recipients and target not in recipients:
            return f"{aid} covers recipients {', '.join(recipients)}, not {target}"
        covered = approval.get("data")
        if covered:
            missing = [c for c in categories if not self.covers(covered, c)]
            if missing:
                return f"{aid} covers {', '.join(covered)}, not {', '.join(missing)}"
        return None

    def candidates(
        self, flow_id: str, target: str, categories: Iterable[str], kinds: Iterable[str]
    ) -> list[dict[str, Any]]:
        """Covering approvals of ``kinds`` that name the recipient and the categories
        (when they name any), whatever their status: what a timeline judges."""
        categories = tuple(categories)
        wanted = frozenset(kinds)
        out = []
        for approval in self.covering(flow_id):
            if approval.get("type") not in wanted:
                continue
            recipients = approval.get("recipients")
            if recipients and target not in recipients:
                continue
            covered = approval.get("data")
            if covered and any(not self.covers(covered, c) for c in categories):
                continue
            out.append(approval)
        return out

    def meet(
        self, flow_id: str, types: Iterable[str], target: str, categories: Iterable[str]
    ) -> tuple[bool, list[str]]:
        """Whether some covering approval meets the requirement; else the reasons,
        including why a covering approval of another transfer mechanism does not count
        (a standard contract where an assessment is required)."""
        types = tuple(types)
        categories = tuple(categories)
        reasons = []
        wants_mechanism = bool(MECHANISM_TYPES.intersection(types))
        for approval in self.covering(flow_id):
            if approval.get("type") not in types:
                if wants_mechanism and approval.get("type") in MECHANISM_TYPES:
                    reasons.append(self.why_not(approval, types, target, categories) or "")
                continue
            why = self.why_not(approval, types, target, categories)
            if why is None:
                return True, []
            reasons.append(why)
        return False, reasons

    def needs_assessment(self, f: CrossingFacts) -> list[str]:
        """Why a crossing needs a CAC security assessment, by law or by the
        organisation's policy (empty if it does not)."""
        decision = self.decisions.get(f.flow)
        if decision is None or decision.requires != REQUIRES_ASSESSMENT:
            return []
        return list(decision.basis[:1]) or ["the decision requires one (CN-XB-002)"]
