"""What a YAML syntax error means for someone editing a manifest: LibYAML's problem,
where it started, and what was expected instead."""

from __future__ import annotations

import yaml

from steer.errors import Mark


def yaml_mark(exc: yaml.MarkedYAMLError, name: str) -> Mark:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Mark(name, 1, 1)
    return Mark(name, mark.line + 1, mark.column + 1)


def yaml_message(exc: yaml.MarkedYAMLError, text: str) -> str:
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
    if "incompatible YAML document" in problem:
        return (
            "YAML syntax: a %YAML directive of a version steer cannot read; expected "
            "%YAML 1.1 or %YAML 1.2 (or no %YAML line at all)"
        )
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
