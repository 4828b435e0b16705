"""`steer explain` knows steer's own checks (STEER-*), as it knows the packs'
guardrails: a user who meets a STEER-CATALOG finding can ask what it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steer.results.own_rules import OWN_RULES
from support import AS_OF, clean, run


@pytest.mark.parametrize("rule", sorted(OWN_RULES))
def test_explain_names_each_own_rule(rule: str) -> None:
    info = OWN_RULES[rule].info
    for asked in (rule, rule.lower()):
        code, out, err = run(["explain", asked])
        assert (code, err) == (0, "")
        assert out.startswith(f"{rule}: {info.title}\n")
        assert f"  findings:    {OWN_RULES[rule].findings}\n" in out
        assert "Why\n" in out and "How to fix\n" in out
        assert info.sources and "Sources\n" + "".join(f"  - {s}\n" for s in info.sources) in out


def test_findings_carry_the_title_explain_shows(tmp_path: Path) -> None:
    """The finding of an unknown provider names the rule explain describes."""
    text = clean().replace("provider: alibaba-cloud", "provider: aliyun", 1)
    assert text != clean()
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(["check", str(path), "--as-of", AS_OF, "--format", "json"])
    assert code == 1
    found = [f for f in json.loads(out)["findings"] if f["rule"] == "STEER-CATALOG"]
    assert found and {f["title"] for f in found} == {OWN_RULES["STEER-CATALOG"].info.title}
