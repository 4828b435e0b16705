"""Regimes: which cross-border transfer law applies on a date, and what it sets.

A regime is the law in force for a span of dates, read from the pack's
``parameters.yaml`` (``load_regimes`` takes its parsed dict): its instrument, its
``in_force_from`` and ``in_force_until`` (inclusive), the articles a decision cites,
the exemptions it recognises, and the parameter values it sets over the pack's
defaults. The ``cn`` pack has two:

- ``cn-2022``: CAC Order 11 (Security Assessment Measures), 2022-09-01 to 2024-03-21.
- ``cn-2024``: CAC Order 16 (Provisions on Promoting and Regulating Cross-Border
  Data Flows), from 2024-03-22; its art. 13 makes it prevail over the older rules.

``policy.regime: auto`` (the default, and ``None``) resolves to the regime in force
on the as-of date. A manifest may pin a regime by name; when that regime is not in
force on the as-of date, ``resolve_regime`` still uses it (the user asked for it)
but returns a warning naming the regime that is in force and what would change.

Every problem in the YAML is a ``ValueError`` whose message names the key path.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

AUTO = "auto"
PREVIOUS_YEAR = "since-1-january-previous-year"
CURRENT_YEAR = "since-1-january-current-year"
ALL_PERSONAL = "all-personal"
NON_SENSITIVE = "non-sensitive"

# fmt: off
_REQUIRED_ARTICLES = ("out_of_scope", "important", "ciio", "volume_assessment",
                      "volume_contract", "validity")
_EXEMPTION_FLAGS = ("applies_to_ciio", "allows_personal", "allows_important_data")
_EXEMPTION_KEYS = frozenset({"article", "covers", "consent_basis", *_EXEMPTION_FLAGS})
_REGIME_KEYS = frozenset({"description", "sources", "parameters", "instrument", "legal_basis",
                          "in_force_from", "in_force_until", "articles", "exemptions"})
# fmt: on


def _fail(where: str, what: str) -> ValueError:
    origin = "" if where.startswith("policy.") else "parameters.yaml: "
    return ValueError(f"{origin}{where}: {what}")


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _fail(where, f"expected a date (YYYY-MM-DD), got the timestamp {value}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(where, f"expected a date (YYYY-MM-DD), got {value!r}")


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"expected a non-empty string, got {value!r}")
    return " ".join(value.split())


def _int(value: object, where: str, minimum: int = 0, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(where, f"expected an integer of at least {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise _fail(where, f"expected an integer from {minimum} to {maximum}, got {value!r}")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(where, f"expected true or false, got {value!r}")
    return value


def _choice(value: object, where: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(where, f"expected one of {', '.join(allowed)}, got {value!r}")
    assert isinstance(value, str)
    return value


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, f"expected a mapping, got {type(value).__name__}")
    return value


@dataclass(frozen=True)
class Exemption:
    """A ground on which a crossing needs no transfer mechanism."""

    id: str
    article: str  # "CAC Order 16 art. 5(1)"
    covers: str  # what it exempts, in words
    applies_to_ciio: bool
    allows_personal: bool  # may the crossing carry personal information?
    allows_important_data: bool  # may it carry important data (by law)?
    consent_basis: str | None  # a PIPL art. 13 basis needing no consent, if it rests on one


@dataclass(frozen=True)
class Rules:
    """The parameter values a decision reads, validated."""

    counting_window: str  # PREVIOUS_YEAR | CURRENT_YEAR
    personal_threshold_counts: str  # ALL_PERSONAL | NON_SENSITIVE
    assessment_personal_threshold: int
    assessment_sensitive_threshold: int
    contract_personal_threshold: int  # 0: no volume exemption
    handler_threshold: int  # 0: no handler-size trigger
    exemptions_apply: bool
    exemption_basis_waives_consent: bool
    assessment_validity_years: int

    @classmethod
    def from_parameters(cls, values: Mapping[str, Any], where: str) -> Rules:
        def get(name: str) -> tuple[object, str]:
            if name not in values:
                raise _fail(where, f"parameter '{name}' is not set (no default, no regime value)")
            return values[name], f"{where}.{name}"

        return cls(
            counting_window=_choice(*get("counting_window"), (PREVIOUS_YEAR, CURRENT_YEAR)),
            personal_threshold_counts=_choice(
                *get("personal_threshold_counts"), (ALL_PERSONAL, NON_SENSITIVE)
            ),
            assessment_personal_threshold=_int(*get("assessment_personal_threshold")),
            assessment_sensitive_threshold=_int(*get("assessment_sensitive_threshold")),
            contract_personal_threshold=_int(*get("contract_personal_threshold")),
            handler_threshold=_int(*get("handler_threshold")),
            exemptions_apply=_bool(*get("exemptions_apply")),
            exemption_basis_waives_consent=_bool(*get("exemption_basis_waives_consent")),
            assessment_validity_years=_int(*get("assessment_validity_years"), 1, 100),
        )


# Which parameter makes an optional article necessary (for a citation when an
# override switches on a rule the regime's text does not have).
_ARTICLE_PARAMETER = {
    "handler": "handler_threshold",
    "volume_exemption": "contract_personal_threshold",
}


@dataclass(frozen=True)
class Regime:
    """One regime: the law in force from ``in_force_from`` to ``in_force_until``."""

    name: str
    instrument: str  # "CAC Order 16"
    legal_basis: str
    in_force_from: dt.date
    in_force_until: dt.date | None  # inclusive; None: still in force
    articles: Mapping[str, str]
    exemptions: Mapping[str, Exemption]
    sets: Mapping[str, Any]  # the parameter values the regime itself sets
    parameters: Mapping[str, Any]  # pack defaults, then the regime's values, then overrides
    rules: Rules

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def span(self) -> str:
        """ "in force 2022-09-01 to 2024-03-21" or "in force from 2024-03-22"."""
        if self.in_force_until is None:
            return f"in force from {self.in_force_from}"
        return f"in force {self.in_force_from} to {self.in_force_until}"

    def label(self) -> str:
        return f"{self.name} ({self.instrument}, {self.span()})"

    def article(self, key: str) -> str:
        """The article a rule cites; a rule an override switched on names its parameter."""
        found = self.articles.get(key)
        if found is not None:
            return found
        parameter = _ARTICLE_PARAMETER.get(key, key)
        return f"policy parameter {parameter} (no article of {self.instrument} sets it)"

    def with_overrides(self, overrides: Mapping[str, Any]) -> Regime:
        """This regime with ``policy.parameters`` (or a what-if's) on top, revalidated."""
        merged = {**self.parameters, **overrides}
        rules = Rules.from_parameters(merged, "policy.parameters")
        return replace(self, parameters=MappingProxyType(merged), rules=rules)


@dataclass(frozen=True)
class RegimeSet:
    """The regimes of a pack, ordered by the date they took effect."""

    regimes: tuple[Regime, ...]
    default: str  # AUTO or a regime name

    def __iter__(self) -> Iterator[Regime]:
        return iter(self.regimes)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.regimes)

    def get(self, name: str) -> Regime:
        for regime in self.regimes:
            if regime.name == name:
                return regime
        raise ValueError(
            f"unknown regime '{name}'; expected {AUTO} or one of: {', '.join(self.names)}"
        )

    def in_force(self, day: dt.date) -> Regime | None:
        return next((r for r in self.regimes if r.in_force_on(day)), None)

    def with_overrides(self, overrides: Mapping[str, Any]) -> RegimeSet:
        return replace(self, regimes=tuple(r.with_overrides(overrides) for r in self.regimes))


def _exemption(eid: str, raw: object, where: str) -> Exemption:
    spec = _mapping(raw, where)
    unknown = sorted(set(spec) - _EXEMPTION_KEYS)
    if unknown:
        raise _fail(where, f"unknown key(s) {', '.join(unknown)}")
    flags = {f: _bool(spec.get(f), f"{where}.{f}") for f in _EXEMPTION_FLAGS}
    consent = spec.get("consent_basis")
    return Exemption(
        id=eid,
        article=_text(spec.get("article"), f"{where}.article"),
        covers=_text(spec.get("covers"), f"{where}.covers"),
        consent_basis=None if consent is None else _text(consent, f"{where}.consent_basis"),
        **flags,
    )


def _regime(name: str, raw: object, defaults: Mapping[str, Any]) -> Regime:
    where = f"regimes.{name}"
    spec = _mapping(raw, where)
    unknown = sorted(set(spec) - _REGIME_KEYS)
    if unknown:
        raise _fail(where, f"unknown key(s) {', '.join(unknown)}")
    values = dict(_mapping(spec.get("parameters", {}), f"{where}.parameters"))
    undeclared = sorted(set(values) - set(defaults))
    if undeclared:
        raise _fail(f"{where}.parameters", f"undeclared parameter(s) {', '.join(undeclared)}")
    merged = {**defaults, **values}
    rules = Rules.from_parameters(merged, f"{where}.parameters")
    articles = {
        k: _text(v, f"{where}.articles.{k}")
        for k, v in _mapping(spec.get("articles", {}), f"{where}.articles").items()
    }
    needed = list(_REQUIRED_ARTICLES)
    if rules.handler_threshold:
        needed.append("handler")
    if rules.contract_personal_threshold:
        needed.append("volume_exemption")
    missing = [k for k in needed if k not in articles]
    if missing:
        raise _fail(f"{where}.articles", f"missing {', '.join(missing)}")
    exemptions = {
        eid: _exemption(eid, e, f"{where}.exemptions.{eid}")
        for eid, e in _mapping(spec.get("exemptions", {}), f"{where}.exemptions").items()
    }
    start = _date(spec.get("in_force_from"), f"{where}.in_force_from")
    until_raw = spec.get("in_force_until")
    until = None if until_raw is None else _date(until_raw, f"{where}.in_force_until")
    if until is not None and until < start:
        raise _fail(f"{where}.in_force_until", f"{until} is before in_force_from {start}")
    return Regime(
        name=name,
        instrument=_text(spec.get("instrument"), f"{where}.instrument"),
        legal_basis=_text(spec.get("legal_basis"), f"{where}.legal_basis"),
        in_force_from=start,
        in_force_until=until,
        articles=MappingProxyType(articles),
        exemptions=MappingProxyType(exemptions),
        sets=MappingProxyType(values),
        parameters=MappingProxyType(merged),
        rules=rules,
    )


def load_regimes(document: Mapping[str, Any]) -> RegimeSet:
    """The regimes of a parsed ``parameters.yaml``, checked: dates, articles,
    exemptions, every decision parameter set, spans that do not overlap."""
    params = _mapping(document.get("parameters", {}), "parameters")
    defaults: dict[str, Any] = {}
    for pname, spec in params.items():
        spec = _mapping(spec, f"parameters.{pname}")
        if "default" not in spec:
            raise _fail(f"parameters.{pname}", "has no default")
        defaults[pname] = spec["default"]
    raw = _mapping(document.get("regimes", {}), "regimes")
    if not raw:
        raise _fail("regimes", "no regime is defined")
    regimes = sorted(
        (_regime(str(n), r, defaults) for n, r in raw.items()), key=lambda r: r.in_force_from
    )
    for before, after in itertools.pairwise(regimes):
        if before.in_force_until is None or before.in_force_until >= after.in_force_from:
            raise _fail(
                f"regimes.{after.name}.in_force_from",
                f"{after.in_force_from} overlaps {before.name} ({before.span()})",
            )
    default = document.get("default_regime", AUTO)
    names = [r.name for r in regimes]
    if default != AUTO and default not in names:
        raise _fail("default_regime", f"expected {AUTO} or one of {', '.join(names)}")
    return RegimeSet(tuple(regimes), str(default))


def regime_in_force(as_of: dt.date, regimes: RegimeSet) -> str:
    """The name of the regime in force on ``as_of``; ``ValueError`` if none is."""
    found = regimes.in_force(as_of)
    if found is None:
        spans = "; ".join(r.label() for r in regimes)
        raise ValueError(f"no regime is in force on {as_of} ({spans}): pin one in policy.regime")
    return found.name


@dataclass(frozen=True)
class ResolvedRegime:
    """The regime a run uses and why; a warning when a pinned one is not in force."""

    name: str
    regime: Regime
    why: str
    pinned_not_in_force: str | None


def resolve_regime(declared: str | None, as_of: dt.date, regimes: RegimeSet) -> ResolvedRegime:
    """``declared`` is ``policy.regime``: ``None`` or ``auto`` (the law in force on
    ``as_of``), or a regime name (used as pinned, with a warning if not in force)."""
    if declared is None or declared == AUTO:
        regime = regimes.get(regime_in_force(as_of, regimes))
        why = (
            f"policy.regime is auto: {regime.label()} is the law in force on {as_of}. "
            f"{regime.legal_basis}"
        )
        return ResolvedRegime(regime.name, regime, why, None)
    regime = regimes.get(declared)
    if regime.in_force_on(as_of):
        why = f"policy.regime pins {regime.label()}, the law in force on {as_of}"
        return ResolvedRegime(regime.name, regime, why, None)
    current = regimes.in_force(as_of)
    why = f"policy.regime pins {regime.label()}, which is not the law in force on {as_of}"
    warning = f"policy.regime pins {regime.label()}, which is not in force on {as_of}"
    if current is None:
        warning += "; no regime of the pack is in force on that date."
    else:
        changes = regime_changes(regime, current)
        what = "; ".join(changes) if changes else "the decision rules stay the same"
        warning += (
            f": {current.label()} is. Under {current.name}: {what}. "
            f"Use policy.regime: auto (or {current.name}) to judge by the law in force."
        )
    return ResolvedRegime(regime.name, regime, why, warning)


def _noun(rules: Rules) -> str:
    if rules.personal_threshold_counts == ALL_PERSONAL:
        return "PI, sensitive included"
    return "non-sensitive PI"


def _articles(regime: Regime) -> str:
    """The articles of the exemptions it honours: "CAC Order 16 art. 3, 4, 5(1)"."""
    cited = sorted(e.article for e in regime.exemptions.values())
    prefix = f"{regime.instrument} art. "
    if cited and all(a.startswith(prefix) for a in cited):
        return prefix + ", ".join(a[len(prefix) :] for a in cited)
    return "; ".join(cited)


def _aspects(regime: Regime) -> tuple[tuple[str, str], ...]:
    """(aspect, how this regime sets it), in a fixed order."""
    r = regime.rules
    low = r.contract_personal_threshold
    return (
        (
            "counting window",
            "since 1 January of the "
            + ("previous year" if r.counting_window == PREVIOUS_YEAR else "current year"),
        ),
        (
            "assessment",
            f"from {r.assessment_personal_threshold:,} individuals' {_noun(r)} or "
            f"{r.assessment_sensitive_threshold:,} individuals' sensitive PI",
        ),
        (
            "below it",
            f"a standard contract or certification from {low:,} individuals' {_noun(r)}, "
            f"and none under that for a non-CIIO ({regime.article('volume_exemption')})"
            if low
            else "a standard contract or certification for every export of PI",
        ),
        (
            "handler size",
            f"an assessment for a handler of {r.handler_threshold:,} or more individuals"
            if r.handler_threshold
            else "no trigger",
        ),
        (
            "exemptions",
            f"{_articles(regime)} honoured"
            if r.exemptions_apply and regime.exemptions
            else "none honoured",
        ),
        (
            "separate consent",
            "not needed where an exemption rests on a basis that needs no consent"
            if r.exemption_basis_waives_consent
            else "for every export of PI",
        ),
    )


def regime_changes(old: Regime, new: Regime) -> tuple[str, ...]:
    """What judging under ``new`` instead of ``old`` changes: "aspect: new, not old"."""
    before = dict(_aspects(old))
    return tuple(
        f"{aspect}: {text}, not {before[aspect]}"
        for aspect, text in _aspects(new)
        if text != before[aspect]
    )
