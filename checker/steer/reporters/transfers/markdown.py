"""``steer transfers --format markdown``: the transfer register for a pull request or
a DPO's file, and the "Transfer register" section of the Markdown check report (one
rendering, :func:`register_lines`, for both).

A heading with the manifest, the as-of date, the regime and why; one table row per
crossing (flow, route and destination, categories, individuals, what it requires,
separate consent and PIPIA, exemption, approvals and whether each counts, covered
or what is missing); then the basis of each decision as a list, article by article.
Every string is escaped: no ``|`` splits a cell, no HTML tag opens."""

from __future__ import annotations

from collections.abc import Sequence

from steer.reporters.markdown_text import cell, code, inline
from steer.reporters.shown import shown
from steer.reporters.transfers.register import (
    Entry,
    approval_lines,
    as_reports,
    count_line,
    covered_text,
    destination,
    exemption_text,
    individuals,
    obligations,
    requires_text,
)
from steer.results.findings import Report

HEADER = (
    "| Flow | From → to | Categories | Individuals | Requires | Consent and PIPIA "
    "| Exemption | Approvals | Covered |"
)
RULE = "|---|---|---|---:|---|---|---|---|---|"


def render(data: Report | Sequence[Report], color: bool = False) -> str:
    parts = [_report(report) for report in shown(as_reports(data))]
    return "\n".join(parts)


def _report(report: Report) -> str:
    out = [f"## Transfer register: `{code(report.manifest)}`", ""]
    context = [f"As of {report.as_of}"]
    if report.regime:
        context.append(f"regime `{code(report.regime)}`")
    out += [" · ".join(context), ""]
    why = regime_why(report)
    if why:
        out += [why, ""]
    out += register_lines(report)
    return "\n".join(out).rstrip("\n") + "\n"


def regime_why(report: Report) -> str:
    """ "**Regime `cn-2024`:** policy.regime is auto: ..." ("" when the report has no why)."""
    if not report.regime_why:
        return ""
    name = f" `{code(report.regime)}`" if report.regime else ""
    return f"**Regime{name}:** {inline(report.regime_why)}"


def register_lines(report: Report) -> list[str]:
    """The count, the table of crossings and the basis of each decision: what both the
    transfers report and the check report's register section show."""
    crossings = report.crossings
    out = [inline(count_line(crossings)) + ".", ""]
    if not crossings:
        return out
    out += [HEADER, RULE]
    out += [_row(entry) for entry in crossings]
    out += ["", "Basis of each decision:", ""]
    for entry in crossings:
        out.append(f"- `{code(str(entry['flow']))}`")
        out += [f"  - {inline(str(b))}" for b in entry.get("basis") or ()]
    out.append("")
    return out


def _row(entry: Entry) -> str:
    route = (
        f"`{code(str(entry['from']))}` → `{code(str(entry['to']))}` ({cell(destination(entry))})"
    )
    categories = ", ".join(f"`{code(str(c))}`" for c in entry.get("categories") or ()) or "none"
    approvals = "<br>".join(cell(line) for line in approval_lines(entry))
    covered = "✅ yes" if entry.get("covered") else f"❌ {cell(covered_text(entry))}"
    cells = (
        f"`{code(str(entry['flow']))}`",
        route,
        categories,
        cell(individuals(entry)),
        cell(requires_text(entry)),
        cell(obligations(entry)),
        cell(exemption_text(entry)),
        approvals,
        covered,
    )
    return "| " + " | ".join(cells) + " |"
