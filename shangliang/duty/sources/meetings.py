"""Meetings and activities: attendance, approved leave, unexcused absence, speeches.

Plenary and standing committee meetings have their own items; the other meetings share
``*.other``; attending a consultation, research or inspection activity or a training
counts as that activity. Keyed by the attendance, so a correction reverses what it undoes.
"""

from __future__ import annotations

from shangliang.core.events import Event, subscribe
from shangliang.duty.ledger import Line, ledger_sync
from shangliang.meetings.models import Attendance, Meeting

SOURCE = "meetings.attendance"
K = Meeting.Kind
CATEGORY = {K.PLENARY: "plenary", K.STANDING: "standing"}
ACTIVITY = {
    K.CONSULTATION: "activity.consultation",
    K.RESEARCH: "activity.research",
    K.INSPECTION: "activity.inspection",
    K.TRAINING: "training",
}
ITEMS = (
    *(
        f"{what}.{cat}"
        for what in ("attend", "leave", "absent")
        for cat in ("plenary", "standing", "other")
    ),
    *ACTIVITY.values(),
    "speech.written",
    "speech.oral",
)


def lines_for(att: Attendance) -> list[Line]:
    m = att.meeting
    if m.status == Meeting.Status.CANCELLED:
        return []
    cat = CATEGORY.get(K(m.kind), "other")
    line = None
    if att.status == Attendance.Status.ATTENDED:
        item = ACTIVITY.get(K(m.kind), f"attend.{cat}")
        line = Line(att.membership_id, item, m.starts_at, half_days=m.half_days)
    elif att.status == Attendance.Status.LEAVE:
        line = Line(att.membership_id, f"leave.{cat}", m.starts_at, half_days=m.half_days)
    elif att.status == Attendance.Status.ABSENT:
        line = Line(att.membership_id, f"absent.{cat}", m.starts_at, half_days=m.half_days)
    out = [line] if line else []
    if att.speech:
        out.append(Line(att.membership_id, f"speech.{att.speech}", m.starts_at))
    return out


def sync_attendance(att: Attendance) -> None:
    ledger_sync(
        source_type=SOURCE,
        source_id=att.pk,
        items=ITEMS,
        lines=lines_for(att),
        label=att.meeting.title,
    )


@subscribe("meeting.attended")
@subscribe("meeting.leave")
@subscribe("meeting.corrected")
def on_attendance(event: Event) -> None:
    att = Attendance.objects.select_related("meeting").filter(pk=event.object_id).first()
    if att is not None:
        sync_attendance(att)


@subscribe("meeting.finalized")
def on_finalized(event: Event) -> None:
    for att in Attendance.objects.select_related("meeting").filter(meeting_id=event.object_id):
        sync_attendance(att)


@subscribe("meeting.finalized")
@subscribe("meeting.corrected")
def raise_exit_warnings(event: Event) -> None:
    """Unexcused plenary absences may raise an exit warning at once (staff review it)."""
    from shangliang.duty.services.flags import exit_flags_scan

    if event.name == "meeting.finalized":
        meeting = Meeting.objects.select_related("org").filter(pk=event.object_id).first()
    else:
        att = Attendance.objects.select_related("meeting__org").filter(pk=event.object_id).first()
        meeting = att.meeting if att else None
    if meeting is not None and meeting.kind == K.PLENARY:
        exit_flags_scan(org=meeting.org, year=meeting.starts_at.year)
