"""``steer transfers --format markdown``: a table for a pull request or a DPO's file,
the basis as a list under it, the regime and why in the heading; every string
escaped (no ``|`` splits a cell, no HTML tag opens, no backtick ends a code span).
The Markdown check report's "Transfer register" section is the same rendering."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from register_support import AS_OF, FILE, hostile, report
from steer.reporters import render, render_transfers
from steer.reporters.transfers.markdown import HEADER, register_lines
from steer.results.findings import Report

CELL_SPLIT = re.compile(r"(?<!\\)\|")


@pytest.fixture
def demo(tmp_path: Path) -> Report:
    return report(tmp_path)


def table_rows(text: str) -> list[list[str]]:
    """The register table's body rows, split on unescaped pipes."""
    lines = text.splitlines()
    start = lines.index(HEADER) + 2
    out = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        out.append([c.strip() for c in CELL_SPLIT.split(line)[1:-1]])
    return out


def test_heading_regime_and_count(demo: Report) -> None:
    lines = render_transfers("markdown", demo).splitlines()
    assert lines[0] == f"## Transfer register: `{FILE}`"
    assert lines[2] == f"As of {AS_OF} · regime `cn-2024`"
    assert lines[4].startswith("**Regime `cn-2024`:** policy.regime is auto: cn-2024 (CAC Order 16")
    assert lines[6] == "4 crossings: 2 covered, 2 not covered."


def test_one_row_per_crossing(demo: Report) -> None:
    rows = table_rows(render_transfers("markdown", demo))
    assert [r[0] for r in rows] == [f"`{c['flow']}`" for c in demo.crossings]
    assert all(len(r) == 9 for r in rows)
    crm = rows[1]
    assert crm[1] == "`owner-db` → `global-crm` (US)"
    assert crm[2:7] == [
        "`personal`",
        "1,000,000",
        "CAC security assessment",
        "separate consent: yes; PIPIA: yes",
        "none",
    ]
    assert crm[7].split("<br>")[0] == "✗ cac-1 is in-review, not approved"
    assert crm[8] == "❌ missing: a CAC security assessment"
    hotel = rows[2]
    assert hotel[4:7] == [
        "no transfer mechanism",
        "separate consent: no; PIPIA: yes",
        "contract-with-individual",
    ]
    assert hotel[8] == "✅ yes"


def test_basis_listed_under_the_table(demo: Report) -> None:
    text = render_transfers("markdown", demo)
    basis = text[text.index("Basis of each decision:") :]
    for entry in demo.crossings:
        block = basis[basis.index(f"- `{entry['flow']}`") :]
        for i, line in enumerate(entry["basis"]):
            assert block.splitlines()[i + 1] == f"  - {line}"


def test_hostile_strings_are_escaped(demo: Report) -> None:
    text = render_transfers("markdown", hostile(demo))
    lines = text.splitlines()
    # in a code span: no backtick can end it, no pipe split a table; "<i>" stays literal
    assert lines[0] == "## Transfer register: `deploy/a\\|b'<i>.yaml`"
    assert "<script>" not in text
    assert lines[4].endswith("&lt;script>alert(1)&lt;/script> | `tick` *bold*")
    rows = table_rows(text)
    assert all(len(r) == 9 for r in rows)  # the pipes in the reasons split no cell
    assert rows[0][7].split("<br>")[0].endswith("&lt;script>alert(1)&lt;/script> \\| `tick` *bold*")
    assert "  - &lt;script>alert(1)&lt;/script> | `tick` *bold*" in lines


def test_check_report_has_the_same_register(demo: Report) -> None:
    text = render("markdown", [demo])
    section = text.index("### Transfer register")
    assert text.index("| **Total** |") < section < text.index("### Errors (blocking)")
    assert "\n".join(register_lines(demo)).strip() in text
    lines = text.splitlines()
    assert lines[4].startswith("**Regime `cn-2024`:** policy.regime is auto")
