"""POST /orgs/{id}/members and PATCH /members/{id}: adding and editing members by API."""

from __future__ import annotations

from typing import Any

import pytest

from shangliang.accounts.models import Membership, User
from shangliang.api.tests.schema import ApiClient, openapi
from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Committee, Group, Organization, Sector, Term
from shangliang.testing import World

PHONE = "13912345678"
PERSONAS = [
    "county_a_office",
    "general_office",
    "admin",
    "county_a_leader",
    "leader",
    "county_a_member",
    "member",
    "county_b_member",
    "unit_user",
    "public",
]
# county A: its office and those of the province manage it; its leaders and the members who
# read its roster may not (403); anyone else does not see it (404).
ON_COUNTY_A = {
    "county_a_office": 2,
    "general_office": 2,
    "admin": 2,
    "county_a_leader": 403,
    "leader": 403,
    "county_a_member": 403,  # their own record too: they see it, it is not theirs to edit
    "member": 403,
    "county_b_member": 404,
    "unit_user": 404,
    "public": 404,
}


def url(org: Organization) -> str:
    return f"orgs/{org.pk}/members"


def body(**kw: Any) -> dict[str, Any]:
    return {"name": "王伟", "phone": PHONE, **kw}


def counts() -> tuple[int, int, int]:
    audit = AuditEvent.objects.exclude(action__startswith="accounts.token")
    return User.objects.count(), Membership.objects.count(), audit.count()


def parts(org: Organization) -> tuple[Sector, Sector, Committee, Group]:
    education, economy = Sector.objects.filter(org=org).order_by("order")
    return education, economy, Committee.objects.get(org=org), Group.objects.get(org=org)


# --- adding -------------------------------------------------------------------------------


def test_it_adds_a_member(world):
    education, _economy, committee, group = parts(world.county_a)
    r = ApiClient(world.county_a_office).post(
        url(world.county_a),
        body(
            gender="F",
            birth_month="1975年3月",
            workplace="甲县一中",
            position="standing",
            sector=education.pk,
            committee=committee.pk,
            groups=[group.pk, group.pk],
        ),
    )
    assert r.status_code == 201, r.content
    m = Membership.objects.get(user__phone=PHONE)
    data = r.json()
    assert (data["id"], data["org_id"], data["name"]) == (m.pk, world.county_a.pk, "王伟")
    assert data["term"] == {"id": world.terms[world.county_a.pk].pk, "name": "第1届"}
    assert (data["position"], data["state"], data["birth_month"]) == (
        "standing",
        "active",
        "1975-03",
    )
    assert data["sector"] == {"id": education.pk, "name": "教育界"}
    assert data["groups"] == [{"id": group.pk, "name": "第一学习组"}]
    assert [a["name"] for a in data["available_actions"]] == ["suspend", "propose_exit"]
    assert [e["action"] for e in data["history"]] == ["roster.member_added"]  # one row
    assert m.user.username == f"m{PHONE}" and not m.user.has_usable_password()


def test_it_replays_a_retried_create(world):
    client = ApiClient(world.county_a_office)
    headers = {"Idempotency-Key": "add-1"}
    first = client.post(url(world.county_a), body(), headers=headers)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    again = client.post(url(world.county_a), body(), headers=headers)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Membership.objects.filter(user__phone=PHONE).count() == 1
    reused = client.post(url(world.county_a), body(name="李四"), headers=headers)
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"


def test_it_answers_409_for_a_second_add_without_a_key(world):
    client = ApiClient(world.county_a_office)
    assert client.post(url(world.county_a), body()).status_code == 201
    before = counts()
    r = client.post(url(world.county_a), body())
    assert r.status_code == 409
    assert r.json()["code"] == "already_member"
    assert "fields" in r.json() and "phone" in r.json()["fields"]
    assert counts() == before


def test_it_adds_an_existing_person_in_a_second_committee(world):
    r = ApiClient(world.general_office).post(
        url(world.city), {"name": "甲县委员", "phone": "13711110001"}
    )
    assert r.status_code == 201
    assert r.json()["user_id"] == world.county_a_member.pk


def test_it_takes_a_term_or_the_current_one(world):
    org = world.county_a
    old = Term.objects.create(org=org, number=0, name="上一届", starts_on="2018-01-01")
    client = ApiClient(world.county_a_office)
    r = client.post(url(org), body(term=old.pk))
    assert r.status_code == 201 and r.json()["term"]["id"] == old.pk
    Term.objects.filter(org=org).update(is_current=False)
    r = client.post(url(org), body(phone="13912345679"))
    assert r.status_code == 422 and list(r.json()["fields"]) == ["term"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_managers_add(world, persona):
    expected = ON_COUNTY_A[persona]
    client = ApiClient(getattr(world, persona))
    before = counts()
    r = client.post(url(world.county_a), body())
    if expected == 2:
        assert r.status_code == 201
        return
    assert r.status_code == expected
    assert r.json()["code"] == {403: "forbidden", 404: "not_found"}[expected]
    assert counts() == before


def test_county_a_cannot_add_to_county_b(world):
    before = counts()
    client = ApiClient(world.county_a_office)
    hidden = client.post(url(world.county_b), body())
    missing = client.post("orgs/999999/members", body())
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert counts() == before


def test_it_needs_a_token_to_add(world):
    assert ApiClient().post(url(world.county_a), body()).status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phone": PHONE}, "name"),
        (body(name=""), "name"),
        (body(phone="123"), "phone"),
        (body(phone=13912345678), "phone"),
        (body(name="张三", phone="13711110001"), "phone"),
        (body(birth_month="七十年代"), "birth_month"),
        (body(gender="男性"), "gender"),
        (body(position="emperor"), "position"),
        (body(ethnicity="汉" * 21), "ethnicity"),
        (body(sector=999999), "sector"),
        (body(groups=[999999]), "groups"),
        (body(term=999999), "term"),
        (body(status="exited"), "status"),
    ],
)
def test_it_refuses_invalid_input(world, payload, field):
    client = ApiClient(world.county_a_office)
    before = counts()
    r = client.post(url(world.county_a), payload)
    assert r.status_code == 422, r.content
    assert r.json()["code"] == "invalid"
    assert field in r.json()["fields"], r.json()
    assert counts() == before


def test_it_refuses_another_committees_parts(world):
    b_sector, _economy, b_committee, b_group = parts(world.county_b)
    client = ApiClient(world.county_a_office)
    for field, value in (
        ("sector", b_sector.pk),
        ("committee", b_committee.pk),
        ("groups", [b_group.pk]),
        ("term", world.terms[world.county_b.pk].pk),
    ):
        r = client.post(url(world.county_a), body(**{field: value}))
        assert r.status_code == 422
        assert list(r.json()["fields"]) == [field]
    assert not Membership.objects.filter(user__phone=PHONE).exists()


def test_it_answers_400_for_a_body_that_is_not_json(world):
    r = ApiClient(world.county_a_office).post(url(world.county_a), raw="{name")
    assert r.status_code == 400


# --- editing ------------------------------------------------------------------------------


def member_url(m: Membership) -> str:
    return f"members/{m.pk}"


def test_it_patches_a_member(world):
    m = world.county_a_member_m
    _education, economy, _committee, group = parts(world.county_a)
    r = ApiClient(world.county_a_office).patch(
        member_url(m),
        {
            "position": "standing",
            "sector": economy.pk,
            "groups": [group.pk],
            "workplace": "甲县医院",
            "birth_month": "1980-05",
            "joined_on": "2024-03-01",
        },
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["position"], data["workplace"], data["birth_month"]) == (
        "standing",
        "甲县医院",
        "1980-05",
    )
    assert data["sector"]["id"] == economy.pk and data["joined_on"] == "2024-03-01"
    assert data["groups"] == [{"id": group.pk, "name": group.name}]
    assert data["name"] == "甲县委员"  # not in the body: unchanged
    assert data["history"][0]["action"] == "roster.member_updated"
    event = AuditEvent.objects.get(action="roster.member_updated")
    assert event.data["before"]["position"] == "member"
    assert event.data["after"]["position"] == "standing"


def test_it_clears_fields_with_null(world):
    m = world.county_a_member_m
    r = ApiClient(world.county_a_office).patch(member_url(m), {"sector": None, "groups": []})
    assert r.status_code == 200
    assert (r.json()["sector"], r.json()["groups"]) == (None, [])


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_managers_patch(world, persona):
    m = world.county_a_member_m
    expected = ON_COUNTY_A[persona]
    r = ApiClient(getattr(world, persona)).patch(member_url(m), {"position": "standing"})
    m.refresh_from_db()
    if expected == 2:
        assert r.status_code == 200
        assert m.position == "standing"
        return
    assert r.status_code == expected
    assert m.position == "member"


def test_county_a_cannot_patch_county_b(world):
    m = world.county_b_member_m
    r = ApiClient(world.county_a_office).patch(member_url(m), {"position": "standing"})
    assert r.status_code == 404
    assert ApiClient(world.county_a_office).patch("members/999999", {}).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "exited"}, "status"),
        ({"username": "x"}, "username"),
        ({"phone": "13711110002"}, "phone"),
        ({"phone": None}, "phone"),
        ({"name": None}, "name"),
        ({"position": None}, "position"),
        ({"sector": 999999}, "sector"),
        ({"joined_on": "下周"}, "joined_on"),
        ({"groups": "第一学习组"}, "groups"),
    ],
)
def test_it_refuses_an_invalid_patch(world, payload, field):
    m = world.county_a_member_m
    before = counts()
    r = ApiClient(world.county_a_office).patch(member_url(m), payload)
    assert r.status_code == 422, r.content
    assert field in r.json()["fields"], r.json()
    assert counts() == before


def test_it_refuses_profile_changes_for_a_person_managed_elsewhere(world: World):
    r = ApiClient(world.general_office).post(
        url(world.county_a), {"name": world.member.name, "phone": world.member.phone}
    )
    m = Membership.objects.get(pk=r.json()["id"])
    county = ApiClient(world.county_a_office)
    refused = county.patch(member_url(m), {"name": "改名", "position": "standing"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert list(refused.json()["fields"]) == ["name"]
    m.refresh_from_db()
    assert (m.user.name, m.position) == ("省委员甲", "member")
    assert county.patch(member_url(m), {"position": "standing"}).status_code == 200
    province = ApiClient(world.general_office).patch(member_url(m), {"name": "省委员乙"})
    assert province.status_code == 200 and province.json()["name"] == "省委员乙"


# --- the contract -------------------------------------------------------------------------


def test_it_documents_both_operations():
    paths = openapi()["paths"]
    create = paths["/api/v1/orgs/{org_id}/members"]["post"]
    patch = paths["/api/v1/members/{member_id}"]["patch"]
    assert set(create["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "404",
        "409",
        "422",
        "500",
        "503",
    }
    assert set(patch["responses"]) == {"200", "400", "401", "403", "404", "422", "500", "503"}
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    assert create["security"] == patch["security"] == [{"BearerToken": []}]


def test_the_reading_and_writing_routers_share_their_paths(world):
    client = ApiClient(world.county_a_office)
    m = world.county_a_member_m
    assert client.get(member_url(m)).status_code == 200
    assert client.get(url(world.county_a)).status_code == 200
    r = client.request("PUT", member_url(m), {})
    assert r.status_code == 405
    assert r["Allow"] == "GET, PATCH"
    assert r.json()["code"] == "method_not_allowed"
