"""Measure what `--terraform` adds to a check: reading a large plan, locating its
resources and comparing them with the manifest's components.

    python benchmarks/terraform.py [N ...]        (default: 5000)

For each N, a synthetic plan of N resources is generated (deterministic, seeded):
as `terraform show -json` prints it (one line), half of them in 50 child modules,
a third of the root ones `for_each` or `count` instances, on Alibaba Cloud, AWS
(mainland and global) and Tencent Cloud through provider aliases, a region from a
variable; each with some 30 attributes and nested blocks in `planned_values` and
again in `resource_changes` (`after`, `after_unknown`), as real plans have. The
manifest side has one component per module (a glob) and one per ten root resources
(addresses), so every kind of entry is matched.

Printed: the plan's size, and the best of REPEAT runs of each step (read: bytes to
checked document with positions; locate: resources with provider, region and
jurisdiction; compare: the STEER-IAC records), then their total, with the garbage
collector paused as `steer check` pauses it. Target (issue 13): at most 1 s at
N = 5,000. The first run and the one-off imports and catalog loading are printed
too.

Then the whole command, as a user runs it: the components written as a manifest
(kind, location, resources) and the plan as a file, `steer check MANIFEST --format
json --output OUT` timed without and with `--terraform plan.json` (best of REPEAT
processes each, as benchmarks/run.py times them). Target: `--terraform` adds at most
1 s at N = 5,000.
"""

from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from run import measure, steer_argv

HERE = Path(__file__).resolve().parent
CATALOG = HERE.parent / "guardrails" / "cn" / "catalog"
REPEAT = int(os.environ.get("STEER_BENCH_REPEAT", "5"))

PROVIDERS = [  # (provider key, local name, source, region)
    ("alicloud", "alicloud", "aliyun/alicloud", None),  # region = var.region
    ("alicloud.beijing", "alicloud", "aliyun/alicloud", "cn-beijing"),
    ("alicloud.hk", "alicloud", "aliyun/alicloud", "cn-hongkong"),
    ("aws.cn", "aws", "hashicorp/aws", "cn-northwest-1"),
    ("aws.global", "aws", "hashicorp/aws", "eu-central-1"),
    ("tencentcloud", "tencentcloud", "tencentcloudstack/tencentcloud", "ap-guangzhou"),
]
TYPES = {
    "alicloud": [
        "alicloud_db_instance",
        "alicloud_oss_bucket",
        "alicloud_instance",
        "alicloud_vswitch",
    ],
    "aws": ["aws_s3_bucket", "aws_sqs_queue", "aws_lambda_function", "aws_iam_role"],
    "tencentcloud": ["tencentcloud_cos_bucket", "tencentcloud_instance", "tencentcloud_vpc"],
}


def _values(rng: random.Random, i: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": f"resource-{i}",
        "description": f"synthetic resource {i}",
        "tags": {"team": rng.choice(["crm", "owner", "telematics"]), "env": "prod", "id": str(i)},
        "versioning": [{"status": "Enabled", "mfa_delete": None}],
        "lifecycle_rule": [
            {"id": "expire", "enabled": True, "expiration": [{"days": 365}], "prefix": "logs/"}
        ],
        "encryption": [{"rule": [{"algorithm": "KMS", "key_id": None}]}],
    }
    for k in range(24):
        values[f"attribute_{k}"] = None if k % 3 else f"value-{k}-{i}"
    return values


def generate(n: int, seed: int = 13) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A plan of ``n`` resources, and the components that name them."""
    rng = random.Random(seed * 1_000_003 + n)
    modules = [f"m{j:02d}" for j in range(50)]
    resources: list[tuple[str, str, str, str, str, Any, str]] = []
    i = 0
    while len(resources) < n:
        key, local, source, _region = rng.choice(PROVIDERS)
        type_name = rng.choice(TYPES[local])
        module = rng.choice(modules) if rng.random() < 0.5 else ""
        name = f"r{i:05d}"
        indexes: list[Any] = [None]
        if not module and rng.random() < 0.33:
            indexes = [0, 1, 2] if rng.random() < 0.5 else ["eu", "cn"]
        for index in indexes:
            suffix = (
                ""
                if index is None
                else (f"[{index}]" if isinstance(index, int) else f'["{index}"]')
            )
            address = (f"module.{module}." if module else "") + f"{type_name}.{name}{suffix}"
            resources.append((address, module, type_name, name, key, index, source))
        i += 1
    resources = resources[:n]
    planned: dict[str, list[dict[str, Any]]] = {}
    changes = []
    config: dict[str, dict[str, Any]] = {}
    for j, (address, module, type_name, name, key, index, source) in enumerate(resources):
        values = _values(rng, j)
        entry: dict[str, Any] = {
            "address": address,
            "mode": "managed",
            "type": type_name,
            "name": name,
        }
        if index is not None:
            entry["index"] = index
        entry.update(
            provider_name=f"registry.terraform.io/{source}",
            schema_version=0,
            values=values,
            sensitive_values={"tags": {}, "versioning": [{}]},
        )
        planned.setdefault(module, []).append(entry)
        change = dict(entry)
        del change["values"], change["sensitive_values"], change["schema_version"]
        if module:
            change["module_address"] = f"module.{module}"
        change["change"] = {
            "actions": ["create"],
            "before": None,
            "after": values,
            "after_unknown": {"id": True, "arn": True, "versioning": [{}]},
            "before_sensitive": False,
            "after_sensitive": {"tags": {}},
        }
        changes.append(change)
        config.setdefault(module, {})[f"{type_name}.{name}"] = {
            "address": f"{type_name}.{name}",
            "mode": "managed",
            "type": type_name,
            "name": name,
            "provider_config_key": key,
            "expressions": {"name": {"constant_value": f"resource-{j}"}},
            "schema_version": 0,
        }
    root = {
        "resources": planned.get("", []),
        "child_modules": [
            {"resources": planned[m], "address": f"module.{m}"} for m in modules if m in planned
        ],
    }
    provider_config = {}
    for key, local, source, region in PROVIDERS:
        expression = (
            {"references": ["var.region"]} if region is None else {"constant_value": region}
        )
        spec: dict[str, Any] = {"name": local, "full_name": f"registry.terraform.io/{source}"}
        if "." in key:
            spec["alias"] = key.split(".", 1)[1]
        spec["expressions"] = {"region": expression}
        provider_config[key] = spec
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "variables": {"region": {"value": "cn-shanghai"}},
        "planned_values": {"root_module": root},
        "resource_changes": changes,
        "configuration": {
            "provider_config": provider_config,
            "root_module": {
                "resources": list(config.get("", {}).values()),
                "module_calls": {
                    m: {
                        "source": f"./modules/{m}",
                        "module": {"resources": list(config[m].values())},
                    }
                    for m in modules
                    if m in config
                },
            },
        },
        "timestamp": "2026-12-01T09:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }
    components: list[dict[str, Any]] = [
        {
            "id": f"module-{m}",
            "provider": "alibaba-cloud",
            "region": "cn-shanghai",
            "resources": [f"module.{m}.*"],
        }
        for m in modules
    ]
    roots = sorted({strip(a) for a, module, *_ in resources if not module})
    for k in range(0, len(roots), 10):
        components.append(
            {
                "id": f"root-{k}",
                "provider": "aws",
                "region": "eu-central-1",
                "resources": roots[k : k + 10],
            }
        )
    return plan, components


def manifest_of(components: list[dict[str, Any]]) -> str:
    """The components of :func:`generate` as a manifest steer checks."""
    data = {
        "version": 1,
        "name": "terraform-benchmark",
        "programme": {"go_live": "2027-06-01"},
        "components": {
            c["id"]: {
                "kind": "datastore",
                "location": {"provider": c["provider"], "region": c["region"]},
                "resources": c["resources"],
            }
            for c in components
        },
    }
    return yaml.safe_dump(data, sort_keys=False)


def write_files(n: int, folder: Path) -> None:
    """The manifest and the plan of N resources, as files (``--write N FOLDER``)."""
    plan, components = generate(n)
    (folder / "platform.steer.yaml").write_text(manifest_of(components), encoding="utf-8")
    (folder / "plan.json").write_text(json.dumps(plan, separators=(",", ":")), encoding="utf-8")


def whole_check(n: int) -> tuple[float, float, float, float]:
    """(seconds without --terraform, with it, peak MB without, with) of the command. The
    files are written by a child process: a child forked from a large parent starts with
    the parent's peak memory, so this process stays small for the figures to be steer's."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        writer = [sys.executable, __file__, "--write", str(n), str(folder)]
        subprocess.run(writer, check=True)
        argv = [*steer_argv(), "check", str(folder / "platform.steer.yaml")]
        argv += ["--as-of", "2026-12-01", "--format", "json", "--output", str(folder / "o.json")]
        without, peak_without = measure(argv)
        with_tf, peak_with = measure([*argv, "--terraform", str(folder / "plan.json")])
    return without, with_tf, peak_without, peak_with


def strip(address: str) -> str:
    return address.split("[", 1)[0]


def main(args: list[str]) -> int:
    if args[:1] == ["--write"]:
        write_files(int(args[1]), Path(args[2]))
        return 0
    sizes = [int(a) for a in args] or [5000]
    whole = {n: whole_check(n) for n in sizes}  # first, while this process is small
    started = time.perf_counter()
    from steer.analysis.infra_compare import Component, compare
    from steer.analysis.infrastructure import CloudRegions, resources_of
    from steer.analysis.tfcatalog import load_catalog
    from steer.loading.tfjson import parse_tf_json

    regions = CloudRegions(
        yaml.safe_load((CATALOG / "clouds.yaml").read_text("utf-8"))["providers"]
    )
    terraform = load_catalog(CATALOG / "terraform.yaml")
    setup = time.perf_counter() - started
    print(f"steer --terraform benchmark: best of {REPEAT} runs, Python {sys.version.split()[0]}")
    print(f"  imports and catalogs, once: {setup:.3f} s")
    print(
        f"{'N':>7} {'JSON MB':>8} {'read s':>8} {'locate s':>9} {'compare s':>10} "
        f"{'total s':>8} {'cold s':>7} {'issues':>7}"
    )
    for n in sizes:
        plan, specs = generate(n)
        raw = json.dumps(plan, separators=(",", ":")).encode()  # one line, as Terraform prints
        components = [
            Component(s["id"], s["provider"], s["region"], None, tuple(s["resources"]))
            for s in specs
        ]
        best: list[float] | None = None
        cold = 0.0
        found = 0
        for run in range(REPEAT):
            gc.collect()
            gc.disable()  # as in `steer check`, which runs with the collector paused
            t0 = time.perf_counter()
            doc = parse_tf_json(raw, "plan.json")
            t1 = time.perf_counter()
            resources = resources_of(doc, terraform, regions)
            t2 = time.perf_counter()
            issues = compare(components, resources, regions, ["plan.json"])
            t3 = time.perf_counter()
            gc.enable()
            steps = [t1 - t0, t2 - t1, t3 - t2]
            if run == 0:
                cold = sum(steps)
            if best is None or sum(steps) < sum(best):
                best = steps
            found = len(issues)
            assert len(resources) == n
        assert best is not None
        print(
            f"{n:>7} {len(raw) / 1e6:>8.1f} {best[0]:>8.3f} {best[1]:>9.3f} {best[2]:>10.3f} "
            f"{sum(best):>8.3f} {cold:>7.3f} {found:>7}"
        )
    print("\nthe whole `steer check MANIFEST --format json --output OUT`, best of REPEAT:")
    print(f"{'N':>7} {'without s':>10} {'with s':>8} {'added s':>8} {'MB without':>11} {'with':>6}")
    for n in sizes:
        without, with_tf, peak_without, peak_with = whole[n]
        print(
            f"{n:>7} {without:>10.3f} {with_tf:>8.3f} {with_tf - without:>8.3f} "
            f"{peak_without:>11.0f} {peak_with:>6.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
