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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from steer.analysis.graph import DataFlowGraph

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


class Lineage:
    """The result of the search. States are kept as integers while searching (a
    component's index plus a token's index times the number of components), so
    the hot loops hash and allocate no tuples; ``reaching``, ``carried`` and
    ``volumes`` give them back by name."""

    def __init__(self, graph: DataFlowGraph, flows: Mapping[str, Mapping[str, Any]]) -> None:
        self.graph = graph
        self.flows = flows
        self.names = list(graph.nodes)  # component index -> id
        self.index = {c: i for i, c in enumerate(self.names)}
        self.flow_ids = list(flows)  # flow index -> id
        self.flow_index = {f: i for i, f in enumerate(self.flow_ids)}
        self.tokens: list[Token] = []  # token index -> token
        self.token_index: dict[Token, int] = {}
        # component index -> token index -> (previous component, its token, flow index)
        self._reach: list[dict[int, tuple[int, int, int] | None]] = []
        self._carried: list[dict[int, int]] = []  # flow index -> carried token -> source's
        self.excess: dict[str, list[str]] = {}  # flow -> declared but unreachable
        # origin state -> records held there for its token (None: not stated), for ``volumes``
        self.origins: dict[State, int | None] = {}
        self._moves: dict[int, list[int]] = {}  # state -> [next state * flows + flow, ...]

    def _token(self, token: Token) -> int:
        hit = self.token_index.get(token)
        if hit is None:
            hit = self.token_index[token] = len(self.tokens)
            self.tokens.append(token)
        return hit

    @classmethod
    def compute(
        cls,
        graph: DataFlowGraph,
        components: Mapping[str, Mapping[str, Any]],
        flows: Mapping[str, Mapping[str, Any]],
        closure: Mapping[str, frozenset[str]],
    ) -> Lineage:
        """Search the graph: ``components`` and ``flows`` as the manifest declares them,
        ``closure`` each data category's implications (the taxonomy, resolved)."""
        home = graph.home
        lin = cls(graph, flows)
        names, index, n = lin.names, lin.index, len(lin.names)
        tokens, tok = lin.tokens, lin._token
        reach: list[dict[int, tuple[int, int, int] | None]] = [{} for _ in names]
        carried: list[dict[int, int]] = [{} for _ in flows]
        queue: deque[int] = deque()

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
            i, t = index[cid], tok(token)
            if t not in reach[i]:
                reach[i][t] = None
                queue.append(t * n + i)
            lin.origins[(cid, token)] = _held_records(components[cid], token, closure, home)

        rules = {
            index[cid]: [(t["from"], t["to"]) for t in comp["transforms"]]
            for cid, comp in components.items()
            if comp.get("transforms")
        }

        def emit(node: int, t: int) -> list[int]:
            category, subjects = tokens[t]
            cats = closure.get(category, frozenset((category,)))
            out = [tok((to, subjects)) for src, to in rules[node] if src in cats]
            return out or [t]

        implied: list[frozenset[str]] = []  # token index -> its category's closure

        def cats_of(t: int) -> frozenset[str]:
            while len(implied) <= t:
                category = tokens[len(implied)][0]
                implied.append(closure.get(category) or frozenset((category,)))
            return implied[t]

        # Per node, its outgoing flows as (flow index, target index, subjects filter,
        # declared data, what the flow carries, what reaches the target): the hot loop
        # below looks up nothing else.
        rows = [
            (
                fi,
                index[flow["to"]],
                flow.get("subjects"),
                tuple(flow.get("data") or ()),
                carried[fi],
                reach[index[flow["to"]]],
            )
            for fi, flow in enumerate(flows.values())
        ]
        flow_index = lin.flow_index
        out: list[list[Any]] = [[] for _ in names]
        for cid, leaving in graph.flows_out.items():  # in id order (see DataFlowGraph)
            out[index[cid]] = [rows[flow_index[e.id]] for e in leaving]
        pop, push, nf = queue.popleft, queue.append, len(carried)
        # Every move between states, kept for ``volumes`` (a second walk over the same
        # moves, in another order): state -> [next state * flows + flow index, ...].
        moves = lin._moves
        while queue:
            state = pop()
            t, node = divmod(state, n)
            edges = out[node]
            if not edges:
                continue
            mine: list[int] = []
            moves[state] = mine
            record = mine.append
            for out_t in emit(node, t) if node in rules else (t,):
                subjects = tokens[out_t][1]
                for fi, target, want_subjects, declared, seen, there in edges:
                    if want_subjects and subjects != want_subjects:
                        continue
                    if not declared:  # the common case: the flow carries what it gets
                        if out_t not in seen:
                            seen[out_t] = t
                        nxt = out_t * n + target
                        record(nxt * nf + fi)
                        if out_t not in there:
                            there[out_t] = (node, t, fi)
                            push(nxt)
                        continue
                    cats = cats_of(out_t)
                    for d in declared:
                        if d not in cats:
                            continue
                        result = tok((d, subjects))
                        if result not in seen:
                            seen[result] = t
                        nxt = result * n + target
                        record(nxt * nf + fi)
                        if result not in there:
                            there[result] = (node, t, fi)
                            push(nxt)

        lin._reach = reach
        lin._carried = carried
        for fi, (fid, flow) in enumerate(flows.items()):
            listed = flow.get("data")
            if not listed or components[flow["from"]]["kind"] in COLLECTORS:
                continue
            got = {tokens[t][0] for t in carried[fi]}
            missing = [d for d in listed if d not in got]
            if missing:
                lin.excess[fid] = missing
        return lin

    # -- by name ------------------------------------------------------------------------
    @cached_property
    def reaching(self) -> dict[str, dict[Token, Pred]]:
        """Per component, each token that reaches it and how: (previous component, its
        token, flow), or None at an origin."""
        names, tokens, flows = self.names, self.tokens, self.flow_ids
        return {
            names[i]: {
                tokens[t]: None if p is None else (names[p[0]], tokens[p[1]], flows[p[2]])
                for t, p in preds.items()
            }
            for i, preds in enumerate(self._reach)
        }

    def carried_by(self, flow: str) -> dict[Token, Token]:
        """What a flow carries: each token, and the source's token it came from."""
        tokens = self.tokens
        return {tokens[t]: tokens[s] for t, s in self._carried[self.flow_index[flow]].items()}

    @cached_property
    def carried(self) -> dict[str, dict[Token, Token]]:
        return {f: self.carried_by(f) for f in self.flow_ids}

    @cached_property
    def _known(self) -> tuple[dict[int, int | None], dict[int, str]]:
        """(flow index * tokens + token index) -> the records and the id of the largest
        origin that states its records and reaches it (ties in state order)."""
        order = sorted(
            ((k, v) for k, v in self.origins.items() if v is not None),
            key=lambda kv: (-(kv[1] or 0), kv[0]),
        )
        return self._walk(order)

    @cached_property
    def _unknown(self) -> dict[int, int | None]:
        """The keys an origin that states no records reaches (their volume is unknown,
        whatever else reaches them: see the module doc)."""
        unstated = [(k, v) for k, v in sorted(self.origins.items()) if v is None]
        return self._walk(unstated)[0] if unstated else {}

    @cached_property
    def _holding_origins(self) -> dict[int, str]:
        """Per key, the largest origin that states its records: a channel that collects
        without a count feeds a holding downstream, whose count bounds the individuals."""
        return self._known[1]

    def _walk(
        self, order: Sequence[tuple[State, int | None]]
    ) -> tuple[dict[int, int | None], dict[int, str]]:
        """Replay the recorded moves from each origin in ``order``: every (flow, token)
        key gets the records and the id of the first origin that reaches it."""
        n, count, nf = len(self.names), len(self.tokens), len(self.flow_ids)
        index, token_index = self.index, self.token_index
        seen = bytearray(n * count)
        out: dict[int, int | None] = {}
        source: dict[int, str] = {}
        moves = self._moves
        for (cid, token), records in order:
            state = token_index[token] * n + index[cid]
            if seen[state]:
                continue
            seen[state] = 1
            stack = [state]
            while stack:  # the moves the first walk recorded, from the largest origin down
                for move in moves.get(stack.pop(), ()):
                    nxt = move // nf
                    key = (move - nxt * nf) * count + nxt // n
                    if key not in out:
                        out[key] = records
                        source[key] = cid
                    if not seen[nxt]:
                        seen[nxt] = 1
                        stack.append(nxt)
        return out, source

    def volume_of(self, flow: str) -> dict[Token, int | None]:
        """Per token a flow carries: the most records held at an origin whose data
        reaches it, or None if one of those origins states none (see the module doc)."""
        fi = self.flow_index[flow]
        base, tokens = fi * len(self.tokens), self.tokens
        known, unknown = self._known[0], self._unknown
        return {
            tokens[t]: None if base + t in unknown else known.get(base + t)
            for t in self._carried[fi]
        }

    def holding_origins_of(self, flow: str) -> dict[Token, str]:
        """Per token a flow carries: the largest origin with a stated count that reaches
        it (tokens no such origin reaches are left out)."""
        fi = self.flow_index[flow]
        base, tokens, known = fi * len(self.tokens), self.tokens, self._holding_origins
        out = {}
        for t in self._carried[fi]:
            origin = known.get(base + t)
            if origin is not None:
                out[tokens[t]] = origin
        return out

    @property
    def volumes(self) -> dict[str, dict[Token, int | None]]:
        """``volume_of`` for every flow that carries anything."""
        return {f: self.volume_of(f) for i, f in enumerate(self.flow_ids) if self._carried[i]}

    def path_to(self, node: str, token: Token) -> tuple[str, ...]:
        """The witness path: the components from an origin of ``token`` to ``node``."""
        t = self.token_index.get(token)
        i = self.index[node]
        out = [i]
        pred = None if t is None else self._reach[i].get(t)
        reach = self._reach
        guard = len(reach) + 1
        while pred is not None and guard:
            prev, prev_t, _flow = pred
            out.append(prev)
            pred = reach[prev].get(prev_t)
            guard -= 1
        names = self.names
        return tuple(names[i] for i in reversed(out))

    def flow_path(self, flow: str, source: str, target: str, token: Token) -> tuple[str, ...]:
        """Origin ... source, target: the route by which ``token`` crossed ``flow``."""
        t = self.token_index.get(token)
        before = None if t is None else self._carried[self.flow_index[flow]].get(t)
        if before is None:
            return (source, target)
        return (*self.path_to(source, self.tokens[before]), target)

    def crossings(self) -> list[Crossing]:
        """The flows that carry data from the home jurisdiction to outside it."""
        home = self.graph.home_nodes
        tokens = self.tokens
        out = []
        for fi, (fid, flow) in enumerate(self.flows.items()):
            carried = self._carried[fi]
            if not carried:
                continue
            source, target = flow["from"], flow["to"]
            if source not in home or target in home:
                continue
            out.append(
                Crossing(
                    flow=fid,
                    source=source,
                    target=target,
                    tokens=frozenset(tokens[t] for t in carried),
                    lineage=self,
                )
            )
        return out


def _held_records(
    component: Mapping[str, Any], token: Token, closure: Mapping[str, frozenset[str]], home: str
) -> int | None:
    """The most records ``component`` states for data that is, or implies, ``token``."""
    best: int | None = None
    for item in component.get("data") or []:
        if item.get("records") is None or (item.get("subjects") or home) != token[1]:
            continue
        if token[0] in closure.get(item["category"], frozenset((item["category"],))):
            best = max(best or 0, int(item["records"]))
    return best
