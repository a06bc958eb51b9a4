"""The leave request (请假) workflow: the member asks, staff approve or refuse."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shangliang.accounts.permissions import can
from shangliang.core.workflow import Action, Field, Workflow
from shangliang.meetings.models import LeaveRequest

S = LeaveRequest.Status
NOTE = Field("note", _("审批意见"), kind="textarea", required=False, max_length=300)


def _organiser(user: Any, leave: LeaveRequest) -> bool:
    return can(user, "meetings.manage", leave.org)


def _own(user: Any, leave: LeaveRequest) -> bool:
    return bool(user is not None and leave.attendance.membership.user_id == user.pk)


def _note(leave: LeaveRequest, actor: Any, f: dict[str, Any]) -> dict[str, Any]:
    return {"decision_note": f.get("note") or ""}


leave_workflow = Workflow(
    name="meetings.leave",
    model=LeaveRequest,
    states=S,
    actions=[
        Action(
            "approve",
            _("准假"),
            (S.PENDING,),
            S.APPROVED,
            _organiser,
            fields=(NOTE,),
            apply=_note,
            event="meeting.leave_decided",
            style="success",
        ),
        Action(
            "reject",
            _("不准假"),
            (S.PENDING,),
            S.REJECTED,
            _organiser,
            fields=(NOTE,),
            apply=_note,
            event="meeting.leave_decided",
            style="danger",
        ),
        Action(
            "withdraw",
            _("撤回请假"),
            (S.PENDING,),
            S.WITHDRAWN,
            _own,
            style="secondary",
        ),
    ],
)
