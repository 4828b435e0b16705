"""Lineage: which categories of whose data reach each component, and every flow on
which home data leaves the home jurisdiction.

Data starts where it is held (a component's ``data``) or collected (a flow that
declares ``data`` out of a channel or device). It follows flows; a component's
``transforms`` replace categories on the flows that leave it (telematics to
aggregated; personal to anonymised). A flow that declares ``data`` carries only
those categories, and only as far as they reach its source (a declared category
reaches the source when something there is, or implies, it); a flow without
``data`` carries everything that reaches its source.

The analysis is a breadth-first search over (component, token) states, a token
being a (category, subjects) pair. Each state is entered once, so the work is
linear in the size of the graph times the (small, fixed) number of tokens, and
cycles need no special care. The first time a state is entered is by a shortest
route from some origin, which is kept as the witness path for findings. No simple
paths are enumerated.

``volumes`` (computed only when a crossing states no ``records_per_year``) gives,
per flow and carried token, the most records held at any origin whose data reaches
it, or None when one of those origins states no count (an unknown volume is taken
as meeting every threshold, so it must win for the answer not to shrink when a
flow is added). It is a second linear pass: origins in order of their records,
each state given the value of the first (largest) origin that reaches it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .graph import DataFlowGraph

if TYPE_CHECKING:
    from .context import Context

Token = tuple[str, str]  # (category, subjects)
State = tuple[str, Token]  # (component, token)
Pred = tuple[str, Token, str] | None  # (previous component, its token, flow id)

COLLECTORS = frozenset({"channel", "device"})


@dataclass(frozen=True)
class Crossing:
    """A flow from the home jurisdiction to outside it, and what it carries."""

    flow: str
    source: str
    target: str
    tokens: frozenset[Token]
    lineage: Lineage = field(repr=False, compare=False)
    _paths: dict[Token, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def path(self, token: Token) -> tuple[str, ...]:
        """The witness path of a carried token: origin ... source, target."""
        hit = self._paths.get(token)
        if hit is None:
            hit = self._paths[token] = self.lineage.flow_path(
                self.flow, self.source, self.target, token
            )
        return hit

    @property
    def paths(self) -> dict[Token, tuple[str, ...]]:
        """Per carried token, its witness path."""
        return {t: self.path(t) for t in sorted(self.tokens)}


@dataclass
class Lineage:
    graph: DataFlowGraph
    reaching: dict[str, dict[Token, Pred]] = field(default_factory=dict)
    # flow -> carried token -> the source's token it came from
    carried: dict[str, dict[Token, Token]] = field(default_factory=dict)
    excess: dict[str, list[str]] = field(default_factory=dict)  # flow -> declared but unreachable
    # origin state -> records held there for its token (None: not stated), for ``volumes``
    origins: dict[State, int | None] = field(default_factory=dict, repr=False)
    _moves: Any = field(default=None, repr=False)  # state -> [(flow, next state)], for ``volumes``

    @classmethod
    def compute(cls, ctx: Context, graph: DataFlowGraph) -> Lineage:
        home = graph.home
        flows = ctx.manifest.flows
        components = ctx.manifest.components
        closure = ctx.implications
        lin = cls(graph)
        reaching: dict[str, dict[Token, Pred]] = {c: {} for c in graph.nodes}
        carried: dict[str, dict[Token, Token]] = {f: {} for f in flows}
        queue: deque[State] = deque()

        def enter(node: str, token: Token, pred: Pred) -> None:
            seen = reaching[node]
            if token not in seen:
                seen[token] = pred
                queue.append((node, token))

        # Origins: declared holdings and what collectors' flows declare, entered in
        # sorted order so that the search (and so every witness path) is the same
        # whatever the order of components and flows in the file.
        origins: set[State] = set()
        for cid, comp in components.items():
            for item in comp.get("data") or []:
                origins.add((cid, (item["category"], item.get("subjects") or home)))
        for flow in flows.values():
            source = flow["from"]
            if components[source]["kind"] in COLLECTORS and flow.get("data"):
                subjects = flow.get("subjects") or home
                for category in flow["data"]:
                    origins.add((source, (category, subjects)))
        for cid, token in sorted(origins):
            enter(cid, token, None)
            lin.origins[(cid, token)] = _held_records(components[cid], token, closure, home)

        transforms = {
            cid: [(t["from"], t["to"]) for t in comp.get("transforms") or []]
            for cid, comp in components.items()
        }

        def emit(node: str, token: Token) -> list[Token]:
            rules = transforms[node]
            if not rules:
                return [token]
            cats = closure.get(token[0], frozenset((token[0],)))
            out = [(to, token[1]) for src, to in rules if src in cats]
            return out or [token]

        # Per node, its outgoing flows as (id, target, subjects filter, declared data,
        # what the flow carries, what reaches the target): the hot loop below looks up
        # nothing else.
        out: dict[str, list[Any]] = {
            node: [
                (
                    e.id,
                    e.target,
                    flows[e.id].get("subjects"),
                    tuple(flows[e.id].get("data") or ()),
                    carried[e.id],
                    reaching[e.target],
                )
                for e in edges
            ]
            for node, edges in graph.flows_out.items()
        }
        pop, push = queue.popleft, queue.append
        # Every move between states, kept for ``volumes`` (a second walk over the same
        # moves, in another order): state -> [(flow, next state)].
        moves: dict[State, list[tuple[str, State]]] = {}
        while queue:
            node, token = pop()
            edges = out[node]
            if not edges:
                continue
            mine = moves[(node, token)] = []
            record = mine.append
            for out_token in emit(node, token) if transforms[node] else (token,):
                subjects = out_token[1]
                out_cats = None
                for fid, target, want_subjects, declared, seen, there in edges:
                    if want_subjects and subjects != want_subjects:
                        continue
                    if not declared:  # the common case: the flow carries what it gets
                        if out_token not in seen:
                            seen[out_token] = token
                        nxt = (target, out_token)
                        record((fid, nxt))
                        if out_token not in there:
                            there[out_token] = (node, token, fid)
                            push(nxt)
                        continue
                    if out_cats is None:
                        out_cats = closure.get(out_token[0]) or frozenset((out_token[0],))
                    for d in declared:
                        if d not in out_cats:
                            continue
                        result = (d, subjects)
                        if result not in seen:
                            seen[result] = token
                        nxt = (target, result)
                        record((fid, nxt))
                        if result not in there:
                            there[result] = (node, token, fid)
                            push(nxt)

        lin._moves = moves
        lin.reaching = reaching
        lin.carried = carried
        for fid, flow in flows.items():
            listed = flow.get("data")
            if not listed or components[flow["from"]]["kind"] in COLLECTORS:
                continue
            got = {t[0] for t in carried[fid]}
            missing = [d for d in listed if d not in got]
            if missing:
                lin.excess[fid] = missing
        return lin

    @cached_property
    def volumes(self) -> dict[str, dict[Token, int | None]]:
        """Per flow and carried token: the most records held at an origin whose data
        reaches it, or None if one of those origins states none (see the module doc)."""
        # unknown first (it wins), then the largest; ties in state order
        order = sorted(
            self.origins.items(), key=lambda kv: (kv[1] is not None, -(kv[1] or 0), kv[0])
        )
        seen: set[State] = set()
        out: dict[str, dict[Token, int | None]] = {}
        moves = self._moves
        for state, records in order:
            if state in seen:
                continue
            seen.add(state)
            stack = [state]
            while stack:  # the moves the first walk recorded, from the largest origin down
                for fid, nxt in moves.get(stack.pop(), ()):
                    per = out.get(fid)
                    if per is None:
                        per = out[fid] = {}
                    if nxt[1] not in per:
                        per[nxt[1]] = records
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
        return out

    def path_to(self, node: str, token: Token) -> tuple[str, ...]:
        """The witness path: the components from an origin of ``token`` to ``node``."""
        out = [node]
        pred = self.reaching[node].get(token)
        guard = len(self.reaching) + 1
        while pred is not None and guard:
            prev, prev_token, _flow = pred
            out.append(prev)
            pred = self.reaching[prev].get(prev_token)
            guard -= 1
        return tuple(reversed(out))

    def flow_path(self, flow: str, source: str, target: str, token: Token) -> tuple[str, ...]:
        """Origin ... source, target: the route by which ``token`` crossed ``flow``."""
        before = self.carried[flow].get(token)
        if before is None:
            return (source, target)
        return (*self.path_to(source, before), target)

    def crossings(self, ctx: Context) -> list[Crossing]:
        graph = self.graph
        out = []
        for fid, flow in ctx.manifest.flows.items():
            source, target = flow["from"], flow["to"]
            tokens = self.carried[fid]
            if not tokens or not graph.is_home(source) or graph.is_home(target):
                continue
            out.append(
                Crossing(
                    flow=fid,
                    source=source,
                    target=target,
                    tokens=frozenset(tokens),
                    lineage=self,
                )
            )
        return out


def _held_records(
    component: dict[str, Any], token: Token, closure: dict[str, frozenset[str]], home: str
) -> int | None:
    """The most records ``component`` states for data that is, or implies, ``token``."""
    best: int | None = None
    for item in component.get("data") or []:
        if item.get("records") is None or (item.get("subjects") or home) != token[1]:
            continue
        if token[0] in closure.get(item["category"], frozenset((item["category"],))):
            best = max(best or 0, int(item["records"]))
    return best
