"""JSON Schema validation with positions.

The happy path runs a compiled validator (jsonschema-rs); only when it says no do
we pay for the pure-Python ``jsonschema`` to explain why, mapping each error's
JSON path back to the YAML node it came from. Messages say what was expected,
with a "did you mean" for closed vocabularies and unknown fields.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from .errors import Mark, SteerError
from .source import Document, JsonPath

ErrorFactory = Callable[[str, Mark | None], SteerError]


def dotted(path: Iterable[str | int]) -> str:
    """``components.owner-db.data[0].records`` for a JSON path."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(document)"


@lru_cache(maxsize=16)
def _compiled(key: str, schema_json: str) -> Any:
    import json

    import jsonschema_rs

    return jsonschema_rs.validator_for(json.loads(schema_json))


def is_valid(schema: dict[str, Any], data: Any, key: str) -> bool:
    import json

    return bool(_compiled(key, json.dumps(schema, sort_keys=True)).is_valid(data))


class SchemaErrors(SteerError):
    """Several located schema errors, best first."""

    def __init__(self, errors: list[SteerError], total: int) -> None:
        first = errors[0]
        super().__init__(first.message, first.mark, first.file)
        self.errors = errors
        self.total = total

    def __str__(self) -> str:
        lines = [str(e) for e in self.errors]
        if self.total > 1:
            lines.append(
                f"{self.file}: {self.total} schema errors "
                f"(the first is the most relevant; {self.total - 1} more follow it)"
            )
        return "\n".join(lines)


def validate(
    doc: Document,
    schema: dict[str, Any],
    key: str,
    error: ErrorFactory,
    data: Any = None,
    limit: int = 20,
) -> None:
    """Raise located errors (via ``error``) if ``data`` (default ``doc.data``) fails ``schema``."""
    instance = doc.data if data is None else data
    if is_valid(schema, instance, key):
        return
    import jsonschema
    from jsonschema.exceptions import relevance

    validator_cls = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_cls(schema).iter_errors(instance), key=relevance)
    if not errors:  # the two validators disagree; trust the explaining one
        return
    best = jsonschema.exceptions.best_match(errors)
    rest = sorted(
        (e for e in errors if e is not best),
        key=lambda e: (doc.mark(_where(e)).line, doc.mark(_where(e)).column),
    )
    ordered = [best, *rest]
    located = [error(describe(e, doc), doc.mark(_where(e))) for e in ordered[:limit]]
    raise SchemaErrors(located, len(errors))


def _where(err: Any) -> JsonPath:
    path: JsonPath = tuple(err.absolute_path)
    extra = _unexpected(err)
    if extra:
        return (*path, extra[0])
    return path


def _unexpected(err: Any) -> list[str]:
    if err.validator != "additionalProperties" or not isinstance(err.instance, dict):
        return []
    allowed = set(err.schema.get("properties", {}))
    return sorted(k for k in err.instance if k not in allowed)


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing",
}


def _got(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def describe(err: Any, doc: Document) -> str:
    """One error as ``json.path: what is wrong, and what was expected``."""
    path = _where(err)
    where = dotted(path)
    kind = err.validator
    schema = err.schema if isinstance(err.schema, dict) else {}
    value = err.instance
    if kind == "additionalProperties":
        extra = _unexpected(err)
        allowed = sorted(schema.get("properties", {}))
        hint = _suggest(extra[0], allowed) if extra else ""
        return f"{where}: unknown field '{extra[0] if extra else '?'}'{hint} expected one of: {', '.join(allowed)}".replace("? expected", "? Expected").replace("' expected", "'; expected")
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f"{where}: missing required field '{missing}'"
    if kind == "enum":
        what = schema.get("x-vocabulary", "value")
        options = [str(o) for o in schema.get("enum", [])]
        hint = _suggest(str(value), options) if isinstance(value, str) else ""
        return f"{where}: unknown {what} {_got(value)}{hint} expected one of: {', '.join(options)}".replace(
            "? expected", "? Expected"
        ).replace(f"{_got(value)} expected", f"{_got(value)}; expected")
    if kind == "const":
        return f"{where}: expected {err.validator_value!r}, got {_got(value)}"
    if kind == "type":
        expected = err.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPES.get(n, n) for n in names)
        hint = _yaml_hint(doc, tuple(err.absolute_path), value)
        return f"{where}: expected {wanted}, got {_got(value)}{hint}"
    if kind == "pattern":
        return f"{where}: {_got(value)} {_pattern_expectation(schema)}"
    if kind == "propertyNames":
        return f"{where}: {err.message}"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"{where}: expected a number of at least {err.validator_value}, got {_got(value)}"
    if kind == "minLength":
        return f"{where}: must not be empty"
    if kind == "uniqueItems":
        return f"{where}: has duplicate entries; list each once"
    return f"{where}: {err.message}"


def _pattern_expectation(schema: dict[str, Any]) -> str:
    pattern = schema.get("pattern", "")
    if "x-id-of" in schema or pattern.startswith("^[a-z0-9]"):
        return (
            "is not a valid id: expected lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or digit, at most 63 characters"
        )
    if pattern.startswith("^[0-9]{4}"):
        return "is not a date: expected YYYY-MM-DD"
    if pattern == "^[A-Z]{2}$":
        return "is not a jurisdiction: expected an ISO 3166 code such as CN, HK or DE"
    if pattern.startswith("^[A-Z]"):
        return "is not a guardrail id: expected a form like CN-DS-001"
    return f"does not match the expected form {pattern}"


def _yaml_hint(doc: Document, path: JsonPath, value: Any) -> str:
    node = doc.node(path)
    text = getattr(node, "value", None)
    if isinstance(value, bool) and isinstance(text, str):
        return f" (YAML reads an unquoted {text} as a boolean; write '{text}' in quotes)"
    if isinstance(value, int | float) and isinstance(text, str):
        return f" (write '{text}' in quotes for text)"
    return ""
