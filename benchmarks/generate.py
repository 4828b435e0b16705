"""Generate a large synthetic steer manifest.

    python benchmarks/generate.py N [OUT]

N components (mostly mainland, some Hong Kong and abroad, on a mix of providers and
regions), about 5N flows between them (random, so cycles are common), transforms on
some services, depends_on calls, and about N/10 approvals in every status. The
output is deterministic for a given N (seeded), written in block style as an
architect would, and valid: `steer check` reads it without an input error.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

MAINLAND = [
    ("alibaba-cloud", "cn-shanghai"),
    ("alibaba-cloud", "cn-beijing"),
    ("alibaba-cloud", "cn-zhangjiakou"),
    ("tencent-cloud", "ap-guangzhou"),
    ("tencent-cloud", "ap-shanghai"),
    ("huawei-cloud", "cn-north-4"),
    ("aws", "cn-northwest-1"),
    ("azure", "chinaeast2"),
]
OFFSHORE = [
    ("alibaba-cloud", "cn-hongkong"),
    ("tencent-cloud", "ap-hongkong"),
    ("aws", "us-east-1"),
    ("aws", "eu-central-1"),
    ("azure", "westeurope"),
    ("huawei-cloud", "ap-southeast-1"),
]
CATEGORIES = ["personal", "sensitive-personal", "telematics", "vehicle-location", "operational"]
SERVICES = ["salesforce", "google-maps", "google-fonts", "wechat", "alipay", "aws-global"]
STATUSES = ["planned", "submitted", "in-review", "approved", "approved", "rejected"]
TYPES = [
    "cac-security-assessment",
    "standard-contract",
    "separate-consent",
    "pipia",
    "icp-filing",
    "psb-filing",
]


def generate(n: int, seed: int = 7) -> dict[str, object]:
    rng = random.Random(seed * 1_000_003 + n)
    ids = [f"c{i:06d}" for i in range(n)]
    approvals: dict[str, dict[str, object]] = {}
    for i in range(max(1, n // 10)):
        kind = rng.choice(TYPES)
        status = rng.choice(STATUSES)
        entry: dict[str, object] = {"type": kind, "status": status, "submitted": "2026-06-01"}
        if status == "approved":
            entry["approved_on"] = "2026-09-15"
        if kind.startswith("icp"):
            entry.update(
                reference=f"沪ICP备2026{i:06d}号-1",
                provider="alibaba-cloud",
                domains=[f"s{i}.example.com.cn"],
            )
        approvals[f"a{i:05d}"] = entry
    approval_ids = list(approvals)
    components: dict[str, dict[str, object]] = {}
    for cid in ids:
        roll = rng.random()
        comp: dict[str, object]
        if roll < 0.05:
            comp = {
                "kind": "external",
                "service": rng.choice(SERVICES),
                "location": {"jurisdiction": rng.choice(["US", "DE", "SG"])},
            }
        elif roll < 0.10:
            comp = {
                "kind": "device",
                "coordinate_system": "WGS-84",
                "data": [
                    {
                        "category": "telematics",
                        "subjects": "CN",
                        "records": rng.randrange(1000, 500_000),
                    }
                ],
            }
        else:
            provider, region = rng.choice(OFFSHORE) if rng.random() < 0.15 else rng.choice(MAINLAND)
            kind = rng.choice(["service", "service", "datastore", "relay", "channel"])
            comp = {"kind": kind, "location": {"provider": provider, "region": region}}
            if kind == "datastore":
                comp["data"] = [
                    {
                        "category": rng.choice(CATEGORIES),
                        "subjects": "CN",
                        "records": rng.randrange(100, 2_000_000),
                    }
                    for _ in range(rng.randrange(1, 3))
                ]
                comp["retention_days"] = 365
            if kind == "service" and rng.random() < 0.2:
                comp["transforms"] = [{"from": "telematics", "to": "aggregated"}]
            if kind == "channel":
                comp.update(
                    channel=rng.choice(["wechat-mini-program", "web", "native-app"]),
                    audience=["customer"],
                    payments=["wechat-pay"],
                )
            if rng.random() < 0.1:
                comp.update(
                    internet_facing=True, domains=[f"{cid}.example.com.cn"], cdn="alibaba-cloud"
                )
            if rng.random() < 0.3:
                comp["approvals"] = rng.sample(approval_ids, k=min(2, len(approval_ids)))
        if rng.random() < 0.2:
            comp["depends_on"] = sorted(set(rng.sample(ids, k=min(2, n))) - {cid})
        components[cid] = comp
    flows: dict[str, dict[str, object]] = {}
    for i in range(5 * n):
        a, b = rng.sample(ids, 2)
        flow: dict[str, object] = {
            "from": a,
            "to": b,
            "mechanism": rng.choice(["api", "batch", "stream", "replication", "backup"]),
        }
        if rng.random() < 0.3:
            flow["data"] = sorted(set(rng.sample(CATEGORIES, k=2)))
        if rng.random() < 0.5:
            flow["records_per_year"] = rng.randrange(10, 300_000)
        if rng.random() < 0.2:
            flow["approvals"] = rng.sample(approval_ids, k=min(3, len(approval_ids)))
        flows[f"f{i:07d}"] = flow
    return {
        "version": 1,
        "name": f"synthetic-{n}",
        "description": f"Synthetic benchmark manifest with {n} components",
        "organisation": {"ciio": False, "pi_subjects": 1_500_000},
        "programme": {"go_live": "2027-03-01"},
        "policy": {"packs": ["cn"], "regime": "auto"},
        "components": components,
        "flows": flows,
        "approvals": approvals,
        "operations": {
            "coverage": "24x7",
            "incident_response": "local",
            "team": [
                {"role": "ops-engineer", "count": 2, "location": "CN"},
                {"role": "compliance-officer", "count": 1, "location": "CN"},
            ],
        },
    }


def write(n: int, out: Path) -> Path:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(
        generate(n),
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    out.write_text(text, encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    if not argv or not argv[0].isdigit():
        print(__doc__.strip(), file=sys.stderr)
        return 2
    n = int(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else Path(f"synthetic-{n}.yaml")
    write(n, out)
    print(f"{out}: {n} components, {5 * n} flows, {out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
