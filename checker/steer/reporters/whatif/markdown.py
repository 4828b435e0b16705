"""``steer whatif --format markdown``: a pull-request comment. A table of the
baseline and the scenarios (errors, warnings, resolved, introduced, ready for
go-live), then per scenario its question, description and the findings it resolves
and introduces (rule, target, message), and why it is not ready for go-live."""

from __future__ import annotations

from steer.reporters.shown import shown
from steer.results.compare import Comparison, Outcome, Readiness
from steer.results.findings import Finding


def render(comparison: Comparison, color: bool = False) -> str:
    comparison = shown(comparison)
    base = comparison.baseline
    before = base.summary()
    context = f"As of {base.as_of}"
    if base.regime:
        context += f", regime `{base.regime}`"
    if comparison.readiness.go_live:
        context += f", go-live {comparison.readiness.go_live}"
    out = [
        f"## steer what-if: `{_code(base.manifest)}`",
        "",
        context + ".",
        "",
        "| Scenario | Question | Errors | Warnings | Resolved | Introduced | Ready for go-live |",
        "|---|---|---:|---:|---:|---:|---|",
        f"| **baseline** | | {before['error']} | {before['warning']} | | | "
        f"{_ready(comparison.readiness)} |",
    ]
    for o in comparison.outcomes:
        now = o.report.summary()
        out.append(
            f"| `{_code(o.name)}` | {_cell(o.question or '')} "
            f"| {_delta(now['error'], before['error'])} "
            f"| {_delta(now['warning'], before['warning'])} "
            f"| {len(o.resolved)} | {len(o.introduced)} | {_ready(o.readiness)} |"
        )
    out.append("")
    out += [f"**Baseline:** {_verdict(comparison.readiness)}", ""]
    for o in comparison.outcomes:
        out += _detail(o)
    return "\n".join(out).rstrip("\n") + "\n"


def _detail(o: Outcome) -> list[str]:
    out = [f"### `{_code(o.name)}`", ""]
    if o.question:
        out += [f"> {_text(o.question)}", ""]
    if o.description:
        out += [_text(o.description), ""]
    context = f"`{_code(o.file)}`, as of {o.report.as_of}"
    if o.report.regime:
        context += f", regime `{o.report.regime}`"
    out += [context + ".", ""]
    for title, items in (("Resolved", o.resolved), ("Introduced", o.introduced)):
        if items:
            out += [f"**{title} ({len(items)})**", ""]
            out += [_line(f) for f in items]
            out.append("")
    if not o.resolved and not o.introduced:
        out += ["No change in findings.", ""]
    out += [_verdict(o.readiness), ""]
    return out


def _verdict(readiness: Readiness) -> str:
    reasons = readiness.reasons()
    if reasons:
        return f"**Not ready for go-live:** {_text('; '.join(reasons))}."
    return "**Ready for go-live.**"


def _line(f: Finding) -> str:
    level = "waived" if f.waived else f.level
    return f"- `{f.rule}` {level} `{_code(f.target)}`: {_text(f.message)}"


def _ready(r: Readiness) -> str:
    return "✅ yes" if r.ready else "❌ no"


def _delta(now: int, before: int) -> str:
    return f"{now} ({now - before:+d})" if now != before else str(now)


def _text(text: str) -> str:
    """One line of prose, with what Markdown would read as markup escaped."""
    flat = " ".join(text.split())
    for ch in "\\*_[]<>|`":
        flat = flat.replace(ch, "\\" + ch)
    return flat


def _cell(text: str) -> str:
    return _text(text)


def _code(text: str) -> str:
    return " ".join(text.split()).replace("`", "'").replace("|", "\\|")
