"""The working-day calendar: weekends, public holidays and adjusted working days (调休).

Deadlines in the rules are counted in working days (five working days to sign for an
assignment, three months for a reply). Administrators keep the list of holidays and
adjusted working days (``CalendarDay``) each year when the State Council publishes it.
"""

from __future__ import annotations

import datetime as dt

from shangliang.core.models import CalendarDay


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    rows = CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind")
    return dict(rows)


def is_working_day(day: dt.date, overrides: dict[dt.date, str] | None = None) -> bool:
    if overrides is None:
        overrides = _overrides(day, day)
    kind = overrides.get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    # Two holiday weeks a year at most: a window of 2*days + 30 calendar days always suffices.
    overrides = _overrides(start, start + dt.timedelta(days=days * 2 + 30))
    current, left = start, days
    while left > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current, overrides):
            left -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    overrides = _overrides(start, end)
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current, overrides):
            count += 1
    return count


def load_official_year(year: int) -> int:
    """Store the official holiday arrangement of ``year``; returns the number of days."""
    from shangliang.core.holidays import days_of

    days = days_of(year)
    for day, kind, name in days:
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    return len(days)
