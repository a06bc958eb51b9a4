from __future__ import annotations

from django.urls import reverse

from shangliang.accounts.tests.helpers import events, is_logged_in, login
from shangliang.core.models import AuditEvent
from shangliang.testing import PASSWORD, UserFactory


def test_it_shows_the_login_page(client, world):
    r = client.get(reverse("accounts:login"))
    assert r.status_code == 200
    assert "用户名或手机号" in r.content.decode()


def test_it_logs_in_by_username(client, world):
    r = login(client, "member")
    assert r.status_code == 302 and r["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(world.member.pk)


def test_it_logs_in_by_phone(client, world):
    r = login(client, "13711110001")
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(world.county_a_member.pk)


def test_it_accepts_a_phone_typed_with_spaces_and_country_code(client, world):
    login(client, "+86 137-1111-0001")
    assert client.session["_auth_user_id"] == str(world.county_a_member.pk)


def test_it_prefers_the_username_over_another_accounts_phone(client, world):
    tricky = UserFactory(username="13711110001", name="用户名像手机号")
    login(client, "13711110001")
    assert client.session["_auth_user_id"] == str(tricky.pk)


def test_it_rejects_a_wrong_password_with_a_chinese_message(client, world):
    r = login(client, "member", "Wrong#Pass2026")
    assert r.status_code == 200
    assert "用户名（手机号）或密码不正确" in r.content.decode()
    assert not is_logged_in(client)


def test_it_warns_when_the_lockout_is_near(client, world):
    for _ in range(2):
        r = login(client, "member", "Wrong#Pass2026")
        assert "再输错" not in r.content.decode()
    r = login(client, "member", "Wrong#Pass2026")
    assert "再输错 2 次，账号将被锁定" in r.content.decode()


def test_it_tells_an_inactive_user_only_when_the_password_is_right(client, world):
    world.member.is_active = False
    world.member.save()
    r = login(client, "member", "Wrong#Pass2026")
    assert "已停用" not in r.content.decode()
    r = login(client, "member")
    assert "该账号已停用" in r.content.decode()
    assert not is_logged_in(client)


def test_it_redirects_to_next_on_this_site_only(client, world):
    r = login(client, "member", next="/roster/")
    assert r["Location"] == "/roster/"
    client.post(reverse("accounts:logout"))
    r = login(client, "member", next="https://evil.example/")
    assert r["Location"] == reverse("web:home")


def test_it_sends_the_admin_login_page_to_ours(client, world):
    r = client.get("/admin/login/?next=/admin/")
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("accounts:login") + "?next=")


def test_it_audits_login_and_logout(client, world):
    login(client, "member")
    (event,) = events("accounts.login")
    assert event.actor == world.member and event.target_id == str(world.member.pk)
    assert event.ip_address == "127.0.0.1" and event.request_id
    client.post(reverse("accounts:logout"))
    (event,) = events("accounts.logout")
    assert event.actor == world.member


def test_it_audits_a_failed_login_of_a_known_account(client, world):
    phone = world.member.phone
    login(client, phone, "Wrong#Pass2026")
    (event,) = events("accounts.login_failed")
    assert event.actor is None
    assert event.target_id == str(world.member.pk)
    assert event.target_label == phone
    assert event.data == {"username": phone}


def test_it_audits_a_failed_login_of_an_unknown_username(client, world):
    typed = "nobody-" + "x" * 143  # 150 characters, the form's maximum
    login(client, typed, "Wrong#Pass2026")
    (event,) = events("accounts.login_failed")
    assert event.target_id == "" and event.target_label == typed
    assert event.data["username"] == typed


def test_it_truncates_a_long_identifier_in_the_audit(client, world):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/api/v1/auth/token")
    authenticate(request, username="y" * 500, password="Wrong#Pass2026")
    (event,) = events("accounts.login_failed")
    assert event.target_label == "y" * 150


def test_it_never_writes_a_password_to_the_audit_trail(client, world):
    secret = "Very#Secret2026"
    login(client, "member", secret)
    login(client, "ghost", secret)
    login(client, "member")
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": secret, "new_password2": secret},
    )
    client.post(reverse("accounts:logout"))
    login(client, "member", secret)
    assert AuditEvent.objects.count() >= 6
    for event in AuditEvent.objects.all():
        blob = f"{event.data} {event.target_label} {event.actor_label}"
        assert secret not in blob and PASSWORD not in blob
