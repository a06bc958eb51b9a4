from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from shangliang.accounts import clock, services
from shangliang.accounts.models import User
from shangliang.accounts.tests.helpers import (
    code_for,
    enrolled,
    events,
    is_logged_in,
    login,
    wrong_code,
)
from shangliang.core.errors import Forbidden, Invalid
from shangliang.testing import PASSWORD, World

TOTP = "accounts:totp"
CODE = "accounts:login_otp"


@pytest.fixture
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def submit_code(client: Client, code: str) -> Any:
    return client.post(reverse(CODE), {"code": code})


# --- enrolment ---------------------------------------------------------------------------


def test_it_shows_staff_a_qr_code_and_the_secret(world):
    r = world.client_for(world.general_office).get(reverse(TOTP))
    page = r.content.decode()
    assert r.status_code == 200
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=world.general_office)
    assert not device.confirmed
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert secret and len(secret.group(1).replace(" ", "")) == 32
    assert "<script>" not in page and " style=" not in page


def test_it_keeps_the_same_secret_until_confirmed(world):
    client = world.client_for(world.general_office)
    client.get(reverse(TOTP))
    client.get(reverse(TOTP))
    assert TOTPDevice.objects.filter(user=world.general_office).count() == 1


def test_it_does_not_offer_totp_to_members(world):
    r = world.client_for(world.member).get(reverse(TOTP))
    assert "供工作人员账号使用" in r.content.decode()
    assert not TOTPDevice.objects.exists()
    with pytest.raises(Forbidden):
        services.totp_enrol_start(actor=world.member)


def test_it_enrols_with_a_valid_code(world):
    client = world.client_for(world.general_office)
    client.get(reverse(TOTP))
    device = TOTPDevice.objects.get(user=world.general_office)
    r = client.post(reverse(TOTP), {"code": code_for(device)}, follow=True)
    assert "双重验证已启用" in r.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    (event,) = events("accounts.totp_enabled")
    assert event.actor == world.general_office
    assert client.get("/").status_code == 200  # this session counts as verified


def test_it_rejects_a_wrong_enrolment_code(world):
    client = world.client_for(world.general_office)
    client.get(reverse(TOTP))
    device = TOTPDevice.objects.get(user=world.general_office)
    r = client.post(reverse(TOTP), {"code": wrong_code(device)})
    assert "验证码不正确" in r.content.decode()
    r = client.post(reverse(TOTP), {"code": "12ab"})
    assert "请输入 6 位数字验证码" in r.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and not events("accounts.totp_enabled")


def test_the_enrol_service_rejects_a_wrong_code(world):
    device = services.totp_enrol_start(actor=world.admin)
    with pytest.raises(Invalid):
        services.totp_enrol_confirm(actor=world.admin, code=wrong_code(device))


# --- logging in with a code ---------------------------------------------------------------


def test_it_asks_for_a_code_after_the_password(client, world):
    device = enrolled(world.general_office)
    r = login(client, "office", next="/roster/")
    assert r.status_code == 302 and r["Location"] == reverse(CODE)
    assert not is_logged_in(client)
    assert not events("accounts.login")
    page = client.get(reverse(CODE)).content.decode()
    assert "6 位验证码" in page
    r = submit_code(client, code_for(device))
    assert r.status_code == 302 and r["Location"] == "/roster/"
    assert client.session["_auth_user_id"] == str(world.general_office.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    (event,) = events("accounts.login")
    assert event.data == {"second_factor": "totp"}
    assert client.get("/").status_code == 200


def test_it_logs_in_after_enrolling_with_the_next_code(client, world):
    office = world.client_for(world.general_office)
    office.get(reverse(TOTP))
    device = TOTPDevice.objects.get(user=world.general_office)
    office.post(reverse(TOTP), {"code": code_for(device)})
    login(client, "office")
    device.refresh_from_db()
    submit_code(client, code_for(device, steps_ahead=1))
    assert is_logged_in(client)


def test_it_does_not_accept_a_code_twice(client, world, no_throttle):
    device = enrolled(world.general_office)
    code = code_for(device)
    login(client, "office")
    submit_code(client, code)
    client.post(reverse("accounts:logout"))
    login(client, "office")
    r = submit_code(client, code)
    assert "验证码不正确" in r.content.decode()
    assert not is_logged_in(client)


def test_it_rejects_a_wrong_code_and_audits_it(client, world):
    device = enrolled(world.general_office)
    login(client, "office")
    r = submit_code(client, wrong_code(device))
    assert r.status_code == 200 and "验证码不正确" in r.content.decode()
    assert not is_logged_in(client)
    (event,) = events("accounts.otp_failed")
    assert event.target_id == str(world.general_office.pk)
    assert event.data == {"username": "office", "stage": "otp"}


def test_it_throttles_fast_guesses(client, world):
    device = enrolled(world.general_office)
    login(client, "office")
    submit_code(client, wrong_code(device))
    r = submit_code(client, code_for(device))
    assert "尝试过于频繁" in r.content.decode()
    assert not is_logged_in(client)


def test_wrong_codes_count_towards_the_lockout(client, world, no_throttle):
    device = enrolled(world.general_office)
    login(client, "office", "Wrong#Pass2026")
    login(client, "office")
    for _ in range(3):
        assert submit_code(client, wrong_code(device)).status_code == 200
    r = submit_code(client, wrong_code(device))
    assert r.status_code == 429
    assert submit_code(client, code_for(device)).status_code == 302  # pending login gone
    assert not is_logged_in(client)
    assert login(client, "office").status_code == 429
    (event,) = events("accounts.locked_out")
    assert event.target_id == str(world.general_office.pk)


def test_it_resets_the_failures_after_a_full_login(client, world, no_throttle):
    device = enrolled(world.general_office)
    login(client, "office")
    for _ in range(4):
        submit_code(client, wrong_code(device))
    submit_code(client, code_for(device))
    assert is_logged_in(client)
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert login(client, "office", "Wrong#Pass2026").status_code == 200


def test_a_pending_login_expires(client, world, monkeypatch):
    device = enrolled(world.general_office)
    now = clock.now_ts()
    monkeypatch.setattr(clock, "now_ts", lambda: now)
    login(client, "office")
    monkeypatch.setattr(clock, "now_ts", lambda: now + 301)
    r = submit_code(client, code_for(device))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:login")
    assert not is_logged_in(client)


def test_the_code_page_needs_a_password_first(client, world):
    r = client.get(reverse(CODE))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:login")


def test_a_password_reset_cancels_a_pending_login(client, world):
    device = enrolled(world.general_office)
    login(client, "office")
    services.password_set_temporary(actor=world.admin, user=world.general_office)
    submit_code(client, code_for(device))
    assert not is_logged_in(client)


def test_it_logs_out_a_session_that_never_gave_a_code(world):
    enrolled(world.general_office)
    client = world.client_for(world.general_office)  # e.g. a session from before enrolment
    r = client.get("/roster/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    assert not is_logged_in(client)
    (event,) = events("accounts.logout")
    assert event.data == {"reason": "second_factor"}


# --- turning it off -------------------------------------------------------------------------


def verified_client(world: World, user: User, device: TOTPDevice) -> Client:
    client = world.client_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_it_shows_the_status_and_disables_with_the_password(world):
    device = enrolled(world.general_office)
    client = verified_client(world, world.general_office, device)
    assert "已启用" in client.get(reverse(TOTP)).content.decode()
    r = client.post(reverse("accounts:totp_disable"), {"password": PASSWORD}, follow=True)
    assert "双重验证已停用" in r.content.decode()
    assert not TOTPDevice.objects.filter(user=world.general_office, confirmed=True).exists()
    (event,) = events("accounts.totp_disabled")
    assert event.actor == world.general_office


def test_it_refuses_to_disable_with_a_wrong_password(world):
    device = enrolled(world.general_office)
    client = verified_client(world, world.general_office, device)
    r = client.post(reverse("accounts:totp_disable"), {"password": "Wrong#Pass2026"})
    assert r.status_code == 422 and "密码不正确" in r.content.decode()
    assert TOTPDevice.objects.filter(user=world.general_office, confirmed=True).exists()
    assert events("accounts.reauth_failed")


def test_an_administrator_can_clear_a_lost_device(client, world):
    enrolled(world.general_office)
    admin = world.client_for(world.admin)
    url = reverse("accounts:user_account", args=[world.general_office.pk])
    assert "清除双重验证" in admin.get(url).content.decode()
    admin.post(reverse("accounts:user_totp_reset", args=[world.general_office.pk]))
    assert not TOTPDevice.objects.filter(user=world.general_office).exists()
    (event,) = events("accounts.totp_reset")
    assert event.actor == world.admin and event.org == world.province
    assert login(client, "office").status_code == 302 and is_logged_in(client)


# --- required for staff --------------------------------------------------------------------


def test_it_makes_staff_enrol_when_required(world, settings):
    settings.STAFF_TOTP_REQUIRED = True
    client = world.client_for(world.general_office)
    r = client.get("/")
    assert r.status_code == 302 and r["Location"] == reverse(TOTP)
    page = client.get(reverse(TOTP)).content.decode()
    assert "要求工作人员启用双重验证" in page
    device = TOTPDevice.objects.get(user=world.general_office)
    client.post(reverse(TOTP), {"code": code_for(device)})
    assert client.get("/").status_code == 200


def test_it_leaves_members_alone_when_required(world, settings):
    settings.STAFF_TOTP_REQUIRED = True
    assert world.client_for(world.member).get("/").status_code == 200


def test_it_does_not_require_enrolment_by_default(world):
    assert world.client_for(world.general_office).get("/").status_code == 200
