from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from shangliang.accounts import clock
from shangliang.accounts.tests.helpers import events, is_logged_in, login

MINUTE = 60


@pytest.fixture
def now(monkeypatch):
    """A clock the test moves by hand: ``now.move(seconds)``."""

    class Clock:
        value = 1_800_000_000

        def move(self, seconds):
            self.value += seconds

    fake = Clock()
    monkeypatch.setattr(clock, "now_ts", lambda: fake.value)
    return fake


def session_row(client: Client) -> str:
    data: str = Session.objects.get(session_key=client.session.session_key).session_data
    return data


def test_it_logs_out_after_an_hour_without_a_request(client, world, now):
    login(client, "member")
    now.move(60 * MINUTE + 1)
    r = client.get("/roster/")
    assert r.status_code == 302
    assert r["Location"] == reverse("accounts:login") + "?next=%2Froster%2F"
    assert not is_logged_in(client)
    page = client.get(r["Location"]).content.decode()
    assert "60 分钟未操作" in page


def test_it_keeps_a_session_that_is_in_use(client, world, now):
    login(client, "member")
    for _ in range(5):
        now.move(50 * MINUTE)
        assert client.get("/").status_code == 200
    assert is_logged_in(client)


def test_it_writes_the_session_at_most_once_a_minute(client, world, now):
    login(client, "member")
    client.get("/")
    before = session_row(client)
    now.move(30)
    client.get("/")
    assert session_row(client) == before
    now.move(31)
    client.get("/")
    assert session_row(client) != before


def test_it_follows_the_idle_setting(client, world, now, settings):
    settings.SESSION_IDLE_MINUTES = 10
    login(client, "member")
    now.move(9 * MINUTE)
    assert client.get("/").status_code == 200
    now.move(10 * MINUTE + 1)
    assert client.get("/").status_code == 302
    assert not is_logged_in(client)


def test_it_ends_any_login_after_the_session_age(client, world, now):
    login(client, "member")
    for _ in range(16):  # eight hours of activity every half hour
        now.move(30 * MINUTE)
        assert client.get("/").status_code == 200
    now.move(30 * MINUTE)
    r = client.get("/")
    assert r.status_code == 302 and not is_logged_in(client)
    assert "登录已超过有效期" in client.get(r["Location"]).content.decode()
    (event,) = events("accounts.logout")
    assert event.data == {"reason": "expired"}


def test_it_audits_an_idle_logout(client, world, now):
    login(client, "member")
    now.move(61 * MINUTE)
    client.get("/")
    (event,) = events("accounts.logout")
    assert event.actor == world.member and event.data == {"reason": "idle"}


def test_it_sends_htmx_requests_to_the_login_page(client, world, now):
    login(client, "member")
    now.move(61 * MINUTE)
    r = client.get("/audit/", headers={"HX-Request": "true"})
    assert r.status_code == 204 and r["HX-Redirect"] == reverse("accounts:login")


def test_it_times_out_sessions_opened_elsewhere_too(world, now):
    client = world.client_for(world.member)  # force_login: the login signal stamps the session
    now.move(61 * MINUTE)
    assert client.get("/").status_code == 302
    assert not is_logged_in(client)


def test_it_does_not_touch_anonymous_sessions(client, world, now):
    assert client.get(reverse("accounts:login")).status_code == 200
    now.move(120 * MINUTE)
    assert client.get(reverse("accounts:login")).status_code == 200
