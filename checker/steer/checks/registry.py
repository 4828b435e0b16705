"""The registry of check kinds, the full guardrail schema they make, and the compiled
form of a pack's guardrails.

The pack loader checks a guardrail's own fields; the kind named in ``check`` is
looked up here, its parameters validated against the kind's schema, and the check
compiled once per guardrail (cached: a run and its what-if scenarios share packs).
An unknown kind, or parameters the kind does not take, is a pack error at the line
of the guardrail file."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from functools import cache
from typing import Any, NoReturn

from steer.checks.context import VIEW_FIELDS
from steer.checks.kinds import count, each, reach, timeline, transfer, volume
from steer.checks.kinds.base import CheckKind
from steer.checks.predicates import PREDICATE_SCHEMA, PredicateError
from steer.checks.template import unknown_placeholder
from steer.errors import Mark, PackError, SteerError
from steer.loading.parse import load_file
from steer.loading.validate import DIALECT, Schema, is_valid, validate
from steer.manifest.schema import manifest_schema
from steer.packs.model import Guardrail, Pack, PackSet
from steer.packs.schemas import guardrail_fields


def _registry(*kinds: CheckKind) -> dict[str, CheckKind]:
    return {k.NAME: k for k in kinds}


REGISTRY: dict[str, CheckKind] = _registry(each, count, timeline, transfer, volume, reach)


@cache
def guardrail_schema() -> Schema:
    """The schema of one guardrail file, with each check kind's parameters."""
    checks = []
    for name, kind in sorted(REGISTRY.items()):
        params = dict(kind.SCHEMA)
        props = dict(params.get("properties", {}))
        props["kind"] = {"const": name}
        params["properties"] = props
        params["required"] = ["kind", *params.get("required", [])]
        checks.append({"if": {"properties": {"kind": {"const": name}}}, "then": params})
    return {
        "$schema": DIALECT,
        "$id": "https://steer.dev/schema/guardrail-1.json",
        "$defs": PREDICATE_SCHEMA["$defs"],
        "title": "steer guardrail",
        **guardrail_fields(
            {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"enum": sorted(REGISTRY), "x-vocabulary": "check kind"}},
                "allOf": checks,
            }
        ),
    }


def _err(message: str, mark: Mark | None) -> PackError:
    return PackError(message, mark)


@cache
def compiled(guardrail: Guardrail, pack: Pack) -> Any:
    """A guardrail's check, validated against its kind's schema and compiled."""
    spec = guardrail.check
    if not is_valid(guardrail_schema(), guardrail.doc.data, "guardrail"):
        # Validated again from the file itself: a cached document keeps only the
        # positions of its top-level keys, and the error deserves its exact line.
        doc = load_file(guardrail.file, guardrail.doc.file)
        validate(doc, guardrail_schema(), "guardrail", _err)
        spec = doc.data["check"]  # the file is right: what the cache held was not
    try:
        check = REGISTRY[guardrail.kind].compile(spec, PackSet([pack]).parameters)
    except PredicateError as exc:
        raise PackError(exc.message, _exact(guardrail, ("check", *exc.path))) from None
    _check_messages(guardrail, pack)
    _check_names(guardrail, pack, spec)
    return check


def _exact(guardrail: Guardrail, path: tuple[str | int, ...]) -> Mark:
    """Where ``path`` is written in the guardrail's file, read afresh: a cached document
    keeps only the positions of its top-level keys, and an error deserves its value's."""
    try:
        return load_file(guardrail.file, guardrail.doc.file).value_mark(path)
    except SteerError:  # the file changed under the run: the cached position will do
        return guardrail.mark(*path)


def compile_all(packs: PackSet) -> dict[str, Any]:
    """Every guardrail of the packs compiled, by id (a broken one: a PackError)."""
    return {g.id: compiled(g, pack) for pack in packs.packs for g in pack.guardrails}


@cache
def _view_fields() -> frozenset[str]:
    """Every field an element view can hold: the manifest schema's (of each target:
    components, flows, approvals, the team, the sections, the manifest itself) and
    those the views add (:data:`steer.checks.context.VIEW_FIELDS`)."""
    schema = manifest_schema([])
    props = schema["properties"]
    out = set(props) | VIEW_FIELDS
    for name in ("components", "flows", "approvals"):
        out |= set(props[name]["additionalProperties"]["properties"])
    for name in ("operations", "organisation", "programme"):
        out |= set(props[name]["properties"])
    out |= set(props["operations"]["properties"]["team"]["items"]["properties"])
    return frozenset(out)


def _messages(guardrail: Guardrail) -> Iterator[tuple[tuple[str | int, ...], str, set[str]]]:
    """Each message template of a guardrail, where it is written, and the names it may
    use beyond its kind's facts (a count's for_each variables)."""
    yield ("message",), guardrail.message, set()
    for i, a in enumerate(guardrail.check.get("assert") or ()):
        if isinstance(a, dict) and isinstance(a.get("message"), str):
            var = (a.get("for_each") or {}).get("var")
            yield ("check", "assert", i, "message"), a["message"], {var} if var else set()


def _check_messages(guardrail: Guardrail, pack: Pack) -> None:
    """Every placeholder of the guardrail's messages names a fact its kind reports, a
    field of the element (kinds that render with the element's view) or a parameter:
    a placeholder that names nothing would print "(none)" in every finding."""
    kind = REGISTRY[guardrail.kind]
    params = PackSet([pack]).parameters
    for path, template, extra in _messages(guardrail):
        roots = kind.FACTS | extra | ({"param"} | _view_fields() if kind.VIEWS else {"param"})
        found = unknown_placeholder(template, frozenset(roots), params)
        if found is None:
            continue
        text, expected = found
        if not expected:
            close = difflib.get_close_matches(text[1:-1].split(".")[0], sorted(roots), n=1)
            hint = f"; did you mean {{{close[0]}}}?" if close else ""
            facts = ", ".join("{" + f + "}" for f in sorted(kind.FACTS | extra))
            expected = (
                f"a fact of check kind {kind.NAME} ({facts})"
                + (", a field of the element" if kind.VIEWS else "")
                + f" or {{param.NAME}}{hint}"
            )
        raise PackError(
            f"{'.'.join(str(p) for p in path)}: placeholder {text} names nothing; "
            f"expected {expected}",
            _placeholder_mark(guardrail, path, text),
        )


def _references(
    spec: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str, Any]]:
    """Each catalog a check names (``{catalog: NAME, where: {...}}``) and each named
    pattern (``{field: F, pattern: NAME}``), with where it is written."""
    if isinstance(spec, dict):
        if isinstance(spec.get("catalog"), str):
            yield path, "catalog", spec
        if "field" in spec and isinstance(spec.get("pattern"), str):
            yield (*path, "pattern"), "pattern", spec["pattern"]
        for key, value in spec.items():
            yield from _references(value, (*path, key))
    elif isinstance(spec, list):
        for i, value in enumerate(spec):
            yield from _references(value, (*path, i))


def _check_names(guardrail: Guardrail, pack: Pack, spec: Any) -> None:
    """A catalog, a catalog field or value of a ``where``, or a named pattern that the
    pack (with what it uses) does not have would make an empty set or no match: the
    check would pass, or fail, on nothing. Refused when the pack loads."""
    catalogs = PackSet([pack]).catalogs

    def refuse(path: tuple[str | int, ...], what: str, name: str, known: list[str]) -> NoReturn:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        listed = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
        raise PackError(
            f"{'.'.join(str(p) for p in ('check', *path))}: {what} '{name}'; {hint}"
            f"expected one of: {listed or '(none)'}",
            _exact(guardrail, ("check", *path)),
        )

    for path, sort, ref in _references(spec):
        if sort == "pattern":
            patterns = sorted(catalogs.get("patterns", {}))
            if ref not in patterns:
                refuse(path, "the pack has no pattern", ref, patterns)
            continue
        name = ref["catalog"]
        if name not in catalogs:
            refuse((*path, "catalog"), "the pack has no catalog", name, sorted(catalogs))
        entries = [e for e in catalogs[name].values() if isinstance(e, dict)]
        for field, want in (ref.get("where") or {}).items():
            fields = sorted({f for e in entries for f in e})
            if field not in fields:
                refuse((*path, "where", field), f"catalog {name} has no field", field, fields)
            values = sorted({str(e[field]) for e in entries if field in e})
            if not any(e.get(field) == want for e in entries):
                refuse(
                    (*path, "where", field),
                    f"no entry of catalog {name} has {field}",
                    str(want),
                    values,
                )


def _placeholder_mark(guardrail: Guardrail, path: tuple[str | int, ...], text: str) -> Mark:
    """Where the placeholder is written: its first occurrence from the message's line."""
    start = _exact(guardrail, path)
    try:
        lines = guardrail.file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return start
    for number in range(start.line, len(lines) + 1):
        line = lines[number - 1]
        column = line.find(text, start.column - 1 if number == start.line else 0)
        if column >= 0:
            return Mark(start.file, number, column + 1)
    return start
