"""The cross-border data-flow model: what crosses the mainland border, from where,
to whom, under which approvals (the annex's second diagram, drawn from the
transfer register).

Four columns, placed by networkx's layered layout (:mod:`.layout`): where the data
is held or collected, the component it leaves from, the crossing itself (a box on
the border with its categories, volume, the mechanism it needs and its approvals),
and the recipient outside. Uncovered crossings are red and say so in words; only
crossings are drawn. With more than :data:`MAX_CROSSINGS` crossings the boxes are
merged per destination jurisdiction and coverage, and the left column shows
provider clusters instead of components: the register lists every crossing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .layout import jurisdiction_of, provider_of, rank_layers, rows_to_pixels
from .markup import esc, plural, svg_open, svg_text
from .model import Component, Topology
from .style import COLORS

MAX_CROSSINGS = 30
NODE_W, NODE_H, BOX_W, BOX_H = 190, 40, 330, 76
PITCH, TOP, MARGIN, GAP = 86, 44, 12, 64
REQUIRES = {
    "cac-security-assessment": "CAC security assessment",
    "standard-contract-or-certification": "standard contract or certification",
    "none": "no transfer mechanism",
}

Crossing = Mapping[str, Any]


def requires_label(value: object) -> str:
    return REQUIRES.get(str(value), str(value))


def _approvals(c: Crossing) -> str:
    items = c.get("approvals") or []
    if not items:
        return "no approvals"
    return ", ".join(f"{a.get('id')} {'✓' if a.get('counts') else '✗'}" for a in items)


def _individuals(c: Crossing) -> str:
    n = c.get("individuals")
    return "volume unknown" if n is None else f"{n:,} individuals"


def _crossing_tip(c: Crossing) -> str:
    why = "; ".join(
        f"{a.get('id')} ({a.get('type')}): {'counts' if a.get('counts') else 'does not count'}"
        f" — {a.get('why', '')}"
        for a in c.get("approvals") or []
    )
    basis = "; ".join(str(b) for b in c.get("basis") or [])
    path = " → ".join(str(p) for p in c.get("path") or [])
    return (
        f"{c.get('flow')}: {path}. Requires {requires_label(c.get('requires'))}. "
        f"Basis: {basis or '—'}. Approvals: {why or 'none'}. "
        f"{'Covered' if c.get('covered') else 'NOT covered'}."
    )


class _Plan:
    """What goes in which column, in which order."""

    def __init__(self, crossings: Sequence[Crossing], topology: Topology) -> None:
        self.by_id = {c.id: c for c in topology.components}
        self.merged = len(crossings) > MAX_CROSSINGS
        ordered = sorted(crossings, key=self._order)
        self.boxes: dict[str, list[Crossing]] = {}  # box key -> crossings in it
        self.exit_of: dict[str, set[str]] = {}  # box -> exits
        self.dest_of: dict[str, str] = {}  # box -> destination node
        self.origins_of: dict[str, set[str]] = {}  # exit -> origins
        for c in ordered:
            box = self._box(c)
            self.boxes.setdefault(box, []).append(c)
            self.exit_of.setdefault(box, set()).add(self._exit(c))
            self.dest_of[box] = self._dest(c)
            if not self.merged:
                path = [str(p) for p in c.get("path") or []]
                if len(path) > 2 and path[0] != c.get("from"):
                    self.origins_of.setdefault(self._exit(c), set()).add(f"o:{path[0]}")
        box_order = list(self.boxes)
        dests: list[str] = []
        for box in box_order:
            if self.dest_of[box] not in dests:
                dests.append(self.dest_of[box])
        # exits and origins stand level with the mean row of what they feed
        exits = sorted(
            {e for es in self.exit_of.values() for e in es},
            key=lambda e: (_mean(i for i, b in enumerate(box_order) if e in self.exit_of[b]), e),
        )
        origins = sorted(
            {o for os_ in self.origins_of.values() for o in os_},
            key=lambda o: (
                _mean(i for i, e in enumerate(exits) if o in self.origins_of.get(e, ())),
                o,
            ),
        )
        self.layers = [origins, exits, box_order, dests]

    def _comp(self, cid: object) -> Component | None:
        return self.by_id.get(str(cid))

    def _juris(self, cid: object, fallback: object = None) -> str:
        comp = self._comp(cid)
        if comp is not None and comp.jurisdiction:
            return comp.jurisdiction
        return str(fallback) if fallback else "unknown"

    def _order(self, c: Crossing) -> tuple[str, ...]:
        dest = self._juris(c.get("to"), c.get("destination"))
        return (dest, str(c.get("to")), str(c.get("from")), str(c.get("flow")))

    def _exit(self, c: Crossing) -> str:
        if self.merged:
            comp = self._comp(c.get("from"))
            where = "unknown" if comp is None else f"{jurisdiction_of(comp)}/{provider_of(comp)}"
            return f"e:{where}"
        return f"e:{c.get('from')}"

    def _dest(self, c: Crossing) -> str:
        if self.merged:
            return f"d:{self._juris(c.get('to'), c.get('destination'))}"
        return f"d:{c.get('to')}"

    def _box(self, c: Crossing) -> str:
        if self.merged:
            dest = self._juris(c.get("to"), c.get("destination"))
            return f"x:{dest}:{'covered' if c.get('covered') else 'uncovered'}"
        return f"x:{c.get('flow')}"


def _mean(values: Any) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def render(crossings: Sequence[Crossing], topology: Topology, ident: str = "dataflow") -> str:
    plan = _Plan(crossings, topology)
    layers = plan.layers if plan.layers[0] else [[], *plan.layers[1:]]
    ranked = rank_layers(layers)
    tops = rows_to_pixels(ranked, TOP, PITCH)
    xs = [MARGIN, MARGIN + NODE_W + GAP, MARGIN + 2 * (NODE_W + GAP)]
    xs.append(xs[2] + BOX_W + GAP)
    if not plan.layers[0]:  # no origin column: close the gap
        xs = [MARGIN, MARGIN, MARGIN + NODE_W + GAP, MARGIN + 2 * NODE_W + GAP + BOX_W]
    width = xs[3] + NODE_W + 20 + MARGIN
    rows = max((len(layer) for layer in layers), default=0)
    height = TOP + max(rows, 1) * PITCH + 40
    uncovered = sum(not c.get("covered") for c in crossings)
    desc = (
        f"{plural(len(crossings), 'crossing')} of the mainland border, "
        f"{uncovered} not covered by the approvals they need"
        + (", merged per destination and coverage" if plan.merged else "")
        + ". The transfer register above lists each crossing with the same facts."
    )
    out = [svg_open(ident, width, height, "Cross-border data-flow model", desc)]
    out.append(_markers(ident))
    border = xs[2] + BOX_W / 2
    out.append(f'<rect class="home" x="0" y="0" width="{border:.0f}" height="{height}"/>')
    out.append(
        f'<rect class="outside" x="{border:.0f}" y="0" width="{width - border:.0f}" '
        f'height="{height}"/>'
    )
    out.append(f'<line class="border" x1="{border:.0f}" y1="30" x2="{border:.0f}" y2="{height}"/>')
    heads = (
        ("held or collected", xs[0]),
        ("leaves from", xs[1]),
        ("crossing (transfer register)", xs[2]),
        ("received outside the mainland", xs[3]),
    )
    for i, (text, x) in enumerate(heads):
        if i == 0 and not plan.layers[0]:
            continue
        out.append(svg_text(x, 22, text, size=12, cls="strong"))
    if not crossings:
        out.append(
            svg_text(MARGIN, TOP + 20, "No data of mainland subjects leaves the mainland.", size=13)
        )
    pos: dict[str, tuple[float, float, float]] = {}  # key -> (x, mid y, width)
    for key, (layer, _) in ranked.items():
        h = BOX_H if layer == 2 else NODE_H
        w = BOX_W if layer == 2 else NODE_W
        pos[key] = (xs[layer], tops[key] + (PITCH - 10 - h) / 2 + h / 2, w)
    out += _edges(plan, pos, ident)
    for layer, keys in enumerate(layers):
        for key in keys:
            left, mid, _ = pos[key]
            if layer == 2:
                out.append(_box(plan, key, left, mid - BOX_H / 2))
            else:
                out.append(_node(plan, key, left, mid - NODE_H / 2))
    out.append("</svg>")
    return "".join(out)


def _edges(plan: _Plan, pos: dict[str, tuple[float, float, float]], ident: str) -> list[str]:
    out = []

    def curve(a: str, b: str, cls: str, tip: str, arrow: bool) -> None:
        x1 = pos[a][0] + pos[a][2]
        y1 = pos[a][1]
        x2, y2 = pos[b][0], pos[b][1]
        mid = (x1 + x2) / 2
        marker = f' marker-end="url(#{ident}-arrow-{cls})"' if arrow else ""
        out.append(
            f'<path class="edge {cls}" d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},'
            f'{y2:.0f} {x2:.0f},{y2:.0f}" stroke-width="2"{marker}><title>{esc(tip)}</title></path>'
        )

    for exit_, origins in sorted(plan.origins_of.items()):
        for origin in sorted(origins):
            curve(origin, exit_, "lineage", f"{origin[2:]} → … → {exit_[2:]}", False)
    for box, crossings in plan.boxes.items():
        covered = all(c.get("covered") for c in crossings)
        cls = "crossing-covered" if covered else "crossing-uncovered"
        for exit_ in sorted(plan.exit_of[box]):
            curve(exit_, box, cls, f"{exit_[2:]} → {box[2:]}", False)
        curve(box, plan.dest_of[box], cls, f"{box[2:]} → {plan.dest_of[box][2:]}", True)
    return out


def _node(plan: _Plan, key: str, x: float, y: float) -> str:
    name = key[2:]
    comp = plan.by_id.get(name)
    if comp is not None:
        title = name
        sub = f"{comp.kind} · {comp.jurisdiction or 'unknown'}"
        sub += f" · {comp.region}" if comp.region else ""
        tip = f"{comp.name} ({comp.id})"
    else:  # a merged cluster or jurisdiction
        title = name
        sub = "components of this cluster" if key.startswith("e:") else "recipients here"
        tip = name
    return (
        f'<g class="node"><title>{esc(tip)}</title><rect x="{x:.0f}" y="{y:.0f}" '
        f'width="{NODE_W}" height="{NODE_H}" rx="5"/>'
        + svg_text(x + 8, y + 16, title, size=12, cls="strong", width=NODE_W - 16)
        + svg_text(x + 8, y + 32, sub, size=11, cls="muted", width=NODE_W - 16)
        + "</g>"
    )


def _box(plan: _Plan, key: str, x: float, y: float) -> str:
    crossings = plan.boxes[key]
    covered = all(c.get("covered") for c in crossings)
    state = ("✓ covered", "good") if covered else ("✗ NOT covered", "bad")
    inner = BOX_W - 16
    if len(crossings) == 1 and not plan.merged:
        c = crossings[0]
        cats = ", ".join(str(x) for x in c.get("categories") or [])
        lines = [
            (f"{cats} · {_individuals(c)}", ""),
            (f"needs {requires_label(c.get('requires'))}", ""),
            (_approvals(c), "muted"),
        ]
        head = str(c.get("flow"))
        tip = _crossing_tip(c)
    else:
        carried = sorted({str(x) for c in crossings for x in c.get("categories") or []})
        needs: dict[str, int] = {}
        for c in crossings:
            label = requires_label(c.get("requires"))
            needs[label] = needs.get(label, 0) + 1
        lines = [
            (", ".join(carried), ""),
            ("needs " + "; ".join(f"{n}× {k}" for k, n in sorted(needs.items())), ""),
            ("flows: " + ", ".join(str(c.get("flow")) for c in crossings), "muted"),
        ]
        head = plural(len(crossings), "crossing")
        tip = f"{head}: " + ", ".join(str(c.get("flow")) for c in crossings)
    cls = "covered" if covered else "uncovered"
    out = [
        f'<g class="xbox {cls}"><title>{esc(tip)}</title><rect x="{x:.0f}" y="{y:.0f}" '
        f'width="{BOX_W}" height="{BOX_H}" rx="6"/>',
        svg_text(x + 8, y + 17, head, size=12, cls="strong", width=inner - 100),
        svg_text(x + BOX_W - 8, y + 17, state[0], size=12, cls=state[1], anchor="end"),
    ]
    for i, (text, klass) in enumerate(lines):
        out.append(svg_text(x + 8, y + 34 + i * 15, text, size=11, cls=klass, width=inner))
    out.append("</g>")
    return "".join(out)


def _markers(ident: str) -> str:
    parts = ["<defs>"]
    for style in ("crossing-covered", "crossing-uncovered"):
        parts.append(
            f'<marker id="{ident}-arrow-{style}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" '
            f'orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{COLORS[style]}"/></marker>'
        )
    parts.append("</defs>")
    return "".join(parts)
