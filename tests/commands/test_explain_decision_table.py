"""``steer explain CN-XB-002`` prints the decision table of each regime: cn-2022 (CAC
Order 11) and cn-2024 (CAC Order 16), oldest first, each with its instrument, span,
legal basis and rows (condition -> mechanism [article]) built from the pack's values,
its exemptions and what changed; guardrails that do not decide the mechanism get no
table."""

from __future__ import annotations

import pytest

from support import run


def explain(rule: str) -> str:
    code, out, err = run(["explain", rule])
    assert (code, err) == (0, "")
    return out


@pytest.fixture(scope="module")
def table() -> str:
    out = explain("CN-XB-002")
    assert "\nDecision table (one per regime, oldest first)\n" in out
    return out[out.index("Decision table") : out.index("Examples (fixtures)")]


def regime(table: str, name: str) -> str:
    """One regime's part of the table, its wrapped lines joined."""
    start = table.index(f"\n  {name}: ")
    end = table.find("\n  cn-", start + 1)
    return " ".join(table[start : end if end > 0 else None].split())


def test_both_regimes_in_date_order(table: str) -> None:
    assert "\n  cn-2022: CAC Order 11, in force 2022-09-01 to 2024-03-21\n" in table
    assert "\n  cn-2024: CAC Order 16, in force from 2024-03-22\n" in table
    assert table.index("cn-2022: CAC Order 11") < table.index("cn-2024: CAC Order 16")
    flat = " ".join(table.split())
    assert "'or more' includes the number (以上), 'under' excludes it (不满)" in flat


def test_cn_2022_rows_and_thresholds(table: str) -> None:
    text = regime(table, "cn-2022")
    assert "Measures for the Security Assessment of Outbound Data Transfers" in text
    assert "cumulative since 1 January of the previous year" in text
    for row in (
        "important data (identified as such) crosses -> CAC security assessment "
        "[CAC Order 11 art. 4(1)]",
        "the handler is a CIIO and PI crosses -> CAC security assessment [CAC Order 11 art. 4(2)]",
        "the handler processes PI of 1,000,000 or more individuals (inclusive;",
        "100,000 or more individuals' PI, sensitive included (inclusive) -> CAC security "
        "assessment [CAC Order 11 art. 4(3)]",
        "10,000 or more individuals' sensitive PI (inclusive) -> CAC security assessment "
        "[CAC Order 11 art. 4(3)]",
        "under 100,000 individuals' PI, sensitive included -> standard contract or PI "
        "protection certification [PIPL art. 38(1)",
    ):
        assert row in text, row
    assert "none: CAC Order 11 recognises none" in text
    assert "valid 2 years (CAC Order 11 art. 14)" in text
    assert "1,000,000 or more individuals' non-sensitive PI" not in text


def test_cn_2024_rows_thresholds_and_exemptions(table: str) -> None:
    text = regime(table, "cn-2024")
    assert "Provisions on Promoting and Regulating Cross-Border Data Flows" in text
    assert "cumulative since 1 January of the as-of year" in text
    for row in (
        "1,000,000 or more individuals' non-sensitive PI (inclusive) -> CAC security "
        "assessment [CAC Order 16 art. 7(2)]",
        "10,000 or more individuals' sensitive PI (inclusive) -> CAC security assessment "
        "[CAC Order 16 art. 7(2)]",
        "100,000 to under 1,000,000 individuals' non-sensitive PI -> standard contract or PI "
        "protection certification [CAC Order 16 art. 8]",
        "sensitive PI of under 10,000 individuals -> standard contract or PI protection "
        "certification [CAC Order 16 art. 8]",
        "under 100,000 individuals' non-sensitive PI, no sensitive PI on the crossing, and the "
        "handler is not a CIIO -> no transfer mechanism [CAC Order 16 art. 5(4)]",
        "the handler is a CIIO and PI crosses -> CAC security assessment [CAC Order 16 art. 7(1)]",
        "the flow declares an exemption below that holds for it -> no transfer mechanism "
        "[CAC Order 16 art. 3, 4, 5(1), 5(2), 5(3), 6]",
    ):
        assert row in text, row
    assert "the handler processes PI of" not in text  # no handler-size trigger after 2024
    assert (
        "contract-with-individual (CAC Order 16 art. 5(1)): necessary to conclude or perform"
        in text
    )
    assert "applies to CIIOs: yes; personal information allowed; never important data; " in text
    assert "separate consent not needed (PIPL art. 13 para. 1 item 2" in text
    assert "ftz-negative-list (CAC Order 16 art. 6)" in text
    assert "valid 3 years (CAC Order 16 art. 9)" in text
    assert "What changed from cn-2022: - counting window: since 1 January of the current year" in (
        text
    )


def test_only_the_deciding_guardrail_has_a_table() -> None:
    assert "Decision table" not in explain("CN-XB-004")  # validity only: a timeline
    assert "Decision table" not in explain("CN-DS-001")
