"""``steer graph``: the annex's two diagrams, generated from the manifest.

Without ``--cross-border-only``: the infrastructure topology, every component
clustered by jurisdiction and provider, data flows solid and calls dashed. With it:
the cross-border data-flow model, only the flows on which home data leaves the
mainland and the paths that bring it there. Crossing flows are highlighted and
labelled with the categories, yearly volume and approval state; flows and
components on a failing finding's path are marked.

Formats: Mermaid (renders in GitHub and GitLab Markdown as is), Graphviz DOT, and
JSON (networkx node-link data).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    return Diagram(nodes, edges, clusters, title)


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


# -- Mermaid -------------------------------------------------------------------------
def _mid(name: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def _mtext(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def mermaid(d: Diagram) -> str:
    lines = ["flowchart LR"]
    if d.title:
        lines.insert(0, f"%% steer graph: {d.title}")
    for juris in sorted(d.clusters):
        jid = "j_" + re.sub(r"[^A-Za-z0-9_]", "_", juris)
        lines.append(f'  subgraph {jid}["{_mtext(HOME_NAMES.get(juris, juris))}"]')
        for provider in sorted(d.clusters[juris]):
            pid = f"{jid}_" + re.sub(r"[^A-Za-z0-9_]", "_", provider)
            lines.append(f'    subgraph {pid}["{_mtext(provider)}"]')
            for cid in sorted(d.clusters[juris][provider]):
                kind = d.nodes[cid]["kind"]
                shape = (
                    ('[("', '")]')
                    if kind == "datastore"
                    else ('(["', '"])')
                    if kind == "external"
                    else ('["', '"]')
                )
                lines.append(
                    f"      {_mid(cid)}{shape[0]}{_mtext(cid)}<br/><small>{kind}</small>{shape[1]}"
                )
            lines.append("    end")
        lines.append("  end")
    styles = []
    for i, e in enumerate(d.edges):
        arrow = "-.->" if e.kind == "call" else ("==>" if e.crossing else "-->")
        label = e.label
        if e.failing:
            label = (label + " · " if label else "") + "FAILS " + ", ".join(e.failing)
        text = f'|"{_mtext(label)}"|' if label else ""
        lines.append(f"  {_mid(e.source)} {arrow}{text} {_mid(e.target)}")
        if e.failing or e.on_failing_path:
            styles.append(f"  linkStyle {i} stroke:#d32f2f,stroke-width:3px")
        elif e.crossing:
            styles.append(f"  linkStyle {i} stroke:#f57c00,stroke-width:2px")
    lines.extend(styles)
    lines.append("  classDef failing fill:#ffebee,stroke:#d32f2f,stroke-width:2px")
    failing = sorted(c for c, a in d.nodes.items() if a.get("failing"))
    if failing:
        lines.append("  class " + ",".join(_mid(c) for c in failing) + " failing")
    return "\n".join(lines) + "\n"


# -- DOT -------------------------------------------------------------------------------
def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(d: Diagram) -> str:
    out = [
        f"digraph {_dq(d.title or 'steer')} {{",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for i, juris in enumerate(sorted(d.clusters)):
        out.append(f"  subgraph cluster_j{i} {{")
        out.append(
            f"    label={_dq(HOME_NAMES.get(juris, juris))}; style=rounded; "
            f"color={_dq('#1565c0' if juris == 'CN' else '#616161')};"
        )
        for k, provider in enumerate(sorted(d.clusters[juris])):
            out.append(f"    subgraph cluster_j{i}_p{k} {{")
            out.append(f"      label={_dq(provider)}; style=dashed;")
            for cid in sorted(d.clusters[juris][provider]):
                attrs = d.nodes[cid]
                shape = "cylinder" if attrs["kind"] == "datastore" else "box"
                fill = "#ffebee" if attrs.get("failing") else "white"
                color = "#d32f2f" if attrs.get("failing") else "black"
                out.append(
                    f"      {_dq(cid)} [label={_dq(cid + chr(10) + attrs['kind'])}, "
                    f"shape={shape}, fillcolor={_dq(fill)}, color={_dq(color)}];"
                )
            out.append("    }")
        out.append("  }")
    for e in d.edges:
        label = e.label + (("\nFAILS " + ", ".join(e.failing)) if e.failing else "")
        edge_attrs = [f"label={_dq(label)}"] if label else []
        if e.kind == "call":
            edge_attrs.append("style=dashed")
        if e.failing or e.on_failing_path:
            edge_attrs += [f"color={_dq('#d32f2f')}", "penwidth=3"]
        elif e.crossing:
            edge_attrs += [f"color={_dq('#f57c00')}", "penwidth=2"]
        out.append(f"  {_dq(e.source)} -> {_dq(e.target)} [{', '.join(edge_attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


# -- JSON ------------------------------------------------------------------------------
def as_json(d: Diagram) -> str:
    import networkx as nx

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


RENDERERS = {"mermaid": mermaid, "dot": dot, "json": as_json}
