"""Mainland-China working days, combining two calendars.

A working day in mainland China is not simply Monday to Friday: the State Council
publishes official public holidays each year, and moves weekend days around them so
that some Saturdays and Sundays become *adjusted working days* (调休).

Two libraries are combined:

* ``chinese_calendar`` (the ``chinesecalendar`` distribution) knows both the official
  holidays and the adjusted working days, but only for the years it ships data for
  (``EXACT_YEARS``, e.g. 2004-2026); outside that range it raises
  ``NotImplementedError``. Inside the range it is used as the sole authority and results
  are *exact*.
* ``holidays`` (``holidays.country_holidays("CN")``) covers later (and earlier) years,
  but its future dates are rule-based estimates and it does not know the adjusted
  working days, which are only announced late in the preceding year. Outside the exact
  range a working day is therefore a Monday-Friday that is not a ``holidays`` China
  holiday, and results are flagged *approximate*: a weekend make-up day is counted as a
  rest day, and a holiday's exact extent may differ from the eventual official notice.

The exact range is discovered from ``chinese_calendar``'s own data (the years of its
holiday table, which is also what it validates against), with a hard-coded fallback.
Both libraries are imported lazily: ``chinese_calendar`` on first use (a few ms), and
``holidays`` (~60 ms) only when a date outside the exact range is needed. The working
days of each year are computed once and cached as a sorted tuple, so counting and
offsetting are bisections per year rather than day loops.

Spans are limited to 200 years (``ValueError`` beyond that): steer judges dates of
2000-2099 and deadlines at most 10,000 days from them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from steer.packs.cache import cache_folder

__all__ = [
    "EXACT_YEARS",
    "WorkdayCount",
    "add_working_days",
    "describe_calendar",
    "is_exact",
    "is_working_day",
    "working_days_between",
]

#: Used when chinese_calendar's data cannot be inspected.
_FALLBACK_EXACT_YEARS: tuple[int, int] = (2004, 2026)
#: 200 years, in days: the largest span counted or offset.
_MAX_SPAN_DAYS = 73050
_MAX_SPAN_YEARS = 200
_ONE_DAY = timedelta(days=1)

if TYPE_CHECKING:
    #: First and last year (inclusive) for which chinese_calendar has exact data.
    #: Resolved lazily (PEP 562 module ``__getattr__``) so importing this module stays cheap.
    EXACT_YEARS: tuple[int, int]


@dataclass(frozen=True)
class WorkdayCount:
    """A signed number of working days, and whether it rests on the less exact calendar."""

    days: int
    approximate: bool


@lru_cache(maxsize=1)
def _exact_years() -> tuple[int, int]:
    try:
        from chinese_calendar import constants

        years = {d.year for d in constants.holidays}
        lo, hi = min(years), max(years)
    except Exception:  # data layout changed or library unusable: stay conservative
        return _FALLBACK_EXACT_YEARS
    if not isinstance(lo, int) or not isinstance(hi, int) or lo > hi:
        return _FALLBACK_EXACT_YEARS
    return (lo, hi)


def __getattr__(name: str) -> tuple[int, int]:
    if name == "EXACT_YEARS":
        return _exact_years()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "EXACT_YEARS"})


def _as_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


def _is_exact_year(year: int) -> bool:
    lo, hi = _exact_years()
    return lo <= year <= hi


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    count = (date(year, 12, 31) - first).days + 1
    return [first + timedelta(days=i) for i in range(count)]


def _exact_working_days(year: int) -> tuple[date, ...]:
    import chinese_calendar

    try:
        from chinese_calendar.constants import holidays as official_holidays
        from chinese_calendar.constants import workdays as adjusted_workdays
    except ImportError:  # pragma: no cover - only if the library's layout changes
        return tuple(d for d in _days_of(year) if chinese_calendar.is_workday(d))
    # The same rule as chinese_calendar.is_workday, without re-validating every date.
    return tuple(
        d
        for d in _days_of(year)
        if d in adjusted_workdays or (d.weekday() < 5 and d not in official_holidays)
    )


@lru_cache(maxsize=256)
def _approximate_holidays(year: int) -> frozenset[date]:
    cached = _cache_read(year)
    if cached is not None:
        return cached
    import holidays

    days = frozenset(holidays.country_holidays("CN", years=year))
    _cache_write(year, days)
    return days


# Importing ``holidays`` loads every country it knows (~0.2 s), longer than a whole
# check of a typical manifest; a pre-commit hook pays it on every commit. So the
# mainland holidays it gives for a year are kept in a small cache file, keyed on
# the installed library (its path and modification time), never on our guesses.
def _cache_file() -> Path | None:

    folder = cache_folder()
    if folder is None:
        return None
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    origin = Path(spec.origin)
    try:
        stamp = f"{origin.stat().st_mtime_ns}"
    except OSError:
        return None

    key = hashlib.sha256(f"{origin}|{stamp}".encode()).hexdigest()[:16]
    return folder / f"holidays-cn-{key}.json"


def _cache_read(year: int) -> frozenset[date] | None:

    # An unreadable, corrupted or edited cache is only a slower run: anything but a
    # list of this year's dates is ignored, and the library asked instead.
    try:
        path = _cache_file()
        if path is None or not path.is_file():
            return None
        table = json.loads(path.read_text(encoding="utf-8"))
        days = table.get(str(year)) if isinstance(table, dict) else None
        if not isinstance(days, list) or not all(isinstance(d, str) for d in days):
            return None
        read = frozenset(date.fromisoformat(d) for d in days)
    except (OSError, ValueError, RecursionError):
        return None
    return read if all(d.year == year for d in read) else None


def _cache_write(year: int, days: frozenset[date]) -> None:

    try:
        path = _cache_file()
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        table = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        if not isinstance(table, dict):
            table = {}
        table[str(year)] = sorted(d.isoformat() for d in days)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(table, handle, sort_keys=True)
        Path(tmp).replace(path)
    except (OSError, ValueError, RecursionError):
        return  # a cache that cannot be written is only a slower run


def _approximate_working_days(year: int) -> tuple[date, ...]:
    rest = _approximate_holidays(year)
    return tuple(d for d in _days_of(year) if d.weekday() < 5 and d not in rest)


@lru_cache(maxsize=256)
def _working_days(year: int) -> tuple[date, ...]:
    """The sorted working days of one year, from whichever calendar covers it."""
    if _is_exact_year(year):
        return _exact_working_days(year)
    return _approximate_working_days(year)


def is_exact(day: date) -> bool:
    """Whether ``day`` lies inside chinese_calendar's exact range (``EXACT_YEARS``)."""
    return _is_exact_year(_as_date(day).year)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a mainland-China working day (see the module docstring)."""
    day = _as_date(day)
    days = _working_days(day.year)
    i = bisect_left(days, day)
    return i < len(days) and days[i] == day


def _span_approximate(first: date, last: date) -> bool:
    """Whether any day of ``first..last`` (inclusive) lies outside the exact range."""
    return not (is_exact(first) and is_exact(last))


def _next_year(year: int, step: int, origin: date) -> int:
    year += step
    if not date.min.year <= year <= date.max.year:
        raise ValueError(f"working-day offset from {origin} leaves the supported date range")
    if abs(year - origin.year) > _MAX_SPAN_YEARS:
        raise ValueError(f"working-day offset from {origin} spans more than 200 years")
    return year


def add_working_days(start: date, n: int) -> tuple[date, bool]:
    """The date ``n`` working days after (``n > 0``) or before (``n < 0``) ``start``.

    ``n > 0``: the n-th working day strictly after ``start``, so that
    ``working_days_between(start, result).days == n``. ``n < 0``: the |n|-th working day
    strictly before ``start`` (the mirror image); ``working_days_between(start, result)``
    then equals ``n`` when ``start`` is itself a working day. ``n == 0`` returns ``start``.

    The second item is True when any day stepped over (``start`` excluded) lies outside
    the exact range. Raises ``ValueError`` when the result would be more than 200 years
    away or outside the representable dates.
    """
    start = _as_date(start)
    if n == 0:
        return start, False
    if abs(n) > _MAX_SPAN_DAYS:
        raise ValueError(f"cannot offset by {n} working days: more than 200 years")
    year = start.year
    days = _working_days(year)
    if n > 0:
        remaining = n
        index = bisect_right(days, start)
        while remaining > len(days) - index:
            remaining -= len(days) - index
            year = _next_year(year, 1, start)
            days = _working_days(year)
            index = 0
        result = days[index + remaining - 1]
        return result, _span_approximate(start + _ONE_DAY, result)
    remaining = -n
    index = bisect_left(days, start)
    while remaining > index:
        remaining -= index
        year = _next_year(year, -1, start)
        days = _working_days(year)
        index = len(days)
    result = days[index - remaining]
    return result, _span_approximate(result, start - _ONE_DAY)


def working_days_between(start: date, end: date) -> WorkdayCount:
    """Signed number of working days ``d`` with ``start < d <= end``.

    When ``end < start`` the result is negative: minus the number of working days with
    ``end < d <= start``. Zero when the dates are equal. ``approximate`` is True when any
    day in the counted interval lies outside the exact range. Raises ``ValueError`` when
    the dates are more than 200 years apart.
    """
    start, end = _as_date(start), _as_date(end)
    if start == end:
        return WorkdayCount(days=0, approximate=False)
    if end < start:
        forward = working_days_between(end, start)
        return WorkdayCount(days=-forward.days, approximate=forward.approximate)
    if (end - start).days > _MAX_SPAN_DAYS:
        raise ValueError(f"{start} and {end} are more than 200 years apart")
    count = 0
    for year in range(start.year, end.year + 1):
        days = _working_days(year)
        count += bisect_right(days, end) - bisect_right(days, start)
    return WorkdayCount(days=count, approximate=_span_approximate(start + _ONE_DAY, end))


def describe_calendar(approximate: bool) -> str:
    """A short phrase naming the calendar a result rests on, for finding messages."""
    if not approximate:
        return (
            "mainland working days per chinese-calendar "
            "(official holidays and adjusted working days)"
        )
    lo, hi = _exact_years()
    return (
        f"mainland working days per the holidays library outside {lo}-{hi} "
        "(official holidays only; adjusted working days not known)"
    )
