"""Regular expressions of packs, evaluated in linear time.

A pack's ``matches`` predicates and its ``patterns`` catalog are user input, matched
against manifest values that are user input too: with a backtracking engine a pattern
such as ``(a+)+$`` takes exponential time on ``aaaa…!`` (steer hung for minutes).
Pack patterns are therefore compiled with RE2 (``google-re2``), whose matching time
is linear in the length of the value. RE2 has no backreferences and no lookaround:
a pattern that uses them is refused when the pack loads, with its position."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Protocol

import re2

SYNTAX = "https://github.com/google/re2/wiki/Syntax"


class Regex(Protocol):
    """What steer asks of a compiled pack pattern."""

    def fullmatch(self, text: str) -> Any: ...


class RegexError(ValueError):
    """A pattern RE2 cannot compile; the message says what was expected."""


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print each refused pattern on stderr
    return options


@lru_cache(maxsize=1024)
def compile_regex(pattern: str) -> Regex:
    """``pattern`` compiled for linear-time matching, or a :class:`RegexError`."""
    try:
        compiled: Regex = re2.compile(pattern, _options())
    except re2.error as exc:
        raise RegexError(
            f"regular expression {pattern!r} cannot be matched in linear time "
            f"({_reason(exc)}); expected an RE2 pattern, without backreferences or "
            f"lookaround (syntax: {SYNTAX})"
        ) from None
    return compiled


def _reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else str(exc)
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", "replace")
    return str(reason)


def escape(text: str) -> str:
    """``text`` as a pattern that matches it literally."""
    escaped: str = re2.escape(text)
    return escaped
