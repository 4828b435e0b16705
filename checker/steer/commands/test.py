"""``steer test [PACK_DIR]``: a pack's policy unit tests, as ``kyverno test`` and
``cfn-guard test`` run theirs.

Each guardrail has a folder ``<fixtures>/<RULE-ID>/`` holding manifests and an
``expected.yaml``::

    as_of: 2026-11-26            # the date the cases are judged at
    cases:
      pass.yaml: []              # no finding of this rule
      fail.yaml:                 # exactly these findings (path and level optional)
        - {target: components.crm, line: 12}
        - {target: flows.export, line: 40, path: [db, api, crm], level: warning}

Only the guardrail under test runs on its fixtures. A guardrail needs at least one
case that passes and one that fails; every manifest in the folder needs a case.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from steer.checks.registry import compile_all
from steer.engine import Settings, check_patterns, run, selected
from steer.errors import PackError, SteerError
from steer.loading.parse import load_file
from steer.loading.validate import date_problem, validate
from steer.manifest.load import load_manifest
from steer.packs.loader import load_packs, resolve_pack
from steer.packs.model import Guardrail
from steer.vocab import plural

_EXPECTED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "as_of": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "description": {"type": "string"},
        "cases": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "target": {"type": "string"},
                        "line": {"type": "integer", "minimum": 1},
                        "path": {"type": "array", "items": {"type": "string"}},
                        "level": {"enum": ["error", "warning"]},
                        "message": {"type": "string"},
                    },
                    "required": ["target", "line"],
                    "additionalProperties": False,
                },
            },
        },
    },
    "required": ["as_of", "cases"],
    "additionalProperties": False,
}


def _check_as_of(doc: Any) -> None:
    """A fixture's as_of: a real date, in the range steer judges."""
    problem = date_problem(doc.data["as_of"])
    if problem is not None:
        raise PackError(f"as_of: {problem}", doc.value_mark(("as_of",)))


@dataclass(frozen=True)
class CaseResult:
    rule: str
    case: str
    ok: bool
    detail: str


def run_cases(pack_dir: str, select: tuple[str, ...] = ()) -> list[CaseResult]:
    """Run every fixture of a pack; one result a case (and one a missing case)."""

    root = resolve_pack(pack_dir)
    packset = load_packs([str(root)])
    compile_all(packset)  # a broken guardrail is the pack's error (exit 2), fixtures or not
    check_patterns(packset, select, "--select")  # an unknown id tests nothing: exit 2
    pack = packset.packs[0]
    chosen = selected(packset, select, ())
    if not chosen:
        raise PackError(
            f"pack {pack.id} holds no guardrail, so there is nothing to test; expected "
            "guardrails in rules/*.yaml",
            file=_rel(pack.root),
        )
    fixtures = pack.fixtures
    results: list[CaseResult] = []
    for g in chosen:
        folder = fixtures / g.id if fixtures else None
        expected_path = folder / "expected.yaml" if folder else None
        if expected_path is None or not expected_path.is_file():
            results.append(CaseResult(g.id, "-", False, f"no fixtures: expected {expected_path}"))
            continue
        doc = load_file(expected_path, _rel(expected_path))
        validate(doc, _EXPECTED_SCHEMA, "fixture-expected", lambda m, k: PackError(m, k))
        spec = doc.data
        _check_as_of(doc)
        cases: dict[str, list[dict[str, Any]]] = spec["cases"]
        listed = set(cases)
        for path in sorted(folder.glob("*.yaml")):  # type: ignore[union-attr]
            if path.name != "expected.yaml" and path.name not in listed:
                results.append(
                    CaseResult(g.id, path.name, False, "manifest has no entry in expected.yaml")
                )
        if not any(not v for v in cases.values()) or not any(cases.values()):
            results.append(
                CaseResult(g.id, "-", False, "needs at least one passing and one failing fixture")
            )
        for name, want in sorted(cases.items()):
            manifest_path = folder / name  # type: ignore[operator]
            try:
                manifest = load_manifest(manifest_path, _rel(manifest_path), [str(root)])
                report = run(manifest, Settings(as_of=spec["as_of"], select=(g.id,)))
            except SteerError as exc:
                results.append(CaseResult(g.id, name, False, f"could not run: {exc}"))
                continue
            results.append(_compare(g, name, want, [f for f in report.findings if f.rule == g.id]))
    return results


def _compare(g: Guardrail, name: str, want: list[dict[str, Any]], got: list[Any]) -> CaseResult:
    def key(target: str, line: int) -> tuple[str, int]:
        return (target, line)

    remaining = list(got)
    missing = []
    for w in want:
        match = next(
            (
                f
                for f in remaining
                if key(f.target, f.location.line) == key(w["target"], w["line"])
                and ("path" not in w or list(f.path or ()) == w["path"])
                and ("level" not in w or f.level == w["level"])
                and ("message" not in w or w["message"] in f.message)
            ),
            None,
        )
        if match is None:
            missing.append(w)
        else:
            remaining.remove(match)
    if not missing and not remaining:
        what = "passes" if not want else f"fails as expected ({plural(len(want), 'finding')})"
        return CaseResult(g.id, name, True, what)
    lines = []
    for w in missing:
        lines.append(
            f"expected {w['target']} at line {w['line']}"
            + (f" path {w['path']}" if "path" in w else "")
        )
    for f in remaining:
        lines.append(f"unexpected {f.target} at line {f.location.line}: {f.message}")
    return CaseResult(g.id, name, False, "; ".join(lines))


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run_pack_tests(pack_dir: str, select: tuple[str, ...], color: bool) -> int:

    results = run_cases(pack_dir, select)
    table = Table(title=f"steer test {pack_dir}", title_justify="left")
    for column in ("Rule", "Case", "Result", "Detail"):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(r.rule, r.case, "pass" if r.ok else "FAIL", r.detail)
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=None if color else 140
    )
    console.print(table)
    passed = sum(r.ok for r in results)
    failed = len(results) - passed
    console.print(f"{passed} passed, {failed} failed")
    sys.stdout.write(buffer.getvalue())
    return 1 if failed else 0
