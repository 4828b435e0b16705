"""``--format table``: for people. Findings grouped by level and category, each
with its rule, severity, target, line, message and fix; a summary line. Colour
only on a terminal."""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..findings import Finding, Report

_LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "waived": "dim"}
_TITLES = {"error": "Errors (blocking)", "warning": "Warnings (advisory)", "waived": "Waived"}


def _group(f: Finding) -> str:
    return "waived" if f.waived else f.level


def render(reports: Sequence[Report], color: bool = False, width: int | None = None) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or (None if color else 120),
        highlight=False,
        soft_wrap=False,
    )
    for i, report in enumerate(reports):
        if i:
            console.print()
        _render_one(console, report)
    return buffer.getvalue()


def _render_one(console: Console, report: Report) -> None:
    console.print(Text(report.manifest, style="bold"), Text(f"as of {report.as_of}" + (f", regime {report.regime}" if report.regime else ""), style="dim"))
    for level, level_findings in groupby(report.findings, key=_group):
        items = list(level_findings)
        console.print()
        console.print(Text(f"{_TITLES[level]}: {len(items)}", style=_LEVEL_STYLE[level]))
        for category, cat_findings in groupby(sorted(items, key=lambda f: (f.category, f.sort_key())), key=lambda f: f.category):
            table = Table(title=category, title_justify="left", title_style="bold", show_lines=True, expand=True)
            table.add_column("Rule", no_wrap=True)
            table.add_column("Sev", no_wrap=True)
            table.add_column("Target", overflow="fold", ratio=1)
            table.add_column("Line", justify="right", no_wrap=True)
            table.add_column("Finding and fix", ratio=3)
            for f in cat_findings:
                body = Text(f.message)
                if f.path:
                    body.append("\npath: " + " -> ".join(f.path), style="cyan")
                if f.waived and f.waiver:
                    body.append("\nwaived: " + f.waiver, style="dim")
                else:
                    body.append("\nfix: " + f.remediation, style="green")
                table.add_row(f.rule, f.severity, f.target, str(f.location.line), body)
            console.print(table)
    console.print()
    console.print(_summary(report))


def _summary(report: Report) -> Text:
    s = report.summary()
    text = Text()
    text.append(f"{s['error']} error{'s' if s['error'] != 1 else ''}", style="bold red" if s["error"] else "green")
    text.append(", ")
    text.append(f"{s['warning']} warning{'s' if s['warning'] != 1 else ''}", style="yellow" if s["warning"] else "green")
    text.append(f", {s['waived']} waived, {s['passed_rules']} of {len(report.rules)} rules passed")
    return text
