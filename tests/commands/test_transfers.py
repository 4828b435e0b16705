"""``steer transfers``: the register of a small manifest, exactly, in json and csv;
the example platform's register is the JSON check report's ``crossings``; the
scenario, --set and --output flags; the exit codes (0 when it ran, whatever the
findings; 2 for bad input)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from register_support import AS_OF, FILE, write
from steer import vocab
from steer.reporters import REGISTRY
from support import ROOT, cwd, run

CONSENT = "PIPL art. 39: separate consent of each individual before the export"
PIPIA = (
    "PIPL art. 55(4): a personal information protection impact assessment before the "
    "export, whatever the mechanism or exemption"
)
COUNT = "CAC Order 16 art. 7(2): 1,000,000 or more individuals' non-sensitive PI; "
COUNT += "1,150,000 counted since 1 January 2026"
CAP = (
    "CAC Order 16 art. 7(2): individuals, not flows: the crossings drawing on owner-db "
    "count at most the 1,000,000 individuals held there"
)
CONTRACT = (
    "CAC Order 16 art. 5(1): necessary to conclude or perform a contract to which the "
    "individual is a party (cross-border shopping, delivery, payment, account opening, "
    "booking, visas, exams); the crossing is not counted"
)
NO_CONSENT = (
    "PIPL art. 13 para. 1 item 2: necessary to conclude or perform a contract to which the "
    "individual is a party, a basis that needs no consent (para. 2); so no separate consent "
    "(PIPL art. 39), by the prevailing reading (parameter exemption_basis_waives_consent)"
)
SENSITIVE = "CAC Order 16 art. 8: under 10,000 individuals' sensitive PI; 5,000 counted "
SENSITIVE += "since 1 January 2026"
WHY = (
    "policy.regime is auto: cn-2024 (CAC Order 16, in force from 2024-03-22) is the law in "
    "force on 2026-12-02. Provisions on Promoting and Regulating Cross-Border Data Flows "
    "(促进和规范数据跨境流动规定, CAC Order 16), in force 2024-03-22; they prevail over the "
    "older rules where these differ (art. 13)."
)


def _approval(aid: str, kind: str, counts: bool, why: str) -> dict[str, Any]:
    return {"id": aid, "type": kind, "counts": counts, "why": why}


CONSENT_1 = _approval("consent-1", "separate-consent", True, "approved 2026-04-01")
PIPIA_1 = _approval("pipia-1", "pipia", True, "approved 2026-03-15")


def _entry(flow: str, source: str, target: str, dest: str, **rest: Any) -> dict[str, Any]:
    """A register entry, keys in the order the report writes them."""
    return {
        "flow": flow,
        "from": source,
        "to": target,
        "destination": dest,
        "path": [source, target],
        "categories": rest.pop("categories", ["personal"]),
        "individuals": rest.pop("individuals"),
        "requires": rest.pop("requires", "cac-security-assessment"),
        "requires_by_policy": None,
        "consent_required": rest.pop("consent_required", True),
        "pipia_required": True,
        "exemption": rest.pop("exemption", None),
        "exemption_refused": None,
        "basis": rest.pop("basis"),
        "approvals": rest.pop("approvals"),
        "covered": rest.pop("covered", False),
        "missing": rest.pop("missing", ["a CAC security assessment"]),
    }


EXPECTED = {
    "steer_version": "0.1.0",
    "manifest": FILE,
    "as_of": AS_OF,
    "regime": {"name": "cn-2024", "why": WHY},
    "crossings": [
        _entry(
            "analytics-export",
            "shop-db",
            "eu-analytics",
            "DE",
            individuals=150000,
            basis=[COUNT, CONSENT, PIPIA],
            approvals=[
                _approval(
                    "scc-analytics",
                    "standard-contract",
                    False,
                    "a standard contract is not something this crossing needs",
                ),
                CONSENT_1,
                PIPIA_1,
            ],
        ),
        _entry(
            "crm-sync",
            "owner-db",
            "global-crm",
            "US",
            individuals=1000000,
            basis=[COUNT, CAP, CONSENT, PIPIA],
            approvals=[
                _approval(
                    "cac-1", "cac-security-assessment", False, "cac-1 is in-review, not approved"
                ),
                CONSENT_1,
                PIPIA_1,
            ],
        ),
        _entry(
            "hotel-booking",
            "booking-db",
            "hotel-partner",
            "JP",
            individuals=30000,
            requires="none",
            consent_required=False,
            exemption="contract-with-individual",
            basis=[CONTRACT, NO_CONSENT, PIPIA],
            approvals=[PIPIA_1],
            covered=True,
            missing=[],
        ),
        _entry(
            "lab-results",
            "clinic-db",
            "lab-partner",
            "SG",
            categories=["sensitive-personal"],
            individuals=5000,
            requires="standard-contract-or-certification",
            basis=[SENSITIVE, CONSENT, PIPIA],
            approvals=[
                _approval("scc-lab", "standard-contract", True, "approved 2026-06-18"),
                CONSENT_1,
                PIPIA_1,
            ],
            covered=True,
            missing=[],
        ),
    ],
}

_HEAD = f"{FILE},{AS_OF},cn-2024"
EXPECTED_CSV = (
    "\r\n".join(
        [
            "manifest,as_of,regime,flow,from,to,destination,path,categories,individuals,requires,"
            "requires_by_policy,consent_required,pipia_required,exemption,exemption_refused,basis,"
            "approvals,covered,missing",
            f"{_HEAD},analytics-export,shop-db,eu-analytics,DE,shop-db; eu-analytics,personal,"
            f'150000,cac-security-assessment,,true,true,,,"{COUNT} | {CONSENT} | {PIPIA}",'
            "scc-analytics:false|a standard contract is not something this crossing needs; "
            "consent-1:true|approved 2026-04-01; pipia-1:true|approved 2026-03-15,false,"
            "a CAC security assessment",
            f"{_HEAD},crm-sync,owner-db,global-crm,US,owner-db; global-crm,personal,1000000,"
            f'cac-security-assessment,,true,true,,,"{COUNT} | {CAP} | {CONSENT} | {PIPIA}",'
            '"cac-1:false|cac-1 is in-review, not approved; consent-1:true|approved 2026-04-01; '
            'pipia-1:true|approved 2026-03-15",false,a CAC security assessment',
            f"{_HEAD},hotel-booking,booking-db,hotel-partner,JP,booking-db; hotel-partner,personal,"
            "30000,none,,false,true,contract-with-individual,,"
            f'"{CONTRACT} | {NO_CONSENT} | {PIPIA}",pipia-1:true|approved 2026-03-15,true,',
            f"{_HEAD},lab-results,clinic-db,lab-partner,SG,clinic-db; lab-partner,"
            "sensitive-personal,5000,standard-contract-or-certification,,true,true,,,"
            f'"{SENSITIVE} | {CONSENT} | {PIPIA}",scc-lab:true|approved 2026-06-18; '
            "consent-1:true|approved 2026-04-01; pipia-1:true|approved 2026-03-15,true,",
        ]
    )
    + "\r\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path)
    return tmp_path


def transfers(folder: Path, *args: str) -> tuple[int, str, str]:
    with cwd(folder):
        return run(["transfers", FILE, "--as-of", AS_OF, *args])


def test_json_exactly(folder: Path) -> None:
    code, out, err = transfers(folder, "--format", "json")
    assert (code, err) == (0, "")
    assert out == json.dumps(EXPECTED, indent=2, ensure_ascii=False) + "\n"
    assert out.startswith('{\n  "steer_version": "0.1.0",\n  "manifest": "register.yaml",\n')
    assert "促进和规范数据跨境流动规定" in out  # UTF-8 as written, not \u escapes


def test_csv_exactly(folder: Path) -> None:
    code, out, err = transfers(folder, "--format", "csv")
    assert (code, err) == (0, "")
    assert out == EXPECTED_CSV


def test_json_is_the_check_reports_register(folder: Path) -> None:
    _, register, _ = transfers(folder, "--format", "json")
    with cwd(folder):
        code, out, _ = run(["check", FILE, "--as-of", AS_OF, "--format", "json"])
    assert code == 1  # the check fails on crm-sync and analytics-export; transfers exits 0
    report = json.loads(out)
    assert json.loads(register)["crossings"] == report["crossings"]
    assert json.loads(register)["regime"] == report["regime"]


@pytest.mark.parametrize("fmt", vocab.TRANSFERS_FORMATS)
def test_every_format_runs_and_exits_0(folder: Path, fmt: str) -> None:
    code, out, err = transfers(folder, "--format", fmt)
    assert (code, err) == (0, "")
    for flow in ("analytics-export", "crm-sync", "hotel-booking", "lab-results"):
        assert flow in out


def test_the_registry_offers_the_command_lines_formats() -> None:
    assert tuple(REGISTRY["transfers"]) == vocab.TRANSFERS_FORMATS


def test_example_lists_every_crossing_of_the_check_report() -> None:
    with cwd(ROOT):
        code, out, err = run(
            ["transfers", "examples/china-platform.yaml", "--as-of", AS_OF, "--format", "json"]
        )
        _, check_out, _ = run(
            ["check", "examples/china-platform.yaml", "--as-of", AS_OF, "--format", "json"]
        )
        table_code, table, _ = run(["transfers", "examples/china-platform.yaml", "--as-of", AS_OF])
    assert (code, err, table_code) == (0, "", 0)
    register = json.loads(out)["crossings"]
    crossings = json.loads(check_out)["crossings"]
    assert crossings, "the example has crossings"

    def key(entries: list[dict[str, Any]]) -> list[tuple[str, str, bool]]:
        return [(e["flow"], e["requires"], e["covered"]) for e in entries]

    assert key(register) == key(crossings)
    assert register == crossings
    for entry in crossings:
        assert entry["flow"] in table
    n = len(crossings)
    covered = sum(e["covered"] for e in crossings)
    assert table.splitlines()[-1] == (
        f"{n} crossings: {covered} covered, {n - covered} not covered"
    )


def test_scenario_and_set_change_the_register(folder: Path) -> None:
    (folder / "approve.yaml").write_text(
        "name: approve-cac\n"
        "patch:\n"
        "  approvals:\n"
        "    cac-1: {status: approved, approved_on: 2026-11-20}\n",
        encoding="utf-8",
    )
    code, out, err = transfers(folder, "--format", "json", "--scenario", "approve.yaml")
    assert (code, err) == (0, "")
    by_flow = {e["flow"]: e for e in json.loads(out)["crossings"]}
    assert by_flow["crm-sync"]["covered"] is True
    with cwd(folder):
        _, check_out, _ = run(
            ["check", FILE, "--as-of", AS_OF, "--format", "json", "--scenario", "approve.yaml"]
        )
    assert json.loads(out)["crossings"] == json.loads(check_out)["crossings"]
    # --set, after the scenario: pin the 2022 rules, under which no exemption holds
    code, out, _ = transfers(folder, "--format", "json", "--set", "policy.regime=cn-2022")
    data = json.loads(out)
    assert code == 0 and data["regime"]["name"] == "cn-2022"
    hotel = next(e for e in data["crossings"] if e["flow"] == "hotel-booking")
    assert hotel["exemption"] is None
    assert "recognises no exemption" in hotel["exemption_refused"]
    assert hotel["requires"] == "cac-security-assessment"  # a handler of 1,300,000 (art. 4(2))


def test_output_file_and_never_over_an_input(folder: Path) -> None:
    code, out, err = transfers(folder, "--format", "csv", "--output", "register.csv")
    assert (code, out, err) == (0, "", "")
    assert (folder / "register.csv").read_bytes() == EXPECTED_CSV.encode("utf-8")
    code, _, err = transfers(folder, "--format", "csv", "--output", FILE)
    assert code == 2 and "steer never writes to its inputs" in err
    assert (folder / FILE).read_text(encoding="utf-8").startswith("version: 1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["transfers", "missing.yaml"], "missing.yaml"),
        (["transfers", FILE, "--format", "xml"], "--format 'xml': expected one of"),
        (["transfers", FILE, "--as-of", "2026-13-01"], "--as-of '2026-13-01'"),
        (["transfers", FILE, "--scenario", "nope.yaml"], "nope.yaml"),
    ],
)
def test_bad_input_exits_2(folder: Path, args: list[str], message: str) -> None:
    with cwd(folder):
        code, out, err = run(args)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_a_manifest_without_crossings(tmp_path: Path) -> None:
    (tmp_path / "inland.yaml").write_text(
        "version: 1\nname: inland\ncomponents:\n  db:\n    kind: datastore\n"
        "    location: {provider: alibaba-cloud, region: cn-shanghai}\n"
        "    data: [{category: personal, subjects: CN, records: 10}]\n",
        encoding="utf-8",
    )
    with cwd(tmp_path):
        code, out, err = run(["transfers", "inland.yaml", "--as-of", AS_OF, "--format", "json"])
        table_code, table, _ = run(["transfers", "inland.yaml", "--as-of", AS_OF])
    assert (code, err, table_code) == (0, "", 0)
    assert json.loads(out)["crossings"] == []
    assert table.splitlines()[-1].startswith("0 crossings: no flow takes personal information")
