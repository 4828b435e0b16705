"""One run's view of a manifest: resolved parameters, catalogs, the taxonomy's
implications, and element views with derived facts (resolved jurisdiction, launch
date, approvals joined to the components and flows that hold them).

Check kinds read manifests only through this; it knows no guardrail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from steer.analysis.graph import DataFlowGraph
from steer.analysis.lineage import Crossing, Lineage
from steer.analysis.regimes import Regime, RegimeSet, ResolvedRegime, load_regimes, resolve_regime
from steer.analysis.register import RegisterEntry, build_register
from steer.analysis.timelines import (
    TimelineRules,
    assessment_expiry,
    contract_filing_deadline,
    extension_window_start,
)
from steer.analysis.transfers import ASSESSMENT, CONSENT, PIPIA, Transfers
from steer.analysis.workdays import is_working_day
from steer.checks.catalog import nearest
from steer.errors import ManifestError, PackError
from steer.loading.document import JsonPath
from steer.manifest.model import Manifest
from steer.packs.loader import expand_pattern
from steer.packs.model import PackSet
from steer.packs.regex import Regex, compile_regex


@dataclass(frozen=True)
class Element:
    """One thing a guardrail can target, with where it is written."""

    target: str  # e.g. components.owner-db
    at: JsonPath  # its JSON path in the manifest
    view: dict[str, Any]


# The fields element views add to what the manifest declares (components, approvals,
# flows, the manifest itself): messages may name them, and nothing else beyond the
# manifest schema's fields (steer.checks.registry checks placeholders against both;
# tests/checks keep this list equal to what the views hold).
VIEW_FIELDS = frozenset(
    {
        # every element
        "id",
        # components
        "location",
        "launch",
        "approval_ids",
        "approvals",
        "categories",
        "handler",
        "map_coordinate_system",
        "dependency_services",
        # approvals
        "validity_basis",
        "extension_window_start",
        "filing_deadline",
        "expires_effective",
        "expired",
        "active",
        "held_by",
        "relied_on",
        # flows (and crossings)
        "from_component",
        "to_component",
        "transfer",
        "go_live",
    }
)

_INLAND: dict[str, Any] = {"crossing": False}  # shared by inland flow views: read-only


def _parameters_document(packs: PackSet) -> dict[str, Any]:
    """The packs' parameters and regimes as one parsed parameters.yaml would hold them."""
    return {
        "parameters": {
            name: {"default": p.default, "source": p.source or p.description}
            for name, p in packs.parameters.items()
        },
        "regimes": packs.regime_specs,
        "default_regime": packs.default_regime or "auto",
    }


@cache
def regimes_of(packs: PackSet) -> RegimeSet:
    """The packs' regimes, checked (a broken one is a pack error, with its file)."""
    try:
        return load_regimes(_parameters_document(packs))
    except ValueError as exc:
        raise PackError(str(exc), file=_parameters_file(packs)) from None


def _parameters_file(packs: PackSet) -> str | None:
    for pack in reversed(packs.closure):
        if pack.regime_specs:
            return str(pack.root / "parameters.yaml")
    return None


class Context:
    def __init__(self, manifest: Manifest, as_of: str) -> None:
        self.manifest = manifest
        self.packs = manifest.packs
        self.as_of = as_of
        self.home = manifest.packs.home
        self._catalog_sets: dict[tuple[str, tuple[tuple[str, Any], ...]], frozenset[str]] = {}
        self._patterns: dict[str, Regex] = {}
        self._elements: dict[str, list[Element]] = {}

    # -- parameters, catalogs, taxonomy -------------------------------------------
    @cached_property
    def resolved(self) -> ResolvedRegime:
        """The regime the run judges by, and why (``policy.regime``: auto or pinned)."""
        regimes = regimes_of(self.packs)
        try:
            return resolve_regime(self.manifest.regime, dt.date.fromisoformat(self.as_of), regimes)
        except ValueError as exc:  # no regime in force on that date
            raise ManifestError(str(exc), self.manifest.mark(("policy", "regime"))) from None

    @cached_property
    def regime(self) -> Regime:
        """The resolved regime with the manifest's parameter overrides applied."""
        try:
            return self.resolved.regime.with_overrides(self.manifest.parameters)
        except ValueError as exc:
            raise self._parameter_error(exc) from None

    def _parameter_error(self, exc: ValueError) -> ManifestError:
        """A parameter value refused: at the manifest's ``policy.parameters.NAME`` when
        the message names one the manifest sets, else at ``policy.parameters``."""
        text = str(exc)
        path: tuple[str, ...] = ("policy", "parameters")
        for name in self.manifest.parameters:
            if text.startswith(f"policy.parameters.{name}:"):
                path = ("policy", "parameters", name)
                break
        return ManifestError(text, self.manifest.mark(path))

    @cached_property
    def params(self) -> dict[str, Any]:
        """Every pack parameter: its default, the regime's value, the manifest's."""
        out = {name: p.default for name, p in self.packs.parameters.items()}
        out.update(self.resolved.regime.sets)
        out.update(self.manifest.parameters)
        return out

    @cached_property
    def timeline_rules(self) -> TimelineRules:
        try:
            return TimelineRules.from_document(
                _parameters_document(self.packs), self.manifest.parameters
            )
        except ValueError as exc:
            raise self._parameter_error(exc) from None

    @property
    def catalogs(self) -> Mapping[str, dict[str, Any]]:
        return self.packs.catalogs

    def catalog_ids(self, name: str, where: Mapping[str, Any]) -> frozenset[str]:
        key = (name, tuple(sorted(where.items())))
        hit = self._catalog_sets.get(key)
        if hit is None:
            entries = self.catalogs.get(name, {})
            hit = frozenset(
                k
                for k, v in entries.items()
                if all(isinstance(v, dict) and v.get(f) == want for f, want in where.items())
            )
            self._catalog_sets[key] = hit
        return hit

    @cached_property
    def implications(self) -> dict[str, frozenset[str]]:
        """Each category's closure: itself and everything it implies, transitively,
        the organisation's policy (``implies_when``) included."""
        return self._closure(policy=True)

    @cached_property
    def law_implications(self) -> dict[str, frozenset[str]]:
        """The closure by law alone: without what only a policy parameter implies."""
        return self._closure(policy=False)

    def _closure(self, policy: bool) -> dict[str, frozenset[str]]:
        direct: dict[str, set[str]] = {}
        for cat, spec in self.packs.taxonomy.items():
            targets = set(spec.get("implies", []))
            for cond in spec.get("implies_when", []) if policy else ():
                if self.params.get(cond["parameter"]):
                    targets.update(cond["implies"])
            direct[cat] = targets
        closure: dict[str, frozenset[str]] = {}
        for cat in direct:
            seen = {cat}
            stack = [cat]
            while stack:
                for nxt in direct.get(stack.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
            closure[cat] = frozenset(seen)
        return closure

    def policy_parameters(self, category: str, target: str) -> list[str]:
        """The pack parameters (``implies_when``) through which ``category`` implies
        ``target`` only by the organisation's policy, not by law (empty if by law)."""
        if target in self.law_implications.get(category, frozenset((category,))):
            return []
        out = []
        for cat in sorted(self.implications.get(category, frozenset((category,)))):
            for cond in self.packs.taxonomy.get(cat, {}).get("implies_when", []):
                if self.params.get(cond["parameter"]) and cond["parameter"] not in out:
                    out.append(cond["parameter"])
        return out

    def implies(self, category: str, target: str) -> bool:
        return target in self.implications.get(category, (category,))

    def expand(self, categories: Any) -> frozenset[str]:
        out: set[str] = set()
        for c in categories:
            out |= self.implications.get(c, {c})
        return frozenset(out)

    def pattern(self, name: str) -> Regex:
        """A named pattern of the ``patterns`` catalog, compiled for linear-time matching
        (checked when the pack loaded: :func:`steer.packs.loader.expand_pattern`)."""
        hit = self._patterns.get(name)
        if hit is None:
            spec = self.catalogs.get("patterns", {}).get(name)
            if not isinstance(spec, dict):
                raise KeyError(name)
            hit = compile_regex(expand_pattern(str(spec["regex"]), self.catalogs))
            self._patterns[name] = hit
        return hit

    # -- locations --------------------------------------------------------------------
    def region(self, provider: str | None, region: str | None) -> dict[str, Any] | None:
        if not provider or not region:
            return None
        entry = self.catalogs.get("providers", {}).get(provider)
        if not isinstance(entry, dict):
            return None
        found = entry.get("regions", {}).get(region)
        return found if isinstance(found, dict) else None

    def jurisdiction(self, component_id: str) -> str | None:
        view = self.components.get(component_id)
        return view["location"].get("jurisdiction") if view else None

    # -- element views ------------------------------------------------------------------
    @property
    def approvals(self) -> dict[str, dict[str, Any]]:
        return self._views[0]

    @property
    def components(self) -> dict[str, dict[str, Any]]:
        return self._views[1]

    def _approval_views(self) -> dict[str, dict[str, Any]]:
        """Approvals with what follows from the law: an assessment's expiry by its issue
        date (CAC Order 11 art. 14, Order 16 art. 9) and the opening of its extension
        window; a standard contract's filing deadline (Standard Contract Measures art. 7)."""
        rules = self.timeline_rules
        out = {}
        for aid, raw in self.manifest.approvals.items():
            expires = raw.get("expires")
            extra: dict[str, Any] = {}
            if raw.get("type") == ASSESSMENT and raw.get("approved_on"):
                expiry = assessment_expiry(
                    dt.date.fromisoformat(raw["approved_on"]),
                    dt.date.fromisoformat(expires) if expires else None,
                    regimes_of(self.packs),
                )
                expires = expiry.expiry.isoformat()
                extra["validity_basis"] = expiry.basis
                extra["extension_window_start"] = extension_window_start(
                    expiry.expiry, is_working_day, rules
                ).isoformat()
            if raw.get("type") == "standard-contract" and raw.get("effective"):
                deadline = contract_filing_deadline(
                    dt.date.fromisoformat(raw["effective"]), is_working_day, rules
                )
                extra["filing_deadline"] = deadline.isoformat()
            expired = expires is not None and expires < self.as_of
            out[aid] = {
                **raw,
                **extra,
                "id": aid,
                "expires_effective": expires,
                "expired": expired,
                "active": raw.get("status") == "approved" and not expired,
                "held_by": [],
                "relied_on": False,  # set for the approvals that crossings rely on
            }
        return out

    @cached_property
    def register(self) -> list[RegisterEntry]:
        """The transfer register of the run (made once; the JSON report carries it)."""
        return build_register(self.transfers)

    @cached_property
    def _reliance(self) -> bool:
        """Mark the approvals a crossing relies on: those covering a crossing whose
        decision needs them (a mechanism, consent or a PIPIA). Only guardrails about
        approvals read it, so only they pay for the lineage it needs."""
        views = self._views[0]
        for entry in self.register:
            for row in entry.approvals:
                if not row.why.endswith("is not something this crossing needs"):
                    views[row.id]["relied_on"] = True
        return True

    @cached_property
    def _views(self) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        """Approval and component views, built together: each approval knows the
        components that hold it (``held_by``), each component its approvals."""
        approvals = self._approval_views()
        go_live = self.manifest.go_live
        providers = self.catalogs.get("providers", {})
        out = {}
        organisation = self.manifest.section("organisation")
        components = self.manifest.components
        for cid, raw in components.items():
            loc = dict(raw.get("location") or {})
            provider, region = loc.get("provider"), loc.get("region")
            entry = self.region(provider, region)
            catalog_j = entry.get("jurisdiction") if entry else None
            declared = loc.get("jurisdiction")
            loc.update(
                declared_jurisdiction=declared,
                catalog_jurisdiction=catalog_j,
                jurisdiction=declared or catalog_j,
                provider_known=provider in providers if provider else None,
                region_known=(entry is not None) if provider in providers and region else None,
                placement=f"{provider}/{region or ''}" if provider else None,
                on_premises=provider is None,
            )
            if entry is None and region and provider in providers:  # CN-DS-003's message
                regions = providers[provider].get("regions") or {}
                loc.update(region_nearest=nearest(str(region), regions), regions=sorted(regions))
            held = raw.get("data") or []
            view = {
                **raw,
                "id": cid,
                "location": loc,
                "launch": raw.get("launch") or go_live,
                "approval_ids": list(raw.get("approvals") or []),
                "approvals": [approvals[a] for a in raw.get("approvals") or []],
                "categories": sorted(self.expand(d["category"] for d in held)),
                "handler": organisation,  # the data handler's facts (PIPL art. 40)
                "map_coordinate_system": self._map_system(raw.get("maps")),
                "dependency_services": sorted(
                    {
                        str(components[d].get("service"))
                        for d in raw.get("depends_on") or []
                        if components[d].get("service")
                    }
                ),
            }
            out[cid] = view
            for a in raw.get("approvals") or []:
                approvals[a]["held_by"].append(view)
        return approvals, out

    # -- the data-flow graph and what follows from it -------------------------------
    @cached_property
    def graph(self) -> DataFlowGraph:
        return DataFlowGraph.build(self.components, self.manifest.flows, self.home)

    @cached_property
    def lineage(self) -> Lineage:
        manifest = self.manifest
        return Lineage.compute(self.graph, manifest.components, manifest.flows, self.implications)

    @property
    def computed_lineage(self) -> Lineage | None:
        """The lineage if some guardrail needed it (None: no search was run)."""
        return self.__dict__.get("lineage")

    @cached_property
    def transfers(self) -> Transfers:
        manifest = self.manifest
        return Transfers(
            self.lineage,
            flows=manifest.flows,
            components=manifest.components,
            organisation=manifest.section("organisation"),
            regime=self.regime,
            params=self.params,
            implications=self.implications,
            law_implications=self.law_implications,
            umbrellas=frozenset(
                c for c, spec in self.packs.taxonomy.items() if spec.get("umbrella")
            ),
            approvals=self._views[0],
            as_of=self.as_of,
            go_live=manifest.go_live,
        )

    @cached_property
    def flows(self) -> dict[str, dict[str, Any]]:
        """Flow views. ``approvals`` are the approvals that cover the flow (its own and
        those naming its recipient); ``transfer`` says what it carries across the border."""
        return {fid: self._flow_view(fid, raw) for fid, raw in self.manifest.flows.items()}

    @cached_property
    def crossings(self) -> dict[str, dict[str, Any]]:
        """The views of the flows that leave the home jurisdiction, alone: guardrails about
        crossings need not build (or scan) a view of every flow of a large manifest."""
        if "flows" in self.__dict__:
            return {c.flow: self.flows[c.flow] for c in self.transfers.crossings}
        flows = self.manifest.flows
        return {c.flow: self._flow_view(c.flow, flows[c.flow]) for c in self.transfers.crossings}

    @cached_property
    def _crossing_of(self) -> dict[str, Crossing]:
        return {c.flow: c for c in self.transfers.crossings}

    def _flow_view(self, fid: str, raw: dict[str, Any]) -> dict[str, Any]:
        transfers = self.transfers
        found = self._crossing_of.get(fid)
        transfer: dict[str, Any] = _INLAND
        if found is not None:
            home = transfers.facts(found)
            needs = transfers.needs_assessment(home)
            decision = transfers.decisions.get(fid)
            regulated = [*home.personal, *home.important]
            transfer = {
                "crossing": True,
                "categories": list(home.categories),
                "personal": list(home.personal),
                "important": list(home.important),
                "records": home.records,
                "needs_assessment": bool(needs),
                # the assessments that would cover this crossing once approved: right
                # type, naming its recipient and its categories if they name any
                "assessments": transfers.candidates(fid, found.target, regulated, (ASSESSMENT,)),
                "assessment_reasons": needs,
                "path": list(home.path_for(home.important or home.personal or home.categories)),
                # when transfers start: the flow's `since`, else go-live (CN-XB-006)
                "start": raw.get("since") or self.manifest.go_live,
                "requires": decision.requires if decision else "none",
                "requires_by_law": decision.requires_by_law if decision else "none",
                "consent_required": bool(decision and decision.consent_required),
                "pipia_required": bool(decision and decision.pipia_required),
                "exemption": decision.exemption if decision else None,
                # the consent and PIPIA it relies on, approved with a date (CN-XB-006)
                "prerequisites": [
                    a
                    for a in transfers.candidates(fid, found.target, regulated, (CONSENT, PIPIA))
                    if a.get("status") == "approved"
                    and a.get("approved_on")
                    and (
                        (a["type"] == CONSENT and decision and decision.consent_required)
                        or (a["type"] == PIPIA and decision and decision.pipia_required)
                    )
                ],
            }
        comps = self.components
        return {
            **raw,
            "id": fid,
            "from_component": comps[raw["from"]],
            "to_component": comps[raw["to"]],
            "approval_ids": list(raw.get("approvals") or []),
            # what covers a crossing includes approvals naming its recipient; an inland
            # flow's own list is all that can matter
            "approvals": transfers.covering(fid)
            if found is not None
            else [self.approvals[a] for a in raw.get("approvals") or ()],
            "transfer": transfer,
            "go_live": self.manifest.go_live,
            "handler": self.manifest.section("organisation"),
        }

    def _element_list(self, target: str) -> list[Element]:
        cached = self._elements.get(target)
        if cached is None:
            if target == "approvals":
                assert self._reliance
            views: dict[str, dict[str, Any]] = getattr(self, target)
            kind = "flows" if target == "crossings" else target
            cached = [Element(f"{kind}.{key}", (kind, key), view) for key, view in views.items()]
            self._elements[target] = cached
        return cached

    def _map_system(self, maps: Any) -> str | None:
        """The coordinate system a component's map shows: declared, else the provider's."""
        if not isinstance(maps, dict):
            return None
        if maps.get("coordinate_system"):
            return str(maps["coordinate_system"])
        entry = self.catalogs.get("map_providers", {}).get(str(maps.get("provider")))
        return entry.get("coordinate_system") if isinstance(entry, dict) else None

    def elements(self, target: str) -> Iterator[Element]:
        """The elements of a target kind, in manifest order."""
        if target in ("components", "flows", "approvals", "crossings"):
            yield from self._element_list(target)  # crossings: flows that leave home
        elif target == "operations.team":
            for i, member in enumerate(self.manifest.section("operations").get("team") or []):
                yield Element("operations", ("operations", "team", i), member)
        elif target in ("operations", "organisation", "programme"):
            yield Element(target, (target,), dict(self.manifest.section(target)))
        elif target == "manifest":
            yield Element("manifest", (), {**self.manifest.data, "go_live": self.manifest.go_live})
        else:  # pragma: no cover - guarded by the kinds' schemas
            raise ValueError(target)
