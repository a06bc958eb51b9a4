"""优秀提案: nominating, reviewing, the leaders' confirmation, publication, withdrawal and
revocation; the events for the duty ledger; who may take which step."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shangliang.core.errors import Conflict, Forbidden, Invalid, NotFound
from shangliang.core.events import _SUBSCRIBERS
from shangliang.core.models import AuditEvent
from shangliang.core.workflow import transition
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.excellent_selectors import (
    NominationFilters,
    excellent_label,
    nomination_visible,
    nominations_visible_to,
    proposers_public,
    published_excellent,
)
from shangliang.proposals.models import Proposal, ProposalSettings
from shangliang.proposals.services.excellent import (
    excellent_nominate,
    nomination_act,
    nominations_bulk_act,
)
from shangliang.proposals.tests.unit_cast import cast_fixture  # noqa: F401

N = ExcellentNomination.Status


def nominated(cast: Any, **kw: Any) -> ExcellentNomination:
    return excellent_nominate(actor=cast.office, proposal=cast.proposal(**kw), reason="成效显著")


def confirmed(cast: Any) -> ExcellentNomination:
    n = nominated(cast)
    n = nomination_act(actor=cast.office, nomination=n, action="review", decision="approve")
    return nomination_act(actor=cast.world.leader, nomination=n, action="confirm")


@pytest.fixture
def events(monkeypatch):
    """The events announced (recorded instead of queued as tasks)."""
    seen = []

    def record(name, *, obj=None, actor=None, data=None):
        seen.append((name, obj, data))

    monkeypatch.setattr("shangliang.proposals.services.excellent.announce", record)
    return seen


def test_it_takes_a_nomination_through_to_publication(cast, events):
    n = nominated(cast)
    assert n.status == N.NOMINATED and n.org == cast.world.province
    assert AuditEvent.objects.filter(action="proposals.excellent_nominated").count() == 1
    n = nomination_act(
        actor=cast.office, nomination=n, action="review", decision="approve", note="推荐"
    )
    assert n.status == N.RECOMMENDED and n.review_note == "推荐"
    assert excellent_label(n.proposal) == ""
    n = nomination_act(actor=cast.world.leader, nomination=n, action="confirm", note="同意")
    assert n.status == N.CONFIRMED and n.confirmed_at and n.decision_note == "同意"
    assert events == [
        ("proposal.excellent", n, {"proposal_id": n.proposal_id, "nomination_id": n.pk})
    ]
    n = nomination_act(actor=cast.office, nomination=n, action="publish")
    assert n.status == N.PUBLISHED and n.published_at
    assert excellent_label(n.proposal) == "优秀提案"
    assert list(published_excellent()) == [n]
    actions = list(
        AuditEvent.objects.filter(target_id=str(n.pk), target_type="proposals.excellentnomination")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "proposals.excellent_nominated",
        "proposals.excellent_nomination.review",
        "proposals.excellent_nomination.confirm",
        "proposals.excellent_nomination.publish",
    ]


def test_the_duty_ledger_hears_of_it():
    assert _SUBSCRIBERS["proposal.excellent"], "nobody subscribes to proposal.excellent"


def test_it_revokes_a_confirmed_one(cast, events):
    n = confirmed(cast)
    with pytest.raises(Invalid):
        nomination_act(actor=cast.world.leader, nomination=n, action="revoke")  # needs a reason
    n = nomination_act(actor=cast.world.leader, nomination=n, action="revoke", reason="查实抄袭")
    assert n.status == N.REVOKED and n.revoke_reason == "查实抄袭"
    assert [e[0] for e in events] == ["proposal.excellent", "proposal.excellent_revoked"]
    assert events[1][2]["proposal_id"] == n.proposal_id
    again = excellent_nominate(actor=cast.office, proposal=n.proposal, reason="再次提名")
    assert again.status == N.NOMINATED  # a revoked nomination does not block a new one


def test_it_rejects_at_review_only_with_a_reason(cast):
    n = nominated(cast)
    with pytest.raises(Invalid):
        nomination_act(actor=cast.office, nomination=n, action="review", decision="reject")
    n = nomination_act(
        actor=cast.office, nomination=n, action="review", decision="reject", note="成效不明显"
    )
    assert n.status == N.REJECTED


def test_it_lets_the_leaders_review_when_the_committee_says_so(cast):
    n = nominated(cast)
    ProposalSettings.objects.create(org=cast.world.province, excellent_reviewer="leader")
    with pytest.raises(Forbidden):
        nomination_act(actor=cast.office, nomination=n, action="review", decision="approve")
    n = nomination_act(actor=cast.world.leader, nomination=n, action="review", decision="approve")
    assert n.status == N.RECOMMENDED


def test_only_leaders_confirm_and_only_the_office_publishes(cast):
    n = nominated(cast)
    n = nomination_act(actor=cast.office, nomination=n, action="review", decision="approve")
    for outsider in (cast.office, cast.world.county_a_leader, cast.world.member):
        with pytest.raises(Forbidden):
            nomination_act(actor=outsider, nomination=n, action="confirm")
    n = nomination_act(actor=cast.world.leader, nomination=n, action="confirm")
    with pytest.raises(Forbidden):
        nomination_act(actor=cast.world.leader, nomination=n, action="publish")


def test_it_nominates_accepted_proposals_once(cast):
    n = nominated(cast)
    with pytest.raises(Conflict):
        excellent_nominate(actor=cast.world.leader, proposal=n.proposal, reason="又一次")
    with pytest.raises(Invalid):
        excellent_nominate(actor=cast.office, proposal=cast.proposal(), reason="  ")
    draft = Proposal.objects.create(
        org=cast.world.province,
        session=n.session,
        author=cast.world.member_m,
        title="草稿",
    )
    with pytest.raises(Invalid):
        excellent_nominate(actor=cast.office, proposal=draft, reason="好")


def test_it_lets_only_the_office_and_leaders_nominate(cast):
    p = cast.proposal()
    for outsider in (cast.world.member, cast.world.unit_user, cast.world.county_a_leader):
        with pytest.raises(Forbidden):
            excellent_nominate(actor=outsider, proposal=p, reason="好")
    assert excellent_nominate(actor=cast.world.leader, proposal=p, reason="好").pk


def test_it_shows_nominations_to_the_committee_staff_only(cast):
    n = nominated(cast)
    assert list(nominations_visible_to(user=cast.office)) == [n]
    assert list(nominations_visible_to(user=cast.world.leader)) == [n]
    assert list(nominations_visible_to(user=cast.world.admin)) == [n]
    for outsider in (cast.world.member, cast.world.county_a_leader, cast.world.unit_user):
        assert not nominations_visible_to(user=outsider).exists()
        with pytest.raises(NotFound):
            nomination_visible(user=outsider, nomination_id=n.pk)
    number = f"第{n.proposal.number:04d}号"
    found = nominations_visible_to(user=cast.office, filters=NominationFilters(q=number))
    assert list(found) == [n]
    none = nominations_visible_to(user=cast.office, filters=NominationFilters(q="没有这件"))
    assert not none.exists()


def test_it_shows_proposers_by_name_and_sector_only(cast):
    n = nominated(cast)
    n = nomination_visible(user=cast.office, nomination_id=n.pk)
    assert proposers_public(n) == [("省委员甲", "教育界"), ("第二委员", "教育界")]


def test_it_confirms_a_list_and_reports_each(cast):
    ns = [nominated(cast, title=f"关于第{i}件事的建议") for i in range(3)]
    for n in ns[:2]:
        nomination_act(actor=cast.office, nomination=n, action="review", decision="approve")
    results = nominations_bulk_act(
        actor=cast.world.leader,
        org=cast.world.province,
        ids=[n.pk for n in ns] + [99999],
        action="confirm",
    )
    assert [r.ok for r in results] == [True, True, False, False]
    assert ExcellentNomination.objects.filter(status=N.CONFIRMED).count() == 2


def test_it_lists_in_bounded_queries(cast):
    for i in range(3):
        nominated(cast, title=f"关于第{i}件事的建议")
    with CaptureQueriesContext(connection) as few:
        rows = list(nominations_visible_to(user=cast.office))
        [proposers_public(n) for n in rows]
    for i in range(3, 8):
        nominated(cast, title=f"关于第{i}件事的建议")
    with CaptureQueriesContext(connection) as many:
        rows = list(nominations_visible_to(user=cast.office))
        [proposers_public(n) for n in rows]
    assert len(rows) == 8 and len(many) == len(few)


def test_a_concurrent_step_conflicts(cast):
    n = nominated(cast)
    stale = ExcellentNomination.objects.get(pk=n.pk)
    nomination_act(actor=cast.office, nomination=n, action="review", decision="approve")
    with pytest.raises(Conflict):
        transition(stale, "review", actor=cast.office, decision="approve")


def test_it_puts_the_waiting_steps_on_the_home_pages(cast):
    from shangliang.core.todo import todos_for

    n = nominated(cast)
    office = {t.title: t.count for t in todos_for(cast.office)}
    assert office["优秀提案提名待初评"] == 1
    assert "优秀提案待审议确定" not in {t.title for t in todos_for(cast.world.leader)}
    nomination_act(actor=cast.office, nomination=n, action="review", decision="approve")
    leader = {t.title: t.count for t in todos_for(cast.world.leader)}
    assert leader["优秀提案待审议确定"] == 1
    assert not any(t.title == "优秀提案提名待初评" for t in todos_for(cast.office))
    ProposalSettings.objects.create(org=cast.world.province, excellent_reviewer="leader")
    nominated(cast, title="关于另一件事的建议")
    leader = {t.title: t.count for t in todos_for(cast.world.leader)}
    assert leader["优秀提案提名待初评"] == 1
    assert not any(t.title == "优秀提案提名待初评" for t in todos_for(cast.office))
