from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.accounts import services, staffing
from shangliang.accounts.models import Role, User
from shangliang.accounts.tests.helpers import events, is_logged_in, login
from shangliang.core.errors import Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.testing import UserFactory, make_role


def page_url(org) -> str:
    return reverse("accounts:org_roles", args=[org.pk])


def grant_url(org) -> str:
    return reverse("accounts:org_role_grant", args=[org.pk])


def create_url(org) -> str:
    return reverse("accounts:org_role_create", args=[org.pk])


def revoke_url(role: Role) -> str:
    return reverse("accounts:org_role_revoke", args=[role.org_id, role.pk])


def grant(client, org, ident: str, kind: str, title: str = ""):
    return client.post(
        grant_url(org), {"grant-ident": ident, "grant-kind": kind, "grant-title": title}
    )


@pytest.fixture
def a_admin(world) -> User:
    return make_role(world.county_a, Role.Kind.ADMIN, username="a_admin", name="甲县管理员")


# --- who may open the page ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("admin", "county_a", 200),
        ("admin", "province", 200),
        ("a_admin", "county_a", 200),
        ("a_admin", "county_b", 404),
        ("a_admin", "province", 404),
        ("a_admin", "city", 404),
        ("county_a_office", "county_a", 404),
        ("general_office", "county_a", 404),
        ("leader", "province", 404),
        ("member", "province", 404),
        ("public", "province", 404),
    ],
)
def test_it_opens_only_for_those_who_configure_the_org(world, a_admin, who, where, status):
    user = a_admin if who == "a_admin" else getattr(world, who)
    org = getattr(world, where)
    client = world.client_for(user)
    assert client.get(page_url(org)).status_code == status
    assert client.get(reverse("accounts:org_roles_export", args=[org.pk])).status_code == status


def test_it_opens_for_a_superuser(world):
    root = UserFactory(username="root", is_superuser=True)
    assert world.client_for(root).get(page_url(world.county_b)).status_code == 200


def test_it_needs_a_login(client, world):
    r = client.get(page_url(world.province))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


def test_outsiders_cannot_grant_or_revoke_through_the_pages(world, a_admin):
    client = world.client_for(a_admin)
    assert grant(client, world.county_b, "b_member", Role.Kind.LEADER).status_code == 404
    r = client.post(
        create_url(world.province),
        {"create-name": "张三", "create-phone": "13955550000", "create-kind": "admin"},
    )
    assert r.status_code == 404
    province_role = Role.objects.get(user=world.admin)
    assert client.post(revoke_url(province_role)).status_code == 404
    # the role of another organisation through one's own organisation's URL
    url = reverse("accounts:org_role_revoke", args=[world.county_a.pk, province_role.pk])
    assert client.post(url).status_code == 404
    office = world.client_for(world.county_a_office)
    assert grant(office, world.county_a, "a_member", Role.Kind.ADMIN).status_code == 404
    assert Role.objects.filter(user=world.admin).exists()
    assert not Role.objects.filter(user=world.county_b_member).exists()
    assert not Role.objects.filter(user=world.county_a_member).exists()


# --- the list ------------------------------------------------------------------------------


def test_it_lists_role_holders_by_kind(world, a_admin):
    informant = make_role(world.county_a, Role.Kind.INFORMANT, username="inf", name="信息员甲")
    page = world.client_for(world.admin).get(page_url(world.county_a)).content.decode()
    for label, name in (
        ("特邀信息员", informant.name),
        ("系统管理员", a_admin.name),
        ("办公厅/办公室", world.county_a_office.name),
        ("主席/秘书长", world.county_a_leader.name),
    ):
        section = page.split(f">{label} <span", 1)[1].split("</section>", 1)[0]
        assert name in section
    assert world.admin.phone not in page  # a province role is not a role of the county
    assert "style=" not in page


def test_the_list_takes_the_same_number_of_queries_however_long(world, a_admin):
    client = world.client_for(world.admin)
    client.get(page_url(world.county_a))
    with CaptureQueriesContext(connection) as before:
        assert client.get(page_url(world.county_a)).status_code == 200
    for n in range(10):
        make_role(world.county_a, list(Role.Kind.values)[n % 7], username=f"holder{n}")
    with CaptureQueriesContext(connection) as after:
        page = client.get(page_url(world.county_a)).content.decode()
    assert "holder9" in page
    assert len(after) == len(before)


# --- granting --------------------------------------------------------------------------------


def test_it_grants_a_role_to_an_existing_user_by_phone(world):
    client = world.client_for(world.admin)
    r = grant(client, world.county_a, world.county_a_member.phone, Role.Kind.LEADER, "副主席")
    assert r.status_code == 302
    role = Role.objects.get(user=world.county_a_member, org=world.county_a)
    assert role.kind == Role.Kind.LEADER and role.title == "副主席"
    (event,) = events("accounts.role_granted")
    assert event.actor == world.admin and event.org == world.county_a
    assert event.data == {"user": world.county_a_member.pk, "kind": "leader"}
    page = client.get(page_url(world.county_a)).content.decode()
    assert "已授予" in page and "副主席" in page


def test_it_grants_by_username_and_says_when_the_role_is_held_already(world, a_admin):
    client = world.client_for(a_admin)
    assert grant(client, world.county_a, "a_member", Role.Kind.INFORMANT).status_code == 302
    r = grant(client, world.county_a, "a_member", Role.Kind.INFORMANT)
    assert "已担任" in client.get(r["Location"]).content.decode()
    assert len(events("accounts.role_granted")) == 1


def test_it_explains_an_unknown_user(world):
    r = grant(world.client_for(world.admin), world.county_a, "nobody", Role.Kind.LEADER)
    assert r.status_code == 422 and "未找到用户名或手机号" in r.content.decode()


def test_nobody_grants_themselves_a_role(world, a_admin):
    r = grant(world.client_for(a_admin), world.county_a, "a_admin", Role.Kind.LEADER)
    assert r.status_code == 403 and "不能为自己授予角色" in r.content.decode()
    with pytest.raises(Forbidden):
        services.role_grant(actor=world.admin, user=world.admin, org=world.city, kind="admin")
    assert Role.objects.filter(user=world.admin).count() == 1


def test_granting_needs_the_right_to_configure_the_org(world, a_admin):
    with pytest.raises(Forbidden):
        services.role_grant(
            actor=a_admin, user=world.county_b_member, org=world.county_b, kind="admin"
        )
    with pytest.raises(Forbidden):
        services.role_grant(
            actor=world.county_a_office,
            user=world.county_a_member,
            org=world.county_a,
            kind="admin",
        )
    with pytest.raises(Forbidden):
        services.role_grant(actor=a_admin, user=world.county_a_member, org=world.city, kind="admin")
    role = services.role_grant(
        actor=a_admin, user=world.county_a_member, org=world.county_a, kind="admin"
    )
    assert role.kind == Role.Kind.ADMIN


def test_it_refuses_people_the_admin_does_not_manage(world, a_admin):
    # a provincial member, or the province's office, are out of a county's reach
    for user in (world.member, world.general_office, world.county_b_member):
        r = grant(world.client_for(a_admin), world.county_a, user.username, Role.Kind.INFORMANT)
        assert r.status_code == 403 and "无权管理的组织" in r.content.decode()
    assert not Role.objects.filter(org=world.county_a, kind=Role.Kind.INFORMANT).exists()
    # a registered member of the public belongs to no organisation yet
    assert (
        grant(world.client_for(a_admin), world.county_a, "public", "informant").status_code == 302
    )


def test_it_refuses_an_unknown_kind(world):
    with pytest.raises(Invalid):
        services.role_grant(
            actor=world.admin, user=world.member, org=world.province, kind="emperor"
        )


# --- a new account ---------------------------------------------------------------------------


def test_it_opens_an_account_and_shows_the_temporary_password_once(client, world, a_admin):
    office = world.client_for(a_admin)
    r = office.post(
        create_url(world.county_a),
        {
            "create-name": "李信息",
            "create-phone": "139 5555 0001",
            "create-kind": Role.Kind.INFORMANT,
            "create-title": "特约记者",
        },
    )
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    page = r.content.decode()
    found = re.search(r"data-temporary-password>([^<]+)</code>", page)
    assert found
    temporary = found.group(1)
    assert "只显示这一次" in page and "u13955550001" in page
    user = User.objects.get(phone="13955550001")
    assert user.username == "u13955550001" and user.name == "李信息"
    assert user.must_change_password and user.check_password(temporary) and not user.is_public
    role = Role.objects.get(user=user)
    assert role.org == world.county_a and role.kind == "informant" and role.title == "特约记者"
    assert [e.action for e in AuditEvent.objects.filter(target_id=str(user.pk))] == [
        "accounts.user_created"
    ]
    assert len(events("accounts.role_granted")) == 1
    for e in AuditEvent.objects.all():
        assert temporary not in f"{e.data} {e.target_label}"
    assert temporary not in office.get(page_url(world.county_a)).content.decode()
    assert login(client, "13955550001", temporary).status_code == 302 and is_logged_in(client)
    assert client.get("/")["Location"] == reverse("accounts:password_change")


def test_a_new_account_needs_a_free_phone(world):
    r = world.client_for(world.admin).post(
        create_url(world.county_a),
        {"create-name": "重复", "create-phone": world.member.phone, "create-kind": "leader"},
    )
    assert r.status_code == 422 and "已被其他账号使用" in r.content.decode()
    assert not User.objects.filter(name="重复").exists()
    assert not events("accounts.role_granted")


def test_a_new_account_is_rolled_back_when_the_role_is_refused(world, a_admin):
    with pytest.raises(Forbidden):
        staffing.role_grant_new_account(
            actor=a_admin, org=world.province, kind="admin", name="越级", phone="13955550002"
        )
    assert not User.objects.filter(phone="13955550002").exists()


# --- revoking --------------------------------------------------------------------------------


def test_it_revokes_a_role(world):
    role = Role.objects.get(user=world.county_a_office)
    client = world.client_for(world.admin)
    r = client.post(revoke_url(role))
    assert r.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    (event,) = events("accounts.role_revoked")
    assert event.actor == world.admin and event.org == world.county_a
    assert event.data == {"user": world.county_a_office.pk, "kind": "general_office"}
    assert "已撤销" in client.get(r["Location"]).content.decode()
    assert 'data-confirm="' in client.get(page_url(world.county_a)).content.decode()


def test_it_needs_a_post_to_revoke(world):
    role = Role.objects.get(user=world.county_a_office)
    assert world.client_for(world.admin).get(revoke_url(role)).status_code == 405


def test_an_admin_cannot_revoke_their_own_last_admin_role(world, a_admin):
    own = Role.objects.get(user=a_admin)
    r = world.client_for(a_admin).post(revoke_url(own), follow=True)
    assert "不能撤销您自己仅有的系统管理员角色" in r.content.decode()
    assert Role.objects.filter(pk=own.pk).exists()
    assert not events("accounts.role_revoked")
    # holding another administrator role, it may go
    Role.objects.create(user=a_admin, org=world.county_b, kind=Role.Kind.ADMIN)
    a_admin._sl_role_paths = None
    services.role_revoke(actor=a_admin, role=own)
    assert not Role.objects.filter(pk=own.pk).exists()


def test_revoking_twice_is_a_conflict(world):
    role = Role.objects.get(user=world.county_a_office)
    services.role_revoke(actor=world.admin, role=role)
    from shangliang.core.errors import Conflict

    with pytest.raises(Conflict):
        services.role_revoke(actor=world.admin, role=role)
    assert len(events("accounts.role_revoked")) == 1


# --- export ----------------------------------------------------------------------------------


def test_it_exports_the_role_holders(world, a_admin):
    make_role(world.county_a, Role.Kind.INFORMANT, username="evil", name="=HYPERLINK(1)")
    r = world.client_for(world.admin).get(
        reverse("accounts:org_roles_export", args=[world.county_a.pk])
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("角色", "姓名", "用户名", "手机号")
    names = {row[1] for row in rows[1:]}
    assert {"甲县管理员", "甲县办公室", "甲县主席", "=HYPERLINK(1)"} <= names
    evil = next(c for c in ws["B"] if c.value == "=HYPERLINK(1)")
    assert evil.data_type == "s"
    (event,) = events("accounts.roles_exported")
    assert event.actor == world.admin and event.org == world.county_a
    assert event.data == {"rows": 4}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_grants_and_revokes_in_the_browser(phone):
    from playwright.sync_api import expect

    from conftest import screenshot
    from shangliang.testing import PASSWORD, build_world

    world = build_world()
    phone.goto(phone.base_url + "/accounts/login/")
    phone.get_by_label("用户名或手机号").fill("admin")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.goto(phone.base_url + page_url(world.county_a))
    expect(phone.get_by_role("heading", name=f"角色管理 · {world.county_a.name}")).to_be_visible()
    grant_form = phone.locator("form", has=phone.get_by_role("button", name="授予", exact=True))
    grant_form.get_by_label("用户名或手机号").fill("a_member")
    grant_form.get_by_label("角色").select_option("informant")
    grant_form.get_by_role("button", name="授予").click()
    expect(phone.get_by_role("alert")).to_contain_text("已授予")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "roles-phone")
    phone.once("dialog", lambda dialog: dialog.accept())
    informants = phone.locator("section", has=phone.get_by_role("heading", name="特邀信息员"))
    informants.get_by_role("button", name="撤销").click()
    expect(phone.get_by_role("alert")).to_contain_text("已撤销")
    assert not Role.objects.filter(user=world.county_a_member).exists()
