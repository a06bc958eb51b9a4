from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shangliang.accounts import services
from shangliang.accounts.tests.helpers import events, is_logged_in, login
from shangliang.testing import PASSWORD

NEW = "Fresh#Start2026"
URL = "accounts:password_change"


def change(client: Client, old: str = PASSWORD, new: str = NEW, new2: str | None = None) -> Any:
    data = {"old_password": old, "new_password": new, "new_password2": new2 or new}
    return client.post(reverse(URL), data)


def test_it_shows_the_rules_on_the_page(world):
    page = world.client_for(world.member).get(reverse(URL)).content.decode()
    assert "至少 10 位" in page and "至少三类" in page


def test_it_rejects_a_wrong_old_password(world):
    client = world.client_for(world.member)
    r = change(client, old="Wrong#Pass2026")
    assert r.status_code == 200 and "原密码不正确" in r.content.decode()
    world.member.refresh_from_db()
    assert world.member.check_password(PASSWORD)
    (event,) = events("accounts.reauth_failed")
    assert event.target_id == str(world.member.pk) and event.data["stage"] == "reauth"


def test_it_locks_and_logs_out_after_repeated_wrong_old_passwords(world):
    client = world.client_for(world.member)
    for _ in range(4):
        assert change(client, old="Wrong#Pass2026").status_code == 200
    r = change(client, old="Wrong#Pass2026")
    assert r.status_code == 429
    assert not is_logged_in(client)
    assert login(client, "member").status_code == 429


def test_it_rejects_mismatched_new_passwords(world):
    r = change(world.client_for(world.member), new2="Other#Start2026")
    assert "两次输入的新密码不一致" in r.content.decode()


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("Ab#12", "密码太短，至少需要 10 个字符"),
        ("abcdefghijkl", "至少三类"),
        ("12345678901", "密码只包含数字"),
        ("Qwerty123456", "这个密码太常见了"),
        ("Member#2026", "太相似了"),
        ("Password123", "这个密码太常见了"),
    ],
)
def test_it_rejects_weak_passwords_with_chinese_messages(world, weak, message):
    r = change(world.client_for(world.member), new=weak)
    assert message in r.content.decode()
    world.member.refresh_from_db()
    assert world.member.check_password(PASSWORD)


def test_it_rejects_a_password_like_the_phone_number(world):
    r = change(world.client_for(world.member), new=f"x{world.member.phone}#A")
    assert "密码跟 手机号 太相似了" in r.content.decode()


def test_it_rejects_the_same_password(world):
    r = change(world.client_for(world.member), new=PASSWORD)
    assert "新密码不能与原密码相同" in r.content.decode()


def test_it_changes_the_password_and_keeps_the_session(world):
    client = world.client_for(world.member)
    r = change(client)
    assert r.status_code == 302 and r["Location"] == reverse("web:home")
    world.member.refresh_from_db()
    assert world.member.check_password(NEW)
    assert client.get(reverse("accounts:profile")).status_code == 200
    (event,) = events("accounts.password_changed")
    assert event.actor == world.member


def test_it_ends_the_users_other_sessions(world):
    other = world.client_for(world.member)
    change(world.client_for(world.member))
    r = other.get(reverse("accounts:profile"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


def test_it_needs_a_login(client, world):
    r = client.get(reverse(URL))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


def test_it_forces_a_temporary_password_to_be_changed_on_every_page(client, world):
    temporary = services.password_set_temporary(actor=world.general_office, user=world.member)
    r = login(client, "member", temporary)
    assert r.status_code == 302
    for path in ("/", reverse("accounts:profile"), "/roster/", reverse("accounts:totp")):
        r = client.get(path)
        assert r.status_code == 302 and r["Location"] == reverse(URL), path
    page = client.get(reverse(URL)).content.decode()
    assert "临时密码" in page
    r = change(client, old=temporary)
    assert r.status_code == 302
    world.member.refresh_from_db()
    assert not world.member.must_change_password
    assert client.get("/").status_code == 200


def test_it_lets_a_user_with_a_temporary_password_log_out(client, world):
    services.password_set_temporary(actor=world.general_office, user=world.member)
    client.force_login(world.member)
    r = client.post(reverse("accounts:logout"))
    assert r.status_code == 302 and not is_logged_in(client)


def test_it_redirects_htmx_requests_with_a_header(world):
    world.member.must_change_password = True
    world.member.save()
    r = world.client_for(world.member).get("/", headers={"HX-Request": "true"})
    assert r.status_code == 204 and r["HX-Redirect"] == reverse(URL)
