"""Shared pieces of the infrastructure tests (tests/iac): the built-in catalogs, the
example platform's plan and manifest, and the way from plans and manifests to the
inputs of the comparison."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from steer.analysis.infra_compare import Component
from steer.analysis.infrastructure import CloudRegions, Resource, resources_of
from steer.analysis.tfcatalog import load_catalog
from steer.loading.tfjson import parse_tf_json

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "guardrails" / "cn" / "catalog"
EXAMPLE = ROOT / "examples" / "terraform"
DATA = Path(__file__).resolve().parent / "data"
AS_OF = "2026-12-01"  # the date the example plan was made

REGIONS = CloudRegions(yaml.safe_load((CATALOG / "clouds.yaml").read_text("utf-8"))["providers"])
TERRAFORM = load_catalog(CATALOG / "terraform.yaml")


def read(data: dict[str, Any] | str | bytes, name: str = "plan.json") -> list[Resource]:
    """The resources of a plan or state given as a dict, JSON text or bytes."""
    if isinstance(data, dict):
        data = json.dumps(data, indent=1)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return resources_of(parse_tf_json(raw, name), TERRAFORM, REGIONS)


def by_address(resources: list[Resource]) -> dict[str, Resource]:
    return {r.address: r for r in resources}


def components_of(manifest: dict[str, Any] | str) -> list[Component]:
    """The comparison's view of a manifest's components (what the engine will pass)."""
    data = yaml.safe_load(manifest) if isinstance(manifest, str) else manifest
    out = []
    for cid, spec in (data.get("components") or {}).items():
        location = spec.get("location") or {}
        out.append(
            Component(
                id=cid,
                provider=location.get("provider"),
                region=location.get("region"),
                jurisdiction=location.get("jurisdiction"),
                resources=tuple(spec.get("resources") or ()),
            )
        )
    return out


def example_plan() -> dict[str, Any]:
    return json.loads((EXAMPLE / "plan.json").read_text("utf-8"))  # type: ignore[no-any-return]


def example_components() -> list[Component]:
    return components_of((EXAMPLE / "manifest.yaml").read_text("utf-8"))


def mainland(provider: str, region: str) -> bool:
    return REGIONS.jurisdiction(provider, region) == "CN"
