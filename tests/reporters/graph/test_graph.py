"""`steer graph`: Mermaid, DOT and JSON drawings of the data-flow graph."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from steer.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "china-platform.yaml"
AS_OF = "2026-11-26"

CHAIN = """\
version: 1
name: chain
programme: {go_live: 2027-03-01}
components:
  owner-db:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-shanghai}
    data: [{category: personal, subjects: CN, records: 150000}]
  owner-api:
    kind: service
    location: {provider: alibaba-cloud, region: cn-shanghai}
    depends_on: [owner-db]
  relay:
    kind: relay
    location: {provider: alibaba-cloud, region: cn-shanghai}
  crm:
    kind: external
    service: salesforce
    location: {jurisdiction: US}
  report-db:
    kind: datastore
    location: {provider: tencent-cloud, region: ap-guangzhou}
flows:
  read: {from: owner-db, to: owner-api, data: [personal]}
  out: {from: owner-api, to: relay}
  crm-sync: {from: relay, to: crm, records_per_year: 150000}  # a contract: CAC Order 16 art. 8
  local-report: {from: owner-db, to: report-db, data: [personal]}
"""


def _graph(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["graph", *args, "--as-of", AS_OF])
    out = capsys.readouterr().out
    assert code == 0
    return out


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    path = tmp_path / "chain.yaml"
    path.write_text(CHAIN, encoding="utf-8")
    return path


def test_mermaid_clusters_by_jurisdiction_and_marks_the_crossing(
    chain: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _graph(capsys, str(chain), "--format", "mermaid")
    lines = out.splitlines()
    assert lines[1] == "flowchart LR"
    assert 'subgraph j_CN["CN · mainland China"]' in out
    assert 'subgraph j_US["US"]' in out
    assert 'subgraph j_CN_alibaba_cloud["alibaba-cloud"]' in out
    # the crossing is a thick arrow labelled with category, volume and approvals
    crossing = [line for line in lines if "n_relay ==>" in line]
    assert crossing == [
        '  n_relay ==>|"personal · 150,000/yr · no approvals · FAILS CN-XB-001, CN-XB-002"| n_crm'
    ]
    # inland flows are plain arrows, calls dashed
    assert '  n_owner_db -->|"personal"| n_report_db' in lines
    assert '  n_owner_api -.->|"calls"| n_owner_db' in lines
    # the failing path (owner-db -> owner-api -> relay -> crm) is red, the rest is not
    styled = {int(m.group(1)) for m in re.finditer(r"linkStyle (\d+) stroke:#d32f2f", out)}
    edges = [line for line in lines if re.search(r" (-->|==>|-\.->)", line)]
    red = {edges[i].split()[0] + ">" + edges[i].split()[-1] for i in styled}
    assert red == {"n_owner_db>n_owner_api", "n_owner_api>n_relay", "n_relay>n_crm"}
    assert "class n_crm,n_owner_api,n_owner_db,n_relay failing" in out


def test_cross_border_only_keeps_only_the_paths_out(
    chain: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _graph(capsys, str(chain), "--format", "mermaid", "--cross-border-only")
    assert "n_report_db" not in out  # an inland branch
    assert "-.->" not in out  # calls are topology, not data flow
    for node in ("n_owner_db", "n_owner_api", "n_relay", "n_crm"):
        assert node in out


def test_json_is_networkx_node_link_data(chain: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_graph(capsys, str(chain), "--format", "json"))
    g = nx.node_link_graph(data, edges="edges", multigraph=True, directed=True)
    assert set(g.nodes) == {"owner-db", "owner-api", "relay", "crm", "report-db"}
    assert g.nodes["crm"]["jurisdiction"] == "US"
    assert g.nodes["relay"]["failing"] is True
    assert g.nodes["report-db"]["failing"] is False
    crossing = [k for _u, _v, k, d in g.edges(keys=True, data=True) if d["crossing"]]
    assert crossing == ["crm-sync"]
    assert g.edges["relay", "crm", "crm-sync"]["failing"] == ["CN-XB-001", "CN-XB-002"]
    assert g.edges["owner-api", "owner-db", "dep:owner-api->owner-db"]["kind"] == "call"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_dot_is_accepted_by_graphviz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in ([], ["--cross-border-only"]):
        out = _graph(capsys, str(EXAMPLE), "--format", "dot", *args)
        source = tmp_path / "g.dot"
        source.write_text(out, encoding="utf-8")
        result = subprocess.run(
            ["dot", "-Tsvg", str(source)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert "<svg" in result.stdout
        assert re.search(r"global(-|&#45;)crm", result.stdout)  # SVG escapes the hyphen
        assert "Warning" not in result.stderr


def test_dot_structure(chain: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _graph(capsys, str(chain), "--format", "dot")
    assert out.startswith('digraph "chain" {')
    assert 'label="CN · mainland China"' in out
    assert re.search(r'"relay" -> "crm" \[label="personal[^"]*FAILS CN-XB-001', out)
    assert '"owner-api" -> "owner-db" [label="calls", style=dashed' in out


def _mmdc() -> str | None:
    found = shutil.which("mmdc")  # .ci/run installs it with Chromium
    return found if found and shutil.which("chromium") else None


@pytest.mark.skipif(_mmdc() is None, reason="mermaid-cli (mmdc) and chromium are not installed")
def test_mermaid_renders_with_mermaid_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _graph(capsys, str(EXAMPLE), "--format", "mermaid")
    source = tmp_path / "g.mmd"
    source.write_text(out, encoding="utf-8")
    config = tmp_path / "puppeteer.json"
    config.write_text(
        json.dumps({"executablePath": shutil.which("chromium"), "args": ["--no-sandbox"]})
    )
    target = tmp_path / "g.svg"
    result = subprocess.run(
        [str(_mmdc()), "-i", str(source), "-o", str(target), "-p", str(config)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"global(-|&#45;)crm", target.read_text(encoding="utf-8"))


def test_graph_of_a_broken_manifest_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: x\ncomponents:\n  a: {kind: servce}\n", encoding="utf-8")
    assert main(["graph", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:4:" in err and "did you mean 'service'" in err


def test_graph_format_is_checked(chain: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(chain), "--format", "png"]) == 2
    assert "mermaid, dot, json" in capsys.readouterr().err
