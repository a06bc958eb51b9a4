"""Demo proposals in every stage, moved there through the workflow engine so each has its
history: a province's last session (closed, rated) and the coming one (in review, accepted,
being handled)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shangliang.accounts.models import Membership, User
from shangliang.core.workflow import transition
from shangliang.orgs.models import Organization, Unit
from shangliang.proposals.models import Assignment, Cosigner, Proposal

TOPICS = [
    (
        "关于推进县域义务教育优质均衡发展的建议",
        "社会",
        "我省县域内城乡学校在师资、设施、生源上差距仍然明显，部分乡村学校教师结构性缺编。",
        "建立县域教师统筹调配机制，推进“县管校聘”；加大乡村学校寄宿条件改善投入；"
        "以集团化办学带动薄弱学校。",
    ),
    (
        "关于完善农村客运网络、方便群众出行的建议",
        "经济",
        "部分偏远村组客运班线停运，群众出行、学生上学不便，农村客运企业经营困难。",
        "推行城乡公交一体化，对偏远线路实行财政补贴；发展预约响应式公交；统筹客货邮融合发展。",
    ),
    (
        "关于加强城市老旧小区适老化改造的提案",
        "社会",
        "全省 60 岁以上人口占比超过 20%，老旧小区普遍缺少电梯、无障碍通道和助餐设施。",
        "将适老化改造纳入城市更新计划；简化加装电梯审批；建设社区嵌入式养老服务设施。",
    ),
    (
        "关于优化营商环境、支持民营企业发展的建议",
        "经济",
        "涉企检查多头重复、政策兑现慢，中小企业融资难融资贵问题仍然突出。",
        "推行“综合查一次”；建立惠企政策免申即享机制；扩大政府性融资担保覆盖面。",
    ),
    (
        "关于加强长江流域生态保护修复的建议",
        "生态文明",
        "部分支流水质不稳定，岸线违规占用整治后仍有反弹，生态补偿机制不健全。",
        "建立流域横向生态补偿机制；加强岸线常态化巡查；推进入河排污口溯源整治。",
    ),
    (
        "关于加快发展县域特色文化旅游产业的建议",
        "文化",
        "县域文旅资源丰富但产品同质化，配套服务和品牌宣传不足。",
        "编制县域文旅融合规划；培育非遗体验和乡村旅游精品线路；完善旅游公共服务设施。",
    ),
]


def seed_proposals(province: Organization) -> None:
    office = User.objects.get(username="proposal_office")
    chair = User.objects.get(username="chair")
    term = province.terms.get(is_current=True)
    last, coming = list(term.sessions.order_by("number"))
    members = list(
        Membership.objects.filter(org=province, user__username__startswith="p_member").order_by(
            "user__username"
        )[:12]
    )
    edu = Unit.objects.get(org=province, name="省教育厅")
    transport = Unit.objects.get(org=province, name="省交通运输厅")
    edu_user = User.objects.get(username="unit_edu")
    transport_user = User.objects.get(username="unit_transport")

    def draft(i: int, session: Any, kind: str = Proposal.Kind.INDIVIDUAL) -> Proposal:
        title, category, situation, suggestions = TOPICS[i % len(TOPICS)]
        p = Proposal.objects.create(
            org=province,
            session=session,
            kind=kind,
            author=members[i],
            title=title,
            situation=situation,
            suggestions=suggestions,
            category=category,
        )
        if kind == Proposal.Kind.JOINT:
            Cosigner.objects.create(proposal=p, membership=members[i + 1])
        return p

    def accept(p: Proposal) -> None:
        transition(p, "submit", actor=p.author.user)
        for c in p.cosigners.all():
            transition(p, "cosign", actor=c.membership.user)
        for _stage in range(3):
            transition(p, "review", actor=office, outcome="accept")

    # the last session: handled, replied, rated and closed
    done = draft(0, last)
    accept(done)
    transition(done, "assign", actor=office, mode="sole", units=[{"unit": edu.pk}])
    a = Assignment.objects.get(proposal=done)
    transition(a, "sign_for", actor=edu_user)
    transition(
        a,
        "record_contact",
        actor=edu_user,
        date=dt.date(2026, 3, 20),
        way="visit",
        person=done.author.user.display_name,
        note="上门听取意见",
    )
    transition(
        a,
        "draft_reply",
        actor=edu_user,
        result_class="A",
        text="您提出的建议已纳入我厅年度重点工作，已出台县域教师统筹调配办法。",
    )
    transition(a, "approve_reply", actor=office)
    transition(a, "rate", actor=done.author.user, rating="satisfied", contacted_before_reply=True)
    # the coming session: a key proposal being handled by a lead and a co-handling unit
    handling = draft(1, coming, Proposal.Kind.JOINT)
    accept(handling)
    transition(
        handling,
        "assign",
        actor=office,
        mode="lead_co",
        units=[{"unit": transport.pk, "role": "lead"}, {"unit": edu.pk, "role": "co"}],
    )
    transition(handling, "mark_key", actor=chair)
    lead = Assignment.objects.get(proposal=handling, role=Assignment.Role.LEAD)
    transition(lead, "sign_for", actor=transport_user)
    # accepted and waiting to be assigned; in review at each stage; returned
    waiting = draft(2, coming)
    accept(waiting)
    for stage in range(3):
        p = draft(3 + stage, coming)
        transition(p, "submit", actor=p.author.user)
        for _s in range(stage):
            transition(p, "review", actor=office, outcome="accept")
    returned = draft(6, coming)
    transition(returned, "submit", actor=returned.author.user)
    transition(
        returned,
        "review",
        actor=office,
        outcome="return",
        reason="请补充我省相关数据和具体可操作的建议。",
    )
    draft(7, coming)  # a draft its author is still writing
    _excellent(office, chair, published=done, nominated=handling, recommended=waiting)


def _excellent(office: User, chair: User, **proposals: Proposal) -> None:
    """优秀提案: one published, one recommended by the office's review, one just nominated."""
    from shangliang.proposals.services.excellent import excellent_nominate, nomination_act

    reasons = {
        "published": "选题精准，建议具体可行，承办单位采纳后出台了县域教师统筹调配办法，成效显著。",
        "recommended": "聚焦群众关切，调研扎实，建议针对性强。",
        "nominated": "反映问题典型，建议具体，正在办理中。",
    }
    for stage, p in proposals.items():
        n = excellent_nominate(actor=office, proposal=p, reason=reasons[stage])
        if stage == "nominated":
            continue
        n = nomination_act(actor=office, nomination=n, action="review", decision="approve")
        if stage == "published":
            n = nomination_act(actor=chair, nomination=n, action="confirm", note="同意")
            nomination_act(actor=office, nomination=n, action="publish")
