from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shangliang.accounts import services
from shangliang.accounts.access import can_manage_user
from shangliang.accounts.models import ApiToken, Role, User
from shangliang.accounts.tests.helpers import events, login
from shangliang.core.errors import Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.testing import PASSWORD, UserFactory, make_role


def page_url(user: User) -> str:
    return reverse("accounts:user_account", args=[user.pk])


def test_it_shows_the_account_to_a_manager(world):
    world.member.last_login = None
    r = world.client_for(world.general_office).get(page_url(world.member))
    page = r.content.decode()
    assert r.status_code == 200
    for text in ("账号管理", "member", world.member.phone, "从未登录", "未锁定", "未启用"):
        assert text in page
    for button in ("重置为临时密码", "停用账号"):
        assert button in page


@pytest.mark.parametrize("who", ["member", "leader", "county_a_office", "unit_user", "public"])
def test_it_hides_the_account_from_non_managers(world, who):
    r = world.client_for(getattr(world, who)).get(page_url(world.county_b_member))
    assert r.status_code == 404


def test_it_answers_404_for_an_unknown_account(world):
    r = world.client_for(world.admin).get(reverse("accounts:user_account", args=[99999]))
    assert r.status_code == 404


def test_it_needs_a_login(client, world):
    r = client.get(page_url(world.member))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


def test_managers_reach_down_the_tree_and_not_sideways(world):
    assert can_manage_user(world.county_a_office, world.county_a_member)
    assert can_manage_user(world.general_office, world.county_a_member)
    assert not can_manage_user(world.county_a_office, world.county_b_member)
    assert not can_manage_user(world.county_a_office, world.member)


def test_managers_reach_unit_users_and_informants(world):
    informant = make_role(world.county_a, Role.Kind.INFORMANT, username="informant")
    assert can_manage_user(world.general_office, world.unit_user)
    assert can_manage_user(world.county_a_office, informant)
    assert not can_manage_user(world.county_a_office, world.unit_user)
    assert not can_manage_user(world.general_office, world.public)


def test_managers_cannot_take_over_staff_above_them_or_administrators(world):
    assert not can_manage_user(world.county_a_office, world.general_office)
    # a province staff member who is also a county member stays out of the county's reach
    from shangliang.accounts.models import Membership

    Membership.objects.create(
        user=world.general_office, org=world.county_a, term=world.terms[world.county_a.pk]
    )
    assert not can_manage_user(world.county_a_office, world.general_office)
    assert can_manage_user(world.admin, world.general_office)
    assert not can_manage_user(world.general_office, world.admin)


def test_only_a_superuser_manages_a_superuser(world):
    root = UserFactory(username="root", is_superuser=True)
    Role.objects.create(user=root, org=world.county_a, kind=Role.Kind.INFORMANT)
    assert not can_manage_user(world.admin, root)
    boss = UserFactory(username="boss", is_superuser=True)
    assert can_manage_user(boss, world.member)
    assert can_manage_user(boss, root)


# --- temporary password -----------------------------------------------------------------


def test_it_shows_a_temporary_password_once(client, world):
    office = world.client_for(world.general_office)
    ApiToken.objects.create(user=world.member, digest="x" * 64, expires_at="2099-01-01T00:00:00Z")
    r = office.post(reverse("accounts:user_password_reset", args=[world.member.pk]))
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    page = r.content.decode()
    found = re.search(r'<code class="fs-4 user-select-all">([^<]+)</code>', page)
    assert found
    temporary = found.group(1)
    assert "只显示这一次" in page
    world.member.refresh_from_db()
    assert world.member.must_change_password
    assert world.member.check_password(temporary)
    assert not ApiToken.objects.filter(user=world.member, revoked=False).exists()
    assert temporary not in office.get(page_url(world.member)).content.decode()
    (event,) = events("accounts.password_reset")
    assert event.actor == world.general_office and event.org == world.province
    assert event.data == {"tokens_revoked": 1, "unlocked": False}
    for e in AuditEvent.objects.all():
        assert temporary not in f"{e.data} {e.target_label}"
    r = login(client, "member", temporary)
    assert r.status_code == 302
    assert client.get("/")["Location"] == reverse("accounts:password_change")


def test_a_temporary_password_passes_the_rules_and_varies(world):
    from django.contrib.auth.password_validation import validate_password

    seen = set()
    for _ in range(20):
        raw = services.password_set_temporary(actor=world.admin, user=world.member)
        validate_password(raw, world.member)
        assert not set(raw) & set("0O1lI")
        seen.add(raw)
    assert len(seen) == 20


def test_a_temporary_password_lifts_a_lockout(client, world):
    for _ in range(5):
        login(client, "member", "Wrong#Pass2026")
    raw = services.password_set_temporary(actor=world.general_office, user=world.member)
    assert login(client, "member", raw).status_code == 302
    assert events("accounts.password_reset")[0].data["unlocked"] is True


def test_it_refuses_a_temporary_password_from_outsiders(world):
    with pytest.raises(Forbidden):
        services.password_set_temporary(actor=world.county_a_office, user=world.member)
    with pytest.raises(Forbidden):
        services.password_set_temporary(actor=world.leader, user=world.member)
    r = world.client_for(world.county_a_office).post(
        reverse("accounts:user_password_reset", args=[world.member.pk])
    )
    assert r.status_code == 404
    world.member.refresh_from_db()
    assert world.member.check_password(PASSWORD) and not world.member.must_change_password


def test_it_refuses_a_temporary_password_for_oneself(world):
    with pytest.raises(Invalid):
        services.password_set_temporary(actor=world.admin, user=world.admin)


def test_a_temporary_password_needs_a_post(world):
    r = world.client_for(world.general_office).get(
        reverse("accounts:user_password_reset", args=[world.member.pk])
    )
    assert r.status_code == 405


# --- disabling and enabling ---------------------------------------------------------------


def test_it_disables_and_enables_an_account(client, world):
    office = world.client_for(world.general_office)
    member_client = world.client_for(world.member)
    url = reverse("accounts:user_set_active", args=[world.member.pk])
    r = office.post(url, {"active": "0"}, follow=True)
    assert "已停用账号" in r.content.decode() and "启用账号" in r.content.decode()
    world.member.refresh_from_db()
    assert not world.member.is_active
    assert not member_client.get("/").wsgi_request.user.is_authenticated
    assert "该账号已停用" in login(client, "member").content.decode()
    office.post(url, {"active": "1"})
    world.member.refresh_from_db()
    assert world.member.is_active
    assert login(client, "member").status_code == 302
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="accounts.user_")] == [
        "accounts.user_activated",
        "accounts.user_deactivated",
    ]


def test_it_refuses_to_disable_ones_own_account(world):
    client = world.client_for(world.admin)
    page = client.get(page_url(world.admin)).content.decode()
    assert "这是您自己的账号" in page and "停用账号" not in page
    with pytest.raises(Invalid):
        services.user_set_active(actor=world.admin, user=world.admin, active=False)


def test_disabling_twice_writes_one_audit_row(world):
    services.user_set_active(actor=world.admin, user=world.member, active=False)
    services.user_set_active(actor=world.admin, user=world.member, active=False)
    assert len(events("accounts.user_deactivated")) == 1


def test_it_lists_the_accounts_history(client, world):
    login(client, "member", "Wrong#Pass2026")
    login(client, "member")
    page = world.client_for(world.general_office).get(page_url(world.member)).content.decode()
    assert "accounts.login_failed" in page and "accounts.login" in page
