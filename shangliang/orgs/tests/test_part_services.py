"""orgs.services.parts: sectors, committees, groups, units and workstations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shangliang.core.errors import Invalid
from shangliang.core.models import AuditEvent
from shangliang.orgs import services
from shangliang.orgs.models import Committee, Group, Sector, Unit, Workstation
from shangliang.testing import make_member


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Sector, {"name": "科技界"}),
        (Committee, {"name": "文史委员会"}),
        (Unit, {"name": "甲县教育局", "short_name": "教育局", "contact_phone": "0731-1234567"}),
        (Workstation, {"name": "城关委员工作站", "kind": Workstation.Kind.STATION}),
    ],
)
def test_it_creates_edits_deactivates_and_reactivates_a_part(world, model, values):
    name = model._meta.model_name
    obj = services.part_create(actor=world.admin, model=model, org=world.county_a, **values)
    assert last_event(f"orgs.{name}_created").actor == world.admin

    services.part_update(actor=world.admin, obj=obj, name=values["name"] + "（新）", order=3)
    data = last_event(f"orgs.{name}_updated").data
    assert data["before"] == {"name": values["name"], "order": 0}
    assert data["after"] == {"name": values["name"] + "（新）", "order": 3}

    services.part_deactivate(actor=world.admin, obj=obj)
    obj.refresh_from_db()
    assert not obj.is_active
    assert last_event(f"orgs.{name}_deactivated").data["after"] == {"is_active": False}
    count = AuditEvent.objects.count()
    services.part_deactivate(actor=world.admin, obj=obj)  # twice: recorded once
    assert AuditEvent.objects.count() == count

    services.part_reactivate(actor=world.admin, obj=obj)
    obj.refresh_from_db()
    assert obj.is_active


def test_an_edit_that_changes_nothing_records_nothing(world):
    sector = Sector.objects.get(org=world.county_a, name="教育界")
    count = AuditEvent.objects.count()
    services.part_update(actor=world.admin, obj=sector, name="教育界")
    assert AuditEvent.objects.count() == count


def test_it_refuses_a_duplicate_name_in_the_same_committee_only(world):
    count = Sector.objects.count()
    with pytest.raises(Invalid) as exc:
        services.part_create(actor=world.admin, model=Sector, org=world.county_a, name="教育界")
    assert "已有名为“教育界”的界别" in exc.value.fields["name"][0]
    assert Sector.objects.count() == count
    other = Sector.objects.get(org=world.county_a, name="经济界")
    with pytest.raises(Invalid):
        services.part_update(actor=world.admin, obj=other, name="教育界")
    assert Sector.objects.get(pk=other.pk).name == "经济界"
    # the same name in another committee is fine
    services.part_create(actor=world.admin, model=Unit, org=world.county_a, name="测试省教育厅")


def test_a_work_group_needs_a_sector_of_its_own_committee(world):
    own = Sector.objects.get(org=world.county_a, name="教育界")
    foreign = Sector.objects.get(org=world.county_b, name="教育界")
    kw = {"actor": world.admin, "model": Group, "org": world.county_a, "kind": Group.Kind.WORK}
    with pytest.raises(Invalid) as exc:
        services.part_create(name="教育界工作组", **kw)
    assert "sector" in exc.value.fields
    with pytest.raises(Invalid) as exc:
        services.part_create(name="教育界工作组", sector=foreign, **kw)
    assert "不属于本组织" in exc.value.fields["sector"][0]
    group = services.part_create(name="教育界工作组", sector=own, **kw)
    assert group.sector == own


def test_a_study_group_has_a_region_not_a_sector(world):
    own = Sector.objects.get(org=world.county_a, name="教育界")
    with pytest.raises(Invalid) as exc:
        services.part_create(
            actor=world.admin,
            model=Group,
            org=world.county_a,
            name="东片学习组",
            kind=Group.Kind.STUDY,
            sector=own,
        )
    assert "sector" in exc.value.fields


def test_a_workstation_is_staffed_by_current_members_of_its_committee(world):
    mine = world.county_a_member_m
    ws = services.workstation_create(
        actor=world.admin,
        org=world.county_a,
        name="城关委员工作室",
        kind=Workstation.Kind.STUDIO,
        latitude=Decimal("28.2"),
        longitude=Decimal("112.9"),
        members=[mine],
    )
    assert list(ws.members.all()) == [mine]
    second = make_member(world.county_a, world.terms[world.county_a.pk], name="甲县委员二")
    services.workstation_update(actor=world.admin, workstation=ws, members=[mine, second])
    data = last_event("orgs.workstation_updated").data
    assert data["before"] == {"members": [mine.pk]}
    assert data["after"] == {"members": sorted([mine.pk, second.pk])}
    with pytest.raises(Invalid) as exc:
        services.workstation_update(
            actor=world.admin, workstation=ws, members=[world.county_b_member_m]
        )
    assert "members" in exc.value.fields
    assert ws.members.count() == 2


def test_a_workstation_needs_both_coordinates_in_range(world):
    kw = {"actor": world.admin, "org": world.county_a, "kind": Workstation.Kind.ROOM}
    with pytest.raises(Invalid) as exc:
        services.workstation_create(name="议事室", latitude=Decimal("28.2"), **kw)
    assert "latitude" in exc.value.fields
    with pytest.raises(Invalid) as exc:
        services.workstation_create(
            name="议事室", latitude=Decimal("28.2"), longitude=Decimal("200"), **kw
        )
    assert "longitude" in exc.value.fields
    assert not Workstation.objects.filter(name="议事室").exists()


def test_services_refuse_to_move_a_part_or_touch_is_active(world):
    sector = Sector.objects.get(org=world.county_a, name="教育界")
    with pytest.raises(TypeError):
        services.part_update(actor=world.admin, obj=sector, org=world.county_b)
    with pytest.raises(TypeError):
        services.part_update(actor=world.admin, obj=sector, is_active=False)
