# ruff: noqa: E501  (the decision table reads best one row a line)
"""The transfer decision as the user meets it: a decision table of manifests, each
checked end to end (lineage, the one decision per crossing, CN-XB-002's findings,
and what an approval of the required type changes).

The rules, from CAC Order 16 (``cn-2024``, in force from 2024-03-22) and CAC Order
11 (``cn-2022``, 2022-09-01 to 2024-03-21), as the articles cited state them:
thresholds are inclusive (Civil Code art. 1259); individuals are counted, not
flows, at most what a holding holds; sensitive and non-sensitive apart; each
regime's counting window; the exemptions of art. 3 to 6 (art. 5(1)-(3), 4 and 6
for a CIIO too, 5(4) never); no handler-size trigger under ``cn-2024``.

Every row builds a manifest with up to two crossings, ``crm-sync`` (owner-db ->
global-crm, non-sensitive PI) and ``trip-export`` (trip-store -> global-lake,
vehicle location tracks: sensitive PI), from holdings of 5,000,000 individuals
each unless the row says otherwise. The pure decision function has its own table
(``test_decision_table.py``); this one proves the pieces fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from steer.checks.context import Context
from steer.engine import Settings, run
from steer.manifest.load import load_manifest
from steer.manifest.model import Manifest
from steer.results.findings import Finding

AS_OF = "2026-11-26"
RULE = "CN-XB-002"
A, C, N = "cac-security-assessment", "standard-contract-or-certification", "none"


@dataclass(frozen=True)
class Row:
    """One row: the manifest's facts, and each crossing's expected decision."""

    why: str  # the case, as the test id
    regime: str
    personal: int | None = 0  # crm-sync's records_per_year (None: unstated)
    sensitive: int = 0  # trip-export's records_per_year
    crm: str | None = None  # the expected decision of crm-sync (law), None: no crossing
    trip: str | None = None
    article: str = ""  # a substring of the deciding basis
    ciio: bool = False
    pi_subjects: int = 50_000
    exemption: str | None = None  # declared on every crossing
    since: str | None = None  # crm-sync's `since`
    owner_records: int | None = 5_000_000  # owner-db's individuals (None: unstated)
    second_crm: int = 0  # a second flow from owner-db, records_per_year
    second_crm_from: str = "owner-db"  # or "other-db": another holding
    as_of: str = AS_OF
    extra: dict[str, Any] = field(default_factory=dict)


def build(tmp_path: Path, row: Row, approval: str | None = None) -> Manifest:
    owner: dict[str, Any] = {"category": "personal", "subjects": "CN"}
    if row.owner_records is not None:
        owner["records"] = row.owner_records
    cn = {"provider": "alibaba-cloud", "region": "cn-shanghai"}
    components: dict[str, Any] = {
        "owner-db": {"kind": "datastore", "location": cn, "data": [owner]},
        "other-db": {
            "kind": "datastore",
            "location": cn,
            "data": [{"category": "personal", "subjects": "CN", "records": 5_000_000}],
        },
        "trip-store": {
            "kind": "datastore",
            "location": {"provider": "huawei-cloud", "region": "cn-north-4"},
            "data": [{"category": "vehicle-location", "subjects": "CN", "records": 5_000_000}],
        },
        "global-crm": {
            "kind": "external",
            "service": "salesforce",
            "location": {"jurisdiction": "US"},
        },
        "global-lake": {
            "kind": "datastore",
            "location": {"provider": "aws", "region": "eu-central-1"},
        },
    }
    flows: dict[str, Any] = {}
    if row.personal != 0:
        crm: dict[str, Any] = {"from": "owner-db", "to": "global-crm", "data": ["personal"]}
        if row.personal is not None:
            crm["records_per_year"] = row.personal
        if row.since:
            crm["since"] = row.since
        flows["crm-sync"] = crm
    if row.second_crm:
        flows["crm-sync-2"] = {
            "from": row.second_crm_from,
            "to": "global-crm",
            "data": ["personal"],
            "records_per_year": row.second_crm,
        }
    if row.sensitive:
        flows["trip-export"] = {
            "from": "trip-store",
            "to": "global-lake",
            "data": ["vehicle-location"],
            "records_per_year": row.sensitive,
        }
    for f in flows.values():
        if row.exemption:
            f["exemption"] = row.exemption
    data: dict[str, Any] = {
        "version": 1,
        "name": "decision-table",
        "organisation": {"ciio": row.ciio, "pi_subjects": row.pi_subjects},
        "programme": {"go_live": "2027-03-01"},
        "policy": {"regime": row.regime},
        "components": components,
        "flows": flows,
        **row.extra,
    }
    if approval:
        data["approvals"] = {
            "mechanism": {
                "type": approval,
                "status": "approved",
                # approved before the date judged, and valid on it
                "approved_on": min(row.as_of, "2026-06-01"),
                "recipients": ["global-crm", "global-lake"],
            }
        }
    path = tmp_path / f"{approval or 'none'}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_manifest(path, path.name)


def expected(row: Row) -> dict[str, str]:
    out = {}
    if row.crm is not None:
        out["crm-sync"] = row.crm
        if row.second_crm:  # the same people, or the same count: the same decision
            out["crm-sync-2"] = row.crm
    if row.trip is not None:
        out["trip-export"] = row.trip
    return out


# fmt: off
ROWS = [
    # -- CAC Order 16 art. 7(2), 8, 5(4): the thresholds, inclusive ----------------------
    Row("2024 1,000,000 non-sensitive: assessment", "cn-2024", 1_000_000, crm=A, article="art. 7(2)"),
    Row("2024 999,999 non-sensitive: contract", "cn-2024", 999_999, crm=C, article="art. 8"),
    Row("2024 100,000 non-sensitive: contract", "cn-2024", 100_000, crm=C, article="art. 8"),
    Row("2024 99,999 non-sensitive: exempt", "cn-2024", 99_999, crm=N, article="art. 5(4)"),
    Row("2024 1 non-sensitive: exempt", "cn-2024", 1, crm=N, article="art. 5(4)"),
    Row("2024 10,000 sensitive: assessment", "cn-2024", sensitive=10_000, trip=A, article="art. 7(2)"),
    Row("2024 9,999 sensitive: contract", "cn-2024", sensitive=9_999, trip=C, article="art. 8"),
    Row("2024 1 sensitive: contract", "cn-2024", sensitive=1, trip=C, article="art. 8"),
    # sensitive and non-sensitive counted apart; each crossing by what it carries
    Row("2024 99,999 + 1 sensitive elsewhere", "cn-2024", 99_999, 1, crm=N, trip=C),
    Row("2024 995,000 + 9,000 sensitive: not added up", "cn-2024", 995_000, 9_000, crm=C, trip=C),
    Row("2024 995,000 + 10,000 sensitive", "cn-2024", 995_000, 10_000, crm=C, trip=A),
    # no handler-size trigger after 2024: 1.2M handled, 180,000 exported
    Row("2024 handler of 1,200,000 exports 180,000", "cn-2024", 180_000, crm=C,
        article="art. 8", pi_subjects=1_200_000),
    Row("2024 handler of 5,000,000 exports 50,000", "cn-2024", 50_000, crm=N, pi_subjects=5_000_000),
    # -- a CIIO (art. 7(1)); the exemptions that apply to it (art. 4, 5(1)-(3), 6) ------
    Row("2024 CIIO 1 non-sensitive", "cn-2024", 1, crm=A, article="art. 7(1)", ciio=True),
    Row("2024 CIIO 1 sensitive", "cn-2024", sensitive=1, trip=A, article="art. 7(1)", ciio=True),
    Row("2024 CIIO contract-with-individual", "cn-2024", 50_000, crm=N, ciio=True,
        exemption="contract-with-individual", article="art. 5(1)"),
    Row("2024 CIIO hr-management", "cn-2024", 50_000, crm=N, ciio=True,
        exemption="hr-management", article="art. 5(2)"),
    Row("2024 CIIO emergency", "cn-2024", 50_000, crm=N, ciio=True, exemption="emergency",
        article="art. 5(3)"),
    Row("2024 CIIO collected-abroad", "cn-2024", 50_000, crm=N, ciio=True,
        exemption="collected-abroad", article="art. 4"),
    Row("2024 CIIO ftz-negative-list", "cn-2024", 50_000, crm=N, ciio=True,
        exemption="ftz-negative-list", article="art. 6"),
    Row("2024 CIIO no-personal-or-important refused", "cn-2024", 50_000, crm=A, ciio=True,
        exemption="no-personal-or-important", article="art. 7(1)"),
    # -- the exemptions for a non-CIIO, whatever the volume ---------------------------
    Row("2024 contract-with-individual 2,000,000", "cn-2024", 2_000_000, 20_000, crm=N, trip=N,
        exemption="contract-with-individual", article="art. 5(1)"),
    Row("2024 hr-management 2,000,000", "cn-2024", 2_000_000, crm=N,
        exemption="hr-management", article="art. 5(2)"),
    Row("2024 emergency 2,000,000", "cn-2024", 2_000_000, crm=N, exemption="emergency",
        article="art. 5(3)"),
    Row("2024 collected-abroad 2,000,000", "cn-2024", 2_000_000, crm=N,
        exemption="collected-abroad", article="art. 4"),
    Row("2024 ftz-negative-list 2,000,000", "cn-2024", 2_000_000, crm=N,
        exemption="ftz-negative-list", article="art. 6"),
    Row("2024 no-personal-or-important refused: PI crosses", "cn-2024", 500_000, crm=C,
        exemption="no-personal-or-important", article="art. 8"),
    # -- CAC Order 11 art. 4 (cn-2022, the annex's reading) -----------------------------
    Row("2022 100,000 PI: assessment", "cn-2022", 100_000, crm=A, article="art. 4(3)"),
    Row("2022 99,999 PI: contract", "cn-2022", 99_999, crm=C),
    Row("2022 10,000 sensitive: assessment", "cn-2022", sensitive=10_000, trip=A, article="art. 4(3)"),
    Row("2022 9,999 sensitive: contract", "cn-2022", sensitive=9_999, trip=C),
    # under art. 4(3) sensitive PI is PI: 90,000 + 10,000 reach 100,000
    Row("2022 90,000 + 10,000 sensitive", "cn-2022", 90_000, 10_000, crm=A, trip=A),
    Row("2022 90,000 + 9,999 sensitive", "cn-2022", 90_000, 9_999, crm=C, trip=C),
    Row("2022 handler of 1,000,000", "cn-2022", 1, crm=A, article="art. 4(2)",
        pi_subjects=1_000_000),
    Row("2022 handler of 999,999", "cn-2022", 1, crm=C, pi_subjects=999_999),
    Row("2022 CIIO", "cn-2022", 1, crm=A, ciio=True),
    Row("2022 exemption not recognised", "cn-2022", 50_000, crm=C,
        exemption="contract-with-individual"),
    Row("2022 ftz exemption not recognised", "cn-2022", 50_000, crm=C, exemption="ftz-negative-list"),
    # -- counting windows ---------------------------------------------------------------
    # Order 11: since 1 January of the previous year: running all of last year, 2r
    Row("2022 window: running since 2025, 60,000 counts twice", "cn-2022", 60_000, crm=A,
        since="2025-06-01", article="art. 4(3)"),
    Row("2022 window: started 2026, 60,000 counts once", "cn-2022", 60_000, crm=C,
        since="2026-02-01"),
    # Order 16: since 1 January of the current year: r
    Row("2024 window: running since 2025, 600,000 counts once", "cn-2024", 600_000, crm=C,
        since="2025-06-01"),
    Row("2024 window: started 2026, 600,000", "cn-2024", 600_000, crm=C, since="2026-02-01"),
    # -- individuals, not flows: two flows from one holding ---------------------------
    Row("2024 two flows, one holding of 700,000: at most 700,000", "cn-2024", 600_000,
        crm=C, owner_records=700_000, second_crm=600_000),
    Row("2024 two flows, two holdings: 1,200,000", "cn-2024", 600_000, crm=A,
        second_crm=600_000, second_crm_from="other-db", article="art. 7(2)"),
    Row("2024 1,000,000 a year from a holding of 900,000", "cn-2024", 1_000_000, crm=C,
        owner_records=900_000),
    # -- unknown volume: the conservative decision ------------------------------------
    Row("2024 unknown volume: assessment", "cn-2024", None, crm=A, owner_records=None,
        article="unknown"),
    # -- the regime in force on the date judged (policy.regime: auto) ------------------
    Row("auto on 2024-03-21 is cn-2022", "auto", 100_000, crm=A, as_of="2024-03-21",
        article="CAC Order 11"),
    Row("auto on 2024-03-22 is cn-2024", "auto", 100_000, crm=C, as_of="2024-03-22",
        article="CAC Order 16"),
]
# fmt: on

IDS = [r.why for r in ROWS]


def test_the_table_is_large_enough() -> None:
    assert len(ROWS) >= 40


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_decision(tmp_path: Path, row: Row) -> None:
    ctx = Context(build(tmp_path, row), row.as_of)
    decisions = ctx.transfers.decisions
    got = {flow: d.requires_by_law for flow, d in decisions.items() if flow in expected(row)}
    assert got == expected(row), {f: d.basis for f, d in decisions.items()}
    if row.article:
        deciding = decisions["crm-sync" if row.crm is not None else "trip-export"]
        assert any(row.article in b for b in deciding.basis), deciding.basis
    for d in decisions.values():
        assert d.pipia_required  # PIPL art. 55: every export of PI, exempt or not
        # consent is not needed where the exemption's basis needs none (PIPL art. 13)
        assert d.consent_required is (
            d.exemption not in ("contract-with-individual", "hr-management", "emergency")
        )


SATISFIES = {A: "cac-security-assessment", C: "standard-contract"}
WEAKER = {A: "standard-contract", C: "separate-consent"}


def findings(manifest: Manifest, as_of: str) -> list[Finding]:
    report = run(manifest, Settings(as_of=as_of, select=(RULE,)))
    return [f for f in report.findings if f.rule == RULE]


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_findings_and_approvals(tmp_path: Path, row: Row) -> None:
    """CN-XB-002 finds exactly the crossings whose mechanism is missing; the required
    type (or an assessment, for a contract) makes them pass, a weaker one does not."""
    needs = {flow: m for flow, m in expected(row).items() if m != N}
    got = findings(build(tmp_path, row), row.as_of)
    assert {f.target for f in got} == {f"flows.{flow}" for flow in needs}
    for f in got:
        assert f.level == "error" and f.authority == "law"
        assert f.message.endswith("no such approval covers it")
    for mechanism in set(needs.values()):
        wanted = {f"flows.{flow}" for flow, m in needs.items() if m == mechanism}
        passed = findings(build(tmp_path, row, SATISFIES[mechanism]), row.as_of)
        assert not wanted & {f.target for f in passed}
        weaker = findings(build(tmp_path, row, WEAKER[mechanism]), row.as_of)
        assert wanted <= {f.target for f in weaker}
    if C in needs.values():  # an assessment also satisfies a contract's need
        passed = findings(build(tmp_path, row, "cac-security-assessment"), row.as_of)
        assert passed == []


@pytest.mark.parametrize(
    ("approved_on", "expires"),
    [
        ("2024-03-21", "2026-03-21"),  # issued under Order 11: 2 years (art. 14)
        ("2024-03-22", "2027-03-22"),  # issued under Order 16: 3 years (art. 9)
        ("2022-10-10", "2024-10-10"),
    ],
)
def test_validity_follows_the_issue_date(tmp_path: Path, approved_on: str, expires: str) -> None:
    row = Row("validity", "auto", 1_000_000, crm=A)
    manifest = build(tmp_path, row)
    data = dict(manifest.data)
    data["approvals"] = {
        "cac": {"type": "cac-security-assessment", "status": "approved", "approved_on": approved_on}
    }
    path = tmp_path / "validity.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    ctx = Context(load_manifest(path, path.name), AS_OF)
    view = ctx.approvals["cac"]
    assert view["expires_effective"] == expires
    assert view["expired"] is (expires < AS_OF)


def test_important_data_by_policy_is_not_law(tmp_path: Path) -> None:
    """Telematics is important data only by the annex's policy: the law decides by
    the personal information in it (location tracks are sensitive), the policy asks
    an assessment on top, and CN-XB-003's finding says it is policy."""
    row = Row("telematics", "cn-2024", extra={})
    manifest = build(tmp_path, row)
    data = dict(manifest.data)
    data["components"] = {
        **data["components"],
        "telematics-store": {
            "kind": "datastore",
            "location": {"provider": "huawei-cloud", "region": "cn-north-4"},
            "data": [{"category": "telematics", "subjects": "CN", "records": 5000}],
            "retention_days": 30,
        },
    }
    data["flows"] = {
        "trips": {"from": "telematics-store", "to": "global-lake", "records_per_year": 5000}
    }
    path = tmp_path / "telematics.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    manifest = load_manifest(path, path.name)
    decision = Context(manifest, AS_OF).transfers.decisions["trips"]
    assert decision.requires_by_law == C  # 5,000 individuals' sensitive PI: art. 8
    assert decision.requires == A  # the annex's policy: important data
    report = run(manifest, Settings(as_of=AS_OF, select=("CN-XB-003", "CN-XB-002")))
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["CN-XB-003"].authority == "policy"
    assert "the organisation's policy, not the law" in by_rule["CN-XB-003"].message
    assert by_rule["CN-XB-002"].authority == "law"
    assert "a standard contract" in by_rule["CN-XB-002"].message
    # without the annex's policy, only the law's requirement is left
    data["policy"] = {"regime": "cn-2024", "parameters": {"telematics_is_important": False}}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    report = run(load_manifest(path, path.name), Settings(as_of=AS_OF, select=("CN-XB-003",)))
    assert report.findings == ()
