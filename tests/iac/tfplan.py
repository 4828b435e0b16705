"""A small builder of `terraform show -json` documents, so that each test case reads
as the configuration it stands for.

The shape follows HashiCorp's JSON output format as Terraform 1.11.4 prints it (a
plan is format_version 1.2, a state 1.0): it was checked field by field against a
real `terraform show -json` of a configuration of `terraform_data` resources with
a module, `count`, `for_each`, a deletion and a state (tests/iac/data/real/, made
with that binary). Provider plugins cannot be downloaded here, so the plans of
cloud resources are written by this builder rather than by Terraform.

    plan = Plan()
    plan.provider("alicloud", "aliyun/alicloud", region="cn-shanghai")
    plan.provider("aws", "hashicorp/aws", alias="global", region=Var("region"))
    plan.variable("region", "eu-central-1")
    plan.resource("alicloud_db_instance.owner", values={"engine": "MySQL"})
    plan.resource("module.crm.aws_s3_bucket.export", provider="aws.global")
    plan.to_json()
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

TERRAFORM_VERSION = "1.11.4"
_ADDRESS = re.compile(
    r"^(?P<module>(?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*)"
    r"(?P<data>data\.)?(?P<type>[a-z0-9_]+)\.(?P<name>[A-Za-z0-9_-]+)(?:\[(?P<index>[^\]]*)\])?$"
)


@dataclass(frozen=True)
class Var:
    """A provider argument set from a variable: `region = var.NAME`."""

    name: str


@dataclass(frozen=True)
class Ref:
    """A provider argument set from anything else: `region = local.region`."""

    references: tuple[str, ...]


@dataclass
class _Resource:
    address: str
    provider_key: str
    source: str
    values: dict[str, Any]
    action: str
    unknown: dict[str, Any]
    before: dict[str, Any] | None
    expressions: dict[str, Any]

    @property
    def parts(self) -> dict[str, Any]:
        match = _ADDRESS.match(self.address)
        assert match, self.address
        index: Any = match["index"]
        if index is not None:
            index = json.loads(index)
        return {
            "module": match["module"].rstrip("."),
            "mode": "data" if match["data"] else "managed",
            "type": match["type"],
            "name": match["name"],
            "index": index,
        }


def _bare(module: str) -> list[str]:
    """Module call names of a module address: module.a["x"].module.b → [a, b]."""
    return re.findall(r"module\.([A-Za-z0-9_-]+)", module)


@dataclass
class Plan:
    terraform_version: str = TERRAFORM_VERSION
    format_version: str = "1.2"
    variables: dict[str, Any] = field(default_factory=dict)
    providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: list[_Resource] = field(default_factory=list)
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)

    def variable(self, name: str, value: Any) -> None:
        self.variables[name] = value

    def provider(
        self,
        local: str,
        source: str,
        region: str | Var | Ref | None = None,
        alias: str | None = None,
        module: str = "",
    ) -> str:
        """Add a provider block; returns its provider_config_key."""
        key = (f"{module}:" if module else "") + local + (f".{alias}" if alias else "")
        entry: dict[str, Any] = {"name": local, "full_name": _full(source)}
        if alias:
            entry["alias"] = alias
        if module:
            entry["module_address"] = module
        if region is not None:
            entry["expressions"] = {"region": _expression(region)}
        self.providers[key] = entry
        return key

    def module(
        self,
        name: str,
        arguments: dict[str, str | Var] | None = None,
        defaults: dict[str, Any] | None = None,
    ) -> None:
        """A module call (module.NAME), with the arguments it passes to its variables."""
        self.calls[name] = {
            "expressions": {k: _expression(v) for k, v in (arguments or {}).items()},
            "variables": {
                k: ({"default": v} if v is not None else {}) for k, v in (defaults or {}).items()
            },
        }

    def resource(
        self,
        address: str,
        values: dict[str, Any] | None = None,
        provider: str | None = None,
        source: str | None = None,
        action: str = "create",
        unknown: tuple[str, ...] = ("id",),
        before: dict[str, Any] | None = None,
        expressions: dict[str, Any] | None = None,
    ) -> None:
        match = _ADDRESS.match(address)
        assert match, address
        local = match["type"].split("_", 1)[0]
        key = provider or local
        if source is None:
            source = self.providers.get(key, {}).get("full_name") or _full(_default_source(local))
        self.resources.append(
            _Resource(
                address,
                key,
                _full(source),
                dict(values or {}),
                action,
                dict.fromkeys(unknown, True),
                before,
                dict(expressions or {}),
            )
        )

    # -- the document -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format_version": self.format_version,
            "terraform_version": self.terraform_version,
        }
        if self.variables:
            out["variables"] = {k: {"value": v} for k, v in sorted(self.variables.items())}
        planned = [r for r in self.resources if r.action != "delete"]
        out["planned_values"] = {"root_module": _module_tree(planned, lambda r: r.values)}
        out["resource_changes"] = [
            _change(r)
            for r in sorted(self.resources, key=lambda r: r.address)
            if r.parts["mode"] == "managed"
        ]
        existing = [r for r in self.resources if r.action != "create"]
        if existing:
            out["prior_state"] = {
                "format_version": "1.0",
                "terraform_version": self.terraform_version,
                "values": {"root_module": _module_tree(existing, lambda r: r.before or r.values)},
            }
        out["configuration"] = self._configuration()
        out["relevant_attributes"] = []
        out["timestamp"] = "2026-12-01T09:00:00Z"
        out["applyable"] = True
        out["complete"] = True
        out["errored"] = False
        return out

    def _configuration(self) -> dict[str, Any]:
        root: dict[str, Any] = {}
        seen: set[str] = set()
        for r in sorted(self.resources, key=lambda r: r.address):
            parts = r.parts
            names = _bare(parts["module"])
            relative = (
                "data." if parts["mode"] == "data" else ""
            ) + f"{parts['type']}.{parts['name']}"
            bare = ".".join(f"module.{n}" for n in names) + ("." if names else "") + relative
            if bare in seen:
                continue
            seen.add(bare)
            module = root
            for name in names:
                call = module.setdefault("module_calls", {}).setdefault(name, self._call(name))
                module = call["module"]
            entry: dict[str, Any] = {
                "address": relative,
                "mode": parts["mode"],
                "type": parts["type"],
                "name": parts["name"],
                "provider_config_key": r.provider_key,
                "expressions": r.expressions,
                "schema_version": 0,
            }
            if isinstance(parts["index"], int):
                entry["count_expression"] = {"constant_value": 1 + parts["index"]}
            elif parts["index"] is not None:
                entry["for_each_expression"] = {"references": ["var.names"]}
            module.setdefault("resources", []).append(entry)
        return {"provider_config": dict(sorted(self.providers.items())), "root_module": root}

    def _call(self, name: str) -> dict[str, Any]:
        spec = self.calls.get(name, {})
        module: dict[str, Any] = {}
        if spec.get("variables"):
            module["variables"] = spec["variables"]
        return {
            "source": f"./modules/{name}",
            "expressions": spec.get("expressions", {}),
            "module": module,
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def state(plan: Plan) -> dict[str, Any]:
    """The `terraform show -json` of the state after applying ``plan``: values only,
    no configuration (a state records none)."""
    kept = [r for r in plan.resources if r.action != "delete"]
    return {
        "format_version": "1.0",
        "terraform_version": plan.terraform_version,
        "values": {"root_module": _module_tree(kept, lambda r: r.values)},
    }


def _module_tree(resources: list[_Resource], values: Any) -> dict[str, Any]:
    root: dict[str, Any] = {}
    modules: dict[str, dict[str, Any]] = {"": root}
    for r in sorted(resources, key=lambda r: r.address):
        parts = r.parts
        module = parts["module"]
        steps = re.findall(r"module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?", module)
        parent = root
        for i in range(len(steps)):
            address = ".".join(steps[: i + 1])
            if address not in modules:
                modules[address] = {"address": address}
                parent.setdefault("child_modules", []).append(modules[address])
            parent = modules[address]
        entry: dict[str, Any] = {
            "address": r.address,
            "mode": parts["mode"],
            "type": parts["type"],
            "name": parts["name"],
        }
        if parts["index"] is not None:
            entry["index"] = parts["index"]
        entry.update(
            provider_name=r.source, schema_version=0, values=values(r), sensitive_values={}
        )
        parent.setdefault("resources", []).append(entry)
    return root


def _change(r: _Resource) -> dict[str, Any]:
    parts = r.parts
    entry: dict[str, Any] = {"address": r.address}
    if parts["module"]:
        entry["module_address"] = parts["module"]
    entry.update(mode=parts["mode"], type=parts["type"], name=parts["name"])
    if parts["index"] is not None:
        entry["index"] = parts["index"]
    entry["provider_name"] = r.source
    actions = {"replace": ["delete", "create"]}.get(r.action, [r.action])
    deleting = r.action == "delete"
    entry["change"] = {
        "actions": actions,
        "before": None if r.action == "create" else (r.before or r.values),
        "after": None if deleting else r.values,
        "after_unknown": {} if deleting else r.unknown,
        "before_sensitive": False if r.action == "create" else {},
        "after_sensitive": False if deleting else {},
    }
    return entry


def _expression(value: str | Var | Ref) -> dict[str, Any]:
    if isinstance(value, Var):
        return {"references": [f"var.{value.name}"]}
    if isinstance(value, Ref):
        return {"references": list(value.references)}
    return {"constant_value": value}


_SOURCES = {
    "alicloud": "aliyun/alicloud",
    "aws": "hashicorp/aws",
    "azurerm": "hashicorp/azurerm",
    "google": "hashicorp/google",
    "tencentcloud": "tencentcloudstack/tencentcloud",
    "huaweicloud": "huaweicloud/huaweicloud",
    "random": "hashicorp/random",
}


def _default_source(local: str) -> str:
    return _SOURCES.get(local, f"hashicorp/{local}")


def _full(source: str) -> str:
    return source if source.count("/") == 2 else f"registry.terraform.io/{source}"
