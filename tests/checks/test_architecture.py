"""``Report.architecture``: what the engine says about the deployment for the HTML
report, built from the run's context only when asked for. Its facts are the run's
own: jurisdictions from the graph, crossings and coverage from the transfer
register, statutory dates from ``steer.analysis.timelines`` on the mainland
calendar, lead times from the pack's timeline guardrails, readiness from
``steer.results.compare``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from steer import engine
from steer.analysis.timelines import (
    assessment_path,
    contract_filing_deadline,
    extension_window_start,
    shift_working_days,
)
from steer.analysis.workdays import add_working_days, is_working_day
from steer.checks.context import Context
from steer.manifest.load import load_manifest
from steer.results.architecture import ApprovalSpan, Architecture
from steer.results.compare import readiness

MANIFEST = """\
version: 1
name: arch-demo
organisation: {ciio: false, pi_subjects: 200000}
programme: {go_live: 2026-12-01}
policy: {packs: [cn], regime: auto}
components:
  owner-db:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-shanghai}
    data:
      - {category: personal, subjects: CN, records: 200000}
  portal:
    kind: service
    location: {provider: alibaba-cloud, region: cn-shanghai}
    internet_facing: true
    domains: [owners.example.cn]
    launch: 2026-09-01
    approvals: [icp-1, psb-1]
  app:
    kind: channel
    depends_on: [portal]
  global-crm:
    kind: external
    location: {jurisdiction: US}
  hk-desk:
    kind: external
    location: {jurisdiction: HK}
flows:
  crm-sync:
    from: owner-db
    to: global-crm
    data: [personal]
    records_per_year: 150000
    since: 2026-10-15
    mechanism: api
  desk-sync:
    from: owner-db
    to: hk-desk
    data: [personal]
    records_per_year: 5000
    mechanism: api
    approvals: [scc-1]
  portal-reads: {from: owner-db, to: portal, data: [personal], mechanism: api}
approvals:
  icp-1:
    type: icp-filing
    status: planned
    domains: [owners.example.cn]
  psb-1:
    type: psb-filing
    status: submitted
    submitted: 2026-09-20
  cac-new:
    type: cac-security-assessment
    status: planned
    recipients: [global-crm]
  cac-old:
    type: cac-security-assessment
    status: approved
    submitted: 2024-01-08
    approved_on: 2024-04-02
    recipients: [hk-desk]
  scc-1:
    type: standard-contract
    status: approved
    effective: 2026-02-02
    approved_on: 2026-02-20
    recipients: [hk-desk]
"""
AS_OF = "2026-06-01"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Architecture, Context]:
    path = tmp_path_factory.mktemp("arch") / "arch.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    manifest = load_manifest(path, "arch.yaml")
    report, ctx = engine.evaluate(manifest, engine.Settings(as_of=AS_OF, architecture=True))
    assert report.architecture is not None
    assert report.architecture.ready == readiness(manifest, report).ready
    return report.architecture, ctx


def _span(arch: Architecture, aid: str) -> ApprovalSpan:
    return next(a for a in arch.approvals if a.id == aid)


def test_not_built_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "arch.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    report = engine.run(load_manifest(path, "arch.yaml"), engine.Settings(as_of=AS_OF))
    assert report.architecture is None


def test_topology_is_the_graph_and_the_register(run: tuple[Architecture, Context]) -> None:
    arch, ctx = run
    topo = arch.topology
    assert [c.id for c in topo.components] == sorted(ctx.manifest.components)
    where = {c.id: (c.jurisdiction, c.provider, c.region, c.kind) for c in topo.components}
    assert where["owner-db"] == ("CN", "alibaba-cloud", "cn-shanghai", "datastore")
    assert where["app"] == ("CN", None, None, "channel")  # a channel is home when unplaced
    assert where["hk-desk"][0] == "HK"
    register = {e.flow: e.covered for e in ctx.register}
    crossing = {f.id: f.covered for f in topo.flows if f.is_crossing}
    assert crossing == register and set(crossing) == {"crm-sync", "desk-sync"}
    assert [(d.source, d.target) for d in topo.depends_on] == [("app", "portal")]
    assert [c.categories for c in topo.components if c.id == "owner-db"] == [("personal",)]


def test_an_assessment_in_hand_has_its_validity_and_extension_window(
    run: tuple[Architecture, Context],
) -> None:
    arch, ctx = run
    old = _span(arch, "cac-old")
    # issued 2024-04-02, under CAC Order 16 (in force from 2024-03-22): three years
    assert old.expires == dt.date(2027, 4, 2)
    assert "Order 16" in old.validity_basis
    rules = ctx.timeline_rules
    assert old.extension_start == extension_window_start(old.expires, is_working_day, rules)
    path = assessment_path(dt.date(2024, 1, 8), is_working_day, rules)
    assert old.window_end == path.review_end
    assert [m.on for m in old.milestones] == [path.completeness_end, path.acceptance_end]
    assert old.submit_by is None and old.projected_end is None


def test_an_assessment_not_yet_submitted_has_its_deadline(
    run: tuple[Architecture, Context],
) -> None:
    arch, ctx = run
    new = _span(arch, "cac-new")
    rules = ctx.timeline_rules
    # needed when crm-sync starts (its `since`), not at go-live
    assert new.needed_by == dt.date(2026, 10, 15) and new.needed_for == ("crm-sync",)
    assert new.submit_by == shift_working_days(new.needed_by, -57, is_working_day)
    today = assessment_path(None, is_working_day, rules, as_of=dt.date.fromisoformat(AS_OF))
    assert new.projected_end == today.review_end
    assert new.window_end is None
    assert new.window_label.startswith("at most 57 working days: 5 + 7 + 45")


def test_a_standard_contract_has_its_filing_deadline(run: tuple[Architecture, Context]) -> None:
    arch, ctx = run
    scc = _span(arch, "scc-1")
    expected = contract_filing_deadline(dt.date(2026, 2, 2), is_working_day, ctx.timeline_rules)
    assert scc.filing_deadline == expected
    assert scc.needed_for == ("desk-sync",) and scc.needed_by == dt.date(2026, 12, 1)


def test_other_types_take_the_packs_lead_times_and_offsets(
    run: tuple[Architecture, Context],
) -> None:
    arch, ctx = run
    icp = _span(arch, "icp-1")
    lead = int(ctx.params["icp_filing_working_days"])
    assert icp.needed_by == dt.date(2026, 9, 1)  # the portal's launch
    assert icp.submit_by == add_working_days(dt.date(2026, 9, 1), -lead)[0]
    assert icp.projected_end == add_working_days(dt.date.fromisoformat(AS_OF), lead)[0]
    assert f"at most {lead} working days" in icp.window_label and "CN-ICP-001" in icp.window_label
    psb = _span(arch, "psb-1")
    days = int(ctx.params["psb_filing_days"])
    assert psb.needed_by == dt.date(2026, 9, 1) + dt.timedelta(days=days)  # after launch
    assert psb.window_end is None  # a filing due after launch has no lead time


def test_launches_title_and_calendar(run: tuple[Architecture, Context]) -> None:
    arch, _ = run
    assert [(x.component, x.on) for x in arch.launches] == [("portal", dt.date(2026, 9, 1))]
    assert arch.title == "arch-demo" and arch.go_live == dt.date(2026, 12, 1)
    # cac-old's extension window opens in 2027, beyond chinese_calendar's official years
    assert _span(arch, "cac-old").extension_start.year == 2027  # type: ignore[union-attr]
    assert arch.approximate_calendar is True
    assert arch.not_ready_because and not arch.ready


def test_left_out_guardrails_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "arch.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    settings = engine.Settings(as_of=AS_OF, select=("CN-XB-*",), architecture=True)
    report = engine.run(load_manifest(path, "arch.yaml"), settings)
    assert report.architecture is not None
    left_out = {r.id for r in report.architecture.not_evaluated}
    assert left_out and not left_out & set(report.rules)
    assert len(left_out) + len(report.rules) == 23  # the cn pack's guardrails, all of them
    assert all(not r.id.startswith("CN-XB-") for r in report.architecture.not_evaluated)
