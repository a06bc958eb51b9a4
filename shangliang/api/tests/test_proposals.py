"""The proposals API: drafting (create, edit, idempotency, invalid input), reading (list
filters, paging, query counts) and who sees and does what (the World personas)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shangliang.accounts.models import User
from shangliang.api.tests.proposal_cast import (  # noqa: F401
    DRAFT,
    TITLE,
    Cast,
    act,
    cast,
    make_proposal,
)
from shangliang.api.tests.schema import ApiClient
from shangliang.proposals.models import Cosigner, Proposal

S = Proposal.Status
PERSONAS = [
    "member",
    "county_a_member",
    "county_b_member",
    "county_a_office",
    "county_a_leader",
    "general_office",
    "leader",
    "admin",
    "unit_user",
    "public",
]


def user_of(cast: Cast, persona: str) -> User:  # noqa: F811
    return {"office": cast.office, "second": cast.second.user}.get(persona) or getattr(
        cast.world, persona
    )


# --- creating and editing -------------------------------------------------------------------


def test_it_creates_a_draft_in_the_members_committee_and_session(cast):  # noqa: F811
    r = cast.api(cast.world.member).post(
        "proposals", {**DRAFT, "kind": "individual", "suggested_units": [cast.edu.pk]}
    )
    assert r.status_code == 201
    body = r.json()
    p = Proposal.objects.get(pk=body["id"])
    assert (p.org, p.author, p.status) == (cast.world.province, cast.world.member_m, S.DRAFT)
    assert body["suggested_units"] == [{"id": cast.edu.pk, "name": "测试省教育厅"}]
    assert body["history"][0]["action"] == "proposals.draft_created"
    assert body["number"] is None and body["assignments"] == []


def test_a_double_tapped_create_makes_one_proposal(cast):  # noqa: F811
    client = cast.api(cast.world.member)
    headers = {"Idempotency-Key": "3b2f7c1e-tap"}
    first = client.post("proposals", DRAFT | {"cosigners": [cast.second.pk]}, headers=headers)
    again = client.post("proposals", DRAFT | {"cosigners": [cast.second.pk]}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Proposal.objects.count() == 1 and Cosigner.objects.count() == 1
    other = client.post("proposals", DRAFT | {"title": "关于别的事的建议"}, headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "关于" + "很长" * 30 + "的建议"}, "title"),  # over the committee's 50
        ({"title": "长" * 201}, "title"),  # over what the API takes at all
        ({"situation": "情" * 3001}, "situation"),
        ({"kind": "secret"}, "kind"),
        ({"category": "不存在的类别"}, "category"),
        ({"cosigners": [0]}, "cosigners"),
        ({"publish_consent": "yes"}, "publish_consent"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_it_refuses_invalid_drafts(cast, change, field):  # noqa: F811
    r = cast.api(cast.world.member).post("proposals", {**DRAFT, **change})
    assert r.status_code == 422, r.json()
    assert field in r.json()["fields"]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("who", ["self", "county", "unknown"])
def test_it_refuses_a_bad_cosigner(cast, who):  # noqa: F811
    world = cast.world
    ids = {"self": world.member_m.pk, "county": world.county_a_member_m.pk, "unknown": 999999}
    r = cast.api(world.member).post("proposals", {**DRAFT, "cosigners": [ids[who]]})
    assert r.status_code == 422 and "cosigners" in r.json()["fields"]
    assert not Proposal.objects.exists()  # nothing half made


def test_it_refuses_a_unit_of_another_committee(cast):  # noqa: F811
    from shangliang.orgs.models import Unit

    county_unit = Unit.objects.create(org=cast.world.county_a, name="甲县教育局")
    r = cast.api(cast.world.member).post(
        "proposals", {**DRAFT, "suggested_units": [county_unit.pk]}
    )
    assert r.status_code == 422 and "suggested_units" in r.json()["fields"]


@pytest.mark.parametrize("persona", ["office", "unit_user", "public", "general_office"])
def test_only_serving_members_write_proposals(cast, persona):  # noqa: F811
    r = cast.api(user_of(cast, persona)).post("proposals", DRAFT)
    assert r.status_code == 403


def test_it_takes_the_committee_among_several_seats(cast):  # noqa: F811
    world = cast.world
    r = cast.api(world.member).post("proposals", {**DRAFT, "org": world.county_a.pk})
    assert r.status_code == 422 and "org" in r.json()["fields"]
    r = cast.api(world.member).post("proposals", {**DRAFT, "org": world.province.pk})
    assert r.status_code == 201


def test_the_author_edits_a_draft(cast):  # noqa: F811
    member = cast.api(cast.world.member)
    p = member.post("proposals", {**DRAFT, "cosigners": [cast.second.pk]}).json()
    third = cast.world.terms[cast.world.province.pk]
    from shangliang.testing import make_member

    third_m = make_member(cast.world.province, third, username="m3", name="第三委员")
    r = member.patch(
        f"proposals/{p['id']}",
        {"title": "关于推进城乡义务教育均衡发展的建议", "cosigners": [third_m.pk]},
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["title"] == "关于推进城乡义务教育均衡发展的建议"
    assert [c["id"] for c in body["cosigners"]] == [third_m.pk]
    assert member.patch(f"proposals/{p['id']}", {"title": None}).status_code == 422


def test_only_the_author_edits_and_only_a_draft(cast):  # noqa: F811
    member, second = cast.api(cast.world.member), cast.api(cast.second.user)
    p = member.post("proposals", {**DRAFT, "cosigners": [cast.second.pk]}).json()
    path = f"proposals/{p['id']}"
    assert second.patch(path, {"title": "关于别的事的建议"}).status_code == 403
    assert cast.api(cast.world.leader).patch(path, {"analysis": "x"}).status_code == 404
    act(second, path, "cosign")
    act(member, path, "submit")
    r = member.patch(path, {"analysis": "补充"})
    assert r.status_code == 409 and r.json()["code"] == "conflict"


# --- reading --------------------------------------------------------------------------------


def test_the_list_filters_and_pages(cast):  # noqa: F811
    world = cast.world
    make_proposal(cast, title="关于加强农村养老服务的建议", category="社会")
    make_proposal(cast, title="关于优化营商环境的建议", category="经济", kind="individual")
    make_proposal(cast, status=S.DRAFT, title="关于草稿的建议")
    make_proposal(cast, author=cast.second, title="关于第二委员的建议", kind="individual")
    office = cast.api(cast.office)
    assert office.get("proposals").json()["count"] == 3  # not the draft
    assert (
        office.get("proposals?category=经济")
        .json()["results"][0]["title"]
        .endswith("营商环境的建议")
    )
    assert office.get("proposals?q=养老").json()["count"] == 1
    assert office.get("proposals?kind=individual").json()["count"] == 2
    assert office.get("proposals?status=in_review&page_size=2&page=2").json()["results"][0]
    assert office.get("proposals?status=nonsense").status_code == 422
    mine = cast.api(world.member).get("proposals?mine=true").json()
    assert mine["count"] == 3  # two of theirs and the draft; not the second member's alone
    assert cast.api(cast.second.user).get("proposals?mine=true").json()["count"] == 3


def test_the_list_runs_a_fixed_number_of_queries(cast):  # noqa: F811
    office = cast.api(cast.office)
    make_proposal(cast)
    office.get("proposals")  # warm up: token, settings
    with CaptureQueriesContext(connection) as few:
        assert office.get("proposals").json()["count"] == 1
    for i in range(12):
        make_proposal(cast, title=f"关于第{i}件事的建议")
    with CaptureQueriesContext(connection) as many:
        assert len(office.get("proposals").json()["results"]) == 13
    assert len(many.captured_queries) == len(few.captured_queries) <= 8


# --- who sees what and who does what --------------------------------------------------------

READERS = {"member", "leader", "admin", "office", "second"}


@pytest.mark.parametrize("persona", [*PERSONAS, "office", "second"])
def test_it_shows_a_proposal_only_to_those_who_may_see_it(cast, persona):  # noqa: F811
    p = make_proposal(cast)
    draft = make_proposal(cast, status=S.DRAFT, title="关于草稿的建议")
    client = cast.api(user_of(cast, persona))
    seen = client.get(f"proposals/{p.pk}")
    listed = {row["id"] for row in client.get("proposals").json()["results"]}
    if persona in READERS:
        assert seen.status_code == 200 and p.pk in listed
    else:
        assert seen.status_code == 404 and listed == set()
        assert seen.json() == {"code": "not_found", "detail": "对象不存在或您无权查看。"}
    draft_seen = client.get(f"proposals/{draft.pk}").status_code
    assert draft_seen == (200 if persona in {"member", "second"} else 404)
    assert (draft.pk in listed) is (persona in {"member", "second"})


@pytest.mark.parametrize(
    ("persona", "action", "body", "status"),
    [
        ("leader", "withdraw", None, 403),
        ("office", "withdraw", None, 403),
        ("second", "review", {"outcome": "accept"}, 403),
        ("member", "review", {"outcome": "accept"}, 403),
        ("unit_user", "review", {"outcome": "accept"}, 404),  # not assigned to it: not visible
        ("county_a_office", "review", {"outcome": "accept"}, 404),
        ("office", "assign", {"mode": "sole", "units": [{"unit": 1}]}, 409),  # not accepted yet
        ("office", "fly", None, 404),
        ("office", "review", {"outcome": "accept", "extra": 1}, 422),
        ("office", "review", {"outcome": "maybe"}, 422),
        ("office", "review", {"outcome": "reject", "reason": "不喜欢"}, 422),
    ],
)
def test_who_may_take_which_step(cast, persona, action, body, status):  # noqa: F811
    p = make_proposal(cast)
    r = cast.api(user_of(cast, persona)).post(f"proposals/{p.pk}/actions/{action}", body)
    assert r.status_code == status, r.json()
    p.refresh_from_db()
    assert p.status == S.IN_REVIEW and p.review_stage == 0


def test_actions_are_listed_for_the_caller(cast):  # noqa: F811
    p = make_proposal(cast)
    office = cast.api(cast.office).get(f"proposals/{p.pk}").json()
    review = next(a for a in office["available_actions"] if a["name"] == "review")
    assert [f["name"] for f in review["fields"]] == ["outcome", "reason", "merge_into", "stage"]
    assert cast.api(cast.world.leader).get(f"proposals/{p.pk}").json()["available_actions"] == []
    assert [
        a["name"]
        for a in cast.api(cast.world.member).get(f"proposals/{p.pk}").json()["available_actions"]
    ] == ["withdraw"]


def test_a_unit_sees_the_proposals_assigned_to_it(cast):  # noqa: F811
    p = make_proposal(cast, status=S.ACCEPTED, number=7)
    act(
        cast.api(cast.office),
        f"proposals/{p.pk}",
        "assign",
        {"mode": "sole", "units": [{"unit": cast.edu.pk}]},
    )
    edu, transport = cast.api(cast.world.unit_user), cast.api(cast.transport_user)
    assert edu.get(f"proposals/{p.pk}").json()["number"] == 7
    assert [r["id"] for r in edu.get("proposals").json()["results"]] == [p.pk]
    assert transport.get(f"proposals/{p.pk}").status_code == 404
    assert transport.post(f"proposals/{p.pk}/actions/close").status_code == 404
    assert ApiClient().get(f"proposals/{p.pk}").status_code == 401
