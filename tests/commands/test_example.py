"""The README's main example, examples/china-platform.yaml: it loads, checks with a
realistic mix of findings, reports deterministically, and the quick-start command
works as a user would type it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support import run  # the CLI in-process, output captured

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "china-platform.yaml"
RELATIVE = "examples/china-platform.yaml"
AS_OF = "2026-11-26"  # the date the example describes; timeline rules depend on it


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    code, out, err = run(["check", str(EXAMPLE), "--format", "json", "--as-of", AS_OF])
    assert code == 1, err
    assert err == ""
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    # steer's own loader: dates stay text, as the schema and the engine see them
    from steer.loading.parse import load_file

    data: dict[str, Any] = load_file(EXAMPLE, RELATIVE).data
    return data


def test_report_header(report: dict[str, Any]) -> None:
    assert report["as_of"] == AS_OF
    assert report["manifest"].endswith(RELATIVE)
    summary = report["summary"]
    findings = report["findings"]
    active = [f for f in findings if not f["waived"]]
    assert summary["error"] == sum(f["level"] == "error" for f in active)
    assert summary["warning"] == sum(f["level"] == "warning" for f in active)
    assert summary["waived"] == sum(f["waived"] for f in findings)


def test_realistic_mix_of_findings(report: dict[str, Any]) -> None:
    findings = report["findings"]
    rules = {f["rule"] for f in findings}
    assert len(rules) >= 5, rules
    levels = {f["level"] for f in findings if not f["waived"]}
    assert levels == {"error", "warning"}
    # several annex areas are represented, not one rule firing many times
    categories = {f["rule"].split("-")[1] for f in findings}
    assert {"DS", "ICP", "INT", "OPS"} <= categories
    # the gaps the example documents in its comments are the ones reported
    found = {(f["rule"], f["target"]) for f in findings}
    assert ("CN-DS-001", "components.support-tool-hk") in found  # HK is outside the mainland
    assert ("CN-INT-002", "components.official-website") in found  # leftover Stripe checkout
    assert ("CN-MAP-001", "components.official-website") in found  # legacy Google Maps widget
    assert ("CN-ICP-003", "approvals.icp-website") in found  # filing names the pilot's provider
    assert ("CN-AUTO-001", "components.telematics-store") in found  # no retention period yet


def test_one_waived_finding(report: dict[str, Any]) -> None:
    waived = [f for f in report["findings"] if f["waived"]]
    assert [(f["rule"], f["target"]) for f in waived] == [("CN-INT-001", "components.dealer-app")]
    # a waived finding is not counted as an error
    errors = sum(f["level"] == "error" and not f["waived"] for f in report["findings"])
    assert report["summary"]["error"] == errors
    assert report["summary"]["waived"] == 1
    assert not any(f["rule"] == "STEER-WAIVER" for f in report["findings"])  # the waiver is current


def test_waiver_lapses_after_its_expiry() -> None:
    code, out, _ = run(["check", str(EXAMPLE), "--format", "json", "--as-of", "2027-07-01"])
    assert code == 1
    data = json.loads(out)
    assert data["summary"]["waived"] == 0
    active = {(f["rule"], f["target"]) for f in data["findings"]}
    assert ("CN-INT-001", "components.dealer-app") in active
    assert any(f["rule"] == "STEER-WAIVER" and "expired" in f["message"] for f in data["findings"])


def test_findings_point_at_their_keys(report: dict[str, Any]) -> None:
    """Each finding about a component, flow or approval points at its id's line."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    checked = 0
    for f in report["findings"]:
        section, _, ident = f["target"].partition(".")
        if section not in ("components", "flows", "approvals"):
            continue
        loc = f["location"]
        text = lines[loc["line"] - 1]
        assert text[loc["column"] - 1 :].startswith(f"{ident}:"), (f["target"], text)
        checked += 1
    assert checked >= 5


def test_json_report_is_byte_identical_across_runs() -> None:
    argv = ["check", str(EXAMPLE), "--format", "json", "--as-of", AS_OF]
    first, second = run(argv)[1], run(argv)[1]
    assert first == second
    assert first.endswith("\n")


def test_json_report_is_byte_identical_across_processes() -> None:
    """Separate interpreters with different hash seeds: no set or dict-order leaks."""
    outputs = []
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
        env.pop("STEER_DEBUG", None)
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from steer.cli import main; sys.exit(main())",
                "check",
                RELATIVE,
                "--format",
                "json",
                "--as-of",
                AS_OF,
            ],
            cwd=ROOT,
            env={**env, "PYTHONPATH": str(ROOT / "checker")},
            capture_output=True,
            check=False,
        )
        assert proc.returncode == 1, proc.stderr.decode()
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] == outputs[2]


def test_readme_quick_start_command() -> None:
    """`steer check examples/china-platform.yaml`, typed in the repository root."""
    steer = shutil.which("steer")
    assert steer is not None, "the steer console script is not on PATH (pip install -e .)"
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("STEER_DEBUG", None)
    proc = subprocess.run(
        [steer, "check", RELATIVE], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    # exit 1: the example documents open gaps (today's date drives the timeline rules,
    # but the blocking data-sovereignty and payment findings do not depend on it)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr == ""
    assert RELATIVE in proc.stdout
    assert "CN-DS-001" in proc.stdout
    assert "\x1b[" not in proc.stdout  # NO_COLOR is honoured


def test_example_uses_only_catalog_ids(raw: dict[str, Any]) -> None:
    """The README example must not invent providers, regions or services."""
    from steer.packs.loader import load_packs

    catalogs = load_packs(["cn"]).catalogs
    providers = catalogs["providers"]
    services = catalogs["services"]
    for cid, comp in raw["components"].items():
        loc = comp.get("location") or {}
        if "provider" in loc:
            assert loc["provider"] in providers, cid
            assert loc["region"] in providers[loc["provider"]]["regions"], cid
        if "service" in comp:
            assert comp["service"] in services, cid
        if "cdn" in comp:
            assert comp["cdn"] in catalogs["cdn_providers"], cid
        if "maps" in comp:
            assert comp["maps"]["provider"] in catalogs["map_providers"], cid
        for payment in comp.get("payments", []):
            assert payment in catalogs["payment_providers"], cid
    for aid, approval in raw["approvals"].items():
        if "provider" in approval:
            assert approval["provider"] in providers, aid


def test_example_keeps_the_crossings_the_transfer_guardrails_judge(raw: dict[str, Any]) -> None:
    """The cross-border part of the example (CN-XB-*, CN-DS-004, CN-GFW-001) stays in it:
    a multi-hop path through the relay, raw telematics abroad, a backup abroad, and an
    assessment still in review before go-live."""
    from steer.checks.context import Context
    from steer.manifest.load import load_manifest

    ctx = Context(load_manifest(EXAMPLE, RELATIVE), AS_OF)
    comps, flows = ctx.components, raw["flows"]

    def where(cid: str) -> str | None:
        return comps[cid]["location"].get("jurisdiction")

    crossing = {
        fid for fid, f in flows.items() if where(f["from"]) == "CN" and where(f["to"]) != "CN"
    }
    assert {"crm-sync", "telematics-export", "support-cases", "owner-db-backup"} <= crossing
    assert comps[flows["crm-sync"]["from"]]["kind"] == "relay"
    assert flows["owner-db-backup"]["mechanism"] == "backup"
    assert "telematics" in flows["telematics-export"]["data"]
    assert all("records_per_year" in flows[f] for f in crossing)
    assessment = raw["approvals"]["cac-assessment"]
    assert assessment["type"] == "cac-security-assessment"
    assert assessment["status"] == "in-review"
    assert assessment["submitted"] < raw["programme"]["go_live"]


def test_example_validates_against_the_published_schema(raw: dict[str, Any]) -> None:
    import jsonschema_rs

    code, out, err = run(["schema", "manifest"])
    assert code == 0, err
    # an independent validator, not steer's own validation path
    jsonschema_rs.validate(json.loads(out), raw)
