"""The inputs of a transfer decision and the counting of individuals.

A ``CrossingInput`` is one flow out of the mainland as the decision sees it: the
categories it carries (non-sensitive PI, sensitive PI, important data by law or
only by the organisation's policy), its yearly volume, the holdings its data comes
from, when it starts, and the exemption it declares. ``count_individuals`` counts
the individuals over the crossings that are not exempt, as the docstring of
``steer.analysis.decision`` sets out (CAC Order 16 art. 7(2), 8; CAC Order 11 art.
4(3)): individuals, not flows; the regime's counting window; capped by what the
holdings hold; sensitive and non-sensitive apart; unknown when a volume is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from steer.analysis.regimes import ALL_PERSONAL, PREVIOUS_YEAR, Regime


@dataclass(frozen=True)
class Holding:
    """Where a crossing's data is held at its origin, and how many individuals."""

    id: str
    individuals: int | None


@dataclass(frozen=True, kw_only=True)
class CrossingInput:
    """What the decision needs to know of one crossing (one flow out of the mainland)."""

    flow: str
    since: dt.date  # when transfers on it start (flow ``since``, else go-live)
    holdings: tuple[Holding, ...] = ()  # origins of the regulated data it carries
    records_per_year: int | None = None
    carries_non_sensitive_personal: bool = False
    carries_sensitive: bool = False
    carries_important_by_law: bool = False
    carries_important_by_policy: bool = False
    exemption: str | None = None  # as declared on the flow

    def __post_init__(self) -> None:
        if not self.flow:
            raise ValueError("a crossing needs a flow id")
        if self.records_per_year is not None and self.records_per_year < 0:
            raise ValueError(f"{self.flow}: records_per_year is negative")
        ids = [h.id for h in self.holdings]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.flow}: a holding is named twice in {ids}")
        if any(h.individuals is not None and h.individuals < 0 for h in self.holdings):
            raise ValueError(f"{self.flow}: a holding's individuals are negative")

    @property
    def carries_personal(self) -> bool:
        return self.carries_non_sensitive_personal or self.carries_sensitive


@dataclass(frozen=True)
class Handler:
    """The data handler (manifest ``organisation``)."""

    ciio: bool = False
    pi_subjects: int | None = None


@dataclass(frozen=True)
class Counts:
    """Individuals counted over the crossings that are not exempt."""

    window_start: dt.date
    personal: int | None  # the personal thresholds' count (None: unknown)
    sensitive: int | None
    unknown_personal: tuple[str, ...]  # flows whose volume is unknown, sorted
    unknown_sensitive: tuple[str, ...]
    per_crossing: Mapping[str, int | None]  # window applied, capped by the holdings
    doubled: frozenset[str]  # flows counted for two years
    caps: Mapping[str, tuple[tuple[str, ...], int]]  # flow -> (holdings, cap) that bound it


def _window_start(regime: Regime, as_of: dt.date) -> dt.date:
    back = 1 if regime.rules.counting_window == PREVIOUS_YEAR else 0
    return dt.date(as_of.year - back, 1, 1)


def own_volume(c: CrossingInput, regime: Regime, as_of: dt.date) -> tuple[int | None, bool]:
    """A crossing's individuals in the window, capped by its holdings; and whether it
    counts two years."""
    sizes = [h.individuals for h in c.holdings]
    held = sum(s for s in sizes if s is not None) if c.holdings and None not in sizes else None
    if c.records_per_year is None:
        return held, False
    twice = regime.rules.counting_window == PREVIOUS_YEAR and c.since < dt.date(as_of.year, 1, 1)
    volume = c.records_per_year * (2 if twice else 1)
    return (volume if held is None else min(volume, held)), twice


def _total(
    members: list[CrossingInput],
    volumes: Mapping[str, int | None],
    caps: dict[str, tuple[tuple[str, ...], int]],
) -> tuple[int | None, tuple[str, ...]]:
    """The individuals of ``members``: crossings linked by a holding count together at
    most what their holdings hold. Records in ``caps`` the crossings a cap bounded."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for c in members:
        keys = [f"h:{h.id}" for h in c.holdings] or [f"f:{c.flow}"]
        for key in keys[1:]:
            parent[root(key)] = root(keys[0])
    groups: dict[str, list[CrossingInput]] = {}
    for c in members:
        key = f"h:{c.holdings[0].id}" if c.holdings else f"f:{c.flow}"
        groups.setdefault(root(key), []).append(c)
    total: int | None = 0
    for group in groups.values():
        sizes = {h.id: h.individuals for c in group for h in c.holdings}
        values = [volumes[c.flow] for c in group]
        summed = sum(v for v in values if v is not None)
        known = [v for v in sizes.values() if v is not None]
        if sizes and len(known) == len(sizes) and summed > sum(known):
            summed = sum(known)
            for c in group:
                caps[c.flow] = (tuple(sorted(sizes)), summed)
        total = None if total is None or None in values else total + summed
    unknown = tuple(sorted(c.flow for c in members if volumes[c.flow] is None))
    return total, unknown


def count_individuals(crossings: Iterable[CrossingInput], regime: Regime, as_of: dt.date) -> Counts:
    """The counts of the module docstring over ``crossings`` (pass only those that
    are not exempt)."""
    items = sorted(crossings, key=lambda c: c.flow)
    volumes: dict[str, int | None] = {}
    doubled: set[str] = set()
    caps: dict[str, tuple[tuple[str, ...], int]] = {}
    for c in items:
        volumes[c.flow], twice = own_volume(c, regime, as_of)
        if twice:
            doubled.add(c.flow)
        sizes = [h.individuals for h in c.holdings]
        if c.records_per_year is not None and c.holdings and None not in sizes:
            held = sum(s for s in sizes if s is not None)
            if c.records_per_year * (2 if twice else 1) > held:
                caps[c.flow] = (tuple(sorted(h.id for h in c.holdings)), held)
    all_personal = regime.rules.personal_threshold_counts == ALL_PERSONAL
    personal = [
        c
        for c in items
        if (c.carries_personal if all_personal else c.carries_non_sensitive_personal)
    ]
    personal_total, unknown_personal = _total(personal, volumes, caps)
    sensitive_total, unknown_sensitive = _total(
        [c for c in items if c.carries_sensitive], volumes, caps
    )
    return Counts(
        window_start=_window_start(regime, as_of),
        personal=personal_total,
        sensitive=sensitive_total,
        unknown_personal=unknown_personal,
        unknown_sensitive=unknown_sensitive,
        per_crossing=MappingProxyType(volumes),
        doubled=frozenset(doubled),
        caps=MappingProxyType(caps),
    )
