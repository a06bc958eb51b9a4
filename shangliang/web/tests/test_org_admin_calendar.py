"""The working-day calendar page."""

from __future__ import annotations

import datetime as dt

from shangliang.accounts.models import Role
from shangliang.core.holidays import days_of
from shangliang.core.models import AuditEvent, CalendarDay
from shangliang.testing import UserFactory, make_role


def test_it_lists_a_year_and_adds_a_holiday(world, client):
    client.force_login(world.admin)
    CalendarDay.objects.create(date=dt.date(2027, 2, 8), kind="holiday", name="春节")
    r = client.get("/calendar/?year=2027")
    assert r.status_code == 200
    assert "2027-02-08" in r.content.decode() and "春节" in r.content.decode()
    r = client.post("/calendar/", {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"})
    assert r.status_code == 302 and r["Location"].endswith("?year=2027")
    assert CalendarDay.objects.filter(date=dt.date(2027, 10, 1), kind="holiday").exists()
    event = AuditEvent.objects.get(action="calendar.day_added")
    assert event.org == world.province and event.actor == world.admin


def test_a_bad_row_is_explained_and_not_written(world, client):
    client.force_login(world.admin)
    CalendarDay.objects.create(date=dt.date(2027, 10, 1), kind="holiday")
    r = client.post("/calendar/", {"date": "2027-10-01", "kind": "holiday"})
    assert r.status_code == 422 and "已有记录" in r.content.decode()
    r = client.post("/calendar/", {"date": "2027-10-04", "kind": "workday"})  # a Monday
    assert r.status_code == 422 and "调休工作日应为周六或周日" in r.content.decode()
    assert CalendarDay.objects.count() == 1


def test_it_deletes_a_wrong_row_with_an_audit_row(world, client):
    client.force_login(world.admin)
    day = CalendarDay.objects.create(date=dt.date(2027, 5, 3), kind="holiday", name="错的")
    assert client.post(f"/calendar/{day.pk}/delete/").status_code == 302
    assert not CalendarDay.objects.exists()
    event = AuditEvent.objects.get(action="calendar.day_deleted")
    assert event.data["before"]["name"] == "错的"


def test_it_loads_the_official_year(world, client):
    client.force_login(world.admin)
    assert "载入2026年官方节假日安排" in client.get("/calendar/?year=2026").content.decode()
    r = client.post("/calendar/load/", {"year": "2026"}, follow=True)
    assert CalendarDay.objects.filter(date__year=2026).count() == len(days_of(2026))
    assert f"共{len(days_of(2026))}天" in r.content.decode()
    r = client.post("/calendar/load/", {"year": "2031"}, follow=True)
    assert "没有2031年的官方节假日安排数据" in r.content.decode()


def test_it_checks_a_deadline_with_htmx(world, client):
    CalendarDay.objects.create(date=dt.date(2026, 10, 1), kind="holiday", name="国庆节")
    for d in range(2, 8):
        CalendarDay.objects.create(date=dt.date(2026, 10, d), kind="holiday", name="国庆节")
    CalendarDay.objects.create(date=dt.date(2026, 10, 10), kind="workday", name="国庆节调休")
    client.force_login(make_role(world.county_a, Role.Kind.ADMIN))
    r = client.get("/calendar/check/?date=2026-09-30&days=5", headers={"HX-Request": "true"})
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert "2026年10月13日" in html  # 8, 9, 10 (a Saturday worked), 12, 13 October
    r = client.get("/calendar/?date=2026-09-30&days=5")  # without htmx: the whole page
    assert "2026年10月13日" in r.content.decode()
    r = client.get("/calendar/check/?date=bad&days=5", headers={"HX-Request": "true"})
    assert "alert-danger" in r.content.decode()


def test_a_county_admin_may_look_but_not_change(world, client):
    client.force_login(make_role(world.county_a, Role.Kind.ADMIN))
    r = client.get("/calendar/")
    assert r.status_code == 200 and "录入一天" not in r.content.decode()
    assert client.post("/calendar/", {"date": "2027-10-01", "kind": "holiday"}).status_code == 403
    assert client.post("/calendar/load/", {"year": "2026"}).status_code == 403
    assert not CalendarDay.objects.exists()


def test_staff_without_the_admin_role_cannot_see_it_but_a_superuser_can_edit(world, client):
    client.force_login(world.general_office)
    assert client.get("/calendar/").status_code == 403
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert "录入一天" in client.get("/calendar/").content.decode()
    r = client.post("/calendar/", {"date": "2027-10-01", "kind": "holiday"})
    assert r.status_code == 302
    assert AuditEvent.objects.get(action="calendar.day_added").org is None
