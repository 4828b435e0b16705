"""``steer whatif --format table``: the baseline and every scenario side by side
(errors, warnings, findings resolved and introduced, go-live readiness), then per
scenario its question and one line for each finding resolved (-) or introduced (+):
rule, level, target and message. Colour only on a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from steer.reporters.check.table import make_console
from steer.reporters.shown import shown
from steer.results.compare import Comparison, Outcome, Readiness
from steer.results.findings import Finding

_LEVEL_STYLE = {"error": "bold red", "warning": "yellow"}


def render(comparison: Comparison, color: bool = False, width: int | None = None) -> str:
    console, buffer = make_console(color, width)
    comparison = shown(comparison)
    base = comparison.baseline
    context = f"as of {base.as_of}"
    if base.regime:
        context += f", regime {base.regime}"
    if comparison.readiness.go_live:
        context += f", go-live {comparison.readiness.go_live}"
    console.print(Text(f"what-if: {base.manifest}", style="bold"), Text(context, style="dim"))
    console.print(_overview(comparison))
    console.print()
    console.print(Text("baseline", style="bold"))
    _verdict(console, comparison.readiness)
    for outcome in comparison.outcomes:
        console.print()
        _detail(console, outcome)
    return buffer.getvalue()


def _ready(readiness: Readiness) -> Text:
    return Text("yes", style="green") if readiness.ready else Text("no", style="bold red")


def _delta(now: int, before: int) -> str:
    return f"{now} ({now - before:+d})" if now != before else str(now)


def _overview(comparison: Comparison) -> Table:
    table = Table(show_edge=True, expand=False)
    table.add_column("Scenario", no_wrap=True)
    table.add_column("Errors", justify="right", no_wrap=True)
    table.add_column("Warnings", justify="right", no_wrap=True)
    table.add_column("Resolved", justify="right", no_wrap=True)
    table.add_column("Introduced", justify="right", no_wrap=True)
    table.add_column("Ready", no_wrap=True)
    before = comparison.baseline.summary()
    table.add_row(
        Text("baseline", style="bold"),
        str(before["error"]),
        str(before["warning"]),
        "",
        "",
        _ready(comparison.readiness),
    )
    for o in comparison.outcomes:
        now = o.report.summary()
        table.add_row(
            o.name,
            _delta(now["error"], before["error"]),
            _delta(now["warning"], before["warning"]),
            str(len(o.resolved)),
            str(len(o.introduced)),
            _ready(o.readiness),
        )
    return table


def _detail(console: Console, o: Outcome) -> None:
    console.print(Text(o.name, style="bold"))
    if o.question:
        console.print(Text("  " + o.question))
    context = f"{o.file}, as of {o.report.as_of}"
    if o.report.regime:
        context += f", regime {o.report.regime}"
    console.print(Text("  " + context, style="dim"))
    if not o.resolved and not o.introduced:
        console.print("  no change in findings")
    else:
        console.print(_lines(o.resolved, o.introduced))
    _verdict(console, o.readiness)


def _verdict(console: Console, readiness: Readiness) -> None:
    reasons = readiness.reasons()
    if reasons:
        console.print(Text("  not ready for go-live: " + "; ".join(reasons), style="red"))
    else:
        console.print(Text("  ready for go-live", style="green"))


def _lines(resolved: tuple[Finding, ...], introduced: tuple[Finding, ...]) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)  # indent + sign
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
    for sign, style, items in (("-", "green", resolved), ("+", "red", introduced)):
        for f in items:
            level = "waived" if f.waived else f.level
            grid.add_row(
                Text(f"  {sign}", style=style),
                f.rule,
                Text(level, style=_LEVEL_STYLE.get(level, "dim")),
                f.target,
                " ".join(f.message.split()),
            )
    return grid
