"""``steer import terraform FILE...``: a starter manifest drafted from plans and states.

One component per resource of the root module (all instances of a ``count`` or
``for_each`` resource together) and one per child module (everything under
``module.NAME``, whatever its instance keys), each with the kind its resource
types draft as (Terraform catalog), its ``location`` and the ``resources`` it
stands for, so that ``steer check --terraform`` compares them from the start.
A resource or module whose instances run in several places becomes one component
per place, each naming its own addresses. Resources of types the catalog gives no
kind (networks, identities, policies) are not drafted: the draft lists them in a
comment, since they may belong to a drafted component. Comments show where the data,
flows and approvals go: a plan cannot say them.

The text is deterministic: the same resources give the same bytes. It goes to
stdout, or with ``--output`` to a file (written atomically; an existing file only
with ``--force``, as ``steer init``: a manifest is edited by hand once drafted).
The resources are located with the Terraform catalogs of the packs (``--pack``,
default cn), as ``steer check --terraform`` locates them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from steer.analysis.addresses import split_address, strip_keys
from steer.analysis.infrastructure import Resource, resources_of
from steer.checks.infrastructure import cloud_regions, terraform_catalog
from steer.commands.common import display_path, emit
from steer.commands.output import Inputs
from steer.errors import UsageError
from steer.loading.tfjson import read_tf_json
from steer.packs.loader import load_packs
from steer.vocab import DEFAULT_PACKS

# A module holding a data store is drafted as one: data at rest is what the
# guardrails look for first. Then the edge, then the rest.
_KIND_ORDER = ("datastore", "cdn", "relay", "service", "external", "channel", "device")
_ID_MAX = 63
_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")


@dataclass(frozen=True)
class _Draft:
    base: str  # the id before de-duplication
    kind: str
    provider: str
    region: str | None
    jurisdiction: str | None
    how: str  # how the region was found, or why it was not
    entries: tuple[str, ...]
    first: str  # the first address, for a stable order


def import_terraform(
    files: Sequence[Path],
    output: Path | None = None,
    packs: Sequence[str] = (),
    name: str = "imported",
    force: bool = False,
) -> int:
    """Draft a manifest from the plans and states ``files``; write it to ``output``
    or stdout. A file that cannot be read is an error at its line and column."""
    if not files:
        raise UsageError("steer import terraform: expected at least one plan or state file")
    if output is not None:  # a plan is no place for a draft, even with --force
        Inputs().add(list(files), "a Terraform plan or state").refuse(
            output, f"--output {display_path(output)}"
        )
    if output is not None and output.exists() and not force:
        raise UsageError(f"--output {display_path(output)} exists; pass --force to overwrite it")
    packset = load_packs(list(packs) or list(DEFAULT_PACKS))
    catalog, regions = terraform_catalog(packset), cloud_regions(packset)
    documents = [read_tf_json(path, display_path(path)) for path in files]
    resources = [r for doc in documents for r in resources_of(doc, catalog, regions)]
    shown = [doc.file for doc in documents]
    text = draft_manifest(resources, shown, name)
    inputs = Inputs().add(list(files), "a Terraform plan or state").add_packs(packset)
    emit(text, output, inputs)
    if output is not None:
        target = display_path(output)
        plans = " ".join(f"--terraform {f}" for f in shown)
        sys.stderr.write(
            f"steer: wrote {target}, drafted from {', '.join(shown)}; add data, flows and "
            f"approvals, then check it with: steer check {target} {plans}\n"
        )
    return 0


def draft_manifest(
    resources: Sequence[Resource], plan_files: Sequence[str], name: str = "imported"
) -> str:
    """The YAML text of a starter manifest for these resources."""
    groups: dict[tuple[str, str], list[Resource]] = {}
    for r in resources:
        if r.mode == "managed" and r.running and r.provider is not None:
            groups.setdefault(_group(r), []).append(r)
    drafts: list[_Draft] = []
    skipped: list[str] = []
    for (kind_of_group, label), members in sorted(groups.items()):
        kinds = {r.kind for r in members if r.kind}
        if not kinds:
            skipped.extend(r.address for r in members)
            continue
        kind = min(kinds, key=lambda k: _KIND_ORDER.index(k) if k in _KIND_ORDER else 99)
        drafts.extend(_split(kind_of_group, label, kind, members))
    named = _assign_ids(drafts)
    out = _header(plan_files, name)
    if named:
        out.append("components:")
        for cid, draft in named:
            out.extend(_component(cid, draft))
    else:
        out.append("components: {}   # the plans hold no resource of a type steer drafts")
    out.extend(_footer([cid for cid, _draft in named], sorted(skipped)))
    return "\n".join(out) + "\n"


def _group(r: Resource) -> tuple[str, str]:
    """("module", name) for a child module's resources, ("resource", address) else."""
    if r.module:
        return "module", split_address(r.module)[1].split("[", 1)[0]
    return "resource", strip_keys(r.address)


def _split(group: str, label: str, kind: str, members: list[Resource]) -> list[_Draft]:
    places: dict[tuple[str, str | None, str | None], list[Resource]] = {}
    for r in members:
        places.setdefault((str(r.provider), r.region, r.jurisdiction), []).append(r)
    name = label if group == "module" else members[0].name
    whole = f"module.{label}.*" if group == "module" else label
    out = []
    for (provider, region, jurisdiction), here in sorted(places.items(), key=_place_key):
        addresses = tuple(sorted(r.address for r in here))
        entries = (whole,) if len(places) == 1 else addresses
        base = name if len(places) == 1 else f"{name}-{region or 'unknown-region'}"
        how = sorted({r.determined_by for r in here})[0]
        out.append(_Draft(base, kind, provider, region, jurisdiction, how, entries, addresses[0]))
    return out


def _place_key(item: tuple[tuple[str, str | None, str | None], list[Resource]]) -> tuple[str, ...]:
    (provider, region, jurisdiction), _members = item
    return provider, region or "", jurisdiction or ""


def sanitise(text: str) -> str:
    """A component id (``^[a-z0-9][a-z0-9._-]{0,62}$``) from a Terraform name."""
    out = re.sub(r"[^a-z0-9._-]+", "-", text.lower().replace("_", "-"))
    out = re.sub(r"-{2,}", "-", out).strip("-._")
    return out[:_ID_MAX].rstrip("-._") or "component"


def _assign_ids(drafts: list[_Draft]) -> list[tuple[str, _Draft]]:
    """Unique ids, sorted; of two drafts with the same name, the one with the first
    address keeps it plain and the other gets ``-2``."""
    taken: set[str] = set()
    out: list[tuple[str, _Draft]] = []
    for draft in sorted(drafts, key=lambda d: (sanitise(d.base), d.first)):
        base = sanitise(draft.base)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            suffix = f"-{n}"
            candidate = base[: _ID_MAX - len(suffix)].rstrip("-._") + suffix
        taken.add(candidate)
        out.append((candidate, draft))
    return sorted(out, key=lambda pair: pair[0])


def _scalar(text: str) -> str:
    """A YAML scalar for ``text``: plain when that is safe, else single-quoted."""
    if _PLAIN.match(text) and text.lower() not in (
        "true",
        "false",
        "null",
        "yes",
        "no",
        "on",
        "off",
    ):
        return text
    return "'" + text.replace("'", "''") + "'"


def _comment(text: str) -> str:
    return " ".join(text.split())


def _header(plan_files: Sequence[str], name: str) -> list[str]:
    sources = ", ".join(plan_files) or "(no file)"
    return [
        "# A starter manifest drafted by `steer import terraform` from:",
        f"#   {_comment(sources)}",
        "# One component per resource of the root module, or per module, with its kind,",
        "# its location as the plan says it, and the resources it stands for, which",
        "# `steer check --terraform` compares with the plan. Check the ids, kinds and",
        "# locations, then add what a plan cannot say: the data each component holds",
        "# (data:), how data moves between components (flows:) and the approvals you",
        "# hold (approvals:). The examples in the comments show the shape.",
        "version: 1",
        f"name: {_scalar(sanitise(name))}",
        "description: Drafted from Terraform or OpenTofu plans; add data, flows and approvals",
        "",
    ]


def _component(cid: str, draft: _Draft) -> list[str]:
    lines = [f"  {cid}:", f"    kind: {draft.kind}"]
    parts = [f"provider: {_scalar(draft.provider)}"]
    if draft.region is not None:
        parts.append(f"region: {_scalar(draft.region)}")
        lines.append(f"    # location from {_comment(draft.how)}")
    else:
        if draft.jurisdiction is not None:
            parts.append(f"jurisdiction: {draft.jurisdiction}")
        lines.append(f"    # region: could not be determined ({_comment(draft.how)}); add it")
    lines.append(f"    location: {{{', '.join(parts)}}}")
    lines.append("    resources:")
    lines.extend(f"      - {_scalar(entry)}" for entry in draft.entries)
    if draft.kind == "datastore":
        lines.append("    # data:                 # what it holds, for example:")
    else:
        lines.append("    # data:                 # what it processes, for example:")
    lines.append("    #   - {category: personal, subjects: CN, records: 100000}")
    return lines


def _footer(ids: list[str], skipped: list[str]) -> list[str]:
    source, target = [*ids, "some-service", "some-datastore"][:2]
    lines = [
        "",
        "# flows:                     # how data moves between components, for example:",
        f"#   {source}-to-{target}:",
        f"#     from: {source}",
        f"#     to: {target}",
        "#     data: [personal]",
        "#     mechanism: api",
        "#",
        "# approvals:                 # the approvals you hold, for example:",
        "#   cac-assessment:",
        "#     type: cac-security-assessment",
        "#     status: planned",
    ]
    if skipped:
        shown = skipped[:20]
        lines += [
            "#",
            "# Not drafted (types with no component kind in the Terraform catalog; name them",
            "# in the resources of the component they belong to):",
            *(f"#   {address}" for address in shown),
        ]
        if len(skipped) > len(shown):
            lines.append(f"#   and {len(skipped) - len(shown)} more")
    return lines
