from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shangliang.accounts.models import User
from shangliang.accounts.people_forms import HONEYPOT_FIELD
from shangliang.accounts.registration import TERMS_VERSION
from shangliang.accounts.tests.helpers import events, is_logged_in

URL = reverse("accounts:register")
GOOD_PASSWORD = "Chun-Mian#2026"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the registration counters live in the cache
    yield
    cache.clear()


def form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "王小明",
        "phone": "13912345678",
        "password": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "accept_terms": "on",
        HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def test_it_shows_the_form_and_the_terms(client, db):
    page = client.get(URL).content.decode()
    for text in ("群众注册", "手机号", "确认密码", "用户服务协议", f'name="{HONEYPOT_FIELD}"'):
        assert text in page
    assert "style=" not in page and "<script>" not in page


def test_it_is_linked_from_the_login_page(client, db):
    assert URL in client.get(reverse("accounts:login")).content.decode()


def test_it_registers_a_public_user_and_logs_them_in(client, db):
    r = client.post(URL, form(phone="+86 139-1234-5678"))
    assert r.status_code == 302 and r["Location"] == reverse("web:home")
    user = User.objects.get(phone="13912345678")
    assert user.is_public and user.username == "u13912345678" and user.name == "王小明"
    assert user.check_password(GOOD_PASSWORD) and not user.must_change_password
    assert is_logged_in(client)
    (event,) = events("accounts.public_registered")
    assert event.actor == user and event.data == {"terms": TERMS_VERSION}
    assert event.ip_address == "127.0.0.1"
    assert GOOD_PASSWORD not in str(event.data)
    assert "注册成功" in client.get(reverse("web:home"), follow=True).content.decode()


def test_it_can_log_in_with_the_phone_afterwards(client, db):
    client.post(URL, form())
    client.post(reverse("accounts:logout"))
    r = client.post(
        reverse("accounts:login"), {"username": "13912345678", "password": GOOD_PASSWORD}
    )
    assert r.status_code == 302 and is_logged_in(client)


def test_it_refuses_a_phone_that_has_an_account(client, world):
    before = User.objects.count()
    r = client.post(URL, form(phone=world.member.phone))
    assert r.status_code == 422
    assert "该手机号已注册" in r.content.decode()
    assert User.objects.count() == before and not is_logged_in(client)
    assert not events("accounts.public_registered")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "密码太短"),
        ("abcdefghijkl", "至少三类"),
        ("Password123", "常见"),
    ],
)
def test_it_refuses_a_weak_password(client, db, password, message):
    r = client.post(URL, form(password=password, password2=password))
    assert r.status_code == 422
    assert message in r.content.decode()
    assert not User.objects.filter(phone="13912345678").exists()


def test_it_refuses_different_passwords(client, db):
    r = client.post(URL, form(password2=GOOD_PASSWORD + "x"))
    assert r.status_code == 422 and "两次输入的密码不一致" in r.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "23912345678", "11 位中国大陆手机号"),
        ("phone", "1391234567", "11 位中国大陆手机号"),
        ("name", "  ", "这个字段是必填项"),
        ("accept_terms", "", "请阅读并同意"),
    ],
)
def test_it_explains_bad_input(client, db, field, value, message):
    data = form(**{field: value})
    if not value:
        data.pop(field)
    r = client.post(URL, data)
    assert r.status_code == 422 and message in r.content.decode()
    assert not User.objects.exists()


def test_it_catches_robots_with_the_honeypot(client, db):
    r = client.post(URL, form(**{HONEYPOT_FIELD: "http://spam.example"}))
    assert r.status_code == 400 and "提交失败" in r.content.decode()
    assert not User.objects.exists() and not is_logged_in(client)


def test_it_limits_registrations_per_address(db, settings):
    settings.REGISTER_RATE_PER_HOUR = 2
    for n in range(2):
        r = Client().post(URL, form(phone=f"1391234567{n}"))
        assert r.status_code == 302
    r = Client().post(URL, form(phone="13912345679"))
    assert r.status_code == 429
    assert "注册过于频繁" in r.content.decode()
    assert not User.objects.filter(phone="13912345679").exists()
    other = Client(REMOTE_ADDR="10.1.2.3").post(URL, form(phone="13912345679"))
    assert other.status_code == 302
    assert User.objects.filter(is_public=True).count() == 3


def test_taken_numbers_count_towards_the_limit(client, world, settings):
    settings.REGISTER_RATE_PER_HOUR = 2
    for _ in range(2):
        assert client.post(URL, form(phone=world.member.phone)).status_code == 422
    assert client.post(URL, form()).status_code == 429
    assert not User.objects.filter(phone="13912345678").exists()


def test_weak_passwords_do_not_use_up_the_allowance(client, db, settings):
    settings.REGISTER_RATE_PER_HOUR = 1
    for _ in range(3):
        assert client.post(URL, form(password="short", password2="short")).status_code == 422
    assert client.post(URL, form()).status_code == 302


def test_a_limit_of_zero_turns_the_limit_off(db, settings):
    settings.REGISTER_RATE_PER_HOUR = 0
    for n in range(3):
        assert Client().post(URL, form(phone=f"1391234567{n}")).status_code == 302


def test_a_logged_in_user_is_sent_home(world):
    r = world.client_for(world.member).get(URL)
    assert r.status_code == 302 and r["Location"] == reverse("web:home")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_registers_on_a_phone(phone):
    from playwright.sync_api import expect

    from conftest import screenshot

    phone.goto(phone.base_url + "/accounts/login/")
    phone.get_by_role("link", name="注册").click()
    expect(phone.get_by_role("heading", name="群众注册")).to_be_visible()
    expect(phone.locator(f"input[name={HONEYPOT_FIELD}]")).not_to_be_in_viewport()
    phone.get_by_label("姓名").fill("王小明")
    phone.get_by_label("手机号").fill("13912345678")
    phone.locator("#id_password").fill(GOOD_PASSWORD)
    phone.get_by_label("确认密码").fill(GOOD_PASSWORD)
    phone.get_by_text("查看《用户服务协议》").click()
    expect(phone.get_by_text("一个手机号只能注册一个账号")).to_be_visible()
    phone.get_by_label("我已阅读并同意《用户服务协议》").check()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "register-phone")
    phone.get_by_role("button", name="注册并登录").click()
    expect(phone.get_by_role("alert")).to_contain_text("注册成功")
    assert User.objects.get(phone="13912345678").is_public
