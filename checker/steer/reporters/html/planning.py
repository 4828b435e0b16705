"""Dependencies and next actions, and confidence: what the annex's decision layer
says in prose, derived from the run.

* **Dependencies**: the blocking findings, grouped by requirement, and every
  approval still open with the end of its statutory window (from its submission,
  or from today for one not yet submitted) and the latest submission whose window
  still ends by the day it is needed (the engine's working-day arithmetic).
* **Next actions**: the open approvals in the order they are needed, then each
  blocking requirement's fix.
* **Confidence**: how much of the verdict rests on requirements not yet confirmed
  and on facts nobody has determined (unknown volumes and jurisdictions,
  decisions still with an authority, dates beyond the official calendar).
"""

from __future__ import annotations

import datetime as dt

from .markup import day, esc, plural
from .model import ApprovalSpan, CheckInput, Rule
from .sections import badge, blocking
from .svg_timeline import working_days

AWAITING = ("submitted", "in-review")


def _needed(a: ApprovalSpan, go_live: dt.date | None) -> dt.date | None:
    return a.needed_by or go_live


def approval_verdict(a: ApprovalSpan, data: CheckInput) -> tuple[str, str]:
    """(badge kind, words): whether an approval is, or can be, granted in time. The
    law gives maxima, not minima (the CAC's 5 + 7 + 45 working days): a statutory
    window that ends after the need is a risk, a warning, never a certain miss."""
    tl = data.timeline
    needed = _needed(a, tl.go_live)
    if a.status == "approved":
        if needed and a.approved_on and a.approved_on > needed:
            return "error", f"approved {a.approved_on}, after {needed}"
        if a.expires and a.expires < (needed or tl.as_of):
            return "error", f"expires {a.expires}, before {needed or tl.as_of}"
        return "pass", f"approved {day(a.approved_on)}"
    if a.status in ("rejected", "withdrawn"):
        return "error", f"{a.status}: needs a new submission"
    if needed is None:
        return "warning", "not approved; nothing dates the need"
    if tl.as_of > needed:
        return "error", f"needed since {needed}, not approved"
    if a.submitted is None:
        if a.submit_by and tl.as_of > a.submit_by and a.projected_end:
            return "warning", (
                f"not submitted; sent today, its statutory maximum ends {a.projected_end}, "
                f"after {needed}"
            )
        if a.submit_by:
            return "warning", f"not submitted: submit by {a.submit_by}"
        return "warning", f"not submitted; needed by {needed}"
    if a.window_end and a.window_end > needed:
        return "warning", f"may land after {needed}: its statutory maximum ends {a.window_end}"
    if a.window_end:
        return "pass", f"lands by {needed}: its statutory maximum ends {a.window_end}"
    return "warning", f"{a.status}, not approved; needed by {needed}"


def open_approvals(data: CheckInput) -> list[ApprovalSpan]:
    items = [a for a in data.timeline.approvals if a.status != "approved" or a.needed_for]
    far = dt.date.max
    return sorted(items, key=lambda a: (_needed(a, data.timeline.go_live) or far, a.id))


def actions(data: CheckInput) -> str:
    findings = data.report.get("findings") or []
    errors = blocking(findings)
    by_rule: dict[str, list[dict[str, object]]] = {}
    for f in errors:
        by_rule.setdefault(str(f.get("rule")), []).append(dict(f))
    out = [
        '<section id="actions" aria-labelledby="actions-h">',
        '<h2 id="actions-h">Dependencies and next actions</h2>',
        f"<h3>What blocks go-live ({plural(len(errors), 'blocking finding')})</h3>",
    ]
    if by_rule:
        out.append(
            '<table id="blockers-table"><thead><tr><th scope="col">Rule</th>'
            '<th scope="col">Requirement</th><th scope="col" class="num">Findings</th>'
            '<th scope="col">Targets</th></tr></thead><tbody>'
        )
        for rule, group in by_rule.items():
            targets = sorted({str(f.get("target")) for f in group})
            shown = ", ".join(targets[:8]) + (
                f" and {len(targets) - 8:,} more" if len(targets) > 8 else ""
            )
            out.append(
                f'<tr data-rule="{esc(rule)}"><td><code>{esc(rule)}</code></td>'
                f"<td>{esc(group[0].get('title', ''))}</td>"
                f'<td class="num">{len(group):,}</td><td>{esc(shown)}</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>No blocking finding.</p>")
    approvals = open_approvals(data)
    out.append(f"<h3>Approvals still open or relied on ({len(approvals):,})</h3>")
    if approvals:
        out.append(
            '<table id="approvals-table"><thead><tr><th scope="col">Approval</th>'
            '<th scope="col">Type</th><th scope="col">Status</th><th scope="col">Submitted</th>'
            '<th scope="col">Statutory maximum ends</th><th scope="col">If submitted today</th>'
            '<th scope="col">Submit by</th><th scope="col">Needed by</th>'
            '<th scope="col">Can it land in time?</th></tr></thead><tbody>'
        )
        for a in approvals:
            kind, words = approval_verdict(a, data)
            needed = _needed(a, data.timeline.go_live)
            out.append(
                f'<tr data-approval="{esc(a.id)}"><td><code>{esc(a.id)}</code><br>'
                f'<span class="muted">{esc(a.name)}</span></td><td>{esc(a.type)}</td>'
                f'<td>{esc(a.status)}</td><td class="nw">{day(a.submitted)}</td>'
                f'<td class="nw">{day(a.window_end)}</td><td class="nw">{day(a.projected_end)}</td>'
                f'<td class="nw">{day(a.submit_by)}</td><td class="nw">{day(needed)}</td>'
                f"<td>{badge(words, kind, long=True)}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("<h3>Next actions</h3>")
    steps = []
    for a in approvals:
        kind, words = approval_verdict(a, data)
        if kind == "pass":
            continue
        if a.status == "planned":
            what = f"Submit <code>{esc(a.id)}</code> ({esc(a.type)})"
            if a.submit_by and data.timeline.as_of > a.submit_by:
                what += " now"
            elif a.submit_by:
                what += f" by {esc(a.submit_by)}"
        elif a.status in AWAITING:
            what = f"Follow up <code>{esc(a.id)}</code> ({esc(a.type)}, {esc(a.status)})"
        else:
            what = f"Resolve <code>{esc(a.id)}</code> ({esc(a.type)})"
        steps.append(f"<li>{what}: {esc(words)}.</li>")
    for rule, group in by_rule.items():
        steps.append(
            f"<li>Fix <code>{esc(rule)}</code> ({plural(len(group), 'finding')}): "
            f"{esc(group[0].get('remediation', ''))}</li>"
        )
    if steps:
        out.append("<ol>" + "".join(steps) + "</ol>")
    else:
        out.append("<p>None: nothing blocks go-live and every approval can land in time.</p>")
    out.append("</section>")
    return "".join(out)


def confidence_level(pending_share: float, undetermined: int) -> str:
    """The annex's scale. The rule: High when at most a fifth of the requirements is
    pending and no fact is undetermined; Medium up to two fifths and three facts;
    Low-Medium up to three fifths; Low beyond."""
    if pending_share <= 0.2 and undetermined == 0:
        return "High"
    if pending_share <= 0.4 and undetermined <= 3:
        return "Medium"
    if pending_share <= 0.6:
        return "Low-Medium"
    return "Low"


def confidence(data: CheckInput) -> str:
    rules: dict[str, Rule] = {r.id: r for r in data.rules}
    findings = data.report.get("findings") or []
    errors = blocking(findings)
    unconfirmed = sorted(r.id for r in data.rules if r.status != "confirmed")
    resting = [
        f for f in errors if (rules.get(str(f.get("rule"))) or _CONFIRMED).status != "confirmed"
    ]
    crossings = data.report.get("crossings") or []
    unknown_volume = sorted(str(c.get("flow")) for c in crossings if c.get("individuals") is None)
    unknown_place = sorted(c.id for c in data.topology.components if not c.jurisdiction)
    awaiting = sorted(a.id for a in data.timeline.approvals if a.status in AWAITING)
    facts: list[str] = []
    if unknown_volume:
        facts.append(
            f"volume unknown for {plural(len(unknown_volume), 'crossing')} "
            f"({_few(unknown_volume)}): the decision assumes the thresholds are met"
        )
    if unknown_place:
        facts.append(
            f"no jurisdiction for {plural(len(unknown_place), 'component')} ({_few(unknown_place)})"
        )
    if awaiting:
        facts.append(
            f"{plural(len(awaiting), 'approval')} awaiting an authority's decision "
            f"({_few(awaiting)})"
        )
    if data.timeline.approximate_calendar:
        facts.append("some dates lie beyond the official holiday calendar and are estimated")
    share = len(unconfirmed) / len(data.rules) if data.rules else 0.0
    level = confidence_level(share, len(facts))
    out = [
        '<section id="confidence" aria-labelledby="confidence-h">',
        '<h2 id="confidence-h">Confidence</h2>',
        f'<p class="lede"><strong>{esc(level)}</strong> — '
        f"{len(unconfirmed)} of {plural(len(data.rules), 'requirement')} not yet confirmed "
        f"({share:.0%}); {plural(len(facts), 'undetermined fact')}.</p>",
        f"<p>{len(resting)} of {plural(len(errors), 'blocking finding')} rest on requirements "
        "that are not confirmed: a decision on those requirements can change the verdict.</p>",
    ]
    if unconfirmed:
        out.append(f"<p>Pending requirements: {esc(', '.join(unconfirmed))}.</p>")
    if facts:
        out.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in facts) + "</ul>")
    out.append(
        '<p class="muted">Scale: High when at most a fifth of the requirements is pending and '
        "no fact is undetermined; Medium up to two fifths and three facts; Low-Medium up to "
        "three fifths; Low beyond.</p></section>"
    )
    return "".join(out)


_CONFIRMED = Rule("", "", "", "confirmed", "", "", "")


def _few(items: list[str], n: int = 5) -> str:
    more = f" and {len(items) - n:,} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


def q5_answer(data: CheckInput) -> str:
    """One sentence per CAC assessment: does it block go-live (the annex's Q5)?"""
    tl = data.timeline
    out = []
    for a in sorted(tl.approvals, key=lambda x: x.id):
        if a.type != "cac-security-assessment":
            continue
        needed = _needed(a, tl.go_live)
        kind, words = approval_verdict(a, data)
        end = a.window_end or (a.projected_end if a.submitted is None else None)
        gap = ""
        if a.status != "approved" and end and needed:
            n = working_days(tl, needed, end)
            side = "after" if n > 0 else "before"
            gap = f" That is {plural(abs(n), 'working day')} {side} {needed}."
        verdict = {"pass": "does not block", "warning": "may block", "error": "blocks"}[kind]
        out.append(
            f"<p><strong><code>{esc(a.id)}</code> {verdict} go-live</strong>: {esc(words)}."
            f"{esc(gap)}</p>"
        )
    return "".join(out)
