"""Builds the HTML report's input (``steer.reporters.html.model``) from a real run
of today's engine: the adapter the tests and ``python tests/reporters/html/html_input.py``
use until the CLI wires ``--format html`` itself.

What the current engine does not report yet is filled in here, approximately:
each finding's ``authority`` (from the pack table of guardrails.md), the report's
``regime`` and the transfer register ``crossings`` (from ``ctx.transfers``). The
working-day windows use the pack's parameters and ``steer.workdays``.

    python tests/reporters/html/html_input.py OUT_DIR [--screenshots=docs/screenshots]

writes the example's check and what-if pages and the synthetic ones at N = 200 and
1,000, with their sizes and render times (and the README's screenshots).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "checker"))
sys.path.insert(0, str(ROOT))

from steer import engine, workdays  # noqa: E402
from steer import whatif as steer_whatif  # noqa: E402
from steer.context import Context  # noqa: E402
from steer.findings import Finding, Report  # noqa: E402
from steer.manifest import Manifest, load_manifest  # noqa: E402
from steer.reporters import json_report  # noqa: E402
from steer.reporters.html import model  # noqa: E402
from steer.scenario import apply, load_base, load_scenario  # noqa: E402
from steer.transfers import CONTRACT_TYPES  # noqa: E402

EXAMPLE = ROOT / "examples" / "china-platform.yaml"
SCENARIOS = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))
AS_OF = "2026-11-26"

# guardrails.md: the annex's own decisions and channel/operations rows are policy;
# statutes, standards and firm facts are law.
POLICY = {
    "CN-DS-001",
    "CN-DS-002",
    "CN-DS-004",
    "CN-AUTO-001",
    "CN-INT-001",
    "CN-INT-002",
    "CN-INT-003",
    "CN-OPS-001",
}


def authority(rule: str) -> str | None:
    if not rule.startswith("CN-"):
        return None
    return "policy" if rule in POLICY else "law"


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def finding_json(f: Finding) -> dict[str, Any]:
    out = f.to_json()
    out["authority"] = authority(f.rule)
    return out


def _requires(ctx: Context, facts: Any) -> str:
    t = ctx.transfers
    if t.needs_assessment(facts):
        return "cac-security-assessment"
    if facts.personal and facts.exemption is None and t.decision.mechanism == "contract":
        return "standard-contract-or-certification"
    return "none"


def register(ctx: Context) -> list[dict[str, Any]]:
    """The transfer register of cli.md, approximately, from today's analysis."""
    t = ctx.transfers
    out = []
    for crossing in t.crossings:
        facts = t.facts(crossing)
        if not (facts.personal or t.facts(crossing, None).important):
            continue
        requires = _requires(ctx, facts)
        types = {
            "cac-security-assessment": ("cac-security-assessment",),
            "standard-contract-or-certification": (*CONTRACT_TYPES, "cac-security-assessment"),
            "none": (),
        }[requires]
        needs = [types] if types else []
        if facts.personal:
            needs += [("pipia",)] + ([("separate-consent",)] if facts.exemption is None else [])
        approvals = []
        for a in t.covering(crossing.flow):
            relevant = next((n for n in needs if a.get("type") in n), None)
            why = (
                t.why_not(a, relevant, crossing.target, facts.categories)
                if relevant
                else f"{a.get('type')} is not required here"
            )
            approvals.append(
                {
                    "id": a["id"],
                    "type": a.get("type"),
                    "counts": why is None,
                    "why": why or f"{a.get('status')} {a.get('approved_on') or ''}".strip(),
                }
            )
        covered = all(t.meet(crossing.flow, n, crossing.target, facts.categories)[0] for n in needs)
        target = ctx.components[crossing.target]["location"].get("jurisdiction")
        out.append(
            {
                "flow": crossing.flow,
                "from": crossing.source,
                "to": crossing.target,
                "destination": target,
                "path": list(facts.path_for(facts.categories)),
                "categories": list(facts.categories),
                "individuals": facts.records,
                "requires": requires,
                "consent_required": bool(facts.personal and facts.exemption is None),
                "pipia_required": bool(facts.personal),
                "exemption": facts.exemption,
                "basis": list(t.decision.reasons) if requires != "none" or facts.personal else [],
                "approvals": approvals,
                "covered": covered,
            }
        )
    return sorted(out, key=lambda c: c["flow"])


def report_json(report: Report, ctx: Context, manifest: Manifest) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(json_report.render([report]))
    doc["findings"] = [finding_json(f) for f in report.findings]
    pinned = (manifest.section("policy").get("regime") or "auto") != "auto"
    why = (
        "pinned by policy.regime" if pinned else f"in force on {report.as_of} (policy.regime: auto)"
    )
    doc["regime"] = {"name": report.regime, "why": why}
    doc["crossings"] = register(ctx)
    return doc


def rules(report: Report) -> tuple[model.Rule, ...]:
    return tuple(
        model.Rule(
            g.id,
            g.title,
            g.category,
            g.status,
            authority(g.id) or "law",
            g.enforcement,
            g.severity,
            tuple(g.sources),
        )
        for g in sorted(report.guardrails, key=lambda g: g.id)
    )


def topology(ctx: Context, crossings: Sequence[Mapping[str, Any]]) -> model.Topology:
    graph = ctx.graph
    comps = []
    for cid in sorted(graph.nodes):
        n = graph.nodes[cid]
        data = ctx.manifest.components[cid].get("data") or []
        cats = tuple(sorted({str(d.get("category")) for d in data if isinstance(d, dict)}))
        comps.append(
            model.Component(
                cid,
                str(n.get("name") or cid),
                str(n["kind"]),
                n.get("provider"),
                n.get("region"),
                n.get("jurisdiction"),
                cats,
            )
        )
    register_by_flow = {c["flow"]: c for c in crossings}
    flows = []
    for fid in sorted(ctx.manifest.flows):
        f = ctx.manifest.flows[fid]
        entry = register_by_flow.get(fid)
        flows.append(
            model.Flow(
                fid,
                f["from"],
                f["to"],
                tuple(f.get("data") or ()),
                f.get("mechanism"),
                entry is not None,
                entry["covered"] if entry else None,
            )
        )
    deps = tuple(
        model.Dependency(cid, dep)
        for cid in sorted(ctx.manifest.components)
        for dep in sorted(ctx.manifest.components[cid].get("depends_on") or [])
    )
    return model.Topology(tuple(comps), tuple(flows), deps, "CN")


def _windows(params: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """(most, least) working days an approval of a type takes, by the pack's parameters."""
    cac = int(params.get("cac_assessment_working_days") or 60)
    mp = int(params.get("mini_program_review_working_days") or 10)
    icp = int(params.get("icp_filing_working_days") or 23)
    return {
        "cac-security-assessment": (cac, int(params.get("cac_assessment_min_working_days") or 45)),
        "mini-program-review": (mp, 5),
        "icp-filing": (icp, icp),
        "icp-licence": (icp, icp),
    }


def _add(day: dt.date, n: int) -> dt.date:
    return workdays.add_working_days(day, n)[0]


def timeline(ctx: Context, as_of: str) -> model.Timeline:
    manifest = ctx.manifest
    go_live = _date(manifest.go_live)
    today = dt.date.fromisoformat(as_of)
    windows = _windows(ctx.params)
    renewal = int(ctx.params.get("renewal_window_working_days") or 60)
    launches = []
    users: dict[str, list[tuple[str, dt.date | None]]] = {}
    for cid, comp in sorted(manifest.components.items()):
        launch = _date(comp.get("launch"))
        if launch is not None:
            launches.append(model.Launch(cid, str(comp.get("name") or cid), launch))
        for aid in comp.get("approvals") or []:
            users.setdefault(aid, []).append((cid, launch or go_live))
    for fid, flow in sorted(manifest.flows.items()):
        for aid in flow.get("approvals") or []:
            users.setdefault(aid, []).append((fid, _date(flow.get("since")) or go_live))
    spans = []
    for aid, view in sorted(ctx.approvals.items()):
        kind = str(view.get("type"))
        most, least = windows.get(kind, (0, 0))
        submitted, approved = _date(view.get("submitted")), _date(view.get("approved_on"))
        expires = _date(view.get("expires_effective"))
        needs = [d for _, d in users.get(aid, []) if d is not None]
        needed_by = min(needs) if needs else None
        open_ = view.get("status") != "approved"
        spans.append(
            model.ApprovalSpan(
                id=aid,
                type=kind,
                name=str(view.get("name") or aid),
                status=str(view.get("status")),
                submitted=submitted,
                approved_on=approved,
                expires=expires,
                effective=_date(view.get("effective")),
                window_end=_add(submitted, most) if submitted and most else None,
                window_label=f"{most} working days" if most else "",
                extension_start=_add(expires, -renewal)
                if expires and kind == "cac-security-assessment"
                else None,
                earliest=_add(max(submitted or today, today), least) if open_ and least else None,
                submit_by=_add(needed_by, -most) if needed_by and most and not submitted else None,
                needed_by=needed_by,
                needed_for=tuple(sorted({u for u, _ in users.get(aid, [])})),
            )
        )
    shown = [today, *(d for d in (go_live,) if d)]
    approximate = any(not workdays.is_exact(d) for d in shown)
    return model.Timeline(
        today, go_live, tuple(spans), tuple(launches), workdays.is_working_day, approximate
    )


def check_input(manifest: Manifest, as_of: str) -> tuple[model.CheckInput, Report]:
    report, ctx = engine.evaluate(manifest, engine.Settings(as_of=as_of))
    doc = report_json(report, ctx, manifest)
    ready = steer_whatif.readiness(manifest, report)
    data = model.CheckInput(
        report=doc,
        rules=rules(report),
        topology=topology(ctx, doc["crossings"]),
        timeline=timeline(ctx, as_of),
        readiness=model.Readiness(ready.ready, _date(ready.go_live), tuple(ready.reasons())),
        title=str(manifest.data.get("name") or ""),
    )
    return data, report


def example_check(path: Path = EXAMPLE, as_of: str = AS_OF) -> model.CheckInput:
    return check_input(load_manifest(path, _shown(path)), as_of)[0]


def example_whatif(
    path: Path = EXAMPLE, scenario_files: Sequence[Path] = tuple(SCENARIOS), as_of: str = AS_OF
) -> model.WhatifInput:
    manifest, source = load_base(path, _shown(path))
    base, base_report = check_input(manifest, as_of)
    out = []
    for file in scenario_files:
        scenario = load_scenario(file, _shown(file))
        patched = apply(manifest, scenario, (), None, path.parent, source)
        data, report = check_input(patched, scenario.as_of or as_of)
        resolved, introduced = steer_whatif.diff_findings(base_report.findings, report.findings)
        out.append(
            model.ScenarioInput(
                name=scenario.name,
                check=data,
                resolved=tuple(finding_json(f) for f in resolved),
                introduced=tuple(finding_json(f) for f in introduced),
                question=scenario.question,
                description=scenario.description,
                file=scenario.file,
            )
        )
    return model.WhatifInput(base, tuple(out))


def synthetic_check(n: int) -> model.CheckInput:
    """A run on benchmarks/generate.py's manifest of ``n`` components."""
    from benchmarks.generate import write

    with tempfile.TemporaryDirectory() as tmp:
        path = write(n, Path(tmp) / f"synthetic-{n}.yaml")
        return check_input(load_manifest(path, f"synthetic-{n}.yaml"), AS_OF)[0]


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def screenshots(check: str, whatif: str, folder: Path) -> list[Path]:
    """PNGs of the example's pages in headless Chromium, 1280 pixels wide: the top of the
    check page, its diagrams, and the what-if comparison."""
    import shutil

    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        for name, html, shots in (
            (
                "check",
                check,
                (
                    ("check.png", None),
                    ("check-dataflow.png", "#dataflow"),
                    ("check-timeline.png", "#timeline"),
                    ("check-topology.png", "#topology-svg"),
                ),
            ),
            ("whatif", whatif, (("whatif.png", "#scenarios-table"),)),
        ):
            file = Path(tmp) / f"{name}.html"
            file.write_text(html, encoding="utf-8")
            page.goto(file.as_uri())
            for target, selector in shots:
                path = folder / target
                if selector is None:
                    page.screenshot(path=str(path))
                else:
                    page.locator(selector).screenshot(path=str(path))
                out.append(path)
        browser.close()
    return out


def main(argv: list[str]) -> int:
    import time

    from steer.reporters.html import render_check, render_whatif

    args = [a for a in argv if not a.startswith("--screenshots=")]
    shots = [a.split("=", 1)[1] for a in argv if a.startswith("--screenshots=")]
    out = Path(args[0]) if args else Path("html-out")
    out.mkdir(parents=True, exist_ok=True)
    pages: dict[str, str] = {}
    inputs: list[tuple[str, Callable[[], model.CheckInput | model.WhatifInput]]] = [
        ("check", example_check),
        ("whatif", example_whatif),
        ("synthetic-200", lambda: synthetic_check(200)),
        ("synthetic-1000", lambda: synthetic_check(1000)),
    ]
    for name, build in inputs:
        start = time.perf_counter()
        data = build()
        built = time.perf_counter() - start
        start = time.perf_counter()
        text = render_whatif(data) if isinstance(data, model.WhatifInput) else render_check(data)
        took = time.perf_counter() - start
        pages[name] = text
        (out / f"{name}.html").write_text(text, encoding="utf-8")
        print(
            f"{name}: {len(text.encode()) / 1e3:,.0f} kB; input built in {built:.2f} s, "
            f"rendered in {took:.3f} s"
        )
    if shots:
        for path in screenshots(pages["check"], pages["whatif"], Path(shots[0])):
            print(f"{path}: {path.stat().st_size / 1e3:,.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
