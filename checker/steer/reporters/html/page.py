"""The HTML report: one self-contained page per check or what-if run.

``render_check(CheckInput) -> str`` and ``render_whatif(WhatifInput) -> str``. The
page carries the section ids of cli.md ("The HTML report"): ``summary``,
``requirements``, ``findings``, ``crossings``, ``topology``, ``dataflow``,
``timeline``, and ``scenarios`` for what-if; plus ``actions`` (dependencies and
next actions) and ``confidence``. It has no external reference of any kind: styles,
the filter script and the diagrams (SVG) are inline, and a Content Security Policy
allows only that script, so nothing injected could run. The same input gives the
same bytes: everything is sorted, no clock is read, ids derive from content.
"""

from __future__ import annotations

from itertools import chain

from . import planning, sections, svg_dataflow, svg_timeline, svg_topology, whatif
from .layout import COLLAPSE_ABOVE, MAX_SHOWN, clusters
from .markup import day, esc, plural
from .model import CheckInput, WhatifInput
from .style import CSP, CSS, JURISDICTION_NAMES, SCRIPT, script_hash

SECTIONS = (
    ("summary", "Summary"),
    ("requirements", "Requirements"),
    ("findings", "Findings"),
    ("crossings", "Transfer register"),
    ("actions", "Next actions"),
    ("topology", "Topology"),
    ("dataflow", "Data flows"),
    ("timeline", "Timeline"),
    ("confidence", "Confidence"),
)


def title_of(data: CheckInput) -> str:
    return data.title or str(data.report.get("manifest", "manifest"))


def topology_section(data: CheckInput, ident: str = "topology") -> str:
    topo = data.topology
    failing = sections.failing_components(data)
    groups = clusters(topo.components)
    rows = []
    for juris in sorted(groups, key=lambda j: (j != topo.home, j)):
        for cluster in groups[juris]:
            members = ", ".join(c.id for c in cluster.members)
            rows.append(
                f"<tr><td>{esc(JURISDICTION_NAMES.get(juris, juris))}</td>"
                f"<td>{esc(cluster.provider)}</td>"
                f"<td>{esc(', '.join(cluster.regions()) or '—')}</td>"
                f'<td class="num">{len(cluster.members):,}</td><td>{esc(members)}</td></tr>'
            )
    return (
        f'<section id="{ident}" aria-labelledby="{ident}-h">'
        f'<h2 id="{ident}-h">Infrastructure topology</h2>'
        f"<p>{plural(len(topo.components), 'component')} by jurisdiction and provider, the "
        "mainland on the left. Lines: data flows and calls across the mainland border; red "
        f"components are on a blocking finding. A cluster of more than {COLLAPSE_ABOVE} "
        f"components, and the largest clusters when more than {MAX_SHOWN} would be shown, "
        "are drawn as one box with counts.</p>"
        f'<div class="figure">{svg_topology.render(topo, failing, ident)}</div>'
        f'<table id="{ident}-table"><caption class="muted">Clusters and their components'
        '</caption><thead><tr><th scope="col">Jurisdiction</th><th scope="col">Provider</th>'
        '<th scope="col">Regions</th><th scope="col" class="num">Components</th>'
        '<th scope="col">Members</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
        "</section>"
    )


def dataflow_section(data: CheckInput, ident: str = "dataflow") -> str:
    crossings = list(data.report.get("crossings") or [])
    return (
        f'<section id="{ident}" aria-labelledby="{ident}-h">'
        f'<h2 id="{ident}-h">Cross-border data-flow model</h2>'
        "<p>Only the flows that take mainland subjects' personal or important data out of the "
        "mainland, with where the data is held and who receives it. Red: not covered by the "
        'approvals the crossing needs. Its table is the <a href="#crossings">transfer '
        "register</a>.</p>"
        f'<div class="figure">{svg_dataflow.render(crossings, data.topology, ident)}</div>'
        "</section>"
    )


def timeline_section(data: CheckInput, ident: str = "timeline") -> str:
    tl = data.timeline
    rows = []
    for a in sorted(tl.approvals, key=lambda x: (svg_timeline.TYPE_ORDER.get(x.type, 9), x.id)):
        rows.append(
            f'<tr data-approval="{esc(a.id)}"><td class="id"><code>{esc(a.id)}</code></td>'
            f'<td>{esc(a.type)}</td><td>{esc(a.status)}</td><td class="nw">{day(a.submitted)}</td>'
            f'<td class="nw">{day(a.window_end)}</td><td class="nw">{day(a.approved_on)}</td>'
            f'<td class="nw">{day(a.filing_deadline)}</td><td class="nw">{day(a.expires)}</td>'
            f'<td class="nw">{day(a.extension_start)}</td>'
            f"<td>{esc(', '.join(a.needed_for)) or '—'}</td></tr>"
        )
    launches = "".join(
        f"<tr><td><code>{esc(x.component)}</code></td><td>{esc(x.name)}</td>"
        f'<td class="nw">{day(x.on)}</td></tr>'
        for x in sorted(tl.launches, key=lambda x: (x.on, x.component))
    )
    out = [
        f'<section id="{ident}" aria-labelledby="{ident}-h">',
        f'<h2 id="{ident}-h">Timeline: approvals and launches against go-live</h2>',
        f"<p>Go-live <strong>{day(tl.go_live)}</strong>, as of {day(tl.as_of)}; mainland "
        "working days (official holidays and adjusted working days).</p>",
        planning.q5_answer(data),
        f'<div class="figure">{svg_timeline.render(tl, ident)}</div>',
    ]
    if rows:
        out.append(
            f'<table id="{ident}-table"><thead><tr><th scope="col">Approval</th>'
            '<th scope="col">Type</th><th scope="col">Status</th><th scope="col">Submitted</th>'
            '<th scope="col">Statutory maximum ends</th><th scope="col">Approved</th>'
            '<th scope="col">Filing due</th><th scope="col">Expires</th>'
            '<th scope="col">Extension window from</th>'
            '<th scope="col">Needed for</th></tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table>"
        )
    if launches:
        out.append(
            '<table><thead><tr><th scope="col">Component</th><th scope="col">Name</th>'
            '<th scope="col">Launch</th></tr></thead><tbody>' + launches + "</tbody></table>"
        )
    out.append("</section>")
    return "".join(out)


def _document(title: str, heading: str, nav: tuple[tuple[str, str], ...], body: str) -> str:
    links = "".join(f'<li><a href="#{i}">{esc(label)}</a></li>' for i, label in nav)
    csp = CSP.format(hash=script_hash())
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="steer">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f'<body><header class="page"><h1>{heading}</h1>'
        f'<nav class="toc" aria-label="Sections"><ul>{links}</ul></nav></header>'
        f"<main>{body}</main><script>{SCRIPT}</script></body></html>\n"
    )


def _body(data: CheckInput) -> list[str]:
    return [
        sections.requirements(data),
        sections.findings(data),
        sections.register(data),
        planning.actions(data),
        topology_section(data),
        dataflow_section(data),
        timeline_section(data),
        planning.confidence(data),
    ]


def render_check(data: CheckInput) -> str:
    title = title_of(data)
    as_of = esc(data.report.get("as_of", ""))
    heading = f'Compliance report: {esc(title)} <span class="muted">as of {as_of}</span>'
    body = "".join([sections.summary(data, title), *_body(data)])
    return _document(f"steer check: {title}", heading, SECTIONS, body)


def render_whatif(data: WhatifInput) -> str:
    base = data.baseline
    title = title_of(base)
    heading = (
        f'What-if report: {esc(title)} <span class="muted">baseline and '
        f"{plural(len(data.scenarios), 'scenario')}</span>"
    )
    nav = (SECTIONS[0], ("scenarios", "Scenarios"), *SECTIONS[1:])
    body = "".join(chain([sections.summary(base, title), whatif.scenarios(data)], _body(base)))
    return _document(f"steer whatif: {title}", heading, nav, body)
