"""The Terraform catalog of a pack (``catalog/terraform.yaml``).

It says which Terraform provider is which cloud of ``clouds.yaml``, which resource
types hold data (STEER-IAC-002), which component kind each type drafts as
(``steer import terraform``), and what an ARN's partition alone says.

The pack loader already reads every ``catalog/*.yaml`` (each top-level key a
catalog); this module gives the two Terraform catalogs, ``terraform_providers`` and
``arn_partitions``, their schema and meaning. :func:`catalog_from_data` takes them
as the pack loader has them; :func:`load_catalog` reads a user's file of the same
shape (with line and column in its errors); :func:`merge` lays one catalog over
another, type by type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from steer.errors import Mark, PackError
from steer.packs.schemas import ARN_PARTITIONS_SCHEMA, TERRAFORM_PROVIDERS_SCHEMA
from steer.vocab import COMPONENT_KINDS

# The component kinds of manifest.md a resource type may draft as; the schemas of the
# two catalogs, which the pack loader validates too (steer.packs.schemas).
KINDS = COMPONENT_KINDS
PROVIDERS_SCHEMA = TERRAFORM_PROVIDERS_SCHEMA
PARTITIONS_SCHEMA = ARN_PARTITIONS_SCHEMA

# A file of its own (load_catalog): only the Terraform catalogs, so that a typo in a
# top-level name is an error rather than a catalog nobody reads.
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "steer Terraform catalog (catalog/terraform.yaml)",
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {"terraform_providers": PROVIDERS_SCHEMA, "arn_partitions": PARTITIONS_SCHEMA},
}


@dataclass(frozen=True, slots=True)
class ResourceType:
    kind: str
    holds_data: bool


@dataclass(frozen=True, slots=True)
class Partition:
    provider: str
    jurisdiction: str


@dataclass(frozen=True)
class TerraformCatalog:
    """Provider sources (``NAMESPACE/TYPE``, lower case) to catalog provider ids, the
    resource types of each provider, and the ARN partitions."""

    sources: Mapping[str, str]
    types: Mapping[str, Mapping[str, ResourceType]]
    partitions: Mapping[str, Partition]
    _by_type: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A provider TYPE listed once (alicloud, aws) also maps a source under another
        # namespace: a fork, or a mirror that renamed it.
        owners: dict[str, set[str]] = {}
        for source, provider in self.sources.items():
            owners.setdefault(source.rsplit("/", 1)[-1], set()).add(provider)
        by_type = {name: next(iter(ps)) for name, ps in owners.items() if len(ps) == 1}
        object.__setattr__(self, "_by_type", by_type)

    def provider_of(self, provider_name: str) -> str | None:
        """The catalog provider id of a resource's ``provider_name``
        (``registry.terraform.io/aliyun/alicloud`` → ``alibaba-cloud``), or None for
        a provider that is not a cloud of the catalog (random, null, kubernetes...)."""
        parts = provider_name.lower().split("/")
        found = self.sources.get("/".join(parts[-2:]))
        return found if found is not None else self._by_type.get(parts[-1])

    def resource_type(self, provider: str | None, type_name: str) -> ResourceType | None:
        if provider is None:
            return None
        return self.types.get(provider, {}).get(type_name)


def catalog_from_data(catalogs: Mapping[str, Any], name: str) -> TerraformCatalog:
    """The Terraform catalog from a pack's catalogs (``terraform_providers`` and
    ``arn_partitions``; other catalogs are ignored). ``name`` is for error messages."""
    for key, schema in (
        ("terraform_providers", PROVIDERS_SCHEMA),
        ("arn_partitions", PARTITIONS_SCHEMA),
    ):
        if key in catalogs:
            _validate(catalogs[key], schema, name, (key,), None)
    return _build(catalogs)


def load_catalog(path: Path, display: str | None = None) -> TerraformCatalog:
    """Read a Terraform catalog file (the built-in one, or a user's extension)."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError("no such file; expected a Terraform catalog (YAML)", file=name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"cannot read as UTF-8 text: {exc}", file=name) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        at = exc.problem_mark or exc.context_mark
        mark = Mark(name, at.line + 1, at.column + 1) if at else Mark(name, 1, 1)
        raise PackError(f"not valid YAML: {exc.problem or exc.context}", mark) from None
    _check_duplicates(root, name)
    _validate(data, SCHEMA, name, (), root)
    return _build(data)


def merge(base: TerraformCatalog, extra: TerraformCatalog) -> TerraformCatalog:
    """``extra`` over ``base``: sources and partitions added or replaced, resource
    types added or replaced one by one (a user file need not repeat a provider's
    built-in types to add one)."""
    types: dict[str, dict[str, ResourceType]] = {p: dict(t) for p, t in base.types.items()}
    for provider, entries in extra.types.items():
        types.setdefault(provider, {}).update(entries)
    return TerraformCatalog(
        sources={**base.sources, **extra.sources},
        types=types,
        partitions={**base.partitions, **extra.partitions},
    )


def _build(data: Mapping[str, Any]) -> TerraformCatalog:
    sources: dict[str, str] = {}
    types: dict[str, dict[str, ResourceType]] = {}
    for provider, entry in sorted((data.get("terraform_providers") or {}).items()):
        for source in entry.get("sources", ()):
            sources[source.lower()] = provider
        types[provider] = {
            name: ResourceType(spec["kind"], bool(spec.get("data", False)))
            for name, spec in sorted((entry.get("resources") or {}).items())
        }
    partitions = {
        name: Partition(spec["provider"], spec["jurisdiction"])
        for name, spec in sorted((data.get("arn_partitions") or {}).items())
    }
    return TerraformCatalog(sources, types, partitions)


def _validate(
    data: Any, schema: dict[str, Any], name: str, base: tuple[str | int, ...], root: Any
) -> None:
    import jsonschema_rs

    if jsonschema_rs.validator_for(schema).is_valid(data):
        return
    # Only a broken file pays for the pure-Python validator, which says why.
    import jsonschema  # type: ignore[import-untyped]

    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if not errors:  # the two validators disagree: trust the one that explains
        return
    best = jsonschema.exceptions.best_match(errors)
    path = (*base, *best.absolute_path)
    where = ".".join(str(p) for p in path) or "(document)"
    raise PackError(
        f"{where}: {best.message}; expected a Terraform catalog entry as in the built-in "
        "catalog/terraform.yaml (terraform_providers: {id: {sources, resources}}, "
        "arn_partitions: {partition: {provider, jurisdiction}})",
        _node_mark(root, tuple(best.absolute_path), name),
        file=name,
    )


def _check_duplicates(node: Any, name: str) -> None:
    """PyYAML keeps the last of two equal keys; a catalog must not lose an entry so."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if key.value in seen:
                    at = key.start_mark
                    raise PackError(
                        f"duplicate key {key.value!r}; expected each key once",
                        Mark(name, at.line + 1, at.column + 1),
                    )
                seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _node_mark(root: Any, path: tuple[Any, ...], name: str) -> Mark | None:
    """Where ``path`` is written in a composed YAML node tree (its deepest existing part)."""
    node = root
    if node is None:
        return None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == part), None)
            if found is None:
                break
            node = found
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            break
    return Mark(name, node.start_mark.line + 1, node.start_mark.column + 1)
