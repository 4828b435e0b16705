"""The law of a crossing: which regulated data a cross-border flow carries, how
many individuals' records cross a year, which transfer mechanism the regime
requires and why, and whether the approvals that cover a flow meet a requirement
(or, if not, why each present one does not count).

Volumes are summed over crossing flows by category. The same individuals sent on
two flows count twice: a conservative upper bound, as the CAC forbids splitting a
volume to stay under a threshold. A crossing with no ``records_per_year`` counts
the records of its origin; with neither, the volume is unknown and the decision
assumes the thresholds are met, and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from steer.analysis.lineage import Crossing, Lineage, Token

ASSESSMENT = "cac-security-assessment"
CONTRACT_TYPES = ("standard-contract", "pi-certification")
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


def label(kind: str) -> str:
    return LABELS.get(kind, kind)


def fmt(n: int) -> str:
    return f"{n:,}"


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


@dataclass(frozen=True)
class CrossingFacts:
    """One crossing seen through the law: the regulated categories it carries."""

    crossing: Crossing
    categories: tuple[str, ...]  # carried categories of the judged subjects, as declared
    personal: tuple[str, ...]
    sensitive: tuple[str, ...]
    important: tuple[str, ...]
    records: int | None
    records_note: str
    exemption: str | None  # an exemption the regime honours
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


@dataclass(frozen=True)
class Decision:
    mechanism: str  # "assessment" | "contract" | "none"
    reasons: tuple[str, ...]
    personal_total: int
    sensitive_total: int
    unknown: tuple[str, ...]  # crossings whose volume is unknown

    @property
    def required_types(self) -> tuple[str, ...]:
        if self.mechanism == "assessment":
            return (ASSESSMENT,)
        if self.mechanism == "contract":
            return (*CONTRACT_TYPES, ASSESSMENT)
        return ()

    def short(self) -> str:
        """The mechanism without the reasons (CN-XB-002 gives those)."""
        return {
            "assessment": "a CAC security assessment",
            "contract": "a standard contract or PI certification (or a security assessment)",
            "none": "no transfer mechanism",
        }[self.mechanism]

    def describe(self) -> str:
        what = {
            "assessment": "a CAC security assessment",
            "contract": "a standard contract or PI certification (or a security assessment)",
            "none": "no transfer mechanism",
        }[self.mechanism]
        return f"{what}, because " + "; ".join(self.reasons)


class Transfers:
    """Cross-border analysis for one run (cached on the context)."""

    def __init__(
        self,
        lineage: Lineage,
        *,
        flows: Mapping[str, Mapping[str, Any]],
        organisation: Mapping[str, Any],
        regime: str | None,
        params: Mapping[str, Any],
        implications: Mapping[str, frozenset[str]],
        approvals: Mapping[str, dict[str, Any]],
        as_of: str,
    ) -> None:
        """``approvals`` are the run's approval views (with ``expired``); ``params`` the
        pack parameters in force; ``implications`` each category's closure."""
        self.lineage = lineage
        self.home = lineage.graph.home
        self.crossings = lineage.crossings()
        self.flows = flows
        self.organisation = organisation
        self.regime = regime
        self.params = params
        self.implications = implications
        self.approvals = approvals
        self.as_of = as_of
        self._covering: dict[str, list[dict[str, Any]]] = {}
        self._facts: dict[tuple[str, str | None], CrossingFacts] = {}
        self._kinds: dict[str, tuple[bool, bool, bool]] = {}

    def cats(self, category: str) -> frozenset[str]:
        return self.implications.get(category, frozenset((category,)))

    def kind(self, category: str) -> tuple[bool, bool, bool]:
        """Whether a category is personal, sensitive personal, important."""
        hit = self._kinds.get(category)
        if hit is None:
            cats = self.cats(category)
            hit = ("personal" in cats, "sensitive-personal" in cats, "important" in cats)
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
        personal = tuple(c for c, k in kinds if k[0])
        sensitive = tuple(c for c, k in kinds if k[1])
        important = tuple(c for c, k in kinds if k[2])
        records, note = self._records(crossing, flow, tokens)
        exemption = flow.get("exemption") if self.params.get("exemptions_apply") else None
        return CrossingFacts(
            crossing, tuple(cats), personal, sensitive, important, records, note, exemption
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
        kinds = [(t, self.kind(t[0])) for t in tokens]
        regulated = [t for t, (personal, _, important) in kinds if personal or important] or tokens
        values = [volumes.get(t) for t in regulated]
        if values and None not in values:
            best = max(v for v in values if v is not None)
            return best, f" (no records_per_year; the {fmt(best)} records held at the origin)"
        return None, (
            " (volume unknown: no records_per_year, and an origin of the data states no records)"
        )

    @cached_property
    def personal(self) -> list[CrossingFacts]:
        """Crossings that carry personal information of home subjects."""
        out = [self.facts(c) for c in self.crossings]
        return [f for f in out if f.personal]

    @cached_property
    def decision(self) -> Decision:
        p = self.params
        org = self.organisation
        counted = [f for f in self.personal if f.exemption is None]
        unknown = tuple(sorted(f.flow for f in counted if f.records is None))
        excludes = bool(p.get("personal_count_excludes_sensitive"))
        personal_total = sum(
            f.records or 0 for f in counted if not excludes or set(f.personal) - set(f.sensitive)
        )
        sensitive_total = sum(f.records or 0 for f in counted if f.sensitive)
        inclusive = bool(p.get("thresholds_inclusive", True))

        def meets(value: int, threshold: int) -> bool:
            return value >= threshold if inclusive else value > threshold

        sign = "≥" if inclusive else ">"
        reasons: list[str] = []
        if org.get("ciio"):
            reasons.append("the handler is a critical information infrastructure operator (CIIO)")
        handler = int(p.get("handler_threshold") or 0)
        subjects = org.get("pi_subjects")
        if handler and isinstance(subjects, int) and subjects >= handler and counted:
            reasons.append(
                f"the handler processes personal information of {fmt(subjects)} individuals "
                f"(≥ {fmt(handler)})"
            )
        personal_limit = int(p["assessment_personal_threshold"])
        sensitive_limit = int(p["assessment_sensitive_threshold"])
        kind = "non-sensitive personal" if excludes else "personal"
        if counted and meets(personal_total, personal_limit):
            reasons.append(
                f"{fmt(personal_total)} individuals' {kind} information crosses a year "
                f"({sign} {fmt(personal_limit)})"
            )
        if counted and sensitive_total and meets(sensitive_total, sensitive_limit):
            reasons.append(
                f"{fmt(sensitive_total)} individuals' sensitive personal information crosses a "
                f"year ({sign} {fmt(sensitive_limit)})"
            )
        if unknown:
            more = f" and {len(unknown) - 3:,} more" if len(unknown) > 3 else ""
            named = ", ".join(unknown[:3]) + more
            reasons.append(f"the volume of {named} is unknown, so the thresholds are taken as met")
        regime = self.regime or "the pack's defaults"
        if reasons:
            return Decision("assessment", tuple(reasons), personal_total, sensitive_total, unknown)
        contract_limit = int(p.get("contract_personal_threshold") or 0)
        if not counted:
            why = (
                f"every crossing of personal information declares an exemption {regime} honours"
                if self.personal
                else "no personal information crosses"
            )
            return Decision("none", (why,), 0, 0, unknown)
        if contract_limit:
            if personal_total >= contract_limit or sensitive_total:
                why = (
                    f"{fmt(personal_total)} individuals' {kind} information crosses a year "
                    f"(≥ {fmt(contract_limit)}, not {sign} {fmt(personal_limit)})"
                    if personal_total >= contract_limit
                    else f"{fmt(sensitive_total)} individuals' sensitive personal information "
                    f"crosses a year (not {sign} {fmt(sensitive_limit)})"
                )
                because = (why + f" under {regime}",)
                return Decision("contract", because, personal_total, sensitive_total, unknown)
            return Decision(
                "none",
                (
                    f"{fmt(personal_total)} individuals' {kind} information a year is under "
                    f"{fmt(contract_limit)} and no sensitive information crosses (exempt under "
                    f"{regime})",
                ),
                personal_total,
                sensitive_total,
                unknown,
            )
        return Decision(
            "contract",
            (
                f"{fmt(personal_total)} individuals' personal information a year is under the "
                f"assessment thresholds of {regime} ({sign} {fmt(personal_limit)} personal or "
                f"{sign} {fmt(sensitive_limit)} sensitive)",
            ),
            personal_total,
            sensitive_total,
            unknown,
        )

    # -- approvals -------------------------------------------------------------------
    @cached_property
    def _by_recipient(self) -> dict[str, list[dict[str, Any]]]:
        index: dict[str, list[dict[str, Any]]] = {}
        for view in self.approvals.values():
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
            wanted = " or ".join(_a(label(t)) for t in types)
            return f"{aid} is {_a(label(approval['type']))}, not {wanted}"
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
            missing = [c for c in categories if not (self.cats(c) & set(covered))]
            if missing:
                return f"{aid} covers {', '.join(covered)}, not {', '.join(missing)}"
        return None

    def candidates(
        self, flow_id: str, target: str, categories: Iterable[str], kind: str = ASSESSMENT
    ) -> list[dict[str, Any]]:
        """Covering approvals of ``kind`` that name the recipient and the categories (when
        they name any), whatever their status: what a timeline judges."""
        categories = tuple(categories)
        out = []
        for approval in self.covering(flow_id):
            if approval.get("type") != kind:
                continue
            recipients = approval.get("recipients")
            if recipients and target not in recipients:
                continue
            covered = approval.get("data")
            if covered and any(not (self.cats(c) & set(covered)) for c in categories):
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
        """Why a crossing needs a CAC security assessment (empty if it does not)."""
        why = []
        # Important data needs the assessment whoever it is about (as CN-XB-003 judges it).
        important = self.facts(f.crossing, None).important
        if important:
            why.append(f"it carries important data ({', '.join(important)})")
        if f.personal and f.exemption is None and self.decision.mechanism == "assessment":
            why.append(
                "the volume or the handler requires one for personal information (CN-XB-002)"
            )
        flow = self.flows[f.flow]
        if f.personal and flow.get("mechanism") in ("replication", "backup"):
            why.append(f"it is a {flow['mechanism']} of personal information abroad")
        return why


def add_years(day: str, years: int) -> str:
    d = dt.date.fromisoformat(day)
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).isoformat()
