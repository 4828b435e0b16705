"""``steer check --format html``: the China annex as a live page, one self-contained
HTML file per manifest (the renderer is :mod:`steer.reporters.html`; cli.md, "The
HTML report").

The page is one manifest's: its section ids (``summary``, ``findings``, ...) are
fixed by cli.md, so two manifests cannot share a page. ``steer check`` refuses
``--format html`` with more than one manifest before checking anything (exit 2,
:mod:`steer.commands.check`); given several reports anyway, this reporter raises.
"""

from __future__ import annotations

from collections.abc import Sequence

from steer.analysis.workdays import is_working_day
from steer.reporters.html import render_check
from steer.reporters.html.build import check_input
from steer.results.findings import Report


def render(reports: Sequence[Report], color: bool = False) -> str:
    """The page of the one report (``color`` is the interface's; a page has its own)."""
    if len(reports) != 1:
        raise ValueError(f"an HTML page shows one manifest's report, not {len(reports)}")
    return render_check(check_input(reports[0], is_working_day))
