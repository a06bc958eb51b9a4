"""The working-day calendar an administrator keeps: holidays and adjusted working days (调休).

``CalendarDay`` lives in ``core`` (``core.calendar`` reads it to count deadlines); the
administrators' writes are here beside the rest of a committee's configuration. The calendar
is configuration, not history: a wrong row may be deleted, and every add, delete and load
leaves an audit row (scoped to ``org``, the administrator's committee, when given).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shangliang.core.audit import audit_record
from shangliang.core.calendar import load_official_year
from shangliang.core.errors import Invalid
from shangliang.core.holidays import HOLIDAYS, WORKDAYS
from shangliang.core.models import CalendarDay
from shangliang.orgs.models import Organization
from shangliang.orgs.services._common import field_error, save_or, validate


def official_years() -> list[int]:
    """Years whose official arrangement ships with the code (``core/holidays.py``)."""
    return sorted(set(HOLIDAYS) | set(WORKDAYS))


def _date_taken(day: dt.date) -> Invalid:
    return field_error("date", _("%(date)s 已有记录，如需更改请先删除。") % {"date": day})


def _check_day(day: CalendarDay) -> None:
    if day.kind == CalendarDay.Kind.WORKDAY and day.date.weekday() < 5:
        raise field_error("kind", _("调休工作日应为周六或周日；工作日本来就要上班。"))
    if CalendarDay.objects.filter(date=day.date).exclude(pk=day.pk).exists():
        raise _date_taken(day.date)


@transaction.atomic
def calendar_day_create(
    *, actor: Any, date: dt.date, kind: str, name: str = "", org: Organization | None = None
) -> CalendarDay:
    """Add a public holiday or an adjusted working day (a weekend day worked, 调休)."""
    day = CalendarDay(date=date, kind=kind, name=name)
    validate(day, _check_day)
    save_or(day, duplicate=_date_taken(date))
    audit_record(
        actor=actor,
        action="calendar.day_added",
        target=day,
        org=org,
        data={"date": date.isoformat(), "kind": kind, "name": name},
    )
    return day


@transaction.atomic
def calendar_day_delete(*, actor: Any, day: CalendarDay, org: Organization | None = None) -> None:
    """Delete a wrong row; the audit row keeps what it said."""
    audit_record(
        actor=actor,
        action="calendar.day_deleted",
        target=day,
        org=org,
        data={"before": {"date": day.date.isoformat(), "kind": day.kind, "name": day.name}},
    )
    CalendarDay.objects.filter(pk=day.pk).delete()


@transaction.atomic
def calendar_year_load(*, actor: Any, year: int, org: Organization | None = None) -> int:
    """Store the official arrangement of ``year`` (rows for the same dates are replaced)."""
    if year not in official_years():
        raise field_error("year", _("没有%(year)s年的官方节假日安排数据。") % {"year": year})
    count = load_official_year(year)
    audit_record(
        actor=actor,
        action="calendar.year_loaded",
        org=org,
        target_label=str(year),
        data={"year": year, "days": count},
    )
    return count
