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

from ..errors import InfraError, Mark
from .jsonpos import Grammar, JsonPath, Positions, decode, parse

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
        raise InfraError(f"(document): got {_got(data)}; expected {WHAT}", positions.at(0))
    _check_version(data, positions)
    doc = TfDocument(name, data, positions)
    _check_structure(doc)
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
            f'format_version: got {_got(version)}; expected a version such as "1.2" '
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


# -- the types of the parts steer reads -------------------------------------------------
# Each part is first checked in one expression (thousands of resources: this is the
# hot loop); only a part that fails is checked again field by field, to say which.
_MODES = ("managed", "data")
_NULL = type(None)


def _check_structure(doc: TfDocument) -> None:
    data = doc.data
    _want(doc, data, (), "terraform_version", str, optional=True)
    for name in ("planned_values", "values"):
        _check_values(doc, data, (name,))
    prior = _want(doc, data, (), "prior_state", dict, optional=True)
    if prior is not None:
        _check_values(doc, prior, ("prior_state", "values"))
    for section in ("resource_changes", "resource_drift"):
        changes = _want(doc, data, (), section, list, optional=True) or ()
        for i, change in enumerate(changes):
            if not _change_ok(change):
                _explain_change(doc, change, (section, i))
    variables = _want(doc, data, (), "variables", dict, optional=True) or {}
    for name, entry in variables.items():
        if type(entry) is not dict:
            _want(doc, variables, ("variables",), name, dict)
    _check_configuration(doc, data)


def _resource_ok(r: Any) -> bool:
    if type(r) is not dict:
        return False
    get = r.get
    return (
        type(get("address")) is str
        and type(get("type")) is str
        and type(get("name")) is str
        and type(get("provider_name")) is str
        and get("mode") in _MODES
        and type(get("index", "")) in (str, int)
        and type(get("values", {})) is dict
    )


def _change_ok(c: Any) -> bool:
    if not _resource_ok(c):
        return False
    change = c.get("change")
    if type(change) is not dict or type(c.get("module_address", "")) is not str:
        return False
    actions = change.get("actions")
    return (
        type(actions) is list
        and all(type(a) is str for a in actions)
        and type(change.get("before")) in (dict, _NULL)
        and type(change.get("after")) in (dict, _NULL)
        and type(change.get("after_unknown", False)) in (dict, bool)
    )


def _explain_resource(doc: TfDocument, resource: Any, path: JsonPath) -> None:
    if not isinstance(resource, dict):
        raise doc.error(path, f"got {_got(resource)}; expected a resource object")
    for key in ("address", "type", "name", "provider_name"):
        _want(doc, resource, path, key, str)
    if resource.get("mode") not in _MODES:
        where = (*path, "mode")
        expected = 'expected "managed" or "data"'
        if "mode" not in resource:
            raise doc.error(where, f"missing; {expected}")
        raise InfraError(
            f"{dotted(where)}: got {_got(resource['mode'])}; {expected}", doc.value_mark(where)
        )
    _want(doc, resource, path, "index", (str, int), optional=True)
    _want(doc, resource, path, "values", dict, optional=True)


def _explain_change(doc: TfDocument, entry: Any, path: JsonPath) -> None:
    _explain_resource(doc, entry, path)
    _want(doc, entry, path, "module_address", str, optional=True)
    change = _want(doc, entry, path, "change", dict)
    where = (*path, "change")
    actions = _want(doc, change, where, "actions", list)
    for j in range(len(actions)):
        _want(doc, actions, (*where, "actions"), j, str)
    for key in ("before", "after"):
        _want(doc, change, where, key, (dict, _NULL), optional=True)
    _want(doc, change, where, "after_unknown", (dict, bool), optional=True)


def _check_values(doc: TfDocument, parent: dict[str, Any], section: JsonPath) -> None:
    values = _want(doc, parent, section[:-1], section[-1], dict, optional=True)
    if values is None:
        return
    root = _want(doc, values, section, "root_module", dict, optional=True)
    stack = [((*section, "root_module"), root)] if root is not None else []
    while stack:
        path, module = stack.pop()
        _want(doc, module, path, "address", str, optional=True)
        resources = _want(doc, module, path, "resources", list, optional=True) or ()
        for i, resource in enumerate(resources):
            if not _resource_ok(resource):
                _explain_resource(doc, resource, (*path, "resources", i))
        children = _want(doc, module, path, "child_modules", list, optional=True) or ()
        for i, child in enumerate(children):
            _want(doc, children, (*path, "child_modules"), i, dict)
            stack.append(((*path, "child_modules", i), child))


def _check_configuration(doc: TfDocument, data: dict[str, Any]) -> None:
    config = _want(doc, data, (), "configuration", dict, optional=True)
    if config is None:
        return
    base: JsonPath = ("configuration",)
    providers = _want(doc, config, base, "provider_config", dict, optional=True) or {}
    for key, entry in providers.items():
        path: JsonPath = (*base, "provider_config", key)
        _want(doc, providers, path[:-1], key, dict)
        for field in ("name", "full_name", "alias", "module_address"):
            _want(doc, entry, path, field, str, optional=True)
        _want(doc, entry, path, "expressions", dict, optional=True)
    root = _want(doc, config, base, "root_module", dict, optional=True)
    stack = [((*base, "root_module"), root)] if root is not None else []
    while stack:
        path, module = stack.pop()
        resources = _want(doc, module, path, "resources", list, optional=True) or ()
        for i, resource in enumerate(resources):
            where = (*path, "resources", i)
            if not isinstance(resource, dict):
                raise doc.error(where, f"got {_got(resource)}; expected a resource object")
            for key in ("address", "type", "name"):
                _want(doc, resource, where, key, str)
            _want(doc, resource, where, "provider_config_key", str, optional=True)
            _want(doc, resource, where, "expressions", dict, optional=True)
        calls = _want(doc, module, path, "module_calls", dict, optional=True) or {}
        for name, call in calls.items():
            where = (*path, "module_calls", name)
            _want(doc, calls, where[:-1], name, dict)
            _want(doc, call, where, "expressions", dict, optional=True)
            child = _want(doc, call, where, "module", dict, optional=True)
            if child is not None:
                stack.append(((*where, "module"), child))


_NAMES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "an integer",
    bool: "true or false",
}


def _want(
    doc: TfDocument,
    parent: Any,
    base: JsonPath,
    key: str | int,
    kinds: type | tuple[type, ...],
    optional: bool = False,
) -> Any:
    """``parent[key]`` (at ``base + (key,)``) if it is of one of ``kinds``; raise a
    located error if not, or if it is missing and not ``optional`` (then None)."""
    if isinstance(parent, dict):
        present = key in parent
    else:
        present = isinstance(key, int) and 0 <= key < len(parent)
    if not present:
        if optional:
            return None
        raise doc.error((*base, key), f"missing; expected {_expected(kinds)}")
    value = parent[key]
    wanted = kinds if isinstance(kinds, tuple) else (kinds,)
    # true and false are ints to Python, never to the format
    if (isinstance(value, bool) and bool not in wanted) or not isinstance(value, wanted):
        path = (*base, key)
        raise InfraError(
            f"{dotted(path)}: got {_got(value)}; expected {_expected(kinds)}",
            doc.value_mark(path),
        )
    return value


def _expected(kinds: type | tuple[type, ...]) -> str:
    wanted = kinds if isinstance(kinds, tuple) else (kinds,)
    names = [_NAMES.get(k, "null") for k in wanted]
    return " or ".join(names)


def _get(data: Any, path: JsonPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _got(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {json.dumps(value)}"
    return f"the number {value!r}"


def dotted(path: JsonPath) -> str:
    """``planned_values.root_module.resources[3].values`` for a JSON path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out or "(document)"
