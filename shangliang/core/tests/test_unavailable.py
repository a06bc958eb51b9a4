"""A database outage answers 503 (HTML page or API JSON) instead of a 500 or a hang."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from shangliang.api.tests.schema import ApiClient


@pytest.fixture
def down(monkeypatch):
    def boom(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    return boom


def test_it_answers_a_page_with_503(world, monkeypatch, down):
    monkeypatch.setattr("shangliang.notifications.views.notifications_of", down)
    response = world.client_for(world.member).get("/notifications/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "系统暂时无法访问" in html and "没有留下半截记录" in html
    assert "<script" not in html


def test_it_answers_the_api_with_json_503(world, monkeypatch, down):
    monkeypatch.setattr("shangliang.api.notifications_api.notifications_of", down)
    response = ApiClient(world.member).get("notifications")  # 503 is in the contract
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"


def test_it_answers_503_when_a_middleware_hits_the_outage(world, monkeypatch, down):
    client = world.client_for(world.member)
    client.raise_request_exception = False
    monkeypatch.setattr("shangliang.accounts.middleware.SessionTimeoutMiddleware._touch", down)
    response = client.get("/notifications/")
    assert response.status_code == 503
    assert "系统暂时无法访问" in response.content.decode()


def test_other_errors_stay_500(world, monkeypatch):
    def bug(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("shangliang.notifications.views.notifications_of", bug)
    client = Client(raise_request_exception=False)
    client.force_login(world.member)
    assert client.get("/notifications/").status_code == 500
