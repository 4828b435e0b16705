"""``steer rules``, ``steer explain`` and ``steer schema``: the packs described."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from .errors import UsageError
from .pack import Guardrail, PackSet, load_packs


def _packs(names: tuple[str, ...]) -> PackSet:
    return load_packs(list(names) or ["cn"])


def list_rules(packs: tuple[str, ...], fmt: str, color: bool) -> str:
    packset = _packs(packs)
    rows = [
        {
            "id": g.id,
            "title": g.title,
            "category": g.category,
            "status": g.status,
            "enforcement": g.enforcement,
            "severity": g.severity,
            "kind": g.kind,
            "pack": g.pack,
        }
        for g in sorted(packset.guardrails, key=lambda g: g.id)
    ]
    if fmt == "json":
        return json.dumps({"rules": rows}, indent=2, ensure_ascii=False) + "\n"
    import io

    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, expand=False)
    for column in ("id", "status", "enforcement", "severity", "kind", "title"):
        table.add_column(column.title(), no_wrap=column != "title")
    for row in rows:
        table.add_row(*(str(row[c]) for c in ("id", "status", "enforcement", "severity", "kind", "title")))
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=color, no_color=not color, width=None if color else 160).print(table)
    return buffer.getvalue()


def find_rule(packset: PackSet, rule_id: str) -> Guardrail:
    guardrail = packset.by_id.get(rule_id) or packset.by_id.get(rule_id.upper())
    if guardrail is None:
        import difflib

        close = difflib.get_close_matches(rule_id.upper(), list(packset.by_id), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; see steer rules"
        raise UsageError(f"no guardrail '{rule_id}' in the loaded packs{hint}")
    return guardrail


def explain_rule(rule_id: str, packs: tuple[str, ...]) -> str:
    packset = _packs(packs)
    g = find_rule(packset, rule_id)
    wrap = lambda text: textwrap.fill(" ".join(text.split()), width=88, initial_indent="  ", subsequent_indent="  ")  # noqa: E731
    out = [
        f"{g.id}: {g.title}",
        "",
        f"  category:    {g.category}",
        f"  status:      {g.status}",
        f"  enforcement: {g.enforcement} (findings are {'errors' if g.enforcement == 'blocking' else 'warnings'})",
        f"  severity:    {g.severity}",
        f"  check kind:  {g.kind}",
        f"  pack:        {g.pack} ({g.file.name})",
        "",
        "Why",
        wrap(g.rationale),
        "",
        "How to fix",
        wrap(g.remediation),
        "",
        "Sources",
        *[f"  - {s}" for s in g.sources],
    ]
    params = _parameters_used(g, packset)
    if params:
        out += ["", "Parameters (override in policy.parameters; regimes change some)"]
        for name, default, regimes in params:
            line = f"  - {name} = {json.dumps(default, ensure_ascii=False)}"
            if regimes:
                line += " (" + ", ".join(f"{r}: {json.dumps(v, ensure_ascii=False)}" for r, v in regimes) + ")"
            out.append(line)
            out.append(wrap("    " + packset.parameters[name].description).replace("  ", "      ", 1))
    examples = _fixtures(g, packset)
    if examples:
        out += ["", "Examples (fixtures)", *[f"  - {e}" for e in examples]]
    return "\n".join(out) + "\n"


def _parameters_used(g: Guardrail, packset: PackSet) -> list[tuple[str, Any, list[tuple[str, Any]]]]:
    names = list(g.parameters)
    text = json.dumps(g.check) + g.message
    for name in packset.parameters:
        if name not in names and (f'"param": "{name}"' in text or "{param." + name in text):
            names.append(name)
    out = []
    for name in names:
        param = packset.parameters.get(name)
        if param is None:
            continue
        regimes = [(r, v[name]) for r, v in sorted(packset.regimes.items()) if name in v]
        out.append((name, param.default, regimes))
    return out


def _fixtures(g: Guardrail, packset: PackSet) -> list[str]:
    for pack in packset.packs:
        if pack.id == g.pack and pack.fixtures is not None:
            folder = pack.fixtures / g.id
            if folder.is_dir():
                return [str(p) for p in sorted(folder.glob("*.yaml")) if p.name != "expected.yaml"]
    return []


def print_schema(which: str, packs: tuple[str, ...]) -> str:
    from .pack import guardrail_schema
    from .schema import manifest_schema, scenario_schema

    if which == "manifest":
        schema = manifest_schema(list(_packs(packs).taxonomy))
    elif which == "guardrail":
        schema = guardrail_schema()
    else:
        schema = scenario_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
