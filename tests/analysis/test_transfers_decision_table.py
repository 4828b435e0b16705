"""CN-XB-002 as decision tables: which transfer mechanism the law requires for the
personal information that crosses a year, row by row from the two texts.

- Regime ``cn-2022``: CAC Order 11, Security Assessment Measures (2022), art. 4:
  an assessment for (1) important data, (2) a CIIO or a handler of >= 1,000,000
  individuals, (3) >= 100,000 individuals' personal or >= 10,000 individuals'
  sensitive personal information exported; below that, the standard contract (or
  certification).
- Regime ``cn-2024``: CAC Order 16, Provisions on Promoting and Regulating
  Cross-Border Data Flows (2024): art. 7 an assessment for a CIIO, important data,
  or over 1,000,000 individuals' non-sensitive / over 10,000 individuals' sensitive
  personal information; art. 8 a standard contract or certification from 100,000
  non-sensitive or for any sensitive below that; art. 5 exempt under 100,000
  non-sensitive with no sensitive, and for transfers necessary for a contract with
  the individual, HR management or emergencies; art. 4 data collected abroad; art.
  6 data off an FTZ negative list.

Boundaries are tested exactly as the pack's parameters define them. NOTE the
discrepancy at the cn-2024 assessment thresholds: china-facts.md §1b gives art. 7(2)
as ">= 1M non-sensitive; >= 10k sensitive" (the Chinese text's 以上 includes the
number), while guardrails.md says "over 1,000,000 or over 10,000 sensitive"; the
pack's cn-2024 sets thresholds_inclusive: false, following guardrails.md, so
exactly 1,000,000 and exactly 10,000 need only a standard contract here. The
contract threshold (100,000) is inclusive in both readings.

Each row builds a small manifest (yaml.safe_dump to tmp_path): a personal-data
crossing and a sensitive-data crossing with the given yearly records, the
organisation's ``ciio`` and ``pi_subjects``, the regime and any exemption; it
checks the decision (mechanism and reasons, through ``steer.analysis.transfers`` via the
Context), the CN-XB-002 findings, and that an approval of the required type makes
them pass while a weaker one does not.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Row:
    """One row of a decision table."""

    why: str  # the article and the case, as the test id
    regime: str
    personal: int  # individuals' non-sensitive personal information crossing a year
    sensitive: int  # individuals' sensitive personal information crossing a year
    mechanism: str  # "assessment" | "contract" | "none"
    reasons: tuple[str, ...]  # substrings the decision's reasons must contain, in order
    ciio: bool = False
    pi_subjects: int = 50_000
    exemption: str | None = None  # declared on both crossings


def build(tmp_path: Path, row: Row, approval: str | None = None) -> Manifest:
    """A manifest with up to two crossings: owner-db -> global-crm (personal) and
    trip-store -> global-lake (vehicle location tracks: sensitive personal)."""
    components: dict[str, Any] = {
        "owner-db": {
            "kind": "datastore",
            "location": {"provider": "alibaba-cloud", "region": "cn-shanghai"},
            "data": [{"category": "personal", "subjects": "CN", "records": 5_000_000}],
        },
        "trip-store": {
            "kind": "datastore",
            "location": {"provider": "huawei-cloud", "region": "cn-north-4"},
            "data": [{"category": "sensitive-personal", "subjects": "CN", "records": 5_000_000}],
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
    if row.personal:
        flows["crm-sync"] = {
            "from": "owner-db",
            "to": "global-crm",
            "data": ["personal"],
            "records_per_year": row.personal,
        }
    if row.sensitive:
        flows["trip-export"] = {
            "from": "trip-store",
            "to": "global-lake",
            "data": ["sensitive-personal"],
            "records_per_year": row.sensitive,
        }
    for f in flows.values():
        if row.exemption:
            f["exemption"] = row.exemption
    data: dict[str, Any] = {
        "version": 1,
        "name": "xb-002-table",
        "organisation": {"ciio": row.ciio, "pi_subjects": row.pi_subjects},
        "programme": {"go_live": "2027-03-01"},
        "policy": {"regime": row.regime},
        "components": components,
    }
    if flows:
        data["flows"] = flows
    if approval:
        data["approvals"] = {
            "mechanism": {
                "type": approval,
                "status": "approved",
                "approved_on": "2026-06-01",
                "recipients": ["global-crm", "global-lake"],
            }
        }
    path = tmp_path / f"{approval or 'none'}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_manifest(path, path.name)


def findings(manifest: Manifest) -> list[Finding]:
    report = run(manifest, Settings(as_of=AS_OF, select=(RULE,)))
    return [f for f in report.findings if f.rule == RULE]


def crossings(row: Row) -> set[str]:
    """The flows CN-XB-002 judges: the personal-data crossings not exempted."""
    if row.exemption and row.regime == "cn-2024":
        return set()
    out = set()
    if row.personal:
        out.add("flows.crm-sync")
    if row.sensitive:
        out.add("flows.trip-export")
    return out


# -- CAC Order 11 (2022) art. 4: regime cn-2022 (the annex's reading) --------------------------
# fmt: off
MEASURES_2022 = [
    Row("4(2) CIIO, any volume", "cn-2022", 1, 0, "assessment",
        ("critical information infrastructure operator (CIIO)",), ciio=True),
    Row("4(2) CIIO, sensitive only", "cn-2022", 0, 1, "assessment", ("(CIIO)",), ciio=True),
    Row("4(2) handler of exactly 1,000,000", "cn-2022", 1, 0, "assessment",
        ("the handler processes personal information of 1,000,000 individuals (≥ 1,000,000)",),
        pi_subjects=1_000_000),
    Row("4(2) handler of 999,999", "cn-2022", 1, 0, "contract",
        ("under the assessment thresholds of cn-2022",), pi_subjects=999_999),
    Row("4(3) exactly 100,000 personal", "cn-2022", 100_000, 0, "assessment",
        ("100,000 individuals' personal information crosses a year (≥ 100,000)",)),
    Row("4(3) 99,999 personal", "cn-2022", 99_999, 0, "contract",
        ("99,999 individuals' personal information a year is under the assessment thresholds "
         "of cn-2022 (≥ 100,000 personal or ≥ 10,000 sensitive)",)),
    Row("4(3) exactly 10,000 sensitive", "cn-2022", 0, 10_000, "assessment",
        ("10,000 individuals' sensitive personal information crosses a year (≥ 10,000)",)),
    Row("4(3) 9,999 sensitive", "cn-2022", 0, 9_999, "contract",
        ("under the assessment thresholds",)),
    # sensitive personal information is personal information: it counts towards 100,000 too
    Row("4(3) 95,000 personal + 5,000 sensitive", "cn-2022", 95_000, 5_000, "assessment",
        ("100,000 individuals' personal information crosses a year (≥ 100,000)",)),
    Row("4(3) both thresholds", "cn-2022", 150_000, 20_000, "assessment",
        ("170,000 individuals' personal information crosses a year (≥ 100,000)",
         "20,000 individuals' sensitive personal information crosses a year (≥ 10,000)")),
    Row("below every threshold: standard contract", "cn-2022", 50_000, 0, "contract",
        ("50,000 individuals' personal information a year is under the assessment thresholds "
         "of cn-2022",)),
    Row("CIIO and handler and volume: all reasons", "cn-2022", 200_000, 0, "assessment",
        ("(CIIO)", "1,200,000 individuals (≥ 1,000,000)", "200,000 individuals' personal"),
        ciio=True, pi_subjects=1_200_000),
    # exemptions are a 2024 notion: under cn-2022 a declared one changes nothing
    Row("exemption not honoured under cn-2022", "cn-2022", 50_000, 0, "contract",
        ("under the assessment",), exemption="contract-with-individual"),
    Row("nothing crosses", "cn-2022", 0, 0, "none", ("no personal information crosses",),
        pi_subjects=2_000_000),
]

# -- CAC Order 16 (2024) art. 5, 7, 8: regime cn-2024 -------------------------------------------
PROVISIONS_2024 = [
    Row("7(1) CIIO, any volume", "cn-2024", 1, 0, "assessment", ("(CIIO)",), ciio=True),
    Row("7(2) 1,000,001 non-sensitive", "cn-2024", 1_000_001, 0, "assessment",
        ("1,000,001 individuals' non-sensitive personal information crosses a year "
         "(> 1,000,000)",)),
    # pack: "over 1,000,000" (guardrails.md); china-facts reads art. 7(2) as >= 1M
    Row("7(2)/8 exactly 1,000,000 non-sensitive (pack: not over)", "cn-2024", 1_000_000, 0,
        "contract",
        ("1,000,000 individuals' non-sensitive personal information crosses a year "
         "(≥ 100,000, not > 1,000,000)",)),
    Row("7(2) 10,001 sensitive", "cn-2024", 0, 10_001, "assessment",
        ("10,001 individuals' sensitive personal information crosses a year (> 10,000)",)),
    # pack: "over 10,000 sensitive" (guardrails.md); china-facts reads art. 7(2) as >= 10k
    Row("7(2)/8 exactly 10,000 sensitive (pack: not over)", "cn-2024", 0, 10_000, "contract",
        ("10,000 individuals' sensitive personal information crosses a year (not > 10,000)",)),
    Row("8 exactly 100,000 non-sensitive", "cn-2024", 100_000, 0, "contract",
        ("100,000 individuals' non-sensitive personal information crosses a year "
         "(≥ 100,000, not > 1,000,000)",)),
    Row("8 999,999 non-sensitive", "cn-2024", 999_999, 0, "contract",
        ("999,999 individuals' non-sensitive",)),
    Row("8 any sensitive under 10,000", "cn-2024", 0, 1, "contract",
        ("1 individuals' sensitive personal information crosses a year (not > 10,000)",)),
    Row("8 9,999 sensitive with little non-sensitive", "cn-2024", 50_000, 9_999, "contract",
        ("9,999 individuals' sensitive",)),
    # art. 7/8 count non-sensitive information "not including sensitive": 995,000 + 9,000
    # would be over 1,000,000 if the sensitive records counted towards it
    Row("7/8 sensitive does not count towards the non-sensitive threshold", "cn-2024",
        995_000, 9_000, "contract", ("995,000 individuals' non-sensitive personal information",)),
    Row("5(4) 99,999 non-sensitive, no sensitive: exempt", "cn-2024", 99_999, 0, "none",
        ("99,999 individuals' non-sensitive personal information a year is under 100,000 and no "
         "sensitive information crosses (exempt under cn-2024)",)),
    # the 2022 handler trigger (art. 4(2)) is not in the 2024 Provisions (china-facts: U)
    Row("no handler trigger under cn-2024", "cn-2024", 50_000, 0, "none",
        ("exempt under cn-2024",), pi_subjects=5_000_000),
    Row("5(1) contract with the individual", "cn-2024", 2_000_000, 50_000, "none",
        ("every crossing of personal information declares an exemption cn-2024 honours",),
        exemption="contract-with-individual"),
    Row("5(2) HR management", "cn-2024", 2_000_000, 0, "none", ("declares an exemption",),
        exemption="hr-management"),
    Row("5(3) emergency", "cn-2024", 0, 50_000, "none", ("declares an exemption",),
        exemption="emergency"),
    Row("4 collected abroad", "cn-2024", 2_000_000, 0, "none", ("declares an exemption",),
        exemption="collected-abroad"),
    Row("6 off the FTZ negative list", "cn-2024", 2_000_000, 0, "none",
        ("declares an exemption",), exemption="ftz-negative-list"),
    Row("nothing crosses", "cn-2024", 0, 0, "none", ("no personal information crosses",)),
]
# fmt: on

# What satisfies each mechanism, and a weaker approval that does not.
SATISFIES = {"assessment": "cac-security-assessment", "contract": "standard-contract"}
ALSO_SATISFIES = {"contract": ("pi-certification", "cac-security-assessment")}
WEAKER = {"assessment": "standard-contract", "contract": "separate-consent"}


@pytest.mark.parametrize(
    "row", MEASURES_2022 + PROVISIONS_2024, ids=lambda r: f"{r.regime}: {r.why}"
)
def test_decision(tmp_path: Path, row: Row) -> None:
    manifest = build(tmp_path, row)
    assert manifest.regime == row.regime
    decision = Context(manifest, AS_OF).transfers.decision
    assert decision.mechanism == row.mechanism, decision.reasons
    text = "; ".join(decision.reasons)
    at = 0
    for part in row.reasons:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not in {text!r}"
        at = found + len(part)
    if row.mechanism != "none":
        assert decision.unknown == ()


@pytest.mark.parametrize(
    "row", MEASURES_2022 + PROVISIONS_2024, ids=lambda r: f"{r.regime}: {r.why}"
)
def test_findings_and_approvals(tmp_path: Path, row: Row) -> None:
    got = findings(build(tmp_path, row))
    if row.mechanism == "none":
        assert got == []
        return
    assert {f.target for f in got} == crossings(row)
    for f in got:
        assert f.level == "error"
        assert f"under regime {row.regime}" in f.message
        wanted = (
            "a CAC security assessment"
            if row.mechanism == "assessment"
            else "a standard contract or PI"
        )
        assert f"needs {wanted}" in f.message
        assert f.message.endswith("no such approval covers it")
        assert f.path is not None and len(f.path) == 2
    # the required type makes every crossing pass ...
    assert findings(build(tmp_path, row, SATISFIES[row.mechanism])) == []
    for other in ALSO_SATISFIES.get(row.mechanism, ()):
        assert findings(build(tmp_path, row, other)) == []
    # ... a weaker one does not, and an assessment requirement says why the contract fails
    weaker = findings(build(tmp_path, row, WEAKER[row.mechanism]))
    assert {f.target for f in weaker} == crossings(row)
    if row.mechanism == "assessment":
        assert all(
            "mechanism is a standard contract, not a CAC security assessment" in f.message
            for f in weaker
        )


@pytest.mark.parametrize("regime", ["cn-2022", "cn-2024"])
def test_important_data_needs_an_assessment_whatever_the_volume(
    tmp_path: Path, regime: str
) -> None:
    """2022 art. 4(1), 2024 art. 7(2): important data (telematics, as the annex
    classifies it) needs an assessment whatever the volume. CN-XB-002 decides only
    for personal information; the assessment is required of the crossing (CN-XB-004
    reads transfer.needs_assessment) and CN-XB-003 finds it missing."""
    row = Row("important", regime, 0, 0, "none", ())
    extra_components = {
        "telematics-store": {
            "kind": "datastore",
            "location": {"provider": "huawei-cloud", "region": "cn-north-4"},
            "data": [{"category": "telematics", "subjects": "CN", "records": 10}],
            "retention_days": 30,
        }
    }
    manifest = build(tmp_path, row)
    data = dict(manifest.data)
    data["components"] = {**data["components"], **extra_components}
    data["flows"] = {
        "trips": {
            "from": "telematics-store",
            "to": "global-lake",
            "data": ["telematics"],
            "records_per_year": 10,
        }
    }
    for approval in (None, "cac-security-assessment"):
        if approval:
            data["approvals"] = {
                "cac": {
                    "type": approval,
                    "status": "approved",
                    "approved_on": "2026-06-01",
                    "data": ["telematics"],
                }
            }
            data["flows"]["trips"]["approvals"] = ["cac"]
        path = tmp_path / f"important-{approval}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        m = load_manifest(path, path.name)
        ctx = Context(m, AS_OF)
        assert ctx.transfers.decision.mechanism == "none"  # no personal information crosses
        transfer = ctx.flows["trips"]["transfer"]
        assert transfer["needs_assessment"] is True
        assert transfer["assessment_reasons"] == ["it carries important data (telematics)"]
        report = run(m, Settings(as_of=AS_OF, select=("CN-XB-00*",)))
        rules = sorted(f.rule for f in report.findings if f.rule.startswith("CN-XB"))
        if approval:
            assert rules == []
        else:
            assert rules == ["CN-XB-003", "CN-XB-004"]
