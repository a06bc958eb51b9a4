from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from shangliang.accounts import services
from shangliang.accounts.tests.helpers import events, is_logged_in, login
from shangliang.core.errors import Forbidden

WRONG = "Wrong#Pass2026"


def fail(client: Client, ident: str, times: int) -> list[Any]:
    return [login(client, ident, WRONG) for _ in range(times)]


def test_it_locks_after_five_failures_even_with_the_right_password(client, world):
    responses = fail(client, "member", 4)
    assert all(r.status_code == 200 for r in responses)
    (fifth,) = fail(client, "member", 1)
    assert fifth.status_code == 429
    r = login(client, "member")
    assert r.status_code == 429
    assert "账号已锁定" in r.content.decode() and "15 分钟" in r.content.decode()
    assert not is_logged_in(client)


def test_it_counts_the_username_and_the_phone_of_one_account_together(client, world):
    fail(client, "member", 3)
    fail(client, world.member.phone, 2)
    assert login(client, "member").status_code == 429
    assert login(client, world.member.phone).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"member"}


def test_it_does_not_lock_other_accounts(client, world):
    fail(client, "member", 5)
    r = login(client, "a_member")
    assert r.status_code == 302 and is_logged_in(client)


def test_it_resets_the_counter_after_a_successful_login(client, world):
    fail(client, "member", 4)
    assert login(client, "member").status_code == 302
    client.post(reverse("accounts:logout"))
    responses = fail(client, "member", 4)
    assert all(r.status_code == 200 for r in responses)
    assert login(client, "member").status_code == 302


def test_it_audits_the_lockout_once(client, world):
    fail(client, "member", 5)
    login(client, "member")
    (event,) = events("accounts.locked_out")
    assert event.target_id == str(world.member.pk)
    assert event.data == {"username": "member", "failures": 5}
    failed = events("accounts.login_failed")
    assert len(failed) == 6
    assert failed[-1].data.get("refused") == "locked"
    assert "refused" not in failed[0].data


def test_it_locks_unknown_usernames_too(client, world):
    fail(client, "ghost", 5)
    (event,) = events("accounts.locked_out")
    assert event.target_id == "" and event.target_label == "ghost"


def test_it_unlocks_by_itself_after_the_cool_off(client, world):
    fail(client, "member", 5)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert login(client, "member").status_code == 302


def test_a_refused_attempt_does_not_prolong_the_lockout(client, world):
    fail(client, "member", 5)
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=earlier)
    login(client, "member", WRONG)
    assert AccessAttempt.objects.get().attempt_time == earlier


def test_it_lets_a_manager_unlock_an_account(client, world):
    fail(client, "member", 5)
    cleared = services.account_unlock(actor=world.general_office, user=world.member)
    assert cleared == 1
    assert login(client, "member").status_code == 302
    (event,) = events("accounts.unlocked")
    assert event.actor == world.general_office and event.org == world.province


def test_it_refuses_an_unlock_by_an_outsider(world):
    with pytest.raises(Forbidden):
        services.account_unlock(actor=world.county_a_office, user=world.member)
    assert not events("accounts.unlocked")


def test_it_shows_the_lock_and_an_unlock_button_on_the_account_page(client, world):
    fail(client, "member", 5)
    office = world.client_for(world.general_office)
    page = office.get(reverse("accounts:user_account", args=[world.member.pk])).content.decode()
    assert "已锁定" in page and "解除锁定" in page
    r = office.post(reverse("accounts:user_unlock", args=[world.member.pk]), follow=True)
    assert "已解除" in r.content.decode()
    assert "解除锁定" not in r.content.decode()
    assert login(client, "member").status_code == 302


def test_the_api_gets_json_when_locked(client, world):
    from django.test import RequestFactory

    from shangliang.accounts.views import lockout_response

    r = lockout_response(RequestFactory().post("/api/v1/auth/token"))
    assert r.status_code == 429 and b"locked_out" in r.content
