"""The pack model: guardrails, parameters, regimes, taxonomy and catalogs, as loaded
(:mod:`steer.packs.loader`) and merged for one run (:class:`PackSet`). Plain data:
nothing here reads a file or knows a check kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from steer.errors import Mark
from steer.loading.document import Document
from steer.loading.validate import Schema


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    schema: Schema
    default: Any
    pack: str
    source: str = ""  # the law or document it comes from


@dataclass(frozen=True, eq=False)  # identity: compiled checks are cached per guardrail
class Guardrail:
    id: str
    title: str
    category: str
    status: str
    enforcement: str
    severity: str
    sources: tuple[str, ...]
    rationale: str
    remediation: str
    message: str
    check: dict[str, Any]
    parameters: tuple[str, ...]
    pack: str
    file: Path
    doc: Document = field(repr=False)
    authority: str = "policy"  # law | policy; a guardrail that does not say is policy

    @property
    def kind(self) -> str:
        return str(self.check["kind"])

    def mark(self, *path: str | int) -> Mark:
        return self.doc.mark(path)


@dataclass(eq=False)  # identity: packs are read once per process and shared
class Pack:
    id: str
    name: str
    root: Path
    description: str
    categories: tuple[str, ...]
    default_regime: str | None
    fixtures: Path | None
    uses: tuple[Pack, ...]  # the packs it builds on, loaded
    guardrails: list[Guardrail]
    parameters: dict[str, Parameter]
    regimes: dict[str, dict[str, Any]]  # name -> the parameter values it sets
    regime_docs: dict[str, str]
    regime_specs: dict[str, dict[str, Any]]  # name -> its parameters.yaml entry, as written
    taxonomy: dict[str, dict[str, Any]]
    catalogs: dict[str, dict[str, Any]]
    home: str | None = None  # the jurisdiction whose data the pack protects (ISO 3166)


@dataclass(eq=False)  # identity: what is derived from a pack set is cached per set
class PackSet:
    """The packs of one run, merged: catalogs, taxonomy and parameters are shared."""

    packs: list[Pack]

    @cached_property
    def guardrails(self) -> list[Guardrail]:
        return [g for p in self.packs for g in p.guardrails]

    @cached_property
    def by_id(self) -> dict[str, Guardrail]:
        return {g.id: g for g in self.guardrails}

    @cached_property
    def taxonomy(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in self.closure:
            out.update(p.taxonomy)
        return out

    @cached_property
    def catalogs(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in self.closure:
            for name, entries in p.catalogs.items():
                out.setdefault(name, {}).update(entries)
        return out

    @cached_property
    def parameters(self) -> dict[str, Parameter]:
        out: dict[str, Parameter] = {}
        for p in self.closure:
            out.update(p.parameters)
        return out

    @cached_property
    def regimes(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in self.closure:
            out.update(p.regimes)
        return out

    @cached_property
    def regime_specs(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in self.closure:
            out.update(p.regime_specs)
        return out

    @cached_property
    def regime_docs(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in self.closure:
            out.update(p.regime_docs)
        return out

    @property
    def default_regime(self) -> str | None:
        for p in self.closure:
            if p.default_regime:
                return p.default_regime
        return None

    @property
    def home(self) -> str:
        """The home jurisdiction: data of its subjects leaving it is a crossing. The
        first pack that declares one decides (the built-in cn pack: CN)."""
        for p in self.closure:
            if p.home:
                return p.home
        return "CN"  # a pack that does not say keeps the meaning packs had before `home`

    @cached_property
    def closure(self) -> list[Pack]:
        """Used packs first, so the packs named later extend and override them."""
        seen: dict[str, Pack] = {}

        def visit(pack: Pack) -> None:
            if pack.id in seen:
                return
            for used in pack.uses:
                visit(used)
            seen[pack.id] = pack

        for p in self.packs:
            visit(p)
        return list(seen.values())
