"""Statutory timelines of a CAC security assessment and a standard contract.

The working-day calendar is passed in (``is_working_day``: mainland working days
in steer, official holidays and adjusted working days included). A period of N
working days after a date ends on the N-th working day strictly after it: the
first day is not counted (Civil Code art. 201), and a period counted in working
days cannot end on a rest day. N working days before a date starts on the N-th
working day strictly before it.

- Assessment path (CAC Order 11 art. 7, 12): the provincial CAC checks the
  declaration's completeness within 5 working days of submission, the national
  CAC decides on acceptance within 7 more, and the assessment ends within 45
  working days of the written acceptance: 57 in all. These are **maxima** (the
  45 is extendable when the case is complex or materials are added); the CAC
  reported averages under 30 working days in 2025. A go-live inside the path is a
  risk, not a certain miss.
- Validity by **issue date**: ``expires`` when the approval states it; else the
  term of the regime in force on ``approved_on`` (CAC Order 11 art. 14: 2 years
  for a result issued before 2024-03-22; CAC Order 16 art. 9: 3 years from then),
  whatever regime the manifest is judged under. The last valid day is the
  anniversary (29 February becomes 28 February).
- Extension (CAC Order 16 art. 9): requested through the provincial CAC within
  the 60 working days before expiry (+3 years if approved).
- Standard contract (Standard Contract Measures art. 7): filed with the provincial
  CAC within 10 working days after the contract takes effect.

The day counts come from the pack's parameters (``TimelineRules``), each with the
article it cites.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from steer.analysis.regimes import RegimeSet
from steer.vocab import MAX_SPAN_DAYS

WorkingDay = Callable[[dt.date], bool]

_MAX_SCAN_DAYS = 3660  # ten years: a calendar with no working day in them is broken
_PARAMETERS = {
    "completeness": "cac_completeness_working_days",
    "acceptance": "cac_acceptance_working_days",
    "review": "cac_review_working_days",
    "extension": "extension_window_working_days",
    "filing": "standard_contract_filing_working_days",
}


@dataclass(frozen=True)
class Period:
    """A statutory period in working days, and the article that sets it."""

    working_days: int
    source: str


@dataclass(frozen=True)
class TimelineRules:
    completeness: Period
    acceptance: Period
    review: Period
    extension: Period
    filing: Period

    @classmethod
    def from_document(
        cls, document: Mapping[str, Any], overrides: Mapping[str, Any] | None = None
    ) -> TimelineRules:
        """From a parsed ``parameters.yaml`` (defaults and sources), with
        ``policy.parameters`` on top; ``ValueError`` naming the parameter if wrong."""
        params = document.get("parameters")
        if not isinstance(params, Mapping):
            raise ValueError("parameters.yaml: parameters: expected a mapping")
        periods: dict[str, Period] = {}
        for field_name, name in _PARAMETERS.items():
            spec = params.get(name)
            if not isinstance(spec, Mapping):
                raise ValueError(f"parameters.yaml: parameters.{name}: not declared")
            value = (overrides or {}).get(name, spec.get("default"))
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    f"parameters.yaml: parameters.{name}: expected an integer of at least 0, "
                    f"got {value!r}"
                )
            if value > MAX_SPAN_DAYS:
                where = (
                    f"policy.parameters.{name}"
                    if name in (overrides or {})
                    else f"parameters.yaml: parameters.{name}"
                )
                raise ValueError(
                    f"{where}: expected an integer from 0 to {MAX_SPAN_DAYS} (working days), "
                    f"got {value}"
                )
            source = spec.get("source")
            if not isinstance(source, str) or not source.strip():
                raise ValueError(f"parameters.yaml: parameters.{name}.source: missing")
            periods[field_name] = Period(value, " ".join(source.split()))
        return cls(**periods)


def shift_working_days(start: dt.date, n: int, is_working_day: WorkingDay) -> dt.date:
    """The n-th working day strictly after ``start`` (n > 0), strictly before it
    (n < 0), or ``start`` itself (n == 0)."""
    step = dt.timedelta(days=1 if n > 0 else -1)
    day, left, scanned = start, abs(n), 0
    while left:
        day += step
        scanned += 1
        if scanned > _MAX_SCAN_DAYS + abs(n):
            raise ValueError(f"no {abs(n)} working days found within ten years of {start}")
        if is_working_day(day):
            left -= 1
    return day


@dataclass(frozen=True)
class AssessmentPath:
    """The statutory maximum path of a CAC security assessment."""

    start: dt.date  # the submission date, or the as-of date if not yet submitted
    assumed_start: bool  # True: not submitted, so the path if submitted on ``start``
    completeness_end: dt.date
    acceptance_end: dt.date
    review_end: dt.date  # the latest the result is due, if the review is not extended
    working_days: int
    basis: tuple[str, ...]


def assessment_path(
    submitted: dt.date | None,
    is_working_day: WorkingDay,
    rules: TimelineRules,
    *,
    as_of: dt.date | None = None,
) -> AssessmentPath:
    """5, then 7, then 45 working days (maxima) from ``submitted``; a declaration not
    yet submitted is taken as submitted on ``as_of`` (which it then needs)."""
    start = submitted if submitted is not None else as_of
    if start is None:
        raise ValueError("an assessment not yet submitted needs as_of to plan its path")
    completeness = shift_working_days(start, rules.completeness.working_days, is_working_day)
    acceptance = shift_working_days(completeness, rules.acceptance.working_days, is_working_day)
    review = shift_working_days(acceptance, rules.review.working_days, is_working_day)
    total = sum(p.working_days for p in (rules.completeness, rules.acceptance, rules.review))
    basis = (
        f"{rules.completeness.source}: completeness checked by the provincial CAC within "
        f"{rules.completeness.working_days} working days (by {completeness})",
        f"{rules.acceptance.source}: acceptance decided by the CAC within "
        f"{rules.acceptance.working_days} working days (by {acceptance})",
        f"{rules.review.source}: the assessment ends within {rules.review.working_days} "
        f"working days of written acceptance (by {review}); a maximum, extendable for a "
        "complex case or added materials, not a minimum",
    )
    return AssessmentPath(start, submitted is None, completeness, acceptance, review, total, basis)


class Expiry(NamedTuple):
    expiry: dt.date  # the last day the result is valid
    basis: str


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def assessment_expiry(approved_on: dt.date, expires: dt.date | None, regimes: RegimeSet) -> Expiry:
    """When an assessment result expires: ``expires`` if stated, else by the term of
    the regime in force on the issue date."""
    if expires is not None:
        return Expiry(expires, f"valid to {expires}, as the approval states (expires)")
    regime = regimes.in_force(approved_on)
    before_all = regime is None
    if regime is None:  # issued before the earliest regime: its term is the nearest rule
        regime = min(regimes, key=lambda r: r.in_force_from)
    years = regime.rules.assessment_validity_years
    expiry = add_years(approved_on, years)
    when = (
        f"before {regime.instrument} took effect ({regime.in_force_from}), so its term is assumed"
        if before_all
        else f"while {regime.instrument} was in force ({regime.span()})"
    )
    return Expiry(
        expiry,
        f"{regime.article('validity')}: a result issued on {approved_on}, {when}, is valid "
        f"{years} years, to {expiry}",
    )


def extension_window_start(
    expiry: dt.date, is_working_day: WorkingDay, rules: TimelineRules
) -> dt.date:
    """The first day on which an extension may be requested: the 60th working day
    before ``expiry``."""
    return shift_working_days(expiry, -rules.extension.working_days, is_working_day)


def contract_filing_deadline(
    effective: dt.date, is_working_day: WorkingDay, rules: TimelineRules
) -> dt.date:
    """The last day to file a standard contract: the 10th working day after it took
    effect."""
    return shift_working_days(effective, rules.filing.working_days, is_working_day)
