"""Tests for steer.analysis.workdays: mainland-China working days (chinese_calendar + holidays)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from chinese_calendar import constants as cc_constants
from hypothesis import given, settings
from hypothesis import strategies as st

import steer
from steer.analysis import workdays
from steer.analysis.workdays import (
    EXACT_YEARS,
    WorkdayCount,
    add_working_days,
    describe_calendar,
    is_exact,
    is_working_day,
    working_days_between,
)

PROPERTY = settings(deadline=None, database=None, max_examples=200)
dates_2020_2030 = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


# --- exact range --------------------------------------------------------------------------


def test_exact_years_match_chinese_calendar_data() -> None:
    years = {d.year for d in cc_constants.holidays}
    assert (min(years), max(years)) == EXACT_YEARS
    lo, hi = EXACT_YEARS
    assert lo <= 2004 and hi >= 2026
    # the library accepts the range's ends and rejects the years just outside it
    chinese_calendar.is_workday(date(lo, 1, 1))
    chinese_calendar.is_workday(date(hi, 12, 31))
    for outside in (date(lo - 1, 12, 31), date(hi + 1, 1, 1)):
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(outside)


def test_is_exact_boundaries() -> None:
    lo, hi = EXACT_YEARS
    assert is_exact(date(lo, 1, 1))
    assert is_exact(date(hi, 12, 31))
    assert not is_exact(date(lo - 1, 12, 31))
    assert not is_exact(date(hi + 1, 1, 1))
    assert not is_exact(date(2027, 2, 8))


def test_agrees_with_chinese_calendar_on_every_exact_day() -> None:
    lo, hi = EXACT_YEARS
    day, last = date(lo, 1, 1), date(hi, 12, 31)
    while day <= last:
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


# --- known facts --------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 10, d) for d in range(1, 8)])
def test_national_day_2026_is_not_working(day: date) -> None:
    assert not is_working_day(day)
    assert is_exact(day)


def test_adjusted_working_days_2026_from_library_data() -> None:
    adjusted = sorted(d for d in cc_constants.workdays if d.year == 2026 and d.weekday() >= 5)
    assert adjusted, "chinese_calendar lists weekend make-up days for 2026"
    for day in adjusted:
        assert is_working_day(day), day


def test_sunday_make_up_days() -> None:
    # 2026-09-20 (Sunday) is worked for the National Day week; 2025-01-26 for Spring Festival.
    for day in (date(2026, 9, 20), date(2026, 1, 4), date(2025, 1, 26)):
        assert day.weekday() == 6
        assert chinese_calendar.is_workday(day)
        assert is_working_day(day)
    # 2026-10-10 is a Saturday make-up day.
    assert date(2026, 10, 10).weekday() == 5
    assert is_working_day(date(2026, 10, 10))


def test_sunday_inside_mid_autumn_2026_is_rest() -> None:
    # 2026-09-27 is a Sunday within the Mid-Autumn holiday (25-27 Sep), not a make-up day.
    assert not chinese_calendar.is_workday(date(2026, 9, 27))
    assert not is_working_day(date(2026, 9, 27))


def test_ordinary_days() -> None:
    assert is_working_day(date(2026, 3, 4))  # Wednesday
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2027, 3, 6))  # Saturday, approximate calendar
    assert is_working_day(date(2027, 3, 3))  # Wednesday, approximate calendar


def test_spring_festival_2027_from_holidays_library() -> None:
    day = date(2027, 2, 8)
    assert day.weekday() == 0
    assert not is_working_day(day)
    assert not is_exact(day)
    nxt, approximate = add_working_days(date(2027, 2, 4), 1)
    assert (nxt, approximate) == (date(2027, 2, 11), True)


def test_approximate_calendar_matches_holidays_library() -> None:
    import holidays

    cn = holidays.country_holidays("CN", years=2028)
    day = date(2028, 1, 1)
    while day.year == 2028:
        assert is_working_day(day) == (day.weekday() < 5 and day not in cn), day
        day += timedelta(days=1)


def test_datetime_accepted() -> None:
    assert not is_working_day(datetime(2026, 10, 1, 9, 30))
    assert is_working_day(datetime(2026, 9, 20, 9, 30))
    assert working_days_between(datetime(2026, 9, 30, 23), date(2026, 10, 8)).days == 1


# --- add_working_days ---------------------------------------------------------------------


def test_add_over_national_day_2026() -> None:
    start = date(2026, 9, 30)  # Wednesday, last working day before the holiday
    assert add_working_days(start, 1) == (date(2026, 10, 8), False)
    assert add_working_days(start, 2) == (date(2026, 10, 9), False)
    assert add_working_days(start, 3) == (date(2026, 10, 10), False)  # Saturday make-up
    assert add_working_days(start, 4) == (date(2026, 10, 12), False)
    assert add_working_days(date(2026, 10, 8), -1) == (date(2026, 9, 30), False)
    assert add_working_days(date(2026, 10, 3), -1) == (date(2026, 9, 30), False)
    assert add_working_days(date(2026, 10, 12), -4) == (date(2026, 9, 30), False)


def test_add_zero_returns_start() -> None:
    assert add_working_days(date(2026, 10, 1), 0) == (date(2026, 10, 1), False)
    assert add_working_days(date(2030, 6, 1), 0) == (date(2030, 6, 1), False)


def test_add_across_exact_boundary_is_approximate() -> None:
    assert add_working_days(date(2026, 12, 30), 1) == (date(2026, 12, 31), False)
    assert add_working_days(date(2026, 12, 31), 1) == (date(2027, 1, 4), True)
    # stepping back over 2027-01-01..03 (holidays-library days) is approximate ...
    assert add_working_days(date(2027, 1, 4), -1) == (date(2026, 12, 31), True)
    # ... but the start itself is not stepped over
    assert add_working_days(date(2027, 1, 1), -1) == (date(2026, 12, 31), False)
    assert add_working_days(date(2027, 1, 5), -2) == (date(2026, 12, 31), True)
    lo, _ = EXACT_YEARS
    _, approximate = add_working_days(date(lo, 1, 10), -20)
    assert approximate


def test_add_across_many_years() -> None:
    result, approximate = add_working_days(date(2020, 1, 1), 2500)
    assert working_days_between(date(2020, 1, 1), result) == WorkdayCount(2500, True)
    assert approximate


def test_add_rejects_absurd_offsets() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), 80_000)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -80_000)
    with pytest.raises(ValueError):
        add_working_days(date(9999, 12, 1), 100)


# --- working_days_between -----------------------------------------------------------------


def test_between_national_day_week() -> None:
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == WorkdayCount(3, False)
    assert working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == WorkdayCount(-3, False)
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == WorkdayCount(0, False)


def test_between_zero() -> None:
    for day in (date(2026, 10, 8), date(2027, 2, 8), date(1990, 1, 1)):
        assert working_days_between(day, day) == WorkdayCount(0, False)


def test_between_counts_end_not_start() -> None:
    mon, tue = date(2026, 3, 2), date(2026, 3, 3)
    assert working_days_between(mon, tue).days == 1
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 8)).days == 0  # Fri -> Sun
    assert working_days_between(date(2026, 3, 8), date(2026, 3, 6)).days == 0  # Sun, Sat
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 6)).days == -1  # Mon, Sun, Sat


def test_between_approximate_across_2026_2027() -> None:
    assert working_days_between(date(2026, 12, 1), date(2026, 12, 31)).approximate is False
    crossing = working_days_between(date(2026, 12, 31), date(2027, 1, 4))
    assert crossing == WorkdayCount(1, True)  # 2027-01-01 is New Year's Day
    assert working_days_between(date(2027, 1, 4), date(2026, 12, 31)) == WorkdayCount(-1, True)
    assert working_days_between(date(2027, 1, 4), date(2027, 1, 8)).approximate is True


def test_between_full_year_2026() -> None:
    expected = sum(
        1
        for offset in range(365)
        if chinese_calendar.is_workday(date(2026, 1, 1) + timedelta(days=offset))
    )
    count = working_days_between(date(2025, 12, 31), date(2026, 12, 31))
    assert count == WorkdayCount(expected, False)


def test_between_rejects_more_than_200_years() -> None:
    # steer judges 2000-2099, with deadlines up to 10,000 days from those dates
    working_days_between(date(1960, 1, 1), date(2140, 12, 31))  # fine
    with pytest.raises(ValueError):
        working_days_between(date(1800, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        working_days_between(date(2026, 1, 1), date(1800, 1, 1))


# --- properties ---------------------------------------------------------------------------


@PROPERTY
@given(start=dates_2020_2030, n=st.integers(min_value=0, max_value=200))
def test_property_between_inverts_add(start: date, n: int) -> None:
    end, approximate = add_working_days(start, n)
    count = working_days_between(start, end)
    assert count.days == n
    assert count.approximate == approximate
    if n > 0:
        assert is_working_day(end)


@PROPERTY
@given(start=dates_2020_2030, n=st.integers(min_value=1, max_value=200))
def test_property_negative_offsets(start: date, n: int) -> None:
    earlier, approximate = add_working_days(start, -n)
    assert earlier < start and is_working_day(earlier)
    # exactly n working days in [earlier, start)
    shifted = working_days_between(start - timedelta(days=1), earlier - timedelta(days=1))
    assert shifted == WorkdayCount(-n, approximate)
    if is_working_day(start):
        assert working_days_between(start, earlier).days == -n
        assert add_working_days(earlier, n)[0] == start


@PROPERTY
@given(a=dates_2020_2030, b=dates_2020_2030, c=dates_2020_2030)
def test_property_antisymmetric_and_additive(a: date, b: date, c: date) -> None:
    ab, ba = working_days_between(a, b), working_days_between(b, a)
    assert ab.days == -ba.days and ab.approximate == ba.approximate
    ac = working_days_between(a, c)
    assert ab.days + working_days_between(b, c).days == ac.days


# --- describe_calendar and laziness -------------------------------------------------------


def test_describe_calendar() -> None:
    exact, approx = describe_calendar(False), describe_calendar(True)
    assert "chinese-calendar" in exact and "adjusted working days" in exact
    assert "holidays library" in approx and "not known" in approx
    lo, hi = EXACT_YEARS
    assert f"{lo}-{hi}" in approx
    assert exact != approx


def test_exact_years_is_a_module_attribute() -> None:
    assert workdays.EXACT_YEARS == EXACT_YEARS
    assert "EXACT_YEARS" in dir(workdays)
    with pytest.raises(AttributeError):
        getattr(workdays, "NO_SUCH_NAME")  # noqa: B009


def test_holidays_imported_only_when_needed() -> None:
    code = (
        "import sys\n"
        "from datetime import date\n"
        "import steer.analysis.workdays as w\n"
        "assert 'chinese_calendar' not in sys.modules\n"
        "assert 'holidays' not in sys.modules\n"
        "assert w.is_working_day(date(2026, 10, 8))\n"
        "assert w.working_days_between(date(2025, 1, 1), date(2026, 12, 31)).days > 400\n"
        "assert 'holidays' not in sys.modules\n"
        "assert not w.is_working_day(date(2027, 2, 8))\n"
        "assert 'holidays' in sys.modules\n"
    )
    source_root = str(Path(steer.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source_root, env.get("PYTHONPATH")]))
    env["STEER_NO_CACHE"] = "1"  # without the holiday cache, the library itself is needed
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)


def test_holiday_cache_spares_the_import_and_agrees_with_the_library(tmp_path: Path) -> None:
    """The first run asks `holidays` and caches the year; the next one reads the cache
    (no import) and gets the same working days."""
    code = (
        "import sys\n"
        "from datetime import date\n"
        "import steer.analysis.workdays as w\n"
        "days = [d for d in range(1, 29) if w.is_working_day(date(2027, 2, d))]\n"
        "print('holidays' in sys.modules, days)\n"
    )
    source_root = str(Path(steer.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source_root, env.get("PYTHONPATH")]))
    env["XDG_CACHE_HOME"] = str(tmp_path)
    env.pop("STEER_NO_CACHE", None)
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code],
        check=True,
        env=env,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout.split(" ", 1)
    first_imported, first_days = run()
    second_imported, second_days = run()
    assert first_imported == "True"
    assert second_imported == "False"
    assert first_days == second_days
    assert list((tmp_path / "steer").glob("holidays-cn-*.json"))
