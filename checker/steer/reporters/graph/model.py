"""``steer graph``: the annex's two diagrams, generated from the manifest.

Without ``--cross-border-only``: the infrastructure topology, every component
clustered by jurisdiction and provider, data flows solid and calls dashed. With it:
the cross-border data-flow model, only the flows on which home data leaves the
mainland and the paths that bring it there. Crossing flows are highlighted and
labelled with the categories, yearly volume and approval state; flows and
components on a failing finding's path are marked.

This module builds the diagram (:class:`Diagram`) from a judged run; the formats are
siblings: Mermaid (renders in GitHub and GitLab Markdown as is), Graphviz DOT, and
JSON (networkx node-link data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from steer.checks.context import Context
from steer.results.findings import Report

HOME_NAMES = {
    "CN": "CN · mainland China",
    "HK": "HK · Hong Kong",
    "MO": "MO · Macau",
    "TW": "TW · Taiwan",
}


@dataclass
class EdgeInfo:
    id: str
    source: str
    target: str
    kind: str  # flow | call
    crossing: bool = False
    label: str = ""
    failing: tuple[str, ...] = ()
    on_failing_path: bool = False


@dataclass
class Diagram:
    nodes: dict[str, dict[str, Any]]
    edges: list[EdgeInfo]
    clusters: dict[str, dict[str, list[str]]] = field(
        default_factory=dict
    )  # jurisdiction -> provider -> ids
    title: str = ""
    home: str = "CN"  # the home jurisdiction (the pack's), drawn apart


def build(ctx: Context, report: Report, cross_border_only: bool = False) -> Diagram:
    graph = ctx.graph
    transfers = ctx.transfers
    failing_rules: dict[str, list[str]] = {}
    path_edges: set[tuple[str, str]] = set()
    failing_nodes: set[str] = set()
    for f in report.findings:
        if f.waived:
            continue
        if f.target.startswith("flows."):
            failing_rules.setdefault(f.target[6:], []).append(f.rule)
        if f.path and f.level == "error":
            failing_nodes.update(f.path)
            path_edges.update(pairwise(f.path))
    crossings = {c.flow: transfers.facts(c) for c in transfers.crossings}
    keep: set[str] = set(graph.nodes)
    if cross_border_only:
        keep = set()
        for facts in crossings.values():
            for path in facts.crossing.paths.values():
                keep.update(path)
    edges: list[EdgeInfo] = []
    for fid, flow in ctx.manifest.flows.items():
        src, dst = flow["from"], flow["to"]
        if src not in keep or dst not in keep:
            continue
        crossing_facts = crossings.get(fid)
        if (
            cross_border_only
            and crossing_facts is None
            and not _on_crossing_path(src, dst, crossings)
        ):
            continue
        info = EdgeInfo(fid, src, dst, "flow", crossing=crossing_facts is not None)
        info.failing = tuple(sorted(set(failing_rules.get(fid, []))))
        info.on_failing_path = (src, dst) in path_edges
        info.label = _flow_label(ctx, fid, flow, crossing_facts)
        edges.append(info)
    if not cross_border_only:
        for cid in sorted(graph.nodes):
            for e in graph.calls_out[cid]:
                edges.append(
                    EdgeInfo(
                        e.id,
                        e.source,
                        e.target,
                        "call",
                        label="calls",
                        on_failing_path=(e.source, e.target) in path_edges,
                    )
                )
    nodes = {}
    clusters: dict[str, dict[str, list[str]]] = {}
    for cid in graph.nodes:
        if cid not in keep:
            continue
        attrs = dict(graph.nodes[cid])
        attrs["failing"] = cid in failing_nodes
        nodes[cid] = attrs
        juris = attrs.get("jurisdiction") or "unknown"
        provider = attrs.get("provider") or (
            "on premises" if attrs["kind"] not in ("external",) else "third party"
        )
        clusters.setdefault(juris, {}).setdefault(provider, []).append(cid)
    title = ctx.manifest.data.get("name", "")
    return Diagram(nodes, edges, clusters, title, ctx.home)


def _on_crossing_path(src: str, dst: str, crossings: dict[str, Any]) -> bool:
    for facts in crossings.values():
        for path in facts.crossing.paths.values():
            if any(a == src and b == dst for a, b in pairwise(path)):
                return True
    return False


def _flow_label(ctx: Context, fid: str, flow: dict[str, Any], facts: Any) -> str:
    parts = []
    if facts is not None:
        cats = facts.categories or tuple(sorted({t[0] for t in facts.crossing.tokens}))
        parts.append(", ".join(cats))
        if facts.records is not None:
            parts.append(f"{facts.records:,}/yr")
        states = [
            f"{a['id']}: {a.get('status')}" + (" (expired)" if a.get("expired") else "")
            for a in ctx.flows[fid]["approvals"]
        ]
        parts.append("; ".join(states) if states else "no approvals")
    else:
        declared = flow.get("data")
        if declared:
            parts.append(", ".join(declared))
        if flow.get("mechanism"):
            parts.append(flow["mechanism"])
    return " · ".join(p for p in parts if p)
