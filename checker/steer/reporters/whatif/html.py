"""``steer whatif --format html``: the baseline's page with a ``scenarios`` section,
each scenario beside the baseline (the renderer is :mod:`steer.reporters.html`)."""

from __future__ import annotations

from steer.analysis.workdays import is_working_day
from steer.reporters.html import render_whatif
from steer.reporters.html.build import whatif_input
from steer.results.compare import Comparison


def render(comparison: Comparison, color: bool = False) -> str:
    """The what-if page (``color`` is the interface's; a page has its own)."""
    return render_whatif(whatif_input(comparison, is_working_day))
