"""JSON Schema validation with positions.

The happy path runs a compiled validator (jsonschema-rs); only when it says no do
we pay for the pure-Python ``jsonschema`` to explain why, mapping each error's
JSON path back to the YAML node it came from. Messages say what was expected,
with a "did you mean" for closed vocabularies and unknown fields.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any

from steer import vocab
from steer.errors import Mark, SteerError
from steer.loading.document import Document, JsonPath

ErrorFactory = Callable[[str, Mark | None], SteerError]

Schema = dict[str, Any]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of every schema steer writes and publishes."""


def dotted(path: Iterable[str | int]) -> str:
    """``components.owner-db.data[0].records`` for a JSON path."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(document)"


def date_problem(value: str) -> str | None:
    """What is wrong with a ``YYYY-MM-DD`` date, worded for a message (None: nothing):
    not a calendar date, or outside the dates steer judges."""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"'{value}' is not a real date; expected YYYY-MM-DD"
    return vocab.out_of_range(value)


_VALIDATORS: dict[str, tuple[dict[str, Any], Any]] = {}


def is_valid(schema: dict[str, Any], data: Any, key: str) -> bool:
    """Fast yes/no with a compiled validator, cached under ``key`` (callers give the
    same key only for the same schema; the schema's identity or equality is checked)."""
    cached = _VALIDATORS.get(key)
    if cached is None or (cached[0] is not schema and cached[0] != schema):
        import jsonschema_rs

        cached = (schema, jsonschema_rs.validator_for(schema))
        _VALIDATORS[key] = cached
    return bool(cached[1].is_valid(data))


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
            hidden = self.total - len(self.errors)
            rest = f"{self.total - 1} more follow it" + (
                f", {hidden} of them not shown" if hidden else ""
            )
            lines.append(
                f"{self.file}: {self.total} schema errors (the first is the most relevant; {rest})"
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
    import jsonschema  # type: ignore[import-untyped]
    from jsonschema.exceptions import relevance  # type: ignore[import-untyped]

    validator_cls = _whole_value_patterns(jsonschema.validators.validator_for(schema))
    errors = sorted(validator_cls(schema).iter_errors(instance), key=relevance)
    if not errors:  # the validators disagree: fail closed, never pass what one refused
        raise error(
            "does not match the schema, but steer cannot say where; expected a document "
            "that `steer schema` accepts",
            doc.mark(()),
        )

    def position(e: Any) -> tuple[int, int]:
        mark = doc.mark(_where(e))
        return mark.line, mark.column

    def rank(e: Any) -> tuple[int, bool, bool]:  # jsonschema's relevance, without its path order
        weak, strong = jsonschema.exceptions.WEAK_MATCHES, jsonschema.exceptions.STRONG_MATCHES
        return (-len(e.path), e.validator not in weak, e.validator in strong)

    best = jsonschema.exceptions.best_match(errors)
    if any(e is best for e in errors):  # among equally relevant errors, the first in the file
        best = min((e for e in errors if rank(e) == rank(best)), key=position)
    rest = sorted((e for e in errors if e is not best), key=position)
    ordered = [best, *rest]
    located = [error(describe(e, doc), doc.mark(_where(e))) for e in ordered[:limit]]
    raise SchemaErrors(located, len(errors))


def anchored(pattern: str) -> str:
    """``pattern`` for Python's ``re.search`` with the meaning JSON Schema (ECMA 262)
    and jsonschema-rs give it: ``$`` outside a character class is the end of the whole
    value. Python's ``$`` also matches before a trailing newline, so ``CN\\n`` would
    pass ``^[A-Z]{2}$`` and hide every finding about it."""
    out: list[str] = []
    escaped = in_class = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            out.append(r"\Z")
            continue
        out.append(ch)
    return "".join(out)


_ANCHORED: dict[type, type] = {}


def _whole_value_patterns(validator_cls: Any) -> Any:
    """The jsonschema validator class with ``pattern`` read as :func:`anchored` says."""
    hit = _ANCHORED.get(validator_cls)
    if hit is None:
        import jsonschema

        def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
            if validator.is_type(instance, "string") and not re.search(anchored(patrn), instance):
                yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")

        hit = jsonschema.validators.extend(validator_cls, {"pattern": pattern})
        _ANCHORED[validator_cls] = hit
    return hit


def _where(err: Any) -> JsonPath:
    path: JsonPath = tuple(err.absolute_path)
    extra = _unexpected(err)
    if extra:
        return (*path, extra[0])
    if _is_key_error(err):
        return (*path, err.instance)
    return path


def _is_key_error(err: Any) -> bool:
    """An error about a mapping key (``propertyNames``): jsonschema leaves it at the parent."""
    schema_path = list(err.absolute_schema_path)
    under_names = len(schema_path) >= 2 and schema_path[-2] == "propertyNames"
    return under_names and isinstance(err.instance, str)


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
    """One error as ``json.path: what is wrong; expected ...``."""
    path = _where(err)
    where = dotted(path)
    kind = err.validator
    schema = err.schema if isinstance(err.schema, dict) else {}
    value = err.instance
    if kind == "additionalProperties":
        extra = _unexpected(err)
        allowed = sorted(schema.get("properties", {}))
        name = extra[0] if extra else "?"
        return f"{where}: unknown field '{name}'" + _expected(name, allowed)
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        wanted = schema.get("properties", {}).get(missing, {})
        what = _expect(wanted) if isinstance(wanted, dict) else ""
        return f"{where}: missing required field '{missing}'" + (
            f"; expected {missing}: {what}" if what else ""
        )
    if kind == "enum":
        what = schema.get("x-vocabulary", "value")
        options = [str(o) for o in schema.get("enum", [])]
        return f"{where}: unknown {what} {_got(value)}" + _expected(
            value if isinstance(value, str) else None, options
        )
    if kind == "const":
        return f"{where}: expected {err.validator_value!r}, got {_got(value)}"
    if kind == "type":
        expected = err.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPES.get(n, n) for n in names)
        hint = _yaml_hint(doc, tuple(err.absolute_path), value, names)
        return f"{where}: expected {wanted}, got {_got(value)}{hint}"
    if kind == "pattern":
        return f"{where}: {_got(value)} {_pattern_expectation(schema, _is_key_error(err))}"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"{where}: expected a number of at least {err.validator_value}, got {_got(value)}"
    if kind == "minLength":
        return f"{where}: must not be empty; expected some text"
    if kind == "uniqueItems":
        return f"{where}: has duplicate entries; expected each entry once"
    return f"{where}: {err.message}"


def _expected(value: str | None, options: list[str]) -> str:
    """``; did you mean 'x'? Expected one of: ...`` (or without the guess)."""
    hint = _suggest(value, options) if value is not None else ""
    listed = ", ".join(options)
    return f"{hint} Expected one of: {listed}" if hint else f"; expected one of: {listed}"


def _expect(schema: dict[str, Any]) -> str:
    """What a schema asks for, in words (for a missing field)."""
    if "enum" in schema:
        return "one of " + ", ".join(str(o) for o in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    pattern = schema.get("pattern", "")
    if pattern.startswith("^[0-9]{4}"):
        return "a date (YYYY-MM-DD)"
    if pattern.startswith("^[A-Z]") and pattern != "^[A-Z]{2}$":
        return "a guardrail id such as CN-DS-001"
    kind = schema.get("type")
    return _TYPES.get(kind, "") if isinstance(kind, str) else ""


def _pattern_expectation(schema: dict[str, Any], is_key: bool = False) -> str:
    pattern = schema.get("pattern", "")
    if "x-id-of" in schema or pattern.startswith("^[a-z0-9]"):
        what = f"{schema['x-id-of']} id" if is_key and "x-id-of" in schema else "id"
        return (
            f"is not a valid {what}; expected lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or digit, at most 63 characters"
        )
    if pattern.startswith("^[0-9]{4}"):
        return "is not a date; expected YYYY-MM-DD"
    if pattern == "^[A-Z]{2}$":
        return "is not a jurisdiction; expected an ISO 3166 code such as CN, HK or DE"
    if pattern.startswith("^[A-Z]"):
        return "is not a guardrail id; expected a form like CN-DS-001"
    return f"does not match the expected form {pattern}"


_WORDY_BOOLS = {"yes", "no", "on", "off", "true", "false", "y", "n"}


def _yaml_hint(doc: Document, path: JsonPath, value: Any, wanted: list[str]) -> str:
    """Explain YAML's surprises: unquoted NO is false, quoted "yes" is text."""
    node = doc.node(path)
    text = getattr(node, "value", None)
    if isinstance(value, bool) and isinstance(text, str) and "string" in wanted:
        return f" (YAML reads an unquoted {text} as a boolean; write '{text}' in quotes)"
    if isinstance(value, int | float) and not isinstance(value, bool) and "string" in wanted:
        return f" (write '{text}' in quotes for text)" if isinstance(text, str) else ""
    if isinstance(value, str) and value.lower() in _WORDY_BOOLS and "boolean" in wanted:
        return " (write true or false without quotes)"
    return ""
