"""steer's own checks of a manifest against its infrastructure (``--terraform``):
STEER-IAC-001 to 004 (cli.md) as findings of the run.

The plans and states are read once per run (:mod:`steer.loading.tfjson`); for each
manifest their resources are located with its packs' catalogs (the Terraform
catalog of every pack, merged; the regions of ``clouds.yaml``), compared with its
components (:mod:`steer.analysis.infra_compare`), and each issue becomes a
:class:`~steer.results.findings.Finding` like a guardrail's:

- rule: the issue's STEER-IAC id; level: the issue's (``--strict``: error);
  severity by rule and level (:data:`SEVERITY`); authority ``policy`` (a check of
  the manifest's truth, not a duty of a statute); category ``infrastructure``;
- target: ``components.<id>``, or ``manifest`` for a resource no component names;
- location: the component's ``resources`` entry concerned (else the component's
  key); for a resource no component names, the manifest's ``components`` key
  (where a component naming it belongs), else the top of the manifest;
- resource: the resource address (STEER-IAC-003: the entry that matches none),
  part of the finding's key, so that baselines and SARIF fingerprints tell apart
  the findings of several resources on one target;
- related: the resource in its plan or state file (SARIF related locations).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from steer.analysis.infra_compare import Component, InfraIssue, compare
from steer.analysis.infrastructure import CloudRegions, Resource, resources_of
from steer.analysis.tfcatalog import TerraformCatalog, catalog_from_data, merge
from steer.errors import Mark
from steer.loading.tfjson import TfDocument, read_tf_json
from steer.manifest.model import Manifest
from steer.packs.model import Pack, PackSet
from steer.results.findings import Finding, Infrastructure
from steer.results.rules import RuleInfo
from steer.vocab import INFRA_RULES

CATEGORY = "infrastructure"
AUTHORITY = "policy"  # the manifest's truth about the infrastructure, not a statute's duty

_ELSEWHERE, _UNNAMED, _UNMATCHED, _UNDETERMINED = INFRA_RULES

RULES: dict[str, RuleInfo] = {
    info.id: info
    for info in (
        RuleInfo(
            id=_ELSEWHERE,
            title="Resources run where their component's location says",
            severity="high",
            status="confirmed",
            enforcement="blocking",
            category=CATEGORY,
            rationale=(
                "The manifest is what the guardrails judge: a resource that a component "
                "names but that the plan puts on another provider, in another region or "
                "another jurisdiction makes every finding about that component rest on "
                "a place the data is not in."
            ),
            remediation=(
                "Make the component's location say where the resource runs, or move the "
                "resource (its provider configuration, alias or region) to where the "
                "manifest says; if the entry names the wrong resource, correct it."
            ),
            authority=AUTHORITY,
        ),
        RuleInfo(
            id=_UNNAMED,
            title="Resources that hold data are named by a component",
            severity="high",
            status="confirmed",
            enforcement="blocking",
            category=CATEGORY,
            rationale=(
                "A database, bucket, cache, queue, file system, backup or log that no "
                "component names holds data the manifest does not show: outside the "
                "mainland it is a crossing nobody judged (an error), inside it data "
                "nobody described (a warning)."
            ),
            remediation=(
                "Name the resource in the `resources` of the component it implements (an "
                "address, or a glob such as module.crm.*); if no component describes it, "
                "add one with its data and flows (steer import terraform drafts it)."
            ),
            authority=AUTHORITY,
        ),
        RuleInfo(
            id=_UNMATCHED,
            title="Every resources entry matches a resource of the plans",
            severity="low",
            status="confirmed",
            enforcement="advisory",
            category=CATEGORY,
            rationale=(
                "An entry that matches nothing checks nothing: a typo, a renamed or "
                "destroyed resource, or a plan that was not passed with --terraform."
            ),
            remediation=(
                "Correct the address (steer import terraform lists a plan's addresses), "
                "remove the entry if the resource is gone, or pass every plan or state "
                "of the infrastructure with --terraform."
            ),
            authority=AUTHORITY,
        ),
        RuleInfo(
            id=_UNDETERMINED,
            title="The region of every named or data-holding resource can be determined",
            severity="high",
            status="confirmed",
            enforcement="blocking",
            category=CATEGORY,
            rationale=(
                "A resource whose region the plan does not record (known only after "
                "apply, taken from the environment, or from a variable the plan does not "
                "resolve) cannot be judged; steer says so rather than pass it."
            ),
            remediation=(
                "Set the region in the resource's provider configuration or on the "
                "resource, as a constant or a variable the plan resolves, not from the "
                "environment (ALICLOUD_REGION, AWS_REGION)."
            ),
            authority=AUTHORITY,
        ),
    )
}

SEVERITY: dict[tuple[str, str], str] = {
    (_ELSEWHERE, "error"): "high",
    (_UNNAMED, "error"): "high",  # outside the mainland: a crossing nobody judged
    (_UNNAMED, "warning"): "medium",  # inside it: data nobody described
    (_UNMATCHED, "warning"): "low",
    (_UNDETERMINED, "error"): "high",
}
"""A finding's severity by rule and the level the comparison gave it (before
``--strict``, which raises the level, not the severity)."""


def terraform_catalog(packs: PackSet) -> TerraformCatalog:
    """The Terraform catalogs of every pack of the run, each over the packs it uses
    (:func:`~steer.analysis.tfcatalog.merge`: type by type, not provider by provider,
    as ``PackSet.catalogs`` would)."""
    return _catalogs(packs)[0]


def cloud_regions(packs: PackSet) -> CloudRegions:
    return _catalogs(packs)[1]


# Each manifest of a run loads its own PackSet, of the same (cached) packs: what is
# derived from the packs is kept per closure of packs, the packs themselves held so
# that their ids stay theirs; located resources per plan and closure, a few at most.
_CATALOGS: dict[tuple[int, ...], tuple[tuple[Pack, ...], TerraformCatalog, CloudRegions]] = {}
_LOCATED: dict[tuple[int, tuple[int, ...]], tuple[TfDocument, tuple[Resource, ...]]] = {}
_KEEP = 16


def _closure_key(packs: PackSet) -> tuple[int, ...]:
    return tuple(id(p) for p in packs.closure)


def _catalogs(packs: PackSet) -> tuple[TerraformCatalog, CloudRegions]:
    key = _closure_key(packs)
    hit = _CATALOGS.get(key)
    if hit is None:
        merged = TerraformCatalog({}, {}, {})
        for pack in packs.closure:
            if "terraform_providers" in pack.catalogs or "arn_partitions" in pack.catalogs:
                data = catalog_from_data(pack.catalogs, str(pack.root / "catalog"))
                merged = merge(merged, data)
        regions = CloudRegions(packs.catalogs.get("providers") or {})
        hit = _CATALOGS[key] = (tuple(packs.closure), merged, regions)
    return hit[1], hit[2]


def _resources(doc: TfDocument, packs: PackSet) -> tuple[Resource, ...]:
    """The resources of a plan, located with the packs' catalogs (once per run for the
    manifests that share their packs)."""
    key = (id(doc), _closure_key(packs))
    hit = _LOCATED.get(key)
    if hit is None:
        catalog, regions = _catalogs(packs)
        if len(_LOCATED) >= _KEEP:
            _LOCATED.pop(next(iter(_LOCATED)))  # the oldest
        hit = _LOCATED[key] = (doc, tuple(resources_of(doc, catalog, regions)))
    return hit[1]


def components_of(manifest: Manifest) -> list[Component]:
    """The comparison's view of the manifest's components, with their positions."""
    out = []
    for cid, spec in manifest.components.items():
        location = spec.get("location") or {}
        entries = tuple(spec.get("resources") or ())
        out.append(
            Component(
                id=cid,
                provider=location.get("provider"),
                region=location.get("region"),
                jurisdiction=location.get("jurisdiction"),
                resources=entries,
                mark=manifest.mark(("components", cid)),
                entry_marks=tuple(
                    manifest.mark(("components", cid, "resources", i)) for i in range(len(entries))
                ),
            )
        )
    return out


def check_infrastructure(
    manifest: Manifest, documents: Sequence[TfDocument], rules: set[str], strict: bool
) -> tuple[list[Finding], Infrastructure]:
    """The STEER-IAC findings of ``manifest`` against the plans and states, for the
    rule ids in ``rules`` (the run's --select/--ignore), and what was compared."""
    packs = manifest.packs
    resources = [r for doc in documents for r in _resources(doc, packs)]
    files = tuple(doc.file for doc in documents)
    components = components_of(manifest)
    issues = compare(components, resources, cloud_regions(packs), files, packs.home)
    unnamed_at = _unnamed_mark(manifest)
    entries = {c.id: c.resources for c in components}
    findings = [
        _finding(issue, unnamed_at, strict, entries) for issue in issues if issue.rule in rules
    ]
    managed = sum(r.mode == "managed" for r in resources)
    return findings, Infrastructure(files, managed)


def _unnamed_mark(manifest: Manifest) -> Mark:
    """Where a resource that no component names is reported: at ``components:``,
    where a component that names it belongs."""
    if "components" in manifest.data:
        return manifest.mark(("components",))
    return Mark(manifest.file, 1, 1)


def _finding(
    issue: InfraIssue, unnamed_at: Mark, strict: bool, entries: dict[str, tuple[str, ...]]
) -> Finding:
    info = RULES[issue.rule]
    related: tuple[tuple[str, Mark], ...] = ()
    if issue.plan_mark is not None and issue.address is not None:
        related = ((f"{issue.address} in {issue.plan_file}", issue.plan_mark),)
    resource = issue.address
    if resource is None and issue.component is not None and issue.entry is not None:
        resource = entries[issue.component][issue.entry]  # STEER-IAC-003: the entry itself
    return Finding(
        rule=issue.rule,
        title=info.title,
        severity=SEVERITY.get((issue.rule, issue.level), info.severity),
        status=info.status,
        level="error" if strict else issue.level,
        category=info.category,
        target=issue.target,
        message=issue.message,
        remediation=info.remediation,
        location=issue.manifest_mark or unnamed_at,
        authority=info.authority,
        resource=resource,
        related=related,
    )


def read_plans(files: Sequence[Path], names: Sequence[str]) -> tuple[TfDocument, ...]:
    """The plans and states of --terraform, each read once (a file named twice too):
    a broken one stops the run (exit 2), since every manifest would be compared with it."""
    seen: set[Path] = set()
    out = []
    for path, name in zip(files, names, strict=True):
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(read_tf_json(path, name))
    return tuple(out)
