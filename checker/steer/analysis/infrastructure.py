"""The resources of a Terraform or OpenTofu plan or state, and where each one runs.

Each managed or data resource of a :class:`~steer.loading.tfjson.TfDocument`
becomes a :class:`Resource`: its address, its cloud (the catalog provider id, from
``provider_name`` through the Terraform catalog), its region, the jurisdiction of
that region (from the same region catalog as a manifest's components, through
:class:`RegionCatalog`), how the region was found, whether its type holds data,
and what the plan does to it.

The region is taken from, in this order:

1. the resource's own region argument (``region``; ``location`` for Azure and
   Google; an OSS bucket's ``oss-<region>`` location). It is the more specific
   setting: AWS provider 6, Google and Huawei resources may override the region
   of their provider configuration with it. Set in the configuration to a value
   known only after apply, the region is undetermined;
2. the provider configuration the resource uses (its ``provider_config_key``,
   aliases and module scopes included): a constant, or a variable the plan
   resolves (root ``variables``, or through the module calls' arguments);
3. its zone (``availability_zone``, ``zone_id``, ``zone``): the longest prefix
   of it that the region catalog knows (``cn-shanghai-b`` → ``cn-shanghai``);
4. its ARN: the region field, else what the partition alone says (``aws-cn``).

When none of these says it, the region is None and ``determined_by`` says why:
a provider whose region comes from the environment (``ALICLOUD_REGION``,
``AWS_REGION``) or from a value the plan does not resolve is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from steer.analysis.addresses import module_of, parent_module, strip_keys
from steer.analysis.tfcatalog import TerraformCatalog
from steer.errors import Mark
from steer.loading.tfjson import JsonPath, TfDocument


class RegionCatalog(Protocol):
    """The jurisdiction of a provider's region: the pack's cloud catalog."""

    def jurisdiction(self, provider: str, region: str) -> str | None: ...


class CloudRegions:
    """A :class:`RegionCatalog` over the ``providers`` catalog of clouds.yaml."""

    def __init__(self, providers: Mapping[str, Any]) -> None:
        self._table: dict[tuple[str, str], str] = {}
        for provider, entry in providers.items():
            for region, spec in (entry.get("regions") or {}).items():
                if isinstance(spec, dict) and isinstance(spec.get("jurisdiction"), str):
                    self._table[(provider, region)] = spec["jurisdiction"]

    def jurisdiction(self, provider: str, region: str) -> str | None:
        return self._table.get((provider, region))


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource instance of a plan or state, located."""

    address: str  # module.crm.aws_s3_bucket.export["eu"]
    module: str  # module.crm ("" in the root module)
    type: str
    name: str
    index: int | str | None  # the count or for_each key
    mode: str  # "managed" or "data"
    provider_name: str  # registry.terraform.io/hashicorp/aws
    provider: str | None  # the catalog provider id; None for a provider that is no cloud
    region: str | None
    jurisdiction: str | None
    determined_by: str  # how the region was found, or why it could not be
    holds_data: bool
    kind: str | None  # the component kind its type drafts as (Terraform catalog)
    action: str  # create, update, replace, no-op, delete, read, forget
    file: str
    mark: Mark

    @property
    def running(self) -> bool:
        """Whether it runs once the plan is applied: a resource being destroyed does not."""
        return self.action != "delete"

    @property
    def config_address(self) -> str:
        """The address without instance keys: ``module.crm.aws_s3_bucket.export``."""
        return strip_keys(self.address)


def resources_of(
    doc: TfDocument, terraform: TerraformCatalog, regions: RegionCatalog
) -> list[Resource]:
    """Every resource of a plan (planned, and the ones it destroys) or of a state,
    sorted by address."""
    found: dict[str, tuple[JsonPath, dict[str, Any], dict[str, Any], dict[str, Any], str]] = {}
    if doc.kind == "plan":
        changes = {c["address"]: (path, c) for path, c in doc.resource_changes()}
        for path, entry in doc.value_resources(("planned_values",)):
            at, change = changes.get(entry["address"], (path, None))
            unknown = _unknown(change)
            action = _action(change["change"]["actions"]) if change else "no-op"
            found[entry["address"]] = (at, entry, entry.get("values") or {}, unknown, action)
        for address, (path, change) in changes.items():
            if address in found:
                continue
            action = _action(change["change"]["actions"])
            side = "before" if action == "delete" else "after"
            values = change["change"].get(side) or {}
            found[address] = (path, change, values, _unknown(change), action)
    else:
        for path, entry in doc.value_resources(("values",)):
            found[entry["address"]] = (path, entry, entry.get("values") or {}, {}, "no-op")
    scope = _Scope(doc, terraform, regions)
    addresses = sorted(found)
    marks = doc.marks([found[a][0] for a in addresses])
    out = []
    for address, mark in zip(addresses, marks, strict=True):
        _path, entry, values, unknown, action = found[address]
        provider = terraform.provider_of(entry["provider_name"])
        if provider is None:
            region, jurisdiction = None, None
            how = f"provider {entry['provider_name']} is not a cloud of the catalog"
        else:
            region, jurisdiction, how = scope.locate(entry, provider, values, unknown)
        spec = terraform.resource_type(provider, entry["type"])
        managed = entry["mode"] == "managed"
        out.append(
            Resource(
                address=address,
                module=module_of(address),
                type=entry["type"],
                name=entry["name"],
                index=entry.get("index"),
                mode=entry["mode"],
                provider_name=entry["provider_name"],
                provider=provider,
                region=region,
                jurisdiction=jurisdiction,
                determined_by=how,
                holds_data=bool(spec and spec.holds_data and managed),
                kind=spec.kind if spec and managed else None,
                action=action,
                file=doc.file,
                mark=mark,
            )
        )
    return out


def _action(actions: list[str]) -> str:
    if actions == ["delete"]:
        return "delete"
    if "delete" in actions and "create" in actions:
        return "replace"
    return actions[0] if actions else "no-op"


def _unknown(change: dict[str, Any] | None) -> dict[str, Any]:
    unknown = change["change"].get("after_unknown") if change else None
    return unknown if isinstance(unknown, dict) else {}


# -- where a resource runs ------------------------------------------------------------
_MISSING = object()
_ZONE_ATTRIBUTES = ("availability_zone", "zone_id", "zone")
_ARN = re.compile(r"^arn:([a-z0-9-]+):[a-z0-9-]*:([a-z0-9-]*):")
_VAR_STEP = re.compile(r'\.([A-Za-z_][A-Za-z0-9_-]*)|\[(?:"((?:[^"\\]|\\.)*)"|(\d+))\]')


class _Scope:
    """What the plan's configuration says about provider configurations."""

    def __init__(
        self, doc: TfDocument, terraform: TerraformCatalog, regions: RegionCatalog
    ) -> None:
        self.terraform = terraform
        self.regions = regions
        self.configs = doc.provider_configs()
        self.variables = doc.variables()
        self.resources: dict[str, dict[str, Any]] = {}
        self.calls: dict[str, dict[str, Any]] = {}
        for names, _path, module in doc.config_modules():
            prefix = "".join(f"module.{n}." for n in names)
            for resource in module.get("resources") or ():
                self.resources[prefix + resource["address"]] = resource
            for name, call in (module.get("module_calls") or {}).items():
                self.calls[f"{prefix}module.{name}"] = call

    def locate(
        self, entry: dict[str, Any], provider: str, values: dict[str, Any], unknown: dict[str, Any]
    ) -> tuple[str | None, str | None, str]:
        config = self.resources.get(strip_keys(entry["address"]))
        expressions = (config or {}).get("expressions") or {}
        for attribute in _region_attributes(provider):
            raw = values.get(attribute)
            region = _region_value(provider, attribute, raw)
            if region is not None:
                return self._found(provider, region, f"its {attribute} attribute ({raw!r})")
            if unknown.get(attribute) is True and attribute in expressions:
                return None, None, f"its {attribute} is set to a value known only after apply"
        region, how = self._provider_region(entry, config)
        if region is not None:
            return self._found(provider, region, how)
        for attribute in (*_ZONE_ATTRIBUTES, "availability_zones"):
            zone = values.get(attribute)
            if isinstance(zone, list) and zone and isinstance(zone[0], str):
                zone = zone[0]
            if isinstance(zone, str) and zone:
                for candidate in _zone_regions(zone):
                    if self.regions.jurisdiction(provider, candidate) is not None:
                        return self._found(provider, candidate, f"its {attribute} {zone!r}")
        arn = values.get("arn")
        match = _ARN.match(arn) if isinstance(arn, str) else None
        if match and match.group(2):
            return self._found(provider, match.group(2), f"its ARN {arn!r}")
        if match:
            partition = self.terraform.partitions.get(match.group(1))
            if partition is not None and partition.provider == provider:
                how = f"{how}; its ARN is in the {match.group(1)} partition but names no region"
                return None, partition.jurisdiction, how
        return None, None, f"{how}, and it has no region, zone or ARN attribute that says it"

    def _found(self, provider: str, region: str, how: str) -> tuple[str | None, str | None, str]:
        jurisdiction = self.regions.jurisdiction(provider, region)
        if jurisdiction is None:
            how += f"; the catalog has no region {region!r} of {provider}"
        return region, jurisdiction, how

    def _provider_region(
        self, entry: dict[str, Any], config: dict[str, Any] | None
    ) -> tuple[str | None, str]:
        if config is None:
            if not self.configs:
                return None, "the file has no provider configurations (a state records none)"
            return None, "the plan's configuration does not list this resource"
        module = strip_keys(module_of(entry["address"]))
        local = entry["type"].split("_", 1)[0]
        key = config.get("provider_config_key") or (f"{module}:{local}" if module else local)
        found, key = self._provider_config(key)
        label = _label(key)
        if found is None:
            return None, f"its provider configuration {label} is not in the plan"
        expression = (found.get("expressions") or {}).get("region")
        if expression is None:
            return None, (
                f"the provider configuration {label} sets no region (the provider would "
                "take it from the environment, such as ALICLOUD_REGION or AWS_REGION, "
                "which a plan does not record)"
            )
        value, how = self._evaluate(expression, found.get("module_address") or "", 0)
        if value is None:
            unresolved = f"sets region from {how}, which the plan does not resolve"
            return None, f"the provider configuration {label} {unresolved}"
        return value, f"the provider configuration {label}: region = {how}"

    def _provider_config(self, key: str) -> tuple[dict[str, Any] | None, str]:
        """The configuration a key names; a key the plan does not list (an older
        Terraform's key for an inherited provider) is looked for in the parent scopes."""
        wanted = key
        while True:
            found = self.configs.get(key)
            if found is not None:
                return found, key
            if ":" not in key:
                return None, wanted
            scope, name = key.rsplit(":", 1)
            parent = parent_module(scope)
            key = f"{parent}:{name}" if parent else name

    def _evaluate(self, expression: Any, module: str, depth: int) -> tuple[str | None, str]:
        """The string an expression of the configuration comes to, and how."""
        if not isinstance(expression, dict) or depth > 32:
            return None, "an expression steer cannot read"
        if "constant_value" in expression:
            value = expression["constant_value"]
            return (value, repr(value)) if isinstance(value, str) and value else (None, repr(value))
        listed = expression.get("references")
        references = [r for r in listed if isinstance(r, str)] if isinstance(listed, list) else []
        variable = _variable(references)
        if variable is None:
            return None, " and ".join(references) or "an expression"
        name, steps, text = variable
        if not module:
            value = _navigate(self.variables.get(name, _MISSING), steps)
            if isinstance(value, str) and value:
                return value, f"{text} = {value!r}"
            return None, text
        call = self.calls.get(module) or {}
        argument = (call.get("expressions") or {}).get(name)
        if argument is None:
            value = _navigate(call, ["module", "variables", name, "default", *steps])
            if isinstance(value, str) and value:
                return value, f"{text} = {value!r} (the default in {module})"
            return None, f"{text} in {module}"
        if steps:
            return None, f"{text} in {module}"
        value, how = self._evaluate(argument, parent_module(module), depth + 1)
        return value, (
            f"{text} in {module}, from {how}" if value else f"{text} in {module} ({how})"
        )


def _variable(references: list[str]) -> tuple[str, list[str | int], str] | None:
    """``var.NAME`` with optional ``.attr``/``["key"]``/``[0]`` steps, when that is the
    only thing the expression refers to (Terraform lists a reference and its prefixes)."""
    if not references:
        return None
    longest = max(references, key=len)
    if not longest.startswith("var.") or not all(longest.startswith(r) for r in references):
        return None
    match = re.match(r"var\.([A-Za-z_][A-Za-z0-9_-]*)", longest)
    if match is None:
        return None
    steps: list[str | int] = []
    i = match.end()
    while i < len(longest):
        step = _VAR_STEP.match(longest, i)
        if step is None:
            return None
        if step.group(1) is not None:
            steps.append(step.group(1))
        elif step.group(2) is not None:
            steps.append(step.group(2))
        else:
            steps.append(int(step.group(3)))
        i = step.end()
    return match.group(1), steps, longest


def _navigate(value: Any, steps: Iterable[str | int]) -> Any:
    for step in steps:
        if isinstance(value, dict) and isinstance(step, str):
            value = value.get(step, _MISSING)
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return _MISSING
    return value


def _label(key: str) -> str:
    """``aws.global``, or ``aws (module.crm)`` for a key scoped to a module."""
    if ":" in key:
        scope, name = key.rsplit(":", 1)
        return f"{name} ({scope})"
    return key


def _region_attributes(provider: str) -> tuple[str, ...]:
    if provider == "azure":
        return ("location",)
    if provider in ("google-cloud", "alibaba-cloud"):
        return ("region", "location")
    return ("region",)


def _region_value(provider: str, attribute: str, raw: Any) -> str | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    value = raw.strip()
    if attribute != "location":
        return value
    if provider == "azure":  # "China East 2" and "chinaeast2" are the same location
        return value.replace(" ", "").lower()
    if provider == "google-cloud":  # "EUROPE-WEST3" is europe-west3
        return value.lower()
    # Alibaba: an OSS bucket's location is "oss-<region>"; other locations are not regions.
    return value[4:] if value.startswith("oss-") else None


def _zone_regions(zone: str) -> list[str]:
    """Regions a zone may belong to, longest first: ``cn-north-4a`` → ``cn-north-4``,
    ``cn-shanghai-b`` → ``cn-shanghai``, ``europe-west3-a`` → ``europe-west3``."""
    out = []
    letter = re.match(r"^(.*\d)[a-z]$", zone)  # AWS and Huawei: a letter after the number
    if letter:
        out.append(letter.group(1))
    rest = zone
    while "-" in rest:
        rest = rest.rsplit("-", 1)[0]
        out.append(rest)
    return out
