"""The data-flow graph of a manifest: components as nodes, flows as data edges,
``depends_on`` as call edges, each node with its effective jurisdiction.

The engine keeps the graph as plain adjacency lists: building it and walking it is
linear, and it costs nothing to import, which matters for a pre-commit hook
(importing networkx alone takes longer than checking the example manifest). The
same graph converts to a networkx ``MultiDiGraph`` for ``steer graph --format json``
and for the tests, which use networkx as an independent oracle for reachability.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # networkx is imported only to convert (see the module doc)
    import networkx

HOME_KINDS = frozenset({"channel", "device"})
"""Kinds taken to be in the home jurisdiction when nothing says where they are: the
platform's own channels and its vehicles. Anything else without a location is
treated as outside, since nothing shows that it is in the mainland."""


class Edge(NamedTuple):
    """A flow or a call (a named tuple: tens of thousands are made per large run)."""

    id: str  # flow id, or "dep:<from>-><to>" for a call edge
    source: str
    target: str
    kind: str  # "flow" | "call"


@dataclass
class DataFlowGraph:
    nodes: dict[str, dict[str, Any]]  # component id -> attributes
    home: str  # the protected jurisdiction
    flows_out: dict[str, list[Edge]] = field(default_factory=dict)
    flows_in: dict[str, list[Edge]] = field(default_factory=dict)
    calls_out: dict[str, list[Edge]] = field(default_factory=dict)
    calls_in: dict[str, list[Edge]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        components: Mapping[str, Mapping[str, Any]],
        flows: Mapping[str, Mapping[str, Any]],
        home: str,
    ) -> DataFlowGraph:
        """The graph of ``components`` (with each ``location.jurisdiction`` resolved)
        and ``flows`` as the manifest declares them; ``home`` is the protected
        jurisdiction (the pack's)."""
        nodes: dict[str, dict[str, Any]] = {}
        for cid, view in components.items():
            loc = view["location"]
            juris = loc.get("jurisdiction")
            if juris is None and view["kind"] in HOME_KINDS:
                juris = home
            nodes[cid] = {
                "kind": view["kind"],
                "jurisdiction": juris,
                "provider": loc.get("provider"),
                "region": loc.get("region"),
                "name": view.get("name", cid),
            }
        graph = cls(nodes, home=home)
        for cid in nodes:
            graph.flows_out[cid] = []
            graph.flows_in[cid] = []
            graph.calls_out[cid] = []
            graph.calls_in[cid] = []
        # Edges are added in id order, not file order, so that every adjacency list is
        # sorted by id: walks visit neighbours in the same order however the manifest is
        # laid out, so witness paths (ties included) do not depend on the order of
        # components or flows in the file.
        make = Edge._make  # tuple.__new__: tens of thousands of edges per large run
        for fid in sorted(flows):
            flow = flows[fid]
            edge = make((fid, flow["from"], flow["to"], "flow"))
            graph.flows_out[edge.source].append(edge)
            graph.flows_in[edge.target].append(edge)
        calls = [
            make((f"dep:{cid}->{dep}", cid, dep, "call"))
            for cid, comp in components.items()
            for dep in comp.get("depends_on") or []
        ]
        for edge in sorted(calls):
            graph.calls_out[edge.source].append(edge)
            graph.calls_in[edge.target].append(edge)
        return graph

    def jurisdiction(self, node: str) -> str | None:
        return self.nodes[node]["jurisdiction"]

    @cached_property
    def home_nodes(self) -> frozenset[str]:
        """The components in the home jurisdiction."""
        return frozenset(c for c, attrs in self.nodes.items() if attrs["jurisdiction"] == self.home)

    def is_home(self, node: str) -> bool:
        return node in self.home_nodes

    def out_edges(self, node: str, kinds: Iterable[str] = ("flow", "call")) -> Iterator[Edge]:
        if "flow" in kinds:
            yield from self.flows_out[node]
        if "call" in kinds:
            yield from self.calls_out[node]

    def in_edges(self, node: str, kinds: Iterable[str] = ("flow", "call")) -> Iterator[Edge]:
        if "flow" in kinds:
            yield from self.flows_in[node]
        if "call" in kinds:
            yield from self.calls_in[node]

    @property
    def edge_count(self) -> int:
        return sum(len(v) for v in self.flows_out.values()) + sum(
            len(v) for v in self.calls_out.values()
        )

    def to_networkx(self) -> networkx.MultiDiGraph:
        import networkx as nx

        g = nx.MultiDiGraph(home=self.home)
        for node, attrs in self.nodes.items():
            g.add_node(node, **attrs)
        for edges in (*self.flows_out.values(), *self.calls_out.values()):
            for e in edges:
                g.add_edge(e.source, e.target, key=e.id, kind=e.kind)
        return g
