"""Unit tests of the cross-border engine: the data-flow graph (graph.py), lineage
(lineage.py), the law of a crossing (transfers.py), the STEER-LINEAGE note on flows
that declare data their source never has (engine._lineage_notes), and the ``reach``
kind's edge rules. The guardrails built on them have their fixtures in
fixtures/cn/; the CN-XB-002 decision tables and the property tests live in their
own files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from steer.analysis.graph import DataFlowGraph, Edge
from steer.analysis.timelines import add_years
from steer.checks.context import Context
from steer.checks.kinds import reach
from steer.engine import LINEAGE_RULE, Settings, run
from steer.manifest.load import load_manifest
from steer.manifest.model import Manifest

AS_OF = "2026-11-26"
CN = {"provider": "alibaba-cloud", "region": "cn-shanghai"}
CN2 = {"provider": "tencent-cloud", "region": "ap-guangzhou"}
US = {"provider": "aws", "region": "us-east-1"}
DE = {"provider": "aws", "region": "eu-central-1"}
HK = {"provider": "alibaba-cloud", "region": "cn-hongkong"}


def write(tmp_path: Path, data: dict[str, Any], name: str = "manifest.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def manifest(
    tmp_path: Path,
    components: dict[str, Any],
    flows: dict[str, Any] | None = None,
    approvals: dict[str, Any] | None = None,
    **top: Any,
) -> Manifest:
    data: dict[str, Any] = {"version": 1, "name": "lineage-test", **top, "components": components}
    if flows:
        data["flows"] = flows
    if approvals:
        data["approvals"] = approvals
    path = write(tmp_path, data)
    return load_manifest(path, path.name)


def context(
    tmp_path: Path,
    components: dict[str, Any],
    flows: dict[str, Any] | None = None,
    approvals: dict[str, Any] | None = None,
    as_of: str = AS_OF,
    **top: Any,
) -> Context:
    return Context(manifest(tmp_path, components, flows, approvals, **top), as_of)


def comp(
    kind: str = "service", location: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": kind}
    if location is not None:
        out["location"] = location
    out.update(fields)
    return out


def held(category: str, records: int | None = None, subjects: str = "CN") -> dict[str, Any]:
    item: dict[str, Any] = {"category": category, "subjects": subjects}
    if records is not None:
        item["records"] = records
    return item


def flow(src: str, dst: str, **fields: Any) -> dict[str, Any]:
    return {"from": src, "to": dst, **fields}


def categories_at(ctx: Context, node: str, subjects: str = "CN") -> set[str]:
    return {cat for cat, who in ctx.lineage.reaching[node] if who == subjects}


# -- the graph ------------------------------------------------------------------------
class TestGraph:
    def test_nodes_know_their_resolved_jurisdiction(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp("datastore", CN),
                "hk": comp("service", HK),
                "lake": comp("datastore", US),
                "vehicles": comp("device"),  # the platform's own: taken to be home
                "app": comp("channel"),
                "saas": comp("external"),  # nothing says where: not home
                "onprem": comp("service", {"jurisdiction": "CN"}),
            },
        )
        graph = DataFlowGraph.build(ctx.components, ctx.manifest.flows, ctx.home)
        where = {n: graph.jurisdiction(n) for n in graph.nodes}
        assert where == {
            "db": "CN",
            "hk": "HK",
            "lake": "US",
            "vehicles": "CN",
            "app": "CN",
            "saas": None,
            "onprem": "CN",
        }
        assert [n for n in graph.nodes if graph.is_home(n)] == ["db", "vehicles", "app", "onprem"]
        assert graph.nodes["db"]["provider"] == "alibaba-cloud"
        assert graph.nodes["db"]["region"] == "cn-shanghai"

    def test_flows_are_data_edges_and_depends_on_call_edges(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "a": comp("service", CN, depends_on=["b", "c"]),
                "b": comp("service", CN),
                "c": comp("external"),
            },
            {"ab": flow("a", "b"), "ba": flow("b", "a")},
        )
        graph = ctx.graph
        assert list(graph.out_edges("a", ("flow",))) == [Edge("ab", "a", "b", "flow")]
        assert list(graph.out_edges("a", ("call",))) == [
            Edge("dep:a->b", "a", "b", "call"),
            Edge("dep:a->c", "a", "c", "call"),
        ]
        assert [e.id for e in graph.in_edges("b")] == ["ab", "dep:a->b"]
        assert [e.id for e in graph.in_edges("c", ("flow",))] == []
        assert graph.edge_count == 4

    def test_adjacency_is_in_id_order_not_file_order(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {"s": comp("service", CN), "t": comp("service", CN), "u": comp("service", CN)},
            {"zz": flow("s", "t"), "mm": flow("s", "u"), "aa": flow("s", "t")},
        )
        assert [e.id for e in ctx.graph.out_edges("s")] == ["aa", "mm", "zz"]
        assert [e.id for e in ctx.graph.in_edges("t")] == ["aa", "zz"]

    def test_to_networkx_keeps_nodes_edges_and_kinds(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {"a": comp("service", CN, depends_on=["b"]), "b": comp("datastore", US)},
            {"ab": flow("a", "b"), "ab2": flow("a", "b")},
        )
        g = ctx.graph.to_networkx()
        assert set(g.nodes) == {"a", "b"}
        assert g.nodes["b"]["jurisdiction"] == "US"
        assert g.graph["home"] == "CN"
        edges = sorted((u, v, k, d["kind"]) for u, v, k, d in g.edges(keys=True, data=True))
        assert edges == [
            ("a", "b", "ab", "flow"),
            ("a", "b", "ab2", "flow"),
            ("a", "b", "dep:a->b", "call"),
        ]


# -- lineage ----------------------------------------------------------------------------
class TestLineage:
    def test_data_follows_flows_over_many_hops(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "owner-db": comp("datastore", CN, data=[held("personal", 1000)]),
                "api": comp("service", CN),
                "relay": comp("relay", CN),
                "crm": comp("external", {"jurisdiction": "US"}),
                "elsewhere": comp("service", CN),
            },
            {"f1": flow("owner-db", "api"), "f2": flow("api", "relay"), "f3": flow("relay", "crm")},
        )
        lin = ctx.lineage
        for node in ("owner-db", "api", "relay", "crm"):
            assert categories_at(ctx, node) == {"personal"}
        assert categories_at(ctx, "elsewhere") == set()
        assert lin.path_to("crm", ("personal", "CN")) == ("owner-db", "api", "relay", "crm")
        assert lin.path_to("owner-db", ("personal", "CN")) == ("owner-db",)
        [crossing] = lin.crossings()
        assert (crossing.flow, crossing.source, crossing.target) == ("f3", "relay", "crm")
        assert crossing.tokens == {("personal", "CN")}
        assert crossing.paths[("personal", "CN")] == ("owner-db", "api", "relay", "crm")

    def test_cycles_terminate_and_keep_the_shortest_path(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp("datastore", CN, data=[held("personal")]),
                "a": comp("service", CN),
                "b": comp("service", CN),
                "c": comp("service", CN),
                "out": comp("datastore", US),
            },
            {
                # a long way round first, in a loop a -> b -> c -> a, then a shortcut
                "f1": flow("db", "a"),
                "f2": flow("a", "b"),
                "f3": flow("b", "c"),
                "f4": flow("c", "a"),
                "f5": flow("c", "out"),
                "f6": flow("db", "c"),
            },
        )
        lin = ctx.lineage
        assert lin.path_to("c", ("personal", "CN")) == ("db", "c")
        assert lin.path_to("b", ("personal", "CN")) == ("db", "a", "b")
        [crossing] = lin.crossings()
        assert crossing.paths[("personal", "CN")] == ("db", "c", "out")

    def test_collectors_flows_are_origins(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {"app": comp("channel"), "svc": comp("service", CN), "lake": comp("datastore", US)},
            {
                "capture": flow("app", "svc", data=["personal"], subjects="CN"),
                "out": flow("svc", "lake"),
            },
        )
        lin = ctx.lineage
        assert lin.reaching["app"][("personal", "CN")] is None  # an origin has no predecessor
        assert lin.path_to("lake", ("personal", "CN")) == ("app", "svc", "lake")
        assert lin.excess == {}  # what a collector's flow declares is not excess

    def test_subjects_default_to_the_home_jurisdiction(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp(
                    "datastore",
                    CN,
                    data=[{"category": "personal"}, held("personal", subjects="DE")],
                )
            },
        )
        assert set(ctx.lineage.reaching["db"]) == {("personal", "CN"), ("personal", "DE")}

    def test_a_flow_declaring_subjects_carries_only_theirs(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp(
                    "datastore", CN, data=[held("personal"), held("personal", subjects="DE")]
                ),
                "eu": comp("datastore", DE),
            },
            {"eu-only": flow("db", "eu", subjects="DE")},
        )
        assert set(ctx.lineage.carried["eu-only"]) == {("personal", "DE")}
        assert ctx.transfers.personal == []  # no CN subjects cross

    def test_transforms_replace_categories_on_the_way_out(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "store": comp(
                    "datastore",
                    CN,
                    data=[held("telematics"), held("vehicle-location"), held("operational")],
                ),
                "agg": comp(
                    "service",
                    CN,
                    transforms=[
                        {"from": "telematics", "to": "aggregated"},
                        {"from": "personal", "to": "anonymised"},
                    ],
                ),
                "lake": comp("datastore", US),
            },
            {"in": flow("store", "agg"), "out": flow("agg", "lake")},
        )
        # the transforming component holds what reaches it; its outflows carry the output
        assert categories_at(ctx, "agg") == {"telematics", "vehicle-location", "operational"}
        # vehicle-location implies personal, so the personal -> anonymised rule applies;
        # categories no rule matches pass unchanged
        assert categories_at(ctx, "lake") == {"aggregated", "anonymised", "operational"}
        assert ctx.transfers.personal == []

    def test_a_flow_declaring_data_carries_only_that(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp("datastore", CN, data=[held("sensitive-personal"), held("telematics")]),
                "x": comp("datastore", US),
                "y": comp("datastore", US),
            },
            {"declared": flow("db", "x", data=["personal"]), "undeclared": flow("db", "y")},
        )
        lin = ctx.lineage
        # personal is implied by sensitive-personal at the source, so it may be declared
        assert set(lin.carried["declared"]) == {("personal", "CN")}
        assert lin.carried["declared"][("personal", "CN")] == ("sensitive-personal", "CN")
        assert set(lin.carried["undeclared"]) == {
            ("sensitive-personal", "CN"),
            ("telematics", "CN"),
        }
        assert lin.excess == {}

    def test_declared_data_that_never_reaches_the_source_is_excess(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp("datastore", CN, data=[held("personal")]),
                "svc": comp("service", CN, transforms=[{"from": "personal", "to": "anonymised"}]),
                "x": comp("datastore", US),
                "y": comp("datastore", US),
            },
            {
                # sensitive-personal is more than personal: it never reaches db
                "too-much": flow("db", "x", data=["personal", "sensitive-personal"]),
                "feed": flow("db", "svc"),
                # personal reaches svc but leaves it anonymised
                "after-transform": flow("svc", "y", data=["personal"]),
            },
        )
        lin = ctx.lineage
        assert lin.excess == {"too-much": ["sensitive-personal"], "after-transform": ["personal"]}
        assert set(lin.carried["too-much"]) == {("personal", "CN")}
        assert lin.carried["after-transform"] == {}

    def test_only_flows_from_home_to_elsewhere_are_crossings(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp("datastore", CN, data=[held("personal")]),
                "cn2": comp("datastore", CN2),
                "hk": comp("service", HK),
                "hk2": comp("datastore", HK),
                "back": comp("service", CN),
                "nowhere": comp("external"),
                "nothing": comp("datastore", CN),
                "us": comp("datastore", US),
            },
            {
                "to-cn2": flow("db", "cn2"),
                "to-hk": flow("db", "hk"),  # HK is outside the mainland
                "hk-hk": flow("hk", "hk2"),  # abroad to abroad: no further crossing
                "hk-back": flow("hk", "back"),  # coming home is no crossing
                "to-nowhere": flow("db", "nowhere"),  # jurisdiction unknown: not home
                "empty": flow("nothing", "us"),  # carries nothing: no crossing
            },
        )
        crossings = {c.flow: c for c in ctx.lineage.crossings()}
        assert sorted(crossings) == ["to-hk", "to-nowhere"]
        assert crossings["to-hk"].paths[("personal", "CN")] == ("db", "hk")
        assert categories_at(ctx, "back") == {"personal"}

    def test_flow_path_follows_the_carried_source_token(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp("datastore", CN, data=[held("vehicle-location")]),
                "api": comp("service", CN),
                "x": comp("datastore", US),
            },
            {"a": flow("db", "api"), "b": flow("api", "x", data=["personal"])},
        )
        lin = ctx.lineage
        assert lin.carried["b"] == {("personal", "CN"): ("vehicle-location", "CN")}
        assert lin.flow_path("b", "api", "x", ("personal", "CN")) == ("db", "api", "x")
        # a token the flow never carried falls back to the flow's own ends
        assert lin.flow_path("b", "api", "x", ("telematics", "CN")) == ("api", "x")


# -- transfers: volume, approvals, reasons -----------------------------------------------
def approval(kind: str, status: str = "approved", **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": kind, "status": status}
    if status == "approved" and "approved_on" not in fields:
        out["approved_on"] = "2026-06-01"
    out.update(fields)
    return out


def one_crossing(
    tmp_path: Path,
    approvals: dict[str, Any],
    flow_approvals: list[str],
    data: list[str] | None = None,
    **top: Any,
) -> Context:
    flow_fields: dict[str, Any] = {"records_per_year": 5000, "approvals": flow_approvals}
    if data is not None:
        flow_fields["data"] = data
    if not flow_approvals:
        del flow_fields["approvals"]
    return context(
        tmp_path,
        {
            "db": comp("datastore", CN, data=[held("personal", 5000), held("telematics", 5000)]),
            "crm": comp("external", {"jurisdiction": "US"}),
            "other": comp("external", {"jurisdiction": "US"}),
        },
        {"out": flow("db", "crm", **flow_fields)},
        approvals,
        **top,
    )


class TestApprovals:
    def test_covering_lists_the_flows_own_and_those_naming_its_recipient(
        self, tmp_path: Path
    ) -> None:
        ctx = one_crossing(
            tmp_path,
            {
                "own": approval("pipia"),
                "by-recipient": approval("standard-contract", recipients=["crm"]),
                "unrelated": approval("standard-contract", recipients=["other"]),
            },
            ["own"],
        )
        assert [a["id"] for a in ctx.transfers.covering("out")] == ["own", "by-recipient"]
        ok, reasons = ctx.transfers.meet("out", ("standard-contract",), "crm", ("personal",))
        assert ok and reasons == []

    @pytest.mark.parametrize(
        ("spec", "reason"),
        [
            (
                approval("standard-contract"),
                "x is a standard contract, not a CAC security assessment",
            ),
            (
                approval("important-data-assessment"),
                "x is an important-data assessment, not a CAC security assessment",
            ),
            (
                approval("cac-security-assessment", "in-review", submitted="2026-10-01"),
                "x is in-review, not approved",
            ),
            (approval("cac-security-assessment", "rejected"), "x is rejected, not approved"),
            (
                approval("cac-security-assessment", approved_on="2026-12-15"),
                "x is approved only from 2026-12-15",
            ),
            (approval("cac-security-assessment", expires="2026-11-01"), "x expired on 2026-11-01"),
            # no expires: valid by the law on the issue date, 2 years before 2024-03-22
            (
                approval("cac-security-assessment", approved_on="2024-01-10"),
                "x expired on 2026-01-10",
            ),
            (
                approval("cac-security-assessment", recipients=["other"]),
                "x covers recipients other, not crm",
            ),
            (
                approval("cac-security-assessment", data=["telematics"]),
                "x covers telematics, not personal",
            ),
        ],
    )
    def test_why_an_approval_does_not_count(
        self, tmp_path: Path, spec: dict[str, Any], reason: str
    ) -> None:
        ctx = one_crossing(tmp_path, {"x": spec}, ["x"])
        view = ctx.approvals["x"]
        assert (
            ctx.transfers.why_not(view, ("cac-security-assessment",), "crm", ("personal",))
            == reason
        )
        ok, reasons = ctx.transfers.meet("out", ("cac-security-assessment",), "crm", ("personal",))
        assert not ok and reasons == [reason]

    def test_an_approval_that_counts_has_no_reason(self, tmp_path: Path) -> None:
        ctx = one_crossing(
            tmp_path,
            {
                "x": approval(
                    "cac-security-assessment",
                    approved_on="2024-11-26",
                    data=["personal"],
                    recipients=["crm"],
                )
            },
            ["x"],
        )
        # issued 2024-11-26, after CAC Order 16 took effect: valid 3 years (art. 9)
        assert ctx.approvals["x"]["expires_effective"] == "2027-11-26"
        assert "CAC Order 16 art. 9" in ctx.approvals["x"]["validity_basis"]
        assert (
            ctx.transfers.why_not(
                ctx.approvals["x"], ("cac-security-assessment",), "crm", ("personal",)
            )
            is None
        )

    def test_data_coverage_follows_the_taxonomy(self, tmp_path: Path) -> None:
        ctx = one_crossing(tmp_path, {"x": approval("pipia", data=["personal"])}, ["x"])
        why = ctx.transfers.why_not
        view = ctx.approvals["x"]
        # covering personal covers what implies it (sensitive, vehicle location) ...
        assert why(view, ("pipia",), "crm", ("sensitive-personal", "vehicle-location")) is None
        # ... but not what does not, nor an umbrella (telematics is more than PI)
        assert (
            why(view, ("pipia",), "crm", ("personal", "telematics"))
            == "x covers personal, not telematics"
        )
        assert (
            why(view, ("pipia",), "crm", ("personal", "charging-network"))
            == "x covers personal, not charging-network"
        )
        # an approval of the umbrella covers its parts, not the class they belong to
        umbrella = {**view, "data": ["telematics"]}
        assert why(umbrella, ("pipia",), "crm", ("telematics", "vehicle-location")) is None
        assert (
            why(umbrella, ("pipia",), "crm", ("personal",)) == "x covers telematics, not personal"
        )

    def test_unrelated_types_are_not_explained_for_a_mechanism(self, tmp_path: Path) -> None:
        ctx = one_crossing(
            tmp_path,
            {"consent": approval("separate-consent"), "scc": approval("standard-contract")},
            ["consent", "scc"],
        )
        ok, reasons = ctx.transfers.meet("out", ("cac-security-assessment",), "crm", ("personal",))
        assert not ok
        assert reasons == ["scc is a standard contract, not a CAC security assessment"]
        # and a mechanism is not explained where consent is required
        ok, reasons = ctx.transfers.meet("out", ("separate-consent",), "crm", ("personal",))
        assert ok and reasons == []
        ok, reasons = ctx.transfers.meet("out", ("pipia",), "crm", ("personal",))
        assert not ok and reasons == []

    def test_an_assessment_satisfies_a_contract_requirement(self, tmp_path: Path) -> None:
        ctx = one_crossing(tmp_path, {"cac": approval("cac-security-assessment")}, ["cac"])
        # 5,000 a year with sensitive PI (telematics' location tracks) under CAC Order 16
        # art. 8: a standard contract or certification by law
        decision = ctx.transfers.decisions["out"]
        assert decision.requires_by_law == "standard-contract-or-certification"
        ok, _ = ctx.transfers.meet("out", ctx.transfers.required_types("out"), "crm", ("personal",))
        assert ok


class TestVolume:
    def test_records_per_year_of_the_flow(self, tmp_path: Path) -> None:
        ctx = one_crossing(tmp_path, {}, [])
        [facts] = ctx.transfers.personal
        assert (facts.records, facts.records_note) == (5000, "")
        assert facts.categories == ("personal", "telematics")
        assert facts.personal == ("personal", "telematics")  # its parts are personal
        assert facts.sensitive == ("telematics",)  # vehicle location tracks
        assert facts.important == ("telematics",)  # the annex: telematics is important
        assert facts.important_by_law == ()  # ... by its policy, not by law

    def test_records_fall_back_to_the_origin(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp(
                    "datastore",
                    CN,
                    data=[held("personal", 70000), held("sensitive-personal", 8000)],
                ),
                "api": comp("service", CN),
                "crm": comp("external", {"jurisdiction": "US"}),
            },
            {"a": flow("db", "api"), "b": flow("api", "crm", data=["personal"])},
        )
        [facts] = ctx.transfers.personal
        # personal is carried; the origin's largest holding that is (or implies) it counts
        assert facts.records == 70000
        assert facts.records_note == " (no records_per_year; the 70,000 records held at the origin)"
        # the decision counts the holding's individuals: its largest declared data
        assert ctx.transfers.decisions["b"].individuals == 70000

    def test_unknown_volume_is_taken_as_meeting_the_thresholds(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp("datastore", CN, data=[held("personal")]),
                "crm": comp("external", {"jurisdiction": "US"}),
                "lake": comp("datastore", US),
            },
            {"z-out": flow("db", "crm"), "a-out": flow("db", "lake")},
        )
        facts = {f.flow: f for f in ctx.transfers.personal}
        assert facts["z-out"].records is None
        assert facts["z-out"].records_note == (
            " (volume unknown: no records_per_year, and an origin of the data states no records)"
        )
        decisions = ctx.transfers.decisions
        assert list(decisions) == ["a-out", "z-out"]  # sorted, whatever the file order
        for decision in decisions.values():
            assert decision.requires == "cac-security-assessment"  # the conservative one
            assert decision.individuals is None
            assert "a-out, z-out" in decision.basis[0] and "unknown" in decision.basis[0]

    def test_the_largest_origin_counts_and_an_unknown_one_wins(self, tmp_path: Path) -> None:
        components = {
            "small": comp("datastore", CN, data=[held("personal", 10)]),
            "big": comp("datastore", CN, data=[held("personal", 90000), held("operational")]),
            "hub": comp("service", CN),
            "crm": comp("external", {"jurisdiction": "US"}),
        }
        # small is one hop nearer (the witness), but big's 90,000 records cross too
        flows = {
            "a": flow("small", "hub"),
            "b": flow("big", "x1"),
            "c": flow("x1", "hub"),
            "out": flow("hub", "crm"),
        }
        components["x1"] = comp("service", CN)
        ctx = context(tmp_path, components, flows)
        [facts] = ctx.transfers.personal
        assert facts.path_for(["personal"]) == ("small", "hub", "crm")
        assert facts.records == 90000  # the operational data (no records) is not counted
        lin = ctx.lineage
        assert {f: set(v) for f, v in lin.volumes.items()} == {
            f: set(v) for f, v in lin.carried.items() if v
        }
        assert lin.volumes["out"][("personal", "CN")] == 90000
        # an origin with no count makes the volume unknown, however large the others
        components["collector"] = comp("channel")
        flows["collect"] = flow("collector", "hub", data=["personal"])
        ctx = context(tmp_path, components, flows)
        [facts] = ctx.transfers.personal
        assert facts.records is None
        assert ctx.lineage.volumes["out"][("personal", "CN")] is None

    def test_needs_assessment(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "db": comp("datastore", CN, data=[held("personal", 100)]),
                "trips": comp("datastore", CN, data=[held("telematics", subjects="DE")]),
                "crm": comp("external", {"jurisdiction": "US"}),
                "vault": comp("datastore", US),
                "lake": comp("datastore", US),
            },
            {
                "api": flow("db", "crm", records_per_year=100),
                "backup": flow("db", "vault", mechanism="backup", records_per_year=100),
                "trips-out": flow("trips", "lake"),
            },
        )
        transfers = ctx.transfers
        facts = {c.flow: transfers.facts(c) for c in transfers.crossings}
        # 100 individuals under CAC Order 16: exempt (art. 5(4)), backup or not (the
        # annex's stricter rule for backups is CN-DS-004's, not the law's)
        assert transfers.decisions["api"].requires == "none"
        assert transfers.needs_assessment(facts["api"]) == []
        assert transfers.needs_assessment(facts["backup"]) == []
        # important data needs the assessment whoever it is about (as CN-XB-003 judges
        # it); telematics is important only by the annex's policy, and the basis says so
        assert transfers.needs_assessment(facts["trips-out"])
        assert transfers.decisions["trips-out"].requires_by_law == "none"
        assert transfers.decisions["trips-out"].requires == "cac-security-assessment"
        assert ctx.flows["trips-out"]["transfer"]["needs_assessment"] is True
        assert ctx.flows["api"]["transfer"]["needs_assessment"] is False

    def test_path_for_prefers_the_shortest_witness(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "far": comp("datastore", CN, data=[held("personal")]),
                "mid": comp("service", CN),
                "near": comp("service", CN, data=[held("sensitive-personal")]),
                "crm": comp("external", {"jurisdiction": "US"}),
            },
            {"a": flow("far", "mid"), "b": flow("mid", "near"), "c": flow("near", "crm")},
        )
        [facts] = ctx.transfers.personal
        # personal sorts first but came from further away
        assert facts.crossing.paths[("personal", "CN")] == ("far", "mid", "near", "crm")
        assert facts.path_for(facts.personal) == ("near", "crm")
        assert facts.path_for(["personal"]) == ("far", "mid", "near", "crm")

    def test_add_years(self) -> None:
        assert add_years(dt.date(2025, 3, 31), 2) == dt.date(2027, 3, 31)
        assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)


# -- the STEER-LINEAGE note -------------------------------------------------------------------
def test_a_flow_declaring_data_its_source_never_has_is_noted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "version": 1,
            "name": "excess",
            "components": {
                "db": comp("datastore", CN, data=[held("personal", 100)]),
                "crm": comp("external", {"jurisdiction": "US"}),
            },
            "flows": {
                "out": flow(
                    "db", "crm", data=["personal", "vehicle-location"], records_per_year=100
                )
            },
        },
    )
    m = load_manifest(path, path.name)
    report = run(m, Settings(as_of=AS_OF, select=("CN-XB-001",)))
    [note] = [f for f in report.findings if f.rule == LINEAGE_RULE]
    assert note.target == "flows.out"
    assert note.level == "warning"
    assert note.message == (
        "out declares vehicle-location, but no such data reaches its source db; it is taken to "
        "carry only what does"
    )
    text = path.read_text(encoding="utf-8").splitlines()
    # a finding about a flow points at the flow's key (manifest.md, locations in findings)
    assert text[note.location.line - 1].strip().startswith("out:")
    # only personal is carried: the message of CN-XB-001 names no vehicle location
    [xb] = [f for f in report.findings if f.rule == "CN-XB-001"]
    assert "carries personal of CN subjects" in xb.message
    # a run whose guardrails never need lineage says nothing about it
    quiet = run(m, Settings(as_of=AS_OF, select=("CN-DS-002",)))
    assert not [f for f in quiet.findings if f.rule == LINEAGE_RULE]


# -- the reach kind ---------------------------------------------------------------------------
@dataclass
class _Rule:
    """The part of a guardrail ``reach.check`` reads."""

    message: str = "{id} reaches {dest.id} in {hops} hop(s)"


def reach_findings(ctx: Context, check: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    compiled = reach.compile({"kind": "reach", **check}, ctx.packs.parameters)
    hits = list(reach.check(compiled, cast(Any, _Rule()), ctx))
    return {h.target: h.path or () for h in hits}


BLOCKED = {"field": "service", "equals": "google-maps"}
MAINLAND = {"field": "location.jurisdiction", "equals": "CN"}
RELAY = {"field": "kind", "equals": "relay"}


class TestReach:
    @pytest.fixture
    def ctx(self, tmp_path: Path) -> Context:
        # caller -call-> sender -flow-> api -call-> maps;  relayed -call-> relay -call-> maps
        return context(
            tmp_path,
            {
                "caller": comp("service", CN, depends_on=["sender"]),
                "sender": comp("service", CN),
                "api": comp("service", CN, depends_on=["maps"]),
                "flows-direct": comp("service", CN),
                "relayed": comp("service", CN, depends_on=["relay"]),
                "relay": comp("relay", CN, depends_on=["maps"]),
                "maps": comp("external", {"jurisdiction": "US"}, service="google-maps"),
            },
            {"send": flow("sender", "api"), "direct": flow("flows-direct", "maps")},
        )

    def test_transitive_edges_limit_hops_beyond_the_first(self, ctx: Context) -> None:
        found = reach_findings(
            ctx,
            {
                "from": MAINLAND,
                "to": BLOCKED,
                "through": RELAY,
                "edges": ["depends_on", "flows"],
                "transitive_edges": ["depends_on"],
            },
        )
        # sender only sends data to api: a flow beyond the first hop does not count
        assert found == {
            "components.api": ("api", "maps"),
            "components.flows-direct": ("flows-direct", "maps"),
        }

    def test_transitive_edges_default_to_edges(self, ctx: Context) -> None:
        found = reach_findings(ctx, {"from": MAINLAND, "to": BLOCKED, "through": RELAY})
        assert found == {
            "components.api": ("api", "maps"),
            "components.flows-direct": ("flows-direct", "maps"),
            "components.sender": ("sender", "api", "maps"),
            "components.caller": ("caller", "sender", "api", "maps"),
        }

    def test_edges_restrict_every_hop(self, ctx: Context) -> None:
        found = reach_findings(ctx, {"from": MAINLAND, "to": BLOCKED, "edges": ["flows"]})
        assert found == {"components.flows-direct": ("flows-direct", "maps")}

    def test_without_through_a_relay_is_just_a_hop(self, ctx: Context) -> None:
        found = reach_findings(
            ctx, {"from": MAINLAND, "to": BLOCKED, "transitive_edges": ["depends_on"]}
        )
        assert found["components.relayed"] == ("relayed", "relay", "maps")
        assert found["components.relay"] == ("relay", "maps")

    def test_through_components_end_no_path(self, tmp_path: Path) -> None:
        ctx = context(
            tmp_path,
            {
                "gps": comp("device", coordinate_system="WGS-84"),
                "converting-map": comp(
                    "service",
                    CN,
                    maps={"provider": "amap"},
                    converts_coordinates={"from": "WGS-84", "to": "GCJ-02"},
                ),
                "plain-map": comp("service", CN, maps={"provider": "amap"}),
                "hk-relay": comp("relay", {"provider": "aws", "region": "ap-east-1"}),
                "caller": comp("service", CN, depends_on=["hk-relay"]),
            },
            {"a": flow("gps", "converting-map"), "b": flow("converting-map", "plain-map")},
        )
        maps = reach_findings(
            ctx,
            {
                "from": {"field": "coordinate_system", "equals": "WGS-84"},
                "to": {"field": "map_coordinate_system", "in": ["GCJ-02", "BD-09"]},
                "through": {"field": "converts_coordinates.from", "equals": "WGS-84"},
                "edges": ["flows"],
                "report": "to",
            },
        )
        # a map that converts what it receives is fine, and so is what it passes on
        assert maps == {}
        gfw = reach_findings(
            ctx,
            {
                "from": MAINLAND,
                "to": {"field": "location.provider", "equals": "aws"},
                "through": RELAY,
            },
        )
        # a relay hosted in AWS Hong Kong is still the sanctioned way out
        assert gfw == {}


# -- linear time (no clock: sizes that an exponential or quadratic walk could not do) -----------
def test_a_5000_component_chain_is_walked_once(tmp_path: Path) -> None:
    n = 5000
    components: dict[str, Any] = {f"c{i:04d}": comp("service", CN) for i in range(n)}
    components["c0000"]["data"] = [held("personal", 10), held("telematics", 10)]
    components[f"c{n - 1:04d}"]["location"] = US
    flows = {f"f{i:04d}": flow(f"c{i:04d}", f"c{i + 1:04d}") for i in range(n - 1)}
    ctx = context(tmp_path, components, flows)
    lin = ctx.lineage
    # every (component, token) state is entered exactly once: 2 tokens x 5000 components
    assert sum(len(v) for v in lin.reaching.values()) == 2 * n
    [crossing] = lin.crossings()
    path = crossing.paths[("personal", "CN")]
    assert len(path) == n and path[0] == "c0000" and path[-1] == f"c{n - 1:04d}"


def test_a_dense_cyclic_graph_is_walked_once(tmp_path: Path) -> None:
    n, fanout = 200, 40
    components: dict[str, Any] = {f"n{i:03d}": comp("service", CN) for i in range(n)}
    components["n000"]["data"] = [held("personal", 10), held("sensitive-personal", 10)]
    components["n199"]["location"] = US
    # every node feeds the next 40 (mod 200): 8,000 flows, cycles everywhere
    flows = {
        f"e{i:03d}-{j:03d}": flow(f"n{i:03d}", f"n{(i + j) % n:03d}")
        for i in range(n)
        for j in range(1, fanout + 1)
    }
    ctx = context(tmp_path, components, flows)
    lin = ctx.lineage
    assert sum(len(v) for v in lin.reaching.values()) == 2 * n
    crossings = lin.crossings()
    assert {c.target for c in crossings} == {"n199"}
    # 40 nodes feed n199 (n159 .. n198); n159 and n160 are 4 hops from n000, n198 is 5
    lengths = {c.flow: len(c.paths[("personal", "CN")]) for c in crossings}
    assert len(lengths) == fanout
    assert lengths["e160-039"] == 6 and lengths["e198-001"] == 7
    assert set(lengths.values()) == {6, 7}


# -- regressions of the monotonicity properties (see test_lineage_properties.py) ------------
def _keys(tmp_path: Path, data: dict[str, Any], name: str, select: tuple[str, ...]) -> set[Any]:
    path = write(tmp_path, data, name)
    report = run(load_manifest(path, path.name), Settings(as_of=AS_OF, select=select))
    return {(f.rule, f.target) for f in report.findings if f.rule in select}


def test_removing_the_nearer_origin_does_not_raise_the_volume(tmp_path: Path) -> None:
    # crm-sync states no records_per_year: its volume is that of the origins whose data
    # reach it, all of them, not only the witness path's (small, one hop nearer).
    data: dict[str, Any] = {
        "version": 1,
        "name": "volume",
        "components": {
            "small": comp("datastore", CN, data=[held("personal", 10)]),
            "big": comp("datastore", CN, data=[held("personal", 1_500_000)]),
            "hub": comp("service", CN),
            "x": comp("service", CN),
            "crm": comp("external", {"jurisdiction": "US"}),
        },
        "flows": {
            "a": flow("small", "hub"),
            "b": flow("big", "x"),
            "c": flow("x", "hub"),
            "crm-sync": flow("hub", "crm", approvals=["scc"]),
        },
        "approvals": {"scc": approval("standard-contract")},
    }
    rules = ("CN-XB-001", "CN-XB-002")
    before = _keys(tmp_path, data, "before.yaml", rules)
    # 1,500,000 individuals' non-sensitive PI under CAC Order 16 art. 7(2): an assessment
    assert ("CN-XB-002", "flows.crm-sync") in before
    del data["flows"]["a"]
    assert _keys(tmp_path, data, "after.yaml", rules) <= before


def test_an_expired_approval_beside_one_under_way_adds_no_finding(tmp_path: Path) -> None:
    data: dict[str, Any] = {
        "version": 1,
        "name": "expired",
        "organisation": {"pi_subjects": 1_200_000},
        "programme": {"go_live": "2027-06-01"},
        "components": {
            "db": comp("datastore", CN, data=[held("personal", 1_200_000)]),
            "crm": comp("external", {"jurisdiction": "US"}),
        },
        # 1,000,000 individuals a year: an assessment (CAC Order 16 art. 7(2))
        "flows": {"crm-sync": flow("db", "crm", records_per_year=1_000_000, approvals=["new"])},
        "approvals": {
            "new": approval("cac-security-assessment", "in-review", submitted="2026-11-02")
        },
    }
    rules = ("CN-XB-004",)
    assert _keys(tmp_path, data, "before.yaml", rules) == set()
    # issued before 2024-03-22: valid 2 years, so expired since 2025-05-02
    data["approvals"]["old"] = approval("cac-security-assessment", approved_on="2023-05-02")
    data["flows"]["crm-sync"]["approvals"].append("old")
    assert _keys(tmp_path, data, "after.yaml", rules) == set()
    # once live, the expired one is a finding whatever is under way
    data["programme"]["go_live"] = "2026-10-01"
    assert _keys(tmp_path, data, "live.yaml", rules) == {("CN-XB-004", "flows.crm-sync")}
