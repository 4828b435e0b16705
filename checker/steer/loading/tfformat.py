"""The format of ``terraform show -json``, part by part: the types steer relies on.

Each part (a resource, a change, a module) is first checked in one expression, since
a plan has thousands of them; only a part that fails is checked again field by
field, to raise an :class:`~steer.errors.InfraError` that names the field, at its
position: ``resource_changes[3].change.actions: got the string "create"; expected a
list``.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from steer.errors import InfraError, Mark
from steer.loading.jsonpos import JsonPath


class TfDocument(Protocol):
    """What the checks need of a :class:`~steer.loading.tfjson.TfDocument`: its data,
    where a value is written, and a located error (a protocol, so that ``tfjson`` can
    import this module without a cycle)."""

    @property
    def data(self) -> dict[str, Any]: ...

    def value_mark(self, path: JsonPath) -> Mark: ...

    def error(self, path: JsonPath, message: str) -> InfraError: ...


_MODES = ("managed", "data")
_NULL = type(None)


def check_structure(doc: TfDocument) -> None:
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
        raise doc.error(path, f"got {describe(resource)}; expected a resource object")
    for key in ("address", "type", "name", "provider_name"):
        _want(doc, resource, path, key, str)
    if resource.get("mode") not in _MODES:
        where = (*path, "mode")
        expected = 'expected "managed" or "data"'
        if "mode" not in resource:
            raise doc.error(where, f"missing; {expected}")
        raise InfraError(
            f"{dotted(where)}: got {describe(resource['mode'])}; {expected}", doc.value_mark(where)
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
                raise doc.error(where, f"got {describe(resource)}; expected a resource object")
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
            f"{dotted(path)}: got {describe(value)}; expected {_expected(kinds)}",
            doc.value_mark(path),
        )
    return value


def _expected(kinds: type | tuple[type, ...]) -> str:
    wanted = kinds if isinstance(kinds, tuple) else (kinds,)
    names = [_NAMES.get(k, "null") for k in wanted]
    return " or ".join(names)


def describe(value: Any) -> str:
    """How a value reads in a message: ``the string "x"``, ``a list``, ``null``."""
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
