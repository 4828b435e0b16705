"""``--format table``: for people. A heading with the manifest, the as-of date, the
regime and why; findings grouped by level and category, each with its rule,
severity, target, line, message and fix; a summary line. Colour only on a
terminal."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from steer.reporters.shown import shown
from steer.results.findings import Finding, Report
from steer.vocab import plural

_LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "waived": "dim"}
_TITLES = {"error": "Errors (blocking)", "warning": "Warnings (advisory)", "waived": "Waived"}


def _group(f: Finding) -> str:
    return "waived" if f.waived else f.level


def make_console(color: bool, width: int | None = None) -> tuple[Console, io.StringIO]:
    """A console writing to a buffer: colour only when asked (a terminal), and a fixed
    width otherwise, so that files and CI logs read the same everywhere."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or (None if color else 120),
        highlight=False,
        soft_wrap=False,
    )
    return console, buffer


def render(
    reports: Sequence[Report], color: bool = False, width: int | None = None, quiet: bool = False
) -> str:
    """The reports; ``quiet`` (``--quiet``): only each manifest's name and findings, and
    nothing at all for a manifest without any (the exit code says how it went)."""
    if quiet:
        reports = [r for r in reports if r.findings]
        return render_each(reports, color, width, _render_findings)
    return render_each(reports, color, width, _render_one)


def render_each(
    reports: Sequence[Report],
    color: bool,
    width: int | None,
    one: Callable[[Console, Report], None],
) -> str:
    """Each report drawn by ``one`` on one console, a blank line between them (every
    string of a report shown with its control characters written out)."""
    console, buffer = make_console(color, width)
    for i, report in enumerate(shown(list(reports))):
        if i:
            console.print()
        one(console, report)
    text = buffer.getvalue()
    if color:
        return text
    # rich pads titles to the full width; plain text (files, CI logs, diffs) should not end
    # its lines in spaces
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def _render_one(console: Console, report: Report) -> None:
    regime = f", regime {report.regime}" if report.regime else ""
    console.print(
        Text(report.manifest, style="bold"), Text(f"as of {report.as_of}{regime}", style="dim")
    )
    if report.regime_why:  # why that regime: the law in force (auto), or pinned
        console.print(Text(report.regime_why, style="dim"))
    _findings(console, report)
    console.print()
    console.print(_summary(report))
    if report.baseline is not None:
        console.print(_baseline(report))


def _render_findings(console: Console, report: Report) -> None:
    """``--quiet``: the manifest's name and its findings, nothing else."""
    console.print(Text(report.manifest, style="bold"))
    _findings(console, report)


def _findings(console: Console, report: Report) -> None:
    widths = _widths(report.findings, console.width)
    for level in _TITLES:  # errors, warnings, waived: whatever order the report keeps
        items = [f for f in report.findings if _group(f) == level]
        if not items:
            continue
        console.print()
        console.print(Text(f"{_TITLES[level]}: {len(items)}", style=_LEVEL_STYLE[level]))
        by_category = sorted(items, key=lambda f: (f.category, f.sort_key()))
        for category, cat_findings in groupby(by_category, key=lambda f: f.category):
            table = Table(
                title=category,
                title_justify="left",
                title_style="bold",
                show_lines=True,
                expand=True,
            )
            # the same widths in every table, so that the columns line up down the page
            table.add_column("Rule", no_wrap=True, width=widths["rule"])
            table.add_column("Sev", no_wrap=True, width=widths["sev"])
            table.add_column("Target", overflow="fold", width=widths["target"])
            table.add_column("Line", justify="right", no_wrap=True, width=widths["line"])
            table.add_column("Finding and fix", ratio=1)
            fixed: set[str] = set()  # a rule's fix is the same for each finding: say it once
            for f in cat_findings:
                body = Text(f.message)
                if f.path:
                    body.append("\npath: " + " -> ".join(f.path), style="cyan")
                if f.waived and f.waiver:
                    body.append("\nwaived: " + f.waiver, style="dim")
                elif f.rule in fixed:
                    body.append(f"\nfix: as for {f.rule} above", style="green")
                else:
                    body.append("\nfix: " + f.remediation, style="green")
                    fixed.add(f.rule)
                rule = Text(f.rule)
                rule.append("\n" + f.authority, style="magenta" if f.authority == "law" else "blue")
                table.add_row(rule, f.severity, f.target, str(f.location.line), body)
            console.print(table)


_MAX_TARGET = 32  # longer targets fold rather than squeeze the message
_MIN_TARGET = 10
_MIN_MESSAGE = 30
_FRAME = 16  # borders and padding of a five-column table


def _widths(findings: Sequence[Finding], width: int) -> dict[str, int]:
    """Column widths shared by every table; on a narrow screen the target folds first."""
    widths = {
        "rule": max([len("Rule"), *(len(f.rule) for f in findings)]),
        "sev": max([len("Sev"), *(len(f.severity) for f in findings)]),
        "target": min(_MAX_TARGET, max([len("Target"), *(len(f.target) for f in findings)])),
        "line": max([len("Line"), *(len(str(f.location.line)) for f in findings)]),
    }
    short = _MIN_MESSAGE - (width - _FRAME - sum(widths.values()))
    if short > 0:
        widths["target"] = max(_MIN_TARGET, widths["target"] - short)
    return widths


def _summary(report: Report) -> Text:
    s = report.summary()
    text = Text()
    errors, warnings = s["error"], s["warning"]
    text.append(plural(errors, "error"), style="bold red" if errors else "green")
    text.append(", ")
    text.append(plural(warnings, "warning"), style="yellow" if warnings else "green")
    text.append(
        f", {s['waived']} waived, {s['passed_rules']} of {plural(len(report.rules), 'rule')} passed"
    )
    if report.baseline is not None:  # a baseline hides findings: never a silent pass
        text.append(f", {report.baseline.known} known (baseline)", style="dim")
    return text


def _baseline(report: Report) -> Text:
    """What --baseline hid, and its entries that no finding matches any more."""
    b = report.baseline
    assert b is not None
    known = plural(b.known, "known finding")
    text = Text(f"baseline {b.file}: {known} not shown", style="dim")
    if b.fixed:
        text.append(f"; {len(b.fixed)} fixed (update it with --write-baseline):", style="green")
        for e in b.fixed:
            path = f" via {' -> '.join(e.path)}" if e.path else ""
            path += f" ({e.resource})" if e.resource else ""
            text.append(f"\n  fixed: {e.rule} {e.target}{path} (was line {e.line})", style="green")
    return text
