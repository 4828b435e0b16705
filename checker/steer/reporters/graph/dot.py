"""``steer graph --format dot``: Graphviz, clusters by jurisdiction and provider."""

from __future__ import annotations

from steer.reporters.graph.model import HOME_NAMES, Diagram
from steer.reporters.shown import shown


def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def render(d: Diagram, color: bool = False) -> str:
    d = shown(d, keep="")  # control characters written out, never passed to Graphviz
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
            f"color={_dq('#1565c0' if juris == d.home else '#616161')};"
        )
        for k, provider in enumerate(sorted(d.clusters[juris])):
            out.append(f"    subgraph cluster_j{i}_p{k} {{")
            out.append(f"      label={_dq(provider)}; style=dashed;")
            for cid in sorted(d.clusters[juris][provider]):
                attrs = d.nodes[cid]
                shape = "cylinder" if attrs["kind"] == "datastore" else "box"
                fill = "#ffebee" if attrs.get("failing") else "white"
                stroke = "#d32f2f" if attrs.get("failing") else "black"
                out.append(
                    f"      {_dq(cid)} [label={_dq(cid + chr(10) + attrs['kind'])}, "
                    f"shape={shape}, fillcolor={_dq(fill)}, color={_dq(stroke)}];"
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
