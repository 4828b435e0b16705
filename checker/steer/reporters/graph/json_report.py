"""``steer graph --format json``: networkx node-link data, keys sorted."""

from __future__ import annotations

import json

import networkx as nx

from steer.reporters.graph.model import Diagram


def render(d: Diagram, color: bool = False) -> str:
    g = nx.MultiDiGraph(name=d.title)
    for cid in sorted(d.nodes):
        g.add_node(cid, **{k: v for k, v in d.nodes[cid].items() if v is not None})
    for e in d.edges:
        g.add_edge(
            e.source,
            e.target,
            key=e.id,
            kind=e.kind,
            crossing=e.crossing,
            label=e.label,
            failing=list(e.failing),
            on_failing_path=e.on_failing_path,
        )
    data = nx.node_link_data(g, edges="edges")
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
