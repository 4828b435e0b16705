"""Manifest and pack text made safe for Markdown (GitHub, GitLab): what the check
and transfers Markdown reporters share, so that a ``|`` never splits a table cell,
no HTML tag a manifest string carries can open in a pull-request comment, and no
control character reaches the page raw (:func:`steer.vocab.visible`)."""

from __future__ import annotations

from steer.vocab import plural, visible

__all__ = ["cell", "code", "inline", "node_id", "plural"]


def cell(text: str) -> str:
    """Text inside a table cell: one line, pipes escaped, HTML kept inert."""
    return inline(text).replace("|", "\\|")


def inline(text: str) -> str:
    """One line of prose: whitespace folded, no HTML tag can open ("->" stays readable),
    control characters written out."""
    text = " ".join(visible(text, "\t\n").split())
    return text.replace("<", "&lt;")


def code(text: str) -> str:
    """Text for a code span: no backtick can end it, no pipe or line break can split a
    table cell, control characters written out."""
    text = " ".join(visible(text, "\t\n").split())
    return text.replace("`", "'").replace("|", "\\|")


_CODES = {"-": "_", "_": "_Z", ".": "_Y"}


def node_id(name: str, prefix: str = "n_") -> str:
    """A Mermaid node id for a manifest id, one to one and readable: letters and digits
    kept, ``-`` as ``_``, ``_`` as ``_Z``, ``.`` as ``_Y``, anything else (and the
    letters X, Y, Z themselves) as ``_X<hex>_``. So ``a.b``, ``a-b`` and ``a_b`` stay
    three nodes (``n_a_Yb``, ``n_a_b``, ``n_a_Zb``), and an id never depends on which
    other nodes the diagram has."""
    out = [prefix]
    for ch in name:
        if ch.isascii() and ch.isalnum() and ch not in "XYZ":
            out.append(ch)
        else:
            out.append(_CODES.get(ch) or f"_X{ord(ch):x}_")
    return "".join(out)
