"""The proposal office's services: review outcomes, bulk steps, assignment modes,
settings and supervision."""

from __future__ import annotations

import datetime as dt

import pytest

from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Unit
from shangliang.proposals.models import Assignment, Proposal
from shangliang.proposals.selectors import (
    ProposalFilters,
    merge_targets,
    office_queue,
    queue_by_key,
)
from shangliang.proposals.services.assigning import (
    assign_rows,
    proposal_assign,
    proposals_bulk_assign,
)
from shangliang.proposals.services.drafting import proposal_act
from shangliang.proposals.services.review import proposal_review, proposals_bulk_accept
from shangliang.proposals.services.settings import proposal_settings_update
from shangliang.proposals.services.supervision import supervision_add
from shangliang.proposals.steps import settings_for
from shangliang.proposals.tests.member_office_cast import accepted, office_of, submitted


@pytest.fixture
def office(world):
    return office_of(world)


def test_three_stages_of_acceptance_number_the_proposal(world, office):
    p = submitted(world)
    p = proposal_review(actor=office, proposal=p, outcome="accept", stage=0)
    assert p.status == Proposal.Status.IN_REVIEW and p.review_stage == 1
    p = proposal_review(actor=office, proposal=p, outcome="accept", stage=1)
    p = proposal_review(actor=office, proposal=p, outcome="accept", stage=2)
    assert p.status == Proposal.Status.ACCEPTED and p.number == 1
    q = accepted(world, office, title="关于第二件的建议")
    assert q.number == 2


def test_merge_needs_a_target_of_this_session_in_review_or_accepted(world, office):
    main = submitted(world, title="关于主提案的建议")
    p = submitted(world)
    assert list(merge_targets(proposal=p)) == [main]
    with pytest.raises(Invalid):
        proposal_review(actor=office, proposal=p, outcome="merge")
    p = proposal_review(actor=office, proposal=p, outcome="merge", merge_into=main.pk)
    assert p.status == Proposal.Status.MERGED and p.merged_into == main


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("return", "returned"), ("convert", "converted"), ("reject", "rejected")],
)
def test_the_other_outcomes_need_a_reason(world, office, outcome, status):
    p = submitted(world)
    with pytest.raises(Invalid):
        proposal_review(actor=office, proposal=p, outcome=outcome)
    reason = settings_for(world.province).reject_grounds[-1]
    p = proposal_review(actor=office, proposal=p, outcome=outcome, reason=reason)
    assert p.status == status and p.decision_reason == reason


def test_a_rejection_takes_one_of_the_grounds(world, office):
    p = submitted(world)
    with pytest.raises(Invalid, match="规定的理由"):
        proposal_review(actor=office, proposal=p, outcome="reject", reason="不喜欢")


def test_members_and_other_offices_cannot_review(world, office):
    p = submitted(world)
    for user in (world.member, office_of(world, world.county_a, "a_p_office"), world.leader):
        with pytest.raises(Forbidden):
            proposal_review(actor=user, proposal=p, outcome="accept")


def test_bulk_accept_reports_each_item_with_a_conflict_in_the_middle(world, office):
    first = submitted(world, title="关于第一件的建议")
    middle = submitted(world, title="关于第二件的建议")
    last = submitted(world, title="关于第三件的建议")
    # another officer passes the middle one meanwhile: the page still shows it at stage 0
    proposal_review(actor=office, proposal=middle, outcome="accept", stage=0)
    items = [(first.pk, 0), (middle.pk, 0), (last.pk, 0)]
    results = proposals_bulk_accept(actor=office, org=world.province, items=items)
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].conflict
    stages = dict(Proposal.objects.values_list("pk", "review_stage"))
    assert stages == {first.pk: 1, middle.pk: 1, last.pk: 1}  # the middle one moved once


def test_bulk_accept_reports_a_proposal_that_left_review(world, office):
    p = submitted(world)
    proposal_act(actor=world.member, proposal=p, action="withdraw")
    results = proposals_bulk_accept(actor=office, org=world.province, items=[(p.pk, 0)])
    assert not results[0].ok and results[0].conflict


def test_bulk_accept_ignores_another_committees_ids(world, office):
    results = proposals_bulk_accept(actor=office, org=world.province, items=[(999999, 0)])
    assert not results[0].ok


def test_it_assigns_in_each_mode(world, office):
    transport = Unit.objects.create(org=world.province, name="测试省交通运输厅")
    health = Unit.objects.create(org=world.province, name="测试省卫生健康委")
    sole = accepted(world, office, title="关于独办的建议")
    proposal_assign(
        actor=office, proposal=sole, mode="sole", units=assign_rows("sole", None, [world.unit.pk])
    )
    assert list(sole.assignments.values_list("role", flat=True)) == ["sole"]
    lead_co = accepted(world, office, title="关于主办会办的建议")
    rows = assign_rows("lead_co", transport.pk, [world.unit.pk, health.pk, transport.pk])
    proposal_assign(actor=office, proposal=lead_co, mode="lead_co", units=rows)
    roles = dict(lead_co.assignments.values_list("unit_id", "role"))
    assert roles == {transport.pk: "lead", world.unit.pk: "co", health.pk: "co"}
    split = accepted(world, office, title="关于分办的建议")
    rows = assign_rows("split", None, [world.unit.pk, health.pk])
    split = proposal_assign(actor=office, proposal=split, mode="split", units=rows)
    assert split.status == Proposal.Status.HANDLING
    assert set(split.assignments.values_list("role", flat=True)) == {"split"}


def test_assign_refuses_bad_choices(world, office):
    p = accepted(world, office)
    other = Unit.objects.create(org=world.county_a, name="甲县教育局")
    with pytest.raises(Invalid):
        proposal_assign(
            actor=office, proposal=p, mode="sole", units=assign_rows("sole", None, [other.pk])
        )
    with pytest.raises(Invalid):
        proposal_assign(
            actor=office,
            proposal=p,
            mode="split",
            units=assign_rows("split", None, [world.unit.pk]),
        )
    with pytest.raises(Invalid):
        assign_rows("lead_co", None, [world.unit.pk])
    with pytest.raises(Conflict):
        proposal_assign(
            actor=office, proposal=submitted(world), mode="sole", units=[{"unit": world.unit.pk}]
        )


def test_bulk_assign_gives_many_to_one_unit(world, office):
    a = accepted(world, office, title="关于甲的建议")
    b = accepted(world, office, title="关于乙的建议")
    c = submitted(world, title="关于丙的建议")
    results = proposals_bulk_assign(
        actor=office, org=world.province, ids=[a.pk, b.pk, c.pk], unit=world.unit
    )
    assert [r.ok for r in results] == [True, True, False]
    assert Assignment.objects.filter(unit=world.unit, role="sole").count() == 2
    queue = queue_by_key(["初审", "复审", "终审"], "handling")
    assert (
        office_queue(
            user=office, org=world.province, queue=queue, filters=ProposalFilters()
        ).count()
        == 2
    )


def test_settings_are_updated_with_audit_before_and_after(world, office):
    conf = proposal_settings_update(
        actor=office, org=world.province, categories=["经济", "社会"], reply_months=2
    )
    assert conf.categories == ["经济", "社会"] and conf.reply_months == 2
    event = AuditEvent.objects.get(action="proposals.settings_updated")
    assert event.data["changes"]["reply_months"] == {"before": 3, "after": 2}
    with pytest.raises(Forbidden):
        proposal_settings_update(actor=world.member, org=world.province, reply_months=1)
    with pytest.raises(Invalid):
        proposal_settings_update(actor=office, org=world.province, categories=[])


def test_stages_cannot_shrink_below_a_proposal_in_review(world, office):
    p = submitted(world)
    proposal_review(actor=office, proposal=p, outcome="accept")
    proposal_review(actor=office, proposal=Proposal.objects.get(pk=p.pk), outcome="accept")
    with pytest.raises(Invalid):
        proposal_settings_update(actor=office, org=world.province, review_stages=["初审", "终审"])


def test_leaders_mark_key_and_log_supervision(world, office):
    p = accepted(world, office)
    with pytest.raises(Forbidden):
        proposal_act(actor=office, proposal=p, action="mark_key")
    p = proposal_act(actor=world.leader, proposal=p, action="mark_key")
    p = proposal_act(
        actor=world.leader, proposal=p, action="set_supervisor", supervisor=world.leader.pk
    )
    assert p.is_key and p.supervisor == world.leader
    entry = supervision_add(
        actor=world.leader, proposal=p, date=dt.date(2027, 3, 1), kind="visit", note="走访教育厅"
    )
    assert entry.recorded_by == world.leader
    assert AuditEvent.objects.filter(action="proposals.supervision_added", target_id=p.pk).exists()
    with pytest.raises(Forbidden):
        supervision_add(actor=office, proposal=p, date=dt.date(2027, 3, 1), kind="visit", note="x")
