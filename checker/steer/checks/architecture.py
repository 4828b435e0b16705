"""What a run's context says about the deployment, as the plain data of
:mod:`steer.results.architecture` (what the HTML report draws). The engine builds
it only when a run asks for it (``Settings.architecture``).

* **Topology**: every component with its effective jurisdiction (the graph's: the
  catalog's or the declared one, home for a channel or device that says nothing),
  provider, region and kind; every flow, marked when it is a transfer register
  entry and whether the register finds it covered; every ``depends_on`` call.
* **Approvals on the calendar** (mainland working days, official holidays and
  adjusted working days):

  - a CAC security assessment: the statutory path from its submission, 5 + 7 + 45
    working days at most (:func:`steer.analysis.timelines.assessment_path`, with
    the completeness and acceptance steps as milestones); one not yet submitted:
    where the path would end if submitted on the as-of date, and the last day to
    submit for it to end by the day it is needed; its effective expiry, the basis
    of that validity and the opening of its extension window (the run's approval
    view);
  - a standard contract: its filing deadline (10 working days after it takes effect);
  - any other type that a timeline guardrail of the packs gives a lead time (an ICP
    filing, a mini program review): that lead from its submission, or from the
    as-of date, and the last day to submit; the guardrail's offset moves the day
    it is needed (a PSB filing is due 30 days after launch).

  An approval is needed by the earliest date of what relies on it: a component
  that lists it (its launch, else go-live), a flow that lists it or a crossing whose
  decision needs its type (the flow's ``since``, else go-live).
* **Readiness** for go-live: :func:`steer.results.compare.readiness`, as ``steer
  whatif`` judges it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from steer.analysis.timelines import assessment_path, shift_working_days
from steer.analysis.transfers import ASSESSMENT, CONSENT, MEETS, PIPIA
from steer.analysis.workdays import is_exact, is_working_day
from steer.checks.context import Context
from steer.checks.kinds import timeline
from steer.results.architecture import (
    ApprovalSpan,
    Architecture,
    Component,
    Dependency,
    Flow,
    Launch,
    Milestone,
    Topology,
)
from steer.results.compare import readiness
from steer.results.findings import Report
from steer.results.rules import RuleInfo

CONTRACT = "standard-contract"
NOT_YET_SUBMITTED = "planned"
_MARGIN = dt.timedelta(days=31)  # the timeline shows a little beyond its dates


@dataclass(frozen=True)
class Lead:
    """An approval type's lead time (at most) and when after its due date it is
    needed, from the first timeline guardrail (by id) that requires the type."""

    span: Mapping[str, Any] | None
    offset: Mapping[str, Any] | None
    label: str


def describe(
    ctx: Context,
    report: Report,
    compiled: Mapping[str, Any],
    not_evaluated: Sequence[RuleInfo] = (),
) -> Architecture:
    """The architecture of ``ctx``'s manifest as the run judged it (``report``);
    ``compiled``: the packs' compiled checks by guardrail id (the engine's)."""
    manifest = ctx.manifest
    as_of = dt.date.fromisoformat(ctx.as_of)
    go_live = _date(manifest.go_live)
    approvals = _approvals(ctx, as_of, lead_times(ctx, compiled), _needs(ctx))
    launches = tuple(
        Launch(cid, str(raw.get("name") or cid), dt.date.fromisoformat(raw["launch"]))
        for cid, raw in sorted(manifest.components.items())
        if raw.get("launch")
    )
    ready = readiness(manifest, report)
    # the calendar is exact only for the years chinese_calendar has (a contiguous range)
    days = [as_of, *_some(go_live)]
    for a in approvals:
        days.extend(_counted(a))
    exact = is_exact(min(days) - _MARGIN) and is_exact(max(days) + _MARGIN)
    return Architecture(
        title=str(manifest.data.get("name") or ""),
        as_of=as_of,
        go_live=go_live,
        topology=topology(ctx),
        approvals=approvals,
        launches=launches,
        approximate_calendar=not exact,
        ready=ready.ready,
        not_ready_because=tuple(ready.reasons()),
        not_evaluated=tuple(not_evaluated),
    )


def topology(ctx: Context) -> Topology:
    graph = ctx.graph
    raw_components = ctx.manifest.components
    components = []
    for cid in sorted(raw_components):
        node = graph.nodes[cid]
        held = raw_components[cid].get("data") or []
        components.append(
            Component(
                id=cid,
                name=str(node.get("name") or cid),
                kind=str(node["kind"]),
                provider=node.get("provider"),
                region=node.get("region"),
                jurisdiction=node.get("jurisdiction"),
                categories=tuple(sorted({str(d["category"]) for d in held})),
            )
        )
    register = {entry.flow: entry for entry in ctx.register}
    flows = []
    for fid, raw in sorted(ctx.manifest.flows.items()):
        entry = register.get(fid)
        flows.append(
            Flow(
                id=fid,
                source=raw["from"],
                target=raw["to"],
                categories=tuple(str(c) for c in raw.get("data") or ()),
                mechanism=raw.get("mechanism"),
                is_crossing=entry is not None,
                covered=entry.covered if entry is not None else None,
            )
        )
    calls = tuple(
        Dependency(cid, dep)
        for cid in sorted(raw_components)
        for dep in sorted(raw_components[cid].get("depends_on") or ())
    )
    return Topology(tuple(components), tuple(flows), calls, ctx.home)


def lead_times(ctx: Context, compiled: Mapping[str, Any]) -> dict[str, Lead]:
    """Approval type -> its lead time and offset, from the packs' timeline guardrails."""
    out: dict[str, Lead] = {}
    for guardrail in sorted(ctx.packs.guardrails, key=lambda g: g.id):
        if guardrail.kind != timeline.NAME:
            continue
        for req in compiled[guardrail.id].requirements:
            span = (
                req.lead if req.lead and timeline.span_days(req.lead["days"], ctx.params) else None
            )
            if span is None and req.offset is None:
                continue
            label = f"{_span_text(span, ctx)} ({guardrail.id})" if span else ""
            for kind in sorted(req.types):
                out.setdefault(kind, Lead(span, req.offset, label))
    return out


def _span_text(span: Mapping[str, Any], ctx: Context) -> str:
    """'at most 23 working days, MIIT Order 33 (...)': the span and the sources of its days."""
    days = span["days"]
    names = days["params"] if isinstance(days, Mapping) and "params" in days else []
    if isinstance(days, Mapping) and "param" in days:
        names = [days["param"]]
    sources = []
    for name in names:
        param = ctx.packs.parameters.get(name)
        if param is not None and param.source and param.source not in sources:
            sources.append(param.source)
    unit = "working days" if span["unit"] == "working" else "days"
    text = f"at most {timeline.span_days(days, ctx.params)} {unit}"
    return f"{text}, {'; '.join(sources)}" if sources else text


def _needs(ctx: Context) -> dict[str, dict[str, dt.date | None]]:
    """Approval id -> what relies on it (component or flow id) -> the day it is due."""
    go_live = ctx.manifest.go_live
    out: dict[str, dict[str, dt.date | None]] = {}

    def add(aid: str, holder: str, when: str | None) -> None:
        out.setdefault(aid, {})[holder] = _date(when)

    for cid, view in ctx.components.items():
        for aid in view["approval_ids"]:
            add(aid, cid, view["launch"])
    flows = ctx.manifest.flows
    for fid, raw in flows.items():
        for aid in raw.get("approvals") or ():
            add(aid, fid, raw.get("since") or go_live)
    transfers = ctx.transfers
    for entry in ctx.register:
        decision = transfers.decisions[entry.flow]
        types = set(MEETS[decision.requires])
        types.update(
            t for t, on in ((CONSENT, entry.consent_required), (PIPIA, entry.pipia_required)) if on
        )
        for approval in transfers.covering(entry.flow):
            if approval.get("type") in types:
                add(approval["id"], entry.flow, flows[entry.flow].get("since") or go_live)
    return out


def _approvals(
    ctx: Context,
    as_of: dt.date,
    leads: Mapping[str, Lead],
    needs: Mapping[str, Mapping[str, dt.date | None]],
) -> tuple[ApprovalSpan, ...]:
    out = []
    for aid in sorted(ctx.approvals):
        view = ctx.approvals[aid]
        kind = str(view.get("type"))
        lead = leads.get(kind)
        holders = needs.get(aid, {})
        dues = [_shift(d, lead.offset if lead else None, ctx) for d in holders.values() if d]
        needed_by = min(dues, default=None)
        submitted = _date(view.get("submitted"))
        unsent = submitted is None and view.get("status") == NOT_YET_SUBMITTED
        if kind == ASSESSMENT:
            windows = _assessment(ctx, submitted, unsent, needed_by, as_of)
        elif lead is not None and lead.span is not None:
            windows = _lead(ctx, lead, lead.span, submitted, unsent, needed_by, as_of)
        else:
            windows = {}
        out.append(
            ApprovalSpan(
                id=aid,
                type=kind,
                name=str(view.get("name") or aid),
                status=str(view.get("status")),
                submitted=submitted,
                approved_on=_date(view.get("approved_on")),
                expires=_date(view.get("expires_effective")),
                effective=_date(view.get("effective")),
                extension_start=_date(view.get("extension_window_start")),
                filing_deadline=_date(view.get("filing_deadline")) if kind == CONTRACT else None,
                validity_basis=str(view.get("validity_basis") or ""),
                needed_by=needed_by,
                needed_for=tuple(sorted(holders)),
                **windows,
            )
        )
    return tuple(out)


def _assessment(
    ctx: Context,
    submitted: dt.date | None,
    unsent: bool,
    needed_by: dt.date | None,
    as_of: dt.date,
) -> dict[str, Any]:
    """The statutory path's dates of a CAC security assessment."""
    rules = ctx.timeline_rules
    periods = (rules.completeness, rules.acceptance, rules.review)
    total = sum(p.working_days for p in periods)
    sources = list(dict.fromkeys(p.source for p in periods))
    label = (
        f"at most {total} working days: "
        f"{' + '.join(str(p.working_days) for p in periods)}, {'; '.join(sources)}"
    )
    out: dict[str, Any] = {"window_label": label}
    if submitted is not None:
        path = assessment_path(submitted, is_working_day, rules)
        out["window_end"] = path.review_end
        out["milestones"] = (
            Milestone(path.completeness_end, f"completeness checked ({rules.completeness.source})"),
            Milestone(path.acceptance_end, f"acceptance decided ({rules.acceptance.source})"),
        )
    elif unsent:
        out["projected_end"] = assessment_path(None, is_working_day, rules, as_of=as_of).review_end
        if needed_by is not None:
            out["submit_by"] = shift_working_days(needed_by, -total, is_working_day)
    return out


def _lead(
    ctx: Context,
    lead: Lead,
    span: Mapping[str, Any],
    submitted: dt.date | None,
    unsent: bool,
    needed_by: dt.date | None,
    as_of: dt.date,
) -> dict[str, Any]:
    """The dates a pack's lead time gives an approval of another type."""
    out: dict[str, Any] = {"window_label": lead.label}
    if submitted is not None:
        out["window_end"] = _shift(submitted, span, ctx)
    elif unsent:
        out["projected_end"] = _shift(as_of, span, ctx)
        if needed_by is not None:
            back = {**span, "days": -timeline.span_days(span["days"], ctx.params)}
            out["submit_by"] = _shift(needed_by, back, ctx)
    return out


def _shift(day: dt.date, span: Mapping[str, Any] | None, ctx: Context) -> dt.date:
    return timeline.shift(day, span, ctx.params)[0]


def _counted(a: ApprovalSpan) -> Iterable[dt.date]:
    """The dates of ``a`` that a count of working days gave."""
    yield from (m.on for m in a.milestones)
    for day in (a.window_end, a.projected_end, a.submit_by, a.extension_start, a.filing_deadline):
        if day is not None:
            yield day


def _some(day: dt.date | None) -> tuple[dt.date, ...]:
    return () if day is None else (day,)


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
