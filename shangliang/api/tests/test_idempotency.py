from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from ninja import Router

from shangliang.accounts.models import Membership
from shangliang.api.idempotency import (
    CLAIM_TIMEOUT,
    KEY_TTL,
    idempotency_keys_purge,
    idempotent,
)
from shangliang.api.schemas import MemberDetailOut
from shangliang.api.tests import idem_app
from shangliang.api.tests.schema import ApiClient
from shangliang.core.audit import history_for
from shangliang.core.models import AuditEvent, IdempotencyKey
from shangliang.testing import build_world, make_member

SUSPEND = {"reason": "长期缺席", "date": "2026-12-01"}


def suspend(client: ApiClient, m: Membership, body: object = SUSPEND, key: str | None = "k-1"):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"members/{m.pk}/actions/suspend", body, headers=headers)


# --- on the member action endpoint ----------------------------------------------------------


def test_it_returns_the_first_result_to_a_retried_action(world):
    m = world.county_a_member_m
    client = ApiClient(world.county_a_office)
    first = suspend(client, m)
    assert first.status_code == 200
    assert "Idempotent-Replayed" not in first
    again = suspend(client, m)
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert history_for(m).count() == 1


def test_it_answers_a_retry_without_a_key_with_a_conflict(world):
    m = world.county_a_member_m
    client = ApiClient(world.county_a_office)
    assert suspend(client, m, key=None).status_code == 200
    r = suspend(client, m, key=None)
    assert r.status_code == 409
    assert r.json()["code"] == "conflict"


def test_it_refuses_the_same_key_for_another_request(world):
    m = world.county_a_member_m
    client = ApiClient(world.county_a_office)
    assert suspend(client, m).status_code == 200
    r = suspend(client, m, {**SUSPEND, "reason": "另一个原因"})
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency_key_reused"
    other = make_member(world.county_a, world.terms[world.county_a.pk])
    r = suspend(client, other)  # same key and body, another member
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency_key_reused"
    other.refresh_from_db()
    assert other.status == Membership.Status.ACTIVE


def test_it_compares_json_bodies_by_value(world):
    m = world.county_a_member_m
    client = ApiClient(world.county_a_office)
    assert suspend(client, m).status_code == 200
    raw = '{ "date" : "2026-12-01",\n  "reason": "长期缺席" }'
    r = client.post(f"members/{m.pk}/actions/suspend", raw=raw, headers={"Idempotency-Key": "k-1"})
    assert r.status_code == 200
    assert r["Idempotent-Replayed"] == "true"


def test_it_keeps_keys_per_user(world):
    m = world.county_a_member_m
    assert suspend(ApiClient(world.county_a_office), m).status_code == 200
    r = suspend(ApiClient(world.general_office), m)  # same key, another user: a new request
    assert r.status_code == 409
    assert r.json()["code"] == "conflict"
    assert "Idempotent-Replayed" not in r


def test_it_releases_the_key_of_a_failed_request(world):
    m = world.county_a_member_m
    client = ApiClient(world.county_a_office)
    r = suspend(client, m, {"reason": "", "date": "2026-12-01"})
    assert r.status_code == 422
    assert not IdempotencyKey.objects.exists()
    assert suspend(client, m).status_code == 200  # corrected, same key
    assert IdempotencyKey.objects.get().status_code == 200


def test_it_stores_nothing_for_a_refused_request(world):
    m = world.county_a_member_m
    r = suspend(ApiClient(world.leader), m)
    assert r.status_code == 403
    assert not IdempotencyKey.objects.exists()
    r = suspend(ApiClient(world.county_b_member), m)
    assert r.status_code == 404
    assert not IdempotencyKey.objects.exists()


def test_it_answers_409_while_the_first_request_runs(world):
    m = world.county_a_member_m
    client = ApiClient(world.county_a_office)
    assert suspend(client, m, key="first").status_code == 200
    running = IdempotencyKey.objects.get(key="first")
    IdempotencyKey.objects.filter(pk=running.pk).update(status_code=None, response_body="")
    r = suspend(client, m, key="first")
    assert r.status_code == 409
    assert r.json()["code"] == "idempotency_in_progress"


def test_it_takes_over_an_abandoned_claim(world):
    m = world.county_a_member_m
    client = ApiClient(world.county_a_office)
    IdempotencyKey.objects.create(
        user=world.county_a_office, key="k-1", method="POST", path="/x", request_hash="?"
    )
    IdempotencyKey.objects.update(created_at=timezone.now() - CLAIM_TIMEOUT - dt.timedelta(1))
    r = suspend(client, m)
    assert r.status_code == 200
    assert "Idempotent-Replayed" not in r
    assert IdempotencyKey.objects.get().status_code == 200


def test_it_lets_an_expired_key_be_used_again(world):
    m = world.county_a_member_m
    client = ApiClient(world.county_a_office)
    assert suspend(client, m).status_code == 200
    IdempotencyKey.objects.update(created_at=timezone.now() - KEY_TTL - dt.timedelta(seconds=1))
    assert suspend(client, m).status_code == 409  # run again: the member is suspended now
    assert idempotency_keys_purge() == 0  # the failed run released its fresh claim
    assert not IdempotencyKey.objects.exists()


def test_it_purges_old_keys(world):
    m = world.county_a_member_m
    assert suspend(ApiClient(world.county_a_office), m).status_code == 200
    assert idempotency_keys_purge() == 0
    assert idempotency_keys_purge(now=timezone.now() + KEY_TTL + dt.timedelta(seconds=1)) == 1


@pytest.mark.parametrize("key", ["x" * 129, "has space", "中文", ""])
def test_it_rejects_malformed_keys(world, key):
    m = world.county_a_member_m
    r = ApiClient(world.county_a_office).post(
        f"members/{m.pk}/actions/suspend", SUSPEND, headers={"Idempotency-Key": key}
    )
    assert r.status_code == 422
    assert "Idempotency-Key" in r.json()["fields"]
    assert not history_for(m).exists()


def test_it_insists_on_declared_error_responses():
    router = Router()
    with pytest.raises(TypeError, match="409"):

        @router.post("/x", response={200: MemberDetailOut})
        @idempotent
        def view(request):  # pragma: no cover
            return None


# --- on a creating endpoint (a test-only API) -----------------------------------------------


def notes(user) -> ApiClient:
    return ApiClient(user, target=idem_app.api, prefix="/api/test/")


def created() -> int:
    return AuditEvent.objects.filter(action="test.note_created").count()


@pytest.mark.urls("shangliang.api.tests.idem_app")
def test_it_creates_one_object_for_a_retried_create(world):
    client = notes(world.member)
    first = client.post("notes", {"text": "你好"}, headers={"Idempotency-Key": "n-1"})
    assert first.status_code == 201
    again = client.post("notes", {"text": "你好"}, headers={"Idempotency-Key": "n-1"})
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert created() == 1
    other = client.post("notes", {"text": "你好"}, headers={"Idempotency-Key": "n-2"})
    assert other.json()["id"] != first.json()["id"]
    assert created() == 2
    assert client.post("notes", {"text": "你好"}).status_code == 201  # no key: no protection
    assert created() == 3


@pytest.mark.urls("shangliang.api.tests.idem_app")
def test_it_rolls_back_and_releases_the_key_on_a_crash(world):
    client = notes(world.member)
    r = client.post("notes", {"text": "boom"}, headers={"Idempotency-Key": "n-1"})
    assert r.status_code == 500
    assert r.json()["code"] == "server_error"
    assert created() == 0  # the half-done write was rolled back
    assert not IdempotencyKey.objects.exists()
    r = client.post("notes", {"text": "invalid"}, headers={"Idempotency-Key": "n-1"})
    assert r.status_code == 422
    r = client.post("notes", {"text": "ok"}, headers={"Idempotency-Key": "n-1"})
    assert r.status_code == 201


@pytest.mark.urls("shangliang.api.tests.idem_app")
def test_it_refuses_anonymous_requests_before_claiming_a_key(world):
    r = notes(None).post("notes", {"text": "x"}, headers={"Idempotency-Key": "n-1"})
    assert r.status_code == 401
    assert not IdempotencyKey.objects.exists()


@pytest.mark.urls("shangliang.api.tests.idem_app")
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent requests are a PostgreSQL test"
)
def test_it_answers_409_to_a_concurrent_duplicate():
    world = build_world()
    client = notes(world.member)
    headers = {"Idempotency-Key": "n-1"}
    idem_app.entered.clear()
    idem_app.release.clear()
    results: list[int] = []

    def first() -> None:
        try:
            results.append(client.post("notes", {"text": "slow"}, headers=headers).status_code)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert idem_app.entered.wait(timeout=10)
        r = client.post("notes", {"text": "slow"}, headers=headers)
        assert r.status_code == 409
        assert r.json()["code"] == "idempotency_in_progress"
    finally:
        idem_app.release.set()
        thread.join(timeout=30)
    assert results == [201]
    replay = client.post("notes", {"text": "slow"}, headers=headers)
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert created() == 1
