"""Small manifests and helpers shared by the CI-format, baseline, config and
many-manifest tests: a violating manifest whose findings include cross-border
paths, warnings, a waiver and two findings with the same key, and a clean one."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

from steer.cli import main
from steer.results.findings import Report

AS_OF = "2026-11-26"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "china-platform.yaml"

_HEAD = """\
version: 1
name: {name}
organisation: {{ciio: false, pi_subjects: 150000}}
programme: {{go_live: 2027-06-01}}
policy: {{packs: [cn], regime: auto}}
components:
  owner-db:
    kind: datastore
    location: {{provider: alibaba-cloud, region: cn-shanghai}}
    data:
      - {{category: personal, subjects: CN, records: 150000}}
  crm-api:
    kind: service
    location: {{provider: alibaba-cloud, region: cn-shanghai}}
  global-crm:
    kind: external
    location: {{jurisdiction: US}}
  analytics:
    kind: external
    location: {{jurisdiction: DE}}
flows:
  owner-to-api: {{from: owner-db, to: crm-api, data: [personal], mechanism: api}}
"""
CRM_SYNC = (
    "  crm-sync: {from: crm-api, to: global-crm, data: [personal], "
    "records_per_year: 120000, mechanism: api}\n"
)
ANALYTICS = (
    "  analytics-export: {from: owner-db, to: analytics, data: [personal], "
    "records_per_year: 5000, mechanism: batch}\n"
)
_OPS = """\
operations:
  coverage: 24x7
  incident_response: local
  model: partner
  team:
    - {role: ops-engineer, count: 2, location: CN}
    - {role: compliance-officer, count: 1, location: CN}
"""
_WAIVER = """\
waivers:
  - rule: CN-XB-002
    target: flows.crm-sync
    reason: Volume assessment filed with the CAC; decision due before go-live
    owner: regional-architect
    expires: 2027-05-31
"""


def violating(
    *,
    name: str = "ci-demo",
    crm: bool = True,
    analytics: bool = False,
    ops: bool = True,
    waiver: bool = False,
) -> str:
    """A manifest with errors: CN-XB-001/002 on crm-sync (path owner-db -> crm-api ->
    global-crm: 120,000 individuals a year need a standard contract under the law in
    force, CAC Order 16 art. 8), two CN-INT-001 findings with the same key (target ``manifest``);
    ``analytics`` adds a second cross-border flow, ``ops=False`` adds CN-OPS-001
    warnings, ``waiver`` waives CN-XB-002 on crm-sync."""
    text = _HEAD.format(name=name)
    if crm:
        text += CRM_SYNC
    if analytics:
        text += ANALYTICS
    if ops:
        text += _OPS
    if waiver:
        text += _WAIVER
    return text


CLEAN = """\
version: 1
name: {name}
organisation: {{ciio: false, pi_subjects: 50000}}
programme: {{go_live: 2099-01-01}}  # far away: timeline rules stay quiet whatever today is
policy: {{packs: [cn], regime: auto}}
components:
  customer-db:
    kind: datastore
    location: {{provider: alibaba-cloud, region: cn-shanghai}}
    data:
      - {{category: personal, subjects: CN, records: 50000}}
  api:
    kind: service
    location: {{provider: alibaba-cloud, region: cn-shanghai}}
  mini-program:
    kind: channel
    channel: wechat-mini-program
    audience: [customer, dealer]
    primary: true
    payments: [wechat-pay]
    approvals: [mp-review, icp-mp]
flows:
  db-to-api: {{from: customer-db, to: api, data: [personal], mechanism: api}}
approvals:
  icp-mp: {{type: icp-filing, status: approved, approved_on: 2026-01-15,
           reference: 沪ICP备2026000001号-1X}}
  mp-review: {{type: mini-program-review, status: approved, approved_on: 2026-01-20}}
"""


def clean(name: str = "clean-platform") -> str:
    """A manifest that passes every guardrail of the cn pack, on any date before 2099."""
    return CLEAN.format(name=name) + _OPS


def run(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI in-process, as a user would, and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def check(path: Path, display: str | None = None, fail_on: str = "error") -> Report:
    """The report of one manifest, through the engine (what every reporter reads)."""
    import dataclasses

    from steer import engine
    from steer.manifest.load import load_manifest

    manifest = load_manifest(path, display or path.name)
    report = engine.run(manifest, engine.Settings(as_of=AS_OF))
    return dataclasses.replace(report, fail_on=fail_on)


# A small platform the scenario and what-if tests patch.
MANIFEST = """\
version: 1
name: mini
programme:
  go_live: 2027-03-01
components:
  owner-db:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-shanghai}
    data:
      - {category: personal, subjects: CN, records: 200000}
    retention_days: 365
  portal:
    kind: service
    location: {provider: alibaba-cloud, region: cn-shanghai}
    internet_facing: true
    domains: [owners.example.cn]
    approvals: [icp-1]
  eu.archive:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-beijing}
  global-crm:
    kind: external
    service: salesforce
    location: {jurisdiction: DE}
flows:
  crm-sync:
    from: owner-db
    to: global-crm
    data: [personal]
    records_per_year: 150000
    approvals: [cac-1]
approvals:
  icp-1:
    type: icp-filing
    status: approved
    provider: alibaba-cloud
    reference: 沪ICP备2024012345号-1
    domains: [owners.example.cn]
    approved_on: 2026-06-01
  cac-1:
    type: cac-security-assessment
    status: submitted
    submitted: 2026-11-01
operations:
  coverage: 24x7
  incident_response: local
  team:
    - {role: ops-engineer, count: 2, location: CN}
    - {role: compliance-officer, count: 1, location: CN}
"""
