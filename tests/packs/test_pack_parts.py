"""A pack folder's parts are a closed vocabulary: a folder or file named like a part
but not quite (``rule/``, ``catalogs/``, ``parameter.yaml``, ``rules/x.yml``) would be
skipped without a word, and the guardrails or parameters in it with it, a silent pass
beside the packs that do load. steer refuses it, names it and says what it expected
(issue 12). Other files (a README, hidden files) are not the pack's business."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from steer.packs.loader import builtin_root
from support import AS_OF, clean, run

PACK = "id: acme\nname: ACME house rules\nprefix: ACME\ncategories: [governance]\nuses: [cn]\n"
RULE = builtin_root() / "cn" / "rules" / "CN-DS-002.yaml"


def acme(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    (root / "rules").mkdir(parents=True)
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    return root


def check(tmp_path: Path, pack: Path) -> tuple[int, str, str]:
    manifest = tmp_path / "platform.yaml"
    manifest.write_text(clean(), encoding="utf-8")
    return run(["check", str(manifest), "--pack", "cn", "--pack", str(pack), "--as-of", AS_OF])


@pytest.mark.parametrize(
    ("entry", "folder", "meant"),
    [
        ("rule", True, "rules/"),
        ("Rules", True, "rules/"),
        ("catalogs", True, "catalog/"),
        ("fixture", True, "fixtures/"),
        ("parameter.yaml", False, "parameters.yaml"),
        ("parameters.yml", False, "parameters.yaml"),
        ("taxonomy.yml", False, "taxonomy.yaml"),
        ("taxonomies.yaml", False, "taxonomy.yaml"),
    ],
)
def test_a_misnamed_part_is_refused(tmp_path: Path, entry: str, folder: bool, meant: str) -> None:
    pack = acme(tmp_path)
    if folder:
        (pack / entry).mkdir()
    else:
        (pack / entry).write_text("{}\n", encoding="utf-8")
    code, out, err = check(tmp_path, pack)
    assert (code, out) == (2, ""), err
    assert f"acme/{entry}: not a part of a guardrail pack, so steer would skip it" in err
    assert f"did you mean {meant}? expected pack.yaml, parameters.yaml" in err


@pytest.mark.parametrize("folder", ["rules", "catalog"])
def test_a_yml_file_in_rules_or_catalog_is_refused(tmp_path: Path, folder: str) -> None:
    pack = acme(tmp_path)
    (pack / folder).mkdir(exist_ok=True)
    (pack / folder / "house.yml").write_text("{}\n", encoding="utf-8")
    code, out, err = check(tmp_path, pack)
    assert (code, out) == (2, ""), err
    assert (
        f"acme/{folder}/house.yml: steer reads {folder}/*.yaml, so it would skip this file; "
        "expected the name house.yaml"
    ) in err


def test_other_files_are_not_the_packs_business(tmp_path: Path) -> None:
    pack = acme(tmp_path)
    (pack / "README.md").write_text("# ACME\n", encoding="utf-8")
    (pack / ".git").mkdir()
    (pack / "LICENSE").write_text("MIT\n", encoding="utf-8")
    (pack / "rules" / "notes.md").write_text("notes\n", encoding="utf-8")
    rule = re.sub(r"(?m)^category: .*$", "category: governance", RULE.read_text("utf-8"))
    (pack / "rules" / "house.yaml").write_text(rule.replace("id: CN-", "id: ACME-", 1), "utf-8")
    code, out, err = check(tmp_path, pack)
    assert code in (0, 1), err
    assert "of 24 rules" in out  # the house rule runs beside the cn pack's 23
