"""``steer transfers --format json``: the register of cli.md, byte-stable, its
entries exactly the report's ``crossings``; several reports as ``reports``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from register_support import AS_OF, FILE, report
from steer import __version__, engine
from steer.manifest.load import load_manifest
from steer.reporters import render_transfers
from steer.reporters.transfers import json_report


def test_shape_and_order(tmp_path: Path) -> None:
    demo = report(tmp_path)
    data = json.loads(render_transfers("json", demo))
    assert list(data) == ["steer_version", "manifest", "as_of", "regime", "crossings"]
    assert (data["manifest"], data["as_of"]) == (FILE, AS_OF)
    assert list(data["regime"]) == ["name", "why"] and data["regime"]["name"] == "cn-2024"
    assert data["crossings"] == [dict(c) for c in demo.crossings]
    flows = [c["flow"] for c in data["crossings"]]
    assert flows == sorted(flows)
    assert list(data["crossings"][0]) == list(demo.crossings[0])  # the entries' own order


def test_byte_stable(tmp_path: Path) -> None:
    first = json_report.render(report(tmp_path))
    again = json_report.render(report(tmp_path))
    assert first == again
    assert first.endswith("}\n") and '\n  "crossings": [\n    {\n      "flow": ' in first


def test_several_reports(tmp_path: Path) -> None:
    demo = report(tmp_path)
    other = dataclasses.replace(demo, manifest="other.yaml", crossings=())
    data = json.loads(json_report.render([demo, other]))
    assert list(data) == ["steer_version", "reports"]
    assert data["steer_version"] == __version__
    assert [r["manifest"] for r in data["reports"]] == [FILE, "other.yaml"]
    assert data["reports"][1]["crossings"] == []


_BY_RECIPIENT = """\
version: 1
name: order
organisation: {{ciio: false, pi_subjects: 1000}}
programme: {{go_live: 2027-06-01}}
policy: {{packs: [cn], regime: auto}}
components:
  db:
    kind: datastore
    location: {{provider: alibaba-cloud, region: cn-shanghai}}
    data: [{{category: personal, subjects: CN, records: 1000}}]
  partner: {{kind: external, location: {{jurisdiction: SG}}}}
flows:
  export: {{from: db, to: partner, data: [personal]}}
approvals:
{approvals}
"""


def test_approvals_naming_the_recipient_are_listed_by_id(tmp_path: Path) -> None:
    """The register lists the approvals that name a crossing's recipient by id,
    whatever order the manifest declares them in (found by the key-order property)."""
    zeta = "  zeta: {type: cac-security-assessment, status: planned, recipients: [partner]}"
    alpha = "  alpha: {type: standard-contract, status: planned, recipients: [partner]}"
    texts = []
    for order in ((zeta, alpha), (alpha, zeta)):
        path = tmp_path / "order.yaml"
        path.write_text(_BY_RECIPIENT.format(approvals="\n".join(order)), encoding="utf-8")
        crossings = engine.register(load_manifest(path, "order.yaml"), AS_OF).crossings
        assert [a["id"] for a in crossings[0]["approvals"]] == ["alpha", "zeta"]
        texts.append(json.dumps([dict(c) for c in crossings]))
    assert texts[0] == texts[1]
