"""A parsed YAML document: plain data, plus the node tree (or, once compacted, the
key positions) that turns any JSON path back into a ``file:line:col``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from steer.errors import Mark

JsonPath = tuple[str | int, ...]

TAG = "tag:yaml.org,2002:"
MERGE = TAG + "merge"


def show_tag(tag: str) -> str:
    return "!!" + tag[len(TAG) :] if tag.startswith(TAG) else tag


@dataclass
class Document:
    """A parsed YAML file: plain data plus the node tree it came from."""

    file: str
    data: Any
    root: yaml.Node | None
    _index: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False
    )
    _marks: dict[JsonPath, tuple[int, int]] | None = field(default=None, repr=False)
    _early: dict[JsonPath, tuple[int, int]] | None = field(default=None, repr=False)

    @classmethod
    def parsed(
        cls, file: str, data: Any, root: yaml.Node, key_marks: dict[JsonPath, tuple[int, int]]
    ) -> Document:
        """A freshly parsed document, with the key positions the parser took on the way
        (the two top levels: all that a validated manifest's findings point at)."""
        return cls(file, data, root, _early=key_marks)

    @classmethod
    def restored(cls, file: str, data: Any, key_marks: dict[JsonPath, tuple[int, int]]) -> Document:
        """A compacted document rebuilt from its data and key positions (a cache)."""
        return cls(file, data, None, _marks=key_marks)

    def key_marks(self) -> dict[JsonPath, tuple[int, int]]:
        """The key positions a compacted document keeps (see :meth:`compact`)."""
        return dict(self._marks or {})

    # -- positions ---------------------------------------------------------------
    def _members(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        cached = self._index.get(id(node))
        if cached is None:
            cached = {}
            for key, value in merged_pairs(node):
                cached[str(key.value)] = (key, value)
            self._index[id(node)] = cached
        return cached

    def _walk(self, path: JsonPath) -> Iterator[tuple[yaml.Node, yaml.Node | None]]:
        """Yield (node, key node or None) down the path as far as it exists."""
        node = self.root
        key_node: yaml.Node | None = None
        if node is None:
            return
        yield node, None
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                hit = self._members(node).get(part)
                if hit is None:
                    return
                key_node, node = hit
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    return
                key_node, node = None, node.value[part]
            else:
                return
            yield node, key_node

    def compact(self, depth: int = 2, also: tuple[tuple[str, str], ...] = ()) -> None:
        """Keep the positions of keys down to ``depth`` (and of the ``also`` fields one
        level further, with each of their elements: ``("components", "resources")``
        keeps ``components.<id>.resources`` and ``components.<id>.resources[i]``), then
        let the node tree go.

        Once a manifest is validated, findings only point at element keys; the node
        tree, with two Mark objects per scalar, is several times the size of the data,
        so keeping it would double a large run's peak memory for nothing."""
        if self.root is None:
            return
        if self._early is not None and depth <= 2:  # taken while building
            marks = {k: v for k, v in self._early.items() if len(k) <= depth}
        else:
            marks = self._key_marks(self.root, depth)
        for top, name in also:
            self._keep_field(marks, top, name)
        self._early = None
        self._marks = marks
        self._index.clear()
        self.root = None

    def _key_marks(self, root: yaml.Node, depth: int) -> dict[JsonPath, tuple[int, int]]:
        marks: dict[JsonPath, tuple[int, int]] = {}

        def visit(node: yaml.Node, path: JsonPath) -> None:
            # This runs over every element of a large manifest: keep it tight.
            level = len(path) + 1
            if (
                level == depth
                and isinstance(node, yaml.MappingNode)
                and not any(k.tag == MERGE for k, _ in node.value)
            ):  # the common case: the keys of components, flows, approvals
                for k, _v in node.value:
                    start = k.start_mark
                    marks[(*path, str(k.value))] = (start.line + 1, start.column + 1)
                return
            for name, at, value in _children(node):
                sub = (*path, name)
                start = at.start_mark
                marks[sub] = (start.line + 1, start.column + 1)
                if level < depth:
                    visit(value, sub)

        marks[()] = (root.start_mark.line + 1, root.start_mark.column + 1)
        visit(root, ())
        return marks

    def _keep_field(self, marks: dict[JsonPath, tuple[int, int]], top: str, name: str) -> None:
        """The positions of ``top.<id>.name`` and of its elements, for each element of
        ``top`` that has the field (walked in the node tree, which is still there)."""
        section = self.data.get(top) if isinstance(self.data, dict) else None
        if not isinstance(section, dict):
            return
        for key, item in section.items():
            if not isinstance(item, dict) or name not in item:
                continue
            path: JsonPath = (top, str(key), name)
            walked = list(self._walk(path))
            if len(walked) != len(path) + 1:
                continue
            node, key_node = walked[-1]
            at = (key_node or node).start_mark
            marks[path] = (at.line + 1, at.column + 1)
            for part, element, _value in _children(node):
                start = element.start_mark
                marks[(*path, part)] = (start.line + 1, start.column + 1)

    def mark(self, path: JsonPath = ()) -> Mark:
        """Where ``path`` is written: its key for a mapping member, else its value.

        A path that does not exist (a missing required field) points at the
        deepest part of it that does.
        """
        if self.root is None and self._marks is not None:
            for end in range(len(path), -1, -1):
                hit = self._marks.get(path[:end])
                if hit is not None:
                    return Mark(self.file, hit[0], hit[1])
            return Mark(self.file, 1, 1)
        best: yaml.Node | None = None
        for node, key in self._walk(path):
            best = key if key is not None else node
        return self._to_mark(best)

    def value_mark(self, path: JsonPath) -> Mark:
        if self.root is None and self._marks is not None:
            return self.mark(path)  # compacted: keys are what is left
        best: yaml.Node | None = None
        for node, _key in self._walk(path):
            best = node
        return self._to_mark(best)

    def node(self, path: JsonPath) -> yaml.Node | None:
        found: yaml.Node | None = None
        depth = -1
        for depth, (node, _key) in enumerate(self._walk(path)):  # noqa: B007
            found = node
        return found if depth == len(path) else None

    def _to_mark(self, node: yaml.Node | None) -> Mark:
        if node is None:
            return Mark(self.file, 1, 1)
        return Mark(self.file, node.start_mark.line + 1, node.start_mark.column + 1)


def _children(node: yaml.Node) -> Iterator[tuple[str | int, yaml.Node, yaml.Node]]:
    """(name or index, the node its position is taken from, the value) of each member
    of a mapping (its key) or element of a sequence (the element itself)."""
    if isinstance(node, yaml.MappingNode):
        pairs = merged_pairs(node) if any(k.tag == MERGE for k, _ in node.value) else node.value
        for k, v in pairs:
            yield str(k.value), k, v
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield i, item, item


def merged_pairs(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    """Key/value node pairs of a mapping with ``<<`` merge keys applied (explicit keys win)."""
    own: list[tuple[yaml.Node, yaml.Node]] = []
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in node.value:
        if key.tag == MERGE:
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    merged.extend(merged_pairs(source))
        else:
            own.append((key, value))
    if not merged:
        return own
    names = {str(k.value) for k, _ in own}
    return [(k, v) for k, v in merged if str(k.value) not in names] + own
