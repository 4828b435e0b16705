"""The engine: runs the selected guardrails through their check kinds, applies
levels and waivers, and returns a :class:`~steer.findings.Report`."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import __version__
from .context import Context
from .errors import UsageError
from .findings import Finding, Hit, Report
from .kinds import REGISTRY
from .manifest import Manifest
from .pack import Guardrail, PackSet


@dataclass(frozen=True)
class Settings:
    """What a run needs to know beyond the manifest."""

    as_of: str
    strict: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    packs: tuple[str, ...] = field(default_factory=tuple)


def check_patterns(packs: PackSet, patterns: Iterable[str], flag: str) -> None:
    """An exact id that no pack has is a usage error; a glob may match nothing."""
    for pattern in patterns:
        if any(ch in pattern for ch in "*?[") or pattern in packs.by_id:
            continue
        import difflib

        close = difflib.get_close_matches(pattern, list(packs.by_id), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise UsageError(f"{flag}: no guardrail '{pattern}' in the loaded packs{hint}")


def selected(packs: PackSet, select: Sequence[str], ignore: Sequence[str]) -> list[Guardrail]:
    rules = packs.guardrails
    if select:
        rules = [g for g in rules if any(fnmatch.fnmatchcase(g.id, p) for p in select)]
    if ignore:
        rules = [g for g in rules if not any(fnmatch.fnmatchcase(g.id, p) for p in ignore)]
    return rules


def level_of(guardrail: Guardrail, hit: Hit, strict: bool) -> str:
    if strict:
        return "error"
    if hit.level is not None:
        return hit.level
    return "error" if guardrail.enforcement == "blocking" else "warning"


def run(manifest: Manifest, settings: Settings) -> Report:
    packs = manifest.packs
    check_patterns(packs, settings.select, "--select")
    check_patterns(packs, settings.ignore, "--ignore")
    ctx = Context(manifest, settings.as_of)
    rules = selected(packs, settings.select, settings.ignore)
    findings: list[Finding] = []
    for guardrail in rules:
        kind = REGISTRY[guardrail.kind]
        for hit in kind.check(guardrail.compiled, guardrail, ctx):
            findings.append(
                Finding(
                    rule=guardrail.id,
                    title=guardrail.title,
                    severity=guardrail.severity,
                    status=guardrail.status,
                    level=level_of(guardrail, hit, settings.strict),
                    category=guardrail.category,
                    target=hit.target,
                    message=hit.message,
                    remediation=guardrail.remediation,
                    location=manifest.mark(hit.at),
                    path=hit.path,
                )
            )
    from .waivers import apply_waivers

    findings = apply_waivers(findings, manifest, settings, {g.id for g in rules})
    return Report(
        steer_version=__version__,
        manifest=manifest.file,
        as_of=settings.as_of,
        findings=tuple(sorted(_unique(findings), key=Finding.sort_key)),
        rules=tuple(g.id for g in rules),
        regime=manifest.regime,
        packs=tuple(p.id for p in packs.packs),
    )


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.target, f.path, f.location, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
