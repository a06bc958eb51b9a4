from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shangliang.accounts.models import ApiToken
from shangliang.api.tests.schema import ApiClient
from shangliang.core.models import AuditEvent
from shangliang.testing import PASSWORD


def login(username: str, password: str = PASSWORD) -> Any:
    return ApiClient().post("auth/token", {"username": username, "password": password})


def test_it_issues_a_token_that_authenticates(world):
    r = login("member")
    assert r.status_code == 200
    body = r.json()
    assert body["expires_at"] > timezone.now().isoformat()
    me = ApiClient(token=body["token"]).get("me")
    assert me.status_code == 200
    assert me.json()["username"] == "member"
    assert AuditEvent.objects.filter(action="accounts.token_issued", actor=world.member).exists()


def test_it_accepts_the_mobile_number(world):
    r = login(world.county_a_member.phone)
    assert r.status_code == 200
    assert ApiClient(token=r.json()["token"]).get("me").json()["username"] == "a_member"


def test_it_rejects_a_wrong_password(world):
    r = login("member", "wrong-password")
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"
    assert "token" not in r.json()
    assert not ApiToken.objects.filter(user=world.member).exists()


def test_it_rejects_an_unknown_user_the_same_way(world):
    r = login("nobody", "wrong-password")
    assert r.status_code == 403
    assert r.json() == login("member", "wrong-password").json()


def test_it_locks_out_after_five_failures(world):
    codes = [login("member", f"wrong{i}").status_code for i in range(5)]
    assert codes == [403, 403, 403, 403, 429]  # the fifth failure locks the account
    r = login("member")  # the right password, too late
    assert r.status_code == 429
    assert r.json()["code"] == "locked_out"
    assert not ApiToken.objects.filter(user=world.member).exists()
    assert login("a_member").status_code == 200  # other accounts are not affected


def test_it_clears_earlier_failures_on_a_successful_login(world):
    for i in range(4):
        assert login("member", f"wrong{i}").status_code == 403
    assert login("member").status_code == 200
    codes = [login("member", f"again{i}").status_code for i in range(5)]
    assert codes == [403, 403, 403, 403, 429]


def test_it_counts_failures_per_account_whatever_name_is_typed(world):
    phone = world.county_a_member.phone
    for ident in ("a_member", " a_member", "a_member ", phone, f" {phone}"):
        login(ident, "wrong")
    assert login("a_member").status_code == 429
    assert login(phone).status_code == 429


def test_it_refuses_an_inactive_user(world):
    world.member.is_active = False
    world.member.save()
    assert login("member").status_code == 403


def test_it_validates_the_body(world):
    client = ApiClient()
    r = client.post("auth/token", {"username": "member"})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid"
    assert "password" in r.json()["fields"]
    r = client.post("auth/token", {"username": "", "password": "x"})
    assert r.status_code == 422 and "username" in r.json()["fields"]
    r = client.post("auth/token", {"username": ["member"], "password": 1})
    assert r.status_code == 422
    assert client.post("auth/token", raw="username=member").status_code == 400
    assert client.post("auth/token", raw='{"username": "member", ').status_code == 400
    r = client.post("auth/token", {"username": "m" * 151, "password": "x"})
    assert r.status_code == 422


def test_it_revokes_the_callers_token(world):
    first = ApiClient(world.member)
    second = ApiClient(world.member)
    r = first.delete("auth/token")
    assert r.status_code == 204
    assert r.content == b""
    assert first.get("me").status_code == 401
    assert second.get("me").status_code == 200  # only the token the request carried
    assert first.delete("auth/token").status_code == 401
    assert AuditEvent.objects.filter(action="accounts.token_revoked").count() == 1


def test_it_needs_a_token_to_revoke(world):
    r = ApiClient().delete("auth/token")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"


def test_it_rejects_bad_tokens(world):
    good = ApiClient(world.member)
    expired = ApiClient(world.leader)
    ApiToken.objects.filter(user=world.leader).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    for client in (
        ApiClient(),
        ApiClient(token="not-a-token"),
        ApiClient(token="x" * 5000),
        expired,
    ):
        r = client.get("me")
        assert r.status_code == 401, client.token
        assert r.json()["code"] == "unauthenticated"
        assert r["WWW-Authenticate"].startswith("Bearer")
    r = ApiClient().get("me", headers={"Authorization": f"Basic {good.token}"})
    assert r.status_code == 401


def test_it_does_not_accept_a_session_cookie(world):
    client = ApiClient()
    client.client.force_login(world.member)
    assert client.get("me").status_code == 401


def test_it_rejects_a_token_of_a_deactivated_user(world):
    client = ApiClient(world.member)
    world.member.is_active = False
    world.member.save()
    assert client.get("me").status_code == 401


def test_it_lists_the_callers_memberships_roles_and_units(world):
    me = ApiClient(world.member).get("me").json()
    assert me["name"] == "省委员甲"
    assert [m["org_id"] for m in me["memberships"]] == [world.province.pk]
    assert me["memberships"][0]["status"] == "active"
    assert me["roles"] == [] and me["units"] == []

    office = ApiClient(world.county_a_office).get("me").json()
    assert office["memberships"] == []
    assert office["roles"] == [
        {
            "org_id": world.county_a.pk,
            "org_name": world.county_a.name,
            "kind": "general_office",
            "label": "办公厅/办公室",
        }
    ]

    unit = ApiClient(world.unit_user).get("me").json()
    assert unit["units"] == [
        {
            "unit_id": world.unit.pk,
            "unit_name": world.unit.name,
            "org_id": world.province.pk,
            "is_manager": False,
        }
    ]
    assert ApiClient(world.public).get("me").json()["memberships"] == []


def test_it_asks_a_two_factor_account_for_its_code(world, client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=world.general_office, name="phone", confirmed=True)
    body = {"username": "office", "password": PASSWORD}
    r = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert r.status_code == 401 and r.json()["code"] == "otp_required"
    r = client.post(
        "/api/v1/auth/token", {**body, "code": "000000"}, content_type="application/json"
    )
    assert r.status_code == 403
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code throttles the device for a moment
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    r = client.post("/api/v1/auth/token", {**body, "code": code}, content_type="application/json")
    assert r.status_code == 200 and r.json()["token"]
