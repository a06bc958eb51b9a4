"""Sectors, committees, groups, units and workstations through the administrator's pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shangliang.accounts.models import UnitUser
from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Committee, Group, Organization, Sector, Unit, Workstation
from shangliang.testing import UserFactory, make_member


def manage(org: Organization, rest: str = "") -> str:
    return f"/orgs/{org.pk}/manage/{rest}"


@pytest.mark.parametrize(
    ("kind", "model", "data"),
    [
        ("sectors", Sector, {"name": "科技界", "order": 3}),
        ("committees", Committee, {"name": "文史委员会", "order": 1}),
        ("units", Unit, {"name": "甲县交通局", "kind": "government", "order": 0}),
        ("workstations", Workstation, {"name": "城关委员工作站", "kind": "station", "order": 0}),
    ],
)
def test_it_creates_edits_and_deactivates(world, client, kind, model, data):
    client.force_login(world.admin)
    org = world.county_a
    assert client.post(manage(org, f"{kind}/new/"), data).status_code == 302
    obj = model.objects.get(org=org, name=data["name"])
    edit = manage(org, f"{kind}/{obj.pk}/edit/")
    assert data["name"] in client.get(edit).content.decode()
    r = client.post(edit, {**data, "name": data["name"] + "二"})
    assert r.status_code == 302
    obj.refresh_from_db()
    assert obj.name == data["name"] + "二"
    assert client.post(manage(org, f"{kind}/{obj.pk}/deactivate/")).status_code == 302
    obj.refresh_from_db()
    assert not obj.is_active
    html = client.get(manage(org, f"{kind}/")).content.decode()
    assert "已停用" in html and "启用" in html
    assert client.post(manage(org, f"{kind}/{obj.pk}/reactivate/")).status_code == 302
    obj.refresh_from_db()
    assert obj.is_active
    name = model._meta.model_name
    actions = set(AuditEvent.objects.filter(target_id=str(obj.pk)).values_list("action", flat=True))
    assert {f"orgs.{name}_{v}" for v in ("created", "updated", "deactivated", "reactivated")} <= (
        actions
    )


def test_a_duplicate_name_is_a_field_error_and_nothing_is_written(world, client):
    client.force_login(world.admin)
    count = Sector.objects.count()
    r = client.post(manage(world.county_a, "sectors/new/"), {"name": "教育界", "order": 0})
    assert r.status_code == 422
    html = r.content.decode()
    assert "本组织已有名为“教育界”的界别" in html and "is-invalid" in html
    assert Sector.objects.count() == count


def test_a_work_group_gets_its_sector_and_a_study_group_its_region(world, client):
    client.force_login(world.admin)
    org = world.county_a
    sector = Sector.objects.get(org=org, name="教育界")
    page = client.get(manage(org, "groups/new/")).content.decode()
    assert 'data-show-when="kind=work"' in page
    r = client.post(
        manage(org, "groups/new/"),
        {"name": "教育界工作组", "kind": "work", "sector": sector.pk, "region": "东片", "order": 0},
    )
    assert r.status_code == 302
    work = Group.objects.get(org=org, name="教育界工作组")
    assert (work.sector, work.region) == (sector, "")
    r = client.post(
        manage(org, "groups/new/"),
        {"name": "东片学习组", "kind": "study", "sector": sector.pk, "region": "东片", "order": 0},
    )
    assert r.status_code == 302
    study = Group.objects.get(org=org, name="东片学习组")
    assert (study.sector, study.region) == (None, "东片")
    r = client.post(manage(org, "groups/new/"), {"name": "无界别工作组", "kind": "work"})
    assert r.status_code == 422 and "工作组须选择所属界别" in r.content.decode()
    foreign = Sector.objects.get(org=world.county_b, name="教育界")
    r = client.post(
        manage(org, "groups/new/"),
        {"name": "外县工作组", "kind": "work", "sector": foreign.pk, "order": 0},
    )
    assert r.status_code == 422  # not one of the choices
    assert not Group.objects.filter(name__in=["无界别工作组", "外县工作组"]).exists()


def test_a_workstation_is_staffed_from_the_current_terms_members(world, client):
    client.force_login(world.admin)
    org = world.county_a
    page = client.get(manage(org, "workstations/new/")).content.decode()
    assert world.county_a_member.name in page
    assert world.county_b_member.name not in page
    r = client.post(
        manage(org, "workstations/new/"),
        {
            "name": "城关委员工作室",
            "kind": "studio",
            "address": "城关镇人民路1号",
            "latitude": "28.228",
            "longitude": "112.938",
            "members": [world.county_a_member_m.pk],
            "order": 0,
        },
    )
    assert r.status_code == 302
    ws = Workstation.objects.get(org=org)
    assert list(ws.members.all()) == [world.county_a_member_m]
    r = client.post(
        manage(org, f"workstations/{ws.pk}/edit/"),
        {"name": ws.name, "kind": "studio", "latitude": "28.2", "order": 0},
    )
    assert r.status_code == 422 and "经度和纬度须同时填写" in r.content.decode()
    ws.refresh_from_db()
    assert ws.latitude is not None and ws.members.count() == 1


def test_the_units_page_costs_the_same_queries_for_more_units(world, client):
    client.force_login(world.admin)
    org = world.county_a
    Unit.objects.create(org=org, name="甲县教育局")
    client.get(manage(org, "units/"))  # warm caches
    with CaptureQueriesContext(connection) as few:
        client.get(manage(org, "units/"))
    for i in range(20):
        unit = Unit.objects.create(org=org, name=f"甲县单位{i}")
        UnitUser.objects.create(unit=unit, user=UserFactory())
    with CaptureQueriesContext(connection) as many:
        r = client.get(manage(org, "units/"))
    assert r.status_code == 200 and "甲县单位19" in r.content.decode()
    assert len(many) == len(few)


@pytest.mark.parametrize("kind", ["sectors", "committees", "groups", "workstations"])
def test_the_other_lists_cost_the_same_queries_too(world, client, kind):
    client.force_login(world.admin)
    org = world.county_a
    client.get(manage(org, f"{kind}/"))
    with CaptureQueriesContext(connection) as few:
        client.get(manage(org, f"{kind}/"))
    sector = Sector.objects.get(org=org, name="教育界")
    member = make_member(org, world.terms[org.pk])
    for i in range(10):
        if kind == "sectors":
            Sector.objects.create(org=org, name=f"界别{i}")
        elif kind == "committees":
            Committee.objects.create(org=org, name=f"委员会{i}")
        elif kind == "groups":
            Group.objects.create(org=org, name=f"工作组{i}", kind="work", sector=sector)
        else:
            Workstation.objects.create(org=org, name=f"工作站{i}", kind="station").members.add(
                member
            )
    with CaptureQueriesContext(connection) as many:
        assert client.get(manage(org, f"{kind}/")).status_code == 200
    assert len(many) == len(few)


def test_a_units_page_lists_its_users_read_only(world, client):
    client.force_login(world.admin)
    UnitUser.objects.filter(unit=world.unit).update(is_manager=True)
    r = client.get(manage(world.province, f"units/{world.unit.pk}/"))
    html = r.content.decode()
    assert r.status_code == 200
    assert world.unit_user.name in html and world.unit_user.username in html
    assert "单位负责人" in html and "添加或移除单位用户" in html
    assert "<form" not in html.split("单位用户")[1].split("</table>")[0]
