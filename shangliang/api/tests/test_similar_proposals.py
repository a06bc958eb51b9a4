"""Similar proposals through the API: a saved proposal's, and a title and body being
written; only proposals the caller may see."""

from __future__ import annotations

from typing import Any

from shangliang.api.tests.proposal_cast import Cast, cast, make_proposal  # noqa: F401
from shangliang.proposals.models import Proposal
from shangliang.proposals.tests.similarity_corpus import ORIGINALS, REWRITES


def corpus(cast: Cast, author: Any = None) -> list[Proposal]:  # noqa: F811
    author = author or cast.world.member_m
    return [
        make_proposal(cast, title=t, situation=s, suggestions=g, kind="individual", author=author)
        for t, s, g in ORIGINALS[:12]
    ]


def test_it_lists_similar_proposals_with_scores(cast):  # noqa: F811
    originals = corpus(cast)
    i, title, situation, suggestions = REWRITES[1]
    rewrite = make_proposal(cast, title=title, situation=situation, suggestions=suggestions)
    r = cast.api(cast.office).get(f"proposals/{rewrite.pk}/similar?limit=3")
    assert r.status_code == 200
    body = r.json()
    assert len(body) == 3 and body[0]["id"] == originals[i].pk
    assert body[0]["score"] > 0.5 > body[1]["score"]
    assert set(body[0]) == {"id", "title", "number", "session", "state", "score"}


def test_it_shows_only_what_the_caller_may_see(cast):  # noqa: F811
    originals = corpus(cast, author=cast.second)  # the second member's proposals
    i, title, situation, suggestions = REWRITES[0]
    rewrite = make_proposal(cast, title=title, situation=situation, suggestions=suggestions)
    member = cast.api(cast.world.member)  # wrote the rewrite, cosigns nothing else
    Proposal.objects.filter(pk__in=[p.pk for p in originals]).update(kind="individual")
    from shangliang.proposals.models import Cosigner

    Cosigner.objects.filter(proposal__in=originals).delete()
    assert member.get(f"proposals/{rewrite.pk}/similar").json() == []
    office = cast.api(cast.office).get(f"proposals/{rewrite.pk}/similar").json()
    assert office[0]["id"] == originals[i].pk
    assert cast.api(cast.world.unit_user).get(f"proposals/{rewrite.pk}/similar").status_code == 404


def test_it_finds_proposals_like_a_text_being_written(cast):  # noqa: F811
    originals = corpus(cast)
    text = {
        "title": "关于解决新能源汽车充电难的建议",
        "body": "老旧小区充电桩少，公共充电桩布局不均。",
    }
    member = cast.api(cast.world.member)
    r = member.post("proposals/similar?limit=5", text)
    assert r.status_code == 200 and r.json()[0]["id"] == originals[6].pk
    office = cast.api(cast.office)
    assert office.post("proposals/similar", text).status_code == 422  # which committee?
    found = office.post("proposals/similar", {**text, "org": cast.world.province.pk}).json()
    assert found[0]["id"] == originals[6].pk
    assert member.post("proposals/similar", {"title": "", "body": ""}).json() == []
    assert member.post("proposals/similar", {"title": "x" * 201}).status_code == 422
    assert member.post("proposals/similar", {"org": 999999, "title": "教育"}).status_code == 404
