"""The public portal: replies the proposers agreed to publish and the office approved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shangliang.accounts.models import Membership, Role, User
from shangliang.core.errors import Conflict, Forbidden
from shangliang.core.models import SearchEntry
from shangliang.core.workflow import transition
from shangliang.orgs.models import Unit
from shangliang.proposals import reply_search
from shangliang.proposals.models import Assignment, Cosigner, Proposal
from shangliang.proposals.portal import published_proposals
from shangliang.testing import World, make_member, make_role

LIST = reverse("proposals:portal_list")


@pytest.fixture
def office(world):
    return make_role(world.province, Role.Kind.PROPOSAL_OFFICE, username="p_office")


@pytest.fixture
def second(world):
    term = world.terms[world.province.pk]
    return make_member(world.province, term, username="m2", name="第二委员", phone="13912345678")


def replied(
    world: World,
    office: User,
    second: Membership,
    *,
    title: str = "关于推进县域义务教育优质均衡发展的建议",
    consent: bool = True,
) -> Proposal:
    """A joint proposal taken through the engine up to a reply the office approved."""
    session = world.terms[world.province.pk].sessions.get()
    p = Proposal.objects.create(
        org=world.province,
        session=session,
        kind=Proposal.Kind.JOINT,
        author=world.member_m,
        title=title,
        situation="情况",
        suggestions="建议",
        category="社会",
        publish_consent=consent,
    )
    Cosigner.objects.create(proposal=p, membership=second)
    transition(p, "submit", actor=world.member)
    transition(p, "cosign", actor=second.user)
    for _stage in range(3):
        transition(p, "review", actor=office, outcome="accept")
    transition(p, "assign", actor=office, mode="sole", units=[{"unit": world.unit.pk}])
    a = Assignment.objects.get(proposal=p)
    transition(a, "sign_for", actor=world.unit_user)
    transition(
        a, "record_contact", actor=world.unit_user, date="2027-03-01", way="visit", person="委员"
    )
    transition(
        a, "draft_reply", actor=world.unit_user, result_class="B", text="将建设寄宿制学校三十所"
    )
    transition(a, "approve_reply", actor=office)
    p.refresh_from_db()
    return p


def published(world: World, office: User, second: Membership, **kwargs: Any) -> Proposal:
    p = replied(world, office, second, **kwargs)
    transition(p, "approve_publication", actor=office)
    return p


def test_it_is_not_listed_before_approval_or_without_consent(world, office, second):
    p = replied(world, office, second)
    hidden = replied(world, office, second, title="不同意公开的提案", consent=False)
    assert not published_proposals().exists()
    with pytest.raises(Conflict):  # the proposers did not agree
        transition(hidden, "approve_publication", actor=office)
    Proposal.objects.filter(pk=hidden.pk).update(publish_approved=True)  # never shown anyway
    assert not published_proposals().exists()
    anonymous = Client()
    assert anonymous.get(reverse("proposals:portal_detail", args=[p.pk])).status_code == 404
    assert anonymous.get(reverse("proposals:portal_detail", args=[hidden.pk])).status_code == 404
    assert anonymous.get(reverse("proposals:portal_detail", args=[99999])).status_code == 404


def test_it_is_listed_after_approve_publication_and_anonymous_can_open_it(world, office, second):
    p = published(world, office, second)
    assert p.publish_approved
    assert list(published_proposals()) == [p]
    anonymous = Client()
    listing = anonymous.get(LIST)
    assert listing.status_code == 200
    assert p.title in listing.content.decode()
    page = anonymous.get(reverse("proposals:portal_detail", args=[p.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "将建设寄宿制学校三十所" in html and world.unit.name in html
    assert "正在解决" in html  # the result class's label
    assert "省委员甲" in html and "第二委员" in html


def test_it_shows_no_phone_number_of_any_proposer(world, office, second):
    p = published(world, office, second)
    html = Client().get(reverse("proposals:portal_detail", args=[p.pk])).content.decode()
    for user in (world.member, second.user):
        assert user.phone and user.phone not in html
    assert world.member.workplace not in html
    assert "13912345678" not in Client().get(LIST).content.decode()


def test_it_finds_a_proposal_by_a_word_in_the_reply(world, office, second):
    p = published(world, office, second)
    found = Client().get(LIST, {"q": "寄宿制"}).content.decode()
    assert p.title in found
    missed = Client().get(LIST, {"q": "高速公路"}).content.decode()
    assert p.title not in missed
    assert list(published_proposals(q="寄宿制", org=world.province.pk)) == [p]
    assert not published_proposals(org=world.county_a.pk).exists()


def reply_entry(a: Assignment) -> SearchEntry | None:
    return SearchEntry.objects.filter(kind=reply_search.KIND, object_id=a.pk).first()


def test_it_finds_a_reply_text_through_the_search_index(world, office, second):
    p = published(world, office, second, title="关于校园安全的建议")
    a = Assignment.objects.get(proposal=p)
    entry = reply_entry(a)
    assert entry is not None and entry.org_id == world.province.pk
    assert "寄宿" in entry.tokens.split()
    assert list(published_proposals(q="寄宿制学校")) == [p]
    assert list(published_proposals(q="三十所")) == [p]
    assert list(published_proposals(q="校园")) == [p]  # still the title
    assert not published_proposals(q="寄宿制大学").exists()


def test_it_does_not_find_a_reply_that_is_not_published(world, office, second):
    p = published(world, office, second)
    now = timezone.now()
    dates = {
        "assigned_at": now,
        "sign_due_on": now.date(),
        "first_due_on": now.date() + dt.timedelta(days=90),
        "due_on": now.date() + dt.timedelta(days=90),
    }
    # a co-handler's opinion, even approved, and a reply still being handled
    co = Assignment.objects.create(
        proposal=p,
        unit=Unit.objects.create(org=world.province, name="测试省交通厅"),
        role=Assignment.Role.CO,
        status=Assignment.Status.DONE,
        replied_at=now,
        reply_text="高速公路建设意见",
        **dates,
    )
    split = Assignment.objects.create(
        proposal=p,
        unit=Unit.objects.create(org=world.province, name="测试省财政厅"),
        role=Assignment.Role.SPLIT,
        status=Assignment.Status.IN_AUDIT,
        reply_text="专项资金安排意见",
        **dates,
    )
    assert reply_entry(co) is not None and reply_entry(split) is not None
    assert not published_proposals(q="高速公路").exists()
    assert not published_proposals(q="专项资金").exists()
    # approved (the same conditions as the replies the portal shows): now a hit
    Assignment.objects.filter(pk=split.pk).update(status=Assignment.Status.RATING, replied_at=now)
    assert list(published_proposals(q="专项资金")) == [p]


def test_it_keeps_the_reply_index_in_step_with_saves(world, office, second):
    p = published(world, office, second)
    a = Assignment.objects.get(proposal=p)
    SearchEntry.objects.filter(kind=reply_search.KIND).delete()
    a.save(update_fields=["status"])  # not the text: nothing indexed
    assert reply_entry(a) is None
    a.reply_text = "新建体育场馆十座"
    a.save(update_fields=["reply_text", "updated_at"])
    assert list(published_proposals(q="体育场馆")) == [p]
    assert not published_proposals(q="寄宿制").exists()
    a.reply_text = ""
    a.save()
    assert reply_entry(a) is None


def test_reindex_search_indexes_the_replies(world, office, second):
    p = published(world, office, second)
    SearchEntry.objects.filter(kind=reply_search.KIND).delete()
    assert not published_proposals(q="寄宿制").exists()  # the index drives the query
    call_command("reindex_search", "--kind", reply_search.KIND, stdout=None)
    assert list(published_proposals(q="寄宿制")) == [p]
    call_command("reindex_search", stdout=None)
    assert SearchEntry.objects.filter(kind=reply_search.KIND).count() == 1


def test_it_lets_only_the_office_approve(world, office, second):
    p = replied(world, office, second)
    for someone in (world.member, second.user, world.unit_user):
        with pytest.raises(Forbidden):
            transition(p, "approve_publication", actor=someone)
    assert not published_proposals().exists()


def test_it_hides_a_withdrawn_publication(world, office, second):
    p = published(world, office, second)
    with pytest.raises(Forbidden):
        transition(p, "withdraw_publication", actor=world.member)
    transition(p, "withdraw_publication", actor=office)
    assert not published_proposals().exists()
    assert Client().get(reverse("proposals:portal_detail", args=[p.pk])).status_code == 404


def test_it_lists_with_a_constant_number_of_queries(world, office, second):
    published(world, office, second, title="第一件")
    anonymous = Client()
    anonymous.get(LIST)  # warm up (session, translations)
    with CaptureQueriesContext(connection) as one:
        assert anonymous.get(LIST).status_code == 200
    published(world, office, second, title="第二件")
    published(world, office, second, title="第三件")
    with CaptureQueriesContext(connection) as three:
        html = anonymous.get(LIST).content.decode()
    assert "第三件" in html and "第一件" in html
    assert len(three) == len(one)


def test_it_searches_with_a_constant_number_of_queries(world, office, second):
    published(world, office, second, title="第一件")
    anonymous = Client()
    anonymous.get(LIST, {"q": "寄宿制"})  # warm up (session, translations)
    with CaptureQueriesContext(connection) as one:
        assert anonymous.get(LIST, {"q": "寄宿制"}).status_code == 200
    published(world, office, second, title="第二件")
    published(world, office, second, title="第三件")
    with CaptureQueriesContext(connection) as three:
        html = anonymous.get(LIST, {"q": "寄宿制"}).content.decode()
    assert "第三件" in html and "第一件" in html
    assert len(three) == len(one)


def test_it_is_linked_from_the_landing_page(db):
    assert LIST in Client().get("/").content.decode()


def test_a_search_counts_its_hits_up_to_a_cap(world, office, second, monkeypatch):
    from shangliang.core.paging import CappedPaginator

    p = published(world, office, second)
    html = Client().get(LIST, {"q": "寄宿制"}).content.decode()
    assert "共 1 件" in html and p.title in html
    monkeypatch.setattr(CappedPaginator, "cap", 0)  # more hits than the cap
    html = Client().get(LIST, {"q": "寄宿制"}).content.decode()
    assert "超过 0 件，请缩小检索范围" in html
