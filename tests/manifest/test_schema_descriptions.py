"""The published manifest and scenario schemas describe every property (editors show
the description as hover help), with texts that all still name a property; the
validating schema is the same schema, and no shared part of it is changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from steer.manifest import descriptions
from steer.manifest.schema import manifest_schema, scenario_schema
from support import run

CATEGORIES = ["personal", "important"]


def properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of a schema, by the path descriptions use (``*`` for a map member,
    ``[]`` for a list item), the maps' members and list items included."""
    if not isinstance(node, dict):
        return
    for key, child in (node.get("properties") or {}).items():
        where = f"{path}.{key}" if path else key
        yield where, child
        yield from properties(child, where)
    if isinstance(node.get("additionalProperties"), dict) and "propertyNames" in node:
        yield f"{path}.*", node["additionalProperties"]
        yield from properties(node["additionalProperties"], f"{path}.*")
    if isinstance(node.get("items"), dict):
        yield f"{path}[]", node["items"]
        yield from properties(node["items"], f"{path}[]")


@pytest.mark.parametrize(
    ("schema", "texts"),
    [
        (descriptions.described_manifest_schema(CATEGORIES), descriptions.MANIFEST),
        (descriptions.described_scenario_schema(), descriptions.SCENARIO),
    ],
    ids=["manifest", "scenario"],
)
def test_every_property_has_a_description(schema: dict[str, Any], texts: dict[str, str]) -> None:
    found = dict(properties(schema))
    assert len(found) > 10 or texts is descriptions.SCENARIO
    # every property of an object: each field of a component, flow, data item, approval,
    # operations team member and waiver
    named = {p: s for p, s in found.items() if not p.endswith(("*", "[]"))}
    missing = sorted(p for p, s in named.items() if not str(s.get("description", "")).strip())
    assert missing == []
    if texts is descriptions.MANIFEST:
        for path in (
            "components.*.kind",
            "flows.*.exemption",
            "approvals.*.type",
            "waivers[].rule",
        ):
            assert found[path]["description"].strip()


@pytest.mark.parametrize(
    ("schema", "texts"),
    [
        (manifest_schema(CATEGORIES), descriptions.MANIFEST),
        (scenario_schema(), descriptions.SCENARIO),
    ],
)
def test_no_text_describes_nothing(schema: dict[str, Any], texts: dict[str, str]) -> None:
    used: set[str] = set()
    descriptions.describe(schema, texts, used)
    assert sorted(set(texts) - used) == []


def test_describing_changes_no_shared_part() -> None:
    before = json.dumps(manifest_schema(CATEGORIES), sort_keys=True)
    descriptions.described_manifest_schema(CATEGORIES)
    assert json.dumps(manifest_schema(CATEGORIES), sort_keys=True) == before
    described = descriptions.described_manifest_schema(CATEGORIES)
    component = described["properties"]["components"]["additionalProperties"]["properties"]
    # one date schema serves launch and go_live: each has its own text
    go_live = described["properties"]["programme"]["properties"]["go_live"]
    assert component["launch"]["description"] != go_live["description"]
    # a description the schema already gives is kept
    assert component["resources"]["description"].startswith("The infrastructure")


def test_steer_schema_prints_the_descriptions() -> None:
    code, out, _ = run(["schema"])
    assert code == 0
    schema = json.loads(out)
    kind = schema["properties"]["components"]["additionalProperties"]["properties"]["kind"]
    assert kind["description"].startswith("Required. datastore (data at rest)")
    code, out, _ = run(["schema", "scenario"])
    assert json.loads(out)["properties"]["patch"]["description"].startswith("Required: an RFC")
