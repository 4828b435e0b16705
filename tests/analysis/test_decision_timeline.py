"""Statutory timelines: the CAC path (5 + 7 + 45 working days, a maximum), validity by
issue date, the extension window, and the standard-contract filing deadline.

Rows use both a plain Monday-Friday calendar (readable by hand) and steer's mainland
calendar (official holidays and adjusted working days), which must agree with
``steer.workdays.add_working_days``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from steer.analysis.regimes import load_regimes
from steer.analysis.timelines import (
    TimelineRules,
    add_years,
    assessment_expiry,
    assessment_path,
    contract_filing_deadline,
    extension_window_start,
    shift_working_days,
)
from steer.analysis.workdays import add_working_days, is_working_day

PARAMETERS = Path(__file__).resolve().parents[2] / "guardrails" / "cn" / "parameters.yaml"
DOCUMENT = yaml.safe_load(PARAMETERS.read_text(encoding="utf-8"))
REGIMES = load_regimes(DOCUMENT)
RULES = TimelineRules.from_document(DOCUMENT)
D = dt.date


def weekdays(day: dt.date) -> bool:
    """Monday to Friday, no holidays."""
    return day.weekday() < 5


def test_rules_come_from_the_pack() -> None:
    assert [
        (p.working_days, p.source)
        for p in (RULES.completeness, RULES.acceptance, RULES.review, RULES.extension)
    ] == [
        (5, "CAC Order 11 art. 7"),
        (7, "CAC Order 11 art. 7"),
        (45, "CAC Order 11 art. 12"),
        (60, "CAC Order 16 art. 9"),
    ]
    assert RULES.filing.working_days == 10
    assert RULES.filing.source.startswith("Standard Contract Measures (CAC Order 13) art. 7")


# -- validity by issue date -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("approved_on", "expires", "expiry", "article"),
    [
        (D(2024, 3, 21), None, D(2026, 3, 21), "CAC Order 11 art. 14"),  # last day of Order 11
        (D(2024, 3, 22), None, D(2027, 3, 22), "CAC Order 16 art. 9"),  # first day of Order 16
        (D(2022, 9, 1), None, D(2024, 9, 1), "CAC Order 11 art. 14"),
        (D(2024, 2, 29), None, D(2026, 2, 28), "CAC Order 11 art. 14"),  # no 29 February
        (D(2028, 2, 29), None, D(2031, 2, 28), "CAC Order 16 art. 9"),
        (D(2024, 3, 22), D(2025, 1, 1), D(2025, 1, 1), "valid to 2025-01-01, as the approval"),
    ],
)
def test_validity_follows_the_issue_date(
    approved_on: dt.date, expires: dt.date | None, expiry: dt.date, article: str
) -> None:
    got = assessment_expiry(approved_on, expires, REGIMES)
    assert got.expiry == expiry
    assert got.basis.startswith(article)


def test_validity_basis_text() -> None:
    assert assessment_expiry(D(2024, 3, 21), None, REGIMES).basis == (
        "CAC Order 11 art. 14: a result issued on 2024-03-21, while CAC Order 11 was in force "
        "(in force 2022-09-01 to 2024-03-21), is valid 2 years, to 2026-03-21"
    )
    assert assessment_expiry(D(2024, 3, 22), None, REGIMES).basis == (
        "CAC Order 16 art. 9: a result issued on 2024-03-22, while CAC Order 16 was in force "
        "(in force from 2024-03-22), is valid 3 years, to 2027-03-22"
    )


def test_validity_before_any_regime_takes_the_earliest_term() -> None:
    got = assessment_expiry(D(2022, 8, 1), None, REGIMES)
    assert got.expiry == D(2024, 8, 1)
    assert "before CAC Order 11 took effect (2022-09-01), so its term is assumed" in got.basis


def test_validity_overrides_apply_to_every_regime() -> None:
    shortened = REGIMES.with_overrides({"assessment_validity_years": 1})
    assert assessment_expiry(D(2024, 3, 21), None, shortened).expiry == D(2025, 3, 21)
    assert assessment_expiry(D(2024, 3, 22), None, shortened).expiry == D(2025, 3, 22)


def test_add_years() -> None:
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2026, 12, 31), 3) == D(2029, 12, 31)


# -- the assessment path: 57 working days at most ---------------------------------------
def test_path_on_weekdays() -> None:
    got = assessment_path(D(2026, 6, 1), weekdays, RULES)  # a Monday
    assert (got.completeness_end, got.acceptance_end, got.review_end) == (
        D(2026, 6, 8),  # 5 working days
        D(2026, 6, 17),  # 7 more
        D(2026, 8, 19),  # 45 more
    )
    assert got.working_days == 57
    assert got.review_end == shift_working_days(D(2026, 6, 1), 57, weekdays)
    assert (got.start, got.assumed_start) == (D(2026, 6, 1), False)
    assert got.basis[2] == (
        "CAC Order 11 art. 12: the assessment ends within 45 working days of written "
        "acceptance (by 2026-08-19); a maximum, extendable for a complex case or added "
        "materials, not a minimum"
    )


def test_path_across_national_day_on_the_mainland_calendar() -> None:
    got = assessment_path(D(2026, 9, 1), is_working_day, RULES)
    assert (got.completeness_end, got.acceptance_end, got.review_end) == (
        D(2026, 9, 8),
        D(2026, 9, 17),
        D(2026, 11, 25),
    )
    assert got.review_end == add_working_days(D(2026, 9, 1), 57)[0]


def test_path_not_yet_submitted_starts_on_the_as_of_date() -> None:
    got = assessment_path(None, weekdays, RULES, as_of=D(2026, 6, 1))
    assert (got.start, got.assumed_start, got.review_end) == (D(2026, 6, 1), True, D(2026, 8, 19))
    with pytest.raises(ValueError, match="needs as_of"):
        assessment_path(None, weekdays, RULES)


def test_path_follows_the_parameters() -> None:
    slower = TimelineRules.from_document(DOCUMENT, {"cac_review_working_days": 60})
    got = assessment_path(D(2026, 6, 1), weekdays, slower)
    assert got.working_days == 72
    assert got.review_end == shift_working_days(D(2026, 6, 1), 72, weekdays)


# -- the extension window: the 60 working days before expiry ---------------------------
@pytest.mark.parametrize(
    ("expiry", "calendar", "start"),
    [
        (D(2027, 3, 22), weekdays, D(2026, 12, 28)),  # 12 weeks of weekdays
        (D(2027, 3, 22), is_working_day, D(2026, 12, 21)),  # New Year, Spring Festival 2027
        (D(2026, 3, 21), is_working_day, D(2025, 12, 22)),
    ],
)
def test_extension_window(
    expiry: dt.date, calendar: Callable[[dt.date], bool], start: dt.date
) -> None:
    assert extension_window_start(expiry, calendar, RULES) == start
    if calendar is is_working_day:
        assert start == add_working_days(expiry, -60)[0]


# -- the standard contract: filed within 10 working days after it takes effect ---------
@pytest.mark.parametrize(
    ("effective", "calendar", "deadline"),
    [
        (D(2026, 9, 28), weekdays, D(2026, 10, 12)),
        (D(2026, 9, 28), is_working_day, D(2026, 10, 16)),  # National Day 2026
        (D(2027, 2, 3), weekdays, D(2027, 2, 17)),
        (D(2027, 2, 3), is_working_day, D(2027, 2, 23)),  # Spring Festival 2027
        (D(2026, 6, 5), weekdays, D(2026, 6, 19)),  # the day it takes effect is not counted
    ],
)
def test_contract_filing_deadline(
    effective: dt.date, calendar: Callable[[dt.date], bool], deadline: dt.date
) -> None:
    assert contract_filing_deadline(effective, calendar, RULES) == deadline


def test_shift_working_days() -> None:
    assert shift_working_days(D(2026, 6, 5), 0, weekdays) == D(2026, 6, 5)
    assert shift_working_days(D(2026, 6, 6), 1, weekdays) == D(2026, 6, 8)  # Saturday -> Monday
    assert shift_working_days(D(2026, 6, 8), -1, weekdays) == D(2026, 6, 5)
    with pytest.raises(ValueError, match="within ten years"):
        shift_working_days(D(2026, 6, 8), 1, lambda day: False)


def test_broken_timeline_parameters() -> None:
    with pytest.raises(ValueError, match="cac_review_working_days: expected an integer"):
        TimelineRules.from_document(DOCUMENT, {"cac_review_working_days": -1})
    with pytest.raises(ValueError, match="cac_completeness_working_days: not declared"):
        TimelineRules.from_document({"parameters": {}})
