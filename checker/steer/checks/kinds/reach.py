"""``reach``: no path along flows and calls leads from a component matching ``from``
to one matching ``to``, unless it passes through a component matching ``through``.

Parameters::

    from: PREDICATE       # where paths start (e.g. mainland components)
    to: PREDICATE         # where they must not arrive (e.g. services the GFW blocks)
    through: PREDICATE    # sanctioned intermediaries (e.g. relays; coordinate converters)
    edges: [flows, depends_on]   # which edges paths follow (default both)
    transitive_edges: [depends_on]   # edges a path may follow beyond the hop next to a
                                 # ``to`` (``report: from``) or ``from`` component
                                 # (default: ``edges``)
    report: from | to     # which end a finding targets (default from)

One breadth-first search from all targets (``report: from``, over reversed edges)
or from all sources (``report: to``) finds, in linear time, every component that
has such a path, with a shortest one as the witness. A path may not continue
through a ``through`` component: its own edges are the sanctioned way on. Nor does
one start or end at such a component: a relay that is itself hosted abroad is the
sanctioned way out, and a map component that converts coordinates itself receives
WGS-84 legitimately. A component matching both ``from`` and ``to`` is reported with
a path of itself.
Messages may use ``{source.FIELD}``, ``{dest.FIELD}`` (the two ends' component
fields) and ``{hops}``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from steer.checks.context import Context
from steer.checks.kinds.common import PREDICATE, predicate, with_defs
from steer.checks.predicates import Predicate, Scope
from steer.checks.template import render
from steer.packs.model import Guardrail, Parameter
from steer.results.findings import Hit

NAME = "reach"
# what its messages may name: the facts it reports, and (VIEWS) the element's view too
FACTS = frozenset({"source", "dest", "dest_what", "hops", "target"})
VIEWS = True

_EDGES = {
    "type": "array",
    "items": {"enum": ["flows", "depends_on"]},
    "minItems": 1,
    "uniqueItems": True,
}
SCHEMA = with_defs(
    {
        "type": "object",
        "properties": {
            "kind": {},
            "from": PREDICATE,
            "to": PREDICATE,
            "through": PREDICATE,
            "edges": _EDGES,
            "transitive_edges": _EDGES,
            "report": {"enum": ["from", "to"]},
        },
        "required": ["from", "to"],
        "additionalProperties": False,
    }
)


@dataclass(frozen=True)
class Compiled:
    source: Predicate
    dest: Predicate
    through: Predicate
    edges: tuple[str, ...]
    transitive: tuple[str, ...]
    report: str


def compile(check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Compiled:
    edges = check.get("edges", ["flows", "depends_on"])
    transitive = check.get("transitive_edges", edges)
    return Compiled(
        source=predicate(check["from"], parameters, "from"),
        dest=predicate(check["to"], parameters, "to"),
        through=predicate(check.get("through"), parameters, "through", default=False),
        edges=tuple("flow" if e == "flows" else "call" for e in edges),
        transitive=tuple("flow" if e == "flows" else "call" for e in transitive),
        report=check.get("report", "from"),
    )


def check(compiled: Compiled, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]:
    graph = ctx.graph
    views = ctx.components
    scope = Scope(ctx)
    sources = {c for c, v in views.items() if compiled.source(v, scope)}
    dests = {c for c, v in views.items() if compiled.dest(v, scope)}
    relays = {c for c, v in views.items() if compiled.through(v, scope)}
    if not sources or not dests:
        return
    forward = compiled.report == "to"
    # A ``through`` component ends no path (see the docstring).
    starts = sorted((sources - relays) if forward else (dests - relays))
    goal = (dests - relays) if forward else (sources - relays)
    # next_hop[n]: the neighbour one step closer to a start; starts map to None.
    next_hop: dict[str, str | None] = dict.fromkeys(starts)
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        if node in relays and next_hop[node] is not None:
            continue  # a path may end at a relay but not pass through it
        # The hop next to a start may use any of ``edges``; hops beyond, ``transitive_edges``.
        kinds = compiled.edges if next_hop[node] is None else compiled.transitive
        edges = graph.out_edges(node, kinds) if forward else graph.in_edges(node, kinds)
        for edge in sorted(edges, key=lambda e: e.id):
            nxt = edge.target if forward else edge.source
            if nxt not in next_hop:
                next_hop[nxt] = node
                queue.append(nxt)
    for node in sorted(goal):
        if node not in next_hop:
            continue
        chain = [node]
        hop = next_hop[node]
        while hop is not None:
            chain.append(hop)
            hop = next_hop[hop]
        path = tuple(reversed(chain)) if forward else tuple(chain)
        source, dest = path[0], path[-1]
        target = dest if forward else source
        facts = {
            "source": views[source],
            "dest": views[dest],
            "dest_what": _describe(views[dest]),
            "hops": len(path) - 1,
            "target": f"components.{target}",
        }
        yield Hit(
            target=f"components.{target}",
            message=render(guardrail.message, facts, views[target], ctx.params),
            at=("components", target),
            path=path,
        )


def _describe(view: Mapping[str, Any]) -> str:
    """A component as a finding names it: its service, else where it is hosted."""
    if view.get("service"):
        return str(view["service"])
    loc = view.get("location") or {}
    if loc.get("provider"):
        where = f"{loc['provider']} {loc.get('region') or ''}".strip()
        return f"{where}, {loc.get('jurisdiction') or 'jurisdiction unknown'}"
    return str(loc.get("jurisdiction") or "location unknown")
