"""The engine: runs the selected guardrails through their check kinds (and, with
``--terraform``, steer's STEER-IAC checks of :mod:`steer.checks.infrastructure`),
applies levels and waivers, and returns a :class:`~steer.findings.Report`.

With ``Settings(architecture=True)`` (``--format html``) the report also describes
the deployment (:mod:`steer.checks.architecture`). That builder is imported by name
when a run asks for it, as the reporters are: a JSON run in CI or a pre-commit hook
never pays for importing it (or the what-if results it reads readiness from)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from steer import __version__
from steer.analysis.decision import decision_changes
from steer.checks.catalog import catalog_findings
from steer.checks.context import Context, regimes_of
from steer.checks.registry import REGISTRY, compile_all
from steer.errors import Mark, PackError, UsageError
from steer.loading.document import JsonPath
from steer.manifest.model import Manifest
from steer.packs.model import Guardrail, PackSet
from steer.results.findings import Finding, Hit, Infrastructure, Report
from steer.results.own_rules import LINEAGE_RULE, REGIME_RULE, own_note
from steer.results.rules import RuleInfo
from steer.results.waivers import apply_waivers
from steer.vocab import INFRA_RULES

if TYPE_CHECKING:  # types only: these modules are imported by name (the module docstring)
    from steer.loading.tfjson import TfDocument
    from steer.results.architecture import Architecture

ARCHITECTURE = "steer.checks.architecture"
INFRASTRUCTURE = "steer.checks.infrastructure"
"""Imported by name when a run has --terraform: reading plans (a JSON reader with
positions, the Terraform catalog, region resolution) costs a run without it nothing."""


@dataclass(frozen=True)
class Settings:
    """What a run needs to know beyond the manifest."""

    as_of: str
    strict: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    packs: tuple[str, ...] = field(default_factory=tuple)
    # --terraform: the plans and states the manifests are compared with (read once a
    # run); none: the STEER-IAC checks do not run
    infrastructure: tuple[TfDocument, ...] = ()  # read by read_infrastructure
    # also describe the deployment (Report.architecture) for the reports that draw it
    # (--format html); other formats never pay for it
    architecture: bool = False
    # where a configuration file sets select / ignore (None: the command line, or not
    # set): an error in them is the file's, at the key's line, never "--select"
    select_from: Mark | None = None
    ignore_from: Mark | None = None


def check_patterns(
    packs: PackSet, patterns: Iterable[str], flag: str, origin: Mark | None = None
) -> None:
    """Every id or glob of ``--select`` must name a guardrail of the packs (or one of
    steer's STEER-IAC checks), in any case: a typo must not switch every check off. An
    exact ``--ignore`` id must too; an ``--ignore`` glob may match nothing (it switches
    nothing off). ``origin``: where a configuration file sets them (its key, not the
    flag, is then to blame)."""
    known = [*packs.by_id, *INFRA_RULES]
    where = _setting(flag, origin)
    for pattern in patterns:
        want = pattern.upper()
        if want in packs.by_id or want in INFRA_RULES:
            continue
        glob = any(ch in pattern for ch in "*?[")
        if glob:
            if flag == "--ignore" or any(fnmatch.fnmatchcase(r, want) for r in known):
                continue
            raise UsageError(
                f"{where}: '{pattern}' matches no guardrail in the loaded packs "
                f"({', '.join(p.id for p in packs.packs)}); expected an id or a glob that "
                "matches one (see steer rules)",
                origin,
            )
        close = difflib.get_close_matches(want, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise UsageError(f"{where}: no guardrail '{pattern}' in the loaded packs{hint}", origin)


def _setting(flag: str, origin: Mark | None) -> str:
    """How a message names a selection: the flag, or the configuration's key."""
    return flag.lstrip("-") if origin is not None else flag


def chosen(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Whether --select and --ignore leave the guardrail or steer check ``rule_id``
    (ids and globs in any case: guardrail ids are upper case)."""
    if select and not any(fnmatch.fnmatchcase(rule_id, p.upper()) for p in select):
        return False
    return not any(fnmatch.fnmatchcase(rule_id, p.upper()) for p in ignore)


def selected(packs: PackSet, select: Sequence[str], ignore: Sequence[str]) -> list[Guardrail]:
    return [g for g in packs.guardrails if chosen(g.id, select, ignore)]


def level_of(guardrail: Guardrail, hit: Hit, strict: bool) -> str:
    if strict:
        return "error"
    if hit.level is not None:
        return hit.level
    return "error" if guardrail.enforcement == "blocking" else "warning"


def read_infrastructure(files: Sequence[Path], names: Sequence[str]) -> tuple[TfDocument, ...]:
    """The plans and states of --terraform (``terraform show -json``), each read once
    (a file named twice too), named as reports name manifests; a broken one is a
    located error (exit 2)."""
    if not files:
        return ()
    read = import_module(INFRASTRUCTURE).read_plans
    documents: tuple[TfDocument, ...] = read(files, names)
    return documents


def run(manifest: Manifest, settings: Settings) -> Report:
    return evaluate(manifest, settings)[0]


def evaluate(manifest: Manifest, settings: Settings) -> tuple[Report, Context]:
    """Run the guardrails; return the report and the context it was judged in."""
    packs = manifest.packs
    check_patterns(packs, settings.select, "--select", settings.select_from)
    check_patterns(packs, settings.ignore, "--ignore", settings.ignore_from)
    ctx = Context(manifest, settings.as_of)
    rules = selected(packs, settings.select, settings.ignore)
    compiled = compile_all(packs)
    findings: list[Finding] = []
    marks: dict[Any, Any] = {}  # component -> its mark; path -> the marks of its components
    located: dict[JsonPath, Mark] = {}  # several guardrails judge the same flow
    for guardrail in rules:
        kind = REGISTRY[guardrail.kind]
        for hit in kind.check(compiled[guardrail.id], guardrail, ctx):
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
                    location=_mark(manifest, hit.at, located),
                    path=hit.path,
                    path_locations=_path_marks(manifest, hit.path, marks),
                    authority=hit.authority or guardrail.authority,
                )
            )
    findings.extend(catalog_findings(manifest, packs.catalogs))  # never deselected
    findings.extend(_lineage_notes(ctx, manifest))
    findings.extend(_regime_notes(ctx, manifest))
    infra_rules: list[str] = []
    infrastructure: Infrastructure | None = None
    infra_info: dict[str, RuleInfo] = {}
    if settings.infrastructure:
        infra_rules = [r for r in INFRA_RULES if chosen(r, settings.select, settings.ignore)]
        module = import_module(INFRASTRUCTURE)
        infra, infrastructure = module.check_infrastructure(
            manifest, settings.infrastructure, set(infra_rules), settings.strict
        )
        infra_info = module.RULES
        findings.extend(infra)
    if not rules and not infra_rules:
        _nothing_checked(packs, settings)
    evaluated = {g.id for g in rules} | set(infra_rules)
    findings = apply_waivers(findings, manifest, settings.as_of, evaluated)
    report = Report(
        steer_version=__version__,
        manifest=manifest.file,
        as_of=settings.as_of,
        findings=tuple(sorted(_unique(findings), key=Finding.sort_key)),
        rules=(*(g.id for g in rules), *infra_rules),
        regime=ctx.resolved.name,
        regime_why=ctx.resolved.why,
        crossings=tuple(entry.to_json() for entry in ctx.register),
        packs=tuple(p.id for p in packs.packs),
        guardrails=(*(_rule_info(g) for g in rules), *(infra_info[r] for r in infra_rules)),
        infrastructure=infrastructure,
    )
    if settings.architecture:
        report = dataclasses.replace(report, architecture=_describe(ctx, report, compiled, rules))
    return report, ctx


def _nothing_checked(packs: PackSet, settings: Settings) -> None:
    """A run that would check no guardrail at all is an error, never "0 of 0 rules
    passed": a pack without guardrails, or a selection that leaves none."""
    names = ", ".join(p.id for p in packs.packs)
    if not packs.guardrails:
        raise PackError(
            f"the packs of this run ({names}) hold no guardrail, so nothing would be "
            "checked; expected a pack with guardrails in rules/*.yaml"
        )
    given = [
        (_setting(flag, origin), values, origin)
        for flag, values, origin in (
            ("--select", settings.select, settings.select_from),
            ("--ignore", settings.ignore, settings.ignore_from),
        )
        if values
    ]
    what = " and ".join(f"{label} {','.join(values)}" for label, values, _ in given)
    raise UsageError(
        f"{what} leave{'s' if len(given) == 1 else ''} none of the "
        f"{len(packs.guardrails)} guardrails of the packs ({names}) to check; expected a "
        "selection that keeps at least one"
        + ("" if settings.infrastructure else " (STEER-IAC checks run only with --terraform)"),
        next((origin for _, _, origin in given if origin is not None), None),
    )


def register(manifest: Manifest, as_of: str) -> Report:
    """The transfer register alone (``steer transfers``): the regime and the crossings,
    without running the guardrails, which the register does not read."""
    ctx = Context(manifest, as_of)
    return Report(
        steer_version=__version__,
        manifest=manifest.file,
        as_of=as_of,
        findings=(),
        rules=(),
        regime=ctx.resolved.name,
        regime_why=ctx.resolved.why,
        crossings=tuple(entry.to_json() for entry in ctx.register),
        packs=tuple(p.id for p in manifest.packs.packs),
    )


def _describe(
    ctx: Context, report: Report, compiled: dict[str, Any], rules: Sequence[Guardrail]
) -> Architecture:
    """The deployment as the run saw it, with the guardrails it left out."""
    describe: Callable[..., Architecture] = import_module(ARCHITECTURE).describe
    chosen = {g.id for g in rules}
    left_out = tuple(_rule_info(g) for g in ctx.packs.guardrails if g.id not in chosen)
    return describe(ctx, report, compiled, left_out)


def _mark(manifest: Manifest, at: JsonPath, cache: dict[JsonPath, Mark]) -> Mark:
    mark = cache.get(at)
    if mark is None:
        mark = cache[at] = manifest.mark(at)
    return mark


def _path_marks(
    manifest: Manifest, path: tuple[str, ...] | None, cache: dict[Any, Any]
) -> tuple[Mark, ...]:
    """Where each component of a finding's path is declared (reporters draw the flow).
    ``cache`` holds both (several guardrails report the same crossing's path)."""
    if not path:
        return ()
    hit: tuple[Mark, ...] | None = cache.get(path)
    if hit is not None:
        return hit
    out = []
    for cid in path:
        mark = cache.get(cid)
        if mark is None:
            mark = cache[cid] = manifest.mark(("components", cid))
        out.append(mark)
    hit = cache[path] = tuple(out)
    return hit


def _rule_info(g: Guardrail) -> RuleInfo:
    return RuleInfo(
        id=g.id,
        title=g.title,
        severity=g.severity,
        status=g.status,
        enforcement=g.enforcement,
        category=g.category,
        sources=tuple(g.sources),
        rationale=g.rationale,
        remediation=g.remediation,
        authority=g.authority,
    )


def _lineage_notes(ctx: Context, manifest: Manifest) -> list[Finding]:
    """Flows that declare data their source can never have (only if lineage ran)."""
    lineage = ctx.computed_lineage
    if lineage is None:
        return []
    out = []
    for fid, missing in sorted(lineage.excess.items()):
        source = manifest.flows[fid]["from"]
        out.append(
            own_note(
                LINEAGE_RULE,
                f"flows.{fid}",
                manifest.mark(("flows", fid)),  # a flow finding: at its key
                f"{fid} declares {', '.join(missing)}, but no such data reaches its source "
                f"{source}; it is taken to carry only what does",
            )
        )
    return out


def _regime_notes(ctx: Context, manifest: Manifest) -> list[Finding]:
    """A pinned regime that is not the law in force on the as-of date: say which is,
    and what would change, crossing by crossing."""
    warning = ctx.resolved.pinned_not_in_force
    if warning is None:
        return []
    current = regimes_of(manifest.packs).in_force(dt.date.fromisoformat(ctx.as_of))
    changes: tuple[str, ...] = ()
    if current is not None:
        transfers = ctx.transfers
        in_force = current.with_overrides(manifest.parameters)
        changes = decision_changes(transfers.decisions, transfers.decisions_under(in_force))
    detail = f" Crossings that would change: {'; '.join(changes)}." if changes else ""
    return [
        own_note(REGIME_RULE, "manifest", manifest.mark(("policy", "regime")), warning + detail)
    ]


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.target, f.path, f.resource, f.location, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
