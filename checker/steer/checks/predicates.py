"""The predicate language of guardrails, compiled once into Python closures.

Predicates are YAML data; nothing in them is evaluated as code. A predicate is one of::

    {field: PATH, equals: V}            also not_equals, in, not_in, gt, ge, lt, le
    {field: PATH, exists: true}
    {field: PATH, matches: REGEX}       the whole value matches (RE2 syntax)
    {field: PATH, pattern: NAME}        a named pattern of the pack's ``patterns`` catalog
    {field: PATH, glob: V}              the value matches one of the glob patterns in V
                                        (ignoring case)
    {field: PATH, implies: CATEGORY}    a data category that is, or implies, CATEGORY
    {field: PATH, subset_of: V}         every element of a list value is in V
    {field: PATH, covered_by: V}        every domain of the value is, or is under, a domain in V
    {all_of: [P, ...]}  {any_of: [P, ...]}  {not: P}
    {any: PATH, where: P}  {all: PATH, where: P}  {none: PATH, where: P}

``PATH`` is a dotted path into the element (``location.jurisdiction``; ``.`` is the
element itself). A value ``V`` is a literal, or ``{param: NAME}`` (a pack parameter),
``{field: PATH}``, ``{outer: PATH}`` (a path in the guardrail's target element, from
inside ``any``/``all``), ``{catalog: NAME, where: {KEY: VALUE}}`` (the ids of a
catalog's entries that have those values) or ``{as_of: true}`` (the run's date).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from steer.packs.regex import Regex, RegexError, compile_regex

MISSING: Any = object()


class Env(Protocol):
    """What predicates read at evaluation time (one per manifest run)."""

    @property
    def params(self) -> Mapping[str, Any]: ...

    as_of: str

    def catalog_ids(self, name: str, where: Mapping[str, Any]) -> frozenset[str]: ...

    def implies(self, category: str, target: str) -> bool: ...

    def pattern(self, name: str) -> Regex: ...


@dataclass
class Scope:
    """Evaluation state: the environment and the guardrail's target element."""

    env: Env
    outer: Any = None
    vars: dict[str, Any] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict)


Predicate = Callable[[Any, Scope], bool]
Value = Callable[[Any, Scope], Any]


class PredicateError(Exception):
    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def getter(path: str) -> Callable[[Any], Any]:
    """``get`` for one path, specialised once: guardrails evaluate the same few paths
    on every element, and most are one or two keys deep."""
    parts = _parts(path) if path not in (".", "") else ()
    if not parts:
        return lambda item: item
    if len(parts) == 1:
        (first,) = parts

        def one(item: Any) -> Any:
            if type(item) is dict:
                value = item.get(first)
                return MISSING if value is None else value
            return get(item, path)

        return one
    if len(parts) == 2:
        first, second = parts

        def two(item: Any) -> Any:
            if type(item) is dict:
                inner = item.get(first)
                if type(inner) is dict:
                    value = inner.get(second)
                    return MISSING if value is None else value
                if inner is None:
                    return MISSING
            return get(item, path)

        return two
    return lambda item: get(item, path)


@lru_cache(maxsize=4096)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def get(item: Any, path: str) -> Any:
    """The value at a dotted path, or MISSING."""
    if path == "." or not path:
        return item
    value = item
    for part in _parts(path):
        if type(value) is dict or isinstance(value, Mapping):  # dicts, mostly: skip the ABC
            value = value.get(part, MISSING)
            if value is MISSING or value is None:
                return MISSING
        else:
            return MISSING
    return value


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "equals": lambda a, b: a == b,
    "not_equals": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}
_OPERATORS = (
    *_COMPARE,
    "in",
    "not_in",
    "exists",
    "matches",
    "pattern",
    "glob",
    "implies",
    "subset_of",
    "covered_by",
)


def compile_value(spec: Any, params: Iterable[str], path: tuple[str | int, ...]) -> Value:
    if isinstance(spec, Mapping) and len(spec) >= 1:
        if "param" in spec:
            name = spec["param"]
            if name not in params:
                raise PredicateError(f"unknown parameter '{name}'", (*path, "param"))
            return lambda _item, scope: scope.env.params[name]
        if "field" in spec:
            p = spec["field"]
            return lambda item, _scope: get(item, p)
        if "outer" in spec:
            p = spec["outer"]
            return lambda _item, scope: get(scope.outer, p)
        if "catalog" in spec:
            name, where = spec["catalog"], dict(spec.get("where", {}))
            key = (name, tuple(sorted(where.items())))
            return lambda _item, scope: scope.env.catalog_ids(name, where) if key else frozenset()
        if "as_of" in spec:
            return lambda _item, scope: scope.env.as_of
        if "var" in spec:
            var = spec["var"]
            return lambda _item, scope: scope.vars.get(var, MISSING)
        raise PredicateError(
            "a value is a literal or one of {param}, {field}, {outer}, {catalog}, {as_of}, {var}",
            path,
        )
    return lambda _item, _scope: spec


def compile_predicate(
    spec: Any, params: Iterable[str], path: tuple[str | int, ...] = ()
) -> Predicate:
    """Compile a predicate; ``path`` locates ``spec`` in the guardrail for errors."""
    params = frozenset(params)
    if not isinstance(spec, Mapping):
        raise PredicateError("a predicate is a mapping", path)
    if "all_of" in spec or "any_of" in spec:
        key = "all_of" if "all_of" in spec else "any_of"
        parts = [compile_predicate(p, params, (*path, key, i)) for i, p in enumerate(spec[key])]
        return _all(parts) if key == "all_of" else _any(parts)
    if "not" in spec:
        inner = compile_predicate(spec["not"], params, (*path, "not"))
        return lambda item, scope: not inner(item, scope)
    for quant in ("any", "all", "none"):
        if quant in spec:
            return _quantifier(quant, spec, params, path)
    if "field" in spec:
        return _field(spec, params, path)
    raise PredicateError(
        "unknown predicate: expected field, all_of, any_of, not, any, all or none", path
    )


def _all(parts: list[Predicate]) -> Predicate:
    if len(parts) == 2:  # guardrails combine two or three tests: no generator for those
        a, b = parts
        return lambda item, scope: a(item, scope) and b(item, scope)
    if len(parts) == 3:
        a, b, c = parts
        return lambda item, scope: a(item, scope) and b(item, scope) and c(item, scope)
    return lambda item, scope: all(p(item, scope) for p in parts)


def _any(parts: list[Predicate]) -> Predicate:
    if len(parts) == 2:
        a, b = parts
        return lambda item, scope: a(item, scope) or b(item, scope)
    if len(parts) == 3:
        a, b, c = parts
        return lambda item, scope: a(item, scope) or b(item, scope) or c(item, scope)
    return lambda item, scope: any(p(item, scope) for p in parts)


def _quantifier(
    quant: str, spec: Mapping[str, Any], params: frozenset[str], path: tuple[str | int, ...]
) -> Predicate:
    where_spec = spec.get("where")
    where = compile_predicate(where_spec, params, (*path, "where")) if where_spec else None
    fetch_list = getter(spec[quant])

    def items(item: Any, scope: Scope) -> list[Any]:
        value = fetch_list(item)
        if value is MISSING:
            return []
        return value if isinstance(value, list) else [value]

    def test(x: Any, scope: Scope) -> bool:
        return True if where is None else where(x, scope)

    def run(item: Any, scope: Scope, fn: Callable[[Iterable[bool]], bool]) -> bool:
        saved = scope.outer
        if scope.outer is None:
            scope.outer = item
        try:
            return fn(test(x, scope) for x in items(item, scope))
        finally:
            scope.outer = saved

    if quant == "any":
        return lambda item, scope: run(item, scope, any)
    if quant == "all":
        return lambda item, scope: run(item, scope, all)
    return lambda item, scope: not run(item, scope, any)


def _field(
    spec: Mapping[str, Any], params: frozenset[str], path: tuple[str | int, ...]
) -> Predicate:
    ops = [k for k in spec if k != "field"]
    if len(ops) != 1 or ops[0] not in _OPERATORS:
        raise PredicateError(
            "a field predicate takes exactly one operator: " + ", ".join(_OPERATORS), path
        )
    op = ops[0]
    field_path = spec["field"]
    arg = spec[op]
    value = compile_value(arg, params, (*path, op))

    if field_path.startswith("^"):  # a path in the guardrail's target element
        outer_path = field_path[1:]
        holder: list[Scope] = []

        def fetch(item: Any) -> Any:
            return get(holder[0].outer, outer_path) if holder else MISSING

        inner = _build(op, arg, value, fetch, path)

        def with_outer(item: Any, scope: Scope) -> bool:
            holder.append(scope)
            try:
                return inner(item, scope)
            finally:
                holder.pop()

        return with_outer

    return _build(op, arg, value, getter(field_path), path)


def _build(
    op: str, arg: Any, value: Value, fetch: Callable[[Any], Any], path: tuple[str | int, ...]
) -> Predicate:

    if op == "exists":
        want = bool(arg)
        return lambda item, _s: (fetch(item) is not MISSING) == want
    literal = not isinstance(arg, Mapping)
    if op == "equals" and literal:  # the commonest test, specialised: MISSING equals nothing
        return lambda item, _s: bool(fetch(item) == arg)
    if op == "not_equals" and literal:
        return lambda item, _s: bool(fetch(item) != arg)
    if op in _COMPARE:
        cmp = _COMPARE[op]

        def compare(item: Any, scope: Scope) -> bool:
            left, right = fetch(item), value(item, scope)
            if left is MISSING or right is MISSING:
                return op == "not_equals" and left is not right
            try:
                return cmp(left, right)
            except TypeError:
                return False

        return compare
    if op in ("in", "not_in"):
        negate = op == "not_in"
        return lambda item, scope: (fetch(item) in _as_set(value(item, scope))) != negate
    if op == "subset_of":

        def subset(item: Any, scope: Scope) -> bool:
            got = fetch(item)
            if got is MISSING:
                return True
            allowed = _as_set(value(item, scope))
            return all(x in allowed for x in (got if isinstance(got, list) else [got]))

        return subset
    if op == "matches":
        if not isinstance(arg, str):
            raise PredicateError("matches: expected a regular expression (a string)", (*path, op))
        try:  # RE2: linear time in the value's length, whatever the pattern
            regex = compile_regex(arg)
        except RegexError as exc:
            raise PredicateError(f"matches: {exc}", (*path, op)) from None
        return lambda item, _s: (
            isinstance(fetch(item), str) and regex.fullmatch(fetch(item)) is not None
        )
    if op == "pattern":
        return lambda item, scope: (
            isinstance(fetch(item), str)
            and scope.env.pattern(arg).fullmatch(fetch(item)) is not None
        )
    if op == "glob":
        # Globs match case-insensitively: they name domains, providers and regions.
        return lambda item, scope: (
            isinstance(fetch(item), str)
            and any(
                fnmatch.fnmatchcase(fetch(item).lower(), str(g).lower())
                for g in _as_list(value(item, scope))
            )
        )
    if op == "implies":

        def implies(item: Any, scope: Scope) -> bool:
            got = fetch(item)
            if not isinstance(got, str):
                return False
            return any(scope.env.implies(got, t) for t in _as_list(value(item, scope)))

        return implies

    # covered_by
    def covered(item: Any, scope: Scope) -> bool:
        got = fetch(item)
        if got is MISSING:
            return True
        parents = [
            d.lower().lstrip("*.") for d in _as_list(value(item, scope)) if isinstance(d, str)
        ]
        return all(domain_covered(d, parents) for d in _as_list(got))

    return covered


def domain_covered(domain: str, parents: Iterable[str]) -> bool:
    """A domain is covered by a filing for itself or for a parent domain."""
    d = domain.lower().rstrip(".")
    return any(d == p or d.endswith("." + p) for p in parents)


def _as_set(value: Any) -> frozenset[Any] | set[Any]:
    if value is MISSING or value is None:
        return frozenset()
    if isinstance(value, frozenset | set):
        return value
    if isinstance(value, list | tuple):
        return frozenset(value)
    return frozenset([value])


def _as_list(value: Any) -> list[Any]:
    if value is MISSING or value is None:
        return []
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


PREDICATE_SCHEMA: dict[str, Any] = {
    "$defs": {
        "predicate": {
            "type": "object",
            "minProperties": 1,
            "properties": {
                "field": {"type": "string"},
                "all_of": {"type": "array", "items": {"$ref": "#/$defs/predicate"}},
                "any_of": {"type": "array", "items": {"$ref": "#/$defs/predicate"}},
                "not": {"$ref": "#/$defs/predicate"},
                "any": {"type": "string"},
                "all": {"type": "string"},
                "none": {"type": "string"},
                "where": {"$ref": "#/$defs/predicate"},
                **{op: {} for op in _OPERATORS},
            },
            "additionalProperties": False,
        }
    }
}
