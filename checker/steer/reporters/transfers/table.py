"""``steer transfers --format table``: the transfer register for people at a terminal.

A heading with the manifest, the as-of date and the regime, and why that regime;
one row per crossing: the flow and its route (from → to, destination), the
categories and individuals counted, what it requires (the law's mechanism, the
organisation's stricter one, the exemption honoured or why it was refused, separate
consent and PIPIA), each covering approval and whether it counts, and whether the
crossing is covered or what is missing; then the basis of each decision, article by article; a
closing count. Colour only on a terminal; plain text ends no line in spaces."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from steer.reporters.check.table import render_each
from steer.reporters.transfers.register import (
    Entry,
    approval_lines,
    as_reports,
    by_policy,
    count_line,
    covered_text,
    destination,
    individuals,
    regime_line,
    requires,
)
from steer.results.findings import Report


def render(data: Report | Sequence[Report], color: bool = False, width: int | None = None) -> str:
    return render_each(as_reports(data), color, width, _render_one)


def _render_one(console: Console, report: Report) -> None:
    context = ", ".join(x for x in (f"as of {report.as_of}", regime_line(report)) if x)
    console.print(Text(report.manifest, style="bold"), Text(context, style="dim"))
    if report.regime_why:
        console.print(Text(report.regime_why, style="dim"))
    console.print()
    crossings = report.crossings
    if crossings:
        console.print(_table(crossings, console.width))
        console.print()
        console.print(Text("Basis of each decision", style="bold"))
        _basis(console, crossings)
        console.print()
    covered = sum(bool(c.get("covered")) for c in crossings)
    style = "green" if covered == len(crossings) else "bold red"
    console.print(Text(count_line(crossings), style=style))


_FRAME = 16  # borders and padding of a five-column table
_MAX_IDS = 28  # longer ids fold rather than squeeze the prose columns
# the prose columns share what the ids leave: (share, minimum width)
_PROSE = {
    "requires": (3, len("CAC security assessment")),
    "approvals": (5, len("✓ separate-consent-xb")),
    "covered": (3, len("- PIPIA (PIPL art. 55)") - 6),
}


def _widths(crossings: Sequence[Entry], total: int) -> dict[str, int]:
    """Column widths: the id columns as wide as their longest id (within a limit), the
    prose columns sharing the rest by their shares, never under their minimums."""
    crossing = max(
        max(
            len(str(e["flow"])),
            len(str(e["from"])) + 2,
            len(str(e["to"])) + 3 + len(destination(e)),
        )
        for e in crossings
    )
    # "1,200,000 individuals" may wrap after the number; a category never wraps
    data = max(
        max(
            [
                len(individuals(e)),
                len("individuals"),
                *(len(str(c)) + 1 for c in e.get("categories") or ()),
            ]
        )
        for e in crossings
    )
    out = {"crossing": min(crossing, _MAX_IDS), "data": min(data, _MAX_IDS)}
    rest = total - _FRAME - out["crossing"] - out["data"]
    spare = max(0, rest - sum(least for _, least in _PROSE.values()))
    shares = sum(share for share, _ in _PROSE.values())
    for name, (share, least) in _PROSE.items():
        out[name] = least + spare * share // shares
    out["approvals"] += total - _FRAME - sum(out.values())  # what rounding left, if it fits
    return out


def _table(crossings: Sequence[Entry], total: int) -> Table:
    widths = _widths(crossings, total)
    table = Table(
        title="Transfer register",
        title_justify="left",
        title_style="bold",
        show_lines=True,
    )
    table.add_column("Crossing", overflow="fold", width=widths["crossing"])
    table.add_column("Data", overflow="fold", width=widths["data"])
    table.add_column("Requires", overflow="fold", width=widths["requires"])
    table.add_column("Approvals", overflow="fold", width=widths["approvals"])
    table.add_column("Covered", overflow="fold", width=widths["covered"])
    for entry in crossings:
        crossing = Text(str(entry["flow"]), style="bold")
        crossing.append(f"\n{entry['from']} →\n{entry['to']} ({destination(entry)})", style="cyan")
        data = Text(",\n".join(str(c) for c in entry.get("categories") or ()) or "none")
        data.append(f"\n{individuals(entry)} individuals", style="dim")
        needs = Text(requires(entry), style="magenta")
        policy = by_policy(entry)
        if policy:
            needs.append(f"\npolicy: {policy}", style="blue")
        if entry.get("exemption"):
            needs.append(f"\nexempt: {entry['exemption']}", style="green")
        elif entry.get("exemption_refused"):
            needs.append(f"\nexemption refused: {entry['exemption_refused']}", style="red")
        needs.append("\n" + _also(entry.get("consent_required"), "separate consent"))
        needs.append("\n" + _also(entry.get("pipia_required"), "PIPIA"))
        approvals = Text()
        for i, (line, item) in enumerate(zip(approval_lines(entry), _items(entry), strict=True)):
            approvals.append(("\n" if i else "") + line, style=_approval_style(item))
        covered = _covered(entry)
        table.add_row(crossing, data, needs, approvals, covered)
    return table


def _covered(entry: Entry) -> Text:
    """ "yes", or what is missing, one item a line."""
    missing = [str(m) for m in entry.get("missing") or ()]
    if entry.get("covered") or not missing:
        return Text(covered_text(entry), style="green" if entry.get("covered") else "red")
    return Text("missing:\n" + "\n".join(f"- {m}" for m in missing), style="red")


def _also(required: object, what: str) -> str:
    """ "+ separate consent" when required, "no separate consent" when not."""
    return f"+ {what}" if required else f"no {what}"


def _items(entry: Entry) -> list[Entry | None]:
    return list(entry.get("approvals") or ()) or [None]


def _approval_style(item: Entry | None) -> str:
    if item is None:
        return "dim"
    return "green" if item.get("counts") else "red"


def _basis(console: Console, crossings: Sequence[Entry]) -> None:
    """Each crossing's flow, then its basis lines, wrapped lines hanging under the text."""
    for entry in crossings:
        console.print(Text(str(entry["flow"]), style="bold"))
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for line in entry.get("basis") or ():
            grid.add_row("  -", Text(str(line)))
        console.print(grid)
