"""The manifest against the infrastructure: STEER-IAC-001 to 004 (cli.md).

:func:`compare` takes the components of a manifest (as :class:`Component`: where
the manifest puts each one and the ``resources`` it names) and the resources of
one or more plans or states (:class:`~steer.analysis.infrastructure.Resource`),
and returns plain :class:`InfraIssue` records, sorted, for the engine to turn
into findings:

- STEER-IAC-001 (error): a resource a component names runs elsewhere than the
  component's ``location`` says: another provider (no provider in the manifest
  means on premises or a device), another region, another jurisdiction;
- STEER-IAC-002: a resource that holds data and that no component names: an
  error outside the mainland, a warning inside it;
- STEER-IAC-003 (warning): a ``resources`` entry that matches no running resource
  (one that matches only resources the plan destroys says so);
- STEER-IAC-004 (error): a named or data-holding resource whose place cannot be
  determined: steer could not judge it, which is never a pass.

Resources being destroyed are not running and are judged by nothing; data
sources (``data.*``) are read, not run; resources of providers that are no cloud
(random, null, kubernetes...) match entries but have no place to compare. How
entries match addresses: :mod:`steer.analysis.addresses`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from steer.analysis.addresses import AddressIndex
from steer.analysis.infrastructure import RegionCatalog, Resource
from steer.errors import Mark
from steer.vocab import INFRA_RULES

MAINLAND = "CN"

IAC_ELSEWHERE, IAC_UNNAMED, IAC_UNMATCHED, IAC_UNDETERMINED = INFRA_RULES


@dataclass(frozen=True, slots=True)
class Component:
    """What a manifest says about one component, for the comparison."""

    id: str
    provider: str | None
    region: str | None
    # Declared, or None to derive it from provider and region through the catalog.
    jurisdiction: str | None
    resources: tuple[str, ...]
    mark: Mark | None = None  # the component's key in the manifest
    entry_marks: tuple[Mark | None, ...] = ()  # each resources entry, if known


@dataclass(frozen=True, slots=True)
class InfraIssue:
    """One STEER-IAC record: the engine makes a finding of it."""

    rule: str
    level: str  # "error" or "warning"
    message: str
    component: str | None  # None: a resource no component names
    entry: int | None  # the index of the resources entry concerned, if one is
    address: str | None  # the resource address (None for STEER-IAC-003)
    plan_file: str | None
    plan_mark: Mark | None  # the resource in the plan: a SARIF related location
    manifest_mark: Mark | None  # the component, or its resources entry

    @property
    def target(self) -> str:
        """The finding target of cli.md: ``components.<id>``, or ``manifest``."""
        return f"components.{self.component}" if self.component else "manifest"


def compare(
    components: Iterable[Component],
    resources: Iterable[Resource],
    regions: RegionCatalog,
    plan_files: Sequence[str] = (),
    protected: str = MAINLAND,
) -> list[InfraIssue]:
    """Every STEER-IAC issue of the manifest's components against the resources;
    ``protected`` is the home jurisdiction (the pack's)."""
    managed = [r for r in resources if r.mode == "managed"]
    files = sorted(set(plan_files) | {r.file for r in managed})
    by_address: dict[str, list[Resource]] = {}
    for resource in managed:
        by_address.setdefault(resource.address, []).append(resource)
    index = AddressIndex(by_address)
    issues: list[InfraIssue] = []
    named: set[tuple[str, str]] = set()
    for component in sorted(components, key=lambda c: c.id):
        judged: set[tuple[str, str]] = set()
        home = component.jurisdiction
        if home is None and component.provider and component.region:
            home = regions.jurisdiction(component.provider, component.region)
        for i, entry in enumerate(component.resources):
            hits = [r for address in index.match(entry) for r in by_address[address]]
            live = [r for r in hits if r.running]
            if not live:
                issues.append(_unmatched(component, i, entry, hits, files))
                continue
            for resource in live:
                key = (resource.file, resource.address)
                named.add(key)
                if key in judged or resource.provider is None:
                    continue
                judged.add(key)
                issue = _judge(component, home, resource, i)
                if issue is not None:
                    issues.append(issue)
    for resource in managed:
        if (
            resource.running
            and resource.holds_data
            and (resource.file, resource.address) not in named
        ):
            issues.append(_unnamed(resource, protected))
    issues.sort(key=_order)
    return issues


def _order(issue: InfraIssue) -> tuple[int, str, str, str, str, int, str]:
    return (
        0 if issue.level == "error" else 1,
        issue.rule,
        issue.component or "",
        issue.address or "",
        issue.plan_file or "",
        -1 if issue.entry is None else issue.entry,
        issue.message,
    )


def _entry_mark(component: Component, entry: int) -> Mark | None:
    if entry < len(component.entry_marks) and component.entry_marks[entry] is not None:
        return component.entry_marks[entry]
    return component.mark


def _judge(component: Component, home: str | None, r: Resource, entry: int) -> InfraIssue | None:
    differs = []
    if r.provider != component.provider:
        differs.append("provider")
    if component.region and r.region and r.region != component.region:
        differs.append("region")
    if home and r.jurisdiction and r.jurisdiction != home:
        differs.append("jurisdiction")
    where = f"components.{component.id}"
    if differs:
        message = (
            f"{r.address} ({r.file}) runs in {_plan_place(r)}, but {where} puts it in "
            f"{_manifest_place(component, home)}: {_and(differs)} "
            f"{'differs' if len(differs) == 1 else 'differ'} (the plan's region: "
            f"{r.determined_by})"
        )
        return _issue(IAC_ELSEWHERE, "error", message, component, entry, r)
    if r.region is None and r.jurisdiction is None:
        why = f"its region could not be determined: {r.determined_by}"
    elif component.region and r.region is None:
        why = (
            f"only its jurisdiction ({r.jurisdiction}) is known, not its region: {r.determined_by}"
        )
    elif home and r.jurisdiction is None:
        why = f"the jurisdiction of its region is unknown: {r.determined_by}"
    else:
        return None
    message = (
        f"could not judge {r.address} ({r.file}), which {where} names: {why}. "
        "steer does not count it as a pass: set the region in its provider configuration "
        "or on the resource, or pass the variable it comes from to the plan"
    )
    return _issue(IAC_UNDETERMINED, "error", message, component, entry, r)


def _unnamed(r: Resource, home: str) -> InfraIssue:
    name = "name it in the `resources` of the component it implements"
    held = f"{r.address} ({r.file}) holds data ({r.type})"
    if r.jurisdiction is None:
        message = (
            f"could not judge where {r.address} ({r.file}) runs: it holds data ({r.type}), "
            f"no component names it, and its place could not be determined "
            f"({r.determined_by}). steer does not count it as a pass: {name}, and set its region"
        )
        return _issue(IAC_UNDETERMINED, "error", message, None, None, r)
    if r.jurisdiction != home:
        message = (
            f"{held} and runs outside the mainland, in {_plan_place(r)}, but no component "
            f"names it: the manifest does not show the data that leaves for it; {name}"
        )
        return _issue(IAC_UNNAMED, "error", message, None, None, r)
    message = (
        f"{held} and runs in {_plan_place(r)}, but no component names it, so the manifest "
        f"does not describe the data it holds; {name}"
    )
    return _issue(IAC_UNNAMED, "warning", message, None, None, r)


def _unmatched(
    component: Component, entry: int, text: str, hits: list[Resource], files: list[str]
) -> InfraIssue:
    where = f"components.{component.id}"
    plans = ", ".join(files) if files else "no plan"
    if hits:
        gone = ", ".join(sorted({r.address for r in hits})[:5])
        problem = f"matches only resources the plan destroys ({gone})"
    else:
        problem = "matches no resource"
    message = (
        f"{where}: resources entry {text!r} {problem} in {plans}; expected the address of "
        "a resource of the plans (module.crm.aws_s3_bucket.export) or a glob "
        "(module.telematics.*)"
    )
    return InfraIssue(
        IAC_UNMATCHED,
        "warning",
        message,
        component.id,
        entry,
        None,
        None,
        None,
        _entry_mark(component, entry),
    )


def _issue(
    rule: str, level: str, message: str, component: Component | None, entry: int | None, r: Resource
) -> InfraIssue:
    manifest = _entry_mark(component, entry) if component and entry is not None else None
    return InfraIssue(
        rule,
        level,
        message,
        component.id if component else None,
        entry,
        r.address,
        r.file,
        r.mark,
        manifest,
    )


def _plan_place(r: Resource) -> str:
    jurisdiction = r.jurisdiction or "jurisdiction unknown"
    if r.region is None:
        return f"{r.provider} ({jurisdiction}, region undetermined)"
    return f"{r.provider} {r.region} ({jurisdiction})"


def _manifest_place(component: Component, home: str | None) -> str:
    if component.provider is None:
        return f"no provider (on premises or a device, jurisdiction {home or 'unknown'})"
    region = component.region or "no region given"
    return f"{component.provider} {region} ({home or 'jurisdiction unknown'})"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
