"""The meetings API: leave, its approval, QR check-in, corrections."""

from __future__ import annotations

import pytest

from shangliang.api.tests.schema import ApiClient
from shangliang.duty.models import LedgerEntry
from shangliang.duty.tests.cast import plenary
from shangliang.meetings.models import Attendance, LeaveRequest, Meeting
from shangliang.meetings.services import checkin_token

pytestmark = pytest.mark.django_db


def test_a_member_requests_leave_and_the_office_approves(world, django_capture_on_commit_callbacks):
    m = plenary(world, world.general_office, days_ago=-3)
    r = ApiClient(world.member).post(f"meetings/{m.pk}/actions/request_leave", {"reason": "出差"})
    assert r.status_code == 200
    body = r.json()
    assert body["leave_requests"][0]["state"] == "pending" and body["attendances"] is None
    lv = LeaveRequest.objects.get()
    assert (
        ApiClient(world.member)
        .post(
            f"meetings/{m.pk}/actions/decide_leave", {"leave_request": lv.pk, "decision": "approve"}
        )
        .status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = ApiClient(world.general_office).post(
            f"meetings/{m.pk}/actions/decide_leave", {"leave_request": lv.pk, "decision": "approve"}
        )
    assert r.status_code == 200
    assert Attendance.objects.get(meeting=m, membership=world.member_m).status == "leave"
    assert LedgerEntry.objects.get(membership=world.member_m).item == "leave.plenary"


def test_it_refuses_leave_after_the_meeting(world):
    m = plenary(world, world.general_office, days_ago=1)
    r = ApiClient(world.member).post(f"meetings/{m.pk}/actions/request_leave", {"reason": "出差"})
    assert r.status_code == 422 and not LeaveRequest.objects.exists()


def test_a_member_checks_in_with_the_token(world, django_capture_on_commit_callbacks):
    m = plenary(world, world.general_office, days_ago=0)
    client = ApiClient(world.member)
    assert client.post(f"meetings/{m.pk}/actions/check_in", {"token": "bad"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"meetings/{m.pk}/actions/check_in", {"token": checkin_token(m)})
    assert r.status_code == 200 and r.json()["my_attendance"]["state"] == "attended"
    assert LedgerEntry.objects.get(membership=world.member_m).item == "attend.plenary"


def test_an_organiser_corrects_attendance_with_a_reason(world, django_capture_on_commit_callbacks):
    m = plenary(world, world.general_office, days_ago=1)
    Meeting.objects.filter(pk=m.pk).update(status="finalized")
    att = Attendance.objects.get(meeting=m)
    Attendance.objects.filter(pk=att.pk).update(status="absent")
    client = ApiClient(world.general_office)
    r = client.post(
        f"meetings/{m.pk}/actions/correct_attendance", {"attendance": att.pk, "state": "attended"}
    )
    assert r.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"meetings/{m.pk}/actions/correct_attendance",
            {"attendance": att.pk, "state": "attended", "reason": "补签"},
        )
    assert r.status_code == 200
    assert [a["state"] for a in r.json()["attendances"]] == ["attended"]


def test_meetings_of_another_organisation_are_hidden(world):
    m = plenary(world, world.general_office, days_ago=-1)
    assert ApiClient(world.county_a_member).get(f"meetings/{m.pk}").status_code == 404
    assert ApiClient(world.county_a_member).get("meetings").json()["count"] == 0
    assert ApiClient(world.member).get("meetings").json()["count"] == 1


def test_it_rejects_fields_of_another_action(world):
    m = plenary(world, world.general_office, days_ago=-1)
    r = ApiClient(world.member).post(
        f"meetings/{m.pk}/actions/request_leave", {"reason": "x", "token": "y"}
    )
    assert r.status_code == 422 and "token" in r.json()["fields"]


def test_unknown_actions_are_404(world):
    m = plenary(world, world.general_office, days_ago=-1)
    assert ApiClient(world.member).post(f"meetings/{m.pk}/actions/fly").status_code == 404
