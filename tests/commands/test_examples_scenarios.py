"""The what-if scenarios of examples/scenarios/ against examples/china-platform.yaml:
each answers an open question of the annex (Q2-Q5) or its guardrail 5, and the
findings each resolves and introduces are asserted exactly.

These sets are what the guardrails say today: they change when a guardrail, the
example manifest or a scenario changes. Update them deliberately, reading the new
``steer whatif examples/china-platform.yaml examples/scenarios/*.yaml --as-of
2026-11-26`` output, never by copying it blindly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support import run  # the CLI in-process, output captured

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "china-platform.yaml"
SCENARIOS = ROOT / "examples" / "scenarios"
AS_OF = "2026-11-26"  # the date the example describes

NAMES = [
    "annex-2022-reading",
    "g5-tightened-regime",
    "q2-minimum-viable-integration",
    "q3-telematics-local-aggregation",
    "q4-alibaba-vs-tencent",
    "q5-cac-assessment-timeline",
]


@pytest.fixture(scope="module")
def whatif() -> dict[str, Any]:
    files = sorted(str(p) for p in SCENARIOS.glob("*.yaml"))
    code, out, err = run(["whatif", str(EXAMPLE), *files, "--format", "json", "--as-of", AS_OF])
    assert err == ""
    assert code == 1  # the baseline has blocking findings
    data: dict[str, Any] = json.loads(out)
    return data


def scenario(data: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = (s for s in data["scenarios"] if s["name"] == name)
    return found


def changes(s: dict[str, Any], which: str) -> list[tuple[str, str, str]]:
    return [(f["rule"], f["target"], f["level"]) for f in s[which]]


def test_every_example_scenario_is_listed(whatif: dict[str, Any]) -> None:
    assert [s["name"] for s in whatif["scenarios"]] == NAMES
    assert [Path(s["file"]).name for s in whatif["scenarios"]] == [f"{n}.yaml" for n in NAMES]
    for s in whatif["scenarios"]:
        assert s["question"].startswith(("Q2 ", "Q3 ", "Q4 ", "Q5 ", "G5 ", "What does the annex"))
        assert s["description"]


def test_baseline(whatif: dict[str, Any]) -> None:
    # judged by the law in force on 2026-11-26 (policy.regime: auto -> cn-2024)
    assert whatif["regime"]["name"] == "cn-2024"
    assert whatif["baseline"] == {"error": 22, "warning": 7, "waived": 1, "passed_rules": 8}
    assert whatif["baseline_ready_for_go_live"] is False
    assert whatif["baseline_readiness"] == {
        "go_live": "2027-03-01",
        "blocking": 22,
        "assessments": [
            {
                "approval": "cac-assessment",
                "status": "in-review",
                "approved_on": None,
                "ready": False,
                "reason": "in-review (submitted 2026-11-09), not approved",
            }
        ],
    }


def test_q2_minimum_viable_integration(whatif: dict[str, Any]) -> None:
    # Dealer master data in, aggregated KPIs out, everything personal in the mainland:
    # every cross-border finding goes; what is left is not about integration.
    s = scenario(whatif, "q2-minimum-viable-integration")
    assert changes(s, "resolved") == [
        ("CN-DS-001", "components.support-tool-hk", "error"),
        ("CN-DS-004", "flows.owner-db-backup", "error"),
        ("CN-DS-005", "components.support-tool-hk", "error"),
        ("CN-DS-005", "flows.owner-db-backup", "error"),
        ("CN-XB-001", "flows.crm-sync", "error"),
        ("CN-XB-001", "flows.owner-db-backup", "error"),
        ("CN-XB-001", "flows.support-cases", "error"),
        ("CN-XB-001", "flows.telematics-export", "error"),
        ("CN-XB-002", "flows.crm-sync", "error"),
        ("CN-XB-002", "flows.owner-db-backup", "error"),
        ("CN-XB-002", "flows.support-cases", "error"),
        ("CN-XB-002", "flows.telematics-export", "error"),
        ("CN-XB-003", "flows.telematics-export", "error"),
        ("CN-GFW-001", "components.telematics-store", "error"),
        ("CN-GFW-001", "components.vehicle-owner-db", "error"),
        ("CN-AUTO-001", "flows.telematics-export", "warning"),
        # none held and go-live ahead: a risk with the day to submit by, not a breach
        ("CN-XB-004", "flows.owner-db-backup", "warning"),
        ("CN-XB-004", "flows.support-cases", "warning"),
    ]
    assert changes(s, "introduced") == []
    assert s["summary"] == {"error": 7, "warning": 4, "waived": 1, "passed_rules": 15}
    # no flow needs the CAC assessment any more; the remaining errors still block
    assert s["readiness"] == {"go_live": "2027-03-01", "blocking": 7, "assessments": []}
    assert s["ready_for_go_live"] is False


def test_q3_telematics_local_aggregation(whatif: dict[str, Any]) -> None:
    s = scenario(whatif, "q3-telematics-local-aggregation")
    assert changes(s, "resolved") == [
        ("CN-XB-001", "flows.telematics-export", "error"),
        ("CN-XB-002", "flows.telematics-export", "error"),
        ("CN-XB-003", "flows.telematics-export", "error"),
        ("CN-GFW-001", "components.telematics-store", "error"),
        ("CN-AUTO-001", "components.telematics-store", "warning"),
        ("CN-AUTO-001", "flows.telematics-export", "warning"),
    ]
    assert changes(s, "introduced") == []
    assert s["summary"] == {"error": 18, "warning": 5, "waived": 1, "passed_rules": 10}
    assert s["ready_for_go_live"] is False


def test_q4_alibaba_vs_tencent(whatif: dict[str, Any]) -> None:
    # The website's ICP filing dates from the Tencent-hosted pilot: on Tencent no
    # transfer-in filing is needed; on Alibaba (the baseline) it is.
    s = scenario(whatif, "q4-alibaba-vs-tencent")
    assert changes(s, "resolved") == [
        ("CN-ICP-003", "approvals.icp-website", "error"),
        ("CN-ICP-003", "approvals.icp-website", "error"),
    ]
    assert sorted(
        f["message"].split(", but ")[1].split(" is hosted")[0] for f in s["resolved"]
    ) == [
        "api-gateway",
        "official-website",
    ]
    assert changes(s, "introduced") == []
    assert s["summary"] == {"error": 20, "warning": 7, "waived": 1, "passed_rules": 9}


def test_q5_cac_assessment_timeline(whatif: dict[str, Any]) -> None:
    # Resubmitted on 2026-12-28: the statutory maximum (5 + 7 + 45 working days) ends
    # after go-live. A maximum, not a minimum: a risk (warning), not a certain miss.
    s = scenario(whatif, "q5-cac-assessment-timeline")
    assert s["as_of"] == "2026-12-29"
    assert changes(s, "resolved") == []
    assert changes(s, "introduced") == [
        ("CN-XB-004", "flows.crm-sync", "warning"),
        ("CN-XB-004", "flows.telematics-export", "warning"),
    ]
    assert all("it may complete as late as 2027-03-24" in f["message"] for f in s["introduced"])
    assert s["summary"] == {"error": 22, "warning": 9, "waived": 1, "passed_rules": 8}
    assert s["readiness"]["assessments"] == [
        {
            "approval": "cac-assessment",
            "status": "submitted",
            "approved_on": None,
            "ready": False,
            "reason": "submitted (submitted 2026-12-28), not approved",
        }
    ]


def test_q5_two_weeks_earlier_is_a_risk_not_a_block(tmp_path: Path) -> None:
    code, out, _ = run(
        [
            "check",
            str(EXAMPLE),
            "--scenario",
            str(SCENARIOS / "q5-cac-assessment-timeline.yaml"),
            "--set",
            "approvals.cac-assessment.submitted=2026-12-14",
            "--select",
            "CN-XB-004",
            "--format",
            "json",
        ]
    )
    # every one a risk: the assessment under way may end after go-live, and the backup
    # and the HK desk, which hold none yet, could still be submitted
    assert code == 0
    levels = {f["target"]: f["level"] for f in json.loads(out)["findings"]}
    assert levels == {
        "flows.crm-sync": "warning",
        "flows.telematics-export": "warning",
        "flows.owner-db-backup": "warning",
        "flows.support-cases": "warning",
    }


def test_g5_tightened_regime(whatif: dict[str, Any]) -> None:
    # Everything that crosses already needs an assessment (the owner DB's 1,200,000
    # individuals go abroad in the backup; location tracks are sensitive PI), so a
    # stricter regime changes no finding: even a 72-working-day path from the
    # 2026-11-09 submission ends before go-live.
    s = scenario(whatif, "g5-tightened-regime")
    assert s["regime"]["name"] == "cn-2024"
    assert changes(s, "resolved") == []
    assert changes(s, "introduced") == []
    assert s["summary"] == {"error": 22, "warning": 7, "waived": 1, "passed_rules": 8}


def test_annex_2022_reading(whatif: dict[str, Any]) -> None:
    # The annex's 2022 thresholds: every crossing needs an assessment under both
    # readings here, so the findings are the same, but steer says the pinned regime
    # is not the law in force, and the register's reasons differ (CAC Order 11 art.
    # 4(2): the handler's size, instead of CAC Order 16 art. 7(2): the volume).
    s = scenario(whatif, "annex-2022-reading")
    assert s["regime"]["name"] == "cn-2022"
    assert changes(s, "resolved") == []
    assert changes(s, "introduced") == [("STEER-REGIME", "manifest", "warning")]
    (note,) = s["introduced"]
    assert "cn-2024 (CAC Order 16, in force from 2024-03-22) is" in note["message"]
    assert "handler size: no trigger, not an assessment" in note["message"]
    reports = {}
    for name, extra in (
        ("baseline", []),
        ("annex", ["--scenario", str(SCENARIOS / "annex-2022-reading.yaml")]),
    ):
        code, out, _ = run(["check", str(EXAMPLE), *extra, "--format", "json", "--as-of", AS_OF])
        assert code == 1  # blocking findings under both readings
        reports[name] = {c["flow"]: c for c in json.loads(out)["crossings"]}
    assert reports["annex"].keys() == reports["baseline"].keys()
    crm_2022 = " ".join(reports["annex"]["crm-sync"]["basis"])
    crm_2024 = " ".join(reports["baseline"]["crm-sync"]["basis"])
    assert "CAC Order 11 art. 4(2)" in crm_2022 and "CAC Order 11" not in crm_2024
    assert "CAC Order 16 art. 7(2)" in crm_2024


@pytest.mark.parametrize("name", NAMES)
def test_check_with_the_scenario_agrees_with_whatif(whatif: dict[str, Any], name: str) -> None:
    code, out, err = run(
        [
            "check",
            str(EXAMPLE),
            "--scenario",
            str(SCENARIOS / f"{name}.yaml"),
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ]
    )
    assert err == ""
    report = json.loads(out)
    s = scenario(whatif, name)
    assert report["summary"] == s["summary"]
    assert report["as_of"] == s["as_of"]
    assert code == (1 if s["summary"]["error"] else 0)
