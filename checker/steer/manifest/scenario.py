"""What-if scenarios: named RFC 7396 merge patches over a manifest.

A scenario file (cli.md) holds ``name``, ``question``, ``description``, an optional
``as_of`` and a ``patch``; it is validated against :func:`steer.schema.scenario_schema`
with located errors. ``--set PATH=VALUE`` flags are turned into the same kind of
patch. Applying patches never touches the inputs: the result is a new
:class:`PatchedDocument` that goes through the normal manifest pipeline
(:func:`steer.manifest.build_manifest`), so a patched manifest is held to exactly
the rules a written one is.

Merge patch: :mod:`steer.mergepatch` (RFC 7396, the ``json-merge-patch`` library
on fresh copies). ``--set``: :mod:`steer.assign`.

Locations. A :class:`PatchedDocument` answers ``mark(path)`` from the patch that
*set* the value at ``path`` (or at an ancestor of it) - an element or value the
patch adds, replaces or removes - and from the manifest for everything else, so a
finding about a component the manifest declares keeps the manifest's line even
when the scenario moves it, and one about a component the scenario adds points at
the scenario's line. ``--set`` values have no file: an error they cause names the
flag, and a finding about an element only a ``--set`` adds points at the nearest
part of the manifest that exists.

Errors. A patch that makes the manifest invalid is a :class:`ScenarioError` at the
patch entry responsible: the entry that set the offending value; else the ``null``
that removed something the error names (a flow left pointing at a removed
component); else the scenario's ``patch`` key. The message carries the manifest's
own error, with its manifest location when it has one. For ``--set`` it is a usage
error naming the flag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steer import vocab
from steer.errors import InputError, Mark, ScenarioError, SteerError, UsageError
from steer.loading.document import Document, JsonPath
from steer.loading.parse import load_file
from steer.loading.validate import SchemaErrors, validate
from steer.manifest.assign import assignment_patch
from steer.manifest.load import build_manifest, load_manifest
from steer.manifest.mergepatch import diff_patch, merge_patch
from steer.manifest.model import Manifest
from steer.manifest.schema import scenario_schema

_MISSING = object()

__all__ = [
    "Layer",
    "PatchedDocument",
    "Scenario",
    "apply",
    "apply_layers",
    "diff_patch",
    "load_base",
    "load_scenario",
    "merge_patch",
    "set_layer",
]


# -- located patched documents -------------------------------------------------------
@dataclass(frozen=True)
class Layer:
    """One patch applied over a manifest: a scenario's, or one ``--set``'s."""

    label: str  # "scenario 'q3'" or "--set PATH=VALUE"
    patch: dict[str, Any]
    doc: Document | None = None  # the scenario file; None for --set
    prefix: JsonPath = ("patch",)  # where the patch sits in ``doc``
    flag: str | None = None  # the --set text, for usage errors

    def mark(self, path: JsonPath, value: bool = False) -> Mark:
        if self.doc is None:
            return Mark(self.label, 1, 1)
        full = (*self.prefix, *path)
        return self.doc.value_mark(full) if value else self.doc.mark(full)

    def node(self, path: JsonPath) -> Any:
        return None if self.doc is None else self.doc.node((*self.prefix, *path))


def sets_path(patch: Any, before: Any, path: JsonPath) -> bool:
    """Whether ``patch``, applied over ``before``, set the value at ``path`` or an
    ancestor of it (added, replaced or removed it) rather than merged into it."""
    node, target = patch, before
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
        child = target.get(part, _MISSING) if isinstance(target, dict) else _MISSING
        if not isinstance(node, dict) or not isinstance(child, dict):
            return True
        target = child
    return False


class PatchedDocument(Document):
    """A manifest document with patches applied, located per :func:`sets_path`."""

    def __init__(self, base: Document, layers: Sequence[Layer]) -> None:
        states = [base.data]
        for layer in layers:
            states.append(merge_patch(states[-1], layer.patch))
        super().__init__(base.file, states[-1], None)
        self.base = base
        self.layers = tuple(layers)
        self._before = tuple(states[:-1])
        self.valid = False  # set once validated: findings then need real files

    def _located(self, path: JsonPath) -> Layer | None:
        """The layer to locate ``path`` in; None for the manifest. A ``--set`` has no
        file: its errors name the flag, but findings (SARIF, GitHub annotations need
        a real file) point at the nearest part of the manifest that exists."""
        layer = self.origin(path)
        if layer is not None and layer.doc is None and self.valid:
            return None
        return layer

    def origin(self, path: JsonPath) -> Layer | None:
        """The last layer that set ``path`` or an ancestor of it, if any did."""
        for layer, before in zip(reversed(self.layers), reversed(self._before), strict=True):
            if sets_path(layer.patch, before, path):
                return layer
        return None

    def mark(self, path: JsonPath = ()) -> Mark:
        layer = self._located(path)
        return self.base.mark(path) if layer is None else layer.mark(path)

    def value_mark(self, path: JsonPath) -> Mark:
        layer = self._located(path)
        return self.base.value_mark(path) if layer is None else layer.mark(path, value=True)

    def node(self, path: JsonPath) -> Any:
        layer = self._located(path)
        return self.base.node(path) if layer is None else layer.node(path)


# -- scenario files --------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    name: str
    patch: dict[str, Any]
    file: str
    doc: Document = field(repr=False)
    question: str | None = None
    description: str | None = None
    as_of: str | None = None

    @property
    def layer(self) -> Layer:
        return Layer(f"scenario '{self.name}'", self.patch, self.doc)


def _scenario_error(message: str, mark: Mark | None) -> ScenarioError:
    return ScenarioError(message, mark)


def load_scenario(path: Path, display: str | None = None) -> Scenario:
    """Read and validate a scenario file; located :class:`ScenarioError` otherwise."""

    name = display or path.as_posix()
    try:
        doc = load_file(path, name)
    except InputError as exc:  # unreadable or bad YAML: still a scenario problem
        raise ScenarioError(exc.message, exc.mark, exc.file) from None
    try:
        validate(doc, scenario_schema(), "scenario", _scenario_error)
    except SchemaErrors as exc:
        raise ScenarioErrors(exc.errors, exc.total, name) from None
    data = doc.data
    as_of = data.get("as_of")
    if as_of is not None:
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise ScenarioError(
                f"as_of: '{as_of}' is not a real date (expected YYYY-MM-DD)",
                doc.value_mark(("as_of",)),
            ) from None
        problem = vocab.out_of_range(as_of)
        if problem is not None:
            raise ScenarioError(f"as_of: {problem}", doc.value_mark(("as_of",)))
    return Scenario(
        name=data["name"],
        patch=data["patch"],
        file=name,
        doc=doc,
        question=data.get("question"),
        description=data.get("description"),
        as_of=as_of,
    )


def check_unique(scenarios: Sequence[Scenario]) -> None:
    """Scenario names identify them in reports and in ``--fail-on-scenario``."""
    seen: dict[str, Scenario] = {}
    for s in scenarios:
        first = seen.setdefault(s.name, s)
        if first is not s:
            raise ScenarioError(
                f"name: scenario '{s.name}' is also defined in {first.file}; names must be unique",
                s.doc.value_mark(("name",)),
            )


class ScenarioErrors(ScenarioError):
    """Several located scenario errors, best first (printed one a line)."""

    def __init__(self, errors: Sequence[SteerError], total: int, file: str | None = None) -> None:
        first = errors[0]
        super().__init__(first.message, first.mark, first.file or file)
        self.errors = list(errors)
        self.total = total

    def __str__(self) -> str:
        lines = [str(e) for e in self.errors]
        if self.total > 1:
            lines.append(
                f"{self.file}: {self.total} errors "
                f"(the first is the most relevant; {self.total - 1} more follow it)"
            )
        return "\n".join(lines)


def set_layer(data: Any, flag_value: str) -> Layer:
    """One ``--set PATH=VALUE`` over ``data`` as a patch layer (see :mod:`steer.assign`)."""

    flag = f"--set {flag_value}"
    return Layer(flag, assignment_patch(data, flag_value), None, (), flag_value)


# -- applying --------------------------------------------------------------------------------
def load_base(
    path: Path, display: str, packs: list[str] | None = None
) -> tuple[Manifest, Document]:
    """The manifest, and its document with every position kept: a valid manifest's
    document keeps only element positions (``Document.compact``), but an error a
    patch causes can sit anywhere in the manifest and deserves its exact place."""

    doc = load_file(path, display)
    source = Document(doc.file, doc.data, doc.root)  # shares the node tree; never compacted
    return load_manifest(path, display, packs, doc=doc), source


def apply(
    manifest: Manifest,
    scenario: Scenario | None = None,
    assignments: Sequence[str] = (),
    packs: list[str] | None = None,
    base: Path | None = None,
    source: Document | None = None,
) -> Manifest:
    """``manifest`` with the scenario's patch and then each ``--set`` applied,
    validated as any manifest is. ``--set`` wins over the scenario file.
    ``source`` is the manifest's document with all positions (:func:`load_base`)."""
    layers: list[Layer] = [scenario.layer] if scenario is not None else []
    data = merge_patch(manifest.data, scenario.patch) if scenario is not None else manifest.data
    for value in assignments:
        layer = set_layer(data, value)
        layers.append(layer)
        data = merge_patch(data, layer.patch)
    return apply_layers(manifest, layers, packs, base, source)


def apply_layers(
    manifest: Manifest,
    layers: Sequence[Layer],
    packs: list[str] | None = None,
    base: Path | None = None,
    source: Document | None = None,
) -> Manifest:

    doc = PatchedDocument(source or manifest.doc, layers)
    try:
        patched = build_manifest(doc, packs, base=base)
    except SchemaErrors as exc:
        blamed = [_blame(e, doc) for e in exc.errors]
        if all(isinstance(e, ScenarioError) for e in blamed) and blamed:
            raise ScenarioErrors(blamed, exc.total) from None
        raise blamed[0] from None
    except SteerError as exc:
        raise _blame(exc, doc) from None
    doc.valid = True
    return patched


def _blame(error: SteerError, doc: PatchedDocument) -> SteerError:
    """The manifest error ``error`` (located by ``doc``) re-raised at the patch entry
    responsible for it."""
    file = error.mark.file if error.mark else None
    layer = next((la for la in doc.layers if la.mark(()).file == file), None)
    shown = error.message
    if layer is None or error.mark is None:  # in the manifest, or with no place at all
        layer, mark = _removal(error, doc)
        shown = str(error) if error.mark or error.file else error.message
    else:
        mark = error.mark
    if layer.flag is not None:
        return UsageError(f"--set {layer.flag}: makes the manifest invalid: {shown}")
    return ScenarioError(f"{layer.label} makes the manifest invalid: {shown}", mark)


def _removal(error: SteerError, doc: PatchedDocument) -> tuple[Layer, Mark]:
    """The ``null`` that removed what ``error`` names (``'telematics-store'``), else
    the last layer's ``patch`` key."""
    for layer in reversed(doc.layers):
        for path in _nulls(layer.patch, ()):
            if f"'{path[-1]}'" in error.message:
                return layer, layer.mark(path, value=True)
    if error.mark is None:  # only pack loading fails without a place: blame policy.packs
        packs = doc.origin(("policy", "packs"))
        if packs is not None:
            return packs, packs.mark(("policy", "packs"), value=True)
    layer = doc.layers[-1]
    where = layer.doc.mark(layer.prefix) if layer.doc is not None else layer.mark(())
    return layer, where


def _nulls(patch: Any, at: JsonPath) -> Iterator[JsonPath]:
    if isinstance(patch, dict):
        for key, value in patch.items():
            if value is None:
                yield (*at, key)
            else:
                yield from _nulls(value, (*at, key))
