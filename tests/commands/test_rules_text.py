"""`steer rules` and `steer explain` show a pack's text, never obey it: control
characters are written out as escapes and rich markup in a title stays text (issue 12,
"output that cannot be abused": a user pack is input too)."""

from __future__ import annotations

import re
from pathlib import Path

from steer.packs.loader import builtin_root
from support import run

PACK = "id: acme\nname: ACME\nprefix: ACME\ncategories: [governance, infrastructure]\nuses: [cn]\n"


def hostile_pack(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    (root / "rules").mkdir(parents=True)
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    text = (builtin_root() / "cn" / "rules" / "CN-GFW-001.yaml").read_text(encoding="utf-8")
    text = text.replace("id: CN-GFW-001", "id: ACME-GFW-001", 1)
    title = 'title: "\\e[31m[bold]red[/bold]\\a"'  # YAML escapes: ESC and BEL
    text = re.sub(r"(?m)^title: .*$", lambda _: title, text, count=1)
    rationale = 'rationale: "\\e]0;pwned\\a"\n'  # a terminal's set-title sequence
    text = re.sub(r"(?m)^rationale: >-\n(?:  .*\n)+", lambda _: rationale, text)
    (root / "rules" / "ACME-GFW-001.yaml").write_text(text, encoding="utf-8")
    return root


def test_rules_and_explain_show_control_characters_as_escapes(tmp_path: Path) -> None:
    pack = hostile_pack(tmp_path)
    code, out, err = run(["rules", "--pack", str(pack)])
    assert code == 0, err
    assert "\x1b" not in out and "\a" not in out
    assert "\\x1b[31m[bold]red[/bold]\\x07" in out  # markup kept as text, not rendered
    code, out, err = run(["explain", "ACME-GFW-001", "--pack", str(pack)])
    assert code == 0, err
    assert "\x1b" not in out and "\a" not in out
    assert out.startswith("ACME-GFW-001: \\x1b[31m[bold]red[/bold]\\x07")
    assert "\\x1b]0;pwned\\x07" in out
