from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shangliang.accounts import services, staffing
from shangliang.accounts.models import Role, UnitUser, User
from shangliang.accounts.tests.helpers import events
from shangliang.core.errors import Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Unit
from shangliang.testing import UserFactory, make_role


def page_url(unit: Unit) -> str:
    return reverse("accounts:unit_users", args=[unit.pk])


def link_url(name: str, link: UnitUser) -> str:
    return reverse(f"accounts:{name}", args=[link.unit_id, link.pk])


def add(client, unit: Unit, ident: str, manager: bool = False):
    data = {"add-ident": ident}
    if manager:
        data["add-is_manager"] = "on"
    return client.post(reverse("accounts:unit_user_add", args=[unit.pk]), data)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("general_office", 200),
        ("leader", 404),
        ("county_a_office", 404),
        ("member", 404),
        ("unit_user", 404),
        ("public", 404),
    ],
)
def test_it_opens_only_for_the_units_managers(world, who, status):
    r = world.client_for(getattr(world, who)).get(page_url(world.unit))
    assert r.status_code == status


def test_a_county_office_manages_its_own_units(world):
    unit = Unit.objects.create(org=world.county_a, name="甲县教育局")
    assert world.client_for(world.county_a_office).get(page_url(unit)).status_code == 200
    assert world.client_for(world.general_office).get(page_url(unit)).status_code == 200
    b_admin = make_role(world.county_b, Role.Kind.ADMIN, username="b_admin")
    assert world.client_for(b_admin).get(page_url(unit)).status_code == 404


def test_it_lists_the_units_users(world):
    page = world.client_for(world.general_office).get(page_url(world.unit)).content.decode()
    assert world.unit_user.name in page and world.unit_user.phone in page
    assert "联络员" in page and "style=" not in page


def test_the_list_takes_the_same_number_of_queries_however_long(world):
    client = world.client_for(world.general_office)
    client.get(page_url(world.unit))
    with CaptureQueriesContext(connection) as before:
        client.get(page_url(world.unit))
    for _ in range(10):
        UnitUser.objects.create(user=UserFactory(), unit=world.unit)
    with CaptureQueriesContext(connection) as after:
        client.get(page_url(world.unit))
    assert len(after) == len(before)


def test_it_adds_an_existing_account_as_manager(world):
    client = world.client_for(world.general_office)
    r = add(client, world.unit, world.member.phone, manager=True)
    assert r.status_code == 302
    link = UnitUser.objects.get(user=world.member, unit=world.unit)
    assert link.is_manager
    (event,) = events("accounts.unit_user_added")
    assert event.actor == world.general_office and event.org == world.province
    assert event.data == {"user": world.member.pk, "unit": world.unit.pk, "is_manager": True}
    page = client.get(r["Location"]).content.decode()
    assert "已将" in page and "单位负责人" in page


def test_it_says_when_someone_is_a_user_already(world):
    client = world.client_for(world.general_office)
    r = add(client, world.unit, "unit")
    page = client.get(r["Location"]).content.decode()
    assert "已是本单位用户" in page
    assert not events("accounts.unit_user_added")


def test_it_refuses_oneself_and_people_out_of_reach(world):
    unit = Unit.objects.create(org=world.county_a, name="甲县教育局")
    office = world.client_for(world.county_a_office)
    r = add(office, unit, "a_office")
    assert r.status_code == 403 and "不能为自己" in r.content.decode()
    r = add(office, unit, "member")  # a provincial member
    assert r.status_code == 403 and "无权管理的组织" in r.content.decode()
    assert add(office, unit, "a_member").status_code == 302
    assert list(UnitUser.objects.filter(unit=unit).values_list("user__username", flat=True)) == [
        "a_member"
    ]


def test_the_services_check_permissions(world):
    with pytest.raises(Forbidden):
        services.unit_user_add(actor=world.county_a_office, user=world.public, unit=world.unit)
    with pytest.raises(Forbidden):
        services.unit_user_add(actor=world.leader, user=world.public, unit=world.unit)
    link = UnitUser.objects.get(user=world.unit_user)
    with pytest.raises(Forbidden):
        staffing.unit_user_remove(actor=world.county_a_office, link=link)
    with pytest.raises(Forbidden):
        staffing.unit_user_set_manager(actor=world.member, link=link, is_manager=True)
    assert UnitUser.objects.filter(pk=link.pk, is_manager=False).exists()


def test_an_inactive_unit_takes_no_new_users(world):
    world.unit.is_active = False
    world.unit.save()
    with pytest.raises(Invalid):
        services.unit_user_add(actor=world.general_office, user=world.public, unit=world.unit)


def test_it_opens_an_account_with_a_temporary_password(world):
    client = world.client_for(world.general_office)
    r = client.post(
        reverse("accounts:unit_user_create", args=[world.unit.pk]),
        {"create-name": "赵联络", "create-phone": "13966660001", "create-is_manager": "on"},
    )
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    found = re.search(r"data-temporary-password>([^<]+)</code>", r.content.decode())
    assert found
    temporary = found.group(1)
    user = User.objects.get(phone="13966660001")
    assert user.must_change_password and user.check_password(temporary)
    assert UnitUser.objects.get(user=user, unit=world.unit).is_manager
    for e in AuditEvent.objects.all():
        assert temporary not in f"{e.data} {e.target_label}"
    assert temporary not in client.get(page_url(world.unit)).content.decode()


def test_a_new_account_needs_a_valid_free_phone(world):
    client = world.client_for(world.general_office)
    url = reverse("accounts:unit_user_create", args=[world.unit.pk])
    r = client.post(url, {"create-name": "甲", "create-phone": world.member.phone})
    assert r.status_code == 422 and "已被其他账号使用" in r.content.decode()
    r = client.post(url, {"create-name": "乙", "create-phone": "12345"})
    assert r.status_code == 422 and "11 位中国大陆手机号" in r.content.decode()
    assert UnitUser.objects.filter(unit=world.unit).count() == 1


def test_it_marks_a_manager_and_back(world):
    link = UnitUser.objects.get(user=world.unit_user)
    client = world.client_for(world.general_office)
    client.post(link_url("unit_user_manager", link), {"is_manager": "1"})
    link.refresh_from_db()
    assert link.is_manager
    client.post(link_url("unit_user_manager", link), {"is_manager": "1"})
    client.post(link_url("unit_user_manager", link), {"is_manager": "0"})
    link.refresh_from_db()
    assert not link.is_manager
    assert [e.data["is_manager"] for e in events("accounts.unit_user_updated")] == [True, False]


def test_it_removes_a_user_and_keeps_the_account(world):
    link = UnitUser.objects.get(user=world.unit_user)
    client = world.client_for(world.general_office)
    page = client.get(page_url(world.unit)).content.decode()
    assert link_url("unit_user_remove", link) in page and "data-confirm" in page
    r = client.post(link_url("unit_user_remove", link))
    assert r.status_code == 302
    assert not UnitUser.objects.filter(pk=link.pk).exists()
    assert User.objects.filter(pk=world.unit_user.pk, is_active=True).exists()
    (event,) = events("accounts.unit_user_removed")
    assert event.actor == world.general_office and event.org == world.province
    assert event.data == {"user": world.unit_user.pk, "unit": world.unit.pk}


def test_a_link_of_another_unit_is_not_found(world):
    other = Unit.objects.create(org=world.province, name="测试省交通厅")
    link = UnitUser.objects.get(user=world.unit_user)
    url = reverse("accounts:unit_user_remove", args=[other.pk, link.pk])
    assert world.client_for(world.general_office).post(url).status_code == 404
    assert UnitUser.objects.filter(pk=link.pk).exists()
    url = reverse("accounts:unit_user_remove", args=[world.unit.pk, link.pk])
    assert world.client_for(world.county_a_office).post(url).status_code == 404
