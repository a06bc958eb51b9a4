"""The cast of the security tests: every persona, and real objects of two organisations.

*Own* objects belong to the province (the member's proposals, the education department's
assignment); *other* objects belong to county B (county B's member, unit and roles) and
carry :data:`MARKER` in their text, so a test can assert that the marker never appears in
a page that a persona of another organisation (county A, or a province member) sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from shangliang.accounts.models import Membership, Role, UnitUser, User
from shangliang.core.models import CalendarDay
from shangliang.core.workflow import transition
from shangliang.orgs.models import Organization, Sector, Unit
from shangliang.proposals.models import Assignment, Attachment, Cosigner, Proposal
from shangliang.roster.models import ImportJob
from shangliang.testing import UserFactory, World, make_member, make_role

MARKER = "乙县专属标记QX7"  # only in county B's objects
MEMBER_MARKER = "省委员私密标记MZ3"  # only in the province member's own draft
B_PHONE = "13711110002"  # county B member's mobile number (private)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Personas in the order the matrix reports them. ``anon`` is no login at all.
PERSONAS = (
    "anon",
    "public",
    "member",
    "m2",
    "a_member",
    "unit",
    "p_office",
    "office",
    "leader",
    "admin",
    "a_office",
    "a_leader",
    "i_office",
)


@dataclass
class Objects:
    """The ids a URL of one organisation needs."""

    org: Organization
    proposal: Proposal  # in handling, assigned to ``unit``
    draft: Proposal  # the author's draft, with an attachment and an invited cosigner
    assignment: Assignment
    attachment: Attachment
    cosigner: Cosigner
    membership: Membership
    unit: Unit
    unit_link: UnitUser
    role: Role
    sector: Sector
    job: ImportJob
    person: User  # a user account of this organisation (a member)
    nomination: Any = None  # an excellent-proposal nomination of ``proposal``
    extra: dict[str, Any] = field(default_factory=dict)  # ids of the other apps' objects

    def kwargs(self) -> dict[str, Any]:
        term = self.org.terms.get(is_current=True)
        return self.extra | {
            "org_id": self.org.pk,
            "term_id": term.pk,
            "session_id": term.sessions.get().pk,
            "unit_id": self.unit.pk,
            "part_id": self.sector.pk,
            "user_id": self.person.pk,
            "role_id": self.role.pk,
            "link_id": self.unit_link.pk,
            "job_id": self.job.pk,
            "membership_id": self.membership.pk,
            "pk": self.proposal.pk,
            "cosigner_id": self.cosigner.pk,
            "attachment_id": self.attachment.pk,
            "assignment_id": self.assignment.pk,
            "excellent_id": self.nomination.pk if self.nomination else 0,
        }


@dataclass
class SecurityCast:
    world: World
    users: dict[str, User | None]
    own: Objects
    other: Objects
    day: CalendarDay
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, persona: str) -> User | None:
        return self.users[persona]


def _proposal(
    org: Organization, author: Membership, title: str, status_to: str, **kw: Any
) -> Proposal:
    session = org.terms.get(is_current=True).sessions.get()
    return Proposal.objects.create(
        org=org,
        session=session,
        kind=kw.pop("kind", Proposal.Kind.INDIVIDUAL),
        author=author,
        title=title,
        situation=kw.pop("situation", "情况说明"),
        suggestions=kw.pop("suggestions", "具体建议"),
        category="社会",
        status=status_to,
        **kw,
    )


def _handled(org: Organization, author: Membership, office: User, unit: Unit, title: str) -> Any:
    """An accepted proposal assigned to ``unit``, signed for: (proposal, assignment)."""
    p = _proposal(org, author, title, Proposal.Status.DRAFT)
    transition(p, "submit", actor=author.user)
    for _stage in range(3):
        transition(p, "review", actor=office, outcome="accept")
    transition(p, "assign", actor=office, mode="sole", units=[{"unit": unit.pk}])
    a = Assignment.objects.get(proposal=p)
    unit_user = UnitUser.objects.filter(unit=unit).first()
    assert unit_user is not None
    transition(a, "sign_for", actor=unit_user.user)
    p.refresh_from_db()
    transition(p, "mark_key", actor=office_leader(org))
    return p, a


def office_leader(org: Organization) -> User:
    """The province's leader (they reach every committee below)."""
    role = Role.objects.filter(kind=Role.Kind.LEADER, org__level=Organization.Level.PROVINCE)
    return role.select_related("user").get().user


def _draft_with_parts(
    author: Membership, cosigner: Membership, title: str, text: str
) -> tuple[Proposal, Attachment, Cosigner]:
    p = _proposal(
        author.org, author, title, Proposal.Status.DRAFT, kind=Proposal.Kind.JOINT, situation=text
    )
    from django.core.files.base import ContentFile

    att = Attachment.objects.create(
        proposal=p,
        file=ContentFile(PDF, name="secret.pdf"),
        name=f"{text}.pdf",
        size=len(PDF),
        content_type="application/pdf",
        uploaded_by=author.user,
    )
    cos = Cosigner.objects.create(proposal=p, membership=cosigner)
    return p, att, cos


def build_cast(world: World) -> SecurityCast:
    """Everything the matrix needs (some 0.5 s of work)."""
    p_office = make_role(world.province, Role.Kind.PROPOSAL_OFFICE, username="p_office")
    province_term = world.terms[world.province.pk]
    m2 = make_member(world.province, province_term, username="m2", name="第二委员")

    # county B: a second member (cosigner), a unit with its user, a staff role
    b_term = world.terms[world.county_b.pk]
    b_second = make_member(world.county_b, b_term, username="b_member2", name="乙县委员二")
    b_unit = Unit.objects.create(org=world.county_b, name="乙县住建局")
    b_unit_user = UserFactory(username="b_unit", name="乙县住建局联络员")
    b_link = UnitUser.objects.create(user=b_unit_user, unit=b_unit)
    b_role = Role.objects.create(
        user=UserFactory(username="b_office", name="乙县办公室"),
        org=world.county_b,
        kind=Role.Kind.GENERAL_OFFICE,
    )

    own_p, own_a = _handled(world.province, world.member_m, p_office, world.unit, "省级提案题目")
    own_d, own_att, own_cos = _draft_with_parts(
        world.member_m, m2, f"省委员草稿{MEMBER_MARKER}", MEMBER_MARKER
    )
    other_p, other_a = _handled(
        world.county_b, world.county_b_member_m, p_office, b_unit, f"乙县提案{MARKER}"
    )
    other_d, other_att, other_cos = _draft_with_parts(
        world.county_b_member_m, b_second, f"乙县草稿{MARKER}", MARKER
    )
    own_link = UnitUser.objects.get(user=world.unit_user)
    own_role = Role.objects.get(user=p_office)

    def job(org: Organization, term: Any, by: User) -> ImportJob:
        return ImportJob.objects.create(org=org, term=term, uploaded_by=by, original_name="r.xlsx")

    office = world.general_office
    own = Objects(
        org=world.province,
        proposal=own_p,
        draft=own_d,
        assignment=own_a,
        attachment=own_att,
        cosigner=own_cos,
        membership=world.member_m,
        unit=world.unit,
        unit_link=own_link,
        role=own_role,
        sector=Sector.objects.filter(org=world.province).first() or Sector(),
        job=job(world.province, province_term, office),
        person=world.member,
    )
    other = Objects(
        org=world.county_b,
        proposal=other_p,
        draft=other_d,
        assignment=other_a,
        attachment=other_att,
        cosigner=other_cos,
        membership=world.county_b_member_m,
        unit=b_unit,
        unit_link=b_link,
        role=b_role,
        sector=Sector.objects.filter(org=world.county_b).first() or Sector(),
        job=job(world.county_b, b_term, office),
        person=world.county_b_member,
    )
    from shangliang.proposals.services.excellent import excellent_nominate

    own.nomination = excellent_nominate(actor=p_office, proposal=own_p, reason="成效显著")
    other.nomination = excellent_nominate(actor=p_office, proposal=other_p, reason="成效显著")
    day = CalendarDay.objects.create(
        date=timezone.localdate() + dt.timedelta(days=40), kind="holiday", name="测试假日"
    )
    users: dict[str, User | None] = {
        "anon": None,
        "public": world.public,
        "member": world.member,
        "m2": m2.user,
        "a_member": world.county_a_member,
        "unit": world.unit_user,
        "p_office": p_office,
        "office": world.general_office,
        "leader": world.leader,
        "admin": world.admin,
        "a_office": world.county_a_office,
        "a_leader": world.county_a_leader,
        "i_office": make_role(world.province, Role.Kind.INFO_OFFICE, username="i_office"),
    }
    cast = SecurityCast(
        world=world,
        users=users,
        own=own,
        other=other,
        day=day,
        extra={"b_unit_user": b_unit_user, "b_member2": b_second},
    )
    _add_meetings(cast)
    _add_opinions(cast)
    _add_duty(cast)
    return cast


def _add_meetings(cast: SecurityCast) -> None:
    from shangliang.meetings.models import Attendance
    from shangliang.meetings.services import checkin_token, leave_request, meeting_create

    start = timezone.now() + dt.timedelta(days=2)
    for objs in (cast.own, cast.other):
        meeting = meeting_create(
            actor=cast.world.general_office,
            org=objs.org,
            kind="plenary",
            title=f"全体会议{MARKER if objs is cast.other else ''}",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
        )
        leave = leave_request(actor=objs.person, meeting=meeting, reason="出差")
        objs.extra.update(
            meeting_id=meeting.pk,
            attendance_id=Attendance.objects.get(meeting=meeting, membership=objs.membership).pk,
            leave_id=leave.pk,
            token=checkin_token(meeting),
        )


def _add_opinions(cast: SecurityCast) -> None:
    from shangliang.opinions.models import Forwarding, Instruction
    from shangliang.opinions.services import opinion_act, opinion_save_draft

    office = cast.users["i_office"]
    w = cast.world
    text: dict[str, Any] = {"situation": "情况", "analysis": "分析", "suggestions": "建议"}
    o = opinion_save_draft(actor=w.member, org=w.province, title="省级社情民意", **text)
    o = opinion_act(actor=w.member, opinion=o, action="submit")
    o = opinion_act(actor=office, opinion=o, action="start_editing")
    for gate in ("political", "facts", "topic", "content", "wording"):
        o = opinion_act(actor=office, opinion=o, action="check", gate=gate, passed=True)
    o = opinion_act(actor=office, opinion=o, action="sign_off")
    o = opinion_act(actor=office, opinion=o, action="publish", series="sqmy")
    o = opinion_act(actor=office, opinion=o, action="forward", units=[w.unit.pk])
    o = opinion_act(
        actor=office,
        opinion=o,
        action="record_instruction",
        leader_level="province",
        leader="省政协主席",
        text="请研究",
        date=timezone.localdate(),
    )
    cast.own.extra.update(
        opinion_id=o.pk,
        issue_id=o.issue_id,
        instruction_id=Instruction.objects.filter(opinion=o).get().pk,
        forwarding_id=Forwarding.objects.get(opinion=o).pk,
    )
    b = opinion_save_draft(
        actor=w.county_b_member, org=w.county_b, title=f"乙县社情民意{MARKER}", **text
    )
    b = opinion_act(actor=w.county_b_member, opinion=b, action="submit")
    cast.other.extra.update(opinion_id=b.pk)


def _add_duty(cast: SecurityCast) -> None:
    from django.core.files.base import ContentFile

    from shangliang.duty.models import ExcellentMember, ExitFlag, ManualEntry, RecomputeJob
    from shangliang.duty.services.reports import report_save

    item = ManualEntry._meta.get_field("item").choices[0][0]  # type: ignore[index]
    for objs in (cast.own, cast.other):
        m, org, office = objs.membership, objs.org, cast.world.general_office
        objs.extra.update(
            entry_id=ManualEntry.objects.create(
                org=org,
                membership=m,
                item=item,
                occurred_on=timezone.localdate(),
                description=f"调研{MARKER if objs is cast.other else ''}",
                created_by=office,
                evidence=ContentFile(PDF, name="evidence.pdf"),
            ).pk,
            flag_id=ExitFlag.objects.create(
                org=org, membership=m, rule="idle_years", detail="连续两年无提案"
            ).pk,
            nomination_id=ExcellentMember.objects.create(
                org=org, year=timezone.localdate().year, membership=m, nominated_by=office
            ).pk,
            recompute_job_id=RecomputeJob.objects.create(
                org=org, year=timezone.localdate().year, requested_by=office
            ).pk,
            report_id=report_save(
                actor=objs.person,
                membership=m,
                year=timezone.localdate().year,
                body=f"述职报告{MARKER if objs is cast.other else ''}",
            ).pk,
        )
