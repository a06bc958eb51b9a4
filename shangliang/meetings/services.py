"""Every write of the meetings app: one transaction and one audit row each; the duty
ledger hears about attendance through the ``meeting.*`` events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import require
from shangliang.core import pubsub
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid, NotFound
from shangliang.core.events import announce
from shangliang.core.workflow import transition
from shangliang.meetings.models import Attendance, AttendanceCorrection, LeaveRequest, Meeting
from shangliang.orgs.models import Organization

A = Attendance.Status
CHECKIN_SALT = "meetings.checkin"
CHECKIN_EARLY = dt.timedelta(hours=2)  # the QR code works from 2 hours before the start
CHECKIN_LATE = dt.timedelta(hours=1)  # … until an hour after the end


def _serving(org: Organization) -> Any:
    return Membership.objects.filter(
        org=org, term__is_current=True, status=Membership.Status.ACTIVE
    )


def meeting_create(
    *,
    actor: Any,
    org: Organization,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    half_days: Any = 1,
    membership_ids: Iterable[int] | None = None,
) -> Meeting:
    """A meeting with its expected attendees (by default every serving member)."""
    require(actor, "meetings.manage", org)
    problems: dict[str, list[str]] = {}
    if kind not in Meeting.Kind.values:
        problems["kind"] = [_("会议类型无效。")]
    if not title.strip() or len(title) > 200:
        problems["title"] = [_("请填写会议名称（不超过 200 字）。")]
    if ends_at <= starts_at:
        problems["ends_at"] = [_("结束时间须晚于开始时间。")]
    try:
        days = Decimal(str(half_days))
        if days <= 0 or days > 40:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems["half_days"] = [_("会期须为 0.5 至 40 个半天。")]
        days = Decimal(1)
    members = _serving(org)
    if membership_ids is not None:
        wanted = set(membership_ids)
        found = set(members.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - found:
            problems["attendees"] = [_("参会委员须是本组织本届在职委员。")]
        members = members.filter(pk__in=found)
    if problems:
        raise Invalid(next(iter(problems.values()))[0], fields=problems)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            org=org,
            kind=kind,
            title=title.strip(),
            place=place.strip()[:200],
            starts_at=starts_at,
            ends_at=ends_at,
            half_days=days,
            created_by=actor,
        )
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, membership_id=pk)
            for pk in members.values_list("pk", flat=True)
        )
        audit_record(
            actor=actor,
            action="meetings.create",
            target=meeting,
            data={"kind": kind, "attendees": meeting.attendances.count()},
        )
    return meeting


def _attendance_of(actor: Any, meeting: Meeting) -> Attendance:
    att = (
        Attendance.objects.select_related("meeting", "membership")
        .filter(meeting=meeting, membership__user=actor)
        .first()
    )
    if att is None:
        raise NotFound(_("您不在这次会议的参会名单中。"))
    return att


def leave_request(*, actor: Any, meeting: Meeting, reason: str) -> LeaveRequest:
    """请假: only before the meeting starts, one open request at a time."""
    att = _attendance_of(actor, meeting)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请填写请假事由。"), fields={"reason": [_("必填")]})
    if len(reason) > 300:
        raise Invalid(_("请假事由不能超过 300 字。"), fields={"reason": [_("过长")]})
    if meeting.status != Meeting.Status.PLANNED or timezone.now() >= meeting.starts_at:
        raise Invalid(_("会议已经开始，不能再请假；如有特殊情况请联系会务工作人员更正考勤。"))
    if att.status != A.EXPECTED:
        raise Conflict(_("您在这次会议的出勤已是“%(s)s”。") % {"s": att.get_status_display()})
    with transaction.atomic():
        if (
            LeaveRequest.objects.select_for_update()
            .filter(
                attendance=att,
                status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
            )
            .exists()
        ):
            raise Conflict(_("您已为这次会议请过假。"))
        leave = LeaveRequest.objects.create(attendance=att, org=meeting.org, reason=reason)
        audit_record(
            actor=actor,
            action="meetings.leave_request",
            target=leave,
            data={"meeting": meeting.pk, "reason": reason},
        )
    return leave


def leave_decide(*, actor: Any, leave: LeaveRequest, action: str, note: str = "") -> LeaveRequest:
    """approve / reject / withdraw, through the workflow; an approval marks the member on
    leave (请假) for the meeting."""
    with transaction.atomic():
        leave = transition(
            leave, action, actor=actor, **({"note": note} if action != "withdraw" else {})
        )
        if leave.status == LeaveRequest.Status.APPROVED:
            att = leave.attendance
            if att.status == A.EXPECTED:
                Attendance.objects.filter(pk=att.pk).update(
                    status=A.LEAVE, updated_at=timezone.now()
                )
                announce("meeting.leave", obj=att, actor=actor)
    return leave


def checkin_token(meeting: Meeting) -> str:
    return signing.dumps({"m": meeting.pk}, salt=CHECKIN_SALT, compress=True)


def check_in(
    *, actor: Any, meeting: Meeting, token: str = "", membership: Membership | None = None
) -> Attendance:
    """签到: the member with the meeting's QR token, or staff for a member."""
    if membership is not None and membership.user_id != actor.pk:
        require(actor, "meetings.manage", meeting.org)
        att = Attendance.objects.filter(meeting=meeting, membership=membership).first()
        if att is None:
            raise Invalid(_("该委员不在参会名单中。"))
        by_staff = True
    else:
        try:
            data = signing.loads(token, salt=CHECKIN_SALT)
        except signing.BadSignature:
            raise Forbidden(_("签到码无效。")) from None
        if data.get("m") != meeting.pk:
            raise Forbidden(_("签到码无效。"))
        now = timezone.now()
        if not (meeting.starts_at - CHECKIN_EARLY <= now <= meeting.ends_at + CHECKIN_LATE):
            raise Invalid(_("不在签到时间内（会前两小时至会后一小时）。"))
        att = _attendance_of(actor, meeting)
        by_staff = False
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict(_("会议已取消。"))
    if att.status == A.ATTENDED:
        return att  # checking in twice changes nothing
    if meeting.status == Meeting.Status.FINALIZED:
        raise Conflict(_("考勤已确认，请通过更正考勤修改。"))
    with transaction.atomic():
        updated = Attendance.objects.filter(pk=att.pk, status=att.status).update(
            status=A.ATTENDED,
            checked_in_at=timezone.now(),
            checked_in_by_staff=by_staff,
            updated_at=timezone.now(),
        )
        if not updated:
            raise Conflict()
        att.refresh_from_db()
        audit_record(
            actor=actor,
            action="meetings.check_in",
            target=att,
            org=meeting.org,
            data={"by_staff": by_staff},
        )
        announce("meeting.attended", obj=att, actor=actor)
    _publish(meeting, att)
    return att


def _publish(meeting: Meeting, att: Attendance) -> None:
    """Tell the live check-in boards (sent after the commit; best effort: a board that
    misses it catches up on its next refresh)."""
    data = {"attendance": att.pk, "status": att.status}
    pubsub.publish(pubsub.channel("meeting", meeting.pk), data)


def attendance_correct(
    *, actor: Any, attendance: Attendance, status: str, reason: str, speech: str | None = None
) -> Attendance:
    """更正考勤 (and record a speech), with a reason: an audit row and a correction row."""
    meeting = attendance.meeting
    require(actor, "meetings.manage", meeting.org)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请填写更正理由。"), fields={"reason": [_("必填")]})
    if len(reason) > 300:
        raise Invalid(_("更正理由不能超过 300 字。"), fields={"reason": [_("过长")]})
    if status not in A.values:
        raise Invalid(_("出勤状态无效。"), fields={"status": [_("取值无效")]})
    if speech is not None and speech not in Attendance.Speech.values:
        raise Invalid(_("发言类型无效。"), fields={"speech": [_("取值无效")]})
    before = attendance.status
    new_speech = attendance.speech if speech is None else speech
    if before == status and new_speech == attendance.speech:
        raise Invalid(_("没有需要更正的内容。"))
    with transaction.atomic():
        updated = Attendance.objects.filter(pk=attendance.pk, status=before).update(
            status=status, speech=new_speech, updated_at=timezone.now()
        )
        if not updated:
            raise Conflict()
        AttendanceCorrection.objects.create(
            attendance=attendance, before=before, after=status, reason=reason, corrected_by=actor
        )
        attendance.refresh_from_db()
        audit_record(
            actor=actor,
            action="meetings.correct_attendance",
            target=attendance,
            org=meeting.org,
            data={"from": before, "to": status, "speech": new_speech, "reason": reason},
        )
        announce("meeting.corrected", obj=attendance, actor=actor, data={"reason": reason})
    return attendance


def meeting_finalize(*, actor: Any, meeting: Meeting) -> Meeting:
    """确认考勤: after the start, everyone still expected is absent without leave."""
    require(actor, "meetings.manage", meeting.org)
    if meeting.status != Meeting.Status.PLANNED:
        raise Conflict(_("这次会议的考勤已经确认过。"))
    if timezone.now() < meeting.starts_at:
        raise Invalid(_("会议尚未开始，不能确认考勤。"))
    with transaction.atomic():
        if not Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.PLANNED).update(
            status=Meeting.Status.FINALIZED, updated_at=timezone.now()
        ):
            raise Conflict()
        absent = Attendance.objects.filter(meeting=meeting, status=A.EXPECTED).update(
            status=A.ABSENT, updated_at=timezone.now()
        )
        meeting.refresh_from_db()
        audit_record(
            actor=actor, action="meetings.finalize", target=meeting, data={"absent": absent}
        )
        announce("meeting.finalized", obj=meeting, actor=actor, data={"absent": absent})
    return meeting


def attendee_add(*, actor: Any, meeting: Meeting, membership: Membership) -> Attendance:
    require(actor, "meetings.manage", meeting.org)
    if membership.org_id != meeting.org_id:
        raise Invalid(_("只能添加本组织的委员。"))
    try:
        with transaction.atomic():
            att = Attendance.objects.create(meeting=meeting, membership=membership)
            audit_record(actor=actor, action="meetings.add_attendee", target=att, org=meeting.org)
    except IntegrityError:
        raise Conflict(_("该委员已在参会名单中。")) from None
    return att
