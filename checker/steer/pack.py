"""Guardrail packs: folders of YAML guardrails, catalogs, a data-category taxonomy,
named parameters and regimes. Everything here is data; every file is validated
against its schema when loaded, and a broken pack is an error with its line.

A pack folder holds::

    pack.yaml          id, name, categories, default regime, fixtures folder, uses
    parameters.yaml    named parameters (schema, default) and regimes
    taxonomy.yaml      data categories and what each implies
    catalog/*.yaml     catalogs (providers and regions, CDNs, services, ...)
    rules/*.yaml       one guardrail a file
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from . import vocab
from .errors import Mark, PackError
from .schema import DIALECT, Schema
from .source import Document, load_file
from .validate import validate

BUILTIN_PACKS = ("cn",)


def builtin_root() -> Path:
    """Where the built-in packs live: inside the wheel, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "_packs"
    if installed.is_dir():
        return installed
    return here.parent.parent / "guardrails"


# -- schemas of pack files --------------------------------------------------------
def _obj(props: Schema, required: tuple[str, ...] = (), extra: bool = False) -> Schema:
    out: Schema = {"type": "object", "properties": props, "additionalProperties": extra}
    if required:
        out["required"] = list(required)
    return out


_TEXT: Schema = {"type": "string"}
_STRINGS: Schema = {"type": "array", "items": {"type": "string"}}

PACK_SCHEMA = _obj(
    {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
        "name": _TEXT,
        "description": _TEXT,
        "prefix": {"type": "string", "pattern": "^[A-Z][A-Z0-9]*$"},
        "categories": _STRINGS,
        "default_regime": _TEXT,
        "fixtures": _TEXT,
        "uses": _STRINGS,
        "version": _TEXT,
    },
    ("id", "name", "categories"),
)

PARAMETERS_SCHEMA = _obj(
    {
        "parameters": {
            "type": "object",
            "additionalProperties": _obj(
                {
                    "description": _TEXT,
                    "schema": {"type": "object"},
                    "default": {},
                    "source": _TEXT,
                },
                ("description", "schema", "default"),
            ),
        },
        "regimes": {
            "type": "object",
            # The regime's dates, articles and exemptions are checked in full by
            # steer.analysis.regimes.load_regimes (one source of those rules).
            "additionalProperties": _obj(
                {
                    "description": _TEXT,
                    "sources": _STRINGS,
                    "parameters": {"type": "object"},
                    "instrument": _TEXT,
                    "legal_basis": _TEXT,
                    "in_force_from": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "in_force_until": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "articles": {"type": "object", "additionalProperties": _TEXT},
                    "exemptions": {"type": "object", "additionalProperties": {"type": "object"}},
                },
                ("description", "parameters"),
            ),
        },
        "default_regime": _TEXT,
    }
)

TAXONOMY_SCHEMA = _obj(
    {
        "categories": {
            "type": "object",
            "propertyNames": {"pattern": vocab.ID_PATTERN},
            "additionalProperties": _obj(
                {
                    "description": _TEXT,
                    "source": _TEXT,
                    "implies": _STRINGS,
                    "implies_when": {
                        "type": "array",
                        "items": _obj(
                            {"parameter": _TEXT, "implies": _STRINGS}, ("parameter", "implies")
                        ),
                    },
                },
                ("description",),
            ),
        }
    },
    ("categories",),
)

CATALOG_SCHEMA: Schema = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {"type": ["object", "string"]},
    },
}


@lru_cache(maxsize=1)
def guardrail_schema() -> Schema:
    """The schema of one guardrail file, with each check kind's parameters."""
    from .kinds import REGISTRY

    checks = []
    for name, kind in sorted(REGISTRY.items()):
        params = dict(kind.SCHEMA)
        props = dict(params.get("properties", {}))
        props["kind"] = {"const": name}
        params["properties"] = props
        params["required"] = ["kind", *params.get("required", [])]
        checks.append({"if": {"properties": {"kind": {"const": name}}}, "then": params})
    from .predicates import PREDICATE_SCHEMA

    return {
        "$schema": DIALECT,
        "$id": "https://steer.dev/schema/guardrail-1.json",
        "$defs": PREDICATE_SCHEMA["$defs"],
        "title": "steer guardrail",
        **_obj(
            {
                "id": {"type": "string", "pattern": vocab.RULE_ID_PATTERN},
                "title": _TEXT,
                "category": _TEXT,
                "status": {"enum": list(vocab.STATUSES), "x-vocabulary": "requirement status"},
                "enforcement": {"enum": list(vocab.ENFORCEMENTS), "x-vocabulary": "enforcement"},
                "severity": {"enum": list(vocab.SEVERITIES), "x-vocabulary": "severity"},
                "sources": {"type": "array", "items": _TEXT, "minItems": 1},
                "rationale": _TEXT,
                "remediation": _TEXT,
                "message": _TEXT,
                "parameters": _STRINGS,
                "check": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {
                        "kind": {"enum": sorted(REGISTRY), "x-vocabulary": "check kind"}
                    },
                    "allOf": checks,
                },
            },
            (
                "id",
                "title",
                "category",
                "status",
                "severity",
                "sources",
                "rationale",
                "remediation",
                "message",
                "check",
            ),
        ),
    }


# -- the model -----------------------------------------------------------------------
@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    schema: Schema
    default: Any
    pack: str


@dataclass
class Guardrail:
    id: str
    title: str
    category: str
    status: str
    enforcement: str
    severity: str
    sources: tuple[str, ...]
    rationale: str
    remediation: str
    message: str
    check: dict[str, Any]
    parameters: tuple[str, ...]
    pack: str
    file: Path
    doc: Document = field(repr=False)
    compiled: Any = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        return str(self.check["kind"])

    def mark(self, *path: str | int) -> Mark:
        return self.doc.mark(path)


@dataclass
class Pack:
    id: str
    name: str
    root: Path
    description: str
    categories: tuple[str, ...]
    default_regime: str | None
    fixtures: Path | None
    uses: tuple[str, ...]
    guardrails: list[Guardrail]
    parameters: dict[str, Parameter]
    regimes: dict[str, dict[str, Any]]
    regime_docs: dict[str, str]
    taxonomy: dict[str, dict[str, Any]]
    catalogs: dict[str, dict[str, Any]]


@dataclass
class PackSet:
    """The packs of one run, merged: catalogs, taxonomy and parameters are shared."""

    packs: list[Pack]

    @cached_property
    def guardrails(self) -> list[Guardrail]:
        return [g for p in self.packs for g in p.guardrails]

    @cached_property
    def by_id(self) -> dict[str, Guardrail]:
        return {g.id: g for g in self.guardrails}

    @cached_property
    def taxonomy(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in self._closure():
            out.update(p.taxonomy)
        return out

    @cached_property
    def catalogs(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in self._closure():
            for name, entries in p.catalogs.items():
                out.setdefault(name, {}).update(entries)
        return out

    @cached_property
    def parameters(self) -> dict[str, Parameter]:
        out: dict[str, Parameter] = {}
        for p in self._closure():
            out.update(p.parameters)
        return out

    @cached_property
    def regimes(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in self._closure():
            out.update(p.regimes)
        return out

    @cached_property
    def regime_docs(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in self._closure():
            out.update(p.regime_docs)
        return out

    @property
    def default_regime(self) -> str | None:
        for p in self._closure():
            if p.default_regime:
                return p.default_regime
        return None

    def _closure(self) -> list[Pack]:
        """Used packs first, so the packs named later extend and override them."""
        seen: dict[str, Pack] = {}

        def visit(pack: Pack) -> None:
            if pack.id in seen:
                return
            for used in pack.uses:
                visit(load_pack(used))
            seen[pack.id] = pack

        for p in self.packs:
            visit(p)
        return list(seen.values())

    def select(self, patterns: list[str]) -> list[Guardrail]:
        return [g for g in self.guardrails if any(fnmatch.fnmatchcase(g.id, p) for p in patterns)]


# -- loading -------------------------------------------------------------------------
_CACHE: dict[Path, Pack] = {}


def resolve_pack(name: str, base: Path | None = None) -> Path:
    """A pack name (built-in) or a path to a pack folder."""
    if name in BUILTIN_PACKS and not Path(name).is_dir():
        return builtin_root() / name
    path = Path(name) if base is None or Path(name).is_absolute() else base / name
    if not path.is_dir():
        if base is not None and Path(name).is_dir():
            return Path(name).resolve()
        builtin = ", ".join(BUILTIN_PACKS)
        raise PackError(
            f"no such guardrail pack '{name}': expected a built-in pack ({builtin}) "
            "or a folder holding pack.yaml"
        )
    return path.resolve()


def load_packs(names: list[str], base: Path | None = None) -> PackSet:
    packs = [load_pack(n, base) for n in names]
    ids: dict[str, Guardrail] = {}
    for pack in packs:
        for g in pack.guardrails:
            if g.id in ids and ids[g.id] is not g:
                raise PackError(
                    f"guardrail id {g.id} is defined twice (also in {ids[g.id].file})",
                    g.mark("id"),
                )
            ids[g.id] = g
    return PackSet(packs)


def load_pack(name: str, base: Path | None = None) -> Pack:
    root = resolve_pack(name, base)
    cached = _CACHE.get(root)
    if cached is not None:
        return cached
    pack = _read_pack(root)
    _CACHE[root] = pack
    return pack


def _err(message: str, mark: Mark | None) -> PackError:
    return PackError(message, mark)


def _read(path: Path, schema: Schema, key: str) -> Document:
    cached = _PRELOADED.get(path)
    if cached is not None:  # validated when it was cached
        return cached
    doc = _load(path)
    validate(doc, schema, key, _err)
    return doc


def _load(path: Path) -> Document:
    from .errors import InputError

    cached = _PRELOADED.get(path)
    if cached is not None:
        return cached
    try:
        doc = load_file(path, _display(path))
    except InputError as exc:
        raise PackError(exc.message, exc.mark, exc.file) from None
    _LOADED[path] = doc
    return doc


# -- a cache of validated pack files -------------------------------------------------
# Reading a pack is ~35 YAML files parsed and validated: a fifth of a pre-commit run on
# a small manifest. Once a pack has loaded cleanly, its files' data and top-level key
# positions are cached (JSON, in the user's cache folder), keyed on every file's path,
# size and modification time and on steer's version; any change means a full read.
_PRELOADED: dict[Path, Document] = {}
_LOADED: dict[Path, Document] = {}


def _pack_files(root: Path) -> list[Path]:
    files = [
        root / n for n in ("pack.yaml", "parameters.yaml", "taxonomy.yaml") if (root / n).is_file()
    ]
    for sub in ("catalog", "rules"):
        files.extend(sorted((root / sub).glob("*.yaml")))
    return files


def _cache_path(root: Path) -> Path | None:
    import hashlib
    import os

    if os.environ.get("STEER_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return Path(base) / "steer" / f"pack-{digest}.json"


def _signature(root: Path, files: list[Path]) -> list[Any]:
    from . import __version__

    out: list[Any] = [__version__]
    for f in files:
        st = f.stat()
        out.append([str(f.relative_to(root)), st.st_mtime_ns, st.st_size])
    return out


def _cache_load(root: Path) -> list[Any] | None:
    """Preload a pack's files from the cache if it is current; return the signature."""
    import json

    path = _cache_path(root)
    if path is None:
        return None
    try:
        files = _pack_files(root)
        sig = _signature(root, files)
        if not path.is_file():
            return sig
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached.get("signature") != sig:
            return sig
        for rel, (data, marks) in cached["files"].items():
            file = root / rel
            doc = Document(_display(file), data, None)
            doc._marks = {tuple(k): (v[0], v[1]) for k, v in marks}
            _PRELOADED[file] = doc
    except (OSError, ValueError, KeyError, TypeError):
        _PRELOADED.clear()
        return None
    return sig


def _cache_store(root: Path, sig: list[Any] | None) -> None:
    import json
    import os
    import tempfile

    path = _cache_path(root)
    if path is None or sig is None or any(f in _PRELOADED for f in _pack_files(root)):
        return
    try:
        entries = {}
        for file in _pack_files(root):
            doc = _LOADED.get(file)
            if doc is None:
                return
            doc.compact(1)
            marks = [[list(k), list(v)] for k, v in (doc._marks or {}).items()]
            entries[str(file.relative_to(root))] = [doc.data, marks]
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"signature": sig, "files": entries}, handle, ensure_ascii=False)
        Path(tmp).replace(path)
    except (OSError, ValueError, TypeError):
        return  # a cache that cannot be written is only a slower run


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_pack(root: Path) -> Pack:
    sig = _cache_load(root)
    try:
        pack = _read_pack_files(root)
    except PackError:
        raise
    finally:
        for f in _pack_files(root) if root.is_dir() else []:
            _PRELOADED.pop(f, None)
    _cache_store(root, sig)
    for f in list(_LOADED):
        if f.is_relative_to(root):
            del _LOADED[f]
    return pack


def _read_pack_files(root: Path) -> Pack:
    meta_path = root / "pack.yaml"
    if not meta_path.is_file():
        raise PackError(f"{_display(root)} is not a guardrail pack: it has no pack.yaml")
    meta = _read(meta_path, PACK_SCHEMA, "pack").data
    pack_id = meta["id"]

    parameters: dict[str, Parameter] = {}
    regimes: dict[str, dict[str, Any]] = {}
    regime_docs: dict[str, str] = {}
    default_regime = meta.get("default_regime")
    params_path = root / "parameters.yaml"
    if params_path.is_file():
        pdoc = _read(params_path, PARAMETERS_SCHEMA, "parameters")
        for name, spec in pdoc.data.get("parameters", {}).items():
            parameters[name] = Parameter(
                name, spec["description"], spec["schema"], spec["default"], pack_id
            )
            _check_value(
                pdoc, ("parameters", name, "default"), spec["default"], spec["schema"], name
            )
        for name, spec in pdoc.data.get("regimes", {}).items():
            regime_docs[name] = spec["description"]
            regimes[name] = spec["parameters"]
        default_regime = default_regime or pdoc.data.get("default_regime")

    taxonomy: dict[str, dict[str, Any]] = {}
    tax_path = root / "taxonomy.yaml"
    if tax_path.is_file():
        taxonomy = _read(tax_path, TAXONOMY_SCHEMA, "taxonomy").data["categories"]

    catalogs: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "catalog").glob("*.yaml")):
        cdoc = _read(path, CATALOG_SCHEMA, "catalog")
        for name, entries in cdoc.data.items():
            if name in catalogs:
                raise PackError(f"catalog '{name}' is defined twice", cdoc.mark((name,)))
            catalogs[name] = entries

    fixtures = meta.get("fixtures")
    pack = Pack(
        id=pack_id,
        name=meta["name"],
        root=root,
        description=meta.get("description", ""),
        categories=tuple(meta["categories"]),
        default_regime=default_regime,
        fixtures=(root / fixtures).resolve() if fixtures else root / "fixtures",
        uses=tuple(meta.get("uses", [])),
        guardrails=[],
        parameters=parameters,
        regimes=regimes,
        regime_docs=regime_docs,
        taxonomy=taxonomy,
        catalogs=catalogs,
    )
    for name, overrides in regimes.items():  # regimes come from parameters.yaml (pdoc)
        for key, value in overrides.items():
            if key not in parameters:
                raise PackError(
                    f"regime {name} sets unknown parameter '{key}'",
                    pdoc.mark(("regimes", name, "parameters", key)),
                )
            _check_value(
                pdoc, ("regimes", name, "parameters", key), value, parameters[key].schema, key
            )
    _check_taxonomy(pack, tax_path)
    pack.guardrails = [
        _read_guardrail(path, pack) for path in sorted((root / "rules").glob("*.yaml"))
    ]
    return pack


def _check_value(
    doc: Document, path: tuple[str, ...], value: Any, schema: Schema, name: str
) -> None:
    from .validate import is_valid

    if not is_valid(schema, value, f"param:{name}"):
        raise PackError(
            f"parameter '{name}' value {value!r} does not fit its schema {schema}", doc.mark(path)
        )


def _check_taxonomy(pack: Pack, path: Path) -> None:
    if not pack.taxonomy:
        return
    known = set(pack.taxonomy)
    for cat, spec in pack.taxonomy.items():
        for target in spec.get("implies", []):
            if target not in known:
                raise PackError(
                    f"category {cat} implies unknown category '{target}'",
                    _load(path).mark(("categories", cat, "implies")),
                )


def _read_guardrail(path: Path, pack: Pack) -> Guardrail:
    from .kinds import REGISTRY
    from .predicates import PredicateError

    doc = _read(path, guardrail_schema(), "guardrail")
    data = doc.data
    if data["category"] not in pack.categories:
        raise PackError(
            f"unknown guardrail category '{data['category']}'; pack {pack.id} declares: "
            + ", ".join(pack.categories),
            doc.mark(("category",)),
        )
    status = data["status"]
    enforcement = data.get("enforcement") or ("blocking" if status == "confirmed" else "advisory")
    g = Guardrail(
        id=data["id"],
        title=data["title"],
        category=data["category"],
        status=status,
        enforcement=enforcement,
        severity=data["severity"],
        sources=tuple(data["sources"]),
        rationale=data["rationale"].strip(),
        remediation=data["remediation"].strip(),
        message=data["message"].strip(),
        check=data["check"],
        parameters=tuple(data.get("parameters", [])),
        pack=pack.id,
        file=path,
        doc=doc,
    )
    try:
        g.compiled = REGISTRY[g.kind].compile(g.check, PackSet([pack]).parameters)
    except PredicateError as exc:
        raise PackError(exc.message, doc.mark(("check", *exc.path))) from None
    return g
