"""Reads of the meetings app, scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from shangliang.accounts.permissions import require, staff_orgs_q
from shangliang.core.errors import NotFound
from shangliang.meetings.models import Attendance, LeaveRequest, Meeting
from shangliang.meetings.permissions import ORGANISERS, READERS


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    mine = Q(attendances__membership__user=user)
    return (
        Meeting.objects.filter(staff_orgs_q(user, READERS) | mine)
        .distinct()
        .select_related("org")
        .annotate(
            n_expected=Count("attendances", distinct=True),
            n_attended=Count(
                "attendances", filter=Q(attendances__status="attended"), distinct=True
            ),
        )
        .order_by("-starts_at", "-id")
    )


def meeting_visible(*, user: Any, meeting_id: int) -> Meeting:
    m = Meeting.objects.select_related("org").filter(pk=meeting_id).first()
    if m is None:
        raise NotFound()
    require(user, "meetings.view", m, hide=True)
    return m


def attendance_board(meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendances.select_related("membership__user", "membership__sector").order_by(
        "status", "membership__user__name"
    )


def leave_requests_of(meeting: Meeting) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(attendance__meeting=meeting).select_related(
        "attendance__membership__user"
    )


def my_attendance(user: Any, meeting: Meeting) -> Attendance | None:
    return meeting.attendances.filter(membership__user=user).first()


def organiser_orgs(user: Any) -> Any:
    from shangliang.orgs.models import Organization

    return Organization.objects.filter(staff_orgs_q(user, ORGANISERS, prefix=""), is_active=True)
