"""The issue's "done when", entirely through the API: a member drafts a joint proposal with
a second member, the office reviews it through the stages and assigns a lead and a
co-handling unit, the units handle and reply, the office approves, both proposers rate,
one is dissatisfied → a second handling, and the proposal closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shangliang.api.tests.proposal_cast import DRAFT, act, cast  # noqa: F401
from shangliang.proposals.models import Assignment, Proposal


def names(body: dict[str, Any]) -> list[str]:
    return [a["name"] for a in body["available_actions"]]


def test_the_whole_lifecycle_through_the_api(cast, django_capture_on_commit_callbacks):  # noqa: F811
    world = cast.world
    member, second = cast.api(world.member), cast.api(cast.second.user)
    office, edu, transport = cast.api(cast.office), cast.api(world.unit_user), None
    transport = cast.api(cast.transport_user)

    r = member.post(
        "proposals",
        {**DRAFT, "cosigners": [cast.second.pk], "suggested_units": [cast.edu.pk]},
        headers={"Idempotency-Key": "draft-1"},
    )
    assert r.status_code == 201, r.json()
    p = r.json()
    path = f"proposals/{p['id']}"
    assert p["state"] == "draft" and p["session"]["name"] == "政协测试省委员会一次会议"
    assert p["cosigners"] == [
        {
            "id": cast.second.pk,
            "name": "第二委员",
            "status": "invited",
            "status_label": "待确认",
            "responded_at": None,
        }
    ]
    assert {"submit", "withdraw"} <= set(names(p))

    invited = second.get(path).json()
    assert names(invited) == ["cosign", "decline_cosign"]
    act(second, path, "cosign")
    body = act(member, path, "submit")
    assert body["state"] == "in_review" and body["submitted_at"]
    assert body["cosigners"][0]["status"] == "confirmed"

    for stage in range(3):  # 初审 → 复审 → 终审
        body = act(office, path, "review", {"outcome": "accept", "stage": stage})
    assert body["state"] == "accepted" and body["number"] == 1
    assert body["number_label"] == "第0001号"

    units = [{"unit": cast.edu.pk, "role": "lead"}, {"unit": cast.transport.pk, "role": "co"}]
    body = act(office, path, "assign", {"mode": "lead_co", "units": units})
    assert body["state"] == "handling"
    roles = {a["role"]: a for a in body["assignments"]}
    assert roles["lead"]["unit"]["id"] == cast.edu.pk and roles["co"]["state"] == "to_sign"
    lead, co = f"assignments/{roles['lead']['id']}", f"assignments/{roles['co']['id']}"

    inbox = edu.get("assignments").json()
    assert [a["id"] for a in inbox["results"]] == [roles["lead"]["id"]]
    act(edu, lead, "sign_for")
    act(transport, co, "sign_for")
    act(transport, co, "send_opinion", {"text": "同意主办单位意见，配合做好交通保障。"})
    refused = edu.post(f"{lead}/actions/draft_reply", {"result_class": "B", "text": "答复"})
    assert refused.status_code == 422  # no contact with the proposers yet
    contact = {"date": "2027年3月1日", "way": "visit", "person": "省委员甲"}
    body = act(edu, lead, "record_contact", contact)
    assert body["contacts"][0]["date"] == "2027-03-01"
    body = act(edu, lead, "draft_reply", {"result_class": "B", "text": "答复正文"})
    assert body["state"] == "drafted"
    assert act(transport, lead, "countersign")["state"] == "in_audit"
    assert member.get(lead).json()["reply_text"] is None  # not approved yet
    assert act(office, lead, "approve_reply", {"comment": "同意"})["state"] == "rating"
    assert member.get(lead).json()["reply_text"] == "答复正文"

    rate = {"rating": "dissatisfied", "contacted_before_reply": True, "comment": "未解决"}
    body = act(member, lead, "rate", rate)
    assert body["state"] == "rating" and [x["value"] for x in body["ratings"]] == ["dissatisfied"]
    seen_by_unit = edu.get(lead).json()
    assert seen_by_unit["ratings"] == []  # hidden from the unit until final
    assert "proposals.assignment.rate" not in [h["action"] for h in seen_by_unit["history"]]
    assert len(office.get(lead).json()["ratings"]) == 1
    body = act(second, lead, "rate", {"rating": "satisfied", "contacted_before_reply": False})
    assert body["state"] == "handling" and body["round"] == 2  # 二次办理

    assert len(edu.get(lead).json()["ratings"]) == 2  # round 1 is final now
    act(edu, lead, "draft_reply", {"result_class": "A", "text": "再次答复"})
    act(transport, lead, "countersign")
    act(office, lead, "approve_reply")
    act(member, lead, "rate", {"rating": "basically_satisfied", "contacted_before_reply": True})
    with django_capture_on_commit_callbacks(execute=True):
        body = act(second, lead, "rate", {"rating": "satisfied", "contacted_before_reply": True})
    assert body["state"] == "done"

    final = member.get(path).json()
    assert final["state"] == "closed" and final["closed_at"]
    assert {a["state"] for a in final["assignments"]} == {"done"}
    steps = [h["action"].rsplit(".", 1)[-1] for h in final["history"]]
    assert steps[0] == "close" and steps.count("review") == 3 and "submit" in steps
    assert Proposal.objects.get(pk=p["id"]).status == Proposal.Status.CLOSED


def test_a_stale_second_review_conflicts(cast):  # noqa: F811
    world = cast.world
    from shangliang.accounts.models import Role
    from shangliang.testing import make_role

    other = cast.api(make_role(world.province, Role.Kind.PROPOSAL_OFFICE, username="p_office2"))
    office = cast.api(cast.office)
    member = cast.api(world.member)
    p = member.post("proposals", {**DRAFT, "kind": "individual"}).json()
    path = f"proposals/{p['id']}"
    act(member, path, "submit")
    seen = other.get(path).json()["review_stage"]
    act(office, path, "review", {"outcome": "accept", "stage": 0})
    r = other.post(f"{path}/actions/review", {"outcome": "accept", "stage": seen})
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    act(office, path, "review", {"outcome": "return", "reason": "请补充数据", "stage": 1})
    r = other.post(f"{path}/actions/review", {"outcome": "accept"})
    assert r.status_code == 409  # returned meanwhile: no longer in review
    assert member.get(path).json()["state"] == "returned"


def test_a_rating_after_the_window_is_refused(cast):  # noqa: F811
    world = cast.world
    member, office, edu = cast.api(world.member), cast.api(cast.office), cast.api(world.unit_user)
    p = member.post("proposals", {**DRAFT, "kind": "individual"}).json()
    path = f"proposals/{p['id']}"
    act(member, path, "submit")
    for stage in range(3):
        act(office, path, "review", {"outcome": "accept", "stage": stage})
    body = act(office, path, "assign", {"mode": "sole", "units": [{"unit": cast.edu.pk}]})
    a = f"assignments/{body['assignments'][0]['id']}"
    act(edu, a, "sign_for")
    act(edu, a, "record_contact", {"date": "2027-03-01", "way": "phone", "person": "省委员甲"})
    assert act(edu, a, "draft_reply", {"result_class": "A", "text": "答复"})["state"] == "in_audit"
    act(office, a, "approve_reply")
    Assignment.objects.filter(pk=body["assignments"][0]["id"]).update(
        rating_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    r = member.post(f"{a}/actions/rate", {"rating": "satisfied", "contacted_before_reply": True})
    assert r.status_code == 422 and "测评期限已过" in r.json()["detail"]
