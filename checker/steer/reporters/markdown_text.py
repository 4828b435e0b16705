"""Manifest and pack text made safe for Markdown (GitHub, GitLab): what the check
and transfers Markdown reporters share, so that a ``|`` never splits a table cell and
no HTML tag a manifest string carries can open in a pull-request comment."""

from __future__ import annotations


def cell(text: str) -> str:
    """Text inside a table cell: one line, pipes escaped, HTML kept inert."""
    return inline(text).replace("|", "\\|")


def inline(text: str) -> str:
    """One line of prose: whitespace folded, no HTML tag can open ("->" stays readable)."""
    text = " ".join(text.split())
    return text.replace("<", "&lt;")


def code(text: str) -> str:
    """Text for a code span: no backtick can end it, no pipe can split a table cell."""
    return text.replace("`", "'").replace("|", "\\|")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
