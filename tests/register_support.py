"""A small manifest for the transfer-register tests (``steer transfers``, its
reporters, the register section of the Markdown check report), judged on
2026-12-02 under ``policy.regime: auto`` (so cn-2024, CAC Order 16):

* ``lab-results``: 5,000 individuals' sensitive PI, under 10,000 -> a standard
  contract (art. 8), held with consent and a PIPIA: covered;
* ``crm-sync``: 1,200,000 records a year from a holding of 1,000,000 individuals,
  counted as the 1,000,000 held (the cap), and 1,000,000 is "or more" (以上) ->
  an assessment (art. 7(2)); the assessment is in review: not covered;
* ``analytics-export``: 150,000 a year, but the handler's non-sensitive count is
  1,150,000 -> an assessment too; its standard contract does not count;
* ``hotel-booking``: exempt as necessary for a contract with the individual (art.
  5(1)), so no mechanism and no separate consent, but a PIPIA: covered.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from steer import engine
from steer.manifest.load import load_manifest
from steer.results.findings import Report

AS_OF = "2026-12-02"
FILE = "register.yaml"

MANIFEST = """\
version: 1
name: register-demo
description: Four crossings, one of each kind the register shows.
organisation: {ciio: false, pi_subjects: 1300000}
programme: {go_live: 2027-06-01}
policy: {packs: [cn], regime: auto}
components:
  owner-db:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-shanghai}
    data: [{category: personal, subjects: CN, records: 1000000}]
  shop-db:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-shanghai}
    data: [{category: personal, subjects: CN, records: 200000}]
  clinic-db:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-beijing}
    data: [{category: sensitive-personal, subjects: CN, records: 5000}]
  booking-db:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-beijing}
    data: [{category: personal, subjects: CN, records: 30000}]
  global-crm: {kind: external, location: {jurisdiction: US}}
  eu-analytics: {kind: external, location: {jurisdiction: DE}}
  lab-partner: {kind: external, location: {jurisdiction: SG}}
  hotel-partner: {kind: external, location: {jurisdiction: JP}}
flows:
  crm-sync:
    {from: owner-db, to: global-crm, data: [personal], records_per_year: 1200000,
     approvals: [cac-1, consent-1, pipia-1]}
  analytics-export:
    {from: shop-db, to: eu-analytics, data: [personal], records_per_year: 150000,
     approvals: [scc-analytics, consent-1, pipia-1]}
  lab-results:
    {from: clinic-db, to: lab-partner, data: [sensitive-personal], records_per_year: 5000,
     approvals: [scc-lab, consent-1, pipia-1]}
  hotel-booking:
    {from: booking-db, to: hotel-partner, data: [personal], records_per_year: 30000,
     exemption: contract-with-individual, approvals: [pipia-1]}
approvals:
  cac-1: {type: cac-security-assessment, status: in-review, submitted: 2026-10-12}
  scc-analytics: {type: standard-contract, status: approved, approved_on: 2026-05-04}
  scc-lab: {type: standard-contract, status: approved, approved_on: 2026-06-18}
  consent-1: {type: separate-consent, status: approved, approved_on: 2026-04-01}
  pipia-1: {type: pipia, status: approved, approved_on: 2026-03-15}
"""


def write(folder: Path) -> Path:
    path = folder / FILE
    path.write_text(MANIFEST, encoding="utf-8")
    return path


def report(folder: Path) -> Report:
    """The register manifest checked on 2026-12-02, as the reporters receive it."""
    manifest = load_manifest(write(folder), FILE)
    return engine.run(manifest, engine.Settings(as_of=AS_OF))


HOSTILE = "<script>alert(1)</script> | `tick` *bold*"


def hostile(base: Report) -> Report:
    """``base`` with free text that Markdown, HTML or CSV could misread: in the
    manifest's name, the regime's why, a basis line and an approval's reason."""
    crossings = []
    for entry in base.crossings:
        changed = dict(entry)
        changed["basis"] = [HOSTILE, *entry["basis"]]
        changed["approvals"] = [{**a, "why": f"{a['why']} {HOSTILE}"} for a in entry["approvals"]]
        crossings.append(changed)
    return dataclasses.replace(
        base,
        manifest="deploy/a|b`<i>.yaml",
        regime_why=f"{base.regime_why} {HOSTILE}",
        crossings=tuple(crossings),
    )
