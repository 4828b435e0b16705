"""Property tests of cross-border lineage (hypothesis).

- A random chain of mainland components (1 to 8, random kinds, providers and
  regions) ending in one abroad, carrying CN personal data with no approvals, is
  always found by CN-XB-001 on its last flow, with the whole chain as the path.
- Adding an approval never adds a finding, of any guardrail (compared as sets of
  (rule, target, path)).
- Removing a flow never adds a cross-border finding (CN-XB-*, CN-DS-004), compared
  as (rule, target): the witness path of a finding that stays may change when a
  shorter route goes.
- The findings do not depend on the order of components or flows in the file.
- Lineage agrees with networkx reachability over flow edges: whatever holds CN
  personal data is reachable from an origin; and, when no flow declares data and
  nothing transforms, everything reachable from a personal-data origin holds it.

Manifests are generated programmatically and written with yaml.safe_dump.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import networkx as nx
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from steer.checks.context import Context
from steer.engine import Settings, run
from steer.manifest.load import load_manifest
from steer.manifest.model import Manifest
from steer.packs.loader import load_packs

PACKS = load_packs(["cn"])
AS_OF = "2026-11-26"
# what is, or implies, personal information (telematics: through its parts)
PERSONAL_CATEGORIES = [
    "personal",
    "sensitive-personal",
    "vehicle-location",
    "driving-behaviour",
    "telematics",
    "exterior-video",
]
CATEGORIES = [
    *PERSONAL_CATEGORIES,
    "vehicle-diagnostics",
    "charging-network",
    "operational",
    "anonymised",
    "aggregated",
    "important",
]
TRANSFER_TYPES = [
    "cac-security-assessment",
    "standard-contract",
    "pi-certification",
    "separate-consent",
    "pipia",
    "important-data-assessment",
]
STATUSES = ["planned", "submitted", "in-review", "approved", "rejected", "withdrawn"]
MECHANISMS = ["api", "batch", "stream", "replication", "backup", "manual"]
EXEMPTIONS = [
    "contract-with-individual",
    "hr-management",
    "emergency",
    "collected-abroad",
    "ftz-negative-list",
]
CROSS_BORDER = ("CN-XB-", "CN-DS-004")


def _placements(home: bool) -> list[dict[str, str]]:
    out = []
    for provider, entry in sorted(PACKS.catalogs["providers"].items()):
        for region, spec in sorted(entry.get("regions", {}).items()):
            if (spec.get("jurisdiction") == "CN") == home:
                out.append({"provider": provider, "region": region})
    return out


MAINLAND = _placements(True)
ABROAD = _placements(False)  # HK, MO and TW regions included
ABROAD_JURISDICTIONS = ["US", "DE", "SG", "JP", "HK", "MO", "TW"]
IDS = st.from_regex(r"\A[a-z][a-z0-9-]{0,10}\Z")
DATES = st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)).map(dt.date.isoformat)
# yearly volumes, often near the thresholds (10,000 sensitive; 100,000 and 1,000,000)
VOLUMES = st.one_of(
    st.integers(0, 2_000_000), st.sampled_from([10, 9_999, 10_001, 60_000, 100_000, 1_000_001])
)
PAST = st.dates(dt.date(2025, 1, 1), dt.date(2026, 11, 26)).map(dt.date.isoformat)  # to AS_OF

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def load(tmp_path: Path, data: dict[str, Any], name: str = "m.yaml") -> Manifest:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_manifest(path, path.name)


def findings(manifest: Manifest, select: tuple[str, ...] = ()) -> list[Any]:
    return list(run(manifest, Settings(as_of=AS_OF, select=select)).findings)


def keys(found: list[Any]) -> set[tuple[Any, ...]]:
    return {(f.rule, f.target, f.path) for f in found}


# -- a chain across the border --------------------------------------------------------------
@st.composite
def chains(draw: st.DrawFn) -> tuple[dict[str, Any], list[str], str]:
    """A manifest: c0 .. c(n-1) in the mainland, then one abroad; c0 holds CN personal
    data; every flow passes it on. Returns (manifest, chain ids, last flow id)."""
    n = draw(st.integers(1, 8))
    ids = draw(st.lists(IDS, min_size=n + 1, max_size=n + 1, unique=True))
    components: dict[str, Any] = {}
    for i, cid in enumerate(ids[:-1]):
        # collectors only at the start: a collector's declared outflow is an origin itself
        kinds = ["datastore", "service", "relay", "cdn", *(["channel", "device"] if i == 0 else [])]
        kind = draw(st.sampled_from(kinds))
        location = draw(st.one_of(st.sampled_from(MAINLAND), st.just({"jurisdiction": "CN"})))
        components[cid] = {"kind": kind, "location": location}
    item: dict[str, Any] = {
        "category": draw(st.sampled_from(PERSONAL_CATEGORIES)),
        "subjects": "CN",
    }
    if draw(st.booleans()):
        item["records"] = draw(st.integers(1, 3_000_000))
    components[ids[0]]["data"] = [item]
    components[ids[-1]] = {
        "kind": draw(st.sampled_from(["datastore", "service", "external", "relay", "cdn"])),
        "location": draw(
            st.one_of(
                st.sampled_from(ABROAD),
                st.sampled_from(ABROAD_JURISDICTIONS).map(lambda j: {"jurisdiction": j}),
            )
        ),
    }
    flows: dict[str, Any] = {}
    flow_ids = draw(st.lists(IDS, min_size=n, max_size=n, unique=True))
    for i, fid in enumerate(flow_ids):
        f: dict[str, Any] = {"from": ids[i], "to": ids[i + 1]}
        data = draw(st.sampled_from([None, ["personal"], ["personal", "operational"]]))
        if data:
            f["data"] = data
        if draw(st.booleans()):
            f["records_per_year"] = draw(st.integers(1, 2_000_000))
        f["mechanism"] = draw(st.sampled_from(MECHANISMS))
        flows[fid] = f
    manifest = {
        "version": 1,
        "name": "chain",
        "organisation": {
            "ciio": draw(st.booleans()),
            "pi_subjects": draw(st.sampled_from([0, 500_000, 1_000_000, 3_000_000])),
        },
        "policy": {"regime": draw(st.sampled_from(sorted(PACKS.regimes)))},
        "components": components,
        "flows": flows,
    }
    return manifest, ids, flow_ids[-1]


@SETTINGS
@given(chain=chains())
def test_a_chain_across_the_border_is_always_found_with_its_path(
    tmp_path: Path, chain: Any
) -> None:
    data, ids, last = chain
    found = [f for f in findings(load(tmp_path, data), ("CN-XB-001",)) if f.rule == "CN-XB-001"]
    assert [(f.target, f.path, f.level) for f in found] == [(f"flows.{last}", tuple(ids), "error")]
    assert "missing:" in found[0].message and "separate consent" in found[0].message


# -- random graphs --------------------------------------------------------------------------
@st.composite
def graphs(draw: st.DrawFn, declared: bool = True, transforms: bool = True) -> dict[str, Any]:
    """A random manifest: components in and out of the mainland, random data, random
    flows (cycles and parallel flows included), random transfer approvals."""
    n = draw(st.integers(2, 9))
    ids = draw(st.lists(IDS, min_size=n, max_size=n, unique=True))
    approval_ids = draw(st.lists(IDS.map(lambda s: f"ap-{s}"), max_size=4, unique=True))
    components: dict[str, Any] = {}
    for cid in ids:
        kind = draw(
            st.sampled_from(
                ["datastore", "service", "relay", "external", "channel", "device", "cdn"]
            )
        )
        home = draw(st.integers(0, 2)) > 0
        location = draw(st.sampled_from(MAINLAND if home else ABROAD))
        comp: dict[str, Any] = {"kind": kind, "location": location}
        items = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "category": st.sampled_from([*PERSONAL_CATEGORIES, *CATEGORIES]),
                        "subjects": st.sampled_from(["CN", "CN", "CN", "DE"]),
                    },
                    optional={"records": VOLUMES},
                ),
                max_size=2,
            )
        )
        if items:
            comp["data"] = items
        if transforms and draw(st.integers(0, 4)) == 0:
            comp["transforms"] = draw(
                st.lists(
                    st.sampled_from(
                        [
                            {"from": "telematics", "to": "aggregated"},
                            {"from": "personal", "to": "anonymised"},
                        ]
                    ),
                    min_size=1,
                    max_size=2,
                    unique_by=lambda t: t["from"],
                )
            )
        components[cid] = comp
    flows: dict[str, Any] = {}
    for fid in draw(st.lists(IDS.map(lambda s: f"f-{s}"), min_size=1, max_size=14, unique=True)):
        source = draw(st.sampled_from(ids))
        target = draw(st.sampled_from([i for i in ids if i != source]))
        f: dict[str, Any] = {
            "from": source,
            "to": target,
            "mechanism": draw(st.sampled_from(MECHANISMS)),
        }
        if declared and draw(st.booleans()):
            f["data"] = draw(
                st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True)
            )
        if draw(st.booleans()):
            f["records_per_year"] = draw(VOLUMES)
        if draw(st.integers(0, 5)) == 0:
            f["exemption"] = draw(st.sampled_from(EXEMPTIONS))
        if draw(st.booleans()) and approval_ids:
            f["approvals"] = draw(st.lists(st.sampled_from(approval_ids), max_size=2, unique=True))
        flows[fid] = f
    approvals = {aid: draw(transfer_approvals(ids)) for aid in approval_ids}
    manifest: dict[str, Any] = {
        "version": 1,
        "name": "graph",
        "organisation": {
            "ciio": draw(st.integers(0, 4)) == 0,
            "pi_subjects": draw(st.sampled_from([0, 500_000, 1_000_000, 3_000_000])),
        },
        "programme": {"go_live": draw(DATES)},
        "policy": {"regime": draw(st.sampled_from(sorted(PACKS.regimes)))},
        "components": components,
        "flows": flows,
    }
    if approvals:
        manifest["approvals"] = approvals
    return manifest


@st.composite
def transfer_approvals(draw: st.DrawFn, ids: list[str]) -> dict[str, Any]:
    """Any transfer approval, but mostly ones that may count (approved, dated before
    as_of, unexpired, covering all data and recipients): findings that come and go
    with volumes and approvals need approvals that meet some requirements."""
    out: dict[str, Any] = {"type": draw(st.sampled_from(TRANSFER_TYPES))}
    if draw(st.integers(0, 2)):
        out["status"] = "approved"
        out["approved_on"] = draw(PAST)
    else:
        out["status"] = draw(st.sampled_from(STATUSES))
        for key in ("submitted", "approved_on"):
            if draw(st.booleans()):
                out[key] = draw(DATES)
    if draw(st.integers(0, 3)) == 0:
        out["expires"] = draw(DATES)
    if draw(st.integers(0, 3)) == 0:
        out["data"] = draw(
            st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3, unique=True)
        )
    if draw(st.booleans()):
        out["recipients"] = draw(
            st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True)
        )
    return out


@SETTINGS
@given(data=graphs(), extra=st.data())
def test_adding_an_approval_never_adds_a_finding(
    tmp_path: Path, data: dict[str, Any], extra: st.DataObject
) -> None:
    before = keys(findings(load(tmp_path, data, "before.yaml")))
    ids = sorted(data["components"])
    new = extra.draw(transfer_approvals(ids))
    data.setdefault("approvals", {})["zz-added"] = new
    if extra.draw(st.booleans()):  # listed on a flow, or covering through its recipients only
        fid = extra.draw(st.sampled_from(sorted(data["flows"])))
        data["flows"][fid].setdefault("approvals", []).append("zz-added")
    found = findings(load(tmp_path, data, "after.yaml"))
    # The one finding an approval may add is CN-XB-006's about that approval itself: a
    # PIPIA or consent completed after the transfers began documents a breach of PIPL
    # art. 39/55 ("beforehand"), which no later approval can undo.
    late = {
        (f.rule, f.target, f.path)
        for f in found
        if f.rule == "CN-XB-006"
        and "zz-added (" in f.message
        and "after the transfers" in f.message
    }
    after = keys(found) - late
    assert after <= before, sorted(after - before, key=str)


@SETTINGS
@given(data=graphs(), extra=st.data())
def test_removing_a_flow_never_adds_a_cross_border_finding(
    tmp_path: Path, data: dict[str, Any], extra: st.DataObject
) -> None:
    assume(len(data["flows"]) >= 2)

    def cross_border(found: list[Any]) -> set[tuple[str, str]]:
        return {(f.rule, f.target) for f in found if f.rule.startswith(CROSS_BORDER)}

    before = cross_border(findings(load(tmp_path, data, "before.yaml")))
    gone = extra.draw(st.sampled_from(sorted(data["flows"])))
    del data["flows"][gone]
    after = cross_border(findings(load(tmp_path, data, "after.yaml")))
    assert after <= before, sorted(after - before)


@SETTINGS
@given(data=graphs(), seed=st.integers(0, 2**32 - 1))
def test_findings_do_not_depend_on_the_order_in_the_file(
    tmp_path: Path, data: dict[str, Any], seed: int
) -> None:
    def result(found: list[Any]) -> list[tuple[Any, ...]]:
        # everything but where in the file (lines move when the file is reordered)
        return sorted((f.rule, f.target, f.path, f.level, f.message) for f in found)

    before = result(findings(load(tmp_path, data, "before.yaml")))
    rng = random.Random(seed)
    for section in ("components", "flows"):
        items = list(data[section].items())
        rng.shuffle(items)
        data[section] = dict(items)
    after = result(findings(load(tmp_path, data, "after.yaml")))
    assert after == before


def _personal_holders(ctx: Context) -> set[str]:
    implications = ctx.implications
    return {
        node
        for node, tokens in ctx.lineage.reaching.items()
        if any(who == "CN" and "personal" in implications.get(cat, {cat}) for cat, who in tokens)
    }


def _flow_graph(ctx: Context) -> nx.DiGraph:
    g = nx.DiGraph()
    full = ctx.graph.to_networkx()
    g.add_nodes_from(full.nodes)
    g.add_edges_from((u, v) for u, v, kind in full.edges(data="kind") if kind == "flow")
    return g


def _reachable(g: nx.DiGraph, sources: set[str]) -> set[str]:
    out = set(sources)
    for s in sources:
        out |= nx.descendants(g, s)
    return out


@SETTINGS
@given(data=graphs())
def test_lineage_stays_within_networkx_reachability(tmp_path: Path, data: dict[str, Any]) -> None:
    ctx = Context(load(tmp_path, data), AS_OF)
    # every origin of any data: holdings, and what collectors' flows declare
    origins = {cid for cid, c in data["components"].items() if c.get("data")}
    origins |= {
        f["from"]
        for f in data["flows"].values()
        if f.get("data") and data["components"][f["from"]]["kind"] in ("channel", "device")
    }
    holders = _personal_holders(ctx)
    assert holders <= _reachable(_flow_graph(ctx), origins)


@SETTINGS
@given(data=graphs(declared=False, transforms=False))
def test_lineage_is_networkx_reachability_without_declared_data_or_transforms(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    ctx = Context(load(tmp_path, data), AS_OF)
    origins = {
        cid
        for cid, c in data["components"].items()
        if any(
            i["subjects"] == "CN" and i["category"] in PERSONAL_CATEGORIES
            for i in c.get("data", [])
        )
    }
    assert _personal_holders(ctx) == _reachable(_flow_graph(ctx), origins)
    # and each holder's witness path is a shortest path in networkx from some origin
    g = _flow_graph(ctx)
    for node in _personal_holders(ctx):
        lengths = [nx.shortest_path_length(g, o, node) for o in origins if nx.has_path(g, o, node)]
        paths = [
            ctx.lineage.path_to(node, token)
            for token in ctx.lineage.reaching[node]
            if token[1] == "CN" and token[0] in PERSONAL_CATEGORIES
        ]
        assert min(len(p) for p in paths) - 1 == min(lengths)
