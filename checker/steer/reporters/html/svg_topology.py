"""The infrastructure topology: every component, clustered by jurisdiction and
provider, the mainland on the left and everything outside it on the right.

Inside a provider cluster the members stand in tier columns (channels and devices,
services and relays, data stores, bought-in services) placed by networkx's layered
layout (:mod:`.layout`). A cluster with more members than ``COLLAPSE_ABOVE`` is one
box with counts. Lines are drawn only between jurisdictions (what crosses the
border, and the calls that reach out of the mainland): the flows inside the
mainland are in the data-flow diagram's paths and in the tables. Lines run under
the component boxes, so a line that leaves a box behind its neighbours is hidden
by them rather than drawn across their labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .layout import MAX_EDGES, Cluster, clusters, jurisdiction_of, rank_layers, rows_to_pixels
from .markup import esc, plural, svg_open, svg_text
from .model import Component, Topology
from .style import COLORS, JURISDICTION_NAMES

NODE_W, NODE_H = 180, 40
COL_GAP, ROW_GAP, PAD, HEAD = 14, 10, 10, 26
GUTTER, MARGIN, EXTRA_RIGHT = 170, 12, 16
COLLAPSED_W, COLLAPSED_H = 300, 96


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def mid_y(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Line:
    source: str  # box key (component id, or "cluster:<key>")
    target: str
    kind: str  # flow | call
    style: str  # crossing-covered | crossing-uncovered | flow | call
    count: int
    label: str


def _cluster_size(cluster: Cluster) -> tuple[float, float, dict[str, Box]]:
    if cluster.collapsed:
        return COLLAPSED_W, COLLAPSED_H, {}
    tiers = cluster.tiers()
    ranked = rank_layers(tiers)
    tops = rows_to_pixels(ranked, HEAD + PAD, NODE_H + ROW_GAP)
    boxes = {
        cid: Box(PAD + layer * (NODE_W + COL_GAP), tops[cid], NODE_W, NODE_H)
        for cid, (layer, _) in ranked.items()
    }
    rows = max(len(t) for t in tiers)
    width = PAD * 2 + len(tiers) * (NODE_W + COL_GAP) - COL_GAP
    height = HEAD + PAD * 2 + rows * (NODE_H + ROW_GAP) - ROW_GAP
    return max(width, 200), height, boxes


class _Canvas:
    def __init__(self, topology: Topology) -> None:
        self.topology = topology
        self.home = topology.home
        self.by_id = {c.id: c for c in topology.components}
        self.groups = clusters(topology.components)
        self.home_names = [j for j in self.groups if j == self.home]
        self.outside = sorted(j for j in self.groups if j != self.home and j != "unknown")
        if "unknown" in self.groups:
            self.outside.append("unknown")
        self.boxes: dict[str, Box] = {}  # component id or cluster:<key> -> absolute box
        self.cluster_of: dict[str, str] = {}  # component id -> cluster:<key>
        self.frames: list[tuple[str, Box, str]] = []  # (kind, box, label)
        self.collapsed: list[tuple[Cluster, Box]] = []
        self.left_w = self._column_width(self.home_names)
        self.right_x = MARGIN + self.left_w + GUTTER
        self.height = 0.0
        bottom_left = self._column(self.home_names, MARGIN)
        bottom_right = self._column(self.outside, self.right_x)
        self.right_w = self._column_width(self.outside)
        self.height = max(bottom_left, bottom_right)

    def _column_width(self, jurisdictions: list[str]) -> float:
        widths = [_cluster_size(c)[0] for j in jurisdictions for c in self.groups[j]]
        return max([*widths, 200.0]) + PAD * 2

    def _column(self, jurisdictions: list[str], x: float) -> float:
        y = MARGIN + 0.0
        width = self._column_width(jurisdictions)
        for juris in jurisdictions:
            top = y
            y += HEAD + 4
            for cluster in self.groups[juris]:
                _, h, inner = _cluster_size(cluster)
                key = f"cluster:{cluster.key}"
                box = Box(x + PAD, y, width - PAD * 2, h)
                self.boxes[key] = box
                for member in cluster.members:
                    self.cluster_of[member.id] = key
                for cid, b in inner.items():
                    self.boxes[cid] = Box(box.x + b.x, box.y + b.y, b.w, b.h)
                regions = ", ".join(cluster.regions())
                label = cluster.provider + (f" · {regions}" if regions else "")
                self.frames.append(("cluster", box, label))
                if cluster.collapsed:
                    self.collapsed.append((cluster, box))
                y += h + PAD
            self.frames.append(("jurisdiction", Box(x, top, width, y - top), _juris(juris)))
            y += PAD * 2
        return y

    def endpoint(self, cid: str, merged: bool) -> str:
        key = self.cluster_of[cid]
        return key if merged or cid not in self.boxes else cid

    def _crosses(self, a: Component, b: Component) -> bool:
        """Whether a line between ``a`` and ``b`` crosses the mainland border."""
        return (jurisdiction_of(a) == self.home) != (jurisdiction_of(b) == self.home)

    def lines(self) -> list[Line]:
        """Lines across the border; merged per cluster pair when there are many."""
        raw: list[tuple[str, str, str, str, str]] = []
        for f in self.topology.flows:
            a, b = self.by_id.get(f.source), self.by_id.get(f.target)
            if a is None or b is None or not self._crosses(a, b):
                continue
            if f.is_crossing:
                style = "crossing-covered" if f.covered else "crossing-uncovered"
            else:
                style = "flow"
            raw.append((a.id, b.id, "flow", style, f.id))
        for d in self.topology.depends_on:
            a, b = self.by_id.get(d.source), self.by_id.get(d.target)
            if a is None or b is None or not self._crosses(a, b):
                continue
            raw.append((a.id, b.id, "call", "call", f"{a.id} calls {b.id}"))
        for merged in (False, True):
            grouped: dict[tuple[str, str, str, str], list[str]] = {}
            for src, dst, kind, style, label in raw:
                key = (self.endpoint(src, merged), self.endpoint(dst, merged), kind, style)
                grouped.setdefault(key, []).append(label)
            if len(grouped) <= MAX_EDGES or merged:
                return [
                    Line(s, t, k, st, len(labels), "; ".join(sorted(labels)[:12]))
                    for (s, t, k, st), labels in sorted(grouped.items())
                ]
        return []  # unreachable: the merged pass always returns


def _juris(code: str) -> str:
    return JURISDICTION_NAMES.get(code, code)


def _path(c: _Canvas, line: Line) -> str:
    """Out of the source's column at its height, a curve over the gutter, then in: the
    straight parts run under the boxes they pass (drawn later), so labels stay clear."""
    a, b = c.boxes[line.source], c.boxes[line.target]
    left_edge = MARGIN + c.left_w
    if a.x < c.right_x:
        x1, x2, x3, x4 = a.x + a.w, left_edge, c.right_x, b.x
    else:
        x1, x2, x3, x4 = a.x, c.right_x, left_edge, b.x + b.w
    mid = (x2 + x3) / 2
    return (
        f"M{x1:.0f},{a.mid_y:.0f} H{x2:.0f} C{mid:.0f},{a.mid_y:.0f} {mid:.0f},"
        f"{b.mid_y:.0f} {x3:.0f},{b.mid_y:.0f} H{x4:.0f}"
    )


def _node(c: Component, box: Box, failing: bool) -> str:
    where = " ".join(p for p in (c.provider, c.region) if p) or "no provider"
    data = f"; data: {', '.join(c.categories)}" if c.categories else ""
    tip = f"{c.name} ({c.id}): {c.kind}, {where}, jurisdiction {c.jurisdiction or 'unknown'}{data}"
    cls = "node failing" if failing else "node"
    sub = f"{c.kind} · {c.region}" if c.region else c.kind
    return (
        f'<g class="{cls}"><title>{esc(tip)}</title>'
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" rx="5"/>'
        + svg_text(box.x + 8, box.y + 16, c.id, size=12, cls="strong", width=box.w - 16)
        + svg_text(box.x + 8, box.y + 32, sub, size=11, cls="muted", width=box.w - 16)
        + "</g>"
    )


def _collapsed(cluster: Cluster, box: Box, failing: int) -> str:
    kinds = " · ".join(f"{n} {k}" for k, n in cluster.kinds())
    regions = ", ".join(cluster.regions()) or "no region"
    lines = [
        (plural(len(cluster.members), "component") + " (collapsed)", "strong", 13),
        (kinds, "muted", 11),
        (f"regions: {regions}", "muted", 11),
    ]
    if failing:
        lines.append((f"{plural(failing, 'component')} on a blocking finding", "bad", 11))
    out = [
        f'<g class="collapsed"><rect x="{box.x + PAD:.0f}" y="{box.y + HEAD:.0f}" '
        f'width="{box.w - PAD * 2:.0f}" height="{box.h - HEAD - PAD:.0f}" rx="5"/>'
    ]
    for i, (text, cls, size) in enumerate(lines):
        out.append(
            svg_text(
                box.x + PAD + 8,
                box.y + HEAD + 18 + i * 16,
                text,
                size=size,
                cls=cls,
                width=box.w - PAD * 2 - 16,
            )
        )
    out.append("</g>")
    return "".join(out)


def render(topology: Topology, failing: frozenset[str], ident: str = "topology") -> str:
    """The diagram as inline SVG; ``failing``: components on a blocking finding."""
    c = _Canvas(topology)
    lines = c.lines()
    width = int(c.right_x + c.right_w + EXTRA_RIGHT)
    legend_y = int(c.height + 8)
    height = legend_y + 40
    crossings = sum(line.count for line in lines if line.style.startswith("crossing"))
    desc = (
        f"{plural(len(topology.components), 'component')} in "
        f"{plural(len(c.groups), 'jurisdiction')}, clustered by provider; "
        f"{plural(len(lines), 'line')} across the mainland border, "
        f"{plural(crossings, 'cross-border transfer')}. "
        "The table after the diagram lists every cluster and its members."
    )
    out = [
        svg_open(ident, width, height, "Infrastructure topology by jurisdiction and provider", desc)
    ]
    out.append(_markers(ident))
    border_x = MARGIN + c.left_w + GUTTER / 2
    out.append(
        f'<line class="border" x1="{border_x:.0f}" y1="4" x2="{border_x:.0f}" y2="{c.height:.0f}"/>'
    )
    out.append(
        svg_text(border_x, c.height - 4, "mainland border", size=11, cls="muted", anchor="middle")
    )
    for kind, box, label in c.frames:
        if kind == "jurisdiction":
            out.append(
                f'<rect class="jurisdiction" x="{box.x:.0f}" y="{box.y:.0f}" '
                f'width="{box.w:.0f}" height="{box.h:.0f}" rx="8"/>'
            )
            out.append(
                svg_text(box.x + 10, box.y + 18, label, size=14, cls="strong", width=box.w - 20)
            )
    for kind, box, label in c.frames:
        if kind == "cluster":
            out.append(
                f'<rect class="cluster" x="{box.x:.0f}" y="{box.y:.0f}" '
                f'width="{box.w:.0f}" height="{box.h:.0f}" rx="6"/>'
            )
            out.append(
                svg_text(
                    box.x + 8, box.y + 17, label, size=12, cls="cluster-label", width=box.w - 16
                )
            )
    for line in lines:
        dash = ' stroke-dasharray="5 4"' if line.kind == "call" else ""
        weight = min(1.5 + math.log2(line.count), 5)
        tip = f"{plural(line.count, line.kind)}: {line.label}"
        out.append(
            f'<path class="edge {line.style}" d="{_path(c, line)}" stroke-width="{weight:g}"'
            f'{dash} marker-end="url(#{ident}-arrow-{line.style})"><title>{esc(tip)}</title>'
            "</path>"
        )
    for cid, box in sorted(c.boxes.items()):
        comp = c.by_id.get(cid)
        if comp is not None:
            out.append(_node(comp, box, cid in failing))
    for cluster, box in c.collapsed:
        out.append(_collapsed(cluster, box, sum(m.id in failing for m in cluster.members)))
    out.append(_legend(legend_y))
    out.append("</svg>")
    return "".join(out)


def _markers(ident: str) -> str:
    parts = ["<defs>"]
    for style in ("crossing-covered", "crossing-uncovered", "flow", "call"):
        parts.append(
            f'<marker id="{ident}-arrow-{style}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" '
            f'orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{COLORS[style]}"/></marker>'
        )
    parts.append("</defs>")
    return "".join(parts)


LEGEND = (
    ("crossing-covered", "transfer, covered"),
    ("crossing-uncovered", "transfer, NOT covered"),
    ("flow", "other data flow"),
    ("call", "call (depends_on)"),
)


def _legend(y: int) -> str:
    out = [f'<g class="legend" transform="translate({MARGIN},{y})">']
    x = 0
    for style, text in LEGEND:
        dash = ' stroke-dasharray="5 4"' if style == "call" else ""
        out.append(
            f'<line class="edge {style}" x1="{x}" y1="10" x2="{x + 34}" y2="10" '
            f'stroke-width="3"{dash}/>'
        )
        out.append(svg_text(x + 40, 14, text, size=12))
        x += 60 + int(len(text) * 7)
    out.append(f'<rect class="node failing" x="{x}" y="2" width="30" height="16" rx="3"/>')
    out.append(svg_text(x + 36, 14, "component on a blocking finding", size=12))
    out.append("</g>")
    return "".join(out)
