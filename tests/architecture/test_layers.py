"""The package's layers point one way: each module imports only modules of the layers
below its own (or of its own folder), and the import graph has no cycle, type-only
imports included. Imports are read with ``ast`` from the source, so an import inside
a function or under ``TYPE_CHECKING`` counts like any other."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "checker" / "steer"

LAYERS = (
    ("steer", "steer.errors", "steer.vocab"),  # shared leaves (the package root: its version)
    ("steer.loading",),  # bytes -> positioned documents; schema validation; which files
    ("steer.packs",),  # pack model, loader, cache, pack-file schemas
    ("steer.manifest",),  # the manifest model, its schema, scenarios, --set, merge patches
    ("steer.results",),  # findings, waivers, baselines, what-if comparison
    ("steer.analysis",),  # data-flow graph, lineage, transfer law, mainland calendar
    ("steer.checks",),  # run context, predicates, templates, check kinds and registry
    ("steer.engine",),  # runs the selected guardrails over one manifest
    ("steer.reporters",),  # one registry, one interface: check, whatif, graph formats
    ("steer.commands",),  # one module per subcommand
    ("steer.cli",),  # argument parsing and the entry point
    ("steer.__main__",),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    best = -1
    best_len = -1
    for level, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                if prefix == "steer" and module != "steer":
                    continue  # the root entry covers the package's __init__ only
                best, best_len = level, len(prefix)
    assert best >= 0, f"{module} is in no layer: add its folder to LAYERS"
    return best


def imports(path: Path, me: str | None = None) -> list[tuple[str, int, bool]]:
    """(imported steer module, line, at module top) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    for node in tree.body:  # imports under `if TYPE_CHECKING:` count as top-level
        if isinstance(node, ast.If):
            top.update(id(n) for n in node.body)
    me = me or module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # `from steer.x import y` imports steer.x.y when y is a module
            names = []
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                is_module = (PACKAGE.parent / Path(*sub.split("."))).with_suffix(
                    ".py"
                ).is_file() or (PACKAGE.parent / Path(*sub.split(".")) / "__init__.py").is_file()
                names.append(sub if is_module else module)
        else:
            continue
        for name in names:
            if name == "steer" or name.startswith("steer."):
                out.append((name, node.lineno, id(node) in top))
    return out


FILES = sorted(PACKAGE.rglob("*.py"))


def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in FILES:
        me = module_name(path)
        g.add_node(me)
        for name, _line, _top in imports(path):
            if name != me:
                g.add_edge(me, name)
    return g


def test_every_module_is_in_a_layer() -> None:
    for path in FILES:
        layer_of(module_name(path))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    me = module_name(path)
    mine = layer_of(me)
    for name, line, _top in imports(path):
        theirs = layer_of(name)
        assert theirs <= mine, (
            f"{path.relative_to(PACKAGE)}:{line}: {me} (layer {LAYERS[mine][0]}) imports "
            f"{name} from the layer above ({LAYERS[theirs][0]})"
        )


def test_no_import_cycle() -> None:
    cycles = list(nx.simple_cycles(graph()))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join([*c, c[0]]) for c in cycles)


def test_imports_of_steer_are_at_module_top() -> None:
    """Lazy imports hide the dependency graph; the command line's one lazy import (for
    ``--help`` speed) goes through ``importlib`` in one function, by name."""
    inner = [
        f"{path.relative_to(PACKAGE)}:{line}: {name}"
        for path in FILES
        for name, line, top in imports(path)
        if not top
    ]
    assert not inner, "imports inside functions: " + ", ".join(inner)


def names_imported_by_name(path: Path) -> list[tuple[str, int]]:
    """Modules a file imports by name (``import_module``): every string literal that
    names a module of the package, with its line (registries keep their modules so)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("steer.")
            and all(part.isidentifier() for part in node.value.split("."))
        ):
            target = PACKAGE.parent / Path(*node.value.split("."))
            if target.with_suffix(".py").is_file() or (target / "__init__.py").is_file():
                out.append((node.value, node.lineno))
    return out


BY_NAME = {"steer.reporters", "steer.engine", "steer.cli.lazy"}
"""The modules allowed to import by name, each for a reason in its docstring: the
reporter registry and the engine's architecture builder (a format's cost only when
it is asked for), the command line's one lazy import (``--help`` speed)."""


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_by_name_point_down_too(path: Path) -> None:
    me = module_name(path)
    named = names_imported_by_name(path)
    if not named:
        return
    assert me in BY_NAME, f"{me} imports {named[0][0]} by name; only {sorted(BY_NAME)} may"
    for name, line in named:
        assert layer_of(name) <= layer_of(me), (
            f"{path.relative_to(PACKAGE)}:{line}: {me} imports {name} by name, from a layer above"
        )


def test_the_layer_test_sees_a_violation(tmp_path: Path) -> None:
    """The reader above finds imports in functions and under TYPE_CHECKING."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from steer.engine import Settings\n"
        "def f():\n    from steer.errors import Mark\n"
        "from ..results import findings\n",
        encoding="utf-8",
    )
    found = {(name, top) for name, _line, top in imports(probe, "steer.loading.probe")}
    assert found == {
        ("steer.engine", True),
        ("steer.errors", False),
        ("steer.results.findings", True),
    }
    assert layer_of("steer.engine") > layer_of("steer.loading.probe")
