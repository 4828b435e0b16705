"""A --pack that names no pack is the flag's error in every command that takes it
(check blames the flag or the configuration: tests/packs/test_pack_selection.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import AS_OF, EXAMPLE, run

SCENARIO = EXAMPLE.parent / "scenarios" / "q2-minimum-viable-integration.yaml"


@pytest.mark.parametrize(
    "argv",
    [
        ["check", str(EXAMPLE), "--as-of", AS_OF],
        ["whatif", str(EXAMPLE), str(SCENARIO), "--as-of", AS_OF],
        ["transfers", str(EXAMPLE), "--as-of", AS_OF],
    ],
)
def test_a_missing_pack_is_blamed_on_the_flag(argv: list[str], tmp_path: Path) -> None:
    code, out, err = run([*argv, "--pack", str(tmp_path / "nope")])
    assert (code, out) == (2, "")
    assert err.startswith(f"steer: --pack {tmp_path / 'nope'}: no such guardrail pack"), err
