"""``steer rules`` and ``steer explain``: the packs' guardrails described; for the
guardrail that decides each crossing's mechanism, the decision table of every regime
(:mod:`steer.commands.decision_table`), and for ``explain`` steer's own STEER-IAC
checks of ``--terraform``."""

from __future__ import annotations

import difflib
import io
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from steer.checks.context import regimes_of
from steer.checks.infrastructure import RULES as INFRA_RULE_INFO
from steer.checks.infrastructure import SEVERITY as INFRA_SEVERITY
from steer.checks.registry import compile_all
from steer.commands.common import wrap
from steer.commands.decision_table import applies, decision_tables
from steer.errors import UsageError
from steer.packs.loader import load_packs
from steer.packs.model import Guardrail, PackSet
from steer.results.own_rules import OWN_RULES
from steer.results.rules import RuleInfo
from steer.vocab import DEFAULT_PACKS, INFRA_RULES, visible

AUTHORITY_TEXT = {
    "law": "a duty a statute, regulation or standard imposes: waiving it is a breach",
    "policy": "the organisation's own guardrail, stricter than the law: waiving it is a "
    "business decision",
}


def packs_named(names: tuple[str, ...]) -> PackSet:
    """The packs of ``--pack`` (default: the built-in ones), their checks compiled so
    that a broken guardrail is reported here too."""
    packset = load_packs(list(names) or list(DEFAULT_PACKS))
    compile_all(packset)
    return packset


def list_rules(packs: tuple[str, ...], fmt: str, color: bool) -> str:
    packset = packs_named(packs)
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

    table = Table(show_lines=False, expand=False)
    columns = ("id", "status", "enforcement", "severity", "kind", "title")
    for column in columns:
        table.add_column(column.title(), no_wrap=column != "title")
    for row in rows:
        # a pack's text is shown, never obeyed: no control characters, no rich markup
        table.add_row(*(escape(visible(str(row[c]))) for c in columns))
    buffer = io.StringIO()
    width = None if color else 160
    Console(file=buffer, force_terminal=color, no_color=not color, width=width).print(table)
    return buffer.getvalue()


def find_rule(packset: PackSet, rule_id: str) -> Guardrail:
    guardrail = packset.by_id.get(rule_id) or packset.by_id.get(rule_id.upper())
    if guardrail is None:
        close = difflib.get_close_matches(rule_id.upper(), list(packset.by_id), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; expected an id that steer rules lists"
        raise UsageError(f"no guardrail '{rule_id}' in the loaded packs{hint}")
    return guardrail


def explain_rule(rule_id: str, packs: tuple[str, ...]) -> str:
    if rule_id.upper() in INFRA_RULES:
        return _explain_infra(rule_id.upper())
    if rule_id.upper() in OWN_RULES:
        own = OWN_RULES[rule_id.upper()]
        return _explain_own(own.info, own.findings, own.runs)
    packset = packs_named(packs)
    g = find_rule(packset, rule_id)
    out = [
        f"{g.id}: {g.title}",
        "",
        f"  category:    {g.category}",
        f"  authority:   {g.authority} ({AUTHORITY_TEXT[g.authority]})",
        f"  status:      {g.status}",
        f"  enforcement: {g.enforcement} (findings are {_levels(g.enforcement)})",
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
    out += ["", "Parameters (override in policy.parameters; regimes change some)"]
    if not params:  # said outright, so nobody looks for a knob that is not there
        out.append("  none: this guardrail has no parameters")
    for name, default, regimes in params:
        line = f"  - {name} = {_json(default)}"
        if regimes:
            line += " (" + ", ".join(f"{r}: {_json(v)}" for r, v in regimes) + ")"
        out.append(line)
        out.append(wrap(packset.parameters[name].description, indent=6))
    if packset.regime_specs and applies(g):
        out += ["", *decision_tables(regimes_of(packset))]
    examples = _fixtures(g, packset)
    if examples:
        out += ["", "Examples (fixtures)", *[f"  - {e}" for e in examples]]
    return visible("\n".join(out), keep="\n") + "\n"  # a pack's text shown, never obeyed


def _explain_infra(rule_id: str) -> str:
    """One of steer's own checks of ``steer check --terraform`` (no pack, no kind)."""
    info = INFRA_RULE_INFO[rule_id]
    levels = sorted(
        (level, severity) for (rule, level), severity in INFRA_SEVERITY.items() if rule == rule_id
    )
    shown = ", ".join(f"{level} ({severity})" for level, severity in levels)
    runs = "steer check --terraform FILE (plans and states of terraform show -json)"
    return _explain_own(info, shown, runs)


def _explain_own(info: RuleInfo, shown: str, runs: str) -> str:
    """One of steer's own checks (STEER-*: no pack, no kind)."""
    out = [
        f"{info.id}: {info.title}",
        "",
        f"  category:    {info.category}",
        f"  status:      {info.status}",
        f"  authority:   {info.authority}",
        f"  findings:    {shown}",
        f"  runs with:   {runs}",
        "",
        "Why",
        wrap(info.rationale),
        "",
        "How to fix",
        wrap(info.remediation),
    ]
    if info.sources:
        out += ["", "Sources", *[f"  - {s}" for s in info.sources]]
    return "\n".join(out) + "\n"


def _levels(enforcement: str) -> str:
    return "errors" if enforcement == "blocking" else "warnings"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _parameters_used(
    g: Guardrail, packset: PackSet
) -> list[tuple[str, Any, list[tuple[str, Any]]]]:
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


def _shown(path: Path) -> str:
    """A fixture as the user can open it: relative to the current folder when inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _fixtures(g: Guardrail, packset: PackSet) -> list[str]:
    for pack in packset.packs:
        if pack.id == g.pack and pack.fixtures is not None:
            folder = pack.fixtures / g.id
            if folder.is_dir():
                files = sorted(folder.glob("*.yaml"))
                return [_shown(p) for p in files if p.name != "expected.yaml"]
    return []
