"""Property tests over generated manifests (hypothesis).

- Any manifest built from the schema's vocabulary and the pack's catalogs (unknown
  providers, regions and services included) loads and checks: exit 0 or 1, never 2,
  never an internal error.
- Mutated input (dropped required fields, wrong types, unknown keys, random bytes)
  exits 0, 1 or 2 with a located message, never a traceback.
- Reordering mapping keys never changes the JSON report beyond line and column.
- The JSON report is deterministic.

Every run goes through ``steer.cli.main``, the same entry point as the console script.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steer import vocab
from steer.cli import main
from steer.packs.loader import load_packs

# -- the vocabulary generated manifests draw from -------------------------------------
PACKS = load_packs(["cn"])
CATEGORIES = sorted(PACKS.taxonomy)
PROVIDERS: dict[str, list[str]] = {
    pid: sorted(entry.get("regions", {})) for pid, entry in PACKS.catalogs["providers"].items()
}
UNKNOWN_PROVIDER = "acme-cloud"  # allowed; the guardrails judge it
UNKNOWN_REGION = "zz-nowhere-1"  # a region no provider has: a finding, not an error
SERVICES = [*sorted(PACKS.catalogs["services"]), "acme-saas"]
CDNS = [*sorted(PACKS.catalogs["cdn_providers"]), "acme-cdn"]
MAP_PROVIDERS = [*sorted(PACKS.catalogs["map_providers"]), "openstreetmap"]
PAYMENTS = [*sorted(PACKS.catalogs["payment_providers"]), "bitcoin"]
RULES = sorted(PACKS.by_id)
REGIMES = sorted(PACKS.regimes)
JURISDICTIONS = ["CN", "CN", "HK", "MO", "TW", "US", "DE", "SG"]
CHANNELS = ["wechat-mini-program", "alipay-mini-program", "native-app", "web"]
DOMAINS = [
    "example.com.cn",
    "www.example.com.cn",
    "api.example.com.cn",
    "example.cn",
    "shop.example.dev",
    "example.com",
]
ICP_REFERENCES = [
    "沪ICP备2025031846号-1",
    "京ICP备16020626号-8",
    "粤B2-20090059-1626X",
    "京ICP证030173号",
    "滇ICP备2024000001号",
    "ICP 12345",
]
ROLES = ["ops-engineer", "compliance-officer", "sre"]
AS_OF = st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
DATES = st.dates(dt.date(2023, 1, 1), dt.date(2031, 12, 31)).map(dt.date.isoformat)
# NEL (U+0085): PyYAML's emitter writes it raw, and steer refuses it raw (YAML 1.1
# reads it as a line break no editor shows)
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x85"), max_size=16)
# ids as manifest.md defines them (^[a-z0-9][a-z0-9._-]{0,62}$), short so that they collide
IDS = st.builds(
    str.__add__,
    st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789._-", max_size=8),
)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- generation -------------------------------------------------------------------------
def _optional(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(strategy) if draw(st.booleans()) else None


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


@st.composite
def locations(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    provider = draw(st.sampled_from([*PROVIDERS, UNKNOWN_PROVIDER, None]))
    if provider is not None:
        out["provider"] = provider
        regions = PROVIDERS.get(provider, [])
        region = draw(st.sampled_from([*regions, UNKNOWN_REGION, None]))
        _put(out, "region", region)
    _put(out, "jurisdiction", _optional(draw, st.sampled_from(JURISDICTIONS)))
    return out


def _data_items() -> st.SearchStrategy[list[dict[str, Any]]]:
    item = st.fixed_dictionaries(
        {"category": st.sampled_from(CATEGORIES)},
        optional={
            "subjects": st.sampled_from(JURISDICTIONS),
            "records": st.one_of(st.integers(0, 2_000_000), st.integers(0, 2**70)),
        },
    )
    return st.lists(item, max_size=3)


@st.composite
def components(draw: st.DrawFn, cid: str, ids: list[str], approvals: list[str]) -> dict[str, Any]:
    others = [i for i in ids if i != cid]
    coordinate = st.sampled_from(vocab.COORDINATE_SYSTEMS)
    optional: dict[str, st.SearchStrategy[Any]] = {
        "name": TEXT,
        "description": TEXT,
        "owner": TEXT,
        "location": locations(),
        "data": _data_items(),
        "transforms": st.lists(
            st.fixed_dictionaries(
                {"from": st.sampled_from(CATEGORIES), "to": st.sampled_from(CATEGORIES)}
            ),
            max_size=2,
        ),
        "service": st.sampled_from(SERVICES),
        "internet_facing": st.booleans(),
        "domains": st.lists(st.sampled_from(DOMAINS), max_size=3),
        "cdn": st.sampled_from(CDNS),
        "launch": DATES,
        "maps": st.fixed_dictionaries(
            {"provider": st.sampled_from(MAP_PROVIDERS)}, optional={"coordinate_system": coordinate}
        ),
        "coordinate_system": coordinate,
        "converts_coordinates": st.fixed_dictionaries({"from": coordinate, "to": coordinate}),
        "channel": st.sampled_from(CHANNELS),
        "audience": st.lists(st.sampled_from(vocab.AUDIENCES), unique=True),
        "primary": st.booleans(),
        "payments": st.lists(st.sampled_from(PAYMENTS), max_size=3),
        "retention_days": st.integers(1, 10_000),
        "labels": st.dictionaries(
            IDS, st.one_of(TEXT, st.integers(-5, 5), st.booleans()), max_size=2
        ),
    }
    if others:
        optional["depends_on"] = st.lists(st.sampled_from(others), unique=True, max_size=3)
    if approvals:
        optional["approvals"] = st.lists(st.sampled_from(approvals), unique=True, max_size=3)
    return draw(
        st.fixed_dictionaries({"kind": st.sampled_from(vocab.COMPONENT_KINDS)}, optional=optional)
    )


@st.composite
def flows(draw: st.DrawFn, ids: list[str], approvals: list[str]) -> dict[str, Any]:
    source = draw(st.sampled_from(ids))
    target = draw(st.sampled_from([i for i in ids if i != source]))
    optional: dict[str, st.SearchStrategy[Any]] = {
        "data": st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=3),
        "subjects": st.sampled_from(JURISDICTIONS),
        "records_per_year": st.one_of(st.integers(0, 2_000_000), st.integers(0, 2**70)),
        "mechanism": st.sampled_from(vocab.MECHANISMS),
        "purpose": TEXT,
        "exemption": st.sampled_from(vocab.EXEMPTIONS),
    }
    if approvals:
        optional["approvals"] = st.lists(st.sampled_from(approvals), unique=True, max_size=4)
    return draw(
        st.fixed_dictionaries({"from": st.just(source), "to": st.just(target)}, optional=optional)
    )


@st.composite
def approvals_of(draw: st.DrawFn, ids: list[str]) -> dict[str, Any]:
    return draw(
        st.fixed_dictionaries(
            {
                "type": st.sampled_from(vocab.APPROVAL_TYPES),
                "status": st.sampled_from(vocab.APPROVAL_STATUSES),
            },
            optional={
                "name": TEXT,
                "submitted": DATES,
                "approved_on": DATES,
                "expires": DATES,
                "reference": st.one_of(st.sampled_from(ICP_REFERENCES), TEXT),
                "provider": st.sampled_from([*PROVIDERS, UNKNOWN_PROVIDER]),
                "domains": st.lists(st.sampled_from(DOMAINS), max_size=3),
                "data": st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=3),
                "recipients": st.lists(st.sampled_from(ids), unique=True, max_size=3),
            },
        )
    )


def _parameter_value(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind = schema.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", 0), min(400, schema.get("maximum", 400)))
    if kind == "string" and "enum" in schema:
        return st.sampled_from(schema["enum"])
    if kind == "array":
        items = schema.get("items", {})
        if "enum" in items:
            return st.lists(st.sampled_from(items["enum"]), max_size=3)
        return st.lists(
            st.sampled_from(["alibaba-cloud/*", "aws/cn-*", "amap", "*.dev"]), max_size=3
        )
    raise AssertionError(f"no strategy for parameter schema {schema}")  # a new parameter type


PARAMETERS = {name: _parameter_value(p.schema) for name, p in PACKS.parameters.items()}


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(IDS, min_size=1, max_size=7, unique=True))
    approval_ids = draw(st.lists(IDS, max_size=5, unique=True))
    comps = {cid: draw(components(cid, ids, approval_ids)) for cid in ids}
    out: dict[str, Any] = {"version": 1, "name": draw(IDS)}
    _put(out, "description", _optional(draw, TEXT))
    _put(
        out,
        "organisation",
        _optional(
            draw,
            st.fixed_dictionaries(
                {}, optional={"ciio": st.booleans(), "pi_subjects": st.integers(0, 3_000_000)}
            ),
        ),
    )
    _put(out, "programme", _optional(draw, st.fixed_dictionaries({}, optional={"go_live": DATES})))
    _put(
        out,
        "policy",
        _optional(
            draw,
            st.fixed_dictionaries(
                {},
                optional={
                    "packs": st.just(["cn"]),
                    "regime": st.sampled_from(REGIMES),
                    "parameters": st.fixed_dictionaries({}, optional=PARAMETERS),
                },
            ),
        ),
    )
    out["components"] = comps
    if len(ids) > 1:
        flow_ids = draw(st.lists(IDS, max_size=8, unique=True))
        out["flows"] = {fid: draw(flows(ids, approval_ids)) for fid in flow_ids}
    out["approvals"] = {aid: draw(approvals_of(ids)) for aid in approval_ids}
    _put(
        out,
        "operations",
        _optional(
            draw,
            st.fixed_dictionaries(
                {},
                optional={
                    "coverage": st.sampled_from(vocab.COVERAGE),
                    "incident_response": st.sampled_from(vocab.INCIDENT_RESPONSE),
                    "model": st.sampled_from(vocab.OPERATIONS_MODELS),
                    "team": st.lists(
                        st.fixed_dictionaries(
                            {
                                "role": st.sampled_from(ROLES),
                                "count": st.integers(0, 5),
                                "location": st.sampled_from(JURISDICTIONS),
                            }
                        ),
                        max_size=4,
                    ),
                },
            ),
        ),
    )
    targets = [f"components.{i}" for i in ids] + ["manifest", "operations"]
    waiver = st.fixed_dictionaries(
        {
            "rule": st.sampled_from(RULES),
            "reason": TEXT.filter(bool),
            "owner": TEXT.filter(bool),
            "expires": DATES,
        },
        optional={"target": st.sampled_from(targets)},
    )
    _put(out, "waivers", _optional(draw, st.lists(waiver, max_size=2)))
    return out


# -- running steer ----------------------------------------------------------------------
@pytest.fixture(scope="module", autouse=True)
def _no_debug() -> Iterator[None]:
    # STEER_DEBUG re-raises internal errors; these tests want what users see
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("STEER_DEBUG", raising=False)
        mp.setenv("NO_COLOR", "1")
        yield


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def check(path: Path, as_of: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path), "--format", "json", "--as-of", as_of])
    return code, out.getvalue(), err.getvalue()


def assert_clean(err: str) -> None:
    assert "Traceback" not in err, err
    assert "internal error" not in err, err


# -- properties -----------------------------------------------------------------------------
@SETTINGS
@given(data=manifests(), as_of=AS_OF)
def test_generated_manifests_check_without_error(
    workdir: Path, data: dict[str, Any], as_of: str
) -> None:
    path = workdir / "generated.yaml"
    path.write_text(dump(data), encoding="utf-8")
    code, out, err = check(path, as_of)
    assert_clean(err)
    assert code in (0, 1), err
    report = json.loads(out)
    summary = report["summary"]
    assert code == (1 if summary["error"] else 0)
    for finding in report["findings"]:
        assert finding["location"]["line"] >= 1
        assert finding["level"] in vocab.LEVELS


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield (*prefix, i)
            yield from _paths(item, (*prefix, i))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _exists(data: Any, path: tuple[Any, ...]) -> bool:
    for part in path:
        in_map = isinstance(data, dict) and isinstance(part, str) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_map or in_list):
            return False
        data = data[part]
    return True


def _keys(data: Any, section: str) -> list[Any]:
    value = data.get(section) if isinstance(data, dict) else None
    if isinstance(value, dict):
        return list(value)
    return list(range(len(value))) if isinstance(value, list) else []


def _required_paths(data: Any) -> list[tuple[Any, ...]]:
    """Required fields that are present (earlier mutations may have removed some)."""
    out: list[tuple[Any, ...]] = [("version",), ("name",)]
    out += [("components", c, "kind") for c in _keys(data, "components")]
    out += [("flows", f, end) for f in _keys(data, "flows") for end in ("from", "to")]
    out += [("approvals", a, k) for a in _keys(data, "approvals") for k in ("type", "status")]
    out += [
        ("waivers", i, k)
        for i in _keys(data, "waivers")
        for k in ("rule", "reason", "owner", "expires")
    ]
    return [p for p in out if _exists(data, p)]


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    TEXT,
    st.sampled_from(["2026-02-30", "not-a-date", "CN", "personal", "-1", "yes"]),
    st.lists(st.one_of(st.integers(), TEXT), max_size=3),
    st.dictionaries(TEXT, st.integers(), max_size=2),
)


# weights by repetition: mostly structural mutations that get past the YAML parser,
# so that the schema, the reference checks and the engine see them
MUTATIONS = (
    ["drop"] * 3 + ["drop-required"] * 3 + ["retype"] * 4 + ["unknown-key"] * 2 + ["retype-root"]
)
BYTE_EDITS = ["none"] * 6 + ["insert", "truncate", "replace"]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = copy.deepcopy(draw(manifests()))
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(MUTATIONS))
        # deepest first: sampled_from leans towards the front, and nested fields are
        # where the schema and the engine have the most to get wrong
        paths = sorted(_paths(data), key=len, reverse=True)
        if op == "drop-required":
            paths = _required_paths(data)
        if not paths:
            continue
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        if op in ("drop", "drop-required"):
            del parent[path[-1]]
        elif op == "retype":
            parent[path[-1]] = draw(JUNK)
        elif op == "unknown-key":
            target = parent[path[-1]] if isinstance(parent[path[-1]], dict) else parent
            if isinstance(target, dict):
                target[draw(st.sampled_from(["colour", "kindd", "x-extra", "lables"]))] = draw(JUNK)
        else:
            data = draw(st.one_of(JUNK, st.just(data)))
    raw = dump(data).encode("utf-8")
    edit = draw(st.sampled_from(BYTE_EDITS))
    if edit != "none" and raw:
        at = draw(st.integers(0, len(raw)))
        noise = draw(st.binary(min_size=1, max_size=8))
        if edit == "insert":
            raw = raw[:at] + noise + raw[at:]
        elif edit == "truncate":
            raw = raw[:at]
        else:
            raw = raw[:at] + noise + raw[at + len(noise) :]
    return raw


@SETTINGS
@given(raw=mutated(), as_of=AS_OF)
def test_mutated_input_never_crashes(workdir: Path, raw: bytes, as_of: str) -> None:
    path = workdir / "mutated.yaml"
    path.write_bytes(raw)
    code, out, err = check(path, as_of)
    assert_clean(err)
    assert code in (0, 1, 2)
    if code == 2:
        # a message that names the file (file:line:col where there is a position)
        assert path.name in err, err
    if out:
        json.loads(out)  # whatever is written is a whole report, never a fragment
    else:
        assert code == 2


def _shuffled(mapping: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    keys = list(mapping)
    rnd.shuffle(keys)
    return {k: mapping[k] for k in keys}


def reorder(data: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    """The same manifest with mapping keys in another order (lists keep theirs)."""
    out = _shuffled(data, rnd)
    for section in ("components", "flows", "approvals"):
        if isinstance(out.get(section), dict):
            out[section] = _shuffled(
                {
                    k: _shuffled(v, rnd) if isinstance(v, dict) else v
                    for k, v in out[section].items()
                },
                rnd,
            )
    for section in ("organisation", "programme", "policy", "operations"):
        if isinstance(out.get(section), dict):
            out[section] = _shuffled(out[section], rnd)
    return out


def _without_positions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k not in ("line", "column")}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


@SETTINGS
@given(data=manifests(), as_of=AS_OF, rnd=st.randoms(use_true_random=False))
def test_key_order_never_changes_the_report(
    workdir: Path, data: dict[str, Any], as_of: str, rnd: random.Random
) -> None:
    path = workdir / "ordered.yaml"  # the same file name: the report names it
    path.write_text(dump(data), encoding="utf-8")
    code1, first, err1 = check(path, as_of)
    path.write_text(dump(reorder(data, rnd)), encoding="utf-8")
    code2, second, err2 = check(path, as_of)
    assert_clean(err1 + err2)
    assert code1 == code2
    a, b = json.loads(first), json.loads(second)
    assert {(f["rule"], f["target"]) for f in a["findings"]} == {
        (f["rule"], f["target"]) for f in b["findings"]
    }
    assert _without_positions(a) == _without_positions(b)


@SETTINGS
@given(data=manifests(), as_of=AS_OF)
def test_json_report_is_deterministic(workdir: Path, data: dict[str, Any], as_of: str) -> None:
    path = workdir / "twice.yaml"
    path.write_text(dump(data), encoding="utf-8")
    first = check(path, as_of)
    second = check(path, as_of)
    assert first == second
    assert first[1].endswith("\n")
