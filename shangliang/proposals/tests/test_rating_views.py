"""待我测评: members rate replies within the window; after it the rating is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shangliang.core.errors import Invalid
from shangliang.core.workflow import transition
from shangliang.proposals.models import Assignment, Rating
from shangliang.proposals.services.rating import assignment_rate
from shangliang.proposals.tests.unit_cast import cast_fixture, shift  # noqa: F401

RATINGS = "/proposals/unit/ratings/"


def submit(a: Assignment) -> str:
    return reverse("proposals:rating_submit", args=[a.pk])


def test_it_lists_the_replies_waiting_for_the_member(cast):
    a = cast.rating()
    cast.in_audit(title="关于尚在审核的建议")
    html = cast.world.client_for(cast.world.member).get(RATINGS).content.decode()
    assert a.proposal.title in html and "答复正文" in html and "已解决或基本解决" in html
    assert "关于尚在审核的建议" not in html
    assert (
        "目前没有等待您测评的答复"
        in cast.world.client_for(cast.world.county_a_member).get(RATINGS).content.decode()
    )


def test_a_member_rates_a_reply(cast):
    a = cast.rating()
    client = cast.world.client_for(cast.world.member)
    r = client.post(
        submit(a),
        {
            "rate-rating": "basically_satisfied",
            "rate-contacted_before_reply": "yes",
            "rate-comment": "希望加快进度",
        },
    )
    assert r.status_code == 302
    rating = Rating.objects.get(assignment=a)
    assert rating.value == "basically_satisfied" and rating.contacted_before_reply
    assert rating.comment == "希望加快进度"
    assert a.proposal.title not in client.get(RATINGS).content.decode()  # rated this round


def test_the_contact_question_must_be_answered(cast):
    a = cast.rating()
    r = cast.world.client_for(cast.world.member).post(submit(a), {"rate-rating": "satisfied"})
    assert r.status_code == 422
    assert not Rating.objects.exists()


def test_the_last_rating_finishes_the_assignment_and_no(cast):
    a = cast.rating()
    cast.world.client_for(cast.world.member).post(
        submit(a), {"rate-rating": "satisfied", "rate-contacted_before_reply": "no"}
    )
    cast.world.client_for(cast.second.user).post(
        submit(a), {"rate-rating": "satisfied", "rate-contacted_before_reply": "yes"}
    )
    a.refresh_from_db()
    assert a.status == Assignment.Status.DONE
    assert Rating.objects.get(membership=cast.world.member_m).contacted_before_reply is False


def test_a_rating_after_the_window_is_refused_with_a_clear_message(cast):
    a = shift(cast.rating(), rating_due_on=-1)
    client = cast.world.client_for(cast.world.member)
    html = client.get(RATINGS).content.decode()
    assert "测评期限已过" in html and submit(a) not in html
    r = client.post(
        submit(a), {"rate-rating": "satisfied", "rate-contacted_before_reply": "yes"}, follow=True
    )
    assert "测评期限已过" in r.content.decode()
    assert not Rating.objects.exists()
    with pytest.raises(Invalid, match="测评期限已过"):
        assignment_rate(
            actor=cast.world.member, assignment=a, rating="satisfied", contacted_before_reply=True
        )


def test_only_a_proposer_may_rate(cast):
    a = cast.rating()
    for user in (cast.world.county_a_member, cast.world.unit_user, cast.office):
        r = cast.world.client_for(user).post(
            submit(a), {"rate-rating": "satisfied", "rate-contacted_before_reply": "yes"}
        )
        assert r.status_code == 404
    assert not Rating.objects.exists()


def test_a_member_does_not_rate_twice(cast):
    a = cast.rating()
    transition(a, "rate", actor=cast.world.member, rating="satisfied", contacted_before_reply=True)
    r = cast.world.client_for(cast.world.member).post(
        submit(a), {"rate-rating": "dissatisfied", "rate-contacted_before_reply": "yes"}
    )
    assert r.status_code == 404
    assert Rating.objects.get().value == "satisfied"
