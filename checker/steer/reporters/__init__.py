"""Reporters: each turns a finished result into text, reading nothing else.

One registry, one interface: every reporter is a module with ``render(data, color)
-> str``, where ``data`` is what its command produced (the reports of ``check``, the
comparison of ``whatif``, the diagram of ``graph``, the report whose register
``transfers`` prints). A format's module is imported when it is used, by the name
written here: the table reporters bring in rich, the JSON graph and the HTML report
bring in networkx (and numpy, for the page's layouts), which a JSON run in CI or a
pre-commit hook does not need (each costs more than checking a small manifest).

The HTML report draws the deployment as well as the findings: it reads
``Report.architecture``, which the engine adds only when the command asks for it
(``engine.Settings(architecture=True)``, for ``--format html``), so that it too reads
only the finished report."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

from steer.results.findings import Report

if TYPE_CHECKING:  # types only: a check run needs neither the what-if nor the graph model
    from steer.reporters.graph.model import Diagram
    from steer.results.compare import Comparison

REGISTRY: dict[str, dict[str, str]] = {
    "check": {
        "table": "steer.reporters.check.table",
        "json": "steer.reporters.check.json_report",
        "sarif": "steer.reporters.check.sarif",
        "junit": "steer.reporters.check.junit",
        "markdown": "steer.reporters.check.markdown",
        "html": "steer.reporters.check.html",
        "github": "steer.reporters.check.github",
    },
    "whatif": {
        "table": "steer.reporters.whatif.table",
        "json": "steer.reporters.whatif.json_report",
        "markdown": "steer.reporters.whatif.markdown",
        "html": "steer.reporters.whatif.html",
    },
    "graph": {
        "mermaid": "steer.reporters.graph.mermaid",
        "dot": "steer.reporters.graph.dot",
        "json": "steer.reporters.graph.json_report",
    },
    "transfers": {
        "table": "steer.reporters.transfers.table",
        "json": "steer.reporters.transfers.json_report",
        "markdown": "steer.reporters.transfers.markdown",
        "csv": "steer.reporters.transfers.csv_report",
    },
}
"""Each command's formats (the keys are vocab's CHECK_FORMATS, WHATIF_FORMATS,
GRAPH_FORMATS and TRANSFERS_FORMATS, which the command line offers; tests hold them
equal)."""


OPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "check": {"table": ("quiet",), "github": ("quiet",), "json": ("unchecked",)},
}
"""The options a format's ``render`` takes beyond ``(data, color)``: ``--quiet`` trims
table and github to the findings alone (the other formats are documents, written
whole); the JSON report lists the manifests that could not be checked."""


def _render(command: str, name: str, data: Any, color: bool, **options: Any) -> str:
    module = import_module(REGISTRY[command][name])
    taken = OPTIONS.get(command, {}).get(name, ())
    text: str = module.render(data, color, **{k: v for k, v in options.items() if k in taken})
    return text


def render(
    name: str,
    reports: Sequence[Report],
    color: bool = False,
    *,
    quiet: bool = False,
    unchecked: Sequence[tuple[int, str, str]] | None = None,
) -> str:
    """A check report (``steer check --format NAME``).

    ``quiet``: the findings only, no heading or summary (table and github).
    ``unchecked``: several manifests were named, and these (place, name, error) could
    not be checked: the JSON report lists every one (cli.md); other formats ignore it."""
    return _render("check", name, reports, color, quiet=quiet, unchecked=unchecked)


def render_whatif(name: str, comparison: Comparison, color: bool = False) -> str:
    return _render("whatif", name, comparison, color)


def render_graph(name: str, diagram: Diagram) -> str:
    return _render("graph", name, diagram, False)


def render_transfers(name: str, report: Report, color: bool = False) -> str:
    """The transfer register of one checked manifest (``steer transfers --format NAME``)."""
    return _render("transfers", name, report, color)


def step_summary(reports: Sequence[Report]) -> None:
    """Append the Markdown summary to ``$GITHUB_STEP_SUMMARY`` (the github format's)."""
    import_module(REGISTRY["check"]["github"]).step_summary(reports)
