"""Catalog ids fail closed (issue 12): a provider, service, CDN, map or payment
provider the catalog does not know is a blocking STEER-CATALOG finding naming the
nearest id, never a silent pass; CN-DS-001 never says such a component "gives no
location". The property test mutates every catalog name of the example by one edit."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steer.checks.catalog import nearest
from steer.errors import SteerError
from steer.packs.loader import load_packs
from support import AS_OF, EXAMPLE, ROOT, check, run

CATALOGS = load_packs(["cn"]).catalogs
EXAMPLE_DATA: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def _write(tmp: Path, data: dict[str, Any], name: str = "m.yaml") -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _example() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def _findings(path: Path, *flags: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, err = run(["check", str(path), "--as-of", AS_OF, "--format", "json", *flags])
    assert code in (0, 1), err
    return code, json.loads(out)["findings"]


def test_unknown_provider_is_a_blocking_finding_naming_the_nearest_id(tmp_path: Path) -> None:
    data = _example()
    data["components"]["vehicle-owner-db"]["location"]["provider"] = "aliyun"
    code, findings = _findings(_write(tmp_path, data))
    assert code == 1
    hits = [f for f in findings if f["rule"] == "STEER-CATALOG"]
    assert [f["target"] for f in hits] == ["components.vehicle-owner-db"]
    (hit,) = hits
    assert hit["level"] == "error"
    assert "provider 'aliyun' is not in the catalog" in hit["message"]
    assert "did you mean 'alibaba-cloud'?" in hit["message"]
    assert "expected one of: alibaba-cloud, aws, azure" in hit["message"]
    assert "taken to be outside the mainland" in hit["message"]
    ds001 = [f for f in findings if f["rule"] == "CN-DS-001" and "vehicle-owner-db" in f["target"]]
    assert ds001, "the owners' database must still fail CN-DS-001"
    for f in ds001:
        assert "gives no location" not in f["message"]
        assert "aliyun/cn-shanghai" in f["message"]


def test_a_component_without_provider_still_gives_no_location(tmp_path: Path) -> None:
    data = _example()
    del data["components"]["vehicle-owner-db"]["location"]
    _, findings = _findings(_write(tmp_path, data))
    ds001 = [f for f in findings if f["rule"] == "CN-DS-001" and "vehicle-owner-db" in f["target"]]
    assert ds001 and all("gives no location" in f["message"] for f in ds001)
    assert not [f for f in findings if f["rule"] == "STEER-CATALOG"]


@pytest.mark.parametrize(
    ("where", "value", "guess"),
    [
        (("components", "global-crm", "service"), "salesforse", "salesforce"),
        (("components", "dealer-locator", "maps", "provider"), "amapp", "amap"),
        (("components", "payment-service", "payments", 0), "wechatpay", "wechat-pay"),
        (("components", "official-website", "cdn"), "aliyun", "alibaba-cloud"),
        (("approvals", "icp-website", "provider"), "Tencent-Cloud", "tencent-cloud"),
    ],
)
def test_every_catalog_name_is_looked_up(
    tmp_path: Path, where: tuple[Any, ...], value: str, guess: str
) -> None:
    data = _example()
    node: Any = data
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    code, findings = _findings(_write(tmp_path, data))
    hits = [f for f in findings if f["rule"] == "STEER-CATALOG"]
    assert code == 1
    assert [f["target"] for f in hits] == [f"{where[0]}.{where[1]}"]
    assert f"'{value}' is not in the catalog" in hits[0]["message"]
    assert f"did you mean '{guess}'?" in hits[0]["message"]


def test_unknown_services_are_never_silent(tmp_path: Path) -> None:
    """googlefonts and recaptcha once passed CN-GFW-001 as if they were not there."""
    data = _example()
    data["components"]["fonts"] = {"kind": "external", "service": "googlefonts"}
    data["components"]["captcha"] = {"kind": "external", "service": "recaptcha"}
    data["components"]["owner-services"].setdefault("depends_on", []).extend(["fonts", "captcha"])
    _, findings = _findings(_write(tmp_path, data))
    messages = {f["target"]: f["message"] for f in findings if f["rule"] == "STEER-CATALOG"}
    assert "did you mean 'google-fonts'?" in messages["components.fonts"]
    assert "did you mean 'google-recaptcha'?" in messages["components.captcha"]


def test_the_finding_is_not_deselected(tmp_path: Path) -> None:
    data = _example()
    data["components"]["vehicle-owner-db"]["location"]["provider"] = "aliyun"
    code, findings = _findings(_write(tmp_path, data), "--select", "CN-INT-001")
    assert code == 1
    hits = [f for f in findings if f["rule"] == "STEER-CATALOG"]
    assert hits and not any(f["waived"] for f in hits)


def test_the_finding_cannot_be_waived(tmp_path: Path) -> None:
    data = _example()
    data["components"]["vehicle-owner-db"]["location"]["provider"] = "aliyun"
    data.setdefault("waivers", []).append(
        {"rule": "STEER-CATALOG", "reason": "typo", "owner": "me", "expires": "2099-01-01"}
    )
    code, _, err = run(["check", str(_write(tmp_path, data)), "--as-of", AS_OF])
    assert code == 2
    assert "no guardrail 'STEER-CATALOG'" in err


def test_nearest_uses_aliases_and_case() -> None:
    providers = CATALOGS["providers"]
    assert nearest("aliyun", providers) == "alibaba-cloud"
    assert nearest("ALIBABA-CLOUD", providers) == "alibaba-cloud"
    assert nearest("gcp", providers) == "google-cloud"
    assert nearest("zzzzzzzz", providers) is None
    # the names people use for the mainland map and payment providers
    assert nearest("gaode", CATALOGS["map_providers"]) == "amap"
    assert nearest("autonavi", CATALOGS["map_providers"]) == "amap"
    assert nearest("wxpay", CATALOGS["payment_providers"]) == "wechat-pay"


# Fixtures that name an uncatalogued provider on purpose (a guardrail's behaviour for
# a placement the catalog cannot resolve): every other catalog miss is a fixture that
# silently stopped testing what it meant to.
INTENDED = {
    ("fixtures/cn/CN-DS-002/fail-unknown-placement.yaml", "components.sms-gateway"),
    ("fixtures/cn/CN-DS-003/pass.yaml", "components.sms-gateway"),
}


def test_fixtures_and_examples_name_only_catalogued_ids() -> None:
    misses = set()
    for path in sorted([*ROOT.glob("fixtures/**/*.yaml"), *ROOT.glob("examples/*.yaml")]):
        if path.name == "expected.yaml" or "version: 1" not in path.read_text(encoding="utf-8"):
            continue
        try:
            report = check(path)
        except SteerError:  # fixtures of bad input are not manifests to check
            continue
        for f in report.findings:
            if f.rule == "STEER-CATALOG":
                misses.add((path.relative_to(ROOT).as_posix(), f.target))
    assert misses <= INTENDED, sorted(misses - INTENDED)


# -- the property: one edit of any catalog name is never a silent pass ------------------
def _names(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """(path, catalog) of every catalog name the example gives."""
    out: list[tuple[tuple[Any, ...], str]] = []
    for cid, comp in data["components"].items():
        base = ("components", cid)
        location = comp.get("location") or {}
        if location.get("provider"):
            out.append(((*base, "location", "provider"), "providers"))
            if location.get("region"):
                out.append(((*base, "location", "region"), f"regions:{location['provider']}"))
        for key, catalog in (("service", "services"), ("cdn", "cdn_providers")):
            if comp.get(key):
                out.append(((*base, key), catalog))
        if (comp.get("maps") or {}).get("provider"):
            out.append(((*base, "maps", "provider"), "map_providers"))
        for i, _ in enumerate(comp.get("payments") or []):
            out.append(((*base, "payments", i), "payment_providers"))
    for aid, approval in (data.get("approvals") or {}).items():
        if approval.get("provider"):
            out.append((("approvals", aid, "provider"), "providers"))
    return out


NAMES = _names(EXAMPLE_DATA)
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_.A"


def test_the_example_names_every_kind_of_catalog_id() -> None:
    assert {catalog for _, catalog in NAMES if not catalog.startswith("regions:")} == {
        "providers",
        "services",
        "cdn_providers",
        "map_providers",
        "payment_providers",
    }


def _edit(value: str, op: str, pos: int, ch: str) -> str:
    pos %= len(value) + (op == "insert")
    if op == "insert":
        return value[:pos] + ch + value[pos:]
    if op == "delete":
        return value[:pos] + value[pos + 1 :]
    return value[:pos] + ch + value[pos + 1 :]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    which=st.integers(min_value=0, max_value=len(NAMES) - 1),
    op=st.sampled_from(["insert", "delete", "substitute"]),
    pos=st.integers(min_value=0, max_value=40),
    ch=st.sampled_from(ALPHABET),
)
def test_one_edit_of_a_catalog_name_is_never_a_silent_pass(
    which: int, op: str, pos: int, ch: str
) -> None:
    where, catalog = NAMES[which]
    data = _example()
    node: Any = data
    for part in where[:-1]:
        node = node[part]
    original = str(node[where[-1]])
    mutated = _edit(original, op, pos, ch)
    node[where[-1]] = mutated
    with tempfile.TemporaryDirectory() as tmp:
        report = check(_write(Path(tmp), data))
    target = f"{where[0]}.{where[1]}"
    if catalog.startswith("regions:"):  # a region of a known provider: CN-DS-003's
        regions = CATALOGS["providers"][catalog.partition(":")[2]]["regions"]
        found = [
            f
            for f in report.findings
            if f.rule == "CN-DS-003" and f.target == target and f"no region {mutated} " in f.message
        ]
        assert bool(found) is (mutated not in regions), (mutated, found)
        assert all("(nearest: " in f.message and "(none)" not in f.message for f in found)
        return
    hits = [f for f in report.findings if f.rule == "STEER-CATALOG" and f"'{mutated}'" in f.message]
    if mutated in CATALOGS[catalog]:  # another valid id: a normal run
        assert not hits
        return
    assert [f.target for f in hits] == [target], (mutated, [f.message for f in report.findings])
    assert hits[0].level == "error" and not hits[0].waived
    assert "did you mean '" in hits[0].message
    assert report.failed("error")
