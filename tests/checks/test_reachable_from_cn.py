"""An uncatalogued service is accepted only when the manifest declares its facts
(manifest.md: `reachable_from_cn`); declared unreachable, it is a dependency the
Great Firewall blocks (CN-GFW-001). Undeclared, it stays a STEER-CATALOG finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import AS_OF, run

MANIFEST = """\
version: 1
name: declared-services
components:
  dealer-portal:
    kind: service
    location: {{provider: alibaba-cloud, region: cn-shanghai}}
    depends_on: [geo-lookup]
  geo-lookup:
    kind: external
    service: acme-geo-lookup
{declared}    location: {{jurisdiction: US}}
"""


def findings(tmp_path: Path, declared: str) -> list[tuple[str, str]]:
    path = tmp_path / "m.yaml"
    path.write_text(MANIFEST.format(declared=declared), encoding="utf-8")
    code, out, err = run(["check", str(path), "--as-of", AS_OF, "--format", "json"])
    assert code in (0, 1), err
    wanted = {"STEER-CATALOG", "CN-GFW-001"}
    return [(f["rule"], f["target"]) for f in json.loads(out)["findings"] if f["rule"] in wanted]


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("", [("STEER-CATALOG", "components.geo-lookup")]),
        ("    reachable_from_cn: false\n", [("CN-GFW-001", "components.dealer-portal")]),
        ("    reachable_from_cn: true\n", []),
    ],
)
def test_declared_facts_of_an_uncatalogued_service(
    tmp_path: Path, declared: str, expected: list[tuple[str, str]]
) -> None:
    assert findings(tmp_path, declared) == expected


def test_reachable_from_cn_is_a_boolean(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MANIFEST.format(declared="    reachable_from_cn: nope\n"), encoding="utf-8")
    code, out, err = run(["check", str(path), "--as-of", AS_OF])
    assert (code, out) == (2, "")
    assert err.endswith(
        "m.yaml:11:5: components.geo-lookup.reachable_from_cn: expected true or false, got 'nope'\n"
    ), err
