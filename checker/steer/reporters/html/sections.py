"""The page's text sections: verdict and summary, the decision layer, findings,
the transfer register, dependencies and next actions, and confidence.

Each function returns an HTML fragment; each takes only the input model. Tables
carry ``data-*`` attributes with the raw values (level, rule, target, flow), which
the filter script and the tests read; what a person reads is the cell text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .markup import day, esc, plural, slug
from .model import CheckInput, Finding, Rule
from .svg_dataflow import requires_label

STATUS_LABEL = {
    "confirmed": "Confirmed",
    "decision-needed": "Decision needed",
    "in-progress": "In progress",
    "draft": "Draft",
}
CATEGORY_LABEL = {
    "data-sovereignty": "Data sovereignty",
    "infrastructure": "Infrastructure",
    "integration": "Integration",
    "compliance": "Compliance",
    "operations": "Operations",
}


def badge(text: str, kind: str, long: bool = False) -> str:
    """A coloured label; ``long`` ones (a sentence) wrap inside their cell."""
    klass = "badge long" if long else "badge"
    return f'<span class="{klass} b-{esc(kind)}">{esc(text)}</span>'


def level_badge(f: Finding) -> str:
    if f.get("waived"):
        return badge(f"waived ({f.get('level')})", "waived")
    level = str(f.get("level"))
    return badge(level, level if level in ("error", "warning") else "waived")


def authority_badge(value: object) -> str:
    if value in ("law", "policy"):
        return badge(str(value), str(value))
    return '<span class="muted">—</span>'


def status_badge(status: str) -> str:
    kind = "confirmed" if status == "confirmed" else "pending"
    return badge(STATUS_LABEL.get(status, status), kind)


def category_of(rules: Mapping[str, Rule], rule_id: str) -> str:
    rule = rules.get(rule_id)
    return rule.category if rule is not None else "steer"


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.get("level") == "error" and not f.get("waived")]


def failing_components(data: CheckInput) -> frozenset[str]:
    """Components a blocking finding targets or runs through (drawn in red)."""
    out: set[str] = set()
    for f in blocking(data.report.get("findings") or []):
        target = str(f.get("target", ""))
        if target.startswith("components."):
            out.add(target[len("components.") :])
        out.update(str(p) for p in f.get("path") or [])
    return frozenset(out)


def summary(data: CheckInput, title: str) -> str:
    r = data.report
    counts = r.get("summary") or {}
    regime = r.get("regime") or {}
    crossings = r.get("crossings") or []
    uncovered = sum(not c.get("covered") for c in crossings)
    ready = data.readiness
    when = f" on {day(ready.go_live)}" if ready.go_live else ""
    if ready.ready:
        verdict = f'<div class="verdict ok"><strong>Ready for go-live{esc(when)}.</strong>'
    else:
        verdict = f'<div class="verdict"><strong>Not ready for go-live{esc(when)}.</strong>'
    if ready.reasons:
        verdict += "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in ready.reasons) + "</ul>"
    verdict += "</div>"
    cards = [
        ("errors", counts.get("error", 0)),
        ("warnings", counts.get("warning", 0)),
        ("waived", counts.get("waived", 0)),
        ("requirements passing", counts.get("passed_rules", 0)),
        ("crossings not covered", f"{uncovered} of {len(crossings)}"),
    ]
    card_html = "".join(
        f'<div class="card"><span class="n">{esc(v)}</span>{esc(k)}</div>' for k, v in cards
    )
    return (
        '<section id="summary" aria-labelledby="summary-h">'
        '<h2 id="summary-h">Verdict and summary</h2>'
        f"{verdict}"
        f'<div class="cards">{card_html}</div>'
        f"<p>Manifest <code>{esc(r.get('manifest', ''))}</code> ({esc(title)}), as of "
        f"<strong>{esc(r.get('as_of', ''))}</strong>, judged by regime "
        f"<strong>{esc(regime.get('name') or '—')}</strong>; "
        f"steer {esc(r.get('steer_version', ''))}.</p>"
        + (
            f'<p class="muted">Why this regime: {esc(regime["why"])}</p>'
            if regime.get("why")
            else ""
        )
        + _baseline_note(r)
        + "</section>"
    )


def _baseline_note(report: Mapping[str, Any]) -> str:
    """What ``--baseline`` hid: the counts above are of the findings not in it."""
    base = report.get("baseline")
    if not isinstance(base, Mapping):
        return ""
    fixed = len(base.get("fixed") or [])
    return (
        f"<p>Baseline <code>{esc(base.get('file', ''))}</code>: "
        f"{plural(int(base.get('known') or 0), 'known finding')} not shown; "
        f"{plural(fixed, 'baseline entry', 'baseline entries')} no longer found. Go-live "
        "readiness counts every blocking finding, known ones included.</p>"
    )


def _result(rule: Rule, findings: Sequence[Finding]) -> tuple[str, str]:
    """(badge html, plain word) for a requirement's result in this run."""
    if not rule.evaluated:
        return '<span class="muted">not evaluated</span>', "not-evaluated"
    mine = [f for f in findings if f.get("rule") == rule.id]
    active = [f for f in mine if not f.get("waived")]
    errors = sum(f.get("level") == "error" for f in active)
    warnings = sum(f.get("level") == "warning" for f in active)
    if errors:
        return badge(plural(errors, "error"), "error"), "fails"
    if warnings:
        return badge(plural(warnings, "warning"), "warning"), "warns"
    if mine:
        return badge(f"waived ({len(mine)})", "waived"), "waived"
    return badge("passes", "pass"), "passes"


def requirements(data: CheckInput) -> str:
    findings = data.report.get("findings") or []
    rules = sorted(data.rules, key=lambda r: r.id)
    confirmed = sum(r.status == "confirmed" for r in rules)
    results = {r.id: _result(r, findings) for r in rules}
    # as the summary's passed_rules counts: no unwaived finding (a waived one passes)
    passing = sum(results[r.id][1] in ("passes", "waived") for r in rules)
    evaluated = sum(r.evaluated for r in rules)
    skipped = len(rules) - evaluated
    skipped_note = f" evaluated ({skipped} not evaluated: --select/--ignore)" if skipped else ""
    order = [c for c in CATEGORY_LABEL if any(r.category == c for r in rules)]
    order += sorted({r.category for r in rules} - set(order))
    pending: dict[str, int] = {}
    for r in rules:
        if r.status != "confirmed":
            pending[r.status] = pending.get(r.status, 0) + 1
    detail = ", ".join(f"{STATUS_LABEL.get(k, k).lower()} {n}" for k, n in sorted(pending.items()))
    out = [
        '<section id="requirements" aria-labelledby="requirements-h">',
        '<h2 id="requirements-h">Decision layer: requirements</h2>',
        f'<p class="lede"><strong>{plural(len(rules), "requirement")}</strong>: '
        f"{confirmed} confirmed, {len(rules) - confirmed} pending"
        f"{' (' + esc(detail) + ')' if detail else ''}; "
        f"{plural(len(order), 'category', 'categories')}. "
        f"<strong>Now passing: {passing} of {evaluated}</strong>"
        f"{skipped_note}.</p>",
    ]
    for cat in order:
        mine = [r for r in rules if r.category == cat]
        ok = sum(results[r.id][1] in ("passes", "waived") for r in mine)
        cat_confirmed = sum(r.status == "confirmed" for r in mine)
        out.append(
            f'<h3 id="req-{slug(cat)}">{esc(CATEGORY_LABEL.get(cat, cat))} '
            f'<span class="muted">— {plural(len(mine), "requirement")}, {cat_confirmed} '
            f"confirmed, {ok} passing</span></h3>"
        )
        out.append(
            '<table class="requirements"><thead><tr><th scope="col">Rule</th>'
            '<th scope="col">Requirement</th><th scope="col">Status</th>'
            '<th scope="col">Authority</th><th scope="col">Enforcement</th>'
            '<th scope="col">Severity</th><th scope="col">Result</th>'
            '<th scope="col">Sources</th></tr></thead><tbody>'
        )
        for r in mine:
            out.append(
                f'<tr data-rule="{esc(r.id)}" data-result="{results[r.id][1]}">'
                f'<td class="id"><code>{esc(r.id)}</code></td><td>{esc(r.title)}</td>'
                f"<td>{status_badge(r.status)}</td><td>{authority_badge(r.authority)}</td>"
                f"<td>{esc(r.enforcement)}</td><td>{esc(r.severity)}</td>"
                f"<td>{results[r.id][0]}</td>"
                f'<td class="muted">{"<br>".join(esc(s) for s in r.sources)}</td></tr>'
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return "".join(out)


def findings(data: CheckInput) -> str:
    items = list(data.report.get("findings") or [])
    rules = {r.id: r for r in data.rules}
    out = [
        '<section id="findings" aria-labelledby="findings-h">',
        f'<h2 id="findings-h">Findings ({len(items):,})</h2>',
        '<div id="finding-filters" class="filters" hidden></div>',
    ]
    if not items:
        out.append("<p>No findings: every evaluated requirement passes.</p></section>")
        return "".join(out)
    out.append(
        '<table id="findings-table"><thead><tr><th scope="col">Level</th>'
        '<th scope="col">Rule</th><th scope="col">Category</th><th scope="col">Authority</th>'
        '<th scope="col">Target</th><th scope="col">Path</th><th scope="col">Message</th>'
        "</tr></thead>"
    )
    groups: dict[str, list[Finding]] = {}
    for f in items:  # the report's order (level, severity, rule, target) within each rule
        groups.setdefault(str(f.get("rule")), []).append(f)
    for rule_id, group in groups.items():
        first = group[0]
        out.append(
            f'<tbody data-rule="{esc(rule_id)}"><tr class="group"><th colspan="7" scope="rowgroup">'
            f"<code>{esc(rule_id)}</code> {esc(first.get('title', ''))} "
            f'<span class="muted">({plural(len(group), "finding")}) — Fix: '
            f"{esc(first.get('remediation', ''))}</span></th></tr>"
        )
        category = category_of(rules, rule_id)
        for f in group:
            path = " → ".join(str(p) for p in f.get("path") or [])
            loc = f.get("location") or {}
            out.append(
                f'<tr data-rule="{esc(rule_id)}" data-target="{esc(f.get("target", ""))}" '
                f'data-level="{esc(f.get("level", ""))}" data-category="{esc(category)}" '
                f'data-authority="{esc(f.get("authority") or "none")}" '
                f'data-waived="{"true" if f.get("waived") else "false"}">'
                f'<td>{level_badge(f)}</td><td class="id"><code>{esc(rule_id)}</code></td>'
                f"<td>{esc(category)}</td><td>{authority_badge(f.get('authority'))}</td>"
                f"<td><code>{esc(f.get('target', ''))}</code>"
                f'<br><span class="muted">line {esc(loc.get("line", "?"))}</span></td>'
                f"<td>{esc(path) if path else '—'}</td><td>{esc(f.get('message', ''))}</td></tr>"
            )
        out.append("</tbody>")
    out.append("</table></section>")
    return "".join(out)


def _yes(value: object) -> str:
    return "yes" if value else "no"


REGISTER_HEAD = (
    "<thead><tr>"
    '<th scope="col">Flow</th><th scope="col">From → to</th><th scope="col">Destination</th>'
    '<th scope="col">Categories</th><th scope="col" class="num">Individuals</th>'
    '<th scope="col">Requires</th><th scope="col">Consent / PIPIA</th>'
    '<th scope="col">Exemption</th><th scope="col">Covered</th>'
    "</tr></thead>"
)
"""The register's columns; each crossing's path, basis and approvals follow in a row
of their own (the law's reasons are long: in a column they would be a narrow tower)."""


def _register_cells(c: Mapping[str, Any]) -> str:
    covered = badge("covered", "pass") if c.get("covered") else badge("NOT covered", "error")
    missing = [str(m) for m in c.get("missing") or []]
    if missing:
        covered += f'<br><span class="muted">missing: {esc("; ".join(missing))}</span>'
    requires = esc(requires_label(c.get("requires")))
    if c.get("requires_by_policy"):
        policy = requires_label(c.get("requires_by_policy"))
        requires += f'<br><span class="muted">by policy: {esc(policy)}</span>'
    exemption = esc(c.get("exemption") or "—")
    if c.get("exemption_refused"):
        exemption += f'<br><span class="muted">refused: {esc(c.get("exemption_refused"))}</span>'
    n = c.get("individuals")
    return (
        f'<td class="id"><code>{esc(c.get("flow"))}</code></td>'
        f"<td>{esc(c.get('from'))} → {esc(c.get('to'))}</td>"
        f"<td>{esc(c.get('destination'))}</td>"
        f"<td>{esc(', '.join(str(x) for x in c.get('categories') or []))}</td>"
        f'<td class="num">{"unknown" if n is None else f"{n:,}"}</td>'
        f"<td>{requires}</td>"
        f"<td>{_yes(c.get('consent_required'))} / {_yes(c.get('pipia_required'))}</td>"
        f"<td>{exemption}</td><td>{covered}</td>"
    )


def _register_detail(c: Mapping[str, Any]) -> str:
    approvals = "".join(
        f"<li>{'✓' if a.get('counts') else '✗'} <code>{esc(a.get('id'))}</code> "
        f"({esc(a.get('type'))}): {esc(a.get('why', ''))}</li>"
        for a in c.get("approvals") or []
    )
    basis = "".join(f"<li>{esc(b)}</li>" for b in c.get("basis") or [])
    path = " → ".join(str(p) for p in c.get("path") or [])
    return (
        f'<tr class="detail" data-detail="{esc(c.get("flow"))}"><td colspan="9">'
        f'<div class="detail"><p><strong>Path</strong> {esc(path) or "—"}</p>'
        f"<div><strong>Basis</strong><ul>{basis or '<li>—</li>'}</ul></div>"
        f"<div><strong>Approvals</strong><ul>"
        f"{approvals or '<li>none covers it</li>'}</ul></div></div></td></tr>"
    )


def register_rows(crossings: Sequence[Mapping[str, Any]]) -> str:
    """Two rows per crossing: its decision (with the raw values as ``data-*``), then
    its path, the basis of the decision and the approvals that cover it."""
    rows = []
    for c in crossings:
        rows.append(
            f'<tr data-flow="{esc(c.get("flow"))}" data-requires="{esc(c.get("requires"))}" '
            f'data-covered="{"true" if c.get("covered") else "false"}">'
            f"{_register_cells(c)}</tr>{_register_detail(c)}"
        )
    return "".join(rows)


def register(data: CheckInput) -> str:
    crossings = list(data.report.get("crossings") or [])
    uncovered = sum(not c.get("covered") for c in crossings)
    out = [
        '<section id="crossings" aria-labelledby="crossings-h">',
        '<h2 id="crossings-h">Transfer register</h2>',
        f"<p>{plural(len(crossings), 'flow')} take personal or important data of mainland "
        f"subjects out of the mainland; <strong>{uncovered} not covered</strong> by the "
        "approvals they need.</p>",
    ]
    if crossings:
        out.append(
            f'<table id="crossings-table" class="register">{REGISTER_HEAD}<tbody>'
            + register_rows(crossings)
            + "</tbody></table>"
        )
    out.append("</section>")
    return "".join(out)
