"""STEER-CATALOG: every name a manifest gives that guardrails look up in a pack
catalog is one the catalog knows (manifest.md, Components and Catalog ids).

A name the catalog does not know would make every lookup of it fail quietly: an
unknown provider gives no jurisdiction (so a mainland database holding owners' data
passes the transfer guardrails), an unknown service is never blocked by the Great
Firewall. So each one is a blocking finding of its own, at the name's line, naming
the nearest catalog id (an entry's documented ``aliases`` count: ``aliyun`` is
Alibaba Cloud's) and the ids expected. It is never waived and never deselected:
the fix is the right id, or a pack catalog that adds the entry.

A region unknown for a known provider is the pack's to report (CN-DS-003 in ``cn``);
this module judges the names themselves."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from steer.loading.document import JsonPath
from steer.manifest.model import Manifest
from steer.results.findings import Finding
from steer.results.own_rules import CATALOG_RULE, OWN_RULES

TITLE = OWN_RULES[CATALOG_RULE].info.title
FIX = OWN_RULES[CATALOG_RULE].info.remediation


@dataclass(frozen=True)
class Reference:
    """A manifest field whose value names an entry of a catalog."""

    section: str  # components | approvals
    field: tuple[str, ...]  # the path inside the element; a list field names one per item
    catalog: str
    what: str
    category: str


REFERENCES = (
    Reference("components", ("location", "provider"), "providers", "provider", "data-sovereignty"),
    Reference("components", ("service",), "services", "service", "infrastructure"),
    Reference("components", ("cdn",), "cdn_providers", "CDN provider", "infrastructure"),
    Reference("components", ("maps", "provider"), "map_providers", "map provider", "integration"),
    Reference("components", ("payments",), "payment_providers", "payment provider", "integration"),
    Reference("approvals", ("provider",), "providers", "hosting provider", "compliance"),
)
"""The manifest's catalog names (manifest.md, Catalog ids). A pack set without the
catalog has nothing to look the name up in, and no guardrail of it reads one."""


def nearest(name: str, entries: Mapping[str, Any]) -> str | None:
    """The catalog id closest to ``name``: one whose id or alias is ``name`` in another
    case, else the closest id or alias by difflib (an alias stands for its id)."""
    names: dict[str, str] = {}
    for key, spec in entries.items():
        names.setdefault(str(key).lower(), str(key))
        aliases = spec.get("aliases", []) if isinstance(spec, dict) else []
        for alias in aliases if isinstance(aliases, list) else []:
            names.setdefault(str(alias).lower(), str(key))
    wanted = name.strip().lower()
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


def describe(value: str, ref: Reference, entries: Mapping[str, Any]) -> str:
    """``'aliyun' is not a provider the catalog knows; did you mean 'alibaba-cloud'?
    Expected one of: ...``"""
    guess = nearest(value, entries)
    hint = f"; did you mean '{guess}'?" if guess is not None else ";"
    known = ", ".join(sorted(entries))
    return (
        f"{ref.what} '{value}' is not in the catalog ({ref.catalog}){hint} expected one of: {known}"
    )


def _values(element: Mapping[str, Any], ref: Reference) -> Iterator[tuple[JsonPath, Any]]:
    node: Any = element
    for part in ref.field:
        if not isinstance(node, Mapping) or node.get(part) is None:
            return
        node = node[part]
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield (*ref.field, i), item
    else:
        yield ref.field, node


def catalog_findings(
    manifest: Manifest, catalogs: Mapping[str, Mapping[str, Any]]
) -> list[Finding]:
    """A blocking finding for each catalog name of the manifest its catalog lacks."""
    out = []
    for ref in REFERENCES:
        entries = catalogs.get(ref.catalog)
        if not entries:
            continue
        for key, element in manifest.section(ref.section).items():
            if not isinstance(element, Mapping):
                continue
            for at, value in _values(element, ref):
                if str(value) in entries:
                    continue
                if ref.field == ("service",) and isinstance(element.get("reachable_from_cn"), bool):
                    continue  # an uncatalogued service whose facts the manifest declares
                message = f"{key}: {describe(str(value), ref, entries)}"
                if ref.field == ("location", "provider"):
                    location = element.get("location") or {}
                    if not location.get("jurisdiction"):
                        message += (
                            "; where it runs is unknown, so it is taken to be outside the mainland"
                        )
                out.append(
                    Finding(
                        rule=CATALOG_RULE,
                        title=TITLE,
                        severity="high",
                        status="confirmed",
                        level="error",
                        category=ref.category,
                        target=f"{ref.section}.{key}",
                        message=message,
                        remediation=FIX,
                        location=manifest.mark((ref.section, key, *at)),
                    )
                )
    return out
