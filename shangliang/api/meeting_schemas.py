"""Shapes of the meetings API (会议与考勤)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from shangliang.api.schemas import Id


class MeetingRowOut(Schema):
    id: int
    org: int
    kind: str = Field(
        description="plenary | standing | chairs | committee | consultation | "
        "research | inspection | training"
    )
    kind_label: str
    title: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str = Field(description="planned | finalized | cancelled")
    state_label: str


class MeetingPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MeetingRowOut]


class AttendanceOut(Schema):
    id: int
    membership: int
    name: str
    state: str = Field(description="expected | attended | leave | absent (unexcused)")
    state_label: str
    speech: str
    checked_in_at: dt.datetime | None


class LeaveOut(Schema):
    id: int
    attendance: int
    name: str
    reason: str
    state: str = Field(description="pending | approved | rejected | withdrawn")
    decision_note: str


class MeetingActionOut(Schema):
    name: str = Field(description="request_leave | decide_leave | check_in | correct_attendance")
    fields: list[str]


class MeetingDetailOut(MeetingRowOut):
    half_days: float
    my_attendance: AttendanceOut | None
    attendances: list[AttendanceOut] | None = Field(
        description="Everyone's attendance: organisers and leaders only (null otherwise)."
    )
    leave_requests: list[LeaveOut] = Field(description="All (organisers) or your own (members).")
    available_actions: list[MeetingActionOut]


Text300 = Annotated[str, StringConstraints(max_length=300)]


class MeetingActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Text300 | None = Field(None, description="request_leave, correct_attendance.")
    leave_request: Id | None = Field(None, description="decide_leave: the request.")
    decision: Annotated[str, StringConstraints(max_length=10)] | None = Field(
        None, description="decide_leave: `approve` or `reject`."
    )
    note: Text300 | None = Field(None, description="decide_leave: the decision's note.")
    token: Annotated[str, StringConstraints(max_length=300)] | None = Field(
        None, description="check_in: the token of the meeting's QR code (members)."
    )
    membership: Id | None = Field(
        None, description="check_in: the member to mark present (organisers)."
    )
    attendance: Id | None = Field(None, description="correct_attendance: the attendance.")
    state: Annotated[str, StringConstraints(max_length=10)] | None = Field(
        None, description="correct_attendance: expected | attended | leave | absent."
    )
    speech: Annotated[str, StringConstraints(max_length=10)] | None = Field(
        None, description="correct_attendance: '' | written | oral."
    )
