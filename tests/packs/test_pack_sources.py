"""The built-in pack cites the law itself: no shipped text points at a research note a
user does not have ("china-facts §6"), and every source that names a statute whose
official text is published online gives its address."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from support import ROOT

PACK = ROOT / "guardrails" / "cn"
SHIPPED = [
    *sorted(p for p in PACK.rglob("*") if p.is_file()),
    *sorted(p for p in (ROOT / "fixtures").rglob("*") if p.is_file()),
    *sorted((ROOT / "checker" / "steer").rglob("*.py")),
    *sorted((ROOT / "docs").glob("*.md")),
    ROOT / "README.md",
]
# the official texts (the CAC's and the State Council's own pages)
OFFICIAL = {
    r"\bPIPL\b|Personal Information Protection Law": (
        "https://www.gov.cn/xinwen/2021-08/20/content_5632486.htm"
    ),
    r"CAC Order 11\b": "https://www.cac.gov.cn/2022-07/07/c_1658811536396503.htm",
    r"CAC Order 13\b|Standard Contract Measures": (
        "https://www.cac.gov.cn/2023-02/24/c_1678884830036813.htm"
    ),
    r"CAC Order 16\b": "https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm",
    r"Automotive Data Security Provisions": (
        "https://www.cac.gov.cn/2021-08/20/c_1631049984897667.htm"
    ),
}


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", SHIPPED, ids=_rel)
def test_no_shipped_text_cites_the_research_notes(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert "china-facts" not in text.lower()
    assert "§" not in text, "a § reference: cite the instrument and its article instead"


def _rules() -> list[Path]:
    return sorted((PACK / "rules").glob("*.yaml"))


def test_there_are_rules_to_check() -> None:
    assert len(_rules()) >= 20


@pytest.mark.parametrize("path", _rules(), ids=lambda p: p.stem)
def test_rule_sources_give_the_official_text_of_the_law_they_cite(path: Path) -> None:
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = rule["sources"]
    assert sources and all(isinstance(s, str) and s.strip() for s in sources)
    missing = [
        (source, url)
        for source in sources
        for pattern, url in OFFICIAL.items()
        if re.search(pattern, source) and url not in source
    ]
    assert not missing, f"{rule['id']}: sources without the official text: {missing}"
    for source in sources:  # a file a source names is one the user has
        for name in re.findall(r"\b[\w./-]+\.(?:md|yaml)\b", source):
            assert (ROOT / name).is_file() or (PACK / name).is_file(), f"{rule['id']}: {name}"
