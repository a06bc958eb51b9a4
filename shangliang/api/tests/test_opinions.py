"""The opinion-report API: the issue's "done when" through the API, scoping, the bad inputs
and the error contract. Every response is checked against the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest

from shangliang.api.tests.schema import ApiClient
from shangliang.opinions.models import Adoption, Opinion
from shangliang.opinions.tests.cast import TEXT, Cast, build_cast
from shangliang.testing import World

pytestmark = pytest.mark.django_db
GATES = ("political", "facts", "topic", "content", "wording")


@pytest.fixture
def cast(world: World) -> Cast:
    return build_cast(world)


def names(body: dict[str, Any]) -> list[str]:
    return [a["name"] for a in body["available_actions"]]


def act(client: ApiClient, path: str, action: str, body: dict[str, Any] | None = None) -> Any:
    r = client.post(f"{path}/actions/{action}", body or {})
    assert r.status_code == 200, r.json()
    return r.json()


def sign_off(office: ApiClient, path: str) -> dict[str, Any]:
    act(office, path, "start_editing")
    for gate in GATES:
        act(office, path, "check", {"gate": gate, "passed": True})
    return act(office, path, "sign_off")


def test_the_done_when_path_through_the_api(cast: Cast) -> None:
    member, office = ApiClient(cast.world.member), ApiClient(cast.office)
    r = member.post("opinions", TEXT, headers={"Idempotency-Key": "op-1"})
    assert r.status_code == 201, r.json()
    body = r.json()
    again = member.post("opinions", TEXT, headers={"Idempotency-Key": "op-1"})
    assert again.json()["id"] == body["id"] and Opinion.objects.count() == 1
    path = f"opinions/{body['id']}"
    assert body["state"] == "draft" and body["state_label"] == "草稿"
    assert set(names(body)) == {"submit", "withdraw"}
    body = act(member, path, "submit")
    assert body["state"] == "submitted" and body["submitted_at"]

    body = office.get(path).json()
    assert "start_editing" in names(body) and "submit" not in names(body)
    act(office, path, "start_editing")
    body = act(
        office, path, "edit", {"title": "城区小学放学后托管难亟待破解", "text": "编辑稿正文"}
    )
    assert (
        body["original_title"] == TEXT["title"] and body["title"] == "城区小学放学后托管难亟待破解"
    )
    for gate in GATES:
        body = act(office, path, "check", {"gate": gate, "passed": True, "note": ""})
    assert [c["gate"] for c in body["checks"]] == list(GATES)
    body = act(office, path, "sign_off")
    assert body["state"] == "signed_off"
    body = act(office, path, "publish", {"series": "sqmy", "issue": 3})
    assert body["issue"]["number"] == 3 and body["issue"]["series_name"] == "社情民意信息"
    body = act(office, path, "record_adoption", {"level": "province", "kind": "single"})
    assert body["adoptions"][0]["level_label"] == "省级"
    body = act(
        office,
        path,
        "record_instruction",
        {
            "leader_level": "province",
            "leader": "省委副书记",
            "text": "请研究。",
            "date": "2026-11-02",
        },
    )
    assert body["instructions"][0]["date"] == "2026-11-02"
    assert body["history"][0]["action"] == "opinions.opinion.record_instruction"

    mine = member.get("opinions?mine=true").json()
    assert [o["id"] for o in mine["results"]] == [body["id"]]
    assert mine["results"][0]["state"] == "published"


def test_a_city_report_goes_upward_and_is_adopted_at_both_levels(cast: Cast) -> None:
    city_member, city_office = ApiClient(cast.city_member.user), ApiClient(cast.city_office)
    office = ApiClient(cast.office)
    body = city_member.post("opinions", TEXT).json()
    assert body["org_id"] == cast.world.city.pk
    path = f"opinions/{body['id']}"
    act(city_member, path, "submit")
    sign_off(city_office, path)
    act(city_office, path, "record_adoption", {"level": "city", "kind": "single"})
    body = act(city_office, path, "report_upward")
    assert body["upward"][0]["org_id"] == cast.world.province.pk
    assert "report_upward" not in names(body)
    copy_id = body["upward"][0]["id"]
    assert city_office.get(f"opinions/{copy_id}").status_code == 404  # the province's intake
    copy = office.get(f"opinions/{copy_id}").json()
    assert copy["kind"] == "upward" and copy["source"]["id"] == body["id"]
    assert {h["action"] for h in copy["history"]} >= {"opinions.opinion.submit"}  # its history
    assert copy["reporters"][0]["user_id"] == cast.city_member.user_id
    sign_off(office, f"opinions/{copy_id}")
    act(office, f"opinions/{copy_id}", "record_adoption", {"level": "province", "kind": "single"})
    assert sorted(Adoption.objects.values_list("level", flat=True)) == ["city", "province"]
    refused = city_office.post(f"{path}/actions/report_upward", {})
    assert refused.status_code == 422 and "重复" in refused.json()["detail"]


def test_bad_inputs_get_clear_errors(cast: Cast) -> None:
    member, office = ApiClient(cast.world.member), ApiClient(cast.office)
    r = member.post("opinions", {**TEXT, "situation": "字" * 1600})
    assert r.status_code == 422 and r.json()["code"] == "invalid" and "text" in r.json()["fields"]
    r = member.post("opinions", {**TEXT, "co_reporters": [cast.city_member.user_id]})
    assert r.status_code == 422 and "co_reporters" in r.json()["fields"]
    assert not Opinion.objects.exists()
    r = ApiClient(cast.city_member.user).post("opinions", {**TEXT, "org": cast.world.province.pk})
    assert r.status_code == 403
    body = member.post("opinions", TEXT).json()
    path = f"opinions/{body['id']}"
    act(member, path, "submit")
    act(office, path, "start_editing")
    r = office.post(f"{path}/actions/check", {"gate": "topic", "passed": False})
    assert r.status_code == 422
    act(office, path, "check", {"gate": "topic", "passed": False, "note": "一文两事"})
    r = office.post(f"{path}/actions/sign_off", {})
    assert r.status_code == 422 and "选题关" in r.json()["detail"]
    for gate in GATES:
        act(office, path, "check", {"gate": gate, "passed": True})
    act(office, path, "sign_off")
    r = office.post(f"{path}/actions/record_adoption", {"level": "national", "kind": "single"})
    assert r.status_code == 422 and "未报送到全国" in r.json()["detail"]
    act(office, path, "publish", {"series": "sqmy"})
    r = office.post(f"{path}/actions/publish", {"series": "sqmy"})
    assert r.status_code == 422 and "不能重复编发" in r.json()["detail"]
    r = office.post(f"{path}/actions/publish", {"series": "sqmy", "extra": 1})
    assert r.status_code == 422 and "extra" in r.json()["fields"]
    r = office.post(f"{path}/actions/fly", {})
    assert r.status_code == 404


def test_other_committees_and_strangers_get_404(cast: Cast) -> None:
    member = ApiClient(cast.world.member)
    body = member.post("opinions", TEXT).json()
    path = f"opinions/{body['id']}"
    assert ApiClient(cast.office).get(path).status_code == 404  # a draft: its author's only
    act(member, path, "submit")
    for stranger in (cast.city_office, cast.world.county_a_member, cast.world.unit_user):
        assert ApiClient(stranger).get(path).status_code == 404
        assert ApiClient(stranger).post(f"{path}/actions/start_editing", {}).status_code == 404
    assert ApiClient(cast.world.leader).get(path).status_code == 200
    leader = ApiClient(cast.world.leader).get(path).json()
    assert names(leader) == []
    assert ApiClient(cast.office).get("opinions").json()["count"] == 1
    assert ApiClient(cast.city_office).get("opinions").json()["count"] == 0


def test_a_unit_sees_only_what_was_forwarded_to_it(cast: Cast) -> None:
    member, office = ApiClient(cast.world.member), ApiClient(cast.office)
    path = f"opinions/{member.post('opinions', TEXT).json()['id']}"
    act(member, path, "submit")
    sign_off(office, path)
    unit = ApiClient(cast.world.unit_user)
    assert unit.get(path).status_code == 404
    body = act(office, path, "forward", {"units": [cast.world.unit.pk]})
    assert body["forwardings"][0]["state"] == "to_reply"
    assert unit.get(path).status_code == 200
    assert unit.get("opinions").json()["count"] == 1


def test_a_second_step_on_a_stale_state_is_a_conflict(cast: Cast) -> None:
    member, office = ApiClient(cast.world.member), ApiClient(cast.office)
    path = f"opinions/{member.post('opinions', TEXT).json()['id']}"
    act(member, path, "submit")
    act(office, path, "start_editing")
    r = office.post(f"{path}/actions/start_editing", {})
    assert r.status_code == 409 and r.json()["code"] == "conflict"


def test_similar_reports_are_offered_while_writing(cast: Cast) -> None:
    member = ApiClient(cast.world.member)
    path = f"opinions/{member.post('opinions', TEXT).json()['id']}"
    act(member, path, "submit")
    r = ApiClient(cast.second.user).post(
        "opinions/similar", {"title": "关于小学放学后托管服务的建议", "text": "课后服务 托管"}
    )
    assert r.status_code == 200
    assert r.json() == []  # the first member's report is not visible to the second member
    r = member.post("opinions/similar", {"title": "关于小学放学后托管服务的建议", "text": "托管"})
    assert [s["id"] for s in r.json()] == [int(path.split("/")[1])]


def test_the_list_takes_a_fixed_number_of_queries(cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = ApiClient(cast.office)
    member = ApiClient(cast.world.member)
    act(member, f"opinions/{member.post('opinions', TEXT).json()['id']}", "submit")
    office.get("opinions")
    with CaptureQueriesContext(connection) as one:
        office.get("opinions")
    for _i in range(5):
        act(member, f"opinions/{member.post('opinions', TEXT).json()['id']}", "submit")
    with CaptureQueriesContext(connection) as six:
        r = office.get("opinions")
    assert r.json()["count"] == 6 and len(six) == len(one)
