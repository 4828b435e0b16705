"""Small helpers that every part of the page uses: escaping, ids, text widths.

Every string that comes from a manifest, a pack or a report goes through
:func:`esc` before it reaches the page, in HTML and in SVG alike: a component named
``<script>`` is shown as those characters, never parsed as markup.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterable

from steer.vocab import visible

_SLUG = re.compile(r"[^a-z0-9]+")


def esc(value: object) -> str:
    """Text or attribute value, escaped (quotes included; control characters, which
    HTML forbids, written out)."""
    return html.escape(visible(str(value), "\t\n"), quote=True)


def slug(value: str) -> str:
    """A stable id fragment (ids never contain what the manifest wrote verbatim)."""
    s = _SLUG.sub("-", value.lower()).strip("-")
    return s or "x"


def day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "—"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def char_width(ch: str, size: float) -> float:
    """An estimate of a glyph's advance in the page's sans-serif font: the page ships
    no font (nothing may be fetched), so widths are estimated, generously, to keep
    labels inside their boxes whatever font the reader's system supplies."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return size
    if ch in "il.,:;'|!()[] ":
        return size * 0.32
    if ch.isupper() or ch in "mwMW@%":
        return size * 0.72
    return size * 0.58


def text_width(text: str, size: float) -> float:
    return sum(char_width(ch, size) for ch in text)


def fit(text: str, width: float, size: float) -> str:
    """``text`` shortened with an ellipsis so that it fits ``width`` at ``size``."""
    if text_width(text, size) <= width:
        return text
    room = width - char_width("…", size)
    out = []
    used = 0.0
    for ch in text:
        used += char_width(ch, size)
        if used > room:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def join(parts: Iterable[str]) -> str:
    return "".join(parts)


def svg_text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 12,
    cls: str = "",
    anchor: str = "start",
    width: float | None = None,
) -> str:
    """An SVG ``<text>``; shortened to ``width`` with the full text as a tooltip."""
    # bold glyphs run about a tenth wider
    measure = size * 1.1 if "strong" in cls else size
    shown = fit(text, width, measure) if width is not None else text
    klass = f' class="{cls}"' if cls else ""
    tip = f"<title>{esc(text)}</title>" if shown != text else ""
    anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size:g}"{anchor_attr}{klass}>'
        f"{tip}{esc(shown)}</text>"
    )


def svg_open(ident: str, width: int, height: int, title: str, desc: str) -> str:
    """The root of a diagram: an image with a name and a description for screen readers."""
    return (
        f'<svg id="{ident}-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="diagram">'
        f'<title id="{ident}-title">{esc(title)}</title>'
        f'<desc id="{ident}-desc">{esc(desc)}</desc>'
    )
