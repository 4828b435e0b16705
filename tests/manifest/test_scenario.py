"""Scenario files, RFC 7396 merge patches, located patched documents, and
``steer check --scenario`` / ``--set``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steer import engine
from steer.errors import ScenarioError
from steer.loading.parse import load_text
from steer.manifest.model import Manifest
from steer.manifest.scenario import (
    Layer,
    apply,
    apply_layers,
    diff_patch,
    load_scenario,
    merge_patch,
    set_layer,
)
from support import (
    MANIFEST,
    run,  # the CLI in-process, output captured
)

AS_OF = "2026-11-26"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


_BASE: Manifest | None = None


def base() -> Manifest:
    """The mini manifest, loaded once (hypothesis reuses it across examples)."""
    global _BASE
    if _BASE is None:
        doc = load_text(MANIFEST, "m.yaml")
        from steer.manifest.load import build_manifest

        _BASE = build_manifest(doc)
    return _BASE


def findings(manifest: Manifest, as_of: str = AS_OF) -> list[dict[str, Any]]:
    return [f.to_json() for f in engine.run(manifest, engine.Settings(as_of=as_of)).findings]


def without_location(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.items() if k != "location"} for f in items]


# -- RFC 7396 -------------------------------------------------------------------------------
RFC_APPENDIX_A = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "expected"), RFC_APPENDIX_A)
def test_merge_patch_is_rfc_7396(target: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(target, patch) == expected


def test_merge_patch_semantics_on_a_manifest() -> None:
    data = base().data
    patched = merge_patch(
        data,
        {
            "components": {
                "portal": {"location": {"region": "cn-beijing"}, "domains": ["a.cn", "b.cn"]},
                "eu.archive": None,
            },
            "flows": {"crm-sync": None},
        },
    )
    # null removes
    assert "eu.archive" not in patched["components"]
    assert patched["flows"] == {}
    # maps merge recursively: the provider stays, the region changes, siblings stay
    assert patched["components"]["portal"]["location"] == {
        "provider": "alibaba-cloud",
        "region": "cn-beijing",
    }
    assert patched["components"]["portal"]["internet_facing"] is True
    assert patched["components"]["owner-db"] == data["components"]["owner-db"]
    # lists replace, never merge or append
    assert patched["components"]["portal"]["domains"] == ["a.cn", "b.cn"]


def test_merge_patch_never_changes_its_inputs_even_with_yaml_aliases() -> None:
    doc = load_text(
        "shared: &loc {provider: alibaba-cloud, region: cn-shanghai}\n"
        "a: {location: *loc}\nb: {location: *loc}\n",
        "x.yaml",
    )
    assert doc.data["a"]["location"] is doc.data["b"]["location"]  # the loader shares aliases
    patch = {"a": {"location": {"region": "cn-beijing"}}, "c": [1, 2]}
    before = json.dumps(doc.data, sort_keys=True)
    out = merge_patch(doc.data, patch)
    assert out["a"]["location"]["region"] == "cn-beijing"
    assert out["b"]["location"]["region"] == "cn-shanghai"  # not dragged along by the alias
    assert json.dumps(doc.data, sort_keys=True) == before
    assert patch == {"a": {"location": {"region": "cn-beijing"}}, "c": [1, 2]}
    out["c"].append(3)
    assert patch["c"] == [1, 2]  # the result shares nothing with the patch


json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)
no_null_scalars = st.booleans() | st.integers() | st.text(max_size=5)
no_null_values = st.recursive(
    no_null_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abcde"), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(deadline=None, database=None, max_examples=200)
@given(no_null_values, no_null_values)
def test_diff_patch_turns_source_into_target(source: Any, target: Any) -> None:
    assert merge_patch(source, diff_patch(source, target)) == target


@settings(deadline=None, database=None, max_examples=200)
@given(no_null_values, json_values)
def test_patch_then_inverse_restores_any_document(source: Any, patch: Any) -> None:
    patched = merge_patch(source, patch)
    assert merge_patch(patched, diff_patch(patched, source)) == source


# -- scenario files -------------------------------------------------------------------------
def test_load_scenario(workdir: Path) -> None:
    path = write(
        workdir / "s.yaml",
        "name: move-portal\nquestion: Q4 - which cloud?\ndescription: Move the portal\n"
        "as_of: 2027-01-10\npatch:\n  components:\n    portal: {location: {region: cn-beijing}}\n",
    )
    s = load_scenario(path, "s.yaml")
    assert (s.name, s.question, s.description, s.as_of, s.file) == (
        "move-portal",
        "Q4 - which cloud?",
        "Move the portal",
        "2027-01-10",
        "s.yaml",
    )
    assert s.patch == {"components": {"portal": {"location": {"region": "cn-beijing"}}}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: x\npatch: {components: [\n",
            "s.yaml:3:1: YAML syntax: did not find expected node content",
        ),
        (
            "name: x\nquestin: Q2\npatch: {}\n",
            "s.yaml:2:1: questin: unknown field 'questin'; did you mean 'question'? Expected one "
            "of: as_of, description, name, patch, question",
        ),
        ("name: x\nquestion: Q2\n", "s.yaml:1:1: (document): missing required field 'patch'"),
        ("name: x\npatch: [a, b]\n", "s.yaml:2:1: patch: expected a mapping, got a list"),
        (
            "name: Move Portal\npatch: {}\n",
            "s.yaml:1:1: name: 'Move Portal' is not a valid id",
        ),
        (
            "name: x\nas_of: 2027-02-30\npatch: {}\n",
            "s.yaml:2:8: as_of: '2027-02-30' is not a real date (expected YYYY-MM-DD)",
        ),
        ("- name: x\n", "s.yaml:1:1: (document): expected a mapping, got a list"),
        ("", "s.yaml:1:1: file is empty"),
    ],
)
def test_invalid_scenario_files(workdir: Path, text: str, expected: str) -> None:
    write(workdir / "s.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(Path("s.yaml"), "s.yaml")
    assert str(info.value).startswith(expected), str(info.value)
    code, out, err = run(["check", "m.yaml", "--scenario", "s.yaml"])
    assert (code, out) == (2, "")
    assert err.startswith(expected)
    assert "Traceback" not in err


def test_missing_scenario_file(workdir: Path) -> None:
    code, _, err = run(["check", "m.yaml", "--scenario", "nope.yaml"])
    assert code == 2
    assert err.startswith("nope.yaml: no such file")


def test_patch_with_a_flow_to_an_unknown_component(workdir: Path) -> None:
    write(
        workdir / "s.yaml",
        "name: new-flow\npatch:\n  flows:\n    extra:\n      from: owner-db\n      to: "
        "global-cmr\n",
    )
    code, out, err = run(["check", "m.yaml", "--scenario", "s.yaml"])
    assert (code, out) == (2, "")
    assert err.startswith(
        "s.yaml:6:11: scenario 'new-flow' makes the manifest invalid: flows.extra.to: "
        "unknown component 'global-cmr'; did you mean 'global-crm'?"
    )
    assert len(err.splitlines()) == 1


def test_removing_a_component_a_flow_uses_blames_the_null(workdir: Path) -> None:
    write(workdir / "s.yaml", "name: drop-crm\npatch:\n  components:\n    global-crm: null\n")
    code, _, err = run(["check", "m.yaml", "--scenario", "s.yaml"])
    assert code == 2
    # the scenario's line (the null) and the manifest's own error with its place
    assert err.startswith(
        "s.yaml:4:17: scenario 'drop-crm' makes the manifest invalid: m.yaml:28:9: "
        "flows.crm-sync.to: unknown component 'global-crm'"
    )


def test_schema_errors_of_a_patch_are_all_located(workdir: Path) -> None:
    write(
        workdir / "s.yaml",
        "name: typos\npatch:\n  components:\n    portal: {kind: servce}\n"
        "    owner-db: {kind: null}\n",
    )
    code, _, err = run(["check", "m.yaml", "--scenario", "s.yaml"])
    assert code == 2
    first, second, total = err.splitlines()
    # the removed kind: blamed on its null, with the manifest's own error and place
    assert first.startswith(
        "s.yaml:5:22: scenario 'typos' makes the manifest invalid: m.yaml:6:3: "
        "components.owner-db: missing required field 'kind'"
    )
    # the misspelt kind: the patch set it, so the scenario's line
    assert second.startswith(
        "s.yaml:4:14: scenario 'typos' makes the manifest invalid: components.portal.kind: "
        "unknown component kind 'servce'; did you mean 'service'?"
    )
    assert total == "s.yaml: 2 errors (the first is the most relevant; 1 more follow it)"


def test_unknown_regime_and_pack_point_at_the_patch(workdir: Path) -> None:
    write(workdir / "s.yaml", "name: regime\npatch:\n  policy: {regime: cn-2099}\n")
    code, _, err = run(["check", "m.yaml", "--scenario", "s.yaml"])
    assert code == 2
    assert err.startswith(
        "s.yaml:3:20: scenario 'regime' makes the manifest invalid: policy.regime: "
        "unknown regime 'cn-2099'"
    )
    write(workdir / "s.yaml", "name: pack\npatch:\n  policy: {packs: [nope]}\n")
    code, _, err = run(["check", "m.yaml", "--scenario", "s.yaml"])
    assert code == 2
    assert err.startswith("s.yaml:3:20: scenario 'pack' makes the manifest invalid: ")


def test_an_invalid_manifest_is_blamed_on_the_manifest(workdir: Path) -> None:
    write(workdir / "bad.yaml", MANIFEST.replace("kind: service", "kind: servce"))
    write(workdir / "s.yaml", "name: ok\npatch: {}\n")
    code, _, err = run(["check", "bad.yaml", "--scenario", "s.yaml"])
    assert code == 2
    assert err.startswith("bad.yaml:13:5: components.portal.kind: unknown component kind")


# -- locations ------------------------------------------------------------------------------
def test_findings_keep_manifest_lines_and_added_elements_point_at_the_scenario(
    workdir: Path,
) -> None:
    write(
        workdir / "s.yaml",
        "name: q4\npatch:\n  components:\n"
        "    portal:\n      location: {provider: tencent-cloud, region: ap-shanghai}\n"
        "    us-store:\n      kind: datastore\n      location: {provider: aws, region: us-east-1}\n"
        "      data: [{category: personal, subjects: CN}]\n",
    )
    code, out, err = run(
        [
            "check",
            "m.yaml",
            "--scenario",
            "s.yaml",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "--select",
            "CN-DS-001,CN-ICP-003",
        ]
    )
    assert code == 1, err
    got = {(f["rule"], f["target"]): f["location"] for f in json.loads(out)["findings"]}
    assert got == {
        # the patch adds us-store: its line in the scenario file
        ("CN-DS-001", "components.us-store"): {"file": "s.yaml", "line": 6, "column": 5},
        # icp-1 exists in the manifest (the patch moved the portal it covers)
        ("CN-ICP-003", "approvals.icp-1"): {"file": "m.yaml", "line": 33, "column": 3},
    }


def test_patched_document_marks() -> None:
    from steer.manifest.scenario import PatchedDocument

    manifest = base()  # compacted by build_manifest
    scenario_doc = load_text(
        "name: x\npatch:\n  components:\n    portal:\n      location: {region: cn-beijing}\n"
        "    new:\n      kind: service\n  flows:\n    crm-sync: {records_per_year: 5}\n",
        "s.yaml",
    )
    # a validated manifest keeps only element positions; patches need all of them
    assert str(manifest.doc.mark(("components", "portal", "location", "provider"))) == "m.yaml:12:3"
    source = load_text(MANIFEST, "m.yaml")
    doc = PatchedDocument(source, [Layer("scenario 'x'", scenario_doc.data["patch"], scenario_doc)])
    assert str(doc.mark(("components", "portal"))) == "m.yaml:12:3"  # merged into: manifest
    assert str(doc.mark(("components", "portal", "location", "region"))) == "s.yaml:5:18"
    assert str(doc.mark(("components", "portal", "location", "provider"))) == "m.yaml:14:16"
    assert str(doc.mark(("components", "new"))) == "s.yaml:6:5"  # added: scenario
    assert str(doc.mark(("components", "new", "kind"))) == "s.yaml:7:7"
    assert str(doc.value_mark(("flows", "crm-sync", "records_per_year"))) == "s.yaml:9:34"
    assert str(doc.mark(("flows", "crm-sync", "from"))) == "m.yaml:27:5"
    assert str(doc.mark(())) == "m.yaml:1:1"


# -- --set ---------------------------------------------------------------------------------------
def set_value(path_value: str) -> Any:
    """The manifest data after one --set."""
    manifest = apply(base(), None, [path_value])
    return manifest.data


@pytest.mark.parametrize(
    ("flag", "path", "expected"),
    [
        (
            "components.owner-db.data=[{category: personal, subjects: CN, records: 5000}]",
            ("components", "owner-db", "data"),
            [{"category": "personal", "subjects": "CN", "records": 5000}],
        ),
        ("flows.crm-sync.records_per_year=90000", ("flows", "crm-sync", "records_per_year"), 90000),
        ("programme.go_live=2027-04-01", ("programme", "go_live"), "2027-04-01"),
        (
            "components.portal.internet_facing=false",
            ("components", "portal", "internet_facing"),
            False,
        ),
        (
            "components.portal.domains=[a.example.cn, b.example.cn]",
            ("components", "portal", "domains"),
            ["a.example.cn", "b.example.cn"],
        ),
        ("policy.regime=cn-2024", ("policy", "regime"), "cn-2024"),
        ("components.portal.description='42'", ("components", "portal", "description"), "42"),
        (
            "policy.parameters.vehicle_data_is_important=true",
            ("policy", "parameters", "vehicle_data_is_important"),
            True,
        ),
        (
            "policy.parameters.assessment_personal_threshold=50000",
            ("policy", "parameters", "assessment_personal_threshold"),
            50000,
        ),
        ("approvals.cac-1.status=approved", ("approvals", "cac-1", "status"), "approved"),
        (
            "components.eu.archive.retention_days=30",
            ("components", "eu.archive", "retention_days"),
            30,
        ),
        (
            'components."eu.archive".retention_days=31',
            ("components", "eu.archive", "retention_days"),
            31,
        ),
        ("operations.team[0].count=3", ("operations", "team", 0, "count"), 3),
        ("operations.team.1.count=4", ("operations", "team", 1, "count"), 4),
    ],
)
def test_set_values_are_typed_as_yaml(flag: str, path: tuple[Any, ...], expected: Any) -> None:
    value: Any = set_value(flag)
    for part in path:
        value = value[part]
    assert value == expected
    assert type(value) is type(expected)


def test_set_null_removes_and_mappings_replace() -> None:
    data = set_value("components.portal.cdn=null")
    assert "cdn" not in data["components"]["portal"]
    data = set_value("flows.crm-sync=null")
    assert data["flows"] == {}
    data = set_value("operations.team[0]=null")
    assert data["operations"]["team"] == [
        {"role": "compliance-officer", "count": 1, "location": "CN"}
    ]
    # a mapping value replaces the mapping: region is gone, not merged in
    data = set_value("components.portal.location={provider: tencent-cloud, region: ap-shanghai}")
    assert data["components"]["portal"]["location"] == {
        "provider": "tencent-cloud",
        "region": "ap-shanghai",
    }
    data = set_value("components.portal.location={jurisdiction: CN}")
    assert data["components"]["portal"]["location"] == {"jurisdiction": "CN"}
    # a new key, and an item appended at the list's length
    data = set_value("components.cache={kind: datastore}")
    assert data["components"]["cache"] == {"kind": "datastore"}
    data = set_value("operations.team[2]={role: ops-engineer, count: 1, location: CN}")
    assert len(data["operations"]["team"]) == 3


def test_set_never_changes_the_loaded_manifest() -> None:
    manifest = base()
    before = json.dumps(manifest.data, sort_keys=True)
    apply(manifest, None, ["components.portal.location.region=cn-beijing", "flows.crm-sync=null"])
    assert json.dumps(manifest.data, sort_keys=True) == before


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        (
            "policy.regime",
            "steer: --set policy.regime: expected PATH=VALUE, e.g. --set policy.regime=cn-2024",
        ),
        ("=cn-2024", "steer: --set =cn-2024: expected PATH=VALUE"),
        (
            "policy.regime=",
            "steer: --set policy.regime=: no value after '='; write null to remove, '' for an "
            "empty string",
        ),
        ("policy.regime=# none", "steer: --set policy.regime=# none: no value after '='"),
        ("policy..regime=x", "steer: --set policy..regime=x: cannot read the path at '.regime'"),
        ("policy.regime.=x", "steer: --set policy.regime.=x: the path is empty or ends with '.'"),
        (
            "components.portal.domains=[a",
            "steer: --set components.portal.domains=[a: the value is not valid YAML: YAML syntax",
        ),
        (
            "operations.team[5].count=1",
            "steer: --set operations.team[5].count=1: operations.team has 2 items; index 5 is "
            "past the end (index 2 appends)",
        ),
        (
            "operations.team.x=1",
            "steer: --set operations.team.x=1: operations.team is a list; index it with a "
            "number, e.g. operations.team[0]",
        ),
        (
            "programme.go_live.year=2027",
            "steer: --set programme.go_live.year=2027: programme.go_live is a string "
            "('2027-03-01'), not a mapping",
        ),
        (
            "components.portal.retention_days=soon",
            "steer: --set components.portal.retention_days=soon: makes the manifest invalid: "
            "components.portal.retention_days: expected an integer, got 'soon'",
        ),
        (
            "components.portal.kind.x=1",
            "steer: --set components.portal.kind.x=1: components.portal.kind is a string "
            "('service'), not a mapping, so it has no key 'x'",
        ),
        (
            "components[0]=x",
            "steer: --set components[0]=x: components is not a list, so [0] cannot index it",
        ),
        (
            "components.portal.kind=servce",
            "steer: --set components.portal.kind=servce: makes the manifest invalid: "
            "components.portal.kind: unknown component kind 'servce'; did you mean 'service'?",
        ),
        (
            "components.global-crm=null",
            "steer: --set components.global-crm=null: makes the manifest invalid: m.yaml:28:9: "
            "flows.crm-sync.to: unknown component 'global-crm'",
        ),
        ("version=2", "steer: --set version=2: makes the manifest invalid: version"),
    ],
)
def test_invalid_set_is_exit_2(workdir: Path, flag: str, message: str) -> None:
    code, out, err = run(["check", "m.yaml", "--set", flag])
    assert (code, out) == (2, "")
    assert err.startswith(message), err
    assert "Traceback" not in err


def test_set_layer_is_a_minimal_patch() -> None:
    layer = set_layer(base().data, "components.portal.location.region=cn-beijing")
    assert layer.patch == {"components": {"portal": {"location": {"region": "cn-beijing"}}}}
    assert layer.doc is None


def test_check_with_set_changes_findings(workdir: Path) -> None:
    argv = ["check", "m.yaml", "--format", "json", "--as-of", AS_OF, "--select", "CN-ICP-003"]
    code, out, _ = run(argv)
    assert (code, json.loads(out)["summary"]["error"]) == (0, 0)
    code, out, _ = run(
        [
            *argv,
            "--set",
            "components.portal.location={provider: tencent-cloud, region: ap-shanghai}",
        ]
    )
    assert code == 1
    (finding,) = json.loads(out)["findings"]
    assert (finding["rule"], finding["target"]) == ("CN-ICP-003", "approvals.icp-1")
    assert "tencent-cloud" in finding["message"]


def test_set_applies_after_the_scenario_and_scenario_as_of_wins(workdir: Path) -> None:
    write(
        workdir / "s.yaml",
        "name: tencent\nas_of: 2027-01-10\npatch:\n  components:\n"
        "    portal: {location: {provider: tencent-cloud, region: ap-shanghai}}\n",
    )
    argv = [
        "check",
        "m.yaml",
        "--scenario",
        "s.yaml",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "--select",
        "CN-ICP-003",
    ]
    code, out, _ = run(argv)
    report = json.loads(out)
    assert (code, report["as_of"], report["summary"]["error"]) == (1, "2027-01-10", 1)
    code, out, _ = run([*argv, "--set", "approvals.icp-1.provider=tencent-cloud"])
    assert (code, json.loads(out)["summary"]["error"]) == (0, 0)


def test_check_never_writes_over_the_scenario(workdir: Path) -> None:
    scenario = write(workdir / "s.yaml", "name: x\npatch: {}\n")
    code, _, err = run(["check", "m.yaml", "--scenario", "s.yaml", "--output", "s.yaml"])
    assert code == 2
    assert "is an input of this run" in err
    assert scenario.read_text(encoding="utf-8") == "name: x\npatch: {}\n"


# -- properties ----------------------------------------------------------------------------------
def test_empty_scenario_changes_nothing(workdir: Path) -> None:
    write(workdir / "s.yaml", "name: nothing\npatch: {}\n")
    plain = run(["check", "m.yaml", "--format", "json", "--as-of", AS_OF])
    with_scenario = run(
        ["check", "m.yaml", "--scenario", "s.yaml", "--format", "json", "--as-of", AS_OF]
    )
    assert plain == with_scenario


LOCATIONS = [
    {"provider": "alibaba-cloud", "region": "cn-shanghai"},
    {"provider": "tencent-cloud", "region": "ap-shanghai"},
    {"provider": "aws", "region": "us-east-1"},
    {"provider": "alibaba-cloud", "region": "cn-hongkong"},
    {"provider": "aws", "region": "cn-northwest-1"},
    {"jurisdiction": "CN"},
    {"jurisdiction": "SG"},
]
COMPONENTS = ["owner-db", "portal", "eu.archive", "global-crm"]
STATUSES = ["planned", "submitted", "in-review", "approved", "rejected", "withdrawn"]
# the dates steer judges (vocab.FIRST_DATE..LAST_DATE); others are refused at load
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)).map(
    lambda d: d.isoformat()
)


def _at(path: list[str], value: Any) -> dict[str, Any]:
    out: Any = value
    for part in reversed(path):
        out = {part: out}
    return out  # type: ignore[no-any-return]


patch_ops = st.one_of(
    st.builds(
        lambda c, loc: _at(["components", c, "location"], loc),
        st.sampled_from(COMPONENTS),
        st.sampled_from(LOCATIONS),
    ),
    st.builds(
        lambda c, f: _at(["components", c, f], None),
        st.sampled_from(COMPONENTS),
        st.sampled_from(
            ["retention_days", "internet_facing", "domains", "approvals", "data", "location"]
        ),
    ),
    st.builds(
        lambda n: _at(
            ["components", "owner-db", "data"],
            [{"category": "personal", "subjects": "CN", "records": n}],
        ),
        st.integers(min_value=0, max_value=2_000_000),
    ),
    st.builds(
        lambda n: _at(["flows", "crm-sync", "records_per_year"], n),
        st.integers(min_value=0, max_value=2_000_000),
    ),
    st.just(_at(["flows", "crm-sync"], None)),
    st.builds(
        lambda a, b: _at(["flows", "extra"], {"from": a, "to": b, "data": ["personal"]}),
        st.sampled_from(COMPONENTS[:2]),
        st.sampled_from(COMPONENTS[2:]),
    ),
    st.builds(
        lambda loc: _at(
            ["components", "new-store"],
            {
                "kind": "datastore",
                "location": loc,
                "data": [{"category": "personal", "subjects": "CN"}],
            },
        ),
        st.sampled_from(LOCATIONS),
    ),
    st.builds(lambda r: _at(["policy", "regime"], r), st.sampled_from(["cn-2022", "cn-2024"])),
    st.builds(
        lambda s, d: _at(["approvals", "cac-1"], {"status": s, "approved_on": d}),
        st.sampled_from(STATUSES),
        dates,
    ),
    st.builds(
        lambda v: _at(["policy", "parameters", "vehicle_data_is_important"], v), st.booleans()
    ),
    st.builds(lambda d: _at(["programme", "go_live"], d), dates),
    st.builds(
        lambda n: _at(
            ["operations", "team"], [{"role": "ops-engineer", "count": n, "location": "CN"}]
        ),
        st.integers(min_value=0, max_value=5),
    ),
    st.just(_at(["operations"], None)),
)


def compose(patches: list[dict[str, Any]]) -> dict[str, Any]:
    """One merge patch doing what applying ``patches`` in order does (later wins)."""
    out: dict[str, Any] = {}
    for patch in patches:
        out = _compose(out, patch)
    return out


def _compose(first: Any, second: Any) -> Any:
    if isinstance(first, dict) and isinstance(second, dict):
        out = dict(first)
        for key, value in second.items():
            out[key] = _compose(first.get(key), value) if key in first else value
        return out
    return second


@settings(
    deadline=None, database=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(patch_ops, min_size=1, max_size=6))
def test_scenario_then_inverse_gives_the_baseline_back(ops: list[dict[str, Any]]) -> None:
    manifest = base()
    patch = compose(ops)
    # every op keeps the manifest valid (components are moved or trimmed, never removed)
    patched = apply_layers(manifest, [Layer("scenario 'random'", patch)])
    inverse = diff_patch(patched.data, manifest.data)
    back = apply_layers(patched, [Layer("scenario 'inverse'", inverse)])
    assert back.data == manifest.data
    # Locations differ by design (what the inverse restores points at the inverse),
    # everything else about the findings is the same.
    assert without_location(findings(back)) == without_location(findings(manifest))


def test_scenario_and_inverse_via_files_and_cli(workdir: Path) -> None:
    patch = {
        "components": {
            "portal": {"location": {"provider": "tencent-cloud", "region": "ap-shanghai"}},
            "eu.archive": None,
        },
        "policy": {"regime": "cn-2024"},
    }
    write(workdir / "s.yaml", json.dumps({"name": "fwd", "patch": patch}))
    patched = apply(base(), load_scenario(Path("s.yaml")))
    inverse = diff_patch(patched.data, base().data)
    assert without_location(findings(patched)) != without_location(findings(base()))
    write(workdir / "inv.yaml", json.dumps({"name": "inv", "patch": inverse}))
    write(workdir / "p.yaml", json.dumps(patched.data, ensure_ascii=False))
    code, out, err = run(
        ["check", "p.yaml", "--scenario", "inv.yaml", "--format", "json", "--as-of", AS_OF]
    )
    code0, out0, _ = run(["check", "m.yaml", "--format", "json", "--as-of", AS_OF])
    assert code == code0, err
    assert without_location(json.loads(out)["findings"]) == without_location(
        json.loads(out0)["findings"]
    )


def test_a_component_only_set_adds_points_at_the_manifest(workdir: Path) -> None:
    # a --set has no file; SARIF and GitHub annotations need one: the nearest part
    # of the manifest that exists (the components key) stands in
    new = "components.us={kind: datastore, location: {jurisdiction: US}, "
    new += "data: [{category: personal, subjects: CN}]}"
    argv = ["check", "m.yaml", "--set", new, "--format", "json", "--select", "CN-DS-001"]
    code, out, _ = run(argv)
    assert code == 1
    (finding,) = json.loads(out)["findings"]
    assert finding["target"] == "components.us"
    assert finding["location"] == {"file": "m.yaml", "line": 5, "column": 1}
