"""The excellent-nominations API: list, create, detail and actions (checked against the
OpenAPI document)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shangliang.api.tests.schema import ApiClient
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.services.excellent import excellent_nominate
from shangliang.proposals.tests.unit_cast import cast_fixture  # noqa: F401

N = ExcellentNomination.Status


def test_it_runs_a_nomination_through_the_api(cast):
    p = cast.proposal()
    office = ApiClient(cast.office)
    r = office.post("excellent-nominations", {"proposal": p.pk, "reason": "成效显著"})
    assert r.status_code == 201
    body = r.json()
    assert body["state"] == "nominated" and body["proposal"]["id"] == p.pk
    assert body["proposers"] == [
        {"name": "省委员甲", "sector": "教育界"},
        {"name": "第二委员", "sector": "教育界"},
    ]
    assert {a["name"] for a in body["available_actions"]} == {"review", "withdraw"}
    nid = body["id"]
    r = office.post(f"excellent-nominations/{nid}/actions/review", {"decision": "approve"})
    assert r.status_code == 200 and r.json()["state"] == "recommended"
    leader = ApiClient(cast.world.leader)
    r = leader.post(f"excellent-nominations/{nid}/actions/confirm", {"note": "同意"})
    assert r.status_code == 200 and r.json()["state"] == "confirmed"
    r = office.post(f"excellent-nominations/{nid}/actions/publish")
    assert r.status_code == 200 and r.json()["state"] == "published"
    history = r.json()["history"]
    assert [h["action"] for h in history][:2] == [
        "proposals.excellent_nomination.publish",
        "proposals.excellent_nomination.confirm",
    ]


def test_it_answers_errors_in_the_one_format(cast):
    p = cast.proposal()
    office = ApiClient(cast.office)
    assert office.post("excellent-nominations", {"proposal": p.pk, "reason": ""}).status_code == 422
    assert office.post("excellent-nominations", {"proposal": p.pk}).status_code in (400, 422)
    member = ApiClient(cast.world.member)  # sees the proposal, may not nominate it
    assert (
        member.post("excellent-nominations", {"proposal": p.pk, "reason": "好"}).status_code == 403
    )
    county = ApiClient(cast.world.county_a_leader)  # does not see it
    assert (
        county.post("excellent-nominations", {"proposal": p.pk, "reason": "好"}).status_code == 404
    )
    nid = office.post("excellent-nominations", {"proposal": p.pk, "reason": "好"}).json()["id"]
    again = office.post("excellent-nominations", {"proposal": p.pk, "reason": "好"})
    assert again.status_code == 409
    assert county.get(f"excellent-nominations/{nid}").status_code == 404
    assert ApiClient(cast.world.member).get(f"excellent-nominations/{nid}").status_code == 404
    r = office.post(f"excellent-nominations/{nid}/actions/confirm")
    assert r.status_code == 403  # the office does not confirm
    assert office.post(f"excellent-nominations/{nid}/actions/fly").status_code == 404
    r = office.post(f"excellent-nominations/{nid}/actions/review", {"decision": "maybe"})
    assert r.status_code == 422
    r = office.post(f"excellent-nominations/{nid}/actions/review", {"verdict": "approve"})
    assert r.status_code == 422


def test_it_lists_what_the_caller_may_see_in_bounded_queries(cast):
    for i in range(2):
        excellent_nominate(
            actor=cast.office, proposal=cast.proposal(title=f"关于{i}的建议"), reason="好"
        )
    office = ApiClient(cast.office)
    with CaptureQueriesContext(connection) as few:
        office.get("excellent-nominations")
    for i in range(2, 7):
        excellent_nominate(
            actor=cast.office, proposal=cast.proposal(title=f"关于{i}的建议"), reason="好"
        )
    with CaptureQueriesContext(connection) as many:
        r = office.get("excellent-nominations?status=nominated&page_size=50")
    assert r.json()["count"] == 7 and len(many) <= len(few)
    assert ApiClient(cast.world.member).get("excellent-nominations").json()["count"] == 0
    assert ApiClient(cast.world.county_a_leader).get("excellent-nominations").json()["count"] == 0
    r = office.get("excellent-nominations?q=关于3")
    assert [row["proposal"]["title"] for row in r.json()["results"]] == ["关于3的建议"]


def test_it_replays_a_nomination_with_the_same_idempotency_key(cast):
    p = cast.proposal()
    office = ApiClient(cast.office)
    headers = {"Idempotency-Key": "nominate-1"}
    first = office.post(
        "excellent-nominations", {"proposal": p.pk, "reason": "好"}, headers=headers
    )
    second = office.post(
        "excellent-nominations", {"proposal": p.pk, "reason": "好"}, headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert ExcellentNomination.objects.count() == 1
