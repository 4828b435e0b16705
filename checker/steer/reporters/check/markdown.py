"""``--format markdown``: a pull-request comment (GitHub, GitLab) or job summary.

Per manifest: a title with the verdict, the regime and why, a summary table by
category and level, the transfer register (the ``markdown`` format of ``steer
transfers``: every crossing, its decision, coverage and basis), a Mermaid
``flowchart LR`` of the paths of failing findings (cross-border transfers,
dependencies on blocked services), the findings grouped by level and rule (target,
line, message; the fix once per rule), and what a ``--baseline`` hid or found
fixed. Long reports are cut below GitHub's comment limit with a note, never
mid-table."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby, pairwise

from steer.reporters.markdown_text import cell, code, inline, node_id, plural
from steer.reporters.shown import shown
from steer.reporters.transfers.markdown import regime_why, register_lines
from steer.results.findings import Finding, Report

# GitHub rejects comments over 65,536 characters; leave room for a wrapper's text.
LIMIT = 60_000
_LEVELS = (("error", "Errors (blocking)"), ("warning", "Warnings (advisory)"), ("waived", "Waived"))


def render(reports: Sequence[Report], color: bool = False) -> str:
    parts: list[str] = []
    reports = shown(list(reports))
    if len(reports) != 1:
        parts.append(_overview(reports))
    for report in reports:
        parts.append(_report(report, heading="##" if len(reports) == 1 else "###"))
    return _fit(parts)


def _state(f: Finding) -> str:
    return "waived" if f.waived else f.level


def _verdict(report: Report) -> str:
    s = report.summary()
    counts = (
        f"{plural(s['error'], 'error')}, {plural(s['warning'], 'warning')}, {s['waived']} waived"
    )
    word = "fails" if report.failed(report.fail_on) else "passes"
    rules = f"{s['passed_rules']} of {plural(len(report.rules), 'rule')} passed"
    known = f", {report.baseline.known} known (baseline)" if report.baseline is not None else ""
    return f"{word}: {counts}, {rules}{known}"


def _overview(reports: Sequence[Report]) -> str:
    failing = sum(r.failed(r.fail_on) for r in reports)
    lines = [
        f"## steer check: {plural(len(reports), 'manifest')}, {failing} failing",
        "",
        "| Manifest | Errors | Warnings | Waived | Known (baseline) | Rules passed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        s = r.summary()
        known = str(r.baseline.known) if r.baseline is not None else "–"
        lines.append(
            f"| `{code(r.manifest)}` | {s['error']} | {s['warning']} | {s['waived']} "
            f"| {known} | {s['passed_rules']} of {len(r.rules)} |"
        )
    return "\n".join(lines) + "\n"


def _report(report: Report, heading: str) -> str:
    out = [f"{heading} steer: `{code(report.manifest)}` {_verdict(report)}", ""]
    context = [f"As of {report.as_of}"]
    if report.regime:
        context.append(f"regime `{report.regime}`")
    if report.packs:
        context.append(f"packs {', '.join(f'`{p}`' for p in report.packs)}")
    context.append(f"fail level `{report.fail_on}`")
    out += [" · ".join(context), ""]
    why = regime_why(report)
    if why:
        out += [why, ""]
    if report.findings:
        out += _summary_table(report)
    if report.crossings or report.regime:
        out += [f"{heading}# Transfer register", "", *register_lines(report)]
    diagram = _mermaid(report)
    if diagram:
        out += [f"{heading}# Failing paths (data flows and dependencies)", "", diagram, ""]
    for state, title in _LEVELS:
        items = [f for f in report.findings if _state(f) == state]
        if items:
            out += [f"{heading}# {title}: {len(items)}", ""]
            out += _findings(report, items)
    out += _baseline(report)
    return "\n".join(out).rstrip("\n") + "\n"


def _summary_table(report: Report) -> list[str]:
    rows = ["| Category | Errors | Warnings | Waived |", "|---|---:|---:|---:|"]
    totals = {"error": 0, "warning": 0, "waived": 0}
    for category in sorted({f.category for f in report.findings}):
        counts = dict.fromkeys(totals, 0)
        for f in report.findings:
            if f.category == category:
                counts[_state(f)] += 1
        for k in totals:
            totals[k] += counts[k]
        rows.append(
            f"| {cell(category)} | {counts['error']} | {counts['warning']} | {counts['waived']} |"
        )
    rows.append(
        f"| **Total** | **{totals['error']}** | **{totals['warning']}** | **{totals['waived']}** |"
    )
    return [*rows, ""]


def _findings(report: Report, items: list[Finding]) -> list[str]:
    out: list[str] = []
    for rule, group in groupby(
        sorted(items, key=lambda f: (f.rule, f.sort_key())), key=lambda f: f.rule
    ):
        findings = list(group)
        first = findings[0]
        out += [
            f"**{rule}** {inline(first.title)} ({first.authority}, {first.severity}, "
            f"{first.status})",
            "",
            "| Target | Line | Finding |",
            "|---|---:|---|",
        ]
        for f in findings:
            text = cell(f.message)
            if f.path:
                text += "<br>path: " + " → ".join(f"`{code(c)}`" for c in f.path)
            if f.waived and f.waiver:
                text += "<br>waived: " + cell(f.waiver)
            if f.authority != first.authority:
                text += f"<br>authority: {f.authority}"
            out.append(f"| `{code(f.target)}` | {f.location.line} | {text} |")
        if not first.waived:
            out += ["", f"Fix: {inline(first.remediation)}"]
        out.append("")
    return out


def _baseline(report: Report) -> list[str]:
    b = report.baseline
    if b is None:
        return []
    out = [f"Baseline `{code(b.file)}`: {plural(b.known, 'known finding')} not shown."]
    if b.fixed:
        out += [
            "",
            f"Fixed since the baseline ({len(b.fixed)}); update it with `--write-baseline`:",
            "",
        ]
        out += [
            f"- **{e.rule}** `{code(e.target)}` (was line {e.line}): {inline(e.message)}"
            for e in b.fixed
        ]
    return ["", *out, ""]


# -- Mermaid ---------------------------------------------------------------------
def _mermaid(report: Report) -> str:
    """The failing paths as one left-to-right graph; each edge names its rules."""
    paths = [f for f in report.findings if f.path and not f.waived]
    if not paths:
        return ""
    ids: dict[str, str] = {}

    def node(component: str) -> str:
        if component not in ids:  # one to one: owner-db and owner_db stay two nodes
            ids[component] = node_id(component)
        return ids[component]

    edges: dict[tuple[str, str], set[str]] = {}
    ends: set[str] = set()
    errors: set[tuple[str, str]] = set()
    for f in paths:
        chain = f.path or ()
        for a, b in pairwise(chain):
            edges.setdefault((a, b), set()).add(f.rule)
            if f.level == "error":
                errors.add((a, b))
        if chain:
            ends.add(chain[-1])
        for c in chain:
            node(c)
    lines = ["```mermaid", "flowchart LR"]
    for component, name in ids.items():
        lines.append(f'    {name}["{_label(component)}"]')
    link_styles = []
    for i, ((a, b), rules) in enumerate(sorted(edges.items())):
        lines.append(f"    {ids[a]} -->|{_label(', '.join(sorted(rules)))}| {ids[b]}")
        if (a, b) in errors:
            link_styles.append(str(i))
    # where a path ends: the recipient abroad, the blocked service, the map fed wrongly
    lines.append("    classDef reached fill:#fde2e1,stroke:#c62828,stroke-width:2px")
    lines.append("    class " + ",".join(ids[c] for c in sorted(ends)) + " reached")
    if link_styles:
        lines.append(f"    linkStyle {','.join(link_styles)} stroke:#c62828,stroke-width:2px")
    lines.append("```")
    return "\n".join(lines)


def _label(text: str) -> str:
    # Mermaid labels: quotes and pipes end a label; use its entity codes instead
    return text.replace('"', "#quot;").replace("|", "#124;").replace("\n", " ")


def _fit(parts: list[str]) -> str:
    text = "\n".join(parts)
    if len(text) <= LIMIT:
        return text
    # cut at a blank line so no table is left half-drawn
    cut = text.rfind("\n\n", 0, LIMIT - 200)
    dropped = text[cut:].count("\n| `")
    return (
        text[:cut] + f"\n\n*Report cut to fit a comment: about {dropped} more finding rows; "
        "see the full report (`--format json` or `sarif`).*\n"
    )
