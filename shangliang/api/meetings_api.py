"""Meetings and attendance: the list, one meeting, and its actions (请假, 准假, 签到,
更正考勤). Every write goes through the meetings app's services."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Query, Router
from pydantic import StringConstraints

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import can
from shangliang.api.idempotency import idempotent
from shangliang.api.meeting_schemas import (
    AttendanceOut,
    LeaveOut,
    MeetingActionIn,
    MeetingActionOut,
    MeetingDetailOut,
    MeetingPage,
    MeetingRowOut,
)
from shangliang.api.paging import page_of
from shangliang.api.schemas import Id, PageIn, errors
from shangliang.core.errors import Invalid, NotFound
from shangliang.core.http import AuthedRequest
from shangliang.meetings.models import Attendance, LeaveRequest, Meeting
from shangliang.meetings.selectors import (
    attendance_board,
    leave_requests_of,
    meeting_visible,
    meetings_visible_to,
    my_attendance,
)
from shangliang.meetings.services import (
    attendance_correct,
    check_in,
    leave_decide,
    leave_request,
)

router = Router(tags=["meetings"])
ActionName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
ACTIONS = {
    "request_leave": ["reason"],
    "decide_leave": ["leave_request", "decision", "note"],
    "check_in": ["token", "membership"],
    "correct_attendance": ["attendance", "state", "reason", "speech"],
}


def _row(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "org": m.org_id,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "title": m.title,
        "place": m.place,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "state": m.status,
        "state_label": m.get_status_display(),
    }


def _att(a: Attendance) -> AttendanceOut:
    return AttendanceOut(
        id=a.pk,
        membership=a.membership_id,
        name=a.membership.user.display_name,
        state=a.status,
        state_label=a.get_status_display(),
        speech=a.speech,
        checked_in_at=a.checked_in_at,
    )


def _leave(lv: LeaveRequest) -> LeaveOut:
    return LeaveOut(
        id=lv.pk,
        attendance=lv.attendance_id,
        name=lv.attendance.membership.user.display_name,
        reason=lv.reason,
        state=lv.status,
        decision_note=lv.decision_note,
    )


def _detail(request: AuthedRequest, m: Meeting) -> MeetingDetailOut:
    manage = can(request.user, "meetings.manage", m.org)
    reader = manage or can(request.user, "duty.view_org", m.org)
    mine = my_attendance(request.user, m)
    if mine is not None:
        mine = Attendance.objects.select_related("membership__user").get(pk=mine.pk)
    if manage:
        leaves = list(leave_requests_of(m))
    else:
        leaves = (
            list(
                LeaveRequest.objects.filter(attendance=mine).select_related(
                    "attendance__membership__user"
                )
            )
            if mine
            else []
        )
    actions = []
    if (
        mine
        and mine.status == "expected"
        and m.status == "planned"
        and (timezone.now() < m.starts_at)
    ):
        actions.append("request_leave")
    if m.status == "planned" and (mine is not None or manage):
        actions.append("check_in")
    if manage:
        actions += ["decide_leave", "correct_attendance"]
    return MeetingDetailOut(
        **_row(m),
        half_days=float(m.half_days),
        my_attendance=_att(mine) if mine else None,
        attendances=[_att(a) for a in attendance_board(m)] if reader else None,
        leave_requests=[_leave(lv) for lv in leaves],
        available_actions=[MeetingActionOut(name=a, fields=ACTIONS[a]) for a in actions],
    )


@router.get(
    "/meetings",
    response={200: MeetingPage, **errors(401, 422)},
    summary="Meetings you organise, lead or are invited to, newest first",
)
def meetings_list(request: AuthedRequest, paging: Query[PageIn]) -> MeetingPage:
    count, rows = page_of(meetings_visible_to(request.user), paging)
    return MeetingPage(
        count=count,
        page=paging.page,
        page_size=paging.page_size,
        results=[MeetingRowOut(**_row(m)) for m in rows],
    )


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **errors(401, 404, 422)},
    summary="One meeting: your attendance, leave requests, and (organisers) everyone's",
)
def meeting_get(request: AuthedRequest, meeting_id: Id) -> MeetingDetailOut:
    return _detail(request, meeting_visible(user=request.user, meeting_id=meeting_id))


@router.post(
    "/meetings/{meeting_id}/actions/{action}",
    response={200: MeetingDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="request_leave, decide_leave, check_in or correct_attendance",
    description="`request_leave` {reason} (before the start only); `decide_leave` "
    "{leave_request, decision: approve|reject, note}; `check_in` {token} from the QR code, "
    "or {membership} by an organiser; `correct_attendance` {attendance, state, reason, "
    "speech?} (a reason is required). Returns the meeting afterwards.",
)
@idempotent
def meeting_action(
    request: AuthedRequest,
    meeting_id: Id,
    action: ActionName,
    payload: Body[MeetingActionIn | None] = None,
) -> MeetingDetailOut:
    m = meeting_visible(user=request.user, meeting_id=meeting_id)
    if action not in ACTIONS:
        raise NotFound(_("没有这个操作：%(a)s") % {"a": action})
    p = payload or MeetingActionIn()
    given = {k for k, v in p.model_dump().items() if v is not None}
    extra = sorted(given - set(ACTIONS[action]))
    if extra:
        raise Invalid(
            _("多余的字段：%(f)s") % {"f": ", ".join(extra)},
            fields={f: [_("此操作没有这个字段")] for f in extra},
        )
    if action == "request_leave":
        leave_request(actor=request.user, meeting=m, reason=p.reason or "")
    elif action == "decide_leave":
        lv = (
            LeaveRequest.objects.select_related("attendance__membership", "org")
            .filter(pk=p.leave_request or 0, attendance__meeting=m)
            .first()
        )
        if lv is None:
            raise NotFound()
        if p.decision not in ("approve", "reject"):
            raise Invalid(_("请选择准假或不准假。"), fields={"decision": [_("取值无效")]})
        leave_decide(actor=request.user, leave=lv, action=p.decision, note=p.note or "")
    elif action == "check_in":
        member = None
        if p.membership:
            member = Membership.objects.filter(pk=p.membership).first()
            if member is None:
                raise Invalid(_("该委员不在参会名单中。"), fields={"membership": [_("无效")]})
        check_in(actor=request.user, meeting=m, token=p.token or "", membership=member)
    else:
        att = (
            Attendance.objects.select_related("meeting__org")
            .filter(pk=p.attendance or 0, meeting=m)
            .first()
        )
        if att is None:
            raise NotFound()
        attendance_correct(
            actor=request.user,
            attendance=att,
            status=p.state or "",
            reason=p.reason or "",
            speech=p.speech,
        )
    m.refresh_from_db()
    return _detail(request, m)
