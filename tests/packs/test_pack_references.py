"""A guardrail that names a catalog, a catalog field or value, or a named pattern the
pack does not have would test against an empty set or nothing: it passes (or fails)
every manifest without checking anything. Such names are refused when the pack loads,
at their line and column, with the nearest name (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steer.checks.registry import _references, compile_all
from steer.packs.loader import builtin_root, load_packs
from support import AS_OF, clean, run

PACK = (
    "id: acme\nname: ACME house rules\nprefix: ACME\n"
    "categories: [governance, infrastructure, internet, maps, payments, licensing]\nuses: [cn]\n"
)
RULES = builtin_root() / "cn" / "rules"


def house_pack(tmp_path: Path, rule: str, old: str, new: str) -> Path:
    root = tmp_path / "acme"
    (root / "rules").mkdir(parents=True)
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    text = (RULES / f"{rule}.yaml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1).replace(f"id: {rule}", f"id: ACME{rule[2:]}", 1)
    (root / "rules" / f"ACME{rule[2:]}.yaml").write_text(text, encoding="utf-8")
    return root


def line_of(path: Path, needle: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


@pytest.mark.parametrize(
    ("rule", "old", "new", "message"),
    [
        (
            "CN-GFW-001",
            "{catalog: services,",
            "{catalog: servces,",
            "the pack has no catalog 'servces'; did you mean 'services'? expected one of:",
        ),
        (
            "CN-GFW-001",
            "mainland_access: blocked",
            "mainland_acess: blocked",
            "catalog services has no field 'mainland_acess'; did you mean 'mainland_access'?",
        ),
        (
            "CN-GFW-001",
            "mainland_access: blocked",
            "mainland_access: blockd",
            "no entry of catalog services has mainland_access 'blockd'; did you mean "
            "'blocked'? expected one of: blocked, reachable, unreliable",
        ),
        (
            "CN-ICP-003",
            "pattern: icp-number",
            "pattern: icp-numbr",
            "the pack has no pattern 'icp-numbr'; did you mean 'icp-number'?",
        ),
    ],
)
def test_a_name_the_pack_lacks_is_refused_at_its_position(
    tmp_path: Path, rule: str, old: str, new: str, message: str
) -> None:
    pack = house_pack(tmp_path, rule, old, new)
    manifest = tmp_path / "platform.yaml"
    manifest.write_text(clean(), encoding="utf-8")
    for argv in (
        ["check", str(manifest), "--pack", str(pack), "--as-of", AS_OF],
        ["test", str(pack)],
        ["rules", "--pack", str(pack)],
    ):
        code, out, err = run(argv)
        assert code == 2, (argv, out, err)
        assert message in err, err
        rule_file = pack / "rules" / f"ACME{rule[2:]}.yaml"
        assert f"ACME{rule[2:]}.yaml:{line_of(rule_file, new.split(':')[0])}:" in err, err
        assert "rules passed" not in out


def test_the_walk_finds_every_reference_of_the_built_in_pack() -> None:
    """The names checked are all the names: the cn pack's six catalog and pattern
    references are found (and all resolve: the pack loads)."""
    pack = load_packs(["cn"]).packs[0]
    found = sorted(
        (g.id, sort, ref if sort == "pattern" else ref["catalog"])
        for g in pack.guardrails
        for _, sort, ref in _references(g.check)
    )
    assert found == [
        ("CN-GFW-001", "catalog", "services"),
        ("CN-GFW-001", "catalog", "services"),
        ("CN-ICP-002", "catalog", "cdn_providers"),
        ("CN-ICP-003", "pattern", "icp-number"),
        ("CN-INT-002", "catalog", "payment_providers"),
        ("CN-MAP-001", "catalog", "services"),
    ], found
    assert compile_all(load_packs(["cn"]))
