"""Reading YAML with every position kept: text to a :class:`Document`.

PyYAML's constructors throw positions away, so steer composes the node tree (with
the LibYAML parser where available) and builds plain data from it itself. That one
walk also rejects what a manifest must never contain: duplicate keys, tags beyond
plain data, alias bombs and recursive aliases, and nesting deep enough to crash the
C composer. The node tree is kept, so any JSON path can be turned back into a
``file:line:col`` long after loading, without a position table for every value.
"""

from __future__ import annotations

import gc
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from steer.errors import InputError, Mark
from steer.loading.decode import STDIN, STDIN_NAME, read_text
from steer.loading.document import Document, JsonPath, show_tag
from steer.loading.messages import yaml_mark, yaml_message

try:  # LibYAML: the parser and composer run in C
    from yaml import CSafeLoader as _CLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _CLoader  # type: ignore[assignment]

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


def load_file(path: Path, display: str | None = None) -> Document:
    name = display or str(path)
    if str(path) == STDIN and name == STDIN:
        name = STDIN_NAME
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
    _check_characters(text, name)
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
        raise InputError(yaml_message(exc, text), yaml_mark(exc, name)) from None
    except yaml.reader.ReaderError as exc:  # a safety net: _check_characters comes first
        raise _bad_character(text, name, exc.position) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", Mark(name, 1, 1)) from None
    except RecursionError:  # a safety net: _check_depth should have caught it
        raise InputError(_TOO_DEEP, Mark(name, 1, 1)) from None
    finally:
        if enabled:
            gc.enable()
    builder.marks[()] = (root.start_mark.line + 1, root.start_mark.column + 1)
    return Document.parsed(name, data, root, builder.marks)


_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels; expected a manifest (about six levels)"

# What YAML does not allow raw in a file (PyYAML's Reader.NON_PRINTABLE: C0 controls
# but tab and line breaks, DEL, C1 controls, surrogates, U+FFFE and U+FFFF), and NEL
# (U+0085), which YAML reads as a line break no editor shows.
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC",
    0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI",
}  # fmt: skip


def _check_characters(text: str, name: str) -> None:
    """A raw control character is refused where it is written (PyYAML's own error
    gives only a character offset)."""
    found = _NON_PRINTABLE.search(text)
    if found is not None:
        raise _bad_character(text, name, found.start())


def _bad_character(text: str, name: str, offset: int) -> InputError:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    if not 0 <= offset < len(text):
        return InputError("not valid YAML: a character YAML does not allow", Mark(name, 1, 1))
    code = ord(text[offset])
    label = f"U+{code:04X}" + (f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else "")
    kind = "noncharacter" if code in (0xFFFE, 0xFFFF) else "control character"
    escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    return InputError(
        f"{kind} {label} written raw in the file; expected printable text (write it as "
        f'the escape "{escape}" inside double quotes, or remove it)',
        Mark(name, line, column),
    )


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
        raise InputError(_TOO_DEEP, yaml_mark(exc, name)) from None


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
                if merges:
                    first = next(k for k, _ in node.value if k.tag == _MERGE)
                    raise InputError(
                        f"duplicate key '<<' (first defined at line {first.start_mark.line + 1});"
                        " expected one merge key in a mapping (merge several mappings with"
                        " '<<: [*a, *b]')",
                        self.mark(key_node),
                    )
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
