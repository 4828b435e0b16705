"""``steer transfers --format table``: the heading names the manifest, the as-of date,
the regime and why; every crossing has its row with route, data, what it requires,
approvals and coverage; every basis line is printed; a closing count. Plain text
keeps to its width and ends no line in spaces; colour only when asked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from register_support import AS_OF, FILE, report
from steer.reporters.transfers import table
from steer.results.findings import Report


@pytest.fixture
def demo(tmp_path: Path) -> Report:
    return report(tmp_path)


def _flat(text: str) -> str:
    """The text with box drawing and line breaks gone (for prose outside the table)."""
    for ch in "│┃┏┓┗┛┡┩└┘├┤┼╇┳┻┴┬━─":
        text = text.replace(ch, " ")
    return " ".join(text.split())


def cells(text: str) -> list[list[str]]:
    """The table's body rows, each a list of its cells' text (wrapped lines joined)."""
    out: list[list[str]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith(("┡", "├")):  # a row starts below the header rule and each rule
            current = []
            out.append([])
            continue
        if line.startswith("└"):
            break
        if current is not None and line.startswith("│"):
            parts = [p.strip() for p in line.strip("│").split("│")]
            if not current:
                current.extend([] for _ in parts)
            for column, part in zip(current, parts, strict=True):
                if part:
                    column.append(part)
            out[-1] = [" ".join(c) for c in current]
    return out


def test_heading_names_the_regime_and_why(demo: Report) -> None:
    lines = table.render(demo).splitlines()
    assert lines[0] == f"{FILE} as of {AS_OF}, regime cn-2024"
    why = " ".join(lines[1:4])
    assert why.startswith("policy.regime is auto: cn-2024 (CAC Order 16, in force from 2024-03-22)")
    assert "Transfer register" in lines


def test_a_row_per_crossing_with_what_it_needs(demo: Report) -> None:
    rows = cells(table.render(demo))
    assert [r[0].split()[0] for r in rows] == [c["flow"] for c in demo.crossings]
    assert all(len(r) == 5 for r in rows)
    analytics, crm, hotel, lab = rows
    assert crm == [
        "crm-sync owner-db → global-crm (US)",
        "personal 1,000,000 individuals",
        "CAC security assessment + separate consent + PIPIA",
        "✗ cac-1 is in-review, not approved ✓ consent-1 counts (approved 2026-04-01) "
        "✓ pipia-1 counts (approved 2026-03-15)",
        "missing: - a CAC security assessment",
    ]
    assert analytics[3].startswith(
        "✗ scc-analytics does not count: a standard contract is not something this crossing"
    )
    assert hotel[2] == (
        "no transfer mechanism exempt: contract-with-individual no separate consent + PIPIA"
    )
    assert hotel[4] == "yes"
    assert lab[1:3] == [
        "sensitive-personal 5,000 individuals",
        "standard contract or certification + separate consent + PIPIA",
    ]
    assert lab[0] == "lab-results clinic-db → lab-partner (SG)"


def test_every_basis_line_and_the_count(demo: Report) -> None:
    text = table.render(demo)
    basis = _flat(text[text.index("Basis of each decision") :])
    for entry in demo.crossings:
        assert entry["flow"] in basis
        for line in entry["basis"]:
            assert " ".join(line.split()) in basis, line
    assert text.splitlines()[-1] == "4 crossings: 2 covered, 2 not covered"


def test_policy_and_refused_exemptions_are_shown(demo: Report) -> None:
    entry = dict(demo.crossings[3])
    entry.update(
        requires="standard-contract-or-certification",
        requires_by_policy="cac-security-assessment",
        exemption=None,
        exemption_refused="CAC Order 16 art. 5(1) does not extend to important data",
    )
    text = table.render(dataclasses.replace(demo, crossings=(entry,)))
    (row,) = cells(text)
    assert row[2] == (
        "standard contract or certification policy: CAC security assessment exemption "
        "refused: CAC Order 16 art. 5(1) does not extend to important data + separate "
        "consent + PIPIA"
    )
    assert text.splitlines()[-1] == "1 crossing: 1 covered, 0 not covered"


def test_plain_text_keeps_its_width(demo: Report) -> None:
    for width in (120, 100, 80):
        text = table.render(demo, width=width)
        for line in text.splitlines():
            assert len(line) <= width and line == line.rstrip()
        assert "\x1b[" not in text


def test_colour_only_when_asked(demo: Report) -> None:
    assert "\x1b[" in table.render(demo, color=True, width=120)


def test_no_crossings(demo: Report) -> None:
    text = table.render(dataclasses.replace(demo, crossings=()))
    assert "Transfer register" not in text
    assert text.splitlines()[-1].startswith("0 crossings: no flow takes personal information")


def test_several_reports_one_after_the_other(demo: Report) -> None:
    other = dataclasses.replace(demo, manifest="other.yaml")
    text = table.render([demo, other])
    assert text.count("4 crossings: 2 covered, 2 not covered") == 2
    assert text.index(f"{FILE} as of") < text.index("other.yaml as of")
