"""Meetings pages: the list, a new meeting, one meeting with its attendance board, leave
requests, QR check-in, corrections and the final attendance."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import can
from shangliang.core.errors import DomainError, NotFound
from shangliang.core.forms import StyledFormMixin
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import available_actions
from shangliang.meetings.models import Attendance, LeaveRequest, Meeting
from shangliang.meetings.selectors import (
    attendance_board,
    leave_requests_of,
    meeting_visible,
    meetings_visible_to,
    my_attendance,
    organiser_orgs,
)
from shangliang.meetings.services import (
    attendance_correct,
    check_in,
    checkin_token,
    leave_decide,
    leave_request,
    meeting_create,
    meeting_finalize,
)


def _meeting(request: AuthedRequest, meeting_id: int) -> Meeting:
    try:
        return meeting_visible(user=request.user, meeting_id=meeting_id)
    except NotFound:
        raise Http404 from None


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
@require_GET
def meeting_list(request: AuthedRequest) -> HttpResponse:
    rows = meetings_visible_to(request.user)[:200]
    return render(
        request,
        "meetings/list.html",
        {
            "rows": rows,
            "orgs": organiser_orgs(request.user)[:20],
            "nav_active": "meetings",
        },
    )


class MeetingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    half_days = forms.DecimalField(
        label=gettext_lazy("会期（半天）"), initial=1, min_value=0.5, max_value=40, decimal_places=1
    )


@login_required
def meeting_new(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = organiser_orgs(request.user).filter(pk=org_id).first()
    if org is None:
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            m = meeting_create(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("会议已创建，本届在职委员均已列入参会名单。"))
            return _back(m)
    return render(
        request,
        "meetings/new.html",
        {"org": org, "form": form, "nav_active": "meetings"},
        status=400 if form.errors else 200,
    )


def _board_context(request: AuthedRequest, m: Meeting) -> dict[str, Any]:
    board = list(attendance_board(m))
    counts = dict.fromkeys(Attendance.Status.values, 0)
    for a in board:
        counts[a.status] += 1
    return {
        "meeting": m,
        "board": board,
        "counts": counts,
        "manage": can(request.user, "meetings.manage", m.org),
    }


@login_required
@require_GET
def meeting_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    m = _meeting(request, meeting_id)
    context = _board_context(request, m)
    if request.htmx:
        return render(request, "meetings/detail.html#board", context)
    mine = my_attendance(request.user, m)
    leaves = (
        list(leave_requests_of(m))
        if context["manage"]
        else list(LeaveRequest.objects.filter(attendance=mine))
        if mine
        else []
    )
    context.update(
        {
            "mine": mine,
            "leaves": [(lv, available_actions(request.user, lv)) for lv in leaves],
            "can_request_leave": bool(
                mine
                and mine.status == "expected"
                and m.status == "planned"
                and timezone.now() < m.starts_at
            ),
            "checkin_url": request.build_absolute_uri(
                reverse("meetings:check_in", args=[m.pk, checkin_token(m)])
            )
            if context["manage"]
            else "",
            "started": timezone.now() >= m.starts_at,
            "statuses": Attendance.Status.choices,
            "speeches": Attendance.Speech.choices,
            "nav_active": "meetings",
        }
    )
    return render(request, "meetings/detail.html", context)


@login_required
@require_GET
def meeting_qr(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    import segno

    m = _meeting(request, meeting_id)
    if not can(request.user, "meetings.manage", m.org):
        raise Http404
    url = request.build_absolute_uri(reverse("meetings:check_in", args=[m.pk, checkin_token(m)]))
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=6, xmldecl=False)
    return HttpResponse(buf.getvalue(), content_type="image/svg+xml")


@login_required
def meeting_check_in(request: AuthedRequest, meeting_id: int, token: str) -> HttpResponse:
    m = _meeting(request, meeting_id)
    error = ""
    if request.method == "POST":
        try:
            check_in(actor=request.user, meeting=m, token=token)
        except DomainError as exc:
            error = exc.detail
        else:
            messages.success(request, _("签到成功。"))
            return _back(m)
    return render(
        request,
        "meetings/check_in.html",
        {"meeting": m, "error": error, "mine": my_attendance(request.user, m)},
        status=422 if error else 200,
    )


@login_required
@require_POST
def meeting_leave(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    m = _meeting(request, meeting_id)
    try:
        leave_request(actor=request.user, meeting=m, reason=request.POST.get("reason", ""))
        messages.success(request, _("请假申请已提交，待审批。"))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return _back(m)


@login_required
@require_POST
def leave_act(request: AuthedRequest, leave_id: int, action: str) -> HttpResponse:
    leave = get_object_or_404(
        LeaveRequest.objects.select_related("attendance__meeting"), pk=leave_id
    )
    m = _meeting(request, leave.attendance.meeting_id)
    try:
        leave_decide(
            actor=request.user, leave=leave, action=action, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    return _back(m)


@login_required
@require_POST
def mark_attended(request: AuthedRequest, meeting_id: int, attendance_id: int) -> HttpResponse:
    m = _meeting(request, meeting_id)
    att = get_object_or_404(Attendance, pk=attendance_id, meeting=m)
    try:
        check_in(
            actor=request.user, meeting=m, membership=Membership.objects.get(pk=att.membership_id)
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    if request.htmx:
        return render(request, "meetings/detail.html#board", _board_context(request, m))
    return _back(m)


@login_required
@require_POST
def correct(request: AuthedRequest, meeting_id: int, attendance_id: int) -> HttpResponse:
    m = _meeting(request, meeting_id)
    att = get_object_or_404(
        Attendance.objects.select_related("meeting"), pk=attendance_id, meeting=m
    )
    try:
        attendance_correct(
            actor=request.user,
            attendance=att,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            speech=request.POST.get("speech"),
        )
        messages.success(request, _("考勤已更正。"))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return _back(m)


@login_required
@require_POST
def finalize(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    m = _meeting(request, meeting_id)
    try:
        meeting_finalize(actor=request.user, meeting=m)
        messages.success(request, _("考勤已确认：未签到且未准假的委员记为无故缺席。"))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return _back(m)
