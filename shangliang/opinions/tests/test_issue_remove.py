"""Taking an item out of an issue (撤出刊期): the service, the issue page and the report's
page. The API is tested in shangliang/api/tests/test_opinion_issue_remove.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shangliang.core.errors import Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.opinions.models import Issue, Opinion, Tally
from shangliang.opinions.services import opinion_act
from shangliang.opinions.services.issues import issue_remove
from shangliang.opinions.tests.cast import Cast

pytestmark = pytest.mark.django_db
S = Opinion.Status


def published(cast: Cast, user: Any = None, issue: int = 1) -> Opinion:
    o = cast.signed(cast.report(user))
    return opinion_act(actor=cast.office, opinion=o, action="publish", series="sqmy", issue=issue)


def three(cast: Cast) -> list[Opinion]:
    return [published(cast), published(cast, cast.informant), published(cast, cast.second.user)]


def order_of(issue: Issue) -> list[tuple[int, int]]:
    return list(
        Opinion.objects.filter(issue=issue).order_by("issue_order").values_list("pk", "issue_order")
    )


def snapshot() -> tuple[list[Any], int, list[Any]]:
    rows = Opinion.objects.order_by("pk").values_list(
        "pk", "status", "issue_id", "issue_order", "updated_at"
    )
    return list(rows), AuditEvent.objects.count(), list(Tally.objects.values_list("pk"))


def adopt(cast: Cast, o: Opinion) -> Opinion:
    return opinion_act(
        actor=cast.office, opinion=o, action="record_adoption", level="province", kind="single"
    )


def instruct(cast: Cast, o: Opinion) -> Opinion:
    return opinion_act(
        actor=cast.office,
        opinion=o,
        action="record_instruction",
        leader_level="province",
        leader="省长",
        text="阅",
        date="2026-03-02",
    )


# --- the service -----------------------------------------------------------------------------


def test_it_takes_the_item_out_and_renumbers_the_rest(cast: Cast) -> None:
    a, b, c = three(cast)
    issue = a.issue
    assert issue is not None
    tally = sorted(Tally.objects.values_list("opinion_id", "kind", "level", "user_id"))

    out = issue_remove(actor=cast.office, issue=issue, opinion_id=b.pk, reason="编错了期")

    assert out.status == S.SIGNED_OFF and out.issue_id is None
    assert out.issue_order == 0 and out.published_at is None
    assert order_of(issue) == [(a.pk, 1), (c.pk, 2)]
    # publication writes no tally (nor duty line): nothing to undo, nothing lost
    assert sorted(Tally.objects.values_list("opinion_id", "kind", "level", "user_id")) == tally
    step = AuditEvent.objects.get(action="opinions.opinion.unpublish")
    assert step.target_id == str(b.pk) and step.actor_id == cast.office.pk
    assert step.data["from"] == S.PUBLISHED and step.data["to"] == S.SIGNED_OFF
    assert step.data["fields"] == {"reason": "编错了期"}
    removed = AuditEvent.objects.get(action="opinions.issue_item_removed")
    assert removed.target_id == str(issue.pk)
    assert removed.data == {"opinion": b.pk, "order": 2, "reason": "编错了期"}


def test_the_report_can_be_published_again_in_another_issue(cast: Cast) -> None:
    a = published(cast)
    assert a.issue is not None
    a = issue_remove(actor=cast.office, issue=a.issue, opinion_id=a.pk, reason="改下一期")
    a = opinion_act(actor=cast.office, opinion=a, action="publish", series="zhuanbao")
    assert a.status == S.PUBLISHED and a.issue is not None and a.issue.series == "zhuanbao"
    assert a.issue_order == 1


def test_the_workflow_step_goes_through_the_same_service(cast: Cast) -> None:
    a, b = published(cast), published(cast, cast.informant)
    a = opinion_act(actor=cast.office, opinion=a, action="unpublish", reason="重复")
    assert a.status == S.SIGNED_OFF
    assert order_of(b.issue) == [(b.pk, 1)]  # type: ignore[arg-type]
    assert AuditEvent.objects.filter(action="opinions.issue_item_removed").count() == 1


def test_it_refuses_a_report_not_in_that_issue_and_writes_nothing(cast: Cast) -> None:
    a = published(cast, issue=1)
    b = published(cast, cast.informant, issue=2)
    signed = cast.signed(cast.report(cast.second.user))
    before = snapshot()
    for other in (b, signed):
        with pytest.raises(Invalid, match="不在本期"):
            issue_remove(actor=cast.office, issue=a.issue, opinion_id=other.pk, reason="错")  # type: ignore[arg-type]
    assert snapshot() == before


@pytest.mark.parametrize(("record", "word"), [(adopt, "采用"), (instruct, "批示")])
def test_it_refuses_an_adopted_or_instructed_item(cast: Cast, record: Any, word: str) -> None:
    a = record(cast, published(cast))
    before = snapshot()
    with pytest.raises(Invalid, match=f"已记录.*{word}.*不能撤出刊期"):
        issue_remove(actor=cast.office, issue=a.issue, opinion_id=a.pk, reason="错")
    assert snapshot() == before


def test_it_asks_for_a_reason(cast: Cast) -> None:
    a = published(cast)
    before = snapshot()
    with pytest.raises(Invalid, match="撤出理由"):
        issue_remove(actor=cast.office, issue=a.issue, opinion_id=a.pk, reason="  ")  # type: ignore[arg-type]
    assert snapshot() == before


def test_only_the_office_that_may_publish_there_may_take_an_item_out(cast: Cast) -> None:
    a = published(cast)
    before = snapshot()
    for user in (cast.world.leader, cast.city_office, cast.world.member):
        with pytest.raises(Forbidden):
            issue_remove(actor=user, issue=a.issue, opinion_id=a.pk, reason="错")  # type: ignore[arg-type]
    assert snapshot() == before


# --- the issue page ----------------------------------------------------------------------------


def test_the_office_takes_an_item_out_on_the_issue_page(cast: Cast) -> None:
    a, b, c = three(cast)
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:issue", args=[a.issue_id])
    page = client.get(url).content.decode()
    assert f'id="issue-remove-{b.pk}"' in page and 'name="reason"' in page
    assert "csrfmiddlewaretoken" in page
    r = client.post(url, {"remove": b.pk, "reason": "与第2期重复"}, follow=True)
    assert r.redirect_chain[-1][0] == url
    body = r.content.decode()
    assert "撤出本期" in body and "回到已签发状态" in body
    assert order_of(a.issue) == [(a.pk, 1), (c.pk, 2)]  # type: ignore[arg-type]
    b.refresh_from_db()
    assert b.status == S.SIGNED_OFF and b.issue_id is None


def test_the_issue_page_shows_a_refusal_and_writes_nothing(cast: Cast) -> None:
    a = adopt(cast, published(cast))
    b = published(cast, cast.informant)
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:issue", args=[a.issue_id])
    page = client.get(url).content.decode()
    assert f'id="issue-held-{a.pk}"' in page and f'id="issue-remove-{a.pk}"' not in page
    before = snapshot()
    r = client.post(url, {"remove": a.pk, "reason": "错"})
    assert r.status_code == 200 and "已记录采用，不能撤出刊期" in r.content.decode()
    r = client.post(url, {"remove": b.pk, "reason": ""})
    assert r.status_code == 200 and "撤出理由" in r.content.decode()
    r = client.post(url, {"remove": "x", "reason": "错"})
    assert r.status_code == 200
    assert snapshot() == before


def test_readers_see_no_button_and_cannot_post(cast: Cast) -> None:
    a = published(cast)
    url = reverse("opinions:issue", args=[a.issue_id])
    leader = cast.world.client_for(cast.world.leader)
    assert 'name="remove"' not in leader.get(url).content.decode()
    assert leader.post(url, {"remove": a.pk, "reason": "错"}).status_code == 404
    other = cast.world.client_for(cast.city_office)
    assert other.post(url, {"remove": a.pk, "reason": "错"}).status_code == 404
    a.refresh_from_db()
    assert a.status == S.PUBLISHED


def test_the_issue_page_takes_a_fixed_number_of_queries(cast: Cast) -> None:
    a = published(cast)
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:issue", args=[a.issue_id])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    adopt(cast, published(cast, cast.informant))
    instruct(cast, published(cast, cast.second.user))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_reports_page_offers_the_step_too(cast: Cast) -> None:
    a = published(cast)
    client = cast.world.client_for(cast.office)
    page = client.get(reverse("opinions:detail", args=[a.pk])).content.decode()
    assert "action-unpublish" in page
    url = reverse("opinions:action", args=[a.pk, "unpublish"])
    r = client.post(url, {"unpublish-reason": "编错"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == S.SIGNED_OFF and a.issue_id is None
    assert AuditEvent.objects.filter(action="opinions.issue_item_removed").count() == 1
