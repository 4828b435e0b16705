"""The transfer decision as a table: one row per case, read from the law.

Each row: the case, the regime (a name, ``auto``, or a name with parameter
overrides), the as-of date, the handler, the crossings, then what the decision of
one crossing must be: ``requires``, separate consent, PIPIA, the exemption honoured,
the exemption refused (a phrase of the reason), the individuals counted, and the
article one of its ``basis`` sentences starts with.

Boundaries (Civil Code art. 1259: "以上" includes the number, "不满" excludes it):
CAC Order 16 art. 5(4) / 8 / 7(2) at 99,999 / 100,000 / 999,999 / 1,000,000
non-sensitive and 9,999 / 10,000 sensitive; CAC Order 11 art. 4(2)/(3) at 100,000,
10,000 and the 1,000,000 handler. Regimes come from the pack's parameters.yaml.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from steer.analysis.decision import (
    ASSESSMENT,
    CONTRACT,
    NONE,
    CrossingInput,
    Handler,
    Holding,
    decide,
    decision_changes,
)
from steer.analysis.regimes import RegimeSet, load_regimes, resolve_regime
from steer.loading.parse import load_file

PARAMETERS = Path(__file__).resolve().parents[2] / "guardrails" / "cn" / "parameters.yaml"
REGIMES: RegimeSet = load_regimes(yaml.safe_load(PARAMETERS.read_text(encoding="utf-8")))
AS_OF = dt.date(2026, 12, 2)
THIS_YEAR = dt.date(2026, 2, 1)  # a flow that started this year
LAST_YEAR = dt.date(2025, 3, 1)  # a flow already running before 1 January 2026

ORG = Handler(ciio=False, pi_subjects=1_200_000)  # a non-CIIO handling 1.2M individuals
SMALL = Handler(ciio=False, pi_subjects=500_000)  # under the 2022 handler number
CIIO = Handler(ciio=True, pi_subjects=1_200_000)


def ns(flow: str, r: int | None, **kw: Any) -> CrossingInput:
    """A crossing of non-sensitive PI only."""
    return _crossing(flow, r, non_sensitive=True, **kw)


def sp(flow: str, r: int | None, **kw: Any) -> CrossingInput:
    """A crossing of sensitive PI only (e.g. vehicle location tracks)."""
    return _crossing(flow, r, sensitive=True, **kw)


def both(flow: str, r: int | None, **kw: Any) -> CrossingInput:
    """A crossing of non-sensitive and sensitive PI."""
    return _crossing(flow, r, non_sensitive=True, sensitive=True, **kw)


def data(flow: str, **kw: Any) -> CrossingInput:
    """A crossing of no PI (operational data; important data if said so)."""
    return _crossing(flow, None, **kw)


def _crossing(
    flow: str,
    r: int | None,
    *,
    non_sensitive: bool = False,
    sensitive: bool = False,
    held: tuple[str, int | None] | None = None,
    since: dt.date = THIS_YEAR,
    exemption: str | None = None,
    important: bool = False,
    policy: bool = False,
) -> CrossingInput:
    return CrossingInput(
        flow=flow,
        since=since,
        holdings=(Holding(*held),) if held else (),
        records_per_year=r,
        carries_non_sensitive_personal=non_sensitive,
        carries_sensitive=sensitive,
        carries_important_by_law=important,
        carries_important_by_policy=policy,
        exemption=exemption,
    )


O16, O11 = "CAC Order 16", "CAC Order 11"
NO_WAIVER = ("cn-2024", {"exemption_basis_waives_consent": False})
NO_EXEMPTIONS = ("cn-2024", {"exemptions_apply": False})

# fmt: off
# case, regime, as_of, handler, crossings,
#   flow, requires, consent, pipia, exemption, refused, individuals, article
ROWS: list[tuple[Any, ...]] = [
    # -- CAC Order 16 non-sensitive boundaries (art. 5(4), 8, 7(2)) ----------------------
    ("ns 99,999: exempt by volume", "cn-2024", AS_OF, ORG, (ns("a", 99_999),),
     "a", NONE, True, True, None, None, 99_999, f"{O16} art. 5(4)"),
    ("ns 100,000: contract", "cn-2024", AS_OF, ORG, (ns("a", 100_000),),
     "a", CONTRACT, True, True, None, None, 100_000, f"{O16} art. 8"),
    ("ns 999,999: contract", "cn-2024", AS_OF, ORG, (ns("a", 999_999),),
     "a", CONTRACT, True, True, None, None, 999_999, f"{O16} art. 8"),
    ("ns 1,000,000: assessment", "cn-2024", AS_OF, ORG, (ns("a", 1_000_000),),
     "a", ASSESSMENT, True, True, None, None, 1_000_000, f"{O16} art. 7(2)"),
    # -- CAC Order 16 sensitive boundaries (art. 8, 7(2)) --------------------------------
    ("sensitive 1: contract", "cn-2024", AS_OF, ORG, (sp("s", 1),),
     "s", CONTRACT, True, True, None, None, 1, f"{O16} art. 8"),
    ("sensitive 9,999: contract", "cn-2024", AS_OF, ORG, (sp("s", 9_999),),
     "s", CONTRACT, True, True, None, None, 9_999, f"{O16} art. 8"),
    ("sensitive 10,000: assessment", "cn-2024", AS_OF, ORG, (sp("s", 10_000),),
     "s", ASSESSMENT, True, True, None, None, 10_000, f"{O16} art. 7(2)"),
    ("ns and sensitive on one crossing: the stricter", "cn-2024", AS_OF, ORG,
     (both("b", 200_000),),
     "b", ASSESSMENT, True, True, None, None, 200_000, f"{O16} art. 7(2)"),
    ("no art. 5(4) for a crossing carrying sensitive PI", "cn-2024", AS_OF, ORG,
     (both("b", 5_000),),
     "b", CONTRACT, True, True, None, None, 5_000, f"{O16} art. 8"),
    ("ns-only crossing keeps art. 5(4) beside a sensitive one", "cn-2024", AS_OF, ORG,
     (ns("a", 50_000), sp("s", 5_000)),
     "a", NONE, True, True, None, None, 50_000, f"{O16} art. 5(4)"),
    ("sensitive-only crossing judged by the sensitive count", "cn-2024", AS_OF, ORG,
     (ns("a", 2_000_000), sp("s", 5_000)),
     "s", CONTRACT, True, True, None, None, 5_000, f"{O16} art. 8"),
    # -- CAC Order 11 (cn-2022) boundaries (art. 4(2), 4(3); PIPL art. 38 below) -----------
    ("2022: PI 99,999: contract", "cn-2022", AS_OF, SMALL, (ns("a", 99_999),),
     "a", CONTRACT, True, True, None, None, 99_999, "PIPL art. 38(1)"),
    ("2022: PI 100,000: assessment", "cn-2022", AS_OF, SMALL, (ns("a", 100_000),),
     "a", ASSESSMENT, True, True, None, None, 100_000, f"{O11} art. 4(3)"),
    ("2022: sensitive 9,999: contract", "cn-2022", AS_OF, SMALL, (sp("s", 9_999),),
     "s", CONTRACT, True, True, None, None, 9_999, "PIPL art. 38(1)"),
    ("2022: sensitive 10,000: assessment", "cn-2022", AS_OF, SMALL, (sp("s", 10_000),),
     "s", ASSESSMENT, True, True, None, None, 10_000, f"{O11} art. 4(3)"),
    ("2022: sensitive counts in the PI total", "cn-2022", AS_OF, SMALL,
     (ns("a", 95_000), sp("s", 6_000)),
     "a", ASSESSMENT, True, True, None, None, 95_000, f"{O11} art. 4(3)"),
    ("2022: handler of 1,000,000: assessment", "cn-2022", AS_OF,
     Handler(False, 1_000_000), (ns("a", 50_000),),
     "a", ASSESSMENT, True, True, None, None, 50_000, f"{O11} art. 4(2)"),
    ("2022: handler of 999,999: contract", "cn-2022", AS_OF,
     Handler(False, 999_999), (ns("a", 50_000),),
     "a", CONTRACT, True, True, None, None, 50_000, "PIPL art. 38(1)"),
    ("2022: handler size unknown: assessment", "cn-2022", AS_OF,
     Handler(False, None), (ns("a", 50_000),),
     "a", ASSESSMENT, True, True, None, None, 50_000, f"{O11} art. 4(2)"),
    # -- no handler-size trigger after 2024 ----------------------------------------------
    ("1.2M handler exporting 180k under 2024: contract", "cn-2024", AS_OF, ORG,
     (ns("crm-sync", 180_000, held=("owner-db", 1_200_000)),),
     "crm-sync", CONTRACT, True, True, None, None, 180_000, f"{O16} art. 8"),
    ("1.2M handler exporting 180k under 2022: assessment", "cn-2022", AS_OF, ORG,
     (ns("crm-sync", 180_000, held=("owner-db", 1_200_000)),),
     "crm-sync", ASSESSMENT, True, True, None, None, 180_000, f"{O11} art. 4(2)"),
    # -- CIIO: art. 7(1); art. 5(4) is not for CIIOs; the other exemptions are -----------
    ("CIIO, 50k ns: assessment, no art. 5(4)", "cn-2024", AS_OF, CIIO, (ns("a", 50_000),),
     "a", ASSESSMENT, True, True, None, None, 50_000, f"{O16} art. 7(1)"),
    ("CIIO, contract with the individual", "cn-2024", AS_OF, CIIO,
     (ns("a", 2_000_000, exemption="contract-with-individual"),),
     "a", NONE, False, True, "contract-with-individual", None, 2_000_000, f"{O16} art. 5(1)"),
    ("CIIO, HR management", "cn-2024", AS_OF, CIIO,
     (both("a", 20_000, exemption="hr-management"),),
     "a", NONE, False, True, "hr-management", None, 20_000, f"{O16} art. 5(2)"),
    ("CIIO, emergency", "cn-2024", AS_OF, CIIO, (sp("a", 20_000, exemption="emergency"),),
     "a", NONE, False, True, "emergency", None, 20_000, f"{O16} art. 5(3)"),
    ("CIIO, collected abroad", "cn-2024", AS_OF, CIIO,
     (ns("a", 300_000, exemption="collected-abroad"),),
     "a", NONE, True, True, "collected-abroad", None, 300_000, f"{O16} art. 4"),
    ("CIIO, FTZ negative list", "cn-2024", AS_OF, CIIO,
     (ns("a", 300_000, exemption="ftz-negative-list"),),
     "a", NONE, True, True, "ftz-negative-list", None, 300_000, f"{O16} art. 6"),
    ("CIIO, art. 3 with no PI or important data", "cn-2024", AS_OF, CIIO,
     (data("ops", exemption="no-personal-or-important"),),
     "ops", NONE, False, False, "no-personal-or-important", None, 0, f"{O16} art. 3"),
    ("CIIO, art. 3 refused: PI crosses", "cn-2024", AS_OF, CIIO,
     (ns("a", 50_000, exemption="no-personal-or-important"),),
     "a", ASSESSMENT, True, True, None, "without personal information", 50_000,
     f"{O16} art. 7(1)"),
    ("CIIO, important data: no exemption covers it", "cn-2024", AS_OF, CIIO,
     (ns("a", 50_000, important=True, exemption="contract-with-individual"),),
     "a", ASSESSMENT, True, True, None, "does not extend to important data", 50_000,
     f"{O16} art. 7(1)"),
    # -- non-CIIO: each exemption, on a volume that would need an assessment -------------
    ("contract with the individual", "cn-2024", AS_OF, ORG,
     (ns("a", 2_000_000, exemption="contract-with-individual"),),
     "a", NONE, False, True, "contract-with-individual", None, 2_000_000, f"{O16} art. 5(1)"),
    ("HR management", "cn-2024", AS_OF, ORG,
     (sp("a", 20_000, exemption="hr-management"),),
     "a", NONE, False, True, "hr-management", None, 20_000, f"{O16} art. 5(2)"),
    ("emergency", "cn-2024", AS_OF, ORG, (ns("a", 2_000_000, exemption="emergency"),),
     "a", NONE, False, True, "emergency", None, 2_000_000, f"{O16} art. 5(3)"),
    ("collected abroad: consent still needed", "cn-2024", AS_OF, ORG,
     (ns("a", 2_000_000, exemption="collected-abroad"),),
     "a", NONE, True, True, "collected-abroad", None, 2_000_000, f"{O16} art. 4"),
    ("FTZ negative list: consent still needed", "cn-2024", AS_OF, ORG,
     (ns("a", 2_000_000, exemption="ftz-negative-list"),),
     "a", NONE, True, True, "ftz-negative-list", None, 2_000_000, f"{O16} art. 6"),
    ("art. 3 with no PI or important data", "cn-2024", AS_OF, ORG,
     (data("ops", exemption="no-personal-or-important"),),
     "ops", NONE, False, False, "no-personal-or-important", None, 0, f"{O16} art. 3"),
    ("art. 3 refused: PI crosses, counted", "cn-2024", AS_OF, ORG,
     (ns("a", 200_000, exemption="no-personal-or-important"),),
     "a", CONTRACT, True, True, None, "without personal information", 200_000,
     f"{O16} art. 8"),
    ("important data never rides art. 5", "cn-2024", AS_OF, ORG,
     (ns("a", 50_000, important=True, exemption="contract-with-individual"),),
     "a", ASSESSMENT, True, True, None, "does not extend to important data", 50_000,
     f"{O16} art. 7(2)"),
    ("exempt crossing not counted towards the others", "cn-2024", AS_OF, ORG,
     (ns("a", 950_000, exemption="contract-with-individual"), ns("b", 60_000)),
     "b", NONE, True, True, None, None, 60_000, f"{O16} art. 5(4)"),
    ("2022: exemptions not recognised", "cn-2022", AS_OF, SMALL,
     (ns("a", 50_000, exemption="contract-with-individual"),),
     "a", CONTRACT, True, True, None, "recognises no exemption", 50_000, "PIPL art. 38(1)"),
    ("exemptions_apply false: not relied on", NO_EXEMPTIONS, AS_OF, ORG,
     (ns("a", 150_000, exemption="hr-management"),),
     "a", CONTRACT, True, True, None, "exemptions_apply is false", 150_000, f"{O16} art. 8"),
    ("consent not waived when the parameter says so", NO_WAIVER, AS_OF, ORG,
     (ns("a", 150_000, exemption="hr-management"),),
     "a", NONE, True, True, "hr-management", None, 150_000, f"{O16} art. 5(2)"),
    # -- individuals, not flows: one holding caps its crossings ---------------------------
    ("two flows from one holding: capped", "cn-2024", AS_OF, ORG,
     (ns("a", 600_000, held=("db", 900_000)), ns("b", 600_000, held=("db", 900_000))),
     "a", CONTRACT, True, True, None, None, 600_000, f"{O16} art. 8"),
    ("two flows from two holdings: summed", "cn-2024", AS_OF, ORG,
     (ns("a", 600_000, held=("db1", 900_000)), ns("b", 600_000, held=("db2", 900_000))),
     "a", ASSESSMENT, True, True, None, None, 600_000, f"{O16} art. 7(2)"),
    ("two small flows from one holding: still art. 5(4)", "cn-2024", AS_OF, ORG,
     (ns("a", 60_000, held=("db", 80_000)), ns("b", 60_000, held=("db", 80_000))),
     "b", NONE, True, True, None, None, 60_000, f"{O16} art. 5(4)"),
    ("two small flows from two holdings: contract", "cn-2024", AS_OF, ORG,
     (ns("a", 60_000, held=("db1", 80_000)), ns("b", 60_000, held=("db2", 80_000))),
     "b", CONTRACT, True, True, None, None, 60_000, f"{O16} art. 8"),
    ("a flow never counts more than its holding holds", "cn-2024", AS_OF, ORG,
     (ns("a", 150_000, held=("db", 90_000)),),
     "a", NONE, True, True, None, None, 90_000, f"{O16} art. 5(4)"),
    # -- counting windows ---------------------------------------------------------------
    ("2022: running since last year counts 2r", "cn-2022", AS_OF, SMALL,
     (ns("a", 60_000, since=LAST_YEAR),),
     "a", ASSESSMENT, True, True, None, None, 120_000, f"{O11} art. 4(3)"),
    ("2022: started this year counts r", "cn-2022", AS_OF, SMALL,
     (ns("a", 60_000, since=THIS_YEAR),),
     "a", CONTRACT, True, True, None, None, 60_000, "PIPL art. 38(1)"),
    ("2022: 2r capped by the holding", "cn-2022", AS_OF, SMALL,
     (ns("a", 60_000, since=LAST_YEAR, held=("db", 90_000)),),
     "a", CONTRACT, True, True, None, None, 90_000, "PIPL art. 38(1)"),
    ("2024: running since last year counts r", "cn-2024", AS_OF, ORG,
     (ns("a", 600_000, since=LAST_YEAR),),
     "a", CONTRACT, True, True, None, None, 600_000, f"{O16} art. 8"),
    # -- unknown volume: the conservative decision ----------------------------------------
    ("unknown volume: assessment", "cn-2024", AS_OF, ORG, (ns("a", None, held=("db", None)),),
     "a", ASSESSMENT, True, True, None, None, None, f"{O16} art. 7(2)"),
    ("no records_per_year: the holding's individuals", "cn-2024", AS_OF, ORG,
     (ns("a", None, held=("db", 50_000)),),
     "a", NONE, True, True, None, None, 50_000, f"{O16} art. 5(4)"),
    ("an unknown volume elsewhere makes the count unknown", "cn-2024", AS_OF, ORG,
     (ns("a", 50_000), ns("b", None)),
     "a", ASSESSMENT, True, True, None, None, 50_000, f"{O16} art. 7(2)"),
    # -- important data: by law, or only by the organisation's policy -------------------
    ("important by law, no PI: assessment", "cn-2024", AS_OF, ORG,
     (data("charging", important=True),),
     "charging", ASSESSMENT, False, False, None, None, 0, f"{O16} art. 7(2)"),
    ("important by policy only: the policy's assessment", "cn-2024", AS_OF, ORG,
     (ns("telematics", 50_000, policy=True),),
     "telematics", ASSESSMENT, True, True, None, None, 50_000, "Organisation policy, not law"),
    ("no PI, no important data: none", "cn-2024", AS_OF, ORG, (data("ops"),),
     "ops", NONE, False, False, None, None, 0, f"{O16} art. 3"),
    # -- auto: the regime in force on the as-of date --------------------------------------
    ("auto on 2024-03-21 is cn-2022", "auto", dt.date(2024, 3, 21), SMALL,
     (ns("a", 150_000, since=dt.date(2024, 1, 10)),),
     "a", ASSESSMENT, True, True, None, None, 150_000, f"{O11} art. 4(3)"),
    ("auto on 2024-03-22 is cn-2024", "auto", dt.date(2024, 3, 22), SMALL,
     (ns("a", 150_000, since=dt.date(2024, 1, 10)),),
     "a", CONTRACT, True, True, None, None, 150_000, f"{O16} art. 8"),
]
# fmt: on


def _regime(spec: Any, as_of: dt.date) -> Any:
    name, overrides = spec if isinstance(spec, tuple) else (spec, {})
    regime = resolve_regime(name, as_of, REGIMES).regime
    return regime.with_overrides(overrides) if overrides else regime


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_decision_table(row: tuple[Any, ...]) -> None:
    (_, spec, as_of, handler, crossings, flow, requires, consent, pipia, exemption, refused,
     individuals, article) = row  # fmt: skip
    got = decide(crossings, handler, _regime(spec, as_of), as_of)[flow]
    assert (got.requires, got.consent_required, got.pipia_required) == (requires, consent, pipia)
    assert got.exemption == exemption
    if refused is None:
        assert got.exemption_refused is None
    else:
        assert got.exemption_refused is not None and refused in got.exemption_refused
    assert got.individuals == individuals
    assert any(b.startswith(article) for b in got.basis), got.basis
    # every part of a decision names its legal basis
    assert (got.consent_basis is not None) == got.pipia_required
    if got.pipia_required:
        assert got.pipia_basis is not None and got.pipia_basis.startswith("PIPL art. 55")
        assert got.consent_basis is not None
        assert got.consent_basis.startswith("PIPL art. 39" if consent else "PIPL art. 13")


def test_table_covers_the_issue_boundaries() -> None:
    assert len(ROWS) >= 40
    assert len({r[0] for r in ROWS}) == len(ROWS)


def test_cli_md_example_sentence() -> None:
    """The register's example (cli.md): crm-sync, 180,000, a standard contract."""
    (crossings,) = [
        r[4] for r in ROWS if r[0] == "1.2M handler exporting 180k under 2024: contract"
    ]
    got = decide(crossings, ORG, REGIMES.get("cn-2024"), AS_OF)["crm-sync"]
    assert got.basis == (
        "CAC Order 16 art. 8: 100,000 to under 1,000,000 individuals' non-sensitive PI; "
        "180,000 counted since 1 January 2026",
    )


def test_policy_assessment_is_not_the_law() -> None:
    got = decide((ns("telematics", 50_000, policy=True),), ORG, REGIMES.get("cn-2024"), AS_OF)
    assert (got["telematics"].requires, got["telematics"].requires_by_law) == (ASSESSMENT, NONE)
    by_law = decide((ns("video", 50_000, important=True),), ORG, REGIMES.get("cn-2024"), AS_OF)
    assert by_law["video"].requires_by_law == ASSESSMENT
    assert not any(b.startswith("Organisation policy") for b in by_law["video"].basis)


def test_counting_notes_name_the_window_and_the_cap() -> None:
    doubled = decide((ns("a", 60_000, since=LAST_YEAR),), SMALL, REGIMES.get("cn-2022"), AS_OF)
    assert doubled["a"].basis == (
        "CAC Order 11 art. 4(3): 100,000 or more individuals' PI, sensitive included; "
        "120,000 counted since 1 January 2025",
        "CAC Order 11 art. 4(3): counted since 1 January 2025, and a has run since "
        "2025-03-01, so its 60,000 individuals a year count two years",
    )
    shared = (ns("a", 600_000, held=("db", 900_000)), ns("b", 600_000, held=("db", 900_000)))
    capped = decide(shared, ORG, REGIMES.get("cn-2024"), AS_OF)["b"]
    assert capped.basis[-1] == (
        "CAC Order 16 art. 7(2): individuals, not flows: the crossings drawing on db count "
        "at most the 900,000 individuals held there"
    )


def test_unknown_volume_names_the_flows() -> None:
    got = decide((ns("a", 50_000), ns("b", None)), ORG, REGIMES.get("cn-2024"), AS_OF)
    assert got["b"].individuals is None
    assert got["a"].basis == (
        "CAC Order 16 art. 7(2): the volume of b is unknown (no records_per_year, no holding "
        "size), so 1,000,000 or more individuals' non-sensitive PI is assumed",
    )


def test_art_5_4_reading_is_stated_when_sensitive_crosses_elsewhere() -> None:
    got = decide((ns("a", 50_000), sp("s", 5_000)), ORG, REGIMES.get("cn-2024"), AS_OF)["a"]
    assert "a reading the text leaves open" in got.basis[-1]


def test_a_decision_per_crossing_keyed_by_flow_in_order() -> None:
    crossings = (ns("z", 50_000), sp("m", 5_000), data("a"))
    assert list(decide(crossings, ORG, REGIMES.get("cn-2024"), AS_OF)) == ["a", "m", "z"]


def test_bad_input_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="flow a is given twice"):
        decide((ns("a", 1), ns("a", 2)), ORG, REGIMES.get("cn-2024"), AS_OF)
    with pytest.raises(ValueError, match="holding db is given as 5 and as 7"):
        decide((ns("a", 1, held=("db", 5)), ns("b", 1, held=("db", 7))), ORG,
               REGIMES.get("cn-2024"), AS_OF)  # fmt: skip
    with pytest.raises(ValueError, match="records_per_year is negative"):
        ns("a", -1)


# -- regimes: auto, pinned, and the warning -----------------------------------------------
def test_auto_picks_the_regime_in_force() -> None:
    assert resolve_regime(None, dt.date(2024, 3, 21), REGIMES).name == "cn-2022"
    assert resolve_regime("auto", dt.date(2024, 3, 22), REGIMES).name == "cn-2024"
    assert resolve_regime("auto", dt.date(2022, 9, 1), REGIMES).name == "cn-2022"
    got = resolve_regime("auto", AS_OF, REGIMES)
    assert got.pinned_not_in_force is None
    assert got.why.startswith(
        "policy.regime is auto: cn-2024 (CAC Order 16, in force from 2024-03-22) is the law in "
        "force on 2026-12-02."
    )
    with pytest.raises(ValueError, match="no regime is in force on 2022-08-31"):
        resolve_regime("auto", dt.date(2022, 8, 31), REGIMES)


def test_pinned_cn_2022_on_2026_12_02_warns() -> None:
    got = resolve_regime("cn-2022", AS_OF, REGIMES)
    assert got.name == "cn-2022"
    assert got.why == (
        "policy.regime pins cn-2022 (CAC Order 11, in force 2022-09-01 to 2024-03-21), which "
        "is not the law in force on 2026-12-02"
    )
    assert got.pinned_not_in_force == (
        "policy.regime pins cn-2022 (CAC Order 11, in force 2022-09-01 to 2024-03-21), which "
        "is not in force on 2026-12-02: cn-2024 (CAC Order 16, in force from 2024-03-22) is. "
        "Under cn-2024: counting window: since 1 January of the current year, not since "
        "1 January of the previous year; assessment: from 1,000,000 individuals' "
        "non-sensitive PI or 10,000 individuals' sensitive PI, not from 100,000 individuals' "
        "PI, sensitive included or 10,000 individuals' sensitive PI; below it: a standard "
        "contract or certification from 100,000 individuals' non-sensitive PI, and none "
        "under that for a non-CIIO (CAC Order 16 art. 5(4)), not a standard contract or "
        "certification for every export of PI; handler size: no trigger, not an assessment "
        "for a handler of 1,000,000 or more individuals; exemptions: CAC Order 16 art. 3, 4, "
        "5(1), 5(2), 5(3), 6 honoured, not none honoured. Use policy.regime: auto (or "
        "cn-2024) to judge by the law in force."
    )


def test_pinned_regime_in_force_gives_no_warning() -> None:
    got = resolve_regime("cn-2024", AS_OF, REGIMES)
    assert got.pinned_not_in_force is None
    assert "the law in force on 2026-12-02" in got.why
    with pytest.raises(ValueError, match="unknown regime 'cn-2030'"):
        resolve_regime("cn-2030", AS_OF, REGIMES)


def test_what_changes_crossing_by_crossing() -> None:
    crossings = (
        ns("crm-sync", 180_000, held=("owner-db", 1_200_000)),
        ns("hr", 5_000, exemption="hr-management"),
    )
    pinned = decide(crossings, ORG, REGIMES.get("cn-2022"), AS_OF)
    in_force = decide(crossings, ORG, REGIMES.get("cn-2024"), AS_OF)
    assert decision_changes(pinned, in_force) == (
        "crm-sync: standard-contract-or-certification instead of cac-security-assessment",
        "hr: none instead of cac-security-assessment",
    )


def test_regimes_load_from_steer_loader_too() -> None:
    """steer's own YAML loader keeps dates as text; the regimes are the same."""
    loaded = load_regimes(load_file(PARAMETERS).data)
    assert [(r.name, r.in_force_from, r.in_force_until) for r in loaded] == [
        ("cn-2022", dt.date(2022, 9, 1), dt.date(2024, 3, 21)),
        ("cn-2024", dt.date(2024, 3, 22), None),
    ]
    assert loaded.default == "auto"
    assert loaded.get("cn-2024").rules == REGIMES.get("cn-2024").rules


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["regimes"]["cn-2024"].update(in_force_from="2024-03-20"), "overlaps cn-2022"),
        (lambda d: d["regimes"]["cn-2024"].update(in_force_from="soon"), "expected a date"),
        (lambda d: d["regimes"]["cn-2024"]["articles"].pop("volume_exemption"), "missing"),
        (lambda d: d["regimes"]["cn-2024"]["parameters"].update(counting_window="ever"),
         "counting_window: expected one of"),
        (lambda d: d["regimes"]["cn-2024"]["parameters"].update(nope=1), "undeclared"),
        (lambda d: d["regimes"]["cn-2024"]["exemptions"]["emergency"].pop("applies_to_ciio"),
         "applies_to_ciio: expected true or false"),
        (lambda d: d.update(default_regime="cn-1999"), "default_regime"),
    ],
)  # fmt: skip
def test_broken_regimes_are_value_errors(mutate: Any, message: str) -> None:
    document = yaml.safe_load(PARAMETERS.read_text(encoding="utf-8"))
    mutate(document)
    with pytest.raises(ValueError, match=message):
        load_regimes(document)


def test_an_override_revalidates() -> None:
    with pytest.raises(
        ValueError, match=r"^policy\.parameters\.assessment_personal_threshold: expected an integer"
    ):
        REGIMES.get("cn-2024").with_overrides({"assessment_personal_threshold": "many"})
    tightened = REGIMES.with_overrides({"contract_personal_threshold": 50_000})
    cited = tightened.get("cn-2022").article("volume_exemption")
    assert (
        cited == "policy parameter contract_personal_threshold (no article of CAC Order 11 sets it)"
    )
