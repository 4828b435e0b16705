"""Reading YAML with every position kept.

PyYAML's constructors throw positions away, so steer composes the node tree (with
the LibYAML parser where available) and builds plain data from it itself. That one
walk also rejects what a manifest must never contain: duplicate keys, tags beyond
plain data, alias bombs and recursive aliases, and nesting deep enough to crash the
C composer. The node tree is kept, so any JSON path can be turned back into a
``file:line:col`` long after loading, without a position table for every value.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from steer.errors import InputError, Mark

try:  # LibYAML: the parser and composer run in C
    from yaml import CSafeLoader as _CLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _CLoader  # type: ignore[assignment]

JsonPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _MAP, _SEQ, _MERGE = (_TAG + t for t in ("timestamp", "map", "seq", "merge"))
_BOOL_VALUES = yaml.constructor.SafeConstructor.bool_values
_scalar = yaml.constructor.SafeConstructor()

MAX_DEPTH = 100
"""Deepest nesting accepted. A manifest needs about six levels; LibYAML's composer
recurses in C and crashes the interpreter somewhere past ten thousand."""

MAX_ALIAS_EXPANSION = 100_000
"""Nodes that aliases may add on top of the document's own (billion laughs guard)."""

# Block collections nest only by moving right, so with short lines and few flow
# brackets the depth is bounded far below what the C composer survives; anything
# else gets an exact, non-recursive depth check on the parser's events first.
_LONG_LINE = 2 * MAX_DEPTH  # characters


def _implicit_table() -> tuple[dict[str, tuple[Any, ...]], tuple[Any, ...]]:
    """The safe loader's implicit resolvers by first character, wildcards appended."""
    resolvers = _CLoader.yaml_implicit_resolvers
    wildcard = tuple(resolvers.get(None, ()))
    table = {ch: (*rs, *wildcard) for ch, rs in resolvers.items() if ch is not None}
    return table, wildcard


_IMPLICIT, _WILDCARD = _implicit_table()
_SCALAR_NODE, _MAPPING_NODE = yaml.ScalarNode, yaml.MappingNode


def _resolve(kind: type, value: str, implicit: tuple[bool, bool]) -> str:
    """PyYAML's ``Resolver.resolve`` for a loader without path resolvers, with the
    first-character table built once: the composer calls it for every node."""
    if kind is _SCALAR_NODE:
        if implicit[0]:  # a plain scalar: null, bool, int, float, timestamp, merge, or str
            for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                if regexp.match(value):
                    return str(tag)
        return _STR
    return _MAP if kind is _MAPPING_NODE else _SEQ


class _Lean:
    """The safe loader, minus per-node Python work it does not need: steer registers
    no path resolvers, so the composer's descend/ascend hooks are C built-ins that
    do nothing (``{}.get(parent, index)``; ``int()``), and ``resolve`` is the lean
    version above. Mixed in before LibYAML's loader (or PyYAML's pure-Python one
    where LibYAML is missing): the same tags as that loader (tested with both);
    about 0.2 s less per 7 MB manifest."""

    resolve = staticmethod(_resolve)
    descend_resolver: Any = staticmethod({}.get)
    ascend_resolver = staticmethod(int)


class _FastLoader(_Lean, _CLoader):  # type: ignore[misc]
    pass


def show_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


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

    # -- positions ---------------------------------------------------------------
    def _members(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        cached = self._index.get(id(node))
        if cached is None:
            cached = {}
            for key, value in _merged_pairs(node):
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
        level further, e.g. ``("flows", "data")``), then let the node tree go.

        Once a manifest is validated, findings only point at element keys; the node
        tree, with two Mark objects per scalar, is several times the size of the data,
        so keeping it would double a large run's peak memory for nothing."""
        if self.root is None:
            return
        if self._early is not None and not also and depth <= 2:  # taken while building
            self._marks = {k: v for k, v in self._early.items() if len(k) <= depth}
            self._early = None
            self._index.clear()
            self.root = None
            return
        marks: dict[JsonPath, tuple[int, int]] = {}
        fields: dict[str, set[str]] = {}
        for top, name in also:
            fields.setdefault(top, set()).add(name)

        def children(node: yaml.Node) -> Iterator[tuple[str | int, yaml.Node, yaml.Node]]:
            if isinstance(node, yaml.MappingNode):
                if any(k.tag == _MERGE for k, _ in node.value):
                    pairs = _merged_pairs(node)
                else:
                    pairs = node.value
                for k, v in pairs:
                    yield str(k.value), k, v
            elif isinstance(node, yaml.SequenceNode):
                for i, item in enumerate(node.value):
                    yield i, item, item

        def visit(node: yaml.Node, path: JsonPath) -> None:
            # This runs over every element of a large manifest: keep it tight.
            level = len(path) + 1
            if (
                level == depth
                and isinstance(node, yaml.MappingNode)
                and str(path[0]) not in fields
                and not any(k.tag == _MERGE for k, _ in node.value)
            ):  # the common case: the keys of components, flows, approvals
                for k, _v in node.value:
                    start = k.start_mark
                    marks[(*path, str(k.value))] = (start.line + 1, start.column + 1)
                return
            wanted = fields.get(str(path[0])) if path and level == depth + 1 else None
            for name, at, value in children(node):
                if level > depth and (wanted is None or name not in wanted):
                    continue
                sub = (*path, name)
                start = at.start_mark
                marks[sub] = (start.line + 1, start.column + 1)
                if level < depth or (level == depth and str(sub[0]) in fields):
                    visit(value, sub)

        marks[()] = (self.root.start_mark.line + 1, self.root.start_mark.column + 1)
        visit(self.root, ())
        self._marks = marks
        self._index.clear()
        self.root = None

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


def _merged_pairs(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    """Key/value node pairs of a mapping with ``<<`` merge keys applied (explicit keys win)."""
    own: list[tuple[yaml.Node, yaml.Node]] = []
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in node.value:
        if key.tag == _MERGE:
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    merged.extend(_merged_pairs(source))
        else:
            own.append((key, value))
    if not merged:
        return own
    names = {str(k.value) for k, _ in own}
    return [(k, v) for k, v in merged if str(k.value) not in names] + own


# -- loading ------------------------------------------------------------------------
def read_text(path: Path, display: str | None = None) -> str:
    """Read a file as UTF-8, with a located error for any byte that is not."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file; expected the path of a YAML file", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory; expected the path of a YAML file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from exc
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "file is UTF-16 encoded; expected UTF-8 (save it as UTF-8)", Mark(name, 1, 1)
        )
    if b"\x00" in raw:  # UTF-16 or UTF-32 without a byte order mark, or not text at all
        line, column = _position(raw, raw.index(b"\x00"))
        raise InputError(
            "NUL byte: the file is not UTF-8 text (UTF-16 without a byte order mark?); "
            "expected a UTF-8 YAML file",
            Mark(name, line, column),
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError(
            f"invalid UTF-8 (byte 0x{bad}); expected a UTF-8 text file (steer reads YAML as UTF-8)",
            Mark(name, line, column),
        ) from None


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as editors count) of a byte offset."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return line, column


def load_file(path: Path, display: str | None = None) -> Document:
    name = display or str(path)
    return load_text(read_text(path, name), name)


def load_text(text: str, name: str) -> Document:
    """Parse one YAML document into a :class:`Document` or raise :class:`InputError`."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise InputError(
            "file is empty (only blank lines or comments); expected a YAML mapping "
            "with version, name, components, ...",
            Mark(name, 1, 1),
        )
    enabled = gc.isenabled()
    gc.disable()  # the node tree is large and acyclic: collecting mid-parse is wasted work
    try:
        if _maybe_deep(text):
            _check_depth(text, name)
        root = yaml.compose(text, Loader=_FastLoader)
        if root is None:
            raise InputError("file holds no YAML document; expected a mapping", Mark(name, 1, 1))
        builder = _Builder(name)
        data = builder.build(root)
    except yaml.MarkedYAMLError as exc:
        raise InputError(_yaml_message(exc, text), _yaml_mark(exc, name)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", Mark(name, 1, 1)) from None
    except RecursionError:  # a safety net: _check_depth should have caught it
        raise InputError(_TOO_DEEP, Mark(name, 1, 1)) from None
    finally:
        if enabled:
            gc.enable()
    doc = Document(name, data, root)
    doc._early = builder.marks
    doc._early[()] = (root.start_mark.line + 1, root.start_mark.column + 1)
    return doc


_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels; expected a manifest (about six levels)"


def _maybe_deep(text: str) -> bool:
    if text.count("[") + text.count("{") > MAX_DEPTH:
        return True
    return max(map(len, text.split("\n"))) >= _LONG_LINE  # twice as fast as a regex


def _check_depth(text: str, name: str) -> None:
    """Reject nesting past MAX_DEPTH from the parser's events, which LibYAML
    produces without recursing (its composer recurses in C and can crash)."""
    try:
        _count_depth(text, name, _FastLoader)
    except yaml.MarkedYAMLError as exc:
        # LibYAML 0.2.5+ (PyYAML 6.0.4 wheels) stops at its own limit of 1,000 levels
        # while scanning ahead, before our count reaches 100: find the exact place with
        # the pure-Python parser, which has no limit of its own (deep input only).
        if "nesting depth" not in str(exc.problem):
            raise
        _count_depth(text, name, yaml.SafeLoader)
        raise InputError(_TOO_DEEP, _yaml_mark(exc, name)) from None


def _count_depth(text: str, name: str, loader: Any) -> None:
    start = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    end = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, start):
            depth += 1
            if depth > MAX_DEPTH + 1:  # the same node _Builder would stop at
                at = event.start_mark
                where = Mark(name, at.line + 1, at.column + 1) if at else Mark(name, 1, 1)
                raise InputError(_TOO_DEEP, where)
        elif isinstance(event, end):
            depth -= 1


def _yaml_mark(exc: yaml.MarkedYAMLError, name: str) -> Mark:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Mark(name, 1, 1)
    return Mark(name, mark.line + 1, mark.column + 1)


def _yaml_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    """LibYAML's problem, where it started, and what was expected instead."""
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    opened = exc.context_mark
    at = f"line {opened.line + 1}, column {opened.column + 1}" if opened is not None else ""
    if "single document" in context:
        return (
            "YAML syntax: found a second document; expected one YAML document per manifest "
            "(remove the '---' line or split the file)"
        )
    char = _char_at(text, exc.problem_mark)
    if char == "\t" or "tab character" in problem:
        return "YAML syntax: found a tab; YAML indents with spaces only, expected spaces"
    hint = ""
    if "cannot start any token" in problem:
        hint = f"expected a value here: quote text that starts with {char!r}" if char else ""
    elif "block sequence entries are not allowed" in problem:
        hint = "expected a '- item' only where a list starts, on a line of its own under its key"
    elif "<document start>" in problem:
        hint = "expected 'key: value' lines; check the indentation of this line and the one above"
    elif "expected key" in problem or "<block end>" in problem:
        return (
            f"YAML syntax: bad indentation; expected a 'key: value' line indented like the "
            f"other keys of the mapping that starts at {at}"
        )
    elif "mapping values are not allowed" in problem:
        hint = (
            "expected one 'key: value' per line, indented like its siblings "
            "(a value containing ': ' needs quotes)"
        )
    elif "flow sequence" in context or "flow mapping" in context:
        closing = "]" if "sequence" in context else "}"
        what = "list" if "sequence" in context else "mapping"
        return (
            f"YAML syntax: {problem} in the {what} opened at {at}; "
            f"expected it to be closed with '{closing}'"
        )
    elif "quoted scalar" in context:
        return (
            f"YAML syntax: {problem} in the quoted text that starts at {at}; "
            "expected a closing quote"
        )
    elif "undefined alias" in problem:
        hint = "expected an anchor (&name) defined before its alias (*name)"
    where = f" ({context} at {at})" if context and at else ""
    return f"YAML syntax: {problem}{where}" + (f"; {hint}" if hint else "")


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


_JOIN = "".join


def _own(text: str) -> str:
    """A string of the data's own, interned.

    The parser's strings live among its node objects; sharing them would keep that
    memory pinned after the node tree is let go (see ``Document.compact``). A fresh,
    interned copy also stores each repeated key and id (``kind``, ``CN``, a region)
    once, and makes the many dictionary lookups on them compare pointers."""
    return sys.intern("".join((text, "")))


class _Builder:
    """Turns a node tree into plain data, with the checks PyYAML's loader lacks."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.done: dict[int, tuple[Any, int]] = {}  # node id -> (value, expanded size)
        self.active: set[int] = set()
        self.extra = 0  # nodes that aliases add
        # Positions of the keys two levels down (components.<id>, flows.<id>, ...),
        # taken while the nodes are at hand: all a validated manifest's findings need.
        self.marks: dict[JsonPath, tuple[int, int]] = {}
        self.top: str | None = None

    def mark(self, node: yaml.Node) -> Mark:
        return Mark(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, root: yaml.Node) -> Any:
        return self.node(root, 0)[0]

    def node(self, node: yaml.Node, depth: int) -> tuple[Any, int]:
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node), 1
        key = id(node)
        seen = self.done.get(key)
        if seen is not None:  # an alias: share the value, count what it expands to
            self.extra += seen[1]
            if self.extra > MAX_ALIAS_EXPANSION:
                raise InputError(  # at the anchor: the alias itself leaves no node behind
                    f"aliases of the anchor here expand the document past "
                    f"{MAX_ALIAS_EXPANSION:,} nodes (an alias bomb?); expected plain data, "
                    "written out without so many aliases",
                    self.mark(node),
                )
            return seen
        if key in self.active:
            raise InputError(
                "recursive alias: this anchor contains an alias of itself; expected plain "
                "data, which is finite",
                self.mark(node),
            )
        if depth > MAX_DEPTH:
            raise InputError(_TOO_DEEP, self.mark(node))
        self.active.add(key)
        result: tuple[Any, int]
        if isinstance(node, yaml.MappingNode):
            result = self.mapping(node, depth)
        else:
            if node.tag != _SEQ:
                self.bad_tag(node)
            items: list[Any] = []
            size = 1
            top = self.top if depth == 1 else None
            for i, child in enumerate(node.value):
                if top is not None:
                    start = child.start_mark
                    self.marks[(top, i)] = (start.line + 1, start.column + 1)
                value, n = self.node(child, depth + 1)
                items.append(value)
                size += n
            result = (items, size)
        self.active.discard(key)
        self.done[key] = result
        return result

    def mapping(self, node: yaml.MappingNode, depth: int) -> tuple[dict[str, Any], int]:
        if node.tag != _MAP:
            self.bad_tag(node)
        out: dict[str, Any] = {}
        size = 1
        intern, join = sys.intern, _JOIN
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if type(key_node) is not _SCALAR_NODE:
                raise InputError(
                    "a mapping key must be a plain scalar, not a list or mapping",
                    self.mark(key_node),
                )
            if key_node.tag not in _PLAIN_TAGS:
                self.bad_tag(key_node)
            key = intern(join((key_node.value, "")))  # _own, inline: once per key
            if key in out:
                self.duplicate(node, key_node, key)
            if depth < 2:
                start = key_node.start_mark
                if depth == 0:
                    self.marks[(key,)] = (start.line + 1, start.column + 1)
                    self.top = key
                elif self.top is not None:
                    self.marks[(self.top, key)] = (start.line + 1, start.column + 1)
            if type(value_node) is _SCALAR_NODE and value_node.tag == _STR:
                out[key] = intern(join((value_node.value, "")))  # the common case, inline
                size += 1
                continue
            value, n = self.node(value_node, depth + 1)
            out[key] = value
            size += n
        if merges:
            out, size = self.merge(out, size, merges, depth)
        return out, size

    def duplicate(self, node: yaml.MappingNode, key_node: yaml.Node, key: str) -> None:
        first = next(k for k, _ in node.value if k.tag != _MERGE and str(k.value) == key)
        raise InputError(
            f"duplicate key '{key}' (first defined at line {first.start_mark.line + 1});"
            " expected each key once in a mapping",
            self.mark(key_node),
        )

    def merge(
        self, out: dict[str, Any], size: int, merges: list[yaml.Node], depth: int
    ) -> tuple[dict[str, Any], int]:
        base: dict[str, Any] = {}
        for value_node in merges:
            is_list = isinstance(value_node, yaml.SequenceNode)
            sources = value_node.value if is_list else [value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise InputError(
                        "a merge key '<<' takes a mapping or a list of mappings",
                        self.mark(source),
                    )
                value, n = self.node(source, depth + 1)
                for key, item in value.items():
                    base.setdefault(key, item)
                size += n
        base.update(out)
        return base, size

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        value = node.value
        if tag in (_STR, _TIMESTAMP):  # dates stay text; the schema checks their form
            return _own(value)
        if tag == _INT:
            try:
                return int(value)
            except ValueError:
                return _scalar.construct_yaml_int(node)
        if tag == _BOOL:
            return _BOOL_VALUES[value.lower()]
        if tag == _NULL:
            return None
        if tag == _FLOAT:
            return _scalar.construct_yaml_float(node)
        return self.bad_tag(node)

    def bad_tag(self, node: yaml.Node) -> Any:
        raise InputError(
            f"unsupported tag '{show_tag(node.tag)}'; expected plain YAML data only "
            "(strings, numbers, booleans, dates, lists and mappings): steer never builds objects",
            self.mark(node),
        )


_PLAIN_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})
