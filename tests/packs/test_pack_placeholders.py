"""Message placeholders that name nothing are refused when the pack loads, at their
own line and column: a fact the check kind does not report, a field no element has, a
private attribute (``{__class__}``), a positional ``{0}``, an unknown ``{param.X}``.
The built-in pack's messages all name something (``steer test`` passes), and the
fields element views add are the ones the registry allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from steer.checks.context import VIEW_FIELDS, Context
from steer.checks.registry import _view_fields
from steer.manifest.load import load_manifest
from steer.vocab import TARGETS
from support import AS_OF, EXAMPLE, clean, run

PACK = "id: acme\nname: ACME house rules\nprefix: ACME\ncategories: [governance]\nuses: [cn]\n"

EACH = """\
id: ACME-OWN-001
title: Datastores name an owner
category: governance
status: confirmed
severity: medium
sources: ["ACME data governance standard §2"]
rationale: Owners answer audits.
remediation: Set owner.
message: >-
  {id} in {location.region} has no owner
  ({MESSAGE})
check:
  kind: each
  target: components
  where: {field: kind, equals: datastore}
  require: {field: owner, exists: true}
"""

COUNT = """\
id: ACME-OPS-001
title: Two engineers
category: governance
status: confirmed
severity: medium
sources: ["ACME operations standard"]
rationale: Cover.
remediation: Hire.
message: "{count} of {at_least} engineers"
check:
  kind: count
  target: operations.team
  assert:
    - where: {field: role, equals: {var: role}}
      for_each: {var: role, values: [ops-engineer]}
      at_least: 2
      message: "{count} {role} engineers, {MESSAGE}"
"""


def make_pack(tmp_path: Path, rule: str, placeholder: str) -> Path:
    root = tmp_path / "acme"
    (root / "rules").mkdir(parents=True)
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    (root / "rules" / "ACME-001.yaml").write_text(
        rule.replace("{MESSAGE}", placeholder), encoding="utf-8"
    )
    return root


@pytest.mark.parametrize(
    ("placeholder", "expected"),
    [
        ("{nonexistent.field}", "expected a fact of check kind each ({index}, {item}, {target})"),
        ("{__class__}", "never one starting with _"),
        ("{location.__class__}", "never one starting with _"),
        ("{0}", "a placeholder is {NAME} or {NAME.FIELD}"),
        ("{}", "a placeholder is {NAME} or {NAME.FIELD}"),
        ("{id!r}", "a placeholder is {NAME} or {NAME.FIELD}"),
        ("{param.nope}", "{param.NAME} with NAME a parameter of the packs (approved_clouds,"),
        ("{owner_team}", "did you mean {owner}?"),
    ],
)
def test_placeholder_naming_nothing_is_refused_at_its_position(
    tmp_path: Path, placeholder: str, expected: str
) -> None:
    pack = make_pack(tmp_path, EACH, placeholder)
    manifest = tmp_path / "platform.yaml"
    manifest.write_text(clean(), encoding="utf-8")
    code, out, err = run(["check", str(manifest), "--pack", str(pack), "--as-of", AS_OF])
    assert code == 2 and out == "", out
    assert f"acme/rules/ACME-001.yaml:11:4: message: placeholder {placeholder} names nothing" in err
    assert expected in err
    code, _, err = run(["test", str(pack)])  # steer test refuses the pack alike
    assert code == 2
    assert f"ACME-001.yaml:11:4: message: placeholder {placeholder} names nothing" in err


def test_an_assertion_message_is_checked_with_its_variable(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, COUNT, "{hops}")
    code, _, err = run(["rules", "--pack", str(pack)])
    assert code == 2, err
    assert "ACME-001.yaml:17:43: check.assert.0.message: placeholder {hops} names nothing" in err
    assert "a fact of check kind count ({at_least}, {at_most}, {count}, {role}, {target})" in err
    pack = make_pack(tmp_path / "ok", COUNT, "{at_most}")
    code, _, err = run(["rules", "--pack", str(pack)])
    assert code == 0, err


def test_kinds_without_views_allow_only_their_facts(tmp_path: Path) -> None:
    rule = """\
id: ACME-XB-001
title: Crossings
category: governance
status: confirmed
severity: high
sources: ["ACME"]
rationale: R.
remediation: R.
message: "{flow} to {to} ({location.region})"
check:
  kind: volume
"""
    pack = make_pack(tmp_path, rule, "")
    code, _, err = run(["rules", "--pack", str(pack)])
    assert code == 2, err
    assert "ACME-001.yaml:9:27: message: placeholder {location.region} names nothing" in err
    assert "a field of the element" not in err  # volume renders its facts alone


def test_valid_placeholders_load_and_render(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, EACH, "{param.approved_clouds}, {kind}, {target}")
    manifest = tmp_path / "platform.yaml"
    manifest.write_text(clean(), encoding="utf-8")
    code, out, err = run(["check", str(manifest), "--pack", str(pack), "--as-of", AS_OF])
    assert code == 1, err
    assert "customer-db in cn-shanghai has no owner (alibaba-cloud/*" in out
    assert "datastore, components.customer-db)" in out


def test_builtin_pack_messages_name_something() -> None:
    code, out, err = run(["test"])
    assert code == 0, out + err


def test_view_fields_are_what_the_views_hold() -> None:
    """Every field of every element view of the example is one the registry allows:
    the allowed set follows what the views really hold."""
    manifest = load_manifest(EXAMPLE, "example.yaml")
    ctx = Context(manifest, AS_OF)
    allowed = _view_fields()
    seen: set[str] = set()
    for target in TARGETS:
        for element in ctx.elements(target):
            assert set(element.view) <= allowed, (target, set(element.view) - allowed)
            seen |= set(element.view)
    assert {"from_component", "transfer", "held_by", "location", "launch"} <= seen & VIEW_FIELDS
