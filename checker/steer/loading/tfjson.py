"""Plans and states as ``terraform show -json`` and ``tofu show -json`` print them.

The format is HashiCorp's "JSON Output Format" (format_version 1.x; OpenTofu prints
the same). A plan has ``planned_values``, ``resource_changes`` (deletions
included), ``prior_state``, ``variables`` and ``configuration`` (the provider
configurations and each resource's ``provider_config_key``); a state has
``values``. Both nest modules as ``child_modules``.

:func:`read_tf_json` reads one file and checks what steer relies on: the format
version first (major 1; anything else is refused, at the value), then the type of
every part it reads (objects, lists, the strings naming a resource). Every error is
an :class:`~steer.errors.InfraError` with the file, line and column, never a
traceback. Nothing here knows a cloud or a region: see
:mod:`steer.analysis.infrastructure`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from steer.errors import InfraError, Mark
from steer.loading.decode import refuse_special
from steer.loading.jsonerrors import decode
from steer.loading.jsonpos import Grammar, JsonPath, Positions, parse
from steer.loading.tfformat import check_structure, describe, dotted

SUPPORTED_MAJOR = 1
WHAT = "the JSON of `terraform show -json` (or `tofu show -json`), of a plan or a state"

# The containers walked in Python, so that each resource (and each module, provider
# configuration and variable) knows where it is written; see loading.jsonpos.
GRAMMAR = Grammar(
    root="document",
    objects={
        "document": {
            "planned_values": "values",
            "values": "values",
            "prior_state": "state",
            "resource_changes": "items",
            "resource_drift": "items",
            "configuration": "configuration",
            "variables": "entries",
        },
        "state": {"values": "values"},
        "values": {"root_module": "module"},
        "module": {"resources": "items", "child_modules": "modules"},
        "entries": {},
        "configuration": {"provider_config": "entries", "root_module": "config_module"},
        "config_module": {"resources": "items", "module_calls": "calls"},
        "calls": {"*": "call"},
        "call": {"module": "config_module"},
    },
    arrays={"items": "", "modules": "module"},
)

_VERSION = re.compile(r"^(\d+)\.(\d+)$")


class TfDocument:
    """One plan or state: its data, and where each part of it is written."""

    def __init__(self, file: str, data: dict[str, Any], positions: Positions) -> None:
        self.file = file
        self.data = data
        self.positions = positions
        self.format_version: str = data["format_version"]
        version = data.get("terraform_version")
        self.terraform_version: str | None = version if isinstance(version, str) else None
        self.kind = "plan" if "planned_values" in data or "resource_changes" in data else "state"

    def mark(self, path: JsonPath = ()) -> Mark:
        """Where ``path`` is written: the key of an object member, else the value."""
        return self.positions.mark(path)

    def value_mark(self, path: JsonPath) -> Mark:
        return self.positions.value_mark(path)

    def marks(self, paths: Sequence[JsonPath]) -> list[Mark]:
        """The value marks of many paths at once (each recorded while parsing)."""
        values = self.positions.values
        return self.positions.offsets([values.get(p, 0) for p in paths])

    def error(self, path: JsonPath, message: str) -> InfraError:
        return InfraError(f"{dotted(path)}: {message}", self.mark(path))

    # -- the parts steer reads (checked by read_tf_json) --------------------------------
    def value_resources(self, section: JsonPath) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
        """Every resource of a values tree (``planned_values``, ``values`` or
        ``prior_state.values``), child modules included, with its path."""
        values = _get(self.data, section)
        if not isinstance(values, dict) or not isinstance(values.get("root_module"), dict):
            return
        stack: list[tuple[JsonPath, dict[str, Any]]] = [
            ((*section, "root_module"), values["root_module"])
        ]
        while stack:  # the module tree can be deep: no recursion
            path, module = stack.pop()
            for i, resource in enumerate(module.get("resources") or ()):
                yield (*path, "resources", i), resource
            children = module.get("child_modules") or ()
            stack.extend(((*path, "child_modules", i), m) for i, m in enumerate(children))

    def resource_changes(self) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
        for i, change in enumerate(self.data.get("resource_changes") or ()):
            yield ("resource_changes", i), change

    def config_modules(self) -> Iterator[tuple[tuple[str, ...], JsonPath, dict[str, Any]]]:
        """Every module of ``configuration``: the names of its module calls from the
        root (``("crm", "inner")`` for ``module.crm.module.inner``), path, module."""
        config = self.data.get("configuration")
        if not isinstance(config, dict) or not isinstance(config.get("root_module"), dict):
            return
        stack: list[tuple[tuple[str, ...], JsonPath, dict[str, Any]]] = [
            ((), ("configuration", "root_module"), config["root_module"])
        ]
        while stack:
            names, path, module = stack.pop()
            yield names, path, module
            for name, call in sorted((module.get("module_calls") or {}).items()):
                if isinstance(call.get("module"), dict):
                    stack.append(
                        ((*names, name), (*path, "module_calls", name, "module"), call["module"])
                    )

    def provider_configs(self) -> dict[str, dict[str, Any]]:
        config = self.data.get("configuration")
        if not isinstance(config, dict):
            return {}
        return dict(config.get("provider_config") or {})

    def variables(self) -> dict[str, Any]:
        """The root module's input variables, as the plan resolved them."""
        return {
            name: entry["value"]
            for name, entry in (self.data.get("variables") or {}).items()
            if "value" in entry
        }


def read_tf_json(path: Path, display: str | None = None) -> TfDocument:
    """Read and check one plan or state file."""
    name = display or str(path)
    refuse_special(path, name, f"a file with {WHAT}", InfraError)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InfraError(f"no such file; expected {WHAT}", file=name) from None
    except IsADirectoryError:
        raise InfraError(f"is a directory; expected a file with {WHAT}", file=name) from None
    except OSError as exc:
        raise InfraError(f"cannot read: {exc.strerror}", file=name) from None
    return parse_tf_json(raw, name)


def parse_tf_json(raw: bytes, name: str) -> TfDocument:
    """Check the bytes of one plan or state; see :func:`read_tf_json`."""
    if raw.startswith(b"PK\x03\x04"):  # `terraform plan -out` writes a zip archive
        raise InfraError(
            "this is a binary plan file (as `terraform plan -out` writes it); expected "
            f"{WHAT}: run `terraform show -json PLANFILE > plan.json` and pass plan.json",
            Mark(name, 1, 1),
        )
    text = decode(raw, name, InfraError, WHAT)
    try:
        data, positions = parse(text, name, GRAMMAR, InfraError, WHAT)
    except InfraError as exc:
        raise _explain_log(text, name) or exc from None
    if not isinstance(data, dict):
        raise InfraError(f"(document): got {describe(data)}; expected {WHAT}", positions.at(0))
    _check_version(data, positions)
    doc = TfDocument(name, data, positions)
    check_structure(doc)
    return doc


def _explain_log(text: str, name: str) -> InfraError | None:
    """`terraform plan -json` prints a log, one JSON object a line: say what it is."""
    first = text.lstrip().split("\n", 1)[0]
    try:
        entry = json.loads(first)
    except (json.JSONDecodeError, RecursionError):
        return None
    if isinstance(entry, dict) and "@level" in entry and "@message" in entry:
        return InfraError(
            "this is the log of `terraform plan -json` (one JSON message a line); expected "
            f"{WHAT}: run `terraform plan -out=plan.tfplan`, then "
            "`terraform show -json plan.tfplan > plan.json`",
            Mark(name, 1, 1),
        )
    return None


def _check_version(data: dict[str, Any], positions: Positions) -> None:
    """The format version comes first: nothing else can be judged without it."""
    if "format_version" not in data:
        if "@level" in data and "@message" in data:
            problem = (
                "this is the log of `terraform plan -json`; expected "
                f"{WHAT}: run `terraform plan -out=plan.tfplan`, then "
                "`terraform show -json plan.tfplan > plan.json`"
            )
        elif isinstance(data.get("version"), int) and "lineage" in data:
            problem = (
                f"this is a raw state file (state version {data['version']}, as Terraform "
                "stores it); expected the JSON of `terraform show -json`: run "
                "`terraform show -json > state.json` where the state is"
            )
        else:
            problem = f"(document): missing 'format_version'; expected {WHAT}"
        raise InfraError(problem, positions.at(0))
    version = data["format_version"]
    where = positions.value_mark(("format_version",))
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        raise InfraError(
            f'format_version: got {describe(version)}; expected a version such as "1.2" '
            "(MAJOR.MINOR, as terraform show -json prints it)",
            where,
        )
    major = int(match.group(1))
    if major == SUPPORTED_MAJOR:
        return
    if major == 0:
        why = (
            "the format of Terraform 0.12 to 1.0, before the format was declared stable; "
            "expected format_version 1.x: run `terraform show -json` with Terraform 1.1 or "
            "later, or OpenTofu"
        )
    else:
        why = (
            f"a newer major version than steer reads; expected format_version "
            f"{SUPPORTED_MAJOR}.x (Terraform 1.1 or later, OpenTofu)"
        )
    raise InfraError(f"format_version {version!r} is not supported: {why}", where)


def _get(data: Any, path: JsonPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data
