"""Official public holiday arrangements (国务院办公厅关于节假日安排的通知), used to seed the
working-day calendar. Administrators add each new year's list on the calendar page when
the State Council publishes it (usually in November)."""

from __future__ import annotations

import datetime as dt

D = dt.date

HOLIDAYS: dict[int, list[tuple[dt.date, dt.date, str]]] = {
    2026: [
        (D(2026, 1, 1), D(2026, 1, 3), "元旦"),
        (D(2026, 2, 15), D(2026, 2, 23), "春节"),
        (D(2026, 4, 4), D(2026, 4, 6), "清明节"),
        (D(2026, 5, 1), D(2026, 5, 5), "劳动节"),
        (D(2026, 6, 19), D(2026, 6, 21), "端午节"),
        (D(2026, 9, 25), D(2026, 9, 27), "中秋节"),
        (D(2026, 10, 1), D(2026, 10, 7), "国庆节"),
    ],
}

WORKDAYS: dict[int, list[tuple[dt.date, str]]] = {
    2026: [
        (D(2026, 1, 4), "元旦调休"),
        (D(2026, 2, 14), "春节调休"),
        (D(2026, 2, 28), "春节调休"),
        (D(2026, 5, 9), "劳动节调休"),
        (D(2026, 9, 20), "国庆节调休"),
        (D(2026, 10, 10), "国庆节调休"),
    ],
}


def days_of(year: int) -> list[tuple[dt.date, str, str]]:
    """[(date, kind, name)] for one year: every holiday day and every adjusted working day."""
    out: list[tuple[dt.date, str, str]] = []
    for start, end, name in HOLIDAYS.get(year, []):
        day = start
        while day <= end:
            out.append((day, "holiday", name))
            day += dt.timedelta(days=1)
    out.extend((day, "workday", name) for day, name in WORKDAYS.get(year, []))
    return out
