"""Properties of the infrastructure check, with hypothesis:

- moving any data-holding resource of the example plan to a region outside the
  mainland always yields an error finding (STEER-IAC-001 when a component names
  it, STEER-IAC-002 when none does), whichever way the plan moves it;
- a plan cut short anywhere, or with any byte changed, is read or refused with an
  InfraError, never another exception;
- a manifest drafted from a plan shows no drift against that plan;
- an address entry always names its own resource, with or without instance keys.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iacsupport import (
    CATALOG,
    REGIONS,
    TERRAFORM,
    components_of,
    example_components,
    example_plan,
    read,
)
from steer.analysis.addresses import AddressIndex, strip_keys
from steer.analysis.infra_compare import Component, compare
from steer.commands.import_terraform import draft_manifest
from steer.errors import InfraError
from steer.loading.tfjson import parse_tf_json
from tfplan import Plan

CLOUDS = yaml.safe_load((CATALOG / "clouds.yaml").read_text("utf-8"))["providers"]
EXAMPLE = example_plan()
EXAMPLE_TEXT = json.dumps(EXAMPLE, indent=2)
HOLDERS = sorted(r.address for r in read(EXAMPLE) if r.holds_data)
LOCAL = {"alibaba-cloud": "alicloud", "aws": "aws"}


def abroad(provider: str, current: str | None) -> list[str]:
    regions = CLOUDS[provider]["regions"]
    return sorted(r for r, spec in regions.items() if spec["jurisdiction"] != "CN" and r != current)


def _config_resource(plan: dict[str, Any], address: str) -> dict[str, Any]:
    """The configuration entry of a resource instance (all its instances share it)."""
    module = plan["configuration"]["root_module"]
    bare = strip_keys(address)
    while bare.startswith("module."):
        _m, name, bare = bare.split(".", 2)
        module = module["module_calls"][name]["module"]
    return next(r for r in module["resources"] if r["address"] == bare)


def _instances(plan: dict[str, Any], address: str) -> list[dict[str, Any]]:
    """The planned_values entry and the resource_changes `after` of one instance."""
    out = [c["change"]["after"] for c in plan["resource_changes"] if c["address"] == address]
    stack = [plan["planned_values"]["root_module"]]
    while stack:
        module = stack.pop()
        out += [r["values"] for r in module.get("resources", []) if r["address"] == address]
        stack += module.get("child_modules", [])
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_moving_a_data_holding_resource_abroad_is_always_found(data: st.DataObject) -> None:
    plan = copy.deepcopy(EXAMPLE)
    address = data.draw(st.sampled_from(HOLDERS), label="resource")
    before = {r.address: r for r in read(EXAMPLE)}[address]
    provider = str(before.provider)
    target = data.draw(st.sampled_from(abroad(provider, before.region)), label="region")
    ways = ["provider configuration"]
    if provider == "aws" or before.type == "alicloud_oss_bucket":
        ways.append("resource attribute")
    way = data.draw(st.sampled_from(ways), label="how")
    if way == "provider configuration":  # a new alias, as a moved `provider =` would be
        key = f"{LOCAL[provider]}.moved"
        plan["configuration"]["provider_config"][key] = {
            "name": LOCAL[provider],
            "full_name": before.provider_name,
            "alias": "moved",
            "expressions": {"region": {"constant_value": target}},
        }
        _config_resource(plan, address)["provider_config_key"] = key
        for values in _instances(plan, address):
            values.pop("region", None)  # the provider's region is the resource's
    else:
        for values in _instances(plan, address):
            if provider == "aws":
                values["region"] = target
            else:
                values["location"] = f"oss-{target}"
    components = example_components()
    if data.draw(st.booleans(), label="unnamed"):  # and no component names it any more
        components = [
            Component(c.id, c.provider, c.region, c.jurisdiction, ())
            if any(address in AddressIndex([address]).match(e) for e in c.resources)
            else c
            for c in components
        ]
    found = compare(components, read(plan), REGIONS)
    hits = [i for i in found if i.address == address and i.level == "error"]
    assert any(i.rule in ("STEER-IAC-001", "STEER-IAC-002") for i in hits), (way, target, found)


@settings(max_examples=80, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(EXAMPLE_TEXT) - 2))
def test_a_plan_cut_short_anywhere_is_a_located_error(cut: int) -> None:
    text = EXAMPLE_TEXT[:cut]
    try:
        parse_tf_json(text.encode(), "cut.json")
    except InfraError as error:
        assert error.mark is not None
        assert error.mark.line <= text.count("\n") + 1
    else:
        raise AssertionError("a cut plan was read")


@settings(max_examples=150, deadline=None)
@given(at=st.integers(min_value=0, max_value=len(EXAMPLE_TEXT) - 1), byte=st.integers(0, 255))
def test_any_changed_byte_is_read_or_refused_cleanly(at: int, byte: int) -> None:
    raw = bytearray(EXAMPLE_TEXT.encode())
    raw[at] = byte
    try:
        doc = parse_tf_json(bytes(raw), "changed.json")
        read(bytes(raw), "changed.json")  # and locating the resources raises nothing
    except InfraError as error:
        assert error.mark is not None or error.file == "changed.json"
    else:
        assert doc.kind in ("plan", "state")


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*path, index))
    return out


PATHS = _paths(EXAMPLE)[1:]
ODD_VALUES = [None, 1, "x", [], {}, True, ["a"], {"constant_value": 5}, {"references": 3}]


@settings(max_examples=300, deadline=None)
@given(path=st.sampled_from(PATHS), value=st.sampled_from(ODD_VALUES))
def test_any_value_of_another_type_is_read_or_refused_cleanly(
    path: tuple[str | int, ...], value: Any
) -> None:
    """Valid JSON, wrong shape anywhere (a hand-edited or foreign file): the resources
    are located or the file is refused with a located error; nothing else escapes."""
    plan = copy.deepcopy(EXAMPLE)
    parent: Any = plan
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    try:
        read(plan)
    except InfraError as error:
        assert error.mark is not None


# -- drafts --------------------------------------------------------------------------------
TYPES = {
    provider: sorted(TERRAFORM.types[provider])
    for provider in ("alibaba-cloud", "aws", "tencent-cloud")
}
SOURCES = {
    "alibaba-cloud": "aliyun/alicloud",
    "aws": "hashicorp/aws",
    "tencent-cloud": "tencentcloudstack/tencentcloud",
}
LOCALS = {"alibaba-cloud": "alicloud", "aws": "aws", "tencent-cloud": "tencentcloud"}


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    plan = Plan()
    configs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["", "module.a", 'module.b["x"]', "module.c.module.d"]),
                st.sampled_from(sorted(TYPES)),
                st.sampled_from(["main", "logs", "x_y", "Data"]),
                st.sampled_from([None, 0, "eu"]),
            ),
            min_size=1,
            max_size=8,
            unique_by=lambda t: (t[0], t[1], t[2]),
        )
    )
    for module, provider, name, index in configs:
        region = draw(st.sampled_from(sorted(CLOUDS[provider]["regions"])))
        key = plan.provider(
            LOCALS[provider], SOURCES[provider], alias=region.replace("-", "_"), region=region
        )
        type_name = draw(st.sampled_from(TYPES[provider]))
        keys = [None] if index is None else ([0, 1] if index == 0 else ['"eu"', '"cn"'])
        for k in keys:
            suffix = "" if k is None else f"[{k}]"
            address = (f"{module}." if module else "") + f"{type_name}.{name}{suffix}"
            plan.resource(address, {"name": name}, provider=key)
    return plan


@settings(max_examples=60, deadline=None)
@given(plan=plans())
def test_a_draft_shows_no_drift_against_its_plan(plan: Plan) -> None:
    resources = read(plan.to_dict())
    text = draft_manifest(resources, ["plan.json"])
    assert draft_manifest(list(reversed(resources)), ["plan.json"]) == text
    components = components_of(text)
    assert len({c.id for c in components}) == len(components)
    drift = [i for i in compare(components, resources, REGIONS) if i.rule != "STEER-IAC-004"]
    assert drift == [], text


# -- addresses ------------------------------------------------------------------------------
keys = st.one_of(st.none(), st.integers(0, 3), st.text('ab.]"x', min_size=1, max_size=3))


def _key(k: int | str | None) -> str:
    if k is None:
        return ""
    return f"[{k}]" if isinstance(k, int) else "[" + json.dumps(k) + "]"


@given(
    modules=st.lists(st.tuples(st.sampled_from(["a", "crm", "t_1"]), keys), max_size=3),
    name=st.sampled_from(["x", "y_z"]),
    key=keys,
)
def test_an_entry_names_its_own_resource(
    modules: list[tuple[str, int | str | None]], name: str, key: int | str | None
) -> None:
    prefix = "".join(f"module.{m}{_key(k)}." for m, k in modules)
    address = f"{prefix}aws_s3_bucket.{name}{_key(key)}"
    bare = "".join(f"module.{m}." for m, _k in modules) + f"aws_s3_bucket.{name}"
    assert strip_keys(address) == bare == strip_keys(bare)
    index = AddressIndex([address, "aws_s3_bucket.other"])
    assert index.match(address) == [address]
    assert index.match(bare) == [address]
    if modules:
        assert index.match(f"module.{modules[0][0]}.*") == [address]
        assert index.match(f"module.{modules[0][0]}") == [address]
