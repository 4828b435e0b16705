"""Schema patterns match the whole value (issue 12): Python's ``$`` also matches
before a trailing newline, so ``subjects: "CN\\n"`` once passed the schema that
jsonschema-rs had refused (the explaining validator found nothing and the loader
trusted it) and hid four critical findings. Both validators now agree, and a
disagreement fails closed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from steer.loading.validate import anchored
from support import AS_OF, EXAMPLE, run


def _example() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def _check(tmp_path: Path, data: dict[str, Any]) -> tuple[int, str]:
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    code, _, err = run(["check", str(path), "--as-of", AS_OF])
    return code, err


BLOCK_SUBJECTS = """\
version: 1
name: block
components:
  owner-db:
    kind: datastore
    location: {provider: aws, region: us-east-1}
    data:
      - category: personal
        subjects: |
          CN
"""


def test_block_scalar_subjects_are_refused_with_a_position(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(BLOCK_SUBJECTS, encoding="utf-8")
    code, _, err = run(["check", str(path), "--as-of", AS_OF])
    assert code == 2, err
    assert err.startswith(f"{path}:9:9: "), err
    assert "components.owner-db.data[0].subjects: 'CN\\n' is not a jurisdiction" in err


def _mutations() -> list[tuple[str, Any]]:
    """(what, how to add a trailing newline to it)"""

    def subjects(d: dict[str, Any]) -> None:
        d["components"]["vehicle-owner-db"]["data"][0]["subjects"] = "CN\n"

    def component_id(d: dict[str, Any]) -> None:
        d["components"]["global-crm\n"] = d["components"].pop("global-crm")

    def flow_end(d: dict[str, Any]) -> None:
        flow = next(iter(d["flows"].values()))
        flow["to"] = flow["to"] + "\n"

    def name(d: dict[str, Any]) -> None:
        d["name"] = d["name"] + "\n"

    def go_live(d: dict[str, Any]) -> None:
        d["programme"]["go_live"] = "2027-03-01\n"

    def jurisdiction(d: dict[str, Any]) -> None:
        comp = d["components"]["support-tool-hk"]
        comp["location"] = {"jurisdiction": "HK\n"}

    def waiver_rule(d: dict[str, Any]) -> None:
        d["waivers"][0]["rule"] = d["waivers"][0]["rule"] + "\n"

    return [
        ("subjects", subjects),
        ("component id", component_id),
        ("flow to", flow_end),
        ("name", name),
        ("go_live", go_live),
        ("jurisdiction", jurisdiction),
        ("waiver rule", waiver_rule),
    ]


@pytest.mark.parametrize(("what", "mutate"), _mutations(), ids=[w for w, _ in _mutations()])
def test_a_trailing_newline_never_passes(tmp_path: Path, what: str, mutate: Any) -> None:
    data = _example()
    mutate(data)
    code, err = _check(tmp_path, data)
    assert code == 2, (what, err)
    assert re.match(r"^\S*m\.yaml:\d+:\d+: ", err), err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        (r"^[A-Z]{2}$", "CN", True),
        (r"^[A-Z]{2}$", "CN\n", False),
        (r"^[a-z0-9][a-z0-9._-]{0,62}$", "crm\n", False),
        (r"^a[$]$", "a$", True),  # a $ in a class is a character
        (r"^a\$$", "a$", True),  # so is an escaped one
        (r"^a\$$", "a$\n", False),
        (r"^(x|y)$", "y\n", False),
    ],
)
def test_anchored_reads_dollar_as_the_end_of_the_value(
    pattern: str, value: str, matches: bool
) -> None:
    assert bool(re.search(anchored(pattern), value)) is matches
    import jsonschema_rs

    # the compiled validator (ECMA 262 semantics) agrees
    assert jsonschema_rs.validator_for({"pattern": pattern}).is_valid(value) is matches
