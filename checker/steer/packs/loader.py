"""Reading guardrail packs: folders of YAML guardrails, catalogs, a data-category
taxonomy, named parameters and regimes. Everything here is data; every file is
validated against its schema (:mod:`steer.packs.schemas`) when loaded, and a broken
pack is an error with its line. The check kinds compile each guardrail's ``check``
afterwards (:mod:`steer.checks.registry`).

A pack folder holds::

    pack.yaml          id, name, categories, home, default regime, fixtures folder, uses
    parameters.yaml    named parameters (schema, default) and regimes
    taxonomy.yaml      data categories and what each implies
    catalog/*.yaml     catalogs (providers and regions, CDNs, services, ...)
    rules/*.yaml       one guardrail a file
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from steer.errors import InputError, Mark, PackError
from steer.loading.document import Document
from steer.loading.parse import load_file
from steer.loading.validate import Schema, is_valid, validate
from steer.packs.cache import PackCache
from steer.packs.model import Guardrail, Pack, PackSet, Parameter
from steer.packs.regex import RegexError, compile_regex, escape
from steer.packs.schemas import (
    CATALOG_SCHEMA,
    GUARDRAIL_SCHEMA,
    PACK_SCHEMA,
    PARAMETERS_SCHEMA,
    TAXONOMY_SCHEMA,
)
from steer.vocab import BUILTIN_PACKS


def builtin_root() -> Path:
    """Where the built-in packs live: inside the wheel, or at the top of a checkout."""
    here = Path(__file__).resolve().parent.parent  # the steer package
    installed = here / "_packs"
    if installed.is_dir():
        return installed
    return here.parent.parent / "guardrails"


MAX_USES = 32  # packs building on packs: a real chain is two or three deep

# Packs read in this process, by folder: a run may name the same pack many times.
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


def load_pack(name: str, base: Path | None = None, _using: tuple[Path, ...] = ()) -> Pack:
    root = resolve_pack(name, base)
    cached = _CACHE.get(root)
    if cached is not None:
        return cached
    pack = _Reader(root, _using).read()
    _CACHE[root] = pack
    return pack


def _err(message: str, mark: Mark | None) -> PackError:
    return PackError(message, mark)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):  # elsewhere, or the working folder is gone
        return str(path)


class _StaleCache(Exception):
    """A document read back from the disk cache does not fit its schema."""


class _Reader:
    """One pack folder read: its files through the disk cache, in order."""

    def __init__(self, root: Path, using: tuple[Path, ...]) -> None:
        self.root = root
        self.using = using  # the packs whose `uses` led here (to report a cycle)
        self.cache = PackCache(root, _display)

    def read(self) -> Pack:
        try:
            try:
                pack = self._read_files()
            except _StaleCache:  # the cache held a document its schema refuses
                self.cache.discard()
                pack = self._read_files()
        finally:
            if not self.root.is_dir():
                self.cache.preloaded.clear()
        self.cache.store()
        return pack

    def doc(self, path: Path, schema: Schema, key: str) -> Document:
        cached = self.cache.preloaded.get(path)
        if cached is not None:  # validated when it was cached; checked again (cheap)
            if not is_valid(schema, cached.data, key):
                raise _StaleCache(path)
            return cached
        doc = self.load(path)
        validate(doc, schema, key, _err)
        return doc

    def load(self, path: Path) -> Document:
        cached = self.cache.preloaded.get(path)
        if cached is not None:
            return cached
        try:
            doc = load_file(path, _display(path))
        except InputError as exc:
            raise PackError(exc.message, exc.mark, exc.file) from None
        self.cache.loaded[path] = doc
        return doc

    def _read_files(self) -> Pack:
        root = self.root
        meta_path = root / "pack.yaml"
        if not meta_path.is_file():
            raise PackError(f"{_display(root)} is not a guardrail pack: it has no pack.yaml")
        meta = self.doc(meta_path, PACK_SCHEMA, "pack").data
        pack_id = meta["id"]
        _check_parts(root, meta.get("fixtures"))

        parameters: dict[str, Parameter] = {}
        regimes: dict[str, dict[str, Any]] = {}
        regime_docs: dict[str, str] = {}
        regime_specs: dict[str, dict[str, Any]] = {}
        default_regime = meta.get("default_regime")
        params_path = root / "parameters.yaml"
        if params_path.is_file():
            pdoc = self.doc(params_path, PARAMETERS_SCHEMA, "parameters")
            for name, spec in pdoc.data.get("parameters", {}).items():
                parameters[name] = Parameter(
                    name,
                    spec["description"],
                    spec["schema"],
                    spec["default"],
                    pack_id,
                    " ".join(str(spec.get("source", "")).split()),
                )
                _check_value(
                    pdoc, ("parameters", name, "default"), spec["default"], spec["schema"], name
                )
            for name, spec in pdoc.data.get("regimes", {}).items():
                regime_docs[name] = spec["description"]
                regimes[name] = spec["parameters"]
                regime_specs[name] = spec
            default_regime = default_regime or pdoc.data.get("default_regime")

        taxonomy: dict[str, dict[str, Any]] = {}
        tax_path = root / "taxonomy.yaml"
        if tax_path.is_file():
            taxonomy = self.doc(tax_path, TAXONOMY_SCHEMA, "taxonomy").data["categories"]

        catalogs: dict[str, dict[str, Any]] = {}
        for path in sorted((root / "catalog").glob("*.yaml")):
            cdoc = self.doc(path, CATALOG_SCHEMA, "catalog")
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
            uses=self._uses(meta, meta_path),
            guardrails=[],
            parameters=parameters,
            regimes=regimes,
            regime_docs=regime_docs,
            regime_specs=regime_specs,
            taxonomy=taxonomy,
            catalogs=catalogs,
            home=meta.get("home"),
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
        _check_taxonomy(pack, lambda: self.load(tax_path))
        self._check_patterns(pack)
        rules = root / "rules"
        if rules.exists() and not rules.is_dir():
            raise PackError(
                f"{_display(root)} is not a guardrail pack: its rules/ is not a folder; "
                "expected a folder rules/ holding one guardrail a file (rules/*.yaml)",
                file=_display(meta_path),
            )
        # No rules/ at all is a pack of catalogs (or parameters) that others build on;
        # a run whose packs hold no guardrail is refused (steer.engine), never a pass.
        pack.guardrails = [
            _read_guardrail(self.doc(path, GUARDRAIL_SCHEMA, "guardrail"), path, pack)
            for path in sorted(rules.glob("*.yaml"))
        ]
        return pack

    def _check_patterns(self, pack: Pack) -> None:
        """Every named pattern compiles for linear-time matching, and each ``{set:NAME}``
        names a catalog (of this pack or one it uses): a typo must not match nothing."""
        own = pack.catalogs.get("patterns")
        if not own:
            return
        catalogs = PackSet([pack]).catalogs
        for name, spec in own.items():
            text = str(spec["regex"]) if isinstance(spec, dict) else str(spec)
            for set_name in _SET.findall(text):
                if set_name not in catalogs:
                    known = ", ".join(sorted(c for c in catalogs if c != "patterns"))
                    raise PackError(
                        f"patterns.{name}.regex: {{set:{set_name}}} names no catalog; "
                        f"expected one of: {known}",
                        self._pattern_mark(pack, name),
                    )
            try:
                compile_regex(expand_pattern(text, catalogs))
            except RegexError as exc:
                raise PackError(
                    f"patterns.{name}.regex: {exc}", self._pattern_mark(pack, name)
                ) from None

    def _pattern_mark(self, pack: Pack, name: str) -> Mark | None:
        """Where a named pattern's regex is written (read afresh: a cached document
        keeps only its top-level keys' positions)."""
        for path in sorted((pack.root / "catalog").glob("*.yaml")):
            try:
                doc = load_file(path, _display(path))
            except InputError:
                continue
            if isinstance(doc.data, dict) and name in doc.data.get("patterns", {}):
                return doc.value_mark(("patterns", name, "regex"))
        return None

    def _uses(self, meta: dict[str, Any], meta_path: Path) -> tuple[Pack, ...]:
        """The packs this one builds on, loaded (relative to this pack, else as named)."""
        out = []
        chain = (*self.using, self.root)
        for i, name in enumerate(meta.get("uses", [])):
            try:
                root = resolve_pack(name, self.root)
            except PackError as exc:
                raise PackError(
                    f"uses[{i}]: {exc.message}", _exact_mark(meta_path, ("uses", i))
                ) from None
            if root in chain:
                cycle = " → ".join(_display(p) for p in (*chain[chain.index(root) :], root))
                raise PackError(
                    f"uses[{i}]: pack {_display(root)} uses itself: {cycle}; expected packs "
                    "that build on others without a cycle",
                    _exact_mark(meta_path, ("uses", i)),
                )
            if len(chain) >= MAX_USES:
                raise PackError(
                    f"uses[{i}]: packs build on packs more than {MAX_USES} deep "
                    f"({' → '.join(_display(p) for p in chain[:3])} → …); expected a "
                    "shallower chain of uses",
                    _exact_mark(meta_path, ("uses", i)),
                )
            out.append(load_pack(str(root), None, chain))
        return tuple(out)


_SET = re.compile(r"\{set:([A-Za-z0-9_-]+)\}")


def expand_pattern(text: str, catalogs: Mapping[str, Mapping[str, Any]]) -> str:
    """A named pattern's regex with each ``{set:NAME}`` replaced by the keys of catalog
    NAME as alternatives, longest first (so that ``沪`` does not shadow a longer key)."""

    def alternatives(match: re.Match[str]) -> str:
        keys = sorted(catalogs.get(match.group(1), {}), key=len, reverse=True)
        return "(?:" + "|".join(escape(str(k)) for k in keys) + ")"

    return _SET.sub(alternatives, text)


# The parts of a pack folder. A file or folder named like one of them but not quite
# (rule/, catalogs/, parameter.yaml, rules/x.yml) would be skipped without a word, and
# its guardrails or parameters with it: a silent pass. So it is refused.
_PARTS = ("pack.yaml", "parameters.yaml", "taxonomy.yaml", "rules", "catalog", "fixtures")


def _check_parts(root: Path, fixtures: str | None) -> None:
    known = set(_PARTS) | ({fixtures.strip("/")} if fixtures else set())
    stems = {part.removesuffix(".yaml"): part for part in _PARTS}
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name in known or entry.name.startswith("."):
            continue
        stem = entry.name.removesuffix(".yaml").removesuffix(".yml")
        near = difflib.get_close_matches(stem, list(stems), 1, 0.75)
        if near:
            part = stems[near[0]]
            raise PackError(
                "not a part of a guardrail pack, so steer would skip it; did you mean "
                f"{part if part.endswith('.yaml') else part + '/'}? expected pack.yaml, "
                "parameters.yaml, taxonomy.yaml, rules/, catalog/ and fixtures/",
                file=_display(entry),
            )
    for folder in ("rules", "catalog"):
        if (root / folder).is_dir():
            for entry in sorted((root / folder).glob("*.yml")):
                raise PackError(
                    f"steer reads {folder}/*.yaml, so it would skip this file; expected the "
                    f"name {entry.stem}.yaml",
                    file=_display(entry),
                )


def _exact_mark(path: Path, at: tuple[str | int, ...]) -> Mark | None:
    """Where ``at`` is written in ``path``, read afresh: a cached document keeps only
    its top-level keys' positions, and an error deserves the line of its entry."""
    try:
        return load_file(path, _display(path)).value_mark(at)
    except InputError:
        return None


def _check_value(
    doc: Document, path: tuple[str, ...], value: Any, schema: Schema, name: str
) -> None:
    if not is_valid(schema, value, f"param:{name}"):
        raise PackError(
            f"parameter '{name}' value {value!r} does not fit its schema {schema}", doc.mark(path)
        )


def _check_taxonomy(pack: Pack, doc: Any) -> None:
    if not pack.taxonomy:
        return
    known = set(pack.taxonomy)
    for cat, spec in pack.taxonomy.items():
        for target in spec.get("implies", []):
            if target not in known:
                raise PackError(
                    f"category {cat} implies unknown category '{target}'",
                    doc().mark(("categories", cat, "implies")),
                )


def _read_guardrail(doc: Document, path: Path, pack: Pack) -> Guardrail:
    data = doc.data
    if data["category"] not in pack.categories:
        raise PackError(
            f"unknown guardrail category '{data['category']}'; pack {pack.id} declares: "
            + ", ".join(pack.categories),
            doc.mark(("category",)),
        )
    status = data["status"]
    enforcement = data.get("enforcement") or ("blocking" if status == "confirmed" else "advisory")
    return Guardrail(
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
        authority=data.get("authority", "policy"),
    )
