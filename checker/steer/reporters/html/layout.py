"""Where the diagrams put things: networkx's layered layout, and the grouping rules
that keep a diagram legible from ten components to thousands.

Positions come from :func:`networkx.multipartite_layout` (layers side by side, the
members of a layer evenly spaced and centred); this module only scales its
coordinates to pixels and rounds them, so the same input always gives the same
picture. What goes in which layer, and in which order, is decided by the callers
from the meaning of the diagram (tiers of a stack; origin, exit, crossing,
destination), with stable sort keys: no randomness, no iteration-order effects.

Grouping: components are clustered by jurisdiction and provider; a cluster with
more than :data:`COLLAPSE_ABOVE` members is drawn as one box with counts, and the
lines between boxes are merged when there are too many to follow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import Component

COLLAPSE_ABOVE = 12
"""A cluster with more members than this is drawn as one box (its members in the table)."""

MAX_SHOWN = 40
"""At most this many component boxes in one diagram: the largest clusters collapse
first until the rest fit (small clusters, often the odd component abroad, stay open)."""

TIER_ROWS = 5
"""A tier with more members wraps into further columns, so a cluster stays compact."""

MAX_EDGES = 40
"""More lines than this between boxes and the diagram merges them per pair of clusters."""

TIERS = {
    "channel": 0,
    "device": 0,
    "service": 1,
    "relay": 1,
    "gateway": 1,
    "datastore": 2,
    "external": 3,
}
"""Columns of a cluster's stack: what users touch, what runs, what holds data, what
is bought in."""


def rank_layers(layers: Sequence[Sequence[str]]) -> dict[str, tuple[int, float]]:
    """Each node's layer and its row (in rows, centred per layer: a layer of three
    sits at -1, 0, 1), from networkx's multipartite layout. Empty layers keep
    their index. Node names must be unique across layers."""
    import networkx as nx

    graph = nx.Graph()
    index: dict[str, int] = {}
    for i, layer in enumerate(layers):
        for node in layer:
            graph.add_node(node)
            index[node] = i
    if not index:
        return {}
    # The layers as a dict of lists: given an attribute name instead, networkx groups
    # the nodes into sets, whose order changes with the hash seed from run to run.
    subsets = {i: list(layer) for i, layer in enumerate(layers)}
    pos = nx.multipartite_layout(graph, subset_key=subsets, align="vertical")
    # The layout rescales everything by one factor; recover it from the spacing of
    # any layer with two members (one layer step in x is the same unit).
    unit = 0.0
    for layer in layers:
        if len(layer) > 1:
            unit = abs(float(pos[layer[1]][1]) - float(pos[layer[0]][1]))
            break
    if unit == 0.0:
        xs = sorted({float(p[0]) for p in pos.values()})
        unit = (xs[1] - xs[0]) if len(xs) > 1 else 1.0
    return {node: (index[node], round(float(pos[node][1]) / unit * 2) / 2) for node in index}


def rows_to_pixels(
    ranked: dict[str, tuple[int, float]], top: float, row_height: float
) -> dict[str, float]:
    """The y of each node's top edge: the tallest layer starts at ``top``."""
    if not ranked:
        return {}
    lowest = min(row for _, row in ranked.values())
    return {node: round(top + (row - lowest) * row_height) for node, (_, row) in ranked.items()}


def provider_of(component: Component) -> str:
    if component.provider:
        return component.provider
    return "third party" if component.kind == "external" else "no cloud provider"


def jurisdiction_of(component: Component) -> str:
    return component.jurisdiction or "unknown"


@dataclass
class Cluster:
    """The components of one provider in one jurisdiction."""

    jurisdiction: str
    provider: str
    members: list[Component] = field(default_factory=list)
    collapsed: bool = False

    @property
    def key(self) -> str:
        return f"{self.jurisdiction}/{self.provider}"

    def tiers(self) -> list[list[str]]:
        """Member ids per tier column, each sorted by id; only the tiers present."""
        columns: dict[int, list[str]] = {}
        for c in self.members:
            columns.setdefault(TIERS.get(c.kind, 1), []).append(c.id)
        out = []
        for tier in sorted(columns):
            ids = sorted(columns[tier])
            out += [ids[i : i + TIER_ROWS] for i in range(0, len(ids), TIER_ROWS)]
        return out

    def regions(self) -> list[str]:
        return sorted({c.region for c in self.members if c.region})

    def kinds(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for c in self.members:
            counts[c.kind] = counts.get(c.kind, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def clusters(components: Iterable[Component]) -> dict[str, list[Cluster]]:
    """Jurisdiction -> its provider clusters, both sorted (home first is the caller's)."""
    found: dict[tuple[str, str], Cluster] = {}
    for c in components:
        key = (jurisdiction_of(c), provider_of(c))
        cluster = found.get(key)
        if cluster is None:
            cluster = found[key] = Cluster(*key)
        cluster.members.append(c)
    shown = 0
    for cluster in sorted(found.values(), key=lambda c: (len(c.members), c.key)):
        # smallest first: what stays open is the many small clusters, and the big ones,
        # whose members would not be readable anyway, become counts
        cluster.collapsed = (
            len(cluster.members) > COLLAPSE_ABOVE or shown + len(cluster.members) > MAX_SHOWN
        )
        if not cluster.collapsed:
            shown += len(cluster.members)
    out: dict[str, list[Cluster]] = {}
    for key in sorted(found):
        cluster = found[key]
        cluster.members.sort(key=lambda c: c.id)
        out.setdefault(key[0], []).append(cluster)
    return out
