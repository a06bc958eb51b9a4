from __future__ import annotations

import datetime as dt

from shangliang.core.calendar import add_working_days, load_official_year, working_days_between
from shangliang.core.models import CalendarDay

D = dt.date


def test_it_skips_weekends(db):
    assert add_working_days(D(2025, 12, 5), 1) == D(2025, 12, 8)  # Friday → Monday
    assert add_working_days(D(2025, 12, 1), 5) == D(2025, 12, 8)


def test_it_skips_holidays_and_counts_adjusted_workdays(db):
    load_official_year(2026)
    # National Day 2026: 1–7 October off; Saturday 10 October is a working day.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    # Spring Festival 2026: 15–23 February off; Saturday 14 February worked.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)


def test_it_counts_days_between(db):
    CalendarDay.objects.create(date=D(2026, 12, 9), kind=CalendarDay.Kind.HOLIDAY, name="测试")
    assert working_days_between(D(2026, 12, 7), D(2026, 12, 11)) == 3
    assert working_days_between(D(2026, 12, 11), D(2026, 12, 7)) == -3
    assert working_days_between(D(2026, 12, 7), D(2026, 12, 7)) == 0


def test_zero_days_is_the_same_day(db):
    assert add_working_days(D(2026, 12, 6), 0) == D(2026, 12, 6)
