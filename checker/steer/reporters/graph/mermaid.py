"""``steer graph --format mermaid``: renders in GitHub and GitLab Markdown as is."""

from __future__ import annotations

from steer.reporters.graph.model import HOME_NAMES, Diagram
from steer.reporters.markdown_text import node_id
from steer.reporters.shown import shown

_mid = node_id


def _mtext(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def render(d: Diagram, color: bool = False) -> str:
    d = shown(d, keep="")  # a control character or line break never ends a label
    lines = ["flowchart LR"]
    if d.title:
        lines.insert(0, f"%% steer graph: {d.title}")
    for juris in sorted(d.clusters):
        jid = node_id(juris, "j_")
        lines.append(f'  subgraph {jid}["{_mtext(HOME_NAMES.get(juris, juris))}"]')
        for provider in sorted(d.clusters[juris]):
            pid = node_id(provider, f"{jid}_")
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
