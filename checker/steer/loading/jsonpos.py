"""JSON with positions, fast enough for large Terraform plans.

``json.loads`` is fast but forgets where things were written; a parser in pure
Python keeps positions but is several times slower. This reader walks only the
*skeleton* of a document in Python (the containers a small grammar names: the
document object, the module tree, the lists of resources), records the offset of
every value in them, and hands every other value to the C scanner of the json
module, which decodes it in one call. A plan of 5,000 resources so costs a few
thousand Python steps on top of the C decoding, and every resource still knows
where it starts.

Syntax errors are the json module's own (the first error of the file, at its
position), worded as "what is wrong; expected ...". Duplicate keys, ``NaN`` and
``Infinity`` (not JSON) and nesting past :data:`MAX_DEPTH` are rejected at the
offending key or value. Positions not recorded while parsing (a key inside a
resource, for an error message) are found on demand by walking from the nearest
recorded one.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from json.scanner import make_scanner
from typing import Any, cast

from steer.errors import Mark, SteerError
from steer.loading.jsonerrors import decode_error, syntax_error

JsonPath = tuple[str | int, ...]

# Terraform's JSON nests a few dozen levels at most (nested blocks of a resource).
MAX_DEPTH = 128

_WS = re.compile(r"[ \t\n\r]*")


def _ws(text: str, i: int) -> int:
    """The offset of the first character at or after ``i`` that is not blank."""
    match = _WS.match(text, i)
    return match.end() if match else i


# The C implementations when available, as json.loads uses them (typeshed does not
# declare json.decoder.scanstring, nor that make_scanner takes a JSONDecoder).
_scanstring = cast(Callable[[str, int], tuple[str, int]], vars(json.decoder)["scanstring"])


class _Duplicate(Exception):
    """An object decoded by the C scanner has a key twice (located afterwards)."""


class _Constant(Exception):
    """NaN or Infinity: Python's json accepts them, JSON does not."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Duplicate
    return out


def _constant(name: str) -> Any:
    raise _Constant(name)


_SCAN = make_scanner(
    cast(Any, json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant))
)


@dataclass(frozen=True)
class Grammar:
    """Which containers the Python walk enters (their members' offsets are recorded).

    ``objects`` maps a container kind to its members: key (or ``"*"``, any key) to
    the member's kind; ``arrays`` maps a list kind to the kind of every item. A
    member or item whose kind is ``""`` or not listed is decoded in one C call;
    its own offset is still recorded."""

    root: str
    objects: Mapping[str, Mapping[str, str]]
    arrays: Mapping[str, str]


class Positions:
    """Offsets of the recorded values and keys of one text, turned into Marks."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.values: dict[JsonPath, int] = {}
        self.keys: dict[JsonPath, int] = {}

    def at(self, offset: int) -> Mark:
        """The Mark of a character offset: 1-based line and column in characters."""
        line = self.text.count("\n", 0, offset) + 1
        return Mark(self.file, line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1)

    def offsets(self, offsets: Sequence[int]) -> list[Mark]:
        """Marks of many offsets in one pass over the text (a Mark each by :meth:`at`
        would count the lines from the start every time)."""
        order = sorted(range(len(offsets)), key=offsets.__getitem__)
        out: list[Mark] = [Mark(self.file, 1, 1)] * len(offsets)
        line, pos, start = 1, 0, 0
        for i in order:
            target = offsets[i]
            newlines = self.text.count("\n", pos, target)
            if newlines:
                line += newlines
                start = self.text.rfind("\n", pos, target) + 1
            pos = target
            out[i] = Mark(self.file, line, target - start + 1)
        return out

    def value_offset(self, path: JsonPath) -> int:
        """Where the value at ``path`` starts, or the deepest existing part of it."""
        for end in range(len(path), -1, -1):
            offset = self.values.get(path[:end])
            if offset is not None:
                return _descend(self.text, offset, path[end:])
        return 0

    def mark(self, path: JsonPath) -> Mark:
        """Where ``path`` is written: the key of an object member, else the value."""
        key = self.keys.get(path)
        if key is not None:
            return self.at(key)
        if path and isinstance(path[-1], str):
            parent = self.value_offset(path[:-1])
            found = _member_key(self.text, parent, path[-1])
            if found is not None:
                return self.at(found)
        return self.at(self.value_offset(path))

    def value_mark(self, path: JsonPath) -> Mark:
        return self.at(self.value_offset(path))


def parse(
    text: str, name: str, grammar: Grammar, error: type[SteerError], what: str
) -> tuple[Any, Positions]:
    """Decode ``text``; raise ``error`` with a Mark for anything that is not JSON."""
    positions = Positions(name, text)
    start = _ws(text, 0)
    if start == len(text):
        raise error(f"empty file; expected {what}", Mark(name, 1, 1))
    walker = _Walker(text, grammar, positions)
    # The decoded plan is large and acyclic: collecting while it is built rescans it
    # again and again (a third of the time of a large plan) and frees nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        data, end = walker.value(start, (), grammar.root, 0)
        end = _ws(text, end)
        if end != len(text):
            raise _Syntax(end)
    except _Syntax as exc:
        raise syntax_error(text, exc.offset, positions.at, error, what) from None
    except json.JSONDecodeError as exc:
        raise decode_error(exc, text, positions.at, error, what) from None
    except _Located as exc:
        raise error(exc.message.replace("{what}", what), positions.at(exc.offset)) from None
    finally:
        if collecting:
            gc.enable()
    return data, positions


class _Syntax(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class _Located(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels; expected {{what}} (a few dozen levels)"


class _Walker:
    def __init__(self, text: str, grammar: Grammar, positions: Positions) -> None:
        self.text = text
        self.grammar = grammar
        self.values = positions.values
        self.keys = positions.keys

    def value(self, i: int, path: JsonPath, kind: str, depth: int) -> tuple[Any, int]:
        self.values[path] = i
        if kind:
            char = self.text[i : i + 1]
            if char == "{" and kind in self.grammar.objects:
                return self.object(i, path, kind, depth + 1)
            if char == "[" and kind in self.grammar.arrays:
                return self.array(i, path, kind, depth + 1)
        try:
            return _SCAN(self.text, i)
        except StopIteration:
            raise _Syntax(i) from None
        except json.JSONDecodeError:
            raise
        except (_Duplicate, _Constant, RecursionError, ValueError):
            # Rare: walk this value again, slowly, to say exactly where (ValueError: an
            # integer longer than Python converts, sys.get_int_max_str_digits()).
            raise _Located(*_problem(self.text, i, depth)) from None

    def object(self, i: int, path: JsonPath, kind: str, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise _Located(i, _TOO_DEEP)
        members = self.grammar.objects[kind]
        anything = members.get("*", "")
        text = self.text
        out: dict[str, Any] = {}
        i = _ws(text, i + 1)
        if text[i : i + 1] == "}":
            return out, i + 1
        while True:
            if text[i : i + 1] != '"':
                raise _Syntax(i)
            at = i
            key, i = _scanstring(text, i + 1)
            if key in out:
                raise _Located(at, _duplicate(key))
            i = _ws(text, i)
            if text[i : i + 1] != ":":
                raise _Syntax(i)
            i = _ws(text, i + 1)
            sub = (*path, key)
            self.keys[sub] = at
            out[key], i = self.value(i, sub, members.get(key, anything), depth)
            i = _ws(text, i)
            char = text[i : i + 1]
            if char == "}":
                return out, i + 1
            if char != ",":
                raise _Syntax(i)
            i = _ws(text, i + 1)

    def array(self, i: int, path: JsonPath, kind: str, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise _Located(i, _TOO_DEEP)
        item = self.grammar.arrays[kind]
        text = self.text
        out: list[Any] = []
        i = _ws(text, i + 1)
        if text[i : i + 1] == "]":
            return out, i + 1
        while True:
            value, i = self.value(i, (*path, len(out)), item, depth)
            out.append(value)
            i = _ws(text, i)
            char = text[i : i + 1]
            if char == "]":
                return out, i + 1
            if char != ",":
                raise _Syntax(i)
            i = _ws(text, i + 1)


def _duplicate(key: str) -> str:
    return f"duplicate key {json.dumps(key)} in this object; expected each key once"


_TOKEN = re.compile(
    r'[ \t\n\r]*(?:(")|([{}\[\]:,])|(-?Infinity|NaN)|(-?[0-9][0-9.eE+-]*|true|false|null))'
)


# Python refuses to convert longer integers (sys.get_int_max_str_digits, 4300 digits).
_MAX_DIGITS = 4300


def _problem(text: str, start: int, depth: int) -> tuple[int, str]:
    """The first duplicate key, non-JSON constant, over-long number or too-deep container
    of the value at ``start`` (which the C scanner refused), by a walk that keeps its own
    stack."""
    stack: list[set[str] | None] = []  # per open container: the keys seen, None for a list
    expect_key = False
    i = start
    while True:
        match = _TOKEN.match(text, i)
        if match is None:
            break
        at, i = match.start(match.lastindex or 0), match.end()
        if match.group(1):
            key, i = _scanstring(text, i)
            seen = stack[-1] if stack else None
            if expect_key and seen is not None:
                if key in seen:
                    return at, _duplicate(key)
                seen.add(key)
                expect_key = False
            elif not stack:
                break
        elif match.group(3):
            return at, f"{match.group(3)} is not JSON; expected a number, a string or null"
        elif match.group(4) and len(match.group(4)) > _MAX_DIGITS:
            digits = len(match.group(4).lstrip("-"))
            return at, (
                f"a number of {digits} digits; expected {{what}} (numbers of at most "
                f"{_MAX_DIGITS} digits)"
            )
        elif match.group(2) in ("{", "["):
            if depth + len(stack) + 1 > MAX_DEPTH:
                return at, _TOO_DEEP
            stack.append(set() if match.group(2) == "{" else None)
            expect_key = match.group(2) == "{"
        elif match.group(2) in ("}", "]"):
            stack.pop()
            if not stack:
                break
        elif match.group(2) == ",":
            expect_key = stack[-1] is not None
        elif not stack:  # a number or literal at the top: nothing inside to find
            break
    return start, "cannot read this value; expected {what}"


def _skip(text: str, i: int) -> int:
    """The end of the value at ``i`` (used only to find positions for messages)."""
    try:
        return int(json.JSONDecoder().raw_decode(text, i)[1])
    except (json.JSONDecodeError, RecursionError):
        return len(text)


def _member_key(text: str, i: int, key: str) -> int | None:
    """Offset of ``key`` in the object at ``i``, or None."""
    if text[i : i + 1] != "{":
        return None
    i = _ws(text, i + 1)
    while text[i : i + 1] == '"':
        at = i
        name, i = _scanstring(text, i + 1)
        if name == key:
            return at
        i = _ws(text, i)
        i = _skip(text, _ws(text, i + 1))
        i = _ws(text, i)
        if text[i : i + 1] != ",":
            return None
        i = _ws(text, i + 1)
    return None


def _descend(text: str, i: int, steps: JsonPath) -> int:
    """Offset of the value ``steps`` below the value at ``i``, or of the deepest part
    of that path that exists (a missing key points at its object)."""
    for step in steps:
        if isinstance(step, str):
            key = _member_key(text, i, step)
            if key is None:
                return i
            _name, end = _scanstring(text, key + 1)
            i = _ws(text, _ws(text, end) + 1)
            continue
        if text[i : i + 1] != "[":
            return i
        item = _ws(text, i + 1)
        for _ in range(step):
            item = _ws(text, _skip(text, item))
            if text[item : item + 1] != ",":
                return i
            item = _ws(text, item + 1)
        i = item
    return i
