"""The issue's whole lifecycle through the engine: joint submission, review, lead and
co-handling units, replies, audit, ratings, a second handling, closing."""

from __future__ import annotations

import pytest

from shangliang.accounts.models import Role, UnitUser
from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.workflow import transition
from shangliang.orgs.models import Unit
from shangliang.proposals.models import Assignment, Cosigner, Proposal
from shangliang.testing import UserFactory, make_member, make_role


@pytest.fixture
def cast(world):
    office = make_role(world.province, Role.Kind.PROPOSAL_OFFICE, username="p_office")
    term = world.terms[world.province.pk]
    second = make_member(world.province, term, username="m2", name="第二委员")
    transport = Unit.objects.create(org=world.province, name="测试省交通运输厅")
    transport_user = UserFactory(username="transport")
    UnitUser.objects.create(user=transport_user, unit=transport)
    return {
        "office": office,
        "second": second,
        "edu": world.unit,
        "transport": transport,
        "transport_user": transport_user,
    }


def new_proposal(world, cast) -> Proposal:
    session = world.terms[world.province.pk].sessions.get()
    p = Proposal.objects.create(
        org=world.province,
        session=session,
        kind=Proposal.Kind.JOINT,
        author=world.member_m,
        title="关于推进县域义务教育优质均衡发展的建议",
        situation="情况",
        suggestions="建议",
        category="社会",
    )
    Cosigner.objects.create(proposal=p, membership=cast["second"])
    return p


def test_the_whole_lifecycle(world, cast, django_capture_on_commit_callbacks):
    p = new_proposal(world, cast)
    transition(p, "submit", actor=world.member)
    transition(p, "cosign", actor=cast["second"].user)
    office = cast["office"]
    for _stage in range(3):  # 初审 → 复审 → 终审
        transition(p, "review", actor=office, outcome="accept")
    assert p.status == Proposal.Status.ACCEPTED and p.number == 1
    transition(
        p,
        "assign",
        actor=office,
        mode="lead_co",
        units=[
            {"unit": cast["edu"].pk, "role": "lead"},
            {"unit": cast["transport"].pk, "role": "co"},
        ],
    )
    lead = Assignment.objects.get(proposal=p, role="lead")
    co = Assignment.objects.get(proposal=p, role="co")
    transition(lead, "sign_for", actor=world.unit_user)
    transition(co, "sign_for", actor=cast["transport_user"])
    transition(co, "send_opinion", actor=cast["transport_user"], text="会办意见")
    with pytest.raises(Invalid):  # no contact with the proposer yet
        transition(lead, "draft_reply", actor=world.unit_user, result_class="A", text="答复")
    transition(
        lead,
        "record_contact",
        actor=world.unit_user,
        date="2027-03-01",
        way="visit",
        person="省委员甲",
    )
    transition(lead, "draft_reply", actor=world.unit_user, result_class="B", text="答复正文")
    assert lead.status == Assignment.Status.DRAFTED
    transition(lead, "countersign", actor=cast["transport_user"])
    assert lead.status == Assignment.Status.IN_AUDIT
    transition(lead, "approve_reply", actor=office)
    assert lead.status == Assignment.Status.RATING
    transition(lead, "rate", actor=world.member, rating="dissatisfied", contacted_before_reply=True)
    assert lead.status == Assignment.Status.RATING  # waiting for the cosigner
    transition(
        lead, "rate", actor=cast["second"].user, rating="satisfied", contacted_before_reply=False
    )
    assert lead.status == Assignment.Status.HANDLING and lead.round == 2  # 二次办理
    transition(lead, "draft_reply", actor=world.unit_user, result_class="A", text="再次答复")
    transition(lead, "countersign", actor=cast["transport_user"])
    transition(lead, "approve_reply", actor=office)
    transition(
        lead, "rate", actor=world.member, rating="basically_satisfied", contacted_before_reply=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            lead, "rate", actor=cast["second"].user, rating="satisfied", contacted_before_reply=True
        )
    assert lead.status == Assignment.Status.DONE
    p.refresh_from_db()
    co.refresh_from_db()
    assert co.status == Assignment.Status.DONE
    assert p.status == Proposal.Status.CLOSED


def test_a_unit_cannot_act_on_another_units_assignment(world, cast):
    p = new_proposal(world, cast)
    transition(p, "submit", actor=world.member)
    for _stage in range(3):
        transition(p, "review", actor=cast["office"], outcome="accept")
    transition(p, "assign", actor=cast["office"], mode="sole", units=[{"unit": cast["edu"].pk}])
    a = Assignment.objects.get(proposal=p)
    with pytest.raises(Forbidden):
        transition(a, "sign_for", actor=cast["transport_user"])


def test_a_stale_second_acceptance_conflicts(world, cast):
    p = new_proposal(world, cast)
    transition(p, "submit", actor=world.member)
    stale = Proposal.objects.get(pk=p.pk)
    transition(p, "review", actor=cast["office"], outcome="accept", stage=0)
    with pytest.raises(Conflict):  # the stage moved on meanwhile
        transition(stale, "review", actor=cast["office"], outcome="accept")
    with pytest.raises(Conflict):  # the stage the officer saw is stated and checked
        transition(
            Proposal.objects.get(pk=p.pk), "review", actor=cast["office"], outcome="accept", stage=0
        )
    rejected = Proposal.objects.get(pk=p.pk)
    transition(p, "review", actor=cast["office"], outcome="return", reason="请补充数据")
    with pytest.raises(Conflict):
        transition(rejected, "review", actor=cast["office"], outcome="accept")
