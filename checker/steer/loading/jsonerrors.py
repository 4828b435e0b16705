"""The errors of reading JSON, worded as steer words them: what is wrong, and what
was expected, at the position of the first problem of the file. Syntax errors are
the json module's own (its first error, at its position), in steer's words; a file
cut short says so; bytes that are not UTF-8 text say which and where."""

from __future__ import annotations

import json
from collections.abc import Callable

from steer.errors import Mark, SteerError

At = Callable[[int], Mark]  # a character offset of the text to its Mark


# -- syntax errors, in the json module's words made into "wrong; expected" -------------
_WORDING = {
    "Expecting value": "expected a JSON value (object, list, string, number, true, false, null)",
    "Expecting ',' delimiter": "expected ',' between two items, or the closing bracket",
    "Expecting ':' delimiter": "expected ':' after the key",
    "Expecting property name enclosed in double quotes": (
        "expected a key in double quotes (a trailing comma before '}'?)"
    ),
    "Unterminated string starting at": "this string is never closed; expected a closing '\"'",
    "Invalid control character at": (
        "control character inside a string; expected it escaped (\\n, \\t, \\u00XX)"
    ),
    "Invalid \\escape": 'invalid escape in a string; expected \\", \\\\, \\/, \\n, \\t, \\uXXXX...',
    "Invalid \\uXXXX escape": "invalid \\u escape; expected four hex digits",
    "Extra data": "more text after the end of the JSON document; expected {what} alone",
}
_TRUNCATED = {
    "Expecting value",
    "Expecting ',' delimiter",
    "Expecting ':' delimiter",
    "Expecting property name enclosed in double quotes",
    "Unterminated string starting at",
}


def decode_error(
    exc: json.JSONDecodeError, text: str, at: At, error: type[SteerError], what: str
) -> SteerError:
    wording = _WORDING.get(exc.msg, f"{exc.msg.lower()}; expected {what}").replace("{what}", what)
    if exc.msg in _TRUNCATED and (
        exc.pos >= len(text.rstrip()) or exc.msg == "Unterminated string starting at"
    ):
        # The writer stopped early: an interrupted `terraform show -json > file`, a
        # full disk, a copy cut short. Say so, at the end of what is there.
        end = len(text.rstrip())
        message = (
            "the JSON stops in the middle of the document (a truncated file?); expected "
            f"the rest of {what}"
        )
        return error(message, at(max(end, 0)))
    if exc.msg == "Expecting value" and text[exc.pos : exc.pos + 1] == "]":
        wording = "expected a value after ',' (a trailing comma before ']'?)"
    return error(f"not valid JSON: {wording}", at(exc.pos))


def syntax_error(text: str, offset: int, at: At, error: type[SteerError], what: str) -> SteerError:
    """A syntax error the Python walk found: let the json module word it (its first
    error is this one, since both read the text in the same order)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return decode_error(exc, text, at, error, what)
    except RecursionError:
        pass
    return error(f"not valid JSON here; expected {what}", at(offset))


# -- bytes to text ---------------------------------------------------------------------
def decode(raw: bytes, name: str, error: type[SteerError], what: str) -> str:
    """UTF-8 text of a file, with a located error for anything else."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error(
            "the file is UTF-16 (as PowerShell's '>' writes it); expected UTF-8 "
            f"({what}; in PowerShell: | Out-File -Encoding utf8)",
            Mark(name, 1, 1),
        )
    if raw.startswith(b"\xef\xbb\xbf"):  # PowerShell's Out-File -Encoding utf8 writes one
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise error(
            f"invalid UTF-8 (byte 0x{bad}); expected {what} as UTF-8 text",
            Mark(name, line, column),
        ) from None
