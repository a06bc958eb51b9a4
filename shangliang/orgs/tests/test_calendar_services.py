"""orgs.services.calendar: the working-day calendar an administrator keeps."""

from __future__ import annotations

import datetime as dt

import pytest

from shangliang.core.errors import Invalid
from shangliang.core.holidays import days_of
from shangliang.core.models import AuditEvent, CalendarDay
from shangliang.orgs.services import calendar as services

D = dt.date


def test_it_adds_and_deletes_a_day_with_an_audit_row_each(world):
    day = services.calendar_day_create(
        actor=world.admin, date=D(2027, 10, 1), kind="holiday", name="国庆节", org=world.province
    )
    added = AuditEvent.objects.get(action="calendar.day_added")
    assert added.org == world.province and added.data["date"] == "2027-10-01"
    services.calendar_day_delete(actor=world.admin, day=day, org=world.province)
    assert not CalendarDay.objects.exists()
    deleted = AuditEvent.objects.get(action="calendar.day_deleted")
    assert deleted.data["before"] == {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}


def test_it_refuses_a_second_row_for_the_same_date(world):
    services.calendar_day_create(actor=world.admin, date=D(2027, 10, 1), kind="holiday")
    with pytest.raises(Invalid) as exc:
        services.calendar_day_create(actor=world.admin, date=D(2027, 10, 1), kind="holiday")
    assert "date" in exc.value.fields
    assert CalendarDay.objects.count() == 1


def test_an_adjusted_working_day_must_be_a_weekend_day(world):
    with pytest.raises(Invalid) as exc:
        services.calendar_day_create(actor=world.admin, date=D(2027, 10, 4), kind="workday")
    assert "kind" in exc.value.fields
    services.calendar_day_create(actor=world.admin, date=D(2027, 10, 9), kind="workday")


def test_it_loads_an_official_year_and_refuses_an_unknown_one(world):
    days = len(days_of(2026))
    assert services.calendar_year_load(actor=world.admin, year=2026) == days
    assert CalendarDay.objects.filter(date__year=2026).count() == days
    event = AuditEvent.objects.get(action="calendar.year_loaded")
    assert event.data == {"year": 2026, "days": days}
    with pytest.raises(Invalid):
        services.calendar_year_load(actor=world.admin, year=1999)
