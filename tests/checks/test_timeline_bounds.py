"""A timeline span longer than MAX_SPAN_DAYS is refused before any date arithmetic:
blamed on the manifest's policy.parameters value that makes it, else on the pack's
guardrail (issue 12: huge working-day parameters were an internal error)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from steer.checks.context import Context
from steer.checks.kinds import timeline
from steer.checks.registry import compile_all
from steer.errors import ManifestError, PackError
from steer.manifest.load import load_manifest
from steer.vocab import MAX_SPAN_DAYS
from support import AS_OF, clean


def _setup(tmp_path: Path, text: str) -> tuple[Context, timeline.Compiled, object]:
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    manifest = load_manifest(tmp_path / "m.yaml", "m.yaml")
    guardrail = manifest.packs.by_id["CN-ICP-004"]
    compiled = compile_all(manifest.packs)["CN-ICP-004"]
    return Context(manifest, AS_OF), compiled, guardrail


def test_a_literal_span_of_the_pack_is_blamed_on_the_guardrail(tmp_path: Path) -> None:
    ctx, compiled, guardrail = _setup(tmp_path, clean())
    req = compiled.requirements[0]
    huge = dataclasses.replace(req, offset={"days": MAX_SPAN_DAYS + 1, "unit": "calendar"})
    broken = dataclasses.replace(compiled, requirements=(huge,))
    with pytest.raises(PackError) as caught:
        list(timeline.check(broken, guardrail, ctx))  # type: ignore[arg-type]
    message = str(caught.value)
    assert "CN-ICP-004: its days makes the offset of CN-ICP-004 10001 days" in message
    assert "expected at most 10000 days in all" in message
    assert "CN-ICP-004.yaml:" in message


def test_the_longest_span_allowed_is_judged(tmp_path: Path) -> None:
    ctx, compiled, guardrail = _setup(tmp_path, clean())
    req = compiled.requirements[0]
    longest = dataclasses.replace(req, offset={"days": MAX_SPAN_DAYS, "unit": "working"})
    fine = dataclasses.replace(compiled, requirements=(longest,))
    list(timeline.check(fine, guardrail, ctx))  # type: ignore[arg-type]


def test_a_manifest_parameter_is_blamed_at_its_value(tmp_path: Path) -> None:
    text = clean().replace(
        "policy: {packs: [cn], regime: auto}\n",
        "policy:\n  packs: [cn]\n  parameters: {psb_filing_days: 20000}\n",
    )
    ctx, compiled, guardrail = _setup(tmp_path, text)
    with pytest.raises(ManifestError) as caught:
        list(timeline.check(compiled, guardrail, ctx))  # type: ignore[arg-type]
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "psb_filing_days" in t)
    assert str(caught.value).startswith(
        f"m.yaml:{line}:33: policy.parameters.psb_filing_days: 20000 makes the offset"
    ), str(caught.value)
