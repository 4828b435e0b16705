"""Pack patterns are matched in linear time (RE2): a pattern that backtracks
exponentially under Python's ``re`` finishes at once on a long value, and a pattern RE2
cannot evaluate (a backreference, lookaround) is refused when the pack loads, at the
pattern's own line and column."""

from __future__ import annotations

import time
from pathlib import Path

from support import run

RULE = """\
id: ACME-OWN-001
title: Datastore owners are team names
category: governance
status: confirmed
severity: medium
sources: ["ACME data governance standard §2"]
rationale: Owners are teams, so that audits reach someone.
remediation: Set owner to a team name.
message: "{id} has an owner that is not a team name"
check:
  kind: each
  target: components
  where: {field: kind, equals: datastore}
  require:
    field: owner
    matches: {pattern}
"""

PACK = "id: acme\nname: ACME house rules\nprefix: ACME\ncategories: [governance]\nuses: [cn]\n"


def make_pack(tmp_path: Path, pattern: str, catalog: str | None = None) -> Path:
    root = tmp_path / "acme"
    (root / "rules").mkdir(parents=True)
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    (root / "rules" / "ACME-OWN-001.yaml").write_text(
        RULE.replace("{pattern}", pattern), encoding="utf-8"
    )
    if catalog is not None:
        (root / "catalog").mkdir()
        (root / "catalog" / "patterns.yaml").write_text(catalog, encoding="utf-8")
    return root


def use_named(pack: Path) -> Path:
    """The pack's guardrail with the named pattern ``team`` instead of its regex."""
    path = pack / "rules" / "ACME-OWN-001.yaml"
    text = path.read_text(encoding="utf-8").replace("    matches: '.*'", "    pattern: team")
    path.write_text(text, encoding="utf-8")
    return pack


def manifest(tmp_path: Path, owner: str) -> Path:
    path = tmp_path / "platform.yaml"
    path.write_text(
        "version: 1\nname: regex-bomb\ncomponents:\n  owner-db:\n    kind: datastore\n"
        f"    owner: {owner}\n"
        "    location: {provider: alibaba-cloud, region: cn-shanghai}\n",
        encoding="utf-8",
    )
    return path


def test_catastrophic_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "'(a+)+$'")
    target = manifest(tmp_path, "a" * 50_000 + "!")
    started = time.monotonic()
    code, out, err = run(["check", str(target), "--pack", str(pack), "--as-of", "2026-11-26"])
    assert time.monotonic() - started < 10  # Python's re: hours
    assert code == 1, out + err
    assert "ACME-OWN-001" in out and "owner-db has an owner that is not a team name" in out


def test_pattern_still_matches_whole_values(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "'(a+)+$'")
    code, out, err = run(
        ["check", str(manifest(tmp_path, "a" * 5000)), "--pack", str(pack), "--as-of", "2026-11-26"]
    )
    assert code == 0, out + err
    code, out, _ = run(
        ["check", str(manifest(tmp_path, "baaa")), "--pack", str(pack), "--as-of", "2026-11-26"]
    )
    assert code == 1, out  # fullmatch, not search: a prefix does not pass


def test_backreference_is_refused_with_its_position(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "'(a)\\1'")
    code, out, err = run(
        ["check", str(manifest(tmp_path, "aa")), "--pack", str(pack), "--as-of", "2026-11-26"]
    )
    assert code == 2, out + err
    assert "acme/rules/ACME-OWN-001.yaml:16:14: matches: regular expression '(a)\\\\1'" in err
    assert "expected an RE2 pattern, without backreferences or lookaround" in err
    assert "Traceback" not in err and out == ""


def test_lookahead_is_refused_by_steer_test_too(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "'(?=team-).*'")
    code, out, err = run(["test", str(pack)])
    assert code == 2, out + err
    assert "ACME-OWN-001.yaml:16:14: matches:" in err
    assert "invalid perl operator: (?=" in err


def test_named_pattern_is_checked_when_the_pack_loads(tmp_path: Path) -> None:
    catalog = "patterns:\n  team:\n    description: a team\n    regex: '(?<!x)team-[a-z]+'\n"
    pack = use_named(make_pack(tmp_path, "'.*'", catalog))
    code, out, err = run(
        ["check", str(manifest(tmp_path, "team-a")), "--pack", str(pack), "--as-of", "2026-11-26"]
    )
    assert code == 2, out + err
    assert "acme/catalog/patterns.yaml:4:12: patterns.team.regex: regular expression" in err


def test_named_pattern_set_must_name_a_catalog(tmp_path: Path) -> None:
    catalog = "patterns:\n  team:\n    regex: '{set:icp_provinecs}ICP'\n"
    pack = make_pack(tmp_path, "'.*'", catalog)
    code, out, err = run(["rules", "--pack", str(pack)])
    assert code == 2, out + err
    assert "patterns.yaml:3:12: patterns.team.regex: {set:icp_provinecs} names no catalog" in err
    assert "icp_provinces" in err


def test_named_pattern_matches_in_linear_time(tmp_path: Path) -> None:
    catalog = "patterns:\n  team:\n    regex: '(a|aa)+'\n"
    pack = use_named(make_pack(tmp_path, "'.*'", catalog))
    started = time.monotonic()
    code, out, err = run(
        [
            "check",
            str(manifest(tmp_path, "a" * 50_000 + "!")),
            "--pack",
            str(pack),
            "--as-of",
            "2026-11-26",
        ]
    )
    assert time.monotonic() - started < 10
    assert code == 1, out + err
