"""Demo duty records: member1's proposals (one key, one joint with member2), meetings this
year with check-ins, leave and two unexcused plenary absences for one member (an exit
warning), a training and a research activity; member3 does nothing. The ledger is then
rebuilt from the sources, as the event subscribers would have done."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from shangliang.accounts.models import Membership, User
from shangliang.core.workflow import transition
from shangliang.duty.services.flags import exit_flags_scan
from shangliang.duty.services.rebuild import ledger_rebuild
from shangliang.meetings.models import Attendance, Meeting
from shangliang.meetings.services import (
    attendance_correct,
    check_in,
    leave_request,
    meeting_create,
    meeting_finalize,
)
from shangliang.orgs.models import Organization
from shangliang.proposals.models import Proposal
from shangliang.proposals.services.drafting import (
    proposal_act,
    proposal_create_draft,
    proposal_invite_cosigners,
)

TZ = ZoneInfo("Asia/Shanghai")


def _at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=TZ)


def _proposals(province: Organization) -> None:
    office = User.objects.get(username="proposal_office")
    chair = User.objects.get(username="chair")
    m1 = Membership.objects.get(org=province, user__username="member1")
    m2 = Membership.objects.get(org=province, user__username="member2")
    p = proposal_create_draft(
        actor=m1.user,
        membership=m1,
        kind=Proposal.Kind.INDIVIDUAL,
        title="关于加快建设省级职业教育实训基地的建议",
        situation="全省职业院校实训设备陈旧，校企合作停留在协议层面。",
        suggestions="一是统筹建设区域共享实训基地；二是对参与实训的企业给予税收优惠。",
        category="社会",
    )
    p = proposal_act(actor=m1.user, proposal=p, action="submit")
    for _stage in range(3):
        p = transition(p, "review", actor=office, outcome="accept")
    transition(p, "mark_key", actor=chair)
    j = proposal_create_draft(
        actor=m1.user,
        membership=m1,
        kind=Proposal.Kind.JOINT,
        title="关于完善城乡居民大病保险的建议",
        situation="部分大病患者自付费用仍然较高。",
        suggestions="提高大病保险报销比例，建立因病致贫预警机制。",
        category="社会",
    )
    proposal_invite_cosigners(actor=m1.user, proposal=j, memberships=[m2.pk])
    transition(j, "cosign", actor=m2.user)
    j = proposal_act(actor=m1.user, proposal=j, action="submit")
    for _stage in range(3):
        j = transition(j, "review", actor=office, outcome="accept")


def _meetings(province: Organization) -> None:
    staff = User.objects.get(username="committee_office")
    m1 = Membership.objects.get(org=province, user__username="member1")
    m2 = Membership.objects.get(org=province, user__username="member2")
    m3 = Membership.objects.get(org=province, user__username="member3")
    truant = Membership.objects.get(org=province, user__username="p_member001")
    serving = Membership.objects.filter(
        org=province, term__is_current=True, status=Membership.Status.ACTIVE
    )
    diligent = list(serving.exclude(pk__in=[m2.pk, m3.pk, truant.pk]).values_list("pk", flat=True))
    for title, start in (
        ("省政协十三届四次会议（全体会议）", _at(2026, 1, 12)),
        ("省政协十三届常委会全体会议（年中）", _at(2026, 7, 8)),
    ):
        meeting = meeting_create(
            actor=staff,
            org=province,
            kind=Meeting.Kind.PLENARY,
            title=title,
            place="江川会堂",
            starts_at=start,
            ends_at=start + dt.timedelta(days=4),
            half_days=8 if "四次会议" in title else 2,
        )
        for pk in diligent:
            check_in(actor=staff, meeting=meeting, membership=Membership.objects.get(pk=pk))
        meeting_finalize(actor=staff, meeting=meeting)
        for m in (m2, m3):  # written leave before the meeting, recorded afterwards
            att = Attendance.objects.get(meeting=meeting, membership=m)
            attendance_correct(
                actor=staff,
                attendance=att,
                status="leave",
                reason="会前已提交书面请假，经秘书长批准",
            )
        if "四次会议" in title:
            att = Attendance.objects.get(meeting=meeting, membership=m1)
            attendance_correct(
                actor=staff,
                attendance=att,
                status="attended",
                reason="大会书面发言",
                speech="written",
            )
    for kind, title, start, people in (
        (Meeting.Kind.TRAINING, "新任委员履职能力培训班", _at(2026, 4, 21), [m1, m2]),
        (Meeting.Kind.RESEARCH, "职业教育产教融合专题调研", _at(2026, 5, 14), [m1]),
        (Meeting.Kind.CONSULTATION, "“优化营商环境”专题协商会", _at(2026, 9, 10), [m1, m2]),
    ):
        meeting = meeting_create(
            actor=staff,
            org=province,
            kind=kind,
            title=title,
            place="省政协",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
            membership_ids=[m.pk for m in people],
        )
        for m in people:
            check_in(actor=staff, meeting=meeting, membership=m)
        meeting_finalize(actor=staff, meeting=meeting)
    coming = meeting_create(
        actor=staff,
        org=province,
        kind=Meeting.Kind.PLENARY,
        title="省政协十三届五次会议（全体会议）",
        place="江川会堂",
        starts_at=_at(2027, 1, 11),
        ends_at=_at(2027, 1, 15, 12),
        half_days=8,
    )
    leave_request(actor=m2.user, meeting=coming, reason="赴外省参加学术会议")


def seed_duty(province: Organization, *others: Organization) -> None:
    _proposals(province)
    _meetings(province)
    for org in (province, *others):
        ledger_rebuild(org=org)
        exit_flags_scan(org=org)
