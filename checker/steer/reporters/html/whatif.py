"""The ``scenarios`` section of a what-if page: each scenario side by side with the
baseline (counts, readiness, register), then per scenario the findings it resolves
and introduces, how the transfer register changes, and its own timeline and
data-flow diagram when those differ from the baseline's (Q5 moves a submission
date; Q3 removes a crossing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import planning, svg_dataflow, svg_timeline, svg_topology
from .markup import esc, plural, slug
from .model import CheckInput, Finding, ScenarioInput, WhatifInput
from .sections import REGISTER_HEAD, badge, failing_components, level_badge, register_rows

REGISTER_FIELDS = (
    "to",
    "categories",
    "individuals",
    "requires",
    "requires_by_policy",
    "exemption",
    "covered",
    "missing",
)
"""What a crossing's change is told by (its approvals: each one's own change)."""


def _counts(data: CheckInput) -> Mapping[str, Any]:
    return data.report.get("summary") or {}


def _uncovered(data: CheckInput) -> str:
    crossings = data.report.get("crossings") or []
    return f"{sum(not c.get('covered') for c in crossings)} of {len(crossings)}"


def _ready(data: CheckInput) -> str:
    return badge("ready", "pass") if data.readiness.ready else badge("not ready", "error")


def comparison_table(data: WhatifInput) -> str:
    base = data.baseline
    cols = [("baseline", base, None)] + [(s.name, s.check, s) for s in data.scenarios]
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name, _, _ in cols)

    def row(label: str, cells: Sequence[str]) -> str:
        return (
            f'<tr><th scope="row">{esc(label)}</th>'
            + "".join(f"<td>{c}</td>" for c in cells)
            + "</tr>"
        )

    def regime(d: CheckInput) -> str:
        return esc((d.report.get("regime") or {}).get("name") or "—")

    rows = [
        row("question", ["—"] + [esc(s.question or "—") for s in data.scenarios]),
        row("as of", [esc(d.report.get("as_of", "")) for _, d, _ in cols]),
        row("regime", [regime(d) for _, d, _ in cols]),
        row("errors", [str(_counts(d).get("error", 0)) for _, d, _ in cols]),
        row("warnings", [str(_counts(d).get("warning", 0)) for _, d, _ in cols]),
        row("resolved", ["—"] + [str(len(s.resolved)) for s in data.scenarios]),
        row("introduced", ["—"] + [str(len(s.introduced)) for s in data.scenarios]),
        row("crossings not covered", [_uncovered(d) for _, d, _ in cols]),
        row("ready for go-live", [_ready(d) for _, d, _ in cols]),
    ]
    return (
        '<table id="scenarios-table"><thead><tr><th scope="col"></th>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _finding_rows(items: Sequence[Finding], change: str) -> str:
    return "".join(
        f'<tr data-change="{change}" data-rule="{esc(f.get("rule"))}" '
        f'data-target="{esc(f.get("target"))}" data-level="{esc(f.get("level"))}">'
        f'<td>{level_badge(f)}</td><td class="id"><code>{esc(f.get("rule"))}</code></td>'
        f"<td><code>{esc(f.get('target'))}</code></td><td>{esc(f.get('message', ''))}</td></tr>"
        for f in items
    )


def _findings_table(title: str, items: Sequence[Finding], change: str) -> str:
    if not items:
        return f"<p>{esc(title)}: none.</p>"
    return (
        f'<h4>{esc(title)} ({len(items):,})</h4><table><thead><tr><th scope="col">Level</th>'
        '<th scope="col">Rule</th><th scope="col">Target</th><th scope="col">Message</th>'
        f"</tr></thead><tbody>{_finding_rows(items, change)}</tbody></table>"
    )


def register_changes(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]], list[tuple[str, list[str]]]]:
    """(added, removed, changed): crossings by flow id; changed names what differs."""
    old = {str(c.get("flow")): c for c in before}
    new = {str(c.get("flow")): c for c in after}
    added = [new[k] for k in sorted(set(new) - set(old))]
    removed = [old[k] for k in sorted(set(old) - set(new))]
    changed = []
    for key in sorted(set(old) & set(new)):
        diffs = []
        for name in REGISTER_FIELDS:
            if old[key].get(name) != new[key].get(name):
                diffs.append(f"{name}: {_short(old[key].get(name))} → {_short(new[key].get(name))}")
        diffs += _approval_changes(old[key].get("approvals") or [], new[key].get("approvals") or [])
        if diffs:
            changed.append((key, diffs))
    return added, removed, changed


def _approval_changes(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> list[str]:
    """Each covering approval that came, went, or now counts (or not) for another reason."""
    old = {str(a.get("id")): a for a in before}
    new = {str(a.get("id")): a for a in after}
    out = []
    for aid in sorted(set(old) | set(new)):
        a, b = old.get(aid), new.get(aid)
        if a is None:
            out.append(f"{aid} now covers it: {_approval_state(b)}")
        elif b is None:
            out.append(f"{aid} no longer covers it")
        elif (a.get("counts"), a.get("why")) != (b.get("counts"), b.get("why")):
            out.append(f"{aid}: {_approval_state(a)} → {_approval_state(b)}")
    return out


def _approval_state(approval: Mapping[str, Any] | None) -> str:
    if approval is None:
        return "—"
    return f"{'✓' if approval.get('counts') else '✗'} {approval.get('why', '')}"


def _drawn(crossings: Sequence[Mapping[str, Any]]) -> list[tuple[object, ...]]:
    """What the data-flow diagram shows of each crossing."""
    return [
        (
            c.get("flow"),
            c.get("to"),
            tuple(c.get("categories") or ()),
            c.get("individuals"),
            c.get("requires"),
            c.get("covered"),
            tuple((a.get("id"), a.get("counts")) for a in c.get("approvals") or ()),
        )
        for c in crossings
    ]


def _short(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return "—" if value is None else str(value)


def _register_section(base: CheckInput, s: ScenarioInput) -> str:
    added, removed, changed = register_changes(
        base.report.get("crossings") or [], s.check.report.get("crossings") or []
    )
    if not (added or removed or changed):
        return "<p>Transfer register: unchanged.</p>"
    out = ["<h4>Transfer register changes</h4>"]
    if removed:
        out.append(
            "<p>No longer crossing: "
            + ", ".join(f"<code>{esc(c.get('flow'))}</code>" for c in removed)
            + ".</p>"
        )
    if changed:
        out.append(
            '<ul class="changes">'
            + "".join(f"<li><code>{esc(k)}</code>: {esc('; '.join(d))}</li>" for k, d in changed)
            + "</ul>"
        )
    if added:
        out.append(
            f'<p>New crossings:</p><table class="register">{REGISTER_HEAD}<tbody>'
            + register_rows(added)
            + "</tbody></table>"
        )
    return "".join(out)


def _timeline_key(d: CheckInput) -> tuple[object, ...]:
    t = d.timeline
    return (t.as_of, t.go_live, t.approvals, t.launches)


def scenario(base: CheckInput, s: ScenarioInput) -> str:
    ident = f"scenario-{slug(s.name)}"
    ready = s.check.readiness
    verdict = "Ready for go-live." if ready.ready else "Not ready for go-live."
    reasons = "".join(f"<li>{esc(r)}</li>" for r in ready.reasons)
    out = [
        f'<article class="scenario" id="{ident}" aria-labelledby="{ident}-h">',
        f'<h3 id="{ident}-h">{esc(s.name)}</h3>',
    ]
    if s.question:
        out.append(f"<p><strong>{esc(s.question)}</strong></p>")
    if s.description:
        out.append(f"<p>{esc(s.description)}</p>")
    meta = f"As of {esc(s.check.report.get('as_of', ''))}"
    if s.file:
        meta = f"<code>{esc(s.file)}</code>, " + meta.lower()
    out.append(f'<p class="muted">{meta}.</p>')
    cls = "verdict ok" if ready.ready else "verdict"
    out.append(
        f'<div class="{cls}"><strong>{verdict}</strong>'
        + (f"<ul>{reasons}</ul>" if reasons else "")
        + "</div>"
    )
    out.append(_findings_table("Resolved", s.resolved, "resolved"))
    out.append(_findings_table("Introduced", s.introduced, "introduced"))
    out.append(_register_section(base, s))
    if _timeline_key(base) != _timeline_key(s.check):
        out.append("<h4>Timeline under this scenario</h4>")
        out.append(planning.q5_answer(s.check))
        out.append(
            '<div class="figure">'
            f"{svg_timeline.render(s.check.timeline, ident + '-timeline')}</div>"
        )
    moved = base.topology.components != s.check.topology.components
    if moved:
        out.append("<h4>Topology under this scenario</h4>")
        failing = failing_components(s.check)
        out.append(
            '<div class="figure">'
            f"{svg_topology.render(s.check.topology, failing, ident + '-topology')}</div>"
        )
    crossings = list(s.check.report.get("crossings") or [])
    if moved or _drawn(base.report.get("crossings") or []) != _drawn(crossings):
        out.append(
            f"<h4>Data flows under this scenario ({plural(len(crossings), 'crossing')})</h4>"
        )
        out.append(
            f'<div class="figure">'
            f"{svg_dataflow.render(crossings, s.check.topology, ident + '-dataflow')}</div>"
        )
    out.append("</article>")
    return "".join(out)


def scenarios(data: WhatifInput) -> str:
    return (
        '<section id="scenarios" aria-labelledby="scenarios-h">'
        '<h2 id="scenarios-h">Scenarios</h2>'
        f"<p>{plural(len(data.scenarios), 'scenario')}, each checked against the same manifest "
        "and compared with the baseline (the rest of this page).</p>"
        + comparison_table(data)
        + "".join(scenario(data.baseline, s) for s in data.scenarios)
        + "</section>"
    )
