from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shangliang.api.tests.schema import ApiClient
from shangliang.orgs.models import Organization, Sector, Term, Unit, Workstation
from shangliang.testing import make_org


def test_it_lists_active_committees_publicly_in_tree_order(world):
    closed = make_org("政协已撤销县委员会", Organization.Level.COUNTY, world.city)
    closed.is_active = False
    closed.save()
    r = ApiClient().get("orgs")
    assert r.status_code == 200
    orgs = r.json()
    assert [o["id"] for o in orgs] == [
        world.province.pk,
        world.city.pk,
        world.county_a.pk,
        world.county_b.pk,
    ]
    county_a = orgs[2]
    assert county_a == {
        "id": world.county_a.pk,
        "name": "政协甲县委员会",
        "short_name": world.county_a.short_name,
        "level": 3,
        "level_label": "县级",
        "parent_id": world.city.pk,
        "path": world.county_a.path,
    }


@pytest.mark.parametrize("persona", [None, "public", "county_b_member", "unit_user"])
def test_it_shows_the_same_list_to_everyone(world, persona):
    user = getattr(world, persona) if persona else None
    assert ApiClient(user).get("orgs").json() == ApiClient().get("orgs").json()


def test_it_shows_one_committee_with_its_parts(world):
    org = world.county_a
    Term.objects.create(
        org=org,
        number=0,
        name="上一届",
        starts_on=dt.date(2018, 1, 1),
        ends_on=dt.date(2022, 12, 31),
    )
    Sector.objects.create(org=org, name="已停用界别", is_active=False)
    Unit.objects.create(org=org, name="甲县教育局", short_name="教育局", contact_phone="0000")
    Workstation.objects.create(
        org=org,
        name="城关委员工作站",
        kind=Workstation.Kind.STATION,
        address="城关镇人民路1号",
        latitude=Decimal("34.123456"),
        longitude=Decimal("108.654321"),
    )
    r = ApiClient().get(f"orgs/{org.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == org.name
    assert body["level_label"] == "县级"
    assert [t["name"] for t in body["terms"]] == ["第1届", "上一届"]
    current = body["terms"][0]
    assert current["is_current"] is True
    assert current["sessions"][0]["proposal_deadline"] == "2027-01-13T10:00:00Z"
    assert current["sessions"][0]["opens_on"] == "2027-01-11"
    assert body["terms"][1]["sessions"] == []
    assert [s["name"] for s in body["sectors"]] == ["教育界", "经济界"]
    assert [c["name"] for c in body["committees"]] == ["提案委员会"]
    assert body["groups"][0]["kind_label"] == "学习组"
    assert body["units"] == [
        {
            "id": Unit.objects.get(name="甲县教育局").pk,
            "name": "甲县教育局",
            "short_name": "教育局",
            "kind": "government",
            "kind_label": "政府部门",
        }
    ]
    station = body["workstations"][0]
    assert station["kind_label"] == "委员工作站"
    assert station["address"] == "城关镇人民路1号"
    assert Decimal(str(station["latitude"])) == Decimal("34.123456")


def test_it_does_not_mix_committees(world):
    Unit.objects.create(org=world.county_b, name="乙县交通局")
    body = ApiClient().get(f"orgs/{world.county_a.pk}").json()
    assert body["units"] == []
    assert {s["id"] for s in body["sectors"]} == set(
        Sector.objects.filter(org=world.county_a).values_list("pk", flat=True)
    )


def test_it_answers_404_for_unknown_or_closed_committees(world):
    closed = make_org("政协已撤销县委员会", Organization.Level.COUNTY, world.city)
    closed.is_active = False
    closed.save()
    client = ApiClient(world.admin)
    for org_id in (closed.pk, 999999, 2**63 - 1):
        r = client.get(f"orgs/{org_id}")
        assert r.status_code == 404, org_id
        assert r.json()["code"] == "not_found"


def test_it_answers_422_for_ids_that_are_not_ids(world):
    client = ApiClient()
    for bad in ("abc", "0", "-1", str(2**64), "1.5"):
        r = client.get(f"orgs/{bad}")
        assert r.status_code == 422, bad
        assert r.json()["code"] == "invalid"


def test_it_reads_a_committee_in_a_few_queries(world, django_assert_max_num_queries):
    client = ApiClient()
    with django_assert_max_num_queries(8):
        assert client.get(f"orgs/{world.province.pk}").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("orgs").status_code == 200
