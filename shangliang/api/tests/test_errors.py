"""Every error the API can give, in the one format ``{code, detail, fields?}``."""

from __future__ import annotations

import logging

from django.test import Client

from shangliang.api import orgs_api
from shangliang.api.tests.schema import ApiClient, token_for

ERROR_KEYS = {"code", "detail", "fields"}


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) <= ERROR_KEYS
    assert body["code"] == code
    assert body["detail"]


def test_it_answers_unknown_paths_with_json(world):
    client = ApiClient(world.member)
    for method, path in [
        ("GET", "nope"),
        ("GET", "orgs/1/nope"),
        ("GET", "me/"),  # no redirect to add or strip a slash
        ("POST", "members/1/actions"),
        ("GET", "/api/v1/"),
    ]:
        assert_error(client.request(method, path), 404, "not_found")
    assert_error(client.request("DELETE", "orgs"), 405, "method_not_allowed")


def test_it_answers_a_method_the_path_does_not_take_with_json(world):
    client = ApiClient(world.member)
    r = client.request("GET", "auth/token")
    assert_error(r, 405, "method_not_allowed")
    assert set(r["Allow"].replace(" ", "").split(",")) == {"POST", "DELETE"}
    r = client.request("PUT", f"members/{world.member_m.pk}")
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "GET, PATCH"


def test_it_answers_a_malformed_body_with_400(world):
    r = ApiClient(world.county_a_office).post(
        f"members/{world.county_a_member_m.pk}/actions/suspend", raw="{not json"
    )
    assert_error(r, 400, "bad_request")


def test_it_answers_invalid_input_with_fields(world):
    r = ApiClient().post("auth/token", {"username": "member"})
    assert_error(r, 422, "invalid")
    assert r.json()["fields"] == {"password": ["Field required"]}


def test_it_answers_a_missing_token_with_401(world):
    r = ApiClient().get("me")
    assert_error(r, 401, "unauthenticated")
    assert "fields" not in r.json()


def test_it_writes_chinese_as_utf8(world):
    r = ApiClient().get(f"orgs/{world.county_a.pk}")
    assert "政协甲县委员会".encode() in r.content


def test_it_answers_an_unexpected_failure_with_a_logged_json_500(world, monkeypatch, caplog):
    def broken() -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(orgs_api, "org_tree", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        r = ApiClient().get("orgs")
    assert_error(r, 500, "server_error")
    assert "database on fire" not in r.content.decode()
    assert any(
        rec.exc_info and "database on fire" in str(rec.exc_info[1]) for rec in caplog.records
    )


def test_it_needs_no_csrf_token_for_bearer_requests(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.county_a_office)  # a browser session cookie alongside
    headers = {"Authorization": f"Bearer {token_for(world.county_a_office)}"}
    r = client.post(
        f"/api/v1/members/{world.county_a_member_m.pk}/actions/suspend",
        {"reason": "请假", "date": "2026-12-01"},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 200
    r = client.post("/api/v1/nope", {}, content_type="application/json", headers=headers)
    assert_error(r, 404, "not_found")


def test_an_unknown_docs_path_gets_the_error_format(world):
    assert_error(Client().get("/api/v1/docs/"), 404, "not_found")
