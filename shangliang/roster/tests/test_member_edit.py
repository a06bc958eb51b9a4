"""Adding one member and editing a member: the services, then the pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from shangliang.accounts.models import Membership, User
from shangliang.core.errors import Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Committee, Group, Organization, Sector, Term
from shangliang.roster.member_services import AlreadyMember, member_add, member_update
from shangliang.testing import World

NEW_PHONE = "13912345678"


def parts(org: Organization) -> tuple[Sector, Sector, Committee, Group]:
    education, economy = Sector.objects.filter(org=org).order_by("order")
    return education, economy, Committee.objects.get(org=org), Group.objects.get(org=org)


def term_of(world: World, org: Organization) -> Term:
    return world.terms[org.pk]


def add(world: World, org: Organization | None = None, actor: User | None = None, **kw: Any):
    org = org or world.county_a
    kw.setdefault("name", "王伟")
    kw.setdefault("phone", NEW_PHONE)
    return member_add(actor=actor or world.county_a_office, org=org, term=term_of(world, org), **kw)


def counts() -> tuple[int, int, int]:
    """Accounts, memberships and audit rows (logging a test client in writes none of these)."""
    audit = AuditEvent.objects.exclude(action="accounts.login")
    return User.objects.count(), Membership.objects.count(), audit.count()


def actions(m: Membership) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="accounts.membership", target_id=str(m.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- adding -------------------------------------------------------------------------------


def test_it_adds_a_new_person(world):
    education, _economy, committee, group = parts(world.county_a)
    m = add(
        world,
        name=" 王  伟 ",
        phone="+86 139-1234-5678",
        gender="男",
        ethnicity="汉族",
        birth_month="1975年3月",
        party="民盟",
        workplace="甲县一中校长",
        position="standing",
        sector=education,
        committee=committee,
        groups=[group],
    )
    user = m.user
    assert (user.username, user.name, user.phone) == ("m13912345678", "王伟", NEW_PHONE)
    assert (user.gender, user.birth_month) == ("M", dt.date(1975, 3, 1))
    assert not user.has_usable_password()
    assert (m.org, m.term, m.status) == (world.county_a, term_of(world, world.county_a), "active")
    assert (m.position, m.sector, m.committee) == ("standing", education, committee)
    assert list(m.groups.all()) == [group]
    assert m.joined_on == term_of(world, world.county_a).starts_on
    assert actions(m) == ["roster.member_added"]  # one history line, with before/after
    event = AuditEvent.objects.get(action="roster.member_added")
    assert event.org == world.county_a and event.actor == world.county_a_office
    assert event.data["before"] == {}
    assert event.data["after"]["phone"] == NEW_PHONE
    assert event.data["after"]["birth_month"] == "1975-03"
    assert event.data["after"]["groups"] == [group.pk]
    assert event.data["new_account"] is True


def test_it_gives_a_taken_username_a_suffix(world):
    User.objects.create(username=f"m{NEW_PHONE}", name="别人")
    assert add(world).user.username == f"m{NEW_PHONE}_2"


def test_it_adds_an_existing_person_by_phone_in_a_second_org(world):
    person = world.county_a_member  # 甲县委员, 13711110001, no ethnicity yet
    person.workplace = "甲县医院"
    person.save()
    m = add(
        world,
        org=world.city,
        actor=world.general_office,
        name="甲县委员",
        phone="13711110001",
        ethnicity="回族",
        workplace="别的单位",
    )
    assert m.user == person
    assert set(person.memberships.values_list("org", flat=True)) == {
        world.county_a.pk,
        world.city.pk,
    }
    person.refresh_from_db()
    assert person.ethnicity == "回族"  # a blank filled in
    assert person.workplace == "甲县医院"  # an existing detail kept
    event = AuditEvent.objects.get(action="roster.member_added")
    assert (event.data["new_account"], event.data["filled"]) == (False, ["ethnicity"])
    assert User.objects.filter(phone="13711110001").count() == 1


def test_it_refuses_a_phone_that_belongs_to_someone_else(world):
    before = counts()
    with pytest.raises(Invalid) as exc:
        add(world, org=world.city, actor=world.general_office, name="张三", phone="13711110001")
    assert "手机号已被他人使用" in exc.value.detail
    assert list(exc.value.fields) == ["phone"]
    assert counts() == before


def test_it_refuses_a_second_membership_in_the_same_term(world):
    before = counts()
    with pytest.raises(AlreadyMember) as exc:
        add(world, name="甲县委员", phone="13711110001")
    assert exc.value.status == 409 and exc.value.code == "already_member"
    assert "已是政协甲县委员会第1届委员" in exc.value.detail
    assert counts() == before


@pytest.mark.parametrize("phone", ["123", "1391234567", "23912345678", "", "电话"])
def test_it_refuses_a_bad_phone(world, phone):
    before = counts()
    with pytest.raises(Invalid) as exc:
        add(world, phone=phone)
    assert list(exc.value.fields) == ["phone"]
    assert counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "  "),
        ("birth_month", "去年"),
        ("birth_month", "2999-01"),
        ("gender", "未知"),
        ("ethnicity", "汉" * 21),
        ("workplace", "x" * 201),
        ("position", "emperor"),
    ],
)
def test_it_refuses_bad_details(world, field, value):
    before = counts()
    with pytest.raises(Invalid) as exc:
        add(world, **{field: value})
    assert field in exc.value.fields
    assert counts() == before


def test_it_refuses_another_orgs_sector_committee_group_or_term(world):
    b_sector, _economy, b_committee, b_group = parts(world.county_b)
    before = counts()
    wrong: list[tuple[str, Any]] = [
        ("sector", b_sector),
        ("committee", b_committee),
        ("groups", [b_group]),
    ]
    for field, value in wrong:
        with pytest.raises(Invalid) as exc:
            add(world, **{field: value})
        assert list(exc.value.fields) == [field]
        assert "不属于政协甲县委员会" in exc.value.detail
    with pytest.raises(Invalid) as exc:
        member_add(
            actor=world.county_a_office,
            org=world.county_a,
            term=term_of(world, world.county_b),
            name="王伟",
            phone=NEW_PHONE,
        )
    assert list(exc.value.fields) == ["term"]
    assert counts() == before


def test_it_refuses_a_deactivated_sector(world):
    education, *_rest = parts(world.county_a)
    Sector.objects.filter(pk=education.pk).update(is_active=False)
    education.refresh_from_db()
    with pytest.raises(Invalid, match="已停用"):
        add(world, sector=education)


@pytest.mark.parametrize(
    ("persona", "org"),
    [
        ("county_a_office", "county_b"),
        ("county_a_office", "city"),
        ("county_a_leader", "county_a"),
        ("county_a_member", "county_a"),
        ("leader", "county_a"),
        ("unit_user", "county_a"),
    ],
)
def test_it_lets_only_managers_add(world, persona, org):
    before = counts()
    with pytest.raises(Forbidden):
        add(world, org=getattr(world, org), actor=getattr(world, persona))
    assert counts() == before


def test_a_higher_office_adds_to_a_committee_below(world):
    m = add(world, org=world.county_b, actor=world.general_office)
    assert m.org == world.county_b


# --- editing ------------------------------------------------------------------------------


def test_it_updates_a_member_with_an_audit_of_before_and_after(world):
    m = world.county_a_member_m
    education, economy, committee, group = parts(world.county_a)
    member_update(
        actor=world.county_a_office,
        membership=m,
        position="standing",
        sector=economy,
        committee=committee,
        groups=[group],
        joined_on=dt.date(2024, 3, 1),
        workplace="甲县二中",
        birth_month="1980.05",
        phone="139 0000 1111",
        name="甲县委员",  # unchanged: not in the audit
    )
    m.refresh_from_db()
    m.user.refresh_from_db()
    assert (m.position, m.sector, m.committee, m.joined_on) == (
        "standing",
        economy,
        committee,
        dt.date(2024, 3, 1),
    )
    assert list(m.groups.all()) == [group]
    assert (m.user.workplace, m.user.phone) == ("甲县二中", "13900001111")
    assert m.user.birth_month == dt.date(1980, 5, 1)
    assert m.status == "active"
    event = AuditEvent.objects.get(action="roster.member_updated")
    assert (event.org, event.actor) == (world.county_a, world.county_a_office)
    assert event.data["before"] == {
        "phone": "13711110001",
        "birth_month": None,
        "workplace": "",
        "position": "member",
        "sector": education.pk,
        "committee": None,
        "groups": [],
        "joined_on": None,
    }
    assert event.data["after"] == {
        "phone": "13900001111",
        "birth_month": "1980-05",
        "workplace": "甲县二中",
        "position": "standing",
        "sector": economy.pk,
        "committee": committee.pk,
        "groups": [group.pk],
        "joined_on": "2024-03-01",
    }


def test_it_writes_nothing_when_nothing_changes(world):
    m = world.county_a_member_m
    member_update(actor=world.county_a_office, membership=m, name="甲县委员", position="member")
    assert not AuditEvent.objects.filter(action="roster.member_updated").exists()


def test_it_clears_optional_fields(world):
    m = world.county_a_member_m
    member_update(actor=world.county_a_office, membership=m, sector=None, groups=[])
    m.refresh_from_db()
    assert m.sector is None


def test_it_does_not_edit_the_status(world):
    m = world.county_a_member_m
    with pytest.raises(Invalid) as exc:
        member_update(actor=world.county_a_office, membership=m, status="exited")
    assert "暂停履职" in exc.value.detail
    with pytest.raises(Invalid) as exc:
        member_update(actor=world.county_a_office, membership=m, username="hacker")
    assert list(exc.value.fields) == ["username"]
    m.refresh_from_db()
    assert m.status == "active" and m.user.username == "a_member"


def test_it_refuses_a_phone_already_in_use_and_writes_nothing(world):
    m = world.county_a_member_m
    before = counts()
    with pytest.raises(Invalid) as exc:
        member_update(
            actor=world.county_a_office, membership=m, phone="13711110002", position="standing"
        )
    assert "手机号已被他人使用" in exc.value.detail
    m.refresh_from_db()
    assert (m.user.phone, m.position) == ("13711110001", "member")
    assert counts() == before


def test_it_refuses_another_orgs_sector_on_update(world):
    b_sector, *_rest = parts(world.county_b)
    with pytest.raises(Invalid):
        member_update(
            actor=world.county_a_office, membership=world.county_a_member_m, sector=b_sector
        )


@pytest.mark.parametrize("persona", ["county_a_leader", "county_a_member", "leader", "member"])
def test_it_lets_only_managers_update(world, persona):
    with pytest.raises(Forbidden):
        member_update(
            actor=getattr(world, persona),
            membership=world.county_a_member_m,
            position="standing",
        )


def test_county_a_cannot_update_county_b(world):
    with pytest.raises(Forbidden):
        member_update(
            actor=world.county_a_office, membership=world.county_b_member_m, position="standing"
        )


def _provincial_member_in_county_a(world: World) -> Membership:
    """The provincial member 省委员甲 also sits on county A's committee."""
    return add(
        world,
        actor=world.general_office,
        name=world.member.name,
        phone=world.member.phone,
    )


def test_it_refuses_profile_changes_for_a_person_managed_elsewhere(world):
    m = _provincial_member_in_county_a(world)
    _education, economy, *_rest = parts(world.county_a)
    before = AuditEvent.objects.count()
    with pytest.raises(Forbidden) as exc:
        member_update(actor=world.county_a_office, membership=m, name="改名", sector=economy)
    assert "无权管理的政协" in exc.value.detail
    assert list(exc.value.fields) == ["name"]
    m.refresh_from_db()
    assert (m.user.name, m.sector_id) == ("省委员甲", None)
    assert AuditEvent.objects.count() == before
    # the seat itself is county A's to change; the unchanged profile does not stand in the way
    member_update(actor=world.county_a_office, membership=m, name="省委员甲", sector=economy)
    m.refresh_from_db()
    assert m.sector == economy
    # the provincial office manages both committees, so it may change the profile
    member_update(actor=world.general_office, membership=m, workplace="省大学")
    m.user.refresh_from_db()
    assert m.user.workplace == "省大学"


# --- the pages ----------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def new_url(org: Organization) -> str:
    return reverse("roster:member_new", args=[org.pk])


def edit_url(m: Membership) -> str:
    return reverse("roster:member_edit", args=[m.pk])


def form_data(world: World, **kw: Any) -> dict[str, Any]:
    education, _economy, committee, group = parts(world.county_a)
    data = {
        "name": "王伟",
        "phone": NEW_PHONE,
        "gender": "M",
        "ethnicity": "汉族",
        "birth_month": "1975年3月",
        "party": "",
        "workplace": "甲县一中校长",
        "term": term_of(world, world.county_a).pk,
        "position": "member",
        "sector": education.pk,
        "committee": committee.pk,
        "groups": [group.pk],
    }
    data.update(kw)
    return data


def assert_csp_safe(html: str) -> None:
    assert not INLINE_SCRIPT.search(html)
    assert 'style="' not in html


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("county_a_office", True), ("general_office", True), ("county_a_leader", False)],
)
def test_the_roster_offers_adding_to_managers(world, persona, shown):
    html = world.client_for(getattr(world, persona)).get(
        reverse("roster:list", args=[world.county_a.pk])
    )
    assert (new_url(world.county_a) in html.content.decode()) is shown


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_a_office", 200),
        ("general_office", 200),
        ("admin", 200),
        ("county_a_leader", 403),
        ("county_a_member", 403),
        ("member", 403),
        ("county_b_member", 404),
        ("public", 404),
    ],
)
def test_it_shows_the_add_page_only_to_managers(world, persona, status):
    r = world.client_for(getattr(world, persona)).get(new_url(world.county_a))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "新增委员" in html and 'type="checkbox"' in html and "第一学习组" in html
        assert_csp_safe(html)


def test_it_sends_strangers_to_the_login_page(world, client):
    r = client.get(new_url(world.county_a))
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_it_adds_through_the_page(world):
    client = world.client_for(world.county_a_office)
    r = client.post(new_url(world.county_a), form_data(world))
    m = Membership.objects.get(user__phone=NEW_PHONE)
    assert r.status_code == 302
    assert r["Location"] == reverse("roster:membership", args=[m.pk])
    assert m.user.birth_month == dt.date(1975, 3, 1)
    assert m.org == world.county_a and m.groups.count() == 1
    page = client.get(r["Location"]).content.decode()
    assert "已新增委员：王伟。" in page


def test_the_add_page_lists_only_the_orgs_parts(world):
    html = world.client_for(world.county_a_office).get(new_url(world.county_a)).content.decode()
    b_sector, *_rest = parts(world.county_b)
    assert f'value="{b_sector.pk}"' not in html
    assert f'value="{term_of(world, world.county_b).pk}"' not in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "这个字段是必填项"),
        ({"phone": "12345"}, "phone", "手机号“12345”无效"),
        ({"birth_month": "七十年代"}, "birth_month", "出生年月“七十年代”无法识别"),
        ({"position": "emperor"}, "position", ""),
        ({"groups": ["999999"]}, "groups", ""),
        ({"name": "别人", "phone": "13711110002"}, "phone", "手机号已被他人使用"),
    ],
)
def test_it_answers_422_and_writes_nothing(world, changes, field, message):
    before = counts()
    r = world.client_for(world.county_a_office).post(
        new_url(world.county_a), form_data(world, **changes)
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert "is-invalid" in html
    assert 'value="甲县一中校长"' in html  # what was typed is kept
    assert counts() == before


def test_it_refuses_another_orgs_sector_on_the_page(world):
    b_sector, *_rest = parts(world.county_b)
    before = counts()
    r = world.client_for(world.county_a_office).post(
        new_url(world.county_a), form_data(world, sector=b_sector.pk)
    )
    assert r.status_code == 422 and 'id="id_sector_error"' in r.content.decode()
    assert counts() == before


def test_it_answers_409_for_a_member_already_in_the_term(world):
    before = counts()
    r = world.client_for(world.county_a_office).post(
        new_url(world.county_a), form_data(world, name="甲县委员", phone="13711110001")
    )
    assert r.status_code == 409
    assert "已是政协甲县委员会第1届委员" in r.content.decode()
    assert counts() == before


def test_county_a_cannot_post_to_county_b(world):
    before = counts()
    r = world.client_for(world.county_a_office).post(new_url(world.county_b), form_data(world))
    assert r.status_code == 404
    assert counts() == before


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("county_a_office", True), ("general_office", True), ("county_a_leader", False)],
)
def test_the_member_page_offers_editing_to_managers(world, persona, shown):
    m = world.county_a_member_m
    html = world.client_for(getattr(world, persona)).get(reverse("roster:membership", args=[m.pk]))
    assert (edit_url(m) in html.content.decode()) is shown


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_a_office", 200),
        ("general_office", 200),
        ("county_a_leader", 403),
        ("county_a_member", 403),
        ("county_b_member", 404),
        ("unit_user", 404),
    ],
)
def test_it_shows_the_edit_page_only_to_managers(world, persona, status):
    r = world.client_for(getattr(world, persona)).get(edit_url(world.county_a_member_m))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert 'value="13711110001"' in html and "状态（暂停履职、退出等）" in html
        assert_csp_safe(html)


def edit_data(m: Membership, **kw: Any) -> dict[str, Any]:
    data = {
        "name": m.user.name,
        "phone": m.user.phone,
        "gender": m.user.gender,
        "ethnicity": m.user.ethnicity,
        "birth_month": "",
        "party": m.user.party,
        "workplace": m.user.workplace,
        "position": m.position,
        "sector": m.sector_id or "",
        "committee": m.committee_id or "",
        "joined_on": "",
    }
    data.update(kw)
    return data


def test_it_edits_through_the_page(world):
    m = world.county_a_member_m
    _education, economy, _committee, group = parts(world.county_a)
    client = world.client_for(world.county_a_office)
    r = client.post(
        edit_url(m),
        edit_data(
            m,
            position="standing",
            sector=economy.pk,
            groups=[group.pk],
            workplace="甲县人民医院",
            joined_on="2024年3月5日",
        ),
    )
    assert r.status_code == 302
    assert r["Location"] == reverse("roster:membership", args=[m.pk])
    m.refresh_from_db()
    assert (m.position, m.sector, m.user.workplace) == ("standing", economy, "甲县人民医院")
    assert m.joined_on == dt.date(2024, 3, 5)
    assert list(m.groups.all()) == [group]
    assert "已保存。" in client.get(r["Location"]).content.decode()


def test_a_failed_edit_answers_422_and_writes_nothing(world):
    m = world.county_a_member_m
    before = counts()
    r = world.client_for(world.county_a_office).post(
        edit_url(m), edit_data(m, phone="13711110002", position="standing")
    )
    assert r.status_code == 422
    assert "手机号已被他人使用" in r.content.decode()
    m.refresh_from_db()
    assert (m.position, m.user.phone) == ("member", "13711110001")
    assert counts() == before


def test_the_edit_page_locks_the_profile_of_a_person_managed_elsewhere(world):
    m = _provincial_member_in_county_a(world)
    _education, economy, *_rest = parts(world.county_a)
    client = world.client_for(world.county_a_office)
    html = client.get(edit_url(m)).content.decode()
    assert 'id="profile-locked"' in html
    assert re.search(r'<input[^>]*name="name"[^>]*disabled', html)
    r = client.post(edit_url(m), edit_data(m, name="改名", sector=economy.pk))
    assert r.status_code == 302
    m.refresh_from_db()
    assert (m.user.name, m.sector) == ("省委员甲", economy)  # the seat changed, the name did not
    office = world.client_for(world.general_office).get(edit_url(m)).content.decode()
    assert 'id="profile-locked"' not in office
