"""Demo opinion reports (社情民意信息) in several states, moved there through the workflow
engine so each has its history: reports of member1, member2, informant1 and city_member1,
an issue of 《社情民意信息》, a city report reported upward and adopted at both levels, a
leader's instruction, feedback and a topic guide. The province's information office reaches
the city's intake too (a role reaches its committee and the committees below), so the demo
needs no city account for the city's steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shangliang.accounts.models import User
from shangliang.opinions.services import opinion_act, opinion_save_draft
from shangliang.opinions.services.feedback import opinions_send_feedback, topic_guide_publish
from shangliang.orgs.models import Organization, Unit

GATES = ("political", "facts", "topic", "content", "wording")
REPORTS = [
    (
        "关于解决城区小学放学后“托管难”的建议",
        "城区双职工家庭普遍反映，小学下午 3 点半放学，早于家长下班时间，孩子无人接送、"
        "无人看管，一些家庭只能送往收费较高、资质参差不齐的托管班。",
        "学校课后服务覆盖面不足、时段偏短；社区托管缺少场地和经费支持；监管职责不清。",
        "一是扩大学校课后延时服务覆盖面，延长至下午 6 点；二是支持社区利用党群服务中心举办"
        "普惠托管；三是明确教育、市场监管部门对校外托管机构的监管职责。",
    ),
    (
        "关于规范农村自建房安全管理的建议",
        "部分农村自建房未经设计、未经验收，加层改建用于经营的情况较多，存在安全隐患。",
        "农村建房审批、监管力量薄弱，农民安全意识不强，专业施工队伍缺乏。",
        "建立农村自建房安全排查台账；推广农房设计通用图集；培训乡村建筑工匠；"
        "对用作经营的自建房实行安全鉴定。",
    ),
    (
        "关于加快老旧小区加装电梯的建议",
        "老旧小区老年住户比例高，上下楼困难，加装电梯意愿强但推进缓慢。",
        "低层住户意见不一、资金分摊难、审批环节多、后期维保无人负责。",
        "简化审批，实行联合审查；设立财政补贴和公积金提取支持；引入“代建+运营”模式。",
    ),
    (
        "关于防范养老诈骗的建议",
        "近来以“保健品”“以房养老”为名的诈骗案件多发，受害老人损失较大。",
        "老年人识骗能力弱，社区宣传不到位，部分商家以会员、旅游等名义诱导消费。",
        "开展社区防骗宣传进家庭；建立可疑交易提醒机制；加大对虚假宣传的查处力度。",
    ),
]


def _signed(o: Any, office: User) -> Any:
    o = opinion_act(actor=office, opinion=o, action="start_editing")
    for gate in GATES:
        o = opinion_act(actor=office, opinion=o, action="check", gate=gate, passed=True)
    return opinion_act(actor=office, opinion=o, action="sign_off")


def _report(user: User, org: Organization, i: int, **extra: Any) -> Any:
    title, situation, analysis, suggestions = REPORTS[i % len(REPORTS)]
    o = opinion_save_draft(
        actor=user,
        org=org,
        title=title,
        situation=situation,
        analysis=analysis,
        suggestions=suggestions,
        **extra,
    )
    return opinion_act(actor=user, opinion=o, action="submit")


def seed_opinions(province: Organization, city: Organization) -> None:
    office = User.objects.get(username="info_office")
    member1 = User.objects.get(username="member1")
    member2 = User.objects.get(username="member2")
    informant = User.objects.get(username="informant1")
    city_member = User.objects.get(username="city_member1")
    city_office = office

    topic_guide_publish(
        actor=office,
        org=province,
        title="2026 年第四季度社情民意信息选题指南",
        topics="\n".join(
            [
                "“一老一小”服务保障中的难点堵点",
                "基层减负和为民服务中的新情况",
                "安全生产和防灾减灾中的风险隐患",
                "民营经济发展和营商环境中的突出问题",
            ]
        ),
        valid_until=dt.date(2026, 12, 31),
    )
    # member1: published in an issue, adopted and instructed; joint with member2
    first = _report(member1, province, 0, co_reporters=[member2.pk])
    first = _signed(first, office)
    first = opinion_act(actor=office, opinion=first, action="publish", series="sqmy")
    first = opinion_act(
        actor=office, opinion=first, action="record_adoption", level="province", kind="single"
    )
    first = opinion_act(
        actor=office,
        opinion=first,
        action="record_instruction",
        leader_level="province",
        leader="省委副书记",
        text="请省教育厅会同省民政厅研究，拿出扩大课后服务覆盖面的具体措施。",
        date=dt.date(2026, 11, 20),
    )
    edu = Unit.objects.filter(org=province, name="省教育厅").first()
    if edu is not None:
        opinion_act(actor=office, opinion=first, action="forward", units=[edu.pk])
    opinions_send_feedback(actor=office, org=province, opinion_ids=[first.pk])
    # informant1: signed off, waiting for the next issue
    _signed(_report(informant, province, 3), office)
    # member2: being edited; member1: a second report waiting; and a draft
    edited = opinion_act(
        actor=office, opinion=_report(member2, province, 2), action="start_editing"
    )
    opinion_act(
        actor=office,
        opinion=edited,
        action="edit",
        title="老旧小区加装电梯推进缓慢亟需破题",
        text=edited.original_text.replace("老年住户比例高，", "60 岁以上住户超过三成，"),
    )
    _report(member1, province, 1)
    opinion_save_draft(
        actor=member1, org=province, title="关于规范校外培训收费的建议", situation="（草稿）"
    )
    # city_member1: adopted by the city, reported upward, adopted by the province
    lower = _signed(_report(city_member, city, 1), city_office)
    lower = opinion_act(actor=city_office, opinion=lower, action="publish", series="sqmy")
    lower = opinion_act(
        actor=city_office, opinion=lower, action="record_adoption", level="city", kind="single"
    )
    lower = opinion_act(actor=city_office, opinion=lower, action="report_upward")
    copy = lower.upward_copies.get()
    copy = _signed(copy, office)
    opinion_act(
        actor=office, opinion=copy, action="record_adoption", level="province", kind="single"
    )
