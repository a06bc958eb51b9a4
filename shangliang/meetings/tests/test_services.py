import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from shangliang.core.errors import Conflict, Forbidden, Invalid, NotFound
from shangliang.duty.models import ExitFlag
from shangliang.duty.tests.cast import ledger_of, plenary, second
from shangliang.meetings.models import Attendance, AttendanceCorrection, Meeting
from shangliang.meetings.services import (
    attendance_correct,
    check_in,
    checkin_token,
    leave_decide,
    leave_request,
    meeting_create,
    meeting_finalize,
)

pytestmark = pytest.mark.django_db


def att(meeting: Any, membership: Any) -> Attendance:
    return Attendance.objects.get(meeting=meeting, membership=membership)


def items(m: Any) -> list[Any]:
    return ledger_of(m)


def test_it_invites_every_serving_member(world):
    other = second(world)
    m = plenary(world, world.general_office)
    assert set(m.attendances.values_list("membership_id", flat=True)) == {
        world.member_m.pk,
        other.pk,
    }


def test_it_refuses_meetings_to_other_organisations_staff(world):
    with pytest.raises(Forbidden):
        plenary(world, world.county_a_office)


def test_it_refuses_an_end_before_the_start(world):
    now = timezone.now()
    with pytest.raises(Invalid):
        meeting_create(
            actor=world.general_office,
            org=world.province,
            kind="plenary",
            title="x",
            starts_at=now,
            ends_at=now - dt.timedelta(hours=1),
        )
    assert not Meeting.objects.exists()


def test_it_checks_in_with_the_qr_token_and_credits_attendance(
    world, django_capture_on_commit_callbacks
):
    m = plenary(world, world.general_office, days_ago=0, half_days=2)
    with django_capture_on_commit_callbacks(execute=True):
        a = check_in(actor=world.member, meeting=m, token=checkin_token(m))
    assert a.status == "attended" and not a.checked_in_by_staff
    assert items(world.member_m) == [("attend.plenary", 1, Decimal("20.00"))]  # 10 per half day


def test_it_refuses_a_forged_token(world):
    m = plenary(world, world.general_office, days_ago=0)
    with pytest.raises(Forbidden):
        check_in(actor=world.member, meeting=m, token="forged")


def test_it_refuses_a_leave_request_after_the_meeting_started(world):
    m = plenary(world, world.general_office, days_ago=1)
    with pytest.raises(Invalid):
        leave_request(actor=world.member, meeting=m, reason="出差")
    assert not m.attendances.filter(leave_requests__isnull=False).exists()


def test_it_refuses_a_leave_request_from_a_non_attendee(world):
    m = plenary(world, world.general_office, days_ago=-2)
    with pytest.raises(NotFound):
        leave_request(actor=world.county_a_member, meeting=m, reason="出差")


def test_it_approves_leave_and_finalizes_absences(world, django_capture_on_commit_callbacks):
    other = second(world)
    m = plenary(world, world.general_office, days_ago=-2)
    leave = leave_request(actor=world.member, meeting=m, reason="出差")
    with pytest.raises(Conflict):
        leave_request(actor=world.member, meeting=m, reason="又一次")
    with django_capture_on_commit_callbacks(execute=True):
        leave = leave_decide(actor=world.general_office, leave=leave, action="approve")
    assert leave.status == "approved" and att(m, world.member_m).status == "leave"
    Meeting.objects.filter(pk=m.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    m.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_finalize(actor=world.general_office, meeting=m)
    assert att(m, other).status == "absent"
    assert items(other) == [("absent.plenary", 1, Decimal("-10.00"))]
    assert items(world.member_m) == [("leave.plenary", 1, Decimal("0.00"))]


def test_a_member_cannot_approve_their_own_leave(world):
    m = plenary(world, world.general_office, days_ago=-2)
    leave = leave_request(actor=world.member, meeting=m, reason="出差")
    with pytest.raises(Forbidden):
        leave_decide(actor=world.member, leave=leave, action="approve")


def test_it_corrects_attendance_with_a_reason_and_compensates(
    world, django_capture_on_commit_callbacks
):
    m = plenary(world, world.general_office)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_finalize(actor=world.general_office, meeting=m)
    a = att(m, world.member_m)
    with pytest.raises(Invalid):
        attendance_correct(actor=world.general_office, attendance=a, status="attended", reason="")
    with django_capture_on_commit_callbacks(execute=True):
        attendance_correct(
            actor=world.general_office,
            attendance=a,
            status="attended",
            reason="签到机故障，有会务签到表",
            speech="oral",
        )
    assert AttendanceCorrection.objects.get().before == "absent"
    assert items(world.member_m) == [
        ("absent.plenary", -1, Decimal("10.00")),
        ("absent.plenary", 1, Decimal("-10.00")),
        ("attend.plenary", 1, Decimal("10.00")),
        ("speech.oral", 1, Decimal("5.00")),
    ]


def test_two_unexcused_plenary_absences_raise_an_exit_warning(
    world, django_capture_on_commit_callbacks
):
    for days_ago in (30, 1):
        m = plenary(world, world.general_office, days_ago=days_ago)
        with django_capture_on_commit_callbacks(execute=True):
            meeting_finalize(actor=world.general_office, meeting=m)
    flag = ExitFlag.objects.get(membership=world.member_m, rule="plenary_absences")
    assert flag.status == "open" and "2" in flag.detail
    assert world.member_m.status == "active"  # nothing applied without a person's decision
