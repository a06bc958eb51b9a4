"""A unit never sees ratings before they are final; the office always does."""

from __future__ import annotations

from django.urls import reverse

from shangliang.core.workflow import transition
from shangliang.proposals.tests.unit_cast import cast_fixture  # noqa: F401
from shangliang.proposals.unit_selectors import ratings_visible_to


def page(cast, user, a) -> str:
    url = reverse("proposals:unit_assignment", args=[a.pk])
    return cast.world.client_for(user).get(url).content.decode()


def test_a_unit_does_not_see_a_rating_while_the_round_is_open(cast):
    a = cast.rating()
    transition(
        a,
        "rate",
        actor=cast.world.member,
        rating="dissatisfied",
        contacted_before_reply=True,
        comment="答非所问",
    )
    assert list(ratings_visible_to(user=cast.world.unit_user, assignment=a)) == []
    html = page(cast, cast.world.unit_user, a)
    assert "不满意" not in html and "答非所问" not in html
    assert "测评结束后显示结果" in html
    assert "满意度测评</span>" not in html  # not even in the history
    office = page(cast, cast.office, a)
    assert "不满意" in office and "答非所问" in office


def test_a_unit_sees_the_ratings_once_done(cast):
    a = cast.rating()
    transition(a, "rate", actor=cast.world.member, rating="satisfied", contacted_before_reply=True)
    transition(
        a, "rate", actor=cast.second.user, rating="basically_satisfied", contacted_before_reply=True
    )
    a.refresh_from_db()
    assert len(ratings_visible_to(user=cast.world.unit_user, assignment=a)) == 2
    html = page(cast, cast.world.unit_user, a)
    assert "基本满意" in html


def test_a_unit_sees_the_first_rounds_ratings_in_the_second_round_only(cast):
    a = cast.rating()
    transition(
        a, "rate", actor=cast.world.member, rating="dissatisfied", contacted_before_reply=True
    )
    transition(a, "rate", actor=cast.second.user, rating="satisfied", contacted_before_reply=True)
    a.refresh_from_db()
    assert a.round == 2
    assert {r.round for r in ratings_visible_to(user=cast.world.unit_user, assignment=a)} == {1}
    transition(a, "draft_reply", actor=cast.world.unit_user, result_class="A", text="再次答复")
    transition(a, "approve_reply", actor=cast.office)
    transition(a, "rate", actor=cast.world.member, rating="satisfied", contacted_before_reply=True)
    seen = ratings_visible_to(user=cast.world.unit_user, assignment=a)
    assert {r.round for r in seen} == {1}
    assert {r.round for r in ratings_visible_to(user=cast.office, assignment=a)} == {1, 2}


def test_a_member_sees_only_their_own_rating(cast):
    a = cast.rating()
    transition(a, "rate", actor=cast.world.member, rating="satisfied", contacted_before_reply=True)
    transition(
        a, "rate", actor=cast.second.user, rating="dissatisfied", contacted_before_reply=False
    )
    mine = ratings_visible_to(user=cast.world.member, assignment=a)
    assert [r.value for r in mine] == ["satisfied"]


def test_a_member_reads_the_reply_only_after_the_audit(cast):
    a = cast.in_audit()
    assert "答复正文" not in page(cast, cast.world.member, a)
    transition(a, "approve_reply", actor=cast.office)
    assert "答复正文" in page(cast, cast.world.member, a)
