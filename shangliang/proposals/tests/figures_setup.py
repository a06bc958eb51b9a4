"""A small, fully known set of proposals for the figures tests, moved through the engine.

Session one of the province (every number below is asserted somewhere):

====  ===========  ==========  ===========================================================
p     category     author      what happens
====  ===========  ==========  ===========================================================
p1    社会         member      joint with ``second``; sole 教育厅, replied on time, both rate 满意
p2    经济         second      sole 交通厅, replied late, rated 基本满意
p3    经济         member      split 教育厅 + 交通厅: 教育厅 replied on time, 交通厅 overdue
p4    社会         member      lead 教育厅 (not replied yet) + co 卫健委
p5    社会         member      sole 卫健委: 不满意 → 二次办理 → replied on time → 不满意
p6    文化         member      accepted, not assigned yet
p7    社会         member      merged into p6
p8    社会         member      converted to an opinion
p9    其他         member      rejected
p10   其他         member      returned to the proposer
p11   其他         member      withdrawn after submission
p12   其他         member      in review; submitted between sessions (not plenary)
--    其他         member      a draft, and a draft withdrawn before submission: not received
====  ===========  ==========  ===========================================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from shangliang.accounts.models import Membership, Role, UnitUser, User
from shangliang.core.workflow import transition
from shangliang.orgs.models import Committee, Organization, Sector, Session, Unit
from shangliang.proposals.models import Assignment, Cosigner, Proposal
from shangliang.testing import UserFactory, World, make_member, make_role


@dataclass
class Cast:
    office: User
    second: Membership
    edu: Unit
    transport: Unit
    health: Unit
    edu_user: User
    transport_user: User
    health_user: User
    session: Session


def make_cast(world: World) -> Cast:
    office = make_role(world.province, Role.Kind.PROPOSAL_OFFICE, username="fig_office")
    term = world.terms[world.province.pk]
    second = make_member(world.province, term, username="fig_m2", name="第二委员")
    second.sector = Sector.objects.get(org=world.province, name="经济界")
    second.committee = Committee.objects.get(org=world.province, name="提案委员会")
    second.save()
    units = {}
    for key, name in (("transport", "测试省交通运输厅"), ("health", "测试省卫生健康委")):
        unit = Unit.objects.create(org=world.province, name=name)
        user = UserFactory(username=f"fig_{key}")
        UnitUser.objects.create(user=user, unit=unit)
        units[key] = (unit, user)
    return Cast(
        office=office,
        second=second,
        edu=world.unit,
        transport=units["transport"][0],
        health=units["health"][0],
        edu_user=world.unit_user,
        transport_user=units["transport"][1],
        health_user=units["health"][1],
        session=term.sessions.get(),
    )


def draft(
    org: Organization,
    session: Session,
    author: Membership,
    category: str,
    *,
    cosigner: Membership | None = None,
) -> Proposal:
    p = Proposal.objects.create(
        org=org,
        session=session,
        kind=Proposal.Kind.JOINT if cosigner else Proposal.Kind.INDIVIDUAL,
        author=author,
        title=f"关于{category}工作的建议",
        situation="情况",
        suggestions="建议",
        category=category,
    )
    if cosigner:
        Cosigner.objects.create(proposal=p, membership=cosigner)
        transition(p, "cosign", actor=cosigner.user)  # while a draft: no deadline applies
    return p


def submitted(org: Organization, session: Session, author: Membership, category: str) -> Proposal:
    p = draft(org, session, author, category)
    transition(p, "submit", actor=author.user)
    return p


def accept(p: Proposal, office: User) -> Proposal:
    for _stage in range(3):  # 初审 → 复审 → 终审
        transition(p, "review", actor=office, outcome="accept")
    return p


def assign(p: Proposal, office: User, mode: str, *units: tuple[Unit, str]) -> list[Assignment]:
    rows = [{"unit": u.pk, "role": role} for u, role in units]
    transition(p, "assign", actor=office, mode=mode, units=rows)
    return [Assignment.objects.get(proposal=p, unit=u) for u, _r in units]


def reply(a: Assignment, unit_user: User, office: User, *, late: bool = False) -> Assignment:
    """Sign (in round one), contact, draft and approve a reply; ``late``: after the due date."""
    if a.status == Assignment.Status.TO_SIGN:
        transition(a, "sign_for", actor=unit_user)
    if late:
        past = timezone.localdate() - dt.timedelta(days=10)
        Assignment.objects.filter(pk=a.pk).update(due_on=past)
        a = Assignment.objects.get(pk=a.pk)
    if not a.contacts.exists():
        transition(
            a, "record_contact", actor=unit_user, date="2026-03-01", way="phone", person="委员"
        )
    transition(a, "draft_reply", actor=unit_user, result_class="A", text="答复")
    transition(a, "approve_reply", actor=office)
    return a


def rate(a: Assignment, member: Membership, value: str) -> Assignment:
    transition(a, "rate", actor=member.user, rating=value, contacted_before_reply=True)
    return a


def build_session(world: World, cast: Cast) -> dict[str, Proposal]:
    """The table in the module docstring."""
    org, s, m, office = world.province, cast.session, world.member_m, cast.office
    p: dict[str, Proposal] = {}
    p["p1"] = draft(org, s, m, "社会", cosigner=cast.second)
    transition(p["p1"], "submit", actor=m.user)
    accept(p["p1"], office)
    (a,) = assign(p["p1"], office, "sole", (cast.edu, ""))
    reply(a, cast.edu_user, office)
    rate(a, m, "satisfied")
    rate(a, cast.second, "satisfied")

    p["p2"] = accept(submitted(org, s, cast.second, "经济"), office)
    (a,) = assign(p["p2"], office, "sole", (cast.transport, ""))
    rate(reply(a, cast.transport_user, office, late=True), cast.second, "basically_satisfied")

    p["p3"] = accept(submitted(org, s, m, "经济"), office)
    edu, transport = assign(p["p3"], office, "split", (cast.edu, ""), (cast.transport, ""))
    reply(edu, cast.edu_user, office)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Assignment.objects.filter(pk=transport.pk).update(due_on=yesterday)  # overdue, no reply

    p["p4"] = accept(submitted(org, s, m, "社会"), office)
    assign(p["p4"], office, "lead_co", (cast.edu, "lead"), (cast.health, "co"))

    p["p5"] = accept(submitted(org, s, m, "社会"), office)
    (a,) = assign(p["p5"], office, "sole", (cast.health, ""))
    rate(reply(a, cast.health_user, office), m, "dissatisfied")  # → 二次办理
    a = Assignment.objects.get(pk=a.pk)
    assert a.round == 2 and a.replied_at is None
    rate(reply(a, cast.health_user, office), m, "dissatisfied")  # final: done

    p["p6"] = accept(submitted(org, s, m, "文化"), office)
    p["p7"] = submitted(org, s, m, "社会")
    transition(p["p7"], "review", actor=office, outcome="merge", merge_into=p["p6"].pk)
    p["p8"] = submitted(org, s, m, "社会")
    transition(p["p8"], "review", actor=office, outcome="convert", reason="转有关部门参考")
    p["p9"] = submitted(org, s, m, "其他")
    transition(p["p9"], "review", actor=office, outcome="reject", reason="指明举报")
    p["p10"] = submitted(org, s, m, "其他")
    transition(p["p10"], "review", actor=office, outcome="return", reason="请补充")
    p["p11"] = submitted(org, s, m, "其他")
    transition(p["p11"], "withdraw", actor=m.user)
    p["p12"] = submitted(org, s, m, "其他")
    draft(org, s, m, "其他")
    transition(draft(org, s, m, "其他"), "withdraw", actor=m.user)
    # the session's deadline decides "plenary" at submission; fix it whatever today is
    Proposal.objects.filter(org=org).update(is_plenary=True)
    Proposal.objects.filter(pk=p["p12"].pk).update(is_plenary=False)
    return p


def more_proposals(world: World, cast: Cast, n: int, org: Any = None) -> None:
    """``n`` more accepted, replied and rated proposals (for the query-count tests)."""
    org = org or world.province
    for _i in range(n):
        p = accept(submitted(org, cast.session, world.member_m, "生态文明"), cast.office)
        (a,) = assign(p, cast.office, "sole", (cast.edu, ""))
        rate(reply(a, cast.edu_user, cast.office), world.member_m, "satisfied")
